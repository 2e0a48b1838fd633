package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"database/sql"
	"encoding/base64"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// Key format: "ssra_" + 12 lowercase letters and digits (the lookup prefix,
// stored as the key's ID) + "_" + 43 base64url characters (256 random bits).
const (
	keyTag       = "ssra_"
	keyPrefixLen = 12
	keySecretLen = 43
	keyLen       = len(keyTag) + keyPrefixLen + 1 + keySecretLen
	prefixChars  = "abcdefghijklmnopqrstuvwxyz0123456789"
)

// KeyLen is the length of every API key this package issues.
const KeyLen = keyLen

func newKey() (id, secret string) {
	var p [keyPrefixLen]byte
	// rand.Read never fails (crypto/rand, Go 1.24+); the byte % 36 bias is
	// irrelevant for a lookup prefix that protects nothing.
	_, _ = rand.Read(p[:])
	for i := range p {
		p[i] = prefixChars[int(p[i])%len(prefixChars)]
	}
	var b [32]byte
	_, _ = rand.Read(b[:])
	id = string(p[:])
	return id, keyTag + id + "_" + base64.RawURLEncoding.EncodeToString(b[:])
}

// splitKey returns the lookup prefix of a well-formed key.
func splitKey(key string) (id string, ok bool) {
	if len(key) != keyLen || key[:len(keyTag)] != keyTag || key[len(keyTag)+keyPrefixLen] != '_' {
		return "", false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return "", false
		}
	}
	return key[len(keyTag) : len(keyTag)+keyPrefixLen], true
}

func hashKey(key string) []byte {
	h := sha256.Sum256([]byte(key))
	return h[:]
}

// dummyHash is compared against when no key matches the prefix, so that an
// unknown prefix costs the same as a wrong secret.
var dummyHash = hashKey(keyTag + "000000000000_" + "0000000000000000000000000000000000000000000")

// CreateKey issues a new API key for user userID and returns the key, which
// is shown once and cannot be recovered, with its description. An actor
// other than System may issue keys only for users of its own organisation.
// It is IssueKey with a name and no expiry.
func (s *Store) CreateKey(ctx context.Context, by ssra.Actor, userID, name string) (string, store.APIKey, error) {
	return s.IssueKey(ctx, by, userID, store.KeySpec{Name: name})
}

// IssueKey issues a new API key for user userID as spec says and returns
// the key, shown once, with its description. Errors: a name that is empty
// or too long, or an expiry not after now, is KindInvalid; a user of
// another organisation (unless by is System) is KindNotFound; a user who
// holds the operator role (unless by is System) is KindForbidden; a
// disabled user is KindConflict.
func (s *Store) IssueKey(ctx context.Context, by ssra.Actor, userID string, spec store.KeySpec) (string, store.APIKey, error) {
	const op = "sqlstore.IssueKey"
	if err := checkName(op, "name", spec.Name); err != nil {
		return "", store.APIKey{}, err
	}
	var secret string
	var k store.APIKey
	err := s.administrative(ctx, op, by, func(w *Tx) error {
		var err error
		secret, k, err = w.issueKey(ctx, userID, spec)
		return err
	})
	if err != nil {
		return "", store.APIKey{}, err
	}
	return secret, k, nil
}

func (w *Tx) createKey(ctx context.Context, userID, name string) (string, store.APIKey, error) {
	return w.issueKey(ctx, userID, store.KeySpec{Name: name})
}

func (w *Tx) issueKey(ctx context.Context, userID string, spec store.KeySpec) (string, store.APIKey, error) {
	const op = "sqlstore.IssueKey"
	u, err := w.s.user(ctx, w.tx, w.by, userID)
	if err != nil {
		return "", store.APIKey{}, err
	}
	if err := operatorHeld(op, w.by, u); err != nil {
		return "", store.APIKey{}, err
	}
	if u.Disabled {
		return "", store.APIKey{}, ssra.Errorf(ssra.KindConflict, op, "user %s is disabled: enable them before issuing a key", u.ID)
	}
	id, secret := newKey()
	k := store.APIKey{ID: id, UserID: u.ID, OrgID: u.OrgID, Name: spec.Name, CreatedAt: w.at, CreatedBy: w.by.UserID}
	var expires any
	if !spec.ExpiresAt.IsZero() {
		at := spec.ExpiresAt.UTC().Truncate(time.Microsecond)
		if !at.After(w.at) {
			return "", store.APIKey{}, ssra.Problems{{Code: "not_future", Field: "expires_at", Message: "must be after now"}}.Err(op)
		}
		k.ExpiresAt, expires = &at, w.s.tv(at)
	}
	if _, err := w.tx.ExecContext(ctx, w.s.q(`INSERT INTO api_keys (id, user_id, name, hash, created_at, created_by, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)`),
		k.ID, k.UserID, k.Name, hashKey(secret), w.s.tv(k.CreatedAt), k.CreatedBy, expires); err != nil {
		return "", store.APIKey{}, internal(op, err)
	}
	after, err := digestOf(k)
	if err != nil {
		return "", store.APIKey{}, err
	}
	return secret, k, w.event(ctx, "api_key.create", "api_key", k.ID, 0, "", after)
}

const keyColumns = `k.id, k.user_id, u.org_id, k.name, k.created_at, k.created_by, k.expires_at, k.revoked_at, k.last_used_at`

func scanKey(sc interface{ Scan(...any) error }) (store.APIKey, error) {
	var k store.APIKey
	var c, e, r, l instant
	err := sc.Scan(&k.ID, &k.UserID, &k.OrgID, &k.Name, &c, &k.CreatedBy, &e, &r, &l)
	k.CreatedAt, k.ExpiresAt, k.RevokedAt, k.LastUsedAt = c.t, e.ptr(), r.ptr(), l.ptr()
	return k, err
}

// Keys lists API keys, of one user when userID is not empty. An actor other
// than System sees only keys of its own organisation's users.
func (s *Store) Keys(ctx context.Context, by ssra.Actor, userID string) ([]store.APIKey, error) {
	const op = "sqlstore.Keys"
	if err := checkActor(op, by); err != nil {
		return nil, err
	}
	query := `SELECT ` + keyColumns + ` FROM api_keys k JOIN users u ON u.id = k.user_id WHERE (? = '' OR k.user_id = ?) AND (? = '' OR u.org_id = ?) ORDER BY k.created_at, k.id`
	org := by.OrgID
	if isSystem(by) {
		org = ""
	}
	rows, err := s.r.QueryContext(ctx, s.q(query), userID, userID, org, org)
	if err != nil {
		return nil, internal(op, err)
	}
	defer rows.Close()
	var out []store.APIKey
	for rows.Next() {
		k, err := scanKey(rows)
		if err != nil {
			return nil, internal(op, err)
		}
		out = append(out, k)
	}
	return out, internal(op, rows.Err())
}

// Key returns one API key's description. A key of another organisation's
// user is KindNotFound unless by is System.
func (s *Store) Key(ctx context.Context, by ssra.Actor, keyID string) (store.APIKey, error) {
	const op = "sqlstore.Key"
	if err := checkActor(op, by); err != nil {
		return store.APIKey{}, err
	}
	return s.key(ctx, s.r, by, op, keyID)
}

func (s *Store) key(ctx context.Context, q querier, by ssra.Actor, op, keyID string) (store.APIKey, error) {
	k, err := scanKey(q.QueryRowContext(ctx, s.q(`SELECT `+keyColumns+` FROM api_keys k JOIN users u ON u.id = k.user_id WHERE k.id = ?`), keyID))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !isSystem(by) && k.OrgID != by.OrgID) {
		return store.APIKey{}, ssra.Errorf(ssra.KindNotFound, op, "no key %q", keyID)
	}
	if err != nil {
		return store.APIKey{}, internal(op, err)
	}
	return k, nil
}

// RevokeKey revokes an API key at once; it never works again. Revoking a
// revoked key is a no-op. An actor other than System may revoke only keys
// of its own organisation's users; another organisation's key is
// KindNotFound.
func (s *Store) RevokeKey(ctx context.Context, by ssra.Actor, keyID string) (store.APIKey, error) {
	const op = "sqlstore.RevokeKey"
	var k store.APIKey
	err := s.administrative(ctx, op, by, func(w *Tx) error {
		var err error
		k, err = w.revokeKey(ctx, op, "api_key.revoke", keyID, false)
		return err
	})
	return k, err
}

// revokeKey revokes keyID inside the transaction and records action; a
// revoked key is left as it is, or refused with KindConflict when
// mustBeLive.
func (w *Tx) revokeKey(ctx context.Context, op, action, keyID string, mustBeLive bool) (store.APIKey, error) {
	s := w.s
	k, err := s.key(ctx, w.tx, w.by, op, keyID)
	if err != nil {
		return k, err
	}
	if k.RevokedAt != nil {
		if mustBeLive {
			return k, ssra.Errorf(ssra.KindConflict, op, "key %s is revoked", keyID)
		}
		return k, nil
	}
	k.LastUsedAt = nil // not part of what the audit digests
	before, err := digestOf(k)
	if err != nil {
		return k, err
	}
	at := w.at
	k.RevokedAt = &at
	if _, err := w.tx.ExecContext(ctx, s.q(`UPDATE api_keys SET revoked_at = ? WHERE id = ?`), s.tv(at), keyID); err != nil {
		return k, internal(op, err)
	}
	after, err := digestOf(k)
	if err != nil {
		return k, err
	}
	return k, w.event(ctx, action, "api_key", keyID, 0, before, after)
}

// RotateKey replaces a live key by a new one for the same user with the
// same name, in one audited transaction: the old key is revoked (event
// api_key.rotate) and the new one issued (api_key.create) with expiresAt
// (the zero time: never). It returns the new key, shown once, and its
// description. Errors: a revoked key is KindConflict, another
// organisation's key KindNotFound, a key of a user who holds the operator
// role KindForbidden (unless by is System; revoking it is allowed), an
// expiry not after now KindInvalid.
func (s *Store) RotateKey(ctx context.Context, by ssra.Actor, keyID string, expiresAt time.Time) (string, store.APIKey, error) {
	const op = "sqlstore.RotateKey"
	var secret string
	var k store.APIKey
	err := s.administrative(ctx, op, by, func(w *Tx) error {
		old, err := w.revokeKey(ctx, op, "api_key.rotate", keyID, true)
		if err != nil {
			return err
		}
		secret, k, err = w.issueKey(ctx, old.UserID, store.KeySpec{Name: old.Name, ExpiresAt: expiresAt})
		return err
	})
	if err != nil {
		return "", store.APIKey{}, err
	}
	return secret, k, nil
}

// Authenticate returns the identity of an API key. A malformed, unknown,
// wrong, revoked or expired key, or one of a disabled user, is
// ssra.KindUnauthenticated
// with the same message. The key's hash is compared in constant time, and
// an unknown prefix is compared against a dummy hash so that it takes as
// long as a wrong secret.
func (s *Store) Authenticate(ctx context.Context, key string) (store.Identity, error) {
	const op = "sqlstore.Authenticate"
	fail := ssra.Errorf(ssra.KindUnauthenticated, op, "invalid API key")
	id, ok := splitKey(key)
	if !ok {
		subtle.ConstantTimeCompare(hashKey(key), dummyHash)
		return store.Identity{}, fail
	}
	// With the cache running (RunAuthCache, PostgreSQL), a key read
	// lately is answered from it; see authcache.go for why that answer is
	// as current as a read.
	wall := time.Now()
	if e, ok := s.auth.get(id, wall); ok {
		return s.admit(key, id, e, fail)
	}
	gen, live := s.auth.begin(wall)
	// One round trip: the key, its user with the user's roles, and the
	// organisation (authentication runs on every request).
	agg := `group_concat(role, ',')`
	if s.dialect == Postgres {
		agg = `string_agg(role, ',')`
	}
	var e authEntry
	var revoked instant
	var roles sql.NullString
	err := s.r.QueryRowContext(ctx, s.q(`SELECT k.hash, k.revoked_at, k.expires_at, u.id, u.org_id, u.name, u.disabled,
		(SELECT `+agg+` FROM user_roles WHERE user_id = u.id), o.name
		FROM api_keys k JOIN users u ON u.id = k.user_id JOIN organisations o ON o.id = u.org_id WHERE k.id = ?`), id).
		Scan(&e.hash, &revoked, &e.expires, &e.idn.UserID, &e.idn.OrgID, &e.idn.UserName, &e.disabled, &roles, &e.idn.OrgName)
	if errors.Is(err, sql.ErrNoRows) {
		subtle.ConstantTimeCompare(hashKey(key), dummyHash)
		return store.Identity{}, fail
	}
	if err != nil {
		return store.Identity{}, internal(op, err)
	}
	e.revoked = revoked.valid
	e.idn.Roles = []ssra.Role{}
	if roles.String != "" {
		for _, name := range strings.Split(roles.String, ",") {
			r, err := ssra.ParseRole(name)
			if err != nil {
				return store.Identity{}, internal(op, err)
			}
			e.idn.Roles = append(e.idn.Roles, r)
		}
		slices.Sort(e.idn.Roles)
	}
	e.idn.KeyID = id
	e.read = wall
	if live {
		s.auth.put(id, e, gen)
	}
	return s.admit(key, id, e, fail)
}

// admit checks key against what was read of it (from the database or the
// cache): the secret in constant time, revocation, expiry by the store's
// clock, and the user's state.
func (s *Store) admit(key, id string, e authEntry, fail error) (store.Identity, error) {
	expired := e.expires.valid && !s.stamp().Before(e.expires.t)
	if subtle.ConstantTimeCompare(hashKey(key), e.hash) != 1 || e.revoked || expired || e.disabled {
		return store.Identity{}, fail
	}
	s.touchKey(id)
	return e.identity(), nil
}

// lastUsed throttles the last-used stamp of keys to one write per key per
// lastUsedEvery, so that authentication does not turn every read into a
// write.
type lastUsed struct {
	mu   sync.Mutex
	seen map[string]time.Time
}

const lastUsedEvery = time.Minute

func (s *Store) touchKey(id string) {
	now := s.stamp()
	s.used.mu.Lock()
	if s.used.seen == nil {
		s.used.seen = map[string]time.Time{}
	}
	if t, ok := s.used.seen[id]; ok && now.Sub(t) < lastUsedEvery {
		s.used.mu.Unlock()
		return
	}
	s.used.seen[id] = now
	s.used.mu.Unlock()
	// Best effort and outside any request's transaction: a lost stamp is
	// harmless, so it neither blocks nor fails the request.
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_, _ = s.w.ExecContext(ctx, s.q(`UPDATE api_keys SET last_used_at = ? WHERE id = ?`), s.tv(now), id)
	}()
}
