package stability_test

import (
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// holiday2026 is a rest period of the official 2026 calendar and the first
// working day after it.
type holiday2026 struct {
	name      string
	from, to  ssra.Date
	nextWork  ssra.Date
	madeUpDay ssra.Date // a make-up working day (调休上班日) next to it
}

var holidays2026 = []holiday2026{
	{"Spring Festival", day("2026-02-15"), day("2026-02-23"), day("2026-02-24"), day("2026-02-28")},
	{"National Day", day("2026-10-01"), day("2026-10-07"), day("2026-10-08"), day("2026-10-10")},
}

// startFor returns the start day from which rule r's count lands on target
// (domain.md §3.2: the start day is not counted; months end on the same day
// of the month).
func startFor(r stability.Rule, target ssra.Date) ssra.Date {
	if r.Unit == stability.Months {
		y, m, d := target.Civil()
		return ssra.DateOf(time.Date(y, m-time.Month(r.Days), d, 0, 0, 0, 0, time.UTC))
	}
	return target.AddDays(-r.Days)
}

// For every profile and every rule counted in calendar days or months, a
// limit whose last counted day falls on any day of the 2026 Spring Festival
// (15–23 February) or National Day (1–7 October) is due on the first working
// day after the holiday; one that ends on a make-up working day (14 and
// 28 February, 20 September, 10 October) is due that day. Counted on
// weekends only, the weekdays of the holidays would have been due dates.
func TestDeadlinesEndingInside2026Holidays(t *testing.T) {
	cal := ssra.StateCouncilCalendar()
	for _, name := range stability.PresetNames() {
		p := preset(t, name)
		for _, r := range p.Rules {
			if r.Unit == stability.WorkingDays {
				continue
			}
			for _, h := range holidays2026 {
				for target := h.from; !target.After(h.to); target = target.AddDays(1) {
					d, err := p.Compute(r.ID, startFor(r, target), cal, stability.Adjustments{})
					if err != nil {
						t.Fatalf("%s %s: %v", name, r.ID, err)
					}
					if d.Counted != target || d.Due != h.nextWork || !d.RolledOver || len(d.Warnings) != 0 {
						t.Errorf("%s %s ending %s in %s: counted %s due %s rolled %v warnings %v; want due %s",
							name, r.ID, target, h.name, d.Counted, d.Due, d.RolledOver, d.Warnings, h.nextWork)
					}
					weekendsOnly, _ := p.Compute(r.ID, startFor(r, target), ssra.WeekendsOnly(), stability.Adjustments{})
					if wd := target.Weekday(); wd != time.Saturday && wd != time.Sunday && weekendsOnly.Due != target {
						t.Errorf("%s %s: weekends only, %s should be due on itself, got %s", name, r.ID, target, weekendsOnly.Due)
					}
				}
				for _, worked := range []ssra.Date{h.madeUpDay, day("2026-02-14"), day("2026-09-20")} {
					d, _ := p.Compute(r.ID, startFor(r, worked), cal, stability.Adjustments{})
					if d.Due != worked || d.RolledOver {
						t.Errorf("%s %s ending on the make-up working day %s: due %s rolled %v", name, r.ID, worked, d.Due, d.RolledOver)
					}
				}
			}
		}
	}
}

// For every profile with limits in working days (工作日), the count skips
// the holidays and counts the make-up working days, day by day as listed
// here from the 2026 notice.
func TestWorkingDayDeadlinesAcross2026Holidays(t *testing.T) {
	cal := ssra.StateCouncilCalendar()
	cases := []struct {
		start ssra.Date
		// workdays are the working days after start, in order.
		workdays []string
	}{
		// Wednesday before Spring Festival: Thu 12, Fri 13, Sat 14 (worked), then 24 Feb on.
		{day("2026-02-11"), []string{"2026-02-12", "2026-02-13", "2026-02-14", "2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27", "2026-02-28", "2026-03-02"}},
		// An event on a day of the holiday counts from the first working day after it.
		{day("2026-02-16"), []string{"2026-02-24", "2026-02-25", "2026-02-26", "2026-02-27", "2026-02-28", "2026-03-02"}},
		// Friday before the make-up Sunday 20 September.
		{day("2026-09-18"), []string{"2026-09-20", "2026-09-21", "2026-09-22", "2026-09-23", "2026-09-24", "2026-09-25"}},
		// Tuesday before National Day: Wed 30, then 8, 9, 10 (worked Saturday), 12 October.
		{day("2026-09-29"), []string{"2026-09-30", "2026-10-08", "2026-10-09", "2026-10-10", "2026-10-12", "2026-10-13"}},
	}
	checked := 0
	for _, name := range stability.PresetNames() {
		p := preset(t, name)
		for _, r := range p.Rules {
			if r.Unit != stability.WorkingDays {
				continue
			}
			for _, tc := range cases {
				if r.Days > len(tc.workdays) {
					t.Fatalf("case from %s lists too few working days for %d", tc.start, r.Days)
				}
				d, err := p.Compute(r.ID, tc.start, cal, stability.Adjustments{})
				if err != nil {
					t.Fatal(err)
				}
				if want := day(tc.workdays[r.Days-1]); d.Due != want || d.RolledOver || len(d.Warnings) != 0 {
					t.Errorf("%s %s from %s: due %s rolled %v warnings %v, want %s", name, r.ID, tc.start, d.Due, d.RolledOver, d.Warnings, want)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no preset has a working-day rule")
	}
}

// A count that runs past the calendar's last covered day says so in a
// warning and a step instead of silently treating the new year as holiday
// free; a count inside the coverage carries no warning.
func TestDeadlineBeyondCalendarCoverageWarns(t *testing.T) {
	p := preset(t, "zhejiang2016")
	d, err := p.Compute("route", day("2026-12-29"), ssra.StateCouncilCalendar(), stability.Adjustments{})
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Warnings) != 1 || d.Warnings[0].Code != "calendar.not_covered" || d.Warnings[0].Severity != ssra.SeverityWarning {
		t.Fatalf("warnings: got %v, want one calendar.not_covered", d.Warnings)
	}
	if got, want := d.Due, day("2027-01-05"); got != want {
		t.Fatalf("due: got %s, want %s (weekends only from 2027-01-01)", got, want)
	}
	found := false
	for _, s := range d.Steps {
		if s == "warning: "+d.Warnings[0].Message {
			found = true
		}
	}
	if !found {
		t.Fatalf("the warning is not among the steps: %v", d.Steps)
	}
	// Calendar days: only the last counted day is looked up.
	c, _ := preset(t, "xinfang2022").Compute("conclude", day("2026-10-20"), ssra.StateCouncilCalendar(), stability.Adjustments{})
	if got := c.Due; got != day("2026-12-21") || len(c.Warnings) != 0 {
		t.Fatalf("inside coverage: due %s warnings %v", got, c.Warnings)
	}
	c, _ = preset(t, "xinfang2022").Compute("conclude", day("2026-11-20"), ssra.StateCouncilCalendar(), stability.Adjustments{})
	if len(c.Warnings) != 1 {
		t.Fatalf("calendar-day limit ending 2027-01-19: warnings %v, want one", c.Warnings)
	}
	// Weekends only, chosen by name, covers every year: no warning.
	w, _ := p.Compute("route", day("2030-12-29"), ssra.WeekendsOnly(), stability.Adjustments{})
	if len(w.Warnings) != 0 || w.Calendar != ssra.CalendarWeekendsOnly {
		t.Fatalf("weekends only: warnings %v calendar %q", w.Warnings, w.Calendar)
	}
}
