package report

import (
	"bufio"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

const xmlProlog = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// HeatMap writes the risk heat map (风险矩阵图) of a result as a standalone
// SVG document: the profile's probability × impact grid (rows probability,
// highest at the top; columns impact), each cell coloured by the level it
// gives a factor (from the matrix's degree, whose letter the cell shows,
// when the profile has a matrix; otherwise from the factor thresholds
// applied to the cell's grade product, which the cell shows), axis labels
// from the scale labels, each factor drawn as a hollow circle at its initial
// position with an arrow to a filled circle at its residual position
// (several factors in one cell are set side by side), and a legend.
//
// p must be the profile that produced r. HeatMap returns a *ssra.Error of
// KindInvalid listing the problems when lang is unknown, r is empty or p is
// not its profile, and a wrapped write error when w fails.
func HeatMap(w io.Writer, p riskeval.Profile, r riskeval.Result, lang ssra.Lang) error {
	var ps ssra.Problems
	def := p.Def()
	checkChart(&ps, lang, r)
	if !ps.HasErrors() {
		checkProfile(&ps, def, r)
	}
	if err := ps.Err("report.HeatMap"); err != nil {
		return err
	}
	var b svgBuf
	b.WriteString(xmlProlog)
	heatMap(&b, &def, &r, lang)
	return writeAll(w, b.String(), "report.HeatMap")
}

func checkChart(ps *ssra.Problems, lang ssra.Lang, r riskeval.Result) {
	if lang != ssra.LangZH && lang != ssra.LangEN {
		ps.Add("report.lang_unknown", "lang", "language must be zh-CN or en")
	}
	if r.Profile.Name == "" || !r.Decision.Outcome.Valid() {
		ps.Add("report.result_missing", "result", "the result is empty: evaluate the assessment first")
	}
}

func writeAll(w io.Writer, s, op string) error {
	if _, err := io.WriteString(w, s); err != nil {
		return ssra.Wrap(ssra.KindInternal, op, err, "cannot write the output")
	}
	return nil
}

// writeBuffered runs render on a buffered writer over w and flushes it.
func writeBuffered(w io.Writer, op string, render func(*bufio.Writer) error) error {
	bw := bufio.NewWriterSize(w, 32<<10)
	if err := render(bw); err != nil {
		return ssra.Wrap(ssra.KindInternal, op, err, "cannot render the output")
	}
	if err := bw.Flush(); err != nil {
		return ssra.Wrap(ssra.KindInternal, op, err, "cannot write the output")
	}
	return nil
}

func scaleLabel(s riskeval.Scale, k int, lang ssra.Lang) string {
	for _, pt := range s.Points {
		if pt.Value == k {
			return pt.Label.In(lang)
		}
	}
	return ""
}

type slot struct {
	factor   int
	residual bool
	x, y     float64
}

// heatMap draws the heat map of a validated result.
func heatMap(b *svgBuf, p *riskeval.ProfileDef, r *riskeval.Result, lang ssra.Lang) {
	np, ni := len(p.Probability.Points), len(p.Impact.Points)
	counts := make([]int, np*ni)
	for _, f := range r.Factors {
		counts[(f.Initial.Probability-1)*ni+f.Initial.Impact-1]++
		counts[(f.Residual.Probability-1)*ni+f.Residual.Impact-1]++
	}
	cell, lay := layoutFor(counts, r, np, ni)
	const left, top = 128.0, 16.0
	gw, gh := float64(ni)*cell, float64(np)*cell
	width := left + gw + 24
	legendY := top + gh + 62
	height := legendY + 62
	b.start(width, height, tr(lang, "heatmap"), "ssra-heatmap")
	b.WriteString(`<defs><marker id="ssra-hm-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L10,5L0,10z" fill="#37474f"/></marker></defs>` + "\n")

	cellX := func(i int) float64 { return left + float64(i-1)*cell }
	cellY := func(pr int) float64 { return top + float64(np-pr)*cell }

	// Cells, coloured by the level they give a factor.
	b.WriteString(`<g class="cells">` + "\n")
	for pr := np; pr >= 1; pr-- {
		for i := 1; i <= ni; i++ {
			lvl, corner := cellLevel(p, r, pr, i)
			b.empty("rect", "x", cellX(i), "y", cellY(pr), "width", cell, "height", cell, "fill", levelFill[lvl], "stroke", "#ffffff", "stroke-width", 2.0)
			b.textEl(corner, "x", cellX(i)+5, "y", cellY(pr)+12, "font-size", 10, "fill", "#5f6b70")
		}
	}
	b.WriteString("</g>\n")

	// Axes.
	for pr := 1; pr <= np; pr++ {
		b.textEl(strconv.Itoa(pr)+" "+scaleLabel(p.Probability, pr, lang), "x", left-8, "y", cellY(pr)+cell/2+4, "text-anchor", "end")
	}
	for i := 1; i <= ni; i++ {
		cx := cellX(i) + cell/2
		b.textEl(strconv.Itoa(i), "x", cx, "y", top+gh+16, "text-anchor", "middle")
		lbl, _ := fit(scaleLabel(p.Impact, i, lang), 11, cell-4)
		b.textEl(lbl, "x", cx, "y", top+gh+30, "text-anchor", "middle", "font-size", 11)
	}
	b.textEl(tr(lang, "legend_probability")+" →", "x", 16, "y", top+gh/2, "text-anchor", "middle", "font-weight", "bold", "transform", "rotate(-90 16 "+num(top+gh/2)+")")
	b.textEl(tr(lang, "legend_impact")+" →", "x", left+gw/2, "y", top+gh+48, "text-anchor", "middle", "font-weight", "bold")

	// Slots: each cell lays out its markers in a small grid.
	cells := make([][]int, np*ni)
	slots := make([]slot, 0, 2*len(r.Factors))
	add := func(k int, residual bool, e riskeval.EstimateResult) {
		c := (e.Probability-1)*ni + e.Impact - 1
		cells[c] = append(cells[c], len(slots))
		slots = append(slots, slot{factor: k, residual: residual})
	}
	for k, f := range r.Factors {
		add(k, false, f.Initial)
		add(k, true, f.Residual)
	}
	type geom struct{ rad, fs, labelW float64 }
	g := make([]geom, len(slots))
	for c, members := range cells {
		m := len(members)
		if m == 0 {
			continue
		}
		pr, i := c/ni+1, c%ni+1
		perCol := max(1, int((cell-18)/lay.slotH))
		cols := (m + perCol - 1) / perCol
		rows := (m + cols - 1) / cols
		x0, y0 := cellX(i)+4, cellY(pr)+16
		sw, sh := (cell-8)/float64(cols), math.Min((cell-20)/float64(rows), 1.8*lay.slotH)
		y0 += (cell - 20 - sh*float64(rows)) / 2
		for n, si := range members {
			col, row := n%cols, n/cols
			slots[si].x = x0 + float64(col)*sw + lay.rad + 2
			slots[si].y = y0 + float64(row)*sh + sh/2
			g[si] = geom{lay.rad, lay.fs, sw - 2*lay.rad - 7}
		}
	}

	// Arrows from each initial position to the residual one.
	b.WriteString(`<g class="moves" stroke="#37474f" stroke-width="1.3" stroke-opacity="0.75" fill="none">` + "\n")
	var drawn []segment
	for k := range r.Factors {
		from, to := slots[2*k], slots[2*k+1]
		dx, dy := to.x-from.x, to.y-from.y
		d := math.Hypot(dx, dy)
		gap := g[2*k].rad + 1.5
		if d <= 2*gap+2 {
			continue
		}
		ux, uy := dx/d, dy/d
		a := segment{from.x + ux*gap, from.y + uy*gap, to.x - ux*(g[2*k+1].rad+1.5), to.y - uy*(g[2*k+1].rad+1.5)}
		// An arrow that would run over one already drawn is moved sideways,
		// by up to the marker's radius each way, so both stay visible and
		// still start and end at their markers.
		for _, off := range []float64{0, 1, -1, 2, -2} {
			o := off * g[2*k].rad * 1.1
			c := segment{a.x1 - uy*o, a.y1 + ux*o, a.x2 - uy*o, a.y2 + ux*o}
			if !overlapsAny(c, drawn) {
				a = c
				break
			}
		}
		drawn = append(drawn, a)
		b.empty("line", "x1", a.x1, "y1", a.y1, "x2", a.x2, "y2", a.y2, "marker-end", "url(#ssra-hm-arrow)")
	}
	b.WriteString("</g>\n")

	// Markers and their labels, on top.
	b.WriteString(`<g class="factors">` + "\n")
	for si, s := range slots {
		f := r.Factors[s.factor]
		e, when, fill := f.Initial, tr(lang, "legend_initial"), "#ffffff"
		if s.residual {
			e, when, fill = f.Residual, tr(lang, "legend_residual"), "#37474f"
		}
		b.open("g", "class", "factor")
		b.WriteByte('>')
		b.title(f.ID + " " + when + ": " + strconv.Itoa(e.Probability) + "×" + strconv.Itoa(e.Impact) + " = " + e.Score.String() + ", " + levelText(lang, e.Level))
		b.WriteByte('\n')
		b.empty("circle", "cx", s.x, "cy", s.y, "r", g[si].rad, "fill", fill, "stroke", "#37474f", "stroke-width", 1.5)
		lbl, _ := fit(f.ID, g[si].fs, math.Max(g[si].labelW, g[si].fs))
		b.textEl(lbl, "x", s.x+g[si].rad+3, "y", s.y+g[si].fs*0.35, "font-size", g[si].fs, "fill", "#263238",
			"stroke", "#ffffff", "stroke-width", 2.5, "stroke-linejoin", "round", "paint-order", "stroke")
		b.WriteString("</g>\n")
	}
	b.WriteString("</g>\n")

	// Legend.
	b.WriteString(`<g class="legend">` + "\n")
	x := left
	for l := riskeval.LevelLow; l <= riskeval.LevelHigh; l++ {
		b.empty("rect", "x", x, "y", legendY, "width", 14.0, "height", 14.0, "fill", levelFill[l], "stroke", "#9e9e9e", "stroke-width", 0.5)
		t := levelText(lang, l)
		b.textEl(t, "x", x+20, "y", legendY+11)
		x += 20 + textWidth(t, 12) + 18
	}
	b.empty("circle", "cx", x+6, "cy", legendY+7, "r", 5.0, "fill", "#ffffff", "stroke", "#37474f", "stroke-width", 1.5)
	b.textEl(tr(lang, "legend_initial"), "x", x+16, "y", legendY+11)
	x += 16 + textWidth(tr(lang, "legend_initial"), 12) + 8
	b.empty("line", "x1", x, "y1", legendY+7, "x2", x+24, "y2", legendY+7, "stroke", "#37474f", "stroke-width", 1.3, "marker-end", "url(#ssra-hm-arrow)")
	x += 32
	b.empty("circle", "cx", x+6, "cy", legendY+7, "r", 5.0, "fill", "#37474f", "stroke", "#37474f", "stroke-width", 1.5)
	b.textEl(tr(lang, "legend_residual"), "x", x+16, "y", legendY+11)
	b.textEl(cellNote(p, r, lang), "x", left, "y", legendY+34, "font-size", 11, "fill", "#5f6b70")
	b.WriteString("</g>\n")
	b.end()
}

// cellLevel returns the level a cell gives a factor and the text shown in
// its corner: the matrix degree letter, or the grade product.
func cellLevel(p *riskeval.ProfileDef, r *riskeval.Result, pr, i int) (riskeval.Level, string) {
	if p.Matrix != nil {
		for _, row := range p.Matrix.Rows {
			if row.Probability == pr && i <= len(row.Cells) {
				d := row.Cells[i-1]
				return p.Matrix.Levels.Of(d), strings.ToUpper(d.String())
			}
		}
		return riskeval.LevelNone, ""
	}
	score := gradeAt(r.Rules.ProbabilityGrades, pr).Mul(gradeAt(r.Rules.ImpactGrades, i))
	return r.Rules.FactorThresholds.Of(score), score.String()
}

func gradeAt(gs []decimal.Decimal, k int) decimal.Decimal {
	if k < 1 || k > len(gs) {
		return decimal.Decimal{}
	}
	return gs[k-1]
}

func cellNote(p *riskeval.ProfileDef, r *riskeval.Result, lang ssra.Lang) string {
	if p.Matrix != nil {
		var parts []string
		for d := riskeval.DegreeN; d <= riskeval.DegreeS; d++ {
			parts = append(parts, strings.ToUpper(d.String())+" "+d.Label(lang))
		}
		if lang == ssra.LangZH {
			return "格内字母为矩阵风险程度：" + strings.Join(parts, "，")
		}
		return "Letters are the matrix degrees: " + strings.Join(parts, ", ")
	}
	if lang == ssra.LangZH {
		return "格内数字为概率分值 × 影响分值；等级：" + thresholdRule(lang, r.Rules.FactorThresholds)
	}
	return "Numbers are probability grade × impact grade; levels: " + thresholdRule(lang, r.Rules.FactorThresholds)
}

// markerLayout is the size of the factor markers and labels in the heat map.
type markerLayout struct{ fs, slotH, rad float64 }

// markerLayouts are tried in order, largest first.
var markerLayouts = []markerLayout{{10, 15, 4.5}, {9, 13, 4}, {8, 11, 3.5}, {7, 9, 3}}

// layoutFor chooses the cell size and marker size so that every cell holds
// its markers with their labels unshortened: the largest markers in the
// smallest cell that fits, growing the cells up to a limit before shrinking
// the markers. counts are the markers per cell.
func layoutFor(counts []int, r *riskeval.Result, np, ni int) (float64, markerLayout) {
	base, limit := 88.0, 132.0
	if np > 5 || ni > 5 {
		base, limit = 64, 96
	}
	longest := ""
	for _, f := range r.Factors {
		if len(f.ID) > len(longest) {
			longest = f.ID
		}
	}
	for _, lay := range markerLayouts {
		labelW := math.Min(textWidth(longest, lay.fs), 6*lay.fs)
		slotW := 2*lay.rad + 7 + labelW + 2
		for cell := base; cell <= limit; cell += 4 {
			perCol := max(1, int((cell-18)/lay.slotH))
			ok := true
			for _, m := range counts {
				if cols := (m + perCol - 1) / perCol; m > 0 && float64(cols)*slotW+8 > cell {
					ok = false
					break
				}
			}
			if ok {
				return cell, lay
			}
		}
	}
	return limit, markerLayouts[len(markerLayouts)-1]
}

// segment is a straight line from (x1, y1) to (x2, y2).
type segment struct{ x1, y1, x2, y2 float64 }

// overlapsAny reports whether a runs over any of the segments: more than a
// fifth of the points along either lies within 2.5 px of the other.
func overlapsAny(a segment, others []segment) bool {
	for _, o := range others {
		if nearShare(a, o) > 0.2 || nearShare(o, a) > 0.2 {
			return true
		}
	}
	return false
}

// nearShare is the share of 41 points along a that lie within 2.5 px of b.
func nearShare(a, b segment) float64 {
	const n = 40
	near := 0
	for k := 0; k <= n; k++ {
		t := float64(k) / n
		if b.dist(a.x1+(a.x2-a.x1)*t, a.y1+(a.y2-a.y1)*t) < 2.5 {
			near++
		}
	}
	return float64(near) / (n + 1)
}

// dist is the distance from (x, y) to the nearest point of s.
func (s segment) dist(x, y float64) float64 {
	dx, dy := s.x2-s.x1, s.y2-s.y1
	u, l2 := 0.0, dx*dx+dy*dy
	if l2 > 0 {
		u = math.Max(0, math.Min(1, ((x-s.x1)*dx+(y-s.y1)*dy)/l2))
	}
	return math.Hypot(x-s.x1-u*dx, y-s.y1-u*dy)
}
