package canonical

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
)

// fastCorpus is JSON text that exercises the fast path: key order,
// duplicates, escapes, HTML characters, U+2028, numbers and nesting.
var fastCorpus = []string{
	`{"b":1,"a":2}`, `{ "b" : [ 1 , 2 ] , "a" : { } , "c" : [ ] }`, `{"a":1,"a":2}`, `{"b":1,"a":2,"b":3}`,
	`[1.10,"x",null,true,false,-0,0.5e-3,1E+9]`, `{"a":{"c":[{}],"b":"\u00e9"}}`, `"\ud800"`, `"\ud83d\ude00"`, `1e400`,
	`"\u003ca \u0026 b\u003e"`, `"<a & b>"`, "\"\u2028\u2029\"", `"\u2028"`, `"\b\f\n\r\t\u0001\u001f\"\\\/"`,
	`{"\u0062":1,"a":2}`, `{"é":1,"e":2,"ä":3}`, `{"":1," ":2}`, "\"\xff\"", "{\"\xffa\":1}", `[`, `{"a"}`, `{"a":1,}`,
	`[1,]`, `01`, `1.`, `-`, `1e`, `.5`, `nul`, `tru`, `"abc`, "\"a\tb\"", `{"a":1}{"b":2}`, `[1] x`, ``, ` `,
	` {"z":[{"y":1,"x":[3,{"b":0,"a":0}]}]} `, `"\u00"`, `"\x"`, `{"a":"\u0000"}`, `123456789012345678901234567890`,
	`{"b":{"d":1,"c":2},"a":{"f":1,"e":2},"b":{"h":1,"g":2}}`,
}

// TestFastIsReference holds the one-pass canonical form equal to the
// reference's on the corpus and on random JSON.
func TestFastIsReference(t *testing.T) {
	for _, in := range fastCorpus {
		checkFast(t, []byte(in))
	}
	r := rand.New(rand.NewPCG(1, 2))
	for range 3000 {
		var b strings.Builder
		randomJSON(r, &b, 0)
		checkFast(t, []byte(b.String()))
	}
}

func checkFast(t *testing.T, in []byte) {
	t.Helper()
	want, werr := reference(in)
	got, ok := canonicalise(in)
	if !ok {
		// Left to the reference: only text it refuses or a rare case.
		if werr == nil && !rare(in) {
			t.Fatalf("fast path refused %q, which the reference takes", in)
		}
		return
	}
	if werr != nil {
		t.Fatalf("fast path took %q, which the reference refuses (%v)", in, werr)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%q: fast %q, reference %q", in, got, want)
	}
}

// rare reports whether in has what the fast path leaves to the
// reference: invalid UTF-8 or an escaped surrogate.
func rare(in []byte) bool {
	return !json.Valid(in) || bytes.Contains(in, []byte(`\ud`)) || bytes.Contains(in, []byte(`\uD`)) || !validUTF8(in)
}

func validUTF8(b []byte) bool { return strings.ToValidUTF8(string(b), "\uFFFD") == string(b) }

// randomJSON writes a random JSON value with random spacing, keys that
// collide and repeat, and strings with escapes and non-ASCII characters.
func randomJSON(r *rand.Rand, b *strings.Builder, depth int) {
	sp := func() {
		if r.IntN(4) == 0 {
			b.WriteString([]string{" ", "\n", "\t", "\r\n "}[r.IntN(4)])
		}
	}
	sp()
	switch k := r.IntN(8); {
	case k == 0 && depth < 5:
		b.WriteByte('{')
		for i := range r.IntN(6) {
			if i > 0 {
				b.WriteByte(',')
			}
			sp()
			randomString(r, b)
			sp()
			b.WriteByte(':')
			randomJSON(r, b, depth+1)
		}
		sp()
		b.WriteByte('}')
	case k == 1 && depth < 5:
		b.WriteByte('[')
		for i := range r.IntN(5) {
			if i > 0 {
				b.WriteByte(',')
			}
			randomJSON(r, b, depth+1)
		}
		b.WriteByte(']')
	case k == 2:
		b.WriteString([]string{"0", "-1", "1.50", "2e3", "-0.0", "1E-7", "12345678901234567890"}[r.IntN(7)])
	case k == 3:
		b.WriteString([]string{"true", "false", "null"}[r.IntN(3)])
	default:
		randomString(r, b)
	}
	sp()
}

func randomString(r *rand.Rand, b *strings.Builder) {
	parts := []string{"a", "b", "ab", "", "é", "信访", `\u003c`, "<", "&", `\"`, `\\`, `\/`, `\n`, `\t`, `\u0001`, `\u00e9`,
		"\u2028", `\u2029`, `\ud83d\ude00`, "\U0001F600", `\u0062`, "\x7f", "~"}
	b.WriteByte('"')
	for range r.IntN(4) {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	b.WriteByte('"')
}

// FuzzFastIsReference holds the one-pass canonical form equal to the
// reference's on any input.
func FuzzFastIsReference(f *testing.F) {
	for _, s := range fastCorpus {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) { checkFast(t, in) })
}

// TestJSONOfValue: a Go value is encoded by encoding/json (HTML escaped)
// and then canonicalised, HTML unescaped.
func TestJSONOfValue(t *testing.T) {
	type v struct {
		Z string            `json:"z"`
		A int               `json:"a"`
		M map[string]string `json:"m"`
	}
	got, err := JSON(v{Z: "<a&b>\u2028", A: 1, M: map[string]string{"y": "1", "x": "2"}})
	if want := `{"a":1,"m":{"x":"2","y":"1"},"z":"<a&b>\u2028"}`; err != nil || string(got) != want {
		t.Fatalf("got %s (%v), want %s", got, err, want)
	}
}

func BenchmarkJSON(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"profile":"practice","assessment":{"subject":{"name":"plant","kind":"project"},"factors":[`)
	for i := range 30 {
		if i > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(`{"id":"F01","name":"factor \u003cx\u003e","weight":"0.03","initial":{"probability":3,"impact":2},"measures":[{"id":"M1","description":"measure","due":"2027-03-31"}]}`)
	}
	sb.WriteString(`]}}`)
	in := []byte(sb.String())
	b.Run("fast", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := JSON(json.RawMessage(in)); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reference", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := reference(in); err != nil {
				b.Fatal(err)
			}
		}
	})
}
