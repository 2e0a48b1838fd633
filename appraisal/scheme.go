package appraisal

import (
	"encoding/json"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// SchemeDef is the data of an appraisal scheme (考核方案): a tree of
// sections and items with a point budget or weights, grade bands and the
// rules that score each item. It is what JSON holds; NewScheme validates and
// compiles it into a Scheme.
type SchemeDef struct {
	// Name identifies the scheme, for example "wenzhou_2017_negative_list".
	Name string `json:"name"`
	// Version is recorded in every result the scheme produces.
	Version string `json:"version"`
	// Tag says whether the numbers are law or practice.
	Tag ssra.Tag `json:"tag"`
	// Label is the scheme's title in Chinese and English.
	Label ssra.Label `json:"label"`
	// Source names the text the scheme reproduces, if any.
	Source string `json:"source,omitempty"`
	// Mode says how items make up the total.
	Mode Mode `json:"mode"`
	// Budget is the full score: 100 (百分制) or 1000 (千分制), or another
	// positive number up to 10000.
	Budget decimal.Decimal `json:"budget"`
	// BonusCap caps all bonus items together, on top of each item's cap.
	BonusCap *decimal.Decimal `json:"bonus_cap,omitempty"`
	// Bands are the grade bands, highest minimum first; the last has minimum 0.
	Bands []Band `json:"bands"`
	// VetoBand names the band a vetoed subject gets; required when an item
	// has a veto rule.
	VetoBand string `json:"veto_band,omitempty"`
	// Sections are the top level of the tree.
	Sections []Section `json:"sections"`
}

// Band is a grade band (等次): a total at or above Min, and below the
// previous band's minimum, falls in it.
type Band struct {
	// ID names the band, for example "excellent"; results name it.
	ID string `json:"id"`
	// Label is the band's name in Chinese and English (优秀, 达标 …).
	Label ssra.Label `json:"label"`
	// Min is the lowest total in the band, inclusive.
	Min decimal.Decimal `json:"min"`
}

// Section is a node of the scheme tree holding items and sub-sections.
type Section struct {
	// ID identifies the section; unique among sections and items.
	ID string `json:"id"`
	// Label is the section's title.
	Label ssra.Label `json:"label"`
	// Points, in points mode, must equal the sum of the points below it.
	Points *decimal.Decimal `json:"points,omitempty"`
	// Weight, in weights mode, is the section's weight among its siblings.
	Weight *decimal.Decimal `json:"weight,omitempty"`
	// DeductionCap caps the deductions of the items directly in the
	// section taken together (for example the "three rates" item, −5 at most).
	DeductionCap *decimal.Decimal `json:"deduction_cap,omitempty"`
	// Sections are the sub-sections, scored after the section's own items.
	Sections []Section `json:"sections,omitempty"`
	// Items are the section's indicators.
	Items []Item `json:"items,omitempty"`
}

// Item is a leaf of the scheme tree: one indicator (指标) and its rule.
type Item struct {
	// ID identifies the item; a subject's inputs name it.
	ID string `json:"id"`
	// Label is the indicator's name.
	Label ssra.Label `json:"label"`
	// Points are the item's allotted points (points mode). A deduction item
	// without points deducts from the total instead of from its own points.
	Points *decimal.Decimal `json:"points,omitempty"`
	// Weight is the item's weight among its siblings (weights mode).
	Weight *decimal.Decimal `json:"weight,omitempty"`
	// Measures says what the input measures, for people (for example
	// "on-time handling rate, %").
	Measures string `json:"measures,omitempty"`
	// Indicator, when set, names an indicator measured from stored records
	// (for example the casework indicator xinfang.on_time.handling, 办理按期率):
	// a unit that gives no input for the item is scored on the indicator's
	// value over its own cases for the run's period, a rate as a percent.
	// Only an attainment item takes one; the adapter that holds the records
	// resolves the name. Such an item takes only its measurement unless
	// Typed allows a typed value.
	Indicator string `json:"indicator,omitempty"`
	// Typed says whether a unit run takes a typed value for an item that
	// names an indicator: refused (the default when unset: the item is
	// measured only, 仅取测量值, and a typed value is refused) or allowed
	// (the typed value scores the item, and the run records it beside the
	// measurement it overrides). Only an item with an indicator takes one.
	Typed TypedPolicy `json:"typed,omitempty"`
	// WhenEmpty says what the item does for a subject whose input has
	// nothing to measure (Input.NotMeasurable: an indicator whose
	// denominator is zero for the period): refuse (the default when
	// unset), exclude the item and rescale the total, or full marks. Only
	// an attainment item takes one.
	WhenEmpty EmptyPolicy `json:"when_empty,omitempty"`
	// Rule says how the item scores.
	Rule Rule `json:"rule"`
}

// MeasuredOnly reports whether the item takes only what its indicator
// measures (仅取测量值): it names an indicator and its scheme does not
// allow a typed value for it. The adapter that measures the indicator
// refuses a subject's typed input for such an item.
func (it Item) MeasuredOnly() bool {
	return it.Indicator != "" && it.Typed != TypedAllowed
}

// Rule says how an item scores. Which fields apply depends on Kind:
//
//   - direct: none; the subject gives a score within the item's points.
//   - attainment: Direction, Curve; linear needs Target and ZeroAt; stepped
//     needs Steps with At and Share.
//   - deduction: Basis; per_occurrence and per_person take Amount or
//     Tiers (by magnitude: Min, Max); per_point_below takes Tiers (Below,
//     marginal bands) or Amount against the subject's reference value; stepped
//     takes Steps with At and Amount. Optional Cap, SizeBands,
//     RepeatMultiplier, SpecialPeriodMultiplier.
//   - bonus: Basis per_occurrence (Amount), stepped (Steps) or
//     highest_level (Levels); Cap is required.
//   - veto: Trigger, WindowMonths, Binds.
type Rule struct {
	// Kind selects the rule.
	Kind RuleKind `json:"kind"`
	// Direction says which way an attainment value is better.
	Direction Direction `json:"direction,omitempty"`
	// Curve is linear or stepped attainment.
	Curve Curve `json:"curve,omitempty"`
	// Target is the value that earns full points (linear attainment).
	Target *decimal.Decimal `json:"target,omitempty"`
	// ZeroAt is the value that earns nothing (linear attainment).
	ZeroAt *decimal.Decimal `json:"zero_at,omitempty"`
	// Steps are the steps of a stepped rule, best first.
	Steps []Threshold `json:"steps,omitempty"`
	// Basis says what a deduction or bonus counts.
	Basis Basis `json:"basis,omitempty"`
	// Amount is the points per occurrence, person or percentage point.
	Amount *decimal.Decimal `json:"amount,omitempty"`
	// Tiers are magnitude tiers or per-point bands.
	Tiers []Tier `json:"tiers,omitempty"`
	// Levels are the bonus levels, highest first.
	Levels []BonusLevel `json:"levels,omitempty"`
	// Cap is the most the item deducts or adds.
	Cap *decimal.Decimal `json:"cap,omitempty"`
	// SizeBands scale the amount by unit size.
	SizeBands []SizeBand `json:"size_bands,omitempty"`
	// RepeatMultiplier multiplies the amount of a repeat event (e.g. 2).
	RepeatMultiplier *decimal.Decimal `json:"repeat_multiplier,omitempty"`
	// SpecialPeriodMultiplier multiplies the amount of an event in a major
	// security period (e.g. 2); with RepeatMultiplier the larger applies.
	SpecialPeriodMultiplier *decimal.Decimal `json:"special_period_multiplier,omitempty"`
	// Trigger names what sets off a veto (for example "major_incident").
	Trigger string `json:"trigger,omitempty"`
	// WindowMonths is how long a veto disqualifies (for example 6 or 12).
	WindowMonths int `json:"window_months,omitempty"`
	// Binds lists the roles whose holders a veto disqualifies.
	Binds []Responsibility `json:"binds,omitempty"`
}

// Threshold is one step of a stepped rule: a value reaching At (at or above it
// when higher is better or for deductions and bonuses; at or below it when
// lower is better) earns Share of the item's points, or the fixed Amount.
type Threshold struct {
	// At is the threshold the value must reach.
	At decimal.Decimal `json:"at"`
	// Share is the share of the item's points earned (attainment).
	Share *decimal.Decimal `json:"share,omitempty"`
	// Amount is the points deducted or added (deduction, bonus).
	Amount *decimal.Decimal `json:"amount,omitempty"`
}

// Tier is a deduction tier. For per_occurrence and per_person it selects
// events whose magnitude lies in [Min, Max] (an open end when absent: leave
// the last tier's Max out when the text says "and above"); an event below
// every tier, or in a gap, earns nothing, and an event above every tier of a
// list whose tiers are all closed is refused (input.magnitude_beyond_tiers),
// never scored as zero; for
// per_point_below it deducts Amount per point of the shortfall that lies
// between Below and the next tier's Below (tiers are marginal bands, highest
// threshold first: against 96 and 90, a value of 88 is 6 points in the first
// band and 2 in the second).
type Tier struct {
	// Min is the least magnitude in the tier, inclusive.
	Min *decimal.Decimal `json:"min,omitempty"`
	// Max is the greatest magnitude in the tier, inclusive.
	Max *decimal.Decimal `json:"max,omitempty"`
	// Below is the per-point threshold of the band.
	Below *decimal.Decimal `json:"below,omitempty"`
	// Amount is the points per event, or per point of shortfall.
	Amount decimal.Decimal `json:"amount"`
}

// BonusLevel is the bonus a commendation at one level earns (for example
// national, provincial, municipal).
type BonusLevel struct {
	// Level names the level; events name it.
	Level string `json:"level"`
	// Label is the level's name (国家级, 省级 …).
	Label ssra.Label `json:"label"`
	// Amount is the bonus a matter at this level earns.
	Amount decimal.Decimal `json:"amount"`
}

// SizeBand scales a deduction by unit size: subjects whose size is below
// Below (the last band has none) have the amounts multiplied by Factor.
type SizeBand struct {
	// Below is the band's upper bound, exclusive; absent on the last band.
	Below *decimal.Decimal `json:"below,omitempty"`
	// Factor multiplies the amount for units in the band.
	Factor decimal.Decimal `json:"factor"`
}

// Scheme is a validated, compiled, immutable appraisal scheme. It is safe for
// concurrent use. Build it with NewScheme or DecodeScheme.
type Scheme struct {
	def      SchemeDef
	warnings ssra.Problems
	c        compiled
}

// Name returns the scheme's name.
func (s *Scheme) Name() string { return s.def.Name }

// Version returns the scheme's version.
func (s *Scheme) Version() string { return s.def.Version }

// Tag returns whether the scheme is law or practice.
func (s *Scheme) Tag() ssra.Tag { return s.def.Tag }

// Def returns a deep copy of the scheme's definition.
func (s *Scheme) Def() SchemeDef {
	d, err := cloneDef(s.def)
	if err != nil {
		// The definition was encoded once already when it was compiled.
		return s.def
	}
	return d
}

// Warnings returns the advisory problems found when the scheme was built.
func (s *Scheme) Warnings() ssra.Problems { return append(ssra.Problems(nil), s.warnings...) }

// MarshalJSON encodes the scheme's definition.
func (s *Scheme) MarshalJSON() ([]byte, error) { return json.Marshal(s.def) }

// UnmarshalJSON decodes, validates and compiles a scheme as DecodeScheme does,
// so that a Scheme can be a field of a larger JSON document.
func (s *Scheme) UnmarshalJSON(data []byte) error {
	v, err := DecodeScheme(data)
	if err != nil {
		return err
	}
	*s = *v
	return nil
}

// NumItems returns the number of items in the scheme.
func (s *Scheme) NumItems() int { return len(s.c.items) }

// DecodeScheme decodes a scheme definition from JSON strictly (as
// DecodeSchemeDef does), then
// validates and compiles it as NewScheme does. Errors are *ssra.Error of
// kind invalid with every problem.
func DecodeScheme(data []byte) (*Scheme, error) {
	def, err := DecodeSchemeDef(data)
	if err != nil {
		return nil, err
	}
	return NewScheme(def)
}

// DecodeSchemeDef decodes a scheme definition from JSON strictly, without
// validating it, as DecodeSubject decodes a subject.
func DecodeSchemeDef(data []byte) (SchemeDef, error) {
	var def SchemeDef
	if err := strictjson.Decode(data, &def, "appraisal.DecodeSchemeDef"); err != nil {
		return SchemeDef{}, err
	}
	return def, nil
}

func cloneDef(d SchemeDef) (SchemeDef, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return SchemeDef{}, err
	}
	var out SchemeDef
	if err := json.Unmarshal(b, &out); err != nil {
		return SchemeDef{}, err
	}
	return out, nil
}

// NewScheme validates def, reporting every problem at once with field paths
// such as "sections[0].items[3].rule.cap", and compiles it. Advisory problems
// do not fail it; read them with Warnings. The definition is copied.
func NewScheme(def SchemeDef) (*Scheme, error) {
	ps := ValidateScheme(def)
	if err := ps.Err("appraisal.NewScheme"); err != nil {
		return nil, err
	}
	cp, err := cloneDef(def)
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInvalid, "appraisal.NewScheme", err, "scheme cannot be encoded")
	}
	s := &Scheme{def: cp, warnings: ps.Warnings()}
	if err := s.compile(); err != nil {
		return nil, err
	}
	return s, nil
}

// ItemInfo describes one item (考核指标) of a scheme for a program that fills
// in a subject's inputs: the id the inputs name, the section it sits in,
// what it measures and how it scores.
type ItemInfo struct {
	// ID is the item's id, the key of a subject's input.
	ID string `json:"id"`
	// Section is the id of the section that holds the item directly.
	Section string `json:"section"`
	// Label is the indicator's name in zh-CN and en.
	Label ssra.Label `json:"label"`
	// Measures says what the input measures (for example "on-time handling
	// rate, %"); empty when the scheme does not say.
	Measures string `json:"measures,omitempty"`
	// Kind is the item's rule: direct, attainment, deduction, bonus or veto.
	Kind RuleKind `json:"kind"`
	// Points are the item's allotted points (points mode), nil otherwise.
	Points *decimal.Decimal `json:"points,omitempty"`
	// Weight is the item's weight among its siblings (weights mode), nil
	// otherwise.
	Weight *decimal.Decimal `json:"weight,omitempty"`
}

// Items describes the scheme's items in scoring order, the order of
// ItemIDs: what a program needs to know to give a subject's inputs for a
// shipped preset or a loaded scheme without reading its JSON.
func (s *Scheme) Items() []ItemInfo {
	out := make([]ItemInfo, 0, len(s.c.items))
	var walk func(sec Section)
	walk = func(sec Section) {
		for _, it := range sec.Items {
			info := ItemInfo{ID: it.ID, Section: sec.ID, Label: it.Label, Measures: it.Measures, Kind: it.Rule.Kind}
			if it.Points != nil {
				p := *it.Points
				info.Points = &p
			}
			if it.Weight != nil {
				w := *it.Weight
				info.Weight = &w
			}
			out = append(out, info)
		}
		for _, sub := range sec.Sections {
			walk(sub)
		}
	}
	for _, sec := range s.def.Sections {
		walk(sec)
	}
	return out
}
