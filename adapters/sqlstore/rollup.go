package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"

	"modernc.org/sqlite"

	"github.com/ssra-go/ssra/internal/jsonenc"
	"github.com/ssra-go/ssra/stability"
)

// The casework rollup (case_rollup) holds, per handling organisation,
// registration month and kind of case, the counts the indicators sum: the
// cases, the handled ones and those within the limits, ratings, mediation
// outcomes, the backlog by state, the histogram of handling days, the
// duties met and met late by rule, and the open duties by rule and due
// date (so that those past due at any measuring date are a sum too). The
// counts of one organisation's month and kind are one row (a cell): the
// column counts holds them as text, a line "METRIC N" each (rollupCells),
// so that a province's year is about 2,400 rows however many distinct
// handling days and due dates its cases have. The write path keeps it in
// the same transaction as the case and its facts, by the difference
// between the case's counts before and after the write, so a rewrite of
// the same facts changes nothing and a rolled-back write leaves it as it
// was; a count that falls to zero leaves its cell, and a cell with no
// count left is deleted. A query of whole months without a channel or
// matter-type filter reads it instead of the per-case facts. A cell that
// no longer reads as counts is rebuilt from the facts by whatever meets it
// (rollup_repair.go).
// Metric names in a cell of case_rollup (and of case_rollup_pending).
const (
	metricCases     = "cases"
	metricHandled   = "handled"
	metricWithin    = "within_limit"
	metricMediated  = "mediated"
	metricAgreement = "agreement"
	metricPerformed = "performed"
	metricConfirmed = "confirmed"
	// Prefixes: rating:NAME, backlog:STATE, days:N, and duty:PROFILE/RULE
	// (every duty of the rule, whatever its status: the rule appears in
	// the figures), met:PROFILE/RULE, late:PROFILE/RULE and
	// open:YYYY-MM-DD:PROFILE/RULE (open duties due on that date).
	prefixRating  = "rating:"
	prefixBacklog = "backlog:"
	prefixDays    = "days:"
	prefixDuty    = "duty:"
	prefixMet     = "met:"
	prefixLate    = "late:"
	prefixOpen    = "open:"
)

// rollupKey is one count of the rollup: a metric of a cell.
type rollupKey struct {
	org, month, kind, metric string
}

// cellKey is one row of case_rollup: an organisation's month and kind.
type cellKey struct {
	org, month, kind string
}

func (k rollupKey) cell() cellKey { return cellKey{k.org, k.month, k.kind} }

// caseCounts is what one case's facts contribute to the rollup: the
// columns of its case_facts row, read back from the database or taken from
// the new facts, so that both sides of a write's difference are counted by
// the same code.
type caseCounts struct {
	org, month, kind, state, rating string
	handled, within                 bool
	days                            int
	mediated, agreement             bool
	performed, confirmed            bool
	duties                          []dutyCount
}

// dutyCount is one duty as case_facts.duties holds it: a JSON array of
// [profile, rule, status, due] (due as YYYY-MM-DD). The closing date is not
// kept: no figure counts by it.
type dutyCount [4]string

func (d dutyCount) profile() string { return d[0] }
func (d dutyCount) rule() string    { return d[1] }
func (d dutyCount) status() string  { return d[2] }
func (d dutyCount) due() string     { return d[3] }

// countsOf returns the rollup counts of new facts of a case held by org.
func countsOf(org string, f stability.CaseFacts) caseCounts {
	c := caseCounts{org: org, month: f.Month(), kind: f.Kind.String(), state: f.State, handled: !f.Handled.IsZero(),
		within: f.WithinLimit, days: f.HandlingDays, mediated: f.Mediated, agreement: f.Agreement, performed: f.Performed, confirmed: f.Confirmed}
	if f.Rating != nil {
		c.rating = f.Rating.String()
	}
	c.duties = make([]dutyCount, len(f.Duties))
	for i, d := range f.Duties {
		c.duties[i] = dutyCount{d.Profile, d.Rule, d.Status.String(), d.Due.String()}
	}
	return c
}

// dutiesJSON is the duties column of the case: what json.Marshal gives
// for c.duties (an array of arrays of four strings, HTML characters
// escaped), appended by hand on every write of a case.
func (c caseCounts) dutiesJSON() (string, error) {
	if len(c.duties) == 0 {
		return "[]", nil
	}
	b := make([]byte, 0, 64*len(c.duties))
	b = append(b, '[')
	for i, d := range c.duties {
		if i > 0 {
			b = append(b, ',')
		}
		for j, v := range d {
			if j == 0 {
				b = append(b, '[')
			} else {
				b = append(b, ',')
			}
			b = jsonenc.AppendString(b, v)
		}
		b = append(b, ']')
	}
	return string(append(b, ']')), nil
}

// add adds the case's counts, times sign, to m. The counts mirror
// stability.Tally.Add; an open duty counts by its due date, which the
// query compares with the measuring date.
func (c caseCounts) add(m map[rollupKey]int64, sign int64) {
	put := func(metric string) { m[rollupKey{c.org, c.month, c.kind, metric}] += sign }
	put(metricCases)
	if c.handled {
		put(metricHandled)
		if c.within {
			put(metricWithin)
		}
		put(prefixDays + strconv.Itoa(c.days))
	} else {
		put(prefixBacklog + c.state)
	}
	switch c.rating {
	case "":
	case "satisfied", "basically_satisfied":
		put(prefixRating + c.rating)
	default:
		put(prefixRating + "dissatisfied")
	}
	for _, x := range [...]struct {
		set    bool
		metric string
	}{{c.mediated, metricMediated}, {c.agreement, metricAgreement}, {c.performed, metricPerformed}, {c.confirmed, metricConfirmed}} {
		if x.set {
			put(x.metric)
		}
	}
	for _, d := range c.duties {
		k := d.profile() + "/" + d.rule()
		put(prefixDuty + k)
		switch d.status() {
		case "met":
			put(prefixMet + k)
		case "late":
			put(prefixLate + k)
		case "open":
			put(prefixOpen + d.due() + ":" + k)
		}
	}
}

// oldCounts reads back what the case's stored facts contribute: ok false
// when it has none, unreadable when its row's duties do not read (then
// only the row's organisation, month and kind are known, and keepFacts
// rebuilds the row's cell from the facts instead of subtracting it). A
// record read for a write (Tx.forWrite) brings them along: those are used,
// once, instead of a query of their own.
func (w *Tx) oldCounts(ctx context.Context, org, id string) (priorCounts, error) {
	const op = "sqlstore.facts"
	if p, ok := w.prior[id]; ok && p.org == org {
		delete(w.prior, id)
		return p, nil
	}
	s := w.s
	var st storedCounts
	err := w.tx.queryRow(ctx, s.q(`SELECT `+st.columns(s, "")+` FROM case_facts WHERE org_id = ? AND record_id = ?`), []any{org, id},
		func(sc rowScanner) error { return sc.Scan(st.dest()...) })
	if errors.Is(err, sql.ErrNoRows) {
		return priorCounts{org: org}, nil
	}
	if err != nil {
		return priorCounts{}, internal(op, err)
	}
	return st.prior(org), nil
}

// priorCounts are a case's stored counts as read with its record: ok
// false for no facts row, unreadable for a row whose duties do not read
// (counts then holds only its organisation, month and kind).
type priorCounts struct {
	org        string
	counts     caseCounts
	ok         bool
	unreadable bool
}

// prior is the scanned row as the stored counts of a case held by org.
func (st *storedCounts) prior(org string) priorCounts {
	c, ok, err := st.counts()
	if err != nil {
		return priorCounts{org: org, counts: caseCounts{org: c.org, month: c.month, kind: c.kind}, ok: true, unreadable: true}
	}
	return priorCounts{org: org, counts: c, ok: ok}
}

// storedCounts scans a case_facts row's columns that the rollup counts,
// each NULL where the row is missing (a record read with its facts
// joined).
type storedCounts struct {
	org, month, kind, state, rating sql.NullString
	handled                         int
	within, days, mediated          sql.NullInt64
	agreement, performed, confirmed sql.NullInt64
	duties                          sql.NullString
}

// columns is the select list storedCounts scans, of the case_facts table
// named by prefix ("" or an alias and a dot).
func (st *storedCounts) columns(s *Store, prefix string) string {
	return prefixed(prefix, `org_id, month, kind, state, rating`) + `, CASE WHEN ` + prefix + `handled IS NULL THEN 0 ELSE 1 END, ` +
		flag(prefix+"within_limit") + `, ` + prefix + `handling_days, ` + flag(prefix+"mediated") + `, ` + flag(prefix+"agreement") + `, ` +
		flag(prefix+"performed") + `, ` + flag(prefix+"confirmed") + `, ` + s.jsonText(prefix+"duties")
}

func (st *storedCounts) dest() []any {
	return []any{&st.org, &st.month, &st.kind, &st.state, &st.rating, &st.handled,
		&st.within, &st.days, &st.mediated, &st.agreement, &st.performed, &st.confirmed, &st.duties}
}

// counts returns the counts scanned, and false for no row.
func (st *storedCounts) counts() (caseCounts, bool, error) {
	if !st.org.Valid {
		return caseCounts{}, false, nil
	}
	c := caseCounts{org: st.org.String, month: st.month.String, kind: st.kind.String, state: st.state.String, rating: st.rating.String,
		handled: st.handled == 1, within: st.within.Int64 == 1, days: int(st.days.Int64), mediated: st.mediated.Int64 == 1,
		agreement: st.agreement.Int64 == 1, performed: st.performed.Int64 == 1, confirmed: st.confirmed.Int64 == 1}
	if err := json.Unmarshal([]byte(st.duties.String), &c.duties); err != nil {
		return c, false, err
	}
	return c, true, nil
}

// jsonText is a JSON column as text in a select list.
func (s *Store) jsonText(col string) string {
	if s.dialect == Postgres {
		return col + "::text"
	}
	return col
}

// jsonRows is the table of the rows of a JSON array given as the
// statement's parameter, and how its element i is read as text (alias j).
func (s *Store) jsonRows() (from string, elem func(i int) string) {
	if s.dialect == Postgres {
		return `jsonb_array_elements(CAST(? AS jsonb)) AS j(v)`, func(i int) string { return "j.v ->> " + strconv.Itoa(i) }
	}
	return `json_each(?) AS j`, func(i int) string { return "j.value ->> " + strconv.Itoa(i) }
}

// flushRollup adds the transaction's non-zero differences to the rollup,
// in a fixed order (two writers never take row locks in opposite orders).
// On SQLite it rewrites each cell the differences touch: read, add,
// write back, or delete the cell when no count is left. On PostgreSQL it
// appends them to the pending differences, in the same statement as the
// transaction's facts rows, one row a cell holding its differences as
// lines (eachPending), and FoldRollup adds them to the cells later
// (rollup_pending.go). The cells of a case whose old facts row did not
// read (markRebuild) take no differences: they are rebuilt from the facts
// once the transaction's facts rows are written (rebuildCells).
func (w *Tx) flushRollup(ctx context.Context) error {
	m, facts, rebuild := w.rollup, w.facts, w.rebuild
	w.rollup, w.facts, w.rebuild = nil, nil, nil
	keys := make([]rollupKey, 0, len(m))
	for k, n := range m {
		// A cell to rebuild takes no differences: the rebuild counts the
		// transaction's facts rows with the others.
		if n != 0 && !rebuild[k.cell()] {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 && len(facts) == 0 && len(rebuild) == 0 {
		return nil
	}
	if err := w.addDifferences(ctx, keys, m, facts); err != nil {
		return err
	}
	return w.rebuildCells(ctx, rebuild)
}

// markRebuild has the transaction's next flushRollup rebuild cell c from
// the case facts.
func (w *Tx) markRebuild(c cellKey) {
	if w.rebuild == nil {
		w.rebuild = map[cellKey]bool{}
	}
	w.rebuild[c] = true
}

// rebuildCells rebuilds the cells from the case facts, in the
// transaction, after its facts rows are written (rollup_repair.go), and
// keeps what it did for the log once the transaction commits. On
// PostgreSQL it first takes the fold's lock (lockRollup), so that no fold
// moves a pending difference into a cell between the rebuild's reading of
// the facts less the pending differences and its writing of the cell.
func (w *Tx) rebuildCells(ctx context.Context, cells map[cellKey]bool) error {
	const op = "sqlstore.facts"
	if len(cells) == 0 {
		return nil
	}
	if err := w.s.lockRollup(ctx, w.tx); err != nil {
		return internal(op, err)
	}
	for _, c := range sortedCells(cells) {
		r, err := w.s.rebuildCell(ctx, w.tx, c, "a case facts row of the cell does not read")
		if err != nil {
			return internal(op, err)
		}
		w.rebuilt = append(w.rebuilt, r)
	}
	return nil
}

// addDifferences adds the differences of keys (sorted, non-zero) to the
// rollup, with the transaction's facts rows on PostgreSQL (flushRollup).
func (w *Tx) addDifferences(ctx context.Context, keys []rollupKey, m map[rollupKey]int64, facts []factsRow) error {
	const op = "sqlstore.facts"
	if len(keys) == 0 && len(facts) == 0 {
		return nil
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.org != b.org {
			return a.org < b.org
		}
		if a.month != b.month {
			return a.month < b.month
		}
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return a.metric < b.metric
	})
	s := w.s
	if s.dialect != Postgres {
		for rest := keys; len(rest) > 0; {
			n := 1
			for n < len(rest) && rest[n].cell() == rest[0].cell() {
				n++
			}
			if err := w.addToCell(ctx, rest[:n], m); err != nil {
				return err
			}
			rest = rest[n:]
		}
		return nil
	}
	// One round trip: the transaction's facts rows and the rollup's
	// differences, one row a cell, travel as two JSON parameters of one
	// statement.
	var rows [][4]string
	for rest := keys; len(rest) > 0; {
		n := 1
		for n < len(rest) && rest[n].cell() == rest[0].cell() {
			n++
		}
		c := rest[0]
		rows = append(rows, [4]string{c.org, c.month, c.kind, encodeLines(diffLines(rest[:n], m))})
		rest = rest[n:]
	}
	if len(facts) == 1 && len(rows) == 1 {
		// A write of one case (most are): its facts row and its cell's
		// differences as plain parameters, with no JSON to build or take
		// apart.
		f, r := facts[0], rows[0]
		return w.tx.send(ctx, singleFacts[f.stored], append(f.args(), r[0], r[1], r[2], r[3]),
			func(_ int64, err error) error { return internal(op, err) })
	}
	js, err := json.Marshal(rows)
	if err != nil {
		return internal(op, err)
	}
	if rows == nil {
		js = []byte("[]")
	}
	if facts == nil {
		facts = []factsRow{}
	}
	fs, err := json.Marshal(facts)
	if err != nil {
		return internal(op, err)
	}
	return w.tx.send(ctx, `WITH f AS (INSERT INTO case_facts (`+factsColumns+`)
		SELECT `+factsColumns+` FROM jsonb_to_recordset(CAST($1 AS jsonb)) AS `+factsRecord+factsUpsert+`)
		INSERT INTO case_rollup_pending (org_id, month, kind, metric, n)
		SELECT j.v ->> 0, j.v ->> 1, j.v ->> 2, j.v ->> 3, 0 FROM jsonb_array_elements(CAST($2 AS jsonb)) AS j(v)`,
		[]any{string(fs), string(js)}, func(_ int64, err error) error { return internal(op, err) })
}

// singleFacts are PostgreSQL's statements of a write of one case: its
// facts row ($1 to $17, in factsColumns' order) and its cell's
// differences ($18 to $21). A new row (false) is a plain insert. A row the
// write found (true) is updated in place, which costs the server less
// than an upsert (INSERT … ON CONFLICT locks the row it conflicts with
// before it updates it, a second WAL record); should the row be gone
// after all, it is inserted.
var singleFacts = map[bool]string{
	false: `WITH f AS (INSERT INTO case_facts (` + factsColumns + `)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17))
		INSERT INTO case_rollup_pending (org_id, month, kind, metric, n) VALUES ($18, $19, $20, $21, 0)`,
	true: `WITH u AS (UPDATE case_facts SET kind = $2, registered = $4, month = $5, channel = $6, matter_type = $7, state = $8,
			handled = $9, within_limit = $10, handling_days = $11, rating = $12, mediated = $13, agreement = $14,
			performed = $15, confirmed = $16, duties = $17
			WHERE org_id = $3 AND record_id = $1 RETURNING 1),
		i AS (INSERT INTO case_facts (` + factsColumns + `)
			SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17 WHERE NOT EXISTS (SELECT FROM u))
		INSERT INTO case_rollup_pending (org_id, month, kind, metric, n) VALUES ($18, $19, $20, $21, 0)`,
}

// addToCell adds the differences of keys, all of one cell, to its row of
// case_rollup (SQLite: the one writer rewrites it in its transaction), in
// one statement: an upsert whose update merges the differences into the
// stored text (rollup_merge, mergeTexts), so that the cell is not read
// into Go and written back. A cell that differences bring to no count is
// deleted; only a write with a negative difference can do that. A stored
// cell that does not read as counts (an operator's edit) fails the merge;
// the cell is then rebuilt from the case_facts rows in this transaction,
// which already hold its facts (rollup_repair.go), and the write goes on
// (also when the facts do not read either and the cell stays as it is).
func (w *Tx) addToCell(ctx context.Context, keys []rollupKey, m map[rollupKey]int64) error {
	const op = "sqlstore.facts"
	s, c := w.s, keys[0].cell()
	if _, err := w.tx.ExecContext(ctx, `INSERT INTO case_rollup (org_id, month, kind, counts) VALUES (?, ?, ?, ?)
		ON CONFLICT (org_id, month, kind) DO UPDATE SET counts = `+rollupMergeFunc+`(counts, excluded.counts)`,
		c.org, c.month, c.kind, encodeLines(diffLines(keys, m))); err != nil {
		// A failed statement leaves SQLite's transaction as it was before
		// it: if the cell is what failed it, rebuild it.
		var stored any
		if rerr := w.tx.QueryRowContext(ctx, `SELECT counts FROM case_rollup WHERE `+cellCond, c.args()...).Scan(&stored); rerr != nil || cellReadable(stored) {
			return internal(op, err)
		}
		r, err := s.rebuildCell(ctx, w.tx, c, "its text does not read as counts")
		if err != nil {
			return internal(op, err)
		}
		w.rebuilt = append(w.rebuilt, r)
		return nil
	}
	if slices.ContainsFunc(keys, func(k rollupKey) bool { return m[k] < 0 }) {
		if _, err := w.tx.ExecContext(ctx, s.q(`DELETE FROM case_rollup WHERE org_id = ? AND month = ? AND kind = ? AND counts = ''`),
			c.org, c.month, c.kind); err != nil {
			return internal(op, err)
		}
	}
	return nil
}

// rollupMergeFunc is the SQLite function that adds a text of differences
// to a cell's text (mergeTexts); a malformed text fails the statement.
const rollupMergeFunc = "ssra_rollup_merge"

func init() {
	sqlite.MustRegisterDeterministicScalarFunction(rollupMergeFunc, 2, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		text, ok1 := cellText(args[0])
		diff, ok2 := cellText(args[1])
		if !ok1 || !ok2 {
			return nil, fmt.Errorf("%s: the counts are not text", rollupMergeFunc)
		}
		return mergeTexts(text, diff)
	})
}

// cellText is a stored cell's value as text: SQLite keeps the type of
// what was written, and a BLOB of the same bytes reads as the text would
// (a number, which a TEXT column turns into text, reads as a line without
// a count).
func cellText(v any) (string, bool) {
	switch v := v.(type) {
	case string:
		return v, true
	case []byte:
		return string(v), true
	}
	return "", false
}

// addCount adds n to the count of metric, which leaves the cell at zero.
func addCount(counts map[string]int64, metric string, n int64) {
	if v := counts[metric] + n; v != 0 {
		counts[metric] = v
	} else {
		delete(counts, metric)
	}
}

// countLine is one count of a cell's text: a metric and its count.
type countLine struct {
	metric string
	n      int64
}

// diffLines returns the differences of keys, all of one cell and in metric
// order, as count lines.
func diffLines(keys []rollupKey, m map[rollupKey]int64) []countLine {
	out := make([]countLine, len(keys))
	for i, k := range keys {
		out[i] = countLine{k.metric, m[k]}
	}
	return out
}

// appendLine appends a count line to a cell's text, none for a count of 0.
func appendLine(b []byte, metric string, n int64) []byte {
	if n == 0 {
		return b
	}
	if len(b) > 0 {
		b = append(b, '\n')
	}
	b = appendMetric(b, metric)
	b = append(b, ' ')
	return strconv.AppendInt(b, n, 10)
}

// encodeLines is count lines in metric order as a cell's text: the text
// of the differences a write appends on PostgreSQL, and the right-hand
// side of mergeTexts on SQLite.
func encodeLines(lines []countLine) string {
	b := make([]byte, 0, 24*len(lines))
	for _, l := range lines {
		b = appendLine(b, l.metric, l.n)
	}
	return string(b)
}

// mergeCounts returns a cell's text (encodeCounts) with the differences
// of keys, all of the cell and in metric order, added (mergeLines).
func mergeCounts(text string, keys []rollupKey, m map[rollupKey]int64) (string, error) {
	return mergeLines(text, diffLines(keys, m))
}

// mergeTexts returns the cell's text with the counts of diff, a text of
// the same form, added: what SQLite's rollup_merge function gives an
// upsert of a cell (mergeLines).
func mergeTexts(text, diff string) (string, error) {
	var lines []countLine
	sorted := true
	err := eachCount(diff, func(metric string, n int64) {
		if len(lines) > 0 && metric <= lines[len(lines)-1].metric {
			sorted = false
		}
		lines = append(lines, countLine{metric, n})
	})
	if err != nil {
		return "", err
	}
	if !sorted {
		counts := map[string]int64{}
		for _, l := range lines {
			addCount(counts, l.metric, l.n)
		}
		lines = lines[:0]
		for _, k := range slices.Sorted(maps.Keys(counts)) {
			lines = append(lines, countLine{k, counts[k]})
		}
	}
	return mergeLines(text, lines)
}

// mergeLines returns a cell's text (encodeCounts) with the differences
// of diff, in metric order with one line a metric, added: what
// encodeCounts gives for the decoded counts plus the differences, merged
// line by line in one pass, as every write of a case does to its cell. A
// text whose lines are out of order is summed through a map instead.
func mergeLines(text string, diff []countLine) (string, error) {
	b := make([]byte, 0, len(text)+24*len(diff))
	i, prev, sorted := 0, "", true
	err := eachCount(text, func(metric string, n int64) {
		if metric <= prev && prev != "" {
			sorted = false
		}
		prev = metric
		for i < len(diff) && diff[i].metric < metric {
			b = appendLine(b, diff[i].metric, diff[i].n)
			i++
		}
		if i < len(diff) && diff[i].metric == metric {
			n += diff[i].n
			i++
		}
		b = appendLine(b, metric, n)
	})
	if err != nil {
		return "", err
	}
	if !sorted {
		counts, err := decodeCounts(text)
		if err != nil {
			return "", err
		}
		for _, l := range diff {
			addCount(counts, l.metric, l.n)
		}
		return encodeCounts(counts), nil
	}
	for ; i < len(diff); i++ {
		b = appendLine(b, diff[i].metric, diff[i].n)
	}
	return string(b), nil
}

// appendMetric appends a metric as a cell's text writes it: a backslash
// as two, a line feed as a backslash and n.
func appendMetric(b []byte, metric string) []byte {
	if strings.ContainsAny(metric, "\\\n") {
		metric = strings.NewReplacer("\\", "\\\\", "\n", "\\n").Replace(metric)
	}
	return append(b, metric...)
}

// encodeCounts is a cell's counts as case_rollup.counts holds them: a line
// "METRIC N" each, in metric order, with a backslash in a metric written
// as two and a line feed as a backslash and n (a metric names a profile's
// rule, whose name is free text).
func encodeCounts(counts map[string]int64) string {
	metrics := make([]string, 0, len(counts))
	size := 0
	for k := range counts {
		metrics = append(metrics, k)
		size += len(k) + 8
	}
	sort.Strings(metrics)
	b := make([]byte, 0, size)
	for i, k := range metrics {
		if i > 0 {
			b = append(b, '\n')
		}
		b = appendMetric(b, k)
		b = append(b, ' ')
		b = strconv.AppendInt(b, counts[k], 10)
	}
	return string(b)
}

// eachCount calls fn with every count of a cell's text (encodeCounts), in
// the text's order, and returns an error for a malformed line.
func eachCount(text string, fn func(metric string, n int64)) error {
	for len(text) > 0 {
		line := text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			text = ""
		}
		sp := strings.LastIndexByte(line, ' ')
		if sp < 0 {
			return fmt.Errorf("rollup count %q: no count", line)
		}
		n, err := strconv.ParseInt(line[sp+1:], 10, 64)
		if err != nil {
			return fmt.Errorf("rollup count %q: %w", line, err)
		}
		metric := line[:sp]
		if strings.IndexByte(metric, '\\') >= 0 {
			metric = unescapeMetric(metric)
		}
		fn(metric, n)
	}
	return nil
}

// unescapeMetric undoes encodeCounts' escapes.
func unescapeMetric(m string) string {
	var b strings.Builder
	for i := 0; i < len(m); i++ {
		if m[i] == '\\' && i+1 < len(m) {
			i++
			if m[i] == 'n' {
				b.WriteByte('\n')
				continue
			}
		}
		b.WriteByte(m[i])
	}
	return b.String()
}

// decodeCounts is a cell's text as a map of its counts.
func decodeCounts(text string) (map[string]int64, error) {
	counts := map[string]int64{}
	err := eachCount(text, func(metric string, n int64) { addCount(counts, metric, n) })
	return counts, err
}

// addRollupMetric adds a rollup row's count n of metric (for the kind) to
// the tally, measured on the civil date today (YYYY-MM-DD): an open duty
// due before it is overdue.
func addRollupMetric(t *stability.Tally, kind, metric string, n int64, today string) {
	if n == 0 {
		return
	}
	switch metric {
	case metricCases:
	case metricHandled:
		t.Handled += n
	case metricWithin:
		t.WithinLimit += n
	case metricMediated:
		t.Mediated += n
	case metricAgreement:
		t.Agreements += n
	case metricPerformed:
		t.Performed += n
	case metricConfirmed:
		t.Confirmed += n
	case prefixRating + "satisfied":
		t.Satisfied += n
	case prefixRating + "basically_satisfied":
		t.BasicallySatisfied += n
	case prefixRating + "dissatisfied":
		t.Dissatisfied += n
	default:
		name, rest, _ := strings.Cut(metric, ":")
		switch name + ":" {
		case prefixBacklog:
			var k stability.CaseKind
			if k.UnmarshalText([]byte(kind)) == nil {
				t.Backlog[stability.StateKey{Kind: k, State: rest}] += n
			}
		case prefixDays:
			if d, err := strconv.Atoi(rest); err == nil {
				t.Days[d] += n
			}
		case prefixOpen:
			// YYYY-MM-DD:PROFILE/RULE
			if len(rest) < 11 || rest[10] != ':' {
				return
			}
			profile, rule, _ := strings.Cut(rest[11:], "/")
			k := stability.DutyKey{Profile: profile, Rule: rule}
			c := t.Duties[k]
			if rest[:10] < today {
				c.Overdue += n
			}
			t.Duties[k] = c
		case prefixDuty, prefixMet, prefixLate:
			profile, rule, _ := strings.Cut(rest, "/")
			k := stability.DutyKey{Profile: profile, Rule: rule}
			c := t.Duties[k]
			switch name + ":" {
			case prefixMet:
				c.Met += n
			case prefixLate:
				c.Late += n
			}
			t.Duties[k] = c
		}
	}
}
