// Package rest is ssra's HTTP adapter on echo v4: the server foundation
// (problem+json errors, request ids, logging, authentication by API key,
// rate limiting of failed authentication, security headers, health,
// readiness and Prometheus metrics) and, beside it in files of their own,
// the routes.
//
// Errors from the domain and from storage carry an ssra.Kind; one table in
// problem.go maps each kind to an HTTP status, and every error, including
// the adapter's own transport conditions (400, 413, 415, 428, 429), is
// rendered as an RFC 9457 application/problem+json body. The detail of an
// internal error never reaches the client; it is logged with the request id.
//
// The adapter does not import storage. It declares what it needs as
// interfaces (Authenticator, Pinger) and cmd/ssrad binds them.
package rest
