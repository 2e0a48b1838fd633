package rest

import (
	"context"
	"crypto/rand"
	"io"
	"sync"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

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
// adapters/sqlstore. The record, directory and casework parts are the
// interfaces adapters/store declares for every storage implementation;
// the audit verification is the REST adapter's own, whose report says
// whose it is.
type Store interface {
	store.Records
	store.Organisations
	store.Cases
	// VerifyAudit verifies the whole transparency log and names what
	// fails, for the server's operator (scope "server").
	VerifyAudit(ctx context.Context) (AuditReport, error)
	// VerifyOrganisationAudit verifies the log for the administrator of
	// organisation orgID (scope "organisation"): the report says nothing
	// of another organisation's records or of the server's figures.
	VerifyOrganisationAudit(ctx context.Context, orgID string) (AuditReport, error)
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
