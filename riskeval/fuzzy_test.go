package riskeval_test

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

var grades4 = []string{"low", "lower", "higher", "high"}

// Hand-computed example: A = (0.5, 0.3, 0.2) and
// R = [[0.2 0.5 0.3 0] [0.1 0.3 0.4 0.2] [0 0.2 0.5 0.3]].
func TestFuzzyOperatorsHandChecked(t *testing.T) {
	in := riskeval.FuzzyInput{
		Weights:     decList("0.5", "0.3", "0.2"),
		Membership:  rows([]string{"0.2", "0.5", "0.3", "0"}, []string{"0.1", "0.3", "0.4", "0.2"}, []string{"0", "0.2", "0.5", "0.3"}),
		Grades:      grades4,
		GradeScores: decList("1", "2", "3", "4"),
	}
	for _, tc := range []struct {
		op     riskeval.FuzzyOperator
		raw    []string
		vector []string
		score  string
	}{
		// Σ a_i r_ij: 0.10+0.03+0 | 0.25+0.09+0.04 | 0.15+0.12+0.10 | 0+0.06+0.06.
		{riskeval.FuzzyWeightedAverage, []string{"0.13", "0.38", "0.37", "0.12"}, []string{"0.13", "0.38", "0.37", "0.12"}, "2.48"},
		// max min(a_i, r_ij) = 0.2, 0.5, 0.3, 0.2; sum 1.2 → 1/6, 5/12, 1/4, 1/6:
		// half-up would give 1.000001, the largest remainder (a three-way tie at
		// 0.000000666…, broken by the lower index) takes one unit off the last.
		// The score is from the unrounded B: 2.9 / 1.2 = 2.41666… → 2.416667
		// (the adjusted vector would give 2.416665).
		{riskeval.FuzzyMinMax, []string{"0.2", "0.5", "0.3", "0.2"}, []string{"0.166667", "0.416667", "0.25", "0.166666"}, "2.416667"},
		// max a_i·r_ij = 0.10, 0.25, 0.15, 0.06; sum 0.56; score 1.29 / 0.56 =
		// 2.3035714… (the rounded vector would give 2.303572).
		{riskeval.FuzzyProductMax, []string{"0.1", "0.25", "0.15", "0.06"}, []string{"0.178571", "0.446429", "0.267857", "0.107143"}, "2.303571"},
	} {
		t.Run(tc.op.String(), func(t *testing.T) {
			in.Operator = tc.op
			res, err := riskeval.Fuzzy(in)
			if err != nil {
				t.Fatal(err)
			}
			for j := range tc.raw {
				if !res.Raw[j].Equal(dec(tc.raw[j])) || !res.Vector[j].Equal(dec(tc.vector[j])) {
					t.Errorf("j=%d: raw %s vector %s, want %s %s", j, res.Raw[j], res.Vector[j], tc.raw[j], tc.vector[j])
				}
			}
			if res.GradeIndex != 1 || res.Grade != "lower" || res.Tied != nil {
				t.Errorf("grade %q index %d tied %v", res.Grade, res.GradeIndex, res.Tied)
			}
			if res.Score == nil || !res.Score.Equal(dec(tc.score)) {
				t.Errorf("score %v, want %s", res.Score, tc.score)
			}
			if !sum(res.Vector).Equal(dec("1")) {
				t.Errorf("vector sums to %s", sum(res.Vector))
			}
		})
	}
}

func TestFuzzyTie(t *testing.T) {
	res, err := riskeval.Fuzzy(riskeval.FuzzyInput{
		Weights:    decList("0.5", "0.5"),
		Membership: rows([]string{"1", "0", "0"}, []string{"0", "0", "1"}),
		Grades:     []string{"low", "medium", "high"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.GradeIndex != 0 || res.Grade != "low" || len(res.Tied) != 2 || res.Tied[1] != 2 {
		t.Fatalf("grade %q index %d tied %v", res.Grade, res.GradeIndex, res.Tied)
	}
	if len(res.Warnings) != 1 || res.Warnings[0].Code != "fuzzy.grade.tie" || res.Warnings[0].Severity != ssra.SeverityWarning {
		t.Fatalf("warnings %v", res.Warnings)
	}
	if res.Score != nil {
		t.Errorf("score without grade scores: %v", res.Score)
	}
}

func TestFuzzyValidation(t *testing.T) {
	good := func() riskeval.FuzzyInput {
		return riskeval.FuzzyInput{Weights: decList("0.6", "0.4"), Membership: rows([]string{"0.5", "0.5"}, []string{"0.3", "0.7"}), Grades: []string{"low", "high"}}
	}
	for _, tc := range []struct {
		name        string
		edit        func(*riskeval.FuzzyInput)
		code, field string
	}{
		{"row sum", func(in *riskeval.FuzzyInput) { in.Membership[1] = decList("0.3", "0.6") }, "fuzzy.membership.row_sum", "membership[1]"},
		{"row within tolerance is fine but 0.998 is not", func(in *riskeval.FuzzyInput) { in.Membership[0] = decList("0.499", "0.499") }, "fuzzy.membership.row_sum", "membership[0]"},
		{"membership above 1", func(in *riskeval.FuzzyInput) { in.Membership[0] = decList("1.5", "-0.5") }, "fuzzy.membership.out_of_range", "membership[0][0]"},
		{"columns", func(in *riskeval.FuzzyInput) { in.Membership[0] = decList("1") }, "fuzzy.membership.columns", "membership[0]"},
		{"rows", func(in *riskeval.FuzzyInput) { in.Membership = in.Membership[:1] }, "fuzzy.membership.rows", "membership"},
		{"weights sum", func(in *riskeval.FuzzyInput) { in.Weights = decList("0.6", "0.3") }, "fuzzy.weights.sum", "weights"},
		{"weights negative", func(in *riskeval.FuzzyInput) { in.Weights = decList("1.2", "-0.2") }, "fuzzy.weights.negative", "weights[1]"},
		{"no weights", func(in *riskeval.FuzzyInput) { in.Weights = nil }, "fuzzy.weights.empty", "weights"},
		{"no grades", func(in *riskeval.FuzzyInput) { in.Grades = nil }, "fuzzy.grades.empty", "grades"},
		{"duplicate grade", func(in *riskeval.FuzzyInput) { in.Grades = []string{"low", "low"} }, "fuzzy.grade.duplicate", "grades[1]"},
		{"blank grade", func(in *riskeval.FuzzyInput) { in.Grades = []string{"low", " "} }, "fuzzy.grade.blank", "grades[1]"},
		{"grade scores count", func(in *riskeval.FuzzyInput) { in.GradeScores = decList("1") }, "fuzzy.grade_scores.count", "grade_scores"},
		{"operator", func(in *riskeval.FuzzyInput) { in.Operator = 9 }, "fuzzy.operator.unknown", "operator"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := good()
			tc.edit(&in)
			_, err := riskeval.Fuzzy(in)
			if ssra.KindOf(err) != ssra.KindInvalid || !hasCode(err, tc.code, tc.field) {
				t.Fatalf("got %v, want %s@%s", codes(err), tc.code, tc.field)
			}
		})
	}
	in := good()
	in.Membership[0] = decList("0.333", "0.666") // 0.999: within 0.001
	if _, err := riskeval.Fuzzy(in); err != nil {
		t.Fatalf("row within tolerance refused: %v", err)
	}
}

func TestFuzzyMultiLevel(t *testing.T) {
	in := riskeval.FuzzyTreeInput{
		Grades:      []string{"low", "high"},
		GradeScores: decList("0", "100"),
		Root: riskeval.FuzzyNode{ID: "overall", Children: []riskeval.FuzzyNode{
			{ID: "legality", Weight: dec("0.6"), Children: []riskeval.FuzzyNode{
				{ID: "f1", Weight: dec("0.5"), Membership: decList("0.2", "0.8")},
				{ID: "f2", Weight: dec("0.5"), Membership: decList("0.6", "0.4")},
			}},
			{ID: "controllability", Weight: dec("0.4"), Children: []riskeval.FuzzyNode{
				{ID: "f3", Weight: dec("1"), Membership: decList("1", "0")},
			}},
		}},
	}
	res, err := riskeval.FuzzyMultiLevel(in)
	if err != nil {
		t.Fatal(err)
	}
	// legality (0.4, 0.6); controllability (1, 0);
	// overall 0.6·(0.4, 0.6) + 0.4·(1, 0) = (0.64, 0.36).
	if len(res.Nodes) != 3 || res.Nodes[2].ID != "overall" {
		t.Fatalf("nodes %+v", res.Nodes)
	}
	if got := res.Nodes[0].Result.Vector; !got[0].Equal(dec("0.4")) || !got[1].Equal(dec("0.6")) || res.Nodes[0].Result.Grade != "high" {
		t.Errorf("legality %v %s", got, res.Nodes[0].Result.Grade)
	}
	if got := res.Overall.Vector; !got[0].Equal(dec("0.64")) || !got[1].Equal(dec("0.36")) || res.Overall.Grade != "low" {
		t.Errorf("overall %v %s", got, res.Overall.Grade)
	}
	if res.Overall.Score == nil || !res.Overall.Score.Equal(dec("36")) {
		t.Errorf("score %v", res.Overall.Score)
	}

	bad := in
	bad.Root = riskeval.FuzzyNode{ID: "overall", Weight: dec("0.5"), Children: []riskeval.FuzzyNode{
		{ID: "a", Weight: dec("0.7"), Children: []riskeval.FuzzyNode{{ID: "x", Weight: dec("1"), Membership: decList("0.5", "0.4")}}},
		{ID: "a", Weight: dec("0.2"), Membership: decList("1")},
		{ID: "c", Weight: dec("0.1")},
	}}
	_, err = riskeval.FuzzyMultiLevel(bad)
	if err == nil {
		t.Fatal("accepted")
	}
	bad.Root.Weight = decimal.Zero
	_, err = riskeval.FuzzyMultiLevel(bad)
	for _, w := range []struct{ code, field string }{
		{"fuzzy.membership.row_sum", "root.children[0].children[0].membership"},
		{"fuzzy.tree.duplicate_id", "root.children[1].id"},
		{"fuzzy.membership.columns", "root.children[1].membership"},
		{"fuzzy.tree.leaf_membership", "root.children[2].membership"},
	} {
		if !hasCode(err, w.code, w.field) {
			t.Errorf("missing %s@%s in %v", w.code, w.field, codes(err))
		}
	}
}

// Property: for every operator the vector is non-negative and sums to
// exactly 1, the grade index has the largest component, and scores lie
// between the smallest and largest grade score.
func TestFuzzyProperties(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for k := 0; k < 300; k++ {
		m, g := 1+r.IntN(12), 1+r.IntN(7)
		in := riskeval.FuzzyInput{Operator: riskeval.FuzzyOperator(1 + k%3)}
		in.Weights = randomShares(r, m)
		for i := 0; i < m; i++ {
			in.Membership = append(in.Membership, randomShares(r, g))
		}
		for j := 0; j < g; j++ {
			in.Grades = append(in.Grades, string(rune('a'+j)))
			in.GradeScores = append(in.GradeScores, decimal.NewFromInt(int64(j+1)))
		}
		res, err := riskeval.Fuzzy(in)
		if err != nil {
			t.Fatalf("case %d: %v", k, err)
		}
		if !sum(res.Vector).Equal(dec("1")) {
			t.Fatalf("case %d %s: vector %v sums to %s", k, in.Operator, res.Vector, sum(res.Vector))
		}
		for _, v := range res.Vector {
			if v.Sign() < 0 || v.GreaterThan(res.Vector[res.GradeIndex].Add(dec("0.000001"))) {
				t.Fatalf("case %d: vector %v grade index %d", k, res.Vector, res.GradeIndex)
			}
		}
		if res.Score.LessThan(dec("1")) || res.Score.GreaterThan(decimal.NewFromInt(int64(g))) {
			t.Fatalf("case %d: score %s outside [1, %d]", k, res.Score, g)
		}
	}
}

// randomShares returns n non-negative shares with 3 places that sum to 1.
func randomShares(r *rand.Rand, n int) []decimal.Decimal {
	left := int64(1000)
	out := make([]decimal.Decimal, n)
	for i := 0; i < n-1; i++ {
		x := r.Int64N(left + 1)
		out[i] = decimal.New(x, -3)
		left -= x
	}
	out[n-1] = decimal.New(left, -3)
	r.Shuffle(n, func(a, b int) { out[a], out[b] = out[b], out[a] })
	return out
}

func TestFuzzyJSON(t *testing.T) {
	in, err := riskeval.DecodeFuzzyInput([]byte(`{"weights": ["0.6", 0.4], "membership": [[0.5, "0.5"], [0.2, 0.8]], "grades": ["low", "high"], "grade_scores": [1, 5], "operator": "min_max"}`))
	if err != nil {
		t.Fatal(err)
	}
	res, err := riskeval.Fuzzy(in)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(res)
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"vector", "grade", "grade_index", "score", "operator"} {
		if _, ok := got[k]; !ok {
			t.Errorf("JSON lacks %q: %s", k, b)
		}
	}
	if got["operator"] != "min_max" {
		t.Errorf("operator %v", got["operator"])
	}
	for _, body := range []string{
		`{"weights": [1], "membership": [[1]], "grades": ["a"], "operator": "max"}`,
		`{"weights": [1], "membership": [[1]], "grades": ["a"], "extra": 1}`,
		`{"weights": "1"}`,
		`[]`,
	} {
		if _, err := riskeval.DecodeFuzzyInput([]byte(body)); ssra.KindOf(err) != ssra.KindInvalid {
			t.Errorf("%s: %v", body, err)
		}
	}
}
