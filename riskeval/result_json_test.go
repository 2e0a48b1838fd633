package riskeval

import (
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

func TestAppendDecimalMatchesString(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	cases := []decimal.Decimal{decimal.Zero, decimal.New(0, -3), decimal.New(5, 3), decimal.New(-12, -1), decimal.New(1, -18),
		decimal.New(999999999999999999, -18), decimal.New(-999999999999999999, 0), decimal.RequireFromString("123456789012345678901234.5")}
	for i := 0; i < 20000; i++ {
		cases = append(cases, decimal.New(rng.Int64N(1<<62)-1<<61, int32(rng.IntN(41)-20)))
	}
	for _, d := range cases {
		if got, want := string(appendDecimal(nil, d)), d.String(); got != want {
			t.Fatalf("coefficient %s exponent %d: %s, want %s", d.Coefficient(), d.Exponent(), got, want)
		}
	}
}
