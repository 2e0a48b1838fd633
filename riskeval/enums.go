package riskeval

import "github.com/ssra-go/ssra"

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

var levels = ssra.NewEnum[Level]("level",
	ssra.M("low", "低风险", "low"),
	ssra.M("medium", "中风险", "medium"),
	ssra.M("high", "高风险", "high"),
)

// String returns the level's snake_case name.
func (l Level) String() string { return levels.String(l) }

// Valid reports whether l is a level.
func (l Level) Valid() bool { return levels.Valid(l) }

// Label returns the level's name for people in lang.
func (l Level) Label(lang ssra.Lang) string { return levels.Label(l, lang) }

// MarshalText encodes the level as its name and refuses an unset one.
func (l Level) MarshalText() ([]byte, error) { return levels.MarshalText(l) }

// AppendText appends the level's name to b.
func (l Level) AppendText(b []byte) ([]byte, error) { return levels.AppendText(b, l) }

// UnmarshalText decodes a level name and rejects unknown text.
func (l *Level) UnmarshalText(b []byte) error { return levels.UnmarshalText(l, b) }

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

var degrees = ssra.NewEnum[Degree]("degree",
	ssra.M("n", "微小", "negligible"),
	ssra.M("l", "较小", "minor"),
	ssra.M("m", "一般", "moderate"),
	ssra.M("h", "较大", "major"),
	ssra.M("s", "重大", "severe"),
)

// String returns the degree's snake_case name.
func (d Degree) String() string { return degrees.String(d) }

// Valid reports whether d is a degree.
func (d Degree) Valid() bool { return degrees.Valid(d) }

// Label returns the degree's name for people in lang.
func (d Degree) Label(lang ssra.Lang) string { return degrees.Label(d, lang) }

// MarshalText encodes the degree as its name and refuses an unset one.
func (d Degree) MarshalText() ([]byte, error) { return degrees.MarshalText(d) }

// AppendText appends the degree's name to b.
func (d Degree) AppendText(b []byte) ([]byte, error) { return degrees.AppendText(b, d) }

// UnmarshalText decodes a degree name and rejects unknown text.
func (d *Degree) UnmarshalText(b []byte) error { return degrees.UnmarshalText(d, b) }

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

var outcomes = ssra.NewEnum[Outcome]("outcome",
	ssra.M("approve", "可以批准（决策）", "approve"),
	ssra.M("approve_with_measures", "落实防范化解措施后批准", "approve with measures"),
	ssra.M("revise_and_reassess", "调整方案后重新评估", "revise and reassess"),
	ssra.M("reject", "不予批准（暂缓或不实施）", "reject"),
)

// String returns the outcome's snake_case name.
func (o Outcome) String() string { return outcomes.String(o) }

// Valid reports whether o is an outcome.
func (o Outcome) Valid() bool { return outcomes.Valid(o) }

// Label returns the outcome's name for people in lang.
func (o Outcome) Label(lang ssra.Lang) string { return outcomes.Label(o, lang) }

// MarshalText encodes the outcome as its name and refuses an unset one.
func (o Outcome) MarshalText() ([]byte, error) { return outcomes.MarshalText(o) }

// AppendText appends the outcome's name to b.
func (o Outcome) AppendText(b []byte) ([]byte, error) { return outcomes.AppendText(b, o) }

// UnmarshalText decodes an outcome name and rejects unknown text.
func (o *Outcome) UnmarshalText(b []byte) error { return outcomes.UnmarshalText(o, b) }

// Permits reports whether the outcome allows approval: approve or
// approve_with_measures.
func (o Outcome) Permits() bool { return o == OutcomeApprove || o == OutcomeApproveWithMeasures }

// Stage is the project stage a factor belongs to. The set is closed.
type Stage uint8

// The stages.
const (
	StageNone         Stage = iota // unset
	StagePreparation               // 前期
	StageConstruction              // 施工期
	StageOperation                 // 运营期
)

var stages = ssra.NewEnum[Stage]("stage",
	ssra.M("preparation", "前期", "preparation"),
	ssra.M("construction", "施工期", "construction"),
	ssra.M("operation", "运营期", "operation"),
)

// String returns the stage's snake_case name.
func (s Stage) String() string { return stages.String(s) }

// Valid reports whether s is a stage.
func (s Stage) Valid() bool { return stages.Valid(s) }

// Label returns the stage's name for people in lang.
func (s Stage) Label(lang ssra.Lang) string { return stages.Label(s, lang) }

// MarshalText encodes the stage as its name and refuses an unset one.
func (s Stage) MarshalText() ([]byte, error) { return stages.MarshalText(s) }

// UnmarshalText decodes a stage name and rejects unknown text.
func (s *Stage) UnmarshalText(b []byte) error { return stages.UnmarshalText(s, b) }

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

var areas = ssra.NewEnum[Area]("area",
	ssra.M("policy_approval", "政策规划和审批程序", "policy, planning and approval procedure"),
	ssra.M("land_expropriation", "土地房屋征收征用", "land and housing expropriation or requisition"),
	ssra.M("technical_economic", "技术和经济方案", "technical and economic scheme"),
	ssra.M("ecological_environment", "生态环境影响", "ecological and environmental impact"),
	ssra.M("construction_management", "项目建设管理", "construction management"),
	ssra.M("economic_social_impact", "当地经济社会影响", "local economic and social impact"),
	ssra.M("safety_public_order", "质量安全和社会治安", "quality, safety and public order"),
	ssra.M("media_opinion", "媒体舆论导向", "media and public-opinion orientation"),
)

// String returns the area's snake_case name.
func (a Area) String() string { return areas.String(a) }

// Valid reports whether a is an area.
func (a Area) Valid() bool { return areas.Valid(a) }

// Label returns the area's name for people in lang.
func (a Area) Label(lang ssra.Lang) string { return areas.Label(a, lang) }

// MarshalText encodes the area as its name and refuses an unset one.
func (a Area) MarshalText() ([]byte, error) { return areas.MarshalText(a) }

// AppendText appends the area's name to b.
func (a Area) AppendText(b []byte) ([]byte, error) { return areas.AppendText(b, a) }

// UnmarshalText decodes an area name and rejects unknown text.
func (a *Area) UnmarshalText(b []byte) error { return areas.UnmarshalText(a, b) }

// Areas returns the eight areas in catalogue order.
func Areas() []Area {
	return []Area{AreaPolicyApproval, AreaLandExpropriation, AreaTechnicalEconomic, AreaEcologicalEnvironment, AreaConstructionManagement, AreaEconomicSocialImpact, AreaSafetyPublicOrder, AreaMediaOpinion}
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

var criteria = ssra.NewEnum[Criterion]("criterion",
	ssra.M("legality", "合法性", "legality"),
	ssra.M("reasonableness", "合理性", "reasonableness"),
	ssra.M("feasibility", "可行性", "feasibility"),
	ssra.M("controllability", "可控性", "controllability"),
	ssra.M("safety", "安全性", "safety"),
)

// String returns the criterion's snake_case name.
func (c Criterion) String() string { return criteria.String(c) }

// Valid reports whether c is a criterion.
func (c Criterion) Valid() bool { return criteria.Valid(c) }

// Label returns the criterion's name for people in lang.
func (c Criterion) Label(lang ssra.Lang) string { return criteria.Label(c, lang) }

// MarshalText encodes the criterion as its name and refuses an unset one.
func (c Criterion) MarshalText() ([]byte, error) { return criteria.MarshalText(c) }

// UnmarshalText decodes a criterion name and rejects unknown text.
func (c *Criterion) UnmarshalText(b []byte) error { return criteria.UnmarshalText(c, b) }

// Answer is the finding on one criterion question. Its zero value,
// AnswerNone, means unanswered: unlike the zero of the other closed sets it
// is not unset but a state with a wire form (the empty string), because a
// question still without a finding belongs to a valid draft.
type Answer uint8

// The answers.
const (
	AnswerNone   Answer = iota // unanswered
	AnswerYes                  // 是
	AnswerNo                   // 否
	AnswerPartly               // 部分
)

var answers = ssra.NewEnum[Answer]("answer",
	ssra.M("yes", "是", "yes"),
	ssra.M("no", "否", "no"),
	ssra.M("partly", "部分", "partly"),
)

// unanswered labels AnswerNone, which unlike the zero value of the other
// sets is a state (the question has no finding yet) with a wire form: the
// empty string.
var unanswered = ssra.L("未回答", "unanswered")

// String returns "yes", "no" or "partly".
func (a Answer) String() string { return answers.String(a) }

// Valid reports whether a is a finding (yes, no or partly), not AnswerNone.
func (a Answer) Valid() bool { return answers.Valid(a) }

// Label returns the answer's name for people in lang; AnswerNone is
// "unanswered".
func (a Answer) Label(lang ssra.Lang) string {
	if a == AnswerNone {
		return unanswered.In(lang)
	}
	return answers.Label(a, lang)
}

// MarshalText encodes the answer; AnswerNone encodes as the empty string.
func (a Answer) MarshalText() ([]byte, error) {
	if a == AnswerNone {
		return []byte{}, nil
	}
	return answers.MarshalText(a)
}

// UnmarshalText decodes "yes", "no" or "partly"; empty text is unanswered.
func (a *Answer) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*a = AnswerNone
		return nil
	}
	return answers.UnmarshalText(a, b)
}

// SubjectKind says whether the assessed subject is a project or a decision.
type SubjectKind uint8

// The subject kinds.
const (
	SubjectNone     SubjectKind = iota // unset
	SubjectProject                     // 重大项目
	SubjectDecision                    // 重大决策 / 重大行政决策
)

var subjectKinds = ssra.NewEnum[SubjectKind]("subject kind",
	ssra.M("project", "重大项目", "major project"),
	ssra.M("decision", "重大决策", "major decision"),
)

// String returns the subject kind's snake_case name.
func (k SubjectKind) String() string { return subjectKinds.String(k) }

// Valid reports whether k is a subject kind.
func (k SubjectKind) Valid() bool { return subjectKinds.Valid(k) }

// Label returns the subject kind's name for people in lang.
func (k SubjectKind) Label(lang ssra.Lang) string { return subjectKinds.Label(k, lang) }

// MarshalText encodes the subject kind as its name and refuses an unset one.
func (k SubjectKind) MarshalText() ([]byte, error) { return subjectKinds.MarshalText(k) }

// UnmarshalText decodes a subject kind name and rejects unknown text.
func (k *SubjectKind) UnmarshalText(b []byte) error { return subjectKinds.UnmarshalText(k, b) }

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

var consultationMethods = ssra.NewEnum[ConsultationMethod]("consultation method",
	ssra.M("public_notice", "公示", "public notice"),
	ssra.M("questionnaire", "问卷调查", "questionnaire"),
	ssra.M("field_visit", "实地走访", "field visit"),
	ssra.M("forum", "座谈会", "forum"),
	ssra.M("hearing", "听证会", "hearing"),
	ssra.M("expert_review", "专家论证", "expert review"),
)

// String returns the consultation method's snake_case name.
func (m ConsultationMethod) String() string { return consultationMethods.String(m) }

// Valid reports whether m is a consultation method.
func (m ConsultationMethod) Valid() bool { return consultationMethods.Valid(m) }

// Label returns the consultation method's name for people in lang.
func (m ConsultationMethod) Label(lang ssra.Lang) string { return consultationMethods.Label(m, lang) }

// MarshalText encodes the consultation method as its name and refuses an unset one.
func (m ConsultationMethod) MarshalText() ([]byte, error) { return consultationMethods.MarshalText(m) }

// UnmarshalText decodes a consultation method name and rejects unknown text.
func (m *ConsultationMethod) UnmarshalText(b []byte) error {
	return consultationMethods.UnmarshalText(m, b)
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

var bases = ssra.NewEnum[Basis]("basis",
	ssra.M("law", "国家规定", "law"),
	ssra.M("practice", "通行做法", "practice"),
)

// String returns the basis's snake_case name.
func (b Basis) String() string { return bases.String(b) }

// Valid reports whether b is a basis.
func (b Basis) Valid() bool { return bases.Valid(b) }

// Label returns the basis's name for people in lang.
func (b Basis) Label(lang ssra.Lang) string { return bases.Label(b, lang) }

// MarshalText encodes the basis as its name and refuses an unset one.
func (b Basis) MarshalText() ([]byte, error) { return bases.MarshalText(b) }

// AppendText appends the basis's name to dst.
func (b Basis) AppendText(dst []byte) ([]byte, error) { return bases.AppendText(dst, b) }

// UnmarshalText decodes a basis name and rejects unknown text.
func (b *Basis) UnmarshalText(t []byte) error { return bases.UnmarshalText(b, t) }
