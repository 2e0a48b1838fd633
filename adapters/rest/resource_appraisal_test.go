package rest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
)

func staffRunJSON() map[string]any {
	person := func(id string, routine string) map[string]any {
		in := func(item, v string) map[string]any { return map[string]any{"item": item, "value": v} }
		return map[string]any{"id": id, "inputs": []any{in("routine", routine), in("special_task", "90"), in("year_end", "90"), in("stability_work", "95")}}
	}
	return map[string]any{"kind": "staff", "scheme": "annual_civil_servant", "policy": "civil_servants_2020",
		"from": "2026-01-01", "to": "2026-12-31", "run": map[string]any{"year": 2026},
		"staff": []any{
			map[string]any{"user_id": "u-org-a-viewer", "appraisers": []any{"u-org-a-reviewer"}, "person": person("P1", "95")},
			map[string]any{"user_id": "u-org-a-caseworker", "person": person("P2", "80")},
			map[string]any{"person": person("P3", "70")},
		}}
}

func TestAppraisalRuns(t *testing.T) {
	f := newFixture(t)
	appraiser := keyOf(orgA, ssra.RoleAppraiser)
	f.call(t, "POST", "/v1/appraisal_runs", keyOf(orgA, ssra.RoleAdmin), staffRunJSON()).must(t, http.StatusForbidden)
	run := f.call(t, "POST", "/v1/appraisal_runs", appraiser, staffRunJSON()).must(t, http.StatusCreated)
	id := run.str("id")
	if run.str("data", "scheme", "version") == "" || !strings.Contains(run.str("data", "ranking"), "quota") {
		t.Fatalf("run: %s", run.raw)
	}
	staffIDs := func(r reply) []string {
		var out []string
		data := r.body["data"].(map[string]any)
		list, _ := data["staff"].([]any)
		for _, e := range list {
			out = append(out, e.(map[string]any)["person"].(map[string]any)["id"].(string))
		}
		return out
	}
	for _, tc := range []struct {
		name, key string
		want      string
	}{
		{"author", appraiser, "P1,P2,P3"},
		{"admin", keyOf(orgA, ssra.RoleAdmin), "P1,P2,P3"},
		{"the person", keyOf(orgA, ssra.RoleViewer), "P1"},
		{"their appraiser", keyOf(orgA, ssra.RoleReviewer), "P1"},
		{"another person", keyOf(orgA, ssra.RoleCaseworker), "P2"},
		{"a colleague", keyOf(orgA, ssra.RoleAssessor), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.call(t, "GET", "/v1/appraisal_runs/"+id, tc.key, nil).must(t, http.StatusOK)
			if got := strings.Join(staffIDs(r), ","); got != tc.want {
				t.Fatalf("sees %q, want %q", got, tc.want)
			}
			if full := tc.want == "P1,P2,P3"; full == (r.str("redacted") != "") {
				t.Fatalf("redacted %q", r.str("redacted"))
			}
		})
	}
	f.call(t, "GET", "/v1/appraisal_runs/"+id, keyOf(orgB, ssra.RoleAdmin), nil).must(t, http.StatusNotFound)

	units := f.call(t, "POST", "/v1/appraisal_runs", appraiser, map[string]any{"kind": "units", "scheme": "generic_unit_100",
		"from": "2026-01-01", "to": "2026-12-31", "units": []any{
			map[string]any{"id": "U1", "name": "north station", "inputs": unitInputs()},
		}}).must(t, http.StatusCreated)
	if units.str("data", "units") == "" {
		t.Fatalf("unit run: %s", units.raw)
	}
	for _, tc := range []struct {
		name string
		body map[string]any
		code string
	}{
		// The document requires from and to: left out, each is named.
		{"no period", map[string]any{"kind": "units", "scheme": "generic_unit_100", "units": []any{map[string]any{"id": "U1", "inputs": []any{}}}}, "request.required"},
		{"period backwards", map[string]any{"kind": "units", "scheme": "generic_unit_100", "from": "2026-12-31", "to": "2026-01-01", "units": []any{map[string]any{"id": "U1", "inputs": []any{}}}}, "run.period_invalid"},
		{"unknown scheme", map[string]any{"kind": "units", "scheme": "x", "from": "2026-01-01", "to": "2026-12-31", "units": []any{map[string]any{"id": "U1", "inputs": []any{}}}}, "run.scheme_unknown"},
		{"unknown kind", map[string]any{"kind": "teams", "scheme": "generic_unit_100", "from": "2026-01-01", "to": "2026-12-31"}, "run.kind_invalid"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.call(t, "POST", "/v1/appraisal_runs", appraiser, tc.body).must(t, http.StatusUnprocessableEntity)
			if !strings.Contains(strings.Join(r.errorCodes(), ","), tc.code) {
				t.Fatalf("codes %v, want %s", r.errorCodes(), tc.code)
			}
		})
	}
}

// unitInputs gives a value to every item of the generic unit scheme that
// needs one.
func unitInputs() []any {
	var out []any
	for _, iv := range [][2]string{{"organisation", "8"}, {"risk_assessment_coverage", "100"}, {"agreements_performed", "97"},
		{"on_time_handling", "96"}, {"handling_satisfaction", "93"}, {"sense_of_security", "92"}, {"public_order_on_time", "100"}} {
		out = append(out, map[string]any{"item": iv[0], "value": iv[1]})
	}
	return out
}

// TestRankingBoundaryRedacted is finding 7: the ranking's explanation names
// the people either side of the quota boundary; a reader who sees only
// their own row does not see them there either.
func TestRankingBoundaryRedacted(t *testing.T) {
	f := newFixture(t)
	in := func(item, v string) map[string]any { return map[string]any{"item": item, "value": v} }
	var staff []any
	for i, routine := range []string{"99", "98", "97", "96", "95", "95", "95", "95", "95", "95"} {
		e := map[string]any{"person": map[string]any{"id": "P" + string(rune('A'+i)),
			"inputs": []any{in("routine", routine), in("special_task", "95"), in("year_end", "95"), in("stability_work", "95")}}}
		if i == 0 {
			e["user_id"] = "u-org-a-viewer"
		}
		staff = append(staff, e)
	}
	body := staffRunJSON()
	body["staff"] = staff
	run := f.call(t, "POST", "/v1/appraisal_runs", keyOf(orgA, ssra.RoleAppraiser), body).must(t, http.StatusCreated)
	if !strings.Contains(run.str("data", "ranking", "explanation"), "quota boundary") {
		t.Fatalf("no boundary to redact in this run: %s", run.str("data", "ranking"))
	}
	got := f.call(t, "GET", "/v1/appraisal_runs/"+run.str("id"), keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	rk := got.str("data", "ranking")
	for i := 1; i < len(staff); i++ {
		if id := "P" + string(rune('A'+i)); strings.Contains(rk, `"`+id) || strings.Contains(rk, id+" ") || strings.Contains(rk, id+",") || strings.Contains(rk, id+")") {
			t.Fatalf("the ranking names %s to a reader who may not see them: %s", id, rk)
		}
	}
	if got.str("data", "ranking", "quota") == "" {
		t.Fatalf("the counts went too: %s", rk)
	}
}
