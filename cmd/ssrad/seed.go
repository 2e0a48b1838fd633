package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/casegen"
	"github.com/ssra-go/ssra/internal/caseseed"
	"github.com/ssra-go/ssra/stability"
)

// seedCmd fills a database with synthetic casework: N organisations, each
// with a caseworker, and M complaints and K disputes registered over a
// year, driven through their states with deadlines met and missed and
// ratings, written through the store's own write path (every transition,
// or with -bulk each case's final state, many to a transaction). Every
// person in them is a placeholder; no real person's data is used.
func seedCmd(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	var orgs, complaints, disputes, batch int
	var seed uint64
	var bulk bool
	var from, at, prefix, calendar string
	store, err := adminFlagsCreate(ctx, "seed", args, getenv, func(fs *flag.FlagSet) {
		fs.IntVar(&orgs, "orgs", 10, "synthetic organisations to create")
		fs.IntVar(&complaints, "complaints", 1000, "complaints to register")
		fs.IntVar(&disputes, "disputes", 200, "disputes to take in")
		fs.Uint64Var(&seed, "seed", 1, "random seed: the same seed draws the same cases")
		fs.StringVar(&from, "from", "", "first registration date YYYY-MM-DD; cases are registered over the following 365 days (default: a year before -at)")
		fs.StringVar(&at, "at", "", "the date the cases are seen at YYYY-MM-DD: nothing happens after it (default today)")
		fs.BoolVar(&bulk, "bulk", false, "write each case's final state once, many cases to a transaction, instead of every transition")
		fs.IntVar(&batch, "batch", 5000, "cases drawn per bulk write")
		fs.StringVar(&prefix, "prefix", "", "prefix of the organisations' names (names are unique)")
		fs.StringVar(&calendar, "calendar", "", "working-day calendar, as for serve (default cn_state_council)")
	}, true)
	if err != nil {
		return err
	}
	defer store.Close()
	if orgs < 1 || complaints < 0 || disputes < 0 || batch < 1 {
		return usagef("seed: need -orgs ≥ 1, -complaints ≥ 0, -disputes ≥ 0 and -batch ≥ 1")
	}
	if _, err := store.Migrate(ctx); err != nil {
		return err
	}
	cal, err := loadCalendar(calendar)
	if err != nil {
		return err
	}
	now := time.Now()
	if at != "" {
		d, err := ssra.ParseDate(at)
		if err != nil {
			return usagef("seed: -at: %v", err)
		}
		now = d.Time(time.Local).Add(18 * time.Hour)
	}
	start := ssra.DateOf(now).AddDays(-365)
	if from != "" {
		if start, err = ssra.ParseDate(from); err != nil {
			return usagef("seed: -from: %v", err)
		}
	}
	began := time.Now()
	actors, err := caseseed.Orgs(ctx, store, prefix, orgs)
	if err != nil {
		return err
	}
	g, err := casegen.New(seed, caseseed.OrgIDs(actors), cal, start, 365, now)
	if err != nil {
		return err
	}
	w := caseseed.NewWriter(store, actors)
	var cs []*stability.Complaint
	var ds []*stability.Dispute
	flush := func() error {
		err := w.Bulk(ctx, cs, ds)
		cs, ds = cs[:0], ds[:0]
		return err
	}
	for i := 0; i < complaints+disputes; i++ {
		dispute := i >= complaints
		switch {
		case bulk && dispute:
			d, err := g.Dispute(i, nil)
			if err != nil {
				return err
			}
			ds = append(ds, d)
		case bulk:
			c, err := g.Complaint(i, nil)
			if err != nil {
				return err
			}
			cs = append(cs, c)
		case dispute:
			if _, err := w.Dispute(ctx, g, i); err != nil {
				return seedConflict(seed, fmt.Errorf("seed: dispute %d: %w", i, err))
			}
		default:
			if _, err := w.Complaint(ctx, g, i); err != nil {
				return seedConflict(seed, fmt.Errorf("seed: complaint %d: %w", i, err))
			}
		}
		if bulk && len(cs)+len(ds) >= batch {
			if err := flush(); err != nil {
				return seedConflict(seed, err)
			}
		}
	}
	if err := flush(); err != nil {
		return seedConflict(seed, err)
	}
	fmt.Fprintf(stdout, "seeded %d organisations, %d complaints and %d disputes registered from %s, seen at %s, in %s\n",
		orgs, complaints, disputes, start, ssra.DateOf(now), time.Since(began).Round(time.Millisecond))
	return nil
}

// seedConflict explains a duplicate reference: the seed's cases are there.
func seedConflict(seed uint64, err error) error {
	if ssra.KindOf(err) == ssra.KindConflict {
		return fmt.Errorf("the cases of -seed %d exist in this database already (their references carry the seed); choose another -seed: %w", seed, err)
	}
	return err
}
