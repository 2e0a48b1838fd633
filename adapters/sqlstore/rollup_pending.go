package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"strconv"
)

// On PostgreSQL the casework rollup is kept in two parts: case_rollup,
// the folded counts, and case_rollup_pending, the differences that
// committed writes appended since the last fold. A write of a case
// appends its differences (a plain insert: no row that another writer
// touches, so writers of one organisation and month never wait for each
// other's commits, as they did on the shared count rows); FoldRollup moves
// the committed differences into case_rollup, in one transaction, every
// turn of the sequencer; and every figure reads rollupSource, both parts
// summed in one snapshot, so that a committed write counts exactly once
// whether or not it is folded yet. SQLite's single writer updates
// case_rollup directly and its pending part stays empty.

// rollupSource is the casework rollup as the figures read it: the folded
// counts and the pending differences, under the columns of case_rollup.
const rollupSource = `(SELECT org_id, month, kind, metric, n FROM case_rollup
	UNION ALL SELECT org_id, month, kind, metric, n FROM case_rollup_pending)`

// rollupRows is the casework rollup under condition cond (over the alias
// f, with args), one row per count with its total, for a query that reads
// each count as its own group's: a count with no pending difference is
// read as it is, and only those with one are summed.
func (s *Store) rollupRows(cond string, args []any) (string, []any) {
	if s.dialect != Postgres {
		return `(SELECT org_id, month, kind, metric, n FROM case_rollup f WHERE ` + cond + ` AND n <> 0)`, args
	}
	const pending = `EXISTS (SELECT 1 FROM case_rollup_pending p
		WHERE p.org_id = f.org_id AND p.month = f.month AND p.kind = f.kind AND p.metric = f.metric)`
	from := `(SELECT org_id, month, kind, metric, n FROM case_rollup f WHERE ` + cond + ` AND n <> 0 AND NOT ` + pending + `
		UNION ALL SELECT org_id, month, kind, metric, SUM(n) FROM (
			SELECT org_id, month, kind, metric, n FROM case_rollup_pending f WHERE ` + cond + `
			UNION ALL SELECT org_id, month, kind, metric, n FROM case_rollup f WHERE ` + cond + ` AND ` + pending + `) AS f
		GROUP BY org_id, month, kind, metric HAVING SUM(n) <> 0)`
	all := make([]any, 0, 3*len(args))
	return from, append(append(append(all, args...), args...), args...)
}

// rollupFoldLock is the PostgreSQL advisory lock of the fold: one server
// folds at a time, the others skip their turn.
const rollupFoldLock = 7350415

// FoldRollup moves the casework rollup's committed pending differences
// into its folded counts (PostgreSQL; on SQLite there are none), deleting
// the counts that fall to zero, and returns how many difference rows it
// folded. The figures are the same before and after; folding keeps the
// pending part small. Another server folding at the same time is not an
// error: this call folds nothing.
func (s *Store) FoldRollup(ctx context.Context) (int64, error) {
	const op = "sqlstore.FoldRollup"
	if s.dialect != Postgres {
		return 0, nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return 0, internal(op, err)
	}
	defer func() { _ = tx.Rollback() }()
	var mine bool
	if err := tx.QueryRowContext(ctx, `SELECT pg_try_advisory_xact_lock(`+strconv.Itoa(rollupFoldLock)+`)`).Scan(&mine); err != nil {
		return 0, internal(op, err)
	}
	if !mine {
		return 0, nil
	}
	// The DELETE takes the differences committed before the statement
	// began; those committed later stay for the next fold. The statement
	// answers how many it moved and the counts it brought to zero, which
	// a second statement deletes (one statement cannot change a row twice).
	rows, err := tx.QueryContext(ctx, `WITH moved AS (DELETE FROM case_rollup_pending RETURNING org_id, month, kind, metric, n),
		folded AS (INSERT INTO case_rollup (org_id, month, kind, metric, n)
			SELECT org_id, month, kind, metric, SUM(n) FROM moved GROUP BY org_id, month, kind, metric ORDER BY org_id, month, kind, metric
			ON CONFLICT (org_id, month, kind, metric) DO UPDATE SET n = case_rollup.n + excluded.n
			RETURNING org_id, month, kind, metric, n)
		SELECT (SELECT COUNT(*) FROM moved), f.org_id, f.month, f.kind, f.metric
		FROM (SELECT 1) AS one LEFT JOIN folded f ON f.n = 0`)
	if err != nil {
		return 0, internal(op, err)
	}
	var moved int64
	var zero [][4]string
	for rows.Next() {
		var k [4]sql.NullString
		if err := rows.Scan(&moved, &k[0], &k[1], &k[2], &k[3]); err != nil {
			rows.Close()
			return 0, internal(op, err)
		}
		if k[0].Valid {
			zero = append(zero, [4]string{k[0].String, k[1].String, k[2].String, k[3].String})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, internal(op, err)
	}
	if len(zero) > 0 {
		js, err := json.Marshal(zero)
		if err != nil {
			return 0, internal(op, err)
		}
		from, e := s.jsonRows()
		if _, err := tx.ExecContext(ctx, s.q(`DELETE FROM case_rollup WHERE n = 0 AND (org_id, month, kind, metric) IN
			(SELECT `+e(0)+`, `+e(1)+`, `+e(2)+`, `+e(3)+` FROM `+from+`)`), string(js)); err != nil {
			return 0, internal(op, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, internal(op, err)
	}
	return moved, nil
}
