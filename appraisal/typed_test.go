package appraisal_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

// TestTypedPolicy: an item that names an indicator is measured only unless
// its scheme allows a typed value (typed: allowed); the policy round-trips
// through JSON, an unknown one is refused by name, and an item without an
// indicator takes none.
func TestTypedPolicy(t *testing.T) {
	def := emptyScheme(t, "points", "").Def()
	a, b := def.Sections[0].Items[0], def.Sections[0].Items[1]
	if a.MeasuredOnly() || !b.MeasuredOnly() {
		t.Fatalf("measured only: direct item %v, indicator item %v; want false, true", a.MeasuredOnly(), b.MeasuredOnly())
	}
	for _, p := range []appraisal.TypedPolicy{appraisal.TypedRefused, appraisal.TypedAllowed} {
		b.Typed = p
		if got, want := b.MeasuredOnly(), p == appraisal.TypedRefused; got != want {
			t.Fatalf("typed %s: measured only %v, want %v", p, got, want)
		}
	}

	def.Sections[0].Items[1].Typed = appraisal.TypedAllowed
	s, err := appraisal.NewScheme(def)
	if err != nil {
		t.Fatalf("typed allowed on an indicator item: %v", err)
	}
	enc, err := json.Marshal(s.Def())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(string(enc), `"typed"`) != 1 || !strings.Contains(string(enc), `"typed":"allowed"`) {
		t.Fatalf("encoded scheme: want one typed policy, allowed: %s", enc)
	}
	back, err := appraisal.DecodeScheme(enc)
	if err != nil || back.Def().Sections[0].Items[1].MeasuredOnly() {
		t.Fatalf("decoded again: %v, measured only %v", err, back.Def().Sections[0].Items[1].MeasuredOnly())
	}
	if _, err := appraisal.DecodeScheme([]byte(strings.Replace(string(enc), `"typed":"allowed"`, `"typed":"yes"`, 1))); err == nil {
		t.Fatal("an unknown typed policy was accepted")
	}

	def.Sections[0].Items[0].Typed = appraisal.TypedAllowed // the direct item: no indicator
	_, err = appraisal.NewScheme(def)
	if !hasCode(ssra.ProblemsOf(err), "item.typed_without_indicator", "sections[0].items[0].typed") {
		t.Fatalf("typed on an item without an indicator: got %v", err)
	}
	def.Sections[0].Items[0].Typed = 0
	def.Sections[0].Items[2].Typed = appraisal.TypedPolicy(7)
	_, err = appraisal.NewScheme(def)
	if !hasCode(ssra.ProblemsOf(err), "item.typed_invalid", "sections[0].items[2].typed") {
		t.Fatalf("an out-of-range typed policy: got %v", err)
	}
	if got := appraisal.TypedRefused.Label(ssra.LangZH); got != "仅取测量值" {
		t.Fatalf("zh-CN label: %q", got)
	}
}
