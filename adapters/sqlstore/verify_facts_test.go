package sqlstore_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/internal/caseseed"
)

// factsEdit is an operator's edit of case_facts that moves a unit's
// figures, and the findings audit verification must name for it.
type factsEdit struct {
	name  string
	query string
	args  []any
	want  []string
}

// operatorFactsEdits edits five cases' facts rows (the first five by
// record ID), each in one way: a changed state, a row moved to another
// organisation and month, a deleted row, an inserted row (a copy of a
// case's row at another organisation) and a duties column that does not
// read. It returns the edits made.
func operatorFactsEdits(t *testing.T, s *sqlstore.Store, raw *sql.DB) []factsEdit {
	t.Helper()
	ph := placeholders(s)
	rows, err := raw.Query(`SELECT record_id, org_id FROM case_facts ORDER BY record_id LIMIT 5`)
	if err != nil {
		t.Fatal(err)
	}
	var ids, orgs []string
	for rows.Next() {
		var id, org string
		if err := rows.Scan(&id, &org); err != nil {
			t.Fatal(err)
		}
		ids, orgs = append(ids, id), append(orgs, org)
	}
	if err := rows.Close(); err != nil || len(ids) < 5 {
		t.Fatalf("%d facts rows: %v", len(ids), err)
	}
	var other string
	if err := raw.QueryRow(ph(`SELECT id FROM organisations WHERE id NOT IN (?, ?) ORDER BY id LIMIT 1`), orgs[1], orgs[3]).Scan(&other); err != nil {
		t.Fatal(err)
	}
	row := func(id, org string) string { return id + " at organisation " + org }
	const cols = `record_id, kind, org_id, registered, month, channel, matter_type, state, handled, within_limit, handling_days, rating, mediated, agreement, performed, confirmed, duties`
	edits := []factsEdit{
		{"a changed state", `UPDATE case_facts SET state = 'closed' WHERE record_id = ?`, []any{ids[0]},
			[]string{row(ids[0], orgs[0]) + " differs from its record body in state"}},
		{"a changed organisation and month", `UPDATE case_facts SET org_id = ?, month = '2020-01' WHERE record_id = ?`, []any{other, ids[1]},
			[]string{row(ids[1], orgs[1]) + " has no case_facts row", "row of record " + row(ids[1], other) + " is of no case"}},
		{"a deleted row", `DELETE FROM case_facts WHERE record_id = ?`, []any{ids[2]},
			[]string{row(ids[2], orgs[2]) + " has no case_facts row"}},
		{"an inserted row", `INSERT INTO case_facts (` + cols + `) SELECT ` + strings.Replace(cols, "org_id", "?", 1) + ` FROM case_facts WHERE record_id = ?`,
			[]any{other, ids[3]}, []string{"row of record " + row(ids[3], other) + " is of no case"}},
		{"an unreadable duties column", `UPDATE case_facts SET duties = ? WHERE record_id = ?`, []any{unreadableDuties(s), ids[4]},
			[]string{row(ids[4], orgs[4]) + " does not read"}},
	}
	for _, e := range edits {
		if _, err := raw.Exec(ph(e.query), e.args...); err != nil {
			t.Fatalf("%s: %v", e.name, err)
		}
	}
	return edits
}

// factsFindings returns the findings of a report about case_facts rows.
func factsFindings(findings []string) []string {
	var out []string
	for _, f := range findings {
		if strings.Contains(f, "case_facts row") && !strings.HasPrefix(f, "casework rollup cell") {
			out = append(out, f)
		}
	}
	return out
}

// TestVerifyDerivesCaseFacts: audit verification derives each case's facts
// row from its record body and names every operator's edit of case_facts
// that moves a unit's figures: a changed state, a row moved to another
// organisation and month (the case's row missing, and a row of no case at
// the other), a deleted row, an inserted row (a copy at another
// organisation) and an unreadable duties column, by record ID and
// organisation only (no person's name: nothing but ASCII). An untouched
// store has no finding and CaseFacts counts every case. ssrad rollup
// repair's RepairRollup then mends every edited row from its body (a dry
// run lists them and keeps nothing), after which verification finds
// nothing and the figures equal stability.MeasureCases over the bodies.
// Without the check no finding names a facts row, and without the repair
// of facts rows the edited rows stay: either fails the test.
func TestVerifyDerivesCaseFacts(t *testing.T) {
	eachSeeded(t, 43, 40, func(t *testing.T, b backend, s *sqlstore.Store, raw *sql.DB, logs *logBuffer, sd *seeder) {
		ctx := context.Background()
		rep, err := s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK || rep.CaseFacts != int64(len(sd.cs)+len(sd.ds)) {
			t.Fatalf("an untouched store: ok %v, %d cases' facts checked of %d, findings %q", rep.OK, rep.CaseFacts, len(sd.cs)+len(sd.ds), rep.Findings)
		}
		edits := operatorFactsEdits(t, s, raw)
		if rep, err = s.VerifyAudit(ctx); err != nil {
			t.Fatal(err)
		}
		found := factsFindings(rep.Findings)
		all := strings.Join(found, "\n")
		n := 0
		for _, e := range edits {
			for _, want := range e.want {
				n++
				if !strings.Contains(all, want) {
					t.Errorf("%s: no finding %q in:\n%s", e.name, want, all)
				}
			}
		}
		if len(found) != n {
			t.Fatalf("%d findings about facts rows, want %d:\n%s", len(found), n, all)
		}
		for _, f := range rep.Findings {
			for _, r := range f {
				if r > 0x7e {
					t.Fatalf("a finding holds more than identifiers: %s", f)
				}
			}
		}
		// The repair: a dry run lists every edited row and keeps nothing;
		// the repair rewrites (or deletes) each, rebuilds the cells they
		// were in, and then verification finds nothing and the figures
		// are MeasureCases' over the bodies.
		for _, dry := range []bool{true, false} {
			rr, err := s.RepairRollup(ctx, dry)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, f := range rr.Facts {
				got = append(got, f.RecordID+" at organisation "+f.OrgID+" "+f.Why)
			}
			if len(rr.Facts) != n || len(rr.FactsUnrepairable) != 0 || len(rr.Unrepairable) != 0 || rr.CheckedCases != len(sd.cs)+len(sd.ds) {
				t.Fatalf("repair (dry run %v): %d facts rows mended, want %d: %q; %+v", dry, len(rr.Facts), n, got, rr)
			}
			for _, e := range edits {
				id := e.args[len(e.args)-1].(string)
				if !strings.Contains(strings.Join(got, "\n"), id) {
					t.Fatalf("repair (dry run %v): %s of %s is not mended: %q", dry, e.name, id, got)
				}
			}
			after, err := s.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if dry && len(factsFindings(after.Findings)) != n {
				t.Fatalf("a dry run changed the facts: %q", after.Findings)
			}
		}
		foldedAndSound(t, s, sd, "after the repair")
		if rr, err := s.RepairRollup(ctx, false); err != nil || len(rr.Facts) != 0 || len(rr.Rebuilt) != 0 {
			t.Fatalf("a repair of sound facts: %+v, %v", rr, err)
		}
		if !strings.Contains(logs.String(), "casework facts row rewritten from its record body") {
			t.Fatalf("the repair logged no facts row:\n%s", logs.String())
		}
	})
}

// TestVerifyDerivesCaseFactsByOrganisation: an organisation's report names
// only its own facts rows.
func TestVerifyDerivesCaseFactsByOrganisation(t *testing.T) {
	eachSeeded(t, 43, 40, func(t *testing.T, b backend, s *sqlstore.Store, raw *sql.DB, logs *logBuffer, sd *seeder) {
		ctx := context.Background()
		edits := operatorFactsEdits(t, s, raw)
		rep, err := s.VerifyAudit(ctx)
		if err != nil {
			t.Fatal(err)
		}
		// An organisation's report names its own rows only.
		org := strings.Fields(strings.SplitAfter(edits[0].want[0], " at organisation ")[1])[0]
		mine, err := s.VerifyOrganisation(ctx, org)
		if err != nil {
			t.Fatal(err)
		}
		mf := factsFindings(mine.Findings)
		if len(mf) == 0 || mine.CaseFacts == 0 || mine.CaseFacts >= rep.CaseFacts {
			t.Fatalf("organisation %s: %d of %d cases, findings %q", org, mine.CaseFacts, rep.CaseFacts, mf)
		}
		for _, f := range mf {
			if !strings.Contains(f, " at organisation "+org+" ") {
				t.Fatalf("organisation %s's report names another's row: %s", org, f)
			}
		}
	})
}

// TestRepairFactsBesideAWriter: on PostgreSQL a case written while
// RepairRollup is between its finding of the case's edited facts row and
// its rewriting of it keeps the writer's facts: the repair locks the
// records of the rows it found and finds their rows again, so it sees the
// writer's new body and row and rewrites nothing. Without the second
// finding the repair writes the row its first reading derived from the
// old body over the writer's, and verification names the case.
func TestRepairFactsBesideAWriter(t *testing.T) {
	s, raw := openPostgres(t)
	ctx := context.Background()
	sd := foldedSeeder(t, s, 47, 30)
	actor := sd.actors[0]
	rec := acceptedComplaint(t, s, sd, "XF-RACE-1", actor)
	c := sd.cs[len(sd.cs)-1]
	if _, err := raw.Exec(`UPDATE case_facts SET state = 'closed' WHERE record_id = $1`, rec.ID); err != nil {
		t.Fatal(err)
	}
	wrote := false
	sqlstore.SetRepairFactsHook(s, func() {
		// The acceptance, written by another transaction, commits now.
		if _, err := s.Update(ctx, actor, "complaint.accept", store.RecordComplaint, rec.ID, rec.Version, caseseed.ComplaintFields(c)); err != nil {
			t.Error(err)
		}
		wrote = true
	})
	rr, err := s.RepairRollup(ctx, false)
	sqlstore.SetRepairFactsHook(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !wrote {
		t.Fatal("the hook did not run: the test tests nothing")
	}
	if len(rr.Facts) != 0 {
		t.Fatalf("the repair rewrote %+v, want nothing: the writer's row is the body's", rr.Facts)
	}
	foldedAndSound(t, s, sd, "after a repair beside a writer")
}

// TestVerifyNamesACalendarMismatch: a check run with another calendar than
// the one the facts were written with names the rows of cases whose
// working days the two calendars count differently, by the columns
// counted on the calendar only, each with the hint to check again with the
// server's calendar before a repair; the same check with the server's
// calendar finds nothing, and a row edited in another column carries no
// such hint.
func TestVerifyNamesACalendarMismatch(t *testing.T) {
	ctx := context.Background()
	var wednesdays []ssra.Date
	for d := ssra.MustDate(2025, time.January, 1); d.Before(ssra.MustDate(2028, time.January, 1)); d = d.AddDays(1) {
		if d.Weekday() == time.Wednesday {
			wednesdays = append(wednesdays, d)
		}
	}
	other, err := ssra.NewCalendarCovering("weekends and Wednesdays", ssra.MustDate(2025, time.January, 1), ssra.MustDate(2027, time.December, 31), wednesdays, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			dsn := b.fresh(t)
			s, raw := openOn(t, b, dsn)
			foldedSeeder(t, s, 47, 40)
			if rep, err := s.VerifyAudit(ctx); err != nil || len(factsFindings(rep.Findings)) != 0 {
				t.Fatalf("with the server's calendar: %v, %q", err, rep.Findings)
			}
			elsewhere, err := sqlstore.Open(ctx, dsn, sqlstore.WithLogKey(testLogKey(t)), sqlstore.WithCalendar(other))
			if err != nil {
				t.Fatal(err)
			}
			defer elsewhere.Close()
			rep, err := elsewhere.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			found := factsFindings(rep.Findings)
			if len(found) == 0 {
				t.Fatal("a check with Wednesdays off finds no row of 40 cases differing")
			}
			for _, f := range found {
				cols := f[strings.Index(f, " in ")+4 : strings.Index(f, ": ssrad rollup repair")]
				for _, c := range strings.Split(cols, ", ") {
					if c != "within_limit" && c != "handling_days" && c != "duties" {
						t.Fatalf("a calendar's difference names column %q: %s", c, f)
					}
				}
				if !strings.Contains(f, "check again with the server's -calendar") {
					t.Fatalf("no hint at the calendar: %s", f)
				}
			}
			var id string
			if err := raw.QueryRow(`SELECT record_id FROM case_facts ORDER BY record_id LIMIT 1`).Scan(&id); err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(placeholders(s)(`UPDATE case_facts SET state = 'closed' WHERE record_id = ?`), id); err != nil {
				t.Fatal(err)
			}
			rep, err = s.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if found := factsFindings(rep.Findings); len(found) != 1 || !strings.Contains(found[0], id) || strings.Contains(found[0], "-calendar") {
				t.Fatalf("an edited state: %q", found)
			}
		})
	}
}
