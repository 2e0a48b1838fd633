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
