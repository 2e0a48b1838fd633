package rest_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// memDirectory is the users and API keys in memory, scoped by
// organisation as sqlstore's are: the storage contract suite holds both
// to the same rules.
type memDirectory struct {
	mu    sync.Mutex
	now   func() time.Time
	users map[string]store.User
	keys  map[string]store.APIKey
	n     int
}

func newMemDirectory(now func() time.Time) *memDirectory {
	return &memDirectory{now: now, users: map[string]store.User{}, keys: map[string]store.APIKey{}}
}

// memRoles checks, sorts and de-duplicates roles as the directory keeps
// them: an unknown role is invalid, the operator role is not an
// organisation's to grant.
func memRoles(op string, roles []ssra.Role) ([]ssra.Role, error) {
	var ps ssra.Problems
	for i, r := range roles {
		switch {
		case !r.Valid():
			ps.Add("role_unknown", ssra.Index("roles", i), "unknown role %d", r)
		case r == ssra.RoleOperator:
			return nil, &ssra.Error{Kind: ssra.KindForbidden, Op: op, Message: "the operator role is not an organisation's to grant",
				Problems: ssra.Problems{{Code: "operator_command_line_only", Field: ssra.Index("roles", i), Message: "granted on the command line only"}}}
		}
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	out := slices.Clone(roles)
	slices.Sort(out)
	return slices.Compact(out), nil
}

func (d *memDirectory) CreateUser(_ context.Context, by ssra.Actor, orgID, name string, roles []ssra.Role) (store.User, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if orgID != by.OrgID {
		return store.User{}, ssra.Errorf(ssra.KindNotFound, "mem.CreateUser", "no organisation %q", orgID)
	}
	if strings.TrimSpace(name) == "" || strings.TrimSpace(name) != name {
		return store.User{}, ssra.Problems{{Code: "required", Field: "name", Message: "is required, without spaces around it"}}.Err("mem.CreateUser")
	}
	roles, err := memRoles("mem.CreateUser", roles)
	if err != nil {
		return store.User{}, err
	}
	for _, u := range d.users {
		if u.OrgID == by.OrgID && u.Name == name {
			return store.User{}, ssra.Errorf(ssra.KindConflict, "mem.CreateUser", "the organisation has a user named %q", name)
		}
	}
	d.n++
	u := store.User{ID: fmt.Sprintf("user-%d", d.n), OrgID: by.OrgID, Name: name, Roles: roles, CreatedAt: d.now().UTC(), Version: 1}
	d.users[u.ID] = u
	return u, nil
}

func (d *memDirectory) Users(_ context.Context, by ssra.Actor, _ string) ([]store.User, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []store.User
	for _, u := range d.users {
		if u.OrgID == by.OrgID {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b store.User) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (d *memDirectory) user(by ssra.Actor, id string) (store.User, error) {
	u, ok := d.users[id]
	if !ok || u.OrgID != by.OrgID {
		return store.User{}, ssra.Errorf(ssra.KindNotFound, "mem.User", "no user %q", id)
	}
	return u, nil
}

func (d *memDirectory) User(_ context.Context, by ssra.Actor, id string) (store.User, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.user(by, id)
}

func (d *memDirectory) UpdateUser(_ context.Context, by ssra.Actor, id string, version int64, roles []ssra.Role, disabled bool) (store.User, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	u, err := d.user(by, id)
	if err != nil {
		return u, err
	}
	if u.HasRole(ssra.RoleOperator) {
		return store.User{}, ssra.Errorf(ssra.KindForbidden, "mem.UpdateUser", "user %s holds the operator role", id)
	}
	if roles, err = memRoles("mem.UpdateUser", roles); err != nil {
		return store.User{}, err
	}
	if u.Version != version {
		return store.User{}, ssra.Errorf(ssra.KindPreconditionFailed, "mem.UpdateUser", "user %s is at version %d", id, u.Version)
	}
	if by.UserID == id && (disabled || !slices.Contains(roles, ssra.RoleAdmin)) {
		return store.User{}, ssra.Errorf(ssra.KindConflict, "mem.UpdateUser", "you cannot disable yourself or give up your own admin role")
	}
	u.Roles, u.Disabled, u.Version = roles, disabled, u.Version+1
	d.users[id] = u
	return u, nil
}

func (d *memDirectory) IssueKey(_ context.Context, by ssra.Actor, userID string, spec store.KeySpec) (string, store.APIKey, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.issue(by, userID, spec)
}

func (d *memDirectory) issue(by ssra.Actor, userID string, spec store.KeySpec) (string, store.APIKey, error) {
	if strings.TrimSpace(spec.Name) == "" {
		return "", store.APIKey{}, ssra.Problems{{Code: "required", Field: "name", Message: "is required"}}.Err("mem.IssueKey")
	}
	u, err := d.user(by, userID)
	if err != nil {
		return "", store.APIKey{}, err
	}
	if u.HasRole(ssra.RoleOperator) {
		return "", store.APIKey{}, ssra.Errorf(ssra.KindForbidden, "mem.IssueKey", "user %s holds the operator role", u.ID)
	}
	if u.Disabled {
		return "", store.APIKey{}, ssra.Errorf(ssra.KindConflict, "mem.IssueKey", "user %s is disabled", u.ID)
	}
	k := store.APIKey{UserID: u.ID, OrgID: u.OrgID, Name: spec.Name, CreatedAt: d.now().UTC(), CreatedBy: by.UserID}
	if !spec.ExpiresAt.IsZero() {
		if !spec.ExpiresAt.After(d.now()) {
			return "", store.APIKey{}, ssra.Problems{{Code: "not_future", Field: "expires_at", Message: "must be after now"}}.Err("mem.IssueKey")
		}
		at := spec.ExpiresAt.UTC()
		k.ExpiresAt = &at
	}
	d.n++
	k.ID = fmt.Sprintf("key%09d", d.n)
	d.keys[k.ID] = k
	return "ssra_" + k.ID + "_secret", k, nil
}

func (d *memDirectory) key(by ssra.Actor, id string) (store.APIKey, error) {
	k, ok := d.keys[id]
	if !ok || k.OrgID != by.OrgID {
		return store.APIKey{}, ssra.Errorf(ssra.KindNotFound, "mem.Key", "no key %q", id)
	}
	return k, nil
}

func (d *memDirectory) Keys(_ context.Context, by ssra.Actor, userID string) ([]store.APIKey, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []store.APIKey
	for _, k := range d.keys {
		if k.OrgID == by.OrgID && (userID == "" || k.UserID == userID) {
			out = append(out, k)
		}
	}
	slices.SortFunc(out, func(a, b store.APIKey) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (d *memDirectory) RevokeKey(_ context.Context, by ssra.Actor, id string) (store.APIKey, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k, err := d.key(by, id)
	if err != nil || k.RevokedAt != nil {
		return k, err
	}
	at := d.now().UTC()
	k.RevokedAt = &at
	d.keys[id] = k
	return k, nil
}

func (d *memDirectory) RotateKey(_ context.Context, by ssra.Actor, id string, expiresAt time.Time) (string, store.APIKey, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	k, err := d.key(by, id)
	if err != nil {
		return "", k, err
	}
	if k.RevokedAt != nil {
		return "", store.APIKey{}, ssra.Errorf(ssra.KindConflict, "mem.RotateKey", "key %s is revoked", id)
	}
	if !expiresAt.IsZero() && !expiresAt.After(d.now()) {
		return "", store.APIKey{}, ssra.Problems{{Code: "not_future", Field: "expires_at", Message: "must be after now"}}.Err("mem.RotateKey")
	}
	at := d.now().UTC()
	k.RevokedAt = &at
	d.keys[id] = k
	return d.issue(by, k.UserID, store.KeySpec{Name: k.Name, ExpiresAt: expiresAt})
}

// Authenticate resolves a key the directory issued; every failure is one
// error of ssra.KindUnauthenticated.
func (d *memDirectory) Authenticate(_ context.Context, key string) (store.Identity, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	fail := ssra.Errorf(ssra.KindUnauthenticated, "mem.Authenticate", "invalid API key")
	id, prefixed := strings.CutPrefix(key, "ssra_")
	id, suffixed := strings.CutSuffix(id, "_secret")
	if !prefixed || !suffixed {
		return store.Identity{}, fail
	}
	k, ok := d.keys[id]
	u := d.users[k.UserID]
	if !ok || k.RevokedAt != nil || k.ExpiresAt != nil && !d.now().Before(*k.ExpiresAt) || u.Disabled {
		return store.Identity{}, fail
	}
	return store.Identity{UserID: u.ID, UserName: u.Name, OrgID: u.OrgID, OrgName: orgNames[u.OrgID], Roles: slices.Clone(u.Roles), KeyID: k.ID}, nil
}

// adminUser is the user ID of the fake admin key of org.
func adminUser(org string) string { return "u-" + org + "-admin" }

// seedAdmins puts the fake admin principals of every organisation into the
// directory, so that the self-lockout rules see them.
func (d *memDirectory) seedAdmins() {
	for org := range orgNames {
		d.users[adminUser(org)] = store.User{ID: adminUser(org), OrgID: org, Name: "admin (" + org + ")", Roles: []ssra.Role{ssra.RoleAdmin}, Version: 1}
	}
}

func TestAdminUsersAndKeys(t *testing.T) {
	f := newFixture(t)
	admin := keyOf(orgA, ssra.RoleAdmin)
	u := f.call(t, "POST", "/v1/users", admin, map[string]any{"name": "Wang Fang", "roles": []string{"caseworker"}}).must(t, 201)
	id := u.str("id")
	if got := u.hdr.Get("Location"); got != "/v1/users/"+id || u.str("org_id") != orgA {
		t.Fatalf("created user: Location %q, %s", got, u.raw)
	}
	f.call(t, "POST", "/v1/users", admin, map[string]any{"name": "Wang Fang", "roles": []string{"viewer"}}).must(t, 409)

	// Bad input names the field and the rule.
	for _, tc := range []struct {
		name  string
		body  any
		code  int
		field string
	}{
		{"no roles", map[string]any{"name": "x", "roles": []string{}}, 422, "roles"},
		{"unknown role", map[string]any{"name": "x", "roles": []string{"viewer", "root"}}, 422, "roles[1]"},
		{"unknown member", map[string]any{"name": "x", "roles": []string{"viewer"}, "org_id": orgB}, 400, "org_id"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := f.call(t, "POST", "/v1/users", admin, tc.body).must(t, tc.code)
			if !strings.Contains(r.raw, `"field":"`+tc.field+`"`) {
				t.Fatalf("the problem does not name %s: %s", tc.field, r.raw)
			}
		})
	}

	// Changes name the version they were made from (If-Match): without it
	// 428, from a version another change moved on 412 and nothing written.
	if got := u.hdr.Get("ETag"); got != `"v1"` || u.body["version"] != float64(1) {
		t.Fatalf("a new user's ETag %q, version %v", got, u.body["version"])
	}
	f.call(t, "POST", "/v1/users/"+id+"/roles", admin, map[string]any{"roles": []string{"viewer"}}).must(t, 428)
	f.call(t, "POST", "/v1/users/"+id+"/disable", admin, nil).must(t, 428)
	f.call(t, "POST", "/v1/users/"+id+"/roles", admin, map[string]any{"roles": []string{"viewer"}}, "If-Match", "*").must(t, 412)
	r := f.call(t, "POST", "/v1/users/"+id+"/roles", admin, map[string]any{"roles": []string{"caseworker", "viewer"}}, "If-Match", `"v1"`).must(t, 200)
	if got := r.body["roles"].([]any); len(got) != 2 || r.hdr.Get("ETag") != `"v2"` {
		t.Fatalf("roles: %s (ETag %q)", r.raw, r.hdr.Get("ETag"))
	}
	f.call(t, "POST", "/v1/users/"+id+"/disable", admin, nil, "If-Match", `"v1"`).must(t, 412)
	if g := f.call(t, "GET", "/v1/users/"+id, admin, nil).must(t, 200); g.body["disabled"] != false || g.hdr.Get("ETag") != `"v2"` {
		t.Fatalf("a stale disable wrote: %s (ETag %q)", g.raw, g.hdr.Get("ETag"))
	}
	f.call(t, "POST", "/v1/users/"+id+"/disable", admin, nil, "If-Match", `"v2"`).must(t, 200)
	f.call(t, "POST", "/v1/users/"+id+"/keys", admin, map[string]any{"name": "case system"}).must(t, 409)
	f.call(t, "POST", "/v1/users/"+id+"/enable", admin, map[string]any{"why": "x"}, "If-Match", `"v3"`).must(t, 400)
	f.call(t, "POST", "/v1/users/"+id+"/enable", admin, map[string]any{}, "If-Match", `"v3"`).must(t, 200)

	// A key that expires in the past is refused naming expires_at; one in
	// the future is issued once, with its secret, and listed without it.
	past := f.clock.Now().Add(-time.Hour).Format(time.RFC3339)
	r = f.call(t, "POST", "/v1/users/"+id+"/keys", admin, map[string]any{"name": "case system", "expires_at": past}).must(t, 422)
	if !strings.Contains(r.raw, `"field":"expires_at"`) {
		t.Fatalf("expiry problem: %s", r.raw)
	}
	until := f.clock.Now().Add(90 * 24 * time.Hour).Format(time.RFC3339)
	k := f.call(t, "POST", "/v1/users/"+id+"/keys", admin, map[string]any{"name": "case system", "expires_at": until}).must(t, 201)
	secret, keyID := k.str("key"), k.str("id")
	if secret == "" || k.str("expires_at") == "" || k.str("created_by") != adminUser(orgA) {
		t.Fatalf("issued key: %s", k.raw)
	}
	list := f.call(t, "GET", "/v1/keys?user_id="+id, admin, nil).must(t, 200)
	if strings.Contains(list.raw, secret) || len(list.body["items"].([]any)) != 1 {
		t.Fatalf("key listing: %s", list.raw)
	}
	if cc := list.hdr.Get("Cache-Control"); cc != "no-store" {
		t.Fatalf("Cache-Control %q", cc)
	}
	rot := f.call(t, "POST", "/v1/keys/"+keyID+"/rotate", admin, map[string]any{}).must(t, 201)
	if rot.str("id") == keyID || rot.str("key") == secret || rot.str("name") != "case system" {
		t.Fatalf("rotated key: %s", rot.raw)
	}
	f.call(t, "POST", "/v1/keys/"+keyID+"/rotate", admin, map[string]any{}).must(t, 409)
	rev := f.call(t, "POST", "/v1/keys/"+rot.str("id")+"/revoke", admin, nil).must(t, 200)
	if rev.str("revoked_at") == "" {
		t.Fatalf("revoked key: %s", rev.raw)
	}

	// The admin cannot lock themselves out.
	f.call(t, "POST", "/v1/users/"+adminUser(orgA)+"/disable", admin, nil, "If-Match", `"v1"`).must(t, 409)
	f.call(t, "POST", "/v1/users/"+adminUser(orgA)+"/roles", admin, map[string]any{"roles": []string{"viewer"}}, "If-Match", `"v1"`).must(t, 409)

	// Another organisation's admin sees none of it.
	other := keyOf(orgB, ssra.RoleAdmin)
	users := f.call(t, "GET", "/v1/users", other, nil).must(t, 200)
	if strings.Contains(users.raw, id) || strings.Contains(users.raw, "Wang Fang") {
		t.Fatalf("organisation B lists A's user: %s", users.raw)
	}
	keys := f.call(t, "GET", "/v1/keys?user_id="+id, other, nil).must(t, 200)
	if len(keys.body["items"].([]any)) != 0 {
		t.Fatalf("organisation B lists A's keys: %s", keys.raw)
	}
	for _, p := range []string{"/v1/users/" + id + "/disable", "/v1/users/" + id + "/keys", "/v1/keys/" + keyID + "/revoke"} {
		var body any
		if strings.HasSuffix(p, "/keys") {
			body = map[string]any{"name": "stolen"}
		}
		if r := f.call(t, "POST", p, other, body, "If-Match", `"v4"`); r.code != http.StatusNotFound {
			t.Fatalf("organisation B on %s: %d %s", p, r.code, r.raw)
		}
	}
}
