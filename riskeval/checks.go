package riskeval

import (
	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// DefaultCriteria are the four criteria every assessment answers; safety is
// optional.
var defaultCriteria = [...]Criterion{CriterionLegality, CriterionReasonableness, CriterionFeasibility, CriterionControllability}

// DefaultCriteria returns the four criteria every assessment must answer
// (legality, reasonableness, feasibility, controllability).
func DefaultCriteria() []Criterion { return defaultCriteria[:] }

func (ev *evaluation) checkCriteria(measures map[string]bool) {
	a, ps := ev.a, &ev.ps
	var answered [CriterionSafety + 1]bool
	for i, ca := range a.Criteria {
		field := ssra.Index("criteria", i)
		if !ca.Criterion.Valid() {
			ps.Add("criterion.unknown", field+".criterion", "criterion must be one of %v", criteria.Names())
			continue
		}
		answered[ca.Criterion] = true
		if ca.Question == "" {
			ps.Add("criterion.question_missing", field+".question", "name the question answered")
		}
		switch {
		case ca.Answer == AnswerNone:
			ps.Warn("criterion.unanswered", field+".answer", "the question is not answered")
		case ca.Answer == AnswerNo && len(ca.Measures) == 0:
			ps.Warn("criterion.no_without_measure", field+".measures", "the finding is \"no\" but no measure addresses it")
		case ca.Answer == AnswerPartly && len(ca.Measures) == 0:
			ps.Warn("criterion.partly_without_measure", field+".measures", "the finding is \"partly\" but no measure addresses it")
		}
		for j, id := range ca.Measures {
			if !measures[id] {
				ps.Add("criterion.measure_unknown", ssra.Index(field+".measures", j), "no factor has a measure with id %q", id)
			}
		}
	}
	if len(a.Criteria) > 0 {
		for _, c := range defaultCriteria {
			if !answered[c] {
				ps.Warn("criteria.missing", "criteria", "criterion %s (%s) has no findings", c, c.Label(ssra.LangZH))
			}
		}
	} else {
		ps.Warn("criteria.missing", "criteria", "no findings on the criteria legality, reasonableness, feasibility and controllability")
	}
}

func (ev *evaluation) checkConsultations(regime Regime) {
	a, ps := ev.a, &ev.ps
	longest := 0
	for i, c := range a.Consultations {
		field := ssra.Index("consultations", i)
		if c.Method == ConsultationNone {
			ps.Add("consultation.method_missing", field+".method", "name the consultation method")
		}
		if c.Participants < 0 {
			ps.Add("consultation.participants_negative", field+".participants", "participants must not be negative")
		}
		if c.CommentDays < 0 {
			ps.Add("consultation.days_negative", field+".comment_days", "comment_days must not be negative")
		}
		if c.OpinionsReceived < 0 || c.OpinionsAdopted < 0 {
			ps.Add("consultation.opinions_negative", field, "opinion counts must not be negative")
		} else if c.OpinionsAdopted > c.OpinionsReceived {
			ps.Add("consultation.adopted_above_received", field+".opinions_adopted", "%d opinions adopted but only %d received", c.OpinionsAdopted, c.OpinionsReceived)
		}
		if c.Date.IsZero() {
			ps.Warn("consultation.date_missing", field+".date", "the consultation has no date")
		}
		longest = max(longest, c.CommentDays)
	}
	if regime.MinCommentDays > 0 && longest < regime.MinCommentDays {
		ps.Warn("consultation.comment_period_short", "consultations",
			"the longest public comment period is %d days; regime %s expects at least %d days", longest, regime.ID, regime.MinCommentDays)
	}
	if len(a.Consultations) == 0 {
		ps.Warn("consultation.none", "consultations", "no consultation of the public or experts is recorded")
	}
}

func (ev *evaluation) checkSurvey() {
	s, ps := ev.a.Survey, &ev.ps
	if s == nil {
		return
	}
	if s.Distributed < 0 || s.Support < 0 || s.Neutral < 0 || s.Oppose < 0 {
		ps.Add("survey.count_negative", "survey", "survey counts must not be negative")
		return
	}
	valid := s.Valid()
	if valid == 0 {
		ps.Add("survey.empty", "survey", "the survey has no valid answers")
		return
	}
	if s.Distributed > 0 && valid > s.Distributed {
		ps.Add("survey.valid_above_distributed", "survey.distributed", "%d valid answers but only %d questionnaires distributed", valid, s.Distributed)
		return
	}
	if s.Frame == "" || s.Distributed == 0 {
		ps.Warn("survey.sample_undescribed", "survey", "describe the sample: the sampling frame and the number of questionnaires distributed")
	}
	if s.Distributed > 1<<30 || valid > 1<<30 {
		ps.Add("survey.too_large", "survey", "survey counts above 2³⁰ are not supported")
		return
	}
	r, err := ssra.NewRate(int64(s.Oppose), int64(valid))
	if err != nil {
		ps.Add("survey.invalid", "survey", "%s", ssra.Reason(err))
		return
	}
	sr := &SurveyResult{Valid: valid, Distributed: s.Distributed, Frame: s.Frame, Opposition: r, Advisory: true}
	if s.Distributed > 0 {
		// valid/distributed rounded half-up to 4 places, in exact integers.
		v, n := int64(valid), int64(s.Distributed)
		sr.ResponseRate = decimal.New((v*20000+n)/(2*n), -ssra.RateScale)
	}
	sr.Suggested = ev.p.Survey.OfCounts(int64(s.Oppose), int64(valid))
	ev.res.Survey = sr
}

func (ev *evaluation) checkPanel() {
	pn, ps, rule := ev.a.Panel, &ev.ps, ev.p.Panel
	if pn == nil {
		if rule.MinSize > 0 {
			ps.Warn("panel.missing", "panel", "no expert panel is recorded")
		}
		return
	}
	if pn.Size < 0 || pn.Recusals < 0 {
		ps.Add("panel.count_negative", "panel", "panel size and recusals must not be negative")
		return
	}
	if pn.Recusals > pn.Size {
		ps.Add("panel.recusals_above_size", "panel.recusals", "%d recusals in a panel of %d", pn.Recusals, pn.Size)
		return
	}
	want := rule.MinSize
	if rule.LargeMinSize > 0 && rule.LargeInvestment.Sign() > 0 && ev.a.Subject.Investment.Cmp(rule.LargeInvestment) >= 0 {
		want = rule.LargeMinSize
	}
	if sitting := pn.Size - pn.Recusals; sitting < want {
		ps.Warn("panel.too_small", "panel.size", "%d experts sit after %d recusals; the profile asks for at least %d", sitting, pn.Recusals, want)
	}
	if pn.Writer != "" && pn.Writer == pn.Reviewer {
		ps.Warn("panel.writer_is_reviewer", "panel.reviewer", "the writer of the report may not be its reviewer (编审分离)")
	}
}
