package stability

import (
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

// IndicatorKind says what an indicator's figure is: a rate with its Wilson
// interval, a count of cases by state, or a number of working days.
type IndicatorKind uint8

// The indicator kinds.
const (
	// IndicatorRate is a share with its 95 % Wilson interval.
	IndicatorRate IndicatorKind = iota + 1
	// IndicatorCount is a count of cases (the backlog by state).
	IndicatorCount
	// IndicatorDays is a mean and a 90th percentile in working days.
	IndicatorDays
)

var indicatorKinds = ssra.NewEnum[IndicatorKind]("indicator kind",
	ssra.M("rate", "比率", "rate"),
	ssra.M("count", "数量", "count"),
	ssra.M("days", "工作日数", "days"),
)

// String returns the indicator kind's snake_case name.
func (k IndicatorKind) String() string { return indicatorKinds.String(k) }

// Valid reports whether k is an indicator kind.
func (k IndicatorKind) Valid() bool { return indicatorKinds.Valid(k) }

// Label returns the indicator kind's name for people in lang.
func (k IndicatorKind) Label(lang ssra.Lang) string { return indicatorKinds.Label(k, lang) }

// MarshalText encodes the indicator kind as its name and refuses an unset one.
func (k IndicatorKind) MarshalText() ([]byte, error) { return indicatorKinds.MarshalText(k) }

// UnmarshalText decodes an indicator kind name and rejects unknown text.
func (k *IndicatorKind) UnmarshalText(b []byte) error { return indicatorKinds.UnmarshalText(k, b) }

// Indicator is a measure of casework quality (办理质量指标), defined once here:
// its identifier, its name, how it is computed and on what legal text or
// practice it rests. Rules lists the duty rules an on-time indicator counts.
type Indicator struct {
	ID      string        `json:"id"`
	Kind    IndicatorKind `json:"kind"`
	Label   ssra.Label    `json:"label"`
	Formula ssra.Label    `json:"formula"`
	Basis   ssra.Label    `json:"basis"`
	Rules   []string      `json:"rules,omitempty"`
}

const (
	onTimeFormulaZH = "按期履行的期限数 ÷（按期 + 逾期办结 + 截至统计日已逾期未办）；因案件另行处理而取消的期限不计"
	onTimeFormulaEN = "duties met by their due date ÷ (met + met late + still open past due at the measuring date); deadlines cancelled because the case took another path do not count"
)

func onTime(id, zh, en string, basis ssra.Label, rules ...string) Indicator {
	return Indicator{ID: id, Kind: IndicatorRate, Label: ssra.L(zh, en), Formula: ssra.L(onTimeFormulaZH, onTimeFormulaEN), Basis: basis, Rules: rules}
}

// indicators is the indicator set. It measures how cases are handled:
// limits kept, cases concluded in time, the public's satisfaction with the
// handling, mediation achieved, the work still open and how long it took.
// By design it never counts complaints filed or escalated as a score of a
// unit (scoring a unit by them rewards suppressing complaints, domain.md
// §2.1 Boundary) and it holds nothing about a complainant or a party: no
// person, no identifier, no per-person count (domain.md §4). A new
// indicator keeps to both.
var indicators = []Indicator{
	onTime("xinfang.on_time.route", "登记转送按期率", "routed on time",
		ssra.L("信访工作条例（2022）第二十二条", "Regulation on Xinfang Work 2022, Art 22"), "route"),
	onTime("xinfang.on_time.notify", "受理告知按期率", "complainant notified on time",
		ssra.L("信访工作条例（2022）第二十三条", "Regulation on Xinfang Work 2022, Art 23"), "notify", "notify_transfer"),
	onTime("xinfang.on_time.handling", "办理按期率", "handled on time",
		ssra.L("信访工作条例（2022）第三十四条", "Regulation on Xinfang Work 2022, Art 34"), "conclude"),
	onTime("xinfang.on_time.review", "复查按期率", "reviews decided on time",
		ssra.L("信访工作条例（2022）第三十五条", "Regulation on Xinfang Work 2022, Art 35"), "review_decide"),
	onTime("xinfang.on_time.rereview", "复核按期率", "re-reviews decided on time",
		ssra.L("信访工作条例（2022）第三十六条", "Regulation on Xinfang Work 2022, Art 36"), "rereview_decide"),
	onTime("mediation.on_time", "调解按期率", "mediations concluded within their limit",
		ssra.L("司法部《人民调解工作若干规定》第三十三条（一个月，实践）；最高人民法院《关于人民法院特邀调解的规定》（2016）第二十七条",
			"Ministry of Justice provisions on people's mediation work, Art 33 (one month, practice); SPC Provisions on Specially Invited Mediation (2016), Art 27"),
		"mediate", "mediate_delegated", "mediate_entrusted", "mediate_entrusted_simplified"),
	{ID: "casework.closed_within_limit", Kind: IndicatorRate, Label: ssra.L("按期办结率", "handled within the limits"),
		Formula: ssra.L("办结的案件中，办结前到期的每项期限均按期履行的案件数 ÷ 办结案件数（信访：出具处理意见、告知或导入其他程序；纠纷：达成协议、终止或不予调解）",
			"handled cases whose every duty closed by the handling date was met by its due date ÷ handled cases (a complaint answered, referred or diverted; a dispute agreed, terminated or declined)"),
		Basis: ssra.L("信访工作条例（2022）第二十二条至第三十六条；人民调解法（2010）", "Regulation on Xinfang Work 2022, Arts 22–36; People's Mediation Law 2010")},
	{ID: "casework.satisfaction", Kind: IndicatorRate, Label: ssra.L("群众满意率", "satisfaction with the handling"),
		Formula: ssra.L("（满意 + 基本满意）÷ 已评价案件数，每件以其评价计一次，附95%威尔逊区间",
			"(satisfied + basically satisfied) ÷ rated cases, each case counted once by its rating, with the 95 % Wilson interval"),
		Basis: ssra.L("信访工作条例（2022）第三十三条（信访人评价）；平安建设考评实践", "Regulation on Xinfang Work 2022, Art 33 (the complainant's rating); practice of safety appraisal")},
	{ID: "mediation.success", Kind: IndicatorRate, Label: ssra.L("调解成功率", "mediation success rate"),
		Formula: ssra.L("达成调解协议的纠纷数 ÷ 开始调解的纠纷数", "disputes with an agreement ÷ disputes whose mediation started"),
		Basis:   ssra.L("人民调解法（2010）第二十八条", "People's Mediation Law 2010, Art 28")},
	{ID: "mediation.judicial_confirmation", Kind: IndicatorRate, Label: ssra.L("司法确认率", "judicial confirmation rate"),
		Formula: ssra.L("经司法确认的调解协议数 ÷ 达成的调解协议数", "agreements judicially confirmed ÷ agreements reached"),
		Basis:   ssra.L("人民调解法（2010）第三十三条", "People's Mediation Law 2010, Art 33")},
	{ID: "casework.backlog", Kind: IndicatorCount, Label: ssra.L("在办案件（按状态）", "backlog by state"),
		Formula: ssra.L("尚未办结的案件数，按案件类别和当前状态分列", "cases not yet handled, by kind of case and current state"),
		Basis:   ssra.L("信访工作条例（2022）第三十一条（按期办理）；实践", "Regulation on Xinfang Work 2022, Art 31 (timely handling); practice")},
	{ID: "register.rounds_on_time", Kind: IndicatorRate, Label: ssra.L("排查按期率", "screening rounds held on time"),
		Formula: ssra.L("按期开展的排查轮次数 ÷（按期 + 逾期开展 + 截至统计日漏排）；尚未到期的轮次不计；轮次的截止日为其周期内最后一个工作日",
			"rounds held by their due date ÷ (on time + held late + missed at the measuring date); rounds not yet due do not count; a round is due on the last working day of its period"),
		Basis: ssra.L("矛盾纠纷排查化解工作实践（定期排查、敏感节点前排查）", "practice of periodic dispute screening (regular rounds and rounds before sensitive periods)")},
	{ID: "register.closed_in_time", Kind: IndicatorRate, Label: ssra.L("台账按期销号率", "register entries closed within their deadline"),
		Formula: ssra.L("在期限内核查销号的条目数 ÷（已销号 + 截至统计日逾期未销号）", "entries verified and closed by their deadline ÷ (closed + still open past the deadline at the measuring date)"),
		Basis:   ssra.L("矛盾纠纷排查化解工作实践（台账管理、销号）", "practice of the dispute screening register (entries and their closing)")},
	{ID: "register.resolution", Kind: IndicatorRate, Label: ssra.L("排查问题化解率", "register resolution rate"),
		Formula: ssra.L("已核查销号的条目数 ÷ 登记在册的条目数", "entries verified and closed ÷ entries in the register"),
		Basis:   ssra.L("矛盾纠纷排查化解工作实践", "practice of dispute screening and resolution")},
	{ID: "measures.verified_on_time", Kind: IndicatorRate, Label: ssra.L("稳评措施按期核验率", "tracked measures verified by their due date"),
		Formula: ssra.L("在到期日前（含当日）核验的措施数 ÷（已核验 + 截至统计日已过到期日而未核验）；撤销的措施与尚未到期的未核验措施不计",
			"measures verified on or before their due date ÷ (verified + not verified and past their due date at the measuring date); withdrawn measures, and unverified ones not yet due, do not count"),
		Basis: ssra.L("中办发〔2012〕2号《关于建立健全重大决策社会稳定风险评估机制的指导意见（试行）》（落实风险防范化解措施、跟踪评估）；重大行政决策程序暂行条例（2019）第四章（决策执行和调整）",
			"central guidance on social stability risk assessment of major decisions (2012): carrying out the measures and follow-up assessment; Interim Regulation on Major Administrative Decision Procedures (2019), Ch 4 (carrying out and adjusting decisions)")},
	{ID: "measures.verified", Kind: IndicatorRate, Label: ssra.L("稳评措施落实核验率", "tracked measures verified"),
		Formula: ssra.L("已核验的措施数 ÷ 在列措施数（撤销的不计）", "measures verified ÷ measures in force (withdrawn ones do not count)"),
		Basis:   ssra.L("中办发〔2012〕2号《关于建立健全重大决策社会稳定风险评估机制的指导意见（试行）》", "central guidance on social stability risk assessment of major decisions (2012)")},
	{ID: "measures.overdue", Kind: IndicatorCount, Label: ssra.L("逾期未落实措施数（按责任单位）", "overdue measures, by owning organisation"),
		Formula: ssra.L("截至统计日已过到期日、责任单位尚未报告落实且未撤销的措施数，按责任单位分列；到期当日不算逾期",
			"measures not withdrawn and not reported carried out by their owner whose due date passed before the measuring date, by owning organisation; a measure due on the measuring date is not yet overdue"),
		Basis: ssra.L("中办发〔2012〕2号《关于建立健全重大决策社会稳定风险评估机制的指导意见（试行）》（措施落实责任）", "central guidance on social stability risk assessment of major decisions (2012): responsibility for carrying out the measures")},
	{ID: "casework.handling_days", Kind: IndicatorDays, Label: ssra.L("办理用时（工作日）", "handling time (working days)"),
		Formula: ssra.L("办结案件自登记次日起至办结日的工作日数：平均数（四舍五入保留两位）与第90百分位数（最近秩法：排序后第⌈0.9n⌉个）",
			"working days from the day after registration through the handling date, over handled cases: the mean (rounded half-up to 2 places) and the 90th percentile (nearest rank: the ⌈0.9 n⌉-th smallest)"),
		Basis: ssra.L("期间计算：起算日不计入（参照民事诉讼法第八十五条，实践）；工作日按工作日历", "Day counting: the start day is not counted (by analogy with the Civil Procedure Law Art 85, practice); working days per the calendar")},
}

// Indicators returns the casework indicator set, in its fixed order.
func Indicators() []Indicator {
	out := make([]Indicator, len(indicators))
	for i, x := range indicators {
		x.Rules = slices.Clone(x.Rules)
		out[i] = x
	}
	return out
}

// LookupIndicator returns the indicator with the id.
func LookupIndicator(id string) (Indicator, bool) {
	for _, x := range indicators {
		if x.ID == id {
			x.Rules = slices.Clone(x.Rules)
			return x, true
		}
	}
	return Indicator{}, false
}

// DutyKey names a duty rule within its profile.
type DutyKey struct {
	Profile string `json:"profile"`
	Rule    string `json:"rule"`
}

// DutyCount counts the duties of one rule: met on time, met late, and still
// open past due at the measuring date.
type DutyCount struct {
	Met     int64 `json:"met"`
	Late    int64 `json:"late"`
	Overdue int64 `json:"overdue"`
}

// StateKey names a workflow state of a kind of case.
type StateKey struct {
	Kind  CaseKind `json:"kind"`
	State string   `json:"state"`
}

// Tally is what the indicators need, summed over a set of cases at a
// measuring date: duties by rule, handled cases and those within the
// limits, ratings, mediation outcomes, the backlog by state and the
// histogram of handling days. A store may compute it in its database; the
// figures then come from Figures exactly as from cases in memory.
type Tally struct {
	Duties             map[DutyKey]DutyCount `json:"duties"`
	Handled            int64                 `json:"handled"`
	WithinLimit        int64                 `json:"within_limit"`
	Satisfied          int64                 `json:"satisfied"`
	BasicallySatisfied int64                 `json:"basically_satisfied"`
	Dissatisfied       int64                 `json:"dissatisfied"`
	Mediated           int64                 `json:"mediated"`
	Agreements         int64                 `json:"agreements"`
	Performed          int64                 `json:"performed"`
	Confirmed          int64                 `json:"confirmed"`
	Backlog            map[StateKey]int64    `json:"backlog"`
	// Days maps a number of working days to the handled cases that took it.
	Days map[int]int64 `json:"days"`
	// Register is the screening register's rounds and entries.
	Register RegisterTally `json:"register"`
	// Measures is the tracked measures of approvals.
	Measures MeasureTally `json:"measures"`
}

// NewTally returns an empty tally.
func NewTally() Tally {
	return Tally{Duties: map[DutyKey]DutyCount{}, Backlog: map[StateKey]int64{}, Days: map[int]int64{}}
}

// Add counts one case's facts at the measuring date today.
func (t *Tally) Add(f CaseFacts, today ssra.Date) {
	for _, d := range f.Duties {
		k := DutyKey{d.Profile, d.Rule}
		c := t.Duties[k]
		switch {
		case d.Status == DeadlineMet:
			c.Met++
		case d.Status == DeadlineLate:
			c.Late++
		case d.Status == DeadlineOpen && d.Due.Before(today):
			c.Overdue++
		}
		t.Duties[k] = c
	}
	if f.Handled.IsZero() {
		t.Backlog[StateKey{f.Kind, f.State}]++
	} else {
		t.Handled++
		if f.WithinLimit {
			t.WithinLimit++
		}
		t.Days[f.HandlingDays]++
	}
	if f.Rating != nil {
		switch *f.Rating {
		case RatingSatisfied:
			t.Satisfied++
		case RatingBasicallySatisfied:
			t.BasicallySatisfied++
		default:
			t.Dissatisfied++
		}
	}
	for _, x := range [...]struct {
		set bool
		n   *int64
	}{{f.Mediated, &t.Mediated}, {f.Agreement, &t.Agreements}, {f.Performed, &t.Performed}, {f.Confirmed, &t.Confirmed}} {
		if x.set {
			*x.n++
		}
	}
}

// Count is a named count inside a figure (met, late, overdue; a state of
// the backlog; a rating).
type Count struct {
	Name  string `json:"name"`
	Count int64  `json:"count"`
}

// Figure is an indicator's value over a set of cases, with what it was
// computed from: the indicator's formula and basis, the counts, the rate and
// its interval (a rate), the mean and 90th percentile (days), and the steps
// a person can check by hand.
type Figure struct {
	Indicator string        `json:"indicator"`
	Kind      IndicatorKind `json:"kind"`
	Label     ssra.Label    `json:"label"`
	Formula   ssra.Label    `json:"formula"`
	Basis     ssra.Label    `json:"basis"`
	// Numerator and Denominator are the rate's counts (handled cases and
	// their sum for days; the backlog total for a count).
	Numerator   int64 `json:"numerator"`
	Denominator int64 `json:"denominator"`
	// Rate is the share with its interval; nil when the denominator is 0.
	Rate *ssra.Rate `json:"rate,omitempty"`
	// Mean and P90 are the handling days; nil without a handled case.
	Mean   *decimal.Decimal `json:"mean,omitempty"`
	P90    *int64           `json:"p90,omitempty"`
	Counts []Count          `json:"counts"`
	// Duties are an on-time indicator's counts by profile and rule.
	Duties []DutyFigure `json:"duties,omitempty"`
	Steps  []string     `json:"steps"`
}

// DutyFigure is an on-time indicator's part for one duty rule: the counts
// and rate OnTimeRates gives for the rule.
type DutyFigure struct {
	Profile string     `json:"profile"`
	Rule    string     `json:"rule"`
	Met     int64      `json:"met"`
	Late    int64      `json:"late"`
	Overdue int64      `json:"overdue"`
	Rate    *ssra.Rate `json:"rate,omitempty"`
}

// MeanScale is the number of decimal places of a mean number of days.
const MeanScale = 2

// Figures computes every indicator's figure from the tally, in the order of
// Indicators.
func Figures(t Tally) []Figure {
	out := make([]Figure, 0, len(indicators))
	for _, x := range indicators {
		out = append(out, figureOf(x, t))
	}
	return out
}

// FigureOf computes one indicator's figure from the tally, and false for
// an unknown indicator. Over NewTally() it is the figure of no case: what
// a query that found nothing measured, with its formula and basis.
func FigureOf(id string, t Tally) (Figure, bool) {
	for _, x := range indicators {
		if x.ID == id {
			return figureOf(x, t), true
		}
	}
	return Figure{}, false
}

func figureOf(x Indicator, t Tally) Figure {
	f := Figure{Indicator: x.ID, Kind: x.Kind, Label: x.Label, Formula: x.Formula, Basis: x.Basis, Counts: []Count{}}
	rate := func(num, den int64, what string) {
		f.Numerator, f.Denominator = num, den
		f.Steps = append(f.Steps, fmt.Sprintf("%s: %d of %d", what, num, den))
		if den > 0 {
			if r, err := ssra.NewRate(num, den); err == nil {
				f.Rate = &r
				f.Steps = append(f.Steps, fmt.Sprintf("rate %d/%d = %s (rounded half-up to %d places), 95 %% Wilson interval [%s, %s]", num, den, r.Value, ssra.RateScale, r.Lower, r.Upper))
			}
		}
	}
	switch x.ID {
	case "casework.closed_within_limit":
		f.Counts = append(f.Counts, Count{"within_limit", t.WithinLimit}, Count{"not_within_limit", t.Handled - t.WithinLimit})
		rate(t.WithinLimit, t.Handled, "handled cases within the limits")
	case "casework.satisfaction":
		f.Counts = append(f.Counts, Count{"satisfied", t.Satisfied}, Count{"basically_satisfied", t.BasicallySatisfied}, Count{"dissatisfied", t.Dissatisfied})
		rate(t.Satisfied+t.BasicallySatisfied, t.Satisfied+t.BasicallySatisfied+t.Dissatisfied, "satisfied or basically satisfied among rated cases")
	case "mediation.success":
		f.Counts = append(f.Counts, Count{"mediated", t.Mediated}, Count{"agreements", t.Agreements}, Count{"performed", t.Performed})
		rate(t.Agreements, t.Mediated, "disputes with an agreement among those mediated")
	case "mediation.judicial_confirmation":
		f.Counts = append(f.Counts, Count{"agreements", t.Agreements}, Count{"confirmed", t.Confirmed})
		rate(t.Confirmed, t.Agreements, "agreements judicially confirmed")
	case "casework.backlog":
		keys := make([]StateKey, 0, len(t.Backlog))
		for k := range t.Backlog {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			if keys[i].Kind != keys[j].Kind {
				return keys[i].Kind < keys[j].Kind
			}
			return keys[i].State < keys[j].State
		})
		for _, k := range keys {
			f.Counts = append(f.Counts, Count{k.Kind.String() + "." + k.State, t.Backlog[k]})
			f.Numerator += t.Backlog[k]
		}
		f.Denominator = f.Numerator
		f.Steps = append(f.Steps, fmt.Sprintf("%d case(s) not yet handled", f.Numerator))
	case "casework.handling_days":
		daysFigure(&f, t.Days)
	case "register.rounds_on_time":
		r := t.Register
		f.Counts = append(f.Counts, Count{"on_time", r.RoundsOnTime}, Count{"late", r.RoundsLate}, Count{"missed", r.RoundsMissed})
		rate(r.RoundsOnTime, r.RoundsOnTime+r.RoundsLate+r.RoundsMissed, "screening rounds held on time among those due")
	case "register.closed_in_time":
		r := t.Register
		f.Counts = append(f.Counts, Count{"closed_in_time", r.ClosedInTime}, Count{"closed_late", r.Closed - r.ClosedInTime}, Count{"open_overdue", r.OpenOverdue})
		rate(r.ClosedInTime, r.Closed+r.OpenOverdue, "register entries closed within their deadline among those closed or overdue")
	case "register.resolution":
		r := t.Register
		f.Counts = append(f.Counts, Count{"closed", r.Closed}, Count{"entries", r.Entries})
		rate(r.Closed, r.Entries, "register entries verified and closed")
	case "measures.verified_on_time", "measures.verified", "measures.overdue":
		measureFigure(&f, x, t.Measures, rate)
	default:
		var met, n int64
		for _, k := range sortedDutyKeys(t.Duties) {
			if !slices.Contains(x.Rules, k.Rule) {
				continue
			}
			c := t.Duties[k]
			o := DutyFigure{Profile: k.Profile, Rule: k.Rule, Met: c.Met, Late: c.Late, Overdue: c.Overdue}
			if m := c.Met + c.Late + c.Overdue; m > 0 {
				if r, err := ssra.NewRate(c.Met, m); err == nil {
					o.Rate = &r
				}
			}
			f.Duties = append(f.Duties, o)
			met, n = met+c.Met, n+c.Met+c.Late+c.Overdue
		}
		var late, overdue int64
		for _, o := range f.Duties {
			late, overdue = late+o.Late, overdue+o.Overdue
		}
		f.Counts = append(f.Counts, Count{"met", met}, Count{"late", late}, Count{"overdue", overdue})
		rate(met, n, "duties of rule(s) "+fmt.Sprint(x.Rules)+" met on time")
	}
	return f
}

func sortedDutyKeys(m map[DutyKey]DutyCount) []DutyKey {
	keys := make([]DutyKey, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Profile != keys[j].Profile {
			return keys[i].Profile < keys[j].Profile
		}
		return keys[i].Rule < keys[j].Rule
	})
	return keys
}

// daysFigure fills the mean and the nearest-rank 90th percentile from the
// histogram of handling days.
func daysFigure(f *Figure, days map[int]int64) {
	ds := make([]int, 0, len(days))
	var n, sum int64
	for d, c := range days {
		if c > 0 {
			ds = append(ds, d)
			n += c
			sum += int64(d) * c
		}
	}
	sort.Ints(ds)
	f.Numerator, f.Denominator = sum, n
	f.Counts = append(f.Counts, Count{"handled", n}, Count{"working_days", sum})
	if n == 0 {
		f.Steps = append(f.Steps, "no handled case")
		return
	}
	mean := decimal.NewFromInt(sum).DivRound(decimal.NewFromInt(n), MeanScale)
	rank := (9*n + 9) / 10 // ⌈0.9 n⌉
	var seen int64
	var p90 int64
	for _, d := range ds {
		seen += days[d]
		if seen >= rank {
			p90 = int64(d)
			break
		}
	}
	f.Mean, f.P90 = &mean, &p90
	f.Steps = append(f.Steps,
		fmt.Sprintf("%d handled case(s), %d working day(s) in all: mean %d/%d = %s (rounded half-up to %d places)", n, sum, sum, n, mean, MeanScale),
		fmt.Sprintf("90th percentile: the %d-th smallest of %d (nearest rank ⌈0.9 n⌉) = %d working day(s)", rank, n, p90))
}

// CaseFilter selects the cases an indicator is computed over. Empty fields
// do not filter. Organs are the handling organisations; From and To bound
// the registration date to [From, To); Channels and MatterTypes are names
// (a complaint channel or a mediation channel; a complaint matter type,
// which leaves disputes out); Kind keeps one kind of case.
type CaseFilter struct {
	Organs      []string  `json:"organs,omitempty"`
	From        ssra.Date `json:"from,omitzero"`
	To          ssra.Date `json:"to,omitzero"`
	Channels    []string  `json:"channels,omitempty"`
	MatterTypes []string  `json:"matter_types,omitempty"`
	Kind        CaseKind  `json:"kind,omitzero"`
}

// Match reports whether the filter keeps the case.
func (q CaseFilter) Match(f CaseFacts) bool {
	switch {
	case len(q.Organs) > 0 && !slices.Contains(q.Organs, f.Organ),
		!q.From.IsZero() && f.Registered.Before(q.From),
		!q.To.IsZero() && !f.Registered.Before(q.To),
		len(q.Channels) > 0 && !slices.Contains(q.Channels, f.Channel),
		len(q.MatterTypes) > 0 && !slices.Contains(q.MatterTypes, f.MatterType),
		q.Kind != 0 && q.Kind != f.Kind:
		return false
	}
	return true
}

// Grouping says how figures are broken down: by organisation, by month of
// registration, both, or not at all.
type Grouping struct {
	ByOrgan bool `json:"by_organ"`
	ByMonth bool `json:"by_month"`
}

// GroupKey names one group of a breakdown; a member is empty when the
// grouping does not break down by it.
type GroupKey struct {
	Organ string `json:"organ,omitempty"`
	Month string `json:"month,omitempty"`
}

// Key returns the group a case belongs to under the grouping.
func (g Grouping) Key(f CaseFacts) GroupKey {
	var k GroupKey
	if g.ByOrgan {
		k.Organ = f.Organ
	}
	if g.ByMonth {
		k.Month = f.Month()
	}
	return k
}

// Group is the figures of one group.
type Group struct {
	Key     GroupKey `json:"key"`
	Figures []Figure `json:"figures"`
}

// TallyFacts sums the facts the filter keeps by group at now (the civil date
// of now in its location is the measuring date).
func TallyFacts(facts []CaseFacts, q CaseFilter, g Grouping, now time.Time) map[GroupKey]Tally {
	today := ssra.DateOf(now)
	out := map[GroupKey]Tally{}
	for _, f := range facts {
		if !q.Match(f) {
			continue
		}
		k := g.Key(f)
		t, ok := out[k]
		if !ok {
			t = NewTally()
		}
		t.Add(f, today)
		out[k] = t
	}
	return out
}

// GroupFigures turns tallies of cases by group into the figures of the
// indicators counted over cases (IndicatorOverCases), groups in order of
// organisation then month. The register's and the tracked measures'
// indicators are not among them: a tally of cases does not count their
// rounds, entries or measures, and an empty figure of theirs (a count of 0
// that counted nothing) would mislead.
func GroupFigures(ts map[GroupKey]Tally) []Group {
	keys := make([]GroupKey, 0, len(ts))
	for k := range ts {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Organ != keys[j].Organ {
			return keys[i].Organ < keys[j].Organ
		}
		return keys[i].Month < keys[j].Month
	})
	out := make([]Group, 0, len(keys))
	for _, k := range keys {
		out = append(out, Group{Key: k, Figures: slices.DeleteFunc(Figures(ts[k]), func(f Figure) bool { return !IndicatorOverCases(f.Indicator) })})
	}
	return out
}

// MeasureCases computes every indicator over complaints and disputes in
// memory, filtered and grouped, at now: the reference a store's own
// computation is held to.
func MeasureCases(complaints []*Complaint, disputes []*Dispute, q CaseFilter, g Grouping, now time.Time) []Group {
	facts := make([]CaseFacts, 0, len(complaints)+len(disputes))
	for _, c := range complaints {
		facts = append(facts, c.Facts())
	}
	for _, d := range disputes {
		facts = append(facts, d.Facts())
	}
	return GroupFigures(TallyFacts(facts, q, g, now))
}
