// Package billing is what a client owes over time: the installment
// schedule, payments, arrears and suspension, renewal, and eligibility
// advice.
//
// # Schedules
//
// Payment options monthly, auto, external and manual share one schedule
// ([ScheduleFor]): termMonths installments, number i due on
// start.AddMonths(i), counted from the start so that a 31 January start is
// due on the last day of shorter months with no drift. Each is the monthly
// fee less any multi-pet discount (an amount, or a percentage of the fee),
// rounded to the currency once and never below zero; the first also
// carries the joining fee. Advance payment is one installment on the start
// date: the advance price (termMonths × monthlyFee when the plan sets none)
// plus the joining fee, with no multi-pet discount. The installments add
// up to the contract total. [Split] divides a total into n parts that add
// up exactly and differ by at most one minor unit, the remainder going to
// the first parts.
//
// # Payments, arrears and suspension
//
// An [Account] records payments as taken or failed, in order. On a date,
// paid is the sum of taken payments dated on or before it; due is the sum
// of installments due on or before it (installments after a termination
// date are cancelled and never fall due); arrears are due − paid, never
// negative ([Account.Standing]).
//
// With the plan's suspendAfterFailures n, n failed payments in a row (in
// the order recorded) suspend the subscription from the date of the last
// of them: it gets no discounts from package allowance. A taken payment
// resets the count; one that leaves no arrears as of its own date ends the
// suspension on that date. [Account.Record] keeps the subscription's
// suspension periods up to date, which is how the suspension reaches a
// quote without allowance importing billing.
//
// A subscription's status on a date is pending before the start, ended
// after the term, suspended, or active; once terminated it is cancelled
// (or ended, for reason expired), whatever the date.
// A payment is recorded rounded to the currency's minor units with the
// plan's rounding.
//
// # Renewal and eligibility
//
// [Renew] starts the next subscription the day after the term ends, on the
// plan's renewal.nextPlan (or the same plan) at that plan's current prices,
// with fresh allowances and nothing carried over, keeping the client,
// payment option and multi-pet discount. Its warnings say where the patient
// no longer fits. A subscription terminated early does not renew.
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
