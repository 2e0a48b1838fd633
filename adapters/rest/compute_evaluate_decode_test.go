package rest

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra/riskeval"
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

// decodeBoth decodes b with the hand decoder and with the reference path.
func decodeBoth(b []byte) (fast, ref evaluateRequest, fastErr, refErr error) {
	fastErr = decodeEvaluate(b, &fast)
	refErr = decodeBytes(b, &ref)
	return
}

// sameRequest compares two decoded requests: reflect.DeepEqual, which for
// decimals also requires the same coefficient and exponent; the decimals'
// strings are compared as well for a clearer failure.
func sameRequest(t *testing.T, b []byte, fast, ref evaluateRequest) {
	t.Helper()
	for i := range min(len(fast.Factors), len(ref.Factors)) {
		f, g := fast.Factors[i].Weight, ref.Factors[i].Weight
		if !f.Equal(g) || f.Exponent() != g.Exponent() || f.String() != g.String() {
			t.Fatalf("%q: factors[%d].weight %s (exp %d), want %s (exp %d)", b, i, f, f.Exponent(), g, g.Exponent())
		}
	}
	if !reflect.DeepEqual(fast, ref) {
		t.Fatalf("%q:\nfast %#v\nref  %#v", b, fast, ref)
	}
}

func TestDecodeEvaluateMatchesReference(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"full body", evaluateBodyForTest},
		{"minimal", `{"regime":"x","factors":[]}`},
		{"empty object", `{}`},
		{"nulls everywhere", `{"id":null,"subject":null,"status":null,"criteria":null,"factors":[null,{"weight":null,"initial":null,"residual":null,"measures":[null],"affected_groups":[null]}],"survey":null,"panel":null,"workflow":null,"normalise_weights":null,"profile":null}`},
		{"keys by case folding", `{"REGIME":"x","Factors":[{"ID":"a","Weight":"1"}],"ſurvey":{"frame":"f"}}`},
		{"kelvin sign in a key", "{\"subject\":{\"\u212Aind\":\"project\"}}"},
		{"escaped key", `{"\u0072egime":"x"}`},
		{"escapes in strings", `{"regime":"a\"b\\c\/d\b\f\n\r\t\u00e9\u4e2d"}`},
		{"surrogate pair", `{"regime":"\ud83d\ude00"}`},
		{"lone high surrogate", `{"regime":"\ud83dx"}`},
		{"lone low surrogate", `{"regime":"\ude00"}`},
		{"high surrogate then a non-low escape", `{"regime":"\ud83d\u0041"}`},
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
			fast, ref, fe, re := decodeBoth([]byte(tc.body))
			if fe != nil || re != nil {
				t.Fatalf("fast: %v; reference: %v", fe, re)
			}
			sameRequest(t, []byte(tc.body), fast, ref)
		})
	}
}

// TestDecodeEvaluateRefuses: every kind of bad body is refused by both
// decoders with the same code, and the hand decoder names the full path.
func TestDecodeEvaluateRefuses(t *testing.T) {
	deep := `{"profile":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`
	for _, tc := range []struct{ name, body, code, field string }{
		{"empty", " \n", "json.empty", ""},
		{"null body", " null ", "json.null", ""},
		{"array body", `[]`, "json.wrong_type", ""},
		{"invalid UTF-8", "{\"regime\":\"\xff\"}", "json.invalid_utf8", ""},
		{"unknown field", `{"factors":[{"id":"a"},{"id":"b","residual":{"p":1}}]}`, "json.unknown_field", "factors[1].residual.p"},
		{"duplicate key", `{"regime":"a","regime":"b"}`, "json.duplicate_key", "regime"},
		{"duplicate key by case", `{"factors":[{"id":"a","ID":"b"}]}`, "json.duplicate_key", "factors[0].id"},
		{"duplicate escaped key", `{"regime":"a","\u0072egime":"b"}`, "json.duplicate_key", "regime"},
		{"duplicate key inside the profile", `{"profile":{"name":"a","Name":"b"}}`, "json.duplicate_key", "profile.Name"},
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
		{"bad member of a delegated value", `{"panel":{"size":"5"}}`, "json.wrong_type", "panel"},
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
		{"lone surrogate in a key", `{"regime\ud800":"x"}`, "json.unknown_field", "regime\uFFFD"},
		{"syntax: short \\u escape", `{"regime":"\u12"}`, "json.syntax", "regime"},
		{"syntax: control character", "{\"regime\":\"a\tb\"}", "json.syntax", "regime"},
		{"syntax: bad literal", `{"normalise_weights":tru}`, "json.syntax", "normalise_weights"},
		{"truncated", `{"regime":"x"`, "json.truncated", ""},
		{"truncated string", `{"regime":"x`, "json.truncated", "regime"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fast, ref, fe, re := decodeBoth([]byte(tc.body))
			_, _ = fast, ref
			fc, rc := condition(t, fe), condition(t, re)
			if fc.Problems[0].Code != tc.code || fc.Problems[0].Field != tc.field {
				t.Fatalf("hand decoder: %s at %q (%s), want %s at %q", fc.Problems[0].Code, fc.Problems[0].Field, fc.Problems[0].Message, tc.code, tc.field)
			}
			if rc.Problems[0].Code != tc.code {
				t.Fatalf("reference: %s (%s), want %s", rc.Problems[0].Code, rc.Problems[0].Message, tc.code)
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

// FuzzDecodeEvaluate holds the hand decoder to the reference path: for any
// body both accept or both refuse (with a 400), and what they accept they
// decode to the same values.
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
		fast, ref, fe, re := decodeBoth(b)
		if (fe == nil) != (re == nil) {
			t.Fatalf("%q: hand decoder %v, reference %v", b, fe, re)
		}
		if fe != nil {
			var fc, rc *transportCondition
			if !errors.As(fe, &fc) || !errors.As(re, &rc) || fc.Status != 400 || rc.Status != 400 || len(fc.Problems) != 1 || fc.Problems[0].Code == "" {
				t.Fatalf("%q: hand decoder %#v, reference %#v", b, fe, re)
			}
			return
		}
		sameRequest(t, b, fast, ref)
	})
}

// TestDecodeEvaluateDecimalsExact: decimals keep their digits and exponent.
func TestDecodeEvaluateDecimalsExact(t *testing.T) {
	for _, w := range []string{`"0.1"`, `0.10`, `"1e-3"`, `"-0"`, `"123456789012345678901234.5"`} {
		var req evaluateRequest
		if err := decodeEvaluate([]byte(fmt.Sprintf(`{"factors":[{"weight":%s}]}`, w)), &req); err != nil {
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

// BenchmarkHandDecoder compares the hand decoder with the reference path
// on the 30-factor body of BenchmarkEvaluate.
func BenchmarkHandDecoder(b *testing.B) {
	body := benchBody30()
	for _, bc := range []struct {
		name   string
		decode func([]byte, *evaluateRequest) error
	}{
		{"hand", decodeEvaluate},
		{"reference", func(b []byte, v *evaluateRequest) error { return decodeBytes(b, v) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for b.Loop() {
				var req evaluateRequest
				if err := bc.decode(body, &req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchBody30 is a body of 30 factors like BenchmarkEvaluate's.
func benchBody30() []byte {
	var b strings.Builder
	b.WriteString(`{"subject":{"kind":"project","name":"plant","responsible_unit":"utilities"},"regime":"ndrc2012_project","survey":{"frame":"households","distributed":400,"support":250,"neutral":80,"oppose":50},"factors":[`)
	for i := range 30 {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `{"id":"F%02d","area":"land_expropriation","name":"factor %d","weight":"0.03","initial":{"probability":%d,"impact":%d},"residual":{"probability":1,"impact":2},"measures":[{"id":"M%02d","description":"mitigation measure","owner":"bureau","due":"2027-03-31"}]}`,
			i+1, i+1, 1+i%5, 1+(i+2)%5, i+1)
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// TestDecodeEvaluateFieldsFollowTags: each table of the hand decoder names
// exactly the JSON members of its type, as the struct tags give them. A
// member added to a riskeval type and missing here would send every body
// that uses it down the slow path; a tag renamed there and kept here would
// let the hand decoder accept a name the reference refuses.
func TestDecodeEvaluateFieldsFollowTags(t *testing.T) {
	for _, tc := range []struct {
		typ   reflect.Type
		names []string
	}{
		{reflect.TypeFor[evaluateRequest](), tableNames(evaluateFields)},
		{reflect.TypeFor[riskeval.Subject](), tableNames(subjectFields)},
		{reflect.TypeFor[riskeval.CriterionAnswer](), tableNames(criterionFields)},
		{reflect.TypeFor[riskeval.Factor](), tableNames(factorFields)},
		{reflect.TypeFor[riskeval.Estimate](), tableNames(estimateFields)},
		{reflect.TypeFor[riskeval.Measure](), tableNames(measureFields)},
		{reflect.TypeFor[riskeval.Survey](), tableNames(surveyFields)},
	} {
		want := tagNames(tc.typ)
		slices.Sort(want)
		got := slices.Sorted(slices.Values(tc.names))
		if !slices.Equal(got, want) {
			t.Errorf("%v: the decoder reads %q, the tags say %q", tc.typ, got, want)
		}
	}
}

func tableNames[T any](fs []field[T]) []string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.name
	}
	return names
}

// tagNames lists the JSON member names of a struct type as encoding/json
// sees them, embedded structs without a tag included.
func tagNames(typ reflect.Type) []string {
	var names []string
	for i := range typ.NumField() {
		sf := typ.Field(i)
		tag := sf.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		switch {
		case name == "-":
		case sf.Anonymous && name == "" && sf.Type.Kind() == reflect.Struct:
			names = append(names, tagNames(sf.Type)...)
		case !sf.IsExported():
		case name == "":
			names = append(names, sf.Name)
		default:
			names = append(names, name)
		}
	}
	return names
}
