package ssra_test

import (
	"fmt"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// A pairwise judgment "1/3" stays exact as a fraction until it is written
// at a chosen scale.
func ExampleParseFraction() {
	f, err := ssra.ParseFraction("1/3")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f, f.Decimal(6))
	_, err = ssra.ParseFraction("1/0")
	fmt.Println(err != nil)
	// Output:
	// 1/3 0.333333
	// true
}

// Five working days from the eve of the 2026 Labour Day holidays skip the
// holidays and count the make-up working Saturday.
func ExampleCalendar_AddWorkdays() {
	var holidays []ssra.Date
	for d := 1; d <= 5; d++ {
		holidays = append(holidays, ssra.MustDate(2026, time.May, d))
	}
	cal, err := ssra.NewCalendar("sample 2026 Labour Day", holidays, []ssra.Date{ssra.MustDate(2026, time.May, 9)})
	if err != nil {
		fmt.Println(err)
		return
	}
	due := cal.AddWorkdays(ssra.MustDate(2026, time.April, 30), 5)
	fmt.Println(due, due.Weekday())
	// Output:
	// 2026-05-11 Monday
}

// Three equal weights rounded to 6 places sum to 0.999999; the largest
// remainder method gives the missing unit to one of them, named in
// adjusted.
func ExampleRoundToSum() {
	third := decimal.NewFromInt(1).DivRound(decimal.NewFromInt(3), 18)
	w, adjusted, err := ssra.RoundToSum([]decimal.Decimal{third, third, third}, 6, decimal.NewFromInt(1))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(w, adjusted)
	// Output:
	// [0.333334 0.333333 0.333333] [0]
}

// 190 of 1,140 answers oppose: the share with its 95 % Wilson interval,
// each rounded half-up to 4 places.
func ExampleNewRate() {
	r, err := ssra.NewRate(190, 1140)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(r.Value, r.Lower, r.Upper)
	// Output:
	// 0.1667 0.1462 0.1894
}

// ProblemsOf lists every problem of an error with its stable code and
// field path, whatever wraps it.
func ExampleProblemsOf() {
	var ps ssra.Problems
	ps.Add("factor.weight_negative", "factors[2].weight", "weight %s is negative", "-0.1")
	ps.Add("estimate.out_of_scale", "factors[3].residual.impact", "impact %d is outside the scale 1..%d", 7, 5)
	err := fmt.Errorf("saving the draft: %w", ps.Err("example"))
	fmt.Println(ssra.KindOf(err))
	for _, p := range ssra.ProblemsOf(err) {
		fmt.Println(p.Code, p.Field)
	}
	// Output:
	// invalid
	// factor.weight_negative factors[2].weight
	// estimate.out_of_scale factors[3].residual.impact
}
