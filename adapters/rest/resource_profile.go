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
	"github.com/ssra-go/ssra/internal/canonical"
	"github.com/ssra-go/ssra/riskeval"
)

// Stored profiles are versions: a profile is stored once under its name
// and version and never changed, so that every result that names a
// version keeps meaning what it meant. A change is a new version.
func (s *Server) registerProfiles() {
	g := s.v1
	g.POST("/profiles", s.createProfile, requireRole(ssra.RoleAdmin, ssra.RoleAssessor))
	g.GET("/profiles", s.listVersioned(store.RecordProfile))
	g.GET("/profiles/:id", s.getVersioned(store.RecordProfile))
	g.POST("/profiles/:id/share", s.shareRecord(store.RecordProfile), requireRole(ssra.RoleAdmin))
}

// profileKey is the stored name of a profile version, "name@version", by
// which assessments refer to it.
func profileKey(p riskeval.Profile) string { return p.Name() + "@" + p.Version() }

func (s *Server) createProfile(c echo.Context) error {
	pr, err := caller(c)
	if err != nil {
		return err
	}
	var raw json.RawMessage
	if err := decodeJSON(c, &raw); err != nil {
		return err
	}
	p, err := riskeval.DecodeProfile(raw)
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
	rec, err := s.res.Store.Create(c.Request().Context(), pr.Actor(), "profile.create", store.RecordProfile,
		store.Fields{Status: "active", Name: profileKey(p), Reference: pr.OrgID + ":" + profileKey(p), Body: p})
	if err != nil {
		if ssra.KindOf(err) == ssra.KindConflict {
			return ssra.Errorf(ssra.KindConflict, "rest.createProfile", "profile %s exists; versions are immutable, store a new version", profileKey(p))
		}
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/profiles/"+rec.ID)
	return writeResource(c, http.StatusCreated, rec, envelope(rec, json.RawMessage(rec.Body)))
}

// profileFor resolves the profile a new or edited assessment names: a
// preset name, or a stored version (findVersion: "name@version" of the
// caller's own organisation, "org_id:name@version" or an id for one shared
// with it). The profile carries its identity (ID, Digest), which the
// assessment pins. An unknown profile is ssra.KindNotFound.
func (s *Server) profileFor(ctx context.Context, by ssra.Actor, ref string) (riskeval.Profile, error) {
	if slices.Contains(riskeval.PresetNames(), ref) {
		return s.presetProfile(ref)
	}
	rec, err := s.findVersion(ctx, by, store.RecordProfile, ref)
	if err != nil {
		return riskeval.Profile{}, err
	}
	return decodeStoredProfile(rec)
}

// presetProfile is a shipped profile, with the digest of its content,
// compiled once.
func (s *Server) presetProfile(name string) (riskeval.Profile, error) {
	if p, ok := s.res.profiles.Load(name); ok {
		return p.(riskeval.Profile), nil
	}
	p, err := riskeval.Preset(name)
	if err != nil {
		return riskeval.Profile{}, err
	}
	digest, err := canonical.DigestOf(p)
	if err != nil {
		return riskeval.Profile{}, ssra.Wrap(ssra.KindInternal, "rest.presetProfile", err, "preset does not encode")
	}
	p = p.WithSource("", digest)
	s.res.profiles.Store(name, p)
	return p, nil
}

func decodeStoredProfile(rec store.Record) (riskeval.Profile, error) {
	p, err := riskeval.DecodeProfile(rec.Body)
	if err != nil {
		return riskeval.Profile{}, ssra.Wrap(ssra.KindInternal, "rest.profileFor", err, "stored profile does not decode")
	}
	return p.WithSource(rec.ID, rec.Digest), nil
}

// assessmentProfile is the profile a stored assessment was pinned to when
// it was written, whoever reads it now: the version with the pinned id,
// read in the scope of the assessment's organisation (a decision body that
// reads a shared assessment gets the assessing body's profile, not one of
// its own of the same name), and refused if its content is no longer the
// pinned digest. An assessment stored before pinning resolves its name in
// its own organisation.
func (s *Server) assessmentProfile(ctx context.Context, p store.Identity, rec store.Record, sa storedAssessment) (riskeval.Profile, error) {
	owner := ssra.Actor{UserID: p.UserID, OrgID: rec.OrgID}
	if sa.ProfileID == "" {
		return s.profileFor(ctx, owner, sa.Profile)
	}
	pr, err := s.res.Store.Get(ctx, owner, store.RecordProfile, sa.ProfileID)
	if err != nil {
		return riskeval.Profile{}, err
	}
	if pr.Digest != sa.ProfileDigest {
		return riskeval.Profile{}, ssra.Errorf(ssra.KindInternal, "rest.assessmentProfile", "profile %s no longer has the digest the assessment pinned", sa.ProfileID)
	}
	return decodeStoredProfile(pr)
}
