package riskeval

import (
	"github.com/shopspring/decimal"
)

// phraseCache holds, for one explanation, the phrases every factor step
// repeats with the numbers of the result's rules in them: a scale point
// with its grade ("3 (grade 0.6) × impact ") and the threshold phrases
// (" ≤ 0.36, so level low."). They are written once per explanation
// instead of once per step. A phrase that does not fit has an empty span
// and is written piece by piece each time.
type phraseCache struct {
	text                [1024]byte
	used                int
	probability, impact [9]phraseSpan
	factor, index       thresholdPhrases
}

// phraseSpan is text[start:end] of a phraseCache; end is 0 when the phrase
// is not cached.
type phraseSpan struct{ start, end uint16 }

// thresholdPhrases are the parts of a threshold sentence around the value
// (see thresholdWords): le low lowClose; mediumOpen low lt; le medium
// mediumClose; gt medium highClose.
type thresholdPhrases struct {
	lowTail, mediumHead, mediumTail, highTail phraseSpan
}

// fill writes the phrases of the rules r in the words ws.
func (c *phraseCache) fill(r *AppliedRules, ws *explainWords) {
	for i := 0; i < len(r.ProbabilityGrades) && i < len(c.probability); i++ {
		c.probability[i] = c.point(i+1, ws.gradeOpen, r.ProbabilityGrades[i], ws.times)
	}
	for i := 0; i < len(r.ImpactGrades) && i < len(c.impact); i++ {
		c.impact[i] = c.point(i+1, ws.gradeOpen, r.ImpactGrades[i], ws.scoreIs)
	}
	c.factor = c.thresholds(&ws.factor, &r.FactorThresholds)
	c.index = c.thresholds(&ws.index, &r.IndexThresholds)
}

// point writes "<point><open><grade><close>".
func (c *phraseCache) point(point int, open string, grade decimal.Decimal, close string) phraseSpan {
	t := appendInt(c.text[c.used:c.used], int64(point))
	t = append(t, open...)
	t = appendDecimal(t, grade)
	return c.keep(append(t, close...))
}

func (c *phraseCache) thresholds(ws *thresholdWords, t *Thresholds) thresholdPhrases {
	return thresholdPhrases{
		lowTail:    c.words(ws.le, t.LowMax, ws.lowClose),
		mediumHead: c.words(ws.mediumOpen, t.LowMax, ws.lt),
		mediumTail: c.words(ws.le, t.MediumMax, ws.mediumClose),
		highTail:   c.words(ws.gt, t.MediumMax, ws.highClose),
	}
}

// words writes "<open><d><close>".
func (c *phraseCache) words(open string, d decimal.Decimal, close string) phraseSpan {
	t := append(c.text[c.used:c.used], open...)
	t = appendDecimal(t, d)
	return c.keep(append(t, close...))
}

// keep records the phrase t just written at text[used:], unless it did not
// fit (and was written elsewhere).
func (c *phraseCache) keep(t []byte) phraseSpan {
	if len(t) > len(c.text)-c.used {
		return phraseSpan{}
	}
	sp := phraseSpan{uint16(c.used), uint16(c.used + len(t))}
	c.used += len(t)
	return sp
}

// phrase appends a cached phrase.
func (w *stepWriter) phrase(b []byte, sp phraseSpan) []byte {
	return append(b, w.phrases.text[sp.start:sp.end]...)
}

// point appends "<point> (grade <g>)" and the words that follow, from the
// cache when the phrase is there.
func (w *stepWriter) point(b []byte, cached []phraseSpan, point int, close string, grades []decimal.Decimal) []byte {
	if point >= 1 && point <= len(cached) && cached[point-1].end > 0 {
		return w.phrase(b, cached[point-1])
	}
	b = appendInt(b, int64(point))
	b = append(b, w.words.gradeOpen...)
	if point < 1 || point > len(grades) {
		b = append(b, '?')
	} else {
		b = appendDecimal(b, grades[point-1])
	}
	return append(b, close...)
}

// numRef is a number to write: text earlier in the output (end > 0), or
// else the decimal d.
type numRef struct {
	at, end int
	d       decimal.Decimal
}

// append appends the number to b.
func (n numRef) append(b []byte) []byte {
	if n.end > 0 {
		return append(b, b[n.at:n.end]...)
	}
	return appendDecimal(b, n.d)
}
