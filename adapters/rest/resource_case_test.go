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
