package rest

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/riskeval"
)

// storedAssessment is the value of an assessment record: the assessment
// (稳评) with its workflow, the profile reference it was written with and
// the profile version that reference resolved to then (its id, empty for
// a preset, and the digest of its content): every later evaluation, by
// whoever reads the assessment, uses that version. Once issued, the frozen
// result inside the workflow names it too.
type storedAssessment struct {
	Profile       string              `json:"profile"`
	ProfileID     string              `json:"profile_id,omitempty"`
	ProfileDigest string              `json:"profile_digest,omitempty"`
	Assessment    riskeval.Assessment `json:"assessment"`
}

// assessmentInput is the body of a create or update: the assessment and
// the profile (a preset name, default "practice"). Status and workflow are
// the server's and may not be sent.
type assessmentInput struct {
	Profile    string              `json:"profile"`
	Assessment riskeval.Assessment `json:"assessment"`
}

func (s *Server) registerAssessments() {
	g := s.v1
	assessor := requireRole(ssra.RoleAssessor)
	reviewer := requireRole(ssra.RoleReviewer)
	g.POST("/assessments", s.createAssessment, assessor)
	g.GET("/assessments", s.listAssessments)
	g.GET("/assessments/:id", s.getAssessment)
	g.GET("/assessments/:id/sensitivity", s.assessmentSensitivity)
	g.PUT("/assessments/:id", s.updateAssessment, assessor)
	g.POST("/assessments/:id/submit", s.assessmentTransition("submit"), assessor)
	g.POST("/assessments/:id/start_review", s.assessmentTransition("start_review"), reviewer)
	g.POST("/assessments/:id/return", s.assessmentTransition("return"), reviewer)
	g.POST("/assessments/:id/issue", s.assessmentTransition("issue"), reviewer)
	g.POST("/assessments/:id/share", s.shareRecord(store.RecordAssessment), requireRole(ssra.RoleAssessor, ssra.RoleReviewer))
	g.POST("/assessments/:id/decision", s.decide, requireRole(ssra.RoleDecisionMaker))
	g.GET("/assessments/:id/decisions", s.listDecisions)
	g.GET("/decisions/:id", s.getDecision)
}

// checkInput checks an assessment input: the profile exists and the client
// did not set the workflow. A draft may be incomplete; Issue evaluates it
// and refuses it with every problem, and the gate lists what is missing.
func (s *Server) checkInput(ctx context.Context, by ssra.Actor, in *assessmentInput) (riskeval.Profile, error) {
	if in.Profile == "" {
		in.Profile = "practice"
	}
	var ps ssra.Problems
	p, err := s.profileFor(ctx, by, in.Profile)
	if err != nil {
		if ssra.KindOf(err) != ssra.KindNotFound {
			return riskeval.Profile{}, err
		}
		ps.Add("assessment.profile_unknown", "profile", "no profile %q: name a preset (%v), your organisation's stored profile as name@version, or one shared with it by its id or as org_id:name@version", in.Profile, riskeval.PresetNames())
	}
	if in.Assessment.Status != riskeval.StatusDraft {
		ps.Add("assessment.status_readonly", "assessment.status", "the status changes only through the workflow transitions")
	}
	if len(in.Assessment.Workflow.Events) > 0 || in.Assessment.Workflow.Issued != nil ||
		in.Assessment.Workflow.Writer != (ssra.Actor{}) || in.Assessment.Workflow.Reviewer != (ssra.Actor{}) ||
		len(in.Assessment.Workflow.Writers) > 0 {
		ps.Add("assessment.workflow_readonly", "assessment.workflow", "the workflow is recorded by the server")
	}
	if len(ps) > 0 {
		// Refused already: say too whether the draft could be stored. An
		// input without other problems is encoded once, when it is stored
		// (draftFields), which says the same.
		if _, merr := json.Marshal(in.Assessment); merr != nil {
			ps = append(ps, notStorable(in.Assessment, p, err == nil, merr)...)
		}
	}
	if err := ps.Err("rest.assessment"); err != nil {
		return riskeval.Profile{}, err
	}
	return p, nil
}

// notStorable returns the problems of a draft that does not encode (merr):
// a draft may be incomplete but must be storable, every closed value set.
// Where its profile is known, validation names what is missing.
func notStorable(a riskeval.Assessment, p riskeval.Profile, known bool, merr error) ssra.Problems {
	var ps ssra.Problems
	ps.Add("assessment.not_storable", "assessment", "the draft cannot be stored: %v", merr)
	if known {
		for _, q := range riskeval.Validate(a, p).Errors() {
			q.Field = ssra.JoinPath("assessment", q.Field)
			ps = append(ps, q)
		}
	}
	return ps
}

// draftFields are the fields of a draft checked by checkInput and written
// by the caller, its body encoded here once: the store takes the JSON text
// as it is, and a draft that does not encode is refused as checkInput
// refuses one.
func draftFields(sa storedAssessment, p riskeval.Profile) (store.Fields, error) {
	body, err := json.Marshal(sa)
	if err != nil {
		return store.Fields{}, notStorable(sa.Assessment, p, true, err).Err("rest.assessment")
	}
	f := assessmentFields(sa)
	f.Body = json.RawMessage(body)
	return f, nil
}

// pinned is the stored value of an input whose profile reference resolved
// to prof.
func pinned(in assessmentInput, prof riskeval.Profile) storedAssessment {
	return storedAssessment{Profile: in.Profile, ProfileID: prof.ID(), ProfileDigest: prof.Digest(), Assessment: in.Assessment}
}

func assessmentFields(sa storedAssessment) store.Fields {
	return store.Fields{Status: sa.Assessment.Status.String(), Name: sa.Assessment.Subject.Name, Body: sa}
}

func (s *Server) createAssessment(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	var in assessmentInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	return s.storeDraft(c, p, in, "assessment.create")
}

// storeDraft checks an assessment input and stores it as a new draft,
// recording action in the audit log.
func (s *Server) storeDraft(c echo.Context, p store.Identity, in assessmentInput, action string) error {
	prof, err := s.checkInput(c.Request().Context(), p.Actor(), &in)
	if err != nil {
		return err
	}
	sa := pinned(in, prof)
	sa.Assessment.ID, sa.Assessment.Status = "", riskeval.StatusDraft
	if err := sa.Assessment.Write(s.res.Now().UTC(), p.Actor()); err != nil {
		return err
	}
	f, err := draftFields(sa, prof)
	if err != nil {
		return err
	}
	rec, err := s.res.Store.Create(c.Request().Context(), p.Actor(), action, store.RecordAssessment, f)
	if err != nil {
		return err
	}
	return s.answerAssessment(c, http.StatusCreated, rec, sa)
}

// writeAssessment answers with a stored assessment, its id set from the
// record; another organisation's caller sees the panel members by id only.
func (s *Server) writeAssessment(c echo.Context, status int, rec store.Record) error {
	var sa storedAssessment
	if err := unmarshalStored(rec, &sa); err != nil {
		return err
	}
	return s.answerAssessment(c, status, rec, sa)
}

// answerAssessment is writeAssessment with the record's value sa in hand:
// a handler that has just stored sa as rec answers with it rather than
// decoding the body it wrote (TestAnswerIsRead holds the answer equal to
// a read's).
func (s *Server) answerAssessment(c echo.Context, status int, rec store.Record, sa storedAssessment) error {
	sa.Assessment.ID = rec.ID
	if p, err := caller(c); err != nil || p.OrgID != rec.OrgID {
		sa.Assessment = sa.Assessment.Anonymised()
	}
	if status == http.StatusCreated {
		c.Response().Header().Set(echo.HeaderLocation, "/v1/assessments/"+rec.ID)
	}
	return writeResource(c, status, rec, envelope(rec, sa))
}

// readAssessment reads the assessment of the path's id as the caller sees
// it.
func (s *Server) readAssessment(c echo.Context) (store.Identity, store.Record, error) {
	p, err := caller(c)
	if err != nil {
		return p, store.Record{}, err
	}
	rec, err := s.res.Store.Get(c.Request().Context(), p.Actor(), store.RecordAssessment, c.Param("id"))
	return p, rec, err
}

func (s *Server) getAssessment(c echo.Context) error {
	_, rec, err := s.readAssessment(c)
	if err != nil {
		return err
	}
	return s.writeAssessment(c, http.StatusOK, rec)
}

func (s *Server) listAssessments(c echo.Context) error {
	return s.listKind(c, store.RecordAssessment, false, func(p store.Identity, rec store.Record) (resource, error) {
		var sa storedAssessment
		if err := unmarshalStored(rec, &sa); err != nil {
			return resource{}, err
		}
		sa.Assessment.ID = rec.ID
		if p.OrgID != rec.OrgID {
			sa.Assessment = sa.Assessment.Anonymised()
		}
		return envelope(rec, sa), nil
	})
}

// loadAssessment reads the assessment for a write at the version in
// If-Match: 428 without it, 412 when stale, 403 when the caller's
// organisation sees it through a share.
func (s *Server) loadAssessment(c echo.Context) (store.Identity, store.Record, storedAssessment, error) {
	var sa storedAssessment
	p, err := caller(c)
	if err != nil {
		return p, store.Record{}, sa, err
	}
	rec, err := s.loadForWrite(c, p, store.RecordAssessment, "rest.assessment", "assessment")
	if err == nil {
		err = unmarshalStored(rec, &sa)
	}
	if w := &sa.Assessment.Workflow; err == nil && len(w.Writers) == 0 && rec.CreatedBy != "" {
		// Stored before writers were recorded: its creator wrote it.
		w.Writers = []ssra.Actor{{UserID: rec.CreatedBy, OrgID: rec.OrgID}}
	}
	return p, rec, sa, err
}

func (s *Server) updateAssessment(c echo.Context) error {
	p, rec, sa, err := s.loadAssessment(c)
	if err != nil {
		return err
	}
	var in assessmentInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if sa.Assessment.Status != riskeval.StatusDraft && sa.Assessment.Status != riskeval.StatusReturned {
		return &ssra.Error{Kind: ssra.KindConflict, Op: "rest.updateAssessment", Message: "only a draft or a returned assessment is edited",
			Problems: ssra.Problems{{Code: "workflow.not_editable", Field: "status", Message: "the assessment is " + sa.Assessment.Status.String()}}}
	}
	prof, err := s.checkInput(c.Request().Context(), p.Actor(), &in)
	if err != nil {
		return err
	}
	in.Assessment.ID, in.Assessment.Status, in.Assessment.Workflow = "", sa.Assessment.Status, sa.Assessment.Workflow
	next := pinned(in, prof)
	if err := next.Assessment.Write(s.res.Now().UTC(), p.Actor()); err != nil {
		return err
	}
	f, err := draftFields(next, prof)
	if err != nil {
		return err
	}
	out, err := s.res.Store.Update(c.Request().Context(), p.Actor(), "assessment.update", store.RecordAssessment, rec.ID, rec.Version, f)
	if err != nil {
		return err
	}
	return s.answerAssessment(c, http.StatusOK, out, next)
}

// reasonInput is the body of a transition that takes a reason.
type reasonInput struct {
	Reason string `json:"reason"`
}

// assessmentTransition returns the handler of one workflow transition: it
// calls the domain method and stores the result with its audit event.
func (s *Server) assessmentTransition(name string) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, rec, sa, err := s.loadAssessment(c)
		if err != nil {
			return err
		}
		now := s.res.Now().UTC()
		by := p.Actor()
		a := &sa.Assessment
		a.ID = rec.ID
		if name != "return" {
			if err := noBody(c); err != nil {
				return err
			}
		}
		switch name {
		case "submit":
			var prof riskeval.Profile
			if prof, err = s.profileFor(c.Request().Context(), p.Actor(), sa.Profile); err == nil {
				if err = riskeval.PanelReady(*a, prof); err == nil {
					err = a.Submit(now, by)
				}
			}
		case "start_review":
			err = a.StartReview(now, by)
		case "return":
			var in reasonInput
			if err := decodeJSON(c, &in); err != nil {
				return err
			}
			err = a.Return(now, by, in.Reason)
		case "issue":
			var prof riskeval.Profile
			if prof, err = s.assessmentProfile(c.Request().Context(), p, rec, sa); err == nil {
				_, err = a.Issue(now, by, prof)
			}
		}
		if err != nil {
			return err
		}
		a.ID = ""
		out, err := s.res.Store.Update(c.Request().Context(), p.Actor(), "assessment."+name, store.RecordAssessment, rec.ID, rec.Version, assessmentFields(sa))
		if err != nil {
			return err
		}
		return s.writeAssessment(c, http.StatusOK, out)
	}
}

// assessmentSensitivity answers GET /v1/assessments/{id}/sensitivity: the
// robustness of the stored assessment under its profile (riskeval.Sensitivity
// with the default seed and samples), with the margin sentence.
func (s *Server) assessmentSensitivity(c echo.Context) error {
	p, rec, err := s.readAssessment(c)
	if err != nil {
		return err
	}
	var sa storedAssessment
	if err := unmarshalStored(rec, &sa); err != nil {
		return err
	}
	prof, err := s.profileFor(c.Request().Context(), p.Actor(), sa.Profile)
	if err != nil {
		return err
	}
	res, err := riskeval.Sensitivity(sa.Assessment, prof)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, newSensitivityResponse(res))
}
