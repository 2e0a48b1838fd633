package appraisal

import (
	"github.com/shopspring/decimal"

	"github.com/ssra-go/ssra"
)

type compiled struct {
	mode        Mode
	budget      int64 // points
	bonusCap    int64
	hasBonusCap bool
	bands       []cband
	vetoBand    int
	items       []citem
	sections    []csection
	index       map[string]int
	// allottedMax is what the allotted items earn at most together (the
	// budget in points and weights mode): the scale an excluded item's
	// rescaling keeps.
	allottedMax int64
}

type cband struct {
	id    string
	label ssra.Label
	min   int64
	dec   decimal.Decimal
}

type csection struct {
	id     string
	path   string
	label  ssra.Label
	cap    int64
	hasCap bool
	items  []int
}

type cstep struct {
	at     int64 // value
	share  int64 // value scale (attainment)
	amount int64 // points (deduction, bonus)
}

type ctier struct {
	min, max       int64 // value
	hasMin, hasMax bool
	below          int64 // value
	amount         int64 // points
}

type clevel struct {
	level  string
	label  ssra.Label
	amount int64
	rank   int // position in the list: lower is higher level
}

type csize struct {
	below    int64
	hasBelow bool
	factor   int64 // value scale
}

type citem struct {
	id       string
	path     string
	label    ssra.Label
	section  int
	kind     RuleKind
	allotted bool
	max      int64 // points the item is scored out of
	max6     int64 // max at 10⁻⁶
	weight   int64 // global weight at 10⁻¹² (weights mode)
	weight6  int64 // global weight at 10⁻⁶, or -1 when it needs more places
	dir      Direction
	curve    Curve
	target   int64
	zeroAt   int64
	span     int64 // |target − zeroAt|
	steps    []cstep
	basis    Basis
	amount   int64
	hasAmt   bool
	tiers    []ctier
	levels   []clevel
	cap      int64
	hasCap   bool
	sizes    []csize
	repeat   int64 // value scale; 0 = none
	special  int64
	trigger  string
	window   int
	binds    []Responsibility
	empty    EmptyPolicy // unset: refuse
}

// mustPoints converts a validated decimal; validation guarantees it fits.
func mustPoints(d decimal.Decimal) int64 {
	v, _ := toPoints(d)
	return v
}

func mustValue(d decimal.Decimal) int64 {
	v, _ := toValue(d)
	return v
}

func (s *Scheme) compile() error {
	d := s.def
	c := &s.c
	c.mode = d.Mode
	c.budget = mustPoints(d.Budget)
	if d.BonusCap != nil {
		c.bonusCap, c.hasBonusCap = mustPoints(*d.BonusCap), true
	}
	c.vetoBand = -1
	for i, b := range d.Bands {
		c.bands = append(c.bands, cband{id: b.ID, label: b.Label, min: mustPoints(b.Min), dec: b.Min})
		if b.ID == d.VetoBand {
			c.vetoBand = i
		}
	}
	c.index = map[string]int{}
	one := decimal.NewFromInt(1)
	var walk func(path string, sec Section, w decimal.Decimal) error
	walk = func(path string, sec Section, w decimal.Decimal) error {
		if sec.Weight != nil {
			w = w.Mul(*sec.Weight)
		}
		si := len(c.sections)
		cs := csection{id: sec.ID, path: path, label: sec.Label}
		if sec.DeductionCap != nil {
			cs.cap, cs.hasCap = mustPoints(*sec.DeductionCap), true
		}
		c.sections = append(c.sections, cs)
		for i, it := range sec.Items {
			ci, err := compileItem(ssra.Index(ssra.JoinPath(path, "items"), i), it, w, c)
			if err != nil {
				return err
			}
			ci.section = si
			c.index[it.ID] = len(c.items)
			c.sections[si].items = append(c.sections[si].items, len(c.items))
			c.items = append(c.items, ci)
		}
		for i, sub := range sec.Sections {
			if err := walk(ssra.Index(ssra.JoinPath(path, "sections"), i), sub, w); err != nil {
				return err
			}
		}
		return nil
	}
	for i, sec := range d.Sections {
		if err := walk(ssra.Index("sections", i), sec, one); err != nil {
			return err
		}
	}
	for i := range c.items {
		if it := &c.items[i]; it.allotted {
			c.allottedMax += weightedMax(c, it)
		}
	}
	return nil
}

func compileItem(path string, it Item, w decimal.Decimal, c *compiled) (citem, error) {
	r := it.Rule
	ci := citem{id: it.ID, path: path, label: it.Label, kind: r.Kind, dir: r.Direction, curve: r.Curve,
		basis: r.Basis, trigger: r.Trigger, window: r.WindowMonths, binds: append([]Responsibility(nil), r.Binds...), weight6: -1,
		empty: it.WhenEmpty}
	switch {
	case it.Points != nil:
		ci.allotted, ci.max = true, mustPoints(*it.Points)
	case it.Weight != nil:
		ci.allotted, ci.max = true, c.budget
		gw := w.Mul(*it.Weight)
		p, ok := toFixed(gw, pointScale, pointOne)
		if !ok {
			var ps ssra.Problems
			ps.Add("weights.too_precise", ssra.JoinPath(path, "weight"), "the product of nested weights %s needs more than 12 decimal places", gw)
			return ci, ps.Err("appraisal.NewScheme")
		}
		ci.weight = p
		if p%valueOne == 0 {
			ci.weight6 = p / valueOne
		}
	}
	if r.Target != nil {
		ci.target = mustValue(*r.Target)
	}
	if r.ZeroAt != nil {
		ci.zeroAt = mustValue(*r.ZeroAt)
		ci.span = ci.target - ci.zeroAt
		if ci.span < 0 {
			ci.span = -ci.span
		}
	}
	for _, st := range r.Steps {
		cs := cstep{at: mustValue(st.At)}
		if st.Share != nil {
			cs.share = mustValue(*st.Share)
		}
		if st.Amount != nil {
			cs.amount = mustPoints(*st.Amount)
		}
		ci.steps = append(ci.steps, cs)
	}
	if r.Amount != nil {
		ci.amount, ci.hasAmt = mustPoints(*r.Amount), true
	}
	for _, t := range r.Tiers {
		ct := ctier{amount: mustPoints(t.Amount)}
		if t.Min != nil {
			ct.min, ct.hasMin = mustValue(*t.Min), true
		}
		if t.Max != nil {
			ct.max, ct.hasMax = mustValue(*t.Max), true
		}
		if t.Below != nil {
			ct.below = mustValue(*t.Below)
		}
		ci.tiers = append(ci.tiers, ct)
	}
	for i, l := range r.Levels {
		ci.levels = append(ci.levels, clevel{level: l.Level, label: l.Label, amount: mustPoints(l.Amount), rank: i})
	}
	if r.Cap != nil {
		ci.cap, ci.hasCap = mustPoints(*r.Cap), true
	}
	for _, b := range r.SizeBands {
		cb := csize{factor: mustValue(b.Factor)}
		if b.Below != nil {
			cb.below, cb.hasBelow = mustValue(*b.Below), true
		}
		ci.sizes = append(ci.sizes, cb)
	}
	if r.RepeatMultiplier != nil {
		ci.repeat = mustValue(*r.RepeatMultiplier)
	}
	if r.SpecialPeriodMultiplier != nil {
		ci.special = mustValue(*r.SpecialPeriodMultiplier)
	}
	ci.max6 = ci.max / valueOne
	return ci, nil
}
