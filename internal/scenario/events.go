package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// Result is one event's outcome: {"index", "type"} followed by the event's
// own fields, or by "error" when the event was refused.
type Result struct {
	Index int
	Type  string
	// Err is the refusal, "" when the event succeeded.
	Err  string
	body any
}

// MarshalJSON writes {"index": i, "type": t, ...}.
func (r Result) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	head, _ := json.Marshal(struct {
		Index int    `json:"index"`
		Type  string `json:"type"`
	}{r.Index, r.Type})
	buf.Write(head[:len(head)-1])
	if r.Err != "" {
		e, _ := json.Marshal(r.Err)
		buf.WriteString(`,"error":`)
		buf.Write(e)
	} else if r.body != nil {
		b, err := json.Marshal(r.body)
		if err != nil {
			return nil, err
		}
		if len(b) > 2 {
			buf.WriteByte(',')
			buf.Write(b[1 : len(b)-1])
		}
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

func errResult(i int, typ string, err error) Result {
	return Result{Index: i, Type: typ, Err: strings.Join(Messages(err), "; ")}
}

// eventTypes lists the fields each event type takes.
var eventTypes = map[string][]string{
	"visit":        {"subscription", "date", "invoice", "lines", "preview"},
	"reverse":      {"subscription", "invoice", "line"},
	"payment":      {"subscription", "date", "amount", "status"},
	"entitlements": {"subscription", "date"},
	"schedule":     {"subscription"},
	"adjust":       {"subscription", "rule", "units"},
	"eligibility":  {"date", "patient"},
	"terminate":    {"subscription", "date", "reason", "preview"},
	"renew":        {"subscription", "as", "patient"},
}

const typeList = "visit, reverse, payment, entitlements, schedule, adjust, eligibility, terminate or renew"

// event decodes and runs event i. Every problem with the event's own
// fields is reported together; a refused event changes nothing.
func (st *state) event(i int, raw any) Result {
	path := wire.Index("events", i)
	var d wire.Decoder
	o, ok := d.Object(path, raw, "an event")
	if !ok {
		return errResult(i, "", errors.Join(toErrors(d.Problems)...))
	}
	typ, _ := o.String("type", true)
	fields, known := eventTypes[typ]
	if !known {
		if typ != "" {
			o.Report("type", typ, "is not an event type; want "+typeList)
		}
		return errResult(i, typ, errors.Join(toErrors(d.Problems)...))
	}
	o.Only("a "+typ+" event", append([]string{"type", "note"}, fields...)...)
	o.String("note", false)
	ev := eventReader{o: o, st: st}
	run := map[string]func(*eventReader) (any, error){
		"visit": (*eventReader).visit, "reverse": (*eventReader).reverse, "payment": (*eventReader).payment,
		"entitlements": (*eventReader).entitlements, "schedule": (*eventReader).schedule,
		"adjust": (*eventReader).adjust, "eligibility": (*eventReader).eligibility,
		"terminate": (*eventReader).terminate, "renew": (*eventReader).renew,
	}[typ]
	body, err := run(&ev)
	if len(d.Problems) > 0 {
		return errResult(i, typ, errors.Join(toErrors(d.Problems)...))
	}
	if err != nil {
		return errResult(i, typ, prefixed(path, err))
	}
	return Result{Index: i, Type: typ, body: body}
}

// prefixed puts the event's path before the paths of the library's
// validation errors, and before any other error's message.
func prefixed(path string, err error) error {
	var list []error
	var walk func(error)
	walk = func(e error) {
		if u, ok := e.(interface{ Unwrap() []error }); ok {
			for _, x := range u.Unwrap() {
				walk(x)
			}
			return
		}
		var v *plan.ValidationError
		if errors.As(e, &v) && e == error(v) {
			list = append(list, plan.WithPathPrefix(path, v))
			return
		}
		list = append(list, fmt.Errorf("%s: %w", path, e))
	}
	walk(err)
	return errors.Join(list...)
}

// eventReader reads one event's fields; problems go to the event's
// decoder, so that the event is refused before it runs.
type eventReader struct {
	o  wire.Object
	st *state
}

func (ev *eventReader) failed() bool { return len(ev.o.Decoder().Problems) > 0 }

// entry finds the event's subscription.
func (ev *eventReader) entry() *entry {
	id, ok := ev.o.String("subscription", true)
	if !ok {
		return nil
	}
	e, found := ev.st.subs[id]
	if !found {
		ev.o.Report("subscription", id, "is not a subscription in the scenario; want one of "+known(ev.st.subs))
		return nil
	}
	return e
}

func (ev *eventReader) date(key string) plan.Date { return readDate(ev.o, key, true) }

type lineOut struct {
	ID       string     `json:"id"`
	Item     string     `json:"item"`
	Group    string     `json:"group"`
	Qty      string     `json:"qty"`
	Gross    string     `json:"gross"`
	Discount string     `json:"discount"`
	Net      string     `json:"net"`
	Splits   []splitOut `json:"splits"`
	Reason   string     `json:"reason"`
}

type splitOut struct {
	Rule     string `json:"rule"`
	Units    string `json:"units"`
	Discount string `json:"discount"`
}

type totalOut struct {
	Gross    string `json:"gross"`
	Discount string `json:"discount"`
	Net      string `json:"net"`
}

func (ev *eventReader) visit() (any, error) {
	e := ev.entry()
	v := allowance.Visit{Date: ev.date("date")}
	v.Invoice, _ = ev.o.String("invoice", true)
	preview, _ := ev.o.Bool("preview")
	if a, ok := ev.o.Array("lines", true); ok {
		for k, x := range a {
			lo, ok := ev.o.Decoder().Object(wire.Index(ev.o.Path("lines"), k), x, "an invoice line")
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
	if e == nil || ev.failed() {
		return nil, nil
	}
	var res allowance.Result
	var err error
	if preview {
		res, err = e.ledger.Quote(e.sub, v)
	} else {
		res, err = e.ledger.Commit(e.sub, v)
	}
	if err != nil {
		return nil, err
	}
	cur := e.sub.Terms.Currency()
	out := struct {
		Lines []lineOut `json:"lines"`
		Total totalOut  `json:"total"`
	}{Lines: make([]lineOut, len(res.Lines)),
		Total: totalOut{cur.Format(res.Gross), cur.Format(res.Discount), cur.Format(res.Net)}}
	for k := range res.Lines {
		lr := &res.Lines[k]
		lo := lineOut{ID: lr.ID, Item: lr.Item, Group: lr.Group, Qty: num.Format(lr.Qty),
			Gross: cur.Format(lr.Gross), Discount: cur.Format(lr.Discount), Net: cur.Format(lr.Net),
			Splits: make([]splitOut, len(lr.Splits)), Reason: lr.Why()}
		for j, sp := range lr.Splits {
			lo.Splits[j] = splitOut{Rule: sp.Rule, Units: num.Format(sp.Units), Discount: cur.Format(sp.Discount)}
		}
		out.Lines[k] = lo
	}
	return out, nil
}

func (ev *eventReader) reverse() (any, error) {
	e := ev.entry()
	inv, _ := ev.o.String("invoice", true)
	line, _ := ev.o.String("line", true)
	if e == nil || ev.failed() {
		return nil, nil
	}
	restored, err := e.ledger.Reverse(e.sub, inv, line)
	if err != nil {
		return nil, err
	}
	type restoredOut struct {
		Rule  string `json:"rule"`
		Units string `json:"units"`
	}
	out := struct {
		Restored []restoredOut `json:"restored"`
	}{Restored: make([]restoredOut, len(restored))}
	for k, r := range restored {
		out.Restored[k] = restoredOut{r.Rule, num.Format(r.Units)}
	}
	return out, nil
}

func (ev *eventReader) payment() (any, error) {
	e := ev.entry()
	p := billing.Payment{Date: ev.date("date")}
	p.Amount, _ = ev.o.Decimal("amount", true)
	if s, ok := ev.o.String("status", true); ok {
		status, err := billing.ParsePaymentStatus(s)
		if err != nil {
			ev.o.Report("status", s, "is not a payment status; want taken or failed")
		}
		p.Status = status
	}
	if e == nil || ev.failed() {
		return nil, nil
	}
	st, err := e.account.Record(e.sub, p)
	if err != nil {
		return nil, err
	}
	cur := e.sub.Terms.Currency()
	return struct {
		Paid    string `json:"paid"`
		Arrears string `json:"arrears"`
		Status  string `json:"status"`
	}{cur.Format(st.Paid), cur.Format(st.Arrears), st.Status.String()}, nil
}

func (ev *eventReader) entitlements() (any, error) {
	e := ev.entry()
	d := ev.date("date")
	if e == nil || ev.failed() {
		return nil, nil
	}
	ents, err := e.ledger.Entitlements(e.sub, d)
	if err != nil {
		return nil, err
	}
	type ruleOut struct {
		Rule      string `json:"rule"`
		Group     string `json:"group"`
		Allowed   string `json:"allowed"`
		Used      string `json:"used"`
		Remaining string `json:"remaining"`
		From      string `json:"from"`
		To        string `json:"to"`
		Status    string `json:"status"`
	}
	out := struct {
		Rules []ruleOut `json:"rules"`
	}{Rules: make([]ruleOut, len(ents))}
	for k, en := range ents {
		rem := "unlimited"
		if !en.Allowed.IsUnlimited() {
			rem = num.Format(en.Remaining)
		}
		out.Rules[k] = ruleOut{en.Rule, en.Group, en.Allowed.String(), num.Format(en.Used), rem,
			en.From.String(), en.To.String(), en.Status.String()}
	}
	return out, nil
}

func (ev *eventReader) schedule() (any, error) {
	e := ev.entry()
	if e == nil || ev.failed() {
		return nil, nil
	}
	s, err := billing.ScheduleFor(e.sub)
	if err != nil {
		return nil, err
	}
	cur := e.sub.Terms.Currency()
	type instOut struct {
		Due    string `json:"due"`
		Amount string `json:"amount"`
	}
	out := struct {
		Installments []instOut `json:"installments"`
		Total        string    `json:"total"`
	}{Installments: make([]instOut, len(s.Installments)), Total: cur.Format(s.Total)}
	for k, in := range s.Installments {
		out.Installments[k] = instOut{in.Due.String(), cur.Format(in.Amount)}
	}
	return out, nil
}

func (ev *eventReader) adjust() (any, error) {
	e := ev.entry()
	rule, _ := ev.o.String("rule", true)
	units, _ := ev.o.Decimal("units", true)
	if e == nil || ev.failed() {
		return nil, nil
	}
	a, err := e.ledger.Adjust(e.sub, rule, units)
	if err != nil {
		return nil, err
	}
	rem := "unlimited"
	if !a.Allowed.IsUnlimited() {
		rem = num.Format(a.Remaining)
	}
	return struct {
		Rule      string `json:"rule"`
		Used      string `json:"used"`
		Remaining string `json:"remaining"`
	}{a.Rule, num.Format(a.Used), rem}, nil
}

func (ev *eventReader) eligibility() (any, error) {
	d := ev.date("date")
	if !ev.o.Has("patient") {
		ev.o.Report("patient", "", "is missing; want the patient to judge")
	}
	pt := readPatient(ev.o, "patient")
	if ev.failed() {
		return nil, nil
	}
	fits := billing.Eligibility(ev.st.cat.Plans, pt, d)
	type planOut struct {
		Plan     string   `json:"plan"`
		Eligible bool     `json:"eligible"`
		Reasons  []string `json:"reasons"`
	}
	out := struct {
		Plans []planOut `json:"plans"`
	}{Plans: make([]planOut, len(fits))}
	for k, f := range fits {
		out.Plans[k] = planOut{f.Plan, f.Eligible, f.Reasons}
	}
	return out, nil
}

type settlementOut struct {
	Method        string `json:"method"`
	CoreValue     string `json:"coreValue"`
	Paid          string `json:"paid"`
	ContractTotal string `json:"contractTotal"`
	Remaining     string `json:"remaining"`
	Fee           string `json:"fee"`
	Owed          string `json:"owed"`
	Debt          string `json:"debt"`
	Refund        string `json:"refund"`
	Waived        bool   `json:"waived"`
}

func (ev *eventReader) terminate() (any, error) {
	e := ev.entry()
	d := ev.date("date")
	reason, _ := ev.o.String("reason", true)
	preview, _ := ev.o.Bool("preview")
	if e == nil || ev.failed() {
		return nil, nil
	}
	settle := debt.Terminate
	if preview {
		settle = debt.Settle
	}
	s, err := settle(e.sub, &e.ledger, &e.account, d, reason)
	if err != nil {
		return nil, err
	}
	cur := e.sub.Terms.Currency()
	return struct {
		Settlement settlementOut `json:"settlement"`
	}{settlementOut{s.Method.String(), cur.Format(s.CoreValue), cur.Format(s.Paid), cur.Format(s.ContractTotal),
		cur.Format(s.Remaining), cur.Format(s.Fee), cur.Format(s.Owed), cur.Format(s.Debt), cur.Format(s.Refund), s.Waived}}, nil
}

func (ev *eventReader) renew() (any, error) {
	e := ev.entry()
	as, _ := ev.o.String("as", true)
	pt := readPatient(ev.o, "patient")
	if e == nil || ev.failed() {
		return nil, nil
	}
	if _, dup := ev.st.subs[as]; dup {
		return nil, &plan.ValidationError{Path: "as", Value: as, Reason: "is already a subscription in the scenario; the renewal needs a new id"}
	}
	if e.renewedAs != "" {
		return nil, &plan.ValidationError{Path: "subscription", Value: e.sub.ID, Err: billing.ErrNotRenewable,
			Reason: fmt.Sprintf("was renewed already, as %q", e.renewedAs)}
	}
	next, err := ev.st.termsFor(billing.NextPlan(e.sub))
	if err != nil {
		return nil, err
	}
	sub, warnings, err := billing.Renew(e.sub, next, as, pt)
	if err != nil {
		return nil, err
	}
	e.renewedAs = as
	ev.st.add(sub)
	return struct {
		Subscription string   `json:"subscription"`
		Plan         string   `json:"plan"`
		Start        string   `json:"start"`
		End          string   `json:"end"`
		Warnings     []string `json:"warnings"`
	}{sub.ID, next.PlanID(), sub.Start.String(), sub.End().String(), warnings}, nil
}
