package allowance

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/wire"
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

// Entitlements is where every rule of a subscription's plan stands on a
// date, in plan order.
type Entitlements struct {
	Date  plan.Date
	Rules []Entitlement
}

// Entitlements lists every rule of the subscription's plan, in plan order,
// with its usage and its status on d: expired when d is after the window's
// last date (or the window lies wholly after the last covered day), else
// exhausted when nothing remains, else upcoming before the window opens,
// else available.
func (l *Ledger) Entitlements(sub *plan.Subscription, d plan.Date) (Entitlements, error) {
	if err := l.check(sub); err != nil {
		return Entitlements{}, err
	}
	if d.IsZero() {
		return Entitlements{}, &plan.ValidationError{Path: "date", Reason: "is missing; want a date YYYY-MM-DD"}
	}
	ix := l.rulesFor(sub)
	last := sub.LastCoveredDay()
	out := make([]Entitlement, len(ix.rules))
	for i := range out {
		r := &ix.rules[i]
		e := Entitlement{Rule: r.id, Group: r.group, Discount: r.discount, Allowed: r.limit,
			Used: num.FromMicro(l.usedOf(i)),
			From: sub.Start.AddDays(r.start), To: sub.Start.AddDays(r.end)}
		if e.To.After(last) {
			e.To = last
		}
		exhausted := false
		if !r.limit.IsUnlimited() {
			left := r.allowed - l.usedOf(i)
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
	return Entitlements{Date: d, Rules: out}, nil
}

// MarshalJSON writes {"rules": [...]}, each rule as [Entitlement.MarshalJSON]
// writes it.
func (es Entitlements) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, 16+160*len(es.Rules)), `{"rules":[`...)
	for i := range es.Rules {
		if i > 0 {
			b = append(b, ',')
		}
		b = es.Rules[i].appendJSON(b)
	}
	return append(b, "]}"...), nil
}

// MarshalJSON writes {"rule", "group", "allowed", "used", "remaining",
// "from", "to", "status"}: allowed, used and remaining as decimal strings
// ("3", "1.5") or "unlimited".
func (e Entitlement) MarshalJSON() ([]byte, error) { return e.appendJSON(nil), nil }

func (e *Entitlement) appendJSON(b []byte) []byte {
	b = append(b, `{"rule":`...)
	b = wire.AppendString(b, e.Rule)
	b = append(b, `,"group":`...)
	b = wire.AppendString(b, e.Group)
	b = append(b, `,"allowed":`...)
	b = wire.AppendString(b, e.Allowed.String())
	b = append(b, `,"used":`...)
	b = wire.AppendString(b, num.Format(e.Used))
	b = append(b, `,"remaining":`...)
	b = wire.AppendString(b, remainingText(e.Allowed, e.Remaining))
	b = append(b, `,"from":"`...)
	b, _ = e.From.AppendText(b)
	b = append(b, `","to":"`...)
	b, _ = e.To.AppendText(b)
	b = append(b, `","status":"`...)
	b = append(b, e.Status.String()...)
	return append(b, `"}`...)
}
