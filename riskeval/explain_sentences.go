package riskeval

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// sentence is the text of a step with numbered slots {0} … {9} for its
// values, and the same text as it is written inside a JSON string.
type sentence struct{ text, json string }

func newSentence(text string) sentence {
	return sentence{text: text, json: string(appendJSONText(nil, text))}
}

// sentences are the texts of the steps other than the factor steps, in one
// language. Their slots are the same in both languages.
type sentences struct {
	profileLaw, profilePractice sentence // {0} name, {1} version
	weights                     sentence // {0} factors, {1} sum, {2} tolerance
	weightsNormalised           sentence // {0} sum, {1} adjusted indices
	indexExact                  sentence // {0} before/after, {1} index at 6 places
	indexRounded                sentence // {0} before/after, {1} index at 6 places, {2} exact index
	counts                      sentence // {0} before/after, {1} high, {2} medium, {3} low
	floor                       sentence // {0} rule, {1} before/after, {2} index level, {3} level
	level                       sentence // {0} before/after, {1} level
	survey                      sentence // {0} valid, {1} opposing, {2} share, {3} lower, {4} upper
	surveyRate                  sentence // {0} valid, {1} distributed, {2} rate
	surveyMapping               sentence // {0} frame, {1} high from, {2} medium from, {3} suggested level
	decision                    sentence // {0} regime, {1} legal basis, {2} level, {3} outcome, {4} reasons
	precision                   sentence
}

var sentencesZH = sentences{
	profileLaw:        newSentence("参数方案 {0} 第{1}版（依据国家规定）。"),
	profilePractice:   newSentence("参数方案 {0} 第{1}版（常见实务做法，并非国家规定）。"),
	weights:           newSentence("{0} 个风险因素的权重之和为 {1}（允许偏差 {2}）。"),
	weightsNormalised: newSentence("各因素权重之和为 {0}；各权重除以该和后按四舍五入保留6位小数，并按最大余数法调整（调整序号 {1}），使权重之和恰为1。"),
	indexExact:        newSentence("{0}综合风险指数 R = Σ wᵢ·rᵢ = {1}（6位小数内精确）；"),
	indexRounded:      newSentence("{0}综合风险指数 R = Σ wᵢ·rᵢ = {1}（精确值 {2}，四舍五入保留6位小数）；"),
	counts:            newSentence("{0}各因素等级：高风险 {1} 个，中风险 {2} 个，低风险 {3} 个。"),
	floor:             newSentence("下限规则 {0} 将{1}等级由{2}提高为{3}。"),
	level:             newSentence("{0}风险等级为{1}，由指数阈值确定，未触发下限规则。"),
	survey:            newSentence("民意调查：{0} 份有效问卷中 {1} 份反对，反对率 {2}（95% Wilson 区间 {3} 至 {4}）"),
	surveyRate:        newSentence("，回收率 {0}/{1} = {2}"),
	surveyMapping:     newSentence("；抽样框“{0}”。反对率 ≥ {1} 提示高风险，≥ {2} 提示中风险，其余提示低风险：提示等级为{3}。该提示仅供参考，不决定风险等级。"),
	decision:          newSentence("依据 {0}（{1}），落实措施后风险等级为{2}，对应结论：{3}。{4}"),
	precision:         newSentence("计算精度：分值乘积与加权求和均为精确小数运算；综合风险指数按四舍五入保留6位小数，并以保留后的数值判定等级；民意调查比率按四舍五入保留4位小数，Wilson 区间先以高精度浮点计算再取舍。"),
}

var sentencesEN = sentences{
	profileLaw:        newSentence("Profile {0} v{1} (fixed by a national text)."),
	profilePractice:   newSentence("Profile {0} v{1} (common practice, not a national rule)."),
	weights:           newSentence("The {0} factor weights sum to {1} (tolerance {2} around 1)."),
	weightsNormalised: newSentence("The weights summed to {0}; each was divided by the sum, rounded half-up to 6 places and adjusted by largest remainder (indices {1}) so that they sum to exactly 1."),
	indexExact:        newSentence("Comprehensive index {0}: R = Σ wᵢ·rᵢ = {1} (exact at 6 places); "),
	indexRounded:      newSentence("Comprehensive index {0}: R = Σ wᵢ·rᵢ = {1} (exactly {2}, rounded half-up to 6 places); "),
	counts:            newSentence("Factor levels {0}: {1} high, {2} medium, {3} low."),
	floor:             newSentence("Floor rule {0} raised the level {1} from {2} to {3}."),
	level:             newSentence("The level {0} is {1}, set by the index thresholds; no floor rule raised it."),
	survey:            newSentence("Survey: {1} of {0} valid answers oppose, share {2} (95 % Wilson interval {3} to {4})"),
	surveyRate:        newSentence(", response rate {0}/{1} = {2}"),
	surveyMapping:     newSentence("; frame {0}. Opposition ≥ {1} suggests high, ≥ {2} medium, below low: suggested {3}. The suggestion is advisory and does not set the level."),
	decision:          newSentence("Under regime {0} ({1}) the residual level {2} gives the outcome {3}. {4}"),
	precision:         newSentence("Precision: grade products and weighted sums are exact decimals; each index is rounded half-up to 6 places and its level read from the rounded value; survey rates are rounded half-up to 4 places, the Wilson bounds computed in floating point first and checked against exact rounding."),
}

// value is what fills a slot of a sentence.
type value struct {
	kind    valueKind
	s       string
	d       decimal.Decimal
	n       int64
	ints    []int
	reasons []ssra.Label
}

type valueKind uint8

const (
	valueText    valueKind = iota // s, escaped in JSON
	valueWords                    // s, words of this package already in the writer's form
	valueQuoted                   // s as Go's %q writes it (English) or as it is (Chinese)
	valueDecimal                  // d as d.String() writes it
	valueFixed6                   // d as d.StringFixed(6) writes it
	valueInt                      // n
	valueInts                     // ints as fmt's %v writes them: "[1 2 3]"
	valueLevel                    // the level n: its label in Chinese, its name in English
	valueOutcome                  // the outcome n, likewise
	valueReasons                  // reasons, each in the language, joined
)

func text(s string) value            { return value{kind: valueText, s: s} }
func words(s string) value           { return value{kind: valueWords, s: s} }
func quoted(s string) value          { return value{kind: valueQuoted, s: s} }
func dec(d decimal.Decimal) value    { return value{kind: valueDecimal, d: d} }
func fixed6(d decimal.Decimal) value { return value{kind: valueFixed6, d: d} }
func integer(n int) value            { return value{kind: valueInt, n: int64(n)} }
func integer64(n int64) value        { return value{kind: valueInt, n: n} }
func ints(v []int) value             { return value{kind: valueInts, ints: v} }
func level(l Level) value            { return value{kind: valueLevel, n: int64(l)} }
func outcome(o Outcome) value        { return value{kind: valueOutcome, n: int64(o)} }
func reasons(ls []ssra.Label) value  { return value{kind: valueReasons, reasons: ls} }

// sentence appends s with its slots filled by vals.
func (w *stepWriter) sentence(b []byte, s *sentence, vals ...value) []byte {
	t := s.text
	if w.json {
		t = s.json
	}
	for {
		i := strings.IndexByte(t, '{')
		if i < 0 {
			return append(b, t...)
		}
		b = append(b, t[:i]...)
		b = w.value(b, &vals[t[i+1]-'0'])
		t = t[i+3:]
	}
}

func (w *stepWriter) value(b []byte, v *value) []byte {
	switch v.kind {
	case valueText:
		return w.str(b, v.s)
	case valueWords:
		return append(b, v.s...)
	case valueQuoted:
		if w.zh {
			return w.str(b, v.s)
		}
		return w.quoted(b, v.s)
	case valueDecimal:
		return appendDecimal(b, v.d)
	case valueFixed6:
		return appendFixed6(b, v.d)
	case valueInt:
		return appendInt(b, v.n)
	case valueInts:
		b = append(b, '[')
		for i, n := range v.ints {
			if i > 0 {
				b = append(b, ' ')
			}
			b = appendInt(b, int64(n))
		}
		return append(b, ']')
	case valueLevel:
		if w.zh {
			return w.str(b, Level(v.n).Label().ZH)
		}
		return w.str(b, Level(v.n).String())
	case valueOutcome:
		if w.zh {
			return w.str(b, Outcome(v.n).Label().ZH)
		}
		return w.str(b, Outcome(v.n).String())
	}
	return w.reasons(b, v.reasons)
}

// reasons appends the reasons in the language, one after the other in
// Chinese, a space between them in English. In JSON, Chinese reasons that
// are not valid UTF-8 are joined before they are escaped, as encoding/json
// escapes the whole sentence: two halves of a character are one character.
func (w *stepWriter) reasons(b []byte, ls []ssra.Label) []byte {
	lang, sep := ssra.LangEN, " "
	if w.zh {
		lang, sep = ssra.LangZH, ""
	}
	if w.json && w.zh {
		for _, l := range ls {
			if !utf8.ValidString(l.In(lang)) {
				all := make([]string, len(ls))
				for i, l := range ls {
					all[i] = l.In(lang)
				}
				return w.str(b, strings.Join(all, sep))
			}
		}
	}
	for i, l := range ls {
		if i > 0 {
			b = append(b, sep...)
		}
		b = w.str(b, l.In(lang))
	}
	return b
}

// quoted appends s as Go's %q writes it.
func (w *stepWriter) quoted(b []byte, s string) []byte {
	for _, r := range s {
		if r == '"' || r == '\\' || r == utf8.RuneError || !strconv.IsPrint(r) {
			return w.str(b, strconv.Quote(s))
		}
	}
	if w.json {
		b = append(b, '\\', '"')
		b = appendJSONText(b, s)
		return append(b, '\\', '"')
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// step appends a whole step: its key and its sentence.
func (w *stepWriter) step(b []byte, key string, s *sentence, vals ...value) []byte {
	b = w.begin(b, key)
	b = w.sentence(b, s, vals...)
	return w.end(b)
}

func (r *Result) renderProfile(w *stepWriter, b []byte) []byte {
	s := &w.sentences.profilePractice
	if r.Profile.Basis == BasisLaw {
		s = &w.sentences.profileLaw
	}
	return w.step(b, "profile", s, text(r.Profile.Name), text(r.Profile.Version))
}

func (r *Result) renderWeights(w *stepWriter, b []byte) []byte {
	if r.Weights.Normalised {
		return w.step(b, "weights", &w.sentences.weightsNormalised, dec(r.Weights.Sum), ints(r.Weights.Adjusted))
	}
	return w.step(b, "weights", &w.sentences.weights, integer(len(r.Factors)), dec(r.Weights.Sum), dec(r.Weights.Tolerance))
}

// The keys of the level steps, before and after measures.
var levelKeys = [2][4]string{
	{"index.initial", "counts.initial", "floor.initial", "level.initial"},
	{"index.residual", "counts.residual", "floor.residual", "level.residual"},
}

func (r *Result) renderLevel(w *stepWriter, b []byte, l *LevelResult, residual bool) []byte {
	ss := w.sentences
	keys, when := &levelKeys[0], words(w.words.beforeIndex)
	if residual {
		keys, when = &levelKeys[1], words(w.words.afterIndex)
	}
	b = w.begin(b, keys[0])
	if cmpDecimal(l.Exact, l.Index) == 0 {
		b = w.sentence(b, &ss.indexExact, when, fixed6(l.Index))
	} else {
		b = w.sentence(b, &ss.indexRounded, when, fixed6(l.Index), dec(l.Exact))
	}
	t := &r.Rules.IndexThresholds
	b = w.threshold(b, &w.words.index, &w.phrases.index, levelOf(t, l.Index), numRef{d: l.Index}, t)
	b = w.end(b)
	b = w.step(b, keys[1], &ss.counts, when, integer(l.Counts.High), integer(l.Counts.Medium), integer(l.Counts.Low))
	if l.DecidedBy == RuleFloor {
		return w.step(b, keys[2], &ss.floor, text(l.FloorRule), when, level(l.IndexLevel), level(l.Level))
	}
	return w.step(b, keys[3], &ss.level, when, level(l.Level))
}

func (r *Result) renderSurvey(w *stepWriter, b []byte) []byte {
	s, ss := r.Survey, w.sentences
	b = w.begin(b, "survey")
	b = w.sentence(b, &ss.survey, integer(s.Valid), integer64(s.Opposition.Successes),
		dec(s.Opposition.Value), dec(s.Opposition.Lower), dec(s.Opposition.Upper))
	if s.Distributed > 0 {
		b = w.sentence(b, &ss.surveyRate, integer(s.Valid), integer(s.Distributed), dec(s.ResponseRate))
	}
	b = w.sentence(b, &ss.surveyMapping, quoted(s.Frame), dec(r.Rules.Survey.HighMin), dec(r.Rules.Survey.MediumMin), level(s.Suggested))
	return w.end(b)
}

func (r *Result) renderDecision(w *stepWriter, b []byte) []byte {
	ss := w.sentences
	b = w.step(b, "decision", &ss.decision, text(r.Regime.ID), text(r.Regime.LegalBasis),
		level(r.Decision.Level), outcome(r.Decision.Outcome), reasons(r.Decision.Reasons))
	return w.step(b, "precision", &ss.precision)
}
