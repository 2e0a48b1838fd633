package sqlstore

import (
	"context"
	"database/sql"
	"sort"
	"strconv"
	"strings"

	"github.com/ssra-go/ssra/stability"
)

// The casework rollup (case_rollup) holds, per handling organisation,
// registration month and kind of case, the counts the indicators sum: the
// cases, the handled ones and those within the limits, ratings, mediation
// outcomes, the backlog by state, the histogram of handling days and the
// duties met and met late by rule. The write path keeps it in the same
// transaction as the case and its facts, by the difference between the
// case's counts before and after the write, so a rewrite of the same facts
// changes nothing and a rolled-back write leaves it as it was. A query of
// whole months without a channel or matter-type filter reads it instead
// of the per-case facts; what depends on the measuring date (open duties
// past due) is always read from the open duties' partial index.

// Metric names in case_rollup.metric.
const (
	metricCases     = "cases"
	metricHandled   = "handled"
	metricWithin    = "within_limit"
	metricMediated  = "mediated"
	metricAgreement = "agreement"
	metricPerformed = "performed"
	metricConfirmed = "confirmed"
	// Prefixes: rating:NAME, backlog:STATE, days:N, and duty:PROFILE/RULE
	// (every duty row of the rule, whatever its status: the rule appears in
	// the figures), met:PROFILE/RULE and late:PROFILE/RULE.
	prefixRating  = "rating:"
	prefixBacklog = "backlog:"
	prefixDays    = "days:"
	prefixDuty    = "duty:"
	prefixMet     = "met:"
	prefixLate    = "late:"
)

// rollupKey is one row of case_rollup.
type rollupKey struct {
	org, month, kind, metric string
}

// caseCounts is what one case's facts contribute to the rollup: the
// columns of its case_facts row and the rule and status of its duty rows,
// read back from the database or taken from the new facts, so that both
// sides of a write's difference are counted by the same code.
type caseCounts struct {
	org, month, kind, state, rating string
	handled, within                 bool
	days                            int
	mediated, agreement             bool
	performed, confirmed            bool
	duties                          []dutyCount
}

type dutyCount struct {
	profile, rule, status string
}

// countsOf returns the rollup counts of new facts of a case held by org.
func countsOf(org string, f stability.CaseFacts) caseCounts {
	c := caseCounts{org: org, month: f.Month(), kind: f.Kind.String(), state: f.State, handled: !f.Handled.IsZero(),
		within: f.WithinLimit, days: f.HandlingDays, mediated: f.Mediated, agreement: f.Agreement, performed: f.Performed, confirmed: f.Confirmed}
	if f.Rating != nil {
		c.rating = f.Rating.String()
	}
	for _, d := range f.Duties {
		c.duties = append(c.duties, dutyCount{d.Profile, d.Rule, d.Status.String()})
	}
	return c
}

// add adds the case's counts, times sign, to m. The counts mirror
// stability.Tally.Add, less the open duties past due, which depend on the
// measuring date.
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
		k := d.profile + "/" + d.rule
		put(prefixDuty + k)
		switch d.status {
		case "met":
			put(prefixMet + k)
		case "late":
			put(prefixLate + k)
		}
	}
}

// oldCounts reads back what the case's stored facts contributed, and
// false when it has none. It deletes the case's duty rows as it reads them.
func (w *Tx) oldCounts(ctx context.Context, id string) (caseCounts, bool, error) {
	const op = "sqlstore.facts"
	s := w.s
	var c caseCounts
	var handled, within, mediated, agreement, performed, confirmed int
	err := w.tx.QueryRowContext(ctx, s.q(`SELECT org_id, month, kind, state, rating,
		CASE WHEN handled IS NULL THEN 0 ELSE 1 END, within_limit, handling_days, mediated, agreement, performed, confirmed
		FROM case_facts WHERE record_id = ?`), id).Scan(&c.org, &c.month, &c.kind, &c.state, &c.rating,
		&handled, &within, &c.days, &mediated, &agreement, &performed, &confirmed)
	if err == sql.ErrNoRows {
		return c, false, nil
	}
	if err != nil {
		return c, false, internal(op, err)
	}
	c.handled, c.within, c.mediated, c.agreement, c.performed, c.confirmed = handled == 1, within == 1, mediated == 1, agreement == 1, performed == 1, confirmed == 1
	rows, err := w.tx.QueryContext(ctx, s.q(`DELETE FROM case_duties WHERE record_id = ? RETURNING profile, rule, status`), id)
	if err != nil {
		return c, false, internal(op, err)
	}
	defer rows.Close()
	for rows.Next() {
		var d dutyCount
		if err := rows.Scan(&d.profile, &d.rule, &d.status); err != nil {
			return c, false, internal(op, err)
		}
		c.duties = append(c.duties, d)
	}
	return c, true, internal(op, rows.Err())
}

// applyRollup adds the non-zero differences to case_rollup in one
// statement, in a fixed order (two writers never take row locks in
// opposite orders).
func (w *Tx) applyRollup(ctx context.Context, m map[rollupKey]int64) error {
	keys := make([]rollupKey, 0, len(m))
	for k, n := range m {
		if n != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
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
	var b strings.Builder
	b.WriteString(`INSERT INTO case_rollup (org_id, month, kind, metric, n) VALUES `)
	args := make([]any, 0, 5*len(keys))
	for i, k := range keys {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("(?, ?, ?, ?, ?)")
		args = append(args, k.org, k.month, k.kind, k.metric, m[k])
	}
	b.WriteString(` ON CONFLICT (org_id, month, kind, metric) DO UPDATE SET n = case_rollup.n + excluded.n`)
	if _, err := w.tx.ExecContext(ctx, w.s.q(b.String()), args...); err != nil {
		return internal("sqlstore.facts", err)
	}
	return nil
}

// addRollupMetric adds a rollup row's count n of metric (for the kind) to
// the tally; zero counts, left by cases that moved away, add nothing.
func addRollupMetric(t *stability.Tally, kind, metric string, n int64) {
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
