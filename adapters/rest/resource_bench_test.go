package rest_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
)

// BenchmarkAssessments measures the stored-assessment routes through the
// whole server on the in-memory store: create (POST /v1/assessments with
// the 30-factor assessment of BenchmarkEvaluate) and list (GET
// /v1/assessments, a page of 50 such assessments). With BenchmarkEvaluate
// they are the REST figures a change of the domain's JSON or evaluation is
// read against.
func BenchmarkAssessments(b *testing.B) {
	body := []byte(`{"profile":"practice","assessment":` + string(benchEvaluateBody()) + `}`)
	now := func() time.Time { return time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC) }
	newServer := func() *rest.Server {
		return rest.New(rest.Config{AuthFailureLimit: -1}, rest.Deps{Auth: resAuth{}, Resources: &rest.Resources{
			Store: newMemStore(now, orgA, orgB, orgC), Now: now, Random: bytes.NewReader(bytes.Repeat([]byte{7, 42, 199, 3}, 4096)),
		}})
	}
	key := keyOf(orgA, ssra.RoleAssessor)
	send := func(srv http.Handler, method, path string, body []byte) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, path, bytes.NewReader(body))
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		req.Header.Set("Authorization", "Bearer "+key)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		return rec
	}
	b.Run("create", func(b *testing.B) {
		srv := newServer()
		b.ReportAllocs()
		for b.Loop() {
			if rec := send(srv, http.MethodPost, "/v1/assessments", body); rec.Code != http.StatusCreated {
				b.Fatalf("create: %d %s", rec.Code, rec.Body)
			}
		}
	})
	b.Run("list", func(b *testing.B) {
		srv := newServer()
		for range 50 {
			if rec := send(srv, http.MethodPost, "/v1/assessments", body); rec.Code != http.StatusCreated {
				b.Fatalf("create: %d %s", rec.Code, rec.Body)
			}
		}
		b.ReportAllocs()
		for b.Loop() {
			if rec := send(srv, http.MethodGet, "/v1/assessments?limit=50", nil); rec.Code != http.StatusOK {
				b.Fatalf("list: %d %s", rec.Code, rec.Body)
			}
		}
	})
}
