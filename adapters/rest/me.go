package rest

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
)

// meResponse is the body of GET /v1/me.
type meResponse struct {
	User         idName      `json:"user"`
	Organisation idName      `json:"organisation"`
	Roles        []ssra.Role `json:"roles"`
	KeyID        string      `json:"key_id"`
}

type idName struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// me answers GET /v1/me: who the key belongs to.
func (s *Server) me(c echo.Context) error {
	p, err := caller(c)
	if err != nil {
		return err
	}
	roles := p.Roles
	if roles == nil {
		roles = []ssra.Role{}
	}
	return c.JSON(http.StatusOK, meResponse{
		User: idName{p.UserID, p.UserName}, Organisation: idName{p.OrgID, p.OrgName}, Roles: roles, KeyID: p.KeyID,
	})
}
