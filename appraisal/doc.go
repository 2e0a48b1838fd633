// Package appraisal scores units and staff (考核考评): unit schemes under the
// target-responsibility system (目标管理责任制) with direct, attainment,
// deduction, bonus and one-vote-veto (一票否决) rules and grade bands; the
// annual appraisal of civil servants (公务员考核) and public-institution staff
// with the excellent quota, its tie-break and the consequences over years;
// and survey rates (群众安全感、满意度) judged against a target with their
// Wilson interval.
//
// # Units
//
// A scheme is data: DecodeScheme decodes its JSON strictly, validates it with
// every problem reported at once (stable codes, paths such as
// "sections[1].items[0].rule.cap") and compiles it once. Score(scheme,
// subject) is then a pure function returning the total, the grade band that
// decided (or the imposed veto that overrode it), each item's points with an
// explanation, and the scheme's name, version and tag. Presets: the Wenzhou
// 2017 negative list (PresetWenzhou2017), a generic 100-point unit scheme
// (PresetGenericUnit100) and an annual staff score (PresetAnnualCivilServant).
//
// A veto decided at county level or above is imposed: the unit loses honour
// eligibility and the persons it binds lose award and promotion eligibility
// for its window; Disqualified follows a person wherever they now work. A
// veto from a lower level is a recommendation and changes nothing.
//
// # Staff
//
// Rank scores every person of an organisation on a scheme (for example
// AnnualScheme's routine, special-task, year-end and stability-work parts),
// applies the no-grade, warning and veto rules, and grades 优秀 within the
// quota of the rule version (2007: 15 %, 20 % cap; 2020: 20 %, 25 % with a
// recorded approval), with configurable base and rounding and an explicit,
// stable tie-break. The cap is a ceiling: after rounding, the number of 优秀
// never exceeds floor(cap × base) (QuotaRules.Ceiling, QuotaCount). A unit
// too small for one 优秀 within the cap grades nobody 优秀, or takes the
// places its superior organ pooled for it and recorded (Quota.SmallUnits,
// [practice]). Consequences derives merits, steps, admonishment,
// demotion and dismissal from a person's grades over the years; Appeal
// computes the review and appeal deadlines on a calendar.
//
// # Arithmetic
//
// Inputs and rule parameters are decimals with at most 6 places. Scoring
// runs on exact integer fixed point: values at 10⁻⁶, points at 10⁻¹². A sum
// or a product of two such numbers is exact. A quotient (linear attainment)
// is rounded half-up to 6 places, and any product that would need more than
// 12 places is rounded half-up to 12; either rounding is flagged on the item
// and stated in its explanation. A value the fixed point cannot hold (more
// than 6 places, or beyond ±10¹²) is refused with a problem naming the
// field, never truncated. Every item is scored by the same loop, rule by
// rule, whatever the scheme's shape or the inputs' order.
//
// # Boundary
//
// Nothing shipped here scores a unit by the number of complaints citizens
// file or escalate: that rewards suppressing complaints. Handling quality is
// measured instead (on-time handling, satisfaction with the handling,
// agreements performed). Validation warns when a scheme's item looks like a
// complaint count (CountsComplaints). Surveys are aggregate counts. Staff
// appraisal data is personnel data, for the person, their appraisers and
// administrators only.
//
// The package is pure: no clock, no I/O, no global mutable state.
package appraisal
