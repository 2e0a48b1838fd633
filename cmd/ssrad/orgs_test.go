package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
)

// TestOrgsHierarchyCommands: an organisation is created below another,
// moved with orgs parent, refused when the move would make a cycle, and
// listed with its parent.
func TestOrgsHierarchyCommands(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "ssra.db")
	env := func(string) string { return "" }
	if err := migrateCmd(ctx, []string{"-db", db}, env, &strings.Builder{}); err != nil {
		t.Fatal(err)
	}
	orgs := func(args ...string) (string, error) {
		var out strings.Builder
		err := orgsCmd(ctx, append(args, "-db", db), env, &out, &strings.Builder{})
		return strings.TrimSpace(out.String()), err
	}
	city, err := orgs("create", "-name", "City bureau")
	if err != nil {
		t.Fatal(err)
	}
	county, err := orgs("create", "-name", "County office", "-parent", city)
	if err != nil {
		t.Fatal(err)
	}
	town, err := orgs("create", "-name", "Town office")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := orgs("parent", "-id", town, "-parent", county); err != nil {
		t.Fatal(err)
	}
	_, err = orgs("parent", "-id", city, "-parent", town)
	if ssra.KindOf(err) != ssra.KindInvalid || !strings.Contains(err.Error(), "ancestor") {
		t.Fatalf("a cycle: %v", err)
	}
	for _, bad := range [][]string{{"parent", "-id", town}, {"parent", "-id", town, "-parent", city, "-root"}, {"parent", "-parent", city}} {
		if _, err := orgs(bad...); err == nil {
			t.Fatalf("orgs %v accepted", bad)
		}
	}
	if _, err := orgs("create", "-name", "Orphan", "-parent", "no-such-org"); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("an unknown parent: %v", err)
	}
	if _, err := orgs("parent", "-id", county, "-root"); err != nil {
		t.Fatal(err)
	}
	list, err := orgs("list")
	if err != nil {
		t.Fatal(err)
	}
	parents := map[string]string{}
	for _, line := range strings.Split(list, "\n")[1:] {
		f := strings.Fields(line)
		parents[f[0]] = f[len(f)-2]
	}
	if parents[city] != "-" || parents[county] != "-" || parents[town] != county || len(parents) != 3 {
		t.Fatalf("orgs list:\n%s", list)
	}
	if !strings.HasPrefix(list, "ID") || !strings.Contains(strings.SplitN(list, "\n", 2)[0], "PARENT") {
		t.Fatalf("orgs list header:\n%s", list)
	}
}
