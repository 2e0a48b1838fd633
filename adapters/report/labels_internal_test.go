package report

import "testing"

// Every fixed text has both a Chinese and an English label, so that neither
// language silently falls back to the other.
func TestFixedTextsHaveBothLanguages(t *testing.T) {
	for key, l := range fixed {
		if l.ZH == "" || l.EN == "" {
			t.Errorf("fixed text %q lacks a language: %+v", key, l)
		}
	}
	for _, key := range adoptionKeys {
		if _, ok := fixed[key]; !ok {
			t.Errorf("adoption label %q missing", key)
		}
	}
}
