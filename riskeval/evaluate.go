package riskeval

import (
	"math/big"
	"math/bits"

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
	Survey   *SurveyResult `json:"survey,omitempty"`
	Decision Decision      `json:"decision"`
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

var levelRuleNames = []string{"", "factor_thresholds", "matrix", "index_thresholds", "floor_rule", "survey_mapping", "regime"}

// String returns the rule's snake_case name.
func (r LevelRule) String() string { return enumString(uint8(r), levelRuleNames) }

// MarshalText encodes the rule name.
func (r LevelRule) MarshalText() ([]byte, error) {
	return enumText(uint8(r), levelRuleNames, "level rule")
}

// UnmarshalText decodes a rule name and rejects unknown text.
func (r *LevelRule) UnmarshalText(b []byte) error {
	v, err := parseEnum(b, levelRuleNames, "level rule")
	*r = LevelRule(v)
	return err
}

// EstimateResult is one estimate evaluated: the scale points, the score
// r = grade(p) × grade(i) (the grades are in Result.Rules), the matrix degree
// (when the profile has a matrix), the level and the rule that decided it.
type EstimateResult struct {
	Score       decimal.Decimal `json:"score"`
	Probability int             `json:"probability"`
	Impact      int             `json:"impact"`
	Degree      Degree          `json:"degree,omitempty"`
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
// Result.Warnings. A profile not produced by Compile, DecodeProfile or
// Preset, or changed since, is validated and compiled first (problems under
// "profile."). Evaluate is a pure function, safe for concurrent use.
func Evaluate(a Assessment, p Profile) (Result, error) {
	c := p.compiled
	if c == nil || !c.matches(&p) {
		var err error
		if c, err = compileChecked(p, "riskeval.Evaluate"); err != nil {
			return Result{}, err
		}
	}
	var ps ssra.Problems
	var res Result
	var small [64]int64
	ev := evaluation{a: &a, p: &p, c: c, ps: &ps, res: &res, small: &small}
	ev.run()
	if ps.HasErrors() {
		return Result{}, ps.Err("riskeval.Evaluate")
	}
	res.Warnings = ps
	return res, nil
}

// Validate returns every problem of the assessment under the profile:
// errors (invalid) and warnings (quality findings), each with a stable code
// and a field path. A profile with problems is reported under "profile.".
func Validate(a Assessment, p Profile) ssra.Problems {
	c := p.compiled
	if c == nil || !c.matches(&p) {
		if ps := p.Validate(); ps.HasErrors() {
			return ps.Prefix("profile")
		}
		var err error
		if c, err = compile(p); err != nil {
			return ssra.Problems{{Code: "profile.compile", Field: "profile", Message: err.Error()}}
		}
	}
	var ps ssra.Problems
	var small [64]int64
	ev := evaluation{a: &a, p: &p, c: c, ps: &ps, res: &Result{}, small: &small}
	ev.run()
	return ps
}

func compileChecked(p Profile, op string) (*compiled, error) {
	if ps := p.Validate(); ps.HasErrors() {
		return nil, ps.Prefix("profile").Err(op)
	}
	c, err := compile(p)
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInvalid, op, err, "profile cannot be compiled")
	}
	return c, nil
}

type evaluation struct {
	// weights holds each factor's weight at the fixed-point weight scale,
	// valid when fastWeights is set.
	weights     []int64
	fastWeights bool
	// sums and counts are the two indices' fixed-point sums Σ wᵢ·rᵢ and the
	// factors by level, initial then residual, accumulated while the factors
	// are checked; valid when fastWeights is set and no sum overflowed.
	sums   [2]u128
	counts [2]LevelCounts
	small  *[64]int64
	a      *Assessment
	p      *Profile
	c      *compiled
	ps     *ssra.Problems
	res    *Result
}

// weightScale is the fixed-point scale of weights on the fast path.
const weightScale = 18

func (ev *evaluation) run() {
	a, p, ps := ev.a, ev.p, ev.ps
	res := ev.res
	res.Profile = ProfileRef{Name: p.Name, Version: p.Version, Basis: p.Basis, ID: p.ID, Digest: p.Digest}
	res.Rules = AppliedRules{ProbabilityGrades: ev.c.snap.pGrades, ImpactGrades: ev.c.snap.iGrades, FactorThresholds: p.FactorThresholds, IndexThresholds: p.IndexThresholds,
		Matrix: p.Matrix != nil, FloorRules: p.FloorRules, Survey: p.Survey}

	regime, ok := p.Regime(a.Regime)
	switch {
	case a.Regime == "":
		ps.Add("assessment.regime_missing", "regime", "name the regime the assessment is made under (one of %v)", regimeIDs(p))
	case !ok:
		ps.Add("assessment.regime_unknown", "regime", "regime %q is not defined by profile %s v%s (have %v)", a.Regime, p.Name, p.Version, regimeIDs(p))
	default:
		res.Regime = RegimeRef{ID: regime.ID, Label: regime.Label, LegalBasis: regime.LegalBasis}
	}
	ev.checkSubject()
	var measureIDs idSet
	ev.checkFactors(&measureIDs)
	ev.checkCriteria(&measureIDs)
	ev.checkConsultations(regime)
	ev.checkSurvey()
	ev.checkPanel()
	if ps.HasErrors() {
		return
	}
	ev.levels()
	rule := regime.Rule(res.Residual.Level)
	res.Decision = Decision{Outcome: rule.Outcome, Level: res.Residual.Level, Reasons: rule.Reasons}
}

func regimeIDs(p *Profile) []string {
	ids := make([]string, len(p.Regimes))
	for i, r := range p.Regimes {
		ids[i] = r.ID
	}
	return ids
}

func (ev *evaluation) checkSubject() {
	s, ps := &ev.a.Subject, ev.ps
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

// idSet detects duplicate identifiers without allocating for up to 64 of
// them; larger sets use a map. Slots hold the position+1 of an id, which get
// returns.
type idSet struct {
	small    [128]int32
	factors  []Factor
	measures bool // positions are factor<<12 | measure
	big      map[string]int32
}

func newIDSet(factors []Factor, measures bool, size int) idSet {
	s := idSet{factors: factors, measures: measures}
	if size > 64 {
		s.big = make(map[string]int32, size)
	}
	return s
}

func (s *idSet) get(pos int32) string {
	if s.measures {
		return s.factors[pos>>12].Measures[pos&4095].ID
	}
	return s.factors[pos].ID
}

// add records id at pos; when id was already recorded it returns the earlier
// position and false.
func (s *idSet) add(id string, pos int32) (int32, bool) {
	if s.big != nil {
		if j, ok := s.big[id]; ok {
			return j, false
		}
		s.big[id] = pos
		return 0, true
	}
	slot := hashID(id) & 127
	for ; ; slot = (slot + 1) & 127 {
		j := s.small[slot]
		if j == 0 {
			s.small[slot] = pos + 1
			return 0, true
		}
		if s.get(j-1) == id {
			return j - 1, false
		}
	}
}

// has reports whether id was recorded.
func (s *idSet) has(id string) bool {
	if s.big != nil {
		_, ok := s.big[id]
		return ok
	}
	for slot := hashID(id) & 127; ; slot = (slot + 1) & 127 {
		j := s.small[slot]
		if j == 0 {
			return false
		}
		if s.get(j-1) == id {
			return true
		}
	}
}

// hashID is FNV-1a.
func hashID(id string) uint32 {
	h := uint32(2166136261)
	for k := 0; k < len(id); k++ {
		h ^= uint32(id[k])
		h *= 16777619
	}
	return h
}

func (ev *evaluation) checkFactors(measures *idSet) {
	a, c, ps, res := ev.a, ev.c, ev.ps, ev.res
	n := len(a.Factors)
	if n == 0 {
		ps.Add("assessment.factors_missing", "factors", "an assessment needs at least one risk factor")
		return
	}
	ids := newIDSet(a.Factors, false, n)
	nm := 0
	for i := range a.Factors {
		nm += len(a.Factors[i].Measures)
	}
	// Measure positions pack the factor index and the measure index.
	*measures = newIDSet(a.Factors, true, nm)
	res.Factors = make([]FactorResult, n)
	if n <= len(ev.small) {
		ev.weights = ev.small[:n]
	} else {
		ev.weights = make([]int64, n)
	}
	var wsum u128
	fast := true
	factors, results := a.Factors, res.Factors
	for i := range factors {
		f := &factors[i]
		fr := &results[i]
		fr.ID, fr.Area, fr.Weight = f.ID, f.Area, f.Weight
		if f.ID == "" {
			ps.Add("factor.id_missing", ssra.Index("factors", i)+".id", "a factor needs an id")
		} else if j, ok := ids.add(f.ID, int32(i)); !ok {
			ps.Add("factor.id_duplicate", ssra.Index("factors", i)+".id", "id %q is already used by factors[%d]", f.ID, j)
		}
		if !f.Area.Valid() {
			ps.Add("factor.area_unknown", ssra.Index("factors", i)+".area", "area must be one of the eight identification areas %v", areaNames[1:])
		}
		if f.Name == "" {
			ps.Add("factor.name_missing", ssra.Index("factors", i)+".name", "a factor needs a name")
		}
		if f.Stage > StageOperation {
			ps.Add("factor.stage_unknown", ssra.Index("factors", i)+".stage", "stage must be preparation, construction or operation")
		}
		w, wok := fixed(f.Weight, weightScale)
		if !wok || w < 0 {
			fast, wok = false, false
			ev.checkWeight(i, f.Weight)
		} else {
			ev.weights[i] = w
			wsum = wsum.add(u128{lo: uint64(w)})
		}
		ok1 := ev.estimate(i, "initial", f.Initial, &fr.Initial)
		ok2 := false
		if f.Residual == nil {
			ps.Add("factor.residual_missing", ssra.Index("factors", i)+".residual", "estimate the level once the measures are in place (落实措施后)")
		} else {
			ok2 = ev.estimate(i, "residual", *f.Residual, &fr.Residual)
		}
		if len(f.Measures) > 0 {
			ev.checkMeasures(i, f, measures)
		}
		if ok1 && ok2 {
			ci, cr := fr.Initial.Score, fr.Residual.Score
			cli := &c.cells[(f.Initial.Probability-1)*c.ni+f.Initial.Impact-1]
			clr := &c.cells[(f.Residual.Probability-1)*c.ni+f.Residual.Impact-1]
			si, sr := cli.scoreInt, clr.scoreInt
			if wok {
				ev.counts[0].add(cli.level)
				ev.counts[1].add(clr.level)
				hi, lo := bits.Mul64(uint64(w), uint64(si))
				ev.sums[0] = ev.sums[0].add(u128{hi: hi, lo: lo})
				hi, lo = bits.Mul64(uint64(w), uint64(sr))
				ev.sums[1] = ev.sums[1].add(u128{hi: hi, lo: lo})
			}
			switch {
			case sr > si:
				ps.Warn("factor.residual_above_initial", ssra.Index("factors", i)+".residual", "the residual score %s is above the initial score %s", cr, ci)
			case sr < si && len(f.Measures) == 0:
				ps.Warn("factor.lowered_without_measure", ssra.Index("factors", i)+".measures", "the residual score is lower than the initial one but no measure is recorded")
			}
		}
	}
	ev.fastWeights = fast
	ev.checkWeightSum(fast, wsum)
}

func (ev *evaluation) checkWeight(i int, w decimal.Decimal) {
	field := ssra.Index("factors", i) + ".weight"
	if !checkDec(ev.ps, field, w) {
		return
	}
	if w.Sign() < 0 {
		ev.ps.Add("factor.weight_negative", field, "weight %s is negative", w)
	}
}

func (ev *evaluation) estimate(i int, which string, e Estimate, out *EstimateResult) bool {
	c, ps := ev.c, ev.ps
	ok := true
	if e.Probability < 1 || e.Probability > c.np {
		ps.Add("estimate.out_of_scale", ssra.Index("factors", i)+"."+which+".probability", "probability %d is outside the scale 1..%d", e.Probability, c.np)
		ok = false
	}
	if e.Impact < 1 || e.Impact > c.ni {
		ps.Add("estimate.out_of_scale", ssra.Index("factors", i)+"."+which+".impact", "impact %d is outside the scale 1..%d", e.Impact, c.ni)
		ok = false
	}
	if !ok {
		return false
	}
	cl := &c.cells[(e.Probability-1)*c.ni+e.Impact-1]
	// Field by field: the result slice is freshly zeroed, and a whole-struct
	// copy of a type with pointers costs a bulk write barrier.
	out.Score = cl.score
	out.Probability, out.Impact = e.Probability, e.Impact
	out.Degree, out.Level, out.DecidedBy = cl.degree, cl.level, RuleFactorThresholds
	if cl.degree != DegreeNone {
		out.DecidedBy = RuleMatrix
	}
	return true
}

func (ev *evaluation) checkMeasures(i int, f *Factor, set *idSet) {
	ps := ev.ps
	for j := range f.Measures {
		m := &f.Measures[j]
		field := func(name string) string {
			return ssra.Index(ssra.Index("factors", i)+".measures", j) + name
		}
		if m.ID == "" {
			ps.Add("measure.id_missing", field(".id"), "a measure needs an id")
		} else if len(f.Measures) > 4096 || i >= 1<<19 {
			ps.Add("measure.too_many", field(""), "a factor may have at most 4096 measures")
			return
		} else if _, ok := set.add(m.ID, int32(i<<12|j)); !ok {
			ps.Add("measure.id_duplicate", field(".id"), "measure id %q is used more than once", m.ID)
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

func (ev *evaluation) checkWeightSum(fast bool, wsum u128) {
	a, p, ps, res := ev.a, ev.p, ev.ps, ev.res
	res.Weights.Tolerance = p.WeightTolerance
	var sum decimal.Decimal
	if fast {
		if !wsum.overflow && wsum.hi == 0 && int64(wsum.lo) == pow10[weightScale] {
			res.Weights.Sum = decOne
			return
		}
		sum = wsum.decimal(-weightScale)
		if !wsum.overflow && wsum.hi == 0 && wsum.lo <= 1<<62 {
			diff := int64(wsum.lo) - pow10[weightScale]
			if diff < 0 {
				diff = -diff
			}
			if diff <= ev.c.tolerance {
				res.Weights.Sum = sum
				return
			}
		}
	} else {
		if ps.HasErrors() {
			return
		}
		sum = decimal.Zero
		for _, f := range a.Factors {
			sum = sum.Add(f.Weight)
		}
	}
	res.Weights.Sum = sum
	one := decimal.New(1, 0)
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
		ps.Add("weights.normalise", "factors", "the weights cannot be normalised: %v", err)
		return
	}
	res.Weights.Normalised = true
	res.Weights.Adjusted = adj
	ev.fastWeights = false
	for i := range res.Factors {
		res.Factors[i].Weight = norm[i]
	}
}

// levels computes both comprehensive indices and levels.
func (ev *evaluation) levels() {
	res := ev.res
	ev.level(&res.Initial, false)
	ev.level(&res.Residual, true)
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sumLevels sums Σ wᵢ·rᵢ in fixed point over the result's factors and
// counts them by level, for weights that were normalised or do not fit the
// fast path; fast is false when the fixed-point sum cannot hold them.
func (ev *evaluation) sumLevels(out *LevelResult, residual bool) (sum u128, fast bool) {
	c, res := ev.c, ev.res
	fast = true
	for i := range res.Factors {
		f := &res.Factors[i]
		e := pick(f, residual)
		out.Counts.add(e.Level)
		if !fast {
			continue
		}
		w, ok := int64(0), true
		if ev.fastWeights {
			w = ev.weights[i]
		} else {
			w, ok = fixed(f.Weight, weightScale)
		}
		if !ok {
			fast = false
			continue
		}
		cl := &c.cells[(e.Probability-1)*c.ni+e.Impact-1]
		hi, lo := bits.Mul64(uint64(w), uint64(cl.scoreInt))
		sum = sum.add(u128{hi: hi, lo: lo})
		if sum.overflow {
			fast = false
		}
	}
	return sum, fast
}

func pick(f *FactorResult, residual bool) *EstimateResult {
	if residual {
		return &f.Residual
	}
	return &f.Initial
}

func (ev *evaluation) level(out *LevelResult, residual bool) {
	c, p, res := ev.c, ev.p, ev.res
	var sum u128
	fast := true
	if k := b2i(residual); ev.fastWeights && !ev.sums[k].overflow {
		// The factor loop has summed and counted already.
		sum, out.Counts = ev.sums[k], ev.counts[k]
	} else {
		sum, fast = ev.sumLevels(out, residual)
	}
	scale := int32(weightScale) + c.scoreScale
	var q int64
	if fast {
		if q, fast = sum.roundDiv(scale - ssra.IndexScale); fast {
			out.Exact = sum.decimal(-scale)
			if out.Exact.Exponent() >= -ssra.IndexScale {
				out.Index = out.Exact // no rounding needed: share the value
			} else {
				out.Index = decimal.New(q, -ssra.IndexScale)
			}
		}
	}
	if !fast {
		exact := decimal.Zero
		for i := range res.Factors {
			f := &res.Factors[i]
			exact = exact.Add(f.Weight.Mul(pick(f, residual).Score))
		}
		out.Exact = exact
		out.Index = exact.Round(ssra.IndexScale)
		q, fast = fixed(out.Index, ssra.IndexScale)
	}
	if fast {
		switch {
		case q <= c.idxLow:
			out.IndexLevel = LevelLow
		case q <= c.idxMed:
			out.IndexLevel = LevelMedium
		default:
			out.IndexLevel = LevelHigh
		}
	} else {
		out.IndexLevel = p.IndexThresholds.Of(out.Index)
	}
	out.Level, out.DecidedBy = out.IndexLevel, RuleIndexThresholds
	for _, r := range p.FloorRules {
		if out.Counts.AtLeast(r.FactorLevel) >= r.MinCount && r.Floor > out.Level {
			out.Level, out.DecidedBy, out.FloorRule = r.Floor, RuleFloor, r.Name
		}
	}
}

// u128 is an unsigned 128-bit accumulator for exact fixed-point sums.
type u128 struct {
	hi, lo   uint64
	overflow bool
}

func (x u128) add(y u128) u128 {
	lo, carry := bits.Add64(x.lo, y.lo, 0)
	hi, c2 := bits.Add64(x.hi, y.hi, carry)
	return u128{hi: hi, lo: lo, overflow: x.overflow || y.overflow || c2 != 0}
}

// roundDiv returns x / 10^k rounded half-up, when it fits in int64.
func (x u128) roundDiv(k int32) (int64, bool) {
	if x.overflow || k < 0 || k > 19 {
		return 0, false
	}
	if k == 0 {
		if x.hi != 0 || x.lo > 1<<62 {
			return 0, false
		}
		return int64(x.lo), true
	}
	d := uint64(1)
	for i := int32(0); i < k; i++ {
		d *= 10
	}
	if x.hi >= d {
		return 0, false
	}
	q, r := bits.Div64(x.hi, x.lo, d)
	if r >= d-r {
		q++
	}
	if q > 1<<62 {
		return 0, false
	}
	return int64(q), true
}

// decimal returns x × 10^exp, with trailing zeros removed first.
func (x u128) decimal(exp int32) decimal.Decimal {
	if x.hi == 0 && x.lo == 0 {
		return decimal.Zero
	}
	// Divisibility by 10^k is monotone in k: find the largest k by
	// bisection, then divide once.
	lo, hi := 0, min(int(-exp), 19)
	for lo < hi {
		mid := (lo + hi + 1) / 2
		if x.mod(uint64(pow10u[mid])) == 0 {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	if lo > 0 {
		d := pow10u[lo]
		qhi := x.hi / d
		qlo, _ := bits.Div64(x.hi%d, x.lo, d)
		x.hi, x.lo = qhi, qlo
		exp += int32(lo)
	}
	if x.hi == 0 && x.lo <= 1<<62 {
		return decimal.New(int64(x.lo), exp)
	}
	v := new(big.Int).SetUint64(x.hi)
	v.Lsh(v, 64)
	v.Or(v, new(big.Int).SetUint64(x.lo))
	return decimal.NewFromBigInt(v, exp)
}

// mod returns x mod d.
func (x u128) mod(d uint64) uint64 {
	_, r := bits.Div64(x.hi%d, x.lo, d)
	return r
}

var pow10u = func() [20]uint64 {
	var t [20]uint64
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

func (x u128) less(y u128) bool { return x.hi < y.hi || x.hi == y.hi && x.lo < y.lo }
