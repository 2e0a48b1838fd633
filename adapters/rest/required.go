package rest

import (
	"bytes"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"unsafe"

	"github.com/go-json-experiment/json"
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

// reqNode is a request schema compiled for the check, once: the members
// an object must have (those of its allOf included) and the nodes of the
// members and items inside which something is required. A member or item
// whose schema requires nothing below it has no node and is skipped.
type reqNode struct {
	required []string
	props    []reqProp // a few: a list is read faster than a map
	items    *reqNode
}

// reqProp is a member inside which something is required.
type reqProp struct {
	name string
	node *reqNode
}

// prop returns the node of member name, or nil.
func (n *reqNode) prop(name string) *reqNode {
	for i := range n.props {
		if n.props[i].name == name {
			return n.props[i].node
		}
	}
	return nil
}

// empty reports a node that requires nothing, here or below.
func (n *reqNode) empty() bool {
	return len(n.required) == 0 && len(n.props) == 0 && n.items == nil
}

// routeKey names a route as echo does: the method and the path with
// ":id" for "{id}".
type routeKey struct{ method, path string }

// requestNodes maps each route with a documented JSON request body to its
// compiled schema.
var requestNodes struct {
	once  sync.Once
	nodes map[routeKey]*reqNode
}

// requestNode returns the compiled request body schema of the route of
// method and echo path, or nil when the document gives it none.
func requestNode(method, route string) *reqNode {
	requestNodes.once.Do(func() {
		requestNodes.nodes = map[routeKey]*reqNode{}
		doc, err := mergeOpenAPI()
		if err != nil {
			return
		}
		c := reqCompiler{doc: doc, memo: map[string]*reqNode{}}
		paths, _ := doc["paths"].(map[string]any)
		for p, item := range paths {
			ops, _ := item.(map[string]any)
			for m, op := range ops {
				o, _ := op.(map[string]any)
				rb, _ := c.resolve(o["requestBody"]).(map[string]any)
				content, _ := rb["content"].(map[string]any)
				media, _ := content["application/json"].(map[string]any)
				if media["schema"] == nil {
					continue
				}
				k := routeKey{strings.ToUpper(m), echoPath(p)}
				requestNodes.nodes[k] = c.node(c.expand(nil, media["schema"], 0))
			}
		}
	})
	return requestNodes.nodes[routeKey{method, route}]
}

// echoPath writes a document path ("/v1/plans/{id}") as echo names the
// route ("/v1/plans/:id").
func echoPath(p string) string {
	parts := strings.Split(p, "/")
	for i, s := range parts {
		if strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") {
			parts[i] = ":" + s[1:len(s)-1]
		}
	}
	return strings.Join(parts, "/")
}

// reqCompiler compiles schemas into reqNodes, each list of schemas once, so
// that a schema that refers to itself compiles to a node that points to
// itself.
type reqCompiler struct {
	doc  map[string]any
	memo map[string]*reqNode
}

// resolve follows a local "$ref" ("#/components/schemas/X") until the
// value is not a reference.
func (c *reqCompiler) resolve(v any) any {
	for range 16 {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		ref, ok := m["$ref"].(string)
		if !ok {
			return v
		}
		var cur any = c.doc
		for _, seg := range strings.Split(strings.TrimPrefix(ref, "#/"), "/") {
			cm, _ := cur.(map[string]any)
			cur = cm[seg]
		}
		v = cur
	}
	return v
}

// expand appends schema, resolved, and the members of its allOf (which
// all apply to the same value) to list. The alternatives of a oneOf or
// anyOf, which the body's other members decide between, are not checked.
func (c *reqCompiler) expand(list []map[string]any, schema any, depth int) []map[string]any {
	s, _ := c.resolve(schema).(map[string]any)
	if s == nil || depth > MaxJSONDepth {
		return list
	}
	list = append(list, s)
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			list = c.expand(list, sub, depth+1)
		}
	}
	return list
}

// node compiles the schemas that all apply to one value; nil when they
// require nothing here or below.
func (c *reqCompiler) node(schemas []map[string]any) *reqNode {
	if len(schemas) == 0 {
		return nil
	}
	var key strings.Builder
	for _, s := range schemas {
		fmt.Fprintf(&key, "%x,", reflect.ValueOf(s).Pointer())
	}
	if n, ok := c.memo[key.String()]; ok {
		return n
	}
	n := &reqNode{}
	c.memo[key.String()] = n // a schema inside itself finds this node
	var names []string
	for _, s := range schemas {
		req, _ := s["required"].([]any)
		for _, r := range req {
			if name, _ := r.(string); name != "" && !slices.Contains(n.required, name) {
				n.required = append(n.required, name)
			}
		}
		props, _ := s["properties"].(map[string]any)
		for name := range props {
			if !slices.Contains(names, name) {
				names = append(names, name)
			}
		}
	}
	for _, name := range names {
		var subs []map[string]any
		for _, s := range schemas {
			props, _ := s["properties"].(map[string]any)
			if sub, ok := props[name]; ok {
				subs = c.expand(subs, sub, 1)
			}
		}
		if child := c.node(subs); child != nil {
			n.props = append(n.props, reqProp{name, child})
		}
	}
	var items []map[string]any
	for _, s := range schemas {
		if it, ok := s["items"]; ok {
			items = c.expand(items, it, 1)
		}
	}
	n.items = c.node(items)
	if n.empty() {
		// Not while it is being compiled: a node inside itself keeps the
		// pointer, and walks an object that requires nothing.
		c.memo[key.String()] = nil
		return nil
	}
	return n
}

// requireMembers refuses a body of the request's route that leaves out a
// member the document requires, naming every such member by its path
// ("tasks[0].unit"). A route without a documented JSON body is not
// checked. The body is walked token by token against the route's schema,
// compiled once, without building a tree of it or copying it, and a
// member or item inside which nothing is required is skipped. v is the
// value just decoded from body, or nil: when it shows every required
// member (membersPresent), the body is not walked. Pass it only when it
// was the zero value before the decode (zeroTarget), or a default set
// beforehand would pass for a member the body left out.
func requireMembers(c echo.Context, body []byte, v any) error {
	n := requestNode(c.Request().Method, c.Path())
	if n == nil || membersPresent(n, v) {
		return nil
	}
	return walkRequired(n, body)
}

// walkRequired is the walk of requireMembers: the problems of body
// against node n, or nil.
func walkRequired(n *reqNode, body []byte) error {
	w := reqWalks.Get().(*reqWalk)
	defer w.release()
	w.body, w.buf = body, *bytes.NewBuffer(body)
	w.dec.Reset(&w.buf, walkOptions)
	if w.value(n, 0) != nil {
		return nil // the strict decoder has already answered
	}
	if len(w.ps) == 0 {
		return nil
	}
	return slices.Clone(w.ps).Err("rest.requireMembers")
}

// walkOptions spare the walk the checks the strict decoder has already
// made of the same body (duplicate names, UTF-8).
var walkOptions = json.JoinOptions(jsontext.AllowDuplicateNames(true), jsontext.AllowInvalidUTF8(true))

// reqWalks keeps the walks' decoders and path stacks for the next request.
var reqWalks = sync.Pool{New: func() any {
	w := &reqWalk{}
	w.dec = jsontext.NewDecoder(&w.buf)
	return w
}}

// reqWalk is one walk of a body: the decoder reads from body itself (a
// bytes.Buffer is read in place), so that a member's name is a view of
// body, valid for the whole walk; path is the member or item being read.
type reqWalk struct {
	body []byte
	buf  bytes.Buffer // reads body
	dec  *jsontext.Decoder
	path []pathSeg
	ps   ssra.Problems
}

// release forgets the body and returns w to the pool.
func (w *reqWalk) release() {
	w.body, w.buf, w.path, w.ps = nil, bytes.Buffer{}, w.path[:0], nil
	w.dec.Reset(&w.buf)
	reqWalks.Put(w)
}

// pathSeg is one step of a member's path: a member name or an item index.
type pathSeg struct {
	name    string
	index   int
	isIndex bool
}

// pathString returns the path being read in the problems' form
// ("tasks[0].unit"); only a problem pays for it.
func (w *reqWalk) pathString() string {
	p := ""
	for _, s := range w.path {
		if s.isIndex {
			p = ssra.Index(p, s.index)
		} else {
			p = ssra.JoinPath(p, s.name)
		}
	}
	return p
}

// value reads the next value and adds a problem for each member n
// requires that it leaves out, looking inside the members and items it
// has. Problems come in the order of a walk with the object's own
// required members first, then its members by name.
func (w *reqWalk) value(n *reqNode, depth int) error {
	if depth > MaxJSONDepth {
		return w.dec.SkipValue()
	}
	switch w.dec.PeekKind() {
	case '{':
		return w.object(n, depth)
	case '[':
		if n.items == nil {
			return w.dec.SkipValue()
		}
		if _, err := w.dec.ReadToken(); err != nil {
			return err
		}
		for i := 0; w.dec.PeekKind() != ']'; i++ {
			w.path = append(w.path, pathSeg{index: i, isIndex: true})
			err := w.value(n.items, depth+1)
			w.path = w.path[:len(w.path)-1]
			if err != nil {
				return err
			}
		}
		_, err := w.dec.ReadToken()
		return err
	default:
		return w.dec.SkipValue()
	}
}

func (w *reqWalk) object(n *reqNode, depth int) error {
	if _, err := w.dec.ReadToken(); err != nil {
		return err
	}
	type segment struct {
		name       string
		start, end int
	}
	var segments []segment
	var seen uint64       // bit i: n.required[i] is present
	var seenMore []string // beyond 64 required members
	childStart := len(w.ps)
	for w.dec.PeekKind() != '}' {
		raw, err := w.dec.ReadValue()
		if err != nil {
			return err
		}
		name, err := w.name(raw)
		if err != nil {
			return err
		}
		if i := slices.Index(n.required, name); i >= 64 {
			seenMore = append(seenMore, name)
		} else if i >= 0 {
			seen |= 1 << i
		}
		child := n.prop(name)
		if k := w.dec.PeekKind(); child == nil || (k != '{' && k != '[') {
			// A scalar has no members to require.
			if err := w.dec.SkipValue(); err != nil {
				return err
			}
			continue
		}
		before := len(w.ps)
		w.path = append(w.path, pathSeg{name: name})
		err = w.value(child, depth+1)
		w.path = w.path[:len(w.path)-1]
		if err != nil {
			return err
		}
		if len(w.ps) > before {
			segments = append(segments, segment{name, before, len(w.ps)})
		}
	}
	if _, err := w.dec.ReadToken(); err != nil {
		return err
	}
	var own ssra.Problems
	for i, name := range n.required {
		if i < 64 && seen&(1<<i) == 0 || i >= 64 && !slices.Contains(seenMore, name) {
			own.Add("request.required", ssra.JoinPath(w.pathString(), name), "is required")
		}
	}
	if len(own) == 0 && len(segments) == 0 {
		return nil
	}
	children := slices.Clone(w.ps[childStart:])
	w.ps = append(w.ps[:childStart], own...)
	sort.SliceStable(segments, func(i, j int) bool { return segments[i].name < segments[j].name })
	for _, sg := range segments {
		w.ps = append(w.ps, children[sg.start-childStart:sg.end-childStart]...)
	}
	return nil
}

// name returns the text of a member name just read as raw JSON: a view of
// the body when there is no escape in it, else the unquoted copy.
func (w *reqWalk) name(raw jsontext.Value) (string, error) {
	if len(raw) >= 2 && bytes.IndexByte(raw, '\\') < 0 {
		end := int(w.dec.InputOffset())
		if start := end - len(raw); start >= 0 && end <= len(w.body) && bytes.Equal(w.body[start:end], raw) {
			return unsafe.String(&w.body[start+1], len(raw)-2), nil
		}
		return string(raw[1 : len(raw)-1]), nil
	}
	b, err := jsontext.AppendUnquote(nil, raw)
	return string(b), err
}
