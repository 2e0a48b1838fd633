package main_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// TestEndToEndAdministration drives users and keys over REST against a
// real server and database: an administrator manages their own
// organisation's users and keys, sees and touches nothing of another
// organisation's, cannot lock themselves out, and what they do over REST
// is what the command line (the same store methods) shows and can undo.
func TestEndToEndAdministration(t *testing.T) {
	ssradBinary(t)
	db := filepath.Join(t.TempDir(), "ssra.db")
	w := seed(t, db)
	env := []string{"SSRA_DATABASE_URL=" + db}
	p := start(t, env, "-addr", "127.0.0.1:0")
	adminA, adminB := w.keys["admin"], w.keys["head"] // County assessment centre; District water bureau

	u := p.call(t, "POST", "/v1/users", adminA, map[string]any{"name": "Wang Fang", "roles": []string{"assessor"}}).must(t, 201)
	id := u.str("id")
	if u.str("org_id") != w.orgs["County assessment centre"] {
		t.Fatalf("created user: %s", u.raw)
	}
	p.call(t, "GET", "/v1/users", w.keys["assessor"], nil).must(t, 403)
	until := time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)
	k := p.call(t, "POST", "/v1/users/"+id+"/keys", adminA, map[string]any{"name": "desk", "expires_at": until}).must(t, 201)
	key, keyID := k.str("key"), k.str("id")
	me := p.call(t, "GET", "/v1/me", key, nil).must(t, 200)
	if me.str("user", "id") != id {
		t.Fatalf("the issued key is not Wang Fang's: %s", me.raw)
	}

	// The other organisation's admin: not found, never forbidden, and
	// nothing listed.
	if r := p.call(t, "GET", "/v1/users", adminB, nil).must(t, 200); strings.Contains(r.raw, id) {
		t.Fatalf("organisation B lists A's user: %s", r.raw)
	}
	if r := p.call(t, "GET", "/v1/keys", adminB, nil).must(t, 200); strings.Contains(r.raw, keyID) {
		t.Fatalf("organisation B lists A's key: %s", r.raw)
	}
	p.call(t, "GET", "/v1/users/"+id, adminB, nil).must(t, 404)
	p.call(t, "POST", "/v1/users/"+id+"/disable", adminB, nil, "If-Match", `"v1"`).must(t, 404)
	p.call(t, "POST", "/v1/users/"+id+"/keys", adminB, map[string]any{"name": "stolen"}).must(t, 404)
	p.call(t, "POST", "/v1/keys/"+keyID+"/revoke", adminB, nil).must(t, 404)
	p.call(t, "POST", "/v1/keys/"+keyID+"/rotate", adminB, map[string]any{}).must(t, 404)
	p.call(t, "GET", "/v1/me", key, nil).must(t, 200)

	// No lock-out by one's own hand.
	self := userOf(t, p, adminA)
	selfTag := p.call(t, "GET", "/v1/users/"+self, adminA, nil).must(t, 200).etag
	p.call(t, "POST", "/v1/users/"+self+"/disable", adminA, nil, "If-Match", selfTag).must(t, 409)
	p.call(t, "POST", "/v1/users/"+self+"/roles", adminA, map[string]any{"roles": []string{"viewer"}}, "If-Match", selfTag).must(t, 409)

	// Disabling stops the key at once; enabling brings it back. Each
	// change names the version it was made from: none is 428, a stale one
	// 412 and writes nothing.
	p.call(t, "POST", "/v1/users/"+id+"/disable", adminA, nil).must(t, 428)
	p.call(t, "POST", "/v1/users/"+id+"/disable", adminA, nil, "If-Match", u.etag).must(t, 200)
	p.call(t, "GET", "/v1/me", key, nil).must(t, 401)
	p.call(t, "POST", "/v1/users/"+id+"/enable", adminA, nil, "If-Match", u.etag).must(t, 412)
	p.call(t, "GET", "/v1/me", key, nil).must(t, 401)
	p.call(t, "POST", "/v1/users/"+id+"/enable", adminA, nil, "If-Match", `"v2"`).must(t, 200)
	p.call(t, "GET", "/v1/me", key, nil).must(t, 200)

	// Rotation over REST: the old key stops, the new one works.
	r := p.call(t, "POST", "/v1/keys/"+keyID+"/rotate", adminA, map[string]any{}).must(t, 201)
	p.call(t, "GET", "/v1/me", key, nil).must(t, 401)
	p.call(t, "GET", "/v1/me", r.str("key"), nil).must(t, 200)

	// The command line sees what REST did, with the expiry and who issued
	// it, and rotates the REST-issued key with the same code.
	list := run(t, env, "keys", "list", "-user", id)
	if !strings.Contains(list, keyID) || !strings.Contains(list, until) || !strings.Contains(list, r.str("id")) {
		t.Fatalf("ssrad keys list after REST:\n%s", list)
	}
	out := run(t, env, "keys", "rotate", "-id", r.str("id"), "-expires", "2099-01-01")
	var next []string
	for _, l := range strings.Split(out, "\n") {
		if m := keyLine.FindStringSubmatch(l); m != nil {
			next = m
		}
	}
	if next == nil || !strings.Contains(out, "2099-01-01T00:00:00Z") {
		t.Fatalf("ssrad keys rotate printed:\n%s", out)
	}
	p.call(t, "GET", "/v1/me", r.str("key"), nil).must(t, 401)
	p.call(t, "GET", "/v1/me", next[1], nil).must(t, 200)
	listed := p.call(t, "GET", "/v1/keys?user_id="+id, adminA, nil).must(t, 200)
	if !strings.Contains(listed.raw, `"created_by":"system"`) || !strings.Contains(listed.raw, `"created_by":"`+self+`"`) {
		t.Fatalf("keys issued by the command line and by the admin are not told apart: %s", listed.raw)
	}

	// The audit log holds the administration under the admin's identity.
	s, err := sqlstore.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	evs, err := s.AuditEvents(context.Background(), 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	byAdmin := map[string]bool{}
	for _, e := range evs {
		if e.ActorUser == self {
			byAdmin[e.Action] = true
		}
	}
	for _, action := range []string{"user.create", "user.update", "api_key.create", "api_key.rotate"} {
		if !byAdmin[action] {
			t.Fatalf("the audit log has no %s by the admin: %v", action, byAdmin)
		}
	}
}

// TestEndToEndOperatorRole: the server-wide figures are the operator's.
// An organisation's administrator gets 403 from /metrics and, from the
// audit verification, only their own organisation's part: nothing of
// another organisation (its records, their number, its ids) and none of
// the server's own figures. They cannot make themselves or a colleague
// operator, nor take over an operator by issuing their key; the command
// line grants the role, and its holder reads the whole server's figures.
func TestEndToEndOperatorRole(t *testing.T) {
	ssradBinary(t)
	db := filepath.Join(t.TempDir(), "ssra.db")
	w := seed(t, db)
	env := []string{"SSRA_DATABASE_URL=" + db}
	p := start(t, env, "-addr", "127.0.0.1:0")
	adminA := w.keys["admin"] // County assessment centre
	orgA, orgB := w.orgs["County assessment centre"], w.orgs["District water bureau"]
	var bIDs []string
	for i := range 3 {
		letter := map[string]any{"channel": "letter",
			"matter":       map[string]any{"type": "claim", "subject": "a pipe station", "facts": fmt.Sprintf("no water, letter %d", i), "request": "restore the supply"},
			"complainants": []any{map[string]any{"name": "Qian Wei", "phone": "13500000000"}}}
		bIDs = append(bIDs, p.call(t, "POST", "/v1/complaints", w.keys["officer"], letter).must(t, 201).str("id"))
	}

	p.call(t, "GET", "/metrics", adminA, nil).must(t, 403)
	v := p.call(t, "GET", "/v1/audit/verify", adminA, nil).must(t, 200)
	if v.str("scope") != "organisation" || v.str("org_id") != orgA || v.body["records"] != float64(0) || v.body["ok"] != true {
		t.Fatalf("A's admin's verification: %s", v.raw)
	}
	for _, leak := range append(bIDs, orgB, "pending", "checkpoints", "cosignatures") {
		if strings.Contains(v.raw, leak) {
			t.Fatalf("A's admin's verification holds %q: %s", leak, v.raw)
		}
	}

	// No escalation over REST, to oneself or by way of a colleague.
	self := userOf(t, p, adminA)
	tag := p.call(t, "GET", "/v1/users/"+self, adminA, nil).must(t, 200).etag
	r := p.call(t, "POST", "/v1/users/"+self+"/roles", adminA, map[string]any{"roles": []string{"admin", "operator"}}, "If-Match", tag).must(t, 403)
	if !strings.Contains(r.raw, `"roles[1]"`) || !strings.Contains(r.raw, "operator_command_line_only") {
		t.Fatalf("the refusal names no field and rule: %s", r.raw)
	}
	p.call(t, "POST", "/v1/users", adminA, map[string]any{"name": "ops", "roles": []string{"operator"}}).must(t, 403)
	p.call(t, "GET", "/metrics", adminA, nil).must(t, 403)

	// The command line makes an operator in A; A's admin cannot issue
	// their key or change them, and the operator reads everything.
	ops := operatorKey(t, env, orgA)
	opsID := userOf(t, p, ops)
	p.call(t, "POST", "/v1/users/"+opsID+"/keys", adminA, map[string]any{"name": "mine now"}).must(t, 403)
	opsTag := p.call(t, "GET", "/v1/users/"+opsID, adminA, nil).must(t, 200).etag
	p.call(t, "POST", "/v1/users/"+opsID+"/disable", adminA, nil, "If-Match", opsTag).must(t, 403)
	if code, m := p.get(t, "/metrics", ops); code != 200 || !strings.Contains(m, "ssra_http_requests_total") {
		t.Fatalf("the operator's metrics: %d %.300s", code, m)
	}
	all := p.call(t, "GET", "/v1/audit/verify", ops, nil).must(t, 200)
	if all.str("scope") != "server" || all.body["records"] != float64(3) || all.body["pending"] == nil || all.body["ok"] != true {
		t.Fatalf("the operator's verification: %s", all.raw)
	}
}
