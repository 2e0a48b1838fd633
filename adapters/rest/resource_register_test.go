package rest_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
)

// screeningPlanJSON is A's plan for October to December 2026: unit u1
// screens its village weekly, unit u2 the land cases monthly and before
// New Year's Day.
func screeningPlanJSON(u1, u2 string) map[string]any {
	return map[string]any{"from": "2026-10-01", "to": "2026-12-31",
		"units": []any{
			map[string]any{"unit": u1, "cycle": "weekly", "communities": []any{"一村"}},
			map[string]any{"unit": u2, "cycle": "monthly", "before_sensitive": true, "areas": []any{"land_acquisition"}},
		},
		"sensitive": []any{map[string]any{"name": "元旦", "from": "2026-12-31", "to": "2026-12-31", "lead_days": 10}},
	}
}

func entryJSON(owner string) map[string]any {
	return map[string]any{"round": "r1", "owner": owner, "community": "一村", "summary": "boundary dispute over a collective field", "days": 15}
}

func TestScreeningRoundTrip(t *testing.T) {
	f := newFixture(t)
	admin := keyOf(orgA, ssra.RoleAdmin)
	bad := screeningPlanJSON(orgB, "township-x")
	bad["organ"] = orgB
	r := f.call(t, "POST", "/v1/screening_plans", admin, bad).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "screening.organ_not_caller") {
		t.Fatalf("refusal: %s", r.raw)
	}
	r = f.call(t, "POST", "/v1/screening_plans", admin, screeningPlanJSON(orgB, "township-x")).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "screening.unit_unknown") || !strings.Contains(r.raw, "units[1].unit") {
		t.Fatalf("refusal: %s", r.raw)
	}
	p := f.call(t, "POST", "/v1/screening_plans", admin, screeningPlanJSON(orgB, orgC)).must(t, http.StatusCreated)
	id := p.str("id")
	if p.str("data", "plan", "organ") != orgA || p.str("data", "plan", "id") != id {
		t.Fatalf("plan: %s", p.raw)
	}
	path := "/v1/screening_plans/" + id + "/rounds"
	cwA, cwB := keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker)
	// B records its own round through the share, not C's.
	round := map[string]any{"unit": orgB, "slot": "2026-W44", "held": "2026-10-30", "covered": []any{"一村"}, "found": 0}
	f.call(t, "POST", path, cwB, map[string]any{"unit": orgC, "slot": "2026-10", "held": "2026-10-20", "covered": []any{"land_acquisition"}}, "If-Match", `"v1"`).must(t, http.StatusForbidden)
	r = f.call(t, "POST", path, cwB, round, "If-Match", `"v1"`).must(t, http.StatusOK)
	if r.str("org_id") != orgA || r.str("data", "rounds") == "[]" {
		t.Fatalf("after B's round: %s", r.raw)
	}
	f.call(t, "POST", path, cwA, round, "If-Match", `"v1"`).must(t, http.StatusPreconditionFailed)
	for _, tc := range []struct {
		round map[string]any
		code  string
	}{
		{map[string]any{"unit": orgC, "slot": "2026-10", "held": "2026-11-20", "covered": []any{"land_acquisition"}}, "round.held_future"},
		{map[string]any{"unit": orgC, "slot": "2027-01", "held": "2026-10-20", "covered": []any{"land_acquisition"}}, "round.slot_unknown"},
		{map[string]any{"unit": orgC, "slot": "2026-10", "held": "2026-10-20", "covered": []any{"一村"}}, "round.covered_unknown"},
	} {
		r = f.call(t, "POST", path, cwA, tc.round, "If-Match", `"v2"`).must(t, http.StatusUnprocessableEntity)
		if !slices.Contains(r.errorCodes(), tc.code) {
			t.Fatalf("%s: %s", tc.code, r.raw)
		}
	}
	f.call(t, "POST", path, cwA, map[string]any{"unit": orgC, "slot": "2026-10", "held": "2026-10-20", "covered": []any{"land_acquisition"}}, "If-Match", `"v2"`).must(t, http.StatusOK)
	// The missed rounds at 2 November: B's October weeks, not B's week 44
	// nor C's October.
	m := f.call(t, "GET", "/v1/screening_plans/missed", keyOf(orgC, ssra.RoleViewer), nil).must(t, http.StatusOK)
	var keys []string
	for _, it := range m.body["items"].([]any) {
		it := it.(map[string]any)
		keys = append(keys, it["unit"].(string)+"/"+it["key"].(string))
	}
	if !slices.Contains(keys, orgB+"/2026-W41") || slices.Contains(keys, orgB+"/2026-W44") || slices.Contains(keys, orgC+"/2026-10") {
		t.Fatalf("missed: %v", keys)
	}
}

func TestRegisterRoundTrip(t *testing.T) {
	f := newFixture(t)
	cwA, cwB := keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker)
	for _, tc := range []struct {
		body map[string]any
		code string
	}{
		{map[string]any{"owner": orgB, "summary": "call 13800000000 about the field", "days": 15}, "register.personal_data"},
		{map[string]any{"owner": "village-9", "summary": "a field", "days": 15}, "register.owner_unknown"},
		{map[string]any{"owner": orgB, "summary": "a field", "days": 15, "due": "2026-12-01"}, "register.deadline_ambiguous"},
	} {
		r := f.call(t, "POST", "/v1/register_entries", cwA, tc.body).must(t, http.StatusUnprocessableEntity)
		if !slices.Contains(r.errorCodes(), tc.code) {
			t.Fatalf("%s: %s", tc.code, r.raw)
		}
	}
	e := f.call(t, "POST", "/v1/register_entries", cwA, entryJSON(orgB)).must(t, http.StatusCreated)
	id := e.str("id")
	// 15 working days from Monday 2 November 2026 end on Monday 23 November.
	if e.str("data", "due") != "2026-11-23" || e.str("due_on") != "2026-11-23" || e.str("data", "organ") != orgA || e.str("data", "id") != id {
		t.Fatalf("entry: %s", e.raw)
	}
	base := "/v1/register_entries/" + id + "/"
	r := f.call(t, "POST", base+"close", cwA, map[string]any{"note": "x"}, "If-Match", `"v1"`).must(t, http.StatusConflict)
	if !slices.Contains(r.errorCodes(), "register.transition_not_allowed") {
		t.Fatalf("refusal: %s", r.raw)
	}
	f.call(t, "POST", base+"start", keyOf(orgC, ssra.RoleCaseworker), nil, "If-Match", `"v1"`).must(t, http.StatusNotFound)
	f.call(t, "POST", base+"start", cwB, nil, "If-Match", `"v1"`).must(t, http.StatusOK)
	f.call(t, "POST", base+"resolve", cwB, map[string]any{"note": "x"}, "If-Match", `"v2"`).must(t, http.StatusUnprocessableEntity)
	f.call(t, "POST", base+"resolve", cwB, map[string]any{"resolution": "surveyed and agreed"}, "If-Match", `"v2"`).must(t, http.StatusOK)
	// The owner unit does not strike off its own entry; the organ does.
	f.call(t, "POST", base+"close", cwB, map[string]any{"note": "done"}, "If-Match", `"v3"`).must(t, http.StatusForbidden)
	f.call(t, "POST", base+"reject", cwA, map[string]any{}, "If-Match", `"v3"`).must(t, http.StatusUnprocessableEntity)
	r = f.call(t, "POST", base+"close", cwA, map[string]any{"note": "checked with the committee"}, "If-Match", `"v3"`).must(t, http.StatusOK)
	if r.str("status") != "closed" || r.str("due_on") != "" || r.str("data", "verification", "by") != "u-"+orgA+"-caseworker" {
		t.Fatalf("closed: %s", r.raw)
	}

	// The official who resolved an issue does not verify it.
	id2 := f.call(t, "POST", "/v1/register_entries", cwA, entryJSON(orgB)).must(t, http.StatusCreated).str("id")
	base2 := "/v1/register_entries/" + id2 + "/"
	f.call(t, "POST", base2+"resolve", cwA, map[string]any{"resolution": "agreed"}, "If-Match", `"v1"`).must(t, http.StatusOK)
	r = f.call(t, "POST", base2+"close", cwA, map[string]any{}, "If-Match", `"v2"`).must(t, http.StatusForbidden)
	if !slices.Contains(r.errorCodes(), "register.verifier_is_resolver") {
		t.Fatalf("refusal: %s", r.raw)
	}
	f.call(t, "POST", base2+"reject", cwA+"2", map[string]any{"reason": "no signature"}, "If-Match", `"v2"`).must(t, http.StatusOK)
	// The issue became a complaint: the link carries the case's reference.
	c := f.call(t, "POST", "/v1/complaints", cwA, complaintJSON()).must(t, http.StatusCreated)
	r = f.call(t, "POST", base2+"link_case", cwA, map[string]any{"kind": "complaint", "case_id": "r9999"}, "If-Match", `"v3"`).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "case_link.case_unknown") {
		t.Fatalf("refusal: %s", r.raw)
	}
	r = f.call(t, "POST", base2+"link_case", cwA, map[string]any{"kind": "complaint", "case_id": c.str("id")}, "If-Match", `"v3"`).must(t, http.StatusOK)
	if ref := c.str("data", "ref"); ref == "" || r.str("data", "case", "ref") != ref || strings.Contains(r.raw, "Li Hua") {
		t.Fatalf("linked: %s", r.raw)
	}
	f.call(t, "POST", base2+"link_case", cwA, map[string]any{"kind": "complaint", "case_id": c.str("id")}, "If-Match", `"v4"`).must(t, http.StatusConflict)

	// Past its deadline the open entry is overdue; the closed one is not.
	f.clock.Advance(30 * 24 * time.Hour)
	o := f.call(t, "GET", "/v1/register_entries/overdue", cwB, nil).must(t, http.StatusOK)
	items := o.body["items"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["id"] != id2 {
		t.Fatalf("overdue: %s", o.raw)
	}
	var got []string
	for _, a := range f.store.actions {
		if strings.HasPrefix(a, "register.") {
			got = append(got, a)
		}
	}
	want := []string{"register.enter", "register.start", "register.resolve", "register.close", "register.enter", "register.resolve", "register.reject", "register.link_case"}
	if !slices.Equal(got, want) {
		t.Fatalf("audit %v, want %v", got, want)
	}
}
