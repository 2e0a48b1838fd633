package riskeval_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// benchAssessment builds a complete assessment of n factors with weights
// that sum to exactly 1, measures, criteria, consultations, a survey and a
// panel, as a real one would have.
func benchAssessment(n int) riskeval.Assessment {
	raw := make([]decimal.Decimal, n)
	for i := range raw {
		raw[i] = decimal.NewFromInt(int64(i%7 + 1))
	}
	total := decimal.Sum(raw[0], raw[1:]...)
	for i := range raw {
		raw[i] = raw[i].DivRound(total, 18)
	}
	w, _, err := ssra.RoundToSum(raw, 6, decimal.NewFromInt(1))
	if err != nil {
		panic(err)
	}
	a := riskeval.Assessment{
		Subject: riskeval.Subject{Kind: riskeval.SubjectProject, Name: "bench", ResponsibleUnit: "unit"},
		Regime:  "ndrc2012_project",
		Criteria: []riskeval.CriterionAnswer{
			{Criterion: riskeval.CriterionLegality, Question: "q1", Answer: riskeval.AnswerYes},
			{Criterion: riskeval.CriterionReasonableness, Question: "q2", Answer: riskeval.AnswerYes},
			{Criterion: riskeval.CriterionFeasibility, Question: "q3", Answer: riskeval.AnswerYes},
			{Criterion: riskeval.CriterionControllability, Question: "q4", Answer: riskeval.AnswerYes},
		},
		Consultations: []riskeval.Consultation{{Method: riskeval.ConsultationPublicNotice, Date: ssra.MustDate(2026, 9, 1), CommentDays: 30}},
		Survey:        &riskeval.Survey{Frame: "households within 3 km", Distributed: 1200, Support: 700, Neutral: 250, Oppose: 190},
		Panel:         &riskeval.Panel{Size: 5, Writer: "a", Reviewer: "b"},
	}
	for i := 0; i < n; i++ {
		p, im := i%5+1, (i*3)%5+1
		rp, ri := max(1, p-1), max(1, im-1)
		a.Factors = append(a.Factors, riskeval.Factor{
			ID: fmt.Sprintf("F%03d", i), Area: riskeval.Areas()[i%8], Name: "factor", Stage: riskeval.StageOperation,
			Weight: w[i], Initial: riskeval.Estimate{Probability: p, Impact: im}, Residual: &riskeval.Estimate{Probability: rp, Impact: ri},
			Measures: []riskeval.Measure{{ID: fmt.Sprintf("M%03d", i), Description: "measure", Owner: "owner", Due: ssra.MustDate(2027, 1, 1)}},
		})
	}
	return a
}

func benchEvaluate(b *testing.B, n int) {
	p, err := riskeval.Preset("practice")
	if err != nil {
		b.Fatal(err)
	}
	a := benchAssessment(n)
	if _, err := riskeval.Evaluate(a, p); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := riskeval.Evaluate(a, p); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEvaluate10(b *testing.B)  { benchEvaluate(b, 10) }
func BenchmarkEvaluate30(b *testing.B)  { benchEvaluate(b, 30) }
func BenchmarkEvaluate300(b *testing.B) { benchEvaluate(b, 300) }

// BenchmarkEvaluateExplain30 adds rendering the explanation as sentences.
func BenchmarkEvaluateExplain30(b *testing.B) {
	p, _ := riskeval.Preset("practice")
	a := benchAssessment(30)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r, err := riskeval.Evaluate(a, p)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.Explain()) == 0 {
			b.Fatal("empty explanation")
		}
	}
}

// BenchmarkEvaluateJSON30 adds encoding the result as JSON, as the REST
// adapter does for every evaluation it serves.
func BenchmarkEvaluateJSON30(b *testing.B) {
	p, _ := riskeval.Preset("practice")
	a := benchAssessment(30)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		r, err := riskeval.Evaluate(a, p)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.MarshalJSON(); err != nil {
			b.Fatal(err)
		}
	}
}
