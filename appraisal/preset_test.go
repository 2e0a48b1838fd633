package appraisal_test

import (
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
