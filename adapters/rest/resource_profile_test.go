package rest_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// countyProfile is the practice preset renamed, as a stored profile.
func countyProfile(t *testing.T, version string) map[string]any {
	t.Helper()
	p, err := riskeval.Preset("practice")
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	m["name"], m["version"] = "county", version
	return m
}

func TestStoredProfilesAreVersionsUsedByResults(t *testing.T) {
	f := newFixture(t)
	admin := keyOf(orgA, ssra.RoleAdmin)
	created := f.call(t, "POST", "/v1/profiles", admin, countyProfile(t, "2026.1")).must(t, http.StatusCreated)
	pid := created.str("id")
	if created.str("data", "name") != "county" {
		t.Fatalf("stored profile: %s", created.raw)
	}
	// A version is stored once and never changed.
	f.call(t, "POST", "/v1/profiles", admin, countyProfile(t, "2026.1")).must(t, http.StatusConflict)
	if r := f.call(t, "PUT", "/v1/profiles/"+pid, admin, countyProfile(t, "2026.1"), "If-Match", `"v1"`); r.code != http.StatusNotFound && r.code != http.StatusMethodNotAllowed {
		t.Fatalf("a stored version was replaced: %d", r.code)
	}
	f.call(t, "POST", "/v1/profiles", admin, countyProfile(t, "2026.2")).must(t, http.StatusCreated)
	// Reserved names and invalid profiles are refused.
	reserved := countyProfile(t, "1")
	reserved["name"] = "practice"
	f.call(t, "POST", "/v1/profiles", admin, reserved).must(t, http.StatusUnprocessableEntity)
	broken := countyProfile(t, "3")
	broken["factor_thresholds"] = map[string]any{}
	f.call(t, "POST", "/v1/profiles", admin, broken).must(t, http.StatusUnprocessableEntity)
	f.call(t, "POST", "/v1/profiles", keyOf(orgA, ssra.RoleViewer), countyProfile(t, "4")).must(t, http.StatusForbidden)

	// An assessment under the stored version keeps that version in its result.
	body := assessmentJSON("ndrc2012_project", 2, 2)
	body["profile"] = "county@2026.1"
	id := issue(t, f, body)
	got := f.call(t, "GET", "/v1/assessments/"+id, keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if got.str("data", "assessment", "workflow", "issued", "result", "profile", "name") != "county" ||
		got.str("data", "assessment", "workflow", "issued", "result", "profile", "version") != "2026.1" {
		t.Fatalf("result profile: %s", got.str("data", "assessment", "workflow", "issued", "result", "profile"))
	}
	// Another organisation cannot use it until it is shared.
	other := keyOf(orgB, ssra.RoleAssessor)
	r := f.call(t, "POST", "/v1/assessments", other, body).must(t, http.StatusUnprocessableEntity)
	if codes := r.errorCodes(); len(codes) != 1 || codes[0] != "assessment.profile_unknown" {
		t.Fatalf("codes %v", codes)
	}
	f.call(t, "POST", "/v1/profiles/"+pid+"/share", admin, map[string]any{"org_id": orgB}).must(t, http.StatusNoContent)
	f.call(t, "POST", "/v1/assessments", other, body).must(t, http.StatusCreated)
	list := f.call(t, "GET", "/v1/profiles?name=county@2026.1", other, nil).must(t, http.StatusOK)
	if items := list.body["items"].([]any); len(items) != 1 {
		t.Fatalf("profiles seen by B: %s", list.raw)
	}
}
