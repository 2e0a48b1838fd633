// Command report evaluates the quickstart's waste-to-energy plant under
// the practice profile and writes its social stability risk assessment
// report (社会稳定风险评估报告) to report.LANG.html (self-contained,
// print-ready on A4) and report.LANG.md in the current directory, in Chinese
// by default (report.zh-CN.*) or in English with -lang en (report.en.*), so
// that one language's run does not overwrite the other's files. Section 6
// states the margin of the decision and shows the tornado chart of the
// sensitivity analysis.
//
//	go run ./examples/report
//	go run ./examples/report -lang en
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

func main() {
	lang := flag.String("lang", "zh-CN", "language of the report: zh-CN or en")
	flag.Parse()
	if err := run(*lang); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

func run(langTag string) error {
	lang, err := ssra.ParseLang(langTag)
	if err != nil {
		return err
	}
	profile, err := riskeval.Preset("practice")
	if err != nil {
		return err
	}
	a := sample.Plant()
	res, err := riskeval.Evaluate(a, profile)
	if err != nil {
		return fmt.Errorf("evaluate: %w", err)
	}
	// The sensitivity analysis adds the margin in words and the tornado
	// chart (敏感性分析龙卷风图) to section 6.
	sens, err := riskeval.Sensitivity(a, profile)
	if err != nil {
		return fmt.Errorf("sensitivity: %w", err)
	}
	suffix := "." + lang.String()
	in := report.Input{Assessment: a, Result: res, Profile: profile, Lang: lang, Generated: time.Now(), Meta: sample.PlantMeta(), Sensitivity: &sens}
	for _, out := range []struct {
		name   string
		render func(*bytes.Buffer, report.Input) error
	}{
		{"report" + suffix + ".html", func(b *bytes.Buffer, in report.Input) error { return report.HTML(b, in) }},
		{"report" + suffix + ".md", func(b *bytes.Buffer, in report.Input) error { return report.Markdown(b, in) }},
	} {
		var b bytes.Buffer
		if err := out.render(&b, in); err != nil {
			return fmt.Errorf("render %s: %w", out.name, err)
		}
		if err := os.WriteFile(out.name, b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", out.name, err)
		}
		path, err := filepath.Abs(out.name)
		if err != nil {
			path = out.name
		}
		fmt.Println(path)
	}
	return nil
}
