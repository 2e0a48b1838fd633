package rest_test

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra/adapters/rest"
)

// The resource tests validate every response they receive against the
// OpenAPI document: the route and status must be documented, and the body
// must match the documented schema. The checker covers the subset of JSON
// Schema the document uses: $ref, allOf, oneOf, type, required,
// properties, additionalProperties false, items, enum, minimum and the
// date and date-time formats.

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

// checkResponse validates one response against the document; it returns
// false for a request to a route that does not exist.
func checkResponse(t *testing.T, method, path string, r reply) bool {
	t.Helper()
	d := openapiDoc(t)
	tmpl, op := operation(d, method, path)
	if op == nil && (r.code == http.StatusNotFound || r.code == http.StatusMethodNotAllowed) {
		return false // no such route: nothing to document
	}
	if op == nil {
		t.Fatalf("%s %s is not in the OpenAPI document", method, path)
	}
	resp, ok := op["responses"].(map[string]any)[strconv.Itoa(r.code)].(map[string]any)
	if !ok {
		t.Fatalf("%s %s: status %d is not documented: %s", method, tmpl, r.code, r.raw)
	}
	if ref, ok := resp["$ref"].(string); ok {
		resp = resolve(d, ref)
	}
	content, _ := resp["content"].(map[string]any)
	if len(content) == 0 {
		if r.raw != "" {
			t.Fatalf("%s %s %d: documented without a body, got %s", method, tmpl, r.code, r.raw)
		}
		return true
	}
	ct, _, _ := strings.Cut(r.hdr.Get("Content-Type"), ";")
	media, ok := content[ct].(map[string]any)
	if !ok {
		t.Fatalf("%s %s %d: content type %q is not documented", method, tmpl, r.code, ct)
	}
	if !strings.Contains(ct, "json") {
		// Reports and charts: documented as strings of their media type.
		return true
	}
	var body any
	if err := json.Unmarshal([]byte(r.raw), &body); err != nil {
		t.Fatalf("%s %s: %v", method, tmpl, err)
	}
	if errs := validate(d, media["schema"], body, "$"); len(errs) > 0 {
		t.Fatalf("%s %s %d does not match the document:\n%s\n%s", method, tmpl, r.code, strings.Join(errs, "\n"), r.raw)
	}
	return true
}

func resolve(d map[string]any, ref string) map[string]any {
	var v any = d
	for _, p := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
		v = v.(map[string]any)[p]
	}
	return v.(map[string]any)
}

var (
	dateRe     = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)
	dateTimeOK = func(s string) bool { _, err := time.Parse(time.RFC3339Nano, s); return err == nil }
)

// validate returns every mismatch of v against schema s, located by a
// JSON path.
func validate(d map[string]any, s any, v any, at string) []string {
	sc, ok := s.(map[string]any)
	if !ok {
		return nil
	}
	if ref, ok := sc["$ref"].(string); ok {
		return validate(d, resolve(d, ref), v, at)
	}
	var errs []string
	bad := func(f string, a ...any) { errs = append(errs, at+": "+fmt.Sprintf(f, a...)) }
	for _, sub := range asList(sc["allOf"]) {
		errs = append(errs, validate(d, sub, v, at)...)
	}
	if alts := asList(sc["oneOf"]); len(alts) > 0 {
		n := 0
		for _, sub := range alts {
			if len(validate(d, sub, v, at)) == 0 {
				n++
			}
		}
		if n == 0 {
			bad("matches none of oneOf")
		}
	}
	if typ, ok := sc["type"]; ok {
		types := []string{}
		for _, x := range asList(typ) {
			types = append(types, x.(string))
		}
		if s, ok := typ.(string); ok {
			types = []string{s}
		}
		if !slices.Contains(types, jsonType(v)) && !(jsonType(v) == "integer" && slices.Contains(types, "number")) {
			bad("is %s, want %v", jsonType(v), types)
			return errs
		}
	}
	if enum := asList(sc["enum"]); len(enum) > 0 && !slices.Contains(enum, v) {
		bad("%v is not one of %v", v, enum)
	}
	if min, ok := sc["minimum"].(float64); ok {
		if n, ok := v.(float64); ok && n < min {
			bad("%v is below %v", n, min)
		}
	}
	if str, ok := v.(string); ok {
		switch sc["format"] {
		case "date":
			if !dateRe.MatchString(str) {
				bad("%q is not a date", str)
			}
		case "date-time":
			if !dateTimeOK(str) {
				bad("%q is not an RFC 3339 time", str)
			}
		}
	}
	if obj, ok := v.(map[string]any); ok {
		props, _ := sc["properties"].(map[string]any)
		for _, r := range asList(sc["required"]) {
			if _, ok := obj[r.(string)]; !ok {
				bad("lacks required %s", r)
			}
		}
		for k, fv := range obj {
			if ps, ok := props[k]; ok {
				errs = append(errs, validate(d, ps, fv, at+"."+k)...)
			} else if sc["additionalProperties"] == false {
				bad("has undocumented property %s", k)
			}
		}
	}
	if arr, ok := v.([]any); ok {
		for i, it := range arr {
			errs = append(errs, validate(d, sc["items"], it, fmt.Sprintf("%s[%d]", at, i))...)
		}
	}
	return errs
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		if x == math.Trunc(x) {
			return "integer"
		}
		return "number"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return "unknown"
}

func TestOpenAPICheckerCatchesDrift(t *testing.T) {
	d := openapiDoc(t)
	schema := map[string]any{"$ref": "#/components/schemas/AuditReport"}
	for _, tc := range []struct {
		name string
		body string
		ok   bool
	}{
		{"valid", `{"leaves":3,"pending":0,"root":"ab","records":1,"checkpoints":1,"signed":true,"cosignatures":0,"witnessed":false,"ok":true}`, true},
		{"missing field", `{"leaves":3,"pending":0,"records":1,"checkpoints":1,"signed":true,"cosignatures":0,"witnessed":false,"ok":true}`, false},
		{"wrong type", `{"leaves":"3","pending":0,"root":"ab","records":1,"checkpoints":1,"signed":true,"cosignatures":0,"witnessed":false,"ok":true}`, false},
		{"undocumented field", `{"leaves":3,"pending":0,"root":"ab","records":1,"checkpoints":1,"signed":true,"cosignatures":0,"witnessed":false,"ok":true,"secret":1}`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v any
			_ = json.Unmarshal([]byte(tc.body), &v)
			if got := len(validate(d, schema, v, "$")) == 0; got != tc.ok {
				t.Fatalf("valid %v, want %v", got, tc.ok)
			}
		})
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
	for _, r := range f.srv.Echo.Routes() {
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
				if errs := validate(d, media["schema"], ex, "$"); len(errs) > 0 {
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
	for _, prefix := range []string{"/v1/assessments", "/v1/decisions", "/v1/trackings", "/v1/complaints", "/v1/disputes", "/v1/profiles", "/v1/plans", "/v1/appraisal_runs", "/v1/schemes", "/v1/public/", "/v1/audit/", "/v1/users", "/v1/keys"} {
		if strings.HasPrefix(p, prefix) {
			return true
		}
	}
	return false
}
