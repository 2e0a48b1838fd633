package strictjson_test

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

type probe struct {
	Name    string          `json:"name"`
	Weight  decimal.Decimal `json:"weight"`
	Items   []item          `json:"items"`
	Enabled bool            `json:"enabled"`
	Level   *level          `json:"level,omitempty"`
	Tags    map[string]int  `json:"tags,omitempty"`
	Nested  *probe          `json:"nested,omitempty"`
	Any     any             `json:"any,omitempty"`
}

type item struct {
	ID    string `json:"id"`
	Count int    `json:"count"`
	Share uint8  `json:"share,omitempty"`
}

// level is a closed set decoded from text, as the domain's enums are.
type level uint8

func (l *level) UnmarshalText(b []byte) error {
	switch string(b) {
	case "low":
		*l = 1
	case "high":
		*l = 2
	default:
		return errors.New("unknown level " + string(b))
	}
	return nil
}

func (l level) MarshalText() ([]byte, error) {
	return []byte(map[level]string{1: "low", 2: "high"}[l]), nil
}

// part is a value with its own decoder that reports problems relative to
// itself, as a scheme inside a body does.
type part struct{ N int }

func (p *part) UnmarshalJSON(b []byte) error {
	if string(b) != "1" {
		var ps ssra.Problems
		ps.Add("part.bad", "inner[0]", "part must be 1")
		return ps.Err("part")
	}
	p.N = 1
	return nil
}

type holder struct {
	Parts []part `json:"parts"`
}

var restLimits = strictjson.Limits{Depth: 32, Items: 1000, Elements: 20000}

func TestDecodeRefuses(t *testing.T) {
	for _, tc := range []struct {
		name, body, code, field string
	}{
		{"empty", "  \n", "json.empty", ""},
		{"null", " null ", "json.null", ""},
		{"invalid UTF-8", "{\"name\":\"\xff\"}", "json.invalid_utf8", ""},
		{"escaped lone surrogate", `{"name":"\ud800"}`, "json.syntax", "name"},
		{"escaped lone surrogate in a key", `{"tags":{"\ud800":1}}`, "json.syntax", "tags"},
		{"syntax", `{"name":}`, "json.syntax", "name"},
		{"syntax: trailing comma", `{"name":"x",}`, "json.syntax", ""},
		{"syntax: NaN", `{"weight":NaN}`, "json.syntax", "weight"},
		{"syntax: leading zero", `{"items":[{"count":01}]}`, "json.syntax", "items[0]"},
		{"syntax: control character", "{\"name\":\"a\tb\"}", "json.syntax", "name"},
		{"NUL byte body", "\x00", "json.syntax", ""},
		{"truncated", `{"name":"a"`, "json.truncated", ""},
		{"truncated string", `{"name":"a`, "json.truncated", "name"},
		{"trailing value", `{"name":"a"} {}`, "json.trailing_data", ""},
		{"trailing garbage", `{"name":"a"}x`, "json.trailing_data", ""},
		{"trailing NUL byte", "{}\x00", "json.trailing_data", ""},
		{"duplicate key", `{"name":"a","name":"b"}`, "json.duplicate_key", "name"},
		{"duplicate key in a list", `{"items":[{"id":"x","id":"y"}]}`, "json.duplicate_key", "items[0].id"},
		{"duplicate escaped key", `{"name":"a","n\u0061me":"b"}`, "json.duplicate_key", "name"},
		{"duplicate key in a map", `{"tags":{"a":1,"a":2}}`, "json.duplicate_key", "tags.a"},
		{"duplicate key in an any", `{"any":{"a":1,"a":2}}`, "json.duplicate_key", "any.a"},
		{"unknown field", `{"nmae":"a"}`, "json.unknown_field", "nmae"},
		{"unknown field in a list", `{"items":[{},{"id":"b","cnt":1}]}`, "json.unknown_field", "items[1].cnt"},
		{"name in another case", `{"NAME":"a"}`, "json.unknown_field", "NAME"},
		{"second spelling by case", `{"name":"a","Name":"b"}`, "json.unknown_field", "Name"},
		{"long s folds to s", `{"items":[],"item\u017F":[]}`, "json.unknown_field", "itemſ"},
		{"Kelvin sign folds to k", "{\"items\":[{\"id\":\"x\",\"\u212Aount\":1}]}", "json.unknown_field", "items[0].\u212Aount"},
		{"wrong type in a list", `{"items":[{},{},{"count":"2"}]}`, "json.wrong_type", "items[2].count"},
		{"array body", `[]`, "json.wrong_type", ""},
		{"string for an object", `{"nested":"x"}`, "json.wrong_type", "nested"},
		{"object for a list", `{"items":{"id":"a"}}`, "json.wrong_type", "items"},
		{"number for a string", `{"name":1}`, "json.wrong_type", "name"},
		{"string for a bool", `{"enabled":"true"}`, "json.wrong_type", "enabled"},
		{"number for an enum", `{"level":1}`, "json.wrong_type", "level"},
		{"fraction for an integer", `{"items":[{"count":1.5}]}`, "json.wrong_type", "items[0].count"},
		{"integer too large", `{"items":[{"count":9223372036854775808}]}`, "json.wrong_type", "items[0].count"},
		{"negative for unsigned", `{"items":[{"share":-1}]}`, "json.wrong_type", "items[0].share"},
		{"integer with exponent", `{"items":[{"count":1e2}]}`, "json.wrong_type", "items[0].count"},
		{"unknown enum", `{"level":"moon"}`, "json.invalid_value", "level"},
		{"bad decimal", `{"weight":"zero"}`, "json.invalid_value", "weight"},
		{"decimal exponent too large", `{"weight":"1e999999"}`, "json.invalid_value", "weight"},
		{"decimal as bool", `{"weight":true}`, "json.invalid_value", "weight"},
		{"too deep", `{"any":` + strings.Repeat("[", 40) + strings.Repeat("]", 40) + `}`, "json.too_deep", "any" + strings.Repeat("[0]", 31)},
		{"too deep objects", strings.Repeat(`{"nested":`, 40) + "{}" + strings.Repeat("}", 40), "json.too_deep", strings.TrimPrefix(strings.Repeat(".nested", 32), ".")},
		{"too deep unclosed", strings.Repeat("[", 100000), "json.too_deep", strings.Repeat("[0]", 32)},
		{"too many items", `{"items":[` + strings.Repeat("{},", 1000) + `{}]}`, "json.too_many_items", "items"},
		{"too many elements", `{"any":[` + strings.Repeat("["+strings.Repeat("1,", 999)+"1],", 20) + `[1]]}`, "json.too_many_elements", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v probe
			p := refusal(t, strictjson.DecodeLimited([]byte(tc.body), &v, "test", restLimits))
			if p.Code != tc.code || p.Field != tc.field {
				t.Fatalf("got %s at %q (%s), want %s at %q", p.Code, p.Field, p.Message, tc.code, tc.field)
			}
			if p.Message == "" || strings.Contains(p.Message, "strictjson_test.") || strings.Contains(p.Message, "Go ") {
				t.Fatalf("unclear message %q", p.Message)
			}
		})
	}
}

// refusal returns the one problem of a refusal.
func refusal(t *testing.T, err error) ssra.Problem {
	t.Helper()
	var se *ssra.Error
	if !errors.As(err, &se) || se.Kind != ssra.KindInvalid || len(se.Problems) != 1 || se.Op != "test" {
		t.Fatalf("want an invalid *ssra.Error with one problem, got %#v", err)
	}
	return se.Problems[0]
}

func TestDecodeAccepts(t *testing.T) {
	for _, tc := range []struct{ name, body string }{
		{"object", `{"name":"a","weight":"0.1","items":[{"id":"x","count":2}],"enabled":true,"level":"low"}`},
		{"decimal as number", `{"weight":0.10}`},
		{"white space", " \t\r\n{ \"name\" : \"x\" , \"items\" : [ ] } \n"},
		{"escaped key", `{"n\u0061me":"x"}`},
		{"surrogate pair", `{"name":"\ud83d\ude00"}`},
		{"nulls", `{"name":null,"items":[null],"level":null,"nested":null,"tags":null}`},
		{"at the depth limit", `{"any":` + strings.Repeat("[", 31) + strings.Repeat("]", 31) + `}`},
		{"brackets inside strings", `{"name":"[[[[{{{{\"]]]"}`},
		{"at the item limit", `{"items":[` + strings.Repeat("{},", 999) + `{}]}`},
		{"map keys differing by case", `{"tags":{"a":1,"A":2}}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v probe
			if err := strictjson.DecodeLimited([]byte(tc.body), &v, "test", restLimits); err != nil {
				t.Fatal(err)
			}
		})
	}
}

// TestNestedProblems: a type's own decoder names its problems relative to
// its value; Decode puts them under the value's path.
func TestNestedProblems(t *testing.T) {
	var h holder
	p := refusal(t, strictjson.Decode([]byte(`{"parts":[1,2]}`), &h, "test"))
	if p.Code != "part.bad" || p.Field != "parts[1].inner[0]" {
		t.Fatalf("got %s at %q", p.Code, p.Field)
	}
}

func TestSizeLimit(t *testing.T) {
	var v probe
	body := []byte(`{"name":"` + strings.Repeat("a", 100) + `"}`)
	p := refusal(t, strictjson.DecodeLimited(body, &v, "test", strictjson.Limits{Bytes: 50}))
	if p.Code != "json.too_large" {
		t.Fatalf("got %s", p.Code)
	}
	_, err := strictjson.ReadAll(strings.NewReader(string(body)), "test", strictjson.Limits{Bytes: 50})
	if p := refusal(t, err); p.Code != "json.too_large" {
		t.Fatalf("ReadAll: got %s", p.Code)
	}
	b, err := strictjson.ReadAll(strings.NewReader(string(body)), "test", strictjson.Limits{Bytes: len(body)})
	if err != nil || len(b) != len(body) {
		t.Fatalf("ReadAll at the limit: %d bytes, %v", len(b), err)
	}
}

func TestPath(t *testing.T) {
	for ptr, want := range map[string]string{
		"":                  "",
		"/factors/3/weight": "factors[3].weight",
		"/a~1b/0/c~0d":      "a/b[0].c~d",
		"/0/1":              "[0][1]",
		"/tags/01":          "tags.01",
		"/m/matrix/2":       "m.matrix[2]",
	} {
		if got := strictjson.Path(jsontextPointer(ptr)); got != want {
			t.Errorf("Path(%q) = %q, want %q", ptr, got, want)
		}
	}
}

// TestAgreesWithEncodingJSON: on valid documents whose member names are the
// types' own, exactly spelled and each once, Decode gives what
// encoding/json gives (a property over generated documents).
func TestAgreesWithEncodingJSON(t *testing.T) {
	for seed := range 500 {
		doc := generate(seed)
		b, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		var got, want probe
		if err := json.Unmarshal(b, &want); err != nil {
			t.Fatalf("%s: encoding/json: %v", b, err)
		}
		if err := strictjson.Decode(b, &got, "test"); err != nil {
			t.Fatalf("%s: %v", b, err)
		}
		if !sameProbe(got, want) {
			t.Fatalf("%s:\ngot  %#v\nwant %#v", b, got, want)
		}
	}
}

// generate builds a document of probe's members from a seed, with the
// forms a sender writes (decimals as strings and numbers, nulls, escapes).
func generate(seed int) map[string]any {
	r := uint64(seed)*2654435761 + 1
	next := func(n int) int {
		r ^= r << 13
		r ^= r >> 7
		r ^= r << 17
		return int(r % uint64(n))
	}
	doc := map[string]any{}
	names := []string{"a", "é", "中文", "x\"y", "<&>", ""}
	if next(2) == 0 {
		doc["name"] = names[next(len(names))]
	}
	switch next(4) {
	case 0:
		doc["weight"] = "0.25"
	case 1:
		doc["weight"] = json.Number([]string{"0.1", "1e-3", "-5", "12345678901234567890.5"}[next(4)])
	case 2:
		doc["weight"] = nil
	}
	if next(2) == 0 {
		items := []any{}
		for range next(4) {
			it := map[string]any{"id": names[next(len(names))], "count": next(1000) - 500}
			if next(2) == 0 {
				it["share"] = next(256)
			}
			items = append(items, it)
		}
		doc["items"] = items
	}
	if next(2) == 0 {
		doc["enabled"] = next(2) == 0
	}
	if next(3) == 0 {
		doc["level"] = []any{"low", "high", nil}[next(3)]
	}
	if next(3) == 0 {
		doc["tags"] = map[string]any{"a": next(9), "A": next(9)}
	}
	if next(4) == 0 {
		doc["nested"] = generate(seed + 1000)
	}
	if next(3) == 0 {
		doc["any"] = []any{1.5, "s", true, nil, map[string]any{"k": []any{}}}
	}
	return doc
}

// sameProbe compares decoded values, decimals by value and exponent.
func sameProbe(a, b probe) bool {
	if !a.Weight.Equal(b.Weight) || a.Weight.Exponent() != b.Weight.Exponent() {
		return false
	}
	a.Weight, b.Weight = decimal.Zero, decimal.Zero
	if (a.Nested == nil) != (b.Nested == nil) {
		return false
	}
	if a.Nested != nil {
		if !sameProbe(*a.Nested, *b.Nested) {
			return false
		}
		a.Nested, b.Nested = nil, nil
	}
	return reflect.DeepEqual(a, b)
}

// FuzzDecode: whatever the bytes, Decode returns nil or one problem with a
// code of the vocabulary, never panics, and accepts only what
// encoding/json accepts too.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"name":"a","items":[{"id":"x"}]}`, `{"any":{"a":{"a":1}}}`, `[[[[`, `{"\u00e9":1,"é":2}`, `"\`,
		`{"weight":"1e3","level":"low","tags":{"a":1}}`, `{"name":"a"} 1`, `{"NAME":"a"}`, `{"items":[{"count":1.5}]}`,
	} {
		f.Add([]byte(s))
	}
	codes := map[string]bool{}
	for _, c := range []string{"json.empty", "json.null", "json.invalid_utf8", "json.syntax", "json.truncated", "json.trailing_data",
		"json.duplicate_key", "json.unknown_field", "json.wrong_type", "json.invalid_value", "json.too_deep",
		"json.too_many_items", "json.too_many_elements", "json.too_large"} {
		codes[c] = true
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var v probe
		err := strictjson.DecodeLimited(b, &v, "test", restLimits)
		if err == nil {
			var ref probe
			if rerr := json.Unmarshal(b, &ref); rerr != nil {
				t.Fatalf("%q: accepted, but encoding/json refuses: %v", b, rerr)
			}
			return
		}
		p := refusal(t, err)
		if !codes[p.Code] {
			t.Fatalf("%q: code %q outside the vocabulary", b, p.Code)
		}
	})
}
