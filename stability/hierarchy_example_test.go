package stability_test

import (
	"fmt"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// A matter the city bureau is handling is filed again at a county office
// below it: the store tells the guard only which organ holds the same
// matter key and how far the case got, and the refusal names that organ.
func ExampleCheckRepeatHierarchy() {
	m := stability.Matter{Type: stability.MatterClaim, Subject: "某物业公司", Facts: "小区电梯停运三个月未修复", Request: "责令物业修复电梯"}
	held := []stability.Holding{{MatterKey: m.Key(), Organ: "org-city", Name: "市信访局",
		Relation: stability.RelationSuperior, State: stability.RepeatHandling}}
	err := stability.CheckRepeatHierarchy(m, held)
	fmt.Println(ssra.KindOf(err))
	for _, p := range ssra.ProblemsOf(err) {
		fmt.Println(p.Code+":", p.Message)
	}
	// Output:
	// conflict
	// complaint.repeat_in_progress: the same matter is being handled by a superior organ (市信访局); it is not accepted again while it is
}

// A report about the housing bureau may go up to the county government
// above it, but not down to the quality station it directs.
func ExampleMatter_CheckRoute_hierarchy() {
	m := stability.Matter{Type: stability.MatterReport, Subject: "某科长", SubjectOrg: "org-zjj", Facts: "收受工程款回扣"}
	gov := stability.Organ{ID: "org-gov", Name: "县政府"}
	bureau := stability.Organ{ID: "org-zjj", Name: "县住建局"}
	up := stability.Destination{Organ: gov.ID, Name: gov.Name}
	down := stability.Destination{Organ: "org-zlz", Name: "县建设工程质量站", Above: []stability.Organ{bureau, gov}}
	fmt.Println("up:", up.Organ, m.CheckRoute(up) == nil)
	for _, p := range ssra.ProblemsOf(m.CheckRoute(down)) {
		fmt.Println("down:", p.Code+":", p.Message)
	}
	// Output:
	// up: org-gov true
	// down: complaint.route_to_subject: an organisation above the receiving one (org-zjj), which directs it, is the organisation the report is about
}
