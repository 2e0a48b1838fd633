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
// The adapter imports no storage implementation. It asks for the storage
// interfaces adapters/store declares (records, directory, users and keys,
// authentication, the transparency log) and for a Pinger; cmd/ssrad passes
// adapters/sqlstore, which implements them all.
package rest
