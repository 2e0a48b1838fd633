// Command quickstart assesses the social stability risk of a waste-to-energy
// plant under the NDRC 2012 project regime, prints each factor before and
// after measures, the comprehensive index and level, the survey's advisory
// reading, the decision, the quality findings and the full explanation, and
// then asks the approval gate. Last, a panel of five experts rates the
// residual estimates: the result states the aggregate and the panel's
// agreement, and Sensitivity prints the margin to the nearest threshold,
// the smallest flips and the residual level as a distribution over the
// panel's ratings. It speaks one language per run: Chinese by default,
// English with -lang en (the problem messages of the gate are in English
// in both: they are the library's words for developers).
//
//	go run ./examples/quickstart
//	go run ./examples/quickstart -lang en
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/width"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

func main() {
	langTag := flag.String("lang", "zh-CN", "language of the output: zh-CN or en")
	flag.Parse()
	lang, err := ssra.ParseLang(*langTag)
	if err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(2)
	}
	if err := run(lang); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(lang ssra.Lang) error {
	say := func(zh, en string) string { return ssra.L(zh, en).In(lang) }
	profile, err := riskeval.Preset("practice")
	if err != nil {
		return err
	}
	a := sample.Plant()
	res, err := riskeval.Evaluate(a, profile)
	if err != nil {
		return fmt.Errorf("evaluate: %w", err)
	}
	fmt.Printf("%s\n%s — %s %s, %s %s v%s\n\n", a.Subject.Name, a.Subject.ResponsibleUnit,
		say("决策规则", "regime"), res.Regime.ID, say("评估标准", "profile"), res.Profile.Name, res.Profile.Version)

	rows := [][]string{{say("风险因素", "factor"), say("领域", "area"), say("权重", "weight"),
		say("措施前 p×i=r", "initial p×i=r"), say("等级", "level"), say("措施后 p×i=r", "residual p×i=r"), say("等级", "level")}}
	for i, f := range res.Factors {
		rows = append(rows, []string{f.ID + " " + a.Factors[i].Name, f.Area.Label(lang), f.Weight.String(),
			fmt.Sprintf("%d×%d=%s", f.Initial.Probability, f.Initial.Impact, f.Initial.Score), f.Initial.Level.Label(lang),
			fmt.Sprintf("%d×%d=%s", f.Residual.Probability, f.Residual.Impact, f.Residual.Score), f.Residual.Level.Label(lang)})
	}
	printTable(rows)

	fmt.Printf("\n%s: R = %s → %s\n", say("落实措施前", "before measures"), res.Initial.Index.StringFixed(6), res.Initial.Level.Label(lang))
	fmt.Printf("%s: R = %s → %s (%s)\n", say("落实措施后", "after measures"), res.Residual.Index.StringFixed(6), res.Residual.Level.Label(lang), say("据此决策", "decides"))
	if s := res.Survey; s != nil {
		fmt.Printf("%s: %s (95%% CI %s–%s), %s %s\n", say("问卷反对率", "survey opposition"), s.Opposition.Value, s.Opposition.Lower, s.Opposition.Upper,
			say("参考等级", "advisory level"), s.Suggested.Label(lang))
	}
	fmt.Printf("%s: %s\n", say("决策建议", "decision"), res.Decision.Outcome.Label(lang))
	for _, r := range res.Decision.Reasons {
		fmt.Printf("  · %s\n", r.In(lang))
	}
	if len(res.Warnings) > 0 {
		fmt.Printf("\n%s:\n", say("质量提示", "quality findings"))
		for _, w := range res.Warnings {
			fmt.Printf("  ! %s\n", w)
		}
	}
	fmt.Printf("\n%s:\n", say("计算说明", "explanation"))
	for _, s := range res.ExplainIn(lang) {
		fmt.Printf("  %s\n", s.Text)
	}

	fmt.Printf("\n%s:\n", say("审批关口", "approval gate"))
	ap, err := riskeval.Gate(a, profile)
	if err != nil {
		fmt.Printf("  %s:\n", say("不予通过", "refused"))
		for _, p := range ssra.ProblemsOf(err) {
			fmt.Printf("  - %s\n", p)
		}
	} else {
		fmt.Printf("  %s: %s, %s %d\n", say("通过", "passes"), ap.Outcome.Label(lang), say("须落实的措施", "measures imposed on the parties concerned:"), len(ap.Imposed))
	}

	// The same project with its measures not yet credible: the residual
	// estimates stay where they were, and the gate refuses.
	b := sample.Plant()
	for i := range b.Factors {
		r := b.Factors[i].Initial
		b.Factors[i].Residual = &r
	}
	if _, err := riskeval.Gate(b, profile); err != nil {
		fmt.Printf("  %s:\n", say("措施不可信时，关口不予通过", "without credible measures the gate refuses"))
		for _, p := range ssra.ProblemsOf(err) {
			fmt.Printf("  - %s\n", strings.TrimSpace(p.String()))
		}
	}
	return panel(profile, lang)
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
func panel(profile riskeval.Profile, lang ssra.Lang) error {
	say := func(zh, en string) string { return ssra.L(zh, en).In(lang) }
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
	fmt.Printf("\n%s %d (%s; %s: %s):\n", say("专家评议，人数", "expert panel of"), len(members), pn.Aggregation, say("共识规则", "consensus"), pn.ConsensusRule)
	for _, f := range pn.Factors {
		fmt.Printf("  %s %s: p %d (IQR %s), i %d (IQR %s), %s %v\n", f.Factor, f.Estimate, f.Probability, f.PSpread.IQR, f.Impact, f.ISpread.IQR, say("共识", "consensus"), f.Consensus)
	}
	if c := pn.Concordance; c != nil {
		fmt.Printf("  %s W = %s, χ² = %s (%d df), p = %s\n", say("肯德尔协调系数", "Kendall's"), c.W, c.ChiSquare, c.DF, c.PValue)
	}
	fmt.Printf("  %s R = %s → %s, %s %s\n", say("措施后", "residual"), res.Residual.Index.StringFixed(6), res.Residual.Level.Label(lang), say("决策建议", "decision"), res.Decision.Outcome.Label(lang))

	s, err := riskeval.Sensitivity(a, profile)
	if err != nil {
		return fmt.Errorf("sensitivity: %w", err)
	}
	fmt.Printf("\n%s: %s\n", say("决策余量", "margin"), riskeval.MarginSentence(s, lang))
	fmt.Printf("%s:\n", say("使措施后等级改变的最小变动", "smallest changes that flip the residual level"))
	for _, f := range s.Factors {
		var best *riskeval.Flip
		var kind riskeval.MoveKind
		for _, mv := range f.Moves {
			if fl := mv.LevelFlip; fl != nil && fl.Steps > 0 && (best == nil || fl.Steps < best.Steps) {
				best, kind = fl, mv.Kind
			}
		}
		line := say("任何一级变动都不改变等级", "no scale move flips it")
		if best != nil {
			line = fmt.Sprintf("%s by %d to %d → R %s, %s, %s", kind, best.Steps, best.To, best.Index, best.Level.Label(lang), best.Outcome.Label(lang))
		}
		for _, mv := range f.Moves {
			if fl := mv.LevelFlip; mv.Kind == riskeval.MoveWeightUp && fl != nil {
				line += fmt.Sprintf("; %s %s → %s", say("权重", "weight"), f.Weight, fl.Weight)
			}
		}
		fmt.Printf("  %s: %s\n", f.ID, line)
	}
	if d := s.Distribution; d != nil {
		fmt.Printf("%s (%s, %s %s", say("等级分布", "level distribution"), d.Method, say("组合数", "combinations"), d.Combinations)
		if d.Method == riskeval.DistributionMonteCarlo {
			fmt.Printf(", %s %d, seed %d, ±%s (95%%)", say("样本", "samples"), d.Samples, d.Seed, d.ErrorBound)
		}
		fmt.Printf("; %s):\n", d.Assumption)
		for _, l := range d.Levels {
			fmt.Printf("  %s %s\n", l.Level.Label(lang), l.Share)
		}
		for _, o := range d.Outcomes {
			fmt.Printf("  → %s %s\n", o.Outcome.Label(lang), o.Share)
		}
	}
	return nil
}

// printTable writes rows in columns padded by display width: a Chinese
// (East Asian wide) character takes two cells of a terminal, so padding by
// bytes or runes misaligns the columns.
func printTable(rows [][]string) {
	var widths []int
	for _, r := range rows {
		for i, cell := range r {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], displayWidth(cell))
		}
	}
	for _, r := range rows {
		var b strings.Builder
		for i, cell := range r {
			b.WriteString(cell)
			if i < len(r)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-displayWidth(cell)+2))
			}
		}
		fmt.Println(b.String())
	}
}

// displayWidth is the number of terminal cells s takes.
func displayWidth(s string) int {
	n := 0
	for len(s) > 0 {
		p, size := width.LookupString(s)
		switch p.Kind() {
		case width.EastAsianWide, width.EastAsianFullwidth:
			n += 2
		default:
			n++
		}
		if size == 0 {
			_, size = utf8.DecodeRuneInString(s)
		}
		s = s[size:]
	}
	return n
}
