package appraisal

import (
	"slices"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// Subject is a unit (or person) to be scored on a scheme: its inputs, one
// per item at most. Inputs in the scheme's item order (Scheme.ItemIDs) are
// matched as they come; any order is accepted.
type Subject struct {
	// ID identifies the subject, for example a unit code.
	ID string `json:"id"`
	// Name is the subject's display name.
	Name string `json:"name,omitempty"`
	// Size is the unit size (staff or population) that size bands read.
	Size *decimal.Decimal `json:"size,omitempty"`
	// Inputs are the measured values and events, by item id.
	Inputs []Input `json:"inputs"`
}

// Input is what a subject reports for one item.
type Input struct {
	// Item is the item's id.
	Item string `json:"item"`
	// Value is the given score (direct), the measured value (attainment,
	// per_point_below, stepped), or a plain count or number of persons
	// (per_occurrence, per_person without events).
	Value *decimal.Decimal `json:"value,omitempty"`
	// Reference is the threshold a per_point_below rule with an amount
	// compares with (for example the provincial average).
	Reference *decimal.Decimal `json:"reference,omitempty"`
	// Events are the occurrences a deduction or bonus counts.
	Events []Event `json:"events,omitempty"`
	// Veto is the decision that triggers a veto item.
	Veto *VetoDecision `json:"veto,omitempty"`
	// NotMeasurable says that the item's measured value has nothing to
	// measure for the period (an indicator whose denominator is zero: no
	// case, no duty, no rating), in place of a value. The item's WhenEmpty
	// policy decides what it scores.
	NotMeasurable bool `json:"not_measurable,omitempty"`
}

// Event is one occurrence counted by a deduction or a bonus: an incident, an
// accident, a commendation. It describes the event, never a member of the
// public.
type Event struct {
	// Ref identifies the event or matter; bonuses count one matter once.
	Ref string `json:"ref,omitempty"`
	// Magnitude is what tiers and per-person amounts read (deaths, persons).
	Magnitude *decimal.Decimal `json:"magnitude,omitempty"`
	// Level is a bonus level (for example "provincial").
	Level string `json:"level,omitempty"`
	// Repeat marks a repeat event (重复发生).
	Repeat bool `json:"repeat,omitempty"`
	// SpecialPeriod marks an event during a major security period (重大安保期间).
	SpecialPeriod bool `json:"special_period,omitempty"`
}

// VetoDecision records that a veto trigger occurred and who decided it.
type VetoDecision struct {
	// DecidedBy is the level of the body deciding; below county level the
	// decision is a recommendation only.
	DecidedBy AdminLevel `json:"decided_by"`
	// Date starts the disqualification window (for example the day of
	// listed supervision 挂牌督办, or of the event).
	Date ssra.Date `json:"date"`
	// Reason states the facts.
	Reason string `json:"reason"`
	// Persons are the holders of the unit's roles at the time; the veto
	// binds those whose role the rule names, and follows them if they move.
	Persons []BoundPerson `json:"persons,omitempty"`
}

// BoundPerson is a staff member holding a role in the vetoed unit.
type BoundPerson struct {
	// Person is the staff member's personnel id.
	Person string `json:"person"`
	// Role is the position held in the unit.
	Role Responsibility `json:"role"`
}

// DecodeSubject decodes a subject from JSON strictly (internal/strictjson:
// unknown, misspelt or duplicate members, trailing data and excessive
// nesting are refused, naming the field). Score validates the values.
func DecodeSubject(data []byte) (Subject, error) {
	var s Subject
	if err := strictjson.Decode(data, &s, "appraisal.DecodeSubject"); err != nil {
		return Subject{}, err
	}
	return s, nil
}

// clone returns a copy of s that shares no memory with it, so that a
// result keeps the inputs it was scored on whatever the caller later does
// with theirs.
func (s Subject) clone() Subject {
	s.Size = cloneDec(s.Size)
	if s.Inputs != nil {
		in := make([]Input, len(s.Inputs))
		for i, x := range s.Inputs {
			x.Value, x.Reference = cloneDec(x.Value), cloneDec(x.Reference)
			if x.Events != nil {
				ev := make([]Event, len(x.Events))
				for j, e := range x.Events {
					e.Magnitude = cloneDec(e.Magnitude)
					ev[j] = e
				}
				x.Events = ev
			}
			if x.Veto != nil {
				v := *x.Veto
				v.Persons = slices.Clone(v.Persons)
				x.Veto = &v
			}
			in[i] = x
		}
		s.Inputs = in
	}
	return s
}

// cloneDec returns a pointer to a copy of *d, or nil.
func cloneDec(d *decimal.Decimal) *decimal.Decimal {
	if d == nil {
		return nil
	}
	v := *d
	return &v
}
