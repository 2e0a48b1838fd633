package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/stdlib"
)

// txRunner is what an audited transaction's statements run on: SQLite's
// transaction on the one writer connection (stmtTx), or a PostgreSQL
// connection whose statements travel in pipelines (pipeTx).
type txRunner interface {
	querier
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	// send runs a statement whose result nothing later in the
	// transaction reads; check turns its rows affected or its error into
	// the transaction's error (nil to go on). SQLite runs it at once and
	// returns check's answer. PostgreSQL keeps it and sends it with the
	// transaction's next read or its commit, in one round trip: a failure
	// then surfaces there, as check's answer, and nothing after the
	// failed statement runs.
	send(ctx context.Context, query string, args []any, check func(rows int64, err error) error) error
	// queryRow runs a query of at most one row and hands the row to scan
	// (sql.ErrNoRows when there is none); on PostgreSQL the statements
	// sent before it travel with it.
	queryRow(ctx context.Context, query string, args []any, scan func(rowScanner) error) error
	// commit makes the transaction's changes durable.
	commit(ctx context.Context) error
	// rollback ends a transaction that did not commit, and releases it
	// either way.
	rollback()
	// failure is the error to report for fn's error err: err, unless a
	// failed statement's error reached no caller (a later statement of
	// the aborted transaction then fails only because of it).
	failure(err error) error
}

// send on SQLite runs the statement now.
func (t *stmtTx) send(ctx context.Context, query string, args []any, check func(int64, error) error) error {
	res, err := t.ExecContext(ctx, query, args...)
	var n int64
	if err == nil {
		n, err = res.RowsAffected()
	}
	return check(n, err)
}

// queryRow on SQLite runs the query through the writer's cached statement.
func (t *stmtTx) queryRow(ctx context.Context, query string, args []any, scan func(rowScanner) error) error {
	return scan(t.QueryRowContext(ctx, query, args...))
}

func (t *stmtTx) commit(context.Context) error { return t.Tx.Commit() }
func (t *stmtTx) rollback()                    { _ = t.Tx.Rollback() }
func (t *stmtTx) failure(err error) error      { return err }

// pipeTx is a PostgreSQL transaction that spends as few round trips as its
// reads allow. Statements whose results nothing waits for are kept and
// sent together with the next read, or with the commit, as one pipeline
// (pgx's batch: one write to the server, one Sync, one wait). BEGIN is
// sent with the first of them. A transaction that reads nothing before it
// commits sends no BEGIN and no COMMIT at all: its statements before one
// Sync are one implicit transaction, which the server commits at the Sync
// if every statement succeeded and rolls back otherwise, so that a
// complaint's registration (record, audit leaf, facts and rollup
// differences) is one round trip. A write of an existing record is two:
// BEGIN with the locking read, then the changes with COMMIT.
type pipeTx struct {
	conn  *sql.Conn
	began bool // BEGIN was sent
	keep  bool // the connection is its owner's, not the pool's
	done  bool // COMMIT was sent, or nothing is left to roll back
	queue []pipeStmt
	err   error // the first failed statement's error; the transaction is aborted
	// hidden is a failure that reached no caller (QueryRowContext cannot
	// return one): the cause of whatever fails after it.
	hidden error
}

type pipeStmt struct {
	query string
	args  []any
	check func(int64, error) error
}

func (p *pipeTx) send(_ context.Context, query string, args []any, check func(int64, error) error) error {
	if p.err != nil {
		return p.err
	}
	p.queue = append(p.queue, pipeStmt{query, args, check})
	return nil
}

func (p *pipeTx) queryRow(ctx context.Context, query string, args []any, scan func(rowScanner) error) error {
	return p.flush(ctx, &pipeRead{query, args, scan})
}

// ExecContext runs query now, with the statements kept before it.
func (p *pipeTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	var n int64
	p.queue = append(p.queue, pipeStmt{query, args, func(rows int64, err error) error {
		n = rows
		return err
	}})
	if err := p.flush(ctx, nil); err != nil {
		return nil, err
	}
	return pipeResult(n), nil
}

// QueryRowContext sends the statements kept, then runs query on the
// transaction's connection (a query that is not on the write path: it
// costs a round trip of its own).
func (p *pipeTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if err := p.flush(ctx, nil); err != nil && p.hidden == nil {
		p.hidden = err // the query fails in the aborted transaction; failure reports the cause
	}
	return p.conn.QueryRowContext(ctx, query, args...)
}

// QueryContext is QueryRowContext for several rows.
func (p *pipeTx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if err := p.flush(ctx, nil); err != nil {
		return nil, err
	}
	return p.conn.QueryContext(ctx, query, args...)
}

func (p *pipeTx) commit(ctx context.Context) error {
	if p.err != nil {
		return p.err
	}
	if !p.began {
		// Nothing was read: the kept statements are the whole transaction,
		// committed at their Sync.
		p.done = true
		return p.run(ctx, p.take(), nil)
	}
	p.queue = append(p.queue, pipeStmt{query: "COMMIT", check: func(_ int64, err error) error { return err }})
	err := p.run(ctx, p.take(), nil)
	p.done = err == nil
	return err
}

func (p *pipeTx) rollback() { _ = p.release() }

// rollbackTimeout bounds the ROLLBACK of a PostgreSQL transaction that did
// not commit. A ROLLBACK is answered at once by a live server; one whose
// connection has gone silent (a network path lost, a server host gone)
// would otherwise wait for the operating system to give the connection
// up, minutes later, holding up whoever releases it: the sequencer, or
// a request. A variable so that a test can shorten it.
var rollbackTimeout = 5 * time.Second

// release rolls back a transaction that did not commit and hands the
// connection back to the pool, unless its owner keeps it (keep); it
// returns the ROLLBACK's error, after which a kept connection must not
// be used again.
func (p *pipeTx) release() error {
	var err error
	if p.began && !p.done {
		// Not the caller's context, which may be why the transaction
		// ends: a cancelled request's transaction must still be rolled
		// back. A failed COMMIT or ROLLBACK (one that timed out too)
		// leaves the connection inside a transaction, and the driver
		// then discards it instead of handing it out again.
		ctx, cancel := context.WithTimeout(context.Background(), rollbackTimeout)
		_, err = p.conn.ExecContext(ctx, "ROLLBACK")
		cancel()
	}
	if !p.keep {
		_ = p.conn.Close()
	}
	return err
}

func (p *pipeTx) failure(err error) error {
	if p.hidden != nil {
		return p.hidden
	}
	return err
}

// pipeRead is the read that ends a pipeline.
type pipeRead struct {
	query string
	args  []any
	scan  func(rowScanner) error
}

// take returns the kept statements and keeps none.
func (p *pipeTx) take() []pipeStmt {
	q := p.queue
	p.queue = nil
	return q
}

// flush sends the kept statements (after BEGIN, the first time) and the
// read, if any, as one pipeline.
func (p *pipeTx) flush(ctx context.Context, read *pipeRead) error {
	if p.err != nil {
		return p.err
	}
	stmts := p.take()
	if !p.began {
		stmts = append([]pipeStmt{{query: "BEGIN", check: func(_ int64, err error) error { return err }}}, stmts...)
		p.began = true
	}
	return p.run(ctx, stmts, read)
}

// run sends stmts and read as one pipeline and reads their results in
// order. The first failure is the answer (and sticks: the server skipped
// the rest, and the transaction is aborted or, if implicit, rolled back).
func (p *pipeTx) run(ctx context.Context, stmts []pipeStmt, read *pipeRead) error {
	if len(stmts) == 0 && read == nil {
		return nil
	}
	err := p.conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("sqlstore: the PostgreSQL driver connection is a %T, not pgx's", dc)
		}
		var b pgx.Batch
		for _, st := range stmts {
			b.Queue(st.query, st.args...)
		}
		if read != nil {
			b.Queue(read.query, read.args...)
		}
		br := sc.Conn().SendBatch(ctx, &b)
		var first error
		for _, st := range stmts {
			tag, err := br.Exec()
			if first != nil {
				continue
			}
			if err != nil {
				first = st.check(0, err)
				if first == nil {
					first = err // a failed statement aborts the transaction whatever its check says
				}
				continue
			}
			first = st.check(tag.RowsAffected(), nil)
		}
		if read != nil {
			rows, err := br.Query()
			if first == nil {
				first = scanOne(rows, err, read.scan)
			}
			rows.Close()
		}
		if err := br.Close(); first == nil {
			first = err
		}
		return first
	})
	if err != nil {
		if !errors.Is(err, sql.ErrNoRows) {
			p.err = err
		}
		return err
	}
	return nil
}

// scanOne hands the first row of rows to scan, or reports sql.ErrNoRows.
func scanOne(rows pgx.Rows, err error, scan func(rowScanner) error) error {
	if err != nil {
		return err
	}
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := scan(rows); err != nil {
		return err
	}
	rows.Close()
	return rows.Err()
}

// guardOne makes a PostgreSQL statement that changes rows fail unless it
// changed exactly one (division by zero, SQLSTATE 22012, which
// isGuardFailure recognises), so that a pipelined write whose condition
// missed aborts its transaction instead of committing with the statements
// sent after it. On SQLite, whose statements run one at a time, the
// statement is returned as it is and its caller checks the rows affected.
func (s *Store) guardOne(query string) string {
	if s.dialect != Postgres {
		return query
	}
	return `WITH changed AS (` + query + ` RETURNING 1) SELECT 1 / COUNT(*) FROM changed`
}

// isGuardFailure reports whether err is guardOne's refusal.
func isGuardFailure(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "22012"
}

// pipeResult is the sql.Result of a pipelined statement.
type pipeResult int64

func (r pipeResult) LastInsertId() (int64, error) {
	return 0, errors.New("sqlstore: PostgreSQL has no last insert id")
}
func (r pipeResult) RowsAffected() (int64, error) { return int64(r), nil }
