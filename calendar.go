package ssra

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"time"
)

// Date is a civil date without time of day or zone, as deadlines are counted
// in days. The zero Date is "no date" (IsZero); dates from 0001-01-01 to
// 9999-12-31 are representable. Dates compare with Before, After, Compare or
// ==. JSON and text form: "YYYY-MM-DD".
type Date struct {
	// n is days since 1970-01-01 plus one, so that the zero value is unset.
	n int32
}

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// NewDate returns the date y-m-d. It fails for dates that do not exist
// (2026-02-30) or lie outside years 1..9999.
func NewDate(y int, m time.Month, d int) (Date, error) {
	if y < 1 || y > 9999 {
		return Date{}, fmt.Errorf("date: year %d outside 1..9999", y)
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || t.Month() != m || t.Day() != d {
		return Date{}, fmt.Errorf("date: %04d-%02d-%02d does not exist", y, int(m), d)
	}
	return fromTime(t), nil
}

// MustDate is NewDate for constants in tests and examples; it panics on an
// invalid date.
func MustDate(y int, m time.Month, d int) Date {
	v, err := NewDate(y, m, d)
	if err != nil {
		panic(err)
	}
	return v
}

// DateOf returns the civil date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return fromTime(time.Date(y, m, d, 0, 0, 0, 0, time.UTC))
}

func fromTime(t time.Time) Date {
	return Date{n: int32(t.Sub(epoch).Hours()/24) + 1}
}

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	if len(s) != 10 {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("date %q is not a valid YYYY-MM-DD date", s)
	}
	return NewDate(t.Year(), t.Month(), t.Day())
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.n == 0 }

// Time returns midnight of the date in loc (UTC when loc is nil).
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, dd := epoch.AddDate(0, 0, int(d.n-1)).Date()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Civil returns year, month and day.
func (d Date) Civil() (int, time.Month, int) { return epoch.AddDate(0, 0, int(d.n-1)).Date() }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday {
	// 1970-01-01 was a Thursday.
	w := (int(d.n-1)%7 + 7 + int(time.Thursday)) % 7
	return time.Weekday(w)
}

// AddDays returns the date n calendar days later (earlier when n < 0).
func (d Date) AddDays(n int) Date { return Date{n: d.n + int32(n)} }

// DaysSince returns the number of days from e to d (negative when d is earlier).
func (d Date) DaysSince(e Date) int { return int(d.n - e.n) }

// Before reports whether d is earlier than e.
func (d Date) Before(e Date) bool { return d.n < e.n }

// After reports whether d is later than e.
func (d Date) After(e Date) bool { return d.n > e.n }

// Compare returns -1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int {
	switch {
	case d.n < e.n:
		return -1
	case d.n > e.n:
		return 1
	}
	return 0
}

// String returns "YYYY-MM-DD", or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	y, m, dd := d.Civil()
	return fmt.Sprintf("%04d-%02d-%02d", y, int(m), dd)
}

// MarshalText encodes the date as "YYYY-MM-DD".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText decodes "YYYY-MM-DD"; empty text gives the zero date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// Calendar says which days are working days: Monday to Friday, except the
// public holidays (法定节假日), plus the make-up working days (调休上班日)
// that fall on a weekend. A calendar covers a range of dates (Covers): the
// days its holidays are known for. Outside it the calendar can only count
// weekends, and the deadline code says so rather than guess. The library
// ships the State Council's arrangements (StateCouncilCalendar); callers may
// build their own. The zero Calendar counts weekends only and covers every
// date, as does WeekendsOnly, which names that choice. A Calendar is
// immutable and safe for concurrent use.
type Calendar struct {
	name     string
	holidays []Date // sorted, unique
	workdays []Date // sorted, unique
	// from and to bound the covered dates, both included; both zero means
	// every date (a weekends-only calendar).
	from, to Date
}

// NewCalendar returns a calendar with the given holidays and make-up working
// days. It covers the whole years in which it lists a date (from 1 January
// of the first to 31 December of the last); a calendar that lists no date
// counts weekends only and covers every date. Use NewCalendarCovering to
// state the coverage. It fails when a date is zero or appears in both lists.
func NewCalendar(name string, holidays, workdays []Date) (Calendar, error) {
	from, to := yearsSpanned(holidays, workdays)
	return NewCalendarCovering(name, from, to, holidays, workdays)
}

// yearsSpanned returns 1 January of the first year and 31 December of the
// last year in which a non-zero date of the lists falls, or two zero dates.
func yearsSpanned(lists ...[]Date) (Date, Date) {
	var lo, hi Date
	for _, l := range lists {
		for _, d := range l {
			if d.IsZero() {
				continue
			}
			if lo.IsZero() || d.Before(lo) {
				lo = d
			}
			if hi.IsZero() || d.After(hi) {
				hi = d
			}
		}
	}
	if lo.IsZero() {
		return Date{}, Date{}
	}
	ly, _, _ := lo.Civil()
	hy, _, _ := hi.Civil()
	return MustDate(ly, time.January, 1), MustDate(hy, time.December, 31)
}

// NewCalendarCovering returns a calendar with the given holidays and make-up
// working days that covers the dates from to to, both included; two zero
// dates cover every date. It fails when a date of the lists is zero or
// appears in both lists, when only one bound is given, or when to is before
// from.
func NewCalendarCovering(name string, from, to Date, holidays, workdays []Date) (Calendar, error) {
	h := sortedUnique(holidays)
	w := sortedUnique(workdays)
	var ps Problems
	switch {
	case from.IsZero() != to.IsZero():
		ps.Add("calendar.covers_incomplete", "covers", "coverage needs both from and to, or neither")
	case to.Before(from):
		ps.Add("calendar.covers_reversed", "covers.to", "coverage ends %s before it starts %s", to, from)
	}
	for i, d := range holidays {
		if d.IsZero() {
			ps.Add("calendar.date_missing", Index("holidays", i), "date is missing")
		}
	}
	for i, d := range workdays {
		if d.IsZero() {
			ps.Add("calendar.date_missing", Index("workdays", i), "date is missing")
		}
		if _, found := slices.BinarySearchFunc(h, d, Date.Compare); found {
			ps.Add("calendar.conflict", Index("workdays", i), "%s is listed both as a holiday and as a working day", d)
		}
	}
	if err := ps.Err("ssra.NewCalendar"); err != nil {
		return Calendar{}, err
	}
	return Calendar{name: name, holidays: h, workdays: w, from: from, to: to}, nil
}

func sortedUnique(ds []Date) []Date {
	out := slices.Clone(ds)
	slices.SortFunc(out, Date.Compare)
	return slices.Compact(out)
}

// Name returns the calendar's name.
func (c Calendar) Name() string { return c.name }

// Holidays returns a copy of the holidays, sorted.
func (c Calendar) Holidays() []Date { return slices.Clone(c.holidays) }

// Workdays returns a copy of the make-up working days, sorted.
func (c Calendar) Workdays() []Date { return slices.Clone(c.workdays) }

// Covers reports whether the calendar knows the holidays of d: always for a
// weekends-only calendar, else when d lies in its coverage.
func (c Calendar) Covers(d Date) bool {
	if c.from.IsZero() {
		return true
	}
	return !d.Before(c.from) && !d.After(c.to)
}

// Coverage returns the first and last covered dates; both are zero when the
// calendar covers every date.
func (c Calendar) Coverage() (from, to Date) { return c.from, c.to }

// Uncovered returns the first and last dates of the days from through to
// that the calendar does not cover, and false when it covers them all.
func (c Calendar) Uncovered(from, to Date) (first, last Date, ok bool) {
	if c.from.IsZero() || to.Before(from) {
		return Date{}, Date{}, false
	}
	if from.Before(c.from) {
		first, last, ok = from, minDate(to, c.from.AddDays(-1)), true
	}
	if to.After(c.to) {
		if !ok {
			first = maxDate(from, c.to.AddDays(1))
		}
		last, ok = to, true
	}
	return first, last, ok
}

func minDate(a, b Date) Date {
	if b.Before(a) {
		return b
	}
	return a
}

func maxDate(a, b Date) Date {
	if b.After(a) {
		return b
	}
	return a
}

// IsWorkday reports whether d is a working day.
func (c Calendar) IsWorkday(d Date) bool {
	if _, ok := slices.BinarySearchFunc(c.workdays, d, Date.Compare); ok {
		return true
	}
	if _, ok := slices.BinarySearchFunc(c.holidays, d, Date.Compare); ok {
		return false
	}
	w := d.Weekday()
	return w != time.Saturday && w != time.Sunday
}

// IsRestDay reports whether d is not a working day.
func (c Calendar) IsRestDay(d Date) bool { return !c.IsWorkday(d) }

// NextWorkday returns d itself when it is a working day, else the first
// working day after it.
func (c Calendar) NextWorkday(d Date) Date {
	for i := 0; i < 366 && !c.IsWorkday(d); i++ {
		d = d.AddDays(1)
	}
	return d
}

// AddWorkdays returns the n-th working day after start; start itself is not
// counted (domain.md §3.2). n must be non-negative; AddWorkdays(d, 0) is d.
func (c Calendar) AddWorkdays(start Date, n int) Date {
	d := start
	for n > 0 {
		d = d.AddDays(1)
		if c.IsWorkday(d) {
			n--
		}
	}
	return d
}

// WorkdaysBetween counts the working days after from up to and including to;
// it is 0 when to is not after from.
func (c Calendar) WorkdaysBetween(from, to Date) int {
	n := 0
	for d := from.AddDays(1); !d.After(to); d = d.AddDays(1) {
		if c.IsWorkday(d) {
			n++
		}
	}
	return n
}

type calendarJSON struct {
	Name     string      `json:"name,omitempty"`
	Holidays []Date      `json:"holidays"`
	Workdays []Date      `json:"workdays"`
	Covers   *coversJSON `json:"covers,omitempty"`
}

// coversJSON is a calendar's coverage, both dates included.
type coversJSON struct {
	From Date `json:"from"`
	To   Date `json:"to"`
}

// MarshalJSON encodes {"name", "holidays": [...], "workdays": [...],
// "covers": {"from", "to"}}; covers is left out when the calendar covers
// every date.
func (c Calendar) MarshalJSON() ([]byte, error) {
	v := calendarJSON{Name: c.name, Holidays: nonNil(c.holidays), Workdays: nonNil(c.workdays)}
	if !c.from.IsZero() {
		v.Covers = &coversJSON{From: c.from, To: c.to}
	}
	return json.Marshal(v)
}

func nonNil(ds []Date) []Date {
	if ds == nil {
		return []Date{}
	}
	return ds
}

// UnmarshalJSON decodes the form written by MarshalJSON strictly: unknown
// fields are refused, and the lists are validated as in NewCalendar. Without
// covers the calendar covers the years in which it lists a date.
func (c *Calendar) UnmarshalJSON(b []byte) error {
	var v calendarJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("calendar: %w", err)
	}
	var from, to Date
	if v.Covers != nil {
		from, to = v.Covers.From, v.Covers.To
		if from.IsZero() || to.IsZero() {
			var ps Problems
			ps.Add("calendar.covers_incomplete", "covers", "coverage needs both from and to")
			return ps.Err("ssra.Calendar.UnmarshalJSON")
		}
	} else {
		from, to = yearsSpanned(v.Holidays, v.Workdays)
	}
	cal, err := NewCalendarCovering(v.Name, from, to, v.Holidays, v.Workdays)
	if err != nil {
		return err
	}
	*c = cal
	return nil
}
