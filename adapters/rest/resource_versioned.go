package rest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// Stored profiles and schemes are immutable versions stored as documents:
// they share their read, list and share routes, parametrised by kind.

// findVersion resolves a reference to a stored profile or scheme version
// (ref is not a preset name):
//   - "name@version" is the caller's own organisation's version of that
//     name, never another organisation's, shared or not, so that sharing
//     never changes what an organisation's names mean;
//   - "org_id:name@version" names the owner explicitly: its version, if
//     the caller's organisation owns it or it was shared with it;
//   - anything else is the id of a version the caller may read.
//
// A reference that resolves to nothing is ssra.KindNotFound.
func (s *Server) findVersion(ctx context.Context, by ssra.Actor, kind store.RecordKind, ref string) (store.Record, error) {
	op := "rest." + kind.String() + "For"
	if !strings.Contains(ref, "@") {
		return s.res.Store.Get(ctx, by, kind, ref)
	}
	owner, name, qualified := strings.Cut(ref, ":")
	if !qualified {
		owner, name = by.OrgID, ref
	}
	q := store.Query{Kind: kind, Name: name, Limit: 500}
	if owner == by.OrgID {
		q.Scope = store.ScopeOwned
	}
	for {
		page, err := s.res.Store.List(ctx, by, q)
		if err != nil {
			return store.Record{}, err
		}
		for _, rec := range page.Records {
			if rec.OrgID == owner {
				return rec, nil
			}
		}
		if page.Next == "" {
			return store.Record{}, ssra.Errorf(ssra.KindNotFound, op, "no %s %q", kind, ref)
		}
		q.After = page.Next
	}
}

// getVersioned answers GET /v1/<kind>s/{id}.
func (s *Server) getVersioned(kind store.RecordKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := caller(c)
		if err != nil {
			return err
		}
		rec, err := s.res.Store.Get(c.Request().Context(), p.Actor(), kind, c.Param("id"))
		if err != nil {
			return err
		}
		return writeResource(c, http.StatusOK, rec, envelope(rec, json.RawMessage(rec.Body)))
	}
}

// listVersioned answers GET /v1/<kind>s: the stored versions the caller may
// read; ?name=name@version selects one.
func (s *Server) listVersioned(kind store.RecordKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		return s.listKind(c, kind, true, func(_ store.Identity, rec store.Record) (resource, error) {
			return envelope(rec, json.RawMessage(rec.Body)), nil
		})
	}
}

// listKind answers a list route of one kind of record: the caller's page of
// records (listQuery's filters, sort and cursor, plus ?name= when
// byName), each turned into its envelope by view.
func (s *Server) listKind(c echo.Context, kind store.RecordKind, byName bool, view func(store.Identity, store.Record) (resource, error)) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	q, err := s.listQuery(c, kind)
	if err != nil {
		return err
	}
	if byName {
		q.Name = c.QueryParam("name")
	}
	page, err := s.res.Store.List(c.Request().Context(), p.Actor(), q)
	if err != nil {
		return err
	}
	out := listing{Items: make([]resource, 0, len(page.Records)), Next: page.Next}
	for _, rec := range page.Records {
		item, err := view(p, rec)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, item)
	}
	return c.JSON(http.StatusOK, out)
}

// shareInput names the organisation to share a record with.
type shareInput struct {
	OrgID string `json:"org_id"`
}

// shareRecord answers POST /v1/<kind>s/{id}/share {"org_id"}: the
// organisation may then read the record (and use it, for a profile or
// scheme version).
func (s *Server) shareRecord(kind store.RecordKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := caller(c)
		if err != nil {
			return err
		}
		var in shareInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		if in.OrgID == "" {
			return ssra.Problems{{Code: "required", Field: "org_id", Message: "name the organisation"}}.Err("rest.share")
		}
		if err := s.res.Store.Share(c.Request().Context(), p.Actor(), kind, c.Param("id"), in.OrgID); err != nil {
			return err
		}
		return c.NoContent(http.StatusNoContent)
	}
}
