// Package debt settles a subscription that ends, early or at its term,
// prints the client statement, and computes the most a plan design can
// lose that way (its exposure).
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
// # Exposure
//
// [Exposure] is the worst case of a settlement: what a plan designer needs
// to know before selling a plan, namely how much a client can take in core
// discounts and walk away from, on which day, and how much the plan's own
// settlement would claim back.
//
// Given terms, a start date, a price list (item code -> list price) and
// optionally a cap on the units assumed for unlimited core rules, the
// exposure on day d is the largest V − P at the end of day d over every
// client who starts on that date, where
//
//   - V is the core value used on basis discount: the sum of the rounded
//     discounts of core-group redemptions dated on or before d, exactly as
//     the engine records them (a line's discount is round(Σ exact split
//     values) to the currency's minor units with the plan's rounding);
//   - P is the taken payments dated on or before d;
//
// over every sequence of visits (any number of visits and lines, whole
// quantities of priced items at their list prices, on any days up to d,
// recorded in date order) and every outcome of each installment due up to
// d (taken in full on its due date, or failed on it), with suspension as
// package billing applies it:
//
//   - the plan's suspendAfterFailures n: payments are recorded in date
//     order; the n-th failure in a row suspends from its date, a taken
//     payment resets the count and ends the suspension on its date when it
//     leaves no arrears. A visit is judged by its own date; on a day with
//     both, the payment is recorded first (so a visit on the day of the
//     n-th failure is suspended);
//   - the plan's dunning.suspendAfterDays s: taken payments cover
//     installments oldest first; with t the due day of the oldest
//     installment due and not covered by the payments dated on or before
//     d, d is suspended when d − t > s.
//
// Discounts apply only on days 0..(term's last day + graceDays), only
// while not suspended, each rule only inside its own window; only core
// groups count, only priced items can be bought, a percentage gives
// price/units × percent/100 per allowance unit and an amount min(amount,
// price/units); rules are used by (viewOrder, plan position) and a line's
// units are split greedily across them, as package allowance prices a
// line. Installments are billing.ScheduleFor's for a subscription with the
// input's payment option, installment interval and multi-pet flag.
// Non-core groups, settlement methods and fees play no part in the
// exposure itself.
//
// The report ([ExposureReport]) has:
//
//   - the curve, every day on which the exposure changes, and its peak:
//     the curve never falls (a client can fail the next installment and
//     buy nothing more), so the peak is its last value, reached first on
//     the peak's day;
//   - the worst client: a scenario document (the replay format) of a
//     client who reaches the peak, ending with a terminate preview on the
//     peak day whose coreValue minus paid is the peak;
//   - the claim: what the plan's settlement claims from that client
//     terminating for "cancelled" on the peak day, with the method the
//     settlement applied, its fee, any waiver and cooling-off as the plan
//     says. It is computed by the engine itself (the client's payments and
//     visits recorded on a subscription, a ledger and an account, then
//     [Settle]), so it is exactly what the worst client's terminate
//     preview shows. On basis list or value its coreValue counts those
//     values instead of the discounts;
//   - the paying client: the same curve for a client who pays every
//     installment on its due date and uses the plan as well as it can, its
//     peak, and its break-even day: the first day from which its V − P
//     stays at or below 0 (none when it is still above 0 on the last day
//     with cover);
//   - given a cap, the delays ([StartDelays]): for each core rule on its
//     own, the smallest delay of its start day that keeps the peak at or
//     below the cap (found by bisection between no delay and never
//     applying; a delay past the rule's end day, or the last day with
//     cover, means the rule never applies), every rule that can do it
//     alone listed; when none can, a set of delays together, from every
//     core rule never applying brought back, in plan order and
//     repeatedly, as far as the cap allows, until no start can move a day
//     earlier.
//
// Unlimited core rules make the exposure unbounded: the report then only
// names them (Unbounded), unless a units cap is given, which then stands
// for their allowance. Since the engine never exhausts an unlimited rule,
// a line that reaches one never passes it to a later rule, and the
// analysis assumes no client takes it past the cap (the worst client never
// does, so it replays on the real plan). An unlimited rule with no value
// on any priced item (0%, or no priced item) bounds nothing and is not
// reported.
//
// Assumptions and limits, each pinned by a test:
//
//   - Visits are recorded in date order, and payments on their due dates
//     for exactly the installment. The engine also accepts a visit dated
//     before one already recorded, which can reach a state of the
//     allowances no date-ordered client can (a later rule used up before
//     an earlier one's window): with prices below a penny that is worth a
//     rounding unit more (rule a 0.5p a unit on days 0-10, rule b 0.3p on
//     days 0-20, packs of 3: 0.01 in date order, 0.02 recording day 15
//     before day 5). Such clients are outside the definition.
//   - Adjustments and reversals are not client strategies.
//   - The peak is monotone in a delay except for rounding: a shorter
//     window can change which lines span which rules and so move the peak
//     by a rounding unit either way (rule a 0.5p a unit, rule b 0.3p, both
//     on days 0-90, packs of 3: delaying a to day 50 raises the peak from
//     0.01 to 0.02). The bisection's answer then still keeps the peak
//     within the cap with one day less above it, but a smaller delay may
//     exist past such a bump.
//
// The analysis is exact, to the minor unit, or fails with [ErrTooLarge];
// it never approximates. It refuses a day's stream of allowance units
// longer than 10^6 (the engine's line bound), a group whose allowances
// can stand in more than 200000 ways at once (the product of the
// remaining counts of rules whose windows are open together), more than
// 4·10^8 steps of work in all (about a segment-tree operation each, the
// delays' analyses included), an item whose per-unit value has a
// denominator of 2^62 or more (only zero-decimal currencies, items of more than 46000
// units and six-decimal percentages or prices reach it), and core
// allowances worth 2^61 minor units or more. Its cost grows with the
// allowances' sizes (units are followed one by one): allowances of the
// usual sizes (1 to 999) cost milliseconds, a 30-rule, 24-month plan about
// 5ms (its delays under a cap some 250ms more); a units cap of 10^5 on
// several overlapping unlimited rules is slow.
//
// [Timeline] draws a plan for its designer as an SVG picture: the rules as
// bars on a day axis by treatment group, crossovers and gaps shaded,
// installment due days marked, and the exposure curves of the worst and
// the paying client beneath on the same axis.
//
// # Errors
//
// A problem with an input is a *[plan.ValidationError] naming the field;
// reach it with errors.As. Sentinels reachable with errors.Is:
// [ErrTerminated] (settling a subscription already terminated) and
// [ErrNotExpired] (reason expired before the term's last day), and
// [ErrTooLarge] (a plan beyond the exposure analysis's bounds). A refused
// call changes nothing.
package debt
