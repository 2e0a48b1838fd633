package rest

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

const kindScheme = "scheme"

// Stored appraisal schemes (考核方案) are versions, as stored profiles are: a
// scheme is stored once under its name and version and never changed, and
// appraisal runs name it as name@version and record the version they used.
func (s *Server) registerSchemes() {
	g := s.v1
	g.POST("/schemes", s.createScheme, RequireRole(ssra.RoleAdmin, ssra.RoleAppraiser))
	g.GET("/schemes", s.listVersioned(kindScheme))
	g.GET("/schemes/:id", s.getVersioned(kindScheme))
	g.POST("/schemes/:id/share", s.shareRecord(kindScheme), RequireRole(ssra.RoleAdmin))
}

func (s *Server) createScheme(c echo.Context) error {
	pr, err := Caller(c)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := DecodeJSON(c, &raw); err != nil {
		return err
	}
	sc, err := appraisal.LoadScheme(raw)
	if err != nil {
		return err
	}
	var ps ssra.Problems
	if slices.Contains(appraisal.PresetNames(), sc.Name()) {
		ps.Add("scheme.name_reserved", "name", "%q is a shipped preset; give the scheme another name", sc.Name())
	}
	if strings.ContainsAny(sc.Name(), "@:") || strings.ContainsAny(sc.Version(), "@:") {
		ps.Add("scheme.name_invalid", "name", "name and version may not contain @ or :")
	}
	if err := ps.Err("rest.createScheme"); err != nil {
		return err
	}
	key := sc.Name() + "@" + sc.Version()
	rec, err := s.res.Store.Create(c.Request().Context(), actorOf(pr), "scheme.create", kindScheme,
		Fields{Status: "active", Name: key, Reference: pr.OrgID + ":" + key, Body: sc})
	if err != nil {
		if ssra.KindOf(err) == ssra.KindConflict {
			return ssra.Errorf(ssra.KindConflict, "rest.createScheme", "scheme %s exists; versions are immutable, store a new version", key)
		}
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/schemes/"+rec.ID)
	return writeResource(c, http.StatusCreated, rec, envelope(rec, json.RawMessage(rec.Body)))
}

// schemeFor resolves the scheme a run names: a preset name, or
// "name@version" of a stored scheme the organisation owns or was shared.
// An unknown scheme is ssra.KindNotFound.
func (s *Server) schemeFor(ctx context.Context, by Actor, name string) (*appraisal.Scheme, error) {
	if !strings.Contains(name, "@") {
		return appraisal.Preset(name)
	}
	page, err := s.res.Store.List(ctx, by, Query{Kind: kindScheme, Name: name, Limit: 1})
	if err != nil {
		return nil, err
	}
	if len(page.Records) == 0 {
		return nil, ssra.Errorf(ssra.KindNotFound, "rest.schemeFor", "no scheme %q", name)
	}
	sc, err := appraisal.LoadScheme(page.Records[0].Body)
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInternal, "rest.schemeFor", err, "stored scheme does not decode")
	}
	return sc, nil
}
