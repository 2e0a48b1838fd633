package rest_test

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
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
	srv := rest.New(rest.Config{
		AuthFailureLimit: -1,
		Logger:           slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}, rest.Deps{Auth: resAuth{}, Resources: &rest.Resources{
		Store: st, Now: ck.Now, Random: bytes.NewReader(bytes.Repeat([]byte{7, 42, 199, 3}, 4096)), PublicLimit: 1000,
	}})
	return &fixture{srv: srv, store: st, clock: ck}, logs
}

// TestMatrixLogsNoSecrets runs every row of the authorisation matrix (every
// route × role × relation) with the logs captured at debug level, and then
// with a forged key: no key, no complainant's name, phone or facts, no
// query code reaches the logs. Every answer carries
// X-Content-Type-Options: nosniff, and every answer about a stored record
// Cache-Control: no-store.
func TestMatrixLogsNoSecrets(t *testing.T) {
	var secrets []string
	for _, org := range []string{orgA, orgB, orgC} {
		for _, r := range ssra.Roles() {
			secrets = append(secrets, keyOf(org, r))
		}
	}
	secrets = append(secrets, "Li Hua", "13800000000", "water cut for two weeks", "restore the supply")
	rows := 0
	for _, rt := range matrix {
		rels := []relation{own}
		if rt.kind != "" {
			rels = []relation{own, other, shared}
		}
		if rt.kind == "complaint" {
			rels = append(rels, subject)
		}
		for _, role := range ssra.Roles() {
			for _, rel := range rels {
				rows++
				f, logs := newLoggingFixture(t)
				id, etag, org := prepare(t, f, rt, rel)
				path := strings.ReplaceAll(rt.path, "{id}", id)
				r := f.call(t, rt.method, path, keyOf(org, role), rt.body, "If-Match", etag)
				if got := r.hdr.Get("X-Content-Type-Options"); got != "nosniff" {
					t.Errorf("%s as %s/%s: X-Content-Type-Options %q", rt.name, role, rel, got)
				}
				if got := r.hdr.Get("Cache-Control"); got != "no-store" {
					t.Errorf("%s as %s/%s: %d with Cache-Control %q, want no-store", rt.name, role, rel, r.code, got)
				}
				forged := "key:" + org + ":" + role.String() + "-forged"
				f.call(t, rt.method, path, forged, rt.body, "If-Match", etag).must(t, 401)
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
	if rows < 100 {
		t.Fatalf("only %d matrix rows", rows)
	}
}
