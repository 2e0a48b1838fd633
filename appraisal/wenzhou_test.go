package appraisal_test

import (
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

func ev(mag string, repeat, special bool) appraisal.Event {
	e := appraisal.Event{Repeat: repeat, SpecialPeriod: special}
	if mag != "" {
		e.Magnitude = dp(mag)
	}
	return e
}

// wenzhouInputs returns neutral measurements for every measured item (rates
// at their thresholds, no change of rank), overridden by the given inputs.
// The negative list needs these measurements: a missing rate is an error,
// not a silent zero.
func wenzhouInputs(over ...appraisal.Input) []appraisal.Input {
	base := []appraisal.Input{
		{Item: "sense_of_security", Value: dp("96")},
		{Item: "awareness", Value: dp("80"), Reference: dp("80")},
		{Item: "participation", Value: dp("80"), Reference: dp("80")},
		{Item: "rank_fall", Value: dp("0")},
		{Item: "rank_rise", Value: dp("0")},
	}
	for _, o := range over {
		replaced := false
		for i := range base {
			if base[i].Item == o.Item {
				base[i], replaced = o, true
			}
		}
		if !replaced {
			base = append(base, o)
		}
	}
	return base
}

// TestWenzhou2017 checks each rule of the negative list as domain.md §2.1
// states it, by the deduction it produces from the full 100 points.
func TestWenzhou2017(t *testing.T) {
	s := mustPreset(t, appraisal.PresetWenzhou2017)
	if got := s.Tag(); got != ssra.TagPractice {
		t.Fatalf("tag: got %v, want practice", got)
	}
	cases := []struct {
		name   string
		inputs []appraisal.Input
		total  string
	}{
		{"nothing happened", nil, "100"},
		{"veto-level event −30", []appraisal.Input{{Item: "veto_level_event", Events: []appraisal.Event{ev("", false, false)}}}, "70"},
		{"veto-level event as a plain count", []appraisal.Input{{Item: "veto_level_event", Value: dp("2")}}, "40"},
		{"repeat event doubles", []appraisal.Input{{Item: "veto_level_event", Events: []appraisal.Event{ev("", true, false)}}}, "40"},
		{"major security period doubles", []appraisal.Input{{Item: "veto_level_event", Events: []appraisal.Event{ev("", false, true)}}}, "40"},
		{"repeat in a security period still doubles once", []appraisal.Input{{Item: "veto_level_event", Events: []appraisal.Event{ev("", true, true)}}}, "40"},
		{"accident 2 deaths: no tier", []appraisal.Input{{Item: "accident_deaths", Events: []appraisal.Event{ev("2", false, false)}}}, "100"},
		{"accident 3 deaths −5", []appraisal.Input{{Item: "accident_deaths", Events: []appraisal.Event{ev("3", false, false)}}}, "95"},
		{"accident 5 deaths −5", []appraisal.Input{{Item: "accident_deaths", Events: []appraisal.Event{ev("5", false, false)}}}, "95"},
		{"accident 6 deaths −10", []appraisal.Input{{Item: "accident_deaths", Events: []appraisal.Event{ev("6", false, false)}}}, "90"},
		{"accident 9 deaths −10", []appraisal.Input{{Item: "accident_deaths", Events: []appraisal.Event{ev("9", false, false)}}}, "90"},
		{"two accidents add up", []appraisal.Input{{Item: "accident_deaths", Events: []appraisal.Event{ev("4", false, false), ev("7", false, false)}}}, "85"},
		{"repeat accident 4 deaths −10", []appraisal.Input{{Item: "accident_deaths", Events: []appraisal.Event{ev("4", true, false)}}}, "90"},
		{"homicide 3 deaths −5", []appraisal.Input{{Item: "homicide_deaths", Events: []appraisal.Event{ev("3", false, false)}}}, "95"},
		{"homicide 4 deaths in a security period −10", []appraisal.Input{{Item: "homicide_deaths", Events: []appraisal.Event{ev("4", false, true)}}}, "90"},
		{"sense of security 96: nothing", []appraisal.Input{{Item: "sense_of_security", Value: dp("96")}}, "100"},
		{"sense of security 95.5: 0.125 pro rata", []appraisal.Input{{Item: "sense_of_security", Value: dp("95.5")}}, "99.875"},
		{"sense of security 90: 6 × 0.25", []appraisal.Input{{Item: "sense_of_security", Value: dp("90")}}, "98.5"},
		{"sense of security 89.5: 6 × 0.25 + 0.5 × 0.5", []appraisal.Input{{Item: "sense_of_security", Value: dp("89.5")}}, "98.25"},
		{"sense of security 70: 1.5 + 20 × 0.5, capped at 5", []appraisal.Input{{Item: "sense_of_security", Value: dp("70")}}, "95"},
		{"worked example: 88 % costs 2.5", []appraisal.Input{{Item: "sense_of_security", Value: dp("88")}}, "97.5"},
		{"awareness 2 points below the provincial average", []appraisal.Input{{Item: "awareness", Value: dp("80"), Reference: dp("82")}}, "99.5"},
		{"participation above the average", []appraisal.Input{{Item: "participation", Value: dp("75"), Reference: dp("70")}}, "100"},
		{"participation 1.5 below: pro rata", []appraisal.Input{{Item: "participation", Value: dp("68.5"), Reference: dp("70")}}, "99.625"},
		{"three rates capped at −5 together", []appraisal.Input{
			{Item: "sense_of_security", Value: dp("86")},                   // 2.5 + 2 = 4.5
			{Item: "awareness", Value: dp("80"), Reference: dp("84")},      // 1
			{Item: "participation", Value: dp("80"), Reference: dp("84")}}, // 1
			"95"},
		{"rank fell 4: nothing", []appraisal.Input{{Item: "rank_fall", Value: dp("4")}}, "100"},
		{"rank fell 5: −1", []appraisal.Input{{Item: "rank_fall", Value: dp("5")}}, "99"},
		{"rank fell 9: −1", []appraisal.Input{{Item: "rank_fall", Value: dp("9")}}, "99"},
		{"rank fell 10: −2", []appraisal.Input{{Item: "rank_fall", Value: dp("10")}}, "98"},
		{"rank rose 5: +0.5", []appraisal.Input{{Item: "rank_rise", Value: dp("5")}}, "100.5"},
		{"rank rose 4: nothing", []appraisal.Input{{Item: "rank_rise", Value: dp("4")}}, "100"},
		{"floor at zero", []appraisal.Input{{Item: "veto_level_event", Value: dp("4")}}, "0"},
		{"floor at zero, then the bonus", []appraisal.Input{{Item: "veto_level_event", Value: dp("4")}, {Item: "rank_rise", Value: dp("6")}}, "0.5"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := mustScore(t, s, appraisal.Subject{ID: "county", Inputs: wenzhouInputs(tc.inputs...)})
			eqDec(t, "total", r.Total(), d(tc.total))
			if rs := r.Explanation(); len(rs) == 0 {
				t.Fatal("no explanation")
			}
			if got := r.Scheme(); got.Name != appraisal.PresetWenzhou2017 || got.Version != "2017.1" || got.Tag != ssra.TagPractice {
				t.Fatalf("scheme recorded: %+v", got)
			}
		})
	}
}

// TestWenzhouBeyondEveryTier refuses an event above every tier of a list
// whose last tier is closed: an accident with 10 or 12 deaths used to
// deduct 0 (ten or more deaths is a veto-level event in the list, not a
// larger accident tier), and a homicide with 5 deaths likewise. Below the
// first tier the list deducts nothing, as before.
func TestWenzhouBeyondEveryTier(t *testing.T) {
	s := mustPreset(t, appraisal.PresetWenzhou2017)
	for _, tc := range []struct {
		item, deaths string
	}{
		{"accident_deaths", "10"},
		{"accident_deaths", "12"},
		{"homicide_deaths", "5"},
	} {
		_, err := appraisal.Score(s, appraisal.Subject{ID: "county", Inputs: wenzhouInputs(appraisal.Input{Item: tc.item, Events: []appraisal.Event{ev("3", false, false), ev(tc.deaths, false, false)}})})
		ps := ssra.ProblemsOf(err)
		if len(ps) != 1 || ps[0].Code != "input.magnitude_beyond_tiers" || !strings.HasSuffix(ps[0].Field, "events[1].magnitude") {
			t.Fatalf("%s with %s deaths: %v", tc.item, tc.deaths, err)
		}
	}
	// An open-ended last tier ("and above") takes every larger magnitude.
	def := `{"name":"open","version":"1","tag":"practice","label":{"zh-CN":"开放","en":"open"},"mode":"negative_list","budget":"100",
	  "bands":[{"id":"all","label":{"zh-CN":"全部","en":"all"},"min":"0"}],
	  "sections":[{"id":"s","label":{"zh-CN":"事故","en":"accidents"},"items":[{"id":"deaths","label":{"zh-CN":"亡人事故","en":"deaths"},
	    "rule":{"kind":"deduction","basis":"per_occurrence","tiers":[{"min":"3","max":"5","amount":"5"},{"min":"6","amount":"10"}]}}]}]}`
	open, err := appraisal.DecodeScheme([]byte(def))
	if err != nil {
		t.Fatal(err)
	}
	r := mustScore(t, open, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{{Item: "deaths", Events: []appraisal.Event{ev("40", false, false)}}}})
	eqDec(t, "total", r.Total(), d("90"))
}

func TestWenzhouWorkedExampleExplained(t *testing.T) {
	s := mustPreset(t, appraisal.PresetWenzhou2017)
	r := mustScore(t, s, appraisal.Subject{ID: "county", Inputs: wenzhouInputs(appraisal.Input{Item: "sense_of_security", Value: dp("88")})})
	it := item(t, r, "sense_of_security")
	eqDec(t, "points", it.Points, d("2.5"))
	eqDec(t, "contribution", it.Contribution, d("-2.5"))
	if len(it.Explanation) != 2 {
		t.Fatalf("want one line per tier, got %v", it.Explanation)
	}
	for i, want := range []string{"6 points of the shortfall below 96 × 0.25 = 1.5", "2 points of the shortfall below 90 × 0.5 = 1"} {
		if got := it.Explanation[i].Text; !contains(got, want) {
			t.Fatalf("line %d: got %q, want it to contain %q", i, got, want)
		}
	}
}

func TestWenzhouMissingRateRefused(t *testing.T) {
	s := mustPreset(t, appraisal.PresetWenzhou2017)
	_, err := appraisal.Score(s, appraisal.Subject{ID: "county"})
	ps := ssra.ProblemsOf(err)
	for _, id := range []string{"sense_of_security", "awareness", "participation", "rank_fall", "rank_rise"} {
		found := false
		for _, p := range ps {
			if p.Code == "input.value_missing" && contains(p.Message, `"`+id+`"`) {
				found = true
			}
		}
		if !found {
			t.Errorf("no input.value_missing for %s in %v", id, ps)
		}
	}
}

func TestWenzhouSectionsShowTheCap(t *testing.T) {
	s := mustPreset(t, appraisal.PresetWenzhou2017)
	r := mustScore(t, s, appraisal.Subject{ID: "c", Inputs: wenzhouInputs(appraisal.Input{Item: "sense_of_security", Value: dp("70")})})
	for _, sec := range r.Sections() {
		if sec.ID == "three_rates" {
			// 6 × 0.25 + 20 × 0.5 = 11.5, capped at 5: 6.5 given back.
			eqDec(t, "deducted", sec.Deducted, d("5"))
			eqDec(t, "relief", sec.Relief, d("6.5"))
			return
		}
	}
	t.Fatal("no three_rates section")
}
