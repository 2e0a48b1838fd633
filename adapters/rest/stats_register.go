package rest

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
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

// registerIndicatorStats answers GET /v1/stats/register: the register
// indicators over every screening plan and register entry the caller's
// organisation holds or was shared, at the server's today. The figures
// count units' rounds and entries; they name no person and count no
// complaint (domain.md §4).
func (s *Server) registerIndicatorStats(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	if err := onlyQuery(c); err != nil {
		return err
	}
	ctx := c.Request().Context()
	today := s.today()
	var t stability.RegisterTally
	for _, kind := range []string{kindScreeningPlan, kindRegisterEntry} {
		q := Query{Kind: kind, Limit: 500}
		for {
			page, err := s.res.Store.List(ctx, actorOf(p), q)
			if err != nil {
				return err
			}
			for _, rec := range page.Records {
				if kind == kindScreeningPlan {
					v, err := s.viewScreening(rec)
					if err != nil {
						return err
					}
					t.AddRounds(v.Slots)
					continue
				}
				e, err := entryOf(rec)
				if err != nil {
					return err
				}
				t.AddEntry(&e, today)
			}
			if page.Next == "" {
				break
			}
			q.After = page.Next
		}
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, registerStatsReply{At: today, Tally: t, Figures: stability.RegisterFigures(t)})
}
