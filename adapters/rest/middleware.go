package rest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"mime"
	"net/http"
	"runtime"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
)

const requestIDKey = "ssra.request_id"

// clientContextKey holds the request's context as it reached the server,
// before any deadline of ours, to tell a client's hang-up from a time-out.
const clientContextKey = "ssra.client_context"

// RequestID returns the request's id: the caller's X-Request-ID when it is
// 1 to 64 characters of [A-Za-z0-9._-], else a fresh random one. It is
// echoed in the X-Request-ID response header, in problem bodies and in logs.
func requestID(c echo.Context) string {
	if v, ok := c.Get(requestIDKey).(string); ok {
		return v
	}
	return ""
}

func validRequestID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		ch := s[i]
		if !(ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || ch == '.' || ch == '_' || ch == '-') {
			return false
		}
	}
	return true
}

func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// routeOf is the matched route pattern, never the raw path: paths may hold
// reference numbers that are not for logs or metric labels.
func routeOf(c echo.Context) string {
	if p := c.Path(); p != "" {
		return p
	}
	return "unmatched"
}

// observe is the outermost middleware: it assigns the request id, sets the
// security headers, turns a panic into a logged 500 problem, renders errors,
// and then logs and counts the request with its final status.
func (s *Server) observe(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) (err error) {
		start := time.Now()
		req := c.Request()
		rid := req.Header.Get(echo.HeaderXRequestID)
		if !validRequestID(rid) {
			rid = newRequestID()
		}
		c.Set(requestIDKey, rid)
		c.Set(clientContextKey, req.Context())
		h := c.Response().Header()
		h.Set(echo.HeaderXRequestID, rid)
		h.Set(echo.HeaderXContentTypeOptions, "nosniff")
		h.Set(echo.HeaderXFrameOptions, "DENY")
		h.Set(echo.HeaderReferrerPolicy, "no-referrer")
		h.Set(echo.HeaderContentSecurityPolicy, "default-src 'none'; frame-ancestors 'none'")
		s.metrics.inFlight.Add(1)
		defer func() {
			if r := recover(); r != nil {
				if r == http.ErrAbortHandler {
					// net/http's way to abort a response: not an error.
					s.metrics.inFlight.Add(-1)
					panic(r)
				}
				stack := make([]byte, 8<<10)
				stack = stack[:runtime.Stack(stack, false)]
				s.log.ErrorContext(req.Context(), "panic", "request_id", rid, "route", routeOf(c), "panic", fmt.Sprint(r), "stack", string(stack))
				s.errorHandler(fmt.Errorf("panic: %v", r), c)
			}
			s.metrics.inFlight.Add(-1)
			status := c.Response().Status
			route := routeOf(c)
			latency := time.Since(start)
			s.metrics.observe(req.Method, route, status, latency)
			level := slog.LevelInfo
			if status >= 500 {
				level = slog.LevelError
			}
			attrs := []slog.Attr{slog.String("request_id", rid), slog.String("method", req.Method), slog.String("route", route),
				slog.Int("status", status), slog.Float64("latency_ms", float64(latency.Microseconds())/1000),
				slog.Int64("bytes", c.Response().Size)}
			// Who asked, by identifiers: the user and the id of the key
			// (never the key), so that a read can be traced to a person.
			if p, ok := principalFrom(c.Request().Context()); ok {
				attrs = append(attrs, slog.String("user_id", p.UserID), slog.String("key_id", p.KeyID))
			}
			s.log.LogAttrs(req.Context(), level, "request", attrs...)
			err = nil
		}()
		if err := next(c); err != nil {
			s.errorHandler(err, c)
		}
		return nil
	}
}

// bodyLimit refuses bodies over the limit: at once when Content-Length says
// so, and while reading otherwise (the decoder's *http.MaxBytesError renders
// as 413).
func (s *Server) bodyLimit(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		limit := s.cfg.BodyLimit
		if sheetUploads[c.Path()] {
			// A spreadsheet route checks its own, larger, limit before
			// parsing; this one bounds what it may read.
			limit = s.cfg.SheetLimit + multipartSlack
		}
		if req.ContentLength > limit {
			return tooLarge(limit)
		}
		if req.Body != nil && req.Body != http.NoBody {
			req.Body = http.MaxBytesReader(c.Response(), req.Body, limit)
		}
		return next(c)
	}
}

// requireJSON refuses a request body of another media type than JSON
// (application/json or a +json type) with 415.
func requireJSON(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		req := c.Request()
		switch req.Method {
		case http.MethodPost, http.MethodPut, http.MethodPatch:
		default:
			return next(c)
		}
		if sheetUploads[c.Path()] {
			return next(c) // the handler takes a spreadsheet and checks its type
		}
		if req.ContentLength == 0 && req.Header.Get(echo.HeaderContentType) == "" {
			return next(c)
		}
		ct := req.Header.Get(echo.HeaderContentType)
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || !(mt == "application/json" || strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json")) {
			return unsupportedMediaType(ct)
		}
		return next(c)
	}
}

// ifMatch returns the request's If-Match value, or a 428 condition when it
// is missing; stored-resource updates call it before writing.
func ifMatch(c echo.Context) (string, error) {
	v := strings.TrimSpace(c.Request().Header.Get("If-Match"))
	if v == "" {
		return "", preconditionRequired()
	}
	return v, nil
}

// timeout bounds the request's context by Config.RequestTimeout; handlers
// and storage see the deadline through the context.
func (s *Server) timeout(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ctx, cancel := context.WithTimeout(c.Request().Context(), s.cfg.RequestTimeout)
		defer cancel()
		c.SetRequest(c.Request().WithContext(ctx))
		return next(c)
	}
}
