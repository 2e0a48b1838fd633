package rest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
)

// measuresInLedger opens the tracking of an approval whose M1 is owned by
// A (due 2026-12-31) and M2 by B (due 2027-03-31); B completes M2 and A
// verifies it on 2026-11-02, and the clock moves to 2027-01-11, when M1 is
// overdue. It returns the tracking's id.
func measuresInLedger(t *testing.T, f *fixture) string {
	t.Helper()
	_, did := decidedWithMeasures(t, f, orgA, orgB, "2026-12-31")
	id := f.call(t, "POST", "/v1/decisions/"+did+"/tracking", keyOf(orgA, ssra.RoleDecisionMaker), nil).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/trackings/"+id+"/complete", keyOf(orgB, ssra.RoleCaseworker), map[string]any{"measure": "M2", "note": "installed", "evidence": []any{map[string]any{"title": "test report"}}}, "If-Match", etagOf(1)).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/trackings/"+id+"/verify", keyOf(orgA, ssra.RoleReviewer), map[string]any{"measure": "M2", "note": "on site"}, "If-Match", etagOf(2)).must(t, http.StatusOK)
	f.clock.Advance(70 * 24 * time.Hour) // 2027-01-11
	return id
}

func figuresOf(r reply) map[string]map[string]any {
	out := map[string]map[string]any{}
	for _, x := range r.body["figures"].([]any) {
		x := x.(map[string]any)
		out[x["indicator"].(string)] = x
	}
	return out
}

// TestMeasureStats computes the measure indicators over the measures each
// organisation holds: the decision body counts every measure of its
// tracking, an owner its own, the bystander none; a measure due on the
// measuring date is not yet overdue; the overdue count is by owning
// organisation.
func TestMeasureStats(t *testing.T) {
	f := newFixture(t)
	measuresInLedger(t, f)
	r := f.call(t, "GET", "/v1/stats/measures", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if r.str("at") != "2027-01-11" {
		t.Fatalf("at: %s", r.raw)
	}
	tally := r.body["tally"].(map[string]any)
	for k, v := range map[string]float64{"measures": 2, "dropped": 0, "verified": 1, "verified_on_time": 1, "past_due": 1, "overdue": 1} {
		if tally[k] != v {
			t.Errorf("A's tally %s = %v, want %v (%s)", k, tally[k], v, r.raw)
		}
	}
	if by := tally["overdue_by_owner"].(map[string]any); len(by) != 1 || by[orgA] != 1.0 {
		t.Errorf("overdue by owner: %v", by)
	}
	// The tally's overdue measures are those the overdue list shows.
	if ov := f.call(t, "GET", "/v1/trackings/overdue", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK); float64(len(ov.body["items"].([]any))) != tally["overdue"] {
		t.Errorf("overdue list %s, tally %v", ov.raw, tally["overdue"])
	}
	figs := figuresOf(r)
	if len(figs) != 3 {
		t.Fatalf("figures %v, want the three measure indicators", figs)
	}
	if g := figs["measures.verified_on_time"]; g["numerator"] != 1.0 || g["denominator"] != 2.0 || g["rate"].(map[string]any)["value"] != "0.5" {
		t.Errorf("verified on time: %v", g)
	}
	if g := figs["measures.verified"]; g["numerator"] != 1.0 || g["denominator"] != 2.0 {
		t.Errorf("verified: %v", g)
	}
	g := figs["measures.overdue"]
	if cs := g["counts"].([]any); g["numerator"] != 1.0 || len(cs) != 1 || cs[0].(map[string]any)["name"] != "owner:"+orgA || g["kind"] != "count" {
		t.Errorf("overdue: %v", g)
	}
	// B holds its own M2, verified; C holds nothing.
	rb := f.call(t, "GET", "/v1/stats/measures", keyOf(orgB, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if tb := rb.body["tally"].(map[string]any); tb["measures"] != 1.0 || tb["verified"] != 1.0 || tb["overdue"] != 0.0 {
		t.Errorf("B's tally: %s", rb.raw)
	}
	rc := f.call(t, "GET", "/v1/stats/measures", keyOf(orgC, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if tc := rc.body["tally"].(map[string]any); tc["measures"] != 0.0 {
		t.Errorf("C's tally: %s", rc.raw)
	}
	// On M1's due date it is not yet overdue, nor past due.
	r = f.call(t, "GET", "/v1/stats/measures?at=2026-12-31", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if ta := r.body["tally"].(map[string]any); ta["overdue"] != 0.0 || ta["past_due"] != 0.0 || figuresOf(r)["measures.verified_on_time"]["denominator"] != 1.0 {
		t.Errorf("on the due date: %s", r.raw)
	}
	r = f.call(t, "GET", "/v1/stats/measures?at=2027-01-01", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if ta := r.body["tally"].(map[string]any); ta["overdue"] != 1.0 {
		t.Errorf("the day after the due date: %s", r.raw)
	}
	f.call(t, "GET", "/v1/stats/measures?at=2027-13-01", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusBadRequest)
	f.call(t, "GET", "/v1/stats/measures?org="+orgA, keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusBadRequest)
	f.call(t, "GET", "/v1/stats/measures", "", nil).must(t, http.StatusUnauthorized)
}

// TestAcceptanceMeasuresLedgerIndicators: a plan's targets naming measure
// and register indicators are measured at acceptance over what the
// organisation holds at the acceptance date, each verdict with the figure
// and the request that reproduces it (a rate judged by its Wilson
// interval: 1 of 2 fails 95 %, 1 of 1 passes 0.2); a filter on such a target is
// refused, since it selects cases.
func TestAcceptanceMeasuresLedgerIndicators(t *testing.T) {
	f := newFixture(t)
	admin, appraiser, cwA, cwB := keyOf(orgA, ssra.RoleAdmin), keyOf(orgA, ssra.RoleAppraiser), keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker)
	done := f.call(t, "POST", "/v1/register_entries", cwA, entryJSON(orgB)).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/register_entries/"+done+"/resolve", cwB, map[string]any{"resolution": "agreed"}, "If-Match", etagOf(1)).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/register_entries/"+done+"/close", cwA, map[string]any{"note": "checked"}, "If-Match", etagOf(2)).must(t, http.StatusOK)
	measuresInLedger(t, f)

	p := indicatorPlan()
	target := func(id, ind, cmp, thr, unit string) map[string]any {
		return map[string]any{"id": id, "indicator": ind, "label": map[string]any{"zh-CN": ind, "en": ind}, "comparator": cmp,
			"threshold": thr, "unit": unit, "due": "2026-12-31"}
	}
	p["goals"] = []any{map[string]any{"id": "g1", "title": "follow-through", "targets": []any{
		target("t-verified", "measures.verified_on_time", "ge", "95", "percent"),
		target("t-overdue", "measures.overdue", "le", "0", "count"),
		target("t-resolved", "register.resolution", "ge", "0.2", "ratio")}}}
	p["tasks"] = []any{map[string]any{"id": "k1", "title": "follow through", "targets": []any{"t-verified", "t-overdue", "t-resolved"}, "unit": "office",
		"leader": map[string]any{"name": "head", "post": "director"}, "due": "2026-11-30"}}

	bad := indicatorPlan()
	bad["goals"].([]any)[0].(map[string]any)["targets"] = []any{func() map[string]any {
		x := target("t-overdue", "measures.overdue", "le", "0", "count")
		x["filter"] = map[string]any{"kind": "complaint"}
		return x
	}()}
	bad["tasks"].([]any)[0].(map[string]any)["targets"] = []any{"t-overdue"}
	r := f.call(t, "POST", "/v1/plans", admin, bad).must(t, http.StatusUnprocessableEntity)
	if !strings.Contains(strings.Join(r.errorCodes(), ","), "target.filter_not_cases") {
		t.Fatalf("filter on a measure indicator: %s", r.raw)
	}

	id := f.call(t, "POST", "/v1/plans", admin, p).must(t, http.StatusCreated).str("id")
	bad2 := f.call(t, "POST", "/v1/plans/"+id+"/acceptance", appraiser, map[string]any{"measurements": []any{
		map[string]any{"target": "t-overdue", "value": "0", "evidence": "we say so"}}}, "If-Match", etagOf(1)).must(t, http.StatusUnprocessableEntity)
	if !strings.Contains(strings.Join(bad2.errorCodes(), ","), "acceptance.measured_from_cases") {
		t.Fatalf("typed value: %s", bad2.raw)
	}
	r = f.call(t, "POST", "/v1/plans/"+id+"/acceptance", appraiser, map[string]any{"measurements": []any{}}, "If-Match", etagOf(1)).must(t, http.StatusOK)
	acc := r.body["data"].(map[string]any)["acceptances"].([]any)[0].(map[string]any)
	results := map[string]map[string]any{}
	for _, x := range acc["results"].([]any) {
		results[x.(map[string]any)["target"].(string)] = x.(map[string]any)
	}
	for id, want := range map[string]struct{ verdict, query, evidence string }{
		"t-verified": {"fail", "/v1/stats/measures?at=2027-01-11", "indicator measures.verified_on_time: 1 of 2, measured on 2027-01-11"},
		"t-overdue":  {"fail", "/v1/stats/measures?at=2027-01-11", "indicator measures.overdue: 1 counted, measured on 2027-01-11"},
		"t-resolved": {"pass", "/v1/stats/register?at=2027-01-11", "indicator register.resolution: 1 of 1, measured on 2027-01-11"},
	} {
		x := results[id]
		src, _ := x["source"].(map[string]any)
		if x["verdict"] != want.verdict || src == nil || src["query"] != want.query || !strings.Contains(x["evidence"].(string), want.evidence) {
			t.Errorf("%s: %v", id, x)
			continue
		}
		if fig := src["figure"].(map[string]any); fig["indicator"] != x["indicator"] {
			t.Errorf("%s: recorded figure %v", id, fig)
		}
	}
	// The recorded query gives the recorded figure.
	again := f.call(t, "GET", "/v1/stats/measures?at=2027-01-11", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if got := figuresOf(again)["measures.overdue"]["numerator"]; got != 1.0 {
		t.Errorf("reproduced overdue figure: %v", got)
	}
}
