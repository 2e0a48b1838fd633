package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// System is the actor of bootstrap and command-line administration: the
// one ssra.Actor the store does not scope to an organisation. It is a
// storage value, not a kernel one, because only the store's own callers
// (the operator's command line, the complainant's status check) may act
// unscoped; an organisation's user never becomes it.
var System = ssra.Actor{UserID: "system"}

// isSystem reports whether a is System.
func isSystem(a ssra.Actor) bool { return a == System }

// checkActor refuses an actor who names no user or no organisation.
func checkActor(op string, a ssra.Actor) error {
	if isSystem(a) || (a.UserID != "" && a.OrgID != "") {
		return nil
	}
	return ssra.Errorf(ssra.KindUnauthenticated, op, "no acting user")
}

// Tx is an audited write transaction, for a change that spans several
// records (a decision stored together with the assessment it decides):
// every change made through it appends a leaf to the transparency log's
// pending queue, and all of them commit together or not at all. Appending
// takes no shared lock: the sequencer gives committed leaves their place
// in the tree afterwards. After an error from a Tx method, return it from
// the function given to InTx. On PostgreSQL a write's statements are sent
// with the transaction's next read or with its commit (pipeTx), so that a
// write refused by the database (a duplicate reference) is reported by
// the method that reads next, or by InTx.
type Tx struct {
	s      *Store
	tx     txRunner
	by     ssra.Actor
	at     time.Time
	leaves int
	// rollup is the difference the transaction's case writes make to
	// case_rollup, written once before it commits (a bulk write of many
	// cases of one organisation touches each rollup row once).
	rollup map[rollupKey]int64
	// facts are the case facts rows the transaction writes, on PostgreSQL
	// sent with the rollup's differences in one statement before it
	// commits (SQLite writes each at once: no round trip to save).
	facts []factsRow
	// prior are the stored counts of cases read for a write, by record
	// ID, for keepFacts to take instead of reading them again.
	prior map[string]priorCounts
	// rebuild are the rollup cells that the transaction's next
	// flushRollup rebuilds from the case facts instead of adding
	// differences to: those of a case whose old facts row did not read.
	rebuild map[cellKey]bool
	// rebuilt are the rollup cells the transaction rebuilt (or could not),
	// and rewritten the cases whose facts rows did not read and were
	// rewritten: logged once it commits (logMends), never before, since a
	// transaction that rolls back mended nothing.
	rebuilt   []cellRebuild
	rewritten []factsRewrite
}

// InTx runs fn in one audited transaction acting as by, and commits when fn
// returns nil. Store's write methods are each one such transaction.
func (s *Store) InTx(ctx context.Context, by ssra.Actor, fn func(tx *Tx) error) error {
	return s.audited(ctx, "sqlstore.InTx", by, fn)
}

// audited runs fn in one transaction that also queues fn's audit leaves
// and commits both or neither.
func (s *Store) audited(ctx context.Context, op string, by ssra.Actor, fn func(w *Tx) error) error {
	if err := checkActor(op, by); err != nil {
		return err
	}
	var t txRunner
	if s.dialect == Postgres {
		conn, err := s.w.Conn(ctx)
		if err != nil {
			return internal(op, err)
		}
		t = &pipeTx{conn: conn}
		defer t.rollback()
	} else {
		tx, err := s.w.BeginTx(ctx, nil)
		if err != nil {
			return internal(op, err)
		}
		st := &stmtTx{Tx: tx, stmts: s.w.stmts}
		t = st
		defer func() {
			st.rollback()
			// The writer's connection is free again: prepare what ran unprepared.
			s.w.stmts.prepare(ctx, st.missed)
		}()
	}
	w := &Tx{s: s, tx: t, by: by, at: s.stamp()}
	if err := fn(w); err != nil {
		return t.failure(err)
	}
	if err := w.flushRollup(ctx); err != nil {
		return t.failure(err)
	}
	if s.commitHook != nil {
		if err := s.commitHook("write"); err != nil {
			return t.failure(err)
		}
	}
	if err := t.commit(ctx); err != nil {
		return internal(op, err)
	}
	w.logMends()
	if w.leaves > 0 {
		s.log.queuedLeaves(w.leaves)
	}
	return nil
}

// adminLock is the PostgreSQL advisory lock that serialises changes of
// organisations, users and keys (rare, and checked across rows: the first
// organisation, a user's set of roles); record writes never take it.
const adminLock = 7350414

// administrative is audited for a change of organisations, users or keys:
// on PostgreSQL such changes run one at a time across all servers, as
// SQLite's single writer runs them anyway.
func (s *Store) administrative(ctx context.Context, op string, by ssra.Actor, fn func(w *Tx) error) error {
	return s.audited(ctx, op, by, func(w *Tx) error {
		if s.dialect == Postgres {
			if _, err := w.tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+strconv.Itoa(adminLock)+`)`); err != nil {
				return internal(op, err)
			}
		}
		return fn(w)
	})
}

// event queues one audit leaf inside the transaction: the change of an
// object (a record at version, or an organisation, user or key at version
// 0) from the digest before to the digest after.
func (w *Tx) event(ctx context.Context, action, kind, id string, version int64, before, after string) error {
	return w.appendLeaf(ctx, Leaf{
		At: w.at, ActorUser: w.by.UserID, ActorOrg: w.by.OrgID, Action: action,
		ObjectKind: kind, ObjectID: id, Version: version, BeforeDigest: before, AfterDigest: after,
	})
}

// Audit appends an event that changes nothing, such as a read of an
// unredacted case view, to the log in a transaction of its own: action
// names it, kind and id the object, version the version read (0 for
// none), digest the digest of what was shown (empty for none).
func (s *Store) Audit(ctx context.Context, by ssra.Actor, action, kind, id string, version int64, digest string) error {
	return s.audited(ctx, "sqlstore.Audit", by, func(w *Tx) error {
		return w.Audit(ctx, action, kind, id, version, digest)
	})
}

// AuditReads records in one transaction that the actor read each record in
// full (its kind, id, version and digest): events named action that change
// nothing, so that who read a complainant's identity, when, and which
// case, is on the record. Its errors are Audit's.
func (s *Store) AuditReads(ctx context.Context, by ssra.Actor, action string, recs []store.Record) error {
	return s.audited(ctx, "sqlstore.AuditReads", by, func(w *Tx) error {
		for _, r := range recs {
			if err := w.Audit(ctx, action, r.Kind.String(), r.ID, r.Version, r.Digest); err != nil {
				return err
			}
		}
		return nil
	})
}

// Audit is Store.Audit inside the transaction.
func (w *Tx) Audit(ctx context.Context, action, kind, id string, version int64, digest string) error {
	if action == "" || kind == "" || id == "" {
		return ssra.Errorf(ssra.KindInvalid, "sqlstore.Audit", "an audit event needs an action, an object kind and an object id")
	}
	return w.event(ctx, action, kind, id, version, digest, digest)
}

// AuditEvents returns up to limit events with Seq greater than after, in
// queue order, integrated or pending. It is not scoped to an organisation:
// callers allow it to administrators only.
func (s *Store) AuditEvents(ctx context.Context, after int64, limit int) ([]AuditEvent, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	return s.events(ctx, "sqlstore.AuditEvents", `WHERE seq > ? ORDER BY seq LIMIT ?`, after, limit)
}

// allLeaves is the log's leaves and the queue's, as one table (alias l)
// with the columns seq, idx (NULL for a pending leaf), object_kind,
// object_id, version and data.
const allLeaves = `(SELECT seq, idx, object_kind, object_id, version, data FROM audit_leaves
	UNION ALL SELECT seq, NULL, object_kind, object_id, version, data FROM audit_queue) l`

func (s *Store) events(ctx context.Context, op, where string, args ...any) ([]AuditEvent, error) {
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT seq, idx, data FROM `+allLeaves+` `+where), args...)
	if err != nil {
		return nil, internal(op, err)
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		var e AuditEvent
		var idx sql.NullInt64
		var data string
		if err := rows.Scan(&e.Seq, &idx, &data); err != nil {
			return nil, internal(op, err)
		}
		if e.Leaf, err = ParseLeaf([]byte(data)); err != nil {
			return nil, internal(op, err)
		}
		e.Index = -1
		if idx.Valid {
			e.Index = idx.Int64
		}
		out = append(out, e)
	}
	return out, internal(op, rows.Err())
}

// History returns the audit events of one record, oldest first, if the
// actor's organisation may see the record (ssra.KindNotFound otherwise).
func (s *Store) History(ctx context.Context, by ssra.Actor, kind store.RecordKind, id string) ([]AuditEvent, error) {
	if _, err := s.Get(ctx, by, kind, id); err != nil {
		return nil, err
	}
	return s.events(ctx, "sqlstore.History", `WHERE object_id = ? AND object_kind = ? ORDER BY seq`, id, kind.String())
}
