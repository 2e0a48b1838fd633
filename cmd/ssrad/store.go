package main

import (
	"context"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/sqlstore"
)

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
