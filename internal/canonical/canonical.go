// Package canonical holds the one canonical JSON form and content digest
// that storage and the REST adapter share, so that the digest a result
// records for a stored profile or scheme is the digest storage keeps for it.
package canonical

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// JSON returns the canonical JSON of v: object keys sorted, no
// insignificant whitespace, HTML characters unescaped, numbers kept exactly
// as written. A json.RawMessage or []byte is taken as JSON text; anything
// else is marshalled with encoding/json first.
func JSON(v any) ([]byte, error) {
	var raw []byte
	switch x := v.(type) {
	case json.RawMessage:
		raw = x
	case []byte:
		raw = x
	default:
		b, err := json.Marshal(v)
		if err != nil {
			return nil, fmt.Errorf("canonical: encode value: %w", err)
		}
		raw = b
	}
	if out, ok := canonicalise(raw); ok {
		return out, nil
	}
	return reference(raw)
}

// reference is the canonical form by its definition: raw decoded into
// map[string]any, []any and json.Number, and encoded again.
func reference(raw []byte) ([]byte, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var tree any
	if err := dec.Decode(&tree); err != nil {
		return nil, fmt.Errorf("canonical: value is not JSON: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("canonical: trailing data after JSON value")
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(tree); err != nil {
		return nil, fmt.Errorf("canonical: encode value: %w", err)
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// Digest returns "sha256:" and the hex SHA-256 of canonical JSON.
func Digest(canonicalJSON []byte) string {
	sum := sha256.Sum256(canonicalJSON)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// DigestOf returns the digest of v's canonical JSON.
func DigestOf(v any) (string, error) {
	b, err := JSON(v)
	if err != nil {
		return "", err
	}
	return Digest(b), nil
}
