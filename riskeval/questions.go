package riskeval

import "github.com/ssra-go/ssra"

// Question is one standard question of a criterion (评估内容): the id an
// assessment's CriterionAnswer.Question names it by, the criterion it
// belongs to, and its wording in zh-CN and en.
type Question struct {
	ID        string
	Criterion Criterion
	Label     ssra.Label
}

// questions are the standard questions of the four default criteria,
// worded after domain.md §1.3 (the criteria as local rules reproduce them
// from the 2012 NDRC measures and the 2019 decision-procedure rules).
// Safety (安全性) has no standard question: provinces that use it word
// their own.
var questions = []Question{
	{"authority", CriterionLegality, ssra.L("决策主体是否具有相应权限", "the decision body has the authority and competence")},
	{"lawful_content_procedure", CriterionLegality, ssra.L("决策内容和程序是否符合法律法规和政策", "content and procedure comply with law and policy")},
	{"policy_continuity", CriterionLegality, ssra.L("是否保持政策的连续性和稳定性", "policy continuity is kept")},
	{"approvals_complete", CriterionLegality, ssra.L("规划、用地预审、环评、公示等审批手续是否完备", "required approvals are done (planning, land pre-approval, environmental assessment, public notice)")},
	{"majority_interest", CriterionReasonableness, ssra.L("是否符合大多数群众的利益", "serves the interests of the majority")},
	{"present_long_term", CriterionReasonableness, ssra.L("是否兼顾当前利益和长远利益", "balances present and long-term interests")},
	{"no_overburden", CriterionReasonableness, ssra.L("是否加重群众负担、引发群体间攀比", "does not overburden people or trigger comparisons between groups")},
	{"measures_proportionate", CriterionReasonableness, ssra.L("措施是否必要、适当", "measures are necessary and proportionate")},
	{"compensation_fair", CriterionReasonableness, ssra.L("补偿安置是否合理、公平、及时", "compensation and resettlement are reasonable, fair and timely")},
	{"rights_protected", CriterionReasonableness, ssra.L("群众合法权益是否得到保障", "lawful rights are protected")},
	{"fits_development", CriterionFeasibility, ssra.L("是否与本地经济社会发展水平相适应", "fits local development")},
	{"pace_tolerable", CriterionFeasibility, ssra.L("实施步骤是否在社会可承受范围内", "the pace is within social tolerance")},
	{"resources_in_place", CriterionFeasibility, ssra.L("人力、物力、财力是否落实", "resources are in place")},
	{"timing_ripe", CriterionFeasibility, ssra.L("出台时机和条件是否成熟", "timing and conditions are ripe")},
	{"acceptable_to_most", CriterionFeasibility, ssra.L("是否为大多数群众所接受", "acceptable to most people")},
	{"safety_hazards", CriterionControllability, ssra.L("是否存在公共安全隐患", "public-safety hazards are identified")},
	{"mass_incident", CriterionControllability, ssra.L("是否可能引发群体性事件、集体上访或负面舆情", "whether it could cause mass incidents, collective petitions or negative public opinion")},
	{"risks_controllable", CriterionControllability, ssra.L("风险是否可以通过可行措施加以控制", "the risks are controllable with feasible measures")},
	{"emergency_plan", CriterionControllability, ssra.L("是否制定应急处置预案", "an emergency plan is in place")},
	{"explanation_adequate", CriterionControllability, ssra.L("宣传解释和舆论引导是否充分", "explanation and guidance are adequate")},
}

// Questions returns the standard questions of the default criteria, in
// the order of domain.md §1.3. An assessment may also answer questions of
// its own, named by any id; reports show those as entered.
func Questions() []Question { return append([]Question(nil), questions...) }

// LookupQuestion returns the standard question of criterion c with the
// given id, and whether there is one.
func LookupQuestion(c Criterion, id string) (Question, bool) {
	for _, q := range questions {
		if q.Criterion == c && q.ID == id {
			return q, true
		}
	}
	return Question{}, false
}
