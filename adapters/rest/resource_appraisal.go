package rest

import (
	"encoding/json"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"
	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/stability"
)

// appraisalRunInput is the body of an appraisal run (考核): a scheme preset
// applied for a period either to units (each scored, with grades and
// vetoes) or to staff (ranked under a staff policy with the excellent
// quota). Each member of staff may name the user they are and the users
// who appraise them: staff results are personnel data, visible only to the
// person, their appraisers and the organisation's administrators.
type appraisalRunInput struct {
	Kind   string              `json:"kind"`
	Scheme string              `json:"scheme"`
	Policy string              `json:"policy,omitempty"`
	From   ssra.Date           `json:"from"`
	To     ssra.Date           `json:"to"`
	Run    appraisal.Run       `json:"run"`
	Units  []appraisal.Subject `json:"units,omitempty"`
	Staff  []staffInput        `json:"staff,omitempty"`
}

// staffInput is one member of staff in a run.
type staffInput struct {
	UserID     string           `json:"user_id,omitempty"`
	Appraisers []string         `json:"appraisers,omitempty"`
	Person     appraisal.Person `json:"person"`
}

// storedRun is the value of an appraisal run record: the inputs and what
// the scheme made of them.
type storedRun struct {
	Kind   string              `json:"kind"`
	Scheme appraisal.SchemeRef `json:"scheme"`
	Policy string              `json:"policy,omitempty"`
	From   ssra.Date           `json:"from"`
	To     ssra.Date           `json:"to"`
	Units  []unitEntry         `json:"units,omitempty"`
	// Ranking is the staff ranking without its people (base, quota,
	// counts, explanation); Staff holds each person's entry.
	Ranking json.RawMessage `json:"ranking,omitempty"`
	Staff   []staffEntry    `json:"staff,omitempty"`
}

type unitEntry struct {
	Subject appraisal.Subject `json:"subject"`
	Result  json.RawMessage   `json:"result"`
	// Measured are the inputs the server measured from the unit's cases,
	// with the query and the figure: the evidence of those inputs.
	Measured []measuredInput `json:"measured,omitempty"`
}

// measuredInput is an item input taken from a casework indicator.
type measuredInput struct {
	Item      string           `json:"item"`
	Indicator string           `json:"indicator"`
	Query     string           `json:"query"`
	Figure    stability.Figure `json:"figure"`
	// NotMeasurable says that the figure had nothing to measure for the
	// unit (a denominator of 0): the item's when_empty policy scored it.
	NotMeasurable bool `json:"not_measurable,omitempty"`
	// Typed is the value the caller typed for the item, where its scheme
	// allows one (typed: allowed): the item was scored on it, not on the
	// figure, which stands beside it as the measurement it overrode
	// (TypedOverMeasurement).
	Typed *decimal.Decimal `json:"typed,omitempty"`
	// TypedOverMeasurement marks an item scored on a typed value in place
	// of its measurement.
	TypedOverMeasurement bool `json:"typed_over_measurement,omitempty"`
}

type staffEntry struct {
	UserID     string           `json:"user_id,omitempty"`
	Appraisers []string         `json:"appraisers,omitempty"`
	Person     appraisal.Person `json:"person"`
	Ranked     json.RawMessage  `json:"ranked"`
}

func (s *Server) registerAppraisal() {
	g := s.v1
	g.POST("/appraisal_runs", s.createAppraisalRun, requireRole(ssra.RoleAppraiser))
	g.GET("/appraisal_runs", s.listAppraisalRuns)
	g.GET("/appraisal_runs/:id", s.getAppraisalRun)
}

func (s *Server) createAppraisalRun(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	var in appraisalRunInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	return s.storeRun(c, p, in, "appraisal_run.create")
}

// storeRun scores or ranks a run's input and stores it, recording action
// in the audit log.
func (s *Server) storeRun(c echo.Context, p store.Identity, in appraisalRunInput, action string) error {
	var ps ssra.Problems
	if in.From.IsZero() || in.To.IsZero() || in.To.Before(in.From) {
		ps.Add("run.period_invalid", "from", "the period needs from ≤ to")
	}
	scheme, ref, serr := s.schemeFor(c.Request().Context(), p.Actor(), in.Scheme)
	if serr != nil {
		if ssra.KindOf(serr) != ssra.KindNotFound {
			return serr
		}
		ps.Add("run.scheme_unknown", "scheme", "no scheme %q: name a preset (%v), your organisation's stored scheme as name@version, or one shared with it by its id or as org_id:name@version", in.Scheme, appraisal.PresetNames())
	}
	switch in.Kind {
	case "units":
		if len(in.Units) == 0 || len(in.Staff) > 0 {
			ps.Add("run.units_missing", "units", "a unit run lists units and no staff")
		}
	case "staff":
		if len(in.Staff) == 0 || len(in.Units) > 0 {
			ps.Add("run.staff_missing", "staff", "a staff run lists staff and no units")
		}
	default:
		ps.Add("run.kind_invalid", "kind", "must be units or staff")
	}
	if err := ps.Err("rest.appraisalRun"); err != nil {
		return err
	}
	sr := storedRun{Kind: in.Kind, Scheme: ref,
		Policy: in.Policy, From: in.From, To: in.To}
	if in.Kind == "units" {
		for i, u := range in.Units {
			measured, err := s.unitIndicators(c, p, scheme, &u, in.From, in.To)
			if err != nil {
				return prefixProblems(err, ssra.Index("units", i))
			}
			res, err := appraisal.Score(scheme, u)
			if err != nil {
				return prefixProblems(err, ssra.Index("units", i))
			}
			b, err := json.Marshal(res)
			if err != nil {
				return ssra.Wrap(ssra.KindInternal, "rest.appraisalRun", err, "result does not encode")
			}
			sr.Units = append(sr.Units, unitEntry{Subject: u, Result: b, Measured: measured})
		}
	} else {
		pol, err := appraisal.StaffPolicyPreset(in.Policy)
		if err != nil {
			return ssra.Problems{{Code: "run.policy_unknown", Field: "policy", Message: "no staff policy " + in.Policy}}.Err("rest.appraisalRun")
		}
		people := make([]appraisal.Person, len(in.Staff))
		for i, st := range in.Staff {
			people[i] = st.Person
		}
		rk, err := appraisal.Rank(scheme, pol, in.Run, people)
		if err != nil {
			return err
		}
		for i, st := range in.Staff {
			b, err := json.Marshal(rk.People[i])
			if err != nil {
				return ssra.Wrap(ssra.KindInternal, "rest.appraisalRun", err, "ranking does not encode")
			}
			sr.Staff = append(sr.Staff, staffEntry{UserID: st.UserID, Appraisers: st.Appraisers, Person: st.Person, Ranked: b})
		}
		rk.People = nil
		if sr.Ranking, err = json.Marshal(rk); err != nil {
			return ssra.Wrap(ssra.KindInternal, "rest.appraisalRun", err, "ranking does not encode")
		}
	}
	rec, err := s.res.Store.Create(c.Request().Context(), p.Actor(), action, store.RecordAppraisalRun,
		store.Fields{Status: "scored", Name: sr.Scheme.Name + "@" + sr.Scheme.Version, Body: sr})
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/appraisal_runs/"+rec.ID)
	return writeResource(c, http.StatusCreated, rec, runView(p, rec, sr))
}

// runView filters a staff run for the caller: administrators of the owning
// organisation and the run's author see every person; anyone else sees
// only the entries where they are the person or one of the appraisers.
// The ranking's counts stay visible; Redacted says how many entries were
// withheld.
func runView(p store.Identity, rec store.Record, sr storedRun) resource {
	if sr.Kind != "staff" || (p.OrgID == rec.OrgID && (p.Has(ssra.RoleAdmin) || p.UserID == rec.CreatedBy)) {
		return envelope(rec, sr)
	}
	kept := sr.Staff[:0:0]
	for _, e := range sr.Staff {
		if p.UserID != "" && (e.UserID == p.UserID || slices.Contains(e.Appraisers, p.UserID)) {
			kept = append(kept, e)
		}
	}
	withheld := len(sr.Staff) - len(kept)
	sr.Staff = kept
	if withheld > 0 {
		// The ranking's boundary names the people either side of the
		// quota: redacted by the rule that withholds their rows.
		var rk appraisal.Ranking
		if err := json.Unmarshal(sr.Ranking, &rk); err != nil {
			sr.Ranking = nil
		} else if b, err := json.Marshal(rk.Impersonal()); err != nil {
			sr.Ranking = nil
		} else {
			sr.Ranking = b
		}
	}
	env := envelope(rec, sr)
	if withheld > 0 {
		env.Redacted = []string{"staff[other people]", "ranking.boundary"}
	}
	return env
}

func (s *Server) getAppraisalRun(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	rec, err := s.res.Store.Get(c.Request().Context(), p.Actor(), store.RecordAppraisalRun, c.Param("id"))
	if err != nil {
		return err
	}
	var sr storedRun
	if err := unmarshalStored(rec, &sr); err != nil {
		return err
	}
	return writeResource(c, http.StatusOK, rec, runView(p, rec, sr))
}

func (s *Server) listAppraisalRuns(c echo.Context) error {
	return s.listKind(c, store.RecordAppraisalRun, false, func(p store.Identity, rec store.Record) (resource, error) {
		var sr storedRun
		if err := unmarshalStored(rec, &sr); err != nil {
			return resource{}, err
		}
		return runView(p, rec, sr), nil
	})
}

// indicatorItems returns the items of the sections that name an indicator.
func indicatorItems(secs []appraisal.Section, out []appraisal.Item) []appraisal.Item {
	for _, sec := range secs {
		for _, it := range sec.Items {
			if it.Indicator != "" {
				out = append(out, it)
			}
		}
		out = indicatorItems(sec.Sections, out)
	}
	return out
}

// unitIndicators gives the unit, for every item that names an indicator,
// the indicator's value for the unit (its subject id is its organisation),
// as the caller's organisation may see it: a casework indicator over the
// cases the unit handles that were registered in the run's period,
// measured at its last day; a register or measure indicator (register.*,
// measures.*) over the unit's share of what the caller's organisation
// holds at the last day (the rounds it screens, the entries and measures
// it owns), as plan acceptance measures one. A rate counts as a percent,
// days as the mean, a count as the count. It returns what it measured,
// with the query that reproduces it, as evidence. A figure with nothing to
// measure gives the item no value but the mark NotMeasurable, and the
// scheme item's when_empty policy decides (refused by default:
// input.not_measurable).
//
// Such an item takes only its measurement (仅取测量值): the unit's own
// input for it is refused (input.measured_from_records), since whoever
// runs the appraisal could otherwise put a number of their choosing in the
// place of the unit's stored figures. A scheme item that allows a typed
// value (typed: allowed) takes the unit's value and is scored on it; the
// measurement is still taken and recorded beside the typed value, marked
// as overridden, so that the run shows both. A typed NotMeasurable is
// refused either way (input.not_measurable_typed): only the measurement
// may find nothing to measure.
func (s *Server) unitIndicators(c echo.Context, p store.Identity, scheme *appraisal.Scheme, u *appraisal.Subject, from, to ssra.Date) ([]measuredInput, error) {
	const op = "rest.appraisalRun"
	var out []measuredInput
	var ps ssra.Problems
	items := indicatorItems(scheme.Def().Sections, nil)
	for _, it := range items {
		for j, in := range u.Inputs {
			switch {
			case in.Item != it.ID:
			case in.NotMeasurable:
				// A typed mark would let the caller trade a stored figure
				// for the item's when_empty score (full marks, or left out).
				ps.Add("input.not_measurable_typed", ssra.JoinPath(ssra.Index("inputs", j), "not_measurable"),
					"item %s is measured from the stored records (%s): only that measurement can find nothing to measure; leave the item out to have it measured", it.ID, it.Indicator)
			case it.MeasuredOnly():
				ps.Add("input.measured_from_records", ssra.JoinPath(ssra.Index("inputs", j), "value"),
					"item %s is measured from the stored records (%s) and its scheme takes no typed value for it (typed: refused, the default): leave the item out to have it measured", it.ID, it.Indicator)
			}
		}
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	for _, it := range items {
		x, ok := stability.LookupIndicator(it.Indicator)
		if !ok {
			return nil, ssra.Problems{{Code: "run.indicator_unknown", Field: "scheme", Message: "item " + it.ID + " names no casework indicator " + it.Indicator}}.Err(op)
		}
		f, query, err := s.unitFigure(c, p, x.ID, u.ID, from, to)
		if err != nil {
			return nil, err
		}
		if j := slices.IndexFunc(u.Inputs, func(in appraisal.Input) bool { return in.Item == it.ID }); j >= 0 {
			// Allowed by the scheme (typed: allowed): the typed value
			// scores the item; the measurement it overrides is recorded.
			out = append(out, measuredInput{Item: it.ID, Indicator: x.ID, Query: query, Figure: f,
				Typed: u.Inputs[j].Value, TypedOverMeasurement: true})
			continue
		}
		in := appraisal.Input{Item: it.ID}
		var v decimal.Decimal
		switch {
		case f.Rate != nil:
			v = f.Rate.Value.Shift(2)
		case f.Mean != nil:
			v = *f.Mean
		case f.Kind == stability.IndicatorCount:
			v = decimal.NewFromInt(f.Numerator)
		default:
			// Nothing to measure (a denominator of 0): the item's
			// when_empty policy decides, refusing by default.
			in.NotMeasurable = true
		}
		if !in.NotMeasurable {
			in.Value = &v
		}
		u.Inputs = append(u.Inputs, in)
		out = append(out, measuredInput{Item: it.ID, Indicator: x.ID, Query: query, Figure: f, NotMeasurable: in.NotMeasurable})
	}
	return out, nil
}

// unitFigure measures indicator id for the unit over the run's period
// (see unitIndicators), with the query that reproduces it; when no case
// matched, the figure is that of no case (a denominator of 0).
func (s *Server) unitFigure(c echo.Context, p store.Identity, id, unit string, from, to ssra.Date) (f stability.Figure, query string, err error) {
	if !stability.IndicatorOverCases(id) {
		return s.ledgerFigure(c.Request().Context(), p, id, ledgerScope{At: to, Unit: unit})
	}
	r := statsRequest{Query: store.StatsQuery{Filter: stability.CaseFilter{Organs: []string{unit}, From: from, To: to.AddDays(1)},
		Now: to.Time(s.res.Now().Location())}, At: to, Indicators: []string{id}}
	r.Canonical = canonicalStats(r)
	groups, err := s.measure(c, p, r)
	if err != nil {
		return f, "", err
	}
	if len(groups) == 0 || len(groups[0].Figures) == 0 {
		f, _ = stability.FigureOf(id, stability.NewTally())
		return f, r.Canonical, nil
	}
	return groups[0].Figures[0], r.Canonical, nil
}
