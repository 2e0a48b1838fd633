package rest_test

import (
	"testing"

	"github.com/ssra-go/ssra"
)

// TestTransitionsWithoutBodyRefuseOne checks that a transition that takes
// no body refuses one instead of ignoring it and going ahead: a client's
// mistaken body (a malformed one, or one meant for another route) must
// not move a case or an assessment.
func TestTransitionsWithoutBodyRefuseOne(t *testing.T) {
	for _, tc := range []struct {
		name string
		body any // nil: no body
		want int
	}{
		{"no body", nil, 200},
		{"empty object", []byte(`{}`), 200},
		{"blank", []byte("  "), 200},
		{"null", []byte(`null`), 400},
		{"array", []byte(`[]`), 400},
		{"unknown field", []byte(`{"reason":"x"}`), 400},
		{"malformed", []byte(`{"`), 400},
		{"trailing data", []byte(`{} {}`), 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			cw := keyOf(orgA, ssra.RoleCaseworker)
			reg := f.call(t, "POST", "/v1/complaints", cw, complaintJSON()).must(t, 201)
			f.call(t, "POST", "/v1/complaints/"+reg.str("id")+"/accept", cw, tc.body, "If-Match", `"v1"`).must(t, tc.want)

			as := keyOf(orgA, ssra.RoleAssessor)
			a := f.call(t, "POST", "/v1/assessments", as, assessmentJSON("ndrc2012_project", 2, 2)).must(t, 201)
			f.call(t, "POST", "/v1/assessments/"+a.str("id")+"/submit", as, tc.body, "If-Match", `"v1"`).must(t, tc.want)

			if tc.want != 200 {
				if got := f.call(t, "GET", "/v1/complaints/"+reg.str("id"), cw, nil).must(t, 200); got.str("status") != "registered" {
					t.Fatalf("the refused accept moved the case to %s", got.str("status"))
				}
				if got := f.call(t, "GET", "/v1/assessments/"+a.str("id"), as, nil).must(t, 200); got.str("status") != "draft" {
					t.Fatalf("the refused submit moved the assessment to %s", got.str("status"))
				}
			}
		})
	}
}
