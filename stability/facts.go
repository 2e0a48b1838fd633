package stability

import (
	"fmt"
	"slices"

	"github.com/ssra-go/ssra"
)

// CaseKind says whether a case is a complaint or a dispute. The zero value
// is unset and refused where a kind is required.
type CaseKind uint8

// The case kinds.
const (
	// CaseComplaint is a letters-and-visits case (信访事项).
	CaseComplaint CaseKind = iota + 1
	// CaseDispute is a dispute in mediation (矛盾纠纷).
	CaseDispute
)

var caseKinds = ssra.NewEnum[CaseKind]("case kind",
	ssra.M("complaint", "信访事项", "complaint"),
	ssra.M("dispute", "矛盾纠纷", "dispute"),
)

// String returns the case kind's snake_case name.
func (k CaseKind) String() string { return caseKinds.String(k) }

// Valid reports whether k is a case kind.
func (k CaseKind) Valid() bool { return caseKinds.Valid(k) }

// Label returns the case kind's name for people in lang.
func (k CaseKind) Label(lang ssra.Lang) string { return caseKinds.Label(k, lang) }

// MarshalText encodes the case kind as its name and refuses an unset one.
func (k CaseKind) MarshalText() ([]byte, error) { return caseKinds.MarshalText(k) }

// UnmarshalText decodes a case kind name and rejects unknown text.
func (k *CaseKind) UnmarshalText(b []byte) error { return caseKinds.UnmarshalText(k, b) }

// DutyFact is one duty deadline of a case as the indicators read it: the
// profile and rule, the due date, its state and the date it closed. Windows
// (a party's time to act) are not duties and have no fact.
type DutyFact struct {
	Profile  string         `json:"profile"`
	Rule     string         `json:"rule"`
	Due      ssra.Date      `json:"due"`
	Status   DeadlineStatus `json:"status"`
	ClosedOn ssra.Date      `json:"closed_on,omitzero"`
}

// CaseFacts are the per-case facts every casework indicator is computed
// from: what kind of case, who holds it, when it was registered, by which
// channel and matter type, its state, whether and when its handling ended
// and within its limits, its duty deadlines, the public's rating and the
// mediation outcome. They carry nothing about a complainant or party: no
// name, no identifier, no count of filings (domain.md §4). A store keeps
// them beside the case, written in the same transaction, so that the
// indicators are sums over facts rather than scans of case bodies.
type CaseFacts struct {
	Ref        string    `json:"ref"`
	Kind       CaseKind  `json:"kind"`
	Organ      string    `json:"organ"`
	Registered ssra.Date `json:"registered"`
	// Channel is the complaint channel or the mediation channel.
	Channel string `json:"channel"`
	// MatterType is the complaint's matter type; empty for a dispute.
	MatterType string `json:"matter_type,omitempty"`
	// State is the workflow state's name.
	State string `json:"state"`
	// Handled is the date the handling ended (办结): a complaint's answer,
	// referral or diversion; a dispute's agreement, termination or refusal
	// of mediation. Zero while the case is in the backlog.
	Handled ssra.Date `json:"handled,omitzero"`
	// WithinLimit says that every duty closed by the handling date closed by
	// its due date (none late, none cancelled after it fell due).
	WithinLimit bool `json:"within_limit"`
	// HandlingDays is the number of working days from registration to the
	// handling date under the case's calendar; meaningful when Handled is set.
	HandlingDays int        `json:"handling_days"`
	Duties       []DutyFact `json:"duties"`
	// Rating is the public's rating of the handling, when given (the latest
	// one counts, as in SatisfactionOf).
	Rating *Rating `json:"rating,omitempty"`
	// Mediated, Agreement, Performed and Confirmed are a dispute's
	// mediation outcomes as MediationOutcomesOf counts them.
	Mediated  bool `json:"mediated"`
	Agreement bool `json:"agreement"`
	Performed bool `json:"performed"`
	Confirmed bool `json:"confirmed"`
}

// Month returns the registration month as YYYY-MM: the period a case is
// counted in.
func (f CaseFacts) Month() string { return MonthOf(f.Registered) }

// MonthOf returns the date's month as YYYY-MM.
func MonthOf(d ssra.Date) string {
	y, m, _ := d.Civil()
	return fmt.Sprintf("%04d-%02d", y, int(m))
}

// Facts returns the complaint's facts for the indicators. Working days are
// counted with the calendar the case is bound to.
func (c *Complaint) Facts() CaseFacts {
	f := c.Record.facts(CaseComplaint, []EventKind{EventAnswered, EventReferred, EventDiverted}, true, complaintHandled(c.Status))
	f.Channel, f.MatterType, f.State = c.Channel.String(), c.Matter.Type.String(), c.Status.String()
	f.Rating = latestRating(c.Ratings)
	return f
}

// Facts returns the dispute's facts for the indicators. Working days are
// counted with the calendar the case is bound to.
func (d *Dispute) Facts() CaseFacts {
	f := d.Record.facts(CaseDispute, []EventKind{EventDeclined, EventAgreementEffective, EventTerminated, EventEndedByParty}, false, disputeHandled(d.Status))
	f.Channel, f.State = d.Channel.String(), d.Status.String()
	f.Rating = latestRating(d.Ratings)
	o := MediationOutcomesOf([]*Dispute{d})
	f.Mediated, f.Agreement, f.Performed, f.Confirmed = o.Mediated > 0, o.Agreements > 0, o.Performed > 0, o.Confirmed > 0
	return f
}

func latestRating(rs []RatingRecord) *Rating {
	if len(rs) == 0 {
		return nil
	}
	r := rs[len(rs)-1].Rating
	return &r
}

func complaintHandled(s Status) bool {
	switch s {
	case StatusRegistered, StatusRouted, StatusAccepted, StatusInvestigating, StatusExtended:
		return false
	}
	return true
}

func disputeHandled(s DisputeStatus) bool {
	switch s {
	case DisputeIntake, DisputeAssigned, DisputeMediating:
		return false
	}
	return true
}

// facts fills what complaints and disputes share. ends are the events that
// end the handling; first says whether the first of them counts (a
// complaint's answer) or the last (a dispute handed over and mediated again).
func (r *Record) facts(kind CaseKind, ends []EventKind, first, handled bool) CaseFacts {
	f := CaseFacts{Ref: r.Ref, Kind: kind, Organ: r.Organ, Duties: []DutyFact{}}
	if len(r.Events) > 0 {
		f.Registered = ssra.DateOf(r.Events[0].At)
	}
	if handled {
		for _, e := range r.Events {
			if slices.Contains(ends, e.Kind) {
				f.Handled = ssra.DateOf(e.At)
				if first {
					break
				}
			}
		}
	}
	f.WithinLimit = !f.Handled.IsZero()
	for _, d := range r.Deadlines {
		if d.Obligation != Duty {
			continue
		}
		f.Duties = append(f.Duties, DutyFact{Profile: d.Profile, Rule: d.Rule, Due: d.Due, Status: d.Status, ClosedOn: d.ClosedOn})
		if f.Handled.IsZero() || d.Status == DeadlineOpen || d.ClosedOn.After(f.Handled) {
			continue
		}
		if d.Status == DeadlineLate || (d.Status == DeadlineCancelled && d.ClosedOn.After(d.Due)) {
			f.WithinLimit = false
		}
	}
	if !f.Handled.IsZero() {
		f.HandlingDays = r.cal.WorkdaysBetween(f.Registered, f.Handled)
	}
	return f
}
