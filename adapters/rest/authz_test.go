package rest_test

import (
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
)

// relation is how the caller's organisation holds the record a route acts
// on: it owns it, it has no access, or it sees it through a share (for a
// complaint: it routed the case away). subject is a complaint held by the
// organisation the complaint is about.
type relation string

const (
	own     relation = "own"
	other   relation = "other"
	shared  relation = "shared"
	subject relation = "subject"
	// subjectUser is a report held by the caller's organisation that names
	// the caller, by identifier, as the person it is about.
	subjectUser relation = "subject_user"
	// recused is a case held by the caller's organisation from which the
	// caller was made to stand aside (回避).
	recused relation = "recused"
)

// The redactions of a case, by the caller's relation to it (stability's
// confidentiality rules): caseworkers of the handling organisation see
// everything but the query code's digest, which no view carries; everyone else sees no personal data; the party complained
// about sees no material either.
var (
	staffRedacted = []string{"complainants", "representatives", "ratings", "matter.facts", "matter.request", "matter_key",
		"materials[marked]", "materials[].title", "materials[].digest", "handling.text", "review.text", "rereview.text", "extension.reason", "marks[].reason", "diversion.note",
		"query_hash", "recused", "pauses[].reason", "events[].note"}
	subjectRedacted = []string{"complainants", "representatives", "ratings", "matter.facts", "matter.request", "matter_key",
		"materials", "handling.text", "review.text", "rereview.text", "extension.reason", "marks[].reason", "diversion.note",
		"query_hash", "recused", "pauses[].reason", "events[].note"}
)

// disputeRedacted is what everyone but the mediating body's caseworkers
// loses of a dispute: the parties have a complainant's confidentiality.
var disputeRedacted = []string{"parties", "summary", "materials", "ratings", "agreement.terms", "termination.reason",
	"confirmation.grounds", "escalations[].reason", "handovers[].reason", "query_hash", "recused", "pauses[].reason", "events[].note"}

func checkDisputeRedaction(t *testing.T, r reply, role ssra.Role, rel relation) {
	t.Helper()
	var got []string
	for _, v := range r.body["redacted"].([]any) {
		got = append(got, v.(string))
	}
	handler := rel == own && role == ssra.RoleCaseworker
	want, view := disputeRedacted, "staff"
	if handler {
		want, view = []string{"query_hash"}, "handler"
	}
	if !slices.Equal(got, want) || r.str("view") != view {
		t.Fatalf("view %s redacted %v, want view %s redacted %v", r.str("view"), got, view, want)
	}
	if shown := strings.Contains(r.raw, "Zhao Lei") || strings.Contains(r.raw, "shared lane"); shown != handler {
		t.Fatalf("parties shown %v to %s: %s", shown, view, r.raw)
	}
}

// checkStaffRedaction asserts which staff results of the run (author: the
// appraiser; P1 is the viewer, appraised by the reviewer; P2 the
// caseworker) each role of the organisation sees.
func checkStaffRedaction(t *testing.T, r reply, role ssra.Role) {
	t.Helper()
	want := map[ssra.Role]string{ssra.RoleAdmin: "P1,P2,P3", ssra.RoleAppraiser: "P1,P2,P3", ssra.RoleViewer: "P1",
		ssra.RoleReviewer: "P1", ssra.RoleCaseworker: "P2"}[role]
	var got []string
	list, _ := r.body["data"].(map[string]any)["staff"].([]any)
	for _, e := range list {
		got = append(got, e.(map[string]any)["person"].(map[string]any)["id"].(string))
	}
	if strings.Join(got, ",") != want {
		t.Fatalf("%s sees staff results %v, want %q", role, got, want)
	}
}

// route is one row of the matrix: what it needs, how to prepare its record
// for a relation, and the request.
type route struct {
	name  string
	roles []ssra.Role // roles let through; nil: every role
	write bool        // a write is refused on a shared record
	// success is the status of an allowed call.
	success int
	// kind of record the route acts on: "assessment", "complaint" or "" (none).
	kind string
	// state prepares the record: "draft", "submitted", "issued", "registered".
	state  string
	method string
	path   string // {id} is replaced
	body   any
	// ctype is the body's media type when it is not JSON (a spreadsheet).
	ctype string
	// everyRow, for a route that answers with every entry of a record
	// (a staff run's export), are the roles of the owning organisation
	// that may read every entry; the others get 403.
	everyRow []ssra.Role
	// head, for a case route that only the head of the handling
	// organisation (负责人) may take, makes roles the route's own check and
	// the domain's the other: the caller must hold administrator (the head)
	// and caseworker (who acts on cases) both. The matrix then also calls
	// it with role pairs (see callers).
	head bool
}

// headLeader is the body of an assignment of a case's responsible leader
// (包案): a user of the handling organisation A.
var headLeader = map[string]any{"user_id": "u-" + orgA + "-reviewer", "post": "deputy director", "reason": "the township asked"}

// measureStaff are the roles that report on a measure of their
// organisation: every role but viewer.
var measureStaff = []ssra.Role{ssra.RoleAdmin, ssra.RoleAssessor, ssra.RoleReviewer, ssra.RoleDecisionMaker, ssra.RoleAppraiser, ssra.RoleCaseworker}

var matrix = []route{
	{name: "create assessment", roles: []ssra.Role{ssra.RoleAssessor}, success: 201, method: "POST", path: "/v1/assessments", body: assessmentJSON("ndrc2012_project", 2, 2)},
	{name: "list assessments", success: 200, method: "GET", path: "/v1/assessments"},
	{name: "read assessment", success: 200, kind: "assessment", state: "draft", method: "GET", path: "/v1/assessments/{id}"},
	{name: "assessment sensitivity", success: 200, kind: "assessment", state: "draft", method: "GET", path: "/v1/assessments/{id}/sensitivity"},
	{name: "assessment report", success: 200, kind: "assessment", state: "draft", method: "GET", path: "/v1/assessments/{id}/report"},
	{name: "assessment heat map", success: 200, kind: "assessment", state: "issued", method: "GET", path: "/v1/assessments/{id}/heatmap.svg"},
	{name: "assessment tornado chart", success: 200, kind: "assessment", state: "issued", method: "GET", path: "/v1/assessments/{id}/tornado.svg"},
	{name: "update assessment", roles: []ssra.Role{ssra.RoleAssessor}, write: true, success: 200, kind: "assessment", state: "draft", method: "PUT", path: "/v1/assessments/{id}", body: assessmentJSON("ndrc2012_project", 2, 2)},
	{name: "submit", roles: []ssra.Role{ssra.RoleAssessor}, write: true, success: 200, kind: "assessment", state: "draft", method: "POST", path: "/v1/assessments/{id}/submit"},
	{name: "start review", roles: []ssra.Role{ssra.RoleReviewer}, write: true, success: 200, kind: "assessment", state: "submitted", method: "POST", path: "/v1/assessments/{id}/start_review"},
	{name: "return", roles: []ssra.Role{ssra.RoleReviewer}, write: true, success: 200, kind: "assessment", state: "under_review", method: "POST", path: "/v1/assessments/{id}/return", body: map[string]any{"reason": "add the survey"}},
	{name: "issue", roles: []ssra.Role{ssra.RoleReviewer}, write: true, success: 200, kind: "assessment", state: "under_review", method: "POST", path: "/v1/assessments/{id}/issue"},
	{name: "read decision", success: 200, kind: "decision", method: "GET", path: "/v1/decisions/{id}"},
	{name: "share", roles: []ssra.Role{ssra.RoleAssessor, ssra.RoleReviewer}, write: true, success: 204, kind: "assessment", state: "draft", method: "POST", path: "/v1/assessments/{id}/share", body: map[string]any{"org_id": orgC}},
	{name: "decide", roles: []ssra.Role{ssra.RoleDecisionMaker}, success: 201, kind: "assessment", state: "issued", method: "POST", path: "/v1/assessments/{id}/decision", body: map[string]any{"intent": "approve"}},
	{name: "list decisions", success: 200, kind: "assessment", state: "draft", method: "GET", path: "/v1/assessments/{id}/decisions"},
	{name: "open tracking", roles: []ssra.Role{ssra.RoleDecisionMaker}, write: true, success: 201, kind: "decision", state: "org_owners", method: "POST", path: "/v1/decisions/{id}/tracking"},
	{name: "list trackings", success: 200, method: "GET", path: "/v1/trackings"},
	{name: "overdue measures", success: 200, method: "GET", path: "/v1/trackings/overdue"},
	{name: "read tracking", success: 200, kind: "tracking", method: "GET", path: "/v1/trackings/{id}"},
	{name: "report on a measure", roles: measureStaff, write: true, success: 200, kind: "tracking", method: "POST", path: "/v1/trackings/{id}/report",
		body: map[string]any{"measure": "M1", "text": "agreements signed with 40 households"}},
	{name: "complete a measure", roles: measureStaff, write: true, success: 200, kind: "tracking", method: "POST", path: "/v1/trackings/{id}/complete",
		body: map[string]any{"measure": "M1", "note": "all signed", "evidence": []any{map[string]any{"title": "agreements"}}}},
	{name: "verify a measure", roles: []ssra.Role{ssra.RoleReviewer, ssra.RoleDecisionMaker}, write: true, success: 200, kind: "tracking", state: "done", method: "POST", path: "/v1/trackings/{id}/verify",
		body: map[string]any{"measure": "M2", "note": "checked on site"}},
	{name: "reject a measure", roles: []ssra.Role{ssra.RoleReviewer, ssra.RoleDecisionMaker}, write: true, success: 200, kind: "tracking", state: "done", method: "POST", path: "/v1/trackings/{id}/reject",
		body: map[string]any{"measure": "M2", "reason": "no test report"}},
	{name: "drop a measure", roles: []ssra.Role{ssra.RoleDecisionMaker}, write: true, success: 200, kind: "tracking", method: "POST", path: "/v1/trackings/{id}/drop",
		body: map[string]any{"measure": "M2", "reason": "the site is no longer affected"}},
	{name: "open follow-up", roles: []ssra.Role{ssra.RoleAssessor}, write: true, success: 201, kind: "tracking", method: "POST", path: "/v1/trackings/{id}/follow_up",
		body: map[string]any{"reason": "households object", "measures": []any{"M1"}}},
	{name: "plan screening", roles: []ssra.Role{ssra.RoleAdmin}, success: 201, method: "POST", path: "/v1/screening_plans", body: "screening"},
	{name: "list screening plans", success: 200, method: "GET", path: "/v1/screening_plans"},
	{name: "missed rounds", success: 200, method: "GET", path: "/v1/screening_plans/missed"},
	{name: "read screening plan", success: 200, kind: "screening_plan", method: "GET", path: "/v1/screening_plans/{id}"},
	{name: "share screening plan", roles: []ssra.Role{ssra.RoleAdmin}, write: true, success: 204, kind: "screening_plan", method: "POST", path: "/v1/screening_plans/{id}/share", body: map[string]any{"org_id": orgC}},
	{name: "record round", roles: []ssra.Role{ssra.RoleCaseworker}, write: true, success: 200, kind: "screening_plan", method: "POST", path: "/v1/screening_plans/{id}/rounds",
		body: map[string]any{"unit": orgC, "slot": "2026-10", "held": "2026-10-20", "covered": []any{"land_acquisition"}, "found": 1}},
	{name: "enter issue", roles: []ssra.Role{ssra.RoleCaseworker}, success: 201, method: "POST", path: "/v1/register_entries", body: "entry"},
	{name: "list register entries", success: 200, method: "GET", path: "/v1/register_entries"},
	{name: "overdue register entries", success: 200, method: "GET", path: "/v1/register_entries/overdue"},
	{name: "read register entry", success: 200, kind: "register_entry", method: "GET", path: "/v1/register_entries/{id}"},
	{name: "share register entry", roles: []ssra.Role{ssra.RoleAdmin, ssra.RoleCaseworker}, write: true, success: 204, kind: "register_entry", method: "POST", path: "/v1/register_entries/{id}/share", body: map[string]any{"org_id": orgC}},
	{name: "take issue up", roles: []ssra.Role{ssra.RoleCaseworker}, write: true, success: 200, kind: "register_entry", method: "POST", path: "/v1/register_entries/{id}/start"},
	{name: "resolve issue", roles: []ssra.Role{ssra.RoleCaseworker}, write: true, success: 200, kind: "register_entry", method: "POST", path: "/v1/register_entries/{id}/resolve", body: map[string]any{"resolution": "surveyed and agreed"}},
	{name: "strike off entry", roles: []ssra.Role{ssra.RoleCaseworker}, write: true, success: 200, kind: "register_entry", state: "resolved", method: "POST", path: "/v1/register_entries/{id}/close", body: map[string]any{"note": "checked"}},
	{name: "reject resolution", roles: []ssra.Role{ssra.RoleCaseworker}, write: true, success: 200, kind: "register_entry", state: "resolved", method: "POST", path: "/v1/register_entries/{id}/reject", body: map[string]any{"reason": "not signed"}},
	{name: "link entry to case", roles: []ssra.Role{ssra.RoleCaseworker}, write: true, success: 200, kind: "register_entry", state: "link", method: "POST", path: "/v1/register_entries/{id}/link_case",
		body: map[string]any{"kind": "complaint", "case_id": "r0001"}},
	{name: "record reception day", roles: []ssra.Role{ssra.RoleAdmin, ssra.RoleCaseworker}, success: 201, method: "POST", path: "/v1/reception_days", body: "reception"},
	{name: "list reception days", success: 200, method: "GET", path: "/v1/reception_days"},
	{name: "read reception day", success: 200, kind: "reception_day", method: "GET", path: "/v1/reception_days/{id}"},
	{name: "register complaint", roles: []ssra.Role{ssra.RoleCaseworker}, success: 201, method: "POST", path: "/v1/complaints", body: complaintJSON()},
	{name: "list complaints", success: 200, method: "GET", path: "/v1/complaints"},
	{name: "overdue complaints", success: 200, method: "GET", path: "/v1/complaints/overdue"},
	{name: "complaints due soon", success: 200, method: "GET", path: "/v1/complaints/due_soon"},
	{name: "read complaint", success: 200, kind: "complaint", state: "registered", method: "GET", path: "/v1/complaints/{id}"},
	{name: "accept complaint", roles: []ssra.Role{ssra.RoleCaseworker}, write: true, success: 200, kind: "complaint", state: "registered", method: "POST", path: "/v1/complaints/{id}/accept"},
	{name: "take in dispute", roles: []ssra.Role{ssra.RoleCaseworker}, success: 201, method: "POST", path: "/v1/disputes", body: "dispute"},
	{name: "list disputes", success: 200, method: "GET", path: "/v1/disputes"},
	{name: "overdue disputes", success: 200, method: "GET", path: "/v1/disputes/overdue"},
	{name: "read dispute", success: 200, kind: "dispute", method: "GET", path: "/v1/disputes/{id}"},
	{name: "assign mediator", roles: []ssra.Role{ssra.RoleCaseworker}, write: true, success: 200, kind: "dispute", method: "POST", path: "/v1/disputes/{id}/assign", body: map[string]any{"user_id": "u-m", "name": "mediator", "mode": "standard"}},
	{name: "assign complaint leader", roles: []ssra.Role{ssra.RoleCaseworker}, head: true, write: true, success: 200, kind: "complaint", method: "POST", path: "/v1/complaints/{id}/assign_leader", body: headLeader},
	{name: "release complaint leader", roles: []ssra.Role{ssra.RoleCaseworker}, head: true, write: true, success: 200, kind: "complaint", state: "led", method: "POST", path: "/v1/complaints/{id}/release_leader",
		body: map[string]any{"reason": "case closed at the township"}},
	{name: "supervise complaint by", roles: []ssra.Role{ssra.RoleCaseworker}, write: true, success: 200, kind: "complaint", method: "POST", path: "/v1/complaints/{id}/supervise_by",
		body: map[string]any{"body": orgC, "reason": "followed by the city"}},
	{name: "assign dispute leader", roles: []ssra.Role{ssra.RoleCaseworker}, head: true, write: true, success: 200, kind: "dispute", method: "POST", path: "/v1/disputes/{id}/assign_leader", body: headLeader},
	{name: "release dispute leader", roles: []ssra.Role{ssra.RoleCaseworker}, head: true, write: true, success: 200, kind: "dispute", state: "led", method: "POST", path: "/v1/disputes/{id}/release_leader",
		body: map[string]any{"reason": "agreement performed"}},
	{name: "store plan", roles: []ssra.Role{ssra.RoleAdmin}, success: 201, method: "POST", path: "/v1/plans", body: "plan"},
	{name: "list plans", success: 200, method: "GET", path: "/v1/plans"},
	{name: "read plan", success: 200, kind: "plan", method: "GET", path: "/v1/plans/{id}"},
	{name: "replace plan", roles: []ssra.Role{ssra.RoleAdmin}, write: true, success: 200, kind: "plan", method: "PUT", path: "/v1/plans/{id}", body: "plan"},
	{name: "share plan", roles: []ssra.Role{ssra.RoleAdmin}, write: true, success: 204, kind: "plan", method: "POST", path: "/v1/plans/{id}/share", body: map[string]any{"org_id": orgC}},
	{name: "report progress", roles: []ssra.Role{ssra.RoleAdmin, ssra.RoleAssessor, ssra.RoleReviewer, ssra.RoleDecisionMaker, ssra.RoleAppraiser, ssra.RoleCaseworker},
		write: true, success: 200, kind: "plan", method: "POST", path: "/v1/plans/{id}/reports", body: map[string]any{"task": "k1", "date": "2026-06-30", "percent": "50"}},
	{name: "accept plan", roles: []ssra.Role{ssra.RoleAppraiser}, write: true, success: 200, kind: "plan", method: "POST", path: "/v1/plans/{id}/acceptance",
		body: map[string]any{"measurements": []any{map[string]any{"target": "t-safe", "value": "1", "evidence": "certificate", "measured": "2026-12-20"}}}},
	{name: "run appraisal", roles: []ssra.Role{ssra.RoleAppraiser}, success: 201, method: "POST", path: "/v1/appraisal_runs", body: "run"},
	{name: "list appraisal runs", success: 200, method: "GET", path: "/v1/appraisal_runs"},
	{name: "read appraisal run", success: 200, kind: "appraisal_run", method: "GET", path: "/v1/appraisal_runs/{id}"},
	{name: "store scheme", roles: []ssra.Role{ssra.RoleAdmin, ssra.RoleAppraiser}, success: 201, method: "POST", path: "/v1/schemes", body: "scheme"},
	{name: "list schemes", success: 200, method: "GET", path: "/v1/schemes"},
	{name: "read scheme", success: 200, kind: "scheme", method: "GET", path: "/v1/schemes/{id}"},
	{name: "share scheme", roles: []ssra.Role{ssra.RoleAdmin}, write: true, success: 204, kind: "scheme", method: "POST", path: "/v1/schemes/{id}/share", body: map[string]any{"org_id": orgC}},
	{name: "store profile", roles: []ssra.Role{ssra.RoleAdmin, ssra.RoleAssessor}, success: 201, method: "POST", path: "/v1/profiles", body: "profile"},
	{name: "list profiles", success: 200, method: "GET", path: "/v1/profiles"},
	{name: "read profile", success: 200, kind: "profile", method: "GET", path: "/v1/profiles/{id}"},
	{name: "share profile", roles: []ssra.Role{ssra.RoleAdmin}, write: true, success: 204, kind: "profile", method: "POST", path: "/v1/profiles/{id}/share", body: map[string]any{"org_id": orgC}},
	{name: "casework stats", success: 200, method: "GET", path: "/v1/stats/casework"},
	{name: "register stats", success: 200, method: "GET", path: "/v1/stats/register"},
	{name: "measure stats", success: 200, method: "GET", path: "/v1/stats/measures"},
	{name: "verify audit", roles: []ssra.Role{ssra.RoleAdmin}, success: 200, method: "GET", path: "/v1/audit/verify"},
	{name: "audit checkpoint", success: 200, method: "GET", path: "/v1/audit/checkpoint"},
	{name: "cosign checkpoint", success: 200, method: "POST", path: "/v1/audit/cosignatures", body: "cosigned"},
	{name: "cosigned checkpoint", success: 404, method: "GET", path: "/v1/audit/checkpoint/cosigned"},
	{name: "inclusion proof", success: 200, kind: "plan", method: "GET", path: "/v1/audit/proof?record={id}&version=1"},
	{name: "consistency proof", success: 200, method: "GET", path: "/v1/audit/consistency?from=1&to=1"},
	{name: "hash tile", roles: []ssra.Role{ssra.RoleAdmin}, success: 200, method: "GET", path: "/v1/audit/tile?path=8/0/000.p/1"},
	{name: "factor table template", success: 200, method: "GET", path: "/v1/sheets/factor_template"},
	{name: "appraisal inputs template", success: 200, method: "GET", path: "/v1/sheets/appraisal_template?scheme=generic_unit_100"},
	{name: "import factor table", roles: []ssra.Role{ssra.RoleAssessor}, success: 201, method: "POST", path: "/v1/sheets/assessments?kind=project&name=plant", body: "factor_sheet", ctype: mimeXLSX},
	{name: "evaluate factor table", success: 200, method: "POST", path: "/v1/sheets/evaluate?kind=project&name=plant&regime=ndrc2012_project", body: "factor_sheet", ctype: mimeXLSX},
	{name: "score inputs sheet", success: 200, method: "POST", path: "/v1/sheets/score?scheme=generic_unit_100", body: "inputs_sheet", ctype: mimeXLSX},
	{name: "rank inputs sheet", success: 200, method: "POST", path: "/v1/sheets/rank?scheme=annual_civil_servant&policy=civil_servants_2020&year=2026&format=csv", body: "staff_sheet", ctype: mimeXLSX},
	{name: "import appraisal run", roles: []ssra.Role{ssra.RoleAppraiser}, success: 201, method: "POST", path: "/v1/sheets/appraisal_runs?kind=units&scheme=generic_unit_100&from=2026-01-01&to=2026-12-31", body: "inputs_sheet", ctype: mimeXLSX},
	{name: "export appraisal run", success: 200, kind: "appraisal_run", method: "GET", path: "/v1/appraisal_runs/{id}/export", everyRow: []ssra.Role{ssra.RoleAdmin, ssra.RoleAppraiser}},
	{name: "export factor table", success: 200, kind: "assessment", state: "draft", method: "GET", path: "/v1/assessments/{id}/factors"},
	{name: "create user", roles: []ssra.Role{ssra.RoleAdmin}, success: 201, method: "POST", path: "/v1/users", body: map[string]any{"name": "new colleague", "roles": []string{"viewer"}}},
	{name: "list users", roles: []ssra.Role{ssra.RoleAdmin}, success: 200, method: "GET", path: "/v1/users"},
	{name: "read user", roles: []ssra.Role{ssra.RoleAdmin}, success: 200, kind: "user", method: "GET", path: "/v1/users/{id}"},
	{name: "set roles", roles: []ssra.Role{ssra.RoleAdmin}, success: 200, kind: "user", method: "POST", path: "/v1/users/{id}/roles", body: map[string]any{"roles": []string{"viewer"}}},
	{name: "disable user", roles: []ssra.Role{ssra.RoleAdmin}, success: 200, kind: "user", method: "POST", path: "/v1/users/{id}/disable"},
	{name: "enable user", roles: []ssra.Role{ssra.RoleAdmin}, success: 200, kind: "user", method: "POST", path: "/v1/users/{id}/enable"},
	{name: "issue key", roles: []ssra.Role{ssra.RoleAdmin}, success: 201, kind: "user", method: "POST", path: "/v1/users/{id}/keys", body: map[string]any{"name": "case system"}},
	{name: "list keys", roles: []ssra.Role{ssra.RoleAdmin}, success: 200, method: "GET", path: "/v1/keys"},
	{name: "revoke key", roles: []ssra.Role{ssra.RoleAdmin}, success: 200, kind: "key", method: "POST", path: "/v1/keys/{id}/revoke"},
	{name: "rotate key", roles: []ssra.Role{ssra.RoleAdmin}, success: 201, kind: "key", method: "POST", path: "/v1/keys/{id}/rotate", body: map[string]any{}},
}

// prepare creates the record of a route for a relation and returns its id,
// its ETag and the organisation the caller belongs to.
func prepare(t *testing.T, f *fixture, rt route, rel relation, role ssra.Role) (id, etag, callerOrg string) {
	t.Helper()
	callerOrg = orgA
	if rel == other || rel == shared {
		callerOrg = orgB
	}
	switch rt.kind {
	case "assessment":
		a := keyOf(orgA, ssra.RoleAssessor)
		id = f.call(t, "POST", "/v1/assessments", a, assessmentJSON("ndrc2012_project", 2, 2)).must(t, 201).str("id")
		v := 1
		rv := keyOf(orgA, ssra.RoleReviewer)
		steps := map[string][][2]string{"submitted": {{a, "submit"}}, "under_review": {{a, "submit"}, {rv, "start_review"}},
			"issued": {{a, "submit"}, {rv, "start_review"}, {rv, "issue"}}}
		for _, s := range steps[rt.state] {
			f.call(t, "POST", "/v1/assessments/"+id+"/"+s[1], s[0], nil, "If-Match", etagOf(v)).must(t, 200)
			v++
		}
		if rel == shared {
			f.call(t, "POST", "/v1/assessments/"+id+"/share", a, map[string]any{"org_id": orgB}).must(t, 204)
		}
		return id, etagOf(v), callerOrg
	case "user", "key":
		// A colleague in A, and for a key one issued to them; for other,
		// the caller is B's.
		admin := keyOf(orgA, ssra.RoleAdmin)
		id = f.call(t, "POST", "/v1/users", admin, map[string]any{"name": "colleague", "roles": []string{"caseworker"}}).must(t, 201).str("id")
		if rt.kind == "key" {
			id = f.call(t, "POST", "/v1/users/"+id+"/keys", admin, map[string]any{"name": "desk"}).must(t, 201).str("id")
			return id, "", callerOrg
		}
		// A change of roles or of the disabled flag names the version
		// read: a new user's is "v1".
		return id, etagOf(1), callerOrg
	case "dispute":
		if rel == shared {
			// B takes it in and hands it over to A: B keeps read access.
			id = f.call(t, "POST", "/v1/disputes", keyOf(orgB, ssra.RoleCaseworker), disputeJSON()).must(t, 201).str("id")
			f.call(t, "POST", "/v1/disputes/"+id+"/hand_over", keyOf(orgB, ssra.RoleCaseworker),
				map[string]any{"to": "administrative", "organ": orgA, "reason": "land use"}, "If-Match", `"v1"`).must(t, 200)
			return id, ledBy(t, f, rt, "/v1/disputes/"+id, 2), callerOrg
		}
		id = f.call(t, "POST", "/v1/disputes", keyOf(orgA, ssra.RoleCaseworker), disputeJSON()).must(t, 201).str("id")
		return id, ledBy(t, f, rt, "/v1/disputes/"+id, 1), callerOrg
	case "decision":
		// An assessment issued by org X and decided by org A's decision
		// maker; for shared, X is B, so the decision is shared with B.
		x := orgC
		if rel == shared {
			x = orgB
		}
		body := assessmentJSON("ndrc2012_project", 2, 2)
		if rt.state == "org_owners" {
			// Measures owned by organisations, so that they can be tracked.
			body = trackedAssessmentJSON(orgB, orgC, "2027-03-31")
		}
		aid := f.call(t, "POST", "/v1/assessments", keyOf(x, ssra.RoleAssessor), body).must(t, 201).str("id")
		for i, st := range [][2]string{{keyOf(x, ssra.RoleAssessor), "submit"}, {keyOf(x, ssra.RoleReviewer), "start_review"}, {keyOf(x, ssra.RoleReviewer), "issue"}} {
			f.call(t, "POST", "/v1/assessments/"+aid+"/"+st[1], st[0], nil, "If-Match", etagOf(i+1)).must(t, 200)
		}
		f.call(t, "POST", "/v1/assessments/"+aid+"/share", keyOf(x, ssra.RoleAssessor), map[string]any{"org_id": orgA}).must(t, 204)
		id = f.call(t, "POST", "/v1/assessments/"+aid+"/decision", keyOf(orgA, ssra.RoleDecisionMaker), map[string]any{"intent": "approve"}, "If-Match", `"v4"`).must(t, 201).str("id")
		return id, `"v1"`, callerOrg
	case "tracking":
		// A's assessment, decided by A, imposes M1 on A and M2 on C; for
		// shared, on B, which then sees the tracking that A holds.
		owner := orgC
		if rel == shared {
			owner = orgB
		}
		_, did := decidedWithMeasures(t, f, orgA, owner, "2027-03-31")
		id = f.call(t, "POST", "/v1/decisions/"+did+"/tracking", keyOf(orgA, ssra.RoleDecisionMaker), nil).must(t, 201).str("id")
		if rt.state == "done" {
			f.call(t, "POST", "/v1/trackings/"+id+"/complete", keyOf(owner, ssra.RoleCaseworker),
				map[string]any{"measure": "M2", "note": "installed", "evidence": []any{map[string]any{"title": "photo"}}}, "If-Match", `"v1"`).must(t, 200)
			return id, `"v2"`, callerOrg
		}
		return id, `"v1"`, callerOrg
	case "screening_plan":
		// A's plan of screening by A and C; for shared, A shares it with B.
		admin := keyOf(orgA, ssra.RoleAdmin)
		id = f.call(t, "POST", "/v1/screening_plans", admin, screeningPlanJSON(orgA, orgC)).must(t, 201).str("id")
		if rel == shared {
			f.call(t, "POST", "/v1/screening_plans/"+id+"/share", admin, map[string]any{"org_id": orgB}).must(t, 204)
		}
		return id, `"v1"`, callerOrg
	case "register_entry":
		// An entry of A's register owned by C; for shared, A shares it with
		// B. For link, the complaint it links to is the fixture's first
		// record (r0001); for resolved, C resolved it.
		cw := keyOf(orgA, ssra.RoleCaseworker)
		if rt.state == "link" {
			f.call(t, "POST", "/v1/complaints", cw, complaintJSON()).must(t, 201)
		}
		id = f.call(t, "POST", "/v1/register_entries", cw, entryJSON(orgC)).must(t, 201).str("id")
		if rel == shared {
			f.call(t, "POST", "/v1/register_entries/"+id+"/share", cw, map[string]any{"org_id": orgB}).must(t, 204)
		}
		if rt.state == "resolved" {
			f.call(t, "POST", "/v1/register_entries/"+id+"/resolve", keyOf(orgC, ssra.RoleCaseworker), map[string]any{"resolution": "agreed"}, "If-Match", `"v1"`).must(t, 200)
			return id, `"v2"`, callerOrg
		}
		return id, `"v1"`, callerOrg
	case "reception_day":
		id = f.call(t, "POST", "/v1/reception_days", keyOf(orgA, ssra.RoleCaseworker), receptionJSON()).must(t, 201).str("id")
		return id, `"v1"`, callerOrg
	case "appraisal_run":
		id = f.call(t, "POST", "/v1/appraisal_runs", keyOf(orgA, ssra.RoleAppraiser), staffRunJSON()).must(t, 201).str("id")
		return id, `"v1"`, callerOrg
	case "scheme":
		id = f.call(t, "POST", "/v1/schemes", keyOf(orgA, ssra.RoleAdmin), countyScheme(t, "1")).must(t, 201).str("id")
		if rel == shared {
			f.call(t, "POST", "/v1/schemes/"+id+"/share", keyOf(orgA, ssra.RoleAdmin), map[string]any{"org_id": orgB}).must(t, 204)
		}
		return id, `"v1"`, callerOrg
	case "plan":
		id = f.call(t, "POST", "/v1/plans", keyOf(orgA, ssra.RoleAdmin), planJSON()).must(t, 201).str("id")
		if rel == shared {
			f.call(t, "POST", "/v1/plans/"+id+"/share", keyOf(orgA, ssra.RoleAdmin), map[string]any{"org_id": orgB}).must(t, 204)
		}
		return id, `"v1"`, callerOrg
	case "profile":
		id = f.call(t, "POST", "/v1/profiles", keyOf(orgA, ssra.RoleAdmin), countyProfile(t, "1")).must(t, 201).str("id")
		if rel == shared {
			f.call(t, "POST", "/v1/profiles/"+id+"/share", keyOf(orgA, ssra.RoleAdmin), map[string]any{"org_id": orgB}).must(t, 204)
		}
		return id, `"v1"`, callerOrg
	case "complaint":
		switch rel {
		case shared:
			// B registers and routes the case to A: B keeps read access.
			id = f.call(t, "POST", "/v1/complaints", keyOf(orgB, ssra.RoleCaseworker), complaintJSON()).must(t, 201).str("id")
			f.call(t, "POST", "/v1/complaints/"+id+"/route", keyOf(orgB, ssra.RoleCaseworker), map[string]any{"to": orgA, "mode": "transfer"}, "If-Match", `"v1"`).must(t, 200)
			return id, ledBy(t, f, rt, "/v1/complaints/"+id, 2), callerOrg
		case subject:
			// A routes the case to C, the unit it is about.
			id = f.call(t, "POST", "/v1/complaints", keyOf(orgA, ssra.RoleCaseworker), complaintJSON()).must(t, 201).str("id")
			f.call(t, "POST", "/v1/complaints/"+id+"/route", keyOf(orgA, ssra.RoleCaseworker), map[string]any{"to": orgC, "mode": "transfer"}, "If-Match", `"v1"`).must(t, 200)
			return id, `"v2"`, orgC
		case subjectUser:
			// A's other caseworker registers a report about the caller.
			body := complaintJSON()
			body["matter"] = map[string]any{"type": "report", "subject": "a section chief", "subject_user": "u-" + orgA + "-" + role.String(),
				"facts": "water cut for two weeks"}
			id = f.call(t, "POST", "/v1/complaints", keyOf(orgA, ssra.RoleCaseworker)+"2", body).must(t, 201).str("id")
			return id, `"v1"`, callerOrg
		case recused:
			// The head of A makes the caller stand aside.
			id = f.call(t, "POST", "/v1/complaints", keyOf(orgA, ssra.RoleCaseworker), complaintJSON()).must(t, 201).str("id")
			f.call(t, "POST", "/v1/complaints/"+id+"/recuse", "key:"+orgA+":admin+caseworker", map[string]any{"user_id": "u-" + orgA + "-" + role.String(), "reason": "a relative"}, "If-Match", `"v1"`).must(t, 200)
			return id, `"v2"`, callerOrg
		}
		id = f.call(t, "POST", "/v1/complaints", keyOf(orgA, ssra.RoleCaseworker), complaintJSON()).must(t, 201).str("id")
		return id, ledBy(t, f, rt, "/v1/complaints/"+id, 1), callerOrg
	}
	return "", "", callerOrg
}

// ledBy gives the case at path, held by A at version v, a responsible
// leader when the row's state is "led" (A's head assigns one), and returns
// the case's ETag.
func ledBy(t *testing.T, f *fixture, rt route, path string, v int) string {
	t.Helper()
	if rt.state != "led" {
		return etagOf(v)
	}
	f.call(t, "POST", path+"/assign_leader", "key:"+orgA+":admin+caseworker", headLeader, "If-Match", etagOf(v)).must(t, 200)
	return etagOf(v + 1)
}

// callers are the role sets the matrix calls a row with: each role alone
// and, for a row only the head may take, the head's pair (administrator
// and caseworker) and pairs that hold one of the two.
func callers(rt route) [][]ssra.Role {
	var out [][]ssra.Role
	for _, r := range ssra.Roles() {
		out = append(out, []ssra.Role{r})
	}
	if rt.head {
		out = append(out, []ssra.Role{ssra.RoleAdmin, ssra.RoleCaseworker}, []ssra.Role{ssra.RoleAdmin, ssra.RoleViewer},
			[]ssra.Role{ssra.RoleCaseworker, ssra.RoleReviewer})
	}
	return out
}

// callerKey is the test key of a user of org holding roles.
func callerKey(org string, roles []ssra.Role) string {
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = r.String()
	}
	return "key:" + org + ":" + strings.Join(names, "+")
}

// expectedOf is expected for a caller holding roles: for a head row the
// route admits a caseworker, the record's relation decides next (404
// elsewhere, 403 through a share), and the domain admits the head only;
// otherwise a caller holds one role.
func expectedOf(rt route, roles []ssra.Role, rel relation) int {
	if !rt.head {
		return expected(rt, roles[0], rel)
	}
	switch {
	case !slices.Contains(roles, ssra.RoleCaseworker):
		return http.StatusForbidden
	case rel == other:
		return http.StatusNotFound
	case rel == shared, !slices.Contains(roles, ssra.RoleAdmin):
		return http.StatusForbidden
	}
	return rt.success
}

// expected is the status a role gets on a route for a relation: a role the
// route does not admit is 403 whatever the record; a record of another
// organisation is 404, never 403; a write through a share is 403.
func expected(rt route, role ssra.Role, rel relation) int {
	if rt.head && !slices.Contains(rt.roles, role) {
		return http.StatusForbidden
	}
	if rt.head {
		return expectedOf(rt, []ssra.Role{role}, rel)
	}
	if rt.roles != nil && !slices.Contains(rt.roles, role) {
		return http.StatusForbidden
	}
	if rt.kind == "" {
		return rt.success
	}
	if rt.everyRow != nil && rel == own && !slices.Contains(rt.everyRow, role) {
		return http.StatusForbidden // some entries are not theirs to read
	}
	switch rel {
	case other:
		return http.StatusNotFound
	case subjectUser, recused:
		if rt.write {
			return http.StatusForbidden // they do not act on the case
		}
	case shared, subject:
		if rt.write {
			if rel == subject {
				return rt.success // the subject organisation holds the case
			}
			return http.StatusForbidden
		}
	}
	return rt.success
}

// TestMatrixCoversEveryRoute fails when a resource route is added without
// its row in the matrix (the public status check, which takes no key, is
// tested on its own).
func TestMatrixCoversEveryRoute(t *testing.T) {
	f := newFixture(t)
	rows := map[string]bool{}
	for _, rt := range matrix {
		path, _, _ := strings.Cut(rt.path, "?")
		rows[rt.method+" "+path] = true
	}
	ids := regexp.MustCompile(`:(\w+)`)
	for _, r := range f.srv.Routes() {
		if !resourcePath(r.Path) || strings.HasPrefix(r.Path, "/v1/public/") || strings.HasSuffix(r.Path, "*") {
			continue
		}
		path := ids.ReplaceAllStringFunc(r.Path, func(m string) string {
			if m == ":id" {
				return "{id}"
			}
			return m
		})
		if strings.Contains(path, ":action") {
			continue // checked below
		}
		if !rows[r.Method+" "+path] {
			t.Errorf("%s %s has no row in the authorisation matrix", r.Method, path)
		}
	}
	for _, p := range []string{"/v1/complaints/{id}/accept", "/v1/disputes/{id}/assign"} {
		if !rows["POST "+p] {
			t.Errorf("no row for a casework transition (%s)", p)
		}
	}
}

func TestAuthorisationMatrix(t *testing.T) {
	for _, rt := range matrix {
		rels := matrixRelations(rt)
		for _, roles := range callers(rt) {
			role := roles[0]
			if slices.Contains(roles, ssra.RoleCaseworker) {
				role = ssra.RoleCaseworker // the case's view is the caseworker's
			}
			for _, rel := range rels {
				t.Run(rt.name+"/"+strings.TrimPrefix(callerKey("", roles), "key::")+"/"+string(rel), func(t *testing.T) {
					f := newFixture(t)
					id, etag, org := prepare(t, f, rt, rel, role)
					body := matrixBody(t, rt)
					r := f.call(t, rt.method, strings.ReplaceAll(rt.path, "{id}", id), callerKey(org, roles), body, matrixHeaders(rt, etag)...)
					want := expectedOf(rt, roles, rel)
					if r.code != want {
						t.Fatalf("status %d, want %d: %s", r.code, want, r.raw)
					}
					if rt.kind == "complaint" && r.code == http.StatusOK {
						checkRedaction(t, r, role, rel)
					}
					if rt.kind == "dispute" && r.code == http.StatusOK {
						checkDisputeRedaction(t, r, role, rel)
					}
					if rt.kind == "appraisal_run" && r.code == http.StatusOK && rt.everyRow == nil {
						checkStaffRedaction(t, r, role)
					}
				})
			}
		}
	}
}

// checkRedaction asserts exactly which fields of a case are redacted for
// the caller and that the personal data is really gone.
func checkRedaction(t *testing.T, r reply, role ssra.Role, rel relation) {
	t.Helper()
	var got []string
	for _, v := range r.body["redacted"].([]any) {
		got = append(got, v.(string))
	}
	want, view := staffRedacted, "staff"
	switch {
	case rel == subject || rel == subjectUser:
		want, view = subjectRedacted, "subject"
	case rel == own && role == ssra.RoleCaseworker:
		want, view = []string{"query_hash"}, "handler"
	}
	if !slices.Equal(got, want) || r.str("view") != view {
		t.Fatalf("view %s redacted %v, want view %s redacted %v", r.str("view"), got, view, want)
	}
	hasPerson := strings.Contains(r.raw, "Li Hua") || strings.Contains(r.raw, "13800000000")
	hasFacts := strings.Contains(r.raw, "water cut for two weeks")
	hasMarked := strings.Contains(r.raw, `"photo"`)
	if view == "handler" {
		if !hasPerson || !hasFacts || !hasMarked {
			t.Fatalf("handler lacks case data: %s", r.raw)
		}
		return
	}
	if hasPerson || hasFacts || hasMarked {
		t.Fatalf("%s view shows personal data or marked material: %s", view, r.raw)
	}
}

// matrixHeaders are the headers of a row's request: If-Match with the
// record's ETag and, for a spreadsheet, its media type.
func matrixHeaders(rt route, etag string) []string {
	h := []string{"If-Match", etag}
	if rt.ctype != "" {
		h = append(h, "Content-Type", rt.ctype)
	}
	return h
}
