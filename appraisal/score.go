package appraisal

import (
	"math"

	"github.com/ssra-go/ssra"
)

// Item state flags.
const (
	fInput uint16 = 1 << iota
	fCapped
	fFloored
	fRounded
	fFull
	fZero
	fNoStep
	fSized
	fMultiplied
	fVetoImposed
	fVetoRecommended
	fEmptyFull     // nothing to measure: full marks (when_empty)
	fEmptyExcluded // nothing to measure: left out, the total rescaled
)

// itemState is the exact fixed-point record of one item's scoring. The
// item's signed contribution to the total is derived (contribOf).
type itemState struct {
	// gross is the points earned (direct, attainment) or the amount
	// deducted or added before the item's cap and floor (10⁻¹²); the
	// item's points follow from it (pointsOf).
	gross int64
	inIdx int32 // index of the input in the subject, -1 when none
	step  int16 // step or tier that decided, -1 when none
	flags uint16
}

// Score scores subject on scheme: every item by its rule, section caps, the
// floor at zero (减完为止), capped bonuses, the grade band, and any veto
// (一票否决) that overrides the grade. The result records the scheme's name,
// version and tag and explains every point. Errors are *ssra.Error of kind
// invalid listing every problem of the subject, with paths such as
// "inputs[2].value". The result keeps its own copy of the subject's inputs
// for its breakdown and explanation: changing them afterwards changes
// nothing in the result.
func Score(scheme *Scheme, subject Subject) (Result, error) {
	// A small wrapper that the compiler inlines, so that the result is
	// built in the caller's variable instead of being copied out.
	var r Result
	err := score(scheme, subject, &r)
	return r, err
}

// score is Score into *r, which it leaves zero on error.
func score(scheme *Scheme, subject Subject, r *Result) error {
	if scheme == nil || scheme.c.index == nil {
		return ssra.Errorf(ssra.KindInvalid, "appraisal.Score", "scheme is not built: use NewScheme or DecodeScheme")
	}
	c := &scheme.c
	subject = subject.clone()
	r.scheme, r.subject, r.band = scheme, subject, -1
	st := make([]itemState, len(c.items))
	r.st = st
	var ps ssra.Problems
	if !run(scheme, subject, r, st, true, &ps) {
		// The inputs are not in the scheme's order: match them by id.
		clear(st)
		ps = nil
		run(scheme, subject, r, st, false, &ps)
	}
	if len(ps) > 0 {
		if err := ps.Err("appraisal.Score"); err != nil {
			*r = Result{}
			return err
		}
	}
	return nil
}

// run scores the items. In ordered mode it matches inputs given in the
// scheme's item order as it goes, and reports ok false when they are not
// in that order (or name an unknown or repeated item); otherwise it matches
// them by id first.
func run(scheme *Scheme, subject Subject, r *Result, st []itemState, ordered bool, ps *ssra.Problems) bool {
	c := &scheme.c
	inputs := subject.Inputs
	if !ordered {
		matchByID(c, inputs, st, ps)
	}
	var size int64
	hasSize := false
	if subject.Size != nil {
		if v, ok := toValue(*subject.Size); ok && v >= 0 {
			size, hasSize = v, true
		} else {
			ps.Add("subject.size_invalid", "size", "size %s must be a non-negative number with at most 6 decimal places", subject.Size)
		}
	}
	r.base, r.deducted, r.bonusRaw = 0, 0, 0
	var relief []int64
	var vetoes []VetoOutcome
	var excluded int64 // the most the items left out could have earned
	pos := 0
	weights := c.mode == ModeWeights
	for i := range c.items {
		s := &st[i]
		var in *Input
		idx := int32(-1)
		if ordered {
			if pos < len(inputs) && inputs[pos].Item == c.items[i].id {
				in = &inputs[pos]
				idx = int32(pos)
				pos++
			}
		} else if idx = s.inIdx; idx >= 0 {
			in = &inputs[idx]
		}
		it := &c.items[i]
		s.inIdx = idx
		if in != nil && in.NotMeasurable && it.kind != RuleAttainment {
			ps.Add("input.field_unused", inPath(s, "not_measurable"), "item %q (%s) measures no value: only an attainment item can have nothing to measure", it.id, it.kind)
		}
		switch it.kind {
		case RuleDirect, RuleAttainment:
			scoreValue(it, in, s, ps)
		case RuleDeduction, RuleBonus:
			scoreAmount(c, it, in, s, size, hasSize, ps)
		case RuleVeto:
			if v, ok := scoreVeto(it, in, s, ps); ok {
				v.Unit = subject.ID
				vetoes = append(vetoes, v)
			}
			continue
		}
		if s.flags&fEmptyExcluded != 0 {
			excluded += weightedMax(c, it)
			continue
		}
		// Combine into the total.
		p := pointsOf(it, s)
		switch {
		case it.kind == RuleBonus:
			r.bonusRaw += p
		case it.allotted:
			if it.kind == RuleDeduction && p == 0 && min(s.gross, capOf(it)) > it.max {
				s.flags |= fFloored
			}
			if weights {
				r.base += contribute(it, s, ps)
			} else {
				r.base += p
			}
		default: // a deduction from the total
			r.deducted += p
			if sec := &c.sections[it.section]; sec.hasCap {
				if relief == nil {
					relief = make([]int64, len(c.sections))
				}
				relief[it.section] += p
			}
		}
	}
	if ordered && pos != len(inputs) {
		return false
	}
	if ps.HasErrors() {
		return true
	}
	if excluded > 0 && !rescale(c, r, excluded, ps) {
		return true
	}
	finish(c, r, relief)
	r.vetoes = vetoes
	for _, v := range vetoes {
		if v.Imposed {
			r.vetoed = true
			r.band = c.vetoBand
		}
	}
	return true
}

// rescale scales the base earned by the allotted items that remain up to
// the allotted maximum, when items with nothing to measure and the policy
// exclude were left out of it (缺项按比例折算): base × allotted maximum ÷
// (allotted maximum − what the excluded items could earn), rounded half-up
// to 12 places of points. It reports false, with a problem, when nothing
// is left to score.
func rescale(c *compiled, r *Result, excluded int64, ps *ssra.Problems) bool {
	rest := c.allottedMax - excluded
	if rest <= 0 {
		ps.Add("input.nothing_measurable", "inputs", "every allotted item had nothing to measure and is excluded (when_empty: exclude): nothing is left to score")
		return false
	}
	scaled, inexact, overflow := mulDiv(r.base, c.allottedMax, rest)
	if overflow {
		ps.Add("score.overflow", "inputs", "the rescaled base is out of range")
		return false
	}
	r.unscaled, r.excluded, r.scaleRounded = r.base, excluded, inexact
	r.base = scaled
	return true
}

// finish applies the section caps (relief holds each section's deductions,
// or is nil), the floor at zero, the bonus cap and the grade band.
func finish(c *compiled, r *Result, relief []int64) {
	if c.mode == ModeNegativeList {
		r.base = c.budget
	}
	// Section caps: deductions beyond a section's cap are given back.
	if relief != nil {
		for si := range relief {
			sec := &c.sections[si]
			if sec.hasCap && relief[si] > sec.cap {
				relief[si] -= sec.cap
				r.deducted -= relief[si]
			} else {
				relief[si] = 0
			}
		}
		r.relief = relief
	}
	sub := r.base - r.deducted
	if sub < 0 {
		sub = 0
		r.floored = true
	}
	r.bonus = r.bonusRaw
	if c.hasBonusCap && r.bonus > c.bonusCap {
		r.bonus = c.bonusCap
		r.bonusCapped = true
	}
	r.total = sub + r.bonus
	for i := range c.bands {
		if r.total >= c.bands[i].min {
			r.band = i
			break
		}
	}
}

// weighted returns points times the item's global weight.
func weighted(it *citem, points int64) (v int64, inexact, overflow bool) {
	if it.weight6 >= 0 {
		return mulFactor(points, it.weight6)
	}
	return mulDiv(points, it.weight, pointOne)
}

// contribute returns the weighted points of an allotted item in weights mode.
func contribute(it *citem, s *itemState, ps *ssra.Problems) int64 {
	v, inexact, overflow := weighted(it, pointsOf(it, s))
	if inexact {
		s.flags |= fRounded
	}
	if overflow {
		ps.Add("score.overflow", it.path, "item %q: weighted points out of range", it.id)
	}
	return v
}

// contribOf returns an item's signed contribution to the total: earned or
// weighted points, minus a deduction from the total, or the bonus amount
// (before the scheme's bonus cap).
func contribOf(c *compiled, it *citem, s *itemState) int64 {
	p := pointsOf(it, s)
	switch {
	case it.kind == RuleVeto:
		return 0
	case it.kind == RuleBonus:
		return p
	case it.allotted && c.mode == ModeWeights:
		v, _, _ := weighted(it, p)
		return v
	case it.allotted:
		return p
	}
	return -p
}

// capOf returns the item's cap, or no limit.
func capOf(it *citem) int64 {
	if it.hasCap {
		return it.cap
	}
	return math.MaxInt64
}

// pointsOf returns an item's points: those earned (direct, attainment, and
// an allotted deduction after its floor at zero), or the amount deducted or
// added after the item's cap.
func pointsOf(it *citem, s *itemState) int64 {
	p := s.gross
	if it.kind == RuleDeduction || it.kind == RuleBonus {
		if s.flags&fCapped != 0 {
			p = it.cap
		}
		if it.kind == RuleDeduction && it.allotted {
			if p = it.max - p; p < 0 {
				p = 0
			}
		}
	}
	return p
}

func matchByID(c *compiled, inputs []Input, st []itemState, ps *ssra.Problems) {
	for i := range st {
		st[i].inIdx = -1
	}
	for k, in := range inputs {
		i, ok := c.index[in.Item]
		switch {
		case !ok:
			ps.Add("input.item_unknown", ssra.JoinPath(ssra.Index("inputs", k), "item"), "no item %q in the scheme", in.Item)
		case st[i].inIdx >= 0:
			ps.Add("input.item_duplicate", ssra.JoinPath(ssra.Index("inputs", k), "item"), "item %q already has input inputs[%d]", in.Item, st[i].inIdx)
		default:
			st[i].inIdx = int32(k)
		}
	}
}

func inPath(s *itemState, field string) string {
	if s.inIdx < 0 {
		return "inputs"
	}
	return ssra.JoinPath(ssra.Index("inputs", int(s.inIdx)), field)
}

// value reads an input's value: present, representable.
func readValue(it *citem, in *Input, s *itemState, ps *ssra.Problems) (int64, bool) {
	if in == nil || in.Value == nil {
		ps.Add("input.value_missing", inPath(s, "value"), "item %q (%s) needs a value", it.id, it.kind)
		return 0, false
	}
	v, ok := toValue(*in.Value)
	if !ok {
		ps.Add("input.value_unsupported", inPath(s, "value"), "item %q: value %s needs more than 6 decimal places or exceeds ±10¹²", it.id, in.Value)
		return 0, false
	}
	s.flags |= fInput
	return v, true
}

func scoreValue(it *citem, in *Input, s *itemState, ps *ssra.Problems) {
	s.step = -1
	if in != nil && (len(in.Events) > 0 || in.Veto != nil || in.Reference != nil) {
		ps.Add("input.field_unused", inPath(s, "events"), "item %q (%s) takes a value only", it.id, it.kind)
	}
	if it.kind == RuleAttainment && in != nil && in.NotMeasurable {
		whenEmpty(it, in, s, ps)
		return
	}
	v, ok := readValue(it, in, s, ps)
	if !ok {
		return
	}
	if it.kind == RuleDirect {
		// max is a multiple of 10⁻⁶ points: compare at value scale.
		if v < 0 || v > it.max/valueOne {
			ps.Add("input.value_range", inPath(s, "value"), "item %q: given score %s lies outside [0, %s]", it.id, in.Value, pointDec(it.max))
			return
		}
		s.gross = v * valueOne
		return
	}
	if it.curve == CurveStepped {
		for j := range it.steps {
			at := it.steps[j].at
			if (it.dir == HigherIsBetter && v >= at) || (it.dir == LowerIsBetter && v <= at) {
				s.step = int16(j)
				p, inexact, _ := mulFactor(it.max, it.steps[j].share)
				if inexact {
					s.flags |= fRounded
				}
				s.gross = p
				return
			}
		}
		s.flags |= fNoStep
		return
	}
	var got int64 // distance from zero_at towards the target
	if it.dir == HigherIsBetter {
		switch {
		case v >= it.target:
			s.flags |= fFull
		case v <= it.zeroAt:
			s.flags |= fZero
		default:
			got = v - it.zeroAt
		}
	} else {
		switch {
		case v <= it.target:
			s.flags |= fFull
		case v >= it.zeroAt:
			s.flags |= fZero
		default:
			got = it.zeroAt - v
		}
	}
	switch {
	case s.flags&fFull != 0:
		s.gross = it.max
	case s.flags&fZero != 0:
		s.gross = 0
	default:
		// max·got/span, rounded half-up to 6 places of points.
		p6, inexact, _ := mulDiv(it.max/valueOne, got, it.span)
		if inexact {
			s.flags |= fRounded
		}
		s.gross = p6 * valueOne
	}
}

// whenEmpty scores an attainment item whose input has nothing to measure,
// by the item's policy: refused (the default), full marks, or left out of
// the total (rescale does the rest).
func whenEmpty(it *citem, in *Input, s *itemState, ps *ssra.Problems) {
	if in.Value != nil {
		ps.Add("input.value_not_measurable", inPath(s, "value"), "item %q: a value and not_measurable contradict each other: give one", it.id)
		return
	}
	switch it.empty {
	case EmptyFullMarks:
		s.gross = it.max
		s.flags |= fEmptyFull
	case EmptyExclude:
		s.gross = 0
		s.flags |= fEmptyExcluded
	default:
		ps.Add("input.not_measurable", inPath(s, "not_measurable"), "item %q had nothing to measure for the period and the scheme refuses to score it (when_empty: refuse): give a value, or have the scheme exclude the item or give it full marks", it.id)
	}
}
