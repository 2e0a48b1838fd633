package sqlstore_test

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sqlstore"
	"github.com/ssra-go/ssra/internal/casegen"
	"github.com/ssra-go/ssra/internal/caseseed"
	"github.com/ssra-go/ssra/stability"
)

// The casework benchmarks run on a SQLite database of SSRA_BENCH_CASES
// synthetic cases (default 50,000: five complaints to one dispute) at
// SSRA_BENCH_ORGS organisations (default 100), seeded in bulk once per run
// (SSRA_BENCH_POSTGRES=1 uses SSRA_TEST_POSTGRES_URL instead). Each SQL
// figure has its naive baseline in the same run: load the case bodies,
// decode them and compute in memory.
//
//	SSRA_BENCH_CASES=1200000 go test ./adapters/sqlstore -run '^$' -bench 'Casework' -count 5 -timeout 6h
type caseBench struct {
	s      *sqlstore.Store
	actors []ssra.Actor
	at     time.Time
}

var (
	benchOnce sync.Once
	benchDB   *caseBench
	benchErr  error
)

func envInt(name string, def int) int {
	if n, err := strconv.Atoi(os.Getenv(name)); err == nil && n > 0 {
		return n
	}
	return def
}

func caseworkDB(b *testing.B) *caseBench {
	b.Helper()
	benchOnce.Do(func() {
		ctx := context.Background()
		var dsn string
		if os.Getenv("SSRA_BENCH_POSTGRES") == "1" {
			dsn = freshPostgres(b)
		} else {
			dir, err := os.MkdirTemp("", "ssra-bench-")
			if err != nil {
				benchErr = err
				return
			}
			dsn = filepath.Join(dir, "bench.db")
		}
		s, err := sqlstore.Open(ctx, dsn)
		if err != nil {
			benchErr = err
			return
		}
		if _, err := s.Migrate(ctx); err != nil {
			benchErr = err
			return
		}
		n, orgs := envInt("SSRA_BENCH_CASES", 50000), envInt("SSRA_BENCH_ORGS", 100)
		actors, err := caseseed.Orgs(ctx, s, "bench", orgs)
		if err != nil {
			benchErr = err
			return
		}
		at := time.Date(2026, 12, 20, 18, 0, 0, 0, time.UTC)
		g, err := casegen.New(1, caseseed.OrgIDs(actors), ssra.StateCouncilCalendar(), ssra.MustDate(2026, time.January, 1), 354, at)
		if err != nil {
			benchErr = err
			return
		}
		w := caseseed.NewWriter(s, actors)
		var cs []*stability.Complaint
		var ds []*stability.Dispute
		for i := 0; i < n; i++ {
			if i%6 == 5 {
				d, err := g.Dispute(i, nil)
				if err != nil {
					benchErr = err
					return
				}
				ds = append(ds, d)
			} else {
				c, err := g.Complaint(i, nil)
				if err != nil {
					benchErr = err
					return
				}
				cs = append(cs, c)
			}
			if len(cs)+len(ds) >= 5000 || i == n-1 {
				if benchErr = w.Bulk(ctx, cs, ds); benchErr != nil {
					return
				}
				cs, ds = cs[:0], ds[:0]
			}
		}
		benchDB = &caseBench{s: s, actors: actors, at: at}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

// naive loads every case body the actor may see of the organisations
// (all when orgs is empty), decodes it and computes the figures in memory.
func (cb *caseBench) naive(b *testing.B, orgs []string, g stability.Grouping) []stability.Group {
	ctx := context.Background()
	var cs []*stability.Complaint
	var ds []*stability.Dispute
	profiles := map[string]*stability.Profile{}
	prof := func(name string) *stability.Profile {
		if p, ok := profiles[name]; ok {
			return p
		}
		p, err := stability.Preset(name)
		if err != nil {
			b.Fatal(err)
		}
		profiles[name] = p
		return p
	}
	actors := cb.actors
	if len(orgs) > 0 {
		actors = nil
		for _, a := range cb.actors {
			for _, o := range orgs {
				if a.OrgID == o {
					actors = append(actors, a)
				}
			}
		}
	}
	cal := ssra.StateCouncilCalendar()
	for _, a := range actors {
		for _, kind := range []sqlstore.RecordKind{sqlstore.RecordComplaint, sqlstore.RecordDispute} {
			q := sqlstore.Query{Kind: kind, Scope: sqlstore.ScopeOwned, Limit: 500}
			for {
				p, err := cb.s.List(ctx, a, q)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range p.Records {
					var head struct {
						Profile string `json:"profile"`
					}
					if err := json.Unmarshal(r.Body, &head); err != nil {
						b.Fatal(err)
					}
					if kind == sqlstore.RecordComplaint {
						c, err := stability.DecodeComplaint(r.Body, prof(head.Profile), cal)
						if err != nil {
							b.Fatal(err)
						}
						cs = append(cs, c)
					} else {
						d, err := stability.DecodeDispute(r.Body, prof(head.Profile), cal)
						if err != nil {
							b.Fatal(err)
						}
						ds = append(ds, d)
					}
				}
				if p.Next == "" {
					break
				}
				q.After = p.Next
			}
		}
	}
	return stability.MeasureCases(cs, ds, stability.CaseFilter{}, g, cb.at)
}

func (cb *caseBench) sql(b *testing.B, orgs []string, g stability.Grouping) []stability.Group {
	ts, err := cb.s.CaseStats(context.Background(), sqlstore.System, sqlstore.StatsQuery{
		Filter:   stability.CaseFilter{Organs: orgs, From: ssra.MustDate(2026, time.January, 1), To: ssra.MustDate(2027, time.January, 1)},
		Grouping: g, Now: cb.at})
	if err != nil {
		b.Fatal(err)
	}
	return stability.GroupFigures(ts)
}

// BenchmarkCaseworkDashboard is one organisation's year, every indicator
// by month: in SQL over the facts, and the naive path.
func BenchmarkCaseworkDashboard(b *testing.B) {
	cb := caseworkDB(b)
	org := []string{cb.actors[0].OrgID}
	month := stability.Grouping{ByMonth: true}
	b.Run("sql", func(b *testing.B) {
		for b.Loop() {
			if len(cb.sql(b, org, month)) == 0 {
				b.Fatal("no figures")
			}
		}
	})
	b.Run("naive", func(b *testing.B) {
		for b.Loop() {
			if len(cb.naive(b, org, month)) == 0 {
				b.Fatal("no figures")
			}
		}
	})
}

// BenchmarkCaseworkProvince is every organisation by month.
func BenchmarkCaseworkProvince(b *testing.B) {
	cb := caseworkDB(b)
	g := stability.Grouping{ByOrgan: true, ByMonth: true}
	b.Run("sql", func(b *testing.B) {
		for b.Loop() {
			cb.sql(b, nil, g)
		}
	})
	b.Run("naive", func(b *testing.B) {
		for b.Loop() {
			cb.naive(b, nil, g)
		}
	})
}

// BenchmarkCaseworkOverdue is the first page of one organisation's overdue
// complaints (the records' due_on index), beside the naive scan of its
// case bodies with stability.Overdue.
func BenchmarkCaseworkOverdue(b *testing.B) {
	cb := caseworkDB(b)
	ctx := context.Background()
	a := cb.actors[0]
	today := ssra.DateOf(cb.at)
	b.Run("sql", func(b *testing.B) {
		for b.Loop() {
			if _, err := cb.s.List(ctx, a, sqlstore.Query{Kind: sqlstore.RecordComplaint, Order: sqlstore.OrderDue, DueBefore: today, Limit: 50}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkCaseworkWrite registers a complaint: with its facts kept, and
// the same body as opaque JSON, which keeps none (the write path without
// the facts).
func BenchmarkCaseworkWrite(b *testing.B) {
	cb := caseworkDB(b)
	ctx := context.Background()
	g, err := casegen.New(99, caseseed.OrgIDs(cb.actors[:1]), ssra.StateCouncilCalendar(), ssra.MustDate(2026, time.January, 1), 354, cb.at)
	if err != nil {
		b.Fatal(err)
	}
	var cases []*stability.Complaint
	for i := 0; i < 2000; i++ {
		c, err := g.Complaint(10_000_000+i, nil)
		if err != nil {
			b.Fatal(err)
		}
		cases = append(cases, c)
	}
	n := 0
	write := func(b *testing.B, opaque bool) {
		for b.Loop() {
			c := cases[n%len(cases)]
			n++
			f := caseseed.ComplaintFields(c)
			f.Reference = c.Ref + "-" + strconv.Itoa(n)
			if opaque {
				raw, err := json.Marshal(c)
				if err != nil {
					b.Fatal(err)
				}
				f.Body = json.RawMessage(raw)
			} else {
				if _, err := json.Marshal(c); err != nil { // the same encoding work as the baseline
					b.Fatal(err)
				}
			}
			if _, err := cb.s.Create(ctx, cb.actors[0], "complaint.register", sqlstore.RecordComplaint, f); err != nil {
				b.Fatal(err)
			}
		}
	}
	b.Run("with_facts", func(b *testing.B) { write(b, false) })
	b.Run("without_facts", func(b *testing.B) { write(b, true) })
}
