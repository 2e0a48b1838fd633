package main_test

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/restclient"
	"github.com/ssra-go/ssra/riskeval"
	"github.com/ssra-go/ssra/stability"
)

// TestEndToEndClient drives a real ssrad on a real database through the
// typed client: computations, an assessment from draft to the decision
// body's decision, a complaint with the complainant's status check and
// rating, the transparency log, administration, and the problems of bad
// requests as ssra errors with their field paths.
func TestEndToEndClient(t *testing.T) {
	ssradBinary(t)
	db := filepath.Join(t.TempDir(), "ssra.db")
	w := seed(t, db)
	p := start(t, []string{"SSRA_DATABASE_URL=" + db}, "-addr", "127.0.0.1:0")
	ctx := context.Background()
	c, err := restclient.New("http://"+p.addr, "")
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Health(ctx); err != nil {
		t.Fatal(err)
	}
	if err := c.Ready(ctx); err != nil {
		t.Fatal(err)
	}
	assessor, reviewer, maker := c.WithKey(w.keys["assessor"]), c.WithKey(w.keys["reviewer"]), c.WithKey(w.keys["maker"])
	me, err := assessor.Me(ctx)
	if err != nil || me.Organisation.ID != w.orgs["County assessment centre"] || len(me.Roles) != 1 || me.Roles[0] != ssra.RoleAssessor {
		t.Fatalf("Me: %+v, %v", me, err)
	}
	_, err = c.WithKey("ssra_wrong").Me(ctx)
	if ssra.KindOf(err) != ssra.KindUnauthenticated {
		t.Fatalf("a wrong key: %v", err)
	}

	// Computations answer the domain's own types.
	var body struct {
		Profile    string              `json:"profile"`
		Assessment riskeval.Assessment `json:"assessment"`
	}
	raw, _ := json.Marshal(plantAssessment(2, 2))
	if err := json.Unmarshal(raw, &body); err != nil {
		t.Fatal(err)
	}
	res, err := assessor.Evaluate(ctx, body.Assessment, "practice")
	if err != nil {
		t.Fatal(err)
	}
	local, err := riskeval.Evaluate(body.Assessment, mustPreset(t, "practice"))
	if err != nil {
		t.Fatal(err)
	}
	if !res.Residual.Index.Equal(local.Residual.Index) || res.Residual.Level != local.Residual.Level || len(res.Factors) != 2 {
		t.Fatalf("the server's evaluation %v/%v differs from the library's %v/%v", res.Residual.Index, res.Residual.Level, local.Residual.Index, local.Residual.Level)
	}
	sens, err := assessor.Sensitivity(ctx, body.Assessment, "practice", restclient.SensitivityOptions{})
	if err != nil {
		t.Fatal(err)
	}
	localSens, err := riskeval.Sensitivity(body.Assessment, mustPreset(t, "practice"))
	if err != nil {
		t.Fatal(err)
	}
	if sens.Level != localSens.Level || len(sens.Factors) != len(localSens.Factors) || !sens.Residual.Index.Equal(localSens.Residual.Index) || sens.MarginSentence.ZH == "" {
		t.Fatalf("the server's sensitivity %+v differs from the library's %+v", sens, localSens)
	}
	var m riskeval.PairwiseMatrix
	_ = json.Unmarshal([]byte(`[[1, 3], ["1/3", 1]]`), &m)
	ahp, err := assessor.AHP(ctx, restclient.AHPRequest{Matrix: m})
	if err != nil || len(ahp.Weights) != 2 || ahp.Weights[0].String() != "0.75" {
		t.Fatalf("AHP: %+v, %v", ahp, err)
	}
	presets, err := assessor.Presets(ctx)
	if err != nil || len(presets.RiskProfiles) == 0 {
		t.Fatalf("Presets: %+v, %v", presets, err)
	}

	// A bad request: every problem with its field path, as ssra errors.
	badA := body.Assessment
	badA.Factors = append([]riskeval.Factor(nil), badA.Factors...)
	badA.Factors[1].Initial.Probability = 9
	_, err = assessor.Evaluate(ctx, badA, "practice")
	if ssra.KindOf(err) != ssra.KindInvalid || !hasField(ssra.ProblemsOf(err), "factors[1].initial.probability") {
		t.Fatalf("an out-of-scale probability: %v (problems %v)", err, ssra.ProblemsOf(err))
	}
	if e, ok := restclient.AsError(err); !ok || e.Status != 422 || e.RequestID == "" {
		t.Fatalf("the answer behind the error: %+v", e)
	}

	// An assessment from draft to the decision, with a stale write refused.
	r, err := assessor.CreateAssessment(ctx, "practice", body.Assessment)
	if err != nil {
		t.Fatal(err)
	}
	if stored, err := assessor.AssessmentSensitivity(ctx, r.ID); err != nil || stored.Level != localSens.Level {
		t.Fatalf("the stored assessment's sensitivity: %+v, %v", stored, err)
	}
	if _, err := assessor.UpdateAssessment(ctx, r.ID, r.Version+1, "practice", body.Assessment); ssra.KindOf(err) != ssra.KindPreconditionFailed {
		t.Fatalf("a stale version: %v", err)
	}
	if r, err = assessor.SubmitAssessment(ctx, r.ID, r.Version); err != nil {
		t.Fatal(err)
	}
	if r, err = reviewer.StartReview(ctx, r.ID, r.Version); err != nil {
		t.Fatal(err)
	}
	if r, err = reviewer.IssueAssessment(ctx, r.ID, r.Version); err != nil {
		t.Fatal(err)
	}
	if _, err := maker.GetAssessment(ctx, r.ID); !restclient.IsNotFound(err) {
		t.Fatalf("another organisation reads an unshared assessment: %v", err)
	}
	if err := assessor.ShareAssessment(ctx, r.ID, w.orgs["City development commission"]); err != nil {
		t.Fatal(err)
	}
	seen, err := maker.GetAssessment(ctx, r.ID)
	if err != nil || !seen.ReadOnly || seen.Status != "issued" {
		t.Fatalf("the decision body's view: %+v, %v", seen, err)
	}
	d, err := maker.Decide(ctx, r.ID, seen.Version, "approve", "")
	if err != nil {
		t.Fatal(err)
	}
	var decision struct {
		Outcome string `json:"outcome"`
	}
	if err := d.Decode(&decision); err != nil || decision.Outcome != "approve_with_measures" {
		t.Fatalf("decision: %+v, %v", decision, err)
	}
	ds, err := assessor.ListDecisions(ctx, r.ID, restclient.ListOptions{})
	if err != nil || len(ds.Items) != 1 || ds.Items[0].ID != d.ID {
		t.Fatalf("ListDecisions: %+v, %v", ds, err)
	}
	md, ctype, err := assessor.AssessmentReport(ctx, r.ID, "md", "en")
	if err != nil || !strings.HasPrefix(ctype, "text/markdown") || !strings.Contains(string(md), "district heating plant") {
		t.Fatalf("report %q: %v", ctype, err)
	}
	list, err := assessor.ListAssessments(ctx, restclient.ListOptions{Status: []string{"issued"}, Limit: 10})
	if err != nil || len(list.Items) != 1 {
		t.Fatalf("ListAssessments: %+v, %v", list, err)
	}

	// A complaint, the complainant's status check and their one rating.
	var in stability.Intake
	_ = json.Unmarshal([]byte(`{"channel":"letter","matter":{"type":"claim","subject":"District water bureau","facts":"no water for two weeks",
		"request":"restore the supply"},"complainants":[{"name":"Wang Fang","phone":"13900000000"}]}`), &in)
	clerk := c.WithKey(w.keys["clerk"])
	reg, err := clerk.RegisterComplaint(ctx, "", in)
	if err != nil || reg.QueryCode == "" {
		t.Fatalf("RegisterComplaint: %+v, %v", reg, err)
	}
	var stored struct {
		Ref string `json:"ref"`
	}
	if err := reg.Decode(&stored); err != nil || stored.Ref == "" {
		t.Fatalf("the case's reference: %v", err)
	}
	pub, err := c.ComplaintStatus(ctx, stored.Ref, reg.QueryCode)
	if err != nil || pub.CanRate {
		t.Fatalf("status check of a fresh case: %+v, %v", pub, err)
	}
	if _, err := c.ComplaintStatus(ctx, stored.Ref, "NOT-THE-CODE"); !restclient.IsNotFound(err) {
		t.Fatalf("a wrong query code: %v", err)
	}

	// The transparency log proves the assessment's first version.
	if err := waitFor(func() error { _, err := assessor.ProveRecord(ctx, r.ID, 1); return err }); err != nil {
		t.Fatalf("ProveRecord: %v", err)
	}
	if cp, err := assessor.Checkpoint(ctx); err != nil || len(cp) == 0 {
		t.Fatalf("Checkpoint: %v", err)
	}

	// Administration through the client, scoped to the admin's organisation.
	admin := c.WithKey(w.keys["admin"])
	u, err := admin.CreateUser(ctx, "Chen Jing", ssra.RoleViewer)
	if err != nil {
		t.Fatal(err)
	}
	k, err := admin.IssueKey(ctx, u.ID, "dashboard", time.Now().Add(24*time.Hour))
	if err != nil || k.ExpiresAt == nil {
		t.Fatalf("IssueKey: %+v, %v", k, err)
	}
	if me, err := c.WithKey(k.Key).Me(ctx); err != nil || me.User.ID != u.ID {
		t.Fatalf("the issued key: %+v, %v", me, err)
	}
	if _, err := c.WithKey(w.keys["head"]).RevokeKey(ctx, k.ID); !restclient.IsNotFound(err) {
		t.Fatalf("another organisation's admin revokes the key: %v", err)
	}
	if _, err := admin.RevokeKey(ctx, k.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := c.WithKey(k.Key).Me(ctx); ssra.KindOf(err) != ssra.KindUnauthenticated {
		t.Fatalf("a revoked key: %v", err)
	}
	if rep, err := admin.VerifyAudit(ctx); err != nil || !rep.OK || rep.Scope != "organisation" || rep.Pending != nil {
		t.Fatalf("VerifyAudit: %+v, %v", rep, err)
	}
}

func hasField(ps ssra.Problems, field string) bool {
	for _, p := range ps {
		if p.Field == field {
			return true
		}
	}
	return false
}

func mustPreset(t *testing.T, name string) riskeval.Profile {
	t.Helper()
	p, err := riskeval.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// waitFor retries f until it succeeds or five seconds pass: the log's
// sequencer integrates leaves shortly after their commit.
func waitFor(f func() error) error {
	deadline := time.Now().Add(5 * time.Second)
	for {
		err := f()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(50 * time.Millisecond)
	}
}
