package rest_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/textproto"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/sheet"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/internal/sample"
)

const mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// factorBook is the sample assessment's factor table as XLSX.
func factorBook(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := sheet.WriteFactors(&b, sample.Plant().Factors); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// unitSheet is an inputs sheet of n units for the generic unit scheme.
func unitSheet(t *testing.T, f sheet.Format, n int) ([]byte, []appraisal.Subject) {
	t.Helper()
	scheme, err := appraisal.Preset("generic_unit_100")
	if err != nil {
		t.Fatal(err)
	}
	var items []sheet.Item
	var subs []appraisal.Subject
	for _, it := range scheme.Items() {
		items = append(items, sheet.Item{ID: it.ID, Label: it.Label})
	}
	for i := 0; i < n; i++ {
		s := appraisal.Subject{ID: fmt.Sprintf("town-%d", i), Name: fmt.Sprintf("镇 %d", i), Inputs: []appraisal.Input{}}
		for _, it := range scheme.Items() {
			var v decimal.Decimal
			switch it.Kind {
			case appraisal.RuleVeto, appraisal.RuleBonus:
				continue
			case appraisal.RuleDeduction:
				v = decimal.NewFromInt(int64(i % 2))
			case appraisal.RuleDirect:
				v = it.Points.Sub(decimal.NewFromInt(int64(i % 3)))
			default:
				v = decimal.RequireFromString(fmt.Sprintf("%d.5", 80+i))
			}
			s.Inputs = append(s.Inputs, appraisal.Input{Item: it.ID, Value: &v})
		}
		subs = append(subs, s)
	}
	var b bytes.Buffer
	if err := sheet.WriteInputs(&b, f, items, subs); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), subs
}

// multipartBody is a multipart body with the file part and, when meta is
// not empty, the JSON part.
func multipartBody(t *testing.T, file []byte, fileType, metaName, meta string) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="table.xlsx"`)
	h.Set("Content-Type", fileType)
	p, err := w.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = p.Write(file)
	if meta != "" {
		mw, err := w.CreateFormField(metaName)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = mw.Write([]byte(meta))
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes(), w.FormDataContentType()
}

func problemFields(r reply) []string {
	var out []string
	list, _ := r.body["errors"].([]any)
	for _, e := range list {
		out = append(out, e.(map[string]any)["field"].(string))
	}
	slices.Sort(out)
	return out
}

func TestSheetTemplates(t *testing.T) {
	f := newFixture(t)
	key := keyOf(orgA, ssra.RoleViewer)
	for _, lang := range []string{"zh-CN", "en"} {
		r := f.call(t, "GET", "/v1/sheets/factor_template?lang="+lang, key, nil).must(t, 200)
		if ct := r.hdr.Get("Content-Type"); ct != mimeXLSX || !strings.Contains(r.hdr.Get("Content-Disposition"), "attachment") {
			t.Fatalf("template served as %q, %q", ct, r.hdr.Get("Content-Disposition"))
		}
		x, err := excelize.OpenReader(strings.NewReader(r.raw))
		if err != nil {
			t.Fatal(err)
		}
		dv, err := x.GetDataValidations(sheet.FactorsSheet)
		if err != nil || len(dv) == 0 {
			t.Fatalf("no drop-down: %v", err)
		}
		col := map[string]string{"zh-CN": "$B$", "en": "$C$"}[lang]
		if !strings.Contains(dv[0].Formula1, col) {
			t.Fatalf("%s drop-down reads %q, want the column %s", lang, dv[0].Formula1, col)
		}
		_ = x.Close()
	}
	f.call(t, "GET", "/v1/sheets/factor_template?lang=fr", key, nil).must(t, 400)
	r := f.call(t, "GET", "/v1/sheets/appraisal_template?scheme=generic_unit_100&format=csv", key, nil).must(t, 200)
	if !strings.HasPrefix(r.raw, "编号 ID,名称 Name,规模 Size,organisation ") {
		t.Fatalf("inputs template: %q", r.raw)
	}
	f.call(t, "GET", "/v1/sheets/appraisal_template?scheme=nope", key, nil).must(t, 422)
	f.call(t, "GET", "/v1/sheets/appraisal_template", key, nil).must(t, 400)
}

// TestImportFactorTable: a factor table becomes a draft whose factors are
// the sheet's, by a bare body or by multipart with the assessment part;
// every bad cell is named at once; nothing is stored on a refusal.
func TestImportFactorTable(t *testing.T) {
	f := newFixtureWith(t, rest.Config{AuthFailureLimit: -1, SheetLimit: 64 << 10})
	as := keyOf(orgA, ssra.RoleAssessor)
	book := factorBook(t)
	r := f.call(t, "POST", "/v1/sheets/assessments?kind=project&name=heating+plant&regime=ndrc2012_project", as, book, "Content-Type", mimeXLSX).must(t, 201)
	facs, _ := r.body["data"].(map[string]any)["assessment"].(map[string]any)["factors"].([]any)
	if len(facs) != len(sample.Plant().Factors) || r.str("data", "assessment", "subject", "name") != "heating plant" {
		t.Fatalf("draft: %s", r.raw)
	}
	id := r.str("id")
	// Exported and imported again: the same factor table.
	exp := f.call(t, "GET", "/v1/assessments/"+id+"/factors", as, nil).must(t, 200)
	again, _, err := sheet.ReadFactors(strings.NewReader(exp.raw), sheet.XLSX, sheet.Limits{})
	if err != nil || len(again) != len(sample.Plant().Factors) || again[0].Weight.String() != sample.Plant().Factors[0].Weight.String() {
		t.Fatalf("export: %v %v", again, err)
	}
	f.call(t, "GET", "/v1/assessments/"+id+"/factors", keyOf(orgB, ssra.RoleAssessor), nil).must(t, 404)

	meta := `{"profile":"practice","assessment":{"subject":{"kind":"decision","name":"fare reform","responsible_unit":"transport bureau"},"regime":"central2012_decision"}}`
	body, ct := multipartBody(t, book, mimeXLSX, "assessment", meta)
	r = f.call(t, "POST", "/v1/sheets/assessments", as, body, "Content-Type", ct).must(t, 201)
	if r.str("data", "assessment", "subject", "kind") != "decision" {
		t.Fatalf("multipart draft: %s", r.raw)
	}
	before := len(f.store.actions)

	// Bad cells: a grade of 7 in E3 and an area not in the catalogue in B4.
	x, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	_ = x.SetCellInt(sheet.FactorsSheet, "E3", 7)
	_ = x.SetCellStr(sheet.FactorsSheet, "B4", "外星")
	var bad bytes.Buffer
	if _, err := x.WriteTo(&bad); err != nil {
		t.Fatal(err)
	}
	r = f.call(t, "POST", "/v1/sheets/assessments?kind=project&name=x", as, bad.Bytes(), "Content-Type", mimeXLSX).must(t, 422)
	if got, want := problemFields(r), []string{"因素!B4", "因素!E3"}; !slices.Equal(got, want) {
		t.Fatalf("problems at %v, want %v: %s", got, want, r.raw)
	}
	r = f.call(t, "POST", "/v1/sheets/assessments?kind=project", as, bytes.Repeat([]byte("x"), 70<<10), "Content-Type", mimeXLSX).must(t, 413)
	if r.str("type") == "" {
		t.Fatalf("413 without a problem: %s", r.raw)
	}
	f.call(t, "POST", "/v1/sheets/assessments?kind=project", as, book, "Content-Type", "application/json").must(t, 415)
	f.call(t, "POST", "/v1/sheets/assessments?kind=planet", as, book, "Content-Type", mimeXLSX).must(t, 400)
	f.call(t, "POST", "/v1/sheets/assessments?kind=project", keyOf(orgA, ssra.RoleViewer), book, "Content-Type", mimeXLSX).must(t, 403)
	if after := len(f.store.actions); after != before {
		t.Fatalf("refused imports wrote %d audit events", after-before)
	}
	if a := f.store.actions[before-1]; a != "assessment.import" {
		t.Fatalf("the import is audited as %q", a)
	}
	// Evaluate without storing.
	r = f.call(t, "POST", "/v1/sheets/evaluate?kind=project&name=plant&regime=ndrc2012_project", keyOf(orgA, ssra.RoleViewer), book, "Content-Type", mimeXLSX).must(t, 200)
	if facs, _ := r.body["factors"].([]any); len(facs) != len(sample.Plant().Factors) || r.str("regime", "id") != "ndrc2012_project" {
		t.Fatalf("evaluation: %.300s", r.raw)
	}
}

// TestScoreAndRunFromSheets: inputs score from a sheet; a stored run is
// made from one and exported, and its export reads back as the inputs.
func TestScoreAndRunFromSheets(t *testing.T) {
	f := newFixture(t)
	viewer := keyOf(orgA, ssra.RoleViewer)
	book, subs := unitSheet(t, sheet.XLSX, 6)
	r := f.call(t, "POST", "/v1/sheets/score?scheme=generic_unit_100", viewer, book, "Content-Type", mimeXLSX).must(t, 200)
	if res, _ := r.body["results"].([]any); len(res) != len(subs) {
		t.Fatalf("score: %.400s", r.raw)
	}
	for _, format := range []string{"xlsx", "csv"} {
		in, _ := unitSheet(t, formatOf(format), 6)
		ct := map[string]string{"xlsx": mimeXLSX, "csv": "text/csv; charset=utf-8"}[format]
		r = f.call(t, "POST", "/v1/sheets/score?scheme=generic_unit_100&format="+format, viewer, in, "Content-Type", ct).must(t, 200)
		got, _, err := sheet.ReadInputs(strings.NewReader(r.raw), formatOf(format), sheet.Limits{})
		if err != nil || len(got) != len(subs) || got[2].Inputs[1].Value.String() != subs[2].Inputs[1].Value.String() {
			t.Fatalf("%s export read back: %v %v", format, got, err)
		}
	}
	appraiser := keyOf(orgA, ssra.RoleAppraiser)
	r = f.call(t, "POST", "/v1/sheets/appraisal_runs?kind=units&scheme=generic_unit_100&from=2026-01-01&to=2026-12-31", appraiser, book, "Content-Type", mimeXLSX).must(t, 201)
	id := r.str("id")
	exp := f.call(t, "GET", "/v1/appraisal_runs/"+id+"/export", viewer, nil).must(t, 200)
	got, _, err := sheet.ReadInputs(strings.NewReader(exp.raw), sheet.XLSX, sheet.Limits{})
	if err != nil || len(got) != len(subs) {
		t.Fatalf("run export read back: %v", err)
	}
	for i := range subs {
		if got[i].ID != subs[i].ID || len(got[i].Inputs) != len(subs[i].Inputs) {
			t.Fatalf("subject %d: %+v, want %+v", i, got[i], subs[i])
		}
	}
	f.call(t, "GET", "/v1/appraisal_runs/"+id+"/export", keyOf(orgB, ssra.RoleAdmin), nil).must(t, 404)

	// Bad cells are named, all at once.
	x, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	_ = x.SetCellStr(sheet.InputsSheet, "D2", "九十")
	_ = x.SetCellStr(sheet.InputsSheet, "E5", "95%")
	var bad bytes.Buffer
	if _, err := x.WriteTo(&bad); err != nil {
		t.Fatal(err)
	}
	r = f.call(t, "POST", "/v1/sheets/score?scheme=generic_unit_100", viewer, bad.Bytes(), "Content-Type", mimeXLSX).must(t, 422)
	if got, want := problemFields(r), []string{"考核数据!D2", "考核数据!E5"}; !slices.Equal(got, want) {
		t.Fatalf("problems at %v, want %v", got, want)
	}
}

// TestStaffRunExportNeedsEveryRow: a staff run's export is for those who
// may read every person's result.
func TestStaffRunExportNeedsEveryRow(t *testing.T) {
	f := newFixture(t)
	appraiser := keyOf(orgA, ssra.RoleAppraiser)
	id := f.call(t, "POST", "/v1/appraisal_runs", appraiser, staffRunJSON()).must(t, 201).str("id")
	for role, want := range map[ssra.Role]int{ssra.RoleAppraiser: 200, ssra.RoleAdmin: 200, ssra.RoleViewer: 403, ssra.RoleReviewer: 403, ssra.RoleCaseworker: 403} {
		r := f.call(t, "GET", "/v1/appraisal_runs/"+id+"/export?format=csv", keyOf(orgA, role), nil).must(t, want)
		if want == 200 && (!strings.Contains(r.raw, "P3") || !strings.Contains(r.raw, "最终等次 Final grade")) {
			t.Fatalf("%s export: %s", role, r.raw)
		}
	}
	// Ranked from a sheet: nothing kept.
	b := staffSheet(t, sheet.CSV)
	r := f.call(t, "POST", "/v1/sheets/rank?scheme=annual_civil_servant&policy=civil_servants_2020&year=2026", keyOf(orgA, ssra.RoleViewer), b, "Content-Type", "text/csv").must(t, 200)
	if r.str("policy") != "civil_servants_2020" {
		t.Fatalf("rank: %.300s", r.raw)
	}
	f.call(t, "POST", "/v1/sheets/rank?scheme=annual_civil_servant&policy=none&year=x", keyOf(orgA, ssra.RoleViewer), b, "Content-Type", "text/csv").must(t, 400)
	r = f.call(t, "POST", "/v1/sheets/appraisal_runs?kind=staff&scheme=annual_civil_servant&policy=civil_servants_2020&from=2026-01-01&to=2026-12-31", appraiser, b, "Content-Type", "text/csv").must(t, 201)
	f.call(t, "GET", "/v1/appraisal_runs/"+r.str("id")+"/export", keyOf(orgA, ssra.RoleViewer), nil).must(t, 403)
	f.call(t, "GET", "/v1/appraisal_runs/"+r.str("id")+"/export", appraiser, nil).must(t, 200)
}

func formatOf(s string) sheet.Format {
	if s == "csv" {
		return sheet.CSV
	}
	return sheet.XLSX
}

// staffSheet is an inputs sheet of five people on the annual scheme.
func staffSheet(t *testing.T, f sheet.Format) []byte {
	t.Helper()
	scheme, err := appraisal.Preset("annual_civil_servant")
	if err != nil {
		t.Fatal(err)
	}
	var items []sheet.Item
	for _, id := range scheme.ItemIDs() {
		items = append(items, sheet.Item{ID: id})
	}
	var people []appraisal.Subject
	for i := 0; i < 5; i++ {
		var ins []appraisal.Input
		for _, id := range scheme.ItemIDs() {
			v := decimal.NewFromInt(int64(85 + i))
			ins = append(ins, appraisal.Input{Item: id, Value: &v})
		}
		people = append(people, appraisal.Subject{ID: fmt.Sprintf("P%d", i), Inputs: ins})
	}
	var b bytes.Buffer
	if err := sheet.WriteInputs(&b, f, items, people); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// formulaBook is an inputs sheet of one person on the annual scheme whose
// C2 holds a formula with the value the spreadsheet cached, as Excel saves
// it.
func formulaBook(t *testing.T) []byte {
	t.Helper()
	x := excelize.NewFile()
	_ = x.SetSheetName("Sheet1", sheet.InputsSheet)
	_ = x.SetSheetRow(sheet.InputsSheet, "A1", &[]any{"编号 ID", "routine", "special_task", "year_end", "stability_work"})
	_ = x.SetSheetRow(sheet.InputsSheet, "A2", &[]any{"P1", 90})
	_ = x.SetSheetRow(sheet.InputsSheet, "D2", &[]any{88, 92})
	if err := x.SetCellFormula(sheet.InputsSheet, "C2", "180/2"); err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := x.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(b.Bytes()), int64(b.Len()))
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
		data, _ := io.ReadAll(rc)
		rc.Close()
		if strings.HasPrefix(f.Name, "xl/worksheets/") {
			edited := bytes.Replace(data, []byte(`<c r="C2" t="str"><f>180/2</f></c>`), []byte(`<c r="C2"><f>180/2</f><v>90</v></c>`), 1)
			if bytes.Equal(edited, data) {
				t.Fatalf("the formula cell is not where the test expects it: %s", data)
			}
			data = edited
		}
		w, _ := zw.Create(f.Name)
		_, _ = w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestSheetWarnings: a formula read by its cached value is a warning: in
// the JSON answer's warnings, and in a Sheet-Warning header when the
// answer is a stored resource.
func TestSheetWarnings(t *testing.T) {
	f := newFixture(t)
	book := formulaBook(t)
	r := f.call(t, "POST", "/v1/sheets/score?scheme=annual_civil_servant", keyOf(orgA, ssra.RoleViewer), book, "Content-Type", mimeXLSX).must(t, 200)
	ws, _ := r.body["warnings"].([]any)
	if len(ws) != 1 || ws[0].(map[string]any)["field"] != "考核数据!C2" || ws[0].(map[string]any)["code"] != "cell.formula" {
		t.Fatalf("warnings: %s", r.raw)
	}
	if res, _ := r.body["results"].([]any); len(res) != 1 || res[0].(map[string]any)["total"] == "" {
		t.Fatalf("results: %.300s", r.raw)
	}
	r = f.call(t, "POST", "/v1/sheets/appraisal_runs?kind=staff&scheme=annual_civil_servant&policy=civil_servants_2020&from=2026-01-01&to=2026-12-31",
		keyOf(orgA, ssra.RoleAppraiser), book, "Content-Type", mimeXLSX).must(t, 201)
	h := r.hdr.Values("Sheet-Warning")
	if len(h) != 1 || !strings.Contains(h[0], `!C2`) || !strings.Contains(h[0], "cell.formula") {
		t.Fatalf("Sheet-Warning %q", h)
	}
	if v, err := strconv.Unquote(h[0]); err != nil || !strings.HasPrefix(v, "考核数据!C2: ") {
		t.Fatalf("Sheet-Warning %q does not unquote to the field: %q %v", h[0], v, err)
	}
}
