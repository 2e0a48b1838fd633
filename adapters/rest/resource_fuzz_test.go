package rest_test

import (
	"encoding/json"
	"testing"

	"github.com/ssra-go/ssra"
)

// fuzzRoutes are the routes whose bodies FuzzResourceBodies sends: each a
// method, a path ({id} is a record of the fixture) and the key.
var fuzzRoutes = []struct{ method, path string }{
	{"POST", "/v1/assessments"},
	{"PUT", "/v1/assessments/{assessment}"},
	{"POST", "/v1/assessments/{assessment}/return"},
	{"POST", "/v1/assessments/{assessment}/decision"},
	{"POST", "/v1/complaints"},
	{"POST", "/v1/complaints/{complaint}/route"},
	{"POST", "/v1/complaints/{complaint}/answer"},
	{"POST", "/v1/disputes"},
	{"POST", "/v1/disputes/{dispute}/agree"},
	{"POST", "/v1/plans"},
	{"POST", "/v1/profiles"},
	{"POST", "/v1/appraisal_runs"},
	{"POST", "/v1/schemes"},
	{"POST", "/v1/public/complaints/{reference}/rating"},
}

// FuzzResourceBodies sends arbitrary bodies to the resource routes: the
// answer is never a 5xx, an error is a problem document with the same
// status, and every answer matches the OpenAPI document (checked by call).
func FuzzResourceBodies(f *testing.F) {
	// One valid body per route, at the route's index.
	seeds := map[int]any{0: assessmentJSON("ndrc2012_project", 2, 2), 1: assessmentJSON("order713_2019", 2, 2), 2: map[string]any{"reason": "x"},
		3: map[string]any{"intent": "approve"}, 4: complaintJSON(), 5: map[string]any{"to": orgB, "mode": "transfer"},
		6: map[string]any{"outcome": "support", "text": "t", "legal_basis": "b"}, 7: disputeJSON(),
		8: map[string]any{"form": "oral", "terms": "t"}, 9: planJSON(), 11: staffRunJSON(),
		13: map[string]any{"code": "x", "rating": "satisfied"}}
	for i, sd := range seeds {
		b, _ := json.Marshal(sd)
		f.Add(uint8(i), b)
	}
	f.Add(uint8(0), []byte(`{}`)) // a draft with no closed value set cannot be stored: 422, not 500
	f.Add(uint8(0), []byte(`{"assessment":{"factors":[{"weight":"1e999999"}]}}`))
	f.Add(uint8(4), []byte(`{"channel":"online","matter":{"type":"claim","facts":"\u0000","request":"r"},"complainants":[{"name":""}]}`))
	f.Add(uint8(9), []byte(`{"id":"p","unit":"u","year":2026,"title":"t","goals":[{"id":"g","title":"g","targets":[{"id":"t","threshold":"-0"}]}],"tasks":[]}`))
	f.Add(uint8(10), []byte(`{"name":"n","version":"1"}`))
	f.Fuzz(func(t *testing.T, route uint8, body []byte) {
		fx := newFixture(t)
		rt := fuzzRoutes[int(route)%len(fuzzRoutes)]
		cw := keyOf(orgA, ssra.RoleCaseworker)
		ids := map[string]string{}
		ids["{assessment}"] = fx.call(t, "POST", "/v1/assessments", keyOf(orgA, ssra.RoleAssessor), assessmentJSON("ndrc2012_project", 2, 2)).must(t, 201).str("id")
		reg := fx.call(t, "POST", "/v1/complaints", cw, complaintJSON()).must(t, 201)
		ids["{complaint}"], ids["{reference}"] = reg.str("id"), reg.str("data", "ref")
		ids["{dispute}"] = fx.call(t, "POST", "/v1/disputes", cw, disputeJSON()).must(t, 201).str("id")
		path := rt.path
		for k, v := range ids {
			path = replace(path, k, v)
		}
		key := "key:" + orgA + ":admin+assessor+reviewer+decision_maker+appraiser+caseworker"
		r := fx.call(t, rt.method, path, key, body, "If-Match", `"v1"`)
		if r.code >= 500 {
			t.Fatalf("%s %s: %d %s", rt.method, path, r.code, r.raw)
		}
		if r.code >= 400 {
			if r.hdr.Get("Content-Type") != "application/problem+json" || r.str("status") != jsonInt(r.code) {
				t.Fatalf("%s %s: not a problem: %d %s", rt.method, path, r.code, r.raw)
			}
		}
	})
}

func replace(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	return s
}

func jsonInt(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
