package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/internal/caseseed"
	"github.com/ssra-go/ssra/stability"
)

func ids(os []sqlstore.Organisation) []string {
	out := make([]string, len(os))
	for i, o := range os {
		out[i] = o.ID
	}
	return out
}

func wantProblem(t *testing.T, what string, err error, kind ssra.Kind, code string) {
	t.Helper()
	wantKind(t, what, err, kind)
	for _, p := range ssra.ProblemsOf(err) {
		if p.Code == code && p.Field == "parent" {
			return
		}
	}
	t.Fatalf("%s: %v has no problem %s on field parent", what, err, code)
}

func TestOrganisationHierarchy(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		province, err := s.CreateOrganisation(ctx, sqlstore.System, "省信访局")
		if err != nil {
			t.Fatal(err)
		}
		city, err := s.CreateOrganisationUnder(ctx, sqlstore.System, "市信访局", province.ID)
		if err != nil || city.Parent != province.ID {
			t.Fatalf("CreateOrganisationUnder: %+v, %v", city, err)
		}
		county, err := s.CreateOrganisationUnder(ctx, sqlstore.System, "县信访局", city.ID)
		if err != nil {
			t.Fatal(err)
		}
		other, err := s.CreateOrganisation(ctx, sqlstore.System, "另一省信访局")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := s.Organisation(ctx, county.ID); err != nil || got.Parent != city.ID {
			t.Fatalf("Organisation: %+v, %v", got, err)
		}
		above, err := s.OrganisationsAbove(ctx, county.ID)
		if got, want := ids(above), []string{city.ID, province.ID}; err != nil || !slices.Equal(got, want) {
			t.Fatalf("OrganisationsAbove: got %v (%v), want %v", got, err, want)
		}
		below, err := s.OrganisationsBelow(ctx, province.ID)
		want := []string{city.ID, county.ID}
		slices.Sort(want)
		if got := ids(below); err != nil || !slices.Equal(got, want) {
			t.Fatalf("OrganisationsBelow: got %v (%v), want %v", got, err, want)
		}
		if got, err := s.OrganisationsAbove(ctx, province.ID); err != nil || len(got) != 0 {
			t.Fatalf("a root has organisations above: %v, %v", got, err)
		}

		_, err = s.SetOrganisationParent(ctx, sqlstore.System, province.ID, county.ID)
		wantProblem(t, "a descendant as parent", err, ssra.KindInvalid, "organisation.parent_cycle")
		_, err = s.SetOrganisationParent(ctx, sqlstore.System, city.ID, city.ID)
		wantProblem(t, "itself as parent", err, ssra.KindInvalid, "organisation.parent_cycle")
		_, err = s.SetOrganisationParent(ctx, sqlstore.System, city.ID, "no-such-org")
		wantProblem(t, "an unknown parent", err, ssra.KindInvalid, "organisation.parent_unknown")
		_, err = s.CreateOrganisationUnder(ctx, sqlstore.System, "孤儿局", "no-such-org")
		wantProblem(t, "created under an unknown parent", err, ssra.KindInvalid, "organisation.parent_unknown")
		if os, _ := s.Organisations(ctx); len(os) != 4 {
			t.Fatalf("a refused creation left %d organisations, want 4", len(os))
		}
		_, err = s.SetOrganisationParent(ctx, sqlstore.System, "no-such-org", city.ID)
		wantKind(t, "an unknown organisation", err, ssra.KindNotFound)
		admin, err := s.CreateUser(ctx, sqlstore.System, city.ID, "管理员", []ssra.Role{ssra.RoleAdmin})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.SetOrganisationParent(ctx, ssra.Actor{UserID: admin.ID, OrgID: city.ID}, city.ID, other.ID)
		wantKind(t, "an organisation's admin moves it", err, ssra.KindForbidden)
		_, err = s.CreateOrganisationUnder(ctx, ssra.Actor{UserID: admin.ID, OrgID: city.ID}, "下级", city.ID)
		wantKind(t, "an organisation's admin creates one", err, ssra.KindForbidden)
		_, err = s.OrganisationsAbove(ctx, "no-such-org")
		wantKind(t, "above an unknown organisation", err, ssra.KindNotFound)
		_, err = s.OrganisationsBelow(ctx, "no-such-org")
		wantKind(t, "below an unknown organisation", err, ssra.KindNotFound)

		// Moving the city under the other province moves its county too.
		moved, err := s.SetOrganisationParent(ctx, sqlstore.System, city.ID, other.ID)
		if err != nil || moved.Parent != other.ID {
			t.Fatalf("SetOrganisationParent: %+v, %v", moved, err)
		}
		above, _ = s.OrganisationsAbove(ctx, county.ID)
		if got, want := ids(above), []string{city.ID, other.ID}; !slices.Equal(got, want) {
			t.Fatalf("after the move: above the county %v, want %v", got, want)
		}
		if below, _ := s.OrganisationsBelow(ctx, province.ID); len(below) != 0 {
			t.Fatalf("the old province still has %v below", ids(below))
		}
		root, err := s.SetOrganisationParent(ctx, sqlstore.System, city.ID, "")
		if err != nil || root.Parent != "" {
			t.Fatalf("clearing the parent: %+v, %v", root, err)
		}
		os, err := s.Organisations(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range os {
			if o.ID == county.ID && o.Parent != city.ID {
				t.Fatalf("Organisations lists the county with parent %q", o.Parent)
			}
		}
		var n int
		if err := raw.QueryRow(`SELECT COUNT(*) FROM organisations WHERE parent_id IS NOT NULL`).Scan(&n); err != nil || n != 1 {
			t.Fatalf("organisations with a parent: %d (%v), want 1", n, err)
		}
		verifyOK(t, s)
	})
}

// TestPropertyHierarchyHasNoCycle sets random parents and holds the store
// to a model: a change is refused exactly when it would make a cycle, and
// the organisations above and below each one are the model's.
func TestPropertyHierarchyHasNoCycle(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, _ *sql.DB) {
		ctx := context.Background()
		r := rand.New(rand.NewPCG(20, 6))
		const n = 7
		orgs := make([]string, n)
		parent := map[string]string{}
		for i := range orgs {
			o, err := s.CreateOrganisation(ctx, sqlstore.System, fmt.Sprintf("单位%d", i))
			if err != nil {
				t.Fatal(err)
			}
			orgs[i] = o.ID
		}
		modelAbove := func(id string) []string {
			var out []string
			for p := parent[id]; p != ""; p = parent[p] {
				out = append(out, p)
			}
			return out
		}
		for step := range 60 {
			id, p := orgs[r.IntN(n)], orgs[r.IntN(n)]
			if r.IntN(6) == 0 {
				p = ""
			}
			cycle := p == id || slices.Contains(modelAbove(p), id)
			_, err := s.SetOrganisationParent(ctx, sqlstore.System, id, p)
			if cycle {
				wantProblem(t, fmt.Sprintf("step %d", step), err, ssra.KindInvalid, "organisation.parent_cycle")
				continue
			}
			if err != nil {
				t.Fatalf("step %d: %v", step, err)
			}
			parent[id] = p
		}
		for _, id := range orgs {
			above, err := s.OrganisationsAbove(ctx, id)
			if got, want := ids(above), modelAbove(id); err != nil || !slices.Equal(got, want) {
				t.Fatalf("above %s: got %v (%v), want %v", id, got, err, want)
			}
			var want []string
			for _, o := range orgs {
				if slices.Contains(modelAbove(o), id) {
					want = append(want, o)
				}
			}
			slices.Sort(want)
			below, err := s.OrganisationsBelow(ctx, id)
			if got := ids(below); err != nil || !slices.Equal(got, want) {
				t.Fatalf("below %s: got %v (%v), want %v", id, got, err, want)
			}
		}
	})
}

func TestMatterHoldings(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, _ *sql.DB) {
		ctx := context.Background()
		actors, err := caseseed.Orgs(ctx, s, "", 3)
		if err != nil {
			t.Fatal(err)
		}
		prof, _ := stability.Preset("xinfang2022")
		clerk := stability.Participant{ID: "clerk", Name: "办理人", Role: stability.RoleStaff}
		t0 := mustDate("2026-03-02").Time(cst).Add(10 * time.Hour)
		matter := stability.Matter{Type: stability.MatterClaim, Facts: "同一事项", Request: "同一请求"}
		file := func(i int, ref string, m stability.Matter, change func(c *stability.Complaint)) {
			t.Helper()
			in := stability.Intake{Ref: ref, QueryCode: "QC", Channel: stability.ChannelLetter, Organ: actors[i].OrgID,
				Matter: m, Complainants: []stability.Person{{Name: "来信人"}}}
			c, _, err := stability.NewComplaint(in, prof, ssra.Calendar{}, nil, t0, clerk)
			if err != nil {
				t.Fatal(err)
			}
			if change != nil {
				change(c)
			}
			if _, err := s.Create(ctx, actors[i], "complaint.register", sqlstore.RecordComplaint, caseseed.ComplaintFields(c)); err != nil {
				t.Fatal(err)
			}
		}
		file(0, "XF-H-1", matter, nil)
		file(1, "XF-H-2", matter, func(c *stability.Complaint) {
			if err := c.Refer(t0.Add(time.Hour), clerk, "某法院"); err != nil {
				t.Fatal(err)
			}
		})
		file(1, "XF-H-3", matter, func(c *stability.Complaint) {
			c.Rereview = &stability.Opinion{Outcome: stability.OutcomeSupport, Text: "复核意见", LegalBasis: "条例"}
		})
		other := matter
		other.Request = "另一请求"
		file(2, "XF-H-4", other, nil)
		file(2, "XF-H-5", matter, nil)

		key := matter.Key()
		// Organisations beyond the first chunk and unknown identifiers
		// change nothing.
		asked := []string{actors[0].OrgID, actors[1].OrgID}
		for i := range 1200 {
			asked = append(asked, fmt.Sprintf("no-such-org-%d", i))
		}
		asked = append(asked, actors[2].OrgID)
		got, err := s.MatterHoldings(ctx, key, asked)
		if err != nil {
			t.Fatal(err)
		}
		want := []stability.Holding{
			{MatterKey: key, Organ: actors[0].OrgID, State: stability.RepeatHandling},
			{MatterKey: key, Organ: actors[1].OrgID, State: stability.RepeatConcluded},
			{MatterKey: key, Organ: actors[1].OrgID, State: stability.RepeatRereviewed},
			{MatterKey: key, Organ: actors[2].OrgID, State: stability.RepeatHandling},
		}
		less := func(a, b stability.Holding) int {
			if a.Organ != b.Organ {
				return strings.Compare(a.Organ, b.Organ)
			}
			return int(a.State) - int(b.State)
		}
		slices.SortFunc(got, less)
		slices.SortFunc(want, less)
		if !slices.Equal(got, want) {
			t.Fatalf("MatterHoldings: got %+v, want %+v", got, want)
		}
		got, err = s.MatterHoldings(ctx, key, []string{actors[1].OrgID})
		if err != nil || len(got) != 2 {
			t.Fatalf("one organisation asked: %+v, %v", got, err)
		}
		for _, q := range [][]string{nil, {"no-such-org"}} {
			if got, err := s.MatterHoldings(ctx, key, q); err != nil || len(got) != 0 {
				t.Fatalf("asked %v: %+v, %v", q, got, err)
			}
		}
		if got, err := s.MatterHoldings(ctx, "", asked); err != nil || len(got) != 0 {
			t.Fatalf("empty key: %+v, %v", got, err)
		}
	})
}
