package report

import (
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// Tornado writes the tornado chart of a sensitivity analysis (敏感性分析龙卷风图)
// as a standalone SVG document: for each factor, a horizontal bar over the
// range of the residual comprehensive index when the factor's residual
// probability and impact go from the lowest to the highest scale point (the
// others held), split at the current index (the part below it in a pale
// colour, the part above in a dark one) and labelled with both ends; bars
// sorted by their swing, widest first (assessment order among equals); the
// level bands of the index thresholds shaded behind them, the thresholds as
// dashed lines and the current index as a solid line. Every number printed
// is taken from s.
//
// p must be the profile that produced s. Tornado returns a *ssra.Error of
// KindInvalid listing the problems when lang is unknown, s is empty or p is
// not its profile, and a wrapped write error when w fails.
func Tornado(w io.Writer, p riskeval.Profile, s riskeval.SensitivityResult, lang ssra.Lang) error {
	var ps ssra.Problems
	if lang != ssra.LangZH && lang != ssra.LangEN {
		ps.Add("report.lang_unknown", "lang", "language must be zh-CN or en")
	}
	checkSensitivityProfile(&ps, "sensitivity", p.Def(), s)
	if err := ps.Err("report.Tornado"); err != nil {
		return err
	}
	var b svgBuf
	b.WriteString(xmlProlog)
	thresholds := p.Def().IndexThresholds
	tornado(&b, thresholds, &s, nil, lang)
	return writeAll(w, b.String(), "report.Tornado")
}

// checkSensitivityProfile checks that s is a sensitivity analysis and that
// p is the profile that produced it.
func checkSensitivityProfile(ps *ssra.Problems, field string, p riskeval.ProfileDef, s riskeval.SensitivityResult) {
	if s.Profile.Name == "" || len(s.Factors) == 0 {
		ps.Add("report.sensitivity_missing", field, "the sensitivity analysis is empty: run riskeval.Sensitivity first")
		return
	}
	if p.Name != s.Profile.Name || p.Version != s.Profile.Version {
		ps.Add("report.profile_mismatch", "profile", "the sensitivity analysis was produced by profile %s v%s, not %s v%s", s.Profile.Name, s.Profile.Version, p.Name, p.Version)
	}
}

// checkSensitivity checks that s is the sensitivity analysis of r: the
// same profile, the same factors in the same order and the same residual
// index.
func checkSensitivity(ps *ssra.Problems, s *riskeval.SensitivityResult, r *riskeval.Result) {
	if s.Profile.Name == "" || len(s.Factors) == 0 {
		ps.Add("report.sensitivity_missing", "sensitivity", "the sensitivity analysis is empty: run riskeval.Sensitivity first, or leave it out")
		return
	}
	if s.Profile.Name != r.Profile.Name || s.Profile.Version != r.Profile.Version {
		ps.Add("report.sensitivity_mismatch", "sensitivity.profile", "the sensitivity analysis was produced by profile %s v%s, the result by %s v%s", s.Profile.Name, s.Profile.Version, r.Profile.Name, r.Profile.Version)
	}
	if len(s.Factors) != len(r.Factors) {
		ps.Add("report.sensitivity_mismatch", "sensitivity.factors", "the sensitivity analysis has %d factors, the result %d: analyse the same assessment", len(s.Factors), len(r.Factors))
		return
	}
	for i, f := range s.Factors {
		if f.ID != r.Factors[i].ID {
			ps.Add("report.sensitivity_mismatch", ssra.Index("sensitivity.factors", i)+".id", "factor %q of the sensitivity analysis does not match result factor %q", f.ID, r.Factors[i].ID)
		}
	}
	if !s.Residual.Index.Equal(r.Residual.Index) {
		ps.Add("report.sensitivity_mismatch", "sensitivity.residual.index", "the sensitivity analysis starts from the residual index %s, the result has %s: analyse the same evaluation", s.Residual.Index, r.Residual.Index)
	}
}

// tornadoBar is one factor's bar: its position in the assessment and its
// swing (the width of its range of the index).
type tornadoBar struct {
	k     int
	swing decimal.Decimal
}

// tornadoOrder returns the factors of s sorted by swing, widest first,
// assessment order among equal swings.
func tornadoOrder(s *riskeval.SensitivityResult) []tornadoBar {
	bars := make([]tornadoBar, len(s.Factors))
	for k, f := range s.Factors {
		bars[k] = tornadoBar{k, f.SwingHigh.Sub(f.SwingLow)}
	}
	slices.SortStableFunc(bars, func(a, b tornadoBar) int { return b.swing.Cmp(a.swing) })
	return bars
}

// Fills of the two parts of a tornado bar: below the current index (the
// factor at its lowest points) and above it (at its highest points).
const (
	tornadoLowFill  = "#90caf9"
	tornadoHighFill = "#1565c0"
)

// tornado draws the tornado chart of a validated sensitivity analysis;
// names, when given, hold each factor's name (by assessment position) for
// the bars' tooltips.
func tornado(b *svgBuf, t riskeval.Thresholds, s *riskeval.SensitivityResult, names []string, lang ssra.Lang) {
	const rowH, barH, valueW, plotW, top = 22.0, 14.0, 50.0, 400.0, 38.0
	bars := tornadoOrder(s)
	labelW := 48.0
	for _, f := range s.Factors {
		labelW = max(labelW, min(textWidth(f.ID, 12)+12, 160))
	}
	x0 := labelW + valueW
	width := x0 + plotW + valueW
	axisY := top + float64(len(bars))*rowH + 4
	legendY := axisY + 44
	height := legendY + 24

	// The axis runs over whole tenths that hold every bar, both thresholds
	// and the current index.
	tenth := decimal.New(1, -1)
	lo, hi := decimal.Min(t.LowMax, s.Residual.Index), decimal.Max(t.MediumMax, s.Residual.Index)
	for _, f := range s.Factors {
		lo, hi = decimal.Min(lo, f.SwingLow), decimal.Max(hi, f.SwingHigh)
	}
	lo, hi = lo.Div(tenth).Floor().Mul(tenth), hi.Div(tenth).Ceil().Mul(tenth)
	if !hi.GreaterThan(lo) {
		hi = lo.Add(tenth)
	}
	loF, span := lo.InexactFloat64(), hi.Sub(lo).InexactFloat64()
	xOf := func(v decimal.Decimal) float64 {
		f := (v.InexactFloat64() - loF) / span
		return x0 + min(1, max(0, f))*plotW
	}

	title := tr(lang, "tornado_title")
	b.start(width, height, title, "ssra-tornado")

	// Level bands of the index thresholds behind the bars.
	b.WriteString(`<g class="bands">` + "\n")
	edges := []decimal.Decimal{lo, decimal.Max(lo, decimal.Min(hi, t.LowMax)), decimal.Max(lo, decimal.Min(hi, t.MediumMax)), hi}
	for k, l := range []riskeval.Level{riskeval.LevelLow, riskeval.LevelMedium, riskeval.LevelHigh} {
		xa, xb := xOf(edges[k]), xOf(edges[k+1])
		if xb > xa {
			b.empty("rect", "data-level", l.String(), "x", xa, "y", top-4, "width", xb-xa, "height", axisY-top+4, "fill", levelFill[l], "fill-opacity", "0.35")
		}
	}
	b.WriteString("</g>\n")

	// Axis ticks at every tenth.
	b.WriteString(`<g class="axis" font-size="10" fill="#5f6b70">` + "\n")
	for v := lo; !v.GreaterThan(hi); v = v.Add(tenth) {
		x := xOf(v)
		b.empty("line", "x1", x, "y1", axisY, "x2", x, "y2", axisY+4, "stroke", "#607d8b", "stroke-width", 1.0)
		b.textEl(v.StringFixed(1), "x", x, "y", axisY+15, "text-anchor", "middle")
	}
	b.empty("line", "x1", x0, "y1", axisY, "x2", x0+plotW, "y2", axisY, "stroke", "#607d8b", "stroke-width", 1.0)
	b.textEl(tr(lang, "tornado_axis"), "x", x0+plotW/2, "y", axisY+30, "text-anchor", "middle", "font-size", 11, "fill", "#37474f")
	b.WriteString("</g>\n")

	// One bar per factor, widest swing at the top.
	base := xOf(s.Residual.Index)
	b.WriteString(`<g class="bars">` + "\n")
	for row, bar := range bars {
		f := s.Factors[bar.k]
		y := top + float64(row)*rowH
		b.open("g", "class", "bar", "data-factor", f.ID, "data-swing", bar.swing.String())
		b.WriteByte('>')
		tip := f.ID
		if bar.k < len(names) && names[bar.k] != "" {
			tip += " " + names[bar.k]
		}
		b.title(tip + ": " + f.SwingLow.String() + " – " + f.SwingHigh.String() + tr(lang, "tornado_tip_weight") + f.Weight.String() + tr(lang, "tornado_tip_score") + f.Score.String())
		b.WriteByte('\n')
		lbl, _ := fit(f.ID, 12, labelW-12)
		b.textEl(lbl, "x", labelW-6, "y", y+rowH/2+4, "text-anchor", "end")
		xl, xh := xOf(f.SwingLow), xOf(f.SwingHigh)
		b.empty("rect", "data-side", "low", "x", xl, "y", y+(rowH-barH)/2, "width", base-xl, "height", barH, "fill", tornadoLowFill)
		b.empty("rect", "data-side", "high", "x", base, "y", y+(rowH-barH)/2, "width", xh-base, "height", barH, "fill", tornadoHighFill)
		b.textEl(f.SwingLow.String(), "data-side", "low", "x", xl-3, "y", y+rowH/2+4, "text-anchor", "end", "font-size", 10, "fill", "#37474f")
		b.textEl(f.SwingHigh.String(), "data-side", "high", "x", xh+3, "y", y+rowH/2+4, "font-size", 10, "fill", "#37474f")
		b.WriteString("</g>\n")
	}
	b.WriteString("</g>\n")

	// Thresholds (dashed) and the current index (solid), over the bars.
	b.WriteString(`<g class="lines">` + "\n")
	for _, th := range []decimal.Decimal{t.LowMax, t.MediumMax} {
		if th.LessThan(lo) || th.GreaterThan(hi) {
			continue
		}
		x := xOf(th)
		b.empty("line", "class", "threshold", "data-value", th.String(), "x1", x, "y1", top-6, "x2", x, "y2", axisY, "stroke", "#455a64", "stroke-width", 1.2, "stroke-dasharray", "4 3")
		b.textEl(th.String(), "x", x, "y", top-10, "text-anchor", "middle", "font-size", 10, "fill", "#455a64")
	}
	b.empty("line", "class", "index", "data-value", s.Residual.Index.String(), "x1", base, "y1", top-6, "x2", base, "y2", axisY, "stroke", "#212121", "stroke-width", 1.5)
	b.textEl("R = "+s.Residual.Index.String(), "x", base, "y", top-20, "text-anchor", "middle", "font-size", 10, "font-weight", "bold", "fill", "#212121")
	b.WriteString("</g>\n")

	// Legend.
	b.WriteString(`<g class="legend">` + "\n")
	x := 8.0
	item := func(draw func(x float64), text string) {
		draw(x)
		b.textEl(text, "x", x+30, "y", legendY+11)
		x += 30 + textWidth(text, 12) + 16
	}
	item(func(x float64) {
		b.empty("rect", "data-side", "low", "x", x, "y", legendY+2, "width", 24.0, "height", 10.0, "fill", tornadoLowFill)
	}, tr(lang, "tornado_low"))
	item(func(x float64) {
		b.empty("rect", "data-side", "high", "x", x, "y", legendY+2, "width", 24.0, "height", 10.0, "fill", tornadoHighFill)
	}, tr(lang, "tornado_high"))
	item(func(x float64) {
		b.empty("line", "x1", x, "y1", legendY+7, "x2", x+24, "y2", legendY+7, "stroke", "#455a64", "stroke-width", 1.2, "stroke-dasharray", "4 3")
	}, tr(lang, "thresholds"))
	item(func(x float64) {
		b.empty("line", "x1", x, "y1", legendY+7, "x2", x+24, "y2", legendY+7, "stroke", "#212121", "stroke-width", 1.5)
	}, tr(lang, "tornado_index"))
	b.WriteString("</g>\n")
	b.end()
}

// sensitivityView is the sensitivity part of the report: the plain
// sentence of the margin, the level distribution over the panel's ratings
// when there is one, and the tornado chart.
type sensitivityView struct {
	Margin       string
	Distribution string
	Rows         []tornadoRow
}

// tornadoRow is one bar of the tornado chart as a table row (Markdown).
type tornadoRow struct{ ID, Low, High, Swing string }

func newSensitivityView(in *Input) *sensitivityView {
	s := in.Sensitivity
	if s == nil {
		return nil
	}
	lang := in.Lang
	v := &sensitivityView{Margin: riskeval.MarginSentence(*s, lang)}
	if v.Margin == "" {
		v.Margin = tr(lang, "margin_none")
	}
	for _, bar := range tornadoOrder(s) {
		f := s.Factors[bar.k]
		v.Rows = append(v.Rows, tornadoRow{f.ID, f.SwingLow.String(), f.SwingHigh.String(), bar.swing.String()})
	}
	v.Distribution = distributionText(lang, s.Distribution)
	return v
}

// distributionText says, in the language, what share of the panel's
// combinations gives each residual level and outcome, and how it was
// computed.
func distributionText(lang ssra.Lang, d *riskeval.LevelDistribution) string {
	if d == nil {
		return ""
	}
	pct := func(share decimal.Decimal) string { return share.Shift(2).String() + "%" }
	var levels, outcomes []string
	for _, l := range d.Levels {
		levels = append(levels, levelText(lang, l.Level)+" "+pct(l.Share))
	}
	for _, o := range d.Outcomes {
		outcomes = append(outcomes, o.Outcome.Label(lang)+" "+pct(o.Share))
	}
	if lang == ssra.LangZH {
		method := "逐一枚举全部" + d.Combinations.String() + "种组合"
		if d.Method == riskeval.DistributionMonteCarlo {
			method = "从" + d.Combinations.String() + "种组合中以种子" + strconv.FormatUint(d.Seed, 10) + "随机抽样" + itoa(d.Samples) + "次（蒙特卡罗法），各比例的抽样误差在95%概率下不超过" + d.ErrorBound.String()
		}
		return "按专家组各成员的评分组合（假定每位成员的评分等可能、各因素相互独立），落实措施后风险等级为" +
			strings.Join(levels, "，") + "；决策建议为" + strings.Join(outcomes, "，") + "。计算方法：" + method + "。决策仍以汇总评分为准。"
	}
	method := "every one of the " + d.Combinations.String() + " combinations enumerated"
	if d.Method == riskeval.DistributionMonteCarlo {
		method = itoa(d.Samples) + " of the " + d.Combinations.String() + " combinations sampled with seed " + strconv.FormatUint(d.Seed, 10) +
			" (Monte Carlo); each share lies within " + d.ErrorBound.String() + " of the exact one with probability at least 95%"
	}
	return "Over the combinations of the panel members' ratings (" + d.Assumption + "), the residual level is " +
		strings.Join(levels, ", ") + "; the outcome is " + strings.Join(outcomes, ", ") + ". Method: " + method +
		". The decision still follows the aggregate ratings."
}
