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

// MaxJSONItems is the most elements any one array of a request body may
// have (the OpenAPI document's maxItems).
const MaxJSONItems = 1000

// MaxJSONElements is the most array elements a request body may have in
// all: with the body limit it bounds what one request makes the server
// decode, validate and answer.
const MaxJSONElements = 20000

// DecodeJSON reads the request body strictly into v: it must be one JSON
// value in valid UTF-8, at most MaxJSONDepth deep, with no array longer
// than MaxJSONItems nor more than MaxJSONElements elements, no duplicate keys,
// no unknown fields, no trailing data and the right types. A body over the
// limit is a 413 condition; every other failure is a 400 condition whose
// problems name the field where the decoder knows it. A member the route's
// OpenAPI schema requires and the body leaves out is refused as invalid
// (422, request.required) naming it (requireMembers). Handlers call it, then hand v to the domain,
// whose own validation gives 422.
func DecodeJSON(c echo.Context, v any) error {
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return tooLarge(mb.Limit)
		}
		return badRequest("the body cannot be read", nil)
	}
	if err := DecodeJSONBytes(body, v); err != nil {
		return err
	}
	return requireMembers(c, body)
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

func badJSON(code, field, msg string) *transportCondition {
	return badRequest(msg, ssra.Problems{{Code: code, Field: field, Message: msg}})
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
		return badRequest(se.Error(), ps)
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name, _ = strconv.Unquote(name)
		return badJSON("json.unknown_field", name, fmt.Sprintf("unknown field %q", name))
	}
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return tooLarge(mb.Limit)
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
// the decoder, which reports it with its offset. It is the hand decoders'
// jsonReader skipping one value, so that both apply the same rules.
func scanJSON(b []byte) error {
	r := jsonReader{b: b}
	r.skip(0)
	if r.err == nil {
		return nil
	}
	switch r.err.Problems[0].Code {
	case "json.syntax", "json.truncated":
		return nil
	}
	return r.err
}

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
