package rest

import (
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// issuedKey is a newly issued key: the secret, shown only in this answer,
// and its description.
type issuedKey struct {
	Key string `json:"key"`
	store.APIKey
}

// Directory is the organisation's users and API keys as its administrator
// manages them over REST, as adapters/store declares them: cmd/ssrad passes
// adapters/sqlstore, whose command line (ssrad users, ssrad keys) calls the
// same methods as the system actor. The routes call them with the
// administrator as the actor and the administrator's organisation.
type Directory interface {
	store.Users
	store.Keys
}

// registerAdmin adds the administration routes when the server has a
// directory; every one needs the admin role.
func (s *Server) registerAdmin() {
	if s.deps.Directory == nil {
		return
	}
	admin := requireRole(ssra.RoleAdmin)
	g := s.v1
	g.POST("/users", s.createUser, admin)
	g.GET("/users", s.listUsers, admin)
	g.GET("/users/:id", s.getUser, admin)
	g.POST("/users/:id/roles", s.setRoles, admin)
	g.POST("/users/:id/disable", s.setDisabled(true), admin)
	g.POST("/users/:id/enable", s.setDisabled(false), admin)
	g.POST("/users/:id/keys", s.issueKey, admin)
	g.GET("/keys", s.listKeys, admin)
	g.POST("/keys/:id/revoke", s.revokeKey, admin)
	g.POST("/keys/:id/rotate", s.rotateKey, admin)
}

// userInput is the body of POST /v1/users. Roles are names, parsed by
// parseRoles so that an unknown one is named by its index.
type userInput struct {
	Name  string   `json:"name"`
	Roles []string `json:"roles"`
}

// rolesInput is the body of POST /v1/users/{id}/roles.
type rolesInput struct {
	Roles []string `json:"roles"`
}

// keyInput is the body of POST /v1/users/{id}/keys.
type keyInput struct {
	Name      string     `json:"name"`
	ExpiresAt *time.Time `json:"expires_at"`
}

// rotateInput is the body of POST /v1/keys/{id}/rotate.
type rotateInput struct {
	ExpiresAt *time.Time `json:"expires_at"`
}

// userList and keyList are the bodies of the listings.
type userList struct {
	Items []store.User `json:"items"`
}

type keyList struct {
	Items []store.APIKey `json:"items"`
}

// parseRoles reads at least one and at most one of each role, naming a bad
// one by its index.
func parseRoles(op string, names []string) ([]ssra.Role, error) {
	var ps ssra.Problems
	if len(names) == 0 {
		ps.Add("required", "roles", "give at least one role")
	}
	if len(names) > len(ssra.Roles()) {
		ps.Add("too_many", "roles", "give each role at most once (%d roles exist)", len(ssra.Roles()))
		return nil, ps.Err(op)
	}
	roles := make([]ssra.Role, 0, len(names))
	for i, n := range names {
		r, err := ssra.ParseRole(n)
		if err != nil {
			ps.Add("role_unknown", ssra.Index("roles", i), "unknown role %q; the roles are admin, assessor, reviewer, decision_maker, appraiser, caseworker, viewer (and operator, which only the server's command line grants)", n)
			continue
		}
		roles = append(roles, r)
	}
	return roles, ps.Err(op)
}

func (s *Server) createUser(c echo.Context) error {
	const op = "rest.createUser"
	p, err := caller(c)
	if err != nil {
		return err
	}
	var in userInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	roles, err := parseRoles(op, in.Roles)
	if err != nil {
		return err
	}
	u, err := s.deps.Directory.CreateUser(c.Request().Context(), p.Actor(), p.OrgID, in.Name, roles)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, "/v1/users/"+u.ID)
	return userJSON(c, http.StatusCreated, u)
}

func (s *Server) listUsers(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	us, err := s.deps.Directory.Users(c.Request().Context(), p.Actor(), p.OrgID)
	if err != nil {
		return err
	}
	if us == nil {
		us = []store.User{}
	}
	return adminJSON(c, http.StatusOK, userList{Items: us})
}

func (s *Server) getUser(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	u, err := s.deps.Directory.User(c.Request().Context(), p.Actor(), c.Param("id"))
	if err != nil {
		return err
	}
	return userJSON(c, http.StatusOK, u)
}

func (s *Server) setRoles(c echo.Context) error {
	const op = "rest.setRoles"
	p, err := caller(c)
	if err != nil {
		return err
	}
	var in rolesInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	roles, err := parseRoles(op, in.Roles)
	if err != nil {
		return err
	}
	return s.updateUser(c, p, func(u store.User) ([]ssra.Role, bool) { return roles, u.Disabled })
}

// updateUser changes the user at :id from the version in If-Match (428
// without it, 412 when stale): change gives the roles and disabled flag to
// write from the user as read. The directory compares the version again
// in the transaction that writes, so that of two changes from one version
// only the first is written and the second is 412, never lost.
func (s *Server) updateUser(c echo.Context, p store.Identity, change func(store.User) ([]ssra.Role, bool)) error {
	const op = "rest.updateUser"
	version, err := matchVersion(c)
	if err != nil {
		return err
	}
	ctx, by := c.Request().Context(), p.Actor()
	u, err := s.deps.Directory.User(ctx, by, c.Param("id"))
	if err != nil {
		return err
	}
	if u.Version != version {
		return ssra.Errorf(ssra.KindPreconditionFailed, op, "the user is at version %d, not %d: read it again and reapply the change", u.Version, version)
	}
	roles, disabled := change(u)
	u, err = s.deps.Directory.UpdateUser(ctx, by, u.ID, version, roles, disabled)
	if err != nil {
		return err
	}
	return userJSON(c, http.StatusOK, u)
}

func (s *Server) setDisabled(disabled bool) echo.HandlerFunc {
	return func(c echo.Context) error {
		p, err := caller(c)
		if err != nil {
			return err
		}
		if err := noBody(c); err != nil {
			return err
		}
		return s.updateUser(c, p, func(u store.User) ([]ssra.Role, bool) { return u.Roles, disabled })
	}
}

func expiry(t *time.Time) time.Time {
	if t == nil {
		return time.Time{}
	}
	return *t
}

func (s *Server) issueKey(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	var in keyInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	secret, k, err := s.deps.Directory.IssueKey(c.Request().Context(), p.Actor(), c.Param("id"), store.KeySpec{Name: in.Name, ExpiresAt: expiry(in.ExpiresAt)})
	if err != nil {
		return err
	}
	return adminJSON(c, http.StatusCreated, issuedKey{Key: secret, APIKey: k})
}

func (s *Server) listKeys(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	ks, err := s.deps.Directory.Keys(c.Request().Context(), p.Actor(), c.QueryParam("user_id"))
	if err != nil {
		return err
	}
	if ks == nil {
		ks = []store.APIKey{}
	}
	return adminJSON(c, http.StatusOK, keyList{Items: ks})
}

func (s *Server) revokeKey(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	if err := noBody(c); err != nil {
		return err
	}
	k, err := s.deps.Directory.RevokeKey(c.Request().Context(), p.Actor(), c.Param("id"))
	if err != nil {
		return err
	}
	return adminJSON(c, http.StatusOK, k)
}

func (s *Server) rotateKey(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	var in rotateInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	secret, k, err := s.deps.Directory.RotateKey(c.Request().Context(), p.Actor(), c.Param("id"), expiry(in.ExpiresAt))
	if err != nil {
		return err
	}
	return adminJSON(c, http.StatusCreated, issuedKey{Key: secret, APIKey: k})
}

// userJSON answers with a user and its ETag.
func userJSON(c echo.Context, status int, u store.User) error {
	c.Response().Header().Set("ETag", etag(u.Version))
	return adminJSON(c, status, u)
}

// adminJSON answers with no caching: the answers carry secrets or personnel
// data.
func adminJSON(c echo.Context, status int, v any) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, v)
}
