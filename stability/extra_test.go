package stability_test

import (
	"math/rand/v2"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// TestDutyMetOrLate checks duty deadlines the day before, on and after the
// due date: registered 2026-01-31, the 15-day routing limit is counted to
// 2026-02-15 in the Spring Festival and falls due 2026-02-24; under the
// Zhejiang profile, 5 working days from 2026-02-12 count the make-up
// Saturday 2026-02-14 and fall due 2026-02-26.
func TestDutyMetOrLate(t *testing.T) {
	for _, tc := range []struct {
		name, profile, reg, when string
		want                     stability.DeadlineStatus
	}{
		{"2022 accepted on a holiday before the due day", "xinfang2022", "2026-01-31", "2026-02-23", stability.DeadlineMet},
		{"2022 accepted on the due day", "xinfang2022", "2026-01-31", "2026-02-24", stability.DeadlineMet},
		{"2022 accepted the day after", "xinfang2022", "2026-01-31", "2026-02-25", stability.DeadlineLate},
		{"2005 accepted the day after", "xinfang2005", "2026-01-31", "2026-02-25", stability.DeadlineLate},
		{"zhejiang the day before", "zhejiang2016", "2026-02-12", "2026-02-25", stability.DeadlineMet},
		{"zhejiang on the due day", "zhejiang2016", "2026-02-12", "2026-02-26", stability.DeadlineMet},
		{"zhejiang the day after", "zhejiang2016", "2026-02-12", "2026-02-27", stability.DeadlineLate},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newCase(t, preset(t, tc.profile), tc.reg)
			mustDo(t, c.Accept(at(tc.when), clerk))
			d, _ := c.DeadlineFor("route")
			if d.Status != tc.want || d.ClosedOn.String() != tc.when {
				t.Fatalf("route due %s: %s on %s, want %s", d.Due, d.Status, d.ClosedOn, tc.want)
			}
			if _, ok := c.DeadlineFor("conclude"); !ok {
				t.Fatal("acceptance did not open the handling limit")
			}
		})
	}
}

func TestZhejiangExtensionToSixty(t *testing.T) {
	c, _ := newCase(t, preset(t, "zhejiang2016"), "2026-03-02")
	mustDo(t, c.Accept(at("2026-03-02"), clerk))
	if d, _ := c.DeadlineFor("conclude"); d.Due.String() != "2026-04-01" {
		t.Fatalf("30 days: %s", d.Due)
	}
	wantErr(t, c.Extend(at("2026-03-20"), head, 31, "x"), ssra.KindInvalid, "deadline.extension_days")
	mustDo(t, c.Extend(at("2026-03-20"), head, 30, "案情复杂"))
	if d, _ := c.DeadlineFor("conclude"); d.Due.String() != "2026-05-06" { // 05-01 is a holiday
		t.Fatalf("60 days: %s", d.Due)
	}
}

func TestObjectionUnderProfileWithout(t *testing.T) {
	c, _ := newCase(t, preset(t, "xinfang2005"), "2026-03-02")
	mustDo(t, c.Route(at("2026-03-03"), clerk, stability.Destination{Organ: "县住建局"}, stability.RouteTransfer))
	wantErr(t, c.ObjectToTransfer(at("2026-03-04"), officer, "不属于本机关"), ssra.KindConflict, "complaint.objection_not_provided")
	wantErr(t, c.ObjectToTransfer(at("2026-03-04"), officer, ""), ssra.KindInvalid, "complaint.reason_missing")
}

func TestDisputeRecusalAndQueries(t *testing.T) {
	d, code := newDispute(t, "2026-03-02", stability.ModeStandard)
	mustDo(t, d.Recuse(at("2026-03-02"), mediator, mediator, "调解员系一方当事人亲属"))
	if d.Officer != nil {
		t.Fatal("recused mediator still named")
	}
	wantErr(t, d.Start(at("2026-03-03"), mediator), ssra.KindForbidden, "case.recused")
	other := stability.Participant{ID: "m-02", Name: "周调解员", Unit: mediator.Unit, Role: stability.RoleStaff}
	mustDo(t, d.Start(at("2026-03-03"), other))
	// One month from 2026-03-03 is 2026-04-03.
	ds := []*stability.Dispute{d}
	if got := stability.DueSoon(ds, at("2026-04-01"), 2); len(got) != 1 || got[0].Due.String() != "2026-04-03" {
		t.Fatalf("due soon %+v", got)
	}
	if got := stability.Overdue(ds, at("2026-04-04")); len(got) != 1 || got[0].DaysLate != 1 {
		t.Fatalf("overdue %+v", got)
	}
	x := stability.NewDueIndex(ds)
	if got := x.DueSoon(at("2026-04-03"), 0); len(got) != 1 || x.Len() != 1 {
		t.Fatalf("index due soon %v", got)
	}
	wantErr(t, d.Rate(at("2026-04-04"), code, stability.RatingSatisfied), ssra.KindConflict, "dispute.nothing_to_rate")
	if _, err := d.PublicStatus("WRONGCODE0"); ssra.KindOf(err) != ssra.KindNotFound {
		t.Fatalf("wrong code: %v", err)
	}
}

func TestRandomCode(t *testing.T) {
	a, err := stability.RandomCode(rand.NewChaCha8([32]byte{1}), 10)
	if err != nil || len(a) != 10 {
		t.Fatalf("%q %v", a, err)
	}
	b, _ := stability.RandomCode(rand.NewChaCha8([32]byte{2}), 10)
	if a == b {
		t.Fatal("different sources gave the same code")
	}
	for _, r := range a {
		if r == '0' || r == 'O' || r == '1' || r == 'I' {
			t.Fatalf("ambiguous symbol in %q", a)
		}
	}
	if _, err := stability.RandomCode(nil, 10); err == nil {
		t.Fatal("nil source accepted")
	}
	if _, err := stability.RandomCode(rand.NewChaCha8([32]byte{}), 0); err == nil {
		t.Fatal("empty code accepted")
	}
}

// TestDecisionDutiesOnTime checks the body's decision limits the day
// before, on and after their due dates: the review decision (requested
// 2026-06-01, due 2026-07-01), the re-review decision with a five-day
// hearing excluded (requested 2026-07-01, due 2026-08-05), people's
// mediation (started 2026-01-31, due on the make-up Saturday 2026-02-28)
// and the judicial confirmation decision (filed 2026-03-10, due 2026-03-25).
func TestDecisionDutiesOnTime(t *testing.T) {
	p := preset(t, "xinfang2022")
	// The day before and on the due day are in time; the day after is late.
	three := []stability.DeadlineStatus{stability.DeadlineMet, stability.DeadlineMet, stability.DeadlineLate}
	days := func(before, on, after string) []string { return []string{before, on, after} }
	for i, when := range days("2026-06-30", "2026-07-01", "2026-07-02") {
		c := answered(t, p, "2026-05-20")
		mustDo(t, c.RequestReview(at("2026-06-01"), citizen))
		mustDo(t, c.DecideReview(at(when), head, opinion))
		if d, _ := c.DeadlineFor("review_decide"); d.Status != three[i] {
			t.Fatalf("review decided %s: %s (due %s)", when, d.Status, d.Due)
		}
	}
	for i, when := range days("2026-08-04", "2026-08-05", "2026-08-06") {
		c := answered(t, p, "2026-05-20")
		mustDo(t, c.RequestReview(at("2026-06-01"), citizen))
		mustDo(t, c.DecideReview(at("2026-06-20"), head, opinion))
		mustDo(t, c.RequestRereview(at("2026-07-01"), citizen))
		mustDo(t, c.Pause(at("2026-07-02"), head, stability.Pause{From: day("2026-07-10"), To: day("2026-07-14"), Reason: "听证"}))
		mustDo(t, c.DecideRereview(at(when), head, opinion))
		if d, _ := c.DeadlineFor("rereview_decide"); d.Status != three[i] || d.Due.String() != "2026-08-05" {
			t.Fatalf("re-review decided %s: %s (due %s)", when, d.Status, d.Due)
		}
	}
	for i, when := range days("2026-02-27", "2026-02-28", "2026-03-01") {
		d, _ := newDispute(t, "2026-01-30", stability.ModeStandard)
		mustDo(t, d.Start(at("2026-01-31"), mediator))
		mustDo(t, d.Agree(at(when), mediator, written))
		if dl, _ := d.DeadlineFor("mediate"); dl.Status != three[i] {
			t.Fatalf("agreement on %s: %s (due %s)", when, dl.Status, dl.Due)
		}
	}
	for i, when := range days("2026-03-24", "2026-03-25", "2026-03-26") {
		d, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
		mustDo(t, d.Start(at("2026-03-02"), mediator))
		mustDo(t, d.Agree(at("2026-03-05"), mediator, written))
		mustDo(t, d.RequestConfirmation(at("2026-03-10"), partyA, "县人民法院", true))
		mustDo(t, d.Confirm(at(when), judge))
		if dl, _ := d.DeadlineFor("confirmation_decide"); dl.Status != three[i] {
			t.Fatalf("confirmed on %s: %s (due %s)", when, dl.Status, dl.Due)
		}
	}
}
