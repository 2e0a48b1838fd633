package rest_test

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
)

// TestReportZone: a report states its generation time in China Standard
// Time unless the server is configured with another zone.
func TestReportZone(t *testing.T) {
	for _, tc := range []struct {
		loc  *time.Location
		want string
	}{
		{nil, "2026-11-02 17:00:00 (China Standard Time)"},
		{time.UTC, "2026-11-02 09:00:00 (UTC+00:00)"},
		{time.FixedZone("", -5*3600), "2026-11-02 04:00:00 (UTC-05:00)"},
	} {
		f := newFixtureWith(t, rest.Config{AuthFailureLimit: -1, ReportLocation: tc.loc})
		a := keyOf(orgA, ssra.RoleAssessor)
		id := f.call(t, "POST", "/v1/assessments", a, assessmentJSON("ndrc2012_project", 2, 2)).must(t, 201).str("id")
		md := f.call(t, "GET", "/v1/assessments/"+id+"/report?format=md&lang=en", a, nil).must(t, 200)
		if !strings.Contains(md.raw, tc.want) {
			t.Errorf("zone %v: the report lacks %q", tc.loc, tc.want)
		}
	}
}

func TestAssessmentReport(t *testing.T) {
	f := newFixture(t)
	a := keyOf(orgA, ssra.RoleAssessor)
	id := f.call(t, "POST", "/v1/assessments", a, assessmentJSON("ndrc2012_project", 2, 2)).must(t, 201).str("id")

	// A draft is reported from a fresh evaluation.
	html := f.call(t, "GET", "/v1/assessments/"+id+"/report", a, nil).must(t, 200)
	if ct := html.hdr.Get("Content-Type"); ct != "text/html; charset=utf-8" {
		t.Fatalf("content type %q", ct)
	}
	if !strings.Contains(html.raw, "district heating plant") || strings.Contains(html.raw, "<script") {
		t.Fatalf("html report: %.300s", html.raw)
	}
	if html.hdr.Get("Cache-Control") != "no-store" || html.hdr.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("headers %v", html.hdr)
	}
	md := f.call(t, "GET", "/v1/assessments/"+id+"/report?format=md&lang=en", a, nil).must(t, 200)
	if !strings.HasPrefix(md.hdr.Get("Content-Type"), "text/markdown") || !strings.Contains(md.raw, "approve with measures") {
		t.Fatalf("markdown report: %.400s", md.raw)
	}
	svg := f.call(t, "GET", "/v1/assessments/"+id+"/heatmap.svg?lang=en", a, nil).must(t, 200)
	if svg.hdr.Get("Content-Type") != "image/svg+xml" {
		t.Fatalf("svg content type %q", svg.hdr.Get("Content-Type"))
	}
	if err := xml.Unmarshal([]byte(svg.raw), new(struct{})); err != nil {
		t.Fatalf("heat map is not well-formed XML: %v", err)
	}

	// The tornado chart: one bar per factor, in the language asked; the
	// report shows the same chart and the margin.
	for _, lang := range []string{"en", "zh-CN"} {
		tor := f.call(t, "GET", "/v1/assessments/"+id+"/tornado.svg?lang="+lang, a, nil).must(t, 200)
		if tor.hdr.Get("Content-Type") != "image/svg+xml" || tor.hdr.Get("Cache-Control") != "no-store" {
			t.Fatalf("tornado headers %v", tor.hdr)
		}
		if err := xml.Unmarshal([]byte(tor.raw), new(struct{})); err != nil {
			t.Fatalf("tornado chart is not well-formed XML: %v", err)
		}
		title := map[string]string{"en": "Sensitivity tornado chart", "zh-CN": "敏感性分析龙卷风图"}[lang]
		if !strings.Contains(tor.raw, `aria-label="`+title+`"`) || strings.Count(tor.raw, `<g class="bar"`) != 2 {
			t.Fatalf("tornado chart (%s): %.400s", lang, tor.raw)
		}
	}
	if !strings.Contains(html.raw, `class="ssra-tornado"`) || !strings.Contains(html.raw, `<p class="margin">`) {
		t.Fatalf("the html report has no tornado chart or margin")
	}
	if r := f.call(t, "GET", "/v1/assessments/"+id+"/tornado.svg?lang=fr", a, nil).must(t, 400); len(r.errorFields()) != 1 || r.errorFields()[0] != "lang" {
		t.Fatalf("tornado lang=fr: %v", r.errorFields())
	}

	// Bad parameters name themselves; another organisation sees nothing.
	for _, tc := range []struct{ query, field string }{
		{"?format=pdf", "format"}, {"?lang=fr", "lang"}, {"?page=2", "page"},
	} {
		r := f.call(t, "GET", "/v1/assessments/"+id+"/report"+tc.query, a, nil).must(t, 400)
		if got := r.errorFields(); len(got) != 1 || got[0] != tc.field {
			t.Errorf("%s: fields %v", tc.query, got)
		}
	}
	f.call(t, "GET", "/v1/assessments/"+id+"/report", keyOf(orgB, ssra.RoleAssessor), nil).must(t, 404)
	f.call(t, "GET", "/v1/assessments/"+id+"/heatmap.svg", keyOf(orgB, ssra.RoleViewer), nil).must(t, 404)
	f.call(t, "GET", "/v1/assessments/"+id+"/tornado.svg", keyOf(orgB, ssra.RoleViewer), nil).must(t, 404)
	f.call(t, "GET", "/v1/assessments/"+id+"/report", "", nil).must(t, 401)
	f.call(t, "GET", "/v1/assessments/nope/report", a, nil).must(t, 404)
}

// errorFields lists the fields of a problem's errors.
func (r reply) errorFields() []string {
	var out []string
	errs, _ := r.body["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		out = append(out, m["field"].(string))
	}
	return out
}
