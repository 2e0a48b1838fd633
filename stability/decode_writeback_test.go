package stability_test

import (
	"encoding/json"
	"sort"
	"strconv"
	"testing"

	"github.com/ssra-go/ssra/internal/strictjson"
	"github.com/ssra-go/ssra/stability"
)

// TestDecodedCaseWritesBack: a stored case with any one member left out
// either is refused by its decoder or decodes to a case that can be written
// back. A member of a closed set that is left out decodes as the unset zero,
// which cannot be encoded; the decoders refuse it at its path, wherever on
// the case it sits (events, deadlines, handovers, ratings, agreements…).
func TestDecodedCaseWritesBack(t *testing.T) {
	p, cal := preset(t, "xinfang2022"), sampleCalendar(t)
	m := preset(t, "mediation2010")
	cs, ds, _ := randomCases(t, 7, 400)
	refused := map[string]int{}
	try := func(kind string, body []byte, decode func([]byte) (any, error)) {
		var tree any
		if err := json.Unmarshal(body, &tree); err != nil {
			t.Fatal(err)
		}
		for _, path := range memberPaths(tree, "") {
			cut, err := json.Marshal(without(tree, path))
			if err != nil {
				t.Fatal(err)
			}
			v, err := decode(cut)
			if err != nil {
				refused[kind]++
				continue
			}
			if _, err := json.Marshal(v); err != nil {
				t.Fatalf("%s without %s decoded but cannot be written back: %v", kind, path, err)
			}
		}
	}
	for _, c := range richest(cs, func(c *stability.Complaint) int { return len(c.Events) }) {
		b, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		try("complaint", b, func(b []byte) (any, error) { return stability.DecodeComplaint(b, p, cal) })
	}
	for _, d := range richest(ds, func(d *stability.Dispute) int { return len(d.Events) }) {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		try("dispute", b, func(b []byte) (any, error) { return stability.DecodeDispute(b, m, cal) })
	}
	if refused["complaint"] == 0 || refused["dispute"] == 0 {
		t.Fatalf("no cut refused: %v", refused)
	}
}

// richest returns the six cases with the longest histories.
func richest[T any](xs []*T, size func(*T) int) []*T {
	xs = append([]*T(nil), xs...)
	sort.SliceStable(xs, func(i, j int) bool { return size(xs[i]) > size(xs[j]) })
	return xs[:min(6, len(xs))]
}

// memberPaths lists the path of every object member in a decoded JSON tree.
func memberPaths(v any, at string) []string {
	var out []string
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			p := at + "/" + k
			out = append(out, p)
			out = append(out, memberPaths(e, p)...)
		}
	case []any:
		for i, e := range x {
			out = append(out, memberPaths(e, at+"/"+strconv.Itoa(i))...)
		}
	}
	return out
}

// without returns a copy of the tree with the member at path removed.
func without(v any, path string) any {
	return cut(v, splitPath(path))
}

func cut(v any, parts []string) any {
	switch x := v.(type) {
	case map[string]any:
		y := make(map[string]any, len(x))
		for k, e := range x {
			switch {
			case k != parts[0]:
				y[k] = e
			case len(parts) > 1:
				y[k] = cut(e, parts[1:])
			}
		}
		return y
	case []any:
		y := append([]any(nil), x...)
		for i := range y {
			if strconv.Itoa(i) == parts[0] {
				y[i] = cut(y[i], parts[1:])
			}
		}
		return y
	}
	return v
}

func splitPath(p string) []string {
	var parts []string
	start := 1
	for i := 1; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			parts = append(parts, p[start:i])
			start = i + 1
		}
	}
	return parts
}

// BenchmarkDecodeComplaint measures the decoder of a stored case, and the
// share of it that looks for unset closed-set members (unset_walk).
func BenchmarkDecodeComplaint(b *testing.B) {
	p, cal := preset(b, "xinfang2022"), sampleCalendar(b)
	cs, _, _ := randomCases(b, 7, 200)
	c := richest(cs, func(c *stability.Complaint) int { return len(c.Events) })[0]
	body, err := json.Marshal(c)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := stability.DecodeComplaint(body, p, cal); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("unset_walk", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if len(strictjson.Unset(c)) != 0 {
				b.Fatal("unset member")
			}
		}
	})
}
