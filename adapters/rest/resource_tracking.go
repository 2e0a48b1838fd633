package rest

import (
	"context"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/riskeval"
)

// The follow-through of an approval with measures (稳评措施落实) is a
// tracking record held by the decision body that imposed the measures and
// shared with the assessing body and every organisation that owns one of
// them. Each organisation writes its own part: the owner reports on and
// completes its measures (riskeval checks the owner by identifier), the
// decision body or the assessing body verifies or rejects them, the
// decision body withdraws them, and the assessing body opens a follow-up
// assessment (跟踪评估).

func (s *Server) registerTracking() {
	g := s.v1
	staff := requireRole(ssra.RoleAdmin, ssra.RoleAssessor, ssra.RoleReviewer, ssra.RoleDecisionMaker, ssra.RoleAppraiser, ssra.RoleCaseworker)
	verifier := requireRole(ssra.RoleReviewer, ssra.RoleDecisionMaker)
	g.POST("/decisions/:id/tracking", s.openTracking, requireRole(ssra.RoleDecisionMaker))
	g.GET("/trackings", s.listTrackings)
	g.GET("/trackings/overdue", s.overdueMeasures)
	g.GET("/trackings/:id", s.getTracking)
	g.POST("/trackings/:id/report", s.measureAct("report"), staff)
	g.POST("/trackings/:id/complete", s.measureAct("complete"), staff)
	g.POST("/trackings/:id/verify", s.measureAct("verify"), verifier)
	g.POST("/trackings/:id/reject", s.measureAct("reject"), verifier)
	g.POST("/trackings/:id/drop", s.measureAct("drop"), requireRole(ssra.RoleDecisionMaker))
	g.POST("/trackings/:id/follow_up", s.openFollowUp, requireRole(ssra.RoleAssessor))
}

// trackingView is the value of a tracking in a response: the tracking,
// its summary at the server's today and the measures overdue then.
type trackingView struct {
	Tracking riskeval.Tracking       `json:"tracking"`
	Summary  riskeval.MeasureSummary `json:"summary"`
	Overdue  []string                `json:"overdue"`
}

func (s *Server) today() ssra.Date { return ssra.DateOf(s.res.Now()) }

func (s *Server) viewTracking(t riskeval.Tracking) trackingView {
	today := s.today()
	v := trackingView{Tracking: t, Summary: t.Summary(today), Overdue: []string{}}
	for _, m := range t.Overdue(today) {
		v.Overdue = append(v.Overdue, m.ID)
	}
	return v
}

// trackingFields are the typed columns of a tracking: open while a measure
// is open or awaits verification, closed after; the assessment's id as the
// name; the decision's id as the reference, so that a decision is tracked
// once; the earliest due date of an open measure, for the overdue list.
func trackingFields(t riskeval.Tracking) store.Fields {
	f := store.Fields{Status: "closed", Name: t.Assessment, Reference: "decision:" + t.Decision, Body: t}
	for _, m := range t.Measures {
		switch m.State {
		case riskeval.MeasureOpen:
			f.Status = "open"
			if f.DueOn.IsZero() || m.Due.Before(f.DueOn) {
				f.DueOn = m.Due
			}
		case riskeval.MeasureDone:
			f.Status = "open"
		}
	}
	return f
}

func (s *Server) writeTracking(c echo.Context, status int, rec store.Record) error {
	var t riskeval.Tracking
	if err := unmarshalStored(rec, &t); err != nil {
		return err
	}
	return writeResource(c, status, rec, envelope(rec, s.viewTracking(t)))
}

// openTracking answers POST /v1/decisions/{id}/tracking: the decision body
// opens the tracking of the measures its approval imposed. Every measure's
// owner must name a known organisation; the tracking is shared with the
// owners and the assessing body in the same transaction.
func (s *Server) openTracking(c echo.Context) error {
	const op = "rest.openTracking"
	p, err := caller(c)
	if err != nil {
		return err
	}
	if err := noBody(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	rec, err := s.res.Store.Get(ctx, p.Actor(), store.RecordDecision, c.Param("id"))
	if err != nil {
		return err
	}
	if rec.ReadOnly {
		return ssra.Errorf(ssra.KindForbidden, op, "the decision body that took this decision opens its tracking")
	}
	var d decisionRecord
	if err := unmarshalStored(rec, &d); err != nil {
		return err
	}
	arec, sa, err := s.storedAssessmentOf(ctx, p, d.AssessmentID)
	if err != nil {
		return err
	}
	var outcome riskeval.Outcome
	_ = outcome.UnmarshalText([]byte(d.Outcome)) // a refusal stays unset: Track refuses it
	ap := riskeval.Approval{Outcome: outcome, Imposed: d.Imposed, Assessed: d.AssessmentID}
	t, err := riskeval.Track(sa.Assessment, ap, rec.ID, s.res.Now().UTC(), p.Actor())
	if err != nil {
		return err
	}
	share := []string{}
	if arec.OrgID != p.OrgID {
		share = append(share, arec.OrgID)
	}
	var ps ssra.Problems
	for i, m := range t.Measures {
		if _, err := s.res.Store.OrganisationName(ctx, m.Owner); err != nil {
			if ssra.KindOf(err) != ssra.KindNotFound {
				return err
			}
			ps.Add("tracking.owner_unknown", ssra.JoinPath(ssra.Index("imposed_measures", i), "owner"),
				"measure %q is owned by %q, which is not the identifier of an organisation: a tracked measure's owner reports on it", m.ID, m.Owner)
			continue
		}
		if m.Owner != p.OrgID && !slices.Contains(share, m.Owner) {
			share = append(share, m.Owner)
		}
	}
	if err := ps.Err(op); err != nil {
		return err
	}
	out, err := s.res.Store.Create(ctx, p.Actor(), "tracking.open", store.RecordTracking, trackingFields(*t), share...)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/trackings/"+out.ID)
	return s.writeTracking(c, http.StatusCreated, out)
}

func (s *Server) getTracking(c echo.Context) error {
	rec, err := s.readRecord(c, store.RecordTracking)
	if err != nil {
		return err
	}
	return s.writeTracking(c, http.StatusOK, rec)
}

// readRecord reads the record of kind at :id as the caller sees it.
func (s *Server) readRecord(c echo.Context, kind store.RecordKind) (store.Record, error) {
	p, err := caller(c)
	if err != nil {
		return store.Record{}, err
	}
	return s.res.Store.Get(c.Request().Context(), p.Actor(), kind, c.Param("id"))
}

// loadShared reads the record of kind at :id for a write at the version in
// If-Match (428 without, 412 when stale), whether the caller's
// organisation owns it or was shared it: what each organisation may do is
// the route's check, and the write goes through UpdateShared.
func (s *Server) loadShared(c echo.Context, p store.Identity, kind store.RecordKind, op string) (store.Record, error) {
	version, err := matchVersion(c)
	if err != nil {
		return store.Record{}, err
	}
	rec, err := s.res.Store.Get(c.Request().Context(), p.Actor(), kind, c.Param("id"))
	if err != nil {
		return rec, err
	}
	if rec.Version != version {
		return rec, ssra.Errorf(ssra.KindPreconditionFailed, op, "the %s is at version %d, not %d: read it again and reapply the change", strings.ReplaceAll(kind.String(), "_", " "), rec.Version, version)
	}
	return rec, nil
}

func (s *Server) listTrackings(c echo.Context) error {
	return s.listKind(c, store.RecordTracking, false, func(_ store.Identity, rec store.Record) (resource, error) {
		var t riskeval.Tracking
		if err := unmarshalStored(rec, &t); err != nil {
			return resource{}, err
		}
		return envelope(rec, s.viewTracking(t)), nil
	})
}

// overdueMeasure is one row of the overdue list: the measure, where it is
// tracked and by how many calendar days it is past its due date.
type overdueMeasure struct {
	TrackingID   string                  `json:"tracking_id"`
	OrgID        string                  `json:"org_id"`
	AssessmentID string                  `json:"assessment_id"`
	DecisionID   string                  `json:"decision_id"`
	Measure      riskeval.TrackedMeasure `json:"measure"`
	DaysOverdue  int                     `json:"days_overdue"`
}

// overdueList is the body of GET /v1/trackings/overdue.
type overdueList struct {
	At    ssra.Date        `json:"at"`
	Items []overdueMeasure `json:"items"`
	Next  string           `json:"next,omitempty"`
}

// overdueMeasures answers GET /v1/trackings/overdue: the open measures
// past their due date at the server's today, of the trackings the caller's
// organisation may see, the trackings in order of their earliest due date.
func (s *Server) overdueMeasures(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	q, err := s.listQuery(c, store.RecordTracking)
	if err != nil {
		return err
	}
	today := s.today()
	q.Order, q.DueBefore = store.OrderDue, today
	page, err := s.res.Store.List(c.Request().Context(), p.Actor(), q)
	if err != nil {
		return err
	}
	out := overdueList{At: today, Items: []overdueMeasure{}, Next: page.Next}
	for _, rec := range page.Records {
		var t riskeval.Tracking
		if err := unmarshalStored(rec, &t); err != nil {
			return err
		}
		for _, m := range t.Overdue(today) {
			out.Items = append(out.Items, overdueMeasure{TrackingID: rec.ID, OrgID: rec.OrgID, AssessmentID: t.Assessment,
				DecisionID: t.Decision, Measure: m, DaysOverdue: today.DaysSince(m.Due)})
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// measureInput is the body of an act on a measure: the measure's id and,
// as the act takes them, the text of a report, the note of a completion
// or verification, the reason of a rejection or withdrawal, and evidence.
type measureInput struct {
	Measure  string              `json:"measure"`
	Text     string              `json:"text"`
	Note     string              `json:"note"`
	Reason   string              `json:"reason"`
	Evidence []riskeval.Evidence `json:"evidence"`
}

// measureActFields are the members each act takes besides measure.
var measureActFields = map[string][]string{
	"report": {"text", "evidence"}, "complete": {"note", "evidence"},
	"verify": {"note"}, "reject": {"reason"}, "drop": {"reason"},
}

// loadTracking reads the caller, the tracking for a write at the version
// in If-Match (whether the caller's organisation holds it or was shared it:
// what each organisation may do is the route's and the domain's check) and
// the body into in.
func (s *Server) loadTracking(c echo.Context, op string, in any) (store.Identity, store.Record, riskeval.Tracking, error) {
	var t riskeval.Tracking
	p, err := caller(c)
	if err != nil {
		return p, store.Record{}, t, err
	}
	rec, err := s.loadShared(c, p, store.RecordTracking, op)
	if err != nil {
		return p, rec, t, err
	}
	if err := unmarshalStored(rec, &t); err != nil {
		return p, rec, t, err
	}
	return p, rec, t, decodeJSON(c, in)
}

// storedAssessmentOf reads an assessment the caller may see, its id set from
// the record.
func (s *Server) storedAssessmentOf(ctx context.Context, p store.Identity, id string) (store.Record, storedAssessment, error) {
	var sa storedAssessment
	rec, err := s.res.Store.Get(ctx, p.Actor(), store.RecordAssessment, id)
	if err == nil {
		err = unmarshalStored(rec, &sa)
	}
	sa.Assessment.ID = rec.ID
	return rec, sa, err
}

// assessingBody reports whether the caller's organisation owns the
// tracked assessment.
func (s *Server) assessingBody(ctx context.Context, p store.Identity, t riskeval.Tracking) (bool, error) {
	rec, err := s.res.Store.Get(ctx, p.Actor(), store.RecordAssessment, t.Assessment)
	if ssra.KindOf(err) == ssra.KindNotFound {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return !rec.ReadOnly, nil
}

// measureAct answers POST /v1/trackings/{id}/{act} for report, complete,
// verify, reject and drop. The owner's organisation reports and completes
// (riskeval refuses anyone else); the decision body holding the tracking
// or the assessing body verifies and rejects (riskeval refuses the
// owner); only the decision body drops.
func (s *Server) measureAct(act string) echo.HandlerFunc {
	op := "rest.measure." + act
	return func(c echo.Context) error {
		var in measureInput
		p, rec, t, err := s.loadTracking(c, op, &in)
		if err != nil {
			return err
		}
		var ps ssra.Problems
		for _, f := range []string{"text", "note", "reason", "evidence"} {
			set := map[string]bool{"text": in.Text != "", "note": in.Note != "", "reason": in.Reason != "", "evidence": in.Evidence != nil}[f]
			if set && !slices.Contains(measureActFields[act], f) {
				ps.Add("measure.field_not_taken", f, "%s takes measure and %v", act, measureActFields[act])
			}
		}
		for i, ev := range in.Evidence {
			// The domain checks this too, after the state: a malformed body
			// is named whatever the measure's state.
			if strings.TrimSpace(ev.Title) == "" {
				ps.Add("measure.evidence_title_missing", ssra.JoinPath(ssra.Index("evidence", i), "title"), "evidence needs a title")
			}
		}
		switch {
		case in.Measure == "":
			ps.Add("measure.id_missing", "measure", "name the measure")
		case !slices.ContainsFunc(t.Measures, func(m riskeval.TrackedMeasure) bool { return m.ID == in.Measure }):
			ps.Add("measure.unknown", "measure", "no measure %q is tracked here", in.Measure)
		}
		if err := ps.Err(op); err != nil {
			return err
		}
		ctx := c.Request().Context()
		switch act {
		case "verify", "reject":
			if rec.ReadOnly {
				ok, err := s.assessingBody(ctx, p, t)
				if err != nil {
					return err
				}
				if !ok {
					return ssra.Errorf(ssra.KindForbidden, op, "the decision body holding the tracking or the assessing body verifies a measure")
				}
			}
		case "drop":
			if rec.ReadOnly {
				return ssra.Errorf(ssra.KindForbidden, op, "the decision body that imposed a measure withdraws it")
			}
		}
		now, by := s.res.Now().UTC(), p.Actor()
		switch act {
		case "report":
			err = t.Report(in.Measure, now, by, in.Text, in.Evidence)
		case "complete":
			err = t.Complete(in.Measure, now, by, in.Note, in.Evidence)
		case "verify":
			err = t.Verify(in.Measure, now, by, in.Note)
		case "reject":
			err = t.Reject(in.Measure, now, by, in.Reason)
		case "drop":
			err = t.Drop(in.Measure, now, by, in.Reason)
		}
		if err != nil {
			return err
		}
		out, err := s.res.Store.UpdateShared(ctx, p.Actor(), "measure."+act, store.RecordTracking, rec.ID, rec.Version, trackingFields(t))
		if err != nil {
			return err
		}
		return s.writeTracking(c, http.StatusOK, out)
	}
}

// followUpInput is the body of POST /v1/trackings/{id}/follow_up: why the
// situation is assessed again and the measures that prompted it.
type followUpInput struct {
	Reason   string   `json:"reason"`
	Measures []string `json:"measures"`
}

// openFollowUp answers POST /v1/trackings/{id}/follow_up: an assessor of
// the assessing body opens a follow-up assessment (跟踪评估) of the issued
// one, a draft linked to it, and the tracking records the link: the draft
// and the tracking at the version in If-Match are written in one store
// transaction, so that a stale tracking leaves no orphaned draft.
func (s *Server) openFollowUp(c echo.Context) error {
	const op = "rest.openFollowUp"
	var in followUpInput
	p, rec, t, err := s.loadTracking(c, op, &in)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	arec, sa, err := s.storedAssessmentOf(ctx, p, t.Assessment)
	if ssra.KindOf(err) == ssra.KindNotFound || err == nil && arec.ReadOnly {
		return ssra.Errorf(ssra.KindForbidden, op, "the assessing body opens a follow-up assessment")
	}
	if err != nil {
		return err
	}
	// The follow-up's id is the store's; the domain asks for one of its own.
	const placeholder = "follow-up"
	fu, err := t.OpenFollowUp(sa.Assessment, placeholder, in.Reason, in.Measures, s.res.Now().UTC(), p.Actor())
	if err != nil {
		return err
	}
	fu.ID = ""
	stored := storedAssessment{Profile: sa.Profile, ProfileID: sa.ProfileID, ProfileDigest: sa.ProfileDigest, Assessment: fu}
	link := store.Link{Action: "tracking.follow_up", Kind: store.RecordTracking, ID: rec.ID, Version: rec.Version,
		Fields: func(created store.Record) (store.Fields, error) {
			t.FollowUps[len(t.FollowUps)-1].Assessment = created.ID
			return trackingFields(t), nil
		}}
	frec, _, err := s.res.Store.CreateLinked(ctx, p.Actor(), "assessment.follow_up", store.RecordAssessment, assessmentFields(stored), link)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/assessments/"+frec.ID)
	return s.writeAssessment(c, http.StatusCreated, frec)
}

// decisionTracking is what a decision shows of its tracking: the
// tracking's id, the summary at the server's today and each measure's
// state then.
type decisionTracking struct {
	ID       string                  `json:"id"`
	Summary  riskeval.MeasureSummary `json:"summary"`
	Measures []measureState          `json:"measures"`
}

// measureState is a measure's state at a date.
type measureState struct {
	ID    string                `json:"id"`
	Owner string                `json:"owner"`
	Due   ssra.Date             `json:"due"`
	State riskeval.MeasureState `json:"state"`
}

// decisionView is a decision as a response shows it: the stored decision
// and, once its measures are tracked, their state.
type decisionView struct {
	decisionRecord
	Tracking *decisionTracking `json:"tracking,omitempty"`
}

// trackingOf finds the tracking the caller may read of the assessment,
// the one of decision when decision is given, else the latest opened; nil
// without one.
func (s *Server) trackingOf(ctx context.Context, p store.Identity, assessment, decision string) (*store.Record, *riskeval.Tracking, error) {
	q := store.Query{Kind: store.RecordTracking, Name: assessment, Limit: 500}
	var found *store.Record
	var ft *riskeval.Tracking
	for {
		page, err := s.res.Store.List(ctx, p.Actor(), q)
		if err != nil {
			return nil, nil, err
		}
		for _, rec := range page.Records {
			var t riskeval.Tracking
			if err := unmarshalStored(rec, &t); err != nil {
				return nil, nil, err
			}
			if decision != "" && t.Decision != decision {
				continue
			}
			if ft == nil || t.Opened.After(ft.Opened) {
				r := rec
				found, ft = &r, &t
			}
		}
		if page.Next == "" {
			return found, ft, nil
		}
		q.After = page.Next
	}
}

// viewDecision adds the state of the decision's measures when they are
// tracked.
func (s *Server) viewDecision(ctx context.Context, p store.Identity, rec store.Record, d decisionRecord) (decisionView, error) {
	v := decisionView{decisionRecord: d}
	if d.Outcome != riskeval.OutcomeApproveWithMeasures.String() {
		return v, nil
	}
	trec, t, err := s.trackingOf(ctx, p, d.AssessmentID, rec.ID)
	if err != nil || t == nil {
		return v, err
	}
	today := s.today()
	dt := &decisionTracking{ID: trec.ID, Summary: t.Summary(today), Measures: []measureState{}}
	for _, m := range t.Measures {
		dt.Measures = append(dt.Measures, measureState{ID: m.ID, Owner: m.Owner, Due: m.Due, State: m.StateAt(today)})
	}
	v.Tracking = dt
	return v, nil
}
