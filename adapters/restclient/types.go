package restclient

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/riskeval"
	"github.com/ssra-go/ssra/stability"
)

// IDName is an identifier with its display name.
type IDName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Me is who the key belongs to (GET /v1/me).
type Me struct {
	User         IDName      `json:"user"`
	Organisation IDName      `json:"organisation"`
	Roles        []ssra.Role `json:"roles"`
	KeyID        string      `json:"key_id"`
}

// AHPRequest is the body of POST /v1/riskeval/ahp: the pairwise matrix
// (fractions such as "1/3" allowed), the method (eigenvector or
// geometric_mean, default eigenvector) and the RI table (saaty or
// cn_textbook).
type AHPRequest struct {
	Matrix  riskeval.PairwiseMatrix `json:"matrix"`
	Method  string                  `json:"method,omitempty"`
	RITable string                  `json:"ri_table,omitempty"`
}

// FuzzyRequest is the body of POST /v1/riskeval/fuzzy (模糊综合评价).
type FuzzyRequest struct {
	Weights     []decimal.Decimal   `json:"weights"`
	Membership  [][]decimal.Decimal `json:"membership"`
	Grades      []string            `json:"grades"`
	GradeScores []decimal.Decimal   `json:"grade_scores,omitempty"`
	Operator    string              `json:"operator,omitempty"`
}

// evaluateBody is the body of POST /v1/riskeval/evaluate: the assessment's
// members at the top level and the profile.
type evaluateBody struct {
	riskeval.Assessment
	Profile any `json:"profile,omitempty"`
}

// StatsOptions select and group the cases of GET /v1/stats/casework;
// zero fields are left out (the server's defaults: every organisation the
// caller sees, every channel and type, no grouping, all indicators,
// measured today).
type StatsOptions struct {
	// Orgs are handling organisation ids; Shared also counts the cases
	// shared with them, under their handling organisation.
	Orgs   []string
	Shared bool
	// From and To bound the registration dates (To excluded).
	From, To ssra.Date
	// Channels and MatterTypes are channel and matter type names; Kind is
	// "complaint" or "dispute".
	Channels, MatterTypes []string
	Kind                  string
	// Group is any of "org" and "month".
	Group []string
	// Indicators are the indicator ids to return.
	Indicators []string
	// At is the measuring date.
	At ssra.Date
}

func (o StatsOptions) values(format string) url.Values {
	q := url.Values{}
	list := func(name string, vs []string) {
		if len(vs) > 0 {
			q.Set(name, strings.Join(vs, ","))
		}
	}
	date := func(name string, d ssra.Date) {
		if !d.IsZero() {
			q.Set(name, d.String())
		}
	}
	list("org", o.Orgs)
	if o.Shared {
		q.Set("shared", "true")
	}
	date("from", o.From)
	date("to", o.To)
	list("channel", o.Channels)
	list("matter_type", o.MatterTypes)
	if o.Kind != "" {
		q.Set("kind", o.Kind)
	}
	list("group", o.Group)
	list("indicator", o.Indicators)
	date("at", o.At)
	if format != "" {
		q.Set("format", format)
	}
	return q
}

// CaseworkStats is the answer of GET /v1/stats/casework: the canonical
// query that reproduces it, the measuring date, the filter and grouping as
// the server understood them, and the figures by group.
type CaseworkStats struct {
	Query    string               `json:"query"`
	At       ssra.Date            `json:"at"`
	Filter   stability.CaseFilter `json:"filter"`
	Shared   bool                 `json:"shared"`
	Grouping stability.Grouping   `json:"grouping"`
	Groups   []stability.Group    `json:"groups"`
}

// RegisterStats is the answer of GET /v1/stats/register: the measuring
// date, the tally of screening rounds and register entries (排查台账) the
// caller's organisation holds or was shared, and the register indicators
// computed from it.
type RegisterStats struct {
	At      ssra.Date               `json:"at"`
	Tally   stability.RegisterTally `json:"tally"`
	Figures []stability.Figure      `json:"figures"`
}

// MeasureStats is the answer of GET /v1/stats/measures: the measuring
// date, the tally of the tracked measures (稳评措施落实) the caller's
// organisation holds, and the measure indicators computed from it.
type MeasureStats struct {
	At      ssra.Date              `json:"at"`
	Tally   stability.MeasureTally `json:"tally"`
	Figures []stability.Figure     `json:"figures"`
}

// sensitivityBody is the body of POST /v1/riskeval/sensitivity.
type sensitivityBody struct {
	evaluateBody
	Seed    uint64 `json:"seed,omitempty"`
	Samples int    `json:"samples,omitempty"`
}

// SensitivityOptions set the level distribution's Monte Carlo method when
// the panel's ratings have more combinations than are enumerated: the
// seed (0: the server's default, 1) and the samples (0: 10,000; else 100
// to 100,000).
type SensitivityOptions struct {
	Seed    uint64
	Samples int
}

// Sensitivity is the robustness of an assessment (riskeval.SensitivityResult)
// with the plain margin sentence in zh-CN and en.
type Sensitivity struct {
	riskeval.SensitivityResult
	MarginSentence ssra.Label `json:"margin_sentence"`
}

// ProfileValidation is the answer of POST /v1/riskeval/profiles/validate.
type ProfileValidation struct {
	Valid    bool          `json:"valid"`
	Name     string        `json:"name"`
	Version  string        `json:"version"`
	Problems ssra.Problems `json:"problems"`
}

// DeadlinesRequest is the body of POST /v1/stability/deadlines: a deadline
// profile, the event, its date and the calendar (a shipped calendar's name
// as a JSON string, a calendar object, or nil for the official one).
type DeadlinesRequest struct {
	Profile  string          `json:"profile"`
	Event    string          `json:"event"`
	Date     ssra.Date       `json:"date"`
	Calendar json.RawMessage `json:"calendar,omitempty"`
}

// Preset describes one shipped preset.
type Preset struct {
	Name    string     `json:"name"`
	Version string     `json:"version"`
	Tag     string     `json:"tag"`
	Title   ssra.Label `json:"title"`
}

// Presets are the shipped presets, by family (GET /v1/presets).
type Presets struct {
	RiskProfiles     []Preset `json:"risk_profiles"`
	DeadlineProfiles []Preset `json:"deadline_profiles"`
	AppraisalSchemes []Preset `json:"appraisal_schemes"`
	StaffPolicies    []Preset `json:"staff_policies"`
}

// ScoreRequest is the body of POST /v1/appraisal/score: a scheme inline
// (Scheme) or by preset name (Preset), exactly one, and the subject.
type ScoreRequest struct {
	Scheme  json.RawMessage   `json:"scheme,omitempty"`
	Preset  string            `json:"preset,omitempty"`
	Subject appraisal.Subject `json:"subject"`
}

// RankRequest is the body of POST /v1/appraisal/rank: a scheme (inline or
// preset), the staff policy (a preset name as a JSON string, or an
// object), the run and the people.
type RankRequest struct {
	Scheme json.RawMessage    `json:"scheme,omitempty"`
	Preset string             `json:"preset,omitempty"`
	Policy json.RawMessage    `json:"policy"`
	Run    appraisal.Run      `json:"run"`
	People []appraisal.Person `json:"people"`
}

// Resource is a stored resource as every route answers it: the record's
// metadata and its value (Data), which Decode reads into a typed value.
// Version is what writes send back (If-Match), Redacted the field paths
// left out for this caller and View the caller's relation to a case.
type Resource struct {
	ID        string          `json:"id"`
	OrgID     string          `json:"org_id"`
	Version   int64           `json:"version"`
	ReadOnly  bool            `json:"read_only"`
	CreatedBy string          `json:"created_by"`
	CreatedAt time.Time       `json:"created_at"`
	UpdatedAt time.Time       `json:"updated_at"`
	Status    string          `json:"status"`
	DueOn     ssra.Date       `json:"due_on,omitzero"`
	View      string          `json:"view,omitempty"`
	Redacted  []string        `json:"redacted,omitempty"`
	LeafIndex *int64          `json:"leaf_index,omitempty"`
	Data      json.RawMessage `json:"data"`
}

// Decode reads the resource's value into v.
func (r Resource) Decode(v any) error {
	if err := json.Unmarshal(r.Data, v); err != nil {
		return fmt.Errorf("restclient: resource %s: %w", r.ID, err)
	}
	return nil
}

// Listing is one page of a listing; Next is the cursor of the following
// page (ListOptions.After), empty on the last.
type Listing struct {
	Items []Resource `json:"items"`
	Next  string     `json:"next,omitempty"`
}

// Registration is a newly registered case: the resource and the query code
// (查询码) for the complainant or party, shown only in this answer.
type Registration struct {
	Resource
	QueryCode string `json:"query_code"`
}

// ListOptions are the common list parameters: statuses, scope (owned or
// shared), the cursor of the page and its size (1 to 500). Extra carries a
// route's own parameters.
type ListOptions struct {
	Status []string
	Scope  string
	After  string
	Limit  int
	Extra  map[string]string
}

// PublicView is the complainant's or party's view of their case: status
// and deadlines, and whether the handling may be rated now.
type PublicView struct {
	stability.PublicView
	CanRate bool `json:"can_rate"`
}

// AuditReport is the result of verifying the transparency log. Scope is
// "server" for a key of the operator role (the whole log) and
// "organisation" for an organisation's admin (OrgID's records only); the
// server's own figures, Pending, Checkpoints and Cosignatures, are nil in
// the organisation scope.
type AuditReport struct {
	Scope        string   `json:"scope"`
	OrgID        string   `json:"org_id,omitempty"`
	Leaves       int64    `json:"leaves"`
	Pending      *int64   `json:"pending,omitempty"`
	Root         string   `json:"root"`
	Records      int64    `json:"records"`
	CaseFacts    int64    `json:"case_facts"`
	RollupCells  int64    `json:"rollup_cells"`
	Checkpoints  *int64   `json:"checkpoints,omitempty"`
	Signed       bool     `json:"signed"`
	Cosignatures *int64   `json:"cosignatures,omitempty"`
	Witnessed    bool     `json:"witnessed"`
	OK           bool     `json:"ok"`
	Findings     []string `json:"findings,omitempty"`
}

// InclusionProof proves that a record version's leaf is in the log.
type InclusionProof struct {
	Record     string   `json:"record"`
	Version    int64    `json:"version"`
	LeafIndex  int64    `json:"leaf_index"`
	TreeSize   int64    `json:"tree_size"`
	Leaf       string   `json:"leaf"`
	Proof      [][]byte `json:"proof"`
	Checkpoint string   `json:"checkpoint"`
}

// ConsistencyProof proves that the tree of size To extends that of From.
type ConsistencyProof struct {
	From  int64    `json:"from"`
	To    int64    `json:"to"`
	Proof [][]byte `json:"proof"`
}

// AppraisalRunRequest is the body of POST /v1/appraisal_runs: a unit or
// staff run under a stored scheme (and staff policy), over a period.
type AppraisalRunRequest struct {
	Kind   string              `json:"kind"`
	Scheme string              `json:"scheme"`
	Policy string              `json:"policy,omitempty"`
	From   ssra.Date           `json:"from"`
	To     ssra.Date           `json:"to"`
	Run    appraisal.Run       `json:"run"`
	Units  []appraisal.Subject `json:"units,omitempty"`
	Staff  []StaffMember       `json:"staff,omitempty"`
}

// StaffMember is one member of staff in a staff run: their user, their
// appraisers, and the person as appraisal scores them.
type StaffMember struct {
	UserID     string           `json:"user_id,omitempty"`
	Appraisers []string         `json:"appraisers,omitempty"`
	Person     appraisal.Person `json:"person"`
}

// User is a member of staff as the administration routes show them.
type User struct {
	ID        string      `json:"id"`
	OrgID     string      `json:"org_id"`
	Name      string      `json:"name"`
	Roles     []ssra.Role `json:"roles"`
	Disabled  bool        `json:"disabled"`
	CreatedAt time.Time   `json:"created_at"`
	// Version is what a change of the user sends back (If-Match).
	Version int64 `json:"version"`
}

// APIKey describes an API key without its secret.
type APIKey struct {
	ID         string     `json:"id"`
	UserID     string     `json:"user_id"`
	OrgID      string     `json:"org_id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	CreatedBy  string     `json:"created_by"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"`
	RevokedAt  *time.Time `json:"revoked_at,omitempty"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
}

// IssuedKey is a newly issued key: the secret, shown only once, and its
// description.
type IssuedKey struct {
	Key string `json:"key"`
	APIKey
}

// Cosigned is the answer to a cosignature: the cosigned checkpoint's tree
// size and the names of the witnesses that have cosigned it so far.
type Cosigned struct {
	Size      int64    `json:"size"`
	Witnesses []string `json:"witnesses"`
}

// MeasureInput is the body of an act on a tracked measure: the measure and
// what the act takes (report: text and evidence; complete: note and
// evidence; verify: note; reject and drop: reason).
type MeasureInput struct {
	Measure  string              `json:"measure"`
	Text     string              `json:"text,omitempty"`
	Note     string              `json:"note,omitempty"`
	Reason   string              `json:"reason,omitempty"`
	Evidence []riskeval.Evidence `json:"evidence,omitempty"`
}

// OverdueMeasure is one open measure past its due date: where it is tracked
// and by how many calendar days it is late.
type OverdueMeasure struct {
	TrackingID   string                  `json:"tracking_id"`
	OrgID        string                  `json:"org_id"`
	AssessmentID string                  `json:"assessment_id"`
	DecisionID   string                  `json:"decision_id"`
	Measure      riskeval.TrackedMeasure `json:"measure"`
	DaysOverdue  int                     `json:"days_overdue"`
}

// OverdueMeasures is a page of the overdue measures at a date.
type OverdueMeasures struct {
	At    ssra.Date        `json:"at"`
	Items []OverdueMeasure `json:"items"`
	Next  string           `json:"next,omitempty"`
}

// RoundInput is a screening round as it is recorded: the unit, the slot
// it fulfils, the day held, what it covered, the issues found and their
// register entries. The leading official is the caller.
type RoundInput struct {
	Unit    string    `json:"unit"`
	Slot    string    `json:"slot"`
	Held    ssra.Date `json:"held"`
	Covered []string  `json:"covered"`
	Found   int       `json:"found,omitempty"`
	Entries []string  `json:"entries,omitempty"`
	Note    string    `json:"note,omitempty"`
}

// MissedRound is a round slot missed (漏排) under a plan.
type MissedRound struct {
	PlanID string `json:"plan_id"`
	OrgID  string `json:"org_id"`
	stability.SlotStatus
}

// MissedRounds are the rounds missed at a date.
type MissedRounds struct {
	At    ssra.Date     `json:"at"`
	Items []MissedRound `json:"items"`
}

// EntryInput is the body of a register entry's transition: resolve takes
// the resolution, close a note, reject a reason, link_case the case's kind
// (complaint or dispute) and record id; start nothing.
type EntryInput struct {
	Resolution string `json:"resolution,omitempty"`
	Note       string `json:"note,omitempty"`
	Reason     string `json:"reason,omitempty"`
	Kind       string `json:"kind,omitempty"`
	CaseID     string `json:"case_id,omitempty"`
}

// LeaderInput is the body of the "assign_leader" action of a complaint or
// dispute: the leader of the handling organisation made responsible (包案),
// by user id, in a post, and the reason of a change.
type LeaderInput struct {
	UserID string `json:"user_id"`
	Post   string `json:"post"`
	Reason string `json:"reason,omitempty"`
}

// CaseRef names a case by its kind (complaint or dispute) and record id.
type CaseRef struct {
	Kind   string `json:"kind"`
	CaseID string `json:"case_id"`
}

// ReceptionLeader is the leader receiving: a user of the caller's
// organisation and their post.
type ReceptionLeader struct {
	UserID string `json:"user_id"`
	Post   string `json:"post"`
}

// ReceptionInput is a leader's reception day as it is recorded: the
// leader, when and where, whether the leader went out (下访), the cases
// received and a note. It names no member of the public.
type ReceptionInput struct {
	Leader ReceptionLeader `json:"leader"`
	At     time.Time       `json:"at"`
	Place  string          `json:"place"`
	Visit  bool            `json:"visit,omitempty"`
	Cases  []CaseRef       `json:"cases,omitempty"`
	Note   string          `json:"note,omitempty"`
}
