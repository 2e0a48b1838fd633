package main_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// TestRollupRepair: a casework rollup cell edited into counts that read
// but are wrong, and one deleted, are named by ssrad audit verify (exit
// 1); ssrad rollup repair -dry-run prints both and writes nothing (verify
// still fails); ssrad rollup repair rebuilds both from the case facts,
// printing each cell by organisation, month and kind and their count, and
// audit verify then reports every cell matching its facts. On PostgreSQL
// some of the cases' differences are still pending (not folded) while the
// repair runs, and the repair leaves them for the fold. Without the
// command, "ssrad rollup" is an unknown command (exit 2).
func TestRollupRepair(t *testing.T) {
	ssradBinary(t)
	eachDatabase(t, rollupRepair)
}

func rollupRepair(t *testing.T, db string) {
	ctx := context.Background()
	s, _, g, w := seedWorld(t, db, "repair", 11)
	write := func(from, to int) {
		t.Helper()
		for i := from; i < to; i++ {
			if _, err := w.Complaint(ctx, g, i); err != nil {
				t.Fatal(err)
			}
		}
	}
	write(0, 40)
	if _, err := s.FoldRollup(ctx); err != nil {
		t.Fatal(err)
	}
	write(40, 50) // pending on PostgreSQL
	if err := s.Drain(ctx); err != nil {
		t.Fatal(err)
	}
	pg := s.Dialect() == sqlstore.Postgres
	_ = s.Close()

	raw, err := sql.Open(map[bool]string{true: "pgx", false: "sqlite"}[pg], db)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	ph := func(q string) string {
		if pg {
			for i := 1; strings.Contains(q, "?"); i++ {
				q = strings.Replace(q, "?", "$"+strconv.Itoa(i), 1)
			}
		}
		return q
	}
	type cell struct{ org, month, kind, counts string }
	var cells []cell
	rows, err := raw.Query(`SELECT org_id, month, kind, counts FROM case_rollup ORDER BY org_id, month, kind`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c cell
		if err := rows.Scan(&c.org, &c.month, &c.kind, &c.counts); err != nil {
			t.Fatal(err)
		}
		cells = append(cells, c)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(cells) < 4 {
		t.Fatalf("%d cells: too few to test", len(cells))
	}
	// One cell's count of cases raised by 3: it still reads. Another
	// cell deleted.
	wrong, gone := cells[1], cells[len(cells)-2]
	re := regexp.MustCompile(`(?m)^cases ([0-9]+)$`)
	m := re.FindStringSubmatch(wrong.counts)
	if m == nil {
		t.Fatalf("cell %v has no count of cases", wrong)
	}
	n, _ := strconv.Atoi(m[1])
	tampered := re.ReplaceAllString(wrong.counts, "cases "+strconv.Itoa(n+3))
	if _, err := raw.Exec(ph(`UPDATE case_rollup SET counts = ? WHERE org_id = ? AND month = ? AND kind = ?`), tampered, wrong.org, wrong.month, wrong.kind); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(ph(`DELETE FROM case_rollup WHERE org_id = ? AND month = ? AND kind = ?`), gone.org, gone.month, gone.kind); err != nil {
		t.Fatal(err)
	}

	env := []string{"SSRA_DATABASE_URL=" + db}
	name := func(c cell) string {
		return fmt.Sprintf("organisation %s, month %s, kind %s", c.org, c.month, c.kind)
	}
	// exit runs ssrad and returns its output and exit status.
	exit := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(ssradBinary(t), args...)
		cmd.Env = append(os.Environ(), env...)
		out, err := cmd.CombinedOutput()
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return string(out), ee.ExitCode()
		}
		if err != nil {
			t.Fatal(err)
		}
		return string(out), 0
	}
	verifyFails := func(what string) {
		t.Helper()
		out, code := exit("audit", "verify")
		if code != 1 || !strings.Contains(out, name(wrong)+" differs from its case facts") || !strings.Contains(out, name(gone)+" is missing") {
			t.Fatalf("%s: audit verify exit %d, want 1 naming both cells:\n%s", what, code, out)
		}
	}
	verifyFails("after the edits")

	out, code := exit("rollup", "repair", "-dry-run")
	if code != 0 {
		t.Fatalf("rollup repair -dry-run: exit %d:\n%s", code, out)
	}
	// The cells checked: those stored, and on PostgreSQL also those
	// that only pending differences have yet.
	checked := 0
	if m := regexp.MustCompile(`casework rollup: 2 of ([0-9]+) cells would rebuild from the case facts`).FindStringSubmatch(out); m != nil {
		checked, _ = strconv.Atoi(m[1])
	}
	if checked < len(cells) {
		t.Fatalf("rollup repair -dry-run: want 2 cells of at least %d:\n%s", len(cells), out)
	}
	for _, want := range []string{"would rebuild " + name(wrong) + " (differs)", "would rebuild " + name(gone) + " (missing)"} {
		if !strings.Contains(out, want) {
			t.Fatalf("rollup repair -dry-run: no %q in:\n%s", want, out)
		}
	}
	verifyFails("after the dry run")

	out = run(t, env, "rollup", "repair")
	for _, want := range []string{"rebuilt " + name(wrong) + " (differs)", "rebuilt " + name(gone) + " (missing)",
		fmt.Sprintf("casework rollup: 2 of %d cells rebuilt", checked)} {
		if !strings.Contains(out, want) {
			t.Fatalf("rollup repair: no %q in:\n%s", want, out)
		}
	}
	out = auditVerify(t, db)
	if !strings.Contains(out, fmt.Sprintf("casework rollup: %d cells match the case facts", checked)) {
		t.Fatalf("audit verify after the repair:\n%s", out)
	}
	if out := run(t, env, "rollup", "repair"); !strings.Contains(out, fmt.Sprintf("casework rollup: 0 of %d cells rebuilt", checked)) {
		t.Fatalf("a second repair:\n%s", out)
	}
	if pg {
		// The differences pending through the repair fold onto the
		// rebuilt cells, and the cells still match.
		s, err := sqlstore.Open(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.FoldRollup(ctx); err != nil {
			t.Fatal(err)
		}
		_ = s.Close()
		auditVerify(t, db)
	}
	if out, _ := exit("rollup", "-h"); !strings.Contains(out, "ssrad rollup repair") {
		t.Fatalf("rollup -h:\n%s", out)
	}
	if out, _ := exit("rollup", "repair", "-h"); !strings.Contains(out, "-dry-run") {
		t.Fatalf("rollup repair -h:\n%s", out)
	}
}
