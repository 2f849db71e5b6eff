package debt

import (
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// Statement is what a client can be handed about a subscription on a date:
// what the plan has saved them, what is left to use, what they have paid
// and owe, and what cancelling today would cost.
type Statement struct {
	Subscription string
	Client       string
	Patient      string
	Plan         string
	Currency     plan.Currency
	Date         plan.Date
	Status       plan.Status
	// Start and End bound the term; Payment and Interval are how it is
	// paid.
	Start, End plan.Date
	Payment    plan.PaymentOption
	Interval   plan.Interval
	// Savings is the discount given on lines dated on or before Date (not
	// reversed), in all groups; Groups breaks it down in the catalog's
	// order.
	Savings decimal.Decimal
	Groups  []GroupSavings
	// Entitlements is where every rule stands on Date.
	Entitlements allowance.Entitlements
	// ContractTotal, Paid, Due and Arrears are the account's figures on
	// Date; NextDue is the next installment's date (zero when none).
	ContractTotal, Paid, Due, Arrears decimal.Decimal
	NextDue                           plan.Date
	// DaysPastDue and OverdueSince say since when the oldest unpaid
	// installment is overdue (zero when none is).
	DaysPastDue  int
	OverdueSince plan.Date
	// CostToCancel is the settlement if the client cancelled on Date; nil
	// once the subscription is terminated, when Termination says how it
	// ended.
	CostToCancel *Settlement
	Termination  *plan.Termination
	// Ended is the settlement the termination made, with its repayment
	// plan if one was agreed: set by the subscription's owner, which
	// keeps it (healthplan.Contract does).
	Ended *Settlement
}

// GroupSavings is one treatment group's share of the savings.
type GroupSavings struct {
	Group    string
	Name     string
	Core     bool
	Discount decimal.Decimal
	// Units is the allowance units discounted.
	Units decimal.Decimal
}

// StatementOn builds the client statement of sub on d. It changes nothing.
func StatementOn(sub *plan.Subscription, l *allowance.Ledger, a *billing.Account, d plan.Date) (Statement, error) {
	if err := sub.Validate(); err != nil {
		return Statement{}, err
	}
	if d.IsZero() {
		return Statement{}, &plan.ValidationError{Path: "date", Reason: "is missing; want the statement's date YYYY-MM-DD"}
	}
	t := sub.Terms
	st := Statement{Subscription: sub.ID, Client: sub.Client, Patient: sub.Patient.ID, Plan: t.PlanID(),
		Currency: t.Currency(), Date: d, Start: sub.Start, End: sub.End(),
		Payment: sub.Payment, Interval: sub.Interval, Termination: sub.Termination}
	reds, err := l.Redemptions(sub)
	if err != nil {
		return Statement{}, err
	}
	byGroup := map[string]*GroupSavings{}
	for _, r := range reds {
		if r.Date.After(d) {
			continue
		}
		g, ok := byGroup[r.Group]
		if !ok {
			info, _ := t.Group(r.Group)
			g = &GroupSavings{Group: info.ID, Name: info.Name, Core: info.Core}
			byGroup[r.Group] = g
		}
		g.Discount = g.Discount.Add(r.Discount)
		g.Units = g.Units.Add(r.Units)
		st.Savings = st.Savings.Add(r.Discount)
	}
	for _, id := range t.GroupIDs() {
		if g, ok := byGroup[id]; ok {
			st.Groups = append(st.Groups, *g)
		}
	}
	// These check what was checked above (sub is valid, d is set, and
	// Redemptions found the ledger to be sub's): they cannot fail.
	st.Entitlements, _ = l.Entitlements(sub, d)
	sched, _ := billing.ScheduleFor(sub)
	standing, _ := a.Standing(sub, d)
	st.ContractTotal, st.Paid, st.Due, st.Arrears, st.NextDue = sched.Total, standing.Paid, standing.Due, standing.Arrears, standing.NextDue
	st.DaysPastDue, st.OverdueSince = standing.DaysPastDue, standing.OverdueSince
	st.Status = standing.Status // judged on the suspensions the payments give
	if sub.Termination == nil {
		s := settle(sub, reds, sched.Total, standing.Paid, Notice{Date: d, Reason: "cancelled"})
		st.CostToCancel = &s
	}
	return st, nil
}
