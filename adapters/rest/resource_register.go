package rest

import (
	"context"
	"net/http"
	"slices"
	"strconv"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// The screening ledger (矛盾纠纷排查台账): an organ's screening plans with the
// rounds its units hold, and its register of the issues the rounds find.
// A plan is held by the organ and shared with each unit that screens under
// it; a unit records its own rounds, the organ any. A register entry is
// held by the organ and shared with its owner unit: the owner takes it up,
// resolves it and links it to a case, as the organ may; only the organ
// strikes it off (销号), on the verification of an official who did not
// report the resolution. Units, places and officials are named by
// identifier; no entry names a member of the public.

func (s *Server) registerLedger() {
	g := s.v1
	admin := requireRole(ssra.RoleAdmin)
	caseworker := requireRole(ssra.RoleCaseworker)
	g.POST("/screening_plans", s.createScreeningPlan, admin)
	g.GET("/screening_plans", s.listScreeningPlans)
	g.GET("/screening_plans/missed", s.missedRounds)
	g.GET("/screening_plans/:id", s.getScreeningPlan)
	g.POST("/screening_plans/:id/share", s.shareRecord(store.RecordScreeningPlan), admin)
	g.POST("/screening_plans/:id/rounds", s.recordRound, caseworker)
	g.POST("/register_entries", s.enterIssue, caseworker)
	g.GET("/register_entries", s.listEntries)
	g.GET("/register_entries/overdue", s.overdueEntries)
	g.GET("/register_entries/:id", s.getEntry)
	g.POST("/register_entries/:id/share", s.shareRecord(store.RecordRegisterEntry), requireRole(ssra.RoleAdmin, ssra.RoleCaseworker))
	for _, act := range []string{"start", "resolve", "close", "reject", "link_case"} {
		g.POST("/register_entries/:id/"+act, s.entryAct(act), caseworker)
	}
}

// storedScreening is the value of a screening plan record: the plan and
// the rounds held under it, in the order recorded.
type storedScreening struct {
	Plan   stability.ScreeningPlan `json:"plan"`
	Rounds []stability.Round       `json:"rounds"`
}

// screeningView is a plan as a response shows it: the plan, its rounds and
// every slot's state at the server's today on the server's calendar.
type screeningView struct {
	storedScreening
	At    ssra.Date              `json:"at"`
	Slots []stability.SlotStatus `json:"slots"`
}

func screeningFields(ss storedScreening) store.Fields {
	return store.Fields{Status: "active", Name: ss.Plan.ID, Body: ss}
}

func (s *Server) viewScreening(rec store.Record) (screeningView, error) {
	return s.viewScreeningAt(rec, s.today())
}

// viewScreeningAt is viewScreening with the rounds' states at a date.
func (s *Server) viewScreeningAt(rec store.Record, today ssra.Date) (screeningView, error) {
	var ss storedScreening
	if err := unmarshalStored(rec, &ss); err != nil {
		return screeningView{}, err
	}
	ss.Plan.ID = rec.ID
	slots, err := ss.Plan.Slots(s.res.Calendar)
	if err != nil {
		return screeningView{}, ssra.Wrap(ssra.KindInternal, "rest.screening", err, "a stored plan does not give its rounds")
	}
	return screeningView{storedScreening: ss, At: today, Slots: stability.RoundStatuses(slots, ss.Rounds, today)}, nil
}

func (s *Server) writeScreening(c echo.Context, status int, rec store.Record) error {
	v, err := s.viewScreening(rec)
	if err != nil {
		return err
	}
	return writeResource(c, status, rec, envelope(rec, v))
}

// knownOrgs refuses, naming each field, identifiers that are not of an
// organisation; ids maps a field path to the identifier.
func (s *Server) knownOrgs(ctx context.Context, op, code string, ids [][2]string) error {
	var ps ssra.Problems
	for _, fv := range ids {
		if _, err := s.res.Store.OrganisationName(ctx, fv[1]); err != nil {
			if ssra.KindOf(err) != ssra.KindNotFound {
				return err
			}
			ps.Add(code, fv[0], "%q is not the identifier of an organisation", fv[1])
		}
	}
	return ps.Err(op)
}

// createScreeningPlan answers POST /v1/screening_plans: the caller's
// organisation is the organ; every unit must be an organisation, and the
// plan is shared with the units in the same transaction.
func (s *Server) createScreeningPlan(c echo.Context) error {
	const op = "rest.createScreeningPlan"
	p, err := caller(c)
	if err != nil {
		return err
	}
	var plan stability.ScreeningPlan
	if err := decodeJSON(c, &plan); err != nil {
		return err
	}
	var ps ssra.Problems
	if plan.ID != "" {
		ps.Add("screening.id_readonly", "id", "the plan's id is the server's")
	}
	if plan.Organ == "" {
		plan.Organ = p.OrgID
	} else if plan.Organ != p.OrgID {
		ps.Add("screening.organ_not_caller", "organ", "a plan is kept by the caller's organisation %s", p.OrgID)
	}
	ps = append(ps, plan.Validate().Errors()...)
	if err := ps.Err(op); err != nil {
		return err
	}
	ctx := c.Request().Context()
	var units [][2]string
	var share []string
	for i, u := range plan.Units {
		units = append(units, [2]string{ssra.JoinPath(ssra.Index("units", i), "unit"), u.Unit})
		if u.Unit != p.OrgID {
			share = append(share, u.Unit)
		}
	}
	if err := s.knownOrgs(ctx, op, "screening.unit_unknown", units); err != nil {
		return err
	}
	rec, err := s.res.Store.Create(ctx, p.Actor(), "screening.plan", store.RecordScreeningPlan, screeningFields(storedScreening{Plan: plan, Rounds: []stability.Round{}}), share...)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/screening_plans/"+rec.ID)
	return s.writeScreening(c, http.StatusCreated, rec)
}

func (s *Server) getScreeningPlan(c echo.Context) error {
	rec, err := s.readRecord(c, store.RecordScreeningPlan)
	if err != nil {
		return err
	}
	return s.writeScreening(c, http.StatusOK, rec)
}

func (s *Server) listScreeningPlans(c echo.Context) error {
	return s.listKind(c, store.RecordScreeningPlan, false, func(_ store.Identity, rec store.Record) (resource, error) {
		v, err := s.viewScreening(rec)
		return envelope(rec, v), err
	})
}

// roundInput is the body of POST /v1/screening_plans/{id}/rounds: the
// round without its id, plan and leading official, which are the server's
// (the official is the caller).
type roundInput struct {
	Unit    string    `json:"unit"`
	Slot    string    `json:"slot"`
	Held    ssra.Date `json:"held"`
	Covered []string  `json:"covered"`
	Found   int       `json:"found"`
	Entries []string  `json:"entries"`
	Note    string    `json:"note"`
}

// recordRound answers POST /v1/screening_plans/{id}/rounds at the version
// in If-Match: the unit records its own round, the organ any unit's; a
// round held after today or not fitting the plan is refused.
func (s *Server) recordRound(c echo.Context) error {
	const op = "rest.recordRound"
	p, err := caller(c)
	if err != nil {
		return err
	}
	rec, err := s.loadShared(c, p, store.RecordScreeningPlan, op)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	var in roundInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	var ss storedScreening
	if err := unmarshalStored(rec, &ss); err != nil {
		return err
	}
	ss.Plan.ID = rec.ID
	if rec.ReadOnly && in.Unit != p.OrgID {
		return ssra.Errorf(ssra.KindForbidden, op, "a unit records its own rounds; the organ %s records any unit's", rec.OrgID)
	}
	r := stability.Round{ID: rec.ID + "-r" + strconv.Itoa(len(ss.Rounds)+1), Plan: rec.ID, Unit: in.Unit, Slot: in.Slot, Held: in.Held, By: p.UserID,
		Covered: in.Covered, Found: in.Found, Entries: in.Entries, Note: in.Note}
	slots, err := ss.Plan.Slots(s.res.Calendar)
	if err != nil {
		return ssra.Wrap(ssra.KindInternal, op, err, "a stored plan does not give its rounds")
	}
	ps := r.Check(ss.Plan, slots)
	if today := s.today(); r.Held.After(today) {
		ps.Add("round.held_future", "held", "%s is after today %s", r.Held, today)
	}
	if err := ps.Err(op); err != nil {
		return err
	}
	ss.Plan.ID = ""
	ss.Rounds = append(ss.Rounds, r)
	out, err := s.res.Store.UpdateShared(ctx, p.Actor(), "screening.round", store.RecordScreeningPlan, rec.ID, rec.Version, screeningFields(ss))
	if err != nil {
		return err
	}
	return s.writeScreening(c, http.StatusOK, out)
}

// missedSlot is a round missed (漏排) under a plan.
type missedSlot struct {
	PlanID string `json:"plan_id"`
	OrgID  string `json:"org_id"`
	stability.SlotStatus
}

// missedList is the body of GET /v1/screening_plans/missed.
type missedList struct {
	At    ssra.Date    `json:"at"`
	Items []missedSlot `json:"items"`
}

// missedRounds answers GET /v1/screening_plans/missed: the rounds missed at
// the server's today (not held, their due day on the server's calendar
// passed) under every plan the caller's organisation may see.
func (s *Server) missedRounds(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	if err := onlyQuery(c, "scope"); err != nil {
		return err
	}
	q, err := s.listQuery(c, store.RecordScreeningPlan)
	if err != nil {
		return err
	}
	q.Limit = 500
	today := s.today()
	out := missedList{At: today, Items: []missedSlot{}}
	for {
		page, err := s.res.Store.List(c.Request().Context(), p.Actor(), q)
		if err != nil {
			return err
		}
		for _, rec := range page.Records {
			v, err := s.viewScreening(rec)
			if err != nil {
				return err
			}
			for _, st := range v.Slots {
				if st.State == stability.SlotMissed {
					out.Items = append(out.Items, missedSlot{PlanID: rec.ID, OrgID: rec.OrgID, SlotStatus: st})
				}
			}
		}
		if page.Next == "" {
			break
		}
		q.After = page.Next
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// entryFields are a register entry's columns: its state, the owner unit as
// the name, and the deadline while it is in the register, for the overdue
// list.
func entryFields(e stability.Entry) store.Fields {
	f := store.Fields{Status: e.State.String(), Name: e.Owner, Body: e}
	if e.State != stability.EntryClosed {
		f.DueOn = e.Due
	}
	return f
}

func entryOf(rec store.Record) (stability.Entry, error) {
	var e stability.Entry
	err := unmarshalStored(rec, &e)
	e.ID = rec.ID
	return e, err
}

func (s *Server) writeEntry(c echo.Context, status int, rec store.Record) error {
	e, err := entryOf(rec)
	if err != nil {
		return err
	}
	return writeResource(c, status, rec, envelope(rec, e))
}

// enterIssue answers POST /v1/register_entries: the caller's organisation
// enters an issue in its register, with the deadline counted on the
// server's calendar; the owner unit must be an organisation and is shared
// the entry in the same transaction.
func (s *Server) enterIssue(c echo.Context) error {
	const op = "rest.enterIssue"
	p, err := caller(c)
	if err != nil {
		return err
	}
	var in stability.EntryIntake
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	e, err := stability.NewEntry("new", p.OrgID, in, s.res.Calendar, s.res.Now(), caseActor(p))
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	if err := s.knownOrgs(ctx, op, "register.owner_unknown", [][2]string{{"owner", in.Owner}}); err != nil {
		return err
	}
	var share []string
	if in.Owner != p.OrgID {
		share = append(share, in.Owner)
	}
	e.ID = ""
	rec, err := s.res.Store.Create(ctx, p.Actor(), "register.enter", store.RecordRegisterEntry, entryFields(*e), share...)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/register_entries/"+rec.ID)
	return s.writeEntry(c, http.StatusCreated, rec)
}

func (s *Server) getEntry(c echo.Context) error {
	rec, err := s.readRecord(c, store.RecordRegisterEntry)
	if err != nil {
		return err
	}
	return s.writeEntry(c, http.StatusOK, rec)
}

func (s *Server) listEntries(c echo.Context) error {
	return s.listKind(c, store.RecordRegisterEntry, false, func(_ store.Identity, rec store.Record) (resource, error) {
		e, err := entryOf(rec)
		return envelope(rec, e), err
	})
}

// overdueEntries answers GET /v1/register_entries/overdue: the entries
// still in the register after their deadline at the server's today
// (逾期未销号), earliest deadline first.
func (s *Server) overdueEntries(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	q, err := s.listQuery(c, store.RecordRegisterEntry)
	if err != nil {
		return err
	}
	q.Order, q.DueBefore = store.OrderDue, s.today()
	page, err := s.res.Store.List(c.Request().Context(), p.Actor(), q)
	if err != nil {
		return err
	}
	out := listing{Items: make([]resource, 0, len(page.Records)), Next: page.Next}
	for _, rec := range page.Records {
		e, err := entryOf(rec)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, envelope(rec, e))
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, out)
}

// entryInput is the body of a transition of an entry: the resolution, the
// verification's note, the rejection's reason, or the case to link (its
// kind and record id).
type entryInput struct {
	Resolution string `json:"resolution"`
	Note       string `json:"note"`
	Reason     string `json:"reason"`
	Kind       string `json:"kind"`
	CaseID     string `json:"case_id"`
}

// entryActFields are the members each transition takes.
var entryActFields = map[string][]string{"start": {}, "resolve": {"resolution"}, "close": {"note"}, "reject": {"reason"}, "link_case": {"kind", "case_id"}}

// entryAct answers POST /v1/register_entries/{id}/{act} at the version in
// If-Match. The organ or the owner unit starts, resolves and links; only
// the organ closes and rejects.
func (s *Server) entryAct(act string) echo.HandlerFunc {
	op := "rest.register." + act
	return func(c echo.Context) error {
		p, err := caller(c)
		if err != nil {
			return err
		}
		rec, err := s.loadShared(c, p, store.RecordRegisterEntry, op)
		if err != nil {
			return err
		}
		ctx := c.Request().Context()
		var in entryInput
		if act == "start" {
			err = noBody(c)
		} else {
			err = decodeJSON(c, &in)
		}
		if err != nil {
			return err
		}
		e, err := entryOf(rec)
		if err != nil {
			return err
		}
		var ps ssra.Problems
		for f, set := range map[string]bool{"resolution": in.Resolution != "", "note": in.Note != "", "reason": in.Reason != "", "kind": in.Kind != "", "case_id": in.CaseID != ""} {
			if set && !slices.Contains(entryActFields[act], f) {
				ps.Add("register.field_not_taken", f, "%s takes %v", act, entryActFields[act])
			}
		}
		if err := ps.Err(op); err != nil {
			return err
		}
		switch {
		case (act == "close" || act == "reject") && rec.ReadOnly:
			return ssra.Errorf(ssra.KindForbidden, op, "the organ keeping the register (%s) verifies and strikes off its entries", rec.OrgID)
		case rec.ReadOnly && p.OrgID != e.Owner:
			return ssra.Errorf(ssra.KindForbidden, op, "the organ keeping the register or the owner unit works on an entry")
		}
		now, by := s.res.Now(), caseActor(p)
		switch act {
		case "start":
			err = e.Start(now, by)
		case "resolve":
			err = e.Resolve(now, by, in.Resolution)
		case "close":
			err = e.Close(now, by, in.Note)
		case "reject":
			err = e.Reject(now, by, in.Reason)
		case "link_case":
			var l stability.CaseLink
			if l, err = s.caseLink(ctx, p, in.Kind, in.CaseID); err == nil {
				err = e.LinkCase(now, by, l)
			}
		}
		if err != nil {
			return err
		}
		e.ID = ""
		out, err := s.res.Store.UpdateShared(ctx, p.Actor(), "register."+act, store.RecordRegisterEntry, rec.ID, rec.Version, entryFields(e))
		if err != nil {
			return err
		}
		return s.writeEntry(c, http.StatusOK, out)
	}
}

// caseLink resolves the case an entry is linked to: a complaint or dispute
// the caller may read, by record id; the link carries its reference
// number (or its id, without one) and nothing of its people.
func (s *Server) caseLink(ctx context.Context, p store.Identity, kind, id string) (stability.CaseLink, error) {
	const op = "rest.register.link_case"
	var l stability.CaseLink
	if err := l.Kind.UnmarshalText([]byte(kind)); err != nil {
		return l, ssra.Problems{{Code: "case_link.kind_invalid", Field: "kind", Message: "must be complaint or dispute"}}.Err(op)
	}
	if id == "" {
		return l, ssra.Problems{{Code: "case_link.case_missing", Field: "case_id", Message: "name the case by its id"}}.Err(op)
	}
	rk := store.RecordComplaint
	if l.Kind == stability.CaseDispute {
		rk = store.RecordDispute
	}
	rec, err := s.res.Store.Get(ctx, p.Actor(), rk, id)
	if ssra.KindOf(err) == ssra.KindNotFound {
		return l, ssra.Problems{{Code: "case_link.case_unknown", Field: "case_id", Message: "no " + l.Kind.String() + " " + id + " that your organisation may see"}}.Err(op)
	}
	if err != nil {
		return l, err
	}
	l.Ref = rec.Reference
	if l.Ref == "" {
		l.Ref = rec.ID
	}
	return l, nil
}
