package report_test

import (
	"bytes"
	"encoding/xml"
	"flag"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if bytes.Equal(got, want) {
		return
	}
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := 0; i < len(gl) || i < len(wl); i++ {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			t.Fatalf("%s differs at line %d:\n got: %s\nwant: %s\n(run go test -update if the change is intended)", name, i+1, g, w)
		}
	}
}

func TestMarkdownGolden(t *testing.T) {
	for _, tc := range []struct {
		name, preset string
		lang         ssra.Lang
	}{
		{"plant.practice.zh-CN.md", "practice", ssra.LangZH},
		{"plant.practice.en.md", "practice", ssra.LangEN},
		{"plant.textbook5x5.en.md", "textbook5x5", ssra.LangEN},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var b bytes.Buffer
			if err := report.Markdown(&b, plantInput(t, tc.preset, tc.lang)); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
		})
	}
}

// checkXML fails unless s is well-formed XML.
func checkXML(t *testing.T, s string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(s))
	d.Strict = true
	for {
		_, err := d.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}

// svgShape summarises an SVG document's structure: element counts by name
// and by class of their group.
func svgShape(t *testing.T, s string) map[string]int {
	t.Helper()
	checkXML(t, s)
	d := xml.NewDecoder(strings.NewReader(s))
	counts := map[string]int{}
	var groups []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return counts
		}
		if err != nil {
			t.Fatal(err)
		}
		switch e := tok.(type) {
		case xml.StartElement:
			class := ""
			for _, a := range e.Attr {
				if a.Name.Local == "class" {
					class = a.Value
				}
			}
			if e.Name.Local == "g" {
				groups = append(groups, class)
				counts["g."+class]++
				continue
			}
			in := ""
			if len(groups) > 0 {
				in = groups[len(groups)-1]
			}
			counts[in+"/"+e.Name.Local]++
		case xml.EndElement:
			if e.Name.Local == "g" {
				groups = groups[:len(groups)-1]
			}
		}
	}
}

func TestHeatMapGoldenAndShape(t *testing.T) {
	for _, tc := range []struct {
		name, preset string
		lang         ssra.Lang
		letters      string
	}{
		{"heatmap.practice.zh-CN.svg", "practice", ssra.LangZH, ""},
		{"heatmap.textbook5x5.en.svg", "textbook5x5", ssra.LangEN, "NLMHS"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := plantInput(t, tc.preset, tc.lang)
			var b bytes.Buffer
			if err := report.HeatMap(&b, in.Profile, in.Result, tc.lang); err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, b.Bytes())
			shape := svgShape(t, b.String())
			if got, want := shape["cells/rect"], 25; got != want {
				t.Errorf("cells: got %d, want %d", got, want)
			}
			if got, want := shape["factor/circle"], 2*len(in.Result.Factors); got != want {
				t.Errorf("markers: got %d, want %d", got, want)
			}
			moved := 0
			for _, f := range in.Result.Factors {
				if f.Initial.Probability != f.Residual.Probability || f.Initial.Impact != f.Residual.Impact {
					moved++
				}
			}
			if got := shape["moves/line"]; got < moved {
				t.Errorf("arrows: got %d, want at least %d (one per factor that moved)", got, moved)
			}
			for _, l := range tc.letters {
				if !strings.Contains(b.String(), ">"+string(l)+"</text>") {
					t.Errorf("matrix degree %c not shown", l)
				}
			}
		})
	}
}

// sevenPoint is the practice profile on 7-point scales.
func sevenPoint(t *testing.T) riskeval.Profile {
	t.Helper()
	base, err := riskeval.Preset("practice")
	if err != nil {
		t.Fatal(err)
	}
	p := base.Def()
	p.Name, p.Version = "practice7", "1"
	names := []string{"极低", "很低", "较低", "中等", "较高", "很高", "极高"}
	var pts []riskeval.ScalePoint
	for k := 1; k <= 7; k++ {
		g := decimal.NewFromInt(int64(k)).DivRound(decimal.NewFromInt(7), 4)
		if k == 7 {
			g = decimal.NewFromInt(1)
		}
		pts = append(pts, riskeval.ScalePoint{Value: k, Label: ssra.L(names[k-1], names[k-1]), Grade: g})
	}
	p.Probability = riskeval.Scale{Points: pts}
	p.Impact = riskeval.Scale{Points: append([]riskeval.ScalePoint(nil), pts...)}
	built, err := riskeval.NewProfile(p)
	if err != nil {
		t.Fatal(err)
	}
	return built
}

func TestHeatMapSevenPoints(t *testing.T) {
	p := sevenPoint(t)
	a := sample.Plant()
	a.Factors[0].Initial = riskeval.Estimate{Probability: 7, Impact: 6}
	a.Factors[0].Residual = est(3, 5)
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.HeatMap(&b, p, res, ssra.LangZH); err != nil {
		t.Fatal(err)
	}
	shape := svgShape(t, b.String())
	if got, want := shape["cells/rect"], 49; got != want {
		t.Errorf("cells: got %d, want %d", got, want)
	}
	for _, l := range []string{"7 极高", "1 极低"} {
		if !strings.Contains(b.String(), ">"+l+"</text>") {
			t.Errorf("axis label %q missing", l)
		}
	}
}

func TestScoreChartGolden(t *testing.T) {
	in := plantInput(t, "practice", ssra.LangZH)
	var b bytes.Buffer
	if err := report.ScoreChart(&b, in.Assessment, in.Result, ssra.LangZH); err != nil {
		t.Fatal(err)
	}
	golden(t, "scores.practice.zh-CN.svg", b.Bytes())
	shape := svgShape(t, b.String())
	if got, want := shape["factor/rect"], 2*len(in.Result.Factors); got != want {
		t.Errorf("bars: got %d, want %d", got, want)
	}
	for _, f := range in.Result.Factors {
		for _, s := range []decimal.Decimal{f.Initial.Score, f.Residual.Score} {
			if !strings.Contains(b.String(), ">"+s.String()+" ") {
				t.Errorf("%s: score %s not printed", f.ID, s)
			}
		}
	}
}

func sampleRanking() report.Ranking {
	d := decimal.RequireFromString
	return report.Ranking{
		Title: "2026年度平安建设目标责任考核", Lang: ssra.LangZH, Max: d("100"),
		Items: []report.RankItem{
			{Name: "东郊镇", Score: d("88.5"), Grade: "良好"},
			{Name: "西城街道", Score: d("93.25"), Grade: "优秀"},
			{Name: "北山乡", Score: d("58"), Grade: "不合格"},
			{Name: "南湖街道", Score: d("88.5"), Grade: "良好"},
			{Name: "城关镇", Score: d("71"), Grade: "合格"},
		},
		Bands: []report.GradeBand{{Label: "不合格", Min: d("0")}, {Label: "合格", Min: d("60")}, {Label: "良好", Min: d("80")}, {Label: "优秀", Min: d("90")}},
	}
}

func TestRankChartGolden(t *testing.T) {
	var b bytes.Buffer
	if err := report.RankChart(&b, sampleRanking()); err != nil {
		t.Fatal(err)
	}
	golden(t, "ranking.zh-CN.svg", b.Bytes())
	shape := svgShape(t, b.String())
	if got, want := shape["item/rect"], 5; got != want {
		t.Errorf("bars: got %d, want %d", got, want)
	}
	// Ranked highest first, equal scores share a rank and keep input order.
	s := b.String()
	order := []string{"西城街道", "东郊镇", "南湖街道", "城关镇", "北山乡"}
	last := -1
	for _, n := range order {
		i := strings.Index(s, ">"+n+"<")
		if i < last {
			t.Fatalf("%s out of order", n)
		}
		last = i
	}
	for _, r := range []string{">1<", ">2<", ">4<", ">5<"} {
		if !strings.Contains(s, r) {
			t.Errorf("rank %s missing", r)
		}
	}
	if strings.Contains(s, ">3<") {
		t.Error("rank 3 printed although two items share rank 2")
	}
}

// With 30 factors, up to a dozen markers share a cell; every label must
// still be printed in full, twice (before and after), with no two markers
// at the same point.
func TestHeatMapLabelsReadableWhenCrowded(t *testing.T) {
	p, _ := riskeval.Preset("practice")
	a := bigAssessment(30)
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := report.HeatMap(&b, p, res, ssra.LangEN); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if strings.Contains(s, "…") {
		t.Error("a factor label was shortened")
	}
	for _, f := range res.Factors {
		if got := strings.Count(s, ">"+f.ID+"</text>"); got != 2 {
			t.Errorf("%s labelled %d times, want 2", f.ID, got)
		}
	}
	d := xml.NewDecoder(strings.NewReader(s))
	seen := map[[2]string]bool{}
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		if e, ok := tok.(xml.StartElement); ok && e.Name.Local == "circle" {
			var cx, cy string
			for _, a := range e.Attr {
				switch a.Name.Local {
				case "cx":
					cx = a.Value
				case "cy":
					cy = a.Value
				}
			}
			if seen[[2]string{cx, cy}] {
				t.Errorf("two markers at (%s, %s)", cx, cy)
			}
			seen[[2]string{cx, cy}] = true
		}
	}
}
