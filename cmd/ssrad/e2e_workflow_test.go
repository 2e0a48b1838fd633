package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/internal/openapitest"
)

// world is the organisations and users of the workflow test, with a key
// for each user.
type world struct {
	orgs map[string]string // name → id
	keys map[string]string // user → key
}

// seed creates the organisations and users in a fresh database before the
// server starts.
func seed(t *testing.T, db string) world {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	w := world{orgs: map[string]string{}, keys: map[string]string{}}
	users := []struct {
		org, name string
		roles     []ssra.Role
	}{
		{"County assessment centre", "assessor", []ssra.Role{ssra.RoleAssessor}},
		{"County assessment centre", "reviewer", []ssra.Role{ssra.RoleReviewer}},
		{"County assessment centre", "admin", []ssra.Role{ssra.RoleAdmin}},
		{"City development commission", "maker", []ssra.Role{ssra.RoleDecisionMaker}},
		{"County letters office", "clerk", []ssra.Role{ssra.RoleCaseworker}},
		{"District water bureau", "officer", []ssra.Role{ssra.RoleCaseworker}},
		{"District water bureau", "head", []ssra.Role{ssra.RoleCaseworker, ssra.RoleAdmin}},
		{"District water bureau", "appraiser", []ssra.Role{ssra.RoleAppraiser}},
		{"District water bureau", "clerk2", []ssra.Role{ssra.RoleViewer}},
	}
	for _, u := range users {
		if _, ok := w.orgs[u.org]; !ok {
			o, err := s.CreateOrganisation(ctx, sqlstore.System, u.org)
			if err != nil {
				t.Fatal(err)
			}
			w.orgs[u.org] = o.ID
		}
		usr, err := s.CreateUser(ctx, sqlstore.System, w.orgs[u.org], u.name, u.roles)
		if err != nil {
			t.Fatal(err)
		}
		key, _, err := s.CreateKey(ctx, sqlstore.System, usr.ID, "e2e")
		if err != nil {
			t.Fatal(err)
		}
		w.keys[u.name] = key
	}
	return w
}

// answer is a response of the running server.
type answer struct {
	code int
	etag string
	body map[string]any
	raw  string
}

func (a answer) str(path ...string) string {
	var v any = a.body
	for _, p := range path {
		m, _ := v.(map[string]any)
		v = m[p]
	}
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func (p *proc) call(t *testing.T, method, path, key string, body any, hdr ...string) answer {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, "http://"+p.addr+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	a := answer{code: resp.StatusCode, etag: resp.Header.Get("ETag"), raw: string(b)}
	checkContract(t, req, resp, b)
	if len(b) > 0 {
		if err := json.Unmarshal(b, &a.body); err != nil {
			t.Fatalf("%s %s: not a JSON object: %s", method, path, b)
		}
	}
	return a
}

// checkContract checks that an answer of the real server on the real store
// matches the OpenAPI document, with the tests' one contract validator.
func checkContract(t *testing.T, req *http.Request, resp *http.Response, b []byte) {
	t.Helper()
	for _, p := range openapitest.Get(t).Response(req, resp, b) {
		t.Errorf("%s %s → %d: contract drift: %s\n%.600s", req.Method, req.URL.Path, resp.StatusCode, p, b)
	}
}

func (a answer) must(t *testing.T, code int) answer {
	t.Helper()
	if a.code != code {
		t.Fatalf("status %d, want %d: %s", a.code, code, a.raw)
	}
	return a
}

// plantAssessment is a complete assessment of a project whose first
// factor has the residual estimate (p, i).
func plantAssessment(p, i int) map[string]any {
	measure := func(id, owner string) map[string]any {
		return map[string]any{"id": id, "description": "measure " + id, "owner": owner, "due": "2027-03-31"}
	}
	return map[string]any{"profile": "practice", "assessment": map[string]any{
		"subject": map[string]any{"kind": "project", "name": "district heating plant", "responsible_unit": "city utilities"},
		"regime":  "ndrc2012_project",
		"criteria": []any{
			map[string]any{"criterion": "legality", "question": "approved land use?", "answer": "yes"},
			map[string]any{"criterion": "reasonableness", "question": "fair compensation?", "answer": "yes"},
			map[string]any{"criterion": "feasibility", "question": "funded?", "answer": "yes"},
			map[string]any{"criterion": "controllability", "question": "emergency plan?", "answer": "yes"},
		},
		"factors": []any{
			map[string]any{"id": "F1", "area": "land_expropriation", "name": "compensation", "weight": "0.6",
				"initial": map[string]any{"probability": 4, "impact": 4}, "residual": map[string]any{"probability": p, "impact": i},
				"measures": []any{measure("M1", "land bureau")}},
			map[string]any{"id": "F2", "area": "ecological_environment", "name": "emissions", "weight": "0.4",
				"initial": map[string]any{"probability": 3, "impact": 3}, "residual": map[string]any{"probability": 1, "impact": 2},
				"measures": []any{measure("M2", "operator")}},
		},
		"consultations": []any{map[string]any{"method": "public_notice", "date": "2026-09-01", "participants": 0, "comment_days": 30}},
		"panel":         map[string]any{"size": 5},
	}}
}

func TestEndToEndWorkflows(t *testing.T) {
	ssradBinary(t)
	t.Run("sqlite", func(t *testing.T) { workflows(t, filepath.Join(t.TempDir(), "ssra.db")) })
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("SSRA_TEST_POSTGRES_URL")
		if base == "" {
			if os.Getenv("CI") == "true" {
				t.Fatal("CI=true but SSRA_TEST_POSTGRES_URL is not set")
			}
			t.Skip("set SSRA_TEST_POSTGRES_URL=postgres://… (a user that may create databases), or run .ci/run, to run the workflows on PostgreSQL")
		}
		workflows(t, freshPostgres(t, base))
	})
}

// workflows drives the assessment, decision and complaint workflows over
// HTTP against a fresh ssrad on the database db.
func workflows(t *testing.T, db string) {
	w := seed(t, db)
	p := start(t, []string{"SSRA_DATABASE_URL=" + db}, "-addr", "127.0.0.1:0")
	k := w.keys
	decisionBody := w.orgs["City development commission"]

	// An assessment from draft to issue, then the decision body's decision.
	issue := func(p4, i4 int) string {
		t.Helper()
		id := p.call(t, "POST", "/v1/assessments", k["assessor"], plantAssessment(p4, i4)).must(t, 201).str("id")
		etag := `"v1"`
		for _, s := range []struct{ key, action string }{{"assessor", "submit"}, {"reviewer", "start_review"}, {"reviewer", "issue"}} {
			etag = p.call(t, "POST", "/v1/assessments/"+id+"/"+s.action, k[s.key], nil, "If-Match", etag).must(t, 200).etag
		}
		p.call(t, "POST", "/v1/assessments/"+id+"/share", k["assessor"], map[string]any{"org_id": decisionBody}).must(t, 204)
		return id
	}
	low := issue(2, 2)
	got := p.call(t, "GET", "/v1/assessments/"+low, k["maker"], nil).must(t, 200)
	if got.str("status") != "issued" || got.str("read_only") != "true" || got.str("data", "assessment", "workflow", "issued", "result", "profile", "version") == "" {
		t.Fatalf("issued assessment as the decision body reads it: %s", got.raw)
	}
	d := p.call(t, "POST", "/v1/assessments/"+low+"/decision", k["maker"], map[string]any{"intent": "approve"}, "If-Match", got.etag).must(t, 201)
	if d.str("data", "outcome") != "approve_with_measures" {
		t.Fatalf("decision on a low-risk project: %s", d.raw)
	}
	medium := issue(4, 4)
	etag := p.call(t, "GET", "/v1/assessments/"+medium, k["maker"], nil).must(t, 200).etag
	d = p.call(t, "POST", "/v1/assessments/"+medium+"/decision", k["maker"], map[string]any{"intent": "approve"}, "If-Match", etag).must(t, 201)
	if d.str("data", "outcome") != "refuse" || !strings.Contains(d.str("data", "unmet"), "gate.outcome") {
		t.Fatalf("the gate let a medium-risk NDRC project through: %s", d.raw)
	}
	// The assessing body sees the decisions on its assessment.
	if n := len(p.call(t, "GET", "/v1/assessments/"+medium+"/decisions", k["assessor"], nil).must(t, 200).body["items"].([]any)); n != 1 {
		t.Fatalf("the assessing body sees %d decisions", n)
	}

	// A complaint registered, routed, accepted, extended, answered, reviewed.
	water := w.orgs["District water bureau"]
	reg := p.call(t, "POST", "/v1/complaints", k["clerk"], map[string]any{
		"channel": "letter",
		"matter": map[string]any{"type": "claim", "subject": "District water bureau", "facts": "no water for two weeks",
			"request": "restore the supply"},
		"complainants": []any{map[string]any{"name": "Wang Fang", "phone": "13900000000"}},
	}).must(t, 201)
	id, ref, code := reg.str("id"), reg.str("data", "ref"), reg.str("query_code")
	etag = reg.etag
	for _, s := range []struct {
		key, action string
		body        any
	}{
		{"clerk", "route", map[string]any{"to": water, "mode": "transfer"}},
		{"officer", "accept", nil},
		{"head", "extend", map[string]any{"days": 30, "reason": "joint inspection with the utility"}},
		{"officer", "answer", map[string]any{"outcome": "support", "text": "supply restored", "legal_basis": "regulation art. 32"}},
		{"officer", "request_review", nil},
		{"officer", "decide_review", map[string]any{"outcome": "support", "text": "upheld", "legal_basis": "regulation art. 35"}},
	} {
		etag = p.call(t, "POST", "/v1/complaints/"+id+"/"+s.action, k[s.key], s.body, "If-Match", etag).must(t, 200).etag
	}
	// The sender keeps read access, without the complainant's personal data;
	// the handler (the subject here too) never sees who complained.
	sent := p.call(t, "GET", "/v1/complaints/"+id, k["clerk"], nil).must(t, 200)
	if sent.str("read_only") != "true" || strings.Contains(sent.raw, "Wang Fang") || sent.str("status") != "reviewed" {
		t.Fatalf("the sender's view: %s", sent.raw)
	}
	// The complainant's status check, with no key.
	pub := p.call(t, "GET", "/v1/public/complaints/"+ref, "", nil, "X-Query-Code", code).must(t, 200)
	if pub.str("status") != "reviewed" || strings.Contains(pub.raw, "Wang Fang") || pub.str("deadlines") == "[]" {
		t.Fatalf("status check: %s", pub.raw)
	}
	wrong := p.call(t, "GET", "/v1/public/complaints/"+ref, "", nil, "X-Query-Code", "NOT-THE-CODE").must(t, 404)
	unknown := p.call(t, "GET", "/v1/public/complaints/"+ref+"X", "", nil, "X-Query-Code", code).must(t, 404)
	if wrong.str("detail") != unknown.str("detail") || wrong.str("type") != unknown.str("type") {
		t.Fatalf("a wrong code and an unknown reference answer differently: %s / %s", wrong.raw, unknown.raw)
	}
	p.call(t, "POST", "/v1/public/complaints/"+ref+"/rating", "", map[string]any{"code": code, "rating": "satisfied"}).must(t, 200)

	// Two clients update the same draft with the same ETag: one wins.
	draft := p.call(t, "POST", "/v1/assessments", k["assessor"], plantAssessment(2, 2)).must(t, 201)
	names := []string{"plant east", "plant west"}
	codes := make([]int, 2)
	var wg sync.WaitGroup
	for i := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			body := plantAssessment(2, 2)
			body["assessment"].(map[string]any)["subject"].(map[string]any)["name"] = names[i]
			codes[i] = p.call(t, "PUT", "/v1/assessments/"+draft.str("id"), k["assessor"], body, "If-Match", draft.etag).code
		}()
	}
	wg.Wait()
	winner := -1
	for i, c := range codes {
		if c == 200 {
			winner = i
		} else if c != 412 {
			t.Fatalf("concurrent update: status %d", c)
		}
	}
	if winner < 0 || codes[0] == codes[1] {
		t.Fatalf("concurrent updates: %v, want one 200 and one 412", codes)
	}
	now := p.call(t, "GET", "/v1/assessments/"+draft.str("id"), k["assessor"], nil).must(t, 200)
	if now.str("data", "assessment", "subject", "name") != names[winner] || now.etag != `"v2"` {
		t.Fatalf("stored after the race: %s", now.raw)
	}

	// Every change is in the audit chain, which verifies.
	rep := p.call(t, "GET", "/v1/audit/verify", k["admin"], nil).must(t, 200)
	if rep.str("ok") != "true" {
		t.Fatalf("audit: %s", rep.raw)
	}
	p.call(t, "GET", "/v1/audit/verify", k["assessor"], nil).must(t, 403)

	moreWorkflows(t, p, w)
}

// moreWorkflows drives mediation, the work plan with its acceptance check,
// a stored profile version and a staff appraisal run on the real store.
func moreWorkflows(t *testing.T, p *proc, w world) {
	k := w.keys
	// A dispute: intake, mediator, mediation, agreement; parties redacted
	// for anyone but the mediating body's caseworkers.
	reg := p.call(t, "POST", "/v1/disputes", k["officer"], map[string]any{"channel": "people", "category": "neighbourhood",
		"summary": "a wall across a shared lane", "parties": []any{map[string]any{"name": "Zhao Lei"}, map[string]any{"name": "Qian Min"}}}).must(t, 201)
	id, etag := reg.str("id"), reg.etag
	for _, s := range []struct {
		action string
		body   any
	}{
		{"assign", map[string]any{"user_id": "m1", "name": "mediator", "mode": "standard"}},
		{"start", nil},
		{"agree", map[string]any{"form": "written", "terms": "the wall moves 1 m", "perform_by": "2027-01-31", "signed": true, "sealed": true}},
	} {
		etag = p.call(t, "POST", "/v1/disputes/"+id+"/"+s.action, k["officer"], s.body, "If-Match", etag).must(t, 200).etag
	}
	if got := p.call(t, "GET", "/v1/disputes/"+id, k["clerk2"], nil).must(t, 200); strings.Contains(got.raw, "Zhao Lei") || got.str("status") != "agreement" {
		t.Fatalf("a viewer's view of the dispute: %s", got.raw)
	}
	pub := p.call(t, "GET", "/v1/public/disputes/"+reg.str("data", "ref"), "", nil, "X-Query-Code", reg.str("query_code")).must(t, 200)
	if pub.str("can_rate") != "true" {
		t.Fatalf("party's status check: %s", pub.raw)
	}

	// A plan, a progress report and the acceptance check.
	target := func(id, ind, cmp, thr, unit string) map[string]any {
		return map[string]any{"id": id, "indicator": ind, "label": map[string]any{"zh-CN": ind, "en": ind}, "comparator": cmp,
			"threshold": thr, "unit": unit, "due": "2026-12-31"}
	}
	plan := map[string]any{"id": "plan-2026", "unit": "District water bureau", "year": 2026, "title": "2026 work plan",
		"goals": []any{map[string]any{"id": "g1", "title": "satisfied public", "targets": []any{
			target("t-sat", "public_satisfaction", "ge", "95", "percent"), target("t-time", "complaints_concluded_on_time", "ge", "90", "percent")}}},
		"tasks": []any{map[string]any{"id": "k1", "title": "survey", "targets": []any{"t-sat", "t-time"}, "unit": "office",
			"leader": map[string]any{"name": "head", "post": "director"}, "due": "2026-11-30"}}}
	pl := p.call(t, "POST", "/v1/plans", k["head"], plan).must(t, 201)
	etag = p.call(t, "POST", "/v1/plans/"+pl.str("id")+"/reports", k["officer"], map[string]any{"task": "k1", "date": "2026-06-30", "percent": "50"},
		"If-Match", pl.etag).must(t, 200).etag
	acc := p.call(t, "POST", "/v1/plans/"+pl.str("id")+"/acceptance", k["appraiser"], map[string]any{"on": "2026-12-31", "measurements": []any{
		map[string]any{"target": "t-sat", "sample": map[string]any{"successes": 990, "total": 1000}, "evidence": "survey", "measured": "2026-12-20"},
		map[string]any{"target": "t-time", "value": "85", "evidence": "register", "measured": "2026-12-20"}}}, "If-Match", etag).must(t, 200)
	if acc.str("status") != "accepted_fail" {
		t.Fatalf("acceptance with 85 %% on time against 90 %%: %s", acc.str("status"))
	}

	// A staff appraisal run: each person sees their own result only.
	person := func(id, routine string) map[string]any {
		in := func(item, v string) map[string]any { return map[string]any{"item": item, "value": v} }
		return map[string]any{"id": id, "inputs": []any{in("routine", routine), in("special_task", "90"), in("year_end", "90"), in("stability_work", "95")}}
	}
	run := p.call(t, "POST", "/v1/appraisal_runs", k["appraiser"], map[string]any{"kind": "staff", "scheme": "annual_civil_servant",
		"policy": "civil_servants_2020", "from": "2026-01-01", "to": "2026-12-31", "run": map[string]any{"year": 2026},
		"staff": []any{map[string]any{"user_id": userOf(t, p, k["officer"]), "person": person("P1", "95")}, map[string]any{"person": person("P2", "80")}}}).must(t, 201)
	own := p.call(t, "GET", "/v1/appraisal_runs/"+run.str("id"), k["officer"], nil).must(t, 200)
	if staff := own.body["data"].(map[string]any)["staff"].([]any); len(staff) != 1 || !strings.Contains(own.str("data", "staff"), `"P1"`) {
		t.Fatalf("the person's view of the run: %s", own.str("data", "staff"))
	}
	if other := p.call(t, "GET", "/v1/appraisal_runs/"+run.str("id"), k["clerk2"], nil).must(t, 200); other.str("data", "staff") != "" {
		t.Fatalf("a colleague sees staff results: %s", other.str("data", "staff"))
	}
}

// userOf is the user id of a key's holder.
func userOf(t *testing.T, p *proc, key string) string {
	t.Helper()
	return p.call(t, "GET", "/v1/me", key, nil).must(t, 200).str("user", "id")
}

// TestEndToEndCalendar starts ssrad with a holiday calendar: a deadline
// that would fall in the holidays moves past them.
func TestEndToEndCalendar(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "ssra.db")
	w := seed(t, db)
	today := time.Now()
	due := today.AddDate(0, 0, 15)
	var holidays []string
	for i := range 10 {
		holidays = append(holidays, due.AddDate(0, 0, i).Format("2006-01-02"))
	}
	b, _ := json.Marshal(map[string]any{"name": "test holidays", "holidays": holidays, "workdays": []string{}})
	calFile := filepath.Join(dir, "calendar.json")
	if err := os.WriteFile(calFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	p := start(t, []string{"SSRA_DATABASE_URL=" + db, "SSRA_CALENDAR=" + calFile}, "-addr", "127.0.0.1:0")
	reg := p.call(t, "POST", "/v1/complaints", w.keys["clerk"], map[string]any{"channel": "online",
		"matter": map[string]any{"type": "suggestion", "facts": "more buses", "request": "add a line"}, "complainants": []any{map[string]any{"name": "Sun Li"}}}).must(t, 201)
	last, found := holidays[len(holidays)-1], false
	for _, d := range reg.body["data"].(map[string]any)["deadlines"].([]any) {
		d := d.(map[string]any)
		if d["rule"] == "route" {
			found = true
			if d["due"].(string) <= last {
				t.Fatalf("the route deadline %s falls in the holidays ending %s", d["due"], last)
			}
		}
	}
	if !found {
		t.Fatalf("no route deadline: %s", reg.raw)
	}
}

func TestBadCalendarRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	calFile := filepath.Join(dir, "calendar.json")
	if err := os.WriteFile(calFile, []byte(`{"holidays":["2026-13-01"]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(ssradBinary(t), "-addr", "127.0.0.1:0", "-db", filepath.Join(dir, "ssra.db"), "-calendar", calFile)
	out, err := cmd.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "calendar") {
		t.Fatalf("started with a bad calendar: %v\n%s", err, out)
	}
}
