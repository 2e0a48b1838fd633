package sheet

import (
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// The sheets of a factor table: the factors (因素), their measures (措施)
// and the area catalogue (领域) the area column's drop-down list reads.
const (
	FactorsSheet  = "因素"
	MeasuresSheet = "措施"
	AreasSheet    = "领域"
)

// The columns of the factors sheet, in the template's order.
var factorColumns = []column{
	{"id", "编号", "ID"},
	{"area", "领域", "Area"},
	{"name", "风险因素", "Factor"},
	{"weight", "权重", "Weight"},
	{"initial_probability", "措施前可能性", "Initial probability"},
	{"initial_impact", "措施前影响程度", "Initial impact"},
	{"residual_probability", "措施后可能性", "Residual probability"},
	{"residual_impact", "措施后影响程度", "Residual impact"},
}

// The columns of the measures sheet.
var measureColumns = []column{
	{"factor", "因素编号", "Factor ID"},
	{"id", "编号", "ID"},
	{"description", "措施", "Measure"},
	{"owner", "责任单位", "Owner"},
	{"due", "完成时限", "Due"},
}

// templateRows is how many data rows the template's drop-down and number
// rules cover.
const templateRows = 500

// parseArea reads an area by its code, zh-CN or English label.
func parseArea(s string) (riskeval.Area, bool) {
	s = strings.TrimSpace(s)
	for _, a := range riskeval.Areas() {
		zh, en := a.Label(ssra.LangZH), a.Label(ssra.LangEN)
		if s == a.String() || s == zh || strings.EqualFold(s, en) || s == zh+" "+en {
			return a, true
		}
	}
	return 0, false
}

// ReadFactors reads an assessment's factor table: id, area (code or label),
// name, weight, the initial and residual probability and impact (whole
// numbers 1 to 5; the residual pair may be left empty together) and, from
// the measures sheet when present, each factor's measures. The factors go
// into a draft assessment; the assessment's own validation then checks
// them against its profile.
//
// It returns the factors and the warnings (formulas). Errors: every bad
// cell at once, named by sheet and cell (因素!E7), in an error of kind
// ssra.KindInvalid; a file or sheet over lim likewise. CSV holds the
// factors sheet only.
func ReadFactors(r io.Reader, f Format, lim Limits) ([]riskeval.Factor, ssra.Problems, error) {
	const op = "sheet.ReadFactors"
	lim = lim.orDefault()
	b, err := readAll(op, r, lim.MaxBytes)
	if err != nil {
		return nil, nil, err
	}
	g, err := readGridBytes(op, b, f, FactorsSheet, lim)
	if err != nil {
		return nil, nil, err
	}
	var ps ssra.Problems
	at, _ := findColumns(g, factorColumns, []string{"id", "area", "name", "weight", "initial_probability", "initial_impact"}, &ps)
	if ps.HasErrors() {
		return nil, nil, ps.Err(op)
	}
	var out []riskeval.Factor
	index := map[string]int{}
	for r := 1; r < len(g.rows); r++ {
		if blank(g.rows[r]) {
			continue
		}
		fc := riskeval.Factor{ID: g.cell(r, at["id"]), Name: g.cell(r, at["name"])}
		switch _, dup := index[fc.ID]; {
		case fc.ID == "":
			ps.Add("cell.required", g.ref(r, at["id"]), "is required: the factor's ID")
		case dup:
			ps.Add("cell.duplicate", g.ref(r, at["id"]), "factor %q appears twice", fc.ID)
		}
		if fc.Name == "" {
			ps.Add("cell.required", g.ref(r, at["name"]), "is required: the factor's name")
		}
		if a, ok := parseArea(g.cell(r, at["area"])); ok {
			fc.Area = a
		} else {
			ps.Add("cell.area", g.ref(r, at["area"]), "must be one of the areas of the catalogue (the drop-down list, or their codes), not %q", g.cell(r, at["area"]))
		}
		if d, ok := g.decimalAt(&ps, r, at["weight"]); ok {
			fc.Weight = d
		} else if g.cell(r, at["weight"]) == "" {
			ps.Add("cell.required", g.ref(r, at["weight"]), "is required: the factor's weight")
		}
		fc.Initial.Probability = g.intAt(&ps, r, at["initial_probability"], 1, 5)
		fc.Initial.Impact = g.intAt(&ps, r, at["initial_impact"], 1, 5)
		rp, rpOK := at["residual_probability"]
		ri, riOK := at["residual_impact"]
		if rpOK && riOK && (g.cell(r, rp) != "" || g.cell(r, ri) != "") {
			fc.Residual = &riskeval.Estimate{Probability: g.intAt(&ps, r, rp, 1, 5), Impact: g.intAt(&ps, r, ri, 1, 5)}
		}
		if fc.ID != "" {
			index[fc.ID] = len(out)
		}
		out = append(out, fc)
	}
	if f == XLSX {
		if err := readMeasures(op, b, lim, out, index, &ps); err != nil {
			return nil, nil, err
		}
	}
	if ps.HasErrors() {
		return nil, nil, ps.Err(op)
	}
	return out, ps.Warnings(), nil
}

// readMeasures adds the measures sheet's rows to their factors; a workbook
// without the sheet has none.
func readMeasures(op string, b []byte, lim Limits, factors []riskeval.Factor, index map[string]int, ps *ssra.Problems) error {
	g, err := readGridBytes(op, b, XLSX, MeasuresSheet, lim)
	if err != nil {
		if hasCode(err, "sheet.missing") {
			return nil
		}
		return err
	}
	at, _ := findColumns(g, measureColumns, []string{"factor", "id", "description"}, ps)
	if ps.HasErrors() {
		return nil
	}
	for r := 1; r < len(g.rows); r++ {
		if blank(g.rows[r]) {
			continue
		}
		fid := g.cell(r, at["factor"])
		i, ok := index[fid]
		if !ok {
			ps.Add("cell.unknown_factor", g.ref(r, at["factor"]), "names no factor of the factors sheet: %q", fid)
			continue
		}
		m := riskeval.Measure{ID: g.cell(r, at["id"]), Description: g.cell(r, at["description"])}
		if c, ok := at["owner"]; ok {
			m.Owner = g.cell(r, c)
		}
		if c, ok := at["due"]; ok && g.cell(r, c) != "" {
			d, err := ssra.ParseDate(g.cell(r, c))
			if err != nil {
				ps.Add("cell.not_date", g.ref(r, c), "must be a date YYYY-MM-DD (as text), not %q", g.cell(r, c))
			} else {
				m.Due = d
			}
		}
		if m.ID == "" {
			ps.Add("cell.required", g.ref(r, at["id"]), "is required: the measure's ID")
		}
		if m.Description == "" {
			ps.Add("cell.required", g.ref(r, at["description"]), "is required: what the measure does")
		}
		factors[i].Measures = append(factors[i].Measures, m)
	}
	return nil
}

func hasCode(err error, code string) bool {
	for _, p := range ssra.ProblemsOf(err) {
		if p.Code == code {
			return true
		}
	}
	return false
}

// readGridBytes is readGrid on a file already read.
func readGridBytes(op string, b []byte, f Format, sheet string, lim Limits) (grid, error) {
	switch f {
	case XLSX:
		return readXLSX(op, b, sheet, lim)
	case CSV:
		return readCSV(op, b, sheet, lim)
	}
	return grid{}, ssra.Errorf(ssra.KindInvalid, op, "unknown format %v", f)
}

// WriteFactors writes a factor table as ReadFactors reads it, with the
// area catalogue sheet and, on the factors sheet, the area column's
// drop-down list and whole-number rules for the grades. With no factors it
// is the empty template that ssrad serves. Dates are written as text
// YYYY-MM-DD, so that no spreadsheet turns them into serial numbers.
func WriteFactors(w io.Writer, factors []riskeval.Factor) error {
	return WriteFactorsIn(w, factors, ssra.LangZH)
}

// WriteFactorsIn is WriteFactors with the areas written, and offered by
// the drop-down list, in lang (zh-CN or en); ReadFactors reads either.
func WriteFactorsIn(w io.Writer, factors []riskeval.Factor, lang ssra.Lang) error {
	const op = "sheet.WriteFactors"
	areaCol := "B"
	if lang == ssra.LangEN {
		areaCol = "C"
	}
	header := func(cols []column) []any {
		out := make([]any, len(cols))
		for i, c := range cols {
			out[i] = c.header()
		}
		return out
	}
	frows := [][]any{header(factorColumns)}
	mrows := [][]any{header(measureColumns)}
	for _, f := range factors {
		row := []any{f.ID, f.Area.Label(lang), f.Name, f.Weight, f.Initial.Probability, f.Initial.Impact, nil, nil}
		if !f.Area.Valid() {
			row[1] = nil
		}
		if f.Residual != nil {
			row[6], row[7] = f.Residual.Probability, f.Residual.Impact
		}
		frows = append(frows, row)
		for _, m := range f.Measures {
			due := ""
			if !m.Due.IsZero() {
				due = m.Due.String()
			}
			mrows = append(mrows, []any{f.ID, m.ID, m.Description, m.Owner, due})
		}
	}
	arows := [][]any{{"代码 Code", "领域 Area", "Area"}}
	for _, a := range riskeval.Areas() {
		arows = append(arows, []any{a.String(), a.Label(ssra.LangZH), a.Label(ssra.LangEN)})
	}
	x := excelize.NewFile()
	defer x.Close()
	err := func() error {
		if err := x.SetSheetName("Sheet1", FactorsSheet); err != nil {
			return err
		}
		for _, s := range []string{MeasuresSheet, AreasSheet} {
			if _, err := x.NewSheet(s); err != nil {
				return err
			}
		}
		for _, s := range []struct {
			name string
			rows [][]any
		}{{FactorsSheet, frows}, {MeasuresSheet, mrows}, {AreasSheet, arows}} {
			if err := fillSheet(x, s.name, s.rows); err != nil {
				return err
			}
		}
		n := max(templateRows, len(factors)+1)
		area := excelize.NewDataValidation(true)
		area.Sqref = "B2:B" + itoa(n)
		area.SetSqrefDropList("'" + AreasSheet + "'!$" + areaCol + "$2:$" + areaCol + "$" + itoa(len(arows)))
		area.SetError(excelize.DataValidationErrorStyleStop, "领域 Area", "从列表中选择 Choose from the list")
		if err := x.AddDataValidation(FactorsSheet, area); err != nil {
			return err
		}
		grade := excelize.NewDataValidation(true)
		grade.Sqref = "E2:H" + itoa(n)
		if err := grade.SetRange(1, 5, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween); err != nil {
			return err
		}
		grade.SetError(excelize.DataValidationErrorStyleStop, "1–5", "填写1至5的整数 A whole number from 1 to 5")
		if err := x.AddDataValidation(FactorsSheet, grade); err != nil {
			return err
		}
		text, err := x.NewStyle(&excelize.Style{NumFmt: 49}) // "@": text, so dates stay text
		if err != nil {
			return err
		}
		if err := x.SetCellStyle(MeasuresSheet, "E2", "E"+itoa(n), text); err != nil {
			return err
		}
		x.SetActiveSheet(0)
		_, err = x.WriteTo(w)
		return err
	}()
	return ssra.Wrap(ssra.KindInternal, op, err, "cannot write the factor table")
}

func itoa(n int) string { return strconv.Itoa(n) }
