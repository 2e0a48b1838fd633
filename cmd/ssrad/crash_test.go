package main_test

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// The crash test: ssrad runs as a child process and is killed with SIGKILL
// at random moments while 32 clients create assessments, complaints and
// disputes and move them through their workflows. After each kill the database must
// pass its integrity check, the audit chain must verify, and every write
// that was acknowledged with a 2xx must be there exactly as acknowledged,
// with one audit event per version.
//
//	go test -run 'TestCrashDurability' -v ./cmd/ssrad/             # 5 rounds
//	SSRA_CRASH_ROUNDS=50 go test -run 'TestCrashDurability' -timeout 30m ./cmd/ssrad/
//
// The PostgreSQL variant runs when SSRA_TEST_POSTGRES_URL names a server
// where the test may create a database (.ci/run sets it).

const crashClients = 32

// crashRounds is the number of kill rounds: SSRA_CRASH_ROUNDS, default 5.
func crashRounds(t *testing.T) int {
	if v := os.Getenv("SSRA_CRASH_ROUNDS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			t.Fatalf("SSRA_CRASH_ROUNDS=%q: want a positive integer", v)
		}
		return n
	}
	return 5
}

func TestCrashDurability(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ssra.db")
	crashTest(t, db, func(t *testing.T) {
		checkSQLiteIntegrity(t, db)
	})
}

func TestCrashDurabilityPostgres(t *testing.T) {
	base := os.Getenv("SSRA_TEST_POSTGRES_URL")
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("CI=true but SSRA_TEST_POSTGRES_URL is not set")
		}
		t.Skip("set SSRA_TEST_POSTGRES_URL=postgres://… (a user that may create databases), or run .ci/run, to crash ssrad on PostgreSQL")
	}
	crashTest(t, freshPostgres(t, base), nil)
}

// checkSQLiteIntegrity runs PRAGMA integrity_check on the file of a killed
// server: opening it replays the WAL as a restart would.
func checkSQLiteIntegrity(t *testing.T, path string) {
	t.Helper()
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var res []string
	rows, err := db.Query(`PRAGMA integrity_check`)
	if err != nil {
		t.Fatalf("integrity_check: %v", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		res = append(res, s)
	}
	if len(res) != 1 || res[0] != "ok" {
		t.Fatalf("integrity_check after SIGKILL: %q", res)
	}
}

// ack is the last acknowledged state of one record: what the 2xx answer
// said. inflight is set when a later write on it got no answer because the
// server died: that write may or may not have been stored.
type ack struct {
	kind     string // "assessment", "complaint" or "dispute"
	id       string
	version  int64
	body     map[string]any
	inflight bool
}

// ledger is what the clients were told, keyed by record id.
type ledger struct {
	mu   sync.Mutex
	recs map[string]*ack
	// writes counts acknowledged writes; failures lists unexpected answers.
	writes   int
	failures []string
	// cut counts writes cut off by a kill; committed, those of them found
	// stored after the restart.
	cut, committed int
}

func (l *ledger) acked(kind string, body map[string]any) {
	id, _ := body["id"].(string)
	v, _ := body["version"].(float64)
	delete(body, "query_code") // shown once at registration, never stored in clear
	l.mu.Lock()
	defer l.mu.Unlock()
	l.recs[id] = &ack{kind: kind, id: id, version: int64(v), body: body}
	l.writes++
}

func (l *ledger) lost(id string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if a, ok := l.recs[id]; ok {
		a.inflight = true
		l.cut++
	}
}

func (l *ledger) fail(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.failures) < 20 {
		l.failures = append(l.failures, fmt.Sprintf(format, args...))
	}
}

// errDied is a request that got no answer: the server was killed.
var errDied = errors.New("no answer")

// crashClient is one of the 32 writers.
type crashClient struct {
	base string
	hc   *http.Client
	keys map[string]string
	led  *ledger
	rng  *rand.Rand
}

// do sends a request and decodes a JSON object answer; a transport error
// is errDied.
func (c *crashClient) do(method, path, key string, body any, etag string) (int, string, map[string]any, error) {
	var rd io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if etag != "" {
		req.Header.Set("If-Match", etag)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, "", nil, errDied
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		// Headers came but the body did not: not an acknowledgement.
		return 0, "", nil, errDied
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	if resp.StatusCode/100 != 2 {
		c.led.fail("%s %s: %d %s", method, path, resp.StatusCode, b)
	}
	return resp.StatusCode, resp.Header.Get("ETag"), m, nil
}

// step is one write of a workflow: who, what, and the body.
type step struct {
	key, method, action string
	body                any
}

var (
	assessmentSteps = []step{
		{"assessor", "PUT", "", nil}, // body filled in: an edit of the draft
		{"assessor", "POST", "submit", nil},
		{"reviewer", "POST", "start_review", nil},
		{"reviewer", "POST", "return", map[string]any{"reason": "add the survey"}},
		{"assessor", "POST", "submit", nil},
		{"reviewer", "POST", "start_review", nil},
		{"reviewer", "POST", "issue", nil},
	}
	disputeSteps = []step{
		{"clerk", "POST", "assign", map[string]any{"user_id": "u-med", "name": "mediator", "mode": "standard"}},
		{"clerk", "POST", "start", nil},
		{"clerk", "POST", "agree", map[string]any{"form": "written", "terms": "the wall moves 1 m", "perform_by": "2027-12-31", "signed": true, "sealed": true}},
	}
	complaintSteps = []step{
		{"clerk", "POST", "accept", nil},
		{"clerk", "POST", "investigate", nil},
		{"clerk", "POST", "answer", map[string]any{"outcome": "support", "text": "supply restored", "legal_basis": "regulation art. 32"}},
		{"clerk", "POST", "request_review", nil},
		{"clerk", "POST", "decide_review", map[string]any{"outcome": "support", "text": "upheld", "legal_basis": "regulation art. 35"}},
	}
)

// workflow creates one record and moves it through its workflow until
// the end or the server's death; it reports whether the server died.
func (c *crashClient) workflow(n int) bool {
	kind, create, createKey, steps := "assessment", "/v1/assessments", "assessor", assessmentSteps
	var body any = plantAssessment(1+c.rng.IntN(5), 1+c.rng.IntN(5))
	switch c.rng.IntN(3) {
	case 1:
		kind, create, createKey, steps = "complaint", "/v1/complaints", "clerk", complaintSteps
		body = map[string]any{
			"channel": "letter",
			"matter": map[string]any{"type": "claim", "subject": "District water bureau",
				"facts": "no water, letter " + strconv.Itoa(n), "request": "restore the supply"},
			"complainants": []any{map[string]any{"name": "Zhao Lei", "phone": "13700000000"}},
		}
	case 2:
		kind, create, createKey, steps = "dispute", "/v1/disputes", "clerk", disputeSteps
		body = map[string]any{"channel": "people", "category": "neighbourhood", "summary": "a wall across a shared lane, " + strconv.Itoa(n),
			"parties": []any{map[string]any{"name": "Zhao Lei", "phone": "13700000000"}, map[string]any{"name": "Qian Min"}}}
	}
	code, etag, m, err := c.do("POST", create, c.keys[createKey], body, "")
	if err != nil {
		return true
	}
	if code != 201 {
		return false
	}
	id, _ := m["id"].(string)
	c.led.acked(kind, m)
	for _, s := range steps {
		path := create + "/" + id
		b := s.body
		if s.action != "" {
			path += "/" + s.action
		} else {
			pa := plantAssessment(1+c.rng.IntN(5), 1+c.rng.IntN(5))
			pa["assessment"].(map[string]any)["subject"].(map[string]any)["name"] = "plant " + strconv.Itoa(n)
			b = pa
		}
		code, next, m, err := c.do(s.method, path, c.keys[s.key], b, etag)
		if err != nil {
			c.led.lost(id)
			return true
		}
		if code != 200 {
			return false
		}
		c.led.acked(kind, m)
		etag = next
	}
	return false
}

// crashTest runs the kill rounds against the database dsn; integrity, when
// not nil, checks the files of the killed server.
func crashTest(t *testing.T, dsn string, integrity func(*testing.T)) {
	w := seed(t, dsn)
	dir := t.TempDir()
	keyFile, saved := filepath.Join(dir, "log.key"), filepath.Join(dir, "checkpoint")
	gen := strings.Split(strings.TrimSpace(run(t, nil, "logkey", "generate", "-origin", "ssra.test/crash", "-out", keyFile)), "\n")
	logKey, err := note.NewVerifier(gen[len(gen)-1])
	if err != nil {
		t.Fatal(err)
	}
	served := &servedCheckpoints{}
	env := []string{"SSRA_DATABASE_URL=" + dsn, "SSRA_LOG_KEY=" + keyFile}
	led := &ledger{recs: map[string]*ack{}}
	seedRNG := uint64(time.Now().UnixNano())
	t.Logf("random seed %d", seedRNG)
	rng := rand.New(rand.NewPCG(seedRNG, 1))
	rounds := crashRounds(t)
	var logs strings.Builder
	haveSaved := false
	for round := 1; round <= rounds; round++ {
		p := start(t, env, "-addr", "127.0.0.1:0", "-auth-failure-limit", "-1")
		// Every acknowledged write so far is there, as acknowledged, and
		// every checkpoint served before the kill is extended by the log.
		verifyLedger(t, p, w, led, round)
		served.check(t, p, w.keys["admin"], logKey)

		hc := &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: crashClients}}
		var wg sync.WaitGroup
		for i := range crashClients {
			wg.Add(1)
			c := &crashClient{base: "http://" + p.addr, hc: hc, keys: w.keys, led: led, rng: rand.New(rand.NewPCG(rng.Uint64(), uint64(i)))}
			go func() {
				defer wg.Done()
				for n := 0; ; n++ {
					if c.workflow(round*1_000_000 + i*1000 + n) {
						return
					}
				}
			}()
		}
		stopPolling := make(chan struct{})
		wg.Add(1)
		go func() {
			defer wg.Done()
			served.poll(hc, "http://"+p.addr, w.keys["admin"], logKey, stopPolling)
		}()
		wait := time.Duration(300+rng.IntN(1200)) * time.Millisecond
		roundStart, notesStart, began := led.count(), served.count(), time.Now()
		time.Sleep(wait)
		// On a loaded machine the random wait may pass before the load
		// has done anything worth killing: wait on, up to a minute, until
		// this round has acknowledged writes and served a signed checkpoint,
		// so that every round kills a server at work.
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline) &&
			(led.count()-roundStart < crashClients || served.count() == notesStart); {
			time.Sleep(50 * time.Millisecond)
		}
		before, ran := led.count(), time.Since(began).Round(time.Millisecond)
		if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
			t.Fatal(err)
		}
		close(stopPolling)
		wg.Wait()
		p.waitExit(t)
		hc.CloseIdleConnections()
		logs.WriteString(p.logText())
		t.Logf("round %d: killed after %v, %d writes acknowledged so far (%d before the kill)", round, ran, led.count(), before)
		if f := led.failuresSoFar(); len(f) > 0 {
			t.Fatalf("unexpected answers under load:\n%s", strings.Join(f, "\n"))
		}
		if integrity != nil {
			integrity(t)
		}
		// The log after the kill extends every checkpoint signed before
		// it: none was signed for a tree that later changed.
		args := []string{"audit", "verify"}
		if haveSaved {
			args = append(args, "-checkpoint", saved)
		}
		if out := run(t, env, args...); !strings.Contains(out, "intact") || strings.Contains(out, "warning") {
			t.Fatalf("round %d: audit verify after SIGKILL: %s", round, out)
		}
		// A supervising body keeps the latest signed checkpoint. A server
		// killed before its first sequencer turn signed none: the latest
		// is then the seeded log's, written without the key, and the one
		// kept before stays the one to check against.
		if cp := run(t, env, "audit", "checkpoint"); signedBy(cp, logKey) {
			if err := os.WriteFile(saved, []byte(cp), 0o600); err != nil {
				t.Fatal(err)
			}
			haveSaved = true
		}
	}

	p := start(t, env, "-addr", "127.0.0.1:0")
	verifyLedger(t, p, w, led, rounds+1)
	served.check(t, p, w.keys["admin"], logKey)
	if served.checked < rounds {
		t.Errorf("only %d checkpoints served under load were checked in %d rounds", served.checked, rounds)
	}
	if led.count() < rounds*crashClients {
		t.Errorf("only %d writes acknowledged in %d rounds: the load did not run", led.count(), rounds)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.waitExit(t); code != 0 {
		t.Fatalf("exit status %d after SIGTERM\n%s", code, p.logText())
	}
	verifyAuditPerVersion(t, dsn, led)
	final := []string{"audit", "verify"}
	if haveSaved {
		final = append(final, "-checkpoint", saved)
	}
	if out := run(t, env, final...); !strings.Contains(out, "intact") || !strings.Contains(out, "(0 pending)") {
		t.Fatalf("audit verify after the last stop: %s", out)
	}
	logs.WriteString(p.logText())
	checkLogs(t, logs.String(), w, "Zhao Lei", "13700000000")
	t.Logf("%d writes acknowledged in %d rounds; %d writes cut off by a kill, of which %d had committed", led.writes, rounds, led.cut, led.committed)
}

// servedCheckpoints are the signed checkpoints the server handed out while
// it was under load and about to be killed: none may be for a tree the log
// later does not extend.
type servedCheckpoints struct {
	mu      sync.Mutex
	notes   [][]byte
	bad     []string
	checked int
}

// count is the number of signed checkpoints kept so far.
func (s *servedCheckpoints) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.notes)
}

// poll fetches the latest checkpoint every few milliseconds until stop is
// closed or the server is gone, keeping each new one.
func (s *servedCheckpoints) poll(hc *http.Client, base, key string, v note.Verifier, stop <-chan struct{}) {
	var last []byte
	for {
		select {
		case <-stop:
			return
		case <-time.After(200 * time.Millisecond):
		}
		req, _ := http.NewRequest("GET", base+"/v1/audit/checkpoint", nil)
		req.Header.Set("Authorization", "Bearer "+key)
		resp, err := hc.Do(req)
		if err != nil {
			continue // the server was killed
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			continue // the server was killed while it answered: a cut-off note
		}
		if resp.StatusCode != 200 || bytes.Equal(b, last) || !bytes.Contains(b, []byte("\n\n")) {
			// Unsigned: the empty tree before the first batch, or the
			// seeded log's checkpoints, written without the key.
			continue
		}
		s.mu.Lock()
		if _, _, _, err := log.ParseCheckpoint(b, v.Name(), v); err != nil {
			s.bad = append(s.bad, fmt.Sprintf("served checkpoint not signed by the log's key: %v\n%s", err, b))
		} else {
			s.notes = append(s.notes, b)
		}
		s.mu.Unlock()
		last = b
	}
}

// check proves with the restarted server's consistency proofs and
// tlog.CheckTree that its log extends every checkpoint served so far.
func (s *servedCheckpoints) check(t *testing.T, p *proc, key string, v note.Verifier) {
	t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.bad) > 0 {
		t.Fatal(strings.Join(s.bad, "\n"))
	}
	if len(s.notes) == 0 {
		return // the first start: the seeded log's checkpoints are not signed
	}
	latest := logClient{p: p, verifier: v}.checkpoint(t, key)
	cp, _, _, err := log.ParseCheckpoint(latest, v.Name(), v)
	if err != nil {
		t.Fatalf("the latest checkpoint after restart: %v", err)
	}
	for _, b := range s.notes {
		old, _, _, _ := log.ParseCheckpoint(b, v.Name(), v)
		if old.Size > cp.Size {
			t.Fatalf("a checkpoint of %d leaves was served before the kill; the log has %d after it", old.Size, cp.Size)
		}
		a := p.call(t, "GET", "/v1/audit/consistency?from="+strconv.FormatUint(old.Size, 10)+"&to="+strconv.FormatUint(cp.Size, 10), key, nil).must(t, 200)
		var proof tlog.TreeProof
		for _, h := range a.body["proof"].([]any) {
			raw, _ := base64.StdEncoding.DecodeString(h.(string))
			proof = append(proof, tlog.Hash(raw))
		}
		if err := tlog.CheckTree(proof, int64(cp.Size), tlog.Hash(cp.Hash), int64(old.Size), tlog.Hash(old.Hash)); err != nil {
			t.Fatalf("the checkpoint of %d leaves served before the kill is not extended by the log of %d after it: %v", old.Size, cp.Size, err)
		}
		s.checked++
	}
	s.notes = s.notes[:0]
}

func (l *ledger) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.writes
}

func (l *ledger) failuresSoFar() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.failures...)
}

// verifyLedger reads back every acknowledged record: it must be at the
// acknowledged version with the acknowledged content, or one version
// further when a write on it was cut off by the kill. The audit chain
// verifies over HTTP too.
func verifyLedger(t *testing.T, p *proc, w world, led *ledger, round int) {
	t.Helper()
	led.mu.Lock()
	defer led.mu.Unlock()
	reader := map[string]string{"assessment": w.keys["assessor"], "complaint": w.keys["clerk"], "dispute": w.keys["clerk"]}
	for id, a := range led.recs {
		got := p.call(t, "GET", "/v1/"+a.kind+"s/"+id, reader[a.kind], nil)
		if got.code != 200 {
			t.Fatalf("round %d: acknowledged %s %s at version %d: GET %d %s", round, a.kind, id, a.version, got.code, got.raw)
		}
		v := int64(got.body["version"].(float64))
		// The leaf index appears once the sequencer has integrated the
		// write, after it was acknowledged.
		delete(got.body, "leaf_index")
		switch {
		case v == a.version:
			if !reflect.DeepEqual(got.body, a.body) {
				t.Fatalf("round %d: %s %s at version %d differs from its acknowledgement:\nstored %s\nacked  %s",
					round, a.kind, id, v, got.raw, mustJSON(a.body))
			}
		case v == a.version+1 && a.inflight:
			// The write cut off by the kill committed: adopt it.
			a.version, a.body, a.inflight = v, got.body, false
			led.committed++
		default:
			t.Fatalf("round %d: %s %s is at version %d, acknowledged %d (a write in flight: %v)", round, a.kind, id, v, a.version, a.inflight)
		}
		a.inflight = false
	}
	rep := p.call(t, "GET", "/v1/audit/verify", w.keys["admin"], nil).must(t, 200)
	if rep.str("ok") != "true" {
		t.Fatalf("round %d: audit chain: %s", round, rep.raw)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// verifyAuditPerVersion checks that each record has exactly one audit
// leaf per version (besides the leaves of its audited reads), integrated
// into the tree: no state change was stored
// without its leaf, nor a leaf without its change.
func verifyAuditPerVersion(t *testing.T, dsn string, led *ledger) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	events := map[string]int64{}
	var after int64
	for {
		evs, err := s.AuditEvents(ctx, after, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(evs) == 0 {
			break
		}
		for _, e := range evs {
			after = e.Seq
			if !strings.HasSuffix(e.Action, ".read") {
				// A read in full is audited too, and changes nothing.
				events[e.ObjectID]++
			}
			if e.Index < 0 {
				t.Errorf("leaf %d of %s %s is still pending after a clean stop", e.Seq, e.ObjectKind, e.ObjectID)
			}
		}
	}
	for id, a := range led.recs {
		if events[id] != a.version {
			t.Errorf("%s %s at version %d has %d audit events", a.kind, id, a.version, events[id])
		}
	}
}

// checkLogs fails the test if the logs hold a key of the world, one of
// the personal data given, an error or a panic.
func checkLogs(t *testing.T, logs string, w world, personal ...string) {
	t.Helper()
	if !strings.Contains(logs, `"msg":"request"`) {
		t.Fatal("no request logs captured")
	}
	for who, k := range w.keys {
		if strings.Contains(logs, k) || strings.Contains(logs, k[18:]) {
			t.Errorf("the logs hold the key of %s", who)
		}
	}
	for _, s := range personal {
		if strings.Contains(logs, s) {
			t.Errorf("the logs hold %q", s)
		}
	}
	for _, bad := range []string{`"level":"ERROR"`, "panic"} {
		if strings.Contains(logs, bad) {
			t.Errorf("the logs hold %s", bad)
		}
	}
}

// signedBy reports whether the checkpoint text is a note signed by v.
func signedBy(cp string, v note.Verifier) bool {
	_, err := note.Open([]byte(cp), note.VerifierList(v))
	return err == nil
}
