package riskeval

import "github.com/shopspring/decimal"

// compiled is a validated profile's table of cells, with a snapshot of the
// fields validation and evaluation depend on, so that a profile changed
// afterwards is validated again. It is immutable once built and shared by
// the copies of the Profile value.
type compiled struct {
	// cells[p-1][i-1] is the cell of probability p and impact i.
	cells [][]cell
	snap  snapshot
}

// cell is one (probability, impact) cell of a profile: its score
// r = grade(p) × grade(i), its matrix degree (when the profile has a
// matrix) and the factor level either gives.
type cell struct {
	score  decimal.Decimal
	degree Degree
	level  Level
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

// compile rates every cell of a validated profile: the score is the
// product of the grades; the level is the matrix degree's level when the
// profile has a matrix, and the score against the factor thresholds
// otherwise.
func compile(p Profile) *compiled {
	c := &compiled{cells: make([][]cell, len(p.Probability.Points)), snap: takeSnapshot(p)}
	for a, pp := range p.Probability.Points {
		c.cells[a] = make([]cell, len(p.Impact.Points))
		for b, ip := range p.Impact.Points {
			cl := cell{score: pp.Grade.Mul(ip.Grade)}
			if p.Matrix != nil {
				cl.degree = p.Matrix.degree(a+1, b+1)
				cl.level = p.Matrix.Levels.Of(cl.degree)
			} else {
				cl.level = p.FactorThresholds.Of(cl.score)
			}
			c.cells[a][b] = cl
		}
	}
	return c
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
