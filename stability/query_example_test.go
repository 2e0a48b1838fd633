package stability_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/ssra-go/ssra/stability"
)

// queryExampleCases are two complaints registered on 2 and 9 March 2026:
// the first accepted and notified on time, the second left as it came in.
func queryExampleCases() []*stability.Complaint {
	cst := time.FixedZone("CST", 8*3600)
	on := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 10, 0, 0, 0, cst) }
	p, _ := stability.Preset("xinfang2022")
	staff := stability.Participant{ID: "s1", Name: "王科员", Unit: "县住建局", Role: stability.RoleStaff}
	var cases []*stability.Complaint
	for i, day := range []int{2, 9} {
		c, _, err := stability.NewComplaint(stability.Intake{
			Channel:      stability.ChannelOnline,
			Matter:       stability.Matter{Type: stability.MatterClaim, Subject: "某物业公司", Facts: "电梯停运", Request: "修复电梯"},
			Complainants: []stability.Person{{Name: "张三"}},
			Organ:        "县住建局",
		}, p, exampleCalendar(), rand.NewChaCha8([32]byte{byte(i)}), on(time.March, day), staff)
		if err != nil {
			fmt.Println(err)
			return nil
		}
		cases = append(cases, c)
	}
	_ = cases[0].Accept(on(time.March, 2), staff)
	_ = cases[0].Notify(on(time.March, 3), staff, "书面告知已受理")
	return cases
}

// Overdue lists the open duties past their due date on 30 March 2026.
func ExampleOverdue() {
	for _, d := range stability.Overdue(queryExampleCases(), time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)) {
		fmt.Println(d.Rule, d.Due, d.DaysLate)
	}
	// Output:
	// route 2026-03-24 6
	// notify 2026-03-24 6
}

// DueSoon lists the open duties due within the next 15 days of 12 March
// 2026.
func ExampleDueSoon() {
	for _, d := range stability.DueSoon(queryExampleCases(), time.Date(2026, 3, 12, 9, 0, 0, 0, time.UTC), 15) {
		fmt.Println(d.Rule, d.Due, d.DaysLate)
	}
	// Output:
	// route 2026-03-24 -12
	// notify 2026-03-24 -12
}

// OnTimeRates gives, per statutory limit, the duties met on time, late and
// overdue, and the on-time share with its interval.
func ExampleOnTimeRates() {
	for _, r := range stability.OnTimeRates(queryExampleCases(), time.Date(2026, 3, 30, 9, 0, 0, 0, time.UTC)) {
		share := "none due"
		if r.Rate != nil {
			share = r.Rate.Value.String()
		}
		fmt.Println(r.Rule, r.Met, r.Late, r.Overdue, share)
	}
	// Output:
	// conclude 0 0 0 none due
	// notify 1 0 1 0.5
	// route 1 0 1 0.5
}
