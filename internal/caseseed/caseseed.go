// Package caseseed writes synthetic complaints and disputes (drawn by
// internal/casegen) through the store's own write path: one organisation
// per synthetic unit with a caseworker, each case created, then updated or
// routed after every transition as the REST routes do; or, in bulk, each
// case's final state created once, many cases to a transaction. It serves
// `ssrad seed`, the storage property tests and the benchmarks. No real
// person's data is involved.
package caseseed

import (
	"context"
	"fmt"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/internal/casegen"
	"github.com/ssra-go/ssra/stability"
)

// Orgs creates n synthetic organisations ("合成单位001" …, after prefix),
// each with a caseworker user, and returns their actors in order.
func Orgs(ctx context.Context, s *sqlstore.Store, prefix string, n int) ([]ssra.Actor, error) {
	out := make([]ssra.Actor, 0, n)
	for i := 1; i <= n; i++ {
		o, err := s.CreateOrganisation(ctx, sqlstore.System, fmt.Sprintf("%s合成单位%03d", prefix, i))
		if err != nil {
			return nil, fmt.Errorf("caseseed: organisation %d: %w", i, err)
		}
		u, err := s.CreateUser(ctx, sqlstore.System, o.ID, "合成办理人", []ssra.Role{ssra.RoleCaseworker, ssra.RoleViewer})
		if err != nil {
			return nil, fmt.Errorf("caseseed: user of organisation %d: %w", i, err)
		}
		out = append(out, ssra.Actor{UserID: u.ID, OrgID: o.ID})
	}
	return out, nil
}

// OrgIDs returns the organisations of the actors.
func OrgIDs(as []ssra.Actor) []string {
	ids := make([]string, len(as))
	for i, a := range as {
		ids[i] = a.OrgID
	}
	return ids
}

// Writer writes drawn cases into a store as the caseworkers of their
// organisations.
type Writer struct {
	Store  *sqlstore.Store
	actors map[string]ssra.Actor
}

// NewWriter returns a writer acting for the organisations of the actors.
func NewWriter(s *sqlstore.Store, actors []ssra.Actor) *Writer {
	m := make(map[string]ssra.Actor, len(actors))
	for _, a := range actors {
		m[a.OrgID] = a
	}
	return &Writer{Store: s, actors: m}
}

// ComplaintFields are the record fields of a complaint, as the REST routes
// write them.
func ComplaintFields(c *stability.Complaint) sqlstore.Fields {
	return sqlstore.Fields{Status: c.Status.String(), Reference: c.Ref, Name: c.MatterKey, DueOn: c.NextDue(), Body: c}
}

// DisputeFields are the record fields of a dispute, as the REST routes
// write them.
func DisputeFields(d *stability.Dispute) sqlstore.Fields {
	return sqlstore.Fields{Status: d.Status.String(), Reference: d.Ref, DueOn: d.NextDue(), Body: d}
}

// tracker follows one case's record through its writes.
type tracker struct {
	w       *Writer
	kind    sqlstore.RecordKind
	id      string
	version int64
	org     string
}

func (t *tracker) write(ctx context.Context, org string, routedTo string, f sqlstore.Fields) error {
	switch {
	case t.id == "":
		a, ok := t.w.actors[org]
		if !ok {
			return fmt.Errorf("caseseed: no actor for organisation %s", org)
		}
		r, err := t.w.Store.Create(ctx, a, t.kind.String()+".open", t.kind, f)
		if err != nil {
			return err
		}
		t.id, t.version, t.org = r.ID, r.Version, org
	case routedTo != "":
		r, err := t.w.Store.Route(ctx, t.w.actors[t.org], t.kind.String()+".route", t.kind, t.id, t.version, routedTo, f)
		if err != nil {
			return err
		}
		t.version, t.org = r.Version, routedTo
	default:
		r, err := t.w.Store.Update(ctx, t.w.actors[t.org], t.kind.String()+".change", t.kind, t.id, t.version, f)
		if err != nil {
			return err
		}
		t.version = r.Version
	}
	return nil
}

// Complaint draws the i-th complaint and writes it after every transition:
// created, then updated, or routed to the receiving organisation.
func (w *Writer) Complaint(ctx context.Context, g *casegen.Gen, i int) (*stability.Complaint, error) {
	t := &tracker{w: w, kind: sqlstore.RecordComplaint}
	return g.Complaint(i, func(c *stability.Complaint, routedTo string) error {
		return t.write(ctx, c.Organ, routedTo, ComplaintFields(c))
	})
}

// Dispute draws the i-th dispute and writes it after every transition.
func (w *Writer) Dispute(ctx context.Context, g *casegen.Gen, i int) (*stability.Dispute, error) {
	t := &tracker{w: w, kind: sqlstore.RecordDispute}
	return g.Dispute(i, func(d *stability.Dispute, _ string) error {
		return t.write(ctx, d.Organ, "", DisputeFields(d))
	})
}

// Bulk writes the final state of each case once, the cases of one
// organisation in one transaction: the fast path for seeding at scale. A
// routed complaint is created at the organisation holding it (its sender's
// read share is not recreated).
func (w *Writer) Bulk(ctx context.Context, complaints []*stability.Complaint, disputes []*stability.Dispute) error {
	byOrg := map[string][]func(tx *sqlstore.Tx) error{}
	for _, c := range complaints {
		f := ComplaintFields(c)
		byOrg[c.Organ] = append(byOrg[c.Organ], func(tx *sqlstore.Tx) error {
			_, err := tx.Create(ctx, "complaint.open", sqlstore.RecordComplaint, f)
			return err
		})
	}
	for _, d := range disputes {
		f := DisputeFields(d)
		byOrg[d.Organ] = append(byOrg[d.Organ], func(tx *sqlstore.Tx) error {
			_, err := tx.Create(ctx, "dispute.open", sqlstore.RecordDispute, f)
			return err
		})
	}
	for org, writes := range byOrg {
		a, ok := w.actors[org]
		if !ok {
			return fmt.Errorf("caseseed: no actor for organisation %s", org)
		}
		if err := w.Store.InTx(ctx, a, func(tx *sqlstore.Tx) error {
			for _, f := range writes {
				if err := f(tx); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return fmt.Errorf("caseseed: bulk write at %s: %w", org, err)
		}
	}
	return nil
}
