package main

import (
	"testing"

	"github.com/ssra-go/ssra"
)

// The server counts deadlines on the official calendar unless -calendar
// names weekends only (or a file); an unknown name that is no file fails.
func TestLoadCalendarDefaultsToOfficial(t *testing.T) {
	for _, tc := range []struct{ arg, want string }{
		{"", ssra.CalendarStateCouncil},
		{"cn_state_council", ssra.CalendarStateCouncil},
		{"weekends_only", ssra.CalendarWeekendsOnly},
	} {
		cal, err := loadCalendar(tc.arg)
		if err != nil {
			t.Fatalf("%q: %v", tc.arg, err)
		}
		if got := cal.Name(); got != tc.want {
			t.Fatalf("%q: calendar %q, want %q", tc.arg, got, tc.want)
		}
	}
	if _, err := loadCalendar("cn2027"); err == nil {
		t.Fatal("an unknown name that is no file was accepted")
	}
}
