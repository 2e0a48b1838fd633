package ssra

import "testing"

// TestWilsonFloatMatchesBig checks that the float64 fast path rounds every
// bound exactly as the 256-bit computation does.
func TestWilsonFloatMatchesBig(t *testing.T) {
	for n := int64(1); n <= 120; n++ {
		for k := int64(0); k <= n; k++ {
			lo, hi, ok := wilsonFloat(k, n, z95f)
			blo, bhi := wilsonBig(k, n, z95)
			if ok && (lo != blo || hi != bhi) {
				t.Fatalf("%d/%d: float [%d, %d], big [%d, %d]", k, n, lo, hi, blo, bhi)
			}
		}
	}
	for _, n := range []int64{1000, 1200, 5000, 100000, 1 << 30} {
		for _, k := range []int64{0, 1, n / 3, n / 2, n - 1, n} {
			lo, hi, ok := wilsonFloat(k, n, z95f)
			blo, bhi := wilsonBig(k, n, z95)
			if ok && (lo != blo || hi != bhi) {
				t.Fatalf("%d/%d: float [%d, %d], big [%d, %d]", k, n, lo, hi, blo, bhi)
			}
		}
	}
}
