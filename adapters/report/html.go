package report

import (
	"bufio"
	_ "embed"
	"html/template"
	"io"
)

//go:embed report.html.tmpl
var htmlSource string

// htmlTemplate is parsed once; html/template escapes every value by context.
var htmlTemplate = template.Must(template.New("report").Parse(htmlSource))

// HTML writes the report as one self-contained HTML page: inline CSS, the
// heat map, the score chart and (with a sensitivity analysis) the tornado
// chart as inline SVG, no scripts and no external fonts, images or style
// sheets. It prints on A4 with each major section
// on a new page and table headers repeated across pages; Chinese renders
// with a CJK font stack that falls back to the system's sans-serif.
//
// HTML validates in first (see Input.Validate) and returns a *ssra.Error of
// KindInvalid listing every problem before writing anything; a failing
// writer gives a wrapped error of KindInternal.
func HTML(w io.Writer, in Input) error {
	if err := in.Validate().Err("report.HTML"); err != nil {
		return err
	}
	v := newView(&in)
	var hm, sc svgBuf
	def := in.Profile.Def()
	heatMap(&hm, &def, &in.Result, in.Lang)
	scoreChart(&sc, &in.Assessment, &in.Result, in.Lang)
	// The charts are built from escaped text only (see svgBuf).
	v.HeatMap = template.HTML(hm.String())    //nolint:gosec // escaped by svgBuf
	v.ScoreChart = template.HTML(sc.String()) //nolint:gosec // escaped by svgBuf
	if s := in.Sensitivity; s != nil {
		var tc svgBuf
		names := make([]string, len(in.Assessment.Factors))
		for i, f := range in.Assessment.Factors {
			names[i] = f.Name
		}
		tornado(&tc, in.Result.Rules.IndexThresholds, s, names, in.Lang)
		v.Tornado = template.HTML(tc.String()) //nolint:gosec // escaped by svgBuf
	}
	return writeBuffered(w, "report.HTML", func(bw *bufio.Writer) error { return htmlTemplate.Execute(bw, v) })
}
