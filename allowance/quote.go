package allowance

import (
	"errors"
	"fmt"
	"math"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/plan"
)

const micro = int64(1_000_000)

// pending is what committing a priced visit would record.
type pending struct {
	lines  []lineRec
	splits []splitRec
	wide   map[int]wideSplit // index into splits
}

// pricer carries one visit's pricing: the terms, the day and the units
// each rule has given to earlier lines of the same visit.
type pricer struct {
	l     *Ledger
	t     *plan.Terms
	ix    *index
	date  plan.Date
	day   int
	cover Reason
	limit plan.Date
	lines int     // in the visit
	extra []int64 // per rule: units taken by earlier lines of this visit
	a     arith
	// scratch holds a line's splits while they are found; out is the
	// visit's splits, which lines take their Splits from.
	scratch []splitRec
	out     []Split
}

// Quote prices a visit without recording anything. Lines already
// committed give their recorded result. Quote only reads the ledger, so
// any number of goroutines may quote one ledger at once (but not while it
// is being committed to).
func (l *Ledger) Quote(sub *plan.Subscription, v Visit) (Result, error) {
	res, _, err := l.price(sub, &v, false)
	return res, err
}

// Commit prices a visit and records its redemptions: the result is the one
// Quote gives on the same state. A line already committed with the same
// content gives its recorded result and consumes nothing more; one
// committed with different content refuses the whole visit
// (ErrLineConflict). A refused visit changes nothing.
func (l *Ledger) Commit(sub *plan.Subscription, v Visit) (Result, error) {
	res, p, err := l.price(sub, &v, true)
	if err != nil {
		return Result{}, err
	}
	l.apply(sub, &v, p)
	return res, nil
}

func (l *Ledger) price(sub *plan.Subscription, v *Visit, record bool) (Result, *pending, error) {
	if err := l.check(sub); err != nil {
		return Result{}, nil, err
	}
	if err := v.validate(); err != nil {
		return Result{}, nil, err
	}
	ix := l.rulesFor(sub)
	pr := &pricer{l: l, t: sub.Terms, ix: ix, date: v.Date, day: sub.Day(v.Date), lines: len(v.Lines)}
	pr.a.places, pr.a.halfEven = ix.places, ix.halfEven
	pr.cover, pr.limit = coverage(sub, v.Date)

	res := Result{Currency: sub.Terms.Currency(), Invoice: v.Invoice, Date: v.Date, Lines: make([]LineResult, len(v.Lines))}
	var p *pending
	if record {
		p = &pending{}
	}
	var problems []error
	for i := range v.Lines {
		ln := &v.Lines[i]
		if rec := l.live(v.Invoice, ln.ID); rec >= 0 {
			if err := l.conflict(rec, ln, v.Date, i); err != nil {
				problems = append(problems, err)
				continue
			}
			res.Lines[i] = l.recorded(sub, rec, &pr.a)
			continue
		}
		lr, err := pr.line(ln, i, p)
		if err != nil {
			problems = append(problems, err)
			continue
		}
		res.Lines[i] = lr
	}
	if len(problems) > 0 {
		return Result{}, nil, errors.Join(problems...)
	}
	res.Gross, res.Discount = pr.a.dec(&pr.a.totG), pr.a.dec(&pr.a.totD)
	pr.a.x.Sub(&pr.a.totG, &pr.a.totD)
	res.Net = pr.a.dec(&pr.a.x)
	return res, p, nil
}

// coverage says whether the subscription grants discounts on d, and if not
// why, with the date that explains it.
func coverage(sub *plan.Subscription, d plan.Date) (Reason, plan.Date) {
	if t := sub.Termination; t != nil {
		return Terminated, t.Date
	}
	if d.Before(sub.Start) {
		return BeforeStart, sub.Start
	}
	if last := sub.LastCoveredDay(); d.After(last) {
		return AfterTerm, last
	}
	if p, ok := sub.SuspendedOn(d); ok {
		return SuspendedSub, p.From
	}
	return Covered, plan.Date{}
}

// remaining is what rule i has left for this visit's next line, in
// millionths of a unit; math.MaxInt64 when unlimited.
func (pr *pricer) remaining(i int, r *ruleInfo) int64 {
	if r.limit.IsUnlimited() {
		return math.MaxInt64
	}
	left := r.allowed - pr.l.usedOf(i)
	if pr.extra != nil {
		left -= pr.extra[i]
	}
	return left
}

// line prices one line that has not been committed before and, when p is
// not nil, adds what committing it records.
func (pr *pricer) line(ln *Line, i int, p *pending) (LineResult, error) {
	t := pr.t
	qty, _ := num.ToMicro(ln.Qty)         // validated: six places, within bounds
	price, _ := num.ToMicro(ln.UnitPrice) // likewise
	pr.a.gross(qty, price)
	lr := LineResult{ID: ln.ID, Item: ln.Item, Qty: ln.Qty, Gross: pr.a.dec(&pr.a.g)}
	lr.why = whyContext{date: pr.date, limit: pr.limit, day: pr.day}

	ref, inGroup := t.Item(ln.Item)
	item := ln.Item
	splits := pr.scratch[:0]
	switch {
	case !inGroup:
		lr.Reason = NoGroup
		lr.Units = ln.Qty
	default:
		item = ref.Code
		lr.Group = ref.Group
		units := qty * ref.Units // at most 10^12 × 10^6: no overflow
		lr.Units = ln.Qty
		if ref.Units != 1 {
			lr.Units = num.FromMicro(units)
		}
		lr.why.total = units
		if pr.cover != Covered {
			lr.Reason = pr.cover
			break
		}
		left, inWindow := units, false
		for _, r32 := range pr.ix.precedence(ref.Group) {
			ri := int(r32)
			r := &pr.ix.rules[ri]
			if pr.day < r.start || pr.day > r.end {
				continue
			}
			inWindow = true
			rem := pr.remaining(ri, r)
			if rem <= 0 {
				continue
			}
			take := min(rem, left)
			// Only an unlimited rule's count can come near an int64.
			if pr.l.usedOf(ri) > math.MaxInt64-pr.extraOf(ri)-take {
				return LineResult{}, &plan.ValidationError{Path: fmt.Sprintf("lines[%d].qty", i), Value: num.Format(ln.Qty),
					Reason: fmt.Sprintf("would take rule %q's recorded usage beyond what the ledger can count", r.id)}
			}
			splits = append(splits, splitRec{rule: int32(ri), units: take})
			pr.scratch = splits
			pr.take(ri, take)
			left -= take
			if left == 0 {
				break
			}
		}
		switch {
		case left == 0:
			lr.Reason = Covered
		case !inWindow:
			lr.Reason = NoRule
		default:
			lr.Reason = UsedUp
		}
		lr.why.uncovered = left
	}
	pr.a.d.SetInt64(0)
	if len(splits) > 0 {
		if len(pr.out)+len(splits) > cap(pr.out) {
			pr.out = make([]Split, 0, max(2*cap(pr.out), len(splits), 2*pr.lines))
		}
		n := len(pr.out)
		pr.out = pr.out[:n+len(splits)]
		lr.Splits = pr.out[n : n+len(splits) : n+len(splits)]
		pr.a.splits(pr.ix, price, ref.Units, ln.Qty, qty, splits, lr.Splits)
		lr.Discount = pr.a.dec(&pr.a.d)
	}
	lr.Net = pr.a.total()

	if p != nil {
		rec := lineRec{line: ln.ID, item: item, qty: qty, price: price,
			split0: int32(len(p.splits)), nsplit: uint16(len(splits)), reason: lr.Reason}
		for k := range splits {
			if splits[k].disc == wideMark {
				if p.wide == nil {
					p.wide = map[int]wideSplit{}
				}
				p.wide[len(p.splits)+k] = wideSplit{disc: lr.Splits[k].Discount, list: lr.Splits[k].ListValue}
			}
		}
		p.lines = append(p.lines, rec)
		p.splits = append(p.splits, splits...)
	}
	return lr, nil
}

func (pr *pricer) take(rule int, units int64) {
	if pr.extra == nil {
		pr.extra = make([]int64, len(pr.ix.ids))
	}
	pr.extra[rule] += units
}

func (pr *pricer) extraOf(rule int) int64 {
	if pr.extra == nil {
		return 0
	}
	return pr.extra[rule]
}
