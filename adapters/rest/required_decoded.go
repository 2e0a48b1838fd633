package rest

import (
	"encoding"
	"reflect"
	"strings"
	"sync"

	"github.com/go-json-experiment/json"
)

// The check of required members reads the body a second time, token by
// token, which cost the evaluate route some 7 % of its CPU time
// (BenchmarkEvaluate/server, profiled). The value just decoded answers
// first: it was decoded into zero values, so a required member whose Go
// field is not zero was in the body. Only when a required field is zero
// (left out, or given as zero: the decoded value cannot tell) or the Go
// type does not show the member plainly does the walk of the body decide,
// and it alone words the problems.

// presence is a request schema node compiled against the Go type a
// handler decodes the body into: the fields of the members the node
// requires, and the plans of the members and items inside which more is
// required; an unknown plan is one the Go type cannot answer for.
type presence struct {
	required [][]int // field index paths (an embedded struct's fields inline)
	props    []presenceProp
	items    *presence // for a slice or array
	isSlice  bool
	unknown  bool // the Go type cannot answer: walk the body
}

// presenceProp is a member inside which something is required.
type presenceProp struct {
	index []int
	plan  *presence
}

// presenceKey names a compiled plan.
type presenceKey struct {
	node *reqNode
	typ  reflect.Type
}

// presencePlans holds the plans compiled so far; a plan is immutable once
// stored.
var presencePlans sync.Map // presenceKey → *presence

// zeroTarget returns v, a pointer about to be decoded into, when what it
// points to is the zero value, and nil otherwise: only a value decoded
// into zero values can answer for the members the body held, since the
// decoder merges a body into what is already there.
func zeroTarget(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() || !rv.Elem().IsZero() {
		return nil
	}
	return v
}

// membersPresent reports whether v, just decoded from a body of the route
// whose schema is n, certainly has every member n requires; false means
// the body must be walked.
func membersPresent(n *reqNode, v any) bool {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return false
	}
	rv = rv.Elem()
	return planOf(n, rv.Type()).present(rv)
}

// planOf returns the plan of node n for Go type t, compiling it once.
func planOf(n *reqNode, t reflect.Type) *presence {
	key := presenceKey{n, t}
	if p, ok := presencePlans.Load(key); ok {
		return p.(*presence)
	}
	c := presenceCompiler{memo: map[presenceKey]*presence{}}
	p := c.compile(n, t)
	presencePlans.Store(key, p)
	return p
}

// presenceCompiler compiles one plan; a type that refers to itself
// compiles to a plan that points to itself.
type presenceCompiler struct {
	memo map[presenceKey]*presence
}

var (
	jsonUnmarshalerType     = reflect.TypeFor[json.Unmarshaler]()
	jsonUnmarshalerFromType = reflect.TypeFor[json.UnmarshalerFrom]()
	textUnmarshalerType     = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// decodesItself reports a type whose own decoder may set its fields from
// members of other names, or none.
func decodesItself(t reflect.Type) bool {
	pt := reflect.PointerTo(t)
	return pt.Implements(jsonUnmarshalerType) || pt.Implements(jsonUnmarshalerFromType) || pt.Implements(textUnmarshalerType)
}

func (c *presenceCompiler) compile(n *reqNode, t reflect.Type) *presence {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	key := presenceKey{n, t}
	if p, ok := c.memo[key]; ok {
		return p
	}
	p := &presence{}
	c.memo[key] = p
	if decodesItself(t) {
		p.unknown = true
		return p
	}
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		if len(n.required) > 0 || len(n.props) > 0 {
			p.unknown = true
			return p
		}
		p.isSlice = true
		if n.items != nil {
			p.items = c.compile(n.items, t.Elem())
		}
	case reflect.Struct:
		fields, ok := memberFields(t)
		if !ok {
			p.unknown = true
			return p
		}
		for _, name := range n.required {
			idx, ok := fields[name]
			if !ok {
				p.unknown = true
				return p
			}
			p.required = append(p.required, idx)
		}
		for _, pr := range n.props {
			idx, ok := fields[pr.name]
			if !ok {
				p.unknown = true
				return p
			}
			p.props = append(p.props, presenceProp{idx, c.compile(pr.node, t.FieldByIndex(idx).Type)})
		}
		if n.items != nil {
			p.unknown = true
		}
	default:
		p.unknown = true
	}
	return p
}

// memberFields maps the JSON member names of struct type t to its fields,
// as the decoder names them: the tag's name, else the Go name, the fields
// of an untagged embedded struct inline. ok is false for what the plan
// does not follow (inlined or unknown-member fields given by option, an
// embedded pointer, a name twice).
func memberFields(t reflect.Type) (map[string][]int, bool) {
	fields := map[string][]int{}
	var walk func(t reflect.Type, prefix []int) bool
	walk = func(t reflect.Type, prefix []int) bool {
		for i := range t.NumField() {
			sf := t.Field(i)
			tag, hasTag := sf.Tag.Lookup("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if strings.Contains(opts, "inline") || strings.Contains(opts, "unknown") || strings.Contains(opts, "case:") || strings.Contains(opts, "nocase") {
				return false
			}
			idx := append(append([]int(nil), prefix...), i)
			if sf.Anonymous && name == "" {
				if sf.Type.Kind() != reflect.Struct || decodesItself(sf.Type) {
					return false
				}
				if !walk(sf.Type, idx) {
					return false
				}
				continue
			}
			if !sf.IsExported() {
				continue
			}
			if !hasTag || name == "" {
				name = sf.Name
			}
			if _, dup := fields[name]; dup {
				return false
			}
			fields[name] = idx
		}
		return true
	}
	return fields, walk(t, nil)
}

// present reports whether v certainly has every member p requires.
func (p *presence) present(v reflect.Value) bool {
	if p.unknown {
		return false
	}
	for v.Kind() == reflect.Pointer {
		if v.IsNil() {
			return false
		}
		v = v.Elem()
	}
	if p.isSlice {
		if p.items == nil {
			return true
		}
		for i := range v.Len() {
			if !p.items.present(v.Index(i)) {
				return false
			}
		}
		return true
	}
	for _, idx := range p.required {
		if v.FieldByIndex(idx).IsZero() {
			return false
		}
	}
	for _, pr := range p.props {
		f := v.FieldByIndex(pr.index)
		switch f.Kind() {
		case reflect.Pointer, reflect.Interface:
			if f.IsNil() {
				continue // left out or null: nothing below it is required
			}
		case reflect.Slice, reflect.Map:
			if f.Len() == 0 {
				continue
			}
		}
		if !pr.plan.present(f) {
			return false
		}
	}
	return true
}
