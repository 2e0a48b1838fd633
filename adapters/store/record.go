// Package store declares, once, the storage the adapters share: the
// record types (Record, Fields, Query, Page; User, APIKey, Identity;
// Checkpoint, InclusionProof, Cosigned; AuditReport) and the small
// interfaces the REST adapter asks for (Records, Organisations, Cases;
// Users, Keys, Authenticator; Log, Cosignatures, AuditVerifier), which
// adapters/sqlstore implements on SQLite and PostgreSQL and which
// storetest holds every implementation to. It knows no database and no
// HTTP.
//
// Every method documents its errors by ssra.Kind. Scoping is the same
// everywhere: a record of another organisation that was not shared with
// the actor's organisation is ssra.KindNotFound, never ssra.KindForbidden,
// so that its existence is not confirmed.
package store

import (
	"encoding/json"
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/canonical"
)

// RecordKind is what a stored record holds. The set is closed; a new kind
// of resource adds a constant here.
type RecordKind uint8

// The record kinds.
const (
	// RecordAssessment is a risk assessment with its evaluated result and
	// the profile version it used (稳评报告).
	RecordAssessment RecordKind = iota + 1
	// RecordDecision is a decision body's approval decision on an assessment (决策).
	RecordDecision
	// RecordProfile is a stored risk-evaluation profile version.
	RecordProfile
	// RecordScheme is a stored appraisal scheme version (考核方案).
	RecordScheme
	// RecordAppraisalRun is a scheme applied to units or staff for a period (考核).
	RecordAppraisalRun
	// RecordPlan is a work plan with goals, targets, tasks and progress (工作方案).
	RecordPlan
	// RecordComplaint is a letters-and-visits case (信访事项).
	RecordComplaint
	// RecordDispute is a dispute under mediation (矛盾纠纷).
	RecordDispute
	// RecordTracking is the follow-through of the measures an approval
	// imposed (稳评措施落实): held by the decision body, written also by the
	// measures' owners through UpdateShared.
	RecordTracking
	// RecordScreeningPlan is an organ's plan of dispute screening with the
	// rounds its units held (矛盾纠纷排查).
	RecordScreeningPlan
	// RecordRegisterEntry is an issue in the screening register (排查台账).
	RecordRegisterEntry
	// RecordReceptionDay is a leader's reception day of an organisation
	// (领导接访).
	RecordReceptionDay
)

var recordKindNames = [...]string{"", "assessment", "decision", "profile", "scheme", "appraisal_run", "plan", "complaint", "dispute", "tracking", "screening_plan", "register_entry", "reception_day"}

// String returns the kind's snake_case name.
func (k RecordKind) String() string {
	if k.Valid() {
		return recordKindNames[k]
	}
	return "record_kind(" + strconv.Itoa(int(k)) + ")"
}

// Valid reports whether k is a defined kind.
func (k RecordKind) Valid() bool { return k > 0 && int(k) < len(recordKindNames) }

// MarshalText encodes the kind as its name and refuses an undefined kind.
func (k RecordKind) MarshalText() ([]byte, error) {
	if !k.Valid() {
		return nil, fmt.Errorf("store: unknown record kind %d", k)
	}
	return []byte(recordKindNames[k]), nil
}

// UnmarshalText decodes a kind name and rejects unknown text.
func (k *RecordKind) UnmarshalText(b []byte) error {
	for i := 1; i < len(recordKindNames); i++ {
		if recordKindNames[i] == string(b) {
			*k = RecordKind(i)
			return nil
		}
	}
	return fmt.Errorf("store: unknown record kind %q", b)
}

// Fields are the parts of a record its writer sets: the typed columns that
// queries filter on, and the domain value. Status is the workflow state's
// name; Reference a unique reference number within the kind (a complaint's
// 信访件编号), empty for none; Name a secondary key such as a profile's name
// and version; DueOn the next deadline, for overdue and due-soon lists;
// Body the domain value, stored as canonical JSON.
type Fields struct {
	Status    string
	Reference string
	Name      string
	DueOn     ssra.Date
	Body      any
}

// Record is a stored domain value with its metadata. OrgID is the owning
// (handling) organisation. Digest is the SHA-256 digest of the body's
// canonical JSON ("sha256:<hex>", as internal/canonical computes it). ReadOnly is true when the caller sees the record
// through a share and may not change it. Version starts at 1 and grows by
// one with every change; a write names the version it read.
type Record struct {
	ID        string
	Kind      RecordKind
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
	// version, once the log has integrated it: set by Records.Get, nil
	// before integration and on every other answer.
	LeafIndex *int64
}

// Scope selects records by how the caller's organisation holds them. The
// zero value is unset, which List reads as ScopeAll: a Query field left
// empty does not filter.
type Scope uint8

// The scopes.
const (
	// ScopeAll lists records the organisation owns or that were shared with it.
	ScopeAll Scope = iota + 1
	// ScopeOwned lists records the organisation owns.
	ScopeOwned
	// ScopeShared lists records shared with the organisation.
	ScopeShared
)

// Order is the order of a listing. The zero value is unset, which List
// reads as OrderCreated.
type Order uint8

// The orders.
const (
	// OrderCreated lists in creation order (by ID, which is time-ordered).
	OrderCreated Order = iota + 1
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

// Validate checks the fields of a write of a record of kind, naming every
// problem at once (an unknown kind; a status over 64 bytes, a reference
// over 128, a name over 200, any of them not UTF-8; no body), and returns
// the body as canonical JSON, which every implementation stores and
// digests. Problems, and a body that is not a JSON value, are
// ssra.KindInvalid under op.
func (f Fields) Validate(op string, kind RecordKind) ([]byte, error) {
	var ps ssra.Problems
	if !kind.Valid() {
		ps.Add("kind_unknown", "kind", "unknown record kind %d", kind)
	}
	if len(f.Status) > 64 {
		ps.Add("too_long", "status", "must be at most 64 bytes")
	}
	if len(f.Reference) > 128 {
		ps.Add("too_long", "reference", "must be at most 128 bytes")
	}
	if len(f.Name) > 200 {
		ps.Add("too_long", "name", "must be at most 200 bytes")
	}
	if f.Body == nil {
		ps.Add("required", "body", "is required")
	}
	for _, fv := range [...][2]string{{"status", f.Status}, {"reference", f.Reference}, {"name", f.Name}} {
		if !utf8.ValidString(fv[1]) {
			ps.Add("invalid_utf8", fv[0], "is not valid UTF-8")
		}
	}
	if err := ps.Err(op); err != nil {
		return nil, err
	}
	body, err := canonical.JSON(f.Body)
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInvalid, op, err, "body is not a JSON value")
	}
	return body, nil
}
