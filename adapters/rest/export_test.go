package rest

import "github.com/labstack/echo/v4"

// The helpers below are unexported because no importer needs them; the
// external tests of the package reach them through these names.
var (
	BadRequest                = badRequest
	DecodeBytes               = decodeBytes
	Caller                    = caller
	IfMatch                   = ifMatch
	PreconditionRequired      = preconditionRequired
	PrincipalFrom             = principalFrom
	RequireRole               = requireRole
	MIMEProblem               = mimeProblem
	MaxProblems               = maxProblems
	StatusClientClosedRequest = statusClientClosedRequest
)

// Condition is the adapter's transport condition, for errors.As in tests.
type Condition = transportCondition

// Routes lists the server's routes.
func (s *Server) Routes() []*echo.Route { return s.router.Routes() }
