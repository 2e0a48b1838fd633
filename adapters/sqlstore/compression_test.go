package sqlstore_test

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
)

// TestRecordBodiesLz4: on PostgreSQL, record bodies are compressed with
// lz4 (migration 0017), which costs the server less CPU per write than
// the default pglz; this server is built with lz4, as Debian's is.
func TestRecordBodiesLz4(t *testing.T) {
	dsn := freshPostgres(t)
	_, raw := openMigrated(t, dsn, "pgx", dsn)
	var method string
	if err := raw.QueryRow(`SELECT attcompression FROM pg_attribute WHERE attrelid = 'records'::regclass AND attname = 'body'`).Scan(&method); err != nil {
		t.Fatal(err)
	}
	if method != "l" {
		t.Fatalf("records.body compression %q, want l (lz4)", method)
	}
}

// TestCaseSizedBodiesStayInTheRow: on PostgreSQL, a body of a case's
// size (about 6 KB of JSON, about 2 KB compressed) is kept compressed in
// the record's row (migration 0018), not moved out of line into the TOAST
// table at every version, while a body that is still above 4 KB once
// compressed is moved out of line as before.
func TestCaseSizedBodiesStayInTheRow(t *testing.T) {
	ctx := context.Background()
	dsn := freshPostgres(t)
	s, raw := openMigrated(t, dsn, "pgx", dsn)
	o, err := s.CreateOrganisation(ctx, sqlstore.System, "Toast")
	if err != nil {
		t.Fatal(err)
	}
	u, err := s.CreateUser(ctx, sqlstore.System, o.ID, "toast", []ssra.Role{ssra.RoleAssessor})
	if err != nil {
		t.Fatal(err)
	}
	by := ssra.Actor{UserID: u.ID, OrgID: o.ID}
	// A body much like a case's: repeated members with varying values and
	// identifiers, which compress about as well (to between 2 and 4 KB).
	var items []string
	for i := range 60 {
		id := sha256.Sum256([]byte{byte(i)})
		items = append(items, fmt.Sprintf(`{"at":"2026-03-%02dT09:%02d:00Z","by":"%x","action":"complaint.transition","note":"step %d of the case"}`, i%28+1, i%60, id[:16], i))
	}
	caseBody := json.RawMessage(`{"events":[` + strings.Join(items, ",") + `]}`)
	// A body that does not compress: 40 KB of distinct digits.
	var noise strings.Builder
	for i := 0; noise.Len() < 40000; i++ {
		fmt.Fprintf(&noise, "%d", uint64(i)*2654435761%1000000007)
	}
	bigBody := json.RawMessage(`{"noise":"` + noise.String() + `"}`)
	toastBytes := func() (n int64) {
		t.Helper()
		if err := raw.QueryRow(`SELECT pg_relation_size(reltoastrelid) FROM pg_class WHERE oid = 'records'::regclass`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	r, err := s.Create(ctx, by, "assessment.create", store.RecordAssessment, store.Fields{Status: "draft", Body: caseBody})
	if err != nil {
		t.Fatal(err)
	}
	for v := r.Version; v < r.Version+3; v++ {
		if _, err := s.Update(ctx, by, "assessment.update", store.RecordAssessment, r.ID, v, store.Fields{Status: "draft", Body: caseBody}); err != nil {
			t.Fatal(err)
		}
	}
	var text, stored int
	if err := raw.QueryRow(`SELECT octet_length(body::text), pg_column_size(body) FROM records WHERE id = $1`, r.ID).Scan(&text, &stored); err != nil {
		t.Fatal(err)
	}
	if text < 5000 || stored < 2200 || stored > 3800 {
		t.Fatalf("the case body is %d bytes of JSON stored in %d: want a body above 5 KB that compresses to between 2.2 and 3.8 KB", text, stored)
	}
	if n := toastBytes(); n != 0 {
		t.Fatalf("after four versions of a %d-byte body (%d compressed) the TOAST table holds %d bytes, want none", text, stored, n)
	}
	if _, err := s.Create(ctx, by, "assessment.create", store.RecordAssessment, store.Fields{Status: "draft", Body: bigBody}); err != nil {
		t.Fatal(err)
	}
	if n := toastBytes(); n == 0 {
		t.Fatal("a 40 KB body that does not compress is in the row: want it out of line")
	}
}
