package ssra

import (
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

// Output scales of the precision policy (domain.md §1.10): where the
// mathematics is not exact, results are rounded half-up to these places.
const (
	// WeightScale is the scale of weights and membership vectors.
	WeightScale int32 = 6
	// IndexScale is the scale of λmax, CI, CR and risk indices.
	IndexScale int32 = 6
	// RateScale is the scale of rates and their interval bounds.
	RateScale int32 = 4
)

// RoundHalfUp rounds d to places decimal places, halves away from zero (for
// the non-negative quantities of this library that is half-up).
func RoundHalfUp(d decimal.Decimal, places int32) decimal.Decimal { return d.Round(places) }

// RoundToSum rounds each value half-up to places and then adjusts by the
// largest-remainder method so that the rounded values sum exactly to total
// (typically 1). Values must be non-negative. The units added or removed go
// to the values with the largest (or smallest) remainders; ties go to the
// lower index, so the result is deterministic. The returned adjusted slice
// names the indices that were moved off their half-up rounding.
func RoundToSum(values []decimal.Decimal, places int32, total decimal.Decimal) (rounded []decimal.Decimal, adjusted []int, err error) {
	if len(values) == 0 {
		return nil, nil, nil
	}
	unit := decimal.New(1, -places)
	floors := make([]decimal.Decimal, len(values))
	rems := make([]decimal.Decimal, len(values))
	sum := decimal.Zero
	for i, v := range values {
		if v.Sign() < 0 {
			return nil, nil, fmt.Errorf("value %d is negative", i)
		}
		floors[i] = v.RoundFloor(places)
		rems[i] = v.Sub(floors[i])
		sum = sum.Add(floors[i])
	}
	missing := total.Sub(sum)
	if !missing.Mod(unit).IsZero() {
		return nil, nil, fmt.Errorf("total %s is not a multiple of %s", total, unit)
	}
	k := missing.Div(unit).IntPart()
	if k < 0 || k > int64(len(values)) {
		return nil, nil, fmt.Errorf("values sum to %s, too far from %s to adjust", sum, total)
	}
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(a, b int) bool { return rems[order[a]].Cmp(rems[order[b]]) > 0 })
	rounded = make([]decimal.Decimal, len(values))
	copy(rounded, floors)
	for j := int64(0); j < k; j++ {
		rounded[order[j]] = rounded[order[j]].Add(unit)
	}
	for i, v := range values {
		if !rounded[i].Equal(v.Round(places)) {
			adjusted = append(adjusted, i)
		}
	}
	return rounded, adjusted, nil
}
