package rest

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"io"
	"sync"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// Record is a stored domain value as the store returns it: the owning
// organisation, the typed columns, the version for optimistic concurrency
// and the value as JSON. ReadOnly is true when the caller sees the record
// through a share. Digest is the SHA-256 digest of the body's canonical
// JSON ("sha256:<hex>", as internal/canonical computes it).
type Record struct {
	ID        string
	Kind      string
	OrgID     string
	Status    string
	Reference string
	Name      string
	DueOn     ssra.Date
	Version   int64
	Body      json.RawMessage
	Digest    string
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time
	ReadOnly  bool
	// LeafIndex is the index of the transparency log's leaf that made this
	// version, once the sequencer has integrated it (nil before, and on
	// lists).
	LeafIndex *int64
}

// Fields are what a write sets: the typed columns (Status, Reference, Name,
// DueOn, the next deadline) and the domain value, stored as JSON.
type Fields struct {
	Status    string
	Reference string
	Name      string
	DueOn     ssra.Date
	Body      any
}

// Query selects records of one kind. Empty fields do not filter. Scope is
// "" (owned or shared), "owned" or "shared"; ByDue orders by due date and
// leaves out records without one; DueFrom and DueBefore bound DueOn to
// [DueFrom, DueBefore). After is the previous page's cursor. MaxBytes,
// when above zero, bounds a page by its records' body sizes as well as by
// Limit: the page ends before the record that would take it over, and a
// larger record comes alone.
type Query struct {
	Kind      string
	Scope     string
	Status    []string
	Name      string
	DueFrom   ssra.Date
	DueBefore ssra.Date
	ByDue     bool
	After     string
	Limit     int
	MaxBytes  int
}

// Link is the second write of Store.CreateLinked: the record of Kind
// with ID, at Version, owned by the actor's organisation or shared with it,
// takes the fields Fields returns given the record just created, and the
// change is audited as Action.
type Link struct {
	Action  string
	Kind    string
	ID      string
	Version int64
	Fields  func(created Record) (Fields, error)
}

// Page is one page of a listing; Next is the cursor of the following page,
// empty on the last.
type Page struct {
	Records []Record
	Next    string
}

// AuditReport is the result of verifying the transparency log: the tree's
// size (Leaves) and root, how many records were checked, whether
// checkpoint signatures (Signed) and witness cosignatures (Witnessed) were
// checked with keys, and, when a check failed, what was found. Scope says
// whose it is. The server's operator gets the whole log's ("server"):
// every record, and the figures that are the server's alone, the leaves
// still Pending and the Checkpoints and Cosignatures stored. An
// organisation's administrator gets their organisation's
// ("organisation", OrgID): the tree is checked whole, but Records counts
// the records the organisation holds, findings name only those, a failure
// of the tree itself is one finding naming nothing, and the server's
// figures are left out (nil).
type AuditReport struct {
	Scope        string   `json:"scope"`
	OrgID        string   `json:"org_id,omitempty"`
	Leaves       int64    `json:"leaves"`
	Pending      *int64   `json:"pending,omitempty"`
	Root         string   `json:"root"`
	Records      int64    `json:"records"`
	Checkpoints  *int64   `json:"checkpoints,omitempty"`
	Signed       bool     `json:"signed"`
	Cosignatures *int64   `json:"cosignatures,omitempty"`
	Witnessed    bool     `json:"witnessed"`
	OK           bool     `json:"ok"`
	Findings     []string `json:"findings,omitempty"`
}

// The scopes of an AuditReport.
const (
	AuditScopeServer       = "server"
	AuditScopeOrganisation = "organisation"
)

// Store is the storage the resource routes need; cmd/ssrad binds it to
// adapters/sqlstore. Every method documents its errors by ssra.Kind: a
// record of another organisation that was not shared with the actor is
// KindNotFound (never KindForbidden), a stale version is
// KindPreconditionFailed, a write to a record seen through a share is
// KindForbidden, a duplicate reference is KindConflict. Each write is one
// transaction together with its audit event (action names the change, such
// as "assessment.submit").
type Store interface {
	// Create stores a new record owned by the actor's organisation at
	// version 1 and, in the same transaction, shares it read-only with each
	// organisation in shareWith (an unknown organisation is KindNotFound).
	Create(ctx context.Context, by ssra.Actor, action, kind string, f Fields, shareWith ...string) (Record, error)
	// Get returns a record the actor's organisation owns or was shared.
	Get(ctx context.Context, by ssra.Actor, kind, id string) (Record, error)
	// Update replaces a record the actor's organisation owns, at version.
	Update(ctx context.Context, by ssra.Actor, action, kind, id string, version int64, f Fields) (Record, error)
	// UpdateShared replaces a record the actor's organisation owns or was
	// shared, at version: for a record that several organisations write
	// in turn, each its own part, which the route checks before (a
	// measure's owner reporting on the tracking the decision body holds).
	// Its errors are Update's, except that a shared record is written.
	UpdateShared(ctx context.Context, by ssra.Actor, action, kind, id string, version int64, f Fields) (Record, error)
	// CreateLinked stores a new record owned by the actor's organisation,
	// as Create does without shares, and in the same transaction replaces
	// the record link names, at its version, as UpdateShared does, with
	// the fields link.Fields returns given the new record: a record made
	// from another (a follow-up assessment opened from a tracking, which
	// keeps the follow-up's id) is stored with its link or not at all. Its
	// errors are Create's, UpdateShared's and link.Fields's; after any of
	// them nothing is stored.
	CreateLinked(ctx context.Context, by ssra.Actor, action, kind string, f Fields, link Link) (created, linked Record, err error)
	// Route hands a record at version to organisation toOrg, which becomes
	// its owner; the sender keeps read-only access.
	Route(ctx context.Context, by ssra.Actor, action, kind, id string, version int64, toOrg string, f Fields) (Record, error)
	// Share gives organisation orgID read-only access to a record the
	// actor's organisation owns.
	Share(ctx context.Context, by ssra.Actor, kind, id, orgID string) error
	// List returns a page of the records the actor's organisation may see.
	// A malformed cursor is KindInvalid.
	List(ctx context.Context, by ssra.Actor, q Query) (Page, error)
	// LookupReference returns the record of kind with a reference number,
	// whichever organisation holds it, for the complainant's status check;
	// none is KindNotFound.
	LookupReference(ctx context.Context, kind, reference string) (Record, error)
	// UpdatePublic replaces a record found by LookupReference, at version,
	// on behalf of a member of the public who proved their right to it
	// (a complainant's rating); the audit log names no user.
	UpdatePublic(ctx context.Context, action, kind, id string, version int64, f Fields) (Record, error)
	// VerifyAudit verifies the whole transparency log and names what
	// fails, for the server's operator (scope "server").
	VerifyAudit(ctx context.Context) (AuditReport, error)
	// VerifyOrganisationAudit verifies the log for the administrator of
	// organisation orgID (scope "organisation"): the report says nothing
	// of another organisation's records or of the server's figures.
	VerifyOrganisationAudit(ctx context.Context, orgID string) (AuditReport, error)
	// OrganisationName returns an organisation's name; an unknown one is
	// KindNotFound.
	OrganisationName(ctx context.Context, id string) (string, error)
	// CaseStats sums the casework indicator facts of the complaints and
	// disputes the actor's organisation holds or was shared, as the query
	// selects and groups them; stability.GroupFigures turns the result into
	// figures. A query without a measuring time is KindInvalid.
	CaseStats(ctx context.Context, by ssra.Actor, q StatsQuery) (map[stability.GroupKey]stability.Tally, error)
	// OrganisationUsers returns the users of an organisation, by identifier
	// and name, for the confidentiality guard of a route; an unknown
	// organisation is KindNotFound.
	OrganisationUsers(ctx context.Context, id string) ([]stability.Member, error)
	// UserOrganisation returns the organisation of a user; an unknown user
	// is KindNotFound.
	UserOrganisation(ctx context.Context, userID string) (string, error)
	// OrganisationsAbove returns the identifiers of the organisations above
	// an organisation in the hierarchy (上级机关), its parent first, up to
	// the root; none for a root. An unknown organisation is KindNotFound.
	OrganisationsAbove(ctx context.Context, id string) ([]string, error)
	// OrganisationsBelow returns the identifiers of every organisation
	// below an organisation in the hierarchy (下级机关), in any order. An
	// unknown organisation is KindNotFound.
	OrganisationsBelow(ctx context.Context, id string) ([]string, error)
	// MatterHoldings tells the repeat-filing guard which of the
	// organisations orgs hold a complaint whose matter key is key, each
	// as a stability.Holding with the matter key, the holding organisation
	// and the case's repeat state set, and nothing else of the case. It is
	// not scoped: the caller names only the organisations whose holdings
	// the asker may know of.
	MatterHoldings(ctx context.Context, key string, orgs []string) ([]stability.Holding, error)
	// AuditReads records in the audit log, in one transaction, that the
	// actor read each record (its kind, id, version and digest) in full:
	// an event that changes nothing, named action (such as
	// "complaint.read"). Who read a complainant's identity, when, and
	// which case, is then on the record.
	AuditReads(ctx context.Context, by ssra.Actor, action string, recs []Record) error
}

// Resources configures the stored-resource routes. Store is required; the
// other fields take the defaults named on them.
type Resources struct {
	Store Store
	// Now is the clock (default time.Now); the domain never reads one.
	Now func() time.Time
	// Calendar is the working-day calendar deadlines are counted with
	// (default: ssra.StateCouncilCalendar, the official holidays and
	// make-up working days; ssra.WeekendsOnly only when chosen).
	Calendar ssra.Calendar
	// Random is the source of complaint reference numbers and query codes
	// (default crypto/rand).
	Random io.Reader
	// PageBytes bounds a list page by the size of its records' stored
	// bodies, whatever its limit (default 4 MiB: a page of 500 large cases
	// once came to 36 MB). A record larger than the bound comes alone on
	// its page.
	PageBytes int
	// PublicLimit is how many requests one client address may make to the
	// complainant's status check per PublicWindow (default 30).
	PublicLimit int
	// PublicWindow is the window of PublicLimit (default 1 minute).
	PublicWindow time.Duration
	// PublicFailureTime is the earliest a failed status check or rating
	// (an unknown reference or a wrong code, which answer alike) answers
	// after its lookup began (default 5 ms), so that the two cannot be
	// told apart by the time they take.
	PublicFailureTime time.Duration
	// Log is the transparency log the audit routes serve (none without).
	Log AuditLog

	// profiles caches the compiled preset profiles by name: a preset is
	// immutable, and compiling it on every request would dominate a write.
	profiles sync.Map
}

func (r *Resources) defaults() {
	if r.Calendar.Name() == "" {
		r.Calendar = ssra.StateCouncilCalendar()
	}
	if r.Now == nil {
		r.Now = time.Now
	}
	if r.Random == nil {
		r.Random = rand.Reader
	}
	if r.PageBytes <= 0 {
		r.PageBytes = 4 << 20
	}
	if r.PublicLimit == 0 {
		r.PublicLimit = 30
	}
	if r.PublicWindow <= 0 {
		r.PublicWindow = time.Minute
	}
	if r.PublicFailureTime <= 0 {
		r.PublicFailureTime = 5 * time.Millisecond
	}
}

// The record kinds the routes store; they are the storage's kind names.
const (
	kindAssessment = "assessment"
	kindDecision   = "decision"
	kindComplaint  = "complaint"
	kindTracking   = "tracking"
)
