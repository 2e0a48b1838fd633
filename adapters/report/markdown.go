package report

import (
	"io"
	"strings"

	"github.com/ssra-go/ssra"
)

// Markdown writes the report as GitHub-flavoured Markdown with the same
// sections, tables and numbers as the HTML page, without the charts. User
// text is escaped so that it cannot form markup: line breaks become spaces,
// and the characters that start emphasis, links, code, raw HTML, headings,
// list items or table cells (\ ` * _ [ ] < > | & # ~, and at the start of
// a paragraph or list item a leading "- ", "+ ", "==" or "1. ") are
// backslash-escaped.
//
// Markdown validates in first (see Input.Validate) and returns a *ssra.Error
// of KindInvalid listing every problem before writing anything; a failing
// writer gives a wrapped error of KindInternal.
func Markdown(w io.Writer, in Input) error {
	if err := in.Validate().Err("report.Markdown"); err != nil {
		return err
	}
	v := newView(&in)
	var m md
	m.Grow(16 << 10)
	m.render(v)
	return writeAll(w, m.String(), "report.Markdown")
}

// md builds Markdown.
type md struct{ strings.Builder }

// esc writes user text escaped for inline use (table cells, headings).
func (m *md) esc(s string) { mdEscape(&m.Builder, s, false) }

// escBlock writes user text escaped at the start of a block (a paragraph
// or a list item), where a leading marker would start a list or heading.
func (m *md) escBlock(s string) { mdEscape(&m.Builder, s, true) }

func mdEscape(b *strings.Builder, s string, block bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return
	}
	if block {
		s = escapeLeadingMarker(b, s)
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '&', '#', '~':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n', '\r', '\t':
			b.WriteByte(' ')
		default:
			if c < 0x20 {
				continue
			}
			b.WriteByte(c)
		}
	}
}

// escapeLeadingMarker escapes a leading list or setext marker ("- ", "+ ",
// "==", "1. ", "2) ") and returns the rest of s to escape.
func escapeLeadingMarker(b *strings.Builder, s string) string {
	// A leading list or heading-underline marker.
	endsMarker := func(i int) bool { return i+1 >= len(s) || s[i+1] == ' ' || s[i+1] == '\t' || s[i+1] == s[i] }
	switch s[0] {
	case '-', '+', '=':
		if endsMarker(0) {
			b.WriteByte('\\')
		}
	}
	if i := strings.IndexFunc(s, func(r rune) bool { return r < '0' || r > '9' }); i > 0 && (s[i] == '.' || s[i] == ')') && (i+1 >= len(s) || s[i+1] == ' ') {
		b.WriteString(s[:i])
		b.WriteByte('\\')
		return s[i:]
	}
	return s
}

// row writes a table row of escaped cells.
func (m *md) row(cells ...string) {
	m.WriteString("|")
	for _, c := range cells {
		m.WriteByte(' ')
		if c == "" {
			m.WriteString(" ")
		} else {
			m.esc(c)
		}
		m.WriteString(" |")
	}
	m.WriteByte('\n')
}

// header writes a table header and its delimiter row; right lists the
// columns aligned right (numbers).
func (m *md) header(cells []string, right ...int) {
	m.row(cells...)
	m.WriteString("|")
	for i := range cells {
		al := " --- |"
		for _, r := range right {
			if r == i {
				al = " ---: |"
			}
		}
		m.WriteString(al)
	}
	m.WriteByte('\n')
}

func (m *md) h(level int, text string) {
	m.WriteString(strings.Repeat("#", level))
	m.WriteByte(' ')
	m.esc(text)
	m.WriteString("\n\n")
}

func (m *md) para(text string) {
	m.escBlock(text)
	m.WriteString("\n\n")
}

func (m *md) list(items []string, ordered bool) {
	for i, it := range items {
		if ordered {
			m.WriteString(itoa(i + 1))
			m.WriteString(". ")
		} else {
			m.WriteString("- ")
		}
		m.escBlock(it)
		m.WriteByte('\n')
	}
	m.WriteByte('\n')
}

func (m *md) kv(v *view, pairs []pair) {
	m.header([]string{v.T("item"), v.T("value")})
	for _, p := range pairs {
		m.row(p.K, p.V)
	}
	m.WriteByte('\n')
}

// col names a column of the estimation table: "措施前概率" or "P before".
func col(v *view, whenKey, whatKey string) string {
	if v.lang == ssra.LangZH {
		return v.T(whenKey) + v.T(whatKey)
	}
	return v.T(whatKey) + " " + v.T(whenKey)
}

func (m *md) render(v *view) {
	m.WriteString("# ")
	m.esc(v.Title)
	m.WriteString("\n\n**")
	m.esc(v.SubjectName)
	m.WriteString("**\n\n")
	var cover []pair
	if v.ID != "" {
		cover = append(cover, pair{v.T("assessment_id"), v.ID})
	}
	cover = append(cover, pair{v.T("assessing_body"), v.Body[0].V},
		pair{v.T("profile"), v.ProfileLine})
	if v.ProfileSource != "" {
		cover = append(cover, pair{v.T("profile_source"), v.ProfileSource})
	}
	cover = append(cover, pair{v.T("status"), v.Status}, pair{v.T("generated"), v.Generated})
	m.kv(v, cover)

	m.h(2, v.T("summary"))
	m.kv(v, []pair{{v.T("initial_level"), v.InitialLevel + v.Paren("R = "+v.Levels[0].Index)},
		{v.T("residual_level"), v.ResidualLevel + v.Paren("R = "+v.Levels[1].Index)},
		{v.T("decision"), v.Outcome}, {v.T("regime"), v.RegimeLabel}})
	m.para(v.BasisNote)

	m.h(2, v.T("s1"))
	m.h(3, v.T("s1_subject"))
	subj := v.Subject
	if v.Overview != "" {
		subj = append(subj[:len(subj):len(subj)], pair{v.T("overview"), v.Overview})
	}
	m.kv(v, subj)
	m.h(3, v.T("s1_basis"))
	if len(v.Basis) > 0 {
		m.list(v.Basis, true)
	} else {
		m.para(v.T("not_given"))
	}
	m.h(3, v.T("s1_body"))
	m.kv(v, v.Body)
	if len(v.Members) > 0 {
		m.header([]string{v.T("member"), v.T("role"), v.T("affiliation"), v.T("expertise")})
		for _, p := range v.Members {
			m.row(p.Name, p.Role, p.Affiliation, p.Field)
		}
		m.WriteByte('\n')
	}
	m.h(3, v.T("s1_process"))
	if len(v.Process) > 0 {
		m.header([]string{v.T("date"), v.T("step")})
		for _, p := range v.Process {
			m.row(p.Date, p.Text)
		}
		m.WriteByte('\n')
	}
	if len(v.Methods) > 0 {
		m.WriteString("**")
		m.esc(v.T("methods"))
		m.WriteString("**" + v.Colon())
		for i, x := range v.Methods {
			if i > 0 {
				m.WriteString(v.Sep())
			}
			m.esc(x)
		}
		m.WriteString("\n\n")
	}

	m.h(2, v.T("s2"))
	m.para(v.T("consult_note"))
	if len(v.Consultations) > 0 {
		m.header([]string{v.T("method"), v.T("date"), v.T("participants"), v.T("organisations"), v.T("comment_days"), v.T("received"), v.T("adopted")}, 2, 4, 5, 6)
		for _, c := range v.Consultations {
			m.row(c.Method, c.Date, c.Participants, c.Organisations, c.CommentDays, c.Received, c.Adopted)
		}
		m.WriteByte('\n')
	}
	if s := v.Survey; s != nil {
		m.h(3, v.T("survey"))
		rows := []pair{{v.T("frame"), s.Frame}, {v.T("distributed"), s.Distributed}, {v.T("valid"), s.Valid}, {v.T("response_rate"), s.ResponseRate}}
		if s.Support != "" {
			rows = append(rows, pair{v.T("support") + " / " + v.T("neutral") + " / " + v.T("oppose"), s.Support + " / " + s.Neutral + " / " + s.Oppose})
		}
		rows = append(rows, pair{v.T("opposition"), s.Opposition + v.Paren(s.Lower+"–"+s.Upper)}, pair{v.T("suggested"), s.Suggested})
		m.kv(v, rows)
	}
	if len(v.Opinions) > 0 {
		m.h(3, v.T("themes"))
		m.header([]string{v.T("theme"), v.T("count"), v.T("adoption"), v.T("response")}, 1)
		for _, o := range v.Opinions {
			m.row(o.Theme, o.Count, o.Adoption, o.Response)
		}
		m.WriteByte('\n')
	}

	m.h(2, v.T("s3"))
	if len(v.Criteria) > 0 {
		m.header([]string{v.T("criterion"), v.T("question"), v.T("answer"), v.T("evidence"), v.T("measures_ref")})
		for _, c := range v.Criteria {
			m.row(c.Criterion, c.Question, c.Answer, c.Evidence, c.Measures)
		}
		m.WriteByte('\n')
	} else {
		m.para(v.T("no_criteria"))
	}

	m.h(2, v.T("s4"))
	m.h(3, v.T("s4_identify"))
	m.header([]string{v.T("id"), v.T("factor"), v.T("area"), v.T("stage"), v.T("groups"), v.T("owner"), v.T("weight")}, 6)
	for _, f := range v.Factors {
		m.row(f.ID, f.Name, f.Area, f.Stage, f.Groups, f.Owner, f.Weight)
	}
	m.WriteByte('\n')
	m.h(3, v.T("s4_estimate"))
	m.para(v.T("estimate_note") + v.FactorRule)
	hdr := []string{v.T("id")}
	right := []int{}
	for _, when := range []string{"legend_initial", "legend_residual"} {
		right = append(right, len(hdr), len(hdr)+1, len(hdr)+2)
		hdr = append(hdr, col(v, when, "p"), col(v, when, "i"), col(v, when, "score"))
		if v.Matrix {
			hdr = append(hdr, col(v, when, "degree"))
		}
		hdr = append(hdr, col(v, when, "level"))
	}
	m.header(hdr, right...)
	for _, f := range v.Factors {
		cells := []string{f.ID}
		for _, e := range []estimateRow{f.Before, f.After} {
			cells = append(cells, e.P, e.I, e.Score)
			if v.Matrix {
				cells = append(cells, e.Degree)
			}
			cells = append(cells, e.Level)
		}
		m.row(cells...)
	}
	m.WriteByte('\n')

	m.h(2, v.T("s5"))
	if len(v.Measures) > 0 {
		m.header([]string{v.T("factor"), v.T("id"), v.T("measure"), v.T("owner"), v.T("due")})
		for _, x := range v.Measures {
			m.row(x.Factor, x.ID, x.Description, x.Owner, x.Due)
		}
		m.WriteByte('\n')
	} else {
		m.para(v.T("no_measures"))
	}

	m.h(2, v.T("s6"))
	m.para(v.T("index_note") + v.T("thresholds") + v.Colon() + v.IndexRule)
	m.header([]string{"", v.T("index"), v.T("index_level"), v.T("floor_rule"), v.T("final_level"), v.T("counts")}, 1, 5)
	for _, l := range v.Levels {
		m.row(l.When, l.Index, l.IndexLevel, l.Floor, l.Level, l.Counts)
	}
	m.WriteByte('\n')
	if sv := v.Sens; sv != nil {
		// The tornado chart's bars as a table: Markdown carries no SVG.
		m.h(3, v.T("sensitivity"))
		m.para(sv.Margin)
		if sv.Distribution != "" {
			m.para(sv.Distribution)
		}
		m.para(v.T("tornado_table"))
		m.header([]string{v.T("id"), v.T("swing_low"), v.T("swing_high"), v.T("swing")}, 1, 2, 3)
		for _, r := range sv.Rows {
			m.row(r.ID, r.Low, r.High, r.Swing)
		}
		m.WriteByte('\n')
	}

	m.h(2, v.T("s7"))
	m.escBlock(v.T("conclusion_level"))
	m.WriteString(v.Space() + "**")
	m.esc(v.ResidualLevel)
	m.WriteString("**")
	m.esc(v.Paren("R = "+v.Levels[1].Index) + v.Stop())
	m.WriteString("\n\n")
	m.kv(v, []pair{{v.T("regime"), v.RegimeLabel}, {v.T("legal_basis"), v.LegalBasis}, {v.T("outcome"), v.Outcome}})
	if len(v.Reasons) > 0 {
		m.h(3, v.T("reasons"))
		m.list(v.Reasons, false)
	}
	if len(v.Recommend) > 0 {
		m.h(3, v.T("recommendations"))
		for _, p := range v.Recommend {
			m.para(p)
		}
	}

	m.h(2, v.T("s8"))
	if v.PlanTitle == "" && len(v.PlanPoints) == 0 {
		m.para(v.T("no_plan"))
	}
	if v.PlanTitle != "" {
		m.WriteString("**")
		m.esc(v.T("plan_filed"))
		m.WriteString("**" + v.Colon())
		m.esc(v.PlanTitle)
		m.WriteString("\n\n")
	}
	if len(v.PlanPoints) > 0 {
		m.h(3, v.T("plan_summary"))
		m.list(v.PlanPoints, true)
	}

	if f := v.Follow; f != nil {
		m.h(2, v.T("s9"))
		m.para(f.Summary)
		m.header([]string{v.T("id"), v.T("measure"), v.T("owner"), v.T("due"), v.T("measure_state"), v.T("measure_progress")})
		for _, x := range f.Rows {
			m.row(x.ID, x.Description, x.Owner, x.Due, x.State, x.Progress)
		}
		m.WriteByte('\n')
		if len(f.FollowUps) > 0 {
			m.h(3, v.T("follow_ups"))
			m.list(f.FollowUps, false)
		}
	}

	m.h(2, v.T("appendix_a"))
	m.para(v.T("explain_note"))
	for i, s := range v.Steps {
		m.WriteString(itoa(i + 1))
		m.WriteString(". ")
		if s.Key != "" {
			m.WriteString("**")
			m.esc(s.Key)
			m.WriteString("**: ")
		}
		m.esc(s.Text)
		m.WriteByte('\n')
	}
	m.WriteByte('\n')
	m.h(2, v.T("appendix_b"))
	if len(v.Warnings) > 0 {
		if v.Chinese() {
			m.header([]string{v.T("finding"), v.T("place")})
			for _, p := range v.Warnings {
				m.row(p.Rule, p.Place)
			}
		} else {
			m.header([]string{v.T("code"), v.T("field"), v.T("message")})
			for _, p := range v.Warnings {
				m.row(p.Code, p.Field, p.Message)
			}
		}
		m.WriteByte('\n')
	} else {
		m.para(v.T("no_warnings"))
	}
	m.WriteString("---\n\n")
	m.para(v.Footer)
}
