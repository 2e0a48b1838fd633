package store

import (
	"context"
	"encoding/json"

	"github.com/ssra-go/ssra"
)

// AuditScope says whose an AuditReport is. The zero value is unset and
// cannot be encoded.
type AuditScope uint8

// The scopes of an AuditReport.
const (
	// AuditScopeServer is the whole log's report, for the server's
	// operator (服务运维).
	AuditScopeServer AuditScope = iota + 1
	// AuditScopeOrganisation is one organisation's report, for its
	// administrator.
	AuditScopeOrganisation
)

var auditScopes = ssra.NewEnum[AuditScope]("audit scope",
	ssra.M("server", "全局", "server"),
	ssra.M("organisation", "本机构", "organisation"))

// String returns the scope's name.
func (s AuditScope) String() string { return auditScopes.String(s) }

// Valid reports whether s is a defined scope.
func (s AuditScope) Valid() bool { return auditScopes.Valid(s) }

// MarshalText encodes the scope as its name and refuses an unset one.
func (s AuditScope) MarshalText() ([]byte, error) { return auditScopes.MarshalText(s) }

// UnmarshalText decodes a scope name and rejects unknown text.
func (s *AuditScope) UnmarshalText(b []byte) error { return auditScopes.UnmarshalText(s, b) }

// AuditReport is the result of verifying the transparency log (透明日志):
// the tree's size (Leaves) and root hash (base64), how many records were
// checked against their latest leaf, whether checkpoint signatures
// (Signed) and witness cosignatures (Witnessed) were checked with keys,
// how many cases' facts (CaseFacts) were derived again from their record
// bodies and compared with their stored case facts rows, how many casework
// rollup cells (RollupCells) were recomputed from the case facts, and,
// when a check failed, what was found (at most 20 findings about the log,
// the most telling first, then one for every case whose facts row differs
// from its body, is missing, is of no case or does not read, naming its
// record ID and organisation only, and one for every rollup cell that
// differs from its facts or does not read, naming its organisation, month
// and kind of case). A log that fails a check is a
// report with OK false, not an error.
//
// Scope says whose it is. The server's operator gets the whole log's
// (AuditScopeServer): every record, and the figures that are the server's
// alone, the leaves still Pending and the Checkpoints and Cosignatures
// stored. An organisation's administrator gets their organisation's
// (AuditScopeOrganisation, OrgID): the tree is checked whole, but Records
// counts the records the organisation holds, findings name only those, a
// failure of the tree itself is one finding naming nothing, and the
// server's figures are zero and left out of its JSON.
type AuditReport struct {
	Scope        AuditScope `json:"scope"`
	OrgID        string     `json:"org_id,omitempty"`
	Leaves       int64      `json:"leaves"`
	Pending      int64      `json:"pending"`
	Root         string     `json:"root"`
	Records      int64      `json:"records"`
	CaseFacts    int64      `json:"case_facts"`
	RollupCells  int64      `json:"rollup_cells"`
	Checkpoints  int64      `json:"checkpoints"`
	Signed       bool       `json:"signed"`
	Cosignatures int64      `json:"cosignatures"`
	Witnessed    bool       `json:"witnessed"`
	OK           bool       `json:"ok"`
	Findings     []string   `json:"findings,omitempty"`
}

// MarshalJSON encodes the report, without the server's figures (pending,
// checkpoints, cosignatures) when it is an organisation's: their absence,
// not a zero, tells a reader they were not given.
func (r AuditReport) MarshalJSON() ([]byte, error) {
	type plain AuditReport
	if r.Scope != AuditScopeOrganisation {
		return json.Marshal(plain(r))
	}
	return json.Marshal(struct {
		plain
		Pending      *int64 `json:"pending,omitempty"`
		Checkpoints  *int64 `json:"checkpoints,omitempty"`
		Cosignatures *int64 `json:"cosignatures,omitempty"`
	}{plain: plain(r)})
}

// AuditVerifier verifies the transparency log against the records, for
// the server's operator and for an organisation's administrator. Errors
// are failures of the storage itself (ssra.KindInternal); an empty orgID
// is ssra.KindInvalid.
type AuditVerifier interface {
	// VerifyAudit verifies the whole log and names what fails
	// (AuditScopeServer).
	VerifyAudit(ctx context.Context) (AuditReport, error)
	// VerifyOrganisation verifies the log for the administrator of
	// organisation orgID (AuditScopeOrganisation): the report says
	// nothing of another organisation's records or of the server's
	// figures.
	VerifyOrganisation(ctx context.Context, orgID string) (AuditReport, error)
}
