package report_test

import (
	"io"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

// input30 is the 30-factor report input.
func input30(b *testing.B) report.Input {
	b.Helper()
	p, _ := riskeval.Preset("practice")
	a := bigAssessment(30)
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		b.Fatal(err)
	}
	return report.Input{Assessment: a, Result: res, Profile: p, Lang: ssra.LangZH, Generated: genTime, Meta: sample.PlantMeta()}
}

// BenchmarkEvaluate30 is the baseline: evaluating the same 30-factor
// assessment, so that the cost of rendering reads as a ratio.
func BenchmarkEvaluate30(b *testing.B) {
	in := input30(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := riskeval.Evaluate(in.Assessment, in.Profile); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHTML30 renders the 30-factor report to HTML (target < 2 ms).
func BenchmarkHTML30(b *testing.B) {
	in := input30(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := report.HTML(io.Discard, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMarkdown30 renders the same report to Markdown.
func BenchmarkMarkdown30(b *testing.B) {
	in := input30(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := report.Markdown(io.Discard, in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHeatMap30 draws the heat map of the 30 factors alone.
func BenchmarkHeatMap30(b *testing.B) {
	in := input30(b)
	b.ReportAllocs()
	for b.Loop() {
		if err := report.HeatMap(io.Discard, in.Profile, in.Result, in.Lang); err != nil {
			b.Fatal(err)
		}
	}
}
