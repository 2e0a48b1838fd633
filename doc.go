// Package ssra is the shared kernel of the ssra library: error kinds and
// validation problems, bilingual labels, strict decimal and fraction parsing,
// the rounding policy, rates with Wilson intervals, and calendars with day
// counting.
//
// The domain packages riskeval (社会稳定风险评估, social stability risk
// assessment), appraisal (考核考评) and stability (维稳工作计划与矛盾纠纷、信访办理)
// build on it. The kernel imports only the standard library and
// github.com/shopspring/decimal; it holds no global state and never reads the
// clock.
package ssra
