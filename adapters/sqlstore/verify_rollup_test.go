package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// TestVerifyChecksRollupCells: audit verification recomputes the casework
// rollup from the case facts and compares every cell, with the
// differences still pending (PostgreSQL), in one snapshot: a store whose
// cells are their facts' sums verifies, folded or not; a cell edited into
// text that does not read, one edited into wrong counts, one deleted, and
// one whose facts row does not read are each named, by organisation,
// month and kind of case, and the log's report is not OK. An
// organisation's report names only its own cells.
func TestVerifyChecksRollupCells(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		sd := newSeeder(t, s, 23)
		sd.write(30)
		if _, err := s.FoldRollup(ctx); err != nil {
			t.Fatal(err)
		}
		sd.write(10) // pending on PostgreSQL
		if err := s.Drain(ctx); err != nil {
			t.Fatal(err)
		}
		rep, err := s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK || rep.RollupCells < 10 {
			t.Fatalf("an untouched store: ok %v, %d rollup cells, findings %q", rep.OK, rep.RollupCells, rep.Findings)
		}
		if _, err := s.FoldRollup(ctx); err != nil {
			t.Fatal(err)
		}
		cells := rollupCells(t, raw)
		if int64(len(cells)) != rep.RollupCells {
			t.Fatalf("%d cells stored, %d checked", len(cells), rep.RollupCells)
		}

		ph := func(q string) string {
			if s.Dialect() == sqlstore.Postgres {
				for i := 1; strings.Contains(q, "?"); i++ {
					q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
				}
			}
			return q
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := raw.Exec(ph(q), args...); err != nil {
				t.Fatal(err)
			}
		}
		name := func(c rollupCell) string {
			return fmt.Sprintf("casework rollup cell of organisation %s, month %s, kind %s", c.org, c.month, c.kind)
		}
		unreadable, wrong, missing, badFacts := cells[0], cells[1], cells[2], cells[3]
		exec(`UPDATE case_rollup SET counts = ? WHERE org_id = ? AND month = ? AND kind = ?`, "cases many", unreadable.org, unreadable.month, unreadable.kind)
		lines := strings.Split(wrong.counts, "\n")
		for i, l := range lines {
			if n, ok := strings.CutPrefix(l, "cases "); ok {
				k, _ := strconv.Atoi(n)
				lines[i] = "cases " + strconv.Itoa(k+5)
			}
		}
		exec(`UPDATE case_rollup SET counts = ? WHERE org_id = ? AND month = ? AND kind = ?`, strings.Join(lines, "\n"), wrong.org, wrong.month, wrong.kind)
		exec(`DELETE FROM case_rollup WHERE org_id = ? AND month = ? AND kind = ?`, missing.org, missing.month, missing.kind)
		var record string
		if err := raw.QueryRow(ph(`SELECT record_id FROM case_facts WHERE org_id = ? AND month = ? AND kind = ? ORDER BY record_id LIMIT 1`),
			badFacts.org, badFacts.month, badFacts.kind).Scan(&record); err != nil {
			t.Fatal(err)
		}
		exec(`UPDATE case_facts SET duties = '{}' WHERE org_id = ? AND record_id = ?`, badFacts.org, record)

		rep, err = s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		all := strings.Join(rep.Findings, "\n")
		for _, want := range []string{
			name(unreadable) + " does not read as counts",
			name(wrong) + ` differs from its case facts in 1 counts: "cases" is`,
			name(missing) + " is missing",
			name(badFacts) + " cannot be recomputed: 1 of its case_facts rows",
			// The facts row itself, derived again from its record's body.
			" " + record + " at organisation " + badFacts.org + " does not read",
		} {
			if !strings.Contains(all, want) {
				t.Errorf("no finding %q in:\n%s", want, all)
			}
		}
		if rep.OK || len(rep.Findings) != 5 {
			t.Fatalf("after four edits: ok %v, %d findings, want 5:\n%s", rep.OK, len(rep.Findings), all)
		}

		// An organisation's report names its own cells only.
		org := unreadable.org
		mine, err := s.VerifyOrganisation(ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		edited := func(org string) int {
			n := 0
			for _, c := range []rollupCell{unreadable, wrong, missing, badFacts} {
				if c.org == org {
					n++
				}
			}
			if badFacts.org == org {
				n++ // its facts row's finding
			}
			return n
		}
		if n := edited(org); mine.OK || len(mine.Findings) != n {
			t.Fatalf("organisation %s: ok %v, findings %q; want %d", org, mine.OK, mine.Findings, n)
		}
		for _, f := range mine.Findings {
			if !strings.Contains(f, "organisation "+org+",") && !strings.Contains(f, "organisation "+org+" ") {
				t.Fatalf("organisation %s's report names another's cell: %s", org, f)
			}
		}
		other := cells[len(cells)-1].org
		if other == org {
			t.Fatal("one organisation holds every cell: the test tests nothing")
		}
		theirs, err := s.VerifyOrganisation(ctx, other)
		if err != nil {
			t.Fatal(err)
		}
		if n := edited(other); theirs.OK != (n == 0) || len(theirs.Findings) != n || theirs.RollupCells == 0 || theirs.RollupCells >= rep.RollupCells {
			t.Fatalf("organisation %s: ok %v, %d of %d cells, findings %q", other, theirs.OK, theirs.RollupCells, rep.RollupCells, theirs.Findings)
		}
	})
}
