package rest

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestMembersPresentNeverHidesAMissingMember: the decoded value answers
// for the walk of the body only when the walk would find nothing. The
// evaluate body, and every body made from it by cutting one member
// anywhere or setting one to zero, is checked both ways: a body the fast
// check passes must pass the walk, and the full body takes the fast path.
func TestMembersPresentNeverHidesAMissingMember(t *testing.T) {
	n := requestNode("POST", "/v1/riskeval/evaluate")
	if n == nil {
		t.Fatal("the evaluate route has no required members")
	}
	var full evaluateRequest
	if err := decodeBytes([]byte(evaluateBodyForTest), &full); err != nil {
		t.Fatal(err)
	}
	if !membersPresent(n, &full) {
		t.Fatal("the full evaluate body does not take the fast path")
	}
	var doc any
	if err := json.Unmarshal([]byte(evaluateBodyForTest), &doc); err != nil {
		t.Fatal(err)
	}
	refused := 0
	for _, body := range variants(doc) {
		var req evaluateRequest
		if decodeBytes(body, &req) != nil {
			continue
		}
		walk := walkRequired(n, body)
		if walk != nil {
			refused++
		}
		if membersPresent(n, &req) && walk != nil {
			t.Fatalf("the decoded value passes a body the walk refuses (%v): %s", walk, body)
		}
	}
	if refused < 5 {
		t.Fatalf("only %d variants lack a required member: the test checks little", refused)
	}
}

// variants returns doc encoded once for each member cut out of it and for
// each member set to a zero value (0, "", false), wherever it sits.
func variants(doc any) [][]byte {
	var out [][]byte
	var visit func(v any)
	visit = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, old := range v {
				delete(v, k)
				out = append(out, mustJSON(doc))
				for _, zero := range []any{0, "", false} {
					v[k] = zero
					out = append(out, mustJSON(doc))
				}
				v[k] = old
				visit(old)
			}
		case []any:
			for _, e := range v {
				visit(e)
			}
		}
	}
	visit(doc)
	return out
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// TestZeroTargetOnlyTrustsAFreshValue: a value that held something before
// the decode (a caller's defaults) cannot answer for the members the body
// held, since the decoder merges into it; only a zero value may take the
// fast path, so a body without a required member is still refused.
func TestZeroTargetOnlyTrustsAFreshValue(t *testing.T) {
	var full evaluateRequest
	if err := decodeBytes([]byte(evaluateBodyForTest), &full); err != nil {
		t.Fatal(err)
	}
	var fresh evaluateRequest
	if zeroTarget(&fresh) == nil {
		t.Fatal("a zero value is not trusted")
	}
	prefilled := full
	if zeroTarget(&prefilled) != nil {
		t.Fatal("a value holding defaults is trusted")
	}
	if zeroTarget(nil) != nil || zeroTarget(full) != nil {
		t.Fatal("a nil or non-pointer target is trusted")
	}
	// With the defaults in place, a body of no members decodes to the full
	// value: the decoded value would pass, and only the walk refuses.
	n := requestNode("POST", "/v1/riskeval/evaluate")
	if err := decodeBytes([]byte(`{}`), &prefilled); err != nil {
		t.Fatal(err)
	}
	if !membersPresent(n, &prefilled) {
		t.Fatal("the merged value no longer shows its members: the test checks nothing")
	}
	if walkRequired(n, []byte(`{}`)) == nil {
		t.Fatal("the walk passes an empty evaluate body")
	}
	// decodeJSON, given the caller's defaults, still refuses the body.
	c := echo.New().NewContext(httptest.NewRequest("POST", "/v1/riskeval/evaluate", strings.NewReader(`{}`)), httptest.NewRecorder())
	c.SetPath("/v1/riskeval/evaluate")
	defaults := full
	if err := decodeJSON(c, &defaults); err == nil {
		t.Fatal("decodeJSON into a value holding defaults passed a body without the required members")
	}
}
