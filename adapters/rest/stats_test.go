package rest_test

import (
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
)

// casework registers, at org A, a complaint answered late and one routed
// to B; at B, a complaint still open.
func casework(t *testing.T, f *fixture) {
	t.Helper()
	a, b := keyOf(orgA, ssra.RoleCaseworker), keyOf(orgB, ssra.RoleCaseworker)
	n := 0
	matter := func(facts string) map[string]any {
		n++
		c := complaintJSON()
		c["matter"].(map[string]any)["facts"] = facts
		c["ref"] = "XF-STATS-" + strconv.Itoa(n)
		return c
	}
	late := f.call(t, "POST", "/v1/complaints", a, matter("water cut for two weeks")).must(t, http.StatusCreated).str("id")
	routed := f.call(t, "POST", "/v1/complaints", a, matter("street lights out")).must(t, http.StatusCreated).str("id")
	f.call(t, "POST", "/v1/complaints", b, matter("bus stop moved")).must(t, http.StatusCreated)
	f.clock.Advance(24 * time.Hour)
	f.call(t, "POST", "/v1/complaints/"+late+"/accept", a, nil, "If-Match", etagOf(1)).must(t, http.StatusOK)
	f.call(t, "POST", "/v1/complaints/"+routed+"/route", a, map[string]any{"to": orgB, "mode": "transfer"}, "If-Match", etagOf(1)).must(t, http.StatusOK)
	f.clock.Advance(70 * 24 * time.Hour)
	f.call(t, "POST", "/v1/complaints/"+late+"/answer", a, map[string]any{"outcome": "support", "text": "supply restored", "legal_basis": "Art 34"},
		"If-Match", etagOf(2)).must(t, http.StatusOK)
}

func figureOf(t *testing.T, r reply, group int, id string) map[string]any {
	t.Helper()
	groups, _ := r.body["groups"].([]any)
	if group >= len(groups) {
		t.Fatalf("no group %d: %s", group, r.raw)
	}
	for _, f := range groups[group].(map[string]any)["figures"].([]any) {
		if m := f.(map[string]any); m["indicator"] == id {
			return m
		}
	}
	t.Fatalf("no figure %s: %s", id, r.raw)
	return nil
}

func TestCaseworkStats(t *testing.T) {
	f := newFixture(t)
	casework(t, f)
	viewer := keyOf(orgA, ssra.RoleViewer)
	r := f.call(t, "GET", "/v1/stats/casework?indicator=xinfang.on_time.handling,casework.backlog,casework.closed_within_limit", viewer, nil).must(t, http.StatusOK)
	if r.str("query") != "/v1/stats/casework?at=2027-01-12&indicator=xinfang.on_time.handling%2Ccasework.backlog%2Ccasework.closed_within_limit" {
		t.Fatalf("canonical query %q", r.str("query"))
	}
	h := figureOf(t, r, 0, "xinfang.on_time.handling")
	if h["numerator"] != 0.0 || h["denominator"] != 1.0 || h["rate"].(map[string]any)["value"] != "0" {
		t.Fatalf("handling on time at A: %v", h)
	}
	// A sees its answered case and the one it routed (read share), held by B
	// and not yet handled; B's own case is not A's to count.
	if b := figureOf(t, r, 0, "casework.backlog"); b["numerator"] != 1.0 {
		t.Fatalf("backlog seen by A: %v", b)
	}
	if w := figureOf(t, r, 0, "casework.closed_within_limit"); w["numerator"] != 0.0 || w["denominator"] != 1.0 {
		t.Fatalf("within limit: %v", w)
	}
	// Grouped by organisation: A's own case and B's routed one.
	r = f.call(t, "GET", "/v1/stats/casework?group=org,month&indicator=casework.backlog", viewer, nil).must(t, http.StatusOK)
	if groups := r.body["groups"].([]any); len(groups) != 2 {
		t.Fatalf("groups: %s", r.raw)
	}
	// B counts both complaints it holds.
	r = f.call(t, "GET", "/v1/stats/casework?org="+orgB+"&indicator=casework.backlog", keyOf(orgB, ssra.RoleAppraiser), nil).must(t, http.StatusOK)
	if b := figureOf(t, r, 0, "casework.backlog"); b["numerator"] != 2.0 {
		t.Fatalf("backlog at B: %v", b)
	}
	// C, which holds nothing, sees no group at all.
	r = f.call(t, "GET", "/v1/stats/casework?org="+orgA, keyOf(orgC, ssra.RoleAdmin), nil).must(t, http.StatusOK)
	if len(r.body["groups"].([]any)) != 0 {
		t.Fatalf("C sees A's figures: %s", r.raw)
	}
	// A's handling organisation with its shares: the routed case counts.
	r = f.call(t, "GET", "/v1/stats/casework?org="+orgA+"&shared=true&indicator=casework.backlog&kind=complaint", viewer, nil).must(t, http.StatusOK)
	if b := figureOf(t, r, 0, "casework.backlog"); b["numerator"] != 1.0 {
		t.Fatalf("shared backlog: %v", b)
	}
	// A period that ends before the cases were registered counts none.
	r = f.call(t, "GET", "/v1/stats/casework?from=2026-01-01&to=2026-11-01", viewer, nil).must(t, http.StatusOK)
	if len(r.body["groups"].([]any)) != 0 {
		t.Fatalf("period filter: %s", r.raw)
	}
}

func TestCaseworkStatsCSV(t *testing.T) {
	f := newFixture(t)
	casework(t, f)
	r := f.call(t, "GET", "/v1/stats/casework?format=csv&group=month", keyOf(orgA, ssra.RoleViewer), nil).must(t, http.StatusOK)
	if ct := r.hdr.Get("Content-Type"); !strings.HasPrefix(ct, "text/csv") {
		t.Fatalf("content type %q", ct)
	}
	rows, err := csv.NewReader(strings.NewReader(r.raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 13 || rows[0][2] != "indicator" || rows[1][1] != "2026-11" {
		t.Fatalf("csv: %v", rows)
	}
	for _, row := range rows[1:] {
		if row[2] == "xinfang.on_time.handling" && (row[6] != "0" || row[7] != "1" || row[8] != "0") {
			t.Fatalf("handling row %v", row)
		}
	}
}

func TestCaseworkStatsRefusesBadQueries(t *testing.T) {
	f := newFixture(t)
	key := keyOf(orgA, ssra.RoleViewer)
	for _, tc := range []struct{ query, field string }{
		{"from=2026-13-01", "from"},
		{"from=2026-03-01&to=2026-03-01", "to"},
		{"channel=pigeon", "channel"},
		{"matter_type=gossip", "matter_type"},
		{"kind=petition", "kind"},
		{"group=person", "group"},
		{"indicator=complaints.filed", "indicator"},
		{"format=xlsx", "format"},
		{"shared=true", "shared"},
		{"shared=yes&org=" + orgA, "shared"},
		{"complainant=x", "complainant"},
		{"at=tomorrow", "at"},
	} {
		r := f.call(t, "GET", "/v1/stats/casework?"+tc.query, key, nil).must(t, http.StatusBadRequest)
		found := false
		for _, e := range r.body["errors"].([]any) {
			found = found || e.(map[string]any)["field"] == tc.field
		}
		if !found {
			t.Errorf("%s: no problem on field %s: %s", tc.query, tc.field, r.raw)
		}
	}
	f.call(t, "GET", "/v1/stats/casework", "", nil).must(t, http.StatusUnauthorized)
}
