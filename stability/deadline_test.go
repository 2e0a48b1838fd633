package stability_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

func TestPresetsLoadAndValidate(t *testing.T) {
	names := stability.PresetNames()
	for _, want := range []string{"mediation2010", "xinfang2005", "xinfang2022", "zhejiang2016"} {
		if !slices.Contains(names, want) {
			t.Fatalf("preset %s missing from %v", want, names)
		}
	}
	for _, n := range names {
		p := preset(t, n)
		if ps := p.Validate(); len(ps) != 0 {
			t.Fatalf("%s: %v", n, ps)
		}
		for _, r := range p.Rules {
			if r.Basis.ZH == "" || r.Basis.EN == "" || r.Label.ZH == "" || r.Label.EN == "" {
				t.Fatalf("%s rule %s lacks a bilingual label or basis", n, r.ID)
			}
		}
	}
	if _, err := stability.Preset("nope"); ssra.KindOf(err) != ssra.KindNotFound {
		t.Fatalf("unknown preset: %v", err)
	}
	if _, err := stability.Preset("../profiles/xinfang2022"); ssra.KindOf(err) != ssra.KindNotFound {
		t.Fatalf("path-like preset name: %v", err)
	}
}

// TestPresetNumbers checks the statutory numbers of the presets against the
// texts cited in domain.md §3.2–3.3.
func TestPresetNumbers(t *testing.T) {
	for _, tc := range []struct {
		name, profile, rule string
		days                int
		unit                stability.DayUnit
		extMax              int
	}{
		{"2022 route 15 days", "xinfang2022", "route", 15, stability.CalendarDays, 0},
		{"2022 objection 5 working days", "xinfang2022", "object_transfer", 5, stability.WorkingDays, 0},
		{"2022 conclude 60 + 30", "xinfang2022", "conclude", 60, stability.CalendarDays, 30},
		{"2022 review request 30", "xinfang2022", "review_request", 30, stability.CalendarDays, 0},
		{"2022 re-review decision 30", "xinfang2022", "rereview_decide", 30, stability.CalendarDays, 0},
		{"2005 conclude 60 + 30", "xinfang2005", "conclude", 60, stability.CalendarDays, 30},
		{"zhejiang route 5 working days", "zhejiang2016", "route", 5, stability.WorkingDays, 0},
		{"zhejiang conclude 30, extension to 60", "zhejiang2016", "conclude", 30, stability.CalendarDays, 30},
		{"people's mediation one month", "mediation2010", "mediate", 1, stability.Months, 0},
		{"delegated 30", "mediation2010", "mediate_delegated", 30, stability.CalendarDays, 0},
		{"entrusted 15", "mediation2010", "mediate_entrusted", 15, stability.CalendarDays, 0},
		{"entrusted simplified 7", "mediation2010", "mediate_entrusted_simplified", 7, stability.CalendarDays, 0},
		{"confirmation apply 30", "mediation2010", "confirmation_apply", 30, stability.CalendarDays, 0},
		{"confirmation decide 15 + 10", "mediation2010", "confirmation_decide", 15, stability.CalendarDays, 10},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, ok := preset(t, tc.profile).Rule(tc.rule)
			if !ok {
				t.Fatalf("no rule %s", tc.rule)
			}
			if r.Days != tc.days || r.Unit != tc.unit {
				t.Fatalf("got %d %s, want %d %s", r.Days, r.Unit, tc.days, tc.unit)
			}
			got := 0
			if r.Extension != nil {
				got = r.Extension.MaxDays
				if r.Extension.MaxTimes != 1 || !r.Extension.ReasonRequired {
					t.Fatalf("extension %+v: want once, with a reason", r.Extension)
				}
			}
			if got != tc.extMax {
				t.Fatalf("extension max %d, want %d", got, tc.extMax)
			}
		})
	}
	if _, ok := preset(t, "xinfang2005").Rule("object_transfer"); ok {
		t.Fatal("the 2005 regulation has no objection window")
	}
}

// TestDeadlineWindows checks hand-counted due dates on the sample calendar
// (2026-02-14, 2026-02-28 and 2026-05-09 are make-up working Saturdays;
// 2026-02-15..23 and 2026-05-01..05 are holidays).
func TestDeadlineWindows(t *testing.T) {
	cal := sampleCalendar(t)
	for _, tc := range []struct {
		name, profile string
		event         stability.EventKind
		date, rule    string
		due           string
		rolled        bool
	}{
		{"calendar days on a weekday", "xinfang2022", stability.EventRegistered, "2026-01-05", "route", "2026-01-20", false},
		{"counted Saturday rolls to Monday", "xinfang2022", stability.EventRegistered, "2026-03-06", "route", "2026-03-23", true},
		{"counted holiday rolls past the Spring Festival", "xinfang2022", stability.EventRegistered, "2026-01-31", "route", "2026-02-24", true},
		{"counted make-up Saturday stays", "xinfang2022", stability.EventRegistered, "2026-01-30", "route", "2026-02-14", false},
		{"working days across the Spring Festival and a make-up day", "zhejiang2016", stability.EventRegistered, "2026-02-12", "route", "2026-02-26", false},
		{"working days across Labour Day and a make-up Saturday", "xinfang2022", stability.EventTransferReceived, "2026-04-30", "object_transfer", "2026-05-11", false},
		{"60 days ending on Labour Day", "xinfang2022", stability.EventAccepted, "2026-03-02", "conclude", "2026-05-06", true},
		{"one month to a shorter month's make-up Saturday", "mediation2010", stability.EventMediationStarted, "2026-01-31", "mediate", "2026-02-28", false},
		{"judicial confirmation decision 15 days", "mediation2010", stability.EventConfirmationFiled, "2026-06-01", "confirmation_decide", "2026-06-16", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ds, err := stability.Deadlines(preset(t, tc.profile), tc.event, day(tc.date), cal)
			if err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(ds, func(d stability.Deadline) bool { return d.Rule == tc.rule })
			if i < 0 {
				t.Fatalf("rule %s not opened by %s: %+v", tc.rule, tc.event, ds)
			}
			d := ds[i]
			if got := d.Due.String(); got != tc.due {
				t.Fatalf("due %s, want %s; steps %q", got, tc.due, d.Steps)
			}
			if d.RolledOver != tc.rolled {
				t.Fatalf("rolled over %v, want %v", d.RolledOver, tc.rolled)
			}
			if cal.IsRestDay(d.Due) {
				t.Fatalf("due %s is a rest day", d.Due)
			}
			if d.Profile != tc.profile || d.Basis.ZH == "" || d.Label.EN == "" || len(d.Steps) < 3 {
				t.Fatalf("deadline does not explain itself: %+v", d)
			}
		})
	}
}

func TestDeadlineAdjustments(t *testing.T) {
	cal := sampleCalendar(t)
	p22 := preset(t, "xinfang2022")
	for _, tc := range []struct {
		name, rule, start string
		adj               stability.Adjustments
		due               string
		code              string
	}{
		{"extension of 30 after 60", "conclude", "2026-03-02", stability.Adjustments{Extensions: []stability.Extension{{Days: 30, Reason: "site inspection"}}}, "2026-06-01", ""},
		{"extension too long", "conclude", "2026-03-02", stability.Adjustments{Extensions: []stability.Extension{{Days: 31, Reason: "x"}}}, "", "deadline.extension_days"},
		{"second extension", "conclude", "2026-03-02", stability.Adjustments{Extensions: []stability.Extension{{Days: 10, Reason: "x"}, {Days: 10, Reason: "y"}}}, "", "deadline.extension_count"},
		{"extension without reason", "conclude", "2026-03-02", stability.Adjustments{Extensions: []stability.Extension{{Days: 10}}}, "", "deadline.extension_reason_missing"},
		{"extension of a rule without one", "route", "2026-03-02", stability.Adjustments{Extensions: []stability.Extension{{Days: 1, Reason: "x"}}}, "", "deadline.not_extendable"},
		{"hearing not counted in re-review", "rereview_decide", "2026-06-01", stability.Adjustments{Pauses: []stability.Pause{{From: day("2026-06-10"), To: day("2026-06-12"), Reason: "hearing"}}}, "2026-07-06", ""},
		{"overlapping pauses counted once", "rereview_decide", "2026-06-01", stability.Adjustments{Pauses: []stability.Pause{{From: day("2026-06-10"), To: day("2026-06-12")}, {From: day("2026-06-11"), To: day("2026-06-12")}}}, "2026-07-06", ""},
		{"pause on a rule that does not allow it", "conclude", "2026-03-02", stability.Adjustments{Pauses: []stability.Pause{{From: day("2026-03-10"), To: day("2026-03-12")}}}, "", "deadline.not_pausable"},
		{"reversed pause", "rereview_decide", "2026-06-01", stability.Adjustments{Pauses: []stability.Pause{{From: day("2026-06-12"), To: day("2026-06-10")}}}, "", "deadline.pause_reversed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := p22.Compute(tc.rule, day(tc.start), cal, tc.adj)
			if tc.code != "" {
				wantErr(t, err, ssra.KindInvalid, tc.code)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Due.String() != tc.due {
				t.Fatalf("due %s, want %s; steps %q", d.Due, tc.due, d.Steps)
			}
		})
	}
}

func TestDeadlinesRefusals(t *testing.T) {
	p := preset(t, "xinfang2022")
	_, err := stability.Deadlines(p, stability.EventMediationStarted, day("2026-01-05"), ssra.Calendar{})
	wantErr(t, err, ssra.KindInvalid, "deadline.event_not_in_profile")
	_, err = stability.Deadlines(p, stability.EventRegistered, ssra.Date{}, ssra.Calendar{})
	wantErr(t, err, ssra.KindInvalid, "deadline.date_missing")
	_, err = stability.Deadlines(nil, stability.EventRegistered, day("2026-01-05"), ssra.Calendar{})
	wantErr(t, err, ssra.KindInvalid, "deadline.profile_missing")
	_, err = stability.ComputeDeadlines(stability.DeadlineRequest{Profile: "xinfang1995", Event: stability.EventRegistered, Date: day("2026-01-05")})
	if ssra.KindOf(err) != ssra.KindNotFound {
		t.Fatalf("unknown profile: %v", err)
	}
}

func TestDeadlineRequestJSON(t *testing.T) {
	body := `{"profile":"xinfang2022","event":"accepted","date":"2026-03-02",
	  "calendar":{"name":"t","holidays":["2026-05-01","2026-05-02","2026-05-03","2026-05-04","2026-05-05"],"workdays":["2026-05-09"]}}`
	var req stability.DeadlineRequest
	if err := json.Unmarshal([]byte(body), &req); err != nil {
		t.Fatal(err)
	}
	ds, err := stability.ComputeDeadlines(req)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds) != 1 || ds[0].Rule != "conclude" || ds[0].Due.String() != "2026-05-06" {
		t.Fatalf("got %+v", ds)
	}
	if err := json.Unmarshal([]byte(`{"profile":"x","event":"reopened","date":"2026-03-02"}`), &req); err == nil {
		t.Fatal("unknown event accepted")
	}
}

func TestDecodeProfileProblems(t *testing.T) {
	_, err := stability.DecodeProfile([]byte(`{"name":"","version":"","title":{"zh-CN":"","en":""},"tag":"law","counting":{"zh-CN":"","en":""},
	  "rules":[{"id":"a","label":{"zh-CN":"甲","en":"a"},"basis":{"zh-CN":"","en":""},"tag":"law","event":"accepted","days":0,"unit":"calendar_days","obligation":"duty","closed_by":[],"pausable":false,"extension":{"max_times":0,"max_days":0,"reason_required":true,"basis":{"zh-CN":"x","en":"x"}}},
	           {"id":"a","label":{"zh-CN":"甲","en":"a"},"basis":{"zh-CN":"b","en":"b"},"tag":"law","event":"accepted","days":3,"unit":"working_days","obligation":"duty","closed_by":["answered"],"pausable":false}]}`))
	for _, code := range []string{"profile.name_missing", "profile.version_missing", "profile.label_missing", "rule.basis_missing", "rule.days_range",
		"rule.closed_by_missing", "rule.extension_times_range", "rule.extension_days_range", "rule.id_duplicate"} {
		wantErr(t, err, ssra.KindInvalid, code)
	}
	if _, err := stability.DecodeProfile([]byte(`{"name":"x","extra":1}`)); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("unknown field: %v", err)
	}
}

// randomCalendar returns a calendar with random holidays and make-up days in
// 2026–2027, as property tests need calendars no one wrote by hand.
func randomCalendar(r *rand.Rand) ssra.Calendar {
	base := day("2026-01-01")
	var hol, work []ssra.Date
	seen := map[ssra.Date]bool{}
	for range r.IntN(60) {
		d := base.AddDays(r.IntN(730))
		if !seen[d] {
			seen[d] = true
			hol = append(hol, d)
		}
	}
	for range r.IntN(10) {
		// A make-up working day is a Saturday or a Sunday: the calendar
		// refuses any other.
		d := base.AddDays(r.IntN(730))
		for wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday; wd = d.Weekday() {
			d = d.AddDays(1)
		}
		if !seen[d] {
			seen[d] = true
			work = append(work, d)
		}
	}
	c, err := ssra.NewCalendar("random", hol, work)
	if err != nil {
		panic(err)
	}
	return c
}

// TestPropertyDeadlineNeverRestDay: for every preset rule, random start and
// random calendar, the due date is a working day, after the start, and not
// before the day reached by counting.
func TestPropertyDeadlineNeverRestDay(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range stability.PresetNames() {
		p := preset(t, n)
		for i := 0; i < 400; i++ {
			cal := randomCalendar(r)
			start := day("2026-01-01").AddDays(r.IntN(500))
			rule := p.Rules[r.IntN(len(p.Rules))]
			d, err := p.Compute(rule.ID, start, cal, stability.Adjustments{})
			if err != nil {
				t.Fatal(err)
			}
			if cal.IsRestDay(d.Due) || !d.Due.After(start) || d.Due.Before(d.Counted) {
				t.Fatalf("%s %s from %s: due %s counted %s on %v", n, rule.ID, start, d.Due, d.Counted, cal)
			}
		}
	}
}

// TestPropertyPauseNeverShortens: adding a stop-the-clock period never moves
// a due date earlier, and a pause entirely after the due date changes
// nothing.
func TestPropertyPauseNeverShortens(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, n := range stability.PresetNames() {
		p := preset(t, n)
		for _, rule := range p.Rules {
			if !rule.Pausable {
				continue
			}
			for i := 0; i < 300; i++ {
				cal := randomCalendar(r)
				start := day("2026-01-01").AddDays(r.IntN(400))
				base, err := p.Compute(rule.ID, start, cal, stability.Adjustments{})
				if err != nil {
					t.Fatal(err)
				}
				from := start.AddDays(r.IntN(60) - 10)
				pz := stability.Pause{From: from, To: from.AddDays(r.IntN(20))}
				got, err := p.Compute(rule.ID, start, cal, stability.Adjustments{Pauses: []stability.Pause{pz}})
				if err != nil {
					t.Fatal(err)
				}
				if got.Due.Before(base.Due) {
					t.Fatalf("%s: pause %v shortened %s to %s", rule.ID, pz, base.Due, got.Due)
				}
				if pz.From.After(base.Counted) && got.Due != base.Due {
					t.Fatalf("%s: pause after the deadline moved it from %s to %s", rule.ID, base.Due, got.Due)
				}
				if cal.IsRestDay(got.Due) {
					t.Fatalf("paused deadline %s is a rest day", got.Due)
				}
			}
		}
	}
}

// FuzzCalendarJSON: the calendar decoder never panics, and what it accepts
// survives a round trip.
func FuzzCalendarJSON(f *testing.F) {
	f.Add(`{"name":"x","holidays":["2026-01-01"],"workdays":["2026-01-04"]}`)
	f.Add(`{"holidays":["2026-01-01"],"workdays":["2026-01-01"]}`)
	f.Add(`{"holidays":["2026-02-30"],"workdays":[]}`)
	f.Add(`{"holidays":null,"workdays":null,"extra":1}`)
	f.Add(`[]`)
	f.Fuzz(func(t *testing.T, s string) {
		var c ssra.Calendar
		if err := json.Unmarshal([]byte(s), &c); err != nil {
			return
		}
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		var c2 ssra.Calendar
		if err := json.Unmarshal(b, &c2); err != nil {
			t.Fatalf("round trip of %s: %v", b, err)
		}
		d := day("2026-01-01")
		if c.IsWorkday(d) != c2.IsWorkday(d) {
			t.Fatal("round trip changed the calendar")
		}
	})
}

// FuzzProfileJSON: the profile decoder never panics and what it accepts
// validates and computes.
func FuzzProfileJSON(f *testing.F) {
	b, _ := json.Marshal(preset(f, "xinfang2022"))
	f.Add(string(b))
	f.Add(`{"name":"x","version":"1","tag":"practice","title":{"zh-CN":"x","en":"x"},"counting":{"zh-CN":"","en":""},"rules":[{"id":"a","label":{"zh-CN":"a","en":"a"},"basis":{"zh-CN":"a","en":"a"},"tag":"law","event":"accepted","days":3660,"unit":"months","obligation":"duty","closed_by":["answered"],"pausable":true}]}`)
	f.Add(`{"name":"x"} {}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := stability.DecodeProfile([]byte(s))
		if err != nil {
			return
		}
		for _, r := range p.Rules {
			d, err := p.Compute(r.ID, day("2026-03-01"), ssra.Calendar{}, stability.Adjustments{})
			if err != nil {
				t.Fatal(err)
			}
			if d.Due.Before(day("2026-03-01")) {
				t.Fatalf("due %s before start", d.Due)
			}
		}
	})
}

// FuzzDeadlineRequestJSON: the stateless request decodes strictly by enum
// and date, and whatever decodes computes without panicking to working
// days not before the event.
func FuzzDeadlineRequestJSON(f *testing.F) {
	f.Add(`{"profile":"xinfang2022","event":"accepted","date":"2026-03-02","calendar":{"holidays":["2026-05-01"],"workdays":[]}}`)
	f.Add(`{"profile":"mediation2010","event":"mediation_started","date":"9999-12-31"}`)
	f.Add(`{"profile":"zhejiang2016","event":"registered","date":"0001-01-01","calendar":{"holidays":["0001-01-02"],"workdays":["0001-01-06"]}}`)
	f.Fuzz(func(t *testing.T, s string) {
		var req stability.DeadlineRequest
		if err := json.Unmarshal([]byte(s), &req); err != nil {
			return
		}
		ds, err := stability.ComputeDeadlines(req)
		if err != nil {
			return
		}
		for _, d := range ds {
			if d.Due.Before(req.Date) || d.Rule == "" || d.Basis.ZH == "" {
				t.Fatalf("bad deadline %+v", d)
			}
		}
	})
}

// TestDeadlinesAtRangeEnds counts deadlines at both ends of ssra.Date's
// range: a start past 2262 (where a time.Duration from 1970 overflows) is
// counted as any other, a start on 1969-12-31 is a date and not "missing",
// and a due date that would fall after 9999-12-31 is refused, naming the
// date (it used to come out in 2262).
func TestDeadlinesAtRangeEnds(t *testing.T) {
	p := preset(t, "xinfang2022")
	for _, tc := range []struct{ start, due string }{
		{"2026-03-02", "2026-05-01"}, // 60 days, a Friday
		{"2300-03-02", "2300-05-01"}, // 60 days, a Tuesday
		{"1969-12-31", "1970-03-02"}, // 60 days end on Sunday 1970-03-01
	} {
		ds, err := stability.Deadlines(p, stability.EventAccepted, day(tc.start), ssra.Calendar{})
		if err != nil {
			t.Fatalf("%s: %v", tc.start, err)
		}
		if got := ds[0].Due.String(); got != tc.due {
			t.Errorf("%s: due %s, want %s", tc.start, got, tc.due)
		}
	}
	_, err := stability.Deadlines(p, stability.EventAccepted, day("9999-12-30"), ssra.Calendar{})
	wantErr(t, err, ssra.KindInvalid, "deadline.out_of_range")
	if ps := ssra.ProblemsOf(err); len(ps) != 1 || ps[0].Field != "date" {
		t.Fatalf("problems %v, want one naming date", ps)
	}
}
