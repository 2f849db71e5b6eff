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
	// Number counts from 0, in due order.
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
	each := InstallmentAmount(t, sub.Interval, sub.MultiPet)
	dues := DueDates(sub.Start, t.TermMonths(), sub.Interval)
	s := Schedule{Currency: cur, Installments: make([]Installment, len(dues))}
	for i, due := range dues {
		amt := each
		if i == 0 {
			amt = amt.Add(joining)
		}
		s.Installments[i] = Installment{Number: i, Due: due, Amount: amt}
		s.Total = s.Total.Add(amt)
	}
	return s
}

// DueDates are the due dates of the installments of a term of termMonths
// months from start, paid every interval, each counted from the start
// (never from the previous due date, so that month ends do not drift):
//
//	month    termMonths installments, number i due on start.AddMonths(i)
//	quarter  termMonths/3, due on start.AddMonths(3i)
//	year     termMonths/12, due on start.AddMonths(12i)
//	4weeks   floor(D/28), D the days from start to start.AddMonths(termMonths), due 28i days after start
//
// A term that is not a multiple of the quarter or the year has as many
// whole quarters or years as fit (plan validation refuses such fees).
func DueDates(start plan.Date, termMonths int, interval plan.Interval) []plan.Date {
	var out []plan.Date
	switch interval {
	case plan.FourWeeks:
		n := start.AddMonths(termMonths).Sub(start) / 28
		out = make([]plan.Date, n)
		for i := range out {
			out[i] = start.AddDays(28 * i)
		}
	default:
		every := map[plan.Interval]int{plan.Month: 1, plan.Quarter: 3, plan.Year: 12}[interval]
		out = make([]plan.Date, termMonths/every)
		for i := range out {
			out[i] = start.AddMonths(every * i)
		}
	}
	return out
}

// InstallmentAmount is what each installment of interval i costs, before
// any joining fee: the interval's fee, less the multi-pet discount when
// multiPet is set, rounded to the currency with the plan's rounding and
// never below zero. The multi-pet discount is an amount of its own on the
// client's invoice, so it is rounded first: 10% off 5.55 is 0.56, and the
// installment 4.99. An interval the terms do not price costs nothing.
func InstallmentAmount(t *plan.Terms, i plan.Interval, multiPet bool) decimal.Decimal {
	cur, r := t.Currency(), t.Rounding()
	fee, _ := t.Fee(i)
	if !multiPet {
		return cur.Round(fee, r)
	}
	off := decimal.Decimal{}
	if pct, ok := t.MultiPetDiscount().Percent(); ok {
		off = fee.Mul(pct).Shift(-2)
	} else if a, ok := t.MultiPetDiscount().Amount(); ok {
		off = a
	}
	if net := cur.Round(fee.Sub(cur.Round(off, r)), r); net.IsPositive() {
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
