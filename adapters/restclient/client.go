// Package restclient is a typed Go client of ssrad's REST API (接口客户端),
// written by hand over the OpenAPI document the server serves at
// /openapi.json: one method per operation, request bodies and answers as
// the domain packages' types where the API carries them, and RFC 9457
// problems turned into errors that ssra.KindOf and ssra.ProblemsOf read.
//
// It imports the standard library, the kernel and the pure domain
// packages only, so that a caller's build pulls in neither echo nor a
// database driver (a test lists the import graph), and every route of the
// OpenAPI document has a method (a test compares them).
//
//	c, err := restclient.New("http://127.0.0.1:8080", key)
//	res, err := c.Evaluate(ctx, assessment, "practice")
//	if ps := ssra.ProblemsOf(err); len(ps) > 0 { … each bad field … }
package restclient

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ssra-go/ssra"
)

// Client calls one ssrad server with one API key. It is safe for
// concurrent use.
type Client struct {
	base *url.URL
	key  string
	hc   *http.Client
	// maxBody bounds the answers the client reads.
	maxBody int64
}

// Option configures a Client.
type Option func(*Client)

// WithHTTPClient makes the client send its requests through hc (default: a
// client with a 60-second timeout).
func WithHTTPClient(hc *http.Client) Option { return func(c *Client) { c.hc = hc } }

// WithMaxAnswer bounds the size of an answer the client reads (default 64
// MiB); a longer answer is an error.
func WithMaxAnswer(n int64) Option { return func(c *Client) { c.maxBody = n } }

// New returns a client of the server at baseURL (scheme and host, such as
// http://127.0.0.1:8080) authenticating with key, which may be empty for
// the routes that need none (health, the public status check, the
// documentation).
func New(baseURL, key string, opts ...Option) (*Client, error) {
	u, err := url.Parse(strings.TrimRight(baseURL, "/"))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("restclient: base URL %q: want http(s)://host[:port]", baseURL)
	}
	c := &Client{base: u, key: key, hc: &http.Client{Timeout: 60 * time.Second}, maxBody: 64 << 20}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// WithKey returns a copy of the client that authenticates with another key.
func (c *Client) WithKey(key string) *Client {
	d := *c
	d.key = key
	return &d
}

// Error is an answer of the server that is not a success: its status and
// the RFC 9457 problem it carried. It unwraps to an *ssra.Error of the kind
// the status stands for, holding the problem's field errors, so that
// ssra.KindOf(err) and ssra.ProblemsOf(err) work on it as on the library's
// own errors.
type Error struct {
	Status    int
	Type      string
	Title     string
	Detail    string
	Instance  string
	RequestID string
	// Omitted counts the broken rules the server found and did not list.
	Omitted int
	// RetryAfter is the server's Retry-After on 429 and 503, else 0.
	RetryAfter time.Duration
	err        *ssra.Error
}

// Error formats the status, title and detail, and each field error.
func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d %s", e.Status, e.Title)
	if e.Detail != "" {
		b.WriteString(": " + e.Detail)
	}
	for _, p := range e.err.Problems {
		b.WriteString("; " + p.String())
	}
	return b.String()
}

// Unwrap returns the *ssra.Error the answer stands for.
func (e *Error) Unwrap() error { return e.err }

// kindOf maps a status to the library's error kind: the inverse of the
// REST server's kind-to-status table, with the transport's own conditions (413,
// 415 refuse the input, 428 wants a precondition) folded in.
func kindOf(status int) ssra.Kind {
	switch status {
	case http.StatusBadRequest, http.StatusUnprocessableEntity, http.StatusRequestEntityTooLarge, http.StatusUnsupportedMediaType:
		return ssra.KindInvalid
	case http.StatusUnauthorized:
		return ssra.KindUnauthenticated
	case http.StatusForbidden:
		return ssra.KindForbidden
	case http.StatusNotFound:
		return ssra.KindNotFound
	case http.StatusConflict:
		return ssra.KindConflict
	case http.StatusPreconditionFailed, http.StatusPreconditionRequired:
		return ssra.KindPreconditionFailed
	}
	return ssra.KindInternal
}

// problemBody is an RFC 9457 problem as the server writes it.
type problemBody struct {
	Type      string `json:"type"`
	Title     string `json:"title"`
	Status    int    `json:"status"`
	Detail    string `json:"detail"`
	Instance  string `json:"instance"`
	RequestID string `json:"request_id"`
	Errors    []struct {
		Code    string `json:"code"`
		Field   string `json:"field"`
		Message string `json:"message"`
	} `json:"errors"`
	Omitted int `json:"errors_omitted"`
}

func answerError(op string, resp *http.Response, body []byte) error {
	e := &Error{Status: resp.StatusCode, Title: http.StatusText(resp.StatusCode)}
	var pb problemBody
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); strings.HasSuffix(mt, "json") && json.Unmarshal(body, &pb) == nil {
		e.Type, e.Detail, e.Instance, e.RequestID, e.Omitted = pb.Type, pb.Detail, pb.Instance, pb.RequestID, pb.Omitted
		if pb.Title != "" {
			e.Title = pb.Title
		}
	}
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s >= 0 {
		e.RetryAfter = time.Duration(s) * time.Second
	}
	msg := e.Detail
	if msg == "" {
		msg = e.Title
	}
	se := &ssra.Error{Kind: kindOf(resp.StatusCode), Op: op, Message: msg}
	for _, fe := range pb.Errors {
		se.Problems = append(se.Problems, ssra.Problem{Code: fe.Code, Field: fe.Field, Message: fe.Message, Severity: ssra.SeverityError})
	}
	e.err = se
	return e
}

// call is one request: method and path (with its query), optional JSON
// body, headers; the answer's body and headers are returned on a 2xx
// status, the problem as an *Error otherwise.
type call struct {
	method string
	path   string
	query  url.Values
	body   any
	form   url.Values
	// raw is a body sent as it is, of type rawType (a spreadsheet).
	raw     []byte
	rawType string
	header  http.Header
	// noKey sends no Authorization header.
	noKey bool
}

// answer is a 2xx answer.
type answer struct {
	status int
	header http.Header
	body   []byte
}

func (c *Client) send(ctx context.Context, r call) (answer, error) {
	op := "restclient " + r.method + " " + r.path
	u := *c.base
	u.Path = c.base.Path + r.path
	u.RawQuery = r.query.Encode()
	var rd io.Reader
	ctype := ""
	switch {
	case r.body != nil:
		b, err := json.Marshal(r.body)
		if err != nil {
			return answer{}, ssra.Wrap(ssra.KindInvalid, op, err, "the request body cannot be encoded")
		}
		rd, ctype = bytes.NewReader(b), "application/json"
	case r.form != nil:
		rd, ctype = strings.NewReader(r.form.Encode()), "application/x-www-form-urlencoded"
	case r.raw != nil:
		rd, ctype = bytes.NewReader(r.raw), r.rawType
	}
	req, err := http.NewRequestWithContext(ctx, r.method, u.String(), rd)
	if err != nil {
		return answer{}, ssra.Wrap(ssra.KindInvalid, op, err, "the request cannot be made")
	}
	for k, vs := range r.header {
		req.Header[k] = vs
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.key != "" && !r.noKey {
		req.Header.Set("Authorization", "Bearer "+c.key)
	}
	resp, err := c.hc.Do(req)
	if err != nil {
		return answer{}, ssra.Wrap(ssra.KindInternal, op, err, "the server did not answer")
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.maxBody+1))
	if err != nil {
		return answer{}, ssra.Wrap(ssra.KindInternal, op, err, "the answer cannot be read")
	}
	if int64(len(body)) > c.maxBody {
		return answer{}, ssra.Errorf(ssra.KindInternal, op, "the answer is longer than %d bytes", c.maxBody)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return answer{}, answerError(op, resp, body)
	}
	return answer{status: resp.StatusCode, header: resp.Header, body: body}, nil
}

// do sends r and decodes a JSON answer into out (nil: ignore the body).
func (c *Client) do(ctx context.Context, r call, out any) (answer, error) {
	a, err := c.send(ctx, r)
	if err != nil || out == nil || len(a.body) == 0 {
		return a, err
	}
	if err := json.Unmarshal(a.body, out); err != nil {
		return a, ssra.Wrap(ssra.KindInternal, "restclient "+r.method+" "+r.path, err, "the answer does not decode")
	}
	return a, nil
}

// ifMatch is the If-Match header of a write at version.
func ifMatch(version int64) http.Header {
	return http.Header{"If-Match": {ETag(version)}}
}

// ETag is the entity tag of a stored resource's version, as If-Match wants
// it.
func ETag(version int64) string { return `"v` + strconv.FormatInt(version, 10) + `"` }

// seg escapes one path segment.
func seg(s string) string { return url.PathEscape(s) }

// need refuses a call whose path would lose a segment or that lacks a
// required value, naming each empty one.
func need(op string, values map[string]string) error {
	var ps ssra.Problems
	for field, v := range values {
		if v == "" {
			ps.Add("required", field, "is required")
		}
	}
	return ps.Err("restclient." + op)
}

// IsNotFound reports whether err is the server's 404 (or any not-found).
func IsNotFound(err error) bool { return ssra.KindOf(err) == ssra.KindNotFound }

// AsError returns the server's answer behind err, if it was one.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
