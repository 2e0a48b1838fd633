package main_test

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib"
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		_ = os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// ssradBinary builds ssrad once per test run.
var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

func ssradBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test builds and runs ssrad; skipped with -short")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "ssrad-e2e")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "ssrad")
		out, err := exec.Command("go", "build", "-tags", "ssradtest", "-o", binPath, ".").CombinedOutput()
		if err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

// proc is a running ssrad.
type proc struct {
	cmd    *exec.Cmd
	addr   string
	stdout chan string
	logs   *strings.Builder
	mu     *sync.Mutex
	done   chan error
}

var keyLine = regexp.MustCompile(`^key: ([A-Za-z0-9_-]{32,})$`)

// start runs ssrad with args and extra environment, and waits until it
// listens (the "listening" log line on stderr gives the address).
func start(t *testing.T, env []string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(ssradBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	stdout, _ := cmd.StdoutPipe()
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &proc{cmd: cmd, stdout: make(chan string, 100), logs: &strings.Builder{}, mu: &sync.Mutex{}, done: make(chan error, 1)}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			<-p.done
		}
	})
	listening := make(chan string, 1)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.stdout <- sc.Text()
		}
		close(p.stdout)
	}()
	go func() {
		defer wg.Done()
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			line := sc.Text()
			p.mu.Lock()
			p.logs.WriteString(line + "\n")
			p.mu.Unlock()
			var rec struct{ Msg, Addr string }
			if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "listening" {
				listening <- rec.Addr
			}
		}
	}()
	go func() {
		wg.Wait()
		p.done <- cmd.Wait()
	}()
	select {
	case p.addr = <-listening:
	case err := <-p.done:
		t.Fatalf("ssrad exited before listening: %v\n%s", err, p.logText())
	case <-time.After(30 * time.Second):
		t.Fatalf("ssrad did not start listening:\n%s", p.logText())
	}
	return p
}

func (p *proc) logText() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.logs.String()
}

// stdoutLines drains what ssrad printed so far.
func (p *proc) stdoutLines() []string {
	var out []string
	for {
		select {
		case l, ok := <-p.stdout:
			if !ok {
				return out
			}
			out = append(out, l)
		case <-time.After(200 * time.Millisecond):
			return out
		}
	}
}

func (p *proc) get(t *testing.T, path, key string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+p.addr+path, nil)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (p *proc) waitExit(t *testing.T) int {
	t.Helper()
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		t.Fatal("ssrad did not exit")
	}
	return p.cmd.ProcessState.ExitCode()
}

func run(t *testing.T, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command(ssradBinary(t), args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("ssrad %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// operatorKey creates, from the command line, a user of organisation org
// who holds the operator role alone, and returns a new key of theirs.
func operatorKey(t *testing.T, env []string, org string) string {
	t.Helper()
	out := strings.Fields(run(t, env, "users", "create", "-org", org, "-name", "server operator", "-roles", "operator"))
	if len(out) == 0 {
		t.Fatal("users create printed nothing")
	}
	id := out[len(out)-1] // the ID, alone on standard output after the message
	for _, l := range strings.Split(run(t, env, "keys", "create", "-user", id, "-name", "monitoring"), "\n") {
		if m := keyLine.FindStringSubmatch(l); m != nil {
			return m[1]
		}
	}
	t.Fatalf("keys create printed no key for the operator %s", id)
	return ""
}

// printedKey returns the key of the one stdout line that contains the
// word "key".
func printedKey(t *testing.T, p *proc) string {
	t.Helper()
	var lines []string
	for _, l := range p.stdoutLines() {
		if strings.Contains(l, "key") {
			lines = append(lines, l)
		}
	}
	if len(lines) != 1 {
		t.Fatalf("first start printed %d lines with the word key, want 1: %q", len(lines), lines)
	}
	m := keyLine.FindStringSubmatch(lines[0])
	if m == nil {
		t.Fatalf("the key line %q does not hold a key of 32 or more [A-Za-z0-9_-]", lines[0])
	}
	return m[1]
}

func TestEndToEnd(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ssra.db")
	// The flag beats the variable: SSRA_ADDR names a port that cannot be
	// bound, -addr a free one.
	env := []string{"SSRA_TEST_SLOW_ROUTE=1", "SSRA_ADDR=127.0.0.1:1", "SSRA_DATABASE_URL=" + db}
	p := start(t, env, "-addr", "127.0.0.1:0")

	// First start: the key is printed once on a line of its own.
	key := printedKey(t, p)
	if strings.Contains(p.logText(), key) {
		t.Fatal("the key reached the logs")
	}
	if code, body := p.get(t, "/healthz", ""); code != 200 || !strings.Contains(body, "ok") {
		t.Fatalf("healthz: %d %s", code, body)
	}
	if code, _ := p.get(t, "/readyz", ""); code != 200 {
		t.Fatalf("readyz: %d", code)
	}
	code, body := p.get(t, "/v1/me", key)
	var me struct {
		User         struct{ ID string }
		Organisation struct{ ID string }
		Roles        []string
	}
	if code != 200 || json.Unmarshal([]byte(body), &me) != nil || me.User.ID == "" || len(me.Roles) != 1 || me.Roles[0] != "admin" {
		t.Fatalf("me with the printed key: %d %s", code, body)
	}
	if code, _ := p.get(t, "/v1/me", key[:len(key)-1]+"x"); code != 401 {
		t.Fatalf("me with a wrong key: %d", code)
	}

	// Keys issued and revoked from the command line, while the server runs.
	out := run(t, env, "keys", "create", "-user", me.User.ID, "-name", "e2e")
	var second string
	for _, l := range strings.Split(out, "\n") {
		if m := keyLine.FindStringSubmatch(l); m != nil {
			second = m[1]
		}
	}
	if code, _ := p.get(t, "/v1/me", second); second == "" || code != 200 {
		t.Fatalf("key from `keys create`: %d\n%s", code, out)
	}
	keyID := second[len("ssra_") : len("ssra_")+12]
	if out := run(t, env, "keys", "list"); !strings.Contains(out, keyID) {
		t.Fatalf("keys list lacks %s:\n%s", keyID, out)
	}
	run(t, env, "keys", "revoke", "-id", keyID)
	if code, _ := p.get(t, "/v1/me", second); code != 401 {
		t.Fatalf("revoked key: %d", code)
	}
	if code, _ := p.get(t, "/v1/me", key); code != 200 {
		t.Fatalf("the first key after revoking the second: %d", code)
	}

	// The metrics are the whole server's: the organisation's admin key is
	// refused them, the operator's reads them. The operator's key is made
	// before the slow request starts, so that the command's run time on a
	// loaded machine cannot outlast the request.
	if code, _ := p.get(t, "/metrics", key); code != 403 {
		t.Fatalf("/metrics with an organisation's admin key: %d, want 403", code)
	}
	ops := operatorKey(t, env, me.Organisation.ID)

	// SIGTERM during a slow request: the request completes, then ssrad exits 0.
	type result struct {
		code int
		body string
		err  error
	}
	slow := make(chan result, 1)
	go func() {
		req, _ := http.NewRequestWithContext(context.Background(), "GET", "http://"+p.addr+"/v1/test/slow?ms=3000", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			slow <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		slow <- result{code: resp.StatusCode, body: string(b)}
	}()
	// Wait until the slow request is in flight: the gauge counts it and the
	// metrics request itself.
	deadline := time.Now().Add(10 * time.Second)
	for {
		_, m := p.get(t, "/metrics", ops)
		if strings.Contains(m, "ssra_http_requests_in_flight 2") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the slow request never started:\n%s", m)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := p.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r := <-slow
	if r.err != nil || r.code != 200 || !strings.Contains(r.body, "3000") {
		t.Fatalf("slow request across shutdown: %d %q %v", r.code, r.body, r.err)
	}
	if code := p.waitExit(t); code != 0 {
		t.Fatalf("exit status %d after SIGTERM, want 0\n%s", code, p.logText())
	}
	if !strings.Contains(p.logText(), "shutting down") {
		t.Fatalf("no shutdown log:\n%s", p.logText())
	}

	// A second start on the same database creates nothing, and the key works.
	p2 := start(t, env, "-addr", "127.0.0.1:0")
	if code, _ := p2.get(t, "/v1/me", key); code != 200 {
		t.Fatalf("first key after restart: %d", code)
	}
	_ = p2.cmd.Process.Signal(syscall.SIGINT)
	if code := p2.waitExit(t); code != 0 {
		t.Fatalf("exit status %d after SIGINT", code)
	}
	for _, l := range p2.stdoutLines() {
		if strings.Contains(l, "key") {
			t.Fatalf("second start printed %q; want nothing created", l)
		}
	}
	// The admin the first start made and the operator made above.
	if out := run(t, env, "users", "list"); strings.Count(out, "\n") != 3 {
		t.Fatalf("users after two starts:\n%s", out)
	}
	if out := run(t, env, "audit", "verify"); !strings.Contains(out, "intact") {
		t.Fatalf("audit verify: %s", out)
	}
	backup := filepath.Join(t.TempDir(), "backup.db")
	run(t, env, "backup", "-to", backup)
	if out := run(t, nil, "audit", "verify", "-db", backup); !strings.Contains(out, "intact") {
		t.Fatalf("audit verify of the backup: %s", out)
	}
}

func TestCommandLineErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ssra.db")
	run(t, nil, "migrate", "-db", db)
	missing := filepath.Join(t.TempDir(), "nothing-here.db")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"unknown command", []string{"frobnicate"}, 2, "unknown command"},
		{"bad flag value", []string{"serve", "-read-timeout", "soon"}, 2, "read-timeout"},
		{"TLS key without certificate", []string{"serve", "-db", db, "-tls-key", "k.pem"}, 2, "go together"},
		{"missing TLS files", []string{"serve", "-db", db, "-addr", "127.0.0.1:0", "-tls-cert", "nope.pem", "-tls-key", "nope.pem"}, 1, "TLS certificate"},
		{"missing required flag", []string{"users", "create", "-db", db, "-name", "x"}, 2, "required"},
		{"unknown role", []string{"users", "create", "-db", db, "-org", "o", "-name", "x", "-roles", "king"}, 2, "unknown role"},
		{"unknown organisation", []string{"users", "create", "-db", db, "-org", "nope", "-name", "x", "-roles", "viewer"}, 1, "no organisation"},
		{"revoke unknown key", []string{"keys", "revoke", "-db", db, "-id", "nope"}, 1, "no key"},
		{"unknown log level", []string{"serve", "-log-level", "loud"}, 2, "debug, info, warn, error"},
		{"admin command on a missing database", []string{"orgs", "list", "-db", missing}, 1, missing + " does not exist"},
		{"missing database from the variable", []string{"users", "list"}, 1, "SSRA_DATABASE_URL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cmd := exec.Command(ssradBinary(t), tc.args...)
			cmd.Dir = t.TempDir()
			cmd.Env = append(os.Environ(), "SSRA_DATABASE_URL="+missing)
			out, err := cmd.CombinedOutput()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code || !strings.Contains(string(out), tc.want) {
				t.Fatalf("exit %v, want %d with %q:\n%s", err, tc.code, tc.want, out)
			}
		})
	}
	if _, err := os.Stat(missing); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("an administrative command created %s (%v)", missing, err)
	}
}

// Every command and subcommand answers -h with its own usage, on standard
// output, with exit status 0.
func TestHelp(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want []string
	}{
		{[]string{"-h"}, []string{"ssrad orgs create", "ssrad keys create", "-addr", "-calendar"}},
		{[]string{"help"}, []string{"ssrad users disable|enable"}},
		{[]string{"serve", "-h"}, []string{"Usage: ssrad serve", "-read-header-timeout", "SSRA_CALENDAR"}},
		{[]string{"orgs", "-h"}, []string{"Usage: ssrad orgs create|list|parent"}},
		{[]string{"orgs", "parent", "-h"}, []string{"Usage: ssrad orgs parent", "-id", "-parent", "-root"}},
		{[]string{"users", "--help"}, []string{"Usage: ssrad users create|list|roles|disable|enable"}},
		{[]string{"users", "create", "-h"}, []string{"Usage: ssrad users create", "-roles", "-org", "-db"}},
		{[]string{"keys", "revoke", "-h"}, []string{"Usage: ssrad keys revoke", "-id"}},
		{[]string{"audit", "-h"}, []string{"Usage: ssrad audit"}},
		{[]string{"audit", "verify", "-h"}, []string{"Usage: ssrad audit verify", "-checkpoint", "-log-verifier"}},
		{[]string{"logkey", "generate", "-h"}, []string{"Usage: ssrad logkey generate", "-origin", "-out"}},
		{[]string{"backup", "-h"}, []string{"Usage: ssrad backup", "-to"}},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			cmd := exec.Command(ssradBinary(t), tc.args...)
			cmd.Dir = t.TempDir()
			var stdout, stderr strings.Builder
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Run(); err != nil {
				t.Fatalf("exit %v:\n%s%s", err, stdout.String(), stderr.String())
			}
			for _, w := range tc.want {
				if !strings.Contains(stdout.String(), w) {
					t.Errorf("missing %q in:\n%s", w, stdout.String())
				}
			}
			if strings.Contains(stdout.String()+stderr.String(), "help requested") || strings.Contains(stdout.String(), "unknown command") {
				t.Errorf("help answered as an error:\n%s%s", stdout.String(), stderr.String())
			}
			if entries, _ := os.ReadDir(cmd.Dir); len(entries) != 0 {
				t.Errorf("-h created files: %v", entries)
			}
		})
	}
}

// Creating commands print the new ID alone on standard output, so that a
// script can take it; the sentence goes to standard error.
func TestCreateCommandsPrintTheIDAlone(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ssra.db")
	run(t, nil, "migrate", "-db", db)
	idOnly := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(ssradBinary(t), append(args, "-db", db)...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		if err := cmd.Run(); err != nil {
			t.Fatalf("ssrad %v: %v\n%s", args, err, stderr.String())
		}
		out := strings.TrimSuffix(stdout.String(), "\n")
		if out == "" || strings.ContainsAny(out, " \n") {
			t.Fatalf("ssrad %v printed %q on stdout, want the ID alone", args, stdout.String())
		}
		return out
	}
	org := idOnly("orgs", "create", "-name", "County bureau")
	user := idOnly("users", "create", "-org", org, "-name", "Li Ming", "-roles", "viewer")
	if out := run(t, nil, "users", "list", "-db", db, "-org", org); !strings.Contains(out, user) {
		t.Fatalf("the printed user ID %s is not listed:\n%s", user, out)
	}
}

// With the address in use, the first start fails before it creates the
// admin key, so that the key is not created and lost; the next start, on a
// free address, creates it.
func TestFirstStartBindsBeforeCreatingTheKey(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	db := filepath.Join(t.TempDir(), "ssra.db")
	cmd := exec.Command(ssradBinary(t), "serve", "-db", db, "-addr", busy.Addr().String())
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err == nil {
		t.Fatal("ssrad served on an address in use")
	}
	if strings.Contains(stdout.String(), "key") {
		t.Fatalf("a failed first start printed a key:\n%s", stdout.String())
	}
	p := start(t, nil, "serve", "-db", db, "-addr", "127.0.0.1:0")
	printedKey(t, p)
}

// TestEndToEndPostgres starts ssrad on an empty PostgreSQL database: it
// migrates, bootstraps, serves and stops.
func TestEndToEndPostgres(t *testing.T) {
	base := os.Getenv("SSRA_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but SSRA_TEST_POSTGRES_URL is not set")
		}
		t.Skip("set SSRA_TEST_POSTGRES_URL=postgres://… (a user that may create databases), or run .ci/run, to run ssrad on PostgreSQL")
	}
	dsn := freshPostgres(t, base)
	p := start(t, []string{"SSRA_DATABASE_URL=" + dsn}, "-addr", "127.0.0.1:0")
	key := printedKey(t, p)
	if code, _ := p.get(t, "/readyz", ""); code != 200 {
		t.Fatalf("readyz: %d", code)
	}
	if code, body := p.get(t, "/v1/me", key); code != 200 || !strings.Contains(body, `"admin"`) {
		t.Fatalf("me: %d %s", code, body)
	}
	if !strings.Contains(p.logText(), `"dialect":"postgres"`) {
		t.Fatalf("not on PostgreSQL:\n%s", p.logText())
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.waitExit(t); code != 0 {
		t.Fatalf("exit status %d", code)
	}
	if out := run(t, []string{"SSRA_DATABASE_URL=" + dsn}, "audit", "verify"); !strings.Contains(out, "intact: 3 leaves (0 pending)") {
		t.Fatalf("audit verify: %s", out)
	}
}

func freshPostgres(t *testing.T, base string) string {
	t.Helper()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "ssrad_e2e_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	return u.String()
}

// TestTLS serves HTTPS with a certificate made for the test.
func TestTLS(t *testing.T) {
	dir := t.TempDir()
	certPEM, keyPEM := selfSigned(t)
	certFile, keyFile := filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyFile, keyPEM, 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, []string{"SSRA_TLS_CERT=" + certFile}, "-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "ssra.db"), "-tls-key", keyFile)
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(certPEM)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	resp, err := client.Get("https://" + p.addr + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.TLS == nil {
		t.Fatalf("healthz over TLS: %d", resp.StatusCode)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.waitExit(t); code != 0 {
		t.Fatalf("exit status %d", code)
	}
}

func selfSigned(t *testing.T) (certPEM, keyPEM []byte) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "127.0.0.1"},
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	kb, err := x509.MarshalECPrivateKey(key)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: kb})
}

// TestSeparateMetricsAddress serves /metrics without a key on its own
// address and not on the main one.
func TestSeparateMetricsAddress(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ssra.db")
	p := start(t, []string{"SSRA_METRICS_ADDR=127.0.0.1:0"}, "-addr", "127.0.0.1:0", "-db", db)
	key := printedKey(t, p)
	var maddr string
	for _, line := range strings.Split(p.logText(), "\n") {
		var rec struct{ Msg, Addr string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "metrics listening" {
			maddr = rec.Addr
		}
	}
	if maddr == "" {
		t.Fatalf("no metrics address logged:\n%s", p.logText())
	}
	p.get(t, "/healthz", "")
	resp, err := http.Get("http://" + maddr + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `ssra_http_requests_total{method="GET",route="/healthz",status="200"} 1`) {
		t.Fatalf("separate metrics: %d\n%s", resp.StatusCode, body)
	}
	if code, _ := p.get(t, "/metrics", key); code != 404 {
		t.Fatalf("/metrics on the main address: %d, want 404", code)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.waitExit(t); code != 0 {
		t.Fatalf("exit status %d", code)
	}
}
