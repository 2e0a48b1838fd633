package main

import (
	"context"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// recordStore binds the REST adapter's Store to sqlstore, which implements
// the shared storage interfaces itself; only the audit verification's
// report takes the REST adapter's form.
type recordStore struct{ *sqlstore.Store }

var _ rest.Store = recordStore{}

// VerifyAudit verifies the whole transparency log with the server's key.
func (b recordStore) VerifyAudit(ctx context.Context) (rest.AuditReport, error) {
	r, err := b.Store.VerifyAudit(ctx)
	return auditReport(r), err
}

// VerifyOrganisationAudit verifies the log for one organisation's
// administrator.
func (b recordStore) VerifyOrganisationAudit(ctx context.Context, orgID string) (rest.AuditReport, error) {
	r, err := b.Store.VerifyOrganisation(ctx, orgID)
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
