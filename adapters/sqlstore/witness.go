package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	fnote "github.com/transparency-dev/formats/note"
	"golang.org/x/mod/sumdb/note"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// WithWitnesses names the witnesses (见证人) whose cosignatures on the log's
// checkpoints the store accepts and serves (C2SP tlog-cosignature): bodies
// outside the operator, such as a supervising body, that check each
// checkpoint extends the ones they saw before and then sign it with their
// own key. Verifiers come from ParseWitnessKey.
func WithWitnesses(ws ...note.Verifier) Option {
	return func(o *options) { o.log.witnesses = ws }
}

// ParseWitnessKey parses a witness's public verifier key, an Ed25519 key
// as `ssrad logkey generate` prints it or a C2SP cosignature/v1 key, into
// a verifier of the witness's timestamped cosignatures
// (transparency-dev/formats/note).
func ParseWitnessKey(vkey string) (note.Verifier, error) {
	v, err := fnote.NewVerifierForCosignatureV1(strings.TrimSpace(vkey))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: witness key: %w", err)
	}
	return v, nil
}

// NewWitnessSigner makes a witness's signer of cosignature/v1
// cosignatures from a signer key as `ssrad logkey generate` writes it.
func NewWitnessSigner(skey string) (note.Signer, error) {
	s, err := fnote.NewSignerForCosignatureV1(strings.TrimSpace(skey))
	if err != nil {
		return nil, fmt.Errorf("sqlstore: witness signer key: %w", err)
	}
	return s, nil
}

// Witnesses returns the names of the witnesses the store accepts.
func (s *Store) Witnesses() []string {
	out := make([]string, len(s.log.cfg.witnesses))
	for i, v := range s.log.cfg.witnesses {
		out[i] = v.Name()
	}
	return out
}

func isWitness(ws []note.Verifier, sig note.Signature) bool {
	for _, v := range ws {
		if v.Name() == sig.Name && v.KeyHash() == sig.Hash {
			return true
		}
	}
	return false
}

// AddCosignatures accepts a checkpoint note carrying cosignatures of
// configured witnesses: the note's text must be a checkpoint this log
// stored (same origin, size and root), and every signature by a
// configured witness must verify. It stores the new cosignatures (a
// witness's second cosignature of one checkpoint is ignored) and returns
// the checkpoint with all it now has. A note with no valid cosignature of
// a configured witness, or not of this log, is ssra.KindInvalid naming
// the field "checkpoint".
func (s *Store) AddCosignatures(ctx context.Context, signed []byte) (store.Cosigned, error) {
	const op = "sqlstore.AddCosignatures"
	ws := s.log.cfg.witnesses
	refuse := func(format string, args ...any) error {
		var ps ssra.Problems
		ps.Add("invalid", "checkpoint", format, args...)
		return ps.Err(op)
	}
	if len(ws) == 0 {
		return store.Cosigned{}, refuse("this log has no witnesses configured (-witness-keys): no cosignature can be accepted")
	}
	n, err := note.Open(signed, note.VerifierList(ws...))
	var unverified *note.UnverifiedNoteError
	switch {
	case errors.As(err, &unverified):
		return store.Cosigned{}, refuse("carries no cosignature of a configured witness (%s)", strings.Join(s.Witnesses(), ", "))
	case err != nil:
		return store.Cosigned{}, refuse("is not a cosigned checkpoint note: %v", err)
	}
	cp, err := openCheckpoint([]byte(n.Text), nil)
	if err != nil {
		return store.Cosigned{}, refuse("is not a checkpoint: %v", err)
	}
	stored, _, err := s.storedCheckpoint(ctx, s.r, int64(cp.Size))
	if errors.Is(err, sql.ErrNoRows) || (err == nil && checkpointText(stored) != n.Text) {
		return store.Cosigned{}, refuse("is not a checkpoint of this log (origin %q, size %d): the log has no such tree", cp.Origin, cp.Size)
	}
	if err != nil {
		return store.Cosigned{}, internal(op, err)
	}
	at := s.tv(s.stamp())
	for _, sig := range n.Sigs {
		if !isWitness(ws, sig) {
			continue
		}
		if _, err := s.w.ExecContext(ctx, s.q(`INSERT INTO audit_cosignatures (size, witness, key_hash, signature, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (size, witness, key_hash) DO NOTHING`), int64(cp.Size), sig.Name, int64(sig.Hash), sig.Base64, at); err != nil {
			return store.Cosigned{}, internal(op, err)
		}
	}
	return s.cosigned(ctx, int64(cp.Size))
}

// CosignedCheckpoint returns the checkpoint of the largest tree that
// witnesses have cosigned, with every cosignature it has;
// ssra.KindNotFound while none has been.
func (s *Store) CosignedCheckpoint(ctx context.Context) (store.Cosigned, error) {
	const op = "sqlstore.CosignedCheckpoint"
	var size int64
	err := s.r.QueryRowContext(ctx, `SELECT size FROM audit_cosignatures ORDER BY size DESC LIMIT 1`).Scan(&size)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Cosigned{}, ssra.Errorf(ssra.KindNotFound, op, "no witness has cosigned a checkpoint of this log yet")
	}
	if err != nil {
		return store.Cosigned{}, internal(op, err)
	}
	return s.cosigned(ctx, size)
}

// cosigned assembles the checkpoint of size with its cosignatures.
func (s *Store) cosigned(ctx context.Context, size int64) (store.Cosigned, error) {
	const op = "sqlstore.CosignedCheckpoint"
	stored, signed, err := s.storedCheckpoint(ctx, s.r, size)
	if err != nil {
		return store.Cosigned{}, internal(op, err)
	}
	cosigs, err := s.cosignatures(ctx, s.r, size)
	if err != nil {
		return store.Cosigned{}, internal(op, err)
	}
	n, err := splitNote(stored, signed)
	if err != nil {
		return store.Cosigned{}, internal(op, err)
	}
	out := store.Cosigned{Size: size}
	for _, c := range cosigs {
		n.UnverifiedSigs = append(n.UnverifiedSigs, c)
		out.Witnesses = append(out.Witnesses, c.Name)
	}
	if out.Note, err = note.Sign(n); err != nil {
		return store.Cosigned{}, internal(op, err)
	}
	return out, nil
}

// storedCheckpoint reads the checkpoint note of size as the sequencer
// stored it; sql.ErrNoRows when there is none.
func (s *Store) storedCheckpoint(ctx context.Context, q querier, size int64) (string, bool, error) {
	var text string
	var signed any
	err := q.QueryRowContext(ctx, s.q(`SELECT note, signed FROM audit_checkpoints WHERE size = ?`), size).Scan(&text, &signed)
	return text, truthy(signed), err
}

// cosignatures reads the witnesses' signatures of the checkpoint of size.
func (s *Store) cosignatures(ctx context.Context, q querier, size int64) ([]note.Signature, error) {
	rows, err := q.QueryContext(ctx, s.q(`SELECT witness, key_hash, signature FROM audit_cosignatures WHERE size = ? ORDER BY witness, key_hash`), size)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []note.Signature
	for rows.Next() {
		var sig note.Signature
		var hash int64
		if err := rows.Scan(&sig.Name, &hash, &sig.Base64); err != nil {
			return nil, err
		}
		sig.Hash = uint32(hash)
		out = append(out, sig)
	}
	return out, rows.Err()
}

// checkpointText is the checkpoint text of a stored note: the note's text
// before its signatures, or all of it when it is unsigned.
func checkpointText(stored string) string {
	if i := strings.Index(stored, "\n\n"); i >= 0 {
		return stored[:i+1]
	}
	return stored
}

// splitNote parses a stored checkpoint note into its text and its
// signatures, unverified (the log's key is checked by whoever reads it).
func splitNote(stored string, signed bool) (*note.Note, error) {
	if !signed {
		return &note.Note{Text: stored}, nil
	}
	_, err := note.Open([]byte(stored), note.VerifierList())
	var unverified *note.UnverifiedNoteError
	if !errors.As(err, &unverified) {
		return nil, fmt.Errorf("stored checkpoint note: %v", err)
	}
	return unverified.Note, nil
}

// checkCosignatures checks every stored cosignature against the checkpoint
// it cosigns and the witnesses' keys: a checkpoint rewritten after a
// witness cosigned it, or removed, is a finding, and so is a cosignature
// that does not verify. Without witness keys the cosignatures are counted
// and not checked.
func (s *Store) checkCosignatures(ctx context.Context, tx *sql.Tx, ws []note.Verifier, rep *store.AuditReport) error {
	rows, err := tx.QueryContext(ctx, `SELECT c.size, c.witness, c.key_hash, c.signature, p.note FROM audit_cosignatures c
		LEFT JOIN audit_checkpoints p ON p.size = c.size ORDER BY c.size, c.witness`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var size, hash int64
		var sig note.Signature
		var stored sql.NullString
		if err := rows.Scan(&size, &sig.Name, &hash, &sig.Base64, &stored); err != nil {
			return err
		}
		sig.Hash = uint32(hash)
		rep.Cosignatures++
		if !stored.Valid {
			find(rep, "witness %s cosigned the checkpoint of size %d, which the log no longer has: checkpoints were removed", sig.Name, size)
			continue
		}
		if len(ws) == 0 {
			continue
		}
		if !isWitness(ws, sig) {
			find(rep, "the checkpoint of size %d carries a cosignature by %s, not one of the witnesses given", size, sig.Name)
			continue
		}
		msg, err := note.Sign(&note.Note{Text: checkpointText(stored.String), UnverifiedSigs: []note.Signature{sig}})
		if err == nil {
			_, err = note.Open(msg, note.VerifierList(ws...))
		}
		if err != nil {
			find(rep, "witness %s's cosignature of the checkpoint of size %d does not verify: the checkpoint was rewritten after the witness saw it, or the cosignature forged (%v)",
				sig.Name, size, err)
		}
	}
	return rows.Err()
}
