// Package debt settles a subscription that ends, early or at its term, and
// prints the client statement.
//
// # Settlement
//
// [Settle] computes what is owed on a termination date without changing
// anything ("cost to cancel today"); [Terminate] computes exactly the same
// settlement and records the termination, after which the subscription
// grants no discounts (its lines are still recorded, undiscounted) and its
// installments after the date are cancelled. A subscription is settled
// once.
//
// Let P be the taken payments dated on or before the date, F the contract
// total, R = max(0, F − P), and V the core value used: the sum, over the
// redemptions dated on or before the date that are not reversed and whose
// group is core, of the discount given (basis discount, the default) or of
// the list value (basis list). Non-core groups never count.
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
//   - a reason the plan lists in waiveFor (such as deceased) applies last:
//     debt and fee are 0, and a refund is still given when one is due.
//
// The [Settlement] itemises V (the redemptions counted, per core group),
// P, F, R, the method, the fee and any waiver; [Settlement.Text] renders it
// for the client and it marshals to JSON.
//
// # Statement
//
// [StatementOn] gives a client, on any date, the savings to date per
// group, the entitlements left, what was paid and is due, and what
// cancelling that day would cost, printable with [Statement.Text] and as
// JSON.
//
// # Errors
//
// A problem with an input is a *[plan.ValidationError] naming the field;
// reach it with errors.As. Sentinels reachable with errors.Is:
// [ErrTerminated] (settling a subscription already terminated) and
// [ErrNotExpired] (reason expired before the term's last day). A refused
// call changes nothing.
package debt
