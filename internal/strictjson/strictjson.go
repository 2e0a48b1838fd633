// Package strictjson is the one strict JSON decoder of the module: every
// request body and every file a domain package loads (profiles, schemes,
// plans, assessments) is read by Decode, on github.com/go-json-experiment/json
// (the module form of encoding/json/v2; not GOEXPERIMENT, which a library
// cannot impose on its importers).
//
// Strict means: one JSON value in valid UTF-8 (escaped lone surrogates
// included), no duplicate member names, no trailing data, member names
// matched exactly (case-sensitive, no Unicode folding: "REGIME", "ſurvey" and
// a Kelvin-sign key name nothing), no unknown members, and limits on size,
// nesting depth and array lengths kept by a cheap pre-pass before any value
// is built. Every failure is an *ssra.Error of KindInvalid whose problems use
// one vocabulary of codes (the Code* constants) and name the field in the
// library's path form ("factors[3].weight"), converted from the decoder's
// JSON Pointer.
package strictjson

import (
	"bytes"
	"encoding"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/ssra-go/ssra"
)

// The problem codes of the decoder: the REST adapter's wire codes, which its
// OpenAPI document and clients rely on.
const (
	CodeEmpty           = "json.empty"             // no value, only white space
	CodeNull            = "json.null"              // the document is null
	CodeInvalidUTF8     = "json.invalid_utf8"      // invalid UTF-8 bytes
	CodeSyntax          = "json.syntax"            // not JSON
	CodeTruncated       = "json.truncated"         // the JSON ends too early
	CodeTrailingData    = "json.trailing_data"     // more after the value
	CodeDuplicateKey    = "json.duplicate_key"     // a member name twice in one object
	CodeUnknownField    = "json.unknown_field"     // a member the type does not have
	CodeWrongType       = "json.wrong_type"        // a value of another JSON type
	CodeInvalidValue    = "json.invalid_value"     // a value of the right type that does not parse
	CodeTooDeep         = "json.too_deep"          // nesting beyond Limits.Depth
	CodeTooManyItems    = "json.too_many_items"    // one array beyond Limits.Items
	CodeTooManyElements = "json.too_many_elements" // all arrays beyond Limits.Elements
	CodeTooLarge        = "json.too_large"         // more bytes than Limits.Bytes
)

// Limits bound what one document may make the decoder do. A zero field is
// no limit, except Depth, where zero means DefaultLimits.Depth.
type Limits struct {
	// Bytes is the most bytes the document may have.
	Bytes int
	// Depth is the deepest nesting of arrays and objects.
	Depth int
	// Items is the most elements any one array may have.
	Items int
	// Elements is the most array elements the document may have in all.
	Elements int
}

// DefaultLimits are the limits of Decode: files the domain loads are
// written by people, never deeper than a few levels nor larger than a few
// hundred kilobytes.
var DefaultLimits = Limits{Bytes: 8 << 20, Depth: 32}

// options are the decoder's: v2's defaults already refuse duplicate names,
// invalid UTF-8 and trailing data and match names case-sensitively; unknown
// members are refused too.
var options = json.JoinOptions(
	json.RejectUnknownMembers(true),
	json.MatchCaseInsensitiveNames(false),
	jsontext.AllowDuplicateNames(false),
	jsontext.AllowInvalidUTF8(false),
)

// Decode decodes data into v strictly within DefaultLimits. op names the
// operation in the error, which is an *ssra.Error of KindInvalid with one
// problem (the first fault found), or the problems a type's own decoder
// (UnmarshalJSON) returned, under the value's path.
func Decode(data []byte, v any, op string) error {
	return DecodeLimited(data, v, op, DefaultLimits)
}

// DecodeLimited is Decode within lim.
func DecodeLimited(data []byte, v any, op string, lim Limits) error {
	if p, ok := check(data, lim); !ok {
		return fail(op, ssra.Problems{p})
	}
	if err := json.Unmarshal(data, v, options); err != nil {
		return fail(op, problemsOf(data, err))
	}
	return nil
}

// ReadAll reads r to its end, at most lim.Bytes bytes (when set), for the
// callers that are handed a stream; more is a CodeTooLarge problem.
func ReadAll(r io.Reader, op string, lim Limits) ([]byte, error) {
	if lim.Bytes <= 0 {
		b, err := io.ReadAll(r)
		if err != nil {
			return nil, &ssra.Error{Kind: ssra.KindInvalid, Op: op, Message: "cannot read the document", Err: err}
		}
		return b, nil
	}
	b, err := io.ReadAll(io.LimitReader(r, int64(lim.Bytes)+1))
	if err != nil {
		return nil, &ssra.Error{Kind: ssra.KindInvalid, Op: op, Message: "cannot read the document", Err: err}
	}
	if len(b) > lim.Bytes {
		return nil, fail(op, ssra.Problems{tooLarge(lim.Bytes)})
	}
	return b, nil
}

func fail(op string, ps ssra.Problems) error {
	return &ssra.Error{Kind: ssra.KindInvalid, Op: op, Message: ps[0].Message, Problems: ps}
}

func problem(code, field, format string, args ...any) ssra.Problem {
	return ssra.Problem{Code: code, Field: field, Message: fmt.Sprintf(format, args...), Severity: ssra.SeverityError}
}

func tooLarge(n int) ssra.Problem {
	return problem(CodeTooLarge, "", "the document is larger than %d bytes", n)
}

// check is the pre-pass: size, UTF-8, emptiness, a null document, and the
// nesting and array limits, counted by one scan of the bytes that tracks
// only strings and brackets. Malformed JSON that stays within the limits is
// left to the decoder, which reports it with its position.
func check(data []byte, lim Limits) (ssra.Problem, bool) {
	if lim.Bytes > 0 && len(data) > lim.Bytes {
		return tooLarge(lim.Bytes), false
	}
	if !utf8.Valid(data) {
		return problem(CodeInvalidUTF8, "", "the JSON text is not valid UTF-8"), false
	}
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return problem(CodeEmpty, "", "the JSON text is empty; send a JSON object"), false
	}
	if string(trimmed) == "null" {
		return problem(CodeNull, "", "the JSON text is null; send a JSON object"), false
	}
	depth := lim.Depth
	if depth <= 0 {
		depth = DefaultLimits.Depth
	}
	// counts[d] is the number of elements seen so far in the array open at
	// depth d+1, or -1 for an object; an array's element is counted at its
	// first byte and at each comma.
	counts := make([]int, 0, 8)
	elements := 0
	inString, fresh := false, false
	for i := 0; i < len(data); i++ {
		c := data[i]
		if inString {
			switch c {
			case '\\':
				i++
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		}
		if fresh && c != ']' {
			// The first element of the array just opened.
			if p, ok := element(data, i, counts, &elements, lim); !ok {
				return p, false
			}
		}
		fresh = false
		switch c {
		case '"':
			inString = true
		case '[', '{':
			if len(counts) >= depth {
				return problem(CodeTooDeep, pathAt(data, i), "the JSON nests deeper than %d levels", depth), false
			}
			if c == '[' {
				counts = append(counts, 0)
				fresh = true
			} else {
				counts = append(counts, -1)
			}
		case ']', '}':
			if len(counts) == 0 {
				return ssra.Problem{}, true // malformed; the decoder says where
			}
			counts = counts[:len(counts)-1]
		case ',':
			if n := len(counts); n > 0 && counts[n-1] >= 0 {
				if p, ok := element(data, i, counts, &elements, lim); !ok {
					return p, false
				}
			}
		}
	}
	return ssra.Problem{}, true
}

// element counts one more element of the innermost array.
func element(data []byte, at int, counts []int, elements *int, lim Limits) (ssra.Problem, bool) {
	n := len(counts) - 1
	counts[n]++
	*elements++
	switch {
	case lim.Items > 0 && counts[n] > lim.Items:
		return problem(CodeTooManyItems, arrayPathAt(data, at), "an array may have at most %d elements", lim.Items), false
	case lim.Elements > 0 && *elements > lim.Elements:
		return problem(CodeTooManyElements, "", "the JSON may have at most %d array elements in all", lim.Elements), false
	}
	return ssra.Problem{}, true
}

// pathAt returns the path of the value that starts at offset off, found by
// reading the tokens before it; "" when the text before it is malformed.
// Only the error path pays for it.
func pathAt(data []byte, off int) string {
	dec := readTo(data, off)
	// The pointer names the last value read; the value at off is the next
	// one of the same container.
	ptr := dec.StackPointer()
	kind, n := dec.StackIndex(dec.StackDepth())
	if kind == '[' {
		// StackPointer names the array when it is empty so far, else its
		// last element; the value at off is element n.
		parent := ptr
		if i := strings.LastIndexByte(string(ptr), '/'); n > 0 && i >= 0 {
			parent = ptr[:i]
		}
		return Path(parent + jsontext.Pointer("/"+strconv.Itoa(int(n))))
	}
	return Path(ptr)
}

// arrayPathAt returns the path of the array whose element (or comma) is at
// off.
func arrayPathAt(data []byte, off int) string {
	dec := readTo(data, off)
	ptr := dec.StackPointer()
	if kind, n := dec.StackIndex(dec.StackDepth()); kind == '[' && n > 0 {
		if i := strings.LastIndexByte(string(ptr), '/'); i >= 0 {
			ptr = ptr[:i]
		}
	}
	return Path(ptr)
}

// readTo returns a decoder that has read the tokens of data before off.
func readTo(data []byte, off int) *jsontext.Decoder {
	dec := jsontext.NewDecoder(bytes.NewReader(data[:off]), jsontext.AllowDuplicateNames(true))
	for {
		if _, err := dec.ReadToken(); err != nil {
			return dec
		}
	}
}

// Path converts a JSON Pointer ("/factors/3/weight") to the library's field
// path ("factors[3].weight"): a token of decimal digits is an index.
func Path(p jsontext.Pointer) string {
	path := ""
	for tok := range p.Tokens() {
		if isIndex(tok) {
			path += "[" + tok + "]"
			continue
		}
		path = ssra.JoinPath(path, tok)
	}
	return path
}

func isIndex(s string) bool {
	if s == "" || len(s) > 1 && s[0] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// problemsOf converts an error of json.Unmarshal into its problems: one,
// or those a type's own decoder gave.
func problemsOf(data []byte, err error) ssra.Problems {
	var sem *json.SemanticError
	if errors.As(err, &sem) {
		// The decoder stops at the first value it cannot use; malformed
		// JSON further on is the graver fault and is reported first, as a
		// sender fixes syntax before meaning.
		dec := jsontext.NewDecoder(bytes.NewReader(data))
		if _, serr := dec.ReadValue(); serr != nil {
			return ssra.Problems{problemOf(data, serr)}
		}
	}
	var se *ssra.Error
	if errors.As(err, &sem) && errors.As(err, &se) && len(se.Problems) > 0 {
		// A type's own decoder (a scheme inside a body) named its
		// problems relative to its value.
		return se.Problems.Prefix(Path(sem.JSONPointer))
	}
	return ssra.Problems{problemOf(data, err)}
}

// problemOf converts an error of json.Unmarshal into one problem.
func problemOf(data []byte, err error) ssra.Problem {
	var (
		syn *jsontext.SyntacticError
		sem *json.SemanticError
	)
	switch {
	case errors.As(err, &syn):
		field := Path(syn.JSONPointer)
		switch {
		case errors.Is(err, jsontext.ErrDuplicateName):
			return problem(CodeDuplicateKey, field, "member %q appears twice in one object", lastToken(syn.JSONPointer))
		case errors.Is(err, io.ErrUnexpectedEOF):
			return problem(CodeTruncated, field, "the JSON text ends too early")
		case trailing(data):
			return problem(CodeTrailingData, "", "unexpected data after the JSON value")
		}
		return problem(CodeSyntax, field, "malformed JSON at byte %d: %v", syn.ByteOffset+1, syn.Err)
	case errors.As(err, &sem):
		field := Path(sem.JSONPointer)
		switch {
		case errors.Is(err, json.ErrUnknownName):
			return problem(CodeUnknownField, field, "unknown member %q", lastToken(sem.JSONPointer))
		case sem.Err == nil || isNumberError(sem.Err) || textWanted(sem):
			return problem(CodeWrongType, field, "%s must be %s, not %s", orBody(field), typeName(sem), kindName(sem.JSONKind))
		}
		return problem(CodeInvalidValue, field, "%s: %s", orBody(field), reason(sem.Err))
	}
	return problem(CodeInvalidValue, "", "%s", ssra.Reason(err))
}

// trailing reports whether data holds one well-formed value followed by
// more than white space.
func trailing(data []byte) bool {
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	if _, err := dec.ReadValue(); err != nil {
		return false
	}
	return len(bytes.TrimSpace(data[dec.InputOffset():])) > 0
}

// isNumberError reports an error of parsing a JSON number into a Go
// integer (a fraction, an exponent, out of range): the value is not of the
// type the member needs.
func isNumberError(err error) bool {
	var ne *strconv.NumError
	return errors.As(err, &ne) || errors.Is(err, strconv.ErrRange) || errors.Is(err, strconv.ErrSyntax)
}

// textWanted reports a value other than a string given to a type that
// decodes itself from text only (the domain's closed sets, dates); a type
// with its own JSON decoder (a decimal) says itself what it takes.
func textWanted(sem *json.SemanticError) bool {
	if sem.GoType == nil || sem.JSONKind == '"' || sem.JSONKind == 0 {
		return false
	}
	pt := reflect.PointerTo(sem.GoType)
	return pt.Implements(textUnmarshaler) && !pt.Implements(jsonUnmarshaler)
}

var (
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
)

// reason is the message of a type's own decoding error, without the
// package prefixes that mean nothing to a sender.
func reason(err error) string {
	msg := ssra.Reason(err)
	if v, why, ok := decimalReason(msg); ok {
		return v + " is not a decimal number" + why + `; write decimals as JSON numbers or strings such as 0.25 or "0.25"`
	}
	return msg
}

// decimalReason recognises shopspring/decimal's decoding error ("error
// decoding string 'v': can't convert v to decimal[: reason]").
func decimalReason(msg string) (v, why string, ok bool) {
	rest, ok := strings.CutPrefix(msg, "error decoding string '")
	if !ok {
		if r, ok2 := strings.CutPrefix(msg, "error decoding '"); ok2 {
			rest, ok = r, true
		} else {
			return "", "", false
		}
	}
	v, reason, ok := strings.Cut(rest, "': ")
	if !ok {
		return "", "", false
	}
	if _, w, found := strings.Cut(reason, " to decimal: "); found {
		why = " (" + w + ")"
	} else if !strings.HasSuffix(reason, " to decimal") {
		why = " (" + reason + ")"
	}
	return v, why, true
}

func orBody(field string) string {
	if field == "" {
		return "the value"
	}
	return field
}

func lastToken(p jsontext.Pointer) string {
	return p.LastToken()
}

// typeName says in words what JSON the Go type takes.
func typeName(sem *json.SemanticError) string {
	if sem.GoType == nil {
		return "of another type"
	}
	if textWanted(sem) {
		return "a string"
	}
	return goKindName(sem.GoType)
}

// goKindName says in words what JSON a Go type takes.
func goKindName(t reflect.Type) string {
	if t == nil {
		return "of another type"
	}
	switch t.Kind().String() {
	case "int", "int8", "int16", "int32", "int64":
		return "a whole number"
	case "uint", "uint8", "uint16", "uint32", "uint64":
		return "a whole number of 0 or more"
	case "float32", "float64":
		return "a number"
	case "string":
		return "a string"
	case "struct", "map":
		return "an object"
	case "slice", "array":
		return "an array"
	case "bool":
		return "true or false"
	}
	return "of another type"
}

func kindName(k jsontext.Kind) string {
	switch k {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "true or false"
	case 'n':
		return "null"
	case '0':
		return "a number"
	}
	return "that"
}
