package main

import (
	"io"
	"testing"

	"github.com/ssra-go/ssra/stability"
)

// The two months hold one missed round (village-2 skipped a week) and two
// entries left open past their deadline; the figures count them. The round
// before the National Day holiday is due on its last working day, and the
// week after the holiday on its make-up Saturday.
func TestLedgerThroughNationalDay(t *testing.T) {
	s, err := months(io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	due := map[string]string{}
	for _, x := range s.Slots {
		due[x.Unit+" "+x.Key] = x.Due.String()
	}
	for slot, want := range map[string]string{
		"station-judicial before:国庆": "2026-09-30",
		"village-1 2026-W41":         "2026-10-10",
		"village-1 2026-W38":         "2026-09-20",
		"station-judicial 2026-10":   "2026-10-30",
	} {
		if due[slot] != want {
			t.Errorf("%s due %q, want %s", slot, due[slot], want)
		}
	}
	if s.Missed != 1 || s.Overdue != 2 {
		t.Fatalf("missed %d, overdue %d; want 1 and 2", s.Missed, s.Overdue)
	}
	figs := map[string][2]int64{}
	for _, f := range s.Figures {
		figs[f.Indicator] = [2]int64{f.Numerator, f.Denominator}
	}
	if r := figs["register.rounds_on_time"]; r[1]-r[0] != 1 {
		t.Fatalf("rounds on time %v: want exactly the missed round short", r)
	}
	if r := figs["register.resolution"]; r[1]-r[0] != 2 {
		t.Fatalf("resolution %v: want the two open entries short", r)
	}
	// Of the approval's measures, M1 was verified by its due date, M2 is
	// overdue with village-2, M3 is not yet due.
	ms := map[string]stability.Figure{}
	for _, f := range s.Measures {
		ms[f.Indicator] = f
	}
	if f := ms["measures.verified_on_time"]; f.Numerator != 1 || f.Denominator != 2 {
		t.Errorf("verified on time %d/%d, want 1/2", f.Numerator, f.Denominator)
	}
	if f := ms["measures.overdue"]; f.Numerator != 1 || len(f.Counts) != 1 || f.Counts[0].Name != "owner:village-2" {
		t.Errorf("overdue %d by %v, want 1 with village-2", f.Numerator, f.Counts)
	}
	if err := run(io.Discard); err != nil {
		t.Fatal(err)
	}
}
