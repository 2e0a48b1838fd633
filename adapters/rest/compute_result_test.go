package rest

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra/riskeval"
)

// resultTexts are texts JSON encoders get wrong.
var resultTexts = []string{"F1", "<script>&</script>", `a "q" \ /`, "\n\t\x01\x7f", "bad \xff utf-8", "half \xe4\xb8",
	"中文 ≤ ×", "line\u2028sep\u2029", "🙂"}

// randomEvaluation evaluates a random assessment under a preset: factors
// with hostile ids, estimates anywhere on the scales, sometimes a survey,
// a panel with ratings, or weights to normalise.
func randomEvaluation(t *testing.T, rng *rand.Rand) riskeval.Result {
	t.Helper()
	preset := []string{"practice", "textbook5x5"}[rng.IntN(2)]
	p, err := riskeval.Preset(preset)
	if err != nil {
		t.Fatal(err)
	}
	n := rng.IntN(12) + 1
	a := riskeval.Assessment{
		Subject:          riskeval.Subject{Kind: riskeval.SubjectProject, Name: resultTexts[rng.IntN(len(resultTexts))], ResponsibleUnit: "unit"},
		Regime:           "ndrc2012_project",
		NormaliseWeights: true,
	}
	if rng.IntN(2) == 0 {
		a.Survey = &riskeval.Survey{Frame: resultTexts[rng.IntN(len(resultTexts))], Distributed: 300, Support: rng.IntN(100), Oppose: rng.IntN(100) + 1}
	}
	panel := rng.IntN(3) == 0
	if panel {
		a.Panel = &riskeval.Panel{Size: 3, Writer: "w", Reviewer: "r", Members: []riskeval.PanelMember{{ID: "m1"}, {ID: "m2"}, {ID: "m3"}}}
	}
	for i := range n {
		est := func() riskeval.Estimate {
			e := riskeval.Estimate{Probability: rng.IntN(5) + 1, Impact: rng.IntN(5) + 1}
			if panel {
				for _, m := range []string{"m1", "m2", "m3"} {
					e.Ratings = append(e.Ratings, riskeval.Rating{Member: m, Probability: rng.IntN(5) + 1, Impact: rng.IntN(5) + 1})
				}
				e.Probability, e.Impact = 0, 0
			}
			return e
		}
		residual := est()
		a.Factors = append(a.Factors, riskeval.Factor{
			ID: fmt.Sprintf("%s%d", resultTexts[rng.IntN(len(resultTexts))], i), Area: riskeval.Areas()[rng.IntN(8)], Name: "factor",
			Weight: decimal.New(rng.Int64N(1000)+1, -int32(rng.IntN(4))), Initial: est(), Residual: &residual,
		})
	}
	r, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatalf("%s: %v", preset, err)
	}
	return r
}

// The evaluate route's encoder writes what Result.MarshalJSON writes, and
// fails where it fails. Invalid UTF-8 is the one difference in bytes, not
// in JSON: the members encodeResult leaves to jsonenc.Marshal may carry
// the character U+FFFD where MarshalJSON writes the escape \ufffd.
func TestEncodeResultIsMarshalJSON(t *testing.T) {
	rng := rand.New(rand.NewPCG(18, 1))
	spoil := []func(*riskeval.Result){
		func(*riskeval.Result) {},
		func(r *riskeval.Result) { r.Factors[0].Initial.Degree = riskeval.DegreeS },
		func(r *riskeval.Result) { r.Factors[0].Residual.Degree = riskeval.DegreeNone },
		func(r *riskeval.Result) { r.Factors[0].Weight = decimal.New(rng.Int64(), int32(rng.IntN(60)-30)) },
		func(r *riskeval.Result) { r.Factors[0].Initial.Score = decimal.New(-rng.Int64N(1e6), -3) },
		func(r *riskeval.Result) { r.Factors[0].Initial.Probability, r.Factors[0].Initial.Impact = -1, 1<<40 },
		func(r *riskeval.Result) { r.Factors = nil },
		func(r *riskeval.Result) { r.Warnings = nil },
		func(r *riskeval.Result) { r.Factors[0].Area = riskeval.Area(200) },
		func(r *riskeval.Result) { r.Factors[0].Residual.Level = riskeval.LevelNone },
		func(r *riskeval.Result) { r.Factors[0].Initial.DecidedBy = riskeval.LevelRule(99) },
		func(r *riskeval.Result) { r.Factors[0].Initial.Degree = riskeval.Degree(42) },
		func(r *riskeval.Result) { r.Decision.Outcome = riskeval.OutcomeNone },
	}
	for i := range 400 {
		r := randomEvaluation(t, rng)
		spoil[i%len(spoil)](&r)
		got, err := encodeResult(r)
		want, wantErr := r.MarshalJSON()
		if (err != nil) != (wantErr != nil) {
			t.Fatalf("case %d: error %v, MarshalJSON's %v", i, err, wantErr)
		}
		if err == nil && strings.ReplaceAll(string(got), `\ufffd`, "\ufffd") != strings.ReplaceAll(string(want), `\ufffd`, "\ufffd") {
			t.Fatalf("case %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

// encodeResult names Result's members one by one: a member added to
// Result must be added there too.
func TestEncodeResultKnowsEveryMember(t *testing.T) {
	want := []string{"Profile", "Regime", "Factors", "Weights", "Initial", "Residual", "Survey", "Panel", "Decision", "Warnings", "Rules"}
	typ := reflect.TypeFor[riskeval.Result]()
	var got []string
	for i := range typ.NumField() {
		got = append(got, typ.Field(i).Name)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("riskeval.Result has the members %v; encodeResult writes %v", got, want)
	}
	if typ := reflect.TypeFor[riskeval.FactorResult](); typ.NumField() != 5 {
		t.Fatalf("riskeval.FactorResult has %d members; encodeResult writes 5", typ.NumField())
	}
	if typ := reflect.TypeFor[riskeval.EstimateResult](); typ.NumField() != 6 {
		t.Fatalf("riskeval.EstimateResult has %d members; encodeResult writes 6", typ.NumField())
	}
}
