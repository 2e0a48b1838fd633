package stability_test

import (
	"math/rand/v2"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

func TestMeasureTally(t *testing.T) {
	today := day("2027-01-11")
	var tl stability.MeasureTally
	for _, m := range []stability.MeasureFacts{
		{Owner: "town-a", Due: day("2026-12-31")},                                               // overdue
		{Owner: "town-a", Due: day("2027-01-11")},                                               // due today: not yet
		{Owner: "town-b", Due: day("2026-12-01"), Completed: true},                              // done, unverified, past due
		{Owner: "town-b", Due: day("2026-12-01"), Completed: true, Verified: day("2026-11-30")}, // verified in time
		{Owner: "town-b", Due: day("2026-12-01"), Completed: true, Verified: day("2026-12-02")}, // verified late
		{Owner: "town-c", Due: day("2026-10-01"), Dropped: true},                                // withdrawn
		{Owner: "town-c", Due: day("2026-10-01")},                                               // overdue
		{Owner: "town-c", Due: day("2027-06-30"), Completed: true, Verified: day("2027-01-05")}, // verified early
	} {
		tl.AddMeasure(m, today)
	}
	want := stability.MeasureTally{Measures: 7, Dropped: 1, Verified: 3, VerifiedOnTime: 2, PastDue: 3, Overdue: 2,
		OverdueByOwner: map[string]int64{"town-a": 1, "town-c": 1}}
	if tl.Measures != want.Measures || tl.Dropped != want.Dropped || tl.Verified != want.Verified || tl.VerifiedOnTime != want.VerifiedOnTime ||
		tl.PastDue != want.PastDue || tl.Overdue != want.Overdue || len(tl.OverdueByOwner) != 2 || tl.OverdueByOwner["town-a"] != 1 || tl.OverdueByOwner["town-c"] != 1 {
		t.Fatalf("tally %+v, want %+v", tl, want)
	}
	figs := map[string]stability.Figure{}
	for _, f := range stability.MeasureFigures(tl) {
		figs[f.Indicator] = f
	}
	for id, nd := range map[string][2]int64{
		"measures.verified_on_time": {2, 6}, // 2 in time of 3 verified + 3 past due unverified
		"measures.verified":         {3, 7},
		"measures.overdue":          {2, 2},
	} {
		f, ok := figs[id]
		if !ok || f.Numerator != nd[0] || f.Denominator != nd[1] || len(f.Steps) == 0 {
			t.Fatalf("%s = %d/%d (%v), want %d/%d", id, f.Numerator, f.Denominator, ok, nd[0], nd[1])
		}
		x, ok := stability.LookupIndicator(id)
		if !ok || x.Label.ZH == "" || x.Label.EN == "" || x.Formula.ZH == "" || x.Basis.EN == "" || stability.IndicatorOverCases(id) {
			t.Fatalf("indicator %s: %+v", id, x)
		}
	}
	if c := figs["measures.overdue"].Counts; len(c) != 2 || c[0] != (stability.Count{Name: "owner:town-a", Count: 1}) || c[1].Name != "owner:town-c" {
		t.Fatalf("overdue counts %+v", c)
	}
	if figs["measures.overdue"].Kind != stability.IndicatorCount || figs["measures.verified"].Rate == nil {
		t.Fatal("kinds")
	}
	if len(stability.MeasureFigures(stability.MeasureTally{})) != 3 || stability.MeasureFigures(stability.MeasureTally{})[0].Rate != nil {
		t.Fatal("an empty tally gives the three figures without a rate")
	}
}

// TestMeasureTallyProperty: over random due dates on the working days of
// the official calendar (2025–2026) and measuring dates around them, a
// measure is overdue exactly on the days after its due date while it is
// neither reported carried out nor withdrawn; the overdue count by owner
// adds up to the overdue count; a verification on the due date is in time
// and one the next day is not; and no count exceeds what it is part of.
func TestMeasureTallyProperty(t *testing.T) {
	cal := ssra.StateCouncilCalendar()
	r := rand.New(rand.NewPCG(15, 21))
	owners := []string{"town-a", "town-b", "town-c"}
	for i := range 300 {
		var tl stability.MeasureTally
		today := cal.AddWorkdays(ssra.MustDate(2025, 1, 2), r.IntN(480))
		var overdue int64
		for j := range 1 + r.IntN(8) {
			m := stability.MeasureFacts{Owner: owners[r.IntN(len(owners))], Due: cal.AddWorkdays(today, r.IntN(11)-5)}
			switch r.IntN(4) {
			case 1:
				m.Completed = true
			case 2:
				m.Completed, m.Verified = true, m.Due.AddDays(r.IntN(3)-1)
				if got, want := m.VerifiedInTime(), !m.Verified.After(m.Due); got != want {
					t.Fatalf("#%d.%d: verified %s due %s in time = %v", i, j, m.Verified, m.Due, got)
				}
			case 3:
				m.Dropped = true
			}
			if cal.IsRestDay(m.Due) {
				t.Fatalf("#%d.%d: due %s is a rest day", i, j, m.Due)
			}
			for d := m.Due.AddDays(-3); !d.After(m.Due.AddDays(3)); d = d.AddDays(1) {
				want := !m.Completed && !m.Dropped && d.After(m.Due)
				if got := m.Overdue(d); got != want {
					t.Fatalf("#%d.%d: %+v overdue(%s) = %v", i, j, m, d, got)
				}
			}
			if m.Overdue(today) {
				overdue++
			}
			tl.AddMeasure(m, today)
		}
		var byOwner int64
		for _, n := range tl.OverdueByOwner {
			byOwner += n
		}
		if tl.Overdue != overdue || byOwner != overdue || tl.VerifiedOnTime > tl.Verified || tl.Verified+tl.PastDue > tl.Measures || tl.Overdue > tl.PastDue {
			t.Fatalf("#%d: tally %+v, overdue %d, by owner %d", i, tl, overdue, byOwner)
		}
	}
}
