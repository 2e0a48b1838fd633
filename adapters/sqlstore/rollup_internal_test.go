package sqlstore

import (
	"maps"
	"testing"
)

// TestCellCountsRoundTrip: a cell's counts read back as written, a metric
// with a backslash, a line feed or a space in a rule's name included, and
// counts of zero are not kept.
func TestCellCountsRoundTrip(t *testing.T) {
	counts := map[string]int64{
		"cases": 12, "days:0": 3, "days:17": 1, "backlog:accepted": 2,
		"duty:p/rule with space": 4, `met:p\x/r`: 1, "late:p/two\nlines": 5, "open:2026-03-02:p/r\\n": 7,
	}
	text := encodeCounts(counts)
	got, err := decodeCounts(text)
	if err != nil {
		t.Fatal(err)
	}
	if !maps.Equal(got, counts) {
		t.Fatalf("decodeCounts(encodeCounts(%v)) = %v (text %q)", counts, got, text)
	}
	addCount(got, "cases", -12)
	if _, ok := got["cases"]; ok {
		t.Fatal("a count brought to zero is kept")
	}
	if _, err := decodeCounts("cases"); err == nil {
		t.Fatal("a line without a count was read")
	}
}
