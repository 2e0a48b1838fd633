package riskeval_test

import (
	"math"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// bench9 returns a 9×9 near-consistent matrix: for i < j, a_ij is
// (9 − i)/(9 − j) rounded to the nearest integer judgment, a_ji its
// reciprocal; CR ≈ 0.02.
func bench9() riskeval.PairwiseMatrix {
	const n = 9
	m := make(riskeval.PairwiseMatrix, n)
	for i := range m {
		m[i] = make([]ssra.Fraction, n)
	}
	for i := 0; i < n; i++ {
		m[i][i] = ssra.FractionOf(decimal.NewFromInt(1))
		for j := i + 1; j < n; j++ {
			v := int64(math.Round(float64(n-i) / float64(n-j)))
			v = min(max(v, 1), 9)
			m[i][j] = ssra.FractionOf(decimal.NewFromInt(v))
			m[j][i] = ssra.Fraction{Num: decimal.NewFromInt(1), Den: decimal.NewFromInt(v)}
		}
	}
	return m
}

// baselinePower is the plain float64 computation without validation,
// decimals or explanation: power iteration from the uniform vector with the
// same tolerance, then λmax, CI and CR.
func baselinePower(a [][]float64, ri float64) (w []float64, cr float64) {
	n := len(a)
	w = make([]float64, n)
	v := make([]float64, n)
	for i := range w {
		w[i] = 1 / float64(n)
	}
	for it := 0; it < riskeval.AHPEigenMaxIterationsForTest; it++ {
		s := 0.0
		for i := 0; i < n; i++ {
			x := 0.0
			for j := 0; j < n; j++ {
				x += a[i][j] * w[j]
			}
			v[i] = x
			s += x
		}
		diff := 0.0
		for i := range v {
			v[i] /= s
			diff = max(diff, math.Abs(v[i]-w[i]))
		}
		w, v = v, w
		if diff <= riskeval.AHPEigenToleranceForTest {
			break
		}
	}
	lam := 0.0
	for i := 0; i < n; i++ {
		x := 0.0
		for j := 0; j < n; j++ {
			x += a[i][j] * w[j]
		}
		lam += x / w[i]
	}
	lam /= float64(n)
	return w, (lam - float64(n)) / float64(n-1) / ri
}

var (
	sinkResult riskeval.AHPResult
	sinkFloat  float64
)

// BenchmarkAHPn9 times the whole public call (validation with exact
// reciprocity, the numerical method, decimal rounding, the explanation)
// against the plain float64 baseline, in one run so ratios can be read.
func BenchmarkAHPn9(b *testing.B) {
	m := bench9()
	for _, method := range []riskeval.AHPMethod{riskeval.AHPEigenvector, riskeval.AHPGeometricMean} {
		in := riskeval.AHPInput{Matrix: m, Method: method}
		if r, err := riskeval.AHP(in); err != nil || !r.Consistent {
			b.Fatalf("bench matrix: %v %v", err, r.CR)
		}
		b.Run(method.String(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r, err := riskeval.AHP(in)
				if err != nil {
					b.Fatal(err)
				}
				sinkResult = r
			}
		})
	}
	a := make([][]float64, len(m))
	for i, row := range m {
		a[i] = make([]float64, len(row))
		for j, c := range row {
			a[i][j] = c.Float64()
		}
	}
	b.Run("baseline_float64_power_iteration", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_, cr := baselinePower(a, 1.45)
			sinkFloat = cr
		}
	})
}
