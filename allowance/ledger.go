package allowance

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/wire"
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
	sub   string      // the subscription, "" until the ledger is bound
	terms *plan.Terms // its terms, nil until bound
	ix    *index      // the terms' rules compiled; nil until bound

	// used is each rule's used units, in millionths, and adjusted the part
	// of it that adjustments make up. Both are derived from the lines and
	// adjustments (and rebuilt from them when decoding).
	used     []int64
	adjusted []int64

	visits  []visitRec
	lines   []lineRec
	splits  []splitRec
	adjusts []adjustRec
	// invoices maps an invoice to its most recent visit; older visits of
	// the same invoice follow through visitRec.prev. A line is looked up
	// among its invoice's lines only (through the visit's own map when it
	// has many), so a lookup costs the same however long the history.
	invoices map[string]int32
	// wide holds the amounts of splits too large for int64 minor units.
	wide map[int32]wideSplit

	// raw is the JSON of the visits holding lines[:rawLines] exactly as
	// AppendJSON writes them, kept from the document the ledger was
	// decoded from when that was written so: encoding copies it rather
	// than writing those visits again. Reversing one of those lines drops
	// it.
	raw      string
	rawLines int32
}

// NewLedger returns an empty ledger bound to sub: it records sub's usage
// only, and has compiled sub's rules once for all its quotes. The zero
// Ledger works too, and binds itself at its first commit.
func NewLedger(sub *plan.Subscription) (*Ledger, error) {
	var l Ledger
	if err := l.check(sub); err != nil {
		return nil, err
	}
	l.bind(sub)
	return &l, nil
}

// visitRec is one commit: the invoice and date its new lines share. Its
// lines are lines[first:] up to the next visit's first.
type visitRec struct {
	invoice string
	date    plan.Date
	first   int32
	prev    int32 // the previous visit of the same invoice, or -1
	// byID indexes the lines of a visit with many, by line id.
	byID map[string]int32
}

// manyLines is how many lines a visit has before its lines are found
// through a map rather than by scanning them.
const manyLines = 32

// lineRec is a committed line, stored compactly: quantities and prices in
// millionths, amounts in minor units.
type lineRec struct {
	line     string
	item     string
	qty      int64
	price    int64
	visit    int32
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
// an unbound ledger.
func (l *Ledger) Subscription() string { return l.sub }

// Len is the number of lines committed (reversed ones included).
func (l *Ledger) Len() int { return len(l.lines) }

// check refuses a subscription the ledger does not belong to: another id,
// or terms other than those it was recorded under (terms built again from
// the same document, with the same digest, are its own). It is on the
// path of every quote, so it checks what a quote relies on and no more
// (the subscription's own fields were checked when it was made).
func (l *Ledger) check(sub *plan.Subscription) error {
	switch {
	case sub == nil:
		return &plan.ValidationError{Path: "subscription", Reason: "is nil"}
	case sub.Terms.IsZero():
		return &plan.ValidationError{Path: "terms", Reason: "are missing; build them with Catalog.Terms or NewTerms", Err: plan.ErrZeroTerms}
	case sub.ID == "" || sub.Start.IsZero():
		return sub.Validate()
	case l.ix == nil:
		return nil
	case l.sub != sub.ID:
		return fmt.Errorf("%w: the ledger records subscription %q, not %q", ErrOtherSubscription, l.sub, sub.ID)
	case l.terms == sub.Terms:
		return nil
	}
	t := sub.Terms
	if ids := t.RuleIDs(); !slices.Equal(l.ix.ids, ids) {
		return fmt.Errorf("%w: the ledger was recorded under rules %s, but the subscription's plan has %s", ErrOtherSubscription,
			strings.Join(l.ix.ids, ", "), strings.Join(ids, ", "))
	}
	if l.ix.currency != t.Currency().Code() {
		return fmt.Errorf("%w: the ledger is in %s, the subscription in %s", ErrOtherSubscription, l.ix.currency, t.Currency())
	}
	// Terms built again from the same document are the ledger's own;
	// rules of the same ids that say something else are not.
	if l.terms.Digest() != t.Digest() {
		return fmt.Errorf("%w: the ledger was recorded under terms %s of plan %q, but the subscription's are %s", ErrOtherSubscription,
			l.terms.Digest(), l.terms.PlanID(), t.Digest())
	}
	return nil
}

// bind gives an unbound ledger the subscription's identity and compiles
// its rules.
func (l *Ledger) bind(sub *plan.Subscription) {
	if l.ix != nil {
		return
	}
	l.sub, l.terms = sub.ID, sub.Terms
	l.ix = indexFor(sub.Terms)
	l.used = make([]int64, len(l.ix.ids))
	l.adjusted = make([]int64, len(l.ix.ids))
}

// rulesFor is the compiled index a call on sub works with: the ledger's
// own, or for an unbound ledger one compiled for the call.
func (l *Ledger) rulesFor(sub *plan.Subscription) *index {
	if l.ix != nil {
		return l.ix
	}
	return indexFor(sub.Terms)
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
	v, ok := l.invoices[invoice]
	if !ok {
		return -1
	}
	for ; v >= 0; v = l.visits[v].prev {
		if i := l.inVisit(v, line); i >= 0 {
			return i
		}
	}
	return -1
}

// inVisit returns the index of the line with the given id in visit v, or
// -1.
func (l *Ledger) inVisit(v int32, line string) int {
	vr := &l.visits[v]
	if vr.byID != nil {
		if i, ok := vr.byID[line]; ok {
			return int(i)
		}
		return -1
	}
	for i := vr.first; i < l.visitEnd(v); i++ {
		if l.lines[i].line == line {
			return int(i)
		}
	}
	return -1
}

// visitEnd is the index after visit v's last line.
func (l *Ledger) visitEnd(v int32) int32 {
	if int(v)+1 < len(l.visits) {
		return l.visits[v+1].first
	}
	return int32(len(l.lines))
}

// link adds visit v, whose lines are recorded already, to the index. It
// returns the index of a line of v whose id is still live in an earlier
// visit of the same invoice, or -1: the caller decides whether that is
// allowed. (A visit's own line ids are unique: Commit and the decoder
// check that first.)
func (l *Ledger) link(v int32) int {
	vr := &l.visits[v]
	if l.invoices == nil {
		l.invoices = map[string]int32{}
	}
	vr.prev = -1
	if head, ok := l.invoices[vr.invoice]; ok {
		vr.prev = head
	}
	end := l.visitEnd(v)
	if end-vr.first > manyLines {
		vr.byID = make(map[string]int32, end-vr.first)
		for i := vr.first; i < end; i++ {
			vr.byID[l.lines[i].line] = i
		}
	}
	l.invoices[vr.invoice] = v
	for i := vr.first; i < end && vr.prev >= 0; i++ {
		id := l.lines[i].line
		for w := vr.prev; w >= 0; w = l.visits[w].prev {
			if j := l.inVisit(w, id); j >= 0 {
				if !l.lines[j].reversed {
					return int(i)
				}
				break
			}
		}
	}
	return -1
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
	return num.FromMinor(s.disc, l.ix.places), num.FromMinor(s.list, l.ix.places)
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
		lr.Group = ref.Group
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
		lr.Splits[k] = Split{Rule: l.ix.ids[s.rule], Units: num.FromMicro(s.units), Discount: d, ListValue: lv}
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
	l.visits = append(l.visits, visitRec{invoice: v.Invoice, date: v.Date, first: int32(len(l.lines))})
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
	}
	l.link(visit) // Commit found none of its new lines live
}

// Reversal is what reversing a line gave back: the units each of its
// splits took, to the same rules, in split order.
type Reversal struct {
	Restored []Restored
}

// Restored is what reversing a line gave back to one rule.
type Restored struct {
	Rule  string
	Units decimal.Decimal
}

// MarshalJSON writes {"restored": [{"rule", "units"}]}, units as decimal
// strings without trailing zeros.
func (r Reversal) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, 32+32*len(r.Restored)), `{"restored":[`...)
	for i, x := range r.Restored {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"rule":`...)
		b = wire.AppendString(b, x.Rule)
		b = append(b, `,"units":`...)
		b = wire.AppendString(b, num.Format(x.Units))
		b = append(b, '}')
	}
	return append(b, "]}"...), nil
}

// Reverse undoes a committed line (a credit note, a deleted item): it
// restores exactly the units its redemptions took, to the same rules, and
// takes their value out of what a settlement counts. The line stays in the
// ledger, marked reversed, and may be committed again. Reversing an
// unknown or already reversed line is refused and changes nothing.
func (l *Ledger) Reverse(sub *plan.Subscription, invoice, line string) (Reversal, error) {
	if err := l.check(sub); err != nil {
		return Reversal{}, err
	}
	i := l.find(invoice, line)
	if i < 0 {
		return Reversal{}, &plan.ValidationError{Path: "line", Value: line, Err: ErrUnknownLine,
			Reason: fmt.Sprintf("is not a committed line of invoice %q", invoice)}
	}
	r := &l.lines[i]
	if r.reversed {
		return Reversal{}, &plan.ValidationError{Path: "line", Value: line, Err: ErrAlreadyReversed,
			Reason: fmt.Sprintf("of invoice %q is already reversed", invoice)}
	}
	r.reversed = true
	if int32(i) < l.rawLines {
		l.raw, l.rawLines = "", 0
	}
	out := make([]Restored, r.nsplit)
	for k := range out {
		s := &l.splits[r.split0+int32(k)]
		l.used[s.rule] -= s.units
		out[k] = Restored{Rule: l.ix.ids[s.rule], Units: num.FromMicro(s.units)}
	}
	return Reversal{Restored: out}, nil
}

// Adjustment is a rule's usage after an adjustment.
type Adjustment struct {
	Rule    string
	Allowed plan.Limit
	Used    decimal.Decimal
	// Remaining is Allowed − Used; zero when Allowed is unlimited.
	Remaining decimal.Decimal
}

// MarshalJSON writes {"rule", "used", "remaining"}: units as decimal
// strings, remaining "unlimited" where the rule has no limit.
func (a Adjustment) MarshalJSON() ([]byte, error) {
	b := append(make([]byte, 0, 64), `{"rule":`...)
	b = wire.AppendString(b, a.Rule)
	b = append(b, `,"used":`...)
	b = wire.AppendString(b, num.Format(a.Used))
	b = append(b, `,"remaining":`...)
	b = wire.AppendString(b, remainingText(a.Allowed, a.Remaining))
	return append(b, '}'), nil
}

// remainingText writes what remains of a limit: "unlimited", or the units.
func remainingText(l plan.Limit, remaining decimal.Decimal) string {
	if l.IsUnlimited() {
		return "unlimited"
	}
	return num.Format(remaining)
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
	ix := l.rulesFor(sub)
	ri := slices.Index(ix.ids, rule)
	if ri < 0 {
		return Adjustment{}, &plan.ValidationError{Path: "rule", Value: rule, Err: ErrUnknownRule,
			Reason: fmt.Sprintf("is not a rule of plan %q; want one of %s", sub.Terms.PlanID(), strings.Join(ix.ids, ", "))}
	}
	m, ok := num.ToMicro(units)
	if !ok || units.IsZero() || units.Abs().GreaterThan(adjustLimit) {
		return Adjustment{}, &plan.ValidationError{Path: "units", Value: num.Format(units),
			Reason: "is not a usable adjustment; want a non-zero number of units within ±1000000000 with at most 6 decimal places"}
	}
	r := &ix.rules[ri]
	if m > 0 && l.usedOf(ri) > math.MaxInt64-m {
		return Adjustment{}, &plan.ValidationError{Path: "units", Value: num.Format(units),
			Reason: fmt.Sprintf("would take rule %q's recorded usage beyond what the ledger can count", rule)}
	}
	after := l.usedOf(ri) + m
	if !r.limit.IsUnlimited() && after > r.allowed {
		return Adjustment{}, &plan.ValidationError{Path: "units", Value: num.Format(units), Err: ErrOverAllowance,
			Reason: fmt.Sprintf("would make rule %q's used %s, above the %s it allows", rule, num.Format(num.FromMicro(after)), r.limit)}
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
	return l.adjustment(ri), nil
}

func (l *Ledger) adjustment(ri int) Adjustment {
	r := &l.ix.rules[ri]
	a := Adjustment{Rule: r.id, Allowed: r.limit, Used: num.FromMicro(l.usedOf(ri))}
	if !r.limit.IsUnlimited() {
		a.Remaining = num.FromMicro(r.allowed - l.usedOf(ri))
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
	var out []Redemption
	for i := range l.lines {
		r := &l.lines[i]
		if r.reversed {
			continue
		}
		v := &l.visits[r.visit]
		for k := int32(0); k < int32(r.nsplit); k++ {
			s := &l.splits[r.split0+k]
			info := &l.ix.rules[s.rule]
			d, lv := l.splitMoney(r.split0 + k)
			out = append(out, Redemption{Invoice: v.invoice, Line: r.line, Item: r.item, Date: v.date,
				Rule: info.id, Group: info.group, Core: info.core, Units: num.FromMicro(s.units), Discount: d, ListValue: lv})
		}
	}
	return out, nil
}
