package appraisal_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ssra-go/ssra/appraisal"
)

func TestPresetsLoad(t *testing.T) {
	for _, name := range appraisal.PresetNames() {
		t.Run(name, func(t *testing.T) {
			s, err := appraisal.Preset(name)
			if err != nil {
				t.Fatal(err)
			}
			if w := s.Warnings(); len(w) > 0 {
				t.Fatalf("warnings: %v", w)
			}
		})
	}
}

// TestPresetDocListsItemIDs: the doc comment of every preset constant lists
// exactly the ids Scheme.Items gives, in order, so that go doc alone is
// enough to write a subject's inputs; Items agrees with ItemIDs.
func TestPresetDocListsItemIDs(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "presets.go", nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string][]string{}
	for _, decl := range f.Decls {
		g, ok := decl.(*ast.GenDecl)
		if !ok || g.Tok != token.CONST {
			continue
		}
		for _, spec := range g.Specs {
			vs := spec.(*ast.ValueSpec)
			if len(vs.Values) != 1 || vs.Doc == nil || !strings.HasPrefix(vs.Names[0].Name, "Preset") {
				continue
			}
			name, err := strconv.Unquote(vs.Values[0].(*ast.BasicLit).Value)
			if err != nil {
				t.Fatal(err)
			}
			doc := strings.Join(strings.Fields(vs.Doc.Text()), " ")
			_, list, ok := strings.Cut(doc, "Item ids: ")
			if !ok {
				t.Errorf("%s: doc lists no item ids", vs.Names[0].Name)
				continue
			}
			list, _, _ = strings.Cut(list, ".")
			documented[name] = strings.Split(list, ", ")
		}
	}
	for _, n := range appraisal.PresetNames() {
		s := mustPreset(t, n)
		var ids []string
		for _, it := range s.Items() {
			if it.Label.ZH == "" || it.Label.EN == "" || it.Kind == 0 || it.Section == "" {
				t.Errorf("%s %s: incomplete %+v", n, it.ID, it)
			}
			ids = append(ids, it.ID)
		}
		if !slices.Equal(ids, s.ItemIDs()) {
			t.Errorf("%s: Items %v, ItemIDs %v", n, ids, s.ItemIDs())
		}
		if !slices.Equal(documented[n], ids) {
			t.Errorf("%s: doc lists %v, the scheme has %v", n, documented[n], ids)
		}
	}
}
