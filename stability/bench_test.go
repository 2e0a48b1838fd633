package stability_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// Deadline computation. Baseline: the kernel's working-day counting alone,
// so the ratio shows the cost of the rule, explanation and roll-over.

func BenchmarkDeadlineBaselineAddWorkdays(b *testing.B) {
	cal := sampleCalendar(b)
	start := day("2026-04-30")
	for b.Loop() {
		_ = cal.AddWorkdays(start, 5)
	}
}

func BenchmarkDeadlineComputeWorkingDays(b *testing.B) {
	cal := sampleCalendar(b)
	p := preset(b, "xinfang2022")
	start := day("2026-04-30")
	for b.Loop() {
		if _, err := p.Compute("object_transfer", start, cal, stability.Adjustments{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDeadlineComputeExtendedPaused(b *testing.B) {
	cal := sampleCalendar(b)
	p := preset(b, "xinfang2022")
	start := day("2026-06-01")
	adj := stability.Adjustments{Pauses: []stability.Pause{{From: day("2026-06-10"), To: day("2026-06-12")}}}
	for b.Loop() {
		if _, err := p.Compute("rereview_decide", start, cal, adj); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDeadlinesStateless(b *testing.B) {
	cal := sampleCalendar(b)
	p := preset(b, "xinfang2022")
	for b.Loop() {
		if _, err := stability.Deadlines(p, stability.EventRegistered, day("2026-01-31"), cal); err != nil {
			b.Fatal(err)
		}
	}
}

// The overdue query over 1,000,000 cases. The cases are shallow copies of
// 1,460 distinct complaints registered on each day of 2026 in four states
// (registered, accepted, answered, closed), so that about half have an open
// duty past due on the query date. Baseline: a bare loop over a []int32 of
// the same length.

const million = 1_000_000

var (
	benchOnce  sync.Once
	benchCases []*stability.Complaint
	benchIndex *stability.DueIndex
	benchInts  []int32
)

func benchSetup(b *testing.B) {
	b.Helper()
	benchOnce.Do(func() {
		p := preset(b, "xinfang2022")
		cal := sampleCalendar(b)
		var templates []*stability.Complaint
		rnd := rand.NewChaCha8([32]byte{9})
		for d := 0; d < 365; d++ {
			reg := day("2026-01-01").AddDays(d)
			now := reg.Time(cst)
			for state := 0; state < 4; state++ {
				c, code, err := stability.NewComplaint(intake(), p, cal, rnd, now, clerk)
				if err != nil {
					panic(err)
				}
				if state >= 1 {
					mustBench(c.Accept(now, clerk))
				}
				if state >= 2 {
					mustBench(c.Answer(now.AddDate(0, 0, 20), clerk, opinion))
					mustBench(c.Rate(now.AddDate(0, 0, 21), code, stability.RatingSatisfied))
				}
				if state == 3 {
					mustBench(c.Close(now.AddDate(0, 0, 60), clerk, "期限届满"))
				}
				templates = append(templates, c)
			}
		}
		benchCases = make([]*stability.Complaint, million)
		for i := range benchCases {
			c := *templates[i%len(templates)]
			c.Ref = fmt.Sprintf("XF-%07d", i)
			benchCases[i] = &c
		}
		benchIndex = stability.NewDueIndex(benchCases)
		benchInts = make([]int32, million)
		for i := range benchInts {
			benchInts[i] = int32(i % 730)
		}
	})
}

func mustBench(err error) {
	if err != nil {
		panic(err)
	}
}

func BenchmarkOverdueBaselineScan1M(b *testing.B) {
	benchSetup(b)
	for b.Loop() {
		n := 0
		for _, v := range benchInts {
			if v < 365 {
				n++
			}
		}
		if n == 0 {
			b.Fatal("nothing found")
		}
	}
}

func BenchmarkOverdueIndex1M(b *testing.B) {
	benchSetup(b)
	now := at("2026-07-01")
	for b.Loop() {
		if len(benchIndex.Overdue(now)) == 0 {
			b.Fatal("nothing overdue")
		}
	}
}

func BenchmarkOverdueCases1M(b *testing.B) {
	benchSetup(b)
	now := at("2026-07-01")
	for b.Loop() {
		if len(stability.Overdue(benchCases, now)) == 0 {
			b.Fatal("nothing overdue")
		}
	}
}

func BenchmarkDueSoonCases1M(b *testing.B) {
	benchSetup(b)
	now := at("2026-07-01")
	for b.Loop() {
		if len(stability.DueSoon(benchCases, now, 7)) == 0 {
			b.Fatal("nothing due soon")
		}
	}
}

// TestOverdueIndexMatchesCases: the compact index and the full scan agree
// on the benchmark population (a guard that the fast path is the same query).
func TestOverdueIndexMatchesCases(t *testing.T) {
	p := preset(t, "xinfang2022")
	cal := sampleCalendar(t)
	var cases []*stability.Complaint
	for d := 0; d < 200; d++ {
		c, _, err := stability.NewComplaint(intake(), p, cal, rand.NewChaCha8([32]byte{byte(d)}), day("2026-01-01").AddDays(d).Time(cst), clerk)
		if err != nil {
			t.Fatal(err)
		}
		if d%3 == 0 {
			mustDo(t, c.Accept(day("2026-01-01").AddDays(d).Time(cst), clerk))
		}
		cases = append(cases, c)
	}
	x := stability.NewDueIndex(cases)
	for _, q := range []ssra.Date{day("2026-02-01"), day("2026-05-01"), day("2026-09-01")} {
		now := q.Time(cst)
		seen := map[string]bool{}
		for _, d := range stability.Overdue(cases, now) {
			seen[d.Ref] = true
		}
		got := x.Overdue(now)
		if len(got) != len(seen) {
			t.Fatalf("%s: index %d cases, scan %d", q, len(got), len(seen))
		}
		for _, i := range got {
			if !seen[x.Ref(i)] {
				t.Fatalf("%s: index found %s, scan did not", q, x.Ref(i))
			}
		}
	}
}
