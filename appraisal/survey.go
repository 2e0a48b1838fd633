package appraisal

import (
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// Survey is the aggregate answer counts of a public survey such as the sense
// of security (群众安全感) or satisfaction (满意度) survey: counts per answer
// category, never respondents.
type Survey struct {
	// Name identifies the survey.
	Name string `json:"name"`
	// Sample describes how the sample was drawn (frame, method, period).
	Sample string `json:"sample"`
	// Categories are the answer categories with their counts.
	Categories []SurveyCategory `json:"categories"`
	// Invalid counts answers excluded as invalid or missing.
	Invalid int64 `json:"invalid,omitempty"`
}

// SurveyCategory is one answer on the survey's scale with its count.
type SurveyCategory struct {
	// ID names the answer, for example "basically_safe".
	ID string `json:"id"`
	// Label is the answer's wording (基本安全 …).
	Label ssra.Label `json:"label"`
	// Count is how many valid answers chose it.
	Count int64 `json:"count"`
	// TopBox marks the answers that count as a success: very safe, safe and
	// basically safe (很安全+安全+基本安全), or satisfied and basically
	// satisfied [practice].
	TopBox bool `json:"top_box,omitempty"`
	// Score is the category's value for a weighted index (for example 5 to 1).
	Score *decimal.Decimal `json:"score,omitempty"`
}

// SurveyRate is a top-box share with its Wilson interval, judged against a
// target.
type SurveyRate struct {
	// Survey is the survey's name.
	Survey string `json:"survey"`
	// Rate is the share with its Wilson interval and sample size.
	Rate ssra.Rate `json:"rate"`
	// Target is the share judged against.
	Target decimal.Decimal `json:"target"`
	// Judgement says met, missed or undecided.
	Judgement ssra.TargetJudgement `json:"judgement"`
	// Warnings are advisory findings, such as an undescribed sample.
	Warnings ssra.Problems `json:"warnings,omitempty"`
	// Explanation states the count, the interval and the verdict.
	Explanation Explanation `json:"explanation"`
}

func (s Survey) check(op string) (valid int64, ps ssra.Problems) {
	if len(s.Categories) == 0 {
		ps.Add("survey.categories_missing", "categories", "the survey has no answer categories")
	}
	if s.Invalid < 0 {
		ps.Add("survey.count_negative", "invalid", "count %d is negative", s.Invalid)
	}
	ids := map[string]bool{}
	for i, c := range s.Categories {
		p := ssra.Index("categories", i)
		if c.ID == "" {
			ps.Add("survey.category_id_missing", ssra.JoinPath(p, "id"), "category id is missing")
		} else if ids[c.ID] {
			ps.Add("survey.category_duplicate", ssra.JoinPath(p, "id"), "category %q is listed twice", c.ID)
		}
		ids[c.ID] = true
		if c.Count < 0 {
			ps.Add("survey.count_negative", ssra.JoinPath(p, "count"), "count %d is negative", c.Count)
			continue
		}
		if valid > 1<<53-c.Count {
			ps.Add("survey.count_too_large", ssra.JoinPath(p, "count"), "counts are too large")
			continue
		}
		valid += c.Count
	}
	if !ps.HasErrors() && valid == 0 {
		ps.Add("survey.no_answers", "categories", "the survey has no valid answers")
	}
	if strings.TrimSpace(s.Sample) == "" {
		ps.Warn("survey.sample_undescribed", "sample", "the survey does not describe its sample")
	}
	return valid, ps
}

// TopBoxRate returns the share of valid answers in the top-box categories
// with its 95 % Wilson interval, judged against target (a share such as
// 0.95): met when the whole interval reaches it, missed when the whole
// interval lies below it, undecided otherwise.
func TopBoxRate(s Survey, target decimal.Decimal) (SurveyRate, error) {
	valid, ps := s.check("appraisal.TopBoxRate")
	if err := ssra.CheckDecimal(target); err != nil {
		ps.Add("survey.target_invalid", "target", "%s", ssra.Reason(err))
	} else if target.Sign() < 0 || target.Cmp(decimal.NewFromInt(1)) > 0 {
		ps.Add("survey.target_range", "target", "target %s must be a share in [0, 1]", target)
	}
	hasTop := false
	for _, c := range s.Categories {
		hasTop = hasTop || c.TopBox
	}
	if !hasTop {
		ps.Add("survey.top_box_missing", "categories", "no category is marked top_box")
	}
	if err := ps.Err("appraisal.TopBoxRate"); err != nil {
		return SurveyRate{}, err
	}
	var succ int64
	var names []string
	for _, c := range s.Categories {
		if c.TopBox {
			succ += c.Count
			names = append(names, c.ID)
		}
	}
	rate, err := ssra.NewRate(succ, valid)
	if err != nil {
		return SurveyRate{}, ssra.Wrap(ssra.KindInvalid, "appraisal.TopBoxRate", err, "rate")
	}
	out := SurveyRate{Survey: s.Name, Rate: rate, Target: target, Judgement: rate.Judge(target), Warnings: ps.Warnings()}
	out.Explanation.Addf("survey.rate", "(%s) = %d of %d valid answers (%d invalid excluded) = %s, rounded half-up to %d places", strings.Join(names, " + "), succ, valid, s.Invalid, rate.Value, ssra.RateScale)
	out.Explanation.Addf("survey.interval", "95 %% Wilson interval [%s, %s] (z = %s), rounded half-up to %d places for display; the target is judged on the exact bounds", rate.Lower, rate.Upper, rate.Z, ssra.RateScale)
	// Judged on the unrounded bounds (domain.md §2.3, §1.10): 426 of 439
	// shows a lower bound of 0.9500 that lies below 0.95.
	switch out.Judgement {
	case ssra.TargetMet:
		out.Explanation.Addf("survey.judgement", "target %s met with confidence: the exact lower bound (shown %s) reaches it", target, rate.Lower)
	case ssra.TargetMissed:
		out.Explanation.Addf("survey.judgement", "target %s missed: the exact upper bound (shown %s) lies below it", target, rate.Upper)
	default:
		msg := "target %s undecided: it lies within the interval; a larger sample would decide"
		if rate.Lower.Cmp(target) >= 0 || rate.Upper.Cmp(target) < 0 {
			msg = "target %s undecided: it lies within the exact interval, although the rounded bounds [" + rate.Lower.String() + ", " + rate.Upper.String() + "] would place it outside; a larger sample would decide"
		}
		out.Explanation.Addf("survey.judgement", msg, target)
	}
	return out, nil
}

// SurveyIndex is a weighted mean of category scores.
type SurveyIndex struct {
	// Survey is the survey's name.
	Survey string `json:"survey"`
	// Valid is the number of valid answers.
	Valid int64 `json:"valid"`
	// Index is the weighted mean, 6 places.
	Index decimal.Decimal `json:"index"`
	// Warnings are advisory findings.
	Warnings ssra.Problems `json:"warnings,omitempty"`
	// Explanation states the sum and the division.
	Explanation Explanation `json:"explanation"`
}

// WeightedIndex returns Σ countᵢ·scoreᵢ / Σ countᵢ over the valid answers,
// rounded half-up to 6 places (the index scale). Every category needs a score.
func WeightedIndex(s Survey) (SurveyIndex, error) {
	valid, ps := s.check("appraisal.WeightedIndex")
	for i, c := range s.Categories {
		p := ssra.JoinPath(ssra.Index("categories", i), "score")
		if c.Score == nil {
			ps.Add("survey.score_missing", p, "category %q has no score", c.ID)
		} else if err := ssra.CheckDecimal(*c.Score); err != nil {
			ps.Add("survey.score_invalid", p, "%s", ssra.Reason(err))
		}
	}
	if err := ps.Err("appraisal.WeightedIndex"); err != nil {
		return SurveyIndex{}, err
	}
	sum := decimal.Zero
	for _, c := range s.Categories {
		sum = sum.Add(c.Score.Mul(decimal.NewFromInt(c.Count)))
	}
	idx := sum.DivRound(decimal.NewFromInt(valid), ssra.IndexScale)
	out := SurveyIndex{Survey: s.Name, Valid: valid, Index: idx, Warnings: ps.Warnings()}
	out.Explanation.Addf("survey.index", "Σ count × score = %s over %d valid answers = %s, rounded half-up to %d places", sum, valid, idx, ssra.IndexScale)
	return out, nil
}
