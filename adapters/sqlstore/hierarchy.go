package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// The organisation hierarchy (上下级机关): each organisation has at most one
// parent, and no organisation is its own ancestor. The store keeps the
// second rule when a parent is set (under the administrative lock, so that
// two changes at once cannot close a cycle between them), and the queries
// below would stop on a cycle all the same.

// orgColumns are the columns scanOrg reads, in order.
const orgColumns = `id, name, created_at, parent_id`

type rowScanner interface{ Scan(dest ...any) error }

func scanOrg(r rowScanner) (Organisation, error) {
	var o Organisation
	var at instant
	var parent sql.NullString
	err := r.Scan(&o.ID, &o.Name, &at, &parent)
	o.CreatedAt, o.Parent = at.t, parent.String
	return o, err
}

// organisation reads one organisation; an unknown one is KindNotFound.
func (s *Store) organisation(ctx context.Context, q querier, op, id string) (Organisation, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, s.q(`SELECT `+orgColumns+` FROM organisations WHERE id = ?`), id))
	if errors.Is(err, sql.ErrNoRows) {
		return o, ssra.Errorf(ssra.KindNotFound, op, "no organisation %q", id)
	}
	return o, internal(op, err)
}

// organisations reads the organisations a query selects (orgColumns).
func (s *Store) organisations(ctx context.Context, q querier, op, query string, args ...any) ([]Organisation, error) {
	rows, err := q.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return nil, internal(op, err)
	}
	defer rows.Close()
	var out []Organisation
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, internal(op, err)
		}
		out = append(out, o)
	}
	return out, internal(op, rows.Err())
}

// SetOrganisationParent makes parent the organisation above id (上级机关),
// or makes id a root when parent is empty, in one audited transaction
// (action organisation.parent), and returns the organisation as changed.
// Only System changes the hierarchy (KindForbidden). An unknown id is
// KindNotFound; an unknown parent, the organisation itself or one of its
// descendants as parent (a cycle) is KindInvalid with a problem naming the
// field parent.
func (s *Store) SetOrganisationParent(ctx context.Context, by ssra.Actor, id, parent string) (Organisation, error) {
	const op = "sqlstore.SetOrganisationParent"
	if !isSystem(by) {
		return Organisation{}, ssra.Errorf(ssra.KindForbidden, op, "only the system administrator changes the organisation hierarchy")
	}
	var o Organisation
	err := s.administrative(ctx, op, by, func(w *Tx) error {
		old, err := s.organisation(ctx, w.tx, op, id)
		if err != nil {
			return err
		}
		o, err = w.setParent(ctx, old, parent)
		return err
	})
	return o, err
}

// setParent sets o's parent inside the transaction, refusing an unknown
// parent and a cycle, and queues the audit event.
func (w *Tx) setParent(ctx context.Context, o Organisation, parent string) (Organisation, error) {
	const op = "sqlstore.SetOrganisationParent"
	s := w.s
	refuse := func(code, format string, args ...any) (Organisation, error) {
		var ps ssra.Problems
		ps.Add(code, "parent", format, args...)
		return o, ps.Err(op)
	}
	if parent != "" {
		if _, err := s.organisation(ctx, w.tx, op, parent); ssra.KindOf(err) == ssra.KindNotFound {
			return refuse("organisation.parent_unknown", "no organisation has this identifier")
		} else if err != nil {
			return o, err
		}
		if parent == o.ID {
			return refuse("organisation.parent_cycle", "an organisation cannot be its own parent")
		}
		up, err := s.above(ctx, w.tx, op, parent)
		if err != nil {
			return o, err
		}
		for _, a := range up {
			if a.ID == o.ID {
				return refuse("organisation.parent_cycle", "the parent is below this organisation in the hierarchy; an organisation cannot be its own ancestor")
			}
		}
	}
	before, err := digestOf(o)
	if err != nil {
		return o, err
	}
	var p any
	if parent != "" {
		p = parent
	}
	if _, err := w.tx.ExecContext(ctx, s.q(`UPDATE organisations SET parent_id = ? WHERE id = ?`), p, o.ID); err != nil {
		return o, internal(op, err)
	}
	o.Parent = parent
	after, err := digestOf(o)
	if err != nil {
		return o, err
	}
	return o, w.event(ctx, "organisation.parent", "organisation", o.ID, 0, before, after)
}

// OrganisationsAbove returns the identifiers of the organisations above
// id in the hierarchy, its parent first, then the parent's parent, up to
// the root; none for a root. It is not scoped: the hierarchy is part of
// the directory. An unknown organisation is KindNotFound.
func (s *Store) OrganisationsAbove(ctx context.Context, id string) ([]string, error) {
	const op = "sqlstore.OrganisationsAbove"
	os, err := s.above(ctx, s.r, op, id)
	return orgIDs(os), err
}

// orgIDs returns the identifiers of organisations; nil stays nil.
func orgIDs(os []Organisation) []string {
	if os == nil {
		return nil
	}
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.ID
	}
	return out
}

// above walks up from id one parent at a time; a cycle (which the store
// never writes) ends the walk rather than looping.
func (s *Store) above(ctx context.Context, q querier, op, id string) ([]Organisation, error) {
	o, err := s.organisation(ctx, q, op, id)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{o.ID: true}
	var out []Organisation
	for o.Parent != "" && !seen[o.Parent] {
		if o, err = s.organisation(ctx, q, op, o.Parent); err != nil {
			return nil, err
		}
		seen[o.ID] = true
		out = append(out, o)
	}
	return out, nil
}

// OrganisationsBelow returns the identifiers of every organisation below
// id in the hierarchy (its children, their children, and so on), in order
// of identifier. It is not scoped. An unknown organisation is
// KindNotFound.
func (s *Store) OrganisationsBelow(ctx context.Context, id string) ([]string, error) {
	const op = "sqlstore.OrganisationsBelow"
	// One query: the organisation itself first (none: it is unknown),
	// then those below it. UNION (not UNION ALL) drops rows already
	// found, so the recursion ends even on a cycle.
	rows, err := s.r.QueryContext(ctx, s.q(`WITH RECURSIVE below (id) AS (
			SELECT id FROM organisations WHERE parent_id = ?
			UNION
			SELECT o.id FROM organisations o JOIN below b ON o.parent_id = b.id)
		SELECT 0, id FROM organisations WHERE id = ?
		UNION ALL
		SELECT 1, b.id FROM below b WHERE b.id <> ?
		ORDER BY 1, 2`), id, id, id)
	if err != nil {
		return nil, internal(op, err)
	}
	defer rows.Close()
	var out []string
	known := false
	for rows.Next() {
		var below int
		var o string
		if err := rows.Scan(&below, &o); err != nil {
			return nil, internal(op, err)
		}
		if below == 0 {
			known = true
			continue
		}
		out = append(out, o)
	}
	if err := rows.Err(); err != nil {
		return nil, internal(op, err)
	}
	if !known {
		return nil, ssra.Errorf(ssra.KindNotFound, op, "no organisation %q", id)
	}
	return out, nil
}

// prefixed qualifies each of a comma-separated list of columns.
func prefixed(prefix, columns string) string {
	cs := strings.Split(columns, ", ")
	for i := range cs {
		cs[i] = prefix + cs[i]
	}
	return strings.Join(cs, ", ")
}

// MatterHoldings answers the repeat-filing guard's one question across the
// hierarchy: which of the organisations above org and below it (its
// line: 上级机关 and 下级机关) hold a complaint whose matter key (the
// records' name column, stability.Matter.Key) is key, and how far each
// case got. It returns, for each such case, the matter key, the holding
// organisation with its name and its relation to org, and the case's
// repeat state, ordered by organisation, and nothing else of it: no
// reference, content or person leaves the store. The line and the cases
// are found by one query, so that a registration asks the database once
// however deep the hierarchy is. It is not scoped beyond the line; an
// empty key, an unknown organisation or one alone in its line finds
// nothing.
func (s *Store) MatterHoldings(ctx context.Context, key, org string) ([]stability.Holding, error) {
	const op = "sqlstore.MatterHoldings"
	if key == "" {
		return nil, nil
	}
	query, args := s.holdingsSQL(key, org)
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, internal(op, err)
	}
	defer rows.Close()
	out, err := readHoldings(op, rows, key)
	return out, internal(op, err)
}

// MatterCases answers the repeat-filing guard's two questions at once:
// the complaints of matter key key that by's organisation may see, the
// first limit of them as List finds them (store.Query{Kind:
// store.RecordComplaint, Name: key, Limit: limit}), and what
// MatterHoldings answers for by's organisation. On PostgreSQL the two
// reads travel in one pipeline, one round trip; each reads what was
// committed when it ran, as two separate reads would.
func (s *Store) MatterCases(ctx context.Context, by ssra.Actor, key string, limit int) ([]store.Record, []stability.Holding, error) {
	const op = "sqlstore.MatterCases"
	q := store.Query{Kind: store.RecordComplaint, Name: key, Limit: limit}
	if err := checkActor(op, by); err != nil {
		return nil, nil, err
	}
	if key == "" {
		// As in MatterHoldings, an empty key finds nothing (in List an
		// empty name would filter nothing).
		return nil, nil, nil
	}
	if s.dialect != Postgres {
		page, err := s.List(ctx, by, q)
		if err != nil {
			return nil, nil, err
		}
		held, err := s.MatterHoldings(ctx, key, by.OrgID)
		return page.Records, held, err
	}
	listQuery, listArgs, n, err := s.listSQL(op, by, &q)
	if err != nil {
		return nil, nil, err
	}
	heldQuery, heldArgs := s.holdingsSQL(key, by.OrgID)
	conn, err := s.r.Conn(ctx)
	if err != nil {
		return nil, nil, internal(op, err)
	}
	defer conn.Close()
	var page store.Page
	var held []stability.Holding
	err = conn.Raw(func(dc any) error {
		sc, ok := dc.(*stdlib.Conn)
		if !ok {
			return fmt.Errorf("the PostgreSQL driver connection is a %T, not pgx's", dc)
		}
		var b pgx.Batch
		b.Queue(listQuery, listArgs...)
		b.Queue(heldQuery, heldArgs...)
		br := sc.Conn().SendBatch(ctx, &b)
		defer br.Close()
		rows, err := br.Query()
		if err != nil {
			return err
		}
		page, err = s.readPage(rows, by, q, n)
		rows.Close()
		if err != nil {
			return err
		}
		if rows, err = br.Query(); err != nil {
			return err
		}
		held, err = readHoldings(op, rows, key)
		rows.Close()
		if err != nil {
			return err
		}
		return br.Close()
	})
	if err != nil {
		return nil, nil, internal(op, err)
	}
	return page.Records, held, nil
}

// holdingsSQL is MatterHoldings' query, in the dialect's placeholders,
// with its arguments.
func (s *Store) holdingsSQL(key, org string) (string, []any) {
	// UNION (not UNION ALL) drops rows already found, so that both walks
	// end even on a cycle, which the store never writes; an organisation
	// found both ways (only on a cycle) counts as above.
	return s.q(`WITH RECURSIVE up (id) AS (
			SELECT parent_id FROM organisations WHERE id = ? AND parent_id IS NOT NULL
			UNION
			SELECT o.parent_id FROM organisations o JOIN up u ON o.id = u.id WHERE o.parent_id IS NOT NULL),
		down (id) AS (
			SELECT id FROM organisations WHERE parent_id = ?
			UNION
			SELECT o.id FROM organisations o JOIN down d ON o.parent_id = d.id),
		line (id, superior) AS (
			SELECT id, 1 FROM up WHERE id <> ?
			UNION ALL
			SELECT id, 0 FROM down WHERE id <> ? AND id NOT IN (SELECT id FROM up))
		SELECT r.org_id, l.superior, o.name, r.body FROM line l
			JOIN records r ON r.kind = ? AND r.name = ? AND r.org_id = l.id
			JOIN organisations o ON o.id = l.id
		ORDER BY r.org_id, r.id`), []any{org, org, org, org, store.RecordComplaint.String(), key}
}

// readHoldings reads holdingsSQL's rows: for each case its holding
// organisation, name and relation, and the repeat state decoded from its
// body, which goes no further; a body that does not decode is op's
// internal error.
func readHoldings(op string, rows rowsReader, key string) ([]stability.Holding, error) {
	var out []stability.Holding
	for rows.Next() {
		var h stability.Holding
		var superior int
		var body []byte
		if err := rows.Scan(&h.Organ, &superior, &h.Name, &body); err != nil {
			return nil, err
		}
		var c stability.Complaint
		if err := json.Unmarshal(body, &c); err != nil {
			return nil, ssra.Wrap(ssra.KindInternal, op, err, "a stored complaint does not decode")
		}
		h.MatterKey, h.State, h.Relation = key, c.RepeatState(), stability.RelationSubordinate
		if superior == 1 {
			h.Relation = stability.RelationSuperior
		}
		out = append(out, h)
	}
	return out, rows.Err()
}
