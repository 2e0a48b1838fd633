package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// logServer serves the three routes the verifier uses from a real store,
// as ssrad does (ssrad's own tests check its routes against the OpenAPI
// document).
func logServer(t *testing.T, s *sqlstore.Store, by ssra.Actor) *httptest.Server {
	mux := http.NewServeMux()
	fail := func(w http.ResponseWriter, err error) { http.Error(w, err.Error(), http.StatusNotFound) }
	mux.HandleFunc("GET /v1/audit/checkpoint", func(w http.ResponseWriter, r *http.Request) {
		cp, err := s.LatestCheckpoint(r.Context())
		if err != nil {
			fail(w, err)
			return
		}
		_, _ = w.Write(cp.Note)
	})
	mux.HandleFunc("GET /v1/audit/consistency", func(w http.ResponseWriter, r *http.Request) {
		from, _ := strconv.ParseInt(r.URL.Query().Get("from"), 10, 64)
		to, _ := strconv.ParseInt(r.URL.Query().Get("to"), 10, 64)
		p, err := s.ProveConsistency(r.Context(), from, to)
		if err != nil {
			fail(w, err)
			return
		}
		var body struct {
			Proof [][]byte `json:"proof"`
		}
		for _, h := range p {
			body.Proof = append(body.Proof, h[:])
		}
		_ = json.NewEncoder(w).Encode(body)
	})
	mux.HandleFunc("GET /v1/audit/proof", func(w http.ResponseWriter, r *http.Request) {
		v, _ := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
		p, err := s.ProveRecord(r.Context(), by, r.URL.Query().Get("record"), v)
		if err != nil {
			fail(w, err)
			return
		}
		proof := make([][]byte, len(p.Proof))
		for i := range p.Proof {
			proof[i] = p.Proof[i][:]
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"leaf_index": p.Index, "tree_size": p.TreeSize, "leaf": string(p.Leaf),
			"proof": proof, "checkpoint": string(p.Checkpoint)})
	})
	mux.HandleFunc("GET /v1/audit/checkpoint/cosigned", func(w http.ResponseWriter, r *http.Request) {
		c, err := s.CosignedCheckpoint(r.Context())
		if err != nil {
			fail(w, err)
			return
		}
		_, _ = w.Write(c.Note)
	})
	mux.HandleFunc("POST /v1/audit/cosignatures", func(w http.ResponseWriter, r *http.Request) {
		var in struct {
			Checkpoint string `json:"checkpoint"`
		}
		_ = json.NewDecoder(r.Body).Decode(&in)
		c, err := s.AddCosignatures(r.Context(), []byte(in.Checkpoint))
		if err != nil {
			http.Error(w, err.Error(), http.StatusUnprocessableEntity)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"size": c.Size, "witnesses": c.Witnesses})
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestVerifier runs the verifier against a growing log, then against a
// fork of it signed with the same key: the fork is refused.
func TestVerifier(t *testing.T) {
	ctx := context.Background()
	skey, vkey, err := sqlstore.GenerateLogKey(rand.Reader, "ssra.test/verifier")
	if err != nil {
		t.Fatal(err)
	}
	key, err := sqlstore.ParseLogKey(skey)
	if err != nil {
		t.Fatal(err)
	}
	// The supervising body's witness key: its signer stays with it, the
	// log knows its public key.
	wskey, wvkey, err := sqlstore.GenerateLogKey(rand.Reader, "supervisor.test/witness")
	if err != nil {
		t.Fatal(err)
	}
	wv, err := sqlstore.ParseWitnessKey(wvkey)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	witnessKeys, cosignKey := filepath.Join(dir, "witnesses"), filepath.Join(dir, "witness.key")
	if err := os.WriteFile(witnessKeys, []byte("# the supervising body\n"+wvkey+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cosignKey, []byte(wskey+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	open := func() (*sqlstore.Store, ssra.Actor) {
		s, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "ssra.db"), sqlstore.WithLogKey(key), sqlstore.WithWitnesses(wv))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		b, err := s.Bootstrap(ctx, "Office", "admin")
		if err != nil {
			t.Fatal(err)
		}
		return s, ssra.Actor{UserID: b.User.ID, OrgID: b.Organisation.ID}
	}
	s, me := open()
	srv := logServer(t, s, me)
	c := client{base: srv.URL, http: srv.Client()}
	state := filepath.Join(t.TempDir(), "checkpoint.txt")
	write := func(s *sqlstore.Store, me ssra.Actor, n int) sqlstore.Record {
		var r sqlstore.Record
		for i := 0; i < n; i++ {
			if r, err = s.Create(ctx, me, "plan.create", sqlstore.RecordPlan, sqlstore.Fields{Body: map[string]int{"i": i}}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Sequence(ctx); err != nil {
			t.Fatal(err)
		}
		return r
	}
	write(s, me, 3)
	if out, err := run(c, check{vkey: vkey, state: state}); err != nil || !strings.Contains(out, "trusting this one") {
		t.Fatalf("first run: %s %v", out, err)
	}
	r := write(s, me, 5)
	out, err := run(c, check{vkey: vkey, state: state, record: r.ID, version: 1})
	if err != nil || !strings.Contains(out, "extends the saved checkpoint") || !strings.Contains(out, "record "+r.ID+" version 1 is leaf") {
		t.Fatalf("second run: %s %v", out, err)
	}
	// The supervising body as a witness: nothing cosigned yet, then it
	// cosigns what it checked, and anyone holding its public key sees
	// the log extends that.
	witness := check{vkey: vkey, state: state, minWitnesses: 1}
	if err := witness.keys(witnessKeys, ""); err != nil {
		t.Fatal(err)
	}
	if out, err := run(c, witness); err == nil {
		t.Fatalf("a witness check with nothing cosigned: %s; want a refusal", out)
	}
	cosigner := witness
	if err := cosigner.keys("", cosignKey); err != nil {
		t.Fatal(err)
	}
	cosigner.witnesses = nil
	if out, err := run(c, cosigner); err != nil || !strings.Contains(out, "cosigned the checkpoint of") {
		t.Fatalf("cosigning: %s %v", out, err)
	}
	write(s, me, 2)
	if out, err := run(c, witness); err != nil || !strings.Contains(out, "cosigned by supervisor.test/witness") {
		t.Fatalf("after cosigning: %s %v", out, err)
	}
	witness.minWitnesses = 2
	if out, err := run(c, witness); err == nil || !strings.Contains(err.Error(), "2 wanted") {
		t.Fatalf("two witnesses wanted, one cosigned: %s %v; want a refusal", out, err)
	}
	// The operator restarts the log from scratch with the same key and
	// more entries than before: a fork, which the saved checkpoint exposes.
	fork, me2 := open()
	write(fork, me2, 20)
	c.base = logServer(t, fork, me2).URL
	if out, err := run(c, check{vkey: vkey, state: state}); err == nil || !strings.Contains(err.Error(), "not an append-only extension") {
		t.Fatalf("against a fork: %s %v; want a refusal", out, err)
	}
	// A key that is not the log's is refused.
	_, other, _ := sqlstore.GenerateLogKey(rand.Reader, "ssra.test/verifier")
	if _, err := run(c, check{vkey: other, state: state}); err == nil {
		t.Fatal("a checkpoint accepted with another key")
	}
}
