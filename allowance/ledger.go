package allowance

import (
	"fmt"
	"hash/maphash"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/plan"
)

// Ledger is one subscription's usage: every committed line with the rules
// that covered it, every adjustment, and a counter per rule. The host
// persists it (it marshals to JSON) and passes it back at the next visit.
// The zero Ledger is an empty one; it takes the identity of the first
// subscription it records usage for.
//
// Commit, Reverse and Adjust change the ledger in place, and only when they
// succeed. The cost of a quote does not grow with the history: rules keep
// counters, and lines are found through an index by invoice.
type Ledger struct {
	sub      string   // the subscription, "" until something is recorded
	currency string   // its currency code
	places   int32    // its currency's minor units
	rules    []string // its rule ids in plan order

	// used is each rule's used units, in millionths, and adjusted the part
	// of it that adjustments make up. Both are derived from the lines and
	// adjustments (and rebuilt from them when decoding).
	used     []int64
	adjusted []int64

	visits  []visitRec
	lines   []lineRec
	splits  []splitRec
	adjusts []adjustRec
	// index maps a hash of (invoice, line id) to the most recent line
	// with that hash; older ones follow through lineRec.prev. A lookup
	// costs the same however long the history or the invoice.
	index map[uint64]int32
	seed  maphash.Seed
	// wide holds the amounts of splits too large for int64 minor units.
	wide map[int32]wideSplit
}

// visitRec is one commit: the invoice and date its new lines share.
type visitRec struct {
	invoice string
	date    plan.Date
}

// lineRec is a committed line, stored compactly: quantities and prices in
// millionths, amounts in minor units.
type lineRec struct {
	line     string
	item     string
	qty      int64
	price    int64
	visit    int32
	prev     int32 // the previous line with the same index hash, or -1
	split0   int32 // its first split in Ledger.splits
	nsplit   uint16
	reason   Reason
	reversed bool
}

// splitRec is a redemption: the units a rule covered and their money.
type splitRec struct {
	rule  int32
	units int64 // millionths
	disc  int64 // minor units, or wideMark
	list  int64
}

// wideMark in splitRec.disc sends the reader to Ledger.wide.
const wideMark = math.MinInt64

type wideSplit struct{ disc, list decimal.Decimal }

type adjustRec struct {
	rule  int32
	units int64 // millionths, signed
}

// Subscription is the id of the subscription the ledger records, "" for
// an empty ledger.
func (l *Ledger) Subscription() string { return l.sub }

// Len is the number of lines committed (reversed ones included).
func (l *Ledger) Len() int { return len(l.lines) }

// check refuses a subscription the ledger does not belong to.
func (l *Ledger) check(sub *plan.Subscription) error {
	if err := sub.Validate(); err != nil {
		return err
	}
	if l.sub == "" {
		return nil
	}
	t := sub.Terms
	if l.sub != sub.ID {
		return fmt.Errorf("%w: the ledger records subscription %q, not %q", ErrOtherSubscription, l.sub, sub.ID)
	}
	if !slices.Equal(l.rules, t.RuleIDs()) {
		return fmt.Errorf("%w: the ledger was recorded under rules %s, but the subscription's plan has %s", ErrOtherSubscription,
			strings.Join(l.rules, ", "), strings.Join(t.RuleIDs(), ", "))
	}
	if l.currency != t.Currency().Code() {
		return fmt.Errorf("%w: the ledger is in %s, the subscription in %s", ErrOtherSubscription, l.currency, t.Currency())
	}
	// A ledger decoded from JSON could record more than the rules allow;
	// refuse it rather than show a negative remaining.
	for i, u := range l.used {
		if a := t.Rule(i).Allowed; !a.IsUnlimited() && u > a.Units()*micro {
			return fmt.Errorf("%w: the ledger records %s units used of rule %q, which allows %s",
				ErrOtherSubscription, num.Format(num.FromMicro(u)), l.rules[i], a)
		}
	}
	return nil
}

// bind gives an empty ledger the subscription's identity.
func (l *Ledger) bind(sub *plan.Subscription) {
	if l.sub != "" {
		return
	}
	t := sub.Terms
	l.sub = sub.ID
	l.currency = t.Currency().Code()
	l.places = t.Currency().MinorUnits()
	l.rules = t.RuleIDs()
	l.used = make([]int64, len(l.rules))
	l.adjusted = make([]int64, len(l.rules))
}

func (l *Ledger) adjustedOf(rule int) int64 {
	if l.adjusted == nil {
		return 0
	}
	return l.adjusted[rule]
}

func (l *Ledger) usedOf(rule int) int64 {
	if l.used == nil {
		return 0
	}
	return l.used[rule]
}

// live returns the index of the line's current record, or -1 when the line
// was never committed or its last record was reversed.
func (l *Ledger) live(invoice, line string) int {
	i := l.find(invoice, line)
	if i < 0 || l.lines[i].reversed {
		return -1
	}
	return i
}

// find returns the index of the line's most recent record, or -1.
func (l *Ledger) find(invoice, line string) int {
	if len(l.index) == 0 {
		return -1
	}
	i, ok := l.index[l.key(invoice, line)]
	if !ok {
		return -1
	}
	for ; i >= 0; i = l.lines[i].prev {
		if r := &l.lines[i]; r.line == line && l.visits[r.visit].invoice == invoice {
			return int(i)
		}
	}
	return -1
}

// key hashes a line's identity for the index.
func (l *Ledger) key(invoice, line string) uint64 {
	return maphash.Comparable(l.seed, [2]string{invoice, line})
}

// link adds line i to the index.
func (l *Ledger) link(i int32, invoice string) {
	if l.index == nil {
		l.index = map[uint64]int32{}
		l.seed = maphash.MakeSeed()
	}
	k := l.key(invoice, l.lines[i].line)
	l.lines[i].prev = -1
	if head, ok := l.index[k]; ok {
		l.lines[i].prev = head
	}
	l.index[k] = i
}

// conflict compares a line with its recorded content.
func (l *Ledger) conflict(rec int, ln *Line, date plan.Date, i int) error {
	r := &l.lines[rec]
	v := &l.visits[r.visit]
	at := fmt.Sprintf("lines[%d]", i)
	bad := func(path, given, recorded string) error {
		return &plan.ValidationError{Path: path, Value: given, Err: ErrLineConflict,
			Reason: fmt.Sprintf("differs from %q recorded for invoice %q line %q; a committed line can only be committed again unchanged (reverse it first to change it)", recorded, v.invoice, r.line)}
	}
	if ln.Item != r.item {
		return bad(at+".item", ln.Item, r.item)
	}
	if q, _ := num.ToMicro(ln.Qty); q != r.qty {
		return bad(at+".qty", num.Format(ln.Qty), num.Format(num.FromMicro(r.qty)))
	}
	if p, _ := num.ToMicro(ln.UnitPrice); p != r.price {
		return bad(at+".unitPrice", num.Format(ln.UnitPrice), num.Format(num.FromMicro(r.price)))
	}
	if date != v.date {
		return bad("date", date.String(), v.date.String())
	}
	return nil
}

func (l *Ledger) splitMoney(i int32) (disc, list decimal.Decimal) {
	s := &l.splits[i]
	if s.disc == wideMark {
		w := l.wide[i]
		return w.disc, w.list
	}
	return num.FromMinor(s.disc, l.places), num.FromMinor(s.list, l.places)
}

// recorded rebuilds a committed line's result.
func (l *Ledger) recorded(sub *plan.Subscription, rec int, a *arith) LineResult {
	t := sub.Terms
	r := &l.lines[rec]
	v := &l.visits[r.visit]
	qty := num.FromMicro(r.qty)
	a.gross(r.qty, r.price)
	lr := LineResult{ID: r.line, Item: r.item, Qty: qty, Units: qty, Reason: r.reason, Recorded: true, Gross: a.dec(&a.g)}
	_, limit := coverage(sub, v.date)
	lr.why = whyContext{date: v.date, limit: limit, day: sub.Day(v.date)}
	if ref, ok := t.Item(r.item); ok {
		lr.Group = t.Group(ref.Group).ID
		lr.why.total = r.qty * ref.Units
		lr.Units = num.FromMicro(lr.why.total)
	}
	covered := int64(0)
	if r.nsplit > 0 {
		lr.Splits = make([]Split, r.nsplit)
	}
	a.d.SetInt64(0)
	for k := range lr.Splits {
		si := r.split0 + int32(k)
		s := &l.splits[si]
		d, lv := l.splitMoney(si)
		lr.Splits[k] = Split{Rule: l.rules[s.rule], Units: num.FromMicro(s.units), Discount: d, ListValue: lv}
		if s.disc != wideMark {
			a.x.SetInt64(s.disc)
		} else {
			a.x.Set(d.Shift(a.places).BigInt())
		}
		a.d.Add(&a.d, &a.x)
		covered += s.units
	}
	lr.Discount = a.dec(&a.d)
	lr.Net = a.total()
	lr.why.uncovered = lr.why.total - covered
	return lr
}

// apply records a priced visit's new lines.
func (l *Ledger) apply(sub *plan.Subscription, v *Visit, p *pending) {
	if len(p.lines) == 0 {
		return
	}
	l.bind(sub)
	visit := int32(len(l.visits))
	l.visits = append(l.visits, visitRec{invoice: v.Invoice, date: v.Date})
	base := int32(len(l.splits))
	for k, w := range p.wide {
		if l.wide == nil {
			l.wide = map[int32]wideSplit{}
		}
		l.wide[base+int32(k)] = w
	}
	for _, s := range p.splits {
		l.used[s.rule] += s.units
	}
	l.splits = append(l.splits, p.splits...)
	for _, rec := range p.lines {
		rec.visit = visit
		rec.split0 += base
		l.lines = append(l.lines, rec)
		l.link(int32(len(l.lines)-1), v.Invoice)
	}
}

// Restored is what reversing a line gave back to one rule.
type Restored struct {
	Rule  string
	Units decimal.Decimal
}

// Reverse undoes a committed line (a credit note, a deleted item): it
// restores exactly the units its redemptions took, to the same rules, and
// takes their value out of what a settlement counts. The line stays in the
// ledger, marked reversed, and may be committed again. Reversing an
// unknown or already reversed line is refused and changes nothing.
func (l *Ledger) Reverse(sub *plan.Subscription, invoice, line string) ([]Restored, error) {
	if err := l.check(sub); err != nil {
		return nil, err
	}
	i := l.find(invoice, line)
	if i < 0 {
		return nil, &plan.ValidationError{Path: "line", Value: line, Err: ErrUnknownLine,
			Reason: fmt.Sprintf("is not a committed line of invoice %q", invoice)}
	}
	r := &l.lines[i]
	if r.reversed {
		return nil, &plan.ValidationError{Path: "line", Value: line, Err: ErrAlreadyReversed,
			Reason: fmt.Sprintf("of invoice %q is already reversed", invoice)}
	}
	r.reversed = true
	out := make([]Restored, r.nsplit)
	for k := range out {
		s := &l.splits[r.split0+int32(k)]
		l.used[s.rule] -= s.units
		out[k] = Restored{Rule: l.rules[s.rule], Units: num.FromMicro(s.units)}
	}
	return out, nil
}

// Adjustment is a rule's usage after an adjustment.
type Adjustment struct {
	Rule    string
	Allowed plan.Limit
	Used    decimal.Decimal
	// Remaining is Allowed − Used; zero when Allowed is unlimited.
	Remaining decimal.Decimal
}

var adjustLimit = decimal.New(plan.MaxAllowed, 0)

// Adjust records usage that happened outside the library (a migration from
// another system: "these were already used"): units are added to the
// rule's used, or taken off again when negative. It is recorded like a
// redemption with no money, so it never counts towards a settlement. Used
// must stay within 0..allowed, and a negative adjustment can only take
// back adjusted units: units that committed lines hold come back by
// reversing those lines.
func (l *Ledger) Adjust(sub *plan.Subscription, rule string, units decimal.Decimal) (Adjustment, error) {
	if err := l.check(sub); err != nil {
		return Adjustment{}, err
	}
	t := sub.Terms
	ri, ok := t.RuleIndex(rule)
	if !ok {
		return Adjustment{}, &plan.ValidationError{Path: "rule", Value: rule, Err: ErrUnknownRule,
			Reason: fmt.Sprintf("is not a rule of plan %q; want one of %s", t.PlanID(), strings.Join(t.RuleIDs(), ", "))}
	}
	m, ok := num.ToMicro(units)
	if !ok || units.IsZero() || units.Abs().GreaterThan(adjustLimit) {
		return Adjustment{}, &plan.ValidationError{Path: "units", Value: num.Format(units),
			Reason: "is not a usable adjustment; want a non-zero number of units within ±1000000000 with at most 6 decimal places"}
	}
	r := t.Rule(ri)
	after := l.usedOf(ri) + m
	if !r.Allowed.IsUnlimited() && after > r.Allowed.Units()*micro {
		return Adjustment{}, &plan.ValidationError{Path: "units", Value: num.Format(units), Err: ErrOverAllowance,
			Reason: fmt.Sprintf("would make rule %q's used %s, above the %s it allows", rule, num.Format(num.FromMicro(after)), r.Allowed)}
	}
	if adj := l.adjustedOf(ri) + m; adj < 0 {
		return Adjustment{}, &plan.ValidationError{Path: "units", Value: num.Format(units), Err: ErrOverAllowance,
			Reason: fmt.Sprintf("would take back more than the %s units adjusted onto rule %q; reverse the lines to give back what they used",
				num.Format(num.FromMicro(l.adjustedOf(ri))), rule)}
	}
	l.bind(sub)
	l.used[ri] = after
	l.adjusted[ri] += m
	l.adjusts = append(l.adjusts, adjustRec{rule: int32(ri), units: m})
	return l.adjustment(t, ri), nil
}

func (l *Ledger) adjustment(t *plan.Terms, ri int) Adjustment {
	r := t.Rule(ri)
	a := Adjustment{Rule: r.ID, Allowed: r.Allowed, Used: num.FromMicro(l.usedOf(ri))}
	if !r.Allowed.IsUnlimited() {
		a.Remaining = num.FromMicro(r.Allowed.Units()*micro - l.usedOf(ri))
	}
	return a
}

// Redemption is one rule's part of a committed line that is not reversed.
type Redemption struct {
	Invoice string
	Line    string
	Item    string
	Date    plan.Date
	Rule    string
	Group   string
	// Core is the group's core flag: only core redemptions count towards
	// a settlement.
	Core      bool
	Units     decimal.Decimal
	Discount  decimal.Decimal
	ListValue decimal.Decimal
}

// Redemptions lists the redemptions of every line that is not reversed, in
// the order they were committed.
func (l *Ledger) Redemptions(sub *plan.Subscription) ([]Redemption, error) {
	if err := l.check(sub); err != nil {
		return nil, err
	}
	t := sub.Terms
	var out []Redemption
	for i := range l.lines {
		r := &l.lines[i]
		if r.reversed {
			continue
		}
		v := &l.visits[r.visit]
		for k := int32(0); k < int32(r.nsplit); k++ {
			s := &l.splits[r.split0+k]
			g := t.Group(t.RuleGroup(int(s.rule)))
			d, lv := l.splitMoney(r.split0 + k)
			out = append(out, Redemption{Invoice: v.invoice, Line: r.line, Item: r.item, Date: v.date,
				Rule: l.rules[s.rule], Group: g.ID, Core: g.Core, Units: num.FromMicro(s.units), Discount: d, ListValue: lv})
		}
	}
	return out, nil
}
