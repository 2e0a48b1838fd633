package sqlstore

import (
	"context"
	"crypto/ed25519"
	"database/sql"
	"database/sql/driver"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// Leaf is one entry of the transparency log (透明日志): one audited event,
// who did what to which object when, the version of the record it made and
// the SHA-256 digests of the object's canonical JSON before and after
// (empty when there was none). The leaf's bytes are its JSON as stored, and
// its hash in the Merkle tree is tlog.RecordHash of those bytes. ChainSeq
// and ChainHash are set on the leaves adopted from the hash chain that was
// the audit log before the transparency log: the event's number and hash
// there.
type Leaf struct {
	At           time.Time `json:"at"`
	ActorUser    string    `json:"actor_user"`
	ActorOrg     string    `json:"actor_org"`
	Action       string    `json:"action"`
	ObjectKind   string    `json:"object_kind"`
	ObjectID     string    `json:"object_id"`
	Version      int64     `json:"version"`
	BeforeDigest string    `json:"before_digest"`
	AfterDigest  string    `json:"after_digest"`
	ChainSeq     int64     `json:"chain_seq,omitempty"`
	ChainHash    string    `json:"chain_hash,omitempty"`
}

// ParseLeaf decodes a leaf's bytes as the log stores and serves them.
func ParseLeaf(data []byte) (Leaf, error) {
	var l Leaf
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&l); err != nil {
		return Leaf{}, fmt.Errorf("sqlstore: bad leaf: %w", err)
	}
	return l, nil
}

// AuditEvent is a leaf as the store lists it: Seq is its place in the
// queue of appended events (the order writes committed their events, per
// database), Index its place in the Merkle tree once the sequencer has
// integrated it, -1 while it is pending.
type AuditEvent struct {
	Seq   int64 `json:"seq"`
	Index int64 `json:"index"`
	Leaf
}

// LogOption configures the transparency log of a Store.
type LogOption func(*logConfig)

type logConfig struct {
	origin    string
	key       LogKey
	interval  time.Duration
	batch     int
	lease     time.Duration
	witnesses []note.Verifier
}

// DefaultOrigin is the checkpoint origin of a log whose server has no key.
const DefaultOrigin = "ssra.invalid/audit-log"

// WithLogKey makes the sequencer sign every checkpoint with the key; the
// log's origin is the key's name. Without a key checkpoints are unsigned
// and prove nothing to anyone who does not trust the database.
func WithLogKey(k LogKey) Option {
	return func(o *options) { o.log.key = k }
}

// WithLogOrigin names the log in unsigned checkpoints (default
// DefaultOrigin); a signed log is named by its key.
func WithLogOrigin(origin string) Option { return func(o *options) { o.log.origin = origin } }

// WithSequencer sets how often RunSequencer integrates pending leaves
// (default 200ms) and how many it integrates in one batch at most
// (default 2000); a full batch is integrated without waiting.
func WithSequencer(interval time.Duration, batch int) Option {
	return func(o *options) { o.log.interval, o.log.batch = interval, batch }
}

// LogKey is the key that signs the log's checkpoints: the signer, kept
// outside the database, and its public verifier.
type LogKey struct {
	Signer      note.Signer
	Verifier    note.Verifier
	VerifierKey string
}

// ParseLogKey parses a signer key as GenerateLogKey (and `ssrad logkey
// generate`) writes it, golang.org/x/mod/sumdb/note's Ed25519 format, and
// derives its verifier.
func ParseLogKey(skey string) (LogKey, error) {
	skey = strings.TrimSpace(skey)
	s, err := note.NewSigner(skey)
	if err != nil {
		return LogKey{}, fmt.Errorf("sqlstore: log key: %w", err)
	}
	// The verifier key is the public half of the signer key's Ed25519 seed
	// (PRIVATE+KEY+name+hash+base64(algorithm byte, seed)); NewSigner has
	// checked the format.
	parts := strings.SplitN(skey, "+", 5)
	raw, err := base64.StdEncoding.DecodeString(parts[4])
	if err != nil || len(raw) != 1+ed25519.SeedSize {
		return LogKey{}, errors.New("sqlstore: log key: not an Ed25519 key")
	}
	pub := ed25519.NewKeyFromSeed(raw[1:]).Public().(ed25519.PublicKey)
	vkey, err := note.NewEd25519VerifierKey(s.Name(), pub)
	if err != nil {
		return LogKey{}, fmt.Errorf("sqlstore: log key: %w", err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return LogKey{}, fmt.Errorf("sqlstore: log key: %w", err)
	}
	return LogKey{Signer: s, Verifier: v, VerifierKey: vkey}, nil
}

// GenerateLogKey returns a new Ed25519 signer key and its verifier key for
// a log of the given origin (a name such as "example.gov.cn/ssra-audit").
func GenerateLogKey(rand io.Reader, origin string) (skey, vkey string, err error) {
	return note.GenerateKey(rand, origin)
}

// transparency is a Store's log state: its key and the sequencer's cache
// of stored hashes, which never change once written.
type transparency struct {
	cfg    logConfig
	mu     sync.Mutex // one batch at a time in this process
	cache  map[int64]tlog.Hash
	size   int64 // the tree's size after this process's last batch
	queued atomic.Int64
	kick   chan struct{}
}

func newTransparency(cfg logConfig) *transparency {
	if cfg.interval <= 0 {
		cfg.interval = 200 * time.Millisecond
	}
	if cfg.batch <= 0 {
		cfg.batch = 2000
	}
	if cfg.lease <= 0 {
		cfg.lease = leaseIntervals * cfg.interval
	}
	t := &transparency{cfg: cfg, cache: map[int64]tlog.Hash{}, kick: make(chan struct{}, 1)}
	if cfg.key.Signer != nil {
		t.cfg.origin = cfg.key.Signer.Name()
	}
	if t.cfg.origin == "" {
		t.cfg.origin = DefaultOrigin
	}
	return t
}

// queuedLeaves tells the sequencer that n leaves were committed, waking it
// when a batch is full.
func (t *transparency) queuedLeaves(n int) {
	if t.queued.Add(int64(n)) >= int64(t.cfg.batch) {
		select {
		case t.kick <- struct{}{}:
		default:
		}
	}
}

// Origin returns the log's origin, the first line of its checkpoints.
func (s *Store) Origin() string { return s.log.cfg.origin }

// Signed reports whether the store signs its checkpoints.
func (s *Store) Signed() bool { return s.log.cfg.key.Signer != nil }

// appendLeaf queues one leaf in the writer's transaction: it waits in
// audit_queue until the sequencer moves it into audit_leaves with its
// index (migration 0019).
func (w *Tx) appendLeaf(ctx context.Context, l Leaf) error {
	data, err := json.Marshal(l)
	if err != nil {
		return internal("sqlstore.audit", err)
	}
	if err := w.tx.send(ctx, w.s.q(`INSERT INTO audit_queue (object_kind, object_id, version, data) VALUES (?, ?, ?, ?)`),
		[]any{l.ObjectKind, l.ObjectID, l.Version, string(data)},
		func(_ int64, err error) error { return internal("sqlstore.audit", err) }); err != nil {
		return err
	}
	w.leaves++
	return nil
}

// sequencerLock is the PostgreSQL advisory lock held by the transaction
// that integrates a batch: one sequencer at a time across all instances.
const sequencerLock = 7350413

// Sequence integrates every pending leaf into the tree, in batches, each
// ending with a checkpoint, and returns how many it integrated. Another
// server holding the sequencer's turn on PostgreSQL is not an error: its
// batch integrates the leaves instead.
func (s *Store) Sequence(ctx context.Context) (int, error) {
	return s.sequence(ctx, false, nil, 0)
}

// sequence is Sequence; wait says whether a batch waits for the
// sequencer's lock on PostgreSQL (RunSequencer) instead of leaving the
// turn to whoever holds it, conn is the sequencer's own PostgreSQL
// connection (nil: one from the pool) and epoch the lease's epoch it
// leads under (0: it does not lead, as in Sequence and Drain).
func (s *Store) sequence(ctx context.Context, wait bool, conn *sql.Conn, epoch int64) (int, error) {
	total := 0
	for {
		n, err := s.integrate(ctx, wait, conn, epoch)
		total += n
		if errors.Is(err, errSequencerBusy) {
			return total, nil // another sequencer integrates them
		}
		if err != nil || n < s.log.cfg.batch {
			return total, err
		}
	}
}

// errSequencerBusy says that another transaction holds the sequencer's
// lock (PostgreSQL): another instance's sequencer, or a batch of this
// one's that was cancelled and whose rollback has not yet reached the
// server.
var errSequencerBusy = errors.New("the sequencer's lock is held by another transaction")

// Drain integrates every leaf pending when it is called before it
// returns, for a clean stop: where another transaction holds the
// sequencer's lock it waits and tries again, until a batch has taken
// every leaf pending when it began (fewer than a full batch) or ctx ends
// (then it returns ctx's error, and the leaves left are integrated by the
// next sequencer to run). Leaves other instances commit meanwhile are
// their sequencer's: a Drain that ran batches until one found nothing
// pending ran beside that sequencer for as long as the others wrote.
func (s *Store) Drain(ctx context.Context) error {
	for {
		n, err := s.integrate(ctx, false, nil, 0)
		switch {
		case errors.Is(err, errSequencerBusy):
			select {
			case <-ctx.Done():
				return fmt.Errorf("sqlstore.Drain: leaves still pending: %w", ctx.Err())
			case <-time.After(20 * time.Millisecond):
			}
		case err != nil:
			return err
		case n < s.log.cfg.batch:
			return nil
		}
	}
}

// RunSequencer integrates pending leaves every interval (or at once when a
// batch is full) until ctx ends, and folds the casework rollup's pending
// differences (FoldRollup) as often, in a loop of its own so that a slow
// fold never delays a batch. Errors are passed to report (from either
// loop, so report must be safe for concurrent use) and retried at the
// next turn.
//
// On PostgreSQL one instance leads: of the instances sharing a database,
// the sequencer that holds the session-level advisory lock leaderLock on
// a connection of its own runs the turns and the folds, and every other
// one stands by, asking for the lock once an interval. A batch reads
// every pending leaf, whichever instance wrote it, so one leader
// integrates them all; when several instances each ran their own turns,
// each turn waited for the others' and found half the leaves, and every
// instance repeated the per-batch work (the lock, the read ahead of the
// hashes the others wrote, a signed checkpoint, a fold). When the
// leader's session ends (a stop, a crash, a broken connection, or a
// failed turn, after which the leader gives its connection up) the
// server releases the lock and a standby takes it within an interval.
// The per-batch transaction lock stays, so that Drain and Sequence,
// which run beside the leader, never integrate the same leaves at once
// with it.
//
// The lead is also a lease (WithSequencerLease, table sequencer_lease),
// for a leader whose session does not end: a process stopped or stuck,
// or whose network path has gone silent, keeps its connection open and
// would keep the lock, and no leaf would be integrated. Taking the lock
// claims the lease in the same statement, with the session's pid and a
// new epoch; every turn of the leader renews it inside the turn's own
// transaction, by the database's clock (no statement on a write, no
// round trip on a turn). A standby that finds the lock held by the
// session the lease names, with the lease older than its length by the
// database's clock, ends that session (pg_terminate_backend) and takes
// the lock when the server has released it. Every turn's renewal requires
// the epoch the leader took the lead with, in the transaction that
// integrates and signs, so that a batch of a leader that was replaced
// fails before it writes anything (it gives its connection up and stands
// by); the lock alone already keeps two sessions from leading at once,
// since the lock goes only with the ended session, and its transaction
// with it. What the lease does not do: it does not tell a hung leader
// from a slow one (a leader whose turn outlasts about the lease less an
// interval is ended too, its batch rolled back: nothing is lost but the
// work); it cannot end a session the standby's PostgreSQL role may
// not signal (another role's, without pg_signal_backend, or a
// superuser's), which it reports and tries again every interval while
// the lead stays put; a leader of an earlier version, which keeps no
// lease, is never ended; and a replaced leader whose own connection is
// silent learns it only when that connection fails, standing by from
// then on. Folds (FoldRollup) are not fenced by the epoch: they take a
// transaction lock of their own.
func (s *Store) RunSequencer(ctx context.Context, report func(error)) {
	if s.dialect != Postgres {
		every(ctx, s.log.cfg.interval, s.log.kick, func() {
			s.log.queued.Store(0)
			if _, err := s.sequence(ctx, true, nil, 0); err != nil && ctx.Err() == nil && report != nil {
				report(err)
			}
		})
		return
	}
	for ctx.Err() == nil {
		own, epoch, err := s.lead(ctx, report)
		if err != nil {
			if ctx.Err() == nil && report != nil {
				report(err)
			}
			// The database may be down: try again an interval later.
			select {
			case <-ctx.Done():
			case <-time.After(s.log.cfg.interval):
			}
			continue
		}
		s.runLeader(ctx, own, epoch, report)
		discard(own)
	}
}

// leaderLock is the PostgreSQL advisory lock that the leading instance's
// sequencer holds for as long as its session lasts (RunSequencer).
const leaderLock = 7350416

// runLeader runs the leader's turns on own and its folds until ctx ends
// or a turn fails (own may then be broken or inside a transaction, and
// the caller gives it up, and with it the lead).
func (s *Store) runLeader(ctx context.Context, own *sql.Conn, epoch int64, report func(error)) {
	lctx, stop := context.WithCancel(ctx)
	defer stop()
	folded := make(chan struct{})
	go func() {
		defer close(folded)
		s.runFolds(lctx, report)
	}()
	defer func() { <-folded }()
	every(lctx, s.log.cfg.interval, s.log.kick, func() {
		s.log.queued.Store(0)
		if _, err := s.sequence(lctx, true, own, epoch); err != nil {
			if ctx.Err() == nil && report != nil {
				report(err)
			}
			stop()
		}
	})
}

// discard closes a connection for good: its session ends, and with it
// any advisory lock it holds. (Closing a sql.Conn would hand the session
// back to the pool.)
func discard(c *sql.Conn) {
	_ = c.Raw(func(any) error { return driver.ErrBadConn })
	_ = c.Close()
}

// every calls turn every interval, and at once on kick (nil: never),
// until ctx ends.
func every(ctx context.Context, interval time.Duration, kick <-chan struct{}, turn func()) {
	tick := time.NewTicker(interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-kick:
		}
		turn()
	}
}

// runFolds runs FoldRollup every interval until ctx ends (on PostgreSQL
// only: SQLite has no pending differences).
func (s *Store) runFolds(ctx context.Context, report func(error)) {
	every(ctx, s.log.cfg.interval, nil, func() {
		if _, err := s.FoldRollup(ctx); err != nil && ctx.Err() == nil && report != nil {
			report(err)
		}
	})
}

type pendingLeaf struct {
	seq  int64
	data []byte
}

// integrate runs one batch: it takes the pending leaves in queue order,
// gives them the next indexes, stores tlog's hashes for them and a
// checkpoint of the new tree, in one transaction.
func (s *Store) integrate(ctx context.Context, wait bool, conn *sql.Conn, epoch int64) (int, error) {
	t := s.log
	t.mu.Lock()
	defer t.mu.Unlock()
	if s.dialect == Postgres {
		return s.integratePipelined(ctx, wait, conn, epoch)
	}
	const op = "sqlstore.Sequence"
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, internal(op, err)
	}
	defer func() { _ = tx.Rollback() }()
	var size int64
	if err := tx.QueryRowContext(ctx, `SELECT size FROM audit_tree WHERE id = 1`).Scan(&size); err != nil {
		return 0, internal(op, err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, data FROM audit_queue ORDER BY seq LIMIT ?`, t.cfg.batch)
	if err != nil {
		return 0, internal(op, err)
	}
	var batch []pendingLeaf
	for rows.Next() {
		var p pendingLeaf
		var data string
		if err := rows.Scan(&p.seq, &data); err != nil {
			rows.Close()
			return 0, internal(op, err)
		}
		p.data = []byte(data)
		batch = append(batch, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, internal(op, err)
	}
	if len(batch) == 0 {
		return 0, nil
	}
	g, err := s.grow(size, batch, s.hashReader(ctx, tx))
	if err != nil {
		return 0, internal(op, err)
	}
	// Each leaf moves from the queue into the log with its index.
	move, err := tx.PrepareContext(ctx, `INSERT INTO audit_leaves (seq, idx, object_kind, object_id, version, data)
		SELECT seq, ?, object_kind, object_id, version, data FROM audit_queue WHERE seq = ?`)
	if err != nil {
		return 0, internal(op, err)
	}
	defer move.Close()
	for i, p := range batch {
		res, err := move.ExecContext(ctx, size+int64(i), p.seq)
		if err != nil {
			return 0, internal(op, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			return 0, internal(op, fmt.Errorf("pending leaf %d was not moved into the log (%d rows, %v)", p.seq, n, err))
		}
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM audit_queue WHERE seq <= ?`, batch[len(batch)-1].seq); err != nil {
		return 0, internal(op, err)
	}
	ins, err := tx.PrepareContext(ctx, `INSERT INTO audit_hashes (id, hash) VALUES (?, ?)`)
	if err != nil {
		return 0, internal(op, err)
	}
	defer ins.Close()
	for i, id := range g.ids {
		if _, err := ins.ExecContext(ctx, id, g.hashes[i]); err != nil {
			return 0, internal(op, err)
		}
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO audit_checkpoints (size, root, note, signed, created_at) VALUES (?, ?, ?, ?, ?)`,
		g.size, g.root[:], string(g.note), s.bv(g.signed), s.tv(s.stamp())); err != nil {
		return 0, internal(op, err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE audit_tree SET size = ? WHERE id = 1`, g.size); err != nil {
		return 0, internal(op, err)
	}
	if err := tx.Commit(); err != nil {
		return 0, internal(op, err)
	}
	t.remember(g.overlay, g.size)
	return len(batch), nil
}

// prefetchHashes is the most stored hashes a PostgreSQL batch reads ahead
// with its pending leaves: those written since this process's last batch
// (by other instances), which hold the tree's right edge. A longer gap
// is read as tlog asks for it.
const prefetchHashes = 4096

// integratePipelined is integrate on PostgreSQL in two round trips: BEGIN,
// the sequencer's lock, the tree's size, the pending leaves and the
// stored hashes written since this process's last batch travel as one
// pipeline; the leaves' indexes, their hashes, the checkpoint, the tree's
// new size and COMMIT as another. Each statement of a pipeline takes its
// snapshot when it starts, after the lock is held, so the reads see every
// batch committed before. With wait, the lock is waited for; without, a
// lock held elsewhere is errSequencerBusy. A batch runs on conn, or on a
// connection from the pool when conn is nil.
//
// A leader's batch (epoch not 0) also renews the sequencer's lease in its
// first pipeline, on condition that the lease's epoch is still epoch
// (guardOne): a leader replaced meanwhile gets errFenced there, before
// anything is written, and its transaction is rolled back. A leader's
// batch that finds nothing pending commits the renewal alone (without
// waiting for its flush: a renewal lost in a crash only makes the lease
// look older, and a crash ends the session anyway), where any other batch
// rolls back.
func (s *Store) integratePipelined(ctx context.Context, wait bool, conn *sql.Conn, epoch int64) (n int, err error) {
	const op = "sqlstore.Sequence"
	t := s.log
	keep := conn != nil
	if !keep {
		if conn, err = s.w.Conn(ctx); err != nil {
			return 0, internal(op, err)
		}
	}
	p := &pipeTx{conn: conn, began: true, keep: keep} // BEGIN goes first in the read below
	defer func() {
		if rerr := p.release(); rerr != nil && keep {
			n, err = 0, internal(op, rerr) // the owner must not use conn again
		}
	}()
	lock := `SELECT pg_try_advisory_xact_lock(` + strconv.Itoa(sequencerLock) + `)`
	if wait {
		lock = `SELECT true FROM pg_advisory_xact_lock(` + strconv.Itoa(sequencerLock) + `)`
	}
	var (
		mine  bool
		size  int64
		batch []pendingLeaf
		ahead = map[int64]tlog.Hash{}
	)
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("the PostgreSQL driver connection is a %T, not pgx's", dc)
		}
		var b pgx.Batch
		b.Queue(`BEGIN`)
		b.Queue(lock)
		if epoch != 0 {
			b.Queue(s.guardOne(`UPDATE sequencer_lease SET renewed = clock_timestamp() WHERE id = 1 AND epoch = $1`), epoch)
		}
		b.Queue(`SELECT size FROM audit_tree WHERE id = 1`)
		b.Queue(`SELECT seq, data FROM audit_queue ORDER BY seq LIMIT $1`, t.cfg.batch)
		if t.size > 0 {
			b.Queue(`SELECT id, hash FROM audit_hashes WHERE id >= $1 ORDER BY id LIMIT $2`, tlog.StoredHashCount(t.size), prefetchHashes)
		}
		br := sc.Conn().SendBatch(ctx, &b)
		defer br.Close()
		if _, err := br.Exec(); err != nil {
			return err
		}
		if err := br.QueryRow().Scan(&mine); err != nil {
			return err
		}
		if epoch != 0 {
			if _, err := br.Exec(); err != nil {
				if isGuardFailure(err) {
					return errFenced
				}
				return err
			}
		}
		if err := br.QueryRow().Scan(&size); err != nil {
			return err
		}
		rows, err := br.Query()
		if err != nil {
			return err
		}
		for rows.Next() {
			var l pendingLeaf
			if err := rows.Scan(&l.seq, &l.data); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, l)
		}
		if rows.Close(); rows.Err() != nil {
			return rows.Err()
		}
		if t.size > 0 {
			rows, err := br.Query()
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				var h []byte
				if err := rows.Scan(&id, &h); err != nil {
					rows.Close()
					return err
				}
				if len(h) == tlog.HashSize {
					ahead[id] = tlog.Hash(h)
				}
			}
			if rows.Close(); rows.Err() != nil {
				return rows.Err()
			}
		}
		return br.Close()
	})
	if err != nil {
		return 0, internal(op, err)
	}
	if !mine {
		return 0, errSequencerBusy
	}
	// Hashes read from the database were committed and never change. The
	// next read ahead starts after these unless they were cut short.
	known := t.size
	if known > 0 && len(ahead) < prefetchHashes {
		known = size
	}
	t.remember(ahead, known)
	if len(batch) == 0 {
		if epoch != 0 {
			_ = p.send(ctx, `SET LOCAL synchronous_commit TO off`, nil, func(_ int64, err error) error { return err })
			if err := p.commit(ctx); err != nil {
				return 0, internal(op, err)
			}
		}
		return 0, nil
	}
	g, err := s.grow(size, batch, s.hashReader(ctx, p))
	if err != nil {
		return 0, internal(op, err)
	}
	seqs := make([]int64, len(batch))
	idxs := make([]int64, len(batch))
	for i, l := range batch {
		seqs[i], idxs[i] = l.seq, size+int64(i)
	}
	// The leaves move from the queue into the log with their indexes: in
	// first, then out of the queue (whose trigger lets a leaf go only once
	// it is in the log). They must all be queued still and the tree of the
	// size read: a statement that finds otherwise fails (the divisions by
	// zero below, guardOne), so the COMMIT sent after it does not commit.
	fail := func(_ int64, err error) error { return err }
	_ = p.send(ctx, `WITH logged AS (INSERT INTO audit_leaves (seq, idx, object_kind, object_id, version, data)
			SELECT q.seq, v.idx, q.object_kind, q.object_id, q.version, q.data
			FROM audit_queue q JOIN unnest($1::bigint[], $2::bigint[]) AS v(seq, idx) ON q.seq = v.seq RETURNING 1)
		SELECT 1 / (COUNT(*) / $3) FROM logged`, []any{seqs, idxs, len(batch)}, fail)
	_ = p.send(ctx, `WITH gone AS (DELETE FROM audit_queue WHERE seq = ANY($1::bigint[]) RETURNING 1)
		SELECT 1 / (COUNT(*) / $2) FROM gone`, []any{seqs, len(batch)}, fail)
	_ = p.send(ctx, `INSERT INTO audit_hashes (id, hash) SELECT * FROM unnest($1::bigint[], $2::bytea[])`, []any{g.ids, g.hashes}, fail)
	var term any // the leader's epoch, NULL outside its turns
	if epoch != 0 {
		term = epoch
	}
	_ = p.send(ctx, `INSERT INTO audit_checkpoints (size, root, note, signed, created_at, leader_epoch) VALUES ($1, $2, $3, $4, $5, $6)`,
		[]any{g.size, g.root[:], string(g.note), g.signed, s.stamp(), term}, fail)
	_ = p.send(ctx, s.guardOne(`UPDATE audit_tree SET size = $1 WHERE id = 1 AND size = $2`), []any{g.size, size}, fail)
	if err := p.commit(ctx); err != nil {
		return 0, internal(op, err)
	}
	t.remember(g.overlay, g.size)
	return len(batch), nil
}

// grown is a batch's growth of the tree: the stored hashes it adds (ids
// and hashes, and by index in overlay), the new size and root, and the
// checkpoint note of the new tree.
type grown struct {
	ids     []int64
	hashes  [][]byte
	overlay map[int64]tlog.Hash
	size    int64
	root    tlog.Hash
	note    []byte
	signed  bool
}

// grow appends batch to the tree of the given size, reading its stored
// hashes through hr (after the sequencer's cache), and makes the new
// tree's checkpoint.
func (s *Store) grow(size int64, batch []pendingLeaf, hr *dbHashes) (grown, error) {
	g := grown{overlay: map[int64]tlog.Hash{}, size: size + int64(len(batch))}
	hr.overlay, hr.cache = g.overlay, s.log.cache
	for i, p := range batch {
		n := size + int64(i)
		hs, err := tlog.StoredHashes(n, p.data, hr)
		if err != nil {
			return grown{}, err
		}
		base := tlog.StoredHashIndex(0, n)
		for j, h := range hs {
			g.overlay[base+int64(j)] = h
			g.ids = append(g.ids, base+int64(j))
			g.hashes = append(g.hashes, h[:])
		}
	}
	var err error
	if g.root, err = tlog.TreeHash(g.size, hr); err != nil {
		return grown{}, err
	}
	g.note, g.signed, err = s.checkpoint(g.size, g.root)
	return g, err
}

// checkpoint formats the C2SP checkpoint of a tree and signs it when the
// store has a key.
func (s *Store) checkpoint(size int64, root tlog.Hash) ([]byte, bool, error) {
	text := log.Checkpoint{Origin: s.log.cfg.origin, Size: uint64(size), Hash: root[:]}.Marshal()
	if s.log.cfg.key.Signer == nil {
		return text, false, nil
	}
	signed, err := note.Sign(&note.Note{Text: string(text)}, s.log.cfg.key.Signer)
	return signed, true, err
}

// remember keeps stored hashes the sequencer wrote or read (the next
// batch needs the tree's right edge, and stored hashes never change) and
// the size of the tree they reach.
func (t *transparency) remember(hs map[int64]tlog.Hash, size int64) {
	if len(t.cache) > 1<<16 {
		clear(t.cache)
	}
	for k, v := range hs {
		t.cache[k] = v
	}
	t.size = size
}

// dbHashes reads tlog's stored hashes from the database, from a batch's
// own overlay first and the sequencer's cache next (both nil outside the
// sequencer).
type dbHashes struct {
	ctx     context.Context
	s       *Store
	q       querier
	overlay map[int64]tlog.Hash
	cache   map[int64]tlog.Hash
}

func (s *Store) hashReader(ctx context.Context, q querier) *dbHashes {
	return &dbHashes{ctx: ctx, s: s, q: q}
}

// ReadHashes implements tlog.HashReader.
func (r *dbHashes) ReadHashes(indexes []int64) ([]tlog.Hash, error) {
	out := make([]tlog.Hash, len(indexes))
	var missing []int64
	at := map[int64][]int{}
	for i, x := range indexes {
		if h, ok := r.overlay[x]; ok {
			out[i] = h
			continue
		}
		if h, ok := r.cache[x]; ok {
			out[i] = h
			continue
		}
		if _, seen := at[x]; !seen {
			missing = append(missing, x)
		}
		at[x] = append(at[x], i)
	}
	for len(missing) > 0 {
		chunk := missing[:min(len(missing), 500)]
		missing = missing[len(chunk):]
		ph := strings.TrimSuffix(strings.Repeat("?, ", len(chunk)), ", ")
		args := make([]any, len(chunk))
		for i, x := range chunk {
			args[i] = x
		}
		rows, err := r.q.QueryContext(r.ctx, r.s.q(`SELECT id, hash FROM audit_hashes WHERE id IN (`+ph+`)`), args...)
		if err != nil {
			return nil, err
		}
		found := 0
		for rows.Next() {
			var id int64
			var b []byte
			if err := rows.Scan(&id, &b); err != nil {
				rows.Close()
				return nil, err
			}
			if len(b) != tlog.HashSize {
				rows.Close()
				return nil, fmt.Errorf("stored hash %d has %d bytes", id, len(b))
			}
			for _, i := range at[id] {
				copy(out[i][:], b)
			}
			found++
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if found != len(chunk) {
			return nil, errors.New("the log's stored hashes are incomplete")
		}
	}
	return out, nil
}

// LatestCheckpoint returns the checkpoint of the largest tree; before the
// first batch it is the empty tree's, unsigned and not stored.
func (s *Store) LatestCheckpoint(ctx context.Context) (store.Checkpoint, error) {
	const op = "sqlstore.LatestCheckpoint"
	var c store.Checkpoint
	var root []byte
	var n string
	var signed any
	err := s.r.QueryRowContext(ctx, `SELECT size, root, note, signed FROM audit_checkpoints ORDER BY size DESC LIMIT 1`).Scan(&c.Size, &root, &n, &signed)
	if errors.Is(err, sql.ErrNoRows) {
		text := log.Checkpoint{Origin: s.log.cfg.origin, Size: 0, Hash: c.Root[:]}.Marshal()
		return store.Checkpoint{Note: text}, nil
	}
	if err != nil {
		return store.Checkpoint{}, internal(op, err)
	}
	copy(c.Root[:], root)
	c.Note, c.Signed = []byte(n), truthy(signed)
	return c, nil
}

func truthy(v any) bool {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	}
	return false
}

// ProveRecord returns the inclusion proof of the leaf that made version
// of record id, in the latest checkpoint, if the actor's organisation may
// see the record. A record the actor may not see is ssra.KindNotFound, so
// is a version whose leaf the sequencer has not integrated yet.
func (s *Store) ProveRecord(ctx context.Context, by ssra.Actor, id string, version int64) (store.InclusionProof, error) {
	const op = "sqlstore.ProveRecord"
	if err := checkActor(op, by); err != nil {
		return store.InclusionProof{}, err
	}
	var kind string
	var idx sql.NullInt64
	var data string
	err := s.r.QueryRowContext(ctx, s.q(`SELECT object_kind, idx, data FROM (
		SELECT seq, object_kind, idx, data FROM audit_leaves WHERE object_id = ? AND version = ?
		UNION ALL SELECT seq, object_kind, NULL, data FROM audit_queue WHERE object_id = ? AND version = ?) l ORDER BY seq LIMIT 1`),
		id, version, id, version).Scan(&kind, &idx, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return store.InclusionProof{}, ssra.Errorf(ssra.KindNotFound, op, "no record %q at version %d", id, version)
	}
	if err != nil {
		return store.InclusionProof{}, internal(op, err)
	}
	var k store.RecordKind
	if k.UnmarshalText([]byte(kind)) != nil || version < 1 {
		return store.InclusionProof{}, ssra.Errorf(ssra.KindNotFound, op, "no record %q at version %d", id, version)
	}
	if _, err := s.Get(ctx, by, k, id); err != nil {
		return store.InclusionProof{}, err
	}
	if !idx.Valid {
		return store.InclusionProof{}, ssra.Errorf(ssra.KindNotFound, op, "record %q at version %d is not in the log yet: ask again in a second", id, version)
	}
	cp, err := s.LatestCheckpoint(ctx)
	if err != nil {
		return store.InclusionProof{}, err
	}
	p, err := tlog.ProveRecord(cp.Size, idx.Int64, s.hashReader(ctx, s.r))
	if err != nil {
		return store.InclusionProof{}, internal(op, err)
	}
	return store.InclusionProof{Index: idx.Int64, Leaf: []byte(data), TreeSize: cp.Size, Proof: p, Checkpoint: cp.Note}, nil
}

// ProveConsistency returns the proof that the tree of size to extends the
// tree of size from (tlog.CheckTree takes it). Sizes outside 1 ≤ from ≤ to
// ≤ the latest checkpoint's are ssra.KindInvalid.
func (s *Store) ProveConsistency(ctx context.Context, from, to int64) (tlog.TreeProof, error) {
	const op = "sqlstore.ProveConsistency"
	cp, err := s.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	var ps ssra.Problems
	if from < 1 || from > to {
		ps.Add("out_of_range", "from", "must be at least 1 and at most to (%d)", to)
	}
	if to > cp.Size {
		ps.Add("out_of_range", "to", "must be at most the latest checkpoint's size %d", cp.Size)
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	p, err := tlog.ProveTree(to, from, s.hashReader(ctx, s.r))
	if err != nil {
		return nil, internal(op, err)
	}
	return p, nil
}

// Tile returns the data of one hash tile of the tree (tlog's tile path,
// such as "tile/8/0/001.p/5"), as an auditor fetches the tree to check a
// checkpoint. Tiles hold hashes only; leaf data tiles are not served. A
// malformed path, a data tile or a tile beyond the latest checkpoint is
// ssra.KindNotFound.
func (s *Store) Tile(ctx context.Context, path string) ([]byte, error) {
	const op = "sqlstore.Tile"
	t, err := tlog.ParseTilePath(path)
	if err != nil || t.L < 0 {
		return nil, ssra.Errorf(ssra.KindNotFound, op, "no hash tile %q", path)
	}
	cp, err := s.LatestCheckpoint(ctx)
	if err != nil {
		return nil, err
	}
	// The tile's last hash at level t.L*t.H covers leaves up to this end.
	end := (t.N<<uint(t.H) + int64(t.W)) << uint(t.L*t.H)
	if end > cp.Size {
		return nil, ssra.Errorf(ssra.KindNotFound, op, "tile %q is beyond the tree of size %d", path, cp.Size)
	}
	data, err := tlog.ReadTileData(t, s.hashReader(ctx, s.r))
	if err != nil {
		return nil, internal(op, err)
	}
	return data, nil
}

// LeafIndex returns the index of the leaf that made version of record id,
// and false while the leaf is pending (or there is none).
func (s *Store) LeafIndex(ctx context.Context, id string, version int64) (int64, bool, error) {
	var idx sql.NullInt64
	err := s.r.QueryRowContext(ctx, s.q(`SELECT idx FROM audit_leaves WHERE object_id = ? AND version = ? ORDER BY seq LIMIT 1`), id, version).Scan(&idx)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, internal("sqlstore.LeafIndex", err)
	}
	return idx.Int64, idx.Valid, nil
}
