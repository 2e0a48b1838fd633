package rest_test

import (
	"encoding/json"
	"net/http"
	"strings"
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
	if got.str("data", "scheme", "id") != id || !strings.HasPrefix(got.str("data", "scheme", "digest"), "sha256:") {
		t.Fatalf("the run does not name the stored version it used: %s", got.str("data", "scheme"))
	}
	// Another organisation uses it once it is shared, by its id or by the
	// owner's name for it; its bare name stays another organisation's
	// name.
	r := f.call(t, "POST", "/v1/appraisal_runs", keyOf(orgB, ssra.RoleAppraiser), run).must(t, http.StatusUnprocessableEntity)
	if codes := r.errorCodes(); len(codes) != 1 || codes[0] != "run.scheme_unknown" {
		t.Fatalf("codes %v", codes)
	}
	f.call(t, "POST", "/v1/schemes/"+id+"/share", admin, map[string]any{"org_id": orgB}).must(t, http.StatusNoContent)
	f.call(t, "POST", "/v1/appraisal_runs", keyOf(orgB, ssra.RoleAppraiser), run).must(t, http.StatusUnprocessableEntity)
	for _, ref := range []string{id, orgA + ":county_units@2026"} {
		run["scheme"] = ref
		got := f.call(t, "POST", "/v1/appraisal_runs", keyOf(orgB, ssra.RoleAppraiser), run).must(t, http.StatusCreated)
		if got.str("data", "scheme", "id") != id {
			t.Fatalf("%s: scheme %s", ref, got.str("data", "scheme"))
		}
	}
}

// TestSharedSchemeNeverSubstitutes: B stores county_units@2026 first and
// shares it with A; A's own county_units@2026, stored later, is what A's
// name means.
func TestSharedSchemeNeverSubstitutes(t *testing.T) {
	f := newFixture(t)
	theirs := f.call(t, "POST", "/v1/schemes", keyOf(orgB, ssra.RoleAdmin), countyScheme(t, "2026")).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/schemes/"+theirs+"/share", keyOf(orgB, ssra.RoleAdmin), map[string]any{"org_id": orgA}).must(t, http.StatusNoContent)
	ours := f.call(t, "POST", "/v1/schemes", keyOf(orgA, ssra.RoleAdmin), countyScheme(t, "2026")).must(t, http.StatusCreated).str("id")
	run := map[string]any{"kind": "units", "scheme": "county_units@2026", "from": "2026-01-01", "to": "2026-12-31",
		"units": []any{map[string]any{"id": "U1", "name": "north station", "inputs": unitInputs()}}}
	got := f.call(t, "POST", "/v1/appraisal_runs", keyOf(orgA, ssra.RoleAppraiser), run).must(t, http.StatusCreated)
	if got.str("data", "scheme", "id") != ours {
		t.Fatalf("A's name resolved to %s, not A's own %s (B's is %s)", got.str("data", "scheme", "id"), ours, theirs)
	}
}
