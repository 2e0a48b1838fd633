package riskeval_test

import (
	"fmt"
	"strings"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// ExampleResult_Explain prints the steps of an evaluation that a person can
// check by hand: each factor's score and level, the index and its rounding,
// the rule that set the level and the decision.
func ExampleResult_Explain() {
	profile, _ := riskeval.Preset("practice")
	a, err := riskeval.DecodeAssessment([]byte(`{
		"subject": {"kind": "project", "name": "district heating plant", "responsible_unit": "city utilities"},
		"regime": "ndrc2012_project",
		"factors": [{
			"id": "F1", "area": "land_expropriation", "name": "compensation standard", "weight": "1",
			"initial": {"probability": 4, "impact": 4}, "residual": {"probability": 2, "impact": 3},
			"measures": [{"id": "M1", "description": "raise compensation", "owner": "land bureau", "due": "2027-03-31"}]
		}]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := riskeval.Evaluate(a, profile)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("decision:", res.Decision.Outcome)
	for _, s := range res.Explain() {
		if s.Key != "precision" && s.Key != "decision" {
			fmt.Printf("%s: %s\n", s.Key, s.Text)
		}
	}
	// Output:
	// decision: approve_with_measures
	// profile: Profile practice v1 (common practice, not a national rule).
	// weights: The 1 factor weights sum to 1 (tolerance 0 around 1).
	// factor.F1.initial: F1 before measures: probability 4 (grade 0.8) × impact 4 (grade 0.8) = score 0.64; 0.36 < score 0.64 ≤ 0.64, so level medium.
	// factor.F1.residual: F1 after measures: probability 2 (grade 0.4) × impact 3 (grade 0.6) = score 0.24; score 0.24 ≤ 0.36, so level low.
	// index.initial: Comprehensive index before measures: R = Σ wᵢ·rᵢ = 0.640000 (exact at 6 places); 0.36 < R 0.64 ≤ 0.64, so level medium.
	// counts.initial: Factor levels before measures: 0 high, 1 medium, 0 low.
	// level.initial: The level before measures is medium, set by the index thresholds; no floor rule raised it.
	// index.residual: Comprehensive index after measures: R = Σ wᵢ·rᵢ = 0.240000 (exact at 6 places); R 0.24 ≤ 0.36, so level low.
	// counts.residual: Factor levels after measures: 0 high, 0 medium, 1 low.
	// level.residual: The level after measures is low, set by the index thresholds; no floor rule raised it.
	// margin.residual: The residual index 0.24 is 0.12 below the threshold 0.36 of the low band. It is measured on the index rounded to 6 places; the smallest change of each factor that flips the level is in the sensitivity analysis.
}

// ExampleEntropyWeights weighs three indicators from four projects' data:
// complaints per 10,000 residents (lower is better) and two satisfaction
// scores (higher is better).
func ExampleEntropyWeights() {
	in, err := riskeval.DecodeEntropyInput([]byte(`{
		"data": [[12, 80, 0.61], [30, 72, 0.55], [8, 91, 0.70], [21, 85, 0.58]],
		"directions": ["cost", "benefit", "benefit"]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := riskeval.EntropyWeights(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("entropy:", res.Entropy)
	fmt.Println("weights:", res.Weights)
	// Output:
	// entropy: [0.749238 0.75076 0.649397]
	// weights: [0.294805 0.293015 0.41218]
}

// ExampleAHPHierarchy weighs four factors under two criteria and
// multiplies the local weights into global ones.
func ExampleAHPHierarchy() {
	in, err := riskeval.DecodeAHPHierarchyInput([]byte(`{
		"root": {"id": "risk", "matrix": [[1, 3], ["1/3", 1]], "children": [
			{"id": "legality", "matrix": [[1, 2], ["1/2", 1]], "children": [{"id": "approval"}, {"id": "compensation"}]},
			{"id": "controllability", "matrix": [[1, 4], ["1/4", 1]], "children": [{"id": "emergency_plan"}, {"id": "media"}]}
		]},
		"method": "eigenvector",
		"ri_table": "saaty"
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := riskeval.AHPHierarchy(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, l := range res.Leaves {
		fmt.Println(l.ID, l.Weight)
	}
	fmt.Println("consistent:", res.Consistent)
	// Output:
	// approval 0.5
	// compensation 0.25
	// emergency_plan 0.2
	// media 0.05
	// consistent: true
}

// ExampleAHPGroup aggregates three experts' judgments of the same three
// criteria by the element-wise geometric mean.
func ExampleAHPGroup() {
	in, err := riskeval.DecodeAHPGroupInput([]byte(`{
		"matrices": [
			[[1, 2, 4], ["1/2", 1, 2], ["1/4", "1/2", 1]],
			[[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]],
			[[1, 2, 3], ["1/2", 1, 1], ["1/3", 1, 1]]
		],
		"method": "geometric_mean",
		"ri_table": "saaty"
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := riskeval.AHPGroup(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("experts:", res.Experts)
	fmt.Println("aggregated:", res.Matrix)
	fmt.Println("weights:", res.Result.Weights, "CR:", res.Result.CR)
	// Output:
	// experts: 3
	// aggregated: [[1 2.289428485107 3.914867641169] [1/2.289428485107 1 1.587401051968] [1/3.914867641169 1/1.587401051968 1]]
	// weights: [0.592437 0.252434 0.155129] CR: 0.000531
}

// ExampleFuzzyMultiLevel evaluates two criteria, each from two factors'
// membership rows, and then the whole from the criteria.
func ExampleFuzzyMultiLevel() {
	in, err := riskeval.DecodeFuzzyTreeInput([]byte(`{
		"root": {"id": "overall", "children": [
			{"id": "legality", "weight": "0.6", "children": [
				{"id": "approval", "weight": "0.5", "membership": [0.6, 0.3, 0.1]},
				{"id": "compensation", "weight": "0.5", "membership": [0.2, 0.5, 0.3]}
			]},
			{"id": "controllability", "weight": "0.4", "children": [
				{"id": "emergency_plan", "weight": "0.7", "membership": [0.5, 0.4, 0.1]},
				{"id": "media", "weight": "0.3", "membership": [0.1, 0.4, 0.5]}
			]}
		]},
		"grades": ["low", "medium", "high"],
		"grade_scores": [0.2, 0.6, 1.0],
		"operator": "weighted_average"
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := riskeval.FuzzyMultiLevel(in)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, n := range res.Nodes {
		fmt.Println(n.ID, n.Result.Vector)
	}
	fmt.Println("grade:", res.Overall.Grade, "score:", res.Overall.Score)
	// Output:
	// legality [0.4 0.4 0.2]
	// controllability [0.38 0.4 0.22]
	// overall [0.392 0.4 0.208]
	// grade: medium score: 0.5264
}

// ExampleDecodeProfile loads a profile of one's own: the practice preset's
// numbers on 3-point scales, as a local rule might fix them. A profile that
// breaks a rule is refused with every problem and its field path.
func ExampleDecodeProfile() {
	const profile = `{
		"name": "county3", "version": "2026", "basis": "practice",
		"title": {"zh-CN": "县级三级量表", "en": "County three-point scales"},
		"probability": {"points": [
			{"value": 1, "label": {"zh-CN": "低", "en": "low"}, "grade": "0.3"},
			{"value": 2, "label": {"zh-CN": "中", "en": "medium"}, "grade": "0.6"},
			{"value": 3, "label": {"zh-CN": "高", "en": "high"}, "grade": "1"}]},
		"impact": {"points": [
			{"value": 1, "label": {"zh-CN": "轻", "en": "minor"}, "grade": "0.3"},
			{"value": 2, "label": {"zh-CN": "中", "en": "moderate"}, "grade": "0.6"},
			{"value": 3, "label": {"zh-CN": "重", "en": "severe"}, "grade": "1"}]},
		"factor_thresholds": {"low_max": "0.18", "medium_max": "0.6"},
		"index_thresholds": {"low_max": "0.36", "medium_max": "0.64"},
		"floor_rules": [],
		"survey": {"high_min": "0.5", "medium_min": "0.2", "basis": "practice"},
		"regimes": [{"id": "county", "label": {"zh-CN": "县级决策", "en": "county decision"}, "legal_basis": "local rule", "basis": "practice",
			"low": {"outcome": "approve", "reasons": []},
			"medium": {"outcome": "approve_with_measures", "reasons": []},
			"high": {"outcome": "reject", "reasons": []}}],
		"panel": {"min_size": 0, "large_min_size": 0, "large_investment": "0"},
		"weight_tolerance": "0"
	}`
	p, err := riskeval.DecodeProfile([]byte(profile))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(p.Name(), p.Version(), p.Basis())
	_, err = riskeval.DecodeProfile([]byte(strings.Replace(profile, `"medium_max": "0.6"`, `"medium_max": "0.1"`, 1)))
	for _, pr := range ssra.ProblemsOf(err) {
		fmt.Println(pr.Field, pr.Code)
	}
	// Output:
	// county3 2026 practice
	// factor_thresholds.medium_max profile.threshold_order
}
