package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// postgresEnv names the variable that points the PostgreSQL half of the
// contract suite at a server; each test creates and drops its own database.
const postgresEnv = "SSRA_TEST_POSTGRES_URL"

// backend is one database the contract suite runs against.
type backend struct {
	name string
	// open returns a migrated store on a fresh, empty database and a raw
	// connection to the same database, for tests that tamper with it.
	open func(t testing.TB) (*sqlstore.Store, *sql.DB)
	// fresh returns the name of a fresh, empty database for Open.
	fresh func(t testing.TB) string
}

func backends() []backend {
	return []backend{
		{"sqlite", openSQLite, func(t testing.TB) string { return filepath.Join(t.TempDir(), "ssra.db") }},
		{"postgres", openPostgres, freshPostgres},
	}
}

// eachBackend runs fn as a subtest on every backend.
func eachBackend(t *testing.T, fn func(t *testing.T, s *sqlstore.Store, raw *sql.DB)) {
	t.Helper()
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			s, raw := b.open(t)
			fn(t, s, raw)
		})
	}
}

func openSQLite(t testing.TB) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ssra.db")
	return openMigrated(t, path, "sqlite", path+"?_pragma=busy_timeout(10000)&_pragma=synchronous(FULL)")
}

func openPostgres(t testing.TB) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	dsn := freshPostgres(t)
	return openMigrated(t, dsn, "pgx", dsn)
}

// freshPostgres creates an empty database, dropped when the test ends.
func freshPostgres(t testing.TB) string {
	t.Helper()
	base := os.Getenv(postgresEnv)
	if base == "" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("CI=true but %s is not set: the PostgreSQL contract suite must run in CI", postgresEnv)
		}
		t.Skipf("PostgreSQL suite skipped: set %s=postgres://user@host:port/db?sslmode=disable (a server where the user may create databases), or run .ci/run, which starts a throwaway cluster", postgresEnv)
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("open %s: %v", postgresEnv, err)
	}
	t.Cleanup(func() { _ = admin.Close() })
	var b [6]byte
	_, _ = rand.Read(b[:])
	name := "ssra_test_" + hex.EncodeToString(b[:])
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { _, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") })
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", postgresEnv, err)
	}
	u.Path = "/" + name
	return u.String()
}

// testCalendar is the calendar the tests' cases count working days with
// (the seeder's, newClaim's): weekends only.
var testCalendar = ssra.Calendar{}

// openMigrated opens and migrates the store at dsn with the test log key
// and opts, and a raw connection to its database.
func openMigrated(t testing.TB, dsn, driver, rawDSN string, opts ...sqlstore.Option) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, dsn, append([]sqlstore.Option{sqlstore.WithLogKey(testLogKey(t)), sqlstore.WithCalendar(testCalendar)}, opts...)...)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	raw, err := sql.Open(driver, rawDSN)
	if err != nil {
		t.Fatalf("raw open: %v", err)
	}
	t.Cleanup(func() { _ = raw.Close() })
	return s, raw
}

var logKey struct {
	once sync.Once
	key  sqlstore.LogKey
	err  error
}

// testLogKey is the key every test store signs its checkpoints with.
func testLogKey(t testing.TB) sqlstore.LogKey {
	t.Helper()
	logKey.once.Do(func() {
		skey, _, err := sqlstore.GenerateLogKey(rand.Reader, "ssra.test/audit-log")
		if err == nil {
			logKey.key, err = sqlstore.ParseLogKey(skey)
		}
		logKey.err = err
	})
	if logKey.err != nil {
		t.Fatalf("log key: %v", logKey.err)
	}
	return logKey.key
}
