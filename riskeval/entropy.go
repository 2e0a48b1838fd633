package riskeval

import (
	"fmt"
	"math"
	"math/big"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// Limits of the entropy weight method, so that a request cannot ask for
// unbounded work.
const (
	// EntropyMaxRows is the most samples (rows) accepted.
	EntropyMaxRows = 10000
	// EntropyMaxIndicators is the most indicators (columns) accepted.
	EntropyMaxIndicators = 200
)

// EntropyDirection says whether a larger value of an indicator is better
// (benefit, 效益型/正向指标) or worse (cost, 成本型/负向指标). The set is
// closed; the zero value is unset and refused: every indicator names its
// direction.
type EntropyDirection uint8

// The indicator directions.
const (
	// EntropyBenefit normalises (x − min)/(max − min).
	EntropyBenefit EntropyDirection = iota + 1
	// EntropyCost normalises (max − x)/(max − min).
	EntropyCost
)

var entropyDirections = ssra.NewEnum[EntropyDirection]("entropy_direction",
	ssra.M("benefit", "效益型（正向）", "benefit (higher is better)"),
	ssra.M("cost", "成本型（负向）", "cost (lower is better)"),
)

// String returns the direction's snake_case name.
func (d EntropyDirection) String() string { return entropyDirections.String(d) }

// Label returns the direction's user-facing name in zh-CN and en.
func (d EntropyDirection) Label(lang ssra.Lang) string { return entropyDirections.Label(d, lang) }

// Valid reports whether d is one of the defined directions (not unset).
func (d EntropyDirection) Valid() bool { return entropyDirections.Valid(d) }

// MarshalText encodes the direction as its name; unset is an error.
func (d EntropyDirection) MarshalText() ([]byte, error) { return entropyDirections.MarshalText(d) }

// UnmarshalText decodes "benefit" or "cost" and rejects other text.
func (d *EntropyDirection) UnmarshalText(b []byte) error {
	if err := entropyDirections.UnmarshalText(d, b); err != nil {
		return fmt.Errorf("riskeval: unknown entropy direction %q (want benefit or cost)", b)
	}
	return nil
}

// EntropyInput is the input of EntropyWeights: an m×n data matrix (m
// samples or alternatives in rows, n indicators in columns) and one
// direction per indicator.
type EntropyInput struct {
	Data       [][]decimal.Decimal `json:"data"`
	Directions []EntropyDirection  `json:"directions"`
}

// EntropyResult is the outcome of EntropyWeights.
type EntropyResult struct {
	// Rows and Indicators are m and n.
	Rows       int `json:"rows"`
	Indicators int `json:"indicators"`
	// Entropy holds e_j, rounded half-up to ssra.IndexScale places.
	Entropy []decimal.Decimal `json:"entropy"`
	// Divergence holds d_j = 1 − e_j, rounded half-up to ssra.IndexScale places.
	Divergence []decimal.Decimal `json:"divergence"`
	// Weights holds w_j = d_j/Σd, rounded half-up to ssra.WeightScale places
	// and adjusted by the largest remainder to sum to exactly 1.
	Weights     []decimal.Decimal `json:"weights"`
	Explanation Explanation       `json:"explanation"`
}

// EntropyWeights computes objective weights by the entropy weight method
// (熵权法, domain.md §1.7): per indicator, direction-aware min–max
// normalisation y_ij (exact), p_ij = y_ij/Σ_i y_ij (exact, then float64),
// e_j = −(1/ln m)·Σ_i p_ij·ln p_ij with 0·ln 0 = 0 (float64), d_j = 1 − e_j,
// w_j = d_j/Σ_j d_j. Outputs are rounded half-up (e_j and d_j to
// ssra.IndexScale, weights to ssra.WeightScale with the largest-remainder
// adjustment) and the explanation states each rounding.
//
// It needs m ≥ 2 rows (with one row there is no spread to measure) and
// refuses a constant indicator, for which min–max normalisation is 0/0 and
// which carries no information: drop it, or give it a weight by other means.
func EntropyWeights(in EntropyInput) (EntropyResult, error) {
	const op = "riskeval.EntropyWeights"
	ps := validateEntropy(in)
	if err := ps.Err(op); err != nil {
		return EntropyResult{}, err
	}
	m, n := len(in.Data), len(in.Data[0])
	res := EntropyResult{Rows: m, Indicators: n}
	e := &res.Explanation
	e.Addf("entropy.input", "Data matrix of m = %d rows and n = %d indicators.", m, n)
	lnm := math.Log(float64(m))
	es := make([]float64, n)
	ds := make([]float64, n)
	dsum := 0.0
	for j := 0; j < n; j++ {
		lo, hi := in.Data[0][j], in.Data[0][j]
		for i := 1; i < m; i++ {
			lo, hi = decimal.Min(lo, in.Data[i][j]), decimal.Max(hi, in.Data[i][j])
		}
		span := hi.Sub(lo).Rat()
		ys := make([]*big.Rat, m)
		s := new(big.Rat)
		for i := 0; i < m; i++ {
			var num decimal.Decimal
			if in.Directions[j] == EntropyCost {
				num = hi.Sub(in.Data[i][j])
			} else {
				num = in.Data[i][j].Sub(lo)
			}
			ys[i] = new(big.Rat).Quo(num.Rat(), span)
			s.Add(s, ys[i])
		}
		h := 0.0
		zeros := 0
		for i := 0; i < m; i++ {
			if ys[i].Sign() == 0 {
				zeros++
				continue
			}
			p, _ := new(big.Rat).Quo(ys[i], s).Float64()
			h -= p * math.Log(p)
		}
		ej := h / lnm
		ej = math.Min(1, math.Max(0, ej))
		es[j], ds[j] = ej, 1-ej
		dsum += ds[j]
		res.Entropy = append(res.Entropy, ssra.RoundHalfUp(decimal.NewFromFloat(ej), ssra.IndexScale))
		res.Divergence = append(res.Divergence, ssra.RoundHalfUp(decimal.NewFromFloat(ds[j]), ssra.IndexScale))
		e.Addf("entropy.indicator", "Indicator %d (%s): min %s, max %s; y_ij = %s/(%s − %s) exactly; p_ij = y_ij / %s; %d zero term(s) taken as 0·ln 0 = 0; e = −(1/ln %d)·Σ p·ln p = %.15g (float64), rounded half-up to %d places %s; d = 1 − e = %s.",
			j, in.Directions[j], lo, hi, entropyNumerator(in.Directions[j]), hi, lo, s.FloatString(12), zeros, m, ej, ssra.IndexScale, fixedString(res.Entropy[j], ssra.IndexScale), fixedString(res.Divergence[j], ssra.IndexScale))
	}
	if !(dsum > 0) || !finite(dsum) {
		return EntropyResult{}, ssra.Errorf(ssra.KindInternal, op, "divergences sum to %g", dsum)
	}
	raw := make([]decimal.Decimal, n)
	for j := range ds {
		raw[j] = floatDec(ds[j] / dsum)
	}
	e.Addf("entropy.weights.raw", "w_j = d_j / Σd from the unrounded d (Σd = %.15g), float64 cut half-up to %d places: %s.", dsum, weightsWorkScale, joinDec(raw))
	w, err := roundWeights(raw, "entropy.weights.round", "Entropy weights", e)
	if err != nil {
		return EntropyResult{}, ssra.Wrap(ssra.KindInternal, op, err, "rounding entropy weights failed")
	}
	res.Weights = w
	return res, nil
}

func entropyNumerator(d EntropyDirection) string {
	if d == EntropyCost {
		return "(max − x_ij)"
	}
	return "(x_ij − min)"
}

func validateEntropy(in EntropyInput) ssra.Problems {
	var ps ssra.Problems
	m := len(in.Data)
	switch {
	case m < 2:
		ps.Add("entropy.data.too_few_rows", "data", "the entropy method needs at least 2 rows (samples), got %d", m)
		return ps
	case m > EntropyMaxRows:
		ps.Add("entropy.data.too_many_rows", "data", "at most %d rows are accepted, got %d", EntropyMaxRows, m)
		return ps
	}
	n := len(in.Data[0])
	switch {
	case n == 0:
		ps.Add("entropy.data.no_indicators", "data[0]", "each row needs at least one indicator value")
		return ps
	case n > EntropyMaxIndicators:
		ps.Add("entropy.data.too_many_indicators", "data[0]", "at most %d indicators are accepted, got %d", EntropyMaxIndicators, n)
		return ps
	}
	if len(in.Directions) != n {
		ps.Add("entropy.directions.count", "directions", "need one direction per indicator: %d, got %d", n, len(in.Directions))
	}
	for j, d := range in.Directions {
		switch {
		case d == 0:
			ps.Add("entropy.direction.unset", ssra.Index("directions", j), "the direction of indicator %d is not given (want benefit or cost)", j)
		case !d.Valid():
			ps.Add("entropy.direction.unknown", ssra.Index("directions", j), "unknown direction %d (want benefit or cost)", d)
		}
	}
	ok := true
	for i, row := range in.Data {
		rp := ssra.Index("data", i)
		if len(row) != n {
			ps.Add("entropy.data.ragged", rp, "row %d has %d values; row 0 has %d", i, len(row), n)
			ok = false
			continue
		}
		for j, x := range row {
			if err := ssra.CheckDecimal(x); err != nil {
				ps.Add("entropy.value.out_of_range", ssra.Index(rp, j), "%s", ssra.Reason(err))
				ok = false
			}
		}
	}
	if !ok {
		return ps
	}
	for j := 0; j < n; j++ {
		constant := true
		for i := 1; i < m && constant; i++ {
			constant = in.Data[i][j].Equal(in.Data[0][j])
		}
		if constant {
			ps.Add("entropy.indicator.constant", fmt.Sprintf("data[*][%d]", j), "indicator %d has the same value %s in every row: it carries no information and min–max normalisation is undefined; drop it or weight it otherwise", j, in.Data[0][j])
		}
	}
	return ps
}

// DecodeEntropyInput decodes an EntropyInput strictly (unknown fields and
// trailing data are errors) and returns an *ssra.Error of KindInvalid.
func DecodeEntropyInput(data []byte) (EntropyInput, error) {
	var in EntropyInput
	if err := strictjson.Decode(data, &in, "riskeval.DecodeEntropyInput"); err != nil {
		return EntropyInput{}, err
	}
	return in, nil
}
