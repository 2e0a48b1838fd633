package riskeval_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func preset(t testing.TB, name string) riskeval.Profile {
	t.Helper()
	p, err := riskeval.Preset(name)
	if err != nil {
		t.Fatalf("Preset(%q): %v", name, err)
	}
	return p
}

// build builds a profile from a definition, failing the test when it is
// invalid.
func build(t testing.TB, def riskeval.ProfileDef) riskeval.Profile {
	t.Helper()
	p, err := riskeval.NewProfile(def)
	if err != nil {
		t.Fatalf("NewProfile: %v", err)
	}
	return p
}

func est(p, i int) *riskeval.Estimate { return &riskeval.Estimate{Probability: p, Impact: i} }

// factor returns a valid factor with one measure.
func factor(id, weight string, ip, ii, rp, ri int) riskeval.Factor {
	return riskeval.Factor{
		ID: id, Area: riskeval.AreaEcologicalEnvironment, Name: "factor " + id, Weight: d(weight),
		Initial: riskeval.Estimate{Probability: ip, Impact: ii}, Residual: est(rp, ri),
		Measures: []riskeval.Measure{{ID: "M-" + id, Description: "measure", Owner: "owner", Due: ssra.MustDate(2027, 6, 30)}},
	}
}

// complete returns a finished, issued assessment with the given factors.
func complete(regime string, fs ...riskeval.Factor) riskeval.Assessment {
	return riskeval.Assessment{
		ID:      "A1",
		Subject: riskeval.Subject{Kind: riskeval.SubjectProject, Name: "plant", ResponsibleUnit: "bureau"},
		Regime:  regime,
		Status:  riskeval.StatusIssued,
		Criteria: []riskeval.CriterionAnswer{
			{Criterion: riskeval.CriterionLegality, Question: "q1", Answer: riskeval.AnswerYes},
			{Criterion: riskeval.CriterionReasonableness, Question: "q2", Answer: riskeval.AnswerYes},
			{Criterion: riskeval.CriterionFeasibility, Question: "q3", Answer: riskeval.AnswerYes},
			{Criterion: riskeval.CriterionControllability, Question: "q4", Answer: riskeval.AnswerYes},
		},
		Factors:       fs,
		Consultations: []riskeval.Consultation{{Method: riskeval.ConsultationPublicNotice, Date: ssra.MustDate(2026, 9, 1), CommentDays: 30}},
		Panel:         &riskeval.Panel{Size: 5, Writer: "w", Reviewer: "r"},
		EmergencyPlan: "filed with the county emergency office",
	}
}

// steps are a complete record of the decision body's legality review and
// collective decision.
func steps() riskeval.DecisionSteps {
	return riskeval.DecisionSteps{
		LegalityReview:     &riskeval.DecisionStep{By: "org-justice", On: ssra.MustDate(2026, 10, 8), Reference: "合法性审查意见书〔2026〕12号"},
		CollectiveDecision: &riskeval.DecisionStep{By: "org-county-gov", On: ssra.MustDate(2026, 10, 12), Reference: "县政府常务会议纪要〔2026〕31号"},
	}
}

func problemCodes(ps ssra.Problems) map[string][]string {
	out := map[string][]string{}
	for _, p := range ps {
		out[p.Code] = append(out[p.Code], p.Field)
	}
	return out
}

func hasProblem(ps ssra.Problems, code, field string) bool {
	for _, p := range ps {
		if p.Code == code && (field == "" || p.Field == field) {
			return true
		}
	}
	return false
}
