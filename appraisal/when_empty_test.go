package appraisal_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

// emptyScheme is a scheme of a direct item (a) and two attainment items
// measured from an indicator, b (when_empty given by policyB) and c
// (full_marks), in points mode (40, 30, 30) or weights mode (0.5, 0.3, 0.2).
func emptyScheme(t *testing.T, mode, policyB string) *appraisal.Scheme {
	t.Helper()
	alloc := func(points, weight string) string {
		if mode == "weights" {
			return `"weight": "` + weight + `"`
		}
		return `"points": "` + points + `"`
	}
	when := ""
	if policyB != "" {
		when = `"when_empty": "` + policyB + `", `
	}
	linear := `{"kind": "attainment", "direction": "higher_is_better", "curve": "linear", "target": "100", "zero_at": "80"}`
	src := `{"name": "empty", "version": "1", "tag": "practice", "label": {"zh-CN": "测试", "en": "test"}, "mode": "` + mode + `", "budget": "100",
		"bands": [{"id": "pass", "label": {"zh-CN": "合格", "en": "pass"}, "min": "60"}, {"id": "fail", "label": {"zh-CN": "不合格", "en": "fail"}, "min": "0"}],
		"sections": [{"id": "s", "label": {"zh-CN": "节", "en": "section"}, ` + alloc("100", "1") + `, "items": [
			{"id": "a", "label": {"zh-CN": "甲", "en": "a"}, ` + alloc("40", "0.5") + `, "rule": {"kind": "direct"}},
			{"id": "b", "label": {"zh-CN": "乙", "en": "b"}, ` + alloc("30", "0.3") + `, "indicator": "casework.closed_within_limit", ` + when + `"rule": ` + linear + `},
			{"id": "c", "label": {"zh-CN": "丙", "en": "c"}, ` + alloc("30", "0.2") + `, "indicator": "casework.satisfaction", "when_empty": "full_marks", "rule": ` + linear + `}]}]}`
	s, err := appraisal.DecodeScheme([]byte(src))
	if err != nil {
		t.Fatalf("DecodeScheme: %v", err)
	}
	return s
}

func unit(inputs ...appraisal.Input) appraisal.Subject {
	return appraisal.Subject{ID: "unit", Inputs: inputs}
}

func val(item, v string) appraisal.Input { return appraisal.Input{Item: item, Value: dp(v)} }

func empty(item string) appraisal.Input { return appraisal.Input{Item: item, NotMeasurable: true} }

// TestWhenEmptyExcludeRescales: an excluded item leaves the total and the
// points the others earned are scaled to the full budget, exactly to 12
// places, half-up (缺项按比例折算); in weights mode this is the weights of
// the remaining items renormalised.
func TestWhenEmptyExcludeRescales(t *testing.T) {
	for _, tc := range []struct {
		name, mode   string
		a, c         string
		base, scaled string
		total        string
		rounded      bool
	}{
		// a 30 of 40, c 90 → 30 × 10/20 = 15: 45 of 70, × 100/70.
		{name: "points", mode: "points", a: "30", c: "90", base: "45", scaled: "64.285714285714", total: "64.285714285714", rounded: true},
		// a 80 × 0.5 = 40, c 50 × 0.2 = 10: 50 of 70 = 500/7.
		{name: "weights", mode: "weights", a: "80", c: "90", base: "50", scaled: "71.428571428571", total: "71.428571428571", rounded: true},
		// a 28 of 40, c 100 → 30: 58 of 70 = 82.857142857142|857… rounds up.
		{name: "half-up", mode: "points", a: "28", c: "100", base: "58", scaled: "82.857142857143", total: "82.857142857143", rounded: true},
		// a 33, c 100: 63 of 70 = 90 exactly, no rounding stated.
		{name: "exact", mode: "points", a: "33", c: "100", base: "63", scaled: "90", total: "90"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := emptyScheme(t, tc.mode, "exclude")
			r := mustScore(t, s, unit(val("a", tc.a), empty("b"), val("c", tc.c)))
			eqDec(t, "base", r.Base(), d(tc.scaled))
			eqDec(t, "total", r.Total(), d(tc.total))
			b := item(t, r, "b")
			if !b.Excluded || !b.NotMeasurable || !b.Points.IsZero() || !b.Contribution.IsZero() {
				t.Fatalf("item b: excluded %v, not measurable %v, points %s, contribution %s", b.Excluded, b.NotMeasurable, b.Points, b.Contribution)
			}
			ex := explained(r.Explanation())
			for _, want := range []string{"allotted items earn " + tc.base + " points of 70", "× 100 ÷ 70 = " + tc.scaled, "b: excluded, nothing to measure"} {
				if !contains(ex, want) {
					t.Fatalf("explanation lacks %q:\n%s", want, ex)
				}
			}
			if got := contains(ex, "rounded half-up"); got != tc.rounded {
				t.Fatalf("rounding stated: got %v, want %v:\n%s", got, tc.rounded, ex)
			}
			if !contains(explained(b.Explanation), "when_empty.exclude") {
				t.Fatalf("item b's explanation: %s", explained(b.Explanation))
			}
			// The section's maximum leaves the excluded item out.
			if sec := r.Sections()[0]; !sec.Max.Equal(d("70")) {
				t.Fatalf("section max: got %s, want 70", sec.Max)
			}
		})
	}
	// Nothing excluded: the same scheme scores as before, no rescaling.
	r := mustScore(t, emptyScheme(t, "points", "exclude"), unit(val("a", "30"), val("b", "90"), val("c", "90")))
	eqDec(t, "total without exclusion", r.Total(), d("60"))
	if contains(explained(r.Explanation()), "when_empty") {
		t.Fatalf("an explanation without exclusion mentions it:\n%s", explained(r.Explanation()))
	}
}

// TestWhenEmptyFullMarks: the item scores its maximum, says why, and the
// total is not rescaled.
func TestWhenEmptyFullMarks(t *testing.T) {
	r := mustScore(t, emptyScheme(t, "points", ""), unit(val("a", "30"), val("b", "90"), empty("c")))
	eqDec(t, "total", r.Total(), d("75")) // 30 + 15 + 30
	c := item(t, r, "c")
	eqDec(t, "c points", c.Points, d("30"))
	if !c.NotMeasurable || c.Excluded || c.Input != nil {
		t.Fatalf("item c: not measurable %v, excluded %v, input %v", c.NotMeasurable, c.Excluded, c.Input)
	}
	if ex := explained(c.Explanation); !contains(ex, "when_empty.full_marks") || !contains(ex, "full 30 points") {
		t.Fatalf("item c's explanation: %s", ex)
	}
	// In weights mode: 80 × 0.5 + 50 × 0.3 + 100 × 0.2 = 75.
	r = mustScore(t, emptyScheme(t, "weights", ""), unit(val("a", "80"), val("b", "90"), empty("c")))
	eqDec(t, "weights total", r.Total(), d("75"))
}

// TestWhenEmptyRefuses: with no policy (the default) or refuse, an item
// with nothing to measure refuses the run with its own code; a missing
// value is still input.value_missing; contradictions and misplaced
// markers are refused.
func TestWhenEmptyRefuses(t *testing.T) {
	for _, policy := range []string{"", "refuse"} {
		_, err := appraisal.Score(emptyScheme(t, "points", policy), unit(val("a", "30"), empty("b"), val("c", "90")))
		if !hasCode(ssra.ProblemsOf(err), "input.not_measurable", "inputs[1].not_measurable") {
			t.Fatalf("policy %q: want input.not_measurable at inputs[1], got %v", policy, err)
		}
	}
	s := emptyScheme(t, "points", "exclude")
	_, err := appraisal.Score(s, unit(val("a", "30"), val("c", "90")))
	wantCode(t, err, "input.value_missing")
	_, err = appraisal.Score(s, unit(val("a", "30"), appraisal.Input{Item: "b", Value: dp("90"), NotMeasurable: true}, val("c", "90")))
	wantCode(t, err, "input.value_not_measurable")
	// A direct item measures nothing: the marker is refused with the inputs
	// in the scheme's order and out of it.
	for _, subj := range []appraisal.Subject{
		unit(appraisal.Input{Item: "a", Value: dp("30"), NotMeasurable: true}, val("b", "90"), val("c", "90")),
		unit(val("c", "90"), val("b", "90"), appraisal.Input{Item: "a", Value: dp("30"), NotMeasurable: true}),
	} {
		_, err = appraisal.Score(s, subj)
		if !hasCode(ssra.ProblemsOf(err), "input.field_unused", "") {
			t.Fatalf("not_measurable on a direct item: want input.field_unused, got %v", err)
		}
	}
}

// TestWhenEmptyNothingLeft: when every allotted item is excluded there is
// nothing to scale: refused, never a division by zero or a full score.
func TestWhenEmptyNothingLeft(t *testing.T) {
	s, err := appraisal.DecodeScheme([]byte(`{"name": "one", "version": "1", "tag": "practice", "label": {"zh-CN": "一", "en": "one"}, "mode": "points", "budget": "100",
		"bands": [{"id": "all", "label": {"zh-CN": "全", "en": "all"}, "min": "0"}],
		"sections": [{"id": "s", "label": {"zh-CN": "节", "en": "s"}, "points": "100", "items": [
			{"id": "b", "label": {"zh-CN": "乙", "en": "b"}, "points": "100", "when_empty": "exclude",
			 "rule": {"kind": "attainment", "direction": "higher_is_better", "curve": "linear", "target": "100", "zero_at": "80"}}]}]}`))
	if err != nil {
		t.Fatal(err)
	}
	_, err = appraisal.Score(s, unit(empty("b")))
	wantCode(t, err, "input.nothing_measurable")
}

// TestWhenEmptyScheme: the policy round-trips through JSON, an unknown one
// is refused by name, and only an attainment item takes one.
func TestWhenEmptyScheme(t *testing.T) {
	def := emptyScheme(t, "points", "exclude").Def()
	b, err := json.Marshal(def)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"when_empty":"exclude"`) || !strings.Contains(string(b), `"when_empty":"full_marks"`) {
		t.Fatalf("encoded scheme lacks its policies: %s", b)
	}
	if strings.Count(string(b), `"when_empty"`) != 2 {
		t.Fatalf("an unset policy is encoded: %s", b)
	}
	if _, err := appraisal.DecodeScheme([]byte(strings.Replace(string(b), `"when_empty":"exclude"`, `"when_empty":"skip"`, 1))); err == nil {
		t.Fatal("an unknown policy was accepted")
	}
	def.Sections[0].Items[0].WhenEmpty = appraisal.EmptyFullMarks // the direct item
	_, err = appraisal.NewScheme(def)
	if !hasCode(ssra.ProblemsOf(err), "item.when_empty_rule", "sections[0].items[0].when_empty") {
		t.Fatalf("when_empty on a direct item: got %v", err)
	}
	def.Sections[0].Items[0].WhenEmpty = appraisal.EmptyPolicy(9)
	_, err = appraisal.NewScheme(def)
	wantCode(t, err, "item.when_empty_invalid")
	if got := appraisal.EmptyExclude.Label(ssra.LangZH); got != "缺项折算" {
		t.Fatalf("zh-CN label: %q", got)
	}
}
