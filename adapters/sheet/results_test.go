package sheet_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sheet"
	"github.com/ssra-go/ssra/appraisal"
)

// unitRows scores n units with random plain inputs on the generic unit
// scheme (every item but the veto and the bonus, which count events).
func unitRows(t testing.TB, rng *rand.Rand, n int) (*appraisal.Scheme, []sheet.Scored) {
	t.Helper()
	scheme, err := appraisal.Preset("generic_unit_100")
	if err != nil {
		t.Fatal(err)
	}
	var out []sheet.Scored
	for i := 0; i < n; i++ {
		s := appraisal.Subject{ID: fmt.Sprintf("U%03d", i), Name: fmt.Sprintf("乡镇 %d", i), Inputs: []appraisal.Input{}}
		if i%2 == 0 {
			d := decimal.NewFromInt(int64(1000 + i))
			s.Size = &d
		}
		for _, it := range scheme.Items() {
			var v decimal.Decimal
			switch {
			case it.Kind == appraisal.RuleVeto || it.Kind == appraisal.RuleBonus || it.Kind == appraisal.RuleDeduction && rng.IntN(3) == 0:
				continue
			case it.Kind == appraisal.RuleDeduction:
				v = decimal.NewFromInt(rng.Int64N(3))
			case it.Kind == appraisal.RuleDirect:
				v = decimal.New(rng.Int64N(it.Points.Mul(decimal.NewFromInt(10)).IntPart()+1), -1)
			default:
				v = decimal.New(5000+rng.Int64N(5001), -2) // a rate of 50.00 to 100.00
			}
			s.Inputs = append(s.Inputs, appraisal.Input{Item: it.ID, Value: &v})
		}
		res, err := appraisal.Score(scheme, s)
		if err != nil {
			t.Fatalf("score %s: %v", s.ID, err)
		}
		out = append(out, sheet.ScoredOf(s, res))
	}
	return scheme, out
}

func subjectsOf(rows []sheet.Scored) []appraisal.Subject {
	out := make([]appraisal.Subject, len(rows))
	for i, r := range rows {
		out[i] = r.Subject
	}
	return out
}

// TestResultsRoundTrip: an export with the inputs reads back, with
// ReadInputs, as the very inputs that were scored, in both formats; and
// the read inputs score to the same totals.
func TestResultsRoundTrip(t *testing.T) {
	scheme, rows := unitRows(t, rand.New(rand.NewPCG(7, 17)), 25)
	for _, f := range []sheet.Format{sheet.XLSX, sheet.CSV} {
		t.Run(f.String(), func(t *testing.T) {
			var b bytes.Buffer
			if err := sheet.WriteResults(&b, f, exportOf(scheme, true), rows); err != nil {
				t.Fatal(err)
			}
			got, warns, err := sheet.ReadInputs(bytes.NewReader(b.Bytes()), f, sheet.Limits{})
			if err != nil || len(warns) != 0 {
				t.Fatalf("read back: %v %v", err, warns)
			}
			sameSubjects(t, got, subjectsOf(rows))
			for i, s := range got {
				res, err := appraisal.Score(scheme, s)
				if err != nil || !res.Total().Equal(rows[i].Total) {
					t.Fatalf("%s scores %v after the round trip, want %v (%v)", s.ID, res.Total(), rows[i].Total, err)
				}
			}
		})
	}
}

func exportOf(s *appraisal.Scheme, inputs bool) sheet.Export {
	return sheet.Export{Scheme: appraisal.SchemeRef{Name: s.Name(), Version: s.Version()}, Title: "2026 乡镇考核", Inputs: inputs}
}

// cellAt reads a cell as text.
func cellAt(t *testing.T, x *excelize.File, sheetName, cell string) string {
	t.Helper()
	v, err := x.GetCellValue(sheetName, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestResultsWorkbook: the results sheet holds each subject's totals and
// grade, there is one sheet per section with each item's input and
// amount under bilingual headers, and the figures are the result's.
func TestResultsWorkbook(t *testing.T) {
	scheme, rows := unitRows(t, rand.New(rand.NewPCG(3, 4)), 5)
	var b bytes.Buffer
	if err := sheet.WriteResults(&b, sheet.XLSX, exportOf(scheme, false), rows); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	want := []string{sheet.ResultsSheet, "leadership 组织领导", "disputes 矛盾纠纷排查调处", "handling_quality 信访办理质量",
		"public_security 治安防控和群众安全感", "incidents 重大事件", "bonus 加分", sheet.NotesSheet}
	if got := x.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets %q, want %q", got, want)
	}
	for i, r := range rows {
		row := fmt.Sprint(i + 2)
		if got := cellAt(t, x, sheet.ResultsSheet, "A"+row); got != r.Subject.ID {
			t.Fatalf("A%s = %q, want %s", row, got, r.Subject.ID)
		}
		for col, wantD := range map[string]decimal.Decimal{"C": r.Total, "D": r.Base, "E": r.Deducted, "F": r.Bonus} {
			if got := decimal.RequireFromString(cellAt(t, x, sheet.ResultsSheet, col+row)); !got.Equal(wantD) {
				t.Fatalf("%s%s = %v, want %v", col, row, got, wantD)
			}
		}
		if got := cellAt(t, x, sheet.ResultsSheet, "H"+row); got != r.Grade.Label.ZH {
			t.Fatalf("grade %q, want %q", got, r.Grade.Label.ZH)
		}
		if got := cellAt(t, x, sheet.ResultsSheet, "I"+row); got != r.Grade.Label.EN {
			t.Fatalf("grade (en) %q, want %q", got, r.Grade.Label.EN)
		}
	}
	// The disputes section: agreements_performed (attainment), then two
	// deductions; each an input and an amount, then the subtotals.
	sec := "disputes 矛盾纠纷排查调处"
	for cell, w := range map[string]string{"A1": "编号 ID", "C2": "输入 Input", "D2": "得分 Points", "F2": "扣分 Deduction", "I2": "小计 Earned"} {
		if got := cellAt(t, x, sec, cell); got != w {
			t.Fatalf("%s!%s = %q, want %q", sec, cell, got, w)
		}
	}
	if got := cellAt(t, x, sec, "E1"); !strings.HasPrefix(got, "screening_missed ") {
		t.Fatalf("%s!E1 = %q, want the item's ID and labels", sec, got)
	}
	for i, r := range rows {
		row := fmt.Sprint(i + 3)
		for k, it := range r.Items[2:5] {
			col, _ := excelize.ColumnNumberToName(4 + 2*k)
			if got := decimal.RequireFromString(cellAt(t, x, sec, col+row)); !got.Equal(it.Points) {
				t.Fatalf("%s!%s%s = %v, want %s's points %v", sec, col, row, got, it.ID, it.Points)
			}
		}
	}
	if i, _ := x.GetSheetIndex(sheet.InputsSheet); i >= 0 {
		t.Fatal("an export without inputs has the inputs sheet")
	}
}

// TestResultsWithEventsLeaveInputsOut: inputs a grid cannot hold are left
// out whole, never in part, and the notes say why.
func TestResultsWithEventsLeaveInputsOut(t *testing.T) {
	scheme, rows := unitRows(t, rand.New(rand.NewPCG(5, 6)), 3)
	rows[1].Subject.Inputs = append(rows[1].Subject.Inputs, appraisal.Input{Item: "commendations", Events: []appraisal.Event{{Ref: "doc-1", Level: "provincial"}}})
	var b bytes.Buffer
	if err := sheet.WriteResults(&b, sheet.XLSX, exportOf(scheme, true), rows); err != nil {
		t.Fatal(err)
	}
	_, _, err := sheet.ReadInputs(bytes.NewReader(b.Bytes()), sheet.XLSX, sheet.Limits{})
	if !slices.Contains(fields(err), sheet.InputsSheet) {
		t.Fatalf("inputs read from an export that left them out: %v", err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	notes, _ := x.GetRows(sheet.NotesSheet)
	if !strings.Contains(fmt.Sprint(notes), "commendations") {
		t.Fatalf("the notes do not say which input: %q", notes)
	}
}

// TestResultsCSV: one table, the inputs then the totals then each item's
// amount, every result column skipped by ReadInputs.
func TestResultsCSV(t *testing.T) {
	scheme, rows := unitRows(t, rand.New(rand.NewPCG(9, 9)), 4)
	var b bytes.Buffer
	if err := sheet.WriteResults(&b, sheet.CSV, exportOf(scheme, true), rows); err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b.Bytes())).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	h := recs[0]
	n := len(scheme.ItemIDs())
	if len(h) != 3+n+8+n || h[3+n] != "总分 Total" || !strings.HasPrefix(h[3], scheme.ItemIDs()[0]+" ") {
		t.Fatalf("header %q", h)
	}
	for i, r := range rows {
		if got := decimal.RequireFromString(recs[i+1][3+n]); !got.Equal(r.Total) {
			t.Fatalf("row %d total %v, want %v", i, got, r.Total)
		}
		for k, it := range r.Items {
			if got := decimal.RequireFromString(recs[i+1][3+n+8+k]); !got.Equal(it.Points) {
				t.Fatalf("row %d item %s: %v, want %v", i, it.ID, got, it.Points)
			}
		}
	}
}

// TestRankingExport: a staff ranking exports with the proposed and final
// grades, and its inputs read back as the people's.
func TestRankingExport(t *testing.T) {
	scheme, err := appraisal.Preset("annual_civil_servant")
	if err != nil {
		t.Fatal(err)
	}
	pol, err := appraisal.StaffPolicyPreset("civil_servants_2020")
	if err != nil {
		t.Fatal(err)
	}
	var people []appraisal.Person
	for i := 0; i < 12; i++ {
		var ins []appraisal.Input
		for j, id := range scheme.ItemIDs() {
			v := decimal.NewFromInt(int64(60 + (i*7+j*3)%40))
			ins = append(ins, appraisal.Input{Item: id, Value: &v})
		}
		people = append(people, appraisal.Person{ID: fmt.Sprintf("P%02d", i), Inputs: ins})
	}
	rk, err := appraisal.Rank(scheme, pol, appraisal.Run{Year: 2026}, people)
	if err != nil {
		t.Fatal(err)
	}
	rows := sheet.ScoredOfRanking(rk, people, pol.GradeSet)
	var b bytes.Buffer
	if err := sheet.WriteResults(&b, sheet.XLSX, exportOf(scheme, true), rows); err != nil {
		t.Fatal(err)
	}
	got, _, err := sheet.ReadInputs(bytes.NewReader(b.Bytes()), sheet.XLSX, sheet.Limits{})
	if err != nil || len(got) != len(people) {
		t.Fatalf("%d read back: %v", len(got), err)
	}
	for i, p := range people {
		sameSubjects(t, got[i:i+1], []appraisal.Subject{{ID: p.ID, Inputs: p.Inputs}})
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	excellent := 0
	for i, p := range rk.People {
		row := fmt.Sprint(i + 2)
		if g := cellAt(t, x, sheet.ResultsSheet, "L"+row); g != p.Grade.LabelIn(pol.GradeSet).ZH+" "+p.Grade.LabelIn(pol.GradeSet).EN {
			t.Fatalf("%s final grade %q, want %v", p.ID, g, p.Grade)
		}
		if p.Grade == appraisal.Excellent {
			excellent++
		}
	}
	if excellent != rk.Excellent || excellent == 0 {
		t.Fatalf("%d excellent in the sheet, %d in the ranking", excellent, rk.Excellent)
	}
}

// TestStoredResultDecodes: a result's JSON, as a stored run keeps it,
// decodes into the export's row.
func TestStoredResultDecodes(t *testing.T) {
	scheme, rows := unitRows(t, rand.New(rand.NewPCG(1, 1)), 1)
	res, err := appraisal.Score(scheme, rows[0].Subject)
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var got sheet.Scored
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	w := rows[0]
	if !got.Total.Equal(w.Total) || got.Grade.ID != w.Grade.ID || len(got.Items) != len(w.Items) || len(got.Sections) != len(w.Sections) ||
		!got.Items[3].Points.Equal(w.Items[3].Points) || got.Items[3].Kind != w.Items[3].Kind {
		t.Fatalf("decoded %+v, want %+v", got, w)
	}
}

// TestResultsRefuseMixedSchemes: rows of two schemes are not one export.
func TestResultsRefuseMixedSchemes(t *testing.T) {
	_, rows := unitRows(t, rand.New(rand.NewPCG(2, 2)), 2)
	rows[1].Items = rows[1].Items[1:]
	err := sheet.WriteResults(&bytes.Buffer{}, sheet.XLSX, sheet.Export{}, rows)
	if ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("mixed schemes: %v", err)
	}
}

// BenchmarkWriteResults10k exports the results of 10,000 units scored on
// the generic scheme, with their inputs, as XLSX (six section sheets, the
// results, the inputs); BenchmarkResultsBaseline10k writes the inputs
// sheet alone, its baseline; BenchmarkReadExportInputs10k reads the
// inputs back from the export.
func BenchmarkWriteResults10k(b *testing.B) {
	scheme, rows := unitRows(b, rand.New(rand.NewPCG(10, 10)), 10000)
	ex := exportOf(scheme, true)
	for b.Loop() {
		var buf bytes.Buffer
		if err := sheet.WriteResults(&buf, sheet.XLSX, ex, rows); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResultsBaseline10k(b *testing.B) {
	scheme, rows := unitRows(b, rand.New(rand.NewPCG(10, 10)), 10000)
	var its []sheet.Item
	for _, it := range scheme.Items() {
		its = append(its, sheet.Item{ID: it.ID, Label: it.Label})
	}
	subs := subjectsOf(rows)
	for b.Loop() {
		var buf bytes.Buffer
		if err := sheet.WriteInputs(&buf, sheet.XLSX, its, subs); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkReadExportInputs10k(b *testing.B) {
	scheme, rows := unitRows(b, rand.New(rand.NewPCG(10, 10)), 10000)
	var buf bytes.Buffer
	if err := sheet.WriteResults(&buf, sheet.XLSX, exportOf(scheme, true), rows); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		got, _, err := sheet.ReadInputs(bytes.NewReader(data), sheet.XLSX, sheet.Limits{})
		if err != nil || len(got) != 10000 {
			b.Fatal(err)
		}
	}
}

// TestEmptySheetsAreProblems: a file with no header row is a problem of
// the sheet, never a panic, in either format and for either reader.
func TestEmptySheetsAreProblems(t *testing.T) {
	for _, f := range []sheet.Format{sheet.CSV, sheet.XLSX} {
		var data []byte
		if f == sheet.XLSX {
			data = workbook(t, sheet.InputsSheet, nil).Bytes()
		}
		_, _, err := sheet.ReadInputs(bytes.NewReader(data), f, sheet.Limits{})
		if ssra.KindOf(err) != ssra.KindInvalid || !slices.Contains(fields(err), sheet.InputsSheet) {
			t.Fatalf("%s inputs without a header: %v", f, err)
		}
	}
	_, _, err := sheet.ReadFactors(bytes.NewReader(nil), sheet.CSV, sheet.Limits{})
	if ssra.KindOf(err) != ssra.KindInvalid || !slices.Contains(fields(err), sheet.FactorsSheet) {
		t.Fatalf("factors without a header: %v", err)
	}
}
