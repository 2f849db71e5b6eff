package plan

import (
	"fmt"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/wire"
)

// Input bounds. Amounts, quantities and percentages have at most
// MaxPlaces decimal places.
const (
	MaxPlaces     = 6
	MaxDayOffset  = 36600 // day offsets: 0..MaxDayOffset
	MaxTermMonths = 120
	MaxItemUnits  = 1_000_000 // allowance units one item counts as
	MaxRules      = 1000      // rules in one plan
	MaxViewOrder  = 1_000_000
	MaxFailures   = 1000 // suspendAfterFailures
)

var (
	amountLimit   = decimal.New(1, 12) // amounts are < 10^12
	quantityLimit = decimal.New(1, 6)  // quantities are <= 10^6
	hundred       = decimal.New(100, 0)
)

// CheckAmount returns a *ValidationError for path unless 0 <= d < 10^12
// with at most six decimal places: the bounds of every price, fee and
// payment.
func CheckAmount(path string, d decimal.Decimal) error {
	return wrapProblem(path, d, checkAmount(d))
}

// CheckQuantity returns a *ValidationError for path unless 0 < d <= 10^6
// with at most six decimal places: the bounds of an invoice line's quantity.
func CheckQuantity(path string, d decimal.Decimal) error {
	return wrapProblem(path, d, checkQuantity(d))
}

// CheckPercent returns a *ValidationError for path unless 0 <= d <= 100
// with at most six decimal places.
func CheckPercent(path string, d decimal.Decimal) error {
	return wrapProblem(path, d, checkPercent(d))
}

func wrapProblem(path string, d decimal.Decimal, reason string) error {
	if reason == "" {
		return nil
	}
	return &ValidationError{Path: path, Value: num.Format(d), Reason: reason}
}

func checkPlaces(d decimal.Decimal) string {
	if num.Places(d) > MaxPlaces {
		return fmt.Sprintf("has more than %d decimal places", MaxPlaces)
	}
	return ""
}

func checkAmount(d decimal.Decimal) string {
	if d.IsNegative() || d.GreaterThanOrEqual(amountLimit) {
		return "is outside 0 <= amount < 1000000000000"
	}
	return checkPlaces(d)
}

func checkQuantity(d decimal.Decimal) string {
	if !d.IsPositive() || d.GreaterThan(quantityLimit) {
		return "is outside 0 < quantity <= 1000000"
	}
	return checkPlaces(d)
}

func checkPercent(d decimal.Decimal) string {
	if d.IsNegative() || d.GreaterThan(hundred) {
		return "is outside 0..100"
	}
	return checkPlaces(d)
}

func (e *errs) amount(path string, d decimal.Decimal) {
	if r := checkAmount(d); r != "" {
		e.add(path, num.Format(d), r)
	}
}

func (e *errs) percent(path string, d decimal.Decimal) {
	if r := checkPercent(d); r != "" {
		e.add(path, num.Format(d), r)
	}
}

func (e *errs) intRange(path string, v, lo, hi int) {
	if v < lo || v > hi {
		e.addf(path, fmt.Sprint(v), "is outside %d..%d", lo, hi)
	}
}

// Validate checks the whole catalog and reports every problem at once,
// each a *ValidationError with its JSON path ("plans[0].rules[2].group").
func (c *Catalog) Validate() error {
	var e errs
	if c.Currency.IsZero() {
		e.add("currency", "", "is missing; want an ISO 4217 code such as GBP")
	}
	validateGroups(&e, c.Groups)
	groups := groupIndex(c.Groups)
	planAt := map[string]int{}
	for i := range c.Plans {
		p := &c.Plans[i]
		prefix := wire.Index("plans", i)
		p.validate(&e, prefix, groups)
		if p.ID == "" {
			continue
		}
		if j, dup := planAt[p.ID]; dup {
			e.addf(prefix+".id", p.ID, "is already the id of plans[%d]; plan ids are unique", j)
		} else {
			planAt[p.ID] = i
		}
	}
	for i := range c.Plans {
		if next := c.Plans[i].Renewal.NextPlan; next != "" {
			if _, ok := planAt[next]; !ok {
				e.addf(wire.Index("plans", i)+".renewal.nextPlan", next, "is not a plan in the catalog; want one of %s", list(planAt))
			}
		}
	}
	return e.err()
}

// Validate checks p against the catalog's groups (not the rest of the
// catalog), reporting every problem with a path relative to the plan
// ("rules[2].discountPercent").
func (p *Plan) Validate(c *Catalog) error {
	var e errs
	p.validate(&e, "", groupIndex(c.Groups))
	return e.err()
}

// groupIndex maps each group id to its position. Ids are unique in the
// groups it is asked about once they are valid; before that only whether
// an id is there matters.
func groupIndex(gs []Group) map[string]int {
	m := make(map[string]int, len(gs))
	for i, g := range gs {
		m[g.ID] = i
	}
	return m
}

func list(m map[string]int) string {
	if len(m) == 0 {
		return "(none defined)"
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	if len(keys) > 12 {
		keys = append(keys[:12], "...")
	}
	return strings.Join(keys, ", ")
}

func validateGroups(e *errs, gs []Group) {
	groupAt := map[string]int{}
	type place struct{ group, item int }
	itemAt := map[string]place{}
	for i, g := range gs {
		prefix := wire.Index("groups", i)
		if g.ID == "" {
			e.add(prefix+".id", "", "is missing; want a non-empty group id")
		} else if j, dup := groupAt[g.ID]; dup {
			e.addf(prefix+".id", g.ID, "is already the id of groups[%d]; group ids are unique", j)
		} else {
			groupAt[g.ID] = i
		}
		for k, it := range g.Items {
			ip := wire.Index(prefix+".items", k)
			if it.Code == "" {
				e.add(ip+".code", "", "is missing; want a non-empty item code")
			} else if at, dup := itemAt[it.Code]; dup {
				e.addf(ip+".code", it.Code, "is already in group %q (groups[%d].items[%d]); an item code belongs to one group at most",
					gs[at.group].ID, at.group, at.item)
			} else {
				itemAt[it.Code] = place{i, k}
			}
			if it.Units != 0 {
				e.intRange(ip+".units", it.Units, 1, MaxItemUnits)
			}
			if it.Value.Valid {
				e.amount(ip+".value", it.Value.Decimal)
			}
		}
	}
}

func (b Band) validate(e *errs, path string) {
	if b.Min.Valid {
		e.amount(path+".min", b.Min.Decimal)
	}
	if b.Max.Valid {
		e.amount(path+".max", b.Max.Decimal)
	}
	if b.Min.Valid && b.Max.Valid && !b.Min.Decimal.LessThan(b.Max.Decimal) {
		e.addf(path+".max", num.Format(b.Max.Decimal), "is not above min %s; the band is min <= x < max", num.Format(b.Min.Decimal))
	}
}

func (p *Plan) validate(e *errs, prefix string, groups map[string]int) {
	at := func(f string) string { return wire.Join(prefix, f) }
	if p.ID == "" {
		e.add(at("id"), "", "is missing; want a non-empty plan id")
	}
	if p.Species == "" {
		e.add(at("species"), "", "is missing; want the species the plan is for, such as dog")
	}
	p.WeightKg.validate(e, at("weightKg"))
	p.AgeMonths.validate(e, at("ageMonths"))
	if !p.AvailableFrom.IsZero() && !p.AvailableTo.IsZero() && p.AvailableTo.Before(p.AvailableFrom) {
		e.addf(at("availableTo"), p.AvailableTo.String(), "is before availableFrom %s", p.AvailableFrom)
	}
	e.intRange(at("termMonths"), p.TermMonths, 1, MaxTermMonths)
	e.amount(at("monthlyFee"), p.MonthlyFee)
	for _, f := range []struct {
		name  string
		fee   decimal.NullDecimal
		every int
	}{{"4weeks", p.Fees.FourWeeks, 0}, {"quarter", p.Fees.Quarter, 3}, {"year", p.Fees.Year, 12}} {
		if !f.fee.Valid {
			continue
		}
		path := at("fees." + f.name)
		e.amount(path, f.fee.Decimal)
		if f.every > 0 && p.TermMonths >= 1 && p.TermMonths%f.every != 0 {
			e.addf(path, num.Format(f.fee.Decimal), "prices a %s installment, but termMonths %d is not a multiple of %d", f.name, p.TermMonths, f.every)
		}
	}
	p.Dunning.validate(e, at("dunning"))
	if p.AdvancePrice.Valid {
		e.amount(at("advancePrice"), p.AdvancePrice.Decimal)
	}
	e.amount(at("joiningFee"), p.JoiningFee)
	if pc, ok := p.MultiPetDiscount.Percent(); ok {
		e.percent(at("multiPetDiscount.percent"), pc)
	} else if a, ok := p.MultiPetDiscount.Amount(); ok {
		e.amount(at("multiPetDiscount.amount"), a)
	}
	e.intRange(at("graceDays"), p.GraceDays, 0, MaxDayOffset)
	if p.Rounding > HalfEven {
		e.add(at("rounding"), p.Rounding.String(), "is not a rounding; want halfUp or halfEven")
	}
	e.intRange(at("suspendAfterFailures"), p.SuspendAfterFailures, 0, MaxFailures)
	s := p.Settlement
	if s.Method > NoDebt {
		e.add(at("settlement.method"), s.Method.String(), "is not a method; want coreValue, remainingPayments, lesserOf or none")
	}
	if s.Basis > ValueBasis {
		e.add(at("settlement.basis"), s.Basis.String(), "is not a basis; want discount, list or value")
	}
	e.amount(at("settlement.cancellationFee"), s.CancellationFee)
	for i, r := range s.WaiveFor {
		if r == "" {
			e.add(wire.Index(at("settlement.waiveFor"), i), "", "is empty; want a termination reason such as deceased")
		}
	}
	e.intRange(at("settlement.coolingOffDays"), s.CoolingOffDays, 0, MaxDayOffset)

	if len(p.Rules) > MaxRules {
		e.addf(at("rules"), fmt.Sprint(len(p.Rules)), "rules are more than %d in one plan", MaxRules)
	}
	ruleAt := map[string]int{}
	for i := range p.Rules {
		r := &p.Rules[i]
		rp := wire.Index(at("rules"), i)
		id := ruleID(r, i)
		if j, dup := ruleAt[id]; dup {
			e.addf(rp+".id", id, "is already the id of rules[%d]; rule ids are unique within a plan (a rule without an id takes its 1-based position)", j)
		} else {
			ruleAt[id] = i
		}
		if r.Group == "" {
			e.add(rp+".group", "", "is missing; want a treatment group id")
		} else if _, ok := groups[r.Group]; !ok {
			e.addf(rp+".group", r.Group, "is not a treatment group in the catalog; want one of %s", list(groups))
		}
		if pc, ok := r.Discount.Percent(); ok {
			e.percent(rp+".discountPercent", pc)
		} else if a, ok := r.Discount.Amount(); ok {
			e.amount(rp+".discountAmount", a)
		} else {
			e.add(rp, "", "has neither discountPercent nor discountAmount; give exactly one")
		}
		switch {
		case r.Allowed.IsZero():
			e.add(rp+".allowed", "", "is missing or zero; want a whole number 1..1000000000 or \"unlimited\"")
		case !r.Allowed.IsUnlimited() && (r.Allowed.n < 1 || r.Allowed.n > MaxAllowed):
			e.add(rp+".allowed", fmt.Sprint(r.Allowed.n), "is outside 1..1000000000; want a whole number of units or \"unlimited\"")
		}
		e.intRange(rp+".startDay", r.StartDay, 0, MaxDayOffset)
		e.intRange(rp+".endDay", r.EndDay, 0, MaxDayOffset)
		if r.EndDay < r.StartDay {
			e.addf(rp+".endDay", fmt.Sprint(r.EndDay), "is before startDay %d; the window is startDay..endDay, both inclusive", r.StartDay)
		}
		e.intRange(rp+".viewOrder", r.ViewOrder, 0, MaxViewOrder)
	}
}

func (d Dunning) validate(e *errs, path string) {
	for i, r := range d.RetryDays {
		rp := wire.Index(path+".retryDays", i)
		switch {
		case r < 0 || r > MaxDayOffset:
			e.intRange(rp, r, 0, MaxDayOffset)
		case i > 0 && r <= d.RetryDays[i-1]:
			e.addf(rp, fmt.Sprint(r), "is not after retryDays[%d] %d; give the retry days in increasing order", i-1, d.RetryDays[i-1])
		}
	}
	for _, t := range []struct {
		name string
		t    Threshold
	}{{"pastDueAfterDays", d.PastDueAfter}, {"suspendAfterDays", d.SuspendAfter}, {"cancelAfterDays", d.CancelAfter}} {
		if t.t.Set {
			e.intRange(path+"."+t.name, t.t.Days, 0, MaxDayOffset)
		}
	}
}

// validate checks the patient's own fields.
func (pt Patient) validate(e *errs, prefix string) {
	if pt.WeightKg.Valid {
		e.amount(wire.Join(prefix, "weightKg"), pt.WeightKg.Decimal)
	}
	if pt.ExpectedAdultWeightKg.Valid {
		e.amount(wire.Join(prefix, "expectedAdultWeightKg"), pt.ExpectedAdultWeightKg.Decimal)
	}
}
