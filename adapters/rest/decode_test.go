package rest

import (
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

type decodeProbe struct {
	Name    string            `json:"name"`
	Weight  decimal.Decimal   `json:"weight"`
	Items   []decodeProbeItem `json:"items"`
	Enabled bool              `json:"enabled"`
}

type decodeProbeItem struct {
	ID    string `json:"id"`
	Count int    `json:"count"`
}

func TestDecodeBytes(t *testing.T) {
	for _, tc := range []struct {
		name, body, code, field string
	}{
		{"valid", `{"name":"a","weight":"0.1","items":[{"id":"x","count":2}]}`, "", ""},
		{"decimal as number", `{"weight":0.1}`, "", ""},
		{"empty", `  `, "json.empty", ""},
		{"invalid utf-8", "{\"name\":\"\xff\"}", "json.invalid_utf8", ""},
		{"syntax", `{"name":}`, "json.syntax", "name"},
		{"truncated", `{"name":"a"`, "json.truncated", ""},
		{"trailing", `{"name":"a"} {}`, "json.trailing_data", ""},
		{"unknown field", `{"nmae":"a"}`, "json.unknown_field", "nmae"},
		{"wrong type", `{"items":[{"count":"2"}]}`, "json.wrong_type", "items[0].count"},
		{"duplicate key", `{"name":"a","items":[{"id":"x","id":"y"}]}`, "json.duplicate_key", "items[0].id"},
		{"second spelling by case", `{"name":"a","Name":"b"}`, "json.unknown_field", "Name"},
		{"duplicate escaped key", `{"name":"a","n\u0061me":"b"}`, "json.duplicate_key", "name"},
		{"second spelling by Unicode case folding (long s)", `{"items":[],"item\u017F":[]}`, "json.unknown_field", "itemſ"},
		{"second spelling differing in case", `{"items":[{"id":"x","count":1,"Count":2}]}`, "json.unknown_field", "items[0].Count"},
		{"too deep", `{"items":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, "json.too_deep", "items" + strings.Repeat("[0]", 31)},
		{"NaN", `{"weight":NaN}`, "json.syntax", "weight"},
		{"null body", ` null `, "json.null", ""},
		{"huge decimal exponent", `{"weight":"1e999999"}`, "json.invalid_value", "weight"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v decodeProbe
			err := decodeBytes([]byte(tc.body), &v)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("unexpected %v", err)
				}
				return
			}
			c, ok := err.(*transportCondition)
			if !ok || c.Status != 400 {
				t.Fatalf("want a 400 condition, got %#v", err)
			}
			if len(c.Problems) != 1 || c.Problems[0].Code != tc.code || c.Problems[0].Field != tc.field {
				t.Fatalf("problems %v, want %s at %q", c.Problems, tc.code, tc.field)
			}
		})
	}
}

func FuzzDecodeBytes(f *testing.F) {
	for _, s := range []string{`{"name":"a","items":[{"id":"x"}]}`, `{"a":{"a":{"a":1}}}`, `[[[[`, `{"\u00e9":1,"é":2}`, `"\`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v decodeProbe
		err := decodeBytes(b, &v)
		if err == nil {
			return
		}
		if c, ok := err.(*transportCondition); !ok || c.Status != 400 && c.Status != 413 {
			t.Fatalf("%q: %#v", b, err)
		}
	})
}
