package appraisal_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

func TestResultJSON(t *testing.T) {
	s := mustPreset(t, appraisal.PresetWenzhou2017)
	r := mustScore(t, s, appraisal.Subject{ID: "county", Inputs: wenzhouInputs(appraisal.Input{Item: "sense_of_security", Value: dp("88")})})
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Scheme struct{ Name, Version, Tag string }
		Total  string
		Grade  struct{ ID string }
		Items  []struct {
			ID           string
			Points       string
			Contribution string
			Explanation  []struct{ Key, Text string }
		}
		Explanation []struct{ Key, Text string }
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	if v.Scheme.Name != appraisal.PresetWenzhou2017 || v.Scheme.Version != "2017.1" || v.Scheme.Tag != "practice" || v.Total != "97.5" || v.Grade.ID != "assessed" {
		t.Fatalf("%s", b)
	}
	if len(v.Items) != s.NumItems() || len(v.Explanation) == 0 {
		t.Fatalf("items %d explanation %d", len(v.Items), len(v.Explanation))
	}
}

func TestWeightsModeDeduction(t *testing.T) {
	js := `{"name":"w","version":"1","tag":"practice","label":{"en":"w"},"mode":"weights","budget":"100",
	"bands":[{"id":"a","label":{"en":"a"},"min":"0"}],
	"sections":[{"id":"s","label":{"en":"s"},"weight":"1","items":[
	 {"id":"x","label":{"en":"x"},"weight":"0.6","rule":{"kind":"direct"}},
	 {"id":"late","label":{"en":"late"},"weight":"0.4","rule":{"kind":"deduction","basis":"per_occurrence","amount":"30"}},
	 {"id":"inc","label":{"en":"inc"},"rule":{"kind":"deduction","basis":"per_occurrence","amount":"5"}}]}]}`
	s, err := appraisal.DecodeScheme([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name, late, inc, total string
	}{
		{"none", "0", "0", "88"},                    // 0.6 × 80 + 0.4 × 100
		{"one late: 0.4 × 70", "1", "0", "76"},      // 48 + 28
		{"floored within the item", "5", "0", "48"}, // 48 + 0.4 × 0
		{"from the total after weighting", "0", "2", "78"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := mustScore(t, s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("x", "80"), in("late", tc.late), in("inc", tc.inc)}})
			eqDec(t, "total", r.Total(), d(tc.total))
		})
	}
}

func TestRankProblemsTruncated(t *testing.T) {
	s := mustPreset(t, appraisal.PresetAnnualCivilServant)
	var people []appraisal.Person
	for i := 0; i < 1000; i++ {
		people = append(people, annual(fmt.Sprint("p", i), "101", "90", "90", "90"))
	}
	_, err := appraisal.Rank(s, policy(t, appraisal.PolicyCivilServants2020), appraisal.Run{Year: 2024}, people)
	ps := ssra.ProblemsOf(err)
	if len(ps) > 250 || !hasCode(ps, "rank.problems_truncated", "people") {
		t.Fatalf("%d problems", len(ps))
	}
}

func TestUnorderedInputsMatchByID(t *testing.T) {
	s := mustPreset(t, appraisal.PresetGenericUnit100)
	subj := genericSubject("u", "10", "95")
	a := mustScore(t, s, subj)
	rev := subj
	rev.Inputs = nil
	for i := len(subj.Inputs) - 1; i >= 0; i-- {
		rev.Inputs = append(rev.Inputs, subj.Inputs[i])
	}
	b := mustScore(t, s, rev)
	eqDec(t, "total", b.Total(), a.Total())
	// Explanations follow the input each item used.
	if got, want := item(t, b, "organisation").Explanation[0].Text, item(t, a, "organisation").Explanation[0].Text; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
}

func TestSchemeUnmarshalJSON(t *testing.T) {
	b, _ := appraisal.PresetJSON(appraisal.PresetWenzhou2017)
	var doc struct {
		Scheme *appraisal.Scheme `json:"scheme"`
	}
	if err := json.Unmarshal([]byte(`{"scheme":`+string(b)+`}`), &doc); err != nil {
		t.Fatal(err)
	}
	r := mustScore(t, doc.Scheme, appraisal.Subject{ID: "c", Inputs: wenzhouInputs(appraisal.Input{Item: "sense_of_security", Value: dp("88")})})
	eqDec(t, "total", r.Total(), d("97.5"))
	if err := json.Unmarshal([]byte(`{"scheme":{"name":"x"}}`), &doc); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("got %v", err)
	}
}
