package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
)

// rollupCmd is "ssrad rollup repair [-dry-run]": it rewrites from its
// record body each case's facts row that audit verify names (one that
// differs, is missing or does not read; a row of no case is deleted), then
// rebuilds from the case facts every cell of the casework rollup that
// audit verify names (one that differs from its facts, is missing or does
// not read), in one transaction that may run while servers write, and
// prints each row and cell mended (record ID, organisation, month, kind:
// no personal data) and their counts. A row whose case's body does not
// decode, or a cell whose facts still do not read, cannot be mended: it is
// named, and the command fails after mending the others.
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
		verb, rewrote, deleted := "rebuilt", "rewrote", "deleted"
		if rep.DryRun {
			verb, rewrote, deleted = "would rebuild", "would rewrite", "would delete"
		}
		for _, f := range rep.Facts {
			if f.Why == "extra" {
				fmt.Fprintf(out, "%s the facts row of record %s at organisation %s (of no case it holds)\n", deleted, f.RecordID, f.OrgID)
				continue
			}
			fmt.Fprintf(out, "%s from its record body the facts row of %s %s at organisation %s (%s)\n", rewrote, f.Kind, f.RecordID, f.OrgID, f.Why)
		}
		fmt.Fprintf(out, "casework facts: %d rows of %d cases mended from the record bodies\n", len(rep.Facts), rep.CheckedCases)
		for _, c := range rep.Rebuilt {
			fmt.Fprintf(out, "%s organisation %s, month %s, kind %s (%s): %d counts\n", verb, c.OrgID, c.Month, c.Kind, c.Why, c.Counts)
		}
		fmt.Fprintf(out, "casework rollup: %d of %d cells %s from the case facts\n", len(rep.Rebuilt), rep.Checked, verb)
		var rows, cells []string
		for _, f := range rep.FactsUnrepairable {
			rows = append(rows, fmt.Sprintf("%s %s at organisation %s", f.Kind, f.RecordID, f.OrgID))
		}
		for _, c := range rep.Unrepairable {
			cells = append(cells, fmt.Sprintf("organisation %s, month %s, kind %s", c.OrgID, c.Month, c.Kind))
		}
		switch {
		case len(rows) > 0:
			return fmt.Errorf("rollup repair: %d cases' facts rows cannot be checked: their record bodies do not decode as cases (mend the body from the log, or delete the row):\n  %s",
				len(rows), strings.Join(rows, "\n  "))
		case len(cells) > 0:
			return fmt.Errorf("rollup repair: %d cells cannot be rebuilt: some of their case_facts rows or pending differences do not read (write each such case again, or mend its row):\n  %s",
				len(cells), strings.Join(cells, "\n  "))
		}
	}
	return nil
}
