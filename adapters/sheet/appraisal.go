package sheet

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

// InputsSheet is the name of the appraisal inputs sheet (考核数据).
const InputsSheet = "考核数据"

// The fixed columns of the inputs sheet; every other column is an item,
// headed by the item's ID (its first word: "1.1 信访事项及时受理率" is item
// 1.1).
var (
	colSubject = column{"id", "编号", "ID"}
	colName    = column{"name", "名称", "Name"}
	colSize    = column{"size", "规模", "Size"}
)

// A column headed by a word that heads a result column of WriteResults
// (总分, 得分, 扣分, 加分, 等次 …) is not an item: ReadInputs skips it, so that
// an exported table reads back as its inputs.

// Item names an item column of the inputs sheet when it is written: the
// item's ID and, optionally, its label, which the header shows after it.
type Item struct {
	ID    string
	Label ssra.Label
}

// ReadInputs reads appraisal inputs, one subject (a unit or a person) per
// row and one item per column, into subjects for appraisal.Score,
// appraisal.Rank or a stored run. A cell holds the item's measured value;
// an empty cell is no input for that item. Events, references and veto
// decisions are not read from a grid: add them to the subjects after.
//
// It returns the subjects and the warnings (formulas read by their cached
// values). Errors: every bad cell at once, each named by sheet and cell,
// in an error of kind ssra.KindInvalid; a file or sheet over lim likewise.
func ReadInputs(r io.Reader, f Format, lim Limits) ([]appraisal.Subject, ssra.Problems, error) {
	const op = "sheet.ReadInputs"
	g, err := readGrid(op, r, f, InputsSheet, lim)
	if err != nil {
		return nil, nil, err
	}
	var ps ssra.Problems
	at, other := findColumns(g, []column{colSubject, colName, colSize}, []string{"id"}, &ps)
	if ps.HasErrors() {
		return nil, nil, ps.Err(op) // no header row, or no ID column
	}
	type itemCol struct {
		col int
		id  string
	}
	var items []itemCol
	seen := map[string]int{}
	for c := 0; c < len(g.rows[0]); c++ {
		h, ok := other[c]
		if !ok {
			continue
		}
		id := strings.Fields(h)[0]
		if resultWords[id] {
			continue // a result column of an exported table
		}
		if prev, dup := seen[id]; dup {
			ps.Add("header.duplicate", g.ref(0, c), "item %q has a column already (%s)", id, g.ref(0, prev))
			continue
		}
		seen[id] = c
		items = append(items, itemCol{c, id})
	}
	if ps.HasErrors() {
		return nil, nil, ps.Err(op)
	}
	out := make([]appraisal.Subject, 0, len(g.rows)-1)
	ids := map[string]int{}
	for r := 1; r < len(g.rows); r++ {
		if blank(g.rows[r]) {
			continue
		}
		s := appraisal.Subject{ID: g.cell(r, at["id"]), Inputs: []appraisal.Input{}}
		switch prev, dup := ids[s.ID]; {
		case s.ID == "":
			ps.Add("cell.required", g.ref(r, at["id"]), "is required: the subject's ID")
		case dup:
			ps.Add("cell.duplicate", g.ref(r, at["id"]), "subject %q is on row %d already", s.ID, prev+1)
		default:
			ids[s.ID] = r
		}
		if c, ok := at["name"]; ok {
			s.Name = g.cell(r, c)
		}
		if c, ok := at["size"]; ok {
			if d, ok := g.decimalAt(&ps, r, c); ok {
				s.Size = &d
			}
		}
		for _, it := range items {
			if d, ok := g.decimalAt(&ps, r, it.col); ok {
				s.Inputs = append(s.Inputs, appraisal.Input{Item: it.id, Value: &d})
			}
		}
		out = append(out, s)
	}
	if ps.HasErrors() {
		return nil, nil, ps.Err(op)
	}
	return out, ps.Warnings(), nil
}

func blank(row []string) bool {
	for _, v := range row {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// WriteInputs writes subjects as ReadInputs reads them, with the items as
// columns in the order given (a scheme's ItemIDs, with labels when known).
// An input that a grid cannot hold (events, a reference, a veto), an item
// not among items, or the same item twice for a subject is an error of
// kind ssra.KindInvalid naming the subject and item.
func WriteInputs(w io.Writer, f Format, items []Item, subjects []appraisal.Subject) error {
	const op = "sheet.WriteInputs"
	rows, err := inputRows(items, subjects)
	if err != nil {
		return err
	}
	return writeRows(op, w, f, InputsSheet, rows)
}

// inputRows are the inputs sheet's rows: the header, then one row per
// subject.
func inputRows(items []Item, subjects []appraisal.Subject) ([][]any, error) {
	const op = "sheet.WriteInputs"
	col := map[string]int{}
	header := []string{colSubject.header(), colName.header(), colSize.header()}
	for i, it := range items {
		col[it.ID] = len(header)
		h := it.ID
		if it.Label.ZH != "" {
			h += " " + it.Label.ZH
		}
		if it.Label.EN != "" {
			h += " " + it.Label.EN
		}
		header = append(header, h)
		if strings.Fields(it.ID) == nil || len(strings.Fields(it.ID)) != 1 || resultWords[it.ID] {
			return nil, ssra.Errorf(ssra.KindInvalid, op, "item %d: an item ID must be one word, and not a word that heads a result column, not %q", i, it.ID)
		}
	}
	rows := make([][]any, 0, len(subjects)+1)
	hrow := make([]any, len(header))
	for i, h := range header {
		hrow[i] = h
	}
	rows = append(rows, hrow)
	var ps ssra.Problems
	for i, s := range subjects {
		row := make([]any, len(header))
		row[0], row[1] = s.ID, s.Name
		if s.Size != nil {
			row[2] = *s.Size
		}
		for j, in := range s.Inputs {
			field := ssra.JoinPath(ssra.Index("subjects", i), ssra.Index("inputs", j))
			c, ok := col[in.Item]
			switch {
			case !ok:
				ps.Add("item.not_in_sheet", field, "item %q is not among the sheet's items", in.Item)
			case len(in.Events) > 0 || in.Reference != nil || in.Veto != nil:
				ps.Add("input.not_a_value", field, "item %q has events, a reference or a veto, which a grid does not hold", in.Item)
			case row[c] != nil:
				ps.Add("input.duplicate", field, "item %q twice", in.Item)
			case in.Value != nil:
				row[c] = *in.Value
			}
		}
		rows = append(rows, row)
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	return rows, nil
}

// writeRows writes one sheet of rows: nil cells are empty.
func writeRows(op string, w io.Writer, f Format, sheet string, rows [][]any) error {
	switch f {
	case CSV:
		var b bytes.Buffer
		cw := csv.NewWriter(&b)
		for _, row := range rows {
			rec := make([]string, len(row))
			for i, v := range row {
				switch t := v.(type) {
				case nil:
				case decimal.Decimal:
					rec[i] = t.String()
				default:
					rec[i] = fmt.Sprint(t)
				}
			}
			if err := cw.Write(rec); err != nil {
				return ssra.Wrap(ssra.KindInternal, op, err, "cannot write CSV")
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return ssra.Wrap(ssra.KindInternal, op, err, "cannot write CSV")
		}
		_, err := w.Write(b.Bytes())
		return ssra.Wrap(ssra.KindInternal, op, err, "cannot write CSV")
	case XLSX:
		x := excelize.NewFile()
		defer x.Close()
		if err := x.SetSheetName("Sheet1", sheet); err != nil {
			return ssra.Wrap(ssra.KindInternal, op, err, "cannot name the sheet")
		}
		if err := fillSheet(x, sheet, rows); err != nil {
			return ssra.Wrap(ssra.KindInternal, op, err, "cannot write the sheet")
		}
		_, err := x.WriteTo(w)
		return ssra.Wrap(ssra.KindInternal, op, err, "cannot write XLSX")
	}
	return ssra.Errorf(ssra.KindInvalid, op, "unknown format %v", f)
}

// fillSheet writes rows into a sheet of x, the header bold and frozen.
func fillSheet(x *excelize.File, sheet string, rows [][]any) error {
	for r, row := range rows {
		for c, v := range row {
			if v == nil {
				continue
			}
			if err := writeCell(x, sheet, r, c, v); err != nil {
				return err
			}
		}
	}
	if len(rows) == 0 {
		return nil
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	last, err := excelize.CoordinatesToCellName(max(len(rows[0]), 1), 1)
	if err != nil {
		return err
	}
	if err := x.SetCellStyle(sheet, "A1", last, bold); err != nil {
		return err
	}
	return x.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}
