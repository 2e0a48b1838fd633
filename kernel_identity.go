package ssra

import (
	"fmt"
	"strconv"
)

// Role is what a user may do within their organisation (角色). The set is
// closed; the storage and REST adapters share it through the kernel so that
// neither imports the other.
type Role uint8

// The roles. The zero value is not a role.
const (
	// RoleAdmin manages the organisation's users, keys and audit log (管理员).
	RoleAdmin Role = iota + 1
	// RoleAssessor writes risk assessments (评估人员).
	RoleAssessor
	// RoleReviewer reviews assessments written by others (审核人员).
	RoleReviewer
	// RoleDecisionMaker takes approval decisions through the gate (决策人员).
	RoleDecisionMaker
	// RoleAppraiser runs appraisals of units and staff (考核人员).
	RoleAppraiser
	// RoleCaseworker handles complaints and disputes (信访/调解工作人员).
	RoleCaseworker
	// RoleViewer reads what the organisation may read and changes nothing (查阅人员).
	RoleViewer
	// RoleOperator runs the server (服务运维): it reads the figures that
	// cannot be split by organisation (the server's metrics, the
	// verification of the whole audit log) and nothing more of any
	// organisation's records than its holder's other roles give. It is
	// server-wide, so no organisation's administrator may grant it, take
	// it away or act for the user who holds it; only the server's command
	// line does (see Role.OrganisationGrantable).
	RoleOperator
)

var roleNames = [...]string{"", "admin", "assessor", "reviewer", "decision_maker", "appraiser", "caseworker", "viewer", "operator"}

// Roles lists every role in its canonical order.
func Roles() []Role {
	return []Role{RoleAdmin, RoleAssessor, RoleReviewer, RoleDecisionMaker, RoleAppraiser, RoleCaseworker, RoleViewer, RoleOperator}
}

// OrganisationRoles lists the roles an organisation's administrator may
// grant: every role but the operator's.
func OrganisationRoles() []Role {
	return []Role{RoleAdmin, RoleAssessor, RoleReviewer, RoleDecisionMaker, RoleAppraiser, RoleCaseworker, RoleViewer}
}

// OrganisationGrantable reports whether an organisation's administrator
// may grant r to a user of the organisation. The operator role is not: it
// sees figures of every organisation, so an administrator who could grant
// it could raise themselves above their organisation.
func (r Role) OrganisationGrantable() bool { return r.Valid() && r != RoleOperator }

// String returns the role's snake_case name.
func (r Role) String() string {
	if r > 0 && int(r) < len(roleNames) {
		return roleNames[r]
	}
	return "role(" + strconv.Itoa(int(r)) + ")"
}

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool { return r > 0 && int(r) < len(roleNames) }

// MarshalText encodes the role as its name and refuses an undefined role.
func (r Role) MarshalText() ([]byte, error) {
	if !r.Valid() {
		return nil, fmt.Errorf("ssra: unknown role %d", r)
	}
	return []byte(roleNames[r]), nil
}

// UnmarshalText decodes a role name and rejects unknown text.
func (r *Role) UnmarshalText(b []byte) error {
	p, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = p
	return nil
}

// ParseRole returns the role named s, or an error of KindInvalid naming the
// unknown text.
func ParseRole(s string) (Role, error) {
	for i := 1; i < len(roleNames); i++ {
		if roleNames[i] == s {
			return Role(i), nil
		}
	}
	return 0, Errorf(KindInvalid, "ssra.ParseRole", "unknown role %q", s)
}
