package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
)

// witnessKey makes a witness's key pair as `ssrad logkey generate` does,
// and its cosignature/v1 signer and verifier.
func witnessKey(t *testing.T, name string) (note.Signer, note.Verifier) {
	t.Helper()
	skey, vkey, err := sqlstore.GenerateLogKey(rand.Reader, name)
	if err != nil {
		t.Fatal(err)
	}
	s, err := sqlstore.NewWitnessSigner(skey)
	if err != nil {
		t.Fatal(err)
	}
	v, err := sqlstore.ParseWitnessKey(vkey)
	if err != nil {
		t.Fatal(err)
	}
	return s, v
}

// cosign is what a witness does with a checkpoint it has checked: it adds
// its cosignature to the log's signed note.
func cosign(t *testing.T, w note.Signer, checkpoint []byte) []byte {
	t.Helper()
	n, err := note.Open(checkpoint, note.VerifierList(testLogKey(t).Verifier))
	if err != nil {
		t.Fatalf("the witness opens the checkpoint: %v", err)
	}
	out, err := note.Sign(n, w)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestWitnessCosignatures(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.fresh(t)
			ws, wv := witnessKey(t, "witness.test/supervisor")
			strangerS, _ := witnessKey(t, "witness.test/stranger")
			s, err := sqlstore.Open(ctx, dsn, sqlstore.WithLogKey(testLogKey(t)), sqlstore.WithWitnesses(wv), sqlstore.WithSequencer(0, 7))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			w := setup(t, s)
			r, err := s.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"v": 0}})
			if err != nil {
				t.Fatal(err)
			}
			verifyOK(t, s)
			cp, err := s.LatestCheckpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.CosignedCheckpoint(ctx)
			wantKind(t, "cosigned checkpoint before any cosignature", err, ssra.KindNotFound)

			// What is refused, each naming the field.
			otherRoot := log.Checkpoint{Origin: s.Origin(), Size: uint64(cp.Size), Hash: make([]byte, 32)}.Marshal()
			forkedByWitness, err := note.Sign(&note.Note{Text: string(otherRoot)}, ws)
			if err != nil {
				t.Fatal(err)
			}
			for name, in := range map[string][]byte{
				"the log's own signature only":              cp.Note,
				"a cosignature by a witness not configured": cosign(t, strangerS, cp.Note),
				"a cosigned tree the log does not have":     forkedByWitness,
				"not a note":                                []byte("hello\n"),
				"a cosignature that does not verify":        []byte(strings.Replace(string(cosign(t, ws, cp.Note)), fmt.Sprintf("\n%d\n", cp.Size), fmt.Sprintf("\n%d\n", cp.Size+1), 1)),
			} {
				_, err := s.AddCosignatures(ctx, in)
				if ssra.KindOf(err) != ssra.KindInvalid || !strings.Contains(err.Error(), "checkpoint") {
					t.Errorf("%s: %v; want invalid naming the checkpoint", name, err)
				}
			}
			if _, err := s.CosignedCheckpoint(ctx); ssra.KindOf(err) != ssra.KindNotFound {
				t.Fatalf("a refused cosignature was kept: %v", err)
			}

			// Accepted once, kept once, served with the log's signature.
			signed := cosign(t, ws, cp.Note)
			for range 2 {
				c, err := s.AddCosignatures(ctx, signed)
				if err != nil || c.Size != cp.Size || !slices.Equal(c.Witnesses, []string{wv.Name()}) {
					t.Fatalf("AddCosignatures: %+v, %v", c, err)
				}
			}
			if _, err := s.Update(ctx, w.a, "plan.update", store.RecordPlan, r.ID, 1, store.Fields{Body: map[string]any{"v": 1}}); err != nil {
				t.Fatal(err)
			}
			rep := verifyOK(t, s)
			if rep.Cosignatures != 1 || !rep.Witnessed {
				t.Fatalf("report %+v: want the one cosignature checked", rep)
			}
			c, err := s.CosignedCheckpoint(ctx)
			if err != nil {
				t.Fatal(err)
			}
			n, err := note.Open(c.Note, note.VerifierList(testLogKey(t).Verifier, wv))
			if err != nil || len(n.Sigs) != 2 || c.Size != cp.Size {
				t.Fatalf("cosigned checkpoint: %v, %+v\n%s", err, n, c.Note)
			}
			if _, _, _, err := log.ParseCheckpoint(c.Note, s.Origin(), testLogKey(t).Verifier, wv); err != nil {
				t.Fatalf("the cosigned checkpoint for a C2SP client: %v", err)
			}

			// An operator holding the log's key too rewrites an event and
			// re-signs every checkpoint, the cosigned one included: the
			// log's key cannot tell, the witness's cosignature can.
			raw, err := sql.Open(map[sqlstore.Dialect]string{sqlstore.SQLite: "sqlite", sqlstore.Postgres: "pgx"}[s.Dialect()], dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			liftGuards(t, s, raw)
			// The last leaf the witness saw is the record's creation by w.a.
			res, err := raw.Exec(`UPDATE audit_leaves SET data = REPLACE(data, `+ph(s, 1)+`, `+ph(s, 2)+`) WHERE idx = `+ph(s, 3), w.a.UserID, w.b.UserID, cp.Size-1)
			if n, _ := res.RowsAffected(); err != nil || n != 1 {
				t.Fatalf("rewrite: %v, %d rows", err, n)
			}
			mem := forgeTreeWith(t, s, raw, testLogKey(t).Signer)
			forgeCheckpoint(t, s, raw, testLogKey(t).Signer, mem, cp.Size)
			if rep, err := s.VerifyLog(ctx, sqlstore.VerifyOptions{Witnesses: []note.Verifier{}}); err != nil || !rep.OK {
				t.Fatalf("without the witness's key: %+v, %v; want the rewrite unseen", rep, err)
			}
			rep, err = s.VerifyLog(ctx, sqlstore.VerifyOptions{})
			if err != nil || rep.OK || !strings.Contains(strings.Join(rep.Findings, "\n"), "cosignature of the checkpoint of size") {
				t.Fatalf("with the witness's key: %+v, %v; want the cosignature to fail", rep, err)
			}
			// Removing the cosignature as well leaves the witness's own
			// copy of what it cosigned.
			mustExec(t, raw, `DELETE FROM audit_cosignatures`)
			rep, err = s.VerifyLog(ctx, sqlstore.VerifyOptions{Saved: c.Note})
			if err != nil || rep.OK || !strings.Contains(strings.Join(rep.Findings, "\n"), "not an append-only extension") {
				t.Fatalf("against the witness's saved copy: %+v, %v", rep, err)
			}
		})
	}
}

func TestWitnessesNotConfigured(t *testing.T) {
	s, _ := openSQLite(t)
	setup(t, s)
	verifyOK(t, s)
	cp, _ := s.LatestCheckpoint(context.Background())
	ws, _ := witnessKey(t, "witness.test/supervisor")
	_, err := s.AddCosignatures(context.Background(), cosign(t, ws, cp.Note))
	if ssra.KindOf(err) != ssra.KindInvalid || !strings.Contains(err.Error(), "no witnesses configured") {
		t.Fatalf("a log without witnesses: %v", err)
	}
}
