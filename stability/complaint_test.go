package stability_test

import (
	"encoding/json"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

var (
	clerk   = stability.Participant{ID: "s-001", Name: "王科员", Unit: "县信访局", Role: stability.RoleStaff}
	officer = stability.Participant{ID: "s-002", Name: "李承办", Unit: "县住建局", Role: stability.RoleStaff}
	head    = stability.Participant{ID: "s-003", Name: "赵局长", Unit: "县住建局", Role: stability.RoleHead}
	citizen = stability.Participant{ID: "c-1", Role: stability.RoleComplainant}
)

func intake() stability.Intake {
	return stability.Intake{
		Channel: stability.ChannelLetter,
		Matter: stability.Matter{Type: stability.MatterClaim, Subject: "某物业公司",
			Facts: "小区电梯停运三个月未修复", Request: "责令物业修复电梯"},
		Complainants: []stability.Person{{Name: "张三丰", Phone: "13900001111", Address: "幸福路8号"}},
		Materials:    []stability.Material{{ID: "m1", Title: "停运照片十二张", Marked: true}, {ID: "m2", Title: "公开通知复印件"}},
		Organ:        "县信访局",
	}
}

func newCase(t *testing.T, p *stability.Profile, when string) (*stability.Complaint, string) {
	t.Helper()
	c, code, err := stability.NewComplaint(intake(), p, sampleCalendar(t), rand.NewChaCha8([32]byte{1}), at(when), clerk)
	if err != nil {
		t.Fatal(err)
	}
	return c, code
}

func mustDo(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

var opinion = stability.Opinion{Outcome: stability.OutcomeSupport, Text: "责令物业十日内修复", LegalBasis: "物业管理条例第三十五条"}

// answered returns a case routed, accepted and answered on the given date.
func answered(t *testing.T, p *stability.Profile, on string) *stability.Complaint {
	t.Helper()
	c, _ := newCase(t, p, "2026-03-02")
	mustDo(t, c.Route(at("2026-03-03"), clerk, stability.Destination{Organ: "县住建局"}, stability.RouteAssign))
	mustDo(t, c.Accept(at("2026-03-04"), officer))
	mustDo(t, c.Notify(at("2026-03-04"), officer, "书面告知已受理及办理程序"))
	mustDo(t, c.Investigate(at("2026-03-05"), officer))
	mustDo(t, c.Answer(at(on), officer, opinion))
	return c
}

func TestComplaintHappyPath(t *testing.T) {
	p := preset(t, "xinfang2022")
	c, code := newCase(t, p, "2026-03-02")
	if c.Status != stability.StatusRegistered || !strings.HasPrefix(c.Ref, "XF20260302-") || len(code) != 10 {
		t.Fatalf("registration: %s %s %q", c.Status, c.Ref, code)
	}
	if c.NextDue().String() != "2026-03-17" {
		t.Fatalf("route due %s, want 2026-03-17", c.NextDue())
	}
	steps := []struct {
		name string
		do   func() error
		want stability.Status
	}{
		{"officer", func() error { return c.AssignOfficer(at("2026-03-02"), clerk, officer) }, stability.StatusRegistered},
		{"route", func() error {
			return c.Route(at("2026-03-03"), clerk, stability.Destination{Organ: "县住建局"}, stability.RouteAssign)
		}, stability.StatusRouted},
		{"accept", func() error { return c.Accept(at("2026-03-04"), officer) }, stability.StatusAccepted},
		{"notify", func() error { return c.Notify(at("2026-03-04"), officer, "书面告知已受理及办理程序") }, stability.StatusAccepted},
		{"investigate", func() error { return c.Investigate(at("2026-03-05"), officer) }, stability.StatusInvestigating},
		{"supervise", func() error { return c.Supervise(at("2026-03-06"), clerk, "群众反映强烈") }, stability.StatusInvestigating},
		{"extend", func() error { return c.Extend(at("2026-04-20"), head, 30, "需委托第三方检测电梯") }, stability.StatusExtended},
		{"answer", func() error { return c.Answer(at("2026-05-20"), officer, opinion) }, stability.StatusAnswered},
		{"rate", func() error { return c.Rate(at("2026-05-21"), code, stability.RatingBasicallySatisfied) }, stability.StatusAnswered},
		{"review", func() error { return c.RequestReview(at("2026-06-01"), citizen) }, stability.StatusReviewRequested},
		{"decide review", func() error { return c.DecideReview(at("2026-06-20"), head, opinion) }, stability.StatusReviewed},
		{"re-review", func() error { return c.RequestRereview(at("2026-07-01"), citizen) }, stability.StatusRereviewRequested},
		{"hearing", func() error {
			return c.Pause(at("2026-07-02"), head, stability.Pause{From: day("2026-07-10"), To: day("2026-07-14"), Reason: "听证"})
		}, stability.StatusRereviewRequested},
		{"decide re-review", func() error { return c.DecideRereview(at("2026-08-03"), head, opinion) }, stability.StatusRereviewed},
		{"close", func() error { return c.Close(at("2026-08-04"), head, "复核意见已送达") }, stability.StatusClosed},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if c.Status != s.want {
			t.Fatalf("%s: status %s, want %s", s.name, c.Status, s.want)
		}
	}
	want := map[string]struct {
		due    string
		status stability.DeadlineStatus
	}{
		"route":            {"2026-03-17", stability.DeadlineMet},
		"notify_transfer":  {"2026-03-18", stability.DeadlineMet},
		"object_transfer":  {"2026-03-10", stability.DeadlineMet},
		"conclude":         {"2026-06-02", stability.DeadlineMet}, // 2026-03-04 + 90 = 06-02
		"review_request":   {"2026-06-22", stability.DeadlineMet}, // 06-19 is in the Dragon Boat holiday
		"review_decide":    {"2026-07-01", stability.DeadlineMet},
		"rereview_request": {"2026-07-20", stability.DeadlineMet},
		"rereview_decide":  {"2026-08-05", stability.DeadlineMet}, // 07-01 + 30 = 07-31, + 5 hearing days = 08-05
	}
	for rule, w := range want {
		d, ok := c.DeadlineFor(rule)
		if !ok {
			t.Fatalf("no %s deadline", rule)
		}
		if d.Due.String() != w.due || d.Status != w.status {
			t.Fatalf("%s: due %s %s, want %s %s (%q)", rule, d.Due, d.Status, w.due, w.status, d.Steps)
		}
	}
	if len(c.Open()) != 0 || !c.NextDue().IsZero() {
		t.Fatalf("closed case has open deadlines: %+v", c.Open())
	}
	if !c.Supervised() || c.Escalated() {
		t.Fatal("side marks wrong")
	}
	if got := len(c.Events); got != len(steps)+2 { // registration and the transfer receipt
		t.Fatalf("%d events, want %d", got, len(steps)+2)
	}
}

func TestComplaintTerminalPaths(t *testing.T) {
	p := preset(t, "xinfang2022")
	c, _ := newCase(t, p, "2026-03-02")
	mustDo(t, c.Refer(at("2026-03-03"), clerk, "县人民法院"))
	if c.Status != stability.StatusReferred || len(c.Open()) != 0 {
		t.Fatalf("refer: %s %v", c.Status, c.Open())
	}
	wantErr(t, c.Accept(at("2026-03-04"), clerk), ssra.KindConflict, "case.transition_not_allowed")
	wantErr(t, c.Supervise(at("2026-03-04"), clerk, "x"), ssra.KindConflict, "case.transition_not_allowed")

	c, _ = newCase(t, p, "2026-03-02")
	wantErr(t, c.Divert(at("2026-03-03"), clerk, stability.DiversionTarget(99), ""), ssra.KindInvalid, "complaint.diversion_target_invalid")
	mustDo(t, c.Divert(at("2026-03-03"), clerk, stability.DivertArbitration, "劳动争议"))
	if c.Status != stability.StatusDiverted || c.Diversion.Target != stability.DivertArbitration {
		t.Fatalf("divert: %s", c.Status)
	}
	if d, _ := c.DeadlineFor("route"); d.Status != stability.DeadlineMet {
		t.Fatalf("diversion within 15 days should meet the route limit: %s", d.Status)
	}
}

// TestComplaintWindows checks each window the day before, on and after its
// deadline: the review request (answer 2026-05-20, counted 2026-06-19 in the
// Dragon Boat holiday 06-19..21, due 2026-06-22), the
// re-review request, and the objection to a transfer (5 working days).
func TestComplaintWindows(t *testing.T) {
	p := preset(t, "xinfang2022")
	for _, tc := range []struct {
		name, when string
		ok         bool
	}{
		{"review the day before, a holiday", "2026-06-21", true},
		{"review on the due day", "2026-06-22", true},
		{"review the day after", "2026-06-23", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := answered(t, p, "2026-05-20")
			err := c.RequestReview(at(tc.when), citizen)
			if tc.ok {
				mustDo(t, err)
				return
			}
			wantErr(t, err, ssra.KindConflict, "complaint.review_window_passed")
			mustDo(t, c.Close(at(tc.when), head, "复查期限届满"))
			if d, _ := c.DeadlineFor("review_request"); d.Status != stability.DeadlineLapsed {
				t.Fatalf("window status %s, want lapsed", d.Status)
			}
		})
	}
	// Re-review: review decided 2026-05-20 → window due 2026-06-22.
	for _, tc := range []struct {
		name, when string
		ok         bool
	}{
		{"re-review the day before", "2026-06-21", true},
		{"re-review on the due day", "2026-06-22", true},
		{"re-review the day after", "2026-06-23", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := answered(t, p, "2026-04-01")
			mustDo(t, c.RequestReview(at("2026-04-10"), citizen))
			mustDo(t, c.DecideReview(at("2026-05-20"), head, opinion))
			err := c.RequestRereview(at(tc.when), citizen)
			if tc.ok {
				mustDo(t, err)
				return
			}
			wantErr(t, err, ssra.KindConflict, "complaint.rereview_window_passed")
		})
	}
	// Objection: routed 2026-04-30 → 5 working days across Labour Day and
	// the make-up Saturday 2026-05-09 → due 2026-05-11 (a Monday).
	for _, tc := range []struct {
		name, when string
		ok         bool
	}{
		{"objection on the make-up Saturday", "2026-05-09", true},
		{"objection on the due day", "2026-05-11", true},
		{"objection the day after", "2026-05-12", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := newCase(t, p, "2026-04-29")
			mustDo(t, c.Route(at("2026-04-30"), clerk, stability.Destination{Organ: "县住建局"}, stability.RouteTransfer))
			err := c.ObjectToTransfer(at(tc.when), officer, "不属于本机关职权范围")
			if tc.ok {
				mustDo(t, err)
				if c.Status != stability.StatusRegistered || c.Organ != "县信访局" {
					t.Fatalf("objection: %s at %s", c.Status, c.Organ)
				}
				return
			}
			wantErr(t, err, ssra.KindConflict, "complaint.objection_window_passed")
		})
	}
	// Closing while the review window is still open is refused.
	c := answered(t, p, "2026-05-20")
	wantErr(t, c.Close(at("2026-06-22"), head, "x"), ssra.KindConflict, "complaint.window_open")
}

func TestComplaintExtensionRefusals(t *testing.T) {
	p := preset(t, "xinfang2022")
	setup := func() *stability.Complaint {
		c, _ := newCase(t, p, "2026-03-02")
		mustDo(t, c.Accept(at("2026-03-02"), clerk))
		return c
	}
	c := setup()
	wantErr(t, c.Extend(at("2026-03-10"), officer, 30, "x"), ssra.KindForbidden, "case.role_not_allowed")
	wantErr(t, c.Extend(at("2026-03-10"), head, 31, "x"), ssra.KindInvalid, "deadline.extension_days")
	wantErr(t, c.Extend(at("2026-03-10"), head, 10, ""), ssra.KindInvalid, "deadline.extension_reason_missing")
	mustDo(t, c.Extend(at("2026-03-10"), head, 10, "需补充鉴定"))
	wantErr(t, c.Extend(at("2026-03-11"), head, 10, "再次延期"), ssra.KindConflict, "complaint.extension_used")
	// Accepted 2026-03-02 → 60 days → 2026-05-01 (holiday) → 2026-05-06:
	// the day before, on and after.
	for _, tc := range []struct {
		when string
		ok   bool
	}{{"2026-05-05", true}, {"2026-05-06", true}, {"2026-05-07", false}} {
		c := setup()
		err := c.Extend(at(tc.when), head, 30, "需补充鉴定")
		if tc.ok {
			mustDo(t, err)
			if d, _ := c.DeadlineFor("conclude"); d.Due.String() != "2026-06-01" {
				t.Fatalf("extended due %s, want 2026-06-01", d.Due)
			}
			continue
		}
		wantErr(t, err, ssra.KindConflict, "complaint.extension_after_deadline")
	}
}

func TestComplaintRefusals(t *testing.T) {
	p := preset(t, "xinfang2022")
	c, _ := newCase(t, p, "2026-03-02")
	for _, tc := range []struct {
		name string
		err  error
		kind ssra.Kind
		code string
	}{
		{"answer before acceptance", c.Answer(at("2026-03-03"), officer, opinion), ssra.KindConflict, "case.transition_not_allowed"},
		{"investigate before acceptance", c.Investigate(at("2026-03-03"), officer), ssra.KindConflict, "case.transition_not_allowed"},
		{"review before answer", c.RequestReview(at("2026-03-03"), citizen), ssra.KindConflict, "case.transition_not_allowed"},
		{"re-review before review", c.RequestRereview(at("2026-03-03"), citizen), ssra.KindConflict, "case.transition_not_allowed"},
		{"decide review before request", c.DecideReview(at("2026-03-03"), head, opinion), ssra.KindConflict, "case.transition_not_allowed"},
		{"decide re-review before request", c.DecideRereview(at("2026-03-03"), head, opinion), ssra.KindConflict, "case.transition_not_allowed"},
		{"close before answer", c.Close(at("2026-03-03"), head, "x"), ssra.KindConflict, "case.transition_not_allowed"},
		{"object without transfer", c.ObjectToTransfer(at("2026-03-03"), officer, "x"), ssra.KindConflict, "case.transition_not_allowed"},
		{"extend before acceptance", c.Extend(at("2026-03-03"), head, 10, "x"), ssra.KindConflict, "case.transition_not_allowed"},
		{"route to itself", c.Route(at("2026-03-03"), clerk, stability.Destination{Organ: "县信访局"}, stability.RouteTransfer), ssra.KindInvalid, "complaint.route_target_invalid"},
		{"refer nowhere", c.Refer(at("2026-03-03"), clerk, ""), ssra.KindInvalid, "complaint.referral_missing"},
		{"time runs backwards", c.Accept(at("2026-03-01"), clerk), ssra.KindInvalid, "case.time_reversed"},
		{"no actor", c.Accept(at("2026-03-03"), stability.Participant{}), ssra.KindInvalid, "case.actor_missing"},
		{"nothing to pause", c.Pause(at("2026-03-03"), clerk, stability.Pause{From: day("2026-03-04"), To: day("2026-03-05")}), ssra.KindConflict, "case.nothing_to_pause"},
		{"rate before answer", c.Rate(at("2026-03-03"), "", stability.RatingSatisfied), ssra.KindNotFound, ""},
		{"escalate without addressee", c.Escalate(at("2026-03-03"), clerk, "", "重大紧急"), ssra.KindInvalid, "case.mark_invalid"},
		{"notice without content", c.Notify(at("2026-03-03"), clerk, " "), ssra.KindInvalid, "complaint.notice_missing"},
	} {
		t.Run(tc.name, func(t *testing.T) { wantErr(t, tc.err, tc.kind, tc.code) })
	}
	if c.Status != stability.StatusRegistered || len(c.Events) != 1 {
		t.Fatalf("refused transitions changed the case: %s, %d events", c.Status, len(c.Events))
	}
	mustDo(t, c.Accept(at("2026-03-03"), clerk))
	mustDo(t, c.Notify(at("2026-03-03"), clerk, "告知已受理"))
	wantErr(t, c.Notify(at("2026-03-03"), clerk, "再次告知"), ssra.KindConflict, "complaint.nothing_to_notify")
	wantErr(t, c.Answer(at("2026-03-04"), officer, stability.Opinion{Outcome: stability.OutcomeExplain, Text: "x"}), ssra.KindInvalid, "complaint.legal_basis_missing")
	mustDo(t, c.Escalate(at("2026-03-04"), clerk, "县委、县政府", "涉及人数较多"))
	if !c.Escalated() {
		t.Fatal("escalation mark missing")
	}
}

func TestIntakeValidation(t *testing.T) {
	in := intake()
	in.Organ = ""
	in.Matter.Facts = " "
	in.Group = true
	in.Channel = stability.ChannelVisit
	for range 6 {
		in.Representatives = append(in.Representatives, stability.Person{Name: "代表"})
	}
	in.Materials = append(in.Materials, stability.Material{})
	in.Channel, in.Matter.Type = stability.Channel(42), stability.MatterType(7)
	_, _, err := stability.NewComplaint(in, preset(t, "xinfang2022"), ssra.Calendar{}, nil, time.Time{}, stability.Participant{})
	for _, code := range []string{"complaint.organ_missing", "complaint.facts_missing", "complaint.too_many_representatives",
		"complaint.material_title_missing", "case.time_missing", "case.actor_missing",
		"complaint.channel_invalid", "complaint.matter_type_invalid"} {
		wantErr(t, err, ssra.KindInvalid, code)
	}
	in = intake()
	in.Group, in.Channel = true, stability.ChannelVisit
	in.Representatives = make([]stability.Person, stability.MaxRepresentatives)
	for i := range in.Representatives {
		in.Representatives[i].Name = "代表"
	}
	if _, _, err := stability.NewComplaint(in, preset(t, "xinfang2022"), ssra.Calendar{}, rand.NewChaCha8([32]byte{}), at("2026-03-02"), clerk); err != nil {
		t.Fatalf("five representatives refused: %v", err)
	}
	_, _, err = stability.NewComplaint(intake(), preset(t, "xinfang2022"), ssra.Calendar{}, nil, at("2026-03-02"), clerk)
	wantErr(t, err, ssra.KindInvalid, "complaint.ids_unavailable")
	in = intake()
	in.Ref, in.QueryCode = "XF-2026-000123", "ABCDEF2345"
	c, code, err := stability.NewComplaint(in, preset(t, "xinfang2022"), ssra.Calendar{}, nil, at("2026-03-02"), clerk)
	if err != nil || c.Ref != in.Ref || code != in.QueryCode || !c.VerifyQueryCode(code) || strings.Contains(c.QueryHash, code) {
		t.Fatalf("supplied ids: %v %s %s", err, c.Ref, code)
	}
}

func TestRecusal(t *testing.T) {
	c, _ := newCase(t, preset(t, "xinfang2022"), "2026-03-02")
	mustDo(t, c.AssignOfficer(at("2026-03-02"), clerk, officer))
	mustDo(t, c.Recuse(at("2026-03-02"), head, officer, "承办人系被反映物业公司股东亲属"))
	if c.Officer != nil {
		t.Fatal("recused officer still named")
	}
	wantErr(t, c.Accept(at("2026-03-03"), officer), ssra.KindForbidden, "case.recused")
	wantErr(t, c.AssignOfficer(at("2026-03-03"), clerk, officer), ssra.KindForbidden, "case.recused")
	wantErr(t, c.Recuse(at("2026-03-03"), head, officer, "again"), ssra.KindConflict, "case.already_recused")
}

// TestWhoMayRecuse: a member of staff stands aside themselves, or the head
// recuses them; a colleague cannot remove anyone, the head included. Only
// the head undoes a recusal, with a reason, and the record keeps both.
func TestWhoMayRecuse(t *testing.T) {
	c, _ := newCase(t, preset(t, "xinfang2022"), "2026-03-02")
	events := len(c.Events)
	wantErr(t, c.Recuse(at("2026-03-02"), clerk, officer, "同事关系"), ssra.KindForbidden, "case.recusal_not_allowed")
	wantErr(t, c.Recuse(at("2026-03-02"), clerk, head, "负责人回避"), ssra.KindForbidden, "case.recusal_not_allowed")
	if len(c.Recused) != 0 || len(c.Events) != events {
		t.Fatalf("a refused recusal was recorded: %+v", c.Recused)
	}
	mustDo(t, c.Recuse(at("2026-03-02"), officer, officer, "本人系物业公司股东亲属"))
	wantErr(t, c.EndRecusal(at("2026-03-03"), clerk, officer, "误报"), ssra.KindForbidden, "case.recusal_end_not_allowed")
	wantErr(t, c.EndRecusal(at("2026-03-03"), head, officer, ""), ssra.KindInvalid, "case.recusal_invalid")
	wantErr(t, c.EndRecusal(at("2026-03-03"), head, clerk, "误报"), ssra.KindConflict, "case.not_recused")
	mustDo(t, c.EndRecusal(at("2026-03-03"), head, officer, "亲属关系经核实不存在"))
	mustDo(t, c.AssignOfficer(at("2026-03-03"), clerk, officer))
	if len(c.Recused) != 1 || c.Recused[0].By != officer.ID || c.Recused[0].Ended == nil || c.Recused[0].Ended.By != head.ID || c.Recused[0].Ended.Reason == "" {
		t.Fatalf("recusals %+v", c.Recused)
	}
	if k := c.Events[len(c.Events)-2].Kind; k != stability.EventRecusalEnded {
		t.Fatalf("event %s, want recusal_ended", k)
	}
	// The dispute follows the same rule.
	d, _ := newDispute(t, "2026-03-02", stability.ModeDelegated)
	other := stability.Participant{ID: "m-02", Name: "另一调解员", Role: stability.RoleStaff}
	wantErr(t, d.Recuse(at("2026-03-02"), other, mediator, "x"), ssra.KindForbidden, "case.recusal_not_allowed")
	mustDo(t, d.Recuse(at("2026-03-02"), mediator, mediator, "亲属"))
	mustDo(t, d.EndRecusal(at("2026-03-03"), stability.Participant{ID: "m-09", Role: stability.RoleHead}, mediator, "核实无利害关系"))
}

func TestRepeatFilingGuard(t *testing.T) {
	p := preset(t, "xinfang2022")
	c := answered(t, p, "2026-04-01")
	other := intake().Matter
	other.Facts = "小区 电梯停运三个月，未修复！"
	// Same matter from someone else: compared by matter, not by person.
	wantErr(t, stability.CheckRepeat(other, []*stability.Complaint{c}), ssra.KindConflict, "complaint.repeat_in_progress")
	mustDo(t, c.RequestReview(at("2026-04-02"), citizen))
	mustDo(t, c.DecideReview(at("2026-04-20"), head, opinion))
	mustDo(t, c.RequestRereview(at("2026-04-21"), citizen))
	mustDo(t, c.DecideRereview(at("2026-05-06"), head, opinion))
	mustDo(t, c.Close(at("2026-05-06"), head, "复核终结"))
	wantErr(t, stability.CheckRepeat(other, []*stability.Complaint{c}), ssra.KindConflict, "complaint.repeat_after_rereview")
	different := other
	different.Request = "赔偿停运期间损失"
	if err := stability.CheckRepeat(different, []*stability.Complaint{c}); err != nil {
		t.Fatalf("a different request is a new matter: %v", err)
	}
}

func TestRedactAndPublicStatus(t *testing.T) {
	p := preset(t, "xinfang2022")
	c, code := newCase(t, p, "2026-03-02")
	mustDo(t, c.Route(at("2026-03-03"), clerk, stability.Destination{Organ: "县住建局"}, stability.RouteAssign))
	secrets := []string{"张三丰", "13900001111", "幸福路8号", "停运照片", "电梯停运三个月", "责令物业修复"}
	for _, tc := range []struct {
		name   string
		viewer stability.Viewer
		role   stability.ViewerRole
		leaks  bool
	}{
		{"handler", stability.Viewer{Role: stability.ViewHandler, Unit: "县住建局"}, stability.ViewHandler, true},
		{"sender", stability.Viewer{Role: stability.ViewSender, Unit: "县信访局"}, stability.ViewSender, true},
		{"handler claim from another unit", stability.Viewer{Role: stability.ViewHandler, Unit: "县财政局"}, stability.ViewStaff, false},
		{"handler claim from the subject unit", stability.Viewer{Role: stability.ViewHandler, Unit: "某物业公司"}, stability.ViewSubject, false},
		{"subject", stability.Viewer{Role: stability.ViewSubject, Unit: "某物业公司"}, stability.ViewSubject, false},
		{"staff", stability.Viewer{Role: stability.ViewStaff}, stability.ViewStaff, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := c.Redact(tc.viewer)
			if r.View != tc.role {
				t.Fatalf("view %s, want %s", r.View, tc.role)
			}
			b, _ := json.Marshal(r)
			for _, s := range secrets {
				if strings.Contains(string(b), s) != tc.leaks {
					t.Fatalf("%q visible = %v, want %v", s, !tc.leaks, tc.leaks)
				}
			}
		})
	}
	staff := c.Redact(stability.Viewer{Role: stability.ViewStaff})
	if len(staff.Case.Materials) != 1 || staff.Case.Materials[0].Marked || staff.Case.Materials[0].ID != "m2" {
		t.Fatalf("staff should see the unmarked material only: %+v", staff.Case.Materials)
	}
	// A title says what the material is ("id card copy of …"): staff
	// without need-to-know see that a material exists, not its title.
	if m := staff.Case.Materials[0]; m.Title != "" || m.Digest != "" || !slices.Contains(staff.Removed, "materials[].title") || !slices.Contains(staff.Removed, "materials[].digest") {
		t.Fatalf("staff see an unmarked material's title: %+v, removed %v", m, staff.Removed)
	}
	if c.Complainants[0].Name != "张三丰" {
		t.Fatal("Redact changed the case")
	}
	// No view changes the case it was taken from, the shallow ones
	// (handler, sender, complainant) included; the views that remove
	// something inside the case share no memory with it.
	before, _ := json.Marshal(c)
	for _, v := range []stability.Viewer{{Role: stability.ViewHandler, Unit: "县住建局"}, {Role: stability.ViewSender, Unit: "县信访局"},
		{Role: stability.ViewComplainant}, {Role: stability.ViewStaff}, {Role: stability.ViewSubject, Unit: "某物业公司"}} {
		r := c.Redact(v)
		if r.View == stability.ViewStaff || r.View == stability.ViewSubject {
			for i := range r.Case.Events {
				r.Case.Events[i].Note = "changed through the view"
			}
		}
		if after, _ := json.Marshal(c); string(after) != string(before) {
			t.Fatalf("the %s view changed the case", r.View)
		}
	}
	if c.QueryHash == "" {
		t.Fatal("a view cleared the case's own query digest")
	}
	v, err := c.PublicStatus(code)
	if err != nil {
		t.Fatal(err)
	}
	if v.Status != "routed" || len(v.Deadlines) == 0 {
		t.Fatalf("public view %+v", v)
	}
	b, _ := json.Marshal(v)
	for _, s := range secrets {
		if strings.Contains(string(b), s) {
			t.Fatalf("public view leaks %q", s)
		}
	}
	if _, err := c.PublicStatus(code[:9] + "X"); ssra.KindOf(err) != ssra.KindNotFound {
		t.Fatalf("wrong code: %v", err)
	}
}

// TestPropertyRedactNeverLeaksToSubject: for random cases driven through
// random transitions, the subject's view never contains a complainant's or
// representative's data, a material or the facts and request.
func TestPropertyRedactNeverLeaksToSubject(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	p := preset(t, "xinfang2022")
	cal := sampleCalendar(t)
	for i := 0; i < 200; i++ {
		tok := func(kind string) string {
			return kind + "-" + string(rune('A'+r.IntN(26))) + strings.Repeat("z", 3+r.IntN(5)) + "-" + string(rune('0'+i%10))
		}
		in := stability.Intake{
			Channel: stability.Channel(1 + r.IntN(6)),
			Matter: stability.Matter{Type: stability.MatterType(1 + r.IntN(3)), Subject: "unit-" + tok("s"),
				Facts: tok("facts"), Request: tok("request")},
			Organ: "organ",
		}
		var secrets []string
		for range 1 + r.IntN(3) {
			pp := stability.Person{Name: tok("name"), Phone: tok("phone"), IDNumber: tok("id"), Address: tok("addr")}
			in.Complainants = append(in.Complainants, pp)
			secrets = append(secrets, pp.Name, pp.Phone, pp.IDNumber, pp.Address)
		}
		if r.IntN(2) == 0 {
			in.Group, in.Channel = true, stability.ChannelVisit
			for range 1 + r.IntN(5) {
				pp := stability.Person{Name: tok("rep")}
				in.Representatives = append(in.Representatives, pp)
				secrets = append(secrets, pp.Name)
			}
		}
		for range r.IntN(4) {
			m := stability.Material{ID: tok("mid"), Title: tok("title"), Digest: tok("digest"), Marked: r.IntN(2) == 0}
			in.Materials = append(in.Materials, m)
			secrets = append(secrets, m.Title, m.Digest, m.ID)
		}
		secrets = append(secrets, in.Matter.Facts, in.Matter.Request)
		c, code, err := stability.NewComplaint(in, p, cal, rand.NewChaCha8([32]byte{byte(i)}), at("2026-03-02"), clerk)
		if err != nil {
			t.Fatal(err)
		}
		secrets = append(secrets, code, c.MatterKey, c.QueryHash)
		steps := []func(time.Time) error{
			func(n time.Time) error { return c.Accept(n, clerk) },
			func(n time.Time) error { return c.Investigate(n, clerk) },
			func(n time.Time) error {
				return c.Answer(n, clerk, stability.Opinion{Outcome: stability.OutcomeSupport, Text: "opinion text", LegalBasis: "basis"})
			},
			func(n time.Time) error { return c.Rate(n, code, stability.RatingSatisfied) },
			func(n time.Time) error {
				return c.RequestReview(n, stability.Participant{ID: secrets[0], Name: secrets[0], Role: stability.RoleComplainant})
			},
		}
		now := at("2026-03-03")
		for _, s := range steps[:r.IntN(len(steps)+1)] {
			mustDo(t, s(now))
			now = now.Add(24 * time.Hour)
		}
		b, err := json.Marshal(c.Redact(stability.Viewer{Role: stability.ViewSubject, Unit: in.Matter.Subject}))
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range secrets {
			if strings.Contains(string(b), s) {
				t.Fatalf("case %d: subject view leaks %q: %s", i, s, b)
			}
		}
		if strings.Contains(string(b), "opinion text") {
			t.Fatalf("subject view leaks the opinion text")
		}
	}
}

func TestOverdueAndDueSoon(t *testing.T) {
	p := preset(t, "xinfang2022")
	a, _ := newCase(t, p, "2026-03-02") // route due 2026-03-17
	b, _ := newCase(t, p, "2026-03-10") // route due 2026-03-25
	c, _ := newCase(t, p, "2026-03-02")
	mustDo(t, c.Refer(at("2026-03-03"), clerk, "法院")) // nothing open
	cases := []*stability.Complaint{a, b, c}
	for _, tc := range []struct {
		name, now string
		overdue   []string
		soon      []string
	}{
		{"day before a's deadline", "2026-03-16", nil, []string{a.Ref}},
		{"on a's deadline", "2026-03-17", nil, []string{a.Ref}},
		{"day after a's deadline", "2026-03-18", []string{a.Ref}, nil},
		{"three days before b's deadline", "2026-03-22", []string{a.Ref}, []string{b.Ref}},
		{"after both", "2026-03-26", []string{a.Ref, b.Ref}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			refs := func(ds []stability.Due) []string {
				var out []string
				for _, d := range ds {
					if d.Rule == "route" {
						out = append(out, d.Ref)
					}
				}
				return out
			}
			if got := refs(stability.Overdue(cases, at(tc.now))); !slices.Equal(got, tc.overdue) {
				t.Fatalf("overdue %v, want %v", got, tc.overdue)
			}
			if got := refs(stability.DueSoon(cases, at(tc.now), 3)); !slices.Equal(got, tc.soon) {
				t.Fatalf("due soon %v, want %v", got, tc.soon)
			}
			x := stability.NewDueIndex(cases)
			var got []string
			for _, i := range x.Overdue(at(tc.now)) {
				got = append(got, x.Ref(i))
			}
			if !slices.Equal(got, tc.overdue) {
				t.Fatalf("index overdue %v, want %v", got, tc.overdue)
			}
		})
	}
	// Windows are never overdue: an answered case whose review window passed.
	d := answered(t, p, "2026-03-20")
	if got := stability.Overdue([]*stability.Complaint{d}, at("2026-05-01")); len(got) != 0 {
		t.Fatalf("a party's window reported overdue: %+v", got)
	}
}

func TestComplaintJSONRoundTrip(t *testing.T) {
	p := preset(t, "xinfang2022")
	c := answered(t, p, "2026-04-01")
	b, err := json.Marshal(c)
	if err != nil {
		t.Fatal(err)
	}
	got, err := stability.DecodeComplaint(b, p, sampleCalendar(t))
	if err != nil {
		t.Fatal(err)
	}
	if got.NextDue() != c.NextDue() || got.Status != c.Status {
		t.Fatalf("round trip: %s %s vs %s %s", got.Status, got.NextDue(), c.Status, c.NextDue())
	}
	mustDo(t, got.RequestReview(at("2026-04-02"), citizen))
	if _, err := stability.DecodeComplaint(b, preset(t, "xinfang2005"), ssra.Calendar{}); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("profile mismatch accepted: %v", err)
	}
	i := strings.LastIndex(string(b), `"status":"answered"`)
	bad := string(b[:i]) + `"status":"lost"` + string(b[i+len(`"status":"answered"`):])
	if _, err := stability.DecodeComplaint([]byte(bad), p, ssra.Calendar{}); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("unknown status accepted: %v", err)
	}
	// DecodeComplaintWith asks for the profile the case records, binds
	// to it, and returns the resolver's error as it is.
	var asked []string
	got, err = stability.DecodeComplaintWith(b, func(name string) (*stability.Profile, error) {
		asked = append(asked, name)
		return p, nil
	}, sampleCalendar(t))
	if err != nil || len(asked) != 1 || asked[0] != "xinfang2022" || got.NextDue() != c.NextDue() {
		t.Fatalf("DecodeComplaintWith asked %v: %v", asked, err)
	}
	unknown := ssra.Errorf(ssra.KindNotFound, "test", "no such profile")
	if _, err := stability.DecodeComplaintWith(b, func(string) (*stability.Profile, error) { return nil, unknown }, ssra.Calendar{}); err != unknown {
		t.Fatalf("the resolver's error became %v", err)
	}
}

// FuzzComplaintJSON: the case decoder never panics; what it accepts can be
// redacted for the subject and re-encoded.
func FuzzComplaintJSON(f *testing.F) {
	p, _ := stability.Preset("xinfang2022")
	c, _, _ := stability.NewComplaint(intake(), p, ssra.Calendar{}, rand.NewChaCha8([32]byte{}), at("2026-03-02"), clerk)
	b, _ := json.Marshal(c)
	f.Add(string(b))
	f.Add(`{"ref":"x","profile":"xinfang2022","profile_version":"2022-05-01","organ":"o","deadlines":[],"events":[{"at":"2026-01-01T00:00:00Z","kind":"registered","by":{"id":"a","role":"staff"},"status":"registered"}],"status":"closed","channel":"fax","matter":{"type":"report","subject":"","facts":"","request":""},"matter_key":""}`)
	f.Add(`{"ref":"","events":[]}`)
	f.Fuzz(func(t *testing.T, s string) {
		c, err := stability.DecodeComplaint([]byte(s), p, ssra.Calendar{})
		if err != nil {
			return
		}
		r := c.Redact(stability.Viewer{Role: stability.ViewSubject})
		if len(r.Case.Complainants) != 0 || len(r.Case.Materials) != 0 || r.Case.Matter.Facts != "" {
			t.Fatal("subject view not redacted")
		}
		if _, err := json.Marshal(c); err != nil {
			t.Fatal(err)
		}
		_ = stability.Overdue([]*stability.Complaint{c}, at("2026-03-02"))
	})
}

// TestOneRatingPerCase: whoever holds the query code rates the handling
// once; a later rating replaces it within the profile's window and at
// most MaxRatingChanges times, and then the rating stands. The record
// never holds more than one rating, however often the route is called.
func TestOneRatingPerCase(t *testing.T) {
	p := preset(t, "xinfang2022")
	if p.RatingWindowDays != 7 {
		t.Fatalf("xinfang2022 rating window %d days, want 7", p.RatingWindowDays)
	}
	c, code := newCase(t, p, "2026-03-02")
	mustDo(t, c.Route(at("2026-03-03"), clerk, stability.Destination{Organ: "县住建局"}, stability.RouteAssign))
	mustDo(t, c.Accept(at("2026-03-04"), officer))
	mustDo(t, c.Investigate(at("2026-03-05"), officer))
	mustDo(t, c.Answer(at("2026-03-10"), officer, opinion))
	mustDo(t, c.Rate(at("2026-03-11"), code, stability.RatingDissatisfied))
	events := len(c.Events)
	for i, r := range []stability.Rating{stability.RatingSatisfied, stability.RatingBasicallySatisfied, stability.RatingSatisfied} {
		mustDo(t, c.Rate(at("2026-03-12").Add(time.Duration(i)*time.Hour), code, r))
	}
	for i := 0; i < 100; i++ {
		wantErr(t, c.Rate(at("2026-03-13"), code, stability.RatingDissatisfied), ssra.KindConflict, "case.rating_final")
	}
	if len(c.Ratings) != 1 || c.Ratings[0].Rating != stability.RatingSatisfied || c.Ratings[0].Changes != stability.MaxRatingChanges || !c.Ratings[0].At.Equal(at("2026-03-11")) {
		t.Fatalf("ratings %+v", c.Ratings)
	}
	if got := len(c.Events) - events; got != stability.MaxRatingChanges {
		t.Fatalf("%d events for %d replacements", got, stability.MaxRatingChanges)
	}
	if f := c.Facts(); f.Rating == nil || *f.Rating != stability.RatingSatisfied {
		t.Fatalf("facts rating %v", f.Rating)
	}

	// After the window the rating stands; within it, it is replaced.
	d, dcode := newDispute(t, "2026-03-02", stability.ModeDelegated)
	mustDo(t, d.Start(at("2026-03-03"), mediator))
	mustDo(t, d.Agree(at("2026-03-04"), mediator, written))
	mustDo(t, d.Rate(at("2026-03-05"), dcode, stability.RatingBasicallySatisfied))
	wantErr(t, d.Rate(at("2026-03-12"), dcode, stability.RatingDissatisfied), ssra.KindConflict, "case.rating_final")
	mustDo(t, d.Rate(at("2026-03-11"), dcode, stability.RatingSatisfied))
	if len(d.Ratings) != 1 || d.Ratings[0].Rating != stability.RatingSatisfied {
		t.Fatalf("dispute ratings %+v", d.Ratings)
	}
}

// TestChosenReferences: a reference an organisation chooses has a
// documented form (no blank, control character, path or qualifier
// separator, "..", nor over 64 characters) and records who chose it, within
// whose organisation alone it is unique.
func TestChosenReferences(t *testing.T) {
	for _, ref := range []string{"XF-2026-000123", "县信〔2026〕12号", "A.1_b(2)", strings.Repeat("7", stability.MaxReferenceLength)} {
		if ps := stability.CheckReference("ref", ref); len(ps) != 0 {
			t.Errorf("%q refused: %v", ref, ps)
		}
	}
	for _, ref := range []string{"", " ", "x\u0000y", "../x", "a/b", `a\b`, "org:x", "a..b", "-x", "x y", "x\u200by", strings.Repeat("7", stability.MaxReferenceLength+1)} {
		ps := stability.CheckReference("ref", ref)
		if len(ps) != 1 || ps[0].Code != "case.reference_invalid" || ps[0].Field != "ref" {
			t.Errorf("%q: %v", ref, ps)
		}
		in := intake()
		in.Ref, in.QueryCode = ref, "ABCDEF2345"
		if ref == "" {
			continue
		}
		_, _, err := stability.NewComplaint(in, preset(t, "xinfang2022"), ssra.Calendar{}, nil, at("2026-03-02"), clerk)
		wantErr(t, err, ssra.KindInvalid, "case.reference_invalid")
	}
	in := intake()
	in.Ref, in.QueryCode = "XF-2026-000123", "ABCDEF2345"
	c, _, err := stability.NewComplaint(in, preset(t, "xinfang2022"), ssra.Calendar{}, nil, at("2026-03-02"), clerk)
	if err != nil || c.RefOrg != in.Organ {
		t.Fatalf("chosen reference: %v, ref_org %q", err, c.RefOrg)
	}
	drawn, _ := newCase(t, preset(t, "xinfang2022"), "2026-03-02")
	if drawn.RefOrg != "" {
		t.Fatalf("a drawn reference records %q as its chooser", drawn.RefOrg)
	}
}
