package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// The hash chain of migration 0001 was the audit log before the
// transparency log. Its events are adopted as the first leaves, once,
// after the whole chain has been verified; nothing writes it any more.

// genesisHash is the prev_hash of the chain's first event.
const genesisHash = "0000000000000000000000000000000000000000000000000000000000000000"

// chainEvent is one event of the chain: Hash covers every other field and
// PrevHash, so that changing, removing or reordering an event breaks the
// chain at that event.
type chainEvent struct {
	Seq          int64
	At           time.Time
	ActorUser    string
	ActorOrg     string
	Action       string
	ObjectKind   string
	ObjectID     string
	BeforeDigest string
	AfterDigest  string
	PrevHash     string
	Hash         string
}

// computeHash returns the hash the event should carry: SHA-256 over its
// fields, each length-prefixed, and PrevHash.
func (e chainEvent) computeHash() string {
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

// readChain reads the whole chain in order and checks every link: sequence
// numbers without gaps, each PrevHash equal to the previous Hash, each Hash
// recomputed from the event's fields, and the recorded head equal to the
// last event. A broken chain is an error naming the first broken link.
func readChain(ctx context.Context, tx *sql.Tx) ([]chainEvent, error) {
	var headSeq int64
	var headHash string
	if err := tx.QueryRowContext(ctx, `SELECT seq, hash FROM audit_head WHERE id = 1`).Scan(&headSeq, &headHash); err != nil {
		return nil, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, at, actor_user, actor_org, action, object_kind, object_id, before_digest, after_digest, prev_hash, hash
		FROM audit_events ORDER BY seq`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []chainEvent
	prev := genesisHash
	var last int64
	for rows.Next() {
		var e chainEvent
		var at instant
		if err := rows.Scan(&e.Seq, &at, &e.ActorUser, &e.ActorOrg, &e.Action, &e.ObjectKind, &e.ObjectID,
			&e.BeforeDigest, &e.AfterDigest, &e.PrevHash, &e.Hash); err != nil {
			return nil, err
		}
		e.At = at.t
		switch {
		case e.Seq != last+1:
			return nil, fmt.Errorf("event %d is missing (next stored event is %d)", last+1, e.Seq)
		case e.PrevHash != prev:
			return nil, fmt.Errorf("event %d does not link to event %d", e.Seq, last)
		case e.computeHash() != e.Hash:
			return nil, fmt.Errorf("event %d was altered: its fields do not hash to its stored hash", e.Seq)
		}
		last, prev = e.Seq, e.Hash
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if headSeq != last || headHash != prev {
		return nil, fmt.Errorf("the chain ends at event %d but its recorded head is event %d: events were removed or forged", last, headSeq)
	}
	return out, nil
}

// adoptChain makes the chain's events the first leaves of the log, once:
// it verifies the chain and refuses a broken one, so that the log never
// vouches for a history that was already rewritten. The record versions
// the events made are counted per record from its creation: every event of
// a record but a share made a version.
func (s *Store) adoptChain(ctx context.Context) error {
	const op = "sqlstore.Migrate"
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return internal(op, err)
	}
	defer func() { _ = tx.Rollback() }()
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+strconv.Itoa(migrationLock)+`)`); err != nil {
			return internal(op, err)
		}
	}
	var adopted any
	if err := tx.QueryRowContext(ctx, `SELECT adopted FROM audit_tree WHERE id = 1`).Scan(&adopted); err != nil {
		return internal(op, err)
	}
	if truthy(adopted) {
		return nil
	}
	chain, err := readChain(ctx, tx)
	if err != nil {
		return ssra.Wrap(ssra.KindInternal, op, err, "the audit chain does not verify, so it is not adopted into the transparency log")
	}
	w := &Tx{s: s, tx: &stmtTx{Tx: tx}, by: System}
	versions := map[string]int64{}
	for _, e := range chain {
		var k store.RecordKind
		version := int64(0)
		if k.UnmarshalText([]byte(e.ObjectKind)) == nil && !strings.HasPrefix(e.Action, "record.share:") {
			versions[e.ObjectID]++
		}
		if k.Valid() {
			version = versions[e.ObjectID]
		}
		if err := w.appendLeaf(ctx, Leaf{
			At: e.At, ActorUser: e.ActorUser, ActorOrg: e.ActorOrg, Action: e.Action,
			ObjectKind: e.ObjectKind, ObjectID: e.ObjectID, Version: version,
			BeforeDigest: e.BeforeDigest, AfterDigest: e.AfterDigest, ChainSeq: e.Seq, ChainHash: e.Hash,
		}); err != nil {
			return err
		}
	}
	if _, err := tx.ExecContext(ctx, s.q(`UPDATE audit_tree SET adopted = ? WHERE id = 1`), s.bv(true)); err != nil {
		return internal(op, err)
	}
	return internal(op, tx.Commit())
}
