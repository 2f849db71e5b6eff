package postgres

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// Op is one change a practice makes to a contract at the desk, as data:
// [Commit] an invoice, [Reverse] a line of it (a credit note), [Pay] an
// installment. Being data, it can be written to the log beside the
// revision it made, compared with what a re-sent request carries, and
// replayed on a fresh contract by the library alone ([Store.Audit]).
//
// The zero Op is not valid.
type Op struct {
	kind    opKind
	visit   allowance.Visit
	invoice string
	line    string
	payment billing.Payment
}

type opKind uint8

const (
	opNone opKind = iota
	opCommit
	opReverse
	opPay
)

var opNames = [...]string{opNone: "", opCommit: "commit", opReverse: "reverse", opPay: "pay"}

// Commit is the operation that commits a visit: its lines get their
// discounts and use the allowances. Committing lines already committed
// with the same content records nothing new (the library's idempotency
// per invoice line).
func Commit(v allowance.Visit) Op {
	v.Lines = append([]allowance.Line(nil), v.Lines...)
	return Op{kind: opCommit, visit: v}
}

// Reverse is the operation that undoes a committed line.
func Reverse(invoice, line string) Op {
	return Op{kind: opReverse, invoice: invoice, line: line}
}

// Pay is the operation that records a payment, taken or failed. A payment
// is not idempotent by itself: recording it twice records two payments.
// Only its idempotency key ([Store.Do]) tells a re-sent payment from a
// second one.
func Pay(p billing.Payment) Op {
	return Op{kind: opPay, payment: p}
}

// Kind is "commit", "reverse" or "pay", "" for the zero Op.
func (o Op) Kind() string { return opNames[o.kind] }

// Apply runs the operation on c, as Do does, and returns its answer as
// JSON: the allowance.Result of a commit, the allowance.Reversal of a
// reversal, the billing.Standing of a payment. It stores nothing.
func (o Op) Apply(c *healthplan.Contract) ([]byte, error) {
	var (
		res json.Marshaler
		err error
	)
	switch o.kind {
	case opCommit:
		res, err = c.Commit(o.visit)
	case opReverse:
		res, err = c.Reverse(o.invoice, o.line)
	case opPay:
		res, err = c.Pay(o.payment)
	default:
		return nil, errors.New("the zero Op; make one with Commit, Reverse or Pay")
	}
	if err != nil {
		return nil, err
	}
	return res.MarshalJSON()
}

// The JSON form of an Op, one of:
//
//	{"commit": {"invoice": "INV-1", "date": "2026-04-05",
//	            "lines": [{"id": "1", "item": "FLEA-1", "qty": "2", "unitPrice": "23.49"}]}}
//	{"reverse": {"invoice": "INV-1", "line": "1"}}
//	{"pay": {"date": "2026-02-10", "amount": "15.00", "status": "taken"}}
type opJSON struct {
	Commit  *visitJSON   `json:"commit,omitempty"`
	Reverse *reverseJSON `json:"reverse,omitempty"`
	Pay     *paymentJSON `json:"pay,omitempty"`
}

type visitJSON struct {
	Invoice string     `json:"invoice"`
	Date    plan.Date  `json:"date"`
	Lines   []lineJSON `json:"lines"`
}

type lineJSON struct {
	ID        string `json:"id"`
	Item      string `json:"item"`
	Qty       string `json:"qty"`
	UnitPrice string `json:"unitPrice"`
}

type reverseJSON struct {
	Invoice string `json:"invoice"`
	Line    string `json:"line"`
}

type paymentJSON struct {
	Date   plan.Date `json:"date"`
	Amount string    `json:"amount"`
	Status string    `json:"status"`
}

// MarshalJSON writes the operation as UnmarshalJSON reads it; the same
// operation always gives the same bytes, which is how a re-sent request is
// told from another one under the same key.
func (o Op) MarshalJSON() ([]byte, error) {
	var j opJSON
	switch o.kind {
	case opCommit:
		v := &visitJSON{Invoice: o.visit.Invoice, Date: o.visit.Date, Lines: make([]lineJSON, len(o.visit.Lines))}
		for i, ln := range o.visit.Lines {
			v.Lines[i] = lineJSON{ID: ln.ID, Item: ln.Item, Qty: ln.Qty.String(), UnitPrice: ln.UnitPrice.String()}
		}
		j.Commit = v
	case opReverse:
		j.Reverse = &reverseJSON{Invoice: o.invoice, Line: o.line}
	case opPay:
		j.Pay = &paymentJSON{Date: o.payment.Date, Amount: o.payment.Amount.String(), Status: o.payment.Status.String()}
	default:
		return nil, errors.New("postgres: the zero Op has no JSON")
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads an operation as MarshalJSON writes it.
func (o *Op) UnmarshalJSON(b []byte) error {
	var j opJSON
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("an operation: %w", err)
	}
	n := 0
	for _, set := range []bool{j.Commit != nil, j.Reverse != nil, j.Pay != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return errors.New(`an operation has exactly one of "commit", "reverse" and "pay"`)
	}
	switch {
	case j.Commit != nil:
		v := allowance.Visit{Invoice: j.Commit.Invoice, Date: j.Commit.Date, Lines: make([]allowance.Line, len(j.Commit.Lines))}
		for i, ln := range j.Commit.Lines {
			qty, err := decimal.NewFromString(ln.Qty)
			if err != nil {
				return fmt.Errorf("commit.lines[%d].qty: %q is not a number", i, ln.Qty)
			}
			price, err := decimal.NewFromString(ln.UnitPrice)
			if err != nil {
				return fmt.Errorf("commit.lines[%d].unitPrice: %q is not a number", i, ln.UnitPrice)
			}
			v.Lines[i] = allowance.Line{ID: ln.ID, Item: ln.Item, Qty: qty, UnitPrice: price}
		}
		*o = Op{kind: opCommit, visit: v}
	case j.Reverse != nil:
		*o = Reverse(j.Reverse.Invoice, j.Reverse.Line)
	default:
		amount, err := decimal.NewFromString(j.Pay.Amount)
		if err != nil {
			return fmt.Errorf("pay.amount: %q is not a number", j.Pay.Amount)
		}
		status, err := billing.ParsePaymentStatus(j.Pay.Status)
		if err != nil {
			return fmt.Errorf("pay.status: %w", err)
		}
		*o = Pay(billing.Payment{Date: j.Pay.Date, Amount: amount, Status: status})
	}
	return nil
}
