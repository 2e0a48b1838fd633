//go:build ssra_nofacts

package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// TestNoFactsBuildKeepsNoFiguresAndRefusesCases runs only in a build with
// the tag ssra_nofacts (CI runs it so): that build writes cases without
// their facts, and Migrate refuses a database that holds a case, so that
// it never writes into a database whose figures someone reads.
func TestNoFactsBuildKeepsNoFiguresAndRefusesCases(t *testing.T) {
	if !sqlstore.FactsOff() {
		t.Fatal("FactsOff() is false in a build with the tag ssra_nofacts")
	}
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		_, _, _, _ = seeded(t, s, 7, 12)
		var facts int
		if err := raw.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_facts`).Scan(&facts); err != nil {
			t.Fatal(err)
		}
		if facts != 0 {
			t.Fatalf("case_facts holds %d rows in a build that keeps none", facts)
		}
		_, err := s.Migrate(ctx)
		if ssra.KindOf(err) != ssra.KindConflict {
			t.Fatalf("Migrate on a database holding cases = %v, want a conflict", err)
		}
	})
}
