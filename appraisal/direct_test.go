package appraisal_test

import (
	"encoding/json"
	"fmt"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/appraisal"
)

// directScheme returns a points-mode scheme of n direct items of 100/n
// points each (n divides 100), whose ids have lengths 1, 2, … so that short
// and long ids (more than 8 and 16 bytes) are both matched.
func directScheme(t testing.TB, n int) *appraisal.Scheme {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":%q,"label":{"en":"item %d"},"points":"%d","rule":{"kind":"direct"}}`, longID(i), i, 100/n)
	}
	return scheme(t, "points", strings.Join(items, ","))
}

// longID is an id of i+1 bytes ending in a letter that names i.
func longID(i int) string {
	return strings.Repeat("x", i) + string(rune('a'+i%26))
}

// randomDirect gives every item of s a value with 0 to 6 places within
// [0, most], in the scheme's order.
func randomDirect(r *rand.Rand, s *appraisal.Scheme, most int64) appraisal.Subject {
	subj := appraisal.Subject{ID: "p"}
	for _, id := range s.ItemIDs() {
		places := r.Int32N(7)
		v := decimal.New(r.Int64N(most*pow10(places)+1), -places)
		subj.Inputs = append(subj.Inputs, appraisal.Input{Item: id, Value: &v})
	}
	return subj
}

// TestPropertyDirectItemsAgree: on schemes whose items are all direct, the
// result of inputs in the scheme's order, breakdown included, must equal the
// result with a unit size given (which direct items ignore) byte for byte in
// JSON, and match a reference computed with decimal arithmetic item by item;
// shuffled inputs, matched by id, must give the same figures.
func TestPropertyDirectItemsAgree(t *testing.T) {
	size := decimal.NewFromInt(10)
	for _, tc := range []struct {
		name   string
		scheme *appraisal.Scheme
		most   int64
		weight decimal.Decimal
	}{
		{"weights, 20 items", weightedScheme(t, 20), 100, d("0.05")},
		{"weights, 50 items", weightedScheme(t, 50), 100, d("0.02")},
		{"points, 20 items with long ids", directScheme(t, 20), 5, decimal.Zero},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(3, uint64(len(tc.name))))
			for n := 0; n < 200; n++ {
				subj := randomDirect(r, tc.scheme, tc.most)
				ordered := mustScore(t, tc.scheme, subj)
				sized := subj
				sized.Size = &size
				general := mustScore(t, tc.scheme, sized)
				if fj, gj := mustJSON(t, ordered), mustJSON(t, general); fj != gj {
					t.Fatalf("in order and with a size differ:\n%s\n%s", fj, gj)
				}
				want := decimal.Zero
				for k, it := range ordered.Items() {
					v := *subj.Inputs[k].Value
					contribution := v
					if !tc.weight.IsZero() {
						contribution = v.Mul(tc.weight)
					}
					want = want.Add(contribution)
					if it.Input == nil || !it.Input.Equal(v) || !it.Points.Equal(v) || !it.Contribution.Equal(contribution) {
						t.Fatalf("%s: input %v, points %s, contribution %s; want %s, %s", it.ID, it.Input, it.Points, it.Contribution, v, contribution)
					}
				}
				eqDec(t, "total", ordered.Total(), want)
				shuffled := subj
				shuffled.Inputs = append([]appraisal.Input(nil), subj.Inputs...)
				r.Shuffle(len(shuffled.Inputs), func(i, j int) { shuffled.Inputs[i], shuffled.Inputs[j] = shuffled.Inputs[j], shuffled.Inputs[i] })
				matched := mustScore(t, tc.scheme, shuffled)
				eqDec(t, "shuffled total", matched.Total(), ordered.Total())
				if matched.Grade() != ordered.Grade() {
					t.Fatalf("grade %v, want %v", matched.Grade(), ordered.Grade())
				}
				for k, it := range matched.Items() {
					if f := ordered.Items()[k]; !it.Points.Equal(f.Points) || !it.Contribution.Equal(f.Contribution) {
						t.Fatalf("%s: shuffled %s/%s, in order %s/%s", it.ID, it.Points, it.Contribution, f.Points, f.Contribution)
					}
				}
			}
		})
	}
}

// mustJSON returns the JSON encoding of v.
func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// huge returns coefficient·10^exp as a decimal built from a big.Int.
func huge(coefficient *big.Int, exp int32) *decimal.Decimal {
	v := decimal.NewFromBigInt(coefficient, exp)
	return &v
}

// TestDirectValuesBeyondInt64Refused: a coefficient that does not fit in
// int64 must be refused with its field, wherever it stands, and never read
// by its low 64 bits (2⁶⁴ + 875 at exponent −1 would read as 87.5).
func TestDirectValuesBeyondInt64Refused(t *testing.T) {
	two64 := new(big.Int).Lsh(big.NewInt(1), 64)
	two63 := new(big.Int).Lsh(big.NewInt(1), 63)
	add := func(a *big.Int, b int64) *big.Int { return new(big.Int).Add(a, big.NewInt(b)) }
	s := weightedScheme(t, 20)
	for _, tc := range []struct {
		name  string
		value *decimal.Decimal
		code  string
	}{
		{"2^64 + 875 at 10^-1", huge(add(two64, 875), -1), "input.value_unsupported"},
		{"2^64 + 875 parsed", dp("1844674407370955249.1"), "input.value_unsupported"},
		{"-(2^64) + 875 at 10^-1", huge(add(new(big.Int).Neg(two64), 875), -1), "input.value_unsupported"},
		{"2^63 + 875 at 10^-1", huge(add(two63, 875), -1), "input.value_unsupported"},
		{"2^128 + 875 at 10^0", huge(add(new(big.Int).Lsh(big.NewInt(1), 128), 875), 0), "input.value_unsupported"},
		{"13 digits that fit", dp("1000000000000.5"), "input.value_unsupported"},
		{"within int64 above the points", dp("100.5"), "input.value_range"},
		{"negative", dp("-0.5"), "input.value_range"},
		{"seven places", dp("50.0000001"), "input.value_unsupported"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, k := range []int{0, 7, 19} {
				for _, order := range []string{"in order", "reversed"} {
					subj := benchSubject(t, s, 1)
					subj.Inputs[k].Value = tc.value
					field := fmt.Sprintf("inputs[%d].value", k)
					if order == "reversed" {
						for i, j := 0, len(subj.Inputs)-1; i < j; i, j = i+1, j-1 {
							subj.Inputs[i], subj.Inputs[j] = subj.Inputs[j], subj.Inputs[i]
						}
						field = fmt.Sprintf("inputs[%d].value", len(subj.Inputs)-1-k)
					}
					_, err := appraisal.Score(s, subj)
					ps := ssra.ProblemsOf(err)
					if !hasCode(ps, tc.code, field) || len(ps) != 1 || ssra.KindOf(err) != ssra.KindInvalid {
						t.Fatalf("item %d %s: want only %s at %s, got %v", k, order, tc.code, field, err)
					}
				}
			}
		})
	}
}

// TestDirectItemIDsMatchedExactly: an input whose item id differs from the
// scheme's in one byte, anywhere in ids of 1 to 20 bytes, is an unknown
// item, never taken for the item at its position.
func TestDirectItemIDsMatchedExactly(t *testing.T) {
	s := directScheme(t, 20)
	for k, id := range s.ItemIDs() {
		for j := range id {
			b := []byte(id)
			b[j] = '#'
			subj := randomDirect(rand.New(rand.NewPCG(1, 2)), s, 5)
			subj.Inputs[k].Item = string(b)
			_, err := appraisal.Score(s, subj)
			ps := ssra.ProblemsOf(err)
			field := fmt.Sprintf("inputs[%d].item", k)
			if !hasCode(ps, "input.item_unknown", field) || !hasCode(ps, "input.value_missing", "inputs") {
				t.Fatalf("id %q changed at byte %d: want input.item_unknown at %s and the item's value missing, got %v", id, j, field, err)
			}
		}
	}
}

// TestDirectResultAfterInputsChange: a result refers to the subject's
// inputs; changing them afterwards is documented as unsupported, yet the
// result's methods must not panic.
func TestDirectResultAfterInputsChange(t *testing.T) {
	s := weightedScheme(t, 20)
	subj := benchSubject(t, s, 1)
	r := mustScore(t, s, subj)
	subj.Inputs[3].Value = nil
	subj.Inputs[4].Value = huge(new(big.Int).Lsh(big.NewInt(1), 70), 0)
	if mustJSON(t, r) == "" || len(r.Items()) != 20 || len(r.Sections()) != 1 || len(r.Explanation()) == 0 {
		t.Fatal("breakdown incomplete")
	}
}
