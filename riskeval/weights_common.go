package riskeval

import (
	"fmt"
	"math"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// weightsWorkScale is the number of decimal places a float64 intermediate
// result is cut to (half-up) before the output rounding, so that binary
// noise such as 0.29999999999999993 cannot decide a rounding at the sixth
// place. It is far below float64's precision limit for values of order 1.
const weightsWorkScale int32 = 12

var (
	decOne     = decimal.NewFromInt(1)
	weightUnit = decimal.New(1, -ssra.WeightScale)
)

// floatDec converts a finite float64 to a decimal cut half-up to the working
// scale.
func floatDec(x float64) decimal.Decimal {
	return decimal.NewFromFloat(x).Round(weightsWorkScale)
}

// finite reports whether every value is a finite number.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}

// roundWeights rounds non-negative values that sum to about one half-up to
// ssra.WeightScale places and adjusts them by the largest remainder so that
// they sum to exactly one. It states the rounding under key in e.
func roundWeights(values []decimal.Decimal, key, what string, e *Explanation) ([]decimal.Decimal, error) {
	sum := decimal.Zero
	for _, v := range values {
		sum = sum.Add(v)
	}
	norm := values
	if !sum.Equal(decOne) {
		if sum.Sign() <= 0 {
			return nil, fmt.Errorf("%s sum to %s, cannot normalise", what, sum)
		}
		norm = normalise(values, sum)
		e.Addf(key+".normalise", "%s sum to %s before rounding, so each is first divided by that sum (18 places, half-up).", what, sum)
	}
	rounded, adjusted, err := ssra.RoundToSum(norm, ssra.WeightScale, decOne)
	if err != nil {
		return nil, fmt.Errorf("rounding %s: %w", what, err)
	}
	if len(adjusted) == 0 {
		e.Addf(key, "%s rounded half-up to %d places: %s; they sum to exactly 1, no adjustment needed.", what, ssra.WeightScale, joinDec(rounded))
	} else {
		idx := make([]string, len(adjusted))
		for i, a := range adjusted {
			idx[i] = fmt.Sprintf("%d", a)
		}
		e.Addf(key, "%s rounded half-up to %d places and adjusted by the largest remainder (one unit of %s moved at index %s) so that they sum to exactly 1: %s.", what, ssra.WeightScale, weightUnit, strings.Join(idx, ", "), joinDec(rounded))
	}
	return rounded, nil
}

// normaliseScale is the number of decimal places of a weight vector
// divided by its sum before the output rounding.
const normaliseScale int32 = 18

// normalise divides every value by sum (positive) at normaliseScale
// places, half-up.
func normalise(values []decimal.Decimal, sum decimal.Decimal) []decimal.Decimal {
	norm := make([]decimal.Decimal, len(values))
	for i, v := range values {
		norm[i] = v.DivRound(sum, normaliseScale)
	}
	return norm
}

func joinDec(ds []decimal.Decimal) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = d.String()
	}
	return "[" + strings.Join(parts, ", ") + "]"
}

// fixedString formats d with exactly places decimals.
func fixedString(d decimal.Decimal, places int32) string { return d.StringFixed(places) }

// checkWeightVector validates a vector of weights from outside: every value
// within the decimal limits, non-negative, and the sum within tol of one.
func checkWeightVector(ps *ssra.Problems, path, code string, ws []decimal.Decimal, tol decimal.Decimal) bool {
	ok := true
	sum := decimal.Zero
	for i, w := range ws {
		f := ssra.Index(path, i)
		if err := ssra.CheckDecimal(w); err != nil {
			ps.Add(code+".out_of_range", f, "%s", ssra.Reason(err))
			ok = false
			continue
		}
		if w.Sign() < 0 {
			ps.Add(code+".negative", f, "weight %s is negative", w)
			ok = false
			continue
		}
		sum = sum.Add(w)
	}
	if ok && sum.Sub(decOne).Abs().Cmp(tol) > 0 {
		ps.Add(code+".sum", path, "weights sum to %s, not 1 (tolerance %s)", sum, tol)
		ok = false
	}
	return ok
}

// sumDec returns the exact sum of ds.
func sumDec(ds []decimal.Decimal) decimal.Decimal {
	s := decimal.Zero
	for _, d := range ds {
		s = s.Add(d)
	}
	return s
}
