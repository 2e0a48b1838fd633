package stability

import (
	"embed"
	"sort"
	"strings"

	"github.com/ssra-go/ssra"
)

//go:embed profiles/*.json
var presetFS embed.FS

// Preset returns a fresh copy of the embedded deadline profile with the given
// name: "xinfang2022" (信访工作条例 2022), "xinfang2005" (信访条例 2005),
// "zhejiang2016" (浙江省信访条例 2016) or "mediation2010" (人民调解法 2010 and
// the court-linked mediation and judicial confirmation limits). It fails
// with KindNotFound for an unknown name.
func Preset(name string) (*Profile, error) {
	const op = "stability.Preset"
	if name == "" || strings.ContainsAny(name, "/\\.") {
		return nil, ssra.Errorf(ssra.KindNotFound, op, "no preset profile %q (have %s)", name, strings.Join(PresetNames(), ", "))
	}
	b, err := presetFS.ReadFile("profiles/" + name + ".json")
	if err != nil {
		return nil, ssra.Errorf(ssra.KindNotFound, op, "no preset profile %q (have %s)", name, strings.Join(PresetNames(), ", "))
	}
	p, err := ParseProfile(b)
	if err != nil {
		return nil, ssra.Wrap(ssra.KindInternal, op, err, "embedded profile "+name+" is invalid")
	}
	return p, nil
}

// PresetNames returns the names of the embedded profiles, sorted.
func PresetNames() []string {
	ents, _ := presetFS.ReadDir("profiles")
	var out []string
	for _, e := range ents {
		out = append(out, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(out)
	return out
}
