package store

import (
	"context"

	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
)

// Checkpoint is a checkpoint of the transparency log (透明日志) as the
// sequencer wrote it: the tree size, its root hash and the note (C2SP
// tlog-checkpoint: signed, or the bare checkpoint text when the server has
// no key, as Signed says).
type Checkpoint struct {
	Size   int64
	Root   tlog.Hash
	Note   []byte
	Signed bool
}

// InclusionProof is the proof that a leaf is in the tree of a checkpoint:
// the leaf's bytes and Index, the TreeSize it is proved in, the hashes
// tlog.CheckRecord takes, and the note of the checkpoint of that size.
type InclusionProof struct {
	Index      int64
	Leaf       []byte
	TreeSize   int64
	Proof      tlog.RecordProof
	Checkpoint []byte
}

// Cosigned is a checkpoint with the cosignatures of witnesses (见证人,
// C2SP tlog-cosignature): its tree size, the names of the witnesses that
// cosigned it, and the note, the log's checkpoint followed by the log's
// signature and the witnesses'. Its JSON is the size and the witnesses.
type Cosigned struct {
	Size      int64    `json:"size"`
	Witnesses []string `json:"witnesses"`
	Note      []byte   `json:"-"`
}

// Log is the transparency log every write puts a leaf into: its
// checkpoints, the proofs an auditor checks with tlog.CheckRecord and
// tlog.CheckTree, and its hash tiles. Nothing it returns names a person:
// checkpoints and proofs are hashes, and a proof's leaf goes only to
// whoever may see its record. What the storage reports is
// ssra.KindInternal.
type Log interface {
	// LatestCheckpoint returns the checkpoint of the largest tree; before
	// the first leaf is integrated, the empty tree's, unsigned. A later
	// call never returns a smaller tree.
	LatestCheckpoint(ctx context.Context) (Checkpoint, error)
	// ProveRecord returns the inclusion proof, in the latest checkpoint,
	// of the leaf that made version of record id, if the actor's
	// organisation may see the record; a record it may not see, and a
	// version whose leaf is not integrated yet, is ssra.KindNotFound.
	ProveRecord(ctx context.Context, by ssra.Actor, id string, version int64) (InclusionProof, error)
	// ProveConsistency returns the proof that the tree of size to extends
	// the tree of size from. Sizes outside 1 ≤ from ≤ to ≤ the latest
	// checkpoint's are ssra.KindInvalid.
	ProveConsistency(ctx context.Context, from, to int64) (tlog.TreeProof, error)
	// Tile returns one hash tile by its tlog path ("tile/8/0/001"); a
	// malformed path, a data tile or a tile beyond the latest checkpoint
	// is ssra.KindNotFound.
	Tile(ctx context.Context, path string) ([]byte, error)
}

// Cosignatures keeps witnesses' cosignatures of the log's checkpoints.
type Cosignatures interface {
	// AddCosignatures accepts a checkpoint note of the log carrying
	// cosignatures of configured witnesses, keeps them and returns the
	// checkpoint with every witness that has cosigned it so far. A note
	// that is not a checkpoint of the log, or carries no valid
	// cosignature of a configured witness, is ssra.KindInvalid.
	AddCosignatures(ctx context.Context, note []byte) (Cosigned, error)
	// CosignedCheckpoint returns the checkpoint of the largest tree
	// witnesses have cosigned; ssra.KindNotFound while there is none.
	CosignedCheckpoint(ctx context.Context) (Cosigned, error)
}
