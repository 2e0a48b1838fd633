package sqlstore_test

import "testing"

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
