package riskeval

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

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
	var e Explanation
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
	fx := newFactorTexts(r, zh)
	grow := make(Explanation, len(e), len(e)+2*len(r.Factors)+12)
	copy(grow, e)
	e = grow
	// Every key and text of the factor steps is written into one buffer
	// and sliced out of one string: two allocations instead of four per
	// factor.
	spans := make([][4]int, len(r.Factors))
	fx.sb.Grow(len(r.Factors) * 2 * 240)
	for i, f := range r.Factors {
		spans[i][0], spans[i][1] = fx.key(f.ID, ".initial"), fx.text(f.ID, f.Initial, false)
		spans[i][2], spans[i][3] = fx.key(f.ID, ".residual"), fx.text(f.ID, f.Residual, true)
	}
	all := fx.sb.String()
	at := 0
	cut := func(end int) string { s := all[at:end]; at = end; return s }
	for i := range r.Factors {
		k1, t1, k2, t2 := cut(spans[i][0]), cut(spans[i][1]), cut(spans[i][2]), cut(spans[i][3])
		e = append(e, Step{Key: k1, Text: t1}, Step{Key: k2, Text: t2})
	}
	r.levelText(&e, "initial", r.Initial, zh)
	r.levelText(&e, "residual", r.Residual, zh)
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
				r.Rules.Survey.HighMin, r.Rules.Survey.MediumMin, s.Suggested.Label().ZH)
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
		e.Addf("decision", "依据 %s（%s），落实措施后风险等级为%s，对应结论：%s。%s", r.Regime.ID, r.Regime.LegalBasis, r.Decision.Level.Label().ZH, r.Decision.Outcome.Label().ZH, strings.Join(reasons, ""))
		e.Addf("precision", "计算精度：分值乘积与加权求和均为精确小数运算；综合风险指数按四舍五入保留6位小数，并以保留后的数值判定等级；民意调查比率按四舍五入保留4位小数，Wilson 区间先以高精度浮点计算再取舍。")
	} else {
		e.Addf("decision", "Under regime %s (%s) the residual level %s gives the outcome %s. %s", r.Regime.ID, r.Regime.LegalBasis, r.Decision.Level, r.Decision.Outcome, strings.Join(reasons, " "))
		e.Addf("precision", "Precision: grade products and weighted sums are exact decimals; each index is rounded half-up to 6 places and its level read from the rounded value; survey rates are rounded half-up to 4 places, the Wilson bounds computed in floating point first and checked against exact rounding.")
	}
	return e
}

// factorTexts renders the per-factor steps, the bulk of an explanation,
// with the strings of grades, scores and thresholds formatted once per
// explanation rather than once per factor.
type factorTexts struct {
	zh       bool
	rules    *AppliedRules
	pg, ig   []string
	low, med string
	scores   map[[2]int]string
	sb       strings.Builder
}

func newFactorTexts(r Result, zh bool) *factorTexts {
	fx := &factorTexts{zh: zh, rules: &r.Rules, scores: make(map[[2]int]string, 25),
		low: r.Rules.FactorThresholds.LowMax.String(), med: r.Rules.FactorThresholds.MediumMax.String()}
	for _, g := range r.Rules.ProbabilityGrades {
		fx.pg = append(fx.pg, g.String())
	}
	for _, g := range r.Rules.ImpactGrades {
		fx.ig = append(fx.ig, g.String())
	}
	return fx
}

func (fx *factorTexts) grade(gs []string, point int) string {
	if point < 1 || point > len(gs) {
		return "?"
	}
	return gs[point-1]
}

// text is "<id> before measures: probability p (grade g) × impact i (grade
// g) = score s; <level rule>." in the explanation's language.
// key appends "factor.<id><suffix>" and returns the end of what it wrote.
func (fx *factorTexts) key(id, suffix string) int {
	fx.sb.WriteString("factor.")
	fx.sb.WriteString(id)
	fx.sb.WriteString(suffix)
	return fx.sb.Len()
}

// text appends the step's sentence and returns the end of what it wrote.
func (fx *factorTexts) text(id string, x EstimateResult, residual bool) int {
	key := [2]int{x.Probability, x.Impact}
	score, ok := fx.scores[key]
	if !ok {
		score = x.Score.String()
		fx.scores[key] = score
	}
	b := &fx.sb
	p, i := strconv.Itoa(x.Probability), strconv.Itoa(x.Impact)
	pg, ig := fx.grade(fx.pg, x.Probability), fx.grade(fx.ig, x.Impact)
	if fx.zh {
		b.WriteString(id)
		if residual {
			b.WriteString(" 落实措施后：")
		} else {
			b.WriteString(" 采取措施前：")
		}
		for _, s := range []string{"发生概率 ", p, "（分值 ", pg, "）× 影响程度 ", i, "（分值 ", ig, "）= 风险值 ", score} {
			b.WriteString(s)
		}
		if x.DecidedBy == RuleMatrix {
			for _, s := range []string{"；矩阵单元 (", p, ", ", i, ") 的风险程度为 ", strings.ToUpper(x.Degree.String()), "（", x.Degree.Label().ZH, "），故为", x.Level.Label().ZH, "。"} {
				b.WriteString(s)
			}
			return b.Len()
		}
		b.WriteString("；")
		switch x.Level {
		case LevelLow:
			for _, s := range []string{"风险值 ", score, " ≤ ", fx.low, "，故为低风险"} {
				b.WriteString(s)
			}
		case LevelMedium:
			for _, s := range []string{fx.low, " < 风险值 ", score, " ≤ ", fx.med, "，故为中风险"} {
				b.WriteString(s)
			}
		default:
			for _, s := range []string{"风险值 ", score, " > ", fx.med, "，故为高风险"} {
				b.WriteString(s)
			}
		}
		b.WriteString("。")
		return b.Len()
	}
	b.WriteString(id)
	if residual {
		b.WriteString(" after measures: ")
	} else {
		b.WriteString(" before measures: ")
	}
	for _, s := range []string{"probability ", p, " (grade ", pg, ") × impact ", i, " (grade ", ig, ") = score ", score} {
		b.WriteString(s)
	}
	if x.DecidedBy == RuleMatrix {
		for _, s := range []string{"; matrix cell (", p, ", ", i, ") has degree ", strings.ToUpper(x.Degree.String()), " (", x.Degree.Label().ZH, "), so level ", x.Level.String(), "."} {
			b.WriteString(s)
		}
		return b.Len()
	}
	switch x.Level {
	case LevelLow:
		for _, s := range []string{"; score ", score, " ≤ ", fx.low, ", so level low"} {
			b.WriteString(s)
		}
	case LevelMedium:
		for _, s := range []string{"; ", fx.low, " < score ", score, " ≤ ", fx.med, ", so level medium"} {
			b.WriteString(s)
		}
	default:
		for _, s := range []string{"; score ", score, " > ", fx.med, ", so level high"} {
			b.WriteString(s)
		}
	}
	b.WriteString(".")
	return b.Len()
}

func thresholdText(v decimal.Decimal, t Thresholds, name string, zh bool) string {
	l := t.Of(v)
	if zh {
		switch l {
		case LevelLow:
			return fmt.Sprintf("%s %s ≤ %s，故为低风险", name, v, t.LowMax)
		case LevelMedium:
			return fmt.Sprintf("%s < %s %s ≤ %s，故为中风险", t.LowMax, name, v, t.MediumMax)
		}
		return fmt.Sprintf("%s %s > %s，故为高风险", name, v, t.MediumMax)
	}
	switch l {
	case LevelLow:
		return fmt.Sprintf("%s %s ≤ %s, so level low", name, v, t.LowMax)
	case LevelMedium:
		return fmt.Sprintf("%s < %s %s ≤ %s, so level medium", t.LowMax, name, v, t.MediumMax)
	}
	return fmt.Sprintf("%s %s > %s, so level high", name, v, t.MediumMax)
}

func (r Result) levelText(e *Explanation, key string, l LevelResult, zh bool) {
	if zh {
		when := map[string]string{"initial": "采取措施前", "residual": "落实措施后"}[key]
		round := "6位小数内精确"
		if !l.Exact.Equal(l.Index) {
			round = fmt.Sprintf("精确值 %s，四舍五入保留6位小数", l.Exact)
		}
		e.Addf("index."+key, "%s综合风险指数 R = Σ wᵢ·rᵢ = %s（%s）；%s。", when, l.Index.StringFixed(6), round, thresholdText(l.Index, r.Rules.IndexThresholds, "R", true))
		e.Addf("counts."+key, "%s各因素等级：高风险 %d 个，中风险 %d 个，低风险 %d 个。", when, l.Counts.High, l.Counts.Medium, l.Counts.Low)
		if l.DecidedBy == RuleFloor {
			e.Addf("floor."+key, "下限规则 %s 将%s等级由%s提高为%s。", l.FloorRule, when, l.IndexLevel.Label().ZH, l.Level.Label().ZH)
		} else {
			e.Addf("level."+key, "%s风险等级为%s，由指数阈值确定，未触发下限规则。", when, l.Level.Label().ZH)
		}
		return
	}
	when := map[string]string{"initial": "before measures", "residual": "after measures"}[key]
	round := "exact at 6 places"
	if !l.Exact.Equal(l.Index) {
		round = fmt.Sprintf("exactly %s, rounded half-up to 6 places", l.Exact)
	}
	e.Addf("index."+key, "Comprehensive index %s: R = Σ wᵢ·rᵢ = %s (%s); %s.", when, l.Index.StringFixed(6), round, thresholdText(l.Index, r.Rules.IndexThresholds, "R", false))
	e.Addf("counts."+key, "Factor levels %s: %d high, %d medium, %d low.", when, l.Counts.High, l.Counts.Medium, l.Counts.Low)
	if l.DecidedBy == RuleFloor {
		e.Addf("floor."+key, "Floor rule %s raised the level %s from %s to %s.", l.FloorRule, when, l.IndexLevel, l.Level)
	} else {
		e.Addf("level."+key, "The level %s is %s, set by the index thresholds; no floor rule raised it.", when, l.Level)
	}
}

// MarshalJSON encodes the result with its English explanation. The
// encoding is written by hand (result_json.go) because a result is encoded
// on every evaluation the REST adapter serves; a test keeps it identical,
// byte for byte, to what encoding/json makes of the same fields.
func (r Result) MarshalJSON() ([]byte, error) {
	return r.AppendJSON(make([]byte, 0, 5120+720*len(r.Factors)))
}

// marshalJSONReflect is the encoding/json form that AppendJSON reproduces.
func (r Result) marshalJSONReflect() ([]byte, error) {
	type plain Result
	return json.Marshal(struct {
		plain
		Explanation Explanation `json:"explanation"`
	}{plain(r), r.Explain()})
}
