package sqlstore

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// List returns the records of a kind that the actor's organisation may see,
// filtered by q, in q.Order, a page at a time. A malformed cursor is
// ssra.KindInvalid.
func (s *Store) List(ctx context.Context, by ssra.Actor, q store.Query) (store.Page, error) {
	const op = "sqlstore.List"
	query, args, limit, err := s.listSQL(op, by, &q)
	if err != nil {
		return store.Page{}, err
	}
	rows, err := s.r.QueryContext(ctx, query, args...)
	if err != nil {
		return store.Page{}, internal(op, err)
	}
	defer rows.Close()
	p, err := s.readPage(rows, by, q, limit)
	return p, internal(op, err)
}

// rowsReader is what readPage reads: database/sql's rows, or pgx's.
type rowsReader interface {
	Next() bool
	Scan(dest ...any) error
	Err() error
}

// listSQL checks q (and sets its defaults) and makes List's query, in the
// dialect's placeholders, with its arguments and the page's limit.
func (s *Store) listSQL(op string, by ssra.Actor, q *store.Query) (string, []any, int, error) {
	if err := checkActor(op, by); err != nil {
		return "", nil, 0, err
	}
	if q.Scope == 0 {
		q.Scope = store.ScopeAll
	}
	if q.Order == 0 {
		q.Order = store.OrderCreated
	}
	var ps ssra.Problems
	if !q.Kind.Valid() {
		ps.Add("kind_unknown", "kind", "unknown record kind %d", q.Kind)
	}
	if q.Order > store.OrderDue {
		ps.Add("order_unknown", "order", "unknown order %d", q.Order)
	}
	if q.Scope > store.ScopeShared {
		ps.Add("scope_unknown", "scope", "unknown scope %d", q.Scope)
	}
	afterDue, afterID, ok := decodeCursor(q.After, q.Order)
	if !ok {
		ps.Add("cursor_invalid", "after", "is not a cursor of this listing")
	}
	if err := ps.Err(op); err != nil {
		return "", nil, 0, err
	}
	limit := q.Limit
	switch {
	case limit <= 0:
		limit = 50
	case limit > 500:
		limit = 500
	}
	var where []string
	args := []any{}
	add := func(cond string, a ...any) { where = append(where, cond); args = append(args, a...) }
	date := `?`
	if s.dialect == Postgres {
		date = `CAST(? AS DATE)`
	}
	add(`r.kind = ?`, q.Kind.String())
	if !isSystem(by) {
		switch q.Scope {
		case store.ScopeOwned:
			add(`r.org_id = ?`, by.OrgID)
		case store.ScopeShared:
			add(`EXISTS (SELECT 1 FROM record_shares sh WHERE sh.record_id = r.id AND sh.org_id = ?)`, by.OrgID)
		default:
			add(visible, by.OrgID, by.OrgID)
		}
	}
	if len(q.Status) > 0 {
		add(`r.status IN (?`+strings.Repeat(`, ?`, len(q.Status)-1)+`)`, anys(q.Status)...)
	}
	if q.Reference != "" {
		add(`r.reference = ?`, q.Reference)
	}
	if q.Name != "" {
		add(`r.name = ?`, q.Name)
	}
	if q.DueFrom.IsZero() && q.DueBefore.IsZero() && q.Order == store.OrderDue {
		// Only without a bound on the due date: a bound implies it, and
		// said again PostgreSQL counted it twice, expected a few rows, and
		// read and sorted all of an organisation's overdue records instead
		// of reading the due index in order up to the page's limit.
		add(`r.due_on IS NOT NULL`)
	}
	if !q.DueFrom.IsZero() {
		add(`r.due_on >= `+date, q.DueFrom.String())
	}
	if !q.DueBefore.IsZero() {
		add(`r.due_on < `+date, q.DueBefore.String())
	}
	order := ` ORDER BY r.id`
	if q.Order == store.OrderDue {
		order = ` ORDER BY r.due_on, r.id`
		if q.After != "" {
			add(`(r.due_on > `+date+` OR (r.due_on = `+date+` AND r.id > ?))`, afterDue.String(), afterDue.String(), afterID)
		}
	} else if q.After != "" {
		add(`r.id > ?`, afterID)
	}
	query := `SELECT ` + recordColumns + ` FROM records r WHERE ` + strings.Join(where, ` AND `) + order + ` LIMIT ?`
	args = append(args, limit+1)
	return s.q(query), args, limit, nil
}

// readPage reads the page of listSQL's rows: up to limit records, and
// the cursor after the last when there are more (or when q.MaxBytes ends
// the page first).
func (s *Store) readPage(rows rowsReader, by ssra.Actor, q store.Query, limit int) (store.Page, error) {
	var p store.Page
	size := 0
	for rows.Next() {
		r, err := s.scanRecord(rows, by)
		if err != nil {
			return store.Page{}, err
		}
		size += len(r.Body)
		if q.MaxBytes > 0 && size > q.MaxBytes && len(p.Records) > 0 {
			// The page is full by size: it ends before r.
			p.Next = encodeCursor(p.Records[len(p.Records)-1], q.Order)
			return p, nil
		}
		p.Records = append(p.Records, r)
	}
	if err := rows.Err(); err != nil {
		return store.Page{}, err
	}
	if len(p.Records) > limit {
		p.Records = p.Records[:limit]
		p.Next = encodeCursor(p.Records[limit-1], q.Order)
	}
	return p, nil
}

// encodeCursor makes the opaque cursor after r: its ID, and for OrderDue
// its due date too.
func encodeCursor(r store.Record, o store.Order) string {
	c := "c:" + r.ID
	if o == store.OrderDue {
		c = "d:" + r.DueOn.String() + ":" + r.ID
	}
	return base64.RawURLEncoding.EncodeToString([]byte(c))
}

func decodeCursor(cursor string, o store.Order) (ssra.Date, string, bool) {
	if cursor == "" {
		return ssra.Date{}, "", true
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return ssra.Date{}, "", false
	}
	tag, rest, _ := strings.Cut(string(b), ":")
	switch {
	case o == store.OrderCreated && tag == "c" && rest != "":
		return ssra.Date{}, rest, true
	case o == store.OrderDue && tag == "d":
		ds, id, ok := strings.Cut(rest, ":")
		d, err := ssra.ParseDate(ds)
		if !ok || err != nil || d.IsZero() || id == "" {
			return ssra.Date{}, "", false
		}
		return d, id, true
	}
	return ssra.Date{}, "", false
}

func anys(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
