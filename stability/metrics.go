package stability

import (
	"fmt"
	"sort"
	"time"

	"github.com/ssra-go/ssra"
)

// OnTimeRate is the share of a statutory limit's duties met on time: met
// over met, late and still-open overdue duties at now. Deadlines cancelled
// because the case took another path do not count.
type OnTimeRate struct {
	Profile string     `json:"profile"`
	Rule    string     `json:"rule"`
	Label   ssra.Label `json:"label"`
	Basis   ssra.Label `json:"basis"`
	Met     int64      `json:"met"`
	Late    int64      `json:"late"`
	Overdue int64      `json:"overdue"`
	// Rate is nil when no duty of the rule was due.
	Rate *ssra.Rate `json:"rate,omitempty"`
}

// OnTimeRates returns the on-time rate of every duty rule that occurs in
// the cases, by profile and rule, at now. These feed appraisal indicators
// of handling quality (domain.md §3.4). cases is a []*Complaint, a
// []*Dispute or a []*Record.
func OnTimeRates[C Case](cases []C, now time.Time) []OnTimeRate {
	today := ssra.DateOf(now)
	type key struct{ profile, rule string }
	acc := map[key]*OnTimeRate{}
	for _, c := range cases {
		r := c.base()
		if r == nil {
			continue
		}
		for _, d := range r.Deadlines {
			if d.Obligation != Duty {
				continue
			}
			k := key{d.Profile, d.Rule}
			o := acc[k]
			if o == nil {
				o = &OnTimeRate{Profile: d.Profile, Rule: d.Rule, Label: d.Label, Basis: d.Basis}
				acc[k] = o
			}
			switch {
			case d.Status == DeadlineMet:
				o.Met++
			case d.Status == DeadlineLate:
				o.Late++
			case d.Status == DeadlineOpen && d.Due.Before(today):
				o.Overdue++
			}
		}
	}
	out := make([]OnTimeRate, 0, len(acc))
	for _, o := range acc {
		if n := o.Met + o.Late + o.Overdue; n > 0 {
			if r, err := ssra.NewRate(o.Met, n); err == nil {
				o.Rate = &r
			}
		}
		out = append(out, *o)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Profile != out[j].Profile {
			return out[i].Profile < out[j].Profile
		}
		return out[i].Rule < out[j].Rule
	})
	return out
}

// Satisfaction is the complainants' and parties' satisfaction with the
// handling (满意度): the latest rating of each rated case; satisfied plus
// basically satisfied over rated cases, with the Wilson interval.
type Satisfaction struct {
	Satisfied          int64      `json:"satisfied"`
	BasicallySatisfied int64      `json:"basically_satisfied"`
	Dissatisfied       int64      `json:"dissatisfied"`
	Rate               *ssra.Rate `json:"rate,omitempty"`
	Steps              []string   `json:"steps"`
}

// RatedCase is a case whose complainant or parties rate the handling: a
// *Complaint or a *Dispute. Its method is unexported, so the set is closed.
type RatedCase interface{ ratings() []RatingRecord }

func (c *Complaint) ratings() []RatingRecord { return c.Ratings }
func (d *Dispute) ratings() []RatingRecord   { return d.Ratings }

// SatisfactionOf computes the satisfaction with the handling over the
// cases' latest ratings. cases is a []*Complaint or a []*Dispute.
func SatisfactionOf[C RatedCase](cases []C) Satisfaction {
	var s Satisfaction
	for _, c := range cases {
		rs := c.ratings()
		if len(rs) == 0 {
			continue
		}
		switch rs[len(rs)-1].Rating {
		case RatingSatisfied:
			s.Satisfied++
		case RatingBasicallySatisfied:
			s.BasicallySatisfied++
		default:
			s.Dissatisfied++
		}
	}
	n := s.Satisfied + s.BasicallySatisfied + s.Dissatisfied
	s.Steps = append(s.Steps, fmt.Sprintf("latest rating of %d rated case(s): %d satisfied, %d basically satisfied, %d dissatisfied", n, s.Satisfied, s.BasicallySatisfied, s.Dissatisfied))
	if n > 0 {
		if r, err := ssra.NewRate(s.Satisfied+s.BasicallySatisfied, n); err == nil {
			s.Rate = &r
			s.Steps = append(s.Steps, fmt.Sprintf("rate (satisfied + basically satisfied) / rated = %s, 95 %% Wilson interval [%s, %s], rounded half-up to %d places", r.Value, r.Lower, r.Upper, ssra.RateScale))
		}
	}
	return s
}

// MediationOutcomes counts what mediation achieved: mediations started,
// agreements reached, agreements performed and judicially confirmed, with
// the agreement rate (agreements / mediations started) and the performance
// rate (performed / agreements).
type MediationOutcomes struct {
	Mediated        int64      `json:"mediated"`
	Agreements      int64      `json:"agreements"`
	Performed       int64      `json:"performed"`
	Confirmed       int64      `json:"confirmed"`
	AgreementRate   *ssra.Rate `json:"agreement_rate,omitempty"`
	PerformanceRate *ssra.Rate `json:"performance_rate,omitempty"`
}

// MediationOutcomesOf computes the mediation outcomes of the disputes.
func MediationOutcomesOf(ds []*Dispute) MediationOutcomes {
	var m MediationOutcomes
	for _, d := range ds {
		started := false
		for _, e := range d.Events {
			switch e.Kind {
			case EventMediationStarted, EventDelegatedMediationStarted, EventEntrustedMediationStarted, EventEntrustedSimplifiedStarted:
				started = true
			}
		}
		if started {
			m.Mediated++
		}
		if d.Agreement != nil {
			m.Agreements++
		}
		if !d.Performed.IsZero() {
			m.Performed++
		}
		if d.Confirmation != nil && d.Confirmation.Confirmed {
			m.Confirmed++
		}
	}
	if m.Mediated > 0 && m.Agreements <= m.Mediated {
		if r, err := ssra.NewRate(m.Agreements, m.Mediated); err == nil {
			m.AgreementRate = &r
		}
	}
	if m.Agreements > 0 && m.Performed <= m.Agreements {
		if r, err := ssra.NewRate(m.Performed, m.Agreements); err == nil {
			m.PerformanceRate = &r
		}
	}
	return m
}

// AppraisalInputs are the casework measures that feed appraisal indicators
// (domain.md §3.4): on-time rates per statutory limit, satisfaction with the
// handling, and mediation agreements reached and performed. By design they
// contain no count of complaints filed or escalated: scoring a unit by such
// counts rewards suppressing complaints (domain.md §2.1 Boundary).
type AppraisalInputs struct {
	At           time.Time         `json:"at"`
	OnTime       []OnTimeRate      `json:"on_time"`
	Satisfaction Satisfaction      `json:"satisfaction"`
	Mediation    MediationOutcomes `json:"mediation"`
}

// Measure computes the appraisal inputs over complaints and disputes at now.
func Measure(complaints []*Complaint, disputes []*Dispute, now time.Time) AppraisalInputs {
	recs := make([]*Record, 0, len(complaints)+len(disputes))
	var rated []RatedCase
	for _, c := range complaints {
		recs = append(recs, &c.Record)
		rated = append(rated, c)
	}
	for _, d := range disputes {
		recs = append(recs, &d.Record)
		rated = append(rated, d)
	}
	return AppraisalInputs{At: now, OnTime: OnTimeRates(recs, now), Satisfaction: SatisfactionOf(rated), Mediation: MediationOutcomesOf(disputes)}
}
