package rest

import (
	"bytes"
	"io"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/strictjson"
)

// MaxJSONDepth is the deepest nesting of arrays and objects a request body
// may have.
const MaxJSONDepth = 32

// MaxJSONItems is the most elements any one array of a request body may
// have (the OpenAPI document's maxItems).
const MaxJSONItems = 1000

// MaxJSONElements is the most array elements a request body may have in
// all: with the body limit it bounds what one request makes the server
// decode, validate and answer.
const MaxJSONElements = 20000

// decodeJSON reads the request body strictly into v: it must be one JSON
// value in valid UTF-8, at most MaxJSONDepth deep, with no array longer
// than MaxJSONItems nor more than MaxJSONElements elements, no duplicate keys,
// no unknown fields, no trailing data and the right types. A body over the
// limit is a 413 condition; every other failure is a 400 condition whose
// problems name the field where the decoder knows it. A member the route's
// OpenAPI schema requires and the body leaves out is refused as invalid
// (422, request.required) naming it (requireMembers). Handlers call it, then hand v to the domain,
// whose own validation gives 422.
func decodeJSON(c echo.Context, v any) error {
	body, err := requestBody(c)
	if err != nil {
		return err
	}
	fresh := zeroTarget(v)
	if err := decodeBytes(body, v); err != nil {
		return err
	}
	return requireMembers(c, body, fresh)
}

// bufferBody reads the request body now and puts it back in memory, for
// a handler that decodes it while it holds a lock.
func bufferBody(c echo.Context) error {
	body, err := requestBody(c)
	if err != nil {
		return err
	}
	c.Request().Body = io.NopCloser(bytes.NewReader(body))
	return nil
}

// decodeBytes is decodeJSON on a body already read: the module's one
// strict decoder (internal/strictjson) within the request limits, its
// problems rendered as a 400 condition.
func decodeBytes(body []byte, v any) error {
	err := strictjson.DecodeLimited(body, v, "rest.decodeJSON", requestLimits)
	if err == nil {
		return nil
	}
	ps := ssra.ProblemsOf(err)
	if len(ps) == 0 {
		return badRequest("the body cannot be decoded", nil)
	}
	return badRequest(ps[0].Message, ps)
}

// requestLimits are the decoder's limits for a request body; its size is
// the body limit's, a 413 condition before decoding.
var requestLimits = strictjson.Limits{Depth: MaxJSONDepth, Items: MaxJSONItems, Elements: MaxJSONElements}

func badJSON(code, field, msg string) *transportCondition {
	return badRequest(msg, ssra.Problems{{Code: code, Field: field, Message: msg}})
}
