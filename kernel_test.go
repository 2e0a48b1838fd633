package ssra_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestParseDecimal(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		ok             bool
	}{
		{"plain", "0.35", "0.35", true},
		{"negative", "-2", "-2", true},
		{"exponent", "1e-3", "0.001", true},
		{"trailing zeros beyond scale are fine", "1.000000000000000000000000", "1", true},
		{"empty", "", "", false},
		{"nan", "NaN", "", false},
		{"inf", "Infinity", "", false},
		{"thousands", "1,000", "", false},
		{"too many decimals", "0.1234567890123456789", "", false},
		{"too large", "1e19", "", false},
		{"huge exponent", "1e999999", "", false},
		{"fraction is not a decimal", "1/3", "", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ssra.ParseDecimal(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("ParseDecimal(%q) error = %v, want ok=%v", tc.in, err, tc.ok)
			}
			if tc.ok && got.String() != tc.want {
				t.Fatalf("ParseDecimal(%q) = %s, want %s", tc.in, got, tc.want)
			}
		})
	}
}

func TestParseFraction(t *testing.T) {
	f, err := ssra.ParseFraction("1/3")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := f.Decimal(6).String(), "0.333333"; got != want {
		t.Fatalf("1/3 = %s, want %s", got, want)
	}
	if got := f.Rat().String(); got != "1/3" {
		t.Fatalf("Rat = %s", got)
	}
	if _, err := ssra.ParseFraction("1/0"); err == nil {
		t.Fatal("1/0 accepted")
	}
	g, err := ssra.ParseFraction("-2/-4")
	if err != nil || g.Decimal(2).String() != "0.5" || g.Den.Sign() <= 0 {
		t.Fatalf("-2/-4 = %v (%v)", g, err)
	}
	var h ssra.Fraction
	if err := json.Unmarshal([]byte(`"5"`), &h); err != nil || h.String() != "5" {
		t.Fatalf("json string: %v %v", h, err)
	}
	if err := json.Unmarshal([]byte(`0.2`), &h); err != nil || h.String() != "0.2" {
		t.Fatalf("json number: %v %v", h, err)
	}
	if err := json.Unmarshal([]byte(`"x/2"`), &h); err == nil {
		t.Fatal("x/2 accepted")
	}
}

func TestRoundToSum(t *testing.T) {
	third := d("1").DivRound(d("3"), 20)
	got, adj, err := ssra.RoundToSum([]decimal.Decimal{third, third, third}, 6, d("1"))
	if err != nil {
		t.Fatal(err)
	}
	sum := decimal.Sum(got[0], got[1:]...)
	if !sum.Equal(d("1")) {
		t.Fatalf("sum = %s", sum)
	}
	if got[0].String() != "0.333334" || got[1].String() != "0.333333" || len(adj) != 1 || adj[0] != 0 {
		t.Fatalf("got %v adjusted %v", got, adj)
	}
	// Exact values are untouched.
	got, adj, _ = ssra.RoundToSum([]decimal.Decimal{d("0.25"), d("0.75")}, 6, d("1"))
	if got[0].String() != "0.25" || len(adj) != 0 {
		t.Fatalf("exact: %v %v", got, adj)
	}
	if _, _, err := ssra.RoundToSum([]decimal.Decimal{d("-0.5"), d("1.5")}, 6, d("1")); err == nil {
		t.Fatal("negative accepted")
	}
}

func TestRoundToSumProperty(t *testing.T) {
	// For any split of 1 into n parts with long expansions, the rounded parts
	// sum to exactly 1 and each moves by less than one unit.
	for n := 1; n <= 40; n++ {
		parts := make([]decimal.Decimal, n)
		total := decimal.Zero
		for i := range parts {
			parts[i] = decimal.NewFromInt(int64(i*7%5 + 1))
			total = total.Add(parts[i])
		}
		for i := range parts {
			parts[i] = parts[i].DivRound(total, 18)
		}
		// Fix the last so the inputs sum to 1 exactly.
		s := decimal.Sum(parts[0], parts[1:]...)
		parts[n-1] = parts[n-1].Add(d("1").Sub(s))
		got, _, err := ssra.RoundToSum(parts, 6, d("1"))
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if sum := decimal.Sum(got[0], got[1:]...); !sum.Equal(d("1")) {
			t.Fatalf("n=%d: sum %s", n, sum)
		}
		for i := range got {
			if got[i].Sub(parts[i]).Abs().Cmp(d("0.000001")) >= 0 {
				t.Fatalf("n=%d: part %d moved from %s to %s", n, i, parts[i], got[i])
			}
		}
	}
}

func TestWilson(t *testing.T) {
	// Reference values: Wilson 95 % for 81/263 is [0.2553, 0.3662]
	// (Newcombe 1998, example data), computed independently.
	r, err := ssra.NewRate(81, 263)
	if err != nil {
		t.Fatal(err)
	}
	if r.Value.String() != "0.308" || r.Lower.String() != "0.2553" || r.Upper.String() != "0.3662" {
		t.Fatalf("81/263 = %s [%s, %s]", r.Value, r.Lower, r.Upper)
	}
	all, _ := ssra.NewRate(50, 50)
	if !all.Upper.Equal(d("1")) || all.Lower.String() != "0.9287" {
		t.Fatalf("50/50 = [%s, %s]", all.Lower, all.Upper)
	}
	for _, tc := range []struct {
		k, n   int64
		target string
		want   ssra.TargetJudgement
	}{
		{990, 1000, "0.95", ssra.TargetMet},
		{96, 100, "0.95", ssra.TargetUndecided},
		{800, 1000, "0.95", ssra.TargetMissed},
		// The lower bound 0.94999976… rounds to 0.9500 but is below 0.95:
		// it used to be judged met on the rounded figure.
		{426, 439, "0.95", ssra.TargetUndecided},
		{0, 10, "0", ssra.TargetMet}, // the lower bound of 0/n is exactly 0
		{10, 10, "1", ssra.TargetUndecided},
	} {
		r, _ := ssra.NewRate(tc.k, tc.n)
		if got := r.Judge(d(tc.target)); got != tc.want {
			t.Errorf("%d/%d vs %s: %v, want %v", tc.k, tc.n, tc.target, got, tc.want)
		}
	}
	for _, bad := range [][2]int64{{1, 0}, {-1, 10}, {11, 10}} {
		if _, err := ssra.NewRate(bad[0], bad[1]); err == nil {
			t.Errorf("NewRate(%d,%d) accepted", bad[0], bad[1])
		}
	}
}

// TestWilsonJudgedUnrounded holds Judge to the unrounded bounds: 426/439
// shows a lower bound of 0.9500 and does not meet 0.95, and the exact
// comparisons agree with the bounds computed to 40 digits wherever those
// are further than 10⁻³⁰ from the target.
func TestWilsonJudgedUnrounded(t *testing.T) {
	r, err := ssra.NewRate(426, 439)
	if err != nil {
		t.Fatal(err)
	}
	if r.Lower.String() != "0.95" || r.CompareLower(d("0.95")) != -1 || r.CompareLower(d("0.9499997")) != 1 || r.CompareLower(d("0.9499998")) != -1 {
		t.Fatalf("426/439: shown lower %s, exact against 0.95: %d", r.Lower, r.CompareLower(d("0.95")))
	}
	for n := int64(1); n <= 70; n++ {
		for k := int64(0); k <= n; k++ {
			r, _ := ssra.NewRate(k, n)
			lo, hi := wilson40(k, n)
			for _, ts := range []string{"0", "0.05", "0.5", "0.8", "0.9", "0.95", "0.96", "1", r.Lower.String(), r.Upper.String()} {
				tt := d(ts)
				if want, ok := sign40(lo, tt); ok && r.CompareLower(tt) != want {
					t.Fatalf("%d/%d lower %s vs %s: got %d, want %d", k, n, lo.Text('g', 30), ts, r.CompareLower(tt), want)
				}
				if want, ok := sign40(hi, tt); ok && r.CompareUpper(tt) != want {
					t.Fatalf("%d/%d upper %s vs %s: got %d, want %d", k, n, hi.Text('g', 30), ts, r.CompareUpper(tt), want)
				}
			}
		}
	}
}

// wilson40 computes the 95 % Wilson bounds of k/n in 256-bit floating point.
func wilson40(k, n int64) (lo, hi *big.Float) {
	f := func() *big.Float { return new(big.Float).SetPrec(256) }
	z, _ := f().SetString(ssra.Z95().String())
	nn := f().SetInt64(n)
	p := f().Quo(f().SetInt64(k), nn)
	z2n := f().Quo(f().Mul(z, z), nn)
	denom := f().Add(f().SetInt64(1), z2n)
	center := f().Add(p, f().Quo(z2n, f().SetInt64(2)))
	v := f().Quo(f().Mul(p, f().Sub(f().SetInt64(1), p)), nn)
	v.Add(v, f().Quo(z2n, f().Mul(f().SetInt64(4), nn)))
	half := f().Mul(z, f().Sqrt(v))
	return f().Quo(f().Sub(center, half), denom), f().Quo(f().Add(center, half), denom)
}

// sign40 is the sign of b − t when it is clear at 256 bits (|b − t| > 10⁻³⁰).
func sign40(b *big.Float, t decimal.Decimal) (int, bool) {
	tf, _ := new(big.Float).SetPrec(256).SetString(t.String())
	diff := new(big.Float).SetPrec(256).Sub(b, tf)
	eps, _ := new(big.Float).SetPrec(256).SetString("1e-30")
	if new(big.Float).Abs(diff).Cmp(eps) <= 0 {
		return 0, false
	}
	return diff.Sign(), true
}

func TestWilsonContainsValue(t *testing.T) {
	for n := int64(1); n <= 60; n++ {
		for k := int64(0); k <= n; k++ {
			r, err := ssra.NewRate(k, n)
			if err != nil {
				t.Fatal(err)
			}
			if r.Lower.Cmp(r.Value) > 0 || r.Upper.Cmp(r.Value) < 0 {
				t.Fatalf("%d/%d: %s outside [%s, %s]", k, n, r.Value, r.Lower, r.Upper)
			}
		}
	}
}

func TestDate(t *testing.T) {
	dt, err := ssra.ParseDate("2026-02-28")
	if err != nil {
		t.Fatal(err)
	}
	if got := dt.AddDays(1).String(); got != "2026-03-01" {
		t.Fatalf("next day %s", got)
	}
	if dt.Weekday() != time.Saturday {
		t.Fatalf("weekday %v", dt.Weekday())
	}
	for _, bad := range []string{"2026-02-29", "2026-2-1", "20260201", "", "0000-01-01"} {
		if _, err := ssra.ParseDate(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	loc := time.FixedZone("CST", 8*3600)
	if got := ssra.DateOf(time.Date(2026, 5, 1, 23, 30, 0, 0, loc)).String(); got != "2026-05-01" {
		t.Fatalf("DateOf = %s", got)
	}
	// Weekday agrees with the time package over a long range.
	base := ssra.MustDate(1900, 1, 1)
	for i := 0; i < 80000; i += 13 {
		x := base.AddDays(i)
		if x.Weekday() != x.Time(nil).Weekday() {
			t.Fatalf("%s: weekday %v vs %v", x, x.Weekday(), x.Time(nil).Weekday())
		}
	}
}

func TestCalendar(t *testing.T) {
	// Sample data in the shape of an official notice: 2026-10-01..07 off,
	// Sunday 2026-09-27 a make-up working day.
	var hol []ssra.Date
	for i := 0; i < 7; i++ {
		hol = append(hol, ssra.MustDate(2026, 10, 1).AddDays(i))
	}
	cal, err := ssra.NewCalendar("sample", hol, []ssra.Date{ssra.MustDate(2026, 9, 27)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		day  string
		work bool
	}{
		{"2026-09-26", false}, // Saturday
		{"2026-09-27", true},  // make-up Sunday
		{"2026-09-30", true},
		{"2026-10-01", false},
		{"2026-10-07", false},
		{"2026-10-08", true},
	} {
		dt, _ := ssra.ParseDate(tc.day)
		if got := cal.IsWorkday(dt); got != tc.work {
			t.Errorf("%s workday = %v, want %v", tc.day, got, tc.work)
		}
	}
	// 5 working days after Wed 2026-09-30: 10-08, 09, 12, 13, 14 (10-10/11 weekend).
	if got := cal.AddWorkdays(ssra.MustDate(2026, 9, 30), 5).String(); got != "2026-10-14" {
		t.Fatalf("AddWorkdays = %s", got)
	}
	if got := cal.NextWorkday(ssra.MustDate(2026, 10, 3)).String(); got != "2026-10-08" {
		t.Fatalf("NextWorkday = %s", got)
	}
	if got := cal.WorkdaysBetween(ssra.MustDate(2026, 9, 30), ssra.MustDate(2026, 10, 14)); got != 5 {
		t.Fatalf("WorkdaysBetween = %d", got)
	}
	b, _ := json.Marshal(cal)
	var back ssra.Calendar
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Holidays()) != 7 || !back.IsWorkday(ssra.MustDate(2026, 9, 27)) {
		t.Fatalf("round trip: %s", b)
	}
	if _, err := ssra.NewCalendar("bad", hol[:1], hol[:1]); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("conflict: %v", err)
	}
	if err := json.Unmarshal([]byte(`{"holidays":[],"workdays":[],"extra":1}`), &back); err == nil {
		t.Fatal("unknown field accepted")
	}
}

// TestCalendarMakeUpDayIsWeekend: a make-up working day (调休上班日) on a
// weekday changes nothing, so it is refused as a likely wrong date, with the
// field and the rule named; a make-up Saturday or Sunday is accepted, and a
// holiday on a weekend (part of a notice's rest period) too.
func TestCalendarMakeUpDayIsWeekend(t *testing.T) {
	sat, sun, mon := ssra.MustDate(2026, 9, 26), ssra.MustDate(2026, 9, 27), ssra.MustDate(2026, 9, 28)
	for _, wd := range []ssra.Date{sat, sun} {
		if _, err := ssra.NewCalendar("ok", []ssra.Date{ssra.MustDate(2026, 10, 3)}, []ssra.Date{wd}); err != nil {
			t.Fatalf("make-up %s (%s) refused: %v", wd, wd.Weekday(), err)
		}
	}
	// Official rest periods may be weekend days only (Mid-Autumn 2015).
	if _, err := ssra.NewCalendar("weekend period", []ssra.Date{sat, sun}, nil); err != nil {
		t.Fatalf("weekend-only rest period refused: %v", err)
	}
	_, err := ssra.NewCalendar("bad", nil, []ssra.Date{sun, mon})
	ps := ssra.ProblemsOf(err)
	if ssra.KindOf(err) != ssra.KindInvalid || len(ps) != 1 || ps[0].Code != "calendar.workday_weekday" || ps[0].Field != "workdays[1]" {
		t.Fatalf("make-up Monday: %v", err)
	}
}

func TestErrors(t *testing.T) {
	var ps ssra.Problems
	ps.Warn("w", "a", "advice")
	if err := ps.Err("op"); err != nil {
		t.Fatalf("warnings only gave %v", err)
	}
	ps.Add("x.bad", ssra.JoinPath(ssra.Index("factors", 2), "weight"), "must be %s", "positive")
	err := fmt.Errorf("context: %w", ps.Err("riskeval.Validate"))
	if ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("kind = %v", ssra.KindOf(err))
	}
	got := ssra.ProblemsOf(err)
	if len(got) != 1 || got[0].Field != "factors[2].weight" || got[0].Code != "x.bad" {
		t.Fatalf("problems = %v", got)
	}
	if ssra.KindOf(errors.New("plain")) != ssra.KindInternal {
		t.Fatal("plain error kind")
	}
	var k ssra.Kind
	if err := k.UnmarshalText([]byte("nope")); err == nil {
		t.Fatal("unknown kind accepted")
	}
	if err := k.UnmarshalText([]byte("not_found")); err != nil || k != ssra.KindNotFound {
		t.Fatalf("not_found: %v %v", k, err)
	}
	if p := ps.Prefix("profile"); p[1].Field != "profile.factors[2].weight" {
		t.Fatalf("prefix = %q", p[1].Field)
	}
}

func TestLabel(t *testing.T) {
	l := ssra.L("合法性", "legality")
	if l.In(ssra.LangEN) != "legality" || l.In(ssra.LangZH) != "合法性" {
		t.Fatal(l)
	}
	if ssra.L("", "x").In(ssra.LangZH) != "x" {
		t.Fatal("fallback")
	}
	if _, err := ssra.ParseLang("fr"); err == nil {
		t.Fatal("fr accepted")
	}
}

func FuzzParseFraction(f *testing.F) {
	for _, s := range []string{"1/3", "9", "0.5", "1e-3", "-2/-4", "1/0", "NaN", "1e99999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		v, err := ssra.ParseFraction(s)
		if err != nil {
			return
		}
		if !v.Valid() || v.Den.Sign() <= 0 {
			t.Fatalf("%q parsed to invalid %v", s, v)
		}
		back, err := ssra.ParseFraction(v.String())
		if err != nil || back.Rat().Cmp(v.Rat()) != 0 {
			t.Fatalf("%q: round trip %v -> %v (%v)", s, v, back, err)
		}
	})
}

func TestReasonLeavesOutOperations(t *testing.T) {
	inner := ssra.Problems{{Code: "ahp.cell.out_of_range", Field: "matrix[0][1]", Message: "must be positive", Severity: ssra.SeverityError}}.Err("riskeval.PairwiseMatrix")
	outer := ssra.Wrap(ssra.KindInvalid, "rest.decodeAHP", fmt.Errorf("cell: %w", inner), "bad matrix")
	for _, err := range []error{inner, outer} {
		got := ssra.Reason(err)
		if strings.Contains(got, "riskeval.") || strings.Contains(got, "rest.") {
			t.Errorf("Reason(%v) = %q: names a Go function", err, got)
		}
		if !strings.Contains(got, "must be positive") {
			t.Errorf("Reason(%v) = %q: lost the rule", err, got)
		}
		if !strings.Contains(err.Error(), "riskeval.PairwiseMatrix") {
			t.Errorf("Error() = %q: the log text must keep the operation", err.Error())
		}
	}
	if got := ssra.Reason(errors.New("plain")); got != "plain" {
		t.Errorf("Reason(plain) = %q", got)
	}
}

// TestDateRange holds Date to its documented range: both ends are dates
// that round-trip, 1969-12-31 is a date and not "missing", and a date past
// 2262 (where a time.Duration from 1970 overflows) is counted correctly.
func TestDateRange(t *testing.T) {
	for _, tc := range []struct {
		name string
		d    ssra.Date
		text string
	}{
		{"first day", ssra.MinDate, "0001-01-01"},
		{"last day", ssra.MaxDate, "9999-12-31"},
		{"day before 1970", ssra.MustDate(1969, 12, 31), "1969-12-31"},
		{"past a Duration's reach", ssra.MustDate(2262, 4, 12), "2262-04-12"},
		{"far future", ssra.MustDate(9999, 12, 30), "9999-12-30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.d.IsZero() || !tc.d.InRange() {
				t.Fatalf("%s: zero %v, in range %v", tc.text, tc.d.IsZero(), tc.d.InRange())
			}
			if got := tc.d.String(); got != tc.text {
				t.Fatalf("String: got %s, want %s", got, tc.text)
			}
			back, err := ssra.ParseDate(tc.text)
			if err != nil || back != tc.d {
				t.Fatalf("ParseDate(%s) = %v, %v", tc.text, back, err)
			}
			if got := ssra.DateOf(tc.d.Time(nil)); got != tc.d {
				t.Fatalf("DateOf(Time) = %s", got)
			}
			if got, want := tc.d.Weekday(), tc.d.Time(nil).Weekday(); got != want {
				t.Fatalf("Weekday: got %v, want %v", got, want)
			}
		})
	}
	if got := ssra.MustDate(2300, 1, 1).DaysSince(ssra.MustDate(1970, 1, 1)); got != 120530 {
		t.Fatalf("days 1970..2300: got %d, want 120530", got)
	}
	if got := ssra.MaxDate.DaysSince(ssra.MinDate); got != 3652058 {
		t.Fatalf("days in range: got %d, want 3652058", got)
	}
	for _, out := range []ssra.Date{ssra.MaxDate.AddDays(1), ssra.MinDate.AddDays(-1), ssra.MaxDate.AddDays(1 << 40)} {
		if out.InRange() {
			t.Errorf("%s reported in range", out)
		}
		if _, err := out.MarshalText(); err == nil {
			t.Errorf("%s marshalled", out)
		}
	}
	if got := ssra.MaxDate.AddDays(1).String(); got != "10000-01-01" {
		t.Fatalf("day after the range: got %s", got)
	}
	for _, bad := range []string{"0000-12-31", "10000-01-01"} {
		if _, err := ssra.ParseDate(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// FuzzDateCivil holds the day count to the time package's calendar over
// the whole range.
func FuzzDateCivil(f *testing.F) {
	f.Add(int32(0))
	f.Add(int32(3652058))
	f.Add(int32(719161))
	f.Fuzz(func(t *testing.T, k int32) {
		if k < 0 {
			k = -k
		}
		k %= 3652059
		d := ssra.MinDate.AddDays(int(k))
		want := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, int(k))
		y, m, day := d.Civil()
		if y != want.Year() || m != want.Month() || day != want.Day() || d.Weekday() != want.Weekday() {
			t.Fatalf("day %d: %04d-%02d-%02d %v, want %s %v", k, y, m, day, d.Weekday(), want.Format(time.DateOnly), want.Weekday())
		}
		if ssra.DateOf(want) != d {
			t.Fatalf("DateOf(%s) = %s", want.Format(time.DateOnly), ssra.DateOf(want))
		}
	})
}

// TestParseDateAgreesWithTimeParse: ParseDate reads a date by hand and
// accepts exactly the YYYY-MM-DD texts time.Parse(time.DateOnly) accepts
// within the date range, giving the same day, across months' lengths, leap
// years and malformed texts.
// TestDateTextAgreesWithTime: every day of the range prints as
// time.Format(time.DateOnly) prints it, and reads back.
func TestDateTextAgreesWithTime(t *testing.T) {
	for d := ssra.MinDate; ; d = d.AddDays(1) {
		y, m, dd := d.Civil()
		want := time.Date(y, m, dd, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		b, err := d.MarshalText()
		if d.String() != want || err != nil || string(b) != want {
			t.Fatalf("%s: String %q, MarshalText %q %v", want, d.String(), b, err)
		}
		if back, err := ssra.ParseDate(want); err != nil || back != d {
			t.Fatalf("%s reads back as %v, %v", want, back, err)
		}
		if d == ssra.MaxDate {
			break
		}
	}
	if b, err := (ssra.Date{}).MarshalText(); err != nil || len(b) != 0 || b == nil {
		t.Fatalf("the zero date marshals as %q, %v", b, err)
	}
}

func TestParseDateAgreesWithTimeParse(t *testing.T) {
	var texts []string
	for _, y := range []string{"0000", "0001", "1900", "1999", "2000", "2024", "2100", "9999"} {
		for m := 0; m <= 13; m++ {
			for day := 0; day <= 32; day++ {
				texts = append(texts, fmt.Sprintf("%s-%02d-%02d", y, m, day))
			}
		}
	}
	texts = append(texts, "2024-1-011", "2024/01/01", " 024-01-01", "+024-01-01", "2024-01-0a", "2024-0x-01", "2024-01-01 ", "２024-01-01", "-024-01-01", "2024-+1-01")
	for _, s := range texts {
		got, err := ssra.ParseDate(s)
		ref, refErr := time.Parse(time.DateOnly, s)
		if refErr == nil && ref.Year() >= 1 {
			if err != nil || got != ssra.DateOf(ref) {
				t.Fatalf("ParseDate(%q) = %v, %v; time.Parse gives %v", s, got, err, ref)
			}
			continue
		}
		if err == nil {
			t.Fatalf("ParseDate(%q) = %v; time.Parse refuses it (%v)", s, got, refErr)
		}
	}
}
