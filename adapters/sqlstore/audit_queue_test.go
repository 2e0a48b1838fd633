package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
)

// TestPendingLeavesMoveToTheQueue migrates a database of the release before
// the queue (schema 18) that holds leaves still pending in audit_leaves:
// they move to audit_queue with their queue order, a leaf written
// afterwards comes after them and can be neither changed nor deleted while
// it waits, the sequencer integrates all of them in that order, the log
// verifies, and audit_leaves then takes no change and no pending leaf.
func TestPendingLeavesMoveToTheQueue(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.fresh(t)
			old, err := sqlstore.Open(ctx, dsn, sqlstore.WithLogKey(testLogKey(t)), sqlstore.WithCalendar(testCalendar))
			if err != nil {
				t.Fatal(err)
			}
			if err := sqlstore.MigrateUpTo(ctx, old, 18); err != nil {
				t.Fatalf("migrations up to 18: %v", err)
			}
			// Two leaves the release before left pending, as its writers
			// appended them.
			driver, rawDSN := "pgx", dsn
			if b.name == "sqlite" {
				driver, rawDSN = "sqlite", dsn+"?_pragma=busy_timeout(10000)"
			}
			before, err := sql.Open(driver, rawDSN)
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			var legacy []string
			for _, id := range []string{"legacy-1", "legacy-2"} {
				data, err := json.Marshal(sqlstore.Leaf{At: at, ActorUser: "u0", ActorOrg: "o0", Action: "organisation.create",
					ObjectKind: "organisation", ObjectID: id, AfterDigest: "sha256:" + id})
				if err != nil {
					t.Fatal(err)
				}
				if _, err := before.Exec(`INSERT INTO audit_leaves (object_kind, object_id, version, data) VALUES ('organisation', `+
					ph(old, 1)+`, 0, `+ph(old, 2)+`)`, id, string(data)); err != nil {
					t.Fatalf("a pending leaf as the release before wrote it: %v", err)
				}
				legacy = append(legacy, string(data))
			}
			_ = before.Close()
			if err := old.Close(); err != nil {
				t.Fatal(err)
			}

			s, raw := openOn(t, b, dsn)
			var inLog, queued int
			var maxQueued int64
			if err := raw.QueryRow(`SELECT (SELECT COUNT(*) FROM audit_leaves), (SELECT COUNT(*) FROM audit_queue),
				(SELECT MAX(seq) FROM audit_queue)`).Scan(&inLog, &queued, &maxQueued); err != nil {
				t.Fatal(err)
			}
			if inLog != 0 || queued != 2 || maxQueued != 2 {
				t.Fatalf("after migration 19: %d leaves in the log, %d queued up to seq %d; want 0 and the 2 pending, seq 1 and 2",
					inLog, queued, maxQueued)
			}
			w := setup(t, s)
			r, err := s.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"goal": "after the queue"}})
			if err != nil {
				t.Fatal(err)
			}
			events, err := s.AuditEvents(ctx, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(events) < 3 || events[0].ObjectID != "legacy-1" || events[1].ObjectID != "legacy-2" || events[0].Index != -1 {
				t.Fatalf("events before integration: %+v; want the two legacy leaves first, pending", events)
			}
			for i := 1; i < len(events); i++ {
				if events[i].Seq <= events[i-1].Seq {
					t.Fatalf("event %d has seq %d after %d: the queue's order must continue the leaves'", i, events[i].Seq, events[i-1].Seq)
				}
			}
			// A queued leaf is neither changed nor deleted before it is in
			// the log.
			for _, q := range []string{
				`UPDATE audit_queue SET data = data WHERE object_id = ` + ph(s, 1),
				`DELETE FROM audit_queue WHERE object_id = ` + ph(s, 1),
			} {
				if _, err := raw.Exec(q, r.ID); err == nil {
					t.Errorf("%s: accepted; the queue must refuse it", q)
				}
			}
			// A queued version is not proven yet, and says so only to whom
			// may see the record.
			_, err = s.ProveRecord(ctx, w.a, r.ID, r.Version)
			if ssra.KindOf(err) != ssra.KindNotFound || !strings.Contains(err.Error(), "not in the log yet") {
				t.Fatalf("proof of a queued version: %v; want not found, not in the log yet", err)
			}
			_, err = s.ProveRecord(ctx, w.b, r.ID, r.Version)
			if ssra.KindOf(err) != ssra.KindNotFound || strings.Contains(err.Error(), "yet") {
				t.Fatalf("proof of another organisation's queued version: %v; want not found, saying nothing of the queue", err)
			}
			if _, err := s.Sequence(ctx); err != nil {
				t.Fatal(err)
			}
			if p, err := s.ProveRecord(ctx, w.a, r.ID, r.Version); err != nil || p.Index != int64(len(events)-1) {
				t.Fatalf("proof of the integrated version: index %d, %v; want %d", p.Index, err, len(events)-1)
			}
			after, err := s.AuditEvents(ctx, 0, 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(after) != len(events) {
				t.Fatalf("%d events after integration, %d before", len(after), len(events))
			}
			for i, e := range after {
				if e.Index != int64(i) || e.Seq != events[i].Seq {
					t.Fatalf("event %d after integration: index %d seq %d; want index %d seq %d", i, e.Index, e.Seq, i, events[i].Seq)
				}
			}
			var data string
			if err := raw.QueryRow(`SELECT data FROM audit_leaves WHERE idx = 1`).Scan(&data); err != nil || data != legacy[1] {
				t.Fatalf("leaf 1: %q, %v; want the second legacy leaf's bytes as written", data, err)
			}
			if idx, ok, err := s.LeafIndex(ctx, r.ID, r.Version); err != nil || !ok || idx != int64(len(after)-1) {
				t.Fatalf("LeafIndex of the new plan: %d, %v, %v; want %d", idx, ok, err, len(after)-1)
			}
			rep, err := s.VerifyAudit(ctx)
			if err != nil || !rep.OK || rep.Pending != 0 || rep.Leaves != int64(len(after)) {
				t.Fatalf("VerifyAudit: %+v, %v", rep, err)
			}
			// The log's table takes no change, and no pending leaf.
			for _, q := range []string{
				`UPDATE audit_leaves SET data = data WHERE idx = 0`,
				`DELETE FROM audit_leaves WHERE idx = 0`,
				`INSERT INTO audit_leaves (seq, object_kind, object_id, version, data) VALUES (999999, 'organisation', 'x', 0, '{}')`,
			} {
				if _, err := raw.Exec(q); err == nil {
					t.Errorf("%s: accepted; the log's table must refuse it", q)
				}
			}
		})
	}
}
