package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

// FuzzUserText puts arbitrary text in the user-supplied strings and checks
// that the HTML has no markup from it, every SVG (the tornado chart of the
// sensitivity analysis included) stays well-formed XML, and
// the Markdown tables keep their shape.
func FuzzUserText(f *testing.F) {
	for _, s := range []string{"", "plain", hostile, "a|b\\|c", "\x00\x01\uFFFE", "]]>", "<!--", "&#x3C;", "\xff\xfe", "- x", "1. y", "`code`"} {
		f.Add(s)
	}
	p, _ := riskeval.Preset("practice")
	f.Fuzz(func(t *testing.T, s string) {
		a := sample.Plant()
		a.Subject.Name = s
		a.Factors[0].Name, a.Factors[1].ID = s, "F2"+s
		a.Factors[2].Measures[0].Description = s
		a.Survey.Frame = s
		res, err := riskeval.Evaluate(a, p)
		if err != nil {
			t.Skip()
		}
		sens, err := riskeval.Sensitivity(a, p)
		if err != nil {
			t.Fatal(err)
		}
		in := report.Input{Assessment: a, Result: res, Profile: p, Lang: ssra.LangEN, Generated: genTime, Sensitivity: &sens,
			Meta: report.Meta{Overview: s, Recommendations: []string{s}, Opinions: []report.OpinionTheme{{Theme: s + "x", Count: 1, Adoption: report.AdoptionAdopted, Response: s}}}}
		var h, m, svg bytes.Buffer
		if err := report.HTML(&h, in); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(strings.ToLower(h.String()), "<script") {
			t.Fatal("script in HTML")
		}
		if err := report.HeatMap(&svg, p, res, ssra.LangEN); err != nil {
			t.Fatal(err)
		}
		checkXML(t, svg.String())
		svg.Reset()
		if err := report.ScoreChart(&svg, a, res, ssra.LangEN); err != nil {
			t.Fatal(err)
		}
		checkXML(t, svg.String())
		svg.Reset()
		if err := report.Tornado(&svg, p, sens, ssra.LangZH); err != nil {
			t.Fatal(err)
		}
		checkXML(t, svg.String())
		svg.Reset()
		one := decimal.NewFromInt(1)
		if err := report.RankChart(&svg, report.Ranking{Title: s, Lang: ssra.LangZH, Max: one, Items: []report.RankItem{{Name: s + "n", Score: one, Grade: s}}}); err != nil {
			t.Fatal(err)
		}
		checkXML(t, svg.String())
		if err := report.Markdown(&m, in); err != nil {
			t.Fatal(err)
		}
		for _, tb := range tables(m.String()) {
			for _, row := range tb {
				if len(row) != len(tb[0]) {
					t.Fatalf("table %q: row with %d cells", tb[0], len(row))
				}
			}
		}
	})
}
