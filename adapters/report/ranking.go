package report

import (
	"io"
	"sort"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// Ranking is the input of a ranked bar chart with grade bands, for an
// appraisal run (考核排名): the scored units or staff, the full score of the
// axis, and the grade bands (等次) by lower bound. It is plain data so that
// any scoring package can fill it.
type Ranking struct {
	// Title is printed above the chart.
	Title string
	Lang  ssra.Lang
	// Max is the end of the score axis (e.g. the full score 100).
	Max   decimal.Decimal
	Items []RankItem
	// Bands are the grade bands in ascending order of their lower bound.
	Bands []GradeBand
}

// RankItem is one ranked entry: its name, its score and the grade label it
// was given.
type RankItem struct {
	Name  string
	Score decimal.Decimal
	Grade string
}

// GradeBand is one grade band: scores from Min up to the next band's Min
// (the last band up to Ranking.Max) have this grade (e.g. 优秀 from 90).
type GradeBand struct {
	Label string
	Min   decimal.Decimal
}

// Validate returns every problem of the ranking: an unknown language, a
// full score that is not positive, no items, an item without a name or with
// a score outside 0..Max, a band without a label, or band bounds outside
// 0..Max or not strictly ascending. Codes are "ranking.*".
func (rk Ranking) Validate() ssra.Problems {
	var ps ssra.Problems
	if rk.Lang != ssra.LangZH && rk.Lang != ssra.LangEN {
		ps.Add("ranking.lang_unknown", "lang", "language must be zh-CN or en")
	}
	maxOK := false
	if err := ssra.CheckDecimal(rk.Max); err != nil {
		ps.Add("ranking.max_invalid", "max", "%v", err)
	} else if rk.Max.Sign() <= 0 {
		ps.Add("ranking.max_not_positive", "max", "the full score must be positive")
	} else {
		maxOK = true
	}
	if len(rk.Items) == 0 {
		ps.Add("ranking.items_empty", "items", "give at least one item to rank")
	}
	for i, it := range rk.Items {
		field := ssra.Index("items", i)
		if it.Name == "" {
			ps.Add("ranking.name_missing", field+".name", "name the item")
		}
		if err := ssra.CheckDecimal(it.Score); err != nil {
			ps.Add("ranking.score_invalid", field+".score", "%v", err)
		} else if maxOK && (it.Score.Sign() < 0 || it.Score.Cmp(rk.Max) > 0) {
			ps.Add("ranking.score_out_of_range", field+".score", "score %s lies outside 0..%s", it.Score, rk.Max)
		}
	}
	for i, bd := range rk.Bands {
		field := ssra.Index("bands", i)
		if bd.Label == "" {
			ps.Add("ranking.band_label_missing", field+".label", "name the grade band")
		}
		if err := ssra.CheckDecimal(bd.Min); err != nil {
			ps.Add("ranking.band_min_invalid", field+".min", "%v", err)
			continue
		}
		if maxOK && (bd.Min.Sign() < 0 || bd.Min.Cmp(rk.Max) >= 0) {
			ps.Add("ranking.band_min_out_of_range", field+".min", "lower bound %s must lie in 0..%s (exclusive)", bd.Min, rk.Max)
		}
		if i > 0 && ssra.CheckDecimal(rk.Bands[i-1].Min) == nil && bd.Min.Cmp(rk.Bands[i-1].Min) <= 0 {
			ps.Add("ranking.bands_not_ascending", field+".min", "lower bound %s must exceed the previous band's %s", bd.Min, rk.Bands[i-1].Min)
		}
	}
	return ps
}

// bandFill are the alternating background colours of the grade bands.
var bandFill = [...]string{"#eceff1", "#e3f2fd", "#e8f5e9", "#fff8e1", "#fce4ec", "#ede7f6"}

// RankChart writes a ranked bar chart as a standalone SVG document: items
// sorted by score, highest first (equal scores keep their input order and
// share a rank, 1, 2, 2, 4), each a horizontal bar on the axis 0..Max over
// the grade bands drawn as labelled background stripes, with the rank, the
// name, the score and the grade. It returns a *ssra.Error of KindInvalid
// listing the problems of rk (see Ranking.Validate), and a wrapped write
// error when w fails.
func RankChart(w io.Writer, rk Ranking) error {
	if err := rk.Validate().Err("report.RankChart"); err != nil {
		return err
	}
	var b svgBuf
	b.WriteString(xmlProlog)
	rankChart(&b, &rk)
	return writeAll(w, b.String(), "report.RankChart")
}

func rankChart(b *svgBuf, rk *Ranking) {
	const left, rankW, nameW, barW, rowH, top = 8.0, 34.0, 180.0, 380.0, 24.0, 58.0
	x0 := left + rankW + nameW
	n := len(rk.Items)
	width := x0 + barW + 130
	axisY := top + float64(n)*rowH
	height := axisY + 30
	maxF := rk.Max.InexactFloat64()
	xOf := func(v decimal.Decimal) float64 { return x0 + v.InexactFloat64()/maxF*barW }
	title := rk.Title
	if title == "" {
		title = tr(rk.Lang, "rank")
	}
	b.start(width, height, title, "ssra-ranking")
	b.textEl(title, "x", left, "y", 18.0, "font-size", 14, "font-weight", "bold")

	for k, bd := range rk.Bands {
		hi := rk.Max
		if k+1 < len(rk.Bands) {
			hi = rk.Bands[k+1].Min
		}
		xa, xb := xOf(bd.Min), xOf(hi)
		b.empty("rect", "x", xa, "y", top-24, "width", xb-xa, "height", axisY-top+24, "fill", bandFill[k%len(bandFill)])
		lbl, _ := fit(bd.Label, 11, xb-xa-4)
		b.textEl(lbl, "x", (xa+xb)/2, "y", top-10, "text-anchor", "middle", "font-size", 11, "fill", "#37474f")
		b.textEl(bd.Min.String(), "x", xa, "y", axisY+14, "text-anchor", "middle", "font-size", 10, "fill", "#5f6b70")
	}
	b.textEl(rk.Max.String(), "x", x0+barW, "y", axisY+14, "text-anchor", "middle", "font-size", 10, "fill", "#5f6b70")
	if len(rk.Bands) == 0 || !rk.Bands[0].Min.IsZero() {
		b.textEl("0", "x", x0, "y", axisY+14, "text-anchor", "middle", "font-size", 10, "fill", "#5f6b70")
	}

	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	sort.SliceStable(order, func(i, j int) bool { return rk.Items[order[i]].Score.Cmp(rk.Items[order[j]].Score) > 0 })
	rank := 0
	for k, idx := range order {
		it := rk.Items[idx]
		if k == 0 || !it.Score.Equal(rk.Items[order[k-1]].Score) {
			rank = k + 1
		}
		y := top + float64(k)*rowH
		b.WriteString(`<g class="item">`)
		lbl, cut := fit(it.Name, 12, nameW-8)
		if cut {
			b.title(it.Name)
		}
		b.WriteByte('\n')
		b.textEl(strconv.Itoa(rank), "x", left+rankW-8, "y", y+rowH/2+4, "text-anchor", "end", "font-weight", "bold")
		b.textEl(lbl, "x", left+rankW, "y", y+rowH/2+4)
		xs := xOf(it.Score)
		b.empty("rect", "x", x0, "y", y+5, "width", xs-x0, "height", rowH-10, "fill", "#5c6bc0")
		b.textEl(it.Score.String()+" "+it.Grade, "x", xs+4, "y", y+rowH/2+4, "font-size", 11)
		b.WriteString("</g>\n")
	}
	b.empty("line", "x1", x0, "y1", top-24, "x2", x0, "y2", axisY, "stroke", "#607d8b", "stroke-width", 1.0)
	b.end()
}
