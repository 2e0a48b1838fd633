// Package casegen generates synthetic complaints and disputes: realistic
// paths through the casework states, deadlines met and missed, ratings and
// mediation outcomes, driven through the stability package's own
// transitions. Every person in them is a placeholder ("来信人0001"); no real
// person's data is used. It serves the seeding tool, the storage property
// tests and the benchmarks.
package casegen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// Gen draws cases. Orgs are the organisations cases are registered at (an
// identifier each, as the store knows them); cases are registered on a day
// of [Start, Start+Days) and nothing happens after Now.
type Gen struct {
	Rand  *rand.Rand
	Orgs  []string
	Cal   ssra.Calendar
	Start ssra.Date
	Days  int
	Now   time.Time

	seed               uint64
	xinfang, mediation *stability.Profile
}

// New returns a generator seeded with seed over the organisations, for cases
// registered in the year from start, seen at now. Reference numbers carry
// the seed and the case's index (XF-S1-0000042), so two seeds never draw
// the same reference.
func New(seed uint64, orgs []string, cal ssra.Calendar, start ssra.Date, days int, now time.Time) (*Gen, error) {
	x, err := stability.Preset("xinfang2022")
	if err != nil {
		return nil, err
	}
	m, err := stability.Preset("mediation2010")
	if err != nil {
		return nil, err
	}
	if len(orgs) == 0 || days < 1 {
		return nil, fmt.Errorf("casegen: need organisations and at least one day")
	}
	return &Gen{Rand: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), Orgs: orgs, Cal: cal, Start: start, Days: days, Now: now,
		seed: seed, xinfang: x, mediation: m}, nil
}

// Step is called after the case is opened and after every transition, with
// the organisation the case was just routed to ("" when it stays). A store
// writer creates the record on the first call and updates (or routes) it on
// the others.
type Step[T any] func(c *T, routedTo string) error

var cst = time.FixedZone("CST", 8*3600)

// clock moves a case's time forward by whole days and some minutes and
// says whether the new time is still before Now.
type clock struct {
	g *Gen
	t time.Time
}

func (c *clock) after(minDays, maxDays int) bool {
	d := minDays
	if maxDays > minDays {
		d += c.g.Rand.IntN(maxDays - minDays + 1)
	}
	c.t = c.t.Add(time.Duration(d)*24*time.Hour + time.Duration(c.g.Rand.IntN(90))*time.Minute)
	return !c.t.After(c.g.Now)
}

func (g *Gen) p(x float64) bool { return g.Rand.Float64() < x }

func (g *Gen) pick(n int) int { return g.Rand.IntN(n) }

func (g *Gen) rating() stability.Rating {
	switch r := g.Rand.Float64(); {
	case r < 0.72:
		return stability.RatingSatisfied
	case r < 0.9:
		return stability.RatingBasicallySatisfied
	}
	return stability.RatingDissatisfied
}

// refused reports whether err is a refused transition (a window passed, a
// state that does not allow it): the path stops there, as it would in life.
func refused(err error) bool {
	var e *ssra.Error
	return errors.As(err, &e) && (e.Kind == ssra.KindConflict || e.Kind == ssra.KindForbidden)
}

func staff(org string, role stability.CaseRole) stability.Participant {
	id := "staff-" + org
	if role == stability.RoleHead {
		id = "head-" + org
	}
	return stability.Participant{ID: id, Name: "工作人员" + org, Unit: org, Role: role}
}

// Complaint draws the i-th complaint and drives it through its states,
// calling step after each.
func (g *Gen) Complaint(i int, step Step[stability.Complaint]) (*stability.Complaint, error) {
	org := g.Orgs[g.pick(len(g.Orgs))]
	ck := &clock{g: g, t: g.Start.AddDays(g.pick(g.Days)).Time(cst).Add(time.Duration(8*60+g.pick(9*60)) * time.Minute)}
	if ck.t.After(g.Now) {
		ck.t = g.Now
	}
	mt := []stability.MatterType{stability.MatterSuggestion, stability.MatterReport, stability.MatterClaim}[g.pick(3)]
	ch := []stability.Channel{stability.ChannelOnline, stability.ChannelOnline, stability.ChannelLetter, stability.ChannelPhone, stability.ChannelVisit}[g.pick(5)]
	in := stability.Intake{Ref: fmt.Sprintf("XF-S%d-%07d", g.seed, i), Channel: ch,
		Matter:       stability.Matter{Type: mt, Subject: "某单位", Facts: fmt.Sprintf("合成事项%d：道路维修迟缓", i), Request: "请求督促维修"},
		Complainants: []stability.Person{{Name: fmt.Sprintf("来信人%04d", i%10000)}}, Organ: org}
	c, code, err := stability.NewComplaint(in, g.xinfang, g.Cal, rngReader{g.Rand}, ck.t, staff(org, stability.RoleStaff))
	if err != nil {
		return nil, err
	}
	do := func(routed string, f func() error) (bool, error) {
		if err := f(); err != nil {
			if refused(err) {
				return false, nil
			}
			return false, err
		}
		if step != nil {
			if err := step(c, routed); err != nil {
				return false, err
			}
		}
		return true, nil
	}
	if _, err := do("", func() error { return nil }); err != nil {
		return nil, err
	}
	by := func() stability.Participant { return staff(c.Organ, stability.RoleStaff) }
	// Notify within the 15-day limit, mostly.
	if g.p(0.9) && ck.after(0, 16) {
		if _, err := do("", func() error { return c.Notify(ck.t, by(), "已受理，告知办理途径") }); err != nil {
			return nil, err
		}
	}
	switch r := g.Rand.Float64(); {
	case !ck.after(0, 9):
		return c, nil
	case r < 0.05:
		_, err := do("", func() error { return c.Refer(ck.t, by(), "有权处理机关") })
		return c, err
	case r < 0.08:
		_, err := do("", func() error { return c.Divert(ck.t, by(), stability.DivertLitigation, "属诉讼范围") })
		return c, err
	case r < 0.25 && len(g.Orgs) > 1:
		to := g.Orgs[g.pick(len(g.Orgs))]
		if to == c.Organ {
			break
		}
		if ok, err := do(to, func() error { return c.Route(ck.t, by(), stability.Destination{Organ: to}, stability.RouteTransfer) }); err != nil || !ok {
			return c, err
		}
		if !ck.after(0, 7) {
			return c, nil
		}
		if g.p(0.9) {
			if _, err := do("", func() error { return c.Notify(ck.t, by(), "已收到转送事项") }); err != nil {
				return nil, err
			}
		}
	}
	if ok, err := do("", func() error { return c.Accept(ck.t, by()) }); err != nil || !ok {
		return c, err
	}
	if g.p(0.7) && ck.after(0, 5) {
		if _, err := do("", func() error { return c.Investigate(ck.t, by()) }); err != nil {
			return nil, err
		}
	}
	if g.p(0.12) && ck.after(20, 50) {
		if _, err := do("", func() error {
			return c.Extend(ck.t, staff(c.Organ, stability.RoleHead), 30, "情况复杂需进一步核实")
		}); err != nil {
			return nil, err
		}
	}
	if !ck.after(5, 70) {
		return c, nil
	}
	outcome := []stability.Outcome{stability.OutcomeSupport, stability.OutcomeExplain, stability.OutcomeNotSupported}[g.pick(3)]
	op := stability.Opinion{Outcome: outcome, Text: "处理意见", LegalBasis: "相关规定"}
	if ok, err := do("", func() error { return c.Answer(ck.t, by(), op) }); err != nil || !ok {
		return c, err
	}
	if g.p(0.65) {
		rt := *ck
		if rt.after(1, 20) {
			if _, err := do("", func() error { return c.Rate(rt.t, code, g.rating()) }); err != nil {
				return nil, err
			}
			ck.t = rt.t
		}
	}
	for _, lvl := range []struct {
		p               float64
		request, decide func(time.Time) error
	}{
		{0.1, func(t time.Time) error { return c.RequestReview(t, by()) }, func(t time.Time) error { return c.DecideReview(t, by(), op) }},
		{0.3, func(t time.Time) error { return c.RequestRereview(t, by()) }, func(t time.Time) error { return c.DecideRereview(t, by(), op) }},
	} {
		if !g.p(lvl.p) {
			break
		}
		if !ck.after(1, 29) {
			return c, nil
		}
		if ok, err := do("", func() error { return lvl.request(ck.t) }); err != nil || !ok {
			return c, err
		}
		if !ck.after(5, 40) {
			return c, nil
		}
		if ok, err := do("", func() error { return lvl.decide(ck.t) }); err != nil || !ok {
			return c, err
		}
	}
	if g.p(0.85) && ck.after(31, 45) {
		if _, err := do("", func() error { return c.Close(ck.t, by(), "办结") }); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Dispute draws the i-th dispute and drives it through mediation, calling
// step after each transition.
func (g *Gen) Dispute(i int, step Step[stability.Dispute]) (*stability.Dispute, error) {
	org := g.Orgs[g.pick(len(g.Orgs))]
	ck := &clock{g: g, t: g.Start.AddDays(g.pick(g.Days)).Time(cst).Add(time.Duration(8*60+g.pick(9*60)) * time.Minute)}
	if ck.t.After(g.Now) {
		ck.t = g.Now
	}
	ch := []stability.MediationChannel{stability.MediationPeople, stability.MediationPeople, stability.MediationAdministrative, stability.MediationJudicial}[g.pick(4)]
	in := stability.MediationIntake{Ref: fmt.Sprintf("TJ-S%d-%07d", g.seed, i), Channel: ch, Category: "邻里纠纷",
		Summary: fmt.Sprintf("合成纠纷%d：排水沟堵塞", i),
		Parties: []stability.Person{{Name: fmt.Sprintf("当事人甲%04d", i%10000)}, {Name: fmt.Sprintf("当事人乙%04d", i%10000)}}, Organ: org}
	by := staff(org, stability.RoleStaff)
	d, code, err := stability.NewDispute(in, g.mediation, g.Cal, rngReader{g.Rand}, ck.t, by)
	if err != nil {
		return nil, err
	}
	do := func(f func() error) (bool, error) {
		if err := f(); err != nil {
			if refused(err) {
				return false, nil
			}
			return false, err
		}
		if step != nil {
			if err := step(d, ""); err != nil {
				return false, err
			}
		}
		return true, nil
	}
	if _, err := do(func() error { return nil }); err != nil {
		return nil, err
	}
	if g.p(0.05) {
		if ck.after(0, 3) {
			_, err := do(func() error { return d.Decline(ck.t, by, 1, "一方不同意调解") })
			return d, err
		}
		return d, nil
	}
	mode := []stability.MediationMode{stability.ModeStandard, stability.ModeStandard, stability.ModeStandard, stability.ModeDelegated, stability.ModeEntrusted, stability.ModeEntrustedSimplified}[g.pick(6)]
	if !ck.after(0, 3) {
		return d, nil
	}
	if ok, err := do(func() error { return d.Assign(ck.t, by, by, mode) }); err != nil || !ok {
		return d, err
	}
	if !ck.after(0, 4) {
		return d, nil
	}
	if ok, err := do(func() error { return d.Start(ck.t, by) }); err != nil || !ok {
		return d, err
	}
	limit := map[stability.MediationMode]int{stability.ModeStandard: 30, stability.ModeDelegated: 30, stability.ModeEntrusted: 15, stability.ModeEntrustedSimplified: 7}[mode]
	if !ck.after(1, limit+limit/3) {
		return d, nil
	}
	routes := []string{"仲裁", "向人民法院起诉"}
	switch r := g.Rand.Float64(); {
	case r < 0.2:
		_, err := do(func() error { return d.Terminate(ck.t, by, "调解不成", routes) })
		return d, err
	case r < 0.28:
		_, err := do(func() error { return d.EndByParty(ck.t, by, "一方要求终止", routes) })
		return d, err
	}
	a := stability.Agreement{Form: stability.AgreementWritten, Terms: "双方按约定清理排水沟", Signed: true, Sealed: true, PerformBy: ssra.DateOf(ck.t).AddDays(30)}
	if ok, err := do(func() error { return d.Agree(ck.t, by, a) }); err != nil || !ok {
		return d, err
	}
	if g.p(0.5) {
		rt := *ck
		if rt.after(1, 10) {
			if _, err := do(func() error { return d.Rate(rt.t, code, g.rating()) }); err != nil {
				return nil, err
			}
			ck.t = rt.t
		}
	}
	if g.p(0.8) && ck.after(0, 10) {
		if ok, err := do(func() error { return d.StartPerformance(ck.t, by) }); err != nil || !ok {
			return d, err
		}
		if g.p(0.75) && ck.after(3, 40) {
			if _, err := do(func() error { return d.MarkPerformed(ck.t, by) }); err != nil {
				return nil, err
			}
		}
	}
	if g.p(0.3) && ck.after(0, 33) {
		if ok, err := do(func() error { return d.RequestConfirmation(ck.t, by, "县人民法院", true) }); err != nil || !ok {
			return d, err
		}
		if !ck.after(2, 18) {
			return d, nil
		}
		if g.p(0.9) {
			_, err = do(func() error { return d.Confirm(ck.t, by) })
		} else {
			_, err = do(func() error { return d.RefuseConfirmation(ck.t, by, "协议内容违反法律规定") })
		}
		return d, err
	}
	return d, nil
}

// rngReader reads random bytes from the generator's source, so that drawn
// reference numbers and query codes repeat with the seed.
type rngReader struct{ r *rand.Rand }

func (x rngReader) Read(b []byte) (int, error) {
	for i := range b {
		b[i] = byte(x.r.Uint32())
	}
	return len(b), nil
}
