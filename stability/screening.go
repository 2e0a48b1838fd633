package stability

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ssra-go/ssra"
)

// Cycle is how often a unit holds a screening round (排查周期).
type Cycle uint8

// The cycles.
const (
	// CycleWeekly is a round every week, Monday to Sunday (每周排查).
	CycleWeekly Cycle = iota + 1
	// CycleMonthly is a round every calendar month (每月排查).
	CycleMonthly
	// CycleQuarterly is a round every calendar quarter (每季度排查).
	CycleQuarterly
)

var cycles = ssra.NewEnum[Cycle]("cycle",
	ssra.M("weekly", "每周排查", "weekly"),
	ssra.M("monthly", "每月排查", "monthly"),
	ssra.M("quarterly", "每季度排查", "quarterly"),
)

// String returns the cycle's snake_case name.
func (c Cycle) String() string { return cycles.String(c) }

// Valid reports whether c is a cycle.
func (c Cycle) Valid() bool { return cycles.Valid(c) }

// Label returns the cycle's name for people in lang.
func (c Cycle) Label(lang ssra.Lang) string { return cycles.Label(c, lang) }

// MarshalText encodes the cycle as its name and refuses an unset one.
func (c Cycle) MarshalText() ([]byte, error) { return cycles.MarshalText(c) }

// UnmarshalText decodes a cycle name and rejects unknown text.
func (c *Cycle) UnmarshalText(b []byte) error { return cycles.UnmarshalText(c, b) }

// UnitCycle is one unit's screening duty under a plan: the unit (an
// organisation identifier), its cycle, whether it also screens before each
// sensitive period, and what its rounds cover: areas of the risk catalogue
// and the villages or communities the unit is paired with (挂包村居). It
// names places and bodies, never people.
type UnitCycle struct {
	Unit            string   `json:"unit"`
	Cycle           Cycle    `json:"cycle"`
	BeforeSensitive bool     `json:"before_sensitive,omitempty"`
	Areas           []string `json:"areas,omitempty"`
	Communities     []string `json:"communities,omitempty"`
}

// SensitivePeriod is a period before which the units that screen before
// sensitive periods hold an extra round (敏感节点前排查): its name, its dates,
// and how many calendar days before it the round's window opens.
type SensitivePeriod struct {
	Name     string    `json:"name"`
	From     ssra.Date `json:"from"`
	To       ssra.Date `json:"to"`
	LeadDays int       `json:"lead_days"`
}

// ScreeningPlan is the plan of dispute screening (矛盾纠纷排查) of an organ
// for a period: which units screen, how often and what, and the sensitive
// periods.
type ScreeningPlan struct {
	ID        string            `json:"id"`
	Organ     string            `json:"organ"`
	From      ssra.Date         `json:"from"`
	To        ssra.Date         `json:"to"`
	Units     []UnitCycle       `json:"units"`
	Sensitive []SensitivePeriod `json:"sensitive,omitempty"`
}

// MaxPlanDays bounds a screening plan's period (about five years), so that
// its rounds can always be listed.
const MaxPlanDays = 1830

// Validate returns every problem of the plan.
func (p ScreeningPlan) Validate() ssra.Problems {
	var ps ssra.Problems
	if p.Organ == "" {
		ps.Add("screening.organ_missing", "organ", "the organ keeping the plan is missing")
	}
	switch {
	case p.From.IsZero():
		ps.Add("screening.period_missing", "from", "the plan needs from and to dates")
	case p.To.IsZero():
		ps.Add("screening.period_missing", "to", "the plan needs from and to dates")
	case p.To.Before(p.From):
		ps.Add("screening.period_reversed", "to", "to %s is before from %s", p.To, p.From)
	case p.To.DaysSince(p.From) > MaxPlanDays:
		ps.Add("screening.period_too_long", "to", "a plan covers at most %d days", MaxPlanDays)
	}
	if len(p.Units) == 0 {
		ps.Add("screening.units_missing", "units", "the plan names no unit")
	}
	seen := map[string]bool{}
	sensitive := false
	for i, u := range p.Units {
		f := ssra.Index("units", i)
		switch {
		case u.Unit == "":
			ps.Add("screening.unit_missing", ssra.JoinPath(f, "unit"), "unit is missing")
		case seen[u.Unit]:
			ps.Add("screening.unit_duplicate", ssra.JoinPath(f, "unit"), "unit %q appears twice", u.Unit)
		}
		seen[u.Unit] = true
		if _, err := u.Cycle.MarshalText(); err != nil {
			ps.Add("screening.cycle_invalid", ssra.JoinPath(f, "cycle"), "%s", ssra.Reason(err))
		}
		if len(u.Areas) == 0 && len(u.Communities) == 0 {
			ps.Add("screening.coverage_missing", f, "say what the unit's rounds cover: areas or paired villages and communities")
		}
		sensitive = sensitive || u.BeforeSensitive
	}
	for i, s := range p.Sensitive {
		f := ssra.Index("sensitive", i)
		if strings.TrimSpace(s.Name) == "" {
			ps.Add("screening.sensitive_name_missing", ssra.JoinPath(f, "name"), "name the sensitive period")
		}
		switch {
		case s.From.IsZero():
			ps.Add("screening.sensitive_period_invalid", ssra.JoinPath(f, "from"), "a sensitive period needs from ≤ to")
		case s.To.IsZero() || s.To.Before(s.From):
			ps.Add("screening.sensitive_period_invalid", ssra.JoinPath(f, "to"), "a sensitive period needs from ≤ to")
		case s.From.Before(p.From) || s.From.After(p.To):
			ps.Add("screening.sensitive_outside_plan", ssra.JoinPath(f, "from"), "%s is outside the plan's period", s.From)
		}
		if s.LeadDays < 1 || s.LeadDays > 60 {
			ps.Add("screening.lead_days_range", ssra.JoinPath(f, "lead_days"), "lead_days %d outside 1..60", s.LeadDays)
		}
	}
	if len(p.Sensitive) > 0 && !sensitive {
		ps.Warn("screening.sensitive_unused", "sensitive", "no unit screens before sensitive periods")
	}
	return ps
}

// RoundSlot is a round a unit owes under a plan: its key (unique within the
// unit), the period the round belongs to and the day by which it is due.
type RoundSlot struct {
	Unit string `json:"unit"`
	// Key names the slot: "2026-W03", "2026-03", "2026-Q1" or
	// "before:<name of the sensitive period>".
	Key  string    `json:"key"`
	From ssra.Date `json:"from"`
	To   ssra.Date `json:"to"`
	// Due is the last working day of the period on the calendar, or the
	// first working day after it when the period has none.
	Due ssra.Date `json:"due"`
}

// roundDue is the practice rule for a round's due date: a round is held
// within its period, so on the period's last working day at the latest;
// a period without a working day (a week of the National Day holiday) gives
// the first working day after it.
func roundDue(cal ssra.Calendar, from, to ssra.Date) ssra.Date {
	for d := to; !d.Before(from); d = d.AddDays(-1) {
		if cal.IsWorkday(d) {
			return d
		}
	}
	return cal.NextWorkday(to)
}

// Slots returns every round the plan's units owe within the plan's period,
// by unit in plan order, then by due date. Periods are clipped to the plan.
// It fails with KindInvalid when the plan is invalid.
func (p ScreeningPlan) Slots(cal ssra.Calendar) ([]RoundSlot, error) {
	if err := p.Validate().Err("stability.ScreeningPlan.Slots"); err != nil {
		return nil, err
	}
	var out []RoundSlot
	for _, u := range p.Units {
		var us []RoundSlot
		for from := p.From; !from.After(p.To); {
			start, end, key := cyclePeriod(u.Cycle, from)
			if start.Before(p.From) {
				start = p.From
			}
			if end.After(p.To) {
				end = p.To
			}
			us = append(us, RoundSlot{Unit: u.Unit, Key: key, From: start, To: end, Due: roundDue(cal, start, end)})
			from = end.AddDays(1)
		}
		if u.BeforeSensitive {
			for _, s := range p.Sensitive {
				end := s.From.AddDays(-1)
				start := s.From.AddDays(-s.LeadDays)
				due := end
				for !cal.IsWorkday(due) && !due.Before(start) {
					due = due.AddDays(-1)
				}
				if due.Before(start) {
					// No working day in the window: due on the last working day before it.
					due = start
					for !cal.IsWorkday(due) {
						due = due.AddDays(-1)
					}
				}
				us = append(us, RoundSlot{Unit: u.Unit, Key: "before:" + s.Name, From: start, To: end, Due: due})
			}
		}
		slices.SortStableFunc(us, func(a, b RoundSlot) int { return a.Due.Compare(b.Due) })
		out = append(out, us...)
	}
	return out, nil
}

// cyclePeriod returns the period of the cycle that contains d and its key.
func cyclePeriod(c Cycle, d ssra.Date) (ssra.Date, ssra.Date, string) {
	y, m, _ := d.Civil()
	switch c {
	case CycleWeekly:
		off := (int(d.Weekday()) + 6) % 7 // days since Monday
		start := d.AddDays(-off)
		iy, iw := start.Time(time.UTC).ISOWeek()
		return start, start.AddDays(6), fmt.Sprintf("%04d-W%02d", iy, iw)
	case CycleQuarterly:
		q := (int(m) - 1) / 3
		start := ssra.MustDate(y, time.Month(3*q+1), 1)
		return start, start.AddMonths(3).AddDays(-1), fmt.Sprintf("%04d-Q%d", y, q+1)
	default:
		start := ssra.MustDate(y, m, 1)
		return start, start.AddMonths(1).AddDays(-1), fmt.Sprintf("%04d-%02d", y, int(m))
	}
}

// Round is one screening round held by a unit (一次排查): the slot it
// fulfils, the day it was held, the official who led it (by identifier),
// what it covered, and the register entries of the issues it found. It
// records places and matters, never members of the public.
type Round struct {
	ID      string    `json:"id"`
	Plan    string    `json:"plan"`
	Unit    string    `json:"unit"`
	Slot    string    `json:"slot"`
	Held    ssra.Date `json:"held"`
	By      string    `json:"by"`
	Covered []string  `json:"covered"`
	// Found is the number of issues found; each is a register entry.
	Found   int      `json:"found"`
	Entries []string `json:"entries,omitempty"`
	Note    string   `json:"note,omitempty"`
}

// Check returns every problem of the round against the plan: the unit and
// slot must be the plan's, the round held by a named official on a day
// within the plan's period and not before its slot opens, covering only
// what the unit's duty covers.
func (r Round) Check(p ScreeningPlan, slots []RoundSlot) ssra.Problems {
	var ps ssra.Problems
	if r.Plan != p.ID {
		ps.Add("round.plan_mismatch", "plan", "the round belongs to plan %q, not %q", r.Plan, p.ID)
	}
	if r.By == "" {
		ps.Add("round.official_missing", "by", "name the official who led the round (user id)")
	}
	i := slices.IndexFunc(p.Units, func(u UnitCycle) bool { return u.Unit == r.Unit })
	if i < 0 {
		ps.Add("round.unit_unknown", "unit", "unit %q has no screening duty in plan %s", r.Unit, p.ID)
		return ps
	}
	u := p.Units[i]
	j := slices.IndexFunc(slots, func(s RoundSlot) bool { return s.Unit == r.Unit && s.Key == r.Slot })
	switch {
	case j < 0:
		ps.Add("round.slot_unknown", "slot", "unit %q owes no round %q", r.Unit, r.Slot)
	case r.Held.IsZero():
		ps.Add("round.held_missing", "held", "the day the round was held is missing")
	case r.Held.Before(slots[j].From):
		ps.Add("round.held_early", "held", "round %s opens on %s; a round held on %s belongs to an earlier one", r.Slot, slots[j].From, r.Held)
	}
	if len(r.Covered) == 0 {
		ps.Add("round.covered_missing", "covered", "say what the round screened")
	}
	for k, c := range r.Covered {
		if !slices.Contains(u.Areas, c) && !slices.Contains(u.Communities, c) {
			ps.Add("round.covered_unknown", ssra.Index("covered", k), "%q is neither an area nor a paired community of unit %s", c, r.Unit)
		}
	}
	if r.Found < 0 || r.Found < len(r.Entries) {
		ps.Add("round.found_invalid", "found", "found %d is fewer than the %d register entries", r.Found, len(r.Entries))
	}
	return ps
}

// SlotState is where a round slot stands at a date.
type SlotState uint8

// The slot states.
const (
	// SlotPending is not yet held and not yet due.
	SlotPending SlotState = iota + 1
	// SlotOnTime was held by its due date.
	SlotOnTime
	// SlotLate was held after its due date.
	SlotLate
	// SlotMissed was not held and its due date has passed (漏排).
	SlotMissed
)

var slotStates = ssra.NewEnum[SlotState]("slot state",
	ssra.M("pending", "待排查", "pending"),
	ssra.M("on_time", "按期排查", "on time"),
	ssra.M("late", "逾期排查", "late"),
	ssra.M("missed", "漏排", "missed"),
)

// String returns the slot state's snake_case name.
func (s SlotState) String() string { return slotStates.String(s) }

// Valid reports whether s is a slot state.
func (s SlotState) Valid() bool { return slotStates.Valid(s) }

// Label returns the slot state's name for people in lang.
func (s SlotState) Label(lang ssra.Lang) string { return slotStates.Label(s, lang) }

// MarshalText encodes the slot state as its name and refuses an unset one.
func (s SlotState) MarshalText() ([]byte, error) { return slotStates.MarshalText(s) }

// UnmarshalText decodes a slot state name and rejects unknown text.
func (s *SlotState) UnmarshalText(b []byte) error { return slotStates.UnmarshalText(s, b) }

// SlotStatus is a slot with its state at a date and the round that
// fulfilled it (the earliest held, when several were).
type SlotStatus struct {
	RoundSlot
	State SlotState `json:"state"`
	Round string    `json:"round,omitempty"`
	Held  ssra.Date `json:"held,omitzero"`
}

// RoundStatuses returns the state of every slot at today: held on time,
// held late, missed (not held, due date passed) or pending. A round counts
// for its slot only when held on or before today.
func RoundStatuses(slots []RoundSlot, rounds []Round, today ssra.Date) []SlotStatus {
	out := make([]SlotStatus, 0, len(slots))
	for _, s := range slots {
		st := SlotStatus{RoundSlot: s}
		for _, r := range rounds {
			if r.Unit != s.Unit || r.Slot != s.Key || r.Held.IsZero() || r.Held.After(today) {
				continue
			}
			if st.Held.IsZero() || r.Held.Before(st.Held) {
				st.Held, st.Round = r.Held, r.ID
			}
		}
		switch {
		case !st.Held.IsZero() && !st.Held.After(s.Due):
			st.State = SlotOnTime
		case !st.Held.IsZero():
			st.State = SlotLate
		case s.Due.Before(today):
			st.State = SlotMissed
		default:
			st.State = SlotPending
		}
		out = append(out, st)
	}
	return out
}

// MissedRounds returns the slots missed at today.
func MissedRounds(slots []RoundSlot, rounds []Round, today ssra.Date) []SlotStatus {
	return slices.DeleteFunc(RoundStatuses(slots, rounds, today), func(s SlotStatus) bool { return s.State != SlotMissed })
}
