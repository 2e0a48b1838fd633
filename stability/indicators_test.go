package stability_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/internal/casegen"
	"github.com/ssra-go/ssra/stability"
)

func TestIndicatorSetIsDefinedOnce(t *testing.T) {
	seen := map[string]bool{}
	for _, x := range stability.Indicators() {
		if seen[x.ID] {
			t.Errorf("indicator %s defined twice", x.ID)
		}
		seen[x.ID] = true
		for name, l := range map[string]ssra.Label{"label": x.Label, "formula": x.Formula, "basis": x.Basis} {
			if l.ZH == "" || l.EN == "" {
				t.Errorf("%s: %s needs zh-CN and en text", x.ID, name)
			}
		}
		if _, err := x.Kind.MarshalText(); err != nil || x.Kind.String() == "unset" {
			t.Errorf("%s: kind %v", x.ID, x.Kind)
		}
		got, ok := stability.LookupIndicator(x.ID)
		if !ok || got.ID != x.ID {
			t.Errorf("LookupIndicator(%s) = %v, %v", x.ID, got, ok)
		}
	}
	for _, id := range []string{"xinfang.on_time.notify", "xinfang.on_time.handling", "xinfang.on_time.review", "xinfang.on_time.rereview",
		"mediation.on_time", "casework.closed_within_limit", "casework.satisfaction", "mediation.success",
		"mediation.judicial_confirmation", "casework.backlog", "casework.handling_days"} {
		if !seen[id] {
			t.Errorf("indicator %s missing", id)
		}
	}
	if _, ok := stability.LookupIndicator("complaints.filed"); ok {
		t.Fatal("unknown indicator found")
	}
}

// TestIndicatorsNeverScoreFilings holds the indicator set to domain.md §4:
// the statement stands where the set is defined, and no indicator counts
// complaints filed or escalated or describes a complainant.
func TestIndicatorsNeverScoreFilings(t *testing.T) {
	src, err := os.ReadFile("indicators.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"never counts complaints filed or escalated", "nothing about a complainant", "domain.md §4"} {
		if !strings.Contains(strings.Join(strings.Fields(strings.ReplaceAll(string(src), "//", "")), " "), want) {
			t.Errorf("indicators.go no longer states %q where the set is defined", want)
		}
	}
	b, _ := json.Marshal(stability.Indicators())
	for _, w := range []string{"escalat", "filed", "上访", "越级", "信访量", "进京", "complainant_id", "petitioner"} {
		if strings.Contains(strings.ToLower(string(b)), strings.ToLower(w)) {
			t.Errorf("indicator set mentions %q", w)
		}
	}
	var f stability.CaseFacts
	fb, _ := json.Marshal(f)
	var fields map[string]any
	_ = json.Unmarshal(fb, &fields)
	for k := range fields {
		switch k {
		case "ref", "kind", "organ", "registered", "channel", "state", "within_limit", "handling_days", "duties", "mediated", "agreement", "performed", "confirmed":
		default:
			t.Errorf("case facts carry an unexpected member %q", k)
		}
	}
}

func TestFactsOfAComplaintByHand(t *testing.T) {
	p := preset(t, "xinfang2022")
	c, code := newCase(t, p, "2026-03-02")
	mustDo(t, c.Notify(at("2026-03-04"), clerk, "已受理"))
	mustDo(t, c.Accept(at("2026-03-05"), clerk))
	// conclude is due 60 days after 2026-03-05; answered on day 70: late.
	mustDo(t, c.Answer(at("2026-05-14"), clerk, stability.Opinion{Outcome: stability.OutcomeSupport, Text: "支持", LegalBasis: "条例"}))
	mustDo(t, c.Rate(at("2026-05-15"), code, stability.RatingBasicallySatisfied))
	f := c.Facts()
	if f.Kind != stability.CaseComplaint || f.Registered != day("2026-03-02") || f.Handled != day("2026-05-14") || f.Month() != "2026-03" {
		t.Fatalf("facts %+v", f)
	}
	if f.WithinLimit {
		t.Fatal("an answer after the conclude limit is not within the limits")
	}
	if want := sampleCalendar(t).WorkdaysBetween(day("2026-03-02"), day("2026-05-14")); f.HandlingDays != want {
		t.Fatalf("handling days %d, want %d", f.HandlingDays, want)
	}
	if f.Rating == nil || *f.Rating != stability.RatingBasicallySatisfied {
		t.Fatalf("rating %v", f.Rating)
	}
	groups := stability.MeasureCases([]*stability.Complaint{c}, nil, stability.CaseFilter{}, stability.Grouping{}, at("2026-05-20"))
	byID := figures(groups[0].Figures)
	// Cases give the figures of the indicators counted over cases only.
	for id := range byID {
		if !stability.IndicatorOverCases(id) {
			t.Fatalf("the casework figures hold %s", id)
		}
	}
	if h := byID["xinfang.on_time.handling"]; h.Numerator != 0 || h.Denominator != 1 || h.Rate == nil || !h.Rate.Value.IsZero() {
		t.Fatalf("handling on time %+v", h)
	}
	if n := byID["xinfang.on_time.notify"]; n.Numerator != 1 || n.Denominator != 1 {
		t.Fatalf("notify on time %+v", n)
	}
	if w := byID["casework.closed_within_limit"]; w.Numerator != 0 || w.Denominator != 1 {
		t.Fatalf("within limit %+v", w)
	}
	if s := byID["casework.satisfaction"]; s.Rate == nil || s.Rate.Value.String() != "1" {
		t.Fatalf("satisfaction %+v", s)
	}
}

func figures(fs []stability.Figure) map[string]stability.Figure {
	out := map[string]stability.Figure{}
	for _, f := range fs {
		out[f.Indicator] = f
	}
	return out
}

func TestHandlingDaysMeanAndNearestRankP90(t *testing.T) {
	tl := stability.NewTally()
	// Ten handled cases: 1..10 working days. Mean 5.5; ⌈0.9·10⌉ = 9th = 9.
	for d := 1; d <= 10; d++ {
		tl.Days[d]++
	}
	tl.Handled = 10
	f := figures(stability.Figures(tl))["casework.handling_days"]
	if f.Mean == nil || f.Mean.String() != "5.5" || f.P90 == nil || *f.P90 != 9 {
		t.Fatalf("days %+v", f)
	}
	// Eleven: ⌈9.9⌉ = 10th; mean 66/11 = 6.
	tl.Days[11]++
	f = figures(stability.Figures(tl))["casework.handling_days"]
	if f.Mean.String() != "6" || *f.P90 != 10 {
		t.Fatalf("days %+v", f)
	}
	// Three: 2, 2, 3 → mean 2.33 (half-up), P90 ⌈2.7⌉ = 3rd = 3.
	tl = stability.NewTally()
	tl.Days[2], tl.Days[3] = 2, 1
	f = figures(stability.Figures(tl))["casework.handling_days"]
	if f.Mean.String() != "2.33" || *f.P90 != 3 {
		t.Fatalf("days %+v", f)
	}
	if g := figures(stability.Figures(stability.NewTally()))["casework.handling_days"]; g.Mean != nil || g.P90 != nil {
		t.Fatalf("no case, yet %+v", g)
	}
}

// randomCases draws a year of synthetic cases at a few organisations.
func randomCases(t testing.TB, seed uint64, n int) ([]*stability.Complaint, []*stability.Dispute, time.Time) {
	t.Helper()
	now := at("2026-12-20")
	g, err := casegen.New(seed, []string{"org-a", "org-b", "org-c"}, sampleCalendar(t), day("2026-01-01"), 365, now)
	if err != nil {
		t.Fatal(err)
	}
	var cs []*stability.Complaint
	var ds []*stability.Dispute
	for i := 0; i < n; i++ {
		if g.Rand.IntN(5) == 0 {
			d, err := g.Dispute(i, nil)
			if err != nil {
				t.Fatal(err)
			}
			ds = append(ds, d)
			continue
		}
		c, err := g.Complaint(i, nil)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	return cs, ds, now
}

// TestMeasureCasesAgreesWithMeasure holds the indicator figures to the
// older, independent computations over the same cases: OnTimeRates,
// SatisfactionOf and MediationOutcomesOf by way of Measure.
func TestMeasureCasesAgreesWithMeasure(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		cs, ds, now := randomCases(t, seed, 60+int(seed)*7)
		m := stability.Measure(cs, ds, now)
		groups := stability.MeasureCases(cs, ds, stability.CaseFilter{}, stability.Grouping{}, now)
		if len(groups) != 1 {
			t.Fatalf("seed %d: %d groups", seed, len(groups))
		}
		byID := figures(groups[0].Figures)
		parts := map[stability.DutyKey]stability.DutyFigure{}
		for _, f := range groups[0].Figures {
			for _, o := range f.Duties {
				parts[stability.DutyKey{Profile: o.Profile, Rule: o.Rule}] = o
			}
		}
		for _, o := range m.OnTime {
			if o.Rule == "confirmation_decide" {
				continue // the court's duty, not an indicator of the unit
			}
			p, ok := parts[stability.DutyKey{Profile: o.Profile, Rule: o.Rule}]
			if !ok || p.Met != o.Met || p.Late != o.Late || p.Overdue != o.Overdue || !sameRate(p.Rate, o.Rate) {
				t.Fatalf("seed %d: %s/%s: indicators %+v, Measure %+v", seed, o.Profile, o.Rule, p, o)
			}
		}
		s := byID["casework.satisfaction"]
		if !sameRate(s.Rate, m.Satisfaction.Rate) || s.Counts[0].Count != m.Satisfaction.Satisfied || s.Counts[2].Count != m.Satisfaction.Dissatisfied {
			t.Fatalf("seed %d: satisfaction %+v vs %+v", seed, s, m.Satisfaction)
		}
		if ms := byID["mediation.success"]; !sameRate(ms.Rate, m.Mediation.AgreementRate) || ms.Numerator != m.Mediation.Agreements {
			t.Fatalf("seed %d: mediation %+v vs %+v", seed, ms, m.Mediation)
		}
		if jc := byID["mediation.judicial_confirmation"]; jc.Numerator != m.Mediation.Confirmed || jc.Denominator != m.Mediation.Agreements {
			t.Fatalf("seed %d: confirmation %+v vs %+v", seed, jc, m.Mediation)
		}
		var handled, backlog int64
		for _, c := range cs {
			if c.Facts().Handled.IsZero() {
				backlog++
			} else {
				handled++
			}
		}
		for _, d := range ds {
			if d.Facts().Handled.IsZero() {
				backlog++
			} else {
				handled++
			}
		}
		if byID["casework.backlog"].Numerator != backlog || byID["casework.handling_days"].Denominator != handled {
			t.Fatalf("seed %d: backlog %d handled %d: %+v %+v", seed, backlog, handled, byID["casework.backlog"], byID["casework.handling_days"])
		}
	}
}

func sameRate(a, b *ssra.Rate) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return a.Successes == b.Successes && a.Total == b.Total && a.Value.Equal(b.Value) && a.Lower.Equal(b.Lower) && a.Upper.Equal(b.Upper)
}

// TestGroupsPartitionTheWhole: grouping by organisation and month splits
// the cases without losing or counting one twice.
func TestGroupsPartitionTheWhole(t *testing.T) {
	cs, ds, now := randomCases(t, 99, 300)
	whole := figures(stability.MeasureCases(cs, ds, stability.CaseFilter{}, stability.Grouping{}, now)[0].Figures)
	var num, den int64
	var groups int
	for _, g := range stability.MeasureCases(cs, ds, stability.CaseFilter{}, stability.Grouping{ByOrgan: true, ByMonth: true}, now) {
		if g.Key.Organ == "" || len(g.Key.Month) != 7 {
			t.Fatalf("group key %+v", g.Key)
		}
		f := figures(g.Figures)["xinfang.on_time.handling"]
		num, den = num+f.Numerator, den+f.Denominator
		groups++
	}
	if w := whole["xinfang.on_time.handling"]; num != w.Numerator || den != w.Denominator || groups < 12 {
		t.Fatalf("groups sum %d/%d over %d groups, whole %d/%d", num, den, groups, w.Numerator, w.Denominator)
	}
	only := stability.MeasureCases(cs, ds, stability.CaseFilter{Organs: []string{"org-a"}, Kind: stability.CaseDispute}, stability.Grouping{ByOrgan: true}, now)
	if len(only) != 1 || only[0].Key.Organ != "org-a" {
		t.Fatalf("filtered groups %+v", only)
	}
	if f := figures(only[0].Figures)["xinfang.on_time.handling"]; f.Denominator != 0 {
		t.Fatalf("a dispute filter counted complaint duties: %+v", f)
	}
}

func TestFiguresRoundTripAndBecomeMeasurements(t *testing.T) {
	cs, ds, now := randomCases(t, 5, 120)
	fs := stability.MeasureCases(cs, ds, stability.CaseFilter{}, stability.Grouping{}, now)[0].Figures
	b, err := json.Marshal(fs)
	if err != nil {
		t.Fatal(err)
	}
	var back []stability.Figure
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if b2, _ := json.Marshal(back); string(b2) != string(b) {
		t.Fatalf("figures do not round-trip:\n%s\n%s", b, b2)
	}
	byID := figures(fs)
	on := day("2026-12-20")
	h := byID["xinfang.on_time.handling"]
	m, ok := stability.MeasurementOf("t", stability.UnitPercent, h, "q", on)
	if !ok || m.Sample == nil || m.Sample.Successes != h.Numerator || m.Sample.Total != h.Denominator || m.Source.Figure.Indicator != h.Indicator {
		t.Fatalf("rate measurement %+v", m)
	}
	d := byID["casework.handling_days"]
	if m, ok := stability.MeasurementOf("t", stability.UnitDays, d, "q", on); !ok || !m.Value.Equal(*d.Mean) {
		t.Fatalf("days measurement %+v", m)
	}
	if m, ok := stability.MeasurementOf("t", stability.UnitCount, byID["casework.backlog"], "q", on); !ok || m.Value.IntPart() != byID["casework.backlog"].Numerator {
		t.Fatalf("count measurement %+v", m)
	}
	if _, ok := stability.MeasurementOf("t", stability.UnitDays, h, "q", on); ok {
		t.Fatal("a rate became a number of days")
	}
	// A rate or a mean over nothing is a measurement that says so, with
	// its figure as evidence, never a value; a count of nothing is 0.
	none := figures(stability.Figures(stability.NewTally()))
	for _, tc := range []struct {
		id string
		u  stability.MeasureUnit
	}{{"xinfang.on_time.handling", stability.UnitPercent}, {"casework.satisfaction", stability.UnitRatio}, {"casework.handling_days", stability.UnitDays}} {
		m, ok := stability.MeasurementOf("t", tc.u, none[tc.id], "q", on)
		if !ok || !m.NotMeasurable || m.Value != nil || m.Sample != nil || m.Source == nil || m.Source.Figure.Indicator != tc.id ||
			!strings.Contains(m.Evidence, "nothing to measure") {
			t.Fatalf("%s over nothing: ok %v, %+v", tc.id, ok, m)
		}
	}
	if m, ok := stability.MeasurementOf("t", stability.UnitCount, none["casework.backlog"], "q", on); !ok || m.NotMeasurable || m.Value == nil || !m.Value.IsZero() {
		t.Fatalf("a backlog of nothing: ok %v, %+v", ok, m)
	}
}
