package riskeval

import (
	"cmp"
	"math"
	"strconv"

	"github.com/shopspring/decimal"
)

// The decimals of a result are written, and compared, from their int64
// coefficients when these fit (CoefficientInt64 and Exponent do not
// allocate; Coefficient, String and Cmp of different exponents do), and
// through shopspring/decimal otherwise.

// appendDecimal appends d as d.String() would write it, without
// allocating when the coefficient fits in int64.
func appendDecimal(b []byte, d decimal.Decimal) []byte {
	e := d.Exponent()
	if e < -18 || e > 18 || d.NumDigits() > 18 {
		return append(b, d.String()...)
	}
	c := d.CoefficientInt64()
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	if e >= 0 {
		b = appendUint(b, c)
		if c != 0 {
			b = append(b, zeros[:e]...)
		}
		return b
	}
	// The coefficient's digits, split -e places from the right, without
	// the fraction's trailing zeros.
	var tmp [20]byte
	digs := tmp[formatDigits(&tmp, uint64(c)):]
	places := int(-e)
	cut := len(digs) - places
	var frac []byte
	if cut > 0 {
		b = append(b, digs[:cut]...)
		frac = digs[cut:]
	} else {
		b = append(b, '0')
		frac = digs
	}
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if len(frac) == 0 {
		return b
	}
	b = append(b, '.')
	if cut < 0 {
		b = append(b, zeros[:-cut]...)
	}
	return append(b, frac...)
}

// zeros holds enough zeros for any padding appendDecimal writes.
const zeros = "000000000000000000"

// appendUint appends 0 <= v in decimal.
func appendUint(b []byte, v int64) []byte {
	if v < 10 {
		return append(b, byte('0'+v))
	}
	var tmp [20]byte
	return append(b, tmp[formatDigits(&tmp, uint64(v)):]...)
}

// appendInt appends v in decimal, as strconv.AppendInt(b, v, 10) does.
func appendInt(b []byte, v int64) []byte {
	if v < 0 {
		if v == math.MinInt64 {
			return strconv.AppendInt(b, v, 10)
		}
		b = append(b, '-')
		v = -v
	}
	return appendUint(b, v)
}

// digitPairs holds "00" to "99".
const digitPairs = "00010203040506070809101112131415161718192021222324252627282930313233343536373839" +
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879" +
	"8081828384858687888990919293949596979899"

// formatDigits writes the decimal digits of u at the end of buf, two at a
// time, and returns where they start.
func formatDigits(buf *[20]byte, u uint64) int {
	i := len(buf)
	for u >= 100 {
		q := u / 100
		r := (u - q*100) * 2
		i -= 2
		buf[i], buf[i+1] = digitPairs[r], digitPairs[r+1]
		u = q
	}
	if u >= 10 {
		i -= 2
		buf[i], buf[i+1] = digitPairs[u*2], digitPairs[u*2+1]
		return i
	}
	i--
	buf[i] = byte('0' + u)
	return i
}

// appendFixed6 appends d as d.StringFixed(6) would write it, without
// allocating when d has at most 6 decimal places and fits in int64 at 6
// places.
func appendFixed6(b []byte, d decimal.Decimal) []byte {
	e := d.Exponent()
	if e < -6 || e > 12 || d.NumDigits()+int(e)+6 > 18 {
		return append(b, d.StringFixed(6)...)
	}
	c := d.CoefficientInt64() * pow10[e+6]
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	var tmp [20]byte
	digs := tmp[formatDigits(&tmp, uint64(c)):]
	if cut := len(digs) - 6; cut > 0 {
		b = append(b, digs[:cut]...)
		b = append(b, '.')
		return append(b, digs[cut:]...)
	}
	b = append(b, "0."...)
	b = append(b, zeros[:6-len(digs)]...)
	return append(b, digs...)
}

// cmpDecimal compares a and b as a.Cmp(b) does.
func cmpDecimal(a, b decimal.Decimal) int {
	ea, eb := a.Exponent(), b.Exponent()
	da, db := a.NumDigits(), b.NumDigits()
	if da > 18 || db > 18 {
		return a.Cmp(b)
	}
	ca, cb := a.CoefficientInt64(), b.CoefficientInt64()
	switch {
	case ea > eb:
		if d := int(ea - eb); d+da <= 18 {
			return cmp.Compare(ca*pow10[d], cb)
		}
	case ea < eb:
		if d := int(eb - ea); d+db <= 18 {
			return cmp.Compare(ca, cb*pow10[d])
		}
	default:
		return cmp.Compare(ca, cb)
	}
	return a.Cmp(b)
}

// levelOf is t.Of(v) without allocating.
func levelOf(t *Thresholds, v decimal.Decimal) Level {
	switch {
	case cmpDecimal(v, t.LowMax) <= 0:
		return LevelLow
	case cmpDecimal(v, t.MediumMax) <= 0:
		return LevelMedium
	}
	return LevelHigh
}
