// Command casework walks a complaint (信访事项) from registration through
// routing, acceptance, an extension, the answer and a review, and a dispute
// from intake through people's mediation to judicial confirmation, printing
// each case's timeline with its statutory deadlines.
//
// Deadlines are counted on the official calendar (ssra.StateCouncilCalendar:
// the State Council's holidays and make-up working days). The dates are
// fixed so that the output can be checked by hand; the reference numbers and
// query codes come from crypto/rand.
package main

import (
	"crypto/rand"
	"fmt"
	"log"
	"os"
	"strings"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

var cst = time.FixedZone("CST", 8*3600)

func on(s string) time.Time {
	d, err := ssra.ParseDate(s)
	if err != nil {
		log.Fatal(err)
	}
	return d.Time(cst).Add(10 * time.Hour)
}

func must(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

func main() {
	cal := ssra.StateCouncilCalendar()
	complaint(cal)
	fmt.Println()
	dispute(cal)
}

func complaint(cal ssra.Calendar) {
	p, err := stability.Preset("xinfang2022")
	must(err)
	clerk := stability.Participant{ID: "s-001", Name: "王科员", Unit: "县信访局", Role: stability.RoleStaff}
	officer := stability.Participant{ID: "s-002", Name: "李承办", Unit: "县住建局", Role: stability.RoleStaff}
	head := stability.Participant{ID: "s-003", Name: "赵局长", Unit: "县住建局", Role: stability.RoleHead}
	reviewer := stability.Participant{ID: "s-010", Name: "钱主任", Unit: "县人民政府", Role: stability.RoleHead}
	complainant := stability.Participant{ID: "complainant", Role: stability.RoleComplainant}

	c, code, err := stability.NewComplaint(stability.Intake{
		Channel: stability.ChannelOnline,
		Matter: stability.Matter{Type: stability.MatterClaim, Subject: "某物业公司",
			Facts: "小区电梯停运三个月未修复", Request: "责令物业修复电梯"},
		Complainants: []stability.Person{{Name: "张三", Phone: "13900001111"}},
		Organ:        "县信访局",
	}, p, cal, rand.Reader, on("2026-03-02"), clerk)
	must(err)
	must(c.Route(on("2026-03-03"), clerk, stability.Destination{Organ: "县住建局"}, stability.RouteAssign))
	must(c.Accept(on("2026-03-04"), officer))
	must(c.Notify(on("2026-03-04"), officer, "书面告知已受理及办理程序"))
	must(c.AssignOfficer(on("2026-03-04"), head, officer))
	must(c.Investigate(on("2026-03-05"), officer))
	must(c.Extend(on("2026-04-20"), head, 30, "需委托第三方检测电梯"))
	// A second extension is attempted on purpose: the rule allows one.
	secondExtension := c.Extend(on("2026-04-21"), head, 10, "再次延期")
	must(c.Answer(on("2026-05-20"), officer, stability.Opinion{Outcome: stability.OutcomeSupport,
		Text: "责令物业十日内修复电梯", LegalBasis: "《物业管理条例》第三十五条"}))
	must(c.RequestReview(on("2026-06-01"), complainant))
	must(c.DecideReview(on("2026-06-20"), reviewer, stability.Opinion{Outcome: stability.OutcomeSupport,
		Text: "维持原处理意见", LegalBasis: "《信访工作条例》第三十五条"}))

	fmt.Printf("信访事项 complaint %s (profile %s %s, calendar: %s)\n", c.Ref, c.Profile, c.ProfileVersion, cal.Name())
	if secondExtension != nil {
		fmt.Printf("  a second extension, tried on purpose, is refused as the rule says (one extension only): %s\n", ssra.Reason(secondExtension))
	} else {
		fmt.Println("  a second extension was accepted: the one-extension rule did not hold")
	}
	timeline(c.Events)
	deadlines(c.Deadlines)
	v, err := c.PublicStatus(code)
	must(err)
	fmt.Printf("status check with the query code: %s (%s), %d deadlines shown, nothing else\n", v.Status, v.StatusLabel.ZH, len(v.Deadlines))
	r := c.Redact(stability.Viewer{Role: stability.ViewSubject, Unit: "某物业公司"})
	fmt.Printf("view of the party complained about: %d complainants, %d materials, facts %q; removed %s\n",
		len(r.Case.Complainants), len(r.Case.Materials), r.Case.Matter.Facts, strings.Join(r.Removed[:4], ", "))
}

func dispute(cal ssra.Calendar) {
	p, err := stability.Preset("mediation2010")
	must(err)
	med := stability.Participant{ID: "m-01", Name: "陈调解员", Unit: "幸福村人民调解委员会", Role: stability.RoleStaff}
	party := stability.Participant{ID: "party", Role: stability.RoleParty}
	judge := stability.Participant{ID: "j-01", Name: "法官", Unit: "县人民法院", Role: stability.RoleStaff}
	d, _, err := stability.NewDispute(stability.MediationIntake{
		Channel: stability.MediationPeople, Category: "邻里纠纷", Summary: "宅基地围墙越界约半米",
		Parties: []stability.Person{{Name: "刘甲"}, {Name: "孙乙"}}, Organ: "幸福村人民调解委员会",
	}, p, cal, rand.Reader, on("2026-01-30"), med)
	must(err)
	must(d.Assign(on("2026-01-30"), med, med, stability.ModeStandard))
	must(d.Start(on("2026-01-31"), med))
	must(d.Pause(on("2026-02-04"), med, stability.Pause{From: ssra.MustDate(2026, 2, 5), To: ssra.MustDate(2026, 2, 7), Reason: "测绘鉴定"}))
	must(d.Agree(on("2026-03-02"), med, stability.Agreement{Form: stability.AgreementWritten,
		Terms: "甲方于三月底前拆除越界部分", PerformBy: ssra.MustDate(2026, 3, 31), Signed: true, Sealed: true}))
	must(d.StartPerformance(on("2026-03-03"), med))
	must(d.RequestConfirmation(on("2026-03-10"), party, "县人民法院", true))
	must(d.Confirm(on("2026-03-20"), judge))
	must(d.MarkPerformed(on("2026-03-28"), med))

	fmt.Printf("矛盾纠纷 dispute %s (profile %s %s)\n", d.Ref, d.Profile, d.ProfileVersion)
	timeline(d.Events)
	deadlines(d.Deadlines)
	m := stability.MediationOutcomesOf([]*stability.Dispute{d})
	fmt.Printf("outcomes: %d mediated, %d agreement, %d performed, %d confirmed\n", m.Mediated, m.Agreements, m.Performed, m.Confirmed)
}

func timeline(es []stability.Event) {
	fmt.Println("  timeline:")
	for _, e := range es {
		who := e.By.Name
		if who == "" {
			who = e.By.Role.String()
		}
		fmt.Printf("    %s  %-22s → %-20s %s %s\n", e.At.Format("2006-01-02"), e.Kind, e.Status, who, e.Note)
	}
}

func deadlines(ds []stability.CaseDeadline) {
	fmt.Println("  deadlines (start day not counted; rest days roll over):")
	w := os.Stdout
	for _, d := range ds {
		extra := ""
		if d.ExtensionDays > 0 {
			extra += fmt.Sprintf(" +%d extension", d.ExtensionDays)
		}
		if d.PausedDays > 0 {
			extra += fmt.Sprintf(" +%d paused", d.PausedDays)
		}
		if d.RolledOver {
			extra += " (counted " + d.Counted.String() + ", a rest day)"
		}
		closed := ""
		if !d.ClosedOn.IsZero() {
			closed = " on " + d.ClosedOn.String()
		}
		fmt.Fprintf(w, "    %-20s %2d %-13s from %s due %s%s  %-9s%s  [%s]\n",
			d.Rule, d.Days, d.Unit, d.Start, d.Due, extra, d.Status, closed, d.Basis.ZH)
	}
}
