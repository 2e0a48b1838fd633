package report_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

// withSensitivity adds the sensitivity analysis of the input's assessment.
func withSensitivity(t testing.TB, in report.Input) report.Input {
	t.Helper()
	s, err := riskeval.Sensitivity(in.Assessment, in.Profile)
	if err != nil {
		t.Fatal(err)
	}
	in.Sensitivity = &s
	return in
}

// tornadoBar is what the tornado chart draws of one factor.
type tornadoBar struct {
	factor           string
	swing            decimal.Decimal
	y                float64
	lowX, lowW       float64 // the part below the index
	highX, highW     float64 // the part above it
	lowText, hiText  string
	lowLabX, hiLabX  float64
	tooltip, idLabel string
}

// tornadoFacts reads the bars, the threshold lines and the index line of a
// tornado chart.
type tornadoFacts struct {
	bars       []tornadoBar
	thresholds map[string]float64 // value → x
	index      string
	indexX     float64
	ticks      map[string]float64 // axis label → x
}

func attrs(e xml.StartElement) map[string]string {
	m := map[string]string{}
	for _, a := range e.Attr {
		m[a.Name.Local] = a.Value
	}
	return m
}

func fl(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return v
}

func readTornado(t *testing.T, svg string) tornadoFacts {
	t.Helper()
	checkXML(t, svg)
	d := xml.NewDecoder(strings.NewReader(svg))
	f := tornadoFacts{thresholds: map[string]float64{}, ticks: map[string]float64{}}
	var cur *tornadoBar
	var inText, inTitle, group string
	var tickX float64
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return f
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			a := attrs(e)
			switch {
			case e.Name.Local == "g" && cur == nil:
				group = a["class"]
				if group == "bar" {
					f.bars = append(f.bars, tornadoBar{factor: a["data-factor"], swing: decimal.RequireFromString(a["data-swing"])})
					cur = &f.bars[len(f.bars)-1]
				}
			case e.Name.Local == "text" && group == "axis":
				inText, tickX = "tick", fl(t, a["x"])
			case e.Name.Local == "g" && a["class"] == "bar":
				f.bars = append(f.bars, tornadoBar{factor: a["data-factor"], swing: decimal.RequireFromString(a["data-swing"])})
				cur = &f.bars[len(f.bars)-1]
			case e.Name.Local == "rect" && cur != nil:
				if a["data-side"] == "low" {
					cur.lowX, cur.lowW, cur.y = fl(t, a["x"]), fl(t, a["width"]), fl(t, a["y"])
				} else {
					cur.highX, cur.highW = fl(t, a["x"]), fl(t, a["width"])
				}
			case e.Name.Local == "text" && cur != nil:
				inText = a["data-side"]
				if inText == "" {
					inText = "id"
				}
				if inText == "low" {
					cur.lowLabX = fl(t, a["x"])
				} else if inText == "high" {
					cur.hiLabX = fl(t, a["x"])
				}
			case e.Name.Local == "title" && cur != nil:
				inTitle = "bar"
			case e.Name.Local == "line" && a["class"] == "threshold":
				f.thresholds[a["data-value"]] = fl(t, a["x1"])
			case e.Name.Local == "line" && a["class"] == "index":
				f.index, f.indexX = a["data-value"], fl(t, a["x1"])
			}
		case xml.CharData:
			if inText == "tick" {
				f.ticks[string(e)] = tickX
			}
			if cur == nil {
				continue
			}
			switch {
			case inTitle != "":
				cur.tooltip += string(e)
			case inText == "low":
				cur.lowText += string(e)
			case inText == "high":
				cur.hiText += string(e)
			case inText == "id":
				cur.idLabel += string(e)
			}
		case xml.EndElement:
			switch e.Name.Local {
			case "g":
				if cur == nil {
					group = ""
				}
				cur = nil
			case "text":
				inText = ""
			case "title":
				inTitle = ""
			}
		}
	}
}

// checkTornado holds that the chart draws every factor of s once, sorted
// by swing (widest first, assessment order among equals), each bar from
// its lowest-points index through the current index to its highest-points
// index on one linear axis, labelled with both numbers of s; and both
// thresholds and the current index as lines at their places on that axis.
func checkTornado(t *testing.T, svg string, s riskeval.SensitivityResult, th riskeval.Thresholds) {
	t.Helper()
	f := readTornado(t, svg)
	if got, want := len(f.bars), len(s.Factors); got != want {
		t.Fatalf("bars: got %d, want %d", got, want)
	}
	pos := map[string]int{}
	for k, fs := range s.Factors {
		pos[fs.ID] = k
	}
	seen := map[string]bool{}
	for k, b := range f.bars {
		i, ok := pos[b.factor]
		if !ok || seen[b.factor] {
			t.Fatalf("bar %d: factor %q unknown or drawn twice", k, b.factor)
		}
		seen[b.factor] = true
		fs := s.Factors[i]
		if want := fs.SwingHigh.Sub(fs.SwingLow); !b.swing.Equal(want) {
			t.Errorf("%s: swing %s, want %s", b.factor, b.swing, want)
		}
		if k > 0 {
			prev := f.bars[k-1]
			if c := prev.swing.Cmp(b.swing); c < 0 || (c == 0 && pos[prev.factor] > i) {
				t.Errorf("bars not sorted by swing: %s (%s) before %s (%s)", prev.factor, prev.swing, b.factor, b.swing)
			}
			if b.y <= prev.y {
				t.Errorf("bar %s is not below bar %s", b.factor, prev.factor)
			}
		}
		if b.lowText != fs.SwingLow.String() || b.hiText != fs.SwingHigh.String() || b.idLabel != fs.ID {
			t.Errorf("%s: labels %q %q %q, want %s %s %s", b.factor, b.idLabel, b.lowText, b.hiText, fs.ID, fs.SwingLow, fs.SwingHigh)
		}
		if !strings.Contains(b.tooltip, fs.SwingLow.String()+" – "+fs.SwingHigh.String()) {
			t.Errorf("%s: tooltip %q lacks the range", b.factor, b.tooltip)
		}
		if d := b.lowX + b.lowW - f.indexX; d > 0.11 || d < -0.11 {
			t.Errorf("%s: the low part ends at %.1f, the index line is at %.1f", b.factor, b.lowX+b.lowW, f.indexX)
		}
		if d := b.highX - f.indexX; d > 0.11 || d < -0.11 {
			t.Errorf("%s: the high part starts at %.1f, the index line is at %.1f", b.factor, b.highX, f.indexX)
		}
		if b.lowW < 0 || b.highW < 0 || b.lowLabX > b.lowX || b.hiLabX < b.highX+b.highW {
			t.Errorf("%s: parts %.1f+%.1f, %.1f+%.1f; labels at %.1f and %.1f", b.factor, b.lowX, b.lowW, b.highX, b.highW, b.lowLabX, b.hiLabX)
		}
	}
	if f.index != s.Residual.Index.String() {
		t.Errorf("index line at %q, want %s", f.index, s.Residual.Index)
	}
	// The axis is linear: each value's x follows from two ticks, and so
	// does every other tick's, the index line's and each bar's ends.
	var tv []decimal.Decimal
	for k := range f.ticks {
		if v, err := decimal.NewFromString(k); err == nil {
			tv = append(tv, v)
		}
	}
	if len(tv) < 2 {
		t.Fatalf("axis ticks: %v", f.ticks)
	}
	slices.SortFunc(tv, decimal.Decimal.Cmp)
	a, z := tv[0], tv[len(tv)-1]
	{
		scale := (f.ticks[z.StringFixed(1)] - f.ticks[a.StringFixed(1)]) / z.Sub(a).InexactFloat64()
		xOf := func(v decimal.Decimal) float64 { return f.ticks[a.StringFixed(1)] + scale*v.Sub(a).InexactFloat64() }
		for _, v := range tv {
			if d := xOf(v) - f.ticks[v.StringFixed(1)]; d > 0.3 || d < -0.3 {
				t.Errorf("tick %s at %.1f, the axis puts it at %.1f", v, f.ticks[v.StringFixed(1)], xOf(v))
			}
		}
		if d := xOf(s.Residual.Index) - f.indexX; d > 0.3 || d < -0.3 {
			t.Errorf("the index line is at %.1f, the axis puts %s at %.1f", f.indexX, s.Residual.Index, xOf(s.Residual.Index))
		}
		for _, b := range f.bars {
			fs := s.Factors[pos[b.factor]]
			if d := xOf(fs.SwingLow) - b.lowX; d > 0.3 || d < -0.3 {
				t.Errorf("%s: low end at %.1f, the axis puts %s at %.1f", b.factor, b.lowX, fs.SwingLow, xOf(fs.SwingLow))
			}
			if d := xOf(fs.SwingHigh) - (b.highX + b.highW); d > 0.3 || d < -0.3 {
				t.Errorf("%s: high end at %.1f, the axis puts %s at %.1f", b.factor, b.highX+b.highW, fs.SwingHigh, xOf(fs.SwingHigh))
			}
		}
		for _, v := range []decimal.Decimal{th.LowMax, th.MediumMax} {
			x, ok := f.thresholds[v.String()]
			if !ok {
				t.Errorf("no threshold line at %s", v)
				continue
			}
			if d := xOf(v) - x; d > 0.3 || d < -0.3 {
				t.Errorf("threshold %s at %.1f, the axis puts it at %.1f", v, x, xOf(v))
			}
		}
	}
}

// The plant's tornado chart under both presets and in both languages, and
// random assessments of up to 30 factors: every bar sorted by swing and
// drawn at its numbers, the thresholds and the index on the same axis.
func TestTornadoDrawsEveryFactorBySwing(t *testing.T) {
	for _, preset := range []string{"practice", "textbook5x5"} {
		for _, lang := range []ssra.Lang{ssra.LangZH, ssra.LangEN} {
			in := withSensitivity(t, plantInput(t, preset, lang))
			var b bytes.Buffer
			if err := report.Tornado(&b, in.Profile, *in.Sensitivity, lang); err != nil {
				t.Fatal(err)
			}
			checkTornado(t, b.String(), *in.Sensitivity, in.Profile.Def().IndexThresholds)
			if title := map[ssra.Lang]string{ssra.LangZH: "敏感性分析龙卷风图", ssra.LangEN: "Sensitivity tornado chart"}[lang]; !strings.Contains(b.String(), `aria-label="`+title+`"`) {
				t.Errorf("%s %v: no title %q", preset, lang, title)
			}
		}
	}
	rng := rand.New(rand.NewPCG(16, 16))
	p, err := riskeval.Preset("practice")
	if err != nil {
		t.Fatal(err)
	}
	for trial := range 30 {
		a := bigAssessment(2 + rng.IntN(29))
		for i := range a.Factors {
			a.Factors[i].Residual = est(1+rng.IntN(5), 1+rng.IntN(5))
		}
		s, err := riskeval.Sensitivity(a, p)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := report.Tornado(&b, p, s, ssra.LangEN); err != nil {
			t.Fatal(err)
		}
		t.Run(fmt.Sprint(trial), func(t *testing.T) { checkTornado(t, b.String(), s, p.Def().IndexThresholds) })
	}
}

func TestTornadoGolden(t *testing.T) {
	in := withSensitivity(t, plantInput(t, "practice", ssra.LangZH))
	var b bytes.Buffer
	if err := report.Tornado(&b, in.Profile, *in.Sensitivity, ssra.LangZH); err != nil {
		t.Fatal(err)
	}
	golden(t, "tornado.practice.zh-CN.svg", b.Bytes())
}

// Tornado refuses an unknown language, an empty analysis and another
// profile's analysis, naming each; the report refuses an analysis of
// another evaluation.
func TestTornadoRefuses(t *testing.T) {
	in := withSensitivity(t, plantInput(t, "practice", ssra.LangZH))
	other, err := riskeval.Preset("textbook5x5")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		p    riskeval.Profile
		s    riskeval.SensitivityResult
		lang ssra.Lang
		code string
	}{
		{"language", in.Profile, *in.Sensitivity, ssra.Lang(9), "report.lang_unknown"},
		{"empty", in.Profile, riskeval.SensitivityResult{}, ssra.LangZH, "report.sensitivity_missing"},
		{"profile", other, *in.Sensitivity, ssra.LangEN, "report.profile_mismatch"},
	} {
		var b bytes.Buffer
		err := report.Tornado(&b, tc.p, tc.s, tc.lang)
		if !hasCode(err, tc.code) || b.Len() != 0 {
			t.Errorf("%s: got %v (%d bytes written), want %s", tc.name, err, b.Len(), tc.code)
		}
	}
	moved := in
	moved.Assessment = sample.Plant()
	moved.Assessment.Factors[0].Residual = est(5, 5)
	s, err := riskeval.Sensitivity(moved.Assessment, moved.Profile)
	if err != nil {
		t.Fatal(err)
	}
	in.Sensitivity = &s
	var b bytes.Buffer
	if err := report.HTML(&b, in); !hasCode(err, "report.sensitivity_mismatch") || b.Len() != 0 {
		t.Errorf("an analysis of another evaluation: %v", err)
	}
}

func hasCode(err error, code string) bool {
	for _, p := range ssra.ProblemsOf(err) {
		if p.Code == code {
			return true
		}
	}
	return false
}

// With a sensitivity analysis the HTML report shows the margin sentence,
// the tornado chart and, for a panel, the level distribution in words with
// its method; the Markdown report lists the bars as a table. Without one,
// neither appears.
func TestReportShowsSensitivity(t *testing.T) {
	for _, lang := range []ssra.Lang{ssra.LangZH, ssra.LangEN} {
		in := withSensitivity(t, plantInput(t, "practice", lang))
		var h, m bytes.Buffer
		if err := report.HTML(&h, in); err != nil {
			t.Fatal(err)
		}
		if err := report.Markdown(&m, in); err != nil {
			t.Fatal(err)
		}
		margin := riskeval.MarginSentence(*in.Sensitivity, lang)
		if margin == "" || !strings.Contains(h.String(), margin) || !strings.Contains(m.String(), margin) {
			t.Errorf("%v: the margin sentence %q is missing", lang, margin)
		}
		if strings.Count(h.String(), `class="ssra-tornado"`) != 1 {
			t.Errorf("%v: the HTML report has no tornado chart", lang)
		}
		for _, fs := range in.Sensitivity.Factors {
			row := "| " + fs.ID + " | " + fs.SwingLow.String() + " | " + fs.SwingHigh.String() + " | " + fs.SwingHigh.Sub(fs.SwingLow).String() + " |"
			if !strings.Contains(m.String(), row) {
				t.Errorf("%v: the Markdown report lacks the row %q", lang, row)
			}
		}
		in.Sensitivity = nil
		h.Reset()
		if err := report.HTML(&h, in); err != nil {
			t.Fatal(err)
		}
		// The margin sentence stays in the explanation (appendix A).
		if strings.Contains(h.String(), "ssra-tornado") || strings.Contains(h.String(), `class="margin"`) {
			t.Errorf("%v: sensitivity shown without an analysis", lang)
		}
	}

	// A panel of three rates every factor: the distribution is stated.
	in := plantInput(t, "practice", ssra.LangZH)
	a := in.Assessment
	for i, f := range a.Factors {
		r := *f.Residual
		a.Factors[i].Residual = &riskeval.Estimate{Ratings: []riskeval.Rating{
			{Member: "E1", Probability: r.Probability, Impact: r.Impact},
			{Member: "E2", Probability: min(5, r.Probability+1), Impact: r.Impact},
			{Member: "E3", Probability: r.Probability, Impact: max(1, r.Impact-1)},
		}}
	}
	res, err := riskeval.Evaluate(a, in.Profile)
	if err != nil {
		t.Fatal(err)
	}
	in.Assessment, in.Result = a, res
	for _, lang := range []ssra.Lang{ssra.LangZH, ssra.LangEN} {
		in.Lang = lang
		in = withSensitivity(t, in)
		d := in.Sensitivity.Distribution
		if d == nil || d.Method != riskeval.DistributionExact {
			t.Fatalf("want an exact distribution, got %+v", d)
		}
		var h bytes.Buffer
		if err := report.HTML(&h, in); err != nil {
			t.Fatal(err)
		}
		want := map[ssra.Lang]string{ssra.LangZH: "逐一枚举全部" + d.Combinations.String() + "种组合", ssra.LangEN: "every one of the " + d.Combinations.String() + " combinations enumerated"}[lang]
		if !strings.Contains(h.String(), want) {
			t.Errorf("%v: the distribution's method %q is not stated", lang, want)
		}
		for _, l := range d.Levels {
			if s := l.Level.Label(lang) + " " + l.Share.Shift(2).String() + "%"; !strings.Contains(h.String(), s) {
				t.Errorf("%v: the share %q is not stated", lang, s)
			}
		}
	}
}
