// Command appraisal scores three units on the generic 100-point scheme and
// the Wenzhou 2017 negative list, then ranks a department of twelve under
// the 2020 excellent quota, printing readable tables.
//
//	go run ./examples/appraisal
package main

import (
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

func d(s string) *decimal.Decimal { v := decimal.RequireFromString(s); return &v }

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	generic, err := appraisal.Preset(appraisal.PresetGenericUnit100)
	if err != nil {
		return err
	}
	units := []appraisal.Subject{
		{ID: "street-east", Name: "东街道", Size: d("800"), Inputs: []appraisal.Input{
			{Item: "organisation", Value: d("9.5")}, {Item: "risk_assessment_coverage", Value: d("100")},
			{Item: "agreements_performed", Value: d("97.1")}, {Item: "screening_missed", Value: d("1")},
			{Item: "late_reports", Value: d("0")}, {Item: "on_time_handling", Value: d("99.2")},
			{Item: "handling_satisfaction", Value: d("95.4")}, {Item: "sense_of_security", Value: d("96.3")},
			{Item: "public_order_on_time", Value: d("100")},
			{Item: "commendations", Events: []appraisal.Event{{Ref: "model-mediation", Level: "city"}, {Ref: "model-mediation", Level: "provincial"}}},
		}},
		{ID: "street-west", Name: "西街道", Size: d("2400"), Inputs: []appraisal.Input{
			{Item: "organisation", Value: d("8")}, {Item: "risk_assessment_coverage", Value: d("90")},
			{Item: "agreements_performed", Value: d("88")}, {Item: "screening_missed", Value: d("4")},
			{Item: "late_reports", Value: d("1")}, {Item: "on_time_handling", Value: d("93")},
			{Item: "handling_satisfaction", Value: d("91")}, {Item: "sense_of_security", Value: d("92.5")},
			{Item: "public_order_on_time", Value: d("92")},
		}},
		{ID: "town-north", Name: "北镇", Size: d("1500"), Inputs: []appraisal.Input{
			{Item: "organisation", Value: d("9")}, {Item: "risk_assessment_coverage", Value: d("100")},
			{Item: "agreements_performed", Value: d("98")}, {Item: "screening_missed", Value: d("0")},
			{Item: "late_reports", Value: d("0")}, {Item: "on_time_handling", Value: d("100")},
			{Item: "handling_satisfaction", Value: d("97")}, {Item: "sense_of_security", Value: d("97")},
			{Item: "public_order_on_time", Value: d("96.5")},
			{Item: "major_incidents", Events: []appraisal.Event{{Ref: "fire-0611", SpecialPeriod: true}}},
			{Item: "major_incident_veto", Veto: &appraisal.VetoDecision{DecidedBy: appraisal.LevelCounty, Date: ssra.MustDate(2024, 6, 20),
				Reason: "major fire during the security period", Persons: []appraisal.BoundPerson{{Person: "staff-031", Role: appraisal.PrincipalHead}}}},
		}},
	}
	fmt.Printf("Units on %s %s (%s)\n\n", generic.Name(), generic.Version(), generic.Tag())
	w := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "unit\tbase\tdeducted\tbonus\ttotal\tgrade\tdecided by\tname, grade (zh-CN)")
	var results []appraisal.Result
	for _, u := range units {
		r, err := appraisal.Score(generic, u)
		if err != nil {
			return err
		}
		results = append(results, r)
		g := r.Grade()
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s %s\n", u.ID, r.Base(), r.Deducted(), r.Bonus(), r.Total(), g.ID, g.DecidedBy, u.Name, g.Label.ZH)
	}
	w.Flush()
	fmt.Println("\nWhy street-west lost points:")
	for _, it := range results[1].Items() {
		if it.Kind == appraisal.RuleBonus || it.Kind == appraisal.RuleVeto || it.Max == nil || it.Points.Equal(*it.Max) {
			continue
		}
		for _, line := range it.Explanation {
			fmt.Println("  ", line.Text)
		}
	}
	for _, v := range results[2].Vetoes() {
		fmt.Printf("\nVeto on town-north: %s, decided at %s level, imposed %v; disqualified %s to %s; binds %d person(s)\n",
			v.Trigger, v.DecidedBy, v.Imposed, v.From, v.Until, len(v.Bound))
	}

	wenzhou, err := appraisal.Preset(appraisal.PresetWenzhou2017)
	if err != nil {
		return err
	}
	wz, err := appraisal.Score(wenzhou, appraisal.Subject{ID: "county-a", Inputs: []appraisal.Input{
		{Item: "accident_deaths", Events: []appraisal.Event{{Ref: "road-0312", Magnitude: d("4"), Repeat: true}}},
		{Item: "sense_of_security", Value: d("88")},
		{Item: "awareness", Value: d("81.5"), Reference: d("83")},
		{Item: "participation", Value: d("79"), Reference: d("78")},
		{Item: "rank_fall", Value: d("0")}, {Item: "rank_rise", Value: d("6")},
	}})
	if err != nil {
		return err
	}
	fmt.Printf("\n%s on %s: total %s\n", wz.Subject(), wenzhou.Name(), wz.Total())
	for _, line := range wz.Explanation() {
		fmt.Println("  ", line.Text)
	}

	// A department of twelve ranked under the 2020 quota.
	annual, err := appraisal.Preset(appraisal.PresetAnnualCivilServant)
	if err != nil {
		return err
	}
	policy, err := appraisal.StaffPolicyPreset(appraisal.PolicyCivilServants2020)
	if err != nil {
		return err
	}
	rows := [][5]string{
		{"staff-001", "95", "92", "94", "96"}, {"staff-002", "94", "95", "93", "92"}, {"staff-003", "93", "90", "95", "94"},
		{"staff-004", "92", "88", "90", "95"}, {"staff-005", "92", "88", "95", "90"}, {"staff-006", "90", "91", "92", "93"},
		{"staff-007", "88", "85", "86", "90"}, {"staff-008", "85", "84", "80", "82"}, {"staff-009", "80", "78", "82", "75"},
		{"staff-010", "75", "70", "72", "68"}, {"staff-011", "95", "95", "95", "95"}, {"staff-012", "62", "58", "60", "55"},
	}
	var people []appraisal.Person
	for _, r := range rows {
		people = append(people, appraisal.Person{ID: r[0], Inputs: []appraisal.Input{
			{Item: "routine", Value: d(r[1])}, {Item: "special_task", Value: d(r[2])},
			{Item: "year_end", Value: d(r[3])}, {Item: "stability_work", Value: d(r[4])}}})
	}
	people[10].Probation = true                    // probation: comment only
	people[2].Sanction = appraisal.SanctionWarning // a warning excludes 优秀
	rk, err := appraisal.Rank(annual, policy, appraisal.Run{Year: 2024}, people)
	if err != nil {
		return err
	}
	fmt.Printf("\nDepartment ranking %d, policy %s: quota %d (%d %% of %d), %d candidates\n\n", rk.Year, rk.Policy, rk.Quota, rk.RatePercent, rk.Base, rk.Candidates)
	w = tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "person\ttotal\tband\tgrade\tposition\twhy")
	fmt.Fprintln(w, "------\t-----\t----\t-----\t--------\t---")
	for _, p := range rk.People {
		pos := ""
		if p.Position > 0 {
			pos = fmt.Sprint(p.Position)
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\t%s\n", p.ID, p.Total, p.Band, p.Grade, pos, p.Why)
	}
	w.Flush()
	fmt.Println()
	for _, line := range rk.Explanation {
		fmt.Println("  ", line.Text)
	}
	return nil
}
