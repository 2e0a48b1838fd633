package riskeval_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/riskeval"
)

func TestPresetsLoad(t *testing.T) {
	names := riskeval.PresetNames()
	if len(names) != 2 {
		t.Fatalf("presets %v", names)
	}
	for _, n := range names {
		p := preset(t, n)
		if p.Name() != n || p.Version() == "" {
			t.Errorf("%s: name %q version %q", n, p.Name(), p.Version())
		}
		if ps := p.Def().Validate(); len(ps) != 0 {
			t.Errorf("%s: problems %v", n, ps)
		}
		for _, id := range []string{"ndrc2012_project", "central2012_decision", "order713_2019"} {
			if _, ok := p.Regime(id); !ok {
				t.Errorf("%s: regime %s missing", n, id)
			}
		}
	}
	if _, err := riskeval.Preset("nope"); ssra.KindOf(err) != ssra.KindNotFound {
		t.Fatalf("unknown preset: %v", err)
	}
}

// The regime tables of domain.md §1.2.
func TestRegimeTables(t *testing.T) {
	p := preset(t, "practice")
	want := map[string][3]riskeval.Outcome{
		"ndrc2012_project":     {riskeval.OutcomeApproveWithMeasures, riskeval.OutcomeReject, riskeval.OutcomeReject},
		"central2012_decision": {riskeval.OutcomeApprove, riskeval.OutcomeApproveWithMeasures, riskeval.OutcomeReviseAndReassess},
		"order713_2019":        {riskeval.OutcomeApprove, riskeval.OutcomeApproveWithMeasures, riskeval.OutcomeReviseAndReassess},
	}
	for id, w := range want {
		r, _ := p.Regime(id)
		for i, lv := range []riskeval.Level{riskeval.LevelLow, riskeval.LevelMedium, riskeval.LevelHigh} {
			if got := r.Rule(lv).Outcome; got != w[i] {
				t.Errorf("%s %s: %s, want %s", id, lv, got, w[i])
			}
			if len(r.Rule(lv).Reasons) == 0 {
				t.Errorf("%s %s: no reasons", id, lv)
			}
		}
	}
	r, _ := p.Regime("central2012_decision")
	if len(r.High.Reasons) < 2 {
		t.Errorf("central2012_decision high must state both courses, has %d reasons", len(r.High.Reasons))
	}
	r, _ = p.Regime("order713_2019")
	if r.MinCommentDays != 30 {
		t.Errorf("order713 comment days %d", r.MinCommentDays)
	}
}

// The textbook5x5 grid exactly as domain.md §1.5 draws it.
func TestTextbookMatrix(t *testing.T) {
	p := preset(t, "textbook5x5")
	grid := map[int]string{5: "lmhss", 4: "lmhhs", 3: "nlmhh", 2: "nllmh", 1: "nnllm"}
	for _, row := range p.Def().Matrix.Rows {
		var b strings.Builder
		for _, c := range row.Cells {
			b.WriteString(c.String())
		}
		if got := b.String(); got != grid[row.Probability] {
			t.Errorf("row p%d = %s, want %s", row.Probability, got, grid[row.Probability])
		}
	}
}

func TestProfileValidation(t *testing.T) {
	for _, tc := range []struct {
		name   string
		mutate func(p *riskeval.ProfileDef)
		code   string
		field  string
	}{
		{"missing name", func(p *riskeval.ProfileDef) { p.Name = "" }, "profile.name_missing", "name"},
		{"scale too short", func(p *riskeval.ProfileDef) { p.Impact.Points = p.Impact.Points[:2] }, "profile.scale_size", "impact.points"},
		{"grades not increasing", func(p *riskeval.ProfileDef) { p.Probability.Points[2].Grade = d("0.4") }, "profile.grade_order", "probability.points[2].grade"},
		{"grade negative", func(p *riskeval.ProfileDef) { p.Probability.Points[0].Grade = d("-0.2") }, "profile.grade_invalid", "probability.points[0].grade"},
		{"point numbering", func(p *riskeval.ProfileDef) { p.Impact.Points[3].Value = 7 }, "profile.scale_value", "impact.points[3].value"},
		{"label missing", func(p *riskeval.ProfileDef) { p.Impact.Points[1].Label.EN = "" }, "profile.label_missing", "impact.points[1].label"},
		{"thresholds reversed", func(p *riskeval.ProfileDef) { p.IndexThresholds.MediumMax = d("0.2") }, "profile.threshold_order", "index_thresholds.medium_max"},
		{"threshold beyond index scale", func(p *riskeval.ProfileDef) { p.IndexThresholds.LowMax = d("0.3600001") }, "profile.threshold_scale", "index_thresholds.low_max"},
		{"floor rule without level", func(p *riskeval.ProfileDef) { p.FloorRules[0].Floor = riskeval.LevelNone }, "profile.level_invalid", "floor_rules[0].floor"},
		{"survey order", func(p *riskeval.ProfileDef) { p.Survey.MediumMin = d("0.6") }, "profile.survey_order", "survey.medium_min"},
		{"survey mapping without basis", func(p *riskeval.ProfileDef) { p.Survey.Basis = riskeval.BasisNone }, "profile.basis_missing", "survey.basis"},
		{"survey share above 1", func(p *riskeval.ProfileDef) { p.Survey.HighMin = d("1.5") }, "profile.share_invalid", "survey.high_min"},
		{"regime duplicate", func(p *riskeval.ProfileDef) { p.Regimes[1].ID = p.Regimes[0].ID }, "profile.regime_duplicate", "regimes[1].id"},
		{"regime outcome missing", func(p *riskeval.ProfileDef) { p.Regimes[0].Medium.Outcome = riskeval.OutcomeNone }, "profile.outcome_invalid", "regimes[0].medium.outcome"},
		{"regime lenient for high", func(p *riskeval.ProfileDef) { p.Regimes[2].High.Outcome = riskeval.OutcomeApprove }, "profile.regime_not_monotone", "regimes[2]"},
		{"tolerance too wide", func(p *riskeval.ProfileDef) { p.WeightTolerance = d("0.5") }, "profile.tolerance_invalid", "weight_tolerance"},
		{"huge decimal", func(p *riskeval.ProfileDef) { p.Panel.LargeInvestment = d("1e30") }, "decimal.out_of_range", "panel.large_investment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := preset(t, "practice").Def()
			tc.mutate(&p)
			ps := p.Validate()
			if !hasProblem(ps, tc.code, tc.field) {
				t.Fatalf("want %s at %s, got %v", tc.code, tc.field, ps)
			}
			if _, err := riskeval.NewProfile(p); ssra.KindOf(err) != ssra.KindInvalid {
				t.Fatalf("NewProfile: %v", err)
			}
		})
	}
}

func TestMatrixValidation(t *testing.T) {
	base := preset(t, "textbook5x5")
	clone := func() riskeval.ProfileDef { return base.Def() }
	for _, tc := range []struct {
		name   string
		mutate func(m *riskeval.Matrix)
		codes  []string
	}{
		{"left neighbour higher", func(m *riskeval.Matrix) { m.Rows[0].Cells[2] = riskeval.DegreeL }, []string{"matrix.not_monotone"}},
		{"cell below higher", func(m *riskeval.Matrix) { m.Rows[4].Cells[4] = riskeval.DegreeS }, []string{"matrix.not_monotone"}},
		{"short row", func(m *riskeval.Matrix) { m.Rows[1].Cells = m.Rows[1].Cells[:4] }, []string{"matrix.shape"}},
		{"row index outside scale", func(m *riskeval.Matrix) { m.Rows[0].Probability = 9 }, []string{"matrix.index", "matrix.missing_row"}},
		{"duplicate row", func(m *riskeval.Matrix) { m.Rows[1].Probability = 5 }, []string{"matrix.duplicate_row", "matrix.missing_row"}},
		{"unset cell", func(m *riskeval.Matrix) { m.Rows[2].Cells[0] = riskeval.DegreeNone }, []string{"matrix.degree"}},
		{"degree levels not monotone", func(m *riskeval.Matrix) { m.Levels.S = riskeval.LevelLow }, []string{"matrix.level_not_monotone"}},
		{"several problems at once", func(m *riskeval.Matrix) {
			m.Rows[0].Cells[2] = riskeval.DegreeL
			m.Levels.N = riskeval.LevelNone
			m.Rows[3].Cells = nil
		}, []string{"matrix.not_monotone", "matrix.level_invalid", "matrix.shape"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := clone()
			tc.mutate(p.Matrix)
			got := problemCodes(p.Validate())
			for _, c := range tc.codes {
				if len(got[c]) == 0 {
					t.Errorf("want %s, got %v", c, got)
				}
			}
		})
	}
	if ps := clone().Validate(); len(ps) != 0 {
		t.Fatalf("clone invalid: %v", ps)
	}
}

func TestDecodeProfileStrict(t *testing.T) {
	p := preset(t, "practice")
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	back, err := riskeval.DecodeProfile(b)
	if err != nil {
		t.Fatalf("round trip: %v", err)
	}
	if !reflect.DeepEqual(back.Def(), p.Def()) {
		t.Fatalf("round trip changed the profile")
	}
	for name, in := range map[string]string{
		"unknown field": strings.Replace(string(b), `"name"`, `"nmae"`, 1),
		"trailing data": string(b) + "{}",
		"unknown level": strings.Replace(string(b), `"floor":"medium"`, `"floor":"severe"`, 1),
		"not json":      "{",
	} {
		if _, err := riskeval.DecodeProfile([]byte(in)); ssra.KindOf(err) != ssra.KindInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
}

func TestCatalogue(t *testing.T) {
	c, err := riskeval.LoadCatalogue()
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Factors) < 30 {
		t.Fatalf("%d factors", len(c.Factors))
	}
	areas := map[riskeval.Area]int{}
	ids := map[string]bool{}
	for _, f := range c.Factors {
		if ids[f.ID] {
			t.Errorf("duplicate %s", f.ID)
		}
		ids[f.ID] = true
		if !f.Area.Valid() || f.Stage == riskeval.StageNone || f.Name.ZH == "" || f.Name.EN == "" {
			t.Errorf("incomplete %+v", f)
		}
		areas[f.Area]++
	}
	for _, a := range riskeval.Areas() {
		if areas[a] == 0 {
			t.Errorf("area %s has no factor", a)
		}
	}
	f, ok := c.Lookup("land_expropriation.compensation_standard")
	if !ok || f.Factor("F1", ssra.LangEN).Name != "compensation standard and funds in place" {
		t.Fatalf("lookup: %+v %v", f, ok)
	}
}
