package riskeval

import (
	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// Assessment is a social stability risk assessment (社会稳定风险评估) of one
// project or decision: its subject, the findings on each criterion, the risk
// factors with their estimates before and after measures, the consultation
// of the public and experts, an optional survey, and the expert panel. It
// holds no named member of the public: consultations and surveys are
// aggregate counts and organisations.
type Assessment struct {
	ID      string  `json:"id,omitempty"`
	Subject Subject `json:"subject"`
	// Regime is the id of the decision regime the assessment is made under
	// (ndrc2012_project, central2012_decision, order713_2019 or a custom one
	// defined by the profile).
	Regime string `json:"regime"`
	// Status is the assessment's workflow state; the approval gate requires
	// StatusIssued.
	Status Status `json:"status,omitempty"`
	// Criteria are the findings on the criteria questions.
	Criteria []CriterionAnswer `json:"criteria,omitempty"`
	// Factors are the identified risk factors (风险因素).
	Factors []Factor `json:"factors"`
	// Consultations are the ways the public and experts were heard.
	Consultations []Consultation `json:"consultations,omitempty"`
	// Survey is the public-opinion survey (民意调查), as aggregate counts.
	Survey *Survey `json:"survey,omitempty"`
	// Panel is the expert panel (专家组).
	Panel *Panel `json:"panel,omitempty"`
	// EmergencyPlan says whether an emergency plan (应急处置预案) exists and
	// where it is filed.
	EmergencyPlan string `json:"emergency_plan,omitempty"`
	// Workflow records the writer, the reviewer, the transitions and the
	// evaluation frozen at issue.
	Workflow Workflow `json:"workflow,omitzero"`
	// NormaliseWeights asks Evaluate to rescale factor weights that do not
	// sum to 1; the rescaling is shown in the result.
	NormaliseWeights bool `json:"normalise_weights,omitempty"`
	// FollowUpOf links a follow-up assessment (跟踪评估) to the issued
	// assessment it follows; see Tracking.OpenFollowUp.
	FollowUpOf *FollowUpLink `json:"follow_up_of,omitempty"`
}

// Subject is what is assessed: a major project (重大项目) or a major decision
// (重大决策).
type Subject struct {
	Kind SubjectKind `json:"kind"`
	Name string      `json:"name"`
	// ResponsibleUnit is the proposing or responsible unit (项目单位 / 决策承办单位).
	ResponsibleUnit string `json:"responsible_unit"`
	// AssessingBody is the designated assessing body (评估主体).
	AssessingBody string `json:"assessing_body,omitempty"`
	Location      string `json:"location,omitempty"`
	// Investment is the total investment in yuan, when known; it decides the
	// panel size under the profile's panel rule.
	Investment decimal.Decimal `json:"investment,omitzero"`
}

// CriterionAnswer is the finding on one question of a criterion, with its
// evidence and the ids of the measures that address a negative finding.
type CriterionAnswer struct {
	Criterion Criterion `json:"criterion"`
	Question  string    `json:"question"`
	Answer    Answer    `json:"answer"`
	Evidence  string    `json:"evidence,omitempty"`
	Measures  []string  `json:"measures,omitempty"`
}

// Factor is one risk factor (风险因素) with its estimates before and after
// measures.
type Factor struct {
	ID   string `json:"id"`
	Area Area   `json:"area"`
	Name string `json:"name"`
	// CatalogueID links the factor to the shipped catalogue, when it came from it.
	CatalogueID string `json:"catalogue_id,omitempty"`
	Stage       Stage  `json:"stage,omitempty"`
	// AffectedGroups are groups of people affected (e.g. "village households
	// within 1 km"), never named persons.
	AffectedGroups []string `json:"affected_groups,omitempty"`
	// Owner is the party responsible for the factor.
	Owner  string          `json:"owner,omitempty"`
	Weight decimal.Decimal `json:"weight"`
	// Initial is the estimate before new measures (初始风险).
	Initial Estimate `json:"initial"`
	// Residual is the estimate once the measures are in place (落实措施后风险);
	// it is the one that decides.
	Residual *Estimate `json:"residual,omitempty"`
	Measures []Measure `json:"measures,omitempty"`
}

// Estimate rates one factor on the profile's scales: probability (发生概率)
// and impact (影响程度), each a point number 1..n. An estimate may instead
// carry the panel members' Ratings: the evaluation then uses their
// aggregate under the profile's panel rule (Probability and Impact left 0,
// or equal to it) and reports the panel's agreement.
type Estimate struct {
	Probability int      `json:"probability,omitempty"`
	Impact      int      `json:"impact,omitempty"`
	Ratings     []Rating `json:"ratings,omitempty"`
}

// Measure is a prevention or mitigation measure (防范化解措施) with the party
// that owns it and its due date.
type Measure struct {
	ID          string    `json:"id"`
	Description string    `json:"description"`
	Owner       string    `json:"owner"`
	Due         ssra.Date `json:"due,omitzero"`
}

// Consultation is one way the public or experts were heard: method, date,
// number of participants and the organisations present, comment period,
// opinions received and adopted (采纳情况). It never names individuals.
type Consultation struct {
	Method        ConsultationMethod `json:"method"`
	Date          ssra.Date          `json:"date"`
	Participants  int                `json:"participants"`
	Organisations []string           `json:"organisations,omitempty"`
	// CommentDays is the public comment period in days (征求意见期限).
	CommentDays      int `json:"comment_days,omitempty"`
	OpinionsReceived int `json:"opinions_received,omitempty"`
	OpinionsAdopted  int `json:"opinions_adopted,omitempty"`
	// ShortenedReason states why the comment period is shorter than the
	// regime's minimum, as Order 713 art. 15 asks when urgency shortens it
	// (因情况紧急等原因需要缩短期限的，应当予以说明).
	ShortenedReason string `json:"shortened_reason,omitempty"`
}

// Survey is a public-opinion survey as aggregate counts: how many
// questionnaires were distributed, the sampling frame, and how many valid
// answers supported, were neutral or opposed. There are no respondent
// records.
type Survey struct {
	// Frame describes who was sampled and how (抽样框), e.g. "households
	// within 3 km, stratified by village".
	Frame       string `json:"frame"`
	Distributed int    `json:"distributed"`
	Support     int    `json:"support"`
	Neutral     int    `json:"neutral"`
	Oppose      int    `json:"oppose"`
}

// Valid returns the number of valid answers.
func (s Survey) Valid() int { return s.Support + s.Neutral + s.Oppose }

// Panel is the expert panel (专家组): its size, the members who recused
// themselves for an interest, and the writer and reviewer of the report, who
// must differ (编审分离).
type Panel struct {
	Size     int    `json:"size"`
	Recusals int    `json:"recusals,omitempty"`
	Writer   string `json:"writer,omitempty"`
	Reviewer string `json:"reviewer,omitempty"`
	// Members are the panel's members; ratings name them by id.
	Members []PanelMember `json:"members,omitempty"`
	// Rounds are the Delphi rounds held, in order; the factors' ratings are
	// those of the last round.
	Rounds []DelphiRound `json:"rounds,omitempty"`
}

// DecodeAssessment decodes one assessment strictly (internal/strictjson:
// unknown or misspelt members, duplicate members, unknown enum values,
// trailing data and excessive nesting are refused) with a *ssra.Error of
// KindInvalid naming the field. It does not validate the content against a
// profile; Validate and Evaluate do.
func DecodeAssessment(data []byte) (Assessment, error) {
	var a Assessment
	if err := strictjson.Decode(data, &a, "riskeval.DecodeAssessment"); err != nil {
		return Assessment{}, err
	}
	return a, nil
}
