package plan

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
)

// Catalog is what a practice sells: its currency, its treatment groups with
// the item codes in each, and its plans. Its JSON form is the first half of
// a scenario document ({"currency", "groups", "plans"}).
type Catalog struct {
	Currency Currency
	Groups   []Group
	Plans    []Plan
}

// Group is a treatment group: the item codes a rule discounts together.
// Core groups (vaccinations, wormers, flea treatment) are what a client
// joins for; only their value counts towards the debt when a plan ends
// early.
type Group struct {
	ID    string
	Name  string
	Core  bool
	Items []Item
}

// Item is an item code in a group. Units is how many allowance units one of
// it uses: a pack of three pipettes has Units 3. Zero means 1.
type Item struct {
	Code  string
	Units int
	// Value is what one item is worth to the practice when a plan ends
	// early (a settlement on the value basis counts it instead of the list
	// price): a 40.00 exam with a 10.00 co-pay may be worth 30.00. Unset,
	// the list price counts.
	Value decimal.NullDecimal
}

// UnitsOrDefault is it.Units, or 1 when it is not set.
func (it Item) UnitsOrDefault() int {
	if it.Units == 0 {
		return 1
	}
	return it.Units
}

// Plan is a contract template: who it is for, what it costs, how long it
// runs and what it discounts. A subscription keeps a snapshot of its plan
// ([Terms]), so editing a Plan changes new subscriptions, never running ones.
type Plan struct {
	ID      string
	Name    string
	Species string
	// WeightKg and AgeMonths are optional eligibility bands, min <= x < max.
	// Age is in whole months at the start date.
	WeightKg  Band
	AgeMonths Band
	// AvailableFrom and AvailableTo bound, inclusively, the dates on which
	// new subscriptions may start; the zero Date leaves that side open.
	AvailableFrom Date
	AvailableTo   Date
	// TermMonths is the contract length: a subscription covers
	// start .. start.AddMonths(TermMonths) - 1 day.
	TermMonths int
	// MonthlyFee is due with each of the TermMonths installments of a
	// subscription paid monthly.
	MonthlyFee decimal.Decimal
	// Fees prices the other installment intervals a subscription may
	// choose; an interval left unset is not offered.
	Fees Fees
	// AdvancePrice is the price of paying the whole term up front; when not
	// set it is TermMonths × MonthlyFee.
	AdvancePrice decimal.NullDecimal
	// JoiningFee is due with the first installment, or with the advance
	// payment.
	JoiningFee decimal.Decimal
	// MultiPetDiscount comes off each monthly installment when the client
	// already has another active subscription on the start date. The zero
	// Discount means none.
	MultiPetDiscount Discount
	Renewal          Renewal
	// GraceDays keeps remaining allowances usable this many days after the
	// term ends.
	GraceDays int
	Rounding  Rounding
	// SuspendAfterFailures suspends a subscription after this many failed
	// payments in a row; 0 never suspends.
	SuspendAfterFailures int
	// Dunning says how unpaid installments are chased.
	Dunning    Dunning
	Settlement Settlement
	Rules      []Rule
}

// Fees are the fees of the installment intervals besides the month, each
// optional: a plan offers an interval by pricing it.
type Fees struct {
	FourWeeks decimal.NullDecimal // every 28 days
	Quarter   decimal.NullDecimal // every 3 months; the term must be a multiple of 3
	Year      decimal.NullDecimal // every 12 months; the term must be a multiple of 12
}

// Fee is the fee of interval i: MonthlyFee for Month, else the plan's fee
// for it, and false when the plan does not price it.
func (p *Plan) Fee(i Interval) (decimal.Decimal, bool) {
	var f decimal.NullDecimal
	switch i {
	case Month:
		return p.MonthlyFee, true
	case FourWeeks:
		f = p.Fees.FourWeeks
	case Quarter:
		f = p.Fees.Quarter
	case Year:
		f = p.Fees.Year
	}
	return f.Decimal, f.Valid
}

// Interval is how often installments fall due.
type Interval uint8

const (
	// Month: termMonths installments, number i due on start.AddMonths(i).
	Month Interval = iota
	// Quarter: termMonths/3 installments, due on start.AddMonths(3i).
	Quarter
	// Year: termMonths/12 installments, due on start.AddMonths(12i).
	Year
	// FourWeeks: floor(D/28) installments, D the days from the start to
	// start.AddMonths(termMonths); number i due 28i days after the start.
	FourWeeks
)

var intervalNames = [...]string{"month", "quarter", "year", "4weeks"}

// String is the interval's JSON name.
func (i Interval) String() string {
	if int(i) < len(intervalNames) {
		return intervalNames[i]
	}
	return fmt.Sprintf("Interval(%d)", uint8(i))
}

// ParseInterval reads an interval's JSON name.
func ParseInterval(s string) (Interval, error) {
	for i, n := range intervalNames {
		if s == n {
			return Interval(i), nil
		}
	}
	return 0, fmt.Errorf("unknown interval %q; want month, quarter, year or 4weeks", s)
}

// Dunning is how a plan chases unpaid installments. Taken payments are
// applied to installments oldest first; the days past due on a date are
// the days since the oldest installment due and not covered. Each
// threshold is optional: one that is not set turns its rule off.
type Dunning struct {
	// RetryDays are the days after an overdue installment's due date on
	// which the payment provider should try again, in increasing order.
	RetryDays []int
	// PastDueAfter: the account is past due when its days past due exceed
	// it.
	PastDueAfter Threshold
	// SuspendAfter: the subscription is suspended (no discounts) on every
	// date whose days past due exceed it.
	SuspendAfter Threshold
	// CancelAfter: the practice's own rule says to terminate for
	// nonPayment once the days past due exceed it (the library never
	// terminates by itself).
	CancelAfter Threshold
}

// Threshold is an optional number of days past due; the zero Threshold is
// not set.
type Threshold struct {
	Days int
	Set  bool
}

// After is a threshold of n days.
func After(n int) Threshold { return Threshold{Days: n, Set: true} }

// Exceeded reports whether the threshold is set and days is above it.
func (t Threshold) Exceeded(days int) bool { return t.Set && days > t.Days }

// Band is an optional range min <= x < max; either side may be left unset.
type Band struct {
	Min decimal.NullDecimal
	Max decimal.NullDecimal
}

// IsZero reports whether neither side of the band is set.
func (b Band) IsZero() bool { return !b.Min.Valid && !b.Max.Valid }

// Contains reports whether x is in the band.
func (b Band) Contains(x decimal.Decimal) bool {
	return (!b.Min.Valid || x.GreaterThanOrEqual(b.Min.Decimal)) &&
		(!b.Max.Valid || x.LessThan(b.Max.Decimal))
}

// String writes the band as "10..25" (10 <= x < 25), "10 or more",
// "under 25" or "any".
func (b Band) String() string {
	switch {
	case b.Min.Valid && b.Max.Valid:
		return fmt.Sprintf("%s..%s", num.Format(b.Min.Decimal), num.Format(b.Max.Decimal))
	case b.Min.Valid:
		return fmt.Sprintf("%s or more", num.Format(b.Min.Decimal))
	case b.Max.Valid:
		return fmt.Sprintf("under %s", num.Format(b.Max.Decimal))
	}
	return "any"
}

// Renewal says what happens at the end of the term.
type Renewal struct {
	// Auto renews the subscription when its term ends.
	Auto bool
	// NextPlan is the plan the renewal moves to; empty means the same plan.
	// A renewal takes that plan's prices as they are at renewal.
	NextPlan string
}

// Rule entitles a subscription to a discount on a treatment group within a
// window of days since the start date.
type Rule struct {
	// ID is unique within the plan; when empty it is the rule's 1-based
	// position, as a string.
	ID    string
	Group string
	// Discount is a percentage of the price or an amount off per allowance
	// unit (never more than the unit's price).
	Discount Discount
	// Allowed is how many allowance units the rule covers over the whole
	// term.
	Allowed Limit
	// StartDay and EndDay bound the window in day offsets from the start
	// date (day 0), both inclusive.
	StartDay int
	EndDay   int
	// ViewOrder is the rule's precedence within its group: where several
	// rules apply, the lowest view order is used first, then the earliest
	// in the plan.
	ViewOrder int
}

type discountKind uint8

const (
	noDiscount discountKind = iota
	percentOff
	amountOff
)

// Discount is either a percentage of the price or an amount off. The zero
// Discount is neither; IsZero reports it.
type Discount struct {
	kind  discountKind
	value decimal.Decimal
}

// PercentOff is a discount of p percent (0..100) of the price.
func PercentOff(p decimal.Decimal) Discount { return Discount{kind: percentOff, value: p} }

// AmountOff is a discount of a fixed amount (per allowance unit, in a rule;
// per installment, as a multi-pet discount).
func AmountOff(a decimal.Decimal) Discount { return Discount{kind: amountOff, value: a} }

// IsZero reports whether d is no discount at all.
func (d Discount) IsZero() bool { return d.kind == noDiscount }

// Percent returns the percentage and true for a percentage discount.
func (d Discount) Percent() (decimal.Decimal, bool) {
	return d.value, d.kind == percentOff
}

// Amount returns the amount and true for an amount-off discount.
func (d Discount) Amount() (decimal.Decimal, bool) {
	return d.value, d.kind == amountOff
}

// Equal reports whether d and e are the same discount.
func (d Discount) Equal(e Discount) bool {
	return d.kind == e.kind && d.value.Equal(e.value)
}

// String writes "50%" or "5.5 off".
func (d Discount) String() string {
	switch d.kind {
	case percentOff:
		return num.Format(d.value) + "%"
	case amountOff:
		return num.Format(d.value) + " off"
	}
	return "none"
}

// Limit is how many allowance units a rule covers: a whole number, or
// unlimited. The zero Limit is not valid (a rule must allow something).
type Limit struct {
	n         int64
	unlimited bool
}

// MaxAllowed is the largest whole number of units a rule may allow.
const MaxAllowed = 1_000_000_000

// Allowed is a limit of n allowance units.
func Allowed(n int64) Limit { return Limit{n: n} }

// Unlimited is no limit: the rule discounts every unit in its window.
func Unlimited() Limit { return Limit{unlimited: true} }

// IsUnlimited reports whether l has no limit.
func (l Limit) IsUnlimited() bool { return l.unlimited }

// IsZero reports whether l is the zero Limit, which is not valid.
func (l Limit) IsZero() bool { return !l.unlimited && l.n == 0 }

// Units is the number of units allowed; 0 when unlimited.
func (l Limit) Units() int64 { return l.n }

// String writes "3" or "unlimited".
func (l Limit) String() string {
	if l.unlimited {
		return "unlimited"
	}
	return fmt.Sprint(l.n)
}

// Settlement says how money owed is computed when a subscription ends
// early. The zero Settlement is the default: method coreValue on the
// discount basis, no fee, no waivers, no refund, no cooling-off.
type Settlement struct {
	Method Method
	Basis  Basis
	// CancellationFee is added to what is owed on an early termination.
	CancellationFee decimal.Decimal
	// WaiveFor lists termination reasons that owe nothing ("deceased").
	WaiveFor []string
	// RefundExcess refunds payments above what is owed.
	RefundExcess bool
	// CoolingOffDays: a termination on a day offset up to this (when set)
	// uses coreValue, charges no fee and refunds the excess.
	CoolingOffDays int
}

// Waives reports whether reason is one the settlement waives.
func (s Settlement) Waives(reason string) bool {
	for _, r := range s.WaiveFor {
		if r == reason {
			return true
		}
	}
	return false
}

// Method is how the amount owed on termination is computed.
type Method uint8

const (
	// CoreValue owes the value of the core treatments used less what was
	// paid (the seeds' rule and the default).
	CoreValue Method = iota
	// RemainingPayments owes what is still unpaid of the contract total.
	RemainingPayments
	// LesserOf owes the lesser of CoreValue and RemainingPayments.
	LesserOf
	// NoDebt owes nothing.
	NoDebt
	// Override is not a plan's method: it is what a settlement applies when
	// a termination agrees the amount by hand.
	Override
)

var methodNames = [...]string{"coreValue", "remainingPayments", "lesserOf", "none", "override"}

// String is the method's JSON name.
func (m Method) String() string {
	if int(m) < len(methodNames) {
		return methodNames[m]
	}
	return fmt.Sprintf("Method(%d)", uint8(m))
}

// ParseMethod reads a method's JSON name (override included: a plan may
// not set it, which Validate checks).
func ParseMethod(s string) (Method, error) {
	for i, n := range methodNames {
		if s == n {
			return Method(i), nil
		}
	}
	return 0, fmt.Errorf("unknown settlement method %q; want coreValue, remainingPayments, lesserOf or none", s)
}

// Basis is what a core redemption is worth towards the debt.
type Basis uint8

const (
	// DiscountBasis counts the discount given (the default).
	DiscountBasis Basis = iota
	// ListBasis counts the list price of the units covered.
	ListBasis
	// ValueBasis counts, for items with a value, the value of the units
	// covered (whatever the discount, and not capped at the price), and
	// the list price for the others.
	ValueBasis
)

// String is the basis's JSON name.
func (b Basis) String() string {
	switch b {
	case DiscountBasis:
		return "discount"
	case ListBasis:
		return "list"
	case ValueBasis:
		return "value"
	}
	return fmt.Sprintf("Basis(%d)", uint8(b))
}

// ParseBasis reads "discount", "list" or "value".
func ParseBasis(s string) (Basis, error) {
	switch s {
	case "discount":
		return DiscountBasis, nil
	case "list":
		return ListBasis, nil
	case "value":
		return ValueBasis, nil
	}
	return 0, fmt.Errorf("unknown basis %q; want discount, list or value", s)
}

// Plan returns the catalog's plan with the given id.
func (c *Catalog) Plan(id string) (*Plan, bool) {
	for i := range c.Plans {
		if c.Plans[i].ID == id {
			return &c.Plans[i], true
		}
	}
	return nil, false
}

// ruleID is the rule's id, or its 1-based position when it has none.
func ruleID(r *Rule, i int) string {
	if r.ID != "" {
		return r.ID
	}
	return fmt.Sprint(i + 1)
}

// clone returns a deep copy of p, so that a snapshot shares nothing with
// the plan it was taken from.
func (p Plan) clone() Plan {
	p.Rules = append([]Rule(nil), p.Rules...)
	p.Settlement.WaiveFor = append([]string(nil), p.Settlement.WaiveFor...)
	p.Dunning.RetryDays = append([]int(nil), p.Dunning.RetryDays...)
	return p
}

func cloneGroups(gs []Group) []Group {
	out := make([]Group, len(gs))
	for i, g := range gs {
		g.Items = append([]Item(nil), g.Items...)
		out[i] = g
	}
	return out
}
