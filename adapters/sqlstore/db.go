package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	"modernc.org/sqlite"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// Dialect is the SQL database behind a Store.
type Dialect uint8

// The dialects.
const (
	// SQLite is the embedded default: one file, one writer at a time.
	SQLite Dialect = iota + 1
	// Postgres is PostgreSQL, for several servers on one database.
	Postgres
)

// String returns "sqlite" or "postgres".
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "dialect(" + strconv.Itoa(int(d)) + ")"
}

// Store is the storage of one ssra deployment. It is safe for concurrent use.
type Store struct {
	dialect Dialect
	w       *pool // state changes; on SQLite a single connection
	r       *pool // reads; on PostgreSQL the same pool as w
	now     func() time.Time
	used    lastUsed
	log     *transparency
	// noFacts turns the casework facts off, for the write benchmark's
	// baseline only: set by a test file, or by a build with the tag
	// ssra_nofacts (FactsOff) for the load generator's.
	noFacts bool
	// repairHook, set by a test file only, runs in RepairRollup between
	// its reading of the facts and its writing of the cells.
	repairHook func()
	// repairFactsHook, set by a test file only, runs in RepairRollup
	// between its first reading of the facts rows to mend and its locking
	// of their records.
	repairFactsHook func()
	// commitHook, set by a test file only, runs before a write's commit
	// (what "write") and a fold's ("fold"); an error it returns rolls the
	// transaction back.
	commitHook func(what string) error
	// logger hears what the store mends on its own, such as a rollup
	// cell rebuilt from the facts (WithLogger); by default nothing.
	logger *slog.Logger
	// dsn is the PostgreSQL URL, for connections outside the pool (the
	// authentication cache's listener); auth is that cache.
	dsn  string
	auth authCache
	// calendar counts the working days of the casework facts that audit
	// verification and the rollup repair derive from the case bodies
	// (WithCalendar).
	calendar ssra.Calendar
}

// FactsOff reports whether this build was made with the tag ssra_nofacts,
// which keeps no casework facts nor their rollup: a baseline for measuring
// what the facts cost a write (examples/loadgen), never a deployment.
func FactsOff() bool { return factsOff }

// Option configures Open.
type Option func(*options)

type options struct {
	now          func() time.Time
	busyTimeout  time.Duration
	maxOpenConns int
	log          logConfig
	logger       *slog.Logger
	calendar     *ssra.Calendar
}

// WithClock makes the store read time from now instead of time.Now, for tests.
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithBusyTimeout sets how long a SQLite connection waits for a lock held by
// another process before failing (default 10s). Within one process writes
// never wait for each other on locks: they queue for the single writer
// connection.
func WithBusyTimeout(d time.Duration) Option { return func(o *options) { o.busyTimeout = d } }

// WithMaxOpenConns bounds the PostgreSQL pool, or the SQLite reader pool
// (default 10 on PostgreSQL, max(4, GOMAXPROCS) readers on SQLite).
func WithMaxOpenConns(n int) Option { return func(o *options) { o.maxOpenConns = n } }

// WithLogger gives the store a logger for what it mends on its own and a
// server's operator should know of: a casework rollup cell that could not
// be read, rebuilt from the case facts (a warning naming the
// organisation, month and kind of case). Without it nothing is logged.
func WithLogger(l *slog.Logger) Option { return func(o *options) { o.logger = l } }

// WithCalendar gives the working-day calendar the server counts deadlines
// and handling days with (default ssra.StateCouncilCalendar): audit
// verification and the rollup repair derive each case's facts from its
// record body with it, as the server that wrote them did.
func WithCalendar(cal ssra.Calendar) Option { return func(o *options) { o.calendar = &cal } }

// IsPostgresURL reports whether dsn names a PostgreSQL database
// (postgres:// or postgresql://) rather than a SQLite file.
func IsPostgresURL(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Open connects to the database named by dsn: a postgres:// or postgresql://
// URL selects PostgreSQL, anything else is a SQLite file path (created when
// missing; a "file:" URI is accepted too). Open does not change the schema:
// call Migrate. SQLite runs in WAL mode with synchronous=FULL, foreign keys
// on and a busy timeout; its writes go through one connection, so that
// concurrent writers in this process queue instead of failing with
// SQLITE_BUSY, while reads use a separate read-only pool.
func Open(ctx context.Context, dsn string, opts ...Option) (*Store, error) {
	const op = "sqlstore.Open"
	o := options{now: time.Now, busyTimeout: 10 * time.Second}
	for _, f := range opts {
		f(&o)
	}
	if dsn == "" {
		return nil, ssra.Errorf(ssra.KindInvalid, op, "empty database name")
	}
	s := &Store{now: o.now, log: newTransparency(o.log), noFacts: factsOff, logger: o.logger}
	if s.logger == nil {
		s.logger = slog.New(slog.DiscardHandler)
	}
	if s.calendar = ssra.StateCouncilCalendar(); o.calendar != nil {
		s.calendar = *o.calendar
	}
	if IsPostgresURL(dsn) {
		db, err := sql.Open("pgx", dsn)
		if err != nil {
			return nil, ssra.Wrap(ssra.KindInvalid, op, err, "bad PostgreSQL URL")
		}
		n := o.maxOpenConns
		if n <= 0 {
			n = 10
		}
		db.SetMaxOpenConns(n)
		db.SetMaxIdleConns(n)
		db.SetConnMaxIdleTime(5 * time.Minute)
		p := &pool{DB: db}
		s.dialect, s.w, s.r, s.dsn = Postgres, p, p, dsn
	} else {
		w, r, err := openSQLite(dsn, o)
		if err != nil {
			return nil, ssra.Wrap(ssra.KindInvalid, op, err, "cannot open SQLite database")
		}
		s.dialect = SQLite
		s.w = &pool{DB: w, stmts: newStmtCache(w)}
		s.r = &pool{DB: r, stmts: newStmtCache(r)}
	}
	if err := s.Ping(ctx); err != nil {
		_ = s.Close()
		return nil, err
	}
	return s, nil
}

func openSQLite(dsn string, o options) (w, r *sql.DB, err error) {
	name := strings.TrimPrefix(dsn, "sqlite:")
	if !strings.HasPrefix(name, "file:") && strings.ContainsAny(name, "?#") {
		return nil, nil, errors.New("a SQLite path may not contain '?' or '#'; use a file: URI")
	}
	if !strings.HasPrefix(name, "file:") && name != ":memory:" {
		// The file holds key hashes and personal data: readable by its
		// owner only. SQLite gives its -wal and -shm files the same mode.
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o600)
		if err != nil {
			return nil, nil, err
		}
		if err := f.Close(); err != nil {
			return nil, nil, err
		}
	}
	sep := "?"
	if strings.Contains(name, "?") {
		sep = "&"
	}
	q := url.Values{}
	q.Add("_pragma", "busy_timeout("+strconv.FormatInt(o.busyTimeout.Milliseconds(), 10)+")")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(FULL)")
	writer := q
	writer.Set("_txlock", "immediate")
	w, err = sql.Open("sqlite", name+sep+writer.Encode())
	if err != nil {
		return nil, nil, err
	}
	// One writer connection: SQLite admits one writer at a time, and queueing
	// in the pool is both faster and safer than retrying on SQLITE_BUSY.
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)
	// Create the file and switch it to WAL before readers open it.
	if err := w.Ping(); err != nil {
		_ = w.Close()
		return nil, nil, err
	}
	reader := url.Values{}
	reader.Add("_pragma", "busy_timeout("+strconv.FormatInt(o.busyTimeout.Milliseconds(), 10)+")")
	reader.Add("_pragma", "foreign_keys(1)")
	reader.Add("_pragma", "query_only(1)")
	r, err = sql.Open("sqlite", name+sep+reader.Encode())
	if err != nil {
		_ = w.Close()
		return nil, nil, err
	}
	n := o.maxOpenConns
	if n <= 0 {
		n = max(4, runtime.GOMAXPROCS(0))
	}
	r.SetMaxOpenConns(n)
	r.SetMaxIdleConns(n)
	return w, r, nil
}

// Dialect returns the database behind the store.
func (s *Store) Dialect() Dialect { return s.dialect }

// Ping checks that the database answers; it is what a readiness probe calls.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.w.PingContext(ctx); err != nil {
		return ssra.Wrap(ssra.KindInternal, "sqlstore.Ping", err, "database unreachable")
	}
	if s.r != s.w {
		if err := s.r.PingContext(ctx); err != nil {
			return ssra.Wrap(ssra.KindInternal, "sqlstore.Ping", err, "database unreachable")
		}
	}
	return nil
}

// Close closes the database connections.
func (s *Store) Close() error {
	err := errors.Join(s.w.stmts.close(), s.w.Close())
	if s.r != s.w {
		err = errors.Join(err, s.r.stmts.close(), s.r.Close())
	}
	return err
}

// q rewrites the ?-placeholders of query for the store's dialect. Queries in
// this package never contain a literal '?'.
func (s *Store) q(query string) string {
	if s.dialect != Postgres {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 8)
	n := 0
	for i := 0; i < len(query); i++ {
		if query[i] == '?' {
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(query[i])
	}
	return b.String()
}

// timeFormat is how SQLite stores instants: UTC, fixed width, so that text
// order is time order. PostgreSQL uses timestamptz, which keeps microseconds.
const timeFormat = "2006-01-02T15:04:05.000000Z"

// stamp is the current time at the resolution both databases keep.
func (s *Store) stamp() time.Time { return s.now().UTC().Truncate(time.Microsecond) }

// tv converts an instant to the dialect's parameter value.
func (s *Store) tv(t time.Time) any {
	if s.dialect == Postgres {
		return t.UTC()
	}
	return t.UTC().Format(timeFormat)
}

// dv converts a date to the dialect's parameter value (NULL for the zero date).
func (s *Store) dv(d ssra.Date) any {
	if d.IsZero() {
		return nil
	}
	return d.String()
}

// instant scans a timestamp column of either dialect.
type instant struct {
	t     time.Time
	valid bool
}

func (i *instant) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		i.valid = false
		return nil
	case time.Time:
		i.t, i.valid = x.UTC(), true
		return nil
	case string:
		return i.parse(x)
	case []byte:
		return i.parse(string(x))
	}
	return fmt.Errorf("sqlstore: cannot scan %T as a time", v)
}

func (i *instant) parse(s string) error {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return fmt.Errorf("sqlstore: bad stored time %q: %w", s, err)
	}
	i.t, i.valid = t.UTC(), true
	return nil
}

func (i instant) ptr() *time.Time {
	if !i.valid {
		return nil
	}
	t := i.t
	return &t
}

// day scans a date column of either dialect.
type day struct{ d ssra.Date }

func (d *day) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		d.d = ssra.Date{}
		return nil
	case time.Time:
		d.d = ssra.DateOf(x)
		return nil
	case string:
		return d.parse(x)
	case []byte:
		return d.parse(string(x))
	}
	return fmt.Errorf("sqlstore: cannot scan %T as a date", v)
}

func (d *day) parse(s string) error {
	if len(s) > 10 {
		s = s[:10]
	}
	v, err := ssra.ParseDate(s)
	if err != nil {
		return fmt.Errorf("sqlstore: bad stored date %q: %w", s, err)
	}
	d.d = v
	return nil
}

// internal wraps a database failure as KindInternal.
func internal(op string, err error) error {
	if err == nil {
		return nil
	}
	var e *ssra.Error
	if errors.As(err, &e) {
		return err
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return ssra.Wrap(ssra.KindInternal, op, err, "cancelled")
	}
	return ssra.Wrap(ssra.KindInternal, op, err, "database error")
}

// isUniqueViolation reports whether err is a unique-constraint violation
// on either database.
func isUniqueViolation(err error) bool {
	if err == nil {
		return false
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		// SQLITE_CONSTRAINT_UNIQUE and SQLITE_CONSTRAINT_PRIMARYKEY.
		return se.Code() == 2067 || se.Code() == 1555
	}
	return false
}

// Backup writes a consistent copy of a SQLite database to the file path,
// which must not exist, while the store stays in use (VACUUM INTO); writes
// wait until the copy is made, reads do not. On
// PostgreSQL it is ssra.KindInvalid: use the database's own tools
// (pg_dump, base backups).
func (s *Store) Backup(ctx context.Context, path string) error {
	const op = "sqlstore.Backup"
	if s.dialect != SQLite {
		return ssra.Errorf(ssra.KindInvalid, op, "backups of PostgreSQL are made with pg_dump or base backups")
	}
	if _, err := os.Stat(path); err == nil {
		return ssra.Errorf(ssra.KindConflict, op, "%s exists", path)
	}
	// The reader pool is query-only, which VACUUM INTO refuses.
	if _, err := s.w.ExecContext(ctx, `VACUUM INTO ?`, path); err != nil {
		return internal(op, err)
	}
	return internal(op, os.Chmod(path, 0o600))
}

// Store implements every storage interface the adapters share.
var (
	_ store.Records       = (*Store)(nil)
	_ store.Organisations = (*Store)(nil)
	_ store.Cases         = (*Store)(nil)
)
