package sqlstore_test

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// TestRollupFoldKeepsFigures: the figures are the domain's whether the
// rollup's differences are pending, folded, or being folded while cases
// are written; a fold empties the pending part (PostgreSQL), leaves no
// count of zero, and folds nothing twice.
func TestRollupFoldKeepsFigures(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		groupings := []stability.Grouping{{}, {ByOrgan: true}, {ByOrgan: true, ByMonth: true}}
		check := func(what string, cs []*stability.Complaint, ds []*stability.Dispute, now time.Time) {
			t.Helper()
			for _, g := range groupings {
				got, err := s.CaseStats(ctx, sqlstore.System, store.StatsQuery{Grouping: g, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				sameFigures(t, what, got, stability.MeasureCases(cs, ds, stability.CaseFilter{}, g, now))
			}
		}
		pending := func() int {
			t.Helper()
			var n int
			if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_rollup_pending`).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
		// Cases written while a fold runs every few milliseconds.
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				case <-time.After(3 * time.Millisecond):
				}
				if _, err := s.FoldRollup(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		}()
		_, cs, ds, now := seeded(t, s, 11, 60)
		close(stop)
		wg.Wait()
		check("written while folding", cs, ds, now)
		n, err := s.FoldRollup(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if s.Dialect() == sqlstore.SQLite && n != 0 {
			t.Fatalf("SQLite folded %d rows: its writes update the rollup directly", n)
		}
		if got := pending(); got != 0 {
			t.Fatalf("after a fold: %d pending rows, want 0", got)
		}
		check("folded", cs, ds, now)
		if zero := zeroCounts(t, raw); zero != 0 {
			t.Fatalf("after a fold: %d counts of zero, want none", zero)
		}
		if n, err := s.FoldRollup(ctx); err != nil || n != 0 {
			t.Fatalf("a second fold: %d rows, %v; want 0, nil", n, err)
		}
		check("folded twice", cs, ds, now)
	})
}

// TestRollupPendingOneRowPerCell: on PostgreSQL a write appends one
// pending row a cell it changes, its differences as lines; rows of one
// difference each (as servers before appended, one a count) are summed
// and folded all the same, so a rolling upgrade loses no count.
func TestRollupPendingOneRowPerCell(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		if s.Dialect() != sqlstore.Postgres {
			t.Skip("SQLite updates the cells directly")
		}
		ctx := context.Background()
		_, cs, ds, now := seeded(t, s, 23, 40)
		check := func(what string) {
			t.Helper()
			for _, g := range []stability.Grouping{{}, {ByOrgan: true, ByMonth: true}} {
				got, err := s.CaseStats(ctx, sqlstore.System, store.StatsQuery{Grouping: g, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				sameFigures(t, what, got, stability.MeasureCases(cs, ds, stability.CaseFilter{}, g, now))
			}
		}
		var rows int
		if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_rollup_pending`).Scan(&rows); err != nil || rows == 0 {
			t.Fatalf("%d pending rows, %v", rows, err)
		}
		// Rewrite the pending rows in the older form, one difference a row.
		type row struct {
			org, month, kind, metric string
			n                        int64
		}
		var old []row
		rs, err := raw.QueryContext(ctx, `DELETE FROM case_rollup_pending RETURNING org_id, month, kind, metric, n`)
		if err != nil {
			t.Fatal(err)
		}
		for rs.Next() {
			var r row
			if err := rs.Scan(&r.org, &r.month, &r.kind, &r.metric, &r.n); err != nil {
				t.Fatal(err)
			}
			if r.n != 0 {
				t.Fatalf("a write appended a row of one difference: %+v", r)
			}
			for _, line := range strings.Split(r.metric, "\n") {
				sp := strings.LastIndexByte(line, ' ')
				n, err := strconv.ParseInt(line[sp+1:], 10, 64)
				if err != nil || n == 0 {
					t.Fatalf("line %q of %q", line, r.metric)
				}
				old = append(old, row{r.org, r.month, r.kind, strings.ReplaceAll(line[:sp], `\\`, `\`), n})
			}
		}
		if err := rs.Close(); err != nil {
			t.Fatal(err)
		}
		for _, r := range old {
			if _, err := raw.ExecContext(ctx, `INSERT INTO case_rollup_pending (org_id, month, kind, metric, n) VALUES ($1, $2, $3, $4, $5)`,
				r.org, r.month, r.kind, r.metric, r.n); err != nil {
				t.Fatal(err)
			}
		}
		if len(old) <= rows {
			t.Fatalf("%d differences in %d rows: nothing to split", len(old), rows)
		}
		check("pending, one difference a row")
		if n, err := s.FoldRollup(ctx); err != nil || n != int64(len(old)) {
			t.Fatalf("fold: %d rows, %v; want %d", n, err, len(old))
		}
		check("folded")
		if zero := zeroCounts(t, raw); zero != 0 {
			t.Fatalf("%d counts of zero after the fold", zero)
		}
	})
}
