package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
)

// MaxJSONDepth is the deepest nesting of arrays and objects a request body
// may have.
const MaxJSONDepth = 32

// DecodeJSON reads the request body strictly into v: it must be one JSON
// value in valid UTF-8, at most MaxJSONDepth deep, with no duplicate keys,
// no unknown fields, no trailing data and the right types. A body over the
// limit is a 413 condition; every other failure is a 400 condition whose
// problems name the field where the decoder knows it. Handlers call it,
// then hand v to the domain, whose own validation gives 422.
func DecodeJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return TooLarge(mb.Limit)
		}
		return BadRequest("the body cannot be read", nil)
	}
	return DecodeJSONBytes(body, v)
}

// DecodeJSONBytes is DecodeJSON on a body already read.
func DecodeJSONBytes(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return badJSON("json.empty", "", "the body is empty; send a JSON object")
	}
	if !utf8.Valid(body) {
		return badJSON("json.invalid_utf8", "", "the body is not valid UTF-8")
	}
	if err := scanJSON(body); err != nil {
		return err
	}
	if bytes.Equal(bytes.TrimSpace(body), []byte("null")) {
		return badJSON("json.null", "", "the body is null; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonProblem(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return badJSON("json.trailing_data", "", "unexpected data after the JSON value")
	}
	return nil
}

func badJSON(code, field, msg string) *Condition {
	return BadRequest(msg, ssra.Problems{{Code: code, Field: field, Message: msg}})
}

// jsonProblem turns an encoding/json error into a 400 condition naming the
// field where it can.
func jsonProblem(err error) error {
	var (
		syn *json.SyntaxError
		typ *json.UnmarshalTypeError
		se  *ssra.Error
	)
	switch {
	case errors.As(err, &syn):
		return badJSON("json.syntax", "", fmt.Sprintf("malformed JSON at byte %d: %s", syn.Offset, syn.Error()))
	case errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF):
		return badJSON("json.truncated", "", "the JSON body ends too early")
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(body)"
		}
		return badJSON("json.wrong_type", field, fmt.Sprintf("%s must be %s, not %s", field, jsonTypeName(typ.Type.Kind().String()), typ.Value))
	case errors.As(err, &se):
		ps := se.Problems
		if len(ps) == 0 {
			ps = ssra.Problems{{Code: "json.invalid_value", Message: se.Error()}}
		}
		return BadRequest(se.Error(), ps)
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		return badJSON("json.unknown_field", name, fmt.Sprintf("unknown field %q", name))
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return TooLarge(mb.Limit)
	}
	if m, ok := decimalMessage(msg); ok {
		return badJSON("json.invalid_value", "", m)
	}
	return badJSON("json.invalid_value", "", strings.TrimPrefix(msg, "json: "))
}

// decimalMessage rewrites shopspring/decimal's decoding error ("error
// decoding string 'v': can't convert v to decimal[: reason]") as a sentence
// that says what a decimal must look like.
func decimalMessage(msg string) (string, bool) {
	rest, ok := strings.CutPrefix(msg, "error decoding string '")
	if !ok {
		return "", false
	}
	v, reason, ok := strings.Cut(rest, "': ")
	if !ok {
		return "", false
	}
	m := fmt.Sprintf("%s is not a decimal number", v)
	if _, why, found := strings.Cut(reason, " to decimal: "); found {
		m += " (" + why + ")"
	} else if !strings.HasSuffix(reason, " to decimal") {
		m += " (" + reason + ")"
	}
	return m + `; write decimals as JSON numbers or strings such as 0.25 or "0.25"`, true
}

func jsonTypeName(kind string) string {
	switch kind {
	case "int", "int8", "int16", "int32", "int64":
		return "a whole number"
	case "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number of 0 or more"
	case "string":
		return "a string"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "bool":
		return "true or false"
	}
	return "a number"
}

// scanJSON walks the body once to refuse duplicate keys and excessive
// nesting, which encoding/json accepts silently. Malformed JSON is left to
// the decoder, which reports it with its offset. It allocates only to build
// the path of a problem it reports.
func scanJSON(b []byte) error {
	s := scanner{b: b}
	s.value(0)
	return s.err
}

type scanner struct {
	b    []byte
	i    int
	err  error
	bad  bool  // malformed: stop and let encoding/json report it
	path []seg // where the scanner is, for problem paths
	keys [][]byte
}

// seg is one step of a path: an object key or an array index.
type seg struct {
	key []byte
	idx int
}

func (s *scanner) fail(code, msg string) {
	p := ""
	for _, g := range s.path {
		if g.key != nil {
			p = ssra.JoinPath(p, string(g.key))
		} else {
			p = ssra.Index(p, g.idx)
		}
	}
	s.err = badJSON(code, p, msg)
}

func (s *scanner) ws() { s.i = skipSpace(s.b, s.i) }

// skipSpace returns the offset of the first byte at or after i that is not
// JSON white space.
func skipSpace(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

func (s *scanner) value(depth int) {
	if s.err != nil || s.bad {
		return
	}
	s.ws()
	if s.i >= len(s.b) {
		s.bad = true
		return
	}
	switch s.b[s.i] {
	case '{', '[':
		if depth >= MaxJSONDepth {
			s.fail("json.too_deep", fmt.Sprintf("the body nests deeper than %d levels", MaxJSONDepth))
			return
		}
		if s.b[s.i] == '{' {
			s.object(depth + 1)
		} else {
			s.array(depth + 1)
		}
	case '"':
		s.str()
	default:
		for s.i < len(s.b) {
			switch s.b[s.i] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			s.i++
		}
	}
}

// str skips a string and returns its raw contents and whether it had escapes.
func (s *scanner) str() (raw []byte, escaped bool) {
	start := s.i + 1
	for s.i++; s.i < len(s.b); s.i++ {
		switch s.b[s.i] {
		case '\\':
			escaped = true
			s.i++
		case '"':
			raw = s.b[start:s.i]
			s.i++
			return raw, escaped
		}
	}
	s.bad = true
	return nil, false
}

// sep reads the separator after a member or element: it reports whether
// another one follows.
func (s *scanner) sep(end byte) bool {
	s.ws()
	if s.i >= len(s.b) {
		s.bad = true
		return false
	}
	switch s.b[s.i] {
	case ',':
		s.i++
		return true
	case end:
		s.i++
	default:
		s.bad = true
	}
	return false
}

func (s *scanner) object(depth int) {
	s.i++ // {
	mark := len(s.keys)
	defer func() { s.keys = s.keys[:mark] }()
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == '}' {
		s.i++
		return
	}
	for {
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != '"' {
			s.bad = true
			return
		}
		key, esc := s.str()
		if s.bad {
			return
		}
		if esc {
			var k string
			if json.Unmarshal(s.b[s.i-len(key)-2:s.i], &k) != nil {
				s.bad = true
				return
			}
			key = []byte(k)
		}
		s.path = append(s.path, seg{key: key})
		for _, k := range s.keys[mark:] {
			// encoding/json matches field names case-insensitively, so
			// "Weight" and "weight" would silently overwrite each other.
			if bytes.EqualFold(k, key) {
				s.fail("json.duplicate_key", fmt.Sprintf("key %q appears more than once", key))
				return
			}
		}
		s.keys = append(s.keys, key)
		s.ws()
		if s.i >= len(s.b) || s.b[s.i] != ':' {
			s.bad = true
			return
		}
		s.i++
		s.value(depth)
		s.path = s.path[:len(s.path)-1]
		if s.err != nil || s.bad || !s.sep('}') {
			return
		}
	}
}

func (s *scanner) array(depth int) {
	s.i++ // [
	s.ws()
	if s.i < len(s.b) && s.b[s.i] == ']' {
		s.i++
		return
	}
	for n := 0; ; n++ {
		s.path = append(s.path, seg{idx: n})
		s.value(depth)
		s.path = s.path[:len(s.path)-1]
		if s.err != nil || s.bad || !s.sep(']') {
			return
		}
	}
}
