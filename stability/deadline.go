package stability

import (
	"fmt"
	"slices"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// Rule is one statutory time limit (期限) of a deadline profile: the event
// that opens it, its length and unit, who it binds, the events that satisfy
// it, whether stop-the-clock periods are excluded, how it may be extended,
// and its legal basis.
type Rule struct {
	// ID names the rule within its profile, for example "conclude".
	ID string `json:"id"`
	// Label names the rule for people.
	Label ssra.Label `json:"label"`
	// Basis is the legal or practice source, for example 信访工作条例 (2022) 第三十四条.
	Basis ssra.Label `json:"basis"`
	// Tag says whether the number is law or practice.
	Tag ssra.Tag `json:"tag"`
	// Event opens the rule: the deadline runs from the event's date.
	Event EventKind `json:"event"`
	// Days is the length of the limit in Unit.
	Days int `json:"days"`
	// Unit is how Days are counted.
	Unit DayUnit `json:"unit"`
	// Obligation says whether the body must act (duty) or a party may act (window).
	Obligation Obligation `json:"obligation"`
	// ClosedBy lists the events that satisfy the rule.
	ClosedBy []EventKind `json:"closed_by"`
	// Pausable says that stop-the-clock periods (hearings, appraisals) are
	// not counted.
	Pausable bool `json:"pausable"`
	// Extension, when set, allows the limit to be extended.
	Extension *ExtensionRule `json:"extension,omitempty"`
}

// ExtensionRule says how a limit may be extended (延期): how many times, by at
// most how many days in the rule's unit each time, and whether a reason is
// required (the complainant is told the reason).
type ExtensionRule struct {
	MaxTimes       int        `json:"max_times"`
	MaxDays        int        `json:"max_days"`
	ReasonRequired bool       `json:"reason_required"`
	Basis          ssra.Label `json:"basis"`
}

// Profile is a named, versioned set of deadline rules (期限规则), for example
// the 信访工作条例 2022 limits. Profiles are data: the presets are embedded
// JSON, and callers may load their own with DecodeProfile.
type Profile struct {
	Name string `json:"name"`
	// Version names the text or texts the rules follow, so that a result
	// says which law it counted by: an effective date for one text
	// ("2022-05-01"), or each text with its year, joined by "+", for a
	// profile that draws on several (mediation2010).
	Version string `json:"version"`
	// Formerly lists earlier names of this version that denoted the same
	// rules; a case opened under one of them still binds to the profile.
	Formerly []string   `json:"formerly,omitempty"`
	Tag      ssra.Tag   `json:"tag"`
	Title    ssra.Label `json:"title"`
	// Counting describes the day-counting convention the profile applies.
	Counting ssra.Label `json:"counting"`
	Rules    []Rule     `json:"rules"`
	// RatingWindowDays is how many calendar days after the first rating of
	// the handling (评价) the complainant or party may replace it with
	// another; after that, and after MaxRatingChanges replacements, the
	// rating stands. A case holds one rating. 0 means it cannot be
	// replaced. The texts do not state a window: this is practice.
	RatingWindowDays int `json:"rating_window_days"`
}

// MaxRatingChanges is how many times a rating may be replaced within the
// profile's window, so that a case's record does not grow with every
// request of whoever holds the query code.
const MaxRatingChanges = 3

// Validate returns every problem of the profile as ssra.Problems.
func (p *Profile) Validate() ssra.Problems {
	var ps ssra.Problems
	if p.Name == "" {
		ps.Add("profile.name_missing", "name", "profile name is missing")
	}
	if p.Version == "" {
		ps.Add("profile.version_missing", "version", "profile version is missing")
	}
	if p.Title.ZH == "" || p.Title.EN == "" {
		ps.Add("profile.label_missing", "title", "title needs zh-CN and en text")
	}
	if len(p.Rules) == 0 {
		ps.Add("profile.rules_missing", "rules", "profile has no rules")
	}
	if p.RatingWindowDays < 0 || p.RatingWindowDays > 366 {
		ps.Add("profile.rating_window_range", "rating_window_days", "rating_window_days %d outside 0..366", p.RatingWindowDays)
	}
	seen := map[string]bool{}
	for i, r := range p.Rules {
		f := ssra.Index("rules", i)
		switch {
		case r.ID == "":
			ps.Add("rule.id_missing", ssra.JoinPath(f, "id"), "rule id is missing")
		case seen[r.ID]:
			ps.Add("rule.id_duplicate", ssra.JoinPath(f, "id"), "rule id %q appears twice", r.ID)
		}
		seen[r.ID] = true
		if r.Label.ZH == "" || r.Label.EN == "" {
			ps.Add("rule.label_missing", ssra.JoinPath(f, "label"), "label needs zh-CN and en text")
		}
		if r.Basis.ZH == "" || r.Basis.EN == "" {
			ps.Add("rule.basis_missing", ssra.JoinPath(f, "basis"), "legal basis needs zh-CN and en text")
		}
		if r.Days <= 0 || r.Days > 3660 {
			ps.Add("rule.days_range", ssra.JoinPath(f, "days"), "days %d outside 1..3660", r.Days)
		}
		if r.Unit == Months && r.Days > 120 {
			ps.Add("rule.days_range", ssra.JoinPath(f, "days"), "months %d outside 1..120", r.Days)
		}
		if len(r.ClosedBy) == 0 {
			ps.Add("rule.closed_by_missing", ssra.JoinPath(f, "closed_by"), "rule lists no closing event")
		}
		if e := r.Extension; e != nil {
			ef := ssra.JoinPath(f, "extension")
			if e.MaxTimes < 1 || e.MaxTimes > 10 {
				ps.Add("rule.extension_times_range", ssra.JoinPath(ef, "max_times"), "max_times %d outside 1..10", e.MaxTimes)
			}
			if e.MaxDays < 1 || e.MaxDays > 3660 {
				ps.Add("rule.extension_days_range", ssra.JoinPath(ef, "max_days"), "max_days %d outside 1..3660", e.MaxDays)
			}
			if e.Basis.ZH == "" || e.Basis.EN == "" {
				ps.Add("rule.basis_missing", ssra.JoinPath(ef, "basis"), "legal basis needs zh-CN and en text")
			}
		}
	}
	return ps
}

// DecodeProfile decodes a profile strictly (unknown fields and trailing data
// are refused) and validates it.
func DecodeProfile(b []byte) (*Profile, error) {
	var p Profile
	if err := strictjson.Decode(b, &p, "stability.DecodeProfile"); err != nil {
		return nil, err
	}
	if err := p.Validate().Err("stability.DecodeProfile"); err != nil {
		return nil, err
	}
	return &p, nil
}

// Rule returns the rule with the given id.
func (p *Profile) Rule(id string) (Rule, bool) {
	for _, r := range p.Rules {
		if r.ID == id {
			return r, true
		}
	}
	return Rule{}, false
}

// RulesFor returns the rules that the event opens, in profile order.
func (p *Profile) RulesFor(ev EventKind) []Rule {
	var out []Rule
	for _, r := range p.Rules {
		if r.Event == ev {
			out = append(out, r)
		}
	}
	return out
}

// Pause is a stop-the-clock period (中止计算): the days From to To, both
// included, are not counted by pausable rules. A hearing (听证) during
// re-review or an appraisal (鉴定) during mediation are pauses.
type Pause struct {
	From   ssra.Date `json:"from"`
	To     ssra.Date `json:"to"`
	Reason string    `json:"reason"`
}

// Extension is an approved extension of a limit: the days added (in the
// rule's unit), the reason told to the complainant, and the approval date.
type Extension struct {
	Days     int       `json:"days"`
	Reason   string    `json:"reason"`
	Approved ssra.Date `json:"approved"`
}

// Adjustments are what changes a deadline after it opened: stop-the-clock
// periods and approved extensions.
type Adjustments struct {
	Pauses     []Pause     `json:"pauses,omitempty"`
	Extensions []Extension `json:"extensions,omitempty"`
}

// Deadline is a computed time limit: which rule of which profile, from which
// date, counted how, and the due date, with the steps that produced it.
type Deadline struct {
	Profile        string     `json:"profile"`
	ProfileVersion string     `json:"profile_version"`
	Rule           string     `json:"rule"`
	Label          ssra.Label `json:"label"`
	Basis          ssra.Label `json:"basis"`
	Tag            ssra.Tag   `json:"tag"`
	Obligation     Obligation `json:"obligation"`
	Event          EventKind  `json:"event"`
	// Start is the date of the opening event; it is not counted.
	Start ssra.Date `json:"start"`
	Days  int       `json:"days"`
	Unit  DayUnit   `json:"unit"`
	// ExtensionDays is the sum of approved extensions, in Unit.
	ExtensionDays int `json:"extension_days"`
	// PausedDays is the number of days not counted because of pauses.
	PausedDays int `json:"paused_days"`
	// Counted is the last day reached by counting, before any move off a rest day.
	Counted ssra.Date `json:"counted"`
	// Due is the last day on which the act is in time.
	Due ssra.Date `json:"due"`
	// RolledOver says that Counted was a rest day and Due is the next working day.
	RolledOver bool     `json:"rolled_over"`
	Calendar   string   `json:"calendar"`
	Steps      []string `json:"steps"`
	// Warnings says what the count had to assume: calendar.not_covered when
	// it reached days outside the calendar's coverage, which were then
	// counted with weekends as the only rest days.
	Warnings ssra.Problems `json:"warnings,omitempty"`
}

// Deadlines returns every deadline that the event, happening on date, opens
// under the profile, counted on the calendar. Use it from Go, with a profile
// you hold (a Preset or one you built); ComputeDeadlines is the same
// computation for a JSON request that names a preset, and is what POST
// /v1/stability/deadlines runs. For one rule with pauses or extensions, use
// Profile.Compute. It fails with
// KindInvalid when the profile is nil, the date is unset, or the profile has
// no rule for the event.
func Deadlines(p *Profile, ev EventKind, date ssra.Date, cal ssra.Calendar) ([]Deadline, error) {
	const op = "stability.Deadlines"
	var ps ssra.Problems
	if p == nil {
		ps.Add("deadline.profile_missing", "profile", "profile is missing")
	}
	if date.IsZero() {
		ps.Add("deadline.date_missing", "date", "date is missing")
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	rules := p.RulesFor(ev)
	if len(rules) == 0 {
		ps.Add("deadline.event_not_in_profile", "event", "profile %s has no rule opened by %s", p.Name, ev)
		return nil, ps.Err(op)
	}
	out := make([]Deadline, 0, len(rules))
	for _, r := range rules {
		d, err := p.compute(r, "date", date, cal, Adjustments{})
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// DeadlineRequest is the input of the stateless deadline computation:
// a preset profile name, an event, its date and the calendar (the zero
// calendar counts weekends only; ssra.StateCouncilCalendar is the official
// one).
type DeadlineRequest struct {
	Profile  string        `json:"profile"`
	Event    EventKind     `json:"event"`
	Date     ssra.Date     `json:"date"`
	Calendar ssra.Calendar `json:"calendar"`
}

// ComputeDeadlines resolves the request's preset profile by name and
// returns Deadlines for it: the form for a decoded JSON request (the REST
// route POST /v1/stability/deadlines). A Go program holding a *Profile
// calls Deadlines directly. It fails with KindNotFound for an unknown
// preset, and as Deadlines does.
func ComputeDeadlines(req DeadlineRequest) ([]Deadline, error) {
	p, err := Preset(req.Profile)
	if err != nil {
		return nil, err
	}
	return Deadlines(p, req.Event, req.Date, req.Calendar)
}

// Compute returns the deadline of the rule id opened on start, with the
// adjustments applied. It fails with KindInvalid for an unknown rule, a pause
// on a rule that is not pausable or a malformed pause, and an extension the
// rule does not allow (too many, too long, without a required reason).
func (p *Profile) Compute(id string, start ssra.Date, cal ssra.Calendar, adj Adjustments) (Deadline, error) {
	r, ok := p.Rule(id)
	if !ok {
		var ps ssra.Problems
		ps.Add("deadline.rule_unknown", "rule", "profile %s has no rule %q", p.Name, id)
		return Deadline{}, ps.Err("stability.Profile.Compute")
	}
	return p.compute(r, "start", start, cal, adj)
}

func checkAdjustments(r Rule, adj Adjustments) ssra.Problems {
	var ps ssra.Problems
	for i, pz := range adj.Pauses {
		f := ssra.Index("pauses", i)
		if !r.Pausable {
			ps.Add("deadline.not_pausable", f, "rule %s does not exclude stop-the-clock periods", r.ID)
		}
		if pz.From.IsZero() || pz.To.IsZero() {
			ps.Add("deadline.pause_date_missing", f, "pause needs from and to dates")
		} else if pz.To.Before(pz.From) {
			ps.Add("deadline.pause_reversed", f, "pause ends %s before it starts %s", pz.To, pz.From)
		}
	}
	if len(adj.Extensions) > 0 {
		e := r.Extension
		if e == nil {
			ps.Add("deadline.not_extendable", "extensions", "rule %s cannot be extended", r.ID)
			return ps
		}
		if len(adj.Extensions) > e.MaxTimes {
			ps.Add("deadline.extension_count", "extensions", "rule %s allows %d extension(s), got %d", r.ID, e.MaxTimes, len(adj.Extensions))
		}
		for i, x := range adj.Extensions {
			f := ssra.Index("extensions", i)
			if x.Days < 1 || x.Days > e.MaxDays {
				ps.Add("deadline.extension_days", ssra.JoinPath(f, "days"), "extension of %d outside 1..%d %s", x.Days, e.MaxDays, r.Unit)
			}
			if e.ReasonRequired && x.Reason == "" {
				ps.Add("deadline.extension_reason_missing", ssra.JoinPath(f, "reason"), "an extension of %s needs a reason", r.ID)
			}
		}
	}
	return ps
}

// compute counts the deadline of r opened on start; startField names start
// in a refusal. A start or a due date outside ssra.MinDate..ssra.MaxDate is
// refused (deadline.out_of_range): the count is exact over the whole range,
// and a due date after 9999-12-31 has no form to be written in.
func (p *Profile) compute(r Rule, startField string, start ssra.Date, cal ssra.Calendar, adj Adjustments) (Deadline, error) {
	ps := checkAdjustments(r, adj)
	if !start.IsZero() && !start.InRange() {
		ps.Add("deadline.out_of_range", startField, "%s outside %s..%s", start, ssra.MinDate, ssra.MaxDate)
	}
	if err := ps.Err("stability.Profile.Compute"); err != nil {
		return Deadline{}, err
	}
	d := Deadline{
		Profile: p.Name, ProfileVersion: p.Version, Rule: r.ID, Label: r.Label, Basis: r.Basis,
		Tag: r.Tag, Obligation: r.Obligation, Event: r.Event, Start: start, Days: r.Days, Unit: r.Unit,
		Calendar: cal.Name(),
	}
	for _, x := range adj.Extensions {
		d.ExtensionDays += x.Days
	}
	total := r.Days + d.ExtensionDays
	d.Steps = append(d.Steps, fmt.Sprintf("rule %s of profile %s %s: %d %s from %s %s (%s, %s)",
		r.ID, p.Name, p.Version, r.Days, r.Unit, r.Event, start, r.Basis.ZH, r.Tag))
	if d.ExtensionDays > 0 {
		d.Steps = append(d.Steps, fmt.Sprintf("extended by %d %s (%d extension(s)), %d %s in all", d.ExtensionDays, r.Unit, len(adj.Extensions), total, r.Unit))
	}
	d.Steps = append(d.Steps, "the start day "+start.String()+" is not counted")
	pauses := mergePauses(adj.Pauses)
	switch r.Unit {
	case WorkingDays:
		d.Counted, d.PausedDays = countWorkdays(cal, start, total, pauses)
		d.Steps = append(d.Steps, fmt.Sprintf("counting %d working days of calendar %q gives %s", total, cal.Name(), d.Counted))
	default:
		n := total
		if r.Unit == Months {
			n = start.AddMonths(total).DaysSince(start)
			d.Steps = append(d.Steps, fmt.Sprintf("%d month(s) from %s end on %s, that is %d calendar days", total, start, start.AddDays(n), n))
		}
		d.Counted, d.PausedDays = countDays(start, n, pauses)
		d.Steps = append(d.Steps, fmt.Sprintf("counting %d calendar days gives %s", n, d.Counted))
	}
	if d.PausedDays > 0 {
		d.Steps = append(d.Steps, fmt.Sprintf("%d day(s) in stop-the-clock periods were not counted", d.PausedDays))
	}
	d.Due = d.Counted
	if cal.IsRestDay(d.Counted) {
		d.Due = cal.NextWorkday(d.Counted)
		d.RolledOver = true
		d.Steps = append(d.Steps, fmt.Sprintf("%s is a rest day; the deadline moves to the next working day %s", d.Counted, d.Due))
	}
	if !d.Due.InRange() {
		ps.Add("deadline.out_of_range", startField, "rule %s: %d %s from %s end after %s, the last date that can be counted", r.ID, total, r.Unit, start, ssra.MaxDate)
		return Deadline{}, ps.Err("stability.Profile.Compute")
	}
	// The calendar decided every day of a working-day count, and otherwise
	// only whether the counted day and those after it are rest days.
	consulted := d.Counted
	if r.Unit == WorkingDays {
		consulted = start.AddDays(1)
	}
	if first, last, ok := cal.Uncovered(consulted, d.Due); ok {
		from, to := cal.Coverage()
		msg := fmt.Sprintf("calendar %q covers %s to %s only; %s to %s were counted with weekends as the only rest days, so check them against the holiday arrangement of that year",
			cal.Name(), from, to, first, last)
		d.Warnings.Warn("calendar.not_covered", "calendar", "%s", msg)
		d.Steps = append(d.Steps, "warning: "+msg)
	}
	d.Steps = append(d.Steps, "due "+d.Due.String())
	return d, nil
}

// mergePauses returns the pauses sorted by start with overlaps merged, so
// that a day covered twice is excluded once.
func mergePauses(in []Pause) []Pause {
	if len(in) == 0 {
		return nil
	}
	ps := slices.Clone(in)
	slices.SortFunc(ps, func(a, b Pause) int { return a.From.Compare(b.From) })
	out := ps[:1]
	for _, p := range ps[1:] {
		last := &out[len(out)-1]
		if !p.From.After(last.To.AddDays(1)) {
			if p.To.After(last.To) {
				last.To = p.To
			}
			continue
		}
		out = append(out, p)
	}
	return out
}

func paused(pauses []Pause, d ssra.Date) bool {
	for _, p := range pauses {
		if !d.Before(p.From) && !d.After(p.To) {
			return true
		}
	}
	return false
}

// countDays returns the n-th counted calendar day after start, skipping
// paused days, and the number of days skipped.
func countDays(start ssra.Date, n int, pauses []Pause) (ssra.Date, int) {
	if len(pauses) == 0 {
		return start.AddDays(n), 0
	}
	d, skipped := start, 0
	for n > 0 {
		d = d.AddDays(1)
		if paused(pauses, d) {
			skipped++
			continue
		}
		n--
	}
	return d, skipped
}

// countWorkdays returns the n-th counted working day after start, skipping
// paused days, and the number of working days skipped.
func countWorkdays(cal ssra.Calendar, start ssra.Date, n int, pauses []Pause) (ssra.Date, int) {
	if len(pauses) == 0 {
		return cal.AddWorkdays(start, n), 0
	}
	d, skipped := start, 0
	for n > 0 {
		d = d.AddDays(1)
		if !cal.IsWorkday(d) {
			continue
		}
		if paused(pauses, d) {
			skipped++
			continue
		}
		n--
	}
	return d, skipped
}
