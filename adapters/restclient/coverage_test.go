package restclient_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/adapters/restclient"
	"github.com/ssra-go/ssra/internal/sample"
	"github.com/ssra-go/ssra/stability"
)

// calls calls every method of the client once with placeholder arguments;
// TestEveryRouteHasAMethod records where each one went.
var calls = map[string]func(ctx context.Context, c *restclient.Client) error{
	"Health":  func(ctx context.Context, c *restclient.Client) error { return c.Health(ctx) },
	"Ready":   func(ctx context.Context, c *restclient.Client) error { return c.Ready(ctx) },
	"OpenAPI": func(ctx context.Context, c *restclient.Client) error { _, err := c.OpenAPI(ctx); return err },
	"Metrics": func(ctx context.Context, c *restclient.Client) error { _, err := c.Metrics(ctx); return err },
	"Me":      func(ctx context.Context, c *restclient.Client) error { _, err := c.Me(ctx); return err },
	"AHP": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.AHP(ctx, restclient.AHPRequest{})
		return err
	},
	"Fuzzy": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.Fuzzy(ctx, restclient.FuzzyRequest{})
		return err
	},
	"Evaluate": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.Evaluate(ctx, sample.Plant(), "practice")
		return err
	},
	"Sensitivity": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.Sensitivity(ctx, sample.Plant(), "practice", restclient.SensitivityOptions{Seed: 2, Samples: 100})
		return err
	},
	"AssessmentSensitivity": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.AssessmentSensitivity(ctx, "x")
		return err
	},
	"RegisterStats": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.RegisterStats(ctx)
		return err
	},
	"MeasureStats": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.MeasureStats(ctx, ssra.MustDate(2027, 1, 11))
		return err
	},
	"CaseworkStats": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.CaseworkStats(ctx, restclient.StatsOptions{Orgs: []string{"a", "b"}, Group: []string{"org", "month"}})
		return err
	},
	"CaseworkStatsCSV": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.CaseworkStatsCSV(ctx, restclient.StatsOptions{Kind: "complaint"})
		return err
	},
	"ValidateProfile": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ValidateProfile(ctx, json.RawMessage(`{}`))
		return err
	},
	"Deadlines": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.Deadlines(ctx, restclient.DeadlinesRequest{})
		return err
	},
	"Presets": func(ctx context.Context, c *restclient.Client) error { _, err := c.Presets(ctx); return err },
	"Score": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.Score(ctx, restclient.ScoreRequest{})
		return err
	},
	"Rank": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.Rank(ctx, restclient.RankRequest{})
		return err
	},
	"OpenTracking": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.OpenTracking(ctx, "d")
		return err
	},
	"ListTrackings": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListTrackings(ctx, restclient.ListOptions{})
		return err
	},
	"GetTracking": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.GetTracking(ctx, "t")
		return err
	},
	"OverdueMeasures": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.OverdueMeasures(ctx, restclient.ListOptions{Limit: 10})
		return err
	},
	"ActOnMeasure": func(ctx context.Context, c *restclient.Client) error {
		for _, act := range []string{"report", "complete", "verify", "reject", "drop"} {
			if _, err := c.ActOnMeasure(ctx, "t", 1, act, restclient.MeasureInput{Measure: "M1"}); err != nil {
				return err
			}
		}
		return nil
	},
	"OpenFollowUp": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.OpenFollowUp(ctx, "t", 1, "why", []string{"M1"})
		return err
	},
	"CreateScreeningPlan": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.CreateScreeningPlan(ctx, stability.ScreeningPlan{})
		return err
	},
	"ListScreeningPlans": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListScreeningPlans(ctx, restclient.ListOptions{})
		return err
	},
	"GetScreeningPlan": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.GetScreeningPlan(ctx, "p")
		return err
	},
	"ShareScreeningPlan": func(ctx context.Context, c *restclient.Client) error {
		return c.ShareScreeningPlan(ctx, "p", "o")
	},
	"RecordRound": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.RecordRound(ctx, "p", 1, restclient.RoundInput{Unit: "u", Slot: "2026-10"})
		return err
	},
	"MissedRounds": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.MissedRounds(ctx, "owned")
		return err
	},
	"EnterIssue": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.EnterIssue(ctx, stability.EntryIntake{Owner: "o", Summary: "s", Days: 5})
		return err
	},
	"ListRegisterEntries": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListRegisterEntries(ctx, restclient.ListOptions{})
		return err
	},
	"OverdueRegisterEntries": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.OverdueRegisterEntries(ctx, restclient.ListOptions{})
		return err
	},
	"GetRegisterEntry": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.GetRegisterEntry(ctx, "e")
		return err
	},
	"ShareRegisterEntry": func(ctx context.Context, c *restclient.Client) error {
		return c.ShareRegisterEntry(ctx, "e", "o")
	},
	"ActOnEntry": func(ctx context.Context, c *restclient.Client) error {
		for _, act := range []string{"start", "resolve", "close", "reject", "link_case"} {
			if _, err := c.ActOnEntry(ctx, "e", 1, act, restclient.EntryInput{}); err != nil {
				return err
			}
		}
		return nil
	},
	"RecordReceptionDay": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.RecordReceptionDay(ctx, restclient.ReceptionInput{Place: "hall"})
		return err
	},
	"ListReceptionDays": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListReceptionDays(ctx, restclient.ListOptions{})
		return err
	},
	"GetReceptionDay": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.GetReceptionDay(ctx, "r")
		return err
	},
	"CreateAssessment": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.CreateAssessment(ctx, "p", sample.Plant())
		return err
	},
	"ListAssessments": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListAssessments(ctx, restclient.ListOptions{})
		return err
	},
	"GetAssessment": func(ctx context.Context, c *restclient.Client) error { _, err := c.GetAssessment(ctx, "x"); return err },
	"UpdateAssessment": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.UpdateAssessment(ctx, "x", 1, "p", sample.Plant())
		return err
	},
	"SubmitAssessment": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.SubmitAssessment(ctx, "x", 1)
		return err
	},
	"StartReview": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.StartReview(ctx, "x", 1)
		return err
	},
	"ReturnAssessment": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ReturnAssessment(ctx, "x", 1, "r")
		return err
	},
	"IssueAssessment": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.IssueAssessment(ctx, "x", 1)
		return err
	},
	"ShareAssessment": func(ctx context.Context, c *restclient.Client) error { return c.ShareAssessment(ctx, "x", "o") },
	"Decide": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.Decide(ctx, "x", 1, "approve", "")
		return err
	},
	"ListDecisions": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListDecisions(ctx, "x", restclient.ListOptions{})
		return err
	},
	"GetDecision": func(ctx context.Context, c *restclient.Client) error { _, err := c.GetDecision(ctx, "x"); return err },
	"RegisterComplaint": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.RegisterComplaint(ctx, "", intake())
		return err
	},
	"ListComplaints": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListComplaints(ctx, restclient.ListOptions{})
		return err
	},
	"OverdueComplaints": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.OverdueComplaints(ctx, restclient.ListOptions{})
		return err
	},
	"ComplaintsDueSoon": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ComplaintsDueSoon(ctx, restclient.ListOptions{})
		return err
	},
	"GetComplaint": func(ctx context.Context, c *restclient.Client) error { _, err := c.GetComplaint(ctx, "x"); return err },
	"ComplaintAction": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ComplaintAction(ctx, "x", "accept", 1, nil)
		return err
	},
	"ComplaintStatus": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ComplaintStatus(ctx, "r", "c")
		return err
	},
	"RateComplaint": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.RateComplaint(ctx, "r", "c", stability.RatingSatisfied)
		return err
	},
	"VerifyAudit": func(ctx context.Context, c *restclient.Client) error { _, err := c.VerifyAudit(ctx); return err },
	"CreateProfile": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.CreateProfile(ctx, json.RawMessage(`{}`))
		return err
	},
	"ListProfiles": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListProfiles(ctx, restclient.ListOptions{})
		return err
	},
	"GetProfile":   func(ctx context.Context, c *restclient.Client) error { _, err := c.GetProfile(ctx, "x"); return err },
	"ShareProfile": func(ctx context.Context, c *restclient.Client) error { return c.ShareProfile(ctx, "x", "o") },
	"TakeInDispute": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.TakeInDispute(ctx, "", mediationIntake())
		return err
	},
	"ListDisputes": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListDisputes(ctx, restclient.ListOptions{})
		return err
	},
	"OverdueDisputes": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.OverdueDisputes(ctx, restclient.ListOptions{})
		return err
	},
	"GetDispute": func(ctx context.Context, c *restclient.Client) error { _, err := c.GetDispute(ctx, "x"); return err },
	"DisputeAction": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.DisputeAction(ctx, "x", "assign", 1, nil)
		return err
	},
	"DisputeStatus": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.DisputeStatus(ctx, "r", "c")
		return err
	},
	"RateDispute": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.RateDispute(ctx, "r", "c", stability.RatingSatisfied)
		return err
	},
	"CreatePlan": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.CreatePlan(ctx, stability.Plan{})
		return err
	},
	"ListPlans": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListPlans(ctx, restclient.ListOptions{})
		return err
	},
	"GetPlan": func(ctx context.Context, c *restclient.Client) error { _, err := c.GetPlan(ctx, "x"); return err },
	"ReplacePlan": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ReplacePlan(ctx, "x", 1, stability.Plan{})
		return err
	},
	"SharePlan": func(ctx context.Context, c *restclient.Client) error { return c.SharePlan(ctx, "x", "o") },
	"ReportProgress": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ReportProgress(ctx, "x", 1, stability.ProgressReport{})
		return err
	},
	"AcceptPlan": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.AcceptPlan(ctx, "x", 1, ssra.Date{}, nil)
		return err
	},
	"CreateAppraisalRun": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.CreateAppraisalRun(ctx, restclient.AppraisalRunRequest{})
		return err
	},
	"ListAppraisalRuns": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListAppraisalRuns(ctx, restclient.ListOptions{})
		return err
	},
	"GetAppraisalRun": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.GetAppraisalRun(ctx, "x")
		return err
	},
	"CreateScheme": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.CreateScheme(ctx, json.RawMessage(`{}`))
		return err
	},
	"ListSchemes": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ListSchemes(ctx, restclient.ListOptions{})
		return err
	},
	"GetScheme":   func(ctx context.Context, c *restclient.Client) error { _, err := c.GetScheme(ctx, "x"); return err },
	"ShareScheme": func(ctx context.Context, c *restclient.Client) error { return c.ShareScheme(ctx, "x", "o") },
	"Checkpoint":  func(ctx context.Context, c *restclient.Client) error { _, err := c.Checkpoint(ctx); return err },
	"ProveRecord": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ProveRecord(ctx, "x", 1)
		return err
	},
	"ProveConsistency": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ProveConsistency(ctx, 1, 2)
		return err
	},
	"CosignedCheckpoint": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.CosignedCheckpoint(ctx)
		return err
	},
	"AddCosignatures": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.AddCosignatures(ctx, []byte("ssra.example/log\n1\nAAAA\n\n— w AAAA\n"))
		return err
	},
	"Tile": func(ctx context.Context, c *restclient.Client) error { _, err := c.Tile(ctx, "8/0/000"); return err },
	"AssessmentReport": func(ctx context.Context, c *restclient.Client) error {
		_, _, err := c.AssessmentReport(ctx, "x", "md", "en")
		return err
	},
	"AssessmentHeatmap": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.AssessmentHeatmap(ctx, "x")
		return err
	},
	"AssessmentTornado": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.AssessmentTornado(ctx, "x", "en")
		return err
	},
	"StatusPage": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.StatusPage(ctx, "complaint", "en")
		return err
	},
	"StatusPageCheck": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.StatusPageCheck(ctx, "complaint", "r", "c", "en")
		return err
	},
	"StatusPageRate": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.StatusPageRate(ctx, "complaint", "r", "c", stability.RatingSatisfied, "en")
		return err
	},
	"Asset": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.Asset(ctx, "status.css")
		return err
	},
	"Docs": func(ctx context.Context, c *restclient.Client) error { _, err := c.Docs(ctx); return err },
	"FactorTemplate": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.FactorTemplate(ctx, "en")
		return err
	},
	"AppraisalTemplate": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.AppraisalTemplate(ctx, "generic_unit_100", "csv")
		return err
	},
	"ImportAssessment": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ImportAssessment(ctx, "practice", sample.Plant(), restclient.Sheet{Data: []byte("x"), Format: "xlsx"})
		return err
	},
	"EvaluateSheet": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.EvaluateSheet(ctx, "practice", sample.Plant(), restclient.Sheet{Data: []byte("x"), Format: "csv"})
		return err
	},
	"ScoreSheet": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ScoreSheet(ctx, "s", restclient.Sheet{Data: []byte("x"), Format: "csv"})
		return err
	},
	"ScoreSheetExport": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ScoreSheetExport(ctx, "s", "xlsx", restclient.Sheet{Data: []byte("x"), Format: "csv"})
		return err
	},
	"RankSheet": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.RankSheet(ctx, "s", "p", 2026, restclient.Sheet{Data: []byte("x"), Format: "csv"})
		return err
	},
	"RankSheetExport": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.RankSheetExport(ctx, "s", "p", 2026, "csv", restclient.Sheet{Data: []byte("x"), Format: "csv"})
		return err
	},
	"ImportAppraisalRun": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ImportAppraisalRun(ctx, restclient.SheetRunOptions{Kind: "units", Scheme: "s"}, restclient.Sheet{Data: []byte("x"), Format: "xlsx"})
		return err
	},
	"ExportAppraisalRun": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ExportAppraisalRun(ctx, "x", "csv")
		return err
	},
	"ExportFactors": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.ExportFactors(ctx, "x", "")
		return err
	},
	"CreateUser": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.CreateUser(ctx, "n", ssra.RoleViewer)
		return err
	},
	"ListUsers": func(ctx context.Context, c *restclient.Client) error { _, err := c.ListUsers(ctx); return err },
	"GetUser":   func(ctx context.Context, c *restclient.Client) error { _, err := c.GetUser(ctx, "x"); return err },
	"SetRoles": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.SetRoles(ctx, "x", 1, ssra.RoleViewer)
		return err
	},
	"DisableUser": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.DisableUser(ctx, "x", 1)
		return err
	},
	"EnableUser": func(ctx context.Context, c *restclient.Client) error { _, err := c.EnableUser(ctx, "x", 1); return err },
	"IssueKey": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.IssueKey(ctx, "x", "n", time.Time{})
		return err
	},
	"ListKeys":  func(ctx context.Context, c *restclient.Client) error { _, err := c.ListKeys(ctx, ""); return err },
	"RevokeKey": func(ctx context.Context, c *restclient.Client) error { _, err := c.RevokeKey(ctx, "x"); return err },
	"RotateKey": func(ctx context.Context, c *restclient.Client) error {
		_, err := c.RotateKey(ctx, "x", time.Time{})
		return err
	},
}

// intake is a complaint as a caseworker registers it.
func intake() stability.Intake {
	var in stability.Intake
	if err := json.Unmarshal([]byte(`{"channel":"online","matter":{"type":"claim","subject":"Water company","facts":"water cut for two weeks",
		"request":"restore the supply"},"complainants":[{"name":"Li Hua","phone":"13800000000"}]}`), &in); err != nil {
		panic(err)
	}
	return in
}

// mediationIntake is a dispute as a mediation committee takes it in.
func mediationIntake() stability.MediationIntake {
	var in stability.MediationIntake
	if err := json.Unmarshal([]byte(`{"channel":"people","category":"neighbourhood","summary":"a wall built across a shared lane",
		"parties":[{"name":"Zhao Lei","phone":"13700000000"},{"name":"Qian Min"}]}`), &in); err != nil {
		panic(err)
	}
	return in
}

// notRoutes are the exported methods of Client that call no route.
var notRoutes = []string{"WithKey"}

// operations returns "METHOD /path/{param}" of every operation of the
// OpenAPI document.
func operations(t *testing.T) []string {
	t.Helper()
	b, err := rest.OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var out []string
	for p, item := range doc.Paths {
		for m := range item {
			switch m {
			case "get", "put", "post", "patch", "delete":
				out = append(out, strings.ToUpper(m)+" "+p)
			}
		}
	}
	sort.Strings(out)
	return out
}

// match finds the template a request path fits, static segments preferred.
func match(templates []string, method, path string) string {
	segs := strings.Split(path, "/")
	best, bestStatic := "", -1
	for _, op := range templates {
		m, tmpl, _ := strings.Cut(op, " ")
		ts := strings.Split(tmpl, "/")
		if m != method || len(ts) != len(segs) {
			continue
		}
		static, ok := 0, true
		for i, s := range ts {
			switch {
			case strings.HasPrefix(s, "{"):
			case s == segs[i]:
				static++
			default:
				ok = false
			}
		}
		if ok && static > bestStatic {
			best, bestStatic = op, static
		}
	}
	return best
}

func TestEveryRouteHasAMethod(t *testing.T) {
	ops := operations(t)
	var mu sync.Mutex
	hit := map[string][]string{} // operation → methods
	var current string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		op := match(ops, r.Method, r.URL.Path)
		if op == "" {
			op = "UNDOCUMENTED " + r.Method + " " + r.URL.Path
		}
		hit[op] = append(hit[op], current)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{}`))
	}))
	defer srv.Close()
	c, err := restclient.New(srv.URL, "ssra_key")
	if err != nil {
		t.Fatal(err)
	}
	// Every exported method is in the table, and nothing else.
	typ := reflect.TypeOf(c)
	for i := 0; i < typ.NumMethod(); i++ {
		name := typ.Method(i).Name
		if _, ok := calls[name]; !ok && !slices.Contains(notRoutes, name) {
			t.Errorf("method %s is not in the coverage table", name)
		}
	}
	for name := range calls {
		if _, ok := typ.MethodByName(name); !ok {
			t.Errorf("the coverage table names %s, which Client lacks", name)
		}
	}
	names := make([]string, 0, len(calls))
	for n := range calls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		mu.Lock()
		current = n
		mu.Unlock()
		if err := calls[n](context.Background(), c); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	for _, op := range ops {
		if len(hit[op]) == 0 {
			t.Errorf("%s has no client method", op)
		}
	}
	for op, by := range hit {
		if strings.HasPrefix(op, "UNDOCUMENTED") {
			t.Errorf("%v called %s, which the OpenAPI document does not have", by, op)
		}
	}
	if len(ops) < 75 {
		t.Fatalf("only %d operations in the document", len(ops))
	}
}

// TestImportGraph lists every package the client's build pulls in: the
// standard library, the kernel, the pure domain packages and their own
// dependencies, and nothing of echo, the database drivers or the server.
func TestImportGraph(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", "-f", "{{if not .Standard}}{{.ImportPath}}{{end}}", ".").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	allowed := []string{"github.com/ssra-go/ssra", "github.com/ssra-go/ssra/riskeval", "github.com/ssra-go/ssra/appraisal",
		"github.com/ssra-go/ssra/stability", "github.com/ssra-go/ssra/adapters/restclient", "github.com/shopspring/decimal"}
	var deps []string
	for _, p := range strings.Fields(string(out)) {
		deps = append(deps, p)
		// The domain packages decode strictly through internal/strictjson,
		// on go-json-experiment/json: their own dependencies.
		if !slices.Contains(allowed, p) && !strings.HasPrefix(p, "golang.org/x/text/") &&
			p != "github.com/ssra-go/ssra/internal/strictjson" && p != "github.com/go-json-experiment/json" &&
			!strings.HasPrefix(p, "github.com/go-json-experiment/json/") {
			t.Errorf("the client imports %s", p)
		}
	}
	for _, banned := range []string{"labstack/echo", "jackc/pgx", "modernc.org/sqlite", "adapters/rest\n", "adapters/sqlstore"} {
		if strings.Contains(string(out)+"\n", banned) {
			t.Errorf("the client's build pulls in %s", strings.TrimSpace(banned))
		}
	}
	if !slices.Contains(deps, "github.com/ssra-go/ssra/riskeval") {
		t.Fatalf("go list found no dependencies: %q", out)
	}
}
