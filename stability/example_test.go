package stability_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// exampleCalendar is a small calendar for the examples: the 2026 Labour Day
// holidays and the make-up working Saturday after them (sample data).
func exampleCalendar() ssra.Calendar {
	var hol []ssra.Date
	for d := 1; d <= 5; d++ {
		hol = append(hol, ssra.MustDate(2026, time.May, d))
	}
	cal, _ := ssra.NewCalendar("sample 2026 Labour Day", hol, []ssra.Date{ssra.MustDate(2026, time.May, 9)})
	return cal
}

// Deadlines computes what an event opens under a profile: here the
// acceptance of a complaint on 2 March 2026 opens the 60-day handling limit,
// which ends on Labour Day and moves to the next working day.
func ExampleDeadlines() {
	p, _ := stability.Preset("xinfang2022")
	ds, err := stability.Deadlines(p, stability.EventAccepted, ssra.MustDate(2026, time.March, 2), exampleCalendar())
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, d := range ds {
		fmt.Println(d.Rule, d.Due, d.Basis.ZH)
		for _, s := range d.Steps[2:] {
			fmt.Println(" ", s)
		}
	}
	// Output:
	// conclude 2026-05-06 信访工作条例（2022）第三十四条
	//   counting 60 calendar days gives 2026-05-01
	//   2026-05-01 is a rest day; the deadline moves to the next working day 2026-05-06
	//   due 2026-05-06
}

// A working-day limit skips the holidays and counts the make-up Saturday.
func ExampleProfile_Compute() {
	p, _ := stability.Preset("xinfang2022")
	d, _ := p.Compute("object_transfer", ssra.MustDate(2026, time.April, 30), exampleCalendar(), stability.Adjustments{})
	fmt.Println(d.Label.EN, d.Days, d.Unit, "→", d.Due, d.Due.Weekday())
	// Output: Object that a transferred item is outside the remit 5 working_days → 2026-05-11 Monday
}

// A complaint taken through acceptance, a refused second extension and the
// answer; the review window opens.
func ExampleNewComplaint() {
	cst := time.FixedZone("CST", 8*3600)
	on := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, cst) }
	p, _ := stability.Preset("xinfang2022")
	staff := stability.Participant{ID: "s1", Name: "王科员", Unit: "县住建局", Role: stability.RoleStaff}
	head := stability.Participant{ID: "h1", Name: "赵局长", Unit: "县住建局", Role: stability.RoleHead}
	c, _, err := stability.NewComplaint(stability.Intake{
		Channel:      stability.ChannelOnline,
		Matter:       stability.Matter{Type: stability.MatterClaim, Subject: "某物业公司", Facts: "电梯停运", Request: "修复电梯"},
		Complainants: []stability.Person{{Name: "张三"}},
		Organ:        "县住建局",
	}, p, exampleCalendar(), rand.NewChaCha8([32]byte{}), on(time.March, 2), staff)
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = c.Accept(on(time.March, 2), staff)
	_ = c.Notify(on(time.March, 3), staff, "书面告知已受理")
	_ = c.Extend(on(time.April, 20), head, 30, "委托第三方检测")
	err = c.Extend(on(time.April, 21), head, 10, "再次延期")
	fmt.Println(ssra.KindOf(err), ssra.ProblemsOf(err)[0].Code)
	_ = c.Answer(on(time.May, 20), staff, stability.Opinion{Outcome: stability.OutcomeSupport, Text: "责令修复", LegalBasis: "物业管理条例第三十五条"})
	for _, d := range c.Deadlines {
		fmt.Println(d.Rule, d.Due, d.Status)
	}
	// Output:
	// conflict complaint.extension_used
	// route 2026-03-17 met
	// notify 2026-03-17 met
	// conclude 2026-06-01 met
	// review_request 2026-06-19 open
}

// Redact shows the person or unit complained about neither who complained
// nor what they submitted.
func ExampleComplaint_Redact() {
	p, _ := stability.Preset("xinfang2022")
	c, _, _ := stability.NewComplaint(stability.Intake{
		Channel:      stability.ChannelLetter,
		Matter:       stability.Matter{Type: stability.MatterReport, Subject: "某镇政府", Facts: "违规收费", Request: "查处"},
		Complainants: []stability.Person{{Name: "李四", Phone: "13900000000"}},
		Materials:    []stability.Material{{ID: "m1", Title: "收据", Marked: true}},
		Organ:        "县信访局",
	}, p, ssra.Calendar{}, rand.NewChaCha8([32]byte{}), time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC), stability.Participant{ID: "s1", Role: stability.RoleStaff})
	v := c.Redact(stability.Viewer{Role: stability.ViewSubject, Unit: "某镇政府"})
	fmt.Println(v.View, len(v.Case.Complainants), len(v.Case.Materials), v.Case.Matter.Facts == "", v.Case.Status)
	// Output: subject 0 0 true registered
}

// A people's mediation ending in judicial confirmation.
func ExampleNewDispute() {
	on := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, time.UTC) }
	p, _ := stability.Preset("mediation2010")
	med := stability.Participant{ID: "m1", Name: "陈调解员", Unit: "幸福村调委会", Role: stability.RoleStaff}
	d, _, _ := stability.NewDispute(stability.MediationIntake{
		Channel: stability.MediationPeople, Category: "邻里纠纷", Summary: "围墙越界",
		Parties: []stability.Person{{Name: "刘甲"}, {Name: "孙乙"}}, Organ: "幸福村调委会",
	}, p, exampleCalendar(), rand.NewChaCha8([32]byte{}), on(time.March, 2), med)
	_ = d.Assign(on(time.March, 2), med, med, stability.ModeStandard)
	_ = d.Start(on(time.March, 2), med)
	_ = d.Agree(on(time.March, 20), med, stability.Agreement{Form: stability.AgreementWritten, Terms: "拆除越界部分", Signed: true, Sealed: true})
	_ = d.RequestConfirmation(on(time.April, 1), stability.Participant{ID: "p", Role: stability.RoleParty}, "县人民法院", true)
	_ = d.Confirm(on(time.April, 10), stability.Participant{ID: "j", Role: stability.RoleStaff})
	for _, dl := range d.Deadlines {
		fmt.Println(dl.Rule, dl.Due, dl.Status)
	}
	fmt.Println(d.Status)
	// Output:
	// mediate 2026-04-02 met
	// confirmation_apply 2026-04-20 met
	// confirmation_decide 2026-04-16 met
	// confirmed
}

// CheckAcceptance judges a satisfaction target with the Wilson interval.
func ExampleCheckAcceptance() {
	plan := &stability.Plan{ID: "p", Unit: "某县公安局", Year: 2026,
		Goals: []stability.Goal{{ID: "g", Title: "群众满意", Targets: []stability.Target{{
			ID: "sat", Indicator: "public_satisfaction", Comparator: stability.CmpGE,
			Threshold: decimal.NewFromInt(95), Unit: stability.UnitPercent, Due: ssra.MustDate(2026, 12, 31)}}}}}
	a, err := stability.CheckAcceptance(plan, []stability.Measurement{{Target: "sat",
		Sample: &stability.Sample{Successes: 970, Total: 1000}, Evidence: "第三方测评"}}, ssra.MustDate(2026, 12, 31))
	if err != nil {
		fmt.Println(err)
		return
	}
	r := a.Results[0]
	fmt.Println(r.Value, r.Rate.Lower, r.Rate.Upper, r.Verdict, a.Verdict)
	// Output: 97 0.9575 0.9789 pass pass
}
