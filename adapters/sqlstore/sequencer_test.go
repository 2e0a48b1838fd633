package sqlstore_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
)

// runSequencer runs s's sequencer until the test ends.
func runSequencer(t *testing.T, s *sqlstore.Store) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.RunSequencer(ctx, func(err error) { t.Errorf("sequencer: %v", err) })
	}()
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// untilIntegrated waits up to limit for no leaf to be pending, reading
// through raw, and returns how long that took.
func untilIntegrated(t *testing.T, raw *sql.DB, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM audit_leaves WHERE idx IS NULL`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			t.Fatalf("%d leaves still pending after %v", n, limit)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// lockSequencer holds the sequencer's advisory lock (sqlstore's
// sequencerLock) in a transaction of raw, as another instance's batch
// does, and returns the function that releases it.
func lockSequencer(t *testing.T, raw *sql.DB) func() {
	t.Helper()
	tx, err := raw.Begin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(`SELECT pg_advisory_xact_lock(7350413)`); err != nil {
		t.Fatal(err)
	}
	return func() { _ = tx.Rollback() }
}

// TestSequencersWaitForTheLock: two stores on one PostgreSQL database run
// their sequencers with a long interval while another transaction holds
// the sequencer's lock past their first turn. A turn that finds the lock
// held waits for it, so the leaves written through both stores are
// integrated as soon as it is released, not an interval later (as when a
// busy turn was skipped).
func TestSequencersWaitForTheLock(t *testing.T) {
	ctx := context.Background()
	dsn := freshPostgres(t)
	const interval = 3 * time.Second
	var stores [2]*sqlstore.Store
	for i := range stores {
		s, err := sqlstore.Open(ctx, dsn, sqlstore.WithLogKey(testLogKey(t)), sqlstore.WithSequencer(interval, 100))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = s.Close() })
		if _, err := s.Migrate(ctx); err != nil {
			t.Fatal(err)
		}
		stores[i] = s
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	w := setup(t, stores[0])
	if _, err := stores[0].Sequence(ctx); err != nil {
		t.Fatal(err)
	}
	unlock := lockSequencer(t, raw)
	defer unlock()
	for i, s := range stores {
		if _, err := s.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"i": i}}); err != nil {
			t.Fatal(err)
		}
	}
	started := time.Now()
	for _, s := range stores {
		runSequencer(t, s)
	}
	// Both first turns (at one interval) find the lock held.
	time.Sleep(interval + interval/6 - time.Since(started))
	unlock()
	if d := untilIntegrated(t, raw, 2*interval); d > interval/2 {
		t.Fatalf("leaves integrated %v after the lock was released; want well within the interval %v", d, interval)
	}
	rep := verifyOK(t, stores[1])
	if rep.Records != 2 {
		t.Fatalf("%d records verified, want 2", rep.Records)
	}
}

// TestSequencerHasItsOwnConnection: requests that take every connection
// of a store's PostgreSQL pool do not hold up its sequencer, which keeps a
// connection of its own.
func TestSequencerHasItsOwnConnection(t *testing.T) {
	ctx := context.Background()
	dsn := freshPostgres(t)
	s, err := sqlstore.Open(ctx, dsn, sqlstore.WithLogKey(testLogKey(t)), sqlstore.WithSequencer(50*time.Millisecond, 100), sqlstore.WithMaxOpenConns(3))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	raw, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	w := setup(t, s)
	runSequencer(t, s)
	untilIntegrated(t, raw, 10*time.Second)
	// Keep the next leaf pending until the pool is full.
	unlock := lockSequencer(t, raw)
	defer unlock()
	if _, err := s.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"n": 1}}); err != nil {
		t.Fatal(err)
	}
	release := sqlstore.HoldConns(ctx, s, 300*time.Millisecond)
	defer release()
	unlock()
	untilIntegrated(t, raw, 3*time.Second)
}
