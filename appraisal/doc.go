// Package appraisal scores units and staff (考核考评): unit schemes under the
// target-responsibility system (目标管理责任制) with direct, attainment,
// deduction, bonus and one-vote-veto (一票否决) rules and grade bands; the
// annual appraisal of civil servants (公务员考核) and public-institution staff
// with the excellent quota, its tie-break and the consequences over years;
// and survey rates (群众安全感、满意度) judged against a target with their
// Wilson interval.
//
// Schemes are data: a Scheme is loaded from JSON (LoadScheme), validated
// with every problem reported at once, and compiled once; Score is then a
// pure function of the scheme and a subject, safe for concurrent use.
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
// field, never truncated.
//
// # Boundary
//
// Nothing shipped here scores a unit by the number of complaints citizens
// file or escalate: that rewards suppressing complaints. Handling quality is
// measured instead (on-time handling, satisfaction with the handling,
// agreements performed). Validation warns when a scheme's item looks like a
// complaint count.
//
// The package is pure: no clock, no I/O, no global mutable state.
package appraisal
