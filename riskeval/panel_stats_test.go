package riskeval_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

func ints(rows ...[]int) [][]decimal.Decimal {
	out := make([][]decimal.Decimal, len(rows))
	for i, r := range rows {
		for _, v := range r {
			out[i] = append(out[i], decimal.NewFromInt(int64(v)))
		}
	}
	return out
}

// Siegel, S. (1956), Nonparametric Statistics for the Behavioral Sciences,
// McGraw-Hill, ch. 9, "The Kendall coefficient of concordance W": three
// executives rank six job applicants; the rank sums are 8, 14, 11, 11, 11, 8,
// s = 25.5 and W = 25.5 / 157.5 = 0.16. The χ² tail for χ² = 2.428571 with
// 5 df is erfc(√y) + e^(−y)(2√y + 4y^(3/2)/3)/√π at y = χ²/2 = 0.787212.
func TestKendallWSiegelExample(t *testing.T) {
	c, err := riskeval.KendallW(ints(
		[]int{1, 6, 3, 2, 5, 4},
		[]int{1, 5, 6, 4, 2, 3},
		[]int{6, 3, 2, 5, 4, 1},
	))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []string{"8", "14", "11", "11", "11", "8"} {
		if !c.RankSums[i].Equal(d(want)) {
			t.Fatalf("rank sum %d: got %s, want %s", i, c.RankSums[i], want)
		}
	}
	for _, tc := range []struct {
		name      string
		got, want decimal.Decimal
	}{
		{"S", c.S, d("25.5")},
		{"W", c.W, d("0.161905")},
		{"chi_square", c.ChiSquare, d("2.428571")},
		{"p", c.PValue, d("0.787212")},
	} {
		if !tc.got.Equal(tc.want) {
			t.Errorf("%s: got %s, want %s", tc.name, tc.got, tc.want)
		}
	}
	if c.DF != 5 || c.Ties != 0 || c.ChiSquareApplies {
		t.Fatalf("df %d ties %d applies %v", c.DF, c.Ties, c.ChiSquareApplies)
	}
}

// A worked case with ties, by hand: members rank 4 factors by scores
// A (1, 2, 2, 3) and B (1, 1, 2, 2). Ranks A: 1, 2.5, 2.5, 4 (t = 2 → 6);
// B: 1.5, 1.5, 3.5, 3.5 (two groups → 12). R = 2.5, 4, 6, 7.5; R̄ = 5;
// S = 6.25 + 1 + 1 + 6.25 = 14.5; W = 12·14.5 / (4·60 − 2·18) = 174 / 204.
func TestKendallWTieCorrection(t *testing.T) {
	c, err := riskeval.KendallW(ints([]int{1, 2, 2, 3}, []int{1, 1, 2, 2}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Ties != 18 || !c.S.Equal(d("14.5")) || !c.W.Equal(d("0.852941")) {
		t.Fatalf("ties %d S %s W %s; want 18, 14.5, 0.852941 (174/204)", c.Ties, c.S, c.W)
	}
	if _, err := riskeval.KendallW(ints([]int{2, 2}, []int{3, 3})); !errHasCode(err, "panel.concordance_undefined") {
		t.Fatalf("all tied: %v", err)
	}
	if _, err := riskeval.KendallW(ints([]int{1, 2})); !errHasCode(err, "panel.concordance_members") {
		t.Fatalf("one member: %v", err)
	}
	if _, err := riskeval.KendallW(ints([]int{1, 2}, []int{1})); !errHasCode(err, "panel.concordance_incomplete") {
		t.Fatalf("ragged: %v", err)
	}
}

// bruteW computes W from its definition with exact rationals and nothing
// shared with the library: each rank counted as 1 + (values below) +
// (other equal values)/2, S from the mean rank sum, T by counting each
// value's multiplicity.
func bruteW(scores [][]int) *big.Rat {
	m, n := len(scores), len(scores[0])
	sums := make([]*big.Rat, n)
	for i := range sums {
		sums[i] = new(big.Rat)
	}
	var T int64
	for _, row := range scores {
		counts := map[int]int64{}
		for i, v := range row {
			counts[v]++
			below, equal := 0, 0
			for k, u := range row {
				if u < v {
					below++
				} else if u == v && k != i {
					equal++
				}
			}
			sums[i].Add(sums[i], big.NewRat(int64(2+2*below+equal), 2))
		}
		for _, t := range counts {
			T += t*t*t - t
		}
	}
	mean := big.NewRat(int64(m*(n+1)), 2)
	S := new(big.Rat)
	for _, r := range sums {
		dd := new(big.Rat).Sub(r, mean)
		S.Add(S, dd.Mul(dd, dd))
	}
	M, N := int64(m), int64(n)
	den := M*M*(N*N*N-N) - M*T
	if den == 0 {
		return nil
	}
	return new(big.Rat).Quo(new(big.Rat).Mul(S, big.NewRat(12, 1)), big.NewRat(den, 1))
}

// On random panels (ties frequent: points 1..5) W agrees with the
// brute-force reference to all 6 places, lies in [0, 1], and without ties
// the mean Spearman ρ over all pairs of members equals (mW − 1)/(m − 1).
func TestKendallWAgainstBruteForce(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 1))
	for trial := range 500 {
		m, n := 2+rng.IntN(8), 2+rng.IntN(12)
		untied := trial%3 == 0
		scores := make([][]int, m)
		for j := range scores {
			if untied {
				scores[j] = rng.Perm(n)
			} else {
				for range n {
					scores[j] = append(scores[j], 1+rng.IntN(5))
				}
			}
		}
		rows := ints(scores...)
		want := bruteW(scores)
		c, err := riskeval.KendallW(rows)
		if want == nil {
			if !errHasCode(err, "panel.concordance_undefined") {
				t.Fatalf("trial %d: undefined W accepted: %v", trial, err)
			}
			continue
		}
		if err != nil {
			t.Fatalf("trial %d: %v", trial, err)
		}
		wd := decimal.RequireFromString(want.FloatString(12)).Round(6)
		if !c.W.Equal(wd) {
			t.Fatalf("trial %d (%v): W %s, brute force %s", trial, scores, c.W, wd)
		}
		if c.W.Sign() < 0 || c.W.GreaterThan(decimal.NewFromInt(1)) {
			t.Fatalf("trial %d: W %s outside [0, 1]", trial, c.W)
		}
		if untied {
			rho := new(big.Rat)
			pairs := 0
			for a := range m {
				for b := a + 1; b < m; b++ {
					var d2 int64
					for i := range n {
						dd := int64(scores[a][i] - scores[b][i])
						d2 += dd * dd
					}
					N := int64(n)
					rho.Add(rho, new(big.Rat).Sub(big.NewRat(1, 1), big.NewRat(6*d2, N*(N*N-1))))
					pairs++
				}
			}
			rho.Quo(rho, big.NewRat(int64(pairs), 1))
			viaW := new(big.Rat).Quo(new(big.Rat).Sub(new(big.Rat).Mul(want, big.NewRat(int64(m), 1)), big.NewRat(1, 1)), big.NewRat(int64(m-1), 1))
			if rho.Cmp(viaW) != 0 {
				t.Fatalf("trial %d: mean Spearman ρ %s, (mW−1)/(m−1) %s", trial, rho.FloatString(8), viaW.FloatString(8))
			}
		}
	}
}

// The χ² tail probability agrees with closed forms: for 2 df e^(−x/2), for
// 4 df e^(−x/2)(1 + x/2), for 5 df the erfc form of the Siegel example, on
// both sides of the series/continued-fraction switch.
func TestKendallWPValueClosedForms(t *testing.T) {
	for _, x := range []float64{0.01, 0.5, 1, 2.5, 3.9, 4.1, 7, 12, 30, 80} {
		y := x / 2
		want := map[int]float64{
			2: math.Exp(-y),
			4: math.Exp(-y) * (1 + y),
			5: math.Erfc(math.Sqrt(y)) + math.Exp(-y)*(2*math.Sqrt(y)+4*math.Pow(y, 1.5)/3)/math.Sqrt(math.Pi),
		}
		for df, w := range want {
			if got := riskeval.ChiSquareTail(x, df); math.Abs(got-w) > 1e-12 {
				t.Errorf("χ² %g, %d df: got %.15g, want %.15g", x, df, got, w)
			}
		}
	}
}

func TestAggregatePoints(t *testing.T) {
	w := func(ss ...string) []decimal.Decimal {
		var out []decimal.Decimal
		for _, s := range ss {
			out = append(out, d(s))
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		rule    riskeval.Aggregation
		points  []int
		weights []decimal.Decimal
		want    int
	}{
		{"median odd", riskeval.AggregationMedian, []int{1, 5, 3}, nil, 3},
		{"median even takes the higher middle", riskeval.AggregationMedian, []int{2, 3, 4, 1}, nil, 3},
		{"median even equal middles", riskeval.AggregationMedian, []int{2, 2, 2, 5}, nil, 2},
		{"mean half rounds up", riskeval.AggregationMean, []int{2, 3}, nil, 3},
		{"mean below half rounds down", riskeval.AggregationMean, []int{2, 2, 3}, nil, 2},
		{"trimmed drops extremes from 5", riskeval.AggregationTrimmedMean, []int{1, 3, 3, 4, 5}, nil, 3},
		{"trimmed keeps all below 5", riskeval.AggregationTrimmedMean, []int{1, 4, 5, 5}, nil, 4},
		{"weighted", riskeval.AggregationWeightedMean, []int{1, 5, 3}, w("0.5", "0.25", "0.25"), 3},
		{"weighted half up", riskeval.AggregationWeightedMean, []int{2, 3}, w("0.5", "0.5"), 3},
	} {
		got, err := riskeval.AggregatePoints(tc.rule, tc.points, tc.weights)
		if err != nil || got != tc.want {
			t.Errorf("%s: got %d, %v; want %d", tc.name, got, err, tc.want)
		}
	}
	for _, tc := range []struct {
		name    string
		rule    riskeval.Aggregation
		points  []int
		weights []decimal.Decimal
		code    string
	}{
		{"none", riskeval.AggregationMedian, nil, nil, "panel.ratings_missing"},
		{"unset rule", riskeval.AggregationNone, []int{1}, nil, "panel.aggregation_missing"},
		{"weights count", riskeval.AggregationWeightedMean, []int{1, 2}, w("1"), "panel.weights_mismatch"},
		{"weights sum", riskeval.AggregationWeightedMean, []int{1, 2}, w("0.5", "0.4"), "panel.weights_sum"},
	} {
		if _, err := riskeval.AggregatePoints(tc.rule, tc.points, tc.weights); !errHasCode(err, tc.code) {
			t.Errorf("%s: got %v, want %s", tc.name, err, tc.code)
		}
	}
}

func TestPointSpread(t *testing.T) {
	for _, tc := range []struct {
		points                    []int
		q1, q3, iqr, mean, sd, cv string
		rng                       int
	}{
		{[]int{1, 2, 3, 4, 5}, "2", "4", "2", "3", "1.414214", "0.471405", 4},
		{[]int{5, 2, 3, 2}, "2", "3.5", "1.5", "3", "1.224745", "0.408248", 3},
		{[]int{4, 4, 4}, "4", "4", "0", "4", "0", "0", 0},
		{[]int{1, 2}, "1.25", "1.75", "0.5", "1.5", "0.5", "0.333333", 1},
	} {
		s := riskeval.PointSpread(tc.points)
		for _, c := range []struct {
			name      string
			got, want decimal.Decimal
		}{{"q1", s.Q1, d(tc.q1)}, {"q3", s.Q3, d(tc.q3)}, {"iqr", s.IQR, d(tc.iqr)}, {"mean", s.Mean, d(tc.mean)}, {"sd", s.SD, d(tc.sd)}, {"cv", s.CV, d(tc.cv)}} {
			if !c.got.Equal(c.want) {
				t.Errorf("%v %s: got %s, want %s", tc.points, c.name, c.got, c.want)
			}
		}
		if s.Range() != tc.rng || s.N != len(tc.points) {
			t.Errorf("%v: range %d n %d", tc.points, s.Range(), s.N)
		}
	}
}

func errHasCode(err error, code string) bool {
	for _, p := range ssra.ProblemsOf(err) {
		if p.Code == code {
			return true
		}
	}
	return false
}
