package riskeval

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// The size estimates bound the rendered text from above, without wasting
// more than a quarter, for evaluated results of any size, both presets and
// both languages.
func TestRenderSizes(t *testing.T) {
	for _, name := range []string{"practice", "textbook5x5"} {
		p, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range []int{1, 7, 30, 100, 400} {
			a := Assessment{Regime: "ndrc2012_project", NormaliseWeights: true,
				Survey: &Survey{Frame: "households within 3 km", Distributed: 1200, Support: 700, Neutral: 250, Oppose: 190}}
			for i := range n {
				a.Factors = append(a.Factors, Factor{ID: fmt.Sprintf("F%03d", i), Area: AreaEcologicalEnvironment, Name: "f",
					Weight:  decimal.NewFromInt(int64(i%7 + 1)),
					Initial: Estimate{Probability: i%5 + 1, Impact: i*3%5 + 1}, Residual: &Estimate{Probability: max(1, i%5), Impact: max(1, i*3%5)}})
			}
			r, err := Evaluate(a, p)
			if err != nil {
				t.Fatal(err)
			}
			for _, lang := range []ssra.Lang{ssra.LangEN, ssra.LangZH} {
				var w stepWriter
				w.init(&r, lang, false)
				got, est := len(r.render(&w, nil)), explainSize(&r, lang == ssra.LangZH)
				if est < got || est > got*5/4 {
					t.Errorf("%s, %d factors, %s: explanation of %d bytes estimated at %d", name, n, lang, got, est)
				}
			}
			b, err := r.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			if est := jsonSize(&r); est < len(b) || est > len(b)*5/4 {
				t.Errorf("%s, %d factors: JSON of %d bytes estimated at %d", name, n, len(b), est)
			}
		}
	}
}
