package sqlstore

import (
	"maps"
	"math/rand/v2"
	"sort"
	"strings"
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

// TestMergeCountsIsTheSum: merging a write's differences into a cell's
// text line by line gives what summing them through the decoded counts
// gives (new metrics, counts brought to zero, escaped metrics, an emptied
// cell), and so does a text whose lines are out of order.
func TestMergeCountsIsTheSum(t *testing.T) {
	metrics := []string{"cases", "handled", "days:3", "days:30", "days:4", "backlog:accepted", "duty:p/r", "met:p/r",
		"open:2026-03-02:p/r", "open:2026-03-10:p/r", `late:p\x/r`, "duty:p/two\nlines", "rating:satisfied"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 2000 {
		counts := map[string]int64{}
		for _, m := range metrics {
			if r.IntN(2) == 0 {
				counts[m] = int64(1 + r.IntN(5))
			}
		}
		text := encodeCounts(counts)
		if i%10 == 9 && len(counts) > 1 {
			// The same lines in reverse order.
			lines := strings.Split(text, "\n")
			sort.Sort(sort.Reverse(sort.StringSlice(lines)))
			text = strings.Join(lines, "\n")
		}
		diff := map[rollupKey]int64{}
		var keys []rollupKey
		for _, m := range metrics {
			if r.IntN(3) == 0 {
				k := rollupKey{"o", "2026-03", "complaint", m}
				n := int64(r.IntN(5) - 2)
				if r.IntN(2) == 0 {
					n = -counts[m] // brought to zero
				}
				if n != 0 {
					diff[k] = n
					keys = append(keys, k)
				}
			}
		}
		sort.Slice(keys, func(i, j int) bool { return keys[i].metric < keys[j].metric })
		want := maps.Clone(counts)
		for _, k := range keys {
			addCount(want, k.metric, diff[k])
		}
		got, err := mergeCounts(text, keys, diff)
		if err != nil {
			t.Fatal(err)
		}
		if got != encodeCounts(want) {
			t.Fatalf("mergeCounts(%q, %v) = %q, want %q", text, diff, got, encodeCounts(want))
		}
	}
	if _, err := mergeCounts("cases", nil, nil); err == nil {
		t.Fatal("a line without a count was merged")
	}
}
