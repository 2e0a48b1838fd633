package rest

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/riskeval"
	"github.com/ssra-go/ssra/stability"
)

// registerStatsReply is GET /v1/stats/register's answer: the measuring
// date, the tally it was computed from and the register indicators
// (register.*: screening rounds held on time, entries closed within their
// deadline, resolution rate), each with its formula, basis and counts.
type registerStatsReply struct {
	At      ssra.Date               `json:"at"`
	Tally   stability.RegisterTally `json:"tally"`
	Figures []stability.Figure      `json:"figures"`
}

// measureStatsReply is GET /v1/stats/measures's answer: the measuring
// date, the tally it was computed from and the measure indicators
// (measures.*: measures verified by their due date, measures verified,
// overdue measures by owning organisation).
type measureStatsReply struct {
	At      ssra.Date              `json:"at"`
	Tally   stability.MeasureTally `json:"tally"`
	Figures []stability.Figure     `json:"figures"`
}

// ledgerScope is what a ledger stats route counts: the measuring date and,
// when Unit is set, only that unit's share (an organisation identifier:
// the rounds it screens, the register entries it owns, the measures it
// owns), as an appraisal of units measures each unit.
type ledgerScope struct {
	At   ssra.Date
	Unit string
}

// statsAt reads the query of a ledger stats route: the optional measuring
// date (at, default the server's today) and unit; the route takes no
// other parameter.
func (s *Server) statsAt(c echo.Context) (ledgerScope, error) {
	if err := onlyQuery(c, "at", "unit"); err != nil {
		return ledgerScope{}, err
	}
	sc := ledgerScope{At: s.today(), Unit: c.QueryParam("unit")}
	if v := c.QueryParam("at"); v != "" {
		d, err := ssra.ParseDate(v)
		if err != nil {
			var ps ssra.Problems
			ps.Add("query.at", "at", "must be a date YYYY-MM-DD, not %q", v)
			return sc, badRequest("invalid query parameters", ps)
		}
		sc.At = d
	}
	return sc, nil
}

// ledgerStatsQuery is the request that reproduces a ledger figure: the
// route, its measuring date and the unit counted, if one.
func ledgerStatsQuery(route string, sc ledgerScope) string {
	v := url.Values{"at": {sc.At.String()}}
	if sc.Unit != "" {
		v.Set("unit", sc.Unit)
	}
	return route + "?" + v.Encode()
}

// registerIndicatorStats answers GET /v1/stats/register: the register
// indicators over every screening plan and register entry the caller's
// organisation holds or was shared, at the measuring date. The figures
// count units' rounds and entries; they name no person and count no
// complaint (domain.md §4).
func (s *Server) registerIndicatorStats(c echo.Context) error {
	return ledgerStats(s, c, s.registerTally, func(at ssra.Date, t stability.RegisterTally) any {
		return registerStatsReply{At: at, Tally: t, Figures: stability.RegisterFigures(t)}
	})
}

// ledgerStats answers a ledger stats route: the caller's tally at the
// measuring date, as reply makes it.
func ledgerStats[T any](s *Server, c echo.Context, tally func(context.Context, store.Identity, ledgerScope) (T, error), reply func(ssra.Date, T) any) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	sc, err := s.statsAt(c)
	if err != nil {
		return err
	}
	t, err := tally(c.Request().Context(), p, sc)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, reply(sc.At, t))
}

// eachRecord calls fn with every record of kind the caller's organisation
// holds or was shared, page by page.
func (s *Server) eachRecord(ctx context.Context, p store.Identity, kind store.RecordKind, fn func(store.Record) error) error {
	q := store.Query{Kind: kind, Limit: 500}
	for {
		page, err := s.res.Store.List(ctx, p.Actor(), q)
		if err != nil {
			return err
		}
		for _, rec := range page.Records {
			if err := fn(rec); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		q.After = page.Next
	}
}

// registerTally sums the rounds and entries the caller's organisation
// holds or was shared, at the scope's date: of the scope's unit only (the
// slots it screens, the entries it owns) when it names one.
func (s *Server) registerTally(ctx context.Context, p store.Identity, sc ledgerScope) (stability.RegisterTally, error) {
	var t stability.RegisterTally
	err := s.eachRecord(ctx, p, store.RecordScreeningPlan, func(rec store.Record) error {
		v, err := s.viewScreeningAt(rec, sc.At)
		if err != nil {
			return err
		}
		slots := v.Slots
		if sc.Unit != "" {
			slots = slices.DeleteFunc(slots, func(st stability.SlotStatus) bool { return st.Unit != sc.Unit })
		}
		t.AddRounds(slots)
		return nil
	})
	if err != nil {
		return t, err
	}
	err = s.eachRecord(ctx, p, store.RecordRegisterEntry, func(rec store.Record) error {
		e, err := entryOf(rec)
		if err == nil && (sc.Unit == "" || e.Owner == sc.Unit) {
			t.AddEntry(&e, sc.At)
		}
		return err
	})
	return t, err
}

// measureFacts is what the measure indicators read of a tracked measure.
func measureFacts(m riskeval.TrackedMeasure) stability.MeasureFacts {
	f := stability.MeasureFacts{Owner: m.Owner, Due: m.Due, Dropped: m.State == riskeval.MeasureDropped,
		Completed: m.State == riskeval.MeasureDone || m.State == riskeval.MeasureVerified}
	if m.State == riskeval.MeasureVerified && m.Verified != nil {
		f.Verified = ssra.DateOf(m.Verified.At)
	}
	return f
}

// measureTally sums the tracked measures the caller's organisation holds
// at the date: every measure of a tracking it holds (the decision body),
// and its own measures in a tracking shared with it (an owning
// organisation); the assessing body, shared a tracking whose measures it
// does not own, counts none of them. A scope naming a unit counts only the
// measures it owns.
func (s *Server) measureTally(ctx context.Context, p store.Identity, sc ledgerScope) (stability.MeasureTally, error) {
	var t stability.MeasureTally
	err := s.eachRecord(ctx, p, store.RecordTracking, func(rec store.Record) error {
		var tr riskeval.Tracking
		if err := unmarshalStored(rec, &tr); err != nil {
			return err
		}
		for _, m := range tr.Measures {
			if (!rec.ReadOnly || m.Owner == p.OrgID) && (sc.Unit == "" || m.Owner == sc.Unit) {
				t.AddMeasure(measureFacts(m), sc.At)
			}
		}
		return nil
	})
	return t, err
}

// measureIndicatorStats answers GET /v1/stats/measures: the measure
// indicators over the tracked measures the caller's organisation holds
// (see measureTally), at the measuring date. The figures count
// organisations' measures; they name no person and count no complaint.
func (s *Server) measureIndicatorStats(c echo.Context) error {
	return ledgerStats(s, c, s.measureTally, func(at ssra.Date, t stability.MeasureTally) any {
		if t.OverdueByOwner == nil {
			t.OverdueByOwner = map[string]int64{}
		}
		return measureStatsReply{At: at, Tally: t, Figures: stability.MeasureFigures(t)}
	})
}

// ledgerRoute is the route that serves an indicator not measured over
// cases.
func ledgerRoute(id string) string {
	if strings.HasPrefix(id, "register.") {
		return "/v1/stats/register"
	}
	return "/v1/stats/measures"
}

// ledgerFigure measures a register or measure indicator (one not over
// cases) within the scope, with the request that reproduces it.
func (s *Server) ledgerFigure(ctx context.Context, p store.Identity, id string, sc ledgerScope) (stability.Figure, string, error) {
	var figs []stability.Figure
	route := ledgerRoute(id)
	if route == "/v1/stats/register" {
		t, err := s.registerTally(ctx, p, sc)
		if err != nil {
			return stability.Figure{}, "", err
		}
		figs = stability.RegisterFigures(t)
	} else {
		t, err := s.measureTally(ctx, p, sc)
		if err != nil {
			return stability.Figure{}, "", err
		}
		figs = stability.MeasureFigures(t)
	}
	query := ledgerStatsQuery(route, sc)
	for _, f := range figs {
		if f.Indicator == id {
			return f, query, nil
		}
	}
	return stability.Figure{}, "", ssra.Errorf(ssra.KindInternal, "rest.ledgerFigure", "no figure of indicator %q", id)
}
