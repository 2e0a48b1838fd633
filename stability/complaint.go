package stability

import (
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/ssra-go/ssra"
)

// MaxRepresentatives is the largest number of representatives a group visit
// may elect (信访工作条例 2022 第二十条; 信访条例 2005 第十八条).
const MaxRepresentatives = 5

// Matter is what a complaint raises: its type, the person or unit
// complained about (被反映对象), the facts and the request. The repeat-filing
// guard compares matters, never the people who filed them. A subject inside
// the system is named by identifier (SubjectUser, SubjectOrg), which the
// confidentiality guards compare exactly; Subject is the free text for the
// record, which they compare after folding (MatchName).
type Matter struct {
	Type    MatterType `json:"type"`
	Subject string     `json:"subject"`
	// SubjectUser is the identifier of the user of the system the matter
	// is about, if any.
	SubjectUser string `json:"subject_user,omitempty"`
	// SubjectOrg is the identifier of the organisation of the system the
	// matter is about, if any.
	SubjectOrg string `json:"subject_org,omitempty"`
	Facts      string `json:"facts"`
	Request    string `json:"request"`
}

// Key returns a digest of the matter's facts and request, normalised
// (letters lower-cased, spaces and punctuation removed), so that the same
// matter filed again is recognised whoever files it.
func (m Matter) Key() string {
	h := sha256.New()
	h.Write([]byte(normalise(m.Facts)))
	h.Write([]byte{0})
	h.Write([]byte(normalise(m.Request)))
	return hex.EncodeToString(h.Sum(nil))
}

func normalise(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Intake is what is registered for a new complaint (信访事项登记). Ref and
// QueryCode may be given (for example from an existing numbering system);
// when empty, NewComplaint draws them from the random source.
type Intake struct {
	Ref       string  `json:"ref,omitempty"`
	QueryCode string  `json:"query_code,omitempty"`
	Channel   Channel `json:"channel"`
	Matter    Matter  `json:"matter"`
	// Complainants are the people who filed; empty only for an anonymous report.
	Complainants []Person `json:"complainants,omitempty"`
	// Group marks a group visit (集体访), which elects at most five representatives.
	Group           bool       `json:"group,omitempty"`
	Representatives []Person   `json:"representatives,omitempty"`
	Materials       []Material `json:"materials,omitempty"`
	// Organ is the registering organ.
	Organ string `json:"organ"`
}

// Validate returns every problem of the intake.
func (in Intake) Validate() ssra.Problems {
	var ps ssra.Problems
	if in.Ref != "" {
		ps = append(ps, CheckReference("ref", in.Ref)...)
	}
	if in.Organ == "" {
		ps.Add("complaint.organ_missing", "organ", "registering organ is missing")
	}
	if _, err := in.Channel.MarshalText(); err != nil {
		ps.Add("complaint.channel_invalid", "channel", "%s", ssra.Reason(err))
	}
	if _, err := in.Matter.Type.MarshalText(); err != nil {
		ps.Add("complaint.matter_type_invalid", "matter.type", "%s", ssra.Reason(err))
	}
	if strings.TrimSpace(in.Matter.Facts) == "" {
		ps.Add("complaint.facts_missing", "matter.facts", "facts are missing (an oral complaint is recorded faithfully)")
	}
	if strings.TrimSpace(in.Matter.Request) == "" && in.Matter.Type != MatterReport {
		ps.Add("complaint.request_missing", "matter.request", "request is missing")
	}
	if in.Matter.Type == MatterReport && FoldName(in.Matter.Subject) == "" {
		ps.Add("complaint.subject_missing", "matter.subject", "a report names the person or unit it is about (in words, besides any identifier)")
	}
	if len(in.Complainants) == 0 && len(in.Representatives) == 0 && in.Matter.Type != MatterReport {
		ps.Add("complaint.complainant_missing", "complainants", "only a report may be anonymous")
	}
	for i, p := range in.Complainants {
		if p.Name == "" {
			ps.Add("complaint.name_missing", ssra.JoinPath(ssra.Index("complainants", i), "name"), "name is missing")
		}
	}
	if in.Group {
		if in.Channel == ChannelVisit && len(in.Representatives) == 0 {
			ps.Add("complaint.representatives_missing", "representatives", "a group visit elects representatives")
		}
		if len(in.Representatives) > MaxRepresentatives {
			ps.Add("complaint.too_many_representatives", "representatives", "a group visit elects at most %d representatives, got %d", MaxRepresentatives, len(in.Representatives))
		}
	} else if len(in.Representatives) > 0 {
		ps.Add("complaint.representatives_without_group", "representatives", "representatives are elected only for a group visit")
	}
	for i, p := range in.Representatives {
		if p.Name == "" {
			ps.Add("complaint.name_missing", ssra.JoinPath(ssra.Index("representatives", i), "name"), "name is missing")
		}
	}
	for i, m := range in.Materials {
		if m.Title == "" {
			ps.Add("complaint.material_title_missing", ssra.JoinPath(ssra.Index("materials", i), "title"), "material title is missing")
		}
	}
	return ps
}

// Opinion is a written opinion (处理意见书, 复查意见, 复核意见): the outcome,
// the opinion, and its legal or policy basis.
type Opinion struct {
	Outcome    Outcome   `json:"outcome"`
	Text       string    `json:"text"`
	LegalBasis string    `json:"legal_basis"`
	Served     ssra.Date `json:"served"`
}

// Diversion records where a complaint was diverted and why.
type Diversion struct {
	Target DiversionTarget `json:"target"`
	Note   string          `json:"note"`
}

// Mark is a side mark on a case: supervision (督办) or escalation (上报),
// with when, by whom, to whom and why.
type Mark struct {
	Kind EventKind `json:"kind"`
	At   time.Time `json:"at"`
	By   string    `json:"by"`
	To   string    `json:"to,omitempty"`
	// Body is the supervising body (督办单位) of a supervision mark.
	Body   string `json:"body,omitempty"`
	Reason string `json:"reason"`
}

// RatingRecord is a rating of the handling given with the query code. A
// case holds one: a later rating within the profile's window replaces it.
type RatingRecord struct {
	// At is when the first rating was given; the window counts from it.
	At     time.Time `json:"at"`
	Rating Rating    `json:"rating"`
	// Changes is how many times the rating was replaced, ChangedAt when
	// it was last.
	Changes   int        `json:"changes,omitempty"`
	ChangedAt *time.Time `json:"changed_at,omitempty"`
}

// rate records rating r given at now in ratings, which holds at most one:
// the first is added; a later one replaces it within the profile's window
// and MaxRatingChanges; after that it is a conflict (code
// case.rating_final). A record written when ratings were appended keeps
// only its last.
func (r *Record) rate(op string, ratings *[]RatingRecord, now time.Time, rt Rating) error {
	rs := *ratings
	if len(rs) == 0 {
		*ratings = []RatingRecord{{At: now, Rating: rt}}
		return nil
	}
	cur := rs[len(rs)-1]
	window := 0
	if r.profile != nil {
		window = r.profile.RatingWindowDays
	}
	if !now.Before(cur.At.AddDate(0, 0, window)) {
		return conflict(op, "case.rating_final", "rating", "the rating given on %s stands: it may be replaced within %d days", cur.At.Format(time.DateOnly), window)
	}
	if cur.Changes >= MaxRatingChanges {
		return conflict(op, "case.rating_final", "rating", "the rating was replaced %d times and stands", cur.Changes)
	}
	at := now
	cur.Rating, cur.Changes, cur.ChangedAt = rt, cur.Changes+1, &at
	*ratings = []RatingRecord{cur}
	return nil
}

// Complaint is a letters-and-visits case (信访事项) and its workflow per
// 信访工作条例 2022: registered → routed | accepted | referred | diverted →
// investigating → extended → answered → review requested → reviewed →
// re-review requested → re-reviewed → closed, with the side marks supervised
// and escalated. Every transition takes the time and the actor, refuses
// with a typed *ssra.Error when not allowed, records an event and
// recomputes the deadlines.
type Complaint struct {
	Record
	Status          Status     `json:"status"`
	Channel         Channel    `json:"channel"`
	Matter          Matter     `json:"matter"`
	MatterKey       string     `json:"matter_key"`
	Complainants    []Person   `json:"complainants,omitempty"`
	Group           bool       `json:"group,omitempty"`
	Representatives []Person   `json:"representatives,omitempty"`
	Materials       []Material `json:"materials,omitempty"`
	// Sender is the organ that routed the case, which keeps read access.
	Sender     string         `json:"sender,omitempty"`
	RouteMode  *RouteMode     `json:"route_mode,omitempty"`
	ReferredTo string         `json:"referred_to,omitempty"`
	Diversion  *Diversion     `json:"diversion,omitempty"`
	Extension  *Extension     `json:"extension,omitempty"`
	Handling   *Opinion       `json:"handling,omitempty"`
	Review     *Opinion       `json:"review,omitempty"`
	Rereview   *Opinion       `json:"rereview,omitempty"`
	Marks      []Mark         `json:"marks,omitempty"`
	Ratings    []RatingRecord `json:"ratings,omitempty"`
}

// NewComplaint registers a complaint at now by the actor, under the
// deadline profile and calendar. It returns the case and the query code to
// give the complainant (only its digest is kept). Missing reference number
// or query code are drawn from rnd; the package reads no random source or
// clock of its own. It fails with KindInvalid listing every problem of the
// intake.
func NewComplaint(in Intake, p *Profile, cal ssra.Calendar, rnd io.Reader, now time.Time, by Participant) (*Complaint, string, error) {
	const op = "stability.NewComplaint"
	rec, code, err := openCase(op, "complaint", "XF", in.Validate(), p, cal, rnd, now, by, in.Organ, in.Ref, in.QueryCode)
	if err != nil {
		return nil, "", err
	}
	c := &Complaint{
		Record: rec,
		Status: StatusRegistered, Channel: in.Channel, Matter: in.Matter, MatterKey: in.Matter.Key(),
		Complainants: in.Complainants, Group: in.Group, Representatives: in.Representatives, Materials: in.Materials,
	}
	if err := c.record(now, EventRegistered, by, StatusRegistered.String(), "registered via "+in.Channel.String()); err != nil {
		return nil, "", err
	}
	return c, code, nil
}

func (c *Complaint) begin(op string, now time.Time, by Participant, allowed ...Status) error {
	names := make([]string, len(allowed))
	for i, s := range allowed {
		names[i] = s.String()
	}
	if err := c.Record.begin(op, now, by, c.Status.String(), names...); err != nil {
		return err
	}
	return c.notSubject(op, "by", by)
}

// notSubject refuses, with KindForbidden, a person the matter is about as
// the actor or officer of the case (field names which).
func (c *Complaint) notSubject(op, field string, a Participant) error {
	if c.Matter.namesPerson(a.ID, a.Name) {
		return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "the person a matter is about does not act on it",
			Problems: ssra.Problems{{Code: "case.subject_actor", Field: field + ".id", Message: "the case is about this person (by identifier or by name)"}}}
	}
	return nil
}

func (c *Complaint) move(now time.Time, kind EventKind, by Participant, to Status, note string) error {
	c.Status = to
	return c.record(now, kind, by, to.String(), note)
}

func requireRole(op string, by Participant, roles ...CaseRole) error {
	for _, r := range roles {
		if by.Role == r {
			return nil
		}
	}
	return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "role " + by.Role.String() + " may not do this",
		Problems: ssra.Problems{{Code: "case.role_not_allowed", Field: "by.role", Message: "requires role " + roles[0].String()}}}
}

// AssignOfficer names the case officer (承办人). It fails with KindForbidden
// when the officer has recused themselves.
func (c *Complaint) AssignOfficer(now time.Time, by, officer Participant) error {
	const op = "stability.Complaint.AssignOfficer"
	if err := c.notSubject(op, "by", by); err != nil {
		return err
	}
	if err := c.notSubject(op, "officer", officer); err != nil {
		return err
	}
	return c.assignOfficer("stability.Complaint.AssignOfficer", now, by, officer, c.Status.String())
}

// Recuse records that staff, who has an interest in the matter, stands aside
// (回避); they can no longer act on or be named officer of the case. Only
// the staff member themselves or the head (RoleHead) may record it:
// another is KindForbidden, code case.recusal_not_allowed; a second
// recusal of the same person is KindConflict.
func (c *Complaint) Recuse(now time.Time, by, staff Participant, reason string) error {
	if err := c.notSubject("stability.Complaint.Recuse", "by", by); err != nil {
		return err
	}
	return c.recuse("stability.Complaint.Recuse", now, by, staff, reason, c.Status.String())
}

// EndRecusal is the head's undoing of staff's recusal, with the reason;
// the recusal stays in the record, marked ended. Anyone but the head is
// KindForbidden (case.recusal_end_not_allowed); staff who does not stand
// aside is KindConflict (case.not_recused).
func (c *Complaint) EndRecusal(now time.Time, by, staff Participant, reason string) error {
	if err := c.notSubject("stability.Complaint.EndRecusal", "by", by); err != nil {
		return err
	}
	return c.endRecusal("stability.Complaint.EndRecusal", now, by, staff, reason, c.Status.String())
}

// Route transfers or assigns a registered complaint to the competent organ
// (转送/交办), which gains access and may accept it or object within the
// profile's window; the sender keeps read access. A report is never routed
// to the person or unit it is about: see Matter.CheckRoute, whose error
// Route returns.
func (c *Complaint) Route(now time.Time, by Participant, dest Destination, mode RouteMode) error {
	const op = "stability.Complaint.Route"
	if err := c.begin(op, now, by, StatusRegistered); err != nil {
		return err
	}
	to := dest.Organ
	if to == "" || to == c.Organ {
		return invalid(op, "complaint.route_target_invalid", "to", "route to another, named organ")
	}
	if _, err := mode.MarshalText(); err != nil {
		return invalid(op, "complaint.route_mode_invalid", "mode", "%s", ssra.Reason(err))
	}
	if err := c.Matter.CheckRoute(dest); err != nil {
		return err
	}
	c.Sender, c.Organ = c.Organ, to
	c.endLeader(ssra.DateOf(now), "routed to "+to)
	m := mode
	c.RouteMode = &m
	c.Officer = nil
	if err := c.move(now, EventRouted, by, StatusRouted, mode.String()+" to "+to); err != nil {
		return err
	}
	return c.record(now, EventTransferReceived, by, StatusRouted.String(), "received by "+to)
}

// ObjectToTransfer is the receiving organ's objection that the matter is
// outside its remit, with reasons, within the objection window; the case
// returns to the sender as registered. It fails with KindConflict after the
// window or when the profile has no objection window.
func (c *Complaint) ObjectToTransfer(now time.Time, by Participant, reason string) error {
	const op = "stability.Complaint.ObjectToTransfer"
	if err := c.begin(op, now, by, StatusRouted); err != nil {
		return err
	}
	if reason == "" {
		return invalid(op, "complaint.reason_missing", "reason", "an objection gives its reasons")
	}
	w := c.openDeadline("object_transfer")
	if w == nil {
		return conflict(op, "complaint.objection_not_provided", "status", "profile %s provides no objection to a transfer", c.Profile)
	}
	if ssra.DateOf(now).After(w.Due) {
		return conflict(op, "complaint.objection_window_passed", "now", "the objection window closed on %s", w.Due)
	}
	c.Organ, c.Sender = c.Sender, ""
	c.RouteMode = nil
	return c.move(now, EventTransferObjected, by, StatusRegistered, reason)
}

// Accept accepts the complaint for handling (受理) at the organ holding it
// and starts the handling limit.
func (c *Complaint) Accept(now time.Time, by Participant) error {
	const op = "stability.Complaint.Accept"
	if err := c.begin(op, now, by, StatusRegistered, StatusRouted); err != nil {
		return err
	}
	return c.move(now, EventAccepted, by, StatusAccepted, "accepted by "+c.Organ)
}

// Notify records a written notice served on the complainant (书面告知): of
// receipt and the handling path, of acceptance, or of where the item was
// routed. It meets the open notification limits (信访工作条例 2022 第二十三条).
// It fails with KindConflict when no notification limit is open.
func (c *Complaint) Notify(now time.Time, by Participant, content string) error {
	const op = "stability.Complaint.Notify"
	if err := c.begin(op, now, by, StatusRegistered, StatusRouted, StatusAccepted, StatusInvestigating, StatusExtended); err != nil {
		return err
	}
	if strings.TrimSpace(content) == "" {
		return invalid(op, "complaint.notice_missing", "content", "say what the complainant was told")
	}
	if c.openDeadline("notify") == nil && c.openDeadline("notify_transfer") == nil {
		return conflict(op, "complaint.nothing_to_notify", "status", "no notification limit is open")
	}
	return c.record(now, EventNotified, by, c.Status.String(), content)
}

// Refer closes the complaint by telling the complainant which organ has the
// power to deal with it (告知向有权机关提出).
func (c *Complaint) Refer(now time.Time, by Participant, organ string) error {
	const op = "stability.Complaint.Refer"
	if err := c.begin(op, now, by, StatusRegistered, StatusRouted); err != nil {
		return err
	}
	if organ == "" {
		return invalid(op, "complaint.referral_missing", "organ", "name the organ the complainant should go to")
	}
	c.ReferredTo = organ
	if err := c.move(now, EventReferred, by, StatusReferred, "complainant told to go to "+organ); err != nil {
		return err
	}
	c.settle(ssra.DateOf(now), EventReferred)
	return nil
}

// Divert closes the complaint by diverting it to the procedure it belongs
// to: litigation, arbitration, administrative reconsideration or the
// discipline inspection bodies.
func (c *Complaint) Divert(now time.Time, by Participant, target DiversionTarget, note string) error {
	const op = "stability.Complaint.Divert"
	if err := c.begin(op, now, by, StatusRegistered, StatusRouted); err != nil {
		return err
	}
	if _, err := target.MarshalText(); err != nil {
		return invalid(op, "complaint.diversion_target_invalid", "target", "%s", ssra.Reason(err))
	}
	c.Diversion = &Diversion{Target: target, Note: note}
	if err := c.move(now, EventDiverted, by, StatusDiverted, "diverted to "+target.String()); err != nil {
		return err
	}
	c.settle(ssra.DateOf(now), EventDiverted)
	return nil
}

// Investigate starts the investigation (调查核实) of an accepted complaint.
func (c *Complaint) Investigate(now time.Time, by Participant) error {
	const op = "stability.Complaint.Investigate"
	if err := c.begin(op, now, by, StatusAccepted); err != nil {
		return err
	}
	return c.move(now, EventInvestigating, by, StatusInvestigating, "")
}

// Extend extends the handling limit once (延期), approved by the head of the
// organ, with the reason told to the complainant. It fails with
// KindForbidden for an actor who is not a head, KindConflict for a second
// extension or one after the limit passed, and KindInvalid for an extension
// longer than the profile allows or without a reason.
func (c *Complaint) Extend(now time.Time, by Participant, days int, reason string) error {
	const op = "stability.Complaint.Extend"
	if err := c.begin(op, now, by, StatusAccepted, StatusInvestigating, StatusExtended); err != nil {
		return err
	}
	if err := requireRole(op, by, RoleHead); err != nil {
		return err
	}
	if c.Extension != nil {
		return conflict(op, "complaint.extension_used", "extension", "the handling limit was already extended on %s; only one extension is allowed", c.Extension.Approved)
	}
	d := c.openDeadline("conclude")
	if d == nil {
		return conflict(op, "complaint.nothing_to_extend", "status", "no open handling limit")
	}
	day := ssra.DateOf(now)
	if day.After(d.Due) {
		return conflict(op, "complaint.extension_after_deadline", "now", "the handling limit passed on %s", d.Due)
	}
	ext := Extension{Days: days, Reason: reason, Approved: day}
	if err := c.recompute(d, []Extension{ext}); err != nil {
		return err
	}
	c.Extension = &ext
	return c.move(now, EventExtended, by, StatusExtended, reason)
}

func (c *Complaint) extensions(id string) []Extension {
	if id == "conclude" && c.Extension != nil {
		return []Extension{*c.Extension}
	}
	return nil
}

// Pause enters a stop-the-clock period (for example a hearing during
// re-review, 听证时间不计入) and recounts the open pausable deadlines. It fails
// with KindConflict when no open deadline excludes such periods.
func (c *Complaint) Pause(now time.Time, by Participant, p Pause) error {
	const op = "stability.Complaint.Pause"
	if err := c.begin(op, now, by); err != nil {
		return err
	}
	if err := c.addPause(op, p, c.extensions); err != nil {
		return err
	}
	return c.record(now, EventPaused, by, c.Status.String(), p.Reason)
}

func checkAnswer(op string, a Opinion) error {
	var ps ssra.Problems
	if _, err := a.Outcome.MarshalText(); err != nil {
		ps.Add("complaint.outcome_invalid", "answer.outcome", "%s", ssra.Reason(err))
	}
	if strings.TrimSpace(a.Text) == "" {
		ps.Add("complaint.opinion_missing", "answer.text", "the opinion is missing")
	}
	if strings.TrimSpace(a.LegalBasis) == "" {
		ps.Add("complaint.legal_basis_missing", "answer.legal_basis", "the opinion states its legal or policy basis")
	}
	return ps.Err(op)
}

// Answer serves the written handling opinion (处理意见书) and opens the
// complainant's review window.
func (c *Complaint) Answer(now time.Time, by Participant, a Opinion) error {
	const op = "stability.Complaint.Answer"
	if err := c.begin(op, now, by, StatusAccepted, StatusInvestigating, StatusExtended); err != nil {
		return err
	}
	if err := checkAnswer(op, a); err != nil {
		return err
	}
	a.Served = ssra.DateOf(now)
	c.Handling = &a
	return c.move(now, EventAnswered, by, StatusAnswered, a.Outcome.String())
}

func (c *Complaint) inWindow(op, id, code string, now time.Time) error {
	w := c.openDeadline(id)
	if w == nil {
		return conflict(op, code, "now", "the %s window is not open", id)
	}
	if ssra.DateOf(now).After(w.Due) {
		return conflict(op, code, "now", "the %s window closed on %s", id, w.Due)
	}
	return nil
}

// RequestReview records the complainant's request for review (复查) within
// the window after the answer. It fails with KindConflict after the window.
func (c *Complaint) RequestReview(now time.Time, by Participant) error {
	const op = "stability.Complaint.RequestReview"
	if err := c.begin(op, now, by, StatusAnswered); err != nil {
		return err
	}
	if err := c.inWindow(op, "review_request", "complaint.review_window_passed", now); err != nil {
		return err
	}
	return c.move(now, EventReviewRequested, by, StatusReviewRequested, "")
}

// DecideReview serves the review opinion and opens the re-review window.
func (c *Complaint) DecideReview(now time.Time, by Participant, a Opinion) error {
	const op = "stability.Complaint.DecideReview"
	if err := c.begin(op, now, by, StatusReviewRequested); err != nil {
		return err
	}
	if err := checkAnswer(op, a); err != nil {
		return err
	}
	a.Served = ssra.DateOf(now)
	c.Review = &a
	return c.move(now, EventReviewed, by, StatusReviewed, a.Outcome.String())
}

// RequestRereview records the request for re-review (复核) within the window
// after the review opinion. It fails with KindConflict after the window.
func (c *Complaint) RequestRereview(now time.Time, by Participant) error {
	const op = "stability.Complaint.RequestRereview"
	if err := c.begin(op, now, by, StatusReviewed); err != nil {
		return err
	}
	if err := c.inWindow(op, "rereview_request", "complaint.rereview_window_passed", now); err != nil {
		return err
	}
	return c.move(now, EventRereviewRequested, by, StatusRereviewRequested, "")
}

// DecideRereview serves the re-review opinion; the same facts are not
// accepted again by any body (see CheckRepeat).
func (c *Complaint) DecideRereview(now time.Time, by Participant, a Opinion) error {
	const op = "stability.Complaint.DecideRereview"
	if err := c.begin(op, now, by, StatusRereviewRequested); err != nil {
		return err
	}
	if err := checkAnswer(op, a); err != nil {
		return err
	}
	a.Served = ssra.DateOf(now)
	c.Rereview = &a
	return c.move(now, EventRereviewed, by, StatusRereviewed, a.Outcome.String())
}

// Close concludes the case (终结): after a re-review opinion, or after an
// answer or review opinion whose request window has passed. It fails with
// KindConflict while a request window is still open.
func (c *Complaint) Close(now time.Time, by Participant, reason string) error {
	const op = "stability.Complaint.Close"
	if err := c.begin(op, now, by, StatusAnswered, StatusReviewed, StatusRereviewed); err != nil {
		return err
	}
	for _, id := range []string{"review_request", "rereview_request"} {
		if w := c.openDeadline(id); w != nil && !ssra.DateOf(now).After(w.Due) {
			return conflict(op, "complaint.window_open", "now", "the complainant may still ask for %s until %s", strings.TrimSuffix(id, "_request"), w.Due)
		}
	}
	if err := c.move(now, EventClosed, by, StatusClosed, reason); err != nil {
		return err
	}
	c.settle(ssra.DateOf(now), EventClosed)
	return nil
}

func (c *Complaint) terminal() bool {
	switch c.Status {
	case StatusReferred, StatusDiverted, StatusClosed:
		return true
	}
	return false
}

// Supervise sets the supervision side mark (督办) with its reason.
func (c *Complaint) Supervise(now time.Time, by Participant, reason string) error {
	return c.mark("stability.Complaint.Supervise", now, by, EventSupervised, "", reason)
}

// Escalate sets the escalation side mark: a major or urgent matter reported
// to a higher level, recording to whom and why.
func (c *Complaint) Escalate(now time.Time, by Participant, to, reason string) error {
	return c.mark("stability.Complaint.Escalate", now, by, EventEscalated, to, reason)
}

func (c *Complaint) mark(op string, now time.Time, by Participant, kind EventKind, to, reason string) error {
	if err := c.begin(op, now, by); err != nil {
		return err
	}
	if c.terminal() {
		return conflict(op, "case.transition_not_allowed", "status", "case %s is %s", c.Ref, c.Status)
	}
	if reason == "" || (kind == EventEscalated && to == "") {
		return invalid(op, "case.mark_invalid", "reason", "a side mark needs a reason (and, for escalation, to whom)")
	}
	c.Marks = append(c.Marks, Mark{Kind: kind, At: now, By: by.ID, To: to, Reason: reason})
	return c.record(now, kind, by, c.Status.String(), reason)
}

// Supervised reports whether the case carries the supervision mark.
func (c *Complaint) Supervised() bool { return c.hasMark(EventSupervised) }

// Escalated reports whether the case carries the escalation mark.
func (c *Complaint) Escalated() bool { return c.hasMark(EventEscalated) }

func (c *Complaint) hasMark(k EventKind) bool {
	for _, m := range c.Marks {
		if m.Kind == k {
			return true
		}
	}
	return false
}

// Rate records the complainant's rating of the handling (评价), given with
// the query code after an answer. A wrong code fails with KindNotFound, as a
// status check does. The case holds one rating: a later one replaces it
// within the profile's RatingWindowDays and MaxRatingChanges, and after
// that is refused (KindConflict, case.rating_final).
func (c *Complaint) Rate(now time.Time, code string, r Rating) error {
	const op = "stability.Complaint.Rate"
	if !c.VerifyQueryCode(code) {
		return ssra.Errorf(ssra.KindNotFound, op, "no case with this reference and query code")
	}
	if err := c.begin(op, now, Participant{ID: "complainant", Role: RoleComplainant}); err != nil {
		return err
	}
	if c.Handling == nil {
		return conflict(op, "complaint.nothing_to_rate", "status", "the handling can be rated after the answer")
	}
	if _, err := r.MarshalText(); err != nil {
		return invalid(op, "complaint.rating_invalid", "rating", "%s", ssra.Reason(err))
	}
	if err := c.rate(op, &c.Ratings, now, r); err != nil {
		return err
	}
	return c.record(now, EventRated, Participant{ID: "complainant", Role: RoleComplainant}, c.Status.String(), r.String())
}

// CheckRepeat is the repeat-filing guard: it compares the matter with
// existing cases by their matter key (same facts and request), not by who
// filed them. It fails with KindConflict, code complaint.repeat_after_rereview,
// when a case with the same matter has a re-review opinion (not accepted
// again by any body, 2022 Art 36), and code complaint.repeat_in_progress when
// one is still being handled (not accepted again by a superior, Art 19).
// The cases are the registering organ's own and those shared with it, whose
// reference it may see; CheckRepeatHierarchy asks above and below.
func CheckRepeat(m Matter, existing []*Complaint) error {
	const op = "stability.CheckRepeat"
	key := m.Key()
	for _, c := range existing {
		if c == nil || c.MatterKey != key {
			continue
		}
		switch c.RepeatState() {
		case RepeatRereviewed:
			return conflict(op, "complaint.repeat_after_rereview", "matter", "the same matter was re-reviewed in case %s; it is not accepted again", c.Ref)
		case RepeatHandling:
			return conflict(op, "complaint.repeat_in_progress", "matter", "the same matter is being handled in case %s", c.Ref)
		}
	}
	return nil
}
