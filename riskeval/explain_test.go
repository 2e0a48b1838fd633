package riskeval_test

import (
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// hostileTexts are texts a profile or an assessment may carry that JSON,
// Go quoting or a byte-wise renderer can get wrong.
var hostileTexts = []string{
	"", "F1", "plain text of some length, long enough for eight-byte blocks",
	"<script>alert(1)</script>", `a&b "q" \ /`, "\n\t\r\b\f", "\x01\x1f\x7f",
	"bad \xff utf-8", "half \xe4\xb8", "\xad half", "中文 ✓ ≤ ≥ ×", "line\u2028sep\u2029",
	"\xe2\x80", "“quoted”（全角）", "emoji 🙂", "\u00a0nbsp\u200b",
}

func pick[T any](rng *rand.Rand, xs []T) T { return xs[rng.IntN(len(xs))] }

// randomDecimal draws a decimal of any shape: small, with many decimal
// places, negative, zero, or with a coefficient far beyond int64.
func randomDecimal(rng *rand.Rand) decimal.Decimal {
	switch rng.IntN(6) {
	case 0:
		return decimal.New(rng.Int64N(101), -2)
	case 1:
		return decimal.New(rng.Int64N(1e6+1), -6)
	case 2:
		return decimal.New(rng.Int64()-rng.Int64(), int32(rng.IntN(41)-20))
	case 3:
		c := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(18+rng.IntN(30))), nil)
		c.Add(c, big.NewInt(rng.Int64()))
		if rng.IntN(2) == 0 {
			c.Neg(c)
		}
		return decimal.NewFromBigInt(c, int32(rng.IntN(61)-40))
	case 4:
		return decimal.New(0, int32(rng.IntN(9)-6))
	}
	return decimal.New(rng.Int64N(1e18), -18)
}

func randomDecimals(rng *rand.Rand) []decimal.Decimal {
	if rng.IntN(8) == 0 {
		return nil
	}
	ds := make([]decimal.Decimal, rng.IntN(10))
	for i := range ds {
		ds[i] = randomDecimal(rng)
	}
	return ds
}

func randomText(rng *rand.Rand) string {
	if rng.IntN(3) == 0 {
		return pick(rng, hostileTexts)
	}
	return fmt.Sprintf("T%d", rng.IntN(1000))
}

func randomLabel(rng *rand.Rand) ssra.Label { return ssra.L(randomText(rng), randomText(rng)) }

func randomLevel(rng *rand.Rand) riskeval.Level { return riskeval.Level(rng.IntN(3) + 1) }

func randomEstimate(rng *rand.Rand) riskeval.EstimateResult {
	x := riskeval.EstimateResult{
		Score:       randomDecimal(rng),
		Probability: rng.IntN(13) - 2,
		Impact:      rng.IntN(13) - 2,
		Level:       randomLevel(rng),
		DecidedBy:   riskeval.RuleFactorThresholds,
	}
	if rng.IntN(3) == 0 {
		x.DecidedBy, x.Degree = riskeval.RuleMatrix, riskeval.Degree(rng.IntN(6))
	}
	return x
}

func randomLevelResult(rng *rand.Rand) riskeval.LevelResult {
	l := riskeval.LevelResult{
		Index: randomDecimal(rng), IndexLevel: randomLevel(rng), Level: randomLevel(rng),
		DecidedBy: riskeval.RuleIndexThresholds,
		Counts:    riskeval.LevelCounts{Low: rng.IntN(50), Medium: rng.IntN(50), High: rng.IntN(50)},
	}
	l.Exact = l.Index
	if rng.IntN(2) == 0 {
		l.Exact = randomDecimal(rng)
	}
	if rng.IntN(3) == 0 {
		l.DecidedBy, l.FloorRule = riskeval.RuleFloor, randomText(rng)
	}
	return l
}

// optionalText is random text or, half the time, none (an omitted member).
func optionalText(rng *rand.Rand) string {
	if rng.IntN(2) == 0 {
		return ""
	}
	return randomText(rng)
}

// randomResult draws a result field by field, with no regard for whether
// an evaluation could produce it: the renderers must agree on any result.
func randomResult(rng *rand.Rand) riskeval.Result {
	r := riskeval.Result{
		Profile: riskeval.ProfileRef{Name: randomText(rng), Version: randomText(rng), Basis: riskeval.Basis(rng.IntN(2) + 1), ID: optionalText(rng), Digest: optionalText(rng)},
		Regime:  riskeval.RegimeRef{ID: randomText(rng), Label: randomLabel(rng), LegalBasis: randomText(rng)},
		Weights: riskeval.WeightInfo{Sum: randomDecimal(rng), Tolerance: randomDecimal(rng), Normalised: rng.IntN(2) == 0},
		Initial: randomLevelResult(rng), Residual: randomLevelResult(rng),
		Decision: riskeval.Decision{Outcome: riskeval.Outcome(rng.IntN(4) + 1), Level: randomLevel(rng)},
		Rules: riskeval.AppliedRules{
			ProbabilityGrades: randomDecimals(rng), ImpactGrades: randomDecimals(rng),
			FactorThresholds: riskeval.Thresholds{LowMax: randomDecimal(rng), MediumMax: randomDecimal(rng)},
			IndexThresholds:  riskeval.Thresholds{LowMax: randomDecimal(rng), MediumMax: randomDecimal(rng)},
			Matrix:           rng.IntN(2) == 0,
			Survey:           riskeval.SurveyMapping{HighMin: randomDecimal(rng), MediumMin: randomDecimal(rng), Basis: riskeval.BasisPractice},
		},
	}
	if n := rng.IntN(41); n > 0 || rng.IntN(2) == 0 {
		r.Factors = make([]riskeval.FactorResult, n)
		for i := range r.Factors {
			id := fmt.Sprintf("F%03d", i)
			if rng.IntN(5) == 0 {
				id = randomText(rng)
			}
			r.Factors[i] = riskeval.FactorResult{ID: id, Area: riskeval.Areas()[rng.IntN(8)], Weight: randomDecimal(rng),
				Initial: randomEstimate(rng), Residual: randomEstimate(rng)}
		}
	}
	for range rng.IntN(4) {
		r.Weights.Adjusted = append(r.Weights.Adjusted, rng.IntN(100))
	}
	if rng.IntN(2) == 0 {
		valid := rng.IntN(2000)
		r.Survey = &riskeval.SurveyResult{
			Valid: valid, Frame: randomText(rng), Suggested: randomLevel(rng), Advisory: true,
			Opposition: ssra.Rate{Successes: rng.Int64N(int64(valid) + 1), Total: int64(valid),
				Value: randomDecimal(rng), Lower: randomDecimal(rng), Upper: randomDecimal(rng), Z: randomDecimal(rng)},
		}
		if rng.IntN(3) > 0 {
			r.Survey.Distributed, r.Survey.ResponseRate = valid+rng.IntN(100), randomDecimal(rng)
		}
	}
	for range rng.IntN(4) {
		r.Decision.Reasons = append(r.Decision.Reasons, randomLabel(rng))
	}
	for range rng.IntN(3) {
		r.Warnings = append(r.Warnings, ssra.Problem{Code: randomText(rng), Field: randomText(rng), Message: randomText(rng), Severity: ssra.SeverityWarning})
	}
	for range rng.IntN(3) {
		r.Rules.FloorRules = append(r.Rules.FloorRules, riskeval.FloorRule{Name: randomText(rng), Label: randomLabel(rng),
			FactorLevel: randomLevel(rng), MinCount: rng.IntN(5), Floor: randomLevel(rng)})
	}
	return r
}

// evaluatedResults are results of real evaluations: both presets, with
// and without a survey, floor rules, normalised weights and hostile ids.
func evaluatedResults(t testing.TB, rng *rand.Rand, n int) []riskeval.Result {
	var out []riskeval.Result
	for iter := range n {
		p := preset(t, []string{"practice", "textbook5x5"}[iter%2])
		a := randomAssessment(rng, rng.IntN(40)+1)
		if iter%3 == 0 {
			a.Survey = &riskeval.Survey{Frame: pick(rng, hostileTexts), Distributed: 300, Support: rng.IntN(100), Oppose: rng.IntN(100) + 1}
		}
		if iter%4 == 0 {
			for i := range a.Factors {
				a.Factors[i].Weight = decimal.New(rng.Int64N(1e18), -18)
			}
			a.Factors[0].ID = pick(rng, hostileTexts[1:])
			a.NormaliseWeights = true
		}
		res, err := riskeval.Evaluate(a, p)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, res)
	}
	return out
}

// Two halves of one character in two reasons make the character when the
// Chinese explanation joins them; the JSON of the sentence must escape the
// joined text, not each half.
func TestExplanationJoinsSplitCharacters(t *testing.T) {
	r := randomResult(rand.New(rand.NewPCG(1, 1)))
	r.Decision.Reasons = []ssra.Label{ssra.L("半个\xe4\xb8", "a"), ssra.L("\xad字", "b")}
	var decision string
	for _, s := range r.ExplainIn(ssra.LangZH) {
		if s.Key == "decision" {
			decision = s.Text
		}
	}
	b, err := json.Marshal(decision)
	if err != nil {
		t.Fatal(err)
	}
	var back string
	if err := json.Unmarshal(b, &back); err != nil || !strings.Contains(back, "半个中字") {
		t.Fatalf("decision %q", back)
	}
}

// A value outside its closed set fails the JSON encoding, as it fails
// encoding/json.
func TestResultJSONInvalidEnum(t *testing.T) {
	tests := []struct {
		name  string
		spoil func(*riskeval.Result)
	}{
		{"level", func(r *riskeval.Result) { r.Decision.Level = riskeval.Level(9) }},
		{"unset outcome", func(r *riskeval.Result) { r.Decision.Outcome = riskeval.OutcomeNone }},
		{"area", func(r *riskeval.Result) { r.Factors[0].Area = riskeval.Area(200) }},
		{"decided by", func(r *riskeval.Result) { r.Residual.DecidedBy = riskeval.LevelRule(77) }},
		{"basis", func(r *riskeval.Result) { r.Profile.Basis = riskeval.BasisNone }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := evaluatedResults(t, rand.New(rand.NewPCG(2, 2)), 1)[0]
			tc.spoil(&r)
			if _, err := r.MarshalJSON(); err == nil {
				t.Fatal("invalid value encoded")
			}
		})
	}
}

// Any result renders: the steps have the same keys in both languages, and
// the JSON form, unless a closed value is out of its set, is valid JSON
// whose explanation has those keys.
func FuzzExplain(f *testing.F) {
	f.Add(uint64(1), "F1", "households", "practice", int64(36), int32(-2))
	f.Add(uint64(2), "<&>", "a \"b\" \\ \x00", "\xff", int64(-1), int32(-19))
	f.Add(uint64(3), "中\u2028", "\xe4\xb8", "🙂", int64(1)<<62, int32(18))
	f.Fuzz(func(t *testing.T, seed uint64, id, frame, name string, coef int64, exp int32) {
		rng := rand.New(rand.NewPCG(seed, seed>>1))
		r := randomResult(rng)
		r.Profile.Name = name
		d := decimal.New(coef, exp%40)
		r.Weights.Sum, r.Rules.FactorThresholds.LowMax, r.Initial.Index = d, d, d
		if len(r.Factors) > 0 {
			r.Factors[0].ID, r.Factors[0].Initial.Score, r.Factors[0].Weight = id, d, d
		}
		if r.Survey != nil {
			r.Survey.Frame = frame
		}
		en, zh := r.ExplainIn(ssra.LangEN), r.ExplainIn(ssra.LangZH)
		if len(en) != len(zh) {
			t.Fatalf("%d English steps, %d Chinese", len(en), len(zh))
		}
		for i := range en {
			if en[i].Key != zh[i].Key {
				t.Fatalf("step %d: key %q in English, %q in Chinese", i, en[i].Key, zh[i].Key)
			}
		}
		b, err := r.MarshalJSON()
		if err != nil {
			return // a closed value out of its set, as randomResult may draw
		}
		var back struct{ Explanation riskeval.Explanation }
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("invalid JSON: %v\n%s", err, b)
		}
		// encoding/json writes invalid UTF-8 as U+FFFD: compare with the
		// steps as it writes them.
		want, err := json.Marshal(en)
		if err != nil {
			t.Fatal(err)
		}
		var wantBack riskeval.Explanation
		if err := json.Unmarshal(want, &wantBack); err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(back.Explanation, wantBack) {
			t.Fatalf("JSON explanation\n got %q\nwant %q", back.Explanation, wantBack)
		}
	})
}
