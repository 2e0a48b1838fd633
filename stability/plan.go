package stability

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// Plan is a unit's annual social-stability work plan (维稳工作计划): goals with
// measurable targets, tasks that decompose the targets to responsible units
// and named leaders, responsibility pledges and progress reports.
type Plan struct {
	ID      string           `json:"id"`
	Unit    string           `json:"unit"`
	Year    int              `json:"year"`
	Title   string           `json:"title"`
	Goals   []Goal           `json:"goals"`
	Tasks   []Task           `json:"tasks"`
	Pledges []Pledge         `json:"pledges,omitempty"`
	Reports []ProgressReport `json:"reports,omitempty"`
}

// Goal is a goal of the plan (工作目标) with its measurable targets.
type Goal struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Targets []Target `json:"targets"`
}

// Target is a measurable target (考核指标): an indicator compared with a
// threshold in a unit of measure by a due date. The seed's targets are data:
// public satisfaction ≥ 95 percent, acceptance as a "safe unit" (平安单位)
// = 1 flag.
type Target struct {
	ID         string          `json:"id"`
	Indicator  string          `json:"indicator"`
	Label      ssra.Label      `json:"label"`
	Comparator Comparator      `json:"comparator"`
	Threshold  decimal.Decimal `json:"threshold"`
	Unit       MeasureUnit     `json:"unit"`
	Due        ssra.Date       `json:"due"`
	// Filter selects the cases a casework indicator (see Indicators) is
	// measured over when Indicator names one; the acceptance check then
	// takes the figure from the stored cases instead of a typed-in value.
	Filter *CaseFilter `json:"filter,omitempty"`
}

// Leader is the named leader responsible for a task (第一责任人, the head of
// the responsible unit).
type Leader struct {
	Name string `json:"name"`
	Post string `json:"post"`
}

// Task assigns work towards targets to a responsible unit and its leader,
// with a deadline.
type Task struct {
	ID      string    `json:"id"`
	Title   string    `json:"title"`
	Targets []string  `json:"targets"`
	Unit    string    `json:"unit"`
	Leader  Leader    `json:"leader"`
	Due     ssra.Date `json:"due"`
}

// Pledge is a responsibility pledge (责任书) linking a level to the level
// below: who signs for whom, for which targets.
type Pledge struct {
	ID      string    `json:"id"`
	Upper   string    `json:"upper"`
	Lower   string    `json:"lower"`
	UpperBy Leader    `json:"upper_by"`
	LowerBy Leader    `json:"lower_by"`
	Signed  ssra.Date `json:"signed"`
	Targets []string  `json:"targets"`
}

// ProgressReport is a report on a task's progress.
type ProgressReport struct {
	Task     string          `json:"task"`
	Date     ssra.Date       `json:"date"`
	Percent  decimal.Decimal `json:"percent"`
	Note     string          `json:"note"`
	Reporter string          `json:"reporter"`
}

// Validate returns every problem of the plan: missing names, duplicate or
// dangling identifiers, thresholds outside their unit's range, tasks
// without a named leader or a deadline. Tasks due after their targets are
// warnings.
func (p *Plan) Validate() ssra.Problems {
	var ps ssra.Problems
	if p.ID == "" {
		ps.Add("plan.id_missing", "id", "plan id is missing")
	}
	if p.Unit == "" {
		ps.Add("plan.unit_missing", "unit", "the unit is missing")
	}
	if p.Year < 2000 || p.Year > 2100 {
		ps.Add("plan.year_range", "year", "year %d outside 2000..2100", p.Year)
	}
	if len(p.Goals) == 0 {
		ps.Add("plan.goals_missing", "goals", "a plan has at least one goal")
	}
	targets := map[string]Target{}
	ids := map[string]bool{}
	for gi, g := range p.Goals {
		gf := ssra.Index("goals", gi)
		if g.ID == "" || ids[g.ID] {
			ps.Add("plan.id_invalid", ssra.JoinPath(gf, "id"), "goal id %q is missing or duplicate", g.ID)
		}
		ids[g.ID] = true
		if len(g.Targets) == 0 {
			ps.Add("plan.targets_missing", ssra.JoinPath(gf, "targets"), "a goal has at least one measurable target")
		}
		for ti, t := range g.Targets {
			tf := ssra.JoinPath(gf, ssra.Index("targets", ti))
			if t.ID == "" || ids[t.ID] {
				ps.Add("plan.id_invalid", ssra.JoinPath(tf, "id"), "target id %q is missing or duplicate", t.ID)
			}
			ids[t.ID] = true
			targets[t.ID] = t
			ps = append(ps, t.validate().Prefix(tf)...)
		}
	}
	for i, t := range p.Tasks {
		f := ssra.Index("tasks", i)
		if t.ID == "" || ids[t.ID] {
			ps.Add("plan.id_invalid", ssra.JoinPath(f, "id"), "task id %q is missing or duplicate", t.ID)
		}
		ids[t.ID] = true
		if t.Unit == "" {
			ps.Add("task.unit_missing", ssra.JoinPath(f, "unit"), "the responsible unit is missing")
		}
		if t.Leader.Name == "" {
			ps.Add("task.leader_missing", ssra.JoinPath(f, "leader.name"), "the responsible leader (第一责任人) is not named")
		}
		if t.Due.IsZero() {
			ps.Add("task.due_missing", ssra.JoinPath(f, "due"), "the task has no deadline")
		}
		if len(t.Targets) == 0 {
			ps.Add("task.targets_missing", ssra.JoinPath(f, "targets"), "the task serves no target")
		}
		for j, id := range t.Targets {
			tg, ok := targets[id]
			switch {
			case !ok:
				ps.Add("task.target_unknown", ssra.JoinPath(f, ssra.Index("targets", j)), "no target %q", id)
			case !t.Due.IsZero() && !tg.Due.IsZero() && t.Due.After(tg.Due):
				ps.Warn("task.due_after_target", ssra.JoinPath(f, "due"), "task due %s after target %s due %s", t.Due, id, tg.Due)
			}
		}
	}
	for i, pl := range p.Pledges {
		f := ssra.Index("pledges", i)
		if pl.Upper == "" || pl.Lower == "" || pl.Upper == pl.Lower {
			ps.Add("pledge.levels_invalid", f, "a pledge links a level to a different level below")
		}
		if pl.UpperBy.Name == "" || pl.LowerBy.Name == "" {
			ps.Add("pledge.signatory_missing", f, "both leaders sign the pledge")
		}
		if pl.Signed.IsZero() {
			ps.Add("pledge.signed_missing", ssra.JoinPath(f, "signed"), "the signing date is missing")
		}
		for j, id := range pl.Targets {
			if _, ok := targets[id]; !ok {
				ps.Add("pledge.target_unknown", ssra.JoinPath(f, ssra.Index("targets", j)), "no target %q", id)
			}
		}
	}
	tasks := map[string]bool{}
	for _, t := range p.Tasks {
		tasks[t.ID] = true
	}
	for i, r := range p.Reports {
		f := ssra.Index("reports", i)
		if !tasks[r.Task] {
			ps.Add("report.task_unknown", ssra.JoinPath(f, "task"), "no task %q", r.Task)
		}
		if r.Date.IsZero() {
			ps.Add("report.date_missing", ssra.JoinPath(f, "date"), "the report date is missing")
		}
		if err := ssra.CheckDecimal(r.Percent); err != nil {
			ps.Add("report.percent_invalid", ssra.JoinPath(f, "percent"), "%s", ssra.Reason(err))
		} else if r.Percent.Sign() < 0 || r.Percent.Cmp(decimal.NewFromInt(100)) > 0 {
			ps.Add("report.percent_range", ssra.JoinPath(f, "percent"), "progress %s outside 0..100", r.Percent)
		}
	}
	return ps
}

func (t Target) validate() ssra.Problems {
	var ps ssra.Problems
	if t.Indicator == "" {
		ps.Add("target.indicator_missing", "indicator", "the indicator is missing")
	}
	if t.Due.IsZero() {
		ps.Add("target.due_missing", "due", "the due date is missing")
	}
	if _, err := t.Comparator.MarshalText(); err != nil {
		ps.Add("target.comparator_invalid", "comparator", "%s", ssra.Reason(err))
	}
	if err := ssra.CheckDecimal(t.Threshold); err != nil {
		ps.Add("target.threshold_invalid", "threshold", "%s", ssra.Reason(err))
		return ps
	}
	if lo, hi, ok := unitRange(t.Unit); ok && (t.Threshold.Cmp(lo) < 0 || t.Threshold.Cmp(hi) > 0) {
		ps.Add("target.threshold_range", "threshold", "threshold %s outside %s..%s for unit %s", t.Threshold, lo, hi, t.Unit)
	}
	if t.Threshold.Sign() < 0 {
		ps.Add("target.threshold_range", "threshold", "threshold %s is negative", t.Threshold)
	}
	if t.Unit == UnitFlag && !t.Threshold.IsInteger() {
		ps.Add("target.threshold_range", "threshold", "a flag threshold is 0 or 1")
	}
	x, casework := LookupIndicator(t.Indicator)
	switch {
	case !casework && t.Filter != nil:
		ps.Add("target.filter_without_indicator", "filter", "a filter selects the cases of a casework indicator; %q is not one", t.Indicator)
	case casework && t.Filter != nil && !IndicatorOverCases(x.ID):
		ps.Add("target.filter_not_cases", "filter", "indicator %s is measured over all the organisation holds at the date, not over cases a filter selects", x.ID)
	case casework && !unitFits(x.Kind, t.Unit):
		ps.Add("target.indicator_unit", "unit", "indicator %s is a %s, not measured in %s", x.ID, x.Kind, t.Unit)
	}
	if t.Filter != nil && !t.Filter.From.IsZero() && !t.Filter.To.IsZero() && !t.Filter.From.Before(t.Filter.To) {
		ps.Add("target.filter_period", "filter.to", "the period [from, to) is empty")
	}
	return ps
}

// unitFits says whether a target in unit can take an indicator of kind k:
// a rate as a percent or a ratio, days as days, a count as a count.
func unitFits(k IndicatorKind, u MeasureUnit) bool {
	switch k {
	case IndicatorRate:
		return u == UnitPercent || u == UnitRatio
	case IndicatorDays:
		return u == UnitDays
	case IndicatorCount:
		return u == UnitCount
	}
	return false
}

func unitRange(u MeasureUnit) (decimal.Decimal, decimal.Decimal, bool) {
	switch u {
	case UnitPercent:
		return decimal.Zero, decimal.NewFromInt(100), true
	case UnitRatio, UnitFlag:
		return decimal.Zero, decimal.NewFromInt(1), true
	}
	return decimal.Decimal{}, decimal.Decimal{}, false
}

// DecodePlan decodes a plan strictly and validates it; warnings do not fail.
func DecodePlan(b []byte) (*Plan, ssra.Problems, error) {
	const op = "stability.DecodePlan"
	var p Plan
	if err := strictjson.Decode(b, &p, op); err != nil {
		return nil, nil, err
	}
	ps := p.Validate()
	if err := ps.Err(op); err != nil {
		return nil, ps, err
	}
	return &p, ps, nil
}

// Sample is a survey sample behind a rate: successes (for example satisfied
// and basically satisfied answers) among valid answers.
type Sample struct {
	Successes int64 `json:"successes"`
	Total     int64 `json:"total"`
}

// Measurement is a measured value of a target at acceptance, with its
// evidence: either a value in the target's unit, or, for a percent or ratio
// target, the survey sample it comes from.
type Measurement struct {
	Target   string           `json:"target"`
	Value    *decimal.Decimal `json:"value,omitempty"`
	Sample   *Sample          `json:"sample,omitempty"`
	Evidence string           `json:"evidence"`
	Measured ssra.Date        `json:"measured"`
	// Source is the casework figure and the query that produced it, when
	// the value was measured from the stored cases.
	Source *IndicatorSource `json:"source,omitempty"`
	// NotMeasurable says that the target's indicator, measured from the
	// stored records (Source), had nothing to measure: no value, no
	// sample. The target's verdict is not_measurable.
	NotMeasurable bool `json:"not_measurable,omitempty"`
}

// IndicatorSource is the evidence of a value measured from stored cases:
// the query that reproduces it and the figure it gave.
type IndicatorSource struct {
	Query  string `json:"query"`
	Figure Figure `json:"figure"`
}

// indicatorNoun names what an indicator measures, for evidence.
func indicatorNoun(id string) string {
	if IndicatorOverCases(id) {
		return "casework indicator"
	}
	return "indicator"
}

// MeasurementOf turns a casework figure into the measurement of a target in
// unit, on the date: a rate as its sample (judged with its interval), a
// mean number of days or a count as a value. A rate or a mean that measured
// nothing (no case, duty or rating counted) is a measurement that says so
// (NotMeasurable) with the figure and its query as evidence, never a value
// taken from nothing. It is false when the figure's kind does not fit the
// unit.
func MeasurementOf(target string, u MeasureUnit, f Figure, query string, on ssra.Date) (Measurement, bool) {
	m := Measurement{Target: target, Measured: on, Source: &IndicatorSource{Query: query, Figure: f}}
	switch {
	case f.Kind == IndicatorRate && f.Denominator == 0 && (u == UnitPercent || u == UnitRatio),
		f.Kind == IndicatorDays && f.Mean == nil && u == UnitDays:
		m.NotMeasurable = true
		m.Evidence = fmt.Sprintf("%s %s: nothing to measure (a denominator of 0), measured on %s by %s", indicatorNoun(f.Indicator), f.Indicator, on, query)
	case f.Kind == IndicatorRate && f.Denominator > 0 && (u == UnitPercent || u == UnitRatio):
		m.Sample = &Sample{Successes: f.Numerator, Total: f.Denominator}
		m.Evidence = fmt.Sprintf("%s %s: %d of %d, measured on %s by %s", indicatorNoun(f.Indicator), f.Indicator, f.Numerator, f.Denominator, on, query)
	case f.Kind == IndicatorDays && f.Mean != nil && u == UnitDays:
		v := *f.Mean
		m.Value = &v
		m.Evidence = fmt.Sprintf("casework indicator %s: mean %s working days over %d handled case(s), measured on %s by %s", f.Indicator, v, f.Denominator, on, query)
	case f.Kind == IndicatorCount && u == UnitCount:
		v := decimal.NewFromInt(f.Numerator)
		m.Value = &v
		what := "case(s)"
		if !IndicatorOverCases(f.Indicator) {
			what = "counted"
		}
		m.Evidence = fmt.Sprintf("%s %s: %d %s, measured on %s by %s", indicatorNoun(f.Indicator), f.Indicator, f.Numerator, what, on, query)
	default:
		return Measurement{}, false
	}
	return m, true
}

// TargetResult is the verdict on one target with what decided it.
type TargetResult struct {
	Target     string          `json:"target"`
	Indicator  string          `json:"indicator"`
	Comparator Comparator      `json:"comparator"`
	Threshold  decimal.Decimal `json:"threshold"`
	Unit       MeasureUnit     `json:"unit"`
	// Value is the measured value in the target's unit (for a sample, the
	// point estimate rounded half-up to the kernel's rate scale).
	Value    *decimal.Decimal `json:"value,omitempty"`
	Rate     *ssra.Rate       `json:"rate,omitempty"`
	Verdict  Verdict          `json:"verdict"`
	Evidence string           `json:"evidence,omitempty"`
	// Source is the casework figure behind the value, when measured from
	// stored cases.
	Source *IndicatorSource `json:"source,omitempty"`
	Steps  []string         `json:"steps"`
}

// Acceptance is the acceptance check (验收) of a plan: a verdict per target
// and an overall verdict, pass only when every target passes.
type Acceptance struct {
	Plan    string         `json:"plan"`
	Unit    string         `json:"unit"`
	Year    int            `json:"year"`
	On      ssra.Date      `json:"on"`
	Results []TargetResult `json:"results"`
	Verdict Verdict        `json:"verdict"`
	Counts  map[string]int `json:"counts"`
	Steps   []string       `json:"steps"`
}

// CheckAcceptance evaluates every target of the plan against the
// measurements, on the given date. A target with a sample is judged with
// the 95 % Wilson interval: pass when the whole interval is on the right
// side of the threshold, fail when the whole interval is on the wrong side,
// undecided otherwise. A target without a measurement is missing; one
// whose indicator had nothing to measure (Measurement.NotMeasurable) is
// not_measurable. Overall: fail if any target fails or is missing, else
// undecided if any is undecided or not measurable (the plan cannot pass on
// a target nothing measured, nor fail on it), else pass. It fails with KindInvalid for an invalid plan or
// invalid, duplicate or unknown measurements.
func CheckAcceptance(p *Plan, ms []Measurement, on ssra.Date) (Acceptance, error) {
	const op = "stability.CheckAcceptance"
	if p == nil {
		return Acceptance{}, invalid(op, "acceptance.plan_missing", "plan", "plan is missing")
	}
	ps := p.Validate().Errors().Prefix("plan")
	if on.IsZero() {
		ps.Add("acceptance.date_missing", "on", "acceptance date is missing")
	}
	targets := map[string]Target{}
	for _, g := range p.Goals {
		for _, t := range g.Targets {
			targets[t.ID] = t
		}
	}
	byTarget := map[string]Measurement{}
	for i, m := range ms {
		f := ssra.Index("measurements", i)
		t, ok := targets[m.Target]
		if !ok {
			ps.Add("acceptance.target_unknown", ssra.JoinPath(f, "target"), "no target %q in the plan", m.Target)
			continue
		}
		if _, dup := byTarget[m.Target]; dup {
			ps.Add("acceptance.duplicate", ssra.JoinPath(f, "target"), "target %q measured twice", m.Target)
		}
		byTarget[m.Target] = m
		ps = append(ps, m.validate(t).Prefix(f)...)
	}
	if err := ps.Err(op); err != nil {
		return Acceptance{}, err
	}
	a := Acceptance{Plan: p.ID, Unit: p.Unit, Year: p.Year, On: on, Counts: map[string]int{}}
	for _, g := range p.Goals {
		for _, t := range g.Targets {
			r := judgeTarget(t, byTarget[t.ID], byTarget[t.ID].Target != "")
			a.Results = append(a.Results, r)
			a.Counts[r.Verdict.String()]++
		}
	}
	switch {
	case a.Counts["fail"]+a.Counts["missing"] > 0:
		a.Verdict = VerdictFail
	case a.Counts["undecided"]+a.Counts["not_measurable"] > 0:
		a.Verdict = VerdictUndecided
	default:
		a.Verdict = VerdictPass
	}
	counts := fmt.Sprintf("%d target(s): %d pass, %d fail, %d undecided, %d missing", len(a.Results), a.Counts["pass"], a.Counts["fail"], a.Counts["undecided"], a.Counts["missing"])
	rule := "overall: fail if any target fails or is missing, else undecided if any is undecided, else pass → "
	if n := a.Counts["not_measurable"]; n > 0 {
		counts += fmt.Sprintf(", %d not measurable", n)
		rule = "overall: fail if any target fails or is missing, else undecided if any is undecided or not measurable, else pass → "
	}
	a.Steps = append(a.Steps, counts, rule+a.Verdict.String())
	return a, nil
}

func (m Measurement) validate(t Target) ssra.Problems {
	var ps ssra.Problems
	switch {
	case m.NotMeasurable && (m.Value != nil || m.Sample != nil):
		ps.Add("measurement.value_not_measurable", "not_measurable", "a measurement with nothing to measure has no value and no sample")
	case m.NotMeasurable:
		if m.Source == nil || m.Source.Figure.Indicator != t.Indicator || !measuredNothing(m.Source.Figure) {
			ps.Add("measurement.not_measurable_unsupported", "not_measurable", "only target %s's indicator, measured from the stored records with a denominator of 0, makes a target not measurable", t.ID)
		}
	case m.Value == nil && m.Sample == nil:
		ps.Add("measurement.value_missing", "value", "give a value or a sample")
	case m.Value != nil && m.Sample != nil:
		ps.Add("measurement.value_and_sample", "value", "give a value or a sample, not both")
	case m.Value != nil:
		if err := ssra.CheckDecimal(*m.Value); err != nil {
			ps.Add("measurement.value_invalid", "value", "%s", ssra.Reason(err))
		} else if lo, hi, ok := unitRange(t.Unit); ok && (m.Value.Cmp(lo) < 0 || m.Value.Cmp(hi) > 0) {
			ps.Add("measurement.value_range", "value", "value %s outside %s..%s for unit %s", m.Value, lo, hi, t.Unit)
		}
	case m.Sample != nil:
		if t.Unit != UnitPercent && t.Unit != UnitRatio {
			ps.Add("measurement.sample_unit", "sample", "a sample measures a percent or ratio target, not %s", t.Unit)
		}
		if m.Sample.Total <= 0 || m.Sample.Successes < 0 || m.Sample.Successes > m.Sample.Total {
			ps.Add("measurement.sample_invalid", "sample", "need 0 ≤ successes ≤ total and total > 0")
		}
	}
	if strings.TrimSpace(m.Evidence) == "" {
		ps.Add("measurement.evidence_missing", "evidence", "the evidence is missing")
	}
	return ps
}

// measuredNothing reports whether a figure counted nothing a rate or a
// mean could be taken from.
func measuredNothing(f Figure) bool {
	switch f.Kind {
	case IndicatorRate:
		return f.Denominator == 0
	case IndicatorDays:
		return f.Mean == nil
	}
	return false
}

func judgeTarget(t Target, m Measurement, measured bool) TargetResult {
	r := TargetResult{Target: t.ID, Indicator: t.Indicator, Comparator: t.Comparator, Threshold: t.Threshold, Unit: t.Unit, Evidence: m.Evidence, Source: m.Source}
	if !measured {
		r.Verdict = VerdictMissing
		r.Steps = []string{"no measured value was supplied"}
		return r
	}
	if m.NotMeasurable {
		r.Verdict = VerdictNotMeasurable
		r.Steps = []string{fmt.Sprintf("indicator %s had nothing to measure (a denominator of 0): the target is neither met nor failed, and the plan cannot pass on it", t.Indicator)}
		return r
	}
	if m.Sample != nil {
		rate, err := ssra.NewRate(m.Sample.Successes, m.Sample.Total)
		if err != nil {
			r.Verdict = VerdictMissing
			r.Steps = []string{"sample unusable: " + err.Error()}
			return r
		}
		share := t.Threshold
		value := rate.Value
		if t.Unit == UnitPercent {
			share = t.Threshold.Shift(-2)
			value = rate.Value.Shift(2)
		}
		r.Rate, r.Value = &rate, &value
		r.Steps = append(r.Steps,
			fmt.Sprintf("sample %d/%d = %s (rounded half-up to %d places), 95 %% Wilson interval [%s, %s]", rate.Successes, rate.Total, rate.Value, ssra.RateScale, rate.Lower, rate.Upper),
			fmt.Sprintf("threshold %s %s = share %s", t.Threshold, t.Unit, share))
		r.Verdict = judgeInterval(t.Comparator, rate, share, &r.Steps)
		return r
	}
	v := *m.Value
	r.Value = &v
	ok := holds(t.Comparator, v.Cmp(t.Threshold))
	r.Verdict = VerdictFail
	if ok {
		r.Verdict = VerdictPass
	}
	r.Steps = append(r.Steps, fmt.Sprintf("%s %s %s %s: %v → %s", v, t.Comparator, t.Threshold, t.Unit, ok, r.Verdict))
	return r
}

// judgeInterval decides a sampled target: pass when the comparison holds for
// every value of the interval, fail when it holds for none. It compares the
// exact Wilson bounds (ssra.Rate.CompareLower, CompareUpper), not the
// rounded Lower and Upper, which are for display only (domain.md §2.3:
// targets are judged with their uncertainty; §1.10: round once, for
// output): 426 satisfied of 439 shows a lower bound of 0.9500 but does not
// pass "≥ 95 %".
func judgeInterval(c Comparator, r ssra.Rate, share decimal.Decimal, steps *[]string) Verdict {
	lo, hi := r.CompareLower(share), r.CompareUpper(share)
	all := holds(c, lo) && holds(c, hi)
	none := !holds(c, lo) && !holds(c, hi)
	if c == CmpEQ {
		none = hi < 0 || lo > 0
	}
	v := VerdictUndecided
	switch {
	case all:
		v = VerdictPass
	case none:
		v = VerdictFail
	}
	*steps = append(*steps, fmt.Sprintf("exact interval bounds (shown rounded: %s, %s) %s %s: %s (pass only if both bounds satisfy it, fail if neither does)", r.Lower, r.Upper, c, share, v))
	if lo != r.Lower.Cmp(share) || hi != r.Upper.Cmp(share) {
		*steps = append(*steps, fmt.Sprintf("the rounded bounds %s, %s would compare differently with %s than the exact ones; the exact ones decide", r.Lower, r.Upper, share))
	}
	return v
}

// holds reports whether a value whose sign against the threshold is sign
// satisfies the comparator.
func holds(c Comparator, sign int) bool {
	switch c {
	case CmpGE:
		return sign >= 0
	case CmpGT:
		return sign > 0
	case CmpLE:
		return sign <= 0
	case CmpLT:
		return sign < 0
	}
	return sign == 0
}
