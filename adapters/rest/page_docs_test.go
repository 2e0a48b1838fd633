package rest_test

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/chromedp"

	"github.com/ssra-go/ssra/adapters/rest"
)

// TestDocsInBrowser loads /docs in headless Chromium without a key and
// checks that Swagger UI, served from the binary, lists every route of the
// OpenAPI document, that no request leaves the server and that the page's
// policy refused nothing the renderer needs.
func TestDocsInBrowser(t *testing.T) {
	b := newBrowserTab(t)
	f := newFixture(t)
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	var policyErrors []string
	chromedp.ListenTarget(b.ctx, func(ev any) {
		if e, ok := ev.(*log.EventEntryAdded); ok && strings.Contains(e.Entry.Text, "Content Security Policy") {
			b.mu.Lock()
			policyErrors = append(policyErrors, e.Entry.Text)
			b.mu.Unlock()
		}
	})
	var listed []string
	b.run(t, "load /docs", log.Enable(), chromedp.Navigate(ts.URL+"/docs"),
		chromedp.WaitVisible(".opblock", chromedp.ByQuery),
		chromedp.Evaluate(`Array.from(document.querySelectorAll(".opblock")).map(e =>
			e.querySelector(".opblock-summary-method").textContent.trim() + " " +
			e.querySelector(".opblock-summary-path").getAttribute("data-path"))`, &listed))
	b.screenshot(t, "docs-1280", 1280)

	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	raw, err := rest.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	var want []string
	for p, item := range doc.Paths {
		for m := range item {
			switch m {
			case "get", "post", "put", "patch", "delete":
				want = append(want, strings.ToUpper(m)+" "+p)
			}
		}
	}
	sort.Strings(want)
	sort.Strings(listed)
	if strings.Join(listed, "\n") != strings.Join(want, "\n") {
		t.Errorf("the page lists %d routes, the document has %d:\npage:\n%s\ndocument:\n%s",
			len(listed), len(want), strings.Join(listed, "\n"), strings.Join(want, "\n"))
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, u := range b.urls {
		if !strings.HasPrefix(u, ts.URL+"/") && !strings.HasPrefix(u, "data:") {
			t.Errorf("the page requested %s, outside the server", u)
		}
	}
	if len(policyErrors) > 0 {
		t.Errorf("the page's policy refused: %s", strings.Join(policyErrors, "\n"))
	}
	if len(b.docs) == 0 || !strings.Contains(b.docs[0].Get("Content-Security-Policy"), "script-src 'self'") {
		t.Errorf("the docs page's policy: %v", b.docs)
	}
}

// TestDocsAssetsArePinned holds the embedded renderer to the files of its
// pinned npm package (web/vendor.sh): an edited or swapped file fails here.
func TestDocsAssetsArePinned(t *testing.T) {
	for file, sum := range map[string]string{
		"web/assets/swagger-ui-bundle.js": "e6a898692f2d768e807c3ba4626068a69a2c5dd960dd6c76f3e4d3a3de180af2",
		"web/assets/swagger-ui.css":       "5ed08757e53da3e026d6cbecc61fe5d43585c9560b302d534ad56692519a273d",
		"testdata/axe.min.js":             "29348999450cdf2849a8e70b7912fc2da85a849da39c0d0d5394f51d4a9ed95c",
	} {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if got := sha256.Sum256(b); hex.EncodeToString(got[:]) != sum {
			t.Errorf("%s: sha256 %x, want %s (the pinned package's file)", file, got, sum)
		}
	}
	f := newFixture(t)
	for path, ct := range map[string]string{"/assets/swagger-ui-bundle.js": "text/javascript", "/assets/swagger-ui.css": "text/css",
		"/assets/status.css": "text/css", "/assets/docs.js": "text/javascript"} {
		r := f.page(t, "GET", path, nil)
		if r.Code != http.StatusOK || !strings.HasPrefix(r.Header().Get("Content-Type"), ct) {
			t.Errorf("%s: %d %s", path, r.Code, r.Header().Get("Content-Type"))
		}
	}
	for _, path := range []string{"/assets/..%2fpage.go", "/assets/nothing.js", "/assets/.hidden"} {
		if r := f.page(t, "GET", path, nil); r.Code != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", path, r.Code)
		}
	}
	if r := f.page(t, "GET", "/docs", nil); r.Code != http.StatusOK || !strings.Contains(r.Body.String(), "/assets/swagger-ui-bundle.js") {
		t.Errorf("/docs without a key: %d", r.Code)
	}
}
