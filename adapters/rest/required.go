package rest

import (
	"bytes"
	"slices"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/go-json-experiment/json/jsontext"
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

// resolvedRefs holds what each "$ref" of the one merged document points
// to, so that a body's every item does not split the reference again.
var resolvedRefs sync.Map

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
		if cur, ok := resolvedRefs.Load(ref); ok {
			v = cur
			continue
		}
		var cur any = doc
		for _, seg := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cm, _ := cur.(map[string]any)
			cur = cm[seg]
		}
		resolvedRefs.Store(ref, cur)
		v = cur
	}
	return v
}

// requireMembers refuses a body of the request's route that leaves out a
// member the document requires, naming every such member by its path
// ("tasks[0].unit"). A route without a documented JSON body, and the
// alternatives of a oneOf or anyOf (which the body's other members
// decide between), are not checked. The body is walked token by token
// against the schema, without building a tree of it: the evaluate route's
// 30-factor body took about 2,250 allocations when it was decoded into
// maps first (BenchmarkEvaluate).
func requireMembers(c echo.Context, body []byte) error {
	doc, schema := requestSchema(c.Request().Method, c.Path())
	if schema == nil {
		return nil
	}
	var ps ssra.Problems
	dec := jsontext.NewDecoder(bytes.NewReader(body))
	if missingMembers(doc, dec, expandSchemas(doc, nil, schema, 0), nil, &ps, 0) != nil {
		return nil // the strict decoder has already answered
	}
	if len(ps) == 0 {
		return nil
	}
	return ps.Err("rest.requireMembers")
}

// expandSchemas appends schema, resolved, and the members of its allOf
// (which all apply to the same value) to list.
func expandSchemas(doc map[string]any, list []map[string]any, schema any, depth int) []map[string]any {
	s, _ := resolveRef(doc, schema).(map[string]any)
	if s == nil || depth > MaxJSONDepth {
		return list
	}
	list = append(list, s)
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			list = expandSchemas(doc, list, sub, depth+1)
		}
	}
	return list
}

// missingMembers reads the next value of dec and adds a problem for each
// member the schemas require that it leaves out, at path, looking inside
// the members and items it has. Problems come in the order of a walk with
// the object's own required members first, then its members by name.
func missingMembers(doc map[string]any, dec *jsontext.Decoder, schemas []map[string]any, path *pathNode, ps *ssra.Problems, depth int) error {
	if len(schemas) == 0 || depth > MaxJSONDepth {
		return dec.SkipValue()
	}
	switch dec.PeekKind() {
	case '{':
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		type segment struct {
			name       string
			start, end int
		}
		var present []string
		var segments []segment
		var subsBuf [4]map[string]any
		childStart := len(*ps)
		for dec.PeekKind() != '}' {
			raw, err := dec.ReadValue()
			if err != nil {
				return err
			}
			name, err := memberName(raw)
			if err != nil {
				return err
			}
			present = markPresent(present, schemas, name)
			subs := subsBuf[:0]
			for _, s := range schemas {
				props, _ := s["properties"].(map[string]any)
				if sub, ok := props[name]; ok {
					subs = expandSchemas(doc, subs, sub, depth+1)
				}
			}
			if k := dec.PeekKind(); len(subs) == 0 || (k != '{' && k != '[') {
				// A scalar has no members to require.
				if err := dec.SkipValue(); err != nil {
					return err
				}
				continue
			}
			before := len(*ps)
			child := pathNode{parent: path, name: strings.Clone(name)} // name is the decoder's buffer
			if err := missingMembers(doc, dec, subs, &child, ps, depth+1); err != nil {
				return err
			}
			if len(*ps) > before {
				segments = append(segments, segment{child.name, before, len(*ps)})
			}
		}
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		var own ssra.Problems
		for _, s := range schemas {
			req, _ := s["required"].([]any)
			for _, r := range req {
				name, _ := r.(string)
				if name != "" && !slices.Contains(present, name) {
					own.Add("request.required", ssra.JoinPath(path.String(), name), "is required")
				}
			}
		}
		if len(own) == 0 && len(segments) == 0 {
			return nil
		}
		children := slices.Clone((*ps)[childStart:])
		*ps = append((*ps)[:childStart], own...)
		sort.SliceStable(segments, func(i, j int) bool { return segments[i].name < segments[j].name })
		for _, sg := range segments {
			*ps = append(*ps, children[sg.start-childStart:sg.end-childStart]...)
		}
		return nil
	case '[':
		if _, err := dec.ReadToken(); err != nil {
			return err
		}
		var items []map[string]any
		for _, s := range schemas {
			if it, ok := s["items"]; ok {
				items = expandSchemas(doc, items, it, depth+1)
			}
		}
		for i := 0; dec.PeekKind() != ']'; i++ {
			if len(items) == 0 {
				if err := dec.SkipValue(); err != nil {
					return err
				}
				continue
			}
			child := pathNode{parent: path, index: i, isIndex: true}
			if err := missingMembers(doc, dec, items, &child, ps, depth+1); err != nil {
				return err
			}
		}
		_, err := dec.ReadToken()
		return err
	default:
		return dec.SkipValue()
	}
}

// pathNode is a member's path while the body is walked, turned into text
// only when a problem names it.
type pathNode struct {
	parent  *pathNode
	name    string
	index   int
	isIndex bool
}

// String returns the path in the problems' form ("tasks[0].unit").
func (n *pathNode) String() string {
	if n == nil {
		return ""
	}
	if n.isIndex {
		return ssra.Index(n.parent.String(), n.index)
	}
	return ssra.JoinPath(n.parent.String(), n.name)
}

// memberName returns the text of a member name read as raw JSON: the
// bytes between the quotes when there is no escape in them, valid only
// until the decoder's next read, else the unquoted copy.
func memberName(raw jsontext.Value) (string, error) {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 {
		return unsafe.String(unsafe.SliceData(raw[1:]), len(raw)-2), nil
	}
	b, err := jsontext.AppendUnquote(nil, raw)
	return string(b), err
}

// markPresent records name in present when some schema requires it, as
// a copy (name may be the decoder's own buffer).
func markPresent(present []string, schemas []map[string]any, name string) []string {
	for _, s := range schemas {
		req, _ := s["required"].([]any)
		for _, r := range req {
			if r == name {
				return append(present, strings.Clone(name))
			}
		}
	}
	return present
}
