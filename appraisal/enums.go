package appraisal

import (
	"fmt"
	"strconv"
)

// enumNames holds the snake_case names of a closed set; index 0 is the unset
// value and has no name.
type enumNames struct {
	kind  string
	names []string
}

func (e enumNames) str(v uint8) string {
	if int(v) < len(e.names) && v != 0 {
		return e.names[v]
	}
	if v == 0 {
		return ""
	}
	return e.kind + "(" + strconv.Itoa(int(v)) + ")"
}

func (e enumNames) marshal(v uint8) ([]byte, error) {
	if v == 0 || int(v) >= len(e.names) {
		return nil, fmt.Errorf("appraisal: %s %d has no name", e.kind, v)
	}
	return []byte(e.names[v]), nil
}

func (e enumNames) parse(b []byte) (uint8, error) {
	for i := 1; i < len(e.names); i++ {
		if e.names[i] == string(b) {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("appraisal: unknown %s %q", e.kind, b)
}

// Mode says how a scheme's items make up its total.
type Mode uint8

// The modes.
const (
	// ModePoints (百分制/千分制): items carry points that add up to the budget.
	ModePoints Mode = iota + 1
	// ModeWeights: items carry weights that add up to 1; each item is scored
	// out of the budget and weighted.
	ModeWeights
	// ModeNegativeList (负面清单): the unit starts at the full budget and items
	// only deduct or add.
	ModeNegativeList
)

var modeNames = enumNames{"mode", []string{"", "points", "weights", "negative_list"}}

// String returns the mode's snake_case name.
func (m Mode) String() string { return modeNames.str(uint8(m)) }

// MarshalText encodes the mode's name.
func (m Mode) MarshalText() ([]byte, error) { return modeNames.marshal(uint8(m)) }

// UnmarshalText decodes a mode name and rejects unknown text.
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := modeNames.parse(b)
	*m = Mode(v)
	return err
}

// RuleKind is the kind of an item's rule.
type RuleKind uint8

// The rule kinds.
const (
	// RuleDirect: the subject gives the item's score within its points.
	RuleDirect RuleKind = iota + 1
	// RuleAttainment: a measured value against a target (目标完成度).
	RuleAttainment
	// RuleDeduction (扣分): points off per occurrence, per person, per
	// percentage point below a target, or by steps.
	RuleDeduction
	// RuleBonus (加分): points added, capped.
	RuleBonus
	// RuleVeto (一票否决): a named trigger that overrides the score.
	RuleVeto
)

var ruleKindNames = enumNames{"rule kind", []string{"", "direct", "attainment", "deduction", "bonus", "veto"}}

// String returns the rule kind's snake_case name.
func (k RuleKind) String() string { return ruleKindNames.str(uint8(k)) }

// MarshalText encodes the rule kind's name.
func (k RuleKind) MarshalText() ([]byte, error) { return ruleKindNames.marshal(uint8(k)) }

// UnmarshalText decodes a rule kind name and rejects unknown text.
func (k *RuleKind) UnmarshalText(b []byte) error {
	v, err := ruleKindNames.parse(b)
	*k = RuleKind(v)
	return err
}

// Direction says which way an attainment value is better.
type Direction uint8

// The directions.
const (
	// HigherIsBetter: reaching or passing the target earns full points.
	HigherIsBetter Direction = iota + 1
	// LowerIsBetter: staying at or under the target earns full points.
	LowerIsBetter
)

var directionNames = enumNames{"direction", []string{"", "higher_is_better", "lower_is_better"}}

// String returns the direction's snake_case name.
func (d Direction) String() string { return directionNames.str(uint8(d)) }

// MarshalText encodes the direction's name.
func (d Direction) MarshalText() ([]byte, error) { return directionNames.marshal(uint8(d)) }

// UnmarshalText decodes a direction name and rejects unknown text.
func (d *Direction) UnmarshalText(b []byte) error {
	v, err := directionNames.parse(b)
	*d = Direction(v)
	return err
}

// Curve says how attainment between the zero point and the target scores.
type Curve uint8

// The curves.
const (
	// CurveLinear: points in proportion between zero_at and the target.
	CurveLinear Curve = iota + 1
	// CurveStepped: the first step the value reaches gives its share.
	CurveStepped
)

var curveNames = enumNames{"curve", []string{"", "linear", "stepped"}}

// String returns the curve's snake_case name.
func (c Curve) String() string { return curveNames.str(uint8(c)) }

// MarshalText encodes the curve's name.
func (c Curve) MarshalText() ([]byte, error) { return curveNames.marshal(uint8(c)) }

// UnmarshalText decodes a curve name and rejects unknown text.
func (c *Curve) UnmarshalText(b []byte) error {
	v, err := curveNames.parse(b)
	*c = Curve(v)
	return err
}

// Basis says what a deduction or bonus counts.
type Basis uint8

// The bases.
const (
	// PerOccurrence (每起/每次): an amount per event, or per tier of an
	// event's magnitude.
	PerOccurrence Basis = iota + 1
	// PerPerson (每人次): an amount per person an event involves.
	PerPerson
	// PerPointBelow (每低一个百分点): an amount per percentage point the value
	// lies below a threshold; tiers add up; fractions count pro rata.
	PerPointBelow
	// Stepped: the highest step the value reaches gives a fixed amount.
	Stepped
	// HighestLevel (就高不重复): per matter only the highest level counts;
	// bonus only.
	HighestLevel
)

var basisNames = enumNames{"basis", []string{"", "per_occurrence", "per_person", "per_point_below", "stepped", "highest_level"}}

// String returns the basis's snake_case name.
func (b Basis) String() string { return basisNames.str(uint8(b)) }

// MarshalText encodes the basis's name.
func (b Basis) MarshalText() ([]byte, error) { return basisNames.marshal(uint8(b)) }

// UnmarshalText decodes a basis name and rejects unknown text.
func (b *Basis) UnmarshalText(t []byte) error {
	v, err := basisNames.parse(t)
	*b = Basis(v)
	return err
}

// AdminLevel is an administrative level (行政层级) that decides or recommends.
type AdminLevel uint8

// The levels, lowest first.
const (
	// LevelTownship is a township or street (乡镇/街道) or a department below county level.
	LevelTownship AdminLevel = iota + 1
	// LevelCounty is a county or district (县/区).
	LevelCounty
	// LevelCity is a prefecture-level city (设区的市).
	LevelCity
	// LevelProvince is a province (省).
	LevelProvince
	// LevelNational is the central level (中央).
	LevelNational
)

var levelNames = enumNames{"level", []string{"", "township", "county", "city", "province", "national"}}

// String returns the level's snake_case name.
func (l AdminLevel) String() string { return levelNames.str(uint8(l)) }

// MarshalText encodes the level's name.
func (l AdminLevel) MarshalText() ([]byte, error) { return levelNames.marshal(uint8(l)) }

// UnmarshalText decodes a level name and rejects unknown text.
func (l *AdminLevel) UnmarshalText(b []byte) error {
	v, err := levelNames.parse(b)
	*l = AdminLevel(v)
	return err
}

// MayImposeVeto reports whether a body at this level may decide a veto: only
// county level and above may; lower levels recommend (1991 rules).
func (l AdminLevel) MayImposeVeto() bool { return l >= LevelCounty && l <= LevelNational }

// Responsibility is the position by which a veto binds a person (责任人):
// the principal head, the head in charge or the directly responsible person.
type Responsibility uint8

// The roles.
const (
	// PrincipalHead is the unit's principal head (主要负责人, 第一责任人).
	PrincipalHead Responsibility = iota + 1
	// ResponsibleHead is the head in charge of the work (分管负责人).
	ResponsibleHead
	// DirectlyResponsible is the directly responsible person (直接责任人).
	DirectlyResponsible
)

var roleNames = enumNames{"role", []string{"", "principal_head", "responsible_head", "directly_responsible"}}

// String returns the role's snake_case name.
func (r Responsibility) String() string { return roleNames.str(uint8(r)) }

// MarshalText encodes the role's name.
func (r Responsibility) MarshalText() ([]byte, error) { return roleNames.marshal(uint8(r)) }

// UnmarshalText decodes a role name and rejects unknown text.
func (r *Responsibility) UnmarshalText(b []byte) error {
	v, err := roleNames.parse(b)
	*r = Responsibility(v)
	return err
}
