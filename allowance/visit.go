package allowance

import (
	"errors"
	"fmt"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/plan"
)

// Visit is one invoice's lines on one date, in the order the items were
// dispensed: lines are applied in that order.
type Visit struct {
	Invoice string
	Date    plan.Date
	Lines   []Line
}

// Line is an invoice line. A line is identified by (subscription, invoice,
// ID).
type Line struct {
	ID        string
	Item      string
	Qty       decimal.Decimal
	UnitPrice decimal.Decimal
}

// Errors a caller may branch on with errors.Is. Each arrives inside a
// *plan.ValidationError that names the field, or wrapped with the ids
// involved.
var (
	// ErrLineConflict: the line was already committed with different
	// content (item, qty, unitPrice or date).
	ErrLineConflict = errors.New("line already committed with different content")
	// ErrUnknownLine: no committed line has that invoice and line id.
	ErrUnknownLine = errors.New("no committed line with that invoice and line id")
	// ErrAlreadyReversed: the line was reversed already.
	ErrAlreadyReversed = errors.New("line already reversed")
	// ErrOtherSubscription: the ledger records another subscription's
	// usage, or usage under other terms (another digest).
	ErrOtherSubscription = errors.New("ledger belongs to another subscription")
	// ErrUnknownRule: the plan has no rule with that id.
	ErrUnknownRule = errors.New("no rule with that id in the plan")
	// ErrOverAllowance: an adjustment would take a rule's used below zero
	// or above what it allows.
	ErrOverAllowance = errors.New("adjustment outside the rule's allowance")
)

// Bounds of a line in millionths: 0 < qty <= 10^6, 0 <= unit price < 10^12.
const (
	maxQtyMicro   = 1_000_000 * 1_000_000
	maxPriceMicro = 1_000_000_000_000 * 1_000_000
)

// validate checks the visit's own fields and reports every problem, each a
// *plan.ValidationError with a path relative to the visit ("lines[1].qty").
func (v *Visit) validate() error {
	var list []error
	add := func(path, value, reason string) {
		list = append(list, &plan.ValidationError{Path: path, Value: value, Reason: reason})
	}
	if v.Invoice == "" {
		add("invoice", "", "is missing; want the invoice id")
	} else if !utf8.ValidString(v.Invoice) {
		add("invoice", v.Invoice, "is not valid UTF-8; want text")
	}
	if v.Date.IsZero() {
		add("date", "", "is missing; want the visit's date YYYY-MM-DD")
	}
	// Paths are built only for problems; a small visit finds a repeated
	// line id by scanning, a large one through a map.
	var seen map[string]int
	if len(v.Lines) > 64 {
		seen = make(map[string]int, len(v.Lines))
	}
	firstID := func(i int, id string) int {
		if seen != nil {
			if j, dup := seen[id]; dup {
				return j
			}
			seen[id] = i
			return i
		}
		for j := range i {
			if v.Lines[j].ID == id {
				return j
			}
		}
		return i
	}
	for i, ln := range v.Lines {
		at := func(field string) string { return fmt.Sprintf("lines[%d].%s", i, field) }
		if ln.ID == "" {
			add(at("id"), "", "is missing; want the line's id")
		} else if !utf8.ValidString(ln.ID) {
			add(at("id"), ln.ID, "is not valid UTF-8; want text")
		} else if j := firstID(i, ln.ID); j != i {
			add(at("id"), ln.ID, fmt.Sprintf("appears twice in the visit (lines[%d]); line ids are unique within an invoice", j))
		}
		if ln.Item == "" {
			add(at("item"), "", "is missing; want the item code")
		} else if !utf8.ValidString(ln.Item) {
			add(at("item"), ln.Item, "is not valid UTF-8; want an item code")
		}
		// The bounds through millionths, which a quote needs anyway and
		// which cost no allocation; the messages come from plan.
		if q, ok := num.ToMicro(ln.Qty); !ok || q <= 0 || q > maxQtyMicro {
			list = append(list, plan.CheckQuantity(at("qty"), ln.Qty))
		}
		if p, ok := num.ToMicro(ln.UnitPrice); !ok || p < 0 || p >= maxPriceMicro {
			list = append(list, plan.CheckAmount(at("unitPrice"), ln.UnitPrice))
		}
	}
	return errors.Join(list...)
}
