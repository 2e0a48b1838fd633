package sqlstore_test

import (
	"context"
	"database/sql"
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
