package ssra_test

import (
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"

	"github.com/ssra-go/ssra"
)

// Every day of the shipped years has the working-day status that the
// independent table of github.com/6tail/lunar-go (HolidayUtil) gives it, and
// the shipped holidays and make-up working days are exactly its days off and
// days worked.
func TestStateCouncilCalendarAgreesWithLunarGo(t *testing.T) {
	cal := ssra.StateCouncilCalendar()
	from, to := cal.Coverage()
	if got, want := from, ssra.MustDate(2015, 1, 1); got != want {
		t.Fatalf("coverage from: got %v, want %v", got, want)
	}
	if got, want := to, ssra.MustDate(2026, 12, 31); got != want {
		t.Fatalf("coverage to: got %v, want %v", got, want)
	}
	holidays := map[ssra.Date]bool{}
	for _, d := range cal.Holidays() {
		holidays[d] = true
	}
	workdays := map[ssra.Date]bool{}
	for _, d := range cal.Workdays() {
		workdays[d] = true
	}
	days := 0
	for d := from; !d.After(to); d = d.AddDays(1) {
		days++
		y, m, dd := d.Civil()
		h := HolidayUtil.GetHolidayByYmd(y, int(m), dd)
		weekend := d.Weekday() == time.Saturday || d.Weekday() == time.Sunday
		want := !weekend
		if h != nil {
			want = h.IsWork()
		}
		if got := cal.IsWorkday(d); got != want {
			t.Errorf("%s: working day %v, lunar-go says %v (%v)", d, got, want, h)
		}
		if got, want := holidays[d], h != nil && !h.IsWork(); got != want {
			t.Errorf("%s: listed as holiday %v, lunar-go %v", d, got, want)
		}
		if got, want := workdays[d], h != nil && h.IsWork(); got != want {
			t.Errorf("%s: listed as make-up working day %v, lunar-go %v", d, got, want)
		}
	}
	if days != 4383 {
		t.Fatalf("checked %d days, want 4383 (2015..2026)", days)
	}
}

// noticeText quotes the Spring Festival and National Day items of the State
// Council General Office's notices on the 2024, 2025 and 2026 arrangements
// (国务院办公厅关于2024/2025/2026年部分节假日安排的通知, as published on
// www.gov.cn on 2023-10-25, 2024-11-12 and 2025-11-04).
var noticeText = []struct {
	year int
	text string
}{
	{2024, "春节：2月10日至17日放假调休，共8天。2月4日（星期日）、2月18日（星期日）上班。鼓励各单位结合带薪年休假等制度落实，安排职工在除夕（2月9日）休息。"},
	{2024, "国庆节：10月1日至7日放假调休，共7天。9月29日（星期日）、10月12日（星期六）上班。"},
	{2025, "春节：1月28日（农历除夕、周二）至2月4日（农历正月初七、周二）放假调休，共8天。1月26日（周日）、2月8日（周六）上班。"},
	{2025, "国庆节、中秋节：10月1日（周三）至8日（周三）放假调休，共8天。9月28日（周日）、10月11日（周六）上班。"},
	{2026, "春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。"},
	{2026, "国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。"},
}

var (
	parenthesis = regexp.MustCompile(`（[^）]*）`)
	restRange   = regexp.MustCompile(`^(\d+)月(\d+)日至(?:(\d+)月)?(\d+)日放假调休，共(\d+)天$`)
	workedDay   = regexp.MustCompile(`(\d+)月(\d+)日（(?:星期|周)(.)）`)
)

// The shipped periods of Spring Festival and National Day 2024–2026 are
// those the notices' own words give: the first and last day off, the number
// of days, and the make-up working days with the weekday the notice names.
func TestStateCouncilCalendarAgreesWithNotices(t *testing.T) {
	weekdays := map[string]time.Weekday{"日": time.Sunday, "一": time.Monday, "二": time.Tuesday, "三": time.Wednesday, "四": time.Thursday, "五": time.Friday, "六": time.Saturday}
	years := map[int]ssra.HolidayYear{}
	for _, y := range ssra.StateCouncilArrangements() {
		years[y.Year] = y
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	for _, n := range noticeText {
		name, rest, _ := strings.Cut(n.text, "：")
		sentences := strings.Split(rest, "。")
		m := restRange.FindStringSubmatch(parenthesis.ReplaceAllString(sentences[0], ""))
		if m == nil {
			t.Fatalf("%d %s: cannot read %q", n.year, name, sentences[0])
		}
		endMonth := m[3]
		if endMonth == "" {
			endMonth = m[1]
		}
		from := ssra.MustDate(n.year, time.Month(num(m[1])), num(m[2]))
		to := ssra.MustDate(n.year, time.Month(num(endMonth)), num(m[4]))
		if got, want := to.DaysSince(from)+1, num(m[5]); got != want {
			t.Fatalf("%d %s: %s..%s is %d days, the notice says %d", n.year, name, from, to, got, want)
		}
		var worked []ssra.Date
		for _, w := range workedDay.FindAllStringSubmatch(sentences[1], -1) {
			d := ssra.MustDate(n.year, time.Month(num(w[1])), num(w[2]))
			if d.Weekday() != weekdays[w[3]] {
				t.Fatalf("%d %s: %s is a %s, the notice says 周%s", n.year, name, d, d.Weekday(), w[3])
			}
			worked = append(worked, d)
		}
		if len(worked) != strings.Count(sentences[1], "、")+1 {
			t.Fatalf("%d %s: read %d make-up days from %q", n.year, name, len(worked), sentences[1])
		}
		var found *ssra.HolidayPeriod
		for i, p := range years[n.year].Periods {
			if p.Name.ZH == name {
				found = &years[n.year].Periods[i]
			}
		}
		if found == nil {
			t.Fatalf("%d: no period named %s", n.year, name)
		}
		if found.From != from || found.To != to {
			t.Errorf("%d %s: shipped %s..%s, notice %s..%s", n.year, name, found.From, found.To, from, to)
		}
		if !slices.Equal(found.Workdays, worked) {
			t.Errorf("%d %s: shipped make-up days %v, notice %v", n.year, name, found.Workdays, worked)
		}
		cal := ssra.StateCouncilCalendar()
		for d := from; !d.After(to); d = d.AddDays(1) {
			if cal.IsWorkday(d) {
				t.Errorf("%s is in %d %s but counts as a working day", d, n.year, name)
			}
		}
		for _, d := range worked {
			if !cal.IsWorkday(d) {
				t.Errorf("%s is a make-up working day of %d %s but counts as a rest day", d, n.year, name)
			}
		}
	}
}

func TestCalendarByName(t *testing.T) {
	for _, tc := range []struct {
		name    string
		workday ssra.Date // 2026-02-16, a Monday of Spring Festival
		want    bool
	}{
		{ssra.CalendarStateCouncil, ssra.MustDate(2026, 2, 16), false},
		{ssra.CalendarWeekendsOnly, ssra.MustDate(2026, 2, 16), true},
	} {
		cal, err := ssra.CalendarByName(tc.name)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := cal.Name(); got != tc.name {
			t.Fatalf("name: got %q, want %q", got, tc.name)
		}
		if got := cal.IsWorkday(tc.workday); got != tc.want {
			t.Fatalf("%s: IsWorkday(%s) = %v, want %v", tc.name, tc.workday, got, tc.want)
		}
	}
	if _, err := ssra.CalendarByName("cn2026"); ssra.KindOf(err) != ssra.KindNotFound {
		t.Fatalf("unknown calendar: got %v, want not_found", err)
	}
}

func TestCalendarCoverage(t *testing.T) {
	d := ssra.MustDate
	cal, err := ssra.NewCalendar("x", []ssra.Date{d(2026, 10, 1)}, []ssra.Date{d(2025, 9, 28)})
	if err != nil {
		t.Fatal(err)
	}
	from, to := cal.Coverage()
	if from != d(2025, 1, 1) || to != d(2026, 12, 31) {
		t.Fatalf("coverage of listed years: got %v..%v", from, to)
	}
	for _, tc := range []struct {
		name        string
		from, to    ssra.Date
		first, last ssra.Date
		ok          bool
	}{
		{"inside", d(2025, 3, 1), d(2026, 3, 1), ssra.Date{}, ssra.Date{}, false},
		{"after", d(2026, 12, 20), d(2027, 1, 10), d(2027, 1, 1), d(2027, 1, 10), true},
		{"before", d(2024, 12, 30), d(2025, 1, 2), d(2024, 12, 30), d(2024, 12, 31), true},
		{"both sides", d(2024, 12, 30), d(2027, 1, 2), d(2024, 12, 30), d(2027, 1, 2), true},
		{"wholly after", d(2027, 2, 1), d(2027, 2, 9), d(2027, 2, 1), d(2027, 2, 9), true},
	} {
		first, last, ok := cal.Uncovered(tc.from, tc.to)
		if first != tc.first || last != tc.last || ok != tc.ok {
			t.Errorf("%s: Uncovered = %v, %v, %v; want %v, %v, %v", tc.name, first, last, ok, tc.first, tc.last, tc.ok)
		}
	}
	if _, _, ok := ssra.WeekendsOnly().Uncovered(d(1900, 1, 1), d(2999, 1, 1)); ok {
		t.Fatal("weekends-only calendar leaves dates uncovered")
	}
	if _, _, ok := (ssra.Calendar{}).Uncovered(d(1900, 1, 1), d(2999, 1, 1)); ok {
		t.Fatal("zero calendar leaves dates uncovered")
	}
	if _, err := ssra.NewCalendarCovering("x", d(2026, 1, 1), ssra.Date{}, nil, nil); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("one bound: got %v, want invalid", err)
	}
	if _, err := ssra.NewCalendarCovering("x", d(2026, 1, 1), d(2025, 1, 1), nil, nil); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("reversed bounds: got %v, want invalid", err)
	}
}

// A calendar's coverage survives JSON, and a stated coverage is kept.
func TestCalendarCoverageJSON(t *testing.T) {
	b, err := ssra.StateCouncilCalendar().MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var back ssra.Calendar
	if err := back.UnmarshalJSON(b); err != nil {
		t.Fatal(err)
	}
	f1, t1 := back.Coverage()
	f0, t0 := ssra.StateCouncilCalendar().Coverage()
	if f1 != f0 || t1 != t0 || back.Name() != ssra.CalendarStateCouncil || len(back.Holidays()) != len(ssra.StateCouncilCalendar().Holidays()) {
		t.Fatalf("round trip lost coverage or days: %v..%v %q", f1, t1, back.Name())
	}
	var c ssra.Calendar
	if err := c.UnmarshalJSON([]byte(`{"holidays":["2026-10-01"],"workdays":[],"covers":{"from":"2026-01-01","to":"2026-10-31"}}`)); err != nil {
		t.Fatal(err)
	}
	if _, to := c.Coverage(); to != ssra.MustDate(2026, 10, 31) {
		t.Fatalf("stated coverage: got to %v", to)
	}
	if err := c.UnmarshalJSON([]byte(`{"holidays":[],"workdays":[],"covers":{"from":"2026-01-01"}}`)); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("half a coverage: got %v, want invalid", err)
	}
}
