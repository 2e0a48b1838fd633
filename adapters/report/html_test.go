package report_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
)

// checkHTMLStructure parses the page and checks that it is self-contained
// and safe: no scripts, no external resources, no event handlers.
func checkHTMLStructure(t *testing.T, page string) *html.Node {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "link", "img", "iframe", "object", "embed", "base", "form", "foreignObject", "image":
				t.Errorf("element <%s> in a self-contained report", n.Data)
			case "style":
				if n.FirstChild != nil {
					css := strings.ToLower(n.FirstChild.Data)
					if strings.Contains(css, "url(") || strings.Contains(css, "@import") || strings.Contains(css, "@font-face") {
						t.Error("the style sheet loads external resources")
					}
				}
			}
			for _, a := range n.Attr {
				k, v := strings.ToLower(a.Key), strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(k, "on") {
					t.Errorf("event handler %s on <%s>", a.Key, n.Data)
				}
				if (k == "src" || k == "href" || k == "xlink:href" || k == "action") &&
					(strings.HasPrefix(v, "http:") || strings.HasPrefix(v, "https:") || strings.HasPrefix(v, "//") || strings.HasPrefix(v, "javascript:")) {
					t.Errorf("external reference %s=%q on <%s>", a.Key, a.Val, n.Data)
				}
				if k == "style" && strings.Contains(v, "url(") {
					t.Errorf("style attribute with url() on <%s>", n.Data)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return doc
}

func find(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if match(n) {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, find(c, match)...)
	}
	return out
}

func text(n *html.Node) string {
	var b strings.Builder
	for _, t := range find(n, func(x *html.Node) bool { return x.Type == html.TextNode }) {
		b.WriteString(t.Data)
	}
	return b.String()
}

func TestHTMLIsSelfContainedAndPrintReady(t *testing.T) {
	for _, lang := range []ssra.Lang{ssra.LangZH, ssra.LangEN} {
		t.Run(lang.String(), func(t *testing.T) {
			in := plantInput(t, "textbook5x5", lang)
			var b bytes.Buffer
			if err := report.HTML(&b, in); err != nil {
				t.Fatal(err)
			}
			page := b.String()
			checkXML(t, page)
			doc := checkHTMLStructure(t, page)
			if strings.Contains(page, "http://") && strings.Count(page, "http://") != strings.Count(page, `xmlns="http://www.w3.org/2000/svg"`) {
				t.Error("the page names an http:// address other than the SVG namespace")
			}
			if strings.Contains(page, "https://") {
				t.Error("the page names an https:// address")
			}
			htmlEl := find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "html" })[0]
			if got := attr(htmlEl, "lang"); got != lang.String() {
				t.Errorf("lang attribute %q, want %q", got, lang)
			}
			for _, css := range []string{"size: A4", "break-before: page", "display: table-header-group", `"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei"`, "sans-serif"} {
				if !strings.Contains(page, css) {
					t.Errorf("style lacks %q", css)
				}
			}
			// The outline: eight sections and two appendices, each major
			// section after the first on a new page.
			h2 := find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "h2" })
			if got, want := len(h2), 10; got != want {
				t.Fatalf("%d h2 headings, want %d", got, want)
			}
			major := find(doc, func(n *html.Node) bool {
				return n.Type == html.ElementNode && n.Data == "section" && strings.Contains(attr(n, "class"), "major")
			})
			if got, want := len(major), 8; got != want {
				t.Errorf("%d sections start a new page, want %d", got, want)
			}
			svgs := find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "svg" })
			if got, want := len(svgs), 2; got != want {
				t.Errorf("%d inline SVG charts, want %d", got, want)
			}
			for _, th := range find(doc, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "table" }) {
				if rows := find(th, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "tr" }); len(rows) > 3 &&
					len(find(th, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data == "thead" })) == 0 &&
					!strings.Contains(attr(th, "class"), "kv") {
					t.Errorf("table with %d rows has no thead to repeat across pages", len(rows))
				}
			}
			body := text(doc)
			profile := in.Result.Profile.Name
			if lang == ssra.LangZH {
				// The Chinese reader gets the profile's title, not its id.
				profile = in.Profile.Title().ZH
			}
			for _, want := range []string{profile, in.Result.Profile.Version, "2026-11-27 09:30:00",
				in.Result.Residual.Index.StringFixed(6), in.Result.Decision.Outcome.Label(lang), in.Assessment.Subject.Name} {
				if !strings.Contains(body, want) {
					t.Errorf("page text lacks %q", want)
				}
			}
			for _, s := range in.Result.ExplainIn(lang) {
				if lang == ssra.LangZH && s.Key == "profile" {
					// Replaced by the profile's title (the step names its id).
					continue
				}
				if !strings.Contains(body, s.Text) {
					t.Errorf("explanation step %s missing", s.Key)
				}
			}
			for _, w := range in.Result.Warnings {
				// The Chinese report says a finding in words (see
				// TestWarningsAppendixInWords).
				if lang == ssra.LangEN && !strings.Contains(body, w.Code) {
					t.Errorf("warning %s missing", w.Code)
				}
			}
			if m := regexp.MustCompile(`![a-z0-9_]+!`).FindString(body); m != "" {
				t.Errorf("fixed text %s has no label", m)
			}
		})
	}
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}
