// Package sheet reads and writes the spreadsheets (电子表格) that offices
// keep their data in, XLSX (Excel, WPS) with excelize and CSV with
// encoding/csv: appraisal inputs, subjects × items, for a score or rank
// call or a stored run; appraisal results, with each item's points, the
// deductions, bonuses and grade, one sheet per scheme section; and an
// assessment's factor table, from a template with the area catalogue as a
// drop-down list. Headers are in zh-CN and en.
//
// Reading is strict and complete: every bad cell is an ssra.Problem whose
// field names the sheet and the cell (因素!E7) and whose code names the
// rule, all of them at once in one error of kind ssra.KindInvalid. Numbers
// are read from the text the file stores, never through float64, so that
// 0.1 stays 0.1; they are written as numeric cells from the decimal's own
// digits. A formula is read by the value the spreadsheet cached when it
// last calculated, and a warning says so. A file over Limits.MaxBytes is
// refused before it is opened, and a sheet over Limits.MaxRows when its
// reader reaches the limit, without reading further.
package sheet

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/ssra-go/ssra"
)

// Format is a spreadsheet file format.
type Format uint8

// The formats.
const (
	// XLSX is Office Open XML, as Excel and WPS save it.
	XLSX Format = iota + 1
	// CSV is comma-separated text in UTF-8 (with or without a byte order
	// mark) or, as Excel saves it on a Chinese system, GB18030.
	CSV
)

// String names the format.
func (f Format) String() string {
	switch f {
	case XLSX:
		return "xlsx"
	case CSV:
		return "csv"
	}
	return "format(" + fmt.Sprint(uint8(f)) + ")"
}

// Limits bound what a reader accepts.
type Limits struct {
	// MaxBytes is the largest file, refused before it is opened.
	MaxBytes int64
	// MaxRows is the most data rows (after the header) of a sheet.
	MaxRows int
}

// DefaultLimits are 10 MiB and 20,000 data rows.
func DefaultLimits() Limits { return Limits{MaxBytes: 10 << 20, MaxRows: 20000} }

func (l Limits) orDefault() Limits {
	d := DefaultLimits()
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.MaxRows <= 0 {
		l.MaxRows = d.MaxRows
	}
	return l
}

// grid is one sheet as text: rows of cells (row 1 is the header), and the
// cells that held a formula.
type grid struct {
	sheet    string
	rows     [][]string
	formulas map[[2]int]bool // {row, col}, 0-based
}

// cell is the text of the cell at row r, column c (0-based), "" beyond the
// row's end.
func (g grid) cell(r, c int) string {
	if r < len(g.rows) && c < len(g.rows[r]) {
		return strings.TrimSpace(g.rows[r][c])
	}
	return ""
}

// ref names a cell as problems do: sheet!C7.
func (g grid) ref(r, c int) string {
	name, err := excelize.CoordinatesToCellName(c+1, r+1)
	if err != nil {
		name = fmt.Sprintf("R%dC%d", r+1, c+1)
	}
	return g.sheet + "!" + name
}

// readAll reads at most limit bytes and refuses a longer file.
func readAll(op string, r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInvalid, op, err, "the file cannot be read")
	}
	if int64(len(b)) > limit {
		return nil, ssra.Problems{{Code: "file.too_large", Field: "file", Message: fmt.Sprintf("is larger than %d bytes; split it", limit)}}.Err(op)
	}
	return b, nil
}

func tooManyRows(op, sheet string, limit int) error {
	return ssra.Problems{{Code: "sheet.too_many_rows", Field: sheet,
		Message: fmt.Sprintf("has more than %d data rows; split it", limit)}}.Err(op)
}

// readGrid reads the sheet named sheet of an XLSX file (a CSV file is its
// one sheet, named sheet in problems).
func readGrid(op string, r io.Reader, f Format, sheet string, lim Limits) (grid, error) {
	lim = lim.orDefault()
	b, err := readAll(op, r, lim.MaxBytes)
	if err != nil {
		return grid{}, err
	}
	return readGridBytes(op, b, f, sheet, lim)
}

func readXLSX(op string, b []byte, sheet string, lim Limits) (grid, error) {
	x, err := excelize.OpenReader(bytes.NewReader(b), excelize.Options{UnzipSizeLimit: 16 * lim.MaxBytes, UnzipXMLSizeLimit: 16 * lim.MaxBytes})
	if err != nil {
		return grid{}, ssra.Problems{{Code: "file.not_xlsx", Field: "file", Message: "is not an XLSX workbook: " + err.Error()}}.Err(op)
	}
	defer x.Close()
	if i, err := x.GetSheetIndex(sheet); err != nil || i < 0 {
		return grid{}, ssra.Problems{{Code: "sheet.missing", Field: sheet,
			Message: fmt.Sprintf("the workbook has no sheet %q (it has %s)", sheet, strings.Join(x.GetSheetList(), ", "))}}.Err(op)
	}
	rows, err := x.Rows(sheet)
	if err != nil {
		return grid{}, ssra.Wrap(ssra.KindInvalid, op, err, "the sheet cannot be read")
	}
	g := grid{sheet: sheet, formulas: map[[2]int]bool{}}
	for rows.Next() {
		if len(g.rows) > lim.MaxRows {
			_ = rows.Close()
			return grid{}, tooManyRows(op, sheet, lim.MaxRows)
		}
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			_ = rows.Close()
			return grid{}, ssra.Wrap(ssra.KindInvalid, op, err, "the sheet cannot be read")
		}
		g.rows = append(g.rows, cols)
	}
	if err := rows.Close(); err != nil {
		return grid{}, ssra.Wrap(ssra.KindInvalid, op, err, "the sheet cannot be read")
	}
	if err := rows.Error(); err != nil {
		return grid{}, ssra.Wrap(ssra.KindInvalid, op, err, "the sheet cannot be read")
	}
	// Formulas: asking each cell parses the sheet a second time, so only a
	// workbook whose worksheets hold a formula element at all is asked, and
	// only for the cells that hold a value.
	if !hasFormulas(x) {
		return g, nil
	}
	for r, row := range g.rows {
		for c, v := range row {
			if v == "" {
				continue
			}
			name, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if f, err := x.GetCellFormula(sheet, name); err == nil && f != "" {
				g.formulas[[2]int{r, c}] = true
			}
		}
	}
	return g, nil
}

// hasFormulas reports whether any worksheet part of the workbook holds a
// formula element (<f> or <f …>). A worksheet excelize kept out of memory
// (over UnzipXMLSizeLimit) counts as holding one.
func hasFormulas(x *excelize.File) bool {
	found := false
	x.Pkg.Range(func(k, v any) bool {
		name, _ := k.(string)
		if !strings.HasPrefix(name, "xl/worksheets/") {
			return true
		}
		b, ok := v.([]byte)
		if !ok || bytes.Contains(b, []byte("<f>")) || bytes.Contains(b, []byte("<f ")) {
			found = true
			return false
		}
		return true
	})
	return found || len(x.GetSheetList()) > countParts(x)
}

// countParts counts the worksheet parts held in memory.
func countParts(x *excelize.File) int {
	n := 0
	x.Pkg.Range(func(k, _ any) bool {
		if name, _ := k.(string); strings.HasPrefix(name, "xl/worksheets/sheet") {
			n++
		}
		return true
	})
	return n
}

func readCSV(op string, b []byte, sheet string, lim Limits) (grid, error) {
	b = bytes.TrimPrefix(b, []byte("\xef\xbb\xbf"))
	if !utf8.Valid(b) {
		u, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b)
		if err != nil {
			return grid{}, ssra.Problems{{Code: "file.encoding", Field: "file", Message: "is neither UTF-8 nor GB18030 text"}}.Err(op)
		}
		b = u
	}
	cr := csv.NewReader(bytes.NewReader(b))
	cr.FieldsPerRecord = -1
	g := grid{sheet: sheet, formulas: map[[2]int]bool{}}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return grid{}, ssra.Problems{{Code: "csv.malformed", Field: fmt.Sprintf("%s!%d", sheet, pe.Line), Message: pe.Err.Error()}}.Err(op)
			}
			return grid{}, ssra.Wrap(ssra.KindInvalid, op, err, "the file cannot be read")
		}
		if len(g.rows) > lim.MaxRows {
			return grid{}, tooManyRows(op, sheet, lim.MaxRows)
		}
		g.rows = append(g.rows, rec)
	}
	return g, nil
}

// column is a column the reader knows, by its accepted headers.
type column struct {
	key    string
	zh, en string
}

// header is a column's header as written: "编号 ID".
func (c column) header() string { return c.zh + " " + c.en }

// matches reports whether a header cell names the column: its zh-CN or
// English name, the key, or both names, ignoring case and spacing.
func (c column) matches(h string) bool {
	h = strings.Join(strings.Fields(strings.ToLower(h)), " ")
	for _, s := range []string{c.zh, strings.ToLower(c.en), c.key, strings.ToLower(c.header())} {
		if h == s {
			return true
		}
	}
	return false
}

// findColumns maps the header row to known columns; other headers are
// returned by index. A known column that appears twice is a problem, and
// a required one that is missing.
func findColumns(g grid, known []column, required []string, ps *ssra.Problems) (map[string]int, map[int]string) {
	at, other := map[string]int{}, map[int]string{}
	if len(g.rows) == 0 {
		ps.Add("sheet.empty", g.sheet, "has no header row")
		return at, other
	}
	for c := range g.rows[0] {
		h := g.cell(0, c)
		if h == "" {
			continue
		}
		matched := false
		for _, k := range known {
			if k.matches(h) {
				matched = true
				if _, dup := at[k.key]; dup {
					ps.Add("header.duplicate", g.ref(0, c), "the column %q appears twice", k.header())
				} else {
					at[k.key] = c
				}
			}
		}
		if !matched {
			other[c] = h
		}
	}
	for _, req := range required {
		if _, ok := at[req]; !ok {
			for _, k := range known {
				if k.key == req {
					ps.Add("header.missing", g.sheet+"!1", "no column %q", k.header())
				}
			}
		}
	}
	return at, other
}

// formulaWarning warns that a cell's value is the formula's cached one.
func (g grid) formulaWarning(ps *ssra.Problems, r, c int) {
	if g.formulas[[2]int{r, c}] {
		ps.Warn("cell.formula", g.ref(r, c), "holds a formula: read by its cached value %q; recalculate and save in the spreadsheet if that is stale", g.cell(r, c))
	}
}

// decimalAt reads an optional decimal cell: an empty cell is absent (ok
// false, no problem); text that is not a plain decimal is a problem.
func (g grid) decimalAt(ps *ssra.Problems, r, c int) (decimal.Decimal, bool) {
	v := g.cell(r, c)
	if v == "" {
		return decimal.Decimal{}, false
	}
	g.formulaWarning(ps, r, c)
	d, err := ssra.ParseDecimal(v)
	if err != nil {
		code, msg := "cell.not_decimal", "must be a number such as 0.95 or 12 ("+err.Error()+")"
		if strings.HasSuffix(v, "%") {
			code, msg = "cell.percent", "must be a plain number: write 0.95 for 95%, or format the cell as a percentage"
		}
		ps.Add(code, g.ref(r, c), "%s", msg)
		return decimal.Decimal{}, false
	}
	return d, true
}

// intAt reads a required whole number from lo to hi.
func (g grid) intAt(ps *ssra.Problems, r, c, lo, hi int) int {
	v := g.cell(r, c)
	if v == "" {
		ps.Add("cell.required", g.ref(r, c), "is required: a whole number from %d to %d", lo, hi)
		return 0
	}
	g.formulaWarning(ps, r, c)
	d, err := ssra.ParseDecimal(v)
	if err != nil || !d.IsInteger() || d.LessThan(decimal.NewFromInt(int64(lo))) || d.GreaterThan(decimal.NewFromInt(int64(hi))) {
		ps.Add("cell.not_grade", g.ref(r, c), "must be a whole number from %d to %d, not %q", lo, hi, v)
		return 0
	}
	return int(d.IntPart())
}

// writeCell writes a value: a decimal as a numeric cell from its own
// digits (never through float64), anything else as text.
func writeCell(x *excelize.File, sheet string, r, c int, v any) error {
	name, err := excelize.CoordinatesToCellName(c+1, r+1)
	if err != nil {
		return err
	}
	switch t := v.(type) {
	case decimal.Decimal:
		return x.SetCellDefault(sheet, name, t.String())
	case int:
		return x.SetCellInt(sheet, name, int64(t))
	case string:
		return x.SetCellStr(sheet, name, t)
	}
	return fmt.Errorf("sheet: cannot write a %T", v)
}
