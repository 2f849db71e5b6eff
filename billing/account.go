package billing

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/plan"
)

// PaymentStatus says whether a payment was collected.
type PaymentStatus uint8

const (
	// Taken: the money was collected.
	Taken PaymentStatus = iota
	// Failed: the collection failed (a bounced direct debit, a declined
	// card); it counts towards suspension, not towards paid.
	Failed
)

// String is the status's JSON name.
func (s PaymentStatus) String() string {
	switch s {
	case Taken:
		return "taken"
	case Failed:
		return "failed"
	}
	return fmt.Sprintf("PaymentStatus(%d)", uint8(s))
}

// ParsePaymentStatus reads "taken" or "failed".
func ParsePaymentStatus(s string) (PaymentStatus, error) {
	switch s {
	case "taken":
		return Taken, nil
	case "failed":
		return Failed, nil
	}
	return 0, fmt.Errorf("unknown payment status %q; want taken or failed", s)
}

// Payment is a collection attempt.
type Payment struct {
	Date   plan.Date
	Amount decimal.Decimal
	Status PaymentStatus
}

// Account is one subscription's payment history, in the order payments
// were recorded. The zero Account has no payments.
type Account struct {
	Payments []Payment
}

// Standing is where a subscription's account stands on a date: the
// figures a practice's screen shows.
type Standing struct {
	Date plan.Date
	// Paid is the sum of taken payments dated on or before Date.
	Paid decimal.Decimal
	// Due is the sum of installments due on or before Date; installments
	// after a termination date are cancelled and never fall due.
	Due decimal.Decimal
	// Arrears is Due − Paid, never negative.
	Arrears decimal.Decimal
	// NextDue is the date of the next installment after Date, zero when
	// none remains.
	NextDue plan.Date
	Status  plan.Status
}

// ErrUnknownStatus is wrapped when a payment's status is neither taken nor
// failed.
var ErrUnknownStatus = errors.New("unknown payment status")

func (p Payment) validate() error {
	var list []error
	if p.Date.IsZero() {
		list = append(list, &plan.ValidationError{Path: "date", Reason: "is missing; want the payment's date YYYY-MM-DD"})
	}
	if err := plan.CheckAmount("amount", p.Amount); err != nil {
		list = append(list, err)
	}
	if p.Status > Failed {
		list = append(list, &plan.ValidationError{Path: "status", Value: p.Status.String(), Err: ErrUnknownStatus, Reason: "is not a payment status; want taken or failed"})
	}
	return errors.Join(list...)
}

// Record adds a payment to the account and brings sub.Suspensions up to
// date, so that package allowance sees a suspension. It returns the
// standing on the payment's date. The amount is recorded rounded to the
// currency's minor units with the plan's rounding (a JPY payment written
// 31.60 is 32), so that paid, due and arrears always add up. A refused
// payment changes nothing.
func (a *Account) Record(sub *plan.Subscription, p Payment) (Standing, error) {
	if err := sub.Validate(); err != nil {
		return Standing{}, err
	}
	if err := p.validate(); err != nil {
		return Standing{}, err
	}
	p.Amount = sub.Terms.Currency().Round(p.Amount, sub.Terms.Rounding())
	sched, err := ScheduleFor(sub)
	if err != nil {
		return Standing{}, err
	}
	a.Payments = append(a.Payments, p)
	sub.Suspensions = suspensions(sub, sched, a.Payments)
	return a.standing(sub, sched, p.Date), nil
}

// Standing returns the account's figures on d.
func (a *Account) Standing(sub *plan.Subscription, d plan.Date) (Standing, error) {
	if d.IsZero() {
		return Standing{}, &plan.ValidationError{Path: "date", Reason: "is missing; want a date YYYY-MM-DD"}
	}
	sched, err := ScheduleFor(sub)
	if err != nil {
		return Standing{}, err
	}
	return a.standing(sub, sched, d), nil
}

// Paid sums the taken payments dated on or before d.
func (a *Account) Paid(d plan.Date) decimal.Decimal {
	return paid(a.Payments, d)
}

func paid(ps []Payment, d plan.Date) decimal.Decimal {
	var sum decimal.Decimal
	for _, p := range ps {
		if p.Status == Taken && !p.Date.After(d) {
			sum = sum.Add(p.Amount)
		}
	}
	return sum
}

// dueBy is what has fallen due by d, leaving out installments cancelled by
// a termination.
func dueBy(sub *plan.Subscription, s Schedule, d plan.Date) decimal.Decimal {
	if t := sub.Termination; t != nil && t.Date.Before(d) {
		d = t.Date
	}
	return s.DueBy(d)
}

func (a *Account) standing(sub *plan.Subscription, s Schedule, d plan.Date) Standing {
	st := Standing{Date: d, Paid: paid(a.Payments, d), Due: dueBy(sub, s, d), Status: sub.StatusOn(d)}
	st.Arrears = st.Due.Sub(st.Paid)
	if st.Arrears.IsNegative() {
		st.Arrears = decimal.Decimal{}
	}
	for _, in := range s.Installments {
		if in.Due.After(d) {
			if t := sub.Termination; t == nil || !in.Due.After(t.Date) {
				st.NextDue = in.Due
			}
			break
		}
	}
	return st
}

// Suspensions works out the periods a subscription is suspended for from
// its payments, in the order they were recorded: after the plan's
// suspendAfterFailures failed payments in a row it is suspended from the
// date of the last of them; a taken payment resets the count, and one that
// leaves no arrears as of its own date (counting the payments recorded up
// to it) ends the suspension on that date. A payment dated before the
// suspension began is judged as of the suspension's first day, so that a
// back-dated payment cannot erase a suspension it does not clear. Record
// keeps sub.Suspensions up to date with it.
func Suspensions(sub *plan.Subscription, payments []Payment) ([]plan.Period, error) {
	sched, err := ScheduleFor(sub)
	if err != nil {
		return nil, err
	}
	return suspensions(sub, sched, payments), nil
}

func suspensions(sub *plan.Subscription, s Schedule, payments []Payment) []plan.Period {
	n := sub.Terms.Plan().SuspendAfterFailures
	if n == 0 {
		return nil
	}
	var (
		out       []plan.Period
		failures  int
		suspended bool
		from      plan.Date
	)
	for k, p := range payments {
		if p.Status == Failed {
			failures++
			if failures >= n && !suspended {
				suspended, from = true, p.Date
			}
			continue
		}
		failures = 0
		if !suspended {
			continue
		}
		on := p.Date
		if on.Before(from) {
			on = from
		}
		if !dueBy(sub, s, on).GreaterThan(paid(payments[:k+1], on)) {
			suspended = false
			if on.After(from) {
				out = append(out, plan.Period{From: from, To: on})
			}
		}
	}
	if suspended {
		out = append(out, plan.Period{From: from})
	}
	return out
}
