package report

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestWarningTextCoversRiskevalCodes: every quality-finding code that
// riskeval emits has Chinese and English words here, so that the Chinese
// report never falls back to an English message, and no entry is stale.
func TestWarningTextCoversRiskevalCodes(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "..", "riskeval", "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	emitted := map[string]bool{}
	warn := regexp.MustCompile(`\.Warn\("([a-z0-9_.]+)"`)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range warn.FindAllStringSubmatch(string(b), -1) {
			emitted[m[1]] = true
		}
	}
	if len(emitted) < 10 {
		t.Fatalf("found only %d warning codes in riskeval: the pattern no longer matches the source", len(emitted))
	}
	for code := range emitted {
		l, ok := warningText[code]
		if !ok {
			t.Errorf("riskeval warns %q, which has no words in warningText (adapters/report/warnings.go)", code)
		} else if l.ZH == "" || l.EN == "" {
			t.Errorf("%s: words in one language only: %+v", code, l)
		}
	}
	for code := range warningText {
		if !emitted[code] {
			t.Errorf("warningText has %q, which riskeval no longer emits", code)
		}
	}
}

func TestZHPlace(t *testing.T) {
	ids := []string{"F1", "F2"}
	for _, tc := range []struct{ path, want string }{
		{"", "整体"},
		{"consultations", "公众参与"},
		{"consultations[2].date", "公众参与第 3 项 › 日期"},
		{"factors[1].measures[0].due", "风险因素 F2 › 措施第 1 项 › 完成时限"},
		{"factors[F1].initial.ratings", "风险因素 F1 › 措施前评估 › 专家评分"},
		{"factors[7].residual", "风险因素第 8 项 › 措施后评估"},
		{"subject.responsible_unit", "评估对象 › 责任单位"},
		{"levels[2]", "第 2 层"},
		{"unknown_member", "整体"},
	} {
		if got := zhPlace(tc.path, ids); got != tc.want {
			t.Errorf("zhPlace(%q) = %q, want %q", tc.path, got, tc.want)
		}
	}
}
