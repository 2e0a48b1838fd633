package sheet_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sheet"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

var items = []sheet.Item{{ID: "1.1", Label: ssra.L("信访事项及时受理率", "timely acceptance")}, {ID: "1.2"}, {ID: "2.1"}}

// randomSubjects are subjects with values of many shapes: long fractions,
// large whole numbers, negatives, and items left out.
func randomSubjects(rng *rand.Rand, n int) []appraisal.Subject {
	out := make([]appraisal.Subject, n)
	for i := range out {
		s := appraisal.Subject{ID: fmt.Sprintf("U%05d", i), Name: fmt.Sprintf("单位 %d", i), Inputs: []appraisal.Input{}}
		if rng.IntN(2) == 0 {
			d := decimal.New(rng.Int64N(1_000_000), -int32(rng.IntN(4)))
			s.Size = &d
		}
		for _, it := range items {
			if rng.IntN(5) == 0 {
				continue
			}
			d := decimal.New(rng.Int64N(2_000_000_000_000)-1_000_000_000_000, -int32(rng.IntN(18)))
			s.Inputs = append(s.Inputs, appraisal.Input{Item: it.ID, Value: &d})
		}
		out[i] = s
	}
	return out
}

func sameSubjects(t *testing.T, got, want []appraisal.Subject) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d subjects, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Name != w.Name || (g.Size == nil) != (w.Size == nil) || (g.Size != nil && !g.Size.Equal(*w.Size)) {
			t.Fatalf("subject %d: got %+v, want %+v", i, g, w)
		}
		if len(g.Inputs) != len(w.Inputs) {
			t.Fatalf("subject %s: %d inputs, want %d", w.ID, len(g.Inputs), len(w.Inputs))
		}
		for j := range w.Inputs {
			if g.Inputs[j].Item != w.Inputs[j].Item || !g.Inputs[j].Value.Equal(*w.Inputs[j].Value) {
				t.Fatalf("subject %s input %d: got %s=%s, want %s=%s", w.ID, j, g.Inputs[j].Item, g.Inputs[j].Value, w.Inputs[j].Item, w.Inputs[j].Value)
			}
		}
	}
}

// TestInputsRoundTrip: export then import gives the same inputs, exactly,
// in both formats, for values a float64 could not hold.
func TestInputsRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 2026))
	for _, f := range []sheet.Format{sheet.XLSX, sheet.CSV} {
		t.Run(f.String(), func(t *testing.T) {
			for round := 0; round < 20; round++ {
				want := randomSubjects(rng, 1+rng.IntN(30))
				var b bytes.Buffer
				if err := sheet.WriteInputs(&b, f, items, want); err != nil {
					t.Fatal(err)
				}
				got, warns, err := sheet.ReadInputs(&b, f, sheet.Limits{})
				if err != nil || len(warns) != 0 {
					t.Fatalf("read back: %v %v", err, warns)
				}
				sameSubjects(t, got, want)
			}
		})
	}
}

// grid builds an XLSX inputs sheet from rows of cells.
func workbook(t testing.TB, sheetName string, rows [][]string) *bytes.Buffer {
	t.Helper()
	x := excelize.NewFile()
	if err := x.SetSheetName("Sheet1", sheetName); err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		for c, v := range row {
			if v == "" {
				continue
			}
			name, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if err := x.SetCellStr(sheetName, name, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := x.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return &b
}

func fields(err error) []string {
	var out []string
	for _, p := range ssra.ProblemsOf(err) {
		out = append(out, p.Field)
	}
	slices.Sort(out)
	return out
}

// TestInputsBadCells: a sheet with errors in chosen cells reports exactly
// those cells, all at once.
func TestInputsBadCells(t *testing.T) {
	rows := [][]string{{"编号 ID", "名称 Name", "规模 Size", "1.1", "1.2"}}
	for i := 0; i < 10; i++ {
		rows = append(rows, []string{fmt.Sprintf("U%d", i), "unit", "100", "0.95", "12"})
	}
	rows[3][3] = "95%"      // D4
	rows[5][4] = "twelve"   // E6
	rows[7][0] = ""         // A8: no ID
	rows[9][0] = "U1"       // A10: duplicate of row 3
	rows[10][2] = "1,000.5" // C11: thousands separator
	_, _, err := sheet.ReadInputs(workbook(t, sheet.InputsSheet, rows), sheet.XLSX, sheet.Limits{})
	want := []string{"考核数据!A10", "考核数据!A8", "考核数据!C11", "考核数据!D4", "考核数据!E6"}
	if got := fields(err); !slices.Equal(got, want) || ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("problems at %v, want %v: %v", got, want, err)
	}
	for _, p := range ssra.ProblemsOf(err) {
		if p.Field == "考核数据!D4" && p.Code != "cell.percent" {
			t.Fatalf("a percentage: %v", p)
		}
	}
}

func TestInputsFormulaReadByCachedValue(t *testing.T) {
	x := excelize.NewFile()
	_ = x.SetSheetName("Sheet1", sheet.InputsSheet)
	_ = x.SetSheetRow(sheet.InputsSheet, "A1", &[]any{"编号 ID", "1.1"})
	_ = x.SetCellStr(sheet.InputsSheet, "A2", "U1")
	// A formula with the value the spreadsheet cached, as Excel saves it
	// (excelize writes no cached value: the cell is rewritten below).
	if err := x.SetCellFormula(sheet.InputsSheet, "B2", "19/20"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := x.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	raw := rezip(t, b.Bytes(), func(name string, data []byte) []byte {
		if strings.HasPrefix(name, "xl/worksheets/") {
			out := bytes.Replace(data, []byte(`<c r="B2" t="str"><f>19/20</f></c>`), []byte(`<c r="B2"><f>19/20</f><v>0.95</v></c>`), 1)
			if bytes.Equal(out, data) {
				t.Fatalf("the formula cell is not where the test expects it: %s", data)
			}
			return out
		}
		return data
	})
	subs, warns, err := sheet.ReadInputs(bytes.NewReader(raw), sheet.XLSX, sheet.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(subs) != 1 || len(subs[0].Inputs) != 1 || subs[0].Inputs[0].Value.String() != "0.95" {
		t.Fatalf("subjects: %+v", subs)
	}
	if len(warns) != 1 || warns[0].Field != "考核数据!B2" || warns[0].Code != "cell.formula" || !strings.Contains(warns[0].Message, "cached value") {
		t.Fatalf("warnings: %v", warns)
	}
}

// rezip rewrites the entries of a zip archive through edit.
func rezip(t *testing.T, in []byte, edit func(name string, data []byte) []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(in), int64(len(in)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(edit(f.Name, data)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

func TestLimitsRefuseBeforeParsing(t *testing.T) {
	rows := [][]string{{"编号 ID", "1.1"}}
	for i := 0; i < 30; i++ {
		rows = append(rows, []string{fmt.Sprintf("U%d", i), "1"})
	}
	b := workbook(t, sheet.InputsSheet, rows).Bytes()
	_, _, err := sheet.ReadInputs(bytes.NewReader(b), sheet.XLSX, sheet.Limits{MaxBytes: int64(len(b) - 1)})
	if got := fields(err); !slices.Equal(got, []string{"file"}) || ssra.ProblemsOf(err)[0].Code != "file.too_large" {
		t.Fatalf("an oversize file: %v", err)
	}
	_, _, err = sheet.ReadInputs(bytes.NewReader(b), sheet.XLSX, sheet.Limits{MaxRows: 29})
	if ps := ssra.ProblemsOf(err); len(ps) != 1 || ps[0].Code != "sheet.too_many_rows" {
		t.Fatalf("too many rows: %v", err)
	}
	if _, _, err := sheet.ReadInputs(bytes.NewReader(b), sheet.XLSX, sheet.Limits{MaxRows: 30}); err != nil {
		t.Fatalf("at the row limit: %v", err)
	}
	_, _, err = sheet.ReadInputs(strings.NewReader("not a zip"), sheet.XLSX, sheet.Limits{})
	if ps := ssra.ProblemsOf(err); len(ps) != 1 || ps[0].Code != "file.not_xlsx" {
		t.Fatalf("not a workbook: %v", err)
	}
}

func TestCSVFromExcelOnAChineseSystem(t *testing.T) {
	// GB18030 text, as Excel saves "CSV" on a zh-CN system.
	gb := []byte{0xb1, 0xe0, 0xba, 0xc5} // 编号
	in := append(append([]byte{}, gb...), []byte(",1.1\nU1,0.95\n")...)
	subs, _, err := sheet.ReadInputs(bytes.NewReader(in), sheet.CSV, sheet.Limits{})
	if err != nil || len(subs) != 1 || subs[0].Inputs[0].Value.String() != "0.95" {
		t.Fatalf("GB18030 CSV: %+v, %v", subs, err)
	}
	bom := append([]byte("\xef\xbb\xbf"), []byte("编号 ID,1.1\nU1,0.1\n")...)
	if subs, _, err := sheet.ReadInputs(bytes.NewReader(bom), sheet.CSV, sheet.Limits{}); err != nil || subs[0].Inputs[0].Value.String() != "0.1" {
		t.Fatalf("CSV with a byte order mark: %+v, %v", subs, err)
	}
}

// TestInputsScoreAfterImport: imported inputs go straight into a scoring
// call of a shipped scheme.
func TestInputsScoreAfterImport(t *testing.T) {
	scheme, err := appraisal.Preset("generic_unit_100")
	if err != nil {
		t.Skipf("no preset: %v", err)
	}
	var its []sheet.Item
	for _, id := range scheme.ItemIDs() {
		its = append(its, sheet.Item{ID: id})
	}
	var b bytes.Buffer
	if err := sheet.WriteInputs(&b, sheet.XLSX, its, []appraisal.Subject{{ID: "U1", Inputs: []appraisal.Input{}}}); err != nil {
		t.Fatal(err)
	}
	subs, _, err := sheet.ReadInputs(&b, sheet.XLSX, sheet.Limits{})
	if err != nil || len(subs) != 1 {
		t.Fatalf("%+v %v", subs, err)
	}
	if _, err := appraisal.Score(scheme, subs[0]); err != nil && ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("Score: %v", err)
	}
}

func TestFactorTableRoundTrip(t *testing.T) {
	want := sample.Plant().Factors
	var b bytes.Buffer
	if err := sheet.WriteFactors(&b, want); err != nil {
		t.Fatal(err)
	}
	got, warns, err := sheet.ReadFactors(bytes.NewReader(b.Bytes()), sheet.XLSX, sheet.Limits{})
	if err != nil || len(warns) != 0 {
		t.Fatalf("read back: %v %v", err, warns)
	}
	if len(got) != len(want) {
		t.Fatalf("%d factors, want %d", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.ID != w.ID || g.Area != w.Area || g.Name != w.Name || !g.Weight.Equal(w.Weight) || g.Initial.Probability != w.Initial.Probability ||
			g.Initial.Impact != w.Initial.Impact || (g.Residual == nil) != (w.Residual == nil) ||
			(w.Residual != nil && (g.Residual.Probability != w.Residual.Probability || g.Residual.Impact != w.Residual.Impact)) {
			t.Fatalf("factor %d: got %+v, want %+v", i, g, w)
		}
		if len(g.Measures) != len(w.Measures) {
			t.Fatalf("factor %s: %d measures, want %d", w.ID, len(g.Measures), len(w.Measures))
		}
		for j := range w.Measures {
			if g.Measures[j] != w.Measures[j] {
				t.Fatalf("factor %s measure %d: got %+v, want %+v", w.ID, j, g.Measures[j], w.Measures[j])
			}
		}
	}
	// The assessment with the imported factors evaluates as the original.
	a := sample.Plant()
	p, err := riskeval.Preset("practice")
	if err != nil {
		t.Fatal(err)
	}
	r1, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	a.Factors = got
	r2, err := riskeval.Evaluate(a, p)
	if err != nil || !r1.Residual.Index.Equal(r2.Residual.Index) {
		t.Fatalf("evaluation after the round trip: %v vs %v (%v)", r1.Residual.Index, r2.Residual.Index, err)
	}
}

// TestFactorTemplate: the template has the three sheets, bilingual
// headers, and the area column's drop-down list reading the catalogue.
func TestFactorTemplate(t *testing.T) {
	var b bytes.Buffer
	if err := sheet.WriteFactors(&b, nil); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&b)
	if err != nil {
		t.Fatal(err)
	}
	if got := x.GetSheetList(); !slices.Equal(got, []string{sheet.FactorsSheet, sheet.MeasuresSheet, sheet.AreasSheet}) {
		t.Fatalf("sheets %v", got)
	}
	if h, _ := x.GetCellValue(sheet.FactorsSheet, "B1"); h != "领域 Area" {
		t.Fatalf("area header %q", h)
	}
	dvs, err := x.GetDataValidations(sheet.FactorsSheet)
	if err != nil {
		t.Fatal(err)
	}
	var list bool
	for _, dv := range dvs {
		if dv.Type == "list" && strings.HasPrefix(dv.Sqref, "B2:") && strings.Contains(dv.Formula1, sheet.AreasSheet) {
			list = true
		}
	}
	if !list {
		t.Fatalf("no area drop-down list: %+v", dvs)
	}
	rows, _ := x.GetRows(sheet.AreasSheet)
	if len(rows) != len(riskeval.Areas())+1 || rows[2][1] != riskeval.Areas()[1].Label(ssra.LangZH) {
		t.Fatalf("area catalogue %v", rows)
	}
}

func TestFactorBadCells(t *testing.T) {
	rows := [][]string{{"编号 ID", "领域 Area", "风险因素 Factor", "权重 Weight", "措施前可能性 Initial probability", "措施前影响程度 Initial impact",
		"措施后可能性 Residual probability", "措施后影响程度 Residual impact"}}
	for i := 0; i < 8; i++ {
		rows = append(rows, []string{fmt.Sprintf("F%d", i), "land_expropriation", "compensation", "0.125", "3", "4", "2", "2"})
	}
	rows[6][4] = "6"                                    // E7: off the scale
	rows[2][1] = "weather"                              // B3: not an area
	rows[4][3] = "heavy"                                // D5: not a number
	rows[8][7] = ""                                     // H9: residual impact missing while its probability is given
	rows[3][1] = "土地房屋征收征用"                             // zh label: fine
	rows[5][1] = "Media and public-opinion orientation" // en label, any case: fine
	_, _, err := sheet.ReadFactors(workbook(t, sheet.FactorsSheet, rows), sheet.XLSX, sheet.Limits{})
	want := []string{"因素!B3", "因素!D5", "因素!E7", "因素!H9"}
	if got := fields(err); !slices.Equal(got, want) {
		t.Fatalf("problems at %v, want %v: %v", got, want, err)
	}
}

// BenchmarkReadInputs10k reads a 10,000-row appraisal inputs workbook
// (the bound: ≤ 2 s); BenchmarkWriteInputs10k is its baseline.
func BenchmarkReadInputs10k(b *testing.B) {
	subs := randomSubjects(rand.New(rand.NewPCG(1, 2)), 10000)
	var buf bytes.Buffer
	if err := sheet.WriteInputs(&buf, sheet.XLSX, items, subs); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for b.Loop() {
		got, _, err := sheet.ReadInputs(bytes.NewReader(data), sheet.XLSX, sheet.Limits{})
		if err != nil || len(got) != 10000 {
			b.Fatal(err)
		}
	}
}

func BenchmarkWriteInputs10k(b *testing.B) {
	subs := randomSubjects(rand.New(rand.NewPCG(1, 2)), 10000)
	for b.Loop() {
		var buf bytes.Buffer
		if err := sheet.WriteInputs(&buf, sheet.XLSX, items, subs); err != nil {
			b.Fatal(err)
		}
	}
}
