package rest_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ssra-go/ssra/adapters/rest"
)

// POST /v1/riskeval/sensitivity answers the margins, each factor's moves,
// the level distribution of a rated factor and the margin sentence in both
// languages; the Monte Carlo seed and sample count are the caller's.
func TestSensitivityRoute(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	rated := `"residual":{"ratings":[{"member":"E1","probability":2,"impact":3},{"member":"E2","probability":3,"impact":3},{"member":"E3","probability":2,"impact":4}]}`
	body := strings.Replace(evaluateBody(2, ""), `"residual":{"probability":2,"impact":1}`, rated, 1)
	if body == evaluateBody(2, "") {
		t.Fatalf("the body has no residual to replace: %s", body)
	}
	rec := call(t, s, "POST", "/v1/riskeval/sensitivity", adminKey, body)
	if rec.Code != 200 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	var res struct {
		Residual struct {
			Index, Nearest string
		}
		Factors []struct {
			ID    string
			Moves []struct{ Kind string }
		}
		Distribution struct {
			Method string
			Levels []struct{ Level, Share string }
		}
		MarginSentence struct {
			ZH string `json:"zh-CN"`
			EN string `json:"en"`
		} `json:"margin_sentence"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	if res.Residual.Index == "" || len(res.Factors) != 2 || len(res.Factors[0].Moves) != 6 || res.Distribution.Method != "exact" || len(res.Distribution.Levels) != 3 {
		t.Fatalf("result: %s", rec.Body)
	}
	if !strings.Contains(res.MarginSentence.EN, res.Residual.Index) || !strings.Contains(res.MarginSentence.ZH, "综合风险指数") {
		t.Fatalf("margin sentence: %+v", res.MarginSentence)
	}
	bad := call(t, s, "POST", "/v1/riskeval/sensitivity", adminKey, strings.Replace(body, `"member":"E2","probability":3`, `"member":"E2","probability":9`, 1))
	if bad.Code != 422 || !strings.Contains(bad.Body.String(), "factors[0].residual.ratings[1].probability") {
		t.Fatalf("a rating off the scale: %d %s", bad.Code, bad.Body)
	}
	few := call(t, s, "POST", "/v1/riskeval/sensitivity", adminKey, strings.Replace(body, `"regime"`, `"samples":5,"regime"`, 1))
	if few.Code != 400 && few.Code != 422 {
		t.Fatalf("5 samples: %d %s", few.Code, few.Body)
	}
}
