package appraisal_test

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra/appraisal"
)

// randomGeneric returns a random subject for the generic 100-point scheme.
func randomGeneric(r *rand.Rand, id string) appraisal.Subject {
	v := func(lo, hi int) *decimal.Decimal {
		x := decimal.New(int64(lo*100+r.IntN((hi-lo)*100+1)), -2)
		return &x
	}
	events := func(n int) []appraisal.Event {
		var out []appraisal.Event
		for i := 0; i < n; i++ {
			out = append(out, appraisal.Event{Repeat: r.IntN(4) == 0, SpecialPeriod: r.IntN(4) == 0})
		}
		return out
	}
	levels := []string{"national", "provincial", "city"}
	var com []appraisal.Event
	for i := r.IntN(4); i > 0; i-- {
		com = append(com, appraisal.Event{Ref: fmt.Sprintf("m%d", r.IntN(3)), Level: levels[r.IntN(3)]})
	}
	return appraisal.Subject{ID: id, Size: v(100, 5000), Inputs: []appraisal.Input{
		{Item: "organisation", Value: v(0, 10)},
		{Item: "risk_assessment_coverage", Value: v(60, 100)},
		{Item: "agreements_performed", Value: v(60, 100)},
		{Item: "screening_missed", Value: dp(fmt.Sprint(r.IntN(30)))},
		{Item: "late_reports", Value: dp(fmt.Sprint(r.IntN(8)))},
		{Item: "on_time_handling", Value: v(60, 100)},
		{Item: "handling_satisfaction", Value: v(60, 100)},
		{Item: "sense_of_security", Value: v(60, 100)},
		{Item: "public_order_on_time", Value: v(60, 100)},
		{Item: "major_incidents", Events: events(r.IntN(3))},
		{Item: "commendations", Events: com},
	}}
}

// TestPropertyBounds: every total lies in [0, budget + bonus cap].
func TestPropertyBounds(t *testing.T) {
	s := mustPreset(t, appraisal.PresetGenericUnit100)
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 2000; i++ {
		res := mustScore(t, s, randomGeneric(r, "u"))
		if res.Total().Sign() < 0 || res.Total().GreaterThan(d("105")) {
			t.Fatalf("total %s outside [0, 105]", res.Total())
		}
		sum := res.Base().Sub(res.Deducted())
		if sum.Sign() < 0 {
			sum = decimal.Zero
		}
		eqDec(t, "total = max(0, base − deducted) + bonus", res.Total(), sum.Add(res.Bonus()))
	}
}

// TestPropertyDeductionNeverRaises: one more occurrence of any deduction, or
// a lower measured rate in the negative list, never raises the total.
func TestPropertyDeductionNeverRaises(t *testing.T) {
	s := mustPreset(t, appraisal.PresetGenericUnit100)
	r := rand.New(rand.NewPCG(3, 4))
	for i := 0; i < 1000; i++ {
		subj := randomGeneric(r, "u")
		before := mustScore(t, s, subj)
		k := []int{3, 4, 9}[r.IntN(3)] // screening_missed, late_reports, major_incidents
		more := subj
		more.Inputs = append([]appraisal.Input(nil), subj.Inputs...)
		if k == 9 {
			more.Inputs[k].Events = append(append([]appraisal.Event(nil), subj.Inputs[k].Events...), appraisal.Event{Repeat: r.IntN(2) == 0})
		} else {
			x := more.Inputs[k].Value.Add(decimal.NewFromInt(1))
			more.Inputs[k].Value = &x
		}
		after := mustScore(t, s, more)
		if after.Total().GreaterThan(before.Total()) {
			t.Fatalf("deduction on %s raised %s to %s", more.Inputs[k].Item, before.Total(), after.Total())
		}
	}
	w := mustPreset(t, appraisal.PresetWenzhou2017)
	for i := 0; i < 1000; i++ {
		rate := decimal.New(int64(7000+r.IntN(3000)), -2)
		lower := rate.Sub(decimal.New(int64(r.IntN(500)+1), -2))
		a := mustScore(t, w, appraisal.Subject{ID: "c", Inputs: wenzhouInputs(appraisal.Input{Item: "sense_of_security", Value: &rate})})
		b := mustScore(t, w, appraisal.Subject{ID: "c", Inputs: wenzhouInputs(appraisal.Input{Item: "sense_of_security", Value: &lower})})
		if b.Total().GreaterThan(a.Total()) {
			t.Fatalf("sense of security %s scored %s above %s at %s", lower, b.Total(), a.Total(), rate)
		}
	}
}

// TestPropertyOrderIrrelevant: inputs in any order score the same as in the
// scheme's order (the ordered match and the match by id agree).
func TestPropertyOrderIrrelevant(t *testing.T) {
	s := mustPreset(t, appraisal.PresetGenericUnit100)
	r := rand.New(rand.NewPCG(5, 6))
	for i := 0; i < 500; i++ {
		subj := randomGeneric(r, "u")
		a := mustScore(t, s, subj)
		shuffled := subj
		shuffled.Inputs = append([]appraisal.Input(nil), subj.Inputs...)
		r.Shuffle(len(shuffled.Inputs), func(i, j int) { shuffled.Inputs[i], shuffled.Inputs[j] = shuffled.Inputs[j], shuffled.Inputs[i] })
		b := mustScore(t, s, shuffled)
		eqDec(t, "total", b.Total(), a.Total())
	}
}

// TestPropertyExactAgainstDecimal: the fixed-point weighted total equals the
// same sum computed with shopspring/decimal, digit for digit.
func TestPropertyExactAgainstDecimal(t *testing.T) {
	for _, n := range []int{4, 20, 50} {
		s := weightedScheme(t, n)
		w := decimal.NewFromInt(1).Div(decimal.NewFromInt(int64(n)))
		r := rand.New(rand.NewPCG(uint64(n), 9))
		for i := 0; i < 300; i++ {
			subj := appraisal.Subject{ID: "p"}
			want := decimal.Zero
			for _, id := range s.ItemIDs() {
				v := decimal.New(r.Int64N(100_000_001), -6)
				subj.Inputs = append(subj.Inputs, appraisal.Input{Item: id, Value: &v})
				want = want.Add(v.Mul(w))
			}
			eqDec(t, fmt.Sprintf("%d items", n), mustScore(t, s, subj).Total(), want)
		}
	}
}

// TestPropertyNestedWeightsExact: nested weights whose product needs more
// than 6 places take the 128-bit path and match decimal arithmetic digit for
// digit where 12 places suffice; where a contribution needs more, it is
// rounded half-up to 12 places and the item says so.
func TestPropertyNestedWeightsExact(t *testing.T) {
	js := `{"name":"n","version":"1","tag":"practice","label":{"en":"n"},"mode":"weights","budget":"100",
	"bands":[{"id":"a","label":{"en":"a"},"min":"0"}],
	"sections":[
	 {"id":"s1","label":{"en":"s1"},"weight":"0.333333","items":[{"id":"a","label":{"en":"a"},"weight":"0.5","rule":{"kind":"direct"}},{"id":"b","label":{"en":"b"},"weight":"0.5","rule":{"kind":"direct"}}]},
	 {"id":"s2","label":{"en":"s2"},"weight":"0.333333","items":[{"id":"c","label":{"en":"c"},"weight":"0.3","rule":{"kind":"direct"}},{"id":"e","label":{"en":"e"},"weight":"0.7","rule":{"kind":"direct"}}]},
	 {"id":"s3","label":{"en":"s3"},"weight":"0.333334","items":[{"id":"f","label":{"en":"f"},"weight":"1","rule":{"kind":"direct"}}]}]}`
	s, err := appraisal.DecodeScheme([]byte(js))
	if err != nil {
		t.Fatal(err)
	}
	gw := map[string]decimal.Decimal{"a": d("0.1666665"), "b": d("0.1666665"), "c": d("0.0999999"), "e": d("0.2333331"), "f": d("0.333334")}
	r := rand.New(rand.NewPCG(11, 12))
	for i := 0; i < 500; i++ {
		subj := appraisal.Subject{ID: "p"}
		want := decimal.Zero
		rounded := map[string]bool{}
		for _, id := range s.ItemIDs() {
			places := r.Int32N(7)
			v := decimal.New(r.Int64N(100*pow10(places)+1), -places)
			subj.Inputs = append(subj.Inputs, appraisal.Input{Item: id, Value: &v})
			exact := v.Mul(gw[id])
			want = want.Add(exact.Round(12))
			rounded[id] = !exact.Equal(exact.Round(12))
		}
		res := mustScore(t, s, subj)
		eqDec(t, "total", res.Total(), want)
		for _, it := range res.Items() {
			if it.Rounded != rounded[it.ID] {
				t.Fatalf("%s: rounded %v, want %v", it.ID, it.Rounded, rounded[it.ID])
			}
		}
	}
}

func pow10(n int32) int64 {
	p := int64(1)
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}
