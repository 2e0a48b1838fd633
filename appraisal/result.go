package appraisal

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// Result is the outcome of scoring one subject on a scheme. It keeps the
// exact fixed-point amounts of every item; the methods convert them to
// decimals and explanations on demand. Its breakdown reads the subject's
// inputs (the points of direct items are their inputs' values) from its own
// copy, which Score takes: changing the inputs afterwards changes nothing in
// the Result.
type Result struct {
	scheme  *Scheme
	subject Subject
	// st holds every item's state; it is nil when the scheme's items are
	// all direct and each took the subject's input at its own position,
	// so that the inputs are the states (see state).
	st          []itemState
	relief      []int64
	vetoes      []VetoOutcome
	base        int64
	deducted    int64
	bonusRaw    int64
	bonus       int64
	total       int64
	band        int
	floored     bool
	bonusCapped bool
	vetoed      bool
	// excluded is what the items left out with nothing to measure could
	// have earned (when_empty: exclude), unscaled the base before the
	// rescaling, and scaleRounded whether the rescaling rounded.
	excluded     int64
	unscaled     int64
	scaleRounded bool
}

// SchemeRef names the scheme that produced a result.
type SchemeRef struct {
	// Name is the scheme's name.
	Name string `json:"name"`
	// Version is the scheme's version.
	Version string `json:"version"`
	// Tag says law or practice.
	Tag ssra.Tag `json:"tag"`
	// ID is the stored scheme version's id, empty for a shipped preset;
	// the scheme's name and version alone do not say which scheme scored
	// (two organisations may each store "name@version"). Whoever loaded
	// the scheme sets it.
	ID string `json:"id,omitempty"`
	// Digest is the SHA-256 digest of the scheme's canonical JSON
	// ("sha256:<hex>"), set by whoever loaded it.
	Digest string `json:"digest,omitempty"`
}

// Scheme returns the name, version and tag of the scheme used.
func (r Result) Scheme() SchemeRef {
	if r.scheme == nil {
		return SchemeRef{}
	}
	return SchemeRef{Name: r.scheme.def.Name, Version: r.scheme.def.Version, Tag: r.scheme.def.Tag}
}

// Subject returns the subject's id.
func (r Result) Subject() string { return r.subject.ID }

// SubjectName returns the subject's display name.
func (r Result) SubjectName() string { return r.subject.Name }

// Total returns the final score: the base less deductions from the total
// (floored at zero), plus capped bonuses.
func (r Result) Total() decimal.Decimal { return pointDec(r.total) }

// Base returns the points earned by allotted items (the full budget in a
// negative list); when items with nothing to measure were excluded, the
// points the others earned scaled up to the allotted maximum.
func (r Result) Base() decimal.Decimal { return pointDec(r.base) }

// Deducted returns the deductions from the total after section caps.
func (r Result) Deducted() decimal.Decimal { return pointDec(r.deducted) }

// Bonus returns the bonus added, after the scheme's bonus cap.
func (r Result) Bonus() decimal.Decimal { return pointDec(r.bonus) }

// Floored reports whether deductions would have taken the total below zero
// (减完为止).
func (r Result) Floored() bool { return r.floored }

// Vetoed reports whether an imposed veto overrode the grade.
func (r Result) Vetoed() bool { return r.vetoed }

// Vetoes returns the triggered vetoes, imposed or recommended.
func (r Result) Vetoes() []VetoOutcome { return append([]VetoOutcome(nil), r.vetoes...) }

// Grade is the band a result falls in and what decided it.
type Grade struct {
	// ID is the band's id.
	ID string `json:"id"`
	// Label is the band's name.
	Label ssra.Label `json:"label"`
	// Min is the band's lowest total.
	Min decimal.Decimal `json:"min"`
	// DecidedBy is "band" when the total decided, or "veto:<trigger>" when
	// an imposed veto overrode it.
	DecidedBy string `json:"decided_by"`
}

// Grade returns the grade band that decided.
func (r Result) Grade() Grade {
	if r.scheme == nil || r.band < 0 {
		return Grade{}
	}
	b := r.scheme.c.bands[r.band]
	g := Grade{ID: b.id, Label: b.label, Min: b.dec, DecidedBy: "band"}
	if r.vetoed {
		for _, v := range r.vetoes {
			if v.Imposed {
				g.DecidedBy = "veto:" + v.Trigger
				break
			}
		}
	}
	return g
}

// ItemResult explains one item's points.
type ItemResult struct {
	// ID is the item's id.
	ID string `json:"id"`
	// Path is the item's place in the scheme, e.g. "sections[1].items[0]".
	Path string `json:"path"`
	// Label is the item's name.
	Label ssra.Label `json:"label"`
	// Section is the id of the section holding the item.
	Section string `json:"section"`
	// Kind is the item's rule kind.
	Kind RuleKind `json:"kind"`
	// Basis is what a deduction or bonus counted.
	Basis Basis `json:"basis,omitempty"`
	// Input is the value used, or the number of events counted.
	Input *decimal.Decimal `json:"input,omitempty"`
	// Max is the item's allotted points (or the budget in weights mode).
	Max *decimal.Decimal `json:"max,omitempty"`
	// Weight is the item's global weight in weights mode.
	Weight *decimal.Decimal `json:"weight,omitempty"`
	// Gross is the amount before the item's cap and floor.
	Gross decimal.Decimal `json:"gross"`
	// Points are the points earned, or the amount deducted or added.
	Points decimal.Decimal `json:"points"`
	// Contribution is the signed effect on the total before section caps,
	// the total floor and the bonus cap (bonuses show their capped amount).
	Contribution decimal.Decimal `json:"contribution"`
	// Capped reports that the item's cap applied.
	Capped bool `json:"capped,omitempty"`
	// Floored reports that deductions hit zero within the item (减完为止).
	Floored bool `json:"floored,omitempty"`
	// Rounded reports a half-up rounding (stated in the explanation).
	Rounded bool `json:"rounded,omitempty"`
	// NotMeasurable reports that the item had nothing to measure for the
	// period; its policy (when_empty) decided its points.
	NotMeasurable bool `json:"not_measurable,omitempty"`
	// Excluded reports that the item was left out of the total, the other
	// allotted items' points scaled up in proportion (when_empty: exclude).
	Excluded bool `json:"excluded,omitempty"`
	// Explanation checks the item's points step by step.
	Explanation Explanation `json:"explanation"`
}

// Step is one line of an explanation: a stable key naming the rule or
// computation and a sentence a person can check by hand. It is what
// riskeval calls a Step too (the domain packages do not import each other,
// so each declares it).
type Step struct {
	// Key names the rule or computation, e.g. "per_point_below".
	Key string `json:"key"`
	// Text is the step in words and numbers.
	Text string `json:"text"`
}

// Explanation is the ordered list of steps that produced a result.
type Explanation []Step

// Addf appends a step.
func (e *Explanation) Addf(key, format string, args ...any) {
	*e = append(*e, Step{Key: key, Text: fmt.Sprintf(format, args...)})
}

// Items returns every item's result in the scheme's order.
func (r Result) Items() []ItemResult {
	if r.scheme == nil {
		return nil
	}
	c := &r.scheme.c
	out := make([]ItemResult, len(c.items))
	for i := range c.items {
		out[i] = r.item(i)
	}
	return out
}

func decPtr(d decimal.Decimal) *decimal.Decimal { return &d }

// states returns the item states (nil for the zero Result).
func (r *Result) states() []itemState { return r.st }

// state returns item i's state, or an empty one for the zero Result.
func (r *Result) state(i int) itemState {
	if r.st != nil {
		return r.st[i]
	}
	return itemState{inIdx: -1, step: -1}
}

func (r Result) item(i int) ItemResult {
	c := &r.scheme.c
	it := &c.items[i]
	s := r.state(i)
	ir := ItemResult{ID: it.id, Path: it.path, Label: it.label, Section: c.sections[it.section].id, Kind: it.kind, Basis: it.basis,
		Gross: pointDec(s.gross), Points: pointDec(pointsOf(it, &s)), Contribution: pointDec(contribOf(c, it, &s)),
		Capped: s.flags&fCapped != 0, Floored: s.flags&fFloored != 0, Rounded: s.flags&fRounded != 0,
		NotMeasurable: s.flags&(fEmptyFull|fEmptyExcluded) != 0, Excluded: s.flags&fEmptyExcluded != 0}
	if v, ok := inputOf(r.input(s), s); ok {
		ir.Input = decPtr(valueDec(v))
	}
	if it.allotted {
		ir.Max = decPtr(pointDec(it.max))
	}
	if c.mode == ModeWeights && it.allotted {
		ir.Weight = decPtr(pointDec(it.weight))
	}
	ir.Explanation = explainItem(c, it, s, r.input(s), r.subject)
	return ir
}

// input returns the subject's input an item state refers to.
func (r Result) input(s itemState) *Input {
	if s.inIdx >= 0 && int(s.inIdx) < len(r.subject.Inputs) {
		return &r.subject.Inputs[s.inIdx]
	}
	return nil
}

// inputOf returns the value an item used: the input's value, or the number
// of events given (for highest_level, of distinct matters).
func inputOf(in *Input, s itemState) (int64, bool) {
	if in == nil || s.flags&fInput == 0 {
		return 0, false
	}
	if in.Value != nil {
		return toValue(*in.Value)
	}
	refs := map[string]bool{}
	n := 0
	for k, e := range in.Events {
		ref := e.Ref
		if ref == "" {
			ref = "#" + strconv.Itoa(k)
		}
		if !refs[ref] {
			refs[ref] = true
			n++
		}
	}
	return int64(n) * valueOne, true
}

func fmtP(p int64) string { return pointDec(p).String() }
func fmtV(v int64) string { return valueDec(v).String() }

func explainItem(c *compiled, it *citem, s itemState, in *Input, subj Subject) Explanation {
	var e Explanation
	input, _ := inputOf(in, s)
	name := it.label.String()
	if name == "" {
		name = it.id
	}
	switch it.kind {
	case RuleDirect:
		e.Addf("direct", "%s: given score %s of %s points", name, fmtV(input), fmtP(it.max))
	case RuleAttainment:
		if s.flags&fEmptyFull != 0 {
			e.Addf("when_empty.full_marks", "%s: nothing to measure for the period; the scheme gives full %s points (when_empty: full_marks, 视同满分)", name, fmtP(it.max))
			break
		}
		if s.flags&fEmptyExcluded != 0 {
			e.Addf("when_empty.exclude", "%s: nothing to measure for the period; left out of the total, whose other allotted items are scaled up in proportion (when_empty: exclude, 缺项按比例折算)", name)
			return e
		}
		if it.curve == CurveStepped {
			if s.step >= 0 {
				st := it.steps[s.step]
				cmp := "≥"
				if it.dir == LowerIsBetter {
					cmp = "≤"
				}
				e.Addf("attainment.step", "%s: value %s %s %s (step %d) earns share %s of %s = %s", name, fmtV(input), cmp, fmtV(st.at), s.step+1, fmtV(st.share), fmtP(it.max), fmtP(s.gross))
			} else {
				e.Addf("attainment.no_step", "%s: value %s reaches no step: 0 points", name, fmtV(input))
			}
			break
		}
		switch {
		case s.flags&fFull != 0:
			e.Addf("attainment.full", "%s: value %s meets the target %s (%s): full %s points", name, fmtV(input), fmtV(it.target), it.dir, fmtP(it.max))
		case s.flags&fZero != 0:
			e.Addf("attainment.zero", "%s: value %s is at or beyond zero_at %s: 0 points", name, fmtV(input), fmtV(it.zeroAt))
		default:
			e.Addf("attainment.linear", "%s: %s × |%s − %s| / |%s − %s| = %s points", name, fmtP(it.max), fmtV(input), fmtV(it.zeroAt), fmtV(it.target), fmtV(it.zeroAt), fmtP(s.gross))
		}
	case RuleDeduction, RuleBonus:
		explainAmount(&e, it, s, in, subj, name, input)
	case RuleVeto:
		switch {
		case s.flags&fVetoImposed != 0:
			e.Addf("veto.imposed", "%s: veto %q decided at %s level on %s: the grade is overridden; disqualification for %d months until %s", name, it.trigger, in.Veto.DecidedBy, in.Veto.Date, it.window, in.Veto.Date.AddMonths(it.window))
		case s.flags&fVetoRecommended != 0:
			e.Addf("veto.recommended", "%s: veto %q recommended at %s level; only county level and above may impose it, so the score stands", name, it.trigger, in.Veto.DecidedBy)
		default:
			e.Addf("veto.none", "%s: not triggered", name)
		}
		return e
	}
	if s.flags&fRounded != 0 {
		e.Addf("round", "%s: rounded half-up (quotients to 6 places, products to 12 places)", name)
	}
	if it.allotted {
		if it.kind == RuleDeduction {
			amt := s.gross
			if s.flags&fCapped != 0 {
				amt = it.cap
			}
			if s.flags&fFloored != 0 {
				e.Addf("floor.item", "%s − %s falls below zero: 0 points, floored within the item (减完为止)", fmtP(it.max), fmtP(amt))
			} else {
				e.Addf("deduction.within_item", "%s − %s = %s points", fmtP(it.max), fmtP(amt), fmtP(it.max-amt))
			}
		}
		if c.mode == ModeWeights {
			e.Addf("weight", "%s × weight %s = %s", fmtP(pointsOf(it, &s)), fmtP(it.weight), fmtP(contribOf(c, it, &s)))
		}
	}
	return e
}

func explainAmount(e *Explanation, it *citem, s itemState, in *Input, subj Subject, name string, input int64) {
	verb := "deducts"
	if it.kind == RuleBonus {
		verb = "adds"
	}
	raw := int64(0) // the amount before size scaling
	switch it.basis {
	case PerOccurrence, PerPerson:
		if in != nil && len(in.Events) > 0 {
			for k, ev := range in.Events {
				var parts []string
				if ev.Ref != "" {
					parts = append(parts, ev.Ref)
				}
				if ev.Magnitude != nil {
					parts = append(parts, "magnitude "+ev.Magnitude.String())
				}
				if ev.Repeat {
					parts = append(parts, "repeat")
				}
				if ev.SpecialPeriod {
					parts = append(parts, "special period")
				}
				text, amt, ok := explainEventAmount(it, &ev)
				if !ok {
					e.Addf("event.no_tier", "%s: event %d (%s): no tier applies, not counted", name, k+1, strings.Join(parts, ", "))
					continue
				}
				raw += amt
				e.Addf("event", "%s: event %d (%s) %s %s", name, k+1, strings.Join(parts, ", "), verb, text)
			}
		} else if s.flags&fInput != 0 {
			raw = mustMul(it.amount, input)
			e.Addf(it.basis.String(), "%s: %s × %s = %s", name, fmtV(input), fmtP(it.amount), fmtP(raw))
		} else {
			e.Addf("none", "%s: nothing to count", name)
		}
	case PerPointBelow:
		if len(it.tiers) > 0 {
			for j, t := range it.tiers {
				if pts := bandPoints(it, j, input); pts > 0 {
					amt := mustMul(t.amount, pts)
					raw += amt
					e.Addf("per_point_below", "%s: %s points of the shortfall below %s × %s = %s", name, fmtV(pts), fmtV(t.below), fmtP(t.amount), fmtP(amt))
				} else {
					e.Addf("per_point_below.none", "%s: %s not below %s", name, fmtV(input), fmtV(t.below))
				}
			}
		} else if in != nil && in.Reference != nil {
			ref, _ := toValue(*in.Reference)
			if input < ref {
				raw = mustMul(it.amount, ref-input)
				e.Addf("per_point_below", "%s: %s below the reference %s by %s points × %s = %s", name, fmtV(input), fmtV(ref), fmtV(ref-input), fmtP(it.amount), fmtP(raw))
			} else {
				e.Addf("per_point_below.none", "%s: %s not below the reference %s", name, fmtV(input), fmtV(ref))
			}
		}
	case Stepped:
		if s.step >= 0 && s.step < int16(len(it.steps)) && s.flags&fNoStep == 0 {
			raw = it.steps[s.step].amount
			e.Addf("stepped", "%s: value %s ≥ %s %s %s", name, fmtV(input), fmtV(it.steps[s.step].at), verb, fmtP(raw))
		} else {
			e.Addf("stepped.none", "%s: value %s reaches no step", name, fmtV(input))
		}
	case HighestLevel:
		raw = s.gross
		e.Addf("highest_level", "%s: %s matters counted once each at their highest level: %s", name, fmtV(input), fmtP(raw))
	}
	if s.flags&fSized != 0 && subj.Size != nil {
		size, _ := toValue(*subj.Size)
		b := sizeBand(it, size)
		bound := "the last band (no upper bound)"
		if b.hasBelow {
			bound = "the band below " + fmtV(b.below)
		}
		e.Addf("size", "%s: unit size %s falls in %s: %s × %s = %s", name, subj.Size, bound, fmtP(raw), fmtV(b.factor), fmtP(s.gross))
	}
	if s.flags&fCapped != 0 {
		e.Addf("cap", "%s: %s capped at %s", name, fmtP(s.gross), fmtP(it.cap))
	}
}

func mustMul(p, v int64) int64 {
	q, _, _ := mulFactor(p, v)
	return q
}

func explainEventAmount(it *citem, ev *Event) (string, int64, bool) {
	amount := it.amount
	var mag int64
	if ev.Magnitude != nil {
		mag, _ = toValue(*ev.Magnitude)
	}
	if len(it.tiers) > 0 {
		found := false
		for _, t := range it.tiers {
			if (!t.hasMin || mag >= t.min) && (!t.hasMax || mag <= t.max) {
				amount, found = t.amount, true
				break
			}
		}
		if !found {
			return "", 0, false
		}
	}
	text := fmtP(amount)
	if it.basis == PerPerson {
		amount = mustMul(amount, mag)
		text += " × " + fmtV(mag) + " persons = " + fmtP(amount)
	}
	if m := eventMultiplier(it, ev); m != valueOne {
		amount = mustMul(amount, m)
		text += " × " + fmtV(m) + " = " + fmtP(amount)
	}
	return text, amount, true
}

// Explanation returns the steps that produced the total and the grade.
func (r Result) Explanation() Explanation {
	var e Explanation
	if r.scheme == nil {
		return e
	}
	c := &r.scheme.c
	d := r.scheme.def
	e.Addf("scheme", "scheme %s version %s (%s), mode %s, budget %s", d.Name, d.Version, d.Tag, d.Mode, d.Budget)
	switch c.mode {
	case ModeNegativeList:
		e.Addf("base", "negative list: start from the full %s points", fmtP(c.budget))
	case ModeWeights, ModePoints:
		if r.excluded > 0 {
			rest := c.allottedMax - r.excluded
			e.Addf("base", "allotted items earn %s points of %s", fmtP(r.unscaled), fmtP(rest))
			rounded := ""
			if r.scaleRounded {
				rounded = ", rounded half-up to 12 places"
			}
			e.Addf("when_empty.exclude", "items with nothing to measure, left out (when_empty: exclude, 缺项按比例折算), could earn %s of the %s: the base is scaled to the full %s: %s × %s ÷ %s = %s%s",
				fmtP(r.excluded), fmtP(c.allottedMax), fmtP(c.allottedMax), fmtP(r.unscaled), fmtP(c.allottedMax), fmtP(rest), fmtP(r.base), rounded)
		} else {
			e.Addf("base", "allotted items earn %s points", fmtP(r.base))
		}
	}
	st := r.states()
	for i := range c.items {
		it, s := &c.items[i], &st[i]
		p := pointsOf(it, s)
		if it.kind == RuleVeto || p == 0 && it.kind != RuleDirect && it.kind != RuleAttainment {
			continue
		}
		switch {
		case s.flags&fEmptyExcluded != 0:
			e.Addf("item", "%s: excluded, nothing to measure", it.id)
		case it.kind == RuleBonus:
			e.Addf("item", "%s: +%s", it.id, fmtP(p))
		case it.allotted:
			e.Addf("item", "%s: %s of %s", it.id, fmtP(contribOf(c, it, s)), fmtP(weightedMax(c, it)))
		default:
			e.Addf("item", "%s: −%s", it.id, fmtP(p))
		}
	}
	e.Addf("deductions", "deductions from the total: %s", fmtP(r.deducted))
	for si, rel := range r.relief {
		if rel > 0 {
			sec := c.sections[si]
			e.Addf("cap.section", "section %s (%s) deductions capped at %s: %s given back", sec.id, sec.label, fmtP(sec.cap), fmtP(rel))
		}
	}
	if r.floored {
		e.Addf("floor.total", "the total is floored at 0 (减完为止)")
	}
	if r.bonusRaw > 0 {
		if r.bonusCapped {
			e.Addf("bonus", "bonus %s capped at the scheme's bonus cap %s", fmtP(r.bonusRaw), fmtP(c.bonusCap))
		} else {
			e.Addf("bonus", "bonus %s", fmtP(r.bonus))
		}
	}
	e.Addf("total", "total %s", fmtP(r.total))
	g := r.Grade()
	if r.vetoed {
		e.Addf("grade.veto", "grade %s (%s): an imposed veto overrides the band (%s)", g.ID, g.Label, g.DecidedBy)
	} else if g.ID != "" {
		e.Addf("grade.band", "grade %s (%s): total %s ≥ %s", g.ID, g.Label, fmtP(r.total), g.Min)
	}
	for _, v := range r.vetoes {
		if !v.Imposed {
			e.Addf("veto.recommended", "veto %q recommended by %s level only; a county-level or higher body must decide it", v.Trigger, v.DecidedBy)
		}
	}
	return e
}

type resultJSON struct {
	Scheme      SchemeRef       `json:"scheme"`
	Subject     string          `json:"subject"`
	Name        string          `json:"name,omitempty"`
	Total       string          `json:"total"`
	Base        string          `json:"base"`
	Deducted    string          `json:"deducted"`
	Bonus       string          `json:"bonus"`
	Floored     bool            `json:"floored"`
	Grade       Grade           `json:"grade"`
	Vetoes      []VetoOutcome   `json:"vetoes"`
	Sections    []SectionResult `json:"sections"`
	Items       []ItemResult    `json:"items"`
	Explanation Explanation     `json:"explanation"`
}

// MarshalJSON encodes the full result: totals as decimal strings, the grade,
// vetoes, every item and the explanation.
func (r Result) MarshalJSON() ([]byte, error) {
	v := resultJSON{Scheme: r.Scheme(), Subject: r.subject.ID, Name: r.subject.Name, Total: r.Total().String(),
		Base: r.Base().String(), Deducted: r.Deducted().String(), Bonus: r.Bonus().String(), Floored: r.floored,
		Grade: r.Grade(), Vetoes: r.Vetoes(), Sections: r.Sections(), Items: r.Items(), Explanation: r.Explanation()}
	if v.Vetoes == nil {
		v.Vetoes = []VetoOutcome{}
	}
	return json.Marshal(v)
}

// ItemIDs returns the ids of the scheme's items in scoring order; a
// subject's inputs in this order are matched as they come, without a
// lookup by id.
func (s *Scheme) ItemIDs() []string {
	out := make([]string, len(s.c.items))
	for i := range s.c.items {
		out[i] = s.c.items[i].id
	}
	return out
}

// weightedMax is what an allotted item contributes at most.
func weightedMax(c *compiled, it *citem) int64 {
	if c.mode == ModeWeights {
		v, _, _ := weighted(it, it.max)
		return v
	}
	return it.max
}

// SectionResult sums a section's items: what they earned out of what they
// could earn, what they deducted from the total, and what its deduction cap
// gave back.
type SectionResult struct {
	// ID is the section's id.
	ID string `json:"id"`
	// Label is the section's title.
	Label ssra.Label `json:"label"`
	// Earned is the (weighted) points of the section's allotted items.
	Earned decimal.Decimal `json:"earned"`
	// Max is what those items could earn at most (an item excluded with
	// nothing to measure is left out).
	Max decimal.Decimal `json:"max"`
	// Deducted is the deductions from the total after the section's cap.
	Deducted decimal.Decimal `json:"deducted"`
	// Relief is what the section's deduction cap gave back.
	Relief decimal.Decimal `json:"relief"`
	// Bonus is the bonus its items add, before the scheme's bonus cap.
	Bonus decimal.Decimal `json:"bonus"`
}

// Sections returns a subtotal for every section, in the scheme's order
// (parents before their sub-sections; a section's figures cover its own
// items only).
func (r Result) Sections() []SectionResult {
	if r.scheme == nil {
		return nil
	}
	c := &r.scheme.c
	st := r.states()
	out := make([]SectionResult, len(c.sections))
	for si, sec := range c.sections {
		var earned, max, ded, bonus int64
		for _, i := range sec.items {
			it, s := &c.items[i], &st[i]
			switch {
			case it.kind == RuleVeto:
			case it.kind == RuleBonus:
				bonus += pointsOf(it, s)
			case s.flags&fEmptyExcluded != 0:
			case it.allotted:
				earned += contribOf(c, it, s)
				max += weightedMax(c, it)
			default:
				ded += pointsOf(it, s)
			}
		}
		var relief int64
		if si < len(r.relief) {
			relief = r.relief[si]
		}
		out[si] = SectionResult{ID: sec.id, Label: sec.label, Earned: pointDec(earned), Max: pointDec(max),
			Deducted: pointDec(ded - relief), Relief: pointDec(relief), Bonus: pointDec(bonus)}
	}
	return out
}
