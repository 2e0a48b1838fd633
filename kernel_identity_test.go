package ssra_test

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/ssra-go/ssra"
)

func TestRoleText(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range ssra.Roles() {
		b, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var back ssra.Role
		if err := json.Unmarshal(b, &back); err != nil || back != r {
			t.Fatalf("%s does not round-trip: %v", b, err)
		}
		if seen[r.String()] {
			t.Fatalf("duplicate role name %s", r)
		}
		seen[r.String()] = true
	}
	if len(seen) != 8 || !seen["decision_maker"] || !seen["operator"] {
		t.Fatalf("roles: %v", seen)
	}
	for _, bad := range []string{`""`, `"Admin"`, `"root"`, `"role(1)"`, `1`} {
		var r ssra.Role
		if err := json.Unmarshal([]byte(bad), &r); err == nil {
			t.Fatalf("Unmarshal(%s): want an error", bad)
		}
	}
	if _, err := ssra.Role(0).MarshalText(); err == nil {
		t.Fatal("the zero role must not marshal")
	}
	if _, err := ssra.ParseRole("king"); ssra.KindOf(err) != ssra.KindInvalid {
		t.Fatalf("ParseRole(king): %v", err)
	}
}

// TestOperatorNotGrantableByOrganisation: the operator role is the only
// role an organisation's administrator may not grant, and the roles they
// may grant are every other role.
func TestOperatorNotGrantableByOrganisation(t *testing.T) {
	var grantable []ssra.Role
	for _, r := range ssra.Roles() {
		if r.OrganisationGrantable() {
			grantable = append(grantable, r)
		}
	}
	if got, want := fmt.Sprint(grantable), fmt.Sprint(ssra.OrganisationRoles()); got != want {
		t.Fatalf("grantable roles %s, want %s", got, want)
	}
	if ssra.RoleOperator.OrganisationGrantable() || ssra.Role(0).OrganisationGrantable() {
		t.Fatal("the operator role and the zero role must not be grantable by an organisation")
	}
}
