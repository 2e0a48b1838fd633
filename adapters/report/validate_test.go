package report_test

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/adapters/report"
	"github.com/ssra-go/ssra/riskeval"
)

func codes(ps ssra.Problems) map[string]string {
	m := map[string]string{}
	for _, p := range ps {
		if _, ok := m[p.Code]; !ok {
			m[p.Code] = p.Field
		}
	}
	return m
}

func TestInputValidate(t *testing.T) {
	textbook, err := riskeval.Preset("textbook5x5")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		edit  func(*report.Input)
		code  string
		field string
	}{
		{"unknown language", func(in *report.Input) { in.Lang = 9 }, "report.lang_unknown", "lang"},
		{"no generation time", func(in *report.Input) { in.Generated = time.Time{} }, "report.generated_missing", "generated"},
		{"not evaluated", func(in *report.Input) { in.Result = riskeval.Result{} }, "report.result_missing", "result"},
		{"other profile", func(in *report.Input) { in.Profile = textbook }, "report.profile_mismatch", "profile"},
		{"factor missing", func(in *report.Input) { in.Assessment.Factors = in.Assessment.Factors[1:] }, "report.factor_count", "result.factors"},
		{"factor order", func(in *report.Input) {
			fs := in.Assessment.Factors
			fs[1], fs[2] = fs[2], fs[1]
		}, "report.factor_mismatch", "result.factors[1].id"},
		{"estimate off scale", func(in *report.Input) { in.Result.Factors[3].Residual.Impact = 6 }, "report.estimate_out_of_scale", "result.factors[3].residual"},
		{"opinion without adoption", func(in *report.Input) { in.Meta.Opinions[1].Adoption = 0 }, "report.opinion_adoption_unknown", "meta.opinions[1].adoption"},
		{"negative opinion count", func(in *report.Input) { in.Meta.Opinions[0].Count = -1 }, "report.opinion_count_negative", "meta.opinions[0].count"},
		{"panel member unnamed", func(in *report.Input) { in.Meta.Members[1].Name = "" }, "report.member_name_missing", "meta.members[1].name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := plantInput(t, "practice", ssra.LangZH)
			tc.edit(&in)
			got := codes(in.Validate())
			field, ok := got[tc.code]
			if !ok {
				t.Fatalf("problems %v lack %s", got, tc.code)
			}
			if field != tc.field {
				t.Errorf("%s at %q, want %q", tc.code, field, tc.field)
			}
			var b bytes.Buffer
			for name, render := range map[string]func(io.Writer, report.Input) error{"HTML": report.HTML, "Markdown": report.Markdown} {
				err := render(&b, in)
				if ssra.KindOf(err) != ssra.KindInvalid {
					t.Errorf("%s: got %v, want an Invalid error", name, err)
				}
			}
			if b.Len() != 0 {
				t.Error("an invalid input wrote output")
			}
		})
	}
}

func TestAllProblemsAtOnce(t *testing.T) {
	in := plantInput(t, "practice", ssra.LangZH)
	in.Lang, in.Generated = 7, time.Time{}
	in.Meta.Opinions[0].Count = -2
	if got := len(in.Validate()); got != 3 {
		t.Errorf("got %d problems, want 3: %v", got, in.Validate())
	}
}

type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestWriteErrorsAreWrapped(t *testing.T) {
	in := plantInput(t, "practice", ssra.LangEN)
	for name, err := range map[string]error{
		"HTML":       report.HTML(failingWriter{}, in),
		"Markdown":   report.Markdown(failingWriter{}, in),
		"HeatMap":    report.HeatMap(failingWriter{}, in.Profile, in.Result, in.Lang),
		"ScoreChart": report.ScoreChart(failingWriter{}, in.Assessment, in.Result, in.Lang),
		"RankChart":  report.RankChart(failingWriter{}, sampleRanking()),
	} {
		if err == nil || ssra.KindOf(err) != ssra.KindInternal {
			t.Errorf("%s: got %v, want an Internal error wrapping the write error", name, err)
		}
	}
}

func TestChartsRefuseBadInput(t *testing.T) {
	in := plantInput(t, "practice", ssra.LangEN)
	textbook, _ := riskeval.Preset("textbook5x5")
	var b bytes.Buffer
	for name, err := range map[string]error{
		"heat map, empty result":     report.HeatMap(&b, in.Profile, riskeval.Result{}, ssra.LangEN),
		"heat map, other profile":    report.HeatMap(&b, textbook, in.Result, ssra.LangEN),
		"heat map, unknown language": report.HeatMap(&b, in.Profile, in.Result, 5),
		"score chart, other factors": report.ScoreChart(&b, riskeval.Assessment{}, in.Result, ssra.LangEN),
	} {
		if ssra.KindOf(err) != ssra.KindInvalid {
			t.Errorf("%s: got %v, want Invalid", name, err)
		}
	}
	if b.Len() != 0 {
		t.Error("a refused chart wrote output")
	}
}

func TestRankingValidate(t *testing.T) {
	d := decimal.RequireFromString
	for _, tc := range []struct {
		name  string
		edit  func(*report.Ranking)
		code  string
		field string
	}{
		{"no items", func(r *report.Ranking) { r.Items = nil }, "ranking.items_empty", "items"},
		{"zero max", func(r *report.Ranking) { r.Max = decimal.Zero }, "ranking.max_not_positive", "max"},
		{"score above max", func(r *report.Ranking) { r.Items[2].Score = d("100.5") }, "ranking.score_out_of_range", "items[2].score"},
		{"negative score", func(r *report.Ranking) { r.Items[0].Score = d("-1") }, "ranking.score_out_of_range", "items[0].score"},
		{"unnamed item", func(r *report.Ranking) { r.Items[4].Name = "" }, "ranking.name_missing", "items[4].name"},
		{"bands out of order", func(r *report.Ranking) { r.Bands[2].Min = d("60") }, "ranking.bands_not_ascending", "bands[2].min"},
		{"band at max", func(r *report.Ranking) { r.Bands[3].Min = d("100") }, "ranking.band_min_out_of_range", "bands[3].min"},
		{"band unlabelled", func(r *report.Ranking) { r.Bands[0].Label = "" }, "ranking.band_label_missing", "bands[0].label"},
		{"unknown language", func(r *report.Ranking) { r.Lang = 4 }, "ranking.lang_unknown", "lang"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rk := sampleRanking()
			tc.edit(&rk)
			got := codes(rk.Validate())
			if field, ok := got[tc.code]; !ok || field != tc.field {
				t.Fatalf("problems %v: want %s at %s", got, tc.code, tc.field)
			}
			if err := report.RankChart(io.Discard, rk); ssra.KindOf(err) != ssra.KindInvalid {
				t.Errorf("got %v, want Invalid", err)
			}
		})
	}
}

func TestAdoptionText(t *testing.T) {
	for _, a := range []report.Adoption{report.AdoptionAdopted, report.AdoptionPartly, report.AdoptionNotAdopted} {
		b, err := a.MarshalText()
		if err != nil {
			t.Fatal(err)
		}
		var back report.Adoption
		if err := back.UnmarshalText(b); err != nil || back != a {
			t.Errorf("%s: round trip gave %v, %v", a, back, err)
		}
	}
	var a report.Adoption
	for _, bad := range []string{"", "Adopted", "yes", "partly"} {
		if err := a.UnmarshalText([]byte(bad)); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if _, err := report.AdoptionNone.MarshalText(); err == nil {
		t.Error("the unset adoption marshalled")
	}
}
