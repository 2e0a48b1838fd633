package report

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

func TestMoneyText(t *testing.T) {
	for _, c := range []struct {
		yuan, zh, en string
	}{
		{"1850000000", "18.5 亿元（1,850,000,000 元）", "CNY 1.85 billion (1,850,000,000)"},
		{"35000000", "3,500 万元（35,000,000 元）", "CNY 35 million (35,000,000)"},
		{"9999", "9,999 元", "CNY 9,999"},
		{"12345.67", "1.234567 万元（12,345.67 元）", "CNY 12,345.67"},
		{"100000000", "1 亿元（100,000,000 元）", "CNY 100 million (100,000,000)"},
	} {
		d := decimal.RequireFromString(c.yuan)
		if got := moneyText(ssra.LangZH, d); got != c.zh {
			t.Errorf("zh %s: %q, want %q", c.yuan, got, c.zh)
		}
		if got := moneyText(ssra.LangEN, d); got != c.en {
			t.Errorf("en %s: %q, want %q", c.yuan, got, c.en)
		}
	}
}

// TestMoneyTextKeepsEveryDigit holds, over random amounts, that the exact
// figure in brackets is the amount and the large unit is the amount with
// its decimal point moved: nothing is rounded away.
func TestMoneyTextKeepsEveryDigit(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for range 2000 {
		d := decimal.New(rng.Int64N(1_000_000_000_000), -int32(rng.IntN(3)))
		zh := moneyText(ssra.LangZH, d)
		exact := zh
		if i := strings.Index(zh, "（"); i >= 0 {
			exact = strings.TrimSuffix(zh[i+len("（"):], "）")
			big, unit, _ := strings.Cut(zh[:i], " ")
			shift := map[string]int32{"亿元": 8, "万元": 4}[unit]
			b, err := decimal.NewFromString(strings.ReplaceAll(big, ",", ""))
			if err != nil || shift == 0 || !b.Shift(shift).Equal(d) {
				t.Fatalf("%s: large unit %q %q does not give the amount (%v)", d, big, unit, err)
			}
		}
		e, err := decimal.NewFromString(strings.ReplaceAll(strings.TrimSuffix(exact, " 元"), ",", ""))
		if err != nil || !e.Equal(d) {
			t.Fatalf("%s: exact figure %q is not the amount (%v)", d, exact, err)
		}
	}
}

func TestTimeText(t *testing.T) {
	utc := time.Date(2026, 11, 27, 1, 30, 0, 0, time.UTC)
	if got, want := timeText(ssra.LangZH, utc, nil), "2026-11-27 09:30:00（北京时间）"; got != want {
		t.Errorf("zh default zone: %q, want %q", got, want)
	}
	if got, want := timeText(ssra.LangEN, utc, nil), "2026-11-27 09:30:00 (China Standard Time)"; got != want {
		t.Errorf("en default zone: %q, want %q", got, want)
	}
	if got, want := timeText(ssra.LangEN, utc, time.UTC), "2026-11-27 01:30:00 (UTC+00:00)"; got != want {
		t.Errorf("configured zone: %q, want %q", got, want)
	}
}
