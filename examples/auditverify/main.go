// Command auditverify checks a running ssrad's audit log from outside: it
// holds only the log's public verifier key and the checkpoint it saved
// last time, and talks to the REST routes. It fetches the latest
// checkpoint, checks its signature, checks with the log's consistency
// proof that the log is an append-only extension of the saved checkpoint
// (not truncated, not rewritten, not forked), optionally checks that one
// record version is in the log, and saves the new checkpoint for next
// time. Run it from a cron job of the supervising body, on a machine the
// operator does not control.
//
//	SSRA_URL=http://127.0.0.1:8080 SSRA_KEY=ssra_… \
//	SSRA_LOG_VERIFIER='example.gov.cn/ssra-audit+1a2b3c4d+A…' \
//	go run ./examples/auditverify -state checkpoint.txt [-record ID -version N]
//
// It exits 1 and says why when a check fails.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"
)

func main() {
	fs := flag.NewFlagSet("auditverify", flag.ExitOnError)
	state := fs.String("state", "checkpoint.txt", "file holding the checkpoint saved last time (created on first run)")
	record := fs.String("record", "", "also prove that this record's -version is in the log")
	version := fs.Int64("version", 1, "the record version to prove")
	_ = fs.Parse(os.Args[1:])
	c := client{base: strings.TrimSuffix(os.Getenv("SSRA_URL"), "/"), key: os.Getenv("SSRA_KEY"), http: &http.Client{Timeout: 30 * time.Second}}
	out, err := run(c, os.Getenv("SSRA_LOG_VERIFIER"), *state, *record, *version)
	fmt.Print(out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "auditverify:", err)
		os.Exit(1)
	}
}

// client calls the API with a key.
type client struct {
	base string
	key  string
	http *http.Client
}

func (c client) get(path string) ([]byte, error) {
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %d %s", path, resp.StatusCode, bytes.TrimSpace(b))
	}
	return b, nil
}

// checkpoint opens a checkpoint note with the log's key only.
func checkpoint(text []byte, v note.Verifier) (*log.Checkpoint, tlog.Hash, error) {
	cp, _, _, err := log.ParseCheckpoint(text, v.Name(), v)
	if err != nil {
		return nil, tlog.Hash{}, err
	}
	var h tlog.Hash
	if len(cp.Hash) != tlog.HashSize {
		return nil, h, errors.New("checkpoint root is not a SHA-256 hash")
	}
	copy(h[:], cp.Hash)
	return cp, h, nil
}

func hashes(in [][]byte) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(in))
	for i, b := range in {
		if len(b) != tlog.HashSize {
			return nil, errors.New("a proof hash is not 32 bytes")
		}
		copy(out[i][:], b)
	}
	return out, nil
}

// run does the checks and returns what it found to print.
func run(c client, vkey, state, record string, version int64) (string, error) {
	var out strings.Builder
	v, err := note.NewVerifier(strings.TrimSpace(vkey))
	if err != nil {
		return "", fmt.Errorf("SSRA_LOG_VERIFIER: %w", err)
	}
	latestText, err := c.get("/v1/audit/checkpoint")
	if err != nil {
		return "", err
	}
	latest, root, err := checkpoint(latestText, v)
	if err != nil {
		return "", fmt.Errorf("the latest checkpoint: %w", err)
	}
	fmt.Fprintf(&out, "latest checkpoint: %d leaves, signed by %s\n", latest.Size, v.Name())
	savedText, err := os.ReadFile(state)
	switch {
	case errors.Is(err, os.ErrNotExist):
		fmt.Fprintf(&out, "no saved checkpoint in %s: trusting this one from now on\n", state)
	case err != nil:
		return out.String(), err
	default:
		saved, savedRoot, err := checkpoint(savedText, v)
		if err != nil {
			return out.String(), fmt.Errorf("the saved checkpoint %s: %w", state, err)
		}
		if err := extends(c, saved.Size, savedRoot, latest.Size, root); err != nil {
			return out.String(), err
		}
		fmt.Fprintf(&out, "the log extends the saved checkpoint of %d leaves: nothing was removed or rewritten\n", saved.Size)
	}
	if record != "" {
		if err := included(c, v, record, version, latest.Size, root, &out); err != nil {
			return out.String(), err
		}
	}
	tmp := state + ".new"
	if err := os.WriteFile(tmp, latestText, 0o644); err != nil {
		return out.String(), err
	}
	return out.String(), os.Rename(tmp, state)
}

// extends checks with the log's consistency proof that the tree of size
// n with root extends the tree of size m with oldRoot.
func extends(c client, m uint64, oldRoot tlog.Hash, n uint64, root tlog.Hash) error {
	switch {
	case m > n:
		return fmt.Errorf("the log has %d leaves but a checkpoint of %d was signed before: the log was truncated", n, m)
	case m == n:
		if oldRoot != root {
			return fmt.Errorf("two signed checkpoints of %d leaves with different roots: the log was forked", n)
		}
		return nil
	case m == 0:
		return nil
	}
	body, err := c.get("/v1/audit/consistency?from=" + strconv.FormatUint(m, 10) + "&to=" + strconv.FormatUint(n, 10))
	if err != nil {
		return err
	}
	var p struct {
		Proof [][]byte `json:"proof"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return fmt.Errorf("consistency proof: %w", err)
	}
	proof, err := hashes(p.Proof)
	if err != nil {
		return err
	}
	if err := tlog.CheckTree(proof, int64(n), root, int64(m), oldRoot); err != nil {
		return fmt.Errorf("the log is not an append-only extension of the saved checkpoint of %d leaves: %w", m, err)
	}
	return nil
}

// included checks a record version's inclusion proof against the tree of
// size n with root.
func included(c client, v note.Verifier, record string, version int64, n uint64, root tlog.Hash, out *strings.Builder) error {
	body, err := c.get("/v1/audit/proof?record=" + url.QueryEscape(record) + "&version=" + strconv.FormatInt(version, 10))
	if err != nil {
		return err
	}
	var p struct {
		LeafIndex  int64    `json:"leaf_index"`
		TreeSize   int64    `json:"tree_size"`
		Leaf       string   `json:"leaf"`
		Proof      [][]byte `json:"proof"`
		Checkpoint string   `json:"checkpoint"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		return fmt.Errorf("inclusion proof: %w", err)
	}
	proof, err := hashes(p.Proof)
	if err != nil {
		return err
	}
	// The proof is for the tree of its own checkpoint, which may be newer
	// than the one fetched: check that checkpoint too, and that it extends.
	cp, cpRoot, err := checkpoint([]byte(p.Checkpoint), v)
	if err != nil {
		return fmt.Errorf("the proof's checkpoint: %w", err)
	}
	if int64(cp.Size) != p.TreeSize {
		return fmt.Errorf("a proof for %d leaves with a checkpoint of %d", p.TreeSize, cp.Size)
	}
	if err := tlog.CheckRecord(proof, p.TreeSize, cpRoot, p.LeafIndex, tlog.RecordHash([]byte(p.Leaf))); err != nil {
		return fmt.Errorf("record %s version %d: %w", record, version, err)
	}
	if err := extends(c, n, root, uint64(p.TreeSize), cpRoot); err != nil {
		return err
	}
	fmt.Fprintf(out, "record %s version %d is leaf %d of the log: %s\n", record, version, p.LeafIndex, p.Leaf)
	return nil
}
