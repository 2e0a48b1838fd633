package rest

import (
	"context"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
)

// User is a member of staff of an organisation as its administrator
// manages them (用户): identified by ID, with roles, enabled or disabled.
type User struct {
	ID        string      `json:"id"`
	OrgID     string      `json:"org_id"`
	Name      string      `json:"name"`
	Roles     []ssra.Role `json:"roles"`
	Disabled  bool        `json:"disabled"`
	CreatedAt time.Time   `json:"created_at"`
	// Version is raised by every change; the user's ETag is "v<version>"
	// and a change names it in If-Match.
	Version int64 `json:"version"`
}

// APIKey describes an API key (接口密钥) without its secret, which is shown
// once, when the key is issued, and never stored.
type APIKey struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	// CreatedBy is the user who issued the key ("system" for the command
	// line): a key an administrator issued for a colleague says so.
	CreatedBy  string     `json:"created_by"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// issuedKey is a newly issued key: the secret, shown only in this answer,
// and its description.
type issuedKey struct {
	Key string `json:"key"`
	APIKey
}

// Directory is the organisation's users and API keys as its administrator
// manages them over REST; cmd/ssrad binds it to adapters/sqlstore, whose
// command line (ssrad users, ssrad keys) calls the same methods as the
// system actor. Every method is scoped to by.OrgID: a user or key of
// another organisation is KindNotFound, never KindForbidden. Each change is
// one transaction together with its audit event. Errors by kind: a bad
// name, an unknown role or an expiry not in the future is KindInvalid; a
// duplicate user name, a key for a disabled user, rotating a revoked key,
// or an administrator disabling themselves or giving up their own admin
// role is KindConflict; granting the operator role (a problem names the
// role's index), or changing a user who holds it or issuing or rotating
// their keys, is KindForbidden: the operator role is the server's command
// line's to grant, so that no organisation's administrator can raise
// themselves to the server's figures.
type Directory interface {
	// CreateUser creates a user of the actor's organisation with roles.
	CreateUser(ctx context.Context, by ssra.Actor, name string, roles []ssra.Role) (User, error)
	// Users lists the users of the actor's organisation.
	Users(ctx context.Context, by ssra.Actor) ([]User, error)
	// User returns one user of the actor's organisation.
	User(ctx context.Context, by ssra.Actor, id string) (User, error)
	// UpdateUser replaces the roles and disabled flag of the user at
	// version, raising it; a user at another version (changed
	// meanwhile) is KindPreconditionFailed and nothing is written. A
	// disabled user's keys stop working at once.
	UpdateUser(ctx context.Context, by ssra.Actor, id string, version int64, roles []ssra.Role, disabled bool) (User, error)
	// IssueKey issues a key for a user, expiring at expiresAt (the zero
	// time: never), and returns the secret with its description.
	IssueKey(ctx context.Context, by ssra.Actor, userID, name string, expiresAt time.Time) (string, APIKey, error)
	// Keys lists the keys of the actor's organisation, of one user when
	// userID is not empty.
	Keys(ctx context.Context, by ssra.Actor, userID string) ([]APIKey, error)
	// RevokeKey revokes a key at once; revoking it again changes nothing.
	RevokeKey(ctx context.Context, by ssra.Actor, id string) (APIKey, error)
	// RotateKey revokes a live key and issues its successor for the same
	// user and name, expiring at expiresAt (zero: never), in one
	// transaction.
	RotateKey(ctx context.Context, by ssra.Actor, id string, expiresAt time.Time) (string, APIKey, error)
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
	Items []User `json:"items"`
}

type keyList struct {
	Items []APIKey `json:"items"`
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
	u, err := s.deps.Directory.CreateUser(c.Request().Context(), actorOf(p), in.Name, roles)
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
	us, err := s.deps.Directory.Users(c.Request().Context(), actorOf(p))
	if err != nil {
		return err
	}
	if us == nil {
		us = []User{}
	}
	return adminJSON(c, http.StatusOK, userList{Items: us})
}

func (s *Server) getUser(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	u, err := s.deps.Directory.User(c.Request().Context(), actorOf(p), c.Param("id"))
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
	return s.updateUser(c, p, func(u User) ([]ssra.Role, bool) { return roles, u.Disabled })
}

// updateUser changes the user at :id from the version in If-Match (428
// without it, 412 when stale): change gives the roles and disabled flag to
// write from the user as read. The directory compares the version again
// in the transaction that writes, so that of two changes from one version
// only the first is written and the second is 412, never lost.
func (s *Server) updateUser(c echo.Context, p Principal, change func(User) ([]ssra.Role, bool)) error {
	const op = "rest.updateUser"
	version, err := matchVersion(c)
	if err != nil {
		return err
	}
	ctx, by := c.Request().Context(), actorOf(p)
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
		return s.updateUser(c, p, func(u User) ([]ssra.Role, bool) { return u.Roles, disabled })
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
	secret, k, err := s.deps.Directory.IssueKey(c.Request().Context(), actorOf(p), c.Param("id"), in.Name, expiry(in.ExpiresAt))
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
	ks, err := s.deps.Directory.Keys(c.Request().Context(), actorOf(p), c.QueryParam("user_id"))
	if err != nil {
		return err
	}
	if ks == nil {
		ks = []APIKey{}
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
	k, err := s.deps.Directory.RevokeKey(c.Request().Context(), actorOf(p), c.Param("id"))
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
	secret, k, err := s.deps.Directory.RotateKey(c.Request().Context(), actorOf(p), c.Param("id"), expiry(in.ExpiresAt))
	if err != nil {
		return err
	}
	return adminJSON(c, http.StatusCreated, issuedKey{Key: secret, APIKey: k})
}

// userJSON answers with a user and its ETag.
func userJSON(c echo.Context, status int, u User) error {
	c.Response().Header().Set("ETag", etag(u.Version))
	return adminJSON(c, status, u)
}

// adminJSON answers with no caching: the answers carry secrets or personnel
// data.
func adminJSON(c echo.Context, status int, v any) error {
	c.Response().Header().Set("Cache-Control", "no-store")
	return c.JSON(status, v)
}
