package rest

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/sheet"
	"github.com/ssra-go/ssra/adapters/store"
)

// Config configures the server. Zero values take the defaults named on
// each field.
type Config struct {
	// Logger receives request logs and internal errors (default: discard).
	Logger *slog.Logger
	// BodyLimit is the largest request body in bytes (default 1 MiB).
	BodyLimit int64
	// RequestTimeout bounds each request's context (default: none; the
	// HTTP server's timeouts still apply).
	RequestTimeout time.Duration
	// AuthFailureLimit is how many failed authentications one client
	// address may make per AuthFailureWindow before it gets 429 (default
	// 10; negative disables the limit).
	AuthFailureLimit int
	// AuthFailureWindow is the window of AuthFailureLimit (default 1 minute).
	AuthFailureWindow time.Duration
	// TrustProxy takes the client address from X-Forwarded-For, for a
	// server behind a reverse proxy; otherwise the connection's address is
	// used and forwarding headers are ignored.
	TrustProxy bool
	// MetricsSeparate leaves /metrics off the main address, for a server
	// that serves MetricsHandler on a separate one.
	MetricsSeparate bool
	// SheetLimit is the largest spreadsheet an upload route takes, in
	// bytes, refused with 413 before it is parsed (default 10 MiB); the
	// body of such a route may exceed BodyLimit up to it.
	SheetLimit int64
	// SheetRows is the most data rows of an uploaded sheet (default 20,000).
	SheetRows int
	// ReportLocation is the time zone of the times in reports (default:
	// China Standard Time, UTC+8; see report.Input.Location).
	ReportLocation *time.Location
}

// Pinger checks that a dependency (the database) answers.
type Pinger interface {
	Ping(ctx context.Context) error
}

// Deps are what the server calls out to.
type Deps struct {
	// Auth resolves API keys (adapters/sqlstore, or an AuthenticatorFunc).
	Auth  store.Authenticator
	Ready Pinger
	// Resources enables the stored-resource routes (assessments,
	// decisions, complaints, the complainant's status check, audit
	// verification); nil leaves them off.
	Resources *Resources
	// Directory enables the administration routes (users and API keys of
	// the caller's organisation, for its admins); nil leaves them off.
	Directory Directory
}

// Server is the HTTP server: an echo instance with ssra's middleware and
// routes; it is the http.Handler to serve. Routes that need a key go on V1.
type Server struct {
	// router is the echo instance; Server itself is the http.Handler.
	router   *echo.Echo
	cfg      Config
	deps     Deps
	log      *slog.Logger
	metrics  *metrics
	failures *failureLimiter
	v1       *echo.Group
	// openapiDoc is the merged OpenAPI document, served as is.
	openapiDoc []byte
	// res and public serve the stored resources (resource.go).
	res    *Resources
	public *failureLimiter
}

// New returns a server with the foundation routes: GET /healthz and
// GET /readyz (no key), GET /metrics (a key of the operator role, unless
// cfg.MetricsSeparate) and GET /v1/me.
func New(cfg Config, deps Deps) *Server {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.BodyLimit <= 0 {
		cfg.BodyLimit = 1 << 20
	}
	if cfg.SheetLimit <= 0 {
		cfg.SheetLimit = sheet.DefaultLimits().MaxBytes
	}
	if cfg.SheetRows <= 0 {
		cfg.SheetRows = sheet.DefaultLimits().MaxRows
	}
	if cfg.AuthFailureLimit == 0 {
		cfg.AuthFailureLimit = 10
	}
	if cfg.AuthFailureWindow <= 0 {
		cfg.AuthFailureWindow = time.Minute
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	e.IPExtractor = echo.ExtractIPDirect()
	if cfg.TrustProxy {
		e.IPExtractor = echo.ExtractIPFromXFFHeader()
	}
	s := &Server{
		router: e, cfg: cfg, deps: deps, log: cfg.Logger, metrics: newMetrics(),
		failures: newFailureLimiter(cfg.AuthFailureLimit, cfg.AuthFailureWindow),
	}
	e.HTTPErrorHandler = s.errorHandler
	e.Use(s.observe, s.bodyLimit)
	if cfg.RequestTimeout > 0 {
		e.Use(s.timeout)
	}
	doc, err := OpenAPI()
	if err != nil {
		// The fragments are embedded and tested; a failure is a build defect.
		panic(fmt.Sprintf("rest: openapi document: %v", err))
	}
	s.openapiDoc = doc
	e.GET("/openapi.json", s.openapi)
	e.GET("/healthz", s.healthz)
	e.GET("/readyz", s.readyz)
	if !cfg.MetricsSeparate {
		e.GET("/metrics", s.metricsRoute, s.authenticate, requireRole(ssra.RoleOperator))
	}
	s.v1 = e.Group("/v1", s.authenticate, requireJSON)
	s.v1.GET("/me", s.me)
	s.registerCompute()
	s.registerResources()
	s.registerReports()
	s.registerAssets()
	s.registerDocs()
	s.registerAdmin()
	return s
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.router.ServeHTTP(w, r) }

// V1 is the group of routes under /v1: every route on it needs a valid API
// key, and a request body on it must be JSON.
func (s *Server) V1() *echo.Group { return s.v1 }

func (s *Server) healthz(c echo.Context) error {
	return c.JSON(http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) readyz(c echo.Context) error {
	if s.deps.Ready != nil {
		ctx, cancel := context.WithTimeout(c.Request().Context(), 2*time.Second)
		defer cancel()
		if err := s.deps.Ready.Ping(ctx); err != nil {
			s.log.WarnContext(ctx, "not ready", "request_id", requestID(c), "error", err.Error())
			return notReady("the database does not answer")
		}
	}
	return c.JSON(http.StatusOK, map[string]string{"status": "ready"})
}
