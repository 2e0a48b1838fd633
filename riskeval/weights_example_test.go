package riskeval_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra/riskeval"
)

// ExampleAHP weighs the four criteria of a social stability risk assessment
// (legality, reasonableness, feasibility, controllability) from one
// expert's judgments, written as integers and fractions.
func ExampleAHP() {
	in, err := riskeval.DecodeAHPInput([]byte(`{
		"matrix": [
			[1,     2,     3,   "1/2"],
			["1/2", 1,     2,   "1/3"],
			["1/3", "1/2", 1,   "1/4"],
			[2,     3,     4,   1]
		],
		"method": "eigenvector",
		"ri_table": "saaty"
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := riskeval.AHP(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("weights:", res.Weights)
	fmt.Println("λmax:", res.LambdaMax, "CI:", res.CI, "RI:", res.RI, "CR:", res.CR)
	fmt.Println("consistent:", res.Consistent)
	// Output:
	// weights: [0.277181 0.160088 0.095435 0.467296]
	// λmax: 4.030983 CI: 0.010328 RI: 0.9 CR: 0.011476
	// consistent: true
}

// ExampleFuzzy evaluates three factors against five grades with the
// weighted-average operator and scores the result.
func ExampleFuzzy() {
	in, err := riskeval.DecodeFuzzyInput([]byte(`{
		"weights": ["0.5", "0.3", "0.2"],
		"membership": [
			[0.1, 0.3, 0.4, 0.2, 0],
			[0.2, 0.4, 0.3, 0.1, 0],
			[0,   0.2, 0.3, 0.3, 0.2]
		],
		"grades": ["low", "lower", "medium", "higher", "high"],
		"grade_scores": [0.2, 0.4, 0.6, 0.8, 1.0],
		"operator": "weighted_average"
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := riskeval.Fuzzy(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("vector:", res.Vector)
	fmt.Println("grade:", res.Grade, res.GradeIndex)
	fmt.Println("score:", res.Score)
	// Output:
	// vector: [0.11 0.31 0.35 0.19 0.04]
	// grade: medium 2
	// score: 0.548
}

// ExampleCombineWeights mixes AHP and entropy weights half and half.
func ExampleCombineWeights() {
	res, err := riskeval.CombineWeights(riskeval.CombineInput{
		Subjective: []decimal.Decimal{decimal.RequireFromString("0.6"), decimal.RequireFromString("0.4")},
		Objective:  []decimal.Decimal{decimal.RequireFromString("0.3"), decimal.RequireFromString("0.7")},
		Alpha:      decimal.RequireFromString("0.5"),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Weights)
	// Output:
	// [0.45 0.55]
}
