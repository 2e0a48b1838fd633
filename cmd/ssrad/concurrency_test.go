package main

// Concurrency of the stored resources, in process so that the race
// detector sees the REST adapter, the binding and the store together:
// updates with If-Match never lose an update, and the overdue and due-soon
// lists stay correct while cases are written.

import (
	"bytes"
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
)

// testClock is a settable clock.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// inproc is the server as ssrad wires it, with a settable clock.
type inproc struct {
	srv   *rest.Server
	store *sqlstore.Store
	clock *testClock
	keys  map[string]string // "assessor", "caseworker", "admin", "appraiser"
}

// backends runs f on SQLite and, when SSRA_TEST_POSTGRES_URL is set, on a
// fresh PostgreSQL database.
func backends(t *testing.T, f func(t *testing.T, dsn string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "ssra.db")) })
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("SSRA_TEST_POSTGRES_URL")
		if base == "" {
			if os.Getenv("CI") == "true" {
				t.Fatal("CI=true but SSRA_TEST_POSTGRES_URL is not set")
			}
			t.Skip("set SSRA_TEST_POSTGRES_URL=postgres://… to run on PostgreSQL")
		}
		admin, err := sql.Open("pgx", base)
		if err != nil {
			t.Fatal(err)
		}
		defer admin.Close()
		var b [6]byte
		_, _ = rand.Read(b[:])
		name := "ssrad_conc_" + hex.EncodeToString(b[:])
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			t.Fatal(err)
		}
		defer func() { _, _ = admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)") }()
		u, err := url.Parse(base)
		if err != nil {
			t.Fatal(err)
		}
		u.Path = "/" + name
		f(t, u.String())
	})
}

// openInproc opens the store at dsn and wires the server on it, with no
// organisation or user yet.
func openInproc(t *testing.T, dsn string) *inproc {
	t.Helper()
	store, err := openStore(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	p := &inproc{store: store, clock: &testClock{t: time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)}, keys: map[string]string{}}
	p.srv = rest.New(rest.Config{AuthFailureLimit: -1}, rest.Deps{Auth: store, Ready: store, Directory: store,
		Resources: &rest.Resources{Store: store, Now: p.clock.Now}})
	return p
}

func newInproc(t *testing.T, dsn string) *inproc {
	t.Helper()
	ctx := context.Background()
	p := openInproc(t, dsn)
	store := p.store
	org, err := store.CreateOrganisation(ctx, sqlstore.System, "County office")
	if err != nil {
		t.Fatal(err)
	}
	for name, role := range map[string]ssra.Role{"assessor": ssra.RoleAssessor, "caseworker": ssra.RoleCaseworker, "admin": ssra.RoleAdmin,
		"appraiser": ssra.RoleAppraiser} {
		u, err := store.CreateUser(ctx, sqlstore.System, org.ID, name, []ssra.Role{role})
		if err != nil {
			t.Fatal(err)
		}
		if p.keys[name], _, err = store.CreateKey(ctx, sqlstore.System, u.ID, "test"); err != nil {
			t.Fatal(err)
		}
	}
	return p
}

type resp struct {
	code int
	etag string
	body map[string]any
}

func (p *inproc) do(t *testing.T, method, path, key string, body any, ifMatch string) resp {
	var rd *bytes.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		rd = bytes.NewReader(b)
	}
	var req *http.Request
	if rd != nil {
		req = httptest.NewRequest(method, path, rd)
		req.Header.Set("Content-Type", "application/json")
	} else {
		req = httptest.NewRequest(method, path, nil)
	}
	req.Header.Set("Authorization", "Bearer "+key)
	if ifMatch != "" {
		req.Header.Set("If-Match", ifMatch)
	}
	rec := httptest.NewRecorder()
	p.srv.ServeHTTP(rec, req)
	r := resp{code: rec.Code, etag: rec.Header().Get("ETag")}
	if err := json.Unmarshal(rec.Body.Bytes(), &r.body); err != nil && rec.Body.Len() > 0 {
		t.Errorf("%s %s: %v: %s", method, path, err, rec.Body.String())
	}
	return r
}

func draftAssessment(name string) map[string]any {
	return map[string]any{"profile": "practice", "assessment": map[string]any{
		"subject": map[string]any{"kind": "project", "name": name, "responsible_unit": "city utilities"},
		"regime":  "ndrc2012_project",
	}}
}

func subjectName(r resp) string {
	a, _ := r.body["data"].(map[string]any)["assessment"].(map[string]any)
	s, _ := a["subject"].(map[string]any)
	n, _ := s["name"].(string)
	return n
}

// TestIfMatchNeverLosesAnUpdate: 16 writers read and update one draft as
// fast as they can, each with the ETag it read. Every update either wins
// (200, and then it made exactly the next version) or loses with 412; the
// final version is one more than the number of wins, the stored content is
// the last win's, and every version has exactly one audit event.
func TestIfMatchNeverLosesAnUpdate(t *testing.T) {
	backends(t, func(t *testing.T, dsn string) {
		p := newInproc(t, dsn)
		key := p.keys["assessor"]
		created := p.do(t, "POST", "/v1/assessments", key, draftAssessment("start"), "")
		if created.code != 201 {
			t.Fatalf("create: %d %v", created.code, created.body)
		}
		id := created.body["id"].(string)
		const writers, attempts = 16, 15
		var mu sync.Mutex
		won := map[string]string{} // ETag made → name written
		lost := 0
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range attempts {
					cur := p.do(t, "GET", "/v1/assessments/"+id, key, nil, "")
					if cur.code != 200 {
						t.Errorf("read: %d", cur.code)
						return
					}
					name := fmt.Sprintf("writer %d attempt %d", w, i)
					r := p.do(t, "PUT", "/v1/assessments/"+id, key, draftAssessment(name), cur.etag)
					mu.Lock()
					switch r.code {
					case 200:
						if prev, dup := won[r.etag]; dup {
							t.Errorf("two wins made %s: %q and %q", r.etag, prev, name)
						}
						if want := fmt.Sprintf(`"v%d"`, int(r.body["version"].(float64))); r.etag != want {
							t.Errorf("ETag %s for version %s", r.etag, want)
						}
						won[r.etag] = name
					case 412:
						lost++
					default:
						t.Errorf("update: %d %v", r.code, r.body)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		final := p.do(t, "GET", "/v1/assessments/"+id, key, nil, "")
		v := int(final.body["version"].(float64))
		if v != 1+len(won) {
			t.Fatalf("version %d after %d acknowledged updates (%d refused with 412): an update was lost or invented", v, len(won), lost)
		}
		if got, want := subjectName(final), won[final.etag]; got != want {
			t.Fatalf("stored name %q, the last acknowledged update wrote %q", got, want)
		}
		if lost == 0 || len(won) < 2 {
			t.Fatalf("%d wins and %d losses: the writers did not race", len(won), lost)
		}
		var kind store.RecordKind
		if err := kind.UnmarshalText([]byte("assessment")); err != nil {
			t.Fatal(err)
		}
		hist, err := p.store.History(context.Background(), sqlstore.System, kind, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(hist) != v {
			t.Fatalf("%d audit events for version %d", len(hist), v)
		}
		t.Logf("%d updates acknowledged, %d refused with 412; final version %d", len(won), lost, v)
	})
}

// TestAdminChangesNeverLoseAWrite: administrators change one user at once,
// some its roles, some its disabled flag, each from the ETag it read (a
// change of roles writes the disabled flag it read, and the other way
// round, so that a change written over another would lose it). Every
// change either wins (200, making exactly the next version) or is refused
// with 412; the final version is one more than the wins and the user holds
// what the last win wrote.
func TestAdminChangesNeverLoseAWrite(t *testing.T) {
	backends(t, func(t *testing.T, dsn string) {
		p := newInproc(t, dsn)
		key := p.keys["admin"]
		created := p.do(t, "POST", "/v1/users", key, map[string]any{"name": "contested", "roles": []string{"viewer"}}, "")
		if created.code != 201 || created.etag != `"v1"` {
			t.Fatalf("create: %d %s %v", created.code, created.etag, created.body)
		}
		id := created.body["id"].(string)
		type state struct {
			roles    string
			disabled bool
		}
		stateOf := func(r resp) state {
			var rs []string
			for _, x := range r.body["roles"].([]any) {
				rs = append(rs, x.(string))
			}
			return state{strings.Join(rs, ","), r.body["disabled"].(bool)}
		}
		roleSets := [][]string{{"assessor"}, {"reviewer"}, {"caseworker"}, {"viewer"}}
		const writers, attempts = 8, 10
		var mu sync.Mutex
		won := map[string]state{} // ETag made → state written
		lost := 0
		var wg sync.WaitGroup
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := range attempts {
					cur := p.do(t, "GET", "/v1/users/"+id, key, nil, "")
					if cur.code != 200 {
						t.Errorf("read: %d", cur.code)
						return
					}
					var r resp
					if w%2 == 0 {
						r = p.do(t, "POST", "/v1/users/"+id+"/roles", key, map[string]any{"roles": roleSets[(w+i)%len(roleSets)]}, cur.etag)
					} else if i%2 == 0 {
						r = p.do(t, "POST", "/v1/users/"+id+"/disable", key, nil, cur.etag)
					} else {
						r = p.do(t, "POST", "/v1/users/"+id+"/enable", key, nil, cur.etag)
					}
					mu.Lock()
					switch r.code {
					case 200:
						if _, dup := won[r.etag]; dup {
							t.Errorf("two changes made %s", r.etag)
						}
						won[r.etag] = stateOf(r)
					case 412:
						lost++
					default:
						t.Errorf("change: %d %v", r.code, r.body)
					}
					mu.Unlock()
				}
			}()
		}
		wg.Wait()
		final := p.do(t, "GET", "/v1/users/"+id, key, nil, "")
		v := int(final.body["version"].(float64))
		if v != 1+len(won) || final.etag != fmt.Sprintf(`"v%d"`, v) {
			t.Fatalf("version %d (ETag %s) after %d acknowledged changes (%d refused with 412): a change was lost or invented", v, final.etag, len(won), lost)
		}
		if got, want := stateOf(final), won[final.etag]; got != want {
			t.Fatalf("the user holds %+v, the last acknowledged change wrote %+v", got, want)
		}
		if lost == 0 || len(won) < 2 {
			t.Fatalf("%d wins and %d losses: the administrators did not race", len(won), lost)
		}
		t.Logf("%d changes acknowledged, %d refused with 412; final version %d", len(won), lost, v)
	})
}

// TestOneTransitionWinsARace: eight caseworkers accept the same case with
// the same ETag: one succeeds, the others get 412.
func TestOneTransitionWinsARace(t *testing.T) {
	backends(t, func(t *testing.T, dsn string) {
		p := newInproc(t, dsn)
		key := p.keys["caseworker"]
		reg := p.do(t, "POST", "/v1/complaints", key, complaint(0), "")
		if reg.code != 201 {
			t.Fatalf("register: %d %v", reg.code, reg.body)
		}
		id := reg.body["id"].(string)
		codes := make([]int, 8)
		var wg sync.WaitGroup
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = p.do(t, "POST", "/v1/complaints/"+id+"/accept", key, nil, reg.etag).code
			}()
		}
		wg.Wait()
		sort.Ints(codes)
		if codes[0] != 200 || codes[1] != 412 || codes[7] != 412 {
			t.Fatalf("eight accepts with one ETag: %v, want one 200 and seven 412", codes)
		}
		if got := p.do(t, "GET", "/v1/complaints/"+id, key, nil, ""); got.etag != `"v2"` || got.body["status"] != "accepted" {
			t.Fatalf("after the race: %s %v", got.etag, got.body["status"])
		}
	})
}

func complaint(n int) map[string]any {
	return map[string]any{
		"channel": "letter",
		"matter": map[string]any{"type": "claim", "subject": "District water bureau", "facts": fmt.Sprintf("letter %d", n),
			"request": "restore the supply"},
		"complainants": []any{map[string]any{"name": "Qian Wei", "phone": "13500000000"}},
	}
}

// listAll pages through a listing.
func (p *inproc) listAll(t *testing.T, path, key string) []map[string]any {
	var out []map[string]any
	after := ""
	for range 1000 {
		sep := "?"
		if strings.Contains(path, "?") {
			sep = "&"
		}
		u := path + sep + "limit=7"
		if after != "" {
			u += "&after=" + url.QueryEscape(after)
		}
		r := p.do(t, "GET", u, key, nil, "")
		if r.code != 200 {
			t.Errorf("GET %s: %d %v", u, r.code, r.body)
			return out
		}
		items, _ := r.body["items"].([]any)
		for _, it := range items {
			out = append(out, it.(map[string]any))
		}
		after, _ = r.body["next"].(string)
		if after == "" {
			return out
		}
	}
	t.Errorf("GET %s: more than 1000 pages", path)
	return out
}

// checkDue checks one reading of a due list: every case in the window,
// ordered by due date, none twice.
func checkDue(t *testing.T, what string, items []map[string]any, from, before ssra.Date) {
	seen := map[string]bool{}
	var prev ssra.Date
	for i, it := range items {
		id, _ := it["id"].(string)
		if seen[id] {
			t.Errorf("%s: case %s listed twice", what, id)
		}
		seen[id] = true
		var due ssra.Date
		if err := due.UnmarshalText([]byte(fmt.Sprint(it["due_on"]))); err != nil || due.IsZero() {
			t.Errorf("%s: case %s without a due date: %v", what, id, it["due_on"])
			continue
		}
		if due.Before(from) || !due.Before(before) {
			t.Errorf("%s: case %s due %s, outside [%s, %s)", what, id, due, from, before)
		}
		if i > 0 && due.Before(prev) {
			t.Errorf("%s: %s after %s: not in due order", what, due, prev)
		}
		prev = due
	}
}

// TestDueListsUnderConcurrentWrites registers cases, moves the clock so
// that they are overdue, and then reads the overdue and due-soon lists
// while other clients accept some of the cases (which moves their next
// deadline out of the overdue window) and register new ones. Every reading
// is consistent on its own; once the writers stop, the overdue list is
// exactly the cases whose next deadline has passed.
func TestDueListsUnderConcurrentWrites(t *testing.T) {
	backends(t, func(t *testing.T, dsn string) {
		p := newInproc(t, dsn)
		key := p.keys["caseworker"]
		type cs struct{ id, etag string }
		var cases []cs
		for i := range 40 {
			r := p.do(t, "POST", "/v1/complaints", key, complaint(i), "")
			if r.code != 201 {
				t.Fatalf("register: %d %v", r.code, r.body)
			}
			cases = append(cases, cs{r.body["id"].(string), r.etag})
		}
		p.clock.Set(p.clock.Now().AddDate(0, 2, 0))
		today := ssra.DateOf(p.clock.Now())
		if n := len(p.listAll(t, "/v1/complaints/overdue", key)); n != len(cases) {
			t.Fatalf("%d overdue cases two months after registration, want %d", n, len(cases))
		}
		var wg sync.WaitGroup
		stop := make(chan struct{})
		for w := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := w; i < len(cases); i += 4 {
					if i%2 == 0 {
						if r := p.do(t, "POST", "/v1/complaints/"+cases[i].id+"/accept", key, nil, cases[i].etag); r.code != 200 {
							t.Errorf("accept: %d %v", r.code, r.body)
						}
					}
					if r := p.do(t, "POST", "/v1/complaints", key, complaint(100+i), ""); r.code != 201 {
						t.Errorf("register: %d", r.code)
					}
				}
			}()
		}
		var readers sync.WaitGroup
		for range 2 {
			readers.Add(1)
			go func() {
				defer readers.Done()
				for {
					select {
					case <-stop:
						return
					default:
					}
					checkDue(t, "overdue", p.listAll(t, "/v1/complaints/overdue", key), ssra.Date{}, today)
					checkDue(t, "due soon", p.listAll(t, "/v1/complaints/due_soon?days=30", key), today, today.AddDays(31))
				}
			}()
		}
		wg.Wait()
		close(stop)
		readers.Wait()
		// Quiescent: the overdue list is exactly the cases due before today.
		var want []string
		for _, it := range p.listAll(t, "/v1/complaints", key) {
			var due ssra.Date
			if s, ok := it["due_on"].(string); ok && due.UnmarshalText([]byte(s)) == nil && due.Before(today) {
				want = append(want, it["id"].(string))
			}
		}
		var got []string
		for _, it := range p.listAll(t, "/v1/complaints/overdue", key) {
			got = append(got, it["id"].(string))
		}
		sort.Strings(want)
		sort.Strings(got)
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("overdue after the writes: %d cases %v, want %d %v", len(got), got, len(want), want)
		}
		if len(want) < len(cases)/2 || len(want) > len(cases) {
			t.Fatalf("%d overdue cases, want between the %d not accepted and all %d registered before", len(want), len(cases)/2, len(cases))
		}
		t.Logf("%d of %d cases overdue after %d were accepted and %d registered", len(want), len(cases), len(cases)/2, len(cases))
	})
}

// documentedExample returns the request example of a documented path:
// the named one of its examples, or its only or first one.
func documentedExample(t *testing.T, path, name string) any {
	t.Helper()
	b, err := rest.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]struct {
			RequestBody struct {
				Content map[string]struct {
					Example  any
					Examples map[string]struct{ Value any }
				}
			} `json:"requestBody"`
		}
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	c := doc.Paths[path]["post"].RequestBody.Content["application/json"]
	if name != "" {
		return c.Examples[name].Value
	}
	if c.Example == nil {
		names := make([]string, 0, len(c.Examples))
		for n := range c.Examples {
			names = append(names, n)
		}
		sort.Strings(names)
		if len(names) > 0 {
			return c.Examples[names[0]].Value
		}
	}
	return c.Example
}

// TestRankingsUnderConcurrency: appraisal runs stored and rankings
// computed at the same time, by many clients, from the same input, come
// out the same: the schemes and policies the rankings share are not
// changed by a ranking.
func TestRankingsUnderConcurrency(t *testing.T) {
	backends(t, func(t *testing.T, dsn string) {
		p := newInproc(t, dsn)
		run := documentedExample(t, "/v1/appraisal_runs", "")
		rank := documentedExample(t, "/v1/appraisal/rank", "department_of_three")
		if run == nil || rank == nil {
			t.Fatal("the document lost its appraisal examples")
		}
		const n = 12
		runs, ranks := make([]string, n), make([]string, n)
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(2)
			go func() {
				defer wg.Done()
				r := p.do(t, "POST", "/v1/appraisal_runs", p.keys["appraiser"], run, "")
				if r.code != 201 {
					t.Errorf("appraisal run: %d %v", r.code, r.body)
					return
				}
				b, _ := json.Marshal(r.body["data"])
				runs[i] = string(b)
			}()
			go func() {
				defer wg.Done()
				r := p.do(t, "POST", "/v1/appraisal/rank", p.keys["appraiser"], rank, "")
				if r.code != 200 {
					t.Errorf("rank: %d %v", r.code, r.body)
					return
				}
				b, _ := json.Marshal(r.body)
				ranks[i] = string(b)
			}()
		}
		wg.Wait()
		for i := 1; i < n; i++ {
			if runs[i] != runs[0] {
				t.Fatalf("stored run %d differs from run 0:\n%s\n%s", i, runs[i], runs[0])
			}
			if ranks[i] != ranks[0] {
				t.Fatalf("ranking %d differs from ranking 0:\n%s\n%s", i, ranks[i], ranks[0])
			}
		}
		listed := p.listAll(t, "/v1/appraisal_runs", p.keys["appraiser"])
		if len(listed) != n {
			t.Fatalf("%d runs listed, %d stored", len(listed), n)
		}
	})
}
