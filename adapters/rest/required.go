package rest

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"
	"sync"

	"github.com/labstack/echo/v4"

	"github.com/ssra-go/ssra"
)

// The OpenAPI document's required lists are the contract of every request
// body: a member it requires that the body leaves out is refused (422,
// request.required, as the compute routes' validator refuses one) with a
// problem naming the member's path, before the domain sees the value. encoding/json cannot tell a member left out from one given its
// zero value, and a zero value must never stand for a real member (a
// missing rating once counted as satisfied), so the check reads the body
// itself, against the schema of the route it was sent to.

// requestSchemas maps "METHOD /v1/path/{param}" to the route's JSON
// request body schema, with the document to resolve its references in.
var requestSchemas struct {
	once    sync.Once
	doc     map[string]any
	schemas map[string]any
}

// requestSchema returns the request body schema the document gives the
// route of method and echo path (":id" for "{id}"), or nil.
func requestSchema(method, route string) (map[string]any, map[string]any) {
	requestSchemas.once.Do(func() {
		doc, err := mergeOpenAPI()
		if err != nil {
			return
		}
		requestSchemas.doc, requestSchemas.schemas = doc, map[string]any{}
		paths, _ := doc["paths"].(map[string]any)
		for p, item := range paths {
			ops, _ := item.(map[string]any)
			for m, op := range ops {
				o, _ := op.(map[string]any)
				rb, _ := resolveRef(doc, o["requestBody"]).(map[string]any)
				content, _ := rb["content"].(map[string]any)
				media, _ := content["application/json"].(map[string]any)
				if media["schema"] != nil {
					requestSchemas.schemas[strings.ToUpper(m)+" "+p] = media["schema"]
				}
			}
		}
	})
	parts := strings.Split(route, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, ":") {
			parts[i] = "{" + s[1:] + "}"
		}
	}
	s, _ := requestSchemas.schemas[method+" "+strings.Join(parts, "/")].(map[string]any)
	return requestSchemas.doc, s
}

// resolveRef follows a local "$ref" ("#/components/schemas/X") until the
// value is not a reference.
func resolveRef(doc map[string]any, v any) any {
	for range 16 {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		var cur any = doc
		for _, seg := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cm, _ := cur.(map[string]any)
			cur = cm[seg]
		}
		v = cur
	}
	return v
}

// requireMembers refuses a body of the request's route that leaves out a
// member the document requires, naming every such member by its path
// ("tasks[0].unit"). A route without a documented JSON body, and the
// alternatives of a oneOf or anyOf (which the body's other members
// decide between), are not checked.
func requireMembers(c echo.Context, body []byte) error {
	doc, schema := requestSchema(c.Request().Method, c.Path())
	if schema == nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil // the strict decoder has already answered
	}
	var ps ssra.Problems
	missingMembers(doc, schema, v, "", &ps, 0)
	if len(ps) == 0 {
		return nil
	}
	return ps.Err("rest.requireMembers")
}

// missingMembers adds a problem for each member schema requires that v
// leaves out, at path, and looks inside the members and items v has.
func missingMembers(doc map[string]any, schema, v any, path string, ps *ssra.Problems, depth int) {
	s, _ := resolveRef(doc, schema).(map[string]any)
	if s == nil || depth > MaxJSONDepth {
		return
	}
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			missingMembers(doc, sub, v, path, ps, depth+1)
		}
	}
	switch x := v.(type) {
	case map[string]any:
		if req, ok := s["required"].([]any); ok {
			for _, r := range req {
				name, _ := r.(string)
				if _, present := x[name]; name != "" && !present {
					ps.Add("request.required", ssra.JoinPath(path, name), "is required")
				}
			}
		}
		props, _ := s["properties"].(map[string]any)
		names := make([]string, 0, len(x))
		for k := range x {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, k := range names {
			if sub, ok := props[k]; ok {
				missingMembers(doc, sub, x[k], ssra.JoinPath(path, k), ps, depth+1)
			}
		}
	case []any:
		if items, ok := s["items"]; ok {
			for i, e := range x {
				missingMembers(doc, items, e, ssra.Index(path, i), ps, depth+1)
			}
		}
	}
}
