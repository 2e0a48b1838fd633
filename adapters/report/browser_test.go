package report_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
)

// TestBrowserRendersReport opens the HTML report in headless Chromium,
// takes an A4-sized screenshot and prints it to PDF, and checks that both
// files are produced and that the screenshot is not blank. CI installs
// Debian's chromium and fonts-noto-cjk; without chromium the test skips.
func TestBrowserRendersReport(t *testing.T) {
	chromium := chromiumPath(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var b bytes.Buffer
	if err := report.HTML(&b, withSensitivity(t, plantInput(t, "textbook5x5", ssra.LangZH))); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(page, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	shot, pdf := filepath.Join(dir, "report.png"), filepath.Join(dir, "report.pdf")
	run := func(name, arg string) {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
		defer cancel()
		profile := t.TempDir()
		cmd := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
			"--disable-background-networking", "--disable-component-update", "--disable-sync",
			"--user-data-dir="+profile, arg, "--window-size=1240,1754", "file://"+page)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("chromium %s: %v\n%s", name, err, out)
		}
	}
	run("screenshot", "--screenshot="+shot)
	run("print", "--print-to-pdf="+pdf)

	f, err := os.Open(shot)
	if err != nil {
		t.Fatalf("no screenshot: %v", err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatalf("the screenshot is not a PNG: %v", err)
	}
	if got := distinctColours(img, 64); got < 2 {
		t.Errorf("the screenshot is blank (%d distinct colours in a 64×64 sample)", got)
	}
	head := make([]byte, 5)
	pf, err := os.Open(pdf)
	if err != nil {
		t.Fatalf("no PDF: %v", err)
	}
	defer pf.Close()
	if _, err := pf.Read(head); err != nil || string(head) != "%PDF-" {
		t.Errorf("the printed file is not a PDF (starts %q, %v)", head, err)
	}
	if st, err := pf.Stat(); err != nil || st.Size() < 10<<10 {
		t.Errorf("the PDF is suspiciously small (%v, %v)", st.Size(), err)
	}
}

// chromiumPath finds Debian's chromium: CI must have it; elsewhere, and in
// -short mode, the browser checks skip.
func chromiumPath(t *testing.T) string {
	t.Helper()
	chromium, err := exec.LookPath("chromium")
	if err != nil && os.Getenv("CI") == "true" {
		t.Fatal("chromium is not on PATH but CI=true: .ci/run must install the Debian packages chromium and fonts-noto-cjk")
	}
	if err != nil {
		t.Skip("chromium is not on PATH: skipping the browser check (install the Debian packages chromium and fonts-noto-cjk to run it)")
	}
	if testing.Short() {
		t.Skip("browser check skipped in -short mode")
	}
	return chromium
}

// distinctColours counts the distinct colours in an n×n grid of samples.
func distinctColours(img image.Image, n int) int {
	bounds := img.Bounds()
	seen := map[[4]uint32]bool{}
	for i := 0; i < n; i++ {
		for j := 0; j < n; j++ {
			x := bounds.Min.X + i*bounds.Dx()/n
			y := bounds.Min.Y + j*bounds.Dy()/n
			r, g, b, a := img.At(x, y).RGBA()
			seen[[4]uint32{r, g, b, a}] = true
		}
	}
	return len(seen)
}
