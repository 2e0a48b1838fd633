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

const hostile = `<script>alert("x&y")</script> 'q' | *b* [l](http://e.x) #h` + "\nnext | line"

// hostileInput puts hostile text in every user-supplied string the report
// prints, the sensitivity analysis's included.
func hostileInput(t testing.TB, lang ssra.Lang) report.Input {
	t.Helper()
	p, err := riskeval.Preset("textbook5x5")
	if err != nil {
		t.Fatal(err)
	}
	a := sample.Plant()
	a.ID = hostile
	a.Subject.Name, a.Subject.ResponsibleUnit, a.Subject.AssessingBody, a.Subject.Location = hostile, hostile, hostile, hostile
	a.EmergencyPlan = hostile
	a.Panel.Writer, a.Panel.Reviewer = hostile, hostile+"2"
	a.Survey.Frame = hostile
	a.Consultations[2].Organisations = []string{hostile, hostile}
	for i := range a.Criteria {
		a.Criteria[i].Question, a.Criteria[i].Evidence = hostile, hostile
	}
	for i := range a.Factors {
		f := &a.Factors[i]
		f.Name, f.Owner, f.AffectedGroups = hostile, hostile, []string{hostile}
		for j := range f.Measures {
			f.Measures[j].Description, f.Measures[j].Owner = hostile, hostile
		}
	}
	a.Factors[0].ID = `F1<script>"&'`
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	h := []string{hostile}
	meta := report.Meta{Overview: hostile, Basis: h, Methods: h, Recommendations: h, EmergencyPlan: h,
		Members:  []report.PanelMember{{Name: hostile, Role: hostile, Affiliation: hostile, Field: hostile}},
		Process:  []report.ProcessStep{{Date: sample.Date("2026-09-01"), Text: hostile}},
		Opinions: []report.OpinionTheme{{Theme: hostile, Count: 3, Adoption: report.AdoptionPartly, Response: hostile}}}
	sens, err := riskeval.Sensitivity(a, p)
	if err != nil {
		t.Fatal(err)
	}
	return report.Input{Assessment: a, Result: res, Profile: p, Lang: lang, Generated: genTime, Meta: meta, Sensitivity: &sens}
}

func TestUserTextIsEscapedInHTML(t *testing.T) {
	in := hostileInput(t, ssra.LangEN)
	var b bytes.Buffer
	if err := report.HTML(&b, in); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	if strings.Contains(strings.ToLower(s), "<script") {
		t.Fatal("HTML contains a <script> element")
	}
	for _, want := range []string{"&lt;script&gt;alert(&#34;x&amp;y&#34;)", "&lt;script&gt;alert(&quot;x&amp;y&quot;)", "&#39;q&#39;"} {
		if !strings.Contains(s, want) {
			t.Errorf("HTML lacks the escaped form %q", want)
		}
	}
	checkXML(t, s)
	checkHTMLStructure(t, s)
}

func TestUserTextIsEscapedInSVG(t *testing.T) {
	in := hostileInput(t, ssra.LangZH)
	var hm, sc, rk, to bytes.Buffer
	if err := report.Tornado(&to, in.Profile, *in.Sensitivity, in.Lang); err != nil {
		t.Fatal(err)
	}
	if err := report.HeatMap(&hm, in.Profile, in.Result, in.Lang); err != nil {
		t.Fatal(err)
	}
	if err := report.ScoreChart(&sc, in.Assessment, in.Result, in.Lang); err != nil {
		t.Fatal(err)
	}
	one := decimal.NewFromInt(1)
	if err := report.RankChart(&rk, report.Ranking{Title: hostile, Lang: ssra.LangEN, Max: one,
		Items: []report.RankItem{{Name: hostile, Score: one, Grade: hostile}},
		Bands: []report.GradeBand{{Label: hostile, Min: decimal.Zero}}}); err != nil {
		t.Fatal(err)
	}
	for name, b := range map[string]*bytes.Buffer{"heat map": &hm, "score chart": &sc, "ranking": &rk, "tornado chart": &to} {
		s := b.String()
		if strings.Contains(s, "<script") {
			t.Errorf("%s contains a <script> element", name)
		}
		if !strings.Contains(s, "&lt;script&gt;") || !strings.Contains(s, "&quot;") || !strings.Contains(s, "&amp;") {
			t.Errorf("%s lacks escaped user text", name)
		}
		checkXML(t, s)
	}
}

func TestUserTextIsEscapedInMarkdown(t *testing.T) {
	in := hostileInput(t, ssra.LangZH)
	var b bytes.Buffer
	if err := report.Markdown(&b, in); err != nil {
		t.Fatal(err)
	}
	s := b.String()
	for i := 0; i < len(s); i++ {
		if (s[i] == '<' || s[i] == '&') && (i == 0 || s[i-1] != '\\') {
			t.Fatalf("unescaped %q in Markdown at %q", s[i], s[max(0, i-20):min(len(s), i+20)])
		}
	}
	for _, want := range []string{`\<script\>`, `x\&y`, `\|`, `\*b\*`, `\[l\]`, `\#h`} {
		if !strings.Contains(s, want) {
			t.Errorf("Markdown lacks the escaped form %q", want)
		}
	}
	// No user text can add or remove a table cell or break a row.
	for _, tb := range tables(s) {
		for i, row := range tb {
			if len(row) != len(tb[0]) {
				t.Fatalf("table %q row %d has %d cells, header %d", tb[0], i, len(row), len(tb[0]))
			}
		}
	}
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, "next") {
			t.Fatalf("a line break in user text broke the document: %q", line)
		}
	}
}

func TestMarkdownEscapesLeadingMarkers(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"list dash", "- item", `\- item`},
		{"ordered", "12. item", `12\. item`},
		{"setext", "===", `\===`},
		{"decimal kept", "0.25", "0.25"},
		{"negative kept", "-3", "-3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := plantInput(t, "practice", ssra.LangEN)
			in.Meta.Recommendations = []string{tc.in}
			var b bytes.Buffer
			if err := report.Markdown(&b, in); err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(b.String(), "\n"+tc.want+"\n") {
				t.Errorf("paragraph %q not rendered as %q", tc.in, tc.want)
			}
		})
	}
}
