package sqlstore

import (
	"context"
	"encoding/json"

	"github.com/ssra-go/ssra"
)

// Repo binds a record kind to the Go type of its domain value, so that the
// REST adapter stores and reads domain types (riskeval.Assessment,
// stability.Complaint, …) without handling JSON. Its methods are Store's,
// with the value in place of Fields.Body.
type Repo[T any] struct {
	s    *Store
	kind RecordKind
}

// NewRepo returns the repository of records of kind holding values of T.
func NewRepo[T any](s *Store, kind RecordKind) Repo[T] { return Repo[T]{s: s, kind: kind} }

// Item is a record with its decoded value.
type Item[T any] struct {
	Record
	Value T
}

func (r Repo[T]) item(rec Record, err error) (Item[T], error) {
	if err != nil {
		return Item[T]{}, err
	}
	return Decode[T](rec)
}

// Decode returns a record with its body decoded as T, for records read or
// written through a Tx. A body that does not decode is ssra.KindInternal.
func Decode[T any](rec Record) (Item[T], error) {
	it := Item[T]{Record: rec}
	if err := json.Unmarshal(rec.Body, &it.Value); err != nil {
		return Item[T]{}, ssra.Wrap(ssra.KindInternal, "sqlstore.Decode", err, "stored "+rec.Kind.String()+" does not decode")
	}
	return it, nil
}

// Create stores v as a new record with the metadata in f (f.Body is ignored).
func (r Repo[T]) Create(ctx context.Context, by ssra.Actor, action string, f Fields, v T) (Item[T], error) {
	f.Body = v
	return r.item(r.s.Create(ctx, by, action, r.kind, f))
}

// Get returns the record with id, as Store.Get.
func (r Repo[T]) Get(ctx context.Context, by ssra.Actor, id string) (Item[T], error) {
	return r.item(r.s.Get(ctx, by, r.kind, id))
}

// Update replaces the record at version with v and f, as Store.Update.
func (r Repo[T]) Update(ctx context.Context, by ssra.Actor, action, id string, version int64, f Fields, v T) (Item[T], error) {
	f.Body = v
	return r.item(r.s.Update(ctx, by, action, r.kind, id, version, f))
}

// Route hands the record at version to organisation toOrg with v and f, as
// Store.Route.
func (r Repo[T]) Route(ctx context.Context, by ssra.Actor, action, id string, version int64, toOrg string, f Fields, v T) (Item[T], error) {
	f.Body = v
	return r.item(r.s.Route(ctx, by, action, r.kind, id, version, toOrg, f))
}

// List returns a page of records, as Store.List; q.Kind is set to the
// repository's kind.
func (r Repo[T]) List(ctx context.Context, by ssra.Actor, q Query) ([]Item[T], string, error) {
	q.Kind = r.kind
	p, err := r.s.List(ctx, by, q)
	if err != nil {
		return nil, "", err
	}
	out := make([]Item[T], 0, len(p.Records))
	for _, rec := range p.Records {
		it, err := r.item(rec, nil)
		if err != nil {
			return nil, "", err
		}
		out = append(out, it)
	}
	return out, p.Next, nil
}
