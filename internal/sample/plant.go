// Package sample holds the sample data shared by the examples and tests: a
// realistic social stability risk assessment of a waste-to-energy plant.
// It is sample data, not a template for any real project.
package sample

import (
	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/riskeval"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// Date parses a YYYY-MM-DD date of the sample data; it panics on a typo in
// the data, which the tests catch at once.
func Date(s string) ssra.Date {
	v, err := ssra.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func est(p, i int) *riskeval.Estimate { return &riskeval.Estimate{Probability: p, Impact: i} }

// Plant is a realistic assessment: a 1,500 t/day waste-to-energy plant on
// collectively owned land near three villages.
func Plant() riskeval.Assessment {
	m := func(id, what, owner, due string) riskeval.Measure {
		return riskeval.Measure{ID: id, Description: what, Owner: owner, Due: Date(due)}
	}
	return riskeval.Assessment{
		ID: "2026-wte-017",
		Subject: riskeval.Subject{
			Kind: riskeval.SubjectProject, Name: "东郊生活垃圾焚烧发电厂（日处理1500吨）",
			ResponsibleUnit: "市城市管理局", AssessingBody: "市社会稳定风险评估中心",
			Location: "东郊镇", Investment: d("1850000000"),
		},
		Regime: "ndrc2012_project",
		Status: riskeval.StatusIssued,
		Criteria: []riskeval.CriterionAnswer{
			{Criterion: riskeval.CriterionLegality, Question: "approvals_complete", Answer: riskeval.AnswerYes, Evidence: "立项批复、规划选址意见书、用地预审、环评批复均已取得"},
			{Criterion: riskeval.CriterionReasonableness, Question: "compensation_fair", Answer: riskeval.AnswerPartly, Evidence: "补偿标准低于邻近县区", Measures: []string{"M2"}},
			{Criterion: riskeval.CriterionFeasibility, Question: "resources_in_place", Answer: riskeval.AnswerYes, Evidence: "资金已落实"},
			{Criterion: riskeval.CriterionControllability, Question: "emergency_plan", Answer: riskeval.AnswerYes, Evidence: "应急处置预案已编制"},
		},
		Factors: []riskeval.Factor{
			{ID: "F1", Area: riskeval.AreaLandExpropriation, Name: "征地补偿标准及资金到位", Stage: riskeval.StagePreparation,
				AffectedGroups: []string{"three villages' households on requisitioned land"}, Owner: "东郊镇政府",
				Weight: d("0.20"), Initial: riskeval.Estimate{Probability: 4, Impact: 4}, Residual: est(2, 3),
				Measures: []riskeval.Measure{m("M1", "补偿款专户存储、先补后征", "东郊镇政府", "2027-03-31"), m("M2", "按邻近县区标准上调补偿", "市自然资源局", "2027-02-28")}},
			{ID: "F2", Area: riskeval.AreaLandExpropriation, Name: "失地农民就业与社保", Stage: riskeval.StageOperation,
				Weight: d("0.10"), Initial: riskeval.Estimate{Probability: 3, Impact: 4}, Residual: est(2, 3), Owner: "市人社局",
				Measures: []riskeval.Measure{m("M3", "纳入被征地农民养老保险，厂内优先招工", "市人社局", "2027-06-30")}},
			{ID: "F3", Area: riskeval.AreaEcologicalEnvironment, Name: "二噁英等烟气排放", Stage: riskeval.StageOperation,
				Weight: d("0.20"), Initial: riskeval.Estimate{Probability: 4, Impact: 5}, Residual: est(2, 4), Owner: "项目公司",
				Measures: []riskeval.Measure{m("M4", "执行欧盟2010标准，排放数据实时公开", "项目公司", "2028-01-31"), m("M5", "设立公众监督委员会，定期开放参观", "市城市管理局", "2027-12-31")}},
			{ID: "F4", Area: riskeval.AreaEcologicalEnvironment, Name: "恶臭与渗滤液", Stage: riskeval.StageOperation,
				Weight: d("0.10"), Initial: riskeval.Estimate{Probability: 3, Impact: 3}, Residual: est(2, 2), Owner: "项目公司",
				Measures: []riskeval.Measure{m("M6", "负压密闭垃圾池，渗滤液全量处理", "项目公司", "2028-01-31")}},
			{ID: "F5", Area: riskeval.AreaConstructionManagement, Name: "垃圾运输车辆交通影响", Stage: riskeval.StageOperation,
				Weight: d("0.10"), Initial: riskeval.Estimate{Probability: 3, Impact: 2}, Residual: est(2, 2), Owner: "市交通运输局",
				Measures: []riskeval.Measure{m("M7", "专用运输通道，避开上下学时段", "市交通运输局", "2027-10-31")}},
			{ID: "F6", Area: riskeval.AreaConstructionManagement, Name: "施工期拖欠农民工工资", Stage: riskeval.StageConstruction,
				Weight: d("0.05"), Initial: riskeval.Estimate{Probability: 2, Impact: 3}, Residual: est(1, 3), Owner: "施工总承包单位",
				Measures: []riskeval.Measure{m("M8", "工资专用账户与保证金制度", "市住建局", "2027-04-30")}},
			{ID: "F7", Area: riskeval.AreaMediaOpinion, Name: "邻避情绪与网络不实传言", Stage: riskeval.StagePreparation,
				Weight: d("0.15"), Initial: riskeval.Estimate{Probability: 4, Impact: 4}, Residual: est(2, 3), Owner: "市委宣传部",
				Measures: []riskeval.Measure{m("M9", "分批组织居民代表参观同类项目，及时发布权威信息", "市委宣传部", "2027-01-31")}},
			{ID: "F8", Area: riskeval.AreaPolicyApproval, Name: "信息公开与公众参与程序", Stage: riskeval.StagePreparation,
				Weight: d("0.10"), Initial: riskeval.Estimate{Probability: 2, Impact: 3}, Residual: est(1, 3), Owner: "市城市管理局",
				Measures: []riskeval.Measure{m("M10", "环评与稳评全文公示，召开听证会", "市城市管理局", "2026-12-31")}},
		},
		Consultations: []riskeval.Consultation{
			{Method: riskeval.ConsultationPublicNotice, Date: Date("2026-09-01"), CommentDays: 30, OpinionsReceived: 214, OpinionsAdopted: 61},
			{Method: riskeval.ConsultationQuestionnaire, Date: Date("2026-09-10"), Participants: 1200},
			{Method: riskeval.ConsultationForum, Date: Date("2026-09-20"), Participants: 46, Organisations: []string{"东郊镇政府", "三个村民委员会", "市生态环境局"}},
			{Method: riskeval.ConsultationHearing, Date: Date("2026-10-12"), Participants: 38, OpinionsReceived: 27, OpinionsAdopted: 9},
			{Method: riskeval.ConsultationExpertReview, Date: Date("2026-10-20"), Participants: 5},
		},
		Survey:        &riskeval.Survey{Frame: "项目周边3公里内常住户，按村分层随机抽样", Distributed: 1200, Support: 702, Neutral: 251, Oppose: 187},
		Panel:         &riskeval.Panel{Size: 5, Writer: "评估中心第一组", Reviewer: "评估中心审核组"},
		EmergencyPlan: "东郊垃圾焚烧发电项目社会稳定风险应急处置预案（2026年10月）",
	}
}

// PlantMeta is the report metadata of the plant's assessment.
func PlantMeta() report.Meta {
	return report.Meta{
		Overview: "项目位于东郊镇，占地约150亩，周边3公里内有三个行政村，近三年无群体性事件。",
		Basis:    []string{"《重大行政决策程序暂行条例》（国务院令第713号）", "《国家发展改革委重大固定资产投资项目社会稳定风险评估暂行办法》（发改投资〔2012〕2492号）", "项目可行性研究报告及环境影响报告书"},
		Members: []report.PanelMember{
			{Name: "评估专家甲", Role: "组长", Affiliation: "市社会稳定风险评估中心", Field: "社会学"},
			{Name: "评估专家乙", Role: "成员", Affiliation: "市环境科学研究院", Field: "环境工程"},
		},
		Process: []report.ProcessStep{
			{Date: Date("2026-08-25"), Text: "受市发展改革委委托，成立评估小组，制定评估方案"},
			{Date: Date("2026-09-01"), Text: "发布公示，征求公众意见30日"},
			{Date: Date("2026-10-20"), Text: "召开专家论证会，确定风险等级"},
		},
		Methods: []string{"问卷调查", "座谈会", "听证会", "专家打分法"},
		Opinions: []report.OpinionTheme{
			{Theme: "补偿标准偏低", Count: 96, Adoption: report.AdoptionAdopted, Response: "按邻近县区标准上调（措施M2）"},
			{Theme: "担心烟气排放", Count: 71, Adoption: report.AdoptionPartly, Response: "执行欧盟2010标准并实时公开（措施M4）"},
			{Theme: "要求另选厂址", Count: 38, Adoption: report.AdoptionNotAdopted, Response: "选址经比选论证，已向群众解释"},
		},
		Recommendations: []string{"建议在落实各项防范化解措施、补偿款到位后批准项目。"},
		EmergencyPlan:   []string{"成立由分管副市长任组长的应急处置领导小组", "出现聚集时30分钟内到场，依法依规处置"},
	}
}
