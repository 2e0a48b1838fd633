package rest

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
	"github.com/ssra-go/ssra/stability"
)

// queryCodeHeader is the request header that carries a case's query code
// (查询码) to the public status check. The code is accepted there or in a
// rating's body, never in the address: proxies and request logs keep
// addresses.
const queryCodeHeader = "X-Query-Code"

// registerPublic adds the complainant's (and a dispute party's) status
// check and rating, which need no key: the reference number and the query
// code issued at registration prove the right to see the status and
// deadlines, nothing else. Every request counts against a per-address
// limit.
func (s *Server) registerPublic() {
	for _, k := range []store.RecordKind{store.RecordComplaint, store.RecordDispute} {
		base := "/v1/public/" + k.String() + "s/:reference"
		s.router.GET(base, s.publicStatus(k), s.publicLimit)
		s.router.POST(base+"/rating", s.publicRate(k), s.publicLimit, requireJSON)
	}
}

// publicLimit answers 429 to an address over the public limit.
func (s *Server) publicLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := s.countPublic(c); err != nil {
			return err
		}
		return next(c)
	}
}

// countPublic counts a request against the public limit of its address and
// marks the answer not to be stored; over the limit it returns the 429
// condition.
func (s *Server) countPublic(c echo.Context) error {
	ip, now := c.RealIP(), time.Now()
	if wait := s.public.blocked(ip, now); wait > 0 {
		return rateLimited(wait, "too many status checks from this address; retry later")
	}
	s.public.fail(ip, now)
	c.Response().Header().Set("Cache-Control", "no-store")
	return nil
}

// noSuchCase is the one answer to an unknown reference and to a wrong
// code alike, so that the status check does not confirm that a case exists.
func noSuchCase() *transportCondition {
	return &transportCondition{Status: http.StatusNotFound, Name: "not_found", Title: "Not found",
		Detail: "no case with this reference number and query code"}
}

// publicView is the status check: status and deadlines, and whether the
// handling may be rated.
type publicView struct {
	stability.PublicView
	CanRate bool `json:"can_rate"`
}

// publicCase is what the status check needs of a complaint or a dispute.
type publicCase interface {
	VerifyQueryCode(code string) bool
	PublicStatus(code string) (stability.PublicView, error)
	Rate(now time.Time, code string, r stability.Rating) error
}

// rateable reports whether the case's handling may be rated now.
func rateable(pc publicCase) bool {
	switch c := pc.(type) {
	case *stability.Complaint:
		return c.Handling != nil
	case *stability.Dispute:
		return c.Agreement != nil || c.Termination != nil
	}
	return false
}

// lookupCase finds the case by reference and checks the code; any failure
// is noSuchCase. Both failures, an unknown reference and a wrong code, do
// the same work and answer at the same time, so that the time of the
// answer does not confirm that a case exists: the code is checked against
// the stored digest before the case is decoded (an unknown reference is
// checked against a digest that matches no code), and a failure is held
// until PublicFailureTime after the lookup began.
func (s *Server) lookupCase(ctx context.Context, kind store.RecordKind, ref, code string) (store.Record, publicCase, error) {
	start := time.Now()
	rec, err := s.res.Store.LookupReference(ctx, kind, ref)
	if err != nil && ssra.KindOf(err) != ssra.KindNotFound {
		return store.Record{}, nil, err
	}
	var head struct {
		Ref       string `json:"ref"`
		QueryHash string `json:"query_hash"`
	}
	if err == nil {
		if err := unmarshalHead(rec.Body, &head); err != nil {
			return store.Record{}, nil, err
		}
	} else {
		head.Ref, head.QueryHash = ref, noCaseDigest
	}
	if !(&stability.Record{Ref: head.Ref, QueryHash: head.QueryHash}).VerifyQueryCode(code) || err != nil {
		s.holdFailure(ctx, start)
		return store.Record{}, nil, noSuchCase()
	}
	var pc publicCase
	if kind == store.RecordComplaint {
		cs, err := complaintCases.decodeRecord(s, rec)
		if err != nil {
			return store.Record{}, nil, err
		}
		pc = cs
	} else {
		d, err := disputeCases.decodeRecord(s, rec)
		if err != nil {
			return store.Record{}, nil, err
		}
		pc = d
	}
	if !pc.VerifyQueryCode(code) {
		s.holdFailure(ctx, start)
		return store.Record{}, nil, noSuchCase()
	}
	return rec, pc, nil
}

// noCaseDigest is the digest an unknown reference's code is checked
// against: of the same length as a real one, and matching no code.
const noCaseDigest = "0000000000000000000000000000000000000000000000000000000000000000"

// unmarshalHead reads the reference and the query code's digest of a
// stored case without decoding the rest of it.
func unmarshalHead(body []byte, head any) error {
	if err := json.Unmarshal(body, head); err != nil {
		return ssra.Wrap(ssra.KindInternal, "rest.lookupCase", err, "stored case does not decode")
	}
	return nil
}

// holdFailure waits until the failure time after start (or until the
// request is cancelled).
func (s *Server) holdFailure(ctx context.Context, start time.Time) {
	wait := time.Until(start.Add(s.res.PublicFailureTime))
	if wait <= 0 {
		return
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// queryCode is the query code in the request's header. A code in the
// address is refused, so that a client that sends it there learns to stop
// rather than leave it in every proxy's log.
func queryCode(c echo.Context) (string, error) {
	if c.QueryParams().Has("code") {
		return "", badRequest("the query code is not accepted in the address", ssra.Problems{{Code: "query_code.in_address", Field: "code",
			Message: "send the query code in the " + queryCodeHeader + " header (or a rating's body), never in the address: proxies and logs keep addresses"}})
	}
	return strings.TrimSpace(c.Request().Header.Get(queryCodeHeader)), nil
}

func (s *Server) publicStatus(kind store.RecordKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		code, err := queryCode(c)
		if err != nil {
			return err
		}
		v, err := s.checkStatus(c.Request().Context(), kind, c.Param("reference"), code)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

// rateInput is the body of a rating: the query code and the rating.
type rateInput struct {
	Code   string           `json:"code"`
	Rating stability.Rating `json:"rating"`
}

// publicRate records the complainant's or party's rating of the handling (评价).
func (s *Server) publicRate(kind store.RecordKind) echo.HandlerFunc {
	return func(c echo.Context) error {
		header, err := queryCode(c)
		if err != nil {
			return err
		}
		var in rateInput
		if err := decodeJSON(c, &in); err != nil {
			return err
		}
		// A missing rating is refused before the case is looked up: it is
		// never a real member (satisfied or any other).
		if _, err := in.Rating.MarshalText(); err != nil {
			return badRequest("invalid rating", ssra.Problems{{Code: "rating.required", Field: "rating", Message: "rating is required: satisfied, basically_satisfied or dissatisfied"}})
		}
		code := in.Code
		if code == "" {
			code = header
		}
		v, err := s.rateCase(c.Request().Context(), kind, c.Param("reference"), code, in.Rating)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, v)
	}
}

// checkStatus is the status check behind the JSON route and the status
// page: the public view of the case with this reference and code, or
// noSuchCase.
func (s *Server) checkStatus(ctx context.Context, kind store.RecordKind, ref, code string) (publicView, error) {
	_, pc, err := s.lookupCase(ctx, kind, ref, code)
	if err != nil {
		return publicView{}, err
	}
	v, err := pc.PublicStatus(code)
	if err != nil {
		return publicView{}, noSuchCase()
	}
	return publicView{PublicView: v, CanRate: rateable(pc)}, nil
}

// rateCase records a rating for the JSON route and the status page, and
// returns the public view after it.
func (s *Server) rateCase(ctx context.Context, kind store.RecordKind, ref, code string, r stability.Rating) (publicView, error) {
	rec, pc, err := s.lookupCase(ctx, kind, ref, code)
	if err != nil {
		return publicView{}, err
	}
	if err := pc.Rate(s.res.Now(), code, r); err != nil {
		if ssra.KindOf(err) == ssra.KindNotFound {
			return publicView{}, noSuchCase()
		}
		return publicView{}, err
	}
	var f store.Fields
	switch x := pc.(type) {
	case *stability.Complaint:
		f = complaintFields(x)
	case *stability.Dispute:
		f = disputeFields(x)
	}
	if _, err := s.res.Store.UpdatePublic(ctx, kind.String()+".rate", kind, rec.ID, rec.Version, f); err != nil {
		return publicView{}, err
	}
	v, err := pc.PublicStatus(code)
	if err != nil {
		return publicView{}, noSuchCase()
	}
	return publicView{PublicView: v, CanRate: true}, nil
}
