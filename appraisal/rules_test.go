package appraisal_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

// scheme builds a points-mode scheme with budget 100 around the given
// items JSON (one section); extra items keep the points sum at 100 when
// "fill" is the allotted remainder.
func scheme(t testing.TB, mode, items string) *appraisal.Scheme {
	t.Helper()
	js := `{"name":"t","version":"1","tag":"practice","label":{"zh-CN":"测试","en":"test"},"mode":"` + mode + `","budget":"100",
	"bonus_cap":"6","veto_band":"d",
	"bands":[{"id":"a","label":{"en":"a"},"min":"90"},{"id":"b","label":{"en":"b"},"min":"80"},{"id":"c","label":{"en":"c"},"min":"60"},{"id":"d","label":{"en":"d"},"min":"0"}],
	"sections":[{"id":"s","label":{"en":"s"},"items":[` + items + `]}]}`
	s, err := appraisal.DecodeScheme([]byte(js))
	if err != nil {
		t.Fatalf("DecodeScheme: %v", err)
	}
	return s
}

func in(item, value string) appraisal.Input {
	i := appraisal.Input{Item: item}
	if value != "" {
		i.Value = dp(value)
	}
	return i
}

func TestRuleKinds(t *testing.T) {
	const direct = `{"id":"x","label":{"en":"x"},"points":"40","rule":{"kind":"direct"}}`
	const linearHi = `{"id":"y","label":{"en":"y"},"points":"30","rule":{"kind":"attainment","direction":"higher_is_better","curve":"linear","target":"100","zero_at":"70"}}`
	const linearLo = `{"id":"z","label":{"en":"z"},"points":"30","rule":{"kind":"attainment","direction":"lower_is_better","curve":"linear","target":"2","zero_at":"12"}}`
	s := scheme(t, "points", direct+","+linearHi+","+linearLo)
	cases := []struct {
		name      string
		x, y, z   string
		wantTotal string
		wantY     string
		rounded   bool
	}{
		{"all full", "40", "100", "2", "100", "30", false},
		{"over target is full", "40", "120", "0", "100", "30", false},
		{"at zero_at", "0", "70", "12", "0", "0", false},
		{"beyond zero_at", "0", "50", "20", "0", "0", false},
		{"linear midpoint", "20", "85", "7", "50", "15", false},
		{"linear fraction exact", "0", "70.3", "12", "0.3", "0.3", false},
		{"linear rounded half-up to 6 places", "0", "71", "12", "1", "1", false},
		{"linear inexact", "0", "70.000001", "12", "0.000001", "0.000001", false},
		{"third of a point", "0", "80", "12", "10", "10", false},
		{"repeating quotient", "0", "70.01", "12", "0.01", "0.01", false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := mustScore(t, s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("x", tc.x), in("y", tc.y), in("z", tc.z)}})
			eqDec(t, "total", r.Total(), d(tc.wantTotal))
			eqDec(t, "y", item(t, r, "y").Points, d(tc.wantY))
		})
	}
	t.Run("linear rounding flagged", func(t *testing.T) {
		s := scheme(t, "points", `{"id":"y","label":{"en":"y"},"points":"100","rule":{"kind":"attainment","direction":"higher_is_better","curve":"linear","target":"3","zero_at":"0"}}`)
		r := mustScore(t, s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("y", "1")}})
		it := item(t, r, "y")
		eqDec(t, "100/3", it.Points, d("33.333333"))
		if !it.Rounded {
			t.Fatal("rounding not flagged")
		}
		r = mustScore(t, s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("y", "2")}})
		eqDec(t, "200/3 half-up", item(t, r, "y").Points, d("66.666667"))
	})
	t.Run("direct outside the item's points", func(t *testing.T) {
		_, err := appraisal.Score(s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("x", "40.5"), in("y", "80"), in("z", "-1")}})
		if !hasCode(ssra.ProblemsOf(err), "input.value_range", "inputs[0].value") {
			t.Fatalf("want input.value_range at inputs[0].value, got %v", err)
		}
	})
	t.Run("too many places refused, not truncated", func(t *testing.T) {
		_, err := appraisal.Score(s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("x", "1.0000001"), in("y", "80"), in("z", "3")}})
		if !hasCode(ssra.ProblemsOf(err), "input.value_unsupported", "inputs[0].value") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("all subject problems at once", func(t *testing.T) {
		_, err := appraisal.Score(s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("x", "41"), in("nope", "1"), in("x", "1")}})
		ps := ssra.ProblemsOf(err)
		for _, want := range []struct{ code, field string }{
			{"input.item_unknown", "inputs[1].item"}, {"input.item_duplicate", "inputs[2].item"},
			{"input.value_range", "inputs[0].value"}, {"input.value_missing", "inputs"},
		} {
			if !hasCode(ps, want.code, want.field) {
				t.Errorf("missing %s at %s in %v", want.code, want.field, ps)
			}
		}
		if ssra.KindOf(err) != ssra.KindInvalid {
			t.Errorf("kind: got %v", ssra.KindOf(err))
		}
	})
	t.Run("inputs in any order", func(t *testing.T) {
		a := mustScore(t, s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("z", "7"), in("x", "20"), in("y", "85")}})
		eqDec(t, "total", a.Total(), d("50"))
	})
}

func TestSteppedAttainment(t *testing.T) {
	s := scheme(t, "points", `{"id":"sat","label":{"en":"sat"},"points":"100","rule":{"kind":"attainment","direction":"higher_is_better","curve":"stepped",
		"steps":[{"at":"95","share":"1"},{"at":"90","share":"0.8"},{"at":"85","share":"0.6"}]}}`)
	lo := scheme(t, "points", `{"id":"late","label":{"en":"late"},"points":"100","rule":{"kind":"attainment","direction":"lower_is_better","curve":"stepped",
		"steps":[{"at":"1","share":"1"},{"at":"3","share":"0.5"}]}}`)
	cases := []struct {
		name   string
		s      *appraisal.Scheme
		id, v  string
		points string
	}{
		{"exactly on the top step", s, "sat", "95", "100"},
		{"just under the top step", s, "sat", "94.999999", "80"},
		{"exactly on the second", s, "sat", "90", "80"},
		{"third", s, "sat", "85", "60"},
		{"below every step", s, "sat", "84.99", "0"},
		{"lower is better, on the step", lo, "late", "1", "100"},
		{"lower is better, second", lo, "late", "3", "50"},
		{"lower is better, none", lo, "late", "3.5", "0"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := mustScore(t, tc.s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in(tc.id, tc.v)}})
			eqDec(t, "points", item(t, r, tc.id).Points, d(tc.points))
		})
	}
}

func TestDeductions(t *testing.T) {
	const occ = `{"id":"occ","label":{"en":"occ"},"points":"5","rule":{"kind":"deduction","basis":"per_occurrence","amount":"0.25"}}`
	const person = `{"id":"per","label":{"en":"per"},"points":"10","rule":{"kind":"deduction","basis":"per_person","amount":"2.5","cap":"5"}}`
	const below = `{"id":"rate","label":{"en":"rate"},"points":"20","rule":{"kind":"deduction","basis":"per_point_below","tiers":[{"below":"90","amount":"1"}]}}`
	const sized = `{"id":"cases","label":{"en":"cases"},"points":"65","rule":{"kind":"deduction","basis":"per_occurrence","amount":"0.2",
		"size_bands":[{"below":"1000","factor":"1"},{"below":"2000","factor":"0.5"},{"factor":"0.25"}]}}`
	const total = `{"id":"inc","label":{"en":"inc"},"rule":{"kind":"deduction","basis":"per_occurrence","amount":"10","repeat_multiplier":"2","special_period_multiplier":"1.5","cap":"50"}}`
	s := scheme(t, "points", strings.Join([]string{occ, person, below, sized, total}, ","))
	base := func(size string, over ...appraisal.Input) appraisal.Subject {
		inputs := []appraisal.Input{in("rate", "95")}
		for _, o := range over {
			if o.Item == "rate" {
				inputs[0] = o
				continue
			}
			inputs = append(inputs, o)
		}
		subj := appraisal.Subject{ID: "u", Inputs: inputs}
		if size != "" {
			subj.Size = dp(size)
		}
		return subj
	}
	cases := []struct {
		name    string
		subj    appraisal.Subject
		total   string
		checkID string
		points  string
		capped  bool
		floored bool
	}{
		{"nothing", base("10"), "100", "occ", "5", false, false},
		{"per occurrence", base("10", in("occ", "3")), "99.25", "occ", "4.25", false, false},
		{"floor within the item (减完为止)", base("10", in("occ", "30")), "95", "occ", "0", false, true},
		{"per person", base("10", appraisal.Input{Item: "per", Events: []appraisal.Event{{Magnitude: dp("1")}}}), "97.5", "per", "7.5", false, false},
		{"per person capped at 5", base("10", appraisal.Input{Item: "per", Events: []appraisal.Event{{Magnitude: dp("2")}, {Magnitude: dp("1")}}}), "95", "per", "5", true, false},
		{"per point below, pro rata", base("10", in("rate", "87.5")), "97.5", "rate", "17.5", false, false},
		{"size band small", base("999", in("cases", "10")), "98", "cases", "63", false, false},
		{"size band exactly on the boundary", base("1000", in("cases", "10")), "99", "cases", "64", false, false},
		{"size band large", base("5000", in("cases", "10")), "99.5", "cases", "64.5", false, false},
		{"from the total", base("10", appraisal.Input{Item: "inc", Events: []appraisal.Event{{}}}), "90", "inc", "10", false, false},
		{"repeat doubles", base("10", appraisal.Input{Item: "inc", Events: []appraisal.Event{{Repeat: true}}}), "80", "inc", "20", false, false},
		{"largest multiplier, no compounding", base("10", appraisal.Input{Item: "inc", Events: []appraisal.Event{{Repeat: true, SpecialPeriod: true}}}), "80", "inc", "20", false, false},
		{"special period 1.5", base("10", appraisal.Input{Item: "inc", Events: []appraisal.Event{{SpecialPeriod: true}}}), "85", "inc", "15", false, false},
		{"item cap", base("10", in("inc", "7")), "50", "inc", "50", true, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := mustScore(t, s, tc.subj)
			eqDec(t, "total", r.Total(), d(tc.total))
			it := item(t, r, tc.checkID)
			eqDec(t, tc.checkID, it.Points, d(tc.points))
			if it.Capped != tc.capped || it.Floored != tc.floored {
				t.Fatalf("capped %v floored %v, want %v %v (%v)", it.Capped, it.Floored, tc.capped, tc.floored, it.Explanation)
			}
		})
	}
	t.Run("size missing", func(t *testing.T) {
		_, err := appraisal.Score(s, base("", in("cases", "1")))
		if !hasCode(ssra.ProblemsOf(err), "subject.size_missing", "size") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("count must be whole", func(t *testing.T) {
		_, err := appraisal.Score(s, base("10", in("occ", "1.5")))
		if !hasCode(ssra.ProblemsOf(err), "input.count_invalid", "inputs[1].value") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("total floored at zero", func(t *testing.T) {
		s := scheme(t, "negative_list", `{"id":"inc","label":{"en":"inc"},"rule":{"kind":"deduction","basis":"per_occurrence","amount":"40"}}`)
		r := mustScore(t, s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("inc", "3")}})
		eqDec(t, "total", r.Total(), d("0"))
		if !r.Floored() {
			t.Fatal("floor not reported")
		}
	})
}

func TestBonus(t *testing.T) {
	const lv = `{"id":"com","label":{"en":"com"},"rule":{"kind":"bonus","basis":"highest_level","cap":"5",
		"levels":[{"level":"national","label":{"en":"n"},"amount":"5"},{"level":"provincial","label":{"en":"p"},"amount":"3"},{"level":"city","label":{"en":"c"},"amount":"1"}]}}`
	const per = `{"id":"rank","label":{"en":"rank"},"rule":{"kind":"bonus","basis":"per_occurrence","amount":"1","cap":"4"}}`
	const x = `{"id":"x","label":{"en":"x"},"points":"100","rule":{"kind":"direct"}}`
	s := scheme(t, "points", x+","+lv+","+per)
	ev := func(ref, level string) appraisal.Event { return appraisal.Event{Ref: ref, Level: level} }
	cases := []struct {
		name   string
		inputs []appraisal.Input
		total  string
		bonus  string
	}{
		{"one matter at two levels counts once, at the highest", []appraisal.Input{{Item: "com", Events: []appraisal.Event{ev("m1", "city"), ev("m1", "provincial")}}}, "93", "3"},
		{"two matters add", []appraisal.Input{{Item: "com", Events: []appraisal.Event{ev("m1", "city"), ev("m2", "city")}}}, "92", "2"},
		{"item cap", []appraisal.Input{{Item: "com", Events: []appraisal.Event{ev("m1", "national"), ev("m2", "provincial")}}}, "95", "5"},
		{"scheme bonus cap 6", []appraisal.Input{{Item: "com", Events: []appraisal.Event{ev("m1", "national")}}, in("rank", "4")}, "96", "6"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			inputs := append([]appraisal.Input{in("x", "90")}, tc.inputs...)
			r := mustScore(t, s, appraisal.Subject{ID: "u", Inputs: inputs})
			eqDec(t, "total", r.Total(), d(tc.total))
			eqDec(t, "bonus", r.Bonus(), d(tc.bonus))
		})
	}
	t.Run("unknown level", func(t *testing.T) {
		_, err := appraisal.Score(s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("x", "90"), {Item: "com", Events: []appraisal.Event{ev("m", "galactic")}}}})
		if !hasCode(ssra.ProblemsOf(err), "input.level_unknown", "inputs[1].events[0].level") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestBands(t *testing.T) {
	s := mustPreset(t, appraisal.PresetGenericUnit100)
	cases := []struct {
		name, org, band string
	}{
		{"exactly 95 is excellent", "10", "excellent"},
		{"just under 95", "9.999999", "meets_standard"},
		{"exactly 80", "0", "meets_standard"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Everything else full except 5 points missing in organisation
			// or more: sense of security 90 loses 5 of 20.
			r := mustScore(t, s, genericSubject("u", tc.org, "90"))
			if tc.name == "exactly 80" {
				r = mustScore(t, s, genericSubject("u", "0", "85"))
				eqDec(t, "total", r.Total(), d("80"))
			}
			if got := r.Grade(); got.ID != tc.band || got.DecidedBy != "band" {
				t.Fatalf("grade: got %+v (total %s), want %s", got, r.Total(), tc.band)
			}
		})
	}
}

// genericSubject is a unit on the generic 100-point scheme with every item
// full except organisation and the sense of security.
func genericSubject(id, org, security string) appraisal.Subject {
	return appraisal.Subject{ID: id, Size: dp("500"), Inputs: []appraisal.Input{
		in("organisation", org), in("risk_assessment_coverage", "100"), in("agreements_performed", "98"),
		in("on_time_handling", "100"), in("handling_satisfaction", "96"), in("sense_of_security", security),
		in("public_order_on_time", "100"),
	}}
}

func TestVeto(t *testing.T) {
	s := mustPreset(t, appraisal.PresetGenericUnit100)
	date := ssra.MustDate(2017, 8, 31)
	veto := func(level appraisal.AdminLevel) appraisal.Input {
		return appraisal.Input{Item: "major_incident_veto", Veto: &appraisal.VetoDecision{DecidedBy: level, Date: date, Reason: "major incident",
			Persons: []appraisal.BoundPerson{{Person: "p1", Role: appraisal.PrincipalHead}, {Person: "p2", Role: appraisal.DirectlyResponsible}}}}
	}
	subj := genericSubject("u1", "10", "95")
	t.Run("imposed by the county overrides the band", func(t *testing.T) {
		sj := subj
		sj.Inputs = append(append([]appraisal.Input(nil), subj.Inputs...), veto(appraisal.LevelCounty))
		r := mustScore(t, s, sj)
		eqDec(t, "total stands", r.Total(), d("100"))
		g := r.Grade()
		if g.ID != "penalised" || g.DecidedBy != "veto:major_incident" || !r.Vetoed() {
			t.Fatalf("grade %+v", g)
		}
		vs := r.Vetoes()
		if len(vs) != 1 || !vs[0].Imposed || vs[0].Until != ssra.MustDate(2018, 8, 31) || vs[0].Unit != "u1" || len(vs[0].Bound) != 2 {
			t.Fatalf("veto %+v", vs)
		}
		// The veto follows p1 wherever p1 works now.
		if got := appraisal.Disqualified("p1", ssra.MustDate(2018, 8, 30), vs); len(got) != 1 {
			t.Fatal("p1 should be disqualified the day before the window ends")
		}
		if got := appraisal.Disqualified("p1", ssra.MustDate(2018, 8, 31), vs); len(got) != 0 {
			t.Fatal("the window ends on Until")
		}
		if got := appraisal.Disqualified("p1", ssra.MustDate(2017, 8, 30), vs); len(got) != 0 {
			t.Fatal("the window starts on From")
		}
		if got := appraisal.Disqualified("p3", ssra.MustDate(2018, 1, 1), vs); len(got) != 0 {
			t.Fatal("p3 is not bound")
		}
		if got := appraisal.UnitDisqualified("u1", ssra.MustDate(2018, 1, 1), vs); len(got) != 1 {
			t.Fatal("unit should be disqualified")
		}
	})
	t.Run("township only recommends", func(t *testing.T) {
		sj := subj
		sj.Inputs = append(append([]appraisal.Input(nil), subj.Inputs...), veto(appraisal.LevelTownship))
		r := mustScore(t, s, sj)
		if r.Vetoed() || r.Grade().ID != "excellent" {
			t.Fatalf("a recommendation changed the grade: %+v", r.Grade())
		}
		vs := r.Vetoes()
		if len(vs) != 1 || vs[0].Imposed {
			t.Fatalf("want one recommended veto, got %+v", vs)
		}
		if got := appraisal.Disqualified("p1", ssra.MustDate(2018, 1, 1), vs); len(got) != 0 {
			t.Fatal("a recommendation disqualifies nobody")
		}
	})
	t.Run("missing decision facts", func(t *testing.T) {
		sj := subj
		sj.Inputs = append(append([]appraisal.Input(nil), subj.Inputs...), appraisal.Input{Item: "major_incident_veto", Veto: &appraisal.VetoDecision{}})
		_, err := appraisal.Score(s, sj)
		ps := ssra.ProblemsOf(err)
		if !hasCode(ps, "veto.decided_by_missing", "inputs[7].veto.decided_by") || !hasCode(ps, "veto.date_missing", "inputs[7].veto.date") {
			t.Fatalf("got %v", err)
		}
	})
}

func TestLevelMayImposeVeto(t *testing.T) {
	for _, tc := range []struct {
		l    appraisal.AdminLevel
		want bool
	}{{appraisal.LevelTownship, false}, {appraisal.LevelCounty, true}, {appraisal.LevelCity, true}, {appraisal.LevelProvince, true}, {appraisal.LevelNational, true}, {0, false}} {
		if got := tc.l.MayImposeVeto(); got != tc.want {
			t.Errorf("%v: got %v", tc.l, got)
		}
	}
}

func TestValidationAllAtOnce(t *testing.T) {
	js := `{"name":"","version":"","mode":"points","budget":"100",
	"bands":[{"id":"a","label":{"en":"a"},"min":"80"},{"id":"a","label":{"en":"a"},"min":"90"}],
	"sections":[{"id":"s","label":{"en":"s"},"items":[
	 {"id":"x","label":{"en":"x"},"points":"50","rule":{"kind":"direct","cap":"3"}},
	 {"id":"x","label":{"en":"x"},"points":"20","rule":{"kind":"attainment","direction":"higher_is_better","curve":"linear","target":"80","zero_at":"90"}},
	 {"id":"b","label":{"en":"b"},"rule":{"kind":"bonus","basis":"per_occurrence","amount":"1"}},
	 {"id":"v","label":{"en":"v"},"rule":{"kind":"veto","window_months":0}},
	 {"id":"dd","label":{"en":"dd"},"points":"10","rule":{"kind":"deduction","basis":"per_point_below","tiers":[{"below":"90","amount":"1"},{"below":"95","amount":"1"}],"repeat_multiplier":"0.5"}},
	 {"id":"p","label":{"en":"p"},"points":"1.0000001","rule":{"kind":"direct"}}
	]}]}`
	_, err := appraisal.DecodeScheme([]byte(js))
	if ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("kind: %v", err)
	}
	ps := ssra.ProblemsOf(err)
	want := []struct{ code, field string }{
		{"scheme.name_missing", "name"},
		{"scheme.version_missing", "version"},
		{"scheme.tag_missing", "tag"},
		{"band.id_duplicate", "bands[1].id"},
		{"bands.order", "bands[1].min"},
		{"bands.no_floor", "bands[1].min"},
		{"rule.field_unused", "sections[0].items[0].rule.cap"},
		{"id.duplicate", "sections[0].items[1].id"},
		{"attainment.zero_at_side", "sections[0].items[1].rule.zero_at"},
		{"bonus.cap_missing", "sections[0].items[2].rule.cap"},
		{"veto.trigger_missing", "sections[0].items[3].rule.trigger"},
		{"veto.window_invalid", "sections[0].items[3].rule.window_months"},
		{"veto.binds_missing", "sections[0].items[3].rule.binds"},
		{"scheme.veto_band_missing", "veto_band"},
		{"tier.below_order", "sections[0].items[4].rule.tiers[1].below"},
		{"deduction.multiplier_range", "sections[0].items[4].rule.repeat_multiplier"},
		{"decimal.unsupported", "sections[0].items[5].points"},
		{"scheme.points_sum", "sections"},
	}
	for _, w := range want {
		if !hasCode(ps, w.code, w.field) {
			t.Errorf("missing %s at %s", w.code, w.field)
		}
	}
	if t.Failed() {
		for _, p := range ps {
			t.Log(p)
		}
	}
}

func TestWeightsValidation(t *testing.T) {
	js := `{"name":"w","version":"1","tag":"practice","label":{"en":"w"},"mode":"weights","budget":"100",
	"bands":[{"id":"a","label":{"en":"a"},"min":"0"}],
	"sections":[{"id":"s","label":{"en":"s"},"weight":"0.6","items":[
	 {"id":"x","label":{"en":"x"},"weight":"0.5","rule":{"kind":"direct"}},
	 {"id":"y","label":{"en":"y"},"weight":"0.4","rule":{"kind":"direct"}}]},
	 {"id":"t","label":{"en":"t"},"weight":"0.3","items":[{"id":"z","label":{"en":"z"},"weight":"1","rule":{"kind":"direct"}}]}]}`
	_, err := appraisal.DecodeScheme([]byte(js))
	ps := ssra.ProblemsOf(err)
	if !hasCode(ps, "weights.sum", "sections") || !hasCode(ps, "weights.sum", "sections[0]") {
		t.Fatalf("got %v", err)
	}
}

func TestWeightedScore(t *testing.T) {
	js := `{"name":"w","version":"1","tag":"practice","label":{"en":"w"},"mode":"weights","budget":"100",
	"bands":[{"id":"a","label":{"en":"a"},"min":"0"}],
	"sections":[{"id":"s","label":{"en":"s"},"weight":"0.6","items":[
	 {"id":"x","label":{"en":"x"},"weight":"0.5","rule":{"kind":"direct"}},
	 {"id":"y","label":{"en":"y"},"weight":"0.5","rule":{"kind":"direct"}}]},
	 {"id":"t","label":{"en":"t"},"weight":"0.4","items":[{"id":"z","label":{"en":"z"},"weight":"1","rule":{"kind":"direct"}}]}]}`
	s, err := appraisal.DecodeScheme([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	r := mustScore(t, s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("x", "90.123457"), in("y", "80"), in("z", "70")}})
	// 0.3 × 90.123457 + 0.3 × 80 + 0.4 × 70, exact.
	eqDec(t, "total", r.Total(), d("27.0370371").Add(d("24")).Add(d("28")))
	eqDec(t, "x contribution", item(t, r, "x").Contribution, d("27.0370371"))
}

func TestStrictJSON(t *testing.T) {
	b, _ := appraisal.PresetJSON(appraisal.PresetGenericUnit100)
	cases := []struct {
		name string
		js   string
	}{
		{"unknown field", strings.Replace(string(b), `"mode"`, `"colour":"red","mode"`, 1)},
		{"trailing data", string(b) + "{}"},
		{"unknown enum", strings.Replace(string(b), `"mode": "points"`, `"mode": "pointz"`, 1)},
		{"not a number", strings.Replace(string(b), `"budget": "100"`, `"budget": "lots"`, 1)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.js == string(b) {
				t.Fatal("replacement did not apply")
			}
			_, err := appraisal.DecodeScheme([]byte(tc.js))
			var e *ssra.Error
			if !errors.As(err, &e) || e.Kind != ssra.KindInvalid {
				t.Fatalf("got %v", err)
			}
		})
	}
}

// TestPresetsMeasureHandlingNotComplaints scans every shipped preset: no
// item may score a unit by the number of complaints filed or escalated.
func TestPresetsMeasureHandlingNotComplaints(t *testing.T) {
	for _, name := range appraisal.PresetNames() {
		s := mustPreset(t, name)
		def := s.Def()
		var walk func(secs []appraisal.Section)
		walk = func(secs []appraisal.Section) {
			for _, sec := range secs {
				for _, it := range sec.Items {
					if appraisal.CountsComplaints(it) {
						t.Errorf("%s: item %s counts complaints", name, it.ID)
					}
				}
				walk(sec.Sections)
			}
		}
		walk(def.Sections)
		b, _ := appraisal.PresetJSON(name)
		for _, w := range []string{"上访", "进京", "越级", "信访量", "petition"} {
			if strings.Contains(string(b), w) {
				t.Errorf("%s mentions %q", name, w)
			}
		}
	}
	// The detector itself catches the classic pattern.
	bad := appraisal.Item{ID: "beijing_petitions", Label: ssra.L("进京上访每起扣分", "petitions to Beijing")}
	if !appraisal.CountsComplaints(bad) {
		t.Fatal("detector missed a petition count")
	}
	good := appraisal.Item{ID: "on_time_handling", Label: ssra.L("按期办结率", "handled on time")}
	if appraisal.CountsComplaints(good) {
		t.Fatal("detector flagged handling quality")
	}
}

// TestCountsComplaintsTerms holds the detector to its documented list: the
// volume and escalation indicators it used to miss (信访总量, 集体访次数, 赴京访,
// 来信来访件次) are caught, in a label, the measures or the id, while
// handling-quality indicators about the same work are not.
func TestCountsComplaintsTerms(t *testing.T) {
	for _, tc := range []struct {
		name string
		it   appraisal.Item
		want bool
	}{
		{"信访总量", appraisal.Item{ID: "volume", Label: ssra.L("信访总量下降", "fall in volume")}, true},
		{"集体访次数", appraisal.Item{ID: "group", Label: ssra.L("集体访次数", "group visits")}, true},
		{"赴京访", appraisal.Item{ID: "bj", Label: ssra.L("赴京访", "visits to the capital")}, true},
		{"来信来访件次 in measures", appraisal.Item{ID: "lv", Label: ssra.L("信访工作", "letters and visits work"), Measures: "来信来访件次, −0.5 each"}, true},
		{"English volume", appraisal.Item{ID: "v", Label: ssra.L("量", "Complaint volume")}, true},
		{"信访按期办结率", appraisal.Item{ID: "on_time", Label: ssra.L("信访事项按期办结率", "concluded on time")}, false},
		{"来信来访办理满意率", appraisal.Item{ID: "sat", Label: ssra.L("来信来访办理满意率", "satisfaction with the handling")}, false},
		{"调解协议履行率", appraisal.Item{ID: "perf", Label: ssra.L("调解协议履行率", "agreements performed")}, false},
	} {
		if got := appraisal.CountsComplaints(tc.it); got != tc.want {
			t.Errorf("%s: got %v, want %v", tc.name, got, tc.want)
		}
	}
	terms := appraisal.ComplaintCountTerms()
	for _, w := range []string{"信访总量", "集体访", "赴京", "来信来访件次"} {
		if !slices.Contains(terms, w) {
			t.Errorf("documented list lacks %s", w)
		}
	}
	terms[0] = "x"
	if appraisal.ComplaintCountTerms()[0] == "x" {
		t.Fatal("ComplaintCountTerms shares its backing array")
	}
}

// TestPresetsDoNotCountRecordedCases: no shipped preset deducts per
// recorded case of a kind a unit could leave unrecorded. generic_unit_100
// used to deduct per ordinary public-order case (一般治安案件), which rewards
// not recording cases as counting complaints rewards suppressing them; it
// measures cases concluded within the time limit instead.
func TestPresetsDoNotCountRecordedCases(t *testing.T) {
	s := mustPreset(t, appraisal.PresetGenericUnit100)
	if s.Version() != "1.1" {
		t.Fatalf("generic_unit_100 version %s, want 1.1", s.Version())
	}
	for _, sec := range s.Def().Sections {
		for _, it := range sec.Items {
			if strings.Contains(it.Label.ZH, "治安案件") && it.Rule.Kind == appraisal.RuleDeduction {
				t.Errorf("item %s deducts per public-order case", it.ID)
			}
		}
	}
	subj := genericSubject("u", "10", "95")
	subj.Inputs[6] = in("public_order_on_time", "90")
	it := item(t, mustScore(t, s, subj), "public_order_on_time")
	eqDec(t, "points at 90 % on time (linear 80 → 100)", it.Points, d("5"))
}

func TestThousandPointScheme(t *testing.T) {
	js := `{"name":"k","version":"1","tag":"practice","label":{"zh-CN":"千分制","en":"1000 points"},"mode":"points","budget":"1000",
	"bands":[{"id":"excellent","label":{"en":"excellent"},"min":"950"},{"id":"pass","label":{"en":"pass"},"min":"600"},{"id":"fail","label":{"en":"fail"},"min":"0"}],
	"sections":[{"id":"s","label":{"en":"s"},"points":"1000","items":[
	 {"id":"a","label":{"en":"a"},"points":"600","rule":{"kind":"direct"}},
	 {"id":"b","label":{"en":"b"},"points":"400","rule":{"kind":"attainment","direction":"higher_is_better","curve":"linear","target":"100","zero_at":"0"}}]}]}`
	s, err := appraisal.DecodeScheme([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	r := mustScore(t, s, appraisal.Subject{ID: "u", Inputs: []appraisal.Input{in("a", "560"), in("b", "97.5")}})
	eqDec(t, "560 + 400 × 0.975", r.Total(), d("950"))
	if g := r.Grade(); g.ID != "excellent" {
		t.Fatalf("exactly on 950: %+v", g)
	}
}

func TestDefIsACopy(t *testing.T) {
	s := mustPreset(t, appraisal.PresetGenericUnit100)
	def := s.Def()
	def.Sections[0].Items[0].Points = dp("99")
	def.Name = "changed"
	if s.Name() != appraisal.PresetGenericUnit100 || !s.Def().Sections[0].Items[0].Points.Equal(d("10")) {
		t.Fatal("changing Def changed the scheme")
	}
}
