package main

import (
	"context"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/stability"
)

// recordStore binds the REST adapter's Store to sqlstore.
type recordStore struct{ s *sqlstore.Store }

var _ rest.Store = recordStore{}

func kindOf(op, name string) (sqlstore.RecordKind, error) {
	var k sqlstore.RecordKind
	if err := k.UnmarshalText([]byte(name)); err != nil {
		return 0, ssra.Wrap(ssra.KindInternal, op, err, "unknown record kind")
	}
	return k, nil
}

func fields(f rest.Fields) sqlstore.Fields {
	return sqlstore.Fields{Status: f.Status, Reference: f.Reference, Name: f.Name, DueOn: f.DueOn, Body: f.Body}
}

func record(r sqlstore.Record) rest.Record {
	return rest.Record{ID: r.ID, Kind: r.Kind.String(), OrgID: r.OrgID, Status: r.Status, Reference: r.Reference, Name: r.Name,
		DueOn: r.DueOn, Version: r.Version, Body: r.Body, Digest: r.Digest, CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt,
		ReadOnly: r.ReadOnly}
}

// Create stores the record and its shares in one audited transaction.
func (b recordStore) Create(ctx context.Context, by ssra.Actor, action, kind string, f rest.Fields, shareWith ...string) (rest.Record, error) {
	k, err := kindOf("ssrad.Create", kind)
	if err != nil {
		return rest.Record{}, err
	}
	var out sqlstore.Record
	err = b.s.InTx(ctx, by, func(tx *sqlstore.Tx) error {
		r, err := tx.Create(ctx, action, k, fields(f))
		if err != nil {
			return err
		}
		for _, org := range shareWith {
			if err := tx.Share(ctx, k, r.ID, org); err != nil {
				return err
			}
		}
		out = r
		return nil
	})
	if err != nil {
		return rest.Record{}, err
	}
	return record(out), nil
}

// Get is sqlstore's scoped read.
func (b recordStore) Get(ctx context.Context, by ssra.Actor, kind, id string) (rest.Record, error) {
	k, err := kindOf("ssrad.Get", kind)
	if err != nil {
		return rest.Record{}, err
	}
	r, idx, ok, err := b.s.GetIndexed(ctx, by, k, id)
	if err != nil {
		return rest.Record{}, err
	}
	out := record(r)
	if ok {
		out.LeafIndex = &idx
	}
	return out, nil
}

// Update is sqlstore's audited, versioned write.
func (b recordStore) Update(ctx context.Context, by ssra.Actor, action, kind, id string, version int64, f rest.Fields) (rest.Record, error) {
	k, err := kindOf("ssrad.Update", kind)
	if err != nil {
		return rest.Record{}, err
	}
	r, err := b.s.Update(ctx, by, action, k, id, version, fields(f))
	return record(r), err
}

// UpdateShared is sqlstore's write by an owning or sharing organisation.
func (b recordStore) UpdateShared(ctx context.Context, by ssra.Actor, action, kind, id string, version int64, f rest.Fields) (rest.Record, error) {
	k, err := kindOf("ssrad.UpdateShared", kind)
	if err != nil {
		return rest.Record{}, err
	}
	r, err := b.s.UpdateShared(ctx, by, action, k, id, version, fields(f))
	return record(r), err
}

// CreateLinked stores the new record and the change of the record that
// links to it in one audited transaction.
func (b recordStore) CreateLinked(ctx context.Context, by ssra.Actor, action, kind string, f rest.Fields, link rest.Link) (rest.Record, rest.Record, error) {
	const op = "ssrad.CreateLinked"
	k, err := kindOf(op, kind)
	if err != nil {
		return rest.Record{}, rest.Record{}, err
	}
	lk, err := kindOf(op, link.Kind)
	if err != nil {
		return rest.Record{}, rest.Record{}, err
	}
	var created, linked sqlstore.Record
	err = b.s.InTx(ctx, by, func(tx *sqlstore.Tx) error {
		var err error
		if created, err = tx.Create(ctx, action, k, fields(f)); err != nil {
			return err
		}
		lf, err := link.Fields(record(created))
		if err != nil {
			return err
		}
		linked, err = tx.UpdateShared(ctx, link.Action, lk, link.ID, link.Version, fields(lf))
		return err
	})
	if err != nil {
		return rest.Record{}, rest.Record{}, err
	}
	return record(created), record(linked), nil
}

// Route hands the record to another organisation, the sender keeping read access.
func (b recordStore) Route(ctx context.Context, by ssra.Actor, action, kind, id string, version int64, toOrg string, f rest.Fields) (rest.Record, error) {
	k, err := kindOf("ssrad.Route", kind)
	if err != nil {
		return rest.Record{}, err
	}
	r, err := b.s.Route(ctx, by, action, k, id, version, toOrg, fields(f))
	return record(r), err
}

// Share gives another organisation read access.
func (b recordStore) Share(ctx context.Context, by ssra.Actor, kind, id, orgID string) error {
	k, err := kindOf("ssrad.Share", kind)
	if err != nil {
		return err
	}
	return b.s.Share(ctx, by, k, id, orgID)
}

// List is sqlstore's scoped listing.
func (b recordStore) List(ctx context.Context, by ssra.Actor, q rest.Query) (rest.Page, error) {
	k, err := kindOf("ssrad.List", q.Kind)
	if err != nil {
		return rest.Page{}, err
	}
	sq := sqlstore.Query{Kind: k, Status: q.Status, Name: q.Name, DueFrom: q.DueFrom, DueBefore: q.DueBefore, After: q.After, Limit: q.Limit, MaxBytes: q.MaxBytes}
	switch q.Scope {
	case "owned":
		sq.Scope = sqlstore.ScopeOwned
	case "shared":
		sq.Scope = sqlstore.ScopeShared
	}
	if q.ByDue {
		sq.Order = sqlstore.OrderDue
	}
	p, err := b.s.List(ctx, by, sq)
	if err != nil {
		return rest.Page{}, err
	}
	out := rest.Page{Records: make([]rest.Record, len(p.Records)), Next: p.Next}
	for i, r := range p.Records {
		out.Records[i] = record(r)
	}
	return out, nil
}

// LookupReference finds a record by reference number, unscoped, for the status check.
func (b recordStore) LookupReference(ctx context.Context, kind, reference string) (rest.Record, error) {
	k, err := kindOf("ssrad.LookupReference", kind)
	if err != nil {
		return rest.Record{}, err
	}
	r, err := b.s.LookupReference(ctx, k, reference)
	return record(r), err
}

// UpdatePublic writes as the unscoped system actor: the caller proved its
// right to the record by the query code inside it.
func (b recordStore) UpdatePublic(ctx context.Context, action, kind, id string, version int64, f rest.Fields) (rest.Record, error) {
	k, err := kindOf("ssrad.UpdatePublic", kind)
	if err != nil {
		return rest.Record{}, err
	}
	r, err := b.s.Update(ctx, sqlstore.System, action, k, id, version, fields(f))
	return record(r), err
}

// VerifyAudit verifies the whole transparency log with the server's key.
func (b recordStore) VerifyAudit(ctx context.Context) (rest.AuditReport, error) {
	r, err := b.s.VerifyAudit(ctx)
	return auditReport(r), err
}

// VerifyOrganisationAudit verifies the log for one organisation's
// administrator.
func (b recordStore) VerifyOrganisationAudit(ctx context.Context, orgID string) (rest.AuditReport, error) {
	r, err := b.s.VerifyOrganisation(ctx, orgID)
	return auditReport(r), err
}

// auditReport converts the store's report: one scoped to an organisation
// leaves the server's figures out.
func auditReport(r sqlstore.AuditReport) rest.AuditReport {
	out := rest.AuditReport{Scope: rest.AuditScopeServer, OrgID: r.OrgID, Leaves: r.Leaves, Root: r.Root, Records: r.Records,
		Signed: r.Signed, Witnessed: r.Witnessed, OK: r.OK, Findings: r.Findings}
	if r.OrgID != "" {
		out.Scope = rest.AuditScopeOrganisation
		return out
	}
	out.Pending, out.Checkpoints, out.Cosignatures = &r.Pending, &r.Checkpoints, &r.Cosignatures
	return out
}

// OrganisationName returns an organisation's name.
func (b recordStore) OrganisationName(ctx context.Context, id string) (string, error) {
	o, err := b.s.Organisation(ctx, id)
	return o.Name, err
}

// CaseStats sums the casework indicator facts in the database.
func (b recordStore) CaseStats(ctx context.Context, by ssra.Actor, q rest.StatsQuery) (map[stability.GroupKey]stability.Tally, error) {
	return b.s.CaseStats(ctx, by, sqlstore.StatsQuery{Filter: q.Filter, Grouping: q.Grouping, Shared: q.Shared, Now: q.Now})
}

// OrganisationUsers lists an organisation's users, unscoped: the directory
// the confidentiality guard of a route compares a report's subject with.
func (b recordStore) OrganisationUsers(ctx context.Context, id string) ([]stability.Member, error) {
	if _, err := b.s.Organisation(ctx, id); err != nil {
		return nil, err
	}
	us, err := b.s.Users(ctx, sqlstore.System, id)
	if err != nil {
		return nil, err
	}
	out := make([]stability.Member, len(us))
	for i, u := range us {
		out[i] = stability.Member{ID: u.ID, Name: u.Name}
	}
	return out, nil
}

// UserOrganisation returns the organisation of a user, unscoped.
func (b recordStore) UserOrganisation(ctx context.Context, userID string) (string, error) {
	u, err := b.s.User(ctx, sqlstore.System, userID)
	return u.OrgID, err
}

// OrganisationsAbove lists the organisations above one in the hierarchy,
// unscoped.
func (b recordStore) OrganisationsAbove(ctx context.Context, id string) ([]string, error) {
	os, err := b.s.OrganisationsAbove(ctx, id)
	return convert(os, orgID), err
}

// OrganisationsBelow lists the organisations below one in the hierarchy,
// unscoped.
func (b recordStore) OrganisationsBelow(ctx context.Context, id string) ([]string, error) {
	os, err := b.s.OrganisationsBelow(ctx, id)
	return convert(os, orgID), err
}

func orgID(o sqlstore.Organisation) string { return o.ID }

// MatterHoldings asks the store which of the organisations hold the
// matter, and how far each case got, reading nothing else of the cases.
func (b recordStore) MatterHoldings(ctx context.Context, key string, orgs []string) ([]stability.Holding, error) {
	return b.s.MatterHoldings(ctx, key, orgs)
}

// auditLog binds the REST adapter's AuditLog to sqlstore's transparency log.
type auditLog struct{ s *sqlstore.Store }

var _ rest.AuditLog = auditLog{}

// Checkpoint returns the latest checkpoint note.
func (l auditLog) Checkpoint(ctx context.Context) ([]byte, error) {
	cp, err := l.s.LatestCheckpoint(ctx)
	return cp.Note, err
}

// ProveRecord returns a record version's inclusion proof.
func (l auditLog) ProveRecord(ctx context.Context, by ssra.Actor, id string, version int64) (rest.InclusionProof, error) {
	p, err := l.s.ProveRecord(ctx, by, id, version)
	if err != nil {
		return rest.InclusionProof{}, err
	}
	return rest.InclusionProof{LeafIndex: p.Index, Leaf: p.Leaf, TreeSize: p.TreeSize, Proof: hashBytes(p.Proof), Checkpoint: p.Checkpoint}, nil
}

// ProveConsistency returns the consistency proof between two tree sizes.
func (l auditLog) ProveConsistency(ctx context.Context, from, to int64) ([][]byte, error) {
	p, err := l.s.ProveConsistency(ctx, from, to)
	return hashBytes(p), err
}

// AddCosignatures keeps witnesses' cosignatures of a checkpoint.
func (l auditLog) AddCosignatures(ctx context.Context, note []byte) (rest.Cosigned, error) {
	c, err := l.s.AddCosignatures(ctx, note)
	return rest.Cosigned{Size: c.Size, Witnesses: c.Witnesses}, err
}

// CosignedCheckpoint returns the latest cosigned checkpoint note.
func (l auditLog) CosignedCheckpoint(ctx context.Context) ([]byte, error) {
	c, err := l.s.CosignedCheckpoint(ctx)
	return c.Note, err
}

// Tile returns one hash tile.
func (l auditLog) Tile(ctx context.Context, path string) ([]byte, error) { return l.s.Tile(ctx, path) }

func hashBytes(hs []tlog.Hash) [][]byte {
	out := make([][]byte, len(hs))
	for i := range hs {
		out[i] = hs[i][:]
	}
	return out
}

// AuditReads records the reads of records in full in the audit log, in one
// transaction.
func (b recordStore) AuditReads(ctx context.Context, by ssra.Actor, action string, recs []rest.Record) error {
	return b.s.InTx(ctx, by, func(tx *sqlstore.Tx) error {
		for _, r := range recs {
			if err := tx.Audit(ctx, action, r.Kind, r.ID, r.Version, r.Digest); err != nil {
				return err
			}
		}
		return nil
	})
}
