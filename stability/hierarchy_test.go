package stability_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// The county government directs the housing bureau, which directs its
// quality station; the water company stands beside the bureau.
var (
	countyGov = stability.Organ{ID: "org-gov", Name: "县政府",
		Users: []stability.Member{{ID: "u-zhao", Name: "赵县长"}}}
	qualityStation = stability.Destination{Organ: "org-zlz", Name: "县建设工程质量站",
		Users: []stability.Member{{ID: "u-sun", Name: "孙站长"}},
		Above: []stability.Organ{{ID: housingBureau.Organ, Name: housingBureau.Name, Users: housingBureau.Users}, countyGov}}
	countyGovDest = stability.Destination{Organ: countyGov.ID, Name: countyGov.Name, Users: countyGov.Users}
	waterCompany  = stability.Destination{Organ: "org-water", Name: "自来水公司",
		Users: []stability.Member{{ID: "u-qian", Name: "钱经理"}}, Above: []stability.Organ{countyGov}}
)

func TestRouteRefusesBelowTheSubject(t *testing.T) {
	for _, tc := range []struct {
		name                     string
		subject, subjUser, subjO string
		to                       stability.Destination
		code                     string
	}{
		{"below the subject organisation", "某单位", "", "org-zjj", qualityStation, "complaint.route_to_subject"},
		{"two levels below the subject organisation", "某单位", "", "org-gov", qualityStation, "complaint.route_to_subject"},
		{"below the subject user's organisation", "某领导", "u-chen", "", qualityStation, "complaint.route_to_subject"},
		{"below an organisation whose user is the subject", "某领导", "u-zhao", "", waterCompany, "complaint.route_to_subject"},
		{"free text names an organisation above", "县住建局", "", "", qualityStation, "complaint.route_to_subject"},
		{"free text names a user above, spelled apart", "Chen\u200b  WEI", "", "", qualityStation, "complaint.route_to_subject"},
		{"free text contains an organisation above", "县政府办公室主任", "", "", waterCompany, "complaint.route_to_possible_subject"},
		{"up to the body above the subject organisation", "某单位", "", "org-zjj", countyGovDest, ""},
		{"up to the body above the subject user", "某领导", "u-chen", "", countyGovDest, ""},
		{"beside the subject organisation", "某单位", "", "org-zjj", waterCompany, ""},
		{"beside the subject user's organisation", "某领导", "u-sun", "", waterCompany, ""},
		{"up to the body above the subject, whose user is the subject", "某领导", "u-zhao", "", countyGovDest, "complaint.route_to_subject"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := report(t, tc.subject, tc.subjUser, tc.subjO)
			err := c.Matter.CheckRoute(tc.to)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("route refused: %v", err)
				}
				return
			}
			wantErr(t, err, ssra.KindInvalid, tc.code)
			wantErr(t, c.Route(at("2026-03-03"), clerk, tc.to, stability.RouteTransfer), ssra.KindInvalid, tc.code)
			if c.Organ == tc.to.Organ || c.Status != stability.StatusRegistered {
				t.Fatalf("refused route still moved the case: organ %s, status %s", c.Organ, c.Status)
			}
		})
	}
}

// tree is a random organisation hierarchy: parent[i] is the index of
// organisation i's parent, -1 for a root; user i belongs to
// organisation userOrg[i].
type tree struct {
	parent, userOrg []int
}

func randomTree(r *rand.Rand) tree {
	n := 1 + r.IntN(12)
	t := tree{parent: make([]int, n), userOrg: make([]int, 1+r.IntN(2*n))}
	for i := range t.parent {
		t.parent[i] = -1
		if i > 0 && r.IntN(5) > 0 {
			t.parent[i] = r.IntN(i)
		}
	}
	for i := range t.userOrg {
		t.userOrg[i] = r.IntN(n)
	}
	return t
}

// above lists the ancestors of organisation i, its parent first.
func (t tree) above(i int) []int {
	var out []int
	for p := t.parent[i]; p >= 0; p = t.parent[p] {
		out = append(out, p)
	}
	return out
}

func (t tree) organ(i int) stability.Organ {
	o := stability.Organ{ID: fmt.Sprintf("org-%d", i), Name: fmt.Sprintf("第%d单位", i)}
	for u, org := range t.userOrg {
		if org == i {
			o.Users = append(o.Users, stability.Member{ID: fmt.Sprintf("u-%d", u), Name: fmt.Sprintf("用户%d号", u)})
		}
	}
	return o
}

func (t tree) destination(i int) stability.Destination {
	o := t.organ(i)
	d := stability.Destination{Organ: o.ID, Name: o.Name, Users: o.Users}
	for _, a := range t.above(i) {
		d.Above = append(d.Above, t.organ(a))
	}
	return d
}

// TestPropertyRouteInRandomTrees checks, over random hierarchies, that a
// report about an organisation or a user (by identifier, with a free text
// that names nobody) is refused at exactly the destinations that are the
// subject's organisation or lie below it, and allowed everywhere else.
func TestPropertyRouteInRandomTrees(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 20))
	for range 300 {
		tr := randomTree(r)
		byUser := r.IntN(2) == 0
		subjectOrg := r.IntN(len(tr.parent))
		var m stability.Matter
		if byUser {
			u := r.IntN(len(tr.userOrg))
			subjectOrg = tr.userOrg[u]
			m = stability.Matter{Type: stability.MatterReport, Subject: "无关对象", SubjectUser: fmt.Sprintf("u-%d", u)}
		} else {
			m = stability.Matter{Type: stability.MatterReport, Subject: "无关对象", SubjectOrg: fmt.Sprintf("org-%d", subjectOrg)}
		}
		for d := range tr.parent {
			want := d == subjectOrg || slices.Contains(tr.above(d), subjectOrg)
			err := m.CheckRoute(tr.destination(d))
			if got := err != nil; got != want {
				t.Fatalf("tree %v users %v, subject %+v, destination org-%d: refused %v (%v), want %v", tr.parent, tr.userOrg, m, d, got, err, want)
			}
			if err != nil && ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("refusal of kind %s: %v", ssra.KindOf(err), err)
			}
		}
	}
}

func TestRepeatState(t *testing.T) {
	p := preset(t, "xinfang2022")
	c, _ := newCase(t, p, "2026-03-02")
	if got, want := c.RepeatState(), stability.RepeatHandling; got != want {
		t.Fatalf("registered: got %s, want %s", got, want)
	}
	c = answered(t, p, "2026-04-01")
	if got, want := c.RepeatState(), stability.RepeatHandling; got != want {
		t.Fatalf("answered: got %s, want %s", got, want)
	}
	mustDo(t, c.Close(at("2026-05-20"), head, "答复后终结"))
	if got, want := c.RepeatState(), stability.RepeatConcluded; got != want {
		t.Fatalf("closed without re-review: got %s, want %s", got, want)
	}
	c = answered(t, p, "2026-04-01")
	mustDo(t, c.RequestReview(at("2026-04-02"), citizen))
	mustDo(t, c.DecideReview(at("2026-04-20"), head, opinion))
	mustDo(t, c.RequestRereview(at("2026-04-21"), citizen))
	mustDo(t, c.DecideRereview(at("2026-05-06"), head, opinion))
	mustDo(t, c.Close(at("2026-05-06"), head, "复核终结"))
	if got, want := c.RepeatState(), stability.RepeatRereviewed; got != want {
		t.Fatalf("closed after re-review: got %s, want %s", got, want)
	}
}

// TestRepeatHierarchyGuard is issue 20's finding: a matter handled by a
// superior organ was accepted again below, because the guard saw only the
// registering organ's own cases.
func TestRepeatHierarchyGuard(t *testing.T) {
	m := intake().Matter
	key := m.Key()
	for _, tc := range []struct {
		name string
		held []stability.Holding
		code string
		says string
	}{
		{"handled above", []stability.Holding{{MatterKey: key, Organ: "org-city", Name: "市信访局", Relation: stability.RelationSuperior, State: stability.RepeatHandling}},
			"complaint.repeat_in_progress", "a superior organ (市信访局)"},
		{"handled below", []stability.Holding{{MatterKey: key, Organ: "org-town", Name: "镇信访办", Relation: stability.RelationSubordinate, State: stability.RepeatHandling}},
			"complaint.repeat_in_progress", "a subordinate organ (镇信访办)"},
		{"re-reviewed above, concluded below", []stability.Holding{
			{MatterKey: key, Organ: "org-town", Name: "镇信访办", Relation: stability.RelationSubordinate, State: stability.RepeatConcluded},
			{MatterKey: key, Organ: "org-prov", Name: "省信访局", Relation: stability.RelationSuperior, State: stability.RepeatRereviewed}},
			"complaint.repeat_after_rereview", "a superior organ (省信访局)"},
		{"re-review outweighs handling", []stability.Holding{
			{MatterKey: key, Organ: "org-town", Relation: stability.RelationSubordinate, State: stability.RepeatHandling},
			{MatterKey: key, Organ: "org-prov", Relation: stability.RelationSuperior, State: stability.RepeatRereviewed}},
			"complaint.repeat_after_rereview", "a superior organ (org-prov)"},
		{"concluded above", []stability.Holding{{MatterKey: key, Organ: "org-city", Relation: stability.RelationSuperior, State: stability.RepeatConcluded}}, "", ""},
		{"another matter above", []stability.Holding{{MatterKey: "other", Organ: "org-city", Relation: stability.RelationSuperior, State: stability.RepeatHandling}}, "", ""},
		{"no relation said", []stability.Holding{{MatterKey: key, Organ: "org-x", State: stability.RepeatHandling}}, "", ""},
		{"nothing held", nil, "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := stability.CheckRepeatHierarchy(m, tc.held)
			if tc.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantErr(t, err, ssra.KindConflict, tc.code)
			b, _ := json.Marshal(err)
			if !strings.Contains(err.Error()+string(b), tc.says) {
				t.Fatalf("refusal %v does not say %q", err, tc.says)
			}
		})
	}
}

// TestRepeatRefusalNamesNoCase checks that a refusal across the hierarchy
// carries nothing of the other body's case: the holding has no field for
// it, and the message holds no matter text, key or person.
func TestRepeatRefusalNamesNoCase(t *testing.T) {
	c := answered(t, preset(t, "xinfang2022"), "2026-04-01")
	held := []stability.Holding{{MatterKey: c.MatterKey, Organ: "org-city", Name: "市信访局", Relation: stability.RelationSuperior, State: c.RepeatState()}}
	err := stability.CheckRepeatHierarchy(c.Matter, held)
	wantErr(t, err, ssra.KindConflict, "complaint.repeat_in_progress")
	var e *ssra.Error
	if !errors.As(err, &e) {
		t.Fatalf("not an *ssra.Error: %T", err)
	}
	text := e.Error()
	for _, p := range e.Problems {
		text += p.Message + p.Field
	}
	for _, secret := range []string{c.Ref, c.MatterKey, c.Matter.Facts, c.Matter.Request, c.Complainants[0].Name, c.Complainants[0].Phone} {
		if secret != "" && strings.Contains(text, secret) {
			t.Fatalf("refusal %q exposes %q", text, secret)
		}
	}
}

func TestRepeatEnumsRefuseUnknown(t *testing.T) {
	var s stability.RepeatState
	var r stability.Relation
	for _, bad := range []string{"", "open", "Superior"} {
		if s.UnmarshalText([]byte(bad)) == nil || r.UnmarshalText([]byte(bad)) == nil {
			t.Fatalf("%q accepted", bad)
		}
	}
	if _, err := stability.RepeatState(0).MarshalText(); err == nil {
		t.Fatal("unset repeat state encoded")
	}
	if _, err := stability.Relation(0).MarshalText(); err == nil {
		t.Fatal("unset relation encoded")
	}
	for _, v := range []stability.Relation{stability.RelationSuperior, stability.RelationSubordinate} {
		b, err := v.MarshalText()
		var back stability.Relation
		if err != nil || back.UnmarshalText(b) != nil || back != v {
			t.Fatalf("%s does not round-trip: %s %v", v, b, err)
		}
	}
}
