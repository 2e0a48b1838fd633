package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

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
	rows, err := tx.QueryContext(ctx, s.q(`SELECT org_id, month, kind, counts FROM case_rollup WHERE `+cond), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	stored := map[cellKey]any{}
	for rows.Next() {
		var c cellKey
		var counts any
		if err := rows.Scan(&c.org, &c.month, &c.kind, &counts); err != nil {
			return err
		}
		stored[c] = counts
	}
	if err := rows.Err(); err != nil {
		return err
	}
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
	keys := make([]cellKey, 0, len(cells))
	for c := range cells {
		keys = append(keys, c)
	}
	slices.SortFunc(keys, func(a, b cellKey) int {
		return strings.Compare(a.org+"\x00"+a.month+"\x00"+a.kind, b.org+"\x00"+b.month+"\x00"+b.kind)
	})
	for _, c := range keys {
		rep.RollupCells++
		name := fmt.Sprintf("casework rollup cell of organisation %s, month %s, kind %s", c.org, c.month, c.kind)
		if n := fc.unreadable[c]; n > 0 {
			rep.Findings = append(rep.Findings, fmt.Sprintf("%s cannot be recomputed: %d of its case_facts rows or pending differences do not read", name, n))
			continue
		}
		want := fc.folded(c)
		v, ok := stored[c]
		if !ok {
			if len(want) > 0 {
				rep.Findings = append(rep.Findings, fmt.Sprintf("%s is missing: its case facts give %d counts", name, len(want)))
			}
			continue
		}
		text, isText := cellText(v)
		got, err := decodeCounts(text)
		if !isText || err != nil {
			rep.Findings = append(rep.Findings, fmt.Sprintf("%s does not read as counts: the next write into it rebuilds it from its case facts", name))
			continue
		}
		if metric, differ := firstDifference(got, want); differ > 0 {
			rep.Findings = append(rep.Findings, fmt.Sprintf("%s differs from its case facts in %d counts: %q is %d, the facts give %d",
				name, differ, metric, got[metric], want[metric]))
		}
	}
	return nil
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
