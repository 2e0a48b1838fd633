package rest

import (
	"bytes"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/riskeval"
)

// registerReports adds the assessment report routes (评估报告): the report
// as HTML or Markdown, the risk heat map and the sensitivity analysis's
// tornado chart as SVG, under the same access rules as reading the
// assessment.
func (s *Server) registerReports() {
	if s.res == nil {
		return
	}
	s.v1.GET("/assessments/:id/report", s.assessmentReport)
	s.v1.GET("/assessments/:id/heatmap.svg", s.assessmentHeatMap)
	s.v1.GET("/assessments/:id/tornado.svg", s.assessmentTornado)
}

// reportSource loads what a report is rendered from: the assessment as the
// caller may read it, its profile, and its evaluation — the one frozen at
// issue when there is one, otherwise a fresh evaluation (which refuses an
// invalid draft with 422 and every problem).
func (s *Server) reportSource(c echo.Context) (riskeval.Assessment, riskeval.Profile, riskeval.Result, error) {
	p, err := caller(c)
	if err != nil {
		return riskeval.Assessment{}, riskeval.Profile{}, riskeval.Result{}, err
	}
	ctx := c.Request().Context()
	rec, err := s.res.Store.Get(ctx, p.Actor(), store.RecordAssessment, c.Param("id"))
	if err != nil {
		return riskeval.Assessment{}, riskeval.Profile{}, riskeval.Result{}, err
	}
	var sa storedAssessment
	if err := unmarshalStored(rec, &sa); err != nil {
		return riskeval.Assessment{}, riskeval.Profile{}, riskeval.Result{}, err
	}
	sa.Assessment.ID = rec.ID
	prof, err := s.assessmentProfile(ctx, p, rec, sa)
	if err != nil {
		return riskeval.Assessment{}, riskeval.Profile{}, riskeval.Result{}, err
	}
	if iss := sa.Assessment.Workflow.Issued; iss != nil {
		return sa.Assessment, prof, iss.Result, nil
	}
	res, err := riskeval.Evaluate(sa.Assessment, prof)
	return sa.Assessment, prof, res, err
}

// reportLang reads the lang query parameter: zh-CN (default) or en.
func reportLang(c echo.Context) (ssra.Lang, error) {
	v := c.QueryParam("lang")
	if v == "" {
		return ssra.LangZH, nil
	}
	l, err := ssra.ParseLang(v)
	if err != nil {
		return 0, badRequest("unknown language", ssra.Problems{{Code: "query.lang", Field: "lang", Message: "lang must be zh-CN or en"}})
	}
	return l, nil
}

// onlyQuery refuses query parameters other than the named ones.
func onlyQuery(c echo.Context, names ...string) error {
	var ps ssra.Problems
	for k := range c.QueryParams() {
		known := false
		for _, n := range names {
			known = known || k == n
		}
		if !known {
			ps.Add("query.unknown", k, "unknown query parameter; this route takes %v", names)
		}
	}
	if len(ps) > 0 {
		return badRequest("unknown query parameters", ps)
	}
	return nil
}

// assessmentReport answers GET /v1/assessments/{id}/report?format=html|md&lang=zh-CN|en.
func (s *Server) assessmentReport(c echo.Context) error {
	if err := onlyQuery(c, "format", "lang"); err != nil {
		return err
	}
	lang, err := reportLang(c)
	if err != nil {
		return err
	}
	format := c.QueryParam("format")
	if format == "" {
		format = "html"
	}
	if format != "html" && format != "md" {
		return badRequest("unknown format", ssra.Problems{{Code: "query.format", Field: "format", Message: "format must be html or md"}})
	}
	a, prof, res, err := s.reportSource(c)
	if err != nil {
		return err
	}
	in := report.Input{Assessment: a, Result: res, Profile: prof, Lang: lang, Generated: s.res.Now(), Location: s.cfg.ReportLocation}
	if sens, err := riskeval.Sensitivity(a, prof); err == nil && sens.Residual.Index.Equal(res.Residual.Index) {
		// The robustness of the decision, when it analyses the evaluation
		// the report shows (an issued report shows its frozen result).
		in.Sensitivity = &sens
	}
	if a.Status == riskeval.StatusIssued {
		// Once the approval's measures are tracked, the report gains their
		// implementation (措施落实情况), at the server's today.
		p, err := caller(c)
		if err != nil {
			return err
		}
		if _, t, err := s.trackingOf(c.Request().Context(), p, a.ID, ""); err != nil {
			return err
		} else if t != nil {
			in.Tracking, in.TrackedAt = t, s.today()
		}
	}
	var buf bytes.Buffer
	mime := "text/html; charset=utf-8"
	if format == "md" {
		mime = "text/markdown; charset=utf-8"
		err = report.Markdown(&buf, in)
	} else {
		err = report.HTML(&buf, in)
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, mime, buf.Bytes())
}

// assessmentHeatMap answers GET /v1/assessments/{id}/heatmap.svg?lang=zh-CN|en.
func (s *Server) assessmentHeatMap(c echo.Context) error {
	return s.chart(c, func(w io.Writer, _ riskeval.Assessment, p riskeval.Profile, r riskeval.Result, lang ssra.Lang) error {
		return report.HeatMap(w, p, r, lang)
	})
}

// assessmentTornado answers GET /v1/assessments/{id}/tornado.svg?lang=zh-CN|en:
// the tornado chart of the assessment's sensitivity analysis
// (riskeval.Sensitivity under its profile).
func (s *Server) assessmentTornado(c echo.Context) error {
	return s.chart(c, func(w io.Writer, a riskeval.Assessment, p riskeval.Profile, _ riskeval.Result, lang ssra.Lang) error {
		sens, err := riskeval.Sensitivity(a, p)
		if err != nil {
			return err
		}
		return report.Tornado(w, p, sens, lang)
	})
}

// chart answers a chart route: it reads the lang query parameter and the
// report source, and sends the SVG that draw writes.
func (s *Server) chart(c echo.Context, draw func(io.Writer, riskeval.Assessment, riskeval.Profile, riskeval.Result, ssra.Lang) error) error {
	if err := onlyQuery(c, "lang"); err != nil {
		return err
	}
	lang, err := reportLang(c)
	if err != nil {
		return err
	}
	a, prof, res, err := s.reportSource(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := draw(&buf, a, prof, res, lang); err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.Blob(http.StatusOK, "image/svg+xml", buf.Bytes())
}
