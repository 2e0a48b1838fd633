// Package report renders an evaluated social stability risk assessment
// (社会稳定风险评估报告) as a self-contained HTML page or as Markdown, and
// draws its charts as SVG: the probability × impact heat map with each
// factor's move from its initial to its residual position, the paired bars of
// factor scores before and after measures, the tornado chart of a
// sensitivity analysis (敏感性分析龙卷风图), and a ranked bar chart with
// grade bands for appraisal runs.
//
// The report follows the national outline of the assessing body's report
// (2013 NDRC outline, annex 2): basic information (subject, basis, assessing
// body and panel, process and methods), consultation and the adoption of
// opinions, the criteria with their findings, risk identification and
// per-factor estimation before and after measures, the measures with their
// owners and due dates, the expected level after measures, the conclusion
// and the regime's decision with its reasons, and the emergency plan; then
// the full explanation of the evaluation and its quality findings. Given a
// sensitivity analysis (riskeval.Sensitivity), the expected level states its
// margin to the nearest threshold, the level distribution over the panel's
// ratings, and the tornado chart.
//
// Rendering is pure: every function writes to an io.Writer, reads no file,
// opens no connection and never reads the clock (the generation time is an
// argument). Every number printed comes from riskeval.Result (or, for counts
// of the consultation, from the assessment itself, and for the robustness
// of the decision, from riskeval.SensitivityResult); nothing is recomputed
// except the grade product printed in each heat-map cell, which uses the
// grades recorded in the result. User text is escaped in every output: by
// html/template in HTML, as XML character data in SVG, and with backslash
// escapes in Markdown. The HTML page has no scripts and no external fonts,
// images or style sheets, and prints on A4.
package report
