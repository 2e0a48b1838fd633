package stability_test

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
	"github.com/ssra-go/ssra/stability"
)

func samplePlan(t testing.TB) *stability.Plan {
	t.Helper()
	b, err := os.ReadFile("testdata/plan-sample.json")
	if err != nil {
		t.Fatal(err)
	}
	p, ps, err := stability.DecodePlan(b)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 0 {
		t.Fatalf("sample plan problems: %v", ps)
	}
	return p
}

func dec(s string) *decimal.Decimal {
	d := decimal.RequireFromString(s)
	return &d
}

func TestAcceptanceCheck(t *testing.T) {
	p := samplePlan(t)
	on := day("2026-12-31")
	ev := "2026 年第三方测评报告"
	for _, tc := range []struct {
		name         string
		satisfaction stability.Measurement
		safe         *decimal.Decimal
		onTime       *decimal.Decimal
		want         map[string]stability.Verdict
		overall      stability.Verdict
	}{
		{"all pass: 970/1000 has its Wilson lower bound 0.9575 ≥ 0.95",
			stability.Measurement{Target: "t-satisfaction", Sample: &stability.Sample{Successes: 970, Total: 1000}, Evidence: ev},
			dec("1"), dec("92.5"),
			map[string]stability.Verdict{"t-satisfaction": stability.VerdictPass, "t-safe-unit": stability.VerdictPass, "t-on-time": stability.VerdictPass},
			stability.VerdictPass},
		{"95.5 % of 1000 is undecided: interval [0.9403, 0.9662] holds 0.95",
			stability.Measurement{Target: "t-satisfaction", Sample: &stability.Sample{Successes: 955, Total: 1000}, Evidence: ev},
			dec("1"), dec("90"),
			map[string]stability.Verdict{"t-satisfaction": stability.VerdictUndecided, "t-on-time": stability.VerdictPass},
			stability.VerdictUndecided},
		{"426/439 is undecided: the lower bound 0.94999976 shows as 0.9500 but is below 0.95",
			stability.Measurement{Target: "t-satisfaction", Sample: &stability.Sample{Successes: 426, Total: 439}, Evidence: ev},
			dec("1"), dec("90"),
			map[string]stability.Verdict{"t-satisfaction": stability.VerdictUndecided},
			stability.VerdictUndecided},
		{"20 of 20 is undecided: a small sample cannot show 95 %",
			stability.Measurement{Target: "t-satisfaction", Sample: &stability.Sample{Successes: 20, Total: 20}, Evidence: ev},
			dec("1"), dec("90"),
			map[string]stability.Verdict{"t-satisfaction": stability.VerdictUndecided},
			stability.VerdictUndecided},
		{"900/1000 fails: upper bound 0.9171 < 0.95; safe unit not accepted",
			stability.Measurement{Target: "t-satisfaction", Sample: &stability.Sample{Successes: 900, Total: 1000}, Evidence: ev},
			dec("0"), dec("89.99"),
			map[string]stability.Verdict{"t-satisfaction": stability.VerdictFail, "t-safe-unit": stability.VerdictFail, "t-on-time": stability.VerdictFail},
			stability.VerdictFail},
		{"a point value without a sample is compared directly",
			stability.Measurement{Target: "t-satisfaction", Value: dec("95"), Evidence: ev},
			dec("1"), dec("90"),
			map[string]stability.Verdict{"t-satisfaction": stability.VerdictPass},
			stability.VerdictPass},
		{"a missing measurement fails the plan",
			stability.Measurement{Target: "t-satisfaction", Value: dec("99"), Evidence: ev},
			dec("1"), nil,
			map[string]stability.Verdict{"t-on-time": stability.VerdictMissing},
			stability.VerdictFail},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ms := []stability.Measurement{tc.satisfaction, {Target: "t-safe-unit", Value: tc.safe, Evidence: "验收组意见"}}
			if tc.onTime != nil {
				ms = append(ms, stability.Measurement{Target: "t-on-time", Value: tc.onTime, Evidence: "信访信息系统统计"})
			}
			a, err := stability.CheckAcceptance(p, ms, on)
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]stability.Verdict{}
			for _, r := range a.Results {
				got[r.Target] = r.Verdict
				if len(r.Steps) == 0 {
					t.Fatalf("%s does not explain itself", r.Target)
				}
			}
			for id, v := range tc.want {
				if got[id] != v {
					t.Fatalf("%s: %s, want %s (%+v)", id, got[id], v, a.Results)
				}
			}
			if a.Verdict != tc.overall || len(a.Results) != 3 {
				t.Fatalf("overall %s, want %s", a.Verdict, tc.overall)
			}
		})
	}
}

// TestAcceptanceNotMeasurable: a target whose indicator had nothing to
// measure is not_measurable, with its figure as evidence: the plan neither
// passes nor fails on it (undecided), a failed target still fails it, and a
// claim of "nothing to measure" without such a figure is refused.
func TestAcceptanceNotMeasurable(t *testing.T) {
	p := samplePlan(t)
	p.Goals[1].Targets[1].Indicator = "xinfang.on_time.handling"
	on := day("2026-12-31")
	var empty stability.Figure
	for _, f := range stability.Figures(stability.NewTally()) {
		if f.Indicator == "xinfang.on_time.handling" {
			empty = f
		}
	}
	m, ok := stability.MeasurementOf("t-on-time", stability.UnitPercent, empty, "/v1/stats/casework?indicator=xinfang.on_time.handling", on)
	if !ok || !m.NotMeasurable {
		t.Fatalf("measurement of nothing: %v %+v", ok, m)
	}
	sat := stability.Measurement{Target: "t-satisfaction", Sample: &stability.Sample{Successes: 970, Total: 1000}, Evidence: "x"}
	safe := func(v string) stability.Measurement {
		return stability.Measurement{Target: "t-safe-unit", Value: dec(v), Evidence: "x"}
	}
	a, err := stability.CheckAcceptance(p, []stability.Measurement{sat, safe("1"), m}, on)
	if err != nil {
		t.Fatal(err)
	}
	r := a.Results[2]
	if r.Target != "t-on-time" || r.Verdict != stability.VerdictNotMeasurable || r.Value != nil || r.Source == nil || r.Evidence != m.Evidence {
		t.Fatalf("target: %+v", r)
	}
	if a.Verdict != stability.VerdictUndecided || a.Counts["not_measurable"] != 1 {
		t.Fatalf("overall %s, counts %v", a.Verdict, a.Counts)
	}
	if got := a.Steps[0]; got != "3 target(s): 2 pass, 0 fail, 0 undecided, 0 missing, 1 not measurable" {
		t.Fatalf("summary: %q", got)
	}
	a, err = stability.CheckAcceptance(p, []stability.Measurement{sat, safe("0"), m}, on)
	if err != nil || a.Verdict != stability.VerdictFail {
		t.Fatalf("a failed target beside a not measurable one: %s, %v", a.Verdict, err)
	}
	for _, tc := range []struct {
		name string
		m    stability.Measurement
		code string
	}{
		{"typed, no figure", stability.Measurement{Target: "t-on-time", NotMeasurable: true, Evidence: "x"}, "measurement.not_measurable_unsupported"},
		{"a figure that measured something", func() stability.Measurement {
			x := m
			src := *x.Source
			src.Figure.Denominator = 3
			x.Source = &src
			return x
		}(), "measurement.not_measurable_unsupported"},
		{"another target's indicator", func() stability.Measurement { x := m; x.Target = "t-satisfaction"; return x }(), "measurement.not_measurable_unsupported"},
		{"with a value", func() stability.Measurement { x := m; x.Value = dec("90"); return x }(), "measurement.value_not_measurable"},
	} {
		ms := []stability.Measurement{safe("1"), tc.m}
		if tc.m.Target != "t-satisfaction" {
			ms = append(ms, sat)
		}
		_, err := stability.CheckAcceptance(p, ms, on)
		if !hasProblem(err, tc.code) {
			t.Fatalf("%s: want %s, got %v", tc.name, tc.code, err)
		}
	}
}

func TestAcceptanceRefusals(t *testing.T) {
	p := samplePlan(t)
	_, err := stability.CheckAcceptance(p, []stability.Measurement{
		{Target: "t-nope", Value: dec("1"), Evidence: "x"},
		{Target: "t-safe-unit", Value: dec("2"), Evidence: "x"},
		{Target: "t-on-time", Value: dec("90"), Sample: &stability.Sample{Successes: 1, Total: 2}, Evidence: "x"},
		{Target: "t-satisfaction", Sample: &stability.Sample{Successes: 3, Total: 2}},
		{Target: "t-satisfaction", Value: dec("0.1234567890123456789"), Evidence: "x"},
	}, ssra.Date{})
	for _, code := range []string{"acceptance.target_unknown", "measurement.value_range", "measurement.value_and_sample", "measurement.sample_invalid",
		"measurement.evidence_missing", "acceptance.duplicate", "measurement.value_invalid", "acceptance.date_missing"} {
		wantErr(t, err, ssra.KindInvalid, code)
	}
	_, err = stability.CheckAcceptance(p, []stability.Measurement{{Target: "t-safe-unit", Sample: &stability.Sample{Successes: 1, Total: 1}, Evidence: "x"}}, day("2026-12-31"))
	wantErr(t, err, ssra.KindInvalid, "measurement.sample_unit")
}

func TestPlanValidation(t *testing.T) {
	p := samplePlan(t)
	p.Year = 1999
	p.Goals[0].Targets[0].Threshold = decimal.NewFromInt(101)
	p.Goals[1].Targets[0].Comparator = stability.Comparator(9)
	p.Tasks[0].Leader.Name = ""
	p.Tasks[1].Targets = []string{"t-missing"}
	p.Tasks[2].Due = day("2027-01-31")
	p.Tasks = append(p.Tasks, p.Tasks[0])
	p.Pledges[0].Lower = p.Pledges[0].Upper
	p.Reports[0].Percent = decimal.NewFromInt(120)
	ps := p.Validate()
	for _, code := range []string{"plan.year_range", "target.threshold_range", "target.comparator_invalid", "task.leader_missing",
		"task.target_unknown", "plan.id_invalid", "pledge.levels_invalid", "report.percent_range"} {
		found := false
		for _, pr := range ps {
			found = found || pr.Code == code
		}
		if !found {
			t.Fatalf("no %s in %v", code, ps)
		}
	}
	w := ps.Warnings()
	if len(w) != 1 || w[0].Code != "task.due_after_target" || w[0].Field != "tasks[2].due" {
		t.Fatalf("warnings %v", w)
	}
}

func FuzzPlanJSON(f *testing.F) {
	b, _ := os.ReadFile("testdata/plan-sample.json")
	f.Add(string(b))
	f.Add(`{"id":"x","unit":"u","year":2026,"goals":[{"id":"g","targets":[{"id":"t","indicator":"i","comparator":"lt","threshold":1e30,"unit":"count","due":"2026-01-01"}]}],"tasks":[]}`)
	f.Fuzz(func(t *testing.T, s string) {
		p, _, err := stability.DecodePlan([]byte(s))
		if err != nil {
			return
		}
		var ms []stability.Measurement
		for _, g := range p.Goals {
			for _, tg := range g.Targets {
				v := tg.Threshold
				ms = append(ms, stability.Measurement{Target: tg.ID, Value: &v, Evidence: "e"})
			}
		}
		a, err := stability.CheckAcceptance(p, ms, day("2026-12-31"))
		if err != nil {
			t.Fatalf("measuring each target at its threshold: %v", err)
		}
		if _, err := json.Marshal(a); err != nil {
			t.Fatal(err)
		}
	})
}

func TestAppraisalMetrics(t *testing.T) {
	p := preset(t, "xinfang2022")
	onTime := answered(t, p, "2026-04-01") // accepted 03-04, answered within 60 days
	late, code2 := newCase(t, p, "2026-03-02")
	mustDo(t, late.Accept(at("2026-03-02"), clerk))
	mustDo(t, late.Answer(at("2026-05-20"), clerk, opinion)) // due 2026-05-06
	open, _ := newCase(t, p, "2026-03-02")
	mustDo(t, open.Accept(at("2026-03-02"), clerk))
	mustDo(t, late.Rate(at("2026-05-21"), code2, stability.RatingDissatisfied))

	now := at("2026-06-01")
	m := stability.Measure([]*stability.Complaint{onTime, late, open}, nil, now)
	var conclude *stability.OnTimeRate
	for i := range m.OnTime {
		if m.OnTime[i].Rule == "conclude" {
			conclude = &m.OnTime[i]
		}
	}
	if conclude == nil || conclude.Met != 1 || conclude.Late != 1 || conclude.Overdue != 1 || conclude.Rate == nil || conclude.Rate.Total != 3 {
		t.Fatalf("conclude on-time %+v", conclude)
	}
	if m.Satisfaction.Dissatisfied != 1 || m.Satisfaction.Rate == nil || !m.Satisfaction.Rate.Value.IsZero() {
		t.Fatalf("satisfaction %+v", m.Satisfaction)
	}
	// The appraisal inputs carry no count of complaints filed or escalated.
	b, _ := json.Marshal(m)
	var fields map[string]any
	_ = json.Unmarshal(b, &fields)
	for k := range fields {
		if k != "at" && k != "on_time" && k != "satisfaction" && k != "mediation" {
			t.Fatalf("unexpected appraisal input %q", k)
		}
	}
}

func TestMediationOutcomes(t *testing.T) {
	agreed, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
	mustDo(t, agreed.Start(at("2026-03-02"), mediator))
	mustDo(t, agreed.Agree(at("2026-03-05"), mediator, written))
	mustDo(t, agreed.StartPerformance(at("2026-03-06"), mediator))
	mustDo(t, agreed.MarkPerformed(at("2026-03-20"), mediator))
	failed, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
	mustDo(t, failed.Start(at("2026-03-02"), mediator))
	mustDo(t, failed.Terminate(at("2026-03-20"), mediator, "调解不成", routes))
	notStarted, _ := newDispute(t, "2026-03-02", stability.ModeStandard)
	o := stability.MediationOutcomesOf([]*stability.Dispute{agreed, failed, notStarted})
	if o.Mediated != 2 || o.Agreements != 1 || o.Performed != 1 || o.AgreementRate.Value.String() != "0.5" || o.PerformanceRate.Value.String() != "1" {
		t.Fatalf("outcomes %+v", o)
	}
}
