package ssra_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
)

func TestDateAddMonths(t *testing.T) {
	for _, tc := range []struct {
		name string
		from ssra.Date
		n    int
		want ssra.Date
	}{
		{"six months", ssra.MustDate(2017, 3, 15), 6, ssra.MustDate(2017, 9, 15)},
		{"month end clamps", ssra.MustDate(2017, 8, 31), 6, ssra.MustDate(2018, 2, 28)},
		{"leap year", ssra.MustDate(2019, 8, 31), 6, ssra.MustDate(2020, 2, 29)},
		{"a year", ssra.MustDate(2017, 12, 31), 12, ssra.MustDate(2018, 12, 31)},
		{"back across a year", ssra.MustDate(2026, 3, 31), -13, ssra.MustDate(2025, 2, 28)},
		{"a quarter from January's end", ssra.MustDate(2026, 1, 31), 3, ssra.MustDate(2026, 4, 30)},
		{"no months", ssra.MustDate(2026, 2, 28), 0, ssra.MustDate(2026, 2, 28)},
		{"last month of the range", ssra.MustDate(9999, 11, 30), 1, ssra.MustDate(9999, 12, 30)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.from.AddMonths(tc.n); got != tc.want {
				t.Fatalf("%s + %d months = %s, want %s", tc.from, tc.n, got, tc.want)
			}
		})
	}
	if got := (ssra.Date{}).AddMonths(5); !got.IsZero() {
		t.Errorf("the zero date + 5 months = %s, want the zero date", got)
	}
	for _, tc := range []struct {
		from ssra.Date
		n    int
	}{{ssra.MinDate, -1}, {ssra.MaxDate, 1}, {ssra.MinDate, -1 << 40}, {ssra.MaxDate, 1 << 40}} {
		got := tc.from.AddMonths(tc.n)
		if got.IsZero() || got.InRange() {
			t.Errorf("%s + %d months = %q (in range %v), want a set date outside the range", tc.from, tc.n, got, got.InRange())
		}
	}
}

// TestDateAddMonthsAgreesWithTime holds AddMonths to the time package's
// month arithmetic, with the month-end clamping stated in its doc, over
// random dates and offsets within the range.
func TestDateAddMonthsAgreesWithTime(t *testing.T) {
	r := rand.New(rand.NewPCG(18, 2026))
	for i := 0; i < 20000; i++ {
		from := ssra.MinDate.AddDays(r.IntN(ssra.MaxDate.DaysSince(ssra.MinDate) + 1))
		n := r.IntN(2401) - 1200
		y, m, day := from.Civil()
		first := time.Date(y, m+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
		if first.Year() < 1 || first.Year() > 9999 {
			continue
		}
		if last := first.AddDate(0, 1, -1).Day(); day > last {
			day = last
		}
		want := ssra.MustDate(first.Year(), first.Month(), day)
		if got := from.AddMonths(n); got != want {
			t.Fatalf("%s + %d months = %s, want %s", from, n, got, want)
		}
	}
}
