package appraisal

import (
	"embed"
	"sort"
	"strings"

	"github.com/ssra-go/ssra"
)

//go:embed presets/*.json
var presetFS embed.FS

// Preset names.
const (
	// PresetWenzhou2017 is the Wenzhou 2017 平安建设 negative list
	// [practice, a municipal government source]: veto-level event −30;
	// accidents with 3–5 deaths −5 each and 6–9 deaths −10 each; homicide
	// cases with 3–4 deaths −5; repeat events and events in a major security
	// period double; the "three rates" (平安三率) capped at −5 together, sense
	// of security −0.25 per point below 96 and −0.5 per point below 90 in
	// addition, awareness and participation −0.25 per point below the
	// provincial average, fractions pro rata; fall in rank ≥ 5 places −1,
	// ≥ 10 places −2; rise ≥ 5 places +0.5.
	PresetWenzhou2017 = "wenzhou_2017_negative_list"
	// PresetGenericUnit100 is a generic 100-point unit scheme [practice]
	// that measures handling quality (on-time handling, satisfaction with
	// the handling, agreements performed), never the number of complaints.
	PresetGenericUnit100 = "generic_unit_100"
)

// PresetNames returns the names of the embedded scheme presets, sorted.
func PresetNames() []string {
	entries, err := presetFS.ReadDir("presets")
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(out)
	return out
}

// PresetJSON returns the JSON of an embedded preset.
func PresetJSON(name string) ([]byte, error) {
	b, err := presetFS.ReadFile("presets/" + name + ".json")
	if err != nil {
		return nil, ssra.Errorf(ssra.KindNotFound, "appraisal.PresetJSON", "no preset %q", name)
	}
	return b, nil
}

// Preset loads, validates and compiles an embedded preset. Each call
// returns a new Scheme.
func Preset(name string) (*Scheme, error) {
	b, err := PresetJSON(name)
	if err != nil {
		return nil, err
	}
	s, err := LoadScheme(b)
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInternal, "appraisal.Preset", err, "preset "+name+" is invalid")
	}
	return s, nil
}
