package rest

import (
	"crypto/rand"
	"io"
	"sync"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// Store is the storage the resource routes need: the interfaces
// adapters/store declares for every storage implementation, which
// adapters/sqlstore implements and cmd/ssrad passes in.
type Store interface {
	store.Records
	store.Organisations
	store.Cases
	store.AuditVerifier
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
