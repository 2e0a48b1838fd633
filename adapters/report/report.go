package report

import (
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// Input is everything a report is rendered from: the assessment as it was
// evaluated, its result, the profile that produced the result (for the
// scale labels and the matrix of the heat map), the language, the time the
// report is generated (passed in: rendering never reads the clock), and the
// report metadata that the assessment itself does not hold.
type Input struct {
	Assessment riskeval.Assessment
	Result     riskeval.Result
	Profile    riskeval.Profile
	Lang       ssra.Lang
	// Generated is the generation time printed on the report, shown in
	// Location.
	Generated time.Time
	// Location is the time zone the report shows times in; nil means
	// China Standard Time (UTC+8, 北京时间), whatever zone Generated
	// carries.
	Location *time.Location
	Meta     Meta
	// Tracking is the follow-through of the measures the approval imposed
	// (稳评措施落实), nil until a decision imposes measures; with it the
	// report gains the section on the measures' implementation (措施落实情况).
	Tracking *riskeval.Tracking
	// TrackedAt is the date the measures' states are shown at (an open
	// measure past its due date is overdue then); required with Tracking.
	TrackedAt ssra.Date
	// Sensitivity is the robustness of Result (riskeval.Sensitivity of the
	// same assessment and profile), nil to leave it out; with it the report
	// states the residual margin in a plain sentence, the level
	// distribution over the panel's ratings when there is one, and draws
	// the tornado chart (see Tornado).
	Sensitivity *riskeval.SensitivityResult
}

// Meta is the part of the assessing body's report (评估报告) that the
// assessment does not hold: the overview of the subject, the basis
// documents, the panel members, the process and methods, the main opinions
// received and how they were handled, the assessing body's recommendations
// and the summary of the emergency plan. Every field is optional. It holds
// no member of the public: opinions are themes with counts.
type Meta struct {
	// Overview describes the subject and its social environment (项目概况).
	Overview string `json:"overview,omitempty"`
	// Basis lists the laws, rules and documents the assessment rests on (评估依据).
	Basis []string `json:"basis,omitempty"`
	// Members are the members of the assessing panel (评估小组成员): experts
	// and staff of the assessing body, never members of the public.
	Members []PanelMember `json:"members,omitempty"`
	// Process lists the steps of the assessment (评估过程) in order.
	Process []ProcessStep `json:"process,omitempty"`
	// Methods names the methods used (评估方法), e.g. "expert scoring".
	Methods []string `json:"methods,omitempty"`
	// Opinions are the main opinions received, as themes with counts, and
	// how each was handled (意见采纳情况).
	Opinions []OpinionTheme `json:"opinions,omitempty"`
	// Recommendations are the assessing body's opinion and recommendations
	// (评估主体意见和建议), one paragraph each.
	Recommendations []string `json:"recommendations,omitempty"`
	// EmergencyPlan summarises the emergency plan (应急处置预案要点), one
	// point each; the plan's title is Assessment.EmergencyPlan.
	EmergencyPlan []string `json:"emergency_plan,omitempty"`
}

// PanelMember is one member of the assessing panel.
type PanelMember struct {
	Name        string `json:"name"`
	Role        string `json:"role,omitempty"`
	Affiliation string `json:"affiliation,omitempty"`
	Field       string `json:"field,omitempty"`
}

// ProcessStep is one step of the assessment process with its date.
type ProcessStep struct {
	Date ssra.Date `json:"date,omitzero"`
	Text string    `json:"text"`
}

// OpinionTheme is one theme of the opinions received (意见), how many
// opinions raised it, whether it was adopted and the response given.
type OpinionTheme struct {
	Theme    string   `json:"theme"`
	Count    int      `json:"count"`
	Adoption Adoption `json:"adoption"`
	Response string   `json:"response,omitempty"`
}

// Validate returns every problem that prevents rendering: a language that
// is neither zh-CN nor en, a missing generation time, a result that was not
// evaluated, a profile other than the one that produced the result, a
// result whose factors do not match the assessment's, an estimate outside
// the profile's scales, a sensitivity analysis of another evaluation, and
// malformed metadata. Codes are stable
// ("report.*"), fields are paths such as "result.factors[2].id".
func (in Input) Validate() ssra.Problems {
	var ps ssra.Problems
	if in.Lang != ssra.LangZH && in.Lang != ssra.LangEN {
		ps.Add("report.lang_unknown", "lang", "language must be zh-CN or en")
	}
	if in.Generated.IsZero() {
		ps.Add("report.generated_missing", "generated", "give the generation time to print on the report")
	}
	r := &in.Result
	if r.Profile.Name == "" || !r.Decision.Outcome.Valid() {
		ps.Add("report.result_missing", "result", "the result is empty: evaluate the assessment first")
		return ps
	}
	checkProfile(&ps, in.Profile.Def(), *r)
	if len(r.Factors) != len(in.Assessment.Factors) {
		ps.Add("report.factor_count", "result.factors", "the result has %d factors, the assessment %d: render the result of this assessment", len(r.Factors), len(in.Assessment.Factors))
	} else {
		for i, f := range r.Factors {
			if f.ID != in.Assessment.Factors[i].ID {
				ps.Add("report.factor_mismatch", ssra.Index("result.factors", i)+".id", "result factor %q does not match assessment factor %q", f.ID, in.Assessment.Factors[i].ID)
			}
		}
	}
	for i, o := range in.Meta.Opinions {
		field := ssra.Index("meta.opinions", i)
		if o.Theme == "" {
			ps.Add("report.opinion_theme_missing", field+".theme", "name the theme of the opinions")
		}
		if o.Count < 0 {
			ps.Add("report.opinion_count_negative", field+".count", "the count must not be negative")
		}
		if !o.Adoption.Valid() {
			ps.Add("report.opinion_adoption_unknown", field+".adoption", "adoption must be one of %v", adoptions.Names())
		}
	}
	for i, m := range in.Meta.Members {
		if m.Name == "" {
			ps.Add("report.member_name_missing", ssra.Index("meta.members", i)+".name", "name the panel member")
		}
	}
	checkTracking(&ps, &in)
	if in.Sensitivity != nil {
		checkSensitivity(&ps, in.Sensitivity, r)
	}
	return ps
}

// checkProfile checks that p is the profile that produced r and that every
// estimate of r lies on its scales.
func checkProfile(ps *ssra.Problems, p riskeval.ProfileDef, r riskeval.Result) {
	if p.Name != r.Profile.Name || p.Version != r.Profile.Version {
		ps.Add("report.profile_mismatch", "profile", "the result was produced by profile %s v%s, not %s v%s", r.Profile.Name, r.Profile.Version, p.Name, p.Version)
		return
	}
	if (p.Matrix != nil) != r.Rules.Matrix {
		ps.Add("report.profile_mismatch", "profile.matrix", "the result and the profile disagree on the matrix")
	}
	np, ni := len(p.Probability.Points), len(p.Impact.Points)
	if np == 0 || ni == 0 || np != len(r.Rules.ProbabilityGrades) || ni != len(r.Rules.ImpactGrades) {
		ps.Add("report.profile_mismatch", "profile.probability", "the profile's scales do not match the grades recorded in the result")
		return
	}
	for i, f := range r.Factors {
		for _, e := range []struct {
			name string
			x    riskeval.EstimateResult
		}{{"initial", f.Initial}, {"residual", f.Residual}} {
			if e.x.Probability < 1 || e.x.Probability > np || e.x.Impact < 1 || e.x.Impact > ni {
				ps.Add("report.estimate_out_of_scale", ssra.Index("result.factors", i)+"."+e.name, "estimate (%d, %d) lies outside the %d×%d scales", e.x.Probability, e.x.Impact, np, ni)
			}
		}
	}
}
