package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/adapters/store/storetest"
)

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{32,}$`)

func wantKind(t *testing.T, what string, err error, want ssra.Kind) {
	t.Helper()
	storetest.WantKind(t, what, err, want)
}

// world is two organisations with an admin each, and a third bystander.
type world struct {
	a, b, c    ssra.Actor
	keyA, keyB string
}

func setup(t *testing.T, s *sqlstore.Store) world {
	t.Helper()
	ctx := context.Background()
	var w world
	actors := make([]ssra.Actor, 3)
	keys := make([]string, 3)
	for i, name := range []string{"Assessing body", "Xinfang bureau", "Mediation committee"} {
		o, err := s.CreateOrganisation(ctx, sqlstore.System, name)
		if err != nil {
			t.Fatalf("CreateOrganisation: %v", err)
		}
		u, err := s.CreateUser(ctx, sqlstore.System, o.ID, "admin "+name, []ssra.Role{ssra.RoleAdmin, ssra.RoleCaseworker})
		if err != nil {
			t.Fatalf("CreateUser: %v", err)
		}
		k, _, err := s.CreateKey(ctx, sqlstore.System, u.ID, "test")
		if err != nil {
			t.Fatalf("CreateKey: %v", err)
		}
		actors[i], keys[i] = ssra.Actor{UserID: u.ID, OrgID: o.ID}, k
	}
	w.a, w.b, w.c, w.keyA, w.keyB = actors[0], actors[1], actors[2], keys[0], keys[1]
	return w
}

func verifyOK(t *testing.T, s *sqlstore.Store) store.AuditReport {
	t.Helper()
	if _, err := s.Sequence(context.Background()); err != nil {
		t.Fatalf("Sequence: %v", err)
	}
	rep, err := s.VerifyAudit(context.Background())
	if err != nil {
		t.Fatalf("VerifyAudit: %v", err)
	}
	if !rep.OK || rep.Pending != 0 || !rep.Signed {
		t.Fatalf("VerifyAudit: %+v", rep)
	}
	return rep
}

func TestMigrateFromEmpty(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		ms, err := sqlstore.Migrations(s.Dialect())
		if err != nil {
			t.Fatal(err)
		}
		v, err := s.SchemaVersion(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if v != len(ms) {
			t.Fatalf("schema version after Migrate: got %d, want %d", v, len(ms))
		}
		again, err := s.Migrate(ctx)
		if err != nil || len(again) != 0 {
			t.Fatalf("second Migrate: applied %v, err %v; want nothing", again, err)
		}
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM organisations`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("fresh database has %d organisations (%v)", n, err)
		}
		verifyOK(t, s)
	})
}

func TestMigrateConcurrently(t *testing.T) {
	// Several servers starting together on an empty database apply each
	// migration once between them.
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.fresh(t)
			const servers = 4
			stores := make([]*sqlstore.Store, servers)
			for i := range stores {
				s, err := sqlstore.Open(ctx, dsn)
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = s.Close() })
				stores[i] = s
			}
			var wg sync.WaitGroup
			applied := make([][]int, servers)
			errs := make([]error, servers)
			for i, s := range stores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					applied[i], errs[i] = s.Migrate(ctx)
				}()
			}
			wg.Wait()
			total := 0
			for i := range stores {
				if errs[i] != nil {
					t.Fatalf("server %d: Migrate: %v", i, errs[i])
				}
				total += len(applied[i])
			}
			ms, _ := sqlstore.Migrations(stores[0].Dialect())
			if total != len(ms) {
				t.Fatalf("migrations applied %d times in all, want %d", total, len(ms))
			}
			// And they bootstrap once between them.
			created := make([]bool, servers)
			for i, s := range stores {
				wg.Add(1)
				go func() {
					defer wg.Done()
					b, err := s.Bootstrap(ctx, "Office", "admin")
					created[i], errs[i] = b.Created, err
				}()
			}
			wg.Wait()
			n := 0
			for i := range stores {
				if errs[i] != nil {
					t.Fatalf("server %d: Bootstrap: %v", i, errs[i])
				}
				if created[i] {
					n++
				}
			}
			if n != 1 {
				t.Fatalf("%d servers bootstrapped, want 1", n)
			}
		})
	}
}

func TestBootstrap(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		b, err := s.Bootstrap(ctx, "County office", "admin")
		if err != nil {
			t.Fatalf("Bootstrap: %v", err)
		}
		if !b.Created || !keyPattern.MatchString(b.Key) {
			t.Fatalf("first Bootstrap: created %v, key %q", b.Created, b.Key)
		}
		id, err := s.Authenticate(ctx, b.Key)
		if err != nil {
			t.Fatalf("Authenticate bootstrap key: %v", err)
		}
		if id.UserID != b.User.ID || id.OrgID != b.Organisation.ID || id.OrgName != b.Organisation.Name || id.UserName != b.User.Name || !id.Has(ssra.RoleAdmin) {
			t.Fatalf("bootstrap identity: %+v", id)
		}
		again, err := s.Bootstrap(ctx, "County office", "admin")
		if err != nil || again.Created || again.Key != "" {
			t.Fatalf("second Bootstrap: %+v, %v; want nothing created", again, err)
		}
		orgs, _ := s.Organisations(ctx)
		keys, _ := s.Keys(ctx, sqlstore.System, "")
		if len(orgs) != 1 || len(keys) != 1 {
			t.Fatalf("after two bootstraps: %d organisations, %d keys; want 1 and 1", len(orgs), len(keys))
		}
		var hash []byte
		if err := raw.QueryRow(`SELECT hash FROM api_keys`).Scan(&hash); err != nil {
			t.Fatal(err)
		}
		if len(hash) != 32 || strings.Contains(string(hash), b.Key[len(b.Key)-20:]) {
			t.Fatalf("stored key is not a 32-byte hash: %d bytes", len(hash))
		}
		verifyOK(t, s)
	})
}

func TestKeyRevocation(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		second, info, err := s.CreateKey(ctx, w.a, w.a.UserID, "second")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Authenticate(ctx, second); err != nil {
			t.Fatalf("new key: %v", err)
		}
		_, err = s.RevokeKey(ctx, w.b, info.ID)
		wantKind(t, "revoke another organisation's key", err, ssra.KindNotFound)
		k, err := s.RevokeKey(ctx, w.a, info.ID)
		if err != nil || k.RevokedAt == nil {
			t.Fatalf("RevokeKey: %+v, %v", k, err)
		}
		_, err = s.Authenticate(ctx, second)
		wantKind(t, "revoked key", err, ssra.KindUnauthenticated)
		if _, err := s.Authenticate(ctx, w.keyA); err != nil {
			t.Fatalf("the user's other key stopped working: %v", err)
		}
		if _, err := s.RevokeKey(ctx, w.a, info.ID); err != nil {
			t.Fatalf("revoking twice: %v", err)
		}
		keys, err := s.Keys(ctx, w.a, "")
		if err != nil || len(keys) != 2 {
			t.Fatalf("Keys of organisation A: %d (%v), want 2", len(keys), err)
		}
		// A disabled user's keys stop working too (an administrator cannot
		// disable themselves: the operator does it here).
		if _, err := s.UpdateUser(ctx, sqlstore.System, w.a.UserID, 1, []ssra.Role{ssra.RoleViewer}, true); err != nil {
			t.Fatal(err)
		}
		_, err = s.Authenticate(ctx, w.keyA)
		wantKind(t, "key of a disabled user", err, ssra.KindUnauthenticated)
		verifyOK(t, s)
	})
}

func TestKeyExpiryAndRotation(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		_, _, err := s.IssueKey(ctx, w.a, w.a.UserID, store.KeySpec{Name: "past", ExpiresAt: time.Now().Add(-time.Second)})
		wantKind(t, "a key that expires in the past", err, ssra.KindInvalid)
		if ps := ssra.ProblemsOf(err); len(ps) != 1 || ps[0].Field != "expires_at" {
			t.Fatalf("expiry problems: %v", ps)
		}
		until := time.Now().Add(time.Hour)
		key, info, err := s.IssueKey(ctx, w.a, w.a.UserID, store.KeySpec{Name: "expiring", ExpiresAt: until})
		if err != nil {
			t.Fatal(err)
		}
		if info.ExpiresAt == nil || !info.ExpiresAt.Equal(until.UTC().Truncate(time.Microsecond)) || info.CreatedBy != w.a.UserID {
			t.Fatalf("issued key: %+v", info)
		}
		if _, err := s.Authenticate(ctx, key); err != nil {
			t.Fatalf("a key before its expiry: %v", err)
		}
		listed, err := s.Key(ctx, w.a, info.ID)
		if err != nil || listed.ExpiresAt == nil || !listed.ExpiresAt.Equal(*info.ExpiresAt) {
			t.Fatalf("stored expiry: %+v, %v", listed, err)
		}
		_, err = s.Key(ctx, w.b, info.ID)
		wantKind(t, "another organisation's key", err, ssra.KindNotFound)

		// Rotation: the old key stops, the new one works, same user and name.
		_, _, err = s.RotateKey(ctx, w.b, info.ID, time.Time{})
		wantKind(t, "rotate another organisation's key", err, ssra.KindNotFound)
		fresh, next, err := s.RotateKey(ctx, w.a, info.ID, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if next.ID == info.ID || next.UserID != info.UserID || next.Name != info.Name || next.ExpiresAt != nil {
			t.Fatalf("rotated key: %+v from %+v", next, info)
		}
		_, err = s.Authenticate(ctx, key)
		wantKind(t, "the key rotated away", err, ssra.KindUnauthenticated)
		if _, err := s.Authenticate(ctx, fresh); err != nil {
			t.Fatalf("the rotated key: %v", err)
		}
		_, _, err = s.RotateKey(ctx, w.a, info.ID, time.Time{})
		wantKind(t, "rotate a revoked key", err, ssra.KindConflict)

		// An expired key fails like a wrong one. The stored expiry is moved
		// to the past: the store's clock is the wall clock.
		mustExec(t, raw, `UPDATE api_keys SET expires_at = created_at WHERE id = `+ph(s, 1), next.ID)
		_, err = s.Authenticate(ctx, fresh)
		wantKind(t, "an expired key", err, ssra.KindUnauthenticated)
		if _, err := s.Authenticate(ctx, w.keyA); err != nil {
			t.Fatalf("a key without expiry: %v", err)
		}

		var actions []string
		evs, err := s.AuditEvents(ctx, 0, 1000)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range evs {
			if e.Leaf.ObjectKind == "api_key" && (e.Leaf.ObjectID == info.ID || e.Leaf.ObjectID == next.ID) {
				actions = append(actions, e.Leaf.Action+" "+e.Leaf.ActorUser)
			}
		}
		want := []string{"api_key.create " + w.a.UserID, "api_key.rotate " + w.a.UserID, "api_key.create " + w.a.UserID}
		if !slices.Equal(actions, want) {
			t.Fatalf("audit of the key: %v, want %v", actions, want)
		}
		verifyOK(t, s)
	})
}

func TestAdministratorScope(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		_, err := s.UpdateUser(ctx, w.a, w.a.UserID, 1, []ssra.Role{ssra.RoleAdmin}, true)
		wantKind(t, "an administrator disabling themselves", err, ssra.KindConflict)
		_, err = s.UpdateUser(ctx, w.a, w.a.UserID, 1, []ssra.Role{ssra.RoleViewer}, false)
		wantKind(t, "an administrator dropping their own admin role", err, ssra.KindConflict)
		_, err = s.UpdateUser(ctx, w.a, w.b.UserID, 1, []ssra.Role{ssra.RoleViewer}, true)
		wantKind(t, "an administrator disabling another organisation's user", err, ssra.KindNotFound)
		_, err = s.CreateUser(ctx, w.a, w.b.OrgID, "planted", []ssra.Role{ssra.RoleAdmin})
		wantKind(t, "an administrator creating a user in another organisation", err, ssra.KindNotFound)
		_, _, err = s.IssueKey(ctx, w.a, w.b.UserID, store.KeySpec{Name: "stolen"})
		wantKind(t, "an administrator issuing a key for another organisation's user", err, ssra.KindNotFound)
		us, err := s.Users(ctx, w.a, w.b.OrgID)
		if err != nil || len(us) != 1 || us[0].OrgID != w.a.OrgID {
			t.Fatalf("users another organisation's admin asked for: %+v, %v", us, err)
		}
		colleague, err := s.CreateUser(ctx, w.a, w.a.OrgID, "colleague", []ssra.Role{ssra.RoleCaseworker})
		if err != nil {
			t.Fatal(err)
		}
		if colleague.Version != 1 {
			t.Fatalf("a new user is at version %d, want 1", colleague.Version)
		}
		if colleague, err = s.UpdateUser(ctx, w.a, colleague.ID, colleague.Version, colleague.Roles, true); err != nil || colleague.Version != 2 {
			t.Fatalf("disabling: version %d, %v; want version 2", colleague.Version, err)
		}
		_, _, err = s.IssueKey(ctx, w.a, colleague.ID, store.KeySpec{Name: "for a disabled user"})
		wantKind(t, "a key for a disabled user", err, ssra.KindConflict)
		_, err = s.UpdateUser(ctx, w.a, colleague.ID, 1, colleague.Roles, false)
		wantKind(t, "enabling from the version before the disabling", err, ssra.KindPreconditionFailed)
		if got, _ := s.User(ctx, w.a, colleague.ID); !got.Disabled || got.Version != 2 {
			t.Fatalf("a refused stale change wrote: %+v", got)
		}
		if _, err := s.UpdateUser(ctx, w.a, colleague.ID, colleague.Version, colleague.Roles, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.IssueKey(ctx, w.a, colleague.ID, store.KeySpec{Name: "re-enabled"}); err != nil {
			t.Fatal(err)
		}
		verifyOK(t, s)
	})
}

// TestConcurrentUserChangesLoseNoWrite: administrators changing one user
// at once from the same version: exactly one change is written, every
// other is KindPreconditionFailed, and the user holds the winner's change
// at the next version.
func TestConcurrentUserChangesLoseNoWrite(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		u, err := s.CreateUser(ctx, w.a, w.a.OrgID, "contested", []ssra.Role{ssra.RoleViewer})
		if err != nil {
			t.Fatal(err)
		}
		changes := [][]ssra.Role{{ssra.RoleAssessor}, {ssra.RoleReviewer}, {ssra.RoleCaseworker}, {ssra.RoleAppraiser}, {ssra.RoleDecisionMaker}, {ssra.RoleViewer, ssra.RoleAssessor}}
		results := make([]store.User, len(changes))
		errs := make([]error, len(changes))
		var wg sync.WaitGroup
		for i, roles := range changes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				results[i], errs[i] = s.UpdateUser(ctx, w.a, u.ID, u.Version, roles, i%2 == 0)
			}()
		}
		wg.Wait()
		won := -1
		for i, err := range errs {
			switch {
			case err == nil && won >= 0:
				t.Fatalf("changes %d and %d were both written from version %d", won, i, u.Version)
			case err == nil:
				won = i
			default:
				wantKind(t, "a change from a version another change moved on", err, ssra.KindPreconditionFailed)
			}
		}
		if won < 0 {
			t.Fatal("no change was written")
		}
		got, err := s.User(ctx, w.a, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Version != u.Version+1 || !slices.Equal(got.Roles, results[won].Roles) || got.Disabled != (won%2 == 0) {
			t.Fatalf("the user after the race: %+v, want the winner's change %+v", got, results[won])
		}
		verifyOK(t, s)
	})
}

func TestWrongKeysFail(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		flip := func(key string, i int) string {
			b := []byte(key)
			if b[i] == 'a' {
				b[i] = 'b'
			} else {
				b[i] = 'a'
			}
			return string(b)
		}
		n := len(w.keyA)
		cases := []struct{ name, key string }{
			{"last secret character", flip(w.keyA, n-1)},
			{"first secret character", flip(w.keyA, 18)},
			{"prefix character", flip(w.keyA, 5)},
			{"another organisation's prefix with this secret", w.keyA[:5] + w.keyB[5:17] + w.keyA[17:]},
			{"truncated", w.keyA[:n-1]},
			{"extended", w.keyA + "x"},
			{"empty", ""},
			{"not a key", strings.Repeat("x", n)},
			{"non-ASCII", w.keyA[:n-2] + "é"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				if c.key == w.keyA {
					t.Fatal("case does not change the key")
				}
				_, err := s.Authenticate(ctx, c.key)
				wantKind(t, c.name, err, ssra.KindUnauthenticated)
			})
		}
	})
}

// TestDirectoryScoping: an organisation's users and keys are another
// organisation's to see or change no more than its records are (which the
// storage contract, storetest, checks).
func TestDirectoryScoping(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		_, err := s.User(ctx, w.b, w.a.UserID)
		wantKind(t, "User of another organisation", err, ssra.KindNotFound)
		_, err = s.CreateUser(ctx, w.b, w.a.OrgID, "intruder", []ssra.Role{ssra.RoleAdmin})
		wantKind(t, "CreateUser in another organisation", err, ssra.KindNotFound)
		_, _, err = s.CreateKey(ctx, w.b, w.a.UserID, "intruder")
		wantKind(t, "CreateKey for another organisation's user", err, ssra.KindNotFound)
		us, err := s.Users(ctx, w.b, w.a.OrgID)
		if err != nil || len(us) != 1 || us[0].OrgID != w.b.OrgID {
			t.Fatalf("Users asked by B for A's organisation: %+v (%v); want B's own user only", us, err)
		}
	})
}

func TestConcurrentAuditedWrites(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		before := verifyOK(t, s).Leaves
		const writers, each = 8, 10
		var wg sync.WaitGroup
		errc := make(chan error, writers*each)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				by := w.a
				if i%2 == 1 {
					by = w.b
				}
				for j := range each {
					if _, err := s.Create(ctx, by, "dispute.intake", store.RecordDispute, store.Fields{Status: "intake", Body: map[string]any{"i": i, "j": j}}); err != nil {
						errc <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errc)
		for err := range errc {
			t.Fatalf("concurrent Create: %v", err)
		}
		if got := verifyOK(t, s).Leaves; got != before+writers*each {
			t.Fatalf("audit events: got %d, want %d", got, before+writers*each)
		}
	})
}

// TestSharesAndHistory: the owner sees whom a record is shared with, and
// the history of a record (routing, writes through a share) is visible to
// whoever sees the record, each event naming its writer's organisation.
// The sharing and routing themselves are the storage contract's
// (storetest).
func TestSharesAndHistory(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		c, err := s.Create(ctx, w.a, "complaint.register", store.RecordComplaint,
			store.Fields{Status: "registered", Reference: "XF-2026-0001", Body: map[string]any{"matter": "noise"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Route(ctx, w.a, "complaint.route", store.RecordComplaint, c.ID, 1, w.b.OrgID,
			store.Fields{Status: "routed", Reference: "XF-2026-0001", Body: map[string]any{"matter": "noise", "to": "B"}}); err != nil {
			t.Fatalf("Route: %v", err)
		}
		if _, err := s.Update(ctx, w.b, "complaint.accept", store.RecordComplaint, c.ID, 2, store.Fields{Status: "accepted", Reference: "XF-2026-0001", Body: map[string]any{"matter": "noise"}}); err != nil {
			t.Fatalf("receiver Update: %v", err)
		}
		h, err := s.History(ctx, w.a, store.RecordComplaint, c.ID)
		if err != nil || len(h) != 3 || h[0].Action != "complaint.register" || h[1].Action != "complaint.route" || h[2].ActorOrg != w.b.OrgID {
			t.Fatalf("History for the sender: %+v, %v", h, err)
		}
		_, err = s.History(ctx, w.c, store.RecordComplaint, c.ID)
		wantKind(t, "bystander History", err, ssra.KindNotFound)

		a, err := s.Create(ctx, w.a, "tracking.open", store.RecordTracking, store.Fields{Status: "open", Body: map[string]any{"m": 0}}, w.c.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		with, err := s.SharedWith(ctx, w.a, store.RecordTracking, a.ID)
		if err != nil || !slices.Equal(with, []string{w.c.OrgID}) {
			t.Fatalf("SharedWith: %v, %v", with, err)
		}
		_, err = s.SharedWith(ctx, w.c, store.RecordTracking, a.ID)
		wantKind(t, "SharedWith asked by a reader", err, ssra.KindForbidden)
		if _, err := s.UpdateShared(ctx, w.c, "measure.report", store.RecordTracking, a.ID, 1, store.Fields{Status: "open", Body: map[string]any{"m": 1}}); err != nil {
			t.Fatal(err)
		}
		h, err = s.History(ctx, w.a, store.RecordTracking, a.ID)
		if err != nil || len(h) != 3 || h[1].Action != "record.share:"+w.c.OrgID || h[2].Action != "measure.report" || h[2].ActorOrg != w.c.OrgID {
			t.Fatalf("History of a shared write: %+v, %v", h, err)
		}
		verifyOK(t, s)
	})
}

func TestBodiesStayExact(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		in := `{"z":"0.10","a":1.10,"big":12345678901234567890.123456789,"s":"<&>","nested":{"y":[1,"1/3"],"b":null}}`
		r, err := s.Create(ctx, w.a, "scheme.create", store.RecordScheme, store.Fields{Name: "county@1", Body: json.RawMessage(in)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, w.a, store.RecordScheme, r.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := `{"a":1.10,"big":12345678901234567890.123456789,"nested":{"b":null,"y":[1,"1/3"]},"s":"<&>","z":"0.10"}`
		if string(got.Body) != want {
			t.Fatalf("body read back:\n got %s\nwant %s", got.Body, want)
		}
		if got.Digest != sqlstore.Digest(got.Body) || got.Digest != r.Digest {
			t.Fatalf("digest of the read body differs from the written one")
		}
		type scheme struct {
			Z string          `json:"z"`
			A json.Number     `json:"a"`
			N json.RawMessage `json:"nested"`
		}
		repo := sqlstore.NewRepo[scheme](s, store.RecordScheme)
		it, err := repo.Get(ctx, w.a, r.ID)
		if err != nil || it.Value.Z != "0.10" || it.Value.A != "1.10" {
			t.Fatalf("Repo.Get: %+v, %v", it.Value, err)
		}
		it2, err := repo.Update(ctx, w.a, "scheme.update", r.ID, 1, store.Fields{Name: "county@1"}, scheme{Z: "0.20", A: "2", N: json.RawMessage(`[]`)})
		if err != nil || it2.Version != 2 || it2.Value.Z != "0.20" {
			t.Fatalf("Repo.Update: %+v, %v", it2, err)
		}
		items, next, err := repo.List(ctx, w.a, store.Query{Name: "county@1"})
		if err != nil || len(items) != 1 || next != "" {
			t.Fatalf("Repo.List: %d items, %v", len(items), err)
		}
	})
}

// TestBodiesStoredCanonical: a body is stored as the canonical bytes its
// digest is of, on PostgreSQL too (migration 8 stores json, not jsonb), so
// that a read hands them back without canonicalising; a body stored in
// jsonb's spelling before that migration still reads back canonical and
// verifies, and an edited one is still found by audit verify.
func TestBodiesStoredCanonical(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		in := `{"z":"0.10","a":1.10,"nested":{"y":[1,"1/3"],"b":null},"s":"<&> 中文"}`
		want := `{"a":1.10,"nested":{"b":null,"y":[1,"1/3"]},"s":"<&> 中文","z":"0.10"}`
		r, err := s.Create(ctx, w.a, "scheme.create", store.RecordScheme, store.Fields{Name: "county@1", Body: json.RawMessage(in)})
		if err != nil {
			t.Fatal(err)
		}
		sel := `SELECT body FROM records WHERE id = ` + ph(s, 1)
		if s.Dialect() == sqlstore.Postgres {
			sel = `SELECT body::text FROM records WHERE id = ` + ph(s, 1)
		}
		var stored string
		if err := raw.QueryRow(sel, r.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != want || sqlstore.Digest([]byte(stored)) != r.Digest {
			t.Fatalf("stored body %s, want the canonical %s", stored, want)
		}
		if s.Dialect() != sqlstore.Postgres {
			return
		}
		// The spelling a body converted from jsonb keeps (spaces, keys by length).
		mustExec(t, raw, `ALTER TABLE records ALTER COLUMN body TYPE jsonb USING body::jsonb`)
		mustExec(t, raw, `ALTER TABLE records ALTER COLUMN body TYPE json USING body::json`)
		if err := raw.QueryRow(sel, r.ID).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored == want {
			t.Fatalf("the jsonb round trip kept the canonical spelling %s: the test checks nothing", stored)
		}
		got, err := s.Get(ctx, w.a, store.RecordScheme, r.ID)
		if err != nil || string(got.Body) != want || got.Digest != r.Digest {
			t.Fatalf("legacy body read back as %s (%v), want %s", got.Body, err, want)
		}
		verifyOK(t, s)
		mustExec(t, raw, `UPDATE records SET body = `+ph(s, 1)+` WHERE id = `+ph(s, 2), `{"a": 1.10, "z": "0.11"}`, r.ID)
		rep, err := s.VerifyAudit(ctx)
		if err != nil || rep.OK || !strings.Contains(strings.Join(rep.Findings, "\n"), "does not hash to its digest") {
			t.Fatalf("an edited body verified: %+v, %v", rep, err)
		}
	})
}

func TestBadArguments(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		_, err := s.CreateOrganisation(ctx, sqlstore.System, "bad\xff")
		wantKind(t, "invalid UTF-8 organisation name", err, ssra.KindInvalid)
		_, err = s.CreateOrganisation(ctx, w.a, "Rogue")
		wantKind(t, "organisation by a user", err, ssra.KindForbidden)
		_, err = s.CreateOrganisation(ctx, sqlstore.System, "Assessing body")
		wantKind(t, "duplicate organisation", err, ssra.KindConflict)
		_, err = s.CreateUser(ctx, sqlstore.System, w.a.OrgID, " padded", []ssra.Role{0})
		wantKind(t, "bad user", err, ssra.KindInvalid)
		var e *ssra.Error
		if !errors.As(err, &e) {
			t.Fatal("want *ssra.Error")
		}
	})
}

func TestTransactionSpansRecords(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		a, err := s.Create(ctx, w.a, "assessment.create", store.RecordAssessment, store.Fields{Status: "issued", Body: map[string]any{"t": 1}})
		if err != nil {
			t.Fatal(err)
		}
		before := verifyOK(t, s).Leaves
		// A decision and the assessment it decides, together.
		var d store.Record
		err = s.InTx(ctx, w.a, func(tx *sqlstore.Tx) error {
			var err error
			if d, err = tx.Create(ctx, "decision.create", store.RecordDecision, store.Fields{Status: "approved", Body: map[string]any{"a": a.ID}}); err != nil {
				return err
			}
			if _, err := tx.Update(ctx, "assessment.decide", store.RecordAssessment, a.ID, a.Version, store.Fields{Status: "decided", Body: map[string]any{"t": 1}}); err != nil {
				return err
			}
			got, err := tx.Get(ctx, store.RecordAssessment, a.ID)
			if err != nil || got.Status != "decided" {
				return fmt.Errorf("the transaction does not see its own change: %+v, %v", got, err)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("InTx: %v", err)
		}
		if got := verifyOK(t, s).Leaves; got != before+2 {
			t.Fatalf("audit events after the transaction: %d, want %d", got, before+2)
		}
		// A failure in the second change undoes the first, and its event.
		err = s.InTx(ctx, w.a, func(tx *sqlstore.Tx) error {
			if _, err := tx.Create(ctx, "decision.create", store.RecordDecision, store.Fields{Status: "refused", Body: map[string]any{"a": a.ID}}); err != nil {
				return err
			}
			_, err := tx.Update(ctx, "assessment.decide", store.RecordAssessment, a.ID, a.Version, store.Fields{Status: "decided", Body: 1})
			return err
		})
		wantKind(t, "stale second change", err, ssra.KindPreconditionFailed)
		p, err := s.List(ctx, w.a, store.Query{Kind: store.RecordDecision})
		if err != nil || len(p.Records) != 1 || p.Records[0].ID != d.ID {
			t.Fatalf("decisions after the failed transaction: %d (%v), want only the first", len(p.Records), err)
		}
		if got := verifyOK(t, s).Leaves; got != before+2 {
			t.Fatalf("audit events after the failed transaction: %d, want %d", got, before+2)
		}
		type decision struct{ A string }
		it, err := sqlstore.Decode[decision](d)
		if err != nil || it.Value.A != a.ID {
			t.Fatalf("Decode: %+v, %v", it, err)
		}
	})
}

func TestSQLiteFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "private.db")
	s, err := sqlstore.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(context.Background()); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal"} {
		fi, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if mode := fi.Mode().Perm(); mode&0o077 != 0 {
			t.Fatalf("%s has mode %v; want no access for group and others", filepath.Base(f), mode)
		}
	}
	_, err = sqlstore.Open(context.Background(), filepath.Join(t.TempDir(), "missing-dir", "x.db"))
	wantKind(t, "Open in a missing directory", err, ssra.KindInvalid)
}

func TestBackup(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		path := filepath.Join(t.TempDir(), "backup.db")
		err := s.Backup(ctx, path)
		if s.Dialect() == sqlstore.Postgres {
			wantKind(t, "Backup on PostgreSQL", err, ssra.KindInvalid)
			return
		}
		if err != nil {
			t.Fatalf("Backup: %v", err)
		}
		wantKind(t, "Backup over an existing file", s.Backup(ctx, path), ssra.KindConflict)
		b, err := sqlstore.Open(ctx, path, sqlstore.WithLogKey(testLogKey(t)))
		if err != nil {
			t.Fatal(err)
		}
		defer b.Close()
		want := verifyOK(t, s)
		if got := verifyOK(t, b); got.Root != want.Root || got.Leaves != want.Leaves || got.Records != want.Records {
			t.Fatalf("backup audit %+v, original %+v", got, want)
		}
		if _, err := b.Authenticate(ctx, w.keyA); err != nil {
			t.Fatalf("a key in the backup: %v", err)
		}
	})
}
