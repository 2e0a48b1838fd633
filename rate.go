package ssra

import (
	"fmt"
	"math"
	"math/big"

	"github.com/shopspring/decimal"
)

// Z95 is the standard normal quantile for a two-sided 95 % interval,
// 1.959963984540054, as a decimal.
var z95 = decimal.RequireFromString("1.959963984540054")

// Z95 returns the standard normal quantile for a two-sided 95 % interval.
func Z95() decimal.Decimal { return z95 }

// Rate is a share of successes among valid answers (for example satisfied +
// basically satisfied among valid survey answers), with its Wilson score
// interval. Value, Lower and Upper are rounded half-up to RateScale places
// (domain.md §1.10) for display; a target is judged on the exact bounds
// (Judge, CompareLower, CompareUpper), never on the rounded ones. The share is rounded in exact integer arithmetic; the
// Wilson bounds are computed in float64 and, where a bound lies within 10⁻⁹
// of a rounding boundary, again in 256-bit binary floating point, so that
// the rounding is always the one exact arithmetic would give.
type Rate struct {
	Successes int64           `json:"successes"`
	Total     int64           `json:"total"`
	Value     decimal.Decimal `json:"value"`
	Lower     decimal.Decimal `json:"lower"`
	Upper     decimal.Decimal `json:"upper"`
	// Z is the normal quantile of the interval (1.96 for 95 %).
	Z decimal.Decimal `json:"z"`
}

// NewRate returns successes/total with its 95 % Wilson interval.
func NewRate(successes, total int64) (Rate, error) { return newRate(successes, total, z95, z95f) }

// NewRateZ returns successes/total with the Wilson interval for quantile z.
// It fails when total is not positive, successes is outside [0, total] or z
// is not positive.
func NewRateZ(successes, total int64, z decimal.Decimal) (Rate, error) {
	return newRate(successes, total, z, z.InexactFloat64())
}

const z95f = 1.959963984540054

// maxRateTotal bounds totals so that the integer arithmetic below is exact.
const maxRateTotal = 1 << 40

func newRate(successes, total int64, z decimal.Decimal, zf float64) (Rate, error) {
	switch {
	case total <= 0:
		return Rate{}, fmt.Errorf("rate: total %d must be positive", total)
	case total > maxRateTotal:
		return Rate{}, fmt.Errorf("rate: total %d is too large", total)
	case successes < 0 || successes > total:
		return Rate{}, fmt.Errorf("rate: successes %d outside [0, %d]", successes, total)
	case z.Sign() <= 0:
		return Rate{}, fmt.Errorf("rate: z %s must be positive", z)
	}
	// The share k/n rounded half-up to 4 places, in exact integers.
	value := (successes*20000 + total) / (2 * total)
	lo, hi, ok := wilsonFloat(successes, total, zf)
	if !ok {
		lo, hi = wilsonBig(successes, total, z)
	}
	return Rate{
		Successes: successes,
		Total:     total,
		Value:     decimal.New(value, -RateScale),
		Lower:     decimal.New(lo, -RateScale),
		Upper:     decimal.New(hi, -RateScale),
		Z:         z,
	}, nil
}

// wilsonFloat computes the Wilson bounds in float64 and rounds them half-up
// to 4 places (as integers in units of 10⁻⁴). It reports false when a bound
// lies so close to a rounding boundary (within 10⁻⁹ of a unit) that float64
// error could decide the rounding; the caller then uses wilsonBig.
func wilsonFloat(k, n int64, z float64) (lo, hi int64, ok bool) {
	nf, p := float64(n), float64(k)/float64(n)
	z2n := z * z / nf
	denom := 1 + z2n
	center := p + z2n/2
	half := z * math.Sqrt(p*(1-p)/nf+z2n/(4*nf))
	round := func(x float64) (int64, bool) {
		x = min(max(x, 0), 1) * 1e4
		f := math.Floor(x)
		if frac := x - f; math.Abs(frac-0.5) < 1e-5 {
			return 0, false
		}
		return int64(math.Floor(x + 0.5)), true
	}
	lo, ok1 := round((center - half) / denom)
	hi, ok2 := round((center + half) / denom)
	if k == 0 {
		lo, ok1 = 0, true
	}
	if k == n {
		hi, ok2 = 10000, true
	}
	return lo, hi, ok1 && ok2
}

// wilsonBig computes the Wilson bounds in 256-bit binary floating point.
func wilsonBig(successes, total int64, z decimal.Decimal) (lo, hi int64) {
	const prec = 256
	nf := func() *big.Float { return new(big.Float).SetPrec(prec) }
	n := nf().SetInt64(total)
	p := nf().Quo(nf().SetInt64(successes), n)
	zf := nf()
	zf.SetString(z.String())
	z2 := nf().Mul(zf, zf)
	// Wilson: (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n)
	z2n := nf().Quo(z2, n)
	denom := nf().Add(nf().SetInt64(1), z2n)
	center := nf().Add(p, nf().Quo(z2n, nf().SetInt64(2)))
	q := nf().Sub(nf().SetInt64(1), p)
	v := nf().Quo(nf().Mul(p, q), n)
	v.Add(v, nf().Quo(z2n, nf().Mul(nf().SetInt64(4), n)))
	half := nf().Mul(zf, nf().Sqrt(v))
	l := nf().Quo(nf().Sub(center, half), denom)
	h := nf().Quo(nf().Add(center, half), denom)
	return units4(l), units4(h)
}

// units4 rounds f half-up to 4 places, clamped to [0, 1], in units of 10⁻⁴.
func units4(f *big.Float) int64 {
	d := clamp01(bigToDecimal(f, RateScale))
	return d.Shift(RateScale).IntPart()
}

func bigToDecimal(f *big.Float, places int32) decimal.Decimal {
	d, err := decimal.NewFromString(f.Text('f', int(places)+12))
	if err != nil {
		return decimal.Zero
	}
	return d.Round(places)
}

func clamp01(d decimal.Decimal) decimal.Decimal {
	if d.Sign() < 0 {
		return decimal.Zero
	}
	if one := decimal.NewFromInt(1); d.Cmp(one) > 0 {
		return one
	}
	return d
}

// TargetJudgement is the verdict on a rate against a target share. The
// zero value is unset: Judge always gives one of the verdicts.
type TargetJudgement uint8

// The verdicts.
const (
	// TargetUndecided: the target lies inside the interval.
	TargetUndecided TargetJudgement = iota + 1
	// TargetMet: the whole interval is at or above the target.
	TargetMet
	// TargetMissed: the whole interval is below the target.
	TargetMissed
)

var judgements = NewEnum[TargetJudgement]("target_judgement",
	M("undecided", "尚难判定", "undecided"),
	M("met", "达到目标", "met"),
	M("missed", "未达目标", "missed"),
)

// String returns "met", "missed" or "undecided".
func (j TargetJudgement) String() string { return judgements.String(j) }

// Label returns the verdict's name for people in lang.
func (j TargetJudgement) Label(lang Lang) string { return judgements.Label(j, lang) }

// Valid reports whether j is one of the verdicts (not unset).
func (j TargetJudgement) Valid() bool { return judgements.Valid(j) }

// MarshalText encodes the verdict's name; unset is an error.
func (j TargetJudgement) MarshalText() ([]byte, error) { return judgements.MarshalText(j) }

// UnmarshalText decodes a verdict name and rejects unknown text.
func (j *TargetJudgement) UnmarshalText(b []byte) error {
	if err := judgements.UnmarshalText(j, b); err != nil {
		return fmt.Errorf("ssra: unknown target judgement %q", b)
	}
	return nil
}

// Judge compares the rate's interval with a target share (for example 0.95):
// met with confidence when the lower bound reaches it, missed when the upper
// bound stays below it, undecided otherwise. The bounds compared are the
// exact Wilson bounds (CompareLower, CompareUpper), not Lower and Upper,
// which are rounded for display (domain.md §2.3: "≥ 95 %" is judged with its
// uncertainty; §1.10: round once, for output): 426/439 has the lower bound
// 0.94999976…, shown as 0.9500, and does not meet 0.95.
func (r Rate) Judge(target decimal.Decimal) TargetJudgement {
	switch {
	case r.CompareLower(target) >= 0:
		return TargetMet
	case r.CompareUpper(target) < 0:
		return TargetMissed
	}
	return TargetUndecided
}

// CompareLower returns -1, 0 or +1 as the exact (unrounded) Wilson lower
// bound of r is below, equal to or above t. The comparison is exact rational
// arithmetic: with p = k/n, c = p + z²/2n − t(1 + z²/n) and
// v = p(1−p)/n + z²/4n², the lower bound is (c + t(1 + z²/n) − z√v)/(1 + z²/n),
// so its sign against t is that of c − z√v, decided by c's sign and c² against
// z²v without a square root. The zero Rate compares below every t.
func (r Rate) CompareLower(t decimal.Decimal) int {
	c, z2v, ok := r.wilsonTerms(t)
	if !ok {
		return -1
	}
	if c.Sign() <= 0 { // z√v > 0, since v ≥ z²/4n² > 0
		return -1
	}
	return new(big.Rat).Mul(c, c).Cmp(z2v)
}

// CompareUpper returns -1, 0 or +1 as the exact (unrounded) Wilson upper
// bound of r is below, equal to or above t, in exact arithmetic as
// CompareLower: the sign of c + z√v. The zero Rate compares below every t.
func (r Rate) CompareUpper(t decimal.Decimal) int {
	c, z2v, ok := r.wilsonTerms(t)
	if !ok {
		return -1
	}
	if c.Sign() >= 0 {
		return 1
	}
	return z2v.Cmp(new(big.Rat).Mul(c, c))
}

// wilsonTerms returns c = p + z²/2n − t(1 + z²/n) and z²v with
// v = p(1−p)/n + z²/4n², as exact rationals; false for a Rate with no
// total.
func (r Rate) wilsonTerms(t decimal.Decimal) (c, z2v *big.Rat, ok bool) {
	if r.Total <= 0 {
		return nil, nil, false
	}
	n := new(big.Rat).SetInt64(r.Total)
	p := new(big.Rat).SetFrac64(r.Successes, r.Total)
	z := r.Z.Rat()
	z2 := new(big.Rat).Mul(z, z)
	z2n := new(big.Rat).Quo(z2, n)
	denom := new(big.Rat).Add(big.NewRat(1, 1), z2n)
	c = new(big.Rat).Add(p, new(big.Rat).Quo(z2n, big.NewRat(2, 1)))
	c.Sub(c, new(big.Rat).Mul(t.Rat(), denom))
	q := new(big.Rat).Sub(big.NewRat(1, 1), p)
	v := new(big.Rat).Quo(new(big.Rat).Mul(p, q), n)
	v.Add(v, new(big.Rat).Quo(z2n, new(big.Rat).Mul(big.NewRat(4, 1), n)))
	return c, v.Mul(v, z2), true
}
