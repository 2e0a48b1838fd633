package stability_test

import (
	"encoding/json"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// sampleCalendar loads the sample calendar of testdata (sample data, not an
// official schedule).
func sampleCalendar(t testing.TB) ssra.Calendar {
	t.Helper()
	b, err := os.ReadFile("testdata/calendar-2026-sample.json")
	if err != nil {
		t.Fatal(err)
	}
	var c ssra.Calendar
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	return c
}

func preset(t testing.TB, name string) *stability.Profile {
	t.Helper()
	p, err := stability.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func day(s string) ssra.Date {
	d, err := ssra.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// at returns 10:00 China Standard Time on the date.
func at(s string) time.Time {
	return day(s).Time(cst).Add(10 * time.Hour)
}

var cst = time.FixedZone("CST", 8*3600)

// wantErr checks the error's kind and that one of its problems has the code.
func wantErr(t *testing.T, err error, kind ssra.Kind, code string) {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %s %s", kind, code)
	}
	var e *ssra.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *ssra.Error", err)
	}
	if e.Kind != kind {
		t.Fatalf("kind = %s, want %s (%v)", e.Kind, kind, err)
	}
	if code == "" {
		return
	}
	for _, p := range e.Problems {
		if p.Code == code {
			return
		}
	}
	t.Fatalf("no problem %s in %v", code, err)
}

// hasProblem reports whether err carries a problem with code.
func hasProblem(err error, code string) bool {
	for _, p := range ssra.ProblemsOf(err) {
		if p.Code == code {
			return true
		}
	}
	return false
}
