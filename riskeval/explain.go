package riskeval

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Step is one line of an explanation: a stable key naming the rule or
// computation (for example "index.residual" or "ahp.cr"), and a sentence a
// person can check by hand.
type Step struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// Explanation is the ordered list of steps that produced a result.
type Explanation []Step

// Addf appends a step.
func (e *Explanation) Addf(key, format string, args ...any) {
	*e = append(*e, Step{Key: key, Text: fmt.Sprintf(format, args...)})
}

// Explain renders the result as steps a person can check by hand: the
// profile, the weights, each factor's score and level before and after
// measures, both indices with their rounding, the floor rules that applied,
// the survey's advisory reading, the decision with its reasons, and the
// precision policy. The JSON form of a Result carries this explanation.
func (r Result) Explain() Explanation {
	var e Explanation
	basis := "common practice, not a national rule"
	if r.Profile.Basis == BasisLaw {
		basis = "fixed by a national text"
	}
	e.Addf("profile", "Profile %s v%s (%s).", r.Profile.Name, r.Profile.Version, basis)
	switch {
	case r.Weights.Normalised:
		e.Addf("weights", "The weights summed to %s; each was divided by the sum, rounded half-up to 6 places and adjusted by largest remainder (indices %v) so that they sum to exactly 1.", r.Weights.Sum, r.Weights.Adjusted)
	default:
		e.Addf("weights", "The %d factor weights sum to %s (tolerance %s around 1).", len(r.Factors), r.Weights.Sum, r.Weights.Tolerance)
	}
	for _, f := range r.Factors {
		e.Addf("factor."+f.ID+".initial", "%s before measures: %s", f.ID, r.estimateText(f.Initial))
		e.Addf("factor."+f.ID+".residual", "%s after measures: %s", f.ID, r.estimateText(f.Residual))
	}
	r.levelText(&e, "initial", "before measures", r.Initial)
	r.levelText(&e, "residual", "after measures", r.Residual)
	if s := r.Survey; s != nil {
		rate := ""
		if s.Distributed > 0 {
			rate = fmt.Sprintf(", response rate %d/%d = %s", s.Valid, s.Distributed, s.ResponseRate)
		}
		e.Addf("survey", "Survey: %d of %d valid answers oppose, share %s (95 %% Wilson interval %s to %s)%s; frame %q. Opposition ≥ %s suggests high, ≥ %s medium, below low: suggested %s. The suggestion is advisory and does not set the level.",
			s.Opposition.Successes, s.Valid, s.Opposition.Value, s.Opposition.Lower, s.Opposition.Upper, rate, s.Frame,
			r.Rules.Survey.HighMin, r.Rules.Survey.MediumMin, s.Suggested)
	}
	reasons := make([]string, len(r.Decision.Reasons))
	for i, l := range r.Decision.Reasons {
		reasons[i] = l.EN
	}
	e.Addf("decision", "Under regime %s (%s) the residual level %s gives the outcome %s. %s", r.Regime.ID, r.Regime.LegalBasis, r.Decision.Level, r.Decision.Outcome, strings.Join(reasons, " "))
	e.Addf("precision", "Precision: grade products and weighted sums are exact decimals; each index is rounded half-up to 6 places and its level read from the rounded value; survey rates are rounded half-up to 4 places, the Wilson bounds computed in 256-bit floating point first.")
	return e
}

func (r Result) estimateText(x EstimateResult) string {
	t := fmt.Sprintf("probability %d (grade %s) × impact %d (grade %s) = score %s", x.Probability, grade(r.Rules.ProbabilityGrades, x.Probability), x.Impact, grade(r.Rules.ImpactGrades, x.Impact), x.Score)
	if x.DecidedBy == RuleMatrix {
		return t + fmt.Sprintf("; matrix cell (%d, %d) has degree %s (%s), so level %s.", x.Probability, x.Impact, strings.ToUpper(x.Degree.String()), x.Degree.Label().ZH, x.Level)
	}
	return t + "; " + thresholdText(x.Score, r.Rules.FactorThresholds, "score") + "."
}

func thresholdText(v decimal.Decimal, t Thresholds, name string) string {
	switch t.Of(v) {
	case LevelLow:
		return fmt.Sprintf("%s %s ≤ %s, so level low", name, v, t.LowMax)
	case LevelMedium:
		return fmt.Sprintf("%s < %s %s ≤ %s, so level medium", t.LowMax, name, v, t.MediumMax)
	}
	return fmt.Sprintf("%s %s > %s, so level high", name, v, t.MediumMax)
}

func (r Result) levelText(e *Explanation, key, when string, l LevelResult) {
	round := "exact at 6 places"
	if !l.Exact.Equal(l.Index) {
		round = fmt.Sprintf("exactly %s, rounded half-up to 6 places", l.Exact)
	}
	e.Addf("index."+key, "Comprehensive index %s: R = Σ wᵢ·rᵢ = %s (%s); %s.", when, l.Index.StringFixed(6), round, thresholdText(l.Index, r.Rules.IndexThresholds, "R"))
	e.Addf("counts."+key, "Factor levels %s: %d high, %d medium, %d low.", when, l.Counts.High, l.Counts.Medium, l.Counts.Low)
	if l.DecidedBy == RuleFloor {
		e.Addf("floor."+key, "Floor rule %s raised the level %s from %s to %s.", l.FloorRule, when, l.IndexLevel, l.Level)
	} else {
		e.Addf("level."+key, "The level %s is %s, set by the index thresholds; no floor rule raised it.", when, l.Level)
	}
}

// MarshalJSON encodes the result with its explanation.
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	return json.Marshal(struct {
		plain
		Explanation Explanation `json:"explanation"`
	}{plain(r), r.Explain()})
}

func grade(gs []decimal.Decimal, point int) string {
	if point < 1 || point > len(gs) {
		return "?"
	}
	return gs[point-1].String()
}
