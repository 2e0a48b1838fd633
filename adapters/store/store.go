package store

import (
	"context"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// Link is the second write of Records.CreateLinked: the record of Kind
// with ID, at Version, owned by the actor's organisation or shared with it,
// takes the fields Fields returns given the record just created, and the
// change is audited as Action.
type Link struct {
	Action  string
	Kind    RecordKind
	ID      string
	Version int64
	Fields  func(created Record) (Fields, error)
}

// Change is what the function given to Records.Modify makes of the record
// it was handed: the record's new fields and, when it goes to another
// organisation, that organisation (To; empty: it stays with its owner).
type Change struct {
	Fields Fields
	To     string
}

// Records stores domain values as records scoped to organisations. Every
// write is one transaction together with its audit event (action names
// the change, such as "assessment.submit"). Errors by kind, for every
// method: a record of another organisation that was not shared with the
// actor is ssra.KindNotFound; a stale version is
// ssra.KindPreconditionFailed; a write to a record seen through a share is
// ssra.KindForbidden; a duplicate reference within a kind is
// ssra.KindConflict; fields over their limits (status 64 bytes, reference
// 128, name 200, not UTF-8, no body), an unknown kind or an actor without
// a user or organisation is ssra.KindInvalid or
// ssra.KindUnauthenticated (the actor); whatever the storage itself
// reports is ssra.KindInternal.
type Records interface {
	// Create stores a new record owned by the actor's organisation at
	// version 1 and, in the same transaction, shares it read-only with
	// each organisation in shareWith (an unknown organisation is
	// ssra.KindNotFound, and nothing is stored).
	Create(ctx context.Context, by ssra.Actor, action string, kind RecordKind, f Fields, shareWith ...string) (Record, error)
	// Get returns a record the actor's organisation owns or was shared,
	// with its LeafIndex once the transparency log has integrated it.
	Get(ctx context.Context, by ssra.Actor, kind RecordKind, id string) (Record, error)
	// Update replaces a record the actor's organisation owns, at version.
	Update(ctx context.Context, by ssra.Actor, action string, kind RecordKind, id string, version int64, f Fields) (Record, error)
	// UpdateShared replaces a record the actor's organisation owns or was
	// shared, at version: for a record that several organisations write
	// in turn, each its own part, which the caller checks before (a
	// measure's owner reporting on the tracking the decision body holds).
	// Its errors are Update's, except that a shared record is written.
	UpdateShared(ctx context.Context, by ssra.Actor, action string, kind RecordKind, id string, version int64, f Fields) (Record, error)
	// CreateLinked stores a new record owned by the actor's organisation,
	// as Create does without shares, and in the same transaction replaces
	// the record link names, at its version, as UpdateShared does, with
	// the fields link.Fields returns given the new record: a record made
	// from another (a follow-up assessment opened from a tracking) is
	// stored with its link or not at all. Its errors are Create's,
	// UpdateShared's and link.Fields's; after any of them nothing is
	// stored.
	CreateLinked(ctx context.Context, by ssra.Actor, action string, kind RecordKind, f Fields, link Link) (created, linked Record, err error)
	// Route hands a record the actor's organisation owns, at version, to
	// organisation toOrg with f applied: toOrg becomes its owner and the
	// sender keeps read-only access. An unknown toOrg is
	// ssra.KindNotFound; the owner itself is ssra.KindInvalid.
	Route(ctx context.Context, by ssra.Actor, action string, kind RecordKind, id string, version int64, toOrg string, f Fields) (Record, error)
	// Modify changes a record the actor's organisation owns, at version,
	// in one transaction: it reads the record under its write lock, hands
	// it to change, and stores what change returns, as Update does, or,
	// when the change names another organisation, as Route does (To
	// becomes the owner). A stale version or a read-only share is refused
	// as by Update before change is called; after any error, change's
	// own included, nothing is stored. change may read the store but not
	// write it.
	Modify(ctx context.Context, by ssra.Actor, action string, kind RecordKind, id string, version int64, change func(Record) (Change, error)) (Record, error)
	// Share gives organisation orgID read-only access to a record the
	// actor's organisation owns; sharing twice, or with the owner, changes
	// nothing. An unknown orgID is ssra.KindNotFound.
	Share(ctx context.Context, by ssra.Actor, kind RecordKind, id, orgID string) error
	// List returns a page of the records the actor's organisation may see,
	// as q selects them. A malformed cursor, an unknown kind, scope or
	// order is ssra.KindInvalid.
	List(ctx context.Context, by ssra.Actor, q Query) (Page, error)
	// LookupReference returns the record of kind with a reference number,
	// whichever organisation holds it, for the complainant's status check;
	// none (or an empty reference) is ssra.KindNotFound.
	LookupReference(ctx context.Context, kind RecordKind, reference string) (Record, error)
	// UpdatePublic replaces a record found by LookupReference, at version,
	// on behalf of a member of the public who proved their right to it
	// (a complainant's rating); the audit event names no user. Its errors
	// are Update's, without the scoping.
	UpdatePublic(ctx context.Context, action string, kind RecordKind, id string, version int64, f Fields) (Record, error)
	// AuditReads records in the audit log, in one transaction, that the
	// actor read each record (its kind, id, version and digest) in full:
	// an event that changes nothing, named action (such as
	// "complaint.read").
	AuditReads(ctx context.Context, by ssra.Actor, action string, recs []Record) error
}

// Organisations answers the questions the routes ask of the directory of
// organisations and users, unscoped: the caller asks only about the
// organisations its own rules name. An unknown organisation or user is
// ssra.KindNotFound; what the storage reports is ssra.KindInternal.
type Organisations interface {
	// OrganisationName returns an organisation's name.
	OrganisationName(ctx context.Context, id string) (string, error)
	// OrganisationUsers returns the users of an organisation, by
	// identifier and name, for the confidentiality guard of a route.
	OrganisationUsers(ctx context.Context, id string) ([]stability.Member, error)
	// UserOrganisation returns the organisation of a user.
	UserOrganisation(ctx context.Context, userID string) (string, error)
	// OrganisationsAbove returns the identifiers of the organisations
	// above an organisation in the hierarchy (上级机关), its parent first,
	// up to the root; none for a root.
	OrganisationsAbove(ctx context.Context, id string) ([]string, error)
	// OrganisationsBelow returns the identifiers of every organisation
	// below an organisation in the hierarchy (下级机关), in any order.
	OrganisationsBelow(ctx context.Context, id string) ([]string, error)
}

// StatsQuery selects and groups the cases the casework indicators are
// computed over (see Cases.CaseStats). Filter's Organs are handling
// organisations; with Shared, cases shared with those organisations count
// too (under their handling organisation). Now is the measuring time: an
// open duty due before its civil date is overdue.
type StatsQuery struct {
	Filter   stability.CaseFilter
	Grouping stability.Grouping
	Shared   bool
	Now      time.Time
}

// Cases answers the casework questions that read many cases at once
// without handing any case out.
type Cases interface {
	// CaseStats sums the casework indicator facts of the complaints and
	// disputes the actor's organisation holds or was shared, as the query
	// selects and groups them; stability.GroupFigures turns the result
	// into figures. A query without a measuring time is ssra.KindInvalid.
	CaseStats(ctx context.Context, by ssra.Actor, q StatsQuery) (map[stability.GroupKey]stability.Tally, error)
	// MatterHoldings tells the repeat-filing guard which of the
	// organisations above org and below it in the hierarchy hold a
	// complaint whose matter key is key, each as a stability.Holding
	// with the matter key, the holding organisation, its name and
	// relation to org, and the case's repeat state set, and nothing else
	// of the case. It is not scoped beyond org's line of the hierarchy.
	MatterHoldings(ctx context.Context, key, org string) ([]stability.Holding, error)
	// MatterCases asks the repeat-filing guard's two questions at once:
	// the complaints whose matter key is key that by's organisation may
	// see, the first limit of them as List finds them (Query{Kind:
	// RecordComplaint, Name: key, Limit: limit}), and MatterHoldings'
	// answer for by's organisation. An empty key finds nothing. A store
	// may answer both in one round trip to its database; each read sees
	// what was committed when it ran, as two separate reads would.
	MatterCases(ctx context.Context, by ssra.Actor, key string, limit int) ([]Record, []stability.Holding, error)
}
