package riskeval_test

import (
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

func TestWorkflow(t *testing.T) {
	p := preset(t, "practice")
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.FixedZone("CST", 8*3600))
	writer := riskeval.Actor{UserID: "u-writer", OrgID: "assessing-body"}
	reviewer := riskeval.Actor{UserID: "u-reviewer", OrgID: "assessing-body"}
	a := complete("ndrc2012_project", factor("F1", "1", 4, 4, 2, 2))
	a.Status = riskeval.StatusDraft

	if _, err := riskeval.Gate(a, p); ssra.KindOf(err) != ssra.KindPreconditionFailed {
		t.Fatalf("draft passed the gate: %v", err)
	}
	if err := a.StartReview(now, reviewer); ssra.KindOf(err) != ssra.KindConflict {
		t.Fatalf("review of a draft: %v", err)
	}
	if err := a.Submit(now, writer); err != nil {
		t.Fatal(err)
	}
	if err := a.StartReview(now, writer); !hasProblem(ssra.ProblemsOf(err), "workflow.reviewer_is_writer", "reviewer") {
		t.Fatalf("writer reviewing: %v", err)
	}
	if err := a.StartReview(now, reviewer); err != nil {
		t.Fatal(err)
	}
	if err := a.Return(now, writer, "why not"); ssra.KindOf(err) != ssra.KindForbidden {
		t.Fatalf("writer returning: %v", err)
	}
	if err := a.Return(now, reviewer, ""); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("return without reason: %v", err)
	}
	if err := a.Return(now, reviewer, "measures for F1 lack an owner"); err != nil {
		t.Fatal(err)
	}
	if err := a.Submit(now.Add(24*time.Hour), writer); err != nil {
		t.Fatal(err)
	}
	if err := a.StartReview(now.Add(25*time.Hour), reviewer); err != nil {
		t.Fatal(err)
	}
	res, err := a.Issue(now.Add(48*time.Hour), reviewer, p)
	if err != nil {
		t.Fatal(err)
	}
	if a.Status != riskeval.StatusIssued || a.Workflow.Issued == nil || a.Workflow.Issued.Result.Profile.Version != "1" || res.Residual.Level != riskeval.LevelLow {
		t.Fatalf("issued: %+v", a.Workflow.Issued)
	}
	if got := len(a.Workflow.Events); got != 6 {
		t.Fatalf("%d events", got)
	}
	if _, err := a.Issue(now, reviewer, p); ssra.KindOf(err) != ssra.KindConflict {
		t.Fatalf("issued twice: %v", err)
	}
	// The frozen evaluation decides at the gate, even under a changed profile.
	q := p.Def()
	q.IndexThresholds.LowMax = d("0.01")
	q.FactorThresholds.LowMax = d("0.01")
	ap, err := riskeval.Gate(a, build(t, q))
	if err != nil || ap.Outcome != riskeval.OutcomeApproveWithMeasures {
		t.Fatalf("gate on frozen result: %+v %v", ap, err)
	}
}

func TestIssueRefusesInvalid(t *testing.T) {
	p := preset(t, "practice")
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	a := complete("ndrc2012_project", factor("F1", "0.5", 4, 4, 2, 2))
	a.Status = riskeval.StatusDraft
	w, r := riskeval.Actor{UserID: "w"}, riskeval.Actor{UserID: "r"}
	if err := a.Submit(now, w); err != nil {
		t.Fatal(err)
	}
	if err := a.StartReview(now, r); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Issue(now, r, p); !hasProblem(ssra.ProblemsOf(err), "weights.sum", "factors") || a.Status != riskeval.StatusUnderReview {
		t.Fatalf("invalid assessment issued: %v (status %s)", err, a.Status)
	}
}
