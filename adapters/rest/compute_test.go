package rest_test

import (
	"cmp"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/internal/openapitest"
	"github.com/ssra-go/ssra/internal/strictjson"
	"github.com/ssra-go/ssra/riskeval"
	"github.com/ssra-go/ssra/stability"
)

// call sends a request through the whole server (middleware, error
// handler) and checks the response against the OpenAPI document.
func call(t *testing.T, s http.Handler, method, path, key, body string, hdr ...string) *httptest.ResponseRecorder {
	t.Helper()
	var req *http.Request
	if body == "" {
		req = httptest.NewRequest(method, path, nil)
	} else {
		req = httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	validateAgainstOpenAPI(t, req, rec)
	if rec.Code == http.StatusOK && body != "" {
		// A body the server accepts must be one the document describes.
		again := httptest.NewRequest(method, path, strings.NewReader(body))
		again.Header = req.Header.Clone()
		for _, e := range openapitest.Get(t).Request(again) {
			t.Errorf("%s %s: an accepted request departs from the document: %s", method, path, e.Error())
		}
	}
	return rec
}

// fields returns the errors[].field of a problem response, in order.
func fields(t *testing.T, rec *httptest.ResponseRecorder) []string {
	t.Helper()
	p := problemOf(t, rec)
	out := make([]string, len(p.Errors))
	for i, e := range p.Errors {
		out[i] = e.Field
	}
	return out
}

const (
	ahpBody      = `{"matrix":[[1,3,5],["1/3",1,2],["1/5","1/2",1]]}`
	fuzzyBody    = `{"weights":["0.6","0.4"],"membership":[["0.1","0.3","0.6"],["0.5","0.4","0.1"]],"grades":["low","medium","high"],"grade_scores":["1","2","3"]}`
	deadlineBody = `{"profile":"xinfang2022","event":"registered","date":"2026-09-28","calendar":{"holidays":["2026-10-01"],"workdays":[]}}`
	scoreBody    = `{"preset":"generic_unit_100","subject":{"id":"u1","inputs":[{"item":"organisation","value":"9"},{"item":"risk_assessment_coverage","value":"100"},{"item":"agreements_performed","value":"98"},{"item":"on_time_handling","value":"100"},{"item":"handling_satisfaction","value":"97"},{"item":"sense_of_security","value":"97"},{"item":"public_order_on_time","value":"100"}]}}`
	rankBody     = `{"preset":"annual_civil_servant","policy":"civil_servants_2020","run":{"year":2024},"people":[{"id":"s1","inputs":[{"item":"routine","value":"95"},{"item":"special_task","value":"92"},{"item":"year_end","value":"94"},{"item":"stability_work","value":"96"}]}]}`
)

// evaluateBody is an assessment of n factors with equal weights that sum
// to exactly 1 for n in {1, 2, 4, 5, 10}, and are normalised otherwise.
func evaluateBody(n int, extra string) string {
	var b strings.Builder
	b.WriteString(`{"subject":{"kind":"project","name":"plant","responsible_unit":"city"},"regime":"ndrc2012_project","factors":[`)
	w := map[int]string{1: "1", 2: "0.5", 4: "0.25", 5: "0.2", 10: "0.1"}[n]
	norm := w == ""
	if norm {
		w = "1"
	}
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"F%d","area":"land_expropriation","name":"factor %d","weight":"%s","initial":{"probability":%d,"impact":4},"residual":{"probability":2,"impact":%d},"measures":[{"id":"M%d","description":"measure","owner":"bureau","due":"2027-03-31"}]}`,
			i+1, i+1, w, 1+i%5, 1+i%3, i+1)
	}
	b.WriteString(`]`)
	if norm {
		b.WriteString(`,"normalise_weights":true`)
	}
	b.WriteString(extra)
	b.WriteString(`}`)
	return b.String()
}

// computeRoute is one compute endpoint with a valid body and its own bad ones.
type computeRoute struct {
	path, valid string
	// dup repeats a known key; dupField is where.
	dup, dupField string
	// wrong gives a known field the wrong JSON type; wrongField is where.
	wrong, wrongField string
	// wrongCode is the code of wrong, when not json.wrong_type.
	wrongCode string
	// unknown adds an unknown field; unknownField is its path.
	unknown, unknownField string
	// invalid is well-formed but breaks a domain or envelope rule (422),
	// with the exact errors[].field paths.
	invalid       string
	invalidFields []string
}

var computeRoutes = []computeRoute{
	{path: "/v1/riskeval/ahp", valid: ahpBody,
		dup: `{"matrix":[[1]],"method":"eigenvector","method":"geometric_mean"}`, dupField: "method",
		wrong: `{"matrix":[[1]],"method":3}`, wrongField: "method",
		unknown: `{"matrix":[[1]],"matrx":[[1]]}`, unknownField: "matrx",
		invalid: `{"matrix":[[1,3,5],["1/3",1,2],["1/5",2,1]]}`, invalidFields: []string{"matrix[2][1]"}},
	{path: "/v1/riskeval/fuzzy", valid: fuzzyBody,
		dup: `{"weights":["1"],"grades":["a"],"grades":["b"]}`, dupField: "grades",
		wrong: `{"weights":["1"],"membership":[["1"]],"grades":"low"}`, wrongField: "grades",
		unknown: `{"weights":["1"],"membership":[["1"]],"grades":["a"],"grade_score":["1"]}`, unknownField: "grade_score",
		invalid: `{"weights":["0.5","0.5"],"membership":[["0.1","0.9"],["0.5","0.4"]],"grades":["low","high"]}`, invalidFields: []string{"membership[1]"}},
	{path: "/v1/riskeval/evaluate", valid: evaluateBody(2, ""),
		dup: `{"regime":"x","factors":[{"id":"F1","weight":"1","weight":"0.5"}]}`, dupField: "factors[0].weight",
		wrong: `{"regime":"x","factors":[{"id":"F1"},{"id":"F2","residual":{"probability":"2"}}]}`, wrongField: "factors[1].residual.probability",
		unknown: `{"regime":"x","factors":[{"id":"F1","initial":{"probability":1,"impact":1,"likelihood":2}}]}`, unknownField: "factors[0].initial.likelihood",
		invalid: strings.Replace(evaluateBody(2, ""), `"initial":{"probability":2`, `"initial":{"probability":9`, 1), invalidFields: []string{"factors[1].initial.probability"}},
	{path: "/v1/riskeval/profiles/validate", valid: `{"name":"p","version":"1"}`,
		// A decimal given as true: shopspring/decimal's own error, located.
		dup: `{"name":"p","version":"1","version":"2"}`, dupField: "version",
		wrong: `{"name":"p","factor_thresholds":{"low_max":true}}`, wrongField: "factor_thresholds.low_max",
		wrongCode: "json.invalid_value",
		unknown:   `{"name":"p","matrix":{"rows":[],"level":{}}}`, unknownField: "matrix.level"},
	{path: "/v1/stability/deadlines", valid: deadlineBody,
		dup: `{"profile":"xinfang2022","event":"registered","event":"accepted"}`, dupField: "event",
		wrong: `{"profile":"xinfang2022","event":"registered","date":"2026-09-28","calendar":{"holidays":"2026-10-01"}}`, wrongField: "calendar.holidays",
		unknown: `{"profile":"xinfang2022","event":"registered","date":"2026-09-28","timezone":"Asia/Shanghai"}`, unknownField: "timezone",
		invalid: `{"profile":"xinfang2099","date":"2026-09-28"}`, invalidFields: []string{"profile", "event"}},
	{path: "/v1/appraisal/score", valid: scoreBody,
		dup: `{"preset":"generic_unit_100","subject":{"id":"u1","id":"u2"}}`, dupField: "subject.id",
		wrong: `{"preset":"generic_unit_100","subject":{"id":"u1","inputs":[{"item":"a"},{"item":"b","value":true}]}}`, wrongField: "subject.inputs[1].value",
		unknown: `{"preset":"generic_unit_100","subject":{"id":"u1","inputs":[],"unit_size":3}}`, unknownField: "subject.unit_size",
		wrongCode: "json.invalid_value",
		invalid:   strings.Replace(scoreBody, `]}}`, `,{"item":"no_such_item","value":"1"}]}}`, 1), invalidFields: []string{"subject.inputs[7].item"}},
	{path: "/v1/appraisal/rank", valid: rankBody,
		dup: `{"preset":"annual_civil_servant","run":{"year":2024,"year":2025}}`, dupField: "run.year",
		wrong: `{"preset":"annual_civil_servant","policy":"civil_servants_2020","run":{"year":"2024"},"people":[]}`, wrongField: "run.year",
		unknown: `{"preset":"annual_civil_servant","policy":"civil_servants_2020","run":{"year":2024},"people":[{"id":"s1","inputs":[],"rank":"clerk"}]}`, unknownField: "people[0].rank",
		invalid: strings.Replace(rankBody, `]}]}`, `]},{"id":"s1","inputs":[{"item":"routine","value":"90"},{"item":"special_task","value":"90"},{"item":"year_end","value":"90"},{"item":"stability_work","value":"90"}]}]}`, 1), invalidFields: []string{"people[1].id"}},
}

// TestComputeRoutes sends every route its valid body and every bad input of
// issue 6, checking status, content type and the errors[].field paths; each
// response is also checked against the OpenAPI document.
func TestComputeRoutes(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	small, _ := newServer(t, rest.Config{BodyLimit: 64, AuthFailureLimit: -1}, nil)
	for _, r := range computeRoutes {
		t.Run(r.path, func(t *testing.T) {
			t.Run("valid", func(t *testing.T) {
				rec := call(t, s, "POST", r.path, adminKey, r.valid)
				if rec.Code != 200 || rec.Header().Get("Content-Type") != "application/json" {
					t.Fatalf("%d %s: %s", rec.Code, rec.Header().Get("Content-Type"), rec.Body)
				}
			})
			for _, tc := range []struct {
				name, key, body, ct string
				server              http.Handler
				status              int
				code, field         string
			}{
				{name: "no key", body: r.valid, status: 401},
				{name: "bad key", key: "ssra_nobody", body: r.valid, status: 401},
				{name: "malformed JSON", key: adminKey, body: `{"matrix": [[1,`, status: 400, code: "json.truncated", field: "matrix[0]"},
				{name: "syntax error", key: adminKey, body: `{"a" 1}`, status: 400, code: "json.syntax", field: "a"},
				{name: "trailing data", key: adminKey, body: r.valid + ` {}`, status: 400, code: "json.trailing_data"},
				{name: "unknown field", key: adminKey, body: r.unknown, status: 400, code: "json.unknown_field", field: r.unknownField},
				{name: "duplicate key", key: adminKey, body: r.dup, status: 400, code: "json.duplicate_key", field: r.dupField},
				{name: "wrong type", key: adminKey, body: r.wrong, status: 400, code: cmp.Or(r.wrongCode, "json.wrong_type"), field: r.wrongField},
				{name: "invalid UTF-8", key: adminKey, body: "{\"id\":\"\xff\xfe\"}", status: 400, code: "json.invalid_utf8"},
				{name: "empty body", key: adminKey, body: " ", status: 400, code: "json.empty"},
				{name: "too large", key: adminKey, body: r.valid + strings.Repeat(" ", 64), server: small, status: 413},
				{name: "wrong content type", key: adminKey, body: r.valid, ct: "text/plain", status: 415},
				{name: "form content type", key: adminKey, body: r.valid, ct: "application/x-www-form-urlencoded", status: 415},
			} {
				t.Run(tc.name, func(t *testing.T) {
					srv := tc.server
					if srv == nil {
						srv = s
					}
					var hdr []string
					if tc.ct != "" {
						hdr = []string{"Content-Type", tc.ct}
					}
					rec := call(t, srv, "POST", r.path, tc.key, tc.body, hdr...)
					p := problemOf(t, rec)
					if rec.Code != tc.status {
						t.Fatalf("status %d, want %d: %s", rec.Code, tc.status, rec.Body)
					}
					if tc.code == "" {
						return
					}
					if len(p.Errors) != 1 || p.Errors[0].Code != tc.code || p.Errors[0].Field != tc.field {
						t.Fatalf("errors %+v, want %s at %q", p.Errors, tc.code, tc.field)
					}
				})
			}
			if r.invalid != "" {
				t.Run("domain invalid", func(t *testing.T) {
					rec := call(t, s, "POST", r.path, adminKey, r.invalid)
					if rec.Code != 422 {
						t.Fatalf("status %d, want 422: %s", rec.Code, rec.Body)
					}
					if got := fields(t, rec); !slices.Equal(got, r.invalidFields) {
						t.Fatalf("fields %q, want %q: %s", got, r.invalidFields, rec.Body)
					}
				})
			}
		})
	}
}

// TestComputeInvalidPaths covers the 422 paths beyond one per route: the
// envelope checks (validator v10) and the domain's own, each naming the
// exact field.
func TestComputeInvalidPaths(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	for _, tc := range []struct {
		name, path, body string
		fields, codes    []string
	}{
		{"AHP not square", "/v1/riskeval/ahp", `{"matrix":[[1,2],[0.5]]}`, []string{"matrix[1]"}, []string{"ahp.matrix.not_square"}},
		{"AHP not reciprocal", "/v1/riskeval/ahp", `{"matrix":[[1,3],["0.333",1]]}`, []string{"matrix[1][0]"}, nil},
		{"AHP no matrix", "/v1/riskeval/ahp", `{"method":"eigenvector"}`, []string{"matrix"}, []string{"request.required"}},
		// The envelope checks presence; an empty list, a blank grade and
		// a decimal outside the limits are the domain's rules, with the
		// domain's codes (not the validator's min, required and decimal
		// first).
		{"fuzzy no lists", "/v1/riskeval/fuzzy", `{"operator":"min_max"}`,
			[]string{"weights", "membership", "grades"}, []string{"request.required", "request.required", "request.required"}},
		{"fuzzy empty weights", "/v1/riskeval/fuzzy", `{"weights":[],"membership":[],"grades":["a"]}`, []string{"weights"}, []string{"fuzzy.weights.empty"}},
		{"fuzzy empty grades", "/v1/riskeval/fuzzy", `{"weights":["1"],"membership":[[]],"grades":[]}`,
			[]string{"grades", "membership[0]"}, []string{"fuzzy.grades.empty", "fuzzy.membership.row_sum"}},
		{"fuzzy blank grade", "/v1/riskeval/fuzzy", `{"weights":["1"],"membership":[["0.2","0.8"]],"grades":["low",""]}`, []string{"grades[1]"}, []string{"fuzzy.grade.blank"}},
		{"fuzzy membership outside the decimal limits", "/v1/riskeval/fuzzy", `{"weights":["1"],"membership":[["1e-60"]],"grades":["a"]}`,
			[]string{"membership[0][0]"}, []string{"fuzzy.membership.out_of_range"}},
		{"fuzzy grade score outside the decimal limits", "/v1/riskeval/fuzzy", `{"weights":["1"],"membership":[["1"]],"grades":["a"],"grade_scores":["1e-60"]}`,
			[]string{"grade_scores[0]"}, []string{"fuzzy.grade_score.out_of_range"}},
		// Ranges are the domain's rules, with the domain's codes (not the
		// validator's dgte/dlte first).
		{"fuzzy ranges", "/v1/riskeval/fuzzy", `{"weights":["1.5"],"membership":[["-0.1","0.8"]],"grades":["low","high"]}`,
			[]string{"weights", "membership[0][0]"}, []string{"fuzzy.weights.sum", "fuzzy.membership.out_of_range"}},
		{"fuzzy weight above 1 beyond the tolerance", "/v1/riskeval/fuzzy", `{"weights":["1.0001"],"membership":[["1"]],"grades":["a"]}`, []string{"weights"}, []string{"fuzzy.weights.sum"}},
		{"fuzzy negative weight", "/v1/riskeval/fuzzy", `{"weights":["-0.5","1.5"],"membership":[["1"],["1"]],"grades":["a"]}`, []string{"weights[0]"}, []string{"fuzzy.weights.negative"}},
		{"evaluate unknown preset", "/v1/riskeval/evaluate", evaluateBody(2, `,"profile":"county"`), []string{"profile"}, []string{"request.riskeval_preset"}},
		{"evaluate inline profile", "/v1/riskeval/evaluate", evaluateBody(2, `,"profile":{"name":"p","version":"1","basis":"practice"}`), nil, nil},
		{"deadlines envelope", "/v1/stability/deadlines", `{"profile":""}`, []string{"profile", "event", "date"},
			[]string{"request.required", "request.required", "request.required"}},
		{"deadlines event not in profile", "/v1/stability/deadlines", `{"profile":"xinfang2022","event":"rated","date":"2026-02-03"}`, []string{"event"}, []string{"deadline.event_not_in_profile"}},
		// A due date past 9999-12-31 used to come out in 2262 (issue: a duration overflow).
		{"deadlines past the last date", "/v1/stability/deadlines", `{"profile":"xinfang2022","event":"accepted","date":"9999-12-30"}`, []string{"date"}, []string{"deadline.out_of_range"}},
		{"score scheme and preset", "/v1/appraisal/score", `{"preset":"generic_unit_100","scheme":{"name":"s"},"subject":{"id":"u","inputs":[]}}`, []string{"preset"}, []string{"request.scheme_or_preset"}},
		{"score no scheme", "/v1/appraisal/score", `{"subject":{"id":"u","inputs":[]}}`, []string{"scheme"}, []string{"request.scheme_or_preset"}},
		{"score unknown preset", "/v1/appraisal/score", `{"preset":"county","subject":{"id":"u","inputs":[]}}`, []string{"preset"}, []string{"request.appraisal_preset"}},
		{"rank unknown policy", "/v1/appraisal/rank", strings.Replace(rankBody, `"civil_servants_2020"`, `"civil_servants_1990"`, 1), []string{"policy"}, []string{"request.appraisal_policy"}},
		{"rank nobody", "/v1/appraisal/rank", `{"preset":"annual_civil_servant","policy":"civil_servants_2020","run":{"year":2024},"people":[]}`, []string{"people"}, []string{"request.min"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, s, "POST", tc.path, adminKey, tc.body)
			if rec.Code != 422 {
				t.Fatalf("status %d, want 422: %s", rec.Code, rec.Body)
			}
			p := problemOf(t, rec)
			var fs, cs []string
			for _, e := range p.Errors {
				fs, cs = append(fs, e.Field), append(cs, e.Code)
			}
			if tc.fields != nil && !slices.Equal(fs, tc.fields) {
				t.Fatalf("fields %q, want %q", fs, tc.fields)
			}
			if tc.fields == nil {
				for _, f := range fs {
					if !strings.HasPrefix(f, "profile.") {
						t.Fatalf("an inline profile's problems belong under profile.: %q", fs)
					}
				}
			}
			if tc.codes != nil && !slices.Equal(cs, tc.codes) {
				t.Fatalf("codes %q, want %q", cs, tc.codes)
			}
		})
	}
}

// TestComputeUnknownNames: the AHP method and RI table, the fuzzy operator
// and the deadline event are the domain's closed sets, decoded as in every
// other body: an unknown name is the decoder's 400 naming the member, with
// the code the domain's own decoders give (riskeval.DecodeAHPInput,
// riskeval.DecodeFuzzyInput; the strict decoder on a stability.EventKind),
// not a second list of names in the adapter with a code of its own.
func TestComputeUnknownNames(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	for _, tc := range []struct {
		name, path, body, field string
		domain                  func([]byte) error
	}{
		{"AHP method", "/v1/riskeval/ahp", `{"matrix":[[1]],"method":"power"}`, "method",
			func(b []byte) error { _, err := riskeval.DecodeAHPInput(b); return err }},
		{"AHP RI table", "/v1/riskeval/ahp", `{"matrix":[[1]],"ri_table":"moon"}`, "ri_table",
			func(b []byte) error { _, err := riskeval.DecodeAHPInput(b); return err }},
		{"fuzzy operator", "/v1/riskeval/fuzzy", `{"weights":["1"],"membership":[["1"]],"grades":["a"],"operator":"max"}`, "operator",
			func(b []byte) error { _, err := riskeval.DecodeFuzzyInput(b); return err }},
		{"deadline event", "/v1/stability/deadlines", `{"profile":"xinfang2022","event":"born","date":"2026-02-03"}`, "event",
			func(b []byte) error {
				var v struct {
					Profile string              `json:"profile"`
					Event   stability.EventKind `json:"event"`
					Date    ssra.Date           `json:"date"`
				}
				return strictjson.Decode(b, &v, "test")
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, s, "POST", tc.path, adminKey, tc.body)
			if rec.Code != 400 {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			p := problemOf(t, rec)
			if len(p.Errors) != 1 || p.Errors[0].Code != "json.invalid_value" || p.Errors[0].Field != tc.field {
				t.Fatalf("problems %+v, want json.invalid_value at %s", p.Errors, tc.field)
			}
			ps := ssra.ProblemsOf(tc.domain([]byte(tc.body)))
			if len(ps) != 1 || ps[0].Code != p.Errors[0].Code || ps[0].Field != tc.field {
				t.Fatalf("the domain's decoder gives %v, the route %+v", ps, p.Errors)
			}
		})
	}
}

// TestDecimalsRoundTrip: ten weights of "0.1" (or the JSON number 0.1) sum
// to exactly 1 with a tolerance of 0, which float64 arithmetic would miss,
// and come back as the string "0.1".
func TestDecimalsRoundTrip(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	for _, tc := range []struct{ name, body string }{
		{"strings", evaluateBody(10, "")},
		{"numbers", strings.ReplaceAll(evaluateBody(10, ""), `"weight":"0.1"`, `"weight":0.1`)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, s, "POST", "/v1/riskeval/evaluate", adminKey, tc.body)
			if rec.Code != 200 {
				t.Fatalf("%d: %s", rec.Code, rec.Body)
			}
			var res struct {
				Factors []struct {
					Weight json.RawMessage `json:"weight"`
				} `json:"factors"`
				Weights struct {
					Sum        json.RawMessage `json:"sum"`
					Normalised bool            `json:"normalised"`
				} `json:"weights"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if len(res.Factors) != 10 || string(res.Weights.Sum) != `"1"` || res.Weights.Normalised {
				t.Fatalf("weights: %+v", res.Weights)
			}
			for i, f := range res.Factors {
				if string(f.Weight) != `"0.1"` {
					t.Fatalf("factors[%d].weight = %s, want \"0.1\"", i, f.Weight)
				}
			}
		})
	}
	rec := call(t, s, "POST", "/v1/riskeval/fuzzy", adminKey,
		`{"weights":["0.1","0.2","0.7"],"membership":[["0.1","0.9"],["0.1","0.9"],["0.1","0.9"]],"grades":["low","high"],"grade_scores":["0.1","1"]}`)
	var fz struct {
		Vector []json.RawMessage `json:"vector"`
		Score  json.RawMessage   `json:"score"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &fz); err != nil || rec.Code != 200 {
		t.Fatalf("%d %v: %s", rec.Code, err, rec.Body)
	}
	// B = [0.1, 0.9] exactly; the score 0.1×0.1 + 0.9×1 = 0.91.
	if string(fz.Vector[0]) != `"0.1"` || string(fz.Vector[1]) != `"0.9"` || string(fz.Score) != `"0.91"` {
		t.Fatalf("vector %s, score %s", fz.Vector, fz.Score)
	}
}

// TestAHPFractions: "1/3" is an exact judgment, so the matrix with 3 and
// "1/3" is reciprocal, while 0.333 is not the reciprocal of 3.
func TestAHPFractions(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	for _, tc := range []struct {
		name, cell string
		status     int
	}{
		{"fraction", `"1/3"`, 200},
		{"fraction with spaces", `" 1 / 3 "`, 200},
		{"decimal approximation", `0.333`, 422},
		{"decimal string approximation", `"0.3333333333"`, 422},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, s, "POST", "/v1/riskeval/ahp", adminKey, `{"matrix":[[1,3],[`+tc.cell+`,1]],"method":"geometric_mean","ri_table":"cn_textbook"}`)
			if rec.Code != tc.status {
				t.Fatalf("%d: %s", rec.Code, rec.Body)
			}
			if tc.status != 200 {
				if got := fields(t, rec); !slices.Equal(got, []string{"matrix[1][0]"}) {
					t.Fatalf("fields %q", got)
				}
				return
			}
			var res struct {
				Weights    []string `json:"weights"`
				Method     string   `json:"method"`
				RITable    string   `json:"ri_table"`
				CR         string   `json:"cr"`
				Consistent bool     `json:"consistent"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.Weights, []string{"0.75", "0.25"}) || res.Method != "geometric_mean" || res.RITable != "cn_textbook" || res.CR != "0" || !res.Consistent {
				t.Fatalf("%+v", res)
			}
		})
	}
}

// TestEvaluateProfiles: the profile may be omitted (the default preset),
// named, or given inline; the result names the one used.
func TestEvaluateProfiles(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	tb, err := riskeval.Preset("textbook5x5")
	if err != nil {
		t.Fatal(err)
	}
	inline, err := json.Marshal(tb)
	if err != nil {
		t.Fatal(err)
	}
	custom := strings.Replace(string(inline), `"name":"textbook5x5"`, `"name":"county_matrix"`, 1)
	for _, tc := range []struct{ name, extra, want string }{
		{"omitted", ``, "practice"},
		{"null", `,"profile":null`, "practice"},
		{"named", `,"profile":"textbook5x5"`, "textbook5x5"},
		{"inline", `,"profile":` + custom, "county_matrix"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, s, "POST", "/v1/riskeval/evaluate", adminKey, evaluateBody(4, tc.extra))
			var res struct {
				Profile struct{ Name, Version string }
				Rules   struct{ Matrix bool }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != 200 {
				t.Fatalf("%d %v: %s", rec.Code, err, rec.Body)
			}
			if res.Profile.Name != tc.want || res.Profile.Version == "" || res.Rules.Matrix != (tc.want != "practice") {
				t.Fatalf("%+v", res)
			}
		})
	}
}

// TestValidateProfile: a profile in, every problem out, matrix monotonicity
// included; the shipped presets are valid.
func TestValidateProfile(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	for _, name := range riskeval.PresetNames() {
		p, _ := riskeval.Preset(name)
		b, _ := json.Marshal(p)
		rec := call(t, s, "POST", "/v1/riskeval/profiles/validate", adminKey, string(b))
		var v struct {
			Valid    bool
			Problems []struct{ Code, Field, Severity string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || rec.Code != 200 || !v.Valid {
			t.Fatalf("preset %s: %d %s", name, rec.Code, rec.Body)
		}
	}
	preset, _ := riskeval.Preset("textbook5x5")
	p := preset.Def()
	p.Matrix.Rows[0].Cells[2] = riskeval.DegreeN // lower than its left neighbour
	p.IndexThresholds.LowMax, p.IndexThresholds.MediumMax = p.IndexThresholds.MediumMax, p.IndexThresholds.LowMax
	b, _ := json.Marshal(p)
	rec := call(t, s, "POST", "/v1/riskeval/profiles/validate", adminKey, string(b))
	var v struct {
		Valid    bool
		Name     string
		Problems []struct{ Code, Field, Severity string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &v); err != nil || rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	codes := map[string]string{}
	for _, q := range v.Problems {
		codes[q.Code] = q.Field
	}
	if v.Valid || v.Name != "textbook5x5" || codes["matrix.not_monotone"] == "" || codes["profile.threshold_order"] != "index_thresholds.medium_max" {
		t.Fatalf("problems: %+v", v)
	}
}

// TestDeadlines: every deadline names its date, rule and legal basis, and
// a calendar-day limit ending on a holiday rolls over to a working day.
func TestDeadlines(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	// 2026-09-30 + 15 days = 2026-10-15; declared a holiday, so the due
	// date moves to the next working day.
	body := `{"profile":"xinfang2022","event":"registered","date":"2026-09-30","calendar":{"holidays":["2026-10-15"],"workdays":[]}}`
	rec := call(t, s, "POST", "/v1/stability/deadlines", adminKey, body)
	var res struct {
		Deadlines []stability.Deadline `json:"deadlines"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != 200 || len(res.Deadlines) == 0 {
		t.Fatalf("%d %v %s", rec.Code, err, rec.Body)
	}
	p, _ := stability.Preset("xinfang2022")
	want := p.RulesFor(stability.EventRegistered)
	if len(res.Deadlines) != len(want) {
		t.Fatalf("%d deadlines, the profile has %d rules for registered", len(res.Deadlines), len(want))
	}
	for _, d := range res.Deadlines {
		if d.Rule == "" || d.Basis.ZH == "" || d.Due.IsZero() || d.Profile != "xinfang2022" {
			t.Fatalf("incomplete deadline %+v", d)
		}
		if d.Due.String() == "2026-10-15" || (d.RolledOver && d.Counted.String() != "2026-10-15") {
			t.Fatalf("a due date on the holiday: %+v", d)
		}
	}
}

// TestAppraisal: score gives total, breakdown, grade and veto; rank applies
// the quota.
func TestAppraisal(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	veto := strings.Replace(scoreBody, `]}}`, `,{"item":"major_incident_veto","veto":{"decided_by":"county","date":"2024-06-20","reason":"fire","persons":[{"person":"p1","role":"principal_head"}]}}]}}`, 1)
	rec := call(t, s, "POST", "/v1/appraisal/score", adminKey, veto)
	var r struct {
		Scheme struct{ Name, Version, Tag string }
		Total  string
		Grade  struct {
			ID        string
			DecidedBy string `json:"decided_by"`
		}
		Vetoes []struct{ Imposed bool }
		Items  []struct {
			ID          string
			Explanation []struct{ Text string }
		}
		Explanation []struct{ Text string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &r); err != nil || rec.Code != 200 {
		t.Fatalf("%d %v %s", rec.Code, err, rec.Body)
	}
	if r.Scheme.Name != appraisal.PresetGenericUnit100 || r.Scheme.Version == "" || len(r.Vetoes) != 1 || !r.Vetoes[0].Imposed ||
		!strings.HasPrefix(r.Grade.DecidedBy, "veto:") || len(r.Items) == 0 || len(r.Explanation) == 0 {
		t.Fatalf("%+v", r)
	}
	// Five people under the 2020 rules: 20 % of 5 is one 优秀.
	var people []string
	for i, v := range []string{"95", "94", "93", "92", "91"} {
		people = append(people, fmt.Sprintf(`{"id":"s%d","inputs":[{"item":"routine","value":"%s"},{"item":"special_task","value":"%s"},{"item":"year_end","value":"%s"},{"item":"stability_work","value":"%s"}]}`, i+1, v, v, v, v))
	}
	rec = call(t, s, "POST", "/v1/appraisal/rank", adminKey, `{"preset":"annual_civil_servant","policy":"civil_servants_2020","run":{"year":2024},"people":[`+strings.Join(people, ",")+`]}`)
	var rk struct {
		Quota, Excellent int
		People           []struct{ ID, Grade string }
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &rk); err != nil || rec.Code != 200 {
		t.Fatalf("%d %v %s", rec.Code, err, rec.Body)
	}
	if rk.Quota != 1 || rk.Excellent != 1 || rk.People[0].Grade != "excellent" || rk.People[1].Grade == "excellent" {
		t.Fatalf("%+v", rk)
	}
}

// TestPresets lists exactly the presets the domain packages ship, each
// with a version and a law/practice tag.
func TestPresets(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	if rec := call(t, s, "GET", "/v1/presets", "", ""); rec.Code != 401 {
		t.Fatalf("without a key: %d", rec.Code)
	}
	rec := call(t, s, "GET", "/v1/presets", viewerKey, "")
	var res map[string][]struct{ Name, Version, Tag string }
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != 200 {
		t.Fatalf("%d %v %s", rec.Code, err, rec.Body)
	}
	for group, want := range map[string][]string{
		"risk_profiles":     riskeval.PresetNames(),
		"deadline_profiles": stability.PresetNames(),
		"appraisal_schemes": appraisal.PresetNames(),
		"staff_policies":    appraisal.StaffPolicyNames(),
	} {
		var got []string
		for _, p := range res[group] {
			got = append(got, p.Name)
			if p.Version == "" || (p.Tag != "law" && p.Tag != "practice") {
				t.Fatalf("%s %s: version %q tag %q", group, p.Name, p.Version, p.Tag)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("%s: %q, want %q", group, got, want)
		}
	}
}

// FuzzComputeBodies sends arbitrary bodies to every compute route: the
// answer is 200, 400 or 422, never a 500, and errors are problems.
func FuzzComputeBodies(f *testing.F) {
	for i, r := range computeRoutes {
		f.Add(uint8(i), r.valid)
		f.Add(uint8(i), r.dup)
		f.Add(uint8(i), r.wrong)
		f.Add(uint8(i), r.invalid)
	}
	f.Add(uint8(2), `{"regime":"x","factors":[{"weight":"1e999999"}]}`)
	f.Add(uint8(2), `{"profile":{"matrix":{"rows":[{"cells":["s"]}]}}}`)
	s := rest.New(rest.Config{}, rest.Deps{Auth: resAuth{}})
	f.Fuzz(func(t *testing.T, which uint8, body string) {
		path := computeRoutes[int(which)%len(computeRoutes)].path
		req := httptest.NewRequest("POST", path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Authorization", "Bearer "+adminKey)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		switch rec.Code {
		case 200:
		case 400, 422:
			if rec.Header().Get("Content-Type") != rest.MIMEProblem {
				t.Fatalf("%d without a problem body", rec.Code)
			}
		default:
			t.Fatalf("%s %q: %d %s", path, body, rec.Code, rec.Body)
		}
	})
}

// TestPresetsRefuseQuery: a query parameter the route does not take is a
// 400 naming it, as documented.
func TestPresetsRefuseQuery(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	rec := call(t, s, "GET", "/v1/presets?kind=risk", adminKey, "")
	if got := fields(t, rec); rec.Code != 400 || !slices.Equal(got, []string{"kind"}) {
		t.Fatalf("%d %q", rec.Code, got)
	}
}

// TestBadNumbersSayWhatIsExpected: a number where a whole number belongs,
// and a value that is not a decimal, are 400 problems that name the field
// and say what the value must look like, in the adapter's words rather than
// a library's.
func TestBadNumbersSayWhatIsExpected(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	for _, tc := range []struct {
		name, from, to, field string
		want                  []string
	}{
		{"fractional scale point", `"initial":{"probability":1,`, `"initial":{"probability":1.5,`, "factors[0].initial.probability", []string{"must be a whole number"}},
		{"fraction as weight", `"weight":"0.5"`, `"weight":"1/3"`, "factors[0].weight", []string{"1/3", "is not a decimal number", `"0.25"`}},
		{"exponent beyond the limit", `"weight":"0.5"`, `"weight":"1e-99999999"`, "factors[0].weight", []string{"is not a decimal number (", "exponent"}},
		{"letters as weight", `"weight":"0.5"`, `"weight":"half"`, "factors[0].weight", []string{"half", "is not a decimal number"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			body := strings.Replace(evaluateBody(2, ""), tc.from, tc.to, 1)
			if body == evaluateBody(2, "") {
				t.Fatalf("%s not found in the body", tc.from)
			}
			rec := call(t, s, "POST", "/v1/riskeval/evaluate", adminKey, body)
			if rec.Code != 400 {
				t.Fatalf("status %d, want 400: %s", rec.Code, rec.Body)
			}
			p := problemOf(t, rec)
			if len(p.Errors) != 1 || p.Errors[0].Field != tc.field {
				t.Fatalf("errors %+v, want one at %s", p.Errors, tc.field)
			}
			for _, w := range tc.want {
				if !strings.Contains(p.Errors[0].Message, w) {
					t.Errorf("message %q does not say %q", p.Errors[0].Message, w)
				}
			}
			if strings.Contains(p.Errors[0].Message, "error decoding string") {
				t.Errorf("message %q is the library's", p.Errors[0].Message)
			}
		})
	}
}
