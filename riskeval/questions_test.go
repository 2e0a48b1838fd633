package riskeval_test

import (
	"testing"

	"github.com/ssra-go/ssra/riskeval"
)

// TestQuestions holds the standard questions to their contract: every
// default criterion has some, ids are unique within a criterion, both
// languages are worded, and LookupQuestion finds a question only under its
// own criterion.
func TestQuestions(t *testing.T) {
	qs := riskeval.Questions()
	per := map[riskeval.Criterion]int{}
	seen := map[string]bool{}
	for _, q := range qs {
		if !q.Criterion.Valid() || q.ID == "" || q.Label.ZH == "" || q.Label.EN == "" {
			t.Errorf("question %+v is incomplete", q)
		}
		key := q.Criterion.String() + "/" + q.ID
		if seen[key] {
			t.Errorf("question %s is listed twice", key)
		}
		seen[key] = true
		per[q.Criterion]++
		got, ok := riskeval.LookupQuestion(q.Criterion, q.ID)
		if !ok || got.Label != q.Label {
			t.Errorf("LookupQuestion(%s, %s) = %+v, %v", q.Criterion, q.ID, got, ok)
		}
	}
	for _, c := range []riskeval.Criterion{riskeval.CriterionLegality, riskeval.CriterionReasonableness, riskeval.CriterionFeasibility, riskeval.CriterionControllability} {
		if per[c] == 0 {
			t.Errorf("criterion %s has no standard question", c)
		}
	}
	if _, ok := riskeval.LookupQuestion(riskeval.CriterionLegality, "compensation_fair"); ok {
		t.Error("compensation_fair is a question of reasonableness, found under legality")
	}
	qs[0].ID = "changed"
	if riskeval.Questions()[0].ID == "changed" {
		t.Error("Questions returns the package's own slice")
	}
}
