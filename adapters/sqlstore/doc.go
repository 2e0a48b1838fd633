// Package sqlstore stores ssra's identities, records and audit log with
// database/sql, on SQLite (modernc.org/sqlite, pure Go, the embedded default)
// or on PostgreSQL (github.com/jackc/pgx/v5 through its stdlib driver) for
// deployments where several servers share one database.
//
// The store does not know the domain packages' Go types. A record holds its
// domain value as canonical JSON next to the typed, indexed columns that
// queries need (owning organisation, kind, status, reference number, the next
// due date) and a version for optimistic concurrency; Repo binds a record
// kind to a Go type. Decimals therefore stay exact: they travel as JSON
// strings inside the body and are never stored as floating point.
//
// Every read and write is scoped to the acting organisation: a record owned
// by another organisation and not shared with the caller is reported as
// ssra.KindNotFound, never as forbidden, so that its existence is not
// confirmed. Every state change runs in one transaction together with the
// audit event that records it (who, when, what, digests of the value before
// and after) in an append-only, hash-chained log that VerifyAudit walks;
// InTx makes a change that spans several records one such transaction.
//
// Errors carry an ssra.Kind: KindNotFound for missing or invisible records,
// KindPreconditionFailed for a stale version, KindConflict for duplicates,
// KindForbidden for a write the caller may read but not change,
// KindUnauthenticated for a bad key, KindInvalid for bad arguments and
// KindInternal for everything the database reports otherwise.
package sqlstore
