package ssra

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"time"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
)

// Date is a civil date without time of day or zone, as deadlines are counted
// in days. The zero Date is "no date" (IsZero); every other value is a day of
// the proleptic Gregorian calendar. The documented range is MinDate
// (0001-01-01) to MaxDate (9999-12-31), both included: NewDate, ParseDate and
// UnmarshalText refuse anything outside it, and MarshalText refuses to write a
// date that arithmetic (AddDays) has carried outside it, so a computation
// that leaves the range is an error, never a wrong date. Dates compare with
// Before, After, Compare or ==. JSON and text form: "YYYY-MM-DD".
type Date struct {
	// n is the day count from 0001-01-01, which is n == 1 (the Rata Die
	// numbering), so that the zero value is unset and every day of the
	// range, 1969-12-31 included, is a non-zero count. No time.Duration
	// is involved: a Duration spans only about 292 years.
	n int32
}

// MinDate and MaxDate are the first and last day of Date's documented range.
var (
	MinDate = Date{n: 1}
	MaxDate = Date{n: daysFromCivil(9999, time.December, 31)}
)

// daysFromCivil returns the Rata Die day number of y-m-d in the proleptic
// Gregorian calendar (0001-01-01 is 1), for any y, m in 1..12 and d in
// 1..31, without the time package; it is the days_from_civil algorithm of
// H. Hinnant, "chrono-Compatible Low-Level Date Algorithms", shifted so that
// the count starts at 0001-01-01.
func daysFromCivil(y int, m time.Month, d int) int32 {
	yy := int64(y)
	if m <= time.February {
		yy--
	}
	era := floorDiv(yy, 400)
	yoe := yy - era*400                        // [0, 399]
	mp := (int64(m) + 9) % 12                  // March is 0
	doy := (153*mp+2)/5 + int64(d) - 1         // [0, 365]
	doe := yoe*365 + yoe/4 - yoe/100 + doy     // [0, 146096]
	days := era*146097 + doe - 719468 + 719162 // days since 0001-01-01
	return int32(days + 1)
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(n int32) (int, time.Month, int) {
	z := int64(n) - 1 - 719162 + 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097                                  // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100) // [0, 365]
	mp := (5*doy + 2) / 153                  // [0, 11]
	d := doy - (153*mp+2)/5 + 1              // [1, 31]
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), time.Month(m), int(d)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// NewDate returns the date y-m-d. It fails for dates that do not exist
// (2026-02-30) or lie outside MinDate..MaxDate (years 1..9999).
func NewDate(y int, m time.Month, d int) (Date, error) {
	if y < 1 || y > 9999 {
		return Date{}, fmt.Errorf("date: year %d outside 1..9999 (dates run from %s to %s)", y, MinDate, MaxDate)
	}
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	if t.Year() != y || t.Month() != m || t.Day() != d {
		return Date{}, fmt.Errorf("date: %04d-%02d-%02d does not exist", y, int(m), d)
	}
	return Date{n: daysFromCivil(y, m, d)}, nil
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

// DateOf returns the civil date of t in t's own location. A t whose year
// lies outside 1..9999 gives a date outside the range (InRange is false).
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{n: daysFromCivil(y, m, d)}
}

// ParseDate parses "YYYY-MM-DD".
func ParseDate(s string) (Date, error) {
	if len(s) != 10 {
		return Date{}, fmt.Errorf("date %q is not YYYY-MM-DD", s)
	}
	// Read by hand rather than by time.Parse, which cost a request body's
	// dates a few per cent of its decoding (BenchmarkEvaluate in
	// adapters/rest); it accepts what time.Parse(time.DateOnly) accepts.
	y, okY := digits(s[0:4])
	m, okM := digits(s[5:7])
	d, okD := digits(s[8:10])
	if !okY || !okM || !okD || s[4] != '-' || s[7] != '-' || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, time.Month(m)) {
		return Date{}, fmt.Errorf("date %q is not a valid YYYY-MM-DD date", s)
	}
	return NewDate(y, time.Month(m), d)
}

// digits reads s, ASCII digits only, as a number.
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// IsZero reports whether the date is unset.
func (d Date) IsZero() bool { return d.n == 0 }

// InRange reports whether d is set and lies within MinDate..MaxDate.
func (d Date) InRange() bool { return d.n >= MinDate.n && d.n <= MaxDate.n }

// Time returns midnight of the date in loc (UTC when loc is nil).
func (d Date) Time(loc *time.Location) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	y, m, dd := d.Civil()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// Civil returns year, month and day.
func (d Date) Civil() (int, time.Month, int) { return civilFromDays(d.n) }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday {
	// 0001-01-01 (n == 1) was a Monday, so n mod 7 is the weekday.
	return time.Weekday(int64(d.n) - 7*floorDiv(int64(d.n), 7))
}

// AddDays returns the date n calendar days later (earlier when n < 0). The
// result may lie outside MinDate..MaxDate (see InRange). After the range
// the day count stays exact up to the int32 bound, where it stops; any
// result before 0001-01-01 is one fixed out-of-range date, so that
// arithmetic never lands on the zero value, which means "no date".
func (d Date) AddDays(n int) Date {
	v := int64(d.n) + int64(n)
	switch {
	case v > math.MaxInt32:
		v = math.MaxInt32
	case v < int64(MinDate.n):
		v = math.MinInt32
	}
	return Date{n: int32(v)}
}

// AddMonths returns the same day n calendar months later (earlier when
// n < 0); a day the target month lacks becomes that month's last day
// (2017-08-31 + 6 months is 2018-02-28, 2019-08-31 + 6 is 2020-02-29).
// The zero date stays zero. Like AddDays, a result before 0001-01-01 is
// one fixed out-of-range date and one after 9999-12-31 is out of range
// (see InRange), never the zero value.
func (d Date) AddMonths(n int) Date {
	if d.IsZero() {
		return d
	}
	y, m, day := d.Civil()
	months := int64(y)*12 + int64(m) - 1 + int64(n)
	ny := floorDiv(months, 12)
	nm := time.Month(months-ny*12) + 1
	switch {
	case ny < 1:
		return Date{n: math.MinInt32}
	case ny > 10000:
		return Date{n: math.MaxInt32}
	}
	if last := daysInMonth(int(ny), nm); day > last {
		day = last
	}
	return Date{n: daysFromCivil(int(ny), nm, day)}
}

// daysInMonth returns the number of days of month m of year y.
func daysInMonth(y int, m time.Month) int {
	if m == time.December {
		return 31
	}
	return int(daysFromCivil(y, m+1, 1) - daysFromCivil(y, m, 1))
}

// DaysSince returns the number of days from e to d (negative when d is earlier).
func (d Date) DaysSince(e Date) int { return int(d.n) - int(e.n) }

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

// String returns "YYYY-MM-DD", or "" for the zero date. A date outside the
// range is written with its proleptic year (10000-01-01, -0001-12-31) so
// that messages can name it.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return string(d.appendText(nil))
}

// appendText appends the date as "YYYY-MM-DD" (by hand rather than by
// fmt, which cost a case's encoding a few per cent of a write: a case
// holds dozens of dates).
func (d Date) appendText(b []byte) []byte {
	y, m, dd := d.Civil()
	if y < 0 || y > 9999 {
		return fmt.Appendf(b, "%04d-%02d-%02d", y, int(m), dd)
	}
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+dd/10), byte('0'+dd%10))
}

// MarshalText encodes the date as "YYYY-MM-DD"; the zero date is empty
// text. It fails for a date outside MinDate..MaxDate, which no reader of the
// form could take back.
func (d Date) MarshalText() ([]byte, error) {
	if !d.IsZero() && !d.InRange() {
		return nil, fmt.Errorf("date %s outside %s..%s", d, MinDate, MaxDate)
	}
	if d.IsZero() {
		return []byte{}, nil
	}
	return d.appendText(make([]byte, 0, 10)), nil
}

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
// state the coverage. It fails when a date is zero, when a date is both a
// holiday and a make-up working day, and when a make-up working day
// (调休上班日) is not a Saturday or Sunday (it would change nothing, so it is
// most likely a wrong date). A holiday may fall on a Saturday or Sunday and
// is accepted there: notices list rest periods with their weekend days (1–7
// October), and some periods are weekend days only (Mid-Autumn 2015:
// 26–27 September, a Saturday and a Sunday), so refusing them would refuse
// the official arrangements as published.
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
		} else if !weekend(d) {
			ps.Add("calendar.workday_weekday", Index("workdays", i), "make-up working day %s is a %s, a working day already: a make-up working day (调休上班日) is a Saturday or Sunday", d, d.Weekday())
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

// weekend reports whether d is a Saturday or a Sunday.
func weekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
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

// UnmarshalJSON decodes the form written by MarshalJSON strictly, as
// UnmarshalJSONFrom does.
func (c *Calendar) UnmarshalJSON(b []byte) error {
	return jsonv2.Unmarshal(b, c, strictJSON)
}

// strictJSON are the decoding options of the kernel's own documents, the
// same as the module's strict decoder's: duplicate names, invalid UTF-8,
// trailing data and unknown members are refused, and names match exactly.
var strictJSON = jsonv2.JoinOptions(
	jsonv2.RejectUnknownMembers(true),
	jsonv2.MatchCaseInsensitiveNames(false),
	jsontext.AllowDuplicateNames(false),
	jsontext.AllowInvalidUTF8(false),
)

// UnmarshalJSONFrom decodes the form written by MarshalJSON strictly:
// unknown or misspelt members are refused, and the lists are validated as
// in NewCalendar. Without covers the calendar covers the years in which it
// lists a date. Inside a larger document it keeps the options of the
// decoder reading it, so a fault is reported at its path in that document.
func (c *Calendar) UnmarshalJSONFrom(dec *jsontext.Decoder) error {
	var v calendarJSON
	if err := jsonv2.UnmarshalDecode(dec, &v, strictJSON); err != nil {
		return err
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
