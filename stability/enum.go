package stability

import (
	"fmt"
	"strconv"
)

// The closed sets of the package number their members from 1: the zero
// value of each means "unset", so that a member missing from a decoded
// value or a struct literal never becomes a real one. names[0] is "".

// enumString returns names[v], "kind(unset)" for the zero value, or
// "kind(v)" for a value outside the set.
func enumString(names []string, kind string, v uint8) string {
	if v == 0 {
		return kind + "(unset)"
	}
	if int(v) < len(names) {
		return names[v]
	}
	return kind + "(" + strconv.Itoa(int(v)) + ")"
}

// enumMarshal encodes v as its name and refuses the zero value and values
// outside the set.
func enumMarshal(names []string, kind string, v uint8) ([]byte, error) {
	if v == 0 {
		return nil, fmt.Errorf("stability: %s is unset", kind)
	}
	if int(v) >= len(names) {
		return nil, fmt.Errorf("stability: unknown %s %d", kind, v)
	}
	return []byte(names[v]), nil
}

// enumParse decodes a name and refuses unknown and empty text.
func enumParse(names []string, kind string, b []byte) (uint8, error) {
	for i, n := range names {
		if i > 0 && n == string(b) {
			return uint8(i), nil
		}
	}
	if len(b) == 0 {
		return 0, fmt.Errorf("stability: %s is empty", kind)
	}
	return 0, fmt.Errorf("stability: unknown %s %q", kind, b)
}
