package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// Organisation is a body that holds records (机构): an assessing body, a
// decision body, a xinfang department, a mediation committee, an appraised
// unit. Its users see its records and those shared with it.
type Organisation struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	// Parent is the organisation above this one (上级机关), empty for a
	// root of the hierarchy (see SetOrganisationParent).
	Parent string `json:"parent,omitempty"`
}

func newID() string { return uuid.Must(uuid.NewV7()).String() }

// normRoles validates, sorts and de-duplicates roles.
func normRoles(op string, roles []ssra.Role) ([]ssra.Role, error) {
	var ps ssra.Problems
	out := make([]ssra.Role, 0, len(roles))
	for i, r := range roles {
		if !r.Valid() {
			ps.Add("role_unknown", ssra.Index("roles", i), "unknown role %d", r)
			continue
		}
		if !slices.Contains(out, r) {
			out = append(out, r)
		}
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	slices.Sort(out)
	return out, nil
}

func checkName(op, field, name string) error {
	var ps ssra.Problems
	switch n := strings.TrimSpace(name); {
	case n == "":
		ps.Add("required", field, "is required")
	case n != name:
		ps.Add("whitespace", field, "must not start or end with spaces")
	case len(name) > 200:
		ps.Add("too_long", field, "must be at most 200 bytes")
	case !utf8.ValidString(name):
		ps.Add("invalid_utf8", field, "is not valid UTF-8")
	}
	return ps.Err(op)
}

// CreateOrganisation creates an organisation at the root of the
// hierarchy. Only System may create organisations.
func (s *Store) CreateOrganisation(ctx context.Context, by ssra.Actor, name string) (Organisation, error) {
	return s.CreateOrganisationUnder(ctx, by, name, "")
}

// CreateOrganisationUnder creates an organisation whose parent (上级机关)
// is the organisation parent, or at the root when parent is empty, in one
// audited transaction. Only System may create organisations
// (KindForbidden); an unknown parent is KindInvalid naming the field.
func (s *Store) CreateOrganisationUnder(ctx context.Context, by ssra.Actor, name, parent string) (Organisation, error) {
	const op = "sqlstore.CreateOrganisation"
	if !isSystem(by) {
		return Organisation{}, ssra.Errorf(ssra.KindForbidden, op, "only the system administrator creates organisations")
	}
	if err := checkName(op, "name", name); err != nil {
		return Organisation{}, err
	}
	var o Organisation
	err := s.administrative(ctx, op, by, func(w *Tx) error {
		var err error
		if o, err = w.createOrganisation(ctx, name); err != nil || parent == "" {
			return err
		}
		o, err = w.setParent(ctx, o, parent)
		return err
	})
	return o, err
}

func (w *Tx) createOrganisation(ctx context.Context, name string) (Organisation, error) {
	const op = "sqlstore.CreateOrganisation"
	o := Organisation{ID: newID(), Name: name, CreatedAt: w.at}
	if _, err := w.tx.ExecContext(ctx, w.s.q(`INSERT INTO organisations (id, name, created_at) VALUES (?, ?, ?)`),
		o.ID, o.Name, w.s.tv(o.CreatedAt)); err != nil {
		if isUniqueViolation(err) {
			return o, ssra.Errorf(ssra.KindConflict, op, "an organisation named %q exists", name)
		}
		return o, internal(op, err)
	}
	after, err := digestOf(o)
	if err != nil {
		return o, err
	}
	return o, w.event(ctx, "organisation.create", "organisation", o.ID, 0, "", after)
}

func digestOf(v any) (string, error) {
	c, err := Canonical(v)
	if err != nil {
		return "", ssra.Wrap(ssra.KindInternal, "sqlstore.digest", err, "cannot digest value")
	}
	return Digest(c), nil
}

// Organisations lists every organisation, by creation. It is not scoped:
// organisations are the directory that routing chooses from.
func (s *Store) Organisations(ctx context.Context) ([]Organisation, error) {
	const op = "sqlstore.Organisations"
	return s.organisations(ctx, s.r, op, `SELECT `+orgColumns+` FROM organisations ORDER BY id`)
}

// Organisation returns one organisation by ID.
func (s *Store) Organisation(ctx context.Context, id string) (Organisation, error) {
	const op = "sqlstore.Organisation"
	return s.organisation(ctx, s.r, op, id)
}

// CreateUser creates a user of organisation orgID with roles. An actor
// other than System may create users only in its own organisation, and
// may not grant the operator role (KindForbidden naming the role's index).
func (s *Store) CreateUser(ctx context.Context, by ssra.Actor, orgID, name string, roles []ssra.Role) (store.User, error) {
	const op = "sqlstore.CreateUser"
	if !isSystem(by) && by.OrgID != orgID {
		return store.User{}, ssra.Errorf(ssra.KindNotFound, op, "no organisation %q", orgID)
	}
	if err := checkName(op, "name", name); err != nil {
		return store.User{}, err
	}
	if err := operatorGrant(op, by, roles); err != nil {
		return store.User{}, err
	}
	roles, err := normRoles(op, roles)
	if err != nil {
		return store.User{}, err
	}
	var u store.User
	err = s.administrative(ctx, op, by, func(w *Tx) error {
		var err error
		u, err = w.createUser(ctx, orgID, name, roles)
		return err
	})
	return u, err
}

func (w *Tx) createUser(ctx context.Context, orgID, name string, roles []ssra.Role) (store.User, error) {
	const op = "sqlstore.CreateUser"
	if err := w.orgExists(ctx, op, orgID); err != nil {
		return store.User{}, err
	}
	u := store.User{ID: newID(), OrgID: orgID, Name: name, Roles: roles, CreatedAt: w.at, Version: 1}
	if _, err := w.tx.ExecContext(ctx, w.s.q(`INSERT INTO users (id, org_id, name, disabled, created_at) VALUES (?, ?, ?, ?, ?)`),
		u.ID, u.OrgID, u.Name, w.s.bv(false), w.s.tv(u.CreatedAt)); err != nil {
		if isUniqueViolation(err) {
			return u, ssra.Errorf(ssra.KindConflict, op, "the organisation has a user named %q", name)
		}
		return u, internal(op, err)
	}
	if err := w.insertRoles(ctx, u.ID, roles); err != nil {
		return u, err
	}
	after, err := digestOf(u)
	if err != nil {
		return u, err
	}
	return u, w.event(ctx, "user.create", "user", u.ID, 0, "", after)
}

// operatorGrant refuses the operator role to an actor other than System:
// the role sees figures of every organisation, so an organisation's
// administrator who could grant it could raise themselves, or a
// colleague, above their organisation. The problem names the role's index
// in roles.
func operatorGrant(op string, by ssra.Actor, roles []ssra.Role) error {
	if isSystem(by) {
		return nil
	}
	var ps ssra.Problems
	for i, r := range roles {
		if r.Valid() && !r.OrganisationGrantable() {
			ps.Add("operator_command_line_only", ssra.Index("roles", i),
				"the %s role is granted only on the server's command line (ssrad users), never by an organisation's administrator", r)
		}
	}
	if len(ps) == 0 {
		return nil
	}
	return &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "the operator role is not an organisation's to grant", Problems: ps}
}

// operatorHeld refuses an actor other than System a change to a user who
// holds the operator role, or to their keys: such a user is managed only
// on the server's command line, so that nobody can take over the role by
// way of its holder's keys.
func operatorHeld(op string, by ssra.Actor, u store.User) error {
	if isSystem(by) || !u.HasRole(ssra.RoleOperator) {
		return nil
	}
	return ssra.Errorf(ssra.KindForbidden, op, "user %s holds the operator role: only the server's command line changes them or issues their keys", u.ID)
}

func (w *Tx) insertRoles(ctx context.Context, userID string, roles []ssra.Role) error {
	for _, r := range roles {
		if _, err := w.tx.ExecContext(ctx, w.s.q(`INSERT INTO user_roles (user_id, role) VALUES (?, ?)`), userID, r.String()); err != nil {
			return internal("sqlstore.roles", err)
		}
	}
	return nil
}

// bv converts a boolean to the dialect's parameter value.
func (s *Store) bv(b bool) any {
	if s.dialect == Postgres {
		return b
	}
	if b {
		return 1
	}
	return 0
}

type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// User returns a user by ID; a user of another organisation is not found
// unless by is System.
func (s *Store) User(ctx context.Context, by ssra.Actor, id string) (store.User, error) {
	const op = "sqlstore.User"
	if err := checkActor(op, by); err != nil {
		return store.User{}, err
	}
	return s.user(ctx, s.r, by, id)
}

func (s *Store) user(ctx context.Context, q querier, by ssra.Actor, id string) (store.User, error) {
	const op = "sqlstore.User"
	var u store.User
	var at instant
	var disabled bool
	err := q.QueryRowContext(ctx, s.q(`SELECT id, org_id, name, disabled, created_at, version FROM users WHERE id = ?`), id).
		Scan(&u.ID, &u.OrgID, &u.Name, &disabled, &at, &u.Version)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !isSystem(by) && u.OrgID != by.OrgID) {
		return store.User{}, ssra.Errorf(ssra.KindNotFound, op, "no user %q", id)
	}
	if err != nil {
		return store.User{}, internal(op, err)
	}
	u.Disabled, u.CreatedAt = disabled, at.t
	u.Roles, err = s.roles(ctx, q, u.ID)
	return u, err
}

func (s *Store) roles(ctx context.Context, q querier, userID string) ([]ssra.Role, error) {
	const op = "sqlstore.roles"
	rows, err := q.QueryContext(ctx, s.q(`SELECT role FROM user_roles WHERE user_id = ?`), userID)
	if err != nil {
		return nil, internal(op, err)
	}
	defer rows.Close()
	roles := []ssra.Role{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, internal(op, err)
		}
		r, err := ssra.ParseRole(name)
		if err != nil {
			return nil, internal(op, err)
		}
		roles = append(roles, r)
	}
	slices.Sort(roles)
	return roles, internal(op, rows.Err())
}

// Users lists the users of organisation orgID; an actor other than System
// sees only its own organisation's users whatever orgID says. System with
// an empty orgID lists every user.
func (s *Store) Users(ctx context.Context, by ssra.Actor, orgID string) ([]store.User, error) {
	const op = "sqlstore.Users"
	if err := checkActor(op, by); err != nil {
		return nil, err
	}
	if !isSystem(by) {
		orgID = by.OrgID
	}
	query, args := `SELECT id FROM users ORDER BY id`, []any{}
	if orgID != "" {
		query, args = `SELECT id FROM users WHERE org_id = ? ORDER BY id`, []any{orgID}
	}
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, internal(op, err)
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return nil, internal(op, err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, internal(op, err)
	}
	out := make([]store.User, 0, len(ids))
	for _, id := range ids {
		u, err := s.user(ctx, s.r, by, id)
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// UpdateUser replaces a user's roles and disabled flag, made from the
// user as read at version, and raises the version. A disabled user's keys
// stop working at once. A user no longer at version (another change came
// first) is KindPreconditionFailed and nothing is written, so that two
// administrators changing one user at once cannot lose a write; the caller
// reads the user again. An actor other than System may change only users
// of its own organisation (another's user is KindNotFound), and may
// neither disable themselves nor take away their own admin role
// (KindConflict), so that an organisation is never locked out by its own
// administrator: another administrator, or the operator's command line,
// does that. Nor may it grant the operator role or change a user who
// holds it (KindForbidden): that is the command line's alone.
func (s *Store) UpdateUser(ctx context.Context, by ssra.Actor, id string, version int64, roles []ssra.Role, disabled bool) (store.User, error) {
	const op = "sqlstore.UpdateUser"
	if err := operatorGrant(op, by, roles); err != nil {
		return store.User{}, err
	}
	roles, err := normRoles(op, roles)
	if err != nil {
		return store.User{}, err
	}
	if !isSystem(by) && by.UserID == id && (disabled || !slices.Contains(roles, ssra.RoleAdmin)) {
		return store.User{}, ssra.Errorf(ssra.KindConflict, op, "you cannot disable yourself or give up your own admin role; another administrator can")
	}
	var u store.User
	err = s.administrative(ctx, op, by, func(w *Tx) error {
		old, err := s.user(ctx, w.tx, by, id)
		if err != nil {
			return err
		}
		if err := operatorHeld(op, by, old); err != nil {
			return err
		}
		if old.Version != version {
			return ssra.Errorf(ssra.KindPreconditionFailed, op, "user %s is at version %d, not %d: read it again and reapply the change", id, old.Version, version)
		}
		before, err := digestOf(old)
		if err != nil {
			return err
		}
		// The version in the condition keeps the check and the write one
		// step whatever the isolation level.
		res, err := w.tx.ExecContext(ctx, s.q(`UPDATE users SET disabled = ?, version = version + 1 WHERE id = ? AND version = ?`), s.bv(disabled), id, version)
		if err != nil {
			return internal(op, err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			if err != nil {
				return internal(op, err)
			}
			return ssra.Errorf(ssra.KindPreconditionFailed, op, "user %s changed meanwhile: read it again and reapply the change", id)
		}
		if _, err := w.tx.ExecContext(ctx, s.q(`DELETE FROM user_roles WHERE user_id = ?`), id); err != nil {
			return internal(op, err)
		}
		if err := w.insertRoles(ctx, id, roles); err != nil {
			return err
		}
		u = old
		u.Roles, u.Disabled, u.Version = roles, disabled, version+1
		after, err := digestOf(u)
		if err != nil {
			return err
		}
		return w.event(ctx, "user.update", "user", id, u.Version, before, after)
	})
	return u, err
}

// Bootstrapped is what Bootstrap created. Created is false, and the rest
// empty, when the database already had an organisation.
type Bootstrapped struct {
	Created      bool
	Organisation Organisation
	User         store.User
	Key          string
	KeyInfo      store.APIKey
}

// Bootstrap prepares an empty database for its first use: it creates an
// organisation, an admin user of it and an API key for that user, in one
// audited transaction, and returns the key, which is shown once. On a
// database that has any organisation it creates nothing. Several servers
// starting at once on one database create one set between them.
func (s *Store) Bootstrap(ctx context.Context, orgName, userName string) (Bootstrapped, error) {
	const op = "sqlstore.Bootstrap"
	if err := errors.Join(checkName(op, "organisation", orgName), checkName(op, "user", userName)); err != nil {
		return Bootstrapped{}, err
	}
	var b Bootstrapped
	err := s.administrative(ctx, op, System, func(w *Tx) error {
		var n int
		if err := w.tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM organisations`).Scan(&n); err != nil {
			return internal(op, err)
		}
		if n > 0 {
			return nil
		}
		var err error
		if b.Organisation, err = w.createOrganisation(ctx, orgName); err != nil {
			return err
		}
		if b.User, err = w.createUser(ctx, b.Organisation.ID, userName, []ssra.Role{ssra.RoleAdmin}); err != nil {
			return err
		}
		if b.Key, b.KeyInfo, err = w.createKey(ctx, b.User.ID, "bootstrap"); err != nil {
			return err
		}
		b.Created = true
		return nil
	})
	if err != nil {
		return Bootstrapped{}, err
	}
	return b, nil
}

// OrganisationName returns an organisation's name, unscoped; an unknown
// organisation is ssra.KindNotFound.
func (s *Store) OrganisationName(ctx context.Context, id string) (string, error) {
	o, err := s.Organisation(ctx, id)
	return o.Name, err
}

// OrganisationUsers lists an organisation's users by identifier and name,
// unscoped: the directory a route's confidentiality guard compares a
// report's subject with. An unknown organisation is ssra.KindNotFound.
func (s *Store) OrganisationUsers(ctx context.Context, id string) ([]stability.Member, error) {
	if _, err := s.Organisation(ctx, id); err != nil {
		return nil, err
	}
	us, err := s.Users(ctx, System, id)
	if err != nil {
		return nil, err
	}
	out := make([]stability.Member, len(us))
	for i, u := range us {
		out[i] = stability.Member{ID: u.ID, Name: u.Name}
	}
	return out, nil
}

// UserOrganisation returns the organisation of a user, unscoped; an
// unknown user is ssra.KindNotFound.
func (s *Store) UserOrganisation(ctx context.Context, userID string) (string, error) {
	u, err := s.User(ctx, System, userID)
	return u.OrgID, err
}
