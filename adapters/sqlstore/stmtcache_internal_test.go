package sqlstore

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// TestStatementCache: on SQLite a write's statements run unprepared the
// first time (the transaction holds the only writer connection), are
// prepared once it ends, and from then on run through the cache, with the
// same results and the same errors (a duplicate reference is still a
// conflict, a stale version still a failed precondition); reads go through
// the reader pool's cache.
func TestStatementCache(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "ssra.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	o, err := s.CreateOrganisation(ctx, System, "County")
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(ctx, System, o.ID, "clerk", []ssra.Role{ssra.RoleCaseworker})
	if err != nil {
		t.Fatal(err)
	}
	by := ssra.Actor{UserID: u.ID, OrgID: o.ID}
	create := func(ref string) (store.Record, []string, error) {
		var r store.Record
		var missed []string
		err := s.InTx(ctx, by, func(tx *Tx) error {
			var err error
			r, err = tx.Create(ctx, "complaint.register", store.RecordComplaint, store.Fields{Status: "registered", Reference: ref, Body: map[string]any{"ref": ref}})
			missed = tx.tx.(*stmtTx).missed
			return err
		})
		return r, missed, err
	}
	if _, missed, err := create("R1"); err != nil || len(missed) == 0 {
		t.Fatalf("first write: %d statements run unprepared, %v; want some", len(missed), err)
	}
	r2, missed, err := create("R2")
	if err != nil || len(missed) != 0 {
		t.Fatalf("second write: unprepared %q, %v; want every statement from the cache", missed, err)
	}
	if _, _, err := create("R2"); ssra.KindOf(err) != ssra.KindConflict {
		t.Fatalf("duplicate reference through the cache: %v, want a conflict", err)
	}
	for v := int64(1); v <= 3; v++ {
		if _, err := s.Update(ctx, by, "complaint.accept", store.RecordComplaint, r2.ID, v, store.Fields{Status: "accepted", Reference: "R2", Body: map[string]any{"v": v}}); err != nil {
			t.Fatalf("update to version %d: %v", v+1, err)
		}
	}
	if _, err := s.Update(ctx, by, "complaint.accept", store.RecordComplaint, r2.ID, 2, store.Fields{Status: "accepted", Body: map[string]any{}}); ssra.KindOf(err) != ssra.KindPreconditionFailed {
		t.Fatalf("stale version through the cache: %v, want a failed precondition", err)
	}
	got, err := s.Get(ctx, by, store.RecordComplaint, r2.ID)
	if err != nil || got.Version != 4 || string(got.Body) != `{"v":3}` {
		t.Fatalf("read back: version %d body %s, %v", got.Version, got.Body, err)
	}
	if s.r.stmts.lookup(s.q(`SELECT `+recordColumns+leafIndexColumn+` FROM records r WHERE r.id = ? AND `+visible)) == nil {
		t.Fatal("a read did not go through the reader's cache")
	}
	if _, err := s.Sequence(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil || !rep.OK || rep.Leaves == 0 {
		t.Fatalf("VerifyAudit: %+v, %v", rep, err)
	}
}
