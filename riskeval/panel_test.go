package riskeval_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

func ratings(pairs ...[2]int) []riskeval.Rating {
	var out []riskeval.Rating
	for k, p := range pairs {
		out = append(out, riskeval.Rating{Member: string(rune('A' + k)), Probability: p[0], Impact: p[1]})
	}
	return out
}

// A residual estimate given as ratings is evaluated at their aggregate by
// the profile's rule; the result states the rule, each spread, consensus and
// Kendall's W, and low agreement is a warning with a stable code.
func TestEvaluateAggregatesPanelRatings(t *testing.T) {
	p := preset(t, "practice")
	f1 := factor("F1", "0.5", 3, 3, 0, 0)
	f1.Residual = &riskeval.Estimate{Ratings: ratings([2]int{3, 3}, [2]int{2, 3}, [2]int{4, 3}, [2]int{3, 4})}
	f2 := factor("F2", "0.5", 3, 3, 0, 0)
	f2.Residual = &riskeval.Estimate{Ratings: ratings([2]int{1, 5}, [2]int{5, 1}, [2]int{1, 1}, [2]int{5, 5})}
	a := complete("order713_2019", f1, f2)
	res, err := riskeval.Evaluate(a, p)
	if err != nil {
		t.Fatal(err)
	}
	// Median with the higher middle: F1 p (2,3,3,4) → 3, i (3,3,3,4) → 3.
	if r := res.Factors[0].Residual; r.Probability != 3 || r.Impact != 3 {
		t.Fatalf("F1 aggregate: got (%d, %d), want (3, 3)", r.Probability, r.Impact)
	}
	pn := res.Panel
	if pn == nil || pn.Aggregation != riskeval.AggregationMedian || len(pn.Factors) != 2 || pn.Concordance == nil {
		t.Fatalf("panel result: %+v", pn)
	}
	if !pn.Factors[0].Consensus || pn.Factors[1].Consensus || pn.Consensus {
		t.Fatalf("consensus flags: %+v", pn.Factors)
	}
	if !pn.Factors[1].PSpread.IQR.Equal(decimal.NewFromInt(4)) {
		t.Fatalf("F2 probability IQR: %s", pn.Factors[1].PSpread.IQR)
	}
	if !hasProblem(res.Warnings, "panel.no_consensus", "factors[F2].residual.ratings") {
		t.Fatalf("no consensus warning: %v", res.Warnings)
	}
	if a.Factors[0].Residual.Probability != 0 {
		t.Fatal("Evaluate changed the caller's assessment")
	}

	def := p.Def()
	def.Panel.MinConcordance = d("0.99")
	res, err = riskeval.Evaluate(a, build(t, def))
	if err != nil {
		t.Fatal(err)
	}
	if !hasProblem(res.Warnings, "panel.low_concordance", "") {
		t.Fatalf("low concordance: W %s, warnings %v", res.Panel.Concordance.W, res.Warnings)
	}

	def.Panel.Aggregation = riskeval.AggregationMean
	res, _ = riskeval.Evaluate(a, build(t, def))
	// Mean of F1 p (3,2,4,3) = 3; i (3,3,3,4) = 3.25 → 3.
	if r := res.Factors[0].Residual; r.Probability != 3 || r.Impact != 3 || res.Panel.Aggregation != riskeval.AggregationMean {
		t.Fatalf("mean aggregate: %+v", r)
	}
}

func TestEvaluateRefusesBadRatings(t *testing.T) {
	p := preset(t, "practice")
	for _, tc := range []struct {
		name  string
		edit  func(a *riskeval.Assessment)
		code  string
		field string
	}{
		{"conflicting estimate", func(a *riskeval.Assessment) {
			a.Factors[0].Residual = &riskeval.Estimate{Probability: 1, Impact: 1, Ratings: ratings([2]int{3, 3}, [2]int{3, 3})}
		}, "panel.estimate_conflict", "factors[0].residual"},
		{"out of scale", func(a *riskeval.Assessment) {
			a.Factors[0].Residual = &riskeval.Estimate{Ratings: ratings([2]int{6, 3})}
		}, "estimate.out_of_scale", "factors[0].residual.ratings[0].probability"},
		{"duplicate member", func(a *riskeval.Assessment) {
			a.Factors[0].Residual = &riskeval.Estimate{Ratings: []riskeval.Rating{{Member: "A", Probability: 1, Impact: 1}, {Member: "A", Probability: 2, Impact: 2}}}
		}, "panel.rating_duplicate", "factors[0].residual.ratings[1].member"},
		{"member not on the panel", func(a *riskeval.Assessment) {
			a.Panel.Members = []riskeval.PanelMember{{ID: "B"}}
			a.Factors[0].Residual = &riskeval.Estimate{Ratings: ratings([2]int{1, 1})}
		}, "panel.rating_member_unknown", "factors[0].residual.ratings[0].member"},
	} {
		a := complete("order713_2019", factor("F1", "1", 3, 3, 2, 2))
		tc.edit(&a)
		_, err := riskeval.Evaluate(a, p)
		found := false
		for _, q := range ssra.ProblemsOf(err) {
			if q.Code == tc.code && q.Field == tc.field {
				found = true
			}
		}
		if !found {
			t.Errorf("%s: got %v, want %s at %s", tc.name, err, tc.code, tc.field)
		}
	}
}

// The profile's panel rule holds submission back until the rounds are held
// and the panel agrees; another organisation sees member ids only.
func TestPanelReadyAndAnonymised(t *testing.T) {
	p := preset(t, "practice")
	f1 := factor("F1", "1", 3, 3, 0, 0)
	f1.Residual = &riskeval.Estimate{Ratings: ratings([2]int{1, 1}, [2]int{5, 5}, [2]int{1, 5}, [2]int{5, 1})}
	a := complete("order713_2019", f1)
	a.Panel.Members = []riskeval.PanelMember{{ID: "A", Name: "张教授", Organisation: "某大学"}, {ID: "B", Name: "李工"}, {ID: "C"}, {ID: "D"}}
	if err := riskeval.PanelReady(a, p); err != nil {
		t.Fatalf("no panel rule: %v", err)
	}
	def := p.Def()
	def.Panel.MinRounds, def.Panel.RequireConsensus = 2, true
	p = build(t, def)
	err := riskeval.PanelReady(a, p)
	if ssra.KindOf(err) != ssra.KindPreconditionFailed || !errHasCode(err, "panel.rounds_short") || !errHasCode(err, "panel.no_consensus") {
		t.Fatalf("unmet rule: %v", err)
	}
	a.Panel.Rounds = []riskeval.DelphiRound{{Round: 1}, {Round: 2}}
	a.Factors[0].Residual = &riskeval.Estimate{Ratings: ratings([2]int{3, 3}, [2]int{3, 3}, [2]int{3, 4}, [2]int{2, 3})}
	if err := riskeval.PanelReady(a, p); err != nil {
		t.Fatalf("met rule: %v", err)
	}
	b := a.Anonymised()
	if b.Panel.Members[0].Name != "" || b.Panel.Members[0].Organisation != "" || b.Panel.Members[0].ID != "A" {
		t.Fatalf("anonymised: %+v", b.Panel.Members[0])
	}
	if a.Panel.Members[0].Name != "张教授" {
		t.Fatal("Anonymised changed the original")
	}
}
