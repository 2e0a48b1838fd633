package stability_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

var (
	deputy  = stability.CaseLeader{UserID: "s-010", Org: "县住建局", Post: "副局长", Name: "钱副局长"}
	deputy2 = stability.CaseLeader{UserID: "s-011", Org: "县住建局", Post: "局长", Name: "赵局长"}
)

// routedCase returns a complaint routed to and accepted by 县住建局.
func routedCase(t *testing.T) *stability.Complaint {
	t.Helper()
	c, _ := newCase(t, preset(t, "xinfang2022"), "2026-03-02")
	mustDo(t, c.Route(at("2026-03-03"), clerk, stability.Destination{Organ: "县住建局"}, stability.RouteAssign))
	mustDo(t, c.Accept(at("2026-03-04"), officer))
	return c
}

func TestLeaderAssignmentHistory(t *testing.T) {
	c := routedCase(t)
	if _, ok := c.Responsible(); ok {
		t.Fatal("a new case has a responsible leader")
	}
	mustDo(t, c.AssignLeader(at("2026-03-05"), head, deputy, ""))
	cur, ok := c.Responsible()
	if !ok || cur.Leader.UserID != deputy.UserID || cur.Assigned != day("2026-03-05") || cur.AssignedBy != head.ID {
		t.Fatalf("responsible = %+v %v", cur, ok)
	}
	wantErr(t, c.AssignLeader(at("2026-03-06"), head, deputy, "again"), ssra.KindConflict, "case.leader_unchanged")
	wantErr(t, c.AssignLeader(at("2026-03-06"), head, deputy2, ""), ssra.KindInvalid, "case.reason_missing")
	mustDo(t, c.AssignLeader(at("2026-03-10"), head, deputy2, "县委督办，改由局长包案"))
	if n := len(c.Leaders); n != 2 || c.Leaders[0].Ended != day("2026-03-10") || !c.Leaders[1].Ended.IsZero() {
		t.Fatalf("history = %+v", c.Leaders)
	}
	if c.Events[len(c.Events)-1].Kind != stability.EventLeaderAssigned {
		t.Fatalf("last event %s", c.Events[len(c.Events)-1].Kind)
	}
	mustDo(t, c.ReleaseLeader(at("2026-03-11"), head, "事项已化解"))
	if _, ok := c.Responsible(); ok {
		t.Fatal("released leader still responsible")
	}
	wantErr(t, c.ReleaseLeader(at("2026-03-12"), head, "再次"), ssra.KindConflict, "case.no_leader")
	wantErr(t, c.ReleaseLeader(at("2026-03-12"), head, ""), ssra.KindInvalid, "case.reason_missing")
}

func TestLeaderAssignmentRefusals(t *testing.T) {
	cases := []struct {
		name   string
		by     stability.Participant
		leader stability.CaseLeader
		prep   func(*stability.Complaint)
		kind   ssra.Kind
		code   string
	}{
		{"staff assigns", officer, deputy, nil, ssra.KindForbidden, "case.role_not_allowed"},
		{"head of another organ", stability.Participant{ID: "s-900", Unit: "县信访局", Role: stability.RoleHead}, deputy, nil, ssra.KindForbidden, "case.not_handling_organ"},
		{"leader of another organ", head, stability.CaseLeader{UserID: "s-020", Org: "县信访局", Post: "局长"}, nil, ssra.KindForbidden, "case.leader_not_of_organ"},
		{"no user id", head, stability.CaseLeader{Org: "县住建局", Post: "局长"}, nil, ssra.KindInvalid, "case.leader_missing"},
		{"no post", head, stability.CaseLeader{UserID: "s-010", Org: "县住建局"}, nil, ssra.KindInvalid, "case.leader_post_missing"},
		{"recused leader", head, deputy, func(c *stability.Complaint) {
			mustDo(t, c.Recuse(at("2026-03-04"), head, stability.Participant{ID: deputy.UserID}, "亲属关系"))
		}, ssra.KindForbidden, "case.recused"},
		{"leader the matter is about", head, stability.CaseLeader{UserID: "s-030", Org: "县住建局", Post: "科长", Name: "某物业公司"}, nil, ssra.KindForbidden, "case.subject_actor"},
		{"closed case", head, deputy, nil, ssra.KindConflict, "case.transition_not_allowed"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := routedCase(t)
			if tc.name == "closed case" {
				c, _ = newCase(t, preset(t, "xinfang2022"), "2026-03-02")
				mustDo(t, c.Refer(at("2026-03-03"), clerk, "县法院"))
				wantErr(t, c.AssignLeader(at("2026-03-05"), stability.Participant{ID: "s-1", Unit: "县信访局", Role: stability.RoleHead},
					stability.CaseLeader{UserID: "s-2", Org: "县信访局", Post: "局长"}, ""), ssra.KindConflict, "case.transition_not_allowed")
				return
			}
			if tc.prep != nil {
				tc.prep(c)
			}
			before := len(c.Events)
			wantErr(t, c.AssignLeader(at("2026-03-05"), tc.by, tc.leader, ""), tc.kind, tc.code)
			if len(c.Events) != before || len(c.Leaders) != 0 {
				t.Fatal("a refused assignment changed the case")
			}
		})
	}
}

// TestRoutingEndsResponsibility: a case routed away leaves its leader
// behind; the receiving organ names its own.
func TestRoutingEndsResponsibility(t *testing.T) {
	c, _ := newCase(t, preset(t, "xinfang2022"), "2026-03-02")
	xf := stability.Participant{ID: "s-100", Unit: "县信访局", Role: stability.RoleHead}
	mustDo(t, c.AssignLeader(at("2026-03-02"), xf, stability.CaseLeader{UserID: "s-101", Org: "县信访局", Post: "局长"}, ""))
	mustDo(t, c.Route(at("2026-03-03"), clerk, stability.Destination{Organ: "县住建局"}, stability.RouteAssign))
	if _, ok := c.Responsible(); ok || c.Leaders[0].Ended != day("2026-03-03") {
		t.Fatalf("routing kept the sender's leader: %+v", c.Leaders)
	}
	d, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
	chief := stability.Participant{ID: "m-00", Unit: "幸福村人民调解委员会", Role: stability.RoleHead}
	mustDo(t, d.AssignLeader(at("2026-03-03"), chief, stability.CaseLeader{UserID: "m-02", Org: "幸福村人民调解委员会", Post: "主任"}, ""))
	mustDo(t, d.HandOver(at("2026-03-04"), chief, stability.MediationAdministrative, "县司法局", "需行政调解"))
	if _, ok := d.Responsible(); ok {
		t.Fatal("hand-over kept the leader")
	}
}

// TestPublicViewShowsBodyNotLeader: the complainant's status check names
// the responsible body and nothing of the leader.
func TestPublicViewShowsBodyNotLeader(t *testing.T) {
	c, code := newCase(t, preset(t, "xinfang2022"), "2026-03-02")
	mustDo(t, c.Route(at("2026-03-03"), clerk, stability.Destination{Organ: "县住建局"}, stability.RouteAssign))
	mustDo(t, c.Accept(at("2026-03-04"), officer))
	v, err := c.PublicStatus(code)
	mustDo(t, err)
	if v.ResponsibleBody != "" {
		t.Fatalf("responsible body %q without a leader", v.ResponsibleBody)
	}
	mustDo(t, c.AssignLeader(at("2026-03-05"), head, deputy, ""))
	v, err = c.PublicStatus(code)
	mustDo(t, err)
	if v.ResponsibleBody != "县住建局" {
		t.Fatalf("responsible body = %q", v.ResponsibleBody)
	}
	b, _ := json.Marshal(v)
	for _, s := range []string{deputy.UserID, deputy.Name, deputy.Post, head.ID} {
		if strings.Contains(string(b), s) {
			t.Fatalf("public view shows %q: %s", s, b)
		}
	}
	mustDo(t, c.AssignLeader(at("2026-03-06"), head, deputy2, "上级督办要求主要负责人包案"))
	red := c.Redact(stability.Viewer{Role: stability.ViewStaff, Unit: "县信访局"})
	if len(red.Case.Leaders) != 2 || red.Case.Leaders[1].Reason != "" || red.Case.Leaders[0].EndReason != "" {
		t.Fatalf("staff view keeps the assignment reasons: %+v", red.Case.Leaders)
	}
	if full := c.Redact(stability.Viewer{Role: stability.ViewHandler, Unit: "县住建局"}); full.Case.Leaders[1].Reason == "" {
		t.Fatal("the handler does not see the reason")
	}
}

func TestSuperviseByNamesBody(t *testing.T) {
	c := routedCase(t)
	wantErr(t, c.SuperviseBy(at("2026-03-05"), clerk, "", "超期"), ssra.KindInvalid, "case.supervising_body_missing")
	wantErr(t, c.SuperviseBy(at("2026-03-05"), clerk, "县委政法委", ""), ssra.KindInvalid, "case.mark_invalid")
	mustDo(t, c.SuperviseBy(at("2026-03-05"), clerk, "县委政法委", "群众反映强烈"))
	if m := c.Marks[len(c.Marks)-1]; m.Body != "县委政法委" || m.Kind != stability.EventSupervised || !c.Supervised() {
		t.Fatalf("mark = %+v", m)
	}
}

func TestReceptionDayValidate(t *testing.T) {
	ok := stability.ReceptionDay{ID: "rd1", Organ: "县住建局", Leader: deputy, At: time.Date(2026, 3, 10, 9, 0, 0, 0, cst), Place: "县信访接待中心",
		Cases: []stability.CaseLink{{Kind: stability.CaseComplaint, Ref: "XF1"}, {Kind: stability.CaseDispute, Ref: "TJ1"}}}
	if ps := ok.Validate(); len(ps) > 0 {
		t.Fatal(ps)
	}
	bad := ok
	bad.Leader = stability.CaseLeader{UserID: "s-9", Org: "县信访局"}
	bad.Place, bad.At = "", time.Time{}
	bad.Note = "来访人电话13900001111"
	bad.Cases = []stability.CaseLink{{Kind: stability.CaseComplaint, Ref: "XF1"}, {Kind: stability.CaseComplaint, Ref: "XF1"}, {Ref: ""}}
	codes := map[string]bool{}
	for _, p := range bad.Validate() {
		codes[p.Code] = true
	}
	for _, c := range []string{"reception.leader_not_of_organ", "reception.leader_post_missing", "reception.time_missing", "reception.place_missing",
		"reception.personal_data", "reception.case_duplicate", "case_link.kind_invalid", "case_link.ref_missing"} {
		if !codes[c] {
			t.Fatalf("missing %s in %v", c, codes)
		}
	}
}

// TestResponsibilityTransitions walks every act of case responsibility
// (包案) from every state of it, on a complaint and on a dispute: no
// leader, a leader, a leader released, and a case that is closed. An
// allowed act records its event and the history; a refused one is typed
// and leaves the case as it was.
func TestResponsibilityTransitions(t *testing.T) {
	type subject struct {
		name   string
		leader stability.CaseLeader
		other  stability.CaseLeader
		head   stability.Participant
		staff  stability.Participant
		// open makes a new case held by the head's organisation; closed
		// also concludes it.
		open func(t *testing.T, closed bool) leadable
	}
	mediator := stability.Participant{ID: "m-01", Unit: "幸福村人民调解委员会", Role: stability.RoleStaff}
	chief := stability.Participant{ID: "m-00", Unit: "幸福村人民调解委员会", Role: stability.RoleHead}
	subjects := []subject{
		{"complaint", deputy, deputy2, head, officer, func(t *testing.T, closed bool) leadable {
			c := routedCase(t)
			if closed {
				mustDo(t, c.Answer(at("2026-03-05"), officer, opinion))
				mustDo(t, c.Close(at("2026-05-10"), officer, "复查期限已过"))
			}
			return leadComplaint{c}
		}},
		{"dispute", stability.CaseLeader{UserID: "m-02", Org: chief.Unit, Post: "主任"}, stability.CaseLeader{UserID: "m-03", Org: chief.Unit, Post: "副主任"}, chief, mediator,
			func(t *testing.T, closed bool) leadable {
				d, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
				if closed {
					mustDo(t, d.Decline(at("2026-03-03"), partyA, 1, "不同意调解"))
				}
				return leadDispute{d}
			}},
	}
	const (
		none     = "none"
		led      = "led"
		released = "released"
		closed   = "closed"
	)
	type outcome struct {
		kind ssra.Kind // 0: allowed
		code string
		led  bool // responsible afterwards
	}
	for _, s := range subjects {
		acts := map[string]func(c leadable) error{
			"assign":             func(c leadable) error { return c.AssignLeader(at("2026-06-01"), s.head, s.leader, "") },
			"assign same":        func(c leadable) error { return c.AssignLeader(at("2026-06-01"), s.head, s.leader, "再次") },
			"change":             func(c leadable) error { return c.AssignLeader(at("2026-06-01"), s.head, s.other, "工作调整") },
			"change, no reason":  func(c leadable) error { return c.AssignLeader(at("2026-06-01"), s.head, s.other, "") },
			"release":            func(c leadable) error { return c.ReleaseLeader(at("2026-06-01"), s.head, "已化解") },
			"release, no reason": func(c leadable) error { return c.ReleaseLeader(at("2026-06-01"), s.head, " ") },
			"staff assigns":      func(c leadable) error { return c.AssignLeader(at("2026-06-01"), s.staff, s.other, "工作调整") },
			"staff releases":     func(c leadable) error { return c.ReleaseLeader(at("2026-06-01"), s.staff, "已化解") },
			"other head releases": func(c leadable) error {
				return c.ReleaseLeader(at("2026-06-01"), stability.Participant{ID: "x-1", Unit: "县信访局", Role: stability.RoleHead}, "已化解")
			},
		}
		forbidden := func(code string) outcome { return outcome{kind: ssra.KindForbidden, code: code} }
		want := map[string]map[string]outcome{
			none: {"assign": {led: true}, "assign same": {led: true}, "change": {led: true}, "change, no reason": {led: true},
				"release": {kind: ssra.KindConflict, code: "case.no_leader"}, "release, no reason": {kind: ssra.KindInvalid, code: "case.reason_missing"},
				"staff assigns": forbidden("case.role_not_allowed"), "staff releases": forbidden("case.role_not_allowed"), "other head releases": forbidden("case.not_handling_organ")},
			led: {"assign": {kind: ssra.KindConflict, code: "case.leader_unchanged"}, "assign same": {kind: ssra.KindConflict, code: "case.leader_unchanged"},
				"change": {led: true}, "change, no reason": {kind: ssra.KindInvalid, code: "case.reason_missing"},
				"release": {}, "release, no reason": {kind: ssra.KindInvalid, code: "case.reason_missing"},
				"staff assigns": forbidden("case.role_not_allowed"), "staff releases": forbidden("case.role_not_allowed"), "other head releases": forbidden("case.not_handling_organ")},
			released: {"assign": {kind: ssra.KindInvalid, code: "case.reason_missing"}, "assign same": {led: true}, "change": {led: true},
				"change, no reason": {kind: ssra.KindInvalid, code: "case.reason_missing"},
				"release":           {kind: ssra.KindConflict, code: "case.no_leader"}, "release, no reason": {kind: ssra.KindInvalid, code: "case.reason_missing"},
				"staff assigns": forbidden("case.role_not_allowed"), "staff releases": forbidden("case.role_not_allowed"), "other head releases": forbidden("case.not_handling_organ")},
			closed: {"assign": {kind: ssra.KindConflict, code: "case.transition_not_allowed"}, "assign same": {kind: ssra.KindConflict, code: "case.transition_not_allowed"},
				"change": {kind: ssra.KindConflict, code: "case.transition_not_allowed"}, "change, no reason": {kind: ssra.KindConflict, code: "case.transition_not_allowed"},
				"release": {kind: ssra.KindConflict, code: "case.no_leader"}, "release, no reason": {kind: ssra.KindInvalid, code: "case.reason_missing"},
				"staff assigns": forbidden("case.role_not_allowed"), "staff releases": forbidden("case.role_not_allowed"), "other head releases": forbidden("case.not_handling_organ")},
		}
		for from, byAct := range want {
			for name, w := range byAct {
				t.Run(s.name+"/"+from+"/"+name, func(t *testing.T) {
					c := s.open(t, from == closed)
					switch from {
					case led:
						mustDo(t, c.AssignLeader(at("2026-03-05"), s.head, s.leader, ""))
					case released:
						mustDo(t, c.AssignLeader(at("2026-03-05"), s.head, s.leader, ""))
						mustDo(t, c.ReleaseLeader(at("2026-03-05"), s.head, "调整"))
					}
					before, _ := json.Marshal(c)
					err := acts[name](c)
					if w.kind != 0 {
						wantErr(t, err, w.kind, w.code)
						if after, _ := json.Marshal(c); string(after) != string(before) {
							t.Fatal("a refused act changed the case")
						}
						return
					}
					mustDo(t, err)
					if _, ok := c.Responsible(); ok != w.led {
						t.Fatalf("responsible afterwards = %v, want %v", ok, w.led)
					}
					ev := c.last()
					if wantKind := map[bool]stability.EventKind{true: stability.EventLeaderAssigned, false: stability.EventLeaderReleased}[w.led]; ev.Kind != wantKind || ev.By.ID != s.head.ID {
						t.Fatalf("last event %+v, want %s by the head", ev, wantKind)
					}
				})
			}
		}
	}
}

// leadable is a complaint or a dispute, as case responsibility acts on it.
type leadable interface {
	AssignLeader(now time.Time, by stability.Participant, l stability.CaseLeader, reason string) error
	ReleaseLeader(now time.Time, by stability.Participant, reason string) error
	Responsible() (stability.Responsibility, bool)
	last() stability.Event
}

type leadComplaint struct{ *stability.Complaint }

func (c leadComplaint) last() stability.Event { return c.Events[len(c.Events)-1] }

type leadDispute struct{ *stability.Dispute }

func (d leadDispute) last() stability.Event { return d.Events[len(d.Events)-1] }
