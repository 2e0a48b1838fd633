package stability

import (
	"time"

	"github.com/ssra-go/ssra"
)

// Due is an open duty deadline found by a query: the case, the rule and
// the due date, with the days past due (negative: days left).
type Due struct {
	Ref      string     `json:"ref"`
	Rule     string     `json:"rule"`
	Label    ssra.Label `json:"label"`
	Due      ssra.Date  `json:"due"`
	DaysLate int        `json:"days_late"`
}

// Overdue returns every open duty deadline of the cases whose due date is
// before the civil date of now (in now's location), in case order. Windows
// (a party's time to act) are never overdue. cases is a []*Complaint, a
// []*Dispute or a []*Record; the scan skips every case whose precomputed
// earliest due date (NextDue) is not past.
func Overdue[C Case](cases []C, now time.Time) []Due {
	today := ssra.DateOf(now)
	var out []Due
	for _, c := range cases {
		r := c.base()
		if r == nil || r.next.IsZero() || !r.next.Before(today) {
			continue
		}
		out = appendDue(out, r, today, func(d ssra.Date) bool { return d.Before(today) })
	}
	return out
}

// DueSoon returns every open duty deadline of the cases due from the civil
// date of now through within days later, in case order. cases is a
// []*Complaint, a []*Dispute or a []*Record.
func DueSoon[C Case](cases []C, now time.Time, within int) []Due {
	today := ssra.DateOf(now)
	last := today.AddDays(within)
	var out []Due
	for _, c := range cases {
		r := c.base()
		if r == nil {
			continue
		}
		out = appendDue(out, r, today, func(d ssra.Date) bool { return !d.Before(today) && !d.After(last) })
	}
	return out
}

func appendDue(out []Due, r *Record, today ssra.Date, keep func(ssra.Date) bool) []Due {
	for _, d := range r.Deadlines {
		if d.Status == DeadlineOpen && d.Obligation == Duty && keep(d.Due) {
			out = append(out, Due{Ref: r.Ref, Rule: d.Rule, Label: d.Label, Due: d.Due, DaysLate: today.DaysSince(d.Due)})
		}
	}
	return out
}

// Case is a case the deadline queries and indicators read: a *Complaint, a
// *Dispute or their shared *Record. Its method is unexported, so the set is
// closed to the package's own case types.
type Case interface{ base() *Record }

func (r *Record) base() *Record { return r }

// DueIndex is a compact, column-wise index of the earliest open duty due
// date of many cases: one 4-byte date per case, so that an overdue scan over
// a million cases reads 4 MB sequentially. Build it once from the cases (or
// keep it beside the store) and query it at any now.
type DueIndex struct {
	refs []string
	next []ssra.Date
}

// NewDueIndex builds the index from the cases' NextDue dates.
func NewDueIndex[C Case](cases []C) *DueIndex {
	x := &DueIndex{refs: make([]string, 0, len(cases)), next: make([]ssra.Date, 0, len(cases))}
	for _, c := range cases {
		if r := c.base(); r != nil {
			x.Add(r.Ref, r.next)
		}
	}
	return x
}

// Add appends a case's reference and earliest open duty due date (zero when
// none is open).
func (x *DueIndex) Add(ref string, next ssra.Date) {
	x.refs = append(x.refs, ref)
	x.next = append(x.next, next)
}

// Len returns the number of cases in the index.
func (x *DueIndex) Len() int { return len(x.next) }

// Overdue returns the positions (in insertion order) of the cases with an
// open duty due before the civil date of now.
func (x *DueIndex) Overdue(now time.Time) []int {
	today := ssra.DateOf(now)
	var out []int
	for i, d := range x.next {
		if !d.IsZero() && d.Before(today) {
			out = append(out, i)
		}
	}
	return out
}

// DueSoon returns the positions of the cases whose earliest open duty falls
// from the civil date of now through within days later.
func (x *DueIndex) DueSoon(now time.Time, within int) []int {
	today := ssra.DateOf(now)
	last := today.AddDays(within)
	var out []int
	for i, d := range x.next {
		if !d.IsZero() && !d.Before(today) && !d.After(last) {
			out = append(out, i)
		}
	}
	return out
}

// Ref returns the reference number at position i.
func (x *DueIndex) Ref(i int) string { return x.refs[i] }
