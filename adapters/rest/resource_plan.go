package rest

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// storedPlan is the value of a plan record: the work plan (工作方案) with its
// goals, targets, tasks, pledges and progress reports, and the acceptance
// checks (验收) made on it, latest last.
type storedPlan struct {
	Plan        stability.Plan         `json:"plan"`
	Acceptances []stability.Acceptance `json:"acceptances,omitempty"`
}

func (s *Server) registerPlans() {
	g := s.v1
	admin := requireRole(ssra.RoleAdmin)
	g.POST("/plans", s.createPlan, admin)
	g.GET("/plans", s.listPlans)
	g.GET("/plans/:id", s.getPlan)
	g.PUT("/plans/:id", s.updatePlan, admin)
	g.POST("/plans/:id/share", s.shareRecord(store.RecordPlan), admin)
	g.POST("/plans/:id/reports", s.reportProgress, requireRole(ssra.RoleAdmin, ssra.RoleAssessor, ssra.RoleReviewer,
		ssra.RoleDecisionMaker, ssra.RoleAppraiser, ssra.RoleCaseworker))
	g.POST("/plans/:id/acceptance", s.acceptPlan, requireRole(ssra.RoleAppraiser))
}

// planStatus is the record status: "active" until an acceptance check,
// then its verdict.
func planFields(sp storedPlan) store.Fields {
	st := "active"
	if n := len(sp.Acceptances); n > 0 {
		st = "accepted_" + sp.Acceptances[n-1].Verdict.String()
	}
	return store.Fields{Status: st, Name: sp.Plan.ID, Body: sp}
}

// parsePlanBody decodes and validates a plan strictly; errors are 400 for
// a body that is not a plan and 422 for an invalid plan.
func parsePlanBody(c echo.Context) (*stability.Plan, error) {
	var raw json.RawMessage
	if err := decodeJSON(c, &raw); err != nil {
		return nil, err
	}
	p, _, err := stability.DecodePlan(raw)
	if err != nil {
		return nil, err
	}
	return p, nil
}

func (s *Server) createPlan(c echo.Context) error {
	pr, err := caller(c)
	if err != nil {
		return err
	}
	p, err := parsePlanBody(c)
	if err != nil {
		return err
	}
	rec, err := s.res.Store.Create(c.Request().Context(), pr.Actor(), "plan.create", store.RecordPlan, planFields(storedPlan{Plan: *p}))
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/plans/"+rec.ID)
	return s.writePlan(c, http.StatusCreated, rec)
}

func (s *Server) writePlan(c echo.Context, status int, rec store.Record) error {
	var sp storedPlan
	if err := unmarshalStored(rec, &sp); err != nil {
		return err
	}
	return writeResource(c, status, rec, envelope(rec, sp))
}

func (s *Server) getPlan(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	rec, err := s.res.Store.Get(c.Request().Context(), p.Actor(), store.RecordPlan, c.Param("id"))
	if err != nil {
		return err
	}
	return s.writePlan(c, http.StatusOK, rec)
}

func (s *Server) listPlans(c echo.Context) error {
	return s.listKind(c, store.RecordPlan, false, func(_ store.Identity, rec store.Record) (resource, error) {
		var sp storedPlan
		if err := unmarshalStored(rec, &sp); err != nil {
			return resource{}, err
		}
		return envelope(rec, sp), nil
	})
}

// loadPlan reads a plan for a write at the version in If-Match.
func (s *Server) loadPlan(c echo.Context) (store.Identity, store.Record, storedPlan, error) {
	var sp storedPlan
	p, err := caller(c)
	if err != nil {
		return p, store.Record{}, sp, err
	}
	rec, err := s.loadForWrite(c, p, store.RecordPlan, "rest.plan", "plan")
	if err == nil {
		err = unmarshalStored(rec, &sp)
	}
	return p, rec, sp, err
}

// updatePlan replaces the plan; its progress reports and acceptance checks
// are kept, and the reports must still name tasks of the new plan.
func (s *Server) updatePlan(c echo.Context) error {
	pr, rec, sp, err := s.loadPlan(c)
	if err != nil {
		return err
	}
	p, err := parsePlanBody(c)
	if err != nil {
		return err
	}
	if len(p.Reports) > 0 {
		return ssra.Problems{{Code: "plan.reports_readonly", Field: "reports", Message: "progress reports are added with POST …/reports"}}.Err("rest.updatePlan")
	}
	p.Reports = sp.Plan.Reports
	if err := p.Validate().Err("rest.updatePlan"); err != nil {
		return err
	}
	sp.Plan = *p
	out, err := s.res.Store.Update(c.Request().Context(), pr.Actor(), "plan.update", store.RecordPlan, rec.ID, rec.Version, planFields(sp))
	if err != nil {
		return err
	}
	return s.writePlan(c, http.StatusOK, out)
}

// reportProgress appends a progress report on a task; the reporter is the
// caller.
func (s *Server) reportProgress(c echo.Context) error {
	pr, rec, sp, err := s.loadPlan(c)
	if err != nil {
		return err
	}
	var r stability.ProgressReport
	if err := decodeJSON(c, &r); err != nil {
		return err
	}
	r.Reporter = pr.UserName
	if r.Date.IsZero() {
		r.Date = ssra.DateOf(s.res.Now())
	}
	sp.Plan.Reports = append(sp.Plan.Reports, r)
	if err := sp.Plan.Validate().Err("rest.reportProgress"); err != nil {
		return err
	}
	out, err := s.res.Store.Update(c.Request().Context(), pr.Actor(), "plan.report", store.RecordPlan, rec.ID, rec.Version, planFields(sp))
	if err != nil {
		return err
	}
	return s.writePlan(c, http.StatusOK, out)
}

// acceptanceInput is the body of an acceptance check: the measured value
// of each target with its evidence, and the date (default today).
type acceptanceInput struct {
	On           ssra.Date               `json:"on"`
	Measurements []stability.Measurement `json:"measurements"`
}

// acceptPlan runs the acceptance check (验收) and stores it with the plan.
func (s *Server) acceptPlan(c echo.Context) error {
	pr, rec, sp, err := s.loadPlan(c)
	if err != nil {
		return err
	}
	var in acceptanceInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.On.IsZero() {
		in.On = ssra.DateOf(s.res.Now())
	}
	measured, err := s.indicatorMeasurements(c, pr, &sp.Plan, in.Measurements, in.On)
	if err != nil {
		return err
	}
	acc, err := stability.CheckAcceptance(&sp.Plan, append(in.Measurements, measured...), in.On)
	if err != nil {
		return err
	}
	sp.Acceptances = append(sp.Acceptances, acc)
	out, err := s.res.Store.Update(c.Request().Context(), pr.Actor(), "plan.acceptance", store.RecordPlan, rec.ID, rec.Version, planFields(sp))
	if err != nil {
		return err
	}
	return s.writePlan(c, http.StatusOK, out)
}

// indicatorMeasurements measures, from the stored cases the caller's
// organisation may see, every target that names a casework indicator: over
// the target's filter, by default the cases registered in the plan's year,
// at the acceptance date; a register or measure indicator over all the
// organisation holds at that date. The figure and the query that
// reproduces it are the evidence; a figure with nothing to measure (no
// case, a denominator of 0) makes the target not measurable, with that
// figure and query as its evidence. A typed-in value for such a target is
// refused: the server holds what it is measured from.
func (s *Server) indicatorMeasurements(c echo.Context, pr store.Identity, p *stability.Plan, typed []stability.Measurement, on ssra.Date) ([]stability.Measurement, error) {
	const op = "rest.acceptPlan"
	var ps ssra.Problems
	var out []stability.Measurement
	for i, m := range typed {
		if m.NotMeasurable {
			ps.Add("acceptance.not_measurable_typed", ssra.JoinPath(ssra.Index("measurements", i), "not_measurable"),
				"only a target measured from the stored records can have nothing to measure; the server says so, with the figure")
		}
	}
	for _, g := range p.Goals {
		for _, t := range g.Targets {
			if _, ok := stability.LookupIndicator(t.Indicator); !ok {
				continue
			}
			for i, m := range typed {
				if m.Target == t.ID {
					ps.Add("acceptance.measured_from_cases", ssra.JoinPath(ssra.Index("measurements", i), "target"),
						"target %s is measured from the stored cases by indicator %s; give no value for it", t.ID, t.Indicator)
				}
			}
			if !stability.IndicatorOverCases(t.Indicator) {
				f, query, err := s.ledgerFigure(c.Request().Context(), pr, t.Indicator, ledgerScope{At: on})
				if err != nil {
					return nil, err
				}
				if m, ok := stability.MeasurementOf(t.ID, t.Unit, f, query, on); ok {
					out = append(out, m)
				}
				continue
			}
			var q stability.CaseFilter
			if t.Filter != nil {
				q = *t.Filter
			}
			if q.From.IsZero() && q.To.IsZero() {
				q.From, q.To = ssra.MustDate(p.Year, time.January, 1), ssra.MustDate(p.Year+1, time.January, 1)
			}
			r := statsRequest{Query: store.StatsQuery{Filter: q, Now: on.Time(s.res.Now().Location())}, At: on, Indicators: []string{t.Indicator}}
			r.Canonical = canonicalStats(r)
			groups, err := s.measure(c, pr, r)
			if err != nil {
				return nil, err
			}
			f, ok := stability.FigureOf(t.Indicator, stability.NewTally()) // no case: nothing to measure
			if len(groups) > 0 && len(groups[0].Figures) > 0 {
				f, ok = groups[0].Figures[0], true
			}
			if !ok {
				continue
			}
			if m, ok := stability.MeasurementOf(t.ID, t.Unit, f, r.Canonical, on); ok {
				out = append(out, m)
			}
		}
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	return out, nil
}
