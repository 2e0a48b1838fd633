package rest

import (
	"encoding"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// TestOneofMatchesDomain: the oneof lists of the envelopes name exactly the
// values the domain's closed sets accept, so that the two cannot drift.
func TestOneofMatchesDomain(t *testing.T) {
	names := func(valid func(i int) (encoding.TextMarshaler, bool)) []string {
		var out []string
		for i := range 256 {
			v, ok := valid(i)
			if !ok {
				continue
			}
			b, err := v.MarshalText()
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, string(b))
		}
		return out
	}
	for _, tc := range []struct {
		typ   reflect.Type
		field string
		want  []string
	}{
		{reflect.TypeFor[ahpRequest](), "Method", names(func(i int) (encoding.TextMarshaler, bool) {
			m := riskeval.AHPMethod(i)
			return m, m.Valid()
		})},
		{reflect.TypeFor[ahpRequest](), "RITable", names(func(i int) (encoding.TextMarshaler, bool) {
			m := riskeval.RITable(i)
			return m, m.Valid()
		})},
		{reflect.TypeFor[fuzzyRequest](), "Operator", names(func(i int) (encoding.TextMarshaler, bool) {
			m := riskeval.FuzzyOperator(i)
			return m, m.Valid()
		})},
	} {
		f, ok := tc.typ.FieldByName(tc.field)
		if !ok {
			t.Fatalf("%s has no field %s", tc.typ, tc.field)
		}
		var got []string
		for _, rule := range strings.Split(f.Tag.Get("validate"), ",") {
			if list, ok := strings.CutPrefix(rule, "oneof="); ok {
				got = strings.Fields(list)
			}
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s.%s: oneof %q, the domain accepts %q", tc.typ.Name(), tc.field, got, tc.want)
		}
	}
}

type decimalProbe struct {
	Share    decimal.Decimal   `json:"share" validate:"dgte=0,dlte=1"`
	Positive *decimal.Decimal  `json:"positive,omitempty" validate:"omitempty,dgt=0"`
	Below    decimal.Decimal   `json:"below" validate:"dlt=0.3"`
	List     []decimal.Decimal `json:"list" validate:"dive,decimal"`
}

// TestDecimalTags: the decimal tags compare exactly with Cmp: values that
// float64 cannot tell apart from the bound are judged right.
func TestDecimalTags(t *testing.T) {
	d := decimal.RequireFromString
	pos := d("0.000000000000000001")
	zero := decimal.Zero
	huge := decimal.New(1, 40)
	for _, tc := range []struct {
		name   string
		probe  decimalProbe
		fields []string
	}{
		{"valid", decimalProbe{Share: d("1"), Positive: &pos, Below: d("0.29999999999999999"), List: []decimal.Decimal{d("0.1")}}, nil},
		// float64(1.00000000000000001) == 1 and float64(0.30000000000000001) == 0.3.
		{"above 1 by 1e-17", decimalProbe{Share: d("1.00000000000000001"), Below: d("0.1")}, []string{"share"}},
		{"at the strict bound", decimalProbe{Share: d("0.5"), Below: d("0.3")}, []string{"below"}},
		{"just above the strict bound", decimalProbe{Share: d("0.5"), Below: d("0.30000000000000001")}, []string{"below"}},
		{"negative share", decimalProbe{Share: d("-0.000000000000000001"), Below: d("0.1")}, []string{"share"}},
		{"zero is not positive", decimalProbe{Share: d("0.5"), Positive: &zero, Below: d("0.1")}, []string{"positive"}},
		{"outside the decimal limits", decimalProbe{Share: d("0.5"), Below: d("0.1"), List: []decimal.Decimal{d("1"), huge}}, []string{"list[1]"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := validateRequest("test", &tc.probe)
			var got []string
			for _, p := range ssra.ProblemsOf(err) {
				got = append(got, p.Field)
			}
			if !slices.Equal(got, tc.fields) {
				t.Fatalf("fields %q, want %q (%v)", got, tc.fields, err)
			}
			if err != nil && ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("kind %v", ssra.KindOf(err))
			}
		})
	}
}
