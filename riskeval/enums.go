package riskeval

import (
	"fmt"

	"github.com/ssra-go/ssra"
)

// enumText and parseEnum implement the text forms of the closed sets below:
// names[0] is the text of the zero value ("" where the zero value means
// unset and is not valid input).
func enumText(v uint8, names []string, typ string) ([]byte, error) {
	if int(v) >= len(names) || names[v] == "" {
		return nil, fmt.Errorf("riskeval: invalid %s %d", typ, v)
	}
	return []byte(names[v]), nil
}

// enumAppend appends the text of v to b as enumText returns it; the JSON
// encoder of results calls it through AppendText without allocating.
func enumAppend(b []byte, v uint8, names []string, typ string) ([]byte, error) {
	if int(v) >= len(names) || names[v] == "" {
		return b, fmt.Errorf("riskeval: invalid %s %d", typ, v)
	}
	return append(b, names[v]...), nil
}

func parseEnum(b []byte, names []string, typ string) (uint8, error) {
	for i, n := range names {
		if n != "" && n == string(b) {
			return uint8(i), nil
		}
	}
	return 0, fmt.Errorf("unknown %s %q (want one of %v)", typ, b, nonEmpty(names))
}

func nonEmpty(names []string) []string {
	out := make([]string, 0, len(names))
	for _, n := range names {
		if n != "" {
			out = append(out, n)
		}
	}
	return out
}

func enumString(v uint8, names []string) string {
	if int(v) < len(names) && names[v] != "" {
		return names[v]
	}
	return fmt.Sprintf("invalid(%d)", v)
}

// Level is a risk level (风险等级): low, medium or high. The zero value is
// "no level" and is not valid input. Levels are ordered: LevelLow <
// LevelMedium < LevelHigh.
type Level uint8

// The risk levels.
const (
	LevelNone   Level = iota // no level (unset)
	LevelLow                 // 低
	LevelMedium              // 中
	LevelHigh                // 高
)

var levelNames = []string{"", "low", "medium", "high"}
var levelLabels = []ssra.Label{{}, ssra.L("低风险", "low"), ssra.L("中风险", "medium"), ssra.L("高风险", "high")}

// String returns "low", "medium" or "high".
func (l Level) String() string { return enumString(uint8(l), levelNames) }

// Label returns the bilingual label.
func (l Level) Label() ssra.Label {
	if int(l) < len(levelLabels) {
		return levelLabels[l]
	}
	return ssra.Label{}
}

// Valid reports whether l is low, medium or high.
func (l Level) Valid() bool { return l >= LevelLow && l <= LevelHigh }

// MarshalText encodes the level name.
func (l Level) MarshalText() ([]byte, error) { return enumText(uint8(l), levelNames, "level") }

// AppendText appends the level name to b.
func (l Level) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, uint8(l), levelNames, "level")
}

// UnmarshalText decodes a level name and rejects unknown text.
func (l *Level) UnmarshalText(b []byte) error {
	v, err := parseEnum(b, levelNames, "level")
	*l = Level(v)
	return err
}

// Degree is the degree of a single risk on the probability × impact matrix
// (风险程度): N 微小, L 较小, M 一般, H 较大, S 重大. The zero value is unset.
type Degree uint8

// The degrees, ordered from least to most serious.
const (
	DegreeNone Degree = iota // unset
	DegreeN                  // 微小 negligible
	DegreeL                  // 较小 minor
	DegreeM                  // 一般 moderate
	DegreeH                  // 较大 major
	DegreeS                  // 重大 severe
)

var degreeNames = []string{"", "n", "l", "m", "h", "s"}
var degreeLabels = []ssra.Label{{}, ssra.L("微小", "negligible"), ssra.L("较小", "minor"), ssra.L("一般", "moderate"), ssra.L("较大", "major"), ssra.L("重大", "severe")}

// String returns "n", "l", "m", "h" or "s".
func (d Degree) String() string { return enumString(uint8(d), degreeNames) }

// Label returns the bilingual label.
func (d Degree) Label() ssra.Label {
	if int(d) < len(degreeLabels) {
		return degreeLabels[d]
	}
	return ssra.Label{}
}

// Valid reports whether d is one of N, L, M, H, S.
func (d Degree) Valid() bool { return d >= DegreeN && d <= DegreeS }

// MarshalText encodes the degree letter.
func (d Degree) MarshalText() ([]byte, error) { return enumText(uint8(d), degreeNames, "degree") }

// AppendText appends the degree name to b.
func (d Degree) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, uint8(d), degreeNames, "degree")
}

// UnmarshalText decodes a degree letter and rejects unknown text.
func (d *Degree) UnmarshalText(b []byte) error {
	v, err := parseEnum(b, degreeNames, "degree")
	*d = Degree(v)
	return err
}

// Outcome is what a regime makes of a residual level. The set is closed.
type Outcome uint8

// The outcomes.
const (
	OutcomeNone                Outcome = iota // unset
	OutcomeApprove                            // 批准 / 可以决策
	OutcomeApproveWithMeasures                // 批准并落实措施 (the approval imposes the measures)
	OutcomeReviseAndReassess                  // 调整方案后重新评估
	OutcomeReject                             // 不予批准 / 不实施
)

var outcomeNames = []string{"", "approve", "approve_with_measures", "revise_and_reassess", "reject"}
var outcomeLabels = []ssra.Label{{}, ssra.L("可以批准（决策）", "approve"), ssra.L("落实防范化解措施后批准", "approve with measures"), ssra.L("调整方案后重新评估", "revise and reassess"), ssra.L("不予批准（暂缓或不实施）", "reject")}

// String returns the outcome's snake_case name.
func (o Outcome) String() string { return enumString(uint8(o), outcomeNames) }

// Label returns the bilingual label.
func (o Outcome) Label() ssra.Label {
	if int(o) < len(outcomeLabels) {
		return outcomeLabels[o]
	}
	return ssra.Label{}
}

// Valid reports whether o is one of the four outcomes.
func (o Outcome) Valid() bool { return o >= OutcomeApprove && o <= OutcomeReject }

// Permits reports whether the outcome allows approval: approve or
// approve_with_measures.
func (o Outcome) Permits() bool { return o == OutcomeApprove || o == OutcomeApproveWithMeasures }

// MarshalText encodes the outcome name.
func (o Outcome) MarshalText() ([]byte, error) { return enumText(uint8(o), outcomeNames, "outcome") }

// AppendText appends the outcome name to b.
func (o Outcome) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, uint8(o), outcomeNames, "outcome")
}

// UnmarshalText decodes an outcome name and rejects unknown text.
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := parseEnum(b, outcomeNames, "outcome")
	*o = Outcome(v)
	return err
}

// Stage is the project stage a factor belongs to. The set is closed.
type Stage uint8

// The stages.
const (
	StageNone         Stage = iota // unset
	StagePreparation               // 前期
	StageConstruction              // 施工期
	StageOperation                 // 运营期
)

var stageNames = []string{"", "preparation", "construction", "operation"}
var stageLabels = []ssra.Label{{}, ssra.L("前期", "preparation"), ssra.L("施工期", "construction"), ssra.L("运营期", "operation")}

// String returns the stage name.
func (s Stage) String() string { return enumString(uint8(s), stageNames) }

// Label returns the bilingual label.
func (s Stage) Label() ssra.Label {
	if int(s) < len(stageLabels) {
		return stageLabels[s]
	}
	return ssra.Label{}
}

// MarshalText encodes the stage name.
func (s Stage) MarshalText() ([]byte, error) { return enumText(uint8(s), stageNames, "stage") }

// UnmarshalText decodes a stage name and rejects unknown text.
func (s *Stage) UnmarshalText(b []byte) error {
	v, err := parseEnum(b, stageNames, "stage")
	*s = Stage(v)
	return err
}

// Area is one of the eight risk identification areas of the 2013 NDRC
// outline (风险识别范围). The set is closed.
type Area uint8

// The eight areas.
const (
	AreaNone                   Area = iota // unset
	AreaPolicyApproval                     // 政策规划和审批程序
	AreaLandExpropriation                  // 土地房屋征收征用
	AreaTechnicalEconomic                  // 技术和经济方案
	AreaEcologicalEnvironment              // 生态环境影响
	AreaConstructionManagement             // 项目建设管理
	AreaEconomicSocialImpact               // 当地经济社会影响
	AreaSafetyPublicOrder                  // 质量安全和社会治安
	AreaMediaOpinion                       // 媒体舆论导向
)

var areaNames = []string{"", "policy_approval", "land_expropriation", "technical_economic", "ecological_environment", "construction_management", "economic_social_impact", "safety_public_order", "media_opinion"}
var areaLabels = []ssra.Label{{},
	ssra.L("政策规划和审批程序", "policy, planning and approval procedure"),
	ssra.L("土地房屋征收征用", "land and housing expropriation or requisition"),
	ssra.L("技术和经济方案", "technical and economic scheme"),
	ssra.L("生态环境影响", "ecological and environmental impact"),
	ssra.L("项目建设管理", "construction management"),
	ssra.L("当地经济社会影响", "local economic and social impact"),
	ssra.L("质量安全和社会治安", "quality, safety and public order"),
	ssra.L("媒体舆论导向", "media and public-opinion orientation"),
}

// Areas returns the eight areas in catalogue order.
func Areas() []Area {
	return []Area{AreaPolicyApproval, AreaLandExpropriation, AreaTechnicalEconomic, AreaEcologicalEnvironment, AreaConstructionManagement, AreaEconomicSocialImpact, AreaSafetyPublicOrder, AreaMediaOpinion}
}

// String returns the area identifier.
func (a Area) String() string { return enumString(uint8(a), areaNames) }

// Label returns the bilingual label.
func (a Area) Label() ssra.Label {
	if int(a) < len(areaLabels) {
		return areaLabels[a]
	}
	return ssra.Label{}
}

// Valid reports whether a is one of the eight areas.
func (a Area) Valid() bool { return a >= AreaPolicyApproval && a <= AreaMediaOpinion }

// MarshalText encodes the area identifier.
func (a Area) MarshalText() ([]byte, error) { return enumText(uint8(a), areaNames, "area") }

// AppendText appends the area name to b.
func (a Area) AppendText(b []byte) ([]byte, error) {
	return enumAppend(b, uint8(a), areaNames, "area")
}

// UnmarshalText decodes an area identifier and rejects unknown text.
func (a *Area) UnmarshalText(b []byte) error {
	v, err := parseEnum(b, areaNames, "area")
	*a = Area(v)
	return err
}

// Criterion is an assessment criterion (评估内容). The default set is the
// first four; safety is optional (some provinces, land expropriation).
type Criterion uint8

// The criteria.
const (
	CriterionNone            Criterion = iota // unset
	CriterionLegality                         // 合法性
	CriterionReasonableness                   // 合理性
	CriterionFeasibility                      // 可行性
	CriterionControllability                  // 可控性
	CriterionSafety                           // 安全性 (optional)
)

var criterionNames = []string{"", "legality", "reasonableness", "feasibility", "controllability", "safety"}
var criterionLabels = []ssra.Label{{}, ssra.L("合法性", "legality"), ssra.L("合理性", "reasonableness"), ssra.L("可行性", "feasibility"), ssra.L("可控性", "controllability"), ssra.L("安全性", "safety")}

// String returns the criterion name.
func (c Criterion) String() string { return enumString(uint8(c), criterionNames) }

// Label returns the bilingual label.
func (c Criterion) Label() ssra.Label {
	if int(c) < len(criterionLabels) {
		return criterionLabels[c]
	}
	return ssra.Label{}
}

// Valid reports whether c is a known criterion.
func (c Criterion) Valid() bool { return c >= CriterionLegality && c <= CriterionSafety }

// MarshalText encodes the criterion name.
func (c Criterion) MarshalText() ([]byte, error) {
	return enumText(uint8(c), criterionNames, "criterion")
}

// UnmarshalText decodes a criterion name and rejects unknown text.
func (c *Criterion) UnmarshalText(b []byte) error {
	v, err := parseEnum(b, criterionNames, "criterion")
	*c = Criterion(v)
	return err
}

// Answer is the finding on one criterion question. The zero value means
// unanswered.
type Answer uint8

// The answers.
const (
	AnswerNone   Answer = iota // unanswered
	AnswerYes                  // 是
	AnswerNo                   // 否
	AnswerPartly               // 部分
)

var answerNames = []string{"", "yes", "no", "partly"}

// String returns "yes", "no" or "partly".
func (a Answer) String() string { return enumString(uint8(a), answerNames) }

// MarshalText encodes the answer.
func (a Answer) MarshalText() ([]byte, error) {
	if a == AnswerNone {
		return []byte{}, nil
	}
	return enumText(uint8(a), answerNames, "answer")
}

// UnmarshalText decodes "yes", "no" or "partly"; empty text is unanswered.
func (a *Answer) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*a = AnswerNone
		return nil
	}
	v, err := parseEnum(b, answerNames, "answer")
	*a = Answer(v)
	return err
}

// SubjectKind says whether the assessed subject is a project or a decision.
type SubjectKind uint8

// The subject kinds.
const (
	SubjectNone     SubjectKind = iota // unset
	SubjectProject                     // 重大项目
	SubjectDecision                    // 重大决策 / 重大行政决策
)

var subjectKindNames = []string{"", "project", "decision"}

// String returns "project" or "decision".
func (k SubjectKind) String() string { return enumString(uint8(k), subjectKindNames) }

// MarshalText encodes the kind.
func (k SubjectKind) MarshalText() ([]byte, error) {
	return enumText(uint8(k), subjectKindNames, "subject kind")
}

// UnmarshalText decodes "project" or "decision".
func (k *SubjectKind) UnmarshalText(b []byte) error {
	v, err := parseEnum(b, subjectKindNames, "subject kind")
	*k = SubjectKind(v)
	return err
}

// ConsultationMethod is a way the assessing body hears the public and
// experts (征求意见方式).
type ConsultationMethod uint8

// The consultation methods.
const (
	ConsultationNone          ConsultationMethod = iota // unset
	ConsultationPublicNotice                            // 公示
	ConsultationQuestionnaire                           // 问卷调查
	ConsultationFieldVisit                              // 实地走访
	ConsultationForum                                   // 座谈会
	ConsultationHearing                                 // 听证会
	ConsultationExpertReview                            // 专家论证
)

var consultationNames = []string{"", "public_notice", "questionnaire", "field_visit", "forum", "hearing", "expert_review"}
var consultationLabels = []ssra.Label{{}, ssra.L("公示", "public notice"), ssra.L("问卷调查", "questionnaire"), ssra.L("实地走访", "field visit"), ssra.L("座谈会", "forum"), ssra.L("听证会", "hearing"), ssra.L("专家论证", "expert review")}

// String returns the method name.
func (m ConsultationMethod) String() string { return enumString(uint8(m), consultationNames) }

// Label returns the bilingual label.
func (m ConsultationMethod) Label() ssra.Label {
	if int(m) < len(consultationLabels) {
		return consultationLabels[m]
	}
	return ssra.Label{}
}

// MarshalText encodes the method name.
func (m ConsultationMethod) MarshalText() ([]byte, error) {
	return enumText(uint8(m), consultationNames, "consultation method")
}

// UnmarshalText decodes a method name and rejects unknown text.
func (m *ConsultationMethod) UnmarshalText(b []byte) error {
	v, err := parseEnum(b, consultationNames, "consultation method")
	*m = ConsultationMethod(v)
	return err
}

// Basis says where a number comes from: a national text (law) or common
// practice with no national number (practice).
type Basis uint8

// The bases.
const (
	BasisNone     Basis = iota // unset
	BasisLaw                   // fixed by a national text
	BasisPractice              // common practice; overridable
)

var basisNames = []string{"", "law", "practice"}

// String returns "law" or "practice".
func (b Basis) String() string { return enumString(uint8(b), basisNames) }

// MarshalText encodes the basis.
func (b Basis) MarshalText() ([]byte, error) { return enumText(uint8(b), basisNames, "basis") }

// AppendText appends the basis name to b.
func (b Basis) AppendText(dst []byte) ([]byte, error) {
	return enumAppend(dst, uint8(b), basisNames, "basis")
}

// UnmarshalText decodes "law" or "practice".
func (b *Basis) UnmarshalText(t []byte) error {
	v, err := parseEnum(t, basisNames, "basis")
	*b = Basis(v)
	return err
}
