package appraisal

import "github.com/ssra-go/ssra"

// GradeSet is the set of annual grades that applies to the staff.
type GradeSet uint8

// The grade sets.
const (
	// CivilServants (公务员): 优秀/称职/基本称职/不称职 (Civil Servant Law 2018, Art 38).
	CivilServants GradeSet = iota + 1
	// PublicInstitutions (事业单位): 优秀/合格/基本合格/不合格.
	PublicInstitutions
)

var gradeSets = ssra.NewEnum[GradeSet]("grade set",
	ssra.M("civil_servants", "公务员", "civil servants"),
	ssra.M("public_institutions", "事业单位", "public institutions"),
)

// String returns the grade set's snake_case name.
func (g GradeSet) String() string { return gradeSets.String(g) }

// Valid reports whether g is a grade set.
func (g GradeSet) Valid() bool { return gradeSets.Valid(g) }

// Label returns the grade set's name for people in lang.
func (g GradeSet) Label(lang ssra.Lang) string { return gradeSets.Label(g, lang) }

// MarshalText encodes the grade set as its name and refuses an unset one.
func (g GradeSet) MarshalText() ([]byte, error) { return gradeSets.MarshalText(g) }

// UnmarshalText decodes a grade set name and rejects unknown text.
func (g *GradeSet) UnmarshalText(b []byte) error { return gradeSets.UnmarshalText(g, b) }

// StaffGrade is an annual appraisal grade (年度考核等次), ordered from the
// best. Its label depends on the grade set.
type StaffGrade uint8

// The grades.
const (
	// Excellent is 优秀.
	Excellent StaffGrade = iota + 1
	// Competent is 称职 (public institutions: 合格).
	Competent
	// BasicallyCompetent is 基本称职 (基本合格).
	BasicallyCompetent
	// Incompetent is 不称职 (不合格).
	Incompetent
	// NoGrade is 不定等次: probationers and staff in certain disciplinary
	// periods get a written comment and no grade.
	NoGrade
)

var staffGrades = ssra.NewEnum[StaffGrade]("staff grade",
	ssra.M("excellent", "优秀", "excellent"),
	ssra.M("competent", "称职", "competent"),
	ssra.M("basically_competent", "基本称职", "basically competent"),
	ssra.M("incompetent", "不称职", "incompetent"),
	ssra.M("no_grade", "不定等次", "no grade"),
)

// String returns the staff grade's snake_case name.
func (g StaffGrade) String() string { return staffGrades.String(g) }

// Valid reports whether g is a staff grade.
func (g StaffGrade) Valid() bool { return staffGrades.Valid(g) }

// Label returns the staff grade's name for people in lang, as the civil
// service names it; LabelIn gives the name in a grade set.
func (g StaffGrade) Label(lang ssra.Lang) string { return staffGrades.Label(g, lang) }

// MarshalText encodes the staff grade as its name and refuses an unset one.
func (g StaffGrade) MarshalText() ([]byte, error) { return staffGrades.MarshalText(g) }

// UnmarshalText decodes a staff grade name and rejects unknown text.
func (g *StaffGrade) UnmarshalText(b []byte) error { return staffGrades.UnmarshalText(g, b) }

// LabelIn returns the grade's name in the grade set, in both languages
// (public institutions say 合格 where the civil service says 称职).
func (g StaffGrade) LabelIn(set GradeSet) ssra.Label {
	pub := set == PublicInstitutions
	switch g {
	case Excellent:
		return ssra.L("优秀", "excellent")
	case Competent:
		if pub {
			return ssra.L("合格", "qualified")
		}
		return ssra.L("称职", "competent")
	case BasicallyCompetent:
		if pub {
			return ssra.L("基本合格", "basically qualified")
		}
		return ssra.L("基本称职", "basically competent")
	case Incompetent:
		if pub {
			return ssra.L("不合格", "unqualified")
		}
		return ssra.L("不称职", "incompetent")
	case NoGrade:
		return ssra.L("不定等次", "no grade")
	}
	return ssra.Label{}
}

// QuotaRules is the rule version that sets the excellent quota (优秀比例).
type QuotaRules uint8

// The rule versions [practice: the figures are reported, the official texts
// were not all seen].
const (
	// Rules2007 is the 2007 trial provisions: generally 15 %, at most 20 %.
	Rules2007 QuotaRules = iota + 1
	// Rules2020 is the 2020 provisions: 20 %, up to 25 % with the approval
	// of the civil-service authority at the same level.
	Rules2020
)

var quotaRuleSet = ssra.NewEnum[QuotaRules]("quota rules",
	ssra.M("rules_2007", "2007年试行规定", "2007 trial provisions"),
	ssra.M("rules_2020", "2020年规定", "2020 provisions"),
)

// String returns the quota rules's snake_case name.
func (q QuotaRules) String() string { return quotaRuleSet.String(q) }

// Valid reports whether q is a quota rules.
func (q QuotaRules) Valid() bool { return quotaRuleSet.Valid(q) }

// Label returns the quota rules's name for people in lang.
func (q QuotaRules) Label(lang ssra.Lang) string { return quotaRuleSet.Label(q, lang) }

// MarshalText encodes the quota rules as its name and refuses an unset one.
func (q QuotaRules) MarshalText() ([]byte, error) { return quotaRuleSet.MarshalText(q) }

// UnmarshalText decodes a quota rules name and rejects unknown text.
func (q *QuotaRules) UnmarshalText(b []byte) error { return quotaRuleSet.UnmarshalText(q, b) }

// Rates returns the general rate and the cap in percent.
func (q QuotaRules) Rates() (general, cap int64) {
	switch q {
	case Rules2007:
		return 15, 20
	case Rules2020:
		return 20, 25
	}
	return 0, 0
}

// Ceiling returns the percentage the number of 优秀 may never exceed, after
// rounding, with or without a recorded approval.
//
// 2007 trial provisions [practice, reported: 北京晨报 2007-01-09; the text
// read "一般掌握在…15%以内，最多不超过20%"]: 15 % is the general rate and
// 20 % the hard cap, with no approval step, so rounding may lift the
// count above 15 % of the base but never above 20 %.
//
// 2020 provisions [practice, reported; official text not seen]: "一般掌握在
// 20%以内", up to 25 % only with the approval of the civil-service
// authority at the same level (经同级公务员主管部门审核同意). Without a
// recorded approval nothing lets the count pass 20 %; with one, 25 %.
func (q QuotaRules) Ceiling(approved bool) int64 {
	general, capRate := q.Rates()
	if q == Rules2020 && !approved {
		return general
	}
	return capRate
}

// SmallUnits says what a run does when its base is too small for one 优秀
// within the ceiling (ceiling × base < 1: under 5 participants at 20 %,
// under 4 at 25 %). Rounding never decides it: the ceiling is a ceiling.
//
// [practice, U] Neither the 2007 nor the 2020 text, as far as they were
// seen (research: appraisal-grievance-domain.md §1.3), says anything about
// such units; local practice reported in notices on annual appraisal pools
// the places of small units at the superior organ (由主管部门统筹使用, or
// 合并计算 several small units into one base), which then allocates them.
// The library cannot see the pool, so it offers the strict reading and the
// pooled one, and records which was used.
type SmallUnits uint8

// The choices.
const (
	// SmallUnitsNone reads the ceiling strictly: a unit too small for one
	// 优秀 grades nobody 优秀, whatever the rounding.
	SmallUnitsNone SmallUnits = iota + 1
	// SmallUnitsPooled takes the places the superior organ allocated from
	// its pool (统筹使用), recorded on the run as Run.Pooled with its
	// reference; without a recorded allocation nobody is graded 优秀. A run
	// whose own ceiling allows one 优秀 or more may not take pooled places.
	SmallUnitsPooled
)

var smallUnitsSet = ssra.NewEnum[SmallUnits]("small units",
	ssra.M("none", "不评优秀", "none"),
	ssra.M("pooled", "统筹使用", "pooled"),
)

// String returns the small units's snake_case name.
func (s SmallUnits) String() string { return smallUnitsSet.String(s) }

// Valid reports whether s is a small units.
func (s SmallUnits) Valid() bool { return smallUnitsSet.Valid(s) }

// Label returns the small units's name for people in lang.
func (s SmallUnits) Label(lang ssra.Lang) string { return smallUnitsSet.Label(s, lang) }

// Tag says that both choices are practice: no text seen settles them.
func (s SmallUnits) Tag() ssra.Tag { return ssra.TagPractice }

// MarshalText encodes the small units as its name and refuses an unset one.
func (s SmallUnits) MarshalText() ([]byte, error) { return smallUnitsSet.MarshalText(s) }

// UnmarshalText decodes a small units name and rejects unknown text.
func (s *SmallUnits) UnmarshalText(b []byte) error { return smallUnitsSet.UnmarshalText(s, b) }

// Rounding says how the quota count is rounded.
type Rounding uint8

// The roundings.
const (
	// RoundHalfUp (四舍五入): 7.5 → 8, 7.4 → 7.
	RoundHalfUp Rounding = iota + 1
	// RoundUp (进一法): any fraction rounds up.
	RoundUp
)

var roundings = ssra.NewEnum[Rounding]("rounding",
	ssra.M("half_up", "四舍五入", "half up"),
	ssra.M("up", "进一法", "up"),
)

// String returns the rounding's snake_case name.
func (r Rounding) String() string { return roundings.String(r) }

// Valid reports whether r is a rounding.
func (r Rounding) Valid() bool { return roundings.Valid(r) }

// Label returns the rounding's name for people in lang.
func (r Rounding) Label(lang ssra.Lang) string { return roundings.Label(r, lang) }

// MarshalText encodes the rounding as its name and refuses an unset one.
func (r Rounding) MarshalText() ([]byte, error) { return roundings.MarshalText(r) }

// UnmarshalText decodes a rounding name and rejects unknown text.
func (r *Rounding) UnmarshalText(b []byte) error { return roundings.UnmarshalText(r, b) }

// NoGradeBase says whether participants without a grade count in the quota
// base; the rules say "participants" and leave this open.
type NoGradeBase uint8

// The choices.
const (
	// IncludeNoGrade counts every participant.
	IncludeNoGrade NoGradeBase = iota + 1
	// ExcludeNoGrade counts graded participants only.
	ExcludeNoGrade
)

var noGradeBases = ssra.NewEnum[NoGradeBase]("no-grade base",
	ssra.M("include", "计入不定等次人员", "include ungraded"),
	ssra.M("exclude", "不计入不定等次人员", "exclude ungraded"),
)

// String returns the no-grade base's snake_case name.
func (n NoGradeBase) String() string { return noGradeBases.String(n) }

// Valid reports whether n is a no-grade base.
func (n NoGradeBase) Valid() bool { return noGradeBases.Valid(n) }

// Label returns the no-grade base's name for people in lang.
func (n NoGradeBase) Label(lang ssra.Lang) string { return noGradeBases.Label(n, lang) }

// MarshalText encodes the no-grade base as its name and refuses an unset one.
func (n NoGradeBase) MarshalText() ([]byte, error) { return noGradeBases.MarshalText(n) }

// UnmarshalText decodes a no-grade base name and rejects unknown text.
func (n *NoGradeBase) UnmarshalText(b []byte) error { return noGradeBases.UnmarshalText(n, b) }

// Sanction is a disciplinary sanction (处分) in effect during the year.
type Sanction uint8

// The sanctions, lightest first.
const (
	// SanctionWarning is 警告: no 优秀 that year.
	SanctionWarning Sanction = iota + 1
	// SanctionDemerit is 记过: no grade during the period [practice].
	SanctionDemerit
	// SanctionSeriousDemerit is 记大过.
	SanctionSeriousDemerit
	// SanctionDemotion is 降级.
	SanctionDemotion
	// SanctionRemoval is 撤职.
	SanctionRemoval
)

var sanctions = ssra.NewEnum[Sanction]("sanction",
	ssra.M("warning", "警告", "warning"),
	ssra.M("demerit", "记过", "demerit"),
	ssra.M("serious_demerit", "记大过", "serious demerit"),
	ssra.M("demotion", "降级", "demotion"),
	ssra.M("removal", "撤职", "removal"),
)

// String returns the sanction's snake_case name.
func (s Sanction) String() string { return sanctions.String(s) }

// Valid reports whether s is a sanction.
func (s Sanction) Valid() bool { return sanctions.Valid(s) }

// Label returns the sanction's name for people in lang.
func (s Sanction) Label(lang ssra.Lang) string { return sanctions.Label(s, lang) }

// MarshalText encodes the sanction as its name and refuses an unset one.
func (s Sanction) MarshalText() ([]byte, error) { return sanctions.MarshalText(s) }

// UnmarshalText decodes a sanction name and rejects unknown text.
func (s *Sanction) UnmarshalText(b []byte) error { return sanctions.UnmarshalText(s, b) }

// Reason says why a person got their final grade.
type Reason uint8

// The reasons.
const (
	// ReasonBand: the score's band gave the grade.
	ReasonBand Reason = iota + 1
	// ReasonWithinQuota: excellent by band and ranked within the quota.
	ReasonWithinQuota
	// ReasonOverQuota: excellent by band but ranked beyond the quota, so competent.
	ReasonOverQuota
	// ReasonWarning: a warning in the year excludes 优秀, so competent.
	ReasonWarning
	// ReasonProbation: probationers get a comment, no grade.
	ReasonProbation
	// ReasonSanction: a sanction heavier than a warning in effect: no grade.
	ReasonSanction
	// ReasonVeto: an imposed veto (一票否决) binding the person bars 优秀.
	ReasonVeto
)

var reasons = ssra.NewEnum[Reason]("reason",
	ssra.M("band", "按分档", "band"),
	ssra.M("within_quota", "在优秀比例内", "within quota"),
	ssra.M("over_quota", "超出优秀比例", "over quota"),
	ssra.M("warning", "受警告处分", "warning"),
	ssra.M("probation", "试用期", "probation"),
	ssra.M("sanction", "受处分", "sanction"),
	ssra.M("veto", "一票否决", "veto"),
)

// String returns the reason's snake_case name.
func (r Reason) String() string { return reasons.String(r) }

// Valid reports whether r is a reason.
func (r Reason) Valid() bool { return reasons.Valid(r) }

// Label returns the reason's name for people in lang.
func (r Reason) Label(lang ssra.Lang) string { return reasons.Label(r, lang) }

// MarshalText encodes the reason as its name and refuses an unset one.
func (r Reason) MarshalText() ([]byte, error) { return reasons.MarshalText(r) }

// UnmarshalText decodes a reason name and rejects unknown text.
func (r *Reason) UnmarshalText(b []byte) error { return reasons.UnmarshalText(r, b) }
