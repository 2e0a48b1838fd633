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

// closedEntry enters in A's register an issue B owns, which B resolves and
// A closes within its deadline.
func closedEntry(t *testing.T, f *fixture) {
	t.Helper()
	cwA, cwB := keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker)
	id := f.call(t, "POST", "/v1/register_entries", cwA, entryJSON(orgB)).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/register_entries/"+id+"/resolve", cwB, map[string]any{"resolution": "agreed"}, "If-Match", etagOf(1)).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/register_entries/"+id+"/close", cwA, map[string]any{"note": "checked"}, "If-Match", etagOf(2)).must(t, http.StatusOK)
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
	admin, appraiser := keyOf(orgA, ssra.RoleAdmin), keyOf(orgA, ssra.RoleAppraiser)
	closedEntry(t, f)
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

// TestAppraisalItemTakesLedgerIndicators: scheme items naming a measure
// and a register indicator are scored, for each unit that gives no input
// for them, on the indicator over the unit's own share of what the
// caller's organisation holds at the run's last day (the measures and the
// register entries it owns), with the figure and the request that
// reproduces it recorded in the run; a unit's own input for such an item
// stands where the scheme allows one (typed: allowed), recorded beside
// the measurement it overrides (here, one with nothing to measure).
func TestAppraisalItemTakesLedgerIndicators(t *testing.T) {
	f := newFixture(t)
	admin, appraiser := keyOf(orgA, ssra.RoleAdmin), keyOf(orgA, ssra.RoleAppraiser)
	closedEntry(t, f)
	measuresInLedger(t, f) // A's M1 overdue since 2027-01-01, B's M2 verified in time

	scheme := countyScheme(t, "2026")
	takes := map[string]string{"risk_assessment_coverage": "measures.verified_on_time", "agreements_performed": "register.closed_in_time"}
	for _, s := range scheme["sections"].([]any) {
		for _, it := range s.(map[string]any)["items"].([]any) {
			item := it.(map[string]any)
			if ind, ok := takes[item["id"].(string)]; ok {
				item["indicator"] = ind
			}
			if item["id"] == "agreements_performed" {
				item["typed"] = "allowed"
			}
		}
	}
	f.call(t, "POST", "/v1/schemes", admin, scheme).must(t, http.StatusCreated)
	var inputs []any
	for _, in := range unitInputs() {
		if _, ok := takes[in.(map[string]any)["item"].(string)]; !ok {
			inputs = append(inputs, in)
		}
	}
	ownInput := append([]any{map[string]any{"item": "agreements_performed", "value": "97"}}, inputs...)
	run := map[string]any{"kind": "units", "scheme": "county_units@2026", "from": "2026-01-01", "to": "2027-01-10",
		"units": []any{map[string]any{"id": orgA, "name": "county office", "inputs": ownInput},
			map[string]any{"id": orgB, "name": "township office", "inputs": inputs}}}
	got := f.call(t, "POST", "/v1/appraisal_runs", appraiser, run).must(t, http.StatusCreated)
	id := got.str("id")
	// What the run records is what it answered.
	stored := f.call(t, "GET", "/v1/appraisal_runs/"+id, appraiser, nil).must(t, http.StatusOK)
	type want struct {
		query, value string
		num, den     float64
		typed        bool
	}
	for i, tc := range []struct {
		unit string
		want map[string]want
	}{
		// A: 0 of its 1 measure past due verified → 0 %; A owns no entry
		// (nothing to measure) and gives its own value, which the scheme
		// allows: the empty figure stands beside it.
		{orgA, map[string]want{"risk_assessment_coverage": {"/v1/stats/measures?at=2027-01-10&unit=" + orgA, "0", 0, 1, false},
			"agreements_performed": {"/v1/stats/register?at=2027-01-10&unit=" + orgA, "97", 0, 0, true}}},
		// B: its M2 verified by its due date, its entry closed in time.
		{orgB, map[string]want{
			"risk_assessment_coverage": {"/v1/stats/measures?at=2027-01-10&unit=" + orgB, "100", 1, 1, false},
			"agreements_performed":     {"/v1/stats/register?at=2027-01-10&unit=" + orgB, "100", 1, 1, false}}},
	} {
		unit := stored.body["data"].(map[string]any)["units"].([]any)[i].(map[string]any)
		measured, _ := unit["measured"].([]any)
		if len(measured) != len(tc.want) {
			t.Fatalf("unit %s measured %v, want %d", tc.unit, measured, len(tc.want))
		}
		values := map[string]any{}
		for _, in := range unit["subject"].(map[string]any)["inputs"].([]any) {
			in := in.(map[string]any)
			values[in["item"].(string)] = in["value"]
		}
		for _, m := range measured {
			m := m.(map[string]any)
			item := m["item"].(string)
			w, ok := tc.want[item]
			fig := m["figure"].(map[string]any)
			typed, _ := m["typed_over_measurement"].(bool)
			if !ok || m["indicator"] != takes[item] || m["query"] != w.query || fig["numerator"] != w.num || fig["denominator"] != w.den || values[item] != w.value ||
				typed != w.typed || (w.typed && m["typed"] != w.value) || (!w.typed && m["typed"] != nil) {
				t.Errorf("unit %s item %s: measured %v, input %v; want %+v", tc.unit, item, m, values[item], w)
				continue
			}
			// The recorded query gives the recorded figure.
			again := f.call(t, "GET", w.query, keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
			if g := figuresOf(again)[takes[item]]; g["numerator"] != w.num || g["denominator"] != w.den {
				t.Errorf("%s gives %v, the run recorded %v", w.query, g, fig)
			}
		}
	}
	// The unit parameter narrows the ledger routes to one unit's share.
	r := f.call(t, "GET", "/v1/stats/measures?at=2027-01-10&unit="+orgA, keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if ta := r.body["tally"].(map[string]any); ta["measures"] != 1.0 || ta["overdue"] != 1.0 {
		t.Errorf("A's own measures: %s", r.raw)
	}
	r = f.call(t, "GET", "/v1/stats/register?unit="+orgA, keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if ta := r.body["tally"].(map[string]any); ta["entries"] != 0.0 {
		t.Errorf("A owns no entry: %s", r.raw)
	}
}
