package sqlstore_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/internal/casegen"
	"github.com/ssra-go/ssra/internal/caseseed"
	"github.com/ssra-go/ssra/stability"
)

var cst = time.FixedZone("CST", 8*3600)

func mustDate(s string) ssra.Date {
	d, err := ssra.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// seeded writes n synthetic cases through the write path, transition by
// transition, at three organisations, and returns what was written.
func seeded(t *testing.T, s *sqlstore.Store, seed uint64, n int) ([]ssra.Actor, []*stability.Complaint, []*stability.Dispute, time.Time) {
	t.Helper()
	sd := newSeeder(t, s, seed)
	sd.write(n)
	return sd.actors, sd.cs, sd.ds, sd.now
}

// seeder writes synthetic cases as seeded does, a batch at a time, and
// keeps all it wrote.
type seeder struct {
	t      *testing.T
	g      *casegen.Gen
	w      *caseseed.Writer
	next   int
	actors []ssra.Actor
	cs     []*stability.Complaint
	ds     []*stability.Dispute
	now    time.Time
}

func newSeeder(t *testing.T, s *sqlstore.Store, seed uint64) *seeder {
	t.Helper()
	actors, err := caseseed.Orgs(context.Background(), s, "", 3)
	if err != nil {
		t.Fatal(err)
	}
	now := mustDate("2026-12-20").Time(cst).Add(10 * time.Hour)
	g, err := casegen.New(seed, caseseed.OrgIDs(actors), ssra.Calendar{}, mustDate("2026-01-01"), 365, now)
	if err != nil {
		t.Fatal(err)
	}
	return &seeder{t: t, g: g, w: caseseed.NewWriter(s, actors), actors: actors, now: now}
}

// write writes n more cases.
func (sd *seeder) write(n int) {
	sd.t.Helper()
	ctx := context.Background()
	for end := sd.next + n; sd.next < end; sd.next++ {
		if sd.g.Rand.IntN(4) == 0 {
			d, err := sd.w.Dispute(ctx, sd.g, sd.next)
			if err != nil {
				sd.t.Fatal(err)
			}
			sd.ds = append(sd.ds, d)
			continue
		}
		c, err := sd.w.Complaint(ctx, sd.g, sd.next)
		if err != nil {
			sd.t.Fatal(err)
		}
		sd.cs = append(sd.cs, c)
	}
}

// newClaim registers a claim complaint ref at organisation org, by clerk,
// on 2 March 2026 at 10:00 (China time), under the xinfang2022 profile,
// and returns it with that time.
func newClaim(t *testing.T, ref, org string, clerk stability.Participant) (*stability.Complaint, time.Time) {
	t.Helper()
	prof, _ := stability.Preset("xinfang2022")
	in := stability.Intake{Ref: ref, QueryCode: "QC", Channel: stability.ChannelLetter, Organ: org,
		Matter:       stability.Matter{Type: stability.MatterClaim, Facts: "合成事项", Request: "请求"},
		Complainants: []stability.Person{{Name: "来信人0001"}}}
	t0 := mustDate("2026-03-02").Time(cst).Add(10 * time.Hour)
	c, _, err := stability.NewComplaint(in, prof, ssra.Calendar{}, nil, t0, clerk)
	if err != nil {
		t.Fatal(err)
	}
	return c, t0
}

// sameFigures compares the store's figures with the domain's, byte for
// byte in JSON (decimals exact).
func sameFigures(t *testing.T, what string, got map[stability.GroupKey]stability.Tally, want []stability.Group) {
	t.Helper()
	g, _ := json.Marshal(stability.GroupFigures(got))
	w, _ := json.Marshal(want)
	if string(g) != string(w) {
		t.Fatalf("%s: the store's figures differ from stability.MeasureCases:\nstore:  %s\ndomain: %s", what, g, w)
	}
}

// TestCaseStatsEqualMeasureCases is the property: over random case sets,
// filters and groupings, the figures summed in the database are exactly
// the figures the domain computes from the case bodies.
func TestCaseStatsEqualMeasureCases(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, raw *sql.DB) {
		ctx := context.Background()
		actors, cs, ds, now := seeded(t, s, 7, 70)
		orgs := caseseed.OrgIDs(actors)
		// Each case was written after every transition: the rollup's
		// counts went up and down, and none that fell to zero is kept.
		if zeros := zeroCounts(t, raw); zeros != 0 {
			t.Fatalf("%d rollup counts of zero kept", zeros)
		}
		r := rand.New(rand.NewPCG(3, 4))
		channels := []string{"online", "letter", "phone", "visit", "people", "administrative", "judicial"}
		for i := 0; i < 40; i++ {
			var q stability.CaseFilter
			if r.IntN(2) == 0 {
				q.Organs = []string{orgs[r.IntN(3)]}
				if r.IntN(2) == 0 {
					q.Organs = append(q.Organs, orgs[r.IntN(3)])
				}
			}
			if r.IntN(3) == 0 {
				q.From = mustDate("2026-01-01").AddDays(r.IntN(200))
				q.To = q.From.AddDays(30 + r.IntN(200))
			}
			if r.IntN(4) == 0 {
				q.Channels = []string{channels[r.IntN(len(channels))]}
			}
			if r.IntN(5) == 0 {
				q.MatterTypes = []string{[]string{"suggestion", "report", "claim"}[r.IntN(3)]}
			}
			if r.IntN(4) == 0 {
				q.Kind = stability.CaseKind(1 + r.IntN(2))
			}
			g := stability.Grouping{ByOrgan: r.IntN(2) == 0, ByMonth: r.IntN(2) == 0}
			at := now.Add(-time.Duration(r.IntN(200)) * 24 * time.Hour)
			got, err := s.CaseStats(ctx, sqlstore.System, store.StatsQuery{Filter: q, Grouping: g, Now: at})
			if err != nil {
				t.Fatal(err)
			}
			sameFigures(t, "query "+string(mustJSON(q))+" "+string(mustJSON(g)), got, stability.MeasureCases(cs, ds, q, g, at))
		}
	})
}

// zeroCounts is the number of counts of zero, and of cells with no count,
// kept in the casework rollup's cells (case_rollup.counts: a line
// "METRIC N" each).
func zeroCounts(t *testing.T, raw *sql.DB) int {
	t.Helper()
	rows, err := raw.Query(`SELECT counts FROM case_rollup`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	zeros := 0
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			t.Fatal(err)
		}
		if text == "" {
			zeros++
		}
		for _, line := range strings.Split(text, "\n") {
			if strings.HasSuffix(line, " 0") {
				zeros++
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return zeros
}

func mustJSON(v any) []byte {
	b, _ := json.Marshal(v)
	return b
}

// TestCaseStatsScopedToTheCaller: an organisation's figures count only the
// cases it holds or that were shared with it.
func TestCaseStatsScopedToTheCaller(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, _ *sql.DB) {
		ctx := context.Background()
		actors, cs, ds, now := seeded(t, s, 11, 40)
		a := actors[0]
		got, err := s.CaseStats(ctx, a, store.StatsQuery{Grouping: stability.Grouping{ByOrgan: true}, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		// What a may see: its own cases, and complaints it routed away
		// (the sender keeps read access).
		var mine []*stability.Complaint
		for _, c := range cs {
			if c.Organ == a.OrgID || c.Sender == a.OrgID {
				mine = append(mine, c)
			}
		}
		var myDisputes []*stability.Dispute
		for _, d := range ds {
			if d.Organ == a.OrgID {
				myDisputes = append(myDisputes, d)
			}
		}
		sameFigures(t, "scope", got, stability.MeasureCases(mine, myDisputes, stability.CaseFilter{}, stability.Grouping{ByOrgan: true}, now))
		// Shared: a's handling filter with the shares counts the cases it sent.
		q := stability.CaseFilter{Organs: []string{a.OrgID}}
		own, err := s.CaseStats(ctx, sqlstore.System, store.StatsQuery{Filter: q, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		withShared, err := s.CaseStats(ctx, sqlstore.System, store.StatsQuery{Filter: q, Shared: true, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		sameFigures(t, "own", own, stability.MeasureCases(cs, ds, q, stability.Grouping{}, now))
		sameFigures(t, "shared", withShared, stability.MeasureCases(mine, myDisputes, stability.CaseFilter{}, stability.Grouping{}, now))
		if _, err := s.CaseStats(ctx, a, store.StatsQuery{}); err == nil {
			t.Fatal("a query without a measuring time was accepted")
		}
	})
}

// TestFactsFollowEachTransitionOnce: a case moving through its states
// changes the figures with each write and counts once, through a retried
// stale write, concurrent transitions and a restart.
func TestFactsFollowEachTransitionOnce(t *testing.T) {
	for _, b := range backends() {
		t.Run(b.name, func(t *testing.T) {
			ctx := context.Background()
			dsn := b.fresh(t)
			s, err := sqlstore.Open(ctx, dsn, sqlstore.WithCalendar(testCalendar))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			actors, err := caseseed.Orgs(ctx, s, "", 2)
			if err != nil {
				t.Fatal(err)
			}
			now := mustDate("2026-12-20").Time(cst)
			check := func(what string, cs []*stability.Complaint) {
				t.Helper()
				got, err := s.CaseStats(ctx, sqlstore.System, store.StatsQuery{Grouping: stability.Grouping{ByOrgan: true, ByMonth: true}, Now: now})
				if err != nil {
					t.Fatal(err)
				}
				sameFigures(t, what, got, stability.MeasureCases(cs, nil, stability.CaseFilter{}, stability.Grouping{ByOrgan: true, ByMonth: true}, now))
			}
			clerk := stability.Participant{ID: "clerk", Name: "办理人", Role: stability.RoleStaff}
			c, t0 := newClaim(t, "XF-T-1", actors[0].OrgID, clerk)
			r, err := s.Create(ctx, actors[0], "complaint.register", store.RecordComplaint, caseseed.ComplaintFields(c))
			if err != nil {
				t.Fatal(err)
			}
			check("registered", []*stability.Complaint{c})
			steps := []func(time.Time) error{
				func(at time.Time) error { return c.Notify(at, clerk, "已受理") },
				func(at time.Time) error { return c.Accept(at, clerk) },
				func(at time.Time) error { return c.Investigate(at, clerk) },
				func(at time.Time) error {
					return c.Answer(at, clerk, stability.Opinion{Outcome: stability.OutcomeSupport, Text: "支持", LegalBasis: "条例"})
				},
				func(at time.Time) error { return c.Rate(at, "QC", stability.RatingSatisfied) },
			}
			for i, step := range steps {
				if err := step(t0.Add(time.Duration(i+1) * 9 * 24 * time.Hour)); err != nil {
					t.Fatal(err)
				}
				// Two transitions race from the same version: one lands.
				var wg sync.WaitGroup
				errs := make([]error, 2)
				for j := range errs {
					wg.Add(1)
					go func() {
						defer wg.Done()
						_, errs[j] = s.Update(ctx, actors[0], "complaint.change", store.RecordComplaint, r.ID, r.Version, caseseed.ComplaintFields(c))
					}()
				}
				wg.Wait()
				if (errs[0] == nil) == (errs[1] == nil) {
					t.Fatalf("step %d: concurrent writes at one version: %v, %v", i, errs[0], errs[1])
				}
				r.Version++
				// The retry of the same write, at the old version, is refused
				// and changes nothing.
				if _, err := s.Update(ctx, actors[0], "complaint.change", store.RecordComplaint, r.ID, r.Version-1, caseseed.ComplaintFields(c)); !isKind(err, ssra.KindPreconditionFailed) {
					t.Fatalf("step %d: stale retry: %v", i, err)
				}
				check("after step", []*stability.Complaint{c})
			}
			// A write that fails inside its transaction leaves the facts as
			// they were: route to an unknown organisation.
			if _, err := s.Route(ctx, actors[0], "complaint.route", store.RecordComplaint, r.ID, r.Version, "no-such-org", caseseed.ComplaintFields(c)); err == nil {
				t.Fatal("route to an unknown organisation accepted")
			}
			check("after a failed route", []*stability.Complaint{c})
			// A restart reads the same figures.
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			s, err = sqlstore.Open(ctx, dsn, sqlstore.WithCalendar(testCalendar))
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			check("after a restart", []*stability.Complaint{c})
			// A body that is not a case value removes the case's facts.
			if _, err := s.Update(ctx, actors[0], "complaint.change", store.RecordComplaint, r.ID, r.Version, store.Fields{Status: "x", Body: map[string]string{"x": "y"}}); err != nil {
				t.Fatal(err)
			}
			check("after an opaque body", nil)
		})
	}
}

func isKind(err error, k ssra.Kind) bool {
	var e *ssra.Error
	return errors.As(err, &e) && e.Kind == k
}

// TestFactsOfOneCaseWrittenTwiceInATransaction: a case created and changed
// in one transaction counts once, as it stands at the commit.
func TestFactsOfOneCaseWrittenTwiceInATransaction(t *testing.T) {
	eachBackend(t, func(t *testing.T, s *sqlstore.Store, _ *sql.DB) {
		ctx := context.Background()
		actors, err := caseseed.Orgs(ctx, s, "", 1)
		if err != nil {
			t.Fatal(err)
		}
		clerk := stability.Participant{ID: "clerk", Name: "办理人", Role: stability.RoleStaff}
		c, t0 := newClaim(t, "XF-T-2", actors[0].OrgID, clerk)
		err = s.InTx(ctx, actors[0], func(tx *sqlstore.Tx) error {
			r, err := tx.Create(ctx, "complaint.register", store.RecordComplaint, caseseed.ComplaintFields(c))
			if err != nil {
				return err
			}
			if err := c.Notify(t0.Add(24*time.Hour), clerk, "已受理"); err != nil {
				return err
			}
			_, err = tx.Update(ctx, "complaint.change", store.RecordComplaint, r.ID, r.Version, caseseed.ComplaintFields(c))
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		now := mustDate("2026-12-20").Time(cst)
		g := stability.Grouping{ByOrgan: true, ByMonth: true}
		for _, q := range []stability.CaseFilter{{}, {Channels: []string{"letter"}}} {
			got, err := s.CaseStats(ctx, sqlstore.System, store.StatsQuery{Filter: q, Grouping: g, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			sameFigures(t, "written twice", got, stability.MeasureCases([]*stability.Complaint{c}, nil, q, g, now))
		}
	})
}

// TestFactsRowGoneBeforeTheWrite: on PostgreSQL a write that found its
// case's facts row updates it in place (not an upsert); should the row be
// gone by the time the update runs (an operator's delete after the
// write's read), the write inserts it instead of leaving the case without
// facts.
func TestFactsRowGoneBeforeTheWrite(t *testing.T) {
	ctx := context.Background()
	dsn := freshPostgres(t)
	s, raw := openMigrated(t, dsn, "pgx", dsn, sqlstore.WithCalendar(testCalendar))
	actors, err := caseseed.Orgs(ctx, s, "", 1)
	if err != nil {
		t.Fatal(err)
	}
	clerk := stability.Participant{ID: "clerk", Name: "办理人", Role: stability.RoleStaff}
	c, t0 := newClaim(t, "XF-G-1", actors[0].OrgID, clerk)
	r, err := s.Create(ctx, actors[0], "complaint.register", store.RecordComplaint, caseseed.ComplaintFields(c))
	if err != nil {
		t.Fatal(err)
	}
	state := func() (string, int) {
		var st string
		var n int
		if err := raw.QueryRow(`SELECT COALESCE(MAX(state), ''), COUNT(*) FROM case_facts WHERE record_id = $1`, r.ID).Scan(&st, &n); err != nil {
			t.Fatal(err)
		}
		return st, n
	}
	registered, _ := state()
	if err := c.Notify(t0.Add(24*time.Hour), clerk, "已受理"); err != nil {
		t.Fatal(err)
	}
	if err := c.Accept(t0.Add(48*time.Hour), clerk); err != nil {
		t.Fatal(err)
	}
	deleted := false
	sqlstore.SetCommitHook(s, func(what string) error {
		if what == "write" && !deleted {
			deleted = true
			_, err := raw.Exec(`DELETE FROM case_facts WHERE record_id = $1`, r.ID)
			return err
		}
		return nil
	})
	if _, err := s.Update(ctx, actors[0], "complaint.change", store.RecordComplaint, r.ID, r.Version, caseseed.ComplaintFields(c)); err != nil {
		t.Fatal(err)
	}
	if !deleted {
		t.Fatal("the hook did not run")
	}
	got, n := state()
	if n != 1 || got == registered {
		t.Fatalf("after the write: %d facts rows, state %q (was %q)", n, got, registered)
	}
}
