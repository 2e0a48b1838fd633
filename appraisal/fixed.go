package appraisal

import (
	"math"
	"math/bits"

	"github.com/shopspring/decimal"
)

// Fixed point: values (inputs, targets, thresholds, weights, multipliers)
// are int64 multiples of 10⁻⁶; points are int64 multiples of 10⁻¹².
const (
	valueScale = 6
	pointScale = 12
	valueOne   = int64(1_000_000)
	pointOne   = int64(1_000_000_000_000)
	// maxValue bounds |value| so that it fits at 10⁻⁶ with room to spare.
	maxValue = int64(1_000_000_000_000) * valueOne
)

var pow10 = [...]int64{1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// toValue converts d to a value at 10⁻⁶. ok is false when d has more than 6
// places after trailing zeros are dropped, or |d| > 10¹². These limits are
// stricter than ssra.CheckDecimal's, and they are checked before any
// arithmetic on d.
func toValue(d decimal.Decimal) (int64, bool) {
	// Fast path for the usual input, such as "87.5": at most 6 places and
	// at most 12 digits, so that |coefficient·10^(6+e)| ≤ 10¹⁸ cannot
	// overflow and |d| < 10¹².
	if e := d.Exponent(); e <= 0 && e >= -valueScale && d.NumDigits() <= 12 {
		return d.CoefficientInt64() * pow10[valueScale+e], true
	}
	return toFixed(d, valueScale, maxValue)
}

// toPoints converts d to points at 10⁻¹², accepting at most 6 places.
func toPoints(d decimal.Decimal) (int64, bool) {
	v, ok := toValue(d)
	if !ok || v > math.MaxInt64/valueOne || v < -math.MaxInt64/valueOne {
		return 0, false
	}
	return v * valueOne, true
}

func toFixed(d decimal.Decimal, scale int32, limit int64) (int64, bool) {
	// The exponent first, then the coefficient's size in bits: neither
	// does arithmetic on the value, so a hostile number costs nothing.
	e := d.Exponent()
	if e > 18 || e < -36 {
		return 0, false
	}
	big := d.Coefficient()
	if !big.IsInt64() {
		return 0, false
	}
	c := big.Int64()
	if c == 0 {
		return 0, true
	}
	shift := e + scale
	switch {
	case shift >= 0:
		if shift > 18 {
			return 0, false
		}
		p := pow10[shift]
		if c > limit/p || c < -limit/p {
			return 0, false
		}
		c *= p
	default:
		if shift < -18 {
			return 0, false
		}
		p := pow10[-shift]
		if c%p != 0 {
			return 0, false
		}
		c /= p
	}
	if c > limit || c < -limit {
		return 0, false
	}
	return c, true
}

// valueDec and pointDec convert fixed point back to decimals.
func valueDec(v int64) decimal.Decimal { return decimal.New(v, -valueScale) }
func pointDec(p int64) decimal.Decimal { return decimal.New(p, -pointScale) }

// mulDiv returns round-half-up(a·b/d) for d > 0, whether it was inexact, and
// whether it overflowed int64. a·b is computed in 128 bits.
func mulDiv(a, b, d int64) (q int64, inexact, overflow bool) {
	neg := (a < 0) != (b < 0)
	ua, ub := abs64(a), abs64(b)
	hi, lo := bits.Mul64(ua, ub)
	if hi >= uint64(d) {
		return 0, false, true
	}
	uq, rem := bits.Div64(hi, lo, uint64(d))
	if rem != 0 {
		inexact = true
		if rem >= uint64(d)-rem { // rem ≥ d/2: half-up
			uq++
		}
	}
	if uq > math.MaxInt64 {
		return 0, inexact, true
	}
	q = int64(uq)
	if neg {
		q = -q
	}
	return q, inexact, false
}

// mulFactor returns points·factor/10⁶ (factor at 10⁻⁶), rounded half-up to
// 10⁻¹² when inexact. Points whose last 6 digits are zero, the common case,
// take an exact path without division.
func mulFactor(points, factor int64) (int64, bool, bool) {
	if points%valueOne == 0 {
		hi, lo := bits.Mul64(abs64(points/valueOne), abs64(factor))
		if hi == 0 && lo <= math.MaxInt64 {
			r := int64(lo)
			if (points < 0) != (factor < 0) {
				r = -r
			}
			return r, false, false
		}
		return 0, false, true
	}
	return mulDiv(points, factor, valueOne)
}

func abs64(a int64) uint64 {
	if a < 0 {
		return uint64(-a)
	}
	return uint64(a)
}

// addChecked adds with an overflow report.
func addChecked(a, b int64) (int64, bool) {
	s := a + b
	if (a > 0 && b > 0 && s < 0) || (a < 0 && b < 0 && s >= 0) {
		return 0, true
	}
	return s, false
}
