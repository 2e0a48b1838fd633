package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/base64"
	"fmt"

	"github.com/transparency-dev/formats/log"
	"golang.org/x/mod/sumdb/note"
	"golang.org/x/mod/sumdb/tlog"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

const maxFindings = 20

// find adds a finding to r, up to maxFindings of them.
func find(r *store.AuditReport, format string, args ...any) {
	if len(r.Findings) < maxFindings {
		r.Findings = append(r.Findings, fmt.Sprintf(format, args...))
	}
}

// VerifyOptions are what VerifyLog checks the log against from outside
// the database. Verifier is the log's public key: with it every stored
// checkpoint must carry a valid signature by it; without it the store's
// own key is used, and with neither signatures are not checked (the report
// says so). Saved is a checkpoint note saved earlier outside the database:
// the log must be an append-only extension of it. Witnesses are the keys
// of the witnesses whose cosignatures the log stores (default: the
// store's): every stored cosignature must verify against the checkpoint it
// cosigns, as the log holds it now.
type VerifyOptions struct {
	Verifier  note.Verifier
	Saved     []byte
	Witnesses []note.Verifier
	// org scopes the report to one organisation (VerifyOrganisation).
	org string
}

// VerifyAudit is VerifyLog with the store's own key and no saved
// checkpoint.
func (s *Store) VerifyAudit(ctx context.Context) (store.AuditReport, error) {
	return s.VerifyLog(ctx, VerifyOptions{})
}

// VerifyOrganisation verifies the log for one organisation's
// administrator, telling them nothing of the other organisations: the
// tree is checked whole (a record's leaf is only as safe as the tree it
// is in), but the report gives only what the checkpoint gives every key
// holder (the tree's size and root), the organisation's own records
// checked (Records counts only those it holds) and findings about them;
// a failure of the tree itself is one finding that names nothing but the
// number of checks failed, and the figures that are the server's alone
// (Pending, Checkpoints, Cosignatures) are zero. The whole report is
// VerifyAudit's, for the server's operator. An empty orgID is
// KindInvalid.
func (s *Store) VerifyOrganisation(ctx context.Context, orgID string) (store.AuditReport, error) {
	if orgID == "" {
		return store.AuditReport{}, ssra.Errorf(ssra.KindInvalid, "sqlstore.VerifyOrganisation", "no organisation to verify the log for")
	}
	return s.VerifyLog(ctx, VerifyOptions{org: orgID})
}

// recordHead is the leaf that made a record's latest version.
type recordHead struct {
	version int64
	digest  string
}

// VerifyLog recomputes the Merkle tree from the leaves and checks, in one
// snapshot of the database: that leaf indexes run 0, 1, … without gaps up
// to the tree's size; that the stored hashes are the recomputed ones;
// that every stored checkpoint's root is the recomputed tree's root at its
// size and (with a verifier) is signed by the log's key, and the latest
// covers the whole tree; that every stored record's body hashes to its
// digest and that digest and version are those of the latest leaf for the
// record; and, given a saved checkpoint, that the current tree extends it
// (by tlog's consistency proof between the two); that every case's facts
// row is what its record body gives (checkFacts); and that every casework
// rollup cell is the sum of its case facts (checkRollup). A log that fails a check
// is a report with OK false, not an error; errors are database failures.
func (s *Store) VerifyLog(ctx context.Context, o VerifyOptions) (store.AuditReport, error) {
	const op = "sqlstore.VerifyLog"
	if o.Verifier == nil {
		o.Verifier = s.log.cfg.key.Verifier
	}
	if o.Witnesses == nil {
		o.Witnesses = s.log.cfg.witnesses
	}
	txo := &sql.TxOptions{ReadOnly: true}
	if s.dialect == Postgres {
		txo.Isolation = sql.LevelRepeatableRead
	}
	tx, err := s.r.BeginTx(ctx, txo)
	if err != nil {
		return store.AuditReport{}, internal(op, err)
	}
	defer func() { _ = tx.Rollback() }()
	rep := store.AuditReport{Scope: store.AuditScopeServer, Signed: o.Verifier != nil, Witnessed: len(o.Witnesses) > 0}
	var size int64
	if err := tx.QueryRowContext(ctx, `SELECT size FROM audit_tree WHERE id = 1`).Scan(&size); err != nil {
		return store.AuditReport{}, internal(op, err)
	}
	hashes, heads, err := s.recomputeTree(ctx, tx, &rep)
	if err != nil {
		return store.AuditReport{}, internal(op, err)
	}
	mem := memHashes(&hashes)
	if rep.Leaves != size {
		find(&rep, "the tree's recorded size is %d but %d leaves are integrated", size, rep.Leaves)
	}
	root, err := tlog.TreeHash(rep.Leaves, mem)
	if err != nil {
		return store.AuditReport{}, internal(op, err)
	}
	rep.Root = base64.StdEncoding.EncodeToString(root[:])
	if err := s.compareStoredHashes(ctx, tx, hashes, &rep); err != nil {
		return store.AuditReport{}, internal(op, err)
	}
	if err := s.checkCheckpoints(ctx, tx, o.Verifier, rep.Leaves, mem, &rep); err != nil {
		return store.AuditReport{}, internal(op, err)
	}
	if err := s.checkCosignatures(ctx, tx, o.Witnesses, &rep); err != nil {
		return store.AuditReport{}, internal(op, err)
	}
	if o.Saved != nil {
		checkSaved(o, rep.Leaves, root, mem, &rep)
	}
	if o.org != "" {
		scopeReport(&rep, o.org)
	}
	fc := s.newFactsChecker()
	defer func() { _ = fc.wait() }()
	if err := s.checkRecords(ctx, tx, o.org, heads, fc, &rep); err != nil {
		return store.AuditReport{}, internal(op, err)
	}
	if err := s.checkFacts(ctx, tx, o.org, fc, &rep); err != nil {
		return store.AuditReport{}, internal(op, err)
	}
	if err := s.checkRollup(ctx, tx, o.org, &rep); err != nil {
		return store.AuditReport{}, internal(op, err)
	}
	rep.OK = len(rep.Findings) == 0
	return rep, nil
}

// scopeReport cuts a report of the tree down to what one organisation may
// read: the figures that are the server's are zeroed, and the tree's
// findings, which may name leaves and records of any organisation, become
// one that names none.
func scopeReport(r *store.AuditReport, org string) {
	r.Scope, r.OrgID = store.AuditScopeOrganisation, org
	r.Pending, r.Checkpoints, r.Cosignatures = 0, 0, 0
	if n := len(r.Findings); n > 0 {
		r.Findings = []string{fmt.Sprintf("the log's tree fails %d check(s): the server's operator can read which (ssrad audit verify)", n)}
	}
}

// memHashes reads stored hashes recomputed in memory.
func memHashes(hashes *[]tlog.Hash) tlog.HashReader {
	return tlog.HashReaderFunc(func(ix []int64) ([]tlog.Hash, error) {
		out := make([]tlog.Hash, len(ix))
		for i, x := range ix {
			if x < 0 || x >= int64(len(*hashes)) {
				return nil, fmt.Errorf("hash %d is beyond the tree", x)
			}
			out[i] = (*hashes)[x]
		}
		return out, nil
	})
}

// recomputeTree reads every leaf in index order and computes tlog's
// stored hashes from their bytes; pending leaves count only towards the
// records' latest versions.
func (s *Store) recomputeTree(ctx context.Context, tx *sql.Tx, rep *store.AuditReport) ([]tlog.Hash, map[string]recordHead, error) {
	rows, err := tx.QueryContext(ctx, `SELECT idx, data FROM `+allLeaves+` ORDER BY idx IS NULL, idx, seq`)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	var hashes []tlog.Hash
	mem := memHashes(&hashes)
	heads := map[string]recordHead{}
	gap := false
	for rows.Next() {
		var idx sql.NullInt64
		var data string
		if err := rows.Scan(&idx, &data); err != nil {
			return nil, nil, err
		}
		if idx.Valid {
			if idx.Int64 != rep.Leaves {
				if !gap {
					find(rep, "leaf %d is missing (the next stored leaf is %d): leaves were removed", rep.Leaves, idx.Int64)
				}
				gap = true
			}
			if !gap {
				hs, err := tlog.StoredHashes(rep.Leaves, []byte(data), mem)
				if err != nil {
					return nil, nil, err
				}
				hashes = append(hashes, hs...)
				rep.Leaves++
			}
		} else {
			rep.Pending++
		}
		l, err := ParseLeaf([]byte(data))
		if err != nil {
			find(rep, "leaf %d is not a leaf of this log: %v", idx.Int64, err)
			continue
		}
		var k store.RecordKind
		if k.UnmarshalText([]byte(l.ObjectKind)) != nil {
			continue
		}
		key := l.ObjectKind + "/" + l.ObjectID
		if h, ok := heads[key]; !ok || l.Version > h.version {
			heads[key] = recordHead{version: l.Version, digest: l.AfterDigest}
		}
	}
	return hashes, heads, rows.Err()
}

// compareStoredHashes checks the hashes proofs are served from against
// the recomputed ones.
func (s *Store) compareStoredHashes(ctx context.Context, tx *sql.Tx, hashes []tlog.Hash, rep *store.AuditReport) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, hash FROM audit_hashes ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	n := int64(0)
	bad := false
	for rows.Next() {
		var id int64
		var h []byte
		if err := rows.Scan(&id, &h); err != nil {
			return err
		}
		if !bad && (id != n || id >= int64(len(hashes)) || !bytes.Equal(h, hashes[id][:])) {
			level, at := tlog.SplitStoredHashIndex(id)
			find(rep, "stored hash %d (level %d, node %d) is not the one the leaves give: proofs served from it would be false", id, level, at)
			bad = true
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if !bad && n != int64(len(hashes)) {
		find(rep, "%d hashes are stored for a tree that needs %d", n, len(hashes))
	}
	return nil
}

// checkCheckpoints checks every stored checkpoint against the recomputed
// tree and the log's key.
func (s *Store) checkCheckpoints(ctx context.Context, tx *sql.Tx, v note.Verifier, leaves int64, mem tlog.HashReader, rep *store.AuditReport) error {
	rows, err := tx.QueryContext(ctx, `SELECT size, root, note FROM audit_checkpoints ORDER BY size`)
	if err != nil {
		return err
	}
	defer rows.Close()
	var last int64
	for rows.Next() {
		var size int64
		var root []byte
		var text string
		if err := rows.Scan(&size, &root, &text); err != nil {
			return err
		}
		rep.Checkpoints++
		last = size
		cp, err := openCheckpoint([]byte(text), v)
		switch {
		case err != nil:
			find(rep, "checkpoint of size %d: %v", size, err)
			continue
		case int64(cp.Size) != size || !bytes.Equal(cp.Hash, root):
			find(rep, "checkpoint of size %d: its note says size %d, root %x", size, cp.Size, cp.Hash)
			continue
		case size > leaves:
			find(rep, "checkpoint of size %d is beyond the tree of %d leaves: leaves it covers were removed", size, leaves)
			continue
		}
		th, err := tlog.TreeHash(size, mem)
		if err != nil {
			return err
		}
		if !bytes.Equal(th[:], cp.Hash) {
			find(rep, "checkpoint of size %d: the leaves give root %s, the checkpoint says %s: leaves it covers were changed",
				size, base64.StdEncoding.EncodeToString(th[:]), base64.StdEncoding.EncodeToString(cp.Hash))
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if last != leaves {
		find(rep, "the latest checkpoint covers %d leaves but the tree has %d: leaves were added outside the sequencer", last, leaves)
	}
	return nil
}

// openCheckpoint parses a checkpoint note, checking its signature by v
// when v is given.
func openCheckpoint(text []byte, v note.Verifier) (*log.Checkpoint, error) {
	if v == nil {
		// Unsigned, or signed by a key the verifier was not given: the
		// checkpoint text is the note's text either way.
		body := text
		if i := bytes.Index(text, []byte("\n\n")); i >= 0 {
			body = text[:i+1]
		}
		var cp log.Checkpoint
		if _, err := cp.Unmarshal(body); err != nil {
			return nil, err
		}
		return &cp, nil
	}
	cp, _, _, err := log.ParseCheckpoint(text, v.Name(), v)
	if err != nil {
		return nil, fmt.Errorf("not signed by the log's key %s: %v", v.Name(), err)
	}
	return cp, nil
}

// checkSaved checks that the tree extends a checkpoint saved outside the
// database.
func checkSaved(o VerifyOptions, leaves int64, root tlog.Hash, mem tlog.HashReader, rep *store.AuditReport) {
	cp, err := openCheckpoint(o.Saved, o.Verifier)
	if err != nil {
		find(rep, "the saved checkpoint: %v", err)
		return
	}
	size := int64(cp.Size)
	if size > leaves {
		find(rep, "the saved checkpoint covers %d leaves but the log has %d: the log was truncated", size, leaves)
		return
	}
	var old tlog.Hash
	copy(old[:], cp.Hash)
	if size == 0 {
		return
	}
	proof, err := tlog.ProveTree(leaves, size, mem)
	if err == nil {
		err = tlog.CheckTree(proof, leaves, root, size, old)
	}
	if err != nil {
		find(rep, "the log is not an append-only extension of the saved checkpoint of size %d: %v", size, err)
	}
}

// checkRecords checks every stored record's body against its digest and
// its digest and version against the latest leaf for it: the records org
// holds, or every record when org is empty. It hands each case, with its
// stored facts row, to the facts checker fc (one reading of the bodies for
// both checks).
func (s *Store) checkRecords(ctx context.Context, tx *sql.Tx, org string, heads map[string]recordHead, fc *factsChecker, rep *store.AuditReport) error {
	var st storedFacts
	rows, err := tx.QueryContext(ctx, s.q(`SELECT r.kind, r.id, r.version, r.body, r.body_digest, r.org_id, `+st.columns(s)+`
		FROM records r LEFT JOIN case_facts f ON f.org_id = r.org_id AND f.record_id = r.id
		WHERE (? = '' OR r.org_id = ?) ORDER BY r.id`), org, org)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, id, digest, owner string
		var version int64
		var body []byte
		st = storedFacts{}
		if err := rows.Scan(append([]any{&kind, &id, &version, &body, &digest, &owner}, st.dest()...)...); err != nil {
			return err
		}
		if isCase(kind) {
			fc.check(id, kind, owner, body, &st)
		}
		rep.Records++
		canon, err := Canonical(body)
		if err != nil || Digest(canon) != digest {
			find(rep, "%s %s: its stored body does not hash to its digest: the body was edited", kind, id)
			continue
		}
		h, ok := heads[kind+"/"+id]
		switch {
		case !ok:
			find(rep, "%s %s has no leaf in the log", kind, id)
		case h.version != version:
			find(rep, "%s %s is at version %d but its latest leaf is for version %d", kind, id, version, h.version)
		case h.digest != digest:
			find(rep, "%s %s: its body is not the one its latest leaf (version %d) records: the record was edited", kind, id, version)
		}
	}
	return rows.Err()
}
