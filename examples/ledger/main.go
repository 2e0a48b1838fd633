// Command ledger runs a township's screening ledger (矛盾纠纷排查台账) through
// September and October on the official calendar: the plan's weekly and
// monthly rounds, the extra round before the National Day holiday (国庆，
// 1-7 October, so the plan runs through it), the issues the rounds find,
// their closing (销号) by another official, one issue that became a
// complaint, and the register indicators measured after the last deadline;
// and the measures a county approval imposed on the township's units
// (稳评措施落实), carried out, verified or left overdue, with the measure
// indicators.
// It names units, places and officials by identifier, never a member of the
// public.
//
//	go run ./examples/ledger
package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
	"github.com/ssra-go/ssra/stability"
)

var cst = time.FixedZone("CST", 8*3600)

func at(d ssra.Date, hour int) time.Time { return d.Time(cst).Add(time.Duration(hour) * time.Hour) }

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "ledger:", err)
		os.Exit(1)
	}
}

// summary is what the two months of the ledger come to.
type summary struct {
	Slots   []stability.RoundSlot
	Missed  int
	Overdue int
	Figures []stability.Figure
	// Measures are the measure indicators of the approval's measures.
	Measures []stability.Figure
}

func run(w io.Writer) error {
	s, err := months(w)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "\n漏排轮次 missed rounds: %d; 逾期未销号 overdue entries: %d\n", s.Missed, s.Overdue)
	for _, f := range append(s.Figures, s.Measures...) {
		if f.Kind == stability.IndicatorCount {
			fmt.Fprintf(w, "%-16s %-44s %d %v\n", f.Label.ZH, f.Label.EN, f.Numerator, f.Counts)
			continue
		}
		rate := "—"
		if f.Rate != nil {
			rate = f.Rate.Value.String()
		}
		fmt.Fprintf(w, "%-16s %-44s %d/%d = %s\n", f.Label.ZH, f.Label.EN, f.Numerator, f.Denominator, rate)
	}
	return nil
}

func months(w io.Writer) (summary, error) {
	cal := ssra.StateCouncilCalendar()
	// The plan covers the sensitive period it screens before: a plan ending
	// on 30 September could not name the holiday that starts on 1 October.
	from, to := ssra.MustDate(2026, 9, 1), ssra.MustDate(2026, 10, 31)
	plan := stability.ScreeningPlan{ID: "town-a-2026-autumn", Organ: "town-a", From: from, To: to,
		Units: []stability.UnitCycle{
			{Unit: "village-1", Cycle: stability.CycleWeekly, Communities: []string{"一村"}},
			{Unit: "village-2", Cycle: stability.CycleWeekly, Communities: []string{"二村"}},
			{Unit: "station-judicial", Cycle: stability.CycleMonthly, BeforeSensitive: true, Areas: []string{"land_acquisition", "labour"}},
		},
		Sensitive: []stability.SensitivePeriod{{Name: "国庆", From: ssra.MustDate(2026, 10, 1), To: ssra.MustDate(2026, 10, 7), LeadDays: 10}},
	}
	slots, err := plan.Slots(cal)
	if err != nil {
		return summary{}, err
	}
	gridder := stability.Participant{ID: "u-grid-1", Unit: "town-a", Role: stability.RoleStaff}
	checker := stability.Participant{ID: "u-zzb-1", Unit: "town-a", Role: stability.RoleStaff}
	var rounds []stability.Round
	var entries []*stability.Entry
	n := 0
	for _, s := range slots {
		// village-2 skips the third week: a missed round.
		if s.Unit == "village-2" && s.Key == "2026-W38" {
			continue
		}
		u := plan.Units[0]
		for _, x := range plan.Units {
			if x.Unit == s.Unit {
				u = x
			}
		}
		covered := append(append([]string{}, u.Areas...), u.Communities...)
		r := stability.Round{ID: fmt.Sprintf("r%02d", len(rounds)+1), Plan: plan.ID, Unit: s.Unit, Slot: s.Key, Held: s.Due, By: gridder.ID, Covered: covered}
		// Every other round finds one issue.
		if len(rounds)%2 == 0 {
			n++
			in := stability.EntryIntake{Round: r.ID, Owner: s.Unit, Community: covered[0], Summary: fmt.Sprintf("第%d项：土地流转租金拖欠", n), Days: 10}
			e, err := stability.NewEntry(fmt.Sprintf("e%02d", n), plan.Organ, in, cal, at(s.Due, 10), gridder)
			if err != nil {
				return summary{}, err
			}
			r.Found, r.Entries = 1, []string{e.ID}
			entries = append(entries, e)
		}
		if ps := r.Check(plan, slots); len(ps) > 0 {
			return summary{}, ps.Err("ledger.round")
		}
		rounds = append(rounds, r)
		fmt.Fprintf(w, "%s %-17s %-9s held %s (due %s), found %d\n", r.ID, s.Unit, s.Key, r.Held, s.Due, r.Found)
	}
	// Most issues are resolved and verified by another official within ten
	// working days; the last two are not.
	for i, e := range entries {
		if i >= len(entries)-2 {
			continue
		}
		done := cal.AddWorkdays(e.Entered, 3+i%8)
		if err := e.Resolve(at(done, 11), gridder, "双方协商，租金已结清"); err != nil {
			return summary{}, err
		}
		if err := e.Close(at(done, 16), checker, "回访核实"); err != nil {
			return summary{}, err
		}
	}
	// One issue became a complaint the next working day; the register links
	// the case (its handling organ names the responsible leader).
	last := entries[len(entries)-1]
	if err := last.LinkCase(at(cal.AddWorkdays(last.Entered, 1), 9), gridder, stability.CaseLink{Kind: stability.CaseComplaint, Ref: "XF-EXAMPLE-0001"}); err != nil {
		return summary{}, err
	}
	// Measured after every deadline of the plan's entries has passed.
	today := ssra.MustDate(2026, 11, 30)
	var t stability.RegisterTally
	t.AddRounds(stability.RoundStatuses(slots, rounds, today))
	for _, e := range entries {
		t.AddEntry(e, today)
		fmt.Fprintf(w, "%s owner %-17s due %s state %s\n", e.ID, e.Owner, e.Due, e.State)
	}
	ms, err := measures(w, today)
	if err != nil {
		return summary{}, err
	}
	return summary{
		Slots:    slots,
		Missed:   len(stability.MissedRounds(slots, rounds, today)),
		Overdue:  len(stability.OverdueEntries(entries, today)),
		Figures:  stability.RegisterFigures(t),
		Measures: ms,
	}, nil
}

// measures tracks the measures the county's approval of a road widening
// imposed on the township's units: town-a's compensation notice, carried
// out and verified by the county by its due date; village-2's relocation
// of a stall market, never reported and overdue; village-1's drainage,
// reported on and not yet due. It returns the measure indicators at today.
func measures(w io.Writer, today ssra.Date) ([]stability.Figure, error) {
	county := ssra.Actor{UserID: "u-county-1", OrgID: "county-dev"}
	unit := func(org string) ssra.Actor { return ssra.Actor{UserID: "u-" + org + "-1", OrgID: org} }
	imposed := []riskeval.Measure{
		{ID: "M1", Description: "公示征收补偿方案", Owner: "town-a", Due: ssra.MustDate(2026, 10, 9)},
		{ID: "M2", Description: "路边摊点迁移安置", Owner: "village-2", Due: ssra.MustDate(2026, 10, 20)},
		{ID: "M3", Description: "施工期排水改道", Owner: "village-1", Due: ssra.MustDate(2026, 12, 15)},
	}
	ap := riskeval.Approval{Outcome: riskeval.OutcomeApproveWithMeasures, Imposed: imposed, Assessed: "A-road-2026"}
	tr, err := riskeval.Track(riskeval.Assessment{ID: "A-road-2026"}, ap, "D-road-2026", at(ssra.MustDate(2026, 9, 1), 9), county)
	if err != nil {
		return nil, err
	}
	notice := []riskeval.Evidence{{Title: "公示照片"}}
	for _, step := range []func() error{
		func() error {
			return tr.Complete("M1", at(ssra.MustDate(2026, 10, 8), 10), unit("town-a"), "已公示", notice)
		},
		func() error { return tr.Verify("M1", at(ssra.MustDate(2026, 10, 9), 15), county, "现场核验") },
		func() error {
			return tr.Report("M3", at(ssra.MustDate(2026, 10, 25), 10), unit("village-1"), "排水沟已开挖一半", []riskeval.Evidence{{Title: "施工照片"}})
		},
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	var t stability.MeasureTally
	for _, m := range tr.Measures {
		f := stability.MeasureFacts{Owner: m.Owner, Due: m.Due, Dropped: m.State == riskeval.MeasureDropped,
			Completed: m.State == riskeval.MeasureDone || m.State == riskeval.MeasureVerified}
		if m.Verified != nil && m.State == riskeval.MeasureVerified {
			f.Verified = ssra.DateOf(m.Verified.At)
		}
		t.AddMeasure(f, today)
		fmt.Fprintf(w, "%s owner %-10s due %s state %s\n", m.ID, m.Owner, m.Due, m.StateAt(today))
	}
	return stability.MeasureFigures(t), nil
}
