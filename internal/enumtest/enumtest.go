// Package enumtest holds the property test every closed set of the module
// passes: its members round-trip through text, the zero value and unknown
// text are refused, and each member has a Chinese and an English label.
package enumtest

import (
	"strings"
	"testing"
	"unicode"

	"github.com/ssra-go/ssra"
)

// Closed is a closed set built on ssra.Enum.
type Closed interface {
	~uint8
	String() string
	Valid() bool
	Label(ssra.Lang) string
	MarshalText() ([]byte, error)
}

// Check tests the closed set whose members are members; P is *T.
func Check[T Closed, P interface {
	*T
	UnmarshalText([]byte) error
}](t *testing.T, members []T) {
	t.Helper()
	if len(members) == 0 {
		t.Fatal("no members")
	}
	var zero T
	if zero.Valid() {
		t.Errorf("%T: the zero value is valid", zero)
	}
	if _, err := zero.MarshalText(); err == nil {
		t.Errorf("%T: the zero value encodes", zero)
	}
	for _, text := range []string{"", "unknown-member", " "} {
		var v T
		if err := P(&v).UnmarshalText([]byte(text)); err == nil {
			t.Errorf("%T: text %q decodes to %v", v, text, v)
		}
	}
	seen := map[string]bool{}
	for _, m := range members {
		if !m.Valid() {
			t.Errorf("%T(%d): member not valid", m, m)
			continue
		}
		b, err := m.MarshalText()
		if err != nil {
			t.Errorf("%T(%d): %v", m, m, err)
			continue
		}
		if got, want := string(b), m.String(); got != want {
			t.Errorf("%T(%d): text %q, String %q", m, m, got, want)
		}
		if seen[string(b)] {
			t.Errorf("%T: name %q twice", m, b)
		}
		seen[string(b)] = true
		var back T
		if err := P(&back).UnmarshalText(b); err != nil || back != m {
			t.Errorf("%T: %q decodes to %v, %v; want %v", m, b, back, err, m)
		}
		if upper := strings.ToUpper(string(b)); upper != string(b) {
			var v T
			if err := P(&v).UnmarshalText([]byte(upper)); err == nil {
				t.Errorf("%T: %q decodes (names are exact)", m, upper)
			}
		}
		zh, en := m.Label(ssra.LangZH), m.Label(ssra.LangEN)
		if !strings.ContainsFunc(zh, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%T %v: no Chinese label (got %q)", m, m, zh)
		}
		if en == "" || strings.ContainsFunc(en, func(r rune) bool { return unicode.Is(unicode.Han, r) }) {
			t.Errorf("%T %v: no English label (got %q)", m, m, en)
		}
	}
}
