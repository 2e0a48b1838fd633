package report

import (
	"fmt"
	"strings"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

// followView is the section on the measures imposed by the approval and
// their follow-through (措施落实情况): a summary at the tracking date, one
// row per tracked measure, and the follow-up assessments opened. It names
// organisations and dates, never the officials who acted (their user
// identifiers stay in the tracking's history).
type followView struct {
	Summary   string
	Rows      []followRow
	FollowUps []string
}

type followRow struct{ ID, Description, Owner, Due, State, Class, Progress string }

// checkTracking holds the tracking to the assessment the report is of and
// asks for the date its states are computed at.
func checkTracking(ps *ssra.Problems, in *Input) {
	t := in.Tracking
	if t == nil {
		return
	}
	if t.Assessment != in.Assessment.ID {
		ps.Add("report.tracking_mismatch", "tracking.assessment_id", "the tracking is of assessment %q, not %q", t.Assessment, in.Assessment.ID)
	}
	if in.TrackedAt.IsZero() {
		ps.Add("report.tracked_at_missing", "tracked_at", "give the date the measures' states are shown at")
	}
	for i, m := range t.Measures {
		if _, err := m.State.MarshalText(); err != nil || m.State == riskeval.MeasureOverdue {
			ps.Add("report.measure_state_invalid", ssra.JoinPath(ssra.Index("tracking.measures", i), "state"), "measure %q has no recorded state", m.ID)
		}
	}
}

// newFollowView builds the section from a validated input; nil without a
// tracking.
func newFollowView(in *Input) *followView {
	t, lang, at := in.Tracking, in.Lang, in.TrackedAt
	if t == nil {
		return nil
	}
	s := t.Summary(at)
	fv := &followView{}
	if lang == ssra.LangZH {
		fv.Summary = fmt.Sprintf("截至%s，审批决定提出的措施共%d项：已核验%d项，已落实待核验%d项，未落实%d项，逾期未落实%d项，已撤销%d项；其中按期落实%d项。",
			at, s.Total, s.Verified, s.Done, s.Open, s.Overdue, s.Dropped, s.DoneInTime)
	} else {
		fv.Summary = fmt.Sprintf("At %s, the approval imposed %d measure(s): %d verified, %d done awaiting verification, %d open, %d overdue, %d dropped; %d carried out by their due date.",
			at, s.Total, s.Verified, s.Done, s.Open, s.Overdue, s.Dropped, s.DoneInTime)
	}
	for _, m := range t.Measures {
		st := m.StateAt(at)
		fv.Rows = append(fv.Rows, followRow{ID: m.ID, Description: m.Description, Owner: m.Owner, Due: dateText(m.Due),
			State: st.Label(lang), Class: st.String(), Progress: progressText(lang, m, in.Location)})
	}
	for _, f := range t.FollowUps {
		day := dayIn(f.At, in.Location)
		if lang == ssra.LangZH {
			fv.FollowUps = append(fv.FollowUps, day+"启动跟踪评估"+f.Assessment+"，原因："+f.Reason)
		} else {
			fv.FollowUps = append(fv.FollowUps, day+": follow-up assessment "+f.Assessment+" opened; reason: "+f.Reason)
		}
	}
	return fv
}

// progressText says what happened to a measure: the progress reports, the
// day it was reported carried out, verified or dropped (with the reason).
func progressText(lang ssra.Lang, m riskeval.TrackedMeasure, loc *time.Location) string {
	var parts []string
	zh := lang == ssra.LangZH
	if n := len(m.Reports); n > 0 {
		if zh {
			parts = append(parts, fmt.Sprintf("报送进展%d次", n))
		} else {
			parts = append(parts, fmt.Sprintf("%d progress report(s)", n))
		}
	}
	act := func(a *riskeval.MeasureAct, zhWord, enWord string, withNote bool) {
		if a == nil {
			return
		}
		day := dayIn(a.At, loc)
		text := day + " " + enWord
		if zh {
			text = day + zhWord
		}
		if withNote && a.Note != "" {
			if zh {
				text += "（" + a.Note + "）"
			} else {
				text += " (" + a.Note + ")"
			}
		}
		parts = append(parts, text)
	}
	act(m.Done, "报告落实", "reported carried out", false)
	act(m.Verified, "核验通过", "verified", false)
	act(m.Dropped, "撤销", "dropped", true)
	if len(parts) == 0 {
		return "—"
	}
	if zh {
		return strings.Join(parts, "；")
	}
	return strings.Join(parts, "; ")
}

// dayIn is the day of t in loc (China Standard Time when nil), as the
// report's times are shown.
func dayIn(t time.Time, loc *time.Location) string {
	if loc == nil {
		loc = chinaStandardTime
	}
	return ssra.DateOf(t.In(loc)).String()
}
