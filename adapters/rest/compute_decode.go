package rest

import (
	"bytes"
	"errors"
	"io"
	"net/http"

	"github.com/labstack/echo/v4"
)

// decodeBody is decodeJSON for the compute endpoints, without the check of
// required members (decodeComplete adds it).
func decodeBody(c echo.Context, v any) error {
	body, err := requestBody(c)
	if err != nil {
		return err
	}
	return decodeBytes(body, v)
}

// decodeRequest is decodeBody, then validateRequest on the envelope's tags:
// what every compute endpoint does with its body first.
func decodeRequest(c echo.Context, op string, v any) error {
	if err := decodeBody(c, v); err != nil {
		return err
	}
	return validateRequest(op, v)
}

// decodeComplete is decodeRequest for a body whose members inside domain
// values (which carry no validation tags) the document requires: after
// the envelope's tags, requireMembers checks the body against the route's
// schema.
func decodeComplete(c echo.Context, op string, v any) error {
	body, err := requestBody(c)
	if err != nil {
		return err
	}
	fresh := zeroTarget(v)
	if err := decodeBytes(body, v); err != nil {
		return err
	}
	if err := validateRequest(op, v); err != nil {
		return err
	}
	return requireMembers(c, body, fresh)
}

// requestBody reads the whole body; a body over the limit is a 413
// condition.
func requestBody(c echo.Context) ([]byte, error) {
	body, err := readBody(c.Request())
	if err != nil {
		var mb *http.MaxBytesError
		if errors.As(err, &mb) {
			return nil, tooLarge(mb.Limit)
		}
		return nil, badRequest("the body cannot be read", nil)
	}
	return body, nil
}

// readBody reads the whole body, in one allocation when Content-Length
// gives its size (the body limit has already capped it).
func readBody(r *http.Request) ([]byte, error) {
	if r.ContentLength <= 0 || r.ContentLength > 64<<20 {
		return io.ReadAll(r.Body)
	}
	var buf bytes.Buffer
	buf.Grow(int(r.ContentLength) + bytes.MinRead)
	_, err := buf.ReadFrom(r.Body)
	return buf.Bytes(), err
}

// decodeRaw is decodeBody on a member of a body already read (an inline
// profile, scheme or policy); paths are relative to the member.
func decodeRaw(raw []byte, v any) error { return decodeBytes(raw, v) }
