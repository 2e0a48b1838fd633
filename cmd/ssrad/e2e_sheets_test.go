package main_test

import (
	"bytes"
	"context"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/restclient"
	"github.com/ssra-go/ssra/adapters/sheet"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

// TestEndToEndSheets drives a real ssrad through the client with
// spreadsheets: the template, a factor table into a draft and back out,
// bad cells as problems naming their cells, a file over the sheet limit
// refused, and an inputs sheet into a stored run whose export reads back
// as the same inputs.
func TestEndToEndSheets(t *testing.T) {
	ssradBinary(t)
	db := filepath.Join(t.TempDir(), "ssra.db")
	w := seed(t, db)
	p := start(t, []string{"SSRA_DATABASE_URL=" + db}, "-addr", "127.0.0.1:0", "-sheet-limit", "256K")
	ctx := context.Background()
	c, err := restclient.New("http://"+p.addr, "")
	if err != nil {
		t.Fatal(err)
	}
	assessor := c.WithKey(w.keys["assessor"])
	tmpl, err := assessor.FactorTemplate(ctx, "en")
	if err != nil {
		t.Fatal(err)
	}
	if fs, _, err := sheet.ReadFactors(bytes.NewReader(tmpl), sheet.XLSX, sheet.Limits{}); err != nil || len(fs) != 0 {
		t.Fatalf("template: %v %v", fs, err)
	}

	var book bytes.Buffer
	if err := sheet.WriteFactors(&book, sample.Plant().Factors); err != nil {
		t.Fatal(err)
	}
	a := sample.Plant()
	a.Status, a.Workflow = riskeval.StatusDraft, riskeval.Workflow{}
	rec, err := assessor.ImportAssessment(ctx, "practice", a, restclient.Sheet{Data: book.Bytes(), Format: "xlsx"})
	if err != nil {
		t.Fatal(err)
	}
	out, err := assessor.ExportFactors(ctx, rec.ID, "")
	if err != nil {
		t.Fatal(err)
	}
	got, _, err := sheet.ReadFactors(bytes.NewReader(out), sheet.XLSX, sheet.Limits{})
	if err != nil || len(got) != len(a.Factors) {
		t.Fatalf("factors after the round trip: %d, %v", len(got), err)
	}
	for i, f := range a.Factors {
		if got[i].ID != f.ID || !got[i].Weight.Equal(f.Weight) || got[i].Area != f.Area || len(got[i].Measures) != len(f.Measures) {
			t.Fatalf("factor %d: %+v, want %+v", i, got[i], f)
		}
	}

	x, err := excelize.OpenReader(bytes.NewReader(book.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	_ = x.SetCellStr(sheet.FactorsSheet, "D2", "heavy")
	_ = x.SetCellInt(sheet.FactorsSheet, "F3", 0)
	var bad bytes.Buffer
	if _, err := x.WriteTo(&bad); err != nil {
		t.Fatal(err)
	}
	_, err = assessor.ImportAssessment(ctx, "practice", a, restclient.Sheet{Data: bad.Bytes(), Format: "xlsx"})
	var fields []string
	for _, p := range ssra.ProblemsOf(err) {
		fields = append(fields, p.Field)
	}
	slices.Sort(fields)
	if ssra.KindOf(err) != ssra.KindInvalid || !slices.Equal(fields, []string{"因素!D2", "因素!F3"}) {
		t.Fatalf("bad cells: %v (%v)", fields, err)
	}
	_, err = assessor.ImportAssessment(ctx, "practice", a, restclient.Sheet{Data: bytes.Repeat([]byte("x"), 300<<10), Format: "xlsx"})
	if e, ok := restclient.AsError(err); !ok || e.Status != 413 {
		t.Fatalf("an oversized sheet: %v", err)
	}

	// An inputs sheet into a stored run, exported and read back.
	scheme, err := appraisal.Preset("generic_unit_100")
	if err != nil {
		t.Fatal(err)
	}
	var items []sheet.Item
	var units []appraisal.Subject
	for _, it := range scheme.Items() {
		items = append(items, sheet.Item{ID: it.ID, Label: it.Label})
	}
	for _, id := range []string{"town-1", "town-2", "town-3"} {
		u := appraisal.Subject{ID: id, Inputs: []appraisal.Input{}}
		for _, it := range scheme.Items() {
			var v decimal.Decimal
			switch it.Kind {
			case appraisal.RuleVeto, appraisal.RuleBonus:
				continue
			case appraisal.RuleDeduction:
				v = decimal.NewFromInt(1)
			case appraisal.RuleDirect:
				v = *it.Points
			default:
				v = decimal.RequireFromString("92.25")
			}
			u.Inputs = append(u.Inputs, appraisal.Input{Item: it.ID, Value: &v})
		}
		units = append(units, u)
	}
	var in bytes.Buffer
	if err := sheet.WriteInputs(&in, sheet.CSV, items, units); err != nil {
		t.Fatal(err)
	}
	appraiser := c.WithKey(w.keys["appraiser"])
	run, err := appraiser.ImportAppraisalRun(ctx, restclient.SheetRunOptions{Kind: "units", Scheme: "generic_unit_100",
		From: ssra.MustDate(2026, time.January, 1), To: ssra.MustDate(2026, time.December, 31)}, restclient.Sheet{Data: in.Bytes(), Format: "csv"})
	if err != nil {
		t.Fatal(err)
	}
	exp, err := appraiser.ExportAppraisalRun(ctx, run.ID, "xlsx")
	if err != nil {
		t.Fatal(err)
	}
	back, _, err := sheet.ReadInputs(bytes.NewReader(exp), sheet.XLSX, sheet.Limits{})
	if err != nil || len(back) != len(units) {
		t.Fatalf("export read back: %d, %v", len(back), err)
	}
	for i, u := range units {
		if back[i].ID != u.ID || len(back[i].Inputs) != len(u.Inputs) {
			t.Fatalf("unit %d: %+v, want %+v", i, back[i], u)
		}
		for j := range u.Inputs {
			if back[i].Inputs[j].Item != u.Inputs[j].Item || !back[i].Inputs[j].Value.Equal(*u.Inputs[j].Value) {
				t.Fatalf("unit %s input %d: %v, want %v", u.ID, j, back[i].Inputs[j], u.Inputs[j])
			}
		}
	}
}
