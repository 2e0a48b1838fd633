package sqlstore_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
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

// The casework benchmarks run on a SQLite database of SSRA_BENCH_CASES
// synthetic cases (default 50,000: five complaints to one dispute) at
// SSRA_BENCH_ORGS organisations (default 100), seeded in bulk once per run
// (SSRA_BENCH_POSTGRES=1 uses SSRA_TEST_POSTGRES_URL instead). Each SQL
// figure has its naive baseline in the same run: load the case bodies,
// decode them and compute in memory.
//
// SSRA_BENCH_DB names a database to keep (a SQLite file, or a PostgreSQL
// URL): seeded on the first run, reused by the next ones (and migrated, so
// a seeded database also tries the migrations at that size). At a large
// size the province's naive path takes minutes a run:
// SSRA_BENCH_NAIVE_ORGS=k measures it over k organisations only
// (province/naive_sample), and its time per organisation gives the ratio.
//
//	SSRA_BENCH_CASES=1200000 go test ./adapters/sqlstore -run '^$' -bench 'Casework' -count 5 -timeout 6h
type caseBench struct {
	s           *sqlstore.Store
	actors      []ssra.Actor
	at          time.Time
	sameAsNaive sync.Once
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

// benchDSN is the database of the run: SSRA_BENCH_DB when set, else a new
// PostgreSQL database that lives as long as the process (a benchmark's
// cleanup would drop it under the next benchmark) or a new SQLite file.
func benchDSN() (string, error) {
	if dsn := os.Getenv("SSRA_BENCH_DB"); dsn != "" {
		return dsn, nil
	}
	if os.Getenv("SSRA_BENCH_POSTGRES") == "1" {
		base := os.Getenv(postgresEnv)
		if base == "" {
			return "", fmt.Errorf("SSRA_BENCH_POSTGRES=1 needs %s", postgresEnv)
		}
		admin, err := sql.Open("pgx", base)
		if err != nil {
			return "", err
		}
		defer admin.Close()
		var b [6]byte
		_, _ = rand.Read(b[:])
		name := "ssra_bench_" + hex.EncodeToString(b[:])
		if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
			return "", err
		}
		u, err := url.Parse(base)
		if err != nil {
			return "", err
		}
		u.Path = "/" + name
		return u.String(), nil
	}
	dir, err := os.MkdirTemp("", "ssra-bench-")
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "bench.db"), nil
}

// benchActors returns the caseworkers of the benchmark's organisations,
// and how many cases they hold: those of an earlier run when the database
// has them, else new ones.
func benchActors(ctx context.Context, s *sqlstore.Store, orgs int) ([]ssra.Actor, int, error) {
	have, err := s.Organisations(ctx)
	if err != nil {
		return nil, 0, err
	}
	if len(have) == 0 {
		actors, err := caseseed.Orgs(ctx, s, "bench", orgs)
		return actors, 0, err
	}
	var actors []ssra.Actor
	for _, o := range have {
		us, err := s.Users(ctx, sqlstore.System, o.ID)
		if err != nil {
			return nil, 0, err
		}
		if len(us) == 0 {
			return nil, 0, fmt.Errorf("organisation %s has no user", o.ID)
		}
		actors = append(actors, ssra.Actor{UserID: us[0].ID, OrgID: o.ID})
	}
	ts, err := s.CaseStats(ctx, sqlstore.System, store.StatsQuery{Now: time.Now()})
	if err != nil {
		return nil, 0, err
	}
	n := 0
	for _, t := range ts {
		n += int(t.Handled)
		for _, b := range t.Backlog {
			n += int(b)
		}
	}
	return actors, n, nil
}

func caseworkDB(b *testing.B) *caseBench {
	b.Helper()
	benchOnce.Do(func() {
		ctx := context.Background()
		dsn, err := benchDSN()
		if err != nil {
			benchErr = err
			return
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
		actors, have, err := benchActors(ctx, s, orgs)
		switch {
		case err != nil:
			benchErr = err
			return
		case len(actors) != orgs || (have != 0 && have < n):
			// (More is the write benchmark's complaints of an earlier run.)
			benchErr = fmt.Errorf("the database holds %d cases at %d organisations, not %d at %d", have, len(actors), n, orgs)
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
		// Batches of 200 cases an organisation to a transaction; on
		// PostgreSQL, SSRA_BENCH_SEED_WORKERS organisations' transactions
		// at a time.
		batch, workers := 200*orgs, envInt("SSRA_BENCH_SEED_WORKERS", 1)
		for i := min(have, n); i < n; i++ {
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
			if len(cs)+len(ds) >= batch || i == n-1 {
				if benchErr = bulk(ctx, w, cs, ds, workers); benchErr != nil {
					return
				}
				cs, ds = cs[:0], ds[:0]
			}
		}
		// The server folds PostgreSQL's pending rollup differences on
		// every turn of its sequencer; the seeding has no sequencer.
		if _, benchErr = s.FoldRollup(ctx); benchErr != nil {
			return
		}
		benchDB = &caseBench{s: s, actors: actors, at: at}
	})
	if benchErr != nil {
		b.Fatal(benchErr)
	}
	return benchDB
}

// bulk writes the cases with caseseed's bulk path, split by organisation
// among workers that write at the same time.
func bulk(ctx context.Context, w *caseseed.Writer, cs []*stability.Complaint, ds []*stability.Dispute, workers int) error {
	if workers <= 1 {
		return w.Bulk(ctx, cs, ds)
	}
	part := func(org string) int {
		h := 0
		for _, c := range org {
			h = h*31 + int(c)
		}
		return (h%workers + workers) % workers
	}
	pcs, pds := make([][]*stability.Complaint, workers), make([][]*stability.Dispute, workers)
	for _, c := range cs {
		pcs[part(c.Organ)] = append(pcs[part(c.Organ)], c)
	}
	for _, d := range ds {
		pds[part(d.Organ)] = append(pds[part(d.Organ)], d)
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() { errs[k] = w.Bulk(ctx, pcs[k], pds[k]) })
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// naive loads every case body the actor may see of the organisations
// (all when orgs is empty), decodes it and computes the figures in memory.
func (cb *caseBench) naive(b *testing.B, orgs []string, g stability.Grouping) []stability.Group {
	cs, ds := cb.load(b, orgs)
	return stability.MeasureCases(cs, ds, stability.CaseFilter{}, g, cb.at)
}

// load lists, decodes and returns the case bodies the organisations hold
// (all when orgs is empty).
func (cb *caseBench) load(b *testing.B, orgs []string) ([]*stability.Complaint, []*stability.Dispute) {
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
		for _, kind := range []store.RecordKind{store.RecordComplaint, store.RecordDispute} {
			q := store.Query{Kind: kind, Scope: store.ScopeOwned, Limit: 500}
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
					if kind == store.RecordComplaint {
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
	return cs, ds
}

func (cb *caseBench) sql(b *testing.B, orgs []string, g stability.Grouping) []stability.Group {
	ts, err := cb.s.CaseStats(context.Background(), sqlstore.System, store.StatsQuery{
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
	cb.sameAsNaive.Do(func() {
		// Whatever the size, the figures are the domain's.
		got, _ := json.Marshal(cb.sql(b, org, month))
		want, _ := json.Marshal(cb.naive(b, org, month))
		if string(got) != string(want) {
			b.Fatalf("the SQL figures differ from the naive path's:\nsql:   %s\nnaive: %s", got, want)
		}
	})
	b.Run("sql", func(b *testing.B) {
		timed(b, func() {
			if len(cb.sql(b, org, month)) == 0 {
				b.Fatal("no figures")
			}
		})
	})
	b.Run("naive", func(b *testing.B) {
		for b.Loop() {
			if len(cb.naive(b, org, month)) == 0 {
				b.Fatal("no figures")
			}
		}
	})
}

// BenchmarkCaseworkProvince is every organisation by month. With
// SSRA_BENCH_NAIVE_ORGS=k the naive path runs over k organisations only
// (naive_sample) and reports its time per organisation (ns/org): times the
// organisations, it stands for the whole naive path.
func BenchmarkCaseworkProvince(b *testing.B) {
	cb := caseworkDB(b)
	g := stability.Grouping{ByOrgan: true, ByMonth: true}
	b.Run("sql", func(b *testing.B) {
		timed(b, func() { cb.sql(b, nil, g) })
		// What the view reads: organisations × months × kinds of case,
		// whatever the number of cases, and the differences not folded yet.
		cells, pending, err := sqlstore.RollupRows(context.Background(), cb.s)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(cells), "rollup_rows")
		b.ReportMetric(float64(pending), "pending_rows")
	})
	if k := envInt("SSRA_BENCH_NAIVE_ORGS", 0); k > 0 && k < len(cb.actors) {
		orgs := caseseed.OrgIDs(cb.actors[:k])
		b.Run("naive_sample", func(b *testing.B) {
			for b.Loop() {
				cb.naive(b, orgs, g)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(k), "ns/org")
		})
		return
	}
	b.Run("naive", func(b *testing.B) {
		for b.Loop() {
			cb.naive(b, nil, g)
		}
	})
}

// BenchmarkCaseworkOverdue is the first page of one organisation's overdue
// complaints and of those due within a week (the records' due index), as
// the REST routes list them, beside the naive scan of its case bodies
// with stability.Overdue and stability.DueSoon.
func BenchmarkCaseworkOverdue(b *testing.B) {
	cb := caseworkDB(b)
	ctx := context.Background()
	a := cb.actors[0]
	today := ssra.DateOf(cb.at)
	page := func(b *testing.B, q store.Query) {
		timed(b, func() {
			p, err := cb.s.List(ctx, a, q)
			if err != nil {
				b.Fatal(err)
			}
			if len(p.Records) == 0 {
				b.Fatal("an empty page")
			}
		})
	}
	// naive loads the organisation's complaints and picks the page.
	naive := func(b *testing.B, soon bool) {
		for b.Loop() {
			cs, _ := cb.load(b, []string{a.OrgID})
			var due []stability.Due
			if soon {
				due = stability.DueSoon(cs, cb.at, 7)
			} else {
				due = stability.Overdue(cs, cb.at)
			}
			if len(due) == 0 {
				b.Fatal("an empty page")
			}
		}
	}
	b.Run("sql", func(b *testing.B) {
		page(b, store.Query{Kind: store.RecordComplaint, Scope: store.ScopeOwned, Order: store.OrderDue, DueBefore: today, Limit: 50})
	})
	b.Run("naive", func(b *testing.B) { naive(b, false) })
	b.Run("due_soon", func(b *testing.B) {
		page(b, store.Query{Kind: store.RecordComplaint, Scope: store.ScopeOwned, Order: store.OrderDue, DueFrom: today, DueBefore: today.AddDays(8), Limit: 50})
	})
	b.Run("due_soon_naive", func(b *testing.B) { naive(b, true) })
}

// BenchmarkCaseworkWrite registers a complaint with its facts kept, and
// without (the same write path with the facts switched off), alternately
// in one loop so that both see the same machine: with_ns/op and
// without_ns/op are the medians of each, overhead_% their ratio. Every
// hundredth turn folds the rollup's pending differences, as the
// sequencer does: fold_ns/write is its time over the writes with facts,
// and overhead_fold_% the ratio with it added.
func BenchmarkCaseworkWrite(b *testing.B) {
	cb := caseworkDB(b)
	ctx := context.Background()
	// The last organisation writes: the writes without facts leave cases
	// that no figure counts, and a kept database's dashboard (the first
	// organisation) and province sample (the first few) must still equal
	// the naive path over their case bodies.
	a := cb.actors[len(cb.actors)-1]
	g, err := casegen.New(99, []string{a.OrgID}, ssra.StateCouncilCalendar(), ssra.MustDate(2026, time.January, 1), 354, cb.at)
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
	// write registers the n-th complaint, with its facts or without, and
	// returns how long it took. The facts are switched between writes,
	// never during one.
	write := func(b *testing.B, n int, facts bool) time.Duration {
		c := cases[n%len(cases)]
		f := caseseed.ComplaintFields(c)
		f.Reference = c.Ref + "-" + strconv.Itoa(n) + "-" + strconv.FormatInt(time.Now().UnixNano(), 36)
		sqlstore.WithoutFacts(cb.s, !facts)
		defer sqlstore.WithoutFacts(cb.s, false)
		start := time.Now()
		if _, err := cb.s.Create(ctx, a, "complaint.register", store.RecordComplaint, f); err != nil {
			b.Fatal(err)
		}
		return time.Since(start)
	}
	b.Run("paired", func(b *testing.B) {
		var with, without []time.Duration
		var fold time.Duration
		n := 0
		for b.Loop() {
			n++
			if n%100 == 0 {
				// The sequencer's turn folds the pending differences
				// (every 200 ms on a server): its time is the facts' too.
				start := time.Now()
				if _, err := cb.s.FoldRollup(ctx); err != nil {
					b.Fatal(err)
				}
				fold += time.Since(start)
			}
			// Alternate which goes first.
			if n%2 == 0 {
				with = append(with, write(b, n, true))
				without = append(without, write(b, n, false))
			} else {
				without = append(without, write(b, n, false))
				with = append(with, write(b, n, true))
			}
		}
		w, wo := median(with), median(without)
		perWrite := fold / time.Duration(len(with))
		b.ReportMetric(float64(w.Nanoseconds()), "with_ns/op")
		b.ReportMetric(float64(wo.Nanoseconds()), "without_ns/op")
		b.ReportMetric(100*(float64(w)/float64(wo)-1), "overhead_%")
		b.ReportMetric(float64(perWrite.Nanoseconds()), "fold_ns/write")
		b.ReportMetric(100*(float64(w+perWrite)/float64(wo)-1), "overhead_fold_%")
	})
}

// timed runs fn in the benchmark's loop and reports the median and the
// 95th percentile (nearest rank) of its runs besides the mean.
func timed(b *testing.B, fn func()) {
	var ds []time.Duration
	for b.Loop() {
		start := time.Now()
		fn()
		ds = append(ds, time.Since(start))
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2].Nanoseconds()), "p50_ns")
	b.ReportMetric(float64(ds[(len(ds)*95+99)/100-1].Nanoseconds()), "p95_ns")
}

func median(ds []time.Duration) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	ds = slices.Clone(ds)
	slices.Sort(ds)
	return ds[len(ds)/2]
}
