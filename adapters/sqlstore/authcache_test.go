package sqlstore_test

import (
	"context"
	"database/sql"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// runAuthCache runs s's authentication cache until the test ends and
// waits until it answers.
func runAuthCache(t *testing.T, s *sqlstore.Store) (reported func() []error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var mu sync.Mutex
	var errs []error
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.RunAuthCache(ctx, func(err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() })
	}()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, 5*time.Second, "the authentication cache to listen", func() bool { live, _ := sqlstore.AuthCacheState(s); return live })
	return func() []error { mu.Lock(); defer mu.Unlock(); return slices.Clone(errs) }
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) time.Duration {
	t.Helper()
	start := time.Now()
	for !ok() {
		if time.Since(start) > limit {
			t.Fatalf("waited %s for %s", limit, what)
		}
		time.Sleep(2 * time.Millisecond)
	}
	return time.Since(start)
}

// twoServers opens two stores on one fresh PostgreSQL database, a raw
// connection to it, and bootstraps it through the first.
func twoServers(t *testing.T) (a, b *sqlstore.Store, raw *sql.DB, boot sqlstore.Bootstrapped) {
	t.Helper()
	dsn := freshPostgres(t)
	a, raw = openMigrated(t, dsn, "pgx", dsn)
	b, _ = openMigrated(t, dsn, "pgx", dsn)
	boot, err := a.Bootstrap(context.Background(), "Bureau", "admin")
	if err != nil {
		t.Fatal(err)
	}
	return a, b, raw, boot
}

// cachedAuth authenticates key on s twice and checks that the second
// answer came from the cache.
func cachedAuth(t *testing.T, s *sqlstore.Store, key string) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.Authenticate(ctx, key); err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	_, before := sqlstore.AuthCacheState(s)
	if _, err := s.Authenticate(ctx, key); err != nil {
		t.Fatalf("Authenticate: %v", err)
	}
	if _, after := sqlstore.AuthCacheState(s); after != before+1 {
		t.Fatalf("the second authentication was not answered from the cache (hits %d then %d)", before, after)
	}
}

// TestAuthCacheHearsEveryChange: a server's cached authentication of a
// key ends as soon as anything it read changes, whoever changes it:
// another server revoking the key, an operator's SQL disabling the user or
// taking a role away. Each refusal is expected within a second (in
// practice milliseconds: the notification's delivery).
func TestAuthCacheHearsEveryChange(t *testing.T) {
	a, b, raw, boot := twoServers(t)
	ctx := context.Background()
	runAuthCache(t, b)
	refusedWithin := func(key string) time.Duration {
		return waitFor(t, time.Second, "the cache to refuse the key", func() bool {
			_, err := b.Authenticate(ctx, key)
			return ssra.KindOf(err) == ssra.KindUnauthenticated
		})
	}

	// Another server revokes the key.
	cachedAuth(t, b, boot.Key)
	if _, err := a.RevokeKey(ctx, sqlstore.System, boot.KeyInfo.ID); err != nil {
		t.Fatal(err)
	}
	t.Logf("revoked by another server: refused after %s", refusedWithin(boot.Key))

	// An operator disables the user in SQL.
	u, err := a.CreateUser(ctx, sqlstore.System, boot.Organisation.ID, "caseworker", []ssra.Role{ssra.RoleCaseworker, ssra.RoleAssessor})
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := a.CreateKey(ctx, sqlstore.System, u.ID, "k")
	if err != nil {
		t.Fatal(err)
	}
	// The key's creation notifies too; let that notification arrive
	// before the cache is filled.
	time.Sleep(200 * time.Millisecond)
	cachedAuth(t, b, key)
	// The last-used stamp is not something authentication reads: it
	// leaves the cache as it is.
	if _, err := raw.Exec(`UPDATE api_keys SET last_used_at = now()`); err != nil {
		t.Fatal(err)
	}
	time.Sleep(50 * time.Millisecond)
	_, hits := sqlstore.AuthCacheState(b)
	if _, err := b.Authenticate(ctx, key); err != nil {
		t.Fatal(err)
	}
	if _, after := sqlstore.AuthCacheState(b); after != hits+1 {
		live, after := sqlstore.AuthCacheState(b)
		t.Fatalf("a last-used stamp emptied the cache (live %v, hits %d then %d)", live, hits, after)
	}

	// An operator takes a role away in SQL: the next identity lacks it.
	if _, err := raw.Exec(`DELETE FROM user_roles WHERE user_id = $1 AND role = 'assessor'`, u.ID); err != nil {
		t.Fatal(err)
	}
	waitFor(t, time.Second, "the cache to drop the role", func() bool {
		idn, err := b.Authenticate(ctx, key)
		return err == nil && !slices.Contains(idn.Roles, ssra.RoleAssessor)
	})

	cachedAuth(t, b, key)
	if _, err := raw.Exec(`UPDATE users SET disabled = true WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	t.Logf("user disabled in SQL: refused after %s", refusedWithin(key))
}

// TestAuthCacheOffWhenDeaf: the cache answers only while its listener is
// known to hear. A listener whose session is ended stops the cache at
// once; a trigger disabled by an operator stops it within a heartbeat; in
// both cases a change made meanwhile, which no notification reports, is
// refused, because every authentication reads the database again.
func TestAuthCacheOffWhenDeaf(t *testing.T) {
	_, b, raw, boot := twoServers(t)
	ctx := context.Background()
	reported := runAuthCache(t, b)
	cachedAuth(t, b, boot.Key)

	// The listener's session ends: the cache stops answering, then
	// listens again, empty.
	var n int
	if err := raw.QueryRow(`SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = 'ssra auth cache' AND datname = current_database()`).Scan(&n); err != nil || n != 1 {
		t.Fatalf("terminated %d listeners: %v", n, err)
	}
	waitFor(t, time.Second, "the cache to stop", func() bool { live, _ := sqlstore.AuthCacheState(b); return !live })
	waitFor(t, 5*time.Second, "the cache to listen again", func() bool { live, _ := sqlstore.AuthCacheState(b); return live })
	if len(reported()) == 0 {
		t.Fatal("the lost listener was not reported")
	}
	cachedAuth(t, b, boot.Key)

	// An operator disables a trigger, then changes the user: nothing is
	// notified, and the cache must have stopped answering by then.
	if _, err := raw.Exec(`ALTER TABLE users DISABLE TRIGGER users_auth`); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 3*time.Second, "the cache to stop without its trigger", func() bool { live, _ := sqlstore.AuthCacheState(b); return !live })
	if _, err := raw.Exec(`UPDATE users SET disabled = true WHERE id = $1`, boot.User.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Authenticate(ctx, boot.Key); ssra.KindOf(err) != ssra.KindUnauthenticated {
		t.Fatalf("a disabled user's key was accepted while the trigger was off: %v", err)
	}
	time.Sleep(2 * time.Second)
	if live, _ := sqlstore.AuthCacheState(b); live {
		t.Fatal("the cache answers although a trigger is disabled")
	}
}

// TestAuthCacheSQLite: SQLite keeps no authentication cache.
func TestAuthCacheSQLite(t *testing.T) {
	s, _ := openSQLite(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	s.RunAuthCache(ctx, nil) // returns at once
	if ctx.Err() != nil {
		t.Fatal("RunAuthCache ran on SQLite")
	}
	boot, err := s.Bootstrap(context.Background(), "Bureau", "admin")
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		if _, err := s.Authenticate(context.Background(), boot.Key); err != nil {
			t.Fatal(err)
		}
	}
	if live, hits := sqlstore.AuthCacheState(s); live || hits != 0 {
		t.Fatalf("SQLite cache live %v, %d hits", live, hits)
	}
}
