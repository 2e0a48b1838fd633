package jsonenc_test

import (
	"bytes"
	"encoding/json"
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra/internal/jsonenc"
)

// TestAppendDecimalIsString holds AppendDecimal to decimal.String over
// random coefficients and exponents, on both sides of the int64 fast path.
func TestAppendDecimalIsString(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	check := func(d decimal.Decimal) {
		t.Helper()
		if got, want := string(jsonenc.AppendDecimal([]byte("x"), d)), "x"+d.String(); got != want {
			t.Fatalf("coefficient %s exponent %d: got %q, want %q", d.Coefficient(), d.Exponent(), got, want)
		}
	}
	for _, c := range []int64{0, 1, -1, 9, 10, 100, 120, -1200, math.MaxInt64, math.MinInt64, 999999999999999999, 1e18} {
		for e := int32(-22); e <= 22; e++ {
			check(decimal.New(c, e))
		}
	}
	for range 20000 {
		c := r.Int64N(1<<62) >> r.IntN(62)
		if r.IntN(2) == 0 {
			c = -c
		}
		check(decimal.New(c, int32(r.IntN(45)-22)))
	}
	big := new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil)
	check(decimal.NewFromBigInt(big, -5))
}

// TestMarshalIsEncodingJSON holds Marshal to encoding/json on the cases
// the two libraries differ in by default.
func TestMarshalIsEncodingJSON(t *testing.T) {
	type inner struct {
		D decimal.Decimal   `json:"d"`
		Z decimal.Decimal   `json:"z,omitzero"`
		S []int             `json:"s"`
		E []int             `json:"e,omitempty"`
		M map[string]int    `json:"m"`
		P *inner            `json:"p,omitempty"`
		T string            `json:"t"`
		L []decimal.Decimal `json:"l"`
	}
	type outer struct {
		inner
		Extra string `json:"extra"`
	}
	for _, v := range []outer{
		{},
		{inner: inner{D: decimal.RequireFromString("-0.0120"), S: []int{}, M: map[string]int{"b": 1, "a": 2, "<": 3}, T: "a<b>&c\u2028\u2029 中", L: []decimal.Decimal{decimal.New(5, 3)}}, Extra: "x"},
		{inner: inner{P: &inner{T: "nested"}, E: []int{1}}},
	} {
		got, err := jsonenc.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}

// TestMarshalInvalidUTF8 checks that invalid UTF-8 becomes U+FFFD, the
// same JSON string as encoding/json's "\ufffd" escape.
func TestMarshalInvalidUTF8(t *testing.T) {
	v := map[string]string{"t": "a\xffb"}
	got, err := jsonenc.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != `{"t":"a\uFFFDb"}` && string(got) != "{\"t\":\"a\ufffdb\"}" {
		t.Fatalf("got %s", got)
	}
	var back map[string]string
	if err := json.Unmarshal(got, &back); err != nil || back["t"] != "a\ufffdb" {
		t.Fatalf("decoded %q, %v", back["t"], err)
	}
}

// AppendString writes what encoding/json writes for any string.
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "plain", "<a href=\"x\">&amp;</a>", "\x00\x01\b\f\n\r\t\x1f\x7f", "\\ \" /",
		"中文 ✓ ≤", "line\u2028sep\u2029", "bad \xff", "half \xe4\xb8", "\xed\xa0\x80 surrogate", "🙂\U0010FFFF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := jsonenc.AppendString(nil, s); string(got) != string(want) {
			t.Fatalf("%q: got %s, want %s", s, got, want)
		}
		var kept bytes.Buffer
		enc := json.NewEncoder(&kept)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(s); err != nil {
			t.Fatal(err)
		}
		if got, want := jsonenc.AppendStringKeepHTML([]byte("x"), []byte(s)), "x"+strings.TrimSuffix(kept.String(), "\n"); string(got) != want {
			t.Fatalf("%q with HTML kept: got %s, want %s", s, got, want)
		}
	})
}
