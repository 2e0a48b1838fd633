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
// the court-linked mediation and judicial confirmation limits). A preset's
// version names the text it follows: mediation2010 draws on five, so its
// version is PML2010 (人民调解法) + SPC-invited2016 (最高人民法院关于人民法院
// 特邀调解的规定) + SPC-confirm2011 (关于人民调解协议司法确认程序的若干规定) +
// CPL2023 (民事诉讼法) + MOJ2002 (司法部人民调解工作若干规定); it was "2016",
// which named one of them, and cases opened under "2016" still bind. It fails
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
	p, err := DecodeProfile(b)
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
