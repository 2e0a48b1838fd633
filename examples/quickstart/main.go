// Command quickstart assesses the social stability risk of a waste-to-energy
// plant under the NDRC 2012 project regime, prints each factor before and
// after measures, the comprehensive index and level, the survey's advisory
// reading, the decision, the quality findings and the full explanation, and
// then asks the approval gate. Last, a panel of five experts rates the
// residual estimates: the result states the aggregate and the panel's
// agreement, and Sensitivity prints the margin to the nearest threshold,
// the smallest flips and the residual level as a distribution over the
// panel's ratings.
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
	return panel(profile)
}

// panelRatings are five experts' residual ratings (probability, impact) of
// each factor of the sample plant, members E1..E5.
var panelRatings = map[string][5][2]int{
	"F1": {{2, 3}, {2, 3}, {3, 3}, {2, 4}, {2, 3}},
	"F2": {{2, 3}, {1, 3}, {2, 3}, {2, 3}, {3, 3}},
	"F3": {{2, 4}, {4, 5}, {2, 4}, {2, 5}, {2, 4}},
	"F4": {{2, 2}, {2, 2}, {1, 2}, {2, 3}, {2, 2}},
	"F5": {{2, 2}, {2, 2}, {2, 2}, {3, 2}, {2, 1}},
	"F6": {{1, 3}, {1, 3}, {2, 3}, {1, 3}, {1, 2}},
	"F7": {{2, 3}, {3, 4}, {2, 3}, {2, 3}, {4, 4}},
	"F8": {{1, 3}, {1, 3}, {1, 2}, {2, 3}, {1, 3}},
}

// panel rates the sample plant by a panel of five and prints the panel's
// agreement, the margin, the nearest flips and the level distribution.
func panel(profile riskeval.Profile) error {
	a := sample.Plant()
	members := []riskeval.PanelMember{{ID: "E1"}, {ID: "E2"}, {ID: "E3"}, {ID: "E4"}, {ID: "E5"}}
	a.Panel = &riskeval.Panel{Size: 5, Members: members, Writer: "u-writer", Reviewer: "u-reviewer"}
	for i, f := range a.Factors {
		var rs []riskeval.Rating
		for k, r := range panelRatings[f.ID] {
			rs = append(rs, riskeval.Rating{Member: members[k].ID, Probability: r[0], Impact: r[1]})
		}
		a.Factors[i].Residual = &riskeval.Estimate{Ratings: rs}
	}
	res, err := riskeval.Evaluate(a, profile)
	if err != nil {
		return fmt.Errorf("evaluate with the panel: %w", err)
	}
	pn := res.Panel
	fmt.Printf("\nexpert panel of %d (%s; consensus: %s):\n", len(members), pn.Aggregation, pn.ConsensusRule)
	for _, f := range pn.Factors {
		fmt.Printf("  %s %s: p %d (IQR %s), i %d (IQR %s), consensus %v\n", f.Factor, f.Estimate, f.Probability, f.PSpread.IQR, f.Impact, f.ISpread.IQR, f.Consensus)
	}
	if c := pn.Concordance; c != nil {
		fmt.Printf("  Kendall's W = %s, χ² = %s (%d df), p = %s\n", c.W, c.ChiSquare, c.DF, c.PValue)
	}
	fmt.Printf("  residual R = %s → %s, decision %s\n", res.Residual.Index.StringFixed(6), res.Residual.Level, res.Decision.Outcome)

	s, err := riskeval.Sensitivity(a, profile)
	if err != nil {
		return fmt.Errorf("sensitivity: %w", err)
	}
	fmt.Printf("\nmargin: %s\n        %s\n", riskeval.MarginSentence(s, ssra.LangEN), riskeval.MarginSentence(s, ssra.LangZH))
	fmt.Println("smallest changes that flip the residual level:")
	for _, f := range s.Factors {
		var best *riskeval.Flip
		var kind riskeval.MoveKind
		for _, mv := range f.Moves {
			if fl := mv.LevelFlip; fl != nil && fl.Steps > 0 && (best == nil || fl.Steps < best.Steps) {
				best, kind = fl, mv.Kind
			}
		}
		line := "no scale move flips it"
		if best != nil {
			line = fmt.Sprintf("%s by %d to %d → R %s, %s, %s", kind, best.Steps, best.To, best.Index, best.Level, best.Outcome)
		}
		for _, mv := range f.Moves {
			if fl := mv.LevelFlip; mv.Kind == riskeval.MoveWeightUp && fl != nil {
				line += fmt.Sprintf("; weight %s → %s flips it", f.Weight, fl.Weight)
			}
		}
		fmt.Printf("  %s: %s\n", f.ID, line)
	}
	if d := s.Distribution; d != nil {
		fmt.Printf("level distribution (%s over %s combinations", d.Method, d.Combinations)
		if d.Method == riskeval.DistributionMonteCarlo {
			fmt.Printf(", %d samples, seed %d, each share ±%s at 95%%", d.Samples, d.Seed, d.ErrorBound)
		}
		fmt.Printf("; %s):\n", d.Assumption)
		for _, l := range d.Levels {
			fmt.Printf("  %-6s %s\n", l.Level, l.Share)
		}
		for _, o := range d.Outcomes {
			fmt.Printf("  → %s %s\n", o.Outcome, o.Share)
		}
	}
	return nil
}
