package rest_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/store"
)

// getCounter is a store that counts its Get calls.
type getCounter struct {
	rest.Store
	gets *atomic.Int64
}

func (g getCounter) Get(ctx context.Context, by ssra.Actor, kind store.RecordKind, id string) (store.Record, error) {
	g.gets.Add(1)
	return g.Store.Get(ctx, by, kind, id)
}

// TestCaseTransitionsReadInTheirWrite: a casework or mediation transition
// reads its case only inside its write (Store.Modify), with no Get before
// it (on PostgreSQL that read was a round trip of its own); a transition
// at a stale version is 412 and stores nothing.
func TestCaseTransitionsReadInTheirWrite(t *testing.T) {
	var gets atomic.Int64
	f := newFixtureWith(t, rest.Config{AuthFailureLimit: -1}, func(r *rest.Resources) {
		r.Store = getCounter{Store: r.Store, gets: &gets}
	})
	cwA := keyOf(orgA, ssra.RoleCaseworker)
	for _, tc := range []struct {
		path, action string
		body         map[string]any
		step         any
	}{
		{"/v1/complaints", "accept", complaintJSON(), nil},
		{"/v1/disputes", "assign", disputeJSON(), map[string]any{"user_id": "u-med", "name": "mediator", "mode": "standard"}},
	} {
		id := f.call(t, "POST", tc.path, cwA, tc.body).must(t, http.StatusCreated).str("id")
		gets.Store(0)
		f.call(t, "POST", tc.path+"/"+id+"/"+tc.action, cwA, tc.step, "If-Match", `"v1"`).must(t, http.StatusOK)
		if n := gets.Load(); n != 0 {
			t.Fatalf("%s %s: %d reads before the write, want none", tc.path, tc.action, n)
		}
		actions := len(f.store.actions)
		f.call(t, "POST", tc.path+"/"+id+"/"+tc.action, cwA, tc.step, "If-Match", `"v1"`).must(t, http.StatusPreconditionFailed)
		if n := len(f.store.actions); n != actions {
			t.Fatalf("%s: a stale transition stored %d audited changes", tc.path, n-actions)
		}
		if got := f.call(t, "GET", tc.path+"/"+id, cwA, nil).must(t, http.StatusOK); got.str("version") != "2" {
			t.Fatalf("%s after a stale transition: version %s, want 2", tc.path, got.str("version"))
		}
	}
}

// lockWatch is a store that counts the directory reads a transition makes,
// and those made while a Modify's change runs (the case's write is open
// then, holding a connection on PostgreSQL).
type lockWatch struct {
	rest.Store
	inside        *atomic.Bool
	reads, during *atomic.Int64
}

func (w lockWatch) Modify(ctx context.Context, by ssra.Actor, action string, kind store.RecordKind, id string, version int64, change func(store.Record) (store.Change, error)) (store.Record, error) {
	return w.Store.Modify(ctx, by, action, kind, id, version, func(r store.Record) (store.Change, error) {
		w.inside.Store(true)
		defer w.inside.Store(false)
		return change(r)
	})
}

func (w lockWatch) read() {
	w.reads.Add(1)
	if w.inside.Load() {
		w.during.Add(1)
	}
}

func (w lockWatch) UserOrganisation(ctx context.Context, userID string) (string, error) {
	w.read()
	return w.Store.UserOrganisation(ctx, userID)
}

func (w lockWatch) OrganisationName(ctx context.Context, id string) (string, error) {
	w.read()
	return w.Store.OrganisationName(ctx, id)
}

// TestResponsibilityLooksUpOutsideTheWrite: the transitions whose check
// reads the directory (a leader's organisation, a supervising body) read
// it before the case's write, never inside it: on PostgreSQL as many such
// transitions as the pool has connections would otherwise each wait, with
// the case's write open, for a connection none of them gives back. The
// checks still hold inside the write, and a stale version stores nothing.
func TestResponsibilityLooksUpOutsideTheWrite(t *testing.T) {
	var inside atomic.Bool
	var reads, during atomic.Int64
	f := newFixtureWith(t, rest.Config{AuthFailureLimit: -1}, func(r *rest.Resources) {
		r.Store = lockWatch{Store: r.Store, inside: &inside, reads: &reads, during: &during}
	})
	cwA := keyOf(orgA, ssra.RoleCaseworker)
	leader := map[string]any{"user_id": "u-" + orgA + "-reviewer", "post": "deputy director"}
	// complaint returns a complaint about a matter of its own, so that it
	// is not refused as a repeat of another.
	complaint := func(facts, ref string) map[string]any {
		b := complaintJSON()
		b["matter"].(map[string]any)["facts"] = facts
		b["ref"] = ref
		return b
	}
	for _, tc := range []struct {
		path, action string
		body, step   map[string]any
	}{
		{"/v1/complaints", "assign_leader", complaint("water cut for two weeks", "XF-2026-000910"), leader},
		{"/v1/complaints", "supervise_by", complaint("water cut for three weeks", "XF-2026-000911"), map[string]any{"body": orgB, "reason": "followed by the city"}},
		{"/v1/disputes", "assign_leader", disputeJSON(), leader},
	} {
		id := f.call(t, "POST", tc.path, cwA, tc.body).must(t, http.StatusCreated).str("id")
		reads.Store(0)
		during.Store(0)
		f.call(t, "POST", tc.path+"/"+id+"/"+tc.action, head, tc.step, "If-Match", `"v1"`).must(t, http.StatusOK)
		if reads.Load() == 0 || during.Load() != 0 {
			t.Fatalf("%s %s: %d directory reads, %d of them inside the write; want some, none inside", tc.path, tc.action, reads.Load(), during.Load())
		}
		actions := len(f.store.actions)
		f.call(t, "POST", tc.path+"/"+id+"/"+tc.action, head, tc.step, "If-Match", `"v1"`).must(t, http.StatusPreconditionFailed)
		if n := len(f.store.actions); n != actions {
			t.Fatalf("%s %s: a stale transition stored %d audited changes", tc.path, tc.action, n-actions)
		}
	}
	// A leader of another organisation is still refused, before any write.
	id := f.call(t, "POST", "/v1/complaints", cwA, complaint("water cut for a month", "XF-2026-000912")).must(t, http.StatusCreated).str("id")
	actions := len(f.store.actions)
	f.call(t, "POST", "/v1/complaints/"+id+"/assign_leader", head, map[string]any{"user_id": "u-" + orgB + "-reviewer", "post": "director"}, "If-Match", `"v1"`).must(t, http.StatusUnprocessableEntity)
	if n := len(f.store.actions); n != actions || during.Load() != 0 {
		t.Fatalf("refused leader: %d audited changes, %d reads inside the write", n-actions, during.Load())
	}
}
