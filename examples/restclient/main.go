// Command restclient calls a running ssrad over HTTP with the typed client
// (adapters/restclient): it evaluates a two-factor assessment under the
// practice profile and derives AHP weights from a pairwise matrix with
// fractions, and prints both results. Errors are RFC 9457 problems, which
// the client turns into ssra errors; it prints each bad field with its
// path (ssra.ProblemsOf).
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
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/restclient"
	"github.com/ssra-go/ssra/riskeval"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "restclient:", err)
		os.Exit(1)
	}
}

// assessmentJSON is the assessment as an integrator's system holds it:
// decimals as strings, dates as YYYY-MM-DD. It decodes into
// riskeval.Assessment, which the client sends.
const assessmentJSON = `{
  "subject": {"kind": "project", "name": "district heating plant", "responsible_unit": "city utilities"},
  "regime": "ndrc2012_project",
  "factors": [
    {"id": "F1", "area": "land_expropriation", "name": "compensation standard", "weight": "0.6",
     "initial": {"probability": 4, "impact": 4}, "residual": {"probability": 2, "impact": 3},
     "measures": [{"id": "M1", "description": "raise compensation to the neighbouring county's standard", "owner": "land bureau", "due": "2027-03-31"}]},
    {"id": "F2", "area": "ecological_environment", "name": "emissions", "weight": "0.4",
     "initial": {"probability": 3, "impact": 5}, "residual": {"probability": 2, "impact": 4},
     "measures": [{"id": "M2", "description": "publish emission data in real time", "owner": "operator", "due": "2027-12-31"}]}
  ],
  "survey": {"frame": "households within 3 km", "distributed": 400, "support": 250, "neutral": 80, "oppose": 50}
}`

// explain prints an error with each bad field the server named.
func explain(err error) string {
	var b strings.Builder
	b.WriteString(err.Error())
	for _, p := range ssra.ProblemsOf(err) {
		fmt.Fprintf(&b, "\n  %s: %s (%s)", p.Field, p.Message, p.Code)
	}
	return b.String()
}

func run() error {
	ctx := context.Background()
	base, key := os.Getenv("SSRA_URL"), os.Getenv("SSRA_KEY")
	if base == "" {
		base = "http://127.0.0.1:8080"
	}
	if key == "" {
		return errors.New("set SSRA_KEY to an API key (ssrad prints one at first start)")
	}
	c, err := restclient.New(base, key)
	if err != nil {
		return err
	}
	var a riskeval.Assessment
	if err := json.Unmarshal([]byte(assessmentJSON), &a); err != nil {
		return fmt.Errorf("the assessment: %w", err)
	}
	ev, err := c.Evaluate(ctx, a, "practice")
	if err != nil {
		return fmt.Errorf("evaluate: %s", explain(err))
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
	var m riskeval.PairwiseMatrix
	if err := json.Unmarshal([]byte(`[[1, 3, 5], ["1/3", 1, 2], ["1/5", "1/2", 1]]`), &m); err != nil {
		return err
	}
	ahp, err := c.AHP(ctx, restclient.AHPRequest{Matrix: m})
	if err != nil {
		return fmt.Errorf("AHP: %s", explain(err))
	}
	weights := make([]string, len(ahp.Weights))
	for i, wt := range ahp.Weights {
		weights[i] = wt.String()
	}
	fmt.Printf("\nAHP (%s): weights %s\n", ahp.Method, strings.Join(weights, ", "))
	fmt.Printf("λmax %s, CI %s, RI %s, CR %s, consistent %v\n", ahp.LambdaMax, ahp.CI, ahp.RI, ahp.CR, ahp.Consistent)

	// A matrix that is not reciprocal: the server names the cell.
	var bad riskeval.PairwiseMatrix
	if err := json.Unmarshal([]byte(`[[1, 3], ["0.3", 1]]`), &bad); err != nil {
		return err
	}
	if _, err := c.AHP(ctx, restclient.AHPRequest{Matrix: bad}); err != nil {
		fmt.Printf("\nAs expected, a matrix that is not reciprocal is refused (%s):\n%s\n", ssra.KindOf(err), explain(err))
	}

	keys := map[string]string{"assessor": os.Getenv("SSRA_ASSESSOR_KEY"), "reviewer": os.Getenv("SSRA_REVIEWER_KEY"), "decider": os.Getenv("SSRA_DECIDER_KEY")}
	if keys["assessor"] == "" || keys["reviewer"] == "" || keys["decider"] == "" {
		fmt.Println("\nSet SSRA_ASSESSOR_KEY, SSRA_REVIEWER_KEY and SSRA_DECIDER_KEY to drive the stored workflow too.")
		return nil
	}
	return workflow(ctx, c, keys, a)
}

// workflowJSON is what a stored assessment adds for the approval gate: the
// four criteria, the consultation and the expert panel.
const workflowJSON = `{
  "criteria": [
    {"criterion": "legality", "question": "approvals complete", "answer": "yes"},
    {"criterion": "reasonableness", "question": "compensation fair", "answer": "yes"},
    {"criterion": "feasibility", "question": "funding in place", "answer": "yes"},
    {"criterion": "controllability", "question": "emergency plan", "answer": "yes"}
  ],
  "consultations": [{"method": "public_notice", "date": "2026-09-01", "participants": 0, "comment_days": 30}],
  "panel": {"size": 5}
}`

// workflow takes a stored assessment from draft to the decision.
func workflow(ctx context.Context, c *restclient.Client, keys map[string]string, a riskeval.Assessment) error {
	if err := json.Unmarshal([]byte(workflowJSON), &a); err != nil {
		return err
	}
	assessor, reviewer, decider := c.WithKey(keys["assessor"]), c.WithKey(keys["reviewer"]), c.WithKey(keys["decider"])
	r, err := assessor.CreateAssessment(ctx, "practice", a)
	if err != nil {
		return fmt.Errorf("create: %s", explain(err))
	}
	fmt.Printf("\nStored assessment %s (ETag %s)\n", r.ID, restclient.ETag(r.Version))
	steps := []struct {
		who  string
		name string
		do   func(id string, version int64) (restclient.Resource, error)
	}{
		{"assessor", "submit", func(id string, v int64) (restclient.Resource, error) { return assessor.SubmitAssessment(ctx, id, v) }},
		{"reviewer", "start_review", func(id string, v int64) (restclient.Resource, error) { return reviewer.StartReview(ctx, id, v) }},
		{"reviewer", "issue", func(id string, v int64) (restclient.Resource, error) { return reviewer.IssueAssessment(ctx, id, v) }},
	}
	for _, st := range steps {
		if r, err = st.do(r.ID, r.Version); err != nil {
			return fmt.Errorf("%s: %s", st.name, explain(err))
		}
		fmt.Printf("  %-12s by the %-8s → ETag %s\n", st.name, st.who, restclient.ETag(r.Version))
	}
	d, err := decider.Decide(ctx, r.ID, r.Version, "approve", "")
	if err != nil {
		return fmt.Errorf("decide: %s", explain(err))
	}
	var decision struct {
		Outcome string `json:"outcome"`
	}
	if err := d.Decode(&decision); err != nil {
		return err
	}
	fmt.Printf("Decision through the approval gate: %s\n", decision.Outcome)
	md, ctype, err := assessor.AssessmentReport(ctx, r.ID, "md", "en")
	if err != nil {
		return fmt.Errorf("report: %s", explain(err))
	}
	lines := strings.SplitN(string(md), "\n", 8)
	fmt.Printf("\nThe report (%s), first lines:\n%s\n", ctype, strings.Join(lines[:min(len(lines), 7)], "\n"))
	return nil
}
