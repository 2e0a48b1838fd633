package sqlstore_test

import (
	"context"
	"database/sql"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/internal/pgproxy"
)

// TestFencedLeaderWritesNothing: a leader's batch under an epoch that is
// no longer the lease's (another instance took the lead since) is refused
// inside its transaction: the pending leaf stays pending, no checkpoint
// is written and the lease is not renewed. Under the lease's epoch the
// same batch integrates the leaf and writes a checkpoint of that epoch.
func TestFencedLeaderWritesNothing(t *testing.T) {
	ctx := context.Background()
	s, raw := openPostgres(t)
	w := setup(t, s)
	if _, err := s.Sequence(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE sequencer_lease SET epoch = 7, renewed = now() - interval '1 hour'`); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"n": 1}}); err != nil {
		t.Fatal(err)
	}
	var checkpoints int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM audit_checkpoints`).Scan(&checkpoints); err != nil {
		t.Fatal(err)
	}
	n, err := sqlstore.LeadBatch(ctx, s, 6)
	if !sqlstore.IsFenced(err) || n != 0 {
		t.Fatalf("batch under a stale epoch: %d leaves, %v; want 0 and the lease's refusal", n, err)
	}
	var pending, after int
	var old bool
	if err := raw.QueryRow(`SELECT (SELECT COUNT(*) FROM audit_queue), (SELECT COUNT(*) FROM audit_checkpoints),
		(SELECT renewed < now() - interval '30 minutes' FROM sequencer_lease)`).Scan(&pending, &after, &old); err != nil {
		t.Fatal(err)
	}
	if pending != 1 || after != checkpoints || !old {
		t.Fatalf("after the refused batch: %d leaves pending, %d checkpoints (were %d), lease still old %v; want 1, unchanged, true",
			pending, after, checkpoints, old)
	}
	if n, err := sqlstore.LeadBatch(ctx, s, 7); err != nil || n != 1 {
		t.Fatalf("batch under the lease's epoch: %d leaves, %v; want 1", n, err)
	}
	var epoch sql.NullInt64
	if err := raw.QueryRow(`SELECT leader_epoch FROM audit_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&epoch); err != nil {
		t.Fatal(err)
	}
	if epoch.Int64 != 7 {
		t.Fatalf("latest checkpoint's leader epoch %v, want 7", epoch)
	}
	if err := raw.QueryRow(`SELECT renewed < now() - interval '30 minutes' FROM sequencer_lease`).Scan(&old); err != nil || old {
		t.Fatalf("lease not renewed by the leader's batch (%v)", err)
	}
}

// leaseState reads the sequencer's lease: its epoch and the pid it names.
func leaseState(t *testing.T, raw *sql.DB) (epoch int64, pid int) {
	t.Helper()
	if err := raw.QueryRow(`SELECT epoch, pid FROM sequencer_lease WHERE id = 1`).Scan(&epoch, &pid); err != nil {
		t.Fatal(err)
	}
	return epoch, pid
}

// startSequencer runs s's sequencer until the test ends or the returned
// function is called; the errors it reports are kept in errs.
func startSequencer(t *testing.T, s *sqlstore.Store, errs *reports) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		s.RunSequencer(ctx, errs.add)
	}()
	stop = func() { cancel(); wg.Wait() }
	t.Cleanup(stop)
	return stop
}

// reports collects a sequencer's reported errors.
type reports struct {
	mu   sync.Mutex
	errs []error
}

func (r *reports) add(err error) { r.mu.Lock(); r.errs = append(r.errs, err); r.mu.Unlock() }
func (r *reports) all() []error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]error(nil), r.errs...)
}

// TestHungLeaderIsReplaced: the leading sequencer's server goes silent
// with its connections open (a proxy in front of it holds everything, as
// a stopped process or a lost network path does). The other server's
// standby takes the lead once the lease has expired, not before, and
// integrates the leaves written meanwhile; when the silent server comes
// back it stands by, no checkpoint of its epoch is written after the
// takeover, and every write made during the whole time is in a signed
// checkpoint of a log that verifies. Run with a short interval, and with
// the defaults (whose log gives the delays the README quotes).
func TestHungLeaderIsReplaced(t *testing.T) {
	for _, c := range []struct {
		name            string
		interval, lease time.Duration
		opts            []sqlstore.Option
	}{
		{"interval 50ms, lease 300ms", 50 * time.Millisecond, 300 * time.Millisecond,
			[]sqlstore.Option{sqlstore.WithSequencer(50*time.Millisecond, 100), sqlstore.WithSequencerLease(300 * time.Millisecond)}},
		{"defaults", 200 * time.Millisecond, 600 * time.Millisecond, nil},
	} {
		t.Run(c.name, func(t *testing.T) { hungLeaderIsReplaced(t, c.interval, c.lease, c.opts) })
	}
}

func hungLeaderIsReplaced(t *testing.T, interval, lease time.Duration, opts []sqlstore.Option) {
	ctx := context.Background()
	dsn := freshPostgres(t)
	proxy, pdsn, err := pgproxy.Start(dsn)
	if err != nil {
		t.Fatal(err)
	}
	hung, raw := openMigrated(t, pdsn+"&application_name=hung", "pgx", dsn, opts...)
	live, _ := openMigrated(t, dsn+"&application_name=live", "pgx", dsn, opts...)
	w := setup(t, live)

	var hungErrs, liveErrs reports
	startSequencer(t, hung, &hungErrs)
	leader, app := sequencerLeader(t, raw)
	if app != "hung" {
		t.Fatalf("%s leads, want hung", app)
	}
	startSequencer(t, live, &liveErrs)
	// Cleanups run last first: the proxy closes before the sequencers are
	// stopped, so that none of them waits on a held connection.
	t.Cleanup(func() { _ = proxy.Close() })

	// Writes through the live server, all along.
	type written struct {
		id      string
		version int64
		at      time.Time
	}
	var (
		mu     sync.Mutex
		writes []written
		done   = make(chan struct{})
		wg     sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for n := 0; ; n++ {
			select {
			case <-done:
				return
			case <-time.After(5 * time.Millisecond):
			}
			r, err := live.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"n": n}})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			writes = append(writes, written{r.ID, r.Version, time.Now()})
			mu.Unlock()
		}
	}()
	stopWrites := func() { close(done); wg.Wait() }
	defer func() {
		select {
		case <-done:
		default:
			stopWrites()
		}
	}()
	time.Sleep(5 * interval)
	oldEpoch, pid := leaseState(t, raw)
	if pid != leader || oldEpoch < 1 {
		t.Fatalf("lease names session %d at epoch %d; the leader is %d", pid, oldEpoch, leader)
	}

	proxy.Stall()
	stalled := time.Now()
	next, app := sequencerLeader(t, raw, leader)
	took := time.Since(stalled)
	t.Logf("the standby took the lead %v after the leader went silent (lease %v, interval %v)", took.Round(time.Millisecond), lease, interval)
	if app != "live" {
		t.Fatalf("%s leads after the takeover, want live", app)
	}
	// The lease was renewed at most an interval and a turn before the
	// silence began.
	if took < lease/2 {
		t.Fatalf("the lead was taken %v after the leader went silent, before its lease of %v expired", took, lease)
	}
	if took > lease+time.Second {
		t.Fatalf("the lead was taken %v after the leader went silent; its lease is %v", took, lease)
	}
	// The lock and the lease are taken in one statement, whose claim of the
	// lease is seen when it commits.
	newEpoch, pid := leaseState(t, raw)
	for wait := time.Now().Add(time.Second); pid != next && time.Now().Before(wait); {
		time.Sleep(5 * time.Millisecond)
		newEpoch, pid = leaseState(t, raw)
	}
	if pid != next || newEpoch != oldEpoch+1 {
		t.Fatalf("after the takeover the lease names session %d at epoch %d; want %d at %d", pid, newEpoch, next, oldEpoch+1)
	}
	var oldCheckpoints, oldMax int64
	count := func() {
		t.Helper()
		if err := raw.QueryRow(`SELECT COUNT(*), COALESCE(MAX(size), 0) FROM audit_checkpoints WHERE leader_epoch = $1`, oldEpoch).Scan(&oldCheckpoints, &oldMax); err != nil {
			t.Fatal(err)
		}
	}
	count()
	if oldCheckpoints == 0 {
		t.Fatal("no checkpoint of the first leader's epoch")
	}

	// The silent server comes back: its turn in flight fails (its session
	// was ended), and it stands by.
	time.Sleep(4 * interval)
	proxy.Resume()
	time.Sleep(20 * interval)
	wasCheckpoints, wasMax := oldCheckpoints, oldMax
	count()
	if oldCheckpoints != wasCheckpoints || oldMax != wasMax {
		t.Fatalf("checkpoints of the replaced leader's epoch %d: %d up to size %d, were %d up to %d at the takeover",
			oldEpoch, oldCheckpoints, oldMax, wasCheckpoints, wasMax)
	}
	var newer int64
	if err := raw.QueryRow(`SELECT COUNT(*) FROM audit_checkpoints WHERE size > $1 AND leader_epoch IS DISTINCT FROM $2`, oldMax, newEpoch).Scan(&newer); err != nil {
		t.Fatal(err)
	}
	if newer != 0 {
		t.Fatalf("%d checkpoints after the takeover are not of the new leader's epoch %d", newer, newEpoch)
	}
	if now, _ := sequencerLeader(t, raw); now != next {
		t.Fatalf("session %d leads after the silent server came back, want %d", now, next)
	}
	if e, _ := leaseState(t, raw); e != newEpoch {
		t.Fatalf("lease at epoch %d after the silent server came back, want %d", e, newEpoch)
	}

	stopWrites()
	untilIntegrated(t, raw, 10*time.Second)
	cp, err := live.LatestCheckpoint(ctx)
	if err != nil || !cp.Signed {
		t.Fatalf("latest checkpoint: %+v, %v; want a signed one", cp, err)
	}
	var worst time.Duration
	var during int
	for _, wr := range writes {
		idx, ok, err := live.LeafIndex(ctx, wr.id, wr.version)
		if err != nil || !ok || idx >= cp.Size {
			t.Fatalf("record %s version %d: leaf %d (integrated %v, %v); the latest signed checkpoint has %d leaves", wr.id, wr.version, idx, ok, err, cp.Size)
		}
		var at time.Time
		if err := raw.QueryRow(`SELECT MIN(created_at) FROM audit_checkpoints WHERE size > $1`, idx).Scan(&at); err != nil {
			t.Fatal(err)
		}
		if d := at.Sub(wr.at); d > worst {
			worst = d
		}
		if wr.at.After(stalled) && wr.at.Before(stalled.Add(took)) {
			during++
		}
	}
	t.Logf("%d writes, %d of them while no one led; the longest from a write to its first checkpoint %v", len(writes), during, worst.Round(time.Millisecond))
	if during == 0 {
		t.Fatal("no write was made while the leader was silent")
	}
	if rep := verifyOK(t, live); rep.Records != int64(len(writes)) {
		t.Fatalf("%d records verified, want %d", rep.Records, len(writes))
	}
	t.Logf("reported by the replaced leader: %v; by the new one: %v", hungErrs.all(), liveErrs.all())
}

// TestLeaseEndRefused: a standby whose PostgreSQL role may not end the
// leader's session (here the leader's is a superuser's) reports that once,
// with what to do about it, and does not take the lead: the silent leader
// keeps the lock and its epoch, and when it comes back it leads on and
// integrates what was written meanwhile.
func TestLeaseEndRefused(t *testing.T) {
	ctx := context.Background()
	const interval, lease = 50 * time.Millisecond, 300 * time.Millisecond
	dsn := freshPostgres(t)
	proxy, pdsn, err := pgproxy.Start(dsn)
	if err != nil {
		t.Fatal(err)
	}
	opts := []sqlstore.Option{sqlstore.WithSequencer(interval, 100), sqlstore.WithSequencerLease(lease)}
	hung, raw := openMigrated(t, pdsn+"&application_name=hung", "pgx", dsn, opts...)
	var super bool
	if err := raw.QueryRow(`SELECT rolsuper FROM pg_roles WHERE rolname = current_user`).Scan(&super); err != nil || !super {
		t.Skipf("the test database's user must be a superuser, whose sessions other roles may not end (%v)", err)
	}
	// The role is the cluster's, kept for the next run (a test cluster is
	// thrown away).
	const role = "ssra_test_no_signal"
	for _, q := range []string{
		`DO $$ BEGIN CREATE ROLE ` + role + ` LOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$`,
		`GRANT USAGE ON SCHEMA public TO ` + role,
		`GRANT ALL ON ALL TABLES IN SCHEMA public TO ` + role,
		`GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO ` + role,
	} {
		if _, err := raw.Exec(q); err != nil {
			t.Skipf("cannot set up a role without pg_signal_backend: %v", err)
		}
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.User(role)
	other, err := sqlstore.Open(ctx, u.String()+"&application_name=other", append([]sqlstore.Option{sqlstore.WithLogKey(testLogKey(t))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = other.Close() })
	w := setup(t, hung)
	if err := other.Ping(ctx); err != nil {
		t.Skipf("cannot connect as %s: %v", role, err)
	}

	var hungErrs, otherErrs reports
	startSequencer(t, hung, &hungErrs)
	leader, _ := sequencerLeader(t, raw)
	startSequencer(t, other, &otherErrs)
	t.Cleanup(func() { _ = proxy.Close() })
	time.Sleep(4 * interval)
	epoch, _ := leaseState(t, raw)

	proxy.Stall()
	if _, err := other.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Body: map[string]any{"n": 1}}); err != nil {
		t.Fatal(err)
	}
	time.Sleep(lease + 20*interval)
	if now, _ := sequencerLeader(t, raw); now != leader {
		t.Fatalf("session %d leads, want the silent leader %d, whose session may not be ended", now, leader)
	}
	if e, _ := leaseState(t, raw); e != epoch {
		t.Fatalf("lease at epoch %d, want %d", e, epoch)
	}
	errs := otherErrs.all()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "could not be ended") || !strings.Contains(errs[0].Error(), "pg_signal_backend") {
		t.Fatalf("the standby reported %v; want one error saying the leader could not be ended and what to grant", errs)
	}
	t.Logf("the standby reported: %v", errs[0])

	proxy.Resume()
	untilIntegrated(t, raw, 10*time.Second)
	if now, _ := sequencerLeader(t, raw); now != leader {
		t.Fatalf("session %d leads after the silent leader came back, want %d", now, leader)
	}
	verifyOK(t, hung)
}
