package rest_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi-validator/helpers"

	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/internal/openapitest"
)

// The resource tests validate every response they receive against the
// OpenAPI document with the contract validator (libopenapi-validator, see
// contract_test.go): the route and status must be documented, and the body
// must match the documented schema.

var (
	docOnce sync.Once
	doc     map[string]any
	docErr  error
)

func openapiDoc(t *testing.T) map[string]any {
	t.Helper()
	docOnce.Do(func() {
		b, err := rest.OpenAPI()
		if err != nil {
			docErr = err
			return
		}
		docErr = json.Unmarshal(b, &doc)
	})
	if docErr != nil {
		t.Fatal(docErr)
	}
	return doc
}

// operation finds the documented operation of a request path: the path
// template whose static segments match, static segments preferred.
func operation(d map[string]any, method, path string) (string, map[string]any) {
	path, _, _ = strings.Cut(path, "?")
	segs := strings.Split(path, "/")
	best, bestStatic := "", -1
	for tmpl := range d["paths"].(map[string]any) {
		ts := strings.Split(tmpl, "/")
		if len(ts) != len(segs) {
			continue
		}
		static, ok := 0, true
		for i, s := range ts {
			switch {
			case strings.HasPrefix(s, "{"):
			case s == segs[i]:
				static++
			default:
				ok = false
			}
		}
		if ok && static > bestStatic {
			best, bestStatic = tmpl, static
		}
	}
	if best == "" {
		return "", nil
	}
	op, _ := d["paths"].(map[string]any)[best].(map[string]any)[strings.ToLower(method)].(map[string]any)
	return best, op
}

// documentedRoute reports whether a request's route is in the document;
// a 404 or 405 to a route that does not exist has nothing to document,
// while any other answer is validated (and an undocumented route fails).
func documentedRoute(t *testing.T, method, path string, code int) bool {
	t.Helper()
	_, op := operation(openapiDoc(t), method, path)
	return op != nil || (code != http.StatusNotFound && code != http.StatusMethodNotAllowed)
}

// TestOpenAPICheckerCatchesDrift holds the route matcher to the document's
// templates and the example check to the schema: an example with an
// undocumented member, a missing required one or a wrong type is reported.
func TestOpenAPICheckerCatchesDrift(t *testing.T) {
	d := openapiDoc(t)
	good := map[string]any{"name": "desk"}
	if errs := exampleProblems(t, "post", "/v1/users/{id}/keys", good); len(errs) > 0 {
		t.Fatalf("a valid body is reported: %v", errs)
	}
	for _, bad := range []map[string]any{{"name": "desk", "secret": 1}, {"name": 7}} {
		if errs := exampleProblems(t, "post", "/v1/users/{id}/keys", bad); len(errs) == 0 {
			t.Errorf("%v is not reported", bad)
		}
	}
	if tmpl, op := operation(d, http.MethodPost, "/v1/complaints/x/accept"); tmpl != "/v1/complaints/{id}/{action}" || op == nil {
		t.Fatalf("matched %q", tmpl)
	}
	if tmpl, _ := operation(d, http.MethodGet, "/v1/complaints/overdue"); tmpl != "/v1/complaints/overdue" {
		t.Fatalf("static segments not preferred: %q", tmpl)
	}
}

func TestOpenAPIDocumentsEveryResourceRoute(t *testing.T) {
	d := openapiDoc(t)
	f := newFixture(t)
	n := 0
	for _, r := range f.srv.Routes() {
		if !resourcePath(r.Path) || strings.HasSuffix(r.Path, "*") || r.Method == "echo_route_any" {
			continue
		}
		tmpl := regexp.MustCompile(`:(\w+)`).ReplaceAllString(r.Path, "{$1}")
		item, _ := d["paths"].(map[string]any)[tmpl].(map[string]any)
		op, _ := item[strings.ToLower(r.Method)].(map[string]any)
		if op == nil {
			t.Errorf("%s %s is not documented", r.Method, tmpl)
		}
		n++
	}
	if n < 20 {
		t.Fatalf("only %d routes found", n)
	}
}

func TestOpenAPIRequestExamplesMatchTheirSchemas(t *testing.T) {
	d := openapiDoc(t)
	n := 0
	for tmpl, item := range d["paths"].(map[string]any) {
		if !resourcePath(tmpl) {
			continue
		}
		for method, op := range item.(map[string]any) {
			rb, _ := op.(map[string]any)["requestBody"].(map[string]any)
			content, _ := rb["content"].(map[string]any)
			media, _ := content["application/json"].(map[string]any)
			if media == nil {
				continue
			}
			var examples []any
			if ex, ok := media["example"]; ok {
				examples = append(examples, ex)
			}
			exs, _ := media["examples"].(map[string]any)
			for _, ex := range exs {
				examples = append(examples, ex.(map[string]any)["value"])
			}
			if len(examples) == 0 {
				t.Errorf("%s %s: request body without an example", method, tmpl)
			}
			for _, ex := range examples {
				n++
				if errs := exampleProblems(t, method, tmpl, ex); len(errs) > 0 {
					t.Errorf("%s %s example: %v", method, tmpl, errs)
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no examples checked")
	}
}

// resourcePath reports whether a path is one of the stored-resource routes
// this file's tests cover.
func resourcePath(p string) bool {
	for _, prefix := range []string{"/v1/assessments", "/v1/decisions", "/v1/trackings", "/v1/screening_plans", "/v1/register_entries", "/v1/reception_days", "/v1/complaints", "/v1/disputes", "/v1/profiles", "/v1/plans", "/v1/appraisal_runs", "/v1/schemes", "/v1/public/", "/v1/audit/", "/v1/users", "/v1/keys", "/v1/sheets/"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}

// exampleProblems validates a request-body example with the contract
// validator (libopenapi-validator), as a request to the operation with
// placeholder path parameters and the headers the document may require.
func exampleProblems(t *testing.T, method, tmpl string, ex any) []string {
	t.Helper()
	b, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	path := regexp.MustCompile(`\{\w+\}`).ReplaceAllString(tmpl, "p1")
	req := httptest.NewRequest(strings.ToUpper(method), path, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+adminKey)
	req.Header.Set("If-Match", `"v1"`)
	var out []string
	for _, e := range openapitest.Get(t).Request(req) {
		if e.ValidationType == helpers.ParameterValidation && e.ValidationSubType == helpers.ParameterValidationPath {
			continue // the placeholder path parameters, not the example
		}
		msg := e.Message
		for _, s := range e.SchemaValidationErrors {
			msg += fmt.Sprintf("; %s at %s", s.Reason, s.FieldPath)
		}
		out = append(out, msg)
	}
	return out
}
