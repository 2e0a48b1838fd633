package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
)

// The keys of the server tests, in the form of real keys, so that a test
// can look for a key's secret part in the logs; resAuth knows them.
const (
	adminKey  = "ssra_admin0000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	viewerKey = "ssra_viewer000000_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"
	// operatorKey is a key of the server's operator (a user of the
	// organisation with no other role).
	operatorKey = "ssra_operator00000_CCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCCC"
)

type pinger struct{ err error }

func (p pinger) Ping(context.Context) error { return p.err }

// syncBuffer is a log sink safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func newServer(t *testing.T, cfg rest.Config, ready error) (*rest.Server, *syncBuffer) {
	t.Helper()
	logs := &syncBuffer{}
	cfg.Logger = slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	s := rest.New(cfg, rest.Deps{Auth: resAuth{}, Ready: pinger{ready}})
	return s, logs
}

func do(s http.Handler, method, path, key string, body io.Reader, hdr ...string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(method, path, body)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	return rec
}

func problemOf(t *testing.T, rec *httptest.ResponseRecorder) rest.Problem {
	t.Helper()
	if ct := rec.Header().Get("Content-Type"); ct != rest.MIMEProblem {
		t.Fatalf("content type %q, want %q (body %s)", ct, rest.MIMEProblem, rec.Body)
	}
	var p rest.Problem
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		t.Fatalf("problem body: %v: %s", err, rec.Body)
	}
	if p.Status != rec.Code || p.Type == "" || p.Title == "" || p.RequestID == "" {
		t.Fatalf("incomplete problem for status %d: %+v", rec.Code, p)
	}
	return p
}

func TestHealthAndReadiness(t *testing.T) {
	s, _ := newServer(t, rest.Config{}, nil)
	rec := do(s, "GET", "/healthz", "", nil)
	if rec.Code != 200 || rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("X-Request-ID") == "" {
		t.Fatalf("healthz: %d %v", rec.Code, rec.Header())
	}
	if rec := do(s, "GET", "/readyz", "", nil); rec.Code != 200 {
		t.Fatalf("readyz: %d", rec.Code)
	}
	down, logs := newServer(t, rest.Config{}, errors.New("dial tcp 10.0.0.5:5432: connection refused"))
	rec = do(down, "GET", "/readyz", "", nil)
	p := problemOf(t, rec)
	if rec.Code != 503 || strings.Contains(rec.Body.String(), "10.0.0.5") {
		t.Fatalf("readyz with the database down: %d %s", rec.Code, rec.Body)
	}
	if !strings.Contains(logs.String(), "connection refused") || p.Type != "urn:ssra:problem:not_ready" {
		t.Fatalf("the cause is logged, not shown: %s", logs)
	}
}

func TestAuthentication(t *testing.T) {
	s, logs := newServer(t, rest.Config{}, nil)
	for _, tc := range []struct {
		name, header string
	}{
		{"no header", ""},
		{"wrong scheme", "Basic " + adminKey},
		{"empty token", "Bearer "},
		{"wrong key", "Bearer " + strings.Replace(adminKey, "A", "C", 1)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := do(s, "GET", "/v1/me", "", nil, "Authorization", tc.header)
			p := problemOf(t, rec)
			if rec.Code != 401 || p.Type != "urn:ssra:problem:unauthenticated" || rec.Header().Get("WWW-Authenticate") == "" {
				t.Fatalf("%d %+v %v", rec.Code, p, rec.Header())
			}
		})
	}
	rec := do(s, "GET", "/v1/me", adminKey, nil)
	if rec.Code != 200 || rec.Header().Get("Cache-Control") != "no-store" {
		t.Fatalf("me: %d %v %s", rec.Code, rec.Header(), rec.Body)
	}
	var me struct {
		User         struct{ ID, Name string }
		Organisation struct{ ID, Name string }
		Roles        []string
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &me); err != nil || me.User.ID != "u1" || me.Organisation.Name != "County office" || len(me.Roles) != 1 || me.Roles[0] != "admin" {
		t.Fatalf("me body: %s (%v)", rec.Body, err)
	}
	if strings.Contains(logs.String(), adminKey) || strings.Contains(logs.String(), adminKey[18:]) {
		t.Fatal("a key reached the logs")
	}
	if !strings.Contains(logs.String(), `"route":"/v1/me"`) || !strings.Contains(logs.String(), `"status":200`) {
		t.Fatalf("request log lacks route or status: %s", logs)
	}
}

func TestAuthFailuresAreRateLimited(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: 3, AuthFailureWindow: time.Hour}, nil)
	for i := range 3 {
		if rec := do(s, "GET", "/v1/me", "bad", nil); rec.Code != 401 {
			t.Fatalf("failure %d: %d", i+1, rec.Code)
		}
	}
	rec := do(s, "GET", "/v1/me", adminKey, nil)
	p := problemOf(t, rec)
	if rec.Code != 429 || p.Type != "urn:ssra:problem:rate_limited" || rec.Header().Get("Retry-After") == "" {
		t.Fatalf("after 3 failures, even a good key: %d %v", rec.Code, rec.Header())
	}
	// Another address is not affected.
	req := httptest.NewRequest("GET", "/v1/me", nil)
	req.RemoteAddr = "192.0.2.7:4000"
	req.Header.Set("Authorization", "Bearer "+adminKey)
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Fatalf("another address: %d", rec.Code)
	}
	// Without TrustProxy a forged X-Forwarded-For does not escape the limit.
	rec = do(s, "GET", "/v1/me", adminKey, nil, "X-Forwarded-For", "203.0.113.9")
	if rec.Code != 429 {
		t.Fatalf("forged X-Forwarded-For: %d", rec.Code)
	}
}

func TestErrorKindsMapToStatus(t *testing.T) {
	s, logs := newServer(t, rest.Config{}, nil)
	var ps ssra.Problems
	ps.Add("not_square", "matrix[2]", "row 2 has 2 cells, want 3")
	ps.Add("required", "method", "is required")
	ps.Warn("advice", "x", "only advice")
	errs := map[string]error{
		"invalid":      ps.Err("riskeval.AHP"),
		"not_found":    ssra.Errorf(ssra.KindNotFound, "sqlstore.Get", "no assessment %q", "a1"),
		"conflict":     ssra.Errorf(ssra.KindConflict, "op", "not allowed in state issued"),
		"forbidden":    ssra.Errorf(ssra.KindForbidden, "op", "reviewers only"),
		"unauth":       ssra.Errorf(ssra.KindUnauthenticated, "op", "no"),
		"stale":        ssra.Errorf(ssra.KindPreconditionFailed, "op", "stale"),
		"internal":     ssra.Wrap(ssra.KindInternal, "sqlstore.Get", errors.New("pq: password=hunter2 table secrets"), "database error"),
		"plain":        errors.New("plain error with secret detail"),
		"wrapped":      fmt.Errorf("handler: %w", ssra.Errorf(ssra.KindNotFound, "op", "gone")),
		"http500":      echo.NewHTTPError(500, "echo internal detail"),
		"bad_request":  rest.BadRequest("malformed JSON", nil),
		"precondition": rest.PreconditionRequired(),
	}
	s.V1().GET("/test/:name", func(c echo.Context) error {
		if c.Param("name") == "panic" {
			panic("boom with secret detail")
		}
		if c.Param("name") == "ifmatch" {
			_, err := rest.IfMatch(c)
			return err
		}
		return errs[c.Param("name")]
	})
	cases := []struct {
		name   string
		status int
		typ    string
	}{
		{"invalid", 422, "invalid"},
		{"not_found", 404, "not_found"},
		{"conflict", 409, "conflict"},
		{"forbidden", 403, "forbidden"},
		{"unauth", 401, "unauthenticated"},
		{"stale", 412, "precondition_failed"},
		{"internal", 500, "internal"},
		{"plain", 500, "internal"},
		{"wrapped", 404, "not_found"},
		{"http500", 500, "internal"},
		{"bad_request", 400, "bad_request"},
		{"ifmatch", 428, "precondition_required"},
		{"panic", 500, "internal"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rec := do(s, "GET", "/v1/test/"+c.name, adminKey, nil)
			p := problemOf(t, rec)
			if rec.Code != c.status || p.Type != "urn:ssra:problem:"+c.typ {
				t.Fatalf("got %d %s, want %d %s", rec.Code, p.Type, c.status, c.typ)
			}
			body := rec.Body.String()
			for _, leak := range []string{"hunter2", "secret", "sqlstore", "echo internal"} {
				if strings.Contains(body, leak) {
					t.Fatalf("body leaks %q: %s", leak, body)
				}
			}
			if c.status == 500 && !strings.Contains(p.Detail, p.RequestID) {
				t.Fatalf("internal detail should quote the request id: %+v", p)
			}
		})
	}
	rec := do(s, "GET", "/v1/test/invalid", adminKey, nil)
	p := problemOf(t, rec)
	if len(p.Errors) != 2 || p.Errors[0].Field != "matrix[2]" || p.Errors[0].Code != "not_square" || p.Errors[1].Field != "method" {
		t.Fatalf("field errors: %+v", p.Errors)
	}
	l := logs.String()
	if !strings.Contains(l, "hunter2") || !strings.Contains(l, "boom with secret detail") || !strings.Contains(l, "goroutine") {
		t.Fatal("internal errors and panics (with stack) must be logged")
	}
	if strings.Contains(l, "reviewers only") {
		t.Fatal("only internal errors are logged as errors")
	}
}

func TestTransportConditions(t *testing.T) {
	s, _ := newServer(t, rest.Config{BodyLimit: 64}, nil)
	s.V1().POST("/echo", func(c echo.Context) error {
		b, err := io.ReadAll(c.Request().Body)
		if err != nil {
			return err
		}
		return c.Blob(200, "application/json", b)
	})
	small := `{"a":1}`
	big := `{"a":"` + strings.Repeat("x", 100) + `"}`
	if rec := do(s, "POST", "/v1/echo", adminKey, strings.NewReader(small), "Content-Type", "application/json"); rec.Code != 200 {
		t.Fatalf("small JSON body: %d %s", rec.Code, rec.Body)
	}
	if rec := do(s, "POST", "/v1/echo", adminKey, strings.NewReader(small), "Content-Type", "application/problem+json"); rec.Code != 200 {
		t.Fatalf("+json body: %d %s", rec.Code, rec.Body)
	}
	rec := do(s, "POST", "/v1/echo", adminKey, strings.NewReader(big), "Content-Type", "application/json")
	if p := problemOf(t, rec); rec.Code != 413 || p.Type != "urn:ssra:problem:too_large" {
		t.Fatalf("big body with Content-Length: %d %+v", rec.Code, p)
	}
	// A body without Content-Length is cut off while reading.
	req := httptest.NewRequest("POST", "/v1/echo", io.MultiReader(strings.NewReader(big)))
	req.ContentLength = -1
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminKey)
	rec = httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if p := problemOf(t, rec); rec.Code != 413 {
		t.Fatalf("big streamed body: %d %+v", rec.Code, p)
	}
	for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "", "nonsense/"} {
		rec := do(s, "POST", "/v1/echo", adminKey, strings.NewReader(small), "Content-Type", ct)
		if p := problemOf(t, rec); rec.Code != 415 || p.Type != "urn:ssra:problem:unsupported_media_type" {
			t.Fatalf("content type %q: %d %+v", ct, rec.Code, p)
		}
	}
	rec = do(s, "GET", "/nowhere", "", nil)
	if p := problemOf(t, rec); rec.Code != 404 {
		t.Fatalf("unknown route: %d %+v", rec.Code, p)
	}
	rec = do(s, "DELETE", "/healthz", "", nil)
	if p := problemOf(t, rec); rec.Code != 405 {
		t.Fatalf("wrong method: %d %+v", rec.Code, p)
	}
	rec = do(s, "GET", "/v1/nowhere", "", nil)
	if rec.Code != 401 {
		t.Fatalf("unknown /v1 route without a key: %d, want 401 so that routes are not probed", rec.Code)
	}
}

func TestRequestID(t *testing.T) {
	s, _ := newServer(t, rest.Config{}, nil)
	rec := do(s, "GET", "/healthz", "", nil, "X-Request-ID", "abc-123.DEF_4")
	if got := rec.Header().Get("X-Request-ID"); got != "abc-123.DEF_4" {
		t.Fatalf("valid incoming id: got %q", got)
	}
	for _, bad := range []string{"has space", "<script>", strings.Repeat("a", 65), "ключ"} {
		rec := do(s, "GET", "/healthz", "", nil, "X-Request-ID", bad)
		if got := rec.Header().Get("X-Request-ID"); got == bad || len(got) != 32 {
			t.Fatalf("invalid incoming id %q was kept or not replaced: %q", bad, got)
		}
	}
}

func TestMetrics(t *testing.T) {
	s, _ := newServer(t, rest.Config{}, nil)
	do(s, "GET", "/healthz", "", nil)
	do(s, "GET", "/v1/me", "bad", nil)
	if rec := do(s, "GET", "/metrics", "", nil); rec.Code != 401 {
		t.Fatalf("metrics without a key: %d", rec.Code)
	}
	if rec := do(s, "GET", "/metrics", viewerKey, nil); rec.Code != 403 {
		t.Fatalf("metrics with a viewer key: %d", rec.Code)
	}
	// The figures are the whole server's: an organisation's admin reads
	// none of them.
	if rec := do(s, "GET", "/metrics", adminKey, nil); rec.Code != 403 || strings.Contains(rec.Body.String(), "ssra_http") {
		t.Fatalf("metrics with an organisation's admin key: %d %s", rec.Code, rec.Body)
	}
	rec := do(s, "GET", "/metrics", operatorKey, nil)
	body := rec.Body.String()
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("metrics: %d %v", rec.Code, rec.Header())
	}
	for _, want := range []string{
		`ssra_http_requests_total{method="GET",route="/healthz",status="200"} 1`,
		`ssra_http_requests_total{method="GET",route="/v1/me",status="401"} 1`,
		`ssra_http_requests_total{method="GET",route="/metrics",status="403"} 2`,
		`ssra_http_request_duration_seconds_bucket{method="GET",route="/healthz",le="+Inf"} 1`,
		`ssra_auth_failures_total 2`,
		"# TYPE ssra_http_request_duration_seconds histogram",
		"ssra_http_requests_in_flight 1", // the metrics request itself
		"# TYPE go_gc_duration_seconds summary",
		"# TYPE process_start_time_seconds gauge",
	} {
		if !strings.Contains(body, want) {
			t.Fatalf("metrics lack %q:\n%s", want, body)
		}
	}
	sep, _ := newServer(t, rest.Config{MetricsSeparate: true}, nil)
	if rec := do(sep, "GET", "/metrics", operatorKey, nil); rec.Code != 404 {
		t.Fatalf("metrics on the main address when separate: %d", rec.Code)
	}
	if rec := do(sep.MetricsHandler(), "GET", "/metrics", "", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "go_goroutines") {
		t.Fatalf("separate metrics handler: %d", rec.Code)
	}
}

func TestCallerAndRoles(t *testing.T) {
	s, _ := newServer(t, rest.Config{}, nil)
	s.V1().GET("/admin-only", func(c echo.Context) error {
		p, err := rest.Caller(c)
		if err != nil {
			return err
		}
		return c.String(200, p.UserID)
	}, rest.RequireRole(ssra.RoleAdmin))
	if rec := do(s, "GET", "/v1/admin-only", adminKey, nil); rec.Code != 200 || rec.Body.String() != "u1" {
		t.Fatalf("admin: %d %s", rec.Code, rec.Body)
	}
	if rec := do(s, "GET", "/v1/admin-only", viewerKey, nil); rec.Code != 403 {
		t.Fatalf("viewer: %d", rec.Code)
	}
	if _, ok := rest.PrincipalFrom(context.Background()); ok {
		t.Fatal("a bare context has no principal")
	}
}

func TestHeadProblemHasNoBody(t *testing.T) {
	s, _ := newServer(t, rest.Config{}, nil)
	rec := do(s, "HEAD", "/v1/me", "", nil)
	if rec.Code != 401 || rec.Body.Len() != 0 {
		t.Fatalf("HEAD problem: %d, %d bytes", rec.Code, rec.Body.Len())
	}
}

// A client that hangs up mid-request is logged as 499 at INFO, never as a
// 500 ERROR: in a load run such hang-ups were most of the "errors".
func TestClientHangUpIsNotAServerError(t *testing.T) {
	s, logs := newServer(t, rest.Config{}, nil)
	s.V1().GET("/test/hangup", func(c echo.Context) error {
		<-c.Request().Context().Done()
		return ssra.Wrap(ssra.KindInternal, "sqlstore.Get", c.Request().Context().Err(), "database error")
	})
	ctx, cancel := context.WithCancel(context.Background())
	req := httptest.NewRequest("GET", "/v1/test/hangup", nil).WithContext(ctx)
	req.Header.Set("Authorization", "Bearer "+adminKey)
	cancel()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != rest.StatusClientClosedRequest {
		t.Fatalf("status %d, want %d", rec.Code, rest.StatusClientClosedRequest)
	}
	out := logs.String()
	if strings.Contains(out, `"level":"ERROR"`) || strings.Contains(out, `"status":500`) {
		t.Fatalf("a hang-up was logged as a server error:\n%s", out)
	}
	if !strings.Contains(out, `"status":499`) {
		t.Fatalf("the hang-up is not in the request log:\n%s", out)
	}
}
