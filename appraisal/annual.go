package appraisal

import (
	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// AnnualWeights are the weights of the parts of a person's annual score
// (年度考核): routine (平时), special-task (专项) and year-end appraisal, and
// the stability-work indicator (维护稳定工作) that the plan requires in every
// person's score. They must add up to 1. Local practice gives routine
// appraisal 50–60 %.
type AnnualWeights struct {
	Routine     decimal.Decimal `json:"routine"`
	SpecialTask decimal.Decimal `json:"special_task"`
	YearEnd     decimal.Decimal `json:"year_end"`
	Stability   decimal.Decimal `json:"stability_work"`
}

// AnnualScheme builds a weights-mode annual scheme on 100 points from the
// given weights, with the bands of the annual preset (90 / 70 / 60, the
// Jilin example [practice]) and the item ids of PresetAnnualCivilServant:
// routine, special_task, year_end and stability_work. Each part is a given
// score out of 100. A zero stability weight is refused: stability work must
// weigh in every person's score.
func AnnualScheme(name, version string, w AnnualWeights) (*Scheme, error) {
	var ps ssra.Problems
	if w.Stability.Sign() <= 0 {
		ps.Add("annual.stability_weight", "stability_work", "stability work must carry a positive weight in every person's score")
	}
	if err := ps.Err("appraisal.AnnualScheme"); err != nil {
		return nil, err
	}
	item := func(id, zh, en string, weight decimal.Decimal) Item {
		wt := weight
		return Item{ID: id, Label: ssra.L(zh, en), Weight: &wt, Measures: "score out of 100", Rule: Rule{Kind: RuleDirect}}
	}
	one := decimal.NewFromInt(1)
	def := SchemeDef{
		Name: name, Version: version, Tag: ssra.TagPractice,
		Label:  ssra.L("年度考核计分", "Annual appraisal score"),
		Source: "built by AnnualScheme from caller-supplied weights; bands 90/70/60 are practice",
		Mode:   ModeWeights, Budget: decimal.NewFromInt(100),
		Bands: []Band{
			{ID: "excellent", Label: ssra.L("优秀档", "excellent band"), Min: decimal.NewFromInt(90)},
			{ID: "competent", Label: ssra.L("称职档", "competent band"), Min: decimal.NewFromInt(70)},
			{ID: "basically_competent", Label: ssra.L("基本称职档", "basically competent band"), Min: decimal.NewFromInt(60)},
			{ID: "incompetent", Label: ssra.L("不称职档", "incompetent band"), Min: decimal.Zero},
		},
		Sections: []Section{{ID: "annual", Label: ssra.L("年度考核", "Annual appraisal"), Weight: &one, Items: []Item{
			item("routine", "平时考核", "Routine appraisal", w.Routine),
			item("special_task", "专项考核", "Special-task appraisal", w.SpecialTask),
			item("year_end", "年终考核", "Year-end appraisal", w.YearEnd),
			item("stability_work", "维护稳定工作", "Stability work", w.Stability),
		}}},
	}
	return NewScheme(def)
}
