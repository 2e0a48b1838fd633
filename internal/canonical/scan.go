package canonical

import (
	"bytes"
	"slices"
	"unicode/utf8"

	"github.com/ssra-go/ssra/internal/jsonenc"
)

// The canonical form was first computed by decoding into a tree of
// map[string]any (numbers as json.Number) and encoding that tree again
// (reference, kept below). That costs two passes through reflection and an
// allocation per value: for a 30-factor assessment it was nine tenths of
// canonicalising and a third of POST /v1/assessments (BenchmarkAssessments/
// create in adapters/rest). canonicalise writes the same bytes in one pass
// over the JSON text, without a tree: an object's members are written in
// the order they come and then moved into key order. What is rare and
// subtle (invalid UTF-8, an escaped surrogate, nesting deeper than the
// reference decoder allows) it does not handle: it reports !ok and JSON
// falls back to the reference, which also has the last word on errors.
// FuzzFastIsReference holds the two equal.

// maxDepth is encoding/json's nesting limit; deeper text goes to the
// reference, which refuses it.
const maxDepth = 10000

// scanner canonicalises one JSON text. Its buffers are reused across the
// objects of the text.
type scanner struct {
	src     []byte
	i       int
	depth   int
	members []member // the members of the objects being written, innermost last
	strs    []byte   // an escaped string's contents, unescaped
	tmp     []byte   // an object's members while they are put in order
}

// member is one object member written to the output: its key (unescaped)
// and the span of `"key":value` in the output.
type member struct {
	key        []byte
	start, end int
}

// canonicalise returns the canonical form of the JSON text src, and false
// where src is not JSON or needs the reference.
func canonicalise(src []byte) ([]byte, bool) {
	s := scanner{src: src}
	out := make([]byte, 0, len(src))
	s.space()
	out, ok := s.value(out)
	if !ok {
		return nil, false
	}
	s.space()
	if s.i != len(s.src) {
		return nil, false
	}
	return out, true
}

func (s *scanner) space() {
	for s.i < len(s.src) {
		switch s.src[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) value(out []byte) ([]byte, bool) {
	if s.i >= len(s.src) {
		return out, false
	}
	switch c := s.src[s.i]; {
	case c == '{':
		return s.object(out)
	case c == '[':
		return s.array(out)
	case c == '"':
		return s.str(out)
	case c == '-' || c >= '0' && c <= '9':
		return s.number(out)
	case c == 't':
		return s.literal(out, "true")
	case c == 'f':
		return s.literal(out, "false")
	case c == 'n':
		return s.literal(out, "null")
	}
	return out, false
}

func (s *scanner) literal(out []byte, lit string) ([]byte, bool) {
	if !bytes.HasPrefix(s.src[s.i:], []byte(lit)) {
		return out, false
	}
	s.i += len(lit)
	return append(out, lit...), true
}

// number copies a number as written (the reference keeps json.Number's
// text), after checking its grammar.
func (s *scanner) number(out []byte) ([]byte, bool) {
	start := s.i
	if s.src[s.i] == '-' {
		s.i++
	}
	switch {
	case s.i < len(s.src) && s.src[s.i] == '0':
		s.i++
	case s.digits() == 0:
		return out, false
	}
	if s.i < len(s.src) && s.src[s.i] == '.' {
		s.i++
		if s.digits() == 0 {
			return out, false
		}
	}
	if s.i < len(s.src) && (s.src[s.i] == 'e' || s.src[s.i] == 'E') {
		s.i++
		if s.i < len(s.src) && (s.src[s.i] == '+' || s.src[s.i] == '-') {
			s.i++
		}
		if s.digits() == 0 {
			return out, false
		}
	}
	return append(out, s.src[start:s.i]...), true
}

func (s *scanner) digits() int {
	n := 0
	for s.i < len(s.src) && s.src[s.i] >= '0' && s.src[s.i] <= '9' {
		s.i++
		n++
	}
	return n
}

func (s *scanner) array(out []byte) ([]byte, bool) {
	if s.depth++; s.depth > maxDepth {
		return out, false
	}
	s.i++
	out = append(out, '[')
	s.space()
	if s.i < len(s.src) && s.src[s.i] == ']' {
		s.i++
		s.depth--
		return append(out, ']'), true
	}
	for {
		var ok bool
		if out, ok = s.value(out); !ok {
			return out, false
		}
		s.space()
		if s.i >= len(s.src) {
			return out, false
		}
		switch s.src[s.i] {
		case ',':
			s.i++
			out = append(out, ',')
			s.space()
		case ']':
			s.i++
			s.depth--
			return append(out, ']'), true
		default:
			return out, false
		}
	}
}

func (s *scanner) object(out []byte) ([]byte, bool) {
	if s.depth++; s.depth > maxDepth {
		return out, false
	}
	s.i++
	out = append(out, '{')
	s.space()
	if s.i < len(s.src) && s.src[s.i] == '}' {
		s.i++
		s.depth--
		return append(out, '}'), true
	}
	base := len(s.members)
	for {
		if s.i >= len(s.src) || s.src[s.i] != '"' {
			return out, false
		}
		if len(s.members) > base {
			out = append(out, ',')
		}
		start := len(out)
		key, ok := s.key()
		if !ok {
			return out, false
		}
		out = jsonenc.AppendStringKeepHTML(out, key)
		s.space()
		if s.i >= len(s.src) || s.src[s.i] != ':' {
			return out, false
		}
		s.i++
		out = append(out, ':')
		s.space()
		if out, ok = s.value(out); !ok {
			return out, false
		}
		s.members = append(s.members, member{key: key, start: start, end: len(out)})
		s.space()
		if s.i >= len(s.src) {
			return out, false
		}
		if s.src[s.i] == ',' {
			s.i++
			s.space()
			continue
		}
		if s.src[s.i] != '}' {
			return out, false
		}
		s.i++
		break
	}
	out = s.order(out, base)
	s.members = s.members[:base]
	s.depth--
	return append(out, '}'), true
}

// order puts the members written since s.members[base], comma-separated,
// in key order; of members with one key the last stands, as in a map.
func (s *scanner) order(out []byte, base int) []byte {
	ms := s.members[base:]
	cmp := func(a, b member) int { return bytes.Compare(a.key, b.key) }
	if len(ms) == 1 || slices.IsSortedFunc(ms, cmp) && !hasDuplicate(ms) {
		return out
	}
	slices.SortStableFunc(ms, cmp)
	first := ms[0].start
	for _, m := range ms {
		first = min(first, m.start)
	}
	s.tmp = append(s.tmp[:0], out[first:]...)
	out = out[:first]
	n := 0
	for i, m := range ms {
		if i+1 < len(ms) && bytes.Equal(ms[i+1].key, m.key) {
			continue // a later member has this key
		}
		if n > 0 {
			out = append(out, ',')
		}
		out = append(out, s.tmp[m.start-first:m.end-first]...)
		n++
	}
	return out
}

func hasDuplicate(sorted []member) bool {
	for i := 1; i < len(sorted); i++ {
		if bytes.Equal(sorted[i-1].key, sorted[i].key) {
			return true
		}
	}
	return false
}

// key reads a member name and returns it unescaped: a slice of the text
// where it has no escape, else a buffer of its own.
func (s *scanner) key() ([]byte, bool) {
	raw, esc, ok := s.scanString()
	if !ok {
		return nil, false
	}
	if !esc {
		return raw, true
	}
	// Rare: an escaped key gets a buffer of its own.
	return unescape(nil, raw)
}

// str copies a string, unescaped and written again as encoding/json
// writes it without HTML escaping.
func (s *scanner) str(out []byte) ([]byte, bool) {
	raw, esc, ok := s.scanString()
	if !ok {
		return out, false
	}
	if !esc {
		return jsonenc.AppendStringKeepHTML(out, raw), true
	}
	var uok bool
	if s.strs, uok = unescape(s.strs[:0], raw); !uok {
		return out, false
	}
	return jsonenc.AppendStringKeepHTML(out, s.strs), true
}

// scanString reads a string at s.i and returns its contents between the
// quotes, whether it has escapes, and false for a control character,
// invalid UTF-8 or an unterminated string.
func (s *scanner) scanString() (raw []byte, escaped, ok bool) {
	start := s.i + 1
	for i := start; i < len(s.src); {
		c := s.src[i]
		switch {
		case c == '"':
			s.i = i + 1
			return s.src[start:i], escaped, true
		case c == '\\':
			escaped = true
			i += 2
		case c < 0x20:
			return nil, false, false
		case c < utf8.RuneSelf:
			i++
		default:
			r, size := utf8.DecodeRune(s.src[i:])
			if r == utf8.RuneError && size == 1 {
				return nil, false, false
			}
			i += size
		}
	}
	return nil, false, false
}

// unescape appends the unescaped form of a string's contents to dst; false
// for an unknown escape or one of a surrogate (left to the reference).
func unescape(dst, raw []byte) ([]byte, bool) {
	for i := 0; i < len(raw); {
		c := raw[i]
		if c != '\\' {
			dst = append(dst, c)
			i++
			continue
		}
		if i+1 >= len(raw) {
			return dst, false
		}
		switch raw[i+1] {
		case '"', '\\', '/':
			dst = append(dst, raw[i+1])
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			if i+6 > len(raw) {
				return dst, false
			}
			var r rune
			for _, h := range raw[i+2 : i+6] {
				switch {
				case h >= '0' && h <= '9':
					r = r<<4 | rune(h-'0')
				case h >= 'a' && h <= 'f':
					r = r<<4 | rune(h-'a'+10)
				case h >= 'A' && h <= 'F':
					r = r<<4 | rune(h-'A'+10)
				default:
					return dst, false
				}
			}
			if r >= 0xD800 && r < 0xE000 {
				return dst, false
			}
			dst = utf8.AppendRune(dst, r)
			i += 6
			continue
		default:
			return dst, false
		}
		i += 2
	}
	return dst, true
}
