package main

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// logServer serves the three routes the verifier uses from a real store,
// as ssrad does (ssrad's own tests check its routes against the OpenAPI
// document).
func logServer(t *testing.T, s *sqlstore.Store, by sqlstore.Actor) *httptest.Server {
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
	open := func() (*sqlstore.Store, sqlstore.Actor) {
		s, err := sqlstore.Open(ctx, filepath.Join(t.TempDir(), "ssra.db"), sqlstore.WithLogKey(key))
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
		return s, sqlstore.Actor{UserID: b.User.ID, OrgID: b.Organisation.ID}
	}
	s, me := open()
	srv := logServer(t, s, me)
	c := client{base: srv.URL, http: srv.Client()}
	state := filepath.Join(t.TempDir(), "checkpoint.txt")
	write := func(s *sqlstore.Store, me sqlstore.Actor, n int) sqlstore.Record {
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
	if out, err := run(c, vkey, state, "", 0); err != nil || !strings.Contains(out, "trusting this one") {
		t.Fatalf("first run: %s %v", out, err)
	}
	r := write(s, me, 5)
	out, err := run(c, vkey, state, r.ID, 1)
	if err != nil || !strings.Contains(out, "extends the saved checkpoint") || !strings.Contains(out, "record "+r.ID+" version 1 is leaf") {
		t.Fatalf("second run: %s %v", out, err)
	}
	// The operator restarts the log from scratch with the same key and
	// more entries than before: a fork, which the saved checkpoint exposes.
	fork, me2 := open()
	write(fork, me2, 20)
	c.base = logServer(t, fork, me2).URL
	if out, err := run(c, vkey, state, "", 0); err == nil || !strings.Contains(err.Error(), "not an append-only extension") {
		t.Fatalf("against a fork: %s %v; want a refusal", out, err)
	}
	// A key that is not the log's is refused.
	_, other, _ := sqlstore.GenerateLogKey(rand.Reader, "ssra.test/verifier")
	if _, err := run(c, other, state, "", 0); err == nil {
		t.Fatal("a checkpoint accepted with another key")
	}
}
