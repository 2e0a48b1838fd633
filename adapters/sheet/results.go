package sheet

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

// The fixed sheets of a results export: the results of every subject
// (考核结果) and the notes (说明) saying what the workbook holds.
const (
	ResultsSheet = "考核结果"
	NotesSheet   = "说明"
)

// Scored is one subject's appraisal result as an export shows it. Its JSON
// member names are those of appraisal.Result's encoding, so that a stored
// result decodes into it; Subject and Staff come from elsewhere.
type Scored struct {
	// Subject is the subject scored: its ID, name and size, and its
	// inputs, which the export writes on the inputs sheet when asked.
	Subject appraisal.Subject `json:"-"`
	// Total, Base, Deducted and Bonus are the result's totals.
	Total    decimal.Decimal `json:"total"`
	Base     decimal.Decimal `json:"base"`
	Deducted decimal.Decimal `json:"deducted"`
	Bonus    decimal.Decimal `json:"bonus"`
	// Floored says that deductions were stopped at zero (减完为止).
	Floored bool `json:"floored"`
	// Grade is the band that decided.
	Grade appraisal.Grade `json:"grade"`
	// Sections are the subtotals of every section.
	Sections []appraisal.SectionResult `json:"sections"`
	// Items are every item's result, in the scheme's order.
	Items []appraisal.ItemResult `json:"items"`
	// Staff is the annual appraisal outcome of a member of staff in a
	// ranking, nil for a unit.
	Staff *StaffOutcome `json:"-"`
}

// StaffOutcome is what a ranking decided for one person.
type StaffOutcome struct {
	// Proposed is the grade the band proposed, Grade the final one after
	// the excellent quota (优秀比例), each named in the run's grade set.
	Proposed, Grade ssra.Label
	// Position is the person's place among the candidates for 优秀, 0
	// when not a candidate.
	Position int
	// Why states the decision in a sentence.
	Why string
}

// ScoredOf is the export row of a result: the subject as scored and the
// result's totals, grade, sections and items.
func ScoredOf(s appraisal.Subject, r appraisal.Result) Scored {
	return Scored{Subject: s, Total: r.Total(), Base: r.Base(), Deducted: r.Deducted(), Bonus: r.Bonus(),
		Floored: r.Floored(), Grade: r.Grade(), Sections: r.Sections(), Items: r.Items()}
}

// ScoredOfRanking is the export rows of a ranking, one per person in the
// ranking's order, with each person's inputs and the grades named in the
// grade set.
func ScoredOfRanking(rk appraisal.Ranking, people []appraisal.Person, set appraisal.GradeSet) []Scored {
	out := make([]Scored, len(rk.People))
	for i, p := range rk.People {
		s := ScoredOf(appraisal.Subject{ID: p.ID}, p.Result)
		if i < len(people) && people[i].ID == p.ID {
			s.Subject.Inputs = people[i].Inputs
		}
		s.Staff = &StaffOutcome{Proposed: p.Proposed.LabelIn(set), Grade: p.Grade.LabelIn(set), Position: p.Position, Why: p.Why}
		out[i] = s
	}
	return out
}

// Export says what a results export holds.
type Export struct {
	// Scheme names the scheme that scored, for the notes sheet.
	Scheme appraisal.SchemeRef
	// Title says what was scored (a run's name and period), for the notes.
	Title string
	// Inputs adds each subject's inputs: the inputs sheet that ReadInputs
	// reads back (XLSX), or the item columns of the table (CSV). Inputs
	// that a grid cannot hold (events, a reference, a veto decision) leave
	// them out, and the notes say which.
	Inputs bool
}

// resultWords are the first words of the headers of result columns: a
// reader of inputs skips them, so that an exported table is read back as
// its inputs. An item's ID must not be one of them.
var resultWords = map[string]bool{"总分": true, "基础分": true, "扣分": true, "加分": true, "得分": true, "等次": true,
	"等次英文": true, "判定": true, "拟定等次": true, "最终等次": true, "名次": true, "理由": true, "否决": true, "输入": true,
	"减完为止": true}

// The columns of the results sheet, after ID and name.
var resultColumns = []column{
	{"total", "总分", "Total"},
	{"base", "基础分", "Base"},
	{"deducted", "扣分", "Deducted"},
	{"bonus", "加分", "Bonus"},
	{"floored", "减完为止", "Floored at zero"},
	{"grade", "等次", "Grade"},
	{"grade_en", "等次英文", "Grade (en)"},
	{"decided_by", "判定", "Decided by"},
}

// staffColumns follow them in a staff ranking.
var staffColumns = []column{
	{"proposed", "拟定等次", "Proposed grade"},
	{"final", "最终等次", "Final grade"},
	{"position", "名次", "Position"},
	{"why", "理由", "Why"},
}

// amountHeader names an item's amount by its rule: points earned, a
// deduction or a bonus.
func amountHeader(k appraisal.RuleKind) column {
	switch k {
	case appraisal.RuleDeduction:
		return column{"deduction", "扣分", "Deduction"}
	case appraisal.RuleBonus:
		return column{"bonus", "加分", "Bonus"}
	case appraisal.RuleVeto:
		return column{"veto", "否决", "Veto"}
	}
	return column{"points", "得分", "Points"}
}

// layout is the scheme's shape as the rows' results show it: the items in
// order and the sections that hold items directly.
type layout struct {
	items    []appraisal.ItemResult
	sections []appraisal.SectionResult
	bySec    map[string][]int // section ID → indexes into items
}

func layoutOf(rows []Scored) (layout, error) {
	l := layout{bySec: map[string][]int{}}
	if len(rows) == 0 {
		return l, nil
	}
	l.items, l.sections = rows[0].Items, rows[0].Sections
	for i, it := range l.items {
		l.bySec[it.Section] = append(l.bySec[it.Section], i)
	}
	for r, s := range rows {
		if len(s.Items) != len(l.items) || len(s.Sections) != len(l.sections) {
			return l, fmt.Errorf("row %d (%s) was scored on another scheme: %d items, %d sections; want %d, %d", r, s.Subject.ID, len(s.Items), len(s.Sections), len(l.items), len(l.sections))
		}
		for i := range l.items {
			if s.Items[i].ID != l.items[i].ID {
				return l, fmt.Errorf("row %d (%s): item %d is %q, want %q", r, s.Subject.ID, i, s.Items[i].ID, l.items[i].ID)
			}
		}
	}
	return l, nil
}

// inputItems are the items as the inputs sheet names them.
func (l layout) inputItems() []Item {
	out := make([]Item, len(l.items))
	for i, it := range l.items {
		out[i] = Item{ID: it.ID, Label: it.Label}
	}
	return out
}

// WriteResults writes appraisal results, all scored on one scheme: as
// XLSX, a results sheet (each subject's total, base, deductions, bonuses
// and grade, and for staff the proposed and final grade), one sheet per
// scheme section that holds items (each item's input and points, deduction
// or bonus, and the section's subtotals), the inputs sheet when ex.Inputs
// and the notes; as CSV, one table with the same figures, the items'
// amounts after the totals. Headers are in zh-CN and en. ReadInputs reads
// the inputs back from either.
//
// Rows scored on different schemes are an error of kind ssra.KindInvalid.
func WriteResults(w io.Writer, f Format, ex Export, rows []Scored) error {
	const op = "sheet.WriteResults"
	l, err := layoutOf(rows)
	if err != nil {
		return ssra.Wrap(ssra.KindInvalid, op, err, "the results are not of one scheme")
	}
	staff := len(rows) > 0 && rows[0].Staff != nil
	var inputs [][]any
	var notes []string
	if ex.Inputs {
		subjects := make([]appraisal.Subject, len(rows))
		for i, s := range rows {
			subjects[i] = s.Subject
		}
		var ierr error
		inputs, ierr = inputRows(l.inputItems(), subjects)
		if ierr != nil {
			inputs = nil
			notes = append(notes, "考核数据未附：部分输入不是单一数值 The inputs are not included: some are not plain values")
			for _, p := range ssra.ProblemsOf(ierr) {
				notes = append(notes, p.Field+": "+p.Message)
			}
		}
	}
	switch f {
	case CSV:
		return writeRows(op, w, CSV, ResultsSheet, csvResults(l, rows, staff, inputs))
	case XLSX:
	default:
		return ssra.Errorf(ssra.KindInvalid, op, "unknown format %v", f)
	}
	x := excelize.NewFile()
	defer x.Close()
	err = func() error {
		if err := x.SetSheetName("Sheet1", ResultsSheet); err != nil {
			return err
		}
		if err := fillSheet(x, ResultsSheet, summaryRows(rows, staff)); err != nil {
			return err
		}
		used := map[string]bool{ResultsSheet: true, NotesSheet: true, InputsSheet: true, FactorsSheet: true, MeasuresSheet: true, AreasSheet: true}
		for _, sec := range l.sections {
			idx := l.bySec[sec.ID]
			if len(idx) == 0 {
				continue
			}
			name := sheetName(sec.ID, sec.Label.ZH, used)
			if _, err := x.NewSheet(name); err != nil {
				return err
			}
			if err := writeSection(x, name, l, sec, idx, rows); err != nil {
				return err
			}
		}
		if inputs != nil {
			if _, err := x.NewSheet(InputsSheet); err != nil {
				return err
			}
			if err := fillSheet(x, InputsSheet, inputs); err != nil {
				return err
			}
		}
		if _, err := x.NewSheet(NotesSheet); err != nil {
			return err
		}
		nrows := [][]any{{"项目 Item", "内容 Value"}, {"方案 Scheme", ex.Scheme.Name}, {"版本 Version", ex.Scheme.Version}}
		if ex.Scheme.ID != "" {
			nrows = append(nrows, []any{"方案编号 Scheme ID", ex.Scheme.ID})
		}
		if ex.Scheme.Digest != "" {
			nrows = append(nrows, []any{"摘要 Digest", ex.Scheme.Digest})
		}
		if ex.Title != "" {
			nrows = append(nrows, []any{"考核 Appraisal", ex.Title})
		}
		nrows = append(nrows, []any{"对象数 Subjects", len(rows)})
		for _, n := range notes {
			nrows = append(nrows, []any{"注 Note", n})
		}
		if err := fillSheet(x, NotesSheet, nrows); err != nil {
			return err
		}
		x.SetActiveSheet(0)
		_, err := x.WriteTo(w)
		return err
	}()
	return ssra.Wrap(ssra.KindInternal, op, err, "cannot write the results")
}

// summaryRows are the results sheet: one row per subject.
func summaryRows(rows []Scored, staff bool) [][]any {
	cols := append([]column{colSubject, colName}, resultColumns...)
	if staff {
		cols = append(cols, staffColumns...)
	}
	header := make([]any, len(cols))
	for i, c := range cols {
		header[i] = c.header()
	}
	out := [][]any{header}
	for _, s := range rows {
		out = append(out, append([]any{s.Subject.ID, nilIfEmpty(s.Subject.Name)}, totals(s, staff)...))
	}
	return out
}

// totals are a row's cells under resultColumns (and staffColumns).
func totals(s Scored, staff bool) []any {
	floored := "否 no"
	if s.Floored {
		floored = "是 yes"
	}
	row := []any{s.Total, s.Base, s.Deducted, s.Bonus, floored, nilIfEmpty(s.Grade.Label.ZH), nilIfEmpty(s.Grade.Label.EN), nilIfEmpty(s.Grade.DecidedBy)}
	if staff {
		st := s.Staff
		if st == nil {
			st = &StaffOutcome{}
		}
		var pos any
		if st.Position > 0 {
			pos = st.Position
		}
		row = append(row, nilIfEmpty(labelText(st.Proposed)), nilIfEmpty(labelText(st.Grade)), pos, nilIfEmpty(st.Why))
	}
	return row
}

func labelText(l ssra.Label) string {
	return strings.TrimSpace(l.ZH + " " + l.EN)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// writeSection writes one section's sheet: two header rows (the item, then
// the column: input and amount), one row per subject, and the section's
// subtotals.
func writeSection(x *excelize.File, name string, l layout, sec appraisal.SectionResult, idx []int, rows []Scored) error {
	h1 := []any{colSubject.header(), colName.header()}
	h2 := []any{nil, nil}
	for _, i := range idx {
		it := l.items[i]
		h1 = append(h1, itemTitle(it), nil)
		h2 = append(h2, "输入 Input", amountHeader(it.Kind).header())
	}
	subtotals := []column{{"earned", "小计", "Earned"}, {"max", "满分", "Max"}, {"deducted", "扣分", "Deducted"}, {"relief", "封顶返还", "Cap relief"}, {"bonus", "加分", "Bonus"}}
	h1 = append(h1, strings.TrimSpace(sec.ID+" "+labelText(sec.Label)))
	for i, c := range subtotals {
		if i > 0 {
			h1 = append(h1, nil)
		}
		h2 = append(h2, c.header())
	}
	out := [][]any{h1, h2}
	si := -1
	for j, s := range l.sections {
		if s.ID == sec.ID {
			si = j
		}
	}
	for _, s := range rows {
		row := []any{s.Subject.ID, nilIfEmpty(s.Subject.Name)}
		for _, i := range idx {
			it := s.Items[i]
			var in any
			if it.Input != nil {
				in = *it.Input
			}
			row = append(row, in, it.Points)
		}
		if si >= 0 {
			st := s.Sections[si]
			row = append(row, st.Earned, st.Max, st.Deducted, st.Relief, st.Bonus)
		}
		out = append(out, row)
	}
	if err := fillSheet(x, name, out); err != nil {
		return err
	}
	// The second header row is bold too, the panes frozen under it, and
	// each item's title spans its two columns.
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	last, _ := excelize.CoordinatesToCellName(len(h2), 2)
	if err := x.SetCellStyle(name, "A1", last, bold); err != nil {
		return err
	}
	for k := range idx {
		from, _ := excelize.CoordinatesToCellName(3+2*k, 1)
		to, _ := excelize.CoordinatesToCellName(4+2*k, 1)
		if err := x.MergeCell(name, from, to); err != nil {
			return err
		}
	}
	from, _ := excelize.CoordinatesToCellName(3+2*len(idx), 1)
	to, _ := excelize.CoordinatesToCellName(2+2*len(idx)+len(subtotals), 1)
	if err := x.MergeCell(name, from, to); err != nil {
		return err
	}
	return x.SetPanes(name, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 2, TopLeftCell: "B3", ActivePane: "bottomRight"})
}

// itemTitle is an item's ID and labels.
func itemTitle(it appraisal.ItemResult) string {
	return strings.TrimSpace(it.ID + " " + labelText(it.Label))
}

// csvResults is the CSV table: ID, name, size, the inputs (when included),
// the totals and each item's amount.
func csvResults(l layout, rows []Scored, staff bool, inputs [][]any) [][]any {
	cols := append([]column{}, resultColumns...)
	if staff {
		cols = append(cols, staffColumns...)
	}
	header := []any{colSubject.header(), colName.header(), colSize.header()}
	if inputs != nil {
		header = append(header, inputs[0][3:]...)
	}
	for _, c := range cols {
		header = append(header, c.header())
	}
	for _, it := range l.items {
		a := amountHeader(it.Kind)
		header = append(header, a.zh+" "+it.ID+" "+a.en)
	}
	out := [][]any{header}
	for r, s := range rows {
		row := []any{s.Subject.ID, nilIfEmpty(s.Subject.Name), nil}
		if s.Subject.Size != nil {
			row[2] = *s.Subject.Size
		}
		if inputs != nil {
			row = append(row, inputs[r+1][3:]...)
		}
		row = append(row, totals(s, staff)...)
		for _, it := range s.Items {
			row = append(row, it.Points)
		}
		out = append(out, row)
	}
	return out
}

// sheetName makes a worksheet name from a section's ID and title: at most
// 31 characters, none of []:*?/\, and unique in the workbook.
func sheetName(id, title string, used map[string]bool) string {
	clean := strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\'`, r) {
			return '_'
		}
		return r
	}, strings.TrimSpace(id+" "+title))
	base := truncRunes(clean, 31)
	name := base
	for n := 2; used[name]; n++ {
		suffix := fmt.Sprintf("~%d", n)
		name = truncRunes(clean, 31-utf8.RuneCountInString(suffix)) + suffix
	}
	used[name] = true
	return name
}

func truncRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
