package ssra

import "strconv"

// Enum is the table of a closed set of values of type T (a `type X uint8`
// whose members are numbered from 1): each member's wire name and its
// bilingual label. The zero value of T means "unset": it has no name, is
// not Valid, cannot be encoded, and no text decodes to it, so that a missing
// field never becomes a real member. The set's own type keeps one-line
// String, MarshalText, UnmarshalText, Valid and Label methods that call the
// table.
type Enum[T ~uint8] struct {
	kind    string
	names   []string
	labels  []Label
	members []T
}

// Member is one member of an Enum: its wire name and its label.
type Member struct {
	Name  string
	Label Label
}

// M returns the member named name with the label zh, en.
func M(name, zh, en string) Member { return Member{Name: name, Label: L(zh, en)} }

// NewEnum returns the table of a closed set named kind (used in error
// messages, such as "role"): members[i] is the member with value i+1.
func NewEnum[T ~uint8](kind string, members ...Member) *Enum[T] {
	e := &Enum[T]{kind: kind, names: make([]string, len(members)+1), labels: make([]Label, len(members)+1)}
	for i, m := range members {
		e.names[i+1], e.labels[i+1] = m.Name, m.Label
		e.members = append(e.members, T(i+1))
	}
	return e
}

// Members returns every member in order.
func (e *Enum[T]) Members() []T { return append([]T(nil), e.members...) }

// Names returns every member's name in order.
func (e *Enum[T]) Names() []string { return append([]string(nil), e.names[1:]...) }

// Valid reports whether v is a member (not zero, not out of range).
func (e *Enum[T]) Valid(v T) bool { return v > 0 && int(v) < len(e.names) }

// String returns v's name, "kind(unset)" for zero, or "kind(n)" for a
// value outside the set.
func (e *Enum[T]) String(v T) string {
	switch {
	case v == 0:
		return e.kind + "(unset)"
	case e.Valid(v):
		return e.names[v]
	}
	return e.kind + "(" + strconv.Itoa(int(v)) + ")"
}

// Label returns v's label in lang, or String(v) for a value outside the set.
func (e *Enum[T]) Label(v T, lang Lang) string {
	if !e.Valid(v) {
		return e.String(v)
	}
	return e.labels[v].In(lang)
}

// Labels returns v's label in every language, or the zero Label for a
// value outside the set.
func (e *Enum[T]) Labels(v T) Label {
	if !e.Valid(v) {
		return Label{}
	}
	return e.labels[v]
}

// MarshalText returns v's name; zero and values outside the set are an
// error of KindInvalid.
func (e *Enum[T]) MarshalText(v T) ([]byte, error) {
	if !e.Valid(v) {
		return nil, Errorf(KindInvalid, "ssra.Enum", "%s is not a %s", e.String(v), e.kind)
	}
	return []byte(e.names[v]), nil
}

// AppendText appends v's name to b, for a set's own AppendText method;
// zero and values outside the set are an error as in MarshalText.
func (e *Enum[T]) AppendText(b []byte, v T) ([]byte, error) {
	if !e.Valid(v) {
		_, err := e.MarshalText(v)
		return b, err
	}
	return append(b, e.names[v]...), nil
}

// UnmarshalText sets *v to the member named b, for a set's own
// UnmarshalText method; on an error *v is left as it was.
func (e *Enum[T]) UnmarshalText(v *T, b []byte) error {
	x, err := e.Parse(string(b))
	if err != nil {
		return err
	}
	*v = x
	return nil
}

// Parse returns the member named s; empty and unknown text are an error of
// KindInvalid naming the text.
func (e *Enum[T]) Parse(s string) (T, error) {
	for i := 1; i < len(e.names); i++ {
		if e.names[i] == s {
			return T(i), nil
		}
	}
	if s == "" {
		return 0, Errorf(KindInvalid, "ssra.Enum", "%s is empty", e.kind)
	}
	return 0, Errorf(KindInvalid, "ssra.Enum", "unknown %s %q", e.kind, s)
}
