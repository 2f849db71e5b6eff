package scenario

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/internal/exposure"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// The readers of the fields events share with the requests of the
// protocol (internal/protocol): a field read by one of them is read the
// same way, and reported with the same path relative to its object,
// whether it comes in a scenario's event or in a request.

// ReadVisit reads a visit's "date", "invoice" and "lines" ([{"id",
// "item", "qty", "unitPrice"}]).
func ReadVisit(o wire.Object) allowance.Visit {
	v := allowance.Visit{Date: ReadDate(o, "date", true)}
	v.Invoice, _ = o.String("invoice", true)
	if a, ok := o.Array("lines", true); ok {
		for k, x := range a {
			lo, ok := o.Decoder().Object(wire.Index(o.Path("lines"), k), x, "an invoice line")
			if !ok {
				continue
			}
			lo.Only("an invoice line", "id", "item", "qty", "unitPrice")
			var ln allowance.Line
			ln.ID, _ = lo.String("id", true)
			ln.Item, _ = lo.String("item", true)
			ln.Qty, _ = lo.Decimal("qty", true)
			ln.UnitPrice, _ = lo.Decimal("unitPrice", true)
			v.Lines = append(v.Lines, ln)
		}
	}
	return v
}

// ReadPayment reads a payment's "date", "amount" and "status" (taken or
// failed).
func ReadPayment(o wire.Object) billing.Payment {
	p := billing.Payment{Date: ReadDate(o, "date", true)}
	p.Amount, _ = o.Decimal("amount", true)
	if s, ok := o.String("status", true); ok {
		status, err := billing.ParsePaymentStatus(s)
		if err != nil {
			o.Report("status", s, "is not a payment status; want taken or failed")
		}
		p.Status = status
	}
	return p
}

// ReadNotice reads how a subscription ends: "date", "reason", and
// optionally "repayMonths" and "override" {"amount", "note"}.
func ReadNotice(o wire.Object) debt.Notice {
	n := debt.Notice{Date: ReadDate(o, "date", true)}
	n.Reason, _ = o.String("reason", true)
	if m, ok := o.Int("repayMonths", 1, debt.MaxRepayMonths, false); ok {
		n.RepayMonths = int(m)
	}
	if oo, ok := o.Object("override", "an override {\"amount\", \"note\"}", false); ok {
		oo.Only("an override", "amount", "note")
		n.Override = &debt.Override{}
		n.Override.Amount, _ = oo.Decimal("amount", true)
		n.Override.Note, _ = oo.String("note", false)
	}
	return n
}

// ReadPaymentOption reads an optional "payment" option (default monthly).
func ReadPaymentOption(o wire.Object) plan.PaymentOption {
	p, ok := o.String("payment", false)
	if !ok {
		return plan.Monthly
	}
	opt, err := plan.ParsePaymentOption(p)
	if err != nil {
		o.Report("payment", p, "is not a payment option; want monthly, auto, external, manual or advance")
	}
	return opt
}

// ReadInterval reads an optional installment "interval" (default month).
func ReadInterval(o wire.Object) plan.Interval {
	p, ok := o.String("interval", false)
	if !ok {
		return plan.Month
	}
	iv, err := plan.ParseInterval(p)
	if err != nil {
		o.Report("interval", p, "is not an interval; want month, quarter, year or 4weeks")
	}
	return iv
}

// ReadPatient reads an optional patient object through plan.Patient's own
// decoder, reporting its problems under the field's path.
func ReadPatient(o wire.Object, key string) plan.Patient {
	v, ok := o.Get(key)
	if !ok {
		return plan.Patient{}
	}
	enc, _ := json.Marshal(v)
	var pt plan.Patient
	if err := pt.UnmarshalJSON(enc); err != nil {
		for _, p := range plan.Problems(err) {
			o.Decoder().Report(wire.Join(o.Path(key), p.Path), p.Value, p.Reason)
		}
		return plan.Patient{}
	}
	return pt
}

// ReadDate reads a date field, YYYY-MM-DD.
func ReadDate(o wire.Object, key string, required bool) plan.Date {
	s, ok := o.String(key, required)
	if !ok {
		return plan.Date{}
	}
	d, err := plan.ParseDate(s)
	if err != nil {
		o.Report(key, s, "is not a valid date; want YYYY-MM-DD, such as 2026-01-31")
	}
	return d
}

// EventTypes lists the event types, sorted.
func EventTypes() []string {
	out := make([]string, 0, len(eventTypes))
	for t := range eventTypes {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// EventFields lists the fields an event of type typ takes besides "type"
// and "note", nil for an unknown type.
func EventFields(typ string) []string { return append([]string(nil), eventTypes[typ]...) }

// ReadExposureInput reads what an exposure analysis takes besides the
// terms: "start", "prices" {item code: list price}, and optionally "cap",
// "unitsCap" (1..10^9), "payment", "interval" and "multiPet".
func ReadExposureInput(o wire.Object) debt.ExposureInput {
	in := debt.ExposureInput{Start: ReadDate(o, "start", true), Prices: map[string]decimal.Decimal{}}
	if _, ok := o.Object("prices", `the list prices {"ITEM": "12.50"}`, true); ok {
		raw, _ := o.Get("prices")
		m, _ := raw.(map[string]any)
		codes := make([]string, 0, len(m))
		for c := range m {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		for _, c := range codes {
			// The path is the one the analysis names prices by.
			path := fmt.Sprintf("%s[%q]", o.Path("prices"), c)
			if x, ok := wire.DecimalValue(o.Decoder(), path, m[c]); ok {
				if p := plan.Problems(plan.CheckAmount(path, x)); len(p) > 0 {
					o.Decoder().Report(path, p[0].Value, p[0].Reason)
				}
				in.Prices[c] = x
			}
		}
	}
	if c, ok := o.Decimal("cap", false); ok {
		if reason := exposure.CheckCap(c); reason != "" {
			o.Report("cap", c.String(), reason)
		}
		in.Cap = decimal.NewNullDecimal(c)
	}
	if n, ok := o.Int("unitsCap", 1, plan.MaxAllowed, false); ok {
		in.UnitsCap = n
	}
	in.Payment, in.Interval = ReadPaymentOption(o), ReadInterval(o)
	in.MultiPet, _ = o.Bool("multiPet")
	return in
}
