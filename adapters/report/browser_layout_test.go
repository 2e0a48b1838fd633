package report_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/internal/sample"
)

// layoutProbe runs in the page and returns what the layout checks read:
// every element that reaches past the text column, the score chart's bars
// and legend swatches, the heat map's arrows, and the page's text.
const layoutProbe = `(() => {
  const body = document.body, cs = getComputedStyle(body);
  const colRight = body.getBoundingClientRect().right - parseFloat(cs.paddingRight);
  const over = [];
  for (const el of body.querySelectorAll('*')) {
    if (el.closest('svg') && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (r.width > 0 && r.right > colRight + 0.5) {
      over.push({tag: el.tagName.toLowerCase(), text: (el.textContent || '').slice(0, 60), by: r.right - colRight});
    }
  }
  const swatches = [...document.querySelectorAll('svg.ssra-scores [data-series]')].map(e => ({
    series: e.getAttribute('data-series'), legend: e.closest('.legend') !== null,
    fill: e.getAttribute('fill'), opacity: e.getAttribute('fill-opacity') || '1'}));
  const arrows = [...document.querySelectorAll('svg.ssra-heatmap g.moves line')].map(l =>
    ['x1','y1','x2','y2'].map(a => parseFloat(l.getAttribute(a))));
  const svgText = [...document.querySelectorAll('svg text, svg title')].map(t => t.textContent).join('\n');
  const tornado = [...document.querySelectorAll('svg.ssra-tornado g.bar')].map(g => {
    const r = g.getBoundingClientRect();
    return {factor: g.getAttribute('data-factor'), swing: parseFloat(g.getAttribute('data-swing')), top: r.top, width: r.width};
  });
  const lines = [...document.querySelectorAll('svg.ssra-tornado line.threshold, svg.ssra-tornado line.index')].map(l => {
    const r = l.getBoundingClientRect();
    return {cls: l.getAttribute('class'), height: r.height};
  });
  return JSON.stringify({over, swatches, arrows, tornado, lines, text: body.innerText + '\n' + svgText});
})()`

type layoutFacts struct {
	Over []struct {
		Tag, Text string
		By        float64
	}
	Swatches []struct {
		Series, Fill, Opacity string
		Legend                bool
	}
	Arrows  [][4]float64
	Tornado []struct {
		Factor            string
		Swing, Top, Width float64
	}
	Lines []struct {
		Cls    string
		Height float64
	}
	Text string
}

// TestBrowserReportLayout opens the HTML report of the plant, with its
// measures tracked after approval, in headless Chromium, in both languages and under both shipped profiles, and checks
// what a reader sees: no element reaches past the text column, every bar
// of the score chart has a legend swatch of its colour in its series, no
// two heat-map arrows run over each other, the tornado chart of the
// sensitivity analysis (the input of examples/report) shows every factor
// sorted by swing with its threshold and index lines, and the Chinese
// report shows no
// Latin-letter identifier outside the text the assessment's authors
// entered.
func TestBrowserReportLayout(t *testing.T) {
	chromium := chromiumPath(t)
	profile, err := os.MkdirTemp("", "ssra-chromium-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.RemoveAll(profile) })
	opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(chromium), chromedp.NoSandbox,
		chromedp.DisableGPU, chromedp.UserDataDir(profile), chromedp.WindowSize(1240, 1754))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelCtx(); cancelAlloc() })

	dir := t.TempDir()
	for _, preset := range []string{"practice", "textbook5x5"} {
		for _, lang := range []ssra.Lang{ssra.LangZH, ssra.LangEN} {
			name := preset + "." + lang.String()
			t.Run(name, func(t *testing.T) {
				var b bytes.Buffer
				// The report of an issued assessment whose measures are
				// tracked: the section on their implementation is laid out too.
				in := withSensitivity(t, trackedPlantInput(t, preset, lang))
				if err := report.HTML(&b, in); err != nil {
					t.Fatal(err)
				}
				page := filepath.Join(dir, name+".html")
				if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				var raw string
				if err := chromedp.Run(ctx, chromedp.Navigate("file://"+page), chromedp.Evaluate(layoutProbe, &raw)); err != nil {
					t.Fatalf("chromium: %v", err)
				}
				var got layoutFacts
				if err := json.Unmarshal([]byte(raw), &got); err != nil {
					t.Fatal(err)
				}
				for _, o := range got.Over {
					t.Errorf("<%s> reaches %.1f px past the text column: %q", o.Tag, o.By, o.Text)
				}
				if heading := map[ssra.Lang]string{ssra.LangZH: "九、措施落实情况", ssra.LangEN: "9. Implementation of the measures"}[lang]; !strings.Contains(got.Text, heading) {
					t.Errorf("the page shows no section %q", heading)
				}
				checkLegend(t, got)
				checkArrows(t, got.Arrows)
				checkTornadoShown(t, got, len(in.Result.Factors), lang)
				if lang == ssra.LangZH {
					checkNoLatinIDs(t, got.Text)
				}
			})
		}
	}
}

// checkLegend holds that each bar's colour is a legend swatch of its series.
func checkLegend(t *testing.T, f layoutFacts) {
	t.Helper()
	legend := map[string]bool{}
	bars := 0
	for _, s := range f.Swatches {
		if s.Legend {
			legend[s.Series+" "+s.Fill+" "+s.Opacity] = true
		}
	}
	for _, s := range f.Swatches {
		if s.Legend {
			continue
		}
		bars++
		if !legend[s.Series+" "+s.Fill+" "+s.Opacity] {
			t.Errorf("a %s bar is coloured %s (opacity %s), a colour the legend does not show for that series", s.Series, s.Fill, s.Opacity)
		}
	}
	if bars == 0 || len(legend) == 0 {
		t.Errorf("the score chart has %d bars and %d legend swatches marked with data-series", bars, len(legend))
	}
}

// checkTornadoShown holds that the tornado chart shows one bar per factor,
// stacked top to bottom by swing, widest first, each bar as wide as its
// swing is large relative to the others, with its two threshold lines and
// the index line drawn across the bars, and its title on the page.
func checkTornadoShown(t *testing.T, f layoutFacts, factors int, lang ssra.Lang) {
	t.Helper()
	if got := len(f.Tornado); got != factors {
		t.Fatalf("the tornado chart shows %d bars, want %d", got, factors)
	}
	for k := 1; k < len(f.Tornado); k++ {
		a, b := f.Tornado[k-1], f.Tornado[k]
		if b.Top <= a.Top || b.Swing > a.Swing {
			t.Errorf("tornado bar %s (swing %g, top %.1f) follows %s (swing %g, top %.1f)", b.Factor, b.Swing, b.Top, a.Factor, a.Swing, a.Top)
		}
	}
	// A bar's rendered box holds its bar and both value labels: wider
	// swings never give narrower bars by more than the labels' play.
	first, last := f.Tornado[0], f.Tornado[len(f.Tornado)-1]
	if first.Swing > last.Swing && first.Width <= last.Width {
		t.Errorf("the widest swing (%s, %g) is drawn %.1f px wide, the narrowest (%s, %g) %.1f px", first.Factor, first.Swing, first.Width, last.Factor, last.Swing, last.Width)
	}
	thresholds, index := 0, 0
	span := last.Top - first.Top
	for _, l := range f.Lines {
		if l.Height < span {
			t.Errorf("the tornado's %s line is %.1f px high, the bars span %.1f px", l.Cls, l.Height, span)
		}
		if l.Cls == "threshold" {
			thresholds++
		} else {
			index++
		}
	}
	if thresholds != 2 || index != 1 {
		t.Errorf("the tornado chart draws %d threshold lines and %d index lines, want 2 and 1", thresholds, index)
	}
	if title := map[ssra.Lang]string{ssra.LangZH: "敏感性分析龙卷风图", ssra.LangEN: "Tornado chart"}[lang]; !strings.Contains(f.Text, title) {
		t.Errorf("the page shows no caption %q", title)
	}
}

// checkArrows holds that no two arrows share a stretch of their length:
// a point of one within 2.5 px of the other along more than a fifth of it.
func checkArrows(t *testing.T, arrows [][4]float64) {
	t.Helper()
	if len(arrows) == 0 {
		t.Error("the heat map has no arrows")
	}
	for i := range arrows {
		for j := range arrows {
			if i == j {
				continue
			}
			a, b := arrows[i], arrows[j]
			const n = 40
			near := 0
			for k := 0; k <= n; k++ {
				x := a[0] + (a[2]-a[0])*float64(k)/n
				y := a[1] + (a[3]-a[1])*float64(k)/n
				if segDist(x, y, b) < 2.5 {
					near++
				}
			}
			if near > n/5 {
				t.Errorf("arrows %v and %v run over each other (%d of %d points within 2.5 px)", a, b, near, n+1)
			}
		}
	}
}

func segDist(x, y float64, s [4]float64) float64 {
	dx, dy := s[2]-s[0], s[3]-s[1]
	l2 := dx*dx + dy*dy
	u := 0.0
	if l2 > 0 {
		u = math.Max(0, math.Min(1, ((x-s[0])*dx+(y-s[1])*dy)/l2))
	}
	return math.Hypot(x-s[0]-u*dx, y-s[1]-u*dy)
}

// latinWord is a run of Latin letters and the characters identifiers are
// made of, two characters or more.
var latinWord = regexp.MustCompile(`[A-Za-z][A-Za-z0-9_.\-]*[A-Za-z0-9_]`)

// checkNoLatinIDs holds that every Latin word of the Chinese report comes
// from text the assessment's authors entered (names, ids they chose,
// groups, evidence), or is a proper name of a method.
func checkNoLatinIDs(t *testing.T, text string) {
	t.Helper()
	allowed := map[string]bool{"Wilson": true, "UTC": true}
	for _, s := range enteredText() {
		for _, w := range latinWord.FindAllString(s, -1) {
			allowed[w] = true
		}
	}
	seen := map[string]bool{}
	for _, w := range latinWord.FindAllString(text, -1) {
		if !allowed[w] && !seen[w] {
			seen[w] = true
			t.Errorf("the Chinese report shows the Latin word %q, which no author entered", w)
		}
	}
}

// enteredText lists the free text of the plant's assessment and report
// metadata: what its authors typed, shown as entered in every language.
// Question ids, enum values and profile or regime names are not free text.
func enteredText() []string {
	a, m := sample.Plant(), sample.PlantMeta()
	s := a.Subject
	out := []string{a.ID, s.Name, s.ResponsibleUnit, s.AssessingBody, s.Location, a.EmergencyPlan}
	if a.Panel != nil {
		out = append(out, a.Panel.Writer, a.Panel.Reviewer)
	}
	for _, f := range a.Factors {
		out = append(out, f.ID, f.Name, f.Owner)
		out = append(out, f.AffectedGroups...)
		for _, x := range f.Measures {
			out = append(out, x.ID, x.Description, x.Owner)
		}
	}
	for _, c := range a.Criteria {
		out = append(out, c.Evidence)
		out = append(out, c.Measures...)
	}
	for _, c := range a.Consultations {
		out = append(out, c.Organisations...)
	}
	if a.Survey != nil {
		out = append(out, a.Survey.Frame)
	}
	out = append(out, m.Overview)
	out = append(out, m.Basis...)
	out = append(out, m.Methods...)
	out = append(out, m.Recommendations...)
	out = append(out, m.EmergencyPlan...)
	for _, x := range m.Members {
		out = append(out, x.Name, x.Role, x.Affiliation, x.Field)
	}
	for _, x := range m.Process {
		out = append(out, x.Text)
	}
	for _, x := range m.Opinions {
		out = append(out, x.Theme, x.Response)
	}
	out = append(out, followUpID) // the follow-up assessment's id, chosen by its author
	return append(out, strings.Fields(strings.Join(out, " "))...)
}
