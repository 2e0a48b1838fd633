package stability

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/ssra-go/ssra"
)

// EntryState is where a register entry stands (台账状态).
type EntryState uint8

// The entry states: open → handling → resolved → closed (销号), with
// resolved → handling when the verifying official does not accept the
// resolution.
const (
	// EntryOpen is entered in the register, not yet taken up.
	EntryOpen EntryState = iota + 1
	// EntryHandling is being worked on by its owner unit (化解中).
	EntryHandling
	// EntryResolved is reported resolved by the owner unit, awaiting verification.
	EntryResolved
	// EntryClosed is verified and struck from the register (销号).
	EntryClosed
)

var entryStates = ssra.NewEnum[EntryState]("entry state",
	ssra.M("open", "已登记", "open"),
	ssra.M("handling", "化解中", "handling"),
	ssra.M("resolved", "已化解待核验", "resolved"),
	ssra.M("closed", "已销号", "closed"),
)

// String returns the entry state's snake_case name.
func (s EntryState) String() string { return entryStates.String(s) }

// Valid reports whether s is an entry state.
func (s EntryState) Valid() bool { return entryStates.Valid(s) }

// Label returns the entry state's name for people in lang.
func (s EntryState) Label(lang ssra.Lang) string { return entryStates.Label(s, lang) }

// MarshalText encodes the entry state as its name and refuses an unset one.
func (s EntryState) MarshalText() ([]byte, error) { return entryStates.MarshalText(s) }

// UnmarshalText decodes an entry state name and rejects unknown text.
func (s *EntryState) UnmarshalText(b []byte) error { return entryStates.UnmarshalText(s, b) }

// CaseLink names a complaint or dispute case by its kind and reference
// number. The case keeps its people under its own confidentiality rules;
// the link carries none of them.
type CaseLink struct {
	Kind CaseKind `json:"kind"`
	Ref  string   `json:"ref"`
}

func (l CaseLink) check(field string) ssra.Problems {
	var ps ssra.Problems
	if l.Kind != CaseComplaint && l.Kind != CaseDispute {
		ps.Add("case_link.kind_invalid", ssra.JoinPath(field, "kind"), "must be complaint or dispute")
	}
	if strings.TrimSpace(l.Ref) == "" {
		ps.Add("case_link.ref_missing", ssra.JoinPath(field, "ref"), "the case's reference number is missing")
	}
	return ps
}

// EntryIntake is what is entered in the register for an issue a round found
// (排查发现问题): the round, the owner unit (an organisation identifier),
// where, a summary of the matter, and the deadline, given either as a date
// (Due) or as working days from entry (Days) on the calendar. The summary
// describes a matter, not people: it must not carry identity or phone
// numbers.
type EntryIntake struct {
	Round     string    `json:"round"`
	Owner     string    `json:"owner"`
	Area      string    `json:"area,omitempty"`
	Community string    `json:"community,omitempty"`
	Summary   string    `json:"summary"`
	Due       ssra.Date `json:"due,omitzero"`
	Days      int       `json:"days,omitempty"`
}

// Validate returns every problem of the intake.
func (in EntryIntake) Validate() ssra.Problems {
	var ps ssra.Problems
	if in.Owner == "" {
		ps.Add("register.owner_missing", "owner", "the owner unit is missing")
	}
	if strings.TrimSpace(in.Summary) == "" {
		ps.Add("register.summary_missing", "summary", "summarise the issue")
	} else if carriesNumber(in.Summary) {
		ps.Add("register.personal_data", "summary", "the summary holds a long number (an identity or phone number?); the register describes matters, not people")
	}
	switch {
	case in.Due.IsZero() == (in.Days == 0):
		ps.Add("register.deadline_ambiguous", "due", "give the deadline either as a date (due) or as working days (days)")
	case in.Days < 0 || in.Days > 366:
		ps.Add("register.days_range", "days", "days %d outside 1..366", in.Days)
	case !in.Due.IsZero() && !in.Due.InRange():
		ps.Add("register.due_out_of_range", "due", "%s outside %s..%s", in.Due, ssra.MinDate, ssra.MaxDate)
	}
	return ps
}

// carriesNumber reports whether s holds a run of 11 or more digits (the
// length of a mobile number; an identity number has 18).
func carriesNumber(s string) bool {
	run := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			run++
			if run >= 11 {
				return true
			}
			continue
		}
		run = 0
	}
	return false
}

// Resolution is the owner unit's account of how an issue was resolved.
type Resolution struct {
	Text string    `json:"text"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
}

// Verification is the verifying official's acceptance (核查销号): who, when
// and their note.
type Verification struct {
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// EntryEvent is one step of an entry's history.
type EntryEvent struct {
	At    time.Time  `json:"at"`
	By    string     `json:"by"`
	Act   string     `json:"act"`
	State EntryState `json:"state"`
	Note  string     `json:"note,omitempty"`
}

// Entry is an issue in the screening register (矛盾纠纷排查台账): the round
// that found it, the organ keeping the register, the owner unit, where,
// the summary, the deadline with how it was counted, the state, and, once
// resolved, the resolution and the verification. An issue that became a
// complaint or dispute links to the case. It names no member of the public.
type Entry struct {
	ID        string    `json:"id"`
	Round     string    `json:"round,omitempty"`
	Organ     string    `json:"organ"`
	Owner     string    `json:"owner"`
	Area      string    `json:"area,omitempty"`
	Community string    `json:"community,omitempty"`
	Summary   string    `json:"summary"`
	Entered   ssra.Date `json:"entered"`
	Due       ssra.Date `json:"due"`
	// DueSteps say how Due was counted.
	DueSteps     []string      `json:"due_steps"`
	State        EntryState    `json:"state"`
	Resolution   *Resolution   `json:"resolution,omitempty"`
	Verification *Verification `json:"verification,omitempty"`
	Case         *CaseLink     `json:"case,omitempty"`
	Events       []EntryEvent  `json:"events"`
}

// NewEntry enters an issue in organ's register at now by the official by.
// A deadline in working days is counted on the calendar (the entry day not
// counted); a deadline date on a rest day moves to the next working day. It
// fails with KindInvalid listing every problem.
func NewEntry(id, organ string, in EntryIntake, cal ssra.Calendar, now time.Time, by Participant) (*Entry, error) {
	const op = "stability.NewEntry"
	ps := in.Validate()
	if id == "" {
		ps.Add("register.id_missing", "id", "entry id is missing")
	}
	if organ == "" {
		ps.Add("register.organ_missing", "organ", "the organ keeping the register is missing")
	}
	if now.IsZero() {
		ps.Add("case.time_missing", "now", "time is missing")
	}
	if by.ID == "" {
		ps.Add("case.actor_missing", "by.id", "actor id is missing")
	}
	day := ssra.DateOf(now)
	if !in.Due.IsZero() && !now.IsZero() && in.Due.Before(day) {
		ps.Add("register.due_past", "due", "deadline %s is before the entry day %s", in.Due, day)
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	e := &Entry{ID: id, Round: in.Round, Organ: organ, Owner: in.Owner, Area: in.Area, Community: in.Community,
		Summary: in.Summary, Entered: day, State: EntryOpen}
	if in.Days > 0 {
		e.Due = cal.AddWorkdays(day, in.Days)
		e.DueSteps = append(e.DueSteps, fmt.Sprintf("%d working day(s) of calendar %q from %s (not counted) end on %s", in.Days, cal.Name(), day, e.Due))
	} else {
		e.Due = in.Due
		e.DueSteps = append(e.DueSteps, "deadline set to "+in.Due.String())
		if cal.IsRestDay(e.Due) {
			e.Due = cal.NextWorkday(e.Due)
			e.DueSteps = append(e.DueSteps, fmt.Sprintf("%s is a rest day on calendar %q; the deadline moves to the next working day %s", in.Due, cal.Name(), e.Due))
		}
	}
	if !e.Due.InRange() {
		return nil, invalid(op, "register.due_out_of_range", "days", "the deadline falls after %s", ssra.MaxDate)
	}
	e.event(now, by.ID, "entered", "")
	return e, nil
}

func (e *Entry) event(now time.Time, by, act, note string) {
	e.Events = append(e.Events, EntryEvent{At: now, By: by, Act: act, State: e.State, Note: note})
}

// begin checks what every transition needs: a time not before the last
// event, a named actor and an allowed state.
func (e *Entry) begin(op string, now time.Time, by Participant, allowed ...EntryState) error {
	var ps ssra.Problems
	if now.IsZero() {
		ps.Add("case.time_missing", "now", "time is missing")
	}
	if by.ID == "" {
		ps.Add("case.actor_missing", "by.id", "actor id is missing")
	}
	if err := ps.Err(op); err != nil {
		return err
	}
	if n := len(e.Events); n > 0 && now.Before(e.Events[n-1].At) {
		return invalid(op, "case.time_reversed", "now", "%s is before the last event at %s", now.Format(time.RFC3339), e.Events[n-1].At.Format(time.RFC3339))
	}
	for _, s := range allowed {
		if e.State == s {
			return nil
		}
	}
	return conflict(op, "register.transition_not_allowed", "state", "entry %s is %s; allowed from %v", e.ID, e.State, allowed)
}

// Start records that the owner unit took the issue up (开始化解).
func (e *Entry) Start(now time.Time, by Participant) error {
	if err := e.begin("stability.Entry.Start", now, by, EntryOpen); err != nil {
		return err
	}
	e.State = EntryHandling
	e.event(now, by.ID, "started", "")
	return nil
}

// Resolve records the owner unit's resolution; the entry then awaits
// verification by another official.
func (e *Entry) Resolve(now time.Time, by Participant, text string) error {
	const op = "stability.Entry.Resolve"
	if err := e.begin(op, now, by, EntryOpen, EntryHandling); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return invalid(op, "register.resolution_missing", "resolution", "say how the issue was resolved")
	}
	if carriesNumber(text) {
		return invalid(op, "register.personal_data", "resolution", "the resolution holds a long number (an identity or phone number?); the register describes matters, not people")
	}
	e.State = EntryResolved
	e.Resolution = &Resolution{Text: text, By: by.ID, At: now}
	e.event(now, by.ID, "resolved", "")
	return nil
}

// Close strikes a resolved entry from the register (销号) on the
// verification of an official who is not the one who reported the
// resolution. It fails with KindConflict before a resolution and with
// KindForbidden when the verifier reported the resolution.
func (e *Entry) Close(now time.Time, by Participant, note string) error {
	const op = "stability.Entry.Close"
	if err := e.begin(op, now, by, EntryResolved); err != nil {
		return err
	}
	if e.Resolution == nil {
		return conflict(op, "register.resolution_missing", "resolution", "entry %s has no resolution", e.ID)
	}
	if err := e.notResolver(op, by); err != nil {
		return err
	}
	e.State = EntryClosed
	e.Verification = &Verification{By: by.ID, At: now, Note: note}
	e.event(now, by.ID, "closed", note)
	return nil
}

// notResolver refuses, with KindForbidden, the official who reported the
// resolution as its verifier (compared by identifier).
func (e *Entry) notResolver(op string, by Participant) error {
	if e.Resolution == nil || by.ID != e.Resolution.By {
		return nil
	}
	return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "the official who resolved an issue does not verify it",
		Problems: ssra.Problems{{Code: "register.verifier_is_resolver", Field: "by.id", Message: by.ID + " reported the resolution; another official verifies it"}}}
}

// Reject returns a resolved entry to handling when the verifying official
// does not accept the resolution, with the reason; the resolver may not
// reject their own.
func (e *Entry) Reject(now time.Time, by Participant, reason string) error {
	const op = "stability.Entry.Reject"
	if err := e.begin(op, now, by, EntryResolved); err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return invalid(op, "register.reason_missing", "reason", "say why the resolution is not accepted")
	}
	if err := e.notResolver(op, by); err != nil {
		return err
	}
	e.State = EntryHandling
	e.Resolution = nil
	e.event(now, by.ID, "rejected", reason)
	return nil
}

// LinkCase records that the issue became a complaint or a dispute case,
// once; the entry stays in the register until verified and closed.
func (e *Entry) LinkCase(now time.Time, by Participant, l CaseLink) error {
	const op = "stability.Entry.LinkCase"
	if err := e.begin(op, now, by, EntryOpen, EntryHandling, EntryResolved); err != nil {
		return err
	}
	if err := l.check("case").Err(op); err != nil {
		return err
	}
	if e.Case != nil {
		return conflict(op, "register.case_linked", "case", "entry %s is already linked to %s %s", e.ID, e.Case.Kind, e.Case.Ref)
	}
	e.Case = &l
	e.event(now, by.ID, "case_linked", l.Kind.String()+" "+l.Ref)
	return nil
}

// Closed returns the day the entry was struck off, or the zero date.
func (e *Entry) Closed() ssra.Date {
	if e.State != EntryClosed || e.Verification == nil {
		return ssra.Date{}
	}
	return ssra.DateOf(e.Verification.At)
}

// Overdue reports whether the entry is still in the register after its
// deadline at today (逾期未销号).
func (e *Entry) Overdue(today ssra.Date) bool {
	return e.State != EntryClosed && e.Due.Before(today)
}

// ClosedInTime reports whether the entry was struck off by its deadline.
func (e *Entry) ClosedInTime() bool {
	c := e.Closed()
	return !c.IsZero() && !c.After(e.Due)
}

// OverdueEntries returns the entries overdue at today, earliest deadline first.
func OverdueEntries(entries []*Entry, today ssra.Date) []*Entry {
	var out []*Entry
	for _, e := range entries {
		if e != nil && e.Overdue(today) {
			out = append(out, e)
		}
	}
	sortEntries(out)
	return out
}

func sortEntries(es []*Entry) {
	slices.SortFunc(es, func(a, b *Entry) int {
		if c := a.Due.Compare(b.Due); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
}

// RegisterTally is what the register indicators need, summed over rounds
// and entries at a measuring date: round slots held on time, late or
// missed; entries, those closed, closed by their deadline, and those still
// open past it. It counts units' work, never people.
type RegisterTally struct {
	RoundsOnTime int64 `json:"rounds_on_time"`
	RoundsLate   int64 `json:"rounds_late"`
	RoundsMissed int64 `json:"rounds_missed"`
	Entries      int64 `json:"entries"`
	Closed       int64 `json:"closed"`
	ClosedInTime int64 `json:"closed_in_time"`
	OpenOverdue  int64 `json:"open_overdue"`
}

// AddRounds counts slot states (pending slots do not count).
func (t *RegisterTally) AddRounds(ss []SlotStatus) {
	for _, s := range ss {
		switch s.State {
		case SlotOnTime:
			t.RoundsOnTime++
		case SlotLate:
			t.RoundsLate++
		case SlotMissed:
			t.RoundsMissed++
		}
	}
}

// AddEntry counts one entry at the measuring date today.
func (t *RegisterTally) AddEntry(e *Entry, today ssra.Date) {
	if e == nil {
		return
	}
	t.Entries++
	switch {
	case e.State == EntryClosed:
		t.Closed++
		if e.ClosedInTime() {
			t.ClosedInTime++
		}
	case e.Overdue(today):
		t.OpenOverdue++
	}
}

// RegisterFigures returns the figures of the register indicators
// (register.*) from the tally, in the order of Indicators.
func RegisterFigures(t RegisterTally) []Figure {
	return scopeFigures("register.", Tally{Register: t})
}
