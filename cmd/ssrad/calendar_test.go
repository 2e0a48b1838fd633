package main

import (
	"os"
	"path/filepath"
	"slices"
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

// A calendar file is read by the strict decoder of every other document:
// a misspelt or repeated member is refused with the decoder's code and
// path, and a valid file loads.
func TestLoadCalendarFileIsStrict(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct{ name, body, code, field string }{
		{"valid", `{"name":"c","holidays":["2026-10-01"],"workdays":["2026-10-10"]}`, "", ""},
		{"case-folded member", `{"name":"c","HOLIDAYS":["2026-10-01"],"workdays":[]}`, "json.unknown_field", "HOLIDAYS"},
		{"Kelvin sign", "{\"name\":\"c\",\"holidays\":[],\"wor\u212adays\":[]}", "json.unknown_field", "wor\u212adays"},
		{"member twice", `{"name":"c","holidays":[],"holidays":[],"workdays":[]}`, "json.duplicate_key", "holidays"},
		{"nested member", `{"name":"c","holidays":[],"workdays":[],"covers":{"from":"2026-01-01","TO":"2026-12-31"}}`, "json.unknown_field", "covers.TO"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, tc.name+".json")
			if err := os.WriteFile(path, []byte(tc.body), 0o600); err != nil {
				t.Fatal(err)
			}
			cal, err := loadCalendar(path)
			if tc.code == "" {
				if err != nil || cal.Name() != "c" {
					t.Fatalf("calendar %q, error %v", cal.Name(), err)
				}
				return
			}
			ps := ssra.ProblemsOf(err)
			if !slices.ContainsFunc(ps, func(p ssra.Problem) bool { return p.Code == tc.code && p.Field == tc.field }) {
				t.Fatalf("error %v, problems %v: want %s at %q", err, ps, tc.code, tc.field)
			}
		})
	}
}
