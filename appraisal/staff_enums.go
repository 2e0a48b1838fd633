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

var gradeSetNames = enumNames{"grade set", []string{"", "civil_servants", "public_institutions"}}

// String returns the grade set's snake_case name.
func (g GradeSet) String() string { return gradeSetNames.str(uint8(g)) }

// MarshalText encodes the grade set's name.
func (g GradeSet) MarshalText() ([]byte, error) { return gradeSetNames.marshal(uint8(g)) }

// UnmarshalText decodes a grade set name and rejects unknown text.
func (g *GradeSet) UnmarshalText(b []byte) error {
	v, err := gradeSetNames.parse(b)
	*g = GradeSet(v)
	return err
}

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

var staffGradeNames = enumNames{"staff grade", []string{"", "excellent", "competent", "basically_competent", "incompetent", "no_grade"}}

// String returns the grade's snake_case name.
func (g StaffGrade) String() string { return staffGradeNames.str(uint8(g)) }

// MarshalText encodes the grade's name.
func (g StaffGrade) MarshalText() ([]byte, error) { return staffGradeNames.marshal(uint8(g)) }

// UnmarshalText decodes a grade name and rejects unknown text.
func (g *StaffGrade) UnmarshalText(b []byte) error {
	v, err := staffGradeNames.parse(b)
	*g = StaffGrade(v)
	return err
}

// Label returns the grade's name in the grade set.
func (g StaffGrade) Label(set GradeSet) ssra.Label {
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

var quotaRulesNames = enumNames{"quota rules", []string{"", "rules_2007", "rules_2020"}}

// String returns the rule version's snake_case name.
func (q QuotaRules) String() string { return quotaRulesNames.str(uint8(q)) }

// MarshalText encodes the rule version's name.
func (q QuotaRules) MarshalText() ([]byte, error) { return quotaRulesNames.marshal(uint8(q)) }

// UnmarshalText decodes a rule version name and rejects unknown text.
func (q *QuotaRules) UnmarshalText(b []byte) error {
	v, err := quotaRulesNames.parse(b)
	*q = QuotaRules(v)
	return err
}

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

var smallUnitsNames = enumNames{"small units", []string{"", "none", "pooled"}}

// String returns the choice's snake_case name.
func (s SmallUnits) String() string { return smallUnitsNames.str(uint8(s)) }

// Tag says that both choices are practice: no text seen settles them.
func (s SmallUnits) Tag() ssra.Tag { return ssra.TagPractice }

// MarshalText encodes the choice's name.
func (s SmallUnits) MarshalText() ([]byte, error) { return smallUnitsNames.marshal(uint8(s)) }

// UnmarshalText decodes a choice name and rejects unknown text.
func (s *SmallUnits) UnmarshalText(b []byte) error {
	v, err := smallUnitsNames.parse(b)
	*s = SmallUnits(v)
	return err
}

// Rounding says how the quota count is rounded.
type Rounding uint8

// The roundings.
const (
	// RoundHalfUp (四舍五入): 7.5 → 8, 7.4 → 7.
	RoundHalfUp Rounding = iota + 1
	// RoundUp (进一法): any fraction rounds up.
	RoundUp
)

var roundingNames = enumNames{"rounding", []string{"", "half_up", "up"}}

// String returns the rounding's snake_case name.
func (r Rounding) String() string { return roundingNames.str(uint8(r)) }

// MarshalText encodes the rounding's name.
func (r Rounding) MarshalText() ([]byte, error) { return roundingNames.marshal(uint8(r)) }

// UnmarshalText decodes a rounding name and rejects unknown text.
func (r *Rounding) UnmarshalText(b []byte) error {
	v, err := roundingNames.parse(b)
	*r = Rounding(v)
	return err
}

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

var noGradeBaseNames = enumNames{"no-grade base", []string{"", "include", "exclude"}}

// String returns the choice's snake_case name.
func (n NoGradeBase) String() string { return noGradeBaseNames.str(uint8(n)) }

// MarshalText encodes the choice's name.
func (n NoGradeBase) MarshalText() ([]byte, error) { return noGradeBaseNames.marshal(uint8(n)) }

// UnmarshalText decodes a choice name and rejects unknown text.
func (n *NoGradeBase) UnmarshalText(b []byte) error {
	v, err := noGradeBaseNames.parse(b)
	*n = NoGradeBase(v)
	return err
}

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

var sanctionNames = enumNames{"sanction", []string{"", "warning", "demerit", "serious_demerit", "demotion", "removal"}}

// String returns the sanction's snake_case name.
func (s Sanction) String() string { return sanctionNames.str(uint8(s)) }

// MarshalText encodes the sanction's name.
func (s Sanction) MarshalText() ([]byte, error) { return sanctionNames.marshal(uint8(s)) }

// UnmarshalText decodes a sanction name and rejects unknown text.
func (s *Sanction) UnmarshalText(b []byte) error {
	v, err := sanctionNames.parse(b)
	*s = Sanction(v)
	return err
}

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

var reasonNames = enumNames{"reason", []string{"", "band", "within_quota", "over_quota", "warning", "probation", "sanction", "veto"}}

// String returns the reason's snake_case name.
func (r Reason) String() string { return reasonNames.str(uint8(r)) }

// MarshalText encodes the reason's name.
func (r Reason) MarshalText() ([]byte, error) { return reasonNames.marshal(uint8(r)) }

// UnmarshalText decodes a reason name and rejects unknown text.
func (r *Reason) UnmarshalText(b []byte) error {
	v, err := reasonNames.parse(b)
	*r = Reason(v)
	return err
}
