// Package exposure computes the worst-case exposure of a plan design: how
// much a client can take in core discounts and walk away from without
// paying, day by day, with the client who reaches it.
// [Analyse] takes an [Input] and returns a [Report].
//
// # Definition
//
// Given terms, a start date, a price list (item code -> list price) and
// optionally a cap on the units assumed for unlimited rules, the exposure
// on day d is the largest V − P at the end of day d over every client who
// starts on that date, where
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
// the engine applies it:
//
//   - suspendAfterFailures n, as package billing applies it: payments are
//     recorded in date order; the n-th failure in a row suspends from its
//     date, a taken payment resets the count and ends the suspension on
//     its date when it leaves no arrears. A visit is judged by its own date; on a day with
//     both, the payment is recorded first (so a visit on the day of the
//     n-th failure is suspended).
//   - the plan's dunning.suspendAfterDays s, as package billing applies it: taken
//     payments cover installments oldest first; with t the due day of the
//     oldest installment due and not covered by the payments dated on or
//     before d, d is suspended when d − t > s.
//
// Discounts apply only on days 0..(term's last day + graceDays), only
// while not suspended, each rule only inside its own window; only core
// groups count, only priced items can be bought, a percentage gives
// price/units × percent/100 per allowance unit and an amount min(amount,
// price/units); rules are used by (viewOrder, plan position) and a line's
// units are split greedily across them, as package allowance prices a
// line. Installments are billing.ScheduleFor's for a subscription with the
// input's payment option, installment interval and multi-pet flag. Non-core groups, settlement
// methods and fees play no part: what a plan's settlement would claim at
// the peak comes from replaying [Report.Worst] (its terminate preview).
//
// Unlimited core rules make the exposure unbounded: the report then only
// names them ([Report.Unbounded]), unless [Input.UnitsCap] is set, which
// then stands for their allowance. Since the engine never exhausts an
// unlimited rule, a line that reaches one never passes it to a later rule,
// and the analysis assumes no line takes it past the cap (the worst client
// never does, so it replays on the real plan). An unlimited rule with no
// value on any priced item (0%, or no priced item) bounds nothing and is
// not reported; a line may run on into it for nothing.
//
// The curve never falls: a client can fail the next installment and buy
// nothing more. So the peak is the curve's last value and [Report.Peak] the
// first day it is reached.
//
// # Algorithm, and why it is exact
//
// Groups share no rule, so given the days a client is covered, V is the
// sum over core groups of what each group can give on those days, and a
// group's best depends on the covered days only through which of its
// segments (spans of days with the same rules in their windows) hold a
// covered day: all days of a segment offer the same rules in the same
// order, so one day's lines stand for all of the segment's.
//
// Per group, a dynamic programme runs over the reachable segments in date
// order; its state is what each rule with an open window has left (the
// others are full or no longer matter). Within a segment the engine's
// greedy split means a day's lines take a prefix of the segment's stream
// of units (the rules' remaining units, rule after rule in precedence
// order), each line a consecutive piece of it: qty·units units, or all
// that is left when that is fewer (the rest of the line is at full price).
// A piece's discount is round(Σ units × value) of its item over the rules
// it spans, so the best use of a segment is a longest path over the
// stream's positions with every piece as an edge, every length allowed
// (splitting a long piece can lose a rounding unit, so none may be
// dropped). The path is found in O(L · items · log L) for a stream of L
// units without listing the edges: with N(x) the exact value of the first
// x units over the item's denominator D and 2N = 2D·Q + ρ, a piece's
// discount is Q(b) − Q(a) plus −1, 0 or +1 according to where ρ(a) lies
// against ρ(b) ± D (half to even adds a parity test at the one tie
// residue), so a max segment tree per item and position class (mod units)
// over the residues answers each position. States whose streams differ
// only in the first block's length share one run (entering at different
// positions), and so do states whose streams differ only in the last
// block's length (ending at different positions, the pieces that overflow
// each end found through a tree over every position); a state forgets the
// rules whose windows end with the segment. The programme is memoised in a
// trie over the sequence of reachable segments, which clients share.
//
// Payments are a dynamic programme over installments. Its state is what
// the future cover depends on: P (the days-past-due rule and whether a
// taken payment clears arrears), the run of failures and the
// failure-suspension flag; a failure suspension with arrears is final
// (exact installments can never clear arrears once they are positive), so
// from there only failing is followed. Two clients in the same state have
// the same future and the same P, and more cover never gives less V (a
// client may leave a day unused), so per state only the clients whose
// cover no other one contains are kept (an antichain). Cover is constant
// on elementary intervals (cut at rule windows, due days, due days + s +
// 1, the last covered day), and so is V − P for every client: the curve is
// evaluated once per interval, over all kept clients, each bounded by the
// value of full cover.
//
// Both programmes are checked against a brute force that follows every
// day, every line (item and quantity) from every allowance state and every
// one of the 2^m payment outcomes, pricing lines with big.Rat; and against
// the engine by replaying the worst client and random clients.
//
// # Bounds
//
// The analysis is exact or fails with [ErrTooLarge]; it never
// approximates. It refuses (ErrTooLarge):
//
//   - a day's stream longer than 10^6 units (also the engine's line bound:
//     within it every piece is a legal line);
//   - a group whose allowances can stand in more than 200000 ways at once
//     (the product of the remaining counts of rules whose windows are open
//     together);
//   - more than 4·10^8 steps of work (about a segment-tree operation each);
//   - an item whose per-unit value has a denominator of 2^62 or more after
//     reduction (only possible with zero-decimal currencies, items of more
//     than 46000 units and percentages or prices with six decimals);
//   - core allowances worth 2^61 minor units or more.
//
// The cost grows with the allowances' sizes (units are followed one by
// one), so a units cap of 10^5 on several overlapping unlimited rules is
// slow; allowances of the usual sizes (1 to 999) cost milliseconds.
//
// # Paying client
//
// [Report.Paying] is the same for a client who pays every installment on
// its due date and uses the plan as well as it can; its break-even day is
// the first day from which its V − P stays at or below 0 (BreaksEven is
// false when it is still above 0 after the last covered day).
//
// # Delays
//
// Given [Input.Cap], [Report.Delays] says how late core rules must start
// to keep the peak at or below the cap. A delay moves a rule's startDay
// later; one that pushes it past its endDay (or the last covered day)
// means the rule never applies. For each core rule on its own, the
// smallest delay is found by bisection between no delay (above the cap)
// and never (within it), so that the delay keeps the peak within the cap
// and one day less does not; every rule that can do it alone is listed
// ([Delays.Alone]). If none can, [Delays.Together] starts from every core
// rule never applying (no core value: within any cap) and brings each
// rule's start back, in plan order and repeatedly, as far as the cap
// allows, until no start can move a day earlier without exceeding it.
// The peak is monotone in a delay except for rounding: a shorter window can
// change which lines span which rules and so move the peak by a rounding
// unit either way (rule a 0.5p a unit, rule b 0.3p, both on days 0-90,
// packs of 3: delaying a to day 50 raises the peak from 0.01 to 0.02). The
// bisection's answer is then still within the cap with one day less above
// it, but a smaller delay may exist past such a bump.
//
// # JSON
//
// A [Report] writes itself as the scenario format's exposure result:
// peak, curve, paying, delays and worstClient, or unbounded.
//
// # Assumptions
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
package exposure
