// Package plan describes what a veterinary practice sells: its catalog of
// treatment groups and item codes, its health plans and their allowance
// rules, and the subscriptions that patients hold. It has no behaviour over
// time; packages allowance, billing and debt build on it.
//
// # Money, quantities and dates
//
// Amounts are [github.com/shopspring/decimal] values, never float64, JSON
// included. They are rounded to the [Currency]'s minor units (GBP, EUR,
// USD, CAD, AUD, NZD, CHF, SEK, NOK, DKK: 2; JPY, ISK: 0; KWD, BHD, OMR: 3)
// half away from zero, or half to even when a plan's [Rounding] says
// [HalfEven]. The library never reads or changes shopspring's package
// settings, so a host may set them as it likes.
//
// Inputs are bounded, and anything outside is refused with a
// [ValidationError]: amounts and prices 0 <= x < 10^12, quantities
// 0 < q <= 10^6, both with at most 6 decimal places; percentages 0..100;
// day offsets 0..36600; termMonths 1..120; a rule's allowed a whole number
// 1..10^9 or unlimited; an item's units 1..10^6. Decimal strings longer
// than 64 characters or with exponents beyond ±40 are refused before any
// arithmetic.
//
// A [Date] is a calendar date with no time of day or zone. A date's day
// offset is the number of days since the subscription's start (day 0).
// [Date.AddMonths] keeps the day of the month and clamps it to the target
// month, always counting from the original date: 31 January plus one month
// is 28 (or 29) February, plus two is 31 March.
//
// # Catalog and plans
//
// A [Catalog] holds the currency, the treatment groups ([Group]) and the
// plans ([Plan]). An item code belongs to at most one group; an item may
// count as several allowance units (a pack of three: Units 3), and a
// line's allowance units are qty × units. Only core groups count towards
// what is owed when a plan ends early.
//
// A plan has a species, optional weight and age bands (min <= x < max), an
// optional sale window, a term in months, fees (monthlyFee, and in [Fees]
// the other installment [Interval]s it offers: every 4 weeks, quarter,
// year; a quarterly or yearly fee needs a term that is a multiple of 3 or
// 12 months), an optional multi-pet discount, renewal terms, grace days,
// rounding, a suspension threshold, a [Dunning] policy (retry days and the
// days past due after which an account is past due, suspended, or due to
// be cancelled), settlement terms ([Settlement]: method, basis discount,
// list or value, fee, waivers, refunds, cooling-off) and allowance rules
// ([Rule]). An item may carry a value: what one is worth to the practice
// when a plan ends, counted on the value basis. A subscription covers
// start .. start.AddMonths(termMonths) − 1 day.
//
// A rule discounts a group by a percentage or by an amount per allowance
// unit (never more than the unit's price), for a number of units over the
// term (or unlimited), inside a window of day offsets startDay..endDay,
// both inclusive. Several rules may share a group ("the first consultation
// free, then 50% off"); the lowest view order is used first, then plan
// order. A rule without an id takes its 1-based position.
//
// # Subscriptions
//
// [Catalog.Terms] validates a plan and returns its [Terms]: the snapshot a
// [Subscription] keeps of its currency, groups and plan, read by id.
// Editing a plan later changes new subscriptions, never running ones; many
// subscriptions share one Terms. Their canonical JSON document
// ({"currency", "groups", "plan"}, [Terms.MarshalJSON]) hashes to their
// [Terms.Digest], by which a contract names them. [Terms.Subscribe] starts
// a subscription from an [Enrollment] and refuses a start outside the
// plan's sale window, or an installment interval the plan does not price;
// whether the patient fits the plan (species, weight, age) is advice,
// given by package billing.
//
// A subscription also carries what changes its discounts over time: its
// suspension periods and its termination. The library never writes them
// into a subscription it is handed: package billing derives the periods
// from the payments and package debt returns the termination, for the
// subscription's owner (healthplan.Contract) to keep.
//
// # Lint
//
// [Terms.Lint] and [Catalog.Lint] list the probable mistakes in a valid
// plan, each a [Warning] with the JSON path of the field, a stable code and
// a sentence. Lint never refuses a plan. Warnings come in document order
// of their paths, then by code. The codes are the Lint constants
// ([LintWindowGap] and the others), described below.
//
// Lint has no start date, and a term of termMonths months spans a number
// of days that depends on it (12 months are 365 or 366 days). Each warning
// holds whatever the start: windows are judged against the longest term
// (so a 0..365 window on a 12-month plan, which a term spanning 29
// February uses to its last day, does not warn), grace against the
// shortest. Terms are counted as [Date.AddMonths] counts them, and "the
// last day covered" is
// the longest term's last day offset (its days − 1) plus graceDays, and a
// window is reachable when it starts on or before it; the checks below
// read windows clipped to that day.
//
//   - windowGap (at the later rule's startDay): two reachable windows of
//     a group leave days between them uncovered, between the group's first
//     start and its last end: a pet seen a day early or late gets nothing.
//     Windows that touch (0..90 and 91..120) or overlap leave no gap.
//   - viewOrderTie (at the later rule's viewOrder): two rules of a group
//     share a covered day at the same view order, so plan order decides
//     which is used first. One warning per rule, naming the first earlier
//     rule it ties with.
//   - windowStartsAfterTerm (at startDay): the window starts after the
//     last day covered; the rule never applies.
//   - windowEndsAfterTerm (at endDay): a reachable window ends after the
//     last day covered; no client reaches the days after it.
//   - shadowedRule (at the rule): an unlimited rule of the same group used
//     before it (lower view order, or the same and earlier in the plan)
//     covers every day of its window, and never runs out; the rule never
//     applies.
//   - unlimitedCoreRule (at allowed): an unlimited rule on a core group
//     that can apply: what a client can take before they stop paying, and
//     so what a termination can claim, has no bound. A rule that never
//     applies (no items, unreachable, shadowed) is not reported here.
//   - zeroDiscount (at discountPercent or discountAmount): the rule takes
//     0% or an amount of 0 off, yet uses up the units it covers, which
//     later rules then do not discount.
//   - groupWithoutRule (at the group): a group with items has no rule in
//     the plan.
//   - groupWithoutItems (at the rule's group): the rule's group has no
//     items, so the rule never applies.
//   - graceGrantsNothing (at graceDays): graceDays is set but no reachable
//     window ends after the shortest term's last day. Grace extends
//     coverage, not windows, so it grants nothing.
//
// Common designs give no warning: flea treatment on days 0..90 at view
// order 1 and again on 80..120 at view order 2 (a crossover, so that a pet
// seen a few days early or late is still covered); "the first
// consultation free, then 50% off" and "50% off the first bag of food,
// then 10% off", each a limited rule at view order 1 and an ongoing one at
// view order 2 over 0..365. When the ongoing rule is unlimited on a core
// group (consultations often are), it gives unlimitedCoreRule, which is
// what a designer should see; a large bound (999 allowed) does not.
//
// # Validation and JSON
//
// [Catalog.Validate] and the JSON decoders report every problem at once,
// as the errors.Join of one *[ValidationError] per problem, each with the
// field's JSON path, the value as given and what would be valid:
//
//	plans[0].rules[2].discountPercent: "150" is outside 0..100
//
// [Problems] lists them. JSON numbers are read exactly, never through
// float64; money, quantities and percentages are written as strings.
// Unknown fields are refused, with a suggestion for a likely typo, so that
// a misspelt field cannot silently drop a rule.
package plan
