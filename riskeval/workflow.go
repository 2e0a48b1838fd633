package riskeval

import (
	"time"

	"github.com/ssra-go/ssra"
)

// Event records one workflow transition of an assessment.
type Event struct {
	At   time.Time  `json:"at"`
	By   ssra.Actor `json:"by"`
	From Status     `json:"from"`
	To   Status     `json:"to"`
	Note string     `json:"note,omitempty"`
}

// Workflow is the assessment's workflow record: who wrote it, who reviews
// it (never a writer, 编审分离), the events, and, once issued, the frozen
// evaluation with the profile version it used.
type Workflow struct {
	// Writer is who submitted it last.
	Writer ssra.Actor `json:"writer,omitzero"`
	// Writers are everyone who wrote any version: created it, edited it or
	// submitted it, each once, in the order they first wrote. None of them
	// may start its review, return it or issue it.
	Writers  []ssra.Actor `json:"writers,omitempty"`
	Reviewer ssra.Actor   `json:"reviewer,omitzero"`
	Events   []Event      `json:"events,omitempty"`
	// Issued holds the evaluation frozen at issue.
	Issued *Issued `json:"issued,omitempty"`
}

// Issued is the frozen evaluation of an issued assessment.
type Issued struct {
	At     time.Time  `json:"at"`
	By     ssra.Actor `json:"by"`
	Result Result     `json:"result"`
}

func (a *Assessment) transition(now time.Time, by ssra.Actor, from []Status, to Status, note string) error {
	if by.UserID == "" {
		return ssra.Errorf(ssra.KindInvalid, "riskeval.Assessment."+to.String(), "the actor is not named")
	}
	ok := false
	for _, s := range from {
		if a.Status == s {
			ok = true
		}
	}
	if !ok {
		return &ssra.Error{Kind: ssra.KindConflict, Op: "riskeval.Assessment", Message: "transition not allowed",
			Problems: ssra.Problems{{Code: "workflow.transition", Field: "status", Message: "cannot move from " + a.Status.String() + " to " + to.String()}}}
	}
	a.Workflow.Events = append(a.Workflow.Events, Event{At: now, By: by, From: a.Status, To: to, Note: note})
	a.Status = to
	return nil
}

// Write records that by wrote a version of a draft or of an assessment
// returned for revision: created it or edited it. The writer may then not
// review it (编审分离). Another status is a conflict: an assessment is
// edited only before it is submitted or after it was returned.
func (a *Assessment) Write(now time.Time, by ssra.Actor) error {
	if by.UserID == "" {
		return ssra.Errorf(ssra.KindInvalid, "riskeval.Assessment.Write", "the actor is not named")
	}
	if a.Status != StatusDraft && a.Status != StatusReturned {
		return &ssra.Error{Kind: ssra.KindConflict, Op: "riskeval.Assessment.Write", Message: "only a draft or a returned assessment is written",
			Problems: ssra.Problems{{Code: "workflow.not_editable", Field: "status", Message: "the assessment is " + a.Status.String()}}}
	}
	a.addWriter(by)
	return nil
}

func (a *Assessment) addWriter(by ssra.Actor) {
	for _, w := range a.Workflow.Writers {
		if w.UserID == by.UserID {
			return
		}
	}
	a.Workflow.Writers = append(a.Workflow.Writers, by)
}

// wrote reports whether by wrote any version (the last submitter counts
// for a workflow recorded before Writers existed).
func (a *Assessment) wrote(by ssra.Actor) bool {
	if by.UserID == "" {
		return false
	}
	if by.UserID == a.Workflow.Writer.UserID {
		return true
	}
	for _, w := range a.Workflow.Writers {
		if w.UserID == by.UserID {
			return true
		}
	}
	return false
}

// Submit hands a draft (or an assessment returned for revision) to the
// assessing body; the submitter becomes the writer and one of the writers.
func (a *Assessment) Submit(now time.Time, by ssra.Actor) error {
	if err := a.transition(now, by, []Status{StatusDraft, StatusReturned}, StatusSubmitted, ""); err != nil {
		return err
	}
	a.Workflow.Writer = by
	a.addWriter(by)
	return nil
}

// refuseWriter refuses an act of review by anyone who wrote any version
// (编审分离).
func (a *Assessment) refuseWriter(by ssra.Actor, op string) error {
	if !a.wrote(by) {
		return nil
	}
	return &ssra.Error{Kind: ssra.KindConflict, Op: "riskeval.Assessment." + op, Message: "a writer may not review",
		Problems: ssra.Problems{{Code: "workflow.reviewer_is_writer", Field: "reviewer", Message: "whoever wrote any version of the report (created, edited or submitted it) may not review, return or issue it (编审分离)"}}}
}

// StartReview puts a submitted assessment under review by a reviewer, who
// may not have written any version of it (编审分离).
func (a *Assessment) StartReview(now time.Time, by ssra.Actor) error {
	if a.Status == StatusSubmitted {
		if err := a.refuseWriter(by, "StartReview"); err != nil {
			return err
		}
	}
	if err := a.transition(now, by, []Status{StatusSubmitted}, StatusUnderReview, ""); err != nil {
		return err
	}
	a.Workflow.Reviewer = by
	return nil
}

// Return sends an assessment under review back to its writer for revision,
// with the reason.
func (a *Assessment) Return(now time.Time, by ssra.Actor, reason string) error {
	if reason == "" {
		return &ssra.Error{Kind: ssra.KindInvalid, Op: "riskeval.Assessment.Return", Message: "a reason is required",
			Problems: ssra.Problems{{Code: "workflow.reason_missing", Field: "reason", Message: "say why the assessment is returned"}}}
	}
	if err := a.checkReviewer(by, "Return"); err != nil {
		return err
	}
	return a.transition(now, by, []Status{StatusUnderReview}, StatusReturned, reason)
}

// Issue is the assessing body's act of issuing the assessment: it must be
// valid under the profile, and the evaluation is frozen with the profile's
// name and version. Only the reviewer issues. Issuing does not approve the
// project: the decision body does that through Gate.
func (a *Assessment) Issue(now time.Time, by ssra.Actor, p Profile) (Result, error) {
	if err := a.checkReviewer(by, "Issue"); err != nil {
		return Result{}, err
	}
	if a.Status != StatusUnderReview {
		return Result{}, a.transition(now, by, []Status{StatusUnderReview}, StatusIssued, "")
	}
	res, err := Evaluate(*a, p)
	if err != nil {
		return Result{}, err
	}
	if err := a.transition(now, by, []Status{StatusUnderReview}, StatusIssued, ""); err != nil {
		return Result{}, err
	}
	a.Workflow.Issued = &Issued{At: now, By: by, Result: res}
	return res, nil
}

func (a *Assessment) checkReviewer(by ssra.Actor, op string) error {
	if a.Status != StatusUnderReview {
		return nil
	}
	if by.UserID != a.Workflow.Reviewer.UserID {
		return &ssra.Error{Kind: ssra.KindForbidden, Op: "riskeval.Assessment." + op, Message: "only the reviewer may do this",
			Problems: ssra.Problems{{Code: "workflow.not_reviewer", Field: "reviewer", Message: "only the assigned reviewer may " + op}}}
	}
	return a.refuseWriter(by, op)
}
