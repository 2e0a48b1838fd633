package report

import (
	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// fixed holds the fixed text of the report in both languages, by key.
var fixed = map[string]ssra.Label{
	"title":               ssra.L("社会稳定风险评估报告", "Social Stability Risk Assessment Report"),
	"assessment_id":       ssra.L("评估编号", "Assessment no."),
	"profile":             ssra.L("评估标准", "Risk criteria profile"),
	"version":             ssra.L("版本", "version"),
	"profile_source":      ssra.L("评估标准存档", "Profile record"),
	"generated":           ssra.L("生成时间", "Generated"),
	"status":              ssra.L("状态", "Status"),
	"summary":             ssra.L("评估结论摘要", "Summary"),
	"initial_level":       ssra.L("初始风险等级", "Initial risk level"),
	"residual_level":      ssra.L("落实措施后风险等级（决定性）", "Risk level after measures (decides)"),
	"decision":            ssra.L("决策建议", "Decision"),
	"practice_note":       ssra.L("本标准的等级划分、阈值和分值来自通行做法，并非国家统一规定。", "The scales, thresholds and grades of this profile are common practice, not a national rule."),
	"law_note":            ssra.L("本标准的数值由国家文件规定。", "The numbers of this profile are fixed by a national text."),
	"s1":                  ssra.L("一、基本情况", "1. Basic information"),
	"s1_subject":          ssra.L("（一）项目概况", "1.1 Subject"),
	"s1_basis":            ssra.L("（二）评估依据", "1.2 Basis of the assessment"),
	"s1_body":             ssra.L("（三）评估主体", "1.3 Assessing body and panel"),
	"s1_process":          ssra.L("（四）评估过程和方法", "1.4 Process and methods"),
	"name":                ssra.L("名称", "Name"),
	"kind":                ssra.L("类别", "Kind"),
	"kind_project":        ssra.L("重大项目", "major project"),
	"kind_decision":       ssra.L("重大决策", "major decision"),
	"responsible_unit":    ssra.L("项目单位（决策承办单位）", "Responsible unit"),
	"location":            ssra.L("建设地点", "Location"),
	"investment":          ssra.L("总投资", "Total investment"),
	"id":                  ssra.L("编号", "ID"),
	"beijing_time":        ssra.L("北京时间", "China Standard Time"),
	"regime":              ssra.L("适用决策规则", "Decision regime"),
	"legal_basis":         ssra.L("依据文件", "Legal basis"),
	"overview":            ssra.L("概况", "Overview"),
	"assessing_body":      ssra.L("评估主体", "Assessing body"),
	"panel_size":          ssra.L("专家组人数", "Expert panel size"),
	"recusals":            ssra.L("回避人数", "Recusals"),
	"writer":              ssra.L("报告编写", "Written by"),
	"reviewer":            ssra.L("报告审核", "Reviewed by"),
	"member":              ssra.L("成员", "Member"),
	"role":                ssra.L("职责", "Role"),
	"affiliation":         ssra.L("单位", "Affiliation"),
	"expertise":           ssra.L("专业", "Field"),
	"date":                ssra.L("日期", "Date"),
	"step":                ssra.L("工作内容", "Step"),
	"methods":             ssra.L("评估方法", "Methods"),
	"none":                ssra.L("无", "none"),
	"not_given":           ssra.L("未提供", "not given"),
	"s2":                  ssra.L("二、征求意见及采纳情况", "2. Consultation and adoption of opinions"),
	"method":              ssra.L("方式", "Method"),
	"participants":        ssra.L("参加人数", "Participants"),
	"organisations":       ssra.L("参加单位", "Organisations"),
	"comment_days":        ssra.L("征求意见天数", "Comment days"),
	"received":            ssra.L("收到意见（条）", "Opinions received"),
	"adopted":             ssra.L("采纳意见（条）", "Opinions adopted"),
	"consult_note":        ssra.L("征求意见记录仅含人数、条数和单位，不列个人姓名。", "Consultation records hold counts and organisations only, never named individuals."),
	"survey":              ssra.L("民意调查", "Public-opinion survey"),
	"frame":               ssra.L("抽样框", "Sampling frame"),
	"distributed":         ssra.L("发放问卷（份）", "Questionnaires distributed"),
	"valid":               ssra.L("有效问卷（份）", "Valid answers"),
	"response_rate":       ssra.L("有效回收率", "Response rate"),
	"support":             ssra.L("支持", "Support"),
	"neutral":             ssra.L("中立", "Neutral"),
	"oppose":              ssra.L("反对", "Oppose"),
	"opposition":          ssra.L("反对比例（95% Wilson 区间）", "Opposition share (95 % Wilson interval)"),
	"suggested":           ssra.L("建议等级（仅供参考，不决定等级）", "Suggested level (advisory, does not set the level)"),
	"themes":              ssra.L("主要意见及采纳情况", "Main opinions and how they were handled"),
	"theme":               ssra.L("意见", "Opinion"),
	"count":               ssra.L("条数", "Count"),
	"adoption":            ssra.L("采纳情况", "Adoption"),
	"response":            ssra.L("处理说明", "Response"),
	"s3":                  ssra.L("三、评估内容", "3. Criteria and findings"),
	"criterion":           ssra.L("评估内容", "Criterion"),
	"question":            ssra.L("问题", "Question"),
	"answer":              ssra.L("结论", "Finding"),
	"evidence":            ssra.L("依据", "Evidence"),
	"measures_ref":        ssra.L("对应措施", "Measures"),
	"no_criteria":         ssra.L("未记录评估内容结论。", "No findings on the criteria were recorded."),
	"s4":                  ssra.L("四、风险识别和估计", "4. Risk identification and estimation"),
	"s4_identify":         ssra.L("（一）风险识别", "4.1 Risk identification"),
	"s4_estimate":         ssra.L("（二）单因素风险估计", "4.2 Single-factor estimation"),
	"s4_charts":           ssra.L("（三）风险矩阵与分值对比", "4.3 Heat map and scores"),
	"factor":              ssra.L("风险因素", "Risk factor"),
	"area":                ssra.L("风险领域", "Area"),
	"stage":               ssra.L("阶段", "Stage"),
	"groups":              ssra.L("影响群体", "Affected groups"),
	"owner":               ssra.L("责任方", "Owner"),
	"weight":              ssra.L("权重", "Weight"),
	"before":              ssra.L("落实措施前", "Before measures"),
	"after":               ssra.L("落实措施后", "After measures"),
	"p":                   ssra.L("概率", "P"),
	"i":                   ssra.L("影响", "I"),
	"score":               ssra.L("分值", "Score"),
	"degree":              ssra.L("程度", "Degree"),
	"level":               ssra.L("等级", "Level"),
	"estimate_note":       ssra.L("分值 r = 概率分值 × 影响分值；", "Score r = probability grade × impact grade; "),
	"heatmap":             ssra.L("风险矩阵：空心圆为落实措施前位置，实心圆为落实措施后位置，箭头表示措施的作用。", "Heat map: hollow circles are the positions before measures, filled circles after, arrows show the effect of the measures."),
	"scorechart":          ssra.L("各风险因素落实措施前后分值（上：措施前，下：措施后）", "Factor scores before and after measures (upper bar: before, lower bar: after)"),
	"s5":                  ssra.L("五、风险防范和化解措施", "5. Prevention and mitigation measures"),
	"measure":             ssra.L("措施", "Measure"),
	"due":                 ssra.L("完成时限", "Due"),
	"no_measures":         ssra.L("未提出措施。", "No measures were proposed."),
	"s6":                  ssra.L("六、落实措施后的预期风险等级", "6. Expected risk level after measures"),
	"index":               ssra.L("综合风险指数 R", "Comprehensive index R"),
	"index_level":         ssra.L("指数对应等级", "Level by index"),
	"floor_rule":          ssra.L("底线规则", "Floor rule"),
	"final_level":         ssra.L("综合风险等级", "Overall level"),
	"counts":              ssra.L("高 / 中 / 低风险因素数", "High / medium / low factors"),
	"index_note":          ssra.L("R = Σ 权重 × 分值，四舍五入保留6位小数；", "R = Σ weight × score, rounded half-up to 6 places. "),
	"thresholds":          ssra.L("等级阈值", "Thresholds"),
	"sensitivity":         ssra.L("决策稳健性（敏感性分析）", "Robustness of the decision (sensitivity analysis)"),
	"margin_none":         ssra.L("综合风险指数所在等级没有阈值，不计算余量。", "The index's band has no threshold: there is no margin."),
	"tornado":             ssra.L("敏感性分析龙卷风图：各风险因素的落实措施后概率和影响从最低分值点变到最高分值点（其他因素不变）时，综合风险指数的变化范围，按变化幅度从大到小排列；虚线为等级阈值，实线为当前指数。", "Tornado chart: the range of the residual comprehensive index as each factor's residual probability and impact go from the lowest to the highest scale point (the other factors held), widest range first; dashed lines are the thresholds, the solid line the current index."),
	"tornado_table":       ssra.L("各风险因素的落实措施后概率和影响从最低分值点变到最高分值点（其他因素不变）时综合风险指数的变化范围，按变化幅度从大到小排列：", "The range of the residual comprehensive index as each factor's residual probability and impact go from the lowest to the highest scale point (the other factors held), widest range first:"),
	"tornado_title":       ssra.L("敏感性分析龙卷风图", "Sensitivity tornado chart"),
	"tornado_axis":        ssra.L("落实措施后综合风险指数 R", "Residual comprehensive index R"),
	"tornado_low":         ssra.L("降至最低分值点", "at the lowest points"),
	"tornado_high":        ssra.L("升至最高分值点", "at the highest points"),
	"tornado_index":       ssra.L("当前指数", "current index"),
	"tornado_tip_weight":  ssra.L("，权重", ", weight "),
	"tornado_tip_score":   ssra.L("，当前分值", ", current score "),
	"swing_low":           ssra.L("最低点指数", "Index at lowest"),
	"swing_high":          ssra.L("最高点指数", "Index at highest"),
	"swing":               ssra.L("变化幅度", "Swing"),
	"s7":                  ssra.L("七、评估结论", "7. Conclusion"),
	"conclusion_level":    ssra.L("落实防范化解措施后，本项目社会稳定风险等级为", "With the measures in place, the social stability risk level is"),
	"outcome":             ssra.L("决策建议", "Outcome"),
	"reasons":             ssra.L("理由", "Reasons"),
	"recommendations":     ssra.L("评估主体意见和建议", "Opinion and recommendations of the assessing body"),
	"s8":                  ssra.L("八、应急处置预案", "8. Emergency plan"),
	"plan_filed":          ssra.L("预案", "Plan"),
	"plan_summary":        ssra.L("预案要点", "Summary"),
	"no_plan":             ssra.L("未提供应急处置预案。", "No emergency plan was provided."),
	"s9":                  ssra.L("九、措施落实情况", "9. Implementation of the measures"),
	"measure_state":       ssra.L("落实状态", "State"),
	"measure_progress":    ssra.L("落实进展", "Progress"),
	"follow_ups":          ssra.L("跟踪评估", "Follow-up assessments"),
	"appendix_a":          ssra.L("附录一　计算说明", "Appendix A. Explanation of the evaluation"),
	"explain_note":        ssra.L("以下步骤由评估程序生成，每一步均可手工核对。", "Each step below can be checked by hand."),
	"appendix_b":          ssra.L("附录二　质量提示", "Appendix B. Quality findings"),
	"code":                ssra.L("代码", "Code"),
	"field":               ssra.L("字段", "Field"),
	"message":             ssra.L("说明", "Message"),
	"finding":             ssra.L("提示", "Finding"),
	"place":               ssra.L("位置", "Where"),
	"no_warnings":         ssra.L("无质量提示。", "No quality findings."),
	"footer":              ssra.L("本报告由评估结果自动生成，所有数值取自评估结果。", "This report is rendered from the evaluation result; every number is taken from it."),
	"legend_initial":      ssra.L("措施前", "before"),
	"legend_residual":     ssra.L("措施后", "after"),
	"legend_probability":  ssra.L("发生概率", "Probability"),
	"legend_impact":       ssra.L("影响程度", "Impact"),
	"floor_none":          ssra.L("未触发", "none applied"),
	"basis_practice":      ssra.L("通行做法", "practice"),
	"basis_law":           ssra.L("国家规定", "law"),
	"status_draft":        ssra.L("起草中", "draft"),
	"status_submitted":    ssra.L("已提交", "submitted"),
	"status_under_review": ssra.L("审查中", "under review"),
	"status_issued":       ssra.L("已出具", "issued"),
	"status_returned":     ssra.L("退回修改", "returned"),
	"answer_yes":          ssra.L("是", "yes"),
	"answer_no":           ssra.L("否", "no"),
	"answer_partly":       ssra.L("部分", "partly"),
	"answer_none":         ssra.L("未回答", "unanswered"),
	"adoption_adopted":    ssra.L("采纳", "adopted"),
	"adoption_partly":     ssra.L("部分采纳", "partly adopted"),
	"adoption_not":        ssra.L("未采纳", "not adopted"),
	"item":                ssra.L("项目", "Item"),
	"value":               ssra.L("内容", "Value"),
	"rank":                ssra.L("名次", "Rank"),
}

// tr returns the fixed text for key in lang; an unknown key is returned
// marked so that a test can find it.
func tr(lang ssra.Lang, key string) string {
	l, ok := fixed[key]
	if !ok {
		return "!" + key + "!"
	}
	return l.In(lang)
}

func statusText(lang ssra.Lang, s riskeval.Status) string {
	return tr(lang, "status_"+s.String())
}

func answerText(lang ssra.Lang, a riskeval.Answer) string {
	if a == riskeval.AnswerNone {
		return tr(lang, "answer_none")
	}
	return tr(lang, "answer_"+a.String())
}

func kindText(lang ssra.Lang, k riskeval.SubjectKind) string {
	switch k {
	case riskeval.SubjectProject:
		return tr(lang, "kind_project")
	case riskeval.SubjectDecision:
		return tr(lang, "kind_decision")
	}
	return tr(lang, "not_given")
}

func basisText(lang ssra.Lang, b riskeval.Basis) string {
	if b == riskeval.BasisLaw {
		return tr(lang, "basis_law")
	}
	return tr(lang, "basis_practice")
}
