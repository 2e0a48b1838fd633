package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
)

// ph returns the dialect's i-th placeholder.
func ph(s *sqlstore.Store, i int) string {
	if s.Dialect() == sqlstore.Postgres {
		return fmt.Sprintf("$%d", i)
	}
	return "?"
}

// liftGuards drops the append-only triggers, as an operator holding the
// database can.
func liftGuards(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
	t.Helper()
	stmts := []string{`DROP TRIGGER audit_leaves_no_delete`, `DROP TRIGGER audit_leaves_no_update`,
		`DROP TRIGGER audit_hashes_no_update`, `DROP TRIGGER audit_hashes_no_delete`,
		`DROP TRIGGER audit_checkpoints_no_update`, `DROP TRIGGER audit_checkpoints_no_delete`,
		`DROP TRIGGER audit_cosignatures_no_update`, `DROP TRIGGER audit_cosignatures_no_delete`}
	if s.Dialect() == sqlstore.Postgres {
		stmts = []string{`ALTER TABLE audit_leaves DISABLE TRIGGER USER`, `ALTER TABLE audit_hashes DISABLE TRIGGER USER`,
			`ALTER TABLE audit_checkpoints DISABLE TRIGGER USER`, `ALTER TABLE audit_cosignatures DISABLE TRIGGER USER`}
	}
	for _, q := range stmts {
		if _, err := raw.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// forgeTree recomputes every stored hash from the leaves as they now are
// and replaces every checkpoint with one signed by a key of the same name
// that is not the log's: everything an operator can do without the key.
func forgeTree(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
	t.Helper()
	skey, _, err := sqlstore.GenerateLogKey(rand.Reader, s.Origin())
	if err != nil {
		t.Fatal(err)
	}
	forger, err := sqlstore.ParseLogKey(skey)
	if err != nil {
		t.Fatal(err)
	}
	forgeTreeWith(t, s, raw, forger.Signer)
}

// forgeTreeWith is forgeTree signing with signer, and returns the
// recomputed hashes, so that more checkpoints can be forged.
func forgeTreeWith(t *testing.T, s *sqlstore.Store, raw *sql.DB, signer note.Signer) tlog.HashReader {
	t.Helper()
	rows, err := raw.Query(`SELECT data FROM audit_leaves WHERE idx IS NOT NULL ORDER BY idx`)
	if err != nil {
		t.Fatal(err)
	}
	var hashes []tlog.Hash
	mem := tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for i, x := range ix {
			out[i] = hashes[x]
		}
		return out, nil
	})
	n := int64(0)
	for rows.Next() {
		var data string
		if err := rows.Scan(&data); err != nil {
			t.Fatal(err)
		}
		hs, err := tlog.StoredHashes(n, []byte(data), mem)
		if err != nil {
			t.Fatal(err)
		}
		hashes = append(hashes, hs...)
		n++
	}
	rows.Close()
	mustExec(t, raw, `DELETE FROM audit_hashes`)
	for i, h := range hashes {
		mustExec(t, raw, `INSERT INTO audit_hashes (id, hash) VALUES (`+ph(s, 1)+`, `+ph(s, 2)+`)`, int64(i), h[:])
	}
	mustExec(t, raw, `DELETE FROM audit_checkpoints`)
	forgeCheckpoint(t, s, raw, signer, mem, n)
	mustExec(t, raw, `UPDATE audit_tree SET size = `+ph(s, 1), n)
	return mem
}

// forgeCheckpoint stores a checkpoint of the tree of size n signed by
// signer.
func forgeCheckpoint(t *testing.T, s *sqlstore.Store, raw *sql.DB, signer note.Signer, mem tlog.HashReader, n int64) {
	t.Helper()
	root, err := tlog.TreeHash(n, mem)
	if err != nil {
		t.Fatal(err)
	}
	text := log.Checkpoint{Origin: s.Origin(), Size: uint64(n), Hash: root[:]}.Marshal()
	signed, err := note.Sign(&note.Note{Text: string(text)}, signer)
	if err != nil {
		t.Fatal(err)
	}
	mustExec(t, raw, `INSERT INTO audit_checkpoints (size, root, note, signed, created_at) VALUES (`+ph(s, 1)+`, `+ph(s, 2)+`, `+ph(s, 3)+`, `+truth(s)+`, CURRENT_TIMESTAMP)`,
		n, root[:], string(signed))
}

func truth(s *sqlstore.Store) string {
	if s.Dialect() == sqlstore.Postgres {
		return "TRUE"
	}
	return "1"
}

func mustExec(t *testing.T, raw *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := raw.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// logWorld is a log with records, a checkpoint a supervising body saved
// after the first batch (saved) and one it saved at the end (latest).
type logWorld struct {
	world
	plan, other   store.Record
	saved, latest []byte
	size          int64
}

func buildLog(t *testing.T, s *sqlstore.Store) logWorld {
	t.Helper()
	ctx := context.Background()
	lw := logWorld{world: setup(t, s)}
	var err error
	if lw.plan, err = s.Create(ctx, lw.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"v": 1}}); err != nil {
		t.Fatal(err)
	}
	if lw.other, err = s.Create(ctx, lw.b, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"v": "b"}}); err != nil {
		t.Fatal(err)
	}
	for v := int64(1); v <= 3; v++ {
		if lw.plan, err = s.Update(ctx, lw.a, "plan.update", store.RecordPlan, lw.plan.ID, v, store.Fields{Body: map[string]any{"v": v + 1}}); err != nil {
			t.Fatal(err)
		}
	}
	verifyOK(t, s)
	cp, err := s.LatestCheckpoint(ctx)
	if err != nil || !cp.Signed {
		t.Fatalf("LatestCheckpoint: %+v, %v", cp, err)
	}
	lw.saved = cp.Note
	// Twenty reads of the unredacted case view, each audited: events that
	// change no record, so that removing them leaves every record intact.
	for i := 0; i < 20; i++ {
		if err := s.Audit(ctx, lw.b, "plan.read_unredacted", "plan", lw.other.ID, 1, lw.other.Digest); err != nil {
			t.Fatal(err)
		}
	}
	rep := verifyOK(t, s)
	lw.size = rep.Leaves
	cp, _ = s.LatestCheckpoint(ctx)
	lw.latest = cp.Note
	return lw
}

// TestLogDetectsTampering is the tampering table: each rewrite an operator
// holding the database (but not the log's key) can make is found by
// VerifyLog, with the checkpoint a supervising body saved where only that
// can find it.
func TestLogDetectsTampering(t *testing.T) {
	type tamper struct {
		name string
		do   func(t *testing.T, s *sqlstore.Store, raw *sql.DB, lw logWorld)
		// saved, when set, is a checkpoint saved outside the database;
		// unless alone is set, only the saved checkpoint detects the
		// tampering, and a check without it passes.
		saved func(lw logWorld) []byte
		alone bool
		want  []string
	}
	table := []tamper{{
		name: "edited record body",
		do: func(t *testing.T, s *sqlstore.Store, raw *sql.DB, lw logWorld) {
			mustExec(t, raw, `UPDATE records SET body = `+ph(s, 1)+` WHERE id = `+ph(s, 2), `{"v":99}`, lw.plan.ID)
		},
		want: []string{"does not hash to its digest"},
	}, {
		name: "edited record body and digest",
		do: func(t *testing.T, s *sqlstore.Store, raw *sql.DB, lw logWorld) {
			mustExec(t, raw, `UPDATE records SET body = `+ph(s, 1)+`, body_digest = `+ph(s, 2)+` WHERE id = `+ph(s, 3),
				`{"v":99}`, sqlstore.Digest([]byte(`{"v":99}`)), lw.plan.ID)
		},
		want: []string{"is not the one its latest leaf"},
	}, {
		name: "edited event with recomputed hashes",
		do: func(t *testing.T, s *sqlstore.Store, raw *sql.DB, lw logWorld) {
			mustExec(t, raw, `UPDATE audit_leaves SET data = REPLACE(data, `+ph(s, 1)+`, `+ph(s, 2)+`) WHERE idx = 12`, lw.a.UserID, lw.b.UserID)
			forgeTree(t, s, raw)
		},
		want:  []string{"not signed by the log's key", "not an append-only extension"},
		saved: func(lw logWorld) []byte { return lw.saved },
		alone: true,
	}, {
		name: "deleted last 20 events, head moved back",
		do: func(t *testing.T, s *sqlstore.Store, raw *sql.DB, lw logWorld) {
			keep := lw.size - 20
			mustExec(t, raw, `DELETE FROM audit_leaves WHERE idx >= `+ph(s, 1), keep)
			mustExec(t, raw, `DELETE FROM audit_hashes WHERE id >= `+ph(s, 1), tlog.StoredHashIndex(0, keep))
			mustExec(t, raw, `DELETE FROM audit_checkpoints WHERE size > `+ph(s, 1), keep)
			mustExec(t, raw, `UPDATE audit_tree SET size = `+ph(s, 1), keep)
		},
		saved: func(lw logWorld) []byte { return lw.latest },
		want:  []string{"the log was truncated"},
	}, {
		name: "forged appended event",
		do: func(t *testing.T, s *sqlstore.Store, raw *sql.DB, lw logWorld) {
			var data string
			if err := raw.QueryRow(`SELECT data FROM audit_leaves WHERE idx = 3`).Scan(&data); err != nil {
				t.Fatal(err)
			}
			mustExec(t, raw, `INSERT INTO audit_leaves (idx, object_kind, object_id, version, data) VALUES (`+ph(s, 1)+`, 'plan', 'x', 1, `+ph(s, 2)+`)`,
				lw.size, strings.Replace(data, `"action":"`, `"action":"forged.`, 1))
			forgeTree(t, s, raw)
		},
		want: []string{"not signed by the log's key"},
	}, {
		name: "deleted middle leaf",
		do: func(t *testing.T, s *sqlstore.Store, raw *sql.DB, lw logWorld) {
			mustExec(t, raw, `DELETE FROM audit_leaves WHERE idx = 10`)
		},
		want: []string{"leaf 10 is missing"},
	}, {
		name: "deleted middle leaf, the rest renumbered and rehashed",
		do: func(t *testing.T, s *sqlstore.Store, raw *sql.DB, lw logWorld) {
			mustExec(t, raw, `DELETE FROM audit_leaves WHERE idx = 10`)
			mustExec(t, raw, `UPDATE audit_leaves SET idx = -idx WHERE idx > 10`)
			mustExec(t, raw, `UPDATE audit_leaves SET idx = -idx - 1 WHERE idx < 0`)
			forgeTree(t, s, raw)
		},
		want: []string{"not signed by the log's key"},
	}}
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			for _, tc := range table {
				t.Run(strings.ReplaceAll(tc.name, " ", "_"), func(t *testing.T) {
					ctx := context.Background()
					s, raw := b.open(t)
					lw := buildLog(t, s)
					var saved []byte
					if tc.saved != nil {
						saved = tc.saved(lw)
					}
					// The untouched log extends both saved checkpoints.
					for _, cp := range [][]byte{lw.saved, lw.latest} {
						if rep, err := s.VerifyLog(ctx, sqlstore.VerifyOptions{Saved: cp}); err != nil || !rep.OK {
							t.Fatalf("untouched log: %+v, %v", rep, err)
						}
					}
					liftGuards(t, s, raw)
					tc.do(t, s, raw, lw)
					key := testLogKey(t)
					if saved != nil && !tc.alone {
						// Without the checkpoint saved outside, the log's
						// key alone cannot tell: that is what saving it is for.
						rep, err := s.VerifyLog(ctx, sqlstore.VerifyOptions{Verifier: key.Verifier})
						if err != nil || !rep.OK {
							t.Fatalf("without the saved checkpoint: %+v, %v; want it to pass", rep, err)
						}
					}
					rep, err := s.VerifyLog(ctx, sqlstore.VerifyOptions{Verifier: key.Verifier, Saved: saved})
					if err != nil {
						t.Fatal(err)
					}
					all := strings.Join(rep.Findings, "\n")
					for _, w := range tc.want {
						if rep.OK || !strings.Contains(all, w) {
							t.Fatalf("after %s: %+v; want a finding %q", tc.name, rep, w)
						}
					}
				})
			}
		})
	}
}

// checkpointOf opens a signed checkpoint with the log's public key only.
func checkpointOf(t *testing.T, text []byte) (int64, tlog.Hash) {
	t.Helper()
	v := testLogKey(t).Verifier
	cp, _, _, err := log.ParseCheckpoint(text, v.Name(), v)
	if err != nil {
		t.Fatalf("checkpoint: %v\n%s", err, text)
	}
	var h tlog.Hash
	copy(h[:], cp.Hash)
	return int64(cp.Size), h
}

// checkInclusion proves that record r's current version is in the log
// with tlog's own verifier, from the signed checkpoint the proof carries.
func checkInclusion(t *testing.T, s *sqlstore.Store, by ssra.Actor, r store.Record) {
	t.Helper()
	p, err := s.ProveRecord(context.Background(), by, r.ID, r.Version)
	if err != nil {
		t.Fatalf("ProveRecord %s@%d: %v", r.ID, r.Version, err)
	}
	size, root := checkpointOf(t, p.Checkpoint)
	if size != p.TreeSize {
		t.Fatalf("proof for size %d, checkpoint of size %d", p.TreeSize, size)
	}
	if err := tlog.CheckRecord(p.Proof, size, root, p.Index, tlog.RecordHash(p.Leaf)); err != nil {
		t.Fatalf("CheckRecord: %v", err)
	}
	l, err := sqlstore.ParseLeaf(p.Leaf)
	if err != nil || l.ObjectID != r.ID || l.Version != r.Version || l.AfterDigest != r.Digest {
		t.Fatalf("leaf %+v (%v) does not record %s@%d with digest %s", l, err, r.ID, r.Version, r.Digest)
	}
	if idx, ok, err := s.LeafIndex(context.Background(), r.ID, r.Version); err != nil || !ok || idx != p.Index {
		t.Fatalf("LeafIndex: %d %v %v, proof's %d", idx, ok, err, p.Index)
	}
}

// checkConsistency proves with tlog's verifier that the log extends an
// earlier checkpoint.
func checkConsistency(t *testing.T, s *sqlstore.Store, old []byte) []byte {
	t.Helper()
	ctx := context.Background()
	cp, err := s.LatestCheckpoint(ctx)
	if err != nil {
		t.Fatal(err)
	}
	n, nh := checkpointOf(t, cp.Note)
	o, oh := checkpointOf(t, old)
	p, err := s.ProveConsistency(ctx, o, n)
	if err != nil {
		t.Fatalf("ProveConsistency(%d, %d): %v", o, n, err)
	}
	if err := tlog.CheckTree(p, n, nh, o, oh); err != nil {
		t.Fatalf("CheckTree(%d, %d): %v", o, n, err)
	}
	return cp.Note
}

func TestLogProofs(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.fresh(t)
			open := func() *sqlstore.Store {
				s, err := sqlstore.Open(ctx, dsn, sqlstore.WithLogKey(testLogKey(t)), sqlstore.WithSequencer(0, 7))
				if err != nil {
					t.Fatal(err)
				}
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				return s
			}
			s := open()
			w := setup(t, s)
			r, err := s.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"v": 0}})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.ProveRecord(ctx, w.a, r.ID, 1)
			wantKind(t, "proof of a pending leaf", err, ssra.KindNotFound)
			if _, ok, _ := s.LeafIndex(ctx, r.ID, 1); ok {
				t.Fatal("a pending leaf has an index")
			}
			if got, err := s.Get(ctx, w.a, store.RecordPlan, r.ID); err != nil || got.LeafIndex != nil {
				t.Fatalf("Get of a pending leaf: index %v, %v", got.LeafIndex, err)
			}
			verifyOK(t, s)
			checkInclusion(t, s, w.a, r)
			idx, ok, err := s.LeafIndex(ctx, r.ID, 1)
			if err != nil || !ok {
				t.Fatalf("LeafIndex of an integrated leaf: %v, %v", ok, err)
			}
			if got, err := s.Get(ctx, w.a, store.RecordPlan, r.ID); err != nil || got.LeafIndex == nil || *got.LeafIndex != idx || got.Version != 1 {
				t.Fatalf("Get: version %d, index %v, %v; want version 1, index %d", got.Version, got.LeafIndex, err, idx)
			}
			_, err = s.ProveRecord(ctx, w.c, r.ID, 1)
			wantKind(t, "proof of another organisation's record", err, ssra.KindNotFound)
			first, _ := s.LatestCheckpoint(ctx)
			saved := first.Note
			// Batches of 7 leaves: every tree size from here on crosses
			// several batches and tile boundaries.
			for v := int64(1); v <= 40; v++ {
				if r, err = s.Update(ctx, w.a, "plan.update", store.RecordPlan, r.ID, v, store.Fields{Body: map[string]any{"v": v}}); err != nil {
					t.Fatal(err)
				}
				if v%9 == 0 {
					verifyOK(t, s)
					checkInclusion(t, s, w.a, r)
					saved = checkConsistency(t, s, saved)
				}
			}
			verifyOK(t, s)
			// After a restart the proofs still hold, against checkpoints
			// saved before it.
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s = open()
			defer s.Close()
			r, err = s.Update(ctx, w.a, "plan.update", store.RecordPlan, r.ID, r.Version, store.Fields{Body: "after restart"})
			if err != nil {
				t.Fatal(err)
			}
			verifyOK(t, s)
			checkInclusion(t, s, w.a, r)
			checkConsistency(t, s, first.Note)
			latest := checkConsistency(t, s, saved)
			// An auditor rebuilds the root from hash tiles alone.
			size, root := checkpointOf(t, latest)
			tree := tlog.Tree{N: size, Hash: root}
			th, err := tlog.TreeHash(size, tlog.TileHashReader(tree, tileReader{ctx, s}))
			if err != nil || th != root {
				t.Fatalf("root from tiles: %v, %v; want %v", th, err, root)
			}
			if _, err := s.Tile(ctx, "tile/8/data/000"); ssra.KindOf(err) != ssra.KindNotFound {
				t.Fatalf("a data tile: %v; want not found (leaves are not served as tiles)", err)
			}
			_, err = s.ProveConsistency(ctx, 0, size+1)
			wantKind(t, "consistency out of range", err, ssra.KindInvalid)
		})
	}
}

// tileReader reads tiles from the store as an auditor reads them from the
// tile route.
type tileReader struct {
	ctx context.Context
	s   *sqlstore.Store
}

func (tileReader) Height() int { return 8 }

func (r tileReader) ReadTiles(tiles []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(tiles))
	for i, t := range tiles {
		b, err := r.s.Tile(r.ctx, t.Path())
		if err != nil {
			return nil, err
		}
		out[i] = b
	}
	return out, nil
}

func (tileReader) SaveTiles([]tlog.Tile, [][]byte) {}

// TestLogAcrossInstances runs writers and a sequencer on each of two
// stores on one database at once: every leaf is integrated exactly once
// and the tree verifies.
func TestLogAcrossInstances(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.fresh(t)
			var stores [2]*sqlstore.Store
			for i := range stores {
				s, err := sqlstore.Open(ctx, dsn, sqlstore.WithLogKey(testLogKey(t)), sqlstore.WithSequencer(0, 5))
				if err != nil {
					t.Fatal(err)
				}
				defer s.Close()
				if _, err := s.Migrate(ctx); err != nil {
					t.Fatal(err)
				}
				stores[i] = s
			}
			w := setup(t, stores[0])
			first, _ := stores[0].Sequence(ctx)
			cp0, _ := stores[0].LatestCheckpoint(ctx)
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for i, s := range stores {
				for g := 0; g < 3; g++ {
					wg.Add(1)
					go func() {
						defer wg.Done()
						for n := 0; n < 15; n++ {
							if _, err := s.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"i": i, "g": g, "n": n}}); err != nil {
								errs <- err
								return
							}
							if n%4 == 0 {
								if _, err := s.Sequence(ctx); err != nil {
									errs <- err
									return
								}
							}
						}
					}()
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				t.Fatal(err)
			}
			rep := verifyOK(t, stores[1])
			if want := int64(first + 2*3*15); rep.Leaves != want || rep.Records != 2*3*15 {
				t.Fatalf("%d leaves, %d records; want %d and %d", rep.Leaves, rep.Records, want, 2*3*15)
			}
			checkConsistency(t, stores[1], cp0.Note)
		})
	}
}

// TestDrainWaitsForTheSequencerLock: a clean stop's Drain integrates every
// pending leaf, and on PostgreSQL, where another transaction holds the
// sequencer's lock (another instance, or a cancelled batch whose rollback
// has not reached the server), it waits for the lock instead of leaving
// the leaves pending, as Sequence does.
func TestDrainWaitsForTheSequencerLock(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		pending := func() int {
			var n int
			if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM audit_queue`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		for i := range 3 {
			if _, err := s.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"i": i}}); err != nil {
				t.Fatal(err)
			}
		}
		if s.Dialect() == sqlstore.Postgres {
			tx, err := raw.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			// The sequencer's advisory lock (sqlstore's sequencerLock).
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(7350413)`); err != nil {
				t.Fatal(err)
			}
			if n, err := s.Sequence(ctx); err != nil || n != 0 || pending() == 0 {
				t.Fatalf("Sequence under another's lock: %d integrated, %v, %d pending", n, err, pending())
			}
			short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
			err = s.Drain(short)
			cancel()
			if err == nil || pending() == 0 {
				t.Fatalf("Drain under another's lock returned %v with %d pending", err, pending())
			}
			release := time.AfterFunc(100*time.Millisecond, func() { _ = tx.Rollback() })
			defer release.Stop()
		}
		if err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		if n := pending(); n != 0 {
			t.Fatalf("%d leaves pending after Drain", n)
		}
		verifyOK(t, s)
	})
}
