package sqlstore

import (
	"encoding/json"
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

// TestDutiesJSONIsMarshal: the duties column appended by hand is what
// encoding/json gives, for names that need escaping too.
func TestDutiesJSONIsMarshal(t *testing.T) {
	for _, ds := range [][]dutyCount{
		nil,
		{{"xinfang2022", "conclude", "open", "2026-03-01"}},
		{{"p\"q", "r\\s<t>&", "late", "2026-01-02"}, {"省级\n规定", "办理\u2028", "met", "2026-12-31"}, {"\x01", "", "", ""}},
	} {
		got, err := caseCounts{duties: ds}.dutiesJSON()
		if err != nil {
			t.Fatal(err)
		}
		want := "[]"
		if len(ds) > 0 {
			b, err := json.Marshal(ds)
			if err != nil {
				t.Fatal(err)
			}
			want = string(b)
		}
		if got != want {
			t.Fatalf("dutiesJSON(%q) = %s, want %s", ds, got, want)
		}
	}
}

// TestMergeTexts: SQLite's rollup_merge adds a text of differences to a
// cell's text as the map sum does, in order or not, dropping counts that
// reach zero, and refuses a malformed text.
func TestMergeTexts(t *testing.T) {
	cell := encodeCounts(map[string]int64{"cases": 3, "days:4": 1, "open:2026-03-01:x/conclude": 2, "rating:satisfied": 1})
	for _, tc := range []struct {
		diff map[string]int64
		text string
	}{
		{map[string]int64{"cases": 1, "days:5": 1}, "cases 1\ndays:5 1"},
		{map[string]int64{"cases": -1, "days:4": -1, "a\\b\nc": 2}, "days:4 -1\ncases -1\na\\\\b\\nc 2"}, // out of order
		{map[string]int64{"cases": -3, "days:4": -1, "open:2026-03-01:x/conclude": -2, "rating:satisfied": -1}, encodeCounts(map[string]int64{"cases": -3, "days:4": -1, "open:2026-03-01:x/conclude": -2, "rating:satisfied": -1})},
	} {
		got, err := mergeTexts(cell, tc.text)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := decodeCounts(cell)
		for m, n := range tc.diff {
			addCount(want, m, n)
		}
		if got != encodeCounts(want) {
			t.Fatalf("mergeTexts(%q, %q) = %q, want %q", cell, tc.text, got, encodeCounts(want))
		}
	}
	if _, err := mergeTexts(cell, "cases"); err == nil {
		t.Fatal("a malformed difference was merged")
	}
}
