package riskeval_test

import (
	"encoding/json"
	"strings"
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
	ap, err = riskeval.GateDecision(a, p, steps())
	if err != nil || ap.Outcome != riskeval.OutcomeApprove || len(ap.Imposed) != 0 || len(ap.Warnings) != 0 || ap.Steps == nil {
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
		a, err := riskeval.DecodeAssessment(b)
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
		p, err := riskeval.DecodeProfile(b)
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

// Order 713's procedure (order713_2019): each unmet condition refuses with
// its code and field; under ndrc2012_project the same gap is a warning on
// the approval that names the regime; a recorded step that is incomplete or
// out of order refuses under every regime.
func TestGateOrder713Procedure(t *testing.T) {
	p := preset(t, "practice")
	for _, tc := range []struct {
		name     string
		mutate   func(a *riskeval.Assessment, s *riskeval.DecisionSteps)
		code     string
		field    string
		everyway bool // refuses under every regime
	}{
		{"no consultation", func(a *riskeval.Assessment, _ *riskeval.DecisionSteps) { a.Consultations = nil }, "gate.consultation_missing", "consultations", false},
		{"expert review only", func(a *riskeval.Assessment, _ *riskeval.DecisionSteps) {
			a.Consultations = []riskeval.Consultation{{Method: riskeval.ConsultationExpertReview, Date: ssra.MustDate(2026, 9, 1), CommentDays: 30}}
		}, "gate.consultation_missing", "consultations", false},
		{"comment period 29 days", func(a *riskeval.Assessment, _ *riskeval.DecisionSteps) { a.Consultations[0].CommentDays = 29 }, "gate.comment_period_short", "consultations", false},
		{"no panel", func(a *riskeval.Assessment, _ *riskeval.DecisionSteps) { a.Panel = nil }, "gate.panel_missing", "panel", false},
		{"every expert recused", func(a *riskeval.Assessment, _ *riskeval.DecisionSteps) {
			a.Panel = &riskeval.Panel{Size: 3, Recusals: 3}
		}, "gate.panel_missing", "panel", false},
		{"no emergency plan", func(a *riskeval.Assessment, _ *riskeval.DecisionSteps) { a.EmergencyPlan = " " }, "gate.emergency_plan_missing", "emergency_plan", false},
		{"no without a measure", func(a *riskeval.Assessment, _ *riskeval.DecisionSteps) { a.Criteria[1].Answer = riskeval.AnswerNo }, "gate.no_without_measure", "criteria[1].measures", false},
		{"no legality review", func(_ *riskeval.Assessment, s *riskeval.DecisionSteps) { s.LegalityReview = nil }, "gate.legality_review_missing", "legality_review", false},
		{"no collective decision", func(_ *riskeval.Assessment, s *riskeval.DecisionSteps) { s.CollectiveDecision = nil }, "gate.collective_decision_missing", "collective_decision", false},
		{"review without reference", func(_ *riskeval.Assessment, s *riskeval.DecisionSteps) { s.LegalityReview.Reference = "" }, "gate.legality_review_invalid", "legality_review.reference", true},
		{"decision without who", func(_ *riskeval.Assessment, s *riskeval.DecisionSteps) { s.CollectiveDecision.By = "" }, "gate.collective_decision_invalid", "collective_decision.by", true},
		{"decision without date", func(_ *riskeval.Assessment, s *riskeval.DecisionSteps) { s.CollectiveDecision.On = ssra.Date{} }, "gate.collective_decision_invalid", "collective_decision.on", true},
		{"decision before review", func(_ *riskeval.Assessment, s *riskeval.DecisionSteps) {
			s.CollectiveDecision.On = ssra.MustDate(2026, 10, 7)
		}, "gate.collective_decision_order", "collective_decision.on", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, regime := range []string{"order713_2019", "ndrc2012_project"} {
				a := complete(regime, factor("F1", "0.6", 4, 4, 2, 2), factor("F2", "0.4", 3, 3, 1, 2))
				a.Criteria = append([]riskeval.CriterionAnswer(nil), a.Criteria...)
				s := steps()
				lr, cd := *s.LegalityReview, *s.CollectiveDecision
				s.LegalityReview, s.CollectiveDecision = &lr, &cd
				tc.mutate(&a, &s)
				ap, err := riskeval.GateDecision(a, p, s)
				if regime == "order713_2019" || tc.everyway {
					if ssra.KindOf(err) != ssra.KindPreconditionFailed || !hasProblem(ssra.ProblemsOf(err), tc.code, tc.field) {
						t.Fatalf("%s: want refusal %s at %s, got %v", regime, tc.code, tc.field, err)
					}
					continue
				}
				if err != nil {
					t.Fatalf("%s: refused: %v", regime, err)
				}
				if tc.code == "gate.comment_period_short" {
					// ndrc2012_project sets no comment period (min_comment_days 0).
					if hasProblem(ap.Warnings, tc.code, "") {
						t.Fatalf("%s: comment period warned without a rule: %v", regime, ap.Warnings)
					}
					continue
				}
				if !hasProblem(ap.Warnings, tc.code, tc.field) || ap.Warnings[0].Severity != ssra.SeverityWarning || !strings.Contains(ap.Warnings[0].Message, "ndrc2012_project") {
					t.Fatalf("%s: want warning %s at %s naming the regime, got %v", regime, tc.code, tc.field, ap.Warnings)
				}
			}
		})
	}
}

// Order 713 art. 15 lets urgency shorten the comment period when the
// consultation says why: a warning, not a refusal.
func TestGateOrder713ShortenedComment(t *testing.T) {
	a := complete("order713_2019", factor("F1", "0.6", 4, 4, 2, 2), factor("F2", "0.4", 3, 3, 1, 2))
	a.Consultations = []riskeval.Consultation{{Method: riskeval.ConsultationPublicNotice, Date: ssra.MustDate(2026, 9, 1), CommentDays: 10, ShortenedReason: "汛期抢险工程，情况紧急"}}
	ap, err := riskeval.GateDecision(a, preset(t, "practice"), steps())
	if err != nil {
		t.Fatal(err)
	}
	if !hasProblem(ap.Warnings, "gate.comment_period_short", "consultations") {
		t.Fatalf("warnings %v", ap.Warnings)
	}
	// Gate without steps refuses under Order 713, listing both steps.
	_, err = riskeval.Gate(a, preset(t, "practice"))
	got := problemCodes(ssra.ProblemsOf(err))
	if len(got["gate.legality_review_missing"]) != 1 || len(got["gate.collective_decision_missing"]) != 1 {
		t.Fatalf("Gate without steps: %v", got)
	}
}
