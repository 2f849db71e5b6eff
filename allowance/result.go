package allowance

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// Result is what a visit gets: each line's discount and the totals.
type Result struct {
	// Currency is what the amounts are in.
	Currency plan.Currency
	Invoice  string
	Date     plan.Date
	Lines    []LineResult
	// Gross, Discount and Net are the sums over the lines; Gross =
	// Discount + Net.
	Gross, Discount, Net decimal.Decimal
}

// MarshalJSON writes {"lines": [{"id", "item", "group", "qty", "gross",
// "discount", "net", "splits": [{"rule", "units", "discount"}], "reason"}],
// "total": {"gross", "discount", "net"}}: amounts with exactly the
// currency's minor units, quantities and units without trailing zeros,
// and reason the sentence [LineResult.Why] gives ("" when every unit was
// covered).
func (r Result) MarshalJSON() ([]byte, error) {
	c := r.Currency
	b := append(make([]byte, 0, 64+200*len(r.Lines)), `{"lines":[`...)
	for i := range r.Lines {
		lr := &r.Lines[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"id":`...)
		b = wire.AppendString(b, lr.ID)
		b = append(b, `,"item":`...)
		b = wire.AppendString(b, lr.Item)
		b = append(b, `,"group":`...)
		b = wire.AppendString(b, lr.Group)
		b = append(b, `,"qty":`...)
		b = wire.AppendString(b, num.Format(lr.Qty))
		b = appendAmounts(b, c, lr.Gross, lr.Discount, lr.Net)
		b = append(b, `,"splits":[`...)
		for k, sp := range lr.Splits {
			if k > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"rule":`...)
			b = wire.AppendString(b, sp.Rule)
			b = append(b, `,"units":`...)
			b = wire.AppendString(b, num.Format(sp.Units))
			b = append(b, `,"discount":"`...)
			b = append(b, c.Format(sp.Discount)...)
			b = append(b, `"}`...)
		}
		b = append(b, `],"reason":`...)
		b = wire.AppendString(b, lr.Why())
		b = append(b, '}')
	}
	b = append(b, `],"total":{`...)
	b = appendAmounts(b, c, r.Gross, r.Discount, r.Net)
	return append(b, "}}"...), nil
}

// appendAmounts writes "gross", "discount" and "net" fields; after the
// first field of an object it puts a comma first.
func appendAmounts(b []byte, c plan.Currency, gross, discount, net decimal.Decimal) []byte {
	if b[len(b)-1] != '{' {
		b = append(b, ',')
	}
	b = append(b, `"gross":"`...)
	b = append(b, c.Format(gross)...)
	b = append(b, `","discount":"`...)
	b = append(b, c.Format(discount)...)
	b = append(b, `","net":"`...)
	b = append(b, c.Format(net)...)
	return append(b, '"')
}

// LineResult is one line's outcome.
type LineResult struct {
	ID   string
	Item string
	// Group is the item's treatment group, "" when it is in none.
	Group string
	Qty   decimal.Decimal
	// Units is the line's allowance units: Qty × the item's units.
	Units decimal.Decimal
	// Gross is Qty × UnitPrice rounded to the currency; Net = Gross −
	// Discount, and 0 <= Discount <= Gross.
	Gross, Discount, Net decimal.Decimal
	// Splits are the rules that covered the line, in the order they were
	// used; their discounts add up to Discount exactly.
	Splits []Split
	// Reason says why some allowance units were not covered; Covered when
	// every unit was (whatever the rules' discounts).
	Reason Reason
	// Recorded is set when the line had been committed before: this is its
	// recorded result and nothing more was consumed.
	Recorded bool

	why whyContext
}

// whyContext is what Why needs to explain a reason in a sentence.
type whyContext struct {
	date, limit plan.Date
	day         int
	uncovered   int64 // allowance units at full price, in millionths
	total       int64
}

// Split is the part of a line one rule covered. It is recorded as a
// redemption.
type Split struct {
	Rule  string
	Units decimal.Decimal
	// Discount is the split's share of the line's discount, by the prefix
	// rule: round(Σ values up to this split) − round(Σ values before it).
	Discount decimal.Decimal
	// ListValue is the list price of the units covered, shared out by the
	// same prefix rule; it is what a core redemption is worth on the list
	// basis.
	ListValue decimal.Decimal
}

// Reason is why a line was not fully discounted.
type Reason uint8

const (
	// Covered: every allowance unit of the line was covered by a rule.
	Covered Reason = iota
	// NoGroup: the item is in no treatment group.
	NoGroup
	// BeforeStart: the visit is before the subscription starts.
	BeforeStart
	// AfterTerm: the visit is after the term and its grace days.
	AfterTerm
	// Terminated: the subscription has been terminated.
	Terminated
	// SuspendedSub: the subscription is suspended on the visit's date.
	SuspendedSub
	// NoRule: no rule of the item's group has a window containing the
	// visit's day.
	NoRule
	// UsedUp: the rules that apply have no units left for the rest of the
	// line.
	UsedUp
)

var reasonNames = [...]string{"covered", "noGroup", "beforeStart", "afterTerm", "terminated", "suspended", "noRule", "usedUp"}

// String is the reason's short name ("usedUp").
func (r Reason) String() string {
	if int(r) < len(reasonNames) {
		return reasonNames[r]
	}
	return fmt.Sprintf("Reason(%d)", uint8(r))
}

func parseReason(s string) (Reason, bool) {
	for i, n := range reasonNames {
		if n == s {
			return Reason(i), true
		}
	}
	return 0, false
}

// Why explains the line's reason in a sentence, or returns "" when every
// unit was covered.
func (lr *LineResult) Why() string {
	w := lr.why
	switch lr.Reason {
	case Covered:
		return ""
	case NoGroup:
		return fmt.Sprintf("item %q is in no treatment group", lr.Item)
	case BeforeStart:
		return fmt.Sprintf("%s is before the subscription starts on %s", w.date, w.limit)
	case AfterTerm:
		return fmt.Sprintf("%s is after the term and its grace days (last covered day %s)", w.date, w.limit)
	case Terminated:
		return fmt.Sprintf("the subscription was terminated on %s", w.limit)
	case SuspendedSub:
		if w.limit.IsZero() {
			return fmt.Sprintf("the subscription was suspended on %s", w.date)
		}
		return fmt.Sprintf("the subscription is suspended on %s (since %s)", w.date, w.limit)
	case NoRule:
		return fmt.Sprintf("no rule of group %q applies on day %d", lr.Group, w.day)
	case UsedUp:
		return fmt.Sprintf("allowance used up: %s of %s units at full price", num.Format(num.FromMicro(w.uncovered)), num.Format(num.FromMicro(w.total)))
	}
	return lr.Reason.String()
}
