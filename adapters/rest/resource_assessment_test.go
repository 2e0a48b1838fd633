package rest_test

import (
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/ssra-go/ssra"
)

func TestAssessmentWorkflow(t *testing.T) {
	f := newFixture(t)
	assessor, reviewer := keyOf(orgA, ssra.RoleAssessor), keyOf(orgA, ssra.RoleReviewer)
	created := f.call(t, "POST", "/v1/assessments", assessor, assessmentJSON("ndrc2012_project", 2, 2)).must(t, http.StatusCreated)
	id := created.str("id")
	if got, want := created.hdr.Get("ETag"), `"v1"`; got != want {
		t.Fatalf("ETag %s, want %s", got, want)
	}
	if got := created.hdr.Get("Location"); got != "/v1/assessments/"+id {
		t.Fatalf("Location %q", got)
	}
	if got := created.str("data", "assessment", "status"); got != "" && got != "draft" {
		t.Fatalf("status %q", got)
	}
	step := func(key, action, etag string, body any, want int) reply {
		t.Helper()
		return f.call(t, "POST", "/v1/assessments/"+id+"/"+action, key, body, "If-Match", etag).must(t, want)
	}
	// Transitions need If-Match: missing is 428, stale is 412.
	f.call(t, "POST", "/v1/assessments/"+id+"/submit", assessor, nil).must(t, http.StatusPreconditionRequired)
	step(assessor, "submit", `"v7"`, nil, http.StatusPreconditionFailed)
	step(assessor, "submit", `garbage`, nil, http.StatusPreconditionFailed)
	sub := step(assessor, "submit", `"v1"`, nil, http.StatusOK)
	if sub.str("status") != "submitted" || sub.hdr.Get("ETag") != `"v2"` {
		t.Fatalf("after submit: %s %s", sub.str("status"), sub.hdr.Get("ETag"))
	}
	// Roles: an assessor may not start a review; a reviewer who wrote it may not either.
	step(assessor, "start_review", `"v2"`, nil, http.StatusForbidden)
	step(reviewer, "start_review", `"v2"`, nil, http.StatusOK)
	// Return needs a reason; the reviewer returns, the writer resubmits.
	bad := step(reviewer, "return", `"v3"`, map[string]any{"reason": ""}, http.StatusUnprocessableEntity)
	if got := bad.errorCodes(); len(got) != 1 || got[0] != "workflow.reason_missing" {
		t.Fatalf("return without reason: %v", got)
	}
	step(reviewer, "return", `"v3"`, map[string]any{"reason": "add the survey"}, http.StatusOK)
	step(assessor, "submit", `"v4"`, nil, http.StatusOK)
	step(reviewer, "start_review", `"v5"`, nil, http.StatusOK)
	// Only the assigned reviewer issues.
	step(keyOf(orgA, ssra.RoleReviewer)+"2", "issue", `"v6"`, nil, http.StatusForbidden)
	issued := step(reviewer, "issue", `"v6"`, nil, http.StatusOK)
	if got := issued.str("data", "assessment", "workflow", "issued", "result", "profile", "version"); got == "" {
		t.Fatalf("issued result does not name the profile version: %s", issued.raw)
	}
	if issued.str("status") != "issued" {
		t.Fatalf("status %s", issued.str("status"))
	}
	// An issued assessment is no longer edited.
	f.call(t, "PUT", "/v1/assessments/"+id, assessor, assessmentJSON("ndrc2012_project", 2, 2), "If-Match", `"v7"`).must(t, http.StatusConflict)

	// The assessing body shares it with the decision body, which decides.
	f.call(t, "POST", "/v1/assessments/"+id+"/share", assessor, map[string]any{"org_id": orgB}).must(t, http.StatusNoContent)
	maker := keyOf(orgB, ssra.RoleDecisionMaker)
	got := f.call(t, "GET", "/v1/assessments/"+id, maker, nil).must(t, http.StatusOK)
	if got.str("read_only") != "true" {
		t.Fatalf("shared assessment not read-only: %s", got.raw)
	}
	f.call(t, "POST", "/v1/assessments/"+id+"/submit", keyOf(orgB, ssra.RoleAssessor), nil, "If-Match", `"v7"`).must(t, http.StatusForbidden)
	d := f.call(t, "POST", "/v1/assessments/"+id+"/decision", maker, map[string]any{"intent": "approve"}, "If-Match", `"v7"`).must(t, http.StatusCreated)
	if d.str("data", "outcome") != "approve_with_measures" || !strings.Contains(d.str("data", "imposed_measures"), "M1") {
		t.Fatalf("decision: %s", d.raw)
	}
	// The assessing body sees the decision.
	list := f.call(t, "GET", "/v1/assessments/"+id+"/decisions", assessor, nil).must(t, http.StatusOK)
	if items, _ := list.body["items"].([]any); len(items) != 1 {
		t.Fatalf("decisions seen by the assessing body: %s", list.raw)
	}
	// Organisation C sees neither the assessment nor the decision.
	f.call(t, "GET", "/v1/assessments/"+id, keyOf(orgC, ssra.RoleViewer), nil).must(t, http.StatusNotFound)
	f.call(t, "GET", "/v1/decisions/"+d.str("id"), keyOf(orgC, ssra.RoleViewer), nil).must(t, http.StatusNotFound)
}

// issue takes an assessment through the workflow to issued and returns its id.
func TestWriterNeverReviews(t *testing.T) {
	f := newFixture(t)
	both := "key:" + orgA + ":assessor+reviewer"
	id := f.call(t, "POST", "/v1/assessments", both, assessmentJSON("ndrc2012_project", 2, 2)).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/assessments/"+id+"/submit", both, nil, "If-Match", `"v1"`).must(t, http.StatusOK)
	r := f.call(t, "POST", "/v1/assessments/"+id+"/start_review", both, nil, "If-Match", `"v2"`).must(t, http.StatusConflict)
	if got := r.errorCodes(); len(got) != 1 || got[0] != "workflow.reviewer_is_writer" {
		t.Fatalf("codes %v", got)
	}
	f.call(t, "POST", "/v1/assessments/"+id+"/start_review", keyOf(orgA, ssra.RoleReviewer), nil, "If-Match", `"v2"`).must(t, http.StatusOK)
}

func issue(t *testing.T, f *fixture, body map[string]any) string {
	t.Helper()
	assessor, reviewer := keyOf(orgA, ssra.RoleAssessor), keyOf(orgA, ssra.RoleReviewer)
	id := f.call(t, "POST", "/v1/assessments", assessor, body).must(t, http.StatusCreated).str("id")
	for i, s := range []struct{ key, action string }{{assessor, "submit"}, {reviewer, "start_review"}, {reviewer, "issue"}} {
		f.call(t, "POST", "/v1/assessments/"+id+"/"+s.action, s.key, nil, "If-Match", etagOf(i+1)).must(t, http.StatusOK)
	}
	return id
}

func etagOf(v int) string { return `"v` + strconv.Itoa(v) + `"` }

func TestGateRefusesMediumNDRCProject(t *testing.T) {
	f := newFixture(t)
	id := issue(t, f, assessmentJSON("ndrc2012_project", 4, 4))
	d := f.call(t, "POST", "/v1/assessments/"+id+"/decision", keyOf(orgA, ssra.RoleDecisionMaker),
		map[string]any{"intent": "approve"}, "If-Match", `"v4"`).must(t, http.StatusCreated)
	if d.str("data", "outcome") != "refuse" || d.str("data", "level") != "medium" {
		t.Fatalf("decision: %s", d.raw)
	}
	unmet, _ := d.body["data"].(map[string]any)["unmet"].([]any)
	if len(unmet) != 1 || unmet[0].(map[string]any)["code"] != "gate.outcome" {
		t.Fatalf("unmet: %v", unmet)
	}
	// A draft is refused with every unmet condition, the status first.
	draft := f.call(t, "POST", "/v1/assessments", keyOf(orgA, ssra.RoleAssessor), map[string]any{
		"assessment": map[string]any{"subject": map[string]any{"kind": "project", "name": "x", "responsible_unit": "y"},
			"regime": "ndrc2012_project", "factors": []any{}}}).must(t, http.StatusCreated)
	d = f.call(t, "POST", "/v1/assessments/"+draft.str("id")+"/decision", keyOf(orgA, ssra.RoleDecisionMaker),
		map[string]any{"intent": "approve"}, "If-Match", `"v1"`).must(t, http.StatusCreated)
	codes := d.str("data", "unmet")
	for _, want := range []string{"gate.not_issued", "gate.criterion_missing"} {
		if !strings.Contains(codes, want) {
			t.Fatalf("unmet lacks %s: %s", want, codes)
		}
	}
	// Only decision makers decide; intent is checked.
	f.call(t, "POST", "/v1/assessments/"+id+"/decision", keyOf(orgA, ssra.RoleReviewer), map[string]any{"intent": "approve"}, "If-Match", `"v4"`).must(t, http.StatusForbidden)
	f.call(t, "POST", "/v1/assessments/"+id+"/decision", keyOf(orgA, ssra.RoleDecisionMaker), map[string]any{"intent": "maybe"}, "If-Match", `"v4"`).must(t, http.StatusUnprocessableEntity)
	f.call(t, "POST", "/v1/assessments/"+id+"/decision", keyOf(orgA, ssra.RoleDecisionMaker), map[string]any{"intent": "approve"}).must(t, http.StatusPreconditionRequired)
}

func TestConcurrentUpdatesOneWins(t *testing.T) {
	f := newFixture(t)
	assessor := keyOf(orgA, ssra.RoleAssessor)
	id := f.call(t, "POST", "/v1/assessments", assessor, assessmentJSON("ndrc2012_project", 2, 2)).must(t, http.StatusCreated).str("id")
	names := []string{"plant north", "plant south"}
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := assessmentJSON("ndrc2012_project", 2, 2)
			body["assessment"].(map[string]any)["subject"].(map[string]any)["name"] = names[i]
			codes[i] = f.call(t, "PUT", "/v1/assessments/"+id, assessor, body, "If-Match", `"v1"`).code
		}()
	}
	wg.Wait()
	won := -1
	for i, c := range codes {
		switch c {
		case http.StatusOK:
			won = i
		case http.StatusPreconditionFailed:
		default:
			t.Fatalf("status %d", c)
		}
	}
	if won < 0 || codes[0] == codes[1] {
		t.Fatalf("statuses %v: want one 200 and one 412", codes)
	}
	got := f.call(t, "GET", "/v1/assessments/"+id, assessor, nil).must(t, http.StatusOK)
	if got.str("data", "assessment", "subject", "name") != names[won] || got.str("version") != "2" {
		t.Fatalf("the winner's change is not what is stored: %s", got.raw)
	}
}

func TestAssessmentListPagesAndFilters(t *testing.T) {
	f := newFixture(t)
	assessor := keyOf(orgA, ssra.RoleAssessor)
	var ids []string
	for range 5 {
		ids = append(ids, f.call(t, "POST", "/v1/assessments", assessor, assessmentJSON("order713_2019", 2, 2)).must(t, http.StatusCreated).str("id"))
	}
	f.call(t, "POST", "/v1/assessments/"+ids[2]+"/submit", assessor, nil, "If-Match", `"v1"`).must(t, http.StatusOK)
	var seen []string
	after := ""
	for page := 0; ; page++ {
		r := f.call(t, "GET", "/v1/assessments?limit=2&after="+after, assessor, nil).must(t, http.StatusOK)
		for _, it := range r.body["items"].([]any) {
			seen = append(seen, it.(map[string]any)["id"].(string))
		}
		if after = r.str("next"); after == "" {
			break
		}
		if page > 5 {
			t.Fatal("too many pages")
		}
	}
	if strings.Join(seen, ",") != strings.Join(ids, ",") {
		t.Fatalf("pages %v, want %v", seen, ids)
	}
	r := f.call(t, "GET", "/v1/assessments?status=submitted", assessor, nil).must(t, http.StatusOK)
	if items := r.body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != ids[2] {
		t.Fatalf("status filter: %s", r.raw)
	}
	for _, q := range []string{"limit=0", "limit=x", "scope=mine", "sort=name"} {
		f.call(t, "GET", "/v1/assessments?"+q, assessor, nil).must(t, http.StatusBadRequest)
	}
	f.call(t, "GET", "/v1/assessments", keyOf(orgB, ssra.RoleAssessor), nil).must(t, http.StatusOK)
	if n := len(f.call(t, "GET", "/v1/assessments", keyOf(orgB, ssra.RoleAssessor), nil).body["items"].([]any)); n != 0 {
		t.Fatalf("organisation B lists %d of A's assessments", n)
	}
}

func TestAssessmentInputIsStrict(t *testing.T) {
	f := newFixture(t)
	assessor := keyOf(orgA, ssra.RoleAssessor)
	for _, tc := range []struct {
		name string
		body any
		code int
		want string
	}{
		{"unknown field", []byte(`{"assessment":{"regime":"x","factors":[]},"colour":1}`), http.StatusBadRequest, ""},
		{"unknown profile", map[string]any{"profile": "nope", "assessment": map[string]any{"regime": "x", "factors": []any{}}}, http.StatusUnprocessableEntity, "assessment.profile_unknown"},
		{"status set", map[string]any{"assessment": map[string]any{"regime": "x", "status": "issued", "factors": []any{}}}, http.StatusUnprocessableEntity, "assessment.status_readonly"},
		{"workflow set", map[string]any{"assessment": map[string]any{"regime": "x", "factors": []any{}, "workflow": map[string]any{"writer": map[string]any{"user_id": "u", "org_id": "o"}}}}, http.StatusUnprocessableEntity, "assessment.workflow_readonly"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.call(t, "POST", "/v1/assessments", assessor, tc.body).must(t, tc.code)
			if tc.want != "" && !strings.Contains(strings.Join(r.errorCodes(), ","), tc.want) {
				t.Fatalf("codes %v, want %s", r.errorCodes(), tc.want)
			}
		})
	}
	f.call(t, "POST", "/v1/assessments", keyOf(orgA, ssra.RoleViewer), assessmentJSON("x", 1, 1)).must(t, http.StatusForbidden)
	f.call(t, "POST", "/v1/assessments", "", assessmentJSON("x", 1, 1)).must(t, http.StatusUnauthorized)
}

// TestWriterNeverReviewsOverREST is 编审分离 through the routes: the user
// who created a draft, or a reviewer who returned and then edited it, may
// not start its review after someone else submitted it.
func TestWriterNeverReviewsOverREST(t *testing.T) {
	f := newFixture(t)
	author := keyOf(orgA, ssra.RoleAssessor) + "+reviewer"
	editor := keyOf(orgA, ssra.RoleReviewer) + "+assessor"
	assessor2, reviewer := keyOf(orgA, ssra.RoleAssessor)+"2", keyOf(orgA, ssra.RoleReviewer)
	id := f.call(t, "POST", "/v1/assessments", author, assessmentJSON("ndrc2012_project", 2, 2)).must(t, http.StatusCreated).str("id")
	at := "/v1/assessments/" + id
	f.call(t, "POST", at+"/submit", assessor2, nil, "If-Match", etagOf(1)).must(t, http.StatusOK)
	r := f.call(t, "POST", at+"/start_review", author, nil, "If-Match", etagOf(2)).must(t, http.StatusConflict)
	if codes := r.errorCodes(); len(codes) != 1 || codes[0] != "workflow.reviewer_is_writer" {
		t.Fatalf("codes %v", codes)
	}
	// A reviewer returns it, edits it, and another writer resubmits it.
	f.call(t, "POST", at+"/start_review", editor, nil, "If-Match", etagOf(2)).must(t, http.StatusOK)
	f.call(t, "POST", at+"/return", editor, map[string]any{"reason": "F1 needs a second measure"}, "If-Match", etagOf(3)).must(t, http.StatusOK)
	f.call(t, "PUT", at, editor, assessmentJSON("ndrc2012_project", 2, 2), "If-Match", etagOf(4)).must(t, http.StatusOK)
	f.call(t, "POST", at+"/submit", assessor2, nil, "If-Match", etagOf(5)).must(t, http.StatusOK)
	f.call(t, "POST", at+"/start_review", editor, nil, "If-Match", etagOf(6)).must(t, http.StatusConflict)
	f.call(t, "POST", at+"/start_review", reviewer, nil, "If-Match", etagOf(6)).must(t, http.StatusOK)
	got := f.call(t, "POST", at+"/issue", reviewer, nil, "If-Match", etagOf(7)).must(t, http.StatusOK)
	writers, _ := got.body["data"].(map[string]any)["assessment"].(map[string]any)["workflow"].(map[string]any)["writers"].([]any)
	if len(writers) != 3 {
		t.Fatalf("writers %v: want the author, the second assessor and the editing reviewer", writers)
	}
	// The workflow is the server's: a client may not name writers.
	body := assessmentJSON("ndrc2012_project", 2, 2)
	body["assessment"].(map[string]any)["workflow"] = map[string]any{"writers": []any{map[string]any{"user_id": "someone"}}}
	f.call(t, "POST", "/v1/assessments", author, body).must(t, http.StatusUnprocessableEntity)
}

// Under order713_2019 the gate refuses without the emergency plan, the
// legality review and the collective decision, each a listed reason; with
// them recorded in the request the decision approves and keeps the steps.
// Under ndrc2012_project the same gaps are warnings on the approval.
func TestDecisionOrder713Steps(t *testing.T) {
	f := newFixture(t)
	maker := keyOf(orgA, ssra.RoleDecisionMaker)
	id := issue(t, f, assessmentJSON("order713_2019", 2, 2))
	d := f.call(t, "POST", "/v1/assessments/"+id+"/decision", maker, map[string]any{"intent": "approve"}, "If-Match", `"v4"`).must(t, http.StatusCreated)
	unmet := d.str("data", "unmet")
	if d.str("data", "outcome") != "refuse" {
		t.Fatalf("decision: %s", d.raw)
	}
	for _, want := range []string{`"code":"gate.legality_review_missing","field":"legality_review"`, `"code":"gate.collective_decision_missing","field":"collective_decision"`, `"code":"gate.emergency_plan_missing","field":"emergency_plan"`} {
		if !strings.Contains(unmet, want) {
			t.Fatalf("unmet lacks %s: %s", want, unmet)
		}
	}
	body := assessmentJSON("order713_2019", 2, 2)
	body["assessment"].(map[string]any)["emergency_plan"] = "filed with the county emergency office"
	id = issue(t, f, body)
	stepsIn := map[string]any{"intent": "approve",
		"legality_review":     map[string]any{"by": "org-justice", "on": "2026-11-03", "reference": "合法性审查意见书〔2026〕12号"},
		"collective_decision": map[string]any{"by": orgA, "on": "2026-11-02", "reference": "常务会议纪要〔2026〕31号"}}
	d = f.call(t, "POST", "/v1/assessments/"+id+"/decision", maker, stepsIn, "If-Match", `"v4"`).must(t, http.StatusCreated)
	if d.str("data", "outcome") != "refuse" || !strings.Contains(d.str("data", "unmet"), "gate.collective_decision_order") {
		t.Fatalf("decision before review: %s", d.raw)
	}
	stepsIn["collective_decision"].(map[string]any)["on"] = "2026-11-05"
	d = f.call(t, "POST", "/v1/assessments/"+id+"/decision", maker, stepsIn, "If-Match", `"v4"`).must(t, http.StatusCreated)
	if d.str("data", "outcome") != "approve" || d.str("data", "steps", "collective_decision", "reference") != "常务会议纪要〔2026〕31号" {
		t.Fatalf("decision with steps: %s", d.raw)
	}
	// ndrc2012_project: approved, the missing plan and steps are warnings.
	id = issue(t, f, assessmentJSON("ndrc2012_project", 2, 2))
	d = f.call(t, "POST", "/v1/assessments/"+id+"/decision", maker, map[string]any{"intent": "approve"}, "If-Match", `"v4"`).must(t, http.StatusCreated)
	if d.str("data", "outcome") != "approve_with_measures" || !strings.Contains(d.str("data", "warnings"), "gate.legality_review_missing") {
		t.Fatalf("ndrc decision: %s", d.raw)
	}
}

// TestAnswerIsRead: the answer to a create or an edit, written from the
// value just stored, is byte for byte the answer a read of the record
// gives, written from the stored body; for a full draft (criteria, survey,
// measures), one with a panel and its ratings, and a returned one edited.
func TestAnswerIsRead(t *testing.T) {
	f := newFixture(t)
	assessor, reviewer := keyOf(orgA, ssra.RoleAssessor), keyOf(orgA, ssra.RoleReviewer)
	withPanel := panelAssessmentJSON("Zhang Wei <专家>", "Provincial University & Co")
	bench := []byte(`{"profile":"practice","assessment":` + string(benchEvaluateBody()) + `}`)
	same := func(t *testing.T, written reply, id string) {
		t.Helper()
		read := f.call(t, "GET", "/v1/assessments/"+id, assessor, nil).must(t, http.StatusOK)
		if written.raw != read.raw || written.hdr.Get("ETag") != read.hdr.Get("ETag") {
			t.Fatalf("answer differs from a read:\n%s\n%s", written.raw, read.raw)
		}
	}
	for name, body := range map[string]any{"full": bench, "panel": withPanel, "small": assessmentJSON("ndrc2012_project", 4, 4)} {
		t.Run(name, func(t *testing.T) {
			created := f.call(t, "POST", "/v1/assessments", assessor, body).must(t, http.StatusCreated)
			id := created.str("id")
			same(t, created, id)
			edited := f.call(t, "PUT", "/v1/assessments/"+id, assessor, assessmentJSON("ndrc2012_project", 3, 3), "If-Match", `"v1"`).must(t, http.StatusOK)
			same(t, edited, id)
			f.call(t, "POST", "/v1/assessments/"+id+"/submit", assessor, nil, "If-Match", `"v2"`).must(t, http.StatusOK)
			f.call(t, "POST", "/v1/assessments/"+id+"/start_review", reviewer, nil, "If-Match", `"v3"`).must(t, http.StatusOK)
			f.call(t, "POST", "/v1/assessments/"+id+"/return", reviewer, map[string]any{"reason": "add the survey"}, "If-Match", `"v4"`).must(t, http.StatusOK)
			again := f.call(t, "PUT", "/v1/assessments/"+id, assessor, body, "If-Match", `"v5"`).must(t, http.StatusOK)
			same(t, again, id)
		})
	}
}

// TestDraftNotStorable: a draft with a closed value unset cannot be
// stored; the refusal names it and what validation finds, beside the
// input's other problems, on create and on edit alike.
func TestDraftNotStorable(t *testing.T) {
	f := newFixture(t)
	assessor := keyOf(orgA, ssra.RoleAssessor)
	noArea := func(status string) map[string]any {
		body := assessmentJSON("ndrc2012_project", 2, 2)
		delete(body["assessment"].(map[string]any)["factors"].([]any)[0].(map[string]any), "area")
		if status != "" {
			body["assessment"].(map[string]any)["status"] = status
		}
		return body
	}
	id := f.call(t, "POST", "/v1/assessments", assessor, assessmentJSON("ndrc2012_project", 2, 2)).must(t, http.StatusCreated).str("id")
	for _, c := range []struct {
		name, method, path, status string
		want                       []string
	}{
		{"create", "POST", "/v1/assessments", "", []string{"assessment.not_storable", "factor.area_unknown"}},
		{"create with status", "POST", "/v1/assessments", "submitted", []string{"assessment.status_readonly", "assessment.not_storable", "factor.area_unknown"}},
		{"edit", "PUT", "/v1/assessments/" + id, "", []string{"assessment.not_storable", "factor.area_unknown"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := f.call(t, c.method, c.path, assessor, noArea(c.status), "If-Match", `"v1"`).must(t, http.StatusUnprocessableEntity)
			got := r.errorCodes()
			if len(got) < len(c.want) || strings.Join(got[:len(c.want)], " ") != strings.Join(c.want, " ") {
				t.Fatalf("codes %v, want %v first", got, c.want)
			}
		})
	}
}
