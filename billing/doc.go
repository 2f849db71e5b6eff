// Package billing is what a client owes over time: the installment
// schedule, payments, arrears and suspension, renewal, and eligibility
// advice.
//
// # Schedules
//
// Payment options monthly, auto, external and manual share one schedule
// ([ScheduleFor]), paid every installment interval the subscription chose
// among those its plan prices ([DueDates]); every due date is counted from
// the start, so that a 31 January start is due on the last day of shorter
// months with no drift:
//
//	month    termMonths installments, number i due on start.AddMonths(i), at monthlyFee
//	quarter  termMonths/3, due on start.AddMonths(3i), at fees.quarter
//	year     termMonths/12, due on start.AddMonths(12i), at fees.year
//	4weeks   floor(D/28), D the days from start to start.AddMonths(termMonths),
//	         due 28i days after the start, at fees.4weeks
//
// A plan pricing the quarter or the year must have a term that is a
// multiple of 3 or 12 months. Each installment is the interval's fee less
// any multi-pet discount (an amount off each installment, or a percentage
// of it), rounded to the currency and never below zero; the multi-pet
// discount is an amount of its own on the client's invoice, so it is
// rounded first (10% off 5.55 is 0.56, and the installment 4.99). The first
// installment also carries the joining fee. Advance payment is one
// installment on the start date, whatever the interval: the advance price
// (termMonths × monthlyFee when the plan sets none) plus the joining fee,
// with no multi-pet discount. The installments add up to the contract
// total. [Split] divides a total into n parts that add up exactly and
// differ by at most one minor unit, the remainder going to the first parts.
//
// # Payments, arrears and suspension
//
// An [Account] records payments as taken or failed, in order. On a date,
// paid is the sum of taken payments dated on or before it; due is the sum
// of installments due on or before it (installments after a termination
// date are cancelled and never fall due); arrears are due − paid, never
// negative ([Account.Standing]). A payment is recorded rounded to the
// currency's minor units with the plan's rounding.
//
// Two rules may suspend a subscription, on the dates they say; a date is
// suspended when either does, and a suspended subscription gets no
// discounts from package allowance. [Suspensions] works the periods out
// from the payments; the library never writes them into a subscription
// (healthplan.Contract, the owner, keeps them):
//
//   - suspendAfterFailures n: n failed payments in a row (in the order
//     recorded) suspend it from the date of the last of them; a taken
//     payment resets the count, and one that leaves no arrears as of its
//     own date ends the suspension on that date. A payment dated before
//     the suspension began is judged as of its first day.
//   - dunning.suspendAfterDays s: it is suspended on every date more than
//     s days past due, until the day the payments cover the overdue
//     installments.
//
// # Dunning
//
// Taken payments are applied to installments oldest first: installment i
// is covered on a date when the taken payments dated by then add up to at
// least installments 0..i. The standing on a date says how long the oldest
// installment due and not covered has been overdue (DaysPastDue, from its
// due date, 0 on that day, and OverdueSince), and, by the plan's dunning
// policy: PastDue when the days past due exceed pastDueAfterDays,
// RetryDates (the overdue installment's due date plus each of retryDays,
// past ones included: when the payment provider should try again), and
// CancelDue when they exceed cancelAfterDays (the practice's rule says to
// terminate for nonPayment; the library never terminates by itself). A
// threshold the plan does not set turns its rule off. These are functions
// of the date and of every payment recorded, so a back-dated payment
// recorded later can shorten or remove them (visits already committed
// keep their results).
//
// A subscription's status on a date is pending before the start, ended
// after the term, suspended, or active; once terminated it is cancelled
// (or ended, for reason expired), whatever the date.
//
// # Renewal and eligibility
//
// [Renew] starts the next subscription the day after the term ends, on the
// plan's renewal.nextPlan (or the same plan) at that plan's current prices,
// with fresh allowances and nothing carried over, keeping the client,
// payment option, installment interval (falling back to monthly, with a
// warning, when the next plan does not price it) and multi-pet discount.
// Its warnings say where the patient no longer fits. A subscription
// terminated early does not renew.
//
// [Eligibility] judges a patient against every plan on a date and gives,
// for each misfit, the field and both values: species; weight band (on the
// expected adult weight when given, since a puppy's plan runs for its whole
// term); age band (whole months on the date); sale window. It is advice,
// not a lock.
//
// # Errors
//
// A problem with an input is a *[plan.ValidationError] naming the field
// ("amount", "date"), the value and what would be valid; reach it with
// errors.As. Sentinels reachable with errors.Is: [ErrNotRenewable] (a
// subscription terminated early, or a renewal under its own id),
// [ErrUnknownStatus] (a payment neither taken nor failed) and [ErrSplit].
// A refused call changes nothing.
package billing
