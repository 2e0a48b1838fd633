// Command restclient calls a running ssrad over HTTP: it evaluates a
// two-factor assessment under the practice profile and derives AHP weights
// from a pairwise matrix with fractions, and prints both results. Errors
// are RFC 9457 problems; it prints each bad field with its path.
//
//	SSRA_URL=http://127.0.0.1:8080 SSRA_KEY=ssra_… go run ./examples/restclient
//
// With the keys of three users of one organisation, an assessor, a
// reviewer (another person: the writer never reviews) and a decision
// maker, it also drives a stored assessment through its workflow: create,
// submit, start review, issue, and the decision body's decision through
// the approval gate, then prints the first lines of the report.
//
//	SSRA_ASSESSOR_KEY=… SSRA_REVIEWER_KEY=… SSRA_DECIDER_KEY=… go run ./examples/restclient
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"text/tabwriter"
	"time"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "restclient:", err)
		os.Exit(1)
	}
}

// client calls the API with a key.
type client struct {
	base string
	key  string
	http *http.Client
}

// problem is an RFC 9457 problem body.
type problem struct {
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	Errors []struct {
		Code    string `json:"code"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
}

func (p *problem) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s: %s", p.Status, p.Title, p.Detail)
	for _, e := range p.Errors {
		fmt.Fprintf(&b, "\n  %s: %s (%s)", e.Field, e.Message, e.Code)
	}
	return b.String()
}

// post sends body as JSON to path and decodes a 200 answer into out.
func (c client) post(path string, body, out any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	req, err := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+c.key)
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("POST %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		p := &problem{Status: resp.StatusCode}
		if json.Unmarshal(data, p) != nil {
			return fmt.Errorf("POST %s: %s", path, resp.Status)
		}
		return fmt.Errorf("POST %s: %w", path, p)
	}
	return json.Unmarshal(data, out)
}

type label struct {
	ZH string `json:"zh-CN"`
	EN string `json:"en"`
}

type estimate struct {
	Score string `json:"score"`
	Level string `json:"level"`
}

type levelResult struct {
	Index string `json:"index"`
	Level string `json:"level"`
}

// evaluation is the part of the evaluate answer printed here.
type evaluation struct {
	Profile struct{ Name, Version string } `json:"profile"`
	Factors []struct {
		ID       string   `json:"id"`
		Weight   string   `json:"weight"`
		Initial  estimate `json:"initial"`
		Residual estimate `json:"residual"`
	} `json:"factors"`
	Initial  levelResult `json:"initial"`
	Residual levelResult `json:"residual"`
	Decision struct {
		Outcome string  `json:"outcome"`
		Reasons []label `json:"reasons"`
	} `json:"decision"`
	Warnings []struct{ Field, Message string } `json:"warnings"`
}

// ahpResult is the AHP answer.
type ahpResult struct {
	Weights    []string `json:"weights"`
	LambdaMax  string   `json:"lambda_max"`
	CI         string   `json:"ci"`
	RI         string   `json:"ri"`
	CR         string   `json:"cr"`
	Consistent bool     `json:"consistent"`
	Method     string   `json:"method"`
}

func run() error {
	c := client{base: strings.TrimRight(os.Getenv("SSRA_URL"), "/"), key: os.Getenv("SSRA_KEY"), http: &http.Client{Timeout: 10 * time.Second}}
	if c.base == "" {
		c.base = "http://127.0.0.1:8080"
	}
	if c.key == "" {
		return errors.New("set SSRA_KEY to an API key (ssrad prints one at first start)")
	}

	// An assessment as JSON: decimals as strings, dates as YYYY-MM-DD.
	assessment := map[string]any{
		"subject": map[string]any{"kind": "project", "name": "district heating plant", "responsible_unit": "city utilities"},
		"regime":  "ndrc2012_project",
		"factors": []map[string]any{
			{"id": "F1", "area": "land_expropriation", "name": "compensation standard", "weight": "0.6",
				"initial": map[string]int{"probability": 4, "impact": 4}, "residual": map[string]int{"probability": 2, "impact": 3},
				"measures": []map[string]string{{"id": "M1", "description": "raise compensation to the neighbouring county's standard", "owner": "land bureau", "due": "2027-03-31"}}},
			{"id": "F2", "area": "ecological_environment", "name": "emissions", "weight": "0.4",
				"initial": map[string]int{"probability": 3, "impact": 5}, "residual": map[string]int{"probability": 2, "impact": 4},
				"measures": []map[string]string{{"id": "M2", "description": "publish emission data in real time", "owner": "operator", "due": "2027-12-31"}}},
		},
		"survey":  map[string]any{"frame": "households within 3 km", "distributed": 400, "support": 250, "neutral": 80, "oppose": 50},
		"profile": "practice",
	}
	var ev evaluation
	if err := c.post("/v1/riskeval/evaluate", assessment, &ev); err != nil {
		return err
	}
	fmt.Printf("Evaluation under profile %s v%s\n\n", ev.Profile.Name, ev.Profile.Version)
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "factor\tweight\tbefore\t\tafter\t")
	for _, f := range ev.Factors {
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", f.ID, f.Weight, f.Initial.Score, f.Initial.Level, f.Residual.Score, f.Residual.Level)
	}
	fmt.Fprintf(w, "index\t\t%s\t%s\t%s\t%s\n", ev.Initial.Index, ev.Initial.Level, ev.Residual.Index, ev.Residual.Level)
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Printf("\nDecision: %s\n", ev.Decision.Outcome)
	for _, r := range ev.Decision.Reasons {
		fmt.Printf("  %s\n  %s\n", r.ZH, r.EN)
	}
	for _, wn := range ev.Warnings {
		fmt.Printf("Warning at %s: %s\n", wn.Field, wn.Message)
	}

	// AHP: judgments as numbers or exact fractions.
	var ahp ahpResult
	matrix := [][]any{{1, 3, 5}, {"1/3", 1, 2}, {"1/5", "1/2", 1}}
	if err := c.post("/v1/riskeval/ahp", map[string]any{"matrix": matrix}, &ahp); err != nil {
		return err
	}
	fmt.Printf("\nAHP (%s): weights %s\n", ahp.Method, strings.Join(ahp.Weights, ", "))
	fmt.Printf("λmax %s, CI %s, RI %s, CR %s, consistent %v\n", ahp.LambdaMax, ahp.CI, ahp.RI, ahp.CR, ahp.Consistent)

	// A matrix that is not reciprocal: the server names the cell.
	bad := [][]any{{1, 3}, {"0.3", 1}}
	if err := c.post("/v1/riskeval/ahp", map[string]any{"matrix": bad}, &ahp); err != nil {
		fmt.Printf("\nAs expected, a matrix that is not reciprocal is refused:\n%v\n", err)
	}

	keys := map[string]string{"assessor": os.Getenv("SSRA_ASSESSOR_KEY"), "reviewer": os.Getenv("SSRA_REVIEWER_KEY"), "decider": os.Getenv("SSRA_DECIDER_KEY")}
	if keys["assessor"] == "" || keys["reviewer"] == "" || keys["decider"] == "" {
		fmt.Println("\nSet SSRA_ASSESSOR_KEY, SSRA_REVIEWER_KEY and SSRA_DECIDER_KEY to drive the stored workflow too.")
		return nil
	}
	delete(assessment, "profile")
	return workflow(c, keys, assessment)
}

// call sends a request with a key and an optional If-Match, and returns
// the status, the ETag and the body; a problem is returned as an error.
func (c client) call(method, path, key, ifMatch string, body any) (string, []byte, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return "", nil, err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		return "", nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	resp, err := c.http.Do(req)
	if err != nil {
		return "", nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return "", nil, fmt.Errorf("%s %s: %w", method, path, err)
	}
	if resp.StatusCode >= 300 {
		p := &problem{Status: resp.StatusCode}
		if json.Unmarshal(data, p) != nil {
			return "", nil, fmt.Errorf("%s %s: %s", method, path, resp.Status)
		}
		return "", nil, fmt.Errorf("%s %s: %w", method, path, p)
	}
	return resp.Header.Get("ETag"), data, nil
}

// workflow takes a stored assessment from draft to the decision.
func workflow(c client, keys map[string]string, assessment map[string]any) error {
	assessment["criteria"] = []map[string]string{
		{"criterion": "legality", "question": "approvals complete", "answer": "yes"},
		{"criterion": "reasonableness", "question": "compensation fair", "answer": "yes"},
		{"criterion": "feasibility", "question": "funding in place", "answer": "yes"},
		{"criterion": "controllability", "question": "emergency plan", "answer": "yes"},
	}
	assessment["consultations"] = []map[string]any{{"method": "public_notice", "date": "2026-09-01", "participants": 0, "comment_days": 30}}
	assessment["panel"] = map[string]any{"size": 5}
	etag, data, err := c.call("POST", "/v1/assessments", keys["assessor"], "", map[string]any{"profile": "practice", "assessment": assessment})
	if err != nil {
		return err
	}
	var created struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &created); err != nil {
		return err
	}
	fmt.Printf("\nStored assessment %s (ETag %s)\n", created.ID, etag)
	for _, step := range []struct{ who, action string }{{"assessor", "submit"}, {"reviewer", "start_review"}, {"reviewer", "issue"}} {
		if etag, _, err = c.call("POST", "/v1/assessments/"+created.ID+"/"+step.action, keys[step.who], etag, nil); err != nil {
			return err
		}
		fmt.Printf("  %-12s by the %-8s → ETag %s\n", step.action, step.who, etag)
	}
	_, data, err = c.call("POST", "/v1/assessments/"+created.ID+"/decision", keys["decider"], etag, map[string]any{"intent": "approve"})
	if err != nil {
		return err
	}
	var decision struct {
		Data struct {
			Outcome string `json:"outcome"`
		} `json:"data"`
	}
	if err := json.Unmarshal(data, &decision); err != nil {
		return err
	}
	fmt.Printf("Decision through the approval gate: %s\n", decision.Data.Outcome)
	req, err := http.NewRequest("GET", c.base+"/v1/assessments/"+created.ID+"/report?format=md&lang=en", nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+keys["assessor"])
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	md, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	lines := strings.SplitN(string(md), "\n", 8)
	fmt.Printf("\nThe report (%s), first lines:\n%s\n", resp.Header.Get("Content-Type"), strings.Join(lines[:min(len(lines), 7)], "\n"))
	return nil
}
