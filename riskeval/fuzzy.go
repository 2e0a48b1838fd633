package riskeval

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// Limits of fuzzy comprehensive evaluation, so that a request cannot ask for
// unbounded work.
const (
	// FuzzyMaxGrades is the most grades (comments) a comment set may have.
	FuzzyMaxGrades = 15
	// FuzzyMaxFactors is the most factors (membership rows) one evaluation
	// may have, and the most nodes of a multi-level tree.
	FuzzyMaxFactors = 1000
	// FuzzyMaxDepth is the deepest multi-level tree accepted (root = 0).
	FuzzyMaxDepth = 6
)

// fuzzyRowTolerance is how far from 1 a membership row may sum: 0.001,
// which admits shares written to three places (0.333 + 0.333 + 0.334 sums
// exactly, 0.333 × 3 = 0.999 is within it); fuzzyWeightTolerance is how
// far from 1 a fuzzy weight vector may sum: 0.00001, which admits weights
// written to 6 places.
var (
	fuzzyRowTolerance    = decimal.New(1, -3)
	fuzzyWeightTolerance = decimal.New(1, -5)
)

// FuzzyOperator is the composition operator M(·,·) of B = A ∘ R (模糊合成
// 算子). The set is closed; the zero value is unset, which the fuzzy
// functions read as FuzzyWeightedAverage, the default of domain.md §1.8.
type FuzzyOperator uint8

// The fuzzy operators.
const (
	// FuzzyWeightedAverage is M(·,⊕), b_j = Σ_i a_i·r_ij (加权平均型): every
	// factor contributes in proportion to its weight.
	FuzzyWeightedAverage FuzzyOperator = iota + 1
	// FuzzyMinMax is M(∧,∨), b_j = max_i min(a_i, r_ij) (主因素决定型): the
	// main factor decides.
	FuzzyMinMax
	// FuzzyProductMax is M(·,∨), b_j = max_i a_i·r_ij (主因素突出型): the
	// main factor stands out.
	FuzzyProductMax
)

var fuzzyOperators = ssra.NewEnum[FuzzyOperator]("fuzzy_operator",
	ssra.M("weighted_average", "加权平均型 M(·,⊕)", "weighted average M(·,⊕)"),
	ssra.M("min_max", "主因素决定型 M(∧,∨)", "main factor decides M(∧,∨)"),
	ssra.M("product_max", "主因素突出型 M(·,∨)", "main factor stands out M(·,∨)"),
)

// fuzzyOperatorFormulas holds each operator's formula, at index
// FuzzyOperator − 1.
var fuzzyOperatorFormulas = [...]string{
	"b_j = Σ_i a_i·r_ij (exact)",
	"b_j = max_i min(a_i, r_ij) (exact)",
	"b_j = max_i a_i·r_ij (exact)",
}

// String returns the operator's snake_case name.
func (o FuzzyOperator) String() string { return fuzzyOperators.String(o) }

// Label returns the operator's user-facing name in zh-CN and en.
func (o FuzzyOperator) Label(lang ssra.Lang) string { return fuzzyOperators.Label(o, lang) }

// Valid reports whether o is one of the defined operators (not unset).
func (o FuzzyOperator) Valid() bool { return fuzzyOperators.Valid(o) }

// MarshalText encodes the operator as its name; unset is an error.
func (o FuzzyOperator) MarshalText() ([]byte, error) { return fuzzyOperators.MarshalText(o) }

// UnmarshalText decodes "weighted_average", "min_max" or "product_max" and
// rejects other text.
func (o *FuzzyOperator) UnmarshalText(b []byte) error {
	if err := fuzzyOperators.UnmarshalText(o, b); err != nil {
		return fmt.Errorf("riskeval: unknown fuzzy operator %q (want weighted_average, min_max or product_max)", b)
	}
	return nil
}

// orDefault returns o, or FuzzyWeightedAverage when o is unset.
func (o FuzzyOperator) orDefault() FuzzyOperator {
	if o == 0 {
		return FuzzyWeightedAverage
	}
	return o
}

// FuzzyInput is the input of Fuzzy (one-level fuzzy comprehensive
// evaluation): the comment set V of grades (评语集), listed from the lowest
// to the highest risk (or from best to worst: the order decides ties); the
// membership matrix R (隶属度矩阵), one row per factor and one column per
// grade, each row the shares of experts or respondents choosing each grade
// (rows sum to 1); the factor weights A; optional grade scores s for the
// score B·s; and the operator (unset: weighted average). Its JSON names
// match the REST request.
type FuzzyInput struct {
	Weights     []decimal.Decimal   `json:"weights"`
	Membership  [][]decimal.Decimal `json:"membership"`
	Grades      []string            `json:"grades"`
	GradeScores []decimal.Decimal   `json:"grade_scores,omitempty"`
	Operator    FuzzyOperator       `json:"operator,omitzero"`
}

// FuzzyResult is the outcome of a fuzzy comprehensive evaluation. Its JSON
// names match the REST response (vector, grade, grade_index, score).
type FuzzyResult struct {
	Operator FuzzyOperator `json:"operator"`
	// Raw is B = A ∘ R before normalisation, rounded half-up to
	// ssra.WeightScale places for display; normalisation and the grade use
	// the exact values.
	Raw []decimal.Decimal `json:"raw"`
	// Vector is B normalised to sum to 1, rounded half-up to
	// ssra.WeightScale places and adjusted by the largest remainder to sum
	// to exactly 1.
	Vector []decimal.Decimal `json:"vector"`
	// Grade and GradeIndex are the maximum-membership grade (最大隶属度原则).
	Grade      string `json:"grade"`
	GradeIndex int    `json:"grade_index"`
	// Tied lists every grade index that shares the maximum when there is a
	// tie; GradeIndex is then the lowest of them.
	Tied []int `json:"tied,omitempty"`
	// Score is B·s with the grade scores, when they were given, computed
	// once from the unrounded B as Σ_j b_j·s_j / Σ_j b_j (exact sums, one
	// division) and rounded half-up to ssra.IndexScale places (domain.md
	// §1.10: round once, at the edge). It is not recomputed from the
	// rounded, adjusted Vector, which can differ in the last place.
	Score *decimal.Decimal `json:"score,omitempty"`
	// Warnings holds advisory findings, such as a tie for the maximum.
	Warnings    ssra.Problems `json:"warnings,omitempty"`
	Explanation Explanation   `json:"explanation"`
}

// Fuzzy performs a one-level fuzzy comprehensive evaluation (模糊综合评价,
// domain.md §1.8): B = A ∘ R with the chosen operator (exact in decimal), B
// normalised by its sum, rounded half-up to ssra.WeightScale places and
// adjusted to sum to exactly 1, the maximum-membership grade taken on the
// exact B (a tie goes to the lowest index, that is the first grade listed,
// and is reported in Tied and as a "fuzzy.grade.tie" warning), and the score
// B·s when grade scores are given. Invalid input returns an *ssra.Error of
// KindInvalid listing every problem.
func Fuzzy(in FuzzyInput) (FuzzyResult, error) {
	const op = "riskeval.Fuzzy"
	in.Operator = in.Operator.orDefault()
	ps := fuzzyCheckCommon(in.Grades, in.GradeScores, in.Operator)
	k := len(in.Grades)
	switch {
	case len(in.Weights) == 0:
		ps.Add("fuzzy.weights.empty", "weights", "at least one factor weight is required")
	case len(in.Weights) > FuzzyMaxFactors:
		ps.Add("fuzzy.weights.too_many", "weights", "at most %d factors are accepted, got %d", FuzzyMaxFactors, len(in.Weights))
	default:
		checkWeightVector(&ps, "weights", "fuzzy.weights", in.Weights, fuzzyWeightTolerance)
		if len(in.Membership) != len(in.Weights) {
			ps.Add("fuzzy.membership.rows", "membership", "%d membership rows for %d weights: need one row per factor", len(in.Membership), len(in.Weights))
		}
		for i, row := range in.Membership {
			if i >= FuzzyMaxFactors {
				break
			}
			fuzzyCheckRow(&ps, row, k, ssra.Index("membership", i))
		}
	}
	if err := ps.Err(op); err != nil {
		return FuzzyResult{}, err
	}
	res, _, err := fuzzyCompose(in.Weights, in.Membership, in.Grades, in.GradeScores, in.Operator, "")
	if err != nil {
		return FuzzyResult{}, ssra.Wrap(ssra.KindInternal, op, err, "fuzzy composition failed")
	}
	return res, nil
}

// fuzzyCheckCommon validates grades, grade scores and the operator.
func fuzzyCheckCommon(grades []string, scores []decimal.Decimal, o FuzzyOperator) ssra.Problems {
	var ps ssra.Problems
	if !o.Valid() {
		ps.Add("fuzzy.operator.unknown", "operator", "unknown operator %d (want weighted_average, min_max or product_max)", o)
	}
	switch k := len(grades); {
	case k == 0:
		ps.Add("fuzzy.grades.empty", "grades", "the comment set needs at least one grade")
	case k > FuzzyMaxGrades:
		ps.Add("fuzzy.grades.too_many", "grades", "at most %d grades are accepted, got %d", FuzzyMaxGrades, k)
	default:
		seen := map[string]int{}
		for i, g := range grades {
			p := ssra.Index("grades", i)
			if strings.TrimSpace(g) == "" {
				ps.Add("fuzzy.grade.blank", p, "grade %d has no name", i)
				continue
			}
			if len(g) > 200 {
				ps.Add("fuzzy.grade.too_long", p, "grade name is longer than 200 bytes")
				continue
			}
			if j, ok := seen[g]; ok {
				ps.Add("fuzzy.grade.duplicate", p, "grade %q repeats grade %d", g, j)
			}
			seen[g] = i
		}
	}
	if scores != nil {
		if len(scores) != len(grades) {
			ps.Add("fuzzy.grade_scores.count", "grade_scores", "%d grade scores for %d grades", len(scores), len(grades))
		}
		for i, s := range scores {
			if err := ssra.CheckDecimal(s); err != nil {
				ps.Add("fuzzy.grade_score.out_of_range", ssra.Index("grade_scores", i), "%s", ssra.Reason(err))
			}
		}
	}
	return ps
}

// fuzzyCheckRow validates one membership row of k grades at path.
func fuzzyCheckRow(ps *ssra.Problems, row []decimal.Decimal, k int, path string) {
	if len(row) != k {
		ps.Add("fuzzy.membership.columns", path, "the row has %d memberships for %d grades", len(row), k)
		return
	}
	ok := true
	sum := decimal.Zero
	for j, r := range row {
		p := ssra.Index(path, j)
		if err := ssra.CheckDecimal(r); err != nil {
			ps.Add("fuzzy.membership.out_of_range", p, "%s", ssra.Reason(err))
			ok = false
			continue
		}
		if r.Sign() < 0 || r.GreaterThan(decOne) {
			ps.Add("fuzzy.membership.out_of_range", p, "membership %s is outside [0, 1]", r)
			ok = false
			continue
		}
		sum = sum.Add(r)
	}
	if ok && sum.Sub(decOne).Abs().Cmp(fuzzyRowTolerance) > 0 {
		ps.Add("fuzzy.membership.row_sum", path, "the memberships sum to %s, not 1 (tolerance %s)", sum, fuzzyRowTolerance)
	}
}

// fuzzyWorkScale is the number of decimal places of the working
// (unrounded) normalised vector b_j / Σ b that an inner node of a
// multi-level tree passes to its parent: far below the output scale, so
// that the one rounding at the edge decides every reported place.
const fuzzyWorkScale int32 = 24

// fuzzyCompose computes B = A ∘ R on validated input. name, when not
// empty, labels the explanation steps of a node in a multi-level tree.
// Besides the result it returns the working vector: B normalised at
// fuzzyWorkScale places, not rounded to the output scale nor adjusted,
// which a parent node composes with.
func fuzzyCompose(a []decimal.Decimal, r [][]decimal.Decimal, grades []string, scores []decimal.Decimal, o FuzzyOperator, name string) (FuzzyResult, []decimal.Decimal, error) {
	res := FuzzyResult{Operator: o}
	e := &res.Explanation
	who := ""
	if name != "" {
		who = name + ": "
	}
	k := len(grades)
	e.Addf("fuzzy.input", "%s%d factor(s) with weights A = %s over %d grades (%s); operator %s, %s.", who, len(a), joinDec(a), k, strings.Join(grades, ", "), o, fuzzyOperatorFormulas[o-1])
	b := make([]decimal.Decimal, k)
	for j := 0; j < k; j++ {
		acc := decimal.Zero
		for i := range a {
			switch o {
			case FuzzyMinMax:
				acc = decimal.Max(acc, decimal.Min(a[i], r[i][j]))
			case FuzzyProductMax:
				acc = decimal.Max(acc, a[i].Mul(r[i][j]))
			default:
				acc = acc.Add(a[i].Mul(r[i][j]))
			}
		}
		b[j] = acc
	}
	sum := decimal.Zero
	for _, x := range b {
		sum = sum.Add(x)
		res.Raw = append(res.Raw, ssra.RoundHalfUp(x, ssra.WeightScale))
	}
	e.Addf("fuzzy.raw", "%sB = A ∘ R = %s exactly, sum %s (shown rounded half-up to %d places: %s).", who, joinDec(b), sum, ssra.WeightScale, joinDec(res.Raw))
	if sum.Sign() <= 0 {
		return FuzzyResult{}, nil, fmt.Errorf("%sB is zero for every grade: no factor with a positive weight has any membership", who)
	}
	v, err := roundWeights(b, "fuzzy.vector.round", who+"Membership vector", e)
	if err != nil {
		return FuzzyResult{}, nil, err
	}
	res.Vector = v
	work := make([]decimal.Decimal, k)
	for j, x := range b {
		work[j] = x.DivRound(sum, fuzzyWorkScale)
	}
	best := 0
	for j := 1; j < k; j++ {
		if b[j].GreaterThan(b[best]) {
			best = j
		}
	}
	for j := 0; j < k; j++ {
		if b[j].Equal(b[best]) {
			res.Tied = append(res.Tied, j)
		}
	}
	res.Grade, res.GradeIndex = grades[best], best
	if len(res.Tied) > 1 {
		names := make([]string, len(res.Tied))
		for i, j := range res.Tied {
			names[i] = grades[j]
		}
		e.Addf("fuzzy.grade", "%sMaximum membership %s is shared by grades %s; the tie goes to the lowest index, the first grade listed: %q (index %d).", who, b[best], strings.Join(names, ", "), res.Grade, best)
		res.Warnings.Warn("fuzzy.grade.tie", "", "%sgrades %s tie at the maximum membership; %q (the first listed) was chosen", who, strings.Join(names, ", "), res.Grade)
	} else {
		res.Tied = nil
		e.Addf("fuzzy.grade", "%sMaximum membership principle: the largest b_j is %s at grade %q (index %d).", who, b[best], res.Grade, best)
	}
	if scores != nil {
		num := decimal.Zero
		terms := make([]string, k)
		for j := range b {
			num = num.Add(b[j].Mul(scores[j]))
			terms[j] = b[j].String() + "×" + scores[j].String()
		}
		rs := num.DivRound(sum, ssra.IndexScale)
		res.Score = &rs
		e.Addf("fuzzy.score", "%sScore B·s = Σ b_j·s_j / Σ b_j = (%s) / %s = %s / %s from the unrounded B (not from the rounded, adjusted vector shown above), divided once and rounded half-up to %d places: %s.", who, strings.Join(terms, " + "), sum, num, sum, ssra.IndexScale, fixedString(rs, ssra.IndexScale))
	}
	return res, work, nil
}

// DecodeFuzzyInput decodes a FuzzyInput strictly (unknown fields and
// trailing data are errors) and returns an *ssra.Error of KindInvalid.
func DecodeFuzzyInput(data []byte) (FuzzyInput, error) {
	var in FuzzyInput
	if err := strictjson.Decode(data, &in, "riskeval.DecodeFuzzyInput"); err != nil {
		return FuzzyInput{}, err
	}
	return in, nil
}
