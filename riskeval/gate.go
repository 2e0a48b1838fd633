package riskeval

import (
	"github.com/ssra-go/ssra"
)

// Approval is what the gate lets through: the outcome the regime gives the
// residual level, and, for approve_with_measures, the measures the approval
// imposes on the parties concerned.
type Approval struct {
	Outcome  Outcome   `json:"outcome"`
	Level    Level     `json:"level"`
	Imposed  []Measure `json:"imposed_measures,omitempty"`
	Result   Result    `json:"result"`
	Regime   RegimeRef `json:"regime"`
	Assessed string    `json:"assessment_id,omitempty"`
	// Steps are the decision body's recorded legality review and
	// collective decision, when given to GateDecision.
	Steps *DecisionSteps `json:"steps,omitempty"`
	// Warnings are procedural conditions left unmet that the regime does
	// not make preconditions (see GateDecision), each saying why.
	Warnings ssra.Problems `json:"warnings,omitempty"`
}

// Gate is the approval gate (前置条件, "a mandatory step and precondition"):
// a project or decision may be approved only with a finished assessment,
// issued by the assessing body, whose regime outcome is approve or
// approve_with_measures. A finished assessment has every default criterion
// answered (no question left unanswered), every factor with a residual
// estimate and every measure with an owner and a due date.
//
// When the assessment was issued through Issue, the evaluation frozen then
// decides (with the profile version it used); otherwise Gate evaluates the
// assessment under p.
//
// Gate returns the approval when every condition holds. Otherwise it returns
// a *ssra.Error of KindPreconditionFailed whose Problems list every unmet
// condition (codes "gate.*", with field paths), including the assessment's
// own validation errors.
//
// Gate is GateDecision with no decision steps recorded: under a regime that
// follows Order 713's procedure (order713_2019) it therefore refuses for
// want of the legality review and the collective decision; see
// GateDecision for the procedural conditions.
func Gate(a Assessment, p Profile) (Approval, error) {
	return GateDecision(a, p, DecisionSteps{})
}

// gateCore checks the conditions of domain.md §1.9 that hold under every
// regime. It returns the approval the regime's outcome gives and the unmet
// conditions; err is an internal failure, not a refusal.
func gateCore(a Assessment, p Profile) (Approval, ssra.Problems, error) {
	var unmet ssra.Problems
	if a.Status != StatusIssued {
		unmet.Add("gate.not_issued", "status", "the assessment is %s; only an assessment issued by the assessing body can support approval", a.Status)
	}
	var answered [CriterionSafety + 1]bool
	for i, ca := range a.Criteria {
		if ca.Criterion.Valid() {
			answered[ca.Criterion] = true
		}
		if ca.Answer == AnswerNone {
			unmet.Add("gate.criterion_unanswered", ssra.Index("criteria", i)+".answer", "question %q of criterion %s is not answered", ca.Question, ca.Criterion)
		}
	}
	for _, c := range defaultCriteria {
		if !answered[c] {
			unmet.Add("gate.criterion_missing", "criteria", "criterion %s (%s) has no findings", c, c.Label(ssra.LangZH))
		}
	}
	var imposed []Measure
	for i, f := range a.Factors {
		fp := ssra.Index("factors", i)
		if f.Residual == nil {
			unmet.Add("gate.residual_missing", fp+".residual", "factor %q has no residual estimate", f.ID)
		}
		for j, m := range f.Measures {
			mp := ssra.Index(fp+".measures", j)
			if m.Owner == "" {
				unmet.Add("gate.measure_owner_missing", mp+".owner", "measure %q has no owner", m.ID)
			}
			if m.Due.IsZero() {
				unmet.Add("gate.measure_due_missing", mp+".due", "measure %q has no due date", m.ID)
			}
			imposed = append(imposed, m)
		}
	}
	var res Result
	var err error
	if a.Workflow.Issued != nil {
		// The evaluation frozen at issue decides, with the profile version it used.
		res = a.Workflow.Issued.Result
	} else {
		res, err = Evaluate(a, p)
	}
	if err != nil {
		if ps := ssra.ProblemsOf(err); len(ps) > 0 {
			for _, pr := range ps {
				if pr.Code == "factor.residual_missing" {
					continue // already listed as gate.residual_missing
				}
				unmet = append(unmet, ssra.Problem{Code: "gate.invalid", Field: pr.Field, Message: pr.Message + " (" + pr.Code + ")"})
			}
		} else {
			return Approval{}, nil, err
		}
	} else if !res.Decision.Outcome.Permits() {
		unmet.Add("gate.outcome", "decision.outcome", "the residual level is %s; under regime %s the outcome is %s, which does not permit approval",
			res.Residual.Level, res.Regime.ID, res.Decision.Outcome)
	}
	ap := Approval{Outcome: res.Decision.Outcome, Level: res.Residual.Level, Result: res, Regime: res.Regime, Assessed: a.ID}
	if ap.Outcome == OutcomeApproveWithMeasures {
		ap.Imposed = imposed
	}
	return ap, unmet, nil
}
