package sqlstore_test

import (
	"context"
	"database/sql"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
)

// TestOperatorRoleOnlyFromCommandLine: an organisation's administrator can
// neither grant the operator role (to a colleague or to themselves: a
// privilege escalation to every organisation's figures), nor take it away,
// nor change a user who holds it, nor issue or rotate that user's keys,
// which would hand them the role; System (the command line) can, and an
// administrator may still revoke such a key.
func TestOperatorRoleOnlyFromCommandLine(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		_, err := s.CreateUser(ctx, w.a, w.a.OrgID, "ops", []ssra.Role{ssra.RoleViewer, ssra.RoleOperator})
		wantKind(t, "an administrator creating an operator", err, ssra.KindForbidden)
		if ps := ssra.ProblemsOf(err); len(ps) != 1 || ps[0].Field != "roles[1]" || ps[0].Code != "operator_command_line_only" {
			t.Fatalf("the refusal does not name the role: %v", err)
		}
		self, err := s.User(ctx, w.a, w.a.UserID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateUser(ctx, w.a, self.ID, self.Version, append(self.Roles, ssra.RoleOperator), false)
		wantKind(t, "an administrator granting themselves the operator role", err, ssra.KindForbidden)
		colleague, err := s.CreateUser(ctx, w.a, w.a.OrgID, "colleague", []ssra.Role{ssra.RoleCaseworker})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.UpdateUser(ctx, w.a, colleague.ID, colleague.Version, []ssra.Role{ssra.RoleOperator, ssra.RoleCaseworker}, false)
		wantKind(t, "an administrator granting a colleague the operator role", err, ssra.KindForbidden)

		// The command line grants it.
		ops, err := s.UpdateUser(ctx, sqlstore.System, colleague.ID, colleague.Version, []ssra.Role{ssra.RoleCaseworker, ssra.RoleOperator}, false)
		if err != nil || !ops.HasRole(ssra.RoleOperator) {
			t.Fatalf("System granting the operator role: %+v, %v", ops, err)
		}
		key, k, err := s.CreateKey(ctx, sqlstore.System, ops.ID, "ops")
		if err != nil {
			t.Fatal(err)
		}
		if id, err := s.Authenticate(ctx, key); err != nil || !id.Has(ssra.RoleOperator) {
			t.Fatalf("the operator's key: %+v, %v", id, err)
		}
		for what, change := range map[string]func() error{
			"taking the operator role away": func() error {
				_, err := s.UpdateUser(ctx, w.a, ops.ID, ops.Version, []ssra.Role{ssra.RoleCaseworker}, false)
				return err
			},
			"changing the other roles of an operator": func() error {
				_, err := s.UpdateUser(ctx, w.a, ops.ID, ops.Version, []ssra.Role{ssra.RoleAdmin, ssra.RoleOperator}, false)
				return err
			},
			"disabling an operator": func() error {
				_, err := s.UpdateUser(ctx, w.a, ops.ID, ops.Version, ops.Roles, true)
				return err
			},
			"issuing an operator's key": func() error {
				_, _, err := s.IssueKey(ctx, w.a, ops.ID, store.KeySpec{Name: "mine now"})
				return err
			},
			"rotating an operator's key": func() error {
				_, _, err := s.RotateKey(ctx, w.a, k.ID, time.Time{})
				return err
			},
		} {
			wantKind(t, "an administrator "+what, change(), ssra.KindForbidden)
		}
		// Another organisation's administrator does not learn the user exists.
		_, _, err = s.IssueKey(ctx, w.b, ops.ID, store.KeySpec{Name: "stolen"})
		wantKind(t, "another organisation's administrator issuing an operator's key", err, ssra.KindNotFound)
		if _, err := s.Authenticate(ctx, key); err != nil {
			t.Fatalf("a refused rotation revoked the key: %v", err)
		}
		if got, _ := s.User(ctx, sqlstore.System, ops.ID); got.Version != ops.Version || !got.HasRole(ssra.RoleOperator) || got.Disabled {
			t.Fatalf("a refused change wrote: %+v", got)
		}
		if _, err := s.RevokeKey(ctx, w.a, k.ID); err != nil {
			t.Fatalf("an administrator revoking an operator's key: %v", err)
		}
		if _, err := s.UpdateUser(ctx, sqlstore.System, ops.ID, ops.Version, []ssra.Role{ssra.RoleCaseworker}, false); err != nil {
			t.Fatalf("System taking the operator role away: %v", err)
		}
		verifyOK(t, s)
	})
}

// TestVerifyOrganisation: an organisation's verification counts and names
// only its own records, gives none of the server's figures, and turns a
// failure of the tree into one finding that names nothing; the operator's
// VerifyAudit names everything.
func TestVerifyOrganisation(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		w := setup(t, s)
		var bIDs []string
		for range 3 {
			r, err := s.Create(ctx, w.b, "plan.create", store.RecordPlan, store.Fields{Status: "draft", Body: map[string]any{"n": 0}})
			if err != nil {
				t.Fatal(err)
			}
			bIDs = append(bIDs, r.ID)
		}
		a, err := s.Create(ctx, w.a, "plan.create", store.RecordPlan, store.Fields{Status: "draft", Body: map[string]any{"n": 1}})
		if err != nil {
			t.Fatal(err)
		}
		all := verifyOK(t, s)
		if all.Scope != store.AuditScopeServer || all.Records != 4 || all.Checkpoints == 0 || all.OrgID != "" {
			t.Fatalf("the whole log's report: %+v", all)
		}
		rep, err := s.VerifyOrganisation(ctx, w.a.OrgID)
		if err != nil {
			t.Fatal(err)
		}
		if !rep.OK || rep.Scope != store.AuditScopeOrganisation || rep.OrgID != w.a.OrgID || rep.Records != 1 || rep.Pending != 0 || rep.Checkpoints != 0 || rep.Cosignatures != 0 ||
			rep.Leaves != all.Leaves || rep.Root != all.Root {
			t.Fatalf("A's report: %+v (the whole log's: %+v)", rep, all)
		}
		_, err = s.VerifyOrganisation(ctx, "")
		wantKind(t, "a report for no organisation", err, ssra.KindInvalid)

		// B's record edited behind the log: the operator reads which; A's
		// report holds, and names nothing of B.
		mustExec(t, raw, `UPDATE records SET body = `+ph(s, 1)+` WHERE id = `+ph(s, 2), `{"n":99}`, bIDs[1])
		if full, _ := s.VerifyAudit(ctx); full.OK || !strings.Contains(strings.Join(full.Findings, "\n"), bIDs[1]) {
			t.Fatalf("the whole log's report misses B's edited record: %+v", full)
		}
		if rep, _ := s.VerifyOrganisation(ctx, w.a.OrgID); !rep.OK || rep.Records != 1 {
			t.Fatalf("A's report after B's record was edited: %+v", rep)
		}
		// A's own record edited: A reads which.
		mustExec(t, raw, `UPDATE records SET body = `+ph(s, 1)+` WHERE id = `+ph(s, 2), `{"n":98}`, a.ID)
		rep, _ = s.VerifyOrganisation(ctx, w.a.OrgID)
		if rep.OK || len(rep.Findings) != 1 || !strings.Contains(rep.Findings[0], a.ID) {
			t.Fatalf("A's report after A's record was edited: %+v", rep)
		}
		// A leaf removed: the tree fails; A reads that it does, and no more.
		liftGuards(t, s, raw)
		mustExec(t, raw, `DELETE FROM audit_leaves WHERE idx = 1`)
		rep, _ = s.VerifyOrganisation(ctx, w.a.OrgID)
		if rep.OK || len(rep.Findings) != 2 || !strings.Contains(rep.Findings[0], "the log's tree fails") {
			t.Fatalf("A's report after a leaf was removed: %+v", rep)
		}
		for _, id := range append(bIDs, w.b.OrgID, w.b.UserID) {
			if strings.Contains(strings.Join(rep.Findings, "\n"), id) {
				t.Fatalf("A's report names %s of B: %+v", id, rep)
			}
		}
	})
}
