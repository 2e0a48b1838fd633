package restclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/riskeval"
	"github.com/ssra-go/ssra/stability"
)

// The methods below follow the OpenAPI document's paths in its order: the
// foundation, the stateless computations, the stored resources with their
// workflows, the transparency log, reports, the pages for people and the
// administration. A write to a stored resource takes the version it read
// (sent as If-Match): a stale one is ssra.KindPreconditionFailed.

// Health checks that the server process serves (GET /healthz).
func (c *Client) Health(ctx context.Context) error {
	_, err := c.send(ctx, call{method: http.MethodGet, path: "/healthz", noKey: true})
	return err
}

// Ready checks that the server's database answers (GET /readyz).
func (c *Client) Ready(ctx context.Context) error {
	_, err := c.send(ctx, call{method: http.MethodGet, path: "/readyz", noKey: true})
	return err
}

// OpenAPI returns the server's OpenAPI 3.1 document (GET /openapi.json).
func (c *Client) OpenAPI(ctx context.Context) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/openapi.json", noKey: true})
	return a.body, err
}

// Me returns who the key belongs to (GET /v1/me).
func (c *Client) Me(ctx context.Context) (Me, error) {
	var out Me
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/me"}, &out)
	return out, err
}

// post sends body to path and decodes the answer into a T.
func post[T any](ctx context.Context, c *Client, path string, body any) (T, error) {
	var out T
	_, err := c.do(ctx, call{method: http.MethodPost, path: path, body: body}, &out)
	return out, err
}

// get reads path into a T.
func get[T any](ctx context.Context, c *Client, path string, query url.Values) (T, error) {
	var out T
	_, err := c.do(ctx, call{method: http.MethodGet, path: path, query: query}, &out)
	return out, err
}

// AHP derives weights from a pairwise comparison matrix (层次分析法; POST
// /v1/riskeval/ahp).
func (c *Client) AHP(ctx context.Context, req AHPRequest) (riskeval.AHPResult, error) {
	return post[riskeval.AHPResult](ctx, c, "/v1/riskeval/ahp", req)
}

// Fuzzy runs a fuzzy comprehensive evaluation (POST /v1/riskeval/fuzzy).
func (c *Client) Fuzzy(ctx context.Context, req FuzzyRequest) (riskeval.FuzzyResult, error) {
	return post[riskeval.FuzzyResult](ctx, c, "/v1/riskeval/fuzzy", req)
}

// Evaluate evaluates an assessment under a profile (POST
// /v1/riskeval/evaluate): profile is a preset name, a profile object (a
// value that encodes to one), or nil for the default preset.
func (c *Client) Evaluate(ctx context.Context, a riskeval.Assessment, profile any) (riskeval.Result, error) {
	return post[riskeval.Result](ctx, c, "/v1/riskeval/evaluate", evaluateBody{Assessment: a, Profile: profile})
}

// Sensitivity answers how robust an assessment's levels are (POST
// /v1/riskeval/sensitivity): the margins, each factor's smallest flips and
// the level distribution over the panel's ratings; profile is as for
// Evaluate, and opt sets the Monte Carlo seed and samples (zero: the
// server's defaults).
func (c *Client) Sensitivity(ctx context.Context, a riskeval.Assessment, profile any, opt SensitivityOptions) (Sensitivity, error) {
	return post[Sensitivity](ctx, c, "/v1/riskeval/sensitivity", sensitivityBody{evaluateBody: evaluateBody{Assessment: a, Profile: profile}, Seed: opt.Seed, Samples: opt.Samples})
}

// AssessmentSensitivity answers how robust a stored assessment's levels
// are under its profile (GET /v1/assessments/{id}/sensitivity); an
// assessment that does not evaluate is ssra.KindInvalid with its problems.
func (c *Client) AssessmentSensitivity(ctx context.Context, id string) (Sensitivity, error) {
	if err := need("AssessmentSensitivity", map[string]string{"id": id}); err != nil {
		return Sensitivity{}, err
	}
	return get[Sensitivity](ctx, c, "/v1/assessments/"+seg(id)+"/sensitivity", nil)
}

// ValidateProfile lists every problem of a risk profile definition (POST
// /v1/riskeval/profiles/validate).
func (c *Client) ValidateProfile(ctx context.Context, profile json.RawMessage) (ProfileValidation, error) {
	return post[ProfileValidation](ctx, c, "/v1/riskeval/profiles/validate", profile)
}

// Deadlines computes the statutory deadlines from an event (POST
// /v1/stability/deadlines).
func (c *Client) Deadlines(ctx context.Context, req DeadlinesRequest) ([]stability.Deadline, error) {
	out, err := post[struct {
		Deadlines []stability.Deadline `json:"deadlines"`
	}](ctx, c, "/v1/stability/deadlines", req)
	return out.Deadlines, err
}

// Presets lists the shipped presets (GET /v1/presets).
func (c *Client) Presets(ctx context.Context) (Presets, error) {
	return get[Presets](ctx, c, "/v1/presets", nil)
}

// Score scores one subject under a scheme (POST /v1/appraisal/score).
func (c *Client) Score(ctx context.Context, req ScoreRequest) (appraisal.Result, error) {
	return post[appraisal.Result](ctx, c, "/v1/appraisal/score", req)
}

// Rank ranks staff under a scheme and a staff policy's quota (POST
// /v1/appraisal/rank).
func (c *Client) Rank(ctx context.Context, req RankRequest) (appraisal.Ranking, error) {
	return post[appraisal.Ranking](ctx, c, "/v1/appraisal/rank", req)
}

// create posts body to a collection and returns the stored resource.
func (c *Client) create(ctx context.Context, path string, body any) (Resource, error) {
	return post[Resource](ctx, c, path, body)
}

// list reads one page of a collection.
func (c *Client) list(ctx context.Context, path string, o ListOptions) (Listing, error) {
	q := url.Values{}
	for _, s := range o.Status {
		q.Add("status", s)
	}
	if o.Scope != "" {
		q.Set("scope", o.Scope)
	}
	if o.After != "" {
		q.Set("after", o.After)
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	for k, v := range o.Extra {
		q.Set(k, v)
	}
	return get[Listing](ctx, c, path, q)
}

// read reads one stored resource.
func (c *Client) read(ctx context.Context, collection, id string) (Resource, error) {
	if err := need("read", map[string]string{"id": id}); err != nil {
		return Resource{}, err
	}
	return get[Resource](ctx, c, collection+"/"+seg(id), nil)
}

// write sends a versioned write (If-Match) to path.
func (c *Client) write(ctx context.Context, method, path string, version int64, body any) (Resource, error) {
	if body == nil {
		body = struct{}{}
	}
	var out Resource
	_, err := c.do(ctx, call{method: method, path: path, body: body, header: ifMatch(version)}, &out)
	return out, err
}

// share gives an organisation read-only access to a record.
func (c *Client) share(ctx context.Context, collection, id, orgID string) error {
	if err := need("share", map[string]string{"id": id, "org_id": orgID}); err != nil {
		return err
	}
	_, err := c.send(ctx, call{method: http.MethodPost, path: collection + "/" + seg(id) + "/share", body: map[string]string{"org_id": orgID}})
	return err
}

// assessmentBody is the body of an assessment write.
type assessmentBody struct {
	Profile    string              `json:"profile"`
	Assessment riskeval.Assessment `json:"assessment"`
}

// CreateAssessment stores a draft assessment under a stored or preset
// profile (POST /v1/assessments).
func (c *Client) CreateAssessment(ctx context.Context, profile string, a riskeval.Assessment) (Resource, error) {
	return c.create(ctx, "/v1/assessments", assessmentBody{Profile: profile, Assessment: a})
}

// ListAssessments lists the assessments the caller may see (GET
// /v1/assessments).
func (c *Client) ListAssessments(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/assessments", o)
}

// GetAssessment reads one assessment with its result (GET
// /v1/assessments/{id}).
func (c *Client) GetAssessment(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/assessments", id)
}

// UpdateAssessment replaces a draft at version (PUT /v1/assessments/{id}).
func (c *Client) UpdateAssessment(ctx context.Context, id string, version int64, profile string, a riskeval.Assessment) (Resource, error) {
	return c.write(ctx, http.MethodPut, "/v1/assessments/"+seg(id), version, assessmentBody{Profile: profile, Assessment: a})
}

// SubmitAssessment submits a draft for review (POST
// /v1/assessments/{id}/submit).
func (c *Client) SubmitAssessment(ctx context.Context, id string, version int64) (Resource, error) {
	return c.write(ctx, http.MethodPost, "/v1/assessments/"+seg(id)+"/submit", version, nil)
}

// StartReview takes a submitted assessment into review (POST
// /v1/assessments/{id}/start_review).
func (c *Client) StartReview(ctx context.Context, id string, version int64) (Resource, error) {
	return c.write(ctx, http.MethodPost, "/v1/assessments/"+seg(id)+"/start_review", version, nil)
}

// ReturnAssessment returns an assessment under review to its writer with a
// reason (POST /v1/assessments/{id}/return).
func (c *Client) ReturnAssessment(ctx context.Context, id string, version int64, reason string) (Resource, error) {
	return c.write(ctx, http.MethodPost, "/v1/assessments/"+seg(id)+"/return", version, map[string]string{"reason": reason})
}

// IssueAssessment issues a reviewed assessment (POST
// /v1/assessments/{id}/issue).
func (c *Client) IssueAssessment(ctx context.Context, id string, version int64) (Resource, error) {
	return c.write(ctx, http.MethodPost, "/v1/assessments/"+seg(id)+"/issue", version, nil)
}

// ShareAssessment gives an organisation read-only access (POST
// /v1/assessments/{id}/share).
func (c *Client) ShareAssessment(ctx context.Context, id, orgID string) error {
	return c.share(ctx, "/v1/assessments", id, orgID)
}

// Decide takes the decision body's decision on an issued assessment at
// version through the approval gate: intent approve,
// approve_with_measures or refuse (POST /v1/assessments/{id}/decision).
func (c *Client) Decide(ctx context.Context, assessmentID string, version int64, intent, reason string) (Resource, error) {
	body := map[string]string{"intent": intent}
	if reason != "" {
		body["reason"] = reason
	}
	return c.write(ctx, http.MethodPost, "/v1/assessments/"+seg(assessmentID)+"/decision", version, body)
}

// ListDecisions lists the decisions on an assessment (GET
// /v1/assessments/{id}/decisions).
func (c *Client) ListDecisions(ctx context.Context, assessmentID string, o ListOptions) (Listing, error) {
	if err := need("ListDecisions", map[string]string{"id": assessmentID}); err != nil {
		return Listing{}, err
	}
	return c.list(ctx, "/v1/assessments/"+seg(assessmentID)+"/decisions", o)
}

// GetDecision reads one decision (GET /v1/decisions/{id}).
func (c *Client) GetDecision(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/decisions", id)
}

// caseBody is the body of a case registration: the intake and the
// deadline profile.
type caseBody[T any] struct {
	Intake  T
	Profile string
}

func (b caseBody[T]) MarshalJSON() ([]byte, error) {
	in, err := json.Marshal(b.Intake)
	if err != nil {
		return nil, err
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(in, &m); err != nil {
		return nil, err
	}
	if b.Profile != "" {
		p, _ := json.Marshal(b.Profile)
		m["profile"] = p
	}
	return json.Marshal(m)
}

// RegisterComplaint registers a complaint (信访事项登记) under a deadline
// profile ("" for the default) and returns it with the query code for the
// complainant (POST /v1/complaints).
func (c *Client) RegisterComplaint(ctx context.Context, profile string, in stability.Intake) (Registration, error) {
	return post[Registration](ctx, c, "/v1/complaints", caseBody[stability.Intake]{Intake: in, Profile: profile})
}

// ListComplaints lists the complaints the caller may see (GET
// /v1/complaints).
func (c *Client) ListComplaints(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/complaints", o)
}

// OverdueComplaints lists the complaints past a deadline (GET
// /v1/complaints/overdue).
func (c *Client) OverdueComplaints(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/complaints/overdue", o)
}

// ComplaintsDueSoon lists the complaints whose next deadline is near (GET
// /v1/complaints/due_soon).
func (c *Client) ComplaintsDueSoon(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/complaints/due_soon", o)
}

// GetComplaint reads one complaint as the caller may see it (GET
// /v1/complaints/{id}).
func (c *Client) GetComplaint(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/complaints", id)
}

// ComplaintAction applies a casework transition (accept, route, extend,
// decide, …; see the OpenAPI document) to a complaint at version with its
// body, nil for none (POST /v1/complaints/{id}/{action}).
func (c *Client) ComplaintAction(ctx context.Context, id, action string, version int64, body any) (Resource, error) {
	if err := need("ComplaintAction", map[string]string{"id": id, "action": action}); err != nil {
		return Resource{}, err
	}
	return c.write(ctx, http.MethodPost, "/v1/complaints/"+seg(id)+"/"+seg(action), version, body)
}

// publicStatus reads the public view of a case with its query code, sent
// in a header (never in the URL).
func (c *Client) publicStatus(ctx context.Context, kind, reference, code string) (PublicView, error) {
	if err := need("PublicStatus", map[string]string{"reference": reference, "code": code}); err != nil {
		return PublicView{}, err
	}
	var out PublicView
	_, err := c.do(ctx, call{method: http.MethodGet, path: "/v1/public/" + kind + "/" + seg(reference), noKey: true,
		header: http.Header{QueryCodeHeader: {code}}}, &out)
	return out, err
}

// QueryCodeHeader is the header that carries a case's query code.
const QueryCodeHeader = "X-Query-Code"

func (c *Client) publicRate(ctx context.Context, kind, reference, code string, r stability.Rating) (PublicView, error) {
	if err := need("Rate", map[string]string{"reference": reference, "code": code}); err != nil {
		return PublicView{}, err
	}
	var out PublicView
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/public/" + kind + "/" + seg(reference) + "/rating", noKey: true,
		body: struct {
			Code   string           `json:"code"`
			Rating stability.Rating `json:"rating"`
		}{code, r}}, &out)
	return out, err
}

// ComplaintStatus is the complainant's status check by reference number
// and query code (GET /v1/public/complaints/{reference}); it needs no key.
func (c *Client) ComplaintStatus(ctx context.Context, reference, code string) (PublicView, error) {
	return c.publicStatus(ctx, "complaints", reference, code)
}

// RateComplaint gives the complainant's satisfaction rating (满意度评价;
// POST /v1/public/complaints/{reference}/rating).
func (c *Client) RateComplaint(ctx context.Context, reference, code string, r stability.Rating) (PublicView, error) {
	return c.publicRate(ctx, "complaints", reference, code, r)
}

// VerifyAudit verifies the transparency log (GET /v1/audit/verify; admins).
func (c *Client) VerifyAudit(ctx context.Context) (AuditReport, error) {
	return get[AuditReport](ctx, c, "/v1/audit/verify", nil)
}

// CreateProfile stores a risk profile definition (POST /v1/profiles).
func (c *Client) CreateProfile(ctx context.Context, profile json.RawMessage) (Resource, error) {
	return c.create(ctx, "/v1/profiles", profile)
}

// ListProfiles lists the stored profiles (GET /v1/profiles).
func (c *Client) ListProfiles(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/profiles", o)
}

// GetProfile reads one stored profile (GET /v1/profiles/{id}).
func (c *Client) GetProfile(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/profiles", id)
}

// ShareProfile shares a profile read-only (POST /v1/profiles/{id}/share).
func (c *Client) ShareProfile(ctx context.Context, id, orgID string) error {
	return c.share(ctx, "/v1/profiles", id, orgID)
}

// TakeInDispute takes in a dispute for mediation (人民调解受理) under a
// deadline profile ("" for the default), returning the party's query code
// (POST /v1/disputes).
func (c *Client) TakeInDispute(ctx context.Context, profile string, in stability.MediationIntake) (Registration, error) {
	return post[Registration](ctx, c, "/v1/disputes", caseBody[stability.MediationIntake]{Intake: in, Profile: profile})
}

// ListDisputes lists the disputes the caller may see (GET /v1/disputes).
func (c *Client) ListDisputes(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/disputes", o)
}

// OverdueDisputes lists the disputes past their mediation limit (GET
// /v1/disputes/overdue).
func (c *Client) OverdueDisputes(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/disputes/overdue", o)
}

// GetDispute reads one dispute as the caller may see it (GET
// /v1/disputes/{id}).
func (c *Client) GetDispute(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/disputes", id)
}

// DisputeAction applies a mediation transition (assign, agree, hand_over,
// …; see the OpenAPI document) at version with its body (POST
// /v1/disputes/{id}/{action}).
func (c *Client) DisputeAction(ctx context.Context, id, action string, version int64, body any) (Resource, error) {
	if err := need("DisputeAction", map[string]string{"id": id, "action": action}); err != nil {
		return Resource{}, err
	}
	return c.write(ctx, http.MethodPost, "/v1/disputes/"+seg(id)+"/"+seg(action), version, body)
}

// DisputeStatus is a party's status check (GET
// /v1/public/disputes/{reference}); it needs no key.
func (c *Client) DisputeStatus(ctx context.Context, reference, code string) (PublicView, error) {
	return c.publicStatus(ctx, "disputes", reference, code)
}

// RateDispute gives a party's satisfaction rating (POST
// /v1/public/disputes/{reference}/rating).
func (c *Client) RateDispute(ctx context.Context, reference, code string, r stability.Rating) (PublicView, error) {
	return c.publicRate(ctx, "disputes", reference, code, r)
}

// CreatePlan stores a work plan (工作方案; POST /v1/plans).
func (c *Client) CreatePlan(ctx context.Context, plan stability.Plan) (Resource, error) {
	return c.create(ctx, "/v1/plans", plan)
}

// ListPlans lists the plans (GET /v1/plans).
func (c *Client) ListPlans(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/plans", o)
}

// GetPlan reads one plan (GET /v1/plans/{id}).
func (c *Client) GetPlan(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/plans", id)
}

// ReplacePlan replaces a plan at version (PUT /v1/plans/{id}).
func (c *Client) ReplacePlan(ctx context.Context, id string, version int64, plan stability.Plan) (Resource, error) {
	return c.write(ctx, http.MethodPut, "/v1/plans/"+seg(id), version, plan)
}

// SharePlan shares a plan read-only (POST /v1/plans/{id}/share).
func (c *Client) SharePlan(ctx context.Context, id, orgID string) error {
	return c.share(ctx, "/v1/plans", id, orgID)
}

// ReportProgress reports progress on a task of a plan at version (POST
// /v1/plans/{id}/reports); the reporter is the caller.
func (c *Client) ReportProgress(ctx context.Context, id string, version int64, r stability.ProgressReport) (Resource, error) {
	return c.write(ctx, http.MethodPost, "/v1/plans/"+seg(id)+"/reports", version, r)
}

// AcceptPlan runs the acceptance check (验收) of a plan at version with
// measurements, on a date (zero: today) (POST /v1/plans/{id}/acceptance).
func (c *Client) AcceptPlan(ctx context.Context, id string, version int64, on ssra.Date, ms []stability.Measurement) (Resource, error) {
	return c.write(ctx, http.MethodPost, "/v1/plans/"+seg(id)+"/acceptance", version, struct {
		On           ssra.Date               `json:"on,omitzero"`
		Measurements []stability.Measurement `json:"measurements"`
	}{on, ms})
}

// CreateAppraisalRun runs and stores an appraisal (POST
// /v1/appraisal_runs).
func (c *Client) CreateAppraisalRun(ctx context.Context, req AppraisalRunRequest) (Resource, error) {
	return c.create(ctx, "/v1/appraisal_runs", req)
}

// ListAppraisalRuns lists the appraisal runs (GET /v1/appraisal_runs).
func (c *Client) ListAppraisalRuns(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/appraisal_runs", o)
}

// GetAppraisalRun reads one run as the caller may see it (GET
// /v1/appraisal_runs/{id}).
func (c *Client) GetAppraisalRun(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/appraisal_runs", id)
}

// CreateScheme stores an appraisal scheme definition (POST /v1/schemes).
func (c *Client) CreateScheme(ctx context.Context, scheme json.RawMessage) (Resource, error) {
	return c.create(ctx, "/v1/schemes", scheme)
}

// ListSchemes lists the stored schemes (GET /v1/schemes).
func (c *Client) ListSchemes(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/schemes", o)
}

// GetScheme reads one stored scheme (GET /v1/schemes/{id}).
func (c *Client) GetScheme(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/schemes", id)
}

// ShareScheme shares a scheme read-only (POST /v1/schemes/{id}/share).
func (c *Client) ShareScheme(ctx context.Context, id, orgID string) error {
	return c.share(ctx, "/v1/schemes", id, orgID)
}

// Checkpoint returns the transparency log's latest checkpoint note (GET
// /v1/audit/checkpoint).
func (c *Client) Checkpoint(ctx context.Context) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/v1/audit/checkpoint"})
	return a.body, err
}

// CosignedCheckpoint returns the checkpoint of the largest tree the
// configured witnesses (见证人) have cosigned, with the log's signature and
// theirs (GET /v1/audit/checkpoint/cosigned); a not-found error while no
// witness has cosigned one.
func (c *Client) CosignedCheckpoint(ctx context.Context) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/v1/audit/checkpoint/cosigned"})
	return a.body, err
}

// AddCosignatures hands the server a checkpoint note of its log that
// carries witnesses' cosignatures (C2SP tlog-cosignature) and returns the
// cosigned tree size and every witness that has cosigned it (POST
// /v1/audit/cosignatures). A note that is not the log's, or carries no valid
// cosignature of a configured witness, is refused.
func (c *Client) AddCosignatures(ctx context.Context, note []byte) (Cosigned, error) {
	var out Cosigned
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/audit/cosignatures", body: map[string]string{"checkpoint": string(note)}}, &out)
	return out, err
}

// ProveRecord returns the inclusion proof of a record version's leaf (GET
// /v1/audit/proof).
func (c *Client) ProveRecord(ctx context.Context, recordID string, version int64) (InclusionProof, error) {
	return get[InclusionProof](ctx, c, "/v1/audit/proof", url.Values{"record": {recordID}, "version": {strconv.FormatInt(version, 10)}})
}

// ProveConsistency returns the proof that the tree of size to extends the
// tree of size from (GET /v1/audit/consistency).
func (c *Client) ProveConsistency(ctx context.Context, from, to int64) (ConsistencyProof, error) {
	return get[ConsistencyProof](ctx, c, "/v1/audit/consistency", url.Values{"from": {strconv.FormatInt(from, 10)}, "to": {strconv.FormatInt(to, 10)}})
}

// Tile returns one hash tile of the log by its tlog path, such as 8/0/001
// (GET /v1/audit/tile; admins).
func (c *Client) Tile(ctx context.Context, path string) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/v1/audit/tile", query: url.Values{"path": {path}}})
	return a.body, err
}

// CaseworkStats computes the casework indicators (on-time rates per duty,
// handling days, backlog, satisfaction) over the cases the options select,
// by group (GET /v1/stats/casework). Each figure carries its formula, basis
// and counts, and the answer the query that reproduces it.
func (c *Client) CaseworkStats(ctx context.Context, o StatsOptions) (CaseworkStats, error) {
	return get[CaseworkStats](ctx, c, "/v1/stats/casework", o.values(""))
}

// RegisterStats computes the register indicators (screening rounds held
// on time, entries closed within their deadline, resolution rate) over the
// screening plans and register entries the caller's organisation holds or
// was shared, at the server's today (GET /v1/stats/register).
func (c *Client) RegisterStats(ctx context.Context) (RegisterStats, error) {
	return get[RegisterStats](ctx, c, "/v1/stats/register", nil)
}

// MeasureStats computes the measure indicators (tracked measures verified
// by their due date, measures verified, overdue measures by owning
// organisation) over the measures the caller's organisation holds, at the
// date, or the server's today when at is zero (GET /v1/stats/measures).
func (c *Client) MeasureStats(ctx context.Context, at ssra.Date) (MeasureStats, error) {
	var q url.Values
	if !at.IsZero() {
		q = url.Values{"at": {at.String()}}
	}
	return get[MeasureStats](ctx, c, "/v1/stats/measures", q)
}

// CaseworkStatsCSV is CaseworkStats as CSV, one row per group and
// indicator (GET /v1/stats/casework?format=csv).
func (c *Client) CaseworkStatsCSV(ctx context.Context, o StatsOptions) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/v1/stats/casework", query: o.values("csv")})
	return a.body, err
}

// AssessmentReport renders an assessment's report, format html or md, in
// lang zh-CN or en ("" for the server's defaults), and returns it with its
// media type (GET /v1/assessments/{id}/report).
func (c *Client) AssessmentReport(ctx context.Context, id, format, lang string) ([]byte, string, error) {
	if err := need("AssessmentReport", map[string]string{"id": id}); err != nil {
		return nil, "", err
	}
	q := url.Values{}
	if format != "" {
		q.Set("format", format)
	}
	if lang != "" {
		q.Set("lang", lang)
	}
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/v1/assessments/" + seg(id) + "/report", query: q})
	return a.body, a.header.Get("Content-Type"), err
}

// AssessmentHeatmap renders the risk matrix heat map as SVG (GET
// /v1/assessments/{id}/heatmap.svg).
func (c *Client) AssessmentHeatmap(ctx context.Context, id string) ([]byte, error) {
	if err := need("AssessmentHeatmap", map[string]string{"id": id}); err != nil {
		return nil, err
	}
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/v1/assessments/" + seg(id) + "/heatmap.svg"})
	return a.body, err
}

// AssessmentTornado renders the tornado chart of the assessment's
// sensitivity analysis as SVG (GET /v1/assessments/{id}/tornado.svg); lang
// is zh-CN (the server's default when empty) or en.
func (c *Client) AssessmentTornado(ctx context.Context, id, lang string) ([]byte, error) {
	if err := need("AssessmentTornado", map[string]string{"id": id}); err != nil {
		return nil, err
	}
	q := url.Values{}
	if lang != "" {
		q.Set("lang", lang)
	}
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/v1/assessments/" + seg(id) + "/tornado.svg", query: q})
	return a.body, err
}

// The pages for people (the complainant's status page, its assets, the
// API's documentation) are HTML for browsers; these methods fetch them as
// they are, for tests and monitors.

// StatusPage returns the status check's form page for kind complaint or
// dispute (GET /status/{kind}).
func (c *Client) StatusPage(ctx context.Context, kind, lang string) ([]byte, error) {
	q := url.Values{}
	if lang != "" {
		q.Set("lang", lang)
	}
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/status/" + seg(kind), query: q, noKey: true})
	return a.body, err
}

// StatusPageCheck posts the status form with a reference and query code,
// in a form body, and returns the answer page (POST /status/{kind}).
func (c *Client) StatusPageCheck(ctx context.Context, kind, reference, code, lang string) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodPost, path: "/status/" + seg(kind), noKey: true,
		form: url.Values{"reference": {reference}, "code": {code}, "lang": {lang}}})
	return a.body, err
}

// StatusPageRate posts the rating form and returns the answer page (POST
// /status/{kind}/rating).
func (c *Client) StatusPageRate(ctx context.Context, kind, reference, code string, r stability.Rating, lang string) ([]byte, error) {
	rt, err := r.MarshalText()
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInvalid, "restclient.StatusPageRate", err, "rating")
	}
	a, err := c.send(ctx, call{method: http.MethodPost, path: "/status/" + seg(kind) + "/rating", noKey: true,
		form: url.Values{"reference": {reference}, "code": {code}, "rating": {string(rt)}, "lang": {lang}}})
	return a.body, err
}

// Asset returns one of the pages' embedded assets (GET /assets/{name}).
func (c *Client) Asset(ctx context.Context, name string) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/assets/" + seg(name), noKey: true})
	return a.body, err
}

// Docs returns the API documentation page (GET /docs).
func (c *Client) Docs(ctx context.Context) ([]byte, error) {
	a, err := c.send(ctx, call{method: http.MethodGet, path: "/docs", noKey: true})
	return a.body, err
}

// CreateUser creates a user of the caller's organisation (POST /v1/users;
// admins).
func (c *Client) CreateUser(ctx context.Context, name string, roles ...ssra.Role) (User, error) {
	return post[User](ctx, c, "/v1/users", map[string]any{"name": name, "roles": nonNilRoles(roles)})
}

func nonNilRoles(rs []ssra.Role) []ssra.Role {
	if rs == nil {
		return []ssra.Role{}
	}
	return rs
}

// ListUsers lists the caller's organisation's users (GET /v1/users).
func (c *Client) ListUsers(ctx context.Context) ([]User, error) {
	out, err := get[struct {
		Items []User `json:"items"`
	}](ctx, c, "/v1/users", nil)
	return out.Items, err
}

// GetUser reads one user (GET /v1/users/{id}).
func (c *Client) GetUser(ctx context.Context, id string) (User, error) {
	if err := need("GetUser", map[string]string{"id": id}); err != nil {
		return User{}, err
	}
	return get[User](ctx, c, "/v1/users/"+seg(id), nil)
}

// SetRoles replaces the roles of a user as read at version (POST
// /v1/users/{id}/roles, If-Match): a user changed meanwhile is
// ssra.KindPreconditionFailed and nothing is written; read it again.
func (c *Client) SetRoles(ctx context.Context, id string, version int64, roles ...ssra.Role) (User, error) {
	return c.changeUser(ctx, "SetRoles", id, "roles", version, map[string]any{"roles": nonNilRoles(roles)})
}

// DisableUser disables a user as read at version; their keys stop at once
// (POST /v1/users/{id}/disable, If-Match).
func (c *Client) DisableUser(ctx context.Context, id string, version int64) (User, error) {
	return c.changeUser(ctx, "DisableUser", id, "disable", version, struct{}{})
}

// EnableUser enables a user as read at version (POST
// /v1/users/{id}/enable, If-Match).
func (c *Client) EnableUser(ctx context.Context, id string, version int64) (User, error) {
	return c.changeUser(ctx, "EnableUser", id, "enable", version, struct{}{})
}

// changeUser posts a change of a user made from version.
func (c *Client) changeUser(ctx context.Context, method, id, action string, version int64, body any) (User, error) {
	if err := need(method, map[string]string{"id": id}); err != nil {
		return User{}, err
	}
	var out User
	_, err := c.do(ctx, call{method: http.MethodPost, path: "/v1/users/" + seg(id) + "/" + action, body: body, header: ifMatch(version)}, &out)
	return out, err
}

// keyRequest is the body of a key issue or rotation.
type keyRequest struct {
	Name      string     `json:"name,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
}

func expiry(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// IssueKey issues a key for a user, expiring at expiresAt (zero: never);
// the secret is in the answer only (POST /v1/users/{id}/keys).
func (c *Client) IssueKey(ctx context.Context, userID, name string, expiresAt time.Time) (IssuedKey, error) {
	if err := need("IssueKey", map[string]string{"id": userID, "name": name}); err != nil {
		return IssuedKey{}, err
	}
	return post[IssuedKey](ctx, c, "/v1/users/"+seg(userID)+"/keys", keyRequest{Name: name, ExpiresAt: expiry(expiresAt)})
}

// ListKeys lists the organisation's keys, of one user when userID is not
// empty (GET /v1/keys).
func (c *Client) ListKeys(ctx context.Context, userID string) ([]APIKey, error) {
	q := url.Values{}
	if userID != "" {
		q.Set("user_id", userID)
	}
	out, err := get[struct {
		Items []APIKey `json:"items"`
	}](ctx, c, "/v1/keys", q)
	return out.Items, err
}

// RevokeKey revokes a key at once (POST /v1/keys/{id}/revoke).
func (c *Client) RevokeKey(ctx context.Context, id string) (APIKey, error) {
	if err := need("RevokeKey", map[string]string{"id": id}); err != nil {
		return APIKey{}, err
	}
	return post[APIKey](ctx, c, "/v1/keys/"+seg(id)+"/revoke", struct{}{})
}

// RotateKey revokes a live key and issues its successor, expiring at
// expiresAt (zero: never) (POST /v1/keys/{id}/rotate).
func (c *Client) RotateKey(ctx context.Context, id string, expiresAt time.Time) (IssuedKey, error) {
	if err := need("RotateKey", map[string]string{"id": id}); err != nil {
		return IssuedKey{}, err
	}
	return post[IssuedKey](ctx, c, "/v1/keys/"+seg(id)+"/rotate", keyRequest{ExpiresAt: expiry(expiresAt)})
}

// OpenTracking opens the tracking of the measures a decision imposed (稳评措施落实;
// POST /v1/decisions/{id}/tracking): the decision body's act.
func (c *Client) OpenTracking(ctx context.Context, decisionID string) (Resource, error) {
	if err := need("OpenTracking", map[string]string{"decision_id": decisionID}); err != nil {
		return Resource{}, err
	}
	return c.create(ctx, "/v1/decisions/"+seg(decisionID)+"/tracking", struct{}{})
}

// ListTrackings lists the trackings the organisation holds or was shared
// (GET /v1/trackings).
func (c *Client) ListTrackings(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/trackings", o)
}

// GetTracking reads a tracking with its summary (GET /v1/trackings/{id}).
func (c *Client) GetTracking(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/trackings", id)
}

// OverdueMeasures lists the open measures past their due date at the
// server's today (GET /v1/trackings/overdue).
func (c *Client) OverdueMeasures(ctx context.Context, o ListOptions) (OverdueMeasures, error) {
	q := url.Values{}
	if o.After != "" {
		q.Set("after", o.After)
	}
	if o.Limit > 0 {
		q.Set("limit", strconv.Itoa(o.Limit))
	}
	if o.Scope != "" {
		q.Set("scope", o.Scope)
	}
	return get[OverdueMeasures](ctx, c, "/v1/trackings/overdue", q)
}

// ActOnMeasure records an act on a measure of a tracking at version (POST
// /v1/trackings/{id}/{act}): act is report or complete (the owner's), verify
// or reject (the decision body or the assessing body), or drop (the
// decision body); in carries what the act takes.
func (c *Client) ActOnMeasure(ctx context.Context, id string, version int64, act string, in MeasureInput) (Resource, error) {
	switch act {
	case "report", "complete", "verify", "reject", "drop":
	default:
		return Resource{}, ssra.Errorf(ssra.KindInvalid, "restclient.ActOnMeasure", "act must be report, complete, verify, reject or drop, not %q", act)
	}
	if err := need("ActOnMeasure", map[string]string{"id": id}); err != nil {
		return Resource{}, err
	}
	return c.write(ctx, http.MethodPost, "/v1/trackings/"+seg(id)+"/"+act, version, in)
}

// OpenFollowUp opens a follow-up assessment (跟踪评估) from a tracking at
// version, with the reason and the measures that prompted it; the answer is
// the new draft assessment (POST /v1/trackings/{id}/follow_up).
func (c *Client) OpenFollowUp(ctx context.Context, id string, version int64, reason string, measures []string) (Resource, error) {
	return c.write(ctx, http.MethodPost, "/v1/trackings/"+seg(id)+"/follow_up", version, struct {
		Reason   string   `json:"reason"`
		Measures []string `json:"measures,omitempty"`
	}{reason, measures})
}

// CreateScreeningPlan stores a plan of dispute screening (矛盾纠纷排查) kept
// by the caller's organisation (POST /v1/screening_plans).
func (c *Client) CreateScreeningPlan(ctx context.Context, plan stability.ScreeningPlan) (Resource, error) {
	return c.create(ctx, "/v1/screening_plans", plan)
}

// ListScreeningPlans lists the plans the organisation keeps or screens
// under (GET /v1/screening_plans).
func (c *Client) ListScreeningPlans(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/screening_plans", o)
}

// GetScreeningPlan reads a plan with its rounds and slot states (GET
// /v1/screening_plans/{id}).
func (c *Client) GetScreeningPlan(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/screening_plans", id)
}

// ShareScreeningPlan shares a plan read-only (POST
// /v1/screening_plans/{id}/share).
func (c *Client) ShareScreeningPlan(ctx context.Context, id, orgID string) error {
	return c.share(ctx, "/v1/screening_plans", id, orgID)
}

// RecordRound records a screening round under a plan at version (POST
// /v1/screening_plans/{id}/rounds); the leading official is the caller.
func (c *Client) RecordRound(ctx context.Context, id string, version int64, r RoundInput) (Resource, error) {
	return c.write(ctx, http.MethodPost, "/v1/screening_plans/"+seg(id)+"/rounds", version, r)
}

// MissedRounds lists the rounds missed (漏排) at the server's today under the
// plans the organisation may see; scope is "", owned or shared (GET
// /v1/screening_plans/missed).
func (c *Client) MissedRounds(ctx context.Context, scope string) (MissedRounds, error) {
	q := url.Values{}
	if scope != "" {
		q.Set("scope", scope)
	}
	return get[MissedRounds](ctx, c, "/v1/screening_plans/missed", q)
}

// EnterIssue enters an issue in the organisation's register (排查台账; POST
// /v1/register_entries).
func (c *Client) EnterIssue(ctx context.Context, in stability.EntryIntake) (Resource, error) {
	return c.create(ctx, "/v1/register_entries", in)
}

// ListRegisterEntries lists the entries the organisation keeps or owns
// (GET /v1/register_entries).
func (c *Client) ListRegisterEntries(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/register_entries", o)
}

// OverdueRegisterEntries lists the entries still in the register after
// their deadline (逾期未销号; GET /v1/register_entries/overdue).
func (c *Client) OverdueRegisterEntries(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/register_entries/overdue", o)
}

// GetRegisterEntry reads an entry (GET /v1/register_entries/{id}).
func (c *Client) GetRegisterEntry(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/register_entries", id)
}

// ShareRegisterEntry shares an entry read-only (POST
// /v1/register_entries/{id}/share).
func (c *Client) ShareRegisterEntry(ctx context.Context, id, orgID string) error {
	return c.share(ctx, "/v1/register_entries", id, orgID)
}

// ActOnEntry moves a register entry at version (POST
// /v1/register_entries/{id}/{act}): act is start, resolve, close (销号),
// reject or link_case; in carries what the act takes.
func (c *Client) ActOnEntry(ctx context.Context, id string, version int64, act string, in EntryInput) (Resource, error) {
	switch act {
	case "start", "resolve", "close", "reject", "link_case":
	default:
		return Resource{}, ssra.Errorf(ssra.KindInvalid, "restclient.ActOnEntry", "act must be start, resolve, close, reject or link_case, not %q", act)
	}
	if err := need("ActOnEntry", map[string]string{"id": id}); err != nil {
		return Resource{}, err
	}
	return c.write(ctx, http.MethodPost, "/v1/register_entries/"+seg(id)+"/"+act, version, in)
}

// RecordReceptionDay records a leader's reception day (领导接访) of the
// caller's organisation (POST /v1/reception_days). A responsible leader of
// a case (包案) is assigned with ComplaintAction or DisputeAction
// "assign_leader" and LeaderInput.
func (c *Client) RecordReceptionDay(ctx context.Context, in ReceptionInput) (Resource, error) {
	return c.create(ctx, "/v1/reception_days", in)
}

// ListReceptionDays lists the organisation's reception days (GET
// /v1/reception_days).
func (c *Client) ListReceptionDays(ctx context.Context, o ListOptions) (Listing, error) {
	return c.list(ctx, "/v1/reception_days", o)
}

// GetReceptionDay reads a reception day (GET /v1/reception_days/{id}).
func (c *Client) GetReceptionDay(ctx context.Context, id string) (Resource, error) {
	return c.read(ctx, "/v1/reception_days", id)
}
