package rest_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/ssra-go/ssra"
)

// TestRequiredMembersAreNamed: a member the document requires, left out
// of a body, is refused with a problem naming its path, wherever it is
// (at the top, inside an object, inside a list), and nothing is stored. A
// zero value decoded in its place once became a real member (a plan
// without a title, a progress report at 0 percent, a sample of 0).
func TestRequiredMembersAreNamed(t *testing.T) {
	f := newFixture(t)
	admin := keyOf(orgA, ssra.RoleAdmin)
	without := func(member string) map[string]any {
		p := planJSON()
		delete(p, member)
		return p
	}
	for _, tc := range []struct {
		name, method, path string
		body               any
		fields             []string
	}{
		{"plan without a title", "POST", "/v1/plans", without("title"), []string{"title"}},
		{"plan without tasks", "POST", "/v1/plans", without("tasks"), []string{"tasks"}},
		{"score without the subject's id", "POST", "/v1/appraisal/score", map[string]any{"preset": "generic_unit_100", "subject": map[string]any{"inputs": []any{}}}, []string{"subject.id"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.call(t, tc.method, tc.path, admin, tc.body).must(t, http.StatusUnprocessableEntity)
			if got := r.errorFields(); !slices.Equal(got, tc.fields) || !slices.Equal(r.errorCodes(), []string{"request.required"}) {
				t.Fatalf("fields %v codes %v, want %v request.required: %s", got, r.errorCodes(), tc.fields, r.raw)
			}
		})
	}
	id := f.call(t, "POST", "/v1/plans", admin, planJSON()).must(t, http.StatusCreated).str("id")
	cw := keyOf(orgA, ssra.RoleCaseworker)
	r := f.call(t, "POST", "/v1/plans/"+id+"/reports", cw, map[string]any{"task": "k3", "date": "2026-06-30"}, "If-Match", `"v1"`).must(t, http.StatusUnprocessableEntity)
	if got := r.errorFields(); !slices.Equal(got, []string{"percent"}) {
		t.Fatalf("a report without percent: %s", r.raw)
	}
	r = f.call(t, "POST", "/v1/plans/"+id+"/acceptance", keyOf(orgA, ssra.RoleAppraiser), map[string]any{"measurements": []any{map[string]any{"target": "t-sat", "sample": map[string]any{"successes": 3}}}}, "If-Match", `"v1"`).must(t, http.StatusUnprocessableEntity)
	if got := r.errorFields(); !slices.Contains(got, "measurements[0].sample.total") {
		t.Fatalf("a sample without total: %s", r.raw)
	}
	if got := f.call(t, "GET", "/v1/plans/"+id, admin, nil).must(t, http.StatusOK); got.str("version") != "1" {
		t.Fatalf("a refused body changed the plan: version %s", got.str("version"))
	}
}
