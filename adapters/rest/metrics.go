package rest

import (
	"bufio"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
)

// durationBuckets are the upper bounds, in seconds, of the request
// duration histogram.
var durationBuckets = []float64{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type reqKey struct {
	method, route string
	status        int
}

type routeKey struct{ method, route string }

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	n      uint64
}

// metrics collects the server's Prometheus metrics. Labels are the method,
// the route pattern and the status, so their number is bounded by the
// routes, never by what clients send.
type metrics struct {
	mu           sync.Mutex
	requests     map[reqKey]uint64
	durations    map[routeKey]*histogram
	inFlight     atomic.Int64
	authFailures atomic.Uint64
	start        time.Time
}

func newMetrics() *metrics {
	return &metrics{requests: map[reqKey]uint64{}, durations: map[routeKey]*histogram{}, start: time.Now()}
}

func (m *metrics) observe(method, route string, status int, d time.Duration) {
	sec := d.Seconds()
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[reqKey{method, route, status}]++
	h := m.durations[routeKey{method, route}]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(durationBuckets))}
		m.durations[routeKey{method, route}] = h
	}
	for i, b := range durationBuckets {
		if sec <= b {
			h.counts[i]++
			break
		}
	}
	h.sum += sec
	h.n++
}

// label escapes a label value for the text exposition format.
func label(v string) string {
	return strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(v)
}

func float(f float64) string { return strconv.FormatFloat(f, 'g', -1, 64) }

// writeTo writes the metrics in the Prometheus text exposition format 0.0.4.
func (m *metrics) writeTo(w *bufio.Writer) {
	m.mu.Lock()
	reqs := make([]reqKey, 0, len(m.requests))
	for k := range m.requests {
		reqs = append(reqs, k)
	}
	slices.SortFunc(reqs, func(a, b reqKey) int {
		return strings.Compare(fmt.Sprint(a.route, a.method, a.status), fmt.Sprint(b.route, b.method, b.status))
	})
	fmt.Fprintln(w, "# HELP ssra_http_requests_total HTTP requests by method, route pattern and status.")
	fmt.Fprintln(w, "# TYPE ssra_http_requests_total counter")
	for _, k := range reqs {
		fmt.Fprintf(w, "ssra_http_requests_total{method=\"%s\",route=\"%s\",status=\"%d\"} %d\n", label(k.method), label(k.route), k.status, m.requests[k])
	}
	routes := make([]routeKey, 0, len(m.durations))
	for k := range m.durations {
		routes = append(routes, k)
	}
	slices.SortFunc(routes, func(a, b routeKey) int { return strings.Compare(a.route+" "+a.method, b.route+" "+b.method) })
	fmt.Fprintln(w, "# HELP ssra_http_request_duration_seconds Time from receiving a request to finishing its response.")
	fmt.Fprintln(w, "# TYPE ssra_http_request_duration_seconds histogram")
	for _, k := range routes {
		h := m.durations[k]
		ls := fmt.Sprintf("method=\"%s\",route=\"%s\"", label(k.method), label(k.route))
		var cum uint64
		for i, b := range durationBuckets {
			cum += h.counts[i]
			fmt.Fprintf(w, "ssra_http_request_duration_seconds_bucket{%s,le=\"%s\"} %d\n", ls, float(b), cum)
		}
		fmt.Fprintf(w, "ssra_http_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", ls, h.n)
		fmt.Fprintf(w, "ssra_http_request_duration_seconds_sum{%s} %s\n", ls, float(h.sum))
		fmt.Fprintf(w, "ssra_http_request_duration_seconds_count{%s} %d\n", ls, h.n)
	}
	m.mu.Unlock()
	fmt.Fprintln(w, "# HELP ssra_http_requests_in_flight Requests being served.")
	fmt.Fprintln(w, "# TYPE ssra_http_requests_in_flight gauge")
	fmt.Fprintf(w, "ssra_http_requests_in_flight %d\n", m.inFlight.Load())
	fmt.Fprintln(w, "# HELP ssra_auth_failures_total Requests refused for a missing or invalid API key.")
	fmt.Fprintln(w, "# TYPE ssra_auth_failures_total counter")
	fmt.Fprintf(w, "ssra_auth_failures_total %d\n", m.authFailures.Load())
	fmt.Fprintln(w, "# HELP go_goroutines Number of goroutines that currently exist.")
	fmt.Fprintln(w, "# TYPE go_goroutines gauge")
	fmt.Fprintf(w, "go_goroutines %d\n", runtime.NumGoroutine())
	fmt.Fprintln(w, "# HELP process_start_time_seconds Start time of the process since unix epoch in seconds.")
	fmt.Fprintln(w, "# TYPE process_start_time_seconds gauge")
	fmt.Fprintf(w, "process_start_time_seconds %s\n", float(float64(m.start.UnixNano())/1e9))
}

const mimeMetrics = "text/plain; version=0.0.4; charset=utf-8"

// MetricsHandler serves the metrics without authentication, for a separate
// listen address that only the monitoring system reaches.
func (s *Server) MetricsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", mimeMetrics)
		w.Header().Set("Cache-Control", "no-store")
		bw := bufio.NewWriter(w)
		s.metrics.writeTo(bw)
		_ = bw.Flush()
	})
}

// metricsRoute serves GET /metrics on the main address (admin key).
func (s *Server) metricsRoute(c echo.Context) error {
	c.Response().Header().Set(echo.HeaderContentType, mimeMetrics)
	c.Response().WriteHeader(http.StatusOK)
	bw := bufio.NewWriter(c.Response())
	s.metrics.writeTo(bw)
	return bw.Flush()
}
