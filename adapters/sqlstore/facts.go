package sqlstore

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// factsOf returns the indicator facts of a case body, and false for a body
// that is not a stability case value (such a record has no facts and counts
// in no indicator).
func factsOf(body any) (stability.CaseFacts, bool) {
	switch c := body.(type) {
	case *stability.Complaint:
		if c != nil {
			return c.Facts(), true
		}
	case *stability.Dispute:
		if c != nil {
			return c.Facts(), true
		}
	}
	return stability.CaseFacts{}, false
}

// flag is a yes-or-no column of case_facts as 1 or 0: PostgreSQL keeps
// them as BOOLEAN (migration 21), SQLite as INTEGER 0/1.
func flag(col string) string { return "CAST(" + col + " AS INTEGER)" }

// keepFacts is the write path's hook for the casework indicators: after a
// complaint or dispute record is written, it replaces the case's facts row
// in the same transaction and adds the difference it makes to the
// transaction's rollup, so that the figures change exactly when the case
// does (a rolled-back write leaves them as they were, a retried one
// rewrites the same row). oldOrg is the organisation that held the record
// before the write, empty for a new record. The facts are taken from the
// case value the caller already holds, not decoded again from the body;
// the duties travel in the row (case_facts.duties), and the rows are
// stored by organisation (the key is org_id, record_id: no other index),
// so a write is one statement here and one for the whole transaction's
// rollup.
func (w *Tx) keepFacts(ctx context.Context, r store.Record, body any, oldOrg string) error {
	const op = "sqlstore.facts"
	if (r.Kind != store.RecordComplaint && r.Kind != store.RecordDispute) || w.s.noFacts {
		return nil
	}
	s := w.s
	if w.rollup == nil {
		w.rollup = map[rollupKey]int64{}
	}
	diff := w.rollup
	had := false
	if slices.ContainsFunc(w.facts, func(x factsRow) bool { return x.RecordID == r.ID }) {
		// The case was written before in this transaction: its row must be
		// in the table to be read back and replaced.
		if err := w.flushRollup(ctx); err != nil {
			return err
		}
		w.rollup = map[rollupKey]int64{}
		diff = w.rollup
		delete(w.prior, r.ID) // read before that row was in the table
	}
	var unreadable *cellKey
	if oldOrg != "" {
		old, err := w.oldCounts(ctx, oldOrg, r.ID)
		if err != nil {
			return err
		}
		switch {
		case old.unreadable:
			// The stored row's contribution is unknown: the row is
			// replaced (or deleted) below, and its cell rebuilt from the
			// facts before the transaction commits (flushRollup).
			c := cellKey{old.counts.org, old.counts.month, old.counts.kind}
			unreadable = &c
			w.markRebuild(c)
			w.rewritten = append(w.rewritten, factsRewrite{recordID: r.ID, cell: c})
		case old.ok:
			old.counts.add(diff, -1)
		}
		had = old.ok
	}
	f, ok := factsOf(body)
	if had && (!ok || oldOrg != r.OrgID) {
		// The case left its organisation, or is no longer a case value.
		if err := w.tx.send(ctx, s.q(`DELETE FROM case_facts WHERE org_id = ? AND record_id = ?`), []any{oldOrg, r.ID},
			func(_ int64, err error) error { return internal(op, err) }); err != nil {
			return err
		}
		had = false
	}
	if !ok {
		return nil
	}
	c := countsOf(r.OrgID, f)
	c.add(diff, 1)
	if unreadable != nil && (cellKey{c.org, c.month, c.kind}) != *unreadable {
		// The case moved to another cell: that one is rebuilt too, so
		// that both cells of the case are the facts' sums.
		w.markRebuild(cellKey{c.org, c.month, c.kind})
	}
	row, err := factsRowOf(r.ID, r.OrgID, f)
	if err != nil {
		return internal(op, err)
	}
	if s.dialect == Postgres {
		row.stored = had
		w.facts = append(w.facts, row)
		return nil
	}
	query := `INSERT INTO case_facts (` + factsColumns + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
	if had {
		query += factsUpsert
	}
	if _, err := w.tx.ExecContext(ctx, s.q(query), row.args()...); err != nil {
		return internal(op, err)
	}
	return nil
}

// factsRowOf is the case_facts row of case id held by org, whose facts are
// f: what the write path stores, and what audit verification derives from
// the case's body to compare with the stored row.
func factsRowOf(id, org string, f stability.CaseFacts) (factsRow, error) {
	c := countsOf(org, f)
	duties, err := c.dutiesJSON()
	if err != nil {
		return factsRow{}, err
	}
	row := factsRow{RecordID: id, Kind: c.kind, OrgID: org, Registered: f.Registered.String(), Month: c.month,
		Channel: f.Channel, MatterType: f.MatterType, State: f.State, WithinLimit: f.WithinLimit, HandlingDays: f.HandlingDays,
		Rating: c.rating, Mediated: f.Mediated, Agreement: f.Agreement, Performed: f.Performed, Confirmed: f.Confirmed,
		Duties: json.RawMessage(duties)}
	if !f.Handled.IsZero() {
		h := f.Handled.String()
		row.Handled = &h
	}
	return row, nil
}

// args are the row's values in factsColumns' order.
func (f factsRow) args() []any {
	return []any{f.RecordID, f.Kind, f.OrgID, f.Registered, f.Month, f.Channel, f.MatterType, f.State, f.Handled, f.WithinLimit,
		f.HandlingDays, f.Rating, f.Mediated, f.Agreement, f.Performed, f.Confirmed, string(f.Duties)}
}

// factsRewrite is a case whose stored facts row did not read, rewritten
// from the case by a write: its record ID and the cell the old row was in.
type factsRewrite struct {
	recordID string
	cell     cellKey
}

// logMends logs what the committed transaction mended on its own: the
// facts rows it rewrote and the rollup cells it rebuilt (rebuildCell),
// each once.
func (w *Tx) logMends() {
	for _, m := range w.rewritten {
		c := m.cell
		w.s.logger.Warn("casework facts row of a case does not read: rewritten from the case, and its rollup cells rebuilt from the case facts",
			"record_id", m.recordID, "org_id", c.org, "month", c.month, "kind", c.kind)
	}
	w.s.logRebuilds(w.rebuilt)
	w.rewritten, w.rebuilt = nil, nil
}

const factsColumns = `record_id, kind, org_id, registered, month, channel, matter_type, state, handled, within_limit, handling_days, rating, mediated, agreement, performed, confirmed, duties`

// factsUpsert replaces a case's facts row.
const factsUpsert = ` ON CONFLICT (org_id, record_id) DO UPDATE SET kind = excluded.kind, registered = excluded.registered,
		month = excluded.month, channel = excluded.channel, matter_type = excluded.matter_type, state = excluded.state,
		handled = excluded.handled, within_limit = excluded.within_limit, handling_days = excluded.handling_days,
		rating = excluded.rating, mediated = excluded.mediated, agreement = excluded.agreement,
		performed = excluded.performed, confirmed = excluded.confirmed, duties = excluded.duties`

// factsRow is a case_facts row as PostgreSQL's jsonb_to_recordset reads
// it (factsRecord).
type factsRow struct {
	RecordID     string          `json:"record_id"`
	Kind         string          `json:"kind"`
	OrgID        string          `json:"org_id"`
	Registered   string          `json:"registered"`
	Month        string          `json:"month"`
	Channel      string          `json:"channel"`
	MatterType   string          `json:"matter_type"`
	State        string          `json:"state"`
	Handled      *string         `json:"handled"`
	WithinLimit  bool            `json:"within_limit"`
	HandlingDays int             `json:"handling_days"`
	Rating       string          `json:"rating"`
	Mediated     bool            `json:"mediated"`
	Agreement    bool            `json:"agreement"`
	Performed    bool            `json:"performed"`
	Confirmed    bool            `json:"confirmed"`
	Duties       json.RawMessage `json:"duties"`
	// stored is true when the write found the case's row in this
	// organisation and replaces it (PostgreSQL's single-case statement
	// then updates it in place: see addDifferences).
	stored bool
}

// factsRecord is the column list of jsonb_to_recordset over factsRow.
const factsRecord = `x(record_id text, kind text, org_id text, registered date, month text, channel text, matter_type text, state text,
	handled date, within_limit boolean, handling_days integer, rating text, mediated boolean, agreement boolean, performed boolean,
	confirmed boolean, duties jsonb)`

// CaseStats sums the facts of the cases the actor's organisation may see
// (owned or shared with it; every case for the System actor) that the
// query keeps, by group, in the database. stability.GroupFigures turns the
// tallies into the same figures stability.MeasureCases gives over the case
// bodies. Only the counts leave the database: no case, no person.
func (s *Store) CaseStats(ctx context.Context, by ssra.Actor, q store.StatsQuery) (map[stability.GroupKey]stability.Tally, error) {
	const op = "sqlstore.CaseStats"
	if err := checkActor(op, by); err != nil {
		return nil, err
	}
	if q.Now.IsZero() {
		return nil, ssra.Errorf(ssra.KindInvalid, op, "the measuring time is missing")
	}
	group, cols := "", 0
	if q.Grouping.ByOrgan {
		group += "org_id, "
		cols++
	}
	if q.Grouping.ByMonth {
		group += "month, "
		cols++
	}
	out := map[stability.GroupKey]stability.Tally{}
	key := func(vals []string) stability.GroupKey {
		var k stability.GroupKey
		i := 0
		if q.Grouping.ByOrgan {
			k.Organ = vals[i]
			i++
		}
		if q.Grouping.ByMonth {
			k.Month = vals[i]
		}
		return k
	}
	// run scans rows of (group columns…, strs strings, ints int64 values)
	// into fn.
	run := func(query string, qargs []any, ints int, strs int, fn func(t *stability.Tally, str []string, n []int64)) error {
		rows, err := s.r.QueryContext(ctx, s.q(query), qargs...)
		if err != nil {
			return internal(op, err)
		}
		defer rows.Close()
		sv := make([]string, cols+strs)
		nv := make([]int64, ints)
		dest := make([]any, 0, len(sv)+len(nv))
		for i := range sv {
			dest = append(dest, &sv[i])
		}
		for i := range nv {
			dest = append(dest, &nv[i])
		}
		for rows.Next() {
			if err := rows.Scan(dest...); err != nil {
				return internal(op, err)
			}
			k := key(sv[:cols])
			t, ok := out[k]
			if !ok {
				t = stability.NewTally()
			}
			fn(&t, sv[cols:], nv)
			out[k] = t
		}
		return internal(op, rows.Err())
	}
	sel := "SELECT " + group
	by2 := strings.TrimSuffix(group, ", ")
	groupBy := func(more string) string {
		switch {
		case by2 == "" && more == "":
			return ""
		case by2 == "":
			return " GROUP BY " + more
		case more == "":
			return " GROUP BY " + by2
		}
		return " GROUP BY " + by2 + ", " + more
	}
	today := ssra.DateOf(q.Now).String()
	for _, p := range s.statsParts(by, q) {
		where, args := p.where, p.args
		if p.rollup != "" {
			rkey := func(org, month string) stability.GroupKey {
				var k stability.GroupKey
				if q.Grouping.ByOrgan {
					k.Organ = org
				}
				if q.Grouping.ByMonth {
					k.Month = month
				}
				return k
			}
			if err := s.rollupTally(ctx, p.rollup, p.rollupArgs, rkey, today, out); err != nil {
				return nil, err
			}
			if p.rest == "" {
				continue
			}
			where, args = where+" AND "+p.rest, append(slices.Clip(args), p.restArgs...)
		}
		if err := s.factsTally(run, sel, groupBy, where, args, today); err != nil {
			return nil, err
		}
	}
	return out, nil
}

type runFunc func(query string, qargs []any, ints int, strs int, fn func(t *stability.Tally, str []string, n []int64)) error

// factsTally sums the per-case facts the condition keeps, and their duties
// (the rows of each case's duties array), measured on the civil date today.
func (s *Store) factsTally(run runFunc, sel string, groupBy func(string) string, where string, args []any, today string) error {
	err := run(sel+`COUNT(*),
		SUM(CASE WHEN handled IS NOT NULL THEN 1 ELSE 0 END),
		SUM(CASE WHEN handled IS NOT NULL AND `+flag("within_limit")+` = 1 THEN 1 ELSE 0 END),
		SUM(CASE WHEN rating = 'satisfied' THEN 1 ELSE 0 END),
		SUM(CASE WHEN rating = 'basically_satisfied' THEN 1 ELSE 0 END),
		SUM(CASE WHEN rating = 'dissatisfied' THEN 1 ELSE 0 END),
		SUM(`+flag("mediated")+`), SUM(`+flag("agreement")+`), SUM(`+flag("performed")+`), SUM(`+flag("confirmed")+`)
		FROM case_facts f WHERE `+where+groupBy("")+` HAVING COUNT(*) > 0`, args, 10, 0,
		func(t *stability.Tally, _ []string, n []int64) {
			t.Handled += n[1]
			t.WithinLimit += n[2]
			t.Satisfied += n[3]
			t.BasicallySatisfied += n[4]
			t.Dissatisfied += n[5]
			t.Mediated += n[6]
			t.Agreements += n[7]
			t.Performed += n[8]
			t.Confirmed += n[9]
		})
	if err != nil {
		return err
	}
	err = run(sel+`kind, state, COUNT(*) FROM case_facts f WHERE handled IS NULL AND `+where+groupBy("kind, state"), args, 1, 2,
		func(t *stability.Tally, str []string, n []int64) {
			var k stability.CaseKind
			if k.UnmarshalText([]byte(str[0])) == nil {
				t.Backlog[stability.StateKey{Kind: k, State: str[1]}] += n[0]
			}
		})
	if err != nil {
		return err
	}
	err = run(sel+`handling_days, COUNT(*) FROM case_facts f WHERE handled IS NOT NULL AND `+where+groupBy("handling_days"), args, 2, 0,
		func(t *stability.Tally, _ []string, n []int64) { t.Days[int(n[0])] += n[1] })
	if err != nil {
		return err
	}
	from, e := s.jsonRows()
	from = strings.Replace(from, "?", "f.duties", 1)
	return run(sel+e(0)+`, `+e(1)+`,
		SUM(CASE WHEN `+e(2)+` = 'met' THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+e(2)+` = 'late' THEN 1 ELSE 0 END),
		SUM(CASE WHEN `+e(2)+` = 'open' AND `+e(3)+` < ? THEN 1 ELSE 0 END)
		FROM case_facts f CROSS JOIN `+from+` WHERE `+where+groupBy(e(0)+", "+e(1)), append([]any{today}, args...), 3, 2,
		func(t *stability.Tally, str []string, n []int64) {
			k := stability.DutyKey{Profile: str[0], Rule: str[1]}
			c := t.Duties[k]
			c.Met, c.Late, c.Overdue = c.Met+n[0], c.Late+n[1], c.Overdue+n[2]
			t.Duties[k] = c
		})
}

// statsPart is a disjoint part of the cases a query keeps: where over the
// fact tables (alias f); when rollup is set, the whole months of the part's
// organisations are read from case_rollup by that condition, and the facts
// only where rest also holds (none when rest is empty).
type statsPart struct {
	where      string
	args       []any
	rollup     string
	rollupArgs []any
	rest       string
	restArgs   []any
}

// statsParts splits the query into disjoint parts. For an organisation's
// caller: its own cases, and those shared with it that it does not hold,
// each by an indexed condition. A part's whole months go to the rollup when
// the filter names no channel and no matter type (the rollup does not
// break down by them) and the part's organisations are fixed.
func (s *Store) statsParts(by ssra.Actor, q store.StatsQuery) []statsPart {
	f := q.Filter
	rollable := len(f.Channels) == 0 && len(f.MatterTypes) == 0
	if isSystem(by) {
		where, args := s.statsWhere(q)
		p := statsPart{where: where, args: args}
		if rollable {
			s.rollupPart(&p, q, f.Organs, q.Shared && len(f.Organs) > 0)
		}
		return []statsPart{p}
	}
	where, args := s.statsWhere(q)
	own := statsPart{where: where + " AND f.org_id = ?", args: append(slices.Clip(args), by.OrgID)}
	if rollable && (len(f.Organs) == 0 || slices.Contains(f.Organs, by.OrgID)) {
		s.rollupPart(&own, q, []string{by.OrgID}, false)
	}
	shared := statsPart{where: where + " AND " + sharedWith("?") + " AND f.org_id <> ?",
		args: append(slices.Clip(args), by.OrgID, by.OrgID)}
	return []statsPart{own, shared}
}

// rollupPart sets the part's rollup condition: the whole months of the
// period, at the organisations (all when none), of the filter's kind; rest
// is what the rollup leaves to the facts: the partial months at the
// period's ends (none when it starts and ends on the first of a month),
// and with others the cases held elsewhere.
func (s *Store) rollupPart(p *statsPart, q store.StatsQuery, orgs []string, others bool) {
	f := q.Filter
	conds, args := []string{"1 = 1"}, []any(nil)
	var rest []string
	var restArgs []any
	if len(orgs) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(orgs)), ", ")
		conds = append(conds, "f.org_id IN ("+marks+")")
		args = append(args, anys(orgs)...)
		if others {
			rest = append(rest, "f.org_id NOT IN ("+marks+")")
			restArgs = append(restArgs, anys(orgs)...)
		}
	}
	if !f.From.IsZero() {
		y, m, d := f.From.Civil()
		if d != 1 {
			m++
		}
		first := stability.MonthOf(ssra.DateOf(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)))
		conds = append(conds, "f.month >= ?")
		args = append(args, first)
		if d != 1 {
			// The facts of the period's first, partial month.
			rest = append(rest, "f.month < ?")
			restArgs = append(restArgs, first)
		}
	}
	if !f.To.IsZero() {
		end := stability.MonthOf(f.To)
		conds = append(conds, "f.month < ?")
		args = append(args, end)
		if _, _, d := f.To.Civil(); d != 1 {
			// The facts of the period's last, partial month.
			rest = append(rest, "f.month >= ?")
			restArgs = append(restArgs, end)
		}
	}
	if f.Kind != 0 {
		conds = append(conds, "f.kind = ?")
		args = append(args, f.Kind.String())
	}
	p.rollup, p.rollupArgs = strings.Join(conds, " AND "), args
	if len(rest) > 0 {
		p.rest, p.restArgs = "("+strings.Join(rest, " OR ")+")", restArgs
	}
}

// sharedWith is the condition that a fact's case is shared with one of the
// organisations (marks, their parameters), by the facts' key.
func sharedWith(marks string) string {
	return `(f.org_id, f.record_id) IN (SELECT r.org_id, r.id FROM record_shares sh JOIN records r ON r.id = sh.record_id WHERE sh.org_id IN (` + marks + `))`
}

// statsWhere is the filter's condition both fact tables share (they carry
// the same filter columns under the alias f); statsParts adds the caller's
// scope.
func (s *Store) statsWhere(q store.StatsQuery) (string, []any) {
	conds := []string{"1 = 1"}
	var args []any
	in := func(col string, vals []string) {
		if len(vals) == 0 {
			return
		}
		conds = append(conds, col+" IN ("+strings.TrimSuffix(strings.Repeat("?, ", len(vals)), ", ")+")")
		args = append(args, anys(vals)...)
	}
	f := q.Filter
	if len(f.Organs) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?, ", len(f.Organs)), ", ")
		if q.Shared {
			conds = append(conds, `(f.org_id IN (`+marks+`) OR `+sharedWith(marks)+`)`)
			args = append(args, anys(f.Organs)...)
		} else {
			conds = append(conds, `f.org_id IN (`+marks+`)`)
		}
		args = append(args, anys(f.Organs)...)
	}
	if !f.From.IsZero() {
		conds = append(conds, "f.registered >= ?")
		args = append(args, s.dv(f.From))
	}
	if !f.To.IsZero() {
		conds = append(conds, "f.registered < ?")
		args = append(args, s.dv(f.To))
	}
	in("f.channel", f.Channels)
	in("f.matter_type", f.MatterTypes)
	if f.Kind != 0 {
		conds = append(conds, "f.kind = ?")
		args = append(args, f.Kind.String())
	}
	return strings.Join(conds, " AND "), args
}
