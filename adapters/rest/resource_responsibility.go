package rest

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// Case responsibility (包案): the head of the handling organisation (its
// administrator acting as a caseworker) makes a leader of the organisation
// responsible for a complaint or dispute, changes or releases them, the
// history kept on the case; a complaint may carry a supervision mark (督办)
// naming the supervising body. The leader and the body are identifiers the
// server checks: the leader a user of the handling organisation, the body
// an organisation. The complainant's status check shows the responsible
// body only. Leaders' reception days (领导接访/下访) are records of the
// organisation that held them.

// Bodies of the responsibility transitions.
type (
	leaderInput struct {
		UserID string `json:"user_id"`
		Post   string `json:"post"`
		Reason string `json:"reason"`
	}
	supervisionInput struct {
		Body   string `json:"body"`
		Reason string `json:"reason"`
	}
)

// leaderOf is the leader a body names: the user, of the caller's
// organisation (which the domain holds to the handling one), in a post.
func leaderOf(in leaderInput, by stability.Participant) stability.CaseLeader {
	return stability.CaseLeader{UserID: in.UserID, Org: by.Unit, Post: in.Post}
}

func init() {
	complaintActions["assign_leader"] = func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in leaderInput
		return withBody(c, &in, func() error { return cs.AssignLeader(now, by, leaderOf(in, by), in.Reason) })
	}
	complaintActions["release_leader"] = func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in reasonInput
		return withBody(c, &in, func() error { return cs.ReleaseLeader(now, by, in.Reason) })
	}
	complaintActions["supervise_by"] = func(c echo.Context, cs *stability.Complaint, by stability.Participant, now nowT) error {
		var in supervisionInput
		return withBody(c, &in, func() error { return cs.SuperviseBy(now, by, in.Body, in.Reason) })
	}
	disputeActions["assign_leader"] = func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in leaderInput
		return withBody(c, &in, func() error { return d.AssignLeader(now, by, leaderOf(in, by), in.Reason) })
	}
	disputeActions["release_leader"] = func(c echo.Context, d *stability.Dispute, by stability.Participant, now nowT) error {
		var in reasonInput
		return withBody(c, &in, func() error { return d.ReleaseLeader(now, by, in.Reason) })
	}
}

// checkResponsibility holds what a responsibility transition recorded to
// the identities the store knows, before it is stored: the new leader is a
// user of the handling organisation, the supervising body an organisation.
// A user of another organisation is refused as an unknown one, so that the
// answer tells nothing of other organisations' staff.
//
// dir answers the lookups: inside Records.Modify it must be a frozen
// lookupMemo (responsibilityLookups), never the store.
func (s *Server) checkResponsibility(ctx context.Context, dir directoryLookups, action string, r *stability.Record, marks []stability.Mark) error {
	const op = "rest.responsibility"
	switch action {
	case "assign_leader":
		cur, ok := r.Responsible()
		if !ok {
			return nil
		}
		org, err := dir.UserOrganisation(ctx, cur.Leader.UserID)
		if err != nil && ssra.KindOf(err) != ssra.KindNotFound {
			return err
		}
		if err != nil || org != r.Organ {
			return ssra.Problems{{Code: "case.leader_unknown", Field: "user_id", Message: "no user " + cur.Leader.UserID + " of the handling organisation " + r.Organ}}.Err(op)
		}
	case "supervise_by":
		if len(marks) == 0 {
			return nil
		}
		body := marks[len(marks)-1].Body
		if _, err := dir.OrganisationName(ctx, body); ssra.KindOf(err) == ssra.KindNotFound {
			return ssra.Problems{{Code: "case.supervising_body_unknown", Field: "body", Message: "no organisation " + body + ": name the supervising body by its identifier"}}.Err(op)
		} else if err != nil {
			return err
		}
	}
	return nil
}

// directoryLookups is what checkResponsibility reads of the directory.
type directoryLookups interface {
	OrganisationName(ctx context.Context, id string) (string, error)
	UserOrganisation(ctx context.Context, userID string) (string, error)
}

// lookupMemo answers checkResponsibility's lookups from what it read
// before the case's write began, so that no store read is made while a
// transition holds its write inside Records.Modify: on PostgreSQL that
// write holds a pool connection, and as many such transitions as the pool
// has connections would each wait for a connection none of them gives
// back. While next is set it reads through and remembers; once frozen
// (next nil) a lookup it did not make before is refused, which cannot
// happen for the same case at the same version and the same body.
type lookupMemo struct {
	next  directoryLookups
	users map[string]lookupAnswer
	orgs  map[string]lookupAnswer
}

type lookupAnswer struct {
	v   string
	err error
}

func (m *lookupMemo) answer(ctx context.Context, cache *map[string]lookupAnswer, key string, read func(context.Context, string) (string, error)) (string, error) {
	if a, ok := (*cache)[key]; ok {
		return a.v, a.err
	}
	if m.next == nil {
		return "", ssra.Errorf(ssra.KindPreconditionFailed, "rest.responsibility", "the case changed while the transition was checked: read it again and reapply the change")
	}
	v, err := read(ctx, key)
	if err != nil && ssra.KindOf(err) != ssra.KindNotFound {
		return "", err // not remembered: a failed read is no answer
	}
	if *cache == nil {
		*cache = map[string]lookupAnswer{}
	}
	(*cache)[key] = lookupAnswer{v, err}
	return v, err
}

// UserOrganisation is the directory's, remembered.
func (m *lookupMemo) UserOrganisation(ctx context.Context, userID string) (string, error) {
	return m.answer(ctx, &m.users, userID, func(ctx context.Context, id string) (string, error) { return m.next.UserOrganisation(ctx, id) })
}

// OrganisationName is the directory's, remembered.
func (m *lookupMemo) OrganisationName(ctx context.Context, id string) (string, error) {
	return m.answer(ctx, &m.orgs, id, func(ctx context.Context, id string) (string, error) { return m.next.OrganisationName(ctx, id) })
}

// responsibilityActions are the transitions whose check reads the
// directory (checkResponsibility).
var responsibilityActions = map[string]bool{"assign_leader": true, "supervise_by": true}

// responsibilityLookups returns the lookups a transition's
// checkResponsibility may use inside its write: for an action that reads
// the directory, the transition is run once first on the case as read
// before the write (k.prefetch), outside any lock, and its lookups are
// remembered; the memo is then frozen. Errors of that first run (an
// unknown case, a stale version, a refused change or check) are returned
// as they are.
func responsibilityLookups[T any](s *Server, c echo.Context, p store.Identity, k caseKind[T], action string, run func(cs *T, dir directoryLookups) error) (*lookupMemo, error) {
	memo := &lookupMemo{next: s.res.Store}
	if responsibilityActions[action] {
		if err := k.prefetch(s, c, p, func(cs *T) error { return run(cs, memo) }); err != nil {
			return nil, err
		}
	}
	memo.next = nil
	return memo, nil
}

func (s *Server) registerReception() {
	g := s.v1
	g.POST("/reception_days", s.recordReception, requireRole(ssra.RoleAdmin, ssra.RoleCaseworker))
	g.GET("/reception_days", s.listReceptions)
	g.GET("/reception_days/:id", s.getReception)
}

// receptionInput is the body of POST /v1/reception_days: the leader (a
// user of the caller's organisation, in a post), when and where, whether
// the leader went out to receive (下访), the cases received by kind and
// record id, and a note. It names no member of the public.
type receptionInput struct {
	Leader struct {
		UserID string `json:"user_id"`
		Post   string `json:"post"`
	} `json:"leader"`
	At    time.Time `json:"at"`
	Place string    `json:"place"`
	Visit bool      `json:"visit"`
	Cases []caseRef `json:"cases"`
	Note  string    `json:"note"`
}

// caseRef names a case by its kind (complaint or dispute) and record id.
type caseRef struct {
	Kind   string `json:"kind"`
	CaseID string `json:"case_id"`
}

func receptionOf(rec store.Record) (stability.ReceptionDay, error) {
	var d stability.ReceptionDay
	err := unmarshalStored(rec, &d)
	d.ID = rec.ID
	return d, err
}

func (s *Server) writeReception(c echo.Context, status int, rec store.Record) error {
	d, err := receptionOf(rec)
	if err != nil {
		return err
	}
	return writeResource(c, status, rec, envelope(rec, d))
}

// recordReception answers POST /v1/reception_days: the caller's
// organisation records a leader's reception day; the leader must be one of
// its users and each case one the caller may read (linked by its
// reference number).
func (s *Server) recordReception(c echo.Context) error {
	const op = "rest.recordReception"
	p, err := caller(c)
	if err != nil {
		return err
	}
	var in receptionInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	ctx := c.Request().Context()
	d := stability.ReceptionDay{Organ: p.OrgID, Leader: stability.CaseLeader{UserID: in.Leader.UserID, Org: p.OrgID, Post: in.Leader.Post},
		At: in.At, Place: in.Place, Visit: in.Visit, Note: in.Note}
	var ps ssra.Problems
	if in.Leader.UserID != "" {
		org, err := s.res.Store.UserOrganisation(ctx, in.Leader.UserID)
		if err != nil && ssra.KindOf(err) != ssra.KindNotFound {
			return err
		}
		if err != nil || org != p.OrgID {
			ps.Add("reception.leader_unknown", "leader.user_id", "no user %s of your organisation", in.Leader.UserID)
		}
	}
	if !in.At.IsZero() && in.At.After(s.res.Now()) {
		ps.Add("reception.time_future", "at", "a reception day is recorded once held")
	}
	for i, cs := range in.Cases {
		l, err := s.caseLink(ctx, p, cs.Kind, cs.CaseID)
		if ssra.KindOf(err) == ssra.KindInvalid {
			for _, q := range ssra.ProblemsOf(err) {
				q.Field = ssra.JoinPath(ssra.Index("cases", i), q.Field)
				ps = append(ps, q)
			}
			continue
		}
		if err != nil {
			return err
		}
		d.Cases = append(d.Cases, l)
	}
	ps = append(ps, d.Validate().Errors()...)
	if err := ps.Err(op); err != nil {
		return err
	}
	rec, err := s.res.Store.Create(ctx, p.Actor(), "reception.record", store.RecordReceptionDay, store.Fields{Status: "held", Name: d.Leader.UserID, Body: d})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/reception_days/"+rec.ID)
	return s.writeReception(c, http.StatusCreated, rec)
}

func (s *Server) getReception(c echo.Context) error {
	rec, err := s.readRecord(c, store.RecordReceptionDay)
	if err != nil {
		return err
	}
	return s.writeReception(c, http.StatusOK, rec)
}

func (s *Server) listReceptions(c echo.Context) error {
	return s.listKind(c, store.RecordReceptionDay, false, func(_ store.Identity, rec store.Record) (resource, error) {
		d, err := receptionOf(rec)
		return envelope(rec, d), err
	})
}
