package strictjson

import (
	"encoding"
	"reflect"
	"strings"
	"sync"

	"github.com/ssra-go/ssra"
)

// closedSet is a member of a closed set (an ssra.Enum-backed type): its zero
// is "unset", which has no name and cannot be encoded.
type closedSet interface {
	Valid() bool
	encoding.TextMarshaler
}

var closedSetType = reflect.TypeFor[closedSet]()

// Unset returns the paths, in the library's form ("events[2].kind"), of the
// closed-set members in v that are left at their unset zero where
// encoding/json would write them: in a field without omitempty or omitzero,
// in a slice, array or map. A document that omits such a member decodes
// without error, but the value cannot be encoded back nor acted on, so a
// decoder of stored or submitted documents refuses it. Values whose type
// encodes itself (json.Marshaler, or a TextMarshaler that is not a closed
// set) are not entered.
func Unset(v any) []string {
	rv := reflect.ValueOf(v)
	if !rv.IsValid() {
		return nil
	}
	w := walker{}
	w.walk(rv)
	return w.found
}

// walker keeps the path to the value it is at as a stack of steps, turned
// into text only for an unset member found.
type walker struct {
	steps []step
	found []string
}

// step is a member name, or an index when name is empty.
type step struct {
	name  string
	index int
}

func (w *walker) path() string {
	p := ""
	for _, s := range w.steps {
		if s.name == "" {
			p = ssra.Index(p, s.index)
		} else {
			p = ssra.JoinPath(p, s.name)
		}
	}
	return p
}

func (w *walker) enter(s step, v reflect.Value) {
	w.steps = append(w.steps, s)
	w.walk(v)
	w.steps = w.steps[:len(w.steps)-1]
}

func (w *walker) walk(v reflect.Value) {
	t := v.Type()
	if !mayHoldSet(t) {
		return
	}
	if t.Kind() == reflect.Uint8 && t.Implements(closedSetType) {
		if v.Uint() == 0 {
			w.found = append(w.found, w.path())
		}
		return
	}
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			w.walk(v.Elem())
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			w.enter(step{index: i}, v.Index(i))
		}
	case reflect.Map:
		iter := v.MapRange()
		for iter.Next() {
			name := "?"
			if k := iter.Key(); k.Kind() == reflect.String {
				name = k.String()
			}
			w.enter(step{name: name}, iter.Value())
		}
	case reflect.Struct:
		for _, f := range fieldsOf(t) {
			fv := v.Field(f.index)
			switch {
			case f.optional && fv.IsZero():
			case f.name == "":
				w.walk(fv)
			default:
				w.enter(step{name: f.name}, fv)
			}
		}
	}
}

// field is one struct field that may hold a closed-set member.
type field struct {
	index    int
	name     string // its JSON name; empty for an embedded struct, whose fields are promoted
	optional bool   // omitempty or omitzero: a zero value is not written
}

var (
	fieldCache sync.Map // reflect.Type → []field
	holdCache  sync.Map // reflect.Type → bool
)

// fieldsOf returns the fields of struct type t that encoding/json writes
// and that may hold a closed-set member.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := 0; i < t.NumField(); i++ {
		sf := t.Field(i)
		name, opts, _ := strings.Cut(sf.Tag.Get("json"), ",")
		embedded := sf.Anonymous && name == "" && (sf.Type.Kind() == reflect.Struct ||
			sf.Type.Kind() == reflect.Pointer && sf.Type.Elem().Kind() == reflect.Struct)
		if name == "-" && opts == "" || !sf.IsExported() && !embedded || !mayHoldSet(sf.Type) {
			continue
		}
		if name == "" && !embedded {
			name = sf.Name
		}
		optional := strings.Contains(","+opts+",", ",omitempty,") || strings.Contains(","+opts+",", ",omitzero,")
		fs = append(fs, field{index: i, name: name, optional: optional})
	}
	fieldCache.Store(t, fs)
	return fs
}

var (
	marshalerType     = reflect.TypeFor[interface{ MarshalJSON() ([]byte, error) }]()
	textMarshalerType = reflect.TypeFor[encoding.TextMarshaler]()
)

// mayHoldSet reports whether a value of type t may be or contain a
// closed-set member that Unset looks at.
func mayHoldSet(t reflect.Type) bool {
	if h, ok := holdCache.Load(t); ok {
		return h.(bool)
	}
	h := holdsSet(t, map[reflect.Type]bool{})
	holdCache.Store(t, h)
	return h
}

// holdsSet is mayHoldSet without the cache; visiting holds the types being
// looked at, so that a recursive type ends the search on that path (what it
// holds, it holds through another).
func holdsSet(t reflect.Type, visiting map[reflect.Type]bool) bool {
	if t.Kind() == reflect.Uint8 && t.Implements(closedSetType) {
		return true
	}
	if t.Kind() == reflect.Pointer {
		return holdsSet(t.Elem(), visiting) // a pointer has its element's methods too
	}
	if visiting[t] || t.Implements(marshalerType) || reflect.PointerTo(t).Implements(marshalerType) ||
		t.Implements(textMarshalerType) || reflect.PointerTo(t).Implements(textMarshalerType) {
		return false
	}
	visiting[t] = true
	defer delete(visiting, t)
	switch t.Kind() {
	case reflect.Slice, reflect.Array, reflect.Map:
		return holdsSet(t.Elem(), visiting)
	case reflect.Interface:
		return true
	case reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			sf := t.Field(i)
			if (sf.IsExported() || sf.Anonymous) && sf.Tag.Get("json") != "-" && holdsSet(sf.Type, visiting) {
				return true
			}
		}
	}
	return false
}
