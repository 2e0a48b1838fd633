package appraisal_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

// weightedScheme returns a weights-mode scheme of n direct items with equal
// weights 1/n (n divides 100 so that the weights are exact).
func weightedScheme(tb testing.TB, n int) *appraisal.Scheme {
	tb.Helper()
	var items []string
	w := fmt.Sprintf("%g", 1/float64(n))
	for i := 0; i < n; i++ {
		items = append(items, fmt.Sprintf(`{"id":"i%02d","label":{"en":"item %d"},"weight":"%s","rule":{"kind":"direct"}}`, i, i, w))
	}
	js := `{"name":"bench","version":"1","tag":"practice","label":{"en":"bench"},"mode":"weights","budget":"100",
	"bands":[{"id":"excellent","label":{"en":"excellent"},"min":"90"},{"id":"competent","label":{"en":"competent"},"min":"70"},
	{"id":"basically_competent","label":{"en":"basically competent"},"min":"60"},{"id":"incompetent","label":{"en":"incompetent"},"min":"0"}],
	"sections":[{"id":"s","label":{"en":"s"},"weight":"1","items":[` + strings.Join(items, ",") + `]}]}`
	s, err := appraisal.DecodeScheme([]byte(js))
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// benchSubject gives item i the score 60 + (i·7 + seed) mod 39 + 0.5. The
// subject is decoded from JSON, as a server would receive it.
func benchSubject(tb testing.TB, s *appraisal.Scheme, seed int) appraisal.Subject {
	tb.Helper()
	var inputs []string
	for i, id := range s.ItemIDs() {
		inputs = append(inputs, fmt.Sprintf(`{"item":%q,"value":"%d.5"}`, id, 60+(i*7+seed)%39))
	}
	subj, err := appraisal.DecodeSubject([]byte(fmt.Sprintf(`{"id":"p%06d","inputs":[%s]}`, seed, strings.Join(inputs, ","))))
	if err != nil {
		tb.Fatal(err)
	}
	return subj
}

var sinkFloored bool

// benchScore times the whole public Score call of subj on s.
func benchScore(b *testing.B, s *appraisal.Scheme, subj appraisal.Subject) {
	b.ReportAllocs()
	for b.Loop() {
		r, err := appraisal.Score(s, subj)
		if err != nil {
			b.Fatal(err)
		}
		sinkFloored = r.Floored()
	}
}

// BenchmarkScore20 times the whole public Score call on an already-decoded
// subject, on a 20-item weighted score.
func BenchmarkScore20(b *testing.B) {
	s := weightedScheme(b, 20)
	subj := benchSubject(b, s, 1)
	benchScore(b, s, subj)
}

// BenchmarkScore50 scores one subject on a 50-item scheme.
func BenchmarkScore50(b *testing.B) {
	s := weightedScheme(b, 50)
	subj := benchSubject(b, s, 1)
	benchScore(b, s, subj)
}

var sinkRanking appraisal.Ranking

// BenchmarkRank100k ranks 100,000 people on a 20-item weighted scheme with
// the 2020 quota, half-up, a two-item tie-break; one op is the whole Rank.
func BenchmarkRank100k(b *testing.B) {
	s := weightedScheme(b, 20)
	ids := s.ItemIDs()
	people := make([]appraisal.Person, 100_000)
	for i := range people {
		people[i] = appraisal.Person{ID: fmt.Sprintf("p%06d", i)}
		// Person level 60–99, items spread ±2 around it: about a quarter
		// of the people reach the 优秀 band, many with tied totals.
		level := 60 + (i*37)%40
		for k, id := range ids {
			v := min(99, max(0, level+(k%5)-2))
			people[i].Inputs = append(people[i].Inputs, appraisal.Input{Item: id, Value: dp(fmt.Sprintf("%d.%d", v, (i+k)%2*5))})
		}
		if i%50 == 0 {
			people[i].Probation = true
		}
	}
	pol := appraisal.StaffPolicy{Name: "bench", Version: "1", Tag: ssra.TagPractice, GradeSet: appraisal.CivilServants,
		BandGrades: map[string]appraisal.StaffGrade{"excellent": appraisal.Excellent, "competent": appraisal.Competent,
			"basically_competent": appraisal.BasicallyCompetent, "incompetent": appraisal.Incompetent},
		Quota:    appraisal.Quota{Rules: appraisal.Rules2020, Rounding: appraisal.RoundHalfUp, NoGradeInBase: appraisal.IncludeNoGrade, SmallUnits: appraisal.SmallUnitsNone},
		TieBreak: []string{ids[0], ids[1]}}
	b.ReportAllocs()
	for b.Loop() {
		rk, err := appraisal.Rank(s, pol, appraisal.Run{Year: 2024}, people)
		if err != nil {
			b.Fatal(err)
		}
		if rk.Excellent > rk.Quota || rk.Candidates <= rk.Quota {
			b.Fatalf("quota %d, candidates %d, excellent %d", rk.Quota, rk.Candidates, rk.Excellent)
		}
		sinkRanking = rk
	}
}

// BenchmarkScoreWenzhou scores a county on the Wenzhou 2017 negative list,
// a scheme of deductions, tiers and the three rates (no direct items), with
// a rate below its threshold.
func BenchmarkScoreWenzhou(b *testing.B) {
	s := mustPreset(b, appraisal.PresetWenzhou2017)
	subj := appraisal.Subject{ID: "county", Inputs: wenzhouInputs(appraisal.Input{Item: "sense_of_security", Value: dp("88")})}
	benchScore(b, s, subj)
}
