package appraisal_test

import (
	"fmt"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

func annual(id, routine, special, yearEnd, stability string) appraisal.Person {
	return appraisal.Person{ID: id, Inputs: []appraisal.Input{in("routine", routine), in("special_task", special), in("year_end", yearEnd), in("stability_work", stability)}}
}

func policy(t testing.TB, name string) appraisal.StaffPolicy {
	t.Helper()
	p, err := appraisal.StaffPolicyPreset(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestQuotaCount(t *testing.T) {
	cases := []struct {
		name             string
		base             int
		percent, ceiling int64
		r                appraisal.Rounding
		want             int
	}{
		{"15 % of 30 half-up: 4.5 → 5 (cap 6)", 30, 15, 20, appraisal.RoundHalfUp, 5},
		{"15 % of 29 half-up: 4.35 → 4", 29, 15, 20, appraisal.RoundHalfUp, 4},
		{"15 % of 29 up: 4.35 → 5 (cap 5.8)", 29, 15, 20, appraisal.RoundUp, 5},
		{"20 % of 10 exact", 10, 20, 20, appraisal.RoundUp, 2},
		{"20 % of 12 half-up: 2.4 → 2", 12, 20, 20, appraisal.RoundHalfUp, 2},
		// Used to be 1 (50 %): the 25 % cap of 2 is 0.5, so no 优秀.
		{"25 % of 2 half-up: 0.5 → 1, capped at 0", 2, 25, 25, appraisal.RoundHalfUp, 0},
		{"2020 half-up, 3 people: 0.6 → 1, capped at 0", 3, 20, 20, appraisal.RoundHalfUp, 0},
		{"2007 up, 7 people: 1.05 → 2, capped at 1 (20 % of 7 = 1.4)", 7, 15, 20, appraisal.RoundUp, 1},
		{"2020 with approval up, 13 people: 3.25 → 4, capped at 3", 13, 25, 25, appraisal.RoundUp, 3},
		{"20 % of 0", 0, 20, 20, appraisal.RoundUp, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := appraisal.QuotaCount(tc.base, tc.percent, tc.ceiling, tc.r); got != tc.want {
				t.Fatalf("got %d, want %d", got, tc.want)
			}
		})
	}
}

// TestQuotaNeverPassesTheCeiling runs Rank for every rule version, rounding,
// approval and base from 1 to 60 with everybody proposed 优秀, and holds the
// count of 优秀 to floor(ceiling × base): rounding never carries it past the
// cap (2007: 20 %; 2020: 20 %, 25 % with approval).
func TestQuotaNeverPassesTheCeiling(t *testing.T) {
	s := mustPreset(t, appraisal.PresetAnnualCivilServant)
	approval := &appraisal.Approval{Ref: "人社〔2024〕1号", By: "county civil-service authority", Date: ssra.MustDate(2024, 12, 1)}
	for _, name := range []string{appraisal.PolicyCivilServants2007, appraisal.PolicyCivilServants2020} {
		for _, r := range []appraisal.Rounding{appraisal.RoundHalfUp, appraisal.RoundUp} {
			for _, approved := range []bool{false, true} {
				p := policy(t, name)
				p.Quota.Rounding = r
				run := appraisal.Run{Year: 2024}
				ceiling := int64(20)
				if approved {
					run.Approval = approval
					if p.Quota.Rules == appraisal.Rules2020 {
						ceiling = 25
					}
				}
				var people []appraisal.Person
				for n := 1; n <= 60; n++ {
					people = append(people, annual(fmt.Sprintf("p%02d", n), "95", "95", "95", "95"))
					rk, err := appraisal.Rank(s, p, run, people)
					if err != nil {
						t.Fatal(err)
					}
					if limit := int(int64(n) * ceiling / 100); rk.Excellent > limit || rk.Quota > limit || rk.Ceiling != limit {
						t.Fatalf("%s %s approved=%v base %d: %d 优秀 (quota %d, ceiling %d), at most %d", name, r, approved, n, rk.Excellent, rk.Quota, rk.Ceiling, limit)
					}
					if rk.Excellent != rk.Quota {
						t.Fatalf("%s base %d: %d 优秀 for a quota of %d with everybody a candidate", name, n, rk.Excellent, rk.Quota)
					}
				}
			}
		}
	}
}

// TestQuotaSmallUnits covers a unit too small for one 优秀: strictly none,
// or the places a superior organ pooled, recorded with their reference.
func TestQuotaSmallUnits(t *testing.T) {
	s := mustPreset(t, appraisal.PresetAnnualCivilServant)
	three := []appraisal.Person{annual("a", "95", "95", "95", "95"), annual("b", "94", "94", "94", "94"), annual("c", "80", "80", "80", "80")}
	pooled := &appraisal.PooledPlaces{Places: 1, Ref: "组〔2024〕7号", By: "county organisation department", Date: ssra.MustDate(2024, 12, 10)}
	t.Run("none", func(t *testing.T) {
		rk, err := appraisal.Rank(s, policy(t, appraisal.PolicyCivilServants2020), appraisal.Run{Year: 2024}, three)
		if err != nil {
			t.Fatal(err)
		}
		if rk.Rounded != 1 || rk.Ceiling != 0 || rk.Quota != 0 || rk.Excellent != 0 {
			t.Fatalf("rounded %d ceiling %d quota %d excellent %d", rk.Rounded, rk.Ceiling, rk.Quota, rk.Excellent)
		}
		if !contains(explained(rk.Explanation), "too small for one 优秀") {
			t.Fatalf("explanation: %s", explained(rk.Explanation))
		}
		_, err = appraisal.Rank(s, policy(t, appraisal.PolicyCivilServants2020), appraisal.Run{Year: 2024, Pooled: pooled}, three)
		wantCode(t, err, "run.pooled_not_allowed")
	})
	p := policy(t, appraisal.PolicyCivilServants2020)
	p.Quota.SmallUnits = appraisal.SmallUnitsPooled
	t.Run("pooled", func(t *testing.T) {
		rk, err := appraisal.Rank(s, p, appraisal.Run{Year: 2024, Pooled: pooled}, three)
		if err != nil {
			t.Fatal(err)
		}
		if rk.Quota != 1 || rk.Excellent != 1 || rk.People[0].Grade != appraisal.Excellent || rk.Pooled == nil {
			t.Fatalf("quota %d excellent %d a %s", rk.Quota, rk.Excellent, rk.People[0].Grade)
		}
		if !contains(explained(rk.Explanation), "组〔2024〕7号") {
			t.Fatalf("explanation: %s", explained(rk.Explanation))
		}
		rk, err = appraisal.Rank(s, p, appraisal.Run{Year: 2024}, three)
		if err != nil || rk.Quota != 0 {
			t.Fatalf("no allocation recorded: quota %d, %v", rk.Quota, err)
		}
	})
	t.Run("pooled refused", func(t *testing.T) {
		five := append(three[:3:3], annual("d", "70", "70", "70", "70"), annual("e", "70", "70", "70", "70"))
		_, err := appraisal.Rank(s, p, appraisal.Run{Year: 2024, Pooled: pooled}, five)
		wantCode(t, err, "run.pooled_not_small")
		_, err = appraisal.Rank(s, p, appraisal.Run{Year: 2024, Pooled: &appraisal.PooledPlaces{Places: 4, Ref: "x"}}, three)
		wantCode(t, err, "run.pooled_places")
		_, err = appraisal.Rank(s, p, appraisal.Run{Year: 2024, Pooled: &appraisal.PooledPlaces{Places: 1}}, three)
		wantCode(t, err, "run.pooled_ref_missing")
	})
	t.Run("policy must say", func(t *testing.T) {
		q := policy(t, appraisal.PolicyCivilServants2020)
		q.Quota.SmallUnits = 0
		_, err := appraisal.Rank(s, q, appraisal.Run{Year: 2024}, three)
		wantCode(t, err, "quota.small_units_missing")
	})
}

func TestRank(t *testing.T) {
	s := mustPreset(t, appraisal.PresetAnnualCivilServant)
	// Ten people; totals: a 95, b 94, c 93 (warning), d 92, e 92 (ties with
	// d, more stability work), f 91 (probation), g 80, h 65, i 50, j 91
	// (demerit: no grade).
	people := []appraisal.Person{
		annual("a", "95", "95", "95", "95"),
		annual("b", "94", "94", "94", "94"),
		annual("c", "93", "93", "93", "93"),
		annual("d", "92", "92", "97", "87"), // 46 + 9.2 + 19.4 + 17.4 = 92
		annual("e", "92", "92", "87", "97"), // 46 + 9.2 + 17.4 + 19.4 = 92
		annual("f", "91", "91", "91", "91"),
		annual("g", "80", "80", "80", "80"),
		annual("h", "65", "65", "65", "65"),
		annual("i", "50", "50", "50", "50"),
		annual("j", "91", "91", "91", "91"),
	}
	people[2].Sanction = appraisal.SanctionWarning
	people[5].Probation = true
	people[9].Sanction = appraisal.SanctionDemerit
	grades := func(rk appraisal.Ranking) string {
		s := ""
		for _, p := range rk.People {
			s += p.ID + ":" + p.Grade.String() + " "
		}
		return s
	}
	t.Run("2020 general rate, half-up, no-grade included", func(t *testing.T) {
		rk, err := appraisal.Rank(s, policy(t, appraisal.PolicyCivilServants2020), appraisal.Run{Year: 2024}, people)
		if err != nil {
			t.Fatal(err)
		}
		// base 10 × 20 % = 2: a and b; d and e beyond the quota.
		if rk.Base != 10 || rk.Quota != 2 || rk.Excellent != 2 || rk.Candidates != 4 || rk.NoGrade != 2 {
			t.Fatalf("ranking %+v", rk)
		}
		want := "a:excellent b:excellent c:competent d:competent e:competent f:no_grade g:competent h:basically_competent i:incompetent j:no_grade "
		if got := grades(rk); got != want {
			t.Fatalf("got  %s\nwant %s", got, want)
		}
		if rk.People[2].Reason != appraisal.ReasonWarning || rk.People[5].Reason != appraisal.ReasonProbation || rk.People[9].Reason != appraisal.ReasonSanction {
			t.Fatalf("reasons: %v %v %v", rk.People[2].Reason, rk.People[5].Reason, rk.People[9].Reason)
		}
		if rk.People[3].Reason != appraisal.ReasonOverQuota || rk.People[4].Position != 3 || rk.People[3].Position != 4 {
			t.Fatalf("tie-break: d %+v e %+v", rk.People[3].Position, rk.People[4].Position)
		}
		if !contains(rk.Boundary, "94") {
			t.Fatalf("boundary %q", rk.Boundary)
		}
	})
	t.Run("approval lifts the cap to 25 %", func(t *testing.T) {
		run := appraisal.Run{Year: 2024, Approval: &appraisal.Approval{Ref: "人社〔2024〕1号", By: "county civil-service authority", Date: ssra.MustDate(2024, 12, 1)}}
		// Two more participants make the base 12: 12 × 25 % = 3, a, b, e
		// (e beats d on stability work). With the base of 10, 2.5 used to
		// round half-up to 3 (30 %, past the 25 % cap); it is 2 now.
		twelve := append(people[:10:10], annual("k", "70", "70", "70", "70"), annual("l", "70", "70", "70", "70"))
		rk, err := appraisal.Rank(s, policy(t, appraisal.PolicyCivilServants2020), run, twelve)
		if err != nil {
			t.Fatal(err)
		}
		if rk.Quota != 3 || rk.RatePercent != 25 || rk.CeilingPercent != 25 {
			t.Fatalf("quota %d rate %d", rk.Quota, rk.RatePercent)
		}
		if rk.People[4].Grade != appraisal.Excellent || rk.People[3].Grade != appraisal.Competent {
			t.Fatalf("tie-break by stability work: %s", grades(rk))
		}
		if !contains(rk.Boundary, "tie-break item stability_work") {
			t.Fatalf("boundary %q", rk.Boundary)
		}
	})
	t.Run("no-grade people excluded from the base", func(t *testing.T) {
		p := policy(t, appraisal.PolicyCivilServants2020)
		p.Quota.NoGradeInBase = appraisal.ExcludeNoGrade
		p.Quota.Rounding = appraisal.RoundUp
		rk, err := appraisal.Rank(s, p, appraisal.Run{Year: 2024}, people)
		if err != nil {
			t.Fatal(err)
		}
		// 8 × 20 % = 1.6 → 2 rounded up, but the 20 % ceiling of 8 is 1.6:
		// quota 1 (it used to be 2, 25 % without approval).
		if rk.Base != 8 || rk.Rounded != 2 || rk.Ceiling != 1 || rk.Quota != 1 {
			t.Fatalf("base %d rounded %d ceiling %d quota %d", rk.Base, rk.Rounded, rk.Ceiling, rk.Quota)
		}
	})
	t.Run("2007 rules", func(t *testing.T) {
		rk, err := appraisal.Rank(s, policy(t, appraisal.PolicyCivilServants2007), appraisal.Run{Year: 2010}, people)
		if err != nil {
			t.Fatal(err)
		}
		// 10 × 15 % = 1.5 → 2 half-up.
		if rk.Quota != 2 || rk.RatePercent != 15 {
			t.Fatalf("quota %d rate %d", rk.Quota, rk.RatePercent)
		}
	})
	t.Run("final tie-break is the person id", func(t *testing.T) {
		same := []appraisal.Person{annual("z", "95", "95", "95", "95"), annual("y", "95", "95", "95", "95"), annual("x", "70", "70", "70", "70"), annual("w", "70", "70", "70", "70"), annual("v", "70", "70", "70", "70")}
		rk, err := appraisal.Rank(s, policy(t, appraisal.PolicyCivilServants2020), appraisal.Run{Year: 2024}, same)
		if err != nil {
			t.Fatal(err)
		}
		if rk.Quota != 1 || rk.People[1].Grade != appraisal.Excellent || rk.People[0].Grade != appraisal.Competent {
			t.Fatalf("%s", grades(rk))
		}
		if !contains(rk.Boundary, "person id y sorts before z") {
			t.Fatalf("boundary %q", rk.Boundary)
		}
	})
	t.Run("public institutions use their labels", func(t *testing.T) {
		rk, err := appraisal.Rank(s, policy(t, appraisal.PolicyPublicInstitutions), appraisal.Run{Year: 2024}, people)
		if err != nil {
			t.Fatal(err)
		}
		if got := rk.People[6].Grade.LabelIn(appraisal.PublicInstitutions).ZH; got != "合格" {
			t.Fatalf("label %q", got)
		}
		if !contains(rk.People[6].Why, "合格") {
			t.Fatalf("why %q", rk.People[6].Why)
		}
	})
	t.Run("problems from every person at once", func(t *testing.T) {
		bad := []appraisal.Person{annual("a", "101", "90", "90", "90"), annual("a", "90", "90", "90", "")}
		_, err := appraisal.Rank(s, policy(t, appraisal.PolicyCivilServants2020), appraisal.Run{Year: 2024}, bad)
		ps := ssra.ProblemsOf(err)
		if !hasCode(ps, "input.value_range", "people[0].inputs[0].value") || !hasCode(ps, "person.id_duplicate", "people[1].id") || !hasCode(ps, "input.value_missing", "people[1].inputs[3].value") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("approval without a reference", func(t *testing.T) {
		_, err := appraisal.Rank(s, policy(t, appraisal.PolicyCivilServants2020), appraisal.Run{Year: 2024, Approval: &appraisal.Approval{}}, people)
		if !hasCode(ssra.ProblemsOf(err), "run.approval_ref_missing", "run.approval.ref") {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("policy checked against the scheme", func(t *testing.T) {
		p := policy(t, appraisal.PolicyCivilServants2020)
		p.TieBreak = []string{"nope"}
		p.BandGrades = map[string]appraisal.StaffGrade{"excellent": appraisal.Excellent}
		_, err := appraisal.Rank(s, p, appraisal.Run{Year: 2024}, people)
		ps := ssra.ProblemsOf(err)
		if !hasCode(ps, "policy.tie_break_unknown", "policy.tie_break[0]") || !hasCode(ps, "policy.band_unmapped", "policy.band_grades") {
			t.Fatalf("got %v", err)
		}
	})
}

// TestRankQuotaNeverExceeded is a property test: for many organisations of
// random size and scores, the number graded 优秀 never exceeds the quota, and
// every 优秀 outranks every over-quota candidate.
func TestRankQuotaNeverExceeded(t *testing.T) {
	s := mustPreset(t, appraisal.PresetAnnualCivilServant)
	seed := uint64(7)
	next := func(n uint64) uint64 { seed = seed*6364136223846793005 + 1442695040888963407; return (seed >> 33) % n }
	for round := 0; round < 200; round++ {
		n := int(next(40)) + 1
		people := make([]appraisal.Person, n)
		for i := range people {
			v := func() string { return fmt.Sprintf("%d.%d", 80+next(20), next(10)) }
			people[i] = annual(fmt.Sprintf("p%02d", i), v(), v(), v(), v())
			switch next(10) {
			case 0:
				people[i].Probation = true
			case 1:
				people[i].Sanction = appraisal.SanctionWarning
			}
		}
		p := policy(t, appraisal.PolicyCivilServants2020)
		if next(2) == 0 {
			p.Quota.Rounding = appraisal.RoundUp
		}
		rk, err := appraisal.Rank(s, p, appraisal.Run{Year: 2024}, people)
		if err != nil {
			t.Fatal(err)
		}
		exc := 0
		for _, x := range rk.People {
			if x.Grade == appraisal.Excellent {
				exc++
				for _, y := range rk.People {
					if y.Reason == appraisal.ReasonOverQuota && y.Result.Total().GreaterThan(x.Result.Total()) {
						t.Fatalf("round %d: %s over quota with %s above %s with %s", round, y.ID, y.Total, x.ID, x.Total)
					}
				}
			}
		}
		if exc > rk.Quota || exc != rk.Excellent {
			t.Fatalf("round %d: %d excellent, quota %d", round, exc, rk.Quota)
		}
	}
}

func TestConsequences(t *testing.T) {
	E, C, B, I, N := appraisal.Excellent, appraisal.Competent, appraisal.BasicallyCompetent, appraisal.Incompetent, appraisal.NoGrade
	hist := func(start int, gs ...appraisal.StaffGrade) []appraisal.YearGrade {
		var out []appraisal.YearGrade
		for i, g := range gs {
			out = append(out, appraisal.YearGrade{Year: start + i, Grade: g})
		}
		return out
	}
	kinds := func(cs []appraisal.Consequence) string {
		s := ""
		for _, c := range cs {
			s += fmt.Sprintf("%d:%s ", c.Year, c.Kind)
		}
		return s
	}
	cases := []struct {
		name string
		set  appraisal.GradeSet
		h    []appraisal.YearGrade
		want string
	}{
		{"three 优秀 running: merit; steps at 2 cumulative", appraisal.CivilServants, hist(2020, E, E, E),
			"2020:commendation 2021:commendation 2021:salary_step 2022:commendation 2022:third_class_merit "},
		{"two 优秀, a gap, one 优秀: no merit", appraisal.CivilServants, []appraisal.YearGrade{{Year: 2020, Grade: E}, {Year: 2021, Grade: E}, {Year: 2023, Grade: E}},
			"2020:commendation 2021:commendation 2021:salary_step 2023:commendation "},
		{"基本称职 breaks and does not count", appraisal.CivilServants, hist(2020, C, B, C),
			"2021:admonishment 2021:no_year_end_bonus 2022:salary_step "},
		{"five cumulative: grade step", appraisal.CivilServants, hist(2016, C, C, N, C, C, C),
			"2017:salary_step 2020:salary_step 2021:grade_step "},
		{"不称职: demotion and no bonus", appraisal.CivilServants, hist(2020, I),
			"2020:demotion 2020:no_year_end_bonus "},
		{"two 不称职 running: dismissal", appraisal.CivilServants, hist(2020, I, I),
			"2020:demotion 2020:no_year_end_bonus 2021:demotion 2021:no_year_end_bonus 2021:dismissal "},
		{"不称职 not running: no dismissal", appraisal.CivilServants, hist(2020, I, C, I),
			"2020:demotion 2020:no_year_end_bonus 2022:demotion 2022:no_year_end_bonus "},
		{"public institutions: contract may end", appraisal.PublicInstitutions, hist(2020, I, I),
			"2020:no_year_end_bonus 2021:no_year_end_bonus 2021:contract_termination "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			cs, err := appraisal.Consequences(tc.set, tc.h)
			if err != nil {
				t.Fatal(err)
			}
			if got := kinds(cs); got != tc.want {
				t.Fatalf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	if _, err := appraisal.Consequences(appraisal.CivilServants, []appraisal.YearGrade{{Year: 2021, Grade: C}, {Year: 2020, Grade: C}}); !hasCode(ssra.ProblemsOf(err), "history.year_order", "history[1].year") {
		t.Fatalf("got %v", err)
	}
}

func TestAppeal(t *testing.T) {
	// 2024-10-01..07 holidays; 2024-10-12 (Saturday) a make-up working day.
	var hol []ssra.Date
	for d := 1; d <= 7; d++ {
		hol = append(hol, ssra.MustDate(2024, 10, d))
	}
	cal, err := ssra.NewCalendar("test", hol, []ssra.Date{ssra.MustDate(2024, 10, 12)})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name           string
		notified, rev  ssra.Date
		review, appeal ssra.Date
	}{
		{"plain", ssra.MustDate(2024, 3, 1), ssra.Date{}, ssra.MustDate(2024, 4, 1), ssra.Date{}}, // 03-31 is a Sunday
		{"deadline in the holiday moves", ssra.MustDate(2024, 9, 1), ssra.MustDate(2024, 9, 20), ssra.MustDate(2024, 10, 8), ssra.MustDate(2024, 10, 8)},
		{"weekday deadline stays", ssra.MustDate(2024, 5, 6), ssra.MustDate(2024, 5, 20), ssra.MustDate(2024, 6, 5), ssra.MustDate(2024, 6, 4)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, err := appraisal.Appeal(tc.notified, tc.rev, cal)
			if err != nil {
				t.Fatal(err)
			}
			if w.ReviewBy != tc.review || w.DirectAppealBy != tc.review || w.AppealBy != tc.appeal {
				t.Fatalf("got review %s direct %s appeal %s, want %s %s", w.ReviewBy, w.DirectAppealBy, w.AppealBy, tc.review, tc.appeal)
			}
			if len(w.Explanation) == 0 {
				t.Fatal("no explanation")
			}
		})
	}
	if _, err := appraisal.Appeal(ssra.Date{}, ssra.Date{}, cal); !hasCode(ssra.ProblemsOf(err), "appeal.notified_missing", "notified") {
		t.Fatalf("got %v", err)
	}
}

// TestRankVetoFollowsPerson: a veto on the unit the person headed bars 优秀
// in the new unit's appraisal, inside the window only.
func TestRankVetoFollowsPerson(t *testing.T) {
	unit := mustPreset(t, appraisal.PresetGenericUnit100)
	sj := genericSubject("old-unit", "10", "95")
	sj.Inputs = append(sj.Inputs, appraisal.Input{Item: "major_incident_veto", Veto: &appraisal.VetoDecision{
		DecidedBy: appraisal.LevelCity, Date: ssra.MustDate(2024, 3, 1), Reason: "major incident",
		Persons: []appraisal.BoundPerson{{Person: "head", Role: appraisal.PrincipalHead}}}})
	vetoes := mustScore(t, unit, sj).Vetoes()
	s := mustPreset(t, appraisal.PresetAnnualCivilServant)
	people := []appraisal.Person{annual("head", "99", "99", "99", "99"), annual("other", "95", "95", "95", "95"), annual("x", "70", "70", "70", "70"),
		annual("y", "70", "70", "70", "70"), annual("z", "70", "70", "70", "70")}
	pol := policy(t, appraisal.PolicyCivilServants2020)
	rk, err := appraisal.Rank(s, pol, appraisal.Run{Year: 2024, Date: ssra.MustDate(2024, 12, 20), Vetoes: vetoes}, people)
	if err != nil {
		t.Fatal(err)
	}
	if rk.People[0].Grade != appraisal.Competent || rk.People[0].Reason != appraisal.ReasonVeto || rk.People[1].Grade != appraisal.Excellent {
		t.Fatalf("head %v %v: %s; other %v", rk.People[0].Grade, rk.People[0].Reason, rk.People[0].Why, rk.People[1].Grade)
	}
	if !contains(rk.People[0].Why, "old-unit") {
		t.Fatalf("why %q", rk.People[0].Why)
	}
	rk, err = appraisal.Rank(s, pol, appraisal.Run{Year: 2025, Date: ssra.MustDate(2025, 3, 1), Vetoes: vetoes}, people)
	if err != nil {
		t.Fatal(err)
	}
	if rk.People[0].Grade != appraisal.Excellent {
		t.Fatalf("window over, got %v", rk.People[0].Grade)
	}
	_, err = appraisal.Rank(s, pol, appraisal.Run{Year: 2025, Vetoes: vetoes}, people)
	if !hasCode(ssra.ProblemsOf(err), "run.date_missing", "run.date") {
		t.Fatalf("got %v", err)
	}
}

func TestAnnualScheme(t *testing.T) {
	s, err := appraisal.AnnualScheme("county_2024", "1", appraisal.AnnualWeights{Routine: d("0.6"), SpecialTask: d("0.1"), YearEnd: d("0.1"), Stability: d("0.2")})
	if err != nil {
		t.Fatal(err)
	}
	p := annual("a", "90", "80", "70", "100")
	r := mustScore(t, s, appraisal.Subject{ID: p.ID, Inputs: p.Inputs})
	eqDec(t, "0.6 × 90 + 0.1 × 80 + 0.1 × 70 + 0.2 × 100", r.Total(), d("89"))
	_, err = appraisal.AnnualScheme("x", "1", appraisal.AnnualWeights{Routine: d("0.6"), SpecialTask: d("0.2"), YearEnd: d("0.2")})
	if !hasCode(ssra.ProblemsOf(err), "annual.stability_weight", "stability_work") {
		t.Fatalf("got %v", err)
	}
	_, err = appraisal.AnnualScheme("x", "1", appraisal.AnnualWeights{Routine: d("0.6"), SpecialTask: d("0.2"), YearEnd: d("0.2"), Stability: d("0.1")})
	if !hasCode(ssra.ProblemsOf(err), "weights.sum", "sections[0]") {
		t.Fatalf("got %v", err)
	}
}
