package riskeval

import "github.com/ssra-go/ssra"

// MarshalJSONReflect exposes the encoding/json form of a result to the
// external tests.
func MarshalJSONReflect(r Result) ([]byte, error) { return r.marshalJSONReflect() }

// AppendExplanationJSON exposes the JSON form of an explanation in any
// language to the external tests.
func AppendExplanationJSON(r Result, b []byte, lang ssra.Lang) []byte {
	var w stepWriter
	w.init(&r, lang, true)
	return r.appendSteps(&w, b)
}
