package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"github.com/ssra-go/ssra/adapters/store"
)

// checkRollup recomputes the casework rollup from the case_facts rows, in
// the verification's snapshot, and compares every cell of case_rollup
// (with the differences still pending on PostgreSQL) with it: the cells of
// org, or of every organisation when org is empty. It names, one finding
// each and beyond the report's cap on the log's findings, every cell that
// does not read as counts, that differs from its facts, that is missing
// where its facts give counts, or whose facts do not read, by its
// organisation, month and kind of case and the first count that differs:
// figures about the handling of cases, nothing about a person. A
// mismatched cell is what the figures of that organisation and month are
// wrong by (the plan's acceptance, appraisal runs); an unreadable one is
// rebuilt by the next write into it (rollup_repair.go).
func (s *Store) checkRollup(ctx context.Context, tx *sql.Tx, org string, rep *store.AuditReport) error {
	cond, args := "1 = 1", []any(nil)
	if org != "" {
		cond, args = "org_id = ?", []any{org}
	}
	fc, err := s.cellsFromFacts(ctx, tx, cond, args)
	if err != nil {
		return err
	}
	stored, err := s.storedCells(ctx, tx, cond, args)
	if err != nil {
		return err
	}
	for _, c := range fc.cellsWith(stored) {
		rep.RollupCells++
		name := fmt.Sprintf("casework rollup cell of organisation %s, month %s, kind %s", c.org, c.month, c.kind)
		d := fc.compare(c, stored)
		switch d.state {
		case cellFactsUnreadable:
			rep.Findings = append(rep.Findings, fmt.Sprintf("%s cannot be recomputed: %d of its case_facts rows or pending differences do not read", name, fc.unreadable[c]))
		case cellMissing:
			rep.Findings = append(rep.Findings, fmt.Sprintf("%s is missing: its case facts give %d counts", name, len(d.want)))
		case cellUnreadable:
			rep.Findings = append(rep.Findings, fmt.Sprintf("%s does not read as counts: the next write into it rebuilds it from its case facts (or ssrad rollup repair)", name))
		case cellDiffers:
			rep.Findings = append(rep.Findings, fmt.Sprintf("%s differs from its case facts in %d counts: %q is %d, the facts give %d",
				name, d.differ, d.metric, d.got[d.metric], d.want[d.metric]))
		}
	}
	return nil
}

// storedCells reads the cells of case_rollup under cond (over org_id,
// month and kind, with args), each as its stored value.
func (s *Store) storedCells(ctx context.Context, q querier, cond string, args []any) (map[cellKey]any, error) {
	rows, err := q.QueryContext(ctx, s.q(`SELECT org_id, month, kind, counts FROM case_rollup WHERE `+cond), args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	stored := map[cellKey]any{}
	for rows.Next() {
		var c cellKey
		var counts any
		if err := rows.Scan(&c.org, &c.month, &c.kind, &counts); err != nil {
			return nil, err
		}
		stored[c] = counts
	}
	return stored, rows.Err()
}

// cellsWith returns, in organisation, month and kind order, every cell
// that the facts, the pending differences or the stored cells name.
func (fc factCells) cellsWith(stored map[cellKey]any) []cellKey {
	cells := map[cellKey]bool{}
	for _, m := range []map[cellKey]map[string]int64{fc.facts, fc.pending} {
		for c := range m {
			cells[c] = true
		}
	}
	for c := range stored {
		cells[c] = true
	}
	for c := range fc.unreadable {
		cells[c] = true
	}
	return sortedCells(cells)
}

// cellState is how a stored cell stands against its facts.
type cellState uint8

const (
	// cellRight is a cell that holds what its facts give (or, absent,
	// whose facts give no count).
	cellRight cellState = iota
	// cellFactsUnreadable is a cell some of whose facts rows or pending
	// differences do not read: what it should hold is unknown.
	cellFactsUnreadable
	// cellMissing is an absent cell whose facts give counts.
	cellMissing
	// cellUnreadable is a cell whose text does not read as counts.
	cellUnreadable
	// cellDiffers is a cell whose counts differ from its facts'.
	cellDiffers
)

// cellDiff is a comparison of a stored cell with its facts: got is what
// it holds, want what the facts give it (less the pending differences),
// and for a cell that differs, the first metric that does and how many.
type cellDiff struct {
	state     cellState
	got, want map[string]int64
	metric    string
	differ    int
}

// compare compares cell c of the stored cells with what its facts give.
func (fc factCells) compare(c cellKey, stored map[cellKey]any) cellDiff {
	if fc.unreadable[c] > 0 {
		return cellDiff{state: cellFactsUnreadable}
	}
	d := cellDiff{want: fc.folded(c)}
	v, ok := stored[c]
	if !ok {
		if len(d.want) > 0 {
			d.state = cellMissing
		}
		return d
	}
	text, isText := cellText(v)
	got, err := decodeCounts(text)
	if !isText || err != nil {
		d.state = cellUnreadable
		return d
	}
	d.got = got
	if d.metric, d.differ = firstDifference(got, d.want); d.differ > 0 {
		d.state = cellDiffers
	}
	return d
}

// firstDifference returns the first metric, in metric order, whose count
// differs between a and b, and how many differ.
func firstDifference(a, b map[string]int64) (string, int) {
	var metrics []string
	for m, n := range a {
		if b[m] != n {
			metrics = append(metrics, m)
		}
	}
	for m, n := range b {
		if _, ok := a[m]; !ok && n != 0 {
			metrics = append(metrics, m)
		}
	}
	if len(metrics) == 0 {
		return "", 0
	}
	return slices.Min(metrics), len(metrics)
}
