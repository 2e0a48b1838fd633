package rest

import (
	"embed"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"sort"

	"github.com/labstack/echo/v4"
)

// The OpenAPI 3.1 document is kept as fragments under openapi/, one per
// area of the API (base, compute, assessments, casework, …), each holding
// "paths" and "components". They are merged in file-name order; a path
// operation or component defined twice is an error, caught by the tests.
//
//go:embed openapi/*.json
var openapiFS embed.FS

// OpenAPI returns the merged OpenAPI document as JSON.
func OpenAPI() ([]byte, error) {
	doc, err := mergeOpenAPI()
	if err != nil {
		return nil, err
	}
	return json.Marshal(doc)
}

func mergeOpenAPI() (map[string]any, error) {
	entries, err := openapiFS.ReadDir("openapi")
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, e.Name())
	}
	sort.Strings(names)
	var doc map[string]any
	for _, n := range names {
		b, err := openapiFS.ReadFile(path.Join("openapi", n))
		if err != nil {
			return nil, err
		}
		var frag map[string]any
		if err := json.Unmarshal(b, &frag); err != nil {
			return nil, fmt.Errorf("openapi/%s: %w", n, err)
		}
		if doc == nil {
			doc = frag
			continue
		}
		if err := mergeInto(doc, frag, n, ""); err != nil {
			return nil, err
		}
	}
	return doc, nil
}

// mergeInto merges paths (down to the operation) and components (down to
// the named entry) of frag into doc.
func mergeInto(doc, frag map[string]any, file, at string) error {
	for k, v := range frag {
		key := at + "/" + k
		cur, exists := doc[k]
		if !exists {
			doc[k] = v
			continue
		}
		cm, ok1 := cur.(map[string]any)
		vm, ok2 := v.(map[string]any)
		// Merge inside paths, a path item, components and a component group;
		// anything deeper defined twice is a conflict.
		depth := len(splitPath(key))
		mergeable := ok1 && ok2 && (k == "paths" || k == "components" || depth == 2 && at == "/paths" || depth == 2 && at == "/components")
		if !mergeable {
			return fmt.Errorf("openapi/%s: %s is defined twice", file, key)
		}
		if err := mergeInto(cm, vm, file, key); err != nil {
			return err
		}
	}
	return nil
}

func splitPath(p string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(p); i++ {
		if i == len(p) || p[i] == '/' {
			if i > start {
				out = append(out, p[start:i])
			}
			start = i + 1
		}
	}
	return out
}

func (s *Server) openapi(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, s.openapiDoc)
}
