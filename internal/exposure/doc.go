// Package exposure computes the worst-case exposure of a plan design: how
// much a client can take in core discounts and walk away from without
// paying, day by day, with the client who reaches it. [Analyse] takes an
// [Input] and returns a [Report]; package debt is its front door
// (debt.Exposure), and its package documentation defines the exposure,
// states the assumptions and the bounds ([ErrTooLarge]).
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
// # Clients
//
// A [Client] (the worst one, and the paying one) is its payments and
// visits, and the same as a scenario document in the replay format built
// from the terms' own JSON, ending with a terminate preview on the day it
// reaches its point; package debt replays it through the engine for the
// claim.
package exposure
