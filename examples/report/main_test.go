package main

import (
	"os"
	"strings"
	"testing"

	"github.com/ssra-go/ssra/internal/sample"
)

// The example writes both reports in both languages, and the HTML report
// carries the tornado chart with one bar per factor of the plant (the
// report package's browser test renders the same input in Chromium).
func TestWritesReportsWithTornado(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, lang := range []string{"zh-CN", "en"} {
		if err := run(lang); err != nil {
			t.Fatalf("%s: %v", lang, err)
		}
		html, err := os.ReadFile("report." + lang + ".html")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat("report." + lang + ".md"); err != nil {
			t.Fatal(err)
		}
		page := string(html)
		if got := strings.Count(page, `class="ssra-tornado"`); got != 1 {
			t.Fatalf("%s: %d tornado charts, want 1", lang, got)
		}
		if got, want := strings.Count(page, `<g class="bar"`), len(sample.Plant().Factors); got != want {
			t.Errorf("%s: %d tornado bars, want %d", lang, got, want)
		}
		if !strings.Contains(page, `class="margin"`) {
			t.Errorf("%s: no margin sentence", lang)
		}
	}
}
