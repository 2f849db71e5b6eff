package plan

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Patient is the pet a subscription is for.
type Patient struct {
	ID      string
	Species string
	// WeightKg is the current weight; ExpectedAdultWeightKg, when known,
	// is what weight bands are judged on, since a puppy's plan runs for its
	// whole term.
	WeightKg              decimal.NullDecimal
	ExpectedAdultWeightKg decimal.NullDecimal
	BirthDate             Date
}

// PaymentOption is how the client pays.
type PaymentOption uint8

const (
	// Monthly: the practice invoices each installment.
	Monthly PaymentOption = iota
	// Auto: card or direct-debit collection by a provider.
	Auto
	// External: a third-party billing company collects.
	External
	// Manual: the practice raises invoices by hand.
	Manual
	// Advance: the whole term is paid up front in one installment.
	Advance
)

var paymentNames = [...]string{"monthly", "auto", "external", "manual", "advance"}

// String is the option's JSON name.
func (p PaymentOption) String() string {
	if int(p) < len(paymentNames) {
		return paymentNames[p]
	}
	return fmt.Sprintf("PaymentOption(%d)", uint8(p))
}

// ParsePaymentOption reads an option's JSON name.
func ParsePaymentOption(s string) (PaymentOption, error) {
	for i, n := range paymentNames {
		if s == n {
			return PaymentOption(i), nil
		}
	}
	return 0, fmt.Errorf("unknown payment option %q; want monthly, auto, external, manual or advance", s)
}

// Status is where a subscription stands on a date.
type Status uint8

const (
	Pending   Status = iota // the start date is still to come
	Active                  // running, with discounts
	Suspended               // payments failed: no discounts until the arrears are paid
	Ended                   // the term is complete
	Cancelled               // terminated early, for any reason
)

var statusNames = [...]string{"pending", "active", "suspended", "ended", "cancelled"}

// String is the status's JSON name.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Period is a span of dates from From (inclusive) to To (exclusive); the
// zero To leaves it open.
type Period struct {
	From Date
	To   Date
}

// Contains reports whether d is in the period.
func (p Period) Contains(d Date) bool {
	return !d.Before(p.From) && (p.To.IsZero() || d.Before(p.To))
}

// Termination records how a subscription ended early or at its term.
type Termination struct {
	Date   Date
	Reason string
}

// ReasonExpired is the termination reason for a subscription that ran its
// whole term.
const ReasonExpired = "expired"

// Subscription is one patient's contract: the client, the start date, how
// they pay, and the Terms they were sold. It also carries the two things
// that change its discounts over time, which its owner keeps up to date:
// the periods it is suspended for unpaid installments (package billing
// derives them from the payments) and its termination (package debt
// settles it). The library never writes into a Subscription it is handed;
// healthplan.Contract is the owner that keeps all of this consistent.
type Subscription struct {
	ID      string
	Client  string
	Patient Patient
	Start   Date
	Payment PaymentOption
	// Interval is how often installments fall due (the zero value is
	// Month); advance payment ignores it.
	Interval Interval
	// MultiPet is set when the client already had another active
	// subscription on the start date: the plan's multi-pet discount then
	// comes off each installment.
	MultiPet bool
	Terms    *Terms
	// Suspensions are the periods without discounts, in order.
	Suspensions []Period
	// Termination is set once the subscription has ended; it then grants
	// no discounts.
	Termination *Termination
}

// Enrollment is what it takes to start a subscription on a plan: the part
// of a subscription that never changes.
type Enrollment struct {
	ID       string
	Client   string
	Patient  Patient
	Start    Date
	Payment  PaymentOption
	Interval Interval
	MultiPet bool
}

// errSubscriptionJSON is why a subscription has no JSON of its own.
var errSubscriptionJSON = errors.New("plan: a subscription has no JSON document of its own: store its contract (healthplan.Contract's document), or its Enrollment")

// MarshalJSON refuses: a subscription's state is stored as its contract's
// document, which names the terms by reference and derives the
// suspensions, and what never changes is its [Enrollment]'s JSON. Without
// this, encoding/json would write Go field names and no terms, a document
// nothing reads back.
func (s Subscription) MarshalJSON() ([]byte, error) { return nil, errSubscriptionJSON }

// UnmarshalJSON refuses, as MarshalJSON does.
func (s *Subscription) UnmarshalJSON([]byte) error { return errSubscriptionJSON }

// Enrollment returns the part of the subscription it was started with.
func (s *Subscription) Enrollment() Enrollment {
	return Enrollment{ID: s.ID, Client: s.Client, Patient: s.Patient, Start: s.Start, Payment: s.Payment,
		Interval: s.Interval, MultiPet: s.MultiPet}
}

// ErrOutsideSaleWindow is wrapped by the error Subscribe returns when the
// start date is outside the plan's sale window.
var ErrOutsideSaleWindow = errors.New("outside the plan's sale window")

// ErrUnpricedInterval is wrapped by the error Subscribe returns when the
// plan does not price the enrollment's installment interval.
var ErrUnpricedInterval = errors.New("installment interval the plan does not price")

// Subscribe starts a subscription on these terms. It refuses a start date
// outside the plan's sale window (availableFrom..availableTo); eligibility
// (species, weight, age) is advice and is not checked here.
func (t *Terms) Subscribe(in Enrollment) (*Subscription, error) {
	if t.IsZero() {
		return nil, ErrZeroTerms
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	if !t.OnSale(in.Start) {
		return nil, &ValidationError{Path: "start", Value: in.Start.String(), Err: ErrOutsideSaleWindow,
			Reason: fmt.Sprintf("is outside plan %q's sale window %s; a new subscription must start within it", t.plan.ID, t.SaleWindow())}
	}
	if _, ok := t.Fee(in.Interval); !ok {
		return nil, &ValidationError{Path: "interval", Value: in.Interval.String(), Err: ErrUnpricedInterval,
			Reason: fmt.Sprintf("is not an interval plan %q prices; want one of %s", t.plan.ID, strings.Join(t.Intervals(), ", "))}
	}
	return &Subscription{ID: in.ID, Client: in.Client, Patient: in.Patient, Start: in.Start,
		Payment: in.Payment, Interval: in.Interval, MultiPet: in.MultiPet, Terms: t}, nil
}

// OnSale reports whether a new subscription may start on d.
func (t *Terms) OnSale(d Date) bool {
	p := &t.plan
	return (p.AvailableFrom.IsZero() || !d.Before(p.AvailableFrom)) &&
		(p.AvailableTo.IsZero() || !d.After(p.AvailableTo))
}

// SaleWindow writes the plan's sale window, as "2026-01-01..2026-12-31".
func (t *Terms) SaleWindow() string {
	from, to := "(open)", "(open)"
	if !t.plan.AvailableFrom.IsZero() {
		from = t.plan.AvailableFrom.String()
	}
	if !t.plan.AvailableTo.IsZero() {
		to = t.plan.AvailableTo.String()
	}
	return from + ".." + to
}

// Validate checks the enrollment's own fields and reports every problem at
// once: the id and start date are required, the payment option must be
// one of the five, and the patient's weights are amounts.
func (in Enrollment) Validate() error {
	var e errs
	in.validate(&e)
	return e.err()
}

func (in Enrollment) validate(e *errs) {
	if in.ID == "" {
		e.add("id", "", "is missing; want a non-empty subscription id")
	}
	if in.Start.IsZero() {
		e.add("start", "", "is missing; want a date YYYY-MM-DD")
	}
	if in.Payment > Advance {
		e.add("payment", in.Payment.String(), "is not a payment option; want monthly, auto, external, manual or advance")
	}
	if in.Interval > FourWeeks {
		e.add("interval", in.Interval.String(), "is not an interval; want month, quarter, year or 4weeks")
	}
	in.Patient.validate(e, "patient")
}

// Validate checks the subscription's own fields (its Terms were checked
// when they were built) and reports every problem at once.
func (s *Subscription) Validate() error {
	if s == nil {
		return &ValidationError{Path: "subscription", Reason: "is nil"}
	}
	var e errs
	s.Enrollment().validate(&e)
	if s.Terms.IsZero() {
		e.list = append(e.list, &ValidationError{Path: "terms", Reason: "are missing; build them with Catalog.Terms or NewTerms", Err: ErrZeroTerms})
	}
	for i, p := range s.Suspensions {
		if p.From.IsZero() {
			e.add(fmt.Sprintf("suspensions[%d].from", i), "", "is missing; want a date")
		}
	}
	if s.Termination != nil {
		if s.Termination.Date.IsZero() {
			e.add("termination.date", "", "is missing; want a date")
		}
		if s.Termination.Reason == "" {
			e.add("termination.reason", "", "is missing; want a reason such as cancelled")
		}
	}
	return e.err()
}

// End is the last day of the term: start.AddMonths(termMonths) - 1 day.
func (s *Subscription) End() Date {
	return s.Start.AddMonths(s.Terms.plan.TermMonths).AddDays(-1)
}

// LastCoveredDay is the last day allowances may be used: the end of the
// term plus the plan's grace days.
func (s *Subscription) LastCoveredDay() Date {
	return s.End().AddDays(s.Terms.plan.GraceDays)
}

// Day is d's day offset: the number of days since the start date (day 0).
func (s *Subscription) Day(d Date) int { return d.Sub(s.Start) }

// SuspendedOn returns the suspension period d falls in, if any.
func (s *Subscription) SuspendedOn(d Date) (Period, bool) {
	for _, p := range s.Suspensions {
		if p.Contains(d) {
			return p, true
		}
	}
	return Period{}, false
}

// StatusOn is the subscription's status on d. Once terminated, a
// subscription is cancelled (or ended, for reason expired) whatever the
// date asked about: the termination settled the contract, as it stops
// every discount. Otherwise it is pending before the start, ended after
// the term, suspended in a suspension period, or active.
func (s *Subscription) StatusOn(d Date) Status {
	if t := s.Termination; t != nil {
		if t.Reason == ReasonExpired {
			return Ended
		}
		return Cancelled
	}
	switch {
	case d.Before(s.Start):
		return Pending
	case d.After(s.End()):
		return Ended
	}
	if _, ok := s.SuspendedOn(d); ok {
		return Suspended
	}
	return Active
}
