package rest_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/internal/openapitest"
)

// The contract: the merged OpenAPI document (rest.OpenAPI) against real
// responses of the server, checked by the one contract validator of the
// tests (internal/openapitest). validateAgainstOpenAPI is the helper every
// handler test calls on the responses it gets.

// openAPIProblems returns how a recorded response departs from the
// document.
func openAPIProblems(t testing.TB, req *http.Request, rec *httptest.ResponseRecorder) []string {
	t.Helper()
	resp := rec.Result()
	resp.Body.Close()
	return openapitest.Get(t).Response(req, resp, rec.Body.Bytes())
}

// validateAgainstOpenAPI fails the test when the response to req departs
// from the OpenAPI document in route, status, content type or body.
func validateAgainstOpenAPI(t testing.TB, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	for _, p := range openAPIProblems(t, req, rec) {
		t.Errorf("%s %s → %d: contract drift: %s\nbody: %.600s", req.Method, req.URL.Path, rec.Code, p, rec.Body)
	}
}

// openAPIDoc is the merged document as plain JSON.
type openAPIDoc struct {
	Paths map[string]map[string]struct {
		RequestBody *struct {
			Content map[string]struct {
				Examples map[string]struct {
					Value json.RawMessage `json:"value"`
				} `json:"examples"`
				// Example is the single-example form, read as examples["example"].
				Example json.RawMessage `json:"example"`
			} `json:"content"`
		} `json:"requestBody"`
		Responses map[string]json.RawMessage `json:"responses"`
	} `json:"paths"`
}

func loadOpenAPIDoc(t *testing.T) openAPIDoc {
	t.Helper()
	b, err := rest.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc openAPIDoc
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

var httpMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

// TestContractRoutesDocumented checks that every route the server serves is
// in the document and that every documented operation is served.
func TestContractRoutesDocumented(t *testing.T) {
	s := newFixture(t).srv // compute and stored-resource routes
	doc := loadOpenAPIDoc(t)
	documented := map[string]bool{}
	for p, item := range doc.Paths {
		for m := range item {
			if slices.Contains(httpMethods, m) {
				documented[strings.ToUpper(m)+" "+p] = true
			}
		}
	}
	served := map[string]bool{}
	for _, r := range s.Routes() {
		if r.Method == "echo_route_any" || strings.HasPrefix(r.Method, "echo_") {
			continue
		}
		segs := strings.Split(r.Path, "/")
		for i, seg := range segs {
			if strings.HasPrefix(seg, ":") {
				segs[i] = "{" + seg[1:] + "}"
			}
		}
		served[r.Method+" "+strings.Join(segs, "/")] = true
	}
	var missing, dead []string
	for k := range served {
		if !documented[k] {
			missing = append(missing, k)
		}
	}
	for k := range documented {
		if !served[k] {
			dead = append(dead, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(dead)
	if len(missing) > 0 || len(dead) > 0 {
		t.Fatalf("served but not documented: %v\ndocumented but not served: %v", missing, dead)
	}
}

// TestContractExamples sends every request-body example of the compute
// routes (openapi/10-compute.json, stateless, so that an example can run on
// its own) to the server: each must match its own schema and be answered 200
// with a response that matches the document. Every compute operation with a
// request body must have an example; operations of other fragments without
// one are listed in the test log.
func TestContractExamples(t *testing.T) {
	s, _ := newServer(t, rest.Config{}, nil)
	doc := loadOpenAPIDoc(t)
	// The stored-resource routes need a store and callers with roles: their
	// examples are sent by the resource tests (resource_openapi_test.go).
	served := map[string]bool{}
	for _, r := range s.Routes() {
		served[r.Method+" "+r.Path] = true
	}
	echoPath := func(p string) string {
		segs := strings.Split(p, "/")
		for i, seg := range segs {
			if strings.HasPrefix(seg, "{") && strings.HasSuffix(seg, "}") {
				segs[i] = ":" + seg[1:len(seg)-1]
			}
		}
		return strings.Join(segs, "/")
	}
	v := openapitest.Get(t)
	b, err := os.ReadFile("openapi/10-compute.json")
	if err != nil {
		t.Fatal(err)
	}
	var compute openAPIDoc
	if err := json.Unmarshal(b, &compute); err != nil {
		t.Fatal(err)
	}
	n := 0
	for p, item := range doc.Paths {
		for m, op := range item {
			if op.RequestBody == nil || !served[strings.ToUpper(m)+" "+echoPath(p)] {
				continue
			}
			_, ours := compute.Paths[p][m]
			media, ok := op.RequestBody.Content["application/json"]
			if ok && len(media.Example) > 0 {
				if media.Examples == nil {
					media.Examples = map[string]struct {
						Value json.RawMessage `json:"value"`
					}{}
				}
				media.Examples["example"] = struct {
					Value json.RawMessage `json:"value"`
				}{media.Example}
			}
			if !ok || len(media.Examples) == 0 {
				if ours {
					t.Errorf("%s %s: the request body has no application/json example", m, p)
				} else {
					t.Logf("%s %s: the request body has no application/json example", m, p)
				}
				continue
			}
			if !ours {
				continue
			}
			for name, ex := range media.Examples {
				n++
				t.Run(p+"/"+name, func(t *testing.T) {
					req := httptest.NewRequest(strings.ToUpper(m), p, bytes.NewReader(ex.Value))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+adminKey)
					for _, e := range v.Request(req) {
						t.Errorf("the example does not match its own schema: %s", e.Error())
					}
					req = httptest.NewRequest(strings.ToUpper(m), p, bytes.NewReader(ex.Value))
					req.Header.Set("Content-Type", "application/json")
					req.Header.Set("Authorization", "Bearer "+adminKey)
					rec := httptest.NewRecorder()
					s.ServeHTTP(rec, req)
					if rec.Code/100 != 2 {
						t.Fatalf("example answered %d: %s", rec.Code, rec.Body)
					}
					validateAgainstOpenAPI(t, req, rec)
				})
			}
		}
	}
	if n == 0 {
		t.Fatal("no request examples in the document")
	}
}

// TestContractCatchesDrift proves that the helper fails on drift: an extra
// field, a missing field, a wrong type, an undeclared status and a wrong
// content type are each reported.
func TestContractCatchesDrift(t *testing.T) {
	req := httptest.NewRequest("GET", "/v1/presets", nil)
	good := `{"risk_profiles":[{"name":"practice","version":"1","tag":"practice","title":{"zh-CN":"实务","en":"practice"}}],"deadline_profiles":[],"appraisal_schemes":[],"staff_policies":[]}`
	for _, tc := range []struct {
		name, ct, body string
		status         int
		drift          bool
	}{
		{"as documented", "application/json", good, 200, false},
		{"extra field", "application/json", strings.Replace(good, `"staff_policies":[]`, `"staff_policies":[],"schemes":[]`, 1), 200, true},
		{"missing field", "application/json", strings.Replace(good, `,"staff_policies":[]`, ``, 1), 200, true},
		{"wrong type", "application/json", strings.Replace(good, `"version":"1"`, `"version":1`, 1), 200, true},
		{"wrong enum", "application/json", strings.Replace(good, `"tag":"practice"`, `"tag":"custom"`, 1), 200, true},
		{"undeclared status", "application/json", good, 418, true},
		{"wrong content type", "text/plain", good, 200, true},
		{"problem as documented", rest.MIMEProblem, `{"type":"urn:ssra:problem:unauthenticated","title":"Unauthenticated","status":401}`, 401, false},
		{"problem without title", rest.MIMEProblem, `{"type":"urn:ssra:problem:unauthenticated","status":401}`, 401, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			rec.Header().Set("Content-Type", tc.ct)
			rec.WriteHeader(tc.status)
			rec.WriteString(tc.body)
			got := openAPIProblems(t, req, rec)
			if tc.drift && len(got) == 0 {
				t.Fatal("drift not detected")
			}
			if !tc.drift && len(got) > 0 {
				t.Fatalf("false drift: %v", got)
			}
		})
	}
}
