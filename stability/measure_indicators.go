package stability

import (
	"fmt"
	"sort"
	"strings"

	"github.com/ssra-go/ssra"
)

// MeasureFacts is what the measure indicators read of one measure an
// approval imposed and the decision body tracks (稳评措施落实): the
// identifier of the organisation that owns it, its due date, whether its
// owner reported it carried out (Completed, which a rejection undoes), the
// date it was verified (zero when it is not) and whether it was withdrawn
// with a reason (Dropped). The risk assessment's tracking is its source;
// this package does not read it, so that the indicator set stays in one
// place. A measure concerns an organisation's work, never a person.
type MeasureFacts struct {
	Owner     string    `json:"owner"`
	Due       ssra.Date `json:"due"`
	Completed bool      `json:"completed"`
	Verified  ssra.Date `json:"verified,omitempty"`
	Dropped   bool      `json:"dropped,omitempty"`
}

// Overdue reports whether the measure is overdue at today (逾期未落实): not
// withdrawn, not reported carried out, and its due date passed before
// today, so that a measure due today is not yet overdue.
func (m MeasureFacts) Overdue(today ssra.Date) bool {
	return !m.Dropped && !m.Completed && m.Verified.IsZero() && m.Due.Before(today)
}

// VerifiedInTime reports whether the measure was verified on or before its
// due date.
func (m MeasureFacts) VerifiedInTime() bool {
	return !m.Verified.IsZero() && !m.Verified.After(m.Due)
}

// MeasureTally is what the measure indicators need, summed over tracked
// measures at a measuring date: the measures in force (withdrawn ones
// apart), those verified, those verified by their due date, those past
// their due date and not verified, and those overdue (open past due), in
// total and by owning organisation. It counts organisations' work, never
// people, and no complaint.
type MeasureTally struct {
	Measures       int64 `json:"measures"`
	Dropped        int64 `json:"dropped"`
	Verified       int64 `json:"verified"`
	VerifiedOnTime int64 `json:"verified_on_time"`
	// PastDue counts the measures in force, not verified, whose due date
	// passed before the measuring date (overdue ones and those reported
	// done but not yet verified).
	PastDue int64 `json:"past_due"`
	Overdue int64 `json:"overdue"`
	// OverdueByOwner is Overdue by the owning organisation's identifier.
	OverdueByOwner map[string]int64 `json:"overdue_by_owner"`
}

// AddMeasure counts one measure at the measuring date today.
func (t *MeasureTally) AddMeasure(m MeasureFacts, today ssra.Date) {
	if m.Dropped {
		t.Dropped++
		return
	}
	t.Measures++
	switch {
	case !m.Verified.IsZero():
		t.Verified++
		if m.VerifiedInTime() {
			t.VerifiedOnTime++
		}
	case m.Due.Before(today):
		t.PastDue++
	}
	if m.Overdue(today) {
		t.Overdue++
		if t.OverdueByOwner == nil {
			t.OverdueByOwner = map[string]int64{}
		}
		t.OverdueByOwner[m.Owner]++
	}
}

// MeasureFigures returns the figures of the measure indicators (measures.*)
// from the tally, in the order of Indicators.
func MeasureFigures(t MeasureTally) []Figure {
	return scopeFigures("measures.", Tally{Measures: t})
}

func scopeFigures(prefix string, t Tally) []Figure {
	var out []Figure
	for _, x := range indicators {
		if strings.HasPrefix(x.ID, prefix) {
			out = append(out, figureOf(x, t))
		}
	}
	return out
}

// IndicatorOverCases reports whether the indicator with the id is measured
// over complaints and disputes (a case filter selects what it counts), as
// against the screening register's rounds and entries (register.*) or the
// tracked measures of approvals (measures.*), which are measured over all
// that the organisation holds at the date.
func IndicatorOverCases(id string) bool {
	return !strings.HasPrefix(id, "register.") && !strings.HasPrefix(id, "measures.")
}

// measureFigure fills the figure of a measure indicator.
func measureFigure(f *Figure, x Indicator, m MeasureTally, rate func(num, den int64, what string)) {
	switch x.ID {
	case "measures.verified_on_time":
		f.Counts = append(f.Counts, Count{"verified_on_time", m.VerifiedOnTime}, Count{"verified_late", m.Verified - m.VerifiedOnTime},
			Count{"past_due_unverified", m.PastDue})
		rate(m.VerifiedOnTime, m.Verified+m.PastDue, "tracked measures verified by their due date among those verified or past due")
	case "measures.verified":
		f.Counts = append(f.Counts, Count{"verified", m.Verified}, Count{"measures", m.Measures}, Count{"dropped", m.Dropped})
		rate(m.Verified, m.Measures, "tracked measures verified among those in force")
	case "measures.overdue":
		owners := make([]string, 0, len(m.OverdueByOwner))
		for o := range m.OverdueByOwner {
			owners = append(owners, o)
		}
		sort.Strings(owners)
		for _, o := range owners {
			f.Counts = append(f.Counts, Count{"owner:" + o, m.OverdueByOwner[o]})
		}
		f.Numerator, f.Denominator = m.Overdue, m.Overdue
		f.Steps = append(f.Steps, fmt.Sprintf("%d tracked measure(s) open past their due date, by owning organisation %v", m.Overdue, f.Counts))
	}
}
