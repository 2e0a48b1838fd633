package riskeval_test

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

var regimes = []string{"ndrc2012_project", "central2012_decision", "order713_2019"}

// randomAssessment draws n factors with weights in steps of 0.01 summing to
// 1 and residual estimates on the 5-point scales.
func sensAssessment(rng *rand.Rand, n int) riskeval.Assessment {
	cuts := make([]int, n-1)
	for i := range cuts {
		cuts[i] = rng.IntN(101)
	}
	ws := make([]int, n)
	prev := 0
	sortInts(cuts)
	for i, c := range cuts {
		ws[i] = c - prev
		prev = c
	}
	ws[n-1] = 100 - prev
	fs := make([]riskeval.Factor, n)
	for i := range fs {
		fs[i] = factor(fmt.Sprintf("F%d", i+1), decimal.New(int64(ws[i]), -2).String(), 1+rng.IntN(5), 1+rng.IntN(5), 1+rng.IntN(5), 1+rng.IntN(5))
	}
	return complete(regimes[rng.IntN(len(regimes))], fs...)
}

func sortInts(x []int) {
	for i := 1; i < len(x); i++ {
		for j := i; j > 0 && x[j] < x[j-1]; j-- {
			x[j], x[j-1] = x[j-1], x[j]
		}
	}
}

func evalLevel(t *testing.T, a riskeval.Assessment, p riskeval.Profile) (riskeval.Level, riskeval.Outcome) {
	t.Helper()
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatalf("evaluate: %v", err)
	}
	return res.Residual.Level, res.Decision.Outcome
}

// withPoint returns a with factor i's residual probability (or impact) set.
func withPoint(a riskeval.Assessment, i int, impact bool, v int) riskeval.Assessment {
	fs := append([]riskeval.Factor(nil), a.Factors...)
	e := *fs[i].Residual
	if impact {
		e.Impact = v
	} else {
		e.Probability = v
	}
	fs[i].Residual = &e
	a.Factors = fs
	return a
}

// Every scale flip really flips when applied and evaluated, every smaller
// move in the same direction does not, and a move reported without a flip
// changes nothing up to the end of the scale. Weight flips are checked by an
// exact rational recomputation of the renormalised index: the flip weight
// changes the level, and the weight one unit nearer the original does not.
func TestSensitivityFlipsAreExactAndSmallest(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 3))
	for trial := range 150 {
		p := preset(t, []string{"practice", "textbook5x5"}[trial%2])
		a := sensAssessment(rng, 2+rng.IntN(6))
		s, err := riskeval.Sensitivity(a, p)
		if err != nil {
			t.Fatal(err)
		}
		baseL, baseO := evalLevel(t, a, p)
		if s.Level != baseL || s.Outcome != baseO {
			t.Fatalf("trial %d: base %v/%v, sensitivity says %v/%v", trial, baseL, baseO, s.Level, s.Outcome)
		}
		res, _ := riskeval.Evaluate(a, p)
		for i, fs := range s.Factors {
			for _, mv := range fs.Moves {
				switch mv.Kind {
				case riskeval.MoveProbabilityUp, riskeval.MoveProbabilityDown, riskeval.MoveImpactUp, riskeval.MoveImpactDown:
					checkScaleMove(t, trial, a, p, i, mv, baseL, baseO)
				default:
					checkWeightMove(t, trial, res, p, a.Regime, i, mv, baseL, baseO)
				}
			}
		}
	}
}

func checkScaleMove(t *testing.T, trial int, a riskeval.Assessment, p riskeval.Profile, i int, mv riskeval.Move, baseL riskeval.Level, baseO riskeval.Outcome) {
	t.Helper()
	impact := mv.Kind == riskeval.MoveImpactUp || mv.Kind == riskeval.MoveImpactDown
	dir := 1
	if mv.Kind == riskeval.MoveProbabilityDown || mv.Kind == riskeval.MoveImpactDown {
		dir = -1
	}
	start := a.Factors[i].Residual.Probability
	if impact {
		start = a.Factors[i].Residual.Impact
	}
	levelAt, outcomeAt := 0, 0
	for steps, v := 1, start+dir; v >= 1 && v <= 5; steps, v = steps+1, v+dir {
		l, o := evalLevel(t, withPoint(a, i, impact, v), p)
		if l != baseL && levelAt == 0 {
			levelAt = steps
		}
		if o != baseO && outcomeAt == 0 {
			outcomeAt = steps
		}
	}
	if got := flipSteps(mv.LevelFlip); got != levelAt {
		t.Fatalf("trial %d factor %d %s: level flip at %d steps, evaluation says %d", trial, i, mv.Kind, got, levelAt)
	}
	if got := flipSteps(mv.OutcomeFlip); got != outcomeAt {
		t.Fatalf("trial %d factor %d %s: outcome flip at %d steps, evaluation says %d", trial, i, mv.Kind, got, outcomeAt)
	}
	if mv.LevelFlip != nil {
		l, _ := evalLevel(t, withPoint(a, i, impact, mv.LevelFlip.To), p)
		if l != mv.LevelFlip.Level {
			t.Fatalf("trial %d: flip to %d gives %v, reported %v", trial, mv.LevelFlip.To, l, mv.LevelFlip.Level)
		}
	}
}

func flipSteps(f *riskeval.Flip) int {
	if f == nil {
		return 0
	}
	return f.Steps
}

// levelWithWeight recomputes the residual level with factor i at weight w
// and the others scaled by (1 − w)/(1 − wᵢ), in exact rationals.
func levelWithWeight(res riskeval.Result, p riskeval.Profile, i int, w decimal.Decimal) riskeval.Level {
	one := big.NewRat(1, 1)
	wi := res.Factors[i].Weight.Rat()
	k := new(big.Rat).Quo(new(big.Rat).Sub(one, w.Rat()), new(big.Rat).Sub(one, wi))
	sum := new(big.Rat)
	for j, f := range res.Factors {
		wj := new(big.Rat).Mul(f.Weight.Rat(), k)
		if j == i {
			wj = w.Rat()
		}
		sum.Add(sum, wj.Mul(wj, f.Residual.Score.Rat()))
	}
	idx := decimal.RequireFromString(sum.FloatString(30)).Round(ssra.IndexScale)
	def := p.Def()
	l := def.IndexThresholds.Of(idx)
	for _, r := range def.FloorRules {
		if res.Residual.Counts.AtLeast(r.FactorLevel) >= r.MinCount && r.Floor > l {
			l = r.Floor
		}
	}
	return l
}

func checkWeightMove(t *testing.T, trial int, res riskeval.Result, p riskeval.Profile, regime string, i int, mv riskeval.Move, baseL riskeval.Level, baseO riskeval.Outcome) {
	t.Helper()
	step := decimal.New(1, -ssra.WeightScale)
	if mv.Kind == riskeval.MoveWeightUp {
		step = step.Neg()
	}
	rg, _ := p.Regime(regime)
	for _, fl := range []*riskeval.Flip{mv.LevelFlip, mv.OutcomeFlip} {
		if fl == nil {
			continue
		}
		l := levelWithWeight(res, p, i, fl.Weight)
		if l != fl.Level || l == baseL {
			t.Fatalf("trial %d factor %d %s: weight %s gives %v, reported %v (base %v)", trial, i, mv.Kind, fl.Weight, l, fl.Level, baseL)
		}
		if fl == mv.OutcomeFlip && rg.Rule(l).Outcome == baseO {
			t.Fatalf("trial %d factor %d: outcome flip at %s keeps %v", trial, i, fl.Weight, baseO)
		}
		nearer := fl.Weight.Add(step)
		if nearer.Equal(res.Factors[i].Weight) {
			continue
		}
		nl := levelWithWeight(res, p, i, nearer)
		if fl == mv.LevelFlip && nl != baseL {
			t.Fatalf("trial %d factor %d %s: %s already flips to %v, reported %s", trial, i, mv.Kind, nearer, nl, fl.Weight)
		}
		if fl == mv.OutcomeFlip && rg.Rule(nl).Outcome != baseO {
			t.Fatalf("trial %d factor %d %s: %s already flips the outcome, reported %s", trial, i, mv.Kind, nearer, fl.Weight)
		}
	}
	if mv.LevelFlip == nil {
		end := decimal.NewFromInt(1)
		if mv.Kind == riskeval.MoveWeightDown {
			end = decimal.Zero
		}
		if !end.Equal(res.Factors[i].Weight) && !res.Factors[i].Weight.Equal(decimal.NewFromInt(1)) {
			if l := levelWithWeight(res, p, i, end); l != baseL {
				t.Fatalf("trial %d factor %d %s: no flip reported, but weight %s gives %v", trial, i, mv.Kind, end, l)
			}
		}
	}
}

// panelAssessment rates every factor by m members with random points
// around a centre, so that ratings agree more or less.
func panelAssessment(rng *rand.Rand, n, m int) riskeval.Assessment {
	a := sensAssessment(rng, n)
	for i := range a.Factors {
		cp, ci := 1+rng.IntN(5), 1+rng.IntN(5)
		var rs []riskeval.Rating
		for k := range m {
			rs = append(rs, riskeval.Rating{Member: fmt.Sprintf("E%d", k+1), Probability: clamp(cp + rng.IntN(3) - 1), Impact: clamp(ci + rng.IntN(3) - 1)})
		}
		a.Factors[i].Residual = &riskeval.Estimate{Ratings: rs}
	}
	return a
}

func clamp(v int) int { return min(5, max(1, v)) }

// The exact distribution counts what evaluating every combination of the
// members' ratings one by one counts; the shares sum to 1; a Monte Carlo run
// of the same panel lies within its stated error bound of the exact shares,
// and repeats itself for the same seed.
func TestLevelDistributionAgainstEnumeration(t *testing.T) {
	rng := rand.New(rand.NewPCG(16, 4))
	for trial := range 40 {
		p := preset(t, []string{"practice", "textbook5x5"}[trial%2])
		n, m := 2+rng.IntN(3), 2+rng.IntN(3)
		a := panelAssessment(rng, n, m)
		s, err := riskeval.Sensitivity(a, p)
		if err != nil {
			t.Fatal(err)
		}
		dist := s.Distribution
		if dist == nil || dist.Method != riskeval.DistributionExact {
			t.Fatalf("trial %d: want an exact distribution, got %+v", trial, dist)
		}
		want := map[riskeval.Level]int64{}
		pick := make([]int, n)
		for {
			b := a
			b.Factors = append([]riskeval.Factor(nil), a.Factors...)
			for i, k := range pick {
				r := a.Factors[i].Residual.Ratings[k]
				b.Factors[i].Residual = est(r.Probability, r.Impact)
			}
			l, _ := evalLevel(t, b, p)
			want[l]++
			i := 0
			for ; i < n; i++ {
				if pick[i]++; pick[i] < m {
					break
				}
				pick[i] = 0
			}
			if i == n {
				break
			}
		}
		sum := decimal.Zero
		for _, ls := range dist.Levels {
			if !ls.Count.Equal(decimal.NewFromInt(want[ls.Level])) {
				t.Fatalf("trial %d: %v counted %s, enumeration by Evaluate %d", trial, ls.Level, ls.Count, want[ls.Level])
			}
			sum = sum.Add(ls.Share)
		}
		if !sum.Equal(decimal.NewFromInt(1)) {
			t.Fatalf("trial %d: shares sum to %s", trial, sum)
		}
		osum := decimal.Zero
		for _, o := range dist.Outcomes {
			osum = osum.Add(o.Share)
		}
		if !osum.Equal(decimal.NewFromInt(1)) {
			t.Fatalf("trial %d: outcome shares sum to %s", trial, osum)
		}
		mc, err := riskeval.SensitivityWith(a, p, riskeval.SensitivityOptions{MaxExact: 1, Samples: 20000, Seed: uint64(trial + 1)})
		if err != nil {
			t.Fatal(err)
		}
		md := mc.Distribution
		if md.Method != riskeval.DistributionMonteCarlo || md.Samples != 20000 || md.Seed != uint64(trial+1) || md.ErrorBound.IsZero() {
			t.Fatalf("trial %d: Monte Carlo not stated: %+v", trial, md)
		}
		for k, ls := range md.Levels {
			if ls.Share.Sub(dist.Levels[k].Share).Abs().GreaterThan(md.ErrorBound) {
				t.Fatalf("trial %d: %v share %s, exact %s, bound %s", trial, ls.Level, ls.Share, dist.Levels[k].Share, md.ErrorBound)
			}
		}
		again, _ := riskeval.SensitivityWith(a, p, riskeval.SensitivityOptions{MaxExact: 1, Samples: 20000, Seed: uint64(trial + 1)})
		for k := range md.Levels {
			if !again.Distribution.Levels[k].Count.Equal(md.Levels[k].Count) {
				t.Fatalf("trial %d: the same seed gave different samples", trial)
			}
		}
	}
}

// The margin is the distance to the nearest threshold of the band: a
// practice index of 0.5 (medium, 0.36 < R ≤ 0.64) is 0.14 from both; 0.4
// is 0.04 above the lower threshold.
func TestSensitivityMargin(t *testing.T) {
	p := preset(t, "practice")
	// One factor of weight 1 at p = 2 (0.4), i = 5 (1.0): R = 0.4.
	a := complete("order713_2019", factor("F1", "1", 2, 5, 2, 5))
	s, err := riskeval.Sensitivity(a, p)
	if err != nil {
		t.Fatal(err)
	}
	mg := s.Residual
	if !mg.Index.Equal(d("0.4")) || mg.IndexLevel != riskeval.LevelMedium || !mg.Nearest.Equal(d("0.04")) || mg.NearestSide != "down" ||
		!mg.Down.Equal(d("0.04")) || !mg.Up.Equal(d("0.24")) || !mg.DownTo.Equal(d("0.36")) {
		t.Fatalf("margin: %+v", mg)
	}
	if s.Distribution != nil {
		t.Fatal("a distribution without ratings")
	}
}

// exactPanel30x9 is 30 factors rated by 9 members whose ratings take
// 2^4·3^10 = 944,784 distinct combinations, just under the default limit
// of 10⁶ for exact enumeration: 4 factors with two distinct ratings, 10
// with three, 16 unanimous.
func exactPanel30x9(rng *rand.Rand) riskeval.Assessment {
	a := sensAssessment(rng, 30)
	for i := range a.Factors {
		distinct := 1
		switch {
		case i < 4:
			distinct = 2
		case i < 14:
			distinct = 3
		}
		var rs []riskeval.Rating
		for k := range 9 {
			v := 2 + k%distinct
			rs = append(rs, riskeval.Rating{Member: fmt.Sprintf("E%d", k+1), Probability: v, Impact: 3})
		}
		a.Factors[i].Residual = &riskeval.Estimate{Ratings: rs}
	}
	return a
}

// BenchmarkSensitivity30x9 is the target: 30 factors rated by a
// panel of 9, beside Evaluate of the same assessment as the baseline.
// "sensitivity" has far more than 10⁶ combinations, so 10,000 Monte Carlo
// samples; "sensitivity_exact" is the worst case of exact enumeration,
// 944,784 combinations.
func BenchmarkSensitivity30x9(b *testing.B) {
	rng := rand.New(rand.NewPCG(30, 9))
	a := panelAssessment(rng, 30, 9)
	exact := exactPanel30x9(rng)
	p := preset(b, "practice")
	b.Run("evaluate", func(b *testing.B) {
		for b.Loop() {
			if _, err := riskeval.Evaluate(a, p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("sensitivity", func(b *testing.B) {
		for b.Loop() {
			s, err := riskeval.Sensitivity(a, p)
			if err != nil || s.Distribution.Method != riskeval.DistributionMonteCarlo {
				b.Fatal(err)
			}
		}
	})
	b.Run("sensitivity_exact", func(b *testing.B) {
		for b.Loop() {
			s, err := riskeval.Sensitivity(exact, p)
			if err != nil || s.Distribution.Method != riskeval.DistributionExact {
				b.Fatal(err, s.Distribution)
			}
		}
	})
}

// The explanation states the residual margin, with the same figures as
// Sensitivity, and Kendall's W with the numbers of its formula, in both
// languages.
func TestExplainStatesMarginAndConcordance(t *testing.T) {
	p := preset(t, "practice")
	rng := rand.New(rand.NewPCG(7, 7))
	a := panelAssessment(rng, 9, 5)
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	s, err := riskeval.Sensitivity(a, p)
	if err != nil {
		t.Fatal(err)
	}
	c := res.Panel.Concordance
	if c == nil {
		t.Fatal("no concordance for a complete panel")
	}
	for _, lang := range []ssra.Lang{ssra.LangEN, ssra.LangZH} {
		steps := map[string]string{}
		for _, st := range res.ExplainIn(lang) {
			steps[st.Key] = st.Text
		}
		margin := steps["margin.residual"]
		if !strings.HasPrefix(margin, riskeval.MarginSentence(s, lang)) || !strings.Contains(margin, s.Residual.Nearest.String()) {
			t.Errorf("%v: margin step %q does not state the sensitivity's margin %q", lang, margin, riskeval.MarginSentence(s, lang))
		}
		w := steps["panel.concordance"]
		for _, want := range []string{c.W.String(), c.S.String(), c.ChiSquare.String(), c.PValue.String(), fmt.Sprint(c.Ties)} {
			if !strings.Contains(w, want) {
				t.Errorf("%v: concordance step %q lacks %s", lang, w, want)
			}
		}
		if steps["panel"] == "" || steps["panel."+res.Panel.Factors[0].Factor+".residual"] == "" {
			t.Errorf("%v: no panel steps in %v", lang, steps)
		}
	}
}

// withLongWeights gives the factors weights of 18 decimal places that sum
// to 1: their contributions no longer fit in 64-bit integers.
func withLongWeights(a riskeval.Assessment) riskeval.Assessment {
	sum := decimal.Zero
	w := decimal.NewFromInt(1).DivRound(decimal.NewFromInt(int64(len(a.Factors))), 18)
	for i := range a.Factors {
		if i == len(a.Factors)-1 {
			w = decimal.NewFromInt(1).Sub(sum)
		}
		a.Factors[i].Weight = w
		sum = sum.Add(w)
	}
	return a
}

// Contributions of many decimal places are summed in decimals: a small
// panel is still enumerated exactly (and agrees with Evaluate combination
// by combination, as above), while one beyond MaxExactDecimal
// combinations is sampled, with its seed, samples and bound stated,
// whatever MaxExact allows.
func TestLevelDistributionLongDecimals(t *testing.T) {
	p := preset(t, "practice")
	small := withLongWeights(panelAssessment(rand.New(rand.NewPCG(17, 1)), 3, 3))
	s, err := riskeval.Sensitivity(small, p)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Distribution; d.Method != riskeval.DistributionExact {
		t.Fatalf("a panel of 27 combinations: %+v", d)
	}
	big := withLongWeights(exactPanel30x9(rand.New(rand.NewPCG(30, 9))))
	s, err = riskeval.Sensitivity(big, p)
	if err != nil {
		t.Fatal(err)
	}
	if d := s.Distribution; d.Method != riskeval.DistributionMonteCarlo || d.Samples != 10_000 || d.Seed != 1 || d.ErrorBound.IsZero() {
		t.Fatalf("944,784 combinations of long decimals: %+v", d)
	}
	// The same panel with 2-place weights is enumerated.
	s, err = riskeval.Sensitivity(exactPanel30x9(rand.New(rand.NewPCG(30, 9))), p)
	if err != nil {
		t.Fatal(err)
	}
	if s.Distribution.Method != riskeval.DistributionExact {
		t.Fatalf("944,784 combinations of short decimals: %+v", s.Distribution)
	}
}
