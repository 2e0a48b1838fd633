package report

import (
	"strconv"
	"strings"

	"github.com/ssra-go/ssra"
)

// warningRow is one quality finding of appendix B. The English report shows
// the code, the field path and the message as the library gives them; the
// Chinese report shows what the finding means (Rule) and where it is
// (Place) in words, and keeps the code only as a data attribute.
type warningRow struct {
	Code, Field, Message string
	Rule, Place          string
}

// warningText says in words what each quality finding (质量提示) of
// riskeval.Evaluate means. A test holds that every code riskeval emits has
// an entry.
var warningText = map[string]ssra.Label{
	"ahp.inconsistent":             ssra.L("判断矩阵一致性比率未低于 0.10，请修正两两比较判断", "The pairwise judgements are not consistent enough (CR not below 0.10)"),
	"ahp.hierarchy.inconsistent":   ssra.L("层次总排序一致性比率未低于 0.10，请修正判断", "The hierarchy's combined consistency ratio is not below 0.10"),
	"criterion.unanswered":         ssra.L("评估要点未作结论", "The question is not answered"),
	"criterion.no_without_measure": ssra.L("评估结论为“否”，但没有针对的措施", "The finding is \"no\" but no measure addresses it"),
	"criterion.partly_without_measure": ssra.L("评估结论为“部分符合”，但没有针对的措施",
		"The finding is \"partly\" but no measure addresses it"),
	"criteria.missing":                  ssra.L("合法性、合理性、可行性、可控性中有未作评估的方面", "A criterion (legality, reasonableness, feasibility, controllability) has no findings"),
	"consultation.date_missing":         ssra.L("公众参与活动未注明日期", "The consultation has no date"),
	"consultation.comment_period_short": ssra.L("征求意见期限短于参数方案的要求", "The public comment period is shorter than the profile asks"),
	"gate.comment_period_short":         ssra.L("公开征求意见期限短于决策制度的要求，已说明缩短理由（《重大行政决策程序暂行条例》第十五条）", "The public comment period is shorter than the regime asks, with the reason for shortening it stated (Order 713 art. 15)"),
	"consultation.none":                 ssra.L("未记录公众或专家参与", "No consultation of the public or experts is recorded"),
	"survey.sample_undescribed":         ssra.L("民意调查未说明抽样框或发放数量", "The survey does not describe its sampling frame or the questionnaires distributed"),
	"panel.missing":                     ssra.L("未记录专家评审组", "No expert panel is recorded"),
	"panel.too_small":                   ssra.L("扣除回避后，专家人数少于参数方案的要求", "Fewer experts sit, after recusals, than the profile asks"),
	"panel.writer_is_reviewer":          ssra.L("报告编写人与审核人为同一人，不符合编审分离", "The writer of the report is also its reviewer (编审分离)"),
	"panel.no_consensus":                ssra.L("专家评分分歧较大，未形成一致意见", "The experts' ratings disagree too widely for a consensus"),
	"panel.concordance_incomplete":      ssra.L("有专家未对全部因素评分，未计算肯德尔协调系数", "Kendall's W is not computed: a member did not rate every factor"),
	"panel.low_concordance":             ssra.L("专家对风险因素排序的一致程度偏低（肯德尔协调系数低于参数方案的下限）", "The panel's rankings of the factors agree weakly (Kendall's W below the profile's minimum)"),
	"subject.name_missing":              ssra.L("评估对象未填写名称", "The subject has no name"),
	"subject.kind_missing":              ssra.L("未说明评估对象是项目还是决策", "The subject is not said to be a project or a decision"),
	"subject.unit_missing":              ssra.L("未填写责任单位", "The responsible unit is not named"),
	"factor.residual_above_initial":     ssra.L("措施后风险高于措施前风险", "The residual score is above the initial score"),
	"factor.lowered_without_measure":    ssra.L("风险程度降低，但未记录防范化解措施", "The risk is lowered but no measure is recorded"),
	"measure.owner_missing":             ssra.L("措施未明确责任单位", "The measure has no owner"),
	"measure.due_missing":               ssra.L("措施未明确完成时限", "The measure has no due date"),
	"fuzzy.grade.tie":                   ssra.L("模糊综合评价中有等级隶属度并列最大，取列在前的等级", "Grades tie at the maximum membership; the first listed was chosen"),
}

// warningRows turns the result's warnings into appendix rows; factorIDs are
// the assessment's factor ids in order, which name a factor by its place.
func warningRows(lang ssra.Lang, ws ssra.Problems, factorIDs []string) []warningRow {
	out := make([]warningRow, 0, len(ws))
	for _, w := range ws {
		row := warningRow{Code: w.Code, Field: w.Field, Message: w.Message}
		if lang == ssra.LangZH {
			if l, ok := warningText[w.Code]; ok {
				row.Rule = l.ZH
			} else {
				row.Rule = "其他质量提示，详见英文版报告"
			}
			row.Place = zhPlace(w.Field, factorIDs)
		}
		out = append(out, row)
	}
	return out
}

// zhSegment names the members of an assessment's field paths in Chinese.
var zhSegment = map[string]string{
	"criteria": "评估要点", "factors": "风险因素", "consultations": "公众参与", "measures": "措施",
	"survey": "民意调查", "panel": "专家评审组", "subject": "评估对象", "levels": "层次",
	"answer": "结论", "date": "日期", "size": "人数", "reviewer": "审核人", "name": "名称",
	"kind": "类型", "responsible_unit": "责任单位", "residual": "措施后评估", "initial": "措施前评估",
	"ratings": "专家评分", "owner": "责任单位", "due": "完成时限",
}

// zhPlace says where a field path points in Chinese: "factors[1].measures[0].due"
// becomes "风险因素 F2 › 措施第 1 项 › 完成时限". A factor is named by the id its
// authors gave it; other list members by their place. A segment without a
// Chinese name is left out rather than shown as an identifier.
func zhPlace(path string, factorIDs []string) string {
	if path == "" {
		return "整体"
	}
	var parts []string
	for _, seg := range strings.Split(path, ".") {
		name, idx, hasIdx := strings.Cut(seg, "[")
		idx = strings.TrimSuffix(idx, "]")
		zh, ok := zhSegment[name]
		if !ok {
			continue
		}
		if !hasIdx {
			parts = append(parts, zh)
			continue
		}
		n, err := strconv.Atoi(idx)
		switch {
		case name == "factors" && err == nil && n >= 0 && n < len(factorIDs):
			parts = append(parts, zh+" "+factorIDs[n])
		case name == "factors" && err != nil:
			parts = append(parts, zh+" "+idx) // the factor's own id
		case err == nil && name == "levels":
			parts = append(parts, "第 "+strconv.Itoa(n)+" 层")
		case err == nil:
			parts = append(parts, zh+"第 "+strconv.Itoa(n+1)+" 项")
		default:
			parts = append(parts, zh)
		}
	}
	if len(parts) == 0 {
		return "整体"
	}
	return strings.Join(parts, " › ")
}
