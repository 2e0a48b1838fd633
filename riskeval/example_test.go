package riskeval_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

func ExampleEvaluate() {
	profile, _ := riskeval.Preset("practice")
	a := riskeval.Assessment{
		Subject: riskeval.Subject{Kind: riskeval.SubjectProject, Name: "district heating plant", ResponsibleUnit: "city utilities"},
		Regime:  "ndrc2012_project",
		Factors: []riskeval.Factor{
			{ID: "F1", Area: riskeval.AreaLandExpropriation, Name: "compensation standard", Weight: decimal.RequireFromString("0.6"),
				Initial: riskeval.Estimate{Probability: 4, Impact: 4}, Residual: &riskeval.Estimate{Probability: 2, Impact: 3},
				Measures: []riskeval.Measure{{ID: "M1", Description: "raise compensation to the neighbouring county's standard", Owner: "land bureau", Due: ssra.MustDate(2027, 3, 31)}}},
			{ID: "F2", Area: riskeval.AreaEcologicalEnvironment, Name: "emissions", Weight: decimal.RequireFromString("0.4"),
				Initial: riskeval.Estimate{Probability: 3, Impact: 5}, Residual: &riskeval.Estimate{Probability: 2, Impact: 4},
				Measures: []riskeval.Measure{{ID: "M2", Description: "publish emission data in real time", Owner: "operator", Due: ssra.MustDate(2027, 12, 31)}}},
		},
	}
	res, err := riskeval.Evaluate(a, profile)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("before:", res.Initial.Index, res.Initial.Level)
	fmt.Println("after:", res.Residual.Index, res.Residual.Level)
	fmt.Println("decision:", res.Decision.Outcome)
	// Output:
	// before: 0.624 medium
	// after: 0.272 low
	// decision: approve_with_measures
}

func ExampleGate() {
	profile, _ := riskeval.Preset("practice")
	a := riskeval.Assessment{
		Regime: "ndrc2012_project",
		Status: riskeval.StatusSubmitted,
		Factors: []riskeval.Factor{{ID: "F1", Area: riskeval.AreaMediaOpinion, Name: "rumours", Weight: decimal.NewFromInt(1),
			Initial: riskeval.Estimate{Probability: 4, Impact: 4}, Residual: &riskeval.Estimate{Probability: 3, Impact: 4}}},
	}
	_, err := riskeval.Gate(a, profile)
	for _, p := range ssra.ProblemsOf(err) {
		fmt.Println(p.Code, p.Field)
	}
	// Output:
	// gate.not_issued status
	// gate.criterion_missing criteria
	// gate.criterion_missing criteria
	// gate.criterion_missing criteria
	// gate.criterion_missing criteria
	// gate.outcome decision.outcome
}
