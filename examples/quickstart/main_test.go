package main

import (
	"testing"

	"github.com/ssra-go/ssra"
)

func TestDisplayWidthCountsWideCharactersTwice(t *testing.T) {
	for _, tc := range []struct {
		s    string
		want int
	}{
		{"", 0},
		{"F1", 2},
		{"征地", 4},
		{"F1 征地补偿", 11},
		{"（日）", 6},
		{"2×3=0.24", 8},
	} {
		if got := displayWidth(tc.s); got != tc.want {
			t.Errorf("displayWidth(%q) = %d, want %d", tc.s, got, tc.want)
		}
	}
}

// The example runs in both languages without error.
func TestRunsInBothLanguages(t *testing.T) {
	for _, lang := range []ssra.Lang{ssra.LangZH, ssra.LangEN} {
		if err := run(lang); err != nil {
			t.Fatalf("%v: %v", lang, err)
		}
	}
}
