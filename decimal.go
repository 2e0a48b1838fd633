package ssra

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"

	"github.com/shopspring/decimal"
)

// Limits on decimals accepted from outside. They keep every later operation
// cheap: a decimal with ten thousand digits or an exponent of 1e9 is refused
// before any arithmetic touches it.
const (
	// MaxDecimalDigits is the most significant digits an input decimal may have.
	MaxDecimalDigits = 34
	// MaxDecimalScale is the most digits after the decimal point an input may have.
	MaxDecimalScale = 18
	// MaxDecimalIntDigits is the most digits before the decimal point an input may have.
	MaxDecimalIntDigits = 18
)

// ParseDecimal parses a plain decimal string such as "0.35", "-2" or "1e-3".
// It rejects empty text, NaN and infinities, thousands separators, and values
// beyond the limits MaxDecimalDigits, MaxDecimalScale and MaxDecimalIntDigits.
func ParseDecimal(s string) (decimal.Decimal, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return decimal.Zero, fmt.Errorf("empty number")
	}
	if len(t) > 64 {
		return decimal.Zero, fmt.Errorf("number %.20q… is too long", t)
	}
	for _, r := range t {
		if !(r >= '0' && r <= '9' || r == '.' || r == '-' || r == '+' || r == 'e' || r == 'E') {
			return decimal.Zero, fmt.Errorf("%q is not a decimal number", t)
		}
	}
	d, err := decimal.NewFromString(t)
	if err != nil {
		return decimal.Zero, fmt.Errorf("%q is not a decimal number", t)
	}
	if err := CheckDecimal(d); err != nil {
		return decimal.Zero, err
	}
	return d, nil
}

// CheckDecimal reports whether d lies within the input limits: at most
// MaxDecimalScale places after the point and MaxDecimalIntDigits before it.
// Validation calls it on every decimal that came from outside before any
// arithmetic, since decimal's own JSON decoding accepts exponents up to 10⁴.
func CheckDecimal(d decimal.Decimal) error {
	if d.IsZero() {
		return nil
	}
	// Cheap guards first, so that huge exponents or coefficients never reach
	// the string conversion below.
	if exp := d.Exponent(); exp > MaxDecimalIntDigits || exp < -(MaxDecimalScale+MaxDecimalDigits) {
		return fmt.Errorf("number out of range (at most %d digits before and %d after the decimal point)", MaxDecimalIntDigits, MaxDecimalScale)
	}
	if d.NumDigits() > MaxDecimalDigits+MaxDecimalScale {
		return fmt.Errorf("number has more than %d significant digits", MaxDecimalDigits)
	}
	s := strings.TrimPrefix(d.String(), "-")
	intPart, frac, _ := strings.Cut(s, ".")
	intPart = strings.TrimLeft(intPart, "0")
	frac = strings.TrimRight(frac, "0")
	switch {
	case len(frac) > MaxDecimalScale:
		return fmt.Errorf("number has more than %d digits after the decimal point", MaxDecimalScale)
	case len(intPart) > MaxDecimalIntDigits:
		return fmt.Errorf("number has more than %d digits before the decimal point", MaxDecimalIntDigits)
	}
	return nil
}

// Fraction is an exact rational number p/q written as "p/q" or as a plain
// decimal, used for Saaty judgments such as "1/3" that no finite decimal
// represents. The denominator is positive.
type Fraction struct {
	Num decimal.Decimal
	Den decimal.Decimal
}

// NewFraction returns num/den. It fails when den is zero.
func NewFraction(num, den decimal.Decimal) (Fraction, error) {
	if den.IsZero() {
		return Fraction{}, fmt.Errorf("zero denominator")
	}
	if den.Sign() < 0 {
		num, den = num.Neg(), den.Neg()
	}
	return Fraction{Num: num, Den: den}, nil
}

// FractionOf returns the fraction d/1.
func FractionOf(d decimal.Decimal) Fraction { return Fraction{Num: d, Den: decimal.NewFromInt(1)} }

// ParseFraction parses "p/q" (each a decimal) or a plain decimal.
func ParseFraction(s string) (Fraction, error) {
	t := strings.TrimSpace(s)
	if i := strings.IndexByte(t, '/'); i >= 0 {
		num, err := ParseDecimal(t[:i])
		if err != nil {
			return Fraction{}, fmt.Errorf("numerator: %w", err)
		}
		den, err := ParseDecimal(t[i+1:])
		if err != nil {
			return Fraction{}, fmt.Errorf("denominator: %w", err)
		}
		return NewFraction(num, den)
	}
	d, err := ParseDecimal(t)
	if err != nil {
		return Fraction{}, err
	}
	return FractionOf(d), nil
}

// IsZero reports whether the fraction is the zero value (no denominator) or zero.
func (f Fraction) IsZero() bool { return f.Num.IsZero() }

// Valid reports whether the fraction has a non-zero denominator.
func (f Fraction) Valid() bool { return !f.Den.IsZero() }

// Sign returns -1, 0 or +1.
func (f Fraction) Sign() int { return f.Num.Sign() * f.Den.Sign() }

// Rat returns the exact value as a big.Rat; the zero Fraction gives 0.
func (f Fraction) Rat() *big.Rat {
	if f.Den.IsZero() {
		return new(big.Rat)
	}
	return new(big.Rat).Quo(f.Num.Rat(), f.Den.Rat())
}

// Decimal returns the value rounded half-up to places decimal places.
func (f Fraction) Decimal(places int32) decimal.Decimal {
	if f.Den.IsZero() {
		return decimal.Zero
	}
	return f.Num.DivRound(f.Den, places)
}

// Float64 returns the nearest float64, for numerical methods whose outputs
// are rounded by the precision policy.
func (f Fraction) Float64() float64 {
	v, _ := f.Rat().Float64()
	return v
}

// String returns "p/q", or "p" when q is 1.
func (f Fraction) String() string {
	if f.Den.IsZero() {
		return "0"
	}
	if f.Den.Equal(decimal.NewFromInt(1)) {
		return f.Num.String()
	}
	return f.Num.String() + "/" + f.Den.String()
}

// MarshalJSON encodes the fraction as a JSON string.
func (f Fraction) MarshalJSON() ([]byte, error) { return json.Marshal(f.String()) }

// UnmarshalJSON accepts a JSON number or a string holding a decimal or "p/q".
func (f *Fraction) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
	} else {
		s = string(b)
	}
	v, err := ParseFraction(s)
	if err != nil {
		return err
	}
	*f = v
	return nil
}
