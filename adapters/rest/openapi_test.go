package rest

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestOpenAPIMerges(t *testing.T) {
	b, err := OpenAPI()
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		OpenAPI string                    `json:"openapi"`
		Paths   map[string]map[string]any `json:"paths"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.OpenAPI != "3.1.0" || doc.Paths["/v1/me"]["get"] == nil {
		t.Fatalf("document: %s", b[:200])
	}
}

func TestMergeRefusesDuplicates(t *testing.T) {
	doc := map[string]any{"paths": map[string]any{"/x": map[string]any{"get": map[string]any{}}}}
	dup := map[string]any{"paths": map[string]any{"/x": map[string]any{"get": map[string]any{}}}}
	if err := mergeInto(doc, dup, "f.json", ""); err == nil {
		t.Fatal("duplicate operation merged")
	}
	other := map[string]any{"paths": map[string]any{"/x": map[string]any{"post": map[string]any{}}}}
	if err := mergeInto(doc, other, "f.json", ""); err != nil {
		t.Fatalf("second method on a path: %v", err)
	}
	comp := map[string]any{"components": map[string]any{"schemas": map[string]any{"A": 1}}}
	doc["components"] = map[string]any{"schemas": map[string]any{"B": 1}}
	if err := mergeInto(doc, comp, "f.json", ""); err != nil {
		t.Fatal(err)
	}
	if err := mergeInto(doc, comp, "g.json", ""); err == nil {
		t.Fatal("duplicate schema merged")
	}
}

func TestOpenAPIServedWithoutKey(t *testing.T) {
	s := New(Config{}, Deps{})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/openapi.json", nil))
	if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "application/json" {
		t.Fatalf("%d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
}
