package appraisal_test

import (
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

func security(verySafe, safe, basically, notVery, unsafe int64) appraisal.Survey {
	return appraisal.Survey{Name: "sense_of_security", Sample: "telephone survey of residents aged 16 and over",
		Categories: []appraisal.SurveyCategory{
			{ID: "very_safe", Label: ssra.L("很安全", "very safe"), Count: verySafe, TopBox: true, Score: dp("5")},
			{ID: "safe", Label: ssra.L("安全", "safe"), Count: safe, TopBox: true, Score: dp("4")},
			{ID: "basically_safe", Label: ssra.L("基本安全", "basically safe"), Count: basically, TopBox: true, Score: dp("3")},
			{ID: "not_very_safe", Label: ssra.L("不太安全", "not very safe"), Count: notVery, Score: dp("2")},
			{ID: "unsafe", Label: ssra.L("不安全", "unsafe"), Count: unsafe, Score: dp("1")},
		}}
}

func TestTopBoxRate(t *testing.T) {
	cases := []struct {
		name  string
		s     appraisal.Survey
		value string
		judge ssra.TargetJudgement
	}{
		// 2002 national survey shares, per 1000: 69 + 356 + 416 = 841.
		{"2002 national shares", security(69, 356, 416, 124, 35), "0.841", ssra.TargetMissed},
		{"large sample well above 95 %", security(2000, 4000, 3800, 150, 50), "0.98", ssra.TargetMet},
		{"small sample near 95 %: undecided", security(20, 40, 36, 3, 1), "0.96", ssra.TargetUndecided},
		// 426 of 439: the lower bound 0.94999976 shows as 0.9500 (it used
		// to be judged met on the rounded figure).
		{"lower bound rounds to the target: undecided", security(100, 200, 126, 10, 3), "0.9704", ssra.TargetUndecided},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := appraisal.TopBoxRate(tc.s, d("0.95"))
			if err != nil {
				t.Fatal(err)
			}
			eqDec(t, "rate", r.Rate.Value, d(tc.value))
			if r.Judgement != tc.judge {
				t.Fatalf("judgement %v, want %v (interval [%s, %s])", r.Judgement, tc.judge, r.Rate.Lower, r.Rate.Upper)
			}
			if r.Rate.Lower.GreaterThan(r.Rate.Value) || r.Rate.Upper.LessThan(r.Rate.Value) {
				t.Fatalf("interval [%s, %s] excludes %s", r.Rate.Lower, r.Rate.Upper, r.Rate.Value)
			}
		})
	}
	t.Run("invalid answers are excluded", func(t *testing.T) {
		s := security(50, 30, 15, 4, 1)
		s.Invalid = 20
		r, err := appraisal.TopBoxRate(s, d("0.95"))
		if err != nil {
			t.Fatal(err)
		}
		if r.Rate.Total != 100 || r.Rate.Successes != 95 {
			t.Fatalf("%+v", r.Rate)
		}
	})
	t.Run("problems", func(t *testing.T) {
		s := security(-1, 0, 0, 0, 0)
		s.Sample = ""
		s.Categories[1].ID = "very_safe"
		_, err := appraisal.TopBoxRate(s, d("95"))
		ps := ssra.ProblemsOf(err)
		if !hasCode(ps, "survey.count_negative", "categories[0].count") || !hasCode(ps, "survey.category_duplicate", "categories[1].id") || !hasCode(ps, "survey.target_range", "target") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("undescribed sample warns", func(t *testing.T) {
		s := security(1, 1, 1, 1, 1)
		s.Sample = ""
		r, err := appraisal.TopBoxRate(s, d("0.95"))
		if err != nil || !hasCode(r.Warnings, "survey.sample_undescribed", "sample") {
			t.Fatalf("got %v %v", r.Warnings, err)
		}
	})
}

func TestWeightedIndex(t *testing.T) {
	r, err := appraisal.WeightedIndex(security(1, 1, 1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	eqDec(t, "index", r.Index, d("4"))
	r, err = appraisal.WeightedIndex(security(1, 0, 0, 0, 2))
	if err != nil {
		t.Fatal(err)
	}
	eqDec(t, "7/3 half-up", r.Index, d("2.333333"))
}
