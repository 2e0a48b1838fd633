package ssra_test

import (
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The domain packages and the kernel are pure: they import no transport,
// storage, operating system or clock, and never read the clock themselves.
// The one strict JSON decoder (internal/strictjson), which every domain
// decoder uses, is held to the same rules, with its JSON library, which the
// kernel uses too for its own documents (the calendar).
func TestDomainPackagesArePure(t *testing.T) {
	shared := map[string]bool{"github.com/ssra-go/ssra/internal/strictjson": true}
	forbidden := []string{"os", "os/exec", "net", "net/http", "database/sql", "syscall", "io/ioutil", "crypto/rand", "math/rand", "math/rand/v2", "log", "log/slog", "unsafe"}
	allowedPrefixes := []string{"github.com/shopspring/decimal", "github.com/ssra-go/ssra", "golang.org/x/text/"}
	for _, dir := range []string{".", "riskeval", "appraisal", "stability", "internal/strictjson"} {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
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
				for _, bad := range forbidden {
					if path == bad {
						t.Errorf("%s imports %s", f, path)
					}
				}
				if (dir == "internal/strictjson" || dir == ".") && strings.HasPrefix(path, "github.com/go-json-experiment/json") {
					continue
				}
				if strings.Contains(path, ".") && !hasAnyPrefix(path, allowedPrefixes) {
					t.Errorf("%s imports third-party %s", f, path)
				}
				if dir != "." && strings.HasPrefix(path, "github.com/ssra-go/ssra/") && !shared[path] {
					t.Errorf("%s imports another domain or adapter package %s", f, path)
				}
			}
			for _, clock := range []string{"time.Now(", "time.Since(", "time.Until(", "time.Tick(", "time.After("} {
				if strings.Contains(string(src), clock) {
					t.Errorf("%s reads the clock (%s)", f, clock)
				}
			}
		}
	}
}

func hasAnyPrefix(s string, ps []string) bool {
	for _, p := range ps {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
