package sqlstore_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// BenchmarkAuditedWrite measures one audited state change (an optimistic
// update of a record plus its hash-chained audit event, in one
// transaction) against the baseline of a bare single-statement UPDATE
// transaction of the same row on the same database, so that the cost of
// scoping, versioning and auditing reads as a ratio within one run.
func BenchmarkAuditedWrite(b *testing.B) {
	ctx := context.Background()
	body := json.RawMessage(`{"title":"Waste-to-energy plant","regime":"ndrc2012_project","factors":[` +
		strings.TrimSuffix(strings.Repeat(`{"id":"f","weight":"0.125","initial":{"probability":"0.4","impact":"0.6"}},`, 8), ",") + `]}`)
	for _, be := range backends() {
		b.Run(be.name, func(b *testing.B) {
			s, raw := be.open(b)
			o, err := s.CreateOrganisation(ctx, sqlstore.System, "Bench")
			if err != nil {
				b.Fatal(err)
			}
			u, err := s.CreateUser(ctx, sqlstore.System, o.ID, "bench", []ssra.Role{ssra.RoleAssessor})
			if err != nil {
				b.Fatal(err)
			}
			by := ssra.Actor{UserID: u.ID, OrgID: o.ID}
			r, err := s.Create(ctx, by, "assessment.create", sqlstore.RecordAssessment, sqlstore.Fields{Status: "draft", Body: body})
			if err != nil {
				b.Fatal(err)
			}
			b.Run("audited_update", func(b *testing.B) {
				v := r.Version
				for b.Loop() {
					got, err := s.Update(ctx, by, "assessment.update", sqlstore.RecordAssessment, r.ID, v, sqlstore.Fields{Status: "draft", Body: body})
					if err != nil {
						b.Fatal(err)
					}
					v = got.Version
				}
				r.Version = v
			})
			b.Run("audited_update_parallel", func(b *testing.B) {
				// Writers on different records still queue on the one chain
				// head (and, on SQLite, the one writer).
				b.RunParallel(func(pb *testing.PB) {
					mine, err := s.Create(ctx, by, "assessment.create", sqlstore.RecordAssessment, sqlstore.Fields{Status: "draft", Body: body})
					if err != nil {
						b.Error(err)
						return
					}
					v := mine.Version
					for pb.Next() {
						got, err := s.Update(ctx, by, "assessment.update", sqlstore.RecordAssessment, mine.ID, v, sqlstore.Fields{Status: "draft", Body: body})
						if err != nil {
							b.Error(err)
							return
						}
						v = got.Version
					}
				})
			})
			b.Run("baseline_bare_update", func(b *testing.B) {
				// version changes in every iteration, as in a real write, so
				// that no database can skip the change as a no-op.
				q := `UPDATE records SET body = ?, version = version + 1 WHERE id = ?`
				if s.Dialect() == sqlstore.Postgres {
					q = `UPDATE records SET body = $1, version = version + 1 WHERE id = $2`
				}
				for b.Loop() {
					tx, err := raw.BeginTx(ctx, nil)
					if err != nil {
						b.Fatal(err)
					}
					res, err := tx.ExecContext(ctx, q, string(body), r.ID)
					if err != nil {
						b.Fatal(err)
					}
					if n, _ := res.RowsAffected(); n != 1 {
						b.Fatalf("baseline updated %d rows", n)
					}
					if err := tx.Commit(); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}
