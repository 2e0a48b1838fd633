package riskeval

import (
	"embed"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// ProfileDef is the data of a risk profile (参数方案), a set of risk
// criteria in ISO 31000 terms: the scales on which probability and impact
// are rated, an optional probability × impact matrix, the thresholds that
// turn scores and indices into levels, floor rules, the mapping from a
// survey's opposition share to a suggested level, the decision regimes, and
// the expert panel rule. It is what JSON holds; NewProfile validates it and
// builds a Profile.
type ProfileDef struct {
	Name    string     `json:"name"`
	Version string     `json:"version"`
	Basis   Basis      `json:"basis"`
	Title   ssra.Label `json:"title"`
	Note    ssra.Label `json:"note,omitzero"`
	// Probability is the scale of probability (发生概率), 5 or 7 points.
	Probability Scale `json:"probability"`
	// Impact is the scale of impact (影响程度), with as many points as Probability or not.
	Impact Scale `json:"impact"`
	// Matrix, when present, decides each factor's degree and level; without
	// it the factor level comes from FactorThresholds applied to the score.
	Matrix *Matrix `json:"matrix,omitempty"`
	// FactorThresholds turn a factor score r = p × i into a level.
	FactorThresholds Thresholds `json:"factor_thresholds"`
	// IndexThresholds turn the comprehensive index R = Σ wᵢ·rᵢ into a level.
	IndexThresholds Thresholds `json:"index_thresholds"`
	// FloorRules raise the overall level, evaluated in order.
	FloorRules []FloorRule `json:"floor_rules"`
	// Survey maps the opposition share of a survey to an advisory level.
	Survey SurveyMapping `json:"survey"`
	// Regimes hold each regime's table from residual level to outcome.
	Regimes []Regime `json:"regimes"`
	// Panel is the expert panel size rule (专家组人数).
	Panel PanelRule `json:"panel"`
	// WeightTolerance is how far the factor weights may sum from 1; zero
	// means exactly 1.
	WeightTolerance decimal.Decimal `json:"weight_tolerance"`
}

// Scale is an ordinal scale whose points are numbered 1..n.
type Scale struct {
	Points []ScalePoint `json:"points"`
}

// ScalePoint is one point of a scale: its number, its label, the grade value
// used in scores (e.g. 0.2 … 1.0) and, for probabilities, the range it
// stands for (e.g. "0–20 %").
type ScalePoint struct {
	Value int             `json:"value"`
	Label ssra.Label      `json:"label"`
	Grade decimal.Decimal `json:"grade"`
	Range string          `json:"range,omitempty"`
}

// Matrix is a probability × impact matrix (风险概率-影响矩阵). Each row gives,
// for one probability point, the degree in each impact column 1..n.
type Matrix struct {
	Rows   []MatrixRow  `json:"rows"`
	Levels DegreeLevels `json:"levels"`
}

// MatrixRow is the row of the matrix for one probability point.
type MatrixRow struct {
	Probability int      `json:"probability"`
	Cells       []Degree `json:"cells"`
}

// DegreeLevels maps each degree to a factor level.
type DegreeLevels struct {
	N Level `json:"n"`
	L Level `json:"l"`
	M Level `json:"m"`
	H Level `json:"h"`
	S Level `json:"s"`
}

// grades returns the grade values of the points 1..n.
func (s Scale) grades() []decimal.Decimal {
	gs := make([]decimal.Decimal, len(s.Points))
	for i, pt := range s.Points {
		gs[i] = pt.Grade
	}
	return gs
}

// degree returns the degree of the cell (probability, impact), or
// DegreeNone when the matrix has no such cell.
func (m Matrix) degree(probability, impact int) Degree {
	for _, r := range m.Rows {
		if r.Probability == probability && impact >= 1 && impact <= len(r.Cells) {
			return r.Cells[impact-1]
		}
	}
	return DegreeNone
}

// Of returns the level of degree d.
func (dl DegreeLevels) Of(d Degree) Level {
	switch d {
	case DegreeN:
		return dl.N
	case DegreeL:
		return dl.L
	case DegreeM:
		return dl.M
	case DegreeH:
		return dl.H
	case DegreeS:
		return dl.S
	}
	return LevelNone
}

// Thresholds turn a value into a level: value ≤ LowMax is low, value ≤
// MediumMax is medium, above is high (upper bounds inclusive).
type Thresholds struct {
	LowMax    decimal.Decimal `json:"low_max"`
	MediumMax decimal.Decimal `json:"medium_max"`
}

// Of returns the level of v.
func (t Thresholds) Of(v decimal.Decimal) Level {
	switch {
	case v.Cmp(t.LowMax) <= 0:
		return LevelLow
	case v.Cmp(t.MediumMax) <= 0:
		return LevelMedium
	}
	return LevelHigh
}

// FloorRule raises the overall level to at least Floor when at least
// MinCount factors are at FactorLevel or above (for example: one high
// factor makes the overall level at least medium). [practice]
type FloorRule struct {
	Name        string     `json:"name"`
	Label       ssra.Label `json:"label"`
	FactorLevel Level      `json:"factor_level"`
	MinCount    int        `json:"min_count"`
	Floor       Level      `json:"floor"`
}

// SurveyMapping maps the share of respondents who oppose to a suggested,
// advisory level: share ≥ HighMin is high, share ≥ MediumMin is medium,
// below is low. No national cut-off exists [practice].
type SurveyMapping struct {
	HighMin   decimal.Decimal `json:"high_min"`
	MediumMin decimal.Decimal `json:"medium_min"`
	Basis     Basis           `json:"basis"`
}

// Of returns the suggested level for an opposition share.
func (m SurveyMapping) Of(share decimal.Decimal) Level {
	switch {
	case share.Cmp(m.HighMin) >= 0:
		return LevelHigh
	case share.Cmp(m.MediumMin) >= 0:
		return LevelMedium
	}
	return LevelLow
}

// OfCounts returns the suggested level for oppose of valid answers, read
// from the exact share: oppose ≥ HighMin × valid is high, and so on, with
// no division and so no rounding.
func (m SurveyMapping) OfCounts(oppose, valid int64) Level {
	o, v := decimal.NewFromInt(oppose), decimal.NewFromInt(valid)
	switch {
	case o.Cmp(m.HighMin.Mul(v)) >= 0:
		return LevelHigh
	case o.Cmp(m.MediumMin.Mul(v)) >= 0:
		return LevelMedium
	}
	return LevelLow
}

// Regime is a decision rule (决策规则): what kind of approval the assessment
// serves and the outcome each residual level implies, with the legal basis.
type Regime struct {
	ID    string     `json:"id"`
	Label ssra.Label `json:"label"`
	// LegalBasis names the text, e.g. "发改投资〔2012〕2492号".
	LegalBasis string     `json:"legal_basis"`
	Basis      Basis      `json:"basis"`
	Low        RegimeRule `json:"low"`
	Medium     RegimeRule `json:"medium"`
	High       RegimeRule `json:"high"`
	// MinCommentDays is the public comment period the regime expects
	// (Order 713: generally at least 30 days); 0 means no rule.
	MinCommentDays int `json:"min_comment_days"`
	// MajorDecisionProcedure says the regime follows the procedure of
	// State Council Order 713 for major administrative decisions
	// (重大行政决策程序): public participation, expert review, risk
	// assessment, legality review and collective decision. The gate then
	// refuses without them (see GateDecision); otherwise it warns.
	MajorDecisionProcedure bool `json:"major_decision_procedure,omitempty"`
}

// Rule returns the rule for a residual level.
func (r Regime) Rule(l Level) RegimeRule {
	switch l {
	case LevelLow:
		return r.Low
	case LevelMedium:
		return r.Medium
	case LevelHigh:
		return r.High
	}
	return RegimeRule{}
}

// RegimeRule is the outcome of one residual level under a regime and the
// reasons a decision states.
type RegimeRule struct {
	Outcome Outcome      `json:"outcome"`
	Reasons []ssra.Label `json:"reasons"`
}

// PanelRule is the expert panel size rule [practice]: at least MinSize
// experts, and at least LargeMinSize when the investment reaches
// LargeInvestment (in yuan). Zero values switch the rule off.
type PanelRule struct {
	MinSize         int             `json:"min_size"`
	LargeMinSize    int             `json:"large_min_size"`
	LargeInvestment decimal.Decimal `json:"large_investment"`
	// Aggregation turns members' ratings into the estimate used (default
	// median).
	Aggregation Aggregation `json:"aggregation,omitempty"`
	// ConsensusMaxIQR is the largest interquartile range, on either scale,
	// that counts as consensus (default 1 point).
	ConsensusMaxIQR decimal.Decimal `json:"consensus_max_iqr,omitzero"`
	// MinConcordance is the Kendall's W below which the panel's agreement is
	// a quality finding (panel.low_concordance); zero switches it off.
	MinConcordance decimal.Decimal `json:"min_concordance,omitzero"`
	// RequireConsensus refuses to submit an assessment whose rated estimates
	// lack consensus; MinRounds refuses one with fewer Delphi rounds.
	RequireConsensus bool `json:"require_consensus,omitempty"`
	MinRounds        int  `json:"min_rounds,omitempty"`
}

// Regime returns the regime with the given id.
func (p ProfileDef) Regime(id string) (Regime, bool) {
	for _, r := range p.Regimes {
		if r.ID == id {
			return r, true
		}
	}
	return Regime{}, false
}

// Validate returns every problem of the profile definition, with field
// paths and stable codes (profile.*). A definition with error-severity
// problems cannot be built into a Profile.
func (p ProfileDef) Validate() ssra.Problems {
	var ps ssra.Problems
	if p.Name == "" {
		ps.Add("profile.name_missing", "name", "a profile needs a name")
	}
	if p.Version == "" {
		ps.Add("profile.version_missing", "version", "a profile needs a version")
	}
	if p.Basis == BasisNone {
		ps.Add("profile.basis_missing", "basis", "say whether the profile is law or practice")
	}
	validateScale(&ps, "probability", p.Probability)
	validateScale(&ps, "impact", p.Impact)
	if p.Matrix != nil {
		validateMatrix(&ps, "matrix", *p.Matrix, len(p.Probability.Points), len(p.Impact.Points))
	}
	validateThresholds(&ps, "factor_thresholds", p.FactorThresholds)
	validateThresholds(&ps, "index_thresholds", p.IndexThresholds)
	for i, r := range p.FloorRules {
		f := ssra.Index("floor_rules", i)
		if r.Name == "" {
			ps.Add("profile.rule_name_missing", f+".name", "a floor rule needs a name")
		}
		if !r.FactorLevel.Valid() {
			ps.Add("profile.level_invalid", f+".factor_level", "factor_level must be low, medium or high")
		}
		if !r.Floor.Valid() {
			ps.Add("profile.level_invalid", f+".floor", "floor must be low, medium or high")
		}
		if r.MinCount < 1 {
			ps.Add("profile.count_invalid", f+".min_count", "min_count must be at least 1")
		}
	}
	if p.Survey.Basis == BasisNone {
		ps.Add("profile.basis_missing", "survey.basis", "say whether the survey mapping is law or practice")
	}
	validateShare(&ps, "survey.high_min", p.Survey.HighMin)
	validateShare(&ps, "survey.medium_min", p.Survey.MediumMin)
	if p.Survey.MediumMin.Cmp(p.Survey.HighMin) > 0 {
		ps.Add("profile.survey_order", "survey.medium_min", "medium_min %s is above high_min %s", p.Survey.MediumMin, p.Survey.HighMin)
	}
	if len(p.Regimes) == 0 {
		ps.Add("profile.regimes_missing", "regimes", "a profile needs at least one regime")
	}
	seen := map[string]int{}
	for i, r := range p.Regimes {
		f := ssra.Index("regimes", i)
		if r.ID == "" {
			ps.Add("profile.regime_id_missing", f+".id", "a regime needs an id")
		} else if j, dup := seen[r.ID]; dup {
			ps.Add("profile.regime_duplicate", f+".id", "regime %q is already defined at regimes[%d]", r.ID, j)
		} else {
			seen[r.ID] = i
		}
		for _, lv := range []Level{LevelLow, LevelMedium, LevelHigh} {
			rule := r.Rule(lv)
			if !rule.Outcome.Valid() {
				ps.Add("profile.outcome_invalid", f+"."+lv.String()+".outcome", "outcome must be approve, approve_with_measures, revise_and_reassess or reject")
			}
		}
		// A higher residual level may never be treated more leniently.
		if r.Low.Outcome.Valid() && r.Medium.Outcome.Valid() && r.High.Outcome.Valid() &&
			(r.Medium.Outcome < r.Low.Outcome || r.High.Outcome < r.Medium.Outcome) {
			ps.Add("profile.regime_not_monotone", f, "a higher residual level has a more lenient outcome than a lower one")
		}
		if r.MinCommentDays < 0 {
			ps.Add("profile.days_invalid", f+".min_comment_days", "min_comment_days must not be negative")
		}
	}
	if p.Panel.MinSize < 0 || p.Panel.LargeMinSize < 0 {
		ps.Add("profile.panel_invalid", "panel", "panel sizes must not be negative")
	}
	checkDec(&ps, "panel.large_investment", p.Panel.LargeInvestment)
	checkDec(&ps, "weight_tolerance", p.WeightTolerance)
	if p.WeightTolerance.Sign() < 0 || p.WeightTolerance.Cmp(decimal.New(1, -1)) > 0 {
		ps.Add("profile.tolerance_invalid", "weight_tolerance", "weight_tolerance must be between 0 and 0.1")
	}
	return ps
}

func checkDec(ps *ssra.Problems, field string, d decimal.Decimal) bool {
	if err := ssra.CheckDecimal(d); err != nil {
		ps.Add("decimal.out_of_range", field, "%s", ssra.Reason(err))
		return false
	}
	return true
}

func validateShare(ps *ssra.Problems, field string, d decimal.Decimal) {
	if !checkDec(ps, field, d) {
		return
	}
	if d.Sign() < 0 || d.Cmp(decimal.NewFromInt(1)) > 0 {
		ps.Add("profile.share_invalid", field, "%s is not a share between 0 and 1", d)
	}
}

func validateScale(ps *ssra.Problems, field string, s Scale) {
	n := len(s.Points)
	if n < 3 || n > 9 {
		ps.Add("profile.scale_size", field+".points", "a scale needs 3 to 9 points, has %d", n)
		return
	}
	for i, pt := range s.Points {
		f := ssra.Index(field+".points", i)
		if pt.Value != i+1 {
			ps.Add("profile.scale_value", f+".value", "point %d must have value %d, has %d", i, i+1, pt.Value)
		}
		if pt.Label.ZH == "" || pt.Label.EN == "" {
			ps.Add("profile.label_missing", f+".label", "a scale point needs zh-CN and en labels")
		}
		if !checkDec(ps, f+".grade", pt.Grade) {
			continue
		}
		if pt.Grade.Sign() <= 0 {
			ps.Add("profile.grade_invalid", f+".grade", "grade %s must be positive", pt.Grade)
		}
		if pt.Grade.Exponent() < -6 && !pt.Grade.Equal(pt.Grade.Round(6)) {
			ps.Add("profile.grade_scale", f+".grade", "grade %s has more than 6 decimal places", pt.Grade)
		}
		if i > 0 && pt.Grade.Cmp(s.Points[i-1].Grade) <= 0 {
			ps.Add("profile.grade_order", f+".grade", "grade %s is not above the previous point's %s", pt.Grade, s.Points[i-1].Grade)
		}
	}
}

func validateThresholds(ps *ssra.Problems, field string, t Thresholds) {
	ok1 := checkDec(ps, field+".low_max", t.LowMax)
	ok2 := checkDec(ps, field+".medium_max", t.MediumMax)
	if !ok1 || !ok2 {
		return
	}
	for _, x := range []struct {
		name string
		v    decimal.Decimal
	}{{"low_max", t.LowMax}, {"medium_max", t.MediumMax}} {
		if x.v.Sign() < 0 {
			ps.Add("profile.threshold_invalid", field+"."+x.name, "threshold %s is negative", x.v)
		}
		if !x.v.Equal(x.v.Round(6)) {
			ps.Add("profile.threshold_scale", field+"."+x.name, "threshold %s has more than 6 decimal places (indices are rounded to 6)", x.v)
		}
	}
	if t.LowMax.Cmp(t.MediumMax) >= 0 {
		ps.Add("profile.threshold_order", field+".medium_max", "medium_max %s must be above low_max %s", t.MediumMax, t.LowMax)
	}
}

// validateMatrix checks shape, indices, degrees, the degree-to-level map and
// monotonicity: no cell may be lower than a cell with smaller or equal
// probability and impact (its left or lower neighbour).
func validateMatrix(ps *ssra.Problems, field string, m Matrix, np, ni int) {
	if np < 3 || ni < 3 {
		return // the scales are already reported
	}
	if len(m.Rows) != np {
		ps.Add("matrix.shape", field+".rows", "the matrix needs %d rows (one per probability point), has %d", np, len(m.Rows))
	}
	grid := make([][]Degree, np+1)
	for i, row := range m.Rows {
		f := ssra.Index(field+".rows", i)
		if row.Probability < 1 || row.Probability > np {
			ps.Add("matrix.index", f+".probability", "probability %d is outside 1..%d", row.Probability, np)
			continue
		}
		if grid[row.Probability] != nil {
			ps.Add("matrix.duplicate_row", f+".probability", "probability %d has more than one row", row.Probability)
			continue
		}
		if len(row.Cells) != ni {
			ps.Add("matrix.shape", f+".cells", "the row needs %d cells (one per impact point), has %d", ni, len(row.Cells))
			continue
		}
		ok := true
		for j, c := range row.Cells {
			if !c.Valid() {
				ps.Add("matrix.degree", ssra.Index(f+".cells", j), "cell must be one of n, l, m, h, s")
				ok = false
			}
		}
		if ok {
			grid[row.Probability] = row.Cells
		}
	}
	for p := 1; p <= np; p++ {
		if grid[p] == nil {
			if !hasRow(m, p) {
				ps.Add("matrix.missing_row", field+".rows", "no row for probability %d", p)
			}
			continue
		}
		for i := 1; i <= ni; i++ {
			c := grid[p][i-1]
			if i > 1 && c < grid[p][i-2] {
				ps.Add("matrix.not_monotone", fmt.Sprintf("%s.rows[p=%d].cells[%d]", field, p, i-1),
					"cell (p=%d, i=%d) = %s is lower than its left neighbour (p=%d, i=%d) = %s", p, i, c, p, i-1, grid[p][i-2])
			}
			if p > 1 && grid[p-1] != nil && c < grid[p-1][i-1] {
				ps.Add("matrix.not_monotone", fmt.Sprintf("%s.rows[p=%d].cells[%d]", field, p, i-1),
					"cell (p=%d, i=%d) = %s is lower than the cell below it (p=%d, i=%d) = %s", p, i, c, p-1, i, grid[p-1][i-1])
			}
		}
	}
	lv := []Level{m.Levels.N, m.Levels.L, m.Levels.M, m.Levels.H, m.Levels.S}
	for i, l := range lv {
		name := Degree(i + 1).String()
		if !l.Valid() {
			ps.Add("matrix.level_invalid", field+".levels."+name, "degree %s needs a level: low, medium or high", name)
			continue
		}
		if i > 0 && lv[i-1].Valid() && l < lv[i-1] {
			ps.Add("matrix.level_not_monotone", field+".levels."+name, "degree %s maps to a lower level than degree %s", name, Degree(i).String())
		}
	}
}

func hasRow(m Matrix, p int) bool {
	for _, r := range m.Rows {
		if r.Probability == p {
			return true
		}
	}
	return false
}

// DecodeProfile decodes one profile definition strictly (as
// DecodeAssessment does) and builds it as NewProfile does. Errors are
// *ssra.Error of KindInvalid with the problems listed.
func DecodeProfile(data []byte) (Profile, error) {
	var def ProfileDef
	if err := strictjson.Decode(data, &def, "riskeval.DecodeProfile"); err != nil {
		return Profile{}, err
	}
	return NewProfile(def)
}

//go:embed presets/*.json
var presetFS embed.FS

// presetNames lists the shipped profiles.
var presetNames = []string{"practice", "textbook5x5"}

// PresetNames returns the names of the shipped profiles, sorted.
func PresetNames() []string {
	out := append([]string(nil), presetNames...)
	sort.Strings(out)
	return out
}

// Preset returns a shipped profile, compiled:
//
//   - "practice" v1 (the default): 5-point scales with grade values 0.2, 0.4,
//     0.6, 0.8, 1.0; factor score r = p × i; factor and index levels by
//     R ≤ 0.36 low, 0.36 < R ≤ 0.64 medium, R > 0.64 high; one floor rule
//     (a high factor makes the overall level at least medium); the survey
//     mapping opposition ≥ 50 % high, ≥ 20 % medium; no matrix. These numbers
//     are common practice, not a national rule: no national text fixes scales,
//     thresholds or survey cut-offs.
//   - "textbook5x5" v1: the same scales with the five-zone probability ×
//     impact matrix modelled on the consulting-engineer textbook (cell layout
//     ours, not a quotation); degrees S and H are high, M medium, L and N low.
//
// Both carry the three regimes of domain practice: ndrc2012_project,
// central2012_decision and order713_2019. It fails with KindNotFound for an
// unknown name.
//
// Preset returns a Profile value where appraisal.Preset and stability.Preset
// return pointers: a Profile is already an immutable handle on its compiled
// form, safe to share and as cheap to copy as a pointer, so a value is all a
// caller needs; a Scheme and a stability Profile are larger structures used
// through their pointer methods. All three build a new object on every call.
func Preset(name string) (Profile, error) {
	b, err := presetFS.ReadFile("presets/" + name + ".json")
	if err != nil {
		return Profile{}, ssra.Errorf(ssra.KindNotFound, "riskeval.Preset", "no preset profile %q (have %v)", name, PresetNames())
	}
	p, err := DecodeProfile(b)
	if err != nil {
		return Profile{}, fmt.Errorf("riskeval.Preset %q: %w", name, err)
	}
	return p, nil
}
