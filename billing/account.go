package billing

import (
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/wire"
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
// figures a practice's screen shows, and what its nightly job chases.
type Standing struct {
	// Currency is what the amounts are in.
	Currency plan.Currency
	Date     plan.Date
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
	// DaysPastDue is the number of days from the due date of the oldest
	// installment due and not covered on Date (taken payments are applied
	// to installments oldest first) to Date: 0 when none is overdue, and
	// 0 on the due date itself. OverdueSince is that due date, zero when
	// none is overdue.
	DaysPastDue  int
	OverdueSince plan.Date
	// PastDue is set when DaysPastDue exceeds the plan's pastDueAfterDays.
	PastDue bool
	// RetryDates are when the payment provider should try the oldest
	// overdue installment again: its due date plus each of the plan's
	// retryDays, past ones included.
	RetryDates []plan.Date
	// CancelDue is set when DaysPastDue exceeds the plan's
	// cancelAfterDays: the practice's own rule says to terminate for
	// nonPayment (the library never terminates by itself).
	CancelDue bool
}

// MarshalJSON writes {"paid", "due", "arrears", "status", "nextDue",
// "daysPastDue", "overdueSince", "pastDue", "retryDates", "cancelDue"},
// amounts with exactly the currency's minor units and "" for a date that
// is not there.
func (st Standing) MarshalJSON() ([]byte, error) {
	c := st.Currency
	b := append(make([]byte, 0, 192), `{"paid":"`...)
	b = append(b, c.Format(st.Paid)...)
	b = append(b, `","due":"`...)
	b = append(b, c.Format(st.Due)...)
	b = append(b, `","arrears":"`...)
	b = append(b, c.Format(st.Arrears)...)
	b = append(b, `","status":"`...)
	b = append(b, st.Status.String()...)
	b = append(b, `","nextDue":"`...)
	b, _ = st.NextDue.AppendText(b)
	b = append(b, `","daysPastDue":`...)
	b = strconv.AppendInt(b, int64(st.DaysPastDue), 10)
	b = append(b, `,"overdueSince":"`...)
	b, _ = st.OverdueSince.AppendText(b)
	b = append(b, `","pastDue":`...)
	b = strconv.AppendBool(b, st.PastDue)
	b = append(b, `,"retryDates":[`...)
	for i, d := range st.RetryDates {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b, _ = d.AppendText(b)
		b = append(b, '"')
	}
	b = append(b, `],"cancelDue":`...)
	b = strconv.AppendBool(b, st.CancelDue)
	return append(b, '}'), nil
}

// Receipt is what recording a payment answers: the account's standing on
// the payment's date, in brief.
type Receipt struct {
	Standing
}

// MarshalJSON writes {"paid", "arrears", "status", "daysPastDue"}: what a
// practice's screen shows when a payment is recorded.
func (r Receipt) MarshalJSON() ([]byte, error) {
	c := r.Currency
	b := append(make([]byte, 0, 80), `{"paid":"`...)
	b = append(b, c.Format(r.Paid)...)
	b = append(b, `","arrears":"`...)
	b = append(b, c.Format(r.Arrears)...)
	b = append(b, `","status":"`...)
	b = append(b, r.Status.String()...)
	b = append(b, `","daysPastDue":`...)
	b = strconv.AppendInt(b, int64(r.DaysPastDue), 10)
	return append(b, '}'), nil
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

// Record adds a payment to the account and returns the standing on the
// payment's date, with the subscription's status as the payments now
// leave it (a suspension is derived from the payments; see
// [Suspensions]). The amount is recorded rounded to the currency's minor
// units with the plan's rounding (a JPY payment written 31.60 is 32), so
// that paid, due and arrears always add up. A refused payment changes
// nothing; sub is never changed.
func (a *Account) Record(sub *plan.Subscription, p Payment) (Standing, error) {
	if err := sub.Validate(); err != nil {
		return Standing{}, err
	}
	if err := p.validate(); err != nil {
		return Standing{}, err
	}
	p.Amount = sub.Terms.Currency().Round(p.Amount, sub.Terms.Rounding())
	a.Payments = append(a.Payments, p)
	return a.standing(sub, schedule(sub), p.Date), nil
}

// Standing returns the account's figures on d, with the subscription's
// status on d as its termination and the payments leave it.
func (a *Account) Standing(sub *plan.Subscription, d plan.Date) (Standing, error) {
	if d.IsZero() {
		return Standing{}, &plan.ValidationError{Path: "date", Reason: "is missing; want a date YYYY-MM-DD"}
	}
	if err := sub.Validate(); err != nil {
		return Standing{}, err
	}
	return a.standing(sub, schedule(sub), d), nil
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
	derived := *sub
	derived.Suspensions = suspensions(sub, s, a.Payments)
	st := Standing{Currency: s.Currency, Date: d, Paid: paid(a.Payments, d), Due: dueBy(sub, s, d), Status: derived.StatusOn(d)}
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
	if k, ok := oldestUncovered(sub, s, st.Paid); ok && !s.Installments[k].Due.After(d) {
		dn := sub.Terms.Dunning()
		st.OverdueSince = s.Installments[k].Due
		st.DaysPastDue = d.Sub(st.OverdueSince)
		st.PastDue = dn.PastDueAfter.Exceeded(st.DaysPastDue)
		st.CancelDue = dn.CancelAfter.Exceeded(st.DaysPastDue)
		for _, r := range dn.RetryDays {
			st.RetryDates = append(st.RetryDates, st.OverdueSince.AddDays(r))
		}
	}
	return st
}

// oldestUncovered is the first installment that taken payments adding up
// to paid do not cover, applied oldest first (installment i is covered
// when paid is at least installments 0..i), leaving out those a
// termination cancelled; false when paid covers them all.
func oldestUncovered(sub *plan.Subscription, s Schedule, paid decimal.Decimal) (int, bool) {
	var cum decimal.Decimal
	for i, in := range s.Installments {
		if t := sub.Termination; t != nil && in.Due.After(t.Date) {
			break
		}
		cum = cum.Add(in.Amount)
		if cum.GreaterThan(paid) {
			return i, true
		}
	}
	return 0, false
}

// Suspensions works out the periods a subscription is suspended for from
// its payments, in the order they were recorded: after the plan's
// suspendAfterFailures failed payments in a row it is suspended from the
// date of the last of them; a taken payment resets the count, and one that
// leaves no arrears as of its own date (counting the payments recorded up
// to it) ends the suspension on that date. A payment dated before the
// suspension began is judged as of the suspension's first day, so that a
// back-dated payment cannot erase a suspension it does not clear.
//
// With the plan's dunning.suspendAfterDays it is also suspended on every
// date more than that many days past due (see [Standing]); that rule
// suspends a subscription that has no payment at all, once its first
// installment is overdue long enough.
//
// The periods are derived, never stored: the owner of a subscription sets
// its Suspensions from them when it starts and after each payment or
// termination, so that package allowance sees them in a quote.
func Suspensions(sub *plan.Subscription, payments []Payment) ([]plan.Period, error) {
	if err := sub.Validate(); err != nil {
		return nil, err
	}
	if !sub.Terms.Dunning().SuspendAfter.Set &&
		(sub.Terms.SuspendAfterFailures() == 0 || !slices.ContainsFunc(payments, func(p Payment) bool { return p.Status == Failed })) {
		return nil, nil // neither rule can suspend: the schedule is not needed
	}
	return suspensions(sub, schedule(sub), payments), nil
}

// suspensions is the union of the periods the failure-count rule and the
// days-past-due rule give: a date is suspended when either says so.
func suspensions(sub *plan.Subscription, s Schedule, payments []Payment) []plan.Period {
	return union(failureSuspensions(sub, s, payments), overdueSuspensions(sub, s, payments))
}

func failureSuspensions(sub *plan.Subscription, s Schedule, payments []Payment) []plan.Period {
	n := sub.Terms.SuspendAfterFailures()
	if n == 0 || !slices.ContainsFunc(payments, func(p Payment) bool { return p.Status == Failed }) {
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

// overdueSuspensions are the dates the plan's suspendAfterDays suspends:
// every date d whose days past due exceed it, a function of the date and
// of every taken payment recorded (so a back-dated payment recorded later
// can shorten a period). Between two dates on which taken payments were
// made, what is covered does not change, so neither does the oldest
// overdue installment k: the stretch is suspended from k's due date plus
// suspendAfterDays plus one.
func overdueSuspensions(sub *plan.Subscription, s Schedule, payments []Payment) []plan.Period {
	th := sub.Terms.Dunning().SuspendAfter
	if !th.Set || len(s.Installments) == 0 {
		return nil
	}
	var dates []plan.Date
	for _, p := range payments {
		if p.Status == Taken {
			dates = append(dates, p.Date)
		}
	}
	slices.SortFunc(dates, plan.Date.Compare)
	dates = slices.Compact(dates)
	var out []plan.Period
	from := s.Installments[0].Due // nothing is overdue before the first due date
	for i := 0; i <= len(dates); i++ {
		var to plan.Date // zero: open
		if i < len(dates) {
			to = dates[i]
		}
		if i > 0 {
			from = dates[i-1]
		}
		if !to.IsZero() && !to.After(from) {
			continue
		}
		k, ok := oldestUncovered(sub, s, paid(payments, from))
		if !ok {
			continue
		}
		start := s.Installments[k].Due.AddDays(th.Days + 1)
		if start.Before(from) {
			start = from
		}
		if to.IsZero() || start.Before(to) {
			out = append(out, plan.Period{From: start, To: to})
		}
	}
	return union(out, nil)
}

// union merges two lists of periods into one, in order, with no two
// overlapping or touching; a zero To is open.
func union(a, b []plan.Period) []plan.Period {
	all := append(append([]plan.Period(nil), a...), b...)
	if len(all) == 0 {
		return nil
	}
	slices.SortFunc(all, func(x, y plan.Period) int { return x.From.Compare(y.From) })
	out := []plan.Period{all[0]}
	for _, p := range all[1:] {
		last := &out[len(out)-1]
		switch {
		case last.To.IsZero():
			// open: it covers everything after it
		case p.From.After(last.To):
			out = append(out, p)
		case p.To.IsZero() || p.To.After(last.To):
			last.To = p.To
		}
	}
	return out
}

// AppendJSON appends the account's payments as a JSON array, in the order
// they were recorded: [{"date", "amount", "status"}], amounts with exactly
// c's minor units. The same payments always write the same bytes.
func (a *Account) AppendJSON(dst []byte, c plan.Currency) []byte {
	b := append(dst, '[')
	places := c.MinorUnits()
	for i, p := range a.Payments {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"date":"`...)
		b, _ = p.Date.AppendText(b)
		b = append(b, `","amount":"`...)
		if m, ok := num.ToMinor(p.Amount, places); ok {
			b = num.AppendMinor(b, m, places)
		} else {
			b = append(b, c.Format(p.Amount)...)
		}
		b = append(b, `","status":"`...)
		b = append(b, p.Status.String()...)
		b = append(b, `"}`...)
	}
	return append(b, ']')
}

// DecodeAccount reads payments as AppendJSON writes them, for sub: each a
// valid date, an amount within bounds in whole minor units of sub's
// currency (as recorded) and a status taken or failed. Every problem is
// reported at once, each a *plan.ValidationError with its JSON path
// ("[3].amount").
func DecodeAccount(sub *plan.Subscription, data []byte) (Account, error) {
	s := wire.NewScanner(string(data), "")
	a, err := ReadAccount(s, sub)
	if err != nil {
		return Account{}, err
	}
	s.End()
	if err := s.Result(); err != nil {
		return Account{}, err
	}
	return a, nil
}

// ReadAccount reads payments, as DecodeAccount does, from the scanner of
// a larger document they are part of (a contract's "payments"). Problems
// go to the scanner, with their paths in the larger document; the account
// is only good when the scanner records none.
func ReadAccount(s *wire.Scanner, sub *plan.Subscription) (Account, error) {
	if err := sub.Validate(); err != nil {
		return Account{}, err
	}
	var a Account
	places := sub.Terms.Currency().MinorUnits()
	if s.Array("an array of payments") {
		for s.Next() {
			if p, ok := readPayment(s, places); ok {
				a.Payments = append(a.Payments, p)
			}
		}
	}
	return a, nil
}

func readPayment(s *wire.Scanner, places int32) (Payment, bool) {
	if !s.Object("a payment {\"date\", \"amount\", \"status\"}") {
		return Payment{}, false
	}
	var p Payment
	var seen [3]bool
	good := true
	fields := [3]string{"date", "amount", "status"}
	for {
		k, ok := s.Key()
		if !ok {
			break
		}
		f := -1
		for i, name := range fields {
			if k == name {
				f = i
			}
		}
		switch {
		case f < 0:
			s.Unknown(k, "a payment", fields[:]...)
			good = false
			continue
		case seen[f]:
			s.Duplicate(k)
			good = false
			continue
		}
		seen[f] = true
		switch f {
		case 0:
			v, ok := s.String()
			d, err := plan.ParseDate(v)
			if ok && err != nil {
				s.Report(v, "is not a valid date; want YYYY-MM-DD")
			}
			p.Date, good = d, good && ok && err == nil
		case 1:
			v, ok := s.Decimal()
			if !ok {
				good = false
				continue
			}
			if m, fits := num.ParseMinor(v, places); fits && m >= 0 && m < 1_000_000_000_000*num.Pow10(int(places)) {
				p.Amount = num.FromMinor(m, places) // within plan.CheckAmount's bounds
				continue
			}
			x, err := num.Parse(v)
			switch {
			case err != nil:
				s.Report(v, err.Error()+"; want an amount such as \"15.00\"")
				good = false
			case plan.CheckAmount("amount", x) != nil || num.Places(x) > places:
				s.Report(v, fmt.Sprintf("is not a recorded payment; want 0 <= amount < 1000000000000 in whole minor units (%d decimal places)", places))
				good = false
			default:
				p.Amount = x
			}
		case 2:
			v, ok := s.String()
			st, err := ParsePaymentStatus(v)
			if ok && err != nil {
				s.Report(v, "is not a payment status; want taken or failed")
			}
			p.Status, good = st, good && ok && err == nil
		}
	}
	for i, name := range fields {
		if !seen[i] {
			s.Report("", fmt.Sprintf("has no %q; a payment has a date, an amount and a status", name))
			good = false
		}
	}
	return p, good
}
