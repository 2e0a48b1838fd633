package stability

import (
	"encoding/json"
	"slices"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// Viewer is who looks at a case: their relation to it, their unit, and
// who they are. A viewer who claims to be the handler or sender but whose
// unit is not the case's is treated as staff without need-to-know; one the
// matter is about (by identifier, or by a name matching its free-text
// subject) sees the subject's view whatever they claim; a member of staff
// who stood aside (回避) sees no personal data.
type Viewer struct {
	Role ViewerRole `json:"role"`
	// Unit is the identifier of the viewer's organisation.
	Unit string `json:"unit,omitempty"`
	// UnitName is the name of the viewer's organisation.
	UnitName string `json:"unit_name,omitempty"`
	// User is the viewer's user identifier.
	User string `json:"user,omitempty"`
	// Name is the viewer's name.
	Name string `json:"name,omitempty"`
}

// effective returns the role the viewer really has on a case held by organ
// and sent by sender.
func (v Viewer) effective(organ, sender string) ViewerRole {
	switch v.Role {
	case ViewHandler:
		if v.Unit == "" || v.Unit != organ {
			return ViewStaff
		}
	case ViewSender:
		if v.Unit == "" || v.Unit != sender {
			return ViewStaff
		}
	case ViewComplainant, ViewSubject, ViewStaff:
	default:
		return ViewSubject
	}
	return v.Role
}

// restrict lowers the role of a viewer who stood aside from the case (回避)
// to staff without need-to-know.
func (r *Record) restrict(v Viewer, role ViewerRole) ViewerRole {
	if v.User != "" && r.isRecused(v.User) && (role == ViewHandler || role == ViewSender) {
		return ViewStaff
	}
	return role
}

// Redacted is a case as a viewer may see it, with the list of field paths
// removed from it.
type Redacted[T any] struct {
	View    ViewerRole `json:"view"`
	Case    T          `json:"case"`
	Removed []string   `json:"removed"`
}

// Redact returns the complaint as the viewer may see it (保密). The handler
// and the sender see everything but the query code's digest, unless they
// stood aside or the matter is about them. The person or unit complained
// about never sees who complained, the representatives, the facts and request they
// submitted, any material, the opinions' texts, ratings or notes. Staff
// without need-to-know see no personal data, no marked material and no
// title or digest of an unmarked one. The
// complainant sees their own case, without staff recusals.
//
// The views that remove something inside the case (staff, the person
// complained about) share no memory with c. The handler's, the sender's
// and the complainant's views only leave out top-level fields: they are a
// shallow copy that shares the nested values (slices, pointers) with c, so
// treat them as read-only (a deep copy through JSON cost as much as a
// tenth of a case write's CPU, on every write).
func (c *Complaint) Redact(v Viewer) Redacted[Complaint] {
	role := c.Record.restrict(v, v.effective(c.Organ, c.Sender))
	if c.Matter.names(v) {
		role = ViewSubject
	}
	var cp Complaint
	switch role {
	case ViewHandler, ViewSender, ViewComplainant:
		cp = *c
	default:
		cp = c.clone()
	}
	var removed []string
	switch role {
	case ViewHandler, ViewSender:
		// The digest of the query code lets whoever holds it test codes
		// offline: it never leaves the server, whoever looks.
		cp.QueryHash = ""
		removed = append(removed, "query_hash")
	case ViewComplainant:
		cp.Recused, cp.QueryHash = nil, ""
		removed = append(removed, "recused", "query_hash")
	case ViewStaff, ViewSubject:
		cp.Complainants, cp.Representatives, cp.Ratings = nil, nil, nil
		cp.Matter.Facts, cp.Matter.Request, cp.MatterKey = "", "", ""
		removed = append(removed, "complainants", "representatives", "ratings", "matter.facts", "matter.request", "matter_key")
		if role == ViewSubject {
			cp.Materials = nil
			removed = append(removed, "materials")
		} else {
			// Staff see that an unmarked material exists, not what it is:
			// a title ("id card copy of …") is personal data too.
			cp.Materials = slices.DeleteFunc(cp.Materials, func(m Material) bool { return m.Marked })
			for i := range cp.Materials {
				cp.Materials[i].Title, cp.Materials[i].Digest = "", ""
			}
			removed = append(removed, "materials[marked]", "materials[].title", "materials[].digest")
		}
		for _, a := range []*Opinion{cp.Handling, cp.Review, cp.Rereview} {
			if a != nil {
				a.Text = ""
			}
		}
		if cp.Extension != nil {
			cp.Extension.Reason = ""
		}
		for i := range cp.Marks {
			cp.Marks[i].Reason = ""
		}
		if cp.Diversion != nil {
			cp.Diversion.Note = ""
		}
		removed = append(removed, "handling.text", "review.text", "rereview.text", "extension.reason", "marks[].reason", "diversion.note")
		removed = append(removed, scrubRecord(&cp.Record)...)
	}
	return Redacted[Complaint]{View: role, Case: cp, Removed: removed}
}

// clone returns a deep copy through JSON, which carries every exported
// field; the bound profile and calendar are copied as they are.
func (c *Complaint) clone() Complaint {
	b, err := json.Marshal(c)
	var out Complaint
	if err == nil {
		err = json.Unmarshal(b, &out)
	}
	if err != nil {
		// Every field of a Complaint marshals; an error here is a bug. Return
		// an empty case rather than leak the original.
		return Complaint{Record: Record{Ref: c.Ref}, Status: c.Status}
	}
	out.profile, out.cal, out.next = c.profile, c.cal, c.next
	return out
}

// PublicDeadline is a deadline as the complainant's status check shows it.
type PublicDeadline struct {
	Rule   string         `json:"rule"`
	Label  ssra.Label     `json:"label"`
	Basis  ssra.Label     `json:"basis"`
	Due    ssra.Date      `json:"due"`
	Status DeadlineStatus `json:"status"`
}

// PublicView is the complainant's status check (查询): the reference, the
// status and the deadlines only.
type PublicView struct {
	Ref         string           `json:"ref"`
	Status      string           `json:"status"`
	StatusLabel ssra.Label       `json:"status_label"`
	Updated     ssra.Date        `json:"updated"`
	Deadlines   []PublicDeadline `json:"deadlines"`
	// ResponsibleBody is the organisation whose leader is responsible for
	// the case (包案单位), when one is; never the leader.
	ResponsibleBody string `json:"responsible_body,omitempty"`
}

func publicView(r *Record, status string, label ssra.Label) PublicView {
	v := PublicView{Ref: r.Ref, Status: status, StatusLabel: label, Deadlines: []PublicDeadline{}}
	if n := len(r.Events); n > 0 {
		v.Updated = ssra.DateOf(r.Events[n-1].At)
	}
	if cur, ok := r.Responsible(); ok {
		v.ResponsibleBody = cur.Leader.Org
	}
	for _, d := range r.Deadlines {
		v.Deadlines = append(v.Deadlines, PublicDeadline{Rule: d.Rule, Label: d.Label, Basis: d.Basis, Due: d.Due, Status: d.Status})
	}
	return v
}

// PublicStatus returns the status check for the holder of the query code.
// A wrong code fails with KindNotFound, so that the answer does not tell
// whether the reference exists.
func (c *Complaint) PublicStatus(code string) (PublicView, error) {
	if !c.VerifyQueryCode(code) {
		return PublicView{}, ssra.Errorf(ssra.KindNotFound, "stability.Complaint.PublicStatus", "no case with this reference and query code")
	}
	return publicView(&c.Record, c.Status.String(), statuses.Labels(c.Status)), nil
}

// DecodeComplaint decodes a complaint strictly (unknown fields, unknown enum
// names and trailing data are refused), checks its shape and binds it to the
// profile and calendar.
func DecodeComplaint(b []byte, p *Profile, cal ssra.Calendar) (*Complaint, error) {
	return DecodeComplaintWith(b, func(string) (*Profile, error) { return p, nil }, cal)
}

// DecodeComplaintWith is DecodeComplaint for a caller that holds several
// deadline profiles: the case is decoded once and bound to the profile
// that profileOf returns for the profile name the case records (an error
// from profileOf is returned as it is).
func DecodeComplaintWith(b []byte, profileOf func(name string) (*Profile, error), cal ssra.Calendar) (*Complaint, error) {
	const op = "stability.DecodeComplaint"
	var c Complaint
	if err := strictjson.Decode(b, &c, op); err != nil {
		return nil, err
	}
	ps := c.Record.check()
	requireSet(&ps, &c)
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	p, err := profileOf(c.Profile)
	if err != nil {
		return nil, err
	}
	if err := c.Bind(p, cal); err != nil {
		return nil, err
	}
	return &c, nil
}

// requireSet adds a problem at every closed-set member of a decoded case
// that is unset: a member left out of the case's JSON (an event's kind, a
// deadline's status, a handover's mode, a rating…) decodes as the zero,
// which nothing can act on nor write back. Members the case may leave out
// (omitempty) are not asked for.
func requireSet(ps *ssra.Problems, v any) {
	for _, field := range strictjson.Unset(v) {
		ps.Add("case.field_unset", field, "%s names one of its members", field)
	}
}

// check validates the shape of a decoded record.
func (r *Record) check() ssra.Problems {
	var ps ssra.Problems
	if r.Ref == "" {
		ps.Add("case.ref_missing", "ref", "reference number is missing")
	}
	if len(r.Events) == 0 {
		ps.Add("case.events_missing", "events", "a case has at least its registration event")
	}
	for i := 1; i < len(r.Events); i++ {
		if r.Events[i].At.Before(r.Events[i-1].At) {
			ps.Add("case.time_reversed", ssra.Index("events", i), "event is earlier than the one before")
		}
	}
	for i, d := range r.Deadlines {
		if d.Due.IsZero() || d.Start.IsZero() || d.Due.Before(d.Start) {
			ps.Add("case.deadline_invalid", ssra.Index("deadlines", i), "deadline needs start ≤ due")
		}
	}
	return ps
}
