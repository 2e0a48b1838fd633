package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// rollupCmd is "ssrad rollup repair [-dry-run]": it rebuilds from the case
// facts every cell of the casework rollup that audit verify names (one
// that differs from its facts, is missing or does not read), in one
// transaction that may run while servers write, and prints each cell
// rebuilt (organisation, month, kind: no personal data) and their count.
// A cell whose own facts rows do not read cannot be rebuilt: it is named,
// and the command fails after rebuilding the others.
func rollupCmd(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	if _, args, err := sub(args, "rollup", "repair"); err != nil {
		return err
	} else {
		var dryRun bool
		s, err := adminFlagsCases(ctx, "rollup repair", args, getenv, func(fs *flag.FlagSet) {
			fs.BoolVar(&dryRun, "dry-run", false, "print the cells that would be rebuilt, and write nothing")
		})
		if err != nil {
			return err
		}
		defer s.Close()
		rep, err := s.RepairRollup(ctx, dryRun)
		if err != nil {
			return err
		}
		verb := "rebuilt"
		if rep.DryRun {
			verb = "would rebuild"
		}
		for _, c := range rep.Rebuilt {
			fmt.Fprintf(out, "%s organisation %s, month %s, kind %s (%s): %d counts\n", verb, c.OrgID, c.Month, c.Kind, c.Why, c.Counts)
		}
		fmt.Fprintf(out, "casework rollup: %d of %d cells %s from the case facts\n", len(rep.Rebuilt), rep.Checked, verb)
		if len(rep.Unrepairable) > 0 {
			var b strings.Builder
			for _, c := range rep.Unrepairable {
				fmt.Fprintf(&b, "\n  organisation %s, month %s, kind %s", c.OrgID, c.Month, c.Kind)
			}
			return fmt.Errorf("rollup repair: %d cells cannot be rebuilt: some of their case_facts rows or pending differences do not read (write each such case again, or mend its row):%s",
				len(rep.Unrepairable), b.String())
		}
	}
	return nil
}
