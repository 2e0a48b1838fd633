package riskeval

import "github.com/shopspring/decimal"

// The buffers of an explanation and of a result's JSON are sized once, from
// the lengths of the result's texts and numbers, so that rendering never
// grows them: explainSize and jsonSize are upper estimates (escaped
// characters in the assessment's own texts aside), held to it by
// TestRenderSizes.

// Bytes of the literals of the steps, per language: the fixed steps
// (profile, weights, levels, decision, precision), the survey step, and a
// factor step decided by thresholds or by the matrix. A Chinese character
// takes 3 bytes.
const (
	explainFixedEN, explainFixedZH               = 1000, 1100
	explainSurveyEN, explainSurveyZH             = 330, 390
	explainFactorEN, explainFactorZH             = 115, 145
	explainMatrixFactorEN, explainMatrixFactorZH = 140, 175
)

// decLen is the length of d's text.
func decLen(d decimal.Decimal) int {
	var tmp [40]byte
	return len(appendDecimal(tmp[:0], d))
}

func maxDecLen(ds []decimal.Decimal) int {
	n := 0
	for _, d := range ds {
		n = max(n, decLen(d))
	}
	return n
}

// factorNumbersLen bounds the numbers of a factor step: the two scale
// points, their grades, the score (the product of the grades, no longer
// than both together) and the two thresholds.
func factorNumbersLen(r *Result) int {
	g := max(maxDecLen(r.Rules.ProbabilityGrades), maxDecLen(r.Rules.ImpactGrades))
	t := max(decLen(r.Rules.FactorThresholds.LowMax), decLen(r.Rules.FactorThresholds.MediumMax))
	return 4 + 4*g + 2*t
}

// explainSize estimates the bytes of the explanation's texts and factor
// keys.
func explainSize(r *Result, zh bool) int {
	fixed, survey, factor := explainFixedEN, explainSurveyEN, explainFactorEN
	switch {
	case zh && r.Rules.Matrix:
		fixed, survey, factor = explainFixedZH, explainSurveyZH, explainMatrixFactorZH
	case zh:
		fixed, survey, factor = explainFixedZH, explainSurveyZH, explainFactorZH
	case r.Rules.Matrix:
		factor = explainMatrixFactorEN
	}
	n := fixed + len(r.Profile.Name) + len(r.Profile.Version) + len(r.Regime.ID) + len(r.Regime.LegalBasis) +
		4*len(r.Weights.Adjusted) + len(r.Initial.FloorRule) + len(r.Residual.FloorRule)
	for _, l := range r.Decision.Reasons {
		n += len(l.ZH) + len(l.EN) + 1
	}
	if s := r.Survey; s != nil {
		n += survey + len(s.Frame)
	}
	per := factor + factorNumbersLen(r)
	for i := range r.Factors {
		// The id is in the key and the text of both steps.
		n += 2 * (per + 2*len(r.Factors[i].ID))
	}
	return n
}

// jsonSize estimates the bytes of a result's JSON encoding.
func jsonSize(r *Result) int {
	const (
		fixed       = 1000 // every object's keys and punctuation, levels, weights
		perFactor   = 250  // a factor's keys, enum names and punctuation
		perStep     = 30   // {"key":"","text":""}, a constant key, an escaped sign
		perSurvey   = 300
		perProblem  = 60
		perRule     = 130
		perReason   = 24
		perGrade    = 3
		perAdjusted = 4
	)
	n := fixed + explainSize(r, false) + perStep*stepCount(r) +
		len(r.Profile.Name) + len(r.Profile.Version) + len(r.Regime.ID) + len(r.Regime.LegalBasis) +
		len(r.Regime.Label.ZH) + len(r.Regime.Label.EN) + perAdjusted*len(r.Weights.Adjusted) +
		(perGrade+maxDecLen(r.Rules.ProbabilityGrades))*len(r.Rules.ProbabilityGrades) +
		(perGrade+maxDecLen(r.Rules.ImpactGrades))*len(r.Rules.ImpactGrades)
	for i := range r.Factors {
		f := &r.Factors[i]
		n += perFactor + len(f.ID) + decLen(f.Weight) + decLen(f.Initial.Score) + decLen(f.Residual.Score)
	}
	if s := r.Survey; s != nil {
		n += perSurvey + len(s.Frame)
	}
	for _, l := range r.Decision.Reasons {
		n += perReason + len(l.ZH) + len(l.EN)
	}
	for _, p := range r.Warnings {
		n += perProblem + len(p.Code) + len(p.Field) + len(p.Message)
	}
	for _, f := range r.Rules.FloorRules {
		n += perRule + len(f.Name) + len(f.Label.ZH) + len(f.Label.EN)
	}
	return n
}
