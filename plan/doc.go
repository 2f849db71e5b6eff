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
// optional sale window, a term in months, fees, an optional multi-pet
// discount, renewal terms, grace days, rounding, a suspension threshold,
// settlement terms ([Settlement]) and allowance rules ([Rule]). A
// subscription covers start .. start.AddMonths(termMonths) − 1 day.
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
// [Subscription] keeps of its currency, groups and plan, indexed for
// quoting. Editing a plan later changes new subscriptions, never running
// ones; many subscriptions share one Terms. [Terms.Subscribe] starts a
// subscription and refuses a start outside the plan's sale window; whether
// the patient fits the plan (species, weight, age) is advice, given by
// package billing.
//
// A subscription also carries what changes its discounts over time: its
// suspension periods (kept by package billing from failed payments) and its
// termination (set by package debt).
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
