package sqlstore_test

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"testing"

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
	opt := sqlstore.WithLogger(slog.New(slog.NewTextHandler(logs, nil)))
	dsn := b.fresh(t)
	if b.name == "sqlite" {
		return openMigrated(t, dsn, "sqlite", dsn+"?_pragma=busy_timeout(10000)", opt)
	}
	return openMigrated(t, dsn, "pgx", dsn, opt)
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
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			var logs logBuffer
			s, raw := openLogged(t, b, &logs)
			ctx := context.Background()
			sd := newSeeder(t, s, 29)
			sd.write(40)
			if _, err := s.FoldRollup(ctx); err != nil {
				t.Fatal(err)
			}
			ph := func(q string) string {
				if s.Dialect() == sqlstore.Postgres {
					for i := 1; strings.Contains(q, "?"); i++ {
						q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
					}
				}
				return q
			}
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
			bad := `not json`
			if s.Dialect() == sqlstore.Postgres {
				bad = `"not duties"`
			}
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
			if _, err := s.FoldRollup(ctx); err != nil {
				t.Fatal(err)
			}
			check("after the fold")
			if err := s.Drain(ctx); err != nil {
				t.Fatal(err)
			}
			rep, err := s.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if !rep.OK {
				t.Fatalf("verification after the write: %q", rep.Findings)
			}
			line := fmt.Sprintf("record_id=%s org_id=%s month=%s kind=%s", rec.ID, rec.OrgID, month, kind)
			if !strings.Contains(logs.String(), line) {
				t.Fatalf("no warning naming %s:\n%s", line, logs.String())
			}
			if strings.Contains(logs.String(), "not json") || strings.Contains(logs.String(), "not duties") {
				t.Fatalf("the log holds the row's text:\n%s", logs.String())
			}
		})
	}
}
