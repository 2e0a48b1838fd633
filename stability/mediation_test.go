package stability_test

import (
	"encoding/json"
	"io"
	"math/rand/v2"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

var (
	mediator = stability.Participant{ID: "m-01", Name: "陈调解员", Unit: "幸福村人民调解委员会", Role: stability.RoleStaff}
	judge    = stability.Participant{ID: "j-01", Name: "法官", Unit: "县人民法院", Role: stability.RoleStaff}
	court    = stability.Participant{ID: "j-00", Name: "院长", Unit: "县人民法院", Role: stability.RoleHead}
	partyA   = stability.Participant{ID: "p-a", Role: stability.RoleParty}
	routes   = []string{"仲裁", "向人民法院起诉"}
	written  = stability.Agreement{Form: stability.AgreementWritten, Terms: "甲方于三月底前拆除违建围墙", PerformBy: day("2026-03-31"), Signed: true, Sealed: true}
)

func disputeIntake() stability.MediationIntake {
	return stability.MediationIntake{
		Channel: stability.MediationPeople, Category: "邻里纠纷", Summary: "宅基地围墙越界约半米",
		Parties:   []stability.Person{{Name: "刘甲", Phone: "13700002222"}, {Name: "孙乙", Address: "幸福村三组"}},
		Materials: []stability.Material{{ID: "d1", Title: "测量图", Marked: true}},
		Organ:     "幸福村人民调解委员会",
	}
}

func newDispute(t *testing.T, when string, mode stability.MediationMode) (*stability.Dispute, string) {
	t.Helper()
	d, code, err := stability.NewDispute(disputeIntake(), preset(t, "mediation2010"), sampleCalendar(t), rand.NewChaCha8([32]byte{2}), at(when), mediator)
	if err != nil {
		t.Fatal(err)
	}
	mustDo(t, d.Assign(at(when), mediator, mediator, mode))
	return d, code
}

func TestDisputeToJudicialConfirmation(t *testing.T) {
	d, code := newDispute(t, "2026-01-30", stability.ModeStandard)
	if d.Status != stability.DisputeAssigned || d.Officer == nil || !strings.HasPrefix(d.Ref, "TJ20260130-") {
		t.Fatalf("assign: %s %v %s", d.Status, d.Officer, d.Ref)
	}
	mustDo(t, d.Start(at("2026-01-31"), mediator))
	// One month from 2026-01-31 ends on 2026-02-28, a make-up working Saturday.
	if dl, _ := d.DeadlineFor("mediate"); dl.Due.String() != "2026-02-28" {
		t.Fatalf("mediate due %s, want 2026-02-28", dl.Due)
	}
	// An appraisal of 3 days is not counted: 28 + 3 days → 2026-03-03.
	mustDo(t, d.Pause(at("2026-02-04"), mediator, stability.Pause{From: day("2026-02-05"), To: day("2026-02-07"), Reason: "测绘鉴定"}))
	if dl, _ := d.DeadlineFor("mediate"); dl.Due.String() != "2026-03-03" || dl.PausedDays != 3 {
		t.Fatalf("paused mediate due %s (%d paused), want 2026-03-03", dl.Due, dl.PausedDays)
	}
	mustDo(t, d.Agree(at("2026-03-02"), mediator, written))
	if dl, _ := d.DeadlineFor("mediate"); dl.Status != stability.DeadlineMet {
		t.Fatalf("mediate %s, want met", dl.Status)
	}
	mustDo(t, d.StartPerformance(at("2026-03-03"), mediator))
	mustDo(t, d.RequestConfirmation(at("2026-03-10"), partyA, "县人民法院", true))
	if dl, _ := d.DeadlineFor("confirmation_decide"); dl.Due.String() != "2026-03-25" {
		t.Fatalf("decision due %s, want 2026-03-25", dl.Due)
	}
	wantErr(t, d.ExtendConfirmation(at("2026-03-20"), judge, "案情复杂"), ssra.KindForbidden, "case.role_not_allowed")
	mustDo(t, d.ExtendConfirmation(at("2026-03-20"), court, "案情复杂"))
	// 15 + 10 days from 2026-03-10 is 2026-04-04, in the Qingming holiday → 2026-04-07.
	if dl, _ := d.DeadlineFor("confirmation_decide"); dl.Due.String() != "2026-04-07" || !dl.RolledOver {
		t.Fatalf("extended decision due %s, want 2026-04-07", dl.Due)
	}
	wantErr(t, d.ExtendConfirmation(at("2026-03-21"), court, "again"), ssra.KindConflict, "dispute.extension_used")
	mustDo(t, d.Confirm(at("2026-04-01"), judge))
	mustDo(t, d.MarkPerformed(at("2026-04-02"), mediator))
	wantErr(t, d.MarkPerformed(at("2026-04-03"), mediator), ssra.KindConflict, "dispute.already_performed")
	mustDo(t, d.Rate(at("2026-04-03"), code, stability.RatingSatisfied))
	if d.Status != stability.DisputeConfirmed || d.Performed.IsZero() || !d.Confirmation.Confirmed || len(d.Open()) != 0 {
		t.Fatalf("end state %s performed %s open %v", d.Status, d.Performed, d.Open())
	}
	v, err := d.PublicStatus(code)
	if err != nil || v.StatusLabel.ZH != "已司法确认" {
		t.Fatalf("public status %+v %v", v, err)
	}
}

func TestDisputeModes(t *testing.T) {
	for _, tc := range []struct {
		mode      stability.MediationMode
		rule, due string
	}{
		{stability.ModeStandard, "mediate", "2026-07-01"},
		{stability.ModeDelegated, "mediate_delegated", "2026-07-01"},
		{stability.ModeEntrusted, "mediate_entrusted", "2026-06-16"},
		{stability.ModeEntrustedSimplified, "mediate_entrusted_simplified", "2026-06-08"},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			d, _ := newDispute(t, "2026-06-01", tc.mode)
			mustDo(t, d.Start(at("2026-06-01"), mediator))
			dl, ok := d.DeadlineFor(tc.rule)
			if !ok || dl.Due.String() != tc.due {
				t.Fatalf("%s due %s, want %s", tc.rule, dl.Due, tc.due)
			}
		})
	}
}

// TestConfirmationWindow: agreement effective 2026-03-02, joint application
// due 2026-04-01: the day before, on and after.
func TestConfirmationWindow(t *testing.T) {
	for _, tc := range []struct {
		when string
		ok   bool
	}{{"2026-03-31", true}, {"2026-04-01", true}, {"2026-04-02", false}} {
		t.Run(tc.when, func(t *testing.T) {
			d, _ := newDispute(t, "2026-02-02", stability.ModeStandard)
			mustDo(t, d.Start(at("2026-02-02"), mediator))
			mustDo(t, d.Agree(at("2026-03-02"), mediator, written))
			err := d.RequestConfirmation(at(tc.when), partyA, "县人民法院", true)
			if tc.ok {
				mustDo(t, err)
				return
			}
			wantErr(t, err, ssra.KindConflict, "dispute.confirmation_window_passed")
		})
	}
}

func TestDisputeRefusals(t *testing.T) {
	d, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
	wantErr(t, d.Agree(at("2026-03-03"), mediator, written), ssra.KindConflict, "case.transition_not_allowed")
	wantErr(t, d.RequestConfirmation(at("2026-03-03"), partyA, "县人民法院", true), ssra.KindConflict, "case.transition_not_allowed")
	wantErr(t, d.Terminate(at("2026-03-03"), mediator, "x", routes), ssra.KindConflict, "case.transition_not_allowed")
	wantErr(t, d.Confirm(at("2026-03-03"), judge), ssra.KindConflict, "case.transition_not_allowed")
	mustDo(t, d.Start(at("2026-03-03"), mediator))
	wantErr(t, d.EndByParty(at("2026-03-04"), partyA, "不愿继续", nil), ssra.KindInvalid, "dispute.routes_missing")
	wantErr(t, d.Agree(at("2026-03-04"), mediator, stability.Agreement{Form: stability.AgreementWritten, Terms: "x", Signed: true}), ssra.KindInvalid, "dispute.agreement_not_effective")
	wantErr(t, d.Agree(at("2026-03-04"), mediator, stability.Agreement{Form: stability.AgreementOral}), ssra.KindInvalid, "dispute.terms_missing")
	wantErr(t, d.Decline(at("2026-03-04"), partyA, 5, "x"), ssra.KindInvalid, "dispute.party_unknown")
	mustDo(t, d.Agree(at("2026-03-04"), mediator, stability.Agreement{Form: stability.AgreementOral, Terms: "口头协议：互相让出二十厘米"}))
	wantErr(t, d.RequestConfirmation(at("2026-03-05"), partyA, "县人民法院", false), ssra.KindInvalid, "dispute.confirmation_not_joint")
	mustDo(t, d.RequestConfirmation(at("2026-03-05"), partyA, "县人民法院", true))
	wantErr(t, d.RefuseConfirmation(at("2026-03-06"), judge, ""), ssra.KindInvalid, "dispute.grounds_missing")
	mustDo(t, d.RefuseConfirmation(at("2026-03-06"), judge, "协议内容不明确"))
	if d.Status != stability.DisputeRefused || len(d.Open()) != 0 {
		t.Fatalf("refused: %s %v", d.Status, d.Open())
	}

	_, _, err := stability.NewDispute(stability.MediationIntake{Parties: []stability.Person{{}}, Channel: 9}, preset(t, "mediation2010"), ssra.Calendar{}, nil, at("2026-03-02"), mediator)
	for _, code := range []string{"dispute.organ_missing", "dispute.summary_missing", "dispute.channel_invalid", "dispute.parties_missing", "dispute.name_missing"} {
		wantErr(t, err, ssra.KindInvalid, code)
	}
}

func TestDisputeEndings(t *testing.T) {
	t.Run("declined at intake", func(t *testing.T) {
		d, _, err := stability.NewDispute(disputeIntake(), preset(t, "mediation2010"), ssra.Calendar{}, rand.NewChaCha8([32]byte{}), at("2026-03-02"), mediator)
		mustDo(t, err)
		mustDo(t, d.Decline(at("2026-03-02"), partyA, 1, "不同意调解"))
		wantErr(t, d.Assign(at("2026-03-03"), mediator, mediator, stability.ModeStandard), ssra.KindConflict, "case.transition_not_allowed")
	})
	t.Run("declined during mediation stops the clock", func(t *testing.T) {
		d, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
		mustDo(t, d.Start(at("2026-03-02"), mediator))
		mustDo(t, d.Decline(at("2026-03-05"), partyA, 0, "不再同意调解"))
		if dl, _ := d.DeadlineFor("mediate"); dl.Status != stability.DeadlineMet {
			t.Fatalf("mediate %s", dl.Status)
		}
	})
	t.Run("ended by a party", func(t *testing.T) {
		d, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
		mustDo(t, d.Start(at("2026-03-02"), mediator))
		mustDo(t, d.EndByParty(at("2026-03-05"), partyA, "要求终止调解", routes))
		if d.Status != stability.DisputeTerminated || !d.Termination.ByParty {
			t.Fatalf("%s %+v", d.Status, d.Termination)
		}
	})
	t.Run("terminated late, handed over to judicial mediation", func(t *testing.T) {
		d, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
		mustDo(t, d.Start(at("2026-03-02"), mediator))
		mustDo(t, d.Terminate(at("2026-04-10"), mediator, "调解不成", routes))
		if dl, _ := d.DeadlineFor("mediate"); dl.Status != stability.DeadlineLate {
			t.Fatalf("terminated after the month: %s, want late", dl.Status)
		}
		wantErr(t, d.HandOver(at("2026-04-11"), mediator, stability.MediationPeople, "x", "y"), ssra.KindInvalid, "dispute.handover_invalid")
		mustDo(t, d.HandOver(at("2026-04-11"), mediator, stability.MediationJudicial, "县人民法院", "当事人同意诉前调解"))
		if d.Status != stability.DisputeIntake || d.Channel != stability.MediationJudicial || d.Organ != "县人民法院" || d.Officer != nil {
			t.Fatalf("hand-over: %s %s %s", d.Status, d.Channel, d.Organ)
		}
		mustDo(t, d.Assign(at("2026-04-12"), judge, judge, stability.ModeDelegated))
	})
}

func TestEscalationFlagExportsNoPersons(t *testing.T) {
	d, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
	wantErr(t, d.ReportEscalation(at("2026-03-03"), mediator, "", "x"), ssra.KindInvalid, "dispute.escalation_invalid")
	mustDo(t, d.ReportEscalation(at("2026-03-03"), mediator, "幸福镇派出所", "双方言语冲突升级，可能引发治安案件"))
	if !d.Flagged() {
		t.Fatal("flag not set")
	}
	flags := stability.EscalationFlags([]*stability.Dispute{d})
	if len(flags) != 1 || flags[0].To != "幸福镇派出所" || flags[0].Ref != d.Ref {
		t.Fatalf("flags %+v", flags)
	}
	b, _ := json.Marshal(flags)
	for _, s := range []string{"刘甲", "孙乙", "13700002222", "幸福村三组", "测量图", "宅基地围墙"} {
		if strings.Contains(string(b), s) {
			t.Fatalf("escalation export leaks %q", s)
		}
	}
}

// TestPropertyDisputeRedact: outside units and staff without need-to-know
// never see a party, the summary or a material, whatever state the dispute
// is in; the handling body sees them.
func TestPropertyDisputeRedact(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := 0; i < 100; i++ {
		d, _ := newDispute(t, "2026-03-02", stability.MediationMode(1+r.IntN(4)))
		steps := []func() error{
			func() error { return d.Start(at("2026-03-03"), mediator) },
			func() error { return d.Agree(at("2026-03-04"), mediator, written) },
			func() error { return d.StartPerformance(at("2026-03-05"), mediator) },
			func() error { return d.RequestConfirmation(at("2026-03-06"), partyA, "县人民法院", true) },
			func() error { return d.Confirm(at("2026-03-07"), judge) },
		}
		for _, s := range steps[:r.IntN(len(steps)+1)] {
			mustDo(t, s())
		}
		for _, v := range []stability.Viewer{{Role: stability.ViewSubject}, {Role: stability.ViewStaff}, {Role: stability.ViewHandler, Unit: "其他单位"}} {
			b, _ := json.Marshal(d.Redact(v))
			for _, s := range []string{"刘甲", "孙乙", "13700002222", "幸福村三组", "测量图", "宅基地围墙", "违建围墙"} {
				if strings.Contains(string(b), s) {
					t.Fatalf("view %v leaks %q", v, s)
				}
			}
		}
		if b, _ := json.Marshal(d.Redact(stability.Viewer{Role: stability.ViewHandler, Unit: d.Organ})); !strings.Contains(string(b), "刘甲") {
			t.Fatal("handler cannot see the parties")
		}
	}
}

func FuzzDisputeJSON(f *testing.F) {
	p, _ := stability.Preset("mediation2010")
	d, _, _ := stability.NewDispute(disputeIntake(), p, ssra.Calendar{}, rand.NewChaCha8([32]byte{}), at("2026-03-02"), mediator)
	_ = d.Assign(at("2026-03-02"), mediator, mediator, stability.ModeDelegated)
	b, _ := json.Marshal(d)
	f.Add(string(b))
	f.Add(`{"ref":"x","profile":"mediation2010","profile_version":"2016","organ":"o","deadlines":[],"events":[{"at":"2026-01-01T00:00:00Z","kind":"intake","by":{"id":"a","role":"staff"},"status":"intake"}],"status":"assigned","channel":"people","category":"","summary":"","parties":[]}`)
	f.Add(`{"status":"confirmation_requested"}`)
	f.Fuzz(func(t *testing.T, s string) {
		d, err := stability.DecodeDispute([]byte(s), p, ssra.Calendar{})
		if err != nil {
			return
		}
		r := d.Redact(stability.Viewer{Role: stability.ViewSubject})
		if len(r.Case.Parties) != 0 || r.Case.Summary != "" {
			t.Fatal("subject view not redacted")
		}
		// Transitions on decoded input never panic.
		now := at("2030-01-01")
		_ = d.Start(now, mediator)
		_ = d.ExtendConfirmation(now, court, "x")
		_ = d.Confirm(now, judge)
		_ = d.RequestConfirmation(now, partyA, "c", true)
	})
}

// TestRegistrationChecks holds complaints and disputes to the same checks
// when a case is opened: a deadline profile, the time, the actor, and a
// random source when the intake brings no reference number.
func TestRegistrationChecks(t *testing.T) {
	rnd := func() io.Reader { return rand.NewChaCha8([32]byte{7}) }
	open := map[string]func(p *stability.Profile, rnd io.Reader, now time.Time, by stability.Participant) error{
		"complaint": func(p *stability.Profile, rnd io.Reader, now time.Time, by stability.Participant) error {
			_, _, err := stability.NewComplaint(intake(), p, ssra.Calendar{}, rnd, now, by)
			return err
		},
		"dispute": func(p *stability.Profile, rnd io.Reader, now time.Time, by stability.Participant) error {
			_, _, err := stability.NewDispute(disputeIntake(), p, ssra.Calendar{}, rnd, now, by)
			return err
		},
	}
	profiles := map[string]string{"complaint": "xinfang2022", "dispute": "mediation2010"}
	for kind, do := range open {
		p := preset(t, profiles[kind])
		t.Run(kind, func(t *testing.T) {
			if err := do(p, rnd(), at("2026-03-02"), clerk); err != nil {
				t.Fatalf("a complete registration is refused: %v", err)
			}
			wantErr(t, do(nil, rnd(), at("2026-03-02"), clerk), ssra.KindInvalid, kind+".profile_missing")
			wantErr(t, do(p, rnd(), time.Time{}, clerk), ssra.KindInvalid, "case.time_missing")
			wantErr(t, do(p, rnd(), at("2026-03-02"), stability.Participant{}), ssra.KindInvalid, "case.actor_missing")
			wantErr(t, do(p, nil, at("2026-03-02"), clerk), ssra.KindInvalid, kind+".ids_unavailable")
		})
	}
}

// TestMediationVersionNamesItsTexts: a preset's version names the text it
// follows. mediation2010 was "2016", one of the five texts its rules cite;
// every year a rule's basis cites is now in its version, and a case opened
// under "2016" still binds (the rules did not change), while another
// version does not.
func TestMediationVersionNamesItsTexts(t *testing.T) {
	year := regexp.MustCompile(`(19|20)[0-9]{2}`)
	for _, n := range stability.PresetNames() {
		p := preset(t, n)
		// The first year of the title is the text the profile is named after.
		if y := year.FindString(p.Title.ZH); y == "" || !strings.Contains(p.Version, y) {
			t.Errorf("%s: version %q does not name the year %q of its title %q", n, p.Version, y, p.Title.ZH)
		}
	}
	p := preset(t, "mediation2010")
	for _, r := range p.Rules {
		for _, y := range year.FindAllString(r.Basis.ZH, -1) {
			if !strings.Contains(p.Version, y) {
				t.Errorf("rule %s cites a text of %s, which version %q does not name", r.ID, y, p.Version)
			}
		}
	}
	d, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	old := strings.ReplaceAll(string(b), `"profile_version":"`+p.Version+`"`, `"profile_version":"2016"`)
	if old == string(b) {
		t.Fatal("no profile_version to rewrite")
	}
	if _, err := stability.DecodeDispute([]byte(old), p, sampleCalendar(t)); err != nil {
		t.Fatalf("a case opened under the former version name: %v", err)
	}
	other := strings.ReplaceAll(string(b), `"profile_version":"`+p.Version+`"`, `"profile_version":"2015"`)
	_, err = stability.DecodeDispute([]byte(other), p, sampleCalendar(t))
	wantErr(t, err, ssra.KindInvalid, "case.profile_mismatch")
}
