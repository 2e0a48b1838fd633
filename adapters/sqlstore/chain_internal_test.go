package sqlstore

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestAdoptChain builds a database at schema 1 with a hash chain of
// events, as the audit log was before the transparency log, and migrates
// it: the events become the first leaves, in order, with the record
// versions they made; a broken chain is refused.
func TestAdoptChain(t *testing.T) {
	for _, broken := range []bool{false, true} {
		ctx := context.Background()
		s, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		ms, _ := Migrations(SQLite)
		if err := s.migrationTable(ctx, "TEXT"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.apply(ctx, ms[0]); err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
		events := []chainEvent{
			{Action: "organisation.create", ObjectKind: "organisation", ObjectID: "o1", AfterDigest: "sha256:o"},
			{Action: "complaint.register", ObjectKind: "complaint", ObjectID: "c1", AfterDigest: "sha256:a"},
			{Action: "record.share:o2", ObjectKind: "complaint", ObjectID: "c1", BeforeDigest: "sha256:a", AfterDigest: "sha256:a"},
			{Action: "complaint.accept", ObjectKind: "complaint", ObjectID: "c1", BeforeDigest: "sha256:a", AfterDigest: "sha256:b"},
		}
		prev := genesisHash
		for i := range events {
			e := &events[i]
			e.Seq, e.At, e.ActorUser, e.ActorOrg, e.PrevHash = int64(i+1), at, "u1", "o1", prev
			e.Hash = e.computeHash()
			if broken && i == 2 {
				e.Action = "complaint.reject"
			}
			prev = e.Hash
			if _, err := s.w.Exec(`INSERT INTO audit_events (seq, at, actor_user, actor_org, action, object_kind, object_id, before_digest, after_digest, prev_hash, hash)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Seq, s.tv(e.At), e.ActorUser, e.ActorOrg, e.Action, e.ObjectKind, e.ObjectID,
				e.BeforeDigest, e.AfterDigest, e.PrevHash, e.Hash); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.w.Exec(`UPDATE audit_head SET seq = ?, hash = ?`, len(events), prev); err != nil {
			t.Fatal(err)
		}
		_, err = s.Migrate(ctx)
		if broken {
			if err == nil || !strings.Contains(err.Error(), "not adopted") {
				t.Fatalf("Migrate over a broken chain: %v; want a refusal", err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("Migrate: %v", err)
		}
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatalf("Migrate again: %v", err)
		}
		if n, err := s.Sequence(ctx); err != nil || n != len(events) {
			t.Fatalf("Sequence: %d, %v; want the %d adopted events once", n, err, len(events))
		}
		got, err := s.AuditEvents(ctx, 0, 0)
		if err != nil || len(got) != len(events) {
			t.Fatalf("AuditEvents: %d, %v", len(got), err)
		}
		wantVersions := []int64{0, 1, 1, 2}
		for i, e := range got {
			if e.Index != int64(i) || e.ChainSeq != events[i].Seq || e.ChainHash != events[i].Hash || e.Action != events[i].Action ||
				!e.At.Equal(at) || e.Version != wantVersions[i] {
				t.Fatalf("leaf %d: %+v; from chain event %+v", i, e, events[i])
			}
		}
	}
}
