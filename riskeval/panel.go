package riskeval

import (
	"fmt"
	"slices"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// Rating is one panel member's rating (专家评分) of a factor's estimate: the
// member's id (never a name: names are on Panel.Members, visible to the
// assessment's own organisation only), the probability and impact points,
// and an optional note.
type Rating struct {
	Member      string `json:"member"`
	Probability int    `json:"probability"`
	Impact      int    `json:"impact"`
	Note        string `json:"note,omitempty"`
}

// PanelMember is one expert or official on the panel (专家组成员). ID is what
// ratings, rounds and every shared view use; Name and Organisation identify
// the person to the assessment's own organisation only. Weight is the
// member's weight for the weighted-mean aggregation (the weights sum to 1).
type PanelMember struct {
	ID           string          `json:"id"`
	Name         string          `json:"name,omitempty"`
	Organisation string          `json:"organisation,omitempty"`
	Weight       decimal.Decimal `json:"weight,omitzero"`
}

// DelphiRound is one anonymous round of a Delphi consultation (德尔菲法): the
// ratings given in it, by factor, and the agreement fed back to the members
// after it (aggregate and spread, never who rated what).
type DelphiRound struct {
	Round    int             `json:"round"`
	Date     ssra.Date       `json:"date,omitzero"`
	Ratings  []FactorRatings `json:"ratings"`
	Feedback *PanelResult    `json:"feedback,omitempty"`
}

// FactorRatings are the members' ratings of one factor's residual estimate
// in a Delphi round.
type FactorRatings struct {
	Factor  string   `json:"factor"`
	Ratings []Rating `json:"ratings"`
}

// PanelResult is the panel's agreement: per rated estimate the aggregate
// the evaluation used, with its rule, the spread of each scale and the
// consensus flag; over the residual estimates, Kendall's W when every member
// rated every rated factor.
type PanelResult struct {
	Aggregation Aggregation       `json:"aggregation"`
	Factors     []FactorAgreement `json:"factors"`
	Concordance *Concordance      `json:"concordance,omitempty"`
	// ConsensusRule states the profile's consensus rule.
	ConsensusRule string `json:"consensus_rule"`
	// Consensus is true when every rated estimate meets the rule.
	Consensus bool `json:"consensus"`
}

// FactorAgreement is one rated estimate's aggregate and spread.
type FactorAgreement struct {
	Factor      string `json:"factor"`
	Estimate    string `json:"estimate"`
	Members     int    `json:"members"`
	Probability int    `json:"probability"`
	Impact      int    `json:"impact"`
	PSpread     Spread `json:"probability_spread"`
	ISpread     Spread `json:"impact_spread"`
	Consensus   bool   `json:"consensus"`
}

// consensusRule returns the profile's rule: the largest IQR on either scale
// that still counts as consensus (default 1 point).
func consensusMaxIQR(r PanelRule) decimal.Decimal {
	if r.ConsensusMaxIQR.IsZero() {
		return decimal.NewFromInt(1)
	}
	return r.ConsensusMaxIQR
}

// panelWork is the panel's part of an evaluation: the ratings resolved into
// estimates, and the agreement.
type panelWork struct {
	result *PanelResult
	// residual[i] are factor i's residual ratings, nil when it has none.
	residual [][]Rating
}

// resolvePanel fills the estimates that carry ratings with the aggregate
// of the profile's rule, in a copy of the factors, and returns the panel's
// agreement. Problems are added to ps (errors for bad ratings, warnings
// panel.no_consensus and panel.low_concordance for low agreement).
func resolvePanel(a *Assessment, p *ProfileDef, ps *ssra.Problems) *panelWork {
	rated := false
	for _, f := range a.Factors {
		if len(f.Initial.Ratings) > 0 || f.Residual != nil && len(f.Residual.Ratings) > 0 {
			rated = true
			break
		}
	}
	if !rated {
		return nil
	}
	rule := p.Panel
	agg := rule.Aggregation
	if agg == AggregationNone {
		agg = AggregationMedian
	}
	var members map[string]PanelMember
	if a.Panel != nil && len(a.Panel.Members) > 0 {
		members = map[string]PanelMember{}
		for i, m := range a.Panel.Members {
			f := ssra.JoinPath("panel", ssra.Index("members", i))
			switch _, dup := members[m.ID]; {
			case m.ID == "":
				ps.Add("panel.member_id_missing", ssra.JoinPath(f, "id"), "a panel member needs an id")
			case dup:
				ps.Add("panel.member_duplicate", ssra.JoinPath(f, "id"), "member %q appears twice", m.ID)
			}
			members[m.ID] = m
		}
	}
	if agg == AggregationWeightedMean && members == nil {
		ps.Add("panel.members_missing", "panel.members", "the weighted mean needs the members and their weights")
	}
	maxIQR := consensusMaxIQR(rule)
	w := &panelWork{result: &PanelResult{Aggregation: agg, Consensus: true,
		ConsensusRule: fmt.Sprintf("IQR of both scales ≤ %s point(s)", maxIQR)}, residual: make([][]Rating, len(a.Factors))}
	factors := slices.Clone(a.Factors)
	for i := range factors {
		f := &factors[i]
		if len(f.Initial.Ratings) > 0 {
			if fa, ok := resolveEstimate(&f.Initial, ssra.JoinPath(ssra.Index("factors", i), "initial"), agg, members, p, ps); ok {
				fa.Factor, fa.Estimate = f.ID, "initial"
				w.add(fa, maxIQR)
			}
		}
		if f.Residual != nil && len(f.Residual.Ratings) > 0 {
			e := *f.Residual
			if fa, ok := resolveEstimate(&e, ssra.JoinPath(ssra.Index("factors", i), "residual"), agg, members, p, ps); ok {
				fa.Factor, fa.Estimate = f.ID, "residual"
				w.add(fa, maxIQR)
				w.residual[i] = e.Ratings
			}
			f.Residual = &e
		}
	}
	a.Factors = factors
	for _, fa := range w.result.Factors {
		if !fa.Consensus {
			ps.Warn("panel.no_consensus", fmt.Sprintf("factors[%s].%s.ratings", fa.Factor, fa.Estimate),
				"the panel did not agree on factor %s (%s): IQR %s of probability and %s of impact, the rule is %s",
				fa.Factor, fa.Estimate, fa.PSpread.IQR, fa.ISpread.IQR, w.result.ConsensusRule)
		}
	}
	w.concordance(p, rule, ps)
	return w
}

func (w *panelWork) add(fa FactorAgreement, maxIQR decimal.Decimal) {
	fa.Consensus = fa.PSpread.IQR.Cmp(maxIQR) <= 0 && fa.ISpread.IQR.Cmp(maxIQR) <= 0
	if !fa.Consensus {
		w.result.Consensus = false
	}
	w.result.Factors = append(w.result.Factors, fa)
}

// resolveEstimate checks one estimate's ratings and sets its points to the
// aggregate.
func resolveEstimate(e *Estimate, field string, agg Aggregation, members map[string]PanelMember, p *ProfileDef, ps *ssra.Problems) (FactorAgreement, bool) {
	np, ni := len(p.Probability.Points), len(p.Impact.Points)
	ok := true
	seen := map[string]bool{}
	var pts, its []int
	var weights []decimal.Decimal
	for k, r := range e.Ratings {
		f := ssra.JoinPath(field, ssra.Index("ratings", k))
		switch {
		case r.Member == "":
			ps.Add("panel.rating_member_missing", ssra.JoinPath(f, "member"), "a rating needs the member's id")
			ok = false
		case seen[r.Member]:
			ps.Add("panel.rating_duplicate", ssra.JoinPath(f, "member"), "member %q rated this estimate twice", r.Member)
			ok = false
		case members != nil && members[r.Member].ID == "":
			ps.Add("panel.rating_member_unknown", ssra.JoinPath(f, "member"), "member %q is not on the panel", r.Member)
			ok = false
		}
		seen[r.Member] = true
		if r.Probability < 1 || r.Probability > np {
			ps.Add("estimate.out_of_scale", ssra.JoinPath(f, "probability"), "probability %d is outside the scale 1..%d", r.Probability, np)
			ok = false
		}
		if r.Impact < 1 || r.Impact > ni {
			ps.Add("estimate.out_of_scale", ssra.JoinPath(f, "impact"), "impact %d is outside the scale 1..%d", r.Impact, ni)
			ok = false
		}
		pts, its = append(pts, r.Probability), append(its, r.Impact)
		if members != nil {
			weights = append(weights, members[r.Member].Weight)
		}
	}
	if !ok {
		return FactorAgreement{}, false
	}
	if agg == AggregationWeightedMean {
		// The ratings' members' weights must sum to 1.
		sum := decimal.Zero
		for _, x := range weights {
			sum = sum.Add(x)
		}
		if !sum.Equal(decimal.NewFromInt(1)) {
			ps.Add("panel.weights_sum", ssra.JoinPath(field, "ratings"), "the weights of the members who rated sum to %s, not 1", sum)
			return FactorAgreement{}, false
		}
	}
	ap, err1 := AggregatePoints(agg, pts, weights)
	ai, err2 := AggregatePoints(agg, its, weights)
	if err1 != nil || err2 != nil {
		ps.Add("panel.aggregation_failed", ssra.JoinPath(field, "ratings"), "the ratings cannot be aggregated: %v", firstErr(err1, err2))
		return FactorAgreement{}, false
	}
	if (e.Probability != 0 && e.Probability != ap) || (e.Impact != 0 && e.Impact != ai) {
		ps.Add("panel.estimate_conflict", field, "the estimate (%d, %d) differs from the %s of its ratings (%d, %d): give the ratings alone", e.Probability, e.Impact, agg, ap, ai)
		return FactorAgreement{}, false
	}
	e.Probability, e.Impact = ap, ai
	return FactorAgreement{Members: len(e.Ratings), Probability: ap, Impact: ai, PSpread: PointSpread(pts), ISpread: PointSpread(its)}, true
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}

// concordance computes Kendall's W over the residual scores of the factors
// rated by every member who rated any of them, when there are at least two
// of each.
func (w *panelWork) concordance(p *ProfileDef, rule PanelRule, ps *ssra.Problems) {
	var ids []string
	var rated []int
	for i, rs := range w.residual {
		if rs == nil {
			continue
		}
		rated = append(rated, i)
		for _, r := range rs {
			if !slices.Contains(ids, r.Member) {
				ids = append(ids, r.Member)
			}
		}
	}
	if len(rated) < 2 || len(ids) < 2 {
		return
	}
	slices.Sort(ids)
	scores := make([][]decimal.Decimal, len(ids))
	for j, id := range ids {
		for _, i := range rated {
			k := slices.IndexFunc(w.residual[i], func(r Rating) bool { return r.Member == id })
			if k < 0 {
				ps.Warn("panel.concordance_incomplete", "factors", "Kendall's W is not computed: member %q did not rate every rated factor", id)
				return
			}
			r := w.residual[i][k]
			scores[j] = append(scores[j], gradeOf(p.Probability, r.Probability).Mul(gradeOf(p.Impact, r.Impact)))
		}
	}
	c, err := KendallW(scores)
	if err != nil {
		return
	}
	w.result.Concordance = &c
	if min := rule.MinConcordance; !min.IsZero() && c.W.Cmp(min) < 0 {
		ps.Warn("panel.low_concordance", "factors", "the panel's rankings of the factors agree weakly: Kendall's W %s is below the profile's %s", c.W, min)
	}
}

// gradeOf returns the grade of point v of scale s, zero when absent.
func gradeOf(s Scale, v int) decimal.Decimal {
	for _, pt := range s.Points {
		if pt.Value == v {
			return pt.Grade
		}
	}
	return decimal.Zero
}

// PanelReady checks the profile's panel rule for submission: at least
// MinRounds Delphi rounds kept on the assessment, and, when
// RequireConsensus is set, rated estimates that all meet the consensus rule.
// It returns nil when the rule is met, else an *ssra.Error of
// KindPreconditionFailed listing panel.rounds_short, panel.consensus_missing
// or panel.no_consensus.
func PanelReady(a Assessment, p Profile) error {
	var ps ssra.Problems
	def := p.def()
	rule := def.Panel
	rounds := 0
	if a.Panel != nil {
		rounds = len(a.Panel.Rounds)
	}
	if rounds < rule.MinRounds {
		ps.Add("panel.rounds_short", "panel.rounds", "the profile asks for %d Delphi round(s) before submission; %d kept", rule.MinRounds, rounds)
	}
	if rule.RequireConsensus {
		var scratch ssra.Problems
		w := resolvePanel(&a, def, &scratch)
		switch {
		case w == nil:
			ps.Add("panel.consensus_missing", "factors", "the profile asks for the panel's consensus; no estimate carries the members' ratings")
		case !w.result.Consensus:
			for _, fa := range w.result.Factors {
				if !fa.Consensus {
					ps.Add("panel.no_consensus", fmt.Sprintf("factors[%s].%s.ratings", fa.Factor, fa.Estimate),
						"the panel has not reached consensus on factor %s (%s) under the rule %s", fa.Factor, fa.Estimate, w.result.ConsensusRule)
				}
			}
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &ssra.Error{Kind: ssra.KindPreconditionFailed, Op: "riskeval.PanelReady", Message: "the panel rule of the profile is not met", Problems: ps}
}

// Anonymised returns the assessment as another organisation or the public
// may see it: panel members keep their ids and weights, and lose their names
// and organisations. Ratings and rounds name members by id only already.
func (a Assessment) Anonymised() Assessment {
	if a.Panel == nil || len(a.Panel.Members) == 0 {
		return a
	}
	pn := *a.Panel
	pn.Members = slices.Clone(pn.Members)
	for i := range pn.Members {
		pn.Members[i].Name, pn.Members[i].Organisation = "", ""
	}
	a.Panel = &pn
	return a
}
