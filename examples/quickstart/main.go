// Command quickstart assesses the social stability risk of a waste-to-energy
// plant under the NDRC 2012 project regime, prints each factor before and
// after measures, the comprehensive index and level, the survey's advisory
// reading, the decision, the quality findings and the full explanation, and
// then asks the approval gate.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func date(s string) ssra.Date {
	v, err := ssra.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func est(p, i int) *riskeval.Estimate { return &riskeval.Estimate{Probability: p, Impact: i} }

// plant is a realistic assessment: a 1,500 t/day waste-to-energy plant on
// collectively owned land near three villages.
func plant() riskeval.Assessment {
	m := func(id, what, owner, due string) riskeval.Measure {
		return riskeval.Measure{ID: id, Description: what, Owner: owner, Due: date(due)}
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
			{Method: riskeval.ConsultationPublicNotice, Date: date("2026-09-01"), CommentDays: 30, OpinionsReceived: 214, OpinionsAdopted: 61},
			{Method: riskeval.ConsultationQuestionnaire, Date: date("2026-09-10"), Participants: 1200},
			{Method: riskeval.ConsultationForum, Date: date("2026-09-20"), Participants: 46, Organisations: []string{"东郊镇政府", "三个村民委员会", "市生态环境局"}},
			{Method: riskeval.ConsultationHearing, Date: date("2026-10-12"), Participants: 38, OpinionsReceived: 27, OpinionsAdopted: 9},
			{Method: riskeval.ConsultationExpertReview, Date: date("2026-10-20"), Participants: 5},
		},
		Survey:        &riskeval.Survey{Frame: "项目周边3公里内常住户，按村分层随机抽样", Distributed: 1200, Support: 702, Neutral: 251, Oppose: 187},
		Panel:         &riskeval.Panel{Size: 5, Writer: "评估中心第一组", Reviewer: "评估中心审核组"},
		EmergencyPlan: "东郊垃圾焚烧发电项目社会稳定风险应急处置预案（2026年10月）",
	}
}

func run() error {
	profile, err := riskeval.Preset("practice")
	if err != nil {
		return err
	}
	a := plant()
	res, err := riskeval.Evaluate(a, profile)
	if err != nil {
		return fmt.Errorf("evaluate: %w", err)
	}
	fmt.Printf("%s\n%s — regime %s, profile %s v%s\n\n", a.Subject.Name, a.Subject.ResponsibleUnit, res.Regime.ID, res.Profile.Name, res.Profile.Version)

	tw := tabwriter.NewWriter(os.Stdout, 0, 2, 2, ' ', 0)
	fmt.Fprintln(tw, "factor\tarea\tweight\tinitial p×i=r\tlevel\tresidual p×i=r\tlevel")
	for i, f := range res.Factors {
		fmt.Fprintf(tw, "%s %s\t%s\t%s\t%d×%d=%s\t%s\t%d×%d=%s\t%s\n", f.ID, a.Factors[i].Name, f.Area.Label().EN, f.Weight,
			f.Initial.Probability, f.Initial.Impact, f.Initial.Score, f.Initial.Level,
			f.Residual.Probability, f.Residual.Impact, f.Residual.Score, f.Residual.Level)
	}
	tw.Flush()

	fmt.Printf("\nbefore measures: R = %s → %s\n", res.Initial.Index.StringFixed(6), res.Initial.Level)
	fmt.Printf("after measures:  R = %s → %s (decides)\n", res.Residual.Index.StringFixed(6), res.Residual.Level)
	if s := res.Survey; s != nil {
		fmt.Printf("survey: %s oppose (95%% CI %s–%s), advisory level %s\n", s.Opposition.Value, s.Opposition.Lower, s.Opposition.Upper, s.Suggested)
	}
	fmt.Printf("decision: %s — %s\n", res.Decision.Outcome, res.Decision.Outcome.Label().ZH)
	for _, r := range res.Decision.Reasons {
		fmt.Printf("  · %s\n", r.ZH)
	}
	if len(res.Warnings) > 0 {
		fmt.Println("\nquality findings:")
		for _, w := range res.Warnings {
			fmt.Printf("  ! %s\n", w)
		}
	}
	fmt.Println("\nexplanation:")
	for _, s := range res.Explain() {
		fmt.Printf("  [%s] %s\n", s.Key, s.Text)
	}

	fmt.Println("\napproval gate:")
	ap, err := riskeval.Gate(a, profile)
	if err != nil {
		fmt.Println("  refused:")
		for _, p := range ssra.ProblemsOf(err) {
			fmt.Printf("  - %s\n", p)
		}
	} else {
		fmt.Printf("  passes: %s, imposing %d measures on the parties concerned\n", ap.Outcome, len(ap.Imposed))
	}

	// The same project with its measures not yet credible: the residual
	// estimates stay where they were, and the gate refuses.
	b := plant()
	for i := range b.Factors {
		r := b.Factors[i].Initial
		b.Factors[i].Residual = &r
	}
	if _, err := riskeval.Gate(b, profile); err != nil {
		fmt.Println("  without credible measures the gate refuses:")
		for _, p := range ssra.ProblemsOf(err) {
			fmt.Printf("  - %s\n", strings.TrimSpace(p.String()))
		}
	}
	return nil
}
