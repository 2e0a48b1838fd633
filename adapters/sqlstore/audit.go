package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"time"

	"github.com/ssra-go/ssra"
)

// Actor is who performs an action: a user of an organisation. Every read
// and write is scoped to Actor.OrgID. System is the actor of bootstrap and
// command-line administration and is not scoped.
type Actor struct {
	UserID string
	OrgID  string
}

// System is the unscoped actor of bootstrap and the command line.
var System = Actor{UserID: "system"}

// IsSystem reports whether a is System.
func (a Actor) IsSystem() bool { return a == System }

func (a Actor) check(op string) error {
	if a.IsSystem() || (a.UserID != "" && a.OrgID != "") {
		return nil
	}
	return ssra.Errorf(ssra.KindUnauthenticated, op, "no acting user")
}

// genesisHash is the prev_hash of the first event.
const genesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// AuditEvent is one entry of the append-only, hash-chained audit log
// (审计日志): who did what to which object when, with digests of the object's
// canonical JSON before and after (empty when there was none). Hash covers
// every other field and PrevHash, so that changing, removing or reordering
// an event breaks the chain at that event.
type AuditEvent struct {
	Seq          int64     `json:"seq"`
	At           time.Time `json:"at"`
	ActorUser    string    `json:"actor_user"`
	ActorOrg     string    `json:"actor_org"`
	Action       string    `json:"action"`
	ObjectKind   string    `json:"object_kind"`
	ObjectID     string    `json:"object_id"`
	BeforeDigest string    `json:"before_digest"`
	AfterDigest  string    `json:"after_digest"`
	PrevHash     string    `json:"prev_hash"`
	Hash         string    `json:"hash"`
}

// ComputeHash returns the hash the event should carry: SHA-256 over its
// fields, each length-prefixed, and PrevHash.
func (e AuditEvent) ComputeHash() string {
	h := sha256.New()
	field := func(h hash.Hash, s string) {
		h.Write([]byte(strconv.Itoa(len(s))))
		h.Write([]byte{':'})
		h.Write([]byte(s))
		h.Write([]byte{';'})
	}
	field(h, "ssra-audit-v1")
	field(h, strconv.FormatInt(e.Seq, 10))
	field(h, e.At.UTC().Format(timeFormat))
	field(h, e.ActorUser)
	field(h, e.ActorOrg)
	field(h, e.Action)
	field(h, e.ObjectKind)
	field(h, e.ObjectID)
	field(h, e.BeforeDigest)
	field(h, e.AfterDigest)
	field(h, e.PrevHash)
	return hex.EncodeToString(h.Sum(nil))
}

// Tx is an audited write transaction, for a change that spans several
// records (a decision stored together with the assessment it decides):
// every change made through it is recorded in the audit log, and all of
// them commit together or not at all. The chain head is locked when it
// starts, so that its events extend the chain without gaps or forks, and
// writes therefore queue on it: keep it short. After an error from a Tx
// method, return it from the function given to InTx.
type Tx struct {
	s    *Store
	tx   *sql.Tx
	by   Actor
	at   time.Time
	seq  int64
	head string
}

// InTx runs fn in one audited transaction acting as by, and commits when fn
// returns nil. Store's write methods are each one such transaction.
func (s *Store) InTx(ctx context.Context, by Actor, fn func(tx *Tx) error) error {
	return s.audited(ctx, "sqlstore.InTx", by, fn)
}

// audited runs fn in one transaction that also appends fn's audit events
// and commits both or neither.
func (s *Store) audited(ctx context.Context, op string, by Actor, fn func(w *Tx) error) error {
	if err := by.check(op); err != nil {
		return err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return internal(op, err)
	}
	defer func() { _ = tx.Rollback() }()
	lock := `SELECT seq, hash FROM audit_head WHERE id = 1`
	if s.dialect == Postgres {
		// Taken first in every audited transaction, so that transactions
		// queue on it instead of deadlocking on the rows they change.
		lock += ` FOR UPDATE`
	}
	w := &Tx{s: s, tx: tx, by: by, at: s.stamp()}
	if err := tx.QueryRowContext(ctx, lock).Scan(&w.seq, &w.head); err != nil {
		return internal(op, err)
	}
	start := w.seq
	if err := fn(w); err != nil {
		return err
	}
	if w.seq != start && s.dialect == SQLite {
		// PostgreSQL moved the head with each event (see event).
		if _, err := tx.ExecContext(ctx, s.q(`UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1`), w.seq, w.head); err != nil {
			return internal(op, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return internal(op, err)
	}
	return nil
}

// event appends one audit event inside the transaction.
func (w *Tx) event(ctx context.Context, action, kind, id, before, after string) error {
	e := AuditEvent{
		Seq: w.seq + 1, At: w.at, ActorUser: w.by.UserID, ActorOrg: w.by.OrgID,
		Action: action, ObjectKind: kind, ObjectID: id,
		BeforeDigest: before, AfterDigest: after, PrevHash: w.head,
	}
	e.Hash = e.ComputeHash()
	insert := `INSERT INTO audit_events
		(seq, at, actor_user, actor_org, action, object_kind, object_id, before_digest, after_digest, prev_hash, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if w.s.dialect == Postgres {
		// Append and move the head in one statement: one round trip
		// fewer for every audited write.
		insert = `WITH e AS (` + insert + ` RETURNING seq, hash)
		UPDATE audit_head SET seq = e.seq, hash = e.hash FROM e WHERE audit_head.id = 1`
	}
	_, err := w.tx.ExecContext(ctx, w.s.q(insert),
		e.Seq, w.s.tv(e.At), e.ActorUser, e.ActorOrg, e.Action, e.ObjectKind, e.ObjectID,
		e.BeforeDigest, e.AfterDigest, e.PrevHash, e.Hash)
	if err != nil {
		return internal("sqlstore.audit", err)
	}
	w.seq, w.head = e.Seq, e.Hash
	return nil
}

// AuditEvents returns up to limit events with Seq greater than after, in
// order. It is not scoped to an organisation: callers allow it to
// administrators only.
func (s *Store) AuditEvents(ctx context.Context, after int64, limit int) ([]AuditEvent, error) {
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT `+auditColumns+` FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?`), after, limit)
	if err != nil {
		return nil, internal("sqlstore.AuditEvents", err)
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, internal("sqlstore.AuditEvents", err)
		}
		out = append(out, e)
	}
	return out, internal("sqlstore.AuditEvents", rows.Err())
}

const auditColumns = `seq, at, actor_user, actor_org, action, object_kind, object_id, before_digest, after_digest, prev_hash, hash`

func scanEvent(rows *sql.Rows) (AuditEvent, error) {
	var e AuditEvent
	var at instant
	err := rows.Scan(&e.Seq, &at, &e.ActorUser, &e.ActorOrg, &e.Action, &e.ObjectKind, &e.ObjectID,
		&e.BeforeDigest, &e.AfterDigest, &e.PrevHash, &e.Hash)
	e.At = at.t
	return e, err
}

// AuditReport is the outcome of VerifyAudit. When the chain is intact,
// BrokenAt is 0; otherwise it is the sequence number of the first event
// that does not hold (for a removed tail, the first missing one) and Reason
// says what is wrong with it.
type AuditReport struct {
	Events   int64  `json:"events"`
	Head     string `json:"head"`
	OK       bool   `json:"ok"`
	BrokenAt int64  `json:"broken_at,omitempty"`
	Reason   string `json:"reason,omitempty"`
}

// VerifyAudit walks the whole audit chain in order and checks every link:
// sequence numbers without gaps, each PrevHash equal to the previous Hash,
// each Hash recomputed from the event's fields, and the recorded head equal
// to the last event. It names the first broken link. A broken chain is a
// report with OK false, not an error; errors are database failures.
func (s *Store) VerifyAudit(ctx context.Context) (AuditReport, error) {
	const op = "sqlstore.VerifyAudit"
	// One snapshot for the head and the events. SQLite's read transactions
	// are snapshots already (WAL); PostgreSQL needs repeatable read.
	txo := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		txo.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.r.BeginTx(ctx, txo)
	if err != nil {
		return AuditReport{}, internal(op, err)
	}
	defer func() { _ = tx.Rollback() }()
	var headSeq int64
	var headHash string
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return AuditReport{}, internal(op, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit_events ORDER BY seq`)
	if err != nil {
		return AuditReport{}, internal(op, err)
	}
	defer rows.Close()
	rep := AuditReport{Head: genesisHash}
	prev := genesisHash
	var last int64
	broken := func(seq int64, format string, args ...any) (AuditReport, error) {
		rep.OK, rep.BrokenAt, rep.Reason = false, seq, fmt.Sprintf(format, args...)
		return rep, nil
	}
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return AuditReport{}, internal(op, err)
		}
		switch {
		case e.Seq != last+1:
			return broken(last+1, "event %d is missing (next stored event is %d)", last+1, e.Seq)
		case e.PrevHash != prev:
			return broken(e.Seq, "event %d does not link to event %d: prev_hash %s, want %s", e.Seq, last, short(e.PrevHash), short(prev))
		case e.ComputeHash() != e.Hash:
			return broken(e.Seq, "event %d was altered: its fields hash to %s, stored hash is %s", e.Seq, short(e.ComputeHash()), short(e.Hash))
		}
		last, prev = e.Seq, e.Hash
		rep.Events++
	}
	if err := rows.Err(); err != nil {
		return AuditReport{}, internal(op, err)
	}
	rep.Head = prev
	if headSeq != last || headHash != prev {
		at := last + 1
		if headSeq < last {
			at = headSeq + 1
		}
		return broken(at, "the chain ends at event %d (%s) but its recorded head is event %d (%s): events were removed or forged", last, short(prev), headSeq, short(headHash))
	}
	rep.OK = true
	return rep, nil
}

func short(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

// History returns the audit events of one record, oldest first, if the
// actor's organisation may see the record (ssra.KindNotFound otherwise).
func (s *Store) History(ctx context.Context, by Actor, kind RecordKind, id string) ([]AuditEvent, error) {
	const op = "sqlstore.History"
	if _, err := s.Get(ctx, by, kind, id); err != nil {
		return nil, err
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT `+auditColumns+` FROM audit_events WHERE object_kind = ? AND object_id = ? ORDER BY seq`), kind.String(), id)
	if err != nil {
		return nil, internal(op, err)
	}
	defer rows.Close()
	var out []AuditEvent
	for rows.Next() {
		e, err := scanEvent(rows)
		if err != nil {
			return nil, internal(op, err)
		}
		out = append(out, e)
	}
	return out, internal(op, rows.Err())
}
