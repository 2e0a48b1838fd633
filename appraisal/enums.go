package appraisal

import "github.com/ssra-go/ssra"

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

var modes = ssra.NewEnum[Mode]("mode",
	ssra.M("points", "分值制", "points"),
	ssra.M("weights", "权重制", "weights"),
	ssra.M("negative_list", "负面清单", "negative list"),
)

// String returns the mode's snake_case name.
func (m Mode) String() string { return modes.String(m) }

// Valid reports whether m is a mode.
func (m Mode) Valid() bool { return modes.Valid(m) }

// Label returns the mode's name for people in lang.
func (m Mode) Label(lang ssra.Lang) string { return modes.Label(m, lang) }

// MarshalText encodes the mode as its name and refuses an unset one.
func (m Mode) MarshalText() ([]byte, error) { return modes.MarshalText(m) }

// UnmarshalText decodes a mode name and rejects unknown text.
func (m *Mode) UnmarshalText(b []byte) error { return modes.UnmarshalText(m, b) }

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

var ruleKinds = ssra.NewEnum[RuleKind]("rule kind",
	ssra.M("direct", "直接评分", "direct score"),
	ssra.M("attainment", "目标完成度", "attainment"),
	ssra.M("deduction", "扣分", "deduction"),
	ssra.M("bonus", "加分", "bonus"),
	ssra.M("veto", "一票否决", "veto"),
)

// String returns the rule kind's snake_case name.
func (k RuleKind) String() string { return ruleKinds.String(k) }

// Valid reports whether k is a rule kind.
func (k RuleKind) Valid() bool { return ruleKinds.Valid(k) }

// Label returns the rule kind's name for people in lang.
func (k RuleKind) Label(lang ssra.Lang) string { return ruleKinds.Label(k, lang) }

// MarshalText encodes the rule kind as its name and refuses an unset one.
func (k RuleKind) MarshalText() ([]byte, error) { return ruleKinds.MarshalText(k) }

// UnmarshalText decodes a rule kind name and rejects unknown text.
func (k *RuleKind) UnmarshalText(b []byte) error { return ruleKinds.UnmarshalText(k, b) }

// Direction says which way an attainment value is better.
type Direction uint8

// The directions.
const (
	// HigherIsBetter: reaching or passing the target earns full points.
	HigherIsBetter Direction = iota + 1
	// LowerIsBetter: staying at or under the target earns full points.
	LowerIsBetter
)

var directions = ssra.NewEnum[Direction]("direction",
	ssra.M("higher_is_better", "越高越好", "higher is better"),
	ssra.M("lower_is_better", "越低越好", "lower is better"),
)

// String returns the direction's snake_case name.
func (d Direction) String() string { return directions.String(d) }

// Valid reports whether d is a direction.
func (d Direction) Valid() bool { return directions.Valid(d) }

// Label returns the direction's name for people in lang.
func (d Direction) Label(lang ssra.Lang) string { return directions.Label(d, lang) }

// MarshalText encodes the direction as its name and refuses an unset one.
func (d Direction) MarshalText() ([]byte, error) { return directions.MarshalText(d) }

// UnmarshalText decodes a direction name and rejects unknown text.
func (d *Direction) UnmarshalText(b []byte) error { return directions.UnmarshalText(d, b) }

// Curve says how attainment between the zero point and the target scores.
type Curve uint8

// The curves.
const (
	// CurveLinear: points in proportion between zero_at and the target.
	CurveLinear Curve = iota + 1
	// CurveStepped: the first step the value reaches gives its share.
	CurveStepped
)

var curves = ssra.NewEnum[Curve]("curve",
	ssra.M("linear", "线性", "linear"),
	ssra.M("stepped", "分档", "stepped"),
)

// String returns the curve's snake_case name.
func (c Curve) String() string { return curves.String(c) }

// Valid reports whether c is a curve.
func (c Curve) Valid() bool { return curves.Valid(c) }

// Label returns the curve's name for people in lang.
func (c Curve) Label(lang ssra.Lang) string { return curves.Label(c, lang) }

// MarshalText encodes the curve as its name and refuses an unset one.
func (c Curve) MarshalText() ([]byte, error) { return curves.MarshalText(c) }

// UnmarshalText decodes a curve name and rejects unknown text.
func (c *Curve) UnmarshalText(b []byte) error { return curves.UnmarshalText(c, b) }

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

var bases = ssra.NewEnum[Basis]("basis",
	ssra.M("per_occurrence", "每起/每次", "per occurrence"),
	ssra.M("per_person", "每人次", "per person"),
	ssra.M("per_point_below", "每低一个百分点", "per percentage point below"),
	ssra.M("stepped", "分档", "stepped"),
	ssra.M("highest_level", "就高不重复", "highest level only"),
)

// String returns the basis's snake_case name.
func (b Basis) String() string { return bases.String(b) }

// Valid reports whether b is a basis.
func (b Basis) Valid() bool { return bases.Valid(b) }

// Label returns the basis's name for people in lang.
func (b Basis) Label(lang ssra.Lang) string { return bases.Label(b, lang) }

// MarshalText encodes the basis as its name and refuses an unset one.
func (b Basis) MarshalText() ([]byte, error) { return bases.MarshalText(b) }

// UnmarshalText decodes a basis name and rejects unknown text.
func (b *Basis) UnmarshalText(t []byte) error { return bases.UnmarshalText(b, t) }

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

var adminLevels = ssra.NewEnum[AdminLevel]("level",
	ssra.M("township", "乡镇/街道", "township or street"),
	ssra.M("county", "县/区", "county or district"),
	ssra.M("city", "设区的市", "city"),
	ssra.M("province", "省", "province"),
	ssra.M("national", "中央", "national"),
)

// String returns the level's snake_case name.
func (l AdminLevel) String() string { return adminLevels.String(l) }

// Valid reports whether l is a level.
func (l AdminLevel) Valid() bool { return adminLevels.Valid(l) }

// Label returns the level's name for people in lang.
func (l AdminLevel) Label(lang ssra.Lang) string { return adminLevels.Label(l, lang) }

// MarshalText encodes the level as its name and refuses an unset one.
func (l AdminLevel) MarshalText() ([]byte, error) { return adminLevels.MarshalText(l) }

// UnmarshalText decodes a level name and rejects unknown text.
func (l *AdminLevel) UnmarshalText(b []byte) error { return adminLevels.UnmarshalText(l, b) }

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

var responsibilities = ssra.NewEnum[Responsibility]("role",
	ssra.M("principal_head", "主要负责人", "principal head"),
	ssra.M("responsible_head", "分管负责人", "head in charge"),
	ssra.M("directly_responsible", "直接责任人", "directly responsible person"),
)

// String returns the role's snake_case name.
func (r Responsibility) String() string { return responsibilities.String(r) }

// Valid reports whether r is a role.
func (r Responsibility) Valid() bool { return responsibilities.Valid(r) }

// Label returns the role's name for people in lang.
func (r Responsibility) Label(lang ssra.Lang) string { return responsibilities.Label(r, lang) }

// MarshalText encodes the role as its name and refuses an unset one.
func (r Responsibility) MarshalText() ([]byte, error) { return responsibilities.MarshalText(r) }

// UnmarshalText decodes a role name and rejects unknown text.
func (r *Responsibility) UnmarshalText(b []byte) error { return responsibilities.UnmarshalText(r, b) }

// EmptyPolicy says what an item does for a subject whose measured value
// has nothing to measure: an indicator whose denominator is zero for the
// period (no case handled, no duty due, no rating given). Whoever writes
// the scheme chooses it; the zero value is unset and means refuse, so that
// a scheme written before the policy existed scores exactly as it did.
type EmptyPolicy uint8

// The policies for an item with nothing to measure.
const (
	// EmptyRefuse: the run is refused (input.not_measurable) until the
	// subject gives a value; the default.
	EmptyRefuse EmptyPolicy = iota + 1
	// EmptyExclude (缺项按比例折算): the item is left out of the total and
	// the points the other allotted items earn are scaled up in proportion,
	// by the allotted maximum over the maximum of the items that remain,
	// so that the subject is scored out of the same budget on what it
	// could be measured on. This is the common practice of local 目标管理
	// schemes for an item a unit has no work under (无此项工作的，该项不
	// 计分，按实得分折算): neither rewarded nor penalised for an empty
	// period, and weights keep their proportions among the items that
	// remain, as redistributing the item's weight pro rata would.
	EmptyExclude
	// EmptyFullMarks (视同达标): the item scores its maximum, and its
	// explanation says it had nothing to measure. Fit for an item whose
	// failure needs a case to happen (no overdue case when there was no
	// case); it rewards an empty period, so the scheme should say why.
	EmptyFullMarks
)

var emptyPolicies = ssra.NewEnum[EmptyPolicy]("empty policy",
	ssra.M("refuse", "拒绝评分", "refuse"),
	ssra.M("exclude", "缺项折算", "exclude and rescale"),
	ssra.M("full_marks", "视同满分", "full marks"),
)

// String returns the policy's snake_case name.
func (p EmptyPolicy) String() string { return emptyPolicies.String(p) }

// Valid reports whether p is a policy.
func (p EmptyPolicy) Valid() bool { return emptyPolicies.Valid(p) }

// Label returns the policy's name for people in lang.
func (p EmptyPolicy) Label(lang ssra.Lang) string { return emptyPolicies.Label(p, lang) }

// MarshalText encodes the policy as its name and refuses an unset one.
func (p EmptyPolicy) MarshalText() ([]byte, error) { return emptyPolicies.MarshalText(p) }

// UnmarshalText decodes a policy name and rejects unknown text.
func (p *EmptyPolicy) UnmarshalText(b []byte) error { return emptyPolicies.UnmarshalText(p, b) }

// TypedPolicy says whether a unit run may take a typed value for an item
// that names an indicator (Item.Indicator), in place of what the records
// measure. Whoever writes the scheme chooses it; the zero value is unset
// and means refused: such an item takes only its measurement (仅取测量值),
// so that whoever runs an appraisal cannot put a number of their choosing
// in the place of a unit's stored figures.
type TypedPolicy uint8

// The policies for a typed value on an item that names an indicator.
const (
	// TypedRefused: only the measurement scores the item; a typed value is
	// refused. The default.
	TypedRefused TypedPolicy = iota + 1
	// TypedAllowed (允许录入): a typed value scores the item in place of
	// the measurement, which is still taken and recorded beside it, so
	// that the override stands in the run for anyone to see. Fit for an
	// indicator whose records the server holds only in part (cases still
	// kept on paper in the period).
	TypedAllowed
)

var typedPolicies = ssra.NewEnum[TypedPolicy]("typed policy",
	ssra.M("refused", "仅取测量值", "measured only"),
	ssra.M("allowed", "允许录入", "typed allowed"),
)

// String returns the policy's snake_case name.
func (p TypedPolicy) String() string { return typedPolicies.String(p) }

// Valid reports whether p is a policy.
func (p TypedPolicy) Valid() bool { return typedPolicies.Valid(p) }

// Label returns the policy's name for people in lang.
func (p TypedPolicy) Label(lang ssra.Lang) string { return typedPolicies.Label(p, lang) }

// MarshalText encodes the policy as its name and refuses an unset one.
func (p TypedPolicy) MarshalText() ([]byte, error) { return typedPolicies.MarshalText(p) }

// UnmarshalText decodes a policy name and rejects unknown text.
func (p *TypedPolicy) UnmarshalText(b []byte) error { return typedPolicies.UnmarshalText(p, b) }
