package sqlstore

import (
	"context"
	"database/sql"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// A rollup cell is a sum of the case_facts rows of its organisation, month
// and kind (rollup.go), kept by differences. Its text is something an
// operator can edit; a text that no longer reads as counts (a line without
// a count, a count that is not a number) must not stop caseworkers
// registering cases, nor the figures. Whatever meets such a cell rebuilds
// it, or measures it, from the facts, the source the cell sums, and logs
// that it did: on SQLite the write that merges into the cell rebuilds it in
// its own transaction; on PostgreSQL writes never read a cell (they append
// pending differences) and the fold rebuilds it in its transaction; a
// figure that reads an unreadable cell, or an unreadable pending
// difference, takes that cell from the facts instead. Either way the write
// succeeds and the figures are the facts'. A case_facts row whose duties
// do not read does not stop the writes of its case either: the write
// replaces the row from the case value and, its old counts being unknown,
// rebuilds the case's cells (old and new) from the facts in its
// transaction instead of adding differences to them (Tx.markRebuild,
// Tx.rebuildCells). A cell whose text reads but
// holds wrong counts is not mended here: only a comparison of the cell
// with its facts finds it.

// cellCond is the condition on org_id, month and kind that selects one
// cell of case_rollup, case_rollup_pending or the case_facts rows it sums.
const cellCond = `org_id = ? AND month = ? AND kind = ?`

func (c cellKey) args() []any { return []any{c.org, c.month, c.kind} }

// factCells are the counts the rollup should hold, recomputed from the
// case_facts rows, by cell, beside the pending differences not yet folded
// (PostgreSQL), both as of one snapshot.
type factCells struct {
	facts   map[cellKey]map[string]int64
	pending map[cellKey]map[string]int64
	// unreadable counts, by cell, the facts rows and pending differences
	// that could not be read (a duties column that is not the array of
	// duties it should be, a pending text that is not counts).
	unreadable map[cellKey]int
}

// folded returns what the cell should hold once folded: the facts' counts
// less the differences still pending, which the facts include already.
func (fc factCells) folded(c cellKey) map[string]int64 {
	out := maps.Clone(fc.facts[c])
	if out == nil {
		out = map[string]int64{}
	}
	for metric, n := range fc.pending[c] {
		addCount(out, metric, -n)
	}
	return out
}

// cellsFromFacts adds up what the case_facts rows under cond (over
// org_id, month and kind, with args) contribute to the rollup, cell by
// cell, by the same code the write path counts a case's difference with
// (caseCounts.add), and reads the pending differences under the same
// condition, in one statement: one snapshot, so that a write committed
// while it runs is in both or in neither. Inside a fold, whose earlier
// statement took the pending differences it folds, the facts less the
// pending that remain are what the cells should hold after it.
func (s *Store) cellsFromFacts(ctx context.Context, q querier, cond string, args []any) (factCells, error) {
	var st storedCounts
	rows, err := q.QueryContext(ctx, s.q(`SELECT 0, `+st.columns(s, "")+` FROM case_facts WHERE `+cond+`
		UNION ALL SELECT 1, org_id, month, kind, metric, NULL, 0, NULL, n, NULL, NULL, NULL, NULL, NULL FROM case_rollup_pending WHERE `+cond),
		append(slices.Clip(args), args...)...)
	if err != nil {
		return factCells{}, err
	}
	defer rows.Close()
	fc := factCells{facts: map[cellKey]map[string]int64{}, pending: map[cellKey]map[string]int64{}, unreadable: map[cellKey]int{}}
	facts := map[rollupKey]int64{}
	for rows.Next() {
		var src int
		st = storedCounts{}
		if err := rows.Scan(append([]any{&src}, st.dest()...)...); err != nil {
			return factCells{}, err
		}
		c := cellKey{st.org.String, st.month.String, st.kind.String}
		if src == 1 {
			// A pending row: its metric (or lines) in state, its n in days.
			d := fc.pending[c]
			if d == nil {
				d = map[string]int64{}
			}
			if err := eachPending(st.state.String, st.days.Int64, func(metric string, n int64) { d[metric] += n }); err != nil {
				fc.unreadable[c]++
				continue
			}
			fc.pending[c] = d
			continue
		}
		counts, _, err := st.counts()
		if err != nil {
			fc.unreadable[c]++
			continue
		}
		counts.add(facts, 1)
	}
	if err := rows.Err(); err != nil {
		return factCells{}, err
	}
	for k, n := range facts {
		c := k.cell()
		m := fc.facts[c]
		if m == nil {
			m = map[string]int64{}
			fc.facts[c] = m
		}
		addCount(m, k.metric, n)
	}
	for c, d := range fc.pending {
		for metric, n := range d {
			if n == 0 {
				delete(d, metric)
			}
		}
		if len(d) == 0 {
			delete(fc.pending, c)
		}
	}
	return fc, nil
}

// cellReadable reports whether a stored cell's value reads as counts
// (cellText, eachCount), as the merge function reads it.
func cellReadable(v any) bool {
	text, ok := cellText(v)
	return ok && eachCount(text, func(string, int64) {}) == nil
}

// execQuerier is a transaction that rebuildCell reads and writes in.
type execQuerier interface {
	querier
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// rebuildCell replaces cell c of case_rollup with what the facts give it
// (less the differences still pending), in the transaction q, deletes it
// when no count is left, and returns what it did, with why, for the
// caller to log once q has committed (logRebuilds: a transaction that
// rolls back rebuilt nothing). When a facts row or pending difference of
// the cell does not read either, the cell's sum is unknown: it is left as
// it is, and the rebuild returned says so (unreadable); the write or fold
// that met it goes on (the figures of that cell fail until its facts are
// mended). An error is a database failure.
func (s *Store) rebuildCell(ctx context.Context, q execQuerier, c cellKey, why string) (cellRebuild, error) {
	fc, err := s.cellsFromFacts(ctx, q, cellCond, c.args())
	if err != nil {
		return cellRebuild{}, err
	}
	if n := fc.unreadable[c]; n > 0 {
		return cellRebuild{cell: c, why: why, unreadable: n}, nil
	}
	counts := fc.folded(c)
	if err := s.writeCell(ctx, q, c, counts); err != nil {
		return cellRebuild{}, err
	}
	return cellRebuild{cell: c, why: why, counts: len(counts)}, nil
}

// cellRebuild is a rollup cell that a write, a fold or a repair rebuilt
// from its facts (counts: how many counts it holds now), or, when
// unreadable is not 0, could not rebuild because that many of its facts
// rows or pending differences do not read; why says what was wrong with
// it. It names no person: an organisation, a month and a kind of case.
type cellRebuild struct {
	cell       cellKey
	why        string
	counts     int
	unreadable int
}

// logRebuilds logs the cells rebuilt, or found unrebuildable, by a
// transaction that has committed, once each (what stood in a cell is not
// logged: it may be anything).
func (s *Store) logRebuilds(rs []cellRebuild) {
	for _, r := range rs {
		c := r.cell
		if r.unreadable > 0 {
			s.logger.Error("casework rollup cell cannot be rebuilt: its case facts do not read either; its figures fail until they are mended",
				"org_id", c.org, "month", c.month, "kind", c.kind, "why", r.why, "unreadable_facts", r.unreadable)
			continue
		}
		s.logger.Warn("casework rollup cell rebuilt from the case facts", "org_id", c.org, "month", c.month, "kind", c.kind,
			"why", r.why, "counts", r.counts)
	}
}

// lockRollup makes the transaction q the only writer of case_rollup until
// it ends. On PostgreSQL it waits for the fold's advisory lock
// (rollupFoldLock), which only the fold, the rebuild of a write and
// RepairRollup take: no fold then moves pending differences into a cell
// between the transaction's reading of the facts less the pending
// differences and its writing of the cell, and writers, which only append
// facts rows with their differences in one statement, are seen by such a
// read with both or with neither. In read committed, each statement after
// the lock sees every fold committed before it. SQLite's write transaction
// is its single writer already.
func (s *Store) lockRollup(ctx context.Context, q execQuerier) error {
	if s.dialect != Postgres {
		return nil
	}
	_, err := q.ExecContext(ctx, `SELECT pg_advisory_xact_lock(`+strconv.Itoa(rollupFoldLock)+`)`)
	return err
}

// sortedCells returns the cells in organisation, month and kind order.
func sortedCells(cells map[cellKey]bool) []cellKey {
	out := make([]cellKey, 0, len(cells))
	for c := range cells {
		out = append(out, c)
	}
	slices.SortFunc(out, compareCells)
	return out
}

// compareCells orders cells by organisation, month and kind.
func compareCells(a, b cellKey) int {
	if c := strings.Compare(a.org, b.org); c != 0 {
		return c
	}
	if c := strings.Compare(a.month, b.month); c != 0 {
		return c
	}
	return strings.Compare(a.kind, b.kind)
}

// writeCell stores counts as cell c of case_rollup, in the transaction q,
// and deletes the cell when there is no count.
func (s *Store) writeCell(ctx context.Context, q execQuerier, c cellKey, counts map[string]int64) error {
	var err error
	if len(counts) == 0 {
		_, err = q.ExecContext(ctx, s.q(`DELETE FROM case_rollup WHERE `+cellCond), c.args()...)
	} else {
		_, err = q.ExecContext(ctx, s.q(`INSERT INTO case_rollup (org_id, month, kind, counts) VALUES (?, ?, ?, ?)
			ON CONFLICT (org_id, month, kind) DO UPDATE SET counts = excluded.counts`), c.org, c.month, c.kind, encodeCounts(counts))
	}
	return err
}

// RollupCell names a cell of the casework rollup: an organisation's
// registration month and kind of case. It holds figures about the
// handling of cases, nothing about a person.
type RollupCell struct {
	OrgID string
	// Month is the registration month, YYYY-MM.
	Month string
	// Kind is the kind of case: complaint or dispute.
	Kind string
	// Why is what was wrong with the cell: "differs", "missing" or
	// "unreadable", or for a cell that cannot be rebuilt,
	// "facts_unreadable".
	Why string
	// Counts is how many counts the cell holds once rebuilt (0: the cell
	// is deleted).
	Counts int
}

// FactsRow names a case's case_facts row that RepairRollup rewrote from
// the case's record body, or deleted: the record ID and the organisation
// of the row, nothing about a person.
type FactsRow struct {
	RecordID string
	OrgID    string
	// Kind is the record's kind (complaint or dispute), empty for a row
	// of no case.
	Kind string
	// Why is what was wrong with the row: "differs", "missing",
	// "unreadable" (rewritten), "extra" (a row of no case the organisation
	// holds: deleted), or for a row left as it is, "body_unreadable" (the
	// case's body does not decode as a case).
	Why string
}

// RollupRepair is what RepairRollup rebuilt, or with DryRun would have.
type RollupRepair struct {
	// CheckedCases is how many cases' facts rows were derived again from
	// their record bodies.
	CheckedCases int
	// Facts are the facts rows rewritten from their bodies or deleted,
	// in record ID order; FactsUnrepairable those left as they are.
	Facts             []FactsRow
	FactsUnrepairable []FactsRow
	// Checked is how many cells were compared with their facts.
	Checked int
	// Rebuilt are the cells rebuilt from their facts, in organisation,
	// month and kind order.
	Rebuilt []RollupCell
	// Unrepairable are the cells some of whose case_facts rows or
	// pending differences do not read: what they should hold is unknown,
	// and they are left as they are.
	Unrepairable []RollupCell
	// DryRun reports that nothing was written.
	DryRun bool
}

// RepairRollup rebuilds from the case_facts rows every cell of the
// casework rollup that audit verification would name: one that differs
// from its facts, is missing where its facts give counts, or does not read
// as counts (on PostgreSQL, the facts less the differences still pending,
// read in one statement). It runs in one transaction that is the only
// writer of case_rollup while it lasts (lockRollup: on PostgreSQL it waits
// for a running fold, and no fold, nor a write's rebuild, runs until it
// commits; writers go on appending facts and pending differences, which a
// later fold adds to the rebuilt cells), so that the cells it writes are
// right however many writers there are. With dryRun it writes nothing and
// returns what it would rebuild. Cells whose facts do not read are
// returned as Unrepairable and left as they are. The store logs each cell
// rebuilt. An error is a database failure (KindInternal).
func (s *Store) RepairRollup(ctx context.Context, dryRun bool) (RollupRepair, error) {
	const op = "sqlstore.RepairRollup"
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return RollupRepair{}, internal(op, err)
	}
	defer func() { _ = tx.Rollback() }()
	out := RollupRepair{DryRun: dryRun}
	if err := s.repairFacts(ctx, tx, &out); err != nil {
		return RollupRepair{}, internal(op, err)
	}
	if err := s.lockRollup(ctx, tx); err != nil {
		return RollupRepair{}, internal(op, err)
	}
	fc, err := s.cellsFromFacts(ctx, tx, "1 = 1", nil)
	if err != nil {
		return RollupRepair{}, internal(op, err)
	}
	stored, err := s.storedCells(ctx, tx, "1 = 1", nil)
	if err != nil {
		return RollupRepair{}, internal(op, err)
	}
	if s.repairHook != nil {
		s.repairHook()
	}
	for _, c := range fc.cellsWith(stored) {
		out.Checked++
		d := fc.compare(c, stored)
		cell := RollupCell{OrgID: c.org, Month: c.month, Kind: c.kind, Counts: len(d.want)}
		switch d.state {
		case cellRight:
			continue
		case cellFactsUnreadable:
			cell.Why = "facts_unreadable"
			out.Unrepairable = append(out.Unrepairable, cell)
			continue
		case cellMissing:
			cell.Why = "missing"
		case cellUnreadable:
			cell.Why = "unreadable"
		case cellDiffers:
			cell.Why = "differs"
		}
		out.Rebuilt = append(out.Rebuilt, cell)
		if err := s.writeCell(ctx, tx, c, d.want); err != nil {
			return RollupRepair{}, internal(op, err)
		}
	}
	if dryRun {
		// The repair's writes are rolled back: nothing is kept.
		return out, nil
	}
	if err := tx.Commit(); err != nil {
		return RollupRepair{}, internal(op, err)
	}
	// Logged once committed: a repair that fails to commit rebuilt nothing.
	for _, f := range out.Facts {
		s.logger.Warn("casework facts row rewritten from its record body", "record_id", f.RecordID, "org_id", f.OrgID,
			"why", "rollup repair: "+f.Why)
	}
	logged := make([]cellRebuild, len(out.Rebuilt))
	for i, cell := range out.Rebuilt {
		logged[i] = cellRebuild{cell: cellKey{cell.OrgID, cell.Month, cell.Kind}, why: "rollup repair: " + cell.Why, counts: cell.Counts}
	}
	s.logRebuilds(logged)
	return out, nil
}

// repairFacts rewrites from its record body each case's facts row that
// audit verification names (factsFindings: one that differs, is missing or
// does not read), and deletes each row of no case its organisation holds,
// in the repair's transaction, before the cells are compared with the
// facts: the cells of those rows are then rebuilt from the mended facts.
// On PostgreSQL the records of the rows found are locked first, in ID
// order, and their rows found again, so that a writer of one of those
// cases, which locks its record before it writes its facts, either
// committed before (and is read) or waits until the repair commits; the
// records are locked before the fold's lock (lockRollup), as a writer that
// rebuilds a cell takes them. A row beside a body that does not decode as
// a case is left as it is (FactsUnrepairable).
func (s *Store) repairFacts(ctx context.Context, tx *sql.Tx, out *RollupRepair) error {
	n, found, err := s.factsFindings(ctx, tx, factsScope{})
	if err != nil {
		return err
	}
	out.CheckedCases = n
	if s.repairFactsHook != nil {
		s.repairFactsHook()
	}
	if len(found) > 0 && s.dialect == Postgres {
		ids := make([]string, 0, len(found))
		for _, f := range found {
			ids = append(ids, f.recordID)
		}
		slices.Sort(ids)
		ids = slices.Compact(ids)
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(ids)), ", ")
		if _, err := tx.ExecContext(ctx, s.q(`SELECT id FROM records WHERE id IN (`+marks+`) ORDER BY id FOR UPDATE`), anys(ids)...); err != nil {
			return err
		}
		if _, found, err = s.factsFindings(ctx, tx, factsScope{ids: ids}); err != nil {
			return err
		}
	}
	for _, f := range found {
		row := FactsRow{RecordID: f.recordID, OrgID: f.org, Kind: f.kind, Why: f.why.String()}
		switch {
		case f.why == factsBodyUnreadable:
			out.FactsUnrepairable = append(out.FactsUnrepairable, row)
			continue
		case f.why == factsExtra:
			_, err = tx.ExecContext(ctx, s.q(`DELETE FROM case_facts WHERE org_id = ? AND record_id = ?`), f.stored.org, f.recordID)
		default:
			_, err = tx.ExecContext(ctx, s.q(`INSERT INTO case_facts (`+factsColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`+factsUpsert),
				f.want.args()...)
		}
		if err != nil {
			return err
		}
		out.Facts = append(out.Facts, row)
	}
	return nil
}
