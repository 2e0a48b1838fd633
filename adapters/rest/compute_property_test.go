package rest_test

import (
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/riskeval"
)

// TestPropertyAHPOverHTTP: for random priority vectors written as
// consistent matrices of exact fractions, the endpoint answers 200 with
// weights that sum to exactly 1 and CR 0, whatever the method and table.
func TestPropertyAHPOverHTTP(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	rnd := rand.New(rand.NewPCG(6, 2026))
	methods := []string{"eigenvector", "geometric_mean"}
	tables := []string{"saaty", "cn_textbook"}
	for i := range 200 {
		n := 1 + rnd.IntN(riskeval.AHPMaxOrder)
		w := make([]decimal.Decimal, n)
		for j := range w {
			w[j] = decimal.NewFromInt(int64(1 + rnd.IntN(9))) // ratios stay within 1/9..9
		}
		m, err := riskeval.AHPConsistentMatrix(w)
		if err != nil {
			t.Fatal(err)
		}
		body, err := json.Marshal(map[string]any{"matrix": m, "method": methods[i%2], "ri_table": tables[(i/2)%2]})
		if err != nil {
			t.Fatal(err)
		}
		rec := call(t, s, "POST", "/v1/riskeval/ahp", adminKey, string(body))
		if rec.Code != 200 {
			t.Fatalf("case %d (n=%d): %d %s", i, n, rec.Code, rec.Body)
		}
		var res struct {
			Weights    []decimal.Decimal `json:"weights"`
			CR         decimal.Decimal   `json:"cr"`
			Consistent bool              `json:"consistent"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		for _, x := range res.Weights {
			sum = sum.Add(x)
		}
		if len(res.Weights) != n || !sum.Equal(decimal.NewFromInt(1)) || !res.CR.IsZero() || !res.Consistent {
			t.Fatalf("case %d (n=%d, %s): weights %v sum %s, CR %s", i, n, methods[i%2], res.Weights, sum, res.CR)
		}
	}
}

// TestComputeConcurrent: the shared presets give every concurrent request
// the same answer (run with -race).
func TestComputeConcurrent(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	bodies := []string{evaluateBody(5, `,"profile":"textbook5x5"`), evaluateBody(4, ""), rankBody, scoreBody}
	paths := []string{"/v1/riskeval/evaluate", "/v1/riskeval/evaluate", "/v1/appraisal/rank", "/v1/appraisal/score"}
	want := make([]string, len(bodies))
	for i := range bodies {
		want[i] = do(s, "POST", paths[i], adminKey, strings.NewReader(bodies[i]), "Content-Type", "application/json").Body.String()
	}
	errs := make(chan string, 64)
	done := make(chan struct{})
	for g := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := range 10 {
				i := (g + j) % len(bodies)
				got := do(s, "POST", paths[i], adminKey, strings.NewReader(bodies[i]), "Content-Type", "application/json").Body.String()
				if got != want[i] {
					errs <- paths[i]
					return
				}
			}
		}()
	}
	for range 8 {
		<-done
	}
	close(errs)
	for p := range errs {
		t.Errorf("%s: a concurrent answer differs", p)
	}
}
