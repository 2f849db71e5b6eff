package allowance

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/plan"
)

// Entitlement is where one rule stands on a date: what the practice's
// screen shows next to the plan's heart icon, and what a client statement
// prints.
type Entitlement struct {
	Rule     string
	Group    string
	Discount plan.Discount
	Allowed  plan.Limit
	Used     decimal.Decimal
	// Remaining is Allowed − Used; zero when Allowed is unlimited.
	Remaining decimal.Decimal
	// From and To are the rule's window as calendar dates, To clipped to
	// the last covered day (the term plus its grace days).
	From, To plan.Date
	Status   Status
}

// Status is an entitlement's standing on a date.
type Status uint8

const (
	// Available: the date is in the window and units remain.
	Available Status = iota
	// Upcoming: the window has not opened yet.
	Upcoming
	// Exhausted: nothing remains (an unlimited rule never is).
	Exhausted
	// Expired: the window has closed, or lies wholly after the last
	// covered day.
	Expired
)

var statusNames = [...]string{"available", "upcoming", "exhausted", "expired"}

// String is the status's JSON name.
func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return fmt.Sprintf("Status(%d)", uint8(s))
}

// Entitlements lists every rule of the subscription's plan, in plan order,
// with its usage and its status on d: expired when d is after the window's
// last date (or the window lies wholly after the last covered day), else
// exhausted when nothing remains, else upcoming before the window opens,
// else available.
func (l *Ledger) Entitlements(sub *plan.Subscription, d plan.Date) ([]Entitlement, error) {
	if err := l.check(sub); err != nil {
		return nil, err
	}
	if d.IsZero() {
		return nil, &plan.ValidationError{Path: "date", Reason: "is missing; want a date YYYY-MM-DD"}
	}
	t := sub.Terms
	last := sub.LastCoveredDay()
	out := make([]Entitlement, t.NumRules())
	for i := range out {
		r := t.Rule(i)
		e := Entitlement{Rule: r.ID, Group: r.Group, Discount: r.Discount, Allowed: r.Allowed,
			Used: num.FromMicro(l.usedOf(i)),
			From: sub.Start.AddDays(r.StartDay), To: sub.Start.AddDays(r.EndDay)}
		if e.To.After(last) {
			e.To = last
		}
		exhausted := false
		if !r.Allowed.IsUnlimited() {
			left := r.Allowed.Units()*micro - l.usedOf(i)
			e.Remaining = num.FromMicro(left)
			exhausted = left <= 0
		}
		switch {
		case e.From.After(e.To) || d.After(e.To):
			e.Status = Expired
		case exhausted:
			e.Status = Exhausted
		case d.Before(e.From):
			e.Status = Upcoming
		default:
			e.Status = Available
		}
		out[i] = e
	}
	return out, nil
}
