package stability

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/ssra-go/ssra"
)

// Participant is the person who performs a transition on a case (the
// actor of its events): an identifier, a name, the unit they act for and
// their role in the case. It is not a user of the server (ssra.Actor):
// complainants and parties take part without an account. Staff names are
// not personal data of the public; complainants and parties act under
// RoleComplainant and RoleParty.
type Participant struct {
	ID   string   `json:"id"`
	Name string   `json:"name,omitempty"`
	Unit string   `json:"unit,omitempty"`
	Role CaseRole `json:"role"`
}

// Person is a complainant, a representative or a party: personal data,
// always confidential (保密). Redact removes it from every view but the
// handler's and the person's own.
type Person struct {
	Name     string `json:"name"`
	IDNumber string `json:"id_number,omitempty"`
	Phone    string `json:"phone,omitempty"`
	Address  string `json:"address,omitempty"`
}

// Material is an item submitted with a case. Marked materials are report
// materials (检举揭发材料): never shown to the party complained about nor to
// staff without need-to-know. The store keeps the content; the case keeps a
// title and a digest.
type Material struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Digest string `json:"digest,omitempty"`
	Marked bool   `json:"marked"`
}

// Event is one entry of a case's history: when, what, by whom, the status
// name after it and a note.
type Event struct {
	At     time.Time   `json:"at"`
	Kind   EventKind   `json:"kind"`
	By     Participant `json:"by"`
	Status string      `json:"status"`
	Note   string      `json:"note,omitempty"`
}

// CaseDeadline is a deadline on a case with its state.
type CaseDeadline struct {
	Deadline
	Status DeadlineStatus `json:"status"`
	// ClosedOn is the date the deadline was met, missed, lapsed or cancelled.
	ClosedOn ssra.Date `json:"closed_on,omitzero"`
	// ClosedBy is the event that closed it.
	ClosedBy EventKind `json:"closed_by,omitzero"`
}

// Recusal records that a member of staff with an interest stood aside (回避).
type Recusal struct {
	ActorID string    `json:"actor_id"`
	Reason  string    `json:"reason"`
	At      time.Time `json:"at"`
	// By is who recorded it: the staff member themselves or the head.
	By string `json:"by,omitempty"`
	// Ended is set when the head undid the recusal; it no longer binds.
	Ended *RecusalEnd `json:"ended,omitempty"`
}

// RecusalEnd is the head's undoing of a recusal (a recusal recorded in
// error, or whose reason has gone), with the reason.
type RecusalEnd struct {
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at"`
}

// Record is the part shared by complaints and disputes: reference number,
// the hash of the query code, the deadline profile, the named case officer,
// recusals, stop-the-clock periods, deadlines and history. The profile and
// calendar used to recompute deadlines are bound with Bind and are not part
// of the JSON form.
type Record struct {
	Ref string `json:"ref"`
	// RefOrg is the organisation that chose Ref (a reference given at
	// intake, from its own numbering); empty for a reference the package
	// drew. A chosen reference is unique within that organisation only.
	RefOrg         string       `json:"ref_org,omitempty"`
	QueryHash      string       `json:"query_hash,omitempty"`
	Profile        string       `json:"profile"`
	ProfileVersion string       `json:"profile_version"`
	Organ          string       `json:"organ"`
	Officer        *Participant `json:"officer,omitempty"`
	Recused        []Recusal    `json:"recused,omitempty"`
	// Leaders is the history of the leaders responsible for the case
	// (领导包案); the last, without an end, is the current one.
	Leaders   []Responsibility `json:"leaders,omitempty"`
	Pauses    []Pause          `json:"pauses,omitempty"`
	Deadlines []CaseDeadline   `json:"deadlines"`
	Events    []Event          `json:"events"`

	profile *Profile
	cal     ssra.Calendar
	// next is the earliest due date of an open duty, kept for fast queries.
	next ssra.Date
}

// Bind attaches the deadline profile and the calendar the record's
// deadlines are recomputed with, for example after decoding from JSON. It
// fails with KindInvalid when the profile's name or version differs from the
// one the record was opened under (an earlier name of the same version, in
// Profile.Formerly, is the same version), or a deadline names a rule the profile
// lacks.
func (r *Record) Bind(p *Profile, cal ssra.Calendar) error {
	if p == nil || p.Name != r.Profile || p.Version != r.ProfileVersion && !slices.Contains(p.Formerly, r.ProfileVersion) {
		var ps ssra.Problems
		ps.Add("case.profile_mismatch", "profile", "case %s uses profile %s %s", r.Ref, r.Profile, r.ProfileVersion)
		return ps.Err("stability.Record.Bind")
	}
	var ps ssra.Problems
	for i, d := range r.Deadlines {
		if _, ok := p.Rule(d.Rule); !ok {
			ps.Add("case.rule_unknown", ssra.JoinPath(ssra.Index("deadlines", i), "rule"), "profile %s has no rule %q", p.Name, d.Rule)
		}
	}
	if err := ps.Err("stability.Record.Bind"); err != nil {
		return err
	}
	r.profile, r.cal = p, cal
	r.refreshNext()
	return nil
}

// NextDue returns the earliest due date of an open duty deadline, or the
// zero date when none is open.
func (r *Record) NextDue() ssra.Date { return r.next }

// VerifyQueryCode reports whether code is the query code issued for the
// case (constant-time comparison of digests).
func (r *Record) VerifyQueryCode(code string) bool {
	if r.QueryHash == "" || code == "" {
		return false
	}
	h := queryHash(r.Ref, code)
	return subtle.ConstantTimeCompare([]byte(h), []byte(r.QueryHash)) == 1
}

// Open returns the open deadlines.
func (r *Record) Open() []CaseDeadline {
	var out []CaseDeadline
	for _, d := range r.Deadlines {
		if d.Status == DeadlineOpen {
			out = append(out, d)
		}
	}
	return out
}

// DeadlineFor returns the latest deadline of the rule id.
func (r *Record) DeadlineFor(id string) (CaseDeadline, bool) {
	for i := len(r.Deadlines) - 1; i >= 0; i-- {
		if r.Deadlines[i].Rule == id {
			return r.Deadlines[i], true
		}
	}
	return CaseDeadline{}, false
}

func (r *Record) openDeadline(id string) *CaseDeadline {
	for i := len(r.Deadlines) - 1; i >= 0; i-- {
		if r.Deadlines[i].Rule == id && r.Deadlines[i].Status == DeadlineOpen {
			return &r.Deadlines[i]
		}
	}
	return nil
}

func queryHash(ref, code string) string {
	s := sha256.Sum256([]byte("ssra-query-code\x00" + ref + "\x00" + code))
	return hex.EncodeToString(s[:])
}

// codeAlphabet has 32 symbols without 0, 1, I and O, so that one random
// byte masked to 5 bits picks a symbol without bias.
const codeAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

// randomCode returns n symbols from an unambiguous 32-symbol alphabet drawn
// from rnd (5 bits of entropy each). The package never reads a random
// source of its own: callers pass crypto/rand.Reader or a test source.
func randomCode(rnd io.Reader, n int) (string, error) {
	if rnd == nil {
		return "", fmt.Errorf("random source is missing")
	}
	if n < 1 || n > 64 {
		return "", fmt.Errorf("code length %d outside 1..64", n)
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(rnd, b); err != nil {
		return "", fmt.Errorf("reading random source: %w", err)
	}
	for i := range b {
		b[i] = codeAlphabet[b[i]&31]
	}
	return string(b), nil
}

// issueIDs returns the given reference number and query code, or draws the
// missing ones from rnd: the reference is prefix + YYYYMMDD + "-" + 8
// symbols, the query code 10 symbols (50 bits).
// openCase is the part of registering a case that complaints and disputes
// share: the intake's problems (ps) joined with those of the profile, the
// time and the actor, then the reference number and query code (drawn from
// rnd when the intake has none) and the record that carries them. kind names
// the case in problem codes ("complaint", "dispute"); prefix starts the
// reference number.
func openCase(op, kind, prefix string, ps ssra.Problems, p *Profile, cal ssra.Calendar, rnd io.Reader, now time.Time, by Participant, organ, ref, code string) (Record, string, error) {
	if p == nil {
		ps.Add(kind+".profile_missing", "profile", "deadline profile is missing")
	}
	if now.IsZero() {
		ps.Add("case.time_missing", "now", "time is missing")
	}
	if by.ID == "" {
		ps.Add("case.actor_missing", "by.id", "actor id is missing")
	}
	if err := ps.Err(op); err != nil {
		return Record{}, "", err
	}
	chosen := ref != ""
	ref, code, err := issueIDs(rnd, prefix, ssra.DateOf(now), ref, code)
	if err != nil {
		return Record{}, "", invalid(op, kind+".ids_unavailable", "ref", "%s", ssra.Reason(err))
	}
	refOrg := ""
	if chosen {
		refOrg = organ
	}
	return Record{Ref: ref, RefOrg: refOrg, QueryHash: queryHash(ref, code), Profile: p.Name, ProfileVersion: p.Version,
		Organ: organ, Deadlines: []CaseDeadline{}, profile: p, cal: cal}, code, nil
}

// MaxReferenceLength is the longest reference number an organisation may
// choose, in characters.
const MaxReferenceLength = 64

// CheckReference checks the form of a reference number an organisation
// chooses for a case (from its own numbering): 1 to MaxReferenceLength
// characters, each a letter or digit of any script or one of - _ . ( ) [ ]
// 〔 〕 # 号; the first a letter or digit; no "..". So a reference is never
// blank, never holds a control character, a space, a separator of paths
// ("/", "\\") or of qualified names (":"), and reads the same in a URL. It
// returns the problem, at field, or nil.
func CheckReference(field, ref string) ssra.Problems {
	var ps ssra.Problems
	n := 0
	ok := ref != "" && !strings.Contains(ref, "..")
	for i, r := range ref {
		n++
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r):
		case i > 0 && strings.ContainsRune("-_.()[]〔〕#号", r):
		default:
			ok = false
		}
	}
	if !ok || n > MaxReferenceLength {
		ps.Add("case.reference_invalid", field, "a reference is 1 to %d letters, digits and - _ . ( ) [ ] 〔 〕 # 号, starting with a letter or digit, without \"..\"", MaxReferenceLength)
	}
	return ps
}

func issueIDs(rnd io.Reader, prefix string, day ssra.Date, ref, code string) (string, string, error) {
	var err error
	if ref == "" {
		var s string
		if s, err = randomCode(rnd, 8); err != nil {
			return "", "", fmt.Errorf("reference number: %w", err)
		}
		y, m, d := day.Civil()
		ref = fmt.Sprintf("%s%04d%02d%02d-%s", prefix, y, int(m), d, s)
	}
	if code == "" {
		if code, err = randomCode(rnd, 10); err != nil {
			return "", "", fmt.Errorf("query code: %w", err)
		}
	}
	return ref, code, nil
}

// begin checks what every transition needs: a bound profile, a time, an
// actor who has not recused themselves, a time not before the last event,
// and an allowed current status.
func (r *Record) begin(op string, now time.Time, by Participant, status string, allowed ...string) error {
	var ps ssra.Problems
	if r.profile == nil {
		return ssra.Errorf(ssra.KindPreconditionFailed, op, "case %s is not bound to a deadline profile (call Bind)", r.Ref)
	}
	if now.IsZero() {
		ps.Add("case.time_missing", "now", "time is missing")
	}
	if by.ID == "" {
		ps.Add("case.actor_missing", "by.id", "actor id is missing")
	}
	if err := ps.Err(op); err != nil {
		return err
	}
	if n := len(r.Events); n > 0 && now.Before(r.Events[n-1].At) {
		ps.Add("case.time_reversed", "now", "%s is before the last event at %s", now.Format(time.RFC3339), r.Events[n-1].At.Format(time.RFC3339))
		return ps.Err(op)
	}
	if r.isRecused(by.ID) {
		return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "actor has recused themselves from this case",
			Problems: ssra.Problems{{Code: "case.recused", Field: "by.id", Message: by.ID + " stood aside from case " + r.Ref}}}
	}
	if len(allowed) > 0 && !slices.Contains(allowed, status) {
		return conflict(op, "case.transition_not_allowed", "status", "not allowed from status %s (allowed from %v)", status, allowed)
	}
	return nil
}

func (r *Record) isRecused(id string) bool { return r.recusal(id) != nil }

// recusal returns the recusal of id that binds, or nil.
func (r *Record) recusal(id string) *Recusal {
	for i := range r.Recused {
		if x := &r.Recused[i]; x.ActorID == id && x.Ended == nil {
			return x
		}
	}
	return nil
}

func conflict(op, code, field, format string, args ...any) error {
	return &ssra.Error{Kind: ssra.KindConflict, Op: op, Message: "transition refused",
		Problems: ssra.Problems{{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}}}
}

func invalid(op, code, field, format string, args ...any) error {
	var ps ssra.Problems
	ps.Add(code, field, format, args...)
	return ps.Err(op)
}

// record appends the event, closes the deadlines it satisfies and opens the
// deadlines it starts.
func (r *Record) record(now time.Time, kind EventKind, by Participant, status, note string) error {
	r.Events = append(r.Events, Event{At: now, Kind: kind, By: by, Status: status, Note: note})
	day := ssra.DateOf(now)
	for i := range r.Deadlines {
		d := &r.Deadlines[i]
		if d.Status != DeadlineOpen {
			continue
		}
		rule, ok := r.profile.Rule(d.Rule)
		if !ok || !slices.Contains(rule.ClosedBy, kind) {
			continue
		}
		d.Status, d.ClosedOn, d.ClosedBy = DeadlineMet, day, kind
		if d.Obligation == Duty && day.After(d.Due) {
			d.Status = DeadlineLate
		}
	}
	for _, rule := range r.profile.RulesFor(kind) {
		dl, err := r.profile.compute(rule, "at", day, r.cal, Adjustments{})
		if err != nil {
			return err
		}
		r.Deadlines = append(r.Deadlines, CaseDeadline{Deadline: dl, Status: DeadlineOpen})
	}
	r.refreshNext()
	return nil
}

// settle closes every open deadline when a case ends: windows lapse, duties
// no longer apply.
func (r *Record) settle(day ssra.Date, kind EventKind) {
	for i := range r.Deadlines {
		d := &r.Deadlines[i]
		if d.Status != DeadlineOpen {
			continue
		}
		d.Status, d.ClosedOn, d.ClosedBy = DeadlineCancelled, day, kind
		if d.Obligation == Window {
			d.Status = DeadlineLapsed
		}
	}
	r.refreshNext()
}

// recompute recounts the open deadline id with the record's pauses (for a
// pausable rule) and the given extensions.
func (r *Record) recompute(d *CaseDeadline, ext []Extension) error {
	rule, ok := r.profile.Rule(d.Rule)
	if !ok {
		return ssra.Errorf(ssra.KindInternal, "stability.recompute", "rule %s missing from profile %s", d.Rule, r.profile.Name)
	}
	adj := Adjustments{Extensions: ext}
	if rule.Pausable {
		adj.Pauses = r.Pauses
	}
	nd, err := r.profile.compute(rule, "start", d.Start, r.cal, adj)
	if err != nil {
		return err
	}
	d.Deadline = nd
	r.refreshNext()
	return nil
}

// addPause enters a stop-the-clock period and recounts every open pausable
// deadline. It fails with KindConflict when no open deadline is pausable.
func (r *Record) addPause(op string, p Pause, exts func(id string) []Extension) error {
	if p.From.IsZero() || p.To.IsZero() || p.To.Before(p.From) {
		return invalid(op, "case.pause_invalid", "pause", "a pause needs from ≤ to")
	}
	var targets []*CaseDeadline
	for i := range r.Deadlines {
		d := &r.Deadlines[i]
		if rule, ok := r.profile.Rule(d.Rule); ok && d.Status == DeadlineOpen && rule.Pausable {
			targets = append(targets, d)
		}
	}
	if len(targets) == 0 {
		return conflict(op, "case.nothing_to_pause", "pause", "no open deadline of case %s excludes stop-the-clock periods", r.Ref)
	}
	r.Pauses = append(r.Pauses, p)
	for _, d := range targets {
		if err := r.recompute(d, exts(d.Rule)); err != nil {
			return err
		}
	}
	return nil
}

func (r *Record) refreshNext() {
	r.next = ssra.Date{}
	for _, d := range r.Deadlines {
		if d.Status == DeadlineOpen && d.Obligation == Duty && (r.next.IsZero() || d.Due.Before(r.next)) {
			r.next = d.Due
		}
	}
}

// recuse records that staff stands aside (回避): they recuse themselves, or
// the head recuses them; a colleague may not (Forbidden,
// case.recusal_not_allowed), lest one member of staff remove another, or
// the head, from a case.
func (r *Record) recuse(op string, now time.Time, by Participant, staff Participant, reason, status string) error {
	if err := r.begin(op, now, by, status); err != nil {
		return err
	}
	if staff.ID == "" || reason == "" {
		return invalid(op, "case.recusal_invalid", "staff", "a recusal needs the staff member and a reason")
	}
	if by.ID != staff.ID && by.Role != RoleHead {
		return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "recusal refused",
			Problems: ssra.Problems{{Code: "case.recusal_not_allowed", Field: "user_id", Message: "only the staff member themselves or the head of the body may record a recusal"}}}
	}
	if r.isRecused(staff.ID) {
		return conflict(op, "case.already_recused", "user_id", "%s already stands aside from case %s", staff.ID, r.Ref)
	}
	r.Recused = append(r.Recused, Recusal{ActorID: staff.ID, Reason: reason, At: now, By: by.ID})
	if r.Officer != nil && r.Officer.ID == staff.ID {
		r.Officer = nil
	}
	return r.record(now, EventRecused, by, status, "staff member stood aside")
}

// endRecusal is the head's undoing of staff's recusal, with the reason;
// the recusal stays in the record, marked ended.
func (r *Record) endRecusal(op string, now time.Time, by Participant, staff Participant, reason, status string) error {
	if err := r.begin(op, now, by, status); err != nil {
		return err
	}
	if by.Role != RoleHead {
		return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "only the head may undo a recusal",
			Problems: ssra.Problems{{Code: "case.recusal_end_not_allowed", Field: "user_id", Message: "only the head of the body may undo a recusal"}}}
	}
	if staff.ID == "" || reason == "" {
		return invalid(op, "case.recusal_invalid", "reason", "undoing a recusal needs the staff member and a reason")
	}
	x := r.recusal(staff.ID)
	if x == nil {
		return conflict(op, "case.not_recused", "user_id", "%s does not stand aside from case %s", staff.ID, r.Ref)
	}
	x.Ended = &RecusalEnd{By: by.ID, Reason: reason, At: now}
	return r.record(now, EventRecusalEnded, by, status, "recusal undone")
}

func (r *Record) assignOfficer(op string, now time.Time, by, officer Participant, status string) error {
	if err := r.begin(op, now, by, status); err != nil {
		return err
	}
	if officer.ID == "" || officer.Name == "" {
		return invalid(op, "case.officer_invalid", "officer", "the case officer needs an id and a name")
	}
	if r.isRecused(officer.ID) {
		return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "officer has recused themselves from this case",
			Problems: ssra.Problems{{Code: "case.recused", Field: "officer.id", Message: officer.ID + " stood aside from case " + r.Ref}}}
	}
	o := officer
	r.Officer = &o
	return r.record(now, EventOfficerAssigned, by, status, "case officer "+officer.Name)
}
