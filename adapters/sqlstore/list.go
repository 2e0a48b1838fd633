package sqlstore

import (
	"context"
	"encoding/base64"
	"strings"

	"github.com/ssra-go/ssra"
)

// Scope selects records by how the caller's organisation holds them.
type Scope uint8

// The scopes.
const (
	// ScopeAll lists records the organisation owns or that were shared with it.
	ScopeAll Scope = iota
	// ScopeOwned lists records the organisation owns.
	ScopeOwned
	// ScopeShared lists records shared with the organisation.
	ScopeShared
)

// Order is the order of a listing.
type Order uint8

// The orders.
const (
	// OrderCreated lists in creation order (by ID, which is time-ordered).
	OrderCreated Order = iota
	// OrderDue lists records with a due date, earliest first, for overdue
	// and due-soon lists; records without one are left out.
	OrderDue
)

// Query selects records of one kind for List. Empty fields do not filter.
// DueFrom and DueBefore keep records whose DueOn is set and within
// [DueFrom, DueBefore): DueBefore today lists the overdue, DueFrom today
// and DueBefore a few days ahead the due soon. After is the cursor of the
// previous page (Page.Next), valid only with the same query; Limit is at
// most 500 (default 50). MaxBytes, when above zero, bounds a page by the
// size of its records' bodies as well: the page ends before the record
// that would take the total over it, and a record larger than MaxBytes
// comes alone on its page, so that walking the cursor always progresses.
type Query struct {
	Kind      RecordKind
	Scope     Scope
	Status    []string
	Reference string
	Name      string
	DueFrom   ssra.Date
	DueBefore ssra.Date
	Order     Order
	After     string
	Limit     int
	MaxBytes  int
}

// Page is one page of a listing. Next is the opaque cursor of the
// following page, empty on the last one.
type Page struct {
	Records []Record
	Next    string
}

// List returns the records of a kind that the actor's organisation may see,
// filtered by q, in q.Order, a page at a time. A malformed cursor is
// ssra.KindInvalid.
func (s *Store) List(ctx context.Context, by ssra.Actor, q Query) (Page, error) {
	const op = "sqlstore.List"
	if err := checkActor(op, by); err != nil {
		return Page{}, err
	}
	var ps ssra.Problems
	if !q.Kind.Valid() {
		ps.Add("kind_unknown", "kind", "unknown record kind %d", q.Kind)
	}
	if q.Order > OrderDue {
		ps.Add("order_unknown", "order", "unknown order %d", q.Order)
	}
	if q.Scope > ScopeShared {
		ps.Add("scope_unknown", "scope", "unknown scope %d", q.Scope)
	}
	afterDue, afterID, ok := decodeCursor(q.After, q.Order)
	if !ok {
		ps.Add("cursor_invalid", "after", "is not a cursor of this listing")
	}
	if err := ps.Err(op); err != nil {
		return Page{}, err
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
		case ScopeOwned:
			add(`r.org_id = ?`, by.OrgID)
		case ScopeShared:
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
	if !q.DueFrom.IsZero() || !q.DueBefore.IsZero() || q.Order == OrderDue {
		add(`r.due_on IS NOT NULL`)
	}
	if !q.DueFrom.IsZero() {
		add(`r.due_on >= `+date, q.DueFrom.String())
	}
	if !q.DueBefore.IsZero() {
		add(`r.due_on < `+date, q.DueBefore.String())
	}
	order := ` ORDER BY r.id`
	if q.Order == OrderDue {
		order = ` ORDER BY r.due_on, r.id`
		if q.After != "" {
			add(`(r.due_on > `+date+` OR (r.due_on = `+date+` AND r.id > ?))`, afterDue.String(), afterDue.String(), afterID)
		}
	} else if q.After != "" {
		add(`r.id > ?`, afterID)
	}
	query := `SELECT ` + recordColumns + ` FROM records r WHERE ` + strings.Join(where, ` AND `) + order + ` LIMIT ?`
	args = append(args, limit+1)
	rows, err := s.r.QueryContext(ctx, s.q(query), args...)
	if err != nil {
		return Page{}, internal(op, err)
	}
	defer rows.Close()
	var p Page
	size := 0
	for rows.Next() {
		r, err := s.scanRecord(rows, by)
		if err != nil {
			return Page{}, internal(op, err)
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
		return Page{}, internal(op, err)
	}
	if len(p.Records) > limit {
		p.Records = p.Records[:limit]
		p.Next = encodeCursor(p.Records[limit-1], q.Order)
	}
	return p, nil
}

// encodeCursor makes the opaque cursor after r: its ID, and for OrderDue
// its due date too.
func encodeCursor(r Record, o Order) string {
	c := "c:" + r.ID
	if o == OrderDue {
		c = "d:" + r.DueOn.String() + ":" + r.ID
	}
	return base64.RawURLEncoding.EncodeToString([]byte(c))
}

func decodeCursor(cursor string, o Order) (ssra.Date, string, bool) {
	if cursor == "" {
		return ssra.Date{}, "", true
	}
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return ssra.Date{}, "", false
	}
	tag, rest, _ := strings.Cut(string(b), ":")
	switch {
	case o == OrderCreated && tag == "c" && rest != "":
		return ssra.Date{}, rest, true
	case o == OrderDue && tag == "d":
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
