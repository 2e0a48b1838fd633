// Command quickstart assesses the social stability risk of a waste-to-energy
// plant under the NDRC 2012 project regime, prints each factor before and
// after measures, the comprehensive index and level, the survey's advisory
// reading, the decision, the quality findings and the full explanation, and
// then asks the approval gate. It speaks one language per run: Chinese by
// default, English with -lang en (the problem messages of the gate are in
// English in both: they are the library's words for developers).
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
		rows = append(rows, []string{f.ID + " " + a.Factors[i].Name, f.Area.Label().In(lang), f.Weight.String(),
			fmt.Sprintf("%d×%d=%s", f.Initial.Probability, f.Initial.Impact, f.Initial.Score), f.Initial.Level.Label().In(lang),
			fmt.Sprintf("%d×%d=%s", f.Residual.Probability, f.Residual.Impact, f.Residual.Score), f.Residual.Level.Label().In(lang)})
	}
	printTable(rows)

	fmt.Printf("\n%s: R = %s → %s\n", say("落实措施前", "before measures"), res.Initial.Index.StringFixed(6), res.Initial.Level.Label().In(lang))
	fmt.Printf("%s: R = %s → %s (%s)\n", say("落实措施后", "after measures"), res.Residual.Index.StringFixed(6), res.Residual.Level.Label().In(lang), say("据此决策", "decides"))
	if s := res.Survey; s != nil {
		fmt.Printf("%s: %s (95%% CI %s–%s), %s %s\n", say("问卷反对率", "survey opposition"), s.Opposition.Value, s.Opposition.Lower, s.Opposition.Upper,
			say("参考等级", "advisory level"), s.Suggested.Label().In(lang))
	}
	fmt.Printf("%s: %s\n", say("决策建议", "decision"), res.Decision.Outcome.Label().In(lang))
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
		fmt.Printf("  %s: %s, %s %d\n", say("通过", "passes"), ap.Outcome.Label().In(lang), say("须落实的措施", "measures imposed on the parties concerned:"), len(ap.Imposed))
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
