package riskeval

import (
	"strings"

	"github.com/ssra-go/ssra"
)

// The explanation has one renderer, render, and two destinations: Step
// strings (ExplainIn) and the "explanation" array of a result's JSON
// (AppendJSON), written straight into the output without building the
// strings first. Both go through stepWriter, so the sentences cannot drift
// apart.
//
// The renderer appends to a byte slice three kinds of text: the package's
// word and sentence tables (explainWords, sentences), which exist in both
// forms, plain and escaped once for JSON; numbers, which JSON carries as
// they are; and text that comes from the profile, the assessment or the
// package's enum tables (str), escaped as it is written into JSON.

// stepWriter says how the steps are written, and in steps mode records
// where they are.
type stepWriter struct {
	json  bool
	zh    bool
	words *explainWords
	// sentences are the texts of the steps other than the factor steps.
	sentences *sentences
	// steps counts the steps written.
	steps int
	// In steps mode, out holds the steps, each key set when the step
	// begins, and bounds where each step's text starts and ends in the
	// output: step k from bound 2k to bound 2k+1, a factor step's key from
	// the end of step k-1 to the start of step k. The first bounds are in
	// the writer, the rest in moreBounds.
	out        Explanation
	bounds     [256]int32
	moreBounds []int32
	nBounds    int
	// scores locate the factors' scores already in the output (json
	// mode).
	scores scoreSpans
	// idAt and idEnd locate the escaped id of the current factor step in
	// the output (json mode).
	idAt, idEnd int
	// phrases holds the phrases every factor step repeats.
	phrases phraseCache
}

// init prepares w to write r's explanation in the language, as JSON or
// as steps.
func (w *stepWriter) init(r *Result, lang ssra.Lang, json bool) {
	w.json, w.zh = json, lang == ssra.LangZH
	w.sentences = &sentencesEN
	if w.zh {
		w.sentences = &sentencesZH
	}
	switch {
	case w.zh && json:
		w.words = &explainZHJSON
	case w.zh:
		w.words = &explainZH
	case json:
		w.words = &explainENJSON
	default:
		w.words = &explainEN
	}
	w.phrases.fill(&r.Rules, w.words)
}

// begin starts a step whose key is a literal.
func (w *stepWriter) begin(b []byte, key string) []byte {
	w.steps++
	if w.json {
		b = w.openJSON(b)
		b = append(b, key...)
		return append(b, `","text":"`...)
	}
	w.mark(len(b))
	if w.steps > len(w.out) {
		w.out = append(w.out, Step{})
	}
	w.out[w.steps-1].Key = key
	return b
}

// mark records the next bound of a step (steps mode).
func (w *stepWriter) mark(at int) {
	if w.nBounds < len(w.bounds) {
		w.bounds[w.nBounds] = int32(at)
	} else {
		w.moreBounds = append(w.moreBounds, int32(at))
	}
	w.nBounds++
}

// bound returns bound i.
func (w *stepWriter) bound(i int) int {
	if i < len(w.bounds) {
		return int(w.bounds[i])
	}
	return int(w.moreBounds[i-len(w.bounds)])
}

// beginFactor starts the step keyed "factor.<id>.initial" or
// "factor.<id>.residual".
func (w *stepWriter) beginFactor(b []byte, id string, residual bool) []byte {
	w.steps++
	if w.json {
		b = w.openJSON(b)
		b = append(b, "factor."...)
		at := len(b)
		b = appendJSONText(b, id)
		w.idAt, w.idEnd = at, len(b)
		if residual {
			return append(b, `.residual","text":"`...)
		}
		return append(b, `.initial","text":"`...)
	}
	b = append(b, "factor."...)
	b = append(b, id...)
	if residual {
		b = append(b, ".residual"...)
	} else {
		b = append(b, ".initial"...)
	}
	if w.steps > len(w.out) {
		w.out = append(w.out, Step{})
	}
	w.mark(len(b))
	return b
}

func (w *stepWriter) openJSON(b []byte) []byte {
	if w.steps > 1 {
		return append(b, `,{"key":"`...)
	}
	return append(b, `{"key":"`...)
}

// end ends the current step.
func (w *stepWriter) end(b []byte) []byte {
	if w.json {
		return append(b, '"', '}')
	}
	w.mark(len(b))
	return b
}

// str appends text that is not one of the package's words or sentences.
func (w *stepWriter) str(b []byte, s string) []byte {
	if w.json {
		return appendJSONText(b, s)
	}
	return append(b, s...)
}

// stepCount is the number of steps render writes for r.
func stepCount(r *Result) int {
	n := 2 + 2*len(r.Factors) + 6 + 2
	if r.Survey != nil {
		n++
	}
	return n
}

// explainWords are the literals of the factor and index steps in one
// language, and for JSON with the comparison signs escaped.
type explainWords struct {
	// before and after open a factor step after the factor's id.
	before, after string
	// A factor step: "... p (grade g) × impact i (grade g) = score s".
	gradeOpen, times, scoreIs string
	// A factor step decided by the matrix: "; matrix cell (p, i) has
	// degree D (…), so level l."
	matrixCell, cellComma, cellDegree, degreeOpen, soLevel, stop string
	// factor and index state how thresholds set the level.
	factor, index thresholdWords
	// beforeIndex and afterIndex name the two levels.
	beforeIndex, afterIndex string
}

// thresholdWords phrase how a value v stands against the thresholds:
// lowOpen v le low lowClose; mediumOpen low lt v le medium mediumClose;
// highOpen v gt medium highClose.
type thresholdWords struct {
	lowOpen, le, lowClose       string
	mediumOpen, lt, mediumClose string
	highOpen, gt, highClose     string
}

var explainEN = explainWords{
	before: " before measures: probability ", after: " after measures: probability ",
	gradeOpen: " (grade ", times: ") × impact ", scoreIs: ") = score ",
	matrixCell: "; matrix cell (", cellComma: ", ", cellDegree: ") has degree ",
	degreeOpen: " (", soLevel: "), so level ", stop: ".",
	factor: thresholdWords{
		lowOpen: "; score ", le: " ≤ ", lowClose: ", so level low.",
		mediumOpen: "; ", lt: " < score ", mediumClose: ", so level medium.",
		highOpen: "; score ", gt: " > ", highClose: ", so level high.",
	},
	index: thresholdWords{
		lowOpen: "R ", le: " ≤ ", lowClose: ", so level low.",
		mediumOpen: "", lt: " < R ", mediumClose: ", so level medium.",
		highOpen: "R ", gt: " > ", highClose: ", so level high.",
	},
	beforeIndex: "before measures", afterIndex: "after measures",
}

var explainZH = explainWords{
	before: " 采取措施前：发生概率 ", after: " 落实措施后：发生概率 ",
	gradeOpen: "（分值 ", times: "）× 影响程度 ", scoreIs: "）= 风险值 ",
	matrixCell: "；矩阵单元 (", cellComma: ", ", cellDegree: ") 的风险程度为 ",
	degreeOpen: "（", soLevel: "），故为", stop: "。",
	factor: thresholdWords{
		lowOpen: "；风险值 ", le: " ≤ ", lowClose: "，故为低风险。",
		mediumOpen: "；", lt: " < 风险值 ", mediumClose: "，故为中风险。",
		highOpen: "；风险值 ", gt: " > ", highClose: "，故为高风险。",
	},
	index: thresholdWords{
		lowOpen: "R ", le: " ≤ ", lowClose: "，故为低风险。",
		mediumOpen: "", lt: " < R ", mediumClose: "，故为中风险。",
		highOpen: "R ", gt: " > ", highClose: "，故为高风险。",
	},
	beforeIndex: "采取措施前", afterIndex: "落实措施后",
}

var explainENJSON, explainZHJSON = explainEN.escaped(), explainZH.escaped()

// escaped returns the words as they are written inside a JSON string.
func (ws explainWords) escaped() explainWords {
	for _, p := range []*string{&ws.before, &ws.after, &ws.gradeOpen, &ws.times, &ws.scoreIs,
		&ws.matrixCell, &ws.cellComma, &ws.cellDegree, &ws.degreeOpen, &ws.soLevel, &ws.stop,
		&ws.beforeIndex, &ws.afterIndex} {
		*p = string(appendJSONText(nil, *p))
	}
	ws.factor, ws.index = ws.factor.escaped(), ws.index.escaped()
	return ws
}

func (t thresholdWords) escaped() thresholdWords {
	for _, p := range []*string{&t.lowOpen, &t.le, &t.lowClose, &t.mediumOpen, &t.lt, &t.mediumClose,
		&t.highOpen, &t.gt, &t.highClose} {
		*p = string(appendJSONText(nil, *p))
	}
	return t
}

// degreeUpper holds the degree letters in capitals.
var degreeUpper = []string{"", "N", "L", "M", "H", "S"}

// render appends the explanation of r to b: the profile, the weights, each
// factor's score and level before and after measures, both indices with
// their rounding, the floor rules that applied, the survey's advisory
// reading, the decision with its reasons, and the precision policy.
func (r *Result) render(w *stepWriter, b []byte) []byte {
	b = r.renderProfile(w, b)
	b = r.renderWeights(w, b)
	for i := range r.Factors {
		f := &r.Factors[i]
		b = r.renderEstimate(w, b, i, &f.Initial, false)
		b = r.renderEstimate(w, b, i, &f.Residual, true)
	}
	b = r.renderLevel(w, b, &r.Initial, false)
	b = r.renderLevel(w, b, &r.Residual, true)
	if r.Survey != nil {
		b = r.renderSurvey(w, b)
	}
	return r.renderDecision(w, b)
}

// renderEstimate appends "<id> before measures: probability p (grade g) ×
// impact i (grade g) = score s; <level rule>." in the language.
func (r *Result) renderEstimate(w *stepWriter, b []byte, i int, x *EstimateResult, residual bool) []byte {
	id := r.Factors[i].ID
	ws := w.words
	b = w.beginFactor(b, id, residual)
	if w.json {
		b = append(b, b[w.idAt:w.idEnd]...)
	} else {
		b = append(b, id...)
	}
	if residual {
		b = append(b, ws.after...)
	} else {
		b = append(b, ws.before...)
	}
	b = w.point(b, w.phrases.probability[:], x.Probability, ws.times, r.Rules.ProbabilityGrades)
	b = w.point(b, w.phrases.impact[:], x.Impact, ws.scoreIs, r.Rules.ImpactGrades)
	at := len(b)
	if i < w.scores.n {
		k := 0
		if residual {
			k = 1
		}
		sp := w.scores.span[i][k]
		b = append(b, b[sp.at:sp.end]...)
	} else {
		b = appendDecimal(b, x.Score)
	}
	if x.DecidedBy != RuleMatrix {
		b = w.threshold(b, &ws.factor, &w.phrases.factor, x.Level, numRef{at: at, end: len(b)}, &r.Rules.FactorThresholds)
		return w.end(b)
	}
	b = append(b, ws.matrixCell...)
	b = appendInt(b, int64(x.Probability))
	b = append(b, ws.cellComma...)
	b = appendInt(b, int64(x.Impact))
	b = append(b, ws.cellDegree...)
	if x.Degree != DegreeNone && int(x.Degree) < len(degreeUpper) {
		b = append(b, degreeUpper[x.Degree]...)
	} else {
		b = w.str(b, strings.ToUpper(x.Degree.String()))
	}
	b = append(b, ws.degreeOpen...)
	b = w.str(b, x.Degree.Label().ZH)
	b = append(b, ws.soLevel...)
	if w.zh {
		b = w.str(b, x.Level.Label().ZH)
	} else {
		b = w.str(b, x.Level.String())
	}
	b = append(b, ws.stop...)
	return w.end(b)
}

// threshold appends how thresholds t put value v at level l.
func (w *stepWriter) threshold(b []byte, ws *thresholdWords, ps *thresholdPhrases, l Level, v numRef, t *Thresholds) []byte {
	switch l {
	case LevelLow:
		b = append(b, ws.lowOpen...)
		b = v.append(b)
		if ps.lowTail.end > 0 {
			return w.phrase(b, ps.lowTail)
		}
		b = append(b, ws.le...)
		b = appendDecimal(b, t.LowMax)
		return append(b, ws.lowClose...)
	case LevelMedium:
		if ps.mediumHead.end > 0 {
			b = w.phrase(b, ps.mediumHead)
		} else {
			b = append(b, ws.mediumOpen...)
			b = appendDecimal(b, t.LowMax)
			b = append(b, ws.lt...)
		}
		b = v.append(b)
		if ps.mediumTail.end > 0 {
			return w.phrase(b, ps.mediumTail)
		}
		b = append(b, ws.le...)
		b = appendDecimal(b, t.MediumMax)
		return append(b, ws.mediumClose...)
	}
	b = append(b, ws.highOpen...)
	b = v.append(b)
	if ps.highTail.end > 0 {
		return w.phrase(b, ps.highTail)
	}
	b = append(b, ws.gt...)
	b = appendDecimal(b, t.MediumMax)
	return append(b, ws.highClose...)
}
