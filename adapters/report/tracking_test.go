package report_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
)

// The section on the measures' implementation appears once measures are
// tracked, in HTML and Markdown and in both languages, with each measure's
// state at the tracking date and the summary's counts (M10 was carried out
// after its due date: one measure in time, M9).
func TestReportShowsMeasureFollowThrough(t *testing.T) {
	wantState := map[string]string{"M1": "open", "M2": "overdue", "M3": "open", "M4": "open", "M5": "open", "M6": "open",
		"M7": "open", "M8": "dropped", "M9": "done", "M10": "verified"}
	rowState := regexp.MustCompile(`<tr data-state="(\w+)"><td>(M\d+)</td>`)
	for _, lang := range []ssra.Lang{ssra.LangZH, ssra.LangEN} {
		in := trackedPlantInput(t, "practice", lang)
		var h, m bytes.Buffer
		if err := report.HTML(&h, in); err != nil {
			t.Fatal(err)
		}
		if err := report.Markdown(&m, in); err != nil {
			t.Fatal(err)
		}
		heading, summary := "九、措施落实情况", "共10项：已核验1项，已落实待核验1项，未落实6项，逾期未落实1项，已撤销1项；其中按期落实1项"
		if lang == ssra.LangEN {
			heading, summary = "9. Implementation of the measures", "10 measure(s): 1 verified, 1 done awaiting verification, 6 open, 1 overdue, 1 dropped; 1 carried out by their due date"
		}
		for name, out := range map[string]string{"html": h.String(), "markdown": m.String()} {
			if strings.Count(out, heading) != 1 || !strings.Contains(out, summary) || !strings.Contains(out, followUpID) {
				t.Errorf("%s %s: no section %q with summary %q and the follow-up", lang, name, heading, summary)
			}
			if strings.Contains(out, "u-centre") || strings.Contains(out, "u-市") {
				t.Errorf("%s %s names an official by user id", lang, name)
			}
		}
		got := map[string]string{}
		for _, x := range rowState.FindAllStringSubmatch(h.String(), -1) {
			got[x[2]] = x[1]
		}
		for id, st := range wantState {
			if got[id] != st {
				t.Errorf("%s: measure %s shown %q, want %q", lang, id, got[id], st)
			}
		}
		if len(got) != len(wantState) {
			t.Errorf("%s: %d measure rows, want %d", lang, len(got), len(wantState))
		}
		if !strings.Contains(h.String(), "施工总承包合同已改由总包单位缴纳保证金") {
			t.Errorf("%s: the dropped measure's reason is not shown", lang)
		}
	}
}

// Without a tracking the report has no such section; a tracking of another
// assessment, or one without the date to show it at, is refused by field.
func TestReportTrackingChecked(t *testing.T) {
	var b bytes.Buffer
	if err := report.HTML(&b, plantInput(t, "practice", ssra.LangZH)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "措施落实情况") {
		t.Fatal("a report without tracked measures has the section")
	}
	in := trackedPlantInput(t, "practice", ssra.LangZH)
	in.Tracking.Assessment = "another"
	in.TrackedAt = ssra.Date{}
	ps := in.Validate()
	for _, want := range [][2]string{{"report.tracking_mismatch", "tracking.assessment_id"}, {"report.tracked_at_missing", "tracked_at"}} {
		found := false
		for _, p := range ps {
			found = found || (p.Code == want[0] && p.Field == want[1])
		}
		if !found {
			t.Errorf("no problem %s on %s: %v", want[0], want[1], ps)
		}
	}
	if err := report.HTML(&b, in); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("rendering a mismatched tracking: %v", err)
	}
}
