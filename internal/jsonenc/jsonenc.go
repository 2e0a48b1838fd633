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
	"unicode/utf8"

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
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
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
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[start:i]...), `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(append(b, s[start:i]...), '\\', 'u', '2', '0', '2', hex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	return append(append(b, s[start:]...), '"')
}

const hex = "0123456789abcdef"
