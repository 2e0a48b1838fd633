package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// Create stores a new record owned by the actor's organisation, at version
// 1, with its audit event (action, e.g. "complaint.register"), and shares
// it read-only with each organisation in shareWith in the same
// transaction (an unknown one is ssra.KindNotFound, and nothing is
// stored). A duplicate reference within the kind is ssra.KindConflict.
func (s *Store) Create(ctx context.Context, by ssra.Actor, action string, kind store.RecordKind, f store.Fields, shareWith ...string) (store.Record, error) {
	var r store.Record
	err := s.InTx(ctx, by, func(tx *Tx) error {
		var err error
		if r, err = tx.Create(ctx, action, kind, f); err != nil {
			return err
		}
		for _, org := range shareWith {
			if err := tx.Share(ctx, kind, r.ID, org); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return store.Record{}, err
	}
	return r, nil
}

// CreateLinked stores a new record as Create does, without shares, and in
// the same transaction replaces the record link names, at its version, as
// UpdateShared does, with the fields link.Fields returns given the new
// record: a follow-up assessment and the tracking it was opened from are
// stored together or not at all. Its errors are Create's, UpdateShared's
// and link.Fields's.
func (s *Store) CreateLinked(ctx context.Context, by ssra.Actor, action string, kind store.RecordKind, f store.Fields, link store.Link) (created, linked store.Record, err error) {
	err = s.InTx(ctx, by, func(tx *Tx) error {
		var err error
		if created, err = tx.Create(ctx, action, kind, f); err != nil {
			return err
		}
		lf, err := link.Fields(created)
		if err != nil {
			return err
		}
		linked, err = tx.UpdateShared(ctx, link.Action, link.Kind, link.ID, link.Version, lf)
		return err
	})
	if err != nil {
		return store.Record{}, store.Record{}, err
	}
	return created, linked, nil
}

// UpdatePublic is Update as the unscoped System actor, for a member of the
// public who proved their right to the record by the query code inside it
// (a complainant's rating); the audit event names no user.
func (s *Store) UpdatePublic(ctx context.Context, action string, kind store.RecordKind, id string, version int64, f store.Fields) (store.Record, error) {
	return s.Update(ctx, System, action, kind, id, version, f)
}

// Create is Store.Create inside the transaction.
func (w *Tx) Create(ctx context.Context, action string, kind store.RecordKind, f store.Fields) (store.Record, error) {
	const op = "sqlstore.Create"
	s := w.s
	body, err := f.Validate(op, kind)
	if err != nil {
		return store.Record{}, err
	}
	if isSystem(w.by) {
		return store.Record{}, ssra.Errorf(ssra.KindForbidden, op, "records belong to an organisation; the system actor has none")
	}
	r := store.Record{
		ID: newID(), Kind: kind, OrgID: w.by.OrgID, Status: f.Status, Reference: f.Reference, Name: f.Name,
		DueOn: f.DueOn, Version: 1, Body: body, Digest: Digest(body), CreatedBy: w.by.UserID,
		CreatedAt: w.at, UpdatedAt: w.at,
	}
	err = w.tx.send(ctx, s.q(`INSERT INTO records
		(id, kind, org_id, status, reference, name, due_on, version, body, body_digest, created_by, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
		[]any{r.ID, kind.String(), r.OrgID, r.Status, nullable(r.Reference), r.Name, s.dv(r.DueOn), r.Version,
			string(body), r.Digest, r.CreatedBy, s.tv(r.CreatedAt), s.tv(r.UpdatedAt)},
		writeCheck(op, kind, r.ID, f.Reference))
	if err != nil {
		return store.Record{}, err
	}
	if err := w.event(ctx, action, kind.String(), r.ID, r.Version, "", r.Digest); err != nil {
		return store.Record{}, err
	}
	if err := w.keepFacts(ctx, r, f.Body, ""); err != nil {
		return store.Record{}, err
	}
	return r, nil
}

// writeCheck is the check of a record's INSERT or guarded UPDATE (send):
// a duplicate reference is ssra.KindConflict, a statement that did not
// change exactly one row (the version moved) ssra.KindPreconditionFailed.
func writeCheck(op string, kind store.RecordKind, id, reference string) func(int64, error) error {
	return func(n int64, err error) error {
		switch {
		case isUniqueViolation(err):
			return ssra.Errorf(ssra.KindConflict, op, "a %s with reference %q exists", kind, reference)
		case isGuardFailure(err) || (err == nil && n != 1):
			return ssra.Errorf(ssra.KindPreconditionFailed, op, "%s %q changed meanwhile", kind, id)
		}
		return internal(op, err)
	}
}

const recordColumns = `r.id, r.kind, r.org_id, r.status, r.reference, r.name, r.due_on, r.version, r.body, r.body_digest, r.created_by, r.created_at, r.updated_at`

// visible is the scope condition: the caller's organisation owns the record
// or it was shared with it. It takes the organisation twice.
const visible = `(r.org_id = ? OR EXISTS (SELECT 1 FROM record_shares sh WHERE sh.record_id = r.id AND sh.org_id = ?))`

// scanRecord scans the recordColumns of a row, and then the row's
// further columns into extra.
func (s *Store) scanRecord(sc interface{ Scan(...any) error }, by ssra.Actor, extra ...any) (store.Record, error) {
	return s.scanRow(sc, by, nil, extra...)
}

// scanRecordOf is scanRecord of a row that must be of kind want: a row of
// another kind (any row, for a kind that is not valid) is sql.ErrNoRows,
// as if the query had not found it (recordQuery).
func (s *Store) scanRecordOf(sc interface{ Scan(...any) error }, by ssra.Actor, want store.RecordKind, extra ...any) (store.Record, error) {
	return s.scanRow(sc, by, &want, extra...)
}

// scanRow is scanRecord, and scanRecordOf when want is set.
func (s *Store) scanRow(sc interface{ Scan(...any) error }, by ssra.Actor, want *store.RecordKind, extra ...any) (store.Record, error) {
	var r store.Record
	var kind string
	var ref sql.NullString
	var due day
	var body []byte
	var c, u instant
	dest := append([]any{&r.ID, &kind, &r.OrgID, &r.Status, &ref, &r.Name, &due, &r.Version, &body, &r.Digest, &r.CreatedBy, &c, &u}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return r, err
	}
	if want != nil && (!want.Valid() || kind != want.String()) {
		return store.Record{}, sql.ErrNoRows
	}
	if err := r.Kind.UnmarshalText([]byte(kind)); err != nil {
		return r, err
	}
	r.Reference, r.DueOn, r.CreatedAt, r.UpdatedAt = ref.String, due.d, c.t, u.t
	if s.dialect == Postgres && Digest(body) != r.Digest {
		// A body stored as jsonb before migration 8 kept its value but not
		// the canonical key order or spacing (and an edited body hashes to
		// something else anyway, which audit verify reports). Every body
		// written since is stored as the canonical bytes its digest is of,
		// and a hash of them costs far less than canonicalising.
		canon, err := Canonical(body)
		if err != nil {
			return r, err
		}
		body = canon
	}
	r.Body = body
	r.ReadOnly = !isSystem(by) && r.OrgID != by.OrgID
	return r, nil
}

// Get returns the record of kind with id if the actor's organisation owns
// it or it was shared with it, and ssra.KindNotFound otherwise, so that a
// record of another organisation is indistinguishable from none. Its
// LeafIndex is set once the sequencer has integrated the version's leaf;
// the record and its index are read in one query.
func (s *Store) Get(ctx context.Context, by ssra.Actor, kind store.RecordKind, id string) (store.Record, error) {
	const op = "sqlstore.Get"
	if err := checkActor(op, by); err != nil {
		return store.Record{}, err
	}
	var idx sql.NullInt64
	r, err := s.readWith(ctx, s.r, op, by, kind, id, false, leafIndexColumn, &idx)
	if err != nil {
		return store.Record{}, err
	}
	if idx.Valid {
		r.LeafIndex = &idx.Int64
	}
	return r, nil
}

// leafIndexColumn is the column Get reads after recordColumns: the index
// of the leaf that made the record's version, NULL while it is pending.
const leafIndexColumn = `, (SELECT l.idx FROM audit_leaves l WHERE l.object_id = r.id AND l.version = r.version ORDER BY l.seq LIMIT 1)`

// readWith reads the record of kind with id as by sees it, with more
// columns after recordColumns: columns, each scanned into the next of
// extra.
func (s *Store) readWith(ctx context.Context, q querier, op string, by ssra.Actor, kind store.RecordKind, id string, lock bool, columns string, extra ...any) (store.Record, error) {
	query, args := s.recordQuery(by, id, lock, columns, "")
	r, err := s.scanRecordOf(q.QueryRowContext(ctx, query, args...), by, kind, extra...)
	return r, s.readError(op, kind, id, err)
}

// recordQuery is the query of the record with id as by sees it, with more
// columns after recordColumns and more tables joined (joins). It finds the
// row by its key alone and the caller checks the kind (scanRecordOf): with
// the kind in the condition too, PostgreSQL may plan a cached statement on
// the index records_kind_name (kind, name, id), which finds one id only by
// reading every record of the kind.
func (s *Store) recordQuery(by ssra.Actor, id string, lock bool, columns, joins string) (string, []any) {
	query := `SELECT ` + recordColumns + columns + ` FROM records r` + joins + ` WHERE r.id = ?`
	args := []any{id}
	if !isSystem(by) {
		query += ` AND ` + visible
		args = append(args, by.OrgID, by.OrgID)
	}
	if lock {
		query += ` FOR UPDATE OF r`
	}
	return s.q(query), args
}

// readError is the error of a record's read: none found is
// ssra.KindNotFound.
func (s *Store) readError(op string, kind store.RecordKind, id string, err error) error {
	if errors.Is(err, sql.ErrNoRows) {
		return ssra.Errorf(ssra.KindNotFound, op, "no %s %q", kind, id)
	}
	return internal(op, err)
}

// LookupReference returns the record of kind with a reference number,
// whichever organisation holds it. It is not scoped: it exists for the
// complainant's status check, whose caller proves the right to see the
// record (by the query code inside it) and shows only what that check may.
func (s *Store) LookupReference(ctx context.Context, kind store.RecordKind, reference string) (store.Record, error) {
	const op = "sqlstore.LookupReference"
	if reference == "" {
		return store.Record{}, ssra.Errorf(ssra.KindNotFound, op, "no %s with an empty reference", kind)
	}
	r, err := s.scanRecord(s.r.QueryRowContext(ctx, s.q(`SELECT `+recordColumns+` FROM records r WHERE r.kind = ? AND r.reference = ?`),
		kind.String(), reference), System)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Record{}, ssra.Errorf(ssra.KindNotFound, op, "no %s with reference %q", kind, reference)
	}
	if err != nil {
		return store.Record{}, internal(op, err)
	}
	return r, nil
}

// forWrite loads the record inside a write transaction and checks that the
// actor may change it at the version it read.
func (w *Tx) forWrite(ctx context.Context, op string, kind store.RecordKind, id string, version int64, shared bool) (store.Record, error) {
	// A case's write reads its stored facts with it (keepFacts).
	facts := (kind == store.RecordComplaint || kind == store.RecordDispute) && !w.s.noFacts
	r, err := w.read(ctx, op, kind, id, w.s.dialect == Postgres, facts)
	if err != nil {
		return r, err
	}
	if r.ReadOnly && !shared {
		return r, ssra.Errorf(ssra.KindForbidden, op, "%s %q was shared with your organisation read-only", kind, id)
	}
	if r.Version != version {
		return r, &ssra.Error{Kind: ssra.KindPreconditionFailed, Op: op,
			Message: fmt.Sprintf("%s %q is at version %d, not %d: read it again and reapply the change", kind, id, r.Version, version)}
	}
	return r, nil
}

// getLocked is Tx.Get that, on PostgreSQL, also locks the record's row
// until the transaction ends, so that writers of one record take turns
// (and the version each of them checks is the latest) while writers of
// different records never wait for each other.
func (w *Tx) getLocked(ctx context.Context, op string, kind store.RecordKind, id string) (store.Record, error) {
	return w.read(ctx, op, kind, id, w.s.dialect == Postgres, false)
}

// read reads a record inside the transaction, as the actor sees it; on
// PostgreSQL the statements sent before it travel with it. With facts, a
// case's stored facts come in the same query and are kept in w.prior for
// the write's keepFacts (one round trip fewer on PostgreSQL). They are
// those of the version read: every write of a case's facts first locks
// its record row, and where the row moved while the read waited for its
// lock (PostgreSQL then returns the newer row with the facts row read
// before), the record is at a version no caller could have read, so the
// write is refused as stale and the facts are not used.
func (w *Tx) read(ctx context.Context, op string, kind store.RecordKind, id string, lock, facts bool) (store.Record, error) {
	s := w.s
	var st storedCounts
	var extra []any
	if facts {
		extra = st.dest()
	}
	query, args := s.readQuery(w.by, id, lock, facts)
	var r store.Record
	err := w.tx.queryRow(ctx, query, args, func(sc rowScanner) error {
		var err error
		r, err = s.scanRecordOf(sc, w.by, kind, extra...)
		return err
	})
	if err != nil {
		return store.Record{}, s.readError(op, kind, id, err)
	}
	if facts {
		if w.prior == nil {
			w.prior = map[string]priorCounts{}
		}
		// A facts row that does not read is the write's to mend
		// (keepFacts), not a failure of the read.
		w.prior[r.ID] = st.prior(r.OrgID)
	}
	return r, nil
}

// readQuery is Tx.read's query: the record with id as by sees it, locked
// until the transaction ends when lock is set, and with facts the
// columns of its case_facts row that storedCounts scans (NULL where it
// has none).
func (s *Store) readQuery(by ssra.Actor, id string, lock, facts bool) (string, []any) {
	if !facts {
		return s.recordQuery(by, id, lock, "", "")
	}
	var st storedCounts
	joins := ` LEFT JOIN case_facts f ON f.org_id = r.org_id AND f.record_id = r.id`
	if s.dialect == Postgres {
		// A subquery PostgreSQL keeps as it is (OFFSET 0), so that the
		// facts row is found by both columns of its key, taken from the
		// record row: joined, the planner tests only record_id = the
		// parameter, and a plan cached while the table was small then
		// reads every facts row (a full scan of case_facts, or of its
		// key's index) on every write until the next ANALYZE.
		joins = ` LEFT JOIN LATERAL (SELECT * FROM case_facts c WHERE c.org_id = r.org_id AND c.record_id = r.id OFFSET 0) f ON TRUE`
	}
	return s.recordQuery(by, id, lock, `, `+st.columns(s, "f."), joins)
}

// Get is Store.Get inside the transaction: it sees the transaction's own
// changes.
func (w *Tx) Get(ctx context.Context, kind store.RecordKind, id string) (store.Record, error) {
	return w.read(ctx, "sqlstore.Get", kind, id, false, false)
}

// Update replaces the record's fields if the actor's organisation owns it
// and it is still at version, and stores the change with its audit event.
// A stale version is ssra.KindPreconditionFailed; a record shared with the
// caller read-only is ssra.KindForbidden; one not visible is
// ssra.KindNotFound.
func (s *Store) Update(ctx context.Context, by ssra.Actor, action string, kind store.RecordKind, id string, version int64, f store.Fields) (store.Record, error) {
	var r store.Record
	err := s.InTx(ctx, by, func(tx *Tx) error {
		var err error
		r, err = tx.Update(ctx, action, kind, id, version, f)
		return err
	})
	if err != nil {
		return store.Record{}, err
	}
	return r, nil
}

// Update is Store.Update inside the transaction.
func (w *Tx) Update(ctx context.Context, action string, kind store.RecordKind, id string, version int64, f store.Fields) (store.Record, error) {
	return w.update(ctx, "sqlstore.Update", action, kind, id, version, f, false)
}

// UpdateShared replaces the record's fields if the actor's organisation
// owns it or was shared it, and it is still at version. It is for records
// that several organisations write in turn, each its own part, which the
// caller checks (a measure's owner reports on the tracking that the
// decision body holds); the audit event names the actor as any other. The
// errors are Update's, without the refusal of a shared record.
func (s *Store) UpdateShared(ctx context.Context, by ssra.Actor, action string, kind store.RecordKind, id string, version int64, f store.Fields) (store.Record, error) {
	var r store.Record
	err := s.InTx(ctx, by, func(tx *Tx) error {
		var err error
		r, err = tx.UpdateShared(ctx, action, kind, id, version, f)
		return err
	})
	if err != nil {
		return store.Record{}, err
	}
	return r, nil
}

// UpdateShared is Store.UpdateShared inside the transaction: with a Create
// in the same transaction, a record made from another and the link the
// other keeps to it are stored together or not at all (a follow-up
// assessment and the tracking it was opened from).
func (w *Tx) UpdateShared(ctx context.Context, action string, kind store.RecordKind, id string, version int64, f store.Fields) (store.Record, error) {
	r, err := w.update(ctx, "sqlstore.UpdateShared", action, kind, id, version, f, true)
	if err != nil {
		return store.Record{}, err
	}
	r.ReadOnly = !isSystem(w.by) && r.OrgID != w.by.OrgID
	return r, nil
}

func (w *Tx) update(ctx context.Context, op, action string, kind store.RecordKind, id string, version int64, f store.Fields, shared bool) (store.Record, error) {
	body, err := f.Validate(op, kind)
	if err != nil {
		return store.Record{}, err
	}
	old, err := w.forWrite(ctx, op, kind, id, version, shared)
	if err != nil {
		return store.Record{}, err
	}
	return w.updateFrom(ctx, op, action, old, f, body)
}

// updateFrom writes f, whose body Validate made, as the next version of
// old, which forWrite read in this transaction.
func (w *Tx) updateFrom(ctx context.Context, op, action string, old store.Record, f store.Fields, body []byte) (store.Record, error) {
	s := w.s
	kind, id, version := old.Kind, old.ID, old.Version
	r := old
	r.Status, r.Reference, r.Name, r.DueOn = f.Status, f.Reference, f.Name, f.DueOn
	r.Version, r.Body, r.Digest, r.UpdatedAt = old.Version+1, body, Digest(body), w.at
	err := w.tx.send(ctx, s.guardOne(s.q(`UPDATE records SET status = ?, reference = ?, name = ?, due_on = ?,
		version = ?, body = ?, body_digest = ?, updated_at = ? WHERE id = ? AND version = ?`)),
		[]any{r.Status, nullable(r.Reference), r.Name, s.dv(r.DueOn), r.Version, string(body), r.Digest, s.tv(r.UpdatedAt), id, version},
		writeCheck(op, kind, id, f.Reference))
	if err != nil {
		return store.Record{}, err
	}
	if err := w.event(ctx, action, kind.String(), id, r.Version, old.Digest, r.Digest); err != nil {
		return store.Record{}, err
	}
	if err := w.keepFacts(ctx, r, f.Body, old.OrgID); err != nil {
		return store.Record{}, err
	}
	return r, nil
}

// Share gives organisation orgID read access to a record the actor's
// organisation owns (for example a decision body reading an issued
// assessment). Sharing twice is a no-op.
func (s *Store) Share(ctx context.Context, by ssra.Actor, kind store.RecordKind, id, orgID string) error {
	return s.InTx(ctx, by, func(tx *Tx) error { return tx.Share(ctx, kind, id, orgID) })
}

// Share is Store.Share inside the transaction.
func (w *Tx) Share(ctx context.Context, kind store.RecordKind, id, orgID string) error {
	const op = "sqlstore.Share"
	r, err := w.getLocked(ctx, op, kind, id)
	if err != nil {
		return err
	}
	if r.ReadOnly {
		return ssra.Errorf(ssra.KindForbidden, op, "only the owning organisation shares a %s", kind)
	}
	if orgID == r.OrgID {
		return nil
	}
	added, err := w.share(ctx, op, id, orgID)
	if err != nil || !added {
		return err
	}
	return w.event(ctx, "record.share:"+orgID, kind.String(), id, r.Version, r.Digest, r.Digest)
}

func (w *Tx) orgExists(ctx context.Context, op, orgID string) error {
	var n int
	if err := w.tx.QueryRowContext(ctx, w.s.q(`SELECT COUNT(*) FROM organisations WHERE id = ?`), orgID).Scan(&n); err != nil {
		return internal(op, err)
	}
	if n == 0 {
		return ssra.Errorf(ssra.KindNotFound, op, "no organisation %q", orgID)
	}
	return nil
}

func (w *Tx) share(ctx context.Context, op, recordID, orgID string) (bool, error) {
	if err := w.orgExists(ctx, op, orgID); err != nil {
		return false, err
	}
	var n int
	if err := w.tx.QueryRowContext(ctx, w.s.q(`SELECT COUNT(*) FROM record_shares WHERE record_id = ? AND org_id = ?`), recordID, orgID).Scan(&n); err != nil {
		return false, internal(op, err)
	}
	if n > 0 {
		return false, nil
	}
	if _, err := w.tx.ExecContext(ctx, w.s.q(`INSERT INTO record_shares (record_id, org_id, shared_by, created_at) VALUES (?, ?, ?, ?)`),
		recordID, orgID, w.by.UserID, w.s.tv(w.at)); err != nil {
		return false, internal(op, err)
	}
	return true, nil
}

// Route hands a record the actor's organisation owns, at version, to
// organisation toOrg (a complaint transferred to the competent organ),
// applying f in the same change: toOrg becomes the owner and the sender
// keeps read-only access to what it sent.
func (s *Store) Route(ctx context.Context, by ssra.Actor, action string, kind store.RecordKind, id string, version int64, toOrg string, f store.Fields) (store.Record, error) {
	var r store.Record
	err := s.InTx(ctx, by, func(tx *Tx) error {
		var err error
		r, err = tx.Route(ctx, action, kind, id, version, toOrg, f)
		return err
	})
	if err != nil {
		return store.Record{}, err
	}
	return r, nil
}

// Route is Store.Route inside the transaction.
func (w *Tx) Route(ctx context.Context, action string, kind store.RecordKind, id string, version int64, toOrg string, f store.Fields) (store.Record, error) {
	const op = "sqlstore.Route"
	body, err := f.Validate(op, kind)
	if err != nil {
		return store.Record{}, err
	}
	old, err := w.forWrite(ctx, op, kind, id, version, false)
	if err != nil {
		return store.Record{}, err
	}
	return w.routeFrom(ctx, op, action, old, toOrg, f, body)
}

// routeFrom hands old, which forWrite read in this transaction, to toOrg
// with f, whose body Validate made, as its next version.
func (w *Tx) routeFrom(ctx context.Context, op, action string, old store.Record, toOrg string, f store.Fields, body []byte) (store.Record, error) {
	s := w.s
	kind, id, version := old.Kind, old.ID, old.Version
	if toOrg == old.OrgID {
		return store.Record{}, ssra.Errorf(ssra.KindInvalid, op, "%s %q is already with organisation %q", kind, id, toOrg)
	}
	if err := w.orgExists(ctx, op, toOrg); err != nil {
		return store.Record{}, err
	}
	if _, err := w.share(ctx, op, id, old.OrgID); err != nil {
		return store.Record{}, err
	}
	if _, err := w.tx.ExecContext(ctx, s.q(`DELETE FROM record_shares WHERE record_id = ? AND org_id = ?`), id, toOrg); err != nil {
		return store.Record{}, internal(op, err)
	}
	r := old
	r.OrgID, r.Status, r.Reference, r.Name, r.DueOn = toOrg, f.Status, f.Reference, f.Name, f.DueOn
	r.Version, r.Body, r.Digest, r.UpdatedAt, r.ReadOnly = old.Version+1, body, Digest(body), w.at, true
	if _, err := w.tx.ExecContext(ctx, s.q(`UPDATE records SET org_id = ?, status = ?, reference = ?, name = ?, due_on = ?,
		version = ?, body = ?, body_digest = ?, updated_at = ? WHERE id = ? AND version = ?`),
		r.OrgID, r.Status, nullable(r.Reference), r.Name, s.dv(r.DueOn), r.Version, string(body), r.Digest, s.tv(r.UpdatedAt), id, version); err != nil {
		if isUniqueViolation(err) {
			return store.Record{}, ssra.Errorf(ssra.KindConflict, op, "a %s with reference %q exists", kind, f.Reference)
		}
		return store.Record{}, internal(op, err)
	}
	if err := w.event(ctx, action, kind.String(), id, r.Version, old.Digest, r.Digest); err != nil {
		return store.Record{}, err
	}
	if err := w.keepFacts(ctx, r, f.Body, old.OrgID); err != nil {
		return store.Record{}, err
	}
	return r, nil
}

// Modify reads a record the actor's organisation owns at version, under
// its write lock (the row's lock on PostgreSQL, the single writer on
// SQLite), hands it to change and stores the change, in one transaction:
// on PostgreSQL two round trips, BEGIN with the locking read and the
// changes with COMMIT. A stale version is ssra.KindPreconditionFailed and
// a record shared with the caller read-only ssra.KindForbidden, both
// before change is called; a change naming another organisation routes
// the record as Route does (with Route's errors); after any error,
// change's included, nothing is stored.
func (s *Store) Modify(ctx context.Context, by ssra.Actor, action string, kind store.RecordKind, id string, version int64, change func(store.Record) (store.Change, error)) (store.Record, error) {
	var r store.Record
	err := s.InTx(ctx, by, func(tx *Tx) error {
		var err error
		r, err = tx.Modify(ctx, action, kind, id, version, change)
		return err
	})
	if err != nil {
		return store.Record{}, err
	}
	return r, nil
}

// Modify is Store.Modify inside the transaction.
func (w *Tx) Modify(ctx context.Context, action string, kind store.RecordKind, id string, version int64, change func(store.Record) (store.Change, error)) (store.Record, error) {
	const op = "sqlstore.Modify"
	old, err := w.forWrite(ctx, op, kind, id, version, false)
	if err != nil {
		return store.Record{}, err
	}
	c, err := change(old)
	if err != nil {
		return store.Record{}, err
	}
	body, err := c.Fields.Validate(op, kind)
	if err != nil {
		return store.Record{}, err
	}
	if c.To != "" {
		return w.routeFrom(ctx, op, action, old, c.To, c.Fields, body)
	}
	return w.updateFrom(ctx, op, action, old, c.Fields, body)
}

// SharedWith lists the organisations a record is shared with, for its owner.
func (s *Store) SharedWith(ctx context.Context, by ssra.Actor, kind store.RecordKind, id string) ([]string, error) {
	const op = "sqlstore.SharedWith"
	r, err := s.Get(ctx, by, kind, id)
	if err != nil {
		return nil, err
	}
	if r.ReadOnly {
		return nil, ssra.Errorf(ssra.KindForbidden, op, "only the owning organisation sees whom a %s is shared with", kind)
	}
	rows, err := s.r.QueryContext(ctx, s.q(`SELECT org_id FROM record_shares WHERE record_id = ? ORDER BY org_id`), id)
	if err != nil {
		return nil, internal(op, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var o string
		if err := rows.Scan(&o); err != nil {
			return nil, internal(op, err)
		}
		out = append(out, o)
	}
	return out, internal(op, rows.Err())
}
