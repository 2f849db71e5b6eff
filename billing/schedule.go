package billing

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/plan"
)

// Installment is one amount due.
type Installment struct {
	// Number counts from 0; installment i is due on start.AddMonths(i).
	Number int
	Due    plan.Date
	Amount decimal.Decimal
}

// Schedule is the contract as signed: its installments and their sum, the
// contract total.
type Schedule struct {
	// Currency is what the amounts are in.
	Currency     plan.Currency
	Installments []Installment
	Total        decimal.Decimal
}

// MarshalJSON writes {"installments": [{"due", "amount"}], "total"},
// amounts with exactly the currency's minor units.
func (s Schedule) MarshalJSON() ([]byte, error) {
	c := s.Currency
	b := append(make([]byte, 0, 32+44*len(s.Installments)), `{"installments":[`...)
	for i, in := range s.Installments {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"due":"`...)
		b, _ = in.Due.AppendText(b)
		b = append(b, `","amount":"`...)
		b = append(b, c.Format(in.Amount)...)
		b = append(b, `"}`...)
	}
	b = append(b, `],"total":"`...)
	b = append(b, c.Format(s.Total)...)
	return append(b, `"}`...), nil
}

// ScheduleFor returns the subscription's installments. Monthly, auto,
// external and manual payment share one schedule: termMonths installments,
// number i due on start.AddMonths(i) (always counted from the start, so a
// start on the 31st is due on the last day of shorter months), each the
// monthly fee less any multi-pet discount, rounded to the currency and
// never below zero; the first also carries the joining fee. Advance payment
// is one installment on the start date: the advance price (termMonths ×
// monthlyFee when the plan sets none) plus the joining fee.
//
// The schedule is the contract as signed: a termination does not change
// it (see [Account.Standing] for what is still due).
func ScheduleFor(sub *plan.Subscription) (Schedule, error) {
	if err := sub.Validate(); err != nil {
		return Schedule{}, err
	}
	return schedule(sub), nil
}

// schedule is ScheduleFor for a subscription already validated.
func schedule(sub *plan.Subscription) Schedule {
	t := sub.Terms
	cur, r := t.Currency(), t.Rounding()
	joining := cur.Round(t.JoiningFee(), r)
	if sub.Payment == plan.Advance {
		amt := cur.Round(t.AdvancePrice(), r).Add(joining)
		return Schedule{Currency: cur, Installments: []Installment{{Due: sub.Start, Amount: amt}}, Total: amt}
	}
	each := cur.Round(MonthlyAmount(t, sub.MultiPet), r)
	s := Schedule{Currency: cur, Installments: make([]Installment, t.TermMonths())}
	for i := range s.Installments {
		amt := each
		if i == 0 {
			amt = amt.Add(joining)
		}
		s.Installments[i] = Installment{Number: i, Due: sub.Start.AddMonths(i), Amount: amt}
		s.Total = s.Total.Add(amt)
	}
	return s
}

// MonthlyAmount is the terms' monthly fee less their multi-pet discount
// when multiPet is set, never below zero, before rounding.
func MonthlyAmount(t *plan.Terms, multiPet bool) decimal.Decimal {
	fee := t.MonthlyFee()
	if !multiPet {
		return fee
	}
	off := decimal.Decimal{}
	if pct, ok := t.MultiPetDiscount().Percent(); ok {
		off = fee.Mul(pct).Shift(-2)
	} else if a, ok := t.MultiPetDiscount().Amount(); ok {
		off = a
	}
	if net := fee.Sub(off); net.IsPositive() {
		return net
	}
	return decimal.Decimal{}
}

// DueBy sums the installments due on or before d.
func (s Schedule) DueBy(d plan.Date) decimal.Decimal {
	var sum decimal.Decimal
	for _, in := range s.Installments {
		if !in.Due.After(d) {
			sum = sum.Add(in.Amount)
		}
	}
	return sum
}

// ErrSplit is wrapped by the errors Split returns.
var ErrSplit = errors.New("cannot split")

// Split divides total into n parts in the currency's minor units: the parts
// add up to total exactly, differ by at most one minor unit, and the
// remainder goes one unit each to the first parts (100.00 in 3 is 33.34,
// 33.33, 33.33). total must already be in minor units and not negative.
func Split(total decimal.Decimal, n int, c plan.Currency) ([]decimal.Decimal, error) {
	if c.IsZero() {
		return nil, fmt.Errorf("%w: the currency is missing", ErrSplit)
	}
	if n < 1 || n > plan.MaxTermMonths*31 {
		return nil, fmt.Errorf("%w: %d parts; want 1..%d", ErrSplit, n, plan.MaxTermMonths*31)
	}
	if err := plan.CheckAmount("total", total); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrSplit, err)
	}
	places := c.MinorUnits()
	units := total.Shift(places)
	if !units.IsInteger() {
		return nil, fmt.Errorf("%w: %s has more than %d decimal places", ErrSplit, num.Format(total), places)
	}
	q, rem := units.QuoRem(decimal.NewFromInt(int64(n)), 0)
	extra := rem.IntPart() // 0 <= extra < n
	parts := make([]decimal.Decimal, n)
	for i := range parts {
		u := q
		if int64(i) < extra {
			u = u.Add(decimal.New(1, 0))
		}
		parts[i] = u.Shift(-places)
	}
	return parts, nil
}
