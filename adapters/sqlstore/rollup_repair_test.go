package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/internal/caseseed"
	"github.com/ssra-go/ssra/stability"
)

// logBuffer is a log's text, safe for concurrent writers.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// openLogged opens a fresh migrated store of backend b that logs to logs.
func openLogged(t *testing.T, b backend, logs *logBuffer) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	return openOn(t, b, b.fresh(t), sqlstore.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
}

// openOn opens and migrates a store with opts on the backend b's database
// dsn, and a raw connection to it.
func openOn(t *testing.T, b backend, dsn string, opts ...sqlstore.Option) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	if b.name == "sqlite" {
		return openMigrated(t, dsn, "sqlite", dsn+"?_pragma=busy_timeout(10000)", opts...)
	}
	return openMigrated(t, dsn, "pgx", dsn, opts...)
}

// sameSeededFigures compares the store's figures, in all and by
// organisation and month, with stability.MeasureCases over every case the
// seeder wrote.
func sameSeededFigures(t *testing.T, s *sqlstore.Store, sd *seeder, what string) {
	t.Helper()
	for _, g := range []stability.Grouping{{}, {ByOrgan: true, ByMonth: true}} {
		got, err := s.CaseStats(context.Background(), sqlstore.System, store.StatsQuery{Grouping: g, Now: sd.now})
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		sameFigures(t, what, got, stability.MeasureCases(sd.cs, sd.ds, stability.CaseFilter{}, g, sd.now))
	}
}

// foldedSeeder writes n cases with a new seeder and folds the rollup.
func foldedSeeder(t *testing.T, s *sqlstore.Store, seed uint64, n int) *seeder {
	t.Helper()
	sd := newSeeder(t, s, seed)
	sd.write(n)
	if _, err := s.FoldRollup(context.Background()); err != nil {
		t.Fatal(err)
	}
	return sd
}

// foldedAndSound folds the rollup and integrates the log, and checks that
// audit verification is clean and the figures are the seeder's cases'.
func foldedAndSound(t *testing.T, s *sqlstore.Store, sd *seeder, what string) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.FoldRollup(ctx); err != nil {
		t.Fatal(err)
	}
	if err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	rep, err := s.VerifyAudit(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.OK {
		t.Fatalf("verification %s: %q", what, rep.Findings)
	}
	sameSeededFigures(t, s, sd, what)
}

// eachSeeded runs fn on a fresh store of each backend that logs to logs,
// with n cases written by a new seeder (seed) and the rollup folded.
func eachSeeded(t *testing.T, seed uint64, n int, fn func(t *testing.T, b backend, s *sqlstore.Store, raw *sql.DB, logs *logBuffer, sd *seeder)) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			var logs logBuffer
			s, raw := openLogged(t, b, &logs)
			fn(t, b, s, raw, &logs, foldedSeeder(t, s, seed, n))
		})
	}
}

// placeholders returns a function that writes a query's ? parameters as
// the store's database wants them ($1, $2, … on PostgreSQL).
func placeholders(s *sqlstore.Store) func(string) string {
	return func(q string) string {
		if s.Dialect() == sqlstore.Postgres {
			for i := 1; strings.Contains(q, "?"); i++ {
				q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
			}
		}
		return q
	}
}

// unreadableDuties is a case_facts.duties value that the store cannot
// read as duties: not JSON on SQLite, a JSON string on PostgreSQL (whose
// jsonb column takes only JSON).
func unreadableDuties(s *sqlstore.Store) string {
	if s.Dialect() == sqlstore.Postgres {
		return `"not duties"`
	}
	return `not json`
}

// rollupCell is a row of case_rollup as stored.
type rollupCell struct {
	org, month, kind string
	counts           string
}

// readable reports whether the cell reads as counts.
func (c rollupCell) readable() bool { return readsAsCounts(c.counts) }

func rollupCells(t *testing.T, raw *sql.DB) []rollupCell {
	t.Helper()
	rows, err := raw.Query(`SELECT org_id, month, kind, counts FROM case_rollup ORDER BY org_id, month, kind`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []rollupCell
	for rows.Next() {
		var c rollupCell
		if err := rows.Scan(&c.org, &c.month, &c.kind, &c.counts); err != nil {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// readsAsCounts reports whether a cell's text is lines "METRIC N".
func readsAsCounts(text string) bool {
	for line := range strings.SplitSeq(text, "\n") {
		sp := strings.LastIndexByte(line, ' ')
		if sp < 0 {
			return false
		}
		if _, err := strconv.ParseInt(line[sp+1:], 10, 64); err != nil {
			return false
		}
	}
	return true
}

// TestMalformedRollupCellsDoNotStopWrites: an operator's edit that leaves
// rollup cells unreadable (a line without a count, a count that is not a
// number, on SQLite a BLOB) stops neither the figures nor the writes. A
// read takes such a cell from the case facts; a write into it succeeds and
// rebuilds it from the facts (SQLite, in the write's own transaction;
// PostgreSQL's writes never read a cell, and its fold rebuilds it), and
// the log names each rebuilt cell's organisation, month and kind. The
// figures equal stability.MeasureCases over every case written, before
// and after. Without the rebuild, SQLite's writes into such a cell fail
// and PostgreSQL's fold and figures do.
func TestMalformedRollupCellsDoNotStopWrites(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			var logs logBuffer
			s, raw := openLogged(t, b, &logs)
			ctx := context.Background()
			fold := func() {
				t.Helper()
				if _, err := s.FoldRollup(ctx); err != nil {
					t.Fatalf("fold: %v", err)
				}
			}
			sd := newSeeder(t, s, 17)
			sd.write(40)
			fold()
			check := func(what string) {
				t.Helper()
				sameSeededFigures(t, s, sd, what)
			}

			// Edits that leave a cell unreadable: a line without a count, a
			// count that is not a number.
			forms := []string{"cases", "cases many\nhandled 2"}
			update := `UPDATE case_rollup SET counts = $1 WHERE org_id = $2 AND month = $3 AND kind = $4`
			if b.name == "sqlite" {
				update = `UPDATE case_rollup SET counts = ? WHERE org_id = ? AND month = ? AND kind = ?`
			}
			cells := rollupCells(t, raw)
			if len(cells) < 10 {
				t.Fatalf("%d cells: too few to test", len(cells))
			}
			for i, c := range cells {
				if _, err := raw.Exec(update, forms[i%len(forms)], c.org, c.month, c.kind); err != nil {
					t.Fatal(err)
				}
			}
			corrupt := map[[3]string]string{}
			for _, c := range rollupCells(t, raw) {
				if c.readable() {
					t.Fatalf("cell %s %s %s still reads: %q", c.org, c.month, c.kind, c.counts)
				}
				corrupt[[3]string{c.org, c.month, c.kind}] = c.counts
			}
			check("cells unreadable, read from the facts")
			if !strings.Contains(logs.String(), "measured from the case facts") {
				t.Fatalf("no log of the cells read from the facts:\n%s", logs.String())
			}

			// Writes into those cells succeed (sd.write fails the test
			// on any error), and the figures are right.
			sd.write(40)
			check("after writes into unreadable cells")
			fold()
			check("after the fold")

			rebuilt := 0
			for _, c := range rollupCells(t, raw) {
				was, ok := corrupt[[3]string{c.org, c.month, c.kind}]
				if ok && was == c.counts {
					continue // no write touched it: still as edited
				}
				if !c.readable() {
					t.Fatalf("cell %s %s %s, written after the edit, does not read: %q", c.org, c.month, c.kind, c.counts)
				}
				if !ok {
					continue // a new cell
				}
				rebuilt++
				line := fmt.Sprintf("msg=\"casework rollup cell rebuilt from the case facts\" org_id=%s month=%s kind=%s", c.org, c.month, c.kind)
				if !strings.Contains(logs.String(), line) {
					t.Fatalf("no log line %s:\n%s", line, logs.String())
				}
			}
			if rebuilt == 0 {
				t.Fatal("no write touched an unreadable cell: the test tests nothing")
			}
			t.Logf("%d cells edited, %d of them rebuilt after writes into them", len(corrupt), rebuilt)
		})
	}
}

// TestUnreadableFactsRowDoesNotStopItsCase: a case whose case_facts row's
// duties column does not read (an operator's edit) can still be written:
// the write that transitions it replaces the row from the case value and
// rebuilds the case's rollup cell from the facts in its transaction
// (instead of subtracting the old row's unknown counts), and logs a
// warning naming the record and the cell, never the row's text. The
// figures then equal stability.MeasureCases, and audit verification finds
// nothing. Without the rebuild the write fails (a 500 at the REST edge).
func TestUnreadableFactsRowDoesNotStopItsCase(t *testing.T) {
	eachSeeded(t, 29, 40, func(t *testing.T, b backend, s *sqlstore.Store, raw *sql.DB, logs *logBuffer, sd *seeder) {
		ctx := context.Background()
		ph := placeholders(s)
		// A complaint that can still be accepted, or failing that one
		// still open to a side mark: either is a write of its facts.
		// The seeder's values are bound to their deadline profile.
		var (
			rec  store.Record
			c    *stability.Complaint
			done bool
		)
		by := stability.Participant{ID: "staff-test", Name: "工作人员", Role: stability.RoleStaff}
		for pass := 0; pass < 2 && !done; pass++ {
			for _, x := range sd.cs {
				by.Unit = x.Organ
				var err error
				if pass == 0 {
					err = x.Accept(sd.now, by)
				} else {
					err = x.Supervise(sd.now, by, "督办")
				}
				if err != nil {
					continue
				}
				var id string
				if err := raw.QueryRow(ph(`SELECT id FROM records WHERE reference = ?`), x.Ref).Scan(&id); err != nil {
					t.Fatal(err)
				}
				if rec, err = s.Get(ctx, sqlstore.System, store.RecordComplaint, id); err != nil {
					t.Fatal(err)
				}
				c, done = x, true
				break
			}
		}
		if !done {
			t.Fatal("no complaint could be transitioned: the test tests nothing")
		}
		bad := unreadableDuties(s)
		if _, err := raw.Exec(ph(`UPDATE case_facts SET duties = ? WHERE record_id = ?`), bad, rec.ID); err != nil {
			t.Fatal(err)
		}
		var month, kind string
		if err := raw.QueryRow(ph(`SELECT month, kind FROM case_facts WHERE record_id = ?`), rec.ID).Scan(&month, &kind); err != nil {
			t.Fatal(err)
		}
		actor := sd.actors[0]
		for _, a := range sd.actors {
			if a.OrgID == rec.OrgID {
				actor = a
			}
		}
		if _, err := s.Update(ctx, actor, "complaint.change", store.RecordComplaint, rec.ID, rec.Version,
			caseseed.ComplaintFields(c)); err != nil {
			t.Fatalf("a write of the case whose facts row does not read: %v", err)
		}
		sd.write(10) // more writes, into the rebuilt cells too
		check := func(what string) {
			t.Helper()
			sameSeededFigures(t, s, sd, what)
		}
		check("after the write")
		foldedAndSound(t, s, sd, "after the fold")
		line := fmt.Sprintf("record_id=%s org_id=%s month=%s kind=%s", rec.ID, rec.OrgID, month, kind)
		if !strings.Contains(logs.String(), line) {
			t.Fatalf("no warning naming %s:\n%s", line, logs.String())
		}
		if strings.Contains(logs.String(), "not json") || strings.Contains(logs.String(), "not duties") {
			t.Fatalf("the log holds the row's text:\n%s", logs.String())
		}
	})
}

// TestUnreadableFactsRowOfARoutedCase: a case whose case_facts row's
// duties column does not read can still be routed to another
// organisation (Store.Route): the write deletes the old organisation's
// row, writes the new one's from the case value, and rebuilds both the
// old cell and the new cell from the facts in its transaction, logging
// each. The
// figures by organisation and month then equal stability.MeasureCases
// over the cases as they now are (the routed one counted at its new
// organisation), before and after a fold, and audit verification names no
// rollup cell. The warning names the record and the old cell. Without the
// old cell's rebuild it keeps the routed case's counts and the figures
// differ; without the new cell's, that cell is not rebuilt (its log line
// is missing), though its difference gives it the same counts.
func TestUnreadableFactsRowOfARoutedCase(t *testing.T) {
	eachSeeded(t, 31, 40, func(t *testing.T, b backend, s *sqlstore.Store, raw *sql.DB, logs *logBuffer, sd *seeder) {
		ctx := context.Background()
		ph := placeholders(s)
		from, to := sd.actors[0], sd.actors[1]

		// A complaint registered at the first organisation, in a month
		// the seeder's cases share, and folded into its cell.
		clerk := stability.Participant{ID: "clerk", Name: "办理人", Role: stability.RoleStaff, Unit: from.OrgID}
		c, t0 := newClaim(t, "XF-ROUTE-1", from.OrgID, clerk)
		rec, err := s.Create(ctx, from, "complaint.register", store.RecordComplaint, caseseed.ComplaintFields(c))
		if err != nil {
			t.Fatal(err)
		}
		sd.cs = append(sd.cs, c)
		if _, err := s.FoldRollup(ctx); err != nil {
			t.Fatal(err)
		}
		sameSeededFigures(t, s, sd, "registered")

		var month, kind string
		if err := raw.QueryRow(ph(`SELECT month, kind FROM case_facts WHERE record_id = ?`), rec.ID).Scan(&month, &kind); err != nil {
			t.Fatal(err)
		}
		others := 0
		if err := raw.QueryRow(ph(`SELECT COUNT(*) FROM case_facts WHERE month = ? AND kind = ? AND record_id <> ? AND org_id IN (?, ?)`),
			month, kind, rec.ID, from.OrgID, to.OrgID).Scan(&others); err != nil {
			t.Fatal(err)
		}
		if others == 0 {
			t.Fatalf("no other case in month %s at either organisation: the cells rebuilt hold only the routed case", month)
		}
		if _, err := raw.Exec(ph(`UPDATE case_facts SET duties = ? WHERE record_id = ?`), unreadableDuties(s), rec.ID); err != nil {
			t.Fatal(err)
		}

		// Routed through the store's own API to the second organisation.
		if err := c.Route(t0.Add(time.Hour), clerk, stability.Destination{Organ: to.OrgID}, stability.RouteTransfer); err != nil {
			t.Fatal(err)
		}
		routed, err := s.Route(ctx, from, "complaint.route", store.RecordComplaint, rec.ID, rec.Version, to.OrgID, caseseed.ComplaintFields(c))
		if err != nil {
			t.Fatalf("routing the case whose facts row does not read: %v", err)
		}
		if routed.OrgID != to.OrgID {
			t.Fatalf("routed to %s, want %s", routed.OrgID, to.OrgID)
		}
		var org, toMonth, toKind string
		if err := raw.QueryRow(ph(`SELECT org_id, month, kind FROM case_facts WHERE record_id = ?`), rec.ID).Scan(&org, &toMonth, &toKind); err != nil || org != to.OrgID {
			t.Fatalf("facts row of the routed case at %q, want %s: %v", org, to.OrgID, err)
		}
		// Both cells were rebuilt in the write's transaction (the
		// figures alone cannot tell: the new cell's difference would
		// give it the same counts).
		for _, cell := range [][3]string{{from.OrgID, month, kind}, {to.OrgID, toMonth, toKind}} {
			line := fmt.Sprintf("msg=\"casework rollup cell rebuilt from the case facts\" org_id=%s month=%s kind=%s why=\"a case facts row of the cell does not read\"",
				cell[0], cell[1], cell[2])
			if !strings.Contains(logs.String(), line) {
				t.Fatalf("no log line %s:\n%s", line, logs.String())
			}
		}
		sameSeededFigures(t, s, sd, "after the route")
		sd.write(10) // more writes, into the rebuilt cells too
		sameSeededFigures(t, s, sd, "after more writes")
		foldedAndSound(t, s, sd, "after the fold") // no finding at all, of a rollup cell or other
		line := fmt.Sprintf("record_id=%s org_id=%s month=%s kind=%s", rec.ID, from.OrgID, month, kind)
		if !strings.Contains(logs.String(), line) {
			t.Fatalf("no warning naming %s:\n%s", line, logs.String())
		}
	})
}

// TestRepairRollupBesideWriters: RepairRollup rebuilds every cell that
// verification names (one edited into wrong counts, one that does not
// read, one deleted), and, run again and again while cases are written and
// the rollup folded (PostgreSQL), never loses a write: each run is the
// only writer of the cells while it lasts, reading the facts less the
// pending differences in one statement. Afterwards verification is clean
// and the figures equal stability.MeasureCases. A dry run writes nothing.
// A cell whose facts row does not read is summed once the repair has
// rewritten the row from its record body.
func TestRepairRollupBesideWriters(t *testing.T) {
	eachSeeded(t, 31, 40, func(t *testing.T, b backend, s *sqlstore.Store, raw *sql.DB, logs *logBuffer, sd *seeder) {
		ctx := context.Background()
		ph := placeholders(s)
		cells := rollupCells(t, raw)
		if len(cells) < 6 {
			t.Fatalf("%d cells: too few to test", len(cells))
		}
		exec := func(q string, args ...any) {
			t.Helper()
			if _, err := raw.Exec(ph(q), args...); err != nil {
				t.Fatal(err)
			}
		}
		exec(`UPDATE case_rollup SET counts = ? WHERE org_id = ? AND month = ? AND kind = ?`, "cases 99", cells[0].org, cells[0].month, cells[0].kind)
		exec(`UPDATE case_rollup SET counts = ? WHERE org_id = ? AND month = ? AND kind = ?`, "cases many", cells[2].org, cells[2].month, cells[2].kind)
		exec(`DELETE FROM case_rollup WHERE org_id = ? AND month = ? AND kind = ?`, cells[4].org, cells[4].month, cells[4].kind)

		dry, err := s.RepairRollup(ctx, true)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(dry.Rebuilt); got != 3 || !dry.DryRun {
			t.Fatalf("dry run: %d cells to rebuild, want 3: %+v", got, dry)
		}
		if rep, err := s.VerifyAudit(ctx); err != nil || rep.OK {
			t.Fatalf("verification after a dry run: ok %v, %v", rep.OK, err)
		}

		// Repairs beside the writes and, on PostgreSQL, beside folds:
		// before each repair, one cell is edited into wrong counts, so
		// that every repair writes a cell that writers' pending
		// differences are about to be folded into.
		stop := make(chan struct{})
		errs := make(chan error, 2)
		var wg sync.WaitGroup
		var runs int
		loop := func(step func(i int) error) {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				if err := step(i); err != nil {
					errs <- err
					return
				}
			}
		}
		wg.Add(2)
		go loop(func(i int) error {
			if _, err := raw.Exec(ph(`UPDATE case_rollup SET counts = 'cases 99' WHERE org_id || ' ' || month || ' ' || kind =
				(SELECT org_id || ' ' || month || ' ' || kind FROM case_rollup ORDER BY org_id, month, kind LIMIT 1 OFFSET ?)`), i%5); err != nil {
				return err
			}
			_, err := s.RepairRollup(ctx, false)
			runs = i + 1
			return err
		})
		go loop(func(int) error {
			_, err := s.FoldRollup(ctx)
			return err
		})
		sd.write(60)
		close(stop)
		wg.Wait()
		close(errs)
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
		// The edit of the last round, if no repair followed it.
		if _, err := s.RepairRollup(ctx, false); err != nil {
			t.Fatal(err)
		}
		if runs < 1 {
			t.Fatalf("%d repairs ran beside the writes: the test tests nothing", runs)
		}
		foldedAndSound(t, s, sd, "after the repairs")
		again, err := s.RepairRollup(ctx, false)
		if err != nil || len(again.Rebuilt) != 0 {
			t.Fatalf("a repair of a sound rollup: %+v, %v", again, err)
		}
		t.Logf("%d repairs beside 60 cases written", runs)

		// A cell whose facts row does not read is summed once the row is
		// rewritten from its record body.
		bad := unreadableDuties(s)
		c := rollupCells(t, raw)[1]
		exec(`UPDATE case_facts SET duties = ? WHERE record_id IN (SELECT record_id FROM case_facts WHERE org_id = ? AND month = ? AND kind = ? LIMIT 1)`,
			bad, c.org, c.month, c.kind)
		rr, err := s.RepairRollup(ctx, false)
		if err != nil {
			t.Fatal(err)
		}
		if len(rr.Unrepairable) != 0 || len(rr.Facts) != 1 || rr.Facts[0].Why != "unreadable" || rr.Facts[0].OrgID != c.org || len(rr.Rebuilt) != 0 {
			t.Fatalf("a cell whose facts row does not read: %+v", rr)
		}
		foldedAndSound(t, s, sd, "after the facts row's repair")
	})
}

// TestRepairRollupHoldsTheFold: on PostgreSQL a fold that runs while
// RepairRollup is between its reading of the facts less the pending
// differences and its writing of the cells folds nothing (the repair holds
// the fold's lock), so the differences it would have moved into a cell
// the repair then overwrites stay pending and are folded after it. Without
// the lock that fold moves them into the cell, the repair overwrites the
// cell with counts that lack them, and verification names the cell.
func TestRepairRollupHoldsTheFold(t *testing.T) {
	s, raw := openPostgres(t)
	ctx := context.Background()
	sd := foldedSeeder(t, s, 37, 30)
	sd.write(20) // pending
	var org, month, kind string
	err := raw.QueryRow(`SELECT p.org_id, p.month, p.kind FROM case_rollup_pending p
		JOIN case_rollup r ON (r.org_id, r.month, r.kind) = (p.org_id, p.month, p.kind) ORDER BY 1, 2, 3 LIMIT 1`).Scan(&org, &month, &kind)
	if err != nil {
		t.Fatalf("no folded cell with pending differences: %v", err)
	}
	if _, err := raw.Exec(`UPDATE case_rollup SET counts = 'cases 99' WHERE org_id = $1 AND month = $2 AND kind = $3`, org, month, kind); err != nil {
		t.Fatal(err)
	}
	folded := int64(-1)
	sqlstore.SetRepairHook(s, func() {
		var err error
		if folded, err = s.FoldRollup(ctx); err != nil {
			t.Error(err)
		}
	})
	rr, err := s.RepairRollup(ctx, false)
	sqlstore.SetRepairHook(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(rr.Rebuilt) != 1 {
		t.Fatalf("repair: %+v, want one cell rebuilt", rr)
	}
	foldedAndSound(t, s, sd, "after a repair beside a fold")
	if folded != 0 {
		t.Fatalf("the fold during the repair folded %d rows, want 0", folded)
	}
}

// acceptedComplaint registers a new complaint, ref, at the seeder's
// organisation of actor, and accepts it (a change of its facts: its
// state); it returns the record as registered. The store has the
// acceptance only once the caller writes it.
func acceptedComplaint(t *testing.T, s *sqlstore.Store, sd *seeder, ref string, actor ssra.Actor) store.Record {
	t.Helper()
	clerk := stability.Participant{ID: "clerk", Name: "办理人", Role: stability.RoleStaff, Unit: actor.OrgID}
	c, t0 := newClaim(t, ref, actor.OrgID, clerk)
	rec, err := s.Create(context.Background(), actor, "complaint.register", store.RecordComplaint, caseseed.ComplaintFields(c))
	if err != nil {
		t.Fatal(err)
	}
	sd.cs = append(sd.cs, c)
	if err := c.Accept(t0.Add(time.Hour), clerk); err != nil {
		t.Fatal(err)
	}
	return rec
}

// TestRebuildLoggedOnceCommitted: a write that rebuilds a rollup cell (its
// case's facts row does not read; on SQLite also a cell whose text does
// not read), and on PostgreSQL a fold that rebuilds a cell whose text does
// not read, logs the rebuild only once its transaction has committed:
// when the transaction rolls back after the rebuild (a hook fails it just
// before its commit), nothing is logged and the database is as before;
// when the same write or fold then commits, the rebuild is logged once.
// Logging inside the transaction fails the rolled-back cases.
func TestRebuildLoggedOnceCommitted(t *testing.T) {
	errRollBack := errors.New("roll back")
	eachSeeded(t, 41, 40, func(t *testing.T, b backend, s *sqlstore.Store, raw *sql.DB, logs *logBuffer, sd *seeder) {
		ctx := context.Background()
		ph := placeholders(s)
		// failing has the writes or folds (what) roll back after
		// everything but their commit.
		failing := func(what string) {
			sqlstore.SetCommitHook(s, func(w string) error {
				if w == what {
					return errRollBack
				}
				return nil
			})
		}
		defer sqlstore.SetCommitHook(s, nil)
		// accept registers and accepts a new complaint, and returns
		// its cell, the log lines of the cell's rebuild and of the
		// facts row's rewrite, and the write of the acceptance.
		next := 0
		accept := func() (cell []any, id, rebuilt, rewritten string, write func() error) {
			next++
			actor := sd.actors[next%len(sd.actors)]
			rec := acceptedComplaint(t, s, sd, fmt.Sprintf("XF-LOG-%d", next), actor)
			c := sd.cs[len(sd.cs)-1]
			var month, kind string
			if err := raw.QueryRow(ph(`SELECT month, kind FROM case_facts WHERE record_id = ?`), rec.ID).Scan(&month, &kind); err != nil {
				t.Fatal(err)
			}
			rebuilt = fmt.Sprintf("msg=\"casework rollup cell rebuilt from the case facts\" org_id=%s month=%s kind=%s", rec.OrgID, month, kind)
			rewritten = fmt.Sprintf("record_id=%s org_id=%s month=%s kind=%s", rec.ID, rec.OrgID, month, kind)
			return []any{rec.OrgID, month, kind}, rec.ID, rebuilt, rewritten, func() error {
				_, err := s.Update(ctx, actor, "complaint.accept", store.RecordComplaint, rec.ID, rec.Version, caseseed.ComplaintFields(c))
				return err
			}
		}
		editCell := func(cell []any) {
			t.Helper()
			if _, err := raw.Exec(ph(`UPDATE case_rollup SET counts = 'cases many' WHERE org_id = ? AND month = ? AND kind = ?`), cell...); err != nil {
				t.Fatal(err)
			}
		}
		edits := []string{"facts row"}
		if b.name == "sqlite" {
			edits = append(edits, "cell") // PostgreSQL's writes never read a cell
		}
		for _, e := range edits {
			cell, id, rebuilt, rewritten, write := accept()
			if e == "cell" {
				editCell(cell)
			} else if _, err := raw.Exec(ph(`UPDATE case_facts SET duties = ? WHERE record_id = ?`), unreadableDuties(s), id); err != nil {
				t.Fatal(err)
			}
			before := logs.String()
			failing("write")
			if err := write(); !errors.Is(err, errRollBack) {
				t.Fatalf("%s: the rolled-back write: %v, want %v", e, err, errRollBack)
			}
			sqlstore.SetCommitHook(s, nil)
			if got := strings.TrimPrefix(logs.String(), before); strings.Contains(got, rebuilt) || strings.Contains(got, rewritten) {
				t.Fatalf("%s: a write that rolled back logged a rebuild:\n%s", e, got)
			}
			if err := write(); err != nil {
				t.Fatalf("%s: %v", e, err)
			}
			got := strings.TrimPrefix(logs.String(), before)
			if n := strings.Count(got, rebuilt); n != 1 {
				t.Fatalf("%s: the committed write logged the rebuild %d times, want 1:\n%s", e, n, got)
			}
			if n, want := strings.Count(got, rewritten), bit(e == "facts row"); n != want {
				t.Fatalf("%s: the committed write logged the facts row's rewrite %d times, want %d:\n%s", e, n, want, got)
			}
		}
		if b.name == "postgres" {
			// The fold rebuilds a cell whose text does not read when a
			// pending difference of the cell is folded.
			cell, _, rebuilt, _, write := accept()
			editCell(cell)
			if err := write(); err != nil {
				t.Fatal(err)
			}
			before := logs.String()
			failing("fold")
			if _, err := s.FoldRollup(ctx); !errors.Is(err, errRollBack) {
				t.Fatalf("the rolled-back fold: %v, want %v", err, errRollBack)
			}
			sqlstore.SetCommitHook(s, nil)
			if got := strings.TrimPrefix(logs.String(), before); strings.Contains(got, rebuilt) {
				t.Fatalf("a fold that rolled back logged a rebuild:\n%s", got)
			}
			if _, err := s.FoldRollup(ctx); err != nil {
				t.Fatal(err)
			}
			if n := strings.Count(strings.TrimPrefix(logs.String(), before), rebuilt); n != 1 {
				t.Fatalf("the committed fold logged the rebuild %d times, want 1:\n%s", n, logs.String())
			}
		}
		foldedAndSound(t, s, sd, "after the writes")
	})
}

// bit is 1 for true, 0 for false.
func bit(b bool) int {
	if b {
		return 1
	}
	return 0
}
