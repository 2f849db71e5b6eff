package exposure

import (
	"fmt"
	"math/big"
	"slices"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/plan"
)

// model is what the analysis needs of the terms and the price list: the
// core groups that can give a discount, their rules clipped to the days
// the subscription covers, and the exact value of one allowance unit of
// each priced item under each rule.
type model struct {
	places   int32
	halfEven bool
	// lastDay is the last day offset with cover: the term's last day plus
	// the grace days.
	lastDay int
	groups  []*group
	// unbounded lists the unlimited core rules that make the exposure
	// unbounded (no units cap was given), by position in the plan.
	unbounded []int
	ruleIDs   []string // every rule's id, by position in the plan
}

// group is a core treatment group with priced items and rules.
type group struct {
	id    string
	items []item
	rules []rule // in plan order
	segs  []segment
	trie  *node // memoised usage, see group.go
}

// item is a priced item of a group.
type item struct {
	code  string
	price decimal.Decimal
	units int64
	// den is the denominator of every per-unit value of this item, reduced
	// as far as all the group's rules allow; it is below 2^62.
	den uint64
}

// rule is a rule of a group as the analysis sees it.
type rule struct {
	id   string
	pos  int // position in the plan
	view int
	// start and end are the window clipped to 0..lastDay; start > end
	// means the rule never applies.
	start, end int
	// allowed is the allowance; for an unlimited rule it is the units cap.
	allowed int64
	// capped: an unlimited rule with a units cap. The engine never
	// exhausts it, so a line that reaches it never passes it: it ends the
	// stream of rules a line can use, and may not overflow.
	capped bool
	// openEnd: an unlimited rule with no value on any priced item. It ends
	// the stream too, but a line may run on into it (for nothing).
	openEnd bool
	// per is the value of one allowance unit of each of the group's items
	// (same index as group.items), n / den minor units, written as
	// whole = n div den and twoRem = 2 (n mod den).
	per []perUnit
}

type perUnit struct {
	whole  int64
	twoRem uint64
}

func (p perUnit) positive() bool { return p.whole > 0 || p.twoRem > 0 }

// segment is a span of days [from, to) on which the same rules of a group
// are in their windows; rules lists them in the order a line uses them
// (view order, then position in the plan), as indices into group.rules.
type segment struct {
	from, to int
	rules    []int
	// lo, hi are the timeline's elementary intervals the segment spans.
	lo, hi int
}

const maxDen = 1 << 62

// scaled returns d × 10^places as an integer, false when that is not a
// whole number.
func scaled(d decimal.Decimal, places int32) (*big.Int, bool) {
	c := new(big.Int).Set(d.Coefficient())
	e := d.Exponent() + places
	if e >= 0 {
		return c.Mul(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(e)), nil)), true
	}
	q, r := new(big.Int).QuoRem(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-e)), nil), new(big.Int))
	return q, r.Sign() == 0
}

// buildModel reads the plan's core rules (with their start days as given
// in rules, which a delay search moves) and the prices.
func buildModel(t *plan.Terms, p *plan.Plan, rules []plan.Rule, start plan.Date, prices map[string]decimal.Decimal, unitsCap int64) (*model, error) {
	m := &model{places: t.Currency().MinorUnits(), halfEven: t.Rounding() == plan.HalfEven}
	m.lastDay = start.AddMonths(p.TermMonths).AddDays(p.GraceDays - 1).Sub(start)

	groups := t.Groups()
	byID := map[string]*group{}
	var order []*group
	for _, g := range groups {
		if !g.Core {
			continue
		}
		gr := &group{id: g.ID}
		for _, it := range g.Items {
			price, ok := prices[it.Code]
			if !ok {
				continue
			}
			u := int64(it.Units)
			if u == 0 {
				u = 1
			}
			gr.items = append(gr.items, item{code: it.Code, price: price, units: u})
		}
		if len(gr.items) > 0 {
			byID[g.ID] = gr
			order = append(order, gr)
		}
	}
	for pos, r := range rules {
		gr, ok := byID[r.Group]
		if !ok {
			continue
		}
		rr := rule{id: r.ID, pos: pos, view: r.ViewOrder, start: r.StartDay, end: min(r.EndDay, m.lastDay)}
		if r.Allowed.IsUnlimited() {
			rr.allowed, rr.capped = unitsCap, true
		} else {
			rr.allowed = r.Allowed.Units()
		}
		gr.rules = append(gr.rules, rr)
	}
	ruleDisc := map[*group][]plan.Discount{}
	for _, r := range rules {
		if gr, ok := byID[r.Group]; ok {
			ruleDisc[gr] = append(ruleDisc[gr], r.Discount)
		}
	}
	for _, gr := range order {
		if len(gr.rules) == 0 {
			continue
		}
		if err := m.values(gr, ruleDisc[gr]); err != nil {
			return nil, err
		}
		gr.segments()
		m.unlimited(gr, unitsCap)
		if len(gr.segs) > 0 {
			m.groups = append(m.groups, gr)
		}
	}
	slices.Sort(m.unbounded)
	for _, r := range rules {
		m.ruleIDs = append(m.ruleIDs, r.ID)
	}
	if len(m.unbounded) == 0 {
		if err := m.checkBound(); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// checkBound makes sure no sum the analysis forms can overflow: the most
// any client could be given, every allowance unit at its best item's value
// plus a minor unit of rounding, stays below 2^61 minor units.
func (m *model) checkBound() error {
	total := new(big.Int)
	for _, gr := range m.groups {
		for _, r := range gr.rules {
			best := int64(0)
			for _, p := range r.per {
				best = max(best, p.whole)
			}
			x := new(big.Int).SetInt64(best + 2)
			total.Add(total, x.Mul(x, big.NewInt(r.allowed)))
		}
	}
	if total.BitLen() > 61 {
		return fmt.Errorf("%w: the core allowances are worth up to %s minor units, beyond the 2^61 the analysis counts in", ErrTooLarge, total)
	}
	return nil
}

// values works out the exact value of one allowance unit of each item
// under each rule, as the engine prices a split: a percentage takes
// price/units × percent/100, an amount min(amount, price/units). In minor
// units, with p the price and a the amount in millionths, m the percentage
// in millionths and k the currency's places, that is
//
//	p·m / (u·10^(14−k))   or   min(a·u, p)·10^8 / (u·10^(14−k)),
//
// the engine's own numerators over its denominator, per whole unit. A
// line's discount is round(Σ units × value) over its splits, all of one
// item, so a common factor of an item's numerators and denominator can go.
func (m *model) values(gr *group, discs []plan.Discount) error {
	ten := big.NewInt(10)
	baseDen := new(big.Int).Exp(ten, big.NewInt(int64(14-m.places)), nil)
	e8 := new(big.Int).Exp(ten, big.NewInt(8), nil)
	for r := range gr.rules {
		gr.rules[r].per = make([]perUnit, len(gr.items))
	}
	for i := range gr.items {
		it := &gr.items[i]
		p, _ := scaled(it.price, 6) // validated: six places at most
		u := big.NewInt(it.units)
		den := new(big.Int).Mul(u, baseDen)
		nums := make([]*big.Int, len(gr.rules))
		g := new(big.Int).Set(den)
		for r := range gr.rules {
			n := new(big.Int)
			if pc, ok := discs[r].Percent(); ok {
				mm, _ := scaled(pc, 6)
				n.Mul(p, mm)
			} else if a, ok := discs[r].Amount(); ok {
				aa, _ := scaled(a, 6)
				aa.Mul(aa, u)
				if aa.Cmp(p) > 0 {
					aa.Set(p)
				}
				n.Mul(aa, e8)
			}
			nums[r] = n
			g.GCD(nil, nil, g, n)
		}
		den.Quo(den, g)
		if !den.IsUint64() || den.Uint64() >= maxDen {
			return fmt.Errorf("%w: item %q: the value of one unit has a denominator of %s, beyond the 2^62 the analysis counts in", ErrTooLarge, it.code, den)
		}
		it.den = den.Uint64()
		for r := range gr.rules {
			q, rem := new(big.Int).QuoRem(nums[r].Quo(nums[r], g), den, new(big.Int))
			if !q.IsInt64() {
				return fmt.Errorf("%w: item %q: the value of one unit is beyond 2^63 minor units", ErrTooLarge, it.code)
			}
			gr.rules[r].per[i] = perUnit{whole: q.Int64(), twoRem: 2 * rem.Uint64()}
		}
	}
	return nil
}

// segments splits the days the group's rules cover into spans with the
// same rules in their windows.
func (gr *group) segments() {
	var cuts []int
	for _, r := range gr.rules {
		if r.start <= r.end {
			cuts = append(cuts, r.start, r.end+1)
		}
	}
	slices.Sort(cuts)
	cuts = slices.Compact(cuts)
	for k := 0; k+1 < len(cuts); k++ {
		from, to := cuts[k], cuts[k+1]
		var in []int
		for i, r := range gr.rules {
			if r.start <= from && from <= r.end {
				in = append(in, i)
			}
		}
		if len(in) == 0 {
			continue
		}
		sort.SliceStable(in, func(a, b int) bool { return gr.rules[in[a]].view < gr.rules[in[b]].view })
		gr.segs = append(gr.segs, segment{from: from, to: to, rules: in})
	}
}

// unlimited classifies the group's unlimited rules. One with no value on
// any priced item ends a line's stream without giving anything (openEnd).
// Otherwise, without a units cap, one that a line can reach (no unlimited
// rule comes before it on some day of its window) makes the exposure
// unbounded; with a cap it is a capped block.
func (m *model) unlimited(gr *group, unitsCap int64) {
	for i := range gr.rules {
		r := &gr.rules[i]
		if !r.capped {
			continue
		}
		if !slices.ContainsFunc(r.per, perUnit.positive) {
			r.capped, r.openEnd, r.allowed = false, true, 0
		}
	}
	if unitsCap > 0 {
		return
	}
	reach := map[int]bool{}
	for _, s := range gr.segs {
		for _, ri := range s.rules {
			r := &gr.rules[ri]
			if r.capped {
				reach[ri] = true
			}
			if r.capped || r.openEnd {
				break
			}
		}
	}
	for i := range gr.rules {
		if reach[i] {
			m.unbounded = append(m.unbounded, gr.rules[i].pos)
		}
	}
}
