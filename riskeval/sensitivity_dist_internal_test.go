package riskeval

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"
)

// randomOptions draws n factors' distinct ratings: contributions in steps
// of 0.0001 around the thresholds, levels at random, member counts up to
// maxCount.
func randomOptions(rng *rand.Rand, n, maxOpts int, maxCount int64) [][]option {
	opts := make([][]option, n)
	for i := range opts {
		k := 1 + rng.IntN(maxOpts)
		for range k {
			opts[i] = append(opts[i], option{
				contrib: decimal.New(int64(rng.IntN(2*6400/n+1)), -4),
				level:   Level(1 + rng.IntN(3)),
				count:   1 + rng.Int64N(maxCount),
			})
		}
	}
	return opts
}

// The fast count (machine words, merged wheels, floor table) equals the
// plain enumeration with big-integer weights on random panels under both
// presets' thresholds and floor rules, with and without unanimous factors;
// where the weights could overflow 63 bits it declines and count falls
// back to the plain enumeration.
func TestCountFastEqualsPlain(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 5))
	for _, name := range []string{"practice", "textbook5x5"} {
		p, err := Preset(name)
		if err != nil {
			t.Fatal(err)
		}
		def := p.def()
		m := &levelModel{p: def, regime: def.Regimes[0], half: decimal.New(5, -7)}
		for trial := range 300 {
			n := 1 + rng.IntN(12)
			opts := randomOptions(rng, n, 1+rng.IntN(4), 1+rng.Int64N(12))
			fx := newFixedSums(m, opts)
			fast, ok := fx.countFast()
			if !ok {
				t.Fatalf("%s trial %d: the fast count declined a small panel", name, trial)
			}
			plain := fx.countPlain()
			for l := range fast {
				if fast[l].Cmp(plain[l]) != 0 {
					t.Fatalf("%s trial %d: level %v fast %s, plain %s", name, trial, Level(l), fast[l], plain[l])
				}
			}
		}
		// Member counts near 2^21 on four varying factors overflow 63 bits.
		opts := randomOptions(rng, 4, 1, 1)
		for i := range opts {
			opts[i] = append(opts[i], option{contrib: decimal.New(1, -2), level: LevelHigh, count: 1 << 21})
		}
		fx := newFixedSums(m, opts)
		if _, ok := fx.countFast(); ok {
			t.Fatalf("%s: the fast count accepted weights up to 2^84", name)
		}
		got, want := fx.count(), fx.countPlain()
		total := new(big.Int)
		for l := range got {
			if got[l].Cmp(want[l]) != 0 {
				t.Fatalf("%s: the fallback counts %s at %v, plain %s", name, got[l], Level(l), want[l])
			}
			total.Add(total, got[l])
		}
		if prod := fx.weightTotal(); total.Cmp(prod) != 0 {
			t.Fatalf("%s: counts sum to %s, the members' combinations are %s", name, total, prod)
		}
	}
}

// weightTotal is the number of the members' combinations: the product over
// factors of their member counts.
func (fx *fixedSums) weightTotal() *big.Int {
	w := big.NewInt(1)
	for _, os := range fx.opts {
		var c int64
		for _, o := range os {
			c += o.count
		}
		w.Mul(w, big.NewInt(c))
	}
	return w
}
