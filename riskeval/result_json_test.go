package riskeval

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
)

// decimalCases are decimals of every shape the formatters distinguish:
// zero at any exponent, at most 18 digits or more, negative, exponents
// within and beyond ±18.
func decimalCases() []decimal.Decimal {
	rng := rand.New(rand.NewPCG(7, 8))
	cases := []decimal.Decimal{decimal.Zero, decimal.New(0, -3), decimal.New(0, 4), decimal.New(5, 3), decimal.New(-12, -1),
		decimal.New(1, -18), decimal.New(999999999999999999, -18), decimal.New(-999999999999999999, 0),
		decimal.New(1000000, -6), decimal.New(-5, -7), decimal.New(12345678901234, -6), decimal.New(1, 12),
		decimal.RequireFromString("123456789012345678901234.5")}
	for i := 0; i < 20000; i++ {
		cases = append(cases, decimal.New(rng.Int64N(1<<62)-1<<61, int32(rng.IntN(41)-20)),
			decimal.New(rng.Int64N(2e6)-1e6, int32(rng.IntN(15)-9)))
	}
	for i := 0; i < 200; i++ {
		c := new(big.Int).Lsh(big.NewInt(rng.Int64N(1000)+1), uint(rng.IntN(60)+60))
		cases = append(cases, decimal.NewFromBigInt(c, int32(rng.IntN(41)-20)))
	}
	return cases
}

func TestAppendDecimalMatchesString(t *testing.T) {
	for _, d := range decimalCases() {
		if got, want := string(appendDecimal(nil, d)), d.String(); got != want {
			t.Fatalf("coefficient %s exponent %d: %s, want %s", d.Coefficient(), d.Exponent(), got, want)
		}
		if got, want := string(appendFixed6(nil, d)), d.StringFixed(6); got != want {
			t.Fatalf("fixed, coefficient %s exponent %d: %s, want %s", d.Coefficient(), d.Exponent(), got, want)
		}
	}
}

func TestCmpDecimalMatchesCmp(t *testing.T) {
	cases := decimalCases()
	rng := rand.New(rand.NewPCG(9, 10))
	for i := 0; i < 50000; i++ {
		a, b := cases[rng.IntN(len(cases))], cases[rng.IntN(len(cases))]
		if i%3 == 0 {
			// The same value at another exponent.
			b = decimal.NewFromBigInt(new(big.Int).Mul(a.Coefficient(), big.NewInt(1000)), a.Exponent()-3)
		}
		if got, want := cmpDecimal(a, b), a.Cmp(b); got != want {
			t.Fatalf("cmp(%s, %s) = %d, want %d", a, b, got, want)
		}
	}
}

func TestAppendIntMatchesStrconv(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	cases := []int64{0, 1, 9, 10, 99, 100, 101, -1, -10, math.MaxInt64, math.MinInt64, math.MinInt64 + 1}
	for i := 0; i < 20000; i++ {
		cases = append(cases, rng.Int64()>>rng.IntN(64), -rng.Int64()>>rng.IntN(64))
	}
	for _, v := range cases {
		if got, want := string(appendInt([]byte("x"), v)), "x"+strconv.FormatInt(v, 10); got != want {
			t.Fatalf("%d: %s, want %s", v, got, want)
		}
	}
}
