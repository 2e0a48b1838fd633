package riskeval_test

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// indexByHand recomputes R = Σ wᵢ·pᵢ·iᵢ from the profile's grades,
// independently of the evaluator's table of cells.
func indexByHand(p riskeval.Profile, a riskeval.Assessment, residual bool) decimal.Decimal {
	def := p.Def()
	sum := decimal.Zero
	for _, f := range a.Factors {
		e := f.Initial
		if residual {
			e = *f.Residual
		}
		r := def.Probability.Points[e.Probability-1].Grade.Mul(def.Impact.Points[e.Impact-1].Grade)
		sum = sum.Add(f.Weight.Mul(r))
	}
	return sum
}

func TestEvaluateByHand(t *testing.T) {
	p := preset(t, "practice")
	// R0 = 0.5·(0.8·0.8) + 0.3·(0.6·0.6) + 0.2·(0.4·1.0) = 0.32 + 0.108 + 0.08 = 0.508
	// R1 = 0.5·(0.4·0.6) + 0.3·(0.2·0.6) + 0.2·(0.2·1.0) = 0.12 + 0.036 + 0.04 = 0.196
	a := complete("ndrc2012_project",
		factor("F1", "0.5", 4, 4, 2, 3),
		factor("F2", "0.3", 3, 3, 1, 3),
		factor("F3", "0.2", 2, 5, 1, 5),
	)
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct{ name, got, want string }{
		{"initial index", res.Initial.Index.String(), "0.508"},
		{"initial level", res.Initial.Level.String(), "medium"},
		{"residual index", res.Residual.Index.String(), "0.196"},
		{"residual level", res.Residual.Level.String(), "low"},
		{"F1 initial score", res.Factors[0].Initial.Score.String(), "0.64"},
		{"F1 initial level", res.Factors[0].Initial.Level.String(), "medium"},
		{"F3 initial level", res.Factors[2].Initial.Level.String(), "medium"},
		{"decision", res.Decision.Outcome.String(), "approve_with_measures"},
		{"profile", res.Profile.Name + " v" + res.Profile.Version, "practice v1"},
		{"weight sum", res.Weights.Sum.String(), "1"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %s, want %s", c.name, c.got, c.want)
		}
	}
	if !res.Initial.Exact.Equal(indexByHand(p, a, false)) || !res.Residual.Exact.Equal(indexByHand(p, a, true)) {
		t.Errorf("exact sums differ from the hand computation")
	}
	if len(res.Warnings) != 0 {
		t.Errorf("unexpected warnings %v", res.Warnings)
	}
}

// Index thresholds are inclusive upper bounds, read from the index rounded
// to 6 places.
func TestIndexBoundaries(t *testing.T) {
	p := preset(t, "practice")
	for _, tc := range []struct {
		name    string
		weights [2]string
		// F1 scores 0.36 (p3, i3), F2 scores 0.64 (p4, i4): R = w1·0.36 + w2·0.64.
		index, level string
	}{
		{"exactly 0.36 is low", [2]string{"1", "0"}, "0.36", "low"},
		{"exactly 0.64 is medium", [2]string{"0", "1"}, "0.64", "medium"},
		{"just above 0.36", [2]string{"0.999996", "0.000004"}, "0.360001", "medium"},
		{"rounds down to 0.36", [2]string{"0.999999", "0.000001"}, "0.36", "low"},
		{"half-up rounding", [2]string{"0.99999", "0.00001"}, "0.360003", "medium"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f1 := factor("F1", tc.weights[0], 3, 3, 3, 3)
			f2 := factor("F2", tc.weights[1], 4, 4, 4, 4)
			def := p.Def()
			def.FloorRules = nil
			res, err := riskeval.Evaluate(complete("central2012_decision", f1, f2), build(t, def))
			if err != nil {
				t.Fatal(err)
			}
			if got := res.Initial.Index.String(); got != tc.index {
				t.Errorf("index %s, want %s (exact %s)", got, tc.index, res.Initial.Exact)
			}
			if got := res.Initial.Level.String(); got != tc.level {
				t.Errorf("level %s, want %s", got, tc.level)
			}
		})
	}
}

func TestFloorRule(t *testing.T) {
	p := preset(t, "practice")
	// One high factor (0.8·1.0) with a small weight: index low, floor medium.
	a := complete("central2012_decision", factor("F1", "0.9", 1, 1, 1, 1), factor("F2", "0.1", 5, 5, 4, 5))
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	r := res.Residual
	if r.IndexLevel != riskeval.LevelLow || r.Level != riskeval.LevelMedium || r.DecidedBy != riskeval.RuleFloor || r.FloorRule != "high_factor_floor_medium" {
		t.Fatalf("residual %+v", r)
	}
	if res.Decision.Outcome != riskeval.OutcomeApproveWithMeasures {
		t.Fatalf("decision %s", res.Decision.Outcome)
	}
	// A second rule raising to high when two factors are high.
	def := p.Def()
	def.FloorRules = append(def.FloorRules, riskeval.FloorRule{Name: "two_high", FactorLevel: riskeval.LevelHigh, MinCount: 2, Floor: riskeval.LevelHigh})
	a.Factors = append(a.Factors, factor("F3", "0", 5, 5, 5, 5))
	res, err = riskeval.Evaluate(a, build(t, def))
	if err != nil {
		t.Fatal(err)
	}
	if res.Residual.Level != riskeval.LevelHigh || res.Residual.FloorRule != "two_high" {
		t.Fatalf("two high: %+v", res.Residual)
	}
}

func TestRegimeDecisions(t *testing.T) {
	p := preset(t, "practice")
	levels := map[string]riskeval.Factor{
		"low":    factor("F1", "1", 1, 1, 1, 1),
		"medium": factor("F1", "1", 3, 4, 3, 4),
		"high":   factor("F1", "1", 5, 5, 5, 5),
	}
	want := map[string]map[string]string{
		"ndrc2012_project":     {"low": "approve_with_measures", "medium": "reject", "high": "reject"},
		"central2012_decision": {"low": "approve", "medium": "approve_with_measures", "high": "revise_and_reassess"},
		"order713_2019":        {"low": "approve", "medium": "approve_with_measures", "high": "revise_and_reassess"},
	}
	for regime, byLevel := range want {
		for lv, outcome := range byLevel {
			res, err := riskeval.Evaluate(complete(regime, levels[lv]), p)
			if err != nil {
				t.Fatal(err)
			}
			if res.Residual.Level.String() != lv || res.Decision.Outcome.String() != outcome {
				t.Errorf("%s/%s: level %s outcome %s, want %s", regime, lv, res.Residual.Level, res.Decision.Outcome, outcome)
			}
		}
	}
}

func TestMatrixProfile(t *testing.T) {
	p := preset(t, "textbook5x5")
	for _, tc := range []struct {
		p, i          int
		degree, level string
	}{
		{1, 1, "n", "low"}, {3, 3, "m", "medium"}, {5, 3, "h", "high"}, {5, 5, "s", "high"}, {2, 5, "h", "high"}, {1, 5, "m", "medium"}, {4, 2, "m", "medium"},
	} {
		res, err := riskeval.Evaluate(complete("order713_2019", factor("F1", "1", tc.p, tc.i, tc.p, tc.i)), p)
		if err != nil {
			t.Fatal(err)
		}
		e := res.Factors[0].Residual
		if e.Degree.String() != tc.degree || e.Level.String() != tc.level || e.DecidedBy != riskeval.RuleMatrix {
			t.Errorf("(%d,%d): degree %s level %s by %s, want %s %s", tc.p, tc.i, e.Degree, e.Level, e.DecidedBy, tc.degree, tc.level)
		}
	}
}

func TestNormaliseWeights(t *testing.T) {
	p := preset(t, "practice")
	a := complete("order713_2019", factor("F1", "1", 2, 2, 1, 1), factor("F2", "1", 2, 2, 1, 1), factor("F3", "1", 2, 2, 1, 1))
	_, err := riskeval.Evaluate(a, p)
	if !hasProblem(ssra.ProblemsOf(err), "weights.sum", "factors") {
		t.Fatalf("unnormalised weights accepted: %v", err)
	}
	a.NormaliseWeights = true
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	w := []string{res.Factors[0].Weight.String(), res.Factors[1].Weight.String(), res.Factors[2].Weight.String()}
	if strings.Join(w, ",") != "0.333334,0.333333,0.333333" || !res.Weights.Normalised || res.Weights.Sum.String() != "3" {
		t.Fatalf("weights %v %+v", w, res.Weights)
	}
	if len(res.Weights.Adjusted) != 1 || res.Weights.Adjusted[0] != 0 {
		t.Fatalf("adjusted %v", res.Weights.Adjusted)
	}
	found := false
	for _, s := range res.Explain() {
		if s.Key == "weights" && strings.Contains(s.Text, "largest remainder") {
			found = true
		}
	}
	if !found {
		t.Fatal("normalisation not explained")
	}
	a.Factors[0].Weight, a.Factors[1].Weight, a.Factors[2].Weight = d("0"), d("0"), d("0")
	if _, err := riskeval.Evaluate(a, p); !hasProblem(ssra.ProblemsOf(err), "weights.sum_zero", "factors") {
		t.Fatalf("zero weights: %v", err)
	}
}

func TestWeightTolerance(t *testing.T) {
	p := preset(t, "practice")
	a := complete("order713_2019", factor("F1", "0.3333", 2, 2, 1, 1), factor("F2", "0.3333", 2, 2, 1, 1), factor("F3", "0.3333", 2, 2, 1, 1))
	if _, err := riskeval.Evaluate(a, p); err == nil {
		t.Fatal("0.9999 accepted with zero tolerance")
	}
	def := p.Def()
	def.WeightTolerance = d("0.001")
	if _, err := riskeval.Evaluate(a, build(t, def)); err != nil {
		t.Fatalf("within tolerance: %v", err)
	}
}

func TestEvaluateInvalid(t *testing.T) {
	p := preset(t, "practice")
	a := complete("nope",
		factor("F1", "0.5", 6, 1, 1, 0),
		factor("F1", "0.5", 1, 1, 1, 1),
		riskeval.Factor{ID: "", Weight: d("-0.1"), Initial: riskeval.Estimate{Probability: 1, Impact: 1}},
	)
	a.Criteria = append(a.Criteria, riskeval.CriterionAnswer{Criterion: riskeval.CriterionSafety, Question: "q", Answer: riskeval.AnswerNo, Measures: []string{"M-missing"}})
	_, err := riskeval.Evaluate(a, p)
	if ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("kind %v", ssra.KindOf(err))
	}
	ps := ssra.ProblemsOf(err)
	for _, w := range []struct{ code, field string }{
		{"assessment.regime_unknown", "regime"},
		{"estimate.out_of_scale", "factors[0].initial.probability"},
		{"estimate.out_of_scale", "factors[0].residual.impact"},
		{"factor.id_duplicate", "factors[1].id"},
		{"factor.id_missing", "factors[2].id"},
		{"factor.area_unknown", "factors[2].area"},
		{"factor.name_missing", "factors[2].name"},
		{"factor.weight_negative", "factors[2].weight"},
		{"factor.residual_missing", "factors[2].residual"},
		{"measure.id_duplicate", "factors[1].measures[0].id"},
		{"criterion.measure_unknown", "criteria[4].measures[0]"},
	} {
		if !hasProblem(ps, w.code, w.field) {
			t.Errorf("missing %s at %s", w.code, w.field)
		}
	}
	for _, p := range ps {
		if p.Severity != ssra.SeverityError {
			t.Errorf("warning in error list: %v", p)
		}
	}
}

func TestQualityFindings(t *testing.T) {
	p := preset(t, "practice")
	a := complete("order713_2019", factor("F1", "0.5", 2, 2, 3, 3), factor("F2", "0.5", 4, 4, 2, 2))
	a.Factors[1].Measures = nil
	a.Criteria[1].Answer = riskeval.AnswerNo
	a.Consultations[0].CommentDays = 20
	a.Survey = &riskeval.Survey{Support: 10, Oppose: 5}
	a.Panel = &riskeval.Panel{Size: 3, Recusals: 1, Writer: "x", Reviewer: "x"}
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []struct{ code, field string }{
		{"factor.residual_above_initial", "factors[0].residual"},
		{"factor.lowered_without_measure", "factors[1].measures"},
		{"criterion.no_without_measure", "criteria[1].measures"},
		{"consultation.comment_period_short", "consultations"},
		{"survey.sample_undescribed", "survey"},
		{"panel.too_small", "panel.size"},
		{"panel.writer_is_reviewer", "panel.reviewer"},
	} {
		if !hasProblem(res.Warnings, w.code, w.field) {
			t.Errorf("missing warning %s at %s; have %v", w.code, w.field, res.Warnings)
		}
	}
	for _, w := range res.Warnings {
		if w.Severity != ssra.SeverityWarning {
			t.Errorf("not a warning: %v", w)
		}
	}
	// Under the NDRC regime there is no comment-period rule.
	a.Regime = "ndrc2012_project"
	res, _ = riskeval.Evaluate(a, p)
	if hasProblem(res.Warnings, "consultation.comment_period_short", "") {
		t.Error("comment period flagged outside order713")
	}
	// A large project needs five experts.
	a.Panel = &riskeval.Panel{Size: 3}
	a.Subject.Investment = d("1000000000")
	res, _ = riskeval.Evaluate(a, p)
	if !hasProblem(res.Warnings, "panel.too_small", "") {
		t.Error("3 experts accepted for a 1 bn project")
	}
}

func TestSurveySuggestion(t *testing.T) {
	p := preset(t, "practice")
	for _, tc := range []struct {
		oppose, other int
		level         string
	}{
		{50, 50, "high"}, {49, 51, "medium"}, {20, 80, "medium"}, {19, 81, "low"}, {0, 10, "low"},
	} {
		a := complete("order713_2019", factor("F1", "1", 1, 1, 1, 1))
		a.Survey = &riskeval.Survey{Frame: "f", Distributed: 200, Oppose: tc.oppose, Support: tc.other}
		res, err := riskeval.Evaluate(a, p)
		if err != nil {
			t.Fatal(err)
		}
		s := res.Survey
		if s.Suggested.String() != tc.level || !s.Advisory {
			t.Errorf("%d/%d: %s, want %s", tc.oppose, tc.oppose+tc.other, s.Suggested, tc.level)
		}
		if res.Residual.Level != riskeval.LevelLow {
			t.Errorf("the survey changed the level")
		}
	}
	a := complete("order713_2019", factor("F1", "1", 1, 1, 1, 1))
	a.Survey = &riskeval.Survey{Frame: "f", Distributed: 5, Oppose: 5, Support: 5}
	if _, err := riskeval.Evaluate(a, p); !hasProblem(ssra.ProblemsOf(err), "survey.valid_above_distributed", "survey.distributed") {
		t.Fatalf("valid above distributed: %v", err)
	}
}

// A profile is immutable: changing the definition it was built from, or
// the one Def returns, does not change it; a profile built from a changed
// definition is honoured; an invalid definition builds no profile; the
// zero profile is refused.
func TestProfileIsImmutable(t *testing.T) {
	def := preset(t, "practice").Def()
	p := build(t, def)
	a := complete("order713_2019", factor("F1", "1", 3, 3, 3, 3)) // 0.36: low
	def.IndexThresholds.LowMax = d("0.3")
	def.FactorThresholds.LowMax = d("0.3")
	def.Probability.Points[2].Grade = d("0.7")
	p.Def().Probability.Points[2].Grade = d("0.7")
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	if res.Residual.Level != riskeval.LevelLow || res.Residual.Index.String() != "0.36" {
		t.Fatalf("a change to the definition reached the profile: %s %s", res.Residual.Level, res.Residual.Index)
	}
	res, err = riskeval.Evaluate(a, build(t, def))
	if err != nil {
		t.Fatal(err)
	}
	if res.Residual.Index.String() != "0.42" || res.Residual.Level != riskeval.LevelMedium || res.Factors[0].Residual.Level != riskeval.LevelMedium {
		t.Fatalf("changed definition ignored: %s %s %s", res.Residual.Index, res.Residual.Level, res.Factors[0].Residual.Level)
	}
	def.Probability.Points[2].Grade = d("0.1") // breaks the order
	if _, err := riskeval.NewProfile(def); !hasProblem(ssra.ProblemsOf(err), "profile.grade_order", "probability.points[2].grade") {
		t.Fatalf("invalid definition: %v", err)
	}
	if _, err := riskeval.Evaluate(a, riskeval.Profile{}); !hasProblem(ssra.ProblemsOf(err), "profile.missing", "profile") {
		t.Fatalf("zero profile: %v", err)
	}
}

func TestResultJSON(t *testing.T) {
	res, err := riskeval.Evaluate(complete("order713_2019", factor("F1", "0.1", 3, 3, 2, 2), factor("F2", "0.9", 1, 2, 1, 1)), preset(t, "practice"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if _, ok := m["explanation"].([]any); !ok {
		t.Fatal("no explanation in JSON")
	}
	resid := m["residual"].(map[string]any)
	if _, ok := resid["index"].(string); !ok {
		t.Fatalf("index not a string: %T", resid["index"])
	}
	if m["decision"].(map[string]any)["outcome"] != "approve" {
		t.Fatalf("decision %v", m["decision"])
	}
}

// randomAssessment draws a valid assessment with exact weights.
func randomAssessment(rng *rand.Rand, n int) riskeval.Assessment {
	fs := make([]riskeval.Factor, n)
	left := int64(1000000)
	for i := range fs {
		w := left
		if i < n-1 {
			w = rng.Int64N(left + 1)
		}
		left -= w
		fs[i] = factor("F"+string(rune('A'+i%26))+string(rune('a'+i/26)), decimal.New(w, -6).String(),
			rng.IntN(5)+1, rng.IntN(5)+1, rng.IntN(5)+1, rng.IntN(5)+1)
	}
	return complete("order713_2019", fs...)
}

// Raising a probability or an impact never lowers a factor's level, the
// index or the overall level, under either preset.
func TestPropertyMonotone(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, name := range []string{"practice", "textbook5x5"} {
		p := preset(t, name)
		for iter := 0; iter < 300; iter++ {
			a := randomAssessment(rng, rng.IntN(12)+1)
			before, err := riskeval.Evaluate(a, p)
			if err != nil {
				t.Fatal(err)
			}
			k := rng.IntN(len(a.Factors))
			r := *a.Factors[k].Residual
			if rng.IntN(2) == 0 && r.Probability < 5 {
				r.Probability++
			} else if r.Impact < 5 {
				r.Impact++
			} else {
				continue
			}
			a.Factors[k].Residual = &r
			after, err := riskeval.Evaluate(a, p)
			if err != nil {
				t.Fatal(err)
			}
			if after.Factors[k].Residual.Level < before.Factors[k].Residual.Level ||
				after.Residual.Index.Cmp(before.Residual.Index) < 0 ||
				after.Residual.Level < before.Residual.Level {
				t.Fatalf("%s: raising factor %d lowered the result: %+v → %+v", name, k, before.Residual, after.Residual)
			}
		}
	}
}

// The fixed-point index equals the plain decimal computation for random
// assessments, including weights with many decimal places.
func TestPropertyIndexExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	p := preset(t, "practice")
	for iter := 0; iter < 500; iter++ {
		a := randomAssessment(rng, rng.IntN(40)+1)
		if iter%3 == 0 {
			// Weights with 18 places, normalised by the evaluator.
			for i := range a.Factors {
				a.Factors[i].Weight = decimal.New(rng.Int64N(1e18), -18)
			}
			a.NormaliseWeights = true
		}
		res, err := riskeval.Evaluate(a, p)
		if err != nil {
			t.Fatal(err)
		}
		for i := range a.Factors {
			a.Factors[i].Weight = res.Factors[i].Weight
		}
		for _, side := range []bool{false, true} {
			want := indexByHand(p, a, side)
			got := res.Initial
			if side {
				got = res.Residual
			}
			if !got.Exact.Equal(want) || !got.Index.Equal(want.Round(6)) {
				t.Fatalf("index %s / %s, want %s", got.Exact, got.Index, want)
			}
		}
	}
}

func TestValidateReportsWarningsAndErrors(t *testing.T) {
	p := preset(t, "practice")
	a := complete("order713_2019", factor("F1", "1", 2, 2, 3, 3))
	a.Factors[0].Initial.Probability = 0
	ps := riskeval.Validate(a, p)
	if !ps.HasErrors() || !hasProblem(ps, "estimate.out_of_scale", "factors[0].initial.probability") {
		t.Fatalf("%v", ps)
	}
	a.Factors[0].Initial.Probability = 2
	ps = riskeval.Validate(a, p)
	if ps.HasErrors() || !hasProblem(ps, "factor.residual_above_initial", "") {
		t.Fatalf("%v", ps)
	}
}

func TestExplainInBothLanguages(t *testing.T) {
	a := complete("central2012_decision", factor("F1", "0.9", 1, 1, 1, 1), factor("F2", "0.1", 5, 5, 4, 5))
	a.Survey = &riskeval.Survey{Frame: "f", Distributed: 100, Support: 60, Oppose: 30}
	res, err := riskeval.Evaluate(a, preset(t, "practice"))
	if err != nil {
		t.Fatal(err)
	}
	en, zh := res.ExplainIn(ssra.LangEN), res.ExplainIn(ssra.LangZH)
	if len(en) != len(zh) {
		t.Fatalf("%d English steps, %d Chinese", len(en), len(zh))
	}
	for i := range en {
		if en[i].Key != zh[i].Key {
			t.Fatalf("step %d: key %s vs %s", i, en[i].Key, zh[i].Key)
		}
		if en[i].Text == zh[i].Text {
			t.Errorf("step %s not translated", en[i].Key)
		}
	}
	var floor string
	for _, s := range zh {
		if s.Key == "floor.residual" {
			floor = s.Text
		}
	}
	if !strings.Contains(floor, "high_factor_floor_medium") || !strings.Contains(floor, "中风险") {
		t.Fatalf("floor step %q", floor)
	}
}
