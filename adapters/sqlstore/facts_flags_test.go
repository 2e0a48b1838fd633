package sqlstore_test

import (
	"context"
	"testing"

	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/internal/caseseed"
	"github.com/ssra-go/ssra/stability"
)

// TestFactsFlagsBecomeBooleans: migration 21 turns PostgreSQL's five
// yes-or-no case_facts columns from SMALLINT 0/1 under CHECK constraints
// into BOOLEAN. A database whose rows are in the old form (the columns put
// back as migration 20 left them, holding the facts the store wrote)
// keeps every fact through it: the same count of each, the domain's
// figures from the rollup and from the facts rows, audit verification
// finding every row equal to its case body; the type refuses a value that
// is neither, and writes go on.
func TestFactsFlagsBecomeBooleans(t *testing.T) {
	dsn := freshPostgres(t)
	s, raw := openMigrated(t, dsn, "pgx", dsn)
	sd := newSeeder(t, s, 11)
	sd.write(60)
	flags := []string{"within_limit", "mediated", "agreement", "performed", "confirmed"}
	count := func(col, yes string) int {
		t.Helper()
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM case_facts WHERE ` + col + ` = ` + yes).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	want := map[string]int{}
	for _, c := range flags {
		want[c] = count(c, "TRUE")
	}
	if want["within_limit"] == 0 || want["mediated"] == 0 {
		t.Fatalf("seeded facts %v: too few to check a conversion", want)
	}

	// The columns as migration 20 left them, holding the same facts.
	if _, err := raw.Exec(`ALTER TABLE case_facts
		ALTER COLUMN within_limit TYPE SMALLINT USING CAST(within_limit AS INTEGER), ADD CHECK (within_limit IN (0, 1)),
		ALTER COLUMN mediated TYPE SMALLINT USING CAST(mediated AS INTEGER), ADD CHECK (mediated IN (0, 1)),
		ALTER COLUMN agreement TYPE SMALLINT USING CAST(agreement AS INTEGER), ADD CHECK (agreement IN (0, 1)),
		ALTER COLUMN performed TYPE SMALLINT USING CAST(performed AS INTEGER), ADD CHECK (performed IN (0, 1)),
		ALTER COLUMN confirmed TYPE SMALLINT USING CAST(confirmed AS INTEGER), ADD CHECK (confirmed IN (0, 1))`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DELETE FROM schema_migrations WHERE version = 21`); err != nil {
		t.Fatal(err)
	}
	for _, c := range flags {
		if n := count(c, "1"); n != want[c] {
			t.Fatalf("%s: %d rows of 1 in the old form, want %d", c, n, want[c])
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s, _ = openMigrated(t, dsn, "pgx", dsn) // migrates
	for _, c := range flags {
		var typ string
		if err := raw.QueryRow(`SELECT data_type FROM information_schema.columns WHERE table_name = 'case_facts' AND column_name = $1`, c).Scan(&typ); err != nil {
			t.Fatal(err)
		}
		if typ != "boolean" {
			t.Fatalf("%s is %s after migration 21, want boolean", c, typ)
		}
		if n := count(c, "TRUE"); n != want[c] {
			t.Fatalf("%s: %d rows true after migration 21, want %d", c, n, want[c])
		}
	}
	var checks int
	if err := raw.QueryRow(`SELECT COUNT(*) FROM pg_constraint WHERE conrelid = 'case_facts'::regclass AND contype = 'c'`).Scan(&checks); err != nil {
		t.Fatal(err)
	}
	if checks != 1 {
		t.Fatalf("case_facts has %d CHECK constraints after migration 21, want 1 (the kind's)", checks)
	}
	same := func(what string) {
		t.Helper()
		sameSeededFigures(t, s, sd, what)
		// A channel filter reads the facts rows, not the rollup.
		q := stability.CaseFilter{Channels: []string{"online", "letter", "phone", "visit", "people", "administrative", "judicial"}}
		g := stability.Grouping{ByOrgan: true, ByMonth: true}
		got, err := s.CaseStats(context.Background(), sqlstore.System, store.StatsQuery{Filter: q, Grouping: g, Now: sd.now})
		if err != nil {
			t.Fatal(err)
		}
		sameFigures(t, what+", from the facts rows", got, stability.MeasureCases(sd.cs, sd.ds, q, g, sd.now))
		verifyOK(t, s)
	}
	same("after migration 21")
	if _, err := raw.Exec(`UPDATE case_facts SET mediated = 2 WHERE record_id = (SELECT record_id FROM case_facts LIMIT 1)`); err == nil {
		t.Fatal("case_facts took mediated = 2")
	}
	sd.w = caseseed.NewWriter(s, sd.actors)
	sd.write(3)
	same("three more cases")
}
