package report_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

var genTime = time.Date(2026, 11, 27, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

func est(p, i int) *riskeval.Estimate { return &riskeval.Estimate{Probability: p, Impact: i} }

// plantInput evaluates the plant under the named preset.
func plantInput(t testing.TB, preset string, lang ssra.Lang) report.Input {
	t.Helper()
	p, err := riskeval.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	a := sample.Plant()
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	return report.Input{Assessment: a, Result: res, Profile: p, Lang: lang, Generated: genTime, Meta: sample.PlantMeta()}
}

// bigAssessment is the plant with n factors (weights summing to 1), each
// with one or two measures, spread over the scale.
func bigAssessment(n int) riskeval.Assessment {
	a := sample.Plant()
	areas := riskeval.Areas()
	a.Factors = nil
	w := decimal.NewFromInt(1).DivRound(decimal.NewFromInt(int64(n)), 6)
	rest := decimal.NewFromInt(1).Sub(w.Mul(decimal.NewFromInt(int64(n - 1))))
	for k := 0; k < n; k++ {
		wk := w
		if k == n-1 {
			wk = rest
		}
		p, i := k%5+1, (k*3)%5+1
		rp, ri := max(1, p-1-k%2), max(1, i-1)
		f := riskeval.Factor{ID: fmt.Sprintf("F%d", k+1), Area: areas[k%len(areas)], Name: fmt.Sprintf("风险因素%d：施工与运营影响", k+1),
			Stage: riskeval.StageOperation, Owner: "责任单位", Weight: wk,
			Initial: riskeval.Estimate{Probability: p, Impact: i}, Residual: est(rp, ri),
			Measures: []riskeval.Measure{{ID: fmt.Sprintf("M%d", 2*k+1), Description: "落实防范措施", Owner: "责任单位", Due: sample.Date("2027-06-30")}}}
		if k%2 == 0 {
			f.Measures = append(f.Measures, riskeval.Measure{ID: fmt.Sprintf("M%d", 2*k+2), Description: "加强宣传解释", Owner: "宣传部门", Due: sample.Date("2027-03-31")})
		}
		a.Factors = append(a.Factors, f)
	}
	a.Criteria[1].Measures = []string{"M2"}
	return a
}
