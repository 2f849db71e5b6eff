package healthplan

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// Contract is one subscription's whole state: the enrollment and the
// terms it was sold on, the usage of its allowances, its payments, its
// termination and its renewal link, with a revision that counts its
// changes. It is the unit a host loads before an operation and stores
// after it ([Load], [Contract.MarshalJSON]).
//
// An operation changes the contract only when it succeeds, and then raises
// the revision by exactly one: a commit that records something, a
// reversal, an adjustment, a payment, a termination, a renewal. Quotes,
// previews, standings, statements and the idempotent replay of a committed
// visit change nothing. Errors are the lower packages' own: a
// *plan.ValidationError naming the field, reachable with errors.As, and
// their sentinels (allowance.ErrLineConflict, debt.ErrTerminated, ...),
// reachable with errors.Is.
//
// A Contract is not safe for concurrent use: a host gives each request its
// own, loaded from the stored document, and stores the result with
// compare-and-swap on the revision (see the package documentation).
type Contract struct {
	sub     plan.Subscription
	ledger  *allowance.Ledger
	account billing.Account
	// settlement is what the termination settled, when there is one.
	settlement *debt.Settlement
	renewedAs  string
	revision   int64
}

// New sells a subscription on terms: it starts the contract of enrollment
// in, refusing a start outside the plan's sale window, with no usage and
// no payments, at revision 0.
func New(terms *plan.Terms, in plan.Enrollment) (*Contract, error) {
	sub, err := terms.Subscribe(in)
	if err != nil {
		return nil, err
	}
	return newContract(sub)
}

func newContract(sub *plan.Subscription) (*Contract, error) {
	l, err := allowance.NewLedger(sub)
	if err != nil {
		return nil, err
	}
	c := &Contract{sub: *sub, ledger: l}
	c.deriveSuspensions() // an installment unpaid long enough suspends, payments or not
	return c, nil
}

// ID is the subscription's id.
func (c *Contract) ID() string { return c.sub.ID }

// Revision counts the changes made to the contract since it was sold.
func (c *Contract) Revision() int64 { return c.revision }

// Terms are the terms the contract was sold on.
func (c *Contract) Terms() *plan.Terms { return c.sub.Terms }

// Ref is the reference to the contract's terms that its document carries.
func (c *Contract) Ref() TermsRef { return RefOf(c.sub.Terms) }

// Subscription returns a copy of the subscription, with its suspension
// periods and its termination as the contract's state gives them.
func (c *Contract) Subscription() plan.Subscription {
	s := c.sub
	s.Suspensions = append([]plan.Period(nil), s.Suspensions...)
	if t := s.Termination; t != nil {
		cp := *t
		s.Termination = &cp
	}
	return s
}

// Enrollment is what the contract was sold with.
func (c *Contract) Enrollment() plan.Enrollment { return c.sub.Enrollment() }

// Payments returns a copy of the payments recorded, in order.
func (c *Contract) Payments() []billing.Payment {
	return append([]billing.Payment(nil), c.account.Payments...)
}

// Settlement returns what the termination settled, and false while the
// contract has not been terminated.
func (c *Contract) Settlement() (debt.Settlement, bool) {
	if c.settlement == nil {
		return debt.Settlement{}, false
	}
	return *c.settlement, true
}

// RenewedAs is the id of the contract that renewed this one, "" when it
// has not been renewed.
func (c *Contract) RenewedAs() string { return c.renewedAs }

// Lines is the number of invoice lines committed (reversed ones included).
func (c *Contract) Lines() int { return c.ledger.Len() }

// Quote prices a visit without recording anything: what the invoice
// screen shows. Lines already committed give their recorded result.
func (c *Contract) Quote(v allowance.Visit) (allowance.Result, error) {
	return c.ledger.Quote(&c.sub, v)
}

// Commit prices a visit and records its redemptions, giving exactly what
// Quote gives on the same contract. Lines already committed with the same
// content give their recorded result and consume nothing more; a line
// committed with different content refuses the whole visit
// (allowance.ErrLineConflict). A reversed line committed again is a new
// redemption, priced on that day's allowances. The revision rises by one
// when the visit recorded something new.
func (c *Contract) Commit(v allowance.Visit) (allowance.Result, error) {
	before := c.ledger.Len()
	res, err := c.ledger.Commit(&c.sub, v)
	if err == nil && c.ledger.Len() != before {
		c.revision++
	}
	return res, err
}

// Redemptions lists what the live (not reversed) lines took from each
// rule, in the order they were committed: the itemisation behind the
// entitlements and a settlement.
func (c *Contract) Redemptions() ([]allowance.Redemption, error) {
	return c.ledger.Redemptions(&c.sub)
}

// Reverse undoes a committed line (a credit note): its units go back to
// the rules that covered it, and its value leaves what a settlement
// counts.
func (c *Contract) Reverse(invoice, line string) (allowance.Reversal, error) {
	r, err := c.ledger.Reverse(&c.sub, invoice, line)
	if err == nil {
		c.revision++
	}
	return r, err
}

// Adjust records usage from another system ("these were already used"):
// units added to a rule's used (taken back when negative), with no money.
func (c *Contract) Adjust(rule string, units decimal.Decimal) (allowance.Adjustment, error) {
	a, err := c.ledger.Adjust(&c.sub, rule, units)
	if err == nil {
		c.revision++
	}
	return a, err
}

// Pay records a payment, taken or failed, and returns the standing on its
// date; the suspension periods the payments give are the contract's from
// then on.
func (c *Contract) Pay(p billing.Payment) (billing.Standing, error) {
	st, err := c.account.Record(&c.sub, p)
	if err != nil {
		return billing.Standing{}, err
	}
	c.deriveSuspensions()
	c.revision++
	return st, nil
}

func (c *Contract) deriveSuspensions() {
	periods, err := billing.Suspensions(&c.sub, c.account.Payments)
	if err != nil {
		// The subscription was validated when the contract was made.
		panic("healthplan: " + err.Error())
	}
	c.sub.Suspensions = periods
}

// Standing is where the account stands on d: paid, due, arrears, the next
// installment and the status.
func (c *Contract) Standing(d plan.Date) (billing.Standing, error) {
	return c.account.Standing(&c.sub, d)
}

// Entitlements is where every rule stands on d.
func (c *Contract) Entitlements(d plan.Date) (allowance.Entitlements, error) {
	return c.ledger.Entitlements(&c.sub, d)
}

// Schedule is the contract as signed: its installments and total.
func (c *Contract) Schedule() billing.Schedule {
	s, err := billing.ScheduleFor(&c.sub)
	if err != nil {
		panic("healthplan: " + err.Error()) // validated when the contract was made
	}
	return s
}

// Statement is what a client can be handed on d: savings, what is left to
// use, what was paid and is due, and the cost to cancel that day.
func (c *Contract) Statement(d plan.Date) (debt.Statement, error) {
	st, err := debt.StatementOn(&c.sub, c.ledger, &c.account, d)
	if err == nil && c.settlement != nil {
		s := *c.settlement
		st.Ended = &s
	}
	return st, err
}

// Settle is the settlement if the contract ended as n says, changing
// nothing: the cost to cancel on that date. Terminate on the same contract
// gives exactly the same settlement.
func (c *Contract) Settle(n debt.Notice) (debt.Settlement, error) {
	return debt.Settle(&c.sub, c.ledger, &c.account, n)
}

// Terminate ends the contract as n says and returns its settlement: from
// then on it grants no discounts, installments due after the date are
// cancelled, and payments can still be recorded. A contract is terminated
// once (debt.ErrTerminated).
func (c *Contract) Terminate(n debt.Notice) (debt.Settlement, error) {
	s, t, err := debt.Terminate(&c.sub, c.ledger, &c.account, n)
	if err != nil {
		return debt.Settlement{}, err
	}
	c.sub.Termination = &t
	c.settlement = &s
	c.deriveSuspensions() // installments after the date no longer fall due
	c.revision++
	return s, nil
}

// ErrRenewed is wrapped when a contract that was renewed already is
// renewed again.
var ErrRenewed = errors.New("contract already renewed")

// Renewal is what renewing a contract gives: the next contract, and the
// ways the patient no longer fits its plan.
type Renewal struct {
	Contract *Contract
	// Warnings are eligibility reasons; they do not stop the renewal.
	Warnings []string
}

// Renew starts the contract that follows this one, with id as its id, on
// next (the terms of billing.NextPlan for this subscription, at that plan's
// current prices): it starts the day after the term ends, with fresh
// allowances and nothing carried over, through the same path as a sale.
// patient is the patient as they are now (the zero Patient keeps this
// contract's). This contract records the renewal; a contract renews once,
// and one terminated early does not renew (billing.ErrNotRenewable).
func (c *Contract) Renew(next *plan.Terms, id string, patient plan.Patient) (Renewal, error) {
	if c.renewedAs != "" {
		return Renewal{}, &plan.ValidationError{Path: "subscription", Value: c.sub.ID, Err: errors.Join(ErrRenewed, billing.ErrNotRenewable),
			Reason: fmt.Sprintf("was renewed already, as %q", c.renewedAs)}
	}
	sub, warnings, err := billing.Renew(&c.sub, next, id, patient)
	if err != nil {
		return Renewal{}, err
	}
	n, err := newContract(sub)
	if err != nil {
		return Renewal{}, err
	}
	c.renewedAs = id
	c.revision++
	return Renewal{Contract: n, Warnings: warnings}, nil
}

// MarshalJSON writes {"subscription", "plan", "start", "end", "warnings"}:
// the new contract's id, its plan, its term, and the eligibility warnings.
func (r Renewal) MarshalJSON() ([]byte, error) {
	sub := &r.Contract.sub
	b := append(make([]byte, 0, 128), `{"subscription":`...)
	b = wire.AppendString(b, sub.ID)
	b = append(b, `,"plan":`...)
	b = wire.AppendString(b, sub.Terms.PlanID())
	b = append(b, `,"start":"`...)
	b, _ = sub.Start.AppendText(b)
	b = append(b, `","end":"`...)
	b, _ = sub.End().AppendText(b)
	b = append(b, `","warnings":[`...)
	for i, w := range r.Warnings {
		if i > 0 {
			b = append(b, ',')
		}
		b = wire.AppendString(b, w)
	}
	return append(b, "]}"...), nil
}
