package riskeval

import (
	"fmt"
	"strings"

	"github.com/ssra-go/ssra"
)

// DecisionStep is one recorded step of the decision body's procedure: who
// took it (an identifier of the body or official, never a free-text name),
// on which day, and the reference of the document or meeting that records
// it (a review opinion's number, the minutes of a meeting).
type DecisionStep struct {
	By        string    `json:"by"`
	On        ssra.Date `json:"on"`
	Reference string    `json:"reference"`
}

// DecisionSteps are the two steps Order 713 puts between the risk
// assessment and the decision (《重大行政决策程序暂行条例》 arts. 25 and 30):
// the legality review (合法性审查) by the department responsible for it, and
// the collective decision (集体讨论决定) at the decision body's executive or
// plenary meeting. The decision body records them when it asks the gate to
// approve.
type DecisionSteps struct {
	LegalityReview     *DecisionStep `json:"legality_review,omitempty"`
	CollectiveDecision *DecisionStep `json:"collective_decision,omitempty"`
}

// GateDecision is Gate with the decision body's procedural steps recorded.
//
// Under a regime whose MajorDecisionProcedure is set (the shipped
// order713_2019: State Council Order 713, 重大行政决策程序暂行条例, 2019) the
// gate also refuses, each a listed reason with its field:
//   - no public consultation (art. 14: the public is heard; an expert review
//     alone is not public participation): "gate.consultation_missing";
//   - a public comment period shorter than the regime's MinCommentDays
//     (art. 15: generally at least 30 days), unless the consultation states
//     why it was shortened (art. 15: when urgency shortens it, the notice
//     says so), which then is a warning: "gate.comment_period_short";
//   - no expert panel, or none sitting after recusals (arts. 19–21, and the
//     practice of domain.md §1.1): "gate.panel_missing";
//   - no emergency plan (应急处置预案; domain.md §1.1, the report's contents):
//     "gate.emergency_plan_missing";
//   - a criterion question answered "no" without a measure that addresses
//     it (domain.md §1.3): "gate.no_without_measure";
//   - no legality review, or one not fully recorded (art. 25: a draft not
//     reviewed may not go to the decision body): "gate.legality_review_*";
//   - no collective decision, or one not fully recorded, or one dated before
//     the legality review or before the assessment was issued (art. 30):
//     "gate.collective_decision_*".
//
// Under the other regimes these conditions are not preconditions of the
// text the regime cites (the NDRC 2012 measures and the 2012 central
// guidance fix no comment period and do not prescribe Order 713's five
// steps), so each unmet one is returned as a warning on the Approval that
// says so; a refusal lists only the conditions that refuse. Recorded steps are validated under
// every regime: a step that is given must name who, when and the reference.
func GateDecision(a Assessment, p Profile, steps DecisionSteps) (Approval, error) {
	ap, unmet, err := gateCore(a, p)
	if err != nil {
		return Approval{}, err
	}
	regime, known := regimeOf(a, p)
	strict := known && regime.MajorDecisionProcedure
	proc := procedureProblems(a, regime, steps)
	var warnings ssra.Problems
	for _, pr := range proc {
		switch {
		case pr.Severity == ssra.SeverityWarning:
			warnings = append(warnings, pr)
		case strict || strings.HasSuffix(pr.Code, "_invalid") || strings.HasSuffix(pr.Code, "_order"):
			unmet = append(unmet, pr)
		default:
			pr.Severity = ssra.SeverityWarning
			pr.Message += fmt.Sprintf(" (a warning: regime %s is not bound by Order 713's procedure for major administrative decisions, which makes this a precondition)", regimeName(a, regime, known))
			warnings = append(warnings, pr)
		}
	}
	if len(unmet) > 0 {
		return Approval{}, &ssra.Error{Kind: ssra.KindPreconditionFailed, Op: "riskeval.Gate", Message: "approval refused", Problems: unmet}
	}
	ap.Warnings = warnings
	if steps.LegalityReview != nil || steps.CollectiveDecision != nil {
		s := steps
		ap.Steps = &s
	}
	return ap, nil
}

// regimeOf returns the regime the gate judges by: the one frozen at issue,
// else the profile's regime of the assessment.
func regimeOf(a Assessment, p Profile) (Regime, bool) {
	if is := a.Workflow.Issued; is != nil {
		if r, ok := p.Regime(is.Result.Regime.ID); ok {
			return r, true
		}
	}
	return p.Regime(a.Regime)
}

func regimeName(a Assessment, r Regime, known bool) string {
	if known {
		return r.ID
	}
	return a.Regime
}

// procedureProblems lists every unmet procedural condition as an error;
// the caller downgrades them under a regime not bound by Order 713.
// Conditions that are warnings under every regime carry SeverityWarning.
func procedureProblems(a Assessment, r Regime, steps DecisionSteps) ssra.Problems {
	var ps ssra.Problems
	public, longest, shortened := false, 0, ""
	for _, c := range a.Consultations {
		if c.Method != ConsultationNone && c.Method != ConsultationExpertReview {
			public = true
		}
		if c.CommentDays > longest {
			longest, shortened = c.CommentDays, c.ShortenedReason
		}
	}
	if !public {
		ps.Add("gate.consultation_missing", "consultations", "no public consultation is recorded (Order 713 art. 14: the public is heard before a major administrative decision; an expert review alone does not count)")
	}
	if r.MinCommentDays > 0 && longest < r.MinCommentDays {
		if strings.TrimSpace(shortened) != "" {
			ps.Warn("gate.comment_period_short", "consultations", "the longest public comment period is %d days, shorter than %d; the consultation states why it was shortened (Order 713 art. 15): %s", longest, r.MinCommentDays, shortened)
		} else {
			ps.Add("gate.comment_period_short", "consultations", "the longest public comment period is %d days; Order 713 art. 15 asks for at least %d days, or a stated reason (shortened_reason) when urgency shortens it", longest, r.MinCommentDays)
		}
	}
	if a.Panel == nil || a.Panel.Size-a.Panel.Recusals <= 0 {
		ps.Add("gate.panel_missing", "panel", "no expert panel (专家组) sat on the assessment (Order 713 arts. 19–21, expert review)")
	}
	if strings.TrimSpace(a.EmergencyPlan) == "" {
		ps.Add("gate.emergency_plan_missing", "emergency_plan", "no emergency plan (应急处置预案) is recorded")
	}
	for i, ca := range a.Criteria {
		if ca.Answer == AnswerNo && len(ca.Measures) == 0 {
			ps.Add("gate.no_without_measure", ssra.Index("criteria", i)+".measures", "question %q of criterion %s is answered \"no\" and no measure addresses it", ca.Question, ca.Criterion)
		}
	}
	lr, cd := steps.LegalityReview, steps.CollectiveDecision
	if lr == nil {
		ps.Add("gate.legality_review_missing", "legality_review", "no legality review (合法性审查) is recorded (Order 713 art. 25: a draft not reviewed for legality may not go to the decision body)")
	} else {
		checkStep(&ps, *lr, "legality_review")
	}
	if cd == nil {
		ps.Add("gate.collective_decision_missing", "collective_decision", "no collective decision (集体讨论决定) is recorded (Order 713 art. 30: the draft is discussed at the decision body's executive or plenary meeting)")
	} else {
		checkStep(&ps, *cd, "collective_decision")
		if lr != nil && !lr.On.IsZero() && !cd.On.IsZero() && cd.On.Before(lr.On) {
			ps.Add("gate.collective_decision_order", "collective_decision.on", "the collective decision (%s) is dated before the legality review (%s); Order 713 art. 25 puts the review first", cd.On, lr.On)
		}
		if is := a.Workflow.Issued; is != nil && !cd.On.IsZero() && cd.On.Before(ssra.DateOf(is.At)) {
			ps.Add("gate.collective_decision_order", "collective_decision.on", "the collective decision (%s) is dated before the assessment was issued (%s)", cd.On, ssra.DateOf(is.At))
		}
	}
	return ps
}

// checkStep validates a recorded step: who, when and the reference are all
// required; the problems end in "_invalid" and refuse under every regime.
func checkStep(ps *ssra.Problems, s DecisionStep, field string) {
	if strings.TrimSpace(s.By) == "" {
		ps.Add("gate."+field+"_invalid", field+".by", "name who took the step by identifier")
	}
	if s.On.IsZero() {
		ps.Add("gate."+field+"_invalid", field+".on", "give the day the step was taken")
	}
	if strings.TrimSpace(s.Reference) == "" {
		ps.Add("gate."+field+"_invalid", field+".reference", "give the reference of the document or meeting that records the step")
	}
	if len(s.By) > 200 || len(s.Reference) > 500 {
		ps.Add("gate."+field+"_invalid", field, "by is at most 200 bytes and reference at most 500")
	}
}
