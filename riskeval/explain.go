package riskeval

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ssra-go/ssra"
)

// Step is one line of an explanation: a stable key naming the rule or
// computation (for example "index.residual" or "ahp.cr"), and a sentence a
// person can check by hand.
type Step struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// Explanation is the ordered list of steps that produced a result.
type Explanation []Step

// Addf appends a step.
func (e *Explanation) Addf(key, format string, args ...any) {
	*e = append(*e, Step{Key: key, Text: fmt.Sprintf(format, args...)})
}

// Explain renders the result in English as steps a person can check by
// hand; see ExplainIn.
func (r Result) Explain() Explanation { return r.ExplainIn(ssra.LangEN) }

// ExplainIn renders the result in the given language as steps a person can
// check by hand: the profile, the weights, each factor's score and level
// before and after measures, both indices with their rounding, the floor
// rules that applied, the survey's advisory reading, the decision with its
// reasons, and the precision policy. The keys are the same in every
// language. The JSON form of a Result carries the English explanation.
func (r Result) ExplainIn(lang ssra.Lang) Explanation {
	zh := lang == ssra.LangZH
	e := make(Explanation, 0, 2*len(r.Factors)+10)
	rt := r.Rules.texts()
	switch {
	case zh && r.Profile.Basis == BasisLaw:
		e.Addf("profile", "参数方案 %s 第%s版（依据国家规定）。", r.Profile.Name, r.Profile.Version)
	case zh:
		e.Addf("profile", "参数方案 %s 第%s版（常见实务做法，并非国家规定）。", r.Profile.Name, r.Profile.Version)
	case r.Profile.Basis == BasisLaw:
		e.Addf("profile", "Profile %s v%s (fixed by a national text).", r.Profile.Name, r.Profile.Version)
	default:
		e.Addf("profile", "Profile %s v%s (common practice, not a national rule).", r.Profile.Name, r.Profile.Version)
	}
	switch {
	case r.Weights.Normalised && zh:
		e.Addf("weights", "各因素权重之和为 %s；各权重除以该和后按四舍五入保留6位小数，并按最大余数法调整（调整序号 %v），使权重之和恰为1。", r.Weights.Sum, r.Weights.Adjusted)
	case r.Weights.Normalised:
		e.Addf("weights", "The weights summed to %s; each was divided by the sum, rounded half-up to 6 places and adjusted by largest remainder (indices %v) so that they sum to exactly 1.", r.Weights.Sum, r.Weights.Adjusted)
	case zh:
		e.Addf("weights", "%d 个风险因素的权重之和为 %s（允许偏差 %s）。", len(r.Factors), r.Weights.Sum, r.Weights.Tolerance)
	default:
		e.Addf("weights", "The %d factor weights sum to %s (tolerance %s around 1).", len(r.Factors), r.Weights.Sum, r.Weights.Tolerance)
	}
	before, after := " before measures: ", " after measures: "
	if zh {
		before, after = " 采取措施前：", " 落实措施后："
	}
	// The factors' keys and texts are written into one builder and cut from
	// its one string, sparing an allocation and a copy for each.
	sentences := rt.sentences(zh)
	var buf strings.Builder
	buf.Grow(400 * len(r.Factors))
	ends := make([]int, 0, 4*len(r.Factors))
	write := func(parts ...string) {
		for _, p := range parts {
			buf.WriteString(p)
		}
		ends = append(ends, buf.Len())
	}
	for _, f := range r.Factors {
		write("factor.", f.ID, ".initial")
		write(f.ID, before, sentences.estimate(f.Initial))
		write("factor.", f.ID, ".residual")
		write(f.ID, after, sentences.estimate(f.Residual))
	}
	texts, start := buf.String(), 0
	for i := 0; i < len(ends); i += 2 {
		e = append(e, Step{Key: texts[start:ends[i]], Text: texts[ends[i]:ends[i+1]]})
		start = ends[i+1]
	}
	r.explainLevel(&e, "initial", r.Initial, zh)
	r.explainLevel(&e, "residual", r.Residual, zh)
	r.explainMargin(&e, lang)
	r.explainPanel(&e, zh)
	if s := r.Survey; s != nil {
		rate := ""
		switch {
		case s.Distributed > 0 && zh:
			rate = fmt.Sprintf("，回收率 %d/%d = %s", s.Valid, s.Distributed, s.ResponseRate)
		case s.Distributed > 0:
			rate = fmt.Sprintf(", response rate %d/%d = %s", s.Valid, s.Distributed, s.ResponseRate)
		}
		if zh {
			e.Addf("survey", "民意调查：%d 份有效问卷中 %d 份反对，反对率 %s（95%% Wilson 区间 %s 至 %s）%s；抽样框“%s”。反对率 ≥ %s 提示高风险，≥ %s 提示中风险，其余提示低风险：提示等级为%s。该提示仅供参考，不决定风险等级。",
				s.Valid, s.Opposition.Successes, s.Opposition.Value, s.Opposition.Lower, s.Opposition.Upper, rate, s.Frame,
				r.Rules.Survey.HighMin, r.Rules.Survey.MediumMin, s.Suggested.Label(ssra.LangZH))
		} else {
			e.Addf("survey", "Survey: %d of %d valid answers oppose, share %s (95 %% Wilson interval %s to %s)%s; frame %q. Opposition ≥ %s suggests high, ≥ %s medium, below low: suggested %s. The suggestion is advisory and does not set the level.",
				s.Opposition.Successes, s.Valid, s.Opposition.Value, s.Opposition.Lower, s.Opposition.Upper, rate, s.Frame,
				r.Rules.Survey.HighMin, r.Rules.Survey.MediumMin, s.Suggested)
		}
	}
	reasons := make([]string, len(r.Decision.Reasons))
	for i, l := range r.Decision.Reasons {
		reasons[i] = l.In(lang)
	}
	if zh {
		e.Addf("decision", "依据%s，落实措施后风险等级为%s，对应结论：%s。%s", r.Regime.zhName(), r.Decision.Level.Label(ssra.LangZH), r.Decision.Outcome.Label(ssra.LangZH), strings.Join(reasons, ""))
		e.Addf("precision", "计算精度：分值乘积与加权求和均为精确小数运算；综合风险指数按四舍五入保留6位小数，并以保留后的数值判定等级；民意调查比率按四舍五入保留4位小数，Wilson 区间先以高精度浮点计算再取舍。")
	} else {
		e.Addf("decision", "Under regime %s (%s) the residual level %s gives the outcome %s. %s", r.Regime.ID, r.Regime.LegalBasis, r.Decision.Level, r.Decision.Outcome, strings.Join(reasons, " "))
		e.Addf("precision", "Precision: grade products and weighted sums are exact decimals; each index is rounded half-up to 6 places and its level read from the rounded value; survey rates are rounded half-up to 4 places, the Wilson bounds computed in floating point first and checked against exact rounding.")
	}
	return e
}

// zhName names the regime for a Chinese sentence: its label, or its legal
// basis when it has no Chinese label, and its id only when it has neither.
func (g RegimeRef) zhName() string {
	switch {
	case g.Label.ZH != "":
		return g.Label.ZH
	case g.LegalBasis != "":
		return g.LegalBasis
	}
	return g.ID
}

// ruleTexts are the numbers of the applied rules as text, written once
// for the many steps that repeat them.
type ruleTexts struct {
	probability, impact   []string // the grades of points 1..n
	factorLow, factorHigh string   // the factor thresholds
}

func (r AppliedRules) texts() ruleTexts {
	t := ruleTexts{factorLow: r.FactorThresholds.LowMax.String(), factorHigh: r.FactorThresholds.MediumMax.String()}
	for _, g := range r.ProbabilityGrades {
		t.probability = append(t.probability, g.String())
	}
	for _, g := range r.ImpactGrades {
		t.impact = append(t.impact, g.String())
	}
	return t
}

// grade is the grade of a scale point, or "?" for a point off the scale.
func grade(gs []string, point int) string {
	if point < 1 || point > len(gs) {
		return "?"
	}
	return gs[point-1]
}

// estimateSentences writes the sentences of estimates in one language,
// each distinct estimate once: an assessment's many factors fall in the
// few cells of the profile's scales.
type estimateSentences struct {
	rt     ruleTexts
	zh     bool
	byCell []estimateSentence // by cell (probability-1)·|impact grades| + impact-1
}

type estimateSentence struct {
	x    EstimateResult
	text string
}

func (rt ruleTexts) sentences(zh bool) *estimateSentences {
	return &estimateSentences{rt: rt, zh: zh, byCell: make([]estimateSentence, len(rt.probability)*len(rt.impact))}
}

// estimate is the sentence of x, written once per cell.
func (s *estimateSentences) estimate(x EstimateResult) string {
	p, i := x.Probability, x.Impact
	if p < 1 || p > len(s.rt.probability) || i < 1 || i > len(s.rt.impact) {
		return s.rt.estimate(x, s.zh)
	}
	c := &s.byCell[(p-1)*len(s.rt.impact)+i-1]
	if c.text == "" || !sameEstimate(c.x, x) {
		c.x, c.text = x, s.rt.estimate(x, s.zh)
	}
	return c.text
}

func sameEstimate(a, b EstimateResult) bool {
	return a.Probability == b.Probability && a.Impact == b.Impact && a.Degree == b.Degree &&
		a.Level == b.Level && a.DecidedBy == b.DecidedBy && a.Score.Equal(b.Score)
}

// estimate is the sentence of one estimate: the grades, their product,
// and the matrix cell or the thresholds that gave the level.
func (rt ruleTexts) estimate(x EstimateResult, zh bool) string {
	pg, ig, score := grade(rt.probability, x.Probability), grade(rt.impact, x.Impact), x.Score.String()
	if zh {
		t := fmt.Sprintf("发生概率 %d（分值 %s）× 影响程度 %d（分值 %s）= 风险值 %s", x.Probability, pg, x.Impact, ig, score)
		if x.DecidedBy == RuleMatrix {
			return t + fmt.Sprintf("；矩阵单元 (%d, %d) 的风险程度为 %s（%s），故为%s。", x.Probability, x.Impact, strings.ToUpper(x.Degree.String()), x.Degree.Label(ssra.LangZH), x.Level.Label(ssra.LangZH))
		}
		return t + "；" + thresholdText(x.Level, score, rt.factorLow, rt.factorHigh, "风险值", true) + "。"
	}
	t := fmt.Sprintf("probability %d (grade %s) × impact %d (grade %s) = score %s", x.Probability, pg, x.Impact, ig, score)
	if x.DecidedBy == RuleMatrix {
		return t + fmt.Sprintf("; matrix cell (%d, %d) has degree %s (%s), so level %s.", x.Probability, x.Impact, strings.ToUpper(x.Degree.String()), x.Degree.Label(ssra.LangZH), x.Level)
	}
	return t + "; " + thresholdText(x.Level, score, rt.factorLow, rt.factorHigh, "score", false) + "."
}

// thresholdPhrases are the threshold phrases by language (Chinese first)
// and level: name, value, the low and the medium threshold are arguments 1
// to 4.
var thresholdPhrases = [2]map[Level]string{
	{
		LevelLow:    "%[1]s %[2]s ≤ %[3]s，故为低风险",
		LevelMedium: "%[3]s < %[1]s %[2]s ≤ %[4]s，故为中风险",
		LevelHigh:   "%[1]s %[2]s > %[4]s，故为高风险",
	},
	{
		LevelLow:    "%[1]s %[2]s ≤ %[3]s, so level low",
		LevelMedium: "%[3]s < %[1]s %[2]s ≤ %[4]s, so level medium",
		LevelHigh:   "%[1]s %[2]s > %[4]s, so level high",
	},
}

// thresholdText says why value v of the named quantity has level l under
// the thresholds low and medium.
func thresholdText(l Level, v, low, medium, name string, zh bool) string {
	if l != LevelLow && l != LevelMedium {
		l = LevelHigh
	}
	lang := 1
	if zh {
		lang = 0
	}
	return fmt.Sprintf(thresholdPhrases[lang][l], name, v, low, medium)
}

// levelWords are the sentences of the level steps in one language.
type levelWords struct {
	initial, residual string // "before measures", "after measures"
	exact, rounded    string // the index exact at 6 places, or rounded: exact value
	index             string // when, index, rounding, threshold
	counts            string // when, high, medium, low
	floor             string // rule, when, index level, level
	level             string // when, level
}

var levelWordsZH = levelWords{
	initial: "采取措施前", residual: "落实措施后",
	exact: "6位小数内精确", rounded: "精确值 %s，四舍五入保留6位小数",
	index:  "%s综合风险指数 R = Σ wᵢ·rᵢ = %s（%s）；%s。",
	counts: "%s各因素等级：高风险 %d 个，中风险 %d 个，低风险 %d 个。",
	floor:  "下限规则 %s 将%s等级由%s提高为%s。",
	level:  "%s风险等级为%s，由指数阈值确定，未触发下限规则。",
}

var levelWordsEN = levelWords{
	initial: "before measures", residual: "after measures",
	exact: "exact at 6 places", rounded: "exactly %s, rounded half-up to 6 places",
	index:  "Comprehensive index %s: R = Σ wᵢ·rᵢ = %s (%s); %s.",
	counts: "Factor levels %s: %d high, %d medium, %d low.",
	floor:  "Floor rule %s raised the level %s from %s to %s.",
	level:  "The level %s is %s, set by the index thresholds; no floor rule raised it.",
}

// explainLevel adds the steps of one overall level: the index with its
// rounding, the factors by level, and the floor rule or the thresholds
// that set the level. Levels are named by their Chinese label in Chinese
// and by their snake_case name in English.
func (r Result) explainLevel(e *Explanation, key string, l LevelResult, zh bool) {
	ws, name := levelWordsEN, func(l Level) string { return l.String() }
	if zh {
		ws, name = levelWordsZH, func(l Level) string { return l.Label(ssra.LangZH) }
	}
	when := ws.initial
	if key == "residual" {
		when = ws.residual
	}
	round := ws.exact
	if !l.Exact.Equal(l.Index) {
		round = fmt.Sprintf(ws.rounded, l.Exact)
	}
	t := r.Rules.IndexThresholds
	threshold := thresholdText(t.Of(l.Index), l.Index.String(), t.LowMax.String(), t.MediumMax.String(), "R", zh)
	e.Addf("index."+key, ws.index, when, l.Index.StringFixed(6), round, threshold)
	e.Addf("counts."+key, ws.counts, when, l.Counts.High, l.Counts.Medium, l.Counts.Low)
	if l.DecidedBy == RuleFloor {
		e.Addf("floor."+key, ws.floor, l.FloorRule, when, name(l.IndexLevel), name(l.Level))
	} else {
		e.Addf("level."+key, ws.level, when, name(l.Level))
	}
}

// MarshalJSON encodes the result's fields with its English explanation
// added as "explanation".
func (r Result) MarshalJSON() ([]byte, error) {
	type plain Result
	return json.Marshal(struct {
		plain
		Explanation Explanation `json:"explanation"`
	}{plain(r), r.Explain()})
}

// explainMargin states the residual index's margin to the nearest threshold
// of its band (domain.md §1.8a), the distance the rounded index must move
// before its index level changes.
func (r Result) explainMargin(e *Explanation, lang ssra.Lang) {
	mg := indexMargin(r.Rules.IndexThresholds, r.Residual)
	if mg.NearestSide == "" {
		return
	}
	t := marginSentence(mg, lang)
	floor := r.Residual.DecidedBy == RuleFloor
	if lang == ssra.LangZH {
		t += "（按保留6位小数后的指数计算；各因素使等级改变的最小变动见敏感性分析。）"
		if floor {
			t += fmt.Sprintf("最终等级由底线规则 %s 确定，指数越过该阈值不一定改变最终等级。", r.Residual.FloorRule)
		}
	} else {
		t += " It is measured on the index rounded to 6 places; the smallest change of each factor that flips the level is in the sensitivity analysis."
		if floor {
			t += fmt.Sprintf(" The final level was set by floor rule %s, so crossing this threshold need not change it.", r.Residual.FloorRule)
		}
	}
	e.Addf("margin.residual", "%s", t)
}

// aggregationZH is the Chinese statement of an aggregation rule.
var aggregationZH = map[Aggregation]string{
	AggregationMedian:       "取各专家分值的中位数（两个中间值不同时取较高者）",
	AggregationMean:         "取各专家分值的算术平均数，四舍五入到整数分值",
	AggregationTrimmedMean:  "专家不少于5人时去掉一个最高分和一个最低分后取平均数，四舍五入到整数分值",
	AggregationWeightedMean: "按专家权重取加权平均数，四舍五入到整数分值",
}

// explainPanel states how the panel's ratings became the estimates used
// and how far the panel agreed: per rated estimate the aggregate and the
// spread, and Kendall's W with its computation (domain.md §1.8a).
func (r Result) explainPanel(e *Explanation, zh bool) {
	pn := r.Panel
	if pn == nil {
		return
	}
	agreed := 0
	for _, f := range pn.Factors {
		if f.Consensus {
			agreed++
		}
	}
	if zh {
		e.Addf("panel", "专家评议：%d 项估计由专家评分汇总，汇总规则为%s；共识规则：%s；%d 项达成共识。", len(pn.Factors), aggregationZH[pn.Aggregation], pn.ConsensusRule, agreed)
	} else {
		e.Addf("panel", "Expert panel: %d estimate(s) are the aggregate of the members' ratings by the %s; consensus rule: %s; %d reach consensus.", len(pn.Factors), pn.Aggregation.Describe(), pn.ConsensusRule, agreed)
	}
	for _, f := range pn.Factors {
		key := "panel." + f.Factor + "." + f.Estimate
		if zh {
			e.Addf(key, "%s（%s）：%d 位专家；发生概率汇总为 %d（极差 %d，四分位距 %s，变异系数 %s）；影响程度汇总为 %d（极差 %d，四分位距 %s，变异系数 %s）；%s。",
				f.Factor, f.Estimate, f.Members, f.Probability, f.PSpread.Range(), f.PSpread.IQR, f.PSpread.CV, f.Impact, f.ISpread.Range(), f.ISpread.IQR, f.ISpread.CV, map[bool]string{true: "达成共识", false: "未达成共识"}[f.Consensus])
		} else {
			e.Addf(key, "%s (%s): %d member(s); probability aggregates to %d (range %d, IQR %s, CV %s); impact to %d (range %d, IQR %s, CV %s); %s.",
				f.Factor, f.Estimate, f.Members, f.Probability, f.PSpread.Range(), f.PSpread.IQR, f.PSpread.CV, f.Impact, f.ISpread.Range(), f.ISpread.IQR, f.ISpread.CV, map[bool]string{true: "consensus", false: "no consensus"}[f.Consensus])
		}
	}
	c := pn.Concordance
	if c == nil {
		return
	}
	m, n := int64(c.Members), int64(c.Factors)
	den := m*m*(n*n*n-n) - m*c.Ties
	if zh {
		test := "n > 7，χ² 检验适用"
		if !c.ChiSquareApplies {
			test = "n ≤ 7，χ² 近似仅供参考，应查 W 的临界值表"
		}
		e.Addf("panel.concordance", "肯德尔协调系数：%d 位专家按风险值 p×i 对 %d 个因素排序（同分取平均秩）；各因素秩和 Rᵢ = %s；S = Σ(Rᵢ − R̄)² = %s；结校正 T = Σ(t³ − t) = %d；W = 12·S / (m²(n³ − n) − m·T) = 12×%s / %d = %s；χ² = m(n − 1)·W = %s，自由度 %d，p = %s（%s）。",
			c.Members, c.Factors, joinDec(c.RankSums), c.S, c.Ties, c.S, den, c.W, c.ChiSquare, c.DF, c.PValue, test)
	} else {
		test := "n > 7, so the χ² test applies"
		if !c.ChiSquareApplies {
			test = "n ≤ 7: the χ² approximation is indicative only; use a table of critical W"
		}
		e.Addf("panel.concordance", "Kendall's W: %d members rank %d factors by score p×i (ties get their mean rank); rank sums Rᵢ = %s; S = Σ(Rᵢ − R̄)² = %s; tie correction T = Σ(t³ − t) = %d; W = 12·S / (m²(n³ − n) − m·T) = 12×%s / %d = %s; χ² = m(n − 1)·W = %s with %d df, p = %s (%s).",
			c.Members, c.Factors, joinDec(c.RankSums), c.S, c.Ties, c.S, den, c.W, c.ChiSquare, c.DF, c.PValue, test)
	}
}
