package appraisal_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

func decp(s string) *decimal.Decimal { v := decimal.RequireFromString(s); return &v }

// The Wenzhou 2017 negative list: a sense of security of 88 % costs
// 6 × 0.25 + 2 × 0.5 = 2.5 points.
func ExampleScore() {
	scheme, err := appraisal.Preset(appraisal.PresetWenzhou2017)
	if err != nil {
		panic(err)
	}
	res, err := appraisal.Score(scheme, appraisal.Subject{ID: "county-a", Inputs: []appraisal.Input{
		{Item: "sense_of_security", Value: decp("88")},
		{Item: "awareness", Value: decp("80"), Reference: decp("80")},
		{Item: "participation", Value: decp("80"), Reference: decp("80")},
		{Item: "rank_fall", Value: decp("0")},
		{Item: "rank_rise", Value: decp("0")},
	}})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Scheme().Name, res.Scheme().Version, res.Scheme().Tag)
	fmt.Println("total", res.Total())
	for _, it := range res.Items() {
		if it.ID == "sense_of_security" {
			for _, line := range it.Explanation {
				fmt.Println(line.Text)
			}
		}
	}
	// Output:
	// wenzhou_2017_negative_list 2017.1 practice
	// total 97.5
	// 群众安全感 (Public sense of security): 6 points of the shortfall below 96 × 0.25 = 1.5
	// 群众安全感 (Public sense of security): 2 points of the shortfall below 90 × 0.5 = 1
}

// Validation reports every problem at once, with field paths and codes.
func ExampleDecodeScheme() {
	_, err := appraisal.DecodeScheme([]byte(`{"name":"x","version":"1","tag":"practice","mode":"points","budget":"100",
		"bands":[{"id":"pass","min":"0"}],
		"sections":[{"id":"s","items":[{"id":"a","points":"60","rule":{"kind":"direct"}},{"id":"b","rule":{"kind":"bonus","basis":"per_occurrence","amount":"1"}}]}]}`))
	for _, p := range ssra.ProblemsOf(err) {
		fmt.Println(p.Field, p.Code)
	}
	// Output:
	// sections[0].items[1].rule.cap bonus.cap_missing
	// sections scheme.points_sum
}

// Ranking a department of five under the 2020 rules: 20 % of 5 is one 优秀;
// the second person in the 优秀 band becomes 称职 and says why. Totals are
// 0.5 routine + 0.1 special task + 0.2 year end + 0.2 stability work, so
// li has 47 + 9 + 18.4 + 19.2 = 93.6.
func ExampleRank() {
	scheme, _ := appraisal.Preset(appraisal.PresetAnnualCivilServant)
	policy, _ := appraisal.StaffPolicyPreset(appraisal.PolicyCivilServants2020)
	person := func(id, routine, special, yearEnd, stability string) appraisal.Person {
		return appraisal.Person{ID: id, Inputs: []appraisal.Input{
			{Item: "routine", Value: decp(routine)}, {Item: "special_task", Value: decp(special)},
			{Item: "year_end", Value: decp(yearEnd)}, {Item: "stability_work", Value: decp(stability)}}}
	}
	people := []appraisal.Person{
		person("li", "94", "90", "92", "96"),
		person("wang", "93", "92", "90", "91"),
		person("zhang", "85", "80", "84", "88"),
		person("zhao", "70", "75", "72", "60"),
		person("chen", "60", "55", "58", "50"),
	}
	rk, err := appraisal.Rank(scheme, policy, appraisal.Run{Year: 2024}, people)
	if err != nil {
		panic(err)
	}
	fmt.Printf("quota %d of %d (%d %%)\n", rk.Quota, rk.Base, rk.RatePercent)
	for _, p := range rk.People {
		fmt.Printf("%-6s %6s %s\n", p.ID, p.Total, p.Grade.LabelIn(appraisal.CivilServants).ZH)
	}
	fmt.Println(rk.People[1].Why)
	// Output:
	// quota 1 of 5 (20 %)
	// li       93.6 优秀
	// wang     91.9 称职
	// zhang    84.9 称职
	// zhao     68.9 基本称职
	// chen     57.1 不称职
	// total 91.9 falls in band excellent (优秀), but ranked 2 of 2 candidates, beyond the quota 1 (20 % of 5, half_up, at most 20 %): 称职 (competent)
}

// Two years of 不称职 in a row lead to dismissal.
func ExampleConsequences() {
	cs, _ := appraisal.Consequences(appraisal.CivilServants, []appraisal.YearGrade{
		{Year: 2023, Grade: appraisal.Incompetent}, {Year: 2024, Grade: appraisal.Incompetent}})
	for _, c := range cs {
		fmt.Println(c.Year, c.Kind)
	}
	// Output:
	// 2023 demotion
	// 2023 no_year_end_bonus
	// 2024 demotion
	// 2024 no_year_end_bonus
	// 2024 dismissal
}

// The review request window ends 30 days after the notice, moved off a rest day.
func ExampleAppeal() {
	cal, _ := ssra.NewCalendar("weekends only", nil, nil)
	w, _ := appraisal.Appeal(ssra.MustDate(2024, 3, 1), ssra.Date{}, cal)
	fmt.Println(w.ReviewBy)
	// Output:
	// 2024-04-01
}

// A survey of 400 residents with 96 % top-box answers cannot show a 95 %
// target met with confidence: the Wilson interval is about [0.936, 0.975].
func ExampleTopBoxRate() {
	s := appraisal.Survey{Name: "sense_of_security", Sample: "telephone, residents 16+",
		Categories: []appraisal.SurveyCategory{
			{ID: "very_safe", Count: 120, TopBox: true}, {ID: "safe", Count: 200, TopBox: true},
			{ID: "basically_safe", Count: 64, TopBox: true}, {ID: "not_very_safe", Count: 12}, {ID: "unsafe", Count: 4}}}
	r, _ := appraisal.TopBoxRate(s, decimal.RequireFromString("0.95"))
	fmt.Println(r.Rate.Value, r.Rate.Lower, r.Rate.Upper, r.Judgement)
	// Output:
	// 0.96 0.936 0.9752 undecided
}

// A program learns a preset's inputs from Items: ids, labels and rules.
func ExampleScheme_Items() {
	s, err := appraisal.Preset(appraisal.PresetAnnualCivilServant)
	if err != nil {
		panic(err)
	}
	for _, it := range s.Items() {
		fmt.Println(it.ID, it.Kind, it.Weight, it.Label.ZH)
	}
	// Output:
	// routine direct 0.5 平时考核
	// special_task direct 0.1 专项考核
	// year_end direct 0.2 年终考核
	// stability_work direct 0.2 维护稳定工作
}
