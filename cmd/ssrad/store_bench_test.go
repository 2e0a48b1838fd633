package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
)

// benchWorld is a migrated SQLite store with an assessor and a server on it.
type benchWorld struct {
	store *sqlstore.Store
	srv   *rest.Server
	key   string
	actor ssra.Actor
}

func newBenchWorld(b *testing.B) benchWorld {
	b.Helper()
	ctx := context.Background()
	s, err := openStore(ctx, filepath.Join(b.TempDir(), "ssra.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	o, err := s.CreateOrganisation(ctx, sqlstore.System, "assessing body")
	if err != nil {
		b.Fatal(err)
	}
	u, err := s.CreateUser(ctx, sqlstore.System, o.ID, "assessor", []ssra.Role{ssra.RoleAssessor})
	if err != nil {
		b.Fatal(err)
	}
	key, _, err := s.CreateKey(ctx, sqlstore.System, u.ID, "bench")
	if err != nil {
		b.Fatal(err)
	}
	srv := rest.New(rest.Config{}, rest.Deps{Auth: s, Ready: s, Resources: &rest.Resources{Store: s}})
	return benchWorld{store: s, srv: srv, key: key, actor: ssra.Actor{UserID: u.ID, OrgID: o.ID}}
}

// benchAssessment is a draft of n factors.
func benchAssessment(n int) map[string]any {
	var factors []any
	for i := range n {
		factors = append(factors, map[string]any{"id": fmt.Sprintf("F%d", i), "area": "land_expropriation", "name": "factor", "weight": "0.1",
			"initial": map[string]any{"probability": 3, "impact": 3}, "residual": map[string]any{"probability": 2, "impact": 2}})
	}
	return map[string]any{"profile": "practice", "assessment": map[string]any{
		"subject": map[string]any{"kind": "project", "name": "plant", "responsible_unit": "utilities"}, "regime": "ndrc2012_project", "factors": factors}}
}

func (w benchWorld) do(b *testing.B, method, path, etag string, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+w.key)
	req.Header.Set("Content-Type", "application/json")
	if etag != "" {
		req.Header.Set("If-Match", etag)
	}
	rec := httptest.NewRecorder()
	w.srv.ServeHTTP(rec, req)
	return rec
}

// BenchmarkStoredUpdate measures an update of a 10-factor draft through
// the whole server (authentication with a key lookup, strict decoding,
// If-Match, the domain checks, the audited write) against the audited
// write alone on the same store: the ratio is what the REST layer costs on
// top of the transaction and its audit event.
func BenchmarkStoredUpdate(b *testing.B) {
	body, _ := json.Marshal(benchAssessment(10))
	b.Run("http", func(b *testing.B) {
		w := newBenchWorld(b)
		rec := w.do(b, "POST", "/v1/assessments", "", body)
		if rec.Code != http.StatusCreated {
			b.Fatalf("create: %d %s", rec.Code, rec.Body)
		}
		var env struct{ ID string }
		_ = json.Unmarshal(rec.Body.Bytes(), &env)
		etag := rec.Header().Get("ETag")
		b.ResetTimer()
		for range b.N {
			rec := w.do(b, "PUT", "/v1/assessments/"+env.ID, etag, body)
			if rec.Code != http.StatusOK {
				b.Fatalf("update: %d %s", rec.Code, rec.Body)
			}
			etag = rec.Header().Get("ETag")
		}
	})
	b.Run("store_baseline", func(b *testing.B) {
		w := newBenchWorld(b)
		var v any
		_ = json.Unmarshal(body, &v)
		r, err := w.store.Create(context.Background(), w.actor, "assessment.create", store.RecordAssessment, store.Fields{Status: "draft", Body: v})
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if r, err = w.store.Update(context.Background(), w.actor, "assessment.update", store.RecordAssessment, r.ID, r.Version,
				store.Fields{Status: "draft", Body: v}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStoredRead measures GET of a 10-factor assessment through the
// server against the store's scoped read alone.
func BenchmarkStoredRead(b *testing.B) {
	body, _ := json.Marshal(benchAssessment(10))
	b.Run("http", func(b *testing.B) {
		w := newBenchWorld(b)
		rec := w.do(b, "POST", "/v1/assessments", "", body)
		var env struct{ ID string }
		_ = json.Unmarshal(rec.Body.Bytes(), &env)
		b.ResetTimer()
		for range b.N {
			if rec := w.do(b, "GET", "/v1/assessments/"+env.ID, "", nil); rec.Code != http.StatusOK {
				b.Fatalf("read: %d", rec.Code)
			}
		}
	})
	b.Run("store_baseline", func(b *testing.B) {
		w := newBenchWorld(b)
		var v any
		_ = json.Unmarshal(body, &v)
		r, err := w.store.Create(context.Background(), w.actor, "assessment.create", store.RecordAssessment, store.Fields{Status: "draft", Body: v})
		if err != nil {
			b.Fatal(err)
		}
		b.ResetTimer()
		for range b.N {
			if _, err := w.store.Get(context.Background(), w.actor, store.RecordAssessment, r.ID); err != nil {
				b.Fatal(err)
			}
		}
	})
}
