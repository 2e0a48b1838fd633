package report

import (
	"testing"

	"github.com/ssra-go/ssra/internal/enumtest"
)

// Every fixed text has both a Chinese and an English label, so that neither
// language silently falls back to the other.
func TestFixedTextsHaveBothLanguages(t *testing.T) {
	for key, l := range fixed {
		if l.ZH == "" || l.EN == "" {
			t.Errorf("fixed text %q lacks a language: %+v", key, l)
		}
	}
}

// TestAdoption: the adoption states round-trip through text, refuse zero
// and unknown text, and have both labels.
func TestAdoption(t *testing.T) { enumtest.Check(t, adoptions.Members()) }
