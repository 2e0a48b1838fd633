package appraisal

import (
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// StaffPolicy says how an organisation's annual appraisal (年度考核) turns
// scores into grades: which scheme band proposes which grade, the excellent
// quota and the tie-break. The person's score itself comes from a Scheme,
// typically a weights-mode scheme of routine (平时), special-task (专项) and
// year-end parts and a stability-work indicator (see PresetAnnualCivilServant).
type StaffPolicy struct {
	// Name identifies the policy; rankings record it.
	Name string `json:"name"`
	// Version is recorded in every ranking.
	Version string `json:"version"`
	// Tag says whether the policy is law or practice.
	Tag ssra.Tag `json:"tag"`
	// Label is the policy's title.
	Label ssra.Label `json:"label"`
	// GradeSet is the set of grades given.
	GradeSet GradeSet `json:"grade_set"`
	// BandGrades maps every band id of the scheme to the grade it proposes.
	BandGrades map[string]StaffGrade `json:"band_grades"`
	// Quota is the excellent quota.
	Quota Quota `json:"quota"`
	// TieBreak lists item ids whose points break a tie in the total, higher
	// first, in order; the person id (ascending) breaks any tie left, so
	// the order is total and stable.
	TieBreak []string `json:"tie_break,omitempty"`
}

// Quota is the excellent quota (优秀等次比例).
type Quota struct {
	// Rules is the rule version that sets the rates.
	Rules QuotaRules `json:"rules"`
	// Rounding rounds base × rate to a number of people.
	Rounding Rounding `json:"rounding"`
	// NoGradeInBase says whether people without a grade count in the base.
	NoGradeInBase NoGradeBase `json:"no_grade_in_base"`
	// SmallUnits says what a base too small for one 优秀 gets (see
	// SmallUnits; both choices are [practice]).
	SmallUnits SmallUnits `json:"small_units"`
}

// Approval records the approval of the civil-service authority for the
// higher cap (2020 rules: 25 %).
type Approval struct {
	// Ref is the approval document's reference (文号).
	Ref string `json:"ref"`
	// By names the approving authority.
	By string `json:"by"`
	// Date is the approval's date.
	Date ssra.Date `json:"date"`
}

// PooledPlaces records the 优秀 places a superior organ allocated to a unit
// too small for one of its own, from the places it pools (统筹使用).
type PooledPlaces struct {
	// Places is the number allocated, at least 1 and at most the base.
	Places int `json:"places"`
	// Ref is the allocation document's reference (文号).
	Ref string `json:"ref"`
	// By names the allocating organ.
	By string `json:"by"`
	// Date is the allocation's date.
	Date ssra.Date `json:"date"`
}

// Run is one annual appraisal run of an organisation.
type Run struct {
	// Year is the appraisal year.
	Year int `json:"year"`
	// Approval, when present, lifts the quota from the general rate to the cap.
	Approval *Approval `json:"approval,omitempty"`
	// Pooled, under a policy with SmallUnitsPooled, is the superior organ's
	// allocation to a unit too small for one 优秀.
	Pooled *PooledPlaces `json:"pooled,omitempty"`
	// Date is the day the grades are decided; imposed vetoes whose window
	// covers it bar the persons they bind from 优秀 (评先受奖), wherever those
	// persons now work.
	Date ssra.Date `json:"date,omitempty"`
	// Vetoes are the veto outcomes to apply (from unit results).
	Vetoes []VetoOutcome `json:"vetoes,omitempty"`
}

// Person is a participant in the annual appraisal: staff personnel data,
// visible to the person, their appraisers and administrators only.
type Person struct {
	// ID is the person's personnel id.
	ID string `json:"id"`
	// Inputs are the person's scores on the scheme's items.
	Inputs []Input `json:"inputs"`
	// Probation marks a probationer (试用期): a comment, no grade.
	Probation bool `json:"probation,omitempty"`
	// Sanction is the heaviest sanction in effect during the year, if any.
	Sanction Sanction `json:"sanction,omitempty"`
}

// ValidateStaffPolicy checks a policy against the scheme it will rank on and
// returns every problem.
func ValidateStaffPolicy(p StaffPolicy, scheme *Scheme) ssra.Problems {
	var ps ssra.Problems
	if strings.TrimSpace(p.Name) == "" {
		ps.Add("policy.name_missing", "name", "the policy needs a name")
	}
	if strings.TrimSpace(p.Version) == "" {
		ps.Add("policy.version_missing", "version", "the policy needs a version")
	}
	if p.Tag == 0 {
		ps.Add("policy.tag_missing", "tag", "the policy needs a tag: law or practice")
	}
	if p.GradeSet == 0 {
		ps.Add("policy.grade_set_missing", "grade_set", "grade_set must be civil_servants or public_institutions")
	}
	if p.Quota.Rules == 0 {
		ps.Add("quota.rules_missing", "quota.rules", "quota rules must be rules_2007 or rules_2020")
	}
	if p.Quota.Rounding == 0 {
		ps.Add("quota.rounding_missing", "quota.rounding", "rounding must be half_up or up")
	}
	if p.Quota.NoGradeInBase == 0 {
		ps.Add("quota.no_grade_in_base_missing", "quota.no_grade_in_base", "say whether people without a grade count in the base: include or exclude")
	}
	if p.Quota.SmallUnits == 0 {
		ps.Add("quota.small_units_missing", "quota.small_units", "say what a unit too small for one 优秀 gets: none or pooled")
	}
	if scheme == nil {
		ps.Add("policy.scheme_missing", "", "no scheme to rank on")
		return ps
	}
	bands := map[string]bool{}
	for _, b := range scheme.c.bands {
		bands[b.id] = true
		g, ok := p.BandGrades[b.id]
		switch {
		case !ok:
			ps.Add("policy.band_unmapped", "band_grades", "scheme band %q proposes no grade", b.id)
		case g == NoGrade || g == 0:
			ps.Add("policy.band_grade_invalid", "band_grades."+b.id, "a band proposes a grade, not %q", g)
		}
	}
	for id := range p.BandGrades {
		if !bands[id] {
			ps.Add("policy.band_unknown", "band_grades."+id, "scheme %s has no band %q", scheme.Name(), id)
		}
	}
	for i, id := range p.TieBreak {
		if _, ok := scheme.c.index[id]; !ok {
			ps.Add("policy.tie_break_unknown", ssra.Index("tie_break", i), "scheme %s has no item %q", scheme.Name(), id)
		}
	}
	return ps
}

// Ranked is one person's place in a ranking.
type Ranked struct {
	// ID is the person's personnel id.
	ID string `json:"id"`
	// Total is the person's score on the scheme.
	Total decimal.Decimal `json:"total"`
	// Band is the scheme band the total fell in.
	Band string `json:"band"`
	// Proposed is the grade the band proposed.
	Proposed StaffGrade `json:"proposed"`
	// Grade is the final, quota-adjusted grade.
	Grade StaffGrade `json:"grade"`
	// Reason says what decided the final grade.
	Reason Reason `json:"reason"`
	// Position is the person's place among the candidates for 优秀
	// (1-based), or 0 when not a candidate.
	Position int `json:"position,omitempty"`
	// Why states the decision in a sentence.
	Why string `json:"why"`
	// Result is the person's scoring result with its breakdown.
	Result Result `json:"result"`
}

// Ranking is the outcome of an annual appraisal run.
type Ranking struct {
	// Scheme names the scheme that scored the people.
	Scheme SchemeRef `json:"scheme"`
	// Policy and Version name the staff policy applied.
	Policy  string `json:"policy"`
	Version string `json:"policy_version"`
	// Year is the appraisal year.
	Year int `json:"year"`
	// Participants is everyone in the run; NoGrade those without a grade.
	Participants int `json:"participants"`
	NoGrade      int `json:"no_grade"`
	// Base is the number the quota rate applies to.
	Base int `json:"base"`
	// RatePercent is the rate applied: the general rate, or the cap when
	// Approval is recorded.
	RatePercent int64 `json:"rate_percent"`
	// Approval is the approval that lifted the rate to the cap, if any.
	Approval *Approval `json:"approval,omitempty"`
	// Rounded is Base × RatePercent rounded as the policy says.
	Rounded int `json:"rounded"`
	// CeilingPercent is the percentage the count may never exceed (see
	// QuotaRules.Ceiling), and Ceiling is floor(Base × CeilingPercent).
	CeilingPercent int64 `json:"ceiling_percent"`
	Ceiling        int   `json:"ceiling"`
	// Pooled is the superior organ's allocation the quota came from, when
	// the unit was too small for one 优秀 and the policy pools.
	Pooled *PooledPlaces `json:"pooled,omitempty"`
	// Quota is the most people who may be graded 优秀: the smaller of
	// Rounded and Ceiling, or the pooled places.
	Quota int `json:"quota"`
	// Candidates are those whose band proposed 优秀 and who may receive it.
	Candidates int `json:"candidates"`
	// Excellent is how many got 优秀 (never more than Quota).
	Excellent int `json:"excellent"`
	// Boundary explains what separated the last person within the quota
	// from the first beyond it, when anyone was beyond it.
	Boundary string `json:"boundary,omitempty"`
	// People are the participants in input order.
	People []Ranked `json:"people"`
	// Explanation states the base, rate, rounding, quota and tie-break.
	Explanation Explanation `json:"explanation"`
}

// QuotaCount returns how many of base may be graded 优秀: base × percent
// rounded as r says, half-up (四舍五入) or up (进一法), and never more than
// floor(base × ceiling), the rule's hard cap (QuotaRules.Ceiling): rounding
// may not carry the count past the cap (2007: "最多不超过20%"; 2020: 25 %
// only with approval, else 20 %). It is exact integer arithmetic.
func QuotaCount(base int, percent, ceiling int64, r Rounding) int {
	return min(roundQuota(base, percent, r), floorQuota(base, ceiling))
}

// roundQuota is base × percent / 100 rounded as r says.
func roundQuota(base int, percent int64, r Rounding) int {
	num := int64(base) * percent
	q, rem := num/100, num%100
	switch r {
	case RoundUp:
		if rem > 0 {
			q++
		}
	default:
		if rem >= 50 {
			q++
		}
	}
	return int(q)
}

// floorQuota is floor(base × percent / 100).
func floorQuota(base int, percent int64) int { return int(int64(base) * percent / 100) }

// maxRankProblems bounds the problems Rank collects from people's inputs,
// so that an organisation-wide mistake yields a readable error.
const maxRankProblems = 200

// Rank scores every person on scheme, applies the no-grade and warning
// rules, ranks the candidates for 优秀 by total and the policy's tie-break,
// and grades 优秀 only as many as the quota allows; the rest of the
// candidates become 称职 (合格). People keep their input order in the
// result; each says why. Errors are *ssra.Error of kind invalid with every
// problem, under paths such as "people[3].inputs[0].value".
func Rank(scheme *Scheme, policy StaffPolicy, run Run, people []Person) (Ranking, error) {
	ps := ValidateStaffPolicy(policy, scheme).Prefix("policy")
	if len(run.Vetoes) > 0 && run.Date.IsZero() {
		ps.Add("run.date_missing", "run.date", "vetoes are judged on the day the grades are decided, which is missing")
	}
	if run.Approval != nil && strings.TrimSpace(run.Approval.Ref) == "" {
		ps.Add("run.approval_ref_missing", "run.approval.ref", "an approval for the higher cap must carry its reference")
	}
	if run.Pooled != nil {
		if policy.Quota.SmallUnits != SmallUnitsPooled {
			ps.Add("run.pooled_not_allowed", "run.pooled", "policy %s does not take pooled places (small_units is %s)", policy.Name, policy.Quota.SmallUnits)
		}
		if strings.TrimSpace(run.Pooled.Ref) == "" {
			ps.Add("run.pooled_ref_missing", "run.pooled.ref", "pooled places must carry the allocation's reference")
		}
		if run.Pooled.Places < 1 {
			ps.Add("run.pooled_places", "run.pooled.places", "pooled places must be at least 1, got %d", run.Pooled.Places)
		}
	}
	if err := ps.Err("appraisal.Rank"); err != nil {
		return Ranking{}, err
	}
	rk := Ranking{Scheme: SchemeRef{Name: scheme.def.Name, Version: scheme.def.Version, Tag: scheme.def.Tag},
		Policy: policy.Name, Version: policy.Version, Year: run.Year, Participants: len(people), Approval: run.Approval}
	rk.People = make([]Ranked, len(people))
	seen := make(map[string]int, len(people))
	tie := make([]int, len(policy.TieBreak))
	for i, id := range policy.TieBreak {
		tie[i] = scheme.c.index[id]
	}
	var cand []int
	dropped := 0
	for i := range people {
		p := &people[i]
		path := ssra.Index("people", i)
		if p.ID == "" {
			ps.Add("person.id_missing", ssra.JoinPath(path, "id"), "person id is missing")
		} else if j, dup := seen[p.ID]; dup {
			ps.Add("person.id_duplicate", ssra.JoinPath(path, "id"), "person %q is already people[%d]", p.ID, j)
		}
		seen[p.ID] = i
		r, err := Score(scheme, Subject{ID: p.ID, Inputs: p.Inputs})
		if err != nil {
			if len(ps) < maxRankProblems {
				ps = append(ps, ssra.ProblemsOf(err).Prefix(path)...)
			} else {
				dropped++
			}
			continue
		}
		band := scheme.c.bands[r.band]
		x := Ranked{ID: p.ID, Total: r.Total(), Band: band.id, Proposed: policy.BandGrades[band.id], Result: r}
		x.Grade, x.Reason = x.Proposed, ReasonBand
		switch {
		case p.Probation:
			x.Grade, x.Reason = NoGrade, ReasonProbation
		case p.Sanction > SanctionWarning:
			x.Grade, x.Reason = NoGrade, ReasonSanction
		case p.Sanction == SanctionWarning && x.Proposed == Excellent:
			x.Grade, x.Reason = Competent, ReasonWarning
		case x.Proposed == Excellent && len(run.Vetoes) > 0:
			if vs := Disqualified(p.ID, run.Date, run.Vetoes); len(vs) > 0 {
				x.Grade, x.Reason = Competent, ReasonVeto
				x.Why = "veto " + vs[0].Trigger + " on unit " + vs[0].Unit + " (" + vs[0].From.String() + " to " + vs[0].Until.String() + ") bars 优秀"
			}
		}
		if x.Grade == NoGrade {
			rk.NoGrade++
		}
		if x.Grade == Excellent {
			cand = append(cand, i)
		}
		rk.People[i] = x
	}
	if dropped > 0 {
		ps.Add("rank.problems_truncated", "people", "%d more people have problems; fix the ones listed and run again", dropped)
	}
	if err := ps.Err("appraisal.Rank"); err != nil {
		return Ranking{}, err
	}
	rk.Base = rk.Participants
	if policy.Quota.NoGradeInBase == ExcludeNoGrade {
		rk.Base -= rk.NoGrade
	}
	general, capRate := policy.Quota.Rules.Rates()
	rk.RatePercent = general
	if run.Approval != nil {
		rk.RatePercent = capRate
	}
	rk.Rounded = roundQuota(rk.Base, rk.RatePercent, policy.Quota.Rounding)
	rk.CeilingPercent = policy.Quota.Rules.Ceiling(run.Approval != nil)
	rk.Ceiling = floorQuota(rk.Base, rk.CeilingPercent)
	rk.Quota = min(rk.Rounded, rk.Ceiling)
	if run.Pooled != nil {
		// Pooled places are for a unit too small for one 优秀 of its own,
		// and no more than its base.
		switch {
		case rk.Ceiling > 0:
			ps.Add("run.pooled_not_small", "run.pooled", "the base %d allows %d 优秀 within %d %%; pooled places are for units too small for one", rk.Base, rk.Ceiling, rk.CeilingPercent)
		case run.Pooled.Places > rk.Base:
			ps.Add("run.pooled_places", "run.pooled.places", "%d pooled places for a base of %d", run.Pooled.Places, rk.Base)
		}
		if err := ps.Err("appraisal.Rank"); err != nil {
			return Ranking{}, err
		}
		rk.Pooled, rk.Quota = run.Pooled, run.Pooled.Places
	}
	rk.Candidates = len(cand)
	// Order the candidates: total, then the tie-break items, then id. The
	// tie-break points are read once per candidate, before sorting.
	keys := make([]int64, len(people)*len(tie))
	for _, i := range cand {
		for k, it := range tie {
			keys[i*len(tie)+k] = pointsOf(&scheme.c.items[it], new(rk.People[i].Result.state(it)))
		}
	}
	slices.SortFunc(cand, func(a, b int) int {
		if c := cmp64(rk.People[b].Result.total, rk.People[a].Result.total); c != 0 {
			return c
		}
		if c := slices.Compare(keys[b*len(tie):(b+1)*len(tie)], keys[a*len(tie):(a+1)*len(tie)]); c != 0 {
			return c
		}
		return strings.Compare(rk.People[a].ID, rk.People[b].ID)
	})
	gl := policy.GradeSet
	for pos, i := range cand {
		x := &rk.People[i]
		x.Position = pos + 1
		if pos < rk.Quota {
			x.Reason = ReasonWithinQuota
			rk.Excellent++
		} else {
			x.Grade, x.Reason = Competent, ReasonOverQuota
		}
	}
	if len(cand) > rk.Quota && rk.Quota > 0 {
		rk.Boundary = boundary(&rk, cand[rk.Quota-1], cand[rk.Quota], policy.TieBreak, tie)
	}
	quotaText := strconv.Itoa(rk.Quota) + " (" + strconv.FormatInt(rk.RatePercent, 10) + " % of " + strconv.Itoa(rk.Base) + ", " + policy.Quota.Rounding.String() + ", at most " + strconv.FormatInt(rk.CeilingPercent, 10) + " %)"
	if rk.Pooled != nil {
		quotaText = strconv.Itoa(rk.Quota) + " (pooled places, " + rk.Pooled.Ref + ")"
	}
	for i := range rk.People {
		rk.People[i].Why = why(&rk.People[i], gl, quotaText, len(cand))
	}
	rk.Explanation = rankExplanation(&rk, policy, general, capRate)
	return rk, nil
}

func cmp64(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func boundary(rk *Ranking, in, out int, names []string, tie []int) string {
	a, b := &rk.People[in], &rk.People[out]
	if a.Result.total != b.Result.total {
		return "total " + a.Total.String() + " (" + a.ID + ") above " + b.Total.String() + " (" + b.ID + ")"
	}
	for k, it := range tie {
		itm := &a.Result.scheme.c.items[it]
		pa, pb := pointsOf(itm, new(a.Result.state(it))), pointsOf(itm, new(b.Result.state(it)))
		if pa != pb {
			return "tied at " + a.Total.String() + "; tie-break item " + names[k] + ": " + pointDec(pa).String() + " (" + a.ID + ") above " + pointDec(pb).String() + " (" + b.ID + ")"
		}
	}
	return "tied at " + a.Total.String() + " and on every tie-break item; person id " + a.ID + " sorts before " + b.ID
}

func why(x *Ranked, set GradeSet, quota string, cands int) string {
	g := x.Grade.LabelIn(set).String()
	switch x.Reason {
	case ReasonProbation:
		return "probation: a written comment, no grade"
	case ReasonSanction:
		return "a sanction heavier than a warning is in effect: no grade"
	case ReasonVeto:
		return "total " + x.Total.String() + " falls in band " + x.Band + " (优秀), but the " + x.Why + ": " + g
	case ReasonWarning:
		return "total " + x.Total.String() + " falls in band " + x.Band + " (优秀), but a warning in the year excludes 优秀: " + g
	case ReasonWithinQuota:
		return "total " + x.Total.String() + " falls in band " + x.Band + "; ranked " + strconv.Itoa(x.Position) + " of " + strconv.Itoa(cands) + " candidates, within the quota " + quota + ": " + g
	case ReasonOverQuota:
		return "total " + x.Total.String() + " falls in band " + x.Band + " (优秀), but ranked " + strconv.Itoa(x.Position) + " of " + strconv.Itoa(cands) + " candidates, beyond the quota " + quota + ": " + g
	}
	return "total " + x.Total.String() + " falls in band " + x.Band + ": " + g
}

func rankExplanation(rk *Ranking, p StaffPolicy, general, capRate int64) Explanation {
	var e Explanation
	e.Addf("scheme", "scores from scheme %s version %s (%s); policy %s version %s (%s)", rk.Scheme.Name, rk.Scheme.Version, rk.Scheme.Tag, p.Name, p.Version, p.Tag)
	e.Addf("participants", "%d participants, %d without a grade", rk.Participants, rk.NoGrade)
	if p.Quota.NoGradeInBase == ExcludeNoGrade {
		e.Addf("quota.base", "base %d: participants without a grade are excluded", rk.Base)
	} else {
		e.Addf("quota.base", "base %d: every participant counts", rk.Base)
	}
	if rk.Approval != nil {
		e.Addf("quota.rate", "%s: general rate %d %%, cap %d %% applied with approval %s by %s on %s", p.Quota.Rules, general, capRate, rk.Approval.Ref, rk.Approval.By, rk.Approval.Date)
	} else {
		e.Addf("quota.rate", "%s: general rate %d %% applies (no approval for the %d %% cap recorded)", p.Quota.Rules, general, capRate)
	}
	e.Addf("quota.count", "%d × %d %% = %s, rounded %s: %d", rk.Base, rk.RatePercent, decimal.New(int64(rk.Base)*rk.RatePercent, -2), p.Quota.Rounding, rk.Rounded)
	e.Addf("quota.ceiling", "ceiling %d %% of %d = %s, at most %d (%s: rounding never passes the cap)", rk.CeilingPercent, rk.Base, decimal.New(int64(rk.Base)*rk.CeilingPercent, -2), rk.Ceiling, p.Quota.Rules)
	switch {
	case rk.Pooled != nil:
		e.Addf("quota.small_unit", "too small for one 优秀 of its own; %d place(s) pooled by %s, %s of %s (small_units pooled, [practice])", rk.Pooled.Places, rk.Pooled.By, rk.Pooled.Ref, rk.Pooled.Date)
	case rk.Ceiling == 0 && rk.Base > 0 && p.Quota.SmallUnits == SmallUnitsPooled:
		e.Addf("quota.small_unit", "too small for one 优秀 of its own and no pooled place recorded: nobody is graded 优秀 (small_units pooled, [practice])")
	case rk.Ceiling == 0 && rk.Base > 0:
		e.Addf("quota.small_unit", "too small for one 优秀 within the ceiling: nobody is graded 优秀 (small_units none, [practice])")
	}
	e.Addf("quota", "quota %d", rk.Quota)
	tb := "total"
	if len(p.TieBreak) > 0 {
		tb += ", then items " + strings.Join(p.TieBreak, ", ")
	}
	e.Addf("tie_break", "candidates ordered by %s (higher first), then person id (ascending)", tb)
	e.Addf("excellent", "%d candidates for 优秀, %d graded 优秀", rk.Candidates, rk.Excellent)
	if rk.Boundary != "" {
		e.Addf("quota.boundary", "at the quota boundary: %s", rk.Boundary)
	}
	return e
}

// Impersonal returns the ranking without what names or scores people: the
// people, the boundary and the explanation's line about it. It is the
// ranking a reader may see who may not see every person's result (staff
// results are personnel data: the person, their appraisers and the
// administrators only); the counts, the quota and how it was computed stay.
func (rk Ranking) Impersonal() Ranking {
	rk.People, rk.Boundary = nil, ""
	kept := make(Explanation, 0, len(rk.Explanation))
	for _, l := range rk.Explanation {
		if l.Key != "quota.boundary" {
			kept = append(kept, l)
		}
	}
	rk.Explanation = kept
	return rk
}
