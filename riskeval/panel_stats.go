package riskeval

import (
	"math"
	"math/big"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// Aggregation is the rule that turns a panel's ratings of one scale (the
// members' probability points, or their impact points) into the one point
// the evaluation uses (专家意见集成方法). The zero value is unset.
type Aggregation uint8

// The aggregation rules (domain.md §1.8a).
const (
	AggregationNone Aggregation = iota
	// AggregationMedian is the median point; with an even number of ratings
	// and two different middle points, the higher (the conservative one).
	AggregationMedian
	// AggregationMean is the arithmetic mean rounded half-up to a point.
	AggregationMean
	// AggregationTrimmedMean drops one highest and one lowest rating when
	// there are at least five, then takes the mean rounded half-up.
	AggregationTrimmedMean
	// AggregationWeightedMean is Σ wₖ·xₖ over the members' weights (which sum
	// to 1), rounded half-up to a point.
	AggregationWeightedMean
)

var aggregations = ssra.NewEnum[Aggregation]("aggregation",
	ssra.M("median", "中位数", "median"),
	ssra.M("mean", "算术平均", "mean"),
	ssra.M("trimmed_mean", "截尾平均", "trimmed mean"),
	ssra.M("weighted_mean", "加权平均", "weighted mean"),
)

// String returns the aggregation's snake_case name.
func (a Aggregation) String() string { return aggregations.String(a) }

// Valid reports whether a is an aggregation.
func (a Aggregation) Valid() bool { return aggregations.Valid(a) }

// Label returns the aggregation's name for people in lang.
func (a Aggregation) Label(lang ssra.Lang) string { return aggregations.Label(a, lang) }

// MarshalText encodes the aggregation as its name and refuses an unset one.
func (a Aggregation) MarshalText() ([]byte, error) { return aggregations.MarshalText(a) }

// AppendText appends the aggregation's name to b.
func (a Aggregation) AppendText(b []byte) ([]byte, error) { return aggregations.AppendText(b, a) }

// UnmarshalText decodes an aggregation name and rejects unknown text.
func (a *Aggregation) UnmarshalText(b []byte) error { return aggregations.UnmarshalText(a, b) }

// Describe says how the rule aggregates, for the explanation.
func (a Aggregation) Describe() string {
	switch a {
	case AggregationMedian:
		return "median of the members' points (of two different middle points, the higher)"
	case AggregationMean:
		return "mean of the members' points, rounded half-up to a point"
	case AggregationTrimmedMean:
		return "mean of the members' points without the highest and the lowest when there are at least 5, rounded half-up to a point"
	case AggregationWeightedMean:
		return "weighted mean of the members' points with the members' weights, rounded half-up to a point"
	}
	return "no aggregation rule"
}

// AggregatePoints applies rule a to the points of one scale. Weights are
// used by AggregationWeightedMean only, one per point, summing to 1. It
// fails with KindInvalid when there are no points, the rule is unset, or the
// weights do not match.
func AggregatePoints(a Aggregation, points []int, weights []decimal.Decimal) (int, error) {
	const op = "riskeval.AggregatePoints"
	var ps ssra.Problems
	if len(points) == 0 {
		ps.Add("panel.ratings_missing", "ratings", "no ratings to aggregate")
		return 0, ps.Err(op)
	}
	sorted := slices.Clone(points)
	slices.Sort(sorted)
	switch a {
	case AggregationMedian:
		return sorted[len(sorted)/2], nil
	case AggregationMean:
		return meanPoint(sorted), nil
	case AggregationTrimmedMean:
		if len(sorted) >= 5 {
			sorted = sorted[1 : len(sorted)-1]
		}
		return meanPoint(sorted), nil
	case AggregationWeightedMean:
		if len(weights) != len(points) {
			ps.Add("panel.weights_mismatch", "weights", "%d weights for %d ratings", len(weights), len(points))
			return 0, ps.Err(op)
		}
		sum, wsum := decimal.Zero, decimal.Zero
		for i, p := range points {
			if weights[i].Sign() < 0 {
				ps.Add("panel.weight_negative", ssra.Index("weights", i), "weight %s is negative", weights[i])
			}
			sum = sum.Add(weights[i].Mul(decimal.NewFromInt(int64(p))))
			wsum = wsum.Add(weights[i])
		}
		if !wsum.Equal(decimal.NewFromInt(1)) {
			ps.Add("panel.weights_sum", "weights", "member weights sum to %s, not 1", wsum)
		}
		if err := ps.Err(op); err != nil {
			return 0, err
		}
		return int(sum.Round(0).IntPart()), nil
	}
	ps.Add("panel.aggregation_missing", "aggregation", "no aggregation rule")
	return 0, ps.Err(op)
}

// meanPoint is the mean of points rounded half-up (decimal.Round rounds
// half away from zero, which is half-up for positive points).
func meanPoint(points []int) int {
	sum := 0
	for _, p := range points {
		sum += p
	}
	return int(decimal.NewFromInt(int64(sum)).DivRound(decimal.NewFromInt(int64(len(points))), 1).Round(0).IntPart())
}

// Spread describes how far a panel's points on one scale lie apart (离散程度):
// range, quartiles and interquartile range (quantiles by linear
// interpolation between order statistics, h = (n−1)·q, the method of
// Excel's QUARTILE.INC and R's type 7; exact), the mean (6 places), the
// population standard deviation σ and the coefficient of variation σ/μ
// (exact integer square roots, rounded half-up to 6 places).
type Spread struct {
	N    int             `json:"n"`
	Min  int             `json:"min"`
	Max  int             `json:"max"`
	Q1   decimal.Decimal `json:"q1"`
	Q3   decimal.Decimal `json:"q3"`
	IQR  decimal.Decimal `json:"iqr"`
	Mean decimal.Decimal `json:"mean"`
	SD   decimal.Decimal `json:"sd"`
	CV   decimal.Decimal `json:"cv"`
}

// Range returns Max − Min.
func (s Spread) Range() int { return s.Max - s.Min }

// PointSpread returns the spread of points; the zero Spread for none.
func PointSpread(points []int) Spread {
	if len(points) == 0 {
		return Spread{}
	}
	x := slices.Clone(points)
	slices.Sort(x)
	n := len(x)
	s := Spread{N: n, Min: x[0], Max: x[n-1]}
	s.Q1, s.Q3 = quantile7(x, 1, 4), quantile7(x, 3, 4)
	s.IQR = s.Q3.Sub(s.Q1)
	// With S = Σx and Q = Σx²: μ = S/n, σ² = (nQ − S²)/n², (σ/μ)² = (nQ − S²)/S².
	var sum, sq int64
	for _, v := range x {
		sum += int64(v)
		sq += int64(v) * int64(v)
	}
	nn := int64(n)
	spread := nn*sq - sum*sum
	s.Mean = decimal.NewFromInt(sum).DivRound(decimal.NewFromInt(nn), 6)
	s.SD = sqrtRatio(spread, nn*nn, 6)
	if sum != 0 {
		s.CV = sqrtRatio(spread, sum*sum, 6)
	}
	return s
}

// quantile7 returns the num/den quantile of sorted x by linear interpolation
// at h = (n−1)·num/den, exact.
func quantile7(x []int, num, den int) decimal.Decimal {
	n := len(x)
	hNum := (n - 1) * num // h = hNum/den
	lo := hNum / den
	frac := decimal.NewFromInt(int64(hNum % den)).Div(decimal.NewFromInt(int64(den)))
	v := decimal.NewFromInt(int64(x[lo]))
	if lo+1 < n {
		v = v.Add(frac.Mul(decimal.NewFromInt(int64(x[lo+1] - x[lo]))))
	}
	return v
}

// ratDecimal rounds r half-up to places decimals.
func ratDecimal(r *big.Rat, places int32) decimal.Decimal {
	d, err := decimal.NewFromString(r.FloatString(int(places) + 2))
	if err != nil {
		// FloatString always yields a decimal number.
		panic(err)
	}
	return d.Round(places)
}

// sqrtRatio returns √(a/b) rounded half-up to places decimals, exactly:
// with r = ⌊√⌊a·10^(2places+2)/b⌋⌋ = ⌊√(a/b)·10^(places+1)⌋, the rounded
// value is ⌊(r + 5)/10⌋ units of the last place (no integer lies between r
// and the true value, so the floor cannot change the rounding).
func sqrtRatio(a, b int64, places int32) decimal.Decimal {
	num := new(big.Int).Mul(big.NewInt(a), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(2*places+2)), nil))
	num.Quo(num, big.NewInt(b))
	r := num.Sqrt(num)
	r.Add(r, big.NewInt(5)).Quo(r, big.NewInt(10))
	return decimal.NewFromBigInt(r, -places)
}

// Concordance is Kendall's coefficient of concordance W (肯德尔和谐系数) of
// m members ranking n factors by score: ranks 1..n, ties given their mean
// rank, S = Σᵢ (Rᵢ − R̄)², T = Σⱼ Σ (t³ − t) over each member's tie groups,
// W = 12·S / (m²(n³ − n) − m·T), exact then rounded half-up to 6 places. The
// χ² statistic m(n − 1)·W has n − 1 degrees of freedom; PValue is its upper
// tail probability, the regularised upper incomplete gamma function
// Q((n−1)/2, χ²/2) by its series or continued fraction (Numerical Recipes
// §6.2) in double precision, rounded half-up to 6 places. The χ²
// approximation is the textbook's for n > 7 (ChiSquareApplies); for fewer
// factors read W against tables of S instead.
type Concordance struct {
	Members int `json:"members"`
	Factors int `json:"factors"`
	// RankSums are Rᵢ, one per factor in input order.
	RankSums []decimal.Decimal `json:"rank_sums"`
	S        decimal.Decimal   `json:"s"`
	// Ties is T, the tie correction's Σ (t³ − t) over all members.
	Ties             int64           `json:"ties"`
	W                decimal.Decimal `json:"w"`
	ChiSquare        decimal.Decimal `json:"chi_square"`
	DF               int             `json:"df"`
	PValue           decimal.Decimal `json:"p_value"`
	ChiSquareApplies bool            `json:"chi_square_applies"`
}

// KendallW returns the concordance of scores, one row per member and one
// column per factor. It fails with KindInvalid for fewer than 2 members or 2
// factors, rows of different lengths, or a panel in which every member ties
// every factor (W is undefined).
func KendallW(scores [][]decimal.Decimal) (Concordance, error) {
	const op = "riskeval.KendallW"
	var ps ssra.Problems
	m := len(scores)
	if m < 2 {
		ps.Add("panel.concordance_members", "ratings", "Kendall's W needs at least 2 members, got %d", m)
		return Concordance{}, ps.Err(op)
	}
	n := len(scores[0])
	for j, row := range scores {
		if len(row) != n {
			ps.Add("panel.concordance_incomplete", ssra.Index("members", j), "member rated %d factors, the first member %d", len(row), n)
		}
	}
	if n < 2 {
		ps.Add("panel.concordance_factors", "factors", "Kendall's W needs at least 2 factors, got %d", n)
	}
	if err := ps.Err(op); err != nil {
		return Concordance{}, err
	}
	// Ranks are kept doubled (2·rank) so that mean ranks of ties stay integers.
	sums2 := make([]int64, n)
	var ties int64
	for _, row := range scores {
		r2, t := doubledRanks(row)
		ties += t
		for i, v := range r2 {
			sums2[i] += v
		}
	}
	// R̄ = m(n+1)/2, so 2R̄ = m(n+1); S = Σ (2Rᵢ − 2R̄)² / 4.
	mean2 := int64(m) * int64(n+1)
	var s4 int64
	for _, v := range sums2 {
		d := v - mean2
		s4 += d * d
	}
	N, M := int64(n), int64(m)
	den := M*M*(N*N*N-N) - M*ties
	if den == 0 {
		ps.Add("panel.concordance_undefined", "ratings", "every member gives every factor the same score: Kendall's W is undefined")
		return Concordance{}, ps.Err(op)
	}
	w := big.NewRat(12*s4, 4*den)
	chi := new(big.Rat).Mul(w, big.NewRat(M*(N-1), 1))
	c := Concordance{
		Members: m, Factors: n, Ties: ties, DF: n - 1,
		S: ratDecimal(big.NewRat(s4, 4), 6), W: ratDecimal(w, 6), ChiSquare: ratDecimal(chi, 6),
		ChiSquareApplies: n > 7,
	}
	for _, v := range sums2 {
		c.RankSums = append(c.RankSums, ratDecimal(big.NewRat(v, 2), 1))
	}
	x, _ := chi.Float64()
	c.PValue = decimal.NewFromFloat(gammaQ(float64(n-1)/2, x/2)).Round(6)
	return c, nil
}

// doubledRanks returns twice the mean rank of each value (1 = lowest) and
// the tie term Σ (t³ − t) of its tie groups.
func doubledRanks(row []decimal.Decimal) ([]int64, int64) {
	n := len(row)
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return row[a].Cmp(row[b]) })
	out := make([]int64, n)
	var ties int64
	for lo := 0; lo < n; {
		hi := lo + 1
		for hi < n && row[idx[hi]].Equal(row[idx[lo]]) {
			hi++
		}
		// Positions lo..hi−1 hold ranks lo+1..hi; their mean doubled is lo+1+hi.
		for k := lo; k < hi; k++ {
			out[idx[k]] = int64(lo + 1 + hi)
		}
		t := int64(hi - lo)
		ties += t*t*t - t
		lo = hi
	}
	return out, ties
}

// gammaQ is the regularised upper incomplete gamma function Q(a, x): by the
// series of P when x < a + 1, else by Lentz's continued fraction, to a
// relative accuracy of 1e-15 (Numerical Recipes, 3rd ed., §6.2).
func gammaQ(a, x float64) float64 {
	if x <= 0 {
		return 1
	}
	lg, _ := math.Lgamma(a)
	front := math.Exp(-x + a*math.Log(x) - lg)
	if x < a+1 {
		sum, del, ap := 1/a, 1/a, a
		for range 10000 {
			ap++
			del *= x / ap
			sum += del
			if math.Abs(del) < math.Abs(sum)*1e-16 {
				break
			}
		}
		return math.Max(0, 1-sum*front)
	}
	const tiny = 1e-300
	b := x + 1 - a
	c := 1 / tiny
	d := 1 / b
	h := d
	for i := 1; i < 10000; i++ {
		an := -float64(i) * (float64(i) - a)
		b += 2
		d = an*d + b
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = b + an/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < 1e-16 {
			break
		}
	}
	return front * h
}
