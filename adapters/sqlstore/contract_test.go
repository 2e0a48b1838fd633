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
)

var keyPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{32,}$`)

func wantKind(t *testing.T, what string, err error, want ssra.Kind) {
	t.Helper()
	if err == nil {
		t.Fatalf("%s: got no error, want %s", what, want)
	}
	if got := ssra.KindOf(err); got != want {
		t.Fatalf("%s: got kind %s (%v), want %s", what, got, err, want)
	}
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

func verifyOK(t *testing.T, s *sqlstore.Store) sqlstore.AuditReport {
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
		if id.User.ID != b.User.ID || id.Organisation.ID != b.Organisation.ID || !id.User.HasRole(ssra.RoleAdmin) {
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
		_, _, err := s.IssueKey(ctx, w.a, w.a.UserID, sqlstore.KeySpec{Name: "past", ExpiresAt: time.Now().Add(-time.Second)})
		wantKind(t, "a key that expires in the past", err, ssra.KindInvalid)
		if ps := ssra.ProblemsOf(err); len(ps) != 1 || ps[0].Field != "expires_at" {
			t.Fatalf("expiry problems: %v", ps)
		}
		until := time.Now().Add(time.Hour)
		key, info, err := s.IssueKey(ctx, w.a, w.a.UserID, sqlstore.KeySpec{Name: "expiring", ExpiresAt: until})
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
		_, _, err = s.IssueKey(ctx, w.a, w.b.UserID, sqlstore.KeySpec{Name: "stolen"})
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
		_, _, err = s.IssueKey(ctx, w.a, colleague.ID, sqlstore.KeySpec{Name: "for a disabled user"})
		wantKind(t, "a key for a disabled user", err, ssra.KindConflict)
		_, err = s.UpdateUser(ctx, w.a, colleague.ID, 1, colleague.Roles, false)
		wantKind(t, "enabling from the version before the disabling", err, ssra.KindPreconditionFailed)
		if got, _ := s.User(ctx, w.a, colleague.ID); !got.Disabled || got.Version != 2 {
			t.Fatalf("a refused stale change wrote: %+v", got)
		}
		if _, err := s.UpdateUser(ctx, w.a, colleague.ID, colleague.Version, colleague.Roles, false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := s.IssueKey(ctx, w.a, colleague.ID, sqlstore.KeySpec{Name: "re-enabled"}); err != nil {
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
		results := make([]sqlstore.User, len(changes))
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

func TestOrganisationScoping(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		r, err := s.Create(ctx, w.a, "assessment.create", sqlstore.RecordAssessment,
			sqlstore.Fields{Status: "draft", Body: map[string]any{"title": "Waste plant"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Get(ctx, w.b, sqlstore.RecordAssessment, r.ID)
		wantKind(t, "Get of another organisation's record", err, ssra.KindNotFound)
		_, err = s.Update(ctx, w.b, "assessment.update", sqlstore.RecordAssessment, r.ID, 1, sqlstore.Fields{Body: "x"})
		wantKind(t, "Update of another organisation's record", err, ssra.KindNotFound)
		err = s.Share(ctx, w.b, sqlstore.RecordAssessment, r.ID, w.b.OrgID)
		wantKind(t, "Share of another organisation's record", err, ssra.KindNotFound)
		_, err = s.Route(ctx, w.b, "x", sqlstore.RecordAssessment, r.ID, 1, w.b.OrgID, sqlstore.Fields{Body: "x"})
		wantKind(t, "Route of another organisation's record", err, ssra.KindNotFound)
		_, err = s.Get(ctx, w.a, sqlstore.RecordComplaint, r.ID)
		wantKind(t, "Get under the wrong kind", err, ssra.KindNotFound)
		_, err = s.Get(ctx, w.a, sqlstore.RecordAssessment, "no-such-id")
		wantKind(t, "Get of a missing id", err, ssra.KindNotFound)
		p, err := s.List(ctx, w.b, sqlstore.Query{Kind: sqlstore.RecordAssessment})
		if err != nil || len(p.Records) != 0 {
			t.Fatalf("List for organisation B: %d records (%v), want 0", len(p.Records), err)
		}
		_, err = s.User(ctx, w.b, w.a.UserID)
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

func TestOptimisticConcurrency(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		r, err := s.Create(ctx, w.a, "plan.create", sqlstore.RecordPlan, sqlstore.Fields{Status: "draft", Body: map[string]any{"n": 0}})
		if err != nil {
			t.Fatal(err)
		}
		r2, err := s.Update(ctx, w.a, "plan.update", sqlstore.RecordPlan, r.ID, 1, sqlstore.Fields{Status: "active", Body: map[string]any{"n": 1}})
		if err != nil || r2.Version != 2 {
			t.Fatalf("Update at version 1: %+v, %v", r2, err)
		}
		_, err = s.Update(ctx, w.a, "plan.update", sqlstore.RecordPlan, r.ID, 1, sqlstore.Fields{Body: map[string]any{"n": 2}})
		wantKind(t, "stale write", err, ssra.KindPreconditionFailed)

		// Many writers with the same version: exactly one wins, the others
		// are told they are stale, and none fails otherwise (no SQLITE_BUSY).
		const writers = 12
		var wg sync.WaitGroup
		errs := make([]error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = s.Update(ctx, w.a, "plan.update", sqlstore.RecordPlan, r.ID, 2, sqlstore.Fields{Status: "active", Body: map[string]any{"writer": i}})
			}()
		}
		wg.Wait()
		wins := 0
		for i, err := range errs {
			switch {
			case err == nil:
				wins++
			case ssra.KindOf(err) != ssra.KindPreconditionFailed:
				t.Fatalf("writer %d: %v", i, err)
			}
		}
		if wins != 1 {
			t.Fatalf("%d writers won the same version, want 1", wins)
		}
		got, err := s.Get(ctx, w.a, sqlstore.RecordPlan, r.ID)
		if err != nil || got.Version != 3 {
			t.Fatalf("after the race: version %d (%v), want 3", got.Version, err)
		}
		verifyOK(t, s)
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
					if _, err := s.Create(ctx, by, "dispute.intake", sqlstore.RecordDispute, sqlstore.Fields{Status: "intake", Body: map[string]any{"i": i, "j": j}}); err != nil {
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

func TestRoutingAndSharing(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		c, err := s.Create(ctx, w.a, "complaint.register", sqlstore.RecordComplaint,
			sqlstore.Fields{Status: "registered", Reference: "XF-2026-0001", Body: map[string]any{"matter": "noise"}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.Route(ctx, w.a, "complaint.route", sqlstore.RecordComplaint, c.ID, 1, "no-such-org", sqlstore.Fields{Status: "routed", Body: "x"})
		wantKind(t, "Route to a missing organisation", err, ssra.KindNotFound)
		routed, err := s.Route(ctx, w.a, "complaint.route", sqlstore.RecordComplaint, c.ID, 1, w.b.OrgID,
			sqlstore.Fields{Status: "routed", Reference: "XF-2026-0001", Body: map[string]any{"matter": "noise", "to": "B"}})
		if err != nil {
			t.Fatalf("Route: %v", err)
		}
		if routed.OrgID != w.b.OrgID || routed.Version != 2 {
			t.Fatalf("routed record: %+v", routed)
		}
		// The receiver owns it now and may change it.
		got, err := s.Get(ctx, w.b, sqlstore.RecordComplaint, c.ID)
		if err != nil || got.ReadOnly {
			t.Fatalf("receiver Get: readOnly %v, %v", got.ReadOnly, err)
		}
		if _, err := s.Update(ctx, w.b, "complaint.accept", sqlstore.RecordComplaint, c.ID, 2, sqlstore.Fields{Status: "accepted", Reference: "XF-2026-0001", Body: map[string]any{"matter": "noise"}}); err != nil {
			t.Fatalf("receiver Update: %v", err)
		}
		// The sender keeps read access to what it sent, and nothing more.
		got, err = s.Get(ctx, w.a, sqlstore.RecordComplaint, c.ID)
		if err != nil || !got.ReadOnly || got.Status != "accepted" {
			t.Fatalf("sender Get: %+v, %v; want read-only", got, err)
		}
		_, err = s.Update(ctx, w.a, "complaint.answer", sqlstore.RecordComplaint, c.ID, 3, sqlstore.Fields{Body: "x"})
		wantKind(t, "sender Update after routing", err, ssra.KindForbidden)
		// A bystander sees nothing.
		_, err = s.Get(ctx, w.c, sqlstore.RecordComplaint, c.ID)
		wantKind(t, "bystander Get", err, ssra.KindNotFound)
		// Listing by scope.
		for _, tc := range []struct {
			name  string
			by    ssra.Actor
			scope sqlstore.Scope
			want  int
		}{
			{"sender, all", w.a, sqlstore.ScopeAll, 1},
			{"sender, owned", w.a, sqlstore.ScopeOwned, 0},
			{"sender, shared", w.a, sqlstore.ScopeShared, 1},
			{"receiver, owned", w.b, sqlstore.ScopeOwned, 1},
			{"bystander, all", w.c, sqlstore.ScopeAll, 0},
		} {
			p, err := s.List(ctx, tc.by, sqlstore.Query{Kind: sqlstore.RecordComplaint, Scope: tc.scope})
			if err != nil || len(p.Records) != tc.want {
				t.Fatalf("%s: %d records (%v), want %d", tc.name, len(p.Records), err, tc.want)
			}
		}
		// The public status check finds it by reference, whoever holds it.
		byRef, err := s.LookupReference(ctx, sqlstore.RecordComplaint, "XF-2026-0001")
		if err != nil || byRef.ID != c.ID {
			t.Fatalf("LookupReference: %v", err)
		}
		_, err = s.Create(ctx, w.c, "complaint.register", sqlstore.RecordComplaint, sqlstore.Fields{Reference: "XF-2026-0001", Body: "x"})
		wantKind(t, "duplicate reference", err, ssra.KindConflict)

		// Explicit read-only sharing.
		a, err := s.Create(ctx, w.a, "assessment.create", sqlstore.RecordAssessment, sqlstore.Fields{Status: "issued", Body: map[string]any{"t": 1}})
		if err != nil {
			t.Fatal(err)
		}
		err = s.Share(ctx, w.a, sqlstore.RecordAssessment, a.ID, w.c.OrgID)
		if err != nil {
			t.Fatalf("Share: %v", err)
		}
		if err := s.Share(ctx, w.a, sqlstore.RecordAssessment, a.ID, w.c.OrgID); err != nil {
			t.Fatalf("Share twice: %v", err)
		}
		got, err = s.Get(ctx, w.c, sqlstore.RecordAssessment, a.ID)
		if err != nil || !got.ReadOnly {
			t.Fatalf("shared Get: %+v, %v", got, err)
		}
		_, err = s.Update(ctx, w.c, "x", sqlstore.RecordAssessment, a.ID, 1, sqlstore.Fields{Body: "x"})
		wantKind(t, "Update through a share", err, ssra.KindForbidden)
		err = s.Share(ctx, w.c, sqlstore.RecordAssessment, a.ID, w.b.OrgID)
		wantKind(t, "re-share by a reader", err, ssra.KindForbidden)
		with, err := s.SharedWith(ctx, w.a, sqlstore.RecordAssessment, a.ID)
		if err != nil || !slices.Equal(with, []string{w.c.OrgID}) {
			t.Fatalf("SharedWith: %v, %v", with, err)
		}
		// The history of a record is visible to whoever sees the record.
		h, err := s.History(ctx, w.a, sqlstore.RecordComplaint, c.ID)
		if err != nil || len(h) != 3 || h[0].Action != "complaint.register" || h[1].Action != "complaint.route" || h[2].ActorOrg != w.b.OrgID {
			t.Fatalf("History for the sender: %+v, %v", h, err)
		}
		_, err = s.History(ctx, w.c, sqlstore.RecordComplaint, c.ID)
		wantKind(t, "bystander History", err, ssra.KindNotFound)
		verifyOK(t, s)
	})
}

// TestSharedWrites: a record that several organisations write in turn (a
// tracking of measures) is written through UpdateShared by its owner and
// by an organisation it was shared with, each write audited with its
// writer; a bystander still sees nothing, and a stale version fails.
func TestSharedWrites(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		r, err := s.Create(ctx, w.a, "tracking.open", sqlstore.RecordTracking, sqlstore.Fields{Status: "open", Reference: "decision:d1", Body: map[string]any{"m": 0}})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Share(ctx, w.a, sqlstore.RecordTracking, r.ID, w.b.OrgID); err != nil {
			t.Fatal(err)
		}
		_, err = s.Update(ctx, w.b, "measure.report", sqlstore.RecordTracking, r.ID, 1, sqlstore.Fields{Body: map[string]any{"m": 1}})
		wantKind(t, "Update through a share", err, ssra.KindForbidden)
		got, err := s.UpdateShared(ctx, w.b, "measure.report", sqlstore.RecordTracking, r.ID, 1, sqlstore.Fields{Status: "open", Body: map[string]any{"m": 1}})
		if err != nil || got.Version != 2 || !got.ReadOnly || got.OrgID != w.a.OrgID {
			t.Fatalf("UpdateShared by the sharer: %+v, %v", got, err)
		}
		if _, err := s.UpdateShared(ctx, w.a, "measure.verify", sqlstore.RecordTracking, r.ID, 2, sqlstore.Fields{Status: "closed", Body: map[string]any{"m": 2}}); err != nil {
			t.Fatalf("UpdateShared by the owner: %v", err)
		}
		_, err = s.UpdateShared(ctx, w.b, "measure.report", sqlstore.RecordTracking, r.ID, 2, sqlstore.Fields{Body: "x"})
		wantKind(t, "stale UpdateShared", err, ssra.KindPreconditionFailed)
		_, err = s.UpdateShared(ctx, w.c, "measure.report", sqlstore.RecordTracking, r.ID, 3, sqlstore.Fields{Body: "x"})
		wantKind(t, "bystander UpdateShared", err, ssra.KindNotFound)
		h, err := s.History(ctx, w.a, sqlstore.RecordTracking, r.ID)
		if err != nil || len(h) != 4 || h[2].Action != "measure.report" || h[2].ActorOrg != w.b.OrgID || h[3].ActorOrg != w.a.OrgID {
			t.Fatalf("History: %+v, %v", h, err)
		}
		verifyOK(t, s)
	})
}

// TestFollowUpStoredWithItsLink: a follow-up assessment (跟踪评估) opened
// by the assessing body from a tracking the decision body holds is created
// and linked from the tracking, written through the share, in one
// transaction; when the tracking's write fails (a stale version: another
// organisation wrote it meanwhile) the follow-up is not stored either, and
// the audit log has neither event.
func TestFollowUpStoredWithItsLink(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		tr, err := s.Create(ctx, w.b, "tracking.open", sqlstore.RecordTracking, sqlstore.Fields{Status: "open", Body: map[string]any{"follow_ups": []string{}}})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Share(ctx, w.b, sqlstore.RecordTracking, tr.ID, w.a.OrgID); err != nil {
			t.Fatal(err)
		}
		openFollowUp := func(version int64) (sqlstore.Record, sqlstore.Record, error) {
			var fu, linked sqlstore.Record
			err := s.InTx(ctx, w.a, func(tx *sqlstore.Tx) error {
				var err error
				if fu, err = tx.Create(ctx, "assessment.follow_up", sqlstore.RecordAssessment, sqlstore.Fields{Status: "draft", Body: map[string]any{"follow_up_of": "a1"}}); err != nil {
					return err
				}
				linked, err = tx.UpdateShared(ctx, "tracking.follow_up", sqlstore.RecordTracking, tr.ID, version,
					sqlstore.Fields{Status: "open", Body: map[string]any{"follow_ups": []string{fu.ID}}})
				return err
			})
			return fu, linked, err
		}
		// The decision body writes the tracking meanwhile: version 1 is stale.
		if _, err := s.UpdateShared(ctx, w.b, "measure.report", sqlstore.RecordTracking, tr.ID, 1, sqlstore.Fields{Status: "open", Body: map[string]any{"follow_ups": []string{}, "r": 1}}); err != nil {
			t.Fatal(err)
		}
		before := verifyOK(t, s).Leaves
		_, _, err = openFollowUp(1)
		wantKind(t, "follow-up on a stale tracking", err, ssra.KindPreconditionFailed)
		p, err := s.List(ctx, w.a, sqlstore.Query{Kind: sqlstore.RecordAssessment})
		if err != nil || len(p.Records) != 0 {
			t.Fatalf("assessments after the failed link: %d (%v), want none", len(p.Records), err)
		}
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM records WHERE kind = 'assessment'`).Scan(&n); err != nil || n != 0 {
			t.Fatalf("assessment rows after the failed link: %d (%v), want none", n, err)
		}
		if got := verifyOK(t, s).Leaves; got != before {
			t.Fatalf("audit events after the failed link: %d, want %d", got, before)
		}
		fu, linked, err := openFollowUp(2)
		if err != nil {
			t.Fatalf("follow-up on the current tracking: %v", err)
		}
		if linked.Version != 3 || !linked.ReadOnly || !strings.Contains(string(linked.Body), fu.ID) {
			t.Fatalf("linked tracking: version %d, read-only %v, body %s", linked.Version, linked.ReadOnly, linked.Body)
		}
		h, err := s.History(ctx, w.b, sqlstore.RecordTracking, tr.ID)
		if err != nil || len(h) != 4 || h[3].Action != "tracking.follow_up" || h[3].ActorOrg != w.a.OrgID {
			t.Fatalf("tracking history: %+v, %v", h, err)
		}
		if got := verifyOK(t, s).Leaves; got != before+2 {
			t.Fatalf("audit events after the follow-up: %d, want %d", got, before+2)
		}
	})
}

func TestListFiltersAndPages(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		due := []string{"2026-03-01", "2026-03-10", "", "2026-04-01", "2026-02-15"}
		for i, d := range due {
			var dd ssra.Date
			if d != "" {
				dd, _ = ssra.ParseDate(d)
			}
			status := "investigating"
			if i == 4 {
				status = "closed"
			}
			if _, err := s.Create(ctx, w.a, "complaint.register", sqlstore.RecordComplaint,
				sqlstore.Fields{Status: status, DueOn: dd, Reference: fmt.Sprintf("R%d", i), Body: map[string]any{"i": i}}); err != nil {
				t.Fatal(err)
			}
		}
		today, _ := ssra.ParseDate("2026-03-10")
		p, err := s.List(ctx, w.a, sqlstore.Query{Kind: sqlstore.RecordComplaint, Status: []string{"investigating"}, DueBefore: today})
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Records) != 1 || p.Records[0].Reference != "R0" || p.Records[0].DueOn.String() != "2026-03-01" {
			t.Fatalf("overdue open complaints: %+v", p.Records)
		}
		var seen []string
		q := sqlstore.Query{Kind: sqlstore.RecordComplaint, Limit: 2}
		for pages := 0; ; pages++ {
			p, err := s.List(ctx, w.a, q)
			if err != nil || pages > 5 {
				t.Fatalf("paging: %v after %d pages", err, pages)
			}
			for _, r := range p.Records {
				seen = append(seen, r.Reference)
			}
			if p.Next == "" {
				break
			}
			q.After = p.Next
		}
		if !slices.Equal(seen, []string{"R0", "R1", "R2", "R3", "R4"}) {
			t.Fatalf("pages in creation order: %v", seen)
		}
		// Bounded by bytes as well: each body is {"i":N}, 7 bytes, so 15
		// bytes hold two a page; a bound below one body gives one a page.
		for _, c := range []struct {
			max   int
			sizes []int
		}{{15, []int{2, 2, 1}}, {14, []int{2, 2, 1}}, {1, []int{1, 1, 1, 1, 1}}, {1 << 20, []int{5}}} {
			seen = nil
			var sizes []int
			q := sqlstore.Query{Kind: sqlstore.RecordComplaint, Limit: 500, MaxBytes: c.max}
			for pages := 0; ; pages++ {
				p, err := s.List(ctx, w.a, q)
				if err != nil || pages > 6 {
					t.Fatalf("paging by bytes (%d): %v after %d pages", c.max, err, pages)
				}
				sizes = append(sizes, len(p.Records))
				for _, r := range p.Records {
					seen = append(seen, r.Reference)
				}
				if p.Next == "" {
					break
				}
				q.After = p.Next
			}
			if !slices.Equal(seen, []string{"R0", "R1", "R2", "R3", "R4"}) || !slices.Equal(sizes, c.sizes) {
				t.Fatalf("pages of at most %d bytes: %v in pages of %v, want pages of %v", c.max, seen, sizes, c.sizes)
			}
		}
		// Due order, one record a page: records without a due date are left out.
		seen = nil
		q = sqlstore.Query{Kind: sqlstore.RecordComplaint, Order: sqlstore.OrderDue, Limit: 1}
		for pages := 0; ; pages++ {
			p, err := s.List(ctx, w.a, q)
			if err != nil || pages > 5 {
				t.Fatalf("paging by due date: %v after %d pages", err, pages)
			}
			for _, r := range p.Records {
				seen = append(seen, r.Reference)
			}
			if p.Next == "" {
				break
			}
			q.After = p.Next
		}
		if !slices.Equal(seen, []string{"R4", "R0", "R1", "R3"}) {
			t.Fatalf("pages in due order: %v", seen)
		}
		// Due soon: from today (inclusive) to a week ahead.
		week, _ := ssra.ParseDate("2026-03-17")
		p, err = s.List(ctx, w.a, sqlstore.Query{Kind: sqlstore.RecordComplaint, DueFrom: today, DueBefore: week})
		if err != nil || len(p.Records) != 1 || p.Records[0].Reference != "R1" {
			t.Fatalf("due soon: %+v (%v)", p.Records, err)
		}
		// A cursor of another order, or garbage, is refused.
		first, _ := s.List(ctx, w.a, sqlstore.Query{Kind: sqlstore.RecordComplaint, Limit: 1})
		for _, bad := range []sqlstore.Query{
			{Kind: sqlstore.RecordComplaint, Order: sqlstore.OrderDue, After: first.Next},
			{Kind: sqlstore.RecordComplaint, After: "not a cursor!"},
			{Kind: sqlstore.RecordComplaint, Order: 9},
		} {
			_, err := s.List(ctx, w.a, bad)
			wantKind(t, "bad listing query", err, ssra.KindInvalid)
		}
	})
}

func TestBodiesStayExact(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		in := `{"z":"0.10","a":1.10,"big":12345678901234567890.123456789,"s":"<&>","nested":{"y":[1,"1/3"],"b":null}}`
		r, err := s.Create(ctx, w.a, "scheme.create", sqlstore.RecordScheme, sqlstore.Fields{Name: "county@1", Body: json.RawMessage(in)})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.Get(ctx, w.a, sqlstore.RecordScheme, r.ID)
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
		repo := sqlstore.NewRepo[scheme](s, sqlstore.RecordScheme)
		it, err := repo.Get(ctx, w.a, r.ID)
		if err != nil || it.Value.Z != "0.10" || it.Value.A != "1.10" {
			t.Fatalf("Repo.Get: %+v, %v", it.Value, err)
		}
		it2, err := repo.Update(ctx, w.a, "scheme.update", r.ID, 1, sqlstore.Fields{Name: "county@1"}, scheme{Z: "0.20", A: "2", N: json.RawMessage(`[]`)})
		if err != nil || it2.Version != 2 || it2.Value.Z != "0.20" {
			t.Fatalf("Repo.Update: %+v, %v", it2, err)
		}
		items, next, err := repo.List(ctx, w.a, sqlstore.Query{Name: "county@1"})
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
		r, err := s.Create(ctx, w.a, "scheme.create", sqlstore.RecordScheme, sqlstore.Fields{Name: "county@1", Body: json.RawMessage(in)})
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
		got, err := s.Get(ctx, w.a, sqlstore.RecordScheme, r.ID)
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
		_, err := s.Create(ctx, ssra.Actor{}, "x", sqlstore.RecordPlan, sqlstore.Fields{Body: 1})
		wantKind(t, "zero actor", err, ssra.KindUnauthenticated)
		_, err = s.Create(ctx, w.a, "x", sqlstore.RecordKind(99), sqlstore.Fields{})
		wantKind(t, "unknown kind, no body", err, ssra.KindInvalid)
		if ps := ssra.ProblemsOf(err); len(ps) != 2 {
			t.Fatalf("want both problems at once, got %v", ps)
		}
		_, err = s.Create(ctx, w.a, "x", sqlstore.RecordPlan, sqlstore.Fields{Body: json.RawMessage(`{"a":1} x`)})
		wantKind(t, "trailing data in body", err, ssra.KindInvalid)
		_, err = s.Create(ctx, w.a, "x", sqlstore.RecordPlan, sqlstore.Fields{Status: "bad\xff", Body: 1})
		wantKind(t, "invalid UTF-8 status", err, ssra.KindInvalid)
		_, err = s.CreateOrganisation(ctx, sqlstore.System, "bad\xff")
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
		a, err := s.Create(ctx, w.a, "assessment.create", sqlstore.RecordAssessment, sqlstore.Fields{Status: "issued", Body: map[string]any{"t": 1}})
		if err != nil {
			t.Fatal(err)
		}
		before := verifyOK(t, s).Leaves
		// A decision and the assessment it decides, together.
		var d sqlstore.Record
		err = s.InTx(ctx, w.a, func(tx *sqlstore.Tx) error {
			var err error
			if d, err = tx.Create(ctx, "decision.create", sqlstore.RecordDecision, sqlstore.Fields{Status: "approved", Body: map[string]any{"a": a.ID}}); err != nil {
				return err
			}
			if _, err := tx.Update(ctx, "assessment.decide", sqlstore.RecordAssessment, a.ID, a.Version, sqlstore.Fields{Status: "decided", Body: map[string]any{"t": 1}}); err != nil {
				return err
			}
			got, err := tx.Get(ctx, sqlstore.RecordAssessment, a.ID)
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
			if _, err := tx.Create(ctx, "decision.create", sqlstore.RecordDecision, sqlstore.Fields{Status: "refused", Body: map[string]any{"a": a.ID}}); err != nil {
				return err
			}
			_, err := tx.Update(ctx, "assessment.decide", sqlstore.RecordAssessment, a.ID, a.Version, sqlstore.Fields{Status: "decided", Body: 1})
			return err
		})
		wantKind(t, "stale second change", err, ssra.KindPreconditionFailed)
		p, err := s.List(ctx, w.a, sqlstore.Query{Kind: sqlstore.RecordDecision})
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
