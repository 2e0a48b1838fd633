package rest_test

import (
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"github.com/transparency-dev/formats/log"
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
}
