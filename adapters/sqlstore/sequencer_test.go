package sqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strconv"
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
		if err := raw.QueryRow(`SELECT COUNT(*) FROM audit_queue`).Scan(&n); err != nil {
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

// twoStores opens two migrated stores on one fresh PostgreSQL database, as
// two servers would, and a plain connection pool to it. The stores'
// sessions are named store0 and store1 (application_name).
func twoStores(t *testing.T, opts ...sqlstore.Option) ([2]*sqlstore.Store, *sql.DB) {
	t.Helper()
	ctx := context.Background()
	dsn := freshPostgres(t)
	var stores [2]*sqlstore.Store
	for i := range stores {
		s, err := sqlstore.Open(ctx, dsn+"&application_name=store"+strconv.Itoa(i), append([]sqlstore.Option{sqlstore.WithLogKey(testLogKey(t)), sqlstore.WithCalendar(testCalendar)}, opts...)...)
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
	t.Cleanup(func() { _ = raw.Close() })
	return stores, raw
}

// TestSequencersWaitForTheLock: two stores on one PostgreSQL database run
// their sequencers with a long interval while another transaction holds
// the sequencer's lock past their first turn. A turn that finds the lock
// held waits for it, so the leaves written through both stores are
// integrated as soon as it is released, not an interval later (as when a
// busy turn was skipped).
func TestSequencersWaitForTheLock(t *testing.T) {
	ctx := context.Background()
	const interval = 3 * time.Second
	stores, raw := twoStores(t, sqlstore.WithSequencer(interval, 100))
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

// sequencerLeader polls pg_locks until a session other than those in not
// holds the lead of the sequencers (sqlstore's leaderLock) in raw's
// database, and returns its backend's pid and its store's name
// (application_name). Advisory locks are per database: other tests' stores
// on the same cluster lead in theirs.
func sequencerLeader(t *testing.T, raw *sql.DB, not ...int) (int, string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		var pid int
		var app string
		err := raw.QueryRow(`SELECT l.pid, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
			WHERE l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
			AND l.classid = 0 AND l.objid = 7350416 AND l.objsubid = 1 AND l.granted`).Scan(&pid, &app)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			t.Fatal(err)
		}
		if err == nil && !slices.Contains(not, pid) {
			return pid, app
		}
		if time.Now().After(deadline) {
			t.Fatalf("no session but %v leads the sequencers", not)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// runSequencers runs each store's sequencer until the test ends or its
// stop function is called; the errors they report are the test's to read.
func runSequencers(t *testing.T, stores [2]*sqlstore.Store) (stop [2]func(), reported func() []error) {
	var mu sync.Mutex
	var errs []error
	for i, s := range stores {
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.RunSequencer(ctx, func(err error) { mu.Lock(); errs = append(errs, err); mu.Unlock() })
		}()
		stop[i] = func() { cancel(); wg.Wait() }
		t.Cleanup(stop[i])
	}
	return stop, func() []error { mu.Lock(); defer mu.Unlock(); return slices.Clone(errs) }
}

// TestSequencerTakeover: of two stores' sequencers on one PostgreSQL
// database, one leads and integrates the leaves written through both.
// When the leader's session is killed (as when its server crashes or its
// connection breaks), another session takes the lead and integrates
// what is written next; when the sequencer that leads then stops, the
// other store's, which stood by, takes the lead and integrates.
func TestSequencerTakeover(t *testing.T) {
	ctx := context.Background()
	stores, raw := twoStores(t, sqlstore.WithSequencer(50*time.Millisecond, 100))
	w := setup(t, stores[0])
	n := 0
	create := func() {
		t.Helper()
		for i, s := range stores {
			n++
			if _, err := s.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"i": i, "n": n}}); err != nil {
				t.Fatal(err)
			}
		}
	}
	// The leader's turns fail once its session is killed; that is the
	// point of the test, not an error of it.
	stop, reported := runSequencers(t, stores)
	leader, _ := sequencerLeader(t, raw)
	create()
	untilIntegrated(t, raw, 10*time.Second)
	if _, err := raw.Exec(`SELECT pg_terminate_backend($1)`, leader); err != nil {
		t.Fatal(err)
	}
	next, app := sequencerLeader(t, raw, leader)
	create()
	untilIntegrated(t, raw, 10*time.Second)
	t.Logf("after the kill, %s leads; reported: %v", app, reported())
	was := 0
	if app == "store1" {
		was = 1
	}
	stop[was]()
	// The stopped leader's session may hold the lock a moment longer,
	// until its server process has ended.
	if _, now := sequencerLeader(t, raw, leader, next); now == app {
		t.Fatalf("%s leads after its sequencer stopped", now)
	}
	create()
	untilIntegrated(t, raw, 10*time.Second)
	if rep := verifyOK(t, stores[1]); rep.Records != int64(n) {
		t.Fatalf("%d records verified, want %d", rep.Records, n)
	}
}

// TestStandbyHoldsNoSnapshot: a standby sequencer never waits for the lead
// inside a statement, whose snapshot would keep PostgreSQL from removing
// any row version that ends while the leader lives.
func TestStandbyHoldsNoSnapshot(t *testing.T) {
	stores, raw := twoStores(t, sqlstore.WithSequencer(50*time.Millisecond, 100))
	runSequencers(t, stores)
	sequencerLeader(t, raw)
	for range 40 {
		var waiting int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database()
			AND pid <> pg_backend_pid() AND backend_xmin IS NOT NULL AND wait_event_type = 'Lock'`).Scan(&waiting); err != nil {
			t.Fatal(err)
		}
		if waiting > 0 {
			t.Fatalf("%d sessions wait for a lock holding a snapshot", waiting)
		}
		time.Sleep(25 * time.Millisecond)
	}
}

// TestDrainEndsWhileOthersWrite: a stopping instance's Drain integrates
// the leaves pending when it began (its own requests have ended) and
// returns, while another instance goes on writing. A Drain that waited
// for a batch to find nothing pending ran batches beside the other
// instance's sequencer until its deadline, and then reported leaves
// pending that were not its own.
func TestDrainEndsWhileOthersWrite(t *testing.T) {
	ctx := context.Background()
	stores, _ := twoStores(t)
	w := setup(t, stores[0])
	var mine []store.Record
	for i := range 3 {
		r, err := stores[0].Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"i": i}})
		if err != nil {
			t.Fatal(err)
		}
		mine = append(mine, r)
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				if _, err := stores[1].Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"g": g, "n": n}}); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	defer func() { close(stop); wg.Wait() }()
	time.Sleep(200 * time.Millisecond)
	dctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	if err := stores[0].Drain(dctx); err != nil {
		t.Fatalf("Drain while another instance writes: %v", err)
	}
	for _, r := range mine {
		if _, ok, err := stores[0].LeafIndex(ctx, r.ID, r.Version); err != nil || !ok {
			t.Fatalf("record %s is not in the log after Drain (%v)", r.ID, err)
		}
	}
}
