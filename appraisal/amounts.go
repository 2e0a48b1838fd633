package appraisal

import (
	"strconv"

	"github.com/ssra-go/ssra"
)

// scoreAmount computes a deduction or bonus amount (positive points).
func scoreAmount(c *compiled, it *citem, in *Input, s *itemState, size int64, hasSize bool, ps *ssra.Problems) {
	s.step = -1
	if in != nil && in.Veto != nil {
		ps.Add("input.field_unused", inPath(s, "veto"), "item %q is not a veto item", it.id)
	}
	var gross int64
	over := false
	add := func(x int64, inexact, o bool) {
		var o2 bool
		gross, o2 = addChecked(gross, x)
		over = over || o || o2
		if inexact {
			s.flags |= fRounded
		}
	}
	switch it.basis {
	case PerOccurrence, PerPerson:
		switch {
		case in != nil && len(in.Events) > 0:
			if in.Value != nil {
				ps.Add("input.events_and_value", inPath(s, "value"), "item %q: give events or a value, not both", it.id)
			}
			for k := range in.Events {
				if amt, ok := eventAmount(it, in, k, s, ps); ok {
					add(amt, false, false)
				}
			}
			s.flags |= fInput
		case in != nil && in.Value != nil:
			if len(it.tiers) > 0 {
				ps.Add("input.events_missing", inPath(s, "events"), "item %q counts by magnitude tiers and needs events", it.id)
				return
			}
			v, ok := readValue(it, in, s, ps)
			if !ok {
				return
			}
			if v < 0 || v%valueOne != 0 {
				ps.Add("input.count_invalid", inPath(s, "value"), "item %q: count %s must be a whole number ≥ 0", it.id, in.Value)
				return
			}
			add(mulFactor(it.amount, v))
		}
		if in != nil && in.Reference != nil {
			ps.Add("input.field_unused", inPath(s, "reference"), "item %q does not read a reference", it.id)
		}
	case PerPointBelow:
		v, ok := readValue(it, in, s, ps)
		if !ok {
			return
		}
		if len(it.tiers) > 0 {
			for j := range it.tiers {
				if pts := bandPoints(it, j, v); pts > 0 {
					add(mulFactor(it.tiers[j].amount, pts))
				}
			}
		} else {
			if in.Reference == nil {
				ps.Add("input.reference_missing", inPath(s, "reference"), "item %q deducts per point below the subject's reference value, which is missing", it.id)
				return
			}
			ref, ok := toValue(*in.Reference)
			if !ok {
				ps.Add("input.value_unsupported", inPath(s, "reference"), "item %q: reference %s needs more than 6 decimal places or exceeds ±10¹²", it.id, in.Reference)
				return
			}
			if v < ref {
				add(mulFactor(it.amount, ref-v))
			}
		}
	case Stepped:
		v, ok := readValue(it, in, s, ps)
		if !ok {
			return
		}
		for j := range it.steps {
			if v >= it.steps[j].at {
				s.step = int16(j)
				gross = it.steps[j].amount
				break
			}
		}
		if s.step < 0 {
			s.flags |= fNoStep
		}
	case HighestLevel:
		if in == nil {
			break
		}
		if in.Value != nil {
			ps.Add("input.field_unused", inPath(s, "value"), "item %q counts commendations as events", it.id)
		}
		best := map[string]int{} // matter → best rank
		order := []string{}
		for k, e := range in.Events {
			rank := -1
			for j := range it.levels {
				if it.levels[j].level == e.Level {
					rank = j
				}
			}
			if rank < 0 {
				ps.Add("input.level_unknown", ssra.JoinPath(ssra.Index(inPath(s, "events"), k), "level"), "item %q has no level %q", it.id, e.Level)
				continue
			}
			ref := e.Ref
			if ref == "" {
				ref = "#" + strconv.Itoa(k)
			}
			if b, seen := best[ref]; !seen || rank < b {
				if !seen {
					order = append(order, ref)
				}
				best[ref] = rank
			}
		}
		for _, ref := range order {
			add(it.levels[best[ref]].amount, false, false)
		}
		s.flags |= fInput
	}
	if len(it.sizes) > 0 && gross > 0 {
		if !hasSize {
			ps.Add("subject.size_missing", "size", "item %q scales by unit size, which is missing", it.id)
			return
		}
		if b := sizeBand(it, size); b.factor != valueOne {
			scaled, inexact, o := mulFactor(gross, b.factor)
			gross, over = scaled, over || o
			if inexact {
				s.flags |= fRounded
			}
			s.flags |= fSized
		}
	}
	if over {
		ps.Add("score.overflow", it.path, "item %q: amount out of range", it.id)
		return
	}
	s.gross = gross
	if it.hasCap && gross > it.cap {
		s.flags |= fCapped
	}
}

// eventAmount returns the amount event k earns: the tier or rule amount,
// times persons for per_person, times the largest applicable multiplier.
// ok is false when no tier applies or the event is invalid.
func eventAmount(it *citem, in *Input, k int, s *itemState, ps *ssra.Problems) (int64, bool) {
	e := &in.Events[k]
	ep := ssra.Index(inPath(s, "events"), k)
	var mag int64
	hasMag := false
	if e.Magnitude != nil {
		v, ok := toValue(*e.Magnitude)
		if !ok || v < 0 {
			ps.Add("input.magnitude_invalid", ssra.JoinPath(ep, "magnitude"), "item %q: magnitude %s must be ≥ 0 with at most 6 decimal places", it.id, e.Magnitude)
			return 0, false
		}
		mag, hasMag = v, true
	}
	amount := it.amount
	if len(it.tiers) > 0 {
		if !hasMag {
			ps.Add("input.magnitude_missing", ssra.JoinPath(ep, "magnitude"), "item %q selects a tier by magnitude, which is missing", it.id)
			return 0, false
		}
		found := false
		for j := range it.tiers {
			t := &it.tiers[j]
			if (!t.hasMin || mag >= t.min) && (!t.hasMax || mag <= t.max) {
				amount, found = t.amount, true
				break
			}
		}
		if !found {
			// Below the first tier, or in a gap, the list deducts nothing. Above
			// every tier, with no open-ended ("and above") last tier, the text
			// does not say what the event costs: a silent zero would read as
			// "no deduction" (Wenzhou 2017 [practice]: accidents 3–5 deaths −5,
			// 6–9 −10; ten or more is not a larger accident tier but a
			// veto-level event), so it is refused and the caller records the
			// event where the text puts it.
			if top, closed := tiersTop(it); closed && mag > top {
				ps.Add("input.magnitude_beyond_tiers", ssra.JoinPath(ep, "magnitude"), "item %q: magnitude %s lies above every tier (the highest ends at %s) and no tier is open-ended; record the event under the item the text provides for it", it.id, e.Magnitude, valueDec(top))
			}
			return 0, false
		}
	}
	if it.basis == PerPerson {
		if !hasMag || mag%valueOne != 0 {
			ps.Add("input.persons_invalid", ssra.JoinPath(ep, "magnitude"), "item %q counts per person: magnitude must be a whole number of persons", it.id)
			return 0, false
		}
		var inexact, over bool
		amount, inexact, over = mulFactor(amount, mag)
		if over || inexact {
			ps.Add("score.overflow", ssra.JoinPath(ep, "magnitude"), "item %q: amount out of range", it.id)
			return 0, false
		}
	}
	if m := eventMultiplier(it, e); m != valueOne {
		var inexact, over bool
		amount, inexact, over = mulFactor(amount, m)
		if over {
			ps.Add("score.overflow", ep, "item %q: amount out of range", it.id)
			return 0, false
		}
		if inexact {
			s.flags |= fRounded
		}
		s.flags |= fMultiplied
	}
	return amount, true
}

// tiersTop returns the highest upper end of the item's magnitude tiers, and
// whether every tier has one (false when a tier is open above: "and above").
func tiersTop(it *citem) (int64, bool) {
	var top int64
	for j := range it.tiers {
		t := &it.tiers[j]
		if !t.hasMax {
			return 0, false
		}
		top = max(top, t.max)
	}
	return top, true
}

// eventMultiplier is the largest multiplier that applies to e; repeat and
// special-period multipliers do not compound.
func eventMultiplier(it *citem, e *Event) int64 {
	m := valueOne
	if e.Repeat && it.repeat > m {
		m = it.repeat
	}
	if e.SpecialPeriod && it.special > m {
		m = it.special
	}
	return m
}

// VetoOutcome is the effect of a triggered veto (一票否决): the unit loses
// honour eligibility (综合性荣誉), and the bound persons lose award and
// promotion eligibility (评先受奖、晋职晋级), from From up to but not including
// Until. A veto decided below county level is a recommendation only
// (Imposed false) and changes nothing.
type VetoOutcome struct {
	// Unit is the subject vetoed.
	Unit string `json:"unit"`
	// Item is the scheme's veto item.
	Item string `json:"item"`
	// Trigger names what set the veto off.
	Trigger string `json:"trigger"`
	// Label is the veto item's label.
	Label ssra.Label `json:"label"`
	// DecidedBy is the level of the deciding body.
	DecidedBy AdminLevel `json:"decided_by"`
	// Imposed is true when DecidedBy is county level or above.
	Imposed bool `json:"imposed"`
	// Reason states the facts.
	Reason string `json:"reason"`
	// WindowMonths is the length of the disqualification window.
	WindowMonths int `json:"window_months"`
	// From is the first day of the window.
	From ssra.Date `json:"from"`
	// Until is the day the window ends (not included).
	Until ssra.Date `json:"until"`
	// Binds are the roles the rule binds.
	Binds []Responsibility `json:"binds"`
	// Bound are the persons bound: holders of those roles.
	Bound []BoundPerson `json:"bound"`
}

func scoreVeto(it *citem, in *Input, s *itemState, ps *ssra.Problems) (VetoOutcome, bool) {
	s.step = -1
	if in == nil {
		return VetoOutcome{}, false
	}
	if in.Value != nil || len(in.Events) > 0 || in.Reference != nil {
		ps.Add("input.field_unused", inPath(s, "value"), "veto item %q takes a veto decision only", it.id)
	}
	d := in.Veto
	if d == nil {
		return VetoOutcome{}, false
	}
	vp := inPath(s, "veto")
	bad := false
	if d.DecidedBy == 0 {
		ps.Add("veto.decided_by_missing", ssra.JoinPath(vp, "decided_by"), "veto on item %q: the deciding level is missing", it.id)
		bad = true
	}
	if d.Date.IsZero() {
		ps.Add("veto.date_missing", ssra.JoinPath(vp, "date"), "veto on item %q: the date that starts the window is missing", it.id)
		bad = true
	}
	bound := []BoundPerson{}
	for k, p := range d.Persons {
		pp := ssra.Index(ssra.JoinPath(vp, "persons"), k)
		if p.Person == "" || p.Role == 0 {
			ps.Add("veto.person_invalid", pp, "veto on item %q: a bound person needs an id and a role", it.id)
			bad = true
			continue
		}
		for _, r := range it.binds {
			if r == p.Role {
				bound = append(bound, p)
			}
		}
	}
	if bad {
		return VetoOutcome{}, false
	}
	s.flags |= fInput
	out := VetoOutcome{Item: it.id, Trigger: it.trigger, Label: it.label, DecidedBy: d.DecidedBy, Reason: d.Reason,
		WindowMonths: it.window, From: d.Date, Until: d.Date.AddMonths(it.window), Binds: it.binds, Bound: bound,
		Imposed: d.DecidedBy.MayImposeVeto()}
	if out.Imposed {
		s.flags |= fVetoImposed
	} else {
		s.flags |= fVetoRecommended
	}
	return out, true
}

// Disqualified returns the imposed vetoes that bind person on day: those
// naming the person among the bound, with day in [From, Until). A veto binds
// the person, not the post, so it follows a person who transfers to another
// unit.
func Disqualified(person string, day ssra.Date, vetoes []VetoOutcome) []VetoOutcome {
	var out []VetoOutcome
	for _, v := range vetoes {
		if !v.Imposed || day.Before(v.From) || !day.Before(v.Until) {
			continue
		}
		for _, b := range v.Bound {
			if b.Person == person {
				out = append(out, v)
				break
			}
		}
	}
	return out
}

// UnitDisqualified returns the imposed vetoes that bar unit from honours on day.
func UnitDisqualified(unit string, day ssra.Date, vetoes []VetoOutcome) []VetoOutcome {
	var out []VetoOutcome
	for _, v := range vetoes {
		if v.Imposed && v.Unit == unit && !day.Before(v.From) && day.Before(v.Until) {
			out = append(out, v)
		}
	}
	return out
}

// bandPoints returns how many points of v's shortfall fall in tier j's band:
// from the tier's threshold down to the next tier's threshold (or without
// end for the last tier). Tiers are marginal: 88 against 96 and 90 is 6
// points in the first band and 2 in the second.
func bandPoints(it *citem, j int, v int64) int64 {
	t := &it.tiers[j]
	if v >= t.below {
		return 0
	}
	low := v
	if j+1 < len(it.tiers) && it.tiers[j+1].below > low {
		low = it.tiers[j+1].below
	}
	return t.below - low
}

// sizeBand returns the size band a unit of the given size falls in: the
// first whose bound it lies below, else the open last band.
func sizeBand(it *citem, size int64) *csize {
	for j := range it.sizes {
		if b := &it.sizes[j]; !b.hasBelow || size < b.below {
			return b
		}
	}
	return &it.sizes[len(it.sizes)-1]
}
