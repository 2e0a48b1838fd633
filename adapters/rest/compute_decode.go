package rest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
)

// decodeBody is DecodeJSON for the compute endpoints, with one addition:
// where encoding/json cannot say where a value is wrong (a wrong type inside
// a list is reported as "factors.residual.probability", an unknown enum name
// or an impossible date without any path, an unknown field by its bare
// name), it finds the value in the body and names its full path, such as
// "factors[2].residual.probability". Only the error path pays for this.
func decodeBody(c echo.Context, v any) error {
	body, err := requestBody(c)
	if err != nil {
		return err
	}
	return decodeBytes(body, v)
}

// decodeRequest is decodeBody, then validateRequest on the envelope's tags:
// what every compute endpoint does with its body first.
func decodeRequest(c echo.Context, op string, v any) error {
	if err := decodeBody(c, v); err != nil {
		return err
	}
	return validateRequest(op, v)
}

// decodeComplete is decodeRequest for a body whose members inside domain
// values (which carry no validation tags) the document requires: after
// the envelope's tags, requireMembers checks the body against the route's
// schema.
func decodeComplete(c echo.Context, op string, v any) error {
	body, err := requestBody(c)
	if err != nil {
		return err
	}
	if err := decodeBytes(body, v); err != nil {
		return err
	}
	if err := validateRequest(op, v); err != nil {
		return err
	}
	return requireMembers(c, body)
}

// requestBody reads the whole body; a body over the limit is a 413
// condition.
func requestBody(c echo.Context) ([]byte, error) {
	body, err := readBody(c.Request())
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, tooLarge(mb.Limit)
		}
		return nil, badRequest("the body cannot be read", nil)
	}
	return body, nil
}

// decodeBytes is decodeBody on a body already read.
func decodeBytes(body []byte, v any) error {
	err := DecodeJSONBytes(body, v)
	if err == nil {
		return nil
	}
	return locateProblem(body, reflect.TypeOf(v), err)
}

// readBody reads the whole body, in one allocation when Content-Length
// gives its size (the body limit has already capped it).
func readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength <= 0 || r.ContentLength > 64<<20 {
		return io.ReadAll(r.Body)
	}
	var buf bytes.Buffer
	buf.Grow(int(r.ContentLength) + bytes.MinRead)
	_, err := buf.ReadFrom(r.Body)
	return buf.Bytes(), err
}

// locateProblem fills in the field path of a 400 condition with one problem
// that lacks it or has it without list indices.
func locateProblem(body []byte, typ reflect.Type, err error) error {
	var cond *transportCondition
	if !errors.As(err, &cond) || len(cond.Problems) != 1 || typ == nil || typ.Kind() != reflect.Pointer {
		return err
	}
	p := cond.Problems[0]
	switch p.Code {
	case "json.wrong_type", "json.invalid_value", "json.unknown_field":
	default:
		return err
	}
	// Decode again to get encoding/json's own error, with its offset.
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	raw := dec.Decode(reflect.New(typ.Elem()).Interface())
	if raw == nil {
		return err
	}
	toks := jsonTokens(body)
	field := ""
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(raw, &te):
		// The offset is relative to the document a custom decoder (such as
		// a calendar's) was given; trust it only when the names agree.
		field = toks.atOffset(te.Offset)
		if !samePathEnd(field, te.Field) {
			field = toks.uniqueSuffix(te.Field)
		}
	case p.Code == "json.unknown_field":
		field = toks.uniqueKey(p.Field)
	default:
		var se *ssra.Error
		if errors.As(raw, &se) {
			return err // the domain's own decoder named its paths
		}
		if q, ok := firstQuoted(raw.Error()); ok {
			field = toks.uniqueValue(q)
		} else if q, ok := singleQuoted(raw.Error()); ok {
			// shopspring/decimal: "error decoding string 'abc': …"
			field = toks.uniqueValue(q)
		}
	}
	if field == "" {
		return err
	}
	out := *cond
	if te != nil && te.Field != "" {
		// Name the value by its located path, not by Go's struct names.
		p.Message = strings.Replace(p.Message, te.Field, field, 1)
		out.Detail = strings.Replace(out.Detail, te.Field, field, 1)
	}
	p.Field = field
	out.Problems = ssra.Problems{p}
	return &out
}

// jsonToken is one value or key of a body: its path, the byte offset just
// past it, and for strings and keys, the text.
type jsonToken struct {
	path   string
	end    int64
	key    bool
	isStr  bool
	text   string
	parent string
}

type jsonTokenList []jsonToken

// jsonTokens lists the scalar values, keys and container openings of a
// body that scanJSON and the decoder already accepted as syntax.
func jsonTokens(body []byte) jsonTokenList {
	type frame struct {
		path   string
		object bool
		index  int
		key    string
		inKey  bool
	}
	var out jsonTokenList
	var stack []frame
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	for {
		tok, err := dec.Token()
		if err != nil {
			return out
		}
		end := dec.InputOffset()
		// The path of the value this token is (or opens).
		path := ""
		if n := len(stack); n > 0 {
			f := &stack[n-1]
			if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
				stack = stack[:n-1]
				if m := len(stack); m > 0 && !stack[m-1].object {
					stack[m-1].index++
				}
				if m := len(stack); m > 0 && stack[m-1].object {
					stack[m-1].inKey = true
				}
				continue
			}
			if f.object && f.inKey {
				s, _ := tok.(string)
				out = append(out, jsonToken{path: ssra.JoinPath(f.path, s), end: end, key: true, isStr: true, text: s, parent: f.path})
				f.key, f.inKey = s, false
				continue
			}
			if f.object {
				path = ssra.JoinPath(f.path, f.key)
			} else {
				path = ssra.Index(f.path, f.index)
			}
		}
		if d, ok := tok.(json.Delim); ok {
			out = append(out, jsonToken{path: path, end: end})
			stack = append(stack, frame{path: path, object: d == '{', inKey: d == '{'})
			continue
		}
		s, isStr := tok.(string)
		if !isStr {
			s = fmt.Sprint(tok)
			if tok == nil {
				s = "null"
			}
		}
		out = append(out, jsonToken{path: path, end: end, isStr: isStr, text: s})
		if n := len(stack); n > 0 {
			if stack[n-1].object {
				stack[n-1].inKey = true
			} else {
				stack[n-1].index++
			}
		}
	}
}

// atOffset returns the path of the value that ends at off (a scalar) or
// opens just before it (an object or array).
func (ts jsonTokenList) atOffset(off int64) string {
	for _, t := range ts {
		if !t.key && t.end == off {
			return t.path
		}
	}
	return ""
}

// bareSegments drops list indices: "a[2].b" gives ["a" "b"].
func bareSegments(path string) []string {
	var out []string
	for _, seg := range strings.Split(path, ".") {
		if i := strings.IndexByte(seg, '['); i >= 0 {
			seg = seg[:i]
		}
		if seg != "" {
			out = append(out, seg)
		}
	}
	return out
}

// samePathEnd reports whether a located path and encoding/json's dotted
// field name (which may start with embedded struct names) end alike.
func samePathEnd(located, field string) bool {
	a, b := bareSegments(located), bareSegments(field)
	return len(a) > 0 && len(b) > 0 && a[len(a)-1] == b[len(b)-1]
}

// uniqueSuffix returns the path of the only value whose path, without list
// indices, ends with field's last segments.
func (ts jsonTokenList) uniqueSuffix(field string) string {
	want := bareSegments(field)
	if len(want) == 0 {
		return ""
	}
	found := ""
	for _, t := range ts {
		if t.key {
			continue
		}
		got := bareSegments(t.path)
		if len(got) < len(want) || !slicesEqual(got[len(got)-len(want):], want) {
			continue
		}
		if found != "" && found != t.path {
			return ""
		}
		found = t.path
	}
	return found
}

func slicesEqual(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// uniqueKey returns the path of the only key named name, if exactly one.
func (ts jsonTokenList) uniqueKey(name string) string {
	found := ""
	for _, t := range ts {
		if t.key && t.text == name {
			if found != "" {
				return ""
			}
			found = t.path
		}
	}
	return found
}

// uniqueValue returns the path of the only scalar value whose text is s
// (a string's contents, a number or literal as written), if exactly one.
func (ts jsonTokenList) uniqueValue(s string) string {
	found := ""
	for _, t := range ts {
		if !t.key && t.text == s && (t.isStr || t.end > 0) {
			if found != "" {
				return ""
			}
			found = t.path
		}
	}
	return found
}

// singleQuoted returns the text between the first pair of single quotes.
func singleQuoted(msg string) (string, bool) {
	_, rest, ok := strings.Cut(msg, "'")
	if !ok {
		return "", false
	}
	q, _, ok := strings.Cut(rest, "'")
	return q, ok
}

// firstQuoted returns the first Go-quoted string in msg.
func firstQuoted(msg string) (string, bool) {
	i := strings.IndexByte(msg, '"')
	if i < 0 {
		return "", false
	}
	for j := i + 1; j < len(msg); j++ {
		switch msg[j] {
		case '\\':
			j++
		case '"':
			s, err := strconv.Unquote(msg[i : j+1])
			return s, err == nil
		}
	}
	return "", false
}

// decodeRaw is decodeBody on a member of a body already read (an inline
// profile, scheme or policy); paths are relative to the member.
func decodeRaw(raw []byte, v any) error { return decodeBytes(raw, v) }
