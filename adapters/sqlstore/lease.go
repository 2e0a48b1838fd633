package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// WithSequencerLease sets the length of the leading sequencer's lease on
// PostgreSQL (default three sequencer intervals, 600ms with the default
// interval): a standby takes the lead from a leader that has not renewed
// its lease for longer than this, by the database's clock. See
// RunSequencer for what the lease guarantees.
func WithSequencerLease(d time.Duration) Option {
	return func(o *options) { o.log.lease = d }
}

// leaseIntervals is the default lease, in sequencer intervals. The lease
// bounds how long a hung leader holds up the log: a leaf written when the
// leader stops waits at most about the lease, one interval for a standby
// to look again, and the new leader's first batch, which with the default
// 200ms interval (600ms + 200ms + a batch) stays within the 1s from a
// write to its signed checkpoint that the log aims at. It must also stay
// above the longest gap a live leader leaves between two renewals that a
// standby can see, an interval and about two turns (a renewal is seen
// when its turn commits), or a standby ends a leader that was only slow:
// three intervals leave a turn 200ms. Ending a slow leader is safe (its
// batch is rolled back and the next leader integrates the leaves), only
// wasted work.
const leaseIntervals = 3

// errFenced says that the lease's epoch is no longer the one this
// instance's sequencer took the lead with: another instance has taken
// the lead since, and this one must not integrate or sign anything.
var errFenced = errors.New("the sequencer's lease has passed to another instance: this one no longer leads")

// leaseStatus is what a standby sees of the lead when it could not take
// the lock: the pid of the backend holding leaderLock (0 if none holds
// it now), and the lease row: the pid and epoch of the last leader to
// take the lock and the age of its last renewal by the database's clock.
type leaseStatus struct {
	holder int
	pid    int
	epoch  int64
	age    time.Duration
}

// expired reports whether a standby must end the holder's session to
// take the lead: the lock is held by the very session the lease names,
// and that session has not renewed the lease for longer than ttl. A
// holder the lease does not name is left alone: one that took the lock
// and claims the lease in the same statement (seen between the two, for
// the statement's duration), or a server of an earlier version, which
// keeps no lease and whose lead ends only with its session, as before.
func (l leaseStatus) expired(ttl time.Duration) bool {
	return l.holder != 0 && l.holder == l.pid && l.age > ttl
}

// leaderLockHeld is the condition on pg_locks that finds the session
// holding leaderLock in this database (advisory locks are per database:
// two databases of one cluster each have their leader). A bigint key is
// classid (its high half), objid (its low half) and objsubid 1.
var leaderLockHeld = `l.locktype = 'advisory' AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
	AND l.classid = 0 AND l.objid = ` + strconv.Itoa(leaderLock) + ` AND l.objsubid = 1 AND l.granted`

// pollLead asks for leaderLock once, in one round trip: the lock and, when
// it is granted, the lease claimed with a new epoch, in one statement (so
// that the session holding the lock is named by the lease but for that
// statement's duration, whatever happens to the client); then the lease's
// status. It returns the epoch when this session now leads (0 if not) and
// the status otherwise. Neither statement waits.
func (s *Store) pollLead(ctx context.Context, own *sql.Conn) (epoch int64, st leaseStatus, err error) {
	err = own.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("the PostgreSQL driver connection is a %T, not pgx's", dc)
		}
		var b pgx.Batch
		b.Queue(`WITH got AS MATERIALIZED (SELECT pg_try_advisory_lock(` + strconv.Itoa(leaderLock) + `) AS mine),
			claim AS (UPDATE sequencer_lease SET epoch = epoch + 1, pid = pg_backend_pid(), renewed = clock_timestamp()
				FROM got WHERE id = 1 AND got.mine RETURNING epoch)
			SELECT got.mine, claim.epoch FROM got LEFT JOIN claim ON true`)
		b.Queue(`SELECT COALESCE((SELECT l.pid FROM pg_locks l WHERE ` + leaderLockHeld + ` LIMIT 1), 0), s.pid, s.epoch,
			(extract(epoch FROM clock_timestamp() - s.renewed) * 1000000)::bigint FROM sequencer_lease s WHERE s.id = 1`)
		br := sc.Conn().SendBatch(ctx, &b)
		defer br.Close()
		var mine bool
		var claimed *int64
		if err := br.QueryRow().Scan(&mine, &claimed); err != nil {
			return err
		}
		if mine {
			if claimed == nil {
				return errors.New("the sequencer's lease row is missing (migration 0015)")
			}
			epoch = *claimed
		}
		var us int64
		if err := br.QueryRow().Scan(&st.holder, &st.pid, &st.epoch, &us); err != nil {
			return err
		}
		st.age = time.Duration(us) * time.Microsecond
		return br.Close()
	})
	return epoch, st, err
}

// endExpiredLeader ends the session of the leader the status names, if it
// still holds leaderLock under the same epoch (a leader another standby
// replaced meanwhile is not ended, nor a session given the same pid since;
// pg_terminate_backend does not wait for the session to end). It reports
// whether the session was signalled. A PostgreSQL role may end the
// sessions of its own role, or any but a superuser's with
// pg_signal_backend; otherwise the refusal is the error.
func (s *Store) endExpiredLeader(ctx context.Context, own *sql.Conn, st leaseStatus) (bool, error) {
	var ended sql.NullBool
	err := own.QueryRowContext(ctx, `SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN sequencer_lease s ON s.pid = l.pid
		WHERE `+leaderLockHeld+` AND s.id = 1 AND s.pid = $1 AND s.epoch = $2`, st.pid, st.epoch).Scan(&ended)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return ended.Valid && ended.Bool, err
}

// lead waits until this instance's sequencer leads: it returns the
// connection whose session holds leaderLock and the lease's epoch it
// leads under; the caller must give the connection up with discard (never
// hand it back to the pool, where the lock would go with it to a request).
// It asks for the lock every interval (pg_try_advisory_lock) rather than
// waiting for it in pg_advisory_lock: a statement that waits holds its
// snapshot all the while, and a standby holding one for as long as the
// leader lives would keep PostgreSQL from cleaning out any row version
// that ended meanwhile, in every table (the leaves' pending versions
// first: each batch's read of the pending leaves would step over all of
// them, more every batch). When the lease of the session holding the lock
// has expired, it ends that session and asks again shortly after; a
// refusal to end it is reported once per epoch and tried again every
// interval, the lead staying where it is meanwhile.
func (s *Store) lead(ctx context.Context, report func(error)) (*sql.Conn, int64, error) {
	const op = "sqlstore.RunSequencer"
	own, err := s.w.Conn(ctx)
	if err != nil {
		return nil, 0, internal(op, err)
	}
	ttl := s.log.cfg.lease
	var refused int64 // the epoch whose leader could not be ended, reported once
	for {
		epoch, st, err := s.pollLead(ctx, own)
		if err != nil {
			discard(own)
			return nil, 0, internal(op, err)
		}
		if epoch != 0 {
			return own, epoch, nil
		}
		wait := s.log.cfg.interval
		if st.expired(ttl) {
			ended, err := s.endExpiredLeader(ctx, own, st)
			switch {
			case err != nil && ctx.Err() == nil:
				if refused != st.epoch && report != nil {
					report(internal(op, fmt.Errorf("the leading sequencer (session %d, epoch %d) has not renewed its lease for %v, longer than %v, "+
						"but its session could not be ended, so the lead stays with it: run every server as the same PostgreSQL role, "+
						"or grant this one pg_signal_backend (which ends no superuser's session): %w", st.pid, st.epoch, st.age.Round(time.Millisecond), ttl, err)))
				}
				refused = st.epoch // a broken connection fails the next poll
			case ended:
				if s.logger != nil {
					s.logger.Warn("sequencer: ended the session of a leader whose lease expired", "pid", st.pid, "epoch", st.epoch,
						"lease_age", st.age.Round(time.Millisecond), "lease", ttl)
				}
				wait = min(wait, 10*time.Millisecond) // its lock goes when its backend has ended
			}
		}
		select {
		case <-ctx.Done():
			discard(own)
			return nil, 0, internal(op, ctx.Err())
		case <-time.After(wait):
		}
	}
}
