package rest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// registerResources adds the stored-resource routes: assessments with their
// workflow and decisions, profiles and schemes, complaints and disputes
// with their casework, plans, appraisal runs, the public status check and
// audit verification. Without Deps.Resources there are none.
func (s *Server) registerResources() {
	res := s.deps.Resources
	if res == nil {
		return
	}
	res.defaults()
	s.res = res
	s.public = newFailureLimiter(s.res.PublicLimit, s.res.PublicWindow)
	s.registerAssessments()
	s.registerProfiles()
	s.registerComplaints()
	s.registerDisputes()
	s.registerPlans()
	s.registerTracking()
	s.registerLedger()
	s.registerReception()
	s.registerAppraisal()
	s.registerSchemes()
	s.registerPublic()
	s.registerStats()
	s.registerStatusPage()
	s.registerSheets()
	s.v1.GET("/audit/verify", s.auditVerify, requireRole(ssra.RoleAdmin, ssra.RoleOperator))
	s.registerAuditLog()
}

// resource is the envelope of a stored resource in every response: the
// record's metadata and its value. Redacted lists the field paths removed
// from Data for this caller, View names the caller's relation to a case.
type resource struct {
	ID        string    `json:"id"`
	OrgID     string    `json:"org_id"`
	Version   int64     `json:"version"`
	ReadOnly  bool      `json:"read_only"`
	CreatedBy string    `json:"created_by"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Status    string    `json:"status"`
	DueOn     ssra.Date `json:"due_on,omitzero"`
	View      string    `json:"view,omitempty"`
	Redacted  []string  `json:"redacted,omitzero"`
	LeafIndex *int64    `json:"leaf_index,omitempty"`
	Data      any       `json:"data"`
}

func envelope(r store.Record, data any) resource {
	return resource{ID: r.ID, OrgID: r.OrgID, Version: r.Version, ReadOnly: r.ReadOnly, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC(), Status: r.Status, DueOn: r.DueOn, LeafIndex: r.LeafIndex, Data: data}
}

// listing is the body of a list response.
type listing struct {
	Items []resource `json:"items"`
	Next  string     `json:"next,omitempty"`
}

// etag is a record version's entity tag.
func etag(version int64) string { return `"v` + strconv.FormatInt(version, 10) + `"` }

// writeResource answers with the envelope, its ETag and no-store caching.
func writeResource(c echo.Context, status int, r store.Record, env resource) error {
	h := c.Response().Header()
	h.Set("ETag", etag(r.Version))
	h.Set("Cache-Control", "no-store")
	return c.JSON(status, env)
}

// loadForWrite reads the record of kind at :id for the caller p to write, at the version
// in If-Match: 428 without it, 412 when stale, 403 when the caller's
// organisation sees it through a share. noun names the record in messages.
func (s *Server) loadForWrite(c echo.Context, p store.Identity, kind store.RecordKind, op, noun string) (store.Record, error) {
	version, err := matchVersion(c)
	if err != nil {
		return store.Record{}, err
	}
	rec, err := s.res.Store.Get(c.Request().Context(), p.Actor(), kind, c.Param("id"))
	if err != nil {
		return rec, err
	}
	if rec.ReadOnly {
		return rec, ssra.Errorf(ssra.KindForbidden, op, "this %s was shared with your organisation read-only", noun)
	}
	if rec.Version != version {
		return rec, ssra.Errorf(ssra.KindPreconditionFailed, op, "the %s is at version %d, not %d: read it again and reapply the change", noun, rec.Version, version)
	}
	return rec, nil
}

// matchVersion reads If-Match: a missing header is 428, a value that is not
// one of our entity tags cannot match and is 412.
func matchVersion(c echo.Context) (int64, error) {
	v, err := ifMatch(c)
	if err != nil {
		return 0, err
	}
	v = strings.TrimPrefix(v, "W/")
	if len(v) >= 4 && v[0] == '"' && v[len(v)-1] == '"' && v[1] == 'v' {
		if n, err := strconv.ParseInt(v[2:len(v)-1], 10, 64); err == nil && n >= 1 {
			return n, nil
		}
	}
	return 0, ssra.Errorf(ssra.KindPreconditionFailed, "rest.If-Match", "If-Match %q is not an ETag of this resource; read it again", v)
}

// listQuery reads the common list parameters: status (repeatable or comma
// separated), scope (owned, shared), after (cursor) and limit (1 to 500).
// A page also ends at Resources.PageBytes of bodies.
func (s *Server) listQuery(c echo.Context, kind store.RecordKind) (store.Query, error) {
	q := store.Query{Kind: kind, After: c.QueryParam("after"), MaxBytes: s.res.PageBytes}
	var ps ssra.Problems
	for _, v := range c.QueryParams()["status"] {
		for _, st := range strings.Split(v, ",") {
			if st = strings.TrimSpace(st); st != "" {
				q.Status = append(q.Status, st)
			}
		}
	}
	switch sc := c.QueryParam("scope"); sc {
	case "", "all":
	case "owned":
		q.Scope = store.ScopeOwned
	case "shared":
		q.Scope = store.ScopeShared
	default:
		ps.Add("query.scope", "scope", "must be all, owned or shared, not %q", sc)
	}
	switch so := c.QueryParam("sort"); so {
	case "", "created":
	case "due":
		q.Order = store.OrderDue
	default:
		ps.Add("query.sort", "sort", "must be created or due, not %q", so)
	}
	if l := c.QueryParam("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 500 {
			ps.Add("query.limit", "limit", "must be an integer from 1 to 500")
		}
		q.Limit = n
	}
	if len(ps) > 0 {
		return q, badRequest("invalid query parameters", ps)
	}
	return q, nil
}

// noBody refuses a body on a transition that takes none: no body, or an
// empty JSON object, passes; anything else is read as strictly as any
// other body (unknown fields, malformed JSON, a value that is not an
// object are 400), so that a client's mistaken body is never silently
// ignored while the transition goes ahead.
func noBody(c echo.Context) error {
	body, err := requestBody(c)
	if err != nil {
		return err
	}
	if t := bytes.TrimSpace(body); len(t) == 0 {
		return nil
	} else if t[0] != '{' {
		return badJSON("json.not_object", "", "this transition takes no body; send none or an empty JSON object")
	}
	var none struct{}
	return decodeBytes(body, &none)
}

// auditVerify answers GET /v1/audit/verify: the whole log's verification
// for the server's operator, the organisation's own for its administrator,
// so that an administrator learns nothing of another organisation (how
// many records it holds, their ids) nor the server's own figures.
func (s *Server) auditVerify(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	var rep store.AuditReport
	if p.Has(ssra.RoleOperator) {
		rep, err = s.res.Store.VerifyAudit(c.Request().Context())
	} else {
		rep, err = s.res.Store.VerifyOrganisation(c.Request().Context(), p.OrgID)
	}
	if err != nil {
		return err
	}
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(http.StatusOK, rep)
}

// unmarshalStored decodes a stored body; a body that does not decode is an
// internal error.
func unmarshalStored(r store.Record, v any) error {
	if err := json.Unmarshal(r.Body, v); err != nil {
		return ssra.Wrap(ssra.KindInternal, "rest.stored", err, "stored "+r.Kind.String()+" does not decode")
	}
	return nil
}
