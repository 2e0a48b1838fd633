package stability_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

var (
	gridder  = stability.Participant{ID: "u-grid", Name: "网格员甲", Unit: "town-a", Role: stability.RoleStaff}
	verifier = stability.Participant{ID: "u-verify", Name: "综治办乙", Unit: "town-a", Role: stability.RoleStaff}
)

func entryIntake() stability.EntryIntake {
	return stability.EntryIntake{Round: "r1", Owner: "village-3", Area: "land_acquisition", Community: "三村",
		Summary: "土地流转租金拖欠，涉及十余户", Days: 10}
}

func newEntry(t *testing.T) *stability.Entry {
	t.Helper()
	e, err := stability.NewEntry("e1", "town-a", entryIntake(), ssra.StateCouncilCalendar(), at("2026-09-28"), gridder)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// TestEntryDeadlineOfficialCalendar counts 10 working days from 28 September
// 2026 across the National Day holiday of the official calendar.
func TestEntryDeadlineOfficialCalendar(t *testing.T) {
	e := newEntry(t)
	cal := ssra.StateCouncilCalendar()
	if got, want := e.Due, cal.AddWorkdays(day("2026-09-28"), 10); got != want {
		t.Fatalf("due = %s, want %s", got, want)
	}
	if !e.Due.After(day("2026-10-09")) {
		t.Fatalf("due %s does not skip the National Day holiday", e.Due)
	}
	if cal.IsRestDay(e.Due) {
		t.Fatalf("due %s is a rest day", e.Due)
	}
	in := entryIntake()
	in.Days, in.Due = 0, day("2026-10-03")
	e2, err := stability.NewEntry("e2", "town-a", in, cal, at("2026-09-28"), gridder)
	mustDo(t, err)
	if got, want := e2.Due, cal.NextWorkday(day("2026-10-03")); got != want || len(e2.DueSteps) != 2 {
		t.Fatalf("due = %s (%v), want %s moved off the holiday", got, e2.DueSteps, want)
	}
}

func TestEntryIntakeRefusals(t *testing.T) {
	cases := []struct {
		name string
		edit func(*stability.EntryIntake)
		code string
	}{
		{"no owner", func(in *stability.EntryIntake) { in.Owner = "" }, "register.owner_missing"},
		{"no summary", func(in *stability.EntryIntake) { in.Summary = " " }, "register.summary_missing"},
		{"phone number", func(in *stability.EntryIntake) { in.Summary = "联系人电话13900001111" }, "register.personal_data"},
		{"identity number", func(in *stability.EntryIntake) { in.Summary = "身份证110101199003074514" }, "register.personal_data"},
		{"both deadlines", func(in *stability.EntryIntake) { in.Due = day("2026-10-30") }, "register.deadline_ambiguous"},
		{"no deadline", func(in *stability.EntryIntake) { in.Days = 0 }, "register.deadline_ambiguous"},
		{"days out of range", func(in *stability.EntryIntake) { in.Days = 400 }, "register.days_range"},
		{"due in the past", func(in *stability.EntryIntake) { in.Days, in.Due = 0, day("2026-09-01") }, "register.due_past"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := entryIntake()
			tc.edit(&in)
			_, err := stability.NewEntry("e1", "town-a", in, ssra.StateCouncilCalendar(), at("2026-09-28"), gridder)
			wantErr(t, err, ssra.KindInvalid, tc.code)
		})
	}
}

// TestEntryTransitions tries every act from every state: the allowed ones
// move to the documented state, the others are refused with a typed
// conflict and change nothing.
func TestEntryTransitions(t *testing.T) {
	type act struct {
		name string
		do   func(e *stability.Entry, now time.Time) error
	}
	acts := []act{
		{"start", func(e *stability.Entry, now time.Time) error { return e.Start(now, gridder) }},
		{"resolve", func(e *stability.Entry, now time.Time) error { return e.Resolve(now, gridder, "租金已结清") }},
		{"close", func(e *stability.Entry, now time.Time) error { return e.Close(now, verifier, "回访核实") }},
		{"reject", func(e *stability.Entry, now time.Time) error { return e.Reject(now, verifier, "未见支付凭证") }},
		{"link", func(e *stability.Entry, now time.Time) error {
			return e.LinkCase(now, gridder, stability.CaseLink{Kind: stability.CaseDispute, Ref: "TJ20261001-AAAA"})
		}},
	}
	// reach brings a new entry to a state.
	reach := map[stability.EntryState]func(*stability.Entry){
		stability.EntryOpen:     func(*stability.Entry) {},
		stability.EntryHandling: func(e *stability.Entry) { mustDo(t, e.Start(at("2026-09-29"), gridder)) },
		stability.EntryResolved: func(e *stability.Entry) { mustDo(t, e.Resolve(at("2026-09-29"), gridder, "已调处")) },
		stability.EntryClosed: func(e *stability.Entry) {
			mustDo(t, e.Resolve(at("2026-09-29"), gridder, "已调处"))
			mustDo(t, e.Close(at("2026-09-29"), verifier, ""))
		},
	}
	want := map[stability.EntryState]map[string]stability.EntryState{
		stability.EntryOpen:     {"start": stability.EntryHandling, "resolve": stability.EntryResolved, "link": stability.EntryOpen},
		stability.EntryHandling: {"resolve": stability.EntryResolved, "link": stability.EntryHandling},
		stability.EntryResolved: {"close": stability.EntryClosed, "reject": stability.EntryHandling, "link": stability.EntryResolved},
		stability.EntryClosed:   {},
	}
	for from, fn := range reach {
		for _, a := range acts {
			t.Run(from.String()+"/"+a.name, func(t *testing.T) {
				e := newEntry(t)
				fn(e)
				before, _ := json.Marshal(e)
				err := a.do(e, at("2026-09-30"))
				to, ok := want[from][a.name]
				if !ok {
					wantErr(t, err, ssra.KindConflict, "register.transition_not_allowed")
					if after, _ := json.Marshal(e); string(after) != string(before) {
						t.Fatalf("a refused act changed the entry")
					}
					return
				}
				mustDo(t, err)
				if e.State != to {
					t.Fatalf("state = %s, want %s", e.State, to)
				}
				if last := e.Events[len(e.Events)-1]; last.State != to || last.At != at("2026-09-30") {
					t.Fatalf("last event %+v does not record the act", last)
				}
			})
		}
	}
}

func TestEntryCloseNeedsAnotherOfficial(t *testing.T) {
	e := newEntry(t)
	mustDo(t, e.Resolve(at("2026-09-29"), gridder, "已调处"))
	wantErr(t, e.Close(at("2026-09-30"), gridder, ""), ssra.KindForbidden, "register.verifier_is_resolver")
	wantErr(t, e.Reject(at("2026-09-30"), gridder, "自查不合格"), ssra.KindForbidden, "register.verifier_is_resolver")
	wantErr(t, e.Reject(at("2026-09-30"), verifier, ""), ssra.KindInvalid, "register.reason_missing")
	wantErr(t, e.Close(at("2026-09-28"), verifier, ""), ssra.KindInvalid, "case.time_reversed")
	wantErr(t, e.Close(at("2026-09-30"), stability.Participant{}, ""), ssra.KindInvalid, "case.actor_missing")
	mustDo(t, e.Close(at("2026-09-30"), verifier, "回访当事双方无异议"))
	if e.Verification.By != verifier.ID || e.Resolution.By != gridder.ID || !e.ClosedInTime() {
		t.Fatalf("closing recorded %+v / %+v", e.Verification, e.Resolution)
	}
	e2 := newEntry(t)
	wantErr(t, e2.Resolve(at("2026-09-29"), gridder, ""), ssra.KindInvalid, "register.resolution_missing")
	mustDo(t, e2.LinkCase(at("2026-09-29"), gridder, stability.CaseLink{Kind: stability.CaseComplaint, Ref: "XF1"}))
	wantErr(t, e2.LinkCase(at("2026-09-29"), gridder, stability.CaseLink{Kind: stability.CaseComplaint, Ref: "XF2"}), ssra.KindConflict, "register.case_linked")
	wantErr(t, newEntry(t).LinkCase(at("2026-09-29"), gridder, stability.CaseLink{Ref: "XF2"}), ssra.KindInvalid, "case_link.kind_invalid")
}

// TestEntryOverdueProperty: over random entry days and deadlines across
// 2025–2026 on the official calendar, the due date is a working day, an
// entry is overdue exactly on the days after its due date until it is
// closed, and closing on the due date is in time while the next day is not.
func TestEntryOverdueProperty(t *testing.T) {
	cal := ssra.StateCouncilCalendar()
	r := rand.New(rand.NewPCG(21, 12))
	base := day("2025-01-01")
	for i := range 400 {
		entered := base.AddDays(r.IntN(640))
		in := entryIntake()
		in.Days = 1 + r.IntN(30)
		e, err := stability.NewEntry("e", "town-a", in, cal, entered.Time(cst).Add(9*time.Hour), gridder)
		mustDo(t, err)
		if cal.IsRestDay(e.Due) || !e.Due.After(entered) {
			t.Fatalf("#%d: due %s from %s is a rest day or not after entry", i, e.Due, entered)
		}
		if n := cal.WorkdaysBetween(entered, e.Due); n != in.Days {
			t.Fatalf("#%d: %d working days between %s and %s, want %d", i, n, entered, e.Due, in.Days)
		}
		for d := entered; !d.After(e.Due.AddDays(3)); d = d.AddDays(1) {
			if got, want := e.Overdue(d), d.After(e.Due); got != want {
				t.Fatalf("#%d: overdue(%s) = %v with due %s", i, d, got, e.Due)
			}
		}
		closeOn := e.Due.AddDays(r.IntN(3))
		mustDo(t, e.Resolve(entered.Time(cst).Add(10*time.Hour), gridder, "已化解"))
		mustDo(t, e.Close(closeOn.Time(cst).Add(17*time.Hour), verifier, ""))
		if got, want := e.ClosedInTime(), closeOn == e.Due; got != want {
			t.Fatalf("#%d: closed %s with due %s: in time = %v", i, closeOn, e.Due, got)
		}
		if e.Overdue(closeOn.AddDays(30)) {
			t.Fatalf("#%d: a closed entry is overdue", i)
		}
	}
}

func plan() stability.ScreeningPlan {
	return stability.ScreeningPlan{ID: "p2026", Organ: "town-a", From: day("2026-09-01"), To: day("2026-10-31"),
		Units: []stability.UnitCycle{
			{Unit: "village-3", Cycle: stability.CycleWeekly, Communities: []string{"三村"}},
			{Unit: "station-judicial", Cycle: stability.CycleMonthly, BeforeSensitive: true, Areas: []string{"land_acquisition", "labour"}},
		},
		Sensitive: []stability.SensitivePeriod{{Name: "国庆", From: day("2026-10-01"), To: day("2026-10-07"), LeadDays: 10}},
	}
}

func TestScreeningSlots(t *testing.T) {
	cal := ssra.StateCouncilCalendar()
	slots, err := plan().Slots(cal)
	mustDo(t, err)
	byKey := map[string]stability.RoundSlot{}
	for _, s := range slots {
		byKey[s.Unit+"/"+s.Key] = s
		if cal.IsRestDay(s.Due) {
			t.Fatalf("slot %s/%s due on rest day %s", s.Unit, s.Key, s.Due)
		}
		if s.From.Before(day("2026-09-01")) || s.To.After(day("2026-10-31")) {
			t.Fatalf("slot %+v outside the plan", s)
		}
	}
	// 2026-09-01 is a Tuesday: the first weekly period is clipped to the plan.
	if s := byKey["village-3/2026-W36"]; s.From != day("2026-09-01") || s.To != day("2026-09-06") || s.Due != day("2026-09-04") {
		t.Fatalf("first week = %+v", s)
	}
	// The week of 28 September: 1–4 October are holidays, so the round is
	// due on Wednesday 30 September, the last working day within it.
	if w := byKey["village-3/2026-W40"]; w.Due != day("2026-09-30") {
		t.Fatalf("week 40 due %s, want 2026-09-30", w.Due)
	}
	// A week without a working day: its round is due on the first working
	// day after it.
	allRest := []ssra.Date{day("2026-09-07"), day("2026-09-08"), day("2026-09-09"), day("2026-09-10"), day("2026-09-11")}
	holidayWeek, err := ssra.NewCalendar("test-holiday-week", allRest, nil)
	mustDo(t, err)
	hs, err := plan().Slots(holidayWeek)
	mustDo(t, err)
	for _, s := range hs {
		if s.Unit == "village-3" && s.Key == "2026-W37" && s.Due != day("2026-09-14") {
			t.Fatalf("a week without a working day is due %s, want 2026-09-14", s.Due)
		}
	}
	if s := byKey["station-judicial/2026-10"]; s.Due != day("2026-10-30") {
		t.Fatalf("October due %s, want Friday 2026-10-30", s.Due)
	}
	if s, ok := byKey["station-judicial/before:国庆"]; !ok || s.Due != day("2026-09-30") || s.From != day("2026-09-21") {
		t.Fatalf("before-sensitive slot = %+v", s)
	}
	if _, ok := byKey["village-3/before:国庆"]; ok {
		t.Fatal("a unit that does not screen before sensitive periods owes such a round")
	}
	bad := plan()
	bad.Units[0].Cycle = 0
	bad.Units[1].Unit = "village-3"
	bad.Sensitive[0].LeadDays = 0
	_, err = bad.Slots(cal)
	wantErr(t, err, ssra.KindInvalid, "screening.cycle_invalid")
	wantErr(t, err, ssra.KindInvalid, "screening.unit_duplicate")
	wantErr(t, err, ssra.KindInvalid, "screening.lead_days_range")
}

func TestRoundStatusesAndRegisterFigures(t *testing.T) {
	cal := ssra.StateCouncilCalendar()
	p := plan()
	slots, err := p.Slots(cal)
	mustDo(t, err)
	rounds := []stability.Round{
		{ID: "r1", Plan: "p2026", Unit: "village-3", Slot: "2026-W36", Held: day("2026-09-03"), By: "u-grid", Covered: []string{"三村"}, Found: 1, Entries: []string{"e1"}},
		{ID: "r2", Plan: "p2026", Unit: "village-3", Slot: "2026-W37", Held: day("2026-09-14"), By: "u-grid", Covered: []string{"三村"}},
		{ID: "r3", Plan: "p2026", Unit: "station-judicial", Slot: "2026-09", Held: day("2026-09-25"), By: "u-judicial", Covered: []string{"labour"}},
	}
	for i, r := range rounds {
		if ps := r.Check(p, slots); len(ps) > 0 {
			t.Fatalf("round %d: %v", i, ps)
		}
	}
	bad := stability.Round{ID: "x", Plan: "p2026", Unit: "village-3", Slot: "2026-W37", Held: day("2026-09-01"), Covered: []string{"四村"}, Found: 0, Entries: []string{"e9"}}
	codes := map[string]bool{}
	for _, pr := range bad.Check(p, slots) {
		codes[pr.Code] = true
	}
	for _, c := range []string{"round.official_missing", "round.held_early", "round.covered_unknown", "round.found_invalid"} {
		if !codes[c] {
			t.Fatalf("round check misses %s: %v", c, codes)
		}
	}
	today := day("2026-09-22")
	st := stability.RoundStatuses(slots, rounds, today)
	states := map[string]stability.SlotState{}
	for _, s := range st {
		states[s.Unit+"/"+s.Key] = s.State
	}
	for k, want := range map[string]stability.SlotState{
		"village-3/2026-W36":         stability.SlotOnTime,
		"village-3/2026-W37":         stability.SlotLate,
		"village-3/2026-W38":         stability.SlotMissed,
		"village-3/2026-W39":         stability.SlotPending,
		"station-judicial/2026-09":   stability.SlotPending,
		"station-judicial/before:国庆": stability.SlotPending,
	} {
		if states[k] != want {
			t.Fatalf("%s = %s, want %s", k, states[k], want)
		}
	}
	if m := stability.MissedRounds(slots, rounds, today); len(m) != 1 || m[0].Key != "2026-W38" {
		t.Fatalf("missed = %+v", m)
	}
	var tl stability.RegisterTally
	tl.AddRounds(st)
	closed := newEntry(t)
	mustDo(t, closed.Resolve(at("2026-09-29"), gridder, "已调处"))
	mustDo(t, closed.Close(at("2026-09-30"), verifier, ""))
	late := newEntry(t) // due in October, still open on 2026-11-30
	tl.AddEntry(closed, day("2026-11-30"))
	tl.AddEntry(late, day("2026-11-30"))
	figs := map[string]stability.Figure{}
	for _, f := range stability.RegisterFigures(tl) {
		figs[f.Indicator] = f
	}
	for id, want := range map[string][2]int64{
		"register.rounds_on_time": {1, 3},
		"register.closed_in_time": {1, 2},
		"register.resolution":     {1, 2},
	} {
		f, ok := figs[id]
		if !ok || f.Numerator != want[0] || f.Denominator != want[1] || f.Rate == nil {
			t.Fatalf("%s = %d/%d (%v), want %d/%d", id, f.Numerator, f.Denominator, ok, want[0], want[1])
		}
	}
	if _, ok := stability.LookupIndicator("register.closed_in_time"); !ok {
		t.Fatal("register indicators are not in the indicator set")
	}
	full := map[string]bool{}
	for _, f := range stability.Figures(stability.Tally{Register: tl}) {
		full[f.Indicator] = true
	}
	if !full["register.resolution"] {
		t.Fatal("Figures leaves the register out")
	}
}

// TestRegisterHoldsNoPerson: the register's JSON has no member naming a
// person of the public.
func TestRegisterHoldsNoPerson(t *testing.T) {
	b, _ := json.Marshal(newEntry(t))
	for _, k := range []string{"complainant", "party", "parties", "phone", "id_number", "address", "person"} {
		if strings.Contains(string(b), `"`+k) {
			t.Fatalf("entry JSON has member %s: %s", k, b)
		}
	}
}

// TestRoundStatusProperty: over random screening plans across 2025–2026
// on the official calendar, every round is due on a working day: the last
// of its period, or the first after it when the period has none; and at
// any measuring date a slot is on time when its earliest round held by
// that date was held by its due date, late when after it, missed when none
// was held and its due date has passed, pending otherwise, and the missed
// list is exactly the missed slots.
func TestRoundStatusProperty(t *testing.T) {
	cal := ssra.StateCouncilCalendar()
	r := rand.New(rand.NewPCG(21, 5))
	base := day("2025-01-01")
	for i := range 150 {
		p := plan()
		p.Sensitive, p.Units[1].BeforeSensitive = nil, false
		p.From = base.AddDays(r.IntN(600))
		p.To = p.From.AddDays(20 + r.IntN(100))
		slots, err := p.Slots(cal)
		mustDo(t, err)
		var rounds []stability.Round
		for j, s := range slots {
			if cal.IsRestDay(s.Due) {
				t.Fatalf("#%d: slot %s/%s due on rest day %s", i, s.Unit, s.Key, s.Due)
			}
			last := ssra.Date{}
			for d := s.From; !d.After(s.To); d = d.AddDays(1) {
				if !cal.IsRestDay(d) {
					last = d
				}
			}
			if last.IsZero() {
				last = cal.NextWorkday(s.To)
			}
			if s.Due != last {
				t.Fatalf("#%d: slot %s/%s [%s, %s] due %s, want %s", i, s.Unit, s.Key, s.From, s.To, s.Due, last)
			}
			for k := range r.IntN(3) {
				rounds = append(rounds, stability.Round{ID: fmt.Sprintf("r%d-%d", j, k), Plan: p.ID, Unit: s.Unit, Slot: s.Key,
					Held: s.Due.AddDays(r.IntN(9) - 4), By: "u-grid"})
			}
		}
		today := p.From.AddDays(r.IntN(int(p.To.DaysSince(p.From)) + 10))
		st := stability.RoundStatuses(slots, rounds, today)
		missed := 0
		for k, s := range st {
			var held ssra.Date
			for _, rd := range rounds {
				if rd.Unit == s.Unit && rd.Slot == s.Key && !rd.Held.After(today) && (held.IsZero() || rd.Held.Before(held)) {
					held = rd.Held
				}
			}
			want := stability.SlotPending
			switch {
			case !held.IsZero() && !held.After(s.Due):
				want = stability.SlotOnTime
			case !held.IsZero():
				want = stability.SlotLate
			case today.After(s.Due):
				want = stability.SlotMissed
				missed++
			}
			if s.State != want || s.Held != held || s.RoundSlot != slots[k] {
				t.Fatalf("#%d: slot %s/%s due %s at %s: %s held %s, want %s held %s", i, s.Unit, s.Key, s.Due, today, s.State, s.Held, want, held)
			}
		}
		if got := len(stability.MissedRounds(slots, rounds, today)); got != missed {
			t.Fatalf("#%d: %d missed listed, want %d", i, got, missed)
		}
	}
}
