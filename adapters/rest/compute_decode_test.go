package rest

import (
	"errors"
	"strings"
	"testing"
)

// TestDecodeRawLocates: the paths decodeRaw adds where encoding/json gives
// none or gives them without list indices.
func TestDecodeRawLocates(t *testing.T) {
	for _, tc := range []struct{ name, body, code, field string }{
		{"wrong type in a list", `{"regime":"x","factors":[{"id":"a"},{"id":"b","initial":{"impact":"4"}}]}`, "json.wrong_type", "factors[1].initial.impact"},
		{"wrong container type", `{"regime":"x","factors":{"id":"a"}}`, "json.wrong_type", "factors"},
		{"unknown enum", `{"regime":"x","factors":[{"id":"a","area":"land_expropriation"},{"id":"b","area":"moon"}]}`, "json.invalid_value", "factors[1].area"},
		{"bad date", `{"regime":"x","factors":[{"id":"a","measures":[{"id":"m","due":"2026-13-01"}]}]}`, "json.invalid_value", "factors[0].measures[0].due"},
		{"bad decimal", `{"regime":"x","factors":[{"id":"a","weight":"0.1"},{"id":"b","weight":"zero"}]}`, "json.invalid_value", "factors[1].weight"},
		{"unknown field", `{"regime":"x","factors":[{"id":"a","initial":{"p":1}}]}`, "json.unknown_field", "factors[0].initial.p"},
		// The same text twice: the decoder's position tells which one is meant.
		{"same text twice", `{"regime":"moon","factors":[{"id":"a","area":"moon"}]}`, "json.invalid_value", "factors[0].area"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v evaluateRequest
			err := decodeRaw([]byte(tc.body), &v)
			var c *transportCondition
			if !errors.As(err, &c) || c.Status != 400 || len(c.Problems) != 1 {
				t.Fatalf("want one 400 problem, got %#v", err)
			}
			if p := c.Problems[0]; p.Code != tc.code || p.Field != tc.field {
				t.Fatalf("got %s at %q, want %s at %q (%s)", p.Code, p.Field, tc.code, tc.field, p.Message)
			}
			if strings.Contains(c.Problems[0].Message, "Assessment.") {
				t.Fatalf("Go type names leak into the message: %s", c.Problems[0].Message)
			}
		})
	}
}

// FuzzDecodeRaw: whatever the body, decodeRaw returns nil or a 400/413
// condition with at most one problem, and never panics.
func FuzzDecodeRaw(f *testing.F) {
	for _, s := range []string{
		`{"regime":"x","factors":[{"id":"a","area":"moon"}]}`,
		`{"regime":"x","factors":[{"initial":{"impact":"4"}}]}`,
		`{"profile":{"matrix":{"rows":[{"cells":["q"]}]}}}`,
		`{"factors":[[[{}]]]}`, `[1,"a",{"b":null}]`, `{"a":"\u00e9\"'x'"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v evaluateRequest
		err := decodeRaw(b, &v)
		if err == nil {
			return
		}
		var c *transportCondition
		if !errors.As(err, &c) || (c.Status != 400 && c.Status != 413) {
			t.Fatalf("%q: %#v", b, err)
		}
	})
}
