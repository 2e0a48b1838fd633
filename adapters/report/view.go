package report

import (
	"html/template"
	"strconv"
	"strings"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// view is the report with every text localised and every number formatted,
// shared by the HTML and Markdown renderers so that both print the same.
type view struct {
	lang           ssra.Lang
	HTMLLang       string
	Title          string
	SubjectName    string
	ID             string
	ProfileName    string
	ProfileVersion string
	// ProfileSource names the stored profile version, when the result
	// names one: its id and the digest of its content.
	ProfileSource string
	ProfileTitle  string
	ProfileBasis  string
	// ProfileLine names the profile for a reader: in Chinese by its title,
	// version and basis, never by its identifier; in English by its name,
	// version, title and basis.
	ProfileLine string
	// Footer is the closing line with the profile and generation time.
	Footer        string
	BasisNote     string
	Generated     string
	Status        string
	RegimeLabel   string
	LegalBasis    string
	Subject       []pair
	Overview      string
	Basis         []string
	Body          []pair
	Members       []PanelMember
	Process       []processRow
	Methods       []string
	Consultations []consultRow
	Survey        *surveyRow
	Opinions      []opinionRow
	Criteria      []criterionRow
	Factors       []factorRow
	Measures      []measureRow
	Levels        []levelRow
	Matrix        bool
	FactorRule    string
	IndexRule     string
	ResidualLevel string
	ResidualClass string
	InitialLevel  string
	InitialClass  string
	Outcome       string
	Reasons       []string
	Recommend     []string
	PlanTitle     string
	PlanPoints    []string
	// Follow is the section on the measures' implementation, nil without
	// a tracking.
	Follow     *followView
	Steps      []stepRow
	Warnings   []warningRow
	HeatMap    template.HTML
	ScoreChart template.HTML
	// Sens is the sensitivity part, nil without a sensitivity analysis.
	Sens    *sensitivityView
	Tornado template.HTML
}

type pair struct{ K, V string }

// stepRow is one step of the explanation appendix; Key is empty in the
// Chinese report, whose reader has no use for the English keys.
type stepRow struct{ Key, Text string }

type processRow struct{ Date, Text string }

type consultRow struct {
	Method, Date, Participants, Organisations, CommentDays, Received, Adopted string
}

type surveyRow struct {
	Frame, Distributed, Valid, ResponseRate, Support, Neutral, Oppose string
	Opposition, Lower, Upper, Suggested                               string
}

type opinionRow struct{ Theme, Count, Adoption, Response string }

type criterionRow struct{ Criterion, Question, Answer, Evidence, Measures string }

type estimateRow struct{ P, I, Score, Degree, Level, Class string }

type factorRow struct {
	ID, Name, Area, Stage, Groups, Owner, Weight string
	Before, After                                estimateRow
}

type measureRow struct{ Factor, ID, Description, Owner, Due string }

type levelRow struct {
	When, Index, IndexLevel, Floor, Level, Class, Counts string
}

// Chinese reports whether the report is in Chinese.
func (v *view) Chinese() bool { return v.lang == ssra.LangZH }

// T returns the fixed text for key in the report's language.
func (v *view) T(key string) string { return tr(v.lang, key) }

// Paren puts s in brackets after a word: full-width in Chinese (（s）),
// space-separated in English ( (s)).
func (v *view) Paren(s string) string {
	if v.lang == ssra.LangZH {
		return "（" + s + "）"
	}
	return " (" + s + ")"
}

// Colon is the colon after a label: full-width in Chinese.
func (v *view) Colon() string {
	if v.lang == ssra.LangZH {
		return "："
	}
	return ": "
}

// Sep separates the items of an inline list: full-width in Chinese.
func (v *view) Sep() string {
	if v.lang == ssra.LangZH {
		return "；"
	}
	return "; "
}

// Stop ends a sentence: full-width in Chinese.
func (v *view) Stop() string {
	if v.lang == ssra.LangZH {
		return "。"
	}
	return "."
}

// Space is the space between words: none between Chinese characters.
func (v *view) Space() string {
	if v.lang == ssra.LangZH {
		return ""
	}
	return " "
}

func itoa(n int) string { return strconv.Itoa(n) }

func dateText(d ssra.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func levelText(lang ssra.Lang, l riskeval.Level) string { return l.Label(lang) }

func degreeText(lang ssra.Lang, d riskeval.Degree) string {
	if !d.Valid() {
		return "—"
	}
	return strings.ToUpper(d.String()) + " " + d.Label(lang)
}

func thresholdRule(lang ssra.Lang, t riskeval.Thresholds) string {
	return levelText(lang, riskeval.LevelLow) + " ≤ " + t.LowMax.String() + " < " + levelText(lang, riskeval.LevelMedium) + " ≤ " + t.MediumMax.String() + " < " + levelText(lang, riskeval.LevelHigh)
}

// newView builds the view of a validated input.
func newView(in *Input) *view {
	lang := in.Lang
	a, r := &in.Assessment, &in.Result
	v := &view{lang: lang, HTMLLang: lang.String()}
	sep := "; "
	if lang == ssra.LangZH {
		sep = "；"
	}
	v.Title = tr(lang, "title")
	v.SubjectName = a.Subject.Name
	v.ID = a.ID
	v.ProfileName, v.ProfileVersion = r.Profile.Name, r.Profile.Version
	v.ProfileSource = strings.TrimSpace(r.Profile.ID + " " + r.Profile.Digest)
	v.ProfileTitle = in.Profile.Title().In(lang)
	v.ProfileBasis = riskeval.BasisPractice.Label(lang) // a profile that names no basis is practice
	if r.Profile.Basis.Valid() {
		v.ProfileBasis = r.Profile.Basis.Label(lang)
	}
	if r.Profile.Basis == riskeval.BasisLaw {
		v.BasisNote = tr(lang, "law_note")
	} else {
		v.BasisNote = tr(lang, "practice_note")
	}
	v.Generated = timeText(lang, in.Generated, in.Location)
	if lang == ssra.LangZH {
		title := v.ProfileTitle
		if title == "" {
			title = v.ProfileName
		}
		v.ProfileLine = title + "第" + v.ProfileVersion + "版（" + v.ProfileBasis + "）"
	} else {
		v.ProfileLine = v.ProfileName + " " + tr(lang, "version") + " " + v.ProfileVersion
		if v.ProfileTitle != "" {
			v.ProfileLine += " · " + v.ProfileTitle
		}
		v.ProfileLine += " (" + v.ProfileBasis + ")"
	}
	v.Footer = tr(lang, "footer") + v.Space() + tr(lang, "profile") + v.Colon() + v.ProfileLine + v.Stop() + v.Space() + tr(lang, "generated") + v.Colon() + v.Generated + v.Stop()
	v.Status = a.Status.Label(lang)
	v.RegimeLabel = r.Regime.Label.In(lang)
	v.LegalBasis = r.Regime.LegalBasis

	s := a.Subject
	v.Subject = []pair{{tr(lang, "name"), s.Name}, {tr(lang, "kind"), kindText(lang, s.Kind)}, {tr(lang, "responsible_unit"), s.ResponsibleUnit}}
	if s.Location != "" {
		v.Subject = append(v.Subject, pair{tr(lang, "location"), s.Location})
	}
	if !s.Investment.IsZero() {
		v.Subject = append(v.Subject, pair{tr(lang, "investment"), moneyText(lang, s.Investment)})
	}
	v.Subject = append(v.Subject, pair{tr(lang, "regime"), v.RegimeLabel}, pair{tr(lang, "legal_basis"), v.LegalBasis})
	v.Overview = in.Meta.Overview
	v.Basis = in.Meta.Basis

	body := s.AssessingBody
	if body == "" {
		body = tr(lang, "not_given")
	}
	v.Body = []pair{{tr(lang, "assessing_body"), body}}
	if p := a.Panel; p != nil {
		v.Body = append(v.Body, pair{tr(lang, "panel_size"), itoa(p.Size)}, pair{tr(lang, "recusals"), itoa(p.Recusals)})
		if p.Writer != "" {
			v.Body = append(v.Body, pair{tr(lang, "writer"), p.Writer})
		}
		if p.Reviewer != "" {
			v.Body = append(v.Body, pair{tr(lang, "reviewer"), p.Reviewer})
		}
	}
	v.Members = in.Meta.Members
	for _, p := range in.Meta.Process {
		v.Process = append(v.Process, processRow{dateText(p.Date), p.Text})
	}
	v.Methods = in.Meta.Methods

	for _, c := range a.Consultations {
		row := consultRow{Method: c.Method.Label(lang), Date: dateText(c.Date), Participants: "—",
			Organisations: strings.Join(c.Organisations, sep), CommentDays: "—", Received: "—", Adopted: "—"}
		if c.Participants > 0 {
			row.Participants = itoa(c.Participants)
		}
		if c.CommentDays > 0 {
			row.CommentDays = itoa(c.CommentDays)
		}
		if c.OpinionsReceived > 0 || c.OpinionsAdopted > 0 {
			row.Received, row.Adopted = itoa(c.OpinionsReceived), itoa(c.OpinionsAdopted)
		}
		v.Consultations = append(v.Consultations, row)
	}
	if sr := r.Survey; sr != nil {
		row := &surveyRow{Frame: sr.Frame, Distributed: itoa(sr.Distributed), Valid: itoa(sr.Valid), ResponseRate: "—",
			Opposition: sr.Opposition.Value.String(), Lower: sr.Opposition.Lower.String(), Upper: sr.Opposition.Upper.String(),
			Suggested: levelText(lang, sr.Suggested)}
		if sr.Distributed > 0 {
			row.ResponseRate = sr.ResponseRate.String()
		}
		if sv := a.Survey; sv != nil {
			row.Support, row.Neutral, row.Oppose = itoa(sv.Support), itoa(sv.Neutral), itoa(sv.Oppose)
		}
		v.Survey = row
	}
	for _, o := range in.Meta.Opinions {
		adoption := tr(lang, "answer_none")
		if o.Adoption.Valid() {
			adoption = o.Adoption.Label(lang)
		}
		v.Opinions = append(v.Opinions, opinionRow{o.Theme, itoa(o.Count), adoption, o.Response})
	}
	for _, c := range a.Criteria {
		question := c.Question
		if q, ok := riskeval.LookupQuestion(c.Criterion, c.Question); ok {
			question = q.Label.In(lang)
		}
		v.Criteria = append(v.Criteria, criterionRow{c.Criterion.Label(lang), question, c.Answer.Label(lang), c.Evidence, strings.Join(c.Measures, ", ")})
	}

	est := func(x riskeval.EstimateResult) estimateRow {
		return estimateRow{itoa(x.Probability), itoa(x.Impact), x.Score.String(), degreeText(lang, x.Degree), levelText(lang, x.Level), x.Level.String()}
	}
	for i, f := range r.Factors {
		af := &a.Factors[i]
		v.Factors = append(v.Factors, factorRow{ID: f.ID, Name: af.Name, Area: f.Area.Label(lang), Stage: stageText(lang, af.Stage),
			Groups: strings.Join(af.AffectedGroups, sep), Owner: af.Owner, Weight: f.Weight.String(), Before: est(f.Initial), After: est(f.Residual)})
		for _, m := range af.Measures {
			v.Measures = append(v.Measures, measureRow{f.ID, m.ID, m.Description, m.Owner, dateText(m.Due)})
		}
	}
	lvl := func(when string, l riskeval.LevelResult) levelRow {
		floor := tr(lang, "floor_none")
		if l.DecidedBy == riskeval.RuleFloor {
			floor = l.FloorRule
			for _, fr := range r.Rules.FloorRules {
				if fr.Name == l.FloorRule && !fr.Label.IsZero() {
					floor = fr.Label.In(lang)
					if lang != ssra.LangZH {
						// The Chinese reader has no use for the rule's id.
						floor += " (" + fr.Name + ")"
					}
				}
			}
		}
		return levelRow{When: when, Index: l.Index.StringFixed(6), IndexLevel: levelText(lang, l.IndexLevel), Floor: floor,
			Level: levelText(lang, l.Level), Class: l.Level.String(), Counts: itoa(l.Counts.High) + " / " + itoa(l.Counts.Medium) + " / " + itoa(l.Counts.Low)}
	}
	v.Levels = []levelRow{lvl(tr(lang, "before"), r.Initial), lvl(tr(lang, "after"), r.Residual)}
	v.Matrix = r.Rules.Matrix
	if m := in.Profile.Def().Matrix; m != nil {
		v.FactorRule = matrixRule(lang, m.Levels)
	} else {
		v.FactorRule = thresholdRule(lang, r.Rules.FactorThresholds)
	}
	v.IndexRule = thresholdRule(lang, r.Rules.IndexThresholds)
	v.InitialLevel, v.InitialClass = levelText(lang, r.Initial.Level), r.Initial.Level.String()
	v.ResidualLevel, v.ResidualClass = levelText(lang, r.Residual.Level), r.Residual.Level.String()
	v.Outcome = r.Decision.Outcome.Label(lang)
	for _, l := range r.Decision.Reasons {
		v.Reasons = append(v.Reasons, l.In(lang))
	}
	v.Recommend = in.Meta.Recommendations
	v.PlanTitle = a.EmergencyPlan
	v.PlanPoints = in.Meta.EmergencyPlan
	v.Follow = newFollowView(in)
	v.Sens = newSensitivityView(in)
	for _, st := range r.ExplainIn(lang) {
		row := stepRow{Key: st.Key, Text: st.Text}
		if lang == ssra.LangZH {
			row.Key = ""
			if st.Key == "profile" {
				// The result names the profile by its identifier; the
				// Chinese reader gets its title.
				row.Text = "参数方案：" + v.ProfileLine + "。"
			}
		}
		v.Steps = append(v.Steps, row)
	}
	ids := make([]string, len(r.Factors))
	for i, f := range r.Factors {
		ids[i] = f.ID
	}
	v.Warnings = warningRows(lang, r.Warnings, ids)
	return v
}

func stageText(lang ssra.Lang, s riskeval.Stage) string {
	if s == riskeval.StageNone {
		return "—"
	}
	return s.Label(lang)
}

// matrixRule says how the matrix degrees map to factor levels.
func matrixRule(lang ssra.Lang, dl riskeval.DegreeLevels) string {
	var b strings.Builder
	if lang == ssra.LangZH {
		b.WriteString("等级由风险矩阵的程度确定：")
	} else {
		b.WriteString("levels from the matrix degree: ")
	}
	for d := riskeval.DegreeN; d <= riskeval.DegreeS; d++ {
		if d > riskeval.DegreeN {
			b.WriteString(", ")
		}
		b.WriteString(strings.ToUpper(d.String()) + " → " + levelText(lang, dl.Of(d)))
	}
	return b.String()
}
