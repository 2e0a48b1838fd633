package rest_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
)

// TestRegisterStats computes the register indicators over what an
// organisation holds or was shared: the tally agrees with the rounds and
// entries written (and with the missed-rounds list), each rate is its
// counts' share, and another organisation sees none of it.
func TestRegisterStats(t *testing.T) {
	f := newFixture(t)
	admin, cwA, cwB := keyOf(orgA, ssra.RoleAdmin), keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker)
	p := f.call(t, "POST", "/v1/screening_plans", admin, screeningPlanJSON(orgB, orgC)).must(t, http.StatusCreated)
	f.call(t, "POST", "/v1/screening_plans/"+p.str("id")+"/rounds", cwB,
		map[string]any{"unit": orgB, "slot": "2026-W44", "held": "2026-10-30", "covered": []any{"一村"}, "found": 0}, "If-Match", `"v1"`).must(t, http.StatusOK)
	// One entry closed in time, one left open.
	done := f.call(t, "POST", "/v1/register_entries", cwA, entryJSON(orgB)).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/register_entries/"+done+"/resolve", cwB, map[string]any{"resolution": "agreed"}, "If-Match", `"v1"`).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/register_entries/"+done+"/close", cwA, map[string]any{"note": "checked"}, "If-Match", `"v2"`).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/register_entries", cwA, entryJSON(orgB)).must(t, http.StatusCreated)
	f.clock.Advance(30 * 24 * time.Hour)

	missed := len(f.call(t, "GET", "/v1/screening_plans/missed", cwA, nil).must(t, http.StatusOK).body["items"].([]any))
	r := f.call(t, "GET", "/v1/stats/register", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	tally := r.body["tally"].(map[string]any)
	want := map[string]float64{"rounds_on_time": 1, "rounds_missed": float64(missed), "entries": 2, "closed": 1, "closed_in_time": 1, "open_overdue": 1}
	for k, v := range want {
		if tally[k] != v {
			t.Errorf("tally %s = %v, want %v (%s)", k, tally[k], v, r.raw)
		}
	}
	if missed == 0 {
		t.Fatal("the plan has no missed round to count")
	}
	figs := map[string]map[string]any{}
	for _, x := range r.body["figures"].([]any) {
		x := x.(map[string]any)
		figs[x["indicator"].(string)] = x
	}
	for id, nd := range map[string][2]float64{
		"register.rounds_on_time": {1, 1 + float64(missed) + tally["rounds_late"].(float64)},
		"register.closed_in_time": {1, 2},
	} {
		g := figs[id]
		if g == nil || g["numerator"] != nd[0] || g["denominator"] != nd[1] {
			t.Errorf("%s: %v, want %v/%v", id, g, nd[0], nd[1])
		}
	}
	if len(figs) != 3 {
		t.Errorf("figures %v, want the three register indicators", figs)
	}
	// C was shared the plan, not the entries: it counts the rounds only.
	other := f.call(t, "GET", "/v1/stats/register", keyOf(orgC, ssra.RoleAdmin), nil).must(t, http.StatusOK)
	ot := other.body["tally"].(map[string]any)
	if ot["entries"] != float64(0) || ot["closed"] != float64(0) || ot["rounds_on_time"] != float64(1) {
		t.Errorf("C's tally %v: the plan's rounds and none of the entries", ot)
	}
	f.call(t, "GET", "/v1/stats/register?org="+orgA, cwA, nil).must(t, http.StatusBadRequest)
}
