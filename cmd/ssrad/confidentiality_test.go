package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// reportWorld is a letters office and a water bureau, with a caseworker
// and an admin in each; the bureau's deputy director Chen Wei is a user,
// and so is a caseworker of the office named Zhao Min whom a report will
// be about.
type reportWorld struct {
	p                *inproc
	office, bureau   string // organisation ids
	chen, zhao       string // user ids
	keys             map[string]string
	complainantName  string
	complainantPhone string
	n                int // reports registered, to keep their facts apart
}

func newReportWorld(t *testing.T, dsn string) *reportWorld {
	t.Helper()
	ctx := context.Background()
	p := openInproc(t, dsn)
	store := p.store
	w := &reportWorld{keys: p.keys, complainantName: "Sun Meiling", complainantPhone: "13611112222"}
	type user struct {
		name  string
		roles []ssra.Role
		id    *string
	}
	cw, admin := []ssra.Role{ssra.RoleCaseworker}, []ssra.Role{ssra.RoleAdmin}
	for _, o := range []struct {
		org   *string
		name  string
		users []user
	}{
		{&w.office, "County letters office", []user{{"clerk", cw, nil}, {"Zhao Min", append(cw, ssra.RoleAdmin), &w.zhao}, {"office admin", admin, nil}}},
		{&w.bureau, "District water bureau", []user{{"Chen Wei", cw, &w.chen}, {"bureau clerk", cw, nil}}},
	} {
		org, err := store.CreateOrganisation(ctx, sqlstore.System, o.name)
		if err != nil {
			t.Fatal(err)
		}
		*o.org = org.ID
		for _, u := range o.users {
			usr, err := store.CreateUser(ctx, sqlstore.System, org.ID, u.name, u.roles)
			if err != nil {
				t.Fatal(err)
			}
			if u.id != nil {
				*u.id = usr.ID
			}
			if w.keys[u.name], _, err = store.CreateKey(ctx, sqlstore.System, usr.ID, "test"); err != nil {
				t.Fatal(err)
			}
		}
	}
	w.p = p
	return w
}

// report registers a report at the office about subject.
func (w *reportWorld) report(t *testing.T, matter map[string]any) resp {
	t.Helper()
	matter["type"] = "report"
	w.n++
	matter["facts"] = fmt.Sprintf("kickbacks on pipe contract %d", w.n)
	r := w.p.do(t, "POST", "/v1/complaints", w.keys["clerk"], map[string]any{
		"channel": "letter", "matter": matter,
		"complainants": []any{map[string]any{"name": w.complainantName, "phone": w.complainantPhone}},
	}, "")
	if r.code != 201 {
		t.Fatalf("register: %d %v", r.code, r.body)
	}
	return r
}

func problemCodes(r resp) []string {
	var out []string
	errs, _ := r.body["errors"].([]any)
	for _, e := range errs {
		m, _ := e.(map[string]any)
		c, _ := m["code"].(string)
		out = append(out, c)
	}
	return out
}

// TestReportNeverReachesItsSubject: over HTTP on the real store, a report
// is not routed to the organisation of the person it names, however the
// name is spelt or when it is named by identifier, and the person it is
// about does not see who reported them even as a caseworker of the
// handling organisation.
func TestReportNeverReachesItsSubject(t *testing.T) {
	backends(t, func(t *testing.T, dsn string) {
		w := newReportWorld(t, dsn)
		for _, tc := range []struct {
			name   string
			matter map[string]any
			code   string
		}{
			{"user name with two spaces", map[string]any{"subject": "Chen  Wei"}, "complaint.route_to_subject"},
			{"user name with a title", map[string]any{"subject": "Chen Wei (deputy director)"}, "complaint.route_to_possible_subject"},
			{"user name full-width", map[string]any{"subject": "Ｃｈｅｎ Ｗｅｉ"}, "complaint.route_to_subject"},
			{"organisation with a zero-width space", map[string]any{"subject": "District water\u200b bureau"}, "complaint.route_to_subject"},
			{"subject user by identifier", map[string]any{"subject": "a deputy director", "subject_user": w.chen}, "complaint.route_to_subject"},
			{"subject organisation by identifier", map[string]any{"subject": "a bureau", "subject_org": w.bureau}, "complaint.route_to_subject"},
			{"unrelated", map[string]any{"subject": "Riverside property company"}, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				reg := w.report(t, tc.matter)
				id := reg.body["id"].(string)
				r := w.p.do(t, "POST", "/v1/complaints/"+id+"/route", w.keys["clerk"], map[string]any{"to": w.bureau, "mode": "transfer"}, `"v1"`)
				if tc.code == "" {
					if r.code != 200 {
						t.Fatalf("route of an unrelated report: %d %v", r.code, r.body)
					}
					return
				}
				if r.code != 422 || !strings.Contains(strings.Join(problemCodes(r), " "), tc.code) {
					t.Fatalf("route: %d %v, want 422 %s", r.code, r.body, tc.code)
				}
				if got := w.p.do(t, "GET", "/v1/complaints/"+id, w.keys["bureau clerk"], nil, ""); got.code != 404 {
					t.Fatalf("the bureau reads the refused report: %d", got.code)
				}
			})
		}

		// Zhao Min is a caseworker and admin of the handling office: a
		// report about them (by identifier, or by name) shows them the
		// subject's view, while their colleague sees the complainant.
		for _, matter := range []map[string]any{{"subject": "a section chief", "subject_user": w.zhao}, {"subject": "ZHAO\u200bmin, section chief"}} {
			reg := w.report(t, matter)
			id := reg.body["id"].(string)
			got := w.p.do(t, "GET", "/v1/complaints/"+id, w.keys["Zhao Min"], nil, "")
			if got.code != 200 || got.body["view"] != "subject" || strings.Contains(asJSON(got.body), w.complainantName) {
				t.Fatalf("the subject reads their report: %d view %v", got.code, got.body["view"])
			}
			list := w.p.do(t, "GET", "/v1/complaints?limit=100", w.keys["Zhao Min"], nil, "")
			items, _ := list.body["items"].([]any)
			found := false
			for _, it := range items {
				if m, _ := it.(map[string]any); m["id"] == id {
					found = true
					if m["view"] != "subject" || strings.Contains(asJSON(m), w.complainantPhone) {
						t.Fatalf("the subject's listing: view %v", m["view"])
					}
				}
			}
			if !found {
				t.Fatal("the report is missing from the listing")
			}
			if got := w.p.do(t, "GET", "/v1/complaints/"+id, w.keys["clerk"], nil, ""); got.body["view"] != "handler" || !strings.Contains(asJSON(got.body), w.complainantName) {
				t.Fatalf("the colleague handling it: view %v", got.body["view"])
			}
		}

		// An identifier that names nobody is refused at registration.
		r := w.p.do(t, "POST", "/v1/complaints", w.keys["clerk"], map[string]any{"channel": "letter",
			"matter": map[string]any{"type": "report", "subject": "x", "subject_user": "no-such-user", "subject_org": "no-such-org", "facts": "f"}}, "")
		if codes := strings.Join(problemCodes(r), " "); r.code != 422 || !strings.Contains(codes, "complaint.subject_user_unknown") || !strings.Contains(codes, "complaint.subject_org_unknown") {
			t.Fatalf("unknown subject identifiers: %d %v", r.code, r.body)
		}
	})
}

func asJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// TestHierarchyGuardsOnTheRealStore: with a pipe station below the water
// bureau, over HTTP on the real store, a report about the bureau or one of
// its users is not routed down to the station, and a matter the bureau
// handles is not registered again by the station, whose refusal names the
// bureau and nothing of its case.
func TestHierarchyGuardsOnTheRealStore(t *testing.T) {
	backends(t, func(t *testing.T, dsn string) {
		ctx := context.Background()
		w := newReportWorld(t, dsn)
		station, err := w.p.store.CreateOrganisationUnder(ctx, sqlstore.System, "Pipe station", w.bureau)
		if err != nil {
			t.Fatal(err)
		}
		u, err := w.p.store.CreateUser(ctx, sqlstore.System, station.ID, "station clerk", []ssra.Role{ssra.RoleCaseworker})
		if err != nil {
			t.Fatal(err)
		}
		if w.keys["station clerk"], _, err = w.p.store.CreateKey(ctx, sqlstore.System, u.ID, "test"); err != nil {
			t.Fatal(err)
		}
		for _, matter := range []map[string]any{
			{"subject": "a bureau", "subject_org": w.bureau},
			{"subject": "a deputy director", "subject_user": w.chen},
			{"subject": "Chen  Wei"},
		} {
			id := w.report(t, matter).body["id"].(string)
			r := w.p.do(t, "POST", "/v1/complaints/"+id+"/route", w.keys["clerk"], map[string]any{"to": station.ID, "mode": "transfer"}, `"v1"`)
			if r.code != 422 || !strings.Contains(strings.Join(problemCodes(r), " "), "complaint.route_to_subject") {
				t.Fatalf("route below the subject %v: %d %v", matter, r.code, r.body)
			}
			if got := w.p.do(t, "GET", "/v1/complaints/"+id, w.keys["station clerk"], nil, ""); got.code != 404 {
				t.Fatalf("the station reads the refused report: %d", got.code)
			}
		}

		claim := func(key string) resp {
			return w.p.do(t, "POST", "/v1/complaints", key, map[string]any{"channel": "letter",
				"matter":       map[string]any{"type": "claim", "subject": "the pipe network", "facts": "no water in Elm Street", "request": "repair the main"},
				"complainants": []any{map[string]any{"name": w.complainantName, "phone": w.complainantPhone}}}, "")
		}
		held := claim(w.keys["bureau clerk"])
		if held.code != 201 {
			t.Fatalf("register at the bureau: %d %v", held.code, held.body)
		}
		r := claim(w.keys["station clerk"])
		if r.code != 409 || !strings.Contains(strings.Join(problemCodes(r), " "), "complaint.repeat_in_progress") {
			t.Fatalf("the same matter below: %d %v", r.code, r.body)
		}
		text := asJSON(r.body)
		if !strings.Contains(text, "a superior organ (District water bureau)") {
			t.Fatalf("the refusal does not name the bureau: %s", text)
		}
		data, _ := held.body["data"].(map[string]any)
		for _, secret := range []string{held.body["id"].(string), fmt.Sprint(data["ref"]), w.complainantName, w.complainantPhone, "Elm Street"} {
			if strings.Contains(text, secret) {
				t.Fatalf("the refusal exposes %q: %s", secret, text)
			}
		}
		if r := claim(w.keys["clerk"]); r.code != 201 {
			t.Fatalf("an office outside the line: %d %v", r.code, r.body)
		}
	})
}
