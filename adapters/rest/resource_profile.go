package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

const kindProfile = "profile"

// Stored profiles are versions: a profile is stored once under its name
// and version and never changed, so that every result that names a
// version keeps meaning what it meant. A change is a new version.
func (s *Server) registerProfiles() {
	g := s.v1
	g.POST("/profiles", s.createProfile, RequireRole(ssra.RoleAdmin, ssra.RoleAssessor))
	g.GET("/profiles", s.listVersioned(kindProfile))
	g.GET("/profiles/:id", s.getVersioned(kindProfile))
	g.POST("/profiles/:id/share", s.shareRecord(kindProfile), RequireRole(ssra.RoleAdmin))
}

// profileKey is the stored name of a profile version, "name@version", by
// which assessments refer to it.
func profileKey(p riskeval.Profile) string { return p.Name() + "@" + p.Version() }

func (s *Server) createProfile(c echo.Context) error {
	pr, err := Caller(c)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := DecodeJSON(c, &raw); err != nil {
		return err
	}
	p, err := riskeval.DecodeProfile(bytes.NewReader(raw))
	if err != nil {
		return err
	}
	var ps ssra.Problems
	if slices.Contains(riskeval.PresetNames(), p.Name()) {
		ps.Add("profile.name_reserved", "name", "%q is a shipped preset; give the profile another name", p.Name())
	}
	if strings.ContainsAny(p.Name(), "@:") || strings.ContainsAny(p.Version(), "@:") {
		ps.Add("profile.name_invalid", "name", "name and version may not contain @ or :")
	}
	if err := ps.Err("rest.createProfile"); err != nil {
		return err
	}
	rec, err := s.res.Store.Create(c.Request().Context(), actorOf(pr), "profile.create", kindProfile,
		Fields{Status: "active", Name: profileKey(p), Reference: pr.OrgID + ":" + profileKey(p), Body: p})
	if err != nil {
		if ssra.KindOf(err) == ssra.KindConflict {
			return ssra.Errorf(ssra.KindConflict, "rest.createProfile", "profile %s exists; versions are immutable, store a new version", profileKey(p))
		}
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/profiles/"+rec.ID)
	return writeResource(c, http.StatusCreated, rec, envelope(rec, json.RawMessage(rec.Body)))
}

// profileFor resolves the profile an assessment names: a preset name, or
// "name@version" of a stored profile the organisation owns or was shared.
// An unknown profile is ssra.KindNotFound.
func (s *Server) profileFor(ctx context.Context, by Actor, name string) (riskeval.Profile, error) {
	if !strings.Contains(name, "@") {
		if p, ok := s.res.profiles.Load(name); ok {
			return p.(riskeval.Profile), nil
		}
		p, err := riskeval.Preset(name)
		if err != nil {
			return riskeval.Profile{}, err
		}
		s.res.profiles.Store(name, p)
		return p, nil
	}
	page, err := s.res.Store.List(ctx, by, Query{Kind: kindProfile, Name: name, Limit: 1})
	if err != nil {
		return riskeval.Profile{}, err
	}
	if len(page.Records) == 0 {
		return riskeval.Profile{}, ssra.Errorf(ssra.KindNotFound, "rest.profileFor", "no profile %q", name)
	}
	p, err := riskeval.DecodeProfile(bytes.NewReader(page.Records[0].Body))
	if err != nil {
		return riskeval.Profile{}, ssra.Wrap(ssra.KindInternal, "rest.profileFor", err, "stored profile does not decode")
	}
	return p, nil
}
