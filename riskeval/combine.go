package riskeval

import (
	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// combineTolerance is how far from 1 the sum of each input weight vector
// of CombineWeights may be: 0.00001, which admits weights written to 6
// places (three times 0.333333) and nothing coarser.
var combineTolerance = decimal.New(1, -5)

// CombineInput is the input of CombineWeights: a subjective weight vector
// (for example from AHP), an objective one (for example from
// EntropyWeights) over the same indicators, and the share α of the
// subjective vector, 0 ≤ α ≤ 1.
type CombineInput struct {
	Subjective []decimal.Decimal `json:"subjective"`
	Objective  []decimal.Decimal `json:"objective"`
	Alpha      decimal.Decimal   `json:"alpha"`
}

// CombineResult is the outcome of CombineWeights.
type CombineResult struct {
	Alpha decimal.Decimal `json:"alpha"`
	// Exact holds α·s_j + (1 − α)·o_j, exact in decimal (before the
	// normalisation that applies when the inputs do not sum to exactly 1).
	Exact []decimal.Decimal `json:"exact"`
	// Weights holds the combined weights, rounded half-up to
	// ssra.WeightScale places and adjusted to sum to exactly 1.
	Weights     []decimal.Decimal `json:"weights"`
	Explanation Explanation       `json:"explanation"`
}

// CombineWeights combines subjective and objective weights linearly
// (组合赋权, domain.md §1.7): w_j = α·s_j + (1 − α)·o_j, exact in decimal,
// then rounded half-up to ssra.WeightScale places and adjusted by the
// largest remainder to sum to exactly 1 (normalising first by the sum when
// the inputs, within 0.00001, do not sum to exactly 1). Both
// vectors must have the same non-zero length, non-negative entries and sums
// within the tolerance of 1.
func CombineWeights(in CombineInput) (CombineResult, error) {
	const op = "riskeval.CombineWeights"
	var ps ssra.Problems
	if len(in.Subjective) == 0 {
		ps.Add("combine.subjective.empty", "subjective", "the subjective weights are required")
	}
	if len(in.Subjective) != len(in.Objective) {
		ps.Add("combine.length_mismatch", "objective", "%d objective weights for %d subjective ones", len(in.Objective), len(in.Subjective))
	}
	checkWeightVector(&ps, "subjective", "combine.subjective", in.Subjective, combineTolerance)
	checkWeightVector(&ps, "objective", "combine.objective", in.Objective, combineTolerance)
	if err := ssra.CheckDecimal(in.Alpha); err != nil {
		ps.Add("combine.alpha.out_of_range", "alpha", "%s", ssra.Reason(err))
	} else if in.Alpha.Sign() < 0 || in.Alpha.GreaterThan(decOne) {
		ps.Add("combine.alpha.out_of_range", "alpha", "α = %s is outside [0, 1]", in.Alpha)
	}
	if err := ps.Err(op); err != nil {
		return CombineResult{}, err
	}
	res := CombineResult{Alpha: in.Alpha}
	e := &res.Explanation
	beta := decOne.Sub(in.Alpha)
	e.Addf("combine.formula", "w_j = α·s_j + (1 − α)·o_j with α = %s, 1 − α = %s; subjective s = %s, objective o = %s.", in.Alpha, beta, joinDec(in.Subjective), joinDec(in.Objective))
	sum := decimal.Zero
	for j := range in.Subjective {
		w := in.Alpha.Mul(in.Subjective[j]).Add(beta.Mul(in.Objective[j]))
		res.Exact = append(res.Exact, w)
		sum = sum.Add(w)
	}
	if sum.Equal(decOne) {
		e.Addf("combine.exact", "Exact combined weights: %s (sum exactly 1).", joinDec(res.Exact))
	} else {
		e.Addf("combine.exact", "Exact combined weights: %s; they sum to %s because the inputs were only within the tolerance %s of 1.", joinDec(res.Exact), sum, combineTolerance)
	}
	w, err := roundWeights(res.Exact, "combine.round", "Combined weights", e)
	if err != nil {
		return CombineResult{}, ssra.Wrap(ssra.KindInternal, op, err, "rounding combined weights failed")
	}
	res.Weights = w
	return res, nil
}
