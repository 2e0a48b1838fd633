package sqlstore

import "context"

// WithoutFacts turns the casework facts of s off or on again: the write
// benchmark's baseline, the same write path with nothing else changed.
func WithoutFacts(s *Store, off bool) { s.noFacts = off }

// RollupRows returns how many rows the casework rollup holds: its cells
// (what a figure of whole months reads) and its pending differences.
func RollupRows(ctx context.Context, s *Store) (cells, pending int64, err error) {
	err = s.r.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM case_rollup), (SELECT COUNT(*) FROM case_rollup_pending)`).Scan(&cells, &pending)
	return cells, pending, err
}
