// Package riskeval implements social stability risk assessment (社会稳定风险评估,
// "稳评") of major projects and decisions: profiles (risk criteria: scales,
// matrix, thresholds, floor rules, survey mapping, decision regimes),
// assessments against the criteria legality (合法性), reasonableness (合理性),
// feasibility (可行性) and controllability (可控性), per-factor estimation,
// the comprehensive risk index and level before and after measures, the
// decision the residual level implies under a regime, the approval gate,
// AHP (层次分析法), entropy and combined weights, and fuzzy comprehensive
// evaluation (模糊综合评价).
//
// The package is pure: every function is a function of its arguments, safe
// for concurrent use, with no clock, I/O or global state.
package riskeval
