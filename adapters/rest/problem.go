package rest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
)

// mimeProblem is the media type of RFC 9457 problem details.
const mimeProblem = "application/problem+json"

// Problem is an RFC 9457 problem details body. Type is a URN naming the
// problem (urn:ssra:problem:not_found); Errors lists each bad field of
// invalid input with its path.
type Problem struct {
	Type      string       `json:"type"`
	Title     string       `json:"title"`
	Status    int          `json:"status"`
	Detail    string       `json:"detail,omitempty"`
	Instance  string       `json:"instance,omitempty"`
	RequestID string       `json:"request_id,omitempty"`
	Errors    []FieldError `json:"errors,omitempty"`
	// ErrorsOmitted counts the broken rules beyond the first 100,
	// which are not listed: one request's answer stays small however much
	// of its body is wrong.
	ErrorsOmitted int `json:"errors_omitted,omitempty"`
}

// maxProblems is how many broken rules a problem lists; ErrorsOmitted
// counts the rest.
const maxProblems = 100

// FieldError is one broken rule of invalid input, located by its field path
// (factors[2].residual.probability).
type FieldError struct {
	Code    string `json:"code"`
	Field   string `json:"field"`
	Message string `json:"message"`
}

// problemType names a problem: its status, its URN suffix and its title.
type problemType struct {
	status int
	name   string
	title  string
}

// kindStatus is the one table from the kernel's error kinds to HTTP.
var kindStatus = map[ssra.Kind]problemType{
	ssra.KindInternal:           {http.StatusInternalServerError, "internal", "Internal error"},
	ssra.KindInvalid:            {http.StatusUnprocessableEntity, "invalid", "Invalid input"},
	ssra.KindNotFound:           {http.StatusNotFound, "not_found", "Not found"},
	ssra.KindConflict:           {http.StatusConflict, "conflict", "Conflict"},
	ssra.KindForbidden:          {http.StatusForbidden, "forbidden", "Forbidden"},
	ssra.KindUnauthenticated:    {http.StatusUnauthorized, "unauthenticated", "Unauthenticated"},
	ssra.KindPreconditionFailed: {http.StatusPreconditionFailed, "precondition_failed", "Precondition failed"},
}

// transportCondition is a transport condition of the adapter itself, one that the
// domain never sees: a malformed body, a body over the limit, a wrong media
// type, a missing If-Match, too many failed attempts, a route or method that
// does not exist, a server that is not ready. It renders through the same
// problem renderer as domain errors.
type transportCondition struct {
	Status     int
	Name       string
	Title      string
	Detail     string
	Problems   ssra.Problems
	RetryAfter time.Duration
}

// Error returns the condition's title and detail.
func (c *transportCondition) Error() string { return c.Title + ": " + c.Detail }

// badRequest is a body or parameter that cannot be read at all (malformed
// JSON, unknown fields, trailing data, wrong types): 400, with the
// problems located by field path when known.
func badRequest(detail string, problems ssra.Problems) *transportCondition {
	return &transportCondition{Status: http.StatusBadRequest, Name: "bad_request", Title: "Bad request", Detail: detail, Problems: problems}
}

// tooLarge is a body over the limit: 413.
func tooLarge(limit int64) *transportCondition {
	return &transportCondition{Status: http.StatusRequestEntityTooLarge, Name: "too_large", Title: "Request body too large",
		Detail: fmt.Sprintf("the body exceeds %d bytes", limit)}
}

// unsupportedMediaType is a body of another type than JSON: 415.
func unsupportedMediaType(got string) *transportCondition {
	return &transportCondition{Status: http.StatusUnsupportedMediaType, Name: "unsupported_media_type", Title: "Unsupported media type",
		Detail: fmt.Sprintf("the body must be application/json, not %q", got)}
}

// preconditionRequired is an update without If-Match: 428.
func preconditionRequired() *transportCondition {
	return &transportCondition{Status: http.StatusPreconditionRequired, Name: "precondition_required", Title: "Precondition required",
		Detail: "send If-Match with the ETag of the version you read"}
}

// rateLimited is a client over a rate limit: 429 with Retry-After.
func rateLimited(retryAfter time.Duration, detail string) *transportCondition {
	return &transportCondition{Status: http.StatusTooManyRequests, Name: "rate_limited", Title: "Too many requests", Detail: detail, RetryAfter: retryAfter}
}

// notReady is a server that cannot serve yet: 503.
func notReady(detail string) *transportCondition {
	return &transportCondition{Status: http.StatusServiceUnavailable, Name: "not_ready", Title: "Service unavailable", Detail: detail}
}

// clientGone reports whether the client hung up: the connection's context,
// as it reached the server before any deadline of ours, was cancelled.
func clientGone(c echo.Context) bool {
	ctx, ok := c.Get(clientContextKey).(context.Context)
	return ok && errors.Is(ctx.Err(), context.Canceled)
}

// statusClientClosedRequest is the status logged for a request whose client
// hung up before the answer (nginx's 499); the client never receives it.
const statusClientClosedRequest = 499

// errorHandler renders every error as problem+json. It is echo's
// HTTPErrorHandler.
func (s *Server) errorHandler(err error, c echo.Context) {
	if c.Response().Committed {
		return
	}
	p, retry := s.problemOf(err, c)
	writeProblem(c, p, retry)
}

// problemOf classifies err; internal failures are logged here, and only
// here, with the request id that the client sees.
func (s *Server) problemOf(err error, c echo.Context) (Problem, time.Duration) {
	rid := requestID(c)
	p := Problem{Instance: c.Request().URL.Path, RequestID: rid}
	internalErr := func() (Problem, time.Duration) {
		t := kindStatus[ssra.KindInternal]
		s.log.ErrorContext(c.Request().Context(), "internal error", "request_id", rid, "route", routeOf(c), "error", err.Error())
		p.Type, p.Title, p.Status = "urn:ssra:problem:"+t.name, t.title, t.status
		p.Detail = "an internal error occurred; quote request id " + rid
		return p, 0
	}
	if clientGone(c) {
		// The client hung up: not a server error, and nobody reads the
		// answer. 499 (nginx's "client closed request") keeps it apart
		// from 5xx in the log, at INFO, and in the metrics.
		p.Type, p.Title, p.Status = "urn:ssra:problem:client_closed_request", "Client closed request", statusClientClosedRequest
		p.Detail = "the client closed the connection before the answer"
		return p, 0
	}
	var cond *transportCondition
	var kerr *ssra.Error
	var herr *echo.HTTPError
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &cond):
		p.Type, p.Title, p.Status, p.Detail = "urn:ssra:problem:"+cond.Name, cond.Title, cond.Status, cond.Detail
		p.Errors, p.ErrorsOmitted = listedErrors(cond.Problems)
		return p, cond.RetryAfter
	case errors.As(err, &maxErr):
		return s.problemOf(tooLarge(maxErr.Limit), c)
	case errors.As(err, &kerr):
		if kerr.Kind == ssra.KindInternal {
			return internalErr()
		}
		t, ok := kindStatus[kerr.Kind]
		if !ok {
			return internalErr()
		}
		p.Type, p.Title, p.Status, p.Detail = "urn:ssra:problem:"+t.name, t.title, t.status, kerr.Message
		p.Errors, p.ErrorsOmitted = listedErrors(kerr.Problems)
		return p, 0
	case errors.As(err, &herr):
		if herr.Code >= 500 {
			return internalErr()
		}
		p.Status, p.Title = herr.Code, http.StatusText(herr.Code)
		p.Type = "urn:ssra:problem:" + httpName(herr.Code)
		if m, ok := herr.Message.(string); ok && herr.Code != http.StatusNotFound {
			p.Detail = m
		}
		if herr.Code == http.StatusNotFound {
			p.Detail = "no such route"
		}
		return p, 0
	}
	return internalErr()
}

func httpName(code int) string {
	switch code {
	case http.StatusNotFound:
		return "not_found"
	case http.StatusMethodNotAllowed:
		return "method_not_allowed"
	case http.StatusRequestEntityTooLarge:
		return "too_large"
	case http.StatusUnsupportedMediaType:
		return "unsupported_media_type"
	case http.StatusTooManyRequests:
		return "rate_limited"
	case http.StatusUnauthorized:
		return "unauthenticated"
	}
	return "http_" + strconv.Itoa(code)
}

// listedErrors are the first maxProblems errors of ps and how many more
// there are.
func listedErrors(ps ssra.Problems) ([]FieldError, int) {
	ps = ps.Errors()
	if len(ps) <= maxProblems {
		return fieldErrors(ps), 0
	}
	return fieldErrors(ps[:maxProblems]), len(ps) - maxProblems
}

func fieldErrors(ps ssra.Problems) []FieldError {
	ps = ps.Errors()
	if len(ps) == 0 {
		return nil
	}
	out := make([]FieldError, len(ps))
	for i, q := range ps {
		out[i] = FieldError{Code: q.Code, Field: q.Field, Message: q.Message}
	}
	return out
}

func writeProblem(c echo.Context, p Problem, retry time.Duration) {
	h := c.Response().Header()
	h.Set(echo.HeaderContentType, mimeProblem)
	h.Set("Cache-Control", "no-store")
	if p.Status == http.StatusUnauthorized {
		h.Set(echo.HeaderWWWAuthenticate, `Bearer realm="ssra"`)
	}
	if retry > 0 {
		h.Set(echo.HeaderRetryAfter, strconv.Itoa(int((retry+time.Second-1)/time.Second)))
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(p.Status)
		return
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(p); err != nil {
		slog.Error("problem encoding", "error", err)
		b.Reset()
		b.WriteString(`{"type":"urn:ssra:problem:internal","title":"Internal error","status":500}`)
	}
	_ = c.Blob(p.Status, mimeProblem, b.Bytes())
}
