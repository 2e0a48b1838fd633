package rest_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/ssra-go/ssra"
)

// followProbe reads the section on the measures' implementation of a
// report: whether it is shown, its heading, its rows' states, the
// elements of the section that reach past the text column, and the
// page's width.
const followProbe = `(() => {
  const s = document.querySelector('section.follow-through');
  if (!s) return JSON.stringify({shown: false});
  const body = document.body, cs = getComputedStyle(body);
  const colRight = body.getBoundingClientRect().right - parseFloat(cs.paddingRight);
  const over = [];
  for (const el of [s, ...s.querySelectorAll('*')]) {
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > colRight + 0.5) over.push(el.tagName.toLowerCase() + ': ' + (el.textContent || '').slice(0, 40));
  }
  const r = s.getBoundingClientRect();
  return JSON.stringify({shown: r.height > 0 && getComputedStyle(s).display !== 'none',
    heading: s.querySelector('h2').innerText,
    states: [...s.querySelectorAll('tbody tr')].map(tr => tr.dataset.state),
    over, scroll: document.documentElement.scrollWidth});
})()`

// TestTrackedReportInBrowser opens, in headless Chromium, the HTML report
// that GET /v1/assessments/{id}/report serves for an issued assessment
// whose measures are tracked: the section on their implementation
// (措施落实情况) is shown with one row per measure in its state at the
// server's today (M2 verified, M1 overdue), nothing in it reaches past the
// text column, the page does not scroll sideways, and axe-core finds no
// serious or critical WCAG 2.1 AA violation, in Chinese and in English.
func TestTrackedReportInBrowser(t *testing.T) {
	b := newBrowserTab(t)
	f := newFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	aid, did := decidedWithMeasures(t, f, orgA, orgB, "2026-12-31")
	id := f.call(t, "POST", "/v1/decisions/"+did+"/tracking", keyOf(orgA, ssra.RoleDecisionMaker), nil).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/trackings/"+id+"/complete", keyOf(orgB, ssra.RoleCaseworker),
		map[string]any{"measure": "M2", "note": "installed", "evidence": []any{map[string]any{"title": "test report"}}}, "If-Match", etagOf(1)).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/trackings/"+id+"/verify", keyOf(orgA, ssra.RoleReviewer), map[string]any{"measure": "M2", "note": "on site"}, "If-Match", etagOf(2)).must(t, http.StatusOK)
	f.clock.Advance(70 * 24 * time.Hour) // 2027-01-11: M1 is overdue

	b.run(t, "authenticate", network.SetExtraHTTPHeaders(network.Headers{"Authorization": "Bearer " + keyOf(orgA, ssra.RoleViewer)}))
	for _, c := range []struct{ lang, heading string }{{"zh-CN", "九、措施落实情况"}, {"en", "9. Implementation of the measures"}} {
		var raw string
		b.run(t, "open the report ("+c.lang+")", chromedp.EmulateViewport(1240, 1754),
			chromedp.Navigate(ts.URL+"/v1/assessments/"+aid+"/report?lang="+c.lang),
			chromedp.WaitReady("body", chromedp.ByQuery),
			chromedp.Evaluate(followProbe, &raw))
		var got struct {
			Shown   bool
			Heading string
			States  []string
			Over    []string
			Scroll  int64
		}
		if err := json.Unmarshal([]byte(raw), &got); err != nil {
			t.Fatalf("%s: %v (%s)", c.lang, err, raw)
		}
		if !got.Shown || got.Heading != c.heading {
			t.Errorf("%s: section shown %v with heading %q, want %q", c.lang, got.Shown, got.Heading, c.heading)
		}
		if strings.Join(got.States, ",") != "overdue,verified" && strings.Join(got.States, ",") != "verified,overdue" {
			t.Errorf("%s: rows in states %v, want M1 overdue and M2 verified", c.lang, got.States)
		}
		for _, o := range got.Over {
			t.Errorf("%s: reaches past the text column: %s", c.lang, o)
		}
		if got.Scroll > 1240 {
			t.Errorf("%s: the report is %d px wide at a 1240 px viewport", c.lang, got.Scroll)
		}
		b.accessibility(t, "tracked report "+c.lang)
		b.screenshot(t, "tracked-report-"+c.lang, 1240)
	}
}
