package rest

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/internal/canonical"
)

// Stored appraisal schemes (考核方案) are versions, as stored profiles are: a
// scheme is stored once under its name and version and never changed, and
// appraisal runs name it as name@version and record the version they used.
func (s *Server) registerSchemes() {
	g := s.v1
	g.POST("/schemes", s.createScheme, requireRole(ssra.RoleAdmin, ssra.RoleAppraiser))
	g.GET("/schemes", s.listVersioned(store.RecordScheme))
	g.GET("/schemes/:id", s.getVersioned(store.RecordScheme))
	g.POST("/schemes/:id/share", s.shareRecord(store.RecordScheme), requireRole(ssra.RoleAdmin))
}

func (s *Server) createScheme(c echo.Context) error {
	pr, err := caller(c)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := decodeJSON(c, &raw); err != nil {
		return err
	}
	sc, err := appraisal.DecodeScheme(raw)
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
	rec, err := s.res.Store.Create(c.Request().Context(), pr.Actor(), "scheme.create", store.RecordScheme,
		store.Fields{Status: "active", Name: key, Reference: pr.OrgID + ":" + key, Body: sc})
	if err != nil {
		if ssra.KindOf(err) == ssra.KindConflict {
			return ssra.Errorf(ssra.KindConflict, "rest.createScheme", "scheme %s exists; versions are immutable, store a new version", key)
		}
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/schemes/"+rec.ID)
	return writeResource(c, http.StatusCreated, rec, envelope(rec, json.RawMessage(rec.Body)))
}

// schemeFor resolves the scheme a run names, as profileFor resolves a
// profile: a preset name, "name@version" of the caller's own organisation,
// or a shared version by its id or as "org_id:name@version". It returns
// the scheme with the reference a run records (name, version, id, digest).
// An unknown scheme is ssra.KindNotFound.
func (s *Server) schemeFor(ctx context.Context, by ssra.Actor, ref string) (*appraisal.Scheme, appraisal.SchemeRef, error) {
	var sc *appraisal.Scheme
	var id, digest string
	if slices.Contains(appraisal.PresetNames(), ref) {
		p, err := appraisal.Preset(ref)
		if err != nil {
			return nil, appraisal.SchemeRef{}, err
		}
		if digest, err = canonical.DigestOf(p); err != nil {
			return nil, appraisal.SchemeRef{}, ssra.Wrap(ssra.KindInternal, "rest.schemeFor", err, "preset does not encode")
		}
		sc = p
	} else {
		rec, err := s.findVersion(ctx, by, store.RecordScheme, ref)
		if err != nil {
			return nil, appraisal.SchemeRef{}, err
		}
		if sc, err = appraisal.DecodeScheme(rec.Body); err != nil {
			return nil, appraisal.SchemeRef{}, ssra.Wrap(ssra.KindInternal, "rest.schemeFor", err, "stored scheme does not decode")
		}
		id, digest = rec.ID, rec.Digest
	}
	return sc, appraisal.SchemeRef{Name: sc.Name(), Version: sc.Version(), Tag: sc.Tag(), ID: id, Digest: digest}, nil
}
