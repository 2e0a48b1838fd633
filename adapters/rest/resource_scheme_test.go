package rest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

// countyScheme is the generic unit scheme renamed, as a stored scheme.
func countyScheme(t *testing.T, version string) map[string]any {
	t.Helper()
	b, err := appraisal.PresetJSON("generic_unit_100")
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["name"], m["version"] = "county_units", version
	return m
}

func TestStoredSchemesAreVersionsUsedByRuns(t *testing.T) {
	f := newFixture(t)
	admin := keyOf(orgA, ssra.RoleAdmin)
	id := f.call(t, "POST", "/v1/schemes", admin, countyScheme(t, "2026")).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/schemes", admin, countyScheme(t, "2026")).must(t, http.StatusConflict)
	reserved := countyScheme(t, "1")
	reserved["name"] = "generic_unit_100"
	f.call(t, "POST", "/v1/schemes", admin, reserved).must(t, http.StatusUnprocessableEntity)
	broken := countyScheme(t, "2")
	broken["sections"] = []any{}
	f.call(t, "POST", "/v1/schemes", admin, broken).must(t, http.StatusUnprocessableEntity)

	run := map[string]any{"kind": "units", "scheme": "county_units@2026", "from": "2026-01-01", "to": "2026-12-31",
		"units": []any{map[string]any{"id": "U1", "name": "north station", "inputs": unitInputs()}}}
	got := f.call(t, "POST", "/v1/appraisal_runs", keyOf(orgA, ssra.RoleAppraiser), run).must(t, http.StatusCreated)
	if got.str("data", "scheme", "name") != "county_units" || got.str("data", "scheme", "version") != "2026" {
		t.Fatalf("run scheme: %s", got.str("data", "scheme"))
	}
	// Another organisation uses it once it is shared.
	r := f.call(t, "POST", "/v1/appraisal_runs", keyOf(orgB, ssra.RoleAppraiser), run).must(t, http.StatusUnprocessableEntity)
	if codes := r.errorCodes(); len(codes) != 1 || codes[0] != "run.scheme_unknown" {
		t.Fatalf("codes %v", codes)
	}
	f.call(t, "POST", "/v1/schemes/"+id+"/share", admin, map[string]any{"org_id": orgB}).must(t, http.StatusNoContent)
	f.call(t, "POST", "/v1/appraisal_runs", keyOf(orgB, ssra.RoleAppraiser), run).must(t, http.StatusCreated)
}
