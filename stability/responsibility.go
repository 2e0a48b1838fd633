package stability

import (
	"strings"
	"time"

	"github.com/ssra-go/ssra"
)

// CaseLeader is a leader of the handling organisation made responsible for a
// case (包案领导): a user of that organisation by identifier, the post they
// hold (职务) and, for the record, their name. Staff data: the public view
// of a case never shows it.
type CaseLeader struct {
	UserID string `json:"user_id"`
	Org    string `json:"org"`
	Post   string `json:"post"`
	Name   string `json:"name,omitempty"`
}

// Responsibility is one leader's responsibility for a case (包案责任): who,
// from when, assigned by whom and why, and, once ended, when and why. A
// case's responsibilities are its history; the current one has no end.
type Responsibility struct {
	Leader     CaseLeader `json:"leader"`
	Assigned   ssra.Date  `json:"assigned"`
	AssignedBy string     `json:"assigned_by"`
	Reason     string     `json:"reason,omitempty"`
	Ended      ssra.Date  `json:"ended,omitzero"`
	EndReason  string     `json:"end_reason,omitempty"`
}

// Responsible returns the current responsibility, if any.
func (r *Record) Responsible() (Responsibility, bool) {
	if n := len(r.Leaders); n > 0 && r.Leaders[n-1].Ended.IsZero() {
		return r.Leaders[n-1], true
	}
	return Responsibility{}, false
}

// endLeader ends the current responsibility, if any, on day with the reason.
func (r *Record) endLeader(day ssra.Date, reason string) bool {
	if n := len(r.Leaders); n > 0 && r.Leaders[n-1].Ended.IsZero() {
		r.Leaders[n-1].Ended, r.Leaders[n-1].EndReason = day, reason
		return true
	}
	return false
}

// assignLeader makes l responsible for the case. The head of the handling
// organisation assigns (by.Unit is the handling organ); the leader is a user of the handling organisation
// who has not stood aside; a change ends the previous responsibility.
func (r *Record) assignLeader(op string, now time.Time, by Participant, l CaseLeader, reason, status string, closed bool) error {
	if err := r.begin(op, now, by, status); err != nil {
		return err
	}
	if err := requireRole(op, by, RoleHead); err != nil {
		return err
	}
	if by.Unit != r.Organ {
		return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "the head of the handling organisation assigns the responsible leader",
			Problems: ssra.Problems{{Code: "case.not_handling_organ", Field: "by.unit", Message: "case " + r.Ref + " is handled by " + r.Organ}}}
	}
	if closed {
		return conflict(op, "case.transition_not_allowed", "status", "case %s is %s", r.Ref, status)
	}
	var ps ssra.Problems
	if l.UserID == "" {
		ps.Add("case.leader_missing", "leader.user_id", "name the leader by user id")
	}
	if strings.TrimSpace(l.Post) == "" {
		ps.Add("case.leader_post_missing", "leader.post", "state the leader's post")
	}
	if err := ps.Err(op); err != nil {
		return err
	}
	if l.Org != r.Organ {
		return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "the responsible leader is a user of the handling organisation",
			Problems: ssra.Problems{{Code: "case.leader_not_of_organ", Field: "leader.org", Message: "case " + r.Ref + " is handled by " + r.Organ}}}
	}
	if r.isRecused(l.UserID) {
		return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "leader has recused themselves from this case",
			Problems: ssra.Problems{{Code: "case.recused", Field: "leader.user_id", Message: l.UserID + " stood aside from case " + r.Ref}}}
	}
	if cur, ok := r.Responsible(); ok && cur.Leader.UserID == l.UserID {
		return conflict(op, "case.leader_unchanged", "leader.user_id", "%s is already responsible for case %s", l.UserID, r.Ref)
	}
	if len(r.Leaders) > 0 && strings.TrimSpace(reason) == "" {
		return invalid(op, "case.reason_missing", "reason", "a change of the responsible leader gives its reason")
	}
	day := ssra.DateOf(now)
	r.endLeader(day, "replaced: "+reason)
	r.Leaders = append(r.Leaders, Responsibility{Leader: l, Assigned: day, AssignedBy: by.ID, Reason: reason})
	return r.record(now, EventLeaderAssigned, by, status, "responsible leader: "+l.Post)
}

// releaseLeader ends the current responsibility with the reason. As with
// an assignment, the head of the handling organisation releases.
func (r *Record) releaseLeader(op string, now time.Time, by Participant, reason, status string) error {
	if err := r.begin(op, now, by, status); err != nil {
		return err
	}
	if err := requireRole(op, by, RoleHead); err != nil {
		return err
	}
	if by.Unit != r.Organ {
		return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "the head of the handling organisation releases the responsible leader",
			Problems: ssra.Problems{{Code: "case.not_handling_organ", Field: "by.unit", Message: "case " + r.Ref + " is handled by " + r.Organ}}}
	}
	if strings.TrimSpace(reason) == "" {
		return invalid(op, "case.reason_missing", "reason", "say why the responsibility ends")
	}
	if !r.endLeader(ssra.DateOf(now), reason) {
		return conflict(op, "case.no_leader", "leaders", "case %s has no responsible leader", r.Ref)
	}
	return r.record(now, EventLeaderReleased, by, status, reason)
}

// AssignLeader makes a leader of the handling organisation responsible for
// the complaint (领导包案), or changes the leader, ending the previous one's
// responsibility (kept as history). Only the head of the organisation
// assigns (KindForbidden otherwise); the leader must be a user of the
// handling organisation who has not stood aside and whom the matter is not
// about (KindForbidden); a change needs a reason (KindInvalid); naming the
// current leader again or acting on a closed case is KindConflict.
func (c *Complaint) AssignLeader(now time.Time, by Participant, l CaseLeader, reason string) error {
	const op = "stability.Complaint.AssignLeader"
	if err := c.notSubject(op, "by", by); err != nil {
		return err
	}
	if err := c.notSubject(op, "leader", Participant{ID: l.UserID, Name: l.Name}); err != nil {
		return err
	}
	return c.assignLeader(op, now, by, l, reason, c.Status.String(), c.terminal())
}

// ReleaseLeader ends the current leader's responsibility for the complaint,
// with the reason. Only the head of the handling organisation releases
// (KindForbidden otherwise); a missing reason is KindInvalid; it fails with
// KindConflict when there is no responsible leader.
func (c *Complaint) ReleaseLeader(now time.Time, by Participant, reason string) error {
	const op = "stability.Complaint.ReleaseLeader"
	if err := c.notSubject(op, "by", by); err != nil {
		return err
	}
	return c.releaseLeader(op, now, by, reason, c.Status.String())
}

// AssignLeader makes a leader of the handling organisation responsible for
// the dispute, as Complaint.AssignLeader does.
func (d *Dispute) AssignLeader(now time.Time, by Participant, l CaseLeader, reason string) error {
	return d.assignLeader("stability.Dispute.AssignLeader", now, by, l, reason, d.Status.String(), d.terminal())
}

// ReleaseLeader ends the current leader's responsibility for the dispute.
func (d *Dispute) ReleaseLeader(now time.Time, by Participant, reason string) error {
	return d.releaseLeader("stability.Dispute.ReleaseLeader", now, by, reason, d.Status.String())
}

// SuperviseBy sets the supervision mark (督办) naming the supervising body
// (督办单位) by identifier, with the reason. It fails with KindInvalid when
// the body or the reason is missing and KindConflict on a closed case.
func (c *Complaint) SuperviseBy(now time.Time, by Participant, body, reason string) error {
	const op = "stability.Complaint.SuperviseBy"
	if strings.TrimSpace(body) == "" {
		return invalid(op, "case.supervising_body_missing", "body", "name the supervising body")
	}
	if err := c.mark(op, now, by, EventSupervised, "", reason); err != nil {
		return err
	}
	c.Marks[len(c.Marks)-1].Body = body
	return nil
}

// ReceptionDay is a leader's reception day (领导接访/下访): the organisation
// that holds it, the leader (a user of it), when and where, and the cases
// received, by reference. It records no member of the public: a person
// received has their case, under its confidentiality rules.
type ReceptionDay struct {
	ID     string     `json:"id"`
	Organ  string     `json:"organ"`
	Leader CaseLeader `json:"leader"`
	At     time.Time  `json:"at"`
	Place  string     `json:"place"`
	Visit  bool       `json:"visit,omitempty"`
	Cases  []CaseLink `json:"cases,omitempty"`
	Note   string     `json:"note,omitempty"`
}

// Validate returns every problem of the reception day: the leader is a
// named user of the organ with a post, the time and place are given, and
// each case is linked once.
func (d ReceptionDay) Validate() ssra.Problems {
	var ps ssra.Problems
	if d.Organ == "" {
		ps.Add("reception.organ_missing", "organ", "the organisation holding the reception is missing")
	}
	if d.Leader.UserID == "" {
		ps.Add("reception.leader_missing", "leader.user_id", "name the leader by user id")
	} else if d.Leader.Org != d.Organ {
		ps.Add("reception.leader_not_of_organ", "leader.org", "the leader receiving is a user of %s", d.Organ)
	}
	if strings.TrimSpace(d.Leader.Post) == "" {
		ps.Add("reception.leader_post_missing", "leader.post", "state the leader's post")
	}
	if d.At.IsZero() {
		ps.Add("reception.time_missing", "at", "when the reception was held is missing")
	}
	if strings.TrimSpace(d.Place) == "" {
		ps.Add("reception.place_missing", "place", "where the reception was held is missing")
	}
	if carriesNumber(d.Note) {
		ps.Add("reception.personal_data", "note", "the note holds a long number (an identity or phone number?); a reception records cases, not people")
	}
	seen := map[CaseLink]bool{}
	for i, c := range d.Cases {
		f := ssra.Index("cases", i)
		ps = append(ps, c.check(f)...)
		if seen[c] {
			ps.Add("reception.case_duplicate", f, "case %s is listed twice", c.Ref)
		}
		seen[c] = true
	}
	return ps
}

// terminal reports whether the dispute has ended for good: declined, or its
// agreement confirmed or refused confirmation.
func (d *Dispute) terminal() bool {
	switch d.Status {
	case DisputeDeclined, DisputeConfirmed, DisputeRefused:
		return true
	}
	return false
}
