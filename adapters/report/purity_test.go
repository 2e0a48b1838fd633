package report_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Rendering is pure: the package reads no file, opens no connection, runs
// no process and never reads the clock.
func TestRenderingIsPure(t *testing.T) {
	forbidden := map[string]bool{"os": true, "os/exec": true, "net": true, "net/http": true, "database/sql": true, "syscall": true,
		"io/fs": true, "io/ioutil": true, "path/filepath": true, "log": true, "log/slog": true, "unsafe": true, "math/rand": true, "math/rand/v2": true}
	allowed := []string{"github.com/shopspring/decimal", "github.com/ssra-go/ssra"}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		af, err := parser.ParseFile(token.NewFileSet(), f, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range af.Imports {
			path := strings.Trim(imp.Path.Value, `"`)
			if forbidden[path] {
				t.Errorf("%s imports %s", f, path)
			}
			if strings.Contains(path, ".") && !strings.HasPrefix(path, allowed[0]) && !strings.HasPrefix(path, allowed[1]) {
				t.Errorf("%s imports third-party %s", f, path)
			}
			if strings.HasPrefix(path, "github.com/ssra-go/ssra/adapters/") {
				t.Errorf("%s imports another adapter %s", f, path)
			}
		}
		for _, clock := range []string{"time.Now(", "time.Since(", "time.Until(", "time.Tick(", "time.After("} {
			if strings.Contains(string(src), clock) {
				t.Errorf("%s reads the clock (%s)", f, clock)
			}
		}
	}
}
