package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"

	"github.com/ssra-go/ssra/stability"
)

// On PostgreSQL the casework rollup is kept in two parts: case_rollup,
// the folded counts, and case_rollup_pending, the differences that
// committed writes appended since the last fold. A write of a case
// appends its differences (a plain insert: no row that another writer
// touches, so writers of one organisation and month never wait for each
// other's commits, as they did on the shared count rows); FoldRollup moves
// the committed differences into case_rollup, in one transaction, every
// turn of the sequencer; and every figure reads both parts in one statement
// (rollupTally), summed in one snapshot, so that a committed write counts exactly once
// whether or not it is folded yet. SQLite's single writer updates
// case_rollup directly and its pending part stays empty.

// rollupTally adds the rollup's counts under condition cond (over the
// alias f, with args) to the tallies of out, by the group key of each
// cell's organisation and month, measured on the civil date today. The
// cells and the pending differences are read by one statement (one
// snapshot), and a count's pending differences are added to it before
// the tally takes it: a count that they bring to zero is no count, as
// SUM(n) <> 0 would have it.
func (s *Store) rollupTally(ctx context.Context, cond string, args []any, key func(org, month string) stability.GroupKey,
	today string, out map[stability.GroupKey]stability.Tally) error {
	const op = "sqlstore.CaseStats"
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT org_id, month, kind, counts, '', 0 FROM case_rollup f WHERE `+cond+`
		UNION ALL SELECT org_id, month, kind, '', metric, n FROM case_rollup_pending f WHERE `+cond), append(slices.Clip(args), args...)...)
	if err != nil {
		return internal(op, err)
	}
	defer rows.Close()
	type cell struct {
		cellKey
		counts string
	}
	var cells []cell
	pending := map[rollupKey]int64{}
	for rows.Next() {
		var c cell
		var metric string
		var n int64
		if err := rows.Scan(&c.org, &c.month, &c.kind, &c.counts, &metric, &n); err != nil {
			return internal(op, err)
		}
		if metric == "" {
			cells = append(cells, c)
		} else {
			pending[rollupKey{c.org, c.month, c.kind, metric}] += n
		}
	}
	if err := rows.Err(); err != nil {
		return internal(op, err)
	}
	// add adds n of metric to the tally of the cell's group, creating
	// the tally with its first count.
	add := func(c cellKey, metric string, n int64) {
		if n == 0 {
			return
		}
		k := key(c.org, c.month)
		t, ok := out[k]
		if !ok {
			t = stability.NewTally()
		}
		addRollupMetric(&t, c.kind, metric, n, today)
		out[k] = t
	}
	for _, c := range cells {
		err := eachCount(c.counts, func(metric string, n int64) {
			if len(pending) > 0 {
				k := rollupKey{c.org, c.month, c.kind, metric}
				if d, ok := pending[k]; ok {
					n += d
					delete(pending, k)
				}
			}
			add(c.cellKey, metric, n)
		})
		if err != nil {
			return internal(op, err)
		}
	}
	for k, n := range pending {
		add(k.cell(), k.metric, n)
	}
	return nil
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
	// began; those committed later stay for the next fold. Only the fold
	// writes the cells on PostgreSQL, and one fold runs at a time: the
	// cells it reads are the ones it rewrites.
	rows, err := tx.QueryContext(ctx, `DELETE FROM case_rollup_pending RETURNING org_id, month, kind, metric, n`)
	if err != nil {
		return 0, internal(op, err)
	}
	var moved int64
	diffs := map[cellKey]map[string]int64{}
	for rows.Next() {
		var k rollupKey
		var n int64
		if err := rows.Scan(&k.org, &k.month, &k.kind, &k.metric, &n); err != nil {
			rows.Close()
			return 0, internal(op, err)
		}
		moved++
		d := diffs[k.cell()]
		if d == nil {
			d = map[string]int64{}
			diffs[k.cell()] = d
		}
		d[k.metric] += n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, internal(op, err)
	}
	if moved == 0 {
		return 0, nil
	}
	keys := make([][3]string, 0, len(diffs))
	for c := range diffs {
		keys = append(keys, [3]string{c.org, c.month, c.kind})
	}
	slices.SortFunc(keys, func(a, b [3]string) int { return slices.Compare(a[:], b[:]) })
	js, err := json.Marshal(keys)
	if err != nil {
		return 0, internal(op, err)
	}
	cells := map[cellKey]string{}
	rows, err = tx.QueryContext(ctx, `SELECT org_id, month, kind, counts FROM case_rollup
		WHERE (org_id, month, kind) IN (SELECT j.v ->> 0, j.v ->> 1, j.v ->> 2 FROM jsonb_array_elements(CAST($1 AS jsonb)) AS j(v))`, string(js))
	if err != nil {
		return 0, internal(op, err)
	}
	for rows.Next() {
		var c cellKey
		var text string
		if err := rows.Scan(&c.org, &c.month, &c.kind, &text); err != nil {
			rows.Close()
			return 0, internal(op, err)
		}
		cells[c] = text
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, internal(op, err)
	}
	var put [][4]string
	var gone [][3]string
	for _, k := range keys {
		c := cellKey{k[0], k[1], k[2]}
		counts, err := decodeCounts(cells[c])
		if err != nil {
			return 0, internal(op, err)
		}
		for metric, n := range diffs[c] {
			addCount(counts, metric, n)
		}
		if len(counts) > 0 {
			put = append(put, [4]string{c.org, c.month, c.kind, encodeCounts(counts)})
		} else if _, had := cells[c]; had {
			gone = append(gone, k)
		}
	}
	if len(put) > 0 {
		js, err := json.Marshal(put)
		if err != nil {
			return 0, internal(op, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_rollup (org_id, month, kind, counts)
			SELECT j.v ->> 0, j.v ->> 1, j.v ->> 2, j.v ->> 3 FROM jsonb_array_elements(CAST($1 AS jsonb)) AS j(v)
			ON CONFLICT (org_id, month, kind) DO UPDATE SET counts = excluded.counts`, string(js)); err != nil {
			return 0, internal(op, err)
		}
	}
	if len(gone) > 0 {
		js, err := json.Marshal(gone)
		if err != nil {
			return 0, internal(op, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM case_rollup WHERE (org_id, month, kind) IN
			(SELECT j.v ->> 0, j.v ->> 1, j.v ->> 2 FROM jsonb_array_elements(CAST($1 AS jsonb)) AS j(v))`, string(js)); err != nil {
			return 0, internal(op, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, internal(op, err)
	}
	return moved, nil
}
