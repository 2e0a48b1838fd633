package sheet_test

import (
	"bytes"
	"math/rand/v2"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sheet"
)

// FuzzReadInputs: any CSV or XLSX bytes are read into subjects or refused
// as invalid input, never a panic or another kind of error.
func FuzzReadInputs(f *testing.F) {
	var x bytes.Buffer
	if err := sheet.WriteInputs(&x, sheet.XLSX, items, randomSubjects(rand.New(rand.NewPCG(1, 1)), 3)); err != nil {
		f.Fatal(err)
	}
	f.Add(x.Bytes(), true)
	for _, s := range []string{"", "编号 ID\n", "编号 ID,1.1\nU1,0.5\n", "编号 ID,1.1,1.1\nU1,1,2\n", "1.1\n2\n", "编号 ID,总分 Total\nU1,3\n", "\xef\xbb\xbf编号 ID\n\"", "\x81\x20"} {
		f.Add([]byte(s), false)
	}
	lim := sheet.Limits{MaxBytes: 1 << 20, MaxRows: 200}
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		format := sheet.CSV
		if xlsx {
			format = sheet.XLSX
		}
		subs, _, err := sheet.ReadInputs(bytes.NewReader(data), format, lim)
		if err != nil {
			if ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("error of kind %v: %v", ssra.KindOf(err), err)
			}
			return
		}
		for _, s := range subs {
			if s.ID == "" {
				t.Fatalf("a subject without an ID: %+v", s)
			}
		}
	})
}

// FuzzReadFactors is FuzzReadInputs for the factor table.
func FuzzReadFactors(f *testing.F) {
	var x bytes.Buffer
	if err := sheet.WriteFactors(&x, nil); err != nil {
		f.Fatal(err)
	}
	f.Add(x.Bytes(), true)
	for _, s := range []string{"", "编号 ID,领域 Area,风险因素 Factor,权重 Weight,措施前可能性 Initial probability,措施前影响程度 Initial impact\nF1,land_expropriation,x,0.5,3,3\n", "编号 ID\n"} {
		f.Add([]byte(s), false)
	}
	lim := sheet.Limits{MaxBytes: 1 << 20, MaxRows: 200}
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		format := sheet.CSV
		if xlsx {
			format = sheet.XLSX
		}
		fs, _, err := sheet.ReadFactors(bytes.NewReader(data), format, lim)
		if err != nil {
			if ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("error of kind %v: %v", ssra.KindOf(err), err)
			}
			return
		}
		for _, fc := range fs {
			if fc.ID == "" || !fc.Area.Valid() || fc.Initial.Probability < 1 || fc.Initial.Probability > 5 {
				t.Fatalf("a factor read that breaks the sheet's rules: %+v", fc)
			}
		}
	})
}
