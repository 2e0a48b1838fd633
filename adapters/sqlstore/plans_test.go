package sqlstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/ssra-go/ssra/adapters/sqlstore"
)

// TestCaseWritePlanFindsRowsByKey: PostgreSQL plans a statement that a
// connection runs again and again once, generically, with the statistics
// of that moment, and keeps the plan until the next ANALYZE of its tables.
// A write of a case reads the record, locks it and reads its casework
// facts in one statement; its generic plan, made on a database with no
// statistics yet (a new one, as every deployment starts), must find the
// record by its key and the facts row by both columns of its key. With
// the kind in the condition the record could be found through
// records_kind_name (kind, name, id), reading every record of the kind,
// and a plain join tested only record_id, reading every facts row (or the
// whole of their key's index): each write's cost then grew with the
// tables until autovacuum's next ANALYZE.
func TestCaseWritePlanFindsRowsByKey(t *testing.T) {
	s, raw := openPostgres(t)
	w := setup(t, s)
	ctx := context.Background()
	conn, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	query, args := sqlstore.CaseWriteQuery(s, w.a, "some-case")
	if _, err := conn.ExecContext(ctx, `SET plan_cache_mode = force_generic_plan`); err != nil {
		t.Fatal(err)
	}
	if _, err := conn.ExecContext(ctx, `PREPARE case_write AS `+query); err != nil {
		t.Fatalf("prepare %s: %v", query, err)
	}
	// EXPLAIN takes no parameters: the arguments (all text) as literals.
	lits := make([]string, len(args))
	for i, a := range args {
		v, ok := a.(string)
		if !ok {
			t.Fatalf("argument %d is %T, not text", i+1, a)
		}
		lits[i] = "'" + strings.ReplaceAll(v, "'", "''") + "'"
	}
	rows, err := conn.QueryContext(ctx, `EXPLAIN EXECUTE case_write (`+strings.Join(lits, ", ")+`)`)
	if err != nil {
		t.Fatal(err)
	}
	var plan strings.Builder
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			t.Fatal(err)
		}
		plan.WriteString(line + "\n")
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	p := plan.String()
	for _, want := range []string{"Index Scan using records_pkey on records r", "Index Cond: (id = $1)",
		"Index Scan using case_facts_pkey on case_facts c", "Index Cond: ((org_id = r.org_id) AND (record_id = r.id))"} {
		if !strings.Contains(p, want) {
			t.Errorf("the generic plan has no %q:\n%s", want, p)
		}
	}
	for _, bad := range []string{"Seq Scan", "records_kind_name"} {
		if strings.Contains(p, bad) {
			t.Errorf("the generic plan has %q:\n%s", bad, p)
		}
	}
}
