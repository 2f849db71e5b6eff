package plan

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/shopspring/decimal"
)

// Terms is the snapshot a subscription keeps of what it was sold: the
// currency, the catalog's treatment groups and the plan, validated. Terms
// never change once built; every subscription sold on the same plan can
// share one. Build them with [Catalog.Terms], [NewTerms] or by decoding
// their JSON document.
//
// Terms are read by id: [Terms.Item], [Terms.Rule], [Terms.Group], and the
// accessors of the plan's fields. [Terms.Plan] and [Terms.Groups] return
// deep copies, for the rare reader that needs the whole thing.
//
// The zero Terms is not valid; IsZero reports it.
type Terms struct {
	currency Currency
	plan     Plan // every rule's ID filled in
	groups   []Group
	items    map[string]ItemRef
	groupAt  map[string]int
	ruleAt   map[string]int
	digest   string
}

// ItemRef is how an item code is covered: its treatment group and the
// allowance units one of it counts as. Code is the terms' own copy of the
// item code, which callers storing many lines can share.
type ItemRef struct {
	Code  string
	Group string
	Units int64
	// Value is what one item is worth on the value basis, when set.
	Value decimal.NullDecimal
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
		currency: cur,
		plan:     p.clone(),
		groups:   cloneGroups(groups),
		items:    map[string]ItemRef{},
		groupAt:  groupIndex(groups),
		ruleAt:   make(map[string]int, len(p.Rules)),
	}
	for _, g := range t.groups {
		for _, it := range g.Items {
			t.items[it.Code] = ItemRef{Code: it.Code, Group: g.ID, Units: int64(it.UnitsOrDefault()), Value: it.Value}
		}
	}
	for i := range t.plan.Rules {
		r := &t.plan.Rules[i]
		r.ID = ruleID(r, i)
		t.ruleAt[r.ID] = i
	}
	// The terms are not zero, and their document holds only strings,
	// numbers, booleans and arrays and objects of them: it always encodes.
	doc, _ := t.MarshalJSON()
	t.digest = Digest(doc)
	return t, nil
}

// Digest is the content hash of a canonical terms document, written
// "sha256:" and 64 lower-case hex digits. [Terms.Digest] is the digest of
// the terms' own canonical document ([Terms.MarshalJSON]).
func Digest(canonical []byte) string {
	sum := sha256.Sum256(canonical)
	return "sha256:" + hex.EncodeToString(sum[:])
}

// ErrZeroTerms is returned when a subscription's Terms were not built with
// Catalog.Terms, NewTerms or JSON decoding.
var ErrZeroTerms = errors.New("subscription terms are missing; build them with Catalog.Terms or NewTerms")

// IsZero reports whether t is the zero Terms, which is not valid.
func (t *Terms) IsZero() bool { return t == nil || t.items == nil }

// Digest is the content hash of the terms' canonical JSON document, as
// [Digest] computes it: the same terms always give the same digest, and
// any change to the currency, the groups or the plan gives another.
func (t *Terms) Digest() string { return t.digest }

// Currency is the currency amounts are in.
func (t *Terms) Currency() Currency { return t.currency }

// Rounding is the plan's rounding rule.
func (t *Terms) Rounding() Rounding { return t.plan.Rounding }

// Plan returns a deep copy of the plan as sold, with every rule's ID
// filled in.
func (t *Terms) Plan() Plan { return t.plan.clone() }

// PlanID is the id of the plan as sold.
func (t *Terms) PlanID() string { return t.plan.ID }

// TermMonths is the contract length in months.
func (t *Terms) TermMonths() int { return t.plan.TermMonths }

// GraceDays is how many days after the term the subscription still covers
// visits.
func (t *Terms) GraceDays() int { return t.plan.GraceDays }

// MonthlyFee is the fee of each monthly installment.
func (t *Terms) MonthlyFee() decimal.Decimal { return t.plan.MonthlyFee }

// Fee is the fee of each installment of interval i, and false when the
// plan does not price it.
func (t *Terms) Fee(i Interval) (decimal.Decimal, bool) { return t.plan.Fee(i) }

// Intervals lists the installment intervals the plan prices, month first.
func (t *Terms) Intervals() []string {
	var out []string
	for _, i := range []Interval{Month, Quarter, Year, FourWeeks} {
		if _, ok := t.Fee(i); ok {
			out = append(out, i.String())
		}
	}
	return out
}

// Dunning returns a copy of the plan's dunning policy.
func (t *Terms) Dunning() Dunning {
	d := t.plan.Dunning
	d.RetryDays = append([]int(nil), d.RetryDays...)
	return d
}

// AdvancePrice is the price of paying the whole term up front: the plan's
// advancePrice, or termMonths × monthlyFee when it sets none.
func (t *Terms) AdvancePrice() decimal.Decimal {
	if p := t.plan.AdvancePrice; p.Valid {
		return p.Decimal
	}
	return decimal.NewFromInt(int64(t.plan.TermMonths)).Mul(t.plan.MonthlyFee)
}

// JoiningFee is due with the first installment.
func (t *Terms) JoiningFee() decimal.Decimal { return t.plan.JoiningFee }

// MultiPetDiscount comes off each installment of a subscription sold as
// multi-pet; the zero Discount is none.
func (t *Terms) MultiPetDiscount() Discount { return t.plan.MultiPetDiscount }

// Renewal is what happens at the end of the term.
func (t *Terms) Renewal() Renewal { return t.plan.Renewal }

// SuspendAfterFailures is the number of failed payments in a row that
// suspends a subscription; 0 never suspends.
func (t *Terms) SuspendAfterFailures() int { return t.plan.SuspendAfterFailures }

// Settlement returns a copy of the plan's settlement terms.
func (t *Terms) Settlement() Settlement {
	s := t.plan.Settlement
	s.WaiveFor = append([]string(nil), s.WaiveFor...)
	return s
}

// Waives reports whether the plan's settlement waives what is owed for a
// termination for reason.
func (t *Terms) Waives(reason string) bool { return t.plan.Settlement.Waives(reason) }

// Groups returns a deep copy of the catalog's groups as they were at the
// sale.
func (t *Terms) Groups() []Group { return cloneGroups(t.groups) }

// Group returns the id, name and core flag of the group with the given id
// (its Items are left out: read an item with [Terms.Item]).
func (t *Terms) Group(id string) (Group, bool) {
	i, ok := t.groupAt[id]
	if !ok {
		return Group{}, false
	}
	g := t.groups[i]
	g.Items = nil
	return g, true
}

// GroupIDs returns the ids of the catalog's groups, in catalog order.
func (t *Terms) GroupIDs() []string {
	ids := make([]string, len(t.groups))
	for i := range t.groups {
		ids[i] = t.groups[i].ID
	}
	return ids
}

// Item returns how an item code is covered; false when it is in no group.
func (t *Terms) Item(code string) (ItemRef, bool) {
	r, ok := t.items[code]
	return r, ok
}

// Rules returns a copy of the plan's rules, in plan order, with their IDs
// filled in.
func (t *Terms) Rules() []Rule { return append([]Rule(nil), t.plan.Rules...) }

// Rule returns the rule with the given id.
func (t *Terms) Rule(id string) (Rule, bool) {
	i, ok := t.ruleAt[id]
	if !ok {
		return Rule{}, false
	}
	return t.plan.Rules[i], true
}

// RuleIDs returns the rules' ids in plan order.
func (t *Terms) RuleIDs() []string {
	ids := make([]string, len(t.plan.Rules))
	for i := range t.plan.Rules {
		ids[i] = t.plan.Rules[i].ID
	}
	return ids
}
