package rest_test

import (
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
)

func TestComplaintCasework(t *testing.T) {
	f := newFixture(t)
	cwA, cwB := keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker)
	headB := "key:" + orgB + ":admin+caseworker"
	reg := f.call(t, "POST", "/v1/complaints", cwA, complaintJSON()).must(t, http.StatusCreated)
	id, code := reg.str("id"), reg.str("query_code")
	ref := reg.str("data", "ref")
	if code == "" || ref == "" || reg.str("view") != "handler" || reg.str("data", "complainants") == "" {
		t.Fatalf("registration: %s", reg.raw)
	}
	if reg.hdr.Get("Cache-Control") != "no-store" {
		t.Fatalf("Cache-Control %q", reg.hdr.Get("Cache-Control"))
	}
	if reg.str("due_on") == "" || reg.str("data", "deadlines") == "[]" {
		t.Fatalf("no deadlines: %s", reg.raw)
	}
	step := func(key, action string, version int, body any, want int) reply {
		t.Helper()
		return f.call(t, "POST", "/v1/complaints/"+id+"/"+action, key, body, "If-Match", etagOf(version)).must(t, want)
	}
	f.call(t, "POST", "/v1/complaints/"+id+"/accept", cwA, nil).must(t, http.StatusPreconditionRequired)
	f.call(t, "POST", "/v1/complaints/"+id+"/fly", cwA, nil, "If-Match", `"v1"`).must(t, http.StatusNotFound)
	// Routed to B: B owns it, A keeps read access without personal data.
	step(cwA, "route", 1, map[string]any{"to": orgB, "mode": "transfer"}, http.StatusOK)
	sent := f.call(t, "GET", "/v1/complaints/"+id, cwA, nil).must(t, http.StatusOK)
	if sent.str("read_only") != "true" || sent.str("org_id") != orgB || sent.str("data", "complainants") != "" {
		t.Fatalf("sender's view: %s", sent.raw)
	}
	step(cwA, "accept", 2, nil, http.StatusForbidden)
	step(cwB, "accept", 2, nil, http.StatusOK)
	step(cwB, "investigate", 3, nil, http.StatusOK)
	// Extension is approved by the head of the organ.
	step(cwB, "extend", 4, map[string]any{"days": 30, "reason": "site survey"}, http.StatusForbidden)
	before := dueOf(f.call(t, "GET", "/v1/complaints/"+id, cwB, nil).must(t, http.StatusOK), "conclude")
	ext := step(headB, "extend", 4, map[string]any{"days": 30, "reason": "site survey"}, http.StatusOK)
	if after := dueOf(ext, "conclude"); before == "" || after <= before {
		t.Fatalf("extension did not move the next deadline: %s → %s", before, after)
	}
	f.clock.Advance(24 * time.Hour)
	step(cwB, "answer", 5, map[string]any{"outcome": "support", "text": "supply restored", "legal_basis": "regulation art. 32"}, http.StatusOK)
	step(cwB, "request_review", 6, nil, http.StatusOK)
	rv := step(cwB, "decide_review", 7, map[string]any{"outcome": "support", "text": "upheld", "legal_basis": "art. 35"}, http.StatusOK)
	if rv.str("status") != "reviewed" {
		t.Fatalf("status %s", rv.str("status"))
	}
	// Missing fields of an opinion are named.
	step(cwB, "decide_rereview", 8, map[string]any{"outcome": "support", "text": "", "legal_basis": ""}, http.StatusConflict)

	// The complainant's status check: status and deadlines only, the code
	// in a header; in the address (which proxies log) it is refused.
	pub := f.call(t, "GET", "/v1/public/complaints/"+ref, "", nil, "X-Query-Code", code).must(t, http.StatusOK)
	if pub.str("status") != "reviewed" || pub.str("can_rate") != "true" || strings.Contains(pub.raw, "Li Hua") || strings.Contains(pub.raw, "water cut") {
		t.Fatalf("status check: %s", pub.raw)
	}
	for _, path := range []string{"/v1/public/complaints/" + ref + "?code=" + code, "/v1/public/complaints/" + ref + "/rating?code=" + code} {
		method, body := "GET", any(nil)
		if strings.HasSuffix(path, "/rating?code="+code) {
			method, body = "POST", map[string]any{"rating": "satisfied"}
		}
		inURL := f.call(t, method, path, "", body, "X-Query-Code", code).must(t, http.StatusBadRequest)
		if got := inURL.errorCodes(); !slices.Equal(got, []string{"query_code.in_address"}) || !strings.Contains(inURL.raw, `"field":"code"`) {
			t.Fatalf("%s %s: %s", method, path, inURL.raw)
		}
	}
	if pub.hdr.Get("Cache-Control") != "no-store" {
		t.Fatal("status check is cacheable")
	}
	wrong := f.call(t, "GET", "/v1/public/complaints/"+ref, "", nil, "X-Query-Code", "WRONG").must(t, http.StatusNotFound)
	unknown := f.call(t, "GET", "/v1/public/complaints/"+ref, "", nil, "X-Query-Code", "WRONG").must(t, http.StatusNotFound)
	if strip(wrong) != strip(unknown) {
		t.Fatalf("wrong code and unknown reference differ:\n%s\n%s", wrong.raw, unknown.raw)
	}
	other := f.call(t, "GET", "/v1/public/complaints/XF-none", "", nil, "X-Query-Code", code).must(t, http.StatusNotFound)
	if strings.ReplaceAll(strip(other), "XF-none", ref) != strip(wrong) {
		t.Fatalf("unknown reference answers differently:\n%s\n%s", other.raw, wrong.raw)
	}
	f.call(t, "POST", "/v1/public/complaints/"+ref+"/rating", "", map[string]any{"code": "WRONG", "rating": "satisfied"}).must(t, http.StatusNotFound)
	f.call(t, "POST", "/v1/public/complaints/"+ref+"/rating", "", map[string]any{"code": code, "rating": "satisfied"}).must(t, http.StatusOK)
	// The rating is stored (the handler sees it).
	if got := f.call(t, "GET", "/v1/complaints/"+id, cwB, nil).must(t, http.StatusOK); !strings.Contains(got.str("data", "ratings"), "satisfied") {
		t.Fatalf("rating not stored: %s", got.raw)
	}
}

// dueOf is the due date of the case's deadline under rule.
func dueOf(r reply, rule string) string {
	data, _ := r.body["data"].(map[string]any)
	ds, _ := data["deadlines"].([]any)
	for _, d := range ds {
		if m := d.(map[string]any); m["rule"] == rule {
			return m["due"].(string)
		}
	}
	return ""
}

// strip removes the request id, which differs on every response.
func strip(r reply) string {
	delete(r.body, "request_id")
	return r.str()
}

func TestComplaintDueLists(t *testing.T) {
	f := newFixture(t)
	cw := keyOf(orgA, ssra.RoleCaseworker)
	id := f.call(t, "POST", "/v1/complaints", cw, complaintJSON()).must(t, http.StatusCreated).str("id")
	soon := f.call(t, "GET", "/v1/complaints/due_soon?days=30", cw, nil).must(t, http.StatusOK)
	if items := soon.body["items"].([]any); len(items) != 1 || items[0].(map[string]any)["id"] != id {
		t.Fatalf("due soon: %s", soon.raw)
	}
	if n := len(f.call(t, "GET", "/v1/complaints/overdue", cw, nil).must(t, http.StatusOK).body["items"].([]any)); n != 0 {
		t.Fatalf("overdue on day one: %d", n)
	}
	f.clock.Advance(90 * 24 * time.Hour)
	over := f.call(t, "GET", "/v1/complaints/overdue", cw, nil).must(t, http.StatusOK)
	if items := over.body["items"].([]any); len(items) != 1 {
		t.Fatalf("overdue after 90 days: %s", over.raw)
	}
	f.call(t, "GET", "/v1/complaints/due_soon?days=-1", cw, nil).must(t, http.StatusBadRequest)
	if n := len(f.call(t, "GET", "/v1/complaints/overdue", keyOf(orgB, ssra.RoleCaseworker), nil).must(t, http.StatusOK).body["items"].([]any)); n != 0 {
		t.Fatalf("another organisation sees %d overdue cases", n)
	}
}

func TestPublicStatusIsRateLimited(t *testing.T) {
	f := newFixture(t)
	for i := 0; i < 1000; i++ {
		f.call(t, "GET", "/v1/public/complaints/XF-1", "", nil, "X-Query-Code", "x")
	}
	r := f.call(t, "GET", "/v1/public/complaints/XF-1", "", nil, "X-Query-Code", "x").must(t, http.StatusTooManyRequests)
	if r.hdr.Get("Retry-After") == "" {
		t.Fatal("no Retry-After")
	}
}

func TestRepeatFilingGuard(t *testing.T) {
	f := newFixture(t)
	cw := keyOf(orgA, ssra.RoleCaseworker)
	f.call(t, "POST", "/v1/complaints", cw, complaintJSON()).must(t, http.StatusCreated)
	// The same matter, filed by someone else and worded with other spacing
	// and punctuation, is not accepted again while it is handled.
	again := complaintJSON()
	again["complainants"] = []any{map[string]any{"name": "Zhou Qiang"}}
	again["matter"].(map[string]any)["facts"] = "Water cut, for two weeks!"
	r := f.call(t, "POST", "/v1/complaints", cw, again).must(t, http.StatusConflict)
	if codes := r.errorCodes(); len(codes) != 1 || codes[0] != "complaint.repeat_in_progress" {
		t.Fatalf("codes %v", codes)
	}
	// Another matter is.
	other := complaintJSON()
	other["matter"].(map[string]any)["facts"] = "street lights out"
	f.call(t, "POST", "/v1/complaints", cw, other).must(t, http.StatusCreated)
}

func TestReportIsNeverRoutedToItsSubject(t *testing.T) {
	f := newFixture(t)
	cw := keyOf(orgA, ssra.RoleCaseworker)
	report := complaintJSON()
	report["matter"].(map[string]any)["type"] = "report"
	id := f.call(t, "POST", "/v1/complaints", cw, report).must(t, http.StatusCreated).str("id")
	r := f.call(t, "POST", "/v1/complaints/"+id+"/route", cw, map[string]any{"to": orgC, "mode": "transfer"}, "If-Match", `"v1"`).
		must(t, http.StatusUnprocessableEntity)
	if codes := r.errorCodes(); len(codes) != 1 || codes[0] != "complaint.route_to_subject" {
		t.Fatalf("codes %v", codes)
	}
	// To another organ it goes; the subject still cannot read it.
	f.call(t, "POST", "/v1/complaints/"+id+"/route", cw, map[string]any{"to": orgB, "mode": "transfer"}, "If-Match", `"v1"`).must(t, http.StatusOK)
	f.call(t, "GET", "/v1/complaints/"+id, keyOf(orgC, ssra.RoleCaseworker), nil).must(t, http.StatusNotFound)
}

// TestObjectionReturnsTheCase: the receiving organisation's objection to a
// transfer hands the case back to the sender in the same change: the
// sender owns it again, sees the complainant and can act; the objecting
// organisation can no longer act and sees no personal data; the history
// keeps the route and the objection.
func TestObjectionReturnsTheCase(t *testing.T) {
	f := newFixture(t)
	cwA, cwB := keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker)
	id := f.call(t, "POST", "/v1/complaints", cwA, complaintJSON()).must(t, http.StatusCreated).str("id")
	path := "/v1/complaints/" + id
	f.call(t, "POST", path+"/route", cwA, map[string]any{"to": orgB, "mode": "transfer"}, "If-Match", `"v1"`).must(t, http.StatusOK)
	obj := f.call(t, "POST", path+"/object", cwB, map[string]any{"reason": "outside our remit"}, "If-Match", `"v2"`).must(t, http.StatusOK)
	if obj.str("org_id") != orgA || obj.str("status") != "registered" || obj.str("read_only") != "true" {
		t.Fatalf("the objection's answer: %s", obj.raw)
	}
	back := f.call(t, "GET", path, cwA, nil).must(t, http.StatusOK)
	if back.str("org_id") != orgA || back.str("read_only") != "false" || back.str("view") != "handler" || !strings.Contains(back.raw, "Li Hua") {
		t.Fatalf("the sender after the objection: %s", back.raw)
	}
	var kinds []string
	for _, e := range back.body["data"].(map[string]any)["events"].([]any) {
		kinds = append(kinds, e.(map[string]any)["kind"].(string))
	}
	if got := strings.Join(kinds, ","); got != "registered,routed,transfer_received,transfer_objected" {
		t.Fatalf("history %s", got)
	}
	b := f.call(t, "GET", path, cwB, nil).must(t, http.StatusOK)
	if b.str("view") == "handler" || strings.Contains(b.raw, "Li Hua") {
		t.Fatalf("the objecting organisation still sees the complainant: %s", b.raw)
	}
	f.call(t, "POST", path+"/accept", cwB, nil, "If-Match", `"v3"`).must(t, http.StatusForbidden)
	// The sender can act again, and route it elsewhere.
	f.call(t, "POST", path+"/route", cwA, map[string]any{"to": orgC, "mode": "transfer"}, "If-Match", `"v3"`).must(t, http.StatusOK)
	if got := f.call(t, "GET", path, keyOf(orgC, ssra.RoleCaseworker), nil).must(t, http.StatusOK); got.str("view") != "subject" {
		t.Fatalf("the new receiver: %s", got.str("view"))
	}
}

// TestRatingWithoutARatingIsRefused: a rating body without "rating" is
// refused with a problem naming it, whether the code is right or wrong,
// and nothing is recorded (it once counted as satisfied).
func TestRatingWithoutARatingIsRefused(t *testing.T) {
	f := newFixture(t)
	cw := keyOf(orgA, ssra.RoleCaseworker)
	reg := f.call(t, "POST", "/v1/complaints", cw, complaintJSON()).must(t, http.StatusCreated)
	id, ref, code := reg.str("id"), reg.str("data", "ref"), reg.str("query_code")
	f.call(t, "POST", "/v1/complaints/"+id+"/accept", cw, nil, "If-Match", `"v1"`).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/complaints/"+id+"/answer", cw, map[string]any{"outcome": "support", "text": "restored", "legal_basis": "art. 32"}, "If-Match", `"v2"`).must(t, http.StatusOK)
	for _, c := range []string{code, "WRONGCODE1"} {
		r := f.call(t, "POST", "/v1/public/complaints/"+ref+"/rating", "", map[string]any{"code": c}).must(t, http.StatusUnprocessableEntity)
		if !strings.Contains(strings.Join(r.errorFields(), " "), "rating") {
			t.Fatalf("problem does not name the rating: %s", r.raw)
		}
	}
	if got := f.call(t, "GET", "/v1/complaints/"+id, cw, nil).must(t, http.StatusOK); got.str("version") != "3" || strings.Contains(got.raw, `"ratings"`) {
		t.Fatalf("a rating was recorded: %s", got.raw)
	}
}

// TestFailedStatusChecksAnswerAlike: an unknown reference and a wrong code
// on an existing one both answer 404 with the same body, and neither before
// the failure time has passed: the time of the answer does not tell that a
// case exists. (A lower bound only: nothing here depends on the machine's
// speed.)
func TestFailedStatusChecksAnswerAlike(t *testing.T) {
	const hold = 40 * time.Millisecond
	f := newFixtureWith(t, rest.Config{AuthFailureLimit: -1}, func(r *rest.Resources) { r.PublicFailureTime = hold })
	reg := f.call(t, "POST", "/v1/complaints", keyOf(orgA, ssra.RoleCaseworker), complaintJSON()).must(t, http.StatusCreated)
	ref, code := reg.str("data", "ref"), reg.str("query_code")
	var bodies []string
	for _, r := range []string{ref, "XF20261102-AAAAAAAA"} {
		start := time.Now()
		got := f.call(t, "GET", "/v1/public/complaints/"+r, "", nil, "X-Query-Code", "WRONGCODE22").must(t, http.StatusNotFound)
		if took := time.Since(start); took < hold {
			t.Errorf("%s: a failure answered after %v, before the failure time %v", r, took, hold)
		}
		bodies = append(bodies, strings.ReplaceAll(got.body["detail"].(string), r, ""))
	}
	if bodies[0] != bodies[1] {
		t.Fatalf("the failures differ: %q", bodies)
	}
	f.call(t, "GET", "/v1/public/complaints/"+ref, "", nil, "X-Query-Code", code).must(t, http.StatusOK)
}

// TestPublicRatingIsOnePerCase: the rating route replaces the case's one
// rating (within the profile's window, a few times) and then refuses; the
// case never holds more than one.
func TestPublicRatingIsOnePerCase(t *testing.T) {
	f := newFixture(t)
	cw := keyOf(orgA, ssra.RoleCaseworker)
	id, ref, code := answeredComplaint(t, f)
	rate := func(r string) reply {
		return f.call(t, "POST", "/v1/public/complaints/"+ref+"/rating", "", map[string]any{"code": code, "rating": r})
	}
	for _, r := range []string{"dissatisfied", "satisfied", "basically_satisfied", "satisfied"} {
		rate(r).must(t, http.StatusOK)
	}
	for range 20 {
		if got := rate("dissatisfied").must(t, http.StatusConflict); !slices.Equal(got.errorCodes(), []string{"case.rating_final"}) {
			t.Fatalf("a fifth rating: %s", got.raw)
		}
	}
	got := f.call(t, "GET", "/v1/complaints/"+id, cw, nil).must(t, http.StatusOK)
	ratings, _ := got.body["data"].(map[string]any)["ratings"].([]any)
	if len(ratings) != 1 || ratings[0].(map[string]any)["rating"] != "satisfied" {
		t.Fatalf("ratings: %s", got.str("data", "ratings"))
	}
}

// TestRecusalByTheRightPeople: a caseworker stands aside from a case
// themselves; a colleague cannot recuse anyone; the head (an admin
// caseworker) can, and only the head undoes it, with a reason. Each is a
// version of the case with its audit event.
func TestRecusalByTheRightPeople(t *testing.T) {
	f := newFixture(t)
	cw, cw2, head := keyOf(orgA, ssra.RoleCaseworker), "key:"+orgA+":caseworker2", "key:"+orgA+":admin+caseworker"
	id := f.call(t, "POST", "/v1/complaints", cw, complaintJSON()).must(t, http.StatusCreated).str("id")
	path := "/v1/complaints/" + id
	me, colleague := "u-"+orgA+"-caseworker", "u-"+orgA+"-caseworker2"
	if r := f.call(t, "POST", path+"/recuse", cw, map[string]any{"user_id": colleague, "reason": "I say so"}, "If-Match", `"v1"`).must(t, http.StatusForbidden); !slices.Equal(r.errorCodes(), []string{"case.recusal_not_allowed"}) {
		t.Fatalf("a colleague's recusal: %s", r.raw)
	}
	f.call(t, "POST", path+"/recuse", cw2, map[string]any{"user_id": "u-" + orgA + "-admin+caseworker", "reason": "the head"}, "If-Match", `"v1"`).must(t, http.StatusForbidden)
	f.call(t, "POST", path+"/recuse", cw, map[string]any{"user_id": me, "reason": "a relative"}, "If-Match", `"v1"`).must(t, http.StatusOK)
	f.call(t, "POST", path+"/recuse", head, map[string]any{"user_id": colleague, "reason": "a neighbour"}, "If-Match", `"v2"`).must(t, http.StatusOK)
	f.call(t, "POST", path+"/end_recusal", cw2, map[string]any{"user_id": me, "reason": "no"}, "If-Match", `"v3"`).must(t, http.StatusForbidden)
	if r := f.call(t, "POST", path+"/end_recusal", head, map[string]any{"user_id": me}, "If-Match", `"v3"`).must(t, http.StatusUnprocessableEntity); !strings.Contains(r.raw, `"field":"reason"`) {
		t.Fatalf("an undoing without a reason: %s", r.raw)
	}
	f.call(t, "POST", path+"/end_recusal", head, map[string]any{"user_id": me, "reason": "not a relative after all"}, "If-Match", `"v3"`).must(t, http.StatusOK)
	got := f.call(t, "GET", path, cw, nil).must(t, http.StatusOK)
	if got.str("view") != "handler" || got.str("version") != "4" {
		t.Fatalf("after the undoing the caseworker is the handler again: %s %s", got.str("view"), got.str("version"))
	}
	var actions []string
	for _, l := range f.store.log.leaves {
		var e struct {
			Action   string `json:"action"`
			ObjectID string `json:"object_id"`
		}
		_ = json.Unmarshal(l, &e)
		if e.ObjectID == id {
			actions = append(actions, e.Action)
		}
	}
	if want := []string{"complaint.register", "complaint.recuse", "complaint.recuse", "complaint.end_recusal", "complaint.read"}; !slices.Equal(actions, want) {
		t.Fatalf("audit events %v, want %v", actions, want)
	}
}

// TestFullReadsAreAudited: every read of a case in full (the handler's
// view, which shows who filed it) is an audit event naming the reader, the
// case and the version read; a redacted read is not; and the request log
// names the user and the key's id.
func TestFullReadsAreAudited(t *testing.T) {
	f, logs := newLoggingFixture(t)
	cw := keyOf(orgA, ssra.RoleCaseworker)
	id := f.call(t, "POST", "/v1/complaints", cw, complaintJSON()).must(t, http.StatusCreated).str("id")
	f.call(t, "GET", "/v1/complaints/"+id, cw, nil).must(t, http.StatusOK)
	f.call(t, "GET", "/v1/complaints/"+id, keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	f.call(t, "GET", "/v1/complaints", cw, nil).must(t, http.StatusOK)
	f.call(t, "GET", "/v1/complaints", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	reader := ssra.Actor{UserID: "u-" + orgA + "-caseworker", OrgID: orgA}
	want := []auditedRead{{by: reader, action: "complaint.read", id: id, version: 1}, {by: reader, action: "complaint.read", id: id, version: 1}}
	if !slices.Equal(f.store.reads, want) {
		t.Fatalf("audited reads %+v, want %+v", f.store.reads, want)
	}
	if !strings.Contains(logs.String(), `"user_id":"u-`+orgA+`-caseworker","key_id":"k"`) {
		t.Fatalf("the request log does not name the user and key: %s", logs.String())
	}
}

// TestChosenReferencesArePerOrganisation: two organisations may choose
// the same reference; within one it is taken once, and the conflict names
// nothing of another organisation; a malformed reference is refused
// naming ref; the status check takes a chosen reference qualified by its
// organisation.
func TestChosenReferencesArePerOrganisation(t *testing.T) {
	f := newFixture(t)
	n := 0
	withRef := func(ref string) map[string]any {
		b := complaintJSON()
		b["ref"] = ref
		// A matter of its own each time, past the repeat-filing guard.
		n++
		m := b["matter"].(map[string]any)
		m["facts"] = fmt.Sprintf("%s (%d)", m["facts"], n)
		return b
	}
	cwA, cwB := keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker)
	a := f.call(t, "POST", "/v1/complaints", cwA, withRef("2026-001")).must(t, http.StatusCreated)
	f.call(t, "POST", "/v1/complaints", cwB, withRef("2026-001")).must(t, http.StatusCreated)
	f.call(t, "POST", "/v1/complaints", cwB, withRef("2026-002")).must(t, http.StatusCreated)
	taken := f.call(t, "POST", "/v1/complaints", cwA, withRef("2026-001")).must(t, http.StatusConflict)
	if !slices.Equal(taken.errorCodes(), []string{"complaint.reference_taken"}) || strings.Contains(taken.raw, orgA) || strings.Contains(taken.raw, orgB) {
		t.Fatalf("a reference taken in the organisation: %s", taken.raw)
	}
	// B's 2026-002 is free for A: nothing tells A that B uses it.
	f.call(t, "POST", "/v1/complaints", cwA, withRef("2026-002")).must(t, http.StatusCreated)
	for _, ref := range []string{" ", "x\u0000y", "../x", orgB + ":2026-001"} {
		r := f.call(t, "POST", "/v1/complaints", cwA, withRef(ref)).must(t, http.StatusUnprocessableEntity)
		if !slices.Contains(r.errorFields(), "ref") {
			t.Fatalf("reference %q: %s", ref, r.raw)
		}
	}
	pub := f.call(t, "GET", "/v1/public/complaints/"+orgA+":2026-001", "", nil, "X-Query-Code", a.str("query_code")).must(t, http.StatusOK)
	if pub.str("ref") != "2026-001" {
		t.Fatalf("status check: %s", pub.raw)
	}
}

// TestListPagesAreBoundedByBytes: a page ends at Resources.PageBytes of
// stored bodies whatever its limit, a record over the bound comes alone,
// and walking the cursor gives every record once, in order.
func TestListPagesAreBoundedByBytes(t *testing.T) {
	for _, c := range []struct {
		bytes int
		pages int
	}{{1, 5}, {0, 1}} { // 0: the default, 4 MiB
		f := newFixtureWith(t, rest.Config{AuthFailureLimit: -1}, func(r *rest.Resources) { r.PageBytes, r.Random = c.bytes, rand.Reader })
		cw := keyOf(orgA, ssra.RoleCaseworker)
		var want []string
		for i := range 5 {
			in := complaintJSON()
			in["matter"].(map[string]any)["facts"] = fmt.Sprintf("street lights out in lane %d", i)
			want = append(want, f.call(t, "POST", "/v1/complaints", cw, in).must(t, http.StatusCreated).str("id"))
		}
		var got []string
		path := "/v1/complaints?limit=500"
		pages := 0
		for ; pages < 10; pages++ {
			r := f.call(t, "GET", path, cw, nil).must(t, http.StatusOK)
			for _, it := range r.body["items"].([]any) {
				got = append(got, it.(map[string]any)["id"].(string))
			}
			next := r.str("next")
			if next == "" {
				break
			}
			path = "/v1/complaints?limit=500&after=" + url.QueryEscape(next)
		}
		if !slices.Equal(got, want) || pages+1 != c.pages {
			t.Fatalf("PageBytes %d: %d pages of %v, want %d pages of %v", c.bytes, pages+1, got, c.pages, want)
		}
	}
}
