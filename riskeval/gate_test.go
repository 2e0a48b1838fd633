package riskeval_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

func TestGatePasses(t *testing.T) {
	p := preset(t, "practice")
	a := complete("ndrc2012_project", factor("F1", "0.6", 4, 4, 2, 2), factor("F2", "0.4", 3, 3, 1, 2))
	ap, err := riskeval.Gate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	if ap.Outcome != riskeval.OutcomeApproveWithMeasures || len(ap.Imposed) != 2 || ap.Assessed != "A1" {
		t.Fatalf("%+v", ap)
	}
	a.Regime = "order713_2019"
	ap, err = riskeval.Gate(a, p)
	if err != nil || ap.Outcome != riskeval.OutcomeApprove || len(ap.Imposed) != 0 {
		t.Fatalf("order713 low: %+v %v", ap, err)
	}
}

func TestGateRefuses(t *testing.T) {
	p := preset(t, "practice")
	for _, tc := range []struct {
		name   string
		mutate func(a *riskeval.Assessment)
		code   string
		field  string
	}{
		{"draft", func(a *riskeval.Assessment) { a.Status = riskeval.StatusDraft }, "gate.not_issued", "status"},
		{"under review", func(a *riskeval.Assessment) { a.Status = riskeval.StatusUnderReview }, "gate.not_issued", "status"},
		{"unanswered question", func(a *riskeval.Assessment) { a.Criteria[2].Answer = riskeval.AnswerNone }, "gate.criterion_unanswered", "criteria[2].answer"},
		{"criterion missing", func(a *riskeval.Assessment) { a.Criteria = a.Criteria[:3] }, "gate.criterion_missing", "criteria"},
		{"no residual", func(a *riskeval.Assessment) { a.Factors[1].Residual = nil }, "gate.residual_missing", "factors[1].residual"},
		{"measure without owner", func(a *riskeval.Assessment) { a.Factors[0].Measures[0].Owner = "" }, "gate.measure_owner_missing", "factors[0].measures[0].owner"},
		{"measure without due date", func(a *riskeval.Assessment) { a.Factors[1].Measures[0].Due = ssra.Date{} }, "gate.measure_due_missing", "factors[1].measures[0].due"},
		{"medium NDRC project", func(a *riskeval.Assessment) { a.Factors[0].Residual = est(4, 4) }, "gate.outcome", "decision.outcome"},
		{"invalid assessment", func(a *riskeval.Assessment) { a.Factors[0].Weight = d("0.7") }, "gate.invalid", "factors"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := complete("ndrc2012_project", factor("F1", "0.6", 4, 4, 2, 2), factor("F2", "0.4", 3, 3, 1, 2))
			a.Factors[0].Measures = append([]riskeval.Measure(nil), a.Factors[0].Measures...)
			a.Factors[1].Measures = append([]riskeval.Measure(nil), a.Factors[1].Measures...)
			tc.mutate(&a)
			_, err := riskeval.Gate(a, p)
			if ssra.KindOf(err) != ssra.KindPreconditionFailed {
				t.Fatalf("kind %v (%v)", ssra.KindOf(err), err)
			}
			if !hasProblem(ssra.ProblemsOf(err), tc.code, tc.field) {
				t.Fatalf("want %s at %s, got %v", tc.code, tc.field, ssra.ProblemsOf(err))
			}
		})
	}
}

// Every unmet condition is listed at once.
func TestGateListsEveryCondition(t *testing.T) {
	p := preset(t, "practice")
	a := complete("ndrc2012_project", factor("F1", "0.6", 4, 4, 4, 4), factor("F2", "0.4", 3, 3, 1, 2))
	a.Status = riskeval.StatusSubmitted
	a.Factors[1].Measures = []riskeval.Measure{{ID: "X", Description: "x"}}
	_, err := riskeval.Gate(a, p)
	got := problemCodes(ssra.ProblemsOf(err))
	for _, c := range []string{"gate.not_issued", "gate.outcome", "gate.measure_owner_missing", "gate.measure_due_missing"} {
		if len(got[c]) == 0 {
			t.Errorf("missing %s in %v", c, got)
		}
	}
}

func FuzzDecodeAssessment(f *testing.F) {
	a := complete("ndrc2012_project", factor("F1", "0.6", 4, 4, 2, 2), factor("F2", "0.4", 3, 3, 1, 2))
	a.Survey = &riskeval.Survey{Frame: "f", Distributed: 100, Support: 50, Oppose: 30, Neutral: 10}
	seed, _ := json.Marshal(a)
	f.Add(seed)
	f.Add([]byte(`{"regime":"order713_2019","factors":[{"id":"a","area":"media_opinion","name":"x","weight":"1","initial":{"probability":9,"impact":1}}]}`))
	f.Add([]byte(`{"factors":[{"weight":"1e9999"}]}`))
	f.Add([]byte(`{"factors":[{"weight":1e-30,"area":"nope"}]}`))
	f.Add([]byte(`{"survey":{"oppose":-1}}`))
	p := preset(f, "textbook5x5")
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := riskeval.DecodeAssessment(bytes.NewReader(b))
		if err != nil {
			if ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("decode error of kind %v: %v", ssra.KindOf(err), err)
			}
			return
		}
		res, err := riskeval.Evaluate(a, p)
		if err != nil {
			if ssra.KindOf(err) != ssra.KindInvalid || len(ssra.ProblemsOf(err)) == 0 {
				t.Fatalf("evaluate error without problems: %v", err)
			}
			return
		}
		if !res.Residual.Level.Valid() || !res.Decision.Outcome.Valid() {
			t.Fatalf("valid assessment without level or outcome: %+v", res)
		}
		if _, err := json.Marshal(res); err != nil {
			t.Fatal(err)
		}
		_, _ = riskeval.Gate(a, p)
	})
}

func FuzzDecodeProfile(f *testing.F) {
	for _, n := range riskeval.PresetNames() {
		b, _ := json.Marshal(preset(f, n))
		f.Add(b)
	}
	f.Add([]byte(`{"name":"x","probability":{"points":[]}}`))
	a := complete("order713_2019", factor("F1", "0.5", 3, 3, 2, 2), factor("F2", "0.5", 1, 2, 1, 1))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := riskeval.DecodeProfile(bytes.NewReader(b))
		if err != nil {
			if ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("kind %v: %v", ssra.KindOf(err), err)
			}
			return
		}
		if ps := p.Def().Validate(); ps.HasErrors() {
			t.Fatalf("decoded profile is invalid: %v", ps)
		}
		if _, err := riskeval.Evaluate(a, p); err != nil && ssra.KindOf(err) != ssra.KindInvalid {
			t.Fatalf("evaluate: %v", err)
		}
	})
}
