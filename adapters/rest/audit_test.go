package rest_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
)

// openCheckpoint parses the memory log's unsigned checkpoint.
func openCheckpoint(t *testing.T, text string) (int64, tlog.Hash) {
	t.Helper()
	var cp log.Checkpoint
	if _, err := cp.Unmarshal([]byte(text)); err != nil || cp.Origin != memOrigin {
		t.Fatalf("checkpoint %q: %v", text, err)
	}
	var h tlog.Hash
	copy(h[:], cp.Hash)
	return int64(cp.Size), h
}

func proofHashes(t *testing.T, v any) []tlog.Hash {
	t.Helper()
	var out []tlog.Hash
	for _, h := range v.([]any) {
		b, err := base64.StdEncoding.DecodeString(h.(string))
		if err != nil || len(b) != tlog.HashSize {
			t.Fatalf("proof hash %v", h)
		}
		out = append(out, tlog.Hash(b))
	}
	return out
}

// TestAuditLogRoutes checks the transparency log's routes through the
// whole middleware, their answers against the OpenAPI document and their
// proofs with tlog's own verifier functions.
func TestAuditLogRoutes(t *testing.T) {
	f := newFixture(t)
	admin := keyOf(orgA, ssra.RoleAdmin)
	id := f.call(t, "POST", "/v1/plans", admin, planJSON()).must(t, http.StatusCreated).str("id")
	old := f.call(t, "GET", "/v1/audit/checkpoint", keyOf(orgB, ssra.RoleViewer), nil).must(t, http.StatusOK).raw
	for i := 0; i < 4; i++ {
		f.call(t, "POST", "/v1/plans", admin, planJSON()).must(t, http.StatusCreated)
	}
	p := f.call(t, "GET", "/v1/audit/proof?record="+id+"&version=1", admin, nil).must(t, http.StatusOK)
	size, root := openCheckpoint(t, p.str("checkpoint"))
	idx, _ := strconv.ParseInt(p.str("leaf_index"), 10, 64)
	if err := tlog.CheckRecord(proofHashes(t, p.body["proof"]), size, root, idx, tlog.RecordHash([]byte(p.str("leaf")))); err != nil {
		t.Fatalf("CheckRecord: %v", err)
	}
	// Another organisation cannot see the record, so gets no proof of it.
	f.call(t, "GET", "/v1/audit/proof?record="+id+"&version=1", keyOf(orgB, ssra.RoleAdmin), nil).must(t, http.StatusNotFound)
	if codes := f.call(t, "GET", "/v1/audit/proof?version=x", admin, nil).must(t, http.StatusBadRequest).errorCodes(); len(codes) != 2 {
		t.Fatalf("want both parameters named: %v", codes)
	}
	o, oh := openCheckpoint(t, old)
	c := f.call(t, "GET", "/v1/audit/consistency?from="+strconv.FormatInt(o, 10)+"&to="+strconv.FormatInt(size, 10), admin, nil).must(t, http.StatusOK)
	if err := tlog.CheckTree(proofHashes(t, c.body["proof"]), size, root, o, oh); err != nil {
		t.Fatalf("CheckTree: %v", err)
	}
	f.call(t, "GET", "/v1/audit/consistency?from=0&to=1", admin, nil).must(t, http.StatusBadRequest)
	f.call(t, "GET", "/v1/audit/consistency?from=1&to=99", admin, nil).must(t, http.StatusUnprocessableEntity)

	// Hash tiles for admins only; a leaf data tile is not served.
	f.call(t, "GET", "/v1/audit/tile?path=8/0/000.p/1", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusForbidden)
	f.call(t, "GET", "/v1/audit/tile?path=8/data/000.p/1", admin, nil).must(t, http.StatusNotFound)
	f.call(t, "GET", "/v1/audit/tile", admin, nil).must(t, http.StatusBadRequest)
	req := httptest.NewRequest("GET", "/v1/audit/tile?path=8/0/000.p/"+strconv.FormatInt(size, 10), nil)
	req.Header.Set("Authorization", "Bearer "+admin)
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.Len() != int(size)*tlog.HashSize {
		t.Fatalf("tile: %d, %d bytes", rec.Code, rec.Body.Len())
	}
	validateAgainstOpenAPI(t, req, rec)
	h, err := tlog.HashFromTile(tlog.Tile{H: 8, L: 0, N: 0, W: int(size)}, rec.Body.Bytes(), tlog.StoredHashIndex(0, idx))
	if err != nil || h != tlog.RecordHash([]byte(p.str("leaf"))) {
		t.Fatalf("the tile's hash of leaf %d: %v, %v", idx, h, err)
	}

	// A witness's cosignature: refused unless it is the configured
	// witness's on a checkpoint of the log, then served.
	viewer := keyOf(orgB, ssra.RoleViewer)
	f.call(t, "GET", "/v1/audit/checkpoint/cosigned", viewer, nil).must(t, http.StatusNotFound)
	f.call(t, "POST", "/v1/audit/cosignatures", viewer, map[string]any{}).must(t, http.StatusUnprocessableEntity)
	f.call(t, "POST", "/v1/audit/cosignatures", viewer, map[string]any{"checkpoint": p.str("checkpoint")}).must(t, http.StatusUnprocessableEntity)
	w, wv := memWitness()
	cosigned, err := note.Sign(&note.Note{Text: p.str("checkpoint")}, w)
	if err != nil {
		t.Fatal(err)
	}
	forked, _ := note.Sign(&note.Note{Text: string(log.Checkpoint{Origin: memOrigin, Size: uint64(size), Hash: make([]byte, 32)}.Marshal())}, w)
	f.call(t, "POST", "/v1/audit/cosignatures", viewer, map[string]any{"checkpoint": string(forked)}).must(t, http.StatusUnprocessableEntity)
	got := f.call(t, "POST", "/v1/audit/cosignatures", viewer, map[string]any{"checkpoint": string(cosigned)}).must(t, http.StatusOK)
	if got.str("size") != strconv.FormatInt(size, 10) || !strings.Contains(got.raw, wv.Name()) {
		t.Fatalf("cosignature answer %s", got.raw)
	}
	served := f.call(t, "GET", "/v1/audit/checkpoint/cosigned", viewer, nil).must(t, http.StatusOK).raw
	if _, _, _, err := log.ParseCheckpoint([]byte(served), memOrigin, wv); err != nil {
		t.Fatalf("the served cosigned checkpoint: %v\n%s", err, served)
	}
}

// TestAuditVerifyScope: an organisation's admin gets the verification of
// their organisation's part of the log and learns nothing of another
// organisation (its records, their number) nor the server's own figures;
// the operator role gets the whole log's.
func TestAuditVerifyScope(t *testing.T) {
	f := newFixture(t)
	var bIDs []string
	for range 3 {
		bIDs = append(bIDs, f.call(t, "POST", "/v1/plans", keyOf(orgB, ssra.RoleAdmin), planJSON()).must(t, 201).str("id"))
	}
	f.call(t, "POST", "/v1/plans", keyOf(orgA, ssra.RoleAdmin), planJSON()).must(t, 201)

	a := f.call(t, "GET", "/v1/audit/verify", keyOf(orgA, ssra.RoleAdmin), nil).must(t, 200)
	if a.str("scope") != "organisation" || a.str("org_id") != orgA || a.body["records"] != float64(1) {
		t.Fatalf("A's admin: %s", a.raw)
	}
	for _, server := range []string{"pending", "checkpoints", "cosignatures"} {
		if _, ok := a.body[server]; ok {
			t.Fatalf("A's admin reads the server's %s: %s", server, a.raw)
		}
	}
	for _, id := range append(bIDs, orgB) {
		if strings.Contains(a.raw, id) {
			t.Fatalf("A's admin reads %s of B: %s", id, a.raw)
		}
	}

	op := f.call(t, "GET", "/v1/audit/verify", keyOf(orgC, ssra.RoleOperator), nil).must(t, 200)
	if op.str("scope") != "server" || op.body["records"] != float64(4) || op.body["pending"] == nil {
		t.Fatalf("operator: %s", op.raw)
	}
	f.call(t, "GET", "/v1/audit/verify", keyOf(orgA, ssra.RoleViewer), nil).must(t, 403)
}
