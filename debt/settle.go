package debt

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/plan"
)

// Settlement is what is owed when a subscription ends, itemised so that a
// practice can hand it to the client.
type Settlement struct {
	Subscription string
	// Currency is what the amounts are in.
	Currency plan.Currency
	Date     plan.Date
	Reason   string
	// Day is the termination date's day offset.
	Day int
	// Method is the method applied: the plan's, or coreValue within the
	// cooling-off days, or remainingPayments for an expired term.
	Method plan.Method
	Basis  plan.Basis
	// CoreValue (V) is the value of the core redemptions counted, on the
	// basis: the discount given or the list price of the units covered.
	CoreValue decimal.Decimal
	// Core lists the core redemptions counted, per core group.
	Core []GroupValue
	// Paid (P) is what was paid by the date; ContractTotal (F) the sum of
	// the installments as signed; Remaining (R) is max(0, F − P).
	Paid, ContractTotal, Remaining decimal.Decimal
	// Fee is the cancellation fee charged (0 when waived or not due).
	Fee decimal.Decimal
	// Owed is what the method owes, before the fee; it may be negative
	// (paid more than the value used).
	Owed decimal.Decimal
	// Debt is max(0, Owed + Fee); Refund is max(0, −(Owed + Fee)) when the
	// excess is refunded. They are never both positive.
	Debt, Refund decimal.Decimal
	// Waived is set when the reason is one the plan waives: Debt and Fee
	// are then 0.
	Waived bool
	// CoolingOff is set when the date is within the cooling-off days.
	CoolingOff bool
	// Override is set when the termination agreed the amount by hand:
	// Method is then plan.Override, Debt the agreed amount, with no Fee
	// and no Refund, and Computed what the plan's own terms would have
	// given (Owed stays what the plan's method computes).
	Override *Override
	Computed *Computed
	// Repayment splits Debt into the monthly parts the termination agreed
	// (empty when there is no debt); nil when it agreed none.
	Repayment []billing.Installment
}

// Computed is what a plan's own settlement terms give, kept beside an
// amount agreed by hand.
type Computed struct {
	Method    plan.Method
	Fee, Debt decimal.Decimal
	Refund    decimal.Decimal
	Waived    bool
}

// GroupValue is one core group's share of the core value.
type GroupValue struct {
	Group       string
	Name        string
	Value       decimal.Decimal
	Redemptions []allowance.Redemption
	// Counts is what each redemption counts for on the settlement's
	// basis, in order; they add up to Value.
	Counts []decimal.Decimal
}

// Notice is how a subscription ends: the date and the reason (cancelled,
// deceased, nonPayment, moved, ..., or expired for a term that ran its
// course), and what the practice and client agree on top of the plan's
// settlement terms.
type Notice struct {
	Date   plan.Date
	Reason string
	// RepayMonths, when set (1..120), lets the client repay the debt in
	// that many monthly parts, the first on the termination date.
	RepayMonths int
	// Override, when set, is the amount agreed by hand: it is the debt,
	// with no fee and no refund, whatever the plan's method says.
	Override *Override
}

// Override is an amount owed agreed by hand, with a note saying why.
type Override struct {
	Amount decimal.Decimal
	Note   string
}

// MaxRepayMonths bounds a repayment plan.
const MaxRepayMonths = 120

// Errors a caller may branch on with errors.Is.
var (
	// ErrTerminated: the subscription was terminated already.
	ErrTerminated = errors.New("subscription already terminated")
	// ErrNotExpired: reason expired before the term's end date.
	ErrNotExpired = errors.New("term has not ended")
)

// Settle computes the settlement of sub ending as n says (on date d, for
// its reason) without changing anything: the "cost to cancel today".
// Terminate on the same state gives exactly the same settlement.
//
// With P the taken payments dated on or before d, F the contract total,
// R = max(0, F − P) and V the core value used (redemptions dated on or
// before d, not reversed, of core groups; non-core groups never count):
//
//	coreValue          owed = V − P
//	remainingPayments  owed = R
//	lesserOf           owed = min(V − P, R)
//	none               owed = 0
//
// balance = owed + cancellationFee, debt = max(0, balance), and refund =
// max(0, −balance) when the plan refunds the excess, else 0. Then:
//
//   - reason expired (refused before the term's last day): owed = R, no
//     fee, no refund;
//   - a day offset within coolingOffDays (when set): method coreValue, no
//     fee, and the excess is refunded;
//   - a reason in waiveFor, applied last: debt and fee are 0; a refund is
//     still computed when it is due.
func Settle(sub *plan.Subscription, l *allowance.Ledger, a *billing.Account, n Notice) (Settlement, error) {
	if err := check(sub, n); err != nil {
		return Settlement{}, err
	}
	reds, err := l.Redemptions(sub)
	if err != nil {
		return Settlement{}, err
	}
	sched, _ := billing.ScheduleFor(sub) // it only validates sub, as check did
	return settle(sub, reds, sched.Total, a.Paid(n.Date), n), nil
}

// Terminate settles sub as n says, exactly as Settle does, and
// returns the termination for the subscription's owner to record on it
// (sub itself is not changed): from then on the subscription grants no
// discounts (its lines are still recorded, undiscounted), installments due
// after the date are cancelled, and payments can still be recorded. Terminating a
// terminated subscription is refused.
func Terminate(sub *plan.Subscription, l *allowance.Ledger, a *billing.Account, n Notice) (Settlement, plan.Termination, error) {
	s, err := Settle(sub, l, a, n)
	if err != nil {
		return Settlement{}, plan.Termination{}, err
	}
	return s, plan.Termination{Date: n.Date, Reason: n.Reason}, nil
}

func check(sub *plan.Subscription, n Notice) error {
	d, reason := n.Date, n.Reason
	if err := sub.Validate(); err != nil {
		return err
	}
	if t := sub.Termination; t != nil {
		return &plan.ValidationError{Path: "subscription", Value: sub.ID, Err: ErrTerminated,
			Reason: fmt.Sprintf("was terminated on %s (%s); a subscription is settled once", t.Date, t.Reason)}
	}
	var list []error
	if d.IsZero() {
		list = append(list, &plan.ValidationError{Path: "date", Reason: "is missing; want the termination date YYYY-MM-DD"})
	}
	if reason == "" {
		list = append(list, &plan.ValidationError{Path: "reason", Reason: "is missing; want a reason such as cancelled, deceased, nonPayment, moved or expired"})
	}
	if reason == plan.ReasonExpired && !d.IsZero() && d.Before(sub.End()) {
		list = append(list, &plan.ValidationError{Path: "date", Value: d.String(), Err: ErrNotExpired,
			Reason: fmt.Sprintf("is before the term's last day %s; reason expired is for a term that ran its course", sub.End())})
	}
	if n.RepayMonths < 0 || n.RepayMonths > MaxRepayMonths {
		list = append(list, &plan.ValidationError{Path: "repayMonths", Value: fmt.Sprint(n.RepayMonths),
			Reason: fmt.Sprintf("is outside 1..%d; want the number of monthly parts the debt is repaid in", MaxRepayMonths)})
	}
	if o := n.Override; o != nil {
		if err := plan.CheckAmount("override.amount", o.Amount); err != nil {
			list = append(list, err)
		}
	}
	return errors.Join(list...)
}

func settle(sub *plan.Subscription, reds []allowance.Redemption, total, paid decimal.Decimal, n Notice) Settlement {
	d, reason := n.Date, n.Reason
	rules := sub.Terms.Settlement()
	cur, rounding := sub.Terms.Currency(), sub.Terms.Rounding()
	s := Settlement{Subscription: sub.ID, Currency: cur, Date: d, Reason: reason, Day: sub.Day(d),
		Method: rules.Method, Basis: rules.Basis, Paid: paid, ContractTotal: total}
	s.Remaining = total.Sub(paid)
	if s.Remaining.IsNegative() {
		s.Remaining = decimal.Decimal{}
	}
	s.CoreValue, s.Core = coreValue(sub.Terms, reds, d, rules.Basis)

	fee, refund := rules.CancellationFee, rules.RefundExcess
	switch {
	case reason == plan.ReasonExpired:
		s.Method, fee, refund = plan.RemainingPayments, decimal.Decimal{}, false
	case rules.CoolingOffDays > 0 && s.Day <= rules.CoolingOffDays:
		s.CoolingOff = true
		s.Method, fee, refund = plan.CoreValue, decimal.Decimal{}, true
	}
	coreOwed := s.CoreValue.Sub(paid)
	switch s.Method {
	case plan.CoreValue:
		s.Owed = coreOwed
	case plan.RemainingPayments:
		s.Owed = s.Remaining
	case plan.LesserOf:
		s.Owed = decimal.Min(coreOwed, s.Remaining)
	} // plan.NoDebt owes nothing: s.Owed stays 0
	if rules.Waives(reason) {
		s.Waived, fee = true, decimal.Decimal{}
	}
	s.Fee = cur.Round(fee, rounding)
	balance := s.Owed.Add(s.Fee)
	if balance.IsPositive() && !s.Waived {
		s.Debt = balance
	}
	if balance.IsNegative() && refund {
		s.Refund = balance.Neg()
	}
	if o := n.Override; o != nil {
		s.Computed = &Computed{Method: s.Method, Fee: s.Fee, Debt: s.Debt, Refund: s.Refund, Waived: s.Waived}
		s.Override = &Override{Amount: cur.Round(o.Amount, rounding), Note: o.Note}
		s.Method, s.Fee, s.Debt, s.Refund, s.Waived = plan.Override, decimal.Decimal{}, s.Override.Amount, decimal.Decimal{}, false
	}
	if n.RepayMonths > 0 {
		s.Repayment = []billing.Installment{}
		if s.Debt.IsPositive() {
			parts, err := billing.Split(s.Debt, n.RepayMonths, cur)
			if err != nil {
				panic("debt: " + err.Error()) // a debt in minor units, 1..120 parts
			}
			for i, p := range parts {
				s.Repayment = append(s.Repayment, billing.Installment{Number: i, Due: d.AddMonths(i), Amount: p})
			}
		}
	}
	return s
}

// coreValue sums the core redemptions dated on or before d, per group in
// the catalog's order, on the basis: the discount given, the list value,
// or (ValueBasis) the items' value where they have one.
func coreValue(t *plan.Terms, reds []allowance.Redemption, d plan.Date, basis plan.Basis) (decimal.Decimal, []GroupValue) {
	var total decimal.Decimal
	byGroup := map[string]*GroupValue{}
	var worth []decimal.Decimal
	if basis == plan.ValueBasis {
		worth = valueWorth(t, reds)
	}
	for i, r := range reds {
		if !r.Core || r.Date.After(d) {
			continue
		}
		v := r.Discount
		switch basis {
		case plan.ListBasis:
			v = r.ListValue
		case plan.ValueBasis:
			v = worth[i]
		}
		g, ok := byGroup[r.Group]
		if !ok {
			info, _ := t.Group(r.Group)
			g = &GroupValue{Group: r.Group, Name: info.Name}
			byGroup[r.Group] = g
		}
		g.Value = g.Value.Add(v)
		g.Redemptions = append(g.Redemptions, r)
		g.Counts = append(g.Counts, v)
		total = total.Add(v)
	}
	var groups []GroupValue
	for _, id := range t.GroupIDs() {
		if g, ok := byGroup[id]; ok {
			groups = append(groups, *g)
		}
	}
	return total, groups
}

// valueWorth is what each redemption is worth on the value basis: for an
// item with a value, coveredUnits × value / units, shared out among the
// line's splits by the same prefix rule as the list value (split k gets
// round(Σ up to k) − round(Σ before k)); for the others, the list value.
func valueWorth(t *plan.Terms, reds []allowance.Redemption) []decimal.Decimal {
	cur, halfEven := t.Currency(), t.Rounding() == plan.HalfEven
	out := make([]decimal.Decimal, len(reds))
	var sum, prev, scale, den, r big.Int
	for i := 0; i < len(reds); {
		ref, ok := t.Item(reds[i].Item)
		j := i + 1 // the line's splits are consecutive
		for j < len(reds) && reds[j].Invoice == reds[i].Invoice && reds[j].Line == reds[i].Line && reds[j].Date == reds[i].Date {
			j++
		}
		if !ok || !ref.Value.Valid {
			for k := i; k < j; k++ {
				out[k] = reds[k].ListValue
			}
			i = j
			continue
		}
		// In millionths: Σ units × value, over units × 10^12, to minor units.
		value, _ := num.ToMicro(ref.Value.Decimal)
		den.Mul(big.NewInt(ref.Units), scale.Exp(big.NewInt(10), big.NewInt(int64(2*num.Scale)-int64(cur.MinorUnits())), nil))
		sum.SetInt64(0)
		prev.SetInt64(0)
		for k := i; k < j; k++ {
			units, _ := num.ToMicro(reds[k].Units)
			sum.Add(&sum, r.Mul(big.NewInt(units), big.NewInt(value)))
			var cum big.Int
			cum.QuoRem(&sum, &den, &r)
			if c := r.Lsh(&r, 1).Cmp(&den); c > 0 || c == 0 && (!halfEven || cum.Bit(0) == 1) {
				cum.Add(&cum, big.NewInt(1))
			}
			var part big.Int
			part.Sub(&cum, &prev)
			out[k] = decimal.NewFromBigInt(&part, -cur.MinorUnits())
			prev.Set(&cum)
		}
		i = j
	}
	return out
}
