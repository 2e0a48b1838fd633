package stability

import (
	"fmt"
	"slices"

	"github.com/ssra-go/ssra"
)

// The organisation hierarchy (上下级机关) enters casework in two guards. The
// repeat-filing guard asks whether a matter is already held above or below
// the registering organ (CheckRepeatHierarchy), and the confidentiality
// guard of a report refuses routes below the body a report is about
// (Matter.CheckRoute with Destination.Above). Neither guard reads another
// body's case: the first sees only which organ holds the same matter and
// how far it got, the second only the directory.

// RepeatState is how a case stands for the repeat-filing guard (重复信访):
// whether the same matter may be accepted again while or after it is
// handled.
type RepeatState uint8

// The repeat states.
const (
	// RepeatHandling is a case still being handled: the same matter is not
	// accepted again by a superior (信访工作条例 2022 第十九条第三款), nor, in
	// this library, by any other organ of the same line.
	RepeatHandling RepeatState = iota + 1
	// RepeatRereviewed is a case with a served re-review opinion (复核意见):
	// the same facts and request are not accepted again by any body (2022
	// 第三十六条第三款).
	RepeatRereviewed
	// RepeatConcluded is a case concluded without a re-review opinion
	// (referred, diverted or closed): it does not bar a new filing.
	RepeatConcluded
)

var repeatStates = ssra.NewEnum[RepeatState]("repeat state",
	ssra.M("handling", "办理中", "being handled"),
	ssra.M("rereviewed", "已复核", "re-reviewed"),
	ssra.M("concluded", "已办结", "concluded"),
)

// String returns the repeat state's snake_case name.
func (v RepeatState) String() string { return repeatStates.String(v) }

// Valid reports whether v is a repeat state.
func (v RepeatState) Valid() bool { return repeatStates.Valid(v) }

// Label returns the repeat state's name for people in lang.
func (v RepeatState) Label(lang ssra.Lang) string { return repeatStates.Label(v, lang) }

// MarshalText encodes the repeat state as its name and refuses an unset one.
func (v RepeatState) MarshalText() ([]byte, error) { return repeatStates.MarshalText(v) }

// UnmarshalText decodes a repeat state name and rejects unknown text.
func (v *RepeatState) UnmarshalText(b []byte) error { return repeatStates.UnmarshalText(v, b) }

// RepeatState returns how the case stands for the repeat-filing guard: a
// served re-review opinion bars the matter for good, whatever the status
// since; otherwise a case that is not concluded is being handled.
func (c *Complaint) RepeatState() RepeatState {
	switch {
	case c.Rereview != nil:
		return RepeatRereviewed
	case c.terminal():
		return RepeatConcluded
	}
	return RepeatHandling
}

// Relation is how another organisation stands to the registering one in
// the organisation hierarchy.
type Relation uint8

// The relations.
const (
	// RelationSuperior is an organisation above the registering one (上级机关):
	// its parent, or the parent's parent, and so on.
	RelationSuperior Relation = iota + 1
	// RelationSubordinate is an organisation below the registering one (下级机关).
	RelationSubordinate
)

var relations = ssra.NewEnum[Relation]("relation",
	ssra.M("superior", "上级机关", "superior organ"),
	ssra.M("subordinate", "下级机关", "subordinate organ"),
)

// String returns the relation's snake_case name.
func (v Relation) String() string { return relations.String(v) }

// Valid reports whether v is a relation.
func (v Relation) Valid() bool { return relations.Valid(v) }

// Label returns the relation's name for people in lang.
func (v Relation) Label(lang ssra.Lang) string { return relations.Label(v, lang) }

// MarshalText encodes the relation as its name and refuses an unset one.
func (v Relation) MarshalText() ([]byte, error) { return relations.MarshalText(v) }

// UnmarshalText decodes a relation name and rejects unknown text.
func (v *Relation) UnmarshalText(b []byte) error { return relations.UnmarshalText(v, b) }

// words names the relation in a refusal.
func (v Relation) words() string {
	if v == RelationSubordinate {
		return "a subordinate organ"
	}
	return "a superior organ"
}

// Holding is a case of a matter held by another organisation of the same
// line (above or below the registering organ), as much as the
// repeat-filing guard may know of it: the matter key it was found by, the
// holding organisation, how it stands to the registering one and the
// case's repeat state. It carries nothing else of the case, neither its
// reference number nor its content nor any person, so that a refusal
// built from it exposes nothing of the other body's casework.
type Holding struct {
	// MatterKey is the matter key (Matter.Key) of the held case.
	MatterKey string `json:"matter_key"`
	// Organ is the holding organisation's identifier.
	Organ string `json:"organ"`
	// Name is the holding organisation's name in the directory.
	Name string `json:"name,omitempty"`
	// Relation is how the holding organisation stands to the registering one.
	Relation Relation `json:"relation"`
	// State is the held case's repeat state.
	State RepeatState `json:"state"`
}

// CheckRepeatHierarchy is the repeat-filing guard across the organisation
// hierarchy: CheckRepeat compares the registering organ's own cases, this
// compares the cases of the same matter held above and below it. It fails
// with KindConflict, code complaint.repeat_after_rereview, when one has a
// served re-review opinion (not accepted again by any body, 2022 第三十六条),
// and code complaint.repeat_in_progress when one is being handled (a
// matter being handled is not accepted again by a superior, 2022 第十九条;
// the library refuses it below as well, so that one matter has one
// handling organ in a line). The message names the relation and the
// holding organisation, never the other body's case. Holdings of another
// matter key, of an unknown relation or without a state are ignored: a
// store must say what it found.
func CheckRepeatHierarchy(m Matter, held []Holding) error {
	const op = "stability.CheckRepeatHierarchy"
	key := m.Key()
	held = slices.DeleteFunc(slices.Clone(held), func(h Holding) bool {
		return h.MatterKey != key || (h.Relation != RelationSuperior && h.Relation != RelationSubordinate)
	})
	for _, state := range []RepeatState{RepeatRereviewed, RepeatHandling} {
		i := slices.IndexFunc(held, func(h Holding) bool { return h.State == state })
		if i < 0 {
			continue
		}
		h := held[i]
		if state == RepeatRereviewed {
			return conflict(op, "complaint.repeat_after_rereview", "matter",
				"the same matter was re-reviewed by %s; it is not accepted again", h.organ())
		}
		return conflict(op, "complaint.repeat_in_progress", "matter",
			"the same matter is being handled by %s; it is not accepted again while it is", h.organ())
	}
	return nil
}

// organ names the holding organisation in a refusal: its relation and its
// directory name (or identifier, when the directory gave no name).
func (h Holding) organ() string {
	name := h.Name
	if name == "" {
		name = h.Organ
	}
	return fmt.Sprintf("%s (%s)", h.Relation.words(), name)
}

// Organ is an organisation as the directory lists it for the
// confidentiality guard of a route: identifier, name and users.
type Organ struct {
	ID    string   `json:"id"`
	Name  string   `json:"name,omitempty"`
	Users []Member `json:"users,omitempty"`
}
