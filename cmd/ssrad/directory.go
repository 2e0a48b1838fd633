package main

import (
	"context"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// directory binds the REST adapter's Directory to sqlstore: the same
// methods the command line (ssrad users, ssrad keys) calls as the system
// actor, here scoped to the administrator's organisation.
type directory struct{ s *sqlstore.Store }

var _ rest.Directory = directory{}

func restUser(u sqlstore.User) rest.User {
	return rest.User{ID: u.ID, OrgID: u.OrgID, Name: u.Name, Roles: u.Roles, Disabled: u.Disabled, CreatedAt: u.CreatedAt, Version: u.Version}
}

func restKey(k sqlstore.APIKey) rest.APIKey {
	return rest.APIKey{ID: k.ID, UserID: k.UserID, Name: k.Name, CreatedAt: k.CreatedAt, CreatedBy: k.CreatedBy,
		ExpiresAt: k.ExpiresAt, RevokedAt: k.RevokedAt, LastUsedAt: k.LastUsedAt}
}

// CreateUser creates a user in the administrator's own organisation.
func (d directory) CreateUser(ctx context.Context, by ssra.Actor, name string, roles []ssra.Role) (rest.User, error) {
	u, err := d.s.CreateUser(ctx, by, by.OrgID, name, roles)
	return restUser(u), err
}

// Users lists the administrator's organisation's users.
func (d directory) Users(ctx context.Context, by ssra.Actor) ([]rest.User, error) {
	us, err := d.s.Users(ctx, by, by.OrgID)
	return convert(us, restUser), err
}

// convert maps a listing; nil stays nil.
func convert[T, U any](in []T, f func(T) U) []U {
	if in == nil {
		return nil
	}
	out := make([]U, len(in))
	for i, v := range in {
		out[i] = f(v)
	}
	return out
}

// User reads one user of the administrator's organisation.
func (d directory) User(ctx context.Context, by ssra.Actor, id string) (rest.User, error) {
	u, err := d.s.User(ctx, by, id)
	return restUser(u), err
}

// UpdateUser replaces roles and the disabled flag of the user at version.
func (d directory) UpdateUser(ctx context.Context, by ssra.Actor, id string, version int64, roles []ssra.Role, disabled bool) (rest.User, error) {
	u, err := d.s.UpdateUser(ctx, by, id, version, roles, disabled)
	return restUser(u), err
}

// IssueKey issues a key for a user of the administrator's organisation.
func (d directory) IssueKey(ctx context.Context, by ssra.Actor, userID, name string, expiresAt time.Time) (string, rest.APIKey, error) {
	secret, k, err := d.s.IssueKey(ctx, by, userID, sqlstore.KeySpec{Name: name, ExpiresAt: expiresAt})
	return secret, restKey(k), err
}

// Keys lists the organisation's keys.
func (d directory) Keys(ctx context.Context, by ssra.Actor, userID string) ([]rest.APIKey, error) {
	ks, err := d.s.Keys(ctx, by, userID)
	return convert(ks, restKey), err
}

// RevokeKey revokes a key of the organisation.
func (d directory) RevokeKey(ctx context.Context, by ssra.Actor, id string) (rest.APIKey, error) {
	k, err := d.s.RevokeKey(ctx, by, id)
	return restKey(k), err
}

// RotateKey replaces a live key of the organisation by a new one.
func (d directory) RotateKey(ctx context.Context, by ssra.Actor, id string, expiresAt time.Time) (string, rest.APIKey, error) {
	secret, k, err := d.s.RotateKey(ctx, by, id, expiresAt)
	return secret, restKey(k), err
}
