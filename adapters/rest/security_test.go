package rest_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/sheet"
)

// lockedBuffer is a log sink safe for concurrent writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newLoggingFixture is newFixture with the server's logs, at debug level,
// captured.
func newLoggingFixture(t *testing.T) (*fixture, *lockedBuffer) {
	t.Helper()
	logs := &lockedBuffer{}
	ck := &clock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	st := newMemStore(ck.Now, orgA, orgB, orgC)
	dir := newMemDirectory(ck.Now)
	dir.seedAdmins()
	srv := rest.New(rest.Config{
		AuthFailureLimit: -1,
		Logger:           slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}, rest.Deps{Auth: resAuth{}, Resources: &rest.Resources{
		Store: st, Log: st, Now: ck.Now, Random: bytes.NewReader(bytes.Repeat([]byte{7, 42, 199, 3}, 4096)), PublicLimit: 1000,
	}, Directory: dir})
	st.log.add("first-organisation", 0, "organisation.create")
	return &fixture{srv: srv, store: st, dir: dir, clock: ck}, logs
}

// matrixRelations are the relations the authorisation matrix tries for a
// row (TestAuthorisationMatrix).
func matrixRelations(rt route) []relation {
	switch {
	case rt.kind == "":
		return []relation{own}
	case rt.head:
		// The head's acts take a leader or body of the handling
		// organisation A; the subject's and recused callers do not act.
		return []relation{own, other, shared}
	case rt.kind == "complaint":
		return []relation{own, other, shared, subject, subjectUser, recused}
	case rt.kind == "appraisal_run", rt.kind == "user", rt.kind == "key", rt.kind == "reception_day":
		return []relation{own, other}
	}
	return []relation{own, other, shared}
}

// matrixBody is the body of a row, as TestAuthorisationMatrix sends it.
func matrixBody(t *testing.T, rt route) any {
	switch rt.body {
	case "profile":
		return countyProfile(t, "2")
	case "dispute":
		return disputeJSON()
	case "plan":
		return planJSON()
	case "run":
		return staffRunJSON()
	case "scheme":
		return countyScheme(t, "2")
	case "reception":
		return receptionJSON()
	case "screening":
		return screeningPlanJSON(orgA, orgC)
	case "entry":
		return entryJSON(orgC)
	case "factor_sheet":
		return factorBook(t)
	case "inputs_sheet":
		b, _ := unitSheet(t, sheet.XLSX, 3)
		return b
	case "staff_sheet":
		return staffSheet(t, sheet.XLSX)
	case "cosigned":
		return map[string]any{"checkpoint": cosignedFirst()}
	}
	if name, ok := rt.body.(string); ok {
		t.Fatalf("the matrix names a body %q that this test does not know: add it to matrixBody", name)
	}
	return rt.body
}

// TestMatrixLogsNoSecrets runs every row of the authorisation matrix for
// each relation, as a role the route admits and as one it refuses, with
// the logs captured at debug level, and then with a forged key: no key, no
// complainant's or party's name or phone, no facts, no query code reaches
// the logs. Every answer carries X-Content-Type-Options: nosniff and
// Cache-Control: no-store (every answer of these routes is about stored,
// possibly personal, data or refuses a caller).
func TestMatrixLogsNoSecrets(t *testing.T) {
	var secrets []string
	for _, org := range []string{orgA, orgB, orgC} {
		for _, r := range ssra.Roles() {
			secrets = append(secrets, keyOf(org, r))
		}
	}
	// Personal data of the fixtures' complainant and parties.
	fixtures, _ := json.Marshal([]any{complaintJSON(), disputeJSON()})
	for _, s := range []string{"Li Hua", "13800000000", "water cut for two weeks", "Zhao Lei", "13700000000", "a wall built across a shared lane"} {
		if !strings.Contains(string(fixtures), s) {
			t.Fatalf("the fixtures no longer hold %q: update the list", s)
		}
		secrets = append(secrets, s)
	}
	rows := 0
	for _, rt := range matrix {
		roles := []ssra.Role{ssra.RoleViewer}
		if rt.roles != nil {
			roles = []ssra.Role{rt.roles[0]}
			for _, r := range ssra.Roles() {
				if !slices.Contains(rt.roles, r) {
					roles = append(roles, r)
					break
				}
			}
		}
		for _, role := range roles {
			for _, rel := range matrixRelations(rt) {
				rows++
				f, logs := newLoggingFixture(t)
				id, etag, org := prepare(t, f, rt, rel, role)
				path := strings.ReplaceAll(rt.path, "{id}", id)
				r := f.call(t, rt.method, path, keyOf(org, role), matrixBody(t, rt), matrixHeaders(rt, etag)...)
				if want := expected(rt, role, rel); r.code != want {
					t.Fatalf("%s as %s/%s: %d, want %d: %s", rt.name, role, rel, r.code, want, r.raw)
				}
				if got := r.hdr.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("%s as %s/%s: X-Content-Type-Options %q", rt.name, role, rel, got)
				}
				if got := r.hdr.Get("Cache-Control"); got != "no-store" {
					t.Errorf("%s as %s/%s: %d with Cache-Control %q, want no-store", rt.name, role, rel, r.code, got)
				}
				forged := "key:" + org + ":" + role.String() + "-forged"
				req := httptest.NewRequest(rt.method, path, nil)
				req.Header.Set("Authorization", "Bearer "+forged)
				rec := httptest.NewRecorder()
				f.srv.ServeHTTP(rec, req)
				if rec.Code != 401 {
					t.Fatalf("%s with a forged key: %d", rt.name, rec.Code)
				}
				out := logs.String()
				if !strings.Contains(out, `"msg":"request"`) {
					t.Fatalf("no request logs captured: %q", out)
				}
				for _, s := range append(secrets, forged) {
					if strings.Contains(out, s) {
						t.Fatalf("%s as %s/%s: the logs contain %q:\n%s", rt.name, role, rel, s, out)
					}
				}
				if code, _ := r.body["query_code"].(string); code != "" && strings.Contains(out, code) {
					t.Fatalf("%s: the logs contain the query code", rt.name)
				}
			}
		}
	}
	if rows < len(matrix) {
		t.Fatalf("only %d matrix rows", rows)
	}
}
