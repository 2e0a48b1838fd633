package sqlstore

import (
	"fmt"

	"github.com/ssra-go/ssra/internal/canonical"
)

// Canonical returns the canonical JSON of v: object keys sorted, no
// insignificant whitespace, HTML characters unescaped, numbers kept exactly
// as written. A json.RawMessage or []byte is taken as JSON text; anything
// else is marshalled with encoding/json first. Two values with the same
// canonical form have the same digest, whichever database stored them.
func Canonical(v any) ([]byte, error) {
	b, err := canonical.JSON(v)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: %w", err)
	}
	return b, nil
}

// Digest returns "sha256:" and the hex SHA-256 of canonical JSON, the form
// audit events use for the value before and after a change.
func Digest(canonicalJSON []byte) string { return canonical.Digest(canonicalJSON) }
