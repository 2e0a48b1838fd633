package rest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
)

// TestRequestArraysHaveMaxItems holds the OpenAPI document to the decoder:
// every array a request body may hold documents maxItems, and none more
// than the decoder admits.
func TestRequestArraysHaveMaxItems(t *testing.T) {
	b, err := rest.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	schemas, _ := doc["components"].(map[string]any)["schemas"].(map[string]any)
	seen := map[string]bool{}
	arrays := 0
	var walk func(at string, x any)
	walk = func(at string, x any) {
		switch v := x.(type) {
		case map[string]any:
			if ref, ok := v["$ref"].(string); ok {
				name := strings.TrimPrefix(ref, "#/components/schemas/")
				if !seen[name] {
					seen[name] = true
					walk(name, schemas[name])
				}
			}
			if v["type"] == "array" {
				arrays++
				mx, ok := v["maxItems"].(float64)
				if !ok || mx > rest.MaxJSONItems {
					t.Errorf("%s: an array of a request body without maxItems ≤ %d", at, rest.MaxJSONItems)
				}
			}
			for k, e := range v {
				switch k {
				case "examples", "example", "default", "enum", "const":
				default:
					walk(at+"."+k, e)
				}
			}
		case []any:
			for _, e := range v {
				walk(at, e)
			}
		}
	}
	for p, item := range doc["paths"].(map[string]any) {
		for m, op := range item.(map[string]any) {
			if o, ok := op.(map[string]any); ok {
				walk(m+" "+p, o["requestBody"])
			}
		}
	}
	if arrays < 20 {
		t.Fatalf("only %d request arrays found: the walk is broken", arrays)
	}
}

// TestArrayLimits: an array over MaxJSONItems, and a body with more than
// MaxJSONElements array elements in all, are refused at decoding with the
// field and the rule, on a hand-decoded body and on a plainly decoded one.
func TestArrayLimits(t *testing.T) {
	f := newFixture(t)
	key := keyOf(orgA, ssra.RoleAssessor)
	over := "[" + strings.TrimSuffix(strings.Repeat("{},", rest.MaxJSONItems+1), ",") + "]"
	for _, path := range []string{"/v1/riskeval/evaluate", "/v1/assessments"} {
		body := `{"assessment":{"regime":"ndrc2012_project","factors":` + over + `}}`
		if path == "/v1/riskeval/evaluate" {
			body = `{"regime":"ndrc2012_project","factors":` + over + `}`
		}
		r := f.call(t, "POST", path, key, []byte(body)).must(t, http.StatusBadRequest)
		if codes := r.errorCodes(); len(codes) != 1 || codes[0] != "json.too_many_items" {
			t.Fatalf("%s: codes %v", path, codes)
		}
	}
	// Many arrays within the per-array limit, over the total.
	inner := "[" + strings.TrimSuffix(strings.Repeat("1,", rest.MaxJSONItems-1), ",") + "]"
	many := "[" + strings.TrimSuffix(strings.Repeat(inner+",", rest.MaxJSONElements/rest.MaxJSONItems+1), ",") + "]"
	r := f.call(t, "POST", "/v1/assessments", key, []byte(`{"assessment":{"factors":`+many+`}}`)).must(t, http.StatusBadRequest)
	if codes := r.errorCodes(); len(codes) != 1 || codes[0] != "json.too_many_elements" {
		t.Fatalf("codes %v", codes)
	}
}

// TestWorstBodiesStaySmall sends, to the routes whose bodies fan out most,
// the worst bodies the limits allow — as many empty or broken elements as
// the decoder admits, each making several problems — and holds the answer
// to at most MaxProblems problems and a few tens of kilobytes, and the
// memory the request allocates (an upper bound of its peak heap) to a
// fixed multiple of the body limit.
func TestWorstBodiesStaySmall(t *testing.T) {
	if testing.Short() {
		t.Skip("allocates tens of megabytes")
	}
	f := newFixture(t)
	elems := func(elem string, n int) string {
		return "[" + strings.TrimSuffix(strings.Repeat(elem+",", n), ",") + "]"
	}
	// MaxJSONItems factors, each with as many measures as the total allows.
	perFactor := (rest.MaxJSONElements - rest.MaxJSONItems) / rest.MaxJSONItems
	factor := `{"measures":` + elems(`{}`, perFactor) + `}`
	cases := []struct {
		name, path, key, body string
	}{
		{"create assessment, empty factors", "/v1/assessments", keyOf(orgA, ssra.RoleAssessor),
			`{"assessment":{"factors":` + elems(`{}`, rest.MaxJSONItems) + `}}`},
		{"create assessment, empty measures", "/v1/assessments", keyOf(orgA, ssra.RoleAssessor),
			`{"assessment":{"factors":` + elems(factor, rest.MaxJSONItems) + `}}`},
		{"evaluate, empty measures", "/v1/riskeval/evaluate", keyOf(orgA, ssra.RoleAssessor),
			`{"factors":` + elems(factor, rest.MaxJSONItems) + `}`},
		{"register complaint, empty complainants", "/v1/complaints", keyOf(orgA, ssra.RoleCaseworker),
			`{"channel":"online","matter":{"type":"claim"},"complainants":` + elems(`{}`, rest.MaxJSONItems) +
				`,"materials":` + elems(`{}`, rest.MaxJSONItems) + `}`},
		{"unit run, empty units", "/v1/appraisal_runs", keyOf(orgA, ssra.RoleAppraiser),
			`{"kind":"units","scheme":"generic_unit_100","from":"2026-01-01","to":"2026-12-31","units":` +
				elems(`{"inputs":`+elems(`{}`, (rest.MaxJSONElements-rest.MaxJSONItems)/rest.MaxJSONItems)+`}`, rest.MaxJSONItems) + `}`},
	}
	const limit = 1 << 20
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if len(c.body) > limit {
				t.Fatalf("the body is %d bytes, over the limit", len(c.body))
			}
			req := httptest.NewRequest("POST", c.path, strings.NewReader(c.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+c.key)
			rec := httptest.NewRecorder()
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			f.srv.ServeHTTP(rec, req)
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			if rec.Code < 400 || rec.Code >= 500 {
				t.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
			}
			var p rest.Problem
			if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
				t.Fatal(err)
			}
			t.Logf("body %d bytes: status %d, answer %d bytes, %d problems listed, %d omitted, %.1f MB allocated",
				len(c.body), rec.Code, rec.Body.Len(), len(p.Errors), p.ErrorsOmitted, float64(alloc)/(1<<20))
			if len(p.Errors) > rest.MaxProblems {
				t.Errorf("%d problems listed, more than %d", len(p.Errors), rest.MaxProblems)
			}
			if rec.Body.Len() > 64<<10 {
				t.Errorf("the answer is %d bytes, more than 64 KiB", rec.Body.Len())
			}
			if alloc > 128<<20 {
				t.Errorf("the request allocated %d MB, more than 128 MB", alloc>>20)
			}
		})
	}
}
