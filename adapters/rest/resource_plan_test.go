package rest_test

import (
	"net/http"
	"testing"

	"github.com/ssra-go/ssra"
)

// planJSON is a year's work plan with three targets and three tasks.
func planJSON() map[string]any {
	target := func(id, ind, cmp, thr, unit string) map[string]any {
		return map[string]any{"id": id, "indicator": ind, "label": map[string]any{"zh-CN": ind, "en": ind}, "comparator": cmp,
			"threshold": thr, "unit": unit, "due": "2026-12-31"}
	}
	task := func(id, target string) map[string]any {
		return map[string]any{"id": id, "title": "task " + id, "targets": []any{target}, "unit": "office",
			"leader": map[string]any{"name": "head", "post": "director"}, "due": "2026-11-30"}
	}
	return map[string]any{"id": "plan-2026", "unit": "County bureau", "year": 2026, "title": "2026 work plan",
		"goals": []any{map[string]any{"id": "g1", "title": "satisfied public", "targets": []any{
			target("t-sat", "public_satisfaction", "ge", "95", "percent"),
			target("t-safe", "safe_unit_accepted", "eq", "1", "flag"),
			target("t-time", "complaints_concluded_on_time", "ge", "90", "percent")}}},
		"tasks": []any{task("k1", "t-sat"), task("k2", "t-safe"), task("k3", "t-time")}}
}

func TestPlanProgressAndAcceptance(t *testing.T) {
	f := newFixture(t)
	admin := keyOf(orgA, ssra.RoleAdmin)
	f.call(t, "POST", "/v1/plans", keyOf(orgA, ssra.RoleViewer), planJSON()).must(t, http.StatusForbidden)
	bad := planJSON()
	bad["unit"] = ""
	bad["year"] = 1800
	if r := f.call(t, "POST", "/v1/plans", admin, bad).must(t, http.StatusUnprocessableEntity); len(r.errorCodes()) < 2 {
		t.Fatalf("every problem of the plan is listed: %v", r.errorCodes())
	}
	id := f.call(t, "POST", "/v1/plans", admin, planJSON()).must(t, http.StatusCreated).str("id")
	rep := f.call(t, "POST", "/v1/plans/"+id+"/reports", keyOf(orgA, ssra.RoleCaseworker),
		map[string]any{"task": "k3", "date": "2026-06-30", "percent": "50", "note": "half way"}, "If-Match", `"v1"`).must(t, http.StatusOK)
	if rep.str("data", "plan", "reports") == "" || rep.str("status") != "active" {
		t.Fatalf("report: %s", rep.raw)
	}
	r := f.call(t, "POST", "/v1/plans/"+id+"/reports", keyOf(orgA, ssra.RoleCaseworker),
		map[string]any{"task": "k9", "date": "2026-06-30", "percent": "150"}, "If-Match", `"v2"`).must(t, http.StatusUnprocessableEntity)
	if len(r.errorCodes()) != 2 {
		t.Fatalf("codes %v", r.errorCodes())
	}
	measure := func(onTime string) map[string]any {
		return map[string]any{"on": "2026-12-31", "measurements": []any{
			map[string]any{"target": "t-sat", "sample": map[string]any{"successes": 990, "total": 1000}, "evidence": "survey", "measured": "2026-12-20"},
			map[string]any{"target": "t-safe", "value": "1", "evidence": "certificate", "measured": "2026-12-20"},
			map[string]any{"target": "t-time", "value": onTime, "evidence": "case register", "measured": "2026-12-20"}}}
	}
	f.call(t, "POST", "/v1/plans/"+id+"/acceptance", admin, measure("92"), "If-Match", `"v2"`).must(t, http.StatusForbidden)
	appraiser := keyOf(orgA, ssra.RoleAppraiser)
	acc := f.call(t, "POST", "/v1/plans/"+id+"/acceptance", appraiser, measure("80"), "If-Match", `"v2"`).must(t, http.StatusOK)
	if acc.str("status") != "accepted_fail" {
		t.Fatalf("acceptance with 80 %% on time: %s", acc.str("status"))
	}
	acc = f.call(t, "POST", "/v1/plans/"+id+"/acceptance", appraiser, measure("92"), "If-Match", `"v3"`).must(t, http.StatusOK)
	if acc.str("status") != "accepted_pass" {
		t.Fatalf("acceptance: %s", acc.raw)
	}
	// Shared with the superior body, read-only.
	f.call(t, "GET", "/v1/plans/"+id, keyOf(orgB, ssra.RoleAppraiser), nil).must(t, http.StatusNotFound)
	f.call(t, "POST", "/v1/plans/"+id+"/share", admin, map[string]any{"org_id": orgB}).must(t, http.StatusNoContent)
	if got := f.call(t, "GET", "/v1/plans/"+id, keyOf(orgB, ssra.RoleAppraiser), nil).must(t, http.StatusOK); got.str("read_only") != "true" {
		t.Fatalf("shared plan: %s", got.raw)
	}
	f.call(t, "POST", "/v1/plans/"+id+"/acceptance", keyOf(orgB, ssra.RoleAppraiser), measure("92"), "If-Match", `"v4"`).must(t, http.StatusForbidden)
	f.call(t, "PUT", "/v1/plans/"+id, admin, planJSON(), "If-Match", `"v4"`).must(t, http.StatusOK)
}
