package sqlstore

import (
	"context"
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/ssra-go/ssra/adapters/store"
)

// The authentication cache (PostgreSQL). Every request authenticates, and
// reading the key, its user, the user's roles and the organisation was a
// round trip and a four-table query on every write. RunAuthCache lets
// Authenticate keep what it read of a key, under three rules that make a
// cached answer as current as a read:
//
//   - Invalidation comes from the database, not from this process: a
//     trigger on api_keys (its hash, user, expiry and revocation), users,
//     user_roles and organisations notifies the channel ssra_auth in the
//     changing transaction, whoever changes them (another instance, the
//     ssrad command line, an operator's SQL). Every notification empties
//     the cache.
//   - The cache answers only while its listener is known to hear: it is
//     emptied and bypassed from the moment the listening connection fails
//     or goes silent, until it listens again. The listener proves itself
//     every authHeartbeat with a statement on its connection that also
//     checks that the triggers exist and are enabled; PostgreSQL delivers
//     a listener's notifications before it answers its next statement, so
//     an answered heartbeat means that every change committed before it
//     has been heard. A cached answer is therefore never older than the
//     last answered heartbeat, at most authStale ago, and in the ordinary
//     case as old as the notification's delivery (milliseconds).
//   - An entry read while a notification arrived is not kept (the
//     generation check), and no entry lives longer than authTTL.
//
// Expiry is checked against the clock on every use, and the secret is
// compared in constant time on every use, as for a read. Unknown keys are
// never cached. On SQLite the cache is not used: its reads are in process.
const (
	authHeartbeat = time.Second
	authStale     = 2 * time.Second
	authTTL       = 10 * time.Second
	authMaxKeys   = 10000
	authChannel   = "ssra_auth"
	// authApplication names the listener's session in pg_stat_activity.
	authApplication = "ssra auth cache"
)

// authTriggers are the triggers whose notifications keep the cache true
// (migration 0016); the listener refuses to serve unless all are enabled.
var authTriggers = []string{"api_keys_auth", "users_auth", "user_roles_auth", "organisations_auth"}

type authCache struct {
	mu sync.Mutex
	// heard is when the listener last proved it hears (its heartbeat
	// was answered, or it began listening); zero while it does not.
	heard   time.Time
	gen     uint64
	entries map[string]authEntry
	// hits counts the answers given from the cache.
	hits int64
}

// authEntry is what Authenticate read of one key.
type authEntry struct {
	hash     []byte
	revoked  bool
	expires  instant
	disabled bool
	idn      store.Identity
	read     time.Time
}

// begin returns the generation to store an entry under, and whether the
// cache may be used now.
func (c *authCache) begin(now time.Time) (uint64, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.gen, c.liveLocked(now)
}

func (c *authCache) liveLocked(now time.Time) bool {
	return !c.heard.IsZero() && now.Sub(c.heard) < authStale
}

// get returns the entry for the key id, if the cache is live and holds a
// fresh one.
func (c *authCache) get(id string, now time.Time) (authEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.liveLocked(now) {
		return authEntry{}, false
	}
	e, ok := c.entries[id]
	if !ok || now.Sub(e.read) >= authTTL {
		return authEntry{}, false
	}
	c.hits++
	return e, true
}

// put keeps e for the key id if nothing was invalidated since gen.
func (c *authCache) put(id string, e authEntry, gen uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.gen != gen || c.heard.IsZero() {
		return
	}
	if c.entries == nil || len(c.entries) >= authMaxKeys {
		c.entries = map[string]authEntry{}
	}
	c.entries[id] = e
}

// invalidate empties the cache; heard is the listener's new state.
func (c *authCache) invalidate(heard time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = nil
	c.heard = heard
}

// notified empties the cache on a notification; the listener's state
// stays as it is.
func (c *authCache) notified() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.gen++
	c.entries = nil
}

// proved records an answered heartbeat.
func (c *authCache) proved(at time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.heard.IsZero() {
		c.heard = at
	}
}

// identity returns a copy of the cached identity (the roles slice is the
// caller's to keep).
func (e authEntry) identity() store.Identity {
	idn := e.idn
	idn.Roles = slices.Clone(e.idn.Roles)
	return idn
}

// RunAuthCache keeps the authentication cache's listener (PostgreSQL)
// until ctx ends: a connection of its own that LISTENs on ssra_auth and
// empties the cache on every notification, and proves every second that
// it still hears. While it is not running, or not hearing, Authenticate
// reads the database on every call, as it always does on SQLite (where
// RunAuthCache returns at once). report hears the listener's failures.
func (s *Store) RunAuthCache(ctx context.Context, report func(error)) {
	if s.dialect != Postgres || s.dsn == "" {
		return
	}
	for ctx.Err() == nil {
		err := s.listenAuth(ctx)
		s.auth.invalidate(time.Time{})
		if ctx.Err() != nil {
			return
		}
		if report != nil && err != nil {
			report(err)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(authHeartbeat):
		}
	}
}

// listenAuth listens until its connection fails or ctx ends. Its
// notifications are handled as the connection receives them (during a
// heartbeat too), before the statement they arrive with returns.
func (s *Store) listenAuth(ctx context.Context) error {
	const op = "sqlstore.RunAuthCache"
	cfg, err := pgx.ParseConfig(s.dsn)
	if err != nil {
		return internal(op, err)
	}
	cfg.OnNotification = func(*pgconn.PgConn, *pgconn.Notification) { s.auth.notified() }
	cfg.RuntimeParams["application_name"] = authApplication
	cctx, cancel := context.WithTimeout(ctx, authStale)
	conn, err := pgx.ConnectConfig(cctx, cfg)
	cancel()
	if err != nil {
		return internal(op, err)
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = conn.Close(cctx)
	}()
	if _, err := conn.Exec(ctx, "LISTEN "+authChannel); err != nil {
		return internal(op, err)
	}
	at := time.Now()
	if err := s.authHeartbeat(ctx, conn); err != nil {
		return err
	}
	s.auth.invalidate(at)
	for {
		wctx, cancel := context.WithTimeout(ctx, authHeartbeat)
		err := conn.PgConn().WaitForNotification(wctx)
		cancel()
		switch {
		case err == nil:
			// notified() has run.
		case ctx.Err() != nil:
			return nil
		case errors.Is(err, context.DeadlineExceeded) && !conn.IsClosed():
			at := time.Now()
			if err := s.authHeartbeat(ctx, conn); err != nil {
				return err
			}
			s.auth.proved(at)
		default:
			return internal(op, err)
		}
	}
}

// authHeartbeat runs the listener's proof: a statement answered on its
// connection within authStale (so that every notification committed
// before it was delivered first), which also finds every trigger that
// feeds the cache enabled.
func (s *Store) authHeartbeat(ctx context.Context, conn *pgx.Conn) error {
	const op = "sqlstore.RunAuthCache"
	hctx, cancel := context.WithTimeout(ctx, authStale)
	defer cancel()
	var n int
	if err := conn.QueryRow(hctx, `SELECT COUNT(*) FROM pg_trigger WHERE tgname = ANY($1) AND tgenabled <> 'D' AND NOT tgisinternal`, authTriggers).Scan(&n); err != nil {
		return internal(op, err)
	}
	if n != len(authTriggers) {
		return internal(op, errors.New("the authentication triggers are missing or disabled: the cache stays off"))
	}
	return nil
}
