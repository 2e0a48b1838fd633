package riskeval

import (
	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// Result is the evaluation of an assessment under a profile: each factor's
// score, degree and level before and after measures, the comprehensive index
// and level before and after, what decided each level, the survey's advisory
// suggestion, the decision the residual level implies under the regime, and
// the quality findings. Every number can be recomputed by hand from the
// fields; Explain renders the steps as sentences.
type Result struct {
	Profile  ProfileRef     `json:"profile"`
	Regime   RegimeRef      `json:"regime"`
	Factors  []FactorResult `json:"factors"`
	Weights  WeightInfo     `json:"weights"`
	Initial  LevelResult    `json:"initial"`
	Residual LevelResult    `json:"residual"`
	// Survey is the advisory reading of the survey, when there is one.
	Survey *SurveyResult `json:"survey,omitempty"`
	// Panel is the expert panel's agreement, when estimates carry ratings.
	Panel    *PanelResult `json:"panel,omitempty"`
	Decision Decision     `json:"decision"`
	// Warnings are the quality findings (advisory; the assessment is valid).
	Warnings ssra.Problems `json:"warnings"`
	// Rules are the profile's thresholds and rules that were applied, so that
	// every level can be checked by hand.
	Rules AppliedRules `json:"rules"`
}

// AppliedRules are the thresholds and rules of the profile that a result
// applied.
type AppliedRules struct {
	// ProbabilityGrades and ImpactGrades are the grade values of scale
	// points 1..n.
	ProbabilityGrades []decimal.Decimal `json:"probability_grades"`
	ImpactGrades      []decimal.Decimal `json:"impact_grades"`
	FactorThresholds  Thresholds        `json:"factor_thresholds"`
	IndexThresholds   Thresholds        `json:"index_thresholds"`
	Matrix            bool              `json:"matrix"`
	FloorRules        []FloorRule       `json:"floor_rules"`
	Survey            SurveyMapping     `json:"survey"`
}

// ProfileRef names the profile that produced a result.
type ProfileRef struct {
	Name    string `json:"name"`
	Version string `json:"version"`
	Basis   Basis  `json:"basis"`
	// ID is the stored profile's id, empty for a profile that was not
	// loaded from storage (a shipped preset, a profile sent with the
	// request).
	ID string `json:"id,omitempty"`
	// Digest is the SHA-256 digest of the profile's canonical JSON
	// ("sha256:<hex>"), when whoever loaded the profile gave one.
	Digest string `json:"digest,omitempty"`
}

// RegimeRef names the regime a decision was made under.
type RegimeRef struct {
	ID         string     `json:"id"`
	Label      ssra.Label `json:"label"`
	LegalBasis string     `json:"legal_basis"`
}

// FactorResult is one factor's evaluation.
type FactorResult struct {
	ID   string `json:"id"`
	Area Area   `json:"area"`
	// Weight is the weight used in the index (after normalisation, if any).
	Weight   decimal.Decimal `json:"weight"`
	Initial  EstimateResult  `json:"initial"`
	Residual EstimateResult  `json:"residual"`
}

// LevelRule says what decided a level.
type LevelRule uint8

// The rules that decide levels.
const (
	RuleNone             LevelRule = iota // unset
	RuleFactorThresholds                  // the factor score against the profile's factor thresholds
	RuleMatrix                            // the probability × impact matrix cell and its degree
	RuleIndexThresholds                   // the comprehensive index against the index thresholds
	RuleFloor                             // a floor rule raised the level
	RuleSurveyMapping                     // the survey's opposition share against the survey mapping
	RuleRegime                            // the regime's table from residual level to outcome
)

var levelRules = ssra.NewEnum[LevelRule]("level rule",
	ssra.M("factor_thresholds", "因素阈值", "factor thresholds"),
	ssra.M("matrix", "风险矩阵", "matrix"),
	ssra.M("index_thresholds", "综合指数阈值", "index thresholds"),
	ssra.M("floor_rule", "底线规则", "floor rule"),
	ssra.M("survey_mapping", "调查结果对应", "survey mapping"),
	ssra.M("regime", "决策规则表", "regime"),
)

// String returns the level rule's snake_case name.
func (r LevelRule) String() string { return levelRules.String(r) }

// Valid reports whether r is a level rule.
func (r LevelRule) Valid() bool { return levelRules.Valid(r) }

// Label returns the level rule's name for people in lang.
func (r LevelRule) Label(lang ssra.Lang) string { return levelRules.Label(r, lang) }

// MarshalText encodes the level rule as its name and refuses an unset one.
func (r LevelRule) MarshalText() ([]byte, error) { return levelRules.MarshalText(r) }

// AppendText appends the level rule's name to b.
func (r LevelRule) AppendText(b []byte) ([]byte, error) { return levelRules.AppendText(b, r) }

// UnmarshalText decodes a level rule name and rejects unknown text.
func (r *LevelRule) UnmarshalText(b []byte) error { return levelRules.UnmarshalText(r, b) }

// EstimateResult is one estimate evaluated: the scale points, the score
// r = grade(p) × grade(i) (the grades are in Result.Rules), the matrix degree
// (when the profile has a matrix), the level and the rule that decided it.
type EstimateResult struct {
	Score       decimal.Decimal `json:"score"`
	Probability int             `json:"probability"`
	Impact      int             `json:"impact"`
	Degree      Degree          `json:"degree,omitzero"`
	Level       Level           `json:"level"`
	DecidedBy   LevelRule       `json:"decided_by"`
}

// LevelCounts counts factors by level.
type LevelCounts struct {
	Low    int `json:"low"`
	Medium int `json:"medium"`
	High   int `json:"high"`
}

// AtLeast returns the number of factors at level l or above.
func (c LevelCounts) AtLeast(l Level) int {
	switch l {
	case LevelLow:
		return c.Low + c.Medium + c.High
	case LevelMedium:
		return c.Medium + c.High
	case LevelHigh:
		return c.High
	}
	return 0
}

func (c *LevelCounts) add(l Level) {
	switch l {
	case LevelLow:
		c.Low++
	case LevelMedium:
		c.Medium++
	case LevelHigh:
		c.High++
	}
}

// LevelResult is the overall level at one point (before or after measures):
// the comprehensive index R = Σ wᵢ·rᵢ, exact and rounded half-up to 6
// places, the level the index thresholds give, the final level after the
// floor rules, and what decided it.
type LevelResult struct {
	// Index is R rounded half-up to 6 places; the level is read from it.
	Index decimal.Decimal `json:"index"`
	// Exact is the exact sum before rounding.
	Exact      decimal.Decimal `json:"exact"`
	IndexLevel Level           `json:"index_level"`
	Level      Level           `json:"level"`
	DecidedBy  LevelRule       `json:"decided_by"`
	// FloorRule names the floor rule that raised the level, if one did.
	FloorRule string      `json:"floor_rule,omitempty"`
	Counts    LevelCounts `json:"counts"`
}

// WeightInfo records how the factor weights were checked and used.
type WeightInfo struct {
	// Sum is the sum of the weights as given.
	Sum decimal.Decimal `json:"sum"`
	// Tolerance is the profile's tolerance around 1.
	Tolerance decimal.Decimal `json:"tolerance"`
	// Normalised says the weights were rescaled to sum to 1 (wᵢ / Σw, rounded
	// half-up to 6 places and adjusted by largest remainder).
	Normalised bool `json:"normalised"`
	// Adjusted lists the indices of weights moved off their half-up rounding
	// by the largest-remainder adjustment.
	Adjusted []int `json:"adjusted,omitempty"`
}

// SurveyResult is the advisory reading of a survey: the opposition share
// with its 95 % Wilson interval, the response rate, and the suggested level.
// It never decides the level by itself.
type SurveyResult struct {
	Valid        int             `json:"valid"`
	Distributed  int             `json:"distributed"`
	Frame        string          `json:"frame"`
	ResponseRate decimal.Decimal `json:"response_rate,omitzero"`
	Opposition   ssra.Rate       `json:"opposition"`
	Suggested    Level           `json:"suggested_level"`
	Advisory     bool            `json:"advisory"`
}

// Decision is what the residual level implies under the regime.
type Decision struct {
	Outcome Outcome      `json:"outcome"`
	Level   Level        `json:"level"`
	Reasons []ssra.Label `json:"reasons"`
}

// Evaluate evaluates an assessment under a profile. It validates the
// assessment first and returns a *ssra.Error of KindInvalid listing every
// problem (with field paths such as "factors[2].residual.probability") when
// it is invalid; quality findings that do not invalidate it are returned in
// Result.Warnings. An unset profile is refused (profile.missing). Evaluate
// is a pure function, safe for concurrent use.
func Evaluate(a Assessment, p Profile) (Result, error) {
	if p.c == nil {
		return Result{}, profileMissing().Err("riskeval.Evaluate")
	}
	res, ps := evaluate(&a, p.c)
	if ps.HasErrors() {
		return Result{}, ps.Err("riskeval.Evaluate")
	}
	res.Warnings = ps
	res.Profile.ID, res.Profile.Digest = p.id, p.digest
	return res, nil
}

// Validate returns every problem of the assessment under the profile:
// errors (invalid) and warnings (quality findings), each with a stable code
// and a field path. An unset profile is reported as profile.missing.
func Validate(a Assessment, p Profile) ssra.Problems {
	if p.c == nil {
		return profileMissing()
	}
	_, ps := evaluate(&a, p.c)
	return ps
}

func profileMissing() ssra.Problems {
	var ps ssra.Problems
	ps.Add("profile.missing", "profile", "no profile: build one with NewProfile, DecodeProfile or Preset")
	return ps
}

// evaluation is one evaluation in progress: the assessment, the profile,
// the problems found so far and the result being filled in.
type evaluation struct {
	a   *Assessment
	p   *ProfileDef
	c   *compiled
	ps  ssra.Problems
	res Result
}

// evaluate checks the assessment and, when it has no errors, computes
// the factors' scores and levels, both indices and levels, and the
// decision.
func evaluate(a *Assessment, c *compiled) (Result, ssra.Problems) {
	p := &c.def
	ev := &evaluation{a: a, p: p, c: c}
	res := &ev.res
	if pw := resolvePanel(a, p, &ev.ps); pw != nil {
		res.Panel = pw.result
	}
	res.Profile = ProfileRef{Name: p.Name, Version: p.Version, Basis: p.Basis}
	res.Rules = AppliedRules{ProbabilityGrades: p.Probability.grades(), ImpactGrades: p.Impact.grades(),
		FactorThresholds: p.FactorThresholds, IndexThresholds: p.IndexThresholds,
		Matrix: p.Matrix != nil, FloorRules: p.FloorRules, Survey: p.Survey}

	regime, ok := p.Regime(a.Regime)
	switch {
	case a.Regime == "":
		ev.ps.Add("assessment.regime_missing", "regime", "name the regime the assessment is made under (one of %v)", regimeIDs(p))
	case !ok:
		ev.ps.Add("assessment.regime_unknown", "regime", "regime %q is not defined by profile %s v%s (have %v)", a.Regime, p.Name, p.Version, regimeIDs(p))
	default:
		res.Regime = RegimeRef{ID: regime.ID, Label: regime.Label, LegalBasis: regime.LegalBasis}
	}
	ev.checkSubject()
	measures := ev.checkFactors()
	ev.checkCriteria(measures)
	ev.checkConsultations(regime)
	ev.checkSurvey()
	ev.checkPanel()
	if ev.ps.HasErrors() {
		return Result{}, ev.ps
	}
	res.Initial = ev.level(func(f FactorResult) EstimateResult { return f.Initial })
	res.Residual = ev.level(func(f FactorResult) EstimateResult { return f.Residual })
	rule := regime.Rule(res.Residual.Level)
	res.Decision = Decision{Outcome: rule.Outcome, Level: res.Residual.Level, Reasons: rule.Reasons}
	return ev.res, ev.ps
}

func regimeIDs(p *ProfileDef) []string {
	ids := make([]string, len(p.Regimes))
	for i, r := range p.Regimes {
		ids[i] = r.ID
	}
	return ids
}

func (ev *evaluation) checkSubject() {
	s, ps := &ev.a.Subject, &ev.ps
	if s.Name == "" {
		ps.Warn("subject.name_missing", "subject.name", "the subject has no name")
	}
	if s.Kind == SubjectNone {
		ps.Warn("subject.kind_missing", "subject.kind", "say whether the subject is a project or a decision")
	}
	if s.ResponsibleUnit == "" {
		ps.Warn("subject.unit_missing", "subject.responsible_unit", "the responsible unit is not named")
	}
	if !s.Investment.IsZero() {
		if checkDec(ps, "subject.investment", s.Investment) && s.Investment.Sign() < 0 {
			ps.Add("subject.investment_negative", "subject.investment", "investment must not be negative")
		}
	}
}

// checkFactors checks each factor and rates its estimates; it returns the
// ids of the factors' measures.
func (ev *evaluation) checkFactors() map[string]bool {
	a, ps := ev.a, &ev.ps
	measures := map[string]bool{}
	if len(a.Factors) == 0 {
		ps.Add("assessment.factors_missing", "factors", "an assessment needs at least one risk factor")
		return measures
	}
	ids := make(map[string]int, len(a.Factors))
	weightsOK := true
	ev.res.Factors = make([]FactorResult, len(a.Factors))
	for i, f := range a.Factors {
		fr := &ev.res.Factors[i]
		fr.ID, fr.Area, fr.Weight = f.ID, f.Area, f.Weight
		if f.ID == "" {
			ps.Add("factor.id_missing", factorPath(i, ".id"), "a factor needs an id")
		} else if j, dup := ids[f.ID]; dup {
			ps.Add("factor.id_duplicate", factorPath(i, ".id"), "id %q is already used by factors[%d]", f.ID, j)
		} else {
			ids[f.ID] = i
		}
		if !f.Area.Valid() {
			ps.Add("factor.area_unknown", factorPath(i, ".area"), "area must be one of the eight identification areas %v", areas.Names())
		}
		if f.Name == "" {
			ps.Add("factor.name_missing", factorPath(i, ".name"), "a factor needs a name")
		}
		if f.Stage > StageOperation {
			ps.Add("factor.stage_unknown", factorPath(i, ".stage"), "stage must be preparation, construction or operation")
		}
		if err := ssra.CheckDecimal(f.Weight); err != nil {
			ps.Add("decimal.out_of_range", factorPath(i, ".weight"), "%v", err)
			weightsOK = false
		} else if f.Weight.Sign() < 0 {
			ps.Add("factor.weight_negative", factorPath(i, ".weight"), "weight %s is negative", f.Weight)
			weightsOK = false
		}
		ok1 := ev.rate(i, "initial", f.Initial, &fr.Initial)
		ok2 := false
		if f.Residual == nil {
			ps.Add("factor.residual_missing", factorPath(i, ".residual"), "estimate the level once the measures are in place (落实措施后)")
		} else {
			ok2 = ev.rate(i, "residual", *f.Residual, &fr.Residual)
		}
		ev.checkMeasures(i, f.Measures, measures)
		if ok1 && ok2 {
			switch c := fr.Residual.Score.Cmp(fr.Initial.Score); {
			case c > 0:
				ps.Warn("factor.residual_above_initial", factorPath(i, ".residual"), "the residual score %s is above the initial score %s", fr.Residual.Score, fr.Initial.Score)
			case c < 0 && len(f.Measures) == 0:
				ps.Warn("factor.lowered_without_measure", factorPath(i, ".measures"), "the residual score is lower than the initial one but no measure is recorded")
			}
		}
	}
	if weightsOK {
		ev.checkWeightSum()
	}
	return measures
}

// rate checks an estimate against the profile's scales and rates it by
// its cell: the score r = grade(p) × grade(i), and the level from the
// matrix degree when the profile has a matrix, from the factor thresholds
// otherwise (see compile).
func (ev *evaluation) rate(i int, which string, e Estimate, out *EstimateResult) bool {
	p := ev.p
	np, ni := len(p.Probability.Points), len(p.Impact.Points)
	ok := true
	if e.Probability < 1 || e.Probability > np {
		ev.ps.Add("estimate.out_of_scale", factorPath(i, "."+which+".probability"), "probability %d is outside the scale 1..%d", e.Probability, np)
		ok = false
	}
	if e.Impact < 1 || e.Impact > ni {
		ev.ps.Add("estimate.out_of_scale", factorPath(i, "."+which+".impact"), "impact %d is outside the scale 1..%d", e.Impact, ni)
		ok = false
	}
	if !ok {
		return false
	}
	cl := ev.c.cells[e.Probability-1][e.Impact-1]
	*out = EstimateResult{Score: cl.score, Probability: e.Probability, Impact: e.Impact,
		Degree: cl.degree, Level: cl.level, DecidedBy: RuleFactorThresholds}
	if p.Matrix != nil {
		out.DecidedBy = RuleMatrix
	}
	return true
}

func (ev *evaluation) checkMeasures(i int, ms []Measure, ids map[string]bool) {
	ps := &ev.ps
	for j, m := range ms {
		field := func(name string) string { return ssra.Index(factorPath(i, ".measures"), j) + name }
		if m.ID == "" {
			ps.Add("measure.id_missing", field(".id"), "a measure needs an id")
		} else if ids[m.ID] {
			ps.Add("measure.id_duplicate", field(".id"), "measure id %q is used more than once", m.ID)
		} else {
			ids[m.ID] = true
		}
		if m.Description == "" {
			ps.Add("measure.description_missing", field(".description"), "a measure needs a description")
		}
		if m.Owner == "" {
			ps.Warn("measure.owner_missing", field(".owner"), "the measure has no owner")
		}
		if m.Due.IsZero() {
			ps.Warn("measure.due_missing", field(".due"), "the measure has no due date")
		}
	}
}

// factorPath is the field path of factor i followed by rest. Paths are
// built only for the problems found.
func factorPath(i int, rest string) string { return ssra.Index("factors", i) + rest }

// checkWeightSum checks that the weights sum to 1 within the profile's
// tolerance, or normalises them when the assessment asks for it:
// wᵢ / Σw rounded half-up to 6 places, adjusted by largest remainder to sum
// to exactly 1.
func (ev *evaluation) checkWeightSum() {
	a, p, ps, res := ev.a, ev.p, &ev.ps, &ev.res
	one := decimal.New(1, 0)
	sum := decimal.Zero
	for _, f := range a.Factors {
		sum = sum.Add(f.Weight)
	}
	res.Weights.Sum, res.Weights.Tolerance = sum, p.WeightTolerance
	if sum.Sub(one).Abs().Cmp(p.WeightTolerance) <= 0 {
		return
	}
	if !a.NormaliseWeights {
		ps.Add("weights.sum", "factors", "the factor weights sum to %s, not 1 (tolerance %s); correct them or set normalise_weights", sum, p.WeightTolerance)
		return
	}
	if sum.Sign() <= 0 {
		ps.Add("weights.sum_zero", "factors", "the factor weights sum to %s and cannot be normalised", sum)
		return
	}
	raw := make([]decimal.Decimal, len(a.Factors))
	for i, f := range a.Factors {
		raw[i] = f.Weight.DivRound(sum, 18)
	}
	// The 18-place quotients may miss 1 by a few units in the 18th place;
	// RoundToSum works at 6 places and restores an exact sum of 1.
	norm, adj, err := ssra.RoundToSum(raw, ssra.WeightScale, one)
	if err != nil {
		ps.Add("weights.normalise", "factors", "the weights cannot be normalised: %s", ssra.Reason(err))
		return
	}
	res.Weights.Normalised, res.Weights.Adjusted = true, adj
	for i := range res.Factors {
		res.Factors[i].Weight = norm[i]
	}
}

// level computes one overall level from the factors' estimates (before or
// after measures, as estimate picks): the comprehensive index R = Σ wᵢ·rᵢ,
// exact and rounded half-up to 6 places, its level under the index
// thresholds, and the floor rules in order.
func (ev *evaluation) level(estimate func(FactorResult) EstimateResult) LevelResult {
	p := ev.p
	var out LevelResult
	exact := decimal.Zero
	for _, f := range ev.res.Factors {
		e := estimate(f)
		exact = exact.Add(f.Weight.Mul(e.Score))
		out.Counts.add(e.Level)
	}
	out.Exact, out.Index = exact, exact.Round(ssra.IndexScale)
	out.IndexLevel = p.IndexThresholds.Of(out.Index)
	out.Level, out.DecidedBy = out.IndexLevel, RuleIndexThresholds
	for _, r := range p.FloorRules {
		if out.Counts.AtLeast(r.FactorLevel) >= r.MinCount && r.Floor > out.Level {
			out.Level, out.DecidedBy, out.FloorRule = r.Floor, RuleFloor, r.Name
		}
	}
	return out
}
