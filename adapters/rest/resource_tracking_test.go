package rest_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// trackedAssessmentJSON is assessmentJSON whose measures are owned by
// organisations, by identifier: M1 by m1, M2 by m2, due m1Due and
// 2027-03-31.
func trackedAssessmentJSON(m1, m2, m1Due string) map[string]any {
	body := assessmentJSON("ndrc2012_project", 2, 2)
	fs := body["assessment"].(map[string]any)["factors"].([]any)
	fs[0].(map[string]any)["measures"] = []any{map[string]any{"id": "M1", "description": "sign compensation agreements", "owner": m1, "due": m1Due}}
	fs[1].(map[string]any)["measures"] = []any{map[string]any{"id": "M2", "description": "install filters", "owner": m2, "due": "2027-03-31"}}
	return body
}

// decidedWithMeasures issues an assessment of org A with measures owned by
// m1 and m2, and org A's decision maker approves it with measures; it
// returns the assessment's and the decision's ids.
func decidedWithMeasures(t *testing.T, f *fixture, m1, m2, m1Due string) (string, string) {
	t.Helper()
	aid := issue(t, f, trackedAssessmentJSON(m1, m2, m1Due))
	d := f.call(t, "POST", "/v1/assessments/"+aid+"/decision", keyOf(orgA, ssra.RoleDecisionMaker), map[string]any{"intent": "approve"}, "If-Match", `"v4"`).must(t, http.StatusCreated)
	if d.str("data", "outcome") != "approve_with_measures" {
		t.Fatalf("decision: %s", d.raw)
	}
	return aid, d.str("id")
}

func measureOf(t *testing.T, r reply, id string) map[string]any {
	t.Helper()
	for _, m := range r.body["data"].(map[string]any)["tracking"].(map[string]any)["measures"].([]any) {
		if m := m.(map[string]any); m["id"] == id {
			return m
		}
	}
	t.Fatalf("no measure %s in %s", id, r.raw)
	return nil
}

func TestTrackingRoundTrip(t *testing.T) {
	f := newFixture(t)
	aid, did := decidedWithMeasures(t, f, orgA, orgB, "2026-12-31")
	maker := keyOf(orgA, ssra.RoleDecisionMaker)
	tr := f.call(t, "POST", "/v1/decisions/"+did+"/tracking", maker, nil).must(t, http.StatusCreated)
	id := tr.str("id")
	if tr.hdr.Get("Location") != "/v1/trackings/"+id || tr.str("status") != "open" || tr.str("due_on") != "2026-12-31" {
		t.Fatalf("opened: %s", tr.raw)
	}
	// A decision is tracked once.
	f.call(t, "POST", "/v1/decisions/"+did+"/tracking", maker, nil).must(t, http.StatusConflict)
	// The decision shows its measures' state.
	d := f.call(t, "GET", "/v1/decisions/"+did, maker, nil).must(t, http.StatusOK)
	if d.str("data", "tracking", "id") != id || !strings.Contains(d.str("data", "tracking", "measures"), "open") {
		t.Fatalf("decision view: %s", d.raw)
	}
	// B owns M2 and sees the tracking through the share; C does not.
	f.call(t, "GET", "/v1/trackings/"+id, keyOf(orgB, ssra.RoleViewer), nil).must(t, http.StatusOK)
	f.call(t, "GET", "/v1/trackings/"+id, keyOf(orgC, ssra.RoleViewer), nil).must(t, http.StatusNotFound)

	// B reports on and completes its M2 (a write through the share); it
	// may not report on A's M1.
	cwB := keyOf(orgB, ssra.RoleCaseworker)
	r := f.call(t, "POST", "/v1/trackings/"+id+"/report", cwB, map[string]any{"measure": "M1", "text": "x"}, "If-Match", `"v1"`).must(t, http.StatusForbidden)
	if !slices.Contains(r.errorCodes(), "measure.not_owner") {
		t.Fatalf("refusal: %s", r.raw)
	}
	f.call(t, "POST", "/v1/trackings/"+id+"/report", cwB, map[string]any{"measure": "M2", "text": "filters ordered",
		"evidence": []any{map[string]any{"title": "order"}}}, "If-Match", `"v1"`).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/trackings/"+id+"/complete", cwB, map[string]any{"measure": "M2", "note": "installed"}, "If-Match", `"v1"`).must(t, http.StatusPreconditionFailed)
	r = f.call(t, "POST", "/v1/trackings/"+id+"/complete", cwB, map[string]any{"measure": "M2", "note": "installed"}, "If-Match", `"v2"`).must(t, http.StatusOK)
	if m := measureOf(t, r, "M2"); m["state"] != "done" || r.str("org_id") != orgA || r.str("read_only") != "true" {
		t.Fatalf("after completion: %s", r.raw)
	}
	// B does not verify its own measure, nor drop one; a field the act
	// does not take is refused.
	f.call(t, "POST", "/v1/trackings/"+id+"/verify", keyOf(orgB, ssra.RoleReviewer), map[string]any{"measure": "M2"}, "If-Match", `"v3"`).must(t, http.StatusForbidden)
	f.call(t, "POST", "/v1/trackings/"+id+"/drop", keyOf(orgB, ssra.RoleDecisionMaker), map[string]any{"measure": "M2", "reason": "x"}, "If-Match", `"v3"`).must(t, http.StatusForbidden)
	r = f.call(t, "POST", "/v1/trackings/"+id+"/verify", keyOf(orgA, ssra.RoleReviewer), map[string]any{"measure": "M2", "reason": "x"}, "If-Match", `"v3"`).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "measure.field_not_taken") {
		t.Fatalf("refusal: %s", r.raw)
	}
	r = f.call(t, "POST", "/v1/trackings/"+id+"/verify", keyOf(orgA, ssra.RoleReviewer), map[string]any{"measure": "M9"}, "If-Match", `"v3"`).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "measure.unknown") {
		t.Fatalf("refusal: %s", r.raw)
	}
	// The decision body rejects it, B completes it again, A verifies it.
	f.call(t, "POST", "/v1/trackings/"+id+"/reject", keyOf(orgA, ssra.RoleReviewer), map[string]any{"measure": "M2"}, "If-Match", `"v3"`).must(t, http.StatusUnprocessableEntity)
	f.call(t, "POST", "/v1/trackings/"+id+"/reject", keyOf(orgA, ssra.RoleReviewer), map[string]any{"measure": "M2", "reason": "no test report"}, "If-Match", `"v3"`).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/trackings/"+id+"/complete", cwB, map[string]any{"measure": "M2", "note": "tested",
		"evidence": []any{map[string]any{"title": "test report"}}}, "If-Match", `"v4"`).must(t, http.StatusOK)
	r = f.call(t, "POST", "/v1/trackings/"+id+"/verify", keyOf(orgA, ssra.RoleReviewer), map[string]any{"measure": "M2", "note": "on site"}, "If-Match", `"v5"`).must(t, http.StatusOK)
	if m := measureOf(t, r, "M2"); m["state"] != "verified" {
		t.Fatalf("after verification: %s", r.raw)
	}
	// A verified measure is not verified again: 409 naming the rule.
	r = f.call(t, "POST", "/v1/trackings/"+id+"/verify", keyOf(orgA, ssra.RoleReviewer), map[string]any{"measure": "M2"}, "If-Match", `"v6"`).must(t, http.StatusConflict)
	if !slices.Contains(r.errorCodes(), "measure.transition_not_allowed") {
		t.Fatalf("refusal: %s", r.raw)
	}

	// Past M1's due date it is overdue, on the tracking, the decision and
	// the overdue list; C's list is empty.
	f.clock.Advance(70 * 24 * time.Hour) // 2027-01-11
	r = f.call(t, "GET", "/v1/trackings/overdue", keyOf(orgB, ssra.RoleViewer), nil).must(t, http.StatusOK)
	items := r.body["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["days_overdue"] != 11.0 || items[0].(map[string]any)["measure"].(map[string]any)["id"] != "M1" {
		t.Fatalf("overdue: %s", r.raw)
	}
	if r := f.call(t, "GET", "/v1/trackings/overdue", keyOf(orgC, ssra.RoleViewer), nil).must(t, http.StatusOK); len(r.body["items"].([]any)) != 0 {
		t.Fatalf("C's overdue list: %s", r.raw)
	}
	r = f.call(t, "GET", "/v1/trackings/"+id, maker, nil).must(t, http.StatusOK)
	if r.str("data", "overdue") != `["M1"]` || r.str("data", "summary", "overdue") != "1" || r.str("data", "summary", "verified") != "1" {
		t.Fatalf("tracking view: %s", r.raw)
	}

	// The report of the issued assessment gains the section.
	rep := f.call(t, "GET", "/v1/assessments/"+aid+"/report?format=md", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if !strings.Contains(rep.raw, "措施落实情况") || !strings.Contains(rep.raw, "M1") {
		t.Fatalf("report without the section: %s", rep.raw)
	}

	// The assessing body (A) opens a follow-up for the overdue M1.
	f.call(t, "POST", "/v1/trackings/"+id+"/follow_up", keyOf(orgB, ssra.RoleAssessor), map[string]any{"reason": "x"}, "If-Match", `"v6"`).must(t, http.StatusForbidden)
	r = f.call(t, "POST", "/v1/trackings/"+id+"/follow_up", keyOf(orgA, ssra.RoleAssessor), map[string]any{"reason": "households object", "measures": []any{"M9"}}, "If-Match", `"v6"`).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "follow_up.measure_unknown") {
		t.Fatalf("refusal: %s", r.raw)
	}
	fu := f.call(t, "POST", "/v1/trackings/"+id+"/follow_up", keyOf(orgA, ssra.RoleAssessor), map[string]any{"reason": "households object", "measures": []any{"M1"}}, "If-Match", `"v6"`).must(t, http.StatusCreated)
	if fu.str("status") != "draft" || fu.str("data", "assessment", "follow_up_of", "assessment_id") != aid {
		t.Fatalf("follow-up: %s", fu.raw)
	}
	r = f.call(t, "GET", "/v1/trackings/"+id, maker, nil).must(t, http.StatusOK)
	if !strings.Contains(r.str("data", "tracking", "follow_ups"), fu.str("id")) {
		t.Fatalf("follow-up not linked: %s", r.raw)
	}
	// The decision body owns M1 itself and so does not withdraw it.
	r = f.call(t, "POST", "/v1/trackings/"+id+"/drop", maker, map[string]any{"measure": "M1", "reason": "the follow-up assesses it again"}, "If-Match", `"v7"`).must(t, http.StatusForbidden)
	if !slices.Contains(r.errorCodes(), "measure.owner_drops") {
		t.Fatalf("refusal: %s", r.raw)
	}
	want := []string{"tracking.open", "measure.report", "measure.complete", "measure.reject", "measure.complete", "measure.verify", "assessment.follow_up", "tracking.follow_up"}
	var got []string
	for _, a := range f.store.actions {
		if strings.HasPrefix(a, "tracking.") || strings.HasPrefix(a, "measure.") || a == "assessment.follow_up" {
			got = append(got, a)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("audit actions %v, want %v", got, want)
	}
}

func TestTrackingRefusals(t *testing.T) {
	f := newFixture(t)
	maker := keyOf(orgA, ssra.RoleDecisionMaker)
	// An owner that is not an organisation's identifier is refused, naming
	// the field.
	_, did := decidedWithMeasures(t, f, orgA, "land bureau", "2026-12-31")
	r := f.call(t, "POST", "/v1/decisions/"+did+"/tracking", maker, nil).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "tracking.owner_unknown") || !strings.Contains(r.raw, "imposed_measures[1].owner") {
		t.Fatalf("refusal: %s", r.raw)
	}
	// A refusal imposes nothing to track.
	aid := issue(t, f, trackedAssessmentJSON(orgA, orgB, "2026-12-31"))
	d := f.call(t, "POST", "/v1/assessments/"+aid+"/decision", maker, map[string]any{"intent": "refuse", "reason": "no budget"}, "If-Match", `"v4"`).must(t, http.StatusCreated)
	r = f.call(t, "POST", "/v1/decisions/"+d.str("id")+"/tracking", maker, nil).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "tracking.no_measures") {
		t.Fatalf("refusal: %s", r.raw)
	}
	// A body is refused; a write without If-Match is 428.
	_, did = decidedWithMeasures(t, f, orgA, orgB, "2026-12-31")
	f.call(t, "POST", "/v1/decisions/"+did+"/tracking", maker, map[string]any{"x": 1}).must(t, http.StatusBadRequest)
	id := f.call(t, "POST", "/v1/decisions/"+did+"/tracking", maker, nil).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/trackings/"+id+"/report", maker, map[string]any{"measure": "M1", "text": "x"}).must(t, http.StatusPreconditionRequired)
	// The decision body withdraws B's M2 with a reason; B's M2 done and
	// verified, or dropped, and A's M1 verified would close the tracking.
	f.call(t, "POST", "/v1/trackings/"+id+"/drop", maker, map[string]any{"measure": "M2"}, "If-Match", `"v1"`).must(t, http.StatusUnprocessableEntity)
	r = f.call(t, "POST", "/v1/trackings/"+id+"/drop", maker, map[string]any{"measure": "M2", "reason": "the site is no longer affected"}, "If-Match", `"v1"`).must(t, http.StatusOK)
	if m := measureOf(t, r, "M2"); m["state"] != "dropped" || r.str("status") != "open" || r.str("due_on") != "2026-12-31" {
		t.Fatalf("after the drop: %s", r.raw)
	}
	// Completion needs evidence.
	r = f.call(t, "POST", "/v1/trackings/"+id+"/complete", maker, map[string]any{"measure": "M1"}, "If-Match", `"v2"`).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "measure.evidence_missing") {
		t.Fatalf("refusal: %s", r.raw)
	}
}

// TestFollowUpStoredWholeOrNotAtAll: the follow-up assessment and the
// tracking's link to it are one store write. When the tracking's write
// fails after the route checked If-Match (another organisation wrote the
// tracking meanwhile), the answer is 412 and no draft is left behind: the
// assessing body's assessments and the tracking are as they were, and a
// retry at the current version opens the follow-up once.
func TestFollowUpStoredWholeOrNotAtAll(t *testing.T) {
	f := newFixture(t)
	_, did := decidedWithMeasures(t, f, orgA, orgB, "2026-12-31")
	id := f.call(t, "POST", "/v1/decisions/"+did+"/tracking", keyOf(orgA, ssra.RoleDecisionMaker), nil).must(t, http.StatusCreated).str("id")
	assessor := keyOf(orgA, ssra.RoleAssessor)
	count := func() int {
		t.Helper()
		r := f.call(t, "GET", "/v1/assessments", assessor, nil).must(t, http.StatusOK)
		return len(r.body["items"].([]any))
	}
	before := count()
	f.store.failLink = func(l store.Link) error {
		return ssra.Errorf(ssra.KindPreconditionFailed, "test", "%s %q changed meanwhile", l.Kind, l.ID)
	}
	body := map[string]any{"reason": "households object", "measures": []any{"M1"}}
	f.call(t, "POST", "/v1/trackings/"+id+"/follow_up", assessor, body, "If-Match", `"v1"`).must(t, http.StatusPreconditionFailed)
	if got := count(); got != before {
		t.Fatalf("assessments after the failed follow-up: %d, want %d", got, before)
	}
	r := f.call(t, "GET", "/v1/trackings/"+id, assessor, nil).must(t, http.StatusOK)
	if r.str("version") != "1" || strings.Contains(r.raw, "households object") || slices.Contains(f.store.actions, "assessment.follow_up") {
		t.Fatalf("tracking after the failed follow-up: %s (actions %v)", r.raw, f.store.actions)
	}
	f.store.failLink = nil
	fu := f.call(t, "POST", "/v1/trackings/"+id+"/follow_up", assessor, body, "If-Match", `"v1"`).must(t, http.StatusCreated)
	r = f.call(t, "GET", "/v1/trackings/"+id, assessor, nil).must(t, http.StatusOK)
	if r.str("version") != "2" || !strings.Contains(r.str("data", "tracking", "follow_ups"), fu.str("id")) || count() != before+1 {
		t.Fatalf("tracking after the follow-up: %s", r.raw)
	}
}
