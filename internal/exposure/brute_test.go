package exposure

import (
	"encoding/binary"
	"math/big"
	"slices"
	"sort"
	"testing"

	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/internal/designgen"
	"github.com/vetplan/healthplan/plan"
)

// The brute force knows nothing of streams, segments, residues or
// antichains: it follows every day of the term, tries every line (item and
// quantity) on every covered day from every state of the allowances, and
// every outcome of every installment, pricing lines with big.Rat by a
// plain reading of the pricing rules.

type bfRule struct {
	group      string
	start, end int
	view, pos  int
	allowed    int64
	unlimited  bool
	zero       bool // unlimited with no value on any priced item
	disc       plan.Discount
}

type bfItem struct {
	code  string
	group string
	price *big.Rat
	units int64
}

type brute struct {
	places   int
	halfEven bool
	lastDay  int
	rules    []bfRule
	items    []bfItem
	due      []int
	amt      []*big.Rat
	fails    int
	days     bool
	after    int
}

func ratOf(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

func newBrute(tb fataler, in Input) *brute {
	t := in.Terms
	p := t.Plan()
	b := &brute{places: int(t.Currency().MinorUnits()), halfEven: t.Rounding() == plan.HalfEven,
		fails: p.SuspendAfterFailures, days: p.Dunning.SuspendAfter.Set, after: p.Dunning.SuspendAfter.Days}
	b.lastDay = in.Start.AddMonths(p.TermMonths).AddDays(-1).Sub(in.Start) + p.GraceDays
	core := map[string]bool{}
	for _, g := range t.Groups() {
		if !g.Core {
			continue
		}
		core[g.ID] = true
		for _, it := range g.Items {
			if pr, ok := in.Prices[it.Code]; ok {
				b.items = append(b.items, bfItem{code: it.Code, group: g.ID, price: ratOf(pr.String()), units: int64(it.UnitsOrDefault())})
			}
		}
	}
	for pos, r := range p.Rules {
		if !core[r.Group] {
			continue
		}
		br := bfRule{group: r.Group, start: r.StartDay, end: r.EndDay, view: r.ViewOrder, pos: pos, disc: r.Discount,
			unlimited: r.Allowed.IsUnlimited(), allowed: r.Allowed.Units()}
		if br.unlimited {
			br.allowed = in.UnitsCap
			br.zero = true
			for i := range b.items {
				if b.items[i].group == r.Group && b.unitValue(&br, i).Sign() > 0 {
					br.zero = false
				}
			}
		}
		b.rules = append(b.rules, br)
	}
	sub, err := t.Subscribe(plan.Enrollment{ID: "B", Start: in.Start, Payment: in.Payment, Interval: in.Interval, MultiPet: in.MultiPet})
	if err != nil {
		tb.Fatal(err)
	}
	s, err := billing.ScheduleFor(sub)
	if err != nil {
		tb.Fatal(err)
	}
	for _, inst := range s.Installments {
		b.due = append(b.due, inst.Due.Sub(in.Start))
		b.amt = append(b.amt, ratOf(inst.Amount.String()))
	}
	return b
}

// unitValue is one allowance unit of item i under rule r, in currency.
func (b *brute) unitValue(r *bfRule, i int) *big.Rat {
	it := b.items[i]
	per := new(big.Rat).Quo(it.price, new(big.Rat).SetInt64(it.units))
	if pc, ok := r.disc.Percent(); ok {
		return per.Mul(per, new(big.Rat).Quo(ratOf(pc.String()), big.NewRat(100, 1)))
	}
	a, _ := r.disc.Amount()
	if ar := ratOf(a.String()); ar.Cmp(per) < 0 {
		return ar
	}
	return per
}

// round rounds x currency to minor units.
func (b *brute) round(x *big.Rat) int64 {
	y := new(big.Rat).Mul(x, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(b.places)), nil)))
	q, r := new(big.Int).QuoRem(y.Num(), y.Denom(), new(big.Int))
	r.Lsh(r, 1)
	if c := r.Cmp(y.Denom()); c > 0 || c == 0 && (!b.halfEven || q.Bit(0) == 1) {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

// line prices a line of qty of item i on day, greedily through the
// eligible rules, as the engine does; ok is false when the line would take
// a capped unlimited rule past its cap, or takes nothing.
func (b *brute) line(day int, rem []int64, i int, qty int64) (int64, []int64, bool) {
	it := b.items[i]
	var el []int
	for k, r := range b.rules {
		if r.group == it.group && r.start <= day && day <= r.end && (r.unlimited || rem[k] > 0) {
			el = append(el, k)
		}
	}
	sort.SliceStable(el, func(x, y int) bool { return b.rules[el[x]].view < b.rules[el[y]].view })
	left := qty * it.units
	out := slices.Clone(rem)
	sum := new(big.Rat)
	took := false
	for _, k := range el {
		r := &b.rules[k]
		take := left
		if !r.unlimited {
			take = min(rem[k], left)
		} else if !r.zero && take > rem[k] {
			return 0, nil, false
		}
		if !r.zero {
			out[k] -= take
			took = took || take > 0
		}
		sum.Add(sum, new(big.Rat).Mul(new(big.Rat).SetInt64(take), b.unitValue(r, i)))
		left -= take
		if left == 0 {
			break
		}
	}
	return b.round(sum), out, took
}

func bkey(rem []int64) string {
	var buf []byte
	for _, r := range rem {
		buf = binary.AppendVarint(buf, r)
	}
	return string(buf)
}

// values is the most core value by the end of each day, for a client
// covered on the days cov says.
func (b *brute) values(cov []bool) []int64 {
	type st struct {
		rem []int64
		val int64
	}
	full := make([]int64, len(b.rules))
	for k, r := range b.rules {
		full[k] = r.allowed
	}
	states := map[string]*st{bkey(full): {rem: full}}
	out := make([]int64, b.lastDay+1)
	last := ""
	for day := 0; day <= b.lastDay; day++ {
		// Lines depend on the day only through the rules in their windows:
		// a day like the last one closed offers nothing new.
		var sig []byte
		for _, r := range b.rules {
			sig = append(sig, byte(boolInt(r.start <= day && day <= r.end)))
		}
		if cov[day] && string(sig) != last {
			last = string(sig)
			work := sortedKeys(states)
			for len(work) > 0 {
				k := work[0]
				work = work[1:]
				s := states[k]
				for i, it := range b.items {
					var most int64
					for r, rr := range b.rules {
						if rr.group == it.group && !rr.zero {
							most += s.rem[r]
						}
					}
					for q := int64(1); q <= (most+it.units-1)/it.units; q++ {
						d, rem, ok := b.line(day, s.rem, i, q)
						if !ok {
							continue
						}
						nk := bkey(rem)
						if o, seen := states[nk]; !seen || o.val < s.val+d {
							states[nk] = &st{rem: rem, val: s.val + d}
							work = append(work, nk)
						}
					}
				}
			}
		}
		for _, s := range states {
			out[day] = max(out[day], s.val)
		}
	}
	return out
}

// cover is the days a client with these outcomes is covered on: the
// failure count as the engine's billing works it out from payments in
// date order, and the days-past-due rule read literally: the oldest
// installment due and not covered by the taken payments suspends every day
// more than suspendAfterDays after its due date.
func (b *brute) cover(taken []bool) ([]bool, []*big.Rat) {
	cov := make([]bool, b.lastDay+1)
	paidBy := make([]*big.Rat, b.lastDay+1)
	type period struct{ from, to int }
	var periods []period
	failures, suspended, from := 0, false, 0
	paid, due := new(big.Rat), new(big.Rat)
	for k := range b.due {
		due.Add(due, b.amt[k])
		if !taken[k] {
			failures++
			if b.fails > 0 && failures >= b.fails && !suspended {
				suspended, from = true, b.due[k]
			}
			continue
		}
		paid.Add(paid, b.amt[k])
		failures = 0
		if suspended && due.Cmp(paid) <= 0 {
			suspended = false
			periods = append(periods, period{from, b.due[k]})
		}
	}
	if suspended {
		periods = append(periods, period{from, b.lastDay + 1})
	}
	for day := 0; day <= b.lastDay; day++ {
		p := new(big.Rat)
		for k, d := range b.due {
			if d <= day && taken[k] {
				p.Add(p, b.amt[k])
			}
		}
		paidBy[day] = p
		ok := true
		for _, pr := range periods {
			if pr.from <= day && day < pr.to {
				ok = false
			}
		}
		if b.days {
			cum := new(big.Rat)
			for k, d := range b.due {
				if d > day {
					break
				}
				cum.Add(cum, b.amt[k])
				if p.Cmp(cum) < 0 {
					if day-d > b.after {
						ok = false
					}
					break
				}
			}
		}
		cov[day] = ok
	}
	return cov, paidBy
}

// curves is the worst curve and the paying curve, day by day.
func (b *brute) curves() (worst, paying []int64) {
	m := len(b.due)
	worst = make([]int64, b.lastDay+1)
	for i := range worst {
		worst[i] = neg
	}
	for mask := 0; mask < 1<<m; mask++ {
		taken := make([]bool, m)
		for k := range taken {
			taken[k] = mask&(1<<k) != 0
		}
		cov, paidBy := b.cover(taken)
		v := b.values(cov)
		var vp []int64
		for day := range worst {
			x := v[day] - b.round(paidBy[day])
			worst[day] = max(worst[day], x)
			vp = append(vp, x)
		}
		if mask == 1<<m-1 {
			paying = vp
		}
	}
	return worst, paying
}

func checkBrute(t *rapid.T, sp spec) {
	in := sp.in
	rep, err := Analyse(in)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Unbounded) > 0 {
		t.Fatalf("unbounded with a units cap: %v", rep.Unbounded)
	}
	b := newBrute(t, in)
	worst, paying := b.curves()
	for day := range worst {
		want := in.amount(&model{places: int32(b.places)}, worst[day])
		if got := at(rep.Curve, day); !got.Equal(want) {
			t.Fatalf("day %d: exposure %s, brute force %s\ncurve %v\n%s\n%+v", day, got, want, rep.Curve, sp.terms, in)
		}
		want = in.amount(&model{places: int32(b.places)}, paying[day])
		if got := at(rep.Paying.Curve, day); !got.Equal(want) {
			t.Fatalf("day %d: paying %s, brute force %s\ncurve %v\n%s\n%+v", day, got, want, rep.Paying.Curve, sp.terms, in)
		}
	}
}

func TestBruteForce(t *testing.T) {
	t.Run("groups", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) { checkBrute(t, genSpec(t, designgen.Tiny())) })
	})
	// One group, many overlapping rules: long streams, several rules
	// partly used at once, lines across rules.
	t.Run("crowded", func(t *testing.T) {
		rapid.Check(t, func(t *rapid.T) { checkBrute(t, genSpec(t, designgen.Crowded())) })
	})
}
