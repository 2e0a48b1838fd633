package riskeval_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

var (
	ownerUser = ssra.Actor{UserID: "u-own", OrgID: "owner"}
	ownerMate = ssra.Actor{UserID: "u-own2", OrgID: "owner"}
	checker   = ssra.Actor{UserID: "u-chk", OrgID: "county-dev"}
	decider   = ssra.Actor{UserID: "u-dec", OrgID: "county-gov"}
)

var t0 = time.Date(2026, 10, 1, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))

func hours(h int) time.Time { return t0.Add(time.Duration(h) * time.Hour) }

func wantKind(t *testing.T, err error, kind ssra.Kind, code string) {
	t.Helper()
	var e *ssra.Error
	if !errors.As(err, &e) || e.Kind != kind {
		t.Fatalf("err = %v, want %s %s", err, kind, code)
	}
	if code != "" && !hasProblem(e.Problems, code, "") {
		t.Fatalf("err = %v, want problem %s", err, code)
	}
}

func tracking(t *testing.T) (riskeval.Assessment, *riskeval.Tracking) {
	t.Helper()
	return trackingAt(t, t0)
}

func trackingAt(t *testing.T, opened time.Time) (riskeval.Assessment, *riskeval.Tracking) {
	t.Helper()
	a := complete("ndrc2012_project", factor("F1", "0.6", 4, 4, 2, 2), factor("F2", "0.4", 3, 3, 1, 2))
	ap, err := riskeval.Gate(a, preset(t, "practice"))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := riskeval.Track(a, ap, "D1", opened, decider)
	if err != nil {
		t.Fatal(err)
	}
	return a, tr
}

var photo = []riskeval.Evidence{{Title: "围挡施工照片", Digest: "sha256:00"}}

func TestTrackOpensEveryImposedMeasure(t *testing.T) {
	_, tr := tracking(t)
	if len(tr.Measures) != 2 || tr.Measures[0].ID != "M-F1" || tr.Measures[0].Factor != "F1" || tr.Measures[1].State != riskeval.MeasureOpen {
		t.Fatalf("measures = %+v", tr.Measures)
	}
	a := complete("order713_2019", factor("F1", "0.6", 4, 4, 2, 2), factor("F2", "0.4", 3, 3, 1, 2))
	ap, err := riskeval.GateDecision(a, preset(t, "practice"), steps())
	if err != nil {
		t.Fatal(err)
	}
	_, err = riskeval.Track(a, ap, "D2", t0, decider)
	wantKind(t, err, ssra.KindInvalid, "tracking.no_measures")
}

// TestMeasureTransitions tries every act from every recorded state.
func TestMeasureTransitions(t *testing.T) {
	acts := map[string]func(tr *riskeval.Tracking, now time.Time) error{
		"report": func(tr *riskeval.Tracking, now time.Time) error {
			return tr.Report("M-F1", now, ownerUser, "围挡已完成一半", photo)
		},
		"complete": func(tr *riskeval.Tracking, now time.Time) error {
			return tr.Complete("M-F1", now, ownerUser, "已完成", photo)
		},
		"verify": func(tr *riskeval.Tracking, now time.Time) error {
			return tr.Verify("M-F1", now, checker, "现场核验")
		},
		"reject": func(tr *riskeval.Tracking, now time.Time) error {
			return tr.Reject("M-F1", now, checker, "照片不清")
		},
		"drop": func(tr *riskeval.Tracking, now time.Time) error {
			return tr.Drop("M-F1", now, decider, "方案调整后不再适用")
		},
	}
	reach := map[riskeval.MeasureState]func(*riskeval.Tracking){
		riskeval.MeasureOpen: func(*riskeval.Tracking) {},
		riskeval.MeasureDone: func(tr *riskeval.Tracking) {
			if err := tr.Complete("M-F1", hours(1), ownerUser, "", photo); err != nil {
				t.Fatal(err)
			}
		},
		riskeval.MeasureVerified: func(tr *riskeval.Tracking) {
			if err := tr.Complete("M-F1", hours(1), ownerUser, "", photo); err != nil {
				t.Fatal(err)
			}
			if err := tr.Verify("M-F1", hours(2), checker, ""); err != nil {
				t.Fatal(err)
			}
		},
		riskeval.MeasureDropped: func(tr *riskeval.Tracking) {
			if err := tr.Drop("M-F1", hours(1), decider, "不再适用"); err != nil {
				t.Fatal(err)
			}
		},
	}
	want := map[riskeval.MeasureState]map[string]riskeval.MeasureState{
		riskeval.MeasureOpen:     {"report": riskeval.MeasureOpen, "complete": riskeval.MeasureDone, "drop": riskeval.MeasureDropped},
		riskeval.MeasureDone:     {"verify": riskeval.MeasureVerified, "reject": riskeval.MeasureOpen, "drop": riskeval.MeasureDropped},
		riskeval.MeasureVerified: {},
		riskeval.MeasureDropped:  {},
	}
	for from, prep := range reach {
		for name, act := range acts {
			t.Run(from.String()+"/"+name, func(t *testing.T) {
				_, tr := tracking(t)
				prep(tr)
				before, _ := json.Marshal(tr)
				err := act(tr, hours(5))
				to, ok := want[from][name]
				if !ok {
					wantKind(t, err, ssra.KindConflict, "measure.transition_not_allowed")
					if after, _ := json.Marshal(tr); string(after) != string(before) {
						t.Fatal("a refused act changed the tracking")
					}
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				if got := tr.Measures[0].State; got != to {
					t.Fatalf("state = %s, want %s", got, to)
				}
				if h := tr.History[len(tr.History)-1]; h.Measure != "M-F1" || h.State != to || !h.At.Equal(hours(5)) {
					t.Fatalf("history %+v", h)
				}
			})
		}
	}
}

func TestMeasureActorsAndInputs(t *testing.T) {
	_, tr := tracking(t)
	wantKind(t, tr.Report("M-F1", hours(1), checker, "代报", nil), ssra.KindForbidden, "measure.not_owner")
	wantKind(t, tr.Report("M-F1", hours(1), ownerUser, " ", nil), ssra.KindInvalid, "measure.report_missing")
	wantKind(t, tr.Report("M-F1", hours(1), ownerUser, "进展", []riskeval.Evidence{{}}), ssra.KindInvalid, "measure.evidence_title_missing")
	wantKind(t, tr.Complete("M-F1", hours(1), ownerUser, "无证据", nil), ssra.KindInvalid, "measure.evidence_missing")
	wantKind(t, tr.Report("M-X", hours(1), ownerUser, "进展", nil), ssra.KindNotFound, "")
	if err := tr.Report("M-F1", hours(1), ownerUser, "进展", photo); err != nil {
		t.Fatal(err)
	}
	// Evidence given in an earlier report suffices.
	if err := tr.Complete("M-F1", hours(2), ownerMate, "完成", nil); err != nil {
		t.Fatal(err)
	}
	wantKind(t, tr.Verify("M-F1", hours(1), checker, ""), ssra.KindInvalid, "tracking.time_reversed")
	wantKind(t, tr.Verify("M-F1", hours(3), ownerUser, ""), ssra.KindForbidden, "measure.verifier_is_owner")
	// Someone who reported it done is refused even from another organisation.
	wantKind(t, tr.Verify("M-F1", hours(3), ssra.Actor{UserID: ownerMate.UserID, OrgID: "county-dev"}, ""), ssra.KindForbidden, "measure.verifier_is_owner")
	wantKind(t, tr.Reject("M-F1", hours(3), checker, ""), ssra.KindInvalid, "measure.reason_missing")
	wantKind(t, tr.Drop("M-F2", hours(3), ownerUser, "不做了"), ssra.KindForbidden, "measure.owner_drops")
	wantKind(t, tr.Drop("M-F2", hours(3), decider, ""), ssra.KindInvalid, "measure.reason_missing")
	if err := tr.Verify("M-F1", hours(3), checker, "核验属实"); err != nil {
		t.Fatal(err)
	}
}

// TestMeasureOverdueProperty: across random due dates and measuring dates
// on the official calendar, a measure is overdue exactly when it is open
// and the measuring date is after its due date; the summary's counts add
// up to the total; and a measure completed on its due date is done in time.
func TestMeasureOverdueProperty(t *testing.T) {
	cal := ssra.StateCouncilCalendar()
	r := rand.New(rand.NewPCG(3, 21))
	for i := range 300 {
		_, tr := trackingAt(t, time.Date(2025, 12, 1, 9, 0, 0, 0, time.UTC))
		due := cal.AddWorkdays(ssra.MustDate(2026, 1, 1), r.IntN(480))
		tr.Measures[0].Due = due
		tr.Measures[1].Due = due.AddDays(r.IntN(20))
		today := due.AddDays(r.IntN(7) - 3)
		if r.IntN(2) == 0 {
			if err := tr.Complete("M-F2", due.Time(time.UTC).Add(12*time.Hour), ownerUser, "", photo); err != nil {
				t.Fatal(err)
			}
			if !tr.Measures[1].DoneInTime() {
				t.Fatalf("#%d: completed on %s before due %s is not in time", i, due, tr.Measures[1].Due)
			}
		}
		s := tr.Summary(today)
		if s.Open+s.Done+s.Verified+s.Overdue+s.Dropped != s.Total {
			t.Fatalf("#%d: summary %+v does not add up", i, s)
		}
		for _, m := range tr.Measures {
			want := m.State == riskeval.MeasureOpen && today.After(m.Due)
			if got := m.StateAt(today) == riskeval.MeasureOverdue; got != want {
				t.Fatalf("#%d: measure %s due %s at %s overdue=%v", i, m.ID, m.Due, today, got)
			}
		}
		if got := len(tr.Overdue(today)); got != s.Overdue {
			t.Fatalf("#%d: %d overdue listed, summary says %d", i, got, s.Overdue)
		}
	}
}

func TestOpenFollowUp(t *testing.T) {
	a, tr := tracking(t)
	fu, err := tr.OpenFollowUp(a, "A1-F1", "群众对围挡效果有新诉求", []string{"M-F1"}, hours(10), checker)
	if err != nil {
		t.Fatal(err)
	}
	if fu.Status != riskeval.StatusDraft || fu.FollowUpOf == nil || fu.FollowUpOf.Assessment != "A1" || len(fu.Factors) != 2 || len(tr.FollowUps) != 1 {
		t.Fatalf("follow-up = %+v, links %+v", fu, tr.FollowUps)
	}
	fu.Factors[0].Measures[0].Description = "changed"
	if a.Factors[0].Measures[0].Description == "changed" {
		t.Fatal("the follow-up shares memory with the original")
	}
	if len(fu.Workflow.Writers) != 1 || fu.Workflow.Writers[0] != checker {
		t.Fatalf("writers = %+v", fu.Workflow.Writers)
	}
	_, err = tr.OpenFollowUp(a, "A1", "", []string{"M-X"}, hours(10), checker)
	for _, c := range []string{"follow_up.id_invalid", "follow_up.reason_missing", "follow_up.measure_unknown"} {
		if !hasProblem(ssra.ProblemsOf(err), c, "") {
			t.Fatalf("missing %s in %v", c, err)
		}
	}
	draft := a
	draft.Status = riskeval.StatusDraft
	_, err = tr.OpenFollowUp(draft, "A1-F2", "再评", nil, hours(10), checker)
	wantKind(t, err, ssra.KindConflict, "follow_up.not_issued")
}

// TestOverdueMeasureActs: overdue (逾期未落实) is an open measure past its
// due date, computed and never stored, so the acts of an open measure
// stay open to it: its owner reports and completes it (late: not done in
// time, and no longer overdue), the decision body drops it; it cannot be
// verified or rejected before it is completed.
func TestOverdueMeasureActs(t *testing.T) {
	late := hours(24 * 40)
	for name, c := range map[string]struct {
		act  func(tr *riskeval.Tracking) error
		to   riskeval.MeasureState
		code string
	}{
		"report":   {func(tr *riskeval.Tracking) error { return tr.Report("M-F1", late, ownerUser, "仍在施工", photo) }, riskeval.MeasureOverdue, ""},
		"complete": {func(tr *riskeval.Tracking) error { return tr.Complete("M-F1", late, ownerUser, "已完成", photo) }, riskeval.MeasureDone, ""},
		"drop":     {func(tr *riskeval.Tracking) error { return tr.Drop("M-F1", late, decider, "方案调整") }, riskeval.MeasureDropped, ""},
		"verify":   {func(tr *riskeval.Tracking) error { return tr.Verify("M-F1", late, checker, "") }, 0, "measure.transition_not_allowed"},
		"reject":   {func(tr *riskeval.Tracking) error { return tr.Reject("M-F1", late, checker, "x") }, 0, "measure.transition_not_allowed"},
	} {
		t.Run(name, func(t *testing.T) {
			_, tr := tracking(t)
			tr.Measures[0].Due = ssra.DateOf(hours(24 * 30))
			today := ssra.DateOf(late)
			if got := tr.Measures[0].StateAt(today); got != riskeval.MeasureOverdue {
				t.Fatalf("state at %s = %s, want overdue", today, got)
			}
			before, _ := json.Marshal(tr)
			err := c.act(tr)
			if c.code != "" {
				wantKind(t, err, ssra.KindConflict, c.code)
				if after, _ := json.Marshal(tr); string(after) != string(before) {
					t.Fatal("a refused act changed the tracking")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tr.Measures[0].StateAt(today); got != c.to {
				t.Fatalf("state afterwards = %s, want %s", got, c.to)
			}
			if name == "complete" && tr.Measures[0].DoneInTime() {
				t.Fatal("a measure completed after its due date is done in time")
			}
		})
	}
}
