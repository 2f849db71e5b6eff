package allowance

import (
	"runtime"
	"slices"
	"strings"
	"sync"
	"weak"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/plan"
)

// index is a plan's rules compiled for pricing: what the quote's loop
// reads, by position, without going back to the terms. It is compiled once
// per Terms value (see indexFor) and shared by every ledger of those
// terms: it never changes after compile, and holds nothing of the Terms
// but copies.
type index struct {
	currency string
	places   int32
	halfEven bool
	ids      []string // rule ids, plan order
	ruleAt   map[string]int32
	rules    []ruleInfo
	// order holds every rule's position, grouped by group id and, within
	// a group, in the order its rules are used: lowest view order first,
	// then plan order. groups locates each group's run of it, sorted by
	// id.
	order  []int32
	groups []groupRun
}

type groupRun struct {
	id     string
	lo, hi int32 // order[lo:hi]
}

type ruleInfo struct {
	id         string
	group      string
	core       bool
	start, end int
	limit      plan.Limit
	discount   plan.Discount
	// allowed is the limit in millionths of a unit; unused when unlimited.
	allowed int64
	// value is the discount in millionths: of a percent when percent is
	// set (100% is 100000000), else of the currency per allowance unit.
	value   int64
	percent bool
	view    int
}

// compiled holds each Terms value's index, so that the ledgers loaded at
// every invoice do not compile the same rules again. It is keyed weakly:
// an entry goes when its Terms are no longer reachable.
var compiled sync.Map // weak.Pointer[plan.Terms] -> *index

// indexFor returns t's compiled index, compiling it at its first use.
func indexFor(t *plan.Terms) *index {
	k := weak.Make(t)
	if ix, ok := compiled.Load(k); ok {
		return ix.(*index)
	}
	ix, loaded := compiled.LoadOrStore(k, compile(t))
	if !loaded {
		runtime.AddCleanup(t, func(k weak.Pointer[plan.Terms]) { compiled.Delete(k) }, k)
	}
	return ix.(*index)
}

func compile(t *plan.Terms) *index {
	rules := t.Rules()
	ix := &index{
		currency: t.Currency().Code(),
		places:   t.Currency().MinorUnits(),
		halfEven: t.Rounding() == plan.HalfEven,
		ids:      make([]string, len(rules)),
		rules:    make([]ruleInfo, len(rules)),
		order:    make([]int32, len(rules)),
		ruleAt:   make(map[string]int32, len(rules)),
	}
	for i, r := range rules {
		g, _ := t.Group(r.Group) // validated: the group exists
		info := ruleInfo{id: r.ID, group: r.Group, core: g.Core, start: r.StartDay, end: r.EndDay,
			limit: r.Allowed, discount: r.Discount, allowed: r.Allowed.Units() * micro, view: r.ViewOrder}
		if pc, ok := r.Discount.Percent(); ok {
			info.value, info.percent = mustMicro(pc), true
		} else if a, ok := r.Discount.Amount(); ok {
			info.value = mustMicro(a)
		}
		ix.ids[i] = r.ID
		ix.ruleAt[r.ID] = int32(i)
		ix.rules[i] = info
		ix.order[i] = int32(i)
	}
	slices.SortStableFunc(ix.order, func(a, b int32) int {
		x, y := &ix.rules[a], &ix.rules[b]
		if c := strings.Compare(x.group, y.group); c != 0 {
			return c
		}
		return x.view - y.view
	})
	for i := 0; i < len(ix.order); {
		g := ix.rules[ix.order[i]].group
		j := i + 1
		for j < len(ix.order) && ix.rules[ix.order[j]].group == g {
			j++
		}
		ix.groups = append(ix.groups, groupRun{id: g, lo: int32(i), hi: int32(j)})
		i = j
	}
	return ix
}

// precedence returns the positions of a group's rules in the order they
// are used.
func (ix *index) precedence(group string) []int32 {
	i, found := slices.BinarySearchFunc(ix.groups, group, func(r groupRun, g string) int { return strings.Compare(r.id, g) })
	if !found {
		return nil
	}
	return ix.order[ix.groups[i].lo:ix.groups[i].hi]
}

// mustMicro converts a validated percentage or amount (at most six places,
// below 10^12) to millionths.
func mustMicro(d decimal.Decimal) int64 {
	m, ok := num.ToMicro(d)
	if !ok {
		panic("allowance: a validated discount does not fit in millionths: " + d.String())
	}
	return m
}
