package rest_test

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ssra-go/ssra"
)

// axeSource is axe-core's browser build, vendored from its npm package
// (web/vendor.sh pins the version).
//
//go:embed testdata/axe.min.js
var axeSource string

// chromiumPath finds Debian's chromium: CI must have it; elsewhere the
// browser checks skip.
func chromiumPath(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("chromium")
	if err != nil && os.Getenv("CI") == "true" {
		t.Fatal("chromium is not on PATH but CI=true: .ci/run must install the Debian packages chromium and fonts-noto-cjk")
	}
	if err != nil {
		t.Skip("chromium is not on PATH: skipping the browser check")
	}
	if testing.Short() {
		t.Skip("browser check skipped in -short mode")
	}
	return p
}

// browserTab is a headless Chromium tab that records every URL it requests
// and the headers of every page (document) it loads.
type browserTab struct {
	ctx   context.Context
	mu    sync.Mutex
	urls  []string
	posts []string
	docs  []http.Header
}

func newBrowserTab(t *testing.T) *browserTab {
	t.Helper()
	chromium := chromiumPath(t)
	// Chromium's helpers may still write to the profile while the test's
	// own temporary directory is removed: the profile is removed here,
	// best effort.
	profile, err := os.MkdirTemp("", "ssra-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(profile) })
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(profile), chromedp.WindowSize(1280, 900),
		// A browser set to Chinese, as most complainants' phones are.
		chromedp.Flag("accept-lang", "zh-CN,zh"), chromedp.Flag("lang", "zh-CN"))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 5*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelCtx(); cancelAlloc() })
	b := &browserTab{ctx: ctx}
	chromedp.ListenTarget(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *network.EventRequestWillBeSent:
			b.urls = append(b.urls, e.Request.URL)
			for _, entry := range e.Request.PostDataEntries {
				b.posts = append(b.posts, entry.Bytes)
			}
		case *network.EventResponseReceived:
			if e.Type == network.ResourceTypeDocument {
				h := http.Header{}
				for k, v := range e.Response.Headers {
					h.Set(k, fmt.Sprint(v))
				}
				b.docs = append(b.docs, h)
			}
		}
	})
	if err := chromedp.Run(ctx, network.Enable()); err != nil {
		t.Fatalf("chromium does not start: %v", err)
	}
	return b
}

// submit clicks a form's button and waits for the page that answers: the
// old page is marked first, so that waiting cannot end on it.
func (b *browserTab) submit(button string) chromedp.Action {
	return chromedp.ActionFunc(func(ctx context.Context) error {
		return chromedp.Run(ctx,
			chromedp.Evaluate(`document.body.dataset.old = "1"`, nil),
			chromedp.Click(button, chromedp.ByQuery),
			chromedp.WaitReady(`body:not([data-old])`, chromedp.ByQuery))
	})
}

func (b *browserTab) run(t *testing.T, what string, actions ...chromedp.Action) {
	t.Helper()
	if err := chromedp.Run(b.ctx, actions...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// text is the visible text of the page's main element.
func (b *browserTab) text(t *testing.T) string {
	t.Helper()
	var s string
	b.run(t, "read the page", chromedp.Text("main", &s, chromedp.ByQuery))
	return strings.Join(strings.Fields(s), " ")
}

// screenshot takes a full-page screenshot at the width, checks that it is a
// PNG that is not blank and that nothing overflows the width, and keeps it
// under SSRA_SCREENSHOTS when that is set.
func (b *browserTab) screenshot(t *testing.T, name string, width int64) {
	t.Helper()
	var shot []byte
	var scroll int64
	b.run(t, "screenshot "+name,
		chromedp.EmulateViewport(width, 800),
		chromedp.FullScreenshot(&shot, 100),
		chromedp.Evaluate(`document.documentElement.scrollWidth`, &scroll))
	img, err := png.Decode(bytes.NewReader(shot))
	if err != nil {
		t.Fatalf("%s: the screenshot is not a PNG: %v", name, err)
	}
	if got := img.Bounds().Dx(); got != int(width) {
		t.Errorf("%s: screenshot %d px wide, want %d", name, got, width)
	}
	if scroll > width {
		t.Errorf("%s: the page is %d px wide at a %d px viewport (horizontal scrolling)", name, scroll, width)
	}
	seen := map[uint32]bool{}
	for x := 0; x < img.Bounds().Dx(); x += 7 {
		for y := 0; y < img.Bounds().Dy(); y += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[r>>8<<16|g>>8<<8|bl>>8] = true
		}
	}
	if len(seen) < 3 {
		t.Errorf("%s: the screenshot is blank (%d colours)", name, len(seen))
	}
	if dir := os.Getenv("SSRA_SCREENSHOTS"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".png"), shot, 0o644); err != nil {
			t.Error(err)
		}
	}
}

// axeViolation is one finding of axe-core.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  int    `json:"nodes"`
}

// accessibility runs axe-core's WCAG 2.1 A and AA rules on the page and
// fails on any serious or critical violation. axe is injected through the
// DevTools protocol, which the page's policy does not govern.
func (b *browserTab) accessibility(t *testing.T, name string) {
	t.Helper()
	var vs []axeViolation
	b.run(t, "axe-core on "+name,
		chromedp.Evaluate(axeSource, nil),
		chromedp.Evaluate(`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
			.then(r => r.violations.map(v => ({id: v.id, impact: v.impact || "", help: v.help, nodes: v.nodes.length})))`, &vs,
			func(p *runtime.EvaluateParams) *runtime.EvaluateParams { return p.WithAwaitPromise(true) }))
	for _, v := range vs {
		if v.Impact == "serious" || v.Impact == "critical" {
			t.Errorf("%s: accessibility violation %s (%s, %d nodes): %s", name, v.ID, v.Impact, v.Nodes, v.Help)
		} else {
			t.Logf("%s: minor accessibility finding %s (%s): %s", name, v.ID, v.Impact, v.Help)
		}
	}
}

// TestStatusPageInBrowser is the complainant's visit on a phone and on a
// desktop: the form filled with a real reference and code, the page read,
// one rating and a second one, screenshots at 360 and 1280 px, the policy
// of every page, no code in any URL the browser asked for, and axe-core's
// WCAG 2.1 AA check.
func TestStatusPageInBrowser(t *testing.T) {
	b := newBrowserTab(t)
	f := newFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	id, ref, code := answeredComplaint(t, f)

	b.run(t, "open the form", chromedp.EmulateViewport(360, 800), chromedp.Navigate(ts.URL+"/status/complaint"),
		chromedp.WaitVisible("#reference", chromedp.ByID))
	b.accessibility(t, "form")
	b.screenshot(t, "status-form-360", 360)
	b.run(t, "fill the form",
		chromedp.SendKeys("#reference", ref, chromedp.ByID),
		chromedp.SendKeys("#code", code, chromedp.ByID),
		b.submit(`main form button[type="submit"]`),
		chromedp.WaitVisible("#h-result", chromedp.ByID))
	text := b.text(t)
	for _, want := range []string{ref, "已出具处理意见", "法定期限", "依据", "复查", "本事项的复查请求期限至", "满意度评价"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page does not say %q:\n%s", want, text)
		}
	}
	b.accessibility(t, "status")
	b.screenshot(t, "status-360", 360)
	b.screenshot(t, "status-1280", 1280)

	rate := func(value string) string {
		b.run(t, "rate "+value,
			chromedp.Click("#rating-"+value, chromedp.ByID),
			b.submit(`section[aria-labelledby="h-rate"] button[type="submit"]`))
		return b.text(t)
	}
	if got := rate("basically_satisfied"); !strings.Contains(got, "您的评价已记录") {
		t.Errorf("first rating: %s", got)
	}
	// The second rating is handled by the status check's own rule (the
	// domain's Rate): recorded, and the case's latest rating is the second.
	if got := rate("dissatisfied"); !strings.Contains(got, "您的评价已记录") {
		t.Errorf("second rating: %s", got)
	}
	b.accessibility(t, "status after rating")
	ratings := f.call(t, "GET", "/v1/complaints/"+id, keyOf(orgA, ssra.RoleCaseworker), nil).must(t, http.StatusOK)
	var rs []struct {
		Rating string `json:"rating"`
	}
	if err := json.Unmarshal([]byte(ratings.str("data", "ratings")), &rs); err != nil || len(rs) == 0 || rs[len(rs)-1].Rating != "dissatisfied" {
		t.Errorf("after two ratings the case holds %s, want the latest to be dissatisfied", ratings.str("data", "ratings"))
	}

	// The language switch keeps the case on screen.
	b.run(t, "switch to English", b.submit(`header form.switch button`))
	if en := b.text(t); !strings.Contains(en, "For this case the review must be requested by") {
		t.Errorf("English page: %s", en)
	}
	b.accessibility(t, "status en")
	b.screenshot(t, "status-en-1280", 1280)
	b.screenshot(t, "status-en-360", 360)

	// A dispute party's visit.
	_, dref, dcode := agreedDispute(t, f)
	b.run(t, "dispute form", chromedp.Navigate(ts.URL+"/status/dispute"), chromedp.WaitVisible("#reference", chromedp.ByID),
		chromedp.SendKeys("#reference", dref, chromedp.ByID), chromedp.SendKeys("#code", dcode, chromedp.ByID),
		b.submit(`main form button[type="submit"]`), chromedp.WaitVisible("#h-result", chromedp.ByID))
	if d := b.text(t); !strings.Contains(d, "已达成调解协议") || !strings.Contains(d, "司法确认") {
		t.Errorf("dispute page: %s", d)
	}
	b.accessibility(t, "dispute status")
	b.screenshot(t, "dispute-status-360", 360)
	b.screenshot(t, "dispute-status-1280", 1280)

	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range b.urls {
		if strings.Contains(u, code) || strings.Contains(u, dcode) {
			t.Errorf("a requested URL carries the query code: %s", u)
		}
	}
	if len(b.docs) < 6 {
		t.Fatalf("%d pages loaded, want at least 6", len(b.docs))
	}
	for _, h := range b.docs {
		csp := h.Get("Content-Security-Policy")
		if !strings.Contains(csp, "default-src 'none'") || strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe-") {
			t.Errorf("page policy %q: want default-src 'none', no script, nothing unsafe", csp)
		}
	}
}
