package riskeval

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// AHPMaxOrder is the largest pairwise matrix AHP accepts: both RI tables
// (domain.md §1.7) end at n = 15.
const AHPMaxOrder = 15

// Power iteration parameters of the eigenvector method. The iteration stops
// when no component of the normalised vector changes by more than
// ahpEigenTolerance, or fails after ahpEigenMaxIterations.
const (
	// ahpEigenTolerance is the stopping tolerance of the power iteration.
	ahpEigenTolerance = 1e-13
	// ahpEigenMaxIterations caps the power iteration.
	ahpEigenMaxIterations = 1000
	// ahpLambdaEpsilon is the distance |λmax − n| below which the float64
	// λmax is taken as n exactly: mathematically λmax ≥ n for every positive
	// reciprocal matrix, with equality exactly for consistent ones, so a
	// smaller difference (or any value below n) is binary rounding noise.
	ahpLambdaEpsilon = 1e-9
)

// AHPMethod is how priorities are derived from a pairwise matrix. The set is
// closed; the zero value is unset, which the AHP functions read as
// AHPEigenvector, the method of the literature when none is named.
type AHPMethod uint8

// The AHP methods.
const (
	// AHPEigenvector is Saaty's normalised principal right eigenvector
	// (特征向量法).
	AHPEigenvector AHPMethod = iota + 1
	// AHPGeometricMean is the normalised geometric mean of each row
	// (几何平均法, also called the row geometric mean or LLSM method).
	AHPGeometricMean
)

var ahpMethods = ssra.NewEnum[AHPMethod]("ahp_method",
	ssra.M("eigenvector", "特征向量法", "principal eigenvector"),
	ssra.M("geometric_mean", "几何平均法", "geometric mean"),
)

// String returns the method's snake_case name.
func (m AHPMethod) String() string { return ahpMethods.String(m) }

// Label returns the method's user-facing name in zh-CN and en.
func (m AHPMethod) Label(lang ssra.Lang) string { return ahpMethods.Label(m, lang) }

// Valid reports whether m is one of the defined methods (not unset).
func (m AHPMethod) Valid() bool { return ahpMethods.Valid(m) }

// MarshalText encodes the method as its name; unset is an error.
func (m AHPMethod) MarshalText() ([]byte, error) { return ahpMethods.MarshalText(m) }

// UnmarshalText decodes "eigenvector" or "geometric_mean" and rejects other text.
func (m *AHPMethod) UnmarshalText(b []byte) error {
	if err := ahpMethods.UnmarshalText(m, b); err != nil {
		return fmt.Errorf("riskeval: unknown AHP method %q (want eigenvector or geometric_mean)", b)
	}
	return nil
}

// RITable is a table of random consistency indices RI(n) (平均随机一致性指标).
// The set is closed; the zero value is unset, which the AHP functions read
// as RITableSaaty, the table of the literature when none is named.
type RITable uint8

// The RI tables of domain.md §1.7.
const (
	// RITableSaaty is Saaty's table for n = 1..15.
	RITableSaaty RITable = iota + 1
	// RITableCNTextbook is the variant printed in Chinese textbooks.
	RITableCNTextbook
)

var riTables = ssra.NewEnum[RITable]("ri_table",
	ssra.M("saaty", "Saaty 随机一致性指标表", "Saaty's random index table"),
	ssra.M("cn_textbook", "国内教材随机一致性指标表", "Chinese textbook random index table"),
)

// riValues holds each table's RI(1..15), at index RITable − 1.
var riValues = [...][AHPMaxOrder]decimal.Decimal{
	decs("0", "0", "0.58", "0.90", "1.12", "1.24", "1.32", "1.41", "1.45", "1.49", "1.51", "1.48", "1.56", "1.57", "1.59"),
	decs("0", "0", "0.52", "0.89", "1.12", "1.26", "1.36", "1.41", "1.46", "1.49", "1.52", "1.54", "1.56", "1.58", "1.59"),
}

func decs(ss ...string) (out [AHPMaxOrder]decimal.Decimal) {
	for i, s := range ss {
		out[i] = decimal.RequireFromString(s)
	}
	return out
}

// String returns the table's snake_case name.
func (t RITable) String() string { return riTables.String(t) }

// Label returns the table's user-facing name in zh-CN and en.
func (t RITable) Label(lang ssra.Lang) string { return riTables.Label(t, lang) }

// Valid reports whether t is one of the defined tables (not unset).
func (t RITable) Valid() bool { return riTables.Valid(t) }

// MarshalText encodes the table as its name; unset is an error.
func (t RITable) MarshalText() ([]byte, error) { return riTables.MarshalText(t) }

// UnmarshalText decodes "saaty" or "cn_textbook" and rejects other text.
func (t *RITable) UnmarshalText(b []byte) error {
	if err := riTables.UnmarshalText(t, b); err != nil {
		return fmt.Errorf("riskeval: unknown RI table %q (want saaty or cn_textbook)", b)
	}
	return nil
}

// RI returns the random index for a matrix of order n (1..AHPMaxOrder). It
// reports false for an unknown table or an order outside the table.
func (t RITable) RI(n int) (decimal.Decimal, bool) {
	if !t.Valid() || n < 1 || n > AHPMaxOrder {
		return decimal.Zero, false
	}
	return riValues[t-1][n-1], true
}

// PairwiseMatrix is an AHP judgment matrix (判断矩阵): cell [i][j] says how
// many times element i is more important than element j on Saaty's 1–9
// scale. Judgments are exact rationals: integers, decimals such as 2.5, or
// fractions such as "1/3". In JSON it is an array of rows whose cells are
// numbers or strings ("1/3"); decoding reports every bad cell with its path.
type PairwiseMatrix [][]ssra.Fraction

// Validate checks the matrix and returns every problem at once, with field
// paths rooted at "matrix" (for example "matrix[1][2]"): shape (square,
// 1 ≤ n ≤ AHPMaxOrder), each judgment within the decimal limits, positive
// and within Saaty's range 1/9..9, the diagonal equal to 1, and reciprocity
// a_ji = 1/a_ij checked exactly as rationals.
func (m PairwiseMatrix) Validate() ssra.Problems { return m.validate("matrix") }

var (
	ratNine    = big.NewRat(9, 1)
	ratNinth   = big.NewRat(1, 9)
	ratOne     = big.NewRat(1, 1)
	maxCellLen = 64
)

func (m PairwiseMatrix) validate(path string) ssra.Problems {
	var ps ssra.Problems
	n := len(m)
	switch {
	case n == 0:
		ps.Add("ahp.matrix.empty", path, "the pairwise matrix has no rows (need 1 to %d)", AHPMaxOrder)
		return ps
	case n > AHPMaxOrder:
		ps.Add("ahp.matrix.too_large", path, "the pairwise matrix has %d rows; the RI tables end at n = %d", n, AHPMaxOrder)
		return ps
	}
	square := true
	for i, row := range m {
		if len(row) != n {
			ps.Add("ahp.matrix.not_square", ssra.Index(path, i), "row %d has %d cells; a %d×%d matrix needs %d", i, len(row), n, n, n)
			square = false
		}
	}
	if !square {
		return ps
	}
	type cell struct {
		ok    bool
		small bool
		n, d  int64
		rat   *big.Rat
	}
	cells := make([]cell, n*n)
	for i, row := range m {
		for j, c := range row {
			if !c.Valid() {
				ps.Add("ahp.cell.missing", cellPath(path, i, j), "missing judgment or zero denominator")
				continue
			}
			num, den, small := smallFrac(c)
			// A small fraction is within the decimal limits by construction.
			if !small {
				if err := ssra.CheckDecimal(c.Num); err != nil {
					ps.Add("ahp.cell.out_of_range", cellPath(path, i, j), "numerator: %s", ssra.Reason(err))
					continue
				}
				if err := ssra.CheckDecimal(c.Den); err != nil {
					ps.Add("ahp.cell.out_of_range", cellPath(path, i, j), "denominator: %s", ssra.Reason(err))
					continue
				}
			}
			if c.Sign() <= 0 {
				ps.Add("ahp.cell.not_positive", cellPath(path, i, j), "judgment %s is not positive", c)
				continue
			}
			var x cell
			var belowNinth, aboveNine, notOne bool
			if small {
				x = cell{ok: true, small: true, n: num, d: den}
				belowNinth, aboveNine, notOne = 9*num < den, num > 9*den, num != den
			} else {
				r := c.Rat()
				x = cell{ok: true, rat: r}
				belowNinth, aboveNine, notOne = r.Cmp(ratNinth) < 0, r.Cmp(ratNine) > 0, r.Cmp(ratOne) != 0
			}
			if belowNinth || aboveNine {
				ps.Add("ahp.cell.out_of_scale", cellPath(path, i, j), "judgment %s is outside Saaty's scale 1/9..9", c)
				continue
			}
			if i == j && notOne {
				ps.Add("ahp.diagonal.not_one", cellPath(path, i, j), "diagonal judgment is %s; an element compared with itself is 1", c)
				continue
			}
			cells[i*n+j] = x
		}
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			a, b := cells[i*n+j], cells[j*n+i]
			if !a.ok || !b.ok {
				continue
			}
			var reciprocal bool
			if a.small && b.small {
				reciprocal = a.n*b.n == a.d*b.d
			} else {
				reciprocal = new(big.Rat).Mul(m[i][j].Rat(), m[j][i].Rat()).Cmp(ratOne) == 0
			}
			if !reciprocal {
				ps.Add("ahp.cell.not_reciprocal", ssra.Index(ssra.Index(path, j), i),
					"judgment %s is not the reciprocal of %s at %s (a_ji must be 1/a_ij)",
					m[j][i], m[i][j], ssra.Index(ssra.Index(path, i), j))
			}
		}
	}
	return ps
}

// cellPath returns path[i][j].
func cellPath(path string, i, j int) string {
	return path + "[" + strconv.Itoa(i) + "][" + strconv.Itoa(j) + "]"
}

// UnmarshalJSON decodes an array of rows of numbers or strings ("3", "1/3",
// "2.5"), reporting every cell that does not parse as an *ssra.Error of
// KindInvalid with paths rooted at "matrix".
func (m *PairwiseMatrix) UnmarshalJSON(b []byte) error {
	v, ps := decodePairwise(b, "matrix")
	if err := ps.Err("riskeval.PairwiseMatrix"); err != nil {
		return err
	}
	*m = v
	return nil
}

func decodePairwise(b []byte, path string) (PairwiseMatrix, ssra.Problems) {
	var ps ssra.Problems
	var rows []json.RawMessage
	if err := json.Unmarshal(b, &rows); err != nil {
		ps.Add("ahp.matrix.type", path, "the matrix must be a JSON array of rows")
		return nil, ps
	}
	if len(rows) > AHPMaxOrder {
		ps.Add("ahp.matrix.too_large", path, "the pairwise matrix has %d rows; the RI tables end at n = %d", len(rows), AHPMaxOrder)
		return nil, ps
	}
	m := make(PairwiseMatrix, len(rows))
	for i, raw := range rows {
		rp := ssra.Index(path, i)
		var cells []json.RawMessage
		if err := json.Unmarshal(raw, &cells); err != nil || cells == nil {
			ps.Add("ahp.matrix.type", rp, "each row must be a JSON array of judgments")
			continue
		}
		if len(cells) > AHPMaxOrder {
			ps.Add("ahp.matrix.not_square", rp, "row %d has %d cells; at most %d are allowed", i, len(cells), AHPMaxOrder)
			continue
		}
		m[i] = make([]ssra.Fraction, len(cells))
		for j, c := range cells {
			cp := ssra.Index(rp, j)
			if len(c) > maxCellLen {
				ps.Add("ahp.cell.syntax", cp, "judgment is too long")
				continue
			}
			var f ssra.Fraction
			if err := f.UnmarshalJSON(c); err != nil {
				ps.Add("ahp.cell.syntax", cp, "judgment %s: %v (want a number, or a string such as \"3\" or \"1/3\")", strings.TrimSpace(string(c)), err)
				continue
			}
			m[i][j] = f
		}
	}
	return m, ps
}

// AHPInput is the input of AHP: a pairwise matrix, the method and the RI
// table. Its JSON form is {"matrix": [[1, 3], ["1/3", 1]], "method":
// "eigenvector", "ri_table": "saaty"}; an omitted method or table is unset,
// which AHP reads as eigenvector and saaty (the literature's defaults, so
// that a matrix alone is a complete question), and the result records
// which was used.
type AHPInput struct {
	Matrix  PairwiseMatrix `json:"matrix"`
	Method  AHPMethod      `json:"method,omitzero"`
	RITable RITable        `json:"ri_table,omitzero"`
}

// DecodeAHPInput decodes an AHPInput strictly (unknown fields, trailing data
// and malformed judgments are errors) and returns an *ssra.Error of
// KindInvalid naming every bad field.
func DecodeAHPInput(data []byte) (AHPInput, error) {
	const op = "riskeval.DecodeAHPInput"
	var raw struct {
		Matrix  json.RawMessage `json:"matrix"`
		Method  *AHPMethod      `json:"method"`
		RITable *RITable        `json:"ri_table"`
	}
	if err := strictjson.Decode(data, &raw, op); err != nil {
		return AHPInput{}, err
	}
	var in AHPInput
	var ps ssra.Problems
	if raw.Matrix == nil {
		ps.Add("ahp.matrix.missing", "matrix", "the pairwise matrix is required")
	} else {
		m, mps := decodePairwise(raw.Matrix, "matrix")
		ps = append(ps, mps...)
		in.Matrix = m
	}
	if raw.Method != nil {
		in.Method = *raw.Method
	}
	if raw.RITable != nil {
		in.RITable = *raw.RITable
	}
	if err := ps.Err(op); err != nil {
		return AHPInput{}, err
	}
	return in, nil
}

// AHPResult is the outcome of AHP (层次分析法) for one pairwise matrix. Its
// JSON names match the REST response: weights, lambda_max, ci, cr, ri,
// consistent, method; decimals are JSON strings.
type AHPResult struct {
	// N is the order of the matrix.
	N int `json:"n"`
	// Method is the method that derived the weights.
	Method AHPMethod `json:"method"`
	// RITable is the table RI was read from.
	RITable RITable `json:"ri_table"`
	// Weights are the priorities, rounded half-up to ssra.WeightScale places
	// and adjusted by the largest remainder to sum to exactly 1.
	Weights []decimal.Decimal `json:"weights"`
	// LambdaMax is the principal eigenvalue estimate λmax (最大特征根),
	// rounded half-up to ssra.IndexScale places.
	LambdaMax decimal.Decimal `json:"lambda_max"`
	// CI is the consistency index (一致性指标) (λmax − n)/(n − 1) computed
	// from the rounded λmax, rounded half-up to ssra.IndexScale places.
	CI decimal.Decimal `json:"ci"`
	// RI is the random index RI(n) from the table.
	RI decimal.Decimal `json:"ri"`
	// CR is the consistency ratio (一致性比率) CI/RI, rounded half-up to
	// ssra.IndexScale places; 0 when n ≤ 2.
	CR decimal.Decimal `json:"cr"`
	// Consistent reports CR < 0.10 (always true for n ≤ 2).
	Consistent bool `json:"consistent"`
	// Iterations is the number of power iterations (eigenvector method only).
	Iterations int `json:"iterations,omitempty"`
	// Warnings holds advisory findings, such as an inconsistent matrix.
	Warnings ssra.Problems `json:"warnings,omitempty"`
	// Explanation lists every step and rounding.
	Explanation Explanation `json:"explanation"`
}

// AHPConsistencyLimit is the consistency ratio below which a matrix is
// accepted as consistent: CR < 0.10.
func AHPConsistencyLimit() decimal.Decimal { return ahpCRLimit }

var ahpCRLimit = decimal.New(10, -2)

// AHP derives priorities from a pairwise matrix (层次分析法, domain.md §1.7):
// weights by the principal eigenvector (power iteration in float64) or the
// row geometric mean, λmax = (1/n)·Σ(A·w)_i/w_i, CI = (λmax − n)/(n − 1),
// CR = CI/RI(n), consistent when CR < 0.10 and always when n ≤ 2. Outputs
// are rounded half-up as domain.md §1.10 prescribes and the explanation
// states every rounding. An inconsistent matrix is not an error: the result
// says Consistent false and carries an "ahp.inconsistent" warning. Invalid
// input returns an *ssra.Error of KindInvalid listing every problem.
func AHP(in AHPInput) (AHPResult, error) {
	const op = "riskeval.AHP"
	method, table, ps := ahpOptions(in.Method, in.RITable)
	ps = append(ps, in.Matrix.validate("matrix")...)
	if err := ps.Err(op); err != nil {
		return AHPResult{}, err
	}
	res, _, err := ahpCompute(in.Matrix, method, table, "matrix")
	if err != nil {
		return AHPResult{}, ssra.Wrap(ssra.KindInternal, op, err, "AHP computation failed")
	}
	return res, nil
}

// ahpOptions returns the method and table an AHP function uses: unset
// reads as AHPEigenvector and RITableSaaty; a value outside either set is
// a problem.
func ahpOptions(m AHPMethod, t RITable) (AHPMethod, RITable, ssra.Problems) {
	if m == 0 {
		m = AHPEigenvector
	}
	if t == 0 {
		t = RITableSaaty
	}
	var ps ssra.Problems
	if !m.Valid() {
		ps.Add("ahp.method.unknown", "method", "unknown AHP method %d (want eigenvector or geometric_mean)", m)
	}
	if !t.Valid() {
		ps.Add("ahp.ri_table.unknown", "ri_table", "unknown RI table %d (want saaty or cn_textbook)", t)
	}
	return m, t, ps
}

// ahpCompute runs AHP on a matrix that passed validation. Besides the
// result it returns the working weights: the unrounded weights (float64 cut
// to weightsWorkScale places) divided by their sum at normaliseScale
// places, which a hierarchy multiplies before its one rounding.
func ahpCompute(m PairwiseMatrix, method AHPMethod, table RITable, path string) (AHPResult, []decimal.Decimal, error) {
	n := len(m)
	res := AHPResult{N: n, Method: method, RITable: table}
	e := &res.Explanation
	e.Addf("ahp.input", "Pairwise matrix at %s, of order n = %d; method %s (%s); RI table %s.", path, n, method, method.Label(ssra.LangEN), table)
	a := make([][]float64, n)
	for i, row := range m {
		a[i] = make([]float64, n)
		cells := make([]string, n)
		for j, c := range row {
			a[i][j] = fracFloat(c)
			cells[j] = c.String()
		}
		e.Addf("ahp.matrix.row", "Row %d: %s.", i, strings.Join(cells, ", "))
	}

	var w []float64
	switch method {
	case AHPGeometricMean:
		w = ahpGeometricMean(a)
		e.Addf("ahp.weights.method", "Geometric mean method in float64: w_i = (Π_j a_ij)^(1/n) computed as exp of the mean of ln a_ij, then normalised to sum to 1.")
	default:
		var it int
		var err error
		w, it, err = ahpEigenvector(a)
		if err != nil {
			return AHPResult{}, nil, err
		}
		res.Iterations = it
		e.Addf("ahp.weights.method", "Principal eigenvector by power iteration in float64, starting from the normalised row geometric means; w ← A·w / Σ(A·w) until no component changes by more than %g (cap %d iterations); stopped after %d iteration(s).", ahpEigenTolerance, ahpEigenMaxIterations, it)
	}
	raw := make([]decimal.Decimal, n)
	for i, x := range w {
		raw[i] = floatDec(x)
	}
	e.Addf("ahp.weights.raw", "Unrounded weights (float64 cut half-up to %d places): %s.", weightsWorkScale, joinDec(raw))
	weights, err := roundWeights(raw, "ahp.weights.round", "Weights", e)
	if err != nil {
		return AHPResult{}, nil, err
	}
	res.Weights = weights
	work := raw
	if rs := sumDec(raw); !rs.Equal(decOne) {
		work = normalise(raw, rs)
	}

	// λmax from the unrounded float weights.
	lam := 0.0
	for i := 0; i < n; i++ {
		s := 0.0
		for j := 0; j < n; j++ {
			s += a[i][j] * w[j]
		}
		lam += s / w[i]
	}
	lam /= float64(n)
	if !finite(lam) {
		return AHPResult{}, nil, fmt.Errorf("λmax is not finite")
	}
	nd := decimal.NewFromInt(int64(n))
	var lamDec decimal.Decimal
	if math.Abs(lam-float64(n)) < ahpLambdaEpsilon || lam < float64(n) {
		lamDec = nd
		e.Addf("ahp.lambda_max", "λmax = (1/n)·Σ_i (A·w)_i / w_i = %.15g in float64 (from the unrounded weights); it is within %g of n = %d (or below n, which a positive reciprocal matrix cannot be), which is binary rounding noise, so λmax is taken as exactly %s.", lam, ahpLambdaEpsilon, n, fixedString(nd, ssra.IndexScale))
	} else {
		lamDec = ssra.RoundHalfUp(decimal.NewFromFloat(lam), ssra.IndexScale)
		e.Addf("ahp.lambda_max", "λmax = (1/n)·Σ_i (A·w)_i / w_i = %.15g in float64 (from the unrounded weights), rounded half-up to %d places: %s.", lam, ssra.IndexScale, fixedString(lamDec, ssra.IndexScale))
	}
	res.LambdaMax = lamDec
	ri, _ := table.RI(n)
	res.RI = ri
	if n <= 2 {
		res.CI, res.CR, res.Consistent = decimal.Zero, decimal.Zero, true
		e.Addf("ahp.ci", "CI = 0: a matrix of order n ≤ 2 is always consistent.")
		e.Addf("ahp.cr", "CR = 0 by definition for n ≤ 2 (RI(%d) = %s in the %s table).", n, ri, table)
		e.Addf("ahp.consistency", "Consistent: n ≤ 2.")
		return res, work, nil
	}
	res.CI = lamDec.Sub(nd).DivRound(decimal.NewFromInt(int64(n-1)), ssra.IndexScale)
	e.Addf("ahp.ci", "CI = (λmax − n)/(n − 1) = (%s − %d)/%d = %s (from the rounded λmax, rounded half-up to %d places).", fixedString(lamDec, ssra.IndexScale), n, n-1, fixedString(res.CI, ssra.IndexScale), ssra.IndexScale)
	e.Addf("ahp.ri", "RI(%d) = %s from the %s table.", n, ri, table)
	res.CR = res.CI.DivRound(ri, ssra.IndexScale)
	e.Addf("ahp.cr", "CR = CI/RI = %s/%s = %s (rounded half-up to %d places).", fixedString(res.CI, ssra.IndexScale), ri, fixedString(res.CR, ssra.IndexScale), ssra.IndexScale)
	res.Consistent = res.CR.Cmp(ahpCRLimit) < 0
	if res.Consistent {
		e.Addf("ahp.consistency", "Consistent: CR %s < %s.", fixedString(res.CR, ssra.IndexScale), ahpCRLimit.StringFixed(2))
	} else {
		e.Addf("ahp.consistency", "Not consistent: CR %s ≥ %s; revise the judgments before using the weights.", fixedString(res.CR, ssra.IndexScale), ahpCRLimit.StringFixed(2))
		res.Warnings.Warn("ahp.inconsistent", path, "consistency ratio %s is not below %s; revise the judgments", fixedString(res.CR, ssra.IndexScale), ahpCRLimit.StringFixed(2))
	}
	return res, work, nil
}

// ahpGeometricMean returns the normalised row geometric means.
func ahpGeometricMean(a [][]float64) []float64 {
	n := len(a)
	w := make([]float64, n)
	sum := 0.0
	for i := range a {
		l := 0.0
		for j := range a[i] {
			l += math.Log(a[i][j])
		}
		w[i] = math.Exp(l / float64(n))
		sum += w[i]
	}
	for i := range w {
		w[i] /= sum
	}
	return w
}

// ahpEigenvector returns the normalised principal eigenvector by power
// iteration. A positive matrix has a simple dominant Perron root, so the
// iteration converges; the cap only guards against the unexpected.
func ahpEigenvector(a [][]float64) ([]float64, int, error) {
	n := len(a)
	w := ahpGeometricMean(a)
	v := make([]float64, n)
	for it := 1; it <= ahpEigenMaxIterations; it++ {
		sum := 0.0
		for i := 0; i < n; i++ {
			s := 0.0
			row := a[i]
			for j := 0; j < n; j++ {
				s += row[j] * w[j]
			}
			v[i] = s
			sum += s
		}
		diff := 0.0
		for i := 0; i < n; i++ {
			v[i] /= sum
			if d := math.Abs(v[i] - w[i]); d > diff {
				diff = d
			}
		}
		w, v = v, w
		if !finite(diff) {
			return nil, it, fmt.Errorf("power iteration diverged")
		}
		if diff <= ahpEigenTolerance {
			return w, it, nil
		}
	}
	return nil, ahpEigenMaxIterations, fmt.Errorf("power iteration did not converge within %d iterations", ahpEigenMaxIterations)
}

// AHPConsistentMatrix returns the consistent pairwise matrix a_ij = w_i/w_j
// of a positive weight vector, with exact fractions. It is how a known
// priority vector is written as judgments, and AHP returns the vector
// (normalised, to ssra.WeightScale places) with CR = 0. AHP accepts the
// matrix only when the largest weight is at most 9 times the smallest, so
// that every ratio lies on Saaty's scale. It fails when a weight is not
// positive or the vector is longer than AHPMaxOrder.
func AHPConsistentMatrix(w []decimal.Decimal) (PairwiseMatrix, error) {
	const op = "riskeval.AHPConsistentMatrix"
	var ps ssra.Problems
	if len(w) == 0 || len(w) > AHPMaxOrder {
		ps.Add("ahp.weights.count", "weights", "need 1 to %d weights, got %d", AHPMaxOrder, len(w))
	}
	for i, x := range w {
		if err := ssra.CheckDecimal(x); err != nil {
			ps.Add("ahp.weights.out_of_range", ssra.Index("weights", i), "%s", ssra.Reason(err))
		} else if x.Sign() <= 0 {
			ps.Add("ahp.weights.not_positive", ssra.Index("weights", i), "weight %s is not positive", x)
		}
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	m := make(PairwiseMatrix, len(w))
	for i := range w {
		m[i] = make([]ssra.Fraction, len(w))
		for j := range w {
			if i == j {
				m[i][j] = ssra.FractionOf(decOne)
				continue
			}
			m[i][j] = ssra.Fraction{Num: w[i], Den: w[j]}
		}
	}
	return m, nil
}

// smallFrac returns the judgment as an int64 fraction n/d with d > 0 when
// both fit in 31 bits, which covers every judgment written on Saaty's scale
// ("3", "1/3", "2.5", "1/1.5"); products of two such numbers fit in int64,
// so comparisons and the reciprocity check stay exact without big.Rat.
func smallFrac(f ssra.Fraction) (n, d int64, ok bool) {
	nc, ne, ok1 := smallDec(f.Num)
	dc, de, ok2 := smallDec(f.Den)
	if !ok1 || !ok2 || dc == 0 {
		return 0, 0, false
	}
	// value = nc·10^ne / (dc·10^de)
	k := ne - de
	if k < -9 || k > 9 {
		return 0, 0, false
	}
	for ; k > 0; k-- {
		nc *= 10
	}
	for ; k < 0; k++ {
		dc *= 10
	}
	if dc < 0 {
		nc, dc = -nc, -dc
	}
	const lim = 1<<31 - 1
	if nc > lim || nc < -lim || dc > lim {
		return 0, 0, false
	}
	return nc, dc, true
}

// smallDec returns d as c·10^e with |c| < 10^9 and −18 ≤ e ≤ 9 when it is
// that small; such a decimal is within the limits of ssra.CheckDecimal.
func smallDec(d decimal.Decimal) (c int64, e int32, ok bool) {
	e = d.Exponent()
	if e < -18 || e > 9 || d.NumDigits() > 9 {
		return 0, 0, false
	}
	return d.CoefficientInt64(), e, true
}

// fracFloat returns the nearest float64 to the judgment: one correctly
// rounded division on the fast path, big.Rat otherwise.
func fracFloat(f ssra.Fraction) float64 {
	if n, d, ok := smallFrac(f); ok {
		return float64(n) / float64(d)
	}
	return f.Float64()
}
