package riskeval

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// LevelDistribution is the residual level as a distribution over the
// panel's ratings (等级分布): each member's rating of a factor is taken as
// equally likely and the factors as independent (Assumption). Exact
// enumeration counts every combination when there are at most MaxExact
// distinct ones (MaxExactDecimal when they must be summed in decimals, see
// SensitivityOptions); otherwise Samples combinations are drawn by a seeded
// SplitMix64 generator (Seed), and each share lies within ErrorBound of
// the exact share with probability at least 95 % (Hoeffding's inequality,
// ε = √(ln(2/0.05) / (2·Samples))). Shares are rounded half-up to 4 places
// and adjusted by largest remainder to sum to 1. The regime's decision is
// unchanged: it follows the aggregate.
type LevelDistribution struct {
	Method DistributionMethod `json:"method"`
	// Combinations is the number of equally likely combinations of the
	// members' ratings (the product of each rated factor's ratings).
	Combinations decimal.Decimal `json:"combinations"`
	Samples      int             `json:"samples,omitempty"`
	Seed         uint64          `json:"seed,omitempty"`
	ErrorBound   decimal.Decimal `json:"error_bound,omitzero"`
	Levels       []LevelShare    `json:"levels"`
	Outcomes     []OutcomeShare  `json:"outcomes"`
	Assumption   string          `json:"assumption"`
}

// DistributionMethod says how a LevelDistribution was computed.
type DistributionMethod uint8

// The methods.
const (
	DistributionNone DistributionMethod = iota
	// DistributionExact enumerates every combination.
	DistributionExact
	// DistributionMonteCarlo samples combinations with a seeded generator.
	DistributionMonteCarlo
)

var distributionMethods = ssra.NewEnum[DistributionMethod]("distribution method",
	ssra.M("exact", "完全枚举", "exact"),
	ssra.M("monte_carlo", "蒙特卡洛抽样", "Monte Carlo"),
)

// String returns the distribution method's snake_case name.
func (m DistributionMethod) String() string { return distributionMethods.String(m) }

// Valid reports whether m is a distribution method.
func (m DistributionMethod) Valid() bool { return distributionMethods.Valid(m) }

// Label returns the distribution method's name for people in lang.
func (m DistributionMethod) Label(lang ssra.Lang) string { return distributionMethods.Label(m, lang) }

// MarshalText encodes the distribution method as its name and refuses an unset one.
func (m DistributionMethod) MarshalText() ([]byte, error) { return distributionMethods.MarshalText(m) }

// UnmarshalText decodes a distribution method name and rejects unknown text.
func (m *DistributionMethod) UnmarshalText(b []byte) error {
	return distributionMethods.UnmarshalText(m, b)
}

// LevelShare is the share of combinations at one residual level; Count is
// the number of combinations (exact) or samples (Monte Carlo).
type LevelShare struct {
	Level Level           `json:"level"`
	Count decimal.Decimal `json:"count"`
	Share decimal.Decimal `json:"share"`
}

// OutcomeShare is the share of combinations with one regime outcome.
type OutcomeShare struct {
	Outcome Outcome         `json:"outcome"`
	Share   decimal.Decimal `json:"share"`
}

// SensitivityOptions set the level distribution's method: at most MaxExact
// distinct combinations are enumerated (default 1,000,000), else Samples
// (default 10,000) are drawn from Seed (default 1). When the factors'
// contributions wᵢ·rᵢ carry so many decimal places that their sums do not
// fit in 64-bit integers at their scale (about 17 places), each combination
// is summed in decimals, and at most MaxExactDecimal (10,000) combinations
// are enumerated, whatever MaxExact says: beyond that the distribution is
// sampled, so that the time stays bounded.
type SensitivityOptions struct {
	MaxExact int
	Samples  int
	Seed     uint64
}

func (o SensitivityOptions) withDefaults() SensitivityOptions {
	if o.MaxExact <= 0 {
		o.MaxExact = 1_000_000
	}
	if o.Samples <= 0 {
		o.Samples = 10_000
	}
	if o.Seed == 0 {
		o.Seed = 1
	}
	return o
}

// MaxExactDecimal is the most combinations the level distribution
// enumerates when it must sum them in decimals (see SensitivityOptions).
const MaxExactDecimal = 10_000

const distributionAssumption = "each member's rating of a factor is equally likely, and factors are independent"

// option is one distinct rating of a factor: its contribution wᵢ·rᵢ to the
// index, its factor level, and how many members gave it.
type option struct {
	contrib decimal.Decimal
	level   Level
	count   int64
}

// distribution computes the residual level distribution of res over the
// residual ratings (rated[i] nil for a factor without ratings).
func (m *levelModel) distribution(res Result, rated [][]Rating, opt SensitivityOptions) *LevelDistribution {
	opt = opt.withDefaults()
	n := len(res.Factors)
	opts := make([][]option, n)
	hasRatings := false
	distinct, total := big.NewInt(1), big.NewInt(1)
	for i, f := range res.Factors {
		e := f.Residual
		if rated[i] == nil {
			opts[i] = []option{{contrib: f.Weight.Mul(e.Score), level: e.Level, count: 1}}
			continue
		}
		hasRatings = true
		idx := map[[2]int]int{}
		for _, r := range rated[i] {
			k := [2]int{r.Probability, r.Impact}
			if j, ok := idx[k]; ok {
				opts[i][j].count++
				continue
			}
			idx[k] = len(opts[i])
			opts[i] = append(opts[i], option{contrib: f.Weight.Mul(m.score(r.Probability, r.Impact)), level: m.cell(r.Probability, r.Impact), count: 1})
		}
		distinct.Mul(distinct, big.NewInt(int64(len(opts[i]))))
		total.Mul(total, big.NewInt(int64(len(rated[i]))))
	}
	if !hasRatings {
		return nil
	}
	d := &LevelDistribution{Combinations: decimal.NewFromBigInt(total, 0), Assumption: distributionAssumption}
	fx := newFixedSums(m, opts)
	var counts [4]*big.Int
	limit := int64(opt.MaxExact)
	if !fx.exact {
		limit = min(limit, MaxExactDecimal)
	}
	if distinct.IsInt64() && distinct.Int64() <= limit {
		d.Method = DistributionExact
		counts = fx.count()
	} else {
		for l := range counts {
			counts[l] = new(big.Int)
		}
		d.Method, d.Samples, d.Seed = DistributionMonteCarlo, opt.Samples, opt.Seed
		rng := splitMix64(opt.Seed)
		members := make([][]int, n) // members[i][k] is the option of the k-th rating
		for i := range opts {
			for j, o := range opts[i] {
				for range o.count {
					members[i] = append(members[i], j)
				}
			}
		}
		pick := make([]int, n)
		var hits [4]int64
		for range opt.Samples {
			for i := range pick {
				pick[i] = members[i][rng.below(uint64(len(members[i])))]
			}
			hits[fx.levelOf(pick)]++
		}
		for l, h := range hits {
			counts[l].SetInt64(h)
		}
		eps := math.Sqrt(math.Log(2/0.05) / (2 * float64(opt.Samples)))
		d.ErrorBound = decimal.NewFromFloat(eps).RoundUp(4)
	}
	sum := new(big.Int)
	for _, c := range counts {
		sum.Add(sum, c)
	}
	raw := make([]decimal.Decimal, 0, 3)
	for l := LevelLow; l <= LevelHigh; l++ {
		raw = append(raw, decimal.NewFromBigInt(counts[l], 0).DivRound(decimal.NewFromBigInt(sum, 0), 12))
	}
	shares, _, err := ssra.RoundToSum(raw, 4, decimal.NewFromInt(1))
	if err != nil {
		shares = raw
	}
	byOutcome := map[Outcome]decimal.Decimal{}
	for k, l := 0, LevelLow; l <= LevelHigh; k, l = k+1, l+1 {
		d.Levels = append(d.Levels, LevelShare{Level: l, Count: decimal.NewFromBigInt(counts[l], 0), Share: shares[k]})
		o := m.outcome(l)
		byOutcome[o] = byOutcome[o].Add(shares[k])
	}
	for _, o := range outcomes.Members() {
		if s, ok := byOutcome[o]; ok {
			d.Outcomes = append(d.Outcomes, OutcomeShare{Outcome: o, Share: s})
		}
	}
	return d
}

// fixedSums evaluates combinations in integers: every contribution and
// threshold scaled by 10^scale (the most decimal places among them), so
// that the index of a combination is an exact integer sum. When the values
// do not fit in int64 it falls back to decimals.
type fixedSums struct {
	m     *levelModel
	opts  [][]option
	ints  [][]int64
	scale int32
	// above[k] is threshold k plus half a unit of the 6th place, scaled:
	// the index rounds above threshold k when its sum is ≥ above[k].
	above [2]int64
	exact bool
}

func newFixedSums(m *levelModel, opts [][]option) *fixedSums {
	fx := &fixedSums{m: m, opts: opts}
	t := m.p.IndexThresholds
	bounds := []decimal.Decimal{t.LowMax.Add(m.half), t.MediumMax.Add(m.half)}
	scale := int32(0)
	for _, b := range bounds {
		scale = max(scale, -b.Exponent())
	}
	for _, os := range opts {
		for _, o := range os {
			scale = max(scale, -o.contrib.Exponent())
		}
	}
	fx.scale = scale
	// Each |value| < 2^62 / (n+1) keeps any sum of one option per factor in int64.
	limit := decimal.NewFromInt(int64(math.MaxInt64>>1) / int64(len(opts)+1))
	fits := func(v decimal.Decimal) (int64, bool) {
		s := v.Shift(scale)
		if !s.IsInteger() || s.Abs().Cmp(limit) >= 0 {
			return 0, false
		}
		return s.IntPart(), true
	}
	fx.exact = true
	for k, b := range bounds {
		v, ok := fits(b)
		fx.above[k], fx.exact = v, fx.exact && ok
	}
	fx.ints = make([][]int64, len(opts))
	for i, os := range opts {
		for _, o := range os {
			v, ok := fits(o.contrib)
			fx.exact = fx.exact && ok
			fx.ints[i] = append(fx.ints[i], v)
		}
	}
	return fx
}

// levelFromSum is the level of an index given as a scaled integer sum and
// the factors' level counts.
func (fx *fixedSums) levelFromSum(sum int64, counts LevelCounts) Level {
	l := LevelLow
	switch {
	case sum >= fx.above[1]:
		l = LevelHigh
	case sum >= fx.above[0]:
		l = LevelMedium
	}
	for _, r := range fx.m.p.FloorRules {
		if counts.AtLeast(r.FactorLevel) >= r.MinCount && r.Floor > l {
			l = r.Floor
		}
	}
	return l
}

// levelOf is the level of one combination, pick[i] the option of factor i.
func (fx *fixedSums) levelOf(pick []int) Level {
	var counts LevelCounts
	if fx.exact {
		var sum int64
		for i, j := range pick {
			sum += fx.ints[i][j]
			counts.add(fx.opts[i][j].level)
		}
		return fx.levelFromSum(sum, counts)
	}
	exact := decimal.Zero
	for i, j := range pick {
		exact = exact.Add(fx.opts[i][j].contrib)
		counts.add(fx.opts[i][j].level)
	}
	_, l := fx.m.level(exact, counts)
	return l
}

// count returns, for each level, the number of equally likely
// combinations of the members' ratings at that level: the sum over the
// distinct combinations of their weights. countFast and countPlain give
// the same counts (a property test holds them equal); countFast is used
// where it applies.
func (fx *fixedSums) count() [4]*big.Int {
	if c, ok := fx.countFast(); ok {
		return c
	}
	return fx.countPlain()
}

// countPlain counts by enumerate, with big-integer weights.
func (fx *fixedSums) countPlain() [4]*big.Int {
	var counts [4]*big.Int
	for l := range counts {
		counts[l] = new(big.Int)
	}
	fx.enumerate(func(l Level, w *big.Int) { counts[l].Add(counts[l], w) })
	return counts
}

// wheelOpt is one distinct rating of a factor (or one combination of
// merged factors) in countFast: its scaled contribution to the index, how
// it moves the counts of medium-or-higher and of high factors, and its
// member count (the product of them, merged).
type wheelOpt struct {
	v     int64
	a, b  int
	count uint64
}

// countFast counts in machine words. The factors with one distinct rating
// are folded into a constant sum, level counts and weight; the others are
// the wheels of an odometer, its fastest wheels merged into one list of
// their combinations that an inner loop runs through. A combination's
// level is the larger of its index level (two integer comparisons) and the
// floor of its level counts, looked up in a table over the counts of
// medium-or-higher and of high factors. Its weight is the product of the
// member counts, kept in uint64, and the counts per level are summed in
// 128 bits. It applies (ok) when the sums are exact integers, every factor
// level is low, medium or high, there are at most 1,024 factors (the
// table's side), and the product of each varying factor's largest member
// count fits in 63 bits, so that no weight overflows.
func (fx *fixedSums) countFast() (counts [4]*big.Int, ok bool) {
	n := len(fx.opts)
	if !fx.exact || n > 1024 {
		return counts, false
	}
	baseW := big.NewInt(1)
	var sum int64
	var mh, h int // factors at medium or higher, at high
	var vary []int
	maxW := uint64(1)
	// tier is how a factor level moves the counts: +1 to mh for medium, +1
	// to both for high.
	tier := func(l Level) (int, int) {
		switch l {
		case LevelMedium:
			return 1, 0
		case LevelHigh:
			return 1, 1
		}
		return 0, 0
	}
	for i, os := range fx.opts {
		for _, o := range os {
			if o.level < LevelLow || o.level > LevelHigh {
				return counts, false
			}
		}
		if len(os) == 1 {
			sum += fx.ints[i][0]
			a, b := tier(os[0].level)
			mh, h = mh+a, h+b
			baseW.Mul(baseW, big.NewInt(os[0].count))
			continue
		}
		vary = append(vary, i)
		var most int64
		for _, o := range os {
			most = max(most, o.count)
		}
		hi, lo := bits.Mul64(maxW, uint64(most))
		if hi != 0 || lo > math.MaxInt64 {
			return counts, false
		}
		maxW = lo
	}
	// floor[mh·(n+1) + h] is the highest floor the rules set for those counts.
	floor := make([]Level, (n+1)*(n+1))
	for a := 0; a <= n; a++ {
		for b := 0; b <= a; b++ {
			c := LevelCounts{Low: n - a, Medium: a - b, High: b}
			f := LevelNone
			for _, r := range fx.m.p.FloorRules {
				if c.AtLeast(r.FactorLevel) >= r.MinCount && r.Floor > f {
					f = r.Floor
				}
			}
			floor[a*(n+1)+b] = f
		}
	}
	above0, above1 := fx.above[0], fx.above[1]
	var acc [4]struct{ hi, lo uint64 }
	add := func(sum int64, mh, h int, w uint64) {
		l := LevelLow
		switch {
		case sum >= above1:
			l = LevelHigh
		case sum >= above0:
			l = LevelMedium
		}
		l = max(l, floor[mh*(n+1)+h])
		var carry uint64
		acc[l].lo, carry = bits.Add64(acc[l].lo, w, 0)
		acc[l].hi += carry
	}
	// Each varying factor is a wheel of its distinct ratings. The fastest
	// wheels are merged into one inner list of their combinations (at most
	// 4,096), so that the odometer turns once per list.
	wheels := make([][]wheelOpt, len(vary))
	for k, i := range vary {
		for j, o := range fx.opts[i] {
			a, b := tier(o.level)
			wheels[k] = append(wheels[k], wheelOpt{fx.ints[i][j], a, b, uint64(o.count)})
		}
	}
	inner := []wheelOpt{{count: 1}}
	for len(wheels) > 0 && len(inner)*len(wheels[0]) <= 4096 {
		var merged []wheelOpt
		for _, y := range wheels[0] {
			for _, x := range inner {
				merged = append(merged, wheelOpt{x.v + y.v, x.a + y.a, x.b + y.b, x.count * y.count})
			}
		}
		inner, wheels = merged, wheels[1:]
	}
	nw := len(wheels)
	pick := make([]int, nw)
	// suffix[k] is the product of the member counts of wheels k..nw−1.
	suffix := make([]uint64, nw+1)
	suffix[nw] = 1
	for k := nw - 1; k >= 0; k-- {
		o := wheels[k][0]
		sum, mh, h = sum+o.v, mh+o.a, h+o.b
		suffix[k] = o.count * suffix[k+1]
	}
	for {
		w := suffix[0]
		for _, o := range inner {
			add(sum+o.v, mh+o.a, h+o.b, w*o.count)
		}
		k := 0
		for ; k < nw; k++ {
			o := wheels[k][pick[k]]
			sum, mh, h = sum-o.v, mh-o.a, h-o.b
			j := pick[k] + 1
			if j == len(wheels[k]) {
				j = 0
			}
			pick[k] = j
			o = wheels[k][j]
			sum, mh, h = sum+o.v, mh+o.a, h+o.b
			if j != 0 {
				break
			}
		}
		if k == nw {
			break
		}
		for ; k >= 0; k-- {
			suffix[k] = wheels[k][pick[k]].count * suffix[k+1]
		}
	}
	for l := range counts {
		c := new(big.Int).SetUint64(acc[l].hi)
		c.Lsh(c, 64).Or(c, new(big.Int).SetUint64(acc[l].lo))
		counts[l] = c.Mul(c, baseW)
	}
	return counts, true
}

// enumerate calls visit with the level of every combination of options and
// its weight (the product of the options' member counts), updating the sum
// incrementally as an odometer turns.
func (fx *fixedSums) enumerate(visit func(Level, *big.Int)) {
	n := len(fx.opts)
	pick := make([]int, n)
	if !fx.exact {
		for {
			visit(fx.levelOf(pick), fx.weight(pick))
			if !fx.advance(pick) {
				return
			}
		}
	}
	var sum int64
	var counts LevelCounts
	for i := range pick {
		sum += fx.ints[i][0]
		counts.add(fx.opts[i][0].level)
	}
	w := new(big.Int)
	for {
		// The weight is the product of counts; most options count 1.
		w.SetInt64(1)
		for i, j := range pick {
			if c := fx.opts[i][j].count; c != 1 {
				w.Mul(w, big.NewInt(c))
			}
		}
		visit(fx.levelFromSum(sum, counts), w)
		i := 0
		for ; i < n; i++ {
			j := pick[i]
			sum -= fx.ints[i][j]
			counts.remove(fx.opts[i][j].level)
			j++
			if j == len(fx.opts[i]) {
				j = 0
			}
			pick[i] = j
			sum += fx.ints[i][j]
			counts.add(fx.opts[i][j].level)
			if j != 0 {
				break
			}
		}
		if i == n {
			return
		}
	}
}

func (fx *fixedSums) weight(pick []int) *big.Int {
	w := big.NewInt(1)
	for i, j := range pick {
		w.Mul(w, big.NewInt(fx.opts[i][j].count))
	}
	return w
}

// advance turns the odometer; false after the last combination.
func (fx *fixedSums) advance(pick []int) bool {
	for i := range pick {
		pick[i]++
		if pick[i] < len(fx.opts[i]) {
			return true
		}
		pick[i] = 0
	}
	return false
}

// splitMix is the SplitMix64 generator (Steele, Lea and Flood, 2014): a
// 64-bit state advanced by a constant, each output a mix of it. It is the
// seeded source of the Monte Carlo samples, local to one call.
type splitMix struct{ s uint64 }

func splitMix64(seed uint64) *splitMix { return &splitMix{s: seed} }

func (r *splitMix) next() uint64 {
	r.s += 0x9e3779b97f4a7c15
	z := r.s
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// below returns a uniform integer in [0, n), rejecting the values that
// would bias the remainder.
func (r *splitMix) below(n uint64) uint64 {
	limit := -n % n // 2^64 mod n
	for {
		if v := r.next(); v >= limit {
			return v % n
		}
	}
}
