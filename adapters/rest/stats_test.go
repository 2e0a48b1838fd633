package rest_test

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// casework registers, at org A, a complaint answered late and one routed
// to B; at B, a complaint still open.
func casework(t *testing.T, f *fixture) {
	t.Helper()
	a, b := keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker)
	n := 0
	matter := func(facts string) map[string]any {
		n++
		c := complaintJSON()
		c["matter"].(map[string]any)["facts"] = facts
		c["ref"] = "XF-STATS-" + strconv.Itoa(n)
		return c
	}
	late := f.call(t, "POST", "/v1/complaints", a, matter("water cut for two weeks")).must(t, http.StatusCreated).str("id")
	routed := f.call(t, "POST", "/v1/complaints", a, matter("street lights out")).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/complaints", b, matter("bus stop moved")).must(t, http.StatusCreated)
	f.clock.Advance(24 * time.Hour)
	f.call(t, "POST", "/v1/complaints/"+late+"/accept", a, nil, "If-Match", etagOf(1)).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/complaints/"+routed+"/route", a, map[string]any{"to": orgB, "mode": "transfer"}, "If-Match", etagOf(1)).must(t, http.StatusOK)
	f.clock.Advance(70 * 24 * time.Hour)
	f.call(t, "POST", "/v1/complaints/"+late+"/answer", a, map[string]any{"outcome": "support", "text": "supply restored", "legal_basis": "Art 34"},
		"If-Match", etagOf(2)).must(t, http.StatusOK)
}

func figureOf(t *testing.T, r reply, group int, id string) map[string]any {
	t.Helper()
	groups, _ := r.body["groups"].([]any)
	if group >= len(groups) {
		t.Fatalf("no group %d: %s", group, r.raw)
	}
	for _, f := range groups[group].(map[string]any)["figures"].([]any) {
		if m := f.(map[string]any); m["indicator"] == id {
			return m
		}
	}
	t.Fatalf("no figure %s: %s", id, r.raw)
	return nil
}

func TestCaseworkStats(t *testing.T) {
	f := newFixture(t)
	casework(t, f)
	viewer := keyOf(orgA, ssra.RoleViewer)
	r := f.call(t, "GET", "/v1/stats/casework?indicator=xinfang.on_time.handling,casework.backlog,casework.closed_within_limit", viewer, nil).must(t, http.StatusOK)
	if r.str("query") != "/v1/stats/casework?at=2027-01-12&indicator=xinfang.on_time.handling%2Ccasework.backlog%2Ccasework.closed_within_limit" {
		t.Fatalf("canonical query %q", r.str("query"))
	}
	h := figureOf(t, r, 0, "xinfang.on_time.handling")
	if h["numerator"] != 0.0 || h["denominator"] != 1.0 || h["rate"].(map[string]any)["value"] != "0" {
		t.Fatalf("handling on time at A: %v", h)
	}
	// A sees its answered case and the one it routed (read share), held by B
	// and not yet handled; B's own case is not A's to count.
	if b := figureOf(t, r, 0, "casework.backlog"); b["numerator"] != 1.0 {
		t.Fatalf("backlog seen by A: %v", b)
	}
	if w := figureOf(t, r, 0, "casework.closed_within_limit"); w["numerator"] != 0.0 || w["denominator"] != 1.0 {
		t.Fatalf("within limit: %v", w)
	}
	// Grouped by organisation: A's own case and B's routed one.
	r = f.call(t, "GET", "/v1/stats/casework?group=org,month&indicator=casework.backlog", viewer, nil).must(t, http.StatusOK)
	if groups := r.body["groups"].([]any); len(groups) != 2 {
		t.Fatalf("groups: %s", r.raw)
	}
	// B counts both complaints it holds.
	r = f.call(t, "GET", "/v1/stats/casework?org="+orgB+"&indicator=casework.backlog", keyOf(orgB, ssra.RoleAppraiser), nil).must(t, http.StatusOK)
	if b := figureOf(t, r, 0, "casework.backlog"); b["numerator"] != 2.0 {
		t.Fatalf("backlog at B: %v", b)
	}
	// C, which holds nothing, sees no group at all.
	r = f.call(t, "GET", "/v1/stats/casework?org="+orgA, keyOf(orgC, ssra.RoleAdmin), nil).must(t, http.StatusOK)
	if len(r.body["groups"].([]any)) != 0 {
		t.Fatalf("C sees A's figures: %s", r.raw)
	}
	// A's handling organisation with its shares: the routed case counts.
	r = f.call(t, "GET", "/v1/stats/casework?org="+orgA+"&shared=true&indicator=casework.backlog&kind=complaint", viewer, nil).must(t, http.StatusOK)
	if b := figureOf(t, r, 0, "casework.backlog"); b["numerator"] != 1.0 {
		t.Fatalf("shared backlog: %v", b)
	}
	// A period that ends before the cases were registered counts none.
	r = f.call(t, "GET", "/v1/stats/casework?from=2026-01-01&to=2026-11-01", viewer, nil).must(t, http.StatusOK)
	if len(r.body["groups"].([]any)) != 0 {
		t.Fatalf("period filter: %s", r.raw)
	}
}

func TestCaseworkStatsCSV(t *testing.T) {
	f := newFixture(t)
	casework(t, f)
	r := f.call(t, "GET", "/v1/stats/casework?format=csv&group=month", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if ct := r.hdr.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(r.raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// One month, so one row per indicator of the set counted over cases,
	// each once and in the set's order (the register's and the tracked
	// measures' indicators have their own routes).
	set := slices.DeleteFunc(stability.Indicators(), func(x stability.Indicator) bool { return !stability.IndicatorOverCases(x.ID) })
	if len(rows) != 1+len(set) || rows[0][2] != "indicator" || rows[1][1] != "2026-11" {
		t.Fatalf("csv: %v", rows)
	}
	for i, row := range rows[1:] {
		if row[2] != set[i].ID {
			t.Fatalf("row %d is %s, want %s", i+1, row[2], set[i].ID)
		}
		if row[2] == "xinfang.on_time.handling" && (row[6] != "0" || row[7] != "1" || row[8] != "0") {
			t.Fatalf("handling row %v", row)
		}
	}
}

func TestCaseworkStatsRefusesBadQueries(t *testing.T) {
	f := newFixture(t)
	key := keyOf(orgA, ssra.RoleViewer)
	for _, tc := range []struct{ query, field string }{
		{"from=2026-13-01", "from"},
		{"from=2026-03-01&to=2026-03-01", "to"},
		{"channel=pigeon", "channel"},
		{"matter_type=gossip", "matter_type"},
		{"kind=petition", "kind"},
		{"group=person", "group"},
		{"indicator=complaints.filed", "indicator"},
		{"indicator=measures.overdue", "indicator"},
		{"indicator=register.resolution", "indicator"},
		{"format=xlsx", "format"},
		{"shared=true", "shared"},
		{"shared=yes&org=" + orgA, "shared"},
		{"complainant=x", "complainant"},
		{"at=tomorrow", "at"},
	} {
		r := f.call(t, "GET", "/v1/stats/casework?"+tc.query, key, nil).must(t, http.StatusBadRequest)
		found := false
		for _, e := range r.body["errors"].([]any) {
			found = found || e.(map[string]any)["field"] == tc.field
		}
		if !found {
			t.Errorf("%s: no problem on field %s: %s", tc.query, tc.field, r.raw)
		}
	}
	f.call(t, "GET", "/v1/stats/casework", "", nil).must(t, http.StatusUnauthorized)
}

// indicatorPlan is a plan whose targets are measured from the casework:
// handling on time (a rate), the backlog of complaints (a count), and one
// typed-in target.
func indicatorPlan() map[string]any {
	p := planJSON()
	target := func(id, ind, cmp, thr, unit string, filter map[string]any) map[string]any {
		t := map[string]any{"id": id, "indicator": ind, "label": map[string]any{"zh-CN": ind, "en": ind}, "comparator": cmp,
			"threshold": thr, "unit": unit, "due": "2026-12-31"}
		if filter != nil {
			t["filter"] = filter
		}
		return t
	}
	p["goals"] = []any{map[string]any{"id": "g1", "title": "casework", "targets": []any{
		target("t-time", "xinfang.on_time.handling", "ge", "90", "percent", nil),
		target("t-backlog", "casework.backlog", "le", "5", "count", map[string]any{"kind": "complaint"}),
		target("t-safe", "safe_unit_accepted", "eq", "1", "flag", nil)}}}
	p["tasks"] = []any{map[string]any{"id": "k1", "title": "handle", "targets": []any{"t-time", "t-backlog", "t-safe"}, "unit": "office",
		"leader": map[string]any{"name": "head", "post": "director"}, "due": "2026-11-30"}}
	return p
}

func TestAcceptanceMeasuresIndicatorTargetsFromCases(t *testing.T) {
	f := newFixture(t)
	casework(t, f)
	admin, appraiser := keyOf(orgA, ssra.RoleAdmin), keyOf(orgA, ssra.RoleAppraiser)
	id := f.call(t, "POST", "/v1/plans", admin, indicatorPlan()).must(t, http.StatusCreated).str("id")
	// A typed-in value for a target the server measures is refused.
	bad := f.call(t, "POST", "/v1/plans/"+id+"/acceptance", appraiser, map[string]any{"measurements": []any{
		map[string]any{"target": "t-time", "value": "100", "evidence": "we say so"}}}, "If-Match", etagOf(1)).must(t, http.StatusUnprocessableEntity)
	if !strings.Contains(strings.Join(bad.errorCodes(), ","), "acceptance.measured_from_cases") {
		t.Fatalf("typed value: %s", bad.raw)
	}
	r := f.call(t, "POST", "/v1/plans/"+id+"/acceptance", appraiser, map[string]any{"measurements": []any{
		map[string]any{"target": "t-safe", "value": "1", "evidence": "certificate"}}}, "If-Match", etagOf(1)).must(t, http.StatusOK)
	acc := r.body["data"].(map[string]any)["acceptances"].([]any)[0].(map[string]any)
	results := map[string]map[string]any{}
	for _, x := range acc["results"].([]any) {
		results[x.(map[string]any)["target"].(string)] = x.(map[string]any)
	}
	tt := results["t-time"]
	src, _ := tt["source"].(map[string]any)
	if tt["verdict"] != "fail" || src == nil || !strings.HasPrefix(src["query"].(string), "/v1/stats/casework?at=2027-01-12&from=2026-01-01") ||
		!strings.Contains(tt["evidence"].(string), "xinfang.on_time.handling: 0 of 1") {
		t.Fatalf("handling target: %v", tt)
	}
	if fig := src["figure"].(map[string]any); fig["numerator"] != 0.0 || fig["denominator"] != 1.0 {
		t.Fatalf("recorded figure: %v", fig)
	}
	// A's complaints not yet handled: the one it routed to B (shared).
	if tb := results["t-backlog"]; tb["verdict"] != "pass" || tb["value"] != "1" || !strings.Contains(tb["source"].(map[string]any)["query"].(string), "kind=complaint") {
		t.Fatalf("backlog target: %v", tb)
	}
	if results["t-safe"]["verdict"] != "pass" || results["t-safe"]["source"] != nil {
		t.Fatalf("typed target: %v", results["t-safe"])
	}
	// A plan year without cases: the rate has nothing to measure and says
	// so, with the figure and its query (the plan is undecided on it, never
	// passed or failed); a backlog of no case is a count of 0.
	p := indicatorPlan()
	p["id"], p["year"] = "plan-2025", 2025
	for _, g := range p["goals"].([]any) {
		for _, x := range g.(map[string]any)["targets"].([]any) {
			x.(map[string]any)["due"] = "2025-12-31"
		}
	}
	p["tasks"].([]any)[0].(map[string]any)["due"] = "2025-11-30"
	id = f.call(t, "POST", "/v1/plans", admin, p).must(t, http.StatusCreated).str("id")
	r = f.call(t, "POST", "/v1/plans/"+id+"/acceptance", appraiser, map[string]any{"measurements": []any{
		map[string]any{"target": "t-safe", "value": "1", "evidence": "certificate"}}}, "If-Match", etagOf(1)).must(t, http.StatusOK)
	acc = r.body["data"].(map[string]any)["acceptances"].([]any)[0].(map[string]any)
	results = map[string]map[string]any{}
	for _, x := range acc["results"].([]any) {
		results[x.(map[string]any)["target"].(string)] = x.(map[string]any)
	}
	tt, src = results["t-time"], nil
	src, _ = tt["source"].(map[string]any)
	if tt["verdict"] != "not_measurable" || tt["value"] != nil || src == nil || !strings.Contains(src["query"].(string), "from=2025-01-01") ||
		src["figure"].(map[string]any)["denominator"] != 0.0 || !strings.Contains(tt["evidence"].(string), "nothing to measure") {
		t.Fatalf("empty year, rate target: %v", tt)
	}
	if tb := results["t-backlog"]; tb["verdict"] != "pass" || tb["value"] != "0" {
		t.Fatalf("empty year, backlog target: %v", tb)
	}
	if acc["verdict"] != "undecided" || acc["counts"].(map[string]any)["not_measurable"] != 1.0 {
		t.Fatalf("empty year: %s", r.raw)
	}
	// Only the server says a target had nothing to measure.
	bad = f.call(t, "POST", "/v1/plans/"+id+"/acceptance", appraiser, map[string]any{"measurements": []any{
		map[string]any{"target": "t-safe", "not_measurable": true, "evidence": "no inspection"}}}, "If-Match", etagOf(2)).must(t, http.StatusUnprocessableEntity)
	if !strings.Contains(strings.Join(bad.errorCodes(), ","), "acceptance.not_measurable_typed") {
		t.Fatalf("typed not_measurable: %s", bad.raw)
	}
}

func TestIndicatorTargetsAreChecked(t *testing.T) {
	f := newFixture(t)
	admin := keyOf(orgA, ssra.RoleAdmin)
	p := indicatorPlan()
	ts := p["goals"].([]any)[0].(map[string]any)["targets"].([]any)
	ts[0].(map[string]any)["unit"] = "days"
	ts[2].(map[string]any)["filter"] = map[string]any{"kind": "complaint"}
	r := f.call(t, "POST", "/v1/plans", admin, p).must(t, http.StatusUnprocessableEntity)
	codes := strings.Join(r.errorCodes(), ",")
	if !strings.Contains(codes, "target.indicator_unit") || !strings.Contains(codes, "target.filter_without_indicator") {
		t.Fatalf("codes %s", codes)
	}
}

// TestAppraisalItemTakesAnIndicator: a scheme item naming a casework
// indicator is scored, for a unit that gives no input for it, on the
// indicator over the unit's cases in the run's period, with the evidence.
func TestAppraisalItemTakesAnIndicator(t *testing.T) {
	f := newFixture(t)
	casework(t, f)
	admin, appraiser := keyOf(orgA, ssra.RoleAdmin), keyOf(orgA, ssra.RoleAppraiser)
	scheme := countyScheme(t, "2026")
	schemeItem(scheme, "on_time_handling")["indicator"] = "casework.closed_within_limit"
	f.call(t, "POST", "/v1/schemes", admin, scheme).must(t, http.StatusCreated)
	var inputs []any
	for _, in := range unitInputs() {
		if in.(map[string]any)["item"] != "on_time_handling" {
			inputs = append(inputs, in)
		}
	}
	run := map[string]any{"kind": "units", "scheme": "county_units@2026", "from": "2026-01-01", "to": "2026-12-31",
		"units": []any{map[string]any{"id": orgA, "name": "county office", "inputs": inputs}}}
	got := f.call(t, "POST", "/v1/appraisal_runs", appraiser, run).must(t, http.StatusCreated)
	unit := got.body["data"].(map[string]any)["units"].([]any)[0].(map[string]any)
	measured, _ := unit["measured"].([]any)
	if len(measured) != 1 {
		t.Fatalf("measured: %s", got.raw)
	}
	m := measured[0].(map[string]any)
	// A's one handled case (answered late): 0 of 1 within the limits → 0 %.
	if m["item"] != "on_time_handling" || !strings.Contains(m["query"].(string), "org="+orgA) || m["figure"].(map[string]any)["denominator"] != 1.0 {
		t.Fatalf("evidence %v", m)
	}
	found := false
	for _, in := range unit["subject"].(map[string]any)["inputs"].([]any) {
		if in := in.(map[string]any); in["item"] == "on_time_handling" {
			found = in["value"] == "0"
		}
	}
	if !found {
		t.Fatalf("input not filled from the indicator: %s", got.raw)
	}
	// An indicator on a rule that takes no measured value is refused.
	bad := countyScheme(t, "2027")
	bad["sections"].([]any)[0].(map[string]any)["items"].([]any)[0].(map[string]any)["indicator"] = "casework.satisfaction"
	bad["sections"].([]any)[0].(map[string]any)["items"].([]any)[0].(map[string]any)["rule"] = map[string]any{"kind": "direct"}
	r := f.call(t, "POST", "/v1/schemes", admin, bad).must(t, http.StatusUnprocessableEntity)
	if !strings.Contains(strings.Join(r.errorCodes(), ","), "item.indicator_rule") {
		t.Fatalf("codes %v", r.errorCodes())
	}
}

// TestAppraisalIndicatorWithNothingToMeasure: a unit whose cases give an
// item's indicator nothing to measure (no rating in the period) is scored
// by the item's when_empty policy, end to end: refused by default with
// input.not_measurable, full marks, or left out with the total rescaled,
// each with the figure and its query recorded as the evidence.
func TestAppraisalIndicatorWithNothingToMeasure(t *testing.T) {
	f := newFixture(t)
	casework(t, f) // no complaint of A is rated
	appraiser := keyOf(orgA, ssra.RoleAppraiser)
	indicatorSchemes(t, f, "handling_satisfaction", "casework.satisfaction", "when_empty", map[string]string{"2026": "", "2027": "full_marks", "2028": "exclude"})
	// Full points everywhere but organisation (1 of 10): 81 of the 90
	// points the other items hold.
	var inputs []any
	for _, iv := range [][2]string{{"organisation", "1"}, {"risk_assessment_coverage", "100"}, {"agreements_performed", "98"},
		{"on_time_handling", "100"}, {"sense_of_security", "95"}, {"public_order_on_time", "100"}} {
		inputs = append(inputs, map[string]any{"item": iv[0], "value": iv[1]})
	}
	run := func(version string) map[string]any {
		return map[string]any{"kind": "units", "scheme": "county_units@" + version, "from": "2026-01-01", "to": "2026-12-31",
			"units": []any{map[string]any{"id": orgA, "name": "county office", "inputs": inputs}}}
	}
	r := f.call(t, "POST", "/v1/appraisal_runs", appraiser, run("2026")).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "input.not_measurable") || !strings.Contains(r.raw, "units[0].inputs[6].not_measurable") {
		t.Fatalf("default policy: %s", r.raw)
	}
	// The caller cannot mark an item the server measures as having
	// nothing to measure, to take its full marks or its exclusion.
	typed := run("2027")
	unit := typed["units"].([]any)[0].(map[string]any)
	unit["inputs"] = append(slices.Clip(inputs), map[string]any{"item": "handling_satisfaction", "not_measurable": true})
	r = f.call(t, "POST", "/v1/appraisal_runs", appraiser, typed).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "input.not_measurable_typed") || !strings.Contains(r.raw, "units[0].inputs[6].not_measurable") {
		t.Fatalf("typed not_measurable: %s", r.raw)
	}
	for _, tc := range []struct {
		version, total, points, line string
		excluded                     bool
	}{
		{"2027", "91", "10", "when_empty.full_marks", false},
		{"2028", "90", "0", "when_empty.exclude", true},
	} {
		got := f.call(t, "POST", "/v1/appraisal_runs", appraiser, run(tc.version)).must(t, http.StatusCreated)
		unit := got.body["data"].(map[string]any)["units"].([]any)[0].(map[string]any)
		m := unit["measured"].([]any)[0].(map[string]any)
		if m["item"] != "handling_satisfaction" || m["not_measurable"] != true || m["figure"].(map[string]any)["denominator"] != 0.0 ||
			!strings.Contains(m["query"].(string), "org="+orgA) {
			t.Fatalf("%s: evidence %v", tc.version, m)
		}
		res := unit["result"].(map[string]any)
		if res["total"] != tc.total {
			t.Fatalf("%s: total %v, want %s: %s", tc.version, res["total"], tc.total, got.raw)
		}
		for _, it := range res["items"].([]any) {
			it := it.(map[string]any)
			if it["id"] != "handling_satisfaction" {
				continue
			}
			ex, _ := it["excluded"].(bool)
			if it["not_measurable"] != true || ex != tc.excluded || it["points"] != tc.points || !strings.Contains(fmtLines(it["explanation"]), tc.line) {
				t.Fatalf("%s: item %v", tc.version, it)
			}
		}
		if tc.excluded && !strings.Contains(fmtLines(res["explanation"]), "81 × 100 ÷ 90 = 90") {
			t.Fatalf("%s: the rescaling is not explained: %v", tc.version, res["explanation"])
		}
	}
}

// TestAppraisalIndicatorMeasuredOnly: an item that names an indicator
// takes only its measurement: a unit's typed value for it is refused
// (input.measured_from_records, naming the input's value), whether the
// scheme says nothing or says typed: refused, so that whoever runs the
// appraisal cannot replace the unit's stored on-time rate. A scheme that
// says typed: allowed takes the typed value, and the stored run records
// it beside the measured figure and its query, marked as typed over the
// measurement.
func TestAppraisalIndicatorMeasuredOnly(t *testing.T) {
	f := newFixture(t)
	casework(t, f) // A's one handled case answered late: 0 of 1 within the limits
	admin, appraiser := keyOf(orgA, ssra.RoleAdmin), keyOf(orgA, ssra.RoleAppraiser)
	indicatorSchemes(t, f, "on_time_handling", "casework.closed_within_limit", "typed", map[string]string{"2026": "", "2027": "refused", "2028": "allowed"})
	// unitInputs types on_time_handling (96, inputs[3]); 100 here, the
	// full 15 points where the measurement, 0 %, earns none.
	typed := func(version string) map[string]any {
		inputs := unitInputs()
		inputs[3] = map[string]any{"item": "on_time_handling", "value": "100"}
		return map[string]any{"kind": "units", "scheme": "county_units@" + version, "from": "2026-01-01", "to": "2026-12-31",
			"units": []any{map[string]any{"id": orgA, "name": "county office", "inputs": inputs}}}
	}
	for _, version := range []string{"2026", "2027"} {
		r := f.call(t, "POST", "/v1/appraisal_runs", appraiser, typed(version)).must(t, http.StatusUnprocessableEntity)
		if !slices.Contains(r.errorCodes(), "input.measured_from_records") || !strings.Contains(r.raw, `"units[0].inputs[3].value"`) {
			t.Fatalf("%s: a typed value on a measured-only item: %s", version, r.raw)
		}
	}
	if list := f.call(t, "GET", "/v1/appraisal_runs", appraiser, nil).must(t, http.StatusOK); strings.Contains(list.raw, "county_units@") {
		t.Fatalf("a refused run was stored: %s", list.raw)
	}

	onTime := func(unit map[string]any) (input, points any, m map[string]any) {
		for _, in := range unit["subject"].(map[string]any)["inputs"].([]any) {
			if in := in.(map[string]any); in["item"] == "on_time_handling" {
				input = in["value"]
			}
		}
		for _, it := range unit["result"].(map[string]any)["items"].([]any) {
			if it := it.(map[string]any); it["id"] == "on_time_handling" {
				points = it["points"]
			}
		}
		for _, x := range unit["measured"].([]any) {
			if x := x.(map[string]any); x["item"] == "on_time_handling" {
				m = x
			}
		}
		return input, points, m
	}
	got := f.call(t, "POST", "/v1/appraisal_runs", appraiser, typed("2028")).must(t, http.StatusCreated)
	stored := f.call(t, "GET", "/v1/appraisal_runs/"+got.str("id"), appraiser, nil).must(t, http.StatusOK)
	for _, r := range []reply{got, stored} {
		unit := r.body["data"].(map[string]any)["units"].([]any)[0].(map[string]any)
		input, points, m := onTime(unit)
		if input != "100" || points != "15" {
			t.Fatalf("typed allowed: scored on %v for %v points, want the typed 100 for 15: %s", input, points, r.raw)
		}
		fig, _ := m["figure"].(map[string]any)
		if m["typed"] != "100" || m["typed_over_measurement"] != true || m["indicator"] != "casework.closed_within_limit" ||
			!strings.Contains(fmt.Sprint(m["query"]), "org="+orgA) || fig["numerator"] != 0.0 || fig["denominator"] != 1.0 {
			t.Fatalf("typed allowed: the evidence does not show the override: %v", m)
		}
	}
	// Allowed is not required: without a typed value the measurement scores.
	plain := typed("2028")
	unit := plain["units"].([]any)[0].(map[string]any)
	unit["inputs"] = slices.Delete(unit["inputs"].([]any), 3, 4)
	got = f.call(t, "POST", "/v1/appraisal_runs", appraiser, plain).must(t, http.StatusCreated)
	input, points, m := onTime(got.body["data"].(map[string]any)["units"].([]any)[0].(map[string]any))
	if input != "0" || points != "0" || m["typed"] != nil || m["typed_over_measurement"] != nil {
		t.Fatalf("typed allowed, none typed: scored on %v for %v points, evidence %v", input, points, m)
	}
	// Only an item that names an indicator says whether it takes one.
	bad := countyScheme(t, "2029")
	bad["sections"].([]any)[0].(map[string]any)["items"].([]any)[0].(map[string]any)["typed"] = "allowed"
	r := f.call(t, "POST", "/v1/schemes", admin, bad).must(t, http.StatusUnprocessableEntity)
	if !slices.Contains(r.errorCodes(), "item.typed_without_indicator") {
		t.Fatalf("typed without an indicator: %s", r.raw)
	}
	bad["sections"].([]any)[0].(map[string]any)["items"].([]any)[0].(map[string]any)["typed"] = "sometimes"
	r = f.call(t, "POST", "/v1/schemes", admin, bad).must(t, http.StatusUnprocessableEntity)
	if !strings.Contains(r.raw, `"sections[0].items[0].typed"`) || !strings.Contains(r.raw, "unknown typed policy") {
		t.Fatalf("an unknown typed policy: %s", r.raw)
	}
}

// indicatorSchemes stores, for organisation A, a version of the county
// scheme for each key of policies whose item id names the indicator and,
// where the policy is not empty, sets field (when_empty, typed) to it.
func indicatorSchemes(t *testing.T, f *fixture, id, indicator, field string, policies map[string]string) {
	t.Helper()
	for version, policy := range policies {
		scheme := countyScheme(t, version)
		item := schemeItem(scheme, id)
		item["indicator"] = indicator
		if policy != "" {
			item[field] = policy
		}
		f.call(t, "POST", "/v1/schemes", keyOf(orgA, ssra.RoleAdmin), scheme).must(t, http.StatusCreated)
	}
}

// schemeItem returns the item of a decoded scheme with the given id, at
// any depth of its sections, or nil.
func schemeItem(scheme map[string]any, id string) map[string]any {
	var find func(secs []any) map[string]any
	find = func(secs []any) map[string]any {
		for _, s := range secs {
			sec := s.(map[string]any)
			items, _ := sec["items"].([]any)
			for _, it := range items {
				if item := it.(map[string]any); item["id"] == id {
					return item
				}
			}
			if sub, ok := sec["sections"].([]any); ok {
				if item := find(sub); item != nil {
					return item
				}
			}
		}
		return nil
	}
	return find(scheme["sections"].([]any))
}

// fmtLines joins explanation lines (key: text) for a substring check.
func fmtLines(x any) string {
	var b strings.Builder
	lines, _ := x.([]any)
	for _, l := range lines {
		m, _ := l.(map[string]any)
		b.WriteString(fmt.Sprint(m["key"], ": ", m["text"], "\n"))
	}
	return b.String()
}
