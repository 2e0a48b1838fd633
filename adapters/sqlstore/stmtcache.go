package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"sync"
)

// maxCachedStmts bounds a pool's prepared statements. The package's
// queries are a few dozen texts; listings with filters add a few per
// combination. Past the bound a query is prepared for each use, as
// without a cache.
const maxCachedStmts = 256

// stmtCache keeps one SQLite pool's statements prepared, by their text, so
// that a query is parsed and planned once per connection instead of on
// every call (the driver prepares, runs and finalises a statement for each
// Exec or Query; on the write path that was a sixth of the server's CPU).
// database/sql prepares a cached statement on each connection of the pool
// the first time it runs there. PostgreSQL needs none: pgx keeps its own
// cache of prepared statements per connection.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

func newStmtCache(db *sql.DB) *stmtCache {
	return &stmtCache{db: db, m: make(map[string]*sql.Stmt)}
}

// lookup returns the cached statement of query, or nil. A nil cache has none.
func (c *stmtCache) lookup(query string) *sql.Stmt {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[query]
}

// prepared returns query's cached statement, preparing it on a connection
// of the pool first if the cache has room, or nil to run query unprepared.
// It takes a connection of the pool: never call it while holding the
// writer's only connection (a transaction on it), see stmtTx.
func (c *stmtCache) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	if c == nil {
		return nil, nil
	}
	c.mu.Lock()
	st, full := c.m[query], len(c.m) >= maxCachedStmts
	c.mu.Unlock()
	if st != nil || full {
		return st, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if old := c.m[query]; old != nil {
		_ = st.Close()
		return old, nil
	}
	c.m[query] = st
	return st, nil
}

// prepare puts queries into the cache, for the writer's transactions once
// its connection is free again; a query that does not prepare is left out
// (running it reports its error).
func (c *stmtCache) prepare(ctx context.Context, queries []string) {
	for _, q := range queries {
		if _, err := c.prepared(ctx, q); err != nil {
			return
		}
	}
}

// close closes the cached statements.
func (c *stmtCache) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for q, st := range c.m {
		err = errors.Join(err, st.Close())
		delete(c.m, q)
	}
	return err
}

// pool is a database handle whose Exec, Query and QueryRow go through the
// statement cache (on SQLite; stmts is nil on PostgreSQL).
type pool struct {
	*sql.DB
	stmts *stmtCache
}

// ExecContext runs query through its cached statement.
func (p *pool) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st, err := p.stmts.prepared(ctx, query); err == nil && st != nil {
		return st.ExecContext(ctx, args...)
	}
	return p.DB.ExecContext(ctx, query, args...)
}

// QueryContext runs query through its cached statement.
func (p *pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st, err := p.stmts.prepared(ctx, query); err == nil && st != nil {
		return st.QueryContext(ctx, args...)
	}
	return p.DB.QueryContext(ctx, query, args...)
}

// QueryRowContext runs query through its cached statement.
func (p *pool) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st, err := p.stmts.prepared(ctx, query); err == nil && st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return p.DB.QueryRowContext(ctx, query, args...)
}

// stmtTx is a transaction on the writer whose Exec and QueryRow use the
// writer's cached statements. A statement not yet cached cannot be
// prepared while the transaction holds SQLite's only writer connection:
// it runs unprepared and is noted in missed, for the cache to prepare once
// the transaction has ended. Multi-row queries are not cached: a cached
// statement is one per connection, and a transaction might run the same
// query again while iterating its rows.
type stmtTx struct {
	*sql.Tx
	stmts  *stmtCache
	missed []string
}

// ExecContext runs query through the writer's cached statement.
func (t *stmtTx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := t.cached(query); st != nil {
		return t.Tx.StmtContext(ctx, st).ExecContext(ctx, args...)
	}
	return t.Tx.ExecContext(ctx, query, args...)
}

// QueryRowContext runs query through the writer's cached statement.
func (t *stmtTx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := t.cached(query); st != nil {
		return t.Tx.StmtContext(ctx, st).QueryRowContext(ctx, args...)
	}
	return t.Tx.QueryRowContext(ctx, query, args...)
}

func (t *stmtTx) cached(query string) *sql.Stmt {
	if t.stmts == nil {
		return nil
	}
	st := t.stmts.lookup(query)
	if st == nil {
		t.missed = append(t.missed, query)
	}
	return st
}
