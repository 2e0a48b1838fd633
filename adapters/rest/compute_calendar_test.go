package rest_test

import (
	"encoding/json"
	"testing"

	"github.com/ssra-go/ssra/adapters/rest"
	"github.com/ssra-go/ssra/stability"
)

// The deadline route counts on the official calendar unless the request
// names weekends only or sends its own; an unknown name is refused, and a
// count past the covered years carries the calendar.not_covered warning.
func TestDeadlinesCalendarChoice(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	due := func(body string) stability.Deadline {
		t.Helper()
		rec := call(t, s, "POST", "/v1/stability/deadlines", adminKey, body)
		var res struct {
			Deadlines []stability.Deadline `json:"deadlines"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &res); err != nil || rec.Code != 200 {
			t.Fatalf("%s: %d %v %s", body, rec.Code, err, rec.Body)
		}
		for _, d := range res.Deadlines {
			if d.Rule == "route" {
				return d
			}
		}
		t.Fatalf("%s: no route deadline", body)
		return stability.Deadline{}
	}
	// zhejiang2016 routes in 5 working days. From Tuesday 29 September 2026:
	// 30 Sep, then 8, 9, 10 (a make-up Saturday) and 12 October.
	for _, tc := range []struct {
		name, calendar, due, calName string
		warnings                     int
	}{
		{"default is official", ``, "2026-10-12", "cn_state_council", 0},
		{"official by name", `,"calendar":"cn_state_council"`, "2026-10-12", "cn_state_council", 0},
		{"weekends only by name", `,"calendar":"weekends_only"`, "2026-10-06", "weekends_only", 0},
		{"own calendar", `,"calendar":{"name":"own","holidays":["2026-09-30"],"workdays":[]}`, "2026-10-07", "own", 0},
	} {
		d := due(`{"profile":"zhejiang2016","event":"registered","date":"2026-09-29"` + tc.calendar + `}`)
		if d.Due.String() != tc.due || d.Calendar != tc.calName || len(d.Warnings) != tc.warnings {
			t.Errorf("%s: due %s on %q with warnings %v; want %s on %q", tc.name, d.Due, d.Calendar, d.Warnings, tc.due, tc.calName)
		}
	}
	d := due(`{"profile":"zhejiang2016","event":"registered","date":"2026-12-29"}`)
	if len(d.Warnings) != 1 || d.Warnings[0].Code != "calendar.not_covered" {
		t.Fatalf("past the covered years: warnings %v", d.Warnings)
	}
	rec := call(t, s, "POST", "/v1/stability/deadlines", adminKey, `{"profile":"zhejiang2016","event":"registered","date":"2026-09-29","calendar":"cn2026"}`)
	if rec.Code != 400 && rec.Code != 422 {
		t.Fatalf("unknown calendar name: %d %s", rec.Code, rec.Body)
	}
	var pb struct {
		Errors []struct{ Code, Field string }
	}
	_ = json.Unmarshal(rec.Body.Bytes(), &pb)
	if len(pb.Errors) != 1 || pb.Errors[0].Code != "request.calendar_unknown" || pb.Errors[0].Field != "calendar" {
		t.Fatalf("unknown calendar name: %s", rec.Body)
	}
}

// A calendar of the caller's own is read as strictly as the rest of the
// body: a member spelt in another case, an unknown member, a duplicate name
// and a wrong type are refused at their path inside "calendar", never
// accepted as a calendar missing that member.
func TestOwnCalendarIsDecodedStrictly(t *testing.T) {
	s, _ := newServer(t, rest.Config{AuthFailureLimit: -1}, nil)
	for _, tc := range []struct{ name, calendar, code, field string }{
		{"name in another case", `{"NAME":"own","holidays":[],"workdays":[]}`, "json.unknown_field", "calendar.NAME"},
		{"Kelvin sign in a name", `{"name":"own","holidays":[],"wor\u212adays":[]}`, "json.unknown_field", "calendar.wor\u212adays"},
		{"unknown member", `{"name":"own","holidays":[],"workdays":[],"extra":1}`, "json.unknown_field", "calendar.extra"},
		{"duplicate name", `{"name":"own","holidays":[],"holidays":["2026-09-30"],"workdays":[]}`, "json.duplicate_key", "calendar.holidays"},
		{"wrong type", `{"name":"own","holidays":"2026-09-30","workdays":[]}`, "json.wrong_type", "calendar.holidays"},
		{"bad date", `{"name":"own","holidays":["2026-02-30"],"workdays":[]}`, "json.invalid_value", "calendar.holidays[0]"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := call(t, s, "POST", "/v1/stability/deadlines", adminKey,
				`{"profile":"zhejiang2016","event":"registered","date":"2026-09-29","calendar":`+tc.calendar+`}`)
			if rec.Code != 400 && rec.Code != 422 {
				t.Fatalf("%d %s", rec.Code, rec.Body)
			}
			var pb struct {
				Errors []struct{ Code, Field string }
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &pb); err != nil {
				t.Fatal(err)
			}
			if len(pb.Errors) != 1 || pb.Errors[0].Code != tc.code || pb.Errors[0].Field != tc.field {
				t.Fatalf("want %s at %s, got %s", tc.code, tc.field, rec.Body)
			}
		})
	}
}
