package main_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// The hostile input corpus: bad requests generated for every route of the
// OpenAPI document the server serves, so that a new route is covered as
// soon as it is documented. Each request of the corpus must be refused
// with a 4xx problem+json, leave the audit log (and so every record) as it
// was, and reach no log line with a key or personal data. Requests whose
// validity depends on the domain's rules (a negative number in a field
// without a documented minimum, free text with markup) may succeed, but
// never with a 5xx.
//
//	go test -run TestHostileInput -v ./cmd/ssrad/

// hostileReq is one request of the corpus.
type hostileReq struct {
	name   string
	method string
	path   string // escaped
	hdr    map[string]string
	body   []byte
	// chunked sends the body without Content-Length.
	chunked bool
	// strict requests must be refused; the others must not fail with 5xx.
	strict bool
	// field, when set, must be named by one of the refusal's problems: a
	// required member the request left out.
	field string
}

// Values that no field accepts where the schema names its values, and
// that a careless store or page would run.
var injections = []string{
	`' OR '1'='1`,
	`'; DROP TABLE records; --`,
	`" OR 1=1 --`,
	`<script>alert(1)</script>`,
	`{{.}}`,
	`${jndi:ldap://x/y}`,
	`../../../../etc/passwd`,
	"\u0000",
	"\u202eevil",
}

// Complainant data of the corpus, searched for in the logs.
const (
	hostileName  = "Sun Meiling"
	hostilePhone = "13611112222"
)

// hostileWorld is the data the corpus runs against.
type hostileWorld struct {
	world
	keyA, keyB string            // a user with every role in organisations A and B
	keyOps     string            // the server's operator
	own, other map[string]string // collection path → id of a record owned by A, by B
	ownTag     map[string]string // collection path → current ETag of A's record
	orgA, orgB string
	ref, code  string // reference and query code of A's complaint
	// reports are A's reports (检举控告) about the district water bureau
	// or its officer, each naming them in another spelling or by
	// identifier: routing any of them to the bureau, or to the station
	// below it, must be refused.
	reports []string
	// station is an organisation below the bureau in the hierarchy.
	station string
}

func seedHostile(t *testing.T, db string) hostileWorld {
	t.Helper()
	w := hostileWorld{world: seed(t, db), own: map[string]string{}, other: map[string]string{}, ownTag: map[string]string{}}
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	st, err := s.CreateOrganisationUnder(ctx, sqlstore.System, "Pipe station", w.orgs["District water bureau"])
	if err != nil {
		t.Fatal(err)
	}
	w.station = st.ID
	for i, org := range []string{"Proof bureau A", "Proof bureau B"} {
		o, err := s.CreateOrganisation(ctx, sqlstore.System, org)
		if err != nil {
			t.Fatal(err)
		}
		u, err := s.CreateUser(ctx, sqlstore.System, o.ID, "all roles "+org, ssra.OrganisationRoles())
		if err != nil {
			t.Fatal(err)
		}
		key, _, err := s.CreateKey(ctx, sqlstore.System, u.ID, "corpus")
		if err != nil {
			t.Fatal(err)
		}
		// A second official reviews what the first wrote (a writer may not
		// review), for the tracking's assessment.
		rv, err := s.CreateUser(ctx, sqlstore.System, o.ID, "reviewer "+org, []ssra.Role{ssra.RoleReviewer})
		if err != nil {
			t.Fatal(err)
		}
		if w.keys["review"+strconv.Itoa(i)], _, err = s.CreateKey(ctx, sqlstore.System, rv.ID, "corpus"); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			w.keyA, w.orgA = key, o.ID
		} else {
			w.keyB, w.orgB = key, o.ID
		}
		w.keys["all"+strconv.Itoa(i)] = key
	}
	// The server's operator, from the command line, reads the whole log's
	// figures (the corpus must not change it).
	ops, err := s.CreateUser(ctx, sqlstore.System, w.orgA, "server operator", []ssra.Role{ssra.RoleOperator})
	if err != nil {
		t.Fatal(err)
	}
	if w.keyOps, _, err = s.CreateKey(ctx, sqlstore.System, ops.ID, "monitoring"); err != nil {
		t.Fatal(err)
	}
	return w
}

// versioned reports whether a path is of a versioned record, written with
// If-Match. Users are (two administrators changing one user must not lose
// a write); keys are not: a key's revocation is idempotent and a rotation
// refuses a revoked key, so that a second one cannot win; issuing a key
// changes no user.
func versioned(path string) bool {
	return !strings.HasPrefix(path, "/v1/keys") && !(strings.HasPrefix(path, "/v1/users/") && strings.HasSuffix(path, "/keys"))
}

func hostileComplaint() map[string]any {
	return map[string]any{
		"channel": "letter",
		"matter": map[string]any{"type": "claim", "subject": "District water bureau", "facts": "no water",
			"request": "restore the supply"},
		"complainants": []any{map[string]any{"name": hostileName, "phone": hostilePhone}},
	}
}

// records creates A's and B's records: an assessment and a complaint
// each, and one record of every other collection whose creation the
// document illustrates with an example.
func (w *hostileWorld) records(t *testing.T, p *proc, doc map[string]any) {
	t.Helper()
	for i, key := range []string{w.keyA, w.keyB} {
		ids, tags := w.own, w.ownTag
		if i == 1 {
			ids, tags = w.other, map[string]string{}
		}
		a := p.call(t, "POST", "/v1/assessments", key, plantAssessment(2, 2)).must(t, 201)
		c := p.call(t, "POST", "/v1/complaints", key, hostileComplaint()).must(t, 201)
		ids["/v1/assessments"], ids["/v1/complaints"] = a.str("id"), c.str("id")
		tags["/v1/assessments"], tags["/v1/complaints"] = a.etag, c.etag
		if i == 0 {
			w.ref, w.code = c.str("data", "ref"), c.str("query_code")
			w.registerReports(t, p, key)
		}
		for _, o := range operations(doc) {
			resps, _ := o.op["responses"].(map[string]any)
			if _, creates := resps["201"]; o.method != "POST" || !creates || strings.Contains(o.path, "{") || ids[o.path] != "" {
				continue
			}
			body, _ := exampleBody(o.op, "")
			if body == nil {
				continue
			}
			r := p.call(t, "POST", o.path, key, ownOrg(body, []string{w.orgA, w.orgB}[i]))
			if r.code != 201 {
				t.Logf("no %s record for the corpus: its example answers %d %s", o.path, r.code, trim(r.str("errors")))
				continue
			}
			ids[o.path], tags[o.path] = r.str("id"), r.etag
		}
		ids["/v1/trackings"], tags["/v1/trackings"] = w.tracking(t, p, key, w.keys["review"+strconv.Itoa(i)], []string{w.orgA, w.orgB}[i])
	}
}

// tracking opens the tracking of the measures of an assessment that the
// organisation assessed, issued and approved itself, both its measures
// owned by the organisation (so that the other organisation does not see
// it), and returns its id and ETag.
func (w *hostileWorld) tracking(t *testing.T, p *proc, key, reviewer, org string) (string, string) {
	t.Helper()
	body := plantAssessment(2, 2)
	for _, f := range body["assessment"].(map[string]any)["factors"].([]any) {
		for _, m := range f.(map[string]any)["measures"].([]any) {
			m.(map[string]any)["owner"] = org
		}
	}
	a := p.call(t, "POST", "/v1/assessments", key, body).must(t, 201).str("id")
	for i, step := range []string{"submit", "start_review", "issue"} {
		k := reviewer
		if step == "submit" {
			k = key
		}
		p.call(t, "POST", "/v1/assessments/"+a+"/"+step, k, nil, "If-Match", `"v`+strconv.Itoa(i+1)+`"`).must(t, 200)
	}
	d := p.call(t, "POST", "/v1/assessments/"+a+"/decision", key, map[string]any{"intent": "approve"}, "If-Match", `"v4"`).must(t, 201)
	tr := p.call(t, "POST", "/v1/decisions/"+d.str("id")+"/tracking", key, nil).must(t, 201)
	return tr.str("id"), tr.etag
}

// ownOrg puts the organisation's identifier where the document's examples
// name "org-a", the caller's own organisation.
func ownOrg(body any, org string) any {
	b, err := json.Marshal(body)
	if err != nil {
		return body
	}
	var out any
	if json.Unmarshal(bytes.ReplaceAll(b, []byte(`"org-a"`), []byte(strconv.Quote(org))), &out) != nil {
		return body
	}
	return out
}

// reportSubjects are the ways the corpus's reports name the district
// water bureau (an organisation of the seed) or its officer (a user).
var reportSubjects = []map[string]any{
	{"subject": "District  water bureau"},
	{"subject": "District water\u200b bureau"},
	{"subject": "ＤＩＳＴＲＩＣＴ ＷＡＴＥＲ ＢＵＲＥＡＵ"},
	{"subject": "district\u00adwater\ufeffbureau"},
	{"subject": "the District water bureau (pipe section)"},
	{"subject": "Officer"},
	{"subject": "officer (deputy director)"},
	{"subject": "O\u200bfficer"},
}

// registerReports registers the corpus's reports as A, one per spelling
// of the bureau, one naming the bureau and one naming its officer by
// identifier.
func (w *hostileWorld) registerReports(t *testing.T, p *proc, key string) {
	t.Helper()
	bureau := w.orgs["District water bureau"]
	officer := p.call(t, "GET", "/v1/me", w.keys["officer"], nil).must(t, 200).str("user", "id")
	matters := append(slices.Clone(reportSubjects), map[string]any{"subject": "a bureau", "subject_org": bureau},
		map[string]any{"subject": "a deputy director", "subject_user": officer})
	for i, m := range matters {
		m = maps.Clone(m)
		if s, ok := m["subject"].(string); ok {
			if u, err := strconv.Unquote(`"` + s + `"`); err == nil {
				m["subject"] = u
			}
		}
		m["type"], m["facts"] = "report", fmt.Sprintf("kickbacks on pipe contract %d", i)
		r := p.call(t, "POST", "/v1/complaints", key, map[string]any{"channel": "letter", "matter": m,
			"complainants": []any{map[string]any{"name": hostileName, "phone": hostilePhone}}}).must(t, 201)
		w.reports = append(w.reports, r.str("id"))
	}
}

// collectionOf is the collection a path is in: the longest collection
// path it starts with.
func (w *hostileWorld) collectionOf(path string) string {
	best := ""
	for c := range w.own {
		if (path == c || strings.HasPrefix(path, c+"/")) && len(c) > len(best) {
			best = c
		}
	}
	return best
}

// operation is one method of one documented path.
type operation struct {
	method, path string
	op           map[string]any
}

func operations(doc map[string]any) []operation {
	paths, _ := doc["paths"].(map[string]any)
	var out []operation
	for p, v := range paths {
		ops, _ := v.(map[string]any)
		for m, o := range ops {
			om, ok := o.(map[string]any)
			if !ok || !slices.Contains([]string{"get", "post", "put", "patch", "delete"}, m) {
				continue
			}
			out = append(out, operation{method: strings.ToUpper(m), path: p, op: om})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].path+out[i].method < out[j].path+out[j].method })
	return out
}

// resolve follows a $ref within the document.
func resolve(doc map[string]any, s map[string]any) map[string]any {
	for i := 0; i < 10 && s != nil; i++ {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		var cur any = doc
		for _, part := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			m, _ := cur.(map[string]any)
			cur = m[part]
		}
		s, _ = cur.(map[string]any)
	}
	return s
}

// schemaAt returns the schema of the value at path inside a body of schema
// s, or nil when the document does not say.
func schemaAt(doc map[string]any, s map[string]any, path []any) map[string]any {
	s = resolve(doc, s)
	if len(path) == 0 || s == nil {
		return s
	}
	for _, comb := range []string{"allOf", "oneOf", "anyOf"} {
		if alts, ok := s[comb].([]any); ok {
			for _, a := range alts {
				am, _ := a.(map[string]any)
				if r := schemaAt(doc, am, path); r != nil {
					return r
				}
			}
			return nil
		}
	}
	switch k := path[0].(type) {
	case string:
		props, _ := s["properties"].(map[string]any)
		next, _ := props[k].(map[string]any)
		return schemaAt(doc, next, path[1:])
	case int:
		items, _ := s["items"].(map[string]any)
		return schemaAt(doc, items, path[1:])
	}
	return nil
}

// leaves lists the paths of the scalar values in v, and objects the paths
// of its objects.
func leaves(v any, at []any, scalars, objects *[][]any) {
	switch x := v.(type) {
	case map[string]any:
		*objects = append(*objects, slices.Clone(at))
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			leaves(x[k], append(at, k), scalars, objects)
		}
	case []any:
		for i, e := range x {
			leaves(e, append(at, i), scalars, objects)
		}
	default:
		*scalars = append(*scalars, slices.Clone(at))
	}
}

func deepCopy(v any) any {
	b, _ := json.Marshal(v)
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out any
	_ = d.Decode(&out)
	return out
}

// setAt returns a copy of v with the value at path replaced by x.
func setAt(v any, path []any, x any) any {
	c := deepCopy(v)
	if len(path) == 0 {
		return x
	}
	var cur any = c
	for i, k := range path {
		last := i == len(path)-1
		switch key := k.(type) {
		case string:
			m := cur.(map[string]any)
			if last {
				m[key] = x
			} else {
				cur = m[key]
			}
		case int:
			a := cur.([]any)
			if last {
				a[key] = x
			} else {
				cur = a[key]
			}
		}
	}
	return c
}

func pathString(path []any) string {
	var b strings.Builder
	for _, k := range path {
		switch key := k.(type) {
		case string:
			if b.Len() > 0 {
				b.WriteByte('.')
			}
			b.WriteString(key)
		case int:
			fmt.Fprintf(&b, "[%d]", key)
		}
	}
	if b.Len() == 0 {
		return "(body)"
	}
	return b.String()
}

// rawMark stands for raw bytes spliced into an encoded body: tokens and
// bytes that json.Marshal would not write.
const rawMark = "\u2063raw\u2063"

func encodeWithRaw(v any, raw string) []byte {
	b, _ := json.Marshal(v)
	mark, _ := json.Marshal(rawMark)
	return bytes.Replace(b, mark, []byte(raw), 1)
}

// exampleBody is the documented example of a request body, by action for
// the casework route.
func exampleBody(op map[string]any, action string) (any, map[string]any) {
	rb, _ := op["requestBody"].(map[string]any)
	content, _ := rb["content"].(map[string]any)
	js, _ := content["application/json"].(map[string]any)
	if js == nil {
		return nil, nil
	}
	schema, _ := js["schema"].(map[string]any)
	if ex, ok := js["example"]; ok {
		return deepCopy(ex), schema
	}
	exs, _ := js["examples"].(map[string]any)
	names := make([]string, 0, len(exs))
	for n := range exs {
		names = append(names, n)
	}
	sort.Strings(names)
	if e, ok := exs[action].(map[string]any); ok {
		return deepCopy(e["value"]), schema
	}
	if len(names) > 0 {
		return deepCopy(exs[names[0]].(map[string]any)["value"]), schema
	}
	return nil, schema
}

// fill puts ids into a path template: {id} of the kind the path is about,
// {action} and {reference}.
func (w *hostileWorld) fill(path string, ids map[string]string, action string) string {
	id := ids[w.collectionOf(path)]
	if id == "" {
		id = "01930000-0000-7000-8000-000000000000"
	}
	r := strings.NewReplacer("{id}", url.PathEscape(id), "{action}", action, "{reference}", url.PathEscape(w.ref),
		"{kind}", "complaint", "{name}", "status.css")
	return r.Replace(path)
}

func isPublic(path string) bool {
	return path == "/healthz" || path == "/readyz" || path == "/openapi.json" || strings.HasPrefix(path, "/v1/public/") || isPage(path)
}

// isPage reports whether the path is one of the HTML pages (the status
// page, /docs and their assets): a refusal there is a page for a person,
// not problem+json.
func isPage(path string) bool {
	return path == "/docs" || strings.HasPrefix(path, "/status/") || strings.HasPrefix(path, "/assets/")
}

// corpus generates the bad requests.
func (w *hostileWorld) corpus(doc map[string]any) []hostileReq {
	var out []hostileReq
	add := func(r hostileReq) {
		if r.hdr == nil {
			r.hdr = map[string]string{}
		}
		out = append(out, r)
	}
	forged := "ssra_" + strings.Repeat("a", 12) + "_" + strings.Repeat("A", 43)
	flipped := []byte(w.keyA)
	flipped[len(flipped)-1] ^= 1
	if flipped[len(flipped)-1] == '_' || flipped[len(flipped)-1] == '-' {
		flipped[len(flipped)-1] = 'Q'
	}
	badAuth := map[string]string{
		"missing":                  "",
		"empty bearer":             "Bearer ",
		"forged key":               "Bearer " + forged,
		"one character changed":    "Bearer " + string(flipped),
		"basic scheme":             "Basic " + w.keyA,
		"key without scheme":       w.keyA,
		"injection as key":         "Bearer ' OR '1'='1",
		"huge key":                 "Bearer " + strings.Repeat("k", 6000),
		"key with trailing junk":   "Bearer " + w.keyA + "x",
		"truncated key":            "Bearer " + w.keyA[:len(w.keyA)-1],
		"another key's id, forged": "Bearer " + w.keyB[:18] + w.keyA[18:],
	}
	authNames := make([]string, 0, len(badAuth))
	for n := range badAuth {
		authNames = append(authNames, n)
	}
	sort.Strings(authNames)

	// A report is never routed to the person or unit it is about, however
	// its subject is spelt, nor to a unit below it.
	bureau := w.orgs["District water bureau"]
	for i, id := range w.reports {
		for _, mode := range []string{"transfer", "assign"} {
			for _, dest := range [][2]string{{bureau, "its subject"}, {w.station, "a unit below its subject"}} {
				body, _ := json.Marshal(map[string]any{"to": dest[0], "mode": mode})
				add(hostileReq{name: fmt.Sprintf("route report %d to %s (%s)", i, dest[1], mode), method: "POST", path: "/v1/complaints/" + id + "/route",
					hdr: map[string]string{"Authorization": "Bearer " + w.keyA, "If-Match": `"v1"`, "Content-Type": "application/json"}, body: body, strict: true})
			}
		}
	}

	for _, o := range operations(doc) {
		actions := []string{""}
		if strings.Contains(o.path, "{action}") {
			actions = actionsOf(doc, o.op)
		}
		for _, action := range actions {
			path := w.fill(o.path, w.own, action)
			body, schema := exampleBody(o.op, action)
			body = ownOrg(body, w.orgA)
			// An action without an example takes no body, or one the
			// document does not illustrate: an empty object stands for it.
			bodyless := action != "" && !hasExample(o.op, action)
			if bodyless {
				body = map[string]any{}
			}
			var good []byte
			if body != nil {
				good, _ = json.Marshal(body)
			}
			ifMatch := ""
			if o.method != "GET" && strings.Contains(o.path, "{id}") {
				ifMatch = "(current)"
			}
			base := func(name string) hostileReq {
				h := map[string]string{"Authorization": "Bearer " + w.keyA}
				if isPublic(o.path) {
					h = map[string]string{"X-Query-Code": w.code}
				}
				if ifMatch != "" {
					h["If-Match"] = ifMatch
				}
				if body != nil {
					h["Content-Type"] = "application/json"
				}
				return hostileReq{name: o.method + " " + o.path + " " + action + ": " + name, method: o.method, path: path, hdr: h, body: good}
			}

			// Missing or forged keys.
			if !isPublic(o.path) {
				for _, n := range authNames {
					r := base("auth " + n)
					if badAuth[n] == "" {
						delete(r.hdr, "Authorization")
					} else {
						r.hdr["Authorization"] = badAuth[n]
					}
					r.strict = true
					add(r)
				}
			}
			// Other organisations' records, with a valid body.
			if strings.Contains(o.path, "{id}") {
				r := base("another organisation's record")
				r.path = w.fill(o.path, w.other, action)
				r.hdr["If-Match"] = `"v1"`
				if o.path == "/v1/assessments/{id}/decision" {
					// The decision route reads the assessment shared with the
					// caller; B's assessment was not shared with A.
					r.body = []byte(`{"intent":"approve"}`)
				}
				r.strict = true
				add(r)
				for _, bad := range append(slices.Clone(injections), strings.Repeat("9", 5000), "..", "%2e%2e", "\xff\xfe") {
					r := base("hostile id " + strconv.Quote(trim(bad)))
					r.path = strings.NewReplacer("{id}", url.PathEscape(bad), "{action}", action, "{reference}", url.PathEscape(w.ref)).Replace(o.path)
					r.strict = true
					add(r)
				}
				if ifMatch != "" && versioned(o.path) {
					for _, im := range []string{"", `"v999"`, `"v0"`, `"v-1"`, `*`, `"v1", "v2"`, `W/"v1"x`, strings.Repeat(`"v1"`, 1000)} {
						r := base("If-Match " + strconv.Quote(trim(im)))
						r.hdr["If-Match"] = im
						if im == "" {
							delete(r.hdr, "If-Match")
						}
						r.strict = true
						add(r)
					}
				}
			}
			if strings.Contains(o.path, "{action}") && action == "accept" {
				for _, bad := range append(slices.Clone(injections), "ACCEPT", "accept ", "", "approve") {
					r := base("unknown action " + strconv.Quote(trim(bad)))
					r.path = w.fill(strings.Replace(o.path, "{action}", url.PathEscape(bad), 1), w.own, "")
					r.strict = true
					add(r)
				}
			}
			if strings.Contains(o.path, "{reference}") {
				for _, bad := range append(slices.Clone(injections), w.ref+"X", strings.Repeat("R", 5000)) {
					r := base("hostile reference " + strconv.Quote(trim(bad)))
					r.path = strings.Replace(o.path, "{reference}", url.PathEscape(bad), 1)
					r.strict = true
					add(r)
				}
				for _, code := range append(slices.Clone(injections), "", w.code+"0", strings.ToLower(w.code)) {
					r := base("forged query code " + strconv.Quote(trim(code)))
					r.hdr["X-Query-Code"] = code
					if body != nil {
						r.body = []byte(`{"code":` + strconv.Quote(code) + `,"rating":"satisfied"}`)
					}
					if code == "" {
						delete(r.hdr, "X-Query-Code")
					}
					r.strict = code != strings.ToLower(w.code)
					add(r)
				}
			}
			// Query parameters of listings.
			if o.method == "GET" && !strings.Contains(o.path, "{") && strings.HasPrefix(o.path, "/v1/") && o.path != "/v1/me" && o.path != "/v1/audit/verify" {
				for _, q := range []string{"limit=-1", "limit=0", "limit=501", "limit=1e9", "limit=99999999999999999999", "limit=abc",
					"scope=everyone", "scope=" + url.QueryEscape(injections[1]), "sort=name", "sort=" + url.QueryEscape(injections[0]),
					"after=" + url.QueryEscape(injections[0]), "after=" + strings.Repeat("A", 4000), "after=%ff%fe", "days=-1", "days=367", "days=NaN"} {
					if name, _, _ := strings.Cut(q, "="); !declaresQuery(doc, o.op, name) {
						continue
					}
					r := base("query " + trim(q))
					r.path += "?" + q
					r.strict = true
					add(r)
				}
			}
			if sheetBody(o.op) {
				for _, r := range sheetHostility(doc, o, path, base) {
					add(r)
				}
			}
			if body == nil {
				continue
			}
			// Whole-body hostility.
			n := len(good)
			whole := []struct {
				name string
				b    []byte
			}{
				{"empty body", []byte{}},
				{"blank body", []byte("  \n ")},
				{"null", []byte("null")},
				{"array", []byte("[]")},
				{"string", []byte(`"x"`)},
				{"number", []byte("1")},
				{"lone brace", []byte("{")},
				{"bad member", []byte(`{"a":}`)},
				{"single quotes", []byte(`{'a':1}`)},
				{"trailing comma", append(bytes.TrimSuffix(good, []byte("}")), []byte(",}")...)},
				{"trailing data", append(slices.Clone(good), []byte(` {"x":1}`)...)},
				{"two values", append(slices.Clone(good), good...)},
				{"comment", append([]byte("/* c */"), good...)},
				{"BOM", append([]byte("\xef\xbb\xbf"), good...)},
				{"invalid UTF-8 byte", append([]byte("\xff"), good...)},
				{"NUL byte", append(slices.Clone(good), 0)},
				{"deep nesting 40", []byte(strings.Repeat("[", 40) + strings.Repeat("]", 40))},
				{"deep nesting 100000", []byte(strings.Repeat("[", 100000))},
				{"deep objects", []byte(strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000))},
				{"duplicate key", append([]byte(`{"`+firstKey(body)+`":null,`), good[1:]...)},
				{"case-folded duplicate key", append([]byte(`{"`+strings.ToUpper(firstKey(body))+`":null,`), good[1:]...)},
				{"unknown top-level field", append([]byte(`{"zz_unknown":1,`), good[1:]...)},
				{"oversized body", append(append([]byte(`{"x":"`), bytes.Repeat([]byte("a"), 2<<20)...), '"', '}')},
			}
			for i, last := 1, 0; i <= 8; i++ {
				cut := n * i / 9
				if cut == 0 || cut == last {
					continue
				}
				last = cut
				whole = append(whole, struct {
					name string
					b    []byte
				}{fmt.Sprintf("truncated at %d of %d bytes", cut, n), good[:cut]})
			}
			for _, wb := range whole {
				if bodyless && (wb.name == "empty body" || wb.name == "blank body") {
					continue
				}
				r := base(wb.name)
				r.body, r.strict = wb.b, true
				add(r)
			}
			r := base("oversized body without length")
			r.body, r.chunked, r.strict = bytes.Repeat([]byte(" "), 3<<20), true, true
			add(r)
			for _, ct := range []string{"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "application/json; charset=", "json"} {
				r := base("content type " + ct)
				r.hdr["Content-Type"] = ct
				r.strict = true
				add(r)
			}

			// Leaf by leaf.
			var scalars, objects [][]any
			leaves(body, nil, &scalars, &objects)
			for _, obj := range append([][]any{nil}, objects...) {
				cur, _ := getAt(body, obj).(map[string]any)
				// Every member the document requires, left out, is refused
				// with a problem that names it.
				os := resolve(doc, schemaAt(doc, schema, obj))
				for _, req := range asStrings(os["required"]) {
					if _, ok := cur[req]; !ok || knownRequiredGaps[o.method+" "+o.path+" "+pathString(append(slices.Clone(obj), req))] {
						continue
					}
					without := maps.Clone(cur)
					delete(without, req)
					r := base("required member left out: " + pathString(append(slices.Clone(obj), req)))
					b, _ := json.Marshal(setAt(body, obj, without))
					r.body, r.strict, r.field = b, true, pathString(append(slices.Clone(obj), req))
					add(r)
				}
				if len(obj) == 0 {
					continue
				}
				withUnknown := map[string]any{"zz_unknown": true}
				for k, v := range cur {
					withUnknown[k] = v
				}
				r := base("unknown field in " + pathString(obj))
				b, _ := json.Marshal(setAt(body, obj, withUnknown))
				r.body, r.strict = b, true
				add(r)
				r = base("array for object " + pathString(obj))
				b, _ = json.Marshal(setAt(body, obj, []any{1, 2}))
				r.body, r.strict = b, true
				add(r)
			}
			for _, leaf := range scalars {
				ls := resolve(doc, schemaAt(doc, schema, leaf))
				typ, _ := ls["type"].(string)
				_, hasEnum := ls["enum"].([]any)
				v := getAt(body, leaf)
				p := pathString(leaf)
				strictMut := func(name string, x any) {
					r := base(name + " at " + p)
					r.body, _ = json.Marshal(setAt(body, leaf, x))
					r.strict = true
					add(r)
				}
				raw := func(name, token string, strict bool) {
					r := base(name + " at " + p)
					r.body = encodeWithRaw(setAt(body, leaf, rawMark), token)
					r.strict = strict
					add(r)
				}
				// Wrong types.
				switch v.(type) {
				case string:
					if typ != "" && !strings.Contains(fmt.Sprint(ls["oneOf"]), "number") && ls["$ref"] == nil && !isDecimalSchema(doc, ls) {
						strictMut("number for string", 12345)
					}
					strictMut("object for string", map[string]any{"x": 1})
					strictMut("array for string", []any{"x"})
					strictMut("true for string", true)
				case json.Number:
					strictMut("string for number", "twelve")
					strictMut("object for number", map[string]any{})
					strictMut("true for number", true)
					strictMut("array for number", []any{1})
					// Huge and non-finite numbers, as JSON tokens.
					raw("NaN token", "NaN", true)
					raw("Infinity token", "Infinity", true)
					raw("-Infinity token", "-Infinity", true)
					raw("1e999999", "1e999999", true)
					raw("5000-digit integer", strings.Repeat("9", 5000), true)
					raw("5000-digit fraction", "0."+strings.Repeat("3", 5000), typ == "integer")
					raw("-1", "-1", hasMinimum(ls))
					raw("0", "0", hasMinimum(ls) && minimum(ls) > 0)
					raw("1.5 for integer", "1.5", typ == "integer")
				case bool:
					strictMut("string for boolean", "true")
					strictMut("number for boolean", 1)
				}
				// Invalid UTF-8 inside a string value.
				if _, ok := v.(string); ok {
					raw("invalid UTF-8 in string", "\"a\xff\xfeb\"", true)
					raw("lone surrogate escape", `"\ud800"`, false)
					raw("unterminated string", `"abc`, true)
				}
				if hasEnum {
					strictMut("unknown enum value", "not_a_value_xyz")
					strictMut("enum in upper case", strings.ToUpper(fmt.Sprint(v)))
					for _, inj := range injections[:4] {
						strictMut("injection "+strconv.Quote(inj)+" in enum", inj)
					}
				} else if _, ok := v.(string); ok {
					for _, inj := range injections {
						r := base("injection " + strconv.Quote(trim(inj)) + " at " + p)
						r.body, _ = json.Marshal(setAt(body, leaf, inj))
						add(r)
					}
				}
				if isDecimalSchema(doc, ls) {
					for _, d := range []string{"NaN", "Infinity", "-Infinity", "1e999999", strings.Repeat("9", 5000), "0." + strings.Repeat("1", 5000), "1e-999999", "0x10", "1,5", ""} {
						strictMut("decimal "+trim(d), d)
					}
				}
			}
		}
	}
	return out
}

// declaresQuery reports whether the operation documents the query
// parameter name: only those are expected to be checked.
// actionsOf lists the actions of a workflow route to try: every action
// with a documented example and the first three without one.
func actionsOf(doc, op map[string]any) []string {
	var out []string
	params, _ := op["parameters"].([]any)
	without := 0
	for _, p := range params {
		pm := resolve(doc, p.(map[string]any))
		if pm["name"] != "action" {
			continue
		}
		enum, _ := resolve(doc, pm["schema"].(map[string]any))["enum"].([]any)
		for _, e := range enum {
			a := fmt.Sprint(e)
			if hasExample(op, a) {
				out = append(out, a)
			} else if without < 3 {
				out = append(out, a)
				without++
			}
		}
	}
	return out
}

// hasExample reports whether the operation documents a body example for
// the action.
func hasExample(op map[string]any, action string) bool {
	rb, _ := op["requestBody"].(map[string]any)
	content, _ := rb["content"].(map[string]any)
	js, _ := content["application/json"].(map[string]any)
	exs, _ := js["examples"].(map[string]any)
	_, ok := exs[action]
	return ok
}

func declaresQuery(doc, op map[string]any, name string) bool {
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		pm := resolve(doc, p.(map[string]any))
		if pm["in"] == "query" && pm["name"] == name {
			return true
		}
	}
	return false
}

func trim(s string) string {
	if len(s) > 24 {
		return s[:24] + "…"
	}
	return s
}

func firstKey(body any) string {
	m, _ := body.(map[string]any)
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) == 0 {
		return "x"
	}
	return keys[0]
}

func getAt(v any, path []any) any {
	for _, k := range path {
		switch key := k.(type) {
		case string:
			v = v.(map[string]any)[key]
		case int:
			v = v.([]any)[key]
		}
	}
	return v
}

func hasMinimum(s map[string]any) bool {
	_, a := s["minimum"]
	_, b := s["exclusiveMinimum"]
	return a || b
}

func minimum(s map[string]any) float64 {
	if m, ok := s["minimum"].(float64); ok {
		return m
	}
	if m, ok := s["exclusiveMinimum"].(float64); ok {
		return m + 1
	}
	return 0
}

// isDecimalSchema reports whether s is the document's decimal input.
func isDecimalSchema(doc map[string]any, s map[string]any) bool {
	if s == nil {
		return false
	}
	dec := resolve(doc, map[string]any{"$ref": "#/components/schemas/DecimalInput"})
	return dec != nil && fmt.Sprint(s) == fmt.Sprint(dec)
}

// send sends a corpus request.
func (w *hostileWorld) send(t *testing.T, hc *http.Client, addr string, r hostileReq, n int) (int, http.Header, []byte) {
	t.Helper()
	var rd io.Reader
	if r.body != nil {
		rd = bytes.NewReader(r.body)
		if r.chunked {
			rd = io.MultiReader(rd) // hides the length: sent chunked
		}
	}
	req, err := http.NewRequest(r.method, "http://"+addr+r.path, rd)
	if err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
	for k, v := range r.hdr {
		if v == "(current)" {
			v = w.ownTag[w.collectionOf(r.path)]
		}
		if strings.ContainsFunc(v, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			// Not sendable as a header: the query code goes in the query,
			// where it is refused.
			if k == "X-Query-Code" {
				req.URL.RawQuery = "code=" + url.QueryEscape(v)
			}
			continue
		}
		req.Header.Set(k, v)
	}
	// A distinct client address per request, so that the public route's
	// rate limit does not answer in place of the route.
	req.Header.Set("X-Forwarded-For", fmt.Sprintf("10.%d.%d.%d", n>>16&255, n>>8&255, n&255))
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatalf("%s: %v", r.name, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, b
}

// isReport reports whether body is a validation verdict that says no.
func isReport(body []byte) bool {
	var v struct {
		Valid *bool `json:"valid"`
	}
	return json.Unmarshal(body, &v) == nil && v.Valid != nil && !*v.Valid
}

func TestHostileInput(t *testing.T) {
	db := filepath.Join(t.TempDir(), "ssra.db")
	w := seedHostile(t, db)
	p := start(t, []string{"SSRA_DATABASE_URL=" + db}, "-addr", "127.0.0.1:0", "-auth-failure-limit", "-1", "-trust-proxy")
	code, raw := p.get(t, "/openapi.json", "")
	if code != 200 {
		t.Fatalf("openapi.json: %d", code)
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(raw), &doc); err != nil {
		t.Fatal(err)
	}
	w.records(t, p, doc)
	corpus := w.corpus(doc)
	hc := &http.Client{}
	events := func() int64 {
		rep := p.call(t, "GET", "/v1/audit/verify", w.keyOps, nil).must(t, 200)
		if rep.str("ok") != "true" {
			t.Fatalf("audit chain: %s", rep.raw)
		}
		n, _ := strconv.ParseInt(rep.str("leaves"), 10, 64)
		m, _ := strconv.ParseInt(rep.str("pending"), 10, 64)
		return n + m
	}
	before := events()
	strict, accepted, refused := 0, 0, 0
	byStatus := map[int]int{}
	for i, r := range corpus {
		code, hdr, body := w.send(t, hc, p.addr, r, i)
		byStatus[code]++
		if hdr.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options %q", r.name, hdr.Get("X-Content-Type-Options"))
		}
		if code >= 500 {
			t.Errorf("%s: %d %s", r.name, code, body)
			continue
		}
		if r.strict {
			strict++
		}
		if code < 400 && isReport(body) {
			// A validation route answers 200 with its verdict: an invalid
			// input is refused by "valid": false, and nothing is stored.
			code = 422
		}
		if code < 400 {
			if r.strict {
				t.Errorf("%s: accepted with %d: %s", r.name, code, trim(string(body)))
			} else {
				accepted++
				if testing.Verbose() {
					t.Logf("accepted by the domain: %s: %d", r.name, code)
				}
			}
			// The domain took it: re-read the record's version and the log.
			for c, id := range w.own {
				w.ownTag[c] = p.call(t, "GET", c+"/"+id, w.keyA, nil).must(t, 200).etag
			}
			before = events()
			continue
		}
		refused++
		if isReport(body) {
			continue
		}
		var prob struct {
			Type, Title string
			Status      int
		}
		if ct := hdr.Get("Content-Type"); isPage(r.path) && strings.HasPrefix(ct, "text/html") {
			if !strings.Contains(hdr.Get("Content-Security-Policy"), "default-src 'none'") {
				t.Errorf("%s: %d page without its policy", r.name, code)
			}
		} else if ct != "application/problem+json" {
			t.Errorf("%s: %d with Content-Type %q", r.name, code, ct)
		} else if err := json.Unmarshal(body, &prob); err != nil || prob.Type == "" || prob.Title == "" || prob.Status != code {
			t.Errorf("%s: %d with problem %s", r.name, code, body)
		}
		if hdr.Get("Cache-Control") != "no-store" {
			t.Errorf("%s: problem without Cache-Control: no-store", r.name)
		}
		if r.field != "" && !namesField(body, r.field) {
			t.Errorf("%s: %d without a problem naming %s: %s", r.name, code, r.field, trim(string(body)))
		}
		if i%25 == 0 || i == len(corpus)-1 {
			if now := events(); now != before {
				t.Errorf("after %s (or one of the 25 before it): the audit log grew from %d to %d events", r.name, before, now)
				before = now
			}
		}
	}
	if now := events(); now != before {
		t.Fatalf("the refused requests changed the audit log: %d → %d events", before, now)
	}
	t.Logf("%d requests: %d must be refused; %d refused, %d accepted by the domain; statuses %v", len(corpus), strict, refused, accepted, byStatus)
	if strict < 500 {
		t.Errorf("only %d strict requests in the corpus, want at least 500", strict)
	}
	// The records are as they were (the accepted requests aside, which
	// moved the version the test tracks).
	for c, id := range w.other {
		if !versioned(c) {
			continue
		}
		if got := p.call(t, "GET", c+"/"+id, w.keyB, nil).must(t, 200); got.str("version") != "1" {
			t.Errorf("organisation B's record in %s changed: %s", c, got.raw)
		}
	}
	t.Logf("records of both organisations in %d collections", len(w.other))
	// No key, complainant name, phone or query code in the logs, and no panic.
	logs := p.logText()
	secrets := map[string]string{"complainant name": hostileName, "complainant phone": hostilePhone, "query code": w.code}
	for u, k := range w.keys {
		secrets["key of "+u] = k
		secrets["secret part of the key of "+u] = k[18:]
	}
	for what, s := range secrets {
		if s != "" && strings.Contains(logs, s) {
			t.Errorf("the logs contain the %s", what)
		}
	}
	for _, bad := range []string{`"level":"ERROR"`, "panic"} {
		if strings.Contains(logs, bad) {
			t.Errorf("the logs contain %s", bad)
		}
	}
}

// knownRequiredGaps are the members the document requires that the
// server does not yet refuse, or refuses without naming them: each is an
// open defect (a draft that may be incomplete against a schema that says
// otherwise, a problem that names a member below or beside the missing
// one), listed so that no new one goes unnoticed.
var knownRequiredGaps = map[string]bool{}

// asStrings returns the strings of a JSON array.
func asStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// namesField reports whether a problem body has an error naming field (or
// a path under it).
func namesField(body []byte, field string) bool {
	var prob struct {
		Errors []struct{ Field string } `json:"errors"`
	}
	if json.Unmarshal(body, &prob) != nil {
		return false
	}
	for _, e := range prob.Errors {
		if e.Field == field || strings.HasPrefix(e.Field, field+".") || strings.HasPrefix(e.Field, field+"[") {
			return true
		}
	}
	return false
}

// mediaXLSX is the media type of an XLSX workbook.
const mediaXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// sheetBody reports whether an operation takes a spreadsheet as its body.
func sheetBody(op map[string]any) bool {
	rb, _ := op["requestBody"].(map[string]any)
	content, _ := rb["content"].(map[string]any)
	_, ok := content[mediaXLSX]
	return ok
}

// exampleQuery is the query of an operation's parameter examples: a route
// that takes a spreadsheet reaches its body only with a good query.
func exampleQuery(doc, op map[string]any) string {
	q := url.Values{}
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		pm := resolve(doc, p.(map[string]any))
		if ex, ok := pm["example"]; ok && pm["in"] == "query" {
			q.Set(pm["name"].(string), fmt.Sprint(ex))
		}
	}
	return q.Encode()
}

// sheetHostility are the bad spreadsheets every upload route refuses, with
// the documented example query: files that are no workbook, a zip without
// one, CSV in no known encoding or malformed, multipart bodies without the
// file or with a stranger part, and bodies over the sheet limit (10 MiB by
// default) with and without a length.
func sheetHostility(doc map[string]any, o operation, path string, base func(string) hostileReq) []hostileReq {
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	if f, err := zw.Create("readme.txt"); err == nil {
		_, _ = f.Write([]byte("no workbook here"))
	}
	_ = zw.Close()
	over := bytes.Repeat([]byte("x"), 10<<20+1)
	mp := func(parts string) []byte {
		return []byte(strings.ReplaceAll(parts, "\n", "\r\n"))
	}
	cases := []struct {
		name, ct string
		body     []byte
		chunked  bool
	}{
		{"empty workbook", mediaXLSX, []byte{}, false},
		{"not a workbook", mediaXLSX, []byte("PK\x03\x04 this is no zip"), false},
		{"zip without a workbook", mediaXLSX, zipped.Bytes(), false},
		{"CSV in no known encoding", "text/csv", []byte("编号 ID\n\x81\x20\xff\xff\n"), false},
		{"CSV with a bare quote", "text/csv", []byte("编号 ID,名称 Name\nU1,\"open\n"), false},
		{"CSV without a header", "text/csv", []byte{}, false},
		{"workbook as octet-stream", "application/octet-stream", zipped.Bytes(), false},
		{"multipart without the file", "multipart/form-data; boundary=b", mp("--b\nContent-Disposition: form-data; name=\"other\"\n\nx\n--b--\n"), false},
		{"multipart with the file twice", "multipart/form-data; boundary=b", mp("--b\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\nContent-Type: text/csv\n\n编号 ID\n--b\nContent-Disposition: form-data; name=\"file\"; filename=\"b.csv\"\nContent-Type: text/csv\n\n编号 ID\n--b--\n"), false},
		{"multipart file of an unknown type", "multipart/form-data; boundary=b", mp("--b\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\nContent-Type: application/pdf\n\n%PDF\n--b--\n"), false},
		{"multipart truncated", "multipart/form-data; boundary=b", mp("--b\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\nContent-Type: text/csv\n\n编号"), false},
		{"multipart without a boundary", "multipart/form-data", []byte("x"), false},
		{"oversized workbook", mediaXLSX, over, false},
		{"oversized workbook without length", mediaXLSX, over, true},
		{"oversized CSV without length", "text/csv", over, true},
	}
	q := exampleQuery(doc, o.op)
	var out []hostileReq
	for _, c := range cases {
		r := base("spreadsheet: " + c.name)
		r.path = path + "?" + q
		r.hdr["Content-Type"] = c.ct
		r.body, r.chunked, r.strict = c.body, c.chunked, true
		out = append(out, r)
	}
	return out
}
