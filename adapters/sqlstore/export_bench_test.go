package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// WithoutFacts turns the casework facts of s off or on again: the write
// benchmark's baseline, the same write path with nothing else changed.
func WithoutFacts(s *Store, off bool) { s.noFacts = off }

// SendStaleUpdate sends, in the transaction, the guarded update of a record
// at a version it is not at (which the store's own writes never send: they
// lock the row and check its version first), as update sends it.
func SendStaleUpdate(w *Tx, id string, version int64) error {
	s := w.s
	return w.tx.send(context.Background(), s.guardOne(s.q(`UPDATE records SET status = ? WHERE id = ? AND version = ?`)),
		[]any{"stale", id, version}, writeCheck("test", store.RecordComplaint, id, ""))
}

// RollupRows returns how many rows the casework rollup holds: its cells
// (what a figure of whole months reads) and its pending differences.
func RollupRows(ctx context.Context, s *Store) (cells, pending int64, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM case_rollup), (SELECT COUNT(*) FROM case_rollup_pending)`).Scan(&cells, &pending)
	return cells, pending, err
}

// HoldConns takes every connection of s's write pool that is free within
// wait and returns a function that gives them back: the pool is then
// as full as a burst of requests leaves it.
func HoldConns(ctx context.Context, s *Store, wait time.Duration) (release func()) {
	var held []*sql.Conn
	for {
		c, cancel := context.WithTimeout(ctx, wait)
		conn, err := s.w.Conn(c)
		cancel()
		if err != nil {
			break
		}
		held = append(held, conn)
	}
	return func() {
		for _, c := range held {
			_ = c.Close()
		}
	}
}

// ReleaseStalled begins a pipelined transaction on a connection of s,
// calls stall, which is to make the connection go silent, and releases
// the transaction with its ROLLBACK bounded by timeout (rollbackTimeout),
// returning the ROLLBACK's error.
func ReleaseStalled(ctx context.Context, s *Store, timeout time.Duration, stall func()) error {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return err
	}
	defer discard(conn)
	tx := &pipeTx{conn: conn, keep: true}
	if err := tx.flush(ctx, nil); err != nil { // BEGIN
		return err
	}
	stall()
	defer func(d time.Duration) { rollbackTimeout = d }(rollbackTimeout)
	rollbackTimeout = timeout
	return tx.release()
}

// SetRepairHook has RepairRollup call f between its reading of the facts
// and its writing of the cells (nil: nothing).
func SetRepairHook(s *Store, f func()) { s.repairHook = f }

// SetRepairFactsHook has RepairRollup call f between its first reading of
// the facts rows to mend and its locking of their records (nil: nothing).
func SetRepairFactsHook(s *Store, f func()) { s.repairFactsHook = f }

// SetCommitHook has every write ("write") and fold ("fold") call f
// before it commits; an error from f rolls the transaction back.
func SetCommitHook(s *Store, f func(what string) error) { s.commitHook = f }

// LeadBatch runs one batch as the leading sequencer does, under the
// lease's epoch, on a connection of s's own (given up afterwards, as a
// leader gives its connection up when a turn fails), and returns how many
// leaves it integrated.
func LeadBatch(ctx context.Context, s *Store, epoch int64) (int, error) {
	conn, err := s.w.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer discard(conn)
	return s.integrate(ctx, true, conn, epoch)
}

// IsFenced reports whether err is a leader's batch refused because the
// lease has passed to another instance.
func IsFenced(err error) bool { return errors.Is(err, errFenced) }

// AuthCacheState reports whether s's authentication cache answers now,
// and how many answers it has given.
func AuthCacheState(s *Store) (live bool, hits int64) {
	s.auth.mu.Lock()
	defer s.auth.mu.Unlock()
	return s.auth.liveLocked(time.Now()), s.auth.hits
}

// MigrateUpTo applies the embedded migrations up to version and no
// further, as a database of an earlier release holds them.
func MigrateUpTo(ctx context.Context, s *Store, version int) error {
	_, err := s.migrateUpTo(ctx, version)
	return err
}

// CaseWriteQuery returns the query, and its arguments, by which a write of
// case id by the actor reads the record, locks it and reads its facts.
func CaseWriteQuery(s *Store, by ssra.Actor, id string) (string, []any) {
	return s.readQuery(by, id, s.dialect == Postgres, true)
}
