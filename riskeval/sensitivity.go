package riskeval

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// SensitivityResult is the robustness of an evaluation (敏感性分析): how far each
// comprehensive index lies from the thresholds of its level band, and for
// each factor the smallest change of one input that changes the residual
// level or the regime's outcome. The decision itself is unchanged: it
// follows the evaluation. See domain.md §1.8a.
type SensitivityResult struct {
	Profile ProfileRef `json:"profile"`
	Regime  RegimeRef  `json:"regime"`
	// Initial and Residual are the margins of the two comprehensive indices.
	Initial  Margin `json:"initial"`
	Residual Margin `json:"residual"`
	// Level and Outcome are the residual level and the regime's outcome
	// that the flips would change.
	Level   Level   `json:"level"`
	Outcome Outcome `json:"outcome"`
	// Factors hold each factor's flips, in assessment order.
	Factors []FactorSensitivity `json:"factors"`
	// Distribution is the residual level over the panel's ratings, when
	// factors carry them.
	Distribution *LevelDistribution `json:"distribution,omitempty"`
}

// Margin is the distance of a comprehensive index R (rounded to 6 places as
// the level is read) to the thresholds of its level band: Down is how far R
// lies above the band's lower threshold (R must fall to it, or below, for a
// lower index level), Up how far below the band's upper threshold (R must
// exceed it). A band without a threshold on that side has no distance.
// Nearest is the smaller of the two, the margin proper; NearestSide says
// which ("down" or "up").
type Margin struct {
	Index       decimal.Decimal  `json:"index"`
	IndexLevel  Level            `json:"index_level"`
	Down        *decimal.Decimal `json:"down,omitempty"`
	DownTo      *decimal.Decimal `json:"down_to,omitempty"`
	Up          *decimal.Decimal `json:"up,omitempty"`
	UpTo        *decimal.Decimal `json:"up_to,omitempty"`
	Nearest     decimal.Decimal  `json:"nearest"`
	NearestSide string           `json:"nearest_side"`
}

// FactorSensitivity is one factor's flips: for each way its residual
// estimate or its weight can move, the smallest change that changes the
// residual level, and the smallest that changes the outcome. A move with no
// flip was tried to the end of its range and changes nothing: that flip is
// not possible.
type FactorSensitivity struct {
	ID     string          `json:"id"`
	Weight decimal.Decimal `json:"weight"`
	// Score is the factor's residual score r = grade(p) × grade(i).
	Score decimal.Decimal `json:"score"`
	// Swing is how far the residual index moves between the factor's lowest
	// and highest scale points on both scales (the tornado chart's bar).
	SwingLow  decimal.Decimal `json:"swing_low"`
	SwingHigh decimal.Decimal `json:"swing_high"`
	Moves     []Move          `json:"moves"`
}

// MoveKind is the input a Move changes.
type MoveKind uint8

// The moves.
const (
	MoveNone MoveKind = iota
	// MoveProbabilityUp and the three after it move the residual estimate's
	// probability or impact by whole scale points.
	MoveProbabilityUp
	MoveProbabilityDown
	MoveImpactUp
	MoveImpactDown
	// MoveWeightUp and MoveWeightDown change the factor's weight, the other
	// weights scaled by (1 − w′)/(1 − w) so that all still sum to 1.
	MoveWeightUp
	MoveWeightDown
)

var moveKinds = ssra.NewEnum[MoveKind]("move",
	ssra.M("probability_up", "概率上调", "probability up"),
	ssra.M("probability_down", "概率下调", "probability down"),
	ssra.M("impact_up", "影响上调", "impact up"),
	ssra.M("impact_down", "影响下调", "impact down"),
	ssra.M("weight_up", "权重上调", "weight up"),
	ssra.M("weight_down", "权重下调", "weight down"),
)

// String returns the move's snake_case name.
func (m MoveKind) String() string { return moveKinds.String(m) }

// Valid reports whether m is a move.
func (m MoveKind) Valid() bool { return moveKinds.Valid(m) }

// Label returns the move's name for people in lang.
func (m MoveKind) Label(lang ssra.Lang) string { return moveKinds.Label(m, lang) }

// MarshalText encodes the move as its name and refuses an unset one.
func (m MoveKind) MarshalText() ([]byte, error) { return moveKinds.MarshalText(m) }

// UnmarshalText decodes a move name and rejects unknown text.
func (m *MoveKind) UnmarshalText(b []byte) error { return moveKinds.UnmarshalText(m, b) }

// Move is the outcome of moving one input of one factor in one direction:
// the smallest change that changes the residual level (LevelFlip) and the
// smallest that changes the regime's outcome (OutcomeFlip); nil when no
// change in that direction does.
type Move struct {
	Kind        MoveKind `json:"kind"`
	LevelFlip   *Flip    `json:"level_flip,omitempty"`
	OutcomeFlip *Flip    `json:"outcome_flip,omitempty"`
}

// Flip is one change and what it does: for a scale move, the number of
// points (Steps) and the new point (To); for a weight move, the factor's new
// weight (Weight, 6 places, the smallest change at that scale). Index is the
// new residual index rounded to 6 places, Level and Outcome the new ones.
type Flip struct {
	Steps   int             `json:"steps,omitempty"`
	To      int             `json:"to,omitempty"`
	Weight  decimal.Decimal `json:"weight,omitzero"`
	Index   decimal.Decimal `json:"index"`
	Level   Level           `json:"level"`
	Outcome Outcome         `json:"outcome"`
}

// levelModel reads levels the way Evaluate does, for changed inputs: the
// grades of each scale point, the factor level of each cell, the index
// thresholds, the floor rules and the regime's table.
type levelModel struct {
	p       *ProfileDef
	regime  Regime
	pGrades []decimal.Decimal
	iGrades []decimal.Decimal
	// cellLevel[(p−1)·ni + i−1] is the factor level of the cell.
	cellLevel []Level
	ni        int
	half      decimal.Decimal // 0.0000005: R rounds above T from T + half
}

func newLevelModel(p Profile, res Result) (*levelModel, error) {
	regime, ok := p.Regime(res.Regime.ID)
	if !ok {
		return nil, ssra.Errorf(ssra.KindInvalid, "riskeval.Sensitivity", "profile %s has no regime %q", p.Name(), res.Regime.ID)
	}
	m := &levelModel{p: p.def(), regime: regime, pGrades: res.Rules.ProbabilityGrades, iGrades: res.Rules.ImpactGrades,
		ni: len(res.Rules.ImpactGrades), half: decimal.New(5, -ssra.IndexScale-1)}
	m.cellLevel = make([]Level, len(m.pGrades)*m.ni)
	for pp := 1; pp <= len(m.pGrades); pp++ {
		for ii := 1; ii <= m.ni; ii++ {
			m.cellLevel[(pp-1)*m.ni+ii-1] = m.factorLevel(pp, ii)
		}
	}
	return m, nil
}

// factorLevel is the level of the cell (p, i): by the matrix when the
// profile has one, else by the factor thresholds on the score.
func (m *levelModel) factorLevel(p, i int) Level {
	if mx := m.p.Matrix; mx != nil {
		for _, row := range mx.Rows {
			if row.Probability == p && i-1 < len(row.Cells) {
				return mx.Levels.Of(row.Cells[i-1])
			}
		}
		return LevelNone
	}
	return m.p.FactorThresholds.Of(m.score(p, i))
}

func (m *levelModel) score(p, i int) decimal.Decimal { return m.pGrades[p-1].Mul(m.iGrades[i-1]) }

func (m *levelModel) cell(p, i int) Level { return m.cellLevel[(p-1)*m.ni+i-1] }

// level returns the level of an exact index with the given factor level
// counts: the index level of R rounded half-up to 6 places, raised by the
// floor rules in order.
func (m *levelModel) level(exact decimal.Decimal, counts LevelCounts) (decimal.Decimal, Level) {
	idx := exact.Round(ssra.IndexScale)
	l := m.p.IndexThresholds.Of(idx)
	for _, r := range m.p.FloorRules {
		if counts.AtLeast(r.FactorLevel) >= r.MinCount && r.Floor > l {
			l = r.Floor
		}
	}
	return idx, l
}

func (m *levelModel) outcome(l Level) Outcome { return m.regime.Rule(l).Outcome }

// margin returns the margin of one level result.
func (m *levelModel) margin(lr LevelResult) Margin { return indexMargin(m.p.IndexThresholds, lr) }

// indexMargin returns the margin of one level result's index to the index
// thresholds t of its band (domain.md §1.8a: the margin of an index is its
// distance to the nearest threshold of its level band).
func indexMargin(t Thresholds, lr LevelResult) Margin {
	out := Margin{Index: lr.Index, IndexLevel: lr.IndexLevel}
	var lower, upper *decimal.Decimal
	switch lr.IndexLevel {
	case LevelLow:
		upper = &t.LowMax
	case LevelMedium:
		lower, upper = &t.LowMax, &t.MediumMax
	case LevelHigh:
		lower = &t.MediumMax
	}
	if lower != nil {
		d, to := lr.Index.Sub(*lower), *lower
		out.Down, out.DownTo = &d, &to
		out.Nearest, out.NearestSide = d, "down"
	}
	if upper != nil {
		d, to := upper.Sub(lr.Index), *upper
		out.Up, out.UpTo = &d, &to
		if out.NearestSide == "" || d.Cmp(out.Nearest) < 0 {
			out.Nearest, out.NearestSide = d, "up"
		}
	}
	return out
}

// Sensitivity evaluates the assessment and returns its margins and, per
// factor, the smallest change of the residual probability, impact or weight
// that changes the residual level or the outcome. Scale moves are exact: the
// index moves by wᵢ·(r′ − r) and the factor's level by the matrix or the
// thresholds, with the floor rules applied to the new counts. Weight moves
// solve the linear index R(w′) = w′·rᵢ + (1 − w′)/(1 − wᵢ)·(R − wᵢ·rᵢ)
// exactly for the smallest weight at 6 places whose rounded index crosses a
// threshold. It fails as Evaluate does, and with KindInvalid for a factor
// without a residual estimate.
func Sensitivity(a Assessment, p Profile) (SensitivityResult, error) {
	return SensitivityWith(a, p, SensitivityOptions{})
}

// SensitivityWith is Sensitivity with the level distribution's method set
// by opt (zero fields take the documented defaults).
func SensitivityWith(a Assessment, p Profile, opt SensitivityOptions) (SensitivityResult, error) {
	res, err := Evaluate(a, p)
	if err != nil {
		return SensitivityResult{}, err
	}
	return sensitivity(a, p, res, opt)
}

func sensitivity(a Assessment, p Profile, res Result, opt SensitivityOptions) (SensitivityResult, error) {
	m, err := newLevelModel(p, res)
	if err != nil {
		return SensitivityResult{}, err
	}
	out := SensitivityResult{
		Profile: res.Profile, Regime: res.Regime,
		Initial: m.margin(res.Initial), Residual: m.margin(res.Residual),
		Level: res.Residual.Level, Outcome: res.Decision.Outcome,
		Factors: make([]FactorSensitivity, len(res.Factors)),
	}
	for i := range res.Factors {
		out.Factors[i] = m.factorSensitivity(res, i, out.Level, out.Outcome)
	}
	rated := make([][]Rating, len(a.Factors))
	for i, f := range a.Factors {
		if f.Residual != nil && len(f.Residual.Ratings) > 0 {
			rated[i] = f.Residual.Ratings
		}
	}
	out.Distribution = m.distribution(res, rated, opt)
	return out, nil
}

func (m *levelModel) factorSensitivity(res Result, i int, level Level, outcome Outcome) FactorSensitivity {
	f := res.Factors[i]
	e := f.Residual
	fs := FactorSensitivity{ID: f.ID, Weight: f.Weight, Score: e.Score}
	base := res.Residual.Exact
	np, ni := len(m.pGrades), len(m.iGrades)
	// at returns the index and level with factor i at cell (pp, ii).
	at := func(pp, ii int) (decimal.Decimal, decimal.Decimal, Level) {
		exact := base.Add(f.Weight.Mul(m.score(pp, ii).Sub(e.Score)))
		counts := res.Residual.Counts
		counts.remove(e.Level)
		counts.add(m.cell(pp, ii))
		idx, l := m.level(exact, counts)
		return exact, idx, l
	}
	lowExact, _, _ := at(1, 1)
	highExact, _, _ := at(np, ni)
	fs.SwingLow, fs.SwingHigh = lowExact.Round(ssra.IndexScale), highExact.Round(ssra.IndexScale)
	scaleMove := func(kind MoveKind, dp, di int) Move {
		mv := Move{Kind: kind}
		pp, ii := e.Probability, e.Impact
		for steps := 1; ; steps++ {
			pp, ii = pp+dp, ii+di
			if pp < 1 || pp > np || ii < 1 || ii > ni {
				return mv
			}
			_, idx, l := at(pp, ii)
			to := pp
			if di != 0 {
				to = ii
			}
			fl := &Flip{Steps: steps, To: to, Index: idx, Level: l, Outcome: m.outcome(l)}
			if mv.LevelFlip == nil && l != level {
				mv.LevelFlip = fl
			}
			if mv.OutcomeFlip == nil && fl.Outcome != outcome {
				mv.OutcomeFlip = fl
			}
			if mv.LevelFlip != nil && mv.OutcomeFlip != nil {
				return mv
			}
		}
	}
	fs.Moves = append(fs.Moves,
		scaleMove(MoveProbabilityUp, 1, 0), scaleMove(MoveProbabilityDown, -1, 0),
		scaleMove(MoveImpactUp, 0, 1), scaleMove(MoveImpactDown, 0, -1))
	fs.Moves = append(fs.Moves, m.weightMoves(res, i, level, outcome)...)
	return fs
}

// weightMoves finds, for a higher and a lower weight of factor i, the
// smallest change at 6 places that changes the level and the outcome.
func (m *levelModel) weightMoves(res Result, i int, level Level, outcome Outcome) []Move {
	f := res.Factors[i]
	up, down := Move{Kind: MoveWeightUp}, Move{Kind: MoveWeightDown}
	one := decimal.NewFromInt(1)
	B := one.Sub(f.Weight)
	if B.Sign() <= 0 {
		// The factor holds all the weight: there are no others to scale.
		return []Move{up, down}
	}
	r := f.Residual.Score
	A := res.Residual.Exact.Sub(f.Weight.Mul(r))
	D := r.Mul(B).Sub(A)
	if D.Sign() == 0 {
		// rᵢ equals the others' index: no weight moves R.
		return []Move{up, down}
	}
	counts := res.Residual.Counts
	// R(w′) = (A + w′·D)/B; the level reads R rounded half-up to 6 places.
	levelAt := func(w decimal.Decimal) (decimal.Decimal, Level) {
		exact := A.Add(w.Mul(D)).DivRound(B, 2*ssra.IndexScale+8)
		return m.level(exact, counts)
	}
	// The level is constant between the weights at which the rounded index
	// crosses a threshold T (R ≥ T + 0.0000005 rounds above T), so the
	// nearest flip is among the 6-place weights next to those crossings.
	step := decimal.New(1, -ssra.WeightScale)
	var cands []decimal.Decimal
	for _, t := range []decimal.Decimal{m.p.IndexThresholds.LowMax, m.p.IndexThresholds.MediumMax} {
		w := B.Mul(t.Add(m.half)).Sub(A).DivRound(D, 2*ssra.WeightScale+4)
		lo, hi := floorScale(w, ssra.WeightScale), ceilScale(w, ssra.WeightScale)
		cands = append(cands, lo.Sub(step), lo, hi, hi.Add(step))
	}
	cands = append(cands, decimal.Zero, one)
	slices.SortFunc(cands, func(a, b decimal.Decimal) int { return a.Sub(f.Weight).Abs().Cmp(b.Sub(f.Weight).Abs()) })
	for _, w := range cands {
		if w.Sign() < 0 || w.Cmp(one) > 0 || w.Equal(f.Weight) {
			continue
		}
		mv := &up
		if w.Cmp(f.Weight) < 0 {
			mv = &down
		}
		idx, l := levelAt(w)
		fl := &Flip{Weight: w, Index: idx, Level: l, Outcome: m.outcome(l)}
		if mv.LevelFlip == nil && l != level {
			mv.LevelFlip = fl
		}
		if mv.OutcomeFlip == nil && fl.Outcome != outcome {
			mv.OutcomeFlip = fl
		}
	}
	return []Move{up, down}
}

func ceilScale(d decimal.Decimal, places int32) decimal.Decimal {
	s := decimal.New(1, places)
	return d.Mul(s).Ceil().Div(s)
}

func floorScale(d decimal.Decimal, places int32) decimal.Decimal {
	s := decimal.New(1, places)
	return d.Mul(s).Floor().Div(s)
}

// MarginSentence is the plain sentence of the residual margin in the
// language, for reports: the index, its band and how far it lies from the
// nearest threshold. It is empty when the band has no threshold.
func MarginSentence(s SensitivityResult, lang ssra.Lang) string {
	return marginSentence(s.Residual, lang)
}

// marginSentence is the plain sentence of a residual margin.
func marginSentence(mg Margin, lang ssra.Lang) string {
	if mg.NearestSide == "" {
		return ""
	}
	to := mg.UpTo
	if mg.NearestSide == "down" {
		to = mg.DownTo
	}
	if lang == ssra.LangEN {
		dir := "below"
		if mg.NearestSide == "down" {
			dir = "above"
		}
		return fmt.Sprintf("The residual index %s is %s %s the threshold %s of the %s band.", mg.Index, mg.Nearest, dir, to, mg.IndexLevel)
	}
	dir := "低于"
	if mg.NearestSide == "down" {
		dir = "高于"
	}
	return fmt.Sprintf("落实措施后综合风险指数为%s，%s%s等级阈值%s，相差%s。", mg.Index, dir, mg.IndexLevel.Label(ssra.LangZH), to, mg.Nearest)
}

func (c *LevelCounts) remove(l Level) {
	switch l {
	case LevelLow:
		c.Low--
	case LevelMedium:
		c.Medium--
	case LevelHigh:
		c.High--
	}
}
