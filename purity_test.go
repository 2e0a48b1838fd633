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
func TestDomainPackagesArePure(t *testing.T) {
	forbidden := []string{"os", "os/exec", "net", "net/http", "database/sql", "syscall", "io/ioutil", "crypto/rand", "math/rand", "math/rand/v2", "log", "log/slog", "unsafe"}
	allowedPrefixes := []string{"github.com/shopspring/decimal", "github.com/ssra-go/ssra", "golang.org/x/text/"}
	for _, dir := range []string{".", "riskeval", "appraisal", "stability"} {
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
				if strings.Contains(path, ".") && !hasAnyPrefix(path, allowedPrefixes) {
					t.Errorf("%s imports third-party %s", f, path)
				}
				if dir != "." && strings.HasPrefix(path, "github.com/ssra-go/ssra/") {
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
