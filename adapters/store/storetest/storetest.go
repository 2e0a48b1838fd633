// Package storetest is the one contract suite every implementation of the
// storage interfaces in adapters/store runs: sqlstore on SQLite and on
// PostgreSQL, and the in-memory store the REST adapter's tests use. An
// implementation that passes it scopes, versions, shares, routes, links,
// lists and validates records as the REST routes rely on; scopes users and
// keys and stops authenticating a key the moment it is revoked or its
// user disabled; serves checkpoints that only grow and proofs that tlog's
// own verifiers accept; and verifies its log with reports scoped to an
// organisation. A part an implementation cannot do is declared in
// Subject.Lacks and skipped saying so; one left out silently fails.
package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/internal/canonical"
	"github.com/ssra-go/ssra/stability"
)

// Subject is one implementation under test, fresh for each case.
type Subject struct {
	// Records is the store.
	Records store.Records
	// Organisations is its directory of organisations.
	Organisations store.Organisations
	// Audit verifies its transparency log.
	Audit store.AuditVerifier
	// Users, Keys and Auth are its users, their API keys and the
	// authentication of a key; A, B and C are administrators of their
	// organisations in it, and none holds the operator role.
	Users store.Users
	Keys  store.Keys
	Auth  store.Authenticator
	// Log serves its transparency log's checkpoints, proofs and tiles;
	// Events must have integrated every leaf into it when it returns.
	Log store.Log
	// Lacks names what the implementation cannot do, each with the
	// reason: the cases that need it are skipped saying so. A part left
	// nil that Lacks does not name fails the suite, so that nothing
	// passes by being left out.
	Lacks map[Capability]string
	// A, B and C are users of three different organisations that exist,
	// none above another.
	A, B, C ssra.Actor
	// Events returns how many audit events the store holds, after
	// integrating any it queued; the suite checks that a failed write
	// adds none and that each write adds its own.
	Events func(t *testing.T) int64
}

// Capability is a part of the contract an implementation may lack.
type Capability string

// The capabilities, each the Subject field that provides it.
const (
	CanOrganisations Capability = "Organisations"
	CanAudit         Capability = "Audit"
	CanLog           Capability = "Log"
	CanUsers         Capability = "Users"
	CanKeys          Capability = "Keys and Auth"
)

// need skips the case when the subject declares it lacks c and fails it
// when the subject gives no c without saying so.
func need(t *testing.T, s Subject, c Capability, given bool) {
	t.Helper()
	switch why, lacks := s.Lacks[c]; {
	case given && lacks:
		t.Fatalf("the subject gives %s and declares it lacks it (%s)", c, why)
	case given:
	case lacks:
		t.Skipf("the implementation cannot do %s: %s", c, why)
	default:
		t.Fatalf("the subject gives no %s and does not declare that it lacks it", c)
	}
}

// Run runs the contract against the implementation open returns.
func Run(t *testing.T, open func(t *testing.T) Subject) {
	for _, c := range []struct {
		name string
		run  func(t *testing.T, s Subject)
	}{
		{"Scoping", scoping},
		{"OptimisticConcurrency", optimisticConcurrency},
		{"Modify", modify},
		{"RoutingAndSharing", routingAndSharing},
		{"CreateWithShares", createWithShares},
		{"SharedWrites", sharedWrites},
		{"CreateLinked", createLinked},
		{"ListFiltersAndPages", listFiltersAndPages},
		{"BodiesCanonical", bodiesCanonical},
		{"BadArguments", badArguments},
		{"PublicLookupAndUpdate", publicLookupAndUpdate},
		{"AuditReads", auditReads},
		{"Organisations", organisations},
		{"AuditVerification", auditVerification},
		{"TransparencyLog", transparencyLog},
		{"Users", users},
		{"KeysAuthenticate", keysAuthenticate},
	} {
		t.Run(c.name, func(t *testing.T) { c.run(t, open(t)) })
	}
}

// WantKind fails the test unless err is an error of kind want; what names
// the call that returned it.
func WantKind(t *testing.T, what string, err error, want ssra.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: got no error, want %s", what, want)
	}
	if got := ssra.KindOf(err); got != want {
		t.Fatalf("%s: got kind %s (%v), want %s", what, got, err, want)
	}
}

func must[T any](t *testing.T, what string) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		return v
	}
}

func count(t *testing.T, s Subject, by ssra.Actor, kind store.RecordKind) int {
	t.Helper()
	p, err := s.Records.List(context.Background(), by, store.Query{Kind: kind, Limit: 500})
	if err != nil {
		t.Fatalf("List: %v", err)
	}
	return len(p.Records)
}

func scoping(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	r := must[store.Record](t, "Create")(st.Create(ctx, s.A, "assessment.create", store.RecordAssessment,
		store.Fields{Status: "draft", Body: map[string]any{"title": "Waste plant"}}))
	if r.OrgID != s.A.OrgID || r.Version != 1 || r.CreatedBy != s.A.UserID || r.ReadOnly || r.Kind != store.RecordAssessment {
		t.Fatalf("created record: %+v", r)
	}
	got := must[store.Record](t, "Get by the owner")(st.Get(ctx, s.A, store.RecordAssessment, r.ID))
	if got.ID != r.ID || got.Digest != r.Digest || string(got.Body) != string(r.Body) || got.ReadOnly {
		t.Fatalf("owner's Get: %+v, want %+v", got, r)
	}
	_, err := st.Get(ctx, s.B, store.RecordAssessment, r.ID)
	WantKind(t, "Get of another organisation's record", err, ssra.KindNotFound)
	_, err = st.Update(ctx, s.B, "assessment.update", store.RecordAssessment, r.ID, 1, store.Fields{Body: "x"})
	WantKind(t, "Update of another organisation's record", err, ssra.KindNotFound)
	_, err = st.UpdateShared(ctx, s.B, "assessment.update", store.RecordAssessment, r.ID, 1, store.Fields{Body: "x"})
	WantKind(t, "UpdateShared of another organisation's record", err, ssra.KindNotFound)
	err = st.Share(ctx, s.B, store.RecordAssessment, r.ID, s.B.OrgID)
	WantKind(t, "Share of another organisation's record", err, ssra.KindNotFound)
	_, err = st.Route(ctx, s.B, "x", store.RecordAssessment, r.ID, 1, s.B.OrgID, store.Fields{Body: "x"})
	WantKind(t, "Route of another organisation's record", err, ssra.KindNotFound)
	_, err = st.Get(ctx, s.A, store.RecordComplaint, r.ID)
	WantKind(t, "Get under the wrong kind", err, ssra.KindNotFound)
	// A case's write reads the record with its casework facts: under the
	// wrong kind it finds nothing, and changes nothing.
	_, err = st.Update(ctx, s.A, "complaint.accept", store.RecordComplaint, r.ID, 1, store.Fields{Status: "accepted", Body: map[string]any{"x": 1}})
	WantKind(t, "Update under the wrong kind", err, ssra.KindNotFound)
	if got := must[store.Record](t, "Get after the refused update")(st.Get(ctx, s.A, store.RecordAssessment, r.ID)); got.Version != 1 || got.Status != "draft" {
		t.Fatalf("after an update under the wrong kind: %+v", got)
	}
	_, err = st.Get(ctx, s.A, 0, r.ID)
	WantKind(t, "Get under no kind", err, ssra.KindNotFound)
	_, err = st.Get(ctx, s.A, store.RecordAssessment, "no-such-id")
	WantKind(t, "Get of a missing id", err, ssra.KindNotFound)
	if n := count(t, s, s.B, store.RecordAssessment); n != 0 {
		t.Fatalf("List for organisation B: %d records, want 0", n)
	}
}

func optimisticConcurrency(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	r := must[store.Record](t, "Create")(st.Create(ctx, s.A, "plan.create", store.RecordPlan, store.Fields{Status: "draft", Body: map[string]any{"n": 0}}))
	r2, err := st.Update(ctx, s.A, "plan.update", store.RecordPlan, r.ID, 1, store.Fields{Status: "active", Body: map[string]any{"n": 1}})
	if err != nil || r2.Version != 2 || r2.Status != "active" {
		t.Fatalf("Update at version 1: %+v, %v", r2, err)
	}
	_, err = st.Update(ctx, s.A, "plan.update", store.RecordPlan, r.ID, 1, store.Fields{Body: map[string]any{"n": 2}})
	WantKind(t, "stale write", err, ssra.KindPreconditionFailed)

	// Many writers with the same version: exactly one wins, the others
	// are told they are stale, and none fails otherwise.
	oneWins(t, 12, func(i int) error {
		_, err := st.Update(ctx, s.A, "plan.update", store.RecordPlan, r.ID, 2, store.Fields{Status: "active", Body: map[string]any{"writer": i}})
		return err
	})
	got, err := st.Get(ctx, s.A, store.RecordPlan, r.ID)
	if err != nil || got.Version != 3 {
		t.Fatalf("after the race: version %d (%v), want 3", got.Version, err)
	}
}

// modify: Modify hands the stored record to the change and stores what it
// returns as the next version, with its own audit event; a stale version
// or a read-only share is refused before the change runs, and a change
// that fails, a stale one or one with invalid fields stores nothing and
// adds no event. Writers racing on one version: one wins. A change that
// names another organisation routes the record.
func modify(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	r := must[store.Record](t, "Create")(st.Create(ctx, s.A, "complaint.register", store.RecordComplaint,
		store.Fields{Status: "registered", Body: map[string]any{"n": 0}}))
	events := func() int64 {
		if s.Events == nil {
			return 0
		}
		return s.Events(t)
	}
	before := events()
	calls := 0
	bump := func(status string) func(store.Record) (store.Change, error) {
		return func(old store.Record) (store.Change, error) {
			calls++
			var body map[string]any
			if err := json.Unmarshal(old.Body, &body); err != nil {
				return store.Change{}, err
			}
			n, _ := body["n"].(float64)
			return store.Change{Fields: store.Fields{Status: status, Body: map[string]any{"n": n + 1}}}, nil
		}
	}
	_, err := st.Modify(ctx, s.A, "complaint.accept", store.RecordComplaint, r.ID, 2, bump("accepted"))
	WantKind(t, "Modify at a stale version", err, ssra.KindPreconditionFailed)
	_, err = st.Modify(ctx, s.B, "complaint.accept", store.RecordComplaint, r.ID, 1, bump("accepted"))
	WantKind(t, "Modify by another organisation", err, ssra.KindNotFound)
	refused := errors.New("the change refuses")
	_, err = st.Modify(ctx, s.A, "complaint.accept", store.RecordComplaint, r.ID, 1, func(store.Record) (store.Change, error) {
		calls++
		return store.Change{}, refused
	})
	if !errors.Is(err, refused) {
		t.Fatalf("Modify whose change fails: %v, want the change's error", err)
	}
	_, err = st.Modify(ctx, s.A, "complaint.accept", store.RecordComplaint, r.ID, 1, func(store.Record) (store.Change, error) {
		calls++
		return store.Change{Fields: store.Fields{Status: strings.Repeat("x", 65), Body: 1}}, nil
	})
	WantKind(t, "Modify to invalid fields", err, ssra.KindInvalid)
	if calls != 2 {
		t.Fatalf("the change ran %d times, want 2 (not for the stale version nor for the other organisation)", calls)
	}
	got := must[store.Record](t, "Get")(st.Get(ctx, s.A, store.RecordComplaint, r.ID))
	if got.Version != 1 || got.Status != "registered" || events() != before {
		t.Fatalf("after refused changes: version %d, status %q, %d new events; want nothing stored", got.Version, got.Status, events()-before)
	}
	done, err := st.Modify(ctx, s.A, "complaint.accept", store.RecordComplaint, r.ID, 1, bump("accepted"))
	if err != nil || done.Version != 2 || done.Status != "accepted" || done.OrgID != s.A.OrgID || !strings.Contains(string(done.Body), `"n":1`) {
		t.Fatalf("Modify: %+v, %v", done, err)
	}
	if n := events() - before; s.Events != nil && n != 1 {
		t.Fatalf("Modify added %d audit events, want 1", n)
	}

	oneWins(t, 8, func(i int) error {
		_, err := st.Modify(ctx, s.A, "complaint.investigate", store.RecordComplaint, r.ID, 2, func(store.Record) (store.Change, error) {
			return store.Change{Fields: store.Fields{Status: "investigating", Body: map[string]any{"writer": i}}}, nil
		})
		return err
	})

	routed, err := st.Modify(ctx, s.A, "complaint.route", store.RecordComplaint, r.ID, 3, func(store.Record) (store.Change, error) {
		return store.Change{Fields: store.Fields{Status: "routed", Body: map[string]any{"to": "B"}}, To: s.B.OrgID}, nil
	})
	if err != nil || routed.OrgID != s.B.OrgID || routed.Version != 4 || !routed.ReadOnly {
		t.Fatalf("Modify that routes: %+v, %v", routed, err)
	}
	_, err = st.Modify(ctx, s.A, "complaint.answer", store.RecordComplaint, r.ID, 4, bump("answered"))
	WantKind(t, "Modify by the sender after routing", err, ssra.KindForbidden)
	if _, err := st.Modify(ctx, s.B, "complaint.accept", store.RecordComplaint, r.ID, 4, func(store.Record) (store.Change, error) {
		return store.Change{Fields: store.Fields{Status: "accepted", Body: 1}}, nil
	}); err != nil {
		t.Fatalf("Modify by the receiver: %v", err)
	}
}

// oneWins runs n writers of one version at once: exactly one must win and
// the others be told they are stale (ssra.KindPreconditionFailed).
func oneWins(t *testing.T, n int, write func(i int) error) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = write(i)
		}()
	}
	wg.Wait()
	wins := 0
	for i, err := range errs {
		switch {
		case err == nil:
			wins++
		case ssra.KindOf(err) != ssra.KindPreconditionFailed:
			t.Fatalf("writer %d: %v", i, err)
		}
	}
	if wins != 1 {
		t.Fatalf("%d writers won the same version, want 1", wins)
	}
}

func routingAndSharing(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	c := must[store.Record](t, "Create")(st.Create(ctx, s.A, "complaint.register", store.RecordComplaint,
		store.Fields{Status: "registered", Reference: "XF-2026-0001", Body: map[string]any{"matter": "noise"}}))
	_, err := st.Route(ctx, s.A, "complaint.route", store.RecordComplaint, c.ID, 1, "no-such-org", store.Fields{Status: "routed", Body: "x"})
	WantKind(t, "Route to a missing organisation", err, ssra.KindNotFound)
	_, err = st.Route(ctx, s.A, "complaint.route", store.RecordComplaint, c.ID, 1, s.A.OrgID, store.Fields{Status: "routed", Body: "x"})
	WantKind(t, "Route to the owner", err, ssra.KindInvalid)
	routed, err := st.Route(ctx, s.A, "complaint.route", store.RecordComplaint, c.ID, 1, s.B.OrgID,
		store.Fields{Status: "routed", Reference: "XF-2026-0001", Body: map[string]any{"matter": "noise", "to": "B"}})
	if err != nil {
		t.Fatalf("Route: %v", err)
	}
	if routed.OrgID != s.B.OrgID || routed.Version != 2 || !routed.ReadOnly || routed.Status != "routed" {
		t.Fatalf("routed record: %+v", routed)
	}
	// The receiver owns it now and may change it.
	got, err := st.Get(ctx, s.B, store.RecordComplaint, c.ID)
	if err != nil || got.ReadOnly {
		t.Fatalf("receiver Get: read-only %v, %v", got.ReadOnly, err)
	}
	if _, err := st.Update(ctx, s.B, "complaint.accept", store.RecordComplaint, c.ID, 2, store.Fields{Status: "accepted", Reference: "XF-2026-0001", Body: map[string]any{"matter": "noise"}}); err != nil {
		t.Fatalf("receiver Update: %v", err)
	}
	// The sender keeps read access to what it sent, and nothing more.
	got, err = st.Get(ctx, s.A, store.RecordComplaint, c.ID)
	if err != nil || !got.ReadOnly || got.Status != "accepted" {
		t.Fatalf("sender Get: %+v, %v; want read-only", got, err)
	}
	_, err = st.Update(ctx, s.A, "complaint.answer", store.RecordComplaint, c.ID, 3, store.Fields{Body: "x"})
	WantKind(t, "sender Update after routing", err, ssra.KindForbidden)
	_, err = st.Get(ctx, s.C, store.RecordComplaint, c.ID)
	WantKind(t, "bystander Get", err, ssra.KindNotFound)
	for _, tc := range []struct {
		name  string
		by    ssra.Actor
		scope store.Scope
		want  int
	}{
		{"sender, all", s.A, store.ScopeAll, 1},
		{"sender, owned", s.A, store.ScopeOwned, 0},
		{"sender, shared", s.A, store.ScopeShared, 1},
		{"receiver, owned", s.B, store.ScopeOwned, 1},
		{"receiver, shared", s.B, store.ScopeShared, 0},
		{"bystander, all", s.C, store.ScopeAll, 0},
	} {
		p, err := st.List(ctx, tc.by, store.Query{Kind: store.RecordComplaint, Scope: tc.scope})
		if err != nil || len(p.Records) != tc.want {
			t.Fatalf("%s: %d records (%v), want %d", tc.name, len(p.Records), err, tc.want)
		}
	}
	_, err = st.Create(ctx, s.C, "complaint.register", store.RecordComplaint, store.Fields{Reference: "XF-2026-0001", Body: "x"})
	WantKind(t, "duplicate reference", err, ssra.KindConflict)

	// Explicit read-only sharing.
	a := must[store.Record](t, "Create")(st.Create(ctx, s.A, "assessment.create", store.RecordAssessment, store.Fields{Status: "issued", Body: map[string]any{"t": 1}}))
	if err := st.Share(ctx, s.A, store.RecordAssessment, a.ID, s.C.OrgID); err != nil {
		t.Fatalf("Share: %v", err)
	}
	if err := st.Share(ctx, s.A, store.RecordAssessment, a.ID, s.C.OrgID); err != nil {
		t.Fatalf("Share twice: %v", err)
	}
	if err := st.Share(ctx, s.A, store.RecordAssessment, a.ID, s.A.OrgID); err != nil {
		t.Fatalf("Share with the owner: %v", err)
	}
	err = st.Share(ctx, s.A, store.RecordAssessment, a.ID, "no-such-org")
	WantKind(t, "Share with a missing organisation", err, ssra.KindNotFound)
	got, err = st.Get(ctx, s.C, store.RecordAssessment, a.ID)
	if err != nil || !got.ReadOnly {
		t.Fatalf("shared Get: %+v, %v", got, err)
	}
	_, err = st.Update(ctx, s.C, "x", store.RecordAssessment, a.ID, 1, store.Fields{Body: "x"})
	WantKind(t, "Update through a share", err, ssra.KindForbidden)
	_, err = st.Route(ctx, s.C, "x", store.RecordAssessment, a.ID, 1, s.B.OrgID, store.Fields{Body: "x"})
	WantKind(t, "Route through a share", err, ssra.KindForbidden)
	err = st.Share(ctx, s.C, store.RecordAssessment, a.ID, s.B.OrgID)
	WantKind(t, "re-share by a reader", err, ssra.KindForbidden)
}

// createWithShares: a Create shared with organisations stores the record
// and its shares, audited, in one transaction, or nothing when one of them
// does not exist.
func createWithShares(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	before := s.Events(t)
	_, err := st.Create(ctx, s.A, "decision.create", store.RecordDecision, store.Fields{Status: "approved", Body: map[string]any{"d": 1}}, s.B.OrgID, "no-such-org")
	WantKind(t, "Create shared with a missing organisation", err, ssra.KindNotFound)
	if n := count(t, s, s.A, store.RecordDecision); n != 0 {
		t.Fatalf("decisions after the failed Create: %d, want none", n)
	}
	if got := s.Events(t); got != before {
		t.Fatalf("audit events after the failed Create: %d, want %d", got, before)
	}
	// The organisation named twice, and the owner, are shared with once
	// and never: each share that gives access is audited, as Share audits
	// it, and the others change nothing.
	d := must[store.Record](t, "Create with shares")(st.Create(ctx, s.A, "decision.create", store.RecordDecision, store.Fields{Status: "approved", Body: map[string]any{"d": 1}}, s.B.OrgID, s.B.OrgID, s.A.OrgID))
	if got := s.Events(t); got != before+2 {
		t.Fatalf("audit events after a Create shared with one organisation: %d, want %d (the Create and its share)", got, before+2)
	}
	got, err := st.Get(ctx, s.B, store.RecordDecision, d.ID)
	if err != nil || !got.ReadOnly || got.OrgID != s.A.OrgID {
		t.Fatalf("Get by the organisation shared with: %+v, %v", got, err)
	}
	_, err = st.Get(ctx, s.C, store.RecordDecision, d.ID)
	WantKind(t, "bystander Get", err, ssra.KindNotFound)
	if err := st.Share(ctx, s.A, store.RecordDecision, d.ID, s.B.OrgID); err != nil {
		t.Fatalf("sharing again: %v", err)
	}
	if got := s.Events(t); got != before+2 {
		t.Fatalf("audit events after sharing again: %d, want %d (nothing changed)", got, before+2)
	}
}

// sharedWrites: a record several organisations write in turn (a tracking
// of measures) is written through UpdateShared by its owner and by an
// organisation it was shared with; a bystander still sees nothing, and a
// stale version fails.
func sharedWrites(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	r := must[store.Record](t, "Create")(st.Create(ctx, s.A, "tracking.open", store.RecordTracking, store.Fields{Status: "open", Reference: "decision:d1", Body: map[string]any{"m": 0}}))
	if err := st.Share(ctx, s.A, store.RecordTracking, r.ID, s.B.OrgID); err != nil {
		t.Fatal(err)
	}
	_, err := st.Update(ctx, s.B, "measure.report", store.RecordTracking, r.ID, 1, store.Fields{Body: map[string]any{"m": 1}})
	WantKind(t, "Update through a share", err, ssra.KindForbidden)
	got, err := st.UpdateShared(ctx, s.B, "measure.report", store.RecordTracking, r.ID, 1, store.Fields{Status: "open", Reference: "decision:d1", Body: map[string]any{"m": 1}})
	if err != nil || got.Version != 2 || !got.ReadOnly || got.OrgID != s.A.OrgID {
		t.Fatalf("UpdateShared by the sharer: %+v, %v", got, err)
	}
	if got, err := st.UpdateShared(ctx, s.A, "measure.verify", store.RecordTracking, r.ID, 2, store.Fields{Status: "closed", Body: map[string]any{"m": 2}}); err != nil || got.ReadOnly {
		t.Fatalf("UpdateShared by the owner: %+v, %v", got, err)
	}
	_, err = st.UpdateShared(ctx, s.B, "measure.report", store.RecordTracking, r.ID, 2, store.Fields{Body: "x"})
	WantKind(t, "stale UpdateShared", err, ssra.KindPreconditionFailed)
	_, err = st.UpdateShared(ctx, s.C, "measure.report", store.RecordTracking, r.ID, 3, store.Fields{Body: "x"})
	WantKind(t, "bystander UpdateShared", err, ssra.KindNotFound)
}

// createLinked: a follow-up assessment (跟踪评估) opened by the assessing
// body from a tracking the decision body holds is created and linked from
// the tracking, written through the share, in one transaction; when the
// link fails (a stale or unknown tracking, or its fields) the follow-up is
// not stored either, and the audit log has neither event.
func createLinked(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	tr := must[store.Record](t, "Create")(st.Create(ctx, s.B, "tracking.open", store.RecordTracking, store.Fields{Status: "open", Body: map[string]any{"follow_ups": []string{}}}, s.A.OrgID))
	if _, err := st.UpdateShared(ctx, s.B, "measure.report", store.RecordTracking, tr.ID, 1, store.Fields{Status: "open", Body: map[string]any{"follow_ups": []string{}, "r": 1}}); err != nil {
		t.Fatal(err)
	}
	draft := store.Fields{Status: "draft", Body: map[string]any{"follow_up_of": "a1"}}
	link := func(version int64, fail error) store.Link {
		return store.Link{Action: "tracking.follow_up", Kind: store.RecordTracking, ID: tr.ID, Version: version,
			Fields: func(created store.Record) (store.Fields, error) {
				return store.Fields{Status: "open", Body: map[string]any{"follow_ups": []string{created.ID}}}, fail
			}}
	}
	before := s.Events(t)
	boom := errors.New("the link cannot be made")
	for _, c := range []struct {
		name    string
		link    store.Link
		want    ssra.Kind
		wantErr error
	}{
		{"stale linked record", link(1, nil), ssra.KindPreconditionFailed, nil},
		{"linked record unknown", store.Link{Action: "tracking.follow_up", Kind: store.RecordTracking, ID: "nope", Version: 2, Fields: link(2, nil).Fields}, ssra.KindNotFound, nil},
		{"linked record of a bystander", link(2, nil), ssra.KindNotFound, nil},
		{"fields fail", link(2, boom), 0, boom},
	} {
		by := s.A
		if c.name == "linked record of a bystander" {
			by = s.C
		}
		_, _, err := st.CreateLinked(ctx, by, "assessment.follow_up", store.RecordAssessment, draft, c.link)
		switch {
		case c.wantErr != nil && !errors.Is(err, c.wantErr):
			t.Fatalf("%s: %v, want %v", c.name, err, c.wantErr)
		case c.wantErr == nil && ssra.KindOf(err) != c.want:
			t.Fatalf("%s: %v, want kind %v", c.name, err, c.want)
		}
		if n := count(t, s, by, store.RecordAssessment); n != 0 {
			t.Fatalf("%s: %d assessments stored, want none", c.name, n)
		}
		if got := s.Events(t); got != before {
			t.Fatalf("%s: %d audit events, want %d", c.name, got, before)
		}
	}
	created, linked, err := st.CreateLinked(ctx, s.A, "assessment.follow_up", store.RecordAssessment, draft, link(2, nil))
	if err != nil {
		t.Fatal(err)
	}
	if created.OrgID != s.A.OrgID || created.Version != 1 || created.Kind != store.RecordAssessment {
		t.Fatalf("created: %+v", created)
	}
	if linked.Version != 3 || !linked.ReadOnly || linked.OrgID != s.B.OrgID || !strings.Contains(string(linked.Body), created.ID) {
		t.Fatalf("linked tracking: version %d, read-only %v, body %s", linked.Version, linked.ReadOnly, linked.Body)
	}
	if got := s.Events(t); got != before+2 {
		t.Fatalf("audit events after the follow-up: %d, want %d", got, before+2)
	}
}

func listFiltersAndPages(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	due := []string{"2026-03-01", "2026-03-10", "", "2026-04-01", "2026-02-15"}
	for i, d := range due {
		var dd ssra.Date
		if d != "" {
			dd, _ = ssra.ParseDate(d)
		}
		status := "investigating"
		if i == 4 {
			status = "closed"
		}
		if _, err := st.Create(ctx, s.A, "complaint.register", store.RecordComplaint,
			store.Fields{Status: status, DueOn: dd, Reference: fmt.Sprintf("R%d", i), Name: fmt.Sprintf("N%d", i%2), Body: map[string]any{"i": i}}); err != nil {
			t.Fatal(err)
		}
	}
	refs := func(q store.Query, maxPages int) (seen []string, sizes []int) {
		t.Helper()
		for pages := 0; ; pages++ {
			p, err := st.List(ctx, s.A, q)
			if err != nil || pages > maxPages {
				t.Fatalf("paging %+v: %v after %d pages", q, err, pages)
			}
			sizes = append(sizes, len(p.Records))
			for _, r := range p.Records {
				seen = append(seen, r.Reference)
			}
			if p.Next == "" {
				return seen, sizes
			}
			q.After = p.Next
		}
	}
	today, _ := ssra.ParseDate("2026-03-10")
	week, _ := ssra.ParseDate("2026-03-17")
	for _, c := range []struct {
		name string
		q    store.Query
		want []string
	}{
		{"overdue open", store.Query{Status: []string{"investigating"}, DueBefore: today}, []string{"R0"}},
		{"two statuses", store.Query{Status: []string{"investigating", "closed"}}, []string{"R0", "R1", "R2", "R3", "R4"}},
		{"closed", store.Query{Status: []string{"closed"}}, []string{"R4"}},
		{"by name", store.Query{Name: "N1"}, []string{"R1", "R3"}},
		{"by reference", store.Query{Reference: "R2"}, []string{"R2"}},
		{"due soon", store.Query{DueFrom: today, DueBefore: week}, []string{"R1"}},
		{"pages of two", store.Query{Limit: 2}, []string{"R0", "R1", "R2", "R3", "R4"}},
		{"due order, a page each", store.Query{Order: store.OrderDue, Limit: 1}, []string{"R4", "R0", "R1", "R3"}},
	} {
		c.q.Kind = store.RecordComplaint
		if got, _ := refs(c.q, 6); !slices.Equal(got, c.want) {
			t.Fatalf("%s: %v, want %v", c.name, got, c.want)
		}
	}
	// Bounded by bytes as well: each body is {"i":N}, 7 bytes, so 15
	// bytes hold two a page; a bound below one body gives one a page.
	for _, c := range []struct {
		max   int
		sizes []int
	}{{15, []int{2, 2, 1}}, {14, []int{2, 2, 1}}, {1, []int{1, 1, 1, 1, 1}}, {1 << 20, []int{5}}} {
		seen, sizes := refs(store.Query{Kind: store.RecordComplaint, Limit: 500, MaxBytes: c.max}, 6)
		if !slices.Equal(seen, []string{"R0", "R1", "R2", "R3", "R4"}) || !slices.Equal(sizes, c.sizes) {
			t.Fatalf("pages of at most %d bytes: %v in pages of %v, want pages of %v", c.max, seen, sizes, c.sizes)
		}
	}
	// A cursor of another order, or garbage, or an unknown order, scope
	// or kind is refused.
	first := must[store.Page](t, "List")(st.List(ctx, s.A, store.Query{Kind: store.RecordComplaint, Limit: 1}))
	byDue := must[store.Page](t, "List")(st.List(ctx, s.A, store.Query{Kind: store.RecordComplaint, Order: store.OrderDue, Limit: 1}))
	for _, bad := range []store.Query{
		{Kind: store.RecordComplaint, Order: store.OrderDue, After: first.Next},
		{Kind: store.RecordComplaint, After: byDue.Next},
		{Kind: store.RecordComplaint, After: "not a cursor!"},
		{Kind: store.RecordComplaint, Order: 9},
		{Kind: store.RecordComplaint, Scope: 9},
		{Kind: 99},
	} {
		_, err := st.List(ctx, s.A, bad)
		WantKind(t, fmt.Sprintf("bad listing query %+v", bad), err, ssra.KindInvalid)
	}
}

// bodiesCanonical: a body is stored and read back as canonical JSON, its
// numbers exactly as written, and its digest is of those bytes.
func bodiesCanonical(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	in := `{"z":"0.10","a":1.10,"big":12345678901234567890.123456789,"s":"<&> 中文","nested":{"y":[1,"1/3"],"b":null}}`
	want := `{"a":1.10,"big":12345678901234567890.123456789,"nested":{"b":null,"y":[1,"1/3"]},"s":"<&> 中文","z":"0.10"}`
	r := must[store.Record](t, "Create")(st.Create(ctx, s.A, "scheme.create", store.RecordScheme, store.Fields{Name: "county@1", Body: json.RawMessage(in)}))
	got := must[store.Record](t, "Get")(st.Get(ctx, s.A, store.RecordScheme, r.ID))
	if string(r.Body) != want || string(got.Body) != want {
		t.Fatalf("body written and read back:\n got %s\n and %s\nwant %s", r.Body, got.Body, want)
	}
	if got.Digest != canonical.Digest(got.Body) || got.Digest != r.Digest {
		t.Fatalf("digest %s of the read body differs from %s", got.Digest, canonical.Digest(got.Body))
	}
	u := must[store.Record](t, "Update")(st.Update(ctx, s.A, "scheme.update", store.RecordScheme, r.ID, 1, store.Fields{Name: "county@1", Body: map[string]any{"b": 1, "a": "x"}}))
	if string(u.Body) != `{"a":"x","b":1}` || u.Digest != canonical.Digest(u.Body) || u.Digest == r.Digest {
		t.Fatalf("updated body %s, digest %s", u.Body, u.Digest)
	}
}

func badArguments(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	before := s.Events(t)
	_, err := st.Create(ctx, ssra.Actor{}, "x", store.RecordPlan, store.Fields{Body: 1})
	WantKind(t, "zero actor", err, ssra.KindUnauthenticated)
	_, err = st.Create(ctx, s.A, "x", store.RecordKind(99), store.Fields{})
	WantKind(t, "unknown kind, no body", err, ssra.KindInvalid)
	if ps := ssra.ProblemsOf(err); len(ps) != 2 {
		t.Fatalf("want both problems at once, got %v", ps)
	}
	_, err = st.Create(ctx, s.A, "x", store.RecordPlan, store.Fields{Body: json.RawMessage(`{"a":1} x`)})
	WantKind(t, "trailing data in body", err, ssra.KindInvalid)
	_, err = st.Create(ctx, s.A, "x", store.RecordPlan, store.Fields{Status: "bad\xff", Body: 1})
	WantKind(t, "invalid UTF-8 status", err, ssra.KindInvalid)
	_, err = st.Create(ctx, s.A, "x", store.RecordPlan, store.Fields{Name: strings.Repeat("n", 201), Body: 1})
	WantKind(t, "name too long", err, ssra.KindInvalid)
	r := must[store.Record](t, "Create")(st.Create(ctx, s.A, "plan.create", store.RecordPlan, store.Fields{Body: 1}))
	_, err = st.Update(ctx, s.A, "plan.update", store.RecordPlan, r.ID, 1, store.Fields{Reference: strings.Repeat("r", 129), Body: 1})
	WantKind(t, "reference too long", err, ssra.KindInvalid)
	_, err = st.Get(ctx, ssra.Actor{}, store.RecordPlan, r.ID)
	WantKind(t, "Get by a zero actor", err, ssra.KindUnauthenticated)
	if got := s.Events(t); got != before+1 {
		t.Fatalf("audit events: %d, want %d (the one Create)", got, before+1)
	}
}

// publicLookupAndUpdate: the complainant's status check finds a case by
// reference whoever holds it, and a rating writes it at its version.
func publicLookupAndUpdate(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	c := must[store.Record](t, "Create")(st.Create(ctx, s.A, "complaint.register", store.RecordComplaint,
		store.Fields{Status: "registered", Reference: "XF-2026-0042", Body: map[string]any{"matter": "noise"}}))
	if _, err := st.Route(ctx, s.A, "complaint.route", store.RecordComplaint, c.ID, 1, s.B.OrgID, store.Fields{Status: "routed", Reference: "XF-2026-0042", Body: map[string]any{"matter": "noise"}}); err != nil {
		t.Fatal(err)
	}
	got, err := st.LookupReference(ctx, store.RecordComplaint, "XF-2026-0042")
	if err != nil || got.ID != c.ID || got.OrgID != s.B.OrgID || got.Version != 2 {
		t.Fatalf("LookupReference: %+v, %v", got, err)
	}
	for _, c := range []struct {
		name      string
		kind      store.RecordKind
		reference string
	}{{"empty reference", store.RecordComplaint, ""}, {"unknown reference", store.RecordComplaint, "XF-0"}, {"other kind", store.RecordDispute, "XF-2026-0042"}} {
		_, err := st.LookupReference(ctx, c.kind, c.reference)
		WantKind(t, c.name, err, ssra.KindNotFound)
	}
	_, err = st.UpdatePublic(ctx, "complaint.rate", store.RecordComplaint, c.ID, 1, store.Fields{Status: "rated", Reference: "XF-2026-0042", Body: map[string]any{"rating": 1}})
	WantKind(t, "stale UpdatePublic", err, ssra.KindPreconditionFailed)
	_, err = st.UpdatePublic(ctx, "complaint.rate", store.RecordDispute, c.ID, 2, store.Fields{Status: "rated", Body: 1})
	WantKind(t, "UpdatePublic under the wrong kind", err, ssra.KindNotFound)
	rated, err := st.UpdatePublic(ctx, "complaint.rate", store.RecordComplaint, c.ID, 2, store.Fields{Status: "rated", Reference: "XF-2026-0042", Body: map[string]any{"rating": 1}})
	if err != nil || rated.Version != 3 || rated.OrgID != s.B.OrgID || rated.Status != "rated" {
		t.Fatalf("UpdatePublic: %+v, %v", rated, err)
	}
	if got := must[store.Record](t, "Get")(st.Get(ctx, s.B, store.RecordComplaint, c.ID)); got.Version != 3 || got.Status != "rated" {
		t.Fatalf("after the rating: %+v", got)
	}
}

func auditReads(t *testing.T, s Subject) {
	ctx, st := context.Background(), s.Records
	a := must[store.Record](t, "Create")(st.Create(ctx, s.A, "complaint.register", store.RecordComplaint, store.Fields{Body: 1}))
	b := must[store.Record](t, "Create")(st.Create(ctx, s.A, "complaint.register", store.RecordComplaint, store.Fields{Body: 2}))
	before := s.Events(t)
	if err := st.AuditReads(ctx, s.A, "complaint.read", []store.Record{a, b}); err != nil {
		t.Fatalf("AuditReads: %v", err)
	}
	if got := s.Events(t); got != before+2 {
		t.Fatalf("audit events after two reads: %d, want %d", got, before+2)
	}
	if got := must[store.Record](t, "Get")(st.Get(ctx, s.A, store.RecordComplaint, a.ID)); got.Version != 1 {
		t.Fatalf("a read changed the record: %+v", got)
	}
}

func organisations(t *testing.T, s Subject) {
	need(t, s, CanOrganisations, s.Organisations != nil)
	ctx, o := context.Background(), s.Organisations
	if org, err := o.UserOrganisation(ctx, s.A.UserID); err != nil || org != s.A.OrgID {
		t.Fatalf("UserOrganisation: %q, %v", org, err)
	}
	if n, err := o.OrganisationName(ctx, s.B.OrgID); err != nil || n == "" {
		t.Fatalf("OrganisationName: %q, %v", n, err)
	}
	us, err := o.OrganisationUsers(ctx, s.A.OrgID)
	if err != nil || !slices.ContainsFunc(us, func(m stability.Member) bool { return m.ID == s.A.UserID }) {
		t.Fatalf("OrganisationUsers: %+v, %v", us, err)
	}
	for _, id := range []string{s.A.OrgID, s.C.OrgID} {
		if above, err := o.OrganisationsAbove(ctx, id); err != nil || len(above) != 0 {
			t.Fatalf("OrganisationsAbove a root: %v, %v", above, err)
		}
		if below, err := o.OrganisationsBelow(ctx, id); err != nil || len(below) != 0 {
			t.Fatalf("OrganisationsBelow a leaf: %v, %v", below, err)
		}
	}
	for name, call := range map[string]func() error{
		"OrganisationName":   func() error { _, err := o.OrganisationName(ctx, "no-such-org"); return err },
		"OrganisationUsers":  func() error { _, err := o.OrganisationUsers(ctx, "no-such-org"); return err },
		"UserOrganisation":   func() error { _, err := o.UserOrganisation(ctx, "no-such-user"); return err },
		"OrganisationsAbove": func() error { _, err := o.OrganisationsAbove(ctx, "no-such-org"); return err },
		"OrganisationsBelow": func() error { _, err := o.OrganisationsBelow(ctx, "no-such-org"); return err },
	} {
		WantKind(t, name+" of an unknown one", call(), ssra.KindNotFound)
	}
}

func auditVerification(t *testing.T, s Subject) {
	need(t, s, CanAudit, s.Audit != nil)
	ctx, st := context.Background(), s.Records
	var bID string
	for i, by := range []ssra.Actor{s.A, s.A, s.B} {
		r := must[store.Record](t, "Create")(st.Create(ctx, by, "plan.create", store.RecordPlan, store.Fields{Status: "draft", Body: map[string]any{"n": i}}))
		bID = r.ID
	}
	events := s.Events(t)
	all := must[store.AuditReport](t, "VerifyAudit")(s.Audit.VerifyAudit(ctx))
	if !all.OK || all.Scope != store.AuditScopeServer || all.OrgID != "" || all.Records != 3 || all.Leaves != events || all.Pending != 0 || all.Root == "" {
		t.Fatalf("the whole log's report after %d events: %+v", events, all)
	}
	a := must[store.AuditReport](t, "VerifyOrganisation")(s.Audit.VerifyOrganisation(ctx, s.A.OrgID))
	if !a.OK || a.Scope != store.AuditScopeOrganisation || a.OrgID != s.A.OrgID || a.Records != 2 || a.Leaves != all.Leaves || a.Root != all.Root ||
		a.Pending != 0 || a.Checkpoints != 0 || a.Cosignatures != 0 {
		t.Fatalf("A's report: %+v (the whole log's: %+v)", a, all)
	}
	b, err := json.Marshal(a)
	if err != nil {
		t.Fatalf("encoding A's report: %v", err)
	}
	var wire map[string]any
	if err := json.Unmarshal(b, &wire); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"pending", "checkpoints", "cosignatures"} {
		if _, ok := wire[k]; ok {
			t.Fatalf("A's report gives the server's %s: %s", k, b)
		}
	}
	if wire["scope"] != "organisation" || strings.Contains(string(b), bID) || strings.Contains(string(b), s.B.OrgID) {
		t.Fatalf("A's report as JSON: %s", b)
	}
	if b, err := json.Marshal(all); err != nil || !strings.Contains(string(b), `"scope":"server"`) || !strings.Contains(string(b), `"pending":0`) {
		t.Fatalf("the whole log's report as JSON: %s, %v", b, err)
	}
	_, err = s.Audit.VerifyOrganisation(ctx, "")
	WantKind(t, "VerifyOrganisation of no organisation", err, ssra.KindInvalid)
}

// latest returns the latest checkpoint after checking that its note is a
// checkpoint of the tree it describes and that it is no smaller than the
// one before.
func latest(t *testing.T, l store.Log, before store.Checkpoint) store.Checkpoint {
	t.Helper()
	cp := must[store.Checkpoint](t, "LatestCheckpoint")(l.LatestCheckpoint(context.Background()))
	if cp.Size < before.Size {
		t.Fatalf("the latest checkpoint shrank from %d to %d leaves", before.Size, cp.Size)
	}
	text, _, _ := strings.Cut(string(cp.Note), "\n\n")
	var parsed log.Checkpoint
	if _, err := parsed.Unmarshal([]byte(text + "\n")); err != nil {
		t.Fatalf("the checkpoint's note %q: %v", cp.Note, err)
	}
	if int64(parsed.Size) != cp.Size || string(parsed.Hash) != string(cp.Root[:]) {
		t.Fatalf("the checkpoint's note says size %d, root %x; the checkpoint %d, %x", parsed.Size, parsed.Hash, cp.Size, cp.Root)
	}
	return cp
}

func transparencyLog(t *testing.T, s Subject) {
	need(t, s, CanLog, s.Log != nil)
	ctx, st, l := context.Background(), s.Records, s.Log
	cp0 := latest(t, l, store.Checkpoint{})
	r := must[store.Record](t, "Create")(st.Create(ctx, s.A, "plan.create", store.RecordPlan, store.Fields{Status: "draft", Body: map[string]any{"n": 1}}))
	s.Events(t)
	cp1 := latest(t, l, cp0)
	if cp1.Size <= cp0.Size {
		t.Fatalf("a write did not grow the tree: %d leaves, then %d", cp0.Size, cp1.Size)
	}
	must[store.Record](t, "Update")(st.Update(ctx, s.A, "plan.update", store.RecordPlan, r.ID, 1, store.Fields{Status: "active", Body: map[string]any{"n": 2}}))
	events := s.Events(t)
	cp2 := latest(t, l, cp1)
	if cp2.Size <= cp1.Size || cp2.Size != events {
		t.Fatalf("after the update and %d events: the tree has %d leaves (before it %d)", events, cp2.Size, cp1.Size)
	}
	if again := latest(t, l, cp2); again.Size != cp2.Size || again.Root != cp2.Root {
		t.Fatalf("the latest checkpoint changed without a write: %+v, then %+v", cp2, again)
	}

	// Each version's leaf is in the tree, by tlog's own verifier; the
	// record read names the latest one.
	var idx [3]int64
	for v := int64(1); v <= 2; v++ {
		p := must[store.InclusionProof](t, "ProveRecord")(l.ProveRecord(ctx, s.A, r.ID, v))
		if p.TreeSize != cp2.Size || string(p.Checkpoint) != string(cp2.Note) {
			t.Fatalf("version %d is proved in the tree of %d leaves with %q, want the latest checkpoint's %d", v, p.TreeSize, p.Checkpoint, cp2.Size)
		}
		if err := tlog.CheckRecord(p.Proof, p.TreeSize, cp2.Root, p.Index, tlog.RecordHash(p.Leaf)); err != nil {
			t.Fatalf("version %d's inclusion proof does not verify: %v", v, err)
		}
		tampered := append([]byte(nil), p.Leaf...)
		tampered[len(tampered)/2] ^= 1
		if tlog.CheckRecord(p.Proof, p.TreeSize, cp2.Root, p.Index, tlog.RecordHash(tampered)) == nil {
			t.Fatalf("version %d's proof verifies a changed leaf too", v)
		}
		if !strings.Contains(string(p.Leaf), r.ID) {
			t.Fatalf("version %d's leaf does not name its record: %s", v, p.Leaf)
		}
		idx[v] = p.Index
	}
	if idx[2] <= idx[1] {
		t.Fatalf("version 2's leaf %d is not after version 1's %d", idx[2], idx[1])
	}
	if got := must[store.Record](t, "Get")(st.Get(ctx, s.A, store.RecordPlan, r.ID)); got.LeafIndex == nil || *got.LeafIndex != idx[2] {
		t.Fatalf("Get's leaf index: %v, want %d", got.LeafIndex, idx[2])
	}
	_, err := l.ProveRecord(ctx, s.B, r.ID, 1)
	WantKind(t, "ProveRecord of another organisation's record", err, ssra.KindNotFound)
	_, err = l.ProveRecord(ctx, s.A, r.ID, 3)
	WantKind(t, "ProveRecord of a version not written", err, ssra.KindNotFound)

	// The tree after the update extends the tree before it.
	tp := must[tlog.TreeProof](t, "ProveConsistency")(l.ProveConsistency(ctx, cp1.Size, cp2.Size))
	if err := tlog.CheckTree(tp, cp2.Size, cp2.Root, cp1.Size, cp1.Root); err != nil {
		t.Fatalf("the consistency proof from %d to %d does not verify: %v", cp1.Size, cp2.Size, err)
	}
	if tlog.CheckTree(tp, cp2.Size, cp2.Root, cp1.Size, cp2.Root) == nil {
		t.Fatal("the consistency proof verifies against a wrong older root too")
	}
	for _, sizes := range [][2]int64{{0, cp2.Size}, {cp2.Size, cp1.Size}, {cp1.Size, cp2.Size + 1}} {
		_, err := l.ProveConsistency(ctx, sizes[0], sizes[1])
		WantKind(t, fmt.Sprintf("ProveConsistency(%d, %d) of the tree of %d", sizes[0], sizes[1], cp2.Size), err, ssra.KindInvalid)
	}

	// The first tile's level-0 hashes are the leaves' record hashes.
	w := min(cp2.Size, 256)
	data := must[[]byte](t, "Tile")(l.Tile(ctx, tlog.Tile{H: 8, L: 0, N: 0, W: int(w)}.Path()))
	if int64(len(data)) != w*tlog.HashSize {
		t.Fatalf("tile of %d hashes: %d bytes", w, len(data))
	}
	for v := 1; v <= 2; v++ {
		p := must[store.InclusionProof](t, "ProveRecord")(l.ProveRecord(ctx, s.A, r.ID, int64(v)))
		if h := tlog.RecordHash(p.Leaf); p.Index < w && string(data[p.Index*tlog.HashSize:(p.Index+1)*tlog.HashSize]) != string(h[:]) {
			t.Fatalf("the tile's hash %d is not version %d's leaf's", p.Index, v)
		}
	}
	for _, path := range []string{tlog.Tile{H: 8, L: 0, N: 0, W: int(w) + 1}.Path(), tlog.Tile{H: 8, L: -1, N: 0, W: 1}.Path(), "tile/x"} {
		_, err := l.Tile(ctx, path)
		WantKind(t, "Tile "+path, err, ssra.KindNotFound)
	}
}

func users(t *testing.T, s Subject) {
	need(t, s, CanUsers, s.Users != nil)
	ctx, us := context.Background(), s.Users
	u := must[store.User](t, "CreateUser")(us.CreateUser(ctx, s.A, s.A.OrgID, "Wang Fang", []ssra.Role{ssra.RoleViewer, ssra.RoleCaseworker, ssra.RoleViewer}))
	want := []ssra.Role{ssra.RoleCaseworker, ssra.RoleViewer}
	slices.Sort(want)
	if u.ID == "" || u.OrgID != s.A.OrgID || u.Name != "Wang Fang" || !slices.Equal(u.Roles, want) || u.Disabled || u.Version != 1 {
		t.Fatalf("created user: %+v, want roles %v", u, want)
	}
	if got := must[store.User](t, "User")(us.User(ctx, s.A, u.ID)); got.ID != u.ID || got.OrgID != u.OrgID || got.Name != u.Name ||
		!slices.Equal(got.Roles, want) || got.Version != 1 || got.Disabled {
		t.Fatalf("the user read back: %+v, want %+v", got, u)
	}
	listed := func(by ssra.Actor, orgID, id string) bool {
		t.Helper()
		all := must[[]store.User](t, "Users")(us.Users(ctx, by, orgID))
		return slices.ContainsFunc(all, func(x store.User) bool { return x.ID == id })
	}
	if !listed(s.A, s.A.OrgID, u.ID) || !listed(s.A, s.A.OrgID, s.A.UserID) {
		t.Fatal("A's users leave out the new user or A")
	}
	if listed(s.B, s.B.OrgID, u.ID) || listed(s.B, s.A.OrgID, u.ID) {
		t.Fatal("B's administrator lists a user of A")
	}

	// People are told apart by identifiers: B's user of the same name is
	// another user, whom A cannot reach.
	twin := must[store.User](t, "CreateUser in B")(us.CreateUser(ctx, s.B, s.B.OrgID, "Wang Fang", []ssra.Role{ssra.RoleViewer}))
	if twin.ID == u.ID || twin.OrgID != s.B.OrgID {
		t.Fatalf("B's Wang Fang: %+v, A's: %+v", twin, u)
	}
	_, err := us.User(ctx, s.A, twin.ID)
	WantKind(t, "User of another organisation", err, ssra.KindNotFound)
	_, err = us.UpdateUser(ctx, s.A, twin.ID, 1, []ssra.Role{ssra.RoleAdmin}, false)
	WantKind(t, "UpdateUser of another organisation's user", err, ssra.KindNotFound)
	_, err = us.CreateUser(ctx, s.B, s.A.OrgID, "Li Lei", []ssra.Role{ssra.RoleViewer})
	WantKind(t, "CreateUser in another organisation", err, ssra.KindNotFound)
	_, err = us.CreateUser(ctx, s.A, s.A.OrgID, "Wang Fang", []ssra.Role{ssra.RoleViewer})
	WantKind(t, "CreateUser of a name the organisation has", err, ssra.KindConflict)
	_, err = us.CreateUser(ctx, s.A, s.A.OrgID, " Li Lei", []ssra.Role{ssra.RoleViewer})
	WantKind(t, "CreateUser of a name with a leading space", err, ssra.KindInvalid)
	_, err = us.CreateUser(ctx, s.A, s.A.OrgID, "Li Lei", []ssra.Role{ssra.RoleViewer, ssra.Role(200)})
	WantKind(t, "CreateUser with an unknown role", err, ssra.KindInvalid)
	_, err = us.CreateUser(ctx, s.A, s.A.OrgID, "Li Lei", []ssra.Role{ssra.RoleViewer, ssra.RoleOperator})
	WantKind(t, "CreateUser granting the operator role", err, ssra.KindForbidden)
	if slices.ContainsFunc(must[[]store.User](t, "Users")(us.Users(ctx, s.A, s.A.OrgID)), func(x store.User) bool { return x.Name == "Li Lei" }) {
		t.Fatal("a refused CreateUser stored a user")
	}

	// Changes name the version they were made from.
	u2 := must[store.User](t, "UpdateUser")(us.UpdateUser(ctx, s.A, u.ID, 1, []ssra.Role{ssra.RoleAdmin}, true))
	if u2.Version != 2 || !slices.Equal(u2.Roles, []ssra.Role{ssra.RoleAdmin}) || !u2.Disabled || u2.Name != u.Name {
		t.Fatalf("updated user: %+v", u2)
	}
	_, err = us.UpdateUser(ctx, s.A, u.ID, 1, []ssra.Role{ssra.RoleViewer}, false)
	WantKind(t, "UpdateUser from a stale version", err, ssra.KindPreconditionFailed)
	if got := must[store.User](t, "User")(us.User(ctx, s.A, u.ID)); got.Version != 2 || !got.Disabled || !slices.Equal(got.Roles, []ssra.Role{ssra.RoleAdmin}) {
		t.Fatalf("a stale update wrote: %+v", got)
	}
	_, err = us.UpdateUser(ctx, s.A, u.ID, 2, []ssra.Role{ssra.RoleOperator}, false)
	WantKind(t, "UpdateUser granting the operator role", err, ssra.KindForbidden)

	// An administrator cannot lock themselves out.
	me := must[store.User](t, "User of oneself")(us.User(ctx, s.A, s.A.UserID))
	_, err = us.UpdateUser(ctx, s.A, me.ID, me.Version, []ssra.Role{ssra.RoleViewer}, false)
	WantKind(t, "UpdateUser giving up one's own admin role", err, ssra.KindConflict)
	_, err = us.UpdateUser(ctx, s.A, me.ID, me.Version, me.Roles, true)
	WantKind(t, "UpdateUser disabling oneself", err, ssra.KindConflict)
}

func keysAuthenticate(t *testing.T, s Subject) {
	need(t, s, CanUsers, s.Users != nil)
	need(t, s, CanKeys, s.Keys != nil && s.Auth != nil)
	ctx, ks := context.Background(), s.Keys
	u := must[store.User](t, "CreateUser")(s.Users.CreateUser(ctx, s.A, s.A.OrgID, "Zhao Min", []ssra.Role{ssra.RoleCaseworker}))
	secret, k, err := ks.IssueKey(ctx, s.A, u.ID, store.KeySpec{Name: "case system"})
	if err != nil || secret == "" || k.ID == "" || k.UserID != u.ID || k.OrgID != s.A.OrgID || k.Name != "case system" || k.CreatedBy != s.A.UserID ||
		k.RevokedAt != nil || k.ExpiresAt != nil || strings.Contains(fmt.Sprintf("%+v", k), secret) {
		t.Fatalf("IssueKey: %+v, %v", k, err)
	}
	authenticates := func(what, key string, roles ...ssra.Role) {
		t.Helper()
		id, err := s.Auth.Authenticate(ctx, key)
		if err != nil {
			t.Fatalf("%s: Authenticate: %v", what, err)
		}
		if id.UserID != u.ID || id.OrgID != s.A.OrgID || id.UserName != u.Name || id.OrgName == "" || !slices.Equal(id.Roles, roles) ||
			id.Actor() != (ssra.Actor{UserID: u.ID, OrgID: s.A.OrgID}) {
			t.Fatalf("%s: identity %+v, want user %s of %s with %v", what, id, u.ID, s.A.OrgID, roles)
		}
	}
	refused := func(what, key string) {
		t.Helper()
		_, err := s.Auth.Authenticate(ctx, key)
		WantKind(t, what, err, ssra.KindUnauthenticated)
	}
	authenticates("a new key", secret, ssra.RoleCaseworker)
	for _, bad := range []string{"", secret[:len(secret)-1], secret[:len(secret)-1] + "x", strings.ToUpper(secret)} {
		refused(fmt.Sprintf("key %q", bad), bad)
	}
	if got := must[[]store.APIKey](t, "Keys")(ks.Keys(ctx, s.A, u.ID)); len(got) != 1 || got[0].ID != k.ID || got[0].OrgID != s.A.OrgID {
		t.Fatalf("the user's keys: %+v", got)
	}
	if got := must[[]store.APIKey](t, "Keys")(ks.Keys(ctx, s.B, "")); slices.ContainsFunc(got, func(x store.APIKey) bool { return x.UserID == u.ID }) {
		t.Fatalf("B's administrator lists A's keys: %+v", got)
	}
	_, _, err = ks.IssueKey(ctx, s.B, u.ID, store.KeySpec{Name: "stolen"})
	WantKind(t, "IssueKey for another organisation's user", err, ssra.KindNotFound)
	_, err = ks.RevokeKey(ctx, s.B, k.ID)
	WantKind(t, "RevokeKey of another organisation's key", err, ssra.KindNotFound)
	authenticates("after B's revocation failed", secret, ssra.RoleCaseworker)
	_, _, err = ks.IssueKey(ctx, s.A, u.ID, store.KeySpec{Name: "past", ExpiresAt: time.Now().Add(-time.Minute)})
	WantKind(t, "IssueKey expiring in the past", err, ssra.KindInvalid)

	// Roles and the disabled flag take effect at once.
	u = must[store.User](t, "UpdateUser")(s.Users.UpdateUser(ctx, s.A, u.ID, u.Version, []ssra.Role{ssra.RoleViewer, ssra.RoleAssessor}, false))
	authenticates("after a change of roles", secret, u.Roles...)
	u = must[store.User](t, "UpdateUser")(s.Users.UpdateUser(ctx, s.A, u.ID, u.Version, u.Roles, true))
	refused("a disabled user's key", secret)
	_, _, err = ks.IssueKey(ctx, s.A, u.ID, store.KeySpec{Name: "for a disabled user"})
	WantKind(t, "IssueKey for a disabled user", err, ssra.KindConflict)
	u = must[store.User](t, "UpdateUser")(s.Users.UpdateUser(ctx, s.A, u.ID, u.Version, u.Roles, false))
	authenticates("after re-enabling", secret, u.Roles...)

	// Rotation revokes the old key and issues its successor.
	secret2, k2, err := ks.RotateKey(ctx, s.A, k.ID, time.Time{})
	if err != nil || secret2 == secret || k2.ID == k.ID || k2.UserID != u.ID || k2.Name != k.Name {
		t.Fatalf("RotateKey: %+v, %v", k2, err)
	}
	refused("a rotated key", secret)
	authenticates("the rotated key's successor", secret2, u.Roles...)
	_, _, err = ks.RotateKey(ctx, s.A, k.ID, time.Time{})
	WantKind(t, "RotateKey of a revoked key", err, ssra.KindConflict)

	// A revoked key no longer authenticates; revoking again changes nothing.
	r := must[store.APIKey](t, "RevokeKey")(ks.RevokeKey(ctx, s.A, k2.ID))
	if r.ID != k2.ID || r.RevokedAt == nil {
		t.Fatalf("revoked key: %+v", r)
	}
	refused("a revoked key", secret2)
	again := must[store.APIKey](t, "RevokeKey again")(ks.RevokeKey(ctx, s.A, k2.ID))
	if again.RevokedAt == nil || !again.RevokedAt.Equal(*r.RevokedAt) {
		t.Fatalf("revoking again moved the revocation: %v, then %v", r.RevokedAt, again.RevokedAt)
	}
	refused("a revoked key, revoked again", secret2)
}
