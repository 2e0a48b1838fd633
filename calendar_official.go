package ssra

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
)

// The names of the shipped calendars, as a request or a flag chooses them.
const (
	// CalendarStateCouncil names the official working-day calendar of the
	// State Council's holiday arrangements (StateCouncilCalendar).
	CalendarStateCouncil = "cn_state_council"
	// CalendarWeekendsOnly names the calendar that counts weekends only, with
	// no public holidays (WeekendsOnly).
	CalendarWeekendsOnly = "weekends_only"
)

// HolidayNotice is one notice that arranged public holidays: the State
// Council General Office's yearly notice (国务院办公厅关于…年部分节假日安排的通知)
// or a later notice that changed or added to it. Published is the day the
// notice was made public.
type HolidayNotice struct {
	Title     string `json:"title"`
	Published Date   `json:"published"`
}

// HolidayPeriod is one rest period of an arrangement: the festival, its days
// off from From to To (both included, weekends inside it too), the make-up
// working days (调休上班日) that go with it, and the index in the year's
// Notices of the notice that set it (the yearly notice is 0).
type HolidayPeriod struct {
	Name     Label  `json:"name"`
	From     Date   `json:"from"`
	To       Date   `json:"to"`
	Workdays []Date `json:"workdays,omitempty"`
	Notice   int    `json:"notice,omitempty"`
}

// HolidayYear is the arrangement of one year (部分节假日安排): its notices and
// rest periods. A period may begin in the previous December (元旦).
type HolidayYear struct {
	Year    int             `json:"year"`
	Notices []HolidayNotice `json:"notices"`
	Periods []HolidayPeriod `json:"periods"`
}

// holidayData is the embedded file: the calendar's name, label, covered
// years and each year's arrangement.
type holidayData struct {
	Name      string        `json:"name"`
	Label     Label         `json:"label"`
	FirstYear int           `json:"first_year"`
	LastYear  int           `json:"last_year"`
	Years     []HolidayYear `json:"years"`
}

// stateCouncilJSON holds the State Council's arrangements for 2015–2026,
// transcribed from the notices (the day lists agree with the independent
// table of github.com/6tail/lunar-go, which a test checks day by day).
//
//go:embed calendars/cn_state_council.json
var stateCouncilJSON []byte

// stateCouncil is decoded and checked once, at package initialisation; it is
// never changed afterwards (the accessors return copies).
var stateCouncil = mustStateCouncil()

type officialCalendar struct {
	data holidayData
	cal  Calendar
}

func mustStateCouncil() officialCalendar {
	oc, err := parseHolidayData(stateCouncilJSON)
	if err != nil {
		// The file is embedded and tested: a failure is a build defect.
		panic(fmt.Sprintf("ssra: embedded calendar: %v", err))
	}
	return oc
}

// parseHolidayData decodes and checks an arrangement file: years in order
// and inside the covered range, periods with both dates in order, notice
// indexes that exist, and no day both a holiday and a working day.
func parseHolidayData(b []byte) (officialCalendar, error) {
	var d holidayData
	if err := jsonv2.Unmarshal(b, &d, strictJSON); err != nil {
		return officialCalendar{}, fmt.Errorf("decode: %w", err)
	}
	var ps Problems
	if d.FirstYear < 1 || d.LastYear < d.FirstYear || d.LastYear > 9998 {
		ps.Add("calendar.years", "first_year", "years %d..%d are not a range", d.FirstYear, d.LastYear)
		return officialCalendar{}, ps.Err("ssra.parseHolidayData")
	}
	if len(d.Years) != d.LastYear-d.FirstYear+1 {
		ps.Add("calendar.years", "years", "%d years listed for %d..%d", len(d.Years), d.FirstYear, d.LastYear)
	}
	var holidays, workdays []Date
	for i, y := range d.Years {
		yf := Index("years", i)
		if y.Year != d.FirstYear+i {
			ps.Add("calendar.years", JoinPath(yf, "year"), "year %d out of order", y.Year)
		}
		if len(y.Notices) == 0 {
			ps.Add("calendar.notice_missing", JoinPath(yf, "notices"), "year %d has no notice", y.Year)
		}
		for j, n := range y.Notices {
			if n.Title == "" || n.Published.IsZero() {
				ps.Add("calendar.notice_incomplete", JoinPath(yf, Index("notices", j)), "notice needs a title and a publication date")
			}
		}
		for j, p := range y.Periods {
			pf := JoinPath(yf, Index("periods", j))
			if p.Name.ZH == "" || p.Name.EN == "" {
				ps.Add("calendar.label_missing", JoinPath(pf, "name"), "name needs zh-CN and en text")
			}
			if p.From.IsZero() || p.To.IsZero() || p.To.Before(p.From) || p.To.DaysSince(p.From) > 15 {
				ps.Add("calendar.period", pf, "period %s..%s is not a rest period", p.From, p.To)
				continue
			}
			if p.Notice < 0 || p.Notice >= len(y.Notices) {
				ps.Add("calendar.notice_index", JoinPath(pf, "notice"), "no notice %d", p.Notice)
			}
			for day := p.From; !day.After(p.To); day = day.AddDays(1) {
				holidays = append(holidays, day)
			}
			for k, w := range p.Workdays {
				if wd := w.Weekday(); wd != time.Saturday && wd != time.Sunday {
					ps.Add("calendar.workday_weekday", JoinPath(pf, Index("workdays", k)), "make-up working day %s is not a weekend day", w)
				}
				workdays = append(workdays, w)
			}
		}
	}
	if err := ps.Err("ssra.parseHolidayData"); err != nil {
		return officialCalendar{}, err
	}
	from := MustDate(d.FirstYear, time.January, 1)
	to := MustDate(d.LastYear, time.December, 31)
	cal, err := NewCalendarCovering(d.Name, from, to, holidays, workdays)
	if err != nil {
		return officialCalendar{}, err
	}
	return officialCalendar{data: d, cal: cal}, nil
}

// StateCouncilCalendar returns the official working-day calendar of the
// State Council's holiday arrangements (国务院办公厅部分节假日安排) for 2015
// to 2026, named CalendarStateCouncil: every rest period's days are holidays
// and every make-up working day (调休上班日) is a working day. It covers
// 1 January 2015 to 31 December 2026; the last days of December 2026 are as
// the 2026 notice leaves them (a following year's notice has in the past
// moved late-December days, as for New Year 2019 and 2023).
func StateCouncilCalendar() Calendar { return stateCouncil.cal }

// StateCouncilArrangements returns the arrangements behind
// StateCouncilCalendar, one per year from 2015 to 2026, with each year's
// notices (title and publication date) and rest periods. The result is a
// copy.
func StateCouncilArrangements() []HolidayYear {
	out := slices.Clone(stateCouncil.data.Years)
	for i := range out {
		out[i].Notices = slices.Clone(out[i].Notices)
		out[i].Periods = slices.Clone(out[i].Periods)
		for j := range out[i].Periods {
			out[i].Periods[j].Workdays = slices.Clone(out[i].Periods[j].Workdays)
		}
	}
	return out
}

// WeekendsOnly returns the calendar that counts Saturdays and Sundays as rest
// days and nothing else, named CalendarWeekendsOnly. It covers every date.
// Choose it by name when official holidays must be ignored.
func WeekendsOnly() Calendar { return Calendar{name: CalendarWeekendsOnly} }

// CalendarNames returns the names of the shipped calendars, sorted.
func CalendarNames() []string { return []string{CalendarStateCouncil, CalendarWeekendsOnly} }

// CalendarByName returns the shipped calendar with the given name. It fails
// with KindNotFound for any other name.
func CalendarByName(name string) (Calendar, error) {
	switch name {
	case CalendarStateCouncil:
		return StateCouncilCalendar(), nil
	case CalendarWeekendsOnly:
		return WeekendsOnly(), nil
	}
	return Calendar{}, Errorf(KindNotFound, "ssra.CalendarByName", "no shipped calendar %q (have %s)", name, strings.Join(CalendarNames(), ", "))
}
