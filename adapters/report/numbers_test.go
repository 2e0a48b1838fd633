package report_test

import (
	"bytes"
	"math/rand/v2"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/riskeval"
)

// splitRow splits a Markdown table row into its cells, honouring \| escapes.
func splitRow(line string) []string {
	line = strings.TrimSpace(line)
	line = strings.TrimPrefix(line, "|")
	line = strings.TrimSuffix(line, "|")
	var cells []string
	var cur strings.Builder
	for i := 0; i < len(line); i++ {
		switch {
		case line[i] == '\\' && i+1 < len(line):
			cur.WriteByte(line[i+1])
			i++
		case line[i] == '|':
			cells = append(cells, strings.TrimSpace(cur.String()))
			cur.Reset()
		default:
			cur.WriteByte(line[i])
		}
	}
	return append(cells, strings.TrimSpace(cur.String()))
}

// tables returns the Markdown tables of doc: header cells and body rows.
func tables(doc string) [][][]string {
	var out [][][]string
	var cur [][]string
	for _, line := range strings.Split(doc, "\n") {
		if strings.HasPrefix(line, "|") {
			if strings.HasPrefix(line, "| ---") || strings.HasPrefix(line, "| :--") {
				continue
			}
			cur = append(cur, splitRow(line))
			continue
		}
		if cur != nil {
			out = append(out, cur)
			cur = nil
		}
	}
	return out
}

func dec(t *testing.T, s string) decimal.Decimal {
	t.Helper()
	d, err := decimal.NewFromString(s)
	if err != nil {
		t.Fatalf("not a number in the report: %q", s)
	}
	return d
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not an integer in the report: %q", s)
	}
	return n
}

var indexRE = regexp.MustCompile(`R = ([0-9.]+)`)

// checkNumbers parses the numbers back out of a Markdown report and
// compares them with the result they were rendered from.
func checkNumbers(t *testing.T, doc string, in report.Input) {
	t.Helper()
	r, lang := in.Result, in.Lang
	var ident, estim, levels [][]string
	for _, tb := range tables(doc) {
		h := tb[0]
		switch {
		case (h[0] == "ID" || h[0] == "编号") && len(h) == 7:
			ident = tb[1:]
		case (h[0] == "ID" || h[0] == "编号") && (len(h) == 9 || len(h) == 11):
			estim = tb[1:]
		case h[0] == "" && len(h) == 6:
			levels = tb[1:]
		}
	}
	if len(ident) != len(r.Factors) || len(estim) != len(r.Factors) || len(levels) != 2 {
		t.Fatalf("tables: %d identification rows, %d estimation rows, %d level rows; want %d, %d, 2", len(ident), len(estim), len(levels), len(r.Factors), len(r.Factors))
	}
	matrix := len(estim[0]) == 11
	if matrix != r.Rules.Matrix {
		t.Fatalf("degree columns shown = %v, result matrix = %v", matrix, r.Rules.Matrix)
	}
	for k, f := range r.Factors {
		if got := ident[k][0]; got != f.ID {
			t.Fatalf("row %d: factor %q, want %q", k, got, f.ID)
		}
		if got := dec(t, ident[k][6]); !got.Equal(f.Weight) {
			t.Errorf("%s weight: report %s, result %s", f.ID, got, f.Weight)
		}
		row := estim[k]
		if row[0] != f.ID {
			t.Fatalf("estimation row %d: factor %q, want %q", k, row[0], f.ID)
		}
		col := 1
		for _, e := range []riskeval.EstimateResult{f.Initial, f.Residual} {
			if got := atoi(t, row[col]); got != e.Probability {
				t.Errorf("%s probability: report %d, result %d", f.ID, got, e.Probability)
			}
			if got := atoi(t, row[col+1]); got != e.Impact {
				t.Errorf("%s impact: report %d, result %d", f.ID, got, e.Impact)
			}
			if got := dec(t, row[col+2]); !got.Equal(e.Score) {
				t.Errorf("%s score: report %s, result %s", f.ID, got, e.Score)
			}
			col += 3
			if matrix {
				if got, want := row[col], strings.ToUpper(e.Degree.String()); !strings.HasPrefix(got, want+" ") {
					t.Errorf("%s degree: report %q, result %s", f.ID, got, want)
				}
				col++
			}
			if got, want := row[col], e.Level.Label(lang); got != want {
				t.Errorf("%s level: report %q, result %q", f.ID, got, want)
			}
			col++
		}
	}
	for k, l := range []riskeval.LevelResult{r.Initial, r.Residual} {
		row := levels[k]
		if got := dec(t, row[1]); !got.Equal(l.Index) {
			t.Errorf("index %d: report %s, result %s", k, got, l.Index)
		}
		if got, want := row[2], l.IndexLevel.Label(lang); got != want {
			t.Errorf("index level %d: report %q, result %q", k, got, want)
		}
		if got, want := row[4], l.Level.Label(lang); got != want {
			t.Errorf("level %d: report %q, result %q", k, got, want)
		}
		var h, m, lo int
		parts := strings.Split(row[5], " / ")
		if len(parts) != 3 {
			t.Fatalf("counts %q", row[5])
		}
		h, m, lo = atoi(t, parts[0]), atoi(t, parts[1]), atoi(t, parts[2])
		if h != l.Counts.High || m != l.Counts.Medium || lo != l.Counts.Low {
			t.Errorf("counts %d: report %d/%d/%d, result %+v", k, h, m, lo, l.Counts)
		}
	}
	// Every index printed (summary, levels, conclusion) is one of the two.
	for _, m := range indexRE.FindAllStringSubmatch(doc, -1) {
		v := dec(t, strings.TrimSuffix(m[1], "."))
		if !v.Equal(r.Initial.Index) && !v.Equal(r.Residual.Index) {
			t.Errorf("printed index %s is neither %s nor %s", v, r.Initial.Index, r.Residual.Index)
		}
	}
	if s := r.Survey; s != nil {
		want := s.Opposition.Value.String() + " (" + s.Opposition.Lower.String() + "–" + s.Opposition.Upper.String() + ")"
		if lang == ssra.LangZH {
			want = s.Opposition.Value.String() + "（" + s.Opposition.Lower.String() + "–" + s.Opposition.Upper.String() + "）"
		}
		if !strings.Contains(doc, want) {
			t.Errorf("survey opposition %q not printed", want)
		}
	}
	if !strings.Contains(doc, in.Result.Decision.Outcome.Label(lang)) {
		t.Errorf("outcome %q not printed", in.Result.Decision.Outcome.Label(lang))
	}
}

func TestMarkdownNumbersAgreeWithResult(t *testing.T) {
	for _, preset := range []string{"practice", "textbook5x5"} {
		for _, lang := range []ssra.Lang{ssra.LangZH, ssra.LangEN} {
			t.Run(preset+"/"+lang.String(), func(t *testing.T) {
				in := plantInput(t, preset, lang)
				var b bytes.Buffer
				if err := report.Markdown(&b, in); err != nil {
					t.Fatal(err)
				}
				checkNumbers(t, b.String(), in)
			})
		}
	}
}

// Property: for random estimates and weights, every number the Markdown
// prints agrees with the result, with or without a matrix.
func TestMarkdownNumbersProperty(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 2026))
	for _, preset := range []string{"practice", "textbook5x5"} {
		p, err := riskeval.Preset(preset)
		if err != nil {
			t.Fatal(err)
		}
		for trial := 0; trial < 60; trial++ {
			n := 1 + rng.IntN(30)
			a := bigAssessment(n)
			for k := range a.Factors {
				f := &a.Factors[k]
				f.Initial = riskeval.Estimate{Probability: 1 + rng.IntN(5), Impact: 1 + rng.IntN(5)}
				f.Residual = est(1+rng.IntN(f.Initial.Probability), 1+rng.IntN(f.Initial.Impact))
			}
			res, err := riskeval.Evaluate(a, p)
			if err != nil {
				t.Fatal(err)
			}
			lang := ssra.Lang(trial % 2)
			in := report.Input{Assessment: a, Result: res, Profile: p, Lang: lang, Generated: genTime}
			var b bytes.Buffer
			if err := report.Markdown(&b, in); err != nil {
				t.Fatal(err)
			}
			checkNumbers(t, b.String(), in)
		}
	}
}
