package rest_test

import (
	"encoding/json"
	"net/http"
	"strings"
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
	if got.str("data", "assessment", "workflow", "issued", "result", "profile", "id") != pid ||
		got.str("data", "assessment", "workflow", "issued", "result", "profile", "digest") != got.str("data", "profile_digest") ||
		!strings.HasPrefix(got.str("data", "profile_digest"), "sha256:") {
		t.Fatalf("the result does not name the stored version it used: %s", got.raw)
	}
	// Another organisation cannot use it until it is shared.
	other := keyOf(orgB, ssra.RoleAssessor)
	r := f.call(t, "POST", "/v1/assessments", other, body).must(t, http.StatusUnprocessableEntity)
	if codes := r.errorCodes(); len(codes) != 1 || codes[0] != "assessment.profile_unknown" {
		t.Fatalf("codes %v", codes)
	}
	// Once shared, B uses it by its id or by A's name for it; the bare
	// name stays B's own namespace, where there is no such profile.
	f.call(t, "POST", "/v1/profiles/"+pid+"/share", admin, map[string]any{"org_id": orgB}).must(t, http.StatusNoContent)
	f.call(t, "POST", "/v1/assessments", other, body).must(t, http.StatusUnprocessableEntity)
	for _, ref := range []string{pid, orgA + ":county@2026.1"} {
		body["profile"] = ref
		got := f.call(t, "POST", "/v1/assessments", other, body).must(t, http.StatusCreated)
		if got.str("data", "profile_id") != pid {
			t.Fatalf("%s pinned %q, not %s", ref, got.str("data", "profile_id"), pid)
		}
	}
	list := f.call(t, "GET", "/v1/profiles?name=county@2026.1", other, nil).must(t, http.StatusOK)
	if items := list.body["items"].([]any); len(items) != 1 {
		t.Fatalf("profiles seen by B: %s", list.raw)
	}
}

// TestSharedProfileNeverSubstitutes is the substitution of finding 2: B
// stores county@2026.1 first, with its thresholds, and shares it with A;
// A then stores its own county@2026.1, under which a medium residual level
// is high. A's assessment naming county@2026.1 is decided under A's
// profile — the result names A's version by id and digest — and the
// decision body reading the shared assessment's report uses it too.
func TestSharedProfileNeverSubstitutes(t *testing.T) {
	f := newFixture(t)
	theirs := f.call(t, "POST", "/v1/profiles", keyOf(orgB, ssra.RoleAdmin), countyProfile(t, "2026.1")).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/profiles/"+theirs+"/share", keyOf(orgB, ssra.RoleAdmin), map[string]any{"org_id": orgA}).must(t, http.StatusNoContent)
	strict := countyProfile(t, "2026.1")
	strict["factor_thresholds"] = map[string]any{"low_max": "0.04", "medium_max": "0.08"}
	strict["index_thresholds"] = map[string]any{"low_max": "0.04", "medium_max": "0.08"}
	delete(strict, "matrix")
	ours := f.call(t, "POST", "/v1/profiles", keyOf(orgA, ssra.RoleAdmin), strict).must(t, http.StatusCreated).str("id")

	body := assessmentJSON("central2012_decision", 2, 2)
	body["profile"] = "county@2026.1"
	id := issue(t, f, body)
	got := f.call(t, "GET", "/v1/assessments/"+id, keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	res := []string{"data", "assessment", "workflow", "issued", "result"}
	if pid := got.str(append(res, "profile", "id")...); pid != ours {
		t.Fatalf("decided under profile %s, not A's own %s (B's is %s)", pid, ours, theirs)
	}
	if lvl := got.str(append(res, "residual", "level")...); lvl != "high" {
		t.Fatalf("residual level %s under A's profile, want high", lvl)
	}
	// The decision body reads the shared assessment's report: A's profile,
	// not one of its own of the same name.
	f.call(t, "POST", "/v1/profiles", keyOf(orgB, ssra.RoleAdmin), countyProfile(t, "2026.2")).must(t, http.StatusCreated)
	f.call(t, "POST", "/v1/assessments/"+id+"/share", keyOf(orgA, ssra.RoleReviewer), map[string]any{"org_id": orgB}).must(t, http.StatusNoContent)
	md := f.call(t, "GET", "/v1/assessments/"+id+"/report?format=md&lang=en", keyOf(orgB, ssra.RoleDecisionMaker), nil).must(t, http.StatusOK)
	if !strings.Contains(md.raw, ours) {
		t.Fatalf("the report does not name the profile version %s:\n%s", ours, md.raw)
	}
}
