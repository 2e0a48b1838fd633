package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// evaluateBodyForTest is a valid evaluate body with every member the hand
// decoder reads itself and the ones it hands to encoding/json.
const evaluateBodyForTest = `{"id":"a1","subject":{"kind":"project","name":"plant","responsible_unit":"utilities","assessing_body":"office","location":"east","investment":"120000000.50"},
"regime":"ndrc2012_project","status":"draft",
"criteria":[{"criterion":"legality","question":"approved plan","answer":"yes","evidence":"file","measures":["M1"]}],
"factors":[{"id":"F1","area":"land_expropriation","name":"compensation","catalogue_id":"C1","stage":"construction","affected_groups":["households"],"owner":"bureau","weight":"0.4","initial":{"probability":3,"impact":4},"residual":{"probability":2,"impact":2},"measures":[{"id":"M1","description":"talks","owner":"bureau","due":"2027-03-31"}]},
{"id":"F2","area":"media_opinion","name":"press","weight":0.6,"initial":{"probability":1,"impact":1},"residual":null,"measures":[]}],
"consultations":[{"method":"hearing","date":"2026-05-01","participants":40}],
"survey":{"frame":"households","distributed":100,"support":60,"neutral":20,"oppose":10},
"panel":{"size":5,"writer":"w","reviewer":"r"},"emergency_plan":"plan 7","normalise_weights":true,"profile":"practice"}`

// TestDecodeEvaluateAccepts: the evaluate body in every form a sender may
// write is accepted, and decodes as encoding/json decodes it.
func TestDecodeEvaluateAccepts(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"full body", evaluateBodyForTest},
		{"minimal", `{"regime":"x","factors":[]}`},
		{"empty object", `{}`},
		{"nulls everywhere", `{"id":null,"subject":null,"status":null,"criteria":null,"factors":[null,{"weight":null,"initial":null,"residual":null,"measures":[null],"affected_groups":[null]}],"survey":null,"panel":null,"workflow":null,"normalise_weights":null,"profile":null}`},
		{"escaped key", `{"\u0072egime":"x"}`},
		{"escapes in strings", `{"regime":"a\"b\\c\/d\b\f\n\r\t\u00e9\u4e2d"}`},
		{"surrogate pair", `{"regime":"\ud83d\ude00"}`},
		{"decimal forms", `{"factors":[{"weight":1e-2},{"weight":"1E+2"},{"weight":-0.0},{"weight":"0.100"},{"weight":"−5"},{"weight":12345678901234567890.5}]}`},
		{"decimal edge forms", `{"factors":[{"weight":"05.10"},{"weight":"-0"},{"weight":"1."},{"weight":".5"},{"weight":"+5"},{"weight":"-123456789012345678"},{"weight":123456789012345678},{"weight":-1234567890123456789},{"weight":"-.5"}]}`},
		{"integer limits", `{"survey":{"distributed":9223372036854775807,"support":-9223372036854775808,"neutral":-0}}`},
		{"profile object", `{"profile":{"name":"p","levels":[1,2,{"x":[true,false,null]}]}}`},
		{"profile text kept as written", `{"profile" : [ 1 , 2 ] }`},
		{"white space", " \t\r\n{ \"regime\" : \"x\" , \"factors\" : [ ] } \n"},
		{"empty date", `{"factors":[{"measures":[{"due":""}]}]}`},
		{"date forms", `{"factors":[{"measures":[{"due":"2024-02-29"},{"due":"0001-01-01"},{"due":"9999-12-31"},{"due":"2026\u002d01\u002d31"}]}]}`},
		{"workflow", `{"workflow":{"writer":{"user_id":"u1"},"events":[]}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got, want evaluateRequest
			if err := decodeBytes([]byte(tc.body), &got); err != nil {
				t.Fatal(err)
			}
			if err := json.Unmarshal([]byte(tc.body), &want); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("\ngot  %#v\nwant %#v", got, want)
			}
		})
	}
}

// TestDecodeEvaluateRefuses: every kind of bad body is refused with its
// code, naming the full path.
func TestDecodeEvaluateRefuses(t *testing.T) {
	deep := `{"profile":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`
	for _, tc := range []struct{ name, body, code, field string }{
		{"empty", " \n", "json.empty", ""},
		{"null body", " null ", "json.null", ""},
		{"array body", `[]`, "json.wrong_type", ""},
		{"invalid UTF-8", "{\"regime\":\"\xff\"}", "json.invalid_utf8", ""},
		{"unknown field", `{"factors":[{"id":"a"},{"id":"b","residual":{"p":1}}]}`, "json.unknown_field", "factors[1].residual.p"},
		{"duplicate key", `{"regime":"a","regime":"b"}`, "json.duplicate_key", "regime"},
		{"second spelling by case", `{"factors":[{"id":"a","ID":"b"}]}`, "json.unknown_field", "factors[0].ID"},
		{"member by case folding", `{"REGIME":"x"}`, "json.unknown_field", "REGIME"},
		{"member by Unicode folding (long s)", `{"ſurvey":{"frame":"f"}}`, "json.unknown_field", "ſurvey"},
		{"member by Unicode folding (Kelvin sign)", "{\"subject\":{\"\u212Aind\":\"project\"}}", "json.unknown_field", "subject.\u212Aind"},
		{"lone high surrogate", `{"regime":"\ud83dx"}`, "json.syntax", "regime"},
		{"duplicate escaped key", `{"regime":"a","\u0072egime":"b"}`, "json.duplicate_key", "regime"},
		{"duplicate key inside the profile", `{"profile":{"name":"a","name":"b"}}`, "json.duplicate_key", "profile.name"},
		{"wrong type in a list", `{"factors":[{},{},{"residual":{"probability":"2"}}]}`, "json.wrong_type", "factors[2].residual.probability"},
		{"string for an object", `{"subject":"plant"}`, "json.wrong_type", "subject"},
		{"object for a list", `{"factors":{"id":"a"}}`, "json.wrong_type", "factors"},
		{"number for a string", `{"regime":1}`, "json.wrong_type", "regime"},
		{"string for a bool", `{"normalise_weights":"true"}`, "json.wrong_type", "normalise_weights"},
		{"number for an enum", `{"status":1}`, "json.wrong_type", "status"},
		{"fraction for an integer", `{"survey":{"support":1.5}}`, "json.wrong_type", "survey.support"},
		{"integer too large", `{"survey":{"support":9223372036854775808}}`, "json.wrong_type", "survey.support"},
		{"integer with exponent", `{"survey":{"support":1e2}}`, "json.wrong_type", "survey.support"},
		{"decimal exponent too large", `{"factors":[{"weight":"1e999999"}]}`, "json.invalid_value", "factors[0].weight"},
		{"decimal with an escape", `{"factors":[{"weight":"0\u002e1"}]}`, "json.invalid_value", "factors[0].weight"},
		{"decimal as bool", `{"factors":[{"weight":true}]}`, "json.invalid_value", "factors[0].weight"},
		{"unknown enum", `{"factors":[{"area":"moon"}]}`, "json.invalid_value", "factors[0].area"},
		{"impossible date", `{"factors":[{"measures":[{"due":"2026-02-30"}]}]}`, "json.invalid_value", "factors[0].measures[0].due"},
		{"year zero", `{"factors":[{"measures":[{"due":"0000-01-01"}]}]}`, "json.invalid_value", "factors[0].measures[0].due"},
		{"month zero", `{"factors":[{"measures":[{"due":"2026-00-10"}]}]}`, "json.invalid_value", "factors[0].measures[0].due"},
		{"date with a sign", `{"factors":[{"measures":[{"due":"+026-01-10"}]}]}`, "json.invalid_value", "factors[0].measures[0].due"},
		{"bad member of a delegated value", `{"panel":{"size":"5"}}`, "json.wrong_type", "panel.size"},
		{"trailing data", `{"regime":"x"} {}`, "json.trailing_data", ""},
		{"trailing garbage", `{"regime":"x"}x`, "json.trailing_data", ""},
		{"trailing NUL byte", "{}\x00", "json.trailing_data", ""},
		{"NUL byte body", "\x00", "json.syntax", ""},
		{"too deep", deep, "json.too_deep", "profile" + strings.Repeat("[0]", 31)},
		{"syntax: missing value", `{"regime":}`, "json.syntax", "regime"},
		{"syntax: trailing comma", `{"regime":"x",}`, "json.syntax", ""},
		{"syntax: NaN", `{"factors":[{"weight":NaN}]}`, "json.syntax", "factors[0].weight"},
		{"syntax: leading zero", `{"survey":{"support":01}}`, "json.syntax", "survey"},
		{"syntax: bad escape", `{"regime":"\x"}`, "json.syntax", "regime"},
		{"syntax: bad escape in a key", `{"reg\ime":"x"}`, "json.syntax", ""},
		{"lone surrogate in a key", `{"regime\ud800":"x"}`, "json.syntax", ""},
		{"syntax: short \\u escape", `{"regime":"\u12"}`, "json.syntax", "regime"},
		{"syntax: control character", "{\"regime\":\"a\tb\"}", "json.syntax", "regime"},
		{"syntax: bad literal", `{"normalise_weights":tru}`, "json.syntax", "normalise_weights"},
		{"truncated", `{"regime":"x"`, "json.truncated", ""},
		{"truncated string", `{"regime":"x`, "json.truncated", "regime"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var req evaluateRequest
			err := decodeBytes([]byte(tc.body), &req)
			if err == nil {
				// An inline profile is decoded when the route resolves it.
				_, err = (&compute{}).riskProfile(req.Profile)
			}
			fc := condition(t, err)
			if fc.Problems[0].Code != tc.code || fc.Problems[0].Field != tc.field {
				t.Fatalf("%s at %q (%s), want %s at %q", fc.Problems[0].Code, fc.Problems[0].Field, fc.Problems[0].Message, tc.code, tc.field)
			}
			if fc.Problems[0].Message == "" || strings.Contains(fc.Problems[0].Message, "riskeval.") {
				t.Fatalf("unclear message %q", fc.Problems[0].Message)
			}
		})
	}
}

// condition returns err as a 400 condition with one problem.
func condition(t *testing.T, err error) *transportCondition {
	t.Helper()
	var c *transportCondition
	if !errors.As(err, &c) || c.Status != 400 || len(c.Problems) != 1 {
		t.Fatalf("want a 400 condition with one problem, got %#v", err)
	}
	return c
}

// FuzzDecodeEvaluate: for any body the decoder accepts, encoding/json
// accepts it too and decodes the same values; what it refuses it refuses
// with one 400 problem.
func FuzzDecodeEvaluate(f *testing.F) {
	for _, s := range []string{
		evaluateBodyForTest,
		`{"regime":"x","factors":[{"id":"a","weight":"0.1","initial":{"probability":1,"impact":2}}]}`,
		`{"REGIME":"x","ſurvey":{"Frame":"f"},"factors":[{"\u0069d":"a"}]}`,
		`{"regime":"\ud83d\ude00\ud83d","factors":[null,{"weight":1e3}]}`,
		`{"profile":{"a":[{"b":{"c":null}}]},"normalise_weights":false}`,
		`{"survey":{"support":-0,"oppose":9223372036854775807}}`,
		`{"subject":{"investment":"-0.50"},"factors":[{"weight":"1."},{"weight":999999999999999999},{"weight":"+.5"}]}`,
		`{"factors":[{"measures":[{"due":"2026-01-31"},{"due":""}]}]}`,
		`{"regime":"a","Regime":"b"}`, `null`, `[]`, `{"regime":"x"} 1`, `{"panel":{"size":1}}`,
		`{"workflow":{"events":[{"at":"2026-01-01T00:00:00Z"}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var got, want evaluateRequest
		err := decodeBytes(b, &got)
		if err != nil {
			var c *Condition
			if !errors.As(err, &c) || c.Status != 400 || len(c.Problems) != 1 || c.Problems[0].Code == "" {
				t.Fatalf("%q: %#v", b, err)
			}
			return
		}
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("%q: accepted, but encoding/json refuses: %v", b, err)
		}
		for i := range got.Factors {
			g, w := got.Factors[i].Weight, want.Factors[i].Weight
			if !g.Equal(w) || g.Exponent() != w.Exponent() {
				t.Fatalf("%q: factors[%d].weight %s, want %s", b, i, g, w)
			}
		}
	})
}

// TestDecodeEvaluateDecimalsExact: decimals keep their digits and exponent.
func TestDecodeEvaluateDecimalsExact(t *testing.T) {
	for _, w := range []string{`"0.1"`, `0.10`, `"1e-3"`, `"-0"`, `"123456789012345678901234.5"`} {
		var req evaluateRequest
		if err := decodeBytes([]byte(fmt.Sprintf(`{"factors":[{"weight":%s}]}`, w)), &req); err != nil {
			t.Fatal(err)
		}
		want, err := decimal.NewFromString(strings.Trim(w, `"`))
		if err != nil {
			t.Fatal(err)
		}
		if got := req.Factors[0].Weight; !got.Equal(want) || got.Exponent() != want.Exponent() {
			t.Fatalf("%s: got %s (exp %d)", w, got, got.Exponent())
		}
	}
}
