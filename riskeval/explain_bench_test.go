package riskeval_test

import (
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// benchResult evaluates the 30-factor benchmark assessment once.
func benchResult(b *testing.B) riskeval.Result {
	p, err := riskeval.Preset("practice")
	if err != nil {
		b.Fatal(err)
	}
	r, err := riskeval.Evaluate(benchAssessment(30), p)
	if err != nil {
		b.Fatal(err)
	}
	return r
}

// BenchmarkExplain30 renders the explanation of an evaluated 30-factor
// result as steps, without the evaluation.
func BenchmarkExplain30(b *testing.B) {
	r := benchResult(b)
	b.ReportAllocs()
	for b.Loop() {
		if len(r.ExplainIn(ssra.LangEN)) == 0 {
			b.Fatal("empty explanation")
		}
	}
}

// BenchmarkJSON30 encodes an evaluated 30-factor result, without the
// evaluation.
func BenchmarkJSON30(b *testing.B) {
	r := benchResult(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}
