package sqlstore_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
)

func TestCanonical(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"keys sorted, spaces dropped", `{ "b": 1, "a": [ 2, {"d": null, "c": true} ] }`, `{"a":[2,{"c":true,"d":null}],"b":1}`},
		{"numbers kept as written", `[1.10, 1e3, -0.0, 12345678901234567890]`, `[1.10,1e3,-0.0,12345678901234567890]`},
		{"HTML not escaped", `"<a & b>"`, `"<a & b>"`},
		{"unicode kept", `"信访"`, `"信访"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := sqlstore.Canonical(json.RawMessage(c.in))
			if err != nil || string(got) != c.want {
				t.Fatalf("got %s (%v), want %s", got, err, c.want)
			}
		})
	}
	for _, bad := range []string{``, `{`, `{"a":1}{"b":2}`, `[1] x`, `nul`} {
		if _, err := sqlstore.Canonical([]byte(bad)); err == nil {
			t.Fatalf("Canonical(%q): want an error", bad)
		}
	}
	// A Go value and its JSON text have one canonical form.
	type v struct {
		Z string `json:"z"`
		A int    `json:"a"`
	}
	fromValue, err1 := sqlstore.Canonical(v{Z: "0.10", A: 1})
	fromText, err2 := sqlstore.Canonical([]byte(`{"z":"0.10","a":1}`))
	if err1 != nil || err2 != nil || !bytes.Equal(fromValue, fromText) {
		t.Fatalf("value %s, text %s", fromValue, fromText)
	}
}

// FuzzCanonical checks that canonical JSON is valid JSON, a fixed point,
// and equal in meaning to its input.
func FuzzCanonical(f *testing.F) {
	for _, s := range []string{`{"b":1,"a":2}`, `[1.10,"x",null,true]`, `{"a":{"c":[{}],"b":"\u00e9"}}`, `"\ud800"`, `1e400`, `{"a":1,"a":2}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		c, err := sqlstore.Canonical(in)
		if err != nil {
			return
		}
		if !json.Valid(c) {
			t.Fatalf("canonical form is not JSON: %q", c)
		}
		again, err := sqlstore.Canonical(c)
		if err != nil || !bytes.Equal(again, c) {
			t.Fatalf("not a fixed point: %q -> %q (%v)", c, again, err)
		}
		var a, b any
		da, db := json.NewDecoder(bytes.NewReader(in)), json.NewDecoder(bytes.NewReader(c))
		da.UseNumber()
		db.UseNumber()
		if da.Decode(&a) != nil || db.Decode(&b) != nil {
			t.Fatal("decode")
		}
		ja, _ := json.Marshal(a)
		jb, _ := json.Marshal(b)
		if !bytes.Equal(ja, jb) {
			t.Fatalf("meaning changed: %s vs %s", ja, jb)
		}
	})
}

func TestRecordKindText(t *testing.T) {
	for k := store.RecordAssessment; k.Valid(); k++ {
		b, err := k.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back store.RecordKind
		if err := back.UnmarshalText(b); err != nil || back != k {
			t.Fatalf("%s does not round-trip: %v", b, err)
		}
	}
	var k store.RecordKind
	for _, bad := range []string{"", "Assessment", "record_kind(1)", "complaints"} {
		if err := k.UnmarshalText([]byte(bad)); err == nil {
			t.Fatalf("UnmarshalText(%q): want an error", bad)
		}
	}
	if _, err := store.RecordKind(0).MarshalText(); err == nil {
		t.Fatal("the zero kind must not marshal")
	}
}
