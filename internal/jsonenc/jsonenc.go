// Package jsonenc encodes the domain's results for the adapters as JSON
// with the bytes encoding/json writes for them, on
// github.com/go-json-experiment/json (the module form of
// encoding/json/v2), which calls a type's AppendText without allocating
// and lets decimals be written in place. The REST adapter's evaluate route
// spends most of its time encoding its result; see BenchmarkEvaluate in
// adapters/rest.
package jsonenc

import (
	"strconv"

	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/shopspring/decimal"
)

// options reproduce encoding/json's output: nil slices and maps as null,
// '<', '>', '&', U+2028 and U+2029 escaped, map keys sorted, invalid UTF-8
// replaced by U+FFFD (written as the character where encoding/json writes
// the escape \ufffd: the same JSON string); decimals as JSON strings of their String form
// (shopspring/decimal's MarshalJSON).
var options = json.JoinOptions(
	json.FormatNilSliceAsNull(true),
	json.FormatNilMapAsNull(true),
	json.Deterministic(true),
	jsontext.EscapeForHTML(true),
	jsontext.EscapeForJS(true),
	jsontext.AllowInvalidUTF8(true),
	json.WithMarshalers(json.MarshalToFunc(encodeDecimal)),
)

// Marshal returns the JSON encoding of v, byte for byte what
// encoding/json.Marshal returns for the types the domain encodes.
func Marshal(v any) ([]byte, error) { return json.Marshal(v, options) }

// encodeDecimal takes a pointer, which the encoder passes without
// allocating (a decimal.Decimal passed as a value is boxed).
func encodeDecimal(enc *jsontext.Encoder, d *decimal.Decimal) error {
	b := enc.AvailableBuffer()
	b = append(b, '"')
	b = AppendDecimal(b, *d)
	return enc.WriteValue(append(b, '"'))
}

// AppendDecimal appends d as d.String() writes it: without exponent, and
// without the trailing zeros of its fraction. It does not allocate when
// d's coefficient has at most 18 digits and its exponent is within ±18.
func AppendDecimal(b []byte, d decimal.Decimal) []byte {
	e := d.Exponent()
	if e < -18 || e > 18 || d.NumDigits() > 18 {
		return append(b, d.String()...)
	}
	c := d.CoefficientInt64()
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	if e >= 0 {
		b = strconv.AppendInt(b, c, 10)
		if c != 0 {
			b = append(b, zeros[:e]...)
		}
		return b
	}
	var tmp [20]byte
	digits := strconv.AppendInt(tmp[:0], c, 10)
	cut := len(digits) + int(e) // where the fraction starts
	frac := digits
	if cut > 0 {
		b = append(b, digits[:cut]...)
		frac = digits[cut:]
	} else {
		b = append(b, '0')
	}
	for len(frac) > 0 && frac[len(frac)-1] == '0' {
		frac = frac[:len(frac)-1]
	}
	if len(frac) == 0 {
		return b
	}
	b = append(b, '.')
	if cut < 0 {
		b = append(b, zeros[:-cut]...)
	}
	return append(b, frac...)
}

// zeros holds enough zeros for any padding AppendDecimal writes.
const zeros = "000000000000000000"

// AppendString appends s as a JSON string exactly as encoding/json writes
// it: '"', '\\' and the control characters escaped (\b, \f, \n, \r, \t or
// \u00XX), '<', '>' and '&' as \u003c, \u003e and \u0026, U+2028 and
// U+2029 as \u2028 and \u2029, and each byte of invalid UTF-8 as \ufffd.
func AppendString[S ~string | ~[]byte](b []byte, s S) []byte { return appendString(b, s, &htmlEscaped) }

// AppendStringKeepHTML is AppendString with HTML characters written as they
// are, as encoding/json writes a string with SetEscapeHTML(false).
func AppendStringKeepHTML[S ~string | ~[]byte](b []byte, s S) []byte {
	return appendString(b, s, &htmlKept)
}

// htmlEscaped and htmlKept class the bytes of a string: 0 is written as
// it is, 1 is escaped, 2 starts a character of more than one byte.
var htmlEscaped, htmlKept = escapes(true), escapes(false)

func escapes(html bool) (t [256]uint8) {
	for c := range 0x20 {
		t[c] = 1
	}
	t['"'], t['\\'] = 1, 1
	if html {
		t['<'], t['>'], t['&'] = 1, 1, 1
	}
	for c := 0x80; c < 0x100; c++ {
		t[c] = 2
	}
	return t
}

// appendString writes s in runs: only the bytes to escape and the
// characters of more than one byte are looked at, the latter to check
// their encoding and to find U+2028 and U+2029.
func appendString[S ~string | ~[]byte](b []byte, s S, esc *[256]uint8) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		switch esc[c] {
		case 0:
			i++
			continue
		case 2:
			n := runeLen(s, i)
			switch {
			case n == 0:
				b = append(append(b, s[start:i]...), `\ufffd`...)
				i++
				start = i
			case c == 0xE2 && s[i+1] == 0x80 && (s[i+2] == 0xA8 || s[i+2] == 0xA9):
				b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[s[i+2]&0xF])
				i += n
				start = i
			default:
				i += n
			}
			continue
		}
		b = append(b, s[start:i]...)
		switch c {
		case '"', '\\':
			b = append(b, '\\', c)
		case '\b':
			b = append(b, '\\', 'b')
		case '\f':
			b = append(b, '\\', 'f')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
		}
		i++
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

// runeLen returns the length of the UTF-8 encoded character at s[i], a
// byte of 0x80 or more, or 0 where the bytes there are not one (as
// utf8.DecodeRune returns RuneError, 1).
func runeLen[S ~string | ~[]byte](s S, i int) int {
	c := s[i]
	lo, hi := byte(0x80), byte(0xBF)
	n := 0
	switch {
	case c >= 0xC2 && c <= 0xDF:
		n = 2
	case c >= 0xE0 && c <= 0xEF:
		n = 3
		if c == 0xE0 {
			lo = 0xA0
		} else if c == 0xED {
			hi = 0x9F // not a surrogate
		}
	case c >= 0xF0 && c <= 0xF4:
		n = 4
		if c == 0xF0 {
			lo = 0x90
		} else if c == 0xF4 {
			hi = 0x8F
		}
	default:
		return 0
	}
	if i+n > len(s) {
		return 0
	}
	if d := s[i+1]; d < lo || d > hi {
		return 0
	}
	for k := 2; k < n; k++ {
		if d := s[i+k]; d < 0x80 || d > 0xBF {
			return 0
		}
	}
	return n
}

const hex = "0123456789abcdef"
