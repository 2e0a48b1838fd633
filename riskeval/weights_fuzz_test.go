package riskeval_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// checkTyped fails unless err is nil or an *ssra.Error.
func checkTyped(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var se *ssra.Error
	if !errors.As(err, &se) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
}

// FuzzDecodeAHPInput: decoding and evaluating arbitrary bytes never panics,
// every error is an *ssra.Error, and a decode error is KindInvalid.
func FuzzDecodeAHPInput(f *testing.F) {
	for _, s := range []string{
		`{"matrix": [[1, 3], ["1/3", 1]]}`,
		`{"matrix": [[1, "3", 5], ["1/3", 1, "3"], [0.2, "1/3", 1]], "method": "geometric_mean", "ri_table": "cn_textbook"}`,
		`{"matrix": [[1, "1/0"], [1, 1]]}`,
		`{"matrix": [[1, "9"], ["1/9", 1]], "method": "eigenvector"}`,
		`{"matrix": [[1, 1e400], [1, 1]]}`,
		`{"matrix": [[1, "-2/3"], ["1.5", 1]]}`,
		`{"matrix": [[]]}`,
		`{"matrix": null}`,
		`{"matrix": [[1, 2], [0.5, 1]], "ri_table": "SAATY"}`,
		`[]`,
		``,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := riskeval.DecodeAHPInput(data)
		if err != nil {
			checkTyped(t, err)
			if ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("decode error of kind %v: %v", ssra.KindOf(err), err)
			}
			return
		}
		res, err := riskeval.AHP(in)
		checkTyped(t, err)
		if err != nil && ssra.KindOf(err) != ssra.KindInvalid {
			t.Fatalf("AHP error of kind %v: %v", ssra.KindOf(err), err)
		}
		if err == nil {
			if _, err := json.Marshal(res); err != nil {
				t.Fatalf("result does not marshal: %v", err)
			}
		}
	})
}

// FuzzPairwiseMatrixJSON: the matrix's own JSON decoder never panics and
// returns typed errors.
func FuzzPairwiseMatrixJSON(f *testing.F) {
	for _, s := range []string{`[[1]]`, `[[1, "1/3"], [3, 1]]`, `[[1, "x"]]`, `[1]`, `{}`, `[[1, "1/3/3"]]`, `[["  2 "]]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var m riskeval.PairwiseMatrix
		err := json.Unmarshal(data, &m)
		var se *ssra.Error
		var syn *json.SyntaxError
		var typ *json.UnmarshalTypeError
		if err != nil && !errors.As(err, &se) && !errors.As(err, &syn) && !errors.As(err, &typ) {
			t.Fatalf("unexpected error %T: %v", err, err)
		}
		if err == nil {
			_ = m.Validate()
		}
	})
}

// FuzzDecodeFuzzyInput: decoding and evaluating arbitrary bytes never
// panics, every error is an *ssra.Error, and a decode error is KindInvalid.
func FuzzDecodeFuzzyInput(f *testing.F) {
	for _, s := range []string{
		`{"weights": ["0.6", 0.4], "membership": [[0.5, "0.5"], [0.2, 0.8]], "grades": ["low", "high"], "grade_scores": [1, 5], "operator": "min_max"}`,
		`{"weights": [1], "membership": [[1, 0, 0]], "grades": ["a", "b", "c"], "operator": "product_max"}`,
		`{"weights": [0.5, 0.5], "membership": [[1, 0], [0, 1]], "grades": ["a", "b"]}`,
		`{"weights": [1], "membership": [[2]], "grades": ["a"]}`,
		`{"weights": [1e30], "membership": [[1]], "grades": ["a"]}`,
		`{"weights": [], "membership": [], "grades": []}`,
		`{"weights": [1], "membership": [[1]], "grades": ["a"], "operator": 1}`,
		`null`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := riskeval.DecodeFuzzyInput(data)
		if err != nil {
			checkTyped(t, err)
			if ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("decode error of kind %v: %v", ssra.KindOf(err), err)
			}
			return
		}
		res, err := riskeval.Fuzzy(in)
		checkTyped(t, err)
		if err != nil && ssra.KindOf(err) != ssra.KindInvalid {
			t.Fatalf("Fuzzy error of kind %v: %v", ssra.KindOf(err), err)
		}
		if err == nil && !sum(res.Vector).Equal(dec("1")) {
			t.Fatalf("vector %v does not sum to 1", res.Vector)
		}
	})
}

// FuzzDecodeFuzzyTreeInput covers the multi-level decoder the same way.
func FuzzDecodeFuzzyTreeInput(f *testing.F) {
	for _, s := range []string{
		`{"grades": ["low", "high"], "root": {"id": "o", "children": [{"id": "a", "weight": 1, "membership": [0.3, 0.7]}]}}`,
		`{"grades": ["low", "high"], "root": {"id": "o", "children": [{"id": "a", "weight": 0.5, "children": [{"id": "x", "weight": 1, "membership": [1, 0]}]}, {"id": "b", "weight": 0.5, "membership": [0, 1]}]}}`,
		`{"grades": ["a"], "root": {"id": "o"}}`,
		`{"root": {"children": [{}]}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := riskeval.DecodeFuzzyTreeInput(data)
		if err != nil {
			checkTyped(t, err)
			return
		}
		_, err = riskeval.FuzzyMultiLevel(in)
		checkTyped(t, err)
		if err != nil && ssra.KindOf(err) != ssra.KindInvalid {
			t.Fatalf("error of kind %v: %v", ssra.KindOf(err), err)
		}
	})
}

// FuzzDecodeEntropyInput covers the entropy decoder and computation.
func FuzzDecodeEntropyInput(f *testing.F) {
	for _, s := range []string{
		`{"data": [[1, "2.5"], ["3", 4]], "directions": ["benefit", "cost"]}`,
		`{"data": [[1, 2], [1, 3], [1, 4]], "directions": ["benefit", "benefit"]}`,
		`{"data": [[-1e17], [1e17]], "directions": ["cost"]}`,
		`{"data": [[0.000000000000000001], [0]], "directions": ["benefit"]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in, err := riskeval.DecodeEntropyInput(data)
		if err != nil {
			checkTyped(t, err)
			return
		}
		res, err := riskeval.EntropyWeights(in)
		checkTyped(t, err)
		if err != nil && ssra.KindOf(err) != ssra.KindInvalid {
			t.Fatalf("error of kind %v: %v", ssra.KindOf(err), err)
		}
		if err == nil && !sum(res.Weights).Equal(dec("1")) {
			t.Fatalf("weights %v do not sum to 1", res.Weights)
		}
	})
}

// FuzzDecodeAHPHierarchyInput covers the hierarchy and group decoders.
func FuzzDecodeAHPHierarchyInput(f *testing.F) {
	for _, s := range []string{
		`{"root": {"id": "goal", "matrix": [[1, 3], ["1/3", 1]], "children": [{"id": "a"}, {"id": "b"}]}}`,
		`{"root": {"id": "g", "matrix": [[1]], "children": [{"id": "a", "matrix": [[1, 2], [0.5, 1]], "children": [{"id": "x"}, {"id": "x"}]}]}, "method": "geometric_mean"}`,
		`{"root": {"id": "g", "children": [{"id": "g"}]}}`,
		`{"matrices": [[[1, 2], ["1/2", 1]], [[1, 3], ["1/3", 1]]]}`,
		`{"root": null}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if in, err := riskeval.DecodeAHPHierarchyInput(data); err != nil {
			checkTyped(t, err)
		} else {
			_, err := riskeval.AHPHierarchy(in)
			checkTyped(t, err)
			if err != nil && ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("hierarchy error of kind %v: %v", ssra.KindOf(err), err)
			}
		}
		if in, err := riskeval.DecodeAHPGroupInput(data); err != nil {
			checkTyped(t, err)
		} else {
			_, err := riskeval.AHPGroup(in)
			checkTyped(t, err)
			if err != nil && ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("group error of kind %v: %v", ssra.KindOf(err), err)
			}
		}
	})
}
