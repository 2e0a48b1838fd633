package report_test

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/riskeval"
)

// evaluated returns the quickstart plant evaluated under the practice
// profile.
func evaluated() (riskeval.Assessment, riskeval.Result, riskeval.Profile) {
	p, _ := riskeval.Preset("practice")
	a := sample.Plant()
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		panic(err)
	}
	return a, res, p
}

func ExampleMarkdown() {
	a, res, p := evaluated()
	in := report.Input{Assessment: a, Result: res, Profile: p, Lang: ssra.LangEN,
		Generated: time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC)}
	var b bytes.Buffer
	if err := report.Markdown(&b, in); err != nil {
		fmt.Println(err)
		return
	}
	// Print the title and the summary table.
	lines := strings.Split(b.String(), "\n")
	fmt.Println(lines[0])
	for _, l := range lines {
		if strings.HasPrefix(l, "| Initial") || strings.HasPrefix(l, "| Risk level after") || strings.HasPrefix(l, "| Decision |") {
			fmt.Println(l)
		}
	}
	// Output:
	// # Social Stability Risk Assessment Report
	// | Initial risk level | medium (R = 0.528000) |
	// | Risk level after measures (decides) | low (R = 0.222000) |
	// | Decision | approve with measures |
}

func ExampleHTML() {
	a, res, p := evaluated()
	in := report.Input{Assessment: a, Result: res, Profile: p, Lang: ssra.LangZH,
		Generated: time.Date(2026, 11, 27, 9, 30, 0, 0, time.UTC),
		Meta:      report.Meta{Basis: []string{"《重大行政决策程序暂行条例》"}}}
	var b bytes.Buffer
	if err := report.HTML(&b, in); err != nil {
		fmt.Println(err)
		return
	}
	page := b.String()
	fmt.Println(strings.SplitN(page, "\n", 2)[0])
	fmt.Println("scripts:", strings.Count(page, "<script"))
	fmt.Println("inline charts:", strings.Count(page, "<svg "))
	// Output:
	// <!DOCTYPE html>
	// scripts: 0
	// inline charts: 2
}

func ExampleHeatMap() {
	_, res, p := evaluated()
	if err := report.HeatMap(os.Stdout, p, res, ssra.LangEN); err != nil {
		fmt.Println(err)
	}
}

func ExampleRankChart() {
	d := decimal.RequireFromString
	rk := report.Ranking{
		Title: "Safe-unit appraisal 2026", Lang: ssra.LangEN, Max: d("100"),
		Items: []report.RankItem{{Name: "East town", Score: d("88.5"), Grade: "good"}, {Name: "West district", Score: d("93"), Grade: "excellent"}},
		Bands: []report.GradeBand{{Label: "fail", Min: d("0")}, {Label: "pass", Min: d("60")}, {Label: "good", Min: d("80")}, {Label: "excellent", Min: d("90")}},
	}
	var b bytes.Buffer
	if err := report.RankChart(&b, rk); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(strings.Index(b.String(), "West district") < strings.Index(b.String(), "East town"))
	// Output:
	// true
}

func ExampleInput_Validate() {
	a, res, p := evaluated()
	in := report.Input{Assessment: a, Result: res, Profile: p, Lang: ssra.LangEN}
	for _, pr := range in.Validate() {
		fmt.Println(pr.Code, pr.Field)
	}
	// Output:
	// report.generated_missing generated
}
