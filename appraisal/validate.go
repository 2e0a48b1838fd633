package appraisal

import (
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// Validation limits.
const (
	maxBudget       = 10000
	maxWindowMonths = 120
)

// ValidateScheme checks a scheme definition and returns every problem found,
// errors and warnings, with stable codes and field paths. NewScheme fails
// when any problem is an error.
func ValidateScheme(def SchemeDef) ssra.Problems {
	v := validator{ids: map[string]string{}}
	v.scheme(def)
	return v.ps
}

type validator struct {
	ps       ssra.Problems
	ids      map[string]string // item and section ids → path
	mode     Mode
	hasVeto  bool
	allotted decimal.Decimal // sum of allotted points in points mode
}

// dec checks a decimal from outside: the kernel's limits, then what the
// fixed point holds (at most 6 places, |d| ≤ 10¹²). It reports whether d is
// usable.
func (v *validator) dec(path string, d decimal.Decimal) bool {
	if err := ssra.CheckDecimal(d); err != nil {
		v.ps.Add("decimal.out_of_range", path, "%s", ssra.Reason(err))
		return false
	}
	if _, ok := toValue(d); !ok {
		v.ps.Add("decimal.unsupported", path, "%s needs more than 6 decimal places or exceeds ±10¹²", d)
		return false
	}
	return true
}

// usable reports, without recording a problem, whether d passed or would
// pass dec: comparisons with an unchecked decimal could be very slow.
func usable(d *decimal.Decimal) bool {
	if d == nil || ssra.CheckDecimal(*d) != nil {
		return false
	}
	_, ok := toValue(*d)
	return ok
}

func (v *validator) nonNeg(path string, d decimal.Decimal) bool {
	if !v.dec(path, d) {
		return false
	}
	if d.Sign() < 0 {
		v.ps.Add("decimal.negative", path, "must not be negative, got %s", d)
		return false
	}
	return true
}

func (v *validator) positive(path string, d decimal.Decimal) bool {
	if !v.dec(path, d) {
		return false
	}
	if d.Sign() <= 0 {
		v.ps.Add("decimal.not_positive", path, "must be positive, got %s", d)
		return false
	}
	return true
}

func (v *validator) id(path, id string) {
	switch {
	case strings.TrimSpace(id) == "":
		v.ps.Add("id.missing", idPath(path), "id is missing")
	case v.ids[id] != "":
		v.ps.Add("id.duplicate", idPath(path), "id %q is already used at %s", id, v.ids[id])
	default:
		v.ids[id] = path
	}
}

// idPath returns the path of the id field of the node at path.
func idPath(path string) string { return ssra.JoinPath(path, "id") }

func (v *validator) scheme(d SchemeDef) {
	if strings.TrimSpace(d.Name) == "" {
		v.ps.Add("scheme.name_missing", "name", "the scheme needs a name")
	}
	if strings.TrimSpace(d.Version) == "" {
		v.ps.Add("scheme.version_missing", "version", "the scheme needs a version")
	}
	if d.Tag == 0 {
		v.ps.Add("scheme.tag_missing", "tag", "the scheme needs a tag: law or practice")
	}
	if d.Label.IsZero() {
		v.ps.Warn("scheme.label_missing", "label", "the scheme has no label")
	}
	v.mode = d.Mode
	if d.Mode == 0 {
		v.ps.Add("scheme.mode_missing", "mode", "mode must be points, weights or negative_list")
	}
	budgetOK := v.positive("budget", d.Budget)
	if budgetOK && d.Budget.Cmp(decimal.NewFromInt(maxBudget)) > 0 {
		v.ps.Add("scheme.budget_too_large", "budget", "budget %s exceeds %d", d.Budget, maxBudget)
		budgetOK = false
	}
	if d.BonusCap != nil {
		v.nonNeg("bonus_cap", *d.BonusCap)
	}
	v.allotted = decimal.Zero
	if len(d.Sections) == 0 {
		v.ps.Add("scheme.sections_missing", "sections", "the scheme has no sections")
	}
	var weights []decimal.Decimal
	for i, s := range d.Sections {
		p := ssra.Index("sections", i)
		v.section(p, s, &weights)
	}
	if d.Mode == ModeWeights && len(d.Sections) > 0 {
		v.weightSum("sections", weights)
	}
	if d.Mode == ModePoints && budgetOK && !v.allotted.Equal(d.Budget) {
		v.ps.Add("scheme.points_sum", "sections", "allotted item points add up to %s, not the budget %s", v.allotted, d.Budget)
	}
	v.bands(d, budgetOK)
}

func (v *validator) bands(d SchemeDef, budgetOK bool) {
	if len(d.Bands) == 0 {
		v.ps.Add("bands.missing", "bands", "the scheme needs grade bands")
		return
	}
	seen := map[string]bool{}
	var prev decimal.Decimal
	for i, b := range d.Bands {
		p := ssra.Index("bands", i)
		if strings.TrimSpace(b.ID) == "" {
			v.ps.Add("band.id_missing", ssra.JoinPath(p, "id"), "band id is missing")
		} else if seen[b.ID] {
			v.ps.Add("band.id_duplicate", ssra.JoinPath(p, "id"), "band id %q is used twice", b.ID)
		}
		seen[b.ID] = true
		if !v.nonNeg(ssra.JoinPath(p, "min"), b.Min) {
			continue
		}
		if i > 0 && b.Min.Cmp(prev) >= 0 {
			v.ps.Add("bands.order", ssra.JoinPath(p, "min"), "band minimums must fall strictly: %s follows %s", b.Min, prev)
		}
		if budgetOK && b.Min.Cmp(d.Budget) > 0 {
			v.ps.Warn("band.unreachable", ssra.JoinPath(p, "min"), "minimum %s lies above the budget %s", b.Min, d.Budget)
		}
		prev = b.Min
	}
	if last := d.Bands[len(d.Bands)-1]; !last.Min.IsZero() {
		v.ps.Add("bands.no_floor", ssra.Index("bands", len(d.Bands)-1)+".min", "the last band must start at 0 so that every total has a band")
	}
	if d.VetoBand != "" && !seen[d.VetoBand] {
		v.ps.Add("scheme.veto_band_unknown", "veto_band", "veto band %q is not one of the bands", d.VetoBand)
	}
	if v.hasVeto && d.VetoBand == "" {
		v.ps.Add("scheme.veto_band_missing", "veto_band", "the scheme has a veto item and needs a veto_band")
	}
}

func (v *validator) weightSum(path string, ws []decimal.Decimal) {
	sum := decimal.Zero
	for _, w := range ws {
		sum = sum.Add(w)
	}
	if !sum.Equal(decimal.NewFromInt(1)) {
		v.ps.Add("weights.sum", path, "weights add up to %s, not 1", sum)
	}
}

// section validates s; in weights mode it appends its weight to siblings.
func (v *validator) section(p string, s Section, siblings *[]decimal.Decimal) {
	v.id(p, s.ID)
	switch v.mode {
	case ModeWeights:
		if s.Weight == nil {
			v.ps.Add("section.weight_missing", ssra.JoinPath(p, "weight"), "in weights mode every section needs a weight")
		} else if v.positive(ssra.JoinPath(p, "weight"), *s.Weight) {
			*siblings = append(*siblings, *s.Weight)
		}
	default:
		if s.Weight != nil {
			v.ps.Add("section.weight_unused", ssra.JoinPath(p, "weight"), "weights apply in weights mode only")
		}
	}
	if s.Points != nil && v.mode != ModePoints {
		v.ps.Add("section.points_unused", ssra.JoinPath(p, "points"), "section points apply in points mode only")
	}
	if len(s.Sections) == 0 && len(s.Items) == 0 {
		v.ps.Add("section.empty", p, "section %q has no items", s.ID)
	}
	before := v.allotted
	var ws []decimal.Decimal
	for i, c := range s.Sections {
		v.section(ssra.Index(ssra.JoinPath(p, "sections"), i), c, &ws)
	}
	for i, it := range s.Items {
		v.item(ssra.Index(ssra.JoinPath(p, "items"), i), it, &ws)
	}
	if v.mode == ModeWeights && len(ws) > 0 {
		v.weightSum(p, ws)
	}
	if s.Points != nil && v.mode == ModePoints && v.nonNeg(ssra.JoinPath(p, "points"), *s.Points) {
		if got := v.allotted.Sub(before); !got.Equal(*s.Points) {
			v.ps.Add("section.points_sum", ssra.JoinPath(p, "points"), "section has %s points but its items add up to %s", *s.Points, got)
		}
	}
	if s.DeductionCap != nil {
		v.nonNeg(ssra.JoinPath(p, "deduction_cap"), *s.DeductionCap)
		for i, it := range s.Items {
			if it.Rule.Kind == RuleDeduction && (it.Points != nil || it.Weight != nil) {
				v.ps.Add("section.cap_allotted", ssra.JoinPath(ssra.Index(ssra.JoinPath(p, "items"), i), "points"),
					"a section deduction cap covers deductions from the total only; this item has its own points or weight")
			}
		}
	}
}

// complaintTerms are the words that mark an indicator counting complaints
// filed or escalated (domain.md §2.1 boundary, §4: never score a unit by
// how many complaints citizens file or escalate). They name a count or an
// escalation, not complaint work as such, so that handling-quality items
// (信访按期办结率, 来信来访办理满意率) pass.
var complaintTerms = []string{
	// Escalation and visits to higher levels.
	"上访", "进京", "赴京", "赴省", "越级", "非访", "集体访", "群体访", "重复访", "缠访", "闹访",
	// Volumes of letters and visits.
	"信访量", "信访总量", "信访件数", "信访件次", "信访数量", "信访批次", "信访人次",
	"来信来访件次", "来信来访量", "来信来访总量", "来访批次", "来访人次", "来信件数",
	// English.
	"petition", "complaints filed", "number of complaints", "complaint count", "complaint volume",
	"escalat", "collective visit", "mass visit", "visits to beijing", "letters and visits received",
}

// ComplaintCountTerms returns a copy of the terms CountsComplaints looks
// for: escalation (上访, 进京, 赴京 as in 赴京访, 赴省, 越级, 非访, 集体访 as in
// 集体访次数, 群体访, 重复访, 缠访, 闹访), volumes (信访量, 信访总量, 信访件数,
// 信访件次, 信访数量, 信访批次, 信访人次, 来信来访件次, 来信来访量, 来信来访总量,
// 来访批次, 来访人次, 来信件数) and their English counterparts (petition,
// complaints filed, number of complaints, complaint count, complaint volume,
// escalat…, collective visit, mass visit, visits to Beijing, letters and
// visits received).
func ComplaintCountTerms() []string { return slices.Clone(complaintTerms) }

// CountsComplaints reports whether an item appears to score a unit by the
// number of complaints citizens file or escalate (for example deductions per
// petition to a higher level): its id, labels, measures or veto trigger
// contain one of ComplaintCountTerms, case-insensitively. Such indicators
// reward suppressing complaints; measure handling quality instead (on-time
// handling, satisfaction with the handling, agreements performed).
// Validation warns on a caller's scheme; a shipped preset (Preset) that
// holds such an item is refused.
func CountsComplaints(it Item) bool {
	text := strings.ToLower(it.ID + " " + it.Label.ZH + " " + it.Label.EN + " " + it.Measures + " " + it.Rule.Trigger)
	for _, w := range complaintTerms {
		if strings.Contains(text, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

func (v *validator) item(p string, it Item, siblings *[]decimal.Decimal) {
	v.id(p, it.ID)
	if it.Label.IsZero() {
		v.ps.Warn("item.label_missing", ssra.JoinPath(p, "label"), "item %q has no label", it.ID)
	}
	if CountsComplaints(it) {
		v.ps.Warn("item.complaint_count", p, "item %q appears to score the number of complaints filed or escalated; measure handling quality instead", it.ID)
	}
	r := it.Rule
	rp := ssra.JoinPath(p, "rule")
	k := r.Kind
	if it.Indicator != "" && k != RuleAttainment {
		v.ps.Add("item.indicator_rule", ssra.JoinPath(p, "indicator"), "an indicator gives a measured value: only an attainment item takes one, not %s", k)
	}
	if it.Typed != 0 && !it.Typed.Valid() {
		v.ps.Add("item.typed_invalid", ssra.JoinPath(p, "typed"), "typed must be refused or allowed")
	} else if it.Typed != 0 && it.Indicator == "" {
		v.ps.Add("item.typed_without_indicator", ssra.JoinPath(p, "typed"), "typed says whether a typed value may replace what an indicator measures: only an item that names an indicator takes one")
	}
	if it.WhenEmpty != 0 && !it.WhenEmpty.Valid() {
		v.ps.Add("item.when_empty_invalid", ssra.JoinPath(p, "when_empty"), "when_empty must be refuse, exclude or full_marks")
	} else if it.WhenEmpty != 0 && k != RuleAttainment {
		v.ps.Add("item.when_empty_rule", ssra.JoinPath(p, "when_empty"), "when_empty says what a measured value with nothing to measure scores: only an attainment item takes one, not %s", k)
	}
	// Points and weight.
	switch k {
	case RuleDirect, RuleAttainment, RuleDeduction:
		switch v.mode {
		case ModePoints:
			if it.Weight != nil {
				v.ps.Add("item.weight_unused", ssra.JoinPath(p, "weight"), "weights apply in weights mode only")
			}
			if it.Points == nil && k != RuleDeduction {
				v.ps.Add("item.points_missing", ssra.JoinPath(p, "points"), "a %s item needs points", k)
			}
			if it.Points != nil && v.positive(ssra.JoinPath(p, "points"), *it.Points) {
				v.allotted = v.allotted.Add(*it.Points)
			}
		case ModeWeights:
			if it.Points != nil {
				v.ps.Add("item.points_unused", ssra.JoinPath(p, "points"), "in weights mode items carry weights, not points")
			}
			if it.Weight == nil && k != RuleDeduction {
				v.ps.Add("item.weight_missing", ssra.JoinPath(p, "weight"), "a %s item needs a weight", k)
			}
			if it.Weight != nil && v.positive(ssra.JoinPath(p, "weight"), *it.Weight) {
				*siblings = append(*siblings, *it.Weight)
			}
		case ModeNegativeList:
			if k != RuleDeduction {
				v.ps.Add("item.kind_not_in_mode", ssra.JoinPath(rp, "kind"), "a negative list holds deduction, bonus and veto items only, not %s", k)
			}
			if it.Points != nil || it.Weight != nil {
				v.ps.Add("item.allotment_unused", p, "negative-list items deduct from the total and carry no points or weight")
			}
		}
	case RuleBonus, RuleVeto:
		if it.Points != nil || it.Weight != nil {
			v.ps.Add("item.allotment_unused", p, "a %s item carries no points or weight", k)
		}
	case 0:
		v.ps.Add("rule.kind_missing", ssra.JoinPath(rp, "kind"), "rule kind is missing")
		return
	}
	switch k {
	case RuleDirect:
		v.unused(rp, r, "direction", "curve", "target", "zero_at", "steps", "basis", "amount", "tiers", "levels", "cap", "size_bands", "repeat_multiplier", "special_period_multiplier", "trigger", "window_months", "binds")
	case RuleAttainment:
		v.attainment(rp, r)
	case RuleDeduction:
		v.deduction(rp, r)
	case RuleBonus:
		v.bonus(rp, r)
	case RuleVeto:
		v.hasVeto = true
		v.unused(rp, r, "direction", "curve", "target", "zero_at", "steps", "basis", "amount", "tiers", "levels", "cap", "size_bands", "repeat_multiplier", "special_period_multiplier")
		if strings.TrimSpace(r.Trigger) == "" {
			v.ps.Add("veto.trigger_missing", ssra.JoinPath(rp, "trigger"), "a veto needs a named trigger")
		}
		if r.WindowMonths < 1 || r.WindowMonths > maxWindowMonths {
			v.ps.Add("veto.window_invalid", ssra.JoinPath(rp, "window_months"), "window must be 1 to %d months, got %d", maxWindowMonths, r.WindowMonths)
		}
		if len(r.Binds) == 0 {
			v.ps.Add("veto.binds_missing", ssra.JoinPath(rp, "binds"), "a veto must name the roles it binds")
		}
		seen := map[Responsibility]bool{}
		for i, role := range r.Binds {
			if seen[role] {
				v.ps.Add("veto.binds_duplicate", ssra.Index(ssra.JoinPath(rp, "binds"), i), "role %s is listed twice", role)
			}
			seen[role] = true
		}
	}
}

// unused reports fields set on a rule kind that does not read them.
func (v *validator) unused(rp string, r Rule, names ...string) {
	set := map[string]bool{
		"direction": r.Direction != 0, "curve": r.Curve != 0, "target": r.Target != nil, "zero_at": r.ZeroAt != nil,
		"steps": len(r.Steps) > 0, "basis": r.Basis != 0, "amount": r.Amount != nil, "tiers": len(r.Tiers) > 0,
		"levels": len(r.Levels) > 0, "cap": r.Cap != nil, "size_bands": len(r.SizeBands) > 0,
		"repeat_multiplier": r.RepeatMultiplier != nil, "special_period_multiplier": r.SpecialPeriodMultiplier != nil,
		"trigger": r.Trigger != "", "window_months": r.WindowMonths != 0, "binds": len(r.Binds) > 0,
	}
	for _, n := range names {
		if set[n] {
			v.ps.Add("rule.field_unused", ssra.JoinPath(rp, n), "a %s rule does not use %s", r.Kind, n)
		}
	}
}

func (v *validator) attainment(rp string, r Rule) {
	v.unused(rp, r, "basis", "amount", "tiers", "levels", "cap", "size_bands", "repeat_multiplier", "special_period_multiplier", "trigger", "window_months", "binds")
	if r.Direction == 0 {
		v.ps.Add("attainment.direction_missing", ssra.JoinPath(rp, "direction"), "direction must be higher_is_better or lower_is_better")
	}
	switch r.Curve {
	case CurveLinear:
		if len(r.Steps) > 0 {
			v.ps.Add("rule.field_unused", ssra.JoinPath(rp, "steps"), "a linear curve does not use steps")
		}
		okT := r.Target != nil && v.dec(ssra.JoinPath(rp, "target"), *r.Target)
		okZ := r.ZeroAt != nil && v.dec(ssra.JoinPath(rp, "zero_at"), *r.ZeroAt)
		if r.Target == nil {
			v.ps.Add("attainment.target_missing", ssra.JoinPath(rp, "target"), "a linear attainment needs a target")
		}
		if r.ZeroAt == nil {
			v.ps.Add("attainment.zero_at_missing", ssra.JoinPath(rp, "zero_at"), "a linear attainment needs the value that scores zero")
		}
		if okT && okZ {
			c := r.ZeroAt.Cmp(*r.Target)
			if (r.Direction == HigherIsBetter && c >= 0) || (r.Direction == LowerIsBetter && c <= 0) {
				v.ps.Add("attainment.zero_at_side", ssra.JoinPath(rp, "zero_at"), "zero_at %s must lie on the worse side of the target %s for %s", r.ZeroAt, r.Target, r.Direction)
			}
		}
	case CurveStepped:
		if r.Target != nil || r.ZeroAt != nil {
			v.ps.Add("rule.field_unused", ssra.JoinPath(rp, "target"), "a stepped curve uses steps, not target or zero_at")
		}
		v.steps(rp, r.Steps, r.Direction == LowerIsBetter, true)
	default:
		v.ps.Add("attainment.curve_missing", ssra.JoinPath(rp, "curve"), "curve must be linear or stepped")
	}
}

// steps checks step lists: at strictly falling (rising when lower is
// better); share in [0, 1] and not rising, or a non-negative amount.
func (v *validator) steps(rp string, steps []Threshold, ascending, share bool) {
	sp := ssra.JoinPath(rp, "steps")
	if len(steps) == 0 {
		v.ps.Add("rule.steps_missing", sp, "a stepped rule needs steps")
		return
	}
	var prevAt, prevShare decimal.Decimal
	for i, s := range steps {
		p := ssra.Index(sp, i)
		okAt := v.dec(ssra.JoinPath(p, "at"), s.At)
		if okAt && i > 0 && usable(&steps[i-1].At) {
			c := s.At.Cmp(prevAt)
			if (!ascending && c >= 0) || (ascending && c <= 0) {
				v.ps.Add("rule.steps_order", ssra.JoinPath(p, "at"), "steps must be ordered from the best value to the worst; %s follows %s", s.At, prevAt)
			}
		}
		prevAt = s.At
		if share {
			if s.Amount != nil {
				v.ps.Add("rule.field_unused", ssra.JoinPath(p, "amount"), "attainment steps give a share, not an amount")
			}
			if s.Share == nil {
				v.ps.Add("step.share_missing", ssra.JoinPath(p, "share"), "step needs a share of the item's points")
				continue
			}
			if v.nonNeg(ssra.JoinPath(p, "share"), *s.Share) {
				if s.Share.Cmp(decimal.NewFromInt(1)) > 0 {
					v.ps.Add("step.share_range", ssra.JoinPath(p, "share"), "share %s exceeds 1", s.Share)
				} else if i > 0 && usable(steps[i-1].Share) && s.Share.Cmp(prevShare) > 0 {
					v.ps.Add("step.share_order", ssra.JoinPath(p, "share"), "a worse step may not earn more: %s after %s", s.Share, prevShare)
				}
				prevShare = *s.Share
			}
		} else {
			if s.Share != nil {
				v.ps.Add("rule.field_unused", ssra.JoinPath(p, "share"), "deduction and bonus steps give an amount, not a share")
			}
			if s.Amount == nil {
				v.ps.Add("step.amount_missing", ssra.JoinPath(p, "amount"), "step needs an amount")
			} else {
				v.nonNeg(ssra.JoinPath(p, "amount"), *s.Amount)
			}
		}
	}
}

func (v *validator) multiplier(path string, d *decimal.Decimal) {
	if d == nil {
		return
	}
	if v.dec(path, *d) && d.Cmp(decimal.NewFromInt(1)) < 0 {
		v.ps.Add("deduction.multiplier_range", path, "a multiplier must be at least 1, got %s", d)
	}
}

func (v *validator) deduction(rp string, r Rule) {
	v.unused(rp, r, "direction", "curve", "target", "zero_at", "levels", "trigger", "window_months", "binds")
	if r.Cap != nil {
		v.nonNeg(ssra.JoinPath(rp, "cap"), *r.Cap)
	}
	v.multiplier(ssra.JoinPath(rp, "repeat_multiplier"), r.RepeatMultiplier)
	v.multiplier(ssra.JoinPath(rp, "special_period_multiplier"), r.SpecialPeriodMultiplier)
	for i, b := range r.SizeBands {
		p := ssra.Index(ssra.JoinPath(rp, "size_bands"), i)
		v.nonNeg(ssra.JoinPath(p, "factor"), b.Factor)
		last := i == len(r.SizeBands)-1
		switch {
		case last && b.Below != nil:
			v.ps.Add("size_bands.open_end", ssra.JoinPath(p, "below"), "the last size band must have no upper bound")
		case !last && b.Below == nil:
			v.ps.Add("size_bands.below_missing", ssra.JoinPath(p, "below"), "only the last size band may lack an upper bound")
		case b.Below != nil && v.positive(ssra.JoinPath(p, "below"), *b.Below) && i > 0 && usable(r.SizeBands[i-1].Below) && b.Below.Cmp(*r.SizeBands[i-1].Below) <= 0:
			v.ps.Add("size_bands.order", ssra.JoinPath(p, "below"), "size bands must rise")
		}
	}
	v.basisAmounts(rp, r, false)
}

func (v *validator) bonus(rp string, r Rule) {
	v.unused(rp, r, "direction", "curve", "target", "zero_at", "tiers", "size_bands", "repeat_multiplier", "special_period_multiplier", "trigger", "window_months", "binds")
	if r.Cap == nil {
		v.ps.Add("bonus.cap_missing", ssra.JoinPath(rp, "cap"), "a bonus needs a cap")
	} else {
		v.nonNeg(ssra.JoinPath(rp, "cap"), *r.Cap)
	}
	v.basisAmounts(rp, r, true)
}

func (v *validator) basisAmounts(rp string, r Rule, bonus bool) {
	bp := ssra.JoinPath(rp, "basis")
	switch r.Basis {
	case PerOccurrence, PerPerson:
		if bonus && r.Basis == PerPerson {
			v.ps.Add("bonus.basis_invalid", bp, "a bonus counts per_occurrence, stepped or highest_level")
		}
		v.noLevelsSteps(rp, r)
		switch {
		case r.Amount == nil && len(r.Tiers) == 0:
			v.ps.Add("rule.amount_missing", ssra.JoinPath(rp, "amount"), "%s needs an amount or tiers", r.Basis)
		case r.Amount != nil && len(r.Tiers) > 0:
			v.ps.Add("rule.amount_and_tiers", ssra.JoinPath(rp, "amount"), "give an amount or tiers, not both")
		case r.Amount != nil:
			v.nonNeg(ssra.JoinPath(rp, "amount"), *r.Amount)
		}
		for i, t := range r.Tiers {
			p := ssra.Index(ssra.JoinPath(rp, "tiers"), i)
			v.nonNeg(ssra.JoinPath(p, "amount"), t.Amount)
			if t.Below != nil {
				v.ps.Add("rule.field_unused", ssra.JoinPath(p, "below"), "magnitude tiers use min and max")
			}
			if t.Min == nil && t.Max == nil {
				v.ps.Add("tier.range_missing", p, "a magnitude tier needs min or max")
			}
			okMin := t.Min != nil && v.nonNeg(ssra.JoinPath(p, "min"), *t.Min)
			okMax := t.Max != nil && v.nonNeg(ssra.JoinPath(p, "max"), *t.Max)
			if okMin && okMax && t.Min.Cmp(*t.Max) > 0 {
				v.ps.Add("tier.range_empty", p, "min %s exceeds max %s", t.Min, t.Max)
			}
			for j := 0; j < i && (okMin || okMax) && (t.Min == nil || okMin) && (t.Max == nil || okMax); j++ {
				if o := r.Tiers[j]; (o.Min == nil || usable(o.Min)) && (o.Max == nil || usable(o.Max)) && overlaps(t, o) {
					v.ps.Add("tier.overlap", p, "tier overlaps tiers[%d]: an event would be counted twice", j)
				}
			}
		}
	case PerPointBelow:
		if bonus {
			v.ps.Add("bonus.basis_invalid", bp, "a bonus counts per_occurrence, stepped or highest_level")
		}
		v.noLevelsSteps(rp, r)
		if r.Amount != nil && len(r.Tiers) > 0 {
			v.ps.Add("rule.amount_and_tiers", ssra.JoinPath(rp, "amount"), "give an amount (against the subject's reference) or tiers with thresholds, not both")
		}
		if r.Amount == nil && len(r.Tiers) == 0 {
			v.ps.Add("rule.amount_missing", ssra.JoinPath(rp, "amount"), "per_point_below needs tiers or an amount")
		}
		if r.Amount != nil {
			v.nonNeg(ssra.JoinPath(rp, "amount"), *r.Amount)
		}
		for i, t := range r.Tiers {
			p := ssra.Index(ssra.JoinPath(rp, "tiers"), i)
			v.nonNeg(ssra.JoinPath(p, "amount"), t.Amount)
			if t.Min != nil || t.Max != nil {
				v.ps.Add("rule.field_unused", p, "per_point_below tiers use below, not min or max")
			}
			if t.Below == nil {
				v.ps.Add("tier.below_missing", ssra.JoinPath(p, "below"), "a per_point_below tier needs a threshold")
			} else if v.dec(ssra.JoinPath(p, "below"), *t.Below) && i > 0 && usable(r.Tiers[i-1].Below) && t.Below.Cmp(*r.Tiers[i-1].Below) >= 0 {
				v.ps.Add("tier.below_order", ssra.JoinPath(p, "below"), "per_point_below thresholds must fall: %s follows %s", t.Below, r.Tiers[i-1].Below)
			}
		}
	case Stepped:
		if r.Amount != nil || len(r.Tiers) > 0 || len(r.Levels) > 0 {
			v.ps.Add("rule.field_unused", rp, "a stepped %s uses steps only", r.Kind)
		}
		v.steps(rp, r.Steps, false, false)
	case HighestLevel:
		if !bonus {
			v.ps.Add("deduction.basis_invalid", bp, "highest_level applies to bonuses")
		}
		if r.Amount != nil || len(r.Tiers) > 0 || len(r.Steps) > 0 {
			v.ps.Add("rule.field_unused", rp, "highest_level uses levels only")
		}
		if len(r.Levels) == 0 {
			v.ps.Add("bonus.levels_missing", ssra.JoinPath(rp, "levels"), "highest_level needs levels")
		}
		seen := map[string]bool{}
		for i, l := range r.Levels {
			p := ssra.Index(ssra.JoinPath(rp, "levels"), i)
			if l.Level == "" {
				v.ps.Add("bonus.level_missing", ssra.JoinPath(p, "level"), "level name is missing")
			} else if seen[l.Level] {
				v.ps.Add("bonus.level_duplicate", ssra.JoinPath(p, "level"), "level %q is listed twice", l.Level)
			}
			seen[l.Level] = true
			v.nonNeg(ssra.JoinPath(p, "amount"), l.Amount)
		}
	case 0:
		v.ps.Add("rule.basis_missing", bp, "basis is missing")
	}
}

func (v *validator) noLevelsSteps(rp string, r Rule) {
	if len(r.Levels) > 0 {
		v.ps.Add("rule.field_unused", ssra.JoinPath(rp, "levels"), "%s does not use levels", r.Basis)
	}
	if len(r.Steps) > 0 {
		v.ps.Add("rule.field_unused", ssra.JoinPath(rp, "steps"), "%s does not use steps", r.Basis)
	}
}

func overlaps(a, b Tier) bool {
	// [aMin, aMax] and [bMin, bMax] with open ends overlap unless one ends
	// before the other starts.
	if a.Max != nil && b.Min != nil && a.Max.Cmp(*b.Min) < 0 {
		return false
	}
	if b.Max != nil && a.Min != nil && b.Max.Cmp(*a.Min) < 0 {
		return false
	}
	return true
}
