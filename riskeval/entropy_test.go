package riskeval_test

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

func rows(rs ...[]string) [][]decimal.Decimal {
	out := make([][]decimal.Decimal, len(rs))
	for i, r := range rs {
		out[i] = decList(r...)
	}
	return out
}

func TestEntropyWeightsHandChecked(t *testing.T) {
	// Indicator 0 (benefit) 1, 2, 3 → y = 0, 1/2, 1 → p = 0, 1/3, 2/3.
	// Indicator 1 (cost)    3, 3, 1 → y = 0, 0, 1  → p = 0, 0, 1 → e = 0.
	// Indicator 2 (cost)    3, 2, 1 → same p as indicator 0.
	in := riskeval.EntropyInput{
		Data:       rows([]string{"1", "3", "3"}, []string{"2", "3", "2"}, []string{"3", "1", "1"}),
		Directions: []riskeval.EntropyDirection{riskeval.EntropyBenefit, riskeval.EntropyCost, riskeval.EntropyCost},
	}
	res, err := riskeval.EntropyWeights(in)
	if err != nil {
		t.Fatal(err)
	}
	e0 := -(1.0/3*math.Log(1.0/3) + 2.0/3*math.Log(2.0/3)) / math.Log(3)
	d0 := 1 - e0
	dsum := d0 + 1 + d0
	want := []float64{d0 / dsum, 1 / dsum, d0 / dsum}
	for j, w := range res.Weights {
		f, _ := w.Float64()
		if math.Abs(f-want[j]) > 1e-6 {
			t.Errorf("w[%d] = %s, want %.8f", j, w, want[j])
		}
	}
	if !res.Entropy[1].IsZero() || !res.Divergence[1].Equal(dec("1")) {
		t.Errorf("indicator 1: e %s d %s, want 0 and 1", res.Entropy[1], res.Divergence[1])
	}
	if !res.Entropy[0].Equal(res.Entropy[2]) {
		t.Errorf("benefit 1,2,3 and cost 3,2,1 differ: %s vs %s", res.Entropy[0], res.Entropy[2])
	}
	if got := res.Entropy[0].StringFixed(6); got != decimal.NewFromFloat(e0).Round(6).StringFixed(6) {
		t.Errorf("e0 = %s, want %.6f", got, e0)
	}
	if !sum(res.Weights).Equal(dec("1")) {
		t.Errorf("weights sum to %s", sum(res.Weights))
	}
}

func TestEntropyTwoRowsGiveEqualWeights(t *testing.T) {
	// With m = 2 every non-constant indicator normalises to (0, 1), e = 0.
	res, err := riskeval.EntropyWeights(riskeval.EntropyInput{
		Data:       rows([]string{"10", "0.5", "-3"}, []string{"20", "0.1", "7"}),
		Directions: []riskeval.EntropyDirection{riskeval.EntropyBenefit, riskeval.EntropyCost, riskeval.EntropyBenefit},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"0.333334", "0.333333", "0.333333"}
	for j, w := range res.Weights {
		if w.StringFixed(6) != want[j] {
			t.Errorf("w[%d] = %s, want %s (largest remainder, ties to the lower index)", j, w, want[j])
		}
	}
}

// benefits returns n benefit directions.
func benefits(n int) []riskeval.EntropyDirection {
	d := make([]riskeval.EntropyDirection, n)
	for i := range d {
		d[i] = riskeval.EntropyBenefit
	}
	return d
}

func TestEntropyValidation(t *testing.T) {
	for _, tc := range []struct {
		name        string
		in          riskeval.EntropyInput
		code, field string
	}{
		{"one row", riskeval.EntropyInput{Data: rows([]string{"1", "2"}), Directions: benefits(2)}, "entropy.data.too_few_rows", "data"},
		{"no rows", riskeval.EntropyInput{}, "entropy.data.too_few_rows", "data"},
		{"constant column", riskeval.EntropyInput{Data: rows([]string{"1", "5"}, []string{"2", "5"}), Directions: benefits(2)}, "entropy.indicator.constant", "data[*][1]"},
		{"ragged", riskeval.EntropyInput{Data: rows([]string{"1", "5"}, []string{"2"}), Directions: benefits(2)}, "entropy.data.ragged", "data[1]"},
		{"directions count", riskeval.EntropyInput{Data: rows([]string{"1", "5"}, []string{"2", "6"}), Directions: benefits(1)}, "entropy.directions.count", "directions"},
		{"unknown direction", riskeval.EntropyInput{Data: rows([]string{"1"}, []string{"2"}), Directions: []riskeval.EntropyDirection{4}}, "entropy.direction.unknown", "directions[0]"},
		{"unset direction", riskeval.EntropyInput{Data: rows([]string{"1", "5"}, []string{"2", "6"}), Directions: []riskeval.EntropyDirection{riskeval.EntropyCost, 0}}, "entropy.direction.unset", "directions[1]"},
		{"huge value", riskeval.EntropyInput{Data: [][]decimal.Decimal{{dec("1")}, {decimal.New(1, 40)}}, Directions: benefits(1)}, "entropy.value.out_of_range", "data[1][0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := riskeval.EntropyWeights(tc.in)
			if ssra.KindOf(err) != ssra.KindInvalid || !hasCode(err, tc.code, tc.field) {
				t.Fatalf("got %v, want %s@%s", codes(err), tc.code, tc.field)
			}
		})
	}
}

// Property: entropy weights are non-negative and sum to exactly 1, and a
// cost indicator gives the same weights as its negation as a benefit one.
func TestEntropyProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for k := 0; k < 200; k++ {
		m, n := 2+r.IntN(30), 1+r.IntN(8)
		data := make([][]decimal.Decimal, m)
		neg := make([][]decimal.Decimal, m)
		for i := range data {
			for j := 0; j < n; j++ {
				x := decimal.New(r.Int64N(100000)-20000, -int32(r.IntN(4)))
				data[i] = append(data[i], x)
				neg[i] = append(neg[i], x.Neg())
			}
		}
		// Avoid constant columns.
		for j := 0; j < n; j++ {
			data[0][j] = data[1][j].Add(dec("1"))
			neg[0][j] = data[0][j].Neg()
		}
		dirs := make([]riskeval.EntropyDirection, n)
		flip := make([]riskeval.EntropyDirection, n)
		for j := range dirs {
			dirs[j] = riskeval.EntropyBenefit + riskeval.EntropyDirection(r.IntN(2))
			flip[j] = riskeval.EntropyBenefit + riskeval.EntropyCost - dirs[j]
		}
		a, err := riskeval.EntropyWeights(riskeval.EntropyInput{Data: data, Directions: dirs})
		if err != nil {
			t.Fatalf("case %d: %v", k, err)
		}
		b, err := riskeval.EntropyWeights(riskeval.EntropyInput{Data: neg, Directions: flip})
		if err != nil {
			t.Fatalf("case %d: %v", k, err)
		}
		if !sum(a.Weights).Equal(dec("1")) {
			t.Fatalf("case %d: sum %s", k, sum(a.Weights))
		}
		for j := range a.Weights {
			if a.Weights[j].Sign() < 0 || !a.Weights[j].Equal(b.Weights[j]) {
				t.Fatalf("case %d: weights %v vs mirrored %v", k, a.Weights, b.Weights)
			}
			if a.Entropy[j].Sign() < 0 || a.Entropy[j].GreaterThan(dec("1")) {
				t.Fatalf("case %d: e = %s", k, a.Entropy[j])
			}
		}
	}
}

func TestDecodeEntropyInput(t *testing.T) {
	in, err := riskeval.DecodeEntropyInput([]byte(`{"data": [[1, "2.5"], ["3", 4]], "directions": ["benefit", "cost"]}`))
	if err != nil {
		t.Fatal(err)
	}
	if in.Directions[1] != riskeval.EntropyCost || !in.Data[0][1].Equal(dec("2.5")) {
		t.Fatalf("decoded %+v", in)
	}
	if _, err := riskeval.DecodeEntropyInput([]byte(`{"data": [[1]], "directions": ["up"]}`)); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("unknown direction: %v", err)
	}
}

func TestCombineWeights(t *testing.T) {
	for _, tc := range []struct {
		name      string
		s, o      []string
		alpha     string
		want      []string
		wantExact []string
	}{
		{"half and half", []string{"0.6", "0.4"}, []string{"0.2", "0.8"}, "0.5", []string{"0.4", "0.6"}, []string{"0.4", "0.6"}},
		{"alpha 1 keeps subjective", []string{"0.6", "0.4"}, []string{"0.2", "0.8"}, "1", []string{"0.6", "0.4"}, nil},
		{"alpha 0 keeps objective", []string{"0.6", "0.4"}, []string{"0.2", "0.8"}, "0", []string{"0.2", "0.8"}, nil},
		{"exact products then rounding", []string{"0.333334", "0.333333", "0.333333"}, []string{"0.5", "0.25", "0.25"}, "0.3", []string{"0.45", "0.275", "0.275"}, []string{"0.4500002", "0.2749999", "0.2749999"}},
		{"inputs summing to 0.999999 are normalised", []string{"0.333333", "0.333333", "0.333333"}, []string{"0.333333", "0.333333", "0.333333"}, "0.5", []string{"0.333334", "0.333333", "0.333333"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := riskeval.CombineWeights(riskeval.CombineInput{Subjective: decList(tc.s...), Objective: decList(tc.o...), Alpha: dec(tc.alpha)})
			if err != nil {
				t.Fatal(err)
			}
			for j, w := range res.Weights {
				if !w.Equal(dec(tc.want[j])) {
					t.Errorf("w[%d] = %s, want %s", j, w, tc.want[j])
				}
			}
			for j, w := range tc.wantExact {
				if !res.Exact[j].Equal(dec(w)) {
					t.Errorf("exact[%d] = %s, want %s", j, res.Exact[j], w)
				}
			}
			if !sum(res.Weights).Equal(dec("1")) {
				t.Errorf("sum %s", sum(res.Weights))
			}
		})
	}
	for _, tc := range []struct {
		name        string
		in          riskeval.CombineInput
		code, field string
	}{
		{"alpha above 1", riskeval.CombineInput{Subjective: decList("1"), Objective: decList("1"), Alpha: dec("1.1")}, "combine.alpha.out_of_range", "alpha"},
		{"alpha negative", riskeval.CombineInput{Subjective: decList("1"), Objective: decList("1"), Alpha: dec("-0.1")}, "combine.alpha.out_of_range", "alpha"},
		{"lengths", riskeval.CombineInput{Subjective: decList("0.5", "0.5"), Objective: decList("1"), Alpha: dec("0.5")}, "combine.length_mismatch", "objective"},
		{"sum", riskeval.CombineInput{Subjective: decList("0.5", "0.4"), Objective: decList("0.5", "0.5"), Alpha: dec("0.5")}, "combine.subjective.sum", "subjective"},
		{"negative", riskeval.CombineInput{Subjective: decList("0.5", "0.5"), Objective: decList("1.5", "-0.5"), Alpha: dec("0.5")}, "combine.objective.negative", "objective[1]"},
		{"empty", riskeval.CombineInput{Alpha: dec("0.5")}, "combine.subjective.empty", "subjective"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := riskeval.CombineWeights(tc.in)
			if ssra.KindOf(err) != ssra.KindInvalid || !hasCode(err, tc.code, tc.field) {
				t.Fatalf("got %v, want %s@%s", codes(err), tc.code, tc.field)
			}
		})
	}
}

// AHP and entropy weights combine end to end.
func TestCombineAHPAndEntropy(t *testing.T) {
	a, err := riskeval.AHP(riskeval.AHPInput{Matrix: pm(t, "1 3 5", "1/3 1 3", "1/5 1/3 1")})
	if err != nil {
		t.Fatal(err)
	}
	en, err := riskeval.EntropyWeights(riskeval.EntropyInput{
		Data:       rows([]string{"0.2", "30", "5"}, []string{"0.6", "10", "5.5"}, []string{"0.4", "20", "9"}),
		Directions: []riskeval.EntropyDirection{riskeval.EntropyCost, riskeval.EntropyBenefit, riskeval.EntropyCost},
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := riskeval.CombineWeights(riskeval.CombineInput{Subjective: a.Weights, Objective: en.Weights, Alpha: dec("0.6")})
	if err != nil {
		t.Fatal(err)
	}
	for j := range c.Weights {
		lo, hi := decimal.Min(a.Weights[j], en.Weights[j]), decimal.Max(a.Weights[j], en.Weights[j])
		if c.Weights[j].LessThan(lo.Sub(dec("0.000001"))) || c.Weights[j].GreaterThan(hi.Add(dec("0.000001"))) {
			t.Errorf("combined w[%d] = %s outside [%s, %s]", j, c.Weights[j], lo, hi)
		}
	}
}
