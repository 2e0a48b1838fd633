package stability

import (
	"encoding/json"
	"io"
	"strings"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// MediationIntake is what is registered for a dispute brought to mediation
// (矛盾纠纷受理): on a party's application or on the body's own initiative.
type MediationIntake struct {
	Ref       string           `json:"ref,omitempty"`
	QueryCode string           `json:"query_code,omitempty"`
	Channel   MediationChannel `json:"channel"`
	// Category is the kind of dispute (for example neighbourhood, labour).
	Category string `json:"category"`
	// Summary states the facts and issues; it is confidential.
	Summary       string     `json:"summary"`
	Parties       []Person   `json:"parties"`
	Materials     []Material `json:"materials,omitempty"`
	Organ         string     `json:"organ"`
	OwnInitiative bool       `json:"own_initiative,omitempty"`
}

// Validate returns every problem of the intake.
func (in MediationIntake) Validate() ssra.Problems {
	var ps ssra.Problems
	if in.Ref != "" {
		ps = append(ps, CheckReference("ref", in.Ref)...)
	}
	if in.Organ == "" {
		ps.Add("dispute.organ_missing", "organ", "mediating body is missing")
	}
	if strings.TrimSpace(in.Summary) == "" {
		ps.Add("dispute.summary_missing", "summary", "facts and issues are missing")
	}
	if _, err := in.Channel.MarshalText(); err != nil {
		ps.Add("dispute.channel_invalid", "channel", "%s", ssra.Reason(err))
	}
	if len(in.Parties) < 2 {
		ps.Add("dispute.parties_missing", "parties", "a dispute has at least two parties, got %d", len(in.Parties))
	}
	for i, p := range in.Parties {
		if p.Name == "" {
			ps.Add("dispute.name_missing", ssra.JoinPath(ssra.Index("parties", i), "name"), "name is missing")
		}
	}
	for i, m := range in.Materials {
		if m.Title == "" {
			ps.Add("dispute.material_title_missing", ssra.JoinPath(ssra.Index("materials", i), "title"), "material title is missing")
		}
	}
	return ps
}

// Agreement is a mediation agreement (调解协议). A written agreement takes
// effect when every party has signed it and the committee has sealed it; an
// oral agreement when it is reached, with its content recorded.
type Agreement struct {
	Form      AgreementForm `json:"form"`
	Terms     string        `json:"terms"`
	PerformBy ssra.Date     `json:"perform_by"`
	Signed    bool          `json:"signed"`
	Sealed    bool          `json:"sealed"`
	Effective ssra.Date     `json:"effective"`
}

// Termination records why a mediation ended without agreement and the other
// routes the parties were told about (arbitration, administrative and
// judicial routes, 人民调解法 Art 26).
type Termination struct {
	ByParty bool     `json:"by_party"`
	Reason  string   `json:"reason"`
	Routes  []string `json:"routes"`
}

// Confirmation is the judicial confirmation (司法确认) of an agreement.
type Confirmation struct {
	Court     string     `json:"court"`
	Filed     ssra.Date  `json:"filed"`
	Extension *Extension `json:"extension,omitempty"`
	Decided   ssra.Date  `json:"decided,omitzero"`
	Confirmed bool       `json:"confirmed"`
	Grounds   string     `json:"grounds,omitempty"`
}

// Handover records the hand-over of a dispute between mediation channels.
type Handover struct {
	At     time.Time        `json:"at"`
	From   MediationChannel `json:"from"`
	To     MediationChannel `json:"to"`
	Reason string           `json:"reason"`
}

// EscalationReport records that a dispute that may turn into a public-order
// or criminal case was reported (人民调解法 Art 25): when, to whom and why. It
// names no person.
type EscalationReport struct {
	At     time.Time `json:"at"`
	To     string    `json:"to"`
	Reason string    `json:"reason"`
	By     string    `json:"by"`
}

// Dispute is a dispute in mediation (矛盾纠纷排查调处) and its workflow:
// intake (refused if a party declines) → assigned → mediating (parties may
// end it) → agreement | terminated → performing → confirmation requested
// (within 30 days of the agreement) → confirmed | refused, with hand-over
// between channels and an escalation flag. The mediator is the record's
// Officer. Parties have the same confidentiality as complainants.
type Dispute struct {
	Record
	Status       DisputeStatus      `json:"status"`
	Channel      MediationChannel   `json:"channel"`
	Category     string             `json:"category"`
	Summary      string             `json:"summary"`
	Parties      []Person           `json:"parties"`
	Materials    []Material         `json:"materials,omitempty"`
	Mode         *MediationMode     `json:"mode,omitempty"`
	Agreement    *Agreement         `json:"agreement,omitempty"`
	Performed    ssra.Date          `json:"performed,omitzero"`
	Termination  *Termination       `json:"termination,omitempty"`
	Confirmation *Confirmation      `json:"confirmation,omitempty"`
	Handovers    []Handover         `json:"handovers,omitempty"`
	Escalations  []EscalationReport `json:"escalations,omitempty"`
	Ratings      []RatingRecord     `json:"ratings,omitempty"`
}

// NewDispute registers a dispute at now by the actor under the mediation
// deadline profile and calendar. It returns the case and the parties' query
// code; missing identifiers are drawn from rnd. It fails with KindInvalid
// listing every problem of the intake.
func NewDispute(in MediationIntake, p *Profile, cal ssra.Calendar, rnd io.Reader, now time.Time, by Participant) (*Dispute, string, error) {
	const op = "stability.NewDispute"
	rec, code, err := openCase(op, "dispute", "TJ", in.Validate(), p, cal, rnd, now, by, in.Organ, in.Ref, in.QueryCode)
	if err != nil {
		return nil, "", err
	}
	d := &Dispute{
		Record: rec,
		Status: DisputeIntake, Channel: in.Channel, Category: in.Category, Summary: in.Summary,
		Parties: in.Parties, Materials: in.Materials,
	}
	note := "application by a party"
	if in.OwnInitiative {
		note = "own initiative"
	}
	if err := d.record(now, EventIntake, by, DisputeIntake.String(), note); err != nil {
		return nil, "", err
	}
	return d, code, nil
}

func (d *Dispute) begin(op string, now time.Time, by Participant, allowed ...DisputeStatus) error {
	names := make([]string, len(allowed))
	for i, s := range allowed {
		names[i] = s.String()
	}
	return d.Record.begin(op, now, by, d.Status.String(), names...)
}

func (d *Dispute) move(now time.Time, kind EventKind, by Participant, to DisputeStatus, note string) error {
	d.Status = to
	return d.record(now, kind, by, to.String(), note)
}

// Decline records that a party refuses mediation (人民调解法 Art 17): it does
// not start, or stops; the parties keep their other routes.
func (d *Dispute) Decline(now time.Time, by Participant, party int, reason string) error {
	const op = "stability.Dispute.Decline"
	if err := d.begin(op, now, by, DisputeIntake, DisputeAssigned, DisputeMediating); err != nil {
		return err
	}
	if party < 0 || party >= len(d.Parties) {
		return invalid(op, "dispute.party_unknown", "party", "no party %d", party)
	}
	if err := d.move(now, EventDeclined, by, DisputeDeclined, reason); err != nil {
		return err
	}
	d.settle(ssra.DateOf(now), EventDeclined)
	return nil
}

// Assign designates the mediator (or records the parties' choice) and the
// mode that decides the time limit. It fails with KindForbidden when the
// mediator has recused themselves.
func (d *Dispute) Assign(now time.Time, by, mediator Participant, mode MediationMode) error {
	const op = "stability.Dispute.Assign"
	if err := d.begin(op, now, by, DisputeIntake); err != nil {
		return err
	}
	if _, err := mode.MarshalText(); err != nil {
		return invalid(op, "dispute.mode_invalid", "mode", "%s", ssra.Reason(err))
	}
	if err := d.assignOfficer(op, now, by, mediator, d.Status.String()); err != nil {
		return err
	}
	m := mode
	d.Mode = &m
	d.Status = DisputeAssigned
	d.Events[len(d.Events)-1].Kind = EventMediatorAssigned
	d.Events[len(d.Events)-1].Status = DisputeAssigned.String()
	return nil
}

var modeEvents = [...]EventKind{
	ModeStandard:            EventMediationStarted,
	ModeDelegated:           EventDelegatedMediationStarted,
	ModeEntrusted:           EventEntrustedMediationStarted,
	ModeEntrustedSimplified: EventEntrustedSimplifiedStarted,
}

// Start begins the mediation and its time limit (one month for people's
// mediation, 30, 15 or 7 days for court-linked mediation). The mediator
// first explains the parties' rights, the effect of an agreement and
// judicial confirmation.
func (d *Dispute) Start(now time.Time, by Participant) error {
	const op = "stability.Dispute.Start"
	if err := d.begin(op, now, by, DisputeAssigned); err != nil {
		return err
	}
	if d.Mode == nil || int(*d.Mode) >= len(modeEvents) {
		return conflict(op, "dispute.mode_missing", "mode", "the mediation mode is not set")
	}
	return d.move(now, modeEvents[*d.Mode], by, DisputeMediating, "parties informed of their rights")
}

// Pause enters a stop-the-clock period (for example an appraisal, 鉴定) and
// recounts the open pausable deadlines.
func (d *Dispute) Pause(now time.Time, by Participant, p Pause) error {
	const op = "stability.Dispute.Pause"
	if err := d.begin(op, now, by); err != nil {
		return err
	}
	if err := d.addPause(op, p, d.extensions); err != nil {
		return err
	}
	return d.record(now, EventPaused, by, d.Status.String(), p.Reason)
}

func (d *Dispute) extensions(id string) []Extension {
	if id == "confirmation_decide" && d.Confirmation != nil && d.Confirmation.Extension != nil {
		return []Extension{*d.Confirmation.Extension}
	}
	return nil
}

func checkRoutes(op string, reason string, routes []string) error {
	var ps ssra.Problems
	if strings.TrimSpace(reason) == "" {
		ps.Add("dispute.reason_missing", "reason", "the reason is missing")
	}
	if len(routes) == 0 {
		ps.Add("dispute.routes_missing", "routes", "the parties are told their other routes (arbitration, administrative, judicial)")
	}
	return ps.Err(op)
}

// EndByParty records that a party ends the mediation, as is their right
// (人民调解法 Art 23); the parties are told their other routes.
func (d *Dispute) EndByParty(now time.Time, by Participant, reason string, routes []string) error {
	const op = "stability.Dispute.EndByParty"
	if err := d.begin(op, now, by, DisputeMediating); err != nil {
		return err
	}
	if err := checkRoutes(op, reason, routes); err != nil {
		return err
	}
	d.Termination = &Termination{ByParty: true, Reason: reason, Routes: routes}
	if err := d.move(now, EventEndedByParty, by, DisputeTerminated, reason); err != nil {
		return err
	}
	d.settle(ssra.DateOf(now), EventEndedByParty)
	return nil
}

// Terminate ends a mediation that failed or ran out of time, the parties
// told their other routes (人民调解法 Art 26).
func (d *Dispute) Terminate(now time.Time, by Participant, reason string, routes []string) error {
	const op = "stability.Dispute.Terminate"
	if err := d.begin(op, now, by, DisputeMediating); err != nil {
		return err
	}
	if err := checkRoutes(op, reason, routes); err != nil {
		return err
	}
	d.Termination = &Termination{Reason: reason, Routes: routes}
	if err := d.move(now, EventTerminated, by, DisputeTerminated, reason); err != nil {
		return err
	}
	d.settle(ssra.DateOf(now), EventTerminated)
	return nil
}

// Agree records the agreement, effective on now's date, and opens the
// window for a joint application for judicial confirmation. A written
// agreement must be signed by the parties and sealed; an oral one needs its
// content recorded.
func (d *Dispute) Agree(now time.Time, by Participant, a Agreement) error {
	const op = "stability.Dispute.Agree"
	if err := d.begin(op, now, by, DisputeMediating); err != nil {
		return err
	}
	var ps ssra.Problems
	if _, err := a.Form.MarshalText(); err != nil {
		ps.Add("dispute.agreement_form_invalid", "agreement.form", "%s", ssra.Reason(err))
	}
	if strings.TrimSpace(a.Terms) == "" {
		ps.Add("dispute.terms_missing", "agreement.terms", "the terms (or the recorded content of an oral agreement) are missing")
	}
	if a.Form == AgreementWritten && (!a.Signed || !a.Sealed) {
		ps.Add("dispute.agreement_not_effective", "agreement", "a written agreement takes effect when the parties sign and the committee seals it")
	}
	if err := ps.Err(op); err != nil {
		return err
	}
	a.Effective = ssra.DateOf(now)
	d.Agreement = &a
	return d.move(now, EventAgreementEffective, by, DisputeAgreement, a.Form.String()+" agreement")
}

// StartPerformance records that performance of the agreement began under
// the committee's supervision.
func (d *Dispute) StartPerformance(now time.Time, by Participant) error {
	const op = "stability.Dispute.StartPerformance"
	if err := d.begin(op, now, by, DisputeAgreement); err != nil {
		return err
	}
	return d.move(now, EventPerformanceStarted, by, DisputePerforming, "")
}

// MarkPerformed records that the agreement was fully performed; the status
// does not change.
func (d *Dispute) MarkPerformed(now time.Time, by Participant) error {
	const op = "stability.Dispute.MarkPerformed"
	if err := d.begin(op, now, by, DisputePerforming, DisputeConfirmationRequested, DisputeConfirmed); err != nil {
		return err
	}
	if !d.Performed.IsZero() {
		return conflict(op, "dispute.already_performed", "performed", "performance was recorded on %s", d.Performed)
	}
	d.Performed = ssra.DateOf(now)
	return d.record(now, EventPerformed, by, d.Status.String(), "")
}

// RequestConfirmation records the parties' joint application for judicial
// confirmation to the court, within 30 days of the agreement taking effect.
// It fails with KindInvalid when the application is not joint and with
// KindConflict after the window.
func (d *Dispute) RequestConfirmation(now time.Time, by Participant, court string, joint bool) error {
	const op = "stability.Dispute.RequestConfirmation"
	if err := d.begin(op, now, by, DisputeAgreement, DisputePerforming); err != nil {
		return err
	}
	var ps ssra.Problems
	if !joint {
		ps.Add("dispute.confirmation_not_joint", "joint", "both parties apply jointly (人民调解法 Art 33)")
	}
	if court == "" {
		ps.Add("dispute.court_missing", "court", "the court is missing")
	}
	if err := ps.Err(op); err != nil {
		return err
	}
	w := d.openDeadline("confirmation_apply")
	if w == nil || ssra.DateOf(now).After(w.Due) {
		due := ""
		if w != nil {
			due = w.Due.String()
		}
		return conflict(op, "dispute.confirmation_window_passed", "now", "the application window closed %s", due)
	}
	d.Confirmation = &Confirmation{Court: court, Filed: ssra.DateOf(now)}
	return d.move(now, EventConfirmationFiled, by, DisputeConfirmationRequested, court)
}

// ExtendConfirmation records the court president's approval of the longer
// decision period (+10 days, once).
func (d *Dispute) ExtendConfirmation(now time.Time, by Participant, reason string) error {
	const op = "stability.Dispute.ExtendConfirmation"
	if err := d.begin(op, now, by, DisputeConfirmationRequested); err != nil {
		return err
	}
	if err := requireRole(op, by, RoleHead); err != nil {
		return err
	}
	if d.Confirmation == nil {
		return conflict(op, "dispute.confirmation_missing", "confirmation", "no confirmation record")
	}
	if d.Confirmation.Extension != nil {
		return conflict(op, "dispute.extension_used", "extension", "the decision period was already extended")
	}
	w := d.openDeadline("confirmation_decide")
	if w == nil {
		return conflict(op, "dispute.nothing_to_extend", "status", "no open decision period")
	}
	rule, _ := d.profile.Rule("confirmation_decide")
	if rule.Extension == nil {
		return conflict(op, "dispute.nothing_to_extend", "status", "the profile allows no extension")
	}
	if ssra.DateOf(now).After(w.Due) {
		return conflict(op, "dispute.extension_after_deadline", "now", "the decision period ended on %s", w.Due)
	}
	ext := Extension{Days: rule.Extension.MaxDays, Reason: reason, Approved: ssra.DateOf(now)}
	if err := d.recompute(w, []Extension{ext}); err != nil {
		return err
	}
	d.Confirmation.Extension = &ext
	return d.record(now, EventExtended, by, d.Status.String(), reason)
}

// Confirm records the court's confirmation of the agreement.
func (d *Dispute) Confirm(now time.Time, by Participant) error {
	const op = "stability.Dispute.Confirm"
	if err := d.begin(op, now, by, DisputeConfirmationRequested); err != nil {
		return err
	}
	if d.Confirmation == nil {
		return conflict(op, "dispute.confirmation_missing", "confirmation", "no confirmation record")
	}
	d.Confirmation.Decided, d.Confirmation.Confirmed = ssra.DateOf(now), true
	return d.move(now, EventConfirmed, by, DisputeConfirmed, d.Confirmation.Court)
}

// RefuseConfirmation records the court's refusal with its grounds; the
// parties may mediate again or sue.
func (d *Dispute) RefuseConfirmation(now time.Time, by Participant, grounds string) error {
	const op = "stability.Dispute.RefuseConfirmation"
	if err := d.begin(op, now, by, DisputeConfirmationRequested); err != nil {
		return err
	}
	if d.Confirmation == nil {
		return conflict(op, "dispute.confirmation_missing", "confirmation", "no confirmation record")
	}
	if strings.TrimSpace(grounds) == "" {
		return invalid(op, "dispute.grounds_missing", "grounds", "a refusal states its grounds")
	}
	d.Confirmation.Decided, d.Confirmation.Grounds = ssra.DateOf(now), grounds
	if err := d.move(now, EventConfirmationRefused, by, DisputeRefused, grounds); err != nil {
		return err
	}
	d.settle(ssra.DateOf(now), EventConfirmationRefused)
	return nil
}

// HandOver passes the dispute to another channel (people's, administrative,
// judicial mediation or petition guidance, 三调联动); it returns to intake
// there, and any running mediation limit ends.
func (d *Dispute) HandOver(now time.Time, by Participant, to MediationChannel, organ, reason string) error {
	const op = "stability.Dispute.HandOver"
	if err := d.begin(op, now, by, DisputeIntake, DisputeAssigned, DisputeMediating, DisputeTerminated); err != nil {
		return err
	}
	if _, err := to.MarshalText(); err != nil {
		return invalid(op, "dispute.channel_invalid", "to", "%s", ssra.Reason(err))
	}
	if to == d.Channel || organ == "" || reason == "" {
		return invalid(op, "dispute.handover_invalid", "to", "hand over to another channel, naming the receiving body and the reason")
	}
	d.Handovers = append(d.Handovers, Handover{At: now, From: d.Channel, To: to, Reason: reason})
	d.Channel, d.Organ, d.Mode, d.Officer, d.Termination = to, organ, nil, nil, nil
	d.endLeader(ssra.DateOf(now), "handed over to "+organ)
	if err := d.move(now, EventHandedOver, by, DisputeIntake, "to "+to.String()+": "+organ); err != nil {
		return err
	}
	d.settle(ssra.DateOf(now), EventHandedOver)
	return nil
}

// ReportEscalation sets the escalation flag: the dispute may turn into a
// public-order or criminal case and was reported (人民调解法 Art 25). It
// records when, to whom and why, and no person.
func (d *Dispute) ReportEscalation(now time.Time, by Participant, to, reason string) error {
	const op = "stability.Dispute.ReportEscalation"
	if err := d.begin(op, now, by); err != nil {
		return err
	}
	if to == "" || strings.TrimSpace(reason) == "" {
		return invalid(op, "dispute.escalation_invalid", "to", "an escalation report names to whom and why")
	}
	d.Escalations = append(d.Escalations, EscalationReport{At: now, To: to, Reason: reason, By: by.Unit})
	return d.record(now, EventEscalated, by, d.Status.String(), "reported to "+to)
}

// Flagged reports whether an escalation report was made.
func (d *Dispute) Flagged() bool { return len(d.Escalations) > 0 }

// EscalationFlag is the export of an escalation report: the case reference,
// the category, when, to whom and why. It carries no person.
type EscalationFlag struct {
	Ref      string    `json:"ref"`
	Category string    `json:"category"`
	At       time.Time `json:"at"`
	To       string    `json:"to"`
	Reason   string    `json:"reason"`
}

// EscalationFlags exports the escalation reports of the disputes, without
// parties, summaries or materials.
func EscalationFlags(ds []*Dispute) []EscalationFlag {
	var out []EscalationFlag
	for _, d := range ds {
		for _, e := range d.Escalations {
			out = append(out, EscalationFlag{Ref: d.Ref, Category: d.Category, At: e.At, To: e.To, Reason: e.Reason})
		}
	}
	return out
}

// Recuse records that staff with an interest stands aside (回避); as for a
// complaint, only the staff member themselves or the head may record it.
func (d *Dispute) Recuse(now time.Time, by, staff Participant, reason string) error {
	return d.recuse("stability.Dispute.Recuse", now, by, staff, reason, d.Status.String())
}

// EndRecusal is the head's undoing of staff's recusal, with the reason, as
// Complaint.EndRecusal.
func (d *Dispute) EndRecusal(now time.Time, by, staff Participant, reason string) error {
	return d.endRecusal("stability.Dispute.EndRecusal", now, by, staff, reason, d.Status.String())
}

// Rate records a party's rating of the handling, given with the query code
// after an agreement or termination; as for a complaint, the case holds
// one rating, replaceable within the profile's window.
func (d *Dispute) Rate(now time.Time, code string, r Rating) error {
	const op = "stability.Dispute.Rate"
	if !d.VerifyQueryCode(code) {
		return ssra.Errorf(ssra.KindNotFound, op, "no case with this reference and query code")
	}
	party := Participant{ID: "party", Role: RoleParty}
	if err := d.begin(op, now, party); err != nil {
		return err
	}
	if d.Agreement == nil && d.Termination == nil {
		return conflict(op, "dispute.nothing_to_rate", "status", "the handling can be rated after an agreement or termination")
	}
	if _, err := r.MarshalText(); err != nil {
		return invalid(op, "dispute.rating_invalid", "rating", "%s", ssra.Reason(err))
	}
	if err := d.rate(op, &d.Ratings, now, r); err != nil {
		return err
	}
	return d.record(now, EventRated, party, d.Status.String(), r.String())
}

// PublicStatus returns the parties' status check: status and deadlines only.
func (d *Dispute) PublicStatus(code string) (PublicView, error) {
	if !d.VerifyQueryCode(code) {
		return PublicView{}, ssra.Errorf(ssra.KindNotFound, "stability.Dispute.PublicStatus", "no case with this reference and query code")
	}
	return publicView(&d.Record, d.Status.String(), disputeStatuses.Labels(d.Status)), nil
}

// Redact returns the dispute as the viewer may see it: the handling body
// sees everything; a party sees the case without staff recusals; staff
// without need-to-know and any outside unit see no party, summary, material,
// agreement terms, reasons or notes. As for a complaint, the handling
// body's and a party's views are shallow copies that share nested values
// with d (treat them as read-only); the others share no memory with d.
func (d *Dispute) Redact(v Viewer) Redacted[Dispute] {
	role := d.Record.restrict(v, v.effective(d.Organ, ""))
	var cp Dispute
	if role == ViewHandler || role == ViewComplainant {
		// These views leave out top-level fields only: a shallow copy
		// (see Redact's comment).
		cp = *d
	} else {
		b, err := json.Marshal(d)
		if err == nil {
			err = json.Unmarshal(b, &cp)
		}
		if err != nil {
			return Redacted[Dispute]{View: role, Case: Dispute{Record: Record{Ref: d.Ref}, Status: d.Status}}
		}
		cp.profile, cp.cal, cp.next = d.profile, d.cal, d.next
	}
	var removed []string
	switch role {
	case ViewHandler:
		// As for a complaint: the query code's digest never leaves the server.
		cp.QueryHash = ""
		removed = append(removed, "query_hash")
	case ViewComplainant:
		cp.Recused, cp.QueryHash = nil, ""
		removed = append(removed, "recused", "query_hash")
	default:
		cp.Parties, cp.Summary, cp.Materials, cp.Ratings = nil, "", nil, nil
		if cp.Agreement != nil {
			cp.Agreement.Terms = ""
		}
		if cp.Termination != nil {
			cp.Termination.Reason = ""
		}
		if cp.Confirmation != nil {
			cp.Confirmation.Grounds = ""
		}
		for i := range cp.Escalations {
			cp.Escalations[i].Reason = ""
		}
		for i := range cp.Handovers {
			cp.Handovers[i].Reason = ""
		}
		removed = append(removed, "parties", "summary", "materials", "ratings", "agreement.terms", "termination.reason",
			"confirmation.grounds", "escalations[].reason", "handovers[].reason")
		removed = append(removed, scrubRecord(&cp.Record)...)
	}
	return Redacted[Dispute]{View: role, Case: cp, Removed: removed}
}

// scrubRecord removes from a record what only need-to-know may see.
func scrubRecord(r *Record) []string {
	r.QueryHash, r.Recused = "", nil
	for i := range r.Pauses {
		r.Pauses[i].Reason = ""
	}
	for i := range r.Events {
		r.Events[i].Note = ""
		if k := r.Events[i].By.Role; k == RoleComplainant || k == RoleParty {
			r.Events[i].By = Participant{ID: k.String(), Role: k}
		}
	}
	removed := []string{"query_hash", "recused", "pauses[].reason", "events[].note"}
	if len(r.Leaders) > 0 {
		for i := range r.Leaders {
			r.Leaders[i].Reason, r.Leaders[i].EndReason = "", ""
		}
		removed = append(removed, "leaders[].reason", "leaders[].end_reason")
	}
	return removed
}

// DecodeDispute decodes a dispute strictly, checks its shape and binds it to
// the profile and calendar.
func DecodeDispute(b []byte, p *Profile, cal ssra.Calendar) (*Dispute, error) {
	return DecodeDisputeWith(b, func(string) (*Profile, error) { return p, nil }, cal)
}

// DecodeDisputeWith is DecodeDispute binding the dispute to the profile
// that profileOf returns for the profile name it records (see
// DecodeComplaintWith).
func DecodeDisputeWith(b []byte, profileOf func(name string) (*Profile, error), cal ssra.Calendar) (*Dispute, error) {
	const op = "stability.DecodeDispute"
	var d Dispute
	if err := strictjson.Decode(b, &d, op); err != nil {
		return nil, err
	}
	ps := d.Record.check()
	requireSet(&ps, &d)
	if d.Status == DisputeMediating && d.Mode == nil {
		ps.Add("dispute.mode_missing", "mode", "a mediation in progress has a mode")
	}
	if s := d.Status; (s == DisputeConfirmationRequested || s == DisputeConfirmed || s == DisputeRefused) && d.Confirmation == nil {
		ps.Add("dispute.confirmation_missing", "confirmation", "status %s needs the confirmation record", s)
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	p, err := profileOf(d.Profile)
	if err != nil {
		return nil, err
	}
	if err := d.Bind(p, cal); err != nil {
		return nil, err
	}
	return &d, nil
}
