package main_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/restclient"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/appraisal"
	"github.com/ssra-go/ssra/internal/casegen"
	"github.com/ssra-go/ssra/internal/caseseed"
	"github.com/ssra-go/ssra/stability"
)

// TestEndToEndCaseworkIndicators: synthetic casework written through the
// store's write path, then, over HTTP against the real server, the
// indicators, a plan's acceptance check and a unit appraisal that take
// them, with the figures equal to the domain's over the same cases.
func TestEndToEndCaseworkIndicators(t *testing.T) {
	ssradBinary(t)
	eachDatabase(t, caseworkIndicators)
}

// eachDatabase runs f on a new SQLite file and, when
// SSRA_TEST_POSTGRES_URL is set, on a fresh PostgreSQL database.
func eachDatabase(t *testing.T, f func(t *testing.T, db string)) {
	t.Run("sqlite", func(t *testing.T) { f(t, filepath.Join(t.TempDir(), "ssra.db")) })
	t.Run("postgres", func(t *testing.T) {
		base := os.Getenv("SSRA_TEST_POSTGRES_URL")
		if base == "" {
			if os.Getenv("CI") == "true" {
				t.Fatal("CI=true but SSRA_TEST_POSTGRES_URL is not set")
			}
			t.Skip("set SSRA_TEST_POSTGRES_URL to run on PostgreSQL")
		}
		f(t, freshPostgres(t, base))
	})
}

// seedWorld opens and migrates the store at db, creates three synthetic
// organisations (names starting with prefix), and returns a case
// generator of seed over 2026, seen on 20 December, and a writer of its
// cases.
func seedWorld(t *testing.T, db, prefix string, seed uint64) (*sqlstore.Store, []ssra.Actor, *casegen.Gen, *caseseed.Writer) {
	t.Helper()
	ctx := context.Background()
	s, err := sqlstore.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	actors, err := caseseed.Orgs(ctx, s, prefix, 3)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 20, 18, 0, 0, 0, time.Local)
	g, err := casegen.New(seed, caseseed.OrgIDs(actors), ssra.StateCouncilCalendar(), ssra.MustDate(2026, time.January, 1), 354, at)
	if err != nil {
		t.Fatal(err)
	}
	return s, actors, g, caseseed.NewWriter(s, actors)
}

func caseworkIndicators(t *testing.T, db string) {
	ctx := context.Background()
	s, actors, g, w := seedWorld(t, db, "e2e", 42)
	org := actors[0].OrgID
	boss, err := s.CreateUser(ctx, sqlstore.System, org, "e2e head", []ssra.Role{ssra.RoleAdmin, ssra.RoleAppraiser})
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := s.CreateKey(ctx, sqlstore.System, boss.ID, "e2e")
	if err != nil {
		t.Fatal(err)
	}
	var cs []*stability.Complaint
	var ds []*stability.Dispute
	for i := 0; i < 90; i++ {
		if i%5 == 4 {
			d, err := w.Dispute(ctx, g, i)
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, d)
			continue
		}
		c, err := w.Complaint(ctx, g, i)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	_ = s.Close()
	// What the organisation may see: the cases it holds and those it routed.
	var mine []*stability.Complaint
	for _, c := range cs {
		if c.Organ == org || c.Sender == org {
			mine = append(mine, c)
		}
	}
	var myDisputes []*stability.Dispute
	for _, d := range ds {
		if d.Organ == org {
			myDisputes = append(myDisputes, d)
		}
	}

	p := start(t, []string{"SSRA_DATABASE_URL=" + db}, "-addr", "127.0.0.1:0")
	got := p.call(t, "GET", "/v1/stats/casework?group=month&at=2026-12-20", key, nil).must(t, 200)
	want := stability.MeasureCases(mine, myDisputes, stability.CaseFilter{}, stability.Grouping{ByMonth: true}, ssra.MustDate(2026, time.December, 20).Time(time.Local))
	wb, _ := json.Marshal(want)
	gb, _ := json.Marshal(got.body["groups"])
	var wv, gv any
	_ = json.Unmarshal(wb, &wv)
	_ = json.Unmarshal(gb, &gv)
	if w2, _ := json.Marshal(wv); string(w2) != string(gb) || len(want) < 6 {
		t.Fatalf("figures over HTTP differ from the domain's:\nserver: %.2000s\ndomain: %.2000s", gb, w2)
	}
	// The typed client reads the same figures into the domain's types.
	cl, err := restclient.New("http://"+p.addr, key)
	if err != nil {
		t.Fatal(err)
	}
	typed, err := cl.CaseworkStats(context.Background(), restclient.StatsOptions{Group: []string{"month"}, At: ssra.MustDate(2026, time.December, 20)})
	if err != nil {
		t.Fatal(err)
	}
	if tb, _ := json.Marshal(typed.Groups); string(tb) != string(wb) || typed.Query != got.str("query") || !typed.Grouping.ByMonth {
		t.Fatalf("the client's figures differ from the domain's:\nclient: %.2000s\ndomain: %.2000s", tb, wb)
	}
	if csv, err := cl.CaseworkStatsCSV(context.Background(), restclient.StatsOptions{Group: []string{"month"}, At: ssra.MustDate(2026, time.December, 20)}); err != nil || !bytes.Contains(csv, []byte("xinfang.on_time.handling")) {
		t.Fatalf("the client's CSV: %v\n%.500s", err, csv)
	}

	// A plan whose handling target is measured from the cases.
	plan := map[string]any{"id": "plan-e2e", "unit": "synthetic unit", "year": 2026, "title": "casework 2026",
		"goals": []any{map[string]any{"id": "g1", "title": "handling", "targets": []any{
			map[string]any{"id": "t-time", "indicator": "xinfang.on_time.handling", "label": map[string]any{"zh-CN": "办理按期率", "en": "handled on time"},
				"comparator": "ge", "threshold": "50", "unit": "percent", "due": "2026-12-31", "filter": map[string]any{"organs": []any{org}}}}}},
		"tasks": []any{map[string]any{"id": "k1", "title": "handle", "targets": []any{"t-time"}, "unit": "office",
			"leader": map[string]any{"name": "head", "post": "director"}, "due": "2026-11-30"}}}
	pid := p.call(t, "POST", "/v1/plans", key, plan).must(t, 201).str("id")
	acc := p.call(t, "POST", "/v1/plans/"+pid+"/acceptance", key, map[string]any{"on": "2026-12-20", "measurements": []any{}}, "If-Match", `"v1"`).must(t, 200)
	res := acc.body["data"].(map[string]any)["acceptances"].([]any)[0].(map[string]any)["results"].([]any)[0].(map[string]any)
	src := res["source"].(map[string]any)
	stats := p.call(t, "GET", src["query"].(string), key, nil).must(t, 200)
	fig := stats.body["groups"].([]any)[0].(map[string]any)["figures"].([]any)[0]
	if a, b := mustJSON(src["figure"]), mustJSON(fig); a != b {
		t.Fatalf("the acceptance's evidence does not reproduce:\nrecorded: %s\nquery:    %s", a, b)
	}
	if res["verdict"] == "missing" || !strings.Contains(res["evidence"].(string), "xinfang.on_time.handling") {
		t.Fatalf("acceptance result %v", res)
	}

	// A unit appraisal whose on-time item is taken from the cases.
	b, err := appraisal.PresetJSON("generic_unit_100")
	if err != nil {
		t.Fatal(err)
	}
	var scheme map[string]any
	_ = json.Unmarshal(b, &scheme)
	scheme["name"], scheme["version"] = "e2e_units", "1"
	for _, sec := range scheme["sections"].([]any) {
		for _, it := range sec.(map[string]any)["items"].([]any) {
			if item := it.(map[string]any); item["id"] == "on_time_handling" {
				item["indicator"] = "casework.closed_within_limit"
			}
		}
	}
	p.call(t, "POST", "/v1/schemes", key, scheme).must(t, 201)
	var inputs []any
	for _, iv := range [][2]string{{"organisation", "8"}, {"risk_assessment_coverage", "100"}, {"agreements_performed", "97"},
		{"handling_satisfaction", "93"}, {"sense_of_security", "92"}, {"public_order_on_time", "95"}} {
		inputs = append(inputs, map[string]any{"item": iv[0], "value": iv[1]})
	}
	run := p.call(t, "POST", "/v1/appraisal_runs", key, map[string]any{"kind": "units", "scheme": "e2e_units@1", "from": "2026-01-01", "to": "2026-12-20",
		"units": []any{map[string]any{"id": org, "name": "synthetic unit", "inputs": inputs}}}).must(t, 201)
	unit := run.body["data"].(map[string]any)["units"].([]any)[0].(map[string]any)
	measured := unit["measured"].([]any)[0].(map[string]any)
	again := p.call(t, "GET", measured["query"].(string), key, nil).must(t, 200)
	if a, b := mustJSON(measured["figure"]), mustJSON(again.body["groups"].([]any)[0].(map[string]any)["figures"].([]any)[0]); a != b {
		t.Fatalf("the run's evidence does not reproduce:\nrecorded: %s\nquery:    %s", a, b)
	}
	// audit verify recomputes every rollup cell from the case facts.
	out := auditVerify(t, db)
	if m := regexp.MustCompile(`casework rollup: ([0-9]+) cells match the case facts`).FindStringSubmatch(out); m == nil || m[1] == "0" {
		t.Fatalf("audit verify: %s", out)
	}
}

// auditVerify runs ssrad audit verify on db (through run, which a variable of
// caseworkIndicators shadows).
func auditVerify(t *testing.T, db string) string {
	t.Helper()
	return run(t, []string{"SSRA_DATABASE_URL=" + db}, "audit", "verify")
}
