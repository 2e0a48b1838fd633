package rest

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/store"
)

// AuthenticatorFunc adapts a function to store.Authenticator, for a server
// of the stateless routes that keeps no users of its own.
type AuthenticatorFunc func(ctx context.Context, key string) (store.Identity, error)

// Authenticate calls f.
func (f AuthenticatorFunc) Authenticate(ctx context.Context, key string) (store.Identity, error) {
	return f(ctx, key)
}

type principalKey struct{}

// withPrincipal returns ctx carrying p.
func withPrincipal(ctx context.Context, p store.Identity) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// principalFrom returns the principal of an authenticated request's context.
func principalFrom(ctx context.Context) (store.Identity, bool) {
	p, ok := ctx.Value(principalKey{}).(store.Identity)
	return p, ok
}

// caller returns the principal of an authenticated request, or an error of
// ssra.KindUnauthenticated on a route that is not behind authentication.
func caller(c echo.Context) (store.Identity, error) {
	p, ok := principalFrom(c.Request().Context())
	if !ok {
		return store.Identity{}, ssra.Errorf(ssra.KindUnauthenticated, "rest.Caller", "authentication required")
	}
	return p, nil
}

// requireRole returns middleware that lets through callers holding any of
// roles and answers the others with 403. It runs after authentication.
func requireRole(roles ...ssra.Role) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			p, err := caller(c)
			if err != nil {
				return err
			}
			for _, r := range roles {
				if p.Has(r) {
					return next(c)
				}
			}
			return ssra.Errorf(ssra.KindForbidden, "rest.RequireRole", "this needs one of the roles %v", roles)
		}
	}
}

// authenticate is the Bearer-key middleware: it refuses a client that has
// failed too often with 429 before looking at its key, answers a missing or
// bad key with 401, and puts the principal into the request context.
// Authenticated responses are marked Cache-Control: no-store.
func (s *Server) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		ip := c.RealIP()
		if wait := s.failures.blocked(ip, time.Now()); wait > 0 {
			return rateLimited(wait, "too many failed authentication attempts from this address; retry later")
		}
		key, ok := bearer(c.Request().Header.Get(echo.HeaderAuthorization))
		if !ok {
			s.metrics.authFailures.Add(1)
			s.failures.fail(ip, time.Now())
			return ssra.Errorf(ssra.KindUnauthenticated, "rest.authenticate", "send an API key as Authorization: Bearer <key>")
		}
		p, err := s.deps.Auth.Authenticate(c.Request().Context(), key)
		if err != nil {
			if ssra.KindOf(err) == ssra.KindUnauthenticated {
				s.metrics.authFailures.Add(1)
				s.failures.fail(ip, time.Now())
				return ssra.Errorf(ssra.KindUnauthenticated, "rest.authenticate", "invalid API key")
			}
			return err
		}
		c.SetRequest(c.Request().WithContext(withPrincipal(c.Request().Context(), p)))
		c.Response().Header().Set("Cache-Control", "no-store")
		return next(c)
	}
}

// bearer extracts the token of an "Authorization: Bearer <token>" header.
func bearer(h string) (string, bool) {
	scheme, token, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	token = strings.TrimSpace(token)
	return token, token != ""
}

// failureLimiter counts failed authentications per client address in a
// fixed window and blocks an address that reached the limit until its
// window ends. Memory is bounded by sweeping expired windows.
type failureLimiter struct {
	mu     sync.Mutex
	limit  int
	window time.Duration
	byIP   map[string]*failWindow
	swept  time.Time
}

type failWindow struct {
	start time.Time
	n     int
}

func newFailureLimiter(limit int, window time.Duration) *failureLimiter {
	return &failureLimiter{limit: limit, window: window, byIP: map[string]*failWindow{}}
}

// blocked returns how long ip must wait, or 0.
func (l *failureLimiter) blocked(ip string, now time.Time) time.Duration {
	if l.limit <= 0 {
		return 0
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	w, ok := l.byIP[ip]
	if !ok || now.Sub(w.start) >= l.window || w.n < l.limit {
		return 0
	}
	return l.window - now.Sub(w.start)
}

func (l *failureLimiter) fail(ip string, now time.Time) {
	if l.limit <= 0 {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) >= l.window {
		for k, w := range l.byIP {
			if now.Sub(w.start) >= l.window {
				delete(l.byIP, k)
			}
		}
		l.swept = now
	}
	w, ok := l.byIP[ip]
	if !ok || now.Sub(w.start) >= l.window {
		l.byIP[ip] = &failWindow{start: now, n: 1}
		return
	}
	w.n++
}
