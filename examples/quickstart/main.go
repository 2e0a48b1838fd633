// Command quickstart assesses the social stability risk of a waste-to-energy
// plant under the NDRC 2012 project regime, prints each factor before and
// after measures, the comprehensive index and level, the survey's advisory
// reading, the decision, the quality findings and the full explanation, and
// then asks the approval gate.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run() error {
	profile, err := riskeval.Preset("practice")
	if err != nil {
		return err
	}
	a := sample.Plant()
	res, err := riskeval.Evaluate(a, profile)
	if err != nil {
		return fmt.Errorf("evaluate: %w", err)
	}
	fmt.Printf("%s\n%s — regime %s, profile %s v%s\n\n", a.Subject.Name, a.Subject.ResponsibleUnit, res.Regime.ID, res.Profile.Name, res.Profile.Version)

	tw := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "factor\tarea\tweight\tinitial p×i=r\tlevel\tresidual p×i=r\tlevel")
	for i, f := range res.Factors {
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%d×%d=%s\t%s\t%d×%d=%s\t%s\n", f.ID, a.Factors[i].Name, f.Area.Label().EN, f.Weight,
			f.Initial.Probability, f.Initial.Impact, f.Initial.Score, f.Initial.Level,
			f.Residual.Probability, f.Residual.Impact, f.Residual.Score, f.Residual.Level)
	}
	tw.Flush()

	fmt.Printf("\nbefore measures: R = %s → %s\n", res.Initial.Index.StringFixed(6), res.Initial.Level)
	fmt.Printf("after measures:  R = %s → %s (decides)\n", res.Residual.Index.StringFixed(6), res.Residual.Level)
	if s := res.Survey; s != nil {
		fmt.Printf("survey: %s oppose (95%% CI %s–%s), advisory level %s\n", s.Opposition.Value, s.Opposition.Lower, s.Opposition.Upper, s.Suggested)
	}
	fmt.Printf("decision: %s — %s\n", res.Decision.Outcome, res.Decision.Outcome.Label().ZH)
	for _, r := range res.Decision.Reasons {
		fmt.Printf("  · %s\n", r.ZH)
	}
	if len(res.Warnings) > 0 {
		fmt.Println("\nquality findings:")
		for _, w := range res.Warnings {
			fmt.Printf("  ! %s\n", w)
		}
	}
	fmt.Println("\nexplanation:")
	for _, s := range res.Explain() {
		fmt.Printf("  [%s] %s\n", s.Key, s.Text)
	}

	fmt.Println("\napproval gate:")
	ap, err := riskeval.Gate(a, profile)
	if err != nil {
		fmt.Println("  refused:")
		for _, p := range ssra.ProblemsOf(err) {
			fmt.Printf("  - %s\n", p)
		}
	} else {
		fmt.Printf("  passes: %s, imposing %d measures on the parties concerned\n", ap.Outcome, len(ap.Imposed))
	}

	// The same project with its measures not yet credible: the residual
	// estimates stay where they were, and the gate refuses.
	b := sample.Plant()
	for i := range b.Factors {
		r := b.Factors[i].Initial
		b.Factors[i].Residual = &r
	}
	if _, err := riskeval.Gate(b, profile); err != nil {
		fmt.Println("  without credible measures the gate refuses:")
		for _, p := range ssra.ProblemsOf(err) {
			fmt.Printf("  - %s\n", strings.TrimSpace(p.String()))
		}
	}
	return nil
}
