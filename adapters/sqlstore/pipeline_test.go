package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/internal/pgproxy"
)

// TestPipelinedWriteAbortsWhole: on PostgreSQL a write's statements are
// kept and sent with its next read or its commit. A statement that fails
// there (a duplicate reference, a guarded update that missed its version)
// must be the error the write reports, and nothing of the transaction may
// stay, the statements kept after it included; a read inside the
// transaction sees the transaction's own kept writes; the store works on
// afterwards. SQLite runs each statement at once and must answer the same.
func TestPipelinedWriteAbortsWhole(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		by := setup(t, s).a
		count := func(table string) int {
			t.Helper()
			var n int
			if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		fields := store.Fields{Status: "registered", Reference: "R1", Body: map[string]any{"n": 1}}
		var r store.Record
		err := s.InTx(ctx, by, func(w *sqlstore.Tx) error {
			var err error
			if r, err = w.Create(ctx, "complaint.register", store.RecordComplaint, fields); err != nil {
				return err
			}
			got, err := w.Get(ctx, store.RecordComplaint, r.ID)
			if err == nil && got.Digest != r.Digest {
				t.Errorf("read in the transaction: digest %s, want %s", got.Digest, r.Digest)
			}
			return err
		})
		if err != nil {
			t.Fatalf("create and read back in one transaction: %v", err)
		}
		// The log's leaves and the queue's, in one statement: the
		// sequencer may move leaves between them meanwhile.
		const leafRows = "(SELECT seq FROM audit_leaves UNION ALL SELECT seq FROM audit_queue) AS l"
		leaves, records := count(leafRows), count("records")

		err = s.InTx(ctx, by, func(w *sqlstore.Tx) error {
			if err := w.Audit(ctx, "test.before", "complaint", r.ID, r.Version, r.Digest); err != nil {
				return err
			}
			if err := sqlstore.SendStaleUpdate(w, r.ID, r.Version+5); err != nil {
				return err
			}
			return w.Audit(ctx, "test.after", "complaint", r.ID, r.Version, r.Digest)
		})
		wantKind(t, "guarded update of a version the record is not at", err, ssra.KindPreconditionFailed)
		_, err = s.Create(ctx, by, "complaint.register", store.RecordComplaint, fields)
		wantKind(t, "second record with reference R1", err, ssra.KindConflict)
		if got, want := count(leafRows), leaves; got != want {
			t.Errorf("audit leaves after the refused writes: %d, want %d", got, want)
		}
		if got, want := count("records"), records; got != want {
			t.Errorf("records after the refused writes: %d, want %d", got, want)
		}
		got, err := s.Get(ctx, by, store.RecordComplaint, r.ID)
		if err != nil || got.Status != "registered" || got.Version != 1 {
			t.Fatalf("record after the refused update: %+v, %v; want version 1, registered", got, err)
		}
		if _, err := s.Update(ctx, by, "complaint.accept", store.RecordComplaint, r.ID, 1,
			store.Fields{Status: "accepted", Reference: "R1", Body: map[string]any{"n": 2}}); err != nil {
			t.Fatalf("update after the refused writes: %v", err)
		}
	})
}

// TestRollbackIsBounded: the ROLLBACK of a PostgreSQL transaction that did
// not commit gives up after its bound when the server no longer answers
// (a network path gone silent: no reset, no close; a proxy in between
// stops forwarding), so that a sequencer whose connection died is not
// held up; run with context.Background(), it waited until the operating
// system gave the connection up, minutes later.
func TestRollbackIsBounded(t *testing.T) {
	ctx := context.Background()
	proxy, dsn, err := pgproxy.Start(freshPostgres(t))
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.Open(ctx, dsn, sqlstore.WithCalendar(testCalendar))
	if err != nil {
		proxy.Close()
		t.Fatal(err)
	}
	defer s.Close()
	defer proxy.Close() // before the store: it ends any wait on the stalled connections
	done := make(chan error, 1)
	go func() { done <- sqlstore.ReleaseStalled(ctx, s, 200*time.Millisecond, proxy.Stall) }()
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("ROLLBACK on a stalled connection succeeded")
		}
	case <-time.After(10 * time.Second):
		proxy.Close()
		<-done
		t.Fatal("ROLLBACK on a stalled connection still waiting after 10 s")
	}
}
