package appraisal

import (
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
)

// TestShippedPresetRefusesComplaintCounts: a caller's scheme with an item
// that counts complaints loads with a warning, while the same scheme as a
// shipped preset is refused.
func TestShippedPresetRefusesComplaintCounts(t *testing.T) {
	b, err := PresetJSON(PresetGenericUnit100)
	if err != nil {
		t.Fatal(err)
	}
	bad := strings.Replace(string(b), `"label": {"zh-CN": "排查例会缺次", "en": "Missed screening meetings"}`, `"label": {"zh-CN": "集体访次数", "en": "Collective visits"}`, 1)
	if bad == string(b) {
		t.Fatal("label to replace not found")
	}
	s, err := DecodeScheme([]byte(bad))
	if err != nil {
		t.Fatalf("a caller's scheme is warned, not refused: %v", err)
	}
	if ws := s.Warnings(); len(ws) == 0 || ws[0].Code != "item.complaint_count" {
		t.Fatalf("warnings %v", ws)
	}
	_, err = loadShipped("bad", []byte(bad))
	if ssra.KindOf(err) != ssra.KindInternal || !strings.Contains(err.Error(), "item.complaint_count") {
		t.Fatalf("shipped preset with a complaint count: %v", err)
	}
	if _, err := loadShipped(PresetGenericUnit100, b); err != nil {
		t.Fatal(err)
	}
}
