package rest

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/riskeval"
)

// decisionInput is the body of POST /v1/assessments/{id}/decision: the
// decision body asks to approve (through the gate) or refuses outright
// with a reason, and records its legality review (合法性审查) and
// collective decision (集体讨论决定), which the gate requires under a
// regime that follows Order 713.
type decisionInput struct {
	Intent             string                 `json:"intent"`
	Reason             string                 `json:"reason"`
	LegalityReview     *riskeval.DecisionStep `json:"legality_review"`
	CollectiveDecision *riskeval.DecisionStep `json:"collective_decision"`
}

// decisionRecord is an approval decision (审批决策) of the decision body on an
// assessment, taken through riskeval.Gate: approve, approve_with_measures
// (the approval imposes the measures) or refuse, with every unmet
// condition when the gate refused.
type decisionRecord struct {
	AssessmentID      string              `json:"assessment_id"`
	AssessmentVersion int64               `json:"assessment_version"`
	AssessmentOrg     string              `json:"assessment_org_id"`
	Outcome           string              `json:"outcome"`
	Level             riskeval.Level      `json:"level,omitzero"`
	Regime            string              `json:"regime,omitempty"`
	Profile           riskeval.ProfileRef `json:"profile,omitzero"`
	Imposed           []riskeval.Measure  `json:"imposed_measures,omitempty"`
	Unmet             []FieldError        `json:"unmet,omitempty"`
	// Steps are the legality review and collective decision the decision
	// body recorded with its request.
	Steps *riskeval.DecisionSteps `json:"steps,omitempty"`
	// Warnings are procedural gaps the regime does not make preconditions,
	// each saying why (see riskeval.GateDecision).
	Warnings  []FieldError `json:"warnings,omitempty"`
	Reason    string       `json:"reason,omitempty"`
	DecidedBy string       `json:"decided_by"`
	DecidedAt time.Time    `json:"decided_at"`
}

// decide records the decision body's decision on the assessment at the
// version in If-Match. The gate decides whether approval is possible; a
// refusal by the gate is recorded as a decision to refuse listing every
// unmet condition. The decision is owned by the decision body's
// organisation and shared with the assessing body, in one transaction.
func (s *Server) decide(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	version, err := matchVersion(c)
	if err != nil {
		return err
	}
	var in decisionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	switch in.Intent {
	case "approve":
	case "refuse":
		if in.Reason == "" {
			return ssra.Problems{{Code: "decision.reason_missing", Field: "reason", Message: "a refusal gives its reason"}}.Err("rest.decide")
		}
	default:
		return ssra.Problems{{Code: "decision.intent_invalid", Field: "intent", Message: "must be approve or refuse"}}.Err("rest.decide")
	}
	ctx := c.Request().Context()
	rec, err := s.res.Store.Get(ctx, p.Actor(), store.RecordAssessment, c.Param("id"))
	if err != nil {
		return err
	}
	if rec.Version != version {
		return ssra.Errorf(ssra.KindPreconditionFailed, "rest.decide", "the assessment is at version %d, not %d: read it again", rec.Version, version)
	}
	var sa storedAssessment
	if err := unmarshalStored(rec, &sa); err != nil {
		return err
	}
	sa.Assessment.ID = rec.ID
	d := decisionRecord{AssessmentID: rec.ID, AssessmentVersion: rec.Version, AssessmentOrg: rec.OrgID, Outcome: "refuse",
		Reason: in.Reason, DecidedBy: p.UserID, DecidedAt: s.res.Now().UTC()}
	if in.Intent == "approve" {
		// An issued assessment is decided on its frozen result; the profile
		// matters only to evaluate one that is not, which the gate refuses
		// anyway, listing what else is missing.
		prof, err := s.assessmentProfile(ctx, p, rec, sa)
		if err != nil && ssra.KindOf(err) != ssra.KindNotFound {
			return err
		}
		steps := riskeval.DecisionSteps{LegalityReview: in.LegalityReview, CollectiveDecision: in.CollectiveDecision}
		if steps.LegalityReview != nil || steps.CollectiveDecision != nil {
			d.Steps = &steps
		}
		ap, err := riskeval.GateDecision(sa.Assessment, prof, steps)
		switch {
		case err == nil:
			d.Outcome, d.Level, d.Regime, d.Profile, d.Imposed = ap.Outcome.String(), ap.Level, ap.Regime.ID, ap.Result.Profile, ap.Imposed
			for _, w := range ap.Warnings {
				d.Warnings = append(d.Warnings, FieldError{Code: w.Code, Field: w.Field, Message: w.Message})
			}
		case ssra.KindOf(err) == ssra.KindPreconditionFailed:
			d.Unmet = fieldErrors(ssra.ProblemsOf(err))
			if is := sa.Assessment.Workflow.Issued; is != nil {
				d.Level, d.Regime, d.Profile = is.Result.Residual.Level, is.Result.Regime.ID, is.Result.Profile
			}
			if d.Reason == "" {
				d.Reason = "the gate refused approval: every unmet condition is listed"
			}
		default:
			return err
		}
	}
	var share []string
	if rec.OrgID != p.OrgID {
		share = []string{rec.OrgID}
	}
	out, err := s.res.Store.Create(ctx, p.Actor(), "decision."+d.Outcome, store.RecordDecision,
		store.Fields{Status: d.Outcome, Name: rec.ID, Body: d}, share...)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/decisions/"+out.ID)
	return writeResource(c, http.StatusCreated, out, envelope(out, d))
}

func (s *Server) getDecision(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	rec, err := s.res.Store.Get(c.Request().Context(), p.Actor(), store.RecordDecision, c.Param("id"))
	if err != nil {
		return err
	}
	var d decisionRecord
	if err := unmarshalStored(rec, &d); err != nil {
		return err
	}
	v, err := s.viewDecision(c.Request().Context(), p, rec, d)
	if err != nil {
		return err
	}
	return writeResource(c, http.StatusOK, rec, envelope(rec, v))
}

// listDecisions lists the decisions on an assessment that the caller's
// organisation may see.
func (s *Server) listDecisions(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if _, err := s.res.Store.Get(ctx, p.Actor(), store.RecordAssessment, c.Param("id")); err != nil {
		return err
	}
	q, err := s.listQuery(c, store.RecordDecision)
	if err != nil {
		return err
	}
	q.Name = c.Param("id")
	page, err := s.res.Store.List(ctx, p.Actor(), q)
	if err != nil {
		return err
	}
	out := listing{Items: make([]resource, 0, len(page.Records)), Next: page.Next}
	for _, rec := range page.Records {
		var d decisionRecord
		if err := unmarshalStored(rec, &d); err != nil {
			return err
		}
		v, err := s.viewDecision(ctx, p, rec, d)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, envelope(rec, v))
	}
	return c.JSON(http.StatusOK, out)
}
