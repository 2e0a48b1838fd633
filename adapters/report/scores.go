package report

import (
	"io"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// ScoreChart writes the factor scores before and after measures as a
// standalone SVG document of paired horizontal bars: for each factor, in
// the assessment's order, an upper pale bar for the initial score and a
// lower solid bar for the residual score, each coloured by its level and
// labelled with the score from the result; the factor thresholds are drawn
// as dashed lines when they decide the factor levels (no matrix).
//
// r must be the result of a. ScoreChart returns a *ssra.Error of
// KindInvalid when lang is unknown, r is empty or its factors do not match
// a's, and a wrapped write error when w fails.
func ScoreChart(w io.Writer, a riskeval.Assessment, r riskeval.Result, lang ssra.Lang) error {
	var ps ssra.Problems
	checkChart(&ps, lang, r)
	if len(r.Factors) != len(a.Factors) {
		ps.Add("report.factor_count", "result.factors", "the result has %d factors, the assessment %d", len(r.Factors), len(a.Factors))
	}
	if err := ps.Err("report.ScoreChart"); err != nil {
		return err
	}
	var b svgBuf
	b.WriteString(xmlProlog)
	scoreChart(&b, &a, &r, lang)
	return writeAll(w, b.String(), "report.ScoreChart")
}

func scoreChart(b *svgBuf, a *riskeval.Assessment, r *riskeval.Result, lang ssra.Lang) {
	const left, labelW, barW, rowH, top = 8.0, 224.0, 360.0, 34.0, 40.0
	x0 := left + labelW
	n := len(r.Factors)
	width := x0 + barW + 120
	height := top + float64(n)*rowH + 34
	maxS := gradeAt(r.Rules.ProbabilityGrades, len(r.Rules.ProbabilityGrades)).Mul(gradeAt(r.Rules.ImpactGrades, len(r.Rules.ImpactGrades)))
	if maxS.Sign() <= 0 {
		maxS = decimal.NewFromInt(1)
	}
	maxF := maxS.InexactFloat64()
	xOf := func(v decimal.Decimal) float64 {
		f := v.InexactFloat64() / maxF
		if f < 0 {
			f = 0
		}
		if f > 1 {
			f = 1
		}
		return x0 + f*barW
	}
	b.start(width, height, tr(lang, "scorechart"), "ssra-scores")

	// Legend: for each series, a swatch of every level its bars take, so
	// that each bar's colour is one the legend explains.
	b.WriteString(`<g class="legend">` + "\n")
	lx := left
	for _, series := range []struct {
		key, name string
		level     func(riskeval.FactorResult) riskeval.Level
	}{
		{"initial", tr(lang, "before"), func(f riskeval.FactorResult) riskeval.Level { return f.Initial.Level }},
		{"residual", tr(lang, "after"), func(f riskeval.FactorResult) riskeval.Level { return f.Residual.Level }},
	} {
		b.textEl(series.name, "x", lx, "y", 17.0, "font-weight", "bold")
		lx += textWidth(series.name, 12) + 8
		for l := riskeval.LevelLow; l <= riskeval.LevelHigh; l++ {
			used := false
			for _, f := range r.Factors {
				used = used || series.level(f) == l
			}
			if !used {
				continue
			}
			barRect(b, series.key, l, lx, 8.0, 22.0, 10.0)
			b.textEl(levelText(lang, l), "x", lx+26, "y", 17.0)
			lx += 26 + textWidth(levelText(lang, l), 12) + 12
		}
		lx += 12
	}
	b.WriteString("</g>\n")

	// Grid: ticks at fifths of the largest possible score, thresholds.
	axisY := top + float64(n)*rowH
	step := maxS.DivRound(decimal.NewFromInt(5), 4)
	b.WriteString(`<g class="axis" font-size="10" fill="#5f6b70">` + "\n")
	for k := 0; k <= 5; k++ {
		v := step.Mul(decimal.NewFromInt(int64(k)))
		if k == 5 {
			v = maxS
		}
		x := xOf(v)
		b.empty("line", "x1", x, "y1", top-4, "x2", x, "y2", axisY, "stroke", "#e0e0e0", "stroke-width", 1.0)
		b.textEl(v.String(), "x", x, "y", axisY+14, "text-anchor", "middle")
	}
	b.WriteString("</g>\n")
	if !r.Rules.Matrix {
		for _, t := range []decimal.Decimal{r.Rules.FactorThresholds.LowMax, r.Rules.FactorThresholds.MediumMax} {
			x := xOf(t)
			b.empty("line", "x1", x, "y1", top-6, "x2", x, "y2", axisY, "stroke", "#78909c", "stroke-width", 1.0, "stroke-dasharray", "4 3")
			b.textEl(t.String(), "x", x, "y", top-10, "text-anchor", "middle", "font-size", 10, "fill", "#455a64")
		}
	}
	b.textEl(tr(lang, "score"), "x", x0+barW/2, "y", axisY+28, "text-anchor", "middle", "font-size", 11)

	// One pair of bars per factor.
	for k, f := range r.Factors {
		y := top + float64(k)*rowH
		name := f.ID + " " + a.Factors[k].Name
		lbl, cut := fit(name, 12, labelW-10)
		b.WriteString(`<g class="factor">`)
		if cut {
			b.title(name)
		}
		b.WriteByte('\n')
		b.textEl(lbl, "x", left, "y", y+rowH/2+4)
		xb, xa := xOf(f.Initial.Score), xOf(f.Residual.Score)
		barRect(b, "initial", f.Initial.Level, x0, y+4, xb-x0, 11.0)
		b.textEl(f.Initial.Score.String()+" "+levelText(lang, f.Initial.Level), "x", xb+4, "y", y+13, "font-size", 10, "fill", "#546e7a")
		barRect(b, "residual", f.Residual.Level, x0, y+16, xa-x0, 11.0)
		b.textEl(f.Residual.Score.String()+" "+levelText(lang, f.Residual.Level), "x", xa+4, "y", y+25, "font-size", 10, "fill", "#263238")
		b.WriteString("</g>\n")
	}
	b.empty("line", "x1", x0, "y1", top-4, "x2", x0, "y2", axisY, "stroke", "#607d8b", "stroke-width", 1.0)
	b.end()
}

// barRect draws a bar or legend swatch of a series at a level: the
// initial series pale with a dashed outline, the residual series solid.
// data-series names the series so that a check can match bars to legend.
func barRect(b *svgBuf, series string, l riskeval.Level, x, y, w, h float64) {
	if series == "initial" {
		b.empty("rect", "data-series", series, "x", x, "y", y, "width", w, "height", h, "fill", levelFill[l], "fill-opacity", 0.6, "stroke", "#90a4ae", "stroke-dasharray", "3 2")
		return
	}
	b.empty("rect", "data-series", series, "x", x, "y", y, "width", w, "height", h, "fill", levelFill[l], "stroke", "#607d8b")
}
