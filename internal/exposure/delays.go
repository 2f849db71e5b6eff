package exposure

import (
	"github.com/vetplan/healthplan/plan"
)

// delays answers the cap: see Delays and the package documentation.
func (in *Input) delays(rules []plan.Rule, peak0 int64, b *budget) (*Delays, error) {
	places := in.Terms.Currency().MinorUnits()
	out := &Delays{Cap: in.Cap.Decimal}
	capD := in.Cap.Decimal.Shift(places).Floor()
	if !capD.BigInt().IsInt64() || capD.IntPart() >= peak0 {
		out.Within = true
		return out, nil
	}
	limit := capD.IntPart()

	core := map[string]bool{}
	for _, g := range in.Terms.Groups() {
		core[g.ID] = g.Core
	}
	m0, _, err := in.prepare(rules)
	if err != nil {
		return nil, err
	}
	// The rules a delay can matter for, and the start day from which each
	// never applies.
	var movable []int
	never := map[int]int{}
	for pos, r := range rules {
		last := min(r.EndDay, m0.lastDay)
		if core[r.Group] && r.StartDay <= last {
			movable = append(movable, pos)
			never[pos] = last + 1
		}
	}
	starts := map[int]int{}
	peakWith := func(pos, start int) (int64, error) {
		rs := append([]plan.Rule(nil), rules...)
		for q, s := range starts {
			rs[q].StartDay = s
		}
		rs[pos].StartDay = start
		m, tl, err := in.prepare(rs)
		if err != nil {
			return 0, err
		}
		a := &analysis{m: m, tl: tl, b: b, all: tl.rel}
		cv, err := a.curves(false)
		if err != nil {
			return 0, err
		}
		return peak(cv.worst).value, nil
	}
	// smallest bisects rule pos's start day between lo (whose peak exceeds
	// the cap) and hi (whose peak does not).
	smallest := func(pos, lo, hi int) (int, error) {
		for hi-lo > 1 {
			mid := lo + (hi-lo)/2
			v, err := peakWith(pos, mid)
			if err != nil {
				return 0, err
			}
			if v <= limit {
				hi = mid
			} else {
				lo = mid
			}
		}
		return hi, nil
	}
	delay := func(pos, start int) Delay {
		r := rules[pos]
		return Delay{Rule: r.ID, Days: start - r.StartDay, StartDay: start, Never: start >= never[pos]}
	}

	for _, pos := range movable {
		v, err := peakWith(pos, never[pos])
		if err != nil {
			return nil, err
		}
		if v > limit {
			continue
		}
		s, err := smallest(pos, rules[pos].StartDay, never[pos])
		if err != nil {
			return nil, err
		}
		out.Alone = append(out.Alone, delay(pos, s))
	}
	if len(out.Alone) > 0 {
		return out, nil
	}

	// Together: from every movable rule never applying (no core value, so
	// within any cap), bring each back as far as the cap allows, in plan
	// order, until no start can move a day earlier.
	for _, pos := range movable {
		starts[pos] = never[pos]
	}
	for changed := true; changed; {
		changed = false
		for _, pos := range movable {
			cur := starts[pos]
			if cur == rules[pos].StartDay {
				continue
			}
			v, err := peakWith(pos, cur-1)
			if err != nil {
				return nil, err
			}
			if v > limit {
				continue
			}
			s := rules[pos].StartDay
			if v0, err := peakWith(pos, s); err != nil {
				return nil, err
			} else if v0 > limit {
				if s, err = smallest(pos, s, cur-1); err != nil {
					return nil, err
				}
			}
			starts[pos], changed = s, true
		}
	}
	for _, pos := range movable {
		if s := starts[pos]; s != rules[pos].StartDay {
			out.Together = append(out.Together, delay(pos, s))
		}
	}
	v, err := peakWith(movable[0], starts[movable[0]])
	if err != nil {
		return nil, err
	}
	out.Peak = in.amount(m0, v)
	return out, nil
}
