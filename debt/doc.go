// Package debt settles a subscription that ends, early or at its term, and
// prints the client statement.
//
// # Settlement
//
// [Settle] computes what is owed when a subscription ends as a [Notice]
// says, without changing anything ("cost to cancel today");
// [Terminate] computes exactly the same settlement and returns the
// termination for the subscription's owner to record (it writes nothing
// into the subscription), after which the subscription grants no discounts
// (its lines are still recorded, undiscounted) and its installments after
// the date are cancelled. A subscription is settled once.
//
// Let P be the taken payments dated on or before the date, F the contract
// total, R = max(0, F − P), and V the core value used: the sum, over the
// redemptions dated on or before the date that are not reversed and whose
// group is core, of what each counts for on the plan's basis:
//
//	discount (default)  the discount given
//	list                the list value of the units covered
//	value               for an item with a value, coveredUnits × value / units
//	                    (whatever the discount, and not capped at the price);
//	                    for the others, the list value
//
// A line's values on the value basis are shared among its splits by the
// prefix rule the list value uses (split k counts round(Σ up to k) −
// round(Σ before k)). Non-core groups never count.
//
//	coreValue (default)  owed = V − P
//	remainingPayments    owed = R
//	lesserOf             owed = min(V − P, R)
//	none                 owed = 0
//
// Then balance = owed + cancellationFee, debt = max(0, balance), and
// refund = max(0, −balance) when the plan sets refundExcess, else 0. Debt
// and refund are never both positive. Further:
//
//   - reason expired, refused before the term's last day: owed is R, with
//     no fee and no refund;
//   - on a day offset up to the plan's coolingOffDays (when set): method
//     coreValue, no fee, and the excess is refunded;
//   - a reason the plan lists in waiveFor (such as deceased): debt and fee
//     are 0, and a refund is still given when one is due;
//   - an [Override] on the notice (an amount agreed by hand) applies last:
//     method override, debt the agreed amount (rounded to the currency), no
//     fee and no refund; what the plan's terms compute is kept beside it
//     (Computed), and owed stays what the plan's method computes.
//
// A notice's RepayMonths n (1..120) lets the client repay the debt in n
// monthly parts: split as billing.Split splits a total (the remainder one
// minor unit each to the first parts), due on the termination date and
// then each month after it (clamped to month ends); no debt, no parts.
//
// The [Settlement] itemises V (the redemptions counted, per core group, with
// what each counts for), P, F, R, the method, the fee, any waiver, override
// and repayment; [Settlement.Text] renders it for the client, it marshals
// to JSON, and its [Summary] is the figures alone (what a host stores with
// a termination, read back by [DecodeSummary]).
//
// # Statement
//
// [StatementOn] gives a client, on any date, the savings to date per
// group, the entitlements left, how the plan is paid (the interval and who
// collects), what was paid and is due, how many days the oldest unpaid
// installment is overdue, and what cancelling that day would cost, or,
// once terminated, what the termination settled and its repayment plan;
// printable with [Statement.Text] and as JSON.
//
// # Errors
//
// A problem with an input is a *[plan.ValidationError] naming the field;
// reach it with errors.As. Sentinels reachable with errors.Is:
// [ErrTerminated] (settling a subscription already terminated) and
// [ErrNotExpired] (reason expired before the term's last day). A refused
// call changes nothing.
package debt
