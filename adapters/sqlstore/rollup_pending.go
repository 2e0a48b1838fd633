package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"

	"github.com/ssra-go/ssra/stability"
)

// On PostgreSQL the casework rollup is kept in two parts: case_rollup,
// the folded counts, and case_rollup_pending, the differences that
// committed writes appended since the last fold. A write of a case
// appends its differences, one row a cell it changes (eachPending): a
// plain insert, no row that another writer touches, so writers of one
// organisation and month never wait for each other's commits, as they did
// on the shared count rows. FoldRollup moves the committed differences
// into case_rollup, in one transaction, every turn of the sequencer; and
// every figure reads both parts in one statement (rollupTally), summed in
// one snapshot, so that a committed write counts exactly once whether or
// not it is folded yet. SQLite's single writer updates
// case_rollup directly and its pending part stays empty.

// rollupTally adds the rollup's counts under condition cond (over the
// alias f, with args) to the tallies of out, by the group key of each
// cell's organisation and month, measured on the civil date today. The
// cells and the pending differences are read by one statement (one
// snapshot), and a count's pending differences are added to it before
// the tally takes it: a count that they bring to zero is no count, as
// SUM(n) <> 0 would have it. A cell whose text, or one of whose pending
// differences, does not read as counts (an operator's edit) is taken from
// its case_facts rows instead, and the store logs it (rollup_repair.go).
func (s *Store) rollupTally(ctx context.Context, cond string, args []any, key func(org, month string) stability.GroupKey,
	today string, out map[stability.GroupKey]stability.Tally) error {
	const op = "sqlstore.CaseStats"
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT org_id, month, kind, counts, 0, 0 FROM case_rollup f WHERE `+cond+`
		UNION ALL SELECT org_id, month, kind, metric, n, 1 FROM case_rollup_pending f WHERE `+cond), append(slices.Clip(args), args...)...)
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
	// A cell whose text, or one of whose pending differences, does not
	// read as counts is measured from its facts instead (rollup_repair.go).
	broken := map[cellKey]bool{}
	for rows.Next() {
		var c cell
		var n int64
		var isPending int
		if err := rows.Scan(&c.org, &c.month, &c.kind, &c.counts, &n, &isPending); err != nil {
			return internal(op, err)
		}
		if isPending == 0 {
			cells = append(cells, c)
			continue
		}
		err := eachPending(c.counts, n, func(metric string, n int64) { pending[rollupKey{c.org, c.month, c.kind, metric}] += n })
		if err != nil {
			broken[c.cellKey] = true
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
	var lines []countLine
	for _, c := range cells {
		if broken[c.cellKey] {
			continue
		}
		lines = lines[:0]
		if err := eachCount(c.counts, func(metric string, n int64) { lines = append(lines, countLine{metric, n}) }); err != nil {
			broken[c.cellKey] = true
			continue
		}
		for _, l := range lines {
			n := l.n
			if len(pending) > 0 {
				k := rollupKey{c.org, c.month, c.kind, l.metric}
				if d, ok := pending[k]; ok {
					n += d
					delete(pending, k)
				}
			}
			add(c.cellKey, l.metric, n)
		}
	}
	for k, n := range pending {
		if !broken[k.cell()] {
			add(k.cell(), k.metric, n)
		}
	}
	for c := range broken {
		// The facts hold every committed write, folded or pending.
		fc, err := s.cellsFromFacts(ctx, s.r, cellCond, c.args())
		if err != nil {
			return internal(op, err)
		}
		if n := fc.unreadable[c]; n > 0 {
			return internal(op, fmt.Errorf("the rollup cell of organisation %s, month %s, kind %s does not read as counts, and %d of its case_facts rows or pending differences do not read either", c.org, c.month, c.kind, n))
		}
		s.logger.Warn("casework rollup cell unreadable: measured from the case facts", "org_id", c.org, "month", c.month, "kind", c.kind)
		for metric, n := range fc.facts[c] {
			add(c, metric, n)
		}
	}
	return nil
}

// eachPending calls fn with the differences of a row of
// case_rollup_pending (metric, n). A write appends one row a cell it
// changes, with n = 0 and its differences in metric as lines "METRIC N"
// in a cell's form (eachPending); a row with n ≠ 0 is one difference of
// metric, as servers before that appended one row a count (they never
// appended a difference of 0), and is folded and summed all the same.
func eachPending(metric string, n int64, fn func(metric string, n int64)) error {
	if n != 0 {
		fn(metric, n)
		return nil
	}
	return eachCount(metric, fn)
}

// rollupFoldLock is the PostgreSQL advisory lock of the fold: one server
// folds at a time, the others skip their turn.
const rollupFoldLock = 7350415

// FoldRollup moves the casework rollup's committed pending differences
// into its folded counts (PostgreSQL; on SQLite there are none), deleting
// the counts that fall to zero, and returns how many difference rows (one
// per cell a committed transaction changed) it folded. The figures are
// the same before and after; folding keeps the pending part small.
// Another server folding at the same time is not an error: this call
// folds nothing. A cell whose text, or one of whose pending differences,
// does not read as counts (an operator's edit) is rebuilt from its
// case_facts rows in the fold's transaction, and the store logs it once
// the fold has committed (rebuildCell), so that one edited cell stops neither the fold of the
// others nor its own figures.
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
	// The fold changes no figure: a fold lost in a crash leaves its
	// differences pending, and the next one folds them. Its commit need
	// not wait for the disk (an asynchronous commit is still atomic: the
	// cells and the deleted differences are kept or lost together).
	var mine bool
	if err := tx.QueryRowContext(ctx, `SELECT set_config('synchronous_commit', 'off', true) = 'off' AND pg_try_advisory_xact_lock(`+
		strconv.Itoa(rollupFoldLock)+`)`).Scan(&mine); err != nil {
		return 0, internal(op, err)
	}
	if !mine {
		return 0, nil
	}
	// The DELETE takes the differences committed before the statement
	// began; those committed later stay for the next fold. Only the fold
	// writes the cells on PostgreSQL, and one fold runs at a time: the
	// cells it reads are the ones it rewrites. The differences and the
	// cells they change come back in one statement (pending = 1, 0).
	rows, err := tx.QueryContext(ctx, `WITH d AS (DELETE FROM case_rollup_pending RETURNING org_id, month, kind, metric, n)
		SELECT org_id, month, kind, metric, n, 1 FROM d
		UNION ALL SELECT org_id, month, kind, counts, 0, 0 FROM case_rollup WHERE (org_id, month, kind) IN (SELECT org_id, month, kind FROM d)`)
	if err != nil {
		return 0, internal(op, err)
	}
	var moved int64
	diffs := map[cellKey]map[string]int64{}
	cells := map[cellKey]string{}
	// A cell whose text, or one of whose pending differences, does not
	// read as counts is rebuilt from the facts instead (rebuildCell).
	broken := map[cellKey]string{}
	for rows.Next() {
		var k cellKey
		var text string
		var n int64
		var pending int
		if err := rows.Scan(&k.org, &k.month, &k.kind, &text, &n, &pending); err != nil {
			rows.Close()
			return 0, internal(op, err)
		}
		if pending == 0 {
			cells[k] = text
			continue
		}
		moved++
		d := diffs[k]
		if d == nil {
			d = map[string]int64{}
			diffs[k] = d
		}
		if err := eachPending(text, n, func(metric string, n int64) { d[metric] += n }); err != nil {
			broken[k] = "a pending difference does not read as counts"
		}
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
	var put [][4]string
	var gone [][3]string
	for _, k := range keys {
		c := cellKey{k[0], k[1], k[2]}
		if _, ok := broken[c]; ok {
			continue
		}
		counts, err := decodeCounts(cells[c])
		if err != nil {
			broken[c] = "its text does not read as counts"
			continue
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
	var rebuilt []cellRebuild
	for _, k := range keys {
		c := cellKey{k[0], k[1], k[2]}
		if why, ok := broken[c]; ok {
			// A cell whose sum is unknown (its facts do not read either)
			// stays as it is and its differences go: the facts hold them,
			// and the cell is rebuilt from the facts once they read.
			r, err := s.rebuildCell(ctx, tx, c, why)
			if err != nil {
				return 0, internal(op, err)
			}
			rebuilt = append(rebuilt, r)
		}
	}
	if s.commitHook != nil {
		if err := s.commitHook("fold"); err != nil {
			return 0, internal(op, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, internal(op, err)
	}
	// Logged once committed: a fold that fails to commit rebuilt nothing.
	s.logRebuilds(rebuilt)
	return moved, nil
}
