package sqlstore

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"math"
	"path"
	"sort"
	"strconv"
	"strings"

	"github.com/ssra-go/ssra"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFS embed.FS

// Migration is one embedded, versioned schema change.
type Migration struct {
	Version int
	Name    string
	SQL     string
}

// Migrations returns the dialect's embedded migrations in version order.
// Files are named NNNN_name.sql; versions are never reused or edited once
// released, only added.
func Migrations(d Dialect) ([]Migration, error) {
	dir := "migrations/" + d.String()
	entries, err := fs.ReadDir(migrationFS, dir)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: migrations for %s: %w", d, err)
	}
	var out []Migration
	for _, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("sqlstore: bad migration file name %q", e.Name())
		}
		b, err := migrationFS.ReadFile(path.Join(dir, e.Name()))
		if err != nil {
			return nil, fmt.Errorf("sqlstore: read migration %q: %w", e.Name(), err)
		}
		out = append(out, Migration{Version: v, Name: name, SQL: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Version < out[j].Version })
	for i := range out {
		if out[i].Version != i+1 {
			return nil, fmt.Errorf("sqlstore: migration versions must run 1, 2, …; found %d at position %d", out[i].Version, i+1)
		}
	}
	return out, nil
}

// Migrate applies the migrations the database has not yet seen, each in its
// own transaction, and returns the versions it applied. Several servers may
// call it at once: on PostgreSQL an advisory lock, on SQLite the write lock,
// lets one of them apply each migration and the others see it applied.
func (s *Store) Migrate(ctx context.Context) ([]int, error) {
	const op = "sqlstore.Migrate"
	applied, err := s.migrateUpTo(ctx, math.MaxInt)
	if err != nil {
		return applied, err
	}
	if err := s.adoptChain(ctx); err != nil {
		return applied, err
	}
	if factsOff {
		// A measurement build must not write cases into a database whose
		// figures someone reads: it starts only on one without cases.
		var n int
		err := s.w.QueryRowContext(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM records WHERE kind IN ('complaint', 'dispute') LIMIT 1) AS x`).Scan(&n)
		if err != nil {
			return applied, internal(op, err)
		}
		if n > 0 {
			return applied, ssra.Errorf(ssra.KindConflict, op, "this build keeps no casework facts (tag ssra_nofacts, for measuring their cost): it refuses a database that holds cases")
		}
	}
	return applied, nil
}

// migrateUpTo applies the migrations up to version last that the
// database has not yet seen, and returns the versions it applied.
func (s *Store) migrateUpTo(ctx context.Context, last int) ([]int, error) {
	const op = "sqlstore.Migrate"
	ms, err := Migrations(s.dialect)
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInternal, op, err, "embedded migrations")
	}
	created := "TEXT"
	if s.dialect == Postgres {
		created = "TIMESTAMPTZ"
	}
	if err := s.migrationTable(ctx, created); err != nil {
		return nil, internal(op, err)
	}
	var applied []int
	for _, m := range ms {
		if m.Version > last {
			break
		}
		did, err := s.apply(ctx, m)
		if err != nil {
			return applied, ssra.Wrap(ssra.KindInternal, op, err, fmt.Sprintf("migration %04d_%s", m.Version, m.Name))
		}
		if did {
			applied = append(applied, m.Version)
		}
	}
	return applied, nil
}

// migrationLock is the PostgreSQL advisory lock that serialises migrations;
// any constant works as long as every server uses the same.
const migrationLock = 7350412

// migrationTable creates the table of applied migrations if it is missing.
// On PostgreSQL two servers creating it at once can collide in the catalog
// even with IF NOT EXISTS, so it is created under the migration lock.
func (s *Store) migrationTable(ctx context.Context, created string) error {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+strconv.Itoa(migrationLock)+`)`); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at `+created+` NOT NULL)`); err != nil {
		return err
	}
	return tx.Commit()
}

func (s *Store) apply(ctx context.Context, m Migration) (bool, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() { _ = tx.Rollback() }()
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+strconv.Itoa(migrationLock)+`)`); err != nil {
			return false, err
		}
	}
	var n int
	if err := tx.QueryRowContext(ctx, s.q(`SELECT COUNT(*) FROM schema_migrations WHERE version = ?`), m.Version).Scan(&n); err != nil {
		return false, err
	}
	if n > 0 {
		return false, nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return false, err
	}
	if _, err := tx.ExecContext(ctx, s.q(`INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`),
		m.Version, m.Name, s.tv(s.stamp())); err != nil {
		return false, err
	}
	return true, tx.Commit()
}

// SchemaVersion returns the highest applied migration, 0 on an empty database.
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var v *int64
	err := s.r.QueryRowContext(ctx, `SELECT MAX(version) FROM schema_migrations`).Scan(&v)
	if err != nil {
		if strings.Contains(err.Error(), "schema_migrations") {
			return 0, nil
		}
		return 0, internal("sqlstore.SchemaVersion", err)
	}
	if v == nil {
		return 0, nil
	}
	return int(*v), nil
}
