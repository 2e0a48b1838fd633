package strictjson_test

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/ssra-go/ssra/internal/strictjson"
)

// colour is a closed set as ssra.Enum makes them: zero is unset.
type colour uint8

func (c colour) Valid() bool { return c == 1 || c == 2 }

func (c colour) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, errUnset
	}
	return []byte([]string{"", "red", "blue"}[c]), nil
}

var errUnset = &json.UnsupportedValueError{Str: "unset"}

// stamp encodes itself: Unset does not look inside it.
type stamp struct{ C colour }

func (stamp) MarshalJSON() ([]byte, error) { return []byte(`"stamp"`), nil }

type node struct {
	C        colour            `json:"c"`
	Maybe    colour            `json:"maybe,omitempty"`
	Ptr      *colour           `json:"ptr,omitempty"`
	Kids     []node            `json:"kids,omitempty"`
	ByName   map[string]colour `json:"by_name,omitempty"`
	Any      any               `json:"any,omitempty"`
	Stamp    stamp             `json:"stamp"`
	Skipped  colour            `json:"-"`
	untagged colour
	inner
}

type inner struct {
	Deep colour `json:"deep"`
}

// TestUnset: every unset member encoding/json would write is found at its
// path, in nested and recursive values, and nothing else; a value Unset
// passes encodes.
func TestUnset(t *testing.T) {
	zero := colour(0)
	v := node{
		C: 1, Ptr: &zero, ByName: map[string]colour{"a": 2, "b": 0}, Any: []colour{1, 0},
		Kids:  []node{{C: 2, inner: inner{Deep: 1}}, {Kids: []node{{C: 1}}, inner: inner{Deep: 2}}},
		inner: inner{Deep: 0}, untagged: 0, // unexported: never written, never asked for
	}
	got := strictjson.Unset(&v)
	want := []string{"ptr", "kids[1].c", "kids[1].kids[0].deep", "by_name.b", "any[1]", "deep"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Unset = %q, want %q", got, want)
	}
	if _, err := json.Marshal(v); err == nil {
		t.Fatal("a value with unset members encoded")
	}
	ok := node{C: 1, inner: inner{Deep: 2}, Kids: []node{{C: 2, inner: inner{Deep: 1}}}}
	if got := strictjson.Unset(ok); len(got) != 0 {
		t.Fatalf("Unset(complete) = %q", got)
	}
	if _, err := json.Marshal(ok); err != nil {
		t.Fatalf("a complete value does not encode: %v", err)
	}
	if strictjson.Unset(nil) != nil || strictjson.Unset((*node)(nil)) != nil {
		t.Fatal("nil has unset members")
	}
}
