package rest_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
)

// head is org A's head: an administrator who handles cases.
const head = "key:" + orgA + ":admin+caseworker"

func TestCaseResponsibility(t *testing.T) {
	f := newFixture(t)
	reg := f.call(t, "POST", "/v1/complaints", keyOf(orgA, ssra.RoleCaseworker), complaintJSON()).must(t, http.StatusCreated)
	id, ref, code := reg.str("id"), reg.str("data", "ref"), reg.str("query_code")
	path := "/v1/complaints/" + id + "/"
	leader := map[string]any{"user_id": "u-" + orgA + "-reviewer", "post": "deputy director"}
	// Only the head assigns; a caseworker is refused by the domain, another
	// organisation does not see the case.
	f.call(t, "POST", path+"assign_leader", keyOf(orgA, ssra.RoleCaseworker), leader, "If-Match", `"v1"`).must(t, http.StatusForbidden)
	f.call(t, "POST", path+"assign_leader", "key:"+orgB+":admin+caseworker", leader, "If-Match", `"v1"`).must(t, http.StatusNotFound)
	// A leader of another organisation, or no user at all, is refused alike.
	for _, uid := range []string{"u-" + orgB + "-reviewer", "u-nobody"} {
		r := f.call(t, "POST", path+"assign_leader", head, map[string]any{"user_id": uid, "post": "director"}, "If-Match", `"v1"`).must(t, http.StatusUnprocessableEntity)
		if !slices.Contains(r.errorCodes(), "case.leader_unknown") {
			t.Fatalf("%s: %s", uid, r.raw)
		}
	}
	r := f.call(t, "POST", path+"assign_leader", head, map[string]any{"user_id": "u-" + orgA + "-reviewer"}, "If-Match", `"v1"`).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "case.leader_post_missing") {
		t.Fatalf("refusal: %s", r.raw)
	}
	f.call(t, "POST", path+"assign_leader", head, leader, "If-Match", `"v1"`).must(t, http.StatusOK)
	// The same leader again is a conflict; a change needs a reason.
	r = f.call(t, "POST", path+"assign_leader", head, leader, "If-Match", `"v2"`).must(t, http.StatusConflict)
	if !slices.Contains(r.errorCodes(), "case.leader_unchanged") {
		t.Fatalf("refusal: %s", r.raw)
	}
	other := map[string]any{"user_id": "u-" + orgA + "-assessor", "post": "director"}
	f.call(t, "POST", path+"assign_leader", head, other, "If-Match", `"v2"`).must(t, http.StatusUnprocessableEntity)
	other["reason"] = "the deputy director moved post"
	r = f.call(t, "POST", path+"assign_leader", head, other, "If-Match", `"v2"`).must(t, http.StatusOK)
	leaders := r.body["data"].(map[string]any)["leaders"].([]any)
	if len(leaders) != 2 || leaders[0].(map[string]any)["ended"] == nil || leaders[1].(map[string]any)["leader"].(map[string]any)["org"] != orgA {
		t.Fatalf("history: %s", r.raw)
	}
	// Supervision names a body by identifier.
	r = f.call(t, "POST", path+"supervise_by", head, map[string]any{"body": "the city", "reason": "followed by the city"}, "If-Match", `"v3"`).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "case.supervising_body_unknown") {
		t.Fatalf("refusal: %s", r.raw)
	}
	r = f.call(t, "POST", path+"supervise_by", head, map[string]any{"body": orgB, "reason": "followed by the city"}, "If-Match", `"v3"`).must(t, http.StatusOK)
	if !strings.Contains(r.raw, `"body":"`+orgB+`"`) {
		t.Fatalf("mark: %s", r.raw)
	}
	// The complainant sees the responsible body, never the leader.
	pub := f.call(t, "GET", "/v1/public/complaints/"+ref, "", nil, "X-Query-Code", code).must(t, http.StatusOK)
	if pub.str("responsible_body") != orgA || strings.Contains(pub.raw, "assessor") || strings.Contains(pub.raw, "director") {
		t.Fatalf("public view: %s", pub.raw)
	}
	f.call(t, "POST", path+"release_leader", head, map[string]any{}, "If-Match", `"v4"`).must(t, http.StatusUnprocessableEntity)
	f.call(t, "POST", path+"release_leader", head, map[string]any{"reason": "case closed at the township"}, "If-Match", `"v4"`).must(t, http.StatusOK)
	r = f.call(t, "POST", path+"release_leader", head, map[string]any{"reason": "again"}, "If-Match", `"v5"`).must(t, http.StatusConflict)
	if !slices.Contains(r.errorCodes(), "case.no_leader") {
		t.Fatalf("refusal: %s", r.raw)
	}
	if pub := f.call(t, "GET", "/v1/public/complaints/"+ref, "", nil, "X-Query-Code", code).must(t, http.StatusOK); pub.str("responsible_body") != "" {
		t.Fatalf("public view after the release: %s", pub.raw)
	}
	var got []string
	for _, a := range f.store.actions {
		if strings.Contains(a, "leader") || strings.Contains(a, "supervise") {
			got = append(got, a)
		}
	}
	if want := []string{"complaint.assign_leader", "complaint.assign_leader", "complaint.supervise_by", "complaint.release_leader"}; !slices.Equal(got, want) {
		t.Fatalf("audit %v, want %v", got, want)
	}

	// A dispute takes a responsible leader the same way.
	did := f.call(t, "POST", "/v1/disputes", keyOf(orgA, ssra.RoleCaseworker), disputeJSON()).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/disputes/"+did+"/assign_leader", keyOf(orgA, ssra.RoleCaseworker), leader, "If-Match", `"v1"`).must(t, http.StatusForbidden)
	r = f.call(t, "POST", "/v1/disputes/"+did+"/assign_leader", head, leader, "If-Match", `"v1"`).must(t, http.StatusOK)
	if !strings.Contains(r.raw, `"post":"deputy director"`) {
		t.Fatalf("dispute: %s", r.raw)
	}
}

func TestReceptionDays(t *testing.T) {
	f := newFixture(t)
	cw := keyOf(orgA, ssra.RoleCaseworker)
	cid := f.call(t, "POST", "/v1/complaints", cw, complaintJSON()).must(t, http.StatusCreated).str("id")
	day := func(uid string, cases ...any) map[string]any {
		return map[string]any{"leader": map[string]any{"user_id": uid, "post": "deputy county head"}, "at": "2026-10-15T09:00:00+08:00",
			"place": "letters and visits hall", "cases": cases}
	}
	for _, tc := range []struct {
		body  map[string]any
		code  string
		field string
	}{
		{day("u-" + orgB + "-admin"), "reception.leader_unknown", "leader.user_id"},
		{day("u-"+orgA+"-admin", map[string]any{"kind": "complaint", "case_id": "r9999"}), "case_link.case_unknown", "cases[0].case_id"},
		{day("u-"+orgA+"-admin", map[string]any{"kind": "complaint", "case_id": cid}, map[string]any{"kind": "complaint", "case_id": cid}), "reception.case_duplicate", "cases[1]"},
		{map[string]any{"leader": map[string]any{"user_id": "u-" + orgA + "-admin", "post": "head"}, "at": "2027-10-15T09:00:00+08:00", "place": "hall"}, "reception.time_future", "at"},
	} {
		r := f.call(t, "POST", "/v1/reception_days", cw, tc.body).must(t, http.StatusUnprocessableEntity)
		if !slices.Contains(r.errorCodes(), tc.code) || !strings.Contains(r.raw, `"field":"`+tc.field+`"`) {
			t.Fatalf("%s: %s", tc.code, r.raw)
		}
	}
	f.call(t, "POST", "/v1/reception_days", keyOf(orgA, ssra.RoleViewer), day("u-"+orgA+"-admin")).must(t, http.StatusForbidden)
	r := f.call(t, "POST", "/v1/reception_days", cw, day("u-"+orgA+"-admin", map[string]any{"kind": "complaint", "case_id": cid})).must(t, http.StatusCreated)
	id := r.str("id")
	if r.str("data", "organ") != orgA || r.str("data", "leader", "org") != orgA || !strings.Contains(r.str("data", "cases"), `"ref"`) || strings.Contains(r.raw, "Li Hua") {
		t.Fatalf("reception day: %s", r.raw)
	}
	f.call(t, "GET", "/v1/reception_days/"+id, keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	f.call(t, "GET", "/v1/reception_days/"+id, keyOf(orgB, ssra.RoleViewer), nil).must(t, http.StatusNotFound)
	if l := f.call(t, "GET", "/v1/reception_days", keyOf(orgB, ssra.RoleViewer), nil).must(t, http.StatusOK); len(l.body["items"].([]any)) != 0 {
		t.Fatalf("B's list: %s", l.raw)
	}
}

// receptionJSON is a reception day of org A's head, without cases.
func receptionJSON() map[string]any {
	return map[string]any{"leader": map[string]any{"user_id": "u-" + orgA + "-admin", "post": "county head"}, "at": "2026-10-15T09:00:00+08:00",
		"place": "letters and visits hall"}
}
