package riskeval_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func decList(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = dec(s)
	}
	return out
}

// pm builds a pairwise matrix from rows of judgments such as "3" or "1/3".
func pm(t testing.TB, rows ...string) riskeval.PairwiseMatrix {
	t.Helper()
	m := make(riskeval.PairwiseMatrix, len(rows))
	for i, r := range rows {
		for _, c := range strings.Fields(r) {
			f, err := ssra.ParseFraction(c)
			if err != nil {
				t.Fatalf("row %d cell %q: %v", i, c, err)
			}
			m[i] = append(m[i], f)
		}
	}
	return m
}

func sum(ds []decimal.Decimal) decimal.Decimal {
	s := decimal.Zero
	for _, d := range ds {
		s = s.Add(d)
	}
	return s
}

func codes(err error) []string {
	var out []string
	for _, p := range ssra.ProblemsOf(err) {
		out = append(out, p.Code+"@"+p.Field)
	}
	return out
}

func hasCode(err error, code, field string) bool {
	for _, p := range ssra.ProblemsOf(err) {
		if p.Code == code && p.Field == field {
			return true
		}
	}
	return false
}

// Published examples. The expected figures are the published ones at the
// precision they were published; the test compares our 6-place outputs
// rounded to that precision.
func TestAHPPublishedExamples(t *testing.T) {
	for _, tc := range []struct {
		name    string
		source  string
		matrix  []string
		method  riskeval.AHPMethod
		places  int32
		weights []string
		cr      string
		crPlace int32
	}{
		{
			// Saaty, T. L., "Decision making with the analytic hierarchy
			// process", Int. J. Services Sciences 1(1), 2008, pp. 83–98:
			// relative consumption of drinks in the United States
			// (coffee, wine, tea, beer, sodas, milk, water); published
			// eigenvector .177 .019 .042 .116 .190 .129 .327, CR .022
			// (also the reference case of the AHPy test suite).
			name:   "saaty 2008 drinks",
			source: "Saaty 2008",
			matrix: []string{
				"1 9 5 2 1 1 1/2",
				"1/9 1 1/3 1/9 1/9 1/9 1/9",
				"1/5 3 1 1/3 1/4 1/3 1/9",
				"1/2 9 3 1 1/2 1 1/3",
				"1 9 4 2 1 2 1/2",
				"1 9 3 1 1/2 1 1/3",
				"2 9 9 3 2 3 1",
			},
			method:  riskeval.AHPEigenvector,
			places:  3,
			weights: []string{"0.177", "0.019", "0.042", "0.116", "0.190", "0.129", "0.327"},
			cr:      "0.022",
			crPlace: 3,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res, err := riskeval.AHP(riskeval.AHPInput{Matrix: pm(t, tc.matrix...), Method: tc.method})
			if err != nil {
				t.Fatal(err)
			}
			for i, w := range res.Weights {
				if got, want := w.Round(tc.places).StringFixed(tc.places), dec(tc.weights[i]).StringFixed(tc.places); got != want {
					t.Errorf("weight %d: got %s (%s), want %s [%s]", i, got, w, want, tc.source)
				}
			}
			if tc.cr != "" {
				if got, want := res.CR.Round(tc.crPlace).StringFixed(tc.crPlace), tc.cr; got != want {
					t.Errorf("CR: got %s (%s), want %s [%s]", got, res.CR, want, tc.source)
				}
			}
			if !res.Consistent {
				t.Errorf("published example reported inconsistent: CR %s", res.CR)
			}
		})
	}
}

// The textbook 3×3 example is checked by hand: for the consistent matrix
// built from (4, 2, 1)/7 every method gives exactly that vector and CR = 0.
func TestAHPHandChecked(t *testing.T) {
	for _, method := range []riskeval.AHPMethod{riskeval.AHPEigenvector, riskeval.AHPGeometricMean} {
		t.Run(method.String(), func(t *testing.T) {
			res, err := riskeval.AHP(riskeval.AHPInput{Matrix: pm(t, "1 2 4", "1/2 1 2", "1/4 1/2 1"), Method: method})
			if err != nil {
				t.Fatal(err)
			}
			// 4/7 = 0.5714285…, 2/7 = 0.2857142…, 1/7 = 0.1428571…:
			// half-up gives 0.571429 + 0.285714 + 0.142857 = 1 exactly.
			want := []string{"0.571429", "0.285714", "0.142857"}
			for i, w := range res.Weights {
				if w.StringFixed(6) != want[i] {
					t.Errorf("weight %d = %s, want %s", i, w, want[i])
				}
			}
			if !res.LambdaMax.Equal(dec("3")) || !res.CI.IsZero() || !res.CR.IsZero() || !res.Consistent {
				t.Errorf("λmax %s CI %s CR %s consistent %v, want 3, 0, 0, true", res.LambdaMax, res.CI, res.CR, res.Consistent)
			}
			if got, want := res.RI.String(), "0.58"; got != want {
				t.Errorf("RI = %s, want %s", got, want)
			}
		})
	}
}

func TestAHPLongDecimalsReciprocal(t *testing.T) {
	res, err := riskeval.AHP(riskeval.AHPInput{Matrix: pm(t, "1 1.234567890123", "1/1.234567890123 1")})
	if err != nil {
		t.Fatal(err)
	}
	// w_0 = a/(1 + a) = 1.234567890123/2.234567890123 = 0.552486…
	if got, want := res.Weights[0].String(), "0.552486"; got != want {
		t.Errorf("w_0 = %s, want %s", got, want)
	}
}

func TestAHPInconsistent(t *testing.T) {
	// A preference cycle: 1 ≻ 2 ≻ 3 ≻ 1, each strongly.
	res, err := riskeval.AHP(riskeval.AHPInput{Matrix: pm(t, "1 5 1/5", "1/5 1 5", "5 1/5 1")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Consistent {
		t.Fatalf("cyclic matrix reported consistent, CR %s", res.CR)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Code != "ahp.inconsistent" || res.Warnings[0].Severity != ssra.SeverityWarning {
		t.Fatalf("warnings = %v", res.Warnings)
	}
	// The matrix is circulant, so the weights are equal and λmax = 1 + 5 + 1/5.
	if got, want := res.LambdaMax.String(), "6.2"; got != want {
		t.Errorf("λmax = %s, want %s", got, want)
	}
	// CI = (6.2 − 3)/2 = 1.6; CR = 1.6/0.58 = 2.758620689… → 2.758621.
	if got, want := res.CR.String(), "2.758621"; got != want {
		t.Errorf("CR = %s, want %s", got, want)
	}
}

func TestAHPRITables(t *testing.T) {
	for _, tc := range []struct {
		table riskeval.RITable
		n     int
		want  string
	}{
		{riskeval.RITableSaaty, 1, "0"},
		{riskeval.RITableSaaty, 3, "0.58"},
		{riskeval.RITableSaaty, 9, "1.45"},
		{riskeval.RITableSaaty, 12, "1.48"},
		{riskeval.RITableSaaty, 15, "1.59"},
		{riskeval.RITableCNTextbook, 3, "0.52"},
		{riskeval.RITableCNTextbook, 6, "1.26"},
		{riskeval.RITableCNTextbook, 12, "1.54"},
		{riskeval.RITableCNTextbook, 15, "1.59"},
	} {
		got, ok := tc.table.RI(tc.n)
		if !ok || !got.Equal(dec(tc.want)) {
			t.Errorf("%s RI(%d) = %s %v, want %s", tc.table, tc.n, got, ok, tc.want)
		}
	}
	if _, ok := riskeval.RITableSaaty.RI(16); ok {
		t.Error("RI(16) accepted")
	}
	// The same matrix under the two tables differs only in RI and CR.
	m := pm(t, "1 3 5", "1/3 1 3", "1/5 1/3 1")
	a, err := riskeval.AHP(riskeval.AHPInput{Matrix: m, RITable: riskeval.RITableSaaty})
	if err != nil {
		t.Fatal(err)
	}
	b, err := riskeval.AHP(riskeval.AHPInput{Matrix: m, RITable: riskeval.RITableCNTextbook})
	if err != nil {
		t.Fatal(err)
	}
	if !a.CI.Equal(b.CI) || a.CR.Cmp(b.CR) >= 0 {
		t.Errorf("saaty CI %s CR %s, cn_textbook CI %s CR %s: want equal CI and a larger CR with the smaller RI", a.CI, a.CR, b.CI, b.CR)
	}
}

func TestAHPSmallOrders(t *testing.T) {
	for _, tc := range []struct {
		name   string
		rows   []string
		expect []string
	}{
		{"n=1", []string{"1"}, []string{"1"}},
		{"n=2", []string{"1 3", "1/3 1"}, []string{"0.75", "0.25"}},
		{"n=2 with 2.5", []string{"1 2.5", "0.4 1"}, []string{"0.714286", "0.285714"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, method := range []riskeval.AHPMethod{riskeval.AHPEigenvector, riskeval.AHPGeometricMean} {
				res, err := riskeval.AHP(riskeval.AHPInput{Matrix: pm(t, tc.rows...), Method: method})
				if err != nil {
					t.Fatal(err)
				}
				if !res.CR.IsZero() || !res.CI.IsZero() || !res.Consistent || !res.LambdaMax.Equal(decimal.NewFromInt(int64(len(tc.rows)))) {
					t.Errorf("%s: CR %s CI %s λmax %s consistent %v", method, res.CR, res.CI, res.LambdaMax, res.Consistent)
				}
				for i, w := range res.Weights {
					if !w.Equal(dec(tc.expect[i])) {
						t.Errorf("%s: weight %d = %s, want %s", method, i, w, tc.expect[i])
					}
				}
			}
		})
	}
}

func TestAHPValidation(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    riskeval.PairwiseMatrix
		want []string // code@field, all must be present
	}{
		{"empty", riskeval.PairwiseMatrix{}, []string{"ahp.matrix.empty@matrix"}},
		{"too large", make(riskeval.PairwiseMatrix, 16), []string{"ahp.matrix.too_large@matrix"}},
		{"ragged", pm(t, "1 2", "1/2"), []string{"ahp.matrix.not_square@matrix[1]"}},
		{"zero value cell", riskeval.PairwiseMatrix{{ssra.FractionOf(dec("1")), {}}, {ssra.FractionOf(dec("1")), ssra.FractionOf(dec("1"))}}, []string{"ahp.cell.missing@matrix[0][1]"}},
		{"negative", pm(t, "1 -2", "1/2 1"), []string{"ahp.cell.not_positive@matrix[0][1]"}},
		{"zero", pm(t, "1 0", "1 1"), []string{"ahp.cell.not_positive@matrix[0][1]"}},
		{"beyond nine", pm(t, "1 10", "1/10 1"), []string{"ahp.cell.out_of_scale@matrix[0][1]", "ahp.cell.out_of_scale@matrix[1][0]"}},
		{"below a ninth", pm(t, "1 0.1", "10 1"), []string{"ahp.cell.out_of_scale@matrix[0][1]", "ahp.cell.out_of_scale@matrix[1][0]"}},
		{"diagonal", pm(t, "2 3", "1/3 1"), []string{"ahp.diagonal.not_one@matrix[0][0]"}},
		{"not reciprocal", pm(t, "1 3 5", "1/3 1 3", "1/5 0.33 1"), []string{"ahp.cell.not_reciprocal@matrix[2][1]"}},
		{"decimal third is not a third", pm(t, "1 3", "0.333333 1"), []string{"ahp.cell.not_reciprocal@matrix[1][0]"}},
		{"long decimals take the exact rational path", pm(t, "1 1.234567890123", "1/1.234567890124 1"), []string{"ahp.cell.not_reciprocal@matrix[1][0]"}},
		{"long decimal beyond nine", pm(t, "1 9.000000000001", "1/9.000000000001 1"), []string{"ahp.cell.out_of_scale@matrix[0][1]"}},
		{"decimal beyond the limits", riskeval.PairwiseMatrix{{ssra.FractionOf(dec("1")), ssra.FractionOf(decimal.New(1, -19))}, {ssra.FractionOf(dec("1")), ssra.FractionOf(dec("1"))}}, []string{"ahp.cell.out_of_range@matrix[0][1]"}},
		{"every problem at once", pm(t, "2 10 3", "1/10 1 3", "1/3 1/2 1"), []string{
			"ahp.diagonal.not_one@matrix[0][0]", "ahp.cell.out_of_scale@matrix[0][1]", "ahp.cell.out_of_scale@matrix[1][0]", "ahp.cell.not_reciprocal@matrix[2][1]",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := riskeval.AHP(riskeval.AHPInput{Matrix: tc.m})
			if err == nil {
				t.Fatal("accepted")
			}
			if ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("kind = %v, want invalid: %v", ssra.KindOf(err), err)
			}
			for _, w := range tc.want {
				code, field, _ := strings.Cut(w, "@")
				if !hasCode(err, code, field) {
					t.Errorf("missing %s; got %v", w, codes(err))
				}
			}
		})
	}
	if _, err := riskeval.AHP(riskeval.AHPInput{Matrix: pm(t, "1"), Method: 9, RITable: 7}); !hasCode(err, "ahp.method.unknown", "method") || !hasCode(err, "ahp.ri_table.unknown", "ri_table") {
		t.Errorf("unknown method/table: %v", err)
	}
}

func TestAHPEnumsText(t *testing.T) {
	for _, s := range []string{"eigenvector", "geometric_mean"} {
		var m riskeval.AHPMethod
		if err := m.UnmarshalText([]byte(s)); err != nil || m.String() != s {
			t.Errorf("method %q: %v %v", s, m, err)
		}
	}
	for _, s := range []string{"saaty", "cn_textbook"} {
		var r riskeval.RITable
		if err := r.UnmarshalText([]byte(s)); err != nil || r.String() != s {
			t.Errorf("table %q: %v %v", s, r, err)
		}
	}
	var m riskeval.AHPMethod
	if err := m.UnmarshalText([]byte("Eigenvector")); err == nil {
		t.Error("method text is case-sensitive")
	}
	var r riskeval.RITable
	if err := r.UnmarshalText([]byte("")); err == nil {
		t.Error("empty table accepted")
	}
	if _, err := riskeval.AHPMethod(5).MarshalText(); err == nil {
		t.Error("unknown method marshalled")
	}
}

func TestDecodeAHPInput(t *testing.T) {
	in, err := riskeval.DecodeAHPInput([]byte(`{"matrix": [[1, "3", 5], ["1/3", 1, "3"], [0.2, "1/3", 1]], "method": "geometric_mean", "ri_table": "cn_textbook"}`))
	if err != nil {
		t.Fatal(err)
	}
	if in.Method != riskeval.AHPGeometricMean || in.RITable != riskeval.RITableCNTextbook || in.Matrix[1][0].String() != "1/3" || in.Matrix[2][0].String() != "0.2" {
		t.Fatalf("decoded %+v", in)
	}
	if _, err := riskeval.AHP(in); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, body, code, field string
	}{
		{"bad cell", `{"matrix": [[1, "x"], ["1/3", 1]]}`, "ahp.cell.syntax", "matrix[0][1]"},
		{"zero denominator", `{"matrix": [[1, "1/0"], [1, 1]]}`, "ahp.cell.syntax", "matrix[0][1]"},
		{"null cell", `{"matrix": [[1, null], [1, 1]]}`, "ahp.cell.syntax", "matrix[0][1]"},
		{"row not array", `{"matrix": [1, 2]}`, "ahp.matrix.type", "matrix[0]"},
		{"matrix missing", `{"method": "eigenvector"}`, "ahp.matrix.missing", "matrix"},
		{"unknown field", `{"matrix": [[1]], "weights": []}`, "json.unknown_field", "weights"},
		{"trailing", `{"matrix": [[1]]} {}`, "json.trailing_data", ""},
		{"truncated", `{"matrix": [[1]`, "json.truncated", "matrix"},
		{"syntax", `{"matrix": [[1]}`, "json.syntax", "matrix"},
		{"member in another case", `{"Matrix": [[1]]}`, "json.unknown_field", "Matrix"},
		{"duplicate member", `{"matrix": [[1]], "matrix": [[1]]}`, "json.duplicate_key", "matrix"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := riskeval.DecodeAHPInput([]byte(tc.body))
			if ssra.KindOf(err) != ssra.KindInvalid || !hasCode(err, tc.code, tc.field) {
				t.Fatalf("got %v (%v), want %s@%s", err, codes(err), tc.code, tc.field)
			}
		})
	}
	if _, err := riskeval.DecodeAHPInput([]byte(`{"matrix": [[1]], "method": "power"}`)); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("unknown method: %v", err)
	}
	// Plain encoding/json also reaches the cell-level errors.
	var m riskeval.PairwiseMatrix
	err = json.Unmarshal([]byte(`[[1, "a"], ["b", 1]]`), &m)
	var se *ssra.Error
	if !errors.As(err, &se) || len(se.Problems) != 2 {
		t.Fatalf("json.Unmarshal: %v", err)
	}
}

func TestAHPResultJSON(t *testing.T) {
	res, err := riskeval.AHP(riskeval.AHPInput{Matrix: pm(t, "1 3", "1/3 1")})
	if err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"weights", "lambda_max", "ci", "cr", "ri", "consistent", "method"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	if got["method"] != "eigenvector" || got["lambda_max"] != "2" || got["weights"].([]any)[0] != "0.75" {
		t.Errorf("JSON = %s", b)
	}
}

// randomWeights returns n positive weights with 6 places that sum to 1 and
// whose largest/smallest ratio is at most 9, so that every a_ij = w_i/w_j
// lies on Saaty's scale.
func randomWeights(r *rand.Rand, n int) []decimal.Decimal {
	for {
		units := make([]int64, n)
		var total int64
		for i := range units {
			units[i] = 1 + r.Int64N(9)*1000 + r.Int64N(1000)
			total += units[i]
		}
		// Scale to a total of 10^6 units, putting the remainder on the last.
		scaled := make([]int64, n)
		var s int64
		for i := range units {
			scaled[i] = units[i] * 1_000_000 / total
			s += scaled[i]
		}
		scaled[n-1] += 1_000_000 - s
		lo, hi := scaled[0], scaled[0]
		for _, u := range scaled {
			lo, hi = min(lo, u), max(hi, u)
		}
		if lo <= 0 || hi > 9*lo {
			continue
		}
		out := make([]decimal.Decimal, n)
		for i, u := range scaled {
			out[i] = decimal.New(u, -6)
		}
		return out
	}
}

// Property: the consistent matrix of any positive weight vector gives CR = 0
// and returns that vector to 6 places, by both methods and both tables.
func TestAHPPropertyConsistentRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for k := 0; k < 400; k++ {
		n := 1 + r.IntN(riskeval.AHPMaxOrder)
		w := randomWeights(r, n)
		m, err := riskeval.AHPConsistentMatrix(w)
		if err != nil {
			t.Fatal(err)
		}
		method := riskeval.AHPEigenvector + riskeval.AHPMethod(k%2)
		res, err := riskeval.AHP(riskeval.AHPInput{Matrix: m, Method: method, RITable: riskeval.RITableSaaty + riskeval.RITable(k/2%2)})
		if err != nil {
			t.Fatalf("case %d %v: %v", k, w, err)
		}
		if !res.CR.IsZero() || !res.CI.IsZero() || !res.LambdaMax.Equal(decimal.NewFromInt(int64(n))) || !res.Consistent {
			t.Fatalf("case %d n=%d %s: λmax %s CI %s CR %s", k, n, method, res.LambdaMax, res.CI, res.CR)
		}
		for i := range w {
			if !res.Weights[i].Equal(w[i]) {
				t.Fatalf("case %d n=%d %s: weights %v, want %v", k, n, method, res.Weights, w)
			}
		}
	}
}

// Property: for any valid reciprocal matrix the weights are positive and sum
// to exactly 1, CR is never negative, and the two methods agree closely.
func TestAHPPropertyRandomReciprocal(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	scale := []string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "1/2", "1/3", "1/4", "1/5", "1/6", "1/7", "1/8", "1/9"}
	for k := 0; k < 300; k++ {
		n := 1 + r.IntN(riskeval.AHPMaxOrder)
		m := make(riskeval.PairwiseMatrix, n)
		for i := range m {
			m[i] = make([]ssra.Fraction, n)
			m[i][i] = ssra.FractionOf(decimal.NewFromInt(1))
		}
		for i := 0; i < n; i++ {
			for j := i + 1; j < n; j++ {
				f, _ := ssra.ParseFraction(scale[r.IntN(len(scale))])
				m[i][j] = f
				m[j][i] = ssra.Fraction{Num: f.Den, Den: f.Num}
			}
		}
		for _, method := range []riskeval.AHPMethod{riskeval.AHPEigenvector, riskeval.AHPGeometricMean} {
			res, err := riskeval.AHP(riskeval.AHPInput{Matrix: m, Method: method})
			if err != nil {
				t.Fatalf("case %d: %v", k, err)
			}
			if !sum(res.Weights).Equal(decimal.NewFromInt(1)) {
				t.Fatalf("case %d %s: weights sum to %s", k, method, sum(res.Weights))
			}
			for _, w := range res.Weights {
				if w.Sign() <= 0 {
					t.Fatalf("case %d %s: weight %s not positive", k, method, w)
				}
			}
			if res.CR.Sign() < 0 || res.CI.Sign() < 0 || res.LambdaMax.LessThan(decimal.NewFromInt(int64(n))) {
				t.Fatalf("case %d %s: λmax %s CI %s CR %s", k, method, res.LambdaMax, res.CI, res.CR)
			}
			if n <= 2 && !res.CR.IsZero() {
				t.Fatalf("case %d: n=%d CR %s", k, n, res.CR)
			}
		}
	}
}

func TestAHPConsistentMatrixRejects(t *testing.T) {
	if _, err := riskeval.AHPConsistentMatrix(decList("0.5", "0", "-1")); !hasCode(err, "ahp.weights.not_positive", "weights[1]") || !hasCode(err, "ahp.weights.not_positive", "weights[2]") {
		t.Fatalf("got %v", err)
	}
	if _, err := riskeval.AHPConsistentMatrix(nil); !hasCode(err, "ahp.weights.count", "weights") {
		t.Fatalf("got %v", err)
	}
}

func TestAHPExplanationStatesRounding(t *testing.T) {
	res, err := riskeval.AHP(riskeval.AHPInput{Matrix: pm(t, "1 3 5", "1/3 1 3", "1/5 1/3 1")})
	if err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{}
	for _, s := range res.Explanation {
		keys[s.Key] = s.Text
	}
	for _, k := range []string{"ahp.input", "ahp.weights.method", "ahp.weights.round", "ahp.lambda_max", "ahp.ci", "ahp.ri", "ahp.cr", "ahp.consistency"} {
		if keys[k] == "" {
			t.Errorf("explanation lacks %s", k)
		}
	}
	for _, k := range []string{"ahp.weights.round", "ahp.lambda_max", "ahp.ci", "ahp.cr"} {
		if !strings.Contains(keys[k], "half-up") {
			t.Errorf("%s does not state its rounding: %s", k, keys[k])
		}
	}
}

func leaf(id string) riskeval.AHPNode { return riskeval.AHPNode{ID: id} }

func cities(t *testing.T, id string, rows ...string) riskeval.AHPNode {
	return riskeval.AHPNode{ID: id, Matrix: pm(t, rows...), Children: []riskeval.AHPNode{leaf("bethesda"), leaf("boston"), leaf("pittsburgh"), leaf("santa_fe")}}
}

// Saaty, T. L., Theory and Applications of the Analytic Network Process
// (2005), the "best city" hierarchy: five criteria (culture, family,
// housing, jobs, transportation) over four cities. Published global weights
// Bethesda .229, Boston .275, Pittsburgh .385, Santa Fe .111 (reproduced in
// the AHPy test suite, which writes the same judgments as pairs).
func TestAHPHierarchyPublished(t *testing.T) {
	root := riskeval.AHPNode{
		ID: "best_city",
		Matrix: pm(t,
			"1 1/5 3 1/2 5",
			"5 1 7 1 7",
			"1/3 1/7 1 1/4 3",
			"2 1 4 1 7",
			"1/5 1/7 1/3 1/7 1"),
		Children: []riskeval.AHPNode{
			cities(t, "culture", "1 1/2 1 1/2", "2 1 2.5 1", "1 1/2.5 1 1/2.5", "2 1 2.5 1"),
			cities(t, "family", "1 2 1/3 4", "1/2 1 1/8 2", "3 8 1 9", "1/4 1/2 1/9 1"),
			cities(t, "housing", "1 5 1/2 2.5", "1/5 1 1/9 1/4", "2 9 1 7", "1/2.5 4 1/7 1"),
			cities(t, "jobs", "1 1/2 3 4", "2 1 6 8", "1/3 1/6 1 1", "1/4 1/8 1 1"),
			cities(t, "transportation", "1 1.5 1/2 4", "1/1.5 1 1/3.5 2.5", "2 3.5 1 9", "1/4 1/2.5 1/9 1"),
		},
	}
	res, err := riskeval.AHPHierarchy(riskeval.AHPHierarchyInput{Root: root})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"bethesda": "0.229", "boston": "0.275", "pittsburgh": "0.385", "santa_fe": "0.111"}
	if len(res.Leaves) != 4 {
		t.Fatalf("leaves = %v", res.Leaves)
	}
	total := decimal.Zero
	for _, l := range res.Leaves {
		if got := l.Weight.Round(3).StringFixed(3); got != want[l.ID] {
			t.Errorf("%s: %s (%s), want %s", l.ID, got, l.Weight, want[l.ID])
		}
		total = total.Add(l.Weight)
	}
	if !total.Equal(decimal.NewFromInt(1)) {
		t.Errorf("global weights sum to %s", total)
	}
	if len(res.Nodes) != 6 || len(res.Levels) != 1 {
		t.Errorf("nodes %d levels %d", len(res.Nodes), len(res.Levels))
	}
}

// A criterion → factor hierarchy with consistent matrices: global weights
// are the exact products.
func TestAHPHierarchyCriterionFactor(t *testing.T) {
	root := riskeval.AHPNode{
		ID:     "risk",
		Matrix: pm(t, "1 3", "1/3 1"), // 0.75, 0.25
		Children: []riskeval.AHPNode{
			{ID: "legality", Matrix: pm(t, "1 1", "1 1"), Children: []riskeval.AHPNode{leaf("f1"), leaf("f2")}},                                       // 0.5, 0.5
			{ID: "controllability", Matrix: pm(t, "1 4 2", "1/4 1 1/2", "1/2 2 1"), Children: []riskeval.AHPNode{leaf("f3"), leaf("f4"), leaf("f5")}}, // 4/7, 1/7, 2/7
		},
	}
	res, err := riskeval.AHPHierarchy(riskeval.AHPHierarchyInput{Root: root, Method: riskeval.AHPGeometricMean})
	if err != nil {
		t.Fatal(err)
	}
	// 0.25 × the unrounded local weights (4/7, 1/7, 2/7 in float64 cut to 12
	// places: 0.571428571429, 0.142857142857, 0.285714285714), not × the
	// rounded ones (domain.md §1.10: round once).
	want := []string{"0.375", "0.375", "0.142857", "0.035714", "0.071429"}
	exact := []string{"0.375", "0.375", "0.14285714285725", "0.03571428571425", "0.0714285714285"}
	for i, l := range res.Leaves {
		if !l.Weight.Equal(dec(want[i])) || !l.Exact.Equal(dec(exact[i])) {
			t.Errorf("%s: weight %s exact %s, want %s %s", l.ID, l.Weight, l.Exact, want[i], exact[i])
		}
	}
	if !res.Consistent || !res.Levels[0].CR.IsZero() {
		t.Errorf("consistent %v levels %v", res.Consistent, res.Levels)
	}
}

func TestAHPHierarchyValidation(t *testing.T) {
	root := riskeval.AHPNode{
		ID:     "goal",
		Matrix: pm(t, "1 3", "1/3 1"),
		Children: []riskeval.AHPNode{
			{ID: "a", Matrix: pm(t, "1 10", "1/10 1"), Children: []riskeval.AHPNode{leaf("x"), leaf("x")}},
			{ID: "", Matrix: pm(t, "1"), Children: []riskeval.AHPNode{leaf("y"), leaf("z")}},
		},
	}
	_, err := riskeval.AHPHierarchy(riskeval.AHPHierarchyInput{Root: root})
	for _, w := range []string{
		"ahp.cell.out_of_scale@root.children[0].matrix[0][1]",
		"ahp.hierarchy.duplicate_id@root.children[0].children[1].id",
		"ahp.hierarchy.id_missing@root.children[1].id",
		"ahp.hierarchy.matrix_size@root.children[1].matrix",
	} {
		code, field, _ := strings.Cut(w, "@")
		if !hasCode(err, code, field) {
			t.Errorf("missing %s; got %v", w, codes(err))
		}
	}
	if _, err := riskeval.AHPHierarchy(riskeval.AHPHierarchyInput{Root: leaf("alone")}); !hasCode(err, "ahp.hierarchy.no_children", "root.children") {
		t.Errorf("leaf root: %v", err)
	}
}

func TestAHPGroup(t *testing.T) {
	t.Run("one expert equals plain AHP", func(t *testing.T) {
		m := pm(t, "1 3 5", "1/3 1 3", "1/5 1/3 1")
		g, err := riskeval.AHPGroup(riskeval.AHPGroupInput{Matrices: []riskeval.PairwiseMatrix{m}})
		if err != nil {
			t.Fatal(err)
		}
		a, _ := riskeval.AHP(riskeval.AHPInput{Matrix: m})
		for i := range a.Weights {
			if !a.Weights[i].Equal(g.Result.Weights[i]) {
				t.Fatalf("weights %v vs %v", g.Result.Weights, a.Weights)
			}
		}
		if g.Matrix[1][0].String() != "1/3" || g.Matrix[0][2].String() != "5" {
			t.Errorf("aggregated %v", g.Matrix)
		}
	})
	t.Run("geometric mean of judgments", func(t *testing.T) {
		g, err := riskeval.AHPGroup(riskeval.AHPGroupInput{Matrices: []riskeval.PairwiseMatrix{
			pm(t, "1 2 3", "1/2 1 1/3", "1/3 3 1"),
			pm(t, "1 8 1/3", "1/8 1 3", "3 1/3 1"),
		}})
		if err != nil {
			t.Fatal(err)
		}
		// √(2·8) = 4; √(3·1/3) = 1; √(1/3·3) = 1.
		want := [][]string{{"1", "4", "1"}, {"1/4", "1", "1"}, {"1", "1", "1"}}
		for i := range want {
			for j := range want[i] {
				if got := g.Matrix[i][j].String(); got != want[i][j] {
					t.Errorf("[%d][%d] = %s, want %s", i, j, got, want[i][j])
				}
			}
		}
		if g.Experts != 2 || len(g.Matrix.Validate()) != 0 {
			t.Errorf("experts %d problems %v", g.Experts, g.Matrix.Validate())
		}
	})
	t.Run("property: aggregate is reciprocal and on scale", func(t *testing.T) {
		r := rand.New(rand.NewPCG(5, 6))
		scale := []string{"1", "2", "3", "5", "7", "9", "1/2", "1/3", "1/5", "1/7", "1/9", "2.5"}
		for k := 0; k < 100; k++ {
			n := 1 + r.IntN(9)
			experts := make([]riskeval.PairwiseMatrix, 1+r.IntN(6))
			for e := range experts {
				m := make(riskeval.PairwiseMatrix, n)
				for i := range m {
					m[i] = make([]ssra.Fraction, n)
					m[i][i] = ssra.FractionOf(decimal.NewFromInt(1))
				}
				for i := 0; i < n; i++ {
					for j := i + 1; j < n; j++ {
						f, _ := ssra.ParseFraction(scale[r.IntN(len(scale))])
						m[i][j], m[j][i] = f, ssra.Fraction{Num: f.Den, Den: f.Num}
					}
				}
				experts[e] = m
			}
			g, err := riskeval.AHPGroup(riskeval.AHPGroupInput{Matrices: experts})
			if err != nil {
				t.Fatalf("case %d: %v", k, err)
			}
			if ps := g.Matrix.Validate(); len(ps) != 0 {
				t.Fatalf("case %d: aggregate invalid: %v", k, ps)
			}
		}
	})
	t.Run("invalid experts", func(t *testing.T) {
		_, err := riskeval.AHPGroup(riskeval.AHPGroupInput{Matrices: []riskeval.PairwiseMatrix{pm(t, "1 2", "1/2 1"), pm(t, "1 2 3", "1/2 1 1", "1/3 1 1"), pm(t, "1 2", "2 1")}})
		if !hasCode(err, "ahp.group.order_mismatch", "matrices[1]") || !hasCode(err, "ahp.cell.not_reciprocal", "matrices[2][1][0]") {
			t.Fatalf("got %v", codes(err))
		}
		if _, err := riskeval.AHPGroup(riskeval.AHPGroupInput{}); !hasCode(err, "ahp.group.empty", "matrices") {
			t.Fatalf("empty: %v", err)
		}
	})
}

func TestDecodeAHPGroupAndHierarchy(t *testing.T) {
	g, err := riskeval.DecodeAHPGroupInput([]byte(`{"matrices": [[[1, 2], ["1/2", 1]], [[1, 8], ["1/8", 1]]], "method": "geometric_mean"}`))
	if err != nil {
		t.Fatal(err)
	}
	gr, err := riskeval.AHPGroup(g)
	if err != nil {
		t.Fatal(err)
	}
	if gr.Matrix[0][1].String() != "4" || !gr.Result.Weights[0].Equal(dec("0.8")) {
		t.Fatalf("group %v %v", gr.Matrix, gr.Result.Weights)
	}
	if _, err := riskeval.DecodeAHPGroupInput([]byte(`{"matrices": [[[1]], [[1, "q"]]]}`)); !hasCode(err, "ahp.cell.syntax", "matrices[1][0][1]") {
		t.Fatalf("group cell path: %v", codes(err))
	}

	h, err := riskeval.DecodeAHPHierarchyInput([]byte(`{"root": {"id": "goal", "matrix": [[1, 3], ["1/3", 1]], "children": [
		{"id": "legality", "matrix": [[1, 1], [1, 1]], "children": [{"id": "f1"}, {"id": "f2"}]},
		{"id": "controllability"}]}, "ri_table": "cn_textbook"}`))
	if err != nil {
		t.Fatal(err)
	}
	hr, err := riskeval.AHPHierarchy(h)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"f1": "0.375", "f2": "0.375", "controllability": "0.25"}
	for _, l := range hr.Leaves {
		if !l.Weight.Equal(dec(want[l.ID])) {
			t.Errorf("%s = %s, want %s", l.ID, l.Weight, want[l.ID])
		}
	}
	for _, tc := range []struct{ body, code, field string }{
		{`{"root": {"id": "g", "matrix": [[1, 2], ["1/2", 1]], "children": [{"id": "a", "matrix": [["x"]], "children": [{"id": "b"}]}, {"id": "c"}]}}`, "ahp.cell.syntax", "root.children[0].matrix[0][0]"},
		{`{"root": {"id": "g", "children": [{"id": "a", "weight": 1}]}}`, "json.unknown_field", "root.children[0].weight"},
		{`{"root": {"id": "g"}, "extra": true}`, "json.unknown_field", "extra"},
	} {
		if _, err := riskeval.DecodeAHPHierarchyInput([]byte(tc.body)); !hasCode(err, tc.code, tc.field) {
			t.Errorf("%s: got %v, want %s@%s", tc.body, codes(err), tc.code, tc.field)
		}
	}
}

// TestAHPUnsetOptionsReadAsDefaults: a method or RI table left unset (the
// zero value, or omitted in JSON) is read as the eigenvector method and
// Saaty's table, and the result names them; the same matrix with them
// named gives the same result.
func TestAHPUnsetOptionsReadAsDefaults(t *testing.T) {
	third, err := ssra.ParseFraction("1/3")
	if err != nil {
		t.Fatal(err)
	}
	one, three := ssra.FractionOf(dec("1")), ssra.FractionOf(dec("3"))
	m := riskeval.PairwiseMatrix{{one, three}, {third, one}}
	unset, err := riskeval.AHP(riskeval.AHPInput{Matrix: m})
	if err != nil {
		t.Fatal(err)
	}
	if unset.Method != riskeval.AHPEigenvector || unset.RITable != riskeval.RITableSaaty {
		t.Fatalf("unset options ran as %v, %v; want eigenvector, saaty", unset.Method, unset.RITable)
	}
	named, err := riskeval.AHP(riskeval.AHPInput{Matrix: m, Method: riskeval.AHPEigenvector, RITable: riskeval.RITableSaaty})
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(unset)
	b, _ := json.Marshal(named)
	if string(a) != string(b) {
		t.Fatalf("unset options give %s, named ones %s", a, b)
	}
	in, err := riskeval.DecodeAHPInput([]byte(`{"matrix":[[1,3],["1/3",1]]}`))
	if err != nil || in.Method != 0 || in.RITable != 0 {
		t.Fatalf("omitted options decode to %v, %v, %v; want unset", in.Method, in.RITable, err)
	}
}
