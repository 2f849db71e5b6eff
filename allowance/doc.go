// Package allowance answers, at every invoice, which lines a health plan
// discounts, by how much, and what is left: it quotes and commits visits,
// reverses lines, records imported usage and lists entitlements, over a
// [Ledger] that the host persists.
//
// # Applying rules to a visit
//
// A [Visit] is an invoice's lines on one date, in the order the items were
// dispensed; lines are applied in that order, each seeing what the earlier
// ones used. For each line:
//
//  1. The line gets no discount if the subscription does not cover the
//     date: before the start, after the term plus the plan's grace days,
//     terminated, or suspended on that date. An item in no treatment group
//     gets none either. The line's [Reason] says which.
//  2. The eligible rules are the rules of the item's group whose window
//     contains the visit's day offset and that have units remaining,
//     ordered by view order, then position in the plan. Grace days extend
//     coverage, not windows.
//  3. The line's allowance units (qty × the item's units) are taken
//     greedily through the eligible rules: each covers as many as it has
//     left. Units left after the last one are at full price. Each rule used
//     is a [Split] of the line.
//  4. gross = round(qty × unitPrice). With u the item's units, split k is
//     worth coveredₖ × (unitPrice / u) × percentₖ / 100, or coveredₖ ×
//     min(amountₖ, unitPrice / u), kept exact; the line's discount is the
//     rounded sum, split k's discount is round(Σ values up to k) −
//     round(Σ values before k), so the splits add up to the line exactly,
//     and net = gross − discount, with 0 <= discount <= gross. Each split's
//     list value (coveredₖ × unitPrice / u) is shared out the same way.
//  5. Each split is recorded as a redemption: rule, units, discount and
//     list value.
//
// A line's reason is [Covered] when every allowance unit was covered by a
// rule, whatever its discount (a 0% rule covers its units).
//
// # Commit, reversal, idempotency
//
// [Ledger.Quote] prices a visit without recording anything;
// [Ledger.Commit] records it, and gives exactly what Quote gave on the same
// state. A line is identified by (subscription, invoice id, line id):
// committing it again with the same content returns the recorded result
// and consumes nothing; with different content the whole visit is refused
// with [ErrLineConflict], naming the differing field. A refused visit
// changes nothing: all lines or none.
//
// [Ledger.Reverse] undoes a line (a credit note): it restores exactly the
// units its splits took, to the same rules, and removes them from what a
// settlement counts; the line may then be committed again. Reversing an
// unknown or reversed line is refused ([ErrUnknownLine],
// [ErrAlreadyReversed]).
//
// [Ledger.Adjust] records usage from another system ("these were already
// used") as units added to a rule's used, with no money. Used stays within
// 0..allowed, and a negative adjustment only takes back adjusted units.
//
// Rules are consumed in the order visits are committed; the window test
// uses each visit's own date.
//
// # Entitlements
//
// [Ledger.Entitlements] lists every rule with its usage and its window as
// calendar dates, the end clipped to the last covered day (the term plus
// grace), and a [Status] on a date: expired after the window (or when it
// lies wholly after the last covered day), else exhausted when nothing
// remains, else upcoming before the window, else available.
//
// # The ledger
//
// The zero [Ledger] is empty; it takes the identity of the first
// subscription it records for, and refuses any other
// ([ErrOtherSubscription]): another id, or terms other than those it was
// recorded under. Terms built again from the same document (the same
// [plan.Terms.Digest]) are its own, so a host that loads terms afresh
// at every invoice can go on with the ledger. [Ledger.MarshalJSON] writes
// it and [DecodeLedger] reads it back for its subscription; rule counters
// are rebuilt from the lines when decoding. The cost of a quote does not grow
// with the history: rules keep counters and lines are found through an
// index. Quote only reads the ledger, so any number of goroutines may
// quote one ledger at once, as long as none commits to it meanwhile.
//
// Errors about an input are *[plan.ValidationError] values with the
// field's path relative to the visit ("lines[1].qty"), reachable with
// errors.As; the sentinels above are reachable with errors.Is.
package allowance
