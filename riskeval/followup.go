package riskeval

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ssra-go/ssra"
)

// MeasureState is where a measure imposed by an approval stands (措施落实状态).
// Open, done, verified and dropped are recorded; overdue is an open measure
// past its due date, computed at a date by StateAt and never stored.
type MeasureState uint8

// The measure states.
const (
	// MeasureOpen is imposed and not yet carried out (未落实).
	MeasureOpen MeasureState = iota + 1
	// MeasureDone is reported carried out by its owner, awaiting verification (已落实待核验).
	MeasureDone
	// MeasureVerified is verified by someone other than the owner (已核验).
	MeasureVerified
	// MeasureOverdue is open after its due date (逾期未落实).
	MeasureOverdue
	// MeasureDropped is withdrawn, with the reason (撤销).
	MeasureDropped
)

var measureStates = ssra.NewEnum[MeasureState]("measure state",
	ssra.M("open", "未落实", "open"),
	ssra.M("done", "已落实待核验", "done, awaiting verification"),
	ssra.M("verified", "已核验", "verified"),
	ssra.M("overdue", "逾期未落实", "overdue"),
	ssra.M("dropped", "已撤销", "dropped"),
)

// String returns the measure state's snake_case name.
func (s MeasureState) String() string { return measureStates.String(s) }

// Valid reports whether s is a measure state.
func (s MeasureState) Valid() bool { return measureStates.Valid(s) }

// Label returns the measure state's name for people in lang.
func (s MeasureState) Label(lang ssra.Lang) string { return measureStates.Label(s, lang) }

// MarshalText encodes the measure state as its name and refuses an unset one.
func (s MeasureState) MarshalText() ([]byte, error) { return measureStates.MarshalText(s) }

// UnmarshalText decodes a measure state name and rejects unknown text.
func (s *MeasureState) UnmarshalText(b []byte) error { return measureStates.UnmarshalText(s, b) }

// Evidence is an item supporting a progress report: a title and, for a
// stored file, its digest.
type Evidence struct {
	Title  string `json:"title"`
	Digest string `json:"digest,omitempty"`
}

// ProgressReport is an owner's report on a measure (落实进展): when, by whom,
// what was done and the evidence.
type ProgressReport struct {
	At       time.Time  `json:"at"`
	By       ssra.Actor `json:"by"`
	Text     string     `json:"text"`
	Evidence []Evidence `json:"evidence,omitempty"`
}

// MeasureAct is a completion, a verification or a withdrawal of a measure:
// when, by whom and the note (the reason, for a withdrawal or a rejection).
type MeasureAct struct {
	At   time.Time  `json:"at"`
	By   ssra.Actor `json:"by"`
	Note string     `json:"note,omitempty"`
}

// TrackedMeasure is a measure imposed by an approval as a tracked
// obligation: the measure (its owner is the identifier of the owning
// organisation), the factor it belongs to, its recorded state, the progress
// reports, and the completion, verification or withdrawal.
type TrackedMeasure struct {
	Measure
	Factor   string           `json:"factor,omitempty"`
	State    MeasureState     `json:"state"`
	Reports  []ProgressReport `json:"reports,omitempty"`
	Done     *MeasureAct      `json:"done,omitempty"`
	Verified *MeasureAct      `json:"verified,omitempty"`
	Dropped  *MeasureAct      `json:"dropped,omitempty"`
}

// StateAt returns the measure's state at today: the recorded state, or
// overdue for an open measure whose due date has passed.
func (m TrackedMeasure) StateAt(today ssra.Date) MeasureState {
	if m.State == MeasureOpen && m.Due.Before(today) {
		return MeasureOverdue
	}
	return m.State
}

// DoneInTime reports whether the owner reported the measure carried out by
// its due date.
func (m TrackedMeasure) DoneInTime() bool {
	return m.Done != nil && !ssra.DateOf(m.Done.At).After(m.Due)
}

// MeasureEvent is one step of the tracking's history.
type MeasureEvent struct {
	At      time.Time    `json:"at"`
	By      ssra.Actor   `json:"by"`
	Measure string       `json:"measure"`
	Act     string       `json:"act"`
	State   MeasureState `json:"state"`
	Note    string       `json:"note,omitempty"`
}

// FollowUp links a follow-up assessment (跟踪评估) opened from the tracked
// one: its id, why, the measures that prompted it, when and by whom.
type FollowUp struct {
	Assessment string     `json:"assessment_id"`
	Reason     string     `json:"reason"`
	Measures   []string   `json:"measures,omitempty"`
	At         time.Time  `json:"at"`
	By         ssra.Actor `json:"by"`
}

// FollowUpLink is carried by a follow-up assessment: the original it
// follows, why, and the measures that prompted it.
type FollowUpLink struct {
	Assessment string   `json:"assessment_id"`
	Reason     string   `json:"reason"`
	Measures   []string `json:"measures,omitempty"`
}

// Tracking is the follow-through of an approval with measures (稳评措施落实):
// the issued assessment and the decision, every imposed measure as a
// tracked obligation, the history, and the follow-up assessments opened
// from it.
type Tracking struct {
	Assessment string           `json:"assessment_id"`
	Decision   string           `json:"decision_id,omitempty"`
	Opened     time.Time        `json:"opened"`
	OpenedBy   ssra.Actor       `json:"opened_by"`
	Measures   []TrackedMeasure `json:"measures"`
	History    []MeasureEvent   `json:"history"`
	FollowUps  []FollowUp       `json:"follow_ups,omitempty"`
}

// Track opens the tracking of the measures an approval imposed, from the
// decision (by its id) at now by the actor. It fails with KindInvalid for
// an approval that imposes no measure, a measure without an id, an owner or
// a due date, or a measure id used twice.
func Track(a Assessment, ap Approval, decision string, now time.Time, by ssra.Actor) (*Tracking, error) {
	const op = "riskeval.Track"
	var ps ssra.Problems
	if now.IsZero() {
		ps.Add("tracking.time_missing", "now", "time is missing")
	}
	if by.UserID == "" {
		ps.Add("tracking.actor_missing", "by.user_id", "the actor is not named")
	}
	if ap.Outcome != OutcomeApproveWithMeasures || len(ap.Imposed) == 0 {
		ps.Add("tracking.no_measures", "outcome", "the approval (%s) imposes no measures to track", ap.Outcome)
	}
	if ap.Assessed != "" && a.ID != ap.Assessed {
		ps.Add("tracking.assessment_mismatch", "assessment_id", "the approval is of assessment %q, not %q", ap.Assessed, a.ID)
	}
	factorOf := map[string]string{}
	for _, f := range a.Factors {
		for _, m := range f.Measures {
			factorOf[m.ID] = f.ID
		}
	}
	t := &Tracking{Assessment: a.ID, Decision: decision, Opened: now, OpenedBy: by, Measures: []TrackedMeasure{}, History: []MeasureEvent{}}
	seen := map[string]bool{}
	for i, m := range ap.Imposed {
		f := ssra.Index("imposed_measures", i)
		switch {
		case m.ID == "":
			ps.Add("tracking.measure_id_missing", ssra.JoinPath(f, "id"), "measure id is missing")
		case seen[m.ID]:
			ps.Add("tracking.measure_id_duplicate", ssra.JoinPath(f, "id"), "measure id %q appears twice", m.ID)
		}
		seen[m.ID] = true
		if m.Owner == "" {
			ps.Add("tracking.owner_missing", ssra.JoinPath(f, "owner"), "measure %q has no owner", m.ID)
		}
		if m.Due.IsZero() {
			ps.Add("tracking.due_missing", ssra.JoinPath(f, "due"), "measure %q has no due date", m.ID)
		}
		t.Measures = append(t.Measures, TrackedMeasure{Measure: m, Factor: factorOf[m.ID], State: MeasureOpen})
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	for _, m := range t.Measures {
		t.History = append(t.History, MeasureEvent{At: now, By: by, Measure: m.ID, Act: "imposed", State: MeasureOpen})
	}
	return t, nil
}

func trackingConflict(op, code, field, format string, args ...any) error {
	return &ssra.Error{Kind: ssra.KindConflict, Op: op, Message: "transition refused",
		Problems: ssra.Problems{{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}}}
}

func trackingForbidden(op, code, field, message string) error {
	return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "not allowed for this actor",
		Problems: ssra.Problems{{Code: code, Field: field, Message: message}}}
}

func trackingInvalid(op, code, field, format string, args ...any) error {
	var ps ssra.Problems
	ps.Add(code, field, format, args...)
	return ps.Err(op)
}

// begin finds the measure and checks what every act needs: a named actor,
// a time not before the last event and an allowed recorded state.
func (t *Tracking) begin(op, id string, now time.Time, by ssra.Actor, allowed ...MeasureState) (*TrackedMeasure, error) {
	var ps ssra.Problems
	if now.IsZero() {
		ps.Add("tracking.time_missing", "now", "time is missing")
	}
	if by.UserID == "" {
		ps.Add("tracking.actor_missing", "by.user_id", "the actor is not named")
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	if n := len(t.History); n > 0 && now.Before(t.History[n-1].At) {
		return nil, trackingInvalid(op, "tracking.time_reversed", "now", "%s is before the last event at %s", now.Format(time.RFC3339), t.History[n-1].At.Format(time.RFC3339))
	}
	i := slices.IndexFunc(t.Measures, func(m TrackedMeasure) bool { return m.ID == id })
	if i < 0 {
		return nil, ssra.Errorf(ssra.KindNotFound, op, "no measure %q is tracked for assessment %s", id, t.Assessment)
	}
	m := &t.Measures[i]
	if !slices.Contains(allowed, m.State) {
		names := make([]string, len(allowed))
		for k, s := range allowed {
			names[k] = s.String()
		}
		return nil, trackingConflict(op, "measure.transition_not_allowed", "state", "measure %s is %s; allowed from %v", id, m.State, names)
	}
	return m, nil
}

func (t *Tracking) event(now time.Time, by ssra.Actor, m *TrackedMeasure, act, note string) {
	t.History = append(t.History, MeasureEvent{At: now, By: by, Measure: m.ID, Act: act, State: m.State, Note: note})
}

func (m *TrackedMeasure) requireOwner(op string, by ssra.Actor) error {
	if by.OrgID != m.Owner {
		return trackingForbidden(op, "measure.not_owner", "by.org_id", "measure "+m.ID+" is owned by "+m.Owner+"; its owner reports on it")
	}
	return nil
}

func checkEvidence(op string, ev []Evidence) error {
	var ps ssra.Problems
	for i, e := range ev {
		if strings.TrimSpace(e.Title) == "" {
			ps.Add("measure.evidence_title_missing", ssra.JoinPath(ssra.Index("evidence", i), "title"), "evidence needs a title")
		}
	}
	return ps.Err(op)
}

// Report records a progress report by the owner on an open (or overdue)
// measure. It fails with KindForbidden for an actor not of the owner,
// KindConflict for a measure no longer open, and KindInvalid without text.
func (t *Tracking) Report(id string, now time.Time, by ssra.Actor, text string, ev []Evidence) error {
	const op = "riskeval.Tracking.Report"
	m, err := t.begin(op, id, now, by, MeasureOpen)
	if err != nil {
		return err
	}
	if err := m.requireOwner(op, by); err != nil {
		return err
	}
	if strings.TrimSpace(text) == "" {
		return trackingInvalid(op, "measure.report_missing", "text", "say what was done")
	}
	if err := checkEvidence(op, ev); err != nil {
		return err
	}
	m.Reports = append(m.Reports, ProgressReport{At: now, By: by, Text: text, Evidence: slices.Clone(ev)})
	t.event(now, by, m, "reported", "")
	return nil
}

// Complete records the owner's report that the measure is carried out,
// with evidence (given now or in an earlier report). It fails with
// KindForbidden for an actor not of the owner, KindConflict for a measure
// not open, and KindInvalid without any evidence.
func (t *Tracking) Complete(id string, now time.Time, by ssra.Actor, note string, ev []Evidence) error {
	const op = "riskeval.Tracking.Complete"
	m, err := t.begin(op, id, now, by, MeasureOpen)
	if err != nil {
		return err
	}
	if err := m.requireOwner(op, by); err != nil {
		return err
	}
	if err := checkEvidence(op, ev); err != nil {
		return err
	}
	has := len(ev) > 0
	for _, r := range m.Reports {
		has = has || len(r.Evidence) > 0
	}
	if !has {
		return trackingInvalid(op, "measure.evidence_missing", "evidence", "a measure is reported carried out with evidence")
	}
	if len(ev) > 0 {
		m.Reports = append(m.Reports, ProgressReport{At: now, By: by, Text: "carried out: " + note, Evidence: slices.Clone(ev)})
	}
	m.State = MeasureDone
	m.Done = &MeasureAct{At: now, By: by, Note: note}
	t.event(now, by, m, "done", note)
	return nil
}

// verifier refuses the owner's organisation and whoever reported the
// measure done (the check is by identifier).
func (m *TrackedMeasure) verifier(op string, by ssra.Actor) error {
	if by.OrgID == m.Owner || (m.Done != nil && by.UserID == m.Done.By.UserID) {
		return trackingForbidden(op, "measure.verifier_is_owner", "by", "measure "+m.ID+" is verified by someone other than its owner "+m.Owner)
	}
	return nil
}

// Verify records the verification of a measure reported done, by someone
// other than its owner (核验). It fails with KindForbidden for the owner's
// organisation or the user who reported it done, KindConflict for a measure
// not done.
func (t *Tracking) Verify(id string, now time.Time, by ssra.Actor, note string) error {
	const op = "riskeval.Tracking.Verify"
	m, err := t.begin(op, id, now, by, MeasureDone)
	if err != nil {
		return err
	}
	if err := m.verifier(op, by); err != nil {
		return err
	}
	m.State = MeasureVerified
	m.Verified = &MeasureAct{At: now, By: by, Note: note}
	t.event(now, by, m, "verified", note)
	return nil
}

// Reject sends a measure reported done back to open when the verifier does
// not accept it, with the reason. The same people as for Verify are refused.
func (t *Tracking) Reject(id string, now time.Time, by ssra.Actor, reason string) error {
	const op = "riskeval.Tracking.Reject"
	m, err := t.begin(op, id, now, by, MeasureDone)
	if err != nil {
		return err
	}
	if err := m.verifier(op, by); err != nil {
		return err
	}
	if strings.TrimSpace(reason) == "" {
		return trackingInvalid(op, "measure.reason_missing", "reason", "say why the measure is not accepted")
	}
	m.State = MeasureOpen
	m.Done = nil
	t.event(now, by, m, "rejected", reason)
	return nil
}

// Drop withdraws an open or done measure, with the reason (for example the
// project changed so that it no longer applies). The owner does not drop
// its own measure (KindForbidden); a reason is required (KindInvalid).
func (t *Tracking) Drop(id string, now time.Time, by ssra.Actor, reason string) error {
	const op = "riskeval.Tracking.Drop"
	m, err := t.begin(op, id, now, by, MeasureOpen, MeasureDone)
	if err != nil {
		return err
	}
	if by.OrgID == m.Owner {
		return trackingForbidden(op, "measure.owner_drops", "by.org_id", "the owner of measure "+m.ID+" does not withdraw it")
	}
	if strings.TrimSpace(reason) == "" {
		return trackingInvalid(op, "measure.reason_missing", "reason", "a measure is dropped with its reason")
	}
	m.State = MeasureDropped
	m.Dropped = &MeasureAct{At: now, By: by, Note: reason}
	t.event(now, by, m, "dropped", reason)
	return nil
}

// Overdue returns the measures overdue at today, earliest due first.
func (t *Tracking) Overdue(today ssra.Date) []TrackedMeasure {
	var out []TrackedMeasure
	for _, m := range t.Measures {
		if m.StateAt(today) == MeasureOverdue {
			out = append(out, m)
		}
	}
	slices.SortStableFunc(out, func(a, b TrackedMeasure) int { return a.Due.Compare(b.Due) })
	return out
}

// MeasureSummary counts a tracking's measures by state at a date, and those
// reported done by their due date.
type MeasureSummary struct {
	At         ssra.Date `json:"at"`
	Total      int       `json:"total"`
	Open       int       `json:"open"`
	Done       int       `json:"done"`
	Verified   int       `json:"verified"`
	Overdue    int       `json:"overdue"`
	Dropped    int       `json:"dropped"`
	DoneInTime int       `json:"done_in_time"`
}

// Summary counts the measures by their state at today.
func (t *Tracking) Summary(today ssra.Date) MeasureSummary {
	s := MeasureSummary{At: today, Total: len(t.Measures)}
	for _, m := range t.Measures {
		switch m.StateAt(today) {
		case MeasureOpen:
			s.Open++
		case MeasureDone:
			s.Done++
		case MeasureVerified:
			s.Verified++
		case MeasureOverdue:
			s.Overdue++
		case MeasureDropped:
			s.Dropped++
		}
		if m.DoneInTime() {
			s.DoneInTime++
		}
	}
	return s
}

// OpenFollowUp opens a follow-up assessment (跟踪评估) of the tracked one,
// when a measure fails or the situation changes: a draft with the
// original's subject, regime, criteria and factors, linked to the original
// and written by the actor. orig must be the tracked assessment and issued;
// a reason is required; measures, when given, must be tracked. It fails
// with KindInvalid or KindConflict (original not issued).
func (t *Tracking) OpenFollowUp(orig Assessment, id, reason string, measures []string, now time.Time, by ssra.Actor) (Assessment, error) {
	const op = "riskeval.Tracking.OpenFollowUp"
	var ps ssra.Problems
	if orig.ID != t.Assessment {
		ps.Add("follow_up.assessment_mismatch", "assessment_id", "the tracking is of assessment %q, not %q", t.Assessment, orig.ID)
	}
	if id == "" || id == orig.ID {
		ps.Add("follow_up.id_invalid", "id", "a follow-up assessment has its own id")
	}
	if strings.TrimSpace(reason) == "" {
		ps.Add("follow_up.reason_missing", "reason", "say why the situation is assessed again")
	}
	if now.IsZero() {
		ps.Add("tracking.time_missing", "now", "time is missing")
	}
	if by.UserID == "" {
		ps.Add("tracking.actor_missing", "by.user_id", "the actor is not named")
	}
	for i, m := range measures {
		if !slices.ContainsFunc(t.Measures, func(x TrackedMeasure) bool { return x.ID == m }) {
			ps.Add("follow_up.measure_unknown", ssra.Index("measures", i), "no measure %q is tracked", m)
		}
	}
	if err := ps.Err(op); err != nil {
		return Assessment{}, err
	}
	if orig.Status != StatusIssued {
		return Assessment{}, trackingConflict(op, "follow_up.not_issued", "status", "a follow-up is opened from an issued assessment; %s is %s", orig.ID, orig.Status)
	}
	fu := Assessment{
		ID: id, Subject: orig.Subject, Regime: orig.Regime, Status: StatusDraft,
		Criteria: slices.Clone(orig.Criteria), Factors: cloneFactors(orig.Factors),
		Consultations: slices.Clone(orig.Consultations), EmergencyPlan: orig.EmergencyPlan,
		FollowUpOf: &FollowUpLink{Assessment: orig.ID, Reason: reason, Measures: slices.Clone(measures)},
	}
	if err := fu.Write(now, by); err != nil {
		return Assessment{}, err
	}
	t.FollowUps = append(t.FollowUps, FollowUp{Assessment: id, Reason: reason, Measures: slices.Clone(measures), At: now, By: by})
	return fu, nil
}

func cloneFactors(fs []Factor) []Factor {
	out := slices.Clone(fs)
	for i := range out {
		out[i].AffectedGroups = slices.Clone(out[i].AffectedGroups)
		out[i].Measures = slices.Clone(out[i].Measures)
		out[i].Initial.Ratings = slices.Clone(out[i].Initial.Ratings)
		if r := out[i].Residual; r != nil {
			cp := *r
			cp.Ratings = slices.Clone(r.Ratings)
			out[i].Residual = &cp
		}
	}
	return out
}
