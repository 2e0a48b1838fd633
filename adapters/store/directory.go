package store

import (
	"context"
	"slices"
	"time"

	"github.com/ssra-go/ssra"
)

// User is a named member of staff of one organisation, with roles (用户).
// The domain rules that name people (case officer, recusal, writer ≠
// reviewer) and every scoping decision refer to users by ID, never by
// name.
type User struct {
	ID        string      `json:"id"`
	OrgID     string      `json:"org_id"`
	Name      string      `json:"name"`
	Roles     []ssra.Role `json:"roles"`
	Disabled  bool        `json:"disabled"`
	CreatedAt time.Time   `json:"created_at"`
	// Version is raised by every change of roles or the disabled flag;
	// Users.UpdateUser refuses a change made from an older version.
	Version int64 `json:"version"`
}

// HasRole reports whether the user holds role r.
func (u User) HasRole(r ssra.Role) bool { return slices.Contains(u.Roles, r) }

// APIKey describes an API key (接口密钥) without its secret, which is shown
// once, when the key is issued, and never stored: the storage keeps only a
// hash of the whole key, looked up by the key's public prefix (ID).
type APIKey struct {
	ID        string    `json:"id"`
	UserID    string    `json:"user_id"`
	OrgID     string    `json:"org_id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	// CreatedBy is the user who issued the key: the key's own user, an
	// administrator of the organisation, or "system" (the command line).
	CreatedBy string `json:"created_by"`
	// ExpiresAt is when the key stops working (有效期至); nil: never.
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// KeySpec is what a new key is issued with: a name saying where it is used
// and, optionally, when it expires (the zero time: never).
type KeySpec struct {
	Name      string
	ExpiresAt time.Time
}

// Identity is who an API key authenticates: a user of one organisation
// with roles, acting through one key. Every read and write it makes is
// scoped to OrgID; the names are for display only.
type Identity struct {
	UserID   string      `json:"user_id"`
	UserName string      `json:"user_name"`
	OrgID    string      `json:"org_id"`
	OrgName  string      `json:"org_name"`
	Roles    []ssra.Role `json:"roles"`
	KeyID    string      `json:"key_id"`
}

// Has reports whether the identity holds role r.
func (id Identity) Has(r ssra.Role) bool { return slices.Contains(id.Roles, r) }

// Actor returns the identity as the actor of reads and writes.
func (id Identity) Actor() ssra.Actor { return ssra.Actor{UserID: id.UserID, OrgID: id.OrgID} }

// Users manages the users of organisations. Every method is scoped to the
// actor's organisation: a user of another organisation is
// ssra.KindNotFound, never ssra.KindForbidden (the server's command-line
// actor, which storage implementations may define, sees every
// organisation). Each change is one transaction together with its audit
// event. Errors by kind: a name that is empty, has leading or trailing
// spaces, is over 200 bytes or not UTF-8, or an unknown role, is
// ssra.KindInvalid; a duplicate user name in the organisation, or an
// actor disabling themselves or giving up their own admin role, is
// ssra.KindConflict; granting the operator role (a problem names the
// role's index), or changing a user who holds it, is ssra.KindForbidden:
// the operator role is the command line's to grant, so that no
// organisation's administrator can raise themselves to the server's
// figures. What the storage reports is ssra.KindInternal.
type Users interface {
	// CreateUser creates a user of organisation orgID, at version 1, with
	// roles sorted and without repeats; an orgID other than the actor's
	// is ssra.KindNotFound.
	CreateUser(ctx context.Context, by ssra.Actor, orgID, name string, roles []ssra.Role) (User, error)
	// User returns one user.
	User(ctx context.Context, by ssra.Actor, id string) (User, error)
	// Users lists the users of the actor's organisation (orgID names it),
	// by ID.
	Users(ctx context.Context, by ssra.Actor, orgID string) ([]User, error)
	// UpdateUser replaces the roles and disabled flag of the user as read
	// at version, and raises it; a user at another version is
	// ssra.KindPreconditionFailed and nothing is written. A disabled
	// user's keys stop authenticating at once.
	UpdateUser(ctx context.Context, by ssra.Actor, id string, version int64, roles []ssra.Role, disabled bool) (User, error)
}

// Keys issues and revokes the API keys of users, scoped and audited as
// Users are. Errors by kind: a key name that is empty or too long, or an
// expiry not after now, is ssra.KindInvalid; a user or key of another
// organisation is ssra.KindNotFound; a key for a disabled user, or
// rotating a revoked key, is ssra.KindConflict; issuing or rotating a key
// of a user who holds the operator role is ssra.KindForbidden.
type Keys interface {
	// IssueKey issues a key for user userID as spec says and returns the
	// key, shown once, with its description.
	IssueKey(ctx context.Context, by ssra.Actor, userID string, spec KeySpec) (string, APIKey, error)
	// Keys lists the keys of the actor's organisation, of one user when
	// userID is not empty.
	Keys(ctx context.Context, by ssra.Actor, userID string) ([]APIKey, error)
	// RevokeKey revokes a key at once: it never authenticates again.
	// Revoking a revoked key changes nothing.
	RevokeKey(ctx context.Context, by ssra.Actor, id string) (APIKey, error)
	// RotateKey revokes a live key and issues its successor for the same
	// user and name, expiring at expiresAt (zero: never), in one
	// transaction, and returns the new key, shown once.
	RotateKey(ctx context.Context, by ssra.Actor, id string, expiresAt time.Time) (string, APIKey, error)
}

// Authenticator resolves an API key to its identity. A key that is
// malformed, unknown, wrong, revoked or expired, or whose user is
// disabled, is ssra.KindUnauthenticated with one message for all, and
// keys are compared in constant time, so that the answer tells nothing of
// which; what the storage reports is ssra.KindInternal.
type Authenticator interface {
	Authenticate(ctx context.Context, key string) (Identity, error)
}
