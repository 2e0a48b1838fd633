package sqlstore

import (
	"context"

	"github.com/ssra-go/ssra/adapters/store"
)

// WithoutFacts turns the casework facts of s off or on again: the write
// benchmark's baseline, the same write path with nothing else changed.
func WithoutFacts(s *Store, off bool) { s.noFacts = off }

// SendStaleUpdate sends, in the transaction, the guarded update of a record
// at a version it is not at (which the store's own writes never send: they
// lock the row and check its version first), as update sends it.
func SendStaleUpdate(w *Tx, id string, version int64) error {
	s := w.s
	return w.tx.send(context.Background(), s.guardOne(s.q(`UPDATE records SET status = ? WHERE id = ? AND version = ?`)),
		[]any{"stale", id, version}, writeCheck("test", store.RecordComplaint, id, ""))
}
