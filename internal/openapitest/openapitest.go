// Package openapitest checks requests and responses against the server's
// OpenAPI document (rest.OpenAPI) with libopenapi-validator. It is the one
// contract validator of the tests: the REST adapter's handler tests and the
// server's end-to-end tests both use it, so that a response is judged by one
// validator, built once, the same way everywhere. Only tests import it.
package openapitest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	verrors "github.com/pb33f/libopenapi-validator/errors"

	"github.com/ssra-go/ssra/adapters/rest"
)

// Checker is the validator of the document. It is safe for concurrent
// use: the calls into libopenapi-validator, which is not, take turns.
type Checker struct {
	mu sync.Mutex
	v  validator.Validator
}

var (
	once    sync.Once
	checker *Checker
	failure error
)

// Get returns the checker of the merged document, built once. It fails the
// test when the document cannot be built or is not valid OpenAPI.
func Get(t testing.TB) *Checker {
	t.Helper()
	once.Do(func() { checker, failure = build() })
	if failure != nil {
		t.Fatalf("OpenAPI document: %v", failure)
	}
	return checker
}

func build() (*Checker, error) {
	b, err := rest.OpenAPI()
	if err != nil {
		return nil, err
	}
	doc, err := libopenapi.NewDocument(b)
	if err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		return nil, fmt.Errorf("validator: %v", errs)
	}
	if ok, verrs := v.ValidateDocument(); !ok {
		msgs := make([]string, len(verrs))
		for i, e := range verrs {
			msgs[i] = e.Error()
		}
		return nil, fmt.Errorf("the document is not valid OpenAPI: %s", strings.Join(msgs, "\n"))
	}
	return &Checker{v: v}, nil
}

// Response returns how a response to req, with the given body, departs
// from the document: an undocumented route or status, a content type the
// status does not declare, or a body that does not match the schema. It
// reads the body from body, not from resp.Body.
func (c *Checker) Response(req *http.Request, resp *http.Response, body []byte) []string {
	resp.Body = io.NopCloser(bytes.NewReader(body))
	c.mu.Lock()
	ok, errs := c.v.ValidateHttpResponse(req, resp)
	c.mu.Unlock()
	if ok {
		return nil
	}
	out := make([]string, 0, len(errs))
	for _, e := range errs {
		msg := e.Message
		if e.Reason != "" {
			msg += ": " + e.Reason
		}
		for _, s := range e.SchemaValidationErrors {
			msg += fmt.Sprintf("\n\t%s at %s (%s)", s.Reason, s.FieldPath, s.KeywordLocation)
		}
		out = append(out, msg)
	}
	return out
}

// Request returns the errors of a request against the document: its path,
// parameters and body.
func (c *Checker) Request(req *http.Request) []*verrors.ValidationError {
	c.mu.Lock()
	defer c.mu.Unlock()
	if ok, errs := c.v.ValidateHttpRequest(req); !ok {
		return errs
	}
	return nil
}
