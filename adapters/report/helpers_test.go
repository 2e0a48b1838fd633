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

// followUpID is the follow-up assessment the tracked plant opens.
const followUpID = "2026-wte-017-gz1"

// trackedPlantInput is the plant's report under the preset with the
// measures the approval imposed tracked since 5 January 2027: M10 verified
// by the assessing centre, M9 reported carried out on time, M8 dropped with
// its reason, M1 reported on, and a follow-up assessment opened because M2
// is late; the states are shown at 15 March 2027 (M2, due 28 February, is
// overdue; the others are open).
func trackedPlantInput(t testing.TB, preset string, lang ssra.Lang) report.Input {
	t.Helper()
	in := plantInput(t, preset, lang)
	a := in.Assessment
	var imposed []riskeval.Measure
	for _, f := range a.Factors {
		imposed = append(imposed, f.Measures...)
	}
	at := func(month time.Month, day int) time.Time { return time.Date(2027, month, day, 10, 0, 0, 0, time.UTC) }
	by := func(org string) ssra.Actor { return ssra.Actor{UserID: "u-" + org, OrgID: org} }
	centre := ssra.Actor{UserID: "u-centre", OrgID: "市社会稳定风险评估中心"}
	tr, err := riskeval.Track(a, riskeval.Approval{Outcome: riskeval.OutcomeApproveWithMeasures, Imposed: imposed, Assessed: a.ID},
		"decision-1", at(1, 5), by("市政府"))
	if err != nil {
		t.Fatal(err)
	}
	ev := []riskeval.Evidence{{Title: "听证会纪要"}}
	for _, step := range []error{
		tr.Complete("M10", at(1, 10), by("市城市管理局"), "已公示并召开听证会", ev),
		tr.Verify("M10", at(1, 20), centre, "核验属实"),
		tr.Complete("M9", at(1, 25), by("市委宣传部"), "已组织参观三批", []riskeval.Evidence{{Title: "参观名册（仅人数）"}}),
		tr.Drop("M8", at(2, 1), centre, "施工总承包合同已改由总包单位缴纳保证金"),
		tr.Report("M1", at(2, 10), by("东郊镇政府"), "专户已开立", nil),
	} {
		if step != nil {
			t.Fatal(step)
		}
	}
	if _, err := tr.OpenFollowUp(a, followUpID, "补偿标准上调逾期未落实", []string{"M2"}, at(3, 2), centre); err != nil {
		t.Fatal(err)
	}
	in.Tracking, in.TrackedAt = tr, sample.Date("2027-03-15")
	return in
}
