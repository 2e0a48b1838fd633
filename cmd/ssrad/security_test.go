package main_test

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Security checks of the running server. The store's own tests cover the
// rest: keys are stored as SHA-256 hashes (sqlstore TestBootstrap reads the
// column), compared with crypto/subtle against the stored hash or, for an
// unknown or malformed key, a dummy one (sqlstore TestWrongKeysFail covers
// every way a key can be wrong); the database file is private to its owner
// (TestSQLiteFileIsPrivate).

// TestAuthFailureLimitFromFlags: the limit on failed authentications is
// set by flag or variable, answers 429 with Retry-After and a problem body
// even to a good key from the address that failed, lifts when its window
// ends, and is off when negative.
func TestAuthFailureLimitFromFlags(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ssra.db")
	p := start(t, []string{"SSRA_AUTH_FAILURE_LIMIT=3"}, "-addr", "127.0.0.1:0", "-db", db, "-auth-failure-window", "2s")
	key := printedKey(t, p)
	bad := key[:len(key)-1] + "x"
	if bad == key {
		bad = key[:len(key)-1] + "y"
	}
	for i := range 3 {
		if code, _ := p.get(t, "/v1/me", bad); code != 401 {
			t.Fatalf("failure %d: %d, want 401", i+1, code)
		}
	}
	req, _ := http.NewRequest("GET", "http://"+p.addr+"/v1/me", nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 429 || resp.Header.Get("Retry-After") == "" || resp.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("after 3 failures, the good key: %d %v", resp.StatusCode, resp.Header)
	}
	time.Sleep(2100 * time.Millisecond)
	if code, _ := p.get(t, "/v1/me", key); code != 200 {
		t.Fatalf("after the window: %d", code)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	p.waitExit(t)

	// Off: the corpus and the matrix run this way.
	p = start(t, nil, "-addr", "127.0.0.1:0", "-db", db, "-auth-failure-limit", "-1")
	for i := range 60 {
		if code, _ := p.get(t, "/v1/me", bad); code != 401 {
			t.Fatalf("failure %d with the limit off: %d", i+1, code)
		}
	}
	if code, _ := p.get(t, "/v1/me", key); code != 200 {
		t.Fatalf("good key with the limit off: %d", code)
	}
}

// TestNoSecretsAtRest: after keys were issued and used and a complaint was
// registered, neither the database files nor the logs hold a key, the
// secret part of one, or the complainant's query code.
func TestNoSecretsAtRest(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ssra.db")
	w := seed(t, db)
	p := start(t, []string{"SSRA_DATABASE_URL=" + db, "SSRA_LOG_LEVEL=debug"}, "-addr", "127.0.0.1:0")
	reg := p.call(t, "POST", "/v1/complaints", w.keys["clerk"], map[string]any{
		"channel":      "phone",
		"matter":       map[string]any{"type": "claim", "subject": "District water bureau", "facts": "no water", "request": "water"},
		"complainants": []any{map[string]any{"name": "Zhou Xin", "phone": "13812345678"}},
	}).must(t, 201)
	code := reg.str("query_code")
	if code == "" {
		t.Fatal("no query code")
	}
	p.call(t, "GET", "/v1/public/complaints/"+reg.str("data", "ref"), "", nil, "X-Query-Code", code).must(t, 200)
	for _, k := range w.keys {
		p.call(t, "GET", "/v1/me", k, nil).must(t, 200)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	p.waitExit(t)

	var files []byte
	for _, suffix := range []string{"", "-wal", "-shm"} {
		b, err := os.ReadFile(db + suffix)
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		files = append(files, b...)
	}
	if !bytes.Contains(files, []byte("13812345678")) {
		t.Fatal("the complaint is not in the files read: the check would prove nothing")
	}
	logs := p.logText()
	for who, k := range w.keys {
		for _, s := range []string{k, k[18:]} {
			if bytes.Contains(files, []byte(s)) {
				t.Errorf("the database files hold the key of %s in clear", who)
			}
			if strings.Contains(logs, s) {
				t.Errorf("the logs hold the key of %s", who)
			}
		}
	}
	if bytes.Contains(files, []byte(code)) {
		t.Error("the database files hold the query code in clear")
	}
	for _, s := range []string{code, "Zhou Xin", "13812345678", "no water"} {
		if strings.Contains(logs, s) {
			t.Errorf("the logs hold %q", s)
		}
	}
}
