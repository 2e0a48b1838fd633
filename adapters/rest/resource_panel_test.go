package rest_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
)

// Panel members are named to the assessing organisation only: a shared
// view shows their ids, and the stored assessment's sensitivity reads the
// panel's ratings for the level distribution.
func TestPanelMembersNamedToOwnOrganisationOnly(t *testing.T) {
	f := newFixture(t)
	assessor := keyOf(orgA, ssra.RoleAssessor)
	body := panelAssessmentJSON("Zhang Wei", "Provincial University")
	id := f.call(t, "POST", "/v1/assessments", assessor, body).must(t, http.StatusCreated).str("id")
	own := f.call(t, "GET", "/v1/assessments/"+id, assessor, nil).must(t, http.StatusOK)
	if !strings.Contains(own.raw, "Zhang Wei") {
		t.Fatalf("the own organisation does not see the member's name: %s", own.raw)
	}
	f.call(t, "POST", "/v1/assessments/"+id+"/share", assessor, map[string]any{"org_id": orgB}).must(t, http.StatusNoContent)
	other := keyOf(orgB, ssra.RoleDecisionMaker)
	for _, path := range []string{"/v1/assessments/" + id, "/v1/assessments"} {
		r := f.call(t, "GET", path, other, nil).must(t, http.StatusOK)
		if strings.Contains(r.raw, "Zhang Wei") || strings.Contains(r.raw, "Provincial University") || strings.Contains(r.raw, "Li Na") {
			t.Fatalf("%s shows a member's identity to another organisation: %s", path, r.raw)
		}
		if !strings.Contains(r.raw, `"E1"`) {
			t.Fatalf("%s lost the member ids: %s", path, r.raw)
		}
	}
	sens := f.call(t, "GET", "/v1/assessments/"+id+"/sensitivity", other, nil).must(t, http.StatusOK)
	if sens.str("distribution", "method") != "exact" || sens.str("distribution", "combinations") != "3" || sens.str("margin_sentence", "en") == "" {
		t.Fatalf("sensitivity: %s", sens.raw)
	}
	if strings.Contains(sens.raw, "Zhang Wei") {
		t.Fatalf("sensitivity shows a name: %s", sens.raw)
	}
}

// panelAssessmentJSON is assessmentJSON under order713_2019 with a panel
// of three, the first member named name of organisation, whose ratings
// give the first factor's residual estimate.
func panelAssessmentJSON(name, organisation string) map[string]any {
	body := assessmentJSON("order713_2019", 2, 2)
	a := body["assessment"].(map[string]any)
	a["panel"] = map[string]any{"size": 3, "members": []any{
		map[string]any{"id": "E1", "name": name, "organisation": organisation},
		map[string]any{"id": "E2", "name": "Li Na"},
		map[string]any{"id": "E3", "name": "Wang Fang"},
	}}
	a["factors"].([]any)[0].(map[string]any)["residual"] = map[string]any{"ratings": []any{
		map[string]any{"member": "E1", "probability": 2, "impact": 2},
		map[string]any{"member": "E2", "probability": 3, "impact": 2},
		map[string]any{"member": "E3", "probability": 2, "impact": 3, "note": "resettlement funds in place"},
	}}
	return body
}
