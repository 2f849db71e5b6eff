package plan

import (
	"errors"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
)

// Terms is the snapshot a subscription keeps of what it was sold: the
// currency, the catalog's treatment groups and the plan, validated and
// indexed for quoting. Terms never change once built; every subscription
// sold on the same plan can share one. Build them with [Catalog.Terms] or
// [NewTerms].
//
// The zero Terms is not valid; IsZero reports it.
type Terms struct {
	currency Currency
	plan     Plan
	groups   []Group
	items    map[string]ItemRef
	groupAt  map[string]int
	ruleAt   map[string]int
	ruleIDs  []string
	// ruleGroup is each rule's group index; order lists, per group, its
	// rules by (view order, position in the plan).
	ruleGroup []int
	order     [][]int
	// value is each rule's discount in millionths (of a percent, or of
	// the currency), worked out once so that quoting never reads the
	// rule's decimal.
	value []int64
}

// ItemRef is how an item code is covered: the index of its group in the
// terms and the allowance units one of it counts as. Code is the terms' own
// copy of the item code, which callers storing many lines can share.
type ItemRef struct {
	Code  string
	Group int
	Units int64
}

// Terms validates the catalog's groups and the plan with the given id and
// returns the snapshot a subscription to that plan keeps.
func (c *Catalog) Terms(planID string) (*Terms, error) {
	p, ok := c.Plan(planID)
	if !ok {
		return nil, &ValidationError{Path: "plan", Value: planID, Reason: "is not a plan in the catalog; want one of " + list(planIDs(c.Plans))}
	}
	return NewTerms(c.Currency, c.Groups, *p)
}

func planIDs(ps []Plan) map[string]int {
	m := make(map[string]int, len(ps))
	for i, p := range ps {
		m[p.ID] = i
	}
	return m
}

// NewTerms validates the groups and the plan and builds the snapshot. It
// copies everything it keeps, so later changes to the arguments do not
// reach it. A renewal's next plan is not checked here (the catalog's
// Validate does that).
func NewTerms(cur Currency, groups []Group, p Plan) (*Terms, error) {
	var e errs
	if cur.IsZero() {
		e.add("currency", "", "is missing; want an ISO 4217 code such as GBP")
	}
	validateGroups(&e, groups)
	p.validate(&e, "plan", groupIndex(groups))
	if err := e.err(); err != nil {
		return nil, err
	}
	t := &Terms{
		currency:  cur,
		plan:      p.clone(),
		groups:    cloneGroups(groups),
		items:     map[string]ItemRef{},
		groupAt:   groupIndex(groups),
		ruleAt:    make(map[string]int, len(p.Rules)),
		ruleIDs:   make([]string, len(p.Rules)),
		ruleGroup: make([]int, len(p.Rules)),
		order:     make([][]int, len(groups)),
		value:     make([]int64, len(p.Rules)),
	}
	for gi, g := range t.groups {
		for _, it := range g.Items {
			t.items[it.Code] = ItemRef{Code: it.Code, Group: gi, Units: int64(it.UnitsOrDefault())}
		}
	}
	for i := range t.plan.Rules {
		r := &t.plan.Rules[i]
		r.ID = ruleID(r, i)
		t.ruleIDs[i] = r.ID
		t.ruleAt[r.ID] = i
		g := t.groupAt[r.Group]
		t.ruleGroup[i] = g
		t.order[g] = append(t.order[g], i)
		if pc, ok := r.Discount.Percent(); ok {
			t.value[i] = mustMicro(pc)
		} else if a, ok := r.Discount.Amount(); ok {
			t.value[i] = mustMicro(a)
		}
	}
	for _, o := range t.order {
		sort.SliceStable(o, func(a, b int) bool {
			return t.plan.Rules[o[a]].ViewOrder < t.plan.Rules[o[b]].ViewOrder
		})
	}
	return t, nil
}

// ErrZeroTerms is returned when a subscription's Terms were not built with
// Catalog.Terms, NewTerms or JSON decoding.
var ErrZeroTerms = errors.New("subscription terms are missing; build them with Catalog.Terms or NewTerms")

// IsZero reports whether t is the zero Terms, which is not valid.
func (t *Terms) IsZero() bool { return t == nil || t.items == nil }

// Currency is the currency amounts are in.
func (t *Terms) Currency() Currency { return t.currency }

// Rounding is the plan's rounding rule.
func (t *Terms) Rounding() Rounding { return t.plan.Rounding }

// Plan returns a copy of the plan as sold, with every rule's ID filled in.
func (t *Terms) Plan() Plan { return t.plan.clone() }

// PlanID is the id of the plan as sold.
func (t *Terms) PlanID() string { return t.plan.ID }

// Groups returns a copy of the catalog's groups as they were at the sale.
func (t *Terms) Groups() []Group { return cloneGroups(t.groups) }

// Group returns the id, name and core flag of the group at index i (its
// Items are left out).
func (t *Terms) Group(i int) Group {
	g := t.groups[i]
	g.Items = nil
	return g
}

// GroupIndex returns the index of the group with the given id.
func (t *Terms) GroupIndex(id string) (int, bool) {
	i, ok := t.groupAt[id]
	return i, ok
}

// Item returns how an item code is covered; false when it is in no group.
func (t *Terms) Item(code string) (ItemRef, bool) {
	r, ok := t.items[code]
	return r, ok
}

// NumRules is the number of rules in the plan.
func (t *Terms) NumRules() int { return len(t.plan.Rules) }

// Rule returns the rule at position i in the plan.
func (t *Terms) Rule(i int) Rule { return t.plan.Rules[i] }

// RuleIDs returns the rules' ids in plan order. The slice is shared: do not
// modify it.
func (t *Terms) RuleIDs() []string { return t.ruleIDs }

// RuleIndex returns the position of the rule with the given id.
func (t *Terms) RuleIndex(id string) (int, bool) {
	i, ok := t.ruleAt[id]
	return i, ok
}

// RuleValue is rule i's discount in millionths: of a percent when percent
// is true (100% is 100000000), else of the currency per allowance unit.
func (t *Terms) RuleValue(i int) (millionths int64, percent bool) {
	return t.value[i], t.plan.Rules[i].Discount.kind == percentOff
}

// mustMicro converts a validated percentage or amount (at most six places,
// below 10^12) to millionths.
func mustMicro(d decimal.Decimal) int64 {
	m, ok := num.ToMicro(d)
	if !ok {
		panic("plan: a validated discount does not fit in millionths: " + d.String())
	}
	return m
}

// RuleGroup is the index of rule i's group.
func (t *Terms) RuleGroup(i int) int { return t.ruleGroup[i] }

// Precedence lists the positions of group g's rules in the order they are
// used: lowest view order first, then plan order. The slice is shared: do
// not modify it.
func (t *Terms) Precedence(g int) []int { return t.order[g] }
