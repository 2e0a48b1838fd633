package rest

import (
	"encoding"
	"strconv"

	"github.com/ssra-go/ssra/internal/jsonenc"
	"github.com/ssra-go/ssra/riskeval"
)

// encodeResult writes r as r.MarshalJSON does, byte for byte
// (TestEncodeResultIsMarshalJSON holds it so). The factors and the
// explanation, nine tenths of an evaluation's answer, are written here
// member by member; every other member is encoded by jsonenc.Marshal. This
// hand path stays because it keeps POST /v1/riskeval/evaluate more than
// 1.5× faster than answering with r.MarshalJSON (BenchmarkEvaluate/server,
// both measured in the same run).
func encodeResult(r riskeval.Result) ([]byte, error) {
	w := resultWriter{b: make([]byte, 0, 2048+800*len(r.Factors))}
	w.b = append(w.b, '{')
	w.member("profile", r.Profile)
	w.member("regime", r.Regime)
	w.name("factors")
	if r.Factors == nil {
		w.b = append(w.b, "null"...)
	} else {
		w.factors(r.Factors)
	}
	w.member("weights", r.Weights)
	w.member("initial", r.Initial)
	w.member("residual", r.Residual)
	if r.Survey != nil {
		w.member("survey", r.Survey)
	}
	if r.Panel != nil {
		w.member("panel", r.Panel)
	}
	w.member("decision", r.Decision)
	w.member("warnings", r.Warnings)
	w.member("rules", r.Rules)
	w.name("explanation")
	w.b = append(w.b, '[')
	for i, s := range r.Explain() {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = append(w.b, `{"key":`...)
		w.b = jsonenc.AppendString(w.b, s.Key)
		w.b = append(w.b, `,"text":`...)
		w.b = append(jsonenc.AppendString(w.b, s.Text), '}')
	}
	w.b = append(w.b, "]}"...)
	return w.b, w.err
}

func (w *resultWriter) factors(fs []riskeval.FactorResult) {
	w.b = append(w.b, '[')
	for i, f := range fs {
		if i > 0 {
			w.b = append(w.b, ',')
		}
		w.b = append(w.b, `{"id":`...)
		w.b = jsonenc.AppendString(w.b, f.ID)
		w.b = append(w.b, `,"area":`...)
		w.text(f.Area)
		w.b = append(w.b, `,"weight":"`...)
		w.b = append(jsonenc.AppendDecimal(w.b, f.Weight), `","initial":`...)
		w.estimate(f.Initial)
		w.b = append(w.b, `,"residual":`...)
		w.estimate(f.Residual)
		w.b = append(w.b, '}')
	}
	w.b = append(w.b, ']')
}

// resultWriter appends a JSON object's members and keeps the first error.
type resultWriter struct {
	b   []byte
	err error
}

// name starts the member name: a comma unless it is the first member.
func (w *resultWriter) name(n string) {
	if w.b[len(w.b)-1] != '{' {
		w.b = append(w.b, ',')
	}
	w.b = append(jsonenc.AppendString(w.b, n), ':')
}

// member appends the member name: v, v encoded by jsonenc.Marshal.
func (w *resultWriter) member(n string, v any) {
	w.name(n)
	raw, err := jsonenc.Marshal(v)
	if err != nil && w.err == nil {
		w.err = err
	}
	w.b = append(w.b, raw...)
}

// text appends v's text as a JSON string (the names of closed sets need
// no escaping).
func (w *resultWriter) text(v encoding.TextAppender) {
	w.b = append(w.b, '"')
	b, err := v.AppendText(w.b)
	if err != nil && w.err == nil {
		w.err = err
	}
	w.b = append(b, '"')
}

func (w *resultWriter) estimate(e riskeval.EstimateResult) {
	w.b = append(w.b, `{"score":"`...)
	w.b = append(jsonenc.AppendDecimal(w.b, e.Score), `","probability":`...)
	w.b = append(strconv.AppendInt(w.b, int64(e.Probability), 10), `,"impact":`...)
	w.b = strconv.AppendInt(w.b, int64(e.Impact), 10)
	if e.Degree != riskeval.DegreeNone {
		w.b = append(w.b, `,"degree":`...)
		w.text(e.Degree)
	}
	w.b = append(w.b, `,"level":`...)
	w.text(e.Level)
	w.b = append(w.b, `,"decided_by":`...)
	w.text(e.DecidedBy)
	w.b = append(w.b, '}')
}
