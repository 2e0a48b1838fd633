package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// The case_facts rows are what every casework figure, and the rollup,
// sums; the operator who holds the database can edit them to move a unit's
// figures, and the rollup check (verify_rollup.go) compares the rollup
// with the facts only. The facts check derives each case's facts row again
// from its current record body, whose digest the log's leaf pins
// (checkRecords), by the write path's own code (factsOf, factsRowOf), and
// names every case whose stored row differs, is missing, or does not read,
// and every row that belongs to no case its organisation holds: by record
// ID and organisation only, and for a row that differs the names of the
// columns that do, never a value (a case's figures, not its people).
// Working days are counted with the store's calendar (WithCalendar): a
// case whose facts were written under another calendar is named as
// differing in the columns counted on it (calendarColumns), with a hint to
// check again with the server's calendar before any repair.

// factsFinding is a case, or a case_facts row, whose stored facts are not
// what its record body gives.
type factsFinding struct {
	// recordID is the record the row or case is of; kind its record kind
	// (empty for a row of no case).
	recordID, kind string
	// org is the organisation that holds the case, or of the stored row.
	org string
	why factsWhy
	// columns are the columns that differ (factsDiffers).
	columns []string
	// stored is the cell of the stored row, when there is one.
	stored *cellKey
	// want is the row the body gives, nil for none.
	want *factsRow
}

// factsWhy is what is wrong with a case's facts.
type factsWhy uint8

const (
	// factsDiffers is a row that differs from what the body gives.
	factsDiffers factsWhy = iota + 1
	// factsMissing is a case with no row where its body gives one.
	factsMissing
	// factsExtra is a row of no case its organisation holds (or of a
	// record whose body gives no facts).
	factsExtra
	// factsUnreadable is a row whose duties do not read.
	factsUnreadable
	// factsBodyUnreadable is a row of a case whose body does not decode as
	// a case: its facts cannot be derived.
	factsBodyUnreadable
)

// String is the reason's name, as RollupRepair reports it.
func (w factsWhy) String() string {
	switch w {
	case factsDiffers:
		return "differs"
	case factsMissing:
		return "missing"
	case factsExtra:
		return "extra"
	case factsUnreadable:
		return "unreadable"
	case factsBodyUnreadable:
		return "body_unreadable"
	}
	return "unknown"
}

// caseKindsIn is the list of the record kinds that have facts, in SQL.
var caseKindsIn = `('` + store.RecordComplaint.String() + `', '` + store.RecordDispute.String() + `')`

// factsScope is the cases a facts check covers: those of one organisation
// (org), of some records (ids), or all.
type factsScope struct {
	org string
	ids []string
}

// conds returns the scope's condition over records r and over case_facts
// f, with their arguments.
func (sc factsScope) conds() (rcond string, rargs []any, fcond string, fargs []any) {
	switch {
	case sc.ids != nil:
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(sc.ids)), ", ")
		return "r.id IN (" + marks + ")", anys(sc.ids), "f.record_id IN (" + marks + ")", anys(sc.ids)
	case sc.org != "":
		return "r.org_id = ?", []any{sc.org}, "f.org_id = ?", []any{sc.org}
	}
	return "1 = 1", nil, "1 = 1", nil
}

// calendarColumns are the facts columns counted in working days on the
// store's calendar (WithCalendar): the handling time, whether the case was
// handled within its limit, and its duties' due dates and statuses.
var calendarColumns = []string{"within_limit", "handling_days", "duties"}

// countedOnCalendar reports whether every column of a differing row is
// one counted on the calendar, as when the row was written by a server
// counting with another calendar than the verification's.
func countedOnCalendar(columns []string) bool {
	for _, c := range columns {
		if !slices.Contains(calendarColumns, c) {
			return false
		}
	}
	return len(columns) > 0
}

// calendarHint is added to the finding of a row that differs only in what
// is counted on the calendar: repairing it under the wrong calendar would
// replace a sound row.
const calendarHint = " (only columns counted in working days differ: if the server counts with another calendar than this check, check again with the server's -calendar before any repair)"

// checkFacts names, one finding each and beyond the report's cap on the
// log's findings, every case or row the facts checker found (fc, fed by
// checkRecords with every case of org, every case when org is empty), and
// every stored row of org that is of no case its organisation holds.
// rep.CaseFacts counts the cases checked.
func (s *Store) checkFacts(ctx context.Context, tx *sql.Tx, org string, fc *factsChecker, rep *store.AuditReport) error {
	if err := fc.wait(); err != nil {
		return err
	}
	if err := fc.extra(ctx, tx, factsScope{org: org}); err != nil {
		return err
	}
	rep.CaseFacts += int64(fc.checked)
	const repair = ": ssrad rollup repair rewrites it from the body"
	for _, f := range fc.found {
		var msg string
		switch f.why {
		case factsDiffers:
			msg = fmt.Sprintf("case_facts row of %s %s at organisation %s differs from its record body in %s%s",
				f.kind, f.recordID, f.org, strings.Join(f.columns, ", "), repair)
			if countedOnCalendar(f.columns) {
				msg += calendarHint
			}
		case factsMissing:
			msg = fmt.Sprintf("%s %s at organisation %s has no case_facts row, and its record body gives one%s", f.kind, f.recordID, f.org, repair)
		case factsExtra:
			msg = fmt.Sprintf("case_facts row of record %s at organisation %s is of no case that organisation holds: ssrad rollup repair deletes it",
				f.recordID, f.org)
		case factsUnreadable:
			msg = fmt.Sprintf("case_facts row of %s %s at organisation %s does not read%s", f.kind, f.recordID, f.org, repair)
		case factsBodyUnreadable:
			msg = fmt.Sprintf("case_facts row of %s %s at organisation %s cannot be checked: its record body does not decode as a case", f.kind, f.recordID, f.org)
		}
		rep.Findings = append(rep.Findings, msg)
	}
	return nil
}

// factsChecker derives cases' facts rows from their record bodies and
// compares them with the stored rows, keeping what differs. The bodies
// are decoded by one worker a processor (start), the reading of the rows
// going on meanwhile; wait collects what they found.
type factsChecker struct {
	s       *Store
	checked int
	found   []factsFinding

	jobs chan factsJob
	wg   sync.WaitGroup
	mu   sync.Mutex
	err  error
}

// factsJob is a case to check: its record and stored facts row.
type factsJob struct {
	id, kind, org string
	body          []byte
	st            storedFacts
}

// newFactsChecker returns a checker with its workers started; wait
// stops them.
func (s *Store) newFactsChecker() *factsChecker {
	jobs := make(chan factsJob, 64)
	fc := &factsChecker{s: s, jobs: jobs}
	for range runtime.GOMAXPROCS(0) {
		fc.wg.Add(1)
		go func() {
			defer fc.wg.Done()
			d := newFactsDeriver(s.calendar)
			for j := range jobs {
				ff, err := d.compare(j)
				fc.mu.Lock()
				switch {
				case err != nil && fc.err == nil:
					fc.err = err
				case ff.why != 0:
					fc.found = append(fc.found, ff)
				}
				fc.mu.Unlock()
			}
		}()
	}
	return fc
}

// wait waits for the checks handed to the checker, and returns the first
// error of one; the findings are then in record ID order. It may be
// called more than once.
func (fc *factsChecker) wait() error {
	if fc.jobs != nil {
		close(fc.jobs)
		fc.jobs = nil
		fc.wg.Wait()
		slices.SortFunc(fc.found, func(a, b factsFinding) int { return strings.Compare(a.recordID, b.recordID) })
	}
	return fc.err
}

// isCase reports whether records of the stored kind have facts.
func isCase(kind string) bool {
	return kind == store.RecordComplaint.String() || kind == store.RecordDispute.String()
}

// check has the stored facts row st (each column NULL for none) of case
// id of kind, held by org, compared with the row its body gives.
func (fc *factsChecker) check(id, kind, org string, body []byte, st *storedFacts) {
	fc.checked++
	fc.jobs <- factsJob{id: id, kind: kind, org: org, body: body, st: *st}
}

// compare compares a case's stored facts row with the row its body
// gives, and returns what is wrong with it (why 0: nothing).
func (d *factsDeriver) compare(j factsJob) (factsFinding, error) {
	st := &j.st
	ff := factsFinding{recordID: j.id, kind: j.kind, org: j.org}
	if st.org.Valid {
		c := cellKey{st.org.String, st.month.String, st.kind.String}
		ff.stored = &c
	}
	var k store.RecordKind
	_ = k.UnmarshalText([]byte(j.kind))
	f, ok, err := d.factsOf(k, j.body)
	switch {
	case err != nil:
		// As the write path keeps no facts of a body that is not a case
		// value, a row beside a body that does not decode as a case is
		// named, and left to the operator: the case may be one the server
		// can no longer read (a profile gone).
		if st.org.Valid {
			ff.why = factsBodyUnreadable
		}
		return ff, nil
	case !ok:
		if st.org.Valid {
			ff.why = factsExtra
		}
		return ff, nil
	}
	want, err := factsRowOf(j.id, j.org, f)
	if err != nil {
		return ff, err
	}
	ff.want = &want
	if !st.org.Valid {
		ff.why = factsMissing
	} else if cols, readable := st.differ(want); !readable {
		ff.why = factsUnreadable
	} else if len(cols) > 0 {
		ff.why, ff.columns = factsDiffers, cols
	}
	return ff, nil
}

// extra finds the stored rows in scope that are of no case their
// organisation holds.
func (fc *factsChecker) extra(ctx context.Context, q querier, scope factsScope) error {
	_, _, fcond, fargs := scope.conds()
	rows, err := q.QueryContext(ctx, fc.s.q(`SELECT f.record_id, f.org_id, f.month, f.kind FROM case_facts f WHERE `+fcond+`
		AND NOT EXISTS (SELECT 1 FROM records r WHERE r.id = f.record_id AND r.org_id = f.org_id AND r.kind IN `+caseKindsIn+`)
		ORDER BY f.record_id, f.org_id`), fargs...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c cellKey
		ff := factsFinding{why: factsExtra, stored: &c}
		if err := rows.Scan(&ff.recordID, &c.org, &c.month, &c.kind); err != nil {
			return err
		}
		ff.org = c.org
		fc.found = append(fc.found, ff)
	}
	return rows.Err()
}

// cases checks every case in scope, reading its body and stored row.
func (fc *factsChecker) cases(ctx context.Context, q querier, scope factsScope) error {
	s := fc.s
	rcond, rargs, _, _ := scope.conds()
	var st storedFacts
	rows, err := q.QueryContext(ctx, s.q(`SELECT r.id, r.kind, r.org_id, r.body, `+st.columns(s)+`
		FROM records r LEFT JOIN case_facts f ON f.org_id = r.org_id AND f.record_id = r.id
		WHERE r.kind IN `+caseKindsIn+` AND `+rcond), rargs...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, kind, org string
		var body []byte
		st = storedFacts{}
		if err := rows.Scan(append([]any{&id, &kind, &org, &body}, st.dest()...)...); err != nil {
			return err
		}
		fc.check(id, kind, org, body, &st)
	}
	return rows.Err()
}

// factsFindings checks every case in scope and finds the rows of no case
// (factsChecker): how many cases it checked and what it found.
func (s *Store) factsFindings(ctx context.Context, q querier, scope factsScope) (int, []factsFinding, error) {
	fc := s.newFactsChecker()
	err := fc.cases(ctx, q, scope)
	if werr := fc.wait(); err == nil {
		err = werr
	}
	if err != nil {
		return 0, nil, err
	}
	if err := fc.extra(ctx, q, scope); err != nil {
		return 0, nil, err
	}
	return fc.checked, fc.found, nil
}

// factsDeriver derives a case's facts from its stored body as the server
// reads a case (stability.DecodeComplaintWith, DecodeDisputeWith: decoded
// once and bound to the preset its body names, and the calendar), keeping
// the profiles it resolved.
type factsDeriver struct {
	cal      ssra.Calendar
	profiles map[string]*stability.Profile
}

func newFactsDeriver(cal ssra.Calendar) *factsDeriver {
	return &factsDeriver{cal: cal, profiles: map[string]*stability.Profile{}}
}

// profile returns the preset deadline profile of that name, decoded once.
func (d *factsDeriver) profile(name string) (*stability.Profile, error) {
	if p, ok := d.profiles[name]; ok {
		return p, nil
	}
	p, err := stability.Preset(name)
	if err != nil {
		return nil, err
	}
	d.profiles[name] = p
	return p, nil
}

// factsOf returns the facts the body of a record of kind k gives (factsOf),
// false for a record with none, and an error for a body that does not
// decode as a case.
func (d *factsDeriver) factsOf(k store.RecordKind, body []byte) (stability.CaseFacts, bool, error) {
	var v any
	var err error
	switch k {
	case store.RecordComplaint:
		v, err = stability.DecodeComplaintWith(body, d.profile, d.cal)
	case store.RecordDispute:
		v, err = stability.DecodeDisputeWith(body, d.profile, d.cal)
	}
	if err != nil {
		return stability.CaseFacts{}, false, err
	}
	f, ok := factsOf(v)
	return f, ok, nil
}

// storedFacts scans a stored case_facts row as text, each NULL where the
// row is missing.
type storedFacts struct {
	org, month, kind, registered, channel, matterType, state, handled sql.NullString
	within, days, rating, mediated, agreement, performed, confirmed   sql.NullString
	duties                                                            sql.NullString
}

// columns is the select list of case_facts f that storedFacts scans.
func (st *storedFacts) columns(s *Store) string {
	date := func(col string) string {
		if s.dialect == Postgres {
			return `to_char(` + col + `, 'YYYY-MM-DD')`
		}
		return col
	}
	return `f.org_id, f.month, f.kind, ` + date("f.registered") + `, f.channel, f.matter_type, f.state, ` + date("f.handled") +
		`, ` + flag("f.within_limit") + `, f.handling_days, f.rating, ` + flag("f.mediated") + `, ` + flag("f.agreement") + `, ` +
		flag("f.performed") + `, ` + flag("f.confirmed") + `, ` + s.jsonText("f.duties")
}

func (st *storedFacts) dest() []any {
	return []any{&st.org, &st.month, &st.kind, &st.registered, &st.channel, &st.matterType, &st.state, &st.handled,
		&st.within, &st.days, &st.rating, &st.mediated, &st.agreement, &st.performed, &st.confirmed, &st.duties}
}

// differ returns the columns of the stored row that differ from want, and
// false when its duties do not read (then the others are not compared).
// The duties are compared as the duties they hold (PostgreSQL's jsonb
// keeps its own spacing).
func (st *storedFacts) differ(want factsRow) ([]string, bool) {
	var duties, wantDuties []dutyCount
	if json.Unmarshal([]byte(st.duties.String), &duties) != nil {
		return nil, false
	}
	if err := json.Unmarshal(want.Duties, &wantDuties); err != nil {
		return nil, false
	}
	handled := sql.NullString{}
	if want.Handled != nil {
		handled = sql.NullString{String: *want.Handled, Valid: true}
	}
	text := func(s string) sql.NullString { return sql.NullString{String: s, Valid: true} }
	num := func(n int) sql.NullString { return text(strconv.Itoa(n)) }
	yes := func(b bool) sql.NullString { // as flag reads it
		if b {
			return text("1")
		}
		return text("0")
	}
	var out []string
	for _, c := range []struct {
		name      string
		got, want sql.NullString
	}{
		{"kind", st.kind, text(want.Kind)}, {"registered", st.registered, text(want.Registered)}, {"month", st.month, text(want.Month)},
		{"channel", st.channel, text(want.Channel)}, {"matter_type", st.matterType, text(want.MatterType)}, {"state", st.state, text(want.State)},
		{"handled", st.handled, handled}, {"within_limit", st.within, yes(want.WithinLimit)}, {"handling_days", st.days, num(want.HandlingDays)},
		{"rating", st.rating, text(want.Rating)}, {"mediated", st.mediated, yes(want.Mediated)}, {"agreement", st.agreement, yes(want.Agreement)},
		{"performed", st.performed, yes(want.Performed)}, {"confirmed", st.confirmed, yes(want.Confirmed)},
	} {
		if c.got != c.want {
			out = append(out, c.name)
		}
	}
	if !slices.Equal(duties, wantDuties) {
		out = append(out, "duties")
	}
	return out, true
}
