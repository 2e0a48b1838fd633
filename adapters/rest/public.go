package rest

import (
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

// QueryCodeHeader is the request header that carries a complaint's query
// code (查询码) to the complainant's status check; the query parameter
// "code" is accepted too.
const QueryCodeHeader = "X-Query-Code"

// registerPublic adds the complainant's status check and rating, which
// need no key: the reference number and the query code issued at
// registration prove the right to see the status and deadlines, nothing
// else. Every request counts against a per-address limit.
func (s *Server) registerPublic() {
	s.Echo.GET("/v1/public/complaints/:reference", s.publicStatus, s.publicLimit)
	s.Echo.POST("/v1/public/complaints/:reference/rating", s.publicRate, s.publicLimit, requireJSON)
}

// publicLimit answers 429 to an address over the public limit.
func (s *Server) publicLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ip, now := c.RealIP(), time.Now()
		if wait := s.public.blocked(ip, now); wait > 0 {
			return RateLimited(wait, "too many status checks from this address; retry later")
		}
		s.public.fail(ip, now)
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// noSuchCase is the one answer to an unknown reference and to a wrong
// code alike, so that the status check does not confirm that a case exists.
func noSuchCase() *Condition {
	return &Condition{Status: http.StatusNotFound, Name: "not_found", Title: "Not found",
		Detail: "no case with this reference number and query code"}
}

// publicView is the complainant's status check: status and deadlines, and
// whether the handling may be rated.
type publicView struct {
	stability.PublicView
	CanRate bool `json:"can_rate"`
}

// lookupCase finds the case by reference and checks the code; any failure
// is noSuchCase. A lookup of an unknown reference still hashes the code,
// so that both failures take about as long.
func (s *Server) lookupCase(c echo.Context, code string) (Record, *stability.Complaint, error) {
	ref := c.Param("reference")
	rec, err := s.res.Store.LookupReference(c.Request().Context(), kindComplaint, ref)
	if err != nil {
		if ssra.KindOf(err) != ssra.KindNotFound {
			return Record{}, nil, err
		}
		(&stability.Record{Ref: ref, QueryHash: "x"}).VerifyQueryCode(code)
		return Record{}, nil, noSuchCase()
	}
	cs, err := s.decodeComplaint(rec)
	if err != nil {
		return Record{}, nil, err
	}
	if !cs.VerifyQueryCode(code) {
		return Record{}, nil, noSuchCase()
	}
	return rec, cs, nil
}

func queryCode(c echo.Context) string {
	if v := strings.TrimSpace(c.Request().Header.Get(QueryCodeHeader)); v != "" {
		return v
	}
	return strings.TrimSpace(c.QueryParam("code"))
}

func (s *Server) publicStatus(c echo.Context) error {
	_, cs, err := s.lookupCase(c, queryCode(c))
	if err != nil {
		return err
	}
	v, err := cs.PublicStatus(queryCode(c))
	if err != nil {
		return noSuchCase()
	}
	return c.JSON(http.StatusOK, publicView{PublicView: v, CanRate: cs.Handling != nil})
}

// rateInput is the body of a rating: the query code and the rating.
type rateInput struct {
	Code   string           `json:"code"`
	Rating stability.Rating `json:"rating"`
}

// publicRate records the complainant's rating of the handling (评价).
func (s *Server) publicRate(c echo.Context) error {
	var in rateInput
	if err := DecodeJSON(c, &in); err != nil {
		return err
	}
	code := in.Code
	if code == "" {
		code = queryCode(c)
	}
	rec, cs, err := s.lookupCase(c, code)
	if err != nil {
		return err
	}
	if err := cs.Rate(s.res.Now(), code, in.Rating); err != nil {
		if ssra.KindOf(err) == ssra.KindNotFound {
			return noSuchCase()
		}
		return err
	}
	if _, err := s.res.Store.UpdatePublic(c.Request().Context(), "complaint.rate", kindComplaint, rec.ID, rec.Version, complaintFields(cs)); err != nil {
		return err
	}
	v, err := cs.PublicStatus(code)
	if err != nil {
		return noSuchCase()
	}
	return c.JSON(http.StatusOK, publicView{PublicView: v, CanRate: true})
}
