package riskeval

import (
	"encoding/json"
	"fmt"

	"github.com/ssra-go/ssra"
)

// Step is one line of an explanation: a stable key naming the rule or
// computation (for example "index.residual" or "ahp.cr"), and a sentence a
// person can check by hand.
type Step struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// Explanation is the ordered list of steps that produced a result.
type Explanation []Step

// Addf appends a step.
func (e *Explanation) Addf(key, format string, args ...any) {
	*e = append(*e, Step{Key: key, Text: fmt.Sprintf(format, args...)})
}

// Explain renders the result in English as steps a person can check by
// hand; see ExplainIn.
func (r Result) Explain() Explanation { return r.ExplainIn(ssra.LangEN) }

// ExplainIn renders the result in the given language as steps a person can
// check by hand: the profile, the weights, each factor's score and level
// before and after measures, both indices with their rounding, the floor
// rules that applied, the survey's advisory reading, the decision with its
// reasons, and the precision policy. The keys are the same in every
// language. The JSON form of a Result carries the English explanation.
func (r Result) ExplainIn(lang ssra.Lang) Explanation {
	var w stepWriter
	w.init(&r, lang, false)
	n := stepCount(&r)
	w.out = make(Explanation, n)
	if 2*n > len(w.bounds) {
		w.moreBounds = make([]int32, 0, 2*n-len(w.bounds))
	}
	// The text is rendered on the stack when it fits, then copied once
	// into the string every key and text is sliced from.
	var stack [16 << 10]byte
	b := stack[:0]
	if n := explainSize(&r, w.zh); n > len(stack) {
		b = make([]byte, 0, n)
	}
	all := string(r.render(&w, b))
	e := w.out[:w.steps]
	prev := 0
	for k := range e {
		start, end := w.bound(2*k), w.bound(2*k+1)
		if e[k].Key == "" {
			e[k].Key = all[prev:start]
		}
		e[k].Text = all[start:end]
		prev = end
	}
	return e
}

// MarshalJSON encodes the result with its English explanation. The
// encoding is written by hand (result_json.go) because a result is encoded
// on every evaluation the REST adapter serves; a test keeps it identical,
// byte for byte, to what encoding/json makes of the same fields.
func (r Result) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(make([]byte, 0, jsonSize(&r)))
}

// marshalJSONReflect is the encoding/json form that AppendJSON reproduces.
func (r Result) marshalJSONReflect() ([]byte, error) {
	type plain Result
	return json.Marshal(struct {
		plain
		Explanation Explanation `json:"explanation"`
	}{plain(r), r.Explain()})
}
