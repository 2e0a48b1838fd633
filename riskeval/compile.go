package riskeval

import (
	"fmt"
	"math"

	"github.com/shopspring/decimal"
)

// compiled is a profile prepared for evaluation: every (probability, impact)
// cell with its score, degree and level, and the thresholds as integers.
// It is immutable once built and shared by the copies of the Profile value.
type compiled struct {
	np, ni int
	cells  []cell // (p-1)*ni + (i-1)
	// scoreScale is the number of decimal places of every cell's scoreInt.
	scoreScale int32
	// index thresholds at the index scale (6 places), exact.
	idxLow, idxMed int64
	// survey thresholds as fixed-point shares at surveyScale places.
	surveyHigh, surveyMed int64
	surveyScale           int32
	// tolerance of the weight sum at the weight scale (18 places).
	tolerance int64
	// snapshot of what was compiled, to detect a profile changed afterwards.
	snap snapshot
}

type cell struct {
	score    decimal.Decimal
	scoreInt int64 // score × 10^scoreScale, exact
	degree   Degree
	level    Level
}

type snapshot struct {
	pGrades, iGrades                       []decimal.Decimal
	matrix                                 []Degree
	levels                                 DegreeLevels
	factorLow, factorMed, indexLow, idxMed decimal.Decimal
	floors                                 []FloorRule
	survey                                 SurveyMapping
	regimes                                []regimeSnap
	panel                                  PanelRule
	tolerance                              decimal.Decimal
}

type regimeSnap struct {
	id                string
	low, medium, high Outcome
	lowN, medN, highN int
	minComment        int
}

// fixed returns d as an integer at the given scale when that is exact and
// fits in int64 without overflow.
func fixed(d decimal.Decimal, scale int32) (int64, bool) {
	digits := d.NumDigits()
	if digits > 18 {
		return 0, false
	}
	c := d.CoefficientInt64()
	shift := scale + d.Exponent()
	switch {
	case shift < 0:
		return 0, false
	case shift == 0:
		return c, true
	case shift > 18:
		return 0, c == 0
	case int32(digits)+shift <= 18:
		// |c| < 10^digits, so |c·10^shift| < 10^18: no overflow.
		return c * pow10[shift], true
	}
	p := pow10[shift]
	if c != 0 && (c > math.MaxInt64/p || c < math.MinInt64/p) {
		return 0, false
	}
	return c * p, true
}

var pow10 = func() [19]int64 {
	var t [19]int64
	t[0] = 1
	for i := 1; i < len(t); i++ {
		t[i] = t[i-1] * 10
	}
	return t
}()

// places returns the number of decimal places of d's representation.
func places(d decimal.Decimal) int32 {
	if e := d.Exponent(); e < 0 {
		return -e
	}
	return 0
}

func compile(p Profile) (*compiled, error) {
	np, ni := len(p.Probability.Points), len(p.Impact.Points)
	c := &compiled{np: np, ni: ni, cells: make([]cell, np*ni)}
	var sp, si int32
	for _, pt := range p.Probability.Points {
		sp = max(sp, places(pt.Grade))
	}
	for _, pt := range p.Impact.Points {
		si = max(si, places(pt.Grade))
	}
	c.scoreScale = sp + si
	if c.scoreScale > 12 {
		return nil, fmt.Errorf("grade values have too many decimal places (%d + %d > 12)", sp, si)
	}
	var grid [][]Degree
	if p.Matrix != nil {
		grid = make([][]Degree, np+1)
		for _, r := range p.Matrix.Rows {
			grid[r.Probability] = r.Cells
		}
	}
	for a := 1; a <= np; a++ {
		for b := 1; b <= ni; b++ {
			score := p.Probability.Points[a-1].Grade.Mul(p.Impact.Points[b-1].Grade)
			si, ok := fixed(score, c.scoreScale)
			if !ok {
				return nil, fmt.Errorf("score of cell (%d, %d) is too large", a, b)
			}
			cl := cell{score: score, scoreInt: si}
			if grid != nil {
				cl.degree = grid[a][b-1]
				cl.level = p.Matrix.Levels.Of(cl.degree)
			} else {
				cl.level = p.FactorThresholds.Of(score)
			}
			c.cells[(a-1)*ni+(b-1)] = cl
		}
	}
	var ok1, ok2, ok3 bool
	c.idxLow, ok1 = fixed(p.IndexThresholds.LowMax, 6)
	c.idxMed, ok2 = fixed(p.IndexThresholds.MediumMax, 6)
	c.tolerance, ok3 = fixed(p.WeightTolerance, weightScale)
	if !ok1 || !ok2 || !ok3 {
		return nil, fmt.Errorf("index thresholds or weight tolerance out of range")
	}
	c.surveyScale = max(places(p.Survey.HighMin), places(p.Survey.MediumMin))
	if c.surveyScale > 18 {
		return nil, fmt.Errorf("survey thresholds have too many decimal places")
	}
	c.surveyHigh, ok1 = fixed(p.Survey.HighMin, c.surveyScale)
	c.surveyMed, ok2 = fixed(p.Survey.MediumMin, c.surveyScale)
	if !ok1 || !ok2 {
		return nil, fmt.Errorf("survey thresholds out of range")
	}
	c.snap = takeSnapshot(p)
	return c, nil
}

func takeSnapshot(p Profile) snapshot {
	s := snapshot{
		factorLow: p.FactorThresholds.LowMax, factorMed: p.FactorThresholds.MediumMax,
		indexLow: p.IndexThresholds.LowMax, idxMed: p.IndexThresholds.MediumMax,
		floors: append([]FloorRule(nil), p.FloorRules...), survey: p.Survey, panel: p.Panel, tolerance: p.WeightTolerance,
	}
	for _, pt := range p.Probability.Points {
		s.pGrades = append(s.pGrades, pt.Grade)
	}
	for _, pt := range p.Impact.Points {
		s.iGrades = append(s.iGrades, pt.Grade)
	}
	if p.Matrix != nil {
		s.levels = p.Matrix.Levels
		for _, r := range p.Matrix.Rows {
			s.matrix = append(s.matrix, Degree(r.Probability))
			s.matrix = append(s.matrix, r.Cells...)
		}
	}
	for _, r := range p.Regimes {
		s.regimes = append(s.regimes, regimeSnap{id: r.ID, low: r.Low.Outcome, medium: r.Medium.Outcome, high: r.High.Outcome,
			lowN: len(r.Low.Reasons), medN: len(r.Medium.Reasons), highN: len(r.High.Reasons), minComment: r.MinCommentDays})
	}
	return s
}

// matches reports whether p still holds what c was compiled from.
func (c *compiled) matches(p *Profile) bool {
	s := &c.snap
	if len(p.Probability.Points) != len(s.pGrades) || len(p.Impact.Points) != len(s.iGrades) ||
		len(p.FloorRules) != len(s.floors) || len(p.Regimes) != len(s.regimes) {
		return false
	}
	for i := range s.pGrades {
		if !p.Probability.Points[i].Grade.Equal(s.pGrades[i]) || p.Probability.Points[i].Value != i+1 {
			return false
		}
	}
	for i := range s.iGrades {
		if !p.Impact.Points[i].Grade.Equal(s.iGrades[i]) || p.Impact.Points[i].Value != i+1 {
			return false
		}
	}
	if (p.Matrix == nil) != (s.matrix == nil) {
		return false
	}
	if p.Matrix != nil {
		if p.Matrix.Levels != s.levels {
			return false
		}
		k := 0
		for _, r := range p.Matrix.Rows {
			if k+1+len(r.Cells) > len(s.matrix) || s.matrix[k] != Degree(r.Probability) {
				return false
			}
			k++
			for _, d := range r.Cells {
				if s.matrix[k] != d {
					return false
				}
				k++
			}
		}
		if k != len(s.matrix) {
			return false
		}
	}
	if !p.FactorThresholds.LowMax.Equal(s.factorLow) || !p.FactorThresholds.MediumMax.Equal(s.factorMed) ||
		!p.IndexThresholds.LowMax.Equal(s.indexLow) || !p.IndexThresholds.MediumMax.Equal(s.idxMed) ||
		!p.Survey.HighMin.Equal(s.survey.HighMin) || !p.Survey.MediumMin.Equal(s.survey.MediumMin) ||
		!p.WeightTolerance.Equal(s.tolerance) || p.Panel.MinSize != s.panel.MinSize ||
		p.Panel.LargeMinSize != s.panel.LargeMinSize || !p.Panel.LargeInvestment.Equal(s.panel.LargeInvestment) {
		return false
	}
	for i, f := range p.FloorRules {
		g := s.floors[i]
		if f.Name != g.Name || f.FactorLevel != g.FactorLevel || f.MinCount != g.MinCount || f.Floor != g.Floor {
			return false
		}
	}
	for i, r := range p.Regimes {
		g := s.regimes[i]
		if r.ID != g.id || r.Low.Outcome != g.low || r.Medium.Outcome != g.medium || r.High.Outcome != g.high ||
			len(r.Low.Reasons) != g.lowN || len(r.Medium.Reasons) != g.medN || len(r.High.Reasons) != g.highN ||
			r.MinCommentDays != g.minComment {
			return false
		}
	}
	return true
}
