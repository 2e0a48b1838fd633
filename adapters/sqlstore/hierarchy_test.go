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
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/internal/caseseed"
	"github.com/ssra-go/ssra/stability"
)

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
		if got, want := above, []string{city.ID, province.ID}; err != nil || !slices.Equal(got, want) {
			t.Fatalf("OrganisationsAbove: got %v (%v), want %v", got, err, want)
		}
		below, err := s.OrganisationsBelow(ctx, province.ID)
		want := []string{city.ID, county.ID}
		slices.Sort(want)
		if got := below; err != nil || !slices.Equal(got, want) {
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
		if got, want := above, []string{city.ID, other.ID}; !slices.Equal(got, want) {
			t.Fatalf("after the move: above the county %v, want %v", got, want)
		}
		if below, _ := s.OrganisationsBelow(ctx, province.ID); len(below) != 0 {
			t.Fatalf("the old province still has %v below", below)
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
			if got, want := above, modelAbove(id); err != nil || !slices.Equal(got, want) {
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
			if got := below; err != nil || !slices.Equal(got, want) {
				t.Fatalf("below %s: got %v (%v), want %v", id, got, err, want)
			}
		}
	})
}

// TestMatterHoldings: the repeat-filing guard's question is answered for
// the organisations above and below the asking one (a line 0 → 1 → 2,
// and an organisation 3 outside it), with each holding's relation and
// name, and never for the asking organisation itself nor one outside its
// line; MatterCases gives the same holdings and List's cases in one
// question.
func TestMatterHoldings(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, _ *sql.DB) {
		ctx := context.Background()
		actors, err := caseseed.Orgs(ctx, s, "", 4)
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i <= 2; i++ {
			if _, err := s.SetOrganisationParent(ctx, sqlstore.System, actors[i].OrgID, actors[i-1].OrgID); err != nil {
				t.Fatal(err)
			}
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
			if _, err := s.Create(ctx, actors[i], "complaint.register", store.RecordComplaint, caseseed.ComplaintFields(c)); err != nil {
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
		file(3, "XF-H-6", matter, nil)

		key := matter.Key()
		held := func(i int, rel stability.Relation, state stability.RepeatState) stability.Holding {
			name, err := s.OrganisationName(ctx, actors[i].OrgID)
			if err != nil {
				t.Fatal(err)
			}
			return stability.Holding{MatterKey: key, Organ: actors[i].OrgID, Name: name, Relation: rel, State: state}
		}
		up, down := stability.RelationSuperior, stability.RelationSubordinate
		less := func(a, b stability.Holding) int {
			if a.Organ != b.Organ {
				return strings.Compare(a.Organ, b.Organ)
			}
			return int(a.State) - int(b.State)
		}
		for _, c := range []struct {
			asker string
			want  []stability.Holding
		}{
			{actors[0].OrgID, []stability.Holding{held(1, down, stability.RepeatConcluded), held(1, down, stability.RepeatRereviewed), held(2, down, stability.RepeatHandling)}},
			{actors[1].OrgID, []stability.Holding{held(0, up, stability.RepeatHandling), held(2, down, stability.RepeatHandling)}},
			{actors[2].OrgID, []stability.Holding{held(0, up, stability.RepeatHandling), held(1, up, stability.RepeatConcluded), held(1, up, stability.RepeatRereviewed)}},
			{actors[3].OrgID, nil},
			{"no-such-org", nil},
		} {
			got, err := s.MatterHoldings(ctx, key, c.asker)
			if err != nil {
				t.Fatal(err)
			}
			slices.SortFunc(got, less)
			slices.SortFunc(c.want, less)
			if !slices.Equal(got, c.want) {
				t.Fatalf("MatterHoldings asked by %s: got %+v, want %+v", c.asker, got, c.want)
			}
		}
		if got, err := s.MatterHoldings(ctx, "", actors[1].OrgID); err != nil || len(got) != 0 {
			t.Fatalf("empty key: %+v, %v", got, err)
		}

		// MatterCases answers, at once, what List of the matter's
		// complaints and MatterHoldings answer one after the other: an
		// organisation's own cases and those shared with it, never
		// another's; the holdings of its line. Organisation 3 shares its
		// case with 0, outside 0's line.
		page, err := s.List(ctx, actors[3], store.Query{Kind: store.RecordComplaint, Name: key})
		if err != nil || len(page.Records) != 1 {
			t.Fatalf("organisation 3's case: %+v, %v", page, err)
		}
		if err := s.Share(ctx, actors[3], store.RecordComplaint, page.Records[0].ID, actors[0].OrgID); err != nil {
			t.Fatal(err)
		}
		ids := func(rs []store.Record) []string {
			var out []string
			for _, r := range rs {
				out = append(out, r.ID+"@"+r.OrgID)
			}
			return out
		}
		wantOwn := map[int]int{0: 2, 1: 2, 2: 1, 3: 1}
		for i, a := range actors {
			for _, limit := range []int{500, 1} {
				own, got, err := s.MatterCases(ctx, a, key, limit)
				if err != nil {
					t.Fatal(err)
				}
				page, err := s.List(ctx, a, store.Query{Kind: store.RecordComplaint, Name: key, Limit: limit})
				if err != nil {
					t.Fatal(err)
				}
				if !slices.Equal(ids(own), ids(page.Records)) || len(own) != min(wantOwn[i], limit) {
					t.Fatalf("MatterCases' cases for organisation %d (limit %d): %v, List %v, want %d", i, limit, ids(own), ids(page.Records), min(wantOwn[i], limit))
				}
				for _, r := range own {
					if r.OrgID != a.OrgID && !(i == 0 && r.OrgID == actors[3].OrgID) {
						t.Fatalf("organisation %d was given a case of %s it may not see", i, r.OrgID)
					}
					if r.Name != key || r.Kind != store.RecordComplaint || len(r.Body) == 0 {
						t.Fatalf("organisation %d: a case read wrong: %+v", i, r)
					}
				}
				want, err := s.MatterHoldings(ctx, key, a.OrgID)
				if err != nil {
					t.Fatal(err)
				}
				slices.SortFunc(got, less)
				slices.SortFunc(want, less)
				if !slices.Equal(got, want) {
					t.Fatalf("MatterCases' holdings for organisation %d: %+v, want %+v", i, got, want)
				}
			}
		}
		if own, got, err := s.MatterCases(ctx, actors[1], "", 500); err != nil || len(own) != 0 || len(got) != 0 {
			t.Fatalf("MatterCases of an empty key: %v, %+v, %v", own, got, err)
		}
		if _, _, err := s.MatterCases(ctx, ssra.Actor{}, key, 500); err == nil {
			t.Fatal("MatterCases without an actor answered")
		}
	})
}
