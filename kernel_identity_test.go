package ssra_test

import (
	"encoding/json"
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
	if len(seen) != 7 || !seen["decision_maker"] {
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
