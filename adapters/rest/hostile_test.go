package rest_test

import (
	"errors"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
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

			d := f.call(t, "POST", "/v1/disputes", cw, disputeJSON()).must(t, 201)
			// A dispute just taken in cannot start before a mediator is
			// assigned: an acceptable body gets that far (409), a bad one not.
			wantDispute := tc.want
			if wantDispute == 200 {
				wantDispute = 409
			}
			f.call(t, "POST", "/v1/disputes/"+d.str("id")+"/start", cw, tc.body, "If-Match", `"v1"`).must(t, wantDispute)

			if tc.want != 200 {
				if got := f.call(t, "GET", "/v1/disputes/"+d.str("id"), cw, nil).must(t, 200); got.str("version") != "1" {
					t.Fatalf("the refused start changed the dispute: %s", got.raw)
				}
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

// TestNullBodyIsRefused: a body of null is not an empty request.
func TestNullBodyIsRefused(t *testing.T) {
	var v struct{ A int }
	for _, body := range []string{"null", " null\n"} {
		err := rest.DecodeBytes([]byte(body), &v)
		var c *rest.Condition
		if !errors.As(err, &c) || c.Status != 400 || len(c.Problems) != 1 || c.Problems[0].Code != "json.null" {
			t.Fatalf("%q: %v", body, err)
		}
	}
	f := newFixture(t)
	f.call(t, "POST", "/v1/complaints", keyOf(orgA, ssra.RoleCaseworker), []byte("null")).must(t, 400)
}
