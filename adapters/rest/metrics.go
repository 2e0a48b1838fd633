package rest

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// durationBuckets are the upper bounds, in seconds, of the request
// duration histogram.
var durationBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

// metrics are the server's Prometheus metrics, in a registry of its own
// with the Go runtime and process collectors. Labels are the method, the
// route pattern and the status, so their number is bounded by the routes,
// never by what clients send.
type metrics struct {
	registry     *prometheus.Registry
	requests     *prometheus.CounterVec
	durations    *prometheus.HistogramVec
	inFlight     prometheus.Gauge
	authFailures prometheus.Counter
	handler      http.Handler
}

func newMetrics() *metrics {
	m := &metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ssra_http_requests_total", Help: "HTTP requests by method, route pattern and status.",
		}, []string{"method", "route", "status"}),
		durations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ssra_http_request_duration_seconds", Help: "Time from receiving a request to finishing its response.",
			Buckets: durationBuckets,
		}, []string{"method", "route"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "ssra_http_requests_in_flight", Help: "Requests being served.",
		}),
		authFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "ssra_auth_failures_total", Help: "Requests refused for a missing or invalid API key.",
		}),
	}
	m.registry.MustRegister(m.requests, m.durations, m.inFlight, m.authFailures,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.handler = promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{})
	return m
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	m.requests.WithLabelValues(method, route, strconv.Itoa(status)).Inc()
	m.durations.WithLabelValues(method, route).Observe(d.Seconds())
}

// serve writes the metrics in the format the request accepts (the
// Prometheus text format by default).
func (m *metrics) serve(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-store")
	m.handler.ServeHTTP(w, r)
}

// MetricsHandler serves the metrics without authentication, for a separate
// listen address that only the monitoring system reaches.
func (s *Server) MetricsHandler() http.Handler { return http.HandlerFunc(s.metrics.serve) }

// metricsRoute serves GET /metrics on the main address, to a key of the
// operator role only: the figures are the whole server's (every
// organisation's requests, the process's memory) and cannot be split by
// organisation, so an organisation's administrator gets none of them.
func (s *Server) metricsRoute(c echo.Context) error {
	s.metrics.serve(c.Response(), c.Request())
	return nil
}
