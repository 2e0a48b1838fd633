package ssra

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

var roles = NewEnum[Role]("role",
	M("admin", "管理员", "administrator"),
	M("assessor", "评估人员", "assessor"),
	M("reviewer", "审核人员", "reviewer"),
	M("decision_maker", "决策人员", "decision maker"),
	M("appraiser", "考核人员", "appraiser"),
	M("caseworker", "信访/调解工作人员", "caseworker"),
	M("viewer", "查阅人员", "viewer"),
	M("operator", "服务运维", "server operator"),
)

// Roles lists every role in its canonical order.
func Roles() []Role { return roles.Members() }

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
func (r Role) String() string { return roles.String(r) }

// Valid reports whether r is one of the defined roles.
func (r Role) Valid() bool { return roles.Valid(r) }

// Label returns the role's name for people in lang.
func (r Role) Label(lang Lang) string { return roles.Label(r, lang) }

// MarshalText encodes the role as its name and refuses an undefined role.
func (r Role) MarshalText() ([]byte, error) { return roles.MarshalText(r) }

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
	if r, err := roles.Parse(s); err == nil {
		return r, nil
	}
	return 0, Errorf(KindInvalid, "ssra.ParseRole", "unknown role %q", s)
}

// Actor is a user acting for an organisation (经办人): who performs an
// operation, and the organisation whose records the operation may read and
// change. Both are identifiers, never names, because a match on an actor
// decides who may see what. Stored workflow events carry it as
// {"user_id": …, "org_id": …}.
type Actor struct {
	UserID string `json:"user_id"`
	OrgID  string `json:"org_id"`
}
