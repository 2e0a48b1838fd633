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
	writer := ssra.Actor{UserID: "u-writer", OrgID: "assessing-body"}
	reviewer := ssra.Actor{UserID: "u-reviewer", OrgID: "assessing-body"}
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
	w, r := ssra.Actor{UserID: "w"}, ssra.Actor{UserID: "r"}
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

// TestWriterNeverReviews holds 编审分离 over every way of writing a
// version: whoever created, edited or submitted any version may not start
// the review, return or issue, whoever submitted last.
func TestWriterNeverReviews(t *testing.T) {
	p := preset(t, "practice")
	now := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
	author, editor, submitter := ssra.Actor{UserID: "author"}, ssra.Actor{UserID: "editor"}, ssra.Actor{UserID: "submitter"}
	reviewer, second := ssra.Actor{UserID: "reviewer"}, ssra.Actor{UserID: "second"}
	draft := func(t *testing.T) *riskeval.Assessment {
		t.Helper()
		a := complete("ndrc2012_project", factor("F1", "1", 4, 4, 2, 2))
		a.Status = riskeval.StatusDraft
		for _, w := range []ssra.Actor{author, editor} {
			if err := a.Write(now, w); err != nil {
				t.Fatal(err)
			}
		}
		if err := a.Submit(now, submitter); err != nil {
			t.Fatal(err)
		}
		return &a
	}
	for _, w := range []ssra.Actor{author, editor, submitter} {
		a := draft(t)
		if err := a.StartReview(now, w); !hasProblem(ssra.ProblemsOf(err), "workflow.reviewer_is_writer", "reviewer") {
			t.Fatalf("%s started the review: %v", w.UserID, err)
		}
	}
	// A reviewer who returns the assessment and edits it has written a
	// version: after someone else resubmits, they may not review it again.
	a := draft(t)
	if err := a.StartReview(now, reviewer); err != nil {
		t.Fatal(err)
	}
	if err := a.Return(now, reviewer, "F1 needs a second measure"); err != nil {
		t.Fatal(err)
	}
	if err := a.Write(now, reviewer); err != nil {
		t.Fatal(err)
	}
	if err := a.Submit(now, submitter); err != nil {
		t.Fatal(err)
	}
	if err := a.StartReview(now, reviewer); !hasProblem(ssra.ProblemsOf(err), "workflow.reviewer_is_writer", "reviewer") {
		t.Fatalf("the reviewer reviewed their own edit: %v", err)
	}
	if err := a.StartReview(now, second); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Issue(now, second, p); err != nil {
		t.Fatal(err)
	}
	if got := len(a.Workflow.Writers); got != 4 {
		t.Fatalf("writers %+v, want author, editor, submitter and reviewer once each", a.Workflow.Writers)
	}
	// A reviewer recorded as a writer (a workflow kept from before) may
	// neither return nor issue.
	b := draft(t)
	if err := b.StartReview(now, reviewer); err != nil {
		t.Fatal(err)
	}
	b.Workflow.Writers = append(b.Workflow.Writers, reviewer)
	if err := b.Return(now, reviewer, "why"); !hasProblem(ssra.ProblemsOf(err), "workflow.reviewer_is_writer", "reviewer") {
		t.Fatalf("a writer returned: %v", err)
	}
	if _, err := b.Issue(now, reviewer, p); !hasProblem(ssra.ProblemsOf(err), "workflow.reviewer_is_writer", "reviewer") {
		t.Fatalf("a writer issued: %v", err)
	}
	// Only a draft or a returned assessment is written.
	if err := b.Write(now, editor); ssra.KindOf(err) != ssra.KindConflict {
		t.Fatalf("an assessment under review was written: %v", err)
	}
	if err := b.Write(now, ssra.Actor{}); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("an unnamed writer: %v", err)
	}
}
