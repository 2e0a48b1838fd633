package riskeval

import (
	"encoding"
	"strconv"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// AppendJSON appends the JSON encoding of the result, with its English
// explanation, to b. It writes what encoding/json would write for the
// same fields (the test TestResultJSONMatchesEncodingJSON holds it to
// that), without reflection.
func (r Result) AppendJSON(b []byte) ([]byte, error) {
	w := jw{b: b}
	w.open('{')
	w.key("profile")
	w.open('{')
	w.key("name")
	w.str(r.Profile.Name)
	w.key("version")
	w.str(r.Profile.Version)
	w.key("basis")
	w.text(r.Profile.Basis)
	w.close('}')
	w.key("regime")
	w.open('{')
	w.key("id")
	w.str(r.Regime.ID)
	w.key("label")
	w.label(r.Regime.Label)
	w.key("legal_basis")
	w.str(r.Regime.LegalBasis)
	w.close('}')
	w.key("factors")
	if r.Factors == nil {
		w.null()
	} else {
		w.open('[')
		for i := range r.Factors {
			f := &r.Factors[i]
			w.comma()
			w.open('{')
			w.key("id")
			w.str(f.ID)
			w.key("area")
			w.text(f.Area)
			w.key("weight")
			w.dec(f.Weight)
			w.key("initial")
			w.estimate(&f.Initial)
			w.key("residual")
			w.estimate(&f.Residual)
			w.close('}')
		}
		w.close(']')
	}
	w.key("weights")
	w.open('{')
	w.key("sum")
	w.dec(r.Weights.Sum)
	w.key("tolerance")
	w.dec(r.Weights.Tolerance)
	w.key("normalised")
	w.boolean(r.Weights.Normalised)
	if len(r.Weights.Adjusted) > 0 {
		w.key("adjusted")
		w.open('[')
		for _, v := range r.Weights.Adjusted {
			w.comma()
			w.b = strconv.AppendInt(w.b, int64(v), 10)
		}
		w.close(']')
	}
	w.close('}')
	w.key("initial")
	w.level(&r.Initial)
	w.key("residual")
	w.level(&r.Residual)
	if s := r.Survey; s != nil {
		w.key("survey")
		w.open('{')
		w.key("valid")
		w.integer(int64(s.Valid))
		w.key("distributed")
		w.integer(int64(s.Distributed))
		w.key("frame")
		w.str(s.Frame)
		if !s.ResponseRate.IsZero() {
			w.key("response_rate")
			w.dec(s.ResponseRate)
		}
		w.key("opposition")
		w.rate(s.Opposition)
		w.key("suggested_level")
		w.text(s.Suggested)
		w.key("advisory")
		w.boolean(s.Advisory)
		w.close('}')
	}
	w.key("decision")
	w.open('{')
	w.key("outcome")
	w.text(r.Decision.Outcome)
	w.key("level")
	w.text(r.Decision.Level)
	w.key("reasons")
	w.labels(r.Decision.Reasons)
	w.close('}')
	w.key("warnings")
	w.problems(r.Warnings)
	w.key("rules")
	w.rules(&r.Rules)
	w.key("explanation")
	w.steps(r.Explain())
	w.close('}')
	return w.b, w.err
}

// jw is a small JSON writer: it tracks whether a comma is due.
type jw struct {
	b     []byte
	first bool
	err   error
}

func (w *jw) comma() {
	if !w.first {
		w.b = append(w.b, ',')
	}
	w.first = false
}

func (w *jw) open(c byte) { w.b = append(w.b, c); w.first = true }

func (w *jw) close(c byte) { w.b = append(w.b, c); w.first = false }

func (w *jw) key(k string) {
	w.comma()
	w.b = append(w.b, '"')
	w.b = append(w.b, k...)
	w.b = append(w.b, '"', ':')
	w.first = true
}

func (w *jw) null() { w.comma(); w.b = append(w.b, "null"...) }

func (w *jw) boolean(v bool) {
	w.comma()
	w.b = strconv.AppendBool(w.b, v)
}

func (w *jw) integer(v int64) {
	w.comma()
	w.b = strconv.AppendInt(w.b, v, 10)
}

func (w *jw) dec(d decimal.Decimal) {
	w.comma()
	w.b = append(w.b, '"')
	w.b = appendDecimal(w.b, d)
	w.b = append(w.b, '"')
}

// appendDecimal appends d as d.String() would write it, without
// allocating when the coefficient fits in int64.
func appendDecimal(b []byte, d decimal.Decimal) []byte {
	e := d.Exponent()
	if d.NumDigits() > 18 || e < -18 || e > 18 {
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
			for i := int32(0); i < e; i++ {
				b = append(b, '0')
			}
		}
		return b
	}
	p := pow10[-e]
	b = strconv.AppendInt(b, c/p, 10)
	frac := c % p
	if frac == 0 {
		return b
	}
	var buf [19]byte
	n := int(-e)
	for i := n - 1; i >= 0; i-- {
		buf[i] = byte('0' + frac%10)
		frac /= 10
	}
	for n > 0 && buf[n-1] == '0' {
		n--
	}
	b = append(b, '.')
	return append(b, buf[:n]...)
}

func (w *jw) text(v encoding.TextMarshaler) {
	// The package's closed sets have their names in tables: write the name
	// without MarshalText's copy when the value is valid.
	if name, ok := enumName(v); ok {
		w.str(name)
		return
	}
	t, err := v.MarshalText()
	if err != nil {
		if w.err == nil {
			w.err = err
		}
		w.null()
		return
	}
	w.str(string(t))
}

func (w *jw) str(s string) {
	w.comma()
	w.b = appendJSONString(w.b, s)
}

func (w *jw) label(l ssra.Label) {
	w.comma()
	w.open('{')
	w.key("zh-CN")
	w.str(l.ZH)
	w.key("en")
	w.str(l.EN)
	w.close('}')
}

func (w *jw) labels(ls []ssra.Label) {
	if ls == nil {
		w.null()
		return
	}
	w.comma()
	w.open('[')
	for _, l := range ls {
		w.label(l)
	}
	w.close(']')
}

func (w *jw) decs(ds []decimal.Decimal) {
	if ds == nil {
		w.null()
		return
	}
	w.comma()
	w.open('[')
	for _, d := range ds {
		w.dec(d)
	}
	w.close(']')
}

func (w *jw) estimate(e *EstimateResult) {
	w.comma()
	w.open('{')
	w.key("score")
	w.dec(e.Score)
	w.key("probability")
	w.integer(int64(e.Probability))
	w.key("impact")
	w.integer(int64(e.Impact))
	if e.Degree != DegreeNone {
		w.key("degree")
		w.text(e.Degree)
	}
	w.key("level")
	w.text(e.Level)
	w.key("decided_by")
	w.text(e.DecidedBy)
	w.close('}')
}

func (w *jw) level(l *LevelResult) {
	w.comma()
	w.open('{')
	w.key("index")
	w.dec(l.Index)
	w.key("exact")
	w.dec(l.Exact)
	w.key("index_level")
	w.text(l.IndexLevel)
	w.key("level")
	w.text(l.Level)
	w.key("decided_by")
	w.text(l.DecidedBy)
	if l.FloorRule != "" {
		w.key("floor_rule")
		w.str(l.FloorRule)
	}
	w.key("counts")
	w.open('{')
	w.key("low")
	w.integer(int64(l.Counts.Low))
	w.key("medium")
	w.integer(int64(l.Counts.Medium))
	w.key("high")
	w.integer(int64(l.Counts.High))
	w.close('}')
	w.close('}')
}

func (w *jw) rate(r ssra.Rate) {
	w.comma()
	w.open('{')
	w.key("successes")
	w.integer(r.Successes)
	w.key("total")
	w.integer(r.Total)
	w.key("value")
	w.dec(r.Value)
	w.key("lower")
	w.dec(r.Lower)
	w.key("upper")
	w.dec(r.Upper)
	w.key("z")
	w.dec(r.Z)
	w.close('}')
}

func (w *jw) problems(ps ssra.Problems) {
	if ps == nil {
		w.null()
		return
	}
	w.comma()
	w.open('[')
	for _, p := range ps {
		w.comma()
		w.open('{')
		w.key("code")
		w.str(p.Code)
		w.key("field")
		w.str(p.Field)
		w.key("message")
		w.str(p.Message)
		w.key("severity")
		w.text(p.Severity)
		w.close('}')
	}
	w.close(']')
}

func (w *jw) thresholds(t Thresholds) {
	w.comma()
	w.open('{')
	w.key("low_max")
	w.dec(t.LowMax)
	w.key("medium_max")
	w.dec(t.MediumMax)
	w.close('}')
}

func (w *jw) rules(r *AppliedRules) {
	w.comma()
	w.open('{')
	w.key("probability_grades")
	w.decs(r.ProbabilityGrades)
	w.key("impact_grades")
	w.decs(r.ImpactGrades)
	w.key("factor_thresholds")
	w.thresholds(r.FactorThresholds)
	w.key("index_thresholds")
	w.thresholds(r.IndexThresholds)
	w.key("matrix")
	w.boolean(r.Matrix)
	w.key("floor_rules")
	if r.FloorRules == nil {
		w.null()
	} else {
		w.open('[')
		for _, f := range r.FloorRules {
			w.comma()
			w.open('{')
			w.key("name")
			w.str(f.Name)
			w.key("label")
			w.label(f.Label)
			w.key("factor_level")
			w.text(f.FactorLevel)
			w.key("min_count")
			w.integer(int64(f.MinCount))
			w.key("floor")
			w.text(f.Floor)
			w.close('}')
		}
		w.close(']')
	}
	w.key("survey")
	w.open('{')
	w.key("high_min")
	w.dec(r.Survey.HighMin)
	w.key("medium_min")
	w.dec(r.Survey.MediumMin)
	w.key("basis")
	w.text(r.Survey.Basis)
	w.close('}')
	w.close('}')
}

func (w *jw) steps(e Explanation) {
	if e == nil {
		w.null()
		return
	}
	w.comma()
	w.open('[')
	for _, s := range e {
		w.comma()
		w.open('{')
		w.key("key")
		w.str(s.Key)
		w.key("text")
		w.str(s.Text)
		w.close('}')
	}
	w.close(']')
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
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
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
	b = append(b, s[start:]...)
	return append(b, '"')
}

// enumName returns the text of a valid value of one of the package's
// closed sets, as MarshalText would write it.
func enumName(v encoding.TextMarshaler) (string, bool) {
	var names []string
	var i uint8
	switch x := v.(type) {
	case Level:
		names, i = levelNames, uint8(x)
	case Degree:
		names, i = degreeNames, uint8(x)
	case Outcome:
		names, i = outcomeNames, uint8(x)
	case Area:
		names, i = areaNames, uint8(x)
	case Basis:
		names, i = basisNames, uint8(x)
	case LevelRule:
		names, i = levelRuleNames, uint8(x)
	case ssra.Severity:
		return x.String(), true
	default:
		return "", false
	}
	if int(i) < len(names) && names[i] != "" {
		return names[i], true
	}
	return "", false
}
