package main_test

import (
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

// TestTransparencyLogRoutes drives the audit log's routes on a real server
// with a signing key: every proof is checked with tlog's own verifier
// functions against a checkpoint opened with the public key only, before
// and after a restart.
func TestTransparencyLogRoutes(t *testing.T) {
	ssradBinary(t)
	t.Run("sqlite", func(t *testing.T) { logRoutes(t, filepath.Join(t.TempDir(), "ssra.db")) })
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("SSRA_TEST_POSTGRES_URL")
		if base == "" {
			t.Skip("set SSRA_TEST_POSTGRES_URL to run on PostgreSQL")
		}
		logRoutes(t, freshPostgres(t, base))
	})
}

// logClient checks the log's answers as an outside verifier does.
type logClient struct {
	p        *proc
	verifier note.Verifier
}

// get fetches a non-JSON route, checked against the OpenAPI document.
func (c logClient) get(t *testing.T, path, key string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest("GET", "http://"+c.p.addr+path, nil)
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	checkContract(t, req, resp, b)
	return resp.StatusCode, b
}

func (c logClient) open(t *testing.T, text []byte) (int64, tlog.Hash) {
	t.Helper()
	cp, _, _, err := log.ParseCheckpoint(text, c.verifier.Name(), c.verifier)
	if err != nil {
		t.Fatalf("checkpoint: %v\n%s", err, text)
	}
	var h tlog.Hash
	copy(h[:], cp.Hash)
	return int64(cp.Size), h
}

func (c logClient) checkpoint(t *testing.T, key string) []byte {
	t.Helper()
	code, b := c.get(t, "/v1/audit/checkpoint", key)
	if code != 200 {
		t.Fatalf("checkpoint: %d %s", code, b)
	}
	return b
}

// proof waits (up to the sequencer's delay) for a record version's
// inclusion proof and checks it; it returns the leaf index.
func (c logClient) proof(t *testing.T, key, id string, version int) int64 {
	t.Helper()
	path := "/v1/audit/proof?record=" + id + "&version=" + strconv.Itoa(version)
	deadline := time.Now().Add(5 * time.Second)
	a := c.p.call(t, "GET", path, key, nil)
	for a.code == 404 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
		a = c.p.call(t, "GET", path, key, nil)
	}
	a.must(t, 200)
	size, root := c.open(t, []byte(a.str("checkpoint")))
	idx, _ := strconv.ParseInt(a.str("leaf_index"), 10, 64)
	var proof tlog.RecordProof
	for _, h := range a.body["proof"].([]any) {
		b, err := base64.StdEncoding.DecodeString(h.(string))
		if err != nil || len(b) != tlog.HashSize {
			t.Fatalf("proof hash %v", h)
		}
		proof = append(proof, tlog.Hash(b))
	}
	if err := tlog.CheckRecord(proof, size, root, idx, tlog.RecordHash([]byte(a.str("leaf")))); err != nil {
		t.Fatalf("CheckRecord: %v\n%s", err, a.raw)
	}
	if !strings.Contains(a.str("leaf"), `"object_id":"`+id+`"`) || !strings.Contains(a.str("leaf"), `"version":`+strconv.Itoa(version)+`,`) {
		t.Fatalf("leaf of another record: %s", a.str("leaf"))
	}
	return idx
}

// consistent checks, with tlog.CheckTree, that the latest checkpoint
// extends an older one.
func (c logClient) consistent(t *testing.T, key string, old []byte) []byte {
	t.Helper()
	latest := c.checkpoint(t, key)
	n, nh := c.open(t, latest)
	o, oh := c.open(t, old)
	a := c.p.call(t, "GET", "/v1/audit/consistency?from="+strconv.FormatInt(o, 10)+"&to="+strconv.FormatInt(n, 10), key, nil).must(t, 200)
	var proof tlog.TreeProof
	for _, h := range a.body["proof"].([]any) {
		b, _ := base64.StdEncoding.DecodeString(h.(string))
		proof = append(proof, tlog.Hash(b))
	}
	if err := tlog.CheckTree(proof, n, nh, o, oh); err != nil {
		t.Fatalf("CheckTree %d→%d: %v", o, n, err)
	}
	return latest
}

// tiles reads hash tiles over HTTP for tlog.TileHashReader.
type tiles struct {
	t   *testing.T
	c   logClient
	key string
}

func (tiles) Height() int { return 8 }

func (r tiles) ReadTiles(ts []tlog.Tile) ([][]byte, error) {
	out := make([][]byte, len(ts))
	for i, tl := range ts {
		code, b := r.c.get(r.t, "/v1/audit/tile?path="+strings.TrimPrefix(tl.Path(), "tile/"), r.key)
		if code != 200 {
			r.t.Fatalf("%s: %d %s", tl.Path(), code, b)
		}
		out[i] = b
	}
	return out, nil
}

func (tiles) SaveTiles([]tlog.Tile, [][]byte) {}

func logRoutes(t *testing.T, db string) {
	w := seed(t, db)
	keyFile := filepath.Join(t.TempDir(), "log.key")
	out := run(t, nil, "logkey", "generate", "-origin", "ssra.test/routes", "-out", keyFile)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	vkey := lines[len(lines)-1]
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatalf("the printed verifier key %q: %v", vkey, err)
	}
	env := []string{"SSRA_DATABASE_URL=" + db, "SSRA_LOG_KEY=" + keyFile}
	p := start(t, env, "-addr", "127.0.0.1:0")
	if !strings.Contains(p.logText(), "checkpoints are signed") {
		t.Fatalf("no word of the signing key at start:\n%s", p.logText())
	}
	c := logClient{p: p, verifier: v}
	k := w.keys

	id := p.call(t, "POST", "/v1/assessments", k["assessor"], plantAssessment(2, 3)).must(t, 201).str("id")
	idx := c.proof(t, k["assessor"], id, 1)
	got := p.call(t, "GET", "/v1/assessments/"+id, k["assessor"], nil).must(t, 200)
	if got.str("leaf_index") != strconv.FormatInt(idx, 10) {
		t.Fatalf("GET carries leaf_index %q, the proof says %d", got.str("leaf_index"), idx)
	}
	// Another organisation gets no proof of a record it cannot see.
	p.call(t, "GET", "/v1/audit/proof?record="+id+"&version=1", k["clerk"], nil).must(t, 404)
	p.call(t, "GET", "/v1/audit/proof?record="+id+"&version=0", k["assessor"], nil).must(t, 400)
	saved := c.checkpoint(t, k["clerk"])

	p.call(t, "POST", "/v1/assessments/"+id+"/submit", k["assessor"], nil, "If-Match", `"v1"`).must(t, 200)
	c.proof(t, k["assessor"], id, 2)
	saved = c.consistent(t, k["maker"], saved)

	// An auditor (an admin) rebuilds the root from the hash tiles.
	size, root := c.open(t, saved)
	th, err := tlog.TreeHash(size, tlog.TileHashReader(tlog.Tree{N: size, Hash: root}, tiles{t, c, k["admin"]}))
	if err != nil || th != root {
		t.Fatalf("root from tiles: %v %v, want %v", th, err, root)
	}
	if code, _ := c.get(t, "/v1/audit/tile?path=8/0/000.p/1", k["assessor"]); code != 403 {
		t.Fatalf("tile for a non-admin: %d", code)
	}
	if code, _ := c.get(t, "/v1/audit/tile?path=8/data/000.p/1", k["admin"]); code != 404 {
		t.Fatalf("a leaf data tile: %d, want 404", code)
	}

	// After a restart the log still extends what was saved before it.
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	if code := p.waitExit(t); code != 0 {
		t.Fatalf("exit %d", code)
	}
	p = start(t, env, "-addr", "127.0.0.1:0")
	c.p = p
	p.call(t, "POST", "/v1/assessments/"+id+"/start_review", k["reviewer"], nil, "If-Match", `"v2"`).must(t, 200)
	c.proof(t, k["reviewer"], id, 3)
	latest := c.consistent(t, k["reviewer"], saved)
	savedFile := filepath.Join(t.TempDir(), "checkpoint")
	if err := os.WriteFile(savedFile, saved, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := run(t, []string{"SSRA_DATABASE_URL=" + db}, "audit", "verify", "-log-verifier", vkey, "-checkpoint", savedFile); !strings.Contains(out, "intact") ||
		!strings.Contains(out, "append-only extension") || strings.Contains(out, "warning") {
		t.Fatalf("audit verify: %s", out)
	}
	if string(latest) == string(saved) {
		t.Fatal("the checkpoint did not move")
	}
}
