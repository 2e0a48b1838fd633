package rest

import (
	"bytes"
	"encoding"
	"fmt"
	"strconv"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// jsonReader reads one JSON document from a byte slice in a single pass,
// with the rules of DecodeJSONBytes and encoding/json's decoding into Go
// types: strict JSON syntax, at most MaxJSONDepth levels, no duplicate keys
// (compared with Unicode case folding, as scanJSON does), object keys
// matched to field names exactly or case-insensitively as encoding/json
// matches them, and \u escapes unpaired surrogates decoded to U+FFFD as
// encoding/json decodes them. It is a tool for hand-written decoders of hot
// request bodies: the decoder walks its own types and asks the reader for
// the next token of the kind it expects; a token of another kind is a
// wrong_type problem, and any problem stops the reader.
//
// The first problem is kept as a 400 condition naming the field path and
// the rule, with the codes of DecodeJSONBytes. Strings are substrings of
// one copy of the body, so a string without escapes costs no allocation.
type jsonReader struct {
	b    []byte
	s    string // b as a string: unescaped strings are substrings of it
	i    int
	err  *transportCondition
	path []pathSeg
	keys [][]byte // keys of the open objects being skipped, for duplicates
	// items counts the array elements read so far, for MaxJSONElements.
	items int
}

// pathSeg is one step of the reader's position: an object key (idx -1) or
// an array index.
type pathSeg struct {
	key string
	idx int
}

func newJSONReader(b []byte) *jsonReader {
	return &jsonReader{b: b, s: string(b), path: make([]pathSeg, 0, 8)}
}

// fail keeps the first problem, at the reader's path, and stops the reader.
func (r *jsonReader) fail(code, format string, args ...any) {
	if r.err != nil {
		return
	}
	p := r.pathString()
	msg := fmt.Sprintf(format, args...)
	r.err = badJSON(code, p, msg)
	r.i = len(r.b)
}

func (r *jsonReader) pathString() string {
	p := ""
	for _, g := range r.path {
		if g.idx < 0 {
			p = ssra.JoinPath(p, g.key)
		} else {
			p = ssra.Index(p, g.idx)
		}
	}
	return p
}

func (r *jsonReader) pushKey(k string) { r.path = append(r.path, pathSeg{key: k, idx: -1}) }
func (r *jsonReader) pushIndex(i int)  { r.path = append(r.path, pathSeg{idx: i}) }

// element admits element n of an array, refusing an array longer than
// MaxJSONItems and a body with more than MaxJSONElements elements in all,
// so that no body, however its bytes are spent, makes more values (and
// problems) than these bounds.
func (r *jsonReader) element(n int) bool {
	r.items++
	switch {
	case n >= MaxJSONItems:
		r.fail("json.too_many_items", "an array may have at most %d elements", MaxJSONItems)
	case r.items > MaxJSONElements:
		r.fail("json.too_many_elements", "the body may have at most %d array elements in all", MaxJSONElements)
	}
	return r.err == nil
}
func (r *jsonReader) pop() { r.path = r.path[:len(r.path)-1] }

// syntax reports malformed JSON at the reader's offset.
func (r *jsonReader) syntax(what string) {
	if r.i >= len(r.b) {
		r.fail("json.truncated", "the JSON body ends too early")
		return
	}
	r.fail("json.syntax", "malformed JSON at byte %d: invalid character %q %s", r.i+1, r.b[r.i], what)
}

func (r *jsonReader) ws() { r.i = skipSpace(r.b, r.i) }

// peek skips white space and returns the next byte, or 0 at the end (a
// NUL byte, never valid there, reads the same; atEnd tells them apart).
func (r *jsonReader) peek() byte {
	r.ws()
	if r.i < len(r.b) {
		return r.b[r.i]
	}
	return 0
}

// atEnd skips white space and reports whether the body ends there.
func (r *jsonReader) atEnd() bool {
	r.ws()
	return r.i >= len(r.b)
}

// end checks that only white space follows the document.
func (r *jsonReader) end() {
	if r.err == nil && !r.atEnd() {
		r.path = r.path[:0]
		r.fail("json.trailing_data", "unexpected data after the JSON value")
	}
}

// kindAt names the JSON type of the value starting with c, for problems.
func kindAt(c byte) string {
	switch c {
	case '{':
		return "object"
	case '[':
		return "array"
	case '"':
		return "string"
	case 't', 'f':
		return "bool"
	case 'n':
		return "null"
	}
	return "number"
}

// wrongType reports a value of another JSON type than want ("a string"),
// after checking that the value is well-formed JSON, since malformed JSON
// is reported as such wherever it is.
func (r *jsonReader) wrongType(want string, depth int) {
	c := r.peek()
	r.skip(depth)
	if r.err == nil {
		p := r.pathString()
		if p == "" {
			p = "(body)"
		}
		r.fail("json.wrong_type", "%s must be %s, not %s", p, want, kindAt(c))
	}
}

// null consumes a null literal if one is next.
func (r *jsonReader) null() bool {
	if r.peek() == 'n' {
		r.literal("null")
		return r.err == nil
	}
	return false
}

func (r *jsonReader) literal(lit string) {
	if len(r.b)-r.i >= len(lit) && string(r.b[r.i:r.i+len(lit)]) == lit {
		r.i += len(lit)
		return
	}
	for k := 0; k < len(lit); k++ {
		if r.i >= len(r.b) || r.b[r.i] != lit[k] {
			r.syntax("in literal " + lit)
			return
		}
		r.i++
	}
}

// more reads what follows '{' or '[' (first) or a member or element: it
// reports whether another member or element follows.
func (r *jsonReader) more(first bool, end byte) bool {
	if r.err != nil {
		return false
	}
	c := r.peek()
	if c == end {
		r.i++
		return false
	}
	if first {
		return true
	}
	if c == ',' {
		r.i++
		return true
	}
	r.syntax("after a value")
	return false
}

// key reads an object key, unescaped, and the colon after it.
func (r *jsonReader) key() []byte {
	if r.peek() != '"' {
		r.syntax("looking for the beginning of an object key")
		return nil
	}
	start, stop, esc := r.scanString()
	if r.err != nil {
		return nil
	}
	k := r.b[start:stop]
	if esc {
		k = unescape(k)
	}
	if r.peek() != ':' {
		r.syntax("after an object key")
		return nil
	}
	r.i++
	return k
}

// scanString reads a string whose opening quote is next and returns the
// bounds of its contents and whether it has escapes. The body is valid
// UTF-8 (DecodeJSONBytes's rule, checked first), so only control
// characters and escapes need checking.
func (r *jsonReader) scanString() (start, stop int, escaped bool) {
	r.i++ // "
	start = r.i
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			stop = r.i
			r.i++
			return start, stop, escaped
		case c == '\\':
			escaped = true
			r.i++
			if r.i >= len(r.b) {
				break
			}
			switch r.b[r.i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				r.i++
			case 'u':
				r.i++
				for k := 0; k < 4; k++ {
					if r.i >= len(r.b) || !isHex(r.b[r.i]) {
						r.syntax("in \\u hexadecimal character escape")
						return 0, 0, false
					}
					r.i++
				}
			default:
				r.syntax("in string escape code")
				return 0, 0, false
			}
		case c < 0x20:
			r.syntax("in string literal")
			return 0, 0, false
		default:
			r.i++
		}
	}
	r.syntax("")
	return 0, 0, false
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// scanNumber reads a number as JSON writes it and returns its text.
func (r *jsonReader) scanNumber() []byte {
	start := r.i
	if r.i < len(r.b) && r.b[r.i] == '-' {
		r.i++
	}
	switch {
	case r.i < len(r.b) && r.b[r.i] == '0':
		r.i++
	case r.i < len(r.b) && '1' <= r.b[r.i] && r.b[r.i] <= '9':
		r.digits()
	default:
		r.syntax("in numeric literal")
		return nil
	}
	if r.i < len(r.b) && r.b[r.i] == '.' {
		r.i++
		if r.digits() == 0 {
			r.syntax("after decimal point in numeric literal")
			return nil
		}
	}
	if r.i < len(r.b) && (r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		r.i++
		if r.i < len(r.b) && (r.b[r.i] == '+' || r.b[r.i] == '-') {
			r.i++
		}
		if r.digits() == 0 {
			r.syntax("in exponent of numeric literal")
			return nil
		}
	}
	return r.b[start:r.i]
}

func (r *jsonReader) digits() int {
	n := 0
	for r.i < len(r.b) && '0' <= r.b[r.i] && r.b[r.i] <= '9' {
		r.i++
		n++
	}
	return n
}

// open consumes the '{' or '[' of a value at depth (the number of arrays
// and objects around it), refusing nesting beyond MaxJSONDepth.
func (r *jsonReader) open(depth int) bool {
	if depth >= MaxJSONDepth {
		r.fail("json.too_deep", "the body nests deeper than %d levels", MaxJSONDepth)
		return false
	}
	r.i++
	return true
}

// skip reads any value, depth being the number of arrays and objects
// around it, and returns its text.
func (r *jsonReader) skip(depth int) []byte {
	c := r.peek()
	start := r.i
	switch {
	case c == '{' || c == '[':
		if !r.open(depth) {
			return nil
		}
		if c == '{' {
			r.skipObject(depth + 1)
		} else {
			for n := 0; r.more(n == 0, ']') && r.element(n); n++ {
				r.pushIndex(n)
				r.skip(depth + 1)
				r.pop()
			}
		}
	case c == '"':
		r.scanString()
	case c == 't':
		r.literal("true")
	case c == 'f':
		r.literal("false")
	case c == 'n':
		r.literal("null")
	case c == '-' || '0' <= c && c <= '9':
		r.scanNumber()
	default:
		r.syntax("looking for beginning of value")
	}
	if r.err != nil {
		return nil
	}
	return r.b[start:r.i]
}

// skipObject reads the members of an object whose '{' is read, refusing
// keys equal under case folding.
func (r *jsonReader) skipObject(depth int) {
	mark := len(r.keys)
	defer func() { r.keys = r.keys[:mark] }()
	for first := true; r.more(first, '}'); first = false {
		k := r.key()
		if r.err != nil {
			return
		}
		r.pushKey(string(k))
		for _, seen := range r.keys[mark:] {
			if bytes.EqualFold(seen, k) {
				r.fail("json.duplicate_key", "key %q appears more than once", k)
				return
			}
		}
		r.keys = append(r.keys, k)
		r.skip(depth)
		r.pop()
	}
}

// field is one member of a Go struct T that a hand-written decoder reads:
// its JSON name (lower-case ASCII) and how to read its value, at depth
// (the number of arrays and objects around the value), into a *T.
type field[T any] struct {
	name string
	read func(r *jsonReader, v *T, depth int)
}

// readObject reads an object whose members are fields of v, depth being
// the number of arrays and objects around it; the reader's path names each
// member while it is read. Unknown and repeated fields are refused. A null
// leaves v as it is (encoding/json's rule) and v is not touched then, so it
// may be nil. It reports whether an object was read.
func readObject[T any](r *jsonReader, v *T, depth int, fields []field[T]) bool {
	switch r.peek() {
	case '{':
	case 'n':
		r.null()
		return false
	default:
		r.wrongType("an object", depth)
		return false
	}
	if !r.open(depth) {
		return false
	}
	var seen uint64
	for first := true; r.more(first, '}'); first = false {
		k := r.key()
		if r.err != nil {
			return false
		}
		f := fieldIndex(k, fields)
		if f < 0 {
			r.pushKey(string(k))
			r.fail("json.unknown_field", "unknown field %q", k)
			return false
		}
		r.pushKey(fields[f].name)
		if seen&(1<<f) != 0 {
			r.fail("json.duplicate_key", "key %q appears more than once", k)
			return false
		}
		seen |= 1 << f
		fields[f].read(r, v, depth+1)
		r.pop()
	}
	return r.err == nil
}

// readPointer reads an object into *p, allocating it, or null (p stays nil).
func readPointer[T any](r *jsonReader, p **T, depth int, fields []field[T]) {
	if r.peek() == '{' {
		*p = new(T)
	}
	readObject(r, *p, depth, fields)
}

// readSlice reads an array into *s with elem for each element; the
// reader's path names the element meanwhile. As with encoding/json, null
// leaves *s nil and [] makes it empty but not nil.
func readSlice[T any](r *jsonReader, s *[]T, depth int, elem func(r *jsonReader, v *T, depth int)) {
	switch r.peek() {
	case '[':
	case 'n':
		r.null()
		return
	default:
		r.wrongType("an array", depth)
		return
	}
	if !r.open(depth) {
		return
	}
	if *s == nil {
		*s = []T{}
	}
	for n := 0; r.more(n == 0, ']') && r.element(n); n++ {
		r.pushIndex(n)
		var zero T
		*s = append(*s, zero)
		elem(r, &(*s)[n], depth+1)
		r.pop()
	}
}

// str reads a string into *dst; null leaves it as it is.
func (r *jsonReader) str(dst *string, depth int) {
	switch r.peek() {
	case '"':
		start, stop, esc := r.scanString()
		if r.err != nil {
			return
		}
		if esc {
			*dst = string(unescape(r.b[start:stop]))
		} else {
			*dst = r.s[start:stop]
		}
	case 'n':
		r.null()
	default:
		r.wrongType("a string", depth)
	}
}

// text reads a string into v with its UnmarshalText (an enum name or a
// date); null leaves it as it is.
func (r *jsonReader) text(v encoding.TextUnmarshaler, depth int) {
	switch r.peek() {
	case '"':
		start, stop, esc := r.scanString()
		if r.err != nil {
			return
		}
		t := r.b[start:stop]
		if esc {
			t = unescape(t)
		}
		if err := v.UnmarshalText(t); err != nil {
			r.fail("json.invalid_value", "%s", ssra.Reason(err))
		}
	case 'n':
		r.null()
	default:
		r.wrongType("a string", depth)
	}
}

// date reads a date as ssra.Date's UnmarshalText does. The form
// YYYY-MM-DD in digits is built with ssra.NewDate, which checks what
// ParseDate checks once the digits are read; any other text, and a date
// that does not exist, goes to UnmarshalText itself.
func (r *jsonReader) date(d *ssra.Date, depth int) {
	if r.peek() == '"' {
		save := r.i
		start, stop, esc := r.scanString()
		if r.err != nil {
			return
		}
		if t := r.b[start:stop]; !esc && len(t) == 10 && t[4] == '-' && t[7] == '-' {
			y, ok1 := digitsAt(t, 0, 4)
			m, ok2 := digitsAt(t, 5, 2)
			day, ok3 := digitsAt(t, 8, 2)
			if ok1 && ok2 && ok3 {
				if v, err := ssra.NewDate(y, time.Month(m), day); err == nil {
					*d = v
					return
				}
			}
		}
		r.i = save
	}
	r.text(d, depth)
}

// digitsAt reads the n decimal digits of t at off.
func digitsAt(t []byte, off, n int) (int, bool) {
	v := 0
	for _, c := range t[off : off+n] {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int(c-'0')
	}
	return v, true
}

// integer reads an integer into *dst as encoding/json does: a number
// without fraction or exponent that fits in an int; null leaves it as it is.
func (r *jsonReader) integer(dst *int, depth int) {
	c := r.peek()
	switch {
	case c == '-' || '0' <= c && c <= '9':
	case c == 'n':
		r.null()
		return
	default:
		r.wrongType("a number", depth)
		return
	}
	num := r.scanNumber()
	if r.err != nil {
		return
	}
	neg := num[0] == '-'
	digits := num
	if neg {
		digits = num[1:]
	}
	// At most 19 digits fit in a uint64 without overflow; more do not fit
	// in an int anyway.
	var u uint64
	ok := len(digits) <= 19
	for _, d := range digits {
		if d < '0' || d > '9' {
			ok = false
			break
		}
		u = u*10 + uint64(d-'0')
	}
	limit := uint64(1<<(strconv.IntSize-1) - 1)
	if neg {
		limit++
	}
	if !ok || u > limit {
		r.fail("json.wrong_type", "%s must be an integer that fits in %d bits, not number %s", r.pathString(), strconv.IntSize, num)
		return
	}
	if neg {
		*dst = int(-u)
	} else {
		*dst = int(u)
	}
}

// boolean reads true or false into *dst; null leaves it as it is.
func (r *jsonReader) boolean(dst *bool, depth int) {
	switch r.peek() {
	case 't':
		r.literal("true")
		*dst = r.err == nil
	case 'f':
		r.literal("false")
		*dst = false
	case 'n':
		r.null()
	default:
		r.wrongType("true or false", depth)
	}
}

// unmarshal reads any value and hands its text to v's UnmarshalJSON, as
// encoding/json does for a json.Unmarshaler.
func (r *jsonReader) unmarshal(v interface{ UnmarshalJSON([]byte) error }, depth int) {
	raw := r.skip(depth)
	if r.err != nil {
		return
	}
	if err := v.UnmarshalJSON(raw); err != nil {
		r.fail("json.invalid_value", "%s", ssra.Reason(err))
	}
}

// decimal reads a decimal as its UnmarshalJSON does (a number, or a string
// holding one, unescaped; null leaves it as it is). The common forms, up to
// 18 digits with an optional point, are built from their int64 coefficient
// and exponent, which is what decimal.NewFromString builds for them; the
// rest go to UnmarshalJSON itself.
func (r *jsonReader) decimal(d *decimal.Decimal, depth int) {
	c := r.peek()
	if c == '"' || c == '-' || '0' <= c && c <= '9' {
		save := r.i
		raw := r.skip(depth)
		if r.err != nil {
			return
		}
		if coef, exp, ok := plainDecimal(raw); ok {
			*d = decimal.New(coef, exp)
			return
		}
		r.i = save
	}
	r.unmarshal(d, depth)
}

// plainDecimal parses -?digits(.digits)?, quoted or not, with at most 18
// digits and an exponent within decimal.MaxDecodeExponent.
func plainDecimal(raw []byte) (coef int64, exp int32, ok bool) {
	if len(raw) > 0 && raw[0] == '"' {
		raw = raw[1 : len(raw)-1]
	}
	neg := len(raw) > 0 && raw[0] == '-'
	if neg {
		raw = raw[1:]
	}
	digits, point := 0, -1
	for i, c := range raw {
		switch {
		case '0' <= c && c <= '9':
			coef = coef*10 + int64(c-'0')
			digits++
		case c == '.' && point < 0 && i > 0 && i < len(raw)-1:
			point = i
		default:
			return 0, 0, false
		}
	}
	if digits == 0 || digits > 18 {
		return 0, 0, false
	}
	if point >= 0 {
		exp = -int32(len(raw) - point - 1)
	}
	if int(-exp) > decimal.MaxDecodeExponent {
		return 0, 0, false
	}
	if neg {
		coef = -coef
	}
	return coef, exp, true
}

// fieldIndex finds key among names as encoding/json finds a struct field:
// an exact match, else a match under its case folding.
func fieldIndex[T any](key []byte, fields []field[T]) int {
	for i := range fields {
		if string(key) == fields[i].name {
			return i
		}
	}
	for i := range fields {
		if foldEqual(key, fields[i].name) {
			return i
		}
	}
	return -1
}

// foldEqual reports whether key folds to the same name as the ASCII name
// under encoding/json's folding: ASCII letters upper-cased, other runes
// mapped to the smallest rune of their Unicode simple-fold orbit (so "ſ"
// folds like "s" and the Kelvin sign like "k").
func foldEqual(key []byte, name string) bool {
	j := 0
	for i := 0; i < len(key); j++ {
		var c rune
		if key[i] < utf8.RuneSelf {
			c = rune(upperASCII(key[i]))
			i++
		} else {
			r, n := utf8.DecodeRune(key[i:])
			c = foldRune(r)
			i += n
		}
		if j >= len(name) || c != rune(upperASCII(name[j])) {
			return false
		}
	}
	return j == len(name)
}

func upperASCII(c byte) byte {
	if 'a' <= c && c <= 'z' {
		return c - ('a' - 'A')
	}
	return c
}

// foldRune returns the smallest rune of r's simple-fold orbit.
func foldRune(r rune) rune {
	for {
		r2 := unicode.SimpleFold(r)
		if r2 <= r {
			return r2
		}
		r = r2
	}
}

// unescape decodes the escapes of a string's contents (already checked by
// scanString) as encoding/json does: an unpaired surrogate becomes U+FFFD.
func unescape(s []byte) []byte {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		c := s[i]
		if c != '\\' {
			out = append(out, c)
			i++
			continue
		}
		i++
		switch s[i] {
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			rr := hex4(s[i+1:])
			i += 5
			if utf16.IsSurrogate(rr) {
				if i+6 <= len(s) && s[i] == '\\' && s[i+1] == 'u' {
					if dec := utf16.DecodeRune(rr, hex4(s[i+2:])); dec != unicode.ReplacementChar {
						out = utf8.AppendRune(out, dec)
						i += 6
						continue
					}
				}
				rr = unicode.ReplacementChar
			}
			out = utf8.AppendRune(out, rr)
			continue
		default: // '"', '\\', '/'
			out = append(out, s[i])
		}
		i++
	}
	return out
}

func hex4(s []byte) rune {
	var r rune
	for _, c := range s[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		default:
			c -= 'A' - 10
		}
		r = r<<4 | rune(c)
	}
	return r
}
