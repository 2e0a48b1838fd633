package riskeval

// MarshalJSONReflect exposes the encoding/json form of a result to the
// external tests.
func MarshalJSONReflect(r Result) ([]byte, error) { return r.marshalJSONReflect() }
