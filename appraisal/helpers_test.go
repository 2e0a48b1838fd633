package appraisal_test

import (
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func dp(s string) *decimal.Decimal { v := d(s); return &v }

func mustPreset(t testing.TB, name string) *appraisal.Scheme {
	t.Helper()
	s, err := appraisal.Preset(name)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func mustScore(t testing.TB, s *appraisal.Scheme, subj appraisal.Subject) appraisal.Result {
	t.Helper()
	r, err := appraisal.Score(s, subj)
	if err != nil {
		t.Fatalf("Score: %v", err)
	}
	return r
}

func item(t testing.TB, r appraisal.Result, id string) appraisal.ItemResult {
	t.Helper()
	for _, it := range r.Items() {
		if it.ID == id {
			return it
		}
	}
	t.Fatalf("no item %q", id)
	return appraisal.ItemResult{}
}

func hasCode(ps ssra.Problems, code, field string) bool {
	for _, p := range ps {
		if p.Code == code && (field == "" || p.Field == field) {
			return true
		}
	}
	return false
}

func eqDec(t testing.TB, what string, got, want decimal.Decimal) {
	t.Helper()
	if !got.Equal(want) {
		t.Fatalf("%s: got %s, want %s", what, got, want)
	}
}

func contains(s, sub string) bool { return len(sub) == 0 || indexOf(s, sub) >= 0 }

func indexOf(s, sub string) int {
	for i := 0; i+len(sub) <= len(s); i++ {
		if s[i:i+len(sub)] == sub {
			return i
		}
	}
	return -1
}

// wantCode fails unless err carries a problem with code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if !hasCode(ssra.ProblemsOf(err), code, "") {
		t.Fatalf("want problem %s, got %v", code, err)
	}
}

// explained joins an explanation's lines for a substring check.
func explained(e appraisal.Explanation) string {
	s := ""
	for _, l := range e {
		s += l.Key + ": " + l.Text + "\n"
	}
	return s
}
