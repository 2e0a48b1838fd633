package rest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/store"
)

// The organisations of the resource tests: A is the assessing body and the
// county letters-and-visits office, B the decision body and the receiving
// organ, C the unit complained about.
const (
	orgA = "org-a"
	orgB = "org-b"
	orgC = "org-c"
)

var orgNames = map[string]string{orgA: "County office", orgB: "City bureau", orgC: "Water company"}

// keyOf is the fake API key of a user with one role in an organisation;
// the second assessor, reviewer and caseworker of A end in "2".
func keyOf(org string, role ssra.Role) string { return "key:" + org + ":" + role.String() }

// resAuth is the tests' one authenticator: it knows every keyOf key and
// the server tests' three keys (adminKey, viewerKey, operatorKey) of users
// u1, u2 and u3 in organisation o1.
type resAuth struct{}

func (resAuth) Authenticate(_ context.Context, key string) (store.Identity, error) {
	switch key {
	case adminKey:
		return store.Identity{UserID: "u1", UserName: "Admin", OrgID: "o1", OrgName: "County office", Roles: []ssra.Role{ssra.RoleAdmin}, KeyID: "admin0000000"}, nil
	case viewerKey:
		return store.Identity{UserID: "u2", UserName: "Viewer", OrgID: "o1", OrgName: "County office", Roles: []ssra.Role{ssra.RoleViewer}, KeyID: "viewer000000"}, nil
	case operatorKey:
		return store.Identity{UserID: "u3", UserName: "Operator", OrgID: "o1", OrgName: "County office", Roles: []ssra.Role{ssra.RoleOperator}, KeyID: "operator0000"}, nil
	}
	rest0, ok := strings.CutPrefix(key, "key:")
	if ok {
		org, roleName, _ := strings.Cut(rest0, ":")
		suffix := ""
		if n, ok := strings.CutSuffix(roleName, "2"); ok {
			roleName, suffix = n, "2"
		}
		roles := []ssra.Role{}
		for _, rn := range strings.Split(roleName, "+") {
			r, err := ssra.ParseRole(rn)
			if err != nil {
				break
			}
			roles = append(roles, r)
		}
		if name, known := orgNames[org]; known && len(roles) > 0 {
			return store.Identity{UserID: "u-" + org + "-" + roleName + suffix, UserName: roleName + suffix + " (" + org + ")",
				OrgID: org, OrgName: name, Roles: roles, KeyID: "k"}, nil
		}
	}
	return store.Identity{}, ssra.Errorf(ssra.KindUnauthenticated, "fake", "invalid API key")
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	srv   *rest.Server
	store *memStore
	dir   *memDirectory
	clock *clock
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureWith(t, rest.Config{AuthFailureLimit: -1})
}

// newFixtureWith is newFixture with the server's configuration; each
// change is applied to the resources before the server is made.
func newFixtureWith(t *testing.T, cfg rest.Config, change ...func(*rest.Resources)) *fixture {
	t.Helper()
	ck := &clock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}
	st := newMemStore(ck.Now, orgA, orgB, orgC)
	dir := newMemDirectory(ck.Now)
	dir.seedAdmins()
	res := &rest.Resources{
		Store: st, Log: st, Now: ck.Now, Random: bytes.NewReader(bytes.Repeat([]byte{7, 42, 199, 3}, 4096)), PublicLimit: 1000,
	}
	for _, c := range change {
		c(res)
	}
	srv := rest.New(cfg, rest.Deps{Auth: resAuth{}, Resources: res, Directory: dir})
	// The log starts with a leaf, as a real store's starts with its
	// first organisation.
	st.log.add("first-organisation", 0, "organisation.create")
	return &fixture{srv: srv, store: st, dir: dir, clock: ck}
}

// reply is a decoded response.
type reply struct {
	code int
	hdr  http.Header
	body map[string]any
	raw  string
}

func (f *fixture) call(t *testing.T, method, path, key string, body any, hdr ...string) reply {
	t.Helper()
	var rd *bytes.Reader
	if body != nil {
		b, ok := body.([]byte)
		if !ok {
			var err error
			if b, err = json.Marshal(body); err != nil {
				t.Fatal(err)
			}
		}
		rd = bytes.NewReader(b)
	}
	var req *http.Request
	if rd != nil {
		req = httptest.NewRequest(method, path, rd)
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	f.srv.ServeHTTP(rec, req)
	r := reply{code: rec.Code, hdr: rec.Header(), raw: rec.Body.String()}
	if ct := rec.Header().Get("Content-Type"); strings.HasPrefix(ct, "application/") && strings.Contains(ct, "json") && rec.Body.Len() > 0 {
		if err := json.Unmarshal(rec.Body.Bytes(), &r.body); err != nil {
			t.Fatalf("%s %s: body is not a JSON object: %v\n%s", method, path, err, rec.Body.String())
		}
	}
	if documentedRoute(t, method, path, r.code) {
		validateAgainstOpenAPI(t, req, rec)
	}
	return r
}

// must fails the test unless the reply has the status.
func (r reply) must(t *testing.T, code int) reply {
	t.Helper()
	if r.code != code {
		t.Fatalf("status %d, want %d: %s", r.code, code, r.raw)
	}
	return r
}

func (r reply) str(path ...string) string {
	var v any = r.body
	for _, p := range path {
		m, ok := v.(map[string]any)
		if !ok {
			return ""
		}
		v = m[p]
	}
	switch x := v.(type) {
	case string:
		return x
	case nil:
		return ""
	default:
		b, _ := json.Marshal(x)
		return string(b)
	}
}

// errorCodes lists the codes of a problem's errors.
func (r reply) errorCodes() []string {
	var out []string
	errs, _ := r.body["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		out = append(out, m["code"].(string))
	}
	return out
}

// assessmentJSON is a complete assessment under regime with the first
// factor's residual estimate (p, i): (2, 2) gives a low residual level,
// (4, 4) a medium one.
func assessmentJSON(regime string, p, i int) map[string]any {
	measure := func(id, owner string) map[string]any {
		return map[string]any{"id": id, "description": "measure " + id, "owner": owner, "due": "2027-03-31"}
	}
	return map[string]any{
		"profile": "practice",
		"assessment": map[string]any{
			"subject": map[string]any{"kind": "project", "name": "district heating plant", "responsible_unit": "city utilities"},
			"regime":  regime,
			"criteria": []any{
				map[string]any{"criterion": "legality", "question": "q1", "answer": "yes"},
				map[string]any{"criterion": "reasonableness", "question": "q2", "answer": "yes"},
				map[string]any{"criterion": "feasibility", "question": "q3", "answer": "yes"},
				map[string]any{"criterion": "controllability", "question": "q4", "answer": "yes"},
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
		},
	}
}

// complaintJSON is a claim filed online by one complainant about orgC.
func complaintJSON() map[string]any {
	return map[string]any{
		"channel": "online",
		"matter": map[string]any{"type": "claim", "subject": orgNames[orgC], "facts": "water cut for two weeks",
			"request": "restore the supply"},
		"complainants": []any{map[string]any{"name": "Li Hua", "phone": "13800000000"}},
		"materials":    []any{map[string]any{"id": "m1", "title": "photo", "marked": true}},
	}
}
