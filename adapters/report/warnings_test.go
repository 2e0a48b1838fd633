package report_test

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

// TestWarningsAppendixInWords: an assessment with many gaps gets its quality
// findings in appendix B: in Chinese as words (what and where) without a
// Latin identifier anywhere in the table, in English with code, field and
// message; every finding has its row, in order, in both, and the Chinese
// Markdown names no code either.
func TestWarningsAppendixInWords(t *testing.T) {
	p, err := riskeval.Preset("practice")
	if err != nil {
		t.Fatal(err)
	}
	a := sample.Plant()
	a.Subject.ResponsibleUnit = ""
	a.Consultations = nil
	a.Panel = nil
	a.Factors[0].Measures[0].Owner = ""
	a.Factors[0].Measures[0].Due = ssra.Date{}
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Warnings) < 5 {
		t.Fatalf("only %d warnings: %v", len(res.Warnings), res.Warnings)
	}
	for _, lang := range []ssra.Lang{ssra.LangZH, ssra.LangEN} {
		in := report.Input{Assessment: a, Result: res, Profile: p, Lang: lang, Generated: genTime, Meta: sample.PlantMeta()}
		var b bytes.Buffer
		if err := report.HTML(&b, in); err != nil {
			t.Fatal(err)
		}
		doc, err := html.Parse(&b)
		if err != nil {
			t.Fatal(err)
		}
		rows := find(doc, func(n *html.Node) bool {
			return n.Type == html.ElementNode && n.Data == "tr" && attr(n, "data-code") != ""
		})
		if len(rows) != len(res.Warnings) {
			t.Fatalf("%s: %d rows for %d warnings", lang, len(rows), len(res.Warnings))
		}
		var all strings.Builder
		for i, r := range rows {
			w := res.Warnings[i]
			if attr(r, "data-code") != w.Code {
				t.Errorf("%s row %d: code %q, want %q", lang, i, attr(r, "data-code"), w.Code)
			}
			txt := text(r)
			all.WriteString(txt + "\n")
			if lang == ssra.LangEN && (!strings.Contains(txt, w.Code) || !strings.Contains(txt, w.Message)) {
				t.Errorf("en row %d lacks the code or message: %q", i, txt)
			}
			if lang == ssra.LangZH && (strings.Contains(txt, w.Code) || strings.Contains(txt, w.Message) || strings.Contains(txt, "英文版")) {
				t.Errorf("zh row %d shows the English finding or falls back: %q", i, txt)
			}
		}
		if lang == ssra.LangZH {
			checkNoLatinIDs(t, all.String())
			var m bytes.Buffer
			if err := report.Markdown(&m, in); err != nil {
				t.Fatal(err)
			}
			for _, w := range res.Warnings {
				if strings.Contains(m.String(), w.Code) {
					t.Errorf("zh Markdown shows the code %s", w.Code)
				}
			}
		}
	}
}
