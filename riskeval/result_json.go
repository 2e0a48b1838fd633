package riskeval

import (
	"strconv"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// AppendJSON appends the JSON encoding of the result, with its English
// explanation, to b. It writes what encoding/json would write for the
// same fields (the test TestResultJSONMatchesEncodingJSON holds it to
// that), without reflection; the explanation's sentences are rendered
// straight into b. A caller that encodes many results can pass a buffer it
// reuses (b[:0]) and spare the allocation of the output that MarshalJSON
// makes.
func (r Result) AppendJSON(b []byte) ([]byte, error) {
	var err error
	b = append(b, `{"profile":{"name":`...)
	b = appendJSONString(b, r.Profile.Name)
	b = append(b, `,"version":`...)
	b = appendJSONString(b, r.Profile.Version)
	b = append(b, `,"basis":`...)
	b = appendEnum(b, basisJSON, uint8(r.Profile.Basis), &err)
	if r.Profile.ID != "" {
		b = append(b, `,"id":`...)
		b = appendJSONString(b, r.Profile.ID)
	}
	if r.Profile.Digest != "" {
		b = append(b, `,"digest":`...)
		b = appendJSONString(b, r.Profile.Digest)
	}
	b = append(b, `},"regime":{"id":`...)
	b = appendJSONString(b, r.Regime.ID)
	b = append(b, `,"label":`...)
	b = appendLabel(b, &r.Regime.Label)
	b = append(b, `,"legal_basis":`...)
	b = appendJSONString(b, r.Regime.LegalBasis)
	b = append(b, `},"factors":`...)
	// The factors' scores are written once: the explanation copies them.
	var w stepWriter
	w.init(&r, ssra.LangEN, true)
	b = appendArray(b, r.Factors, func(b []byte, f *FactorResult) []byte { return appendFactor(b, f, &err, &w.scores) })
	b = append(b, `,"weights":{"sum":`...)
	b = appendDecimalString(b, r.Weights.Sum)
	b = append(b, `,"tolerance":`...)
	b = appendDecimalString(b, r.Weights.Tolerance)
	b = append(b, `,"normalised":`...)
	b = strconv.AppendBool(b, r.Weights.Normalised)
	if len(r.Weights.Adjusted) > 0 {
		b = append(b, `,"adjusted":[`...)
		for i, v := range r.Weights.Adjusted {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendInt(b, int64(v))
		}
		b = append(b, ']')
	}
	b = append(b, `},"initial":`...)
	b = appendLevelResult(b, &r.Initial, &err)
	b = append(b, `,"residual":`...)
	b = appendLevelResult(b, &r.Residual, &err)
	if s := r.Survey; s != nil {
		b = append(b, `,"survey":{"valid":`...)
		b = appendInt(b, int64(s.Valid))
		b = append(b, `,"distributed":`...)
		b = appendInt(b, int64(s.Distributed))
		b = append(b, `,"frame":`...)
		b = appendJSONString(b, s.Frame)
		if !s.ResponseRate.IsZero() {
			b = append(b, `,"response_rate":`...)
			b = appendDecimalString(b, s.ResponseRate)
		}
		b = append(b, `,"opposition":`...)
		b = appendRate(b, &s.Opposition)
		b = append(b, `,"suggested_level":`...)
		b = appendEnum(b, levelJSON, uint8(s.Suggested), &err)
		b = append(b, `,"advisory":`...)
		b = strconv.AppendBool(b, s.Advisory)
		b = append(b, '}')
	}
	b = append(b, `,"decision":{"outcome":`...)
	b = appendEnum(b, outcomeJSON, uint8(r.Decision.Outcome), &err)
	b = append(b, `,"level":`...)
	b = appendEnum(b, levelJSON, uint8(r.Decision.Level), &err)
	b = append(b, `,"reasons":`...)
	b = appendArray(b, r.Decision.Reasons, appendLabel)
	b = append(b, `},"warnings":`...)
	b = appendArray(b, r.Warnings, appendProblem)
	b = append(b, `,"rules":`...)
	b = appendRules(b, &r.Rules, &err)
	b = append(b, `,"explanation":`...)
	b = r.appendSteps(&w, b)
	return append(b, '}'), err
}

// scoreSpans locate the text of the first factors' scores, before and
// after measures, in the output.
type scoreSpans struct {
	n    int
	span [64][2]textSpan
}

// textSpan is b[at:end] of an output b.
type textSpan struct{ at, end int32 }

// appendSteps appends the explanation as the JSON array of its steps,
// rendered straight into b by w, which init prepared for JSON.
func (r *Result) appendSteps(w *stepWriter, b []byte) []byte {
	b = append(b, '[')
	b = r.render(w, b)
	return append(b, ']')
}

func appendFactor(b []byte, f *FactorResult, err *error, scores *scoreSpans) []byte {
	var sp *[2]textSpan
	if scores.n < len(scores.span) {
		sp = &scores.span[scores.n]
		scores.n++
	}
	b = append(b, `{"id":`...)
	b = appendJSONString(b, f.ID)
	b = append(b, `,"area":`...)
	b = appendEnum(b, areaJSON, uint8(f.Area), err)
	b = append(b, `,"weight":`...)
	b = appendDecimalString(b, f.Weight)
	b = append(b, `,"initial":`...)
	b = appendEstimate(b, &f.Initial, err, sp, 0)
	b = append(b, `,"residual":`...)
	b = appendEstimate(b, &f.Residual, err, sp, 1)
	return append(b, '}')
}

// appendEnum appends the name of a value of one of the package's closed
// sets, names[v], as a JSON string; an invalid value is written as null and
// is an error, as its MarshalText makes it.
func appendEnum(b []byte, set *jsonEnum, v uint8, err *error) []byte {
	if int(v) < len(set.quoted) && set.quoted[v] != "" {
		return append(b, set.quoted[v]...)
	}
	if _, e := enumText(v, set.names, set.typ); e != nil && *err == nil {
		*err = e
	}
	return append(b, "null"...)
}

// jsonEnum is a closed set's names as JSON strings.
type jsonEnum struct {
	names, quoted []string
	typ           string
}

func newJSONEnum(names []string, typ string) *jsonEnum {
	e := &jsonEnum{names: names, quoted: make([]string, len(names)), typ: typ}
	for i, n := range names {
		if n != "" {
			e.quoted[i] = string(appendJSONString(nil, n))
		}
	}
	return e
}

var (
	levelJSON     = newJSONEnum(levelNames, "level")
	degreeJSON    = newJSONEnum(degreeNames, "degree")
	outcomeJSON   = newJSONEnum(outcomeNames, "outcome")
	areaJSON      = newJSONEnum(areaNames, "area")
	basisJSON     = newJSONEnum(basisNames, "basis")
	levelRuleJSON = newJSONEnum(levelRuleNames, "level rule")
)

// appendDecimalString appends d as a JSON string.
func appendDecimalString(b []byte, d decimal.Decimal) []byte {
	b = append(b, '"')
	b = appendDecimal(b, d)
	return append(b, '"')
}

// appendArray appends xs as a JSON array, each element by appendOne, or
// null for a nil slice.
func appendArray[T any](b []byte, xs []T, appendOne func([]byte, *T) []byte) []byte {
	if xs == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range xs {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendOne(b, &xs[i])
	}
	return append(b, ']')
}

func appendDecimalPtr(b []byte, d *decimal.Decimal) []byte { return appendDecimalString(b, *d) }

func appendLabel(b []byte, l *ssra.Label) []byte {
	b = append(b, `{"zh-CN":`...)
	b = appendJSONString(b, l.ZH)
	b = append(b, `,"en":`...)
	b = appendJSONString(b, l.EN)
	return append(b, '}')
}

func appendEstimate(b []byte, e *EstimateResult, err *error, sp *[2]textSpan, k int) []byte {
	b = append(b, `{"score":"`...)
	at := len(b)
	b = appendDecimal(b, e.Score)
	if sp != nil {
		sp[k] = textSpan{int32(at), int32(len(b))}
	}
	b = append(b, '"')
	b = append(b, `,"probability":`...)
	b = appendInt(b, int64(e.Probability))
	b = append(b, `,"impact":`...)
	b = appendInt(b, int64(e.Impact))
	if e.Degree != DegreeNone {
		b = append(b, `,"degree":`...)
		b = appendEnum(b, degreeJSON, uint8(e.Degree), err)
	}
	b = append(b, `,"level":`...)
	b = appendEnum(b, levelJSON, uint8(e.Level), err)
	b = append(b, `,"decided_by":`...)
	b = appendEnum(b, levelRuleJSON, uint8(e.DecidedBy), err)
	return append(b, '}')
}

func appendLevelResult(b []byte, l *LevelResult, err *error) []byte {
	b = append(b, `{"index":`...)
	b = appendDecimalString(b, l.Index)
	b = append(b, `,"exact":`...)
	b = appendDecimalString(b, l.Exact)
	b = append(b, `,"index_level":`...)
	b = appendEnum(b, levelJSON, uint8(l.IndexLevel), err)
	b = append(b, `,"level":`...)
	b = appendEnum(b, levelJSON, uint8(l.Level), err)
	b = append(b, `,"decided_by":`...)
	b = appendEnum(b, levelRuleJSON, uint8(l.DecidedBy), err)
	if l.FloorRule != "" {
		b = append(b, `,"floor_rule":`...)
		b = appendJSONString(b, l.FloorRule)
	}
	b = append(b, `,"counts":{"low":`...)
	b = appendInt(b, int64(l.Counts.Low))
	b = append(b, `,"medium":`...)
	b = appendInt(b, int64(l.Counts.Medium))
	b = append(b, `,"high":`...)
	b = appendInt(b, int64(l.Counts.High))
	return append(b, '}', '}')
}

func appendRate(b []byte, r *ssra.Rate) []byte {
	b = append(b, `{"successes":`...)
	b = appendInt(b, r.Successes)
	b = append(b, `,"total":`...)
	b = appendInt(b, r.Total)
	b = append(b, `,"value":`...)
	b = appendDecimalString(b, r.Value)
	b = append(b, `,"lower":`...)
	b = appendDecimalString(b, r.Lower)
	b = append(b, `,"upper":`...)
	b = appendDecimalString(b, r.Upper)
	b = append(b, `,"z":`...)
	b = appendDecimalString(b, r.Z)
	return append(b, '}')
}

func appendProblem(b []byte, p *ssra.Problem) []byte {
	b = append(b, `{"code":`...)
	b = appendJSONString(b, p.Code)
	b = append(b, `,"field":`...)
	b = appendJSONString(b, p.Field)
	b = append(b, `,"message":`...)
	b = appendJSONString(b, p.Message)
	b = append(b, `,"severity":"`...)
	b = append(b, p.Severity.String()...)
	return append(b, '"', '}')
}

func appendThresholds(b []byte, t *Thresholds) []byte {
	b = append(b, `{"low_max":`...)
	b = appendDecimalString(b, t.LowMax)
	b = append(b, `,"medium_max":`...)
	b = appendDecimalString(b, t.MediumMax)
	return append(b, '}')
}

func appendFloorRule(b []byte, f *FloorRule, err *error) []byte {
	b = append(b, `{"name":`...)
	b = appendJSONString(b, f.Name)
	b = append(b, `,"label":`...)
	b = appendLabel(b, &f.Label)
	b = append(b, `,"factor_level":`...)
	b = appendEnum(b, levelJSON, uint8(f.FactorLevel), err)
	b = append(b, `,"min_count":`...)
	b = appendInt(b, int64(f.MinCount))
	b = append(b, `,"floor":`...)
	b = appendEnum(b, levelJSON, uint8(f.Floor), err)
	return append(b, '}')
}

func appendRules(b []byte, r *AppliedRules, err *error) []byte {
	b = append(b, `{"probability_grades":`...)
	b = appendArray(b, r.ProbabilityGrades, appendDecimalPtr)
	b = append(b, `,"impact_grades":`...)
	b = appendArray(b, r.ImpactGrades, appendDecimalPtr)
	b = append(b, `,"factor_thresholds":`...)
	b = appendThresholds(b, &r.FactorThresholds)
	b = append(b, `,"index_thresholds":`...)
	b = appendThresholds(b, &r.IndexThresholds)
	b = append(b, `,"matrix":`...)
	b = strconv.AppendBool(b, r.Matrix)
	b = append(b, `,"floor_rules":`...)
	b = appendArray(b, r.FloorRules, func(b []byte, f *FloorRule) []byte { return appendFloorRule(b, f, err) })
	b = append(b, `,"survey":{"high_min":`...)
	b = appendDecimalString(b, r.Survey.HighMin)
	b = append(b, `,"medium_min":`...)
	b = appendDecimalString(b, r.Survey.MediumMin)
	b = append(b, `,"basis":`...)
	b = appendEnum(b, basisJSON, uint8(r.Survey.Basis), err)
	return append(b, '}', '}')
}

const hexDigits = "0123456789abcdef"

// jsonSafe marks the ASCII bytes a JSON string carries as they are.
var jsonSafe = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// appendJSONString appends s as a JSON string the way encoding/json does
// by default: <, > and & escaped for HTML, control characters as \u00XX
// (or their short forms), U+2028 and U+2029 escaped, invalid UTF-8
// replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	b = appendJSONText(b, s)
	return append(b, '"')
}

// appendJSONText appends s escaped as in a JSON string, without the
// quotes.
func appendJSONText(b []byte, s string) []byte {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			// Eight bytes at a time while the text is plain ASCII.
			if i+8 <= len(s) && plainASCII8(s[i:i+8]) {
				i += 8
				continue
			}
			if !jsonSafe[c] {
				return appendJSONEscaped(b, s)
			}
			i++
			continue
		}
		// Three-byte characters (most of Chinese text) checked in place;
		// the others decoded.
		if c >= 0xE1 && c <= 0xEF && c != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			if c == 0xE2 && s[i+1] == 0x80 && s[i+2]&^1 == 0xA8 {
				return appendJSONEscaped(b, s) // U+2028, U+2029
			}
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if size == 1 || r == '\u2028' || r == '\u2029' {
			return appendJSONEscaped(b, s)
		}
		i += size
	}
	return append(b, s...)
}

// plainASCII8 reports whether the 8 bytes of s are ASCII that JSON carries
// as it is: no control character, ", \\, <, > or &. A term (y - ones) &^ y
// & highs has the high bit of some byte set exactly when some byte of y is
// 0 (for y < 0x80 in every byte).
func plainASCII8(s string) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	_ = s[7]
	x := uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
	q, bs, lt, gt, amp := x^'"'*ones, x^'\\'*ones, x^'<'*ones, x^'>'*ones, x^'&'*ones
	bad := x | (x-0x20*ones)&^x |
		(q-ones)&^q | (bs-ones)&^bs | (lt-ones)&^lt | (gt-ones)&^gt | (amp-ones)&^amp
	return bad&highs == 0
}

// appendJSONEscaped is appendJSONText for text with characters to escape.
func appendJSONEscaped(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if jsonSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
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
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	return append(b, s[start:]...)
}
