package scenario

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
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
	"terminate":    {"subscription", "date", "reason", "preview", "repayMonths", "override"},
	"renew":        {"subscription", "as", "patient"},
	"standing":     {"subscription", "date"},
	"lint":         {"plan"},
	"exposure":     {"plan", "start", "prices", "cap", "unitsCap", "payment", "interval", "multiPet"},
}

const typeList = "visit, reverse, payment, standing, entitlements, schedule, adjust, eligibility, terminate, renew, lint or exposure"

// event decodes and runs event i. Every problem with the event's own
// fields is reported together; a refused event changes nothing.
func (st *state) event(i int, raw any) Result {
	path := wire.Index("events", i)
	var d wire.Decoder
	o, ok := d.Object(path, raw, "an event")
	if !ok {
		return errResult(i, "", errors.Join(wire.ErrorList(d.Problems)...))
	}
	typ, _ := o.String("type", true)
	fields, known := eventTypes[typ]
	if !known {
		if typ != "" {
			o.Report("type", typ, "is not an event type; want "+typeList)
		}
		return errResult(i, typ, errors.Join(wire.ErrorList(d.Problems)...))
	}
	o.Only("a "+typ+" event", append([]string{"type", "note"}, fields...)...)
	o.String("note", false)
	ev := eventReader{o: o, st: st}
	run := map[string]func(*eventReader) (any, error){
		"visit": (*eventReader).visit, "reverse": (*eventReader).reverse, "payment": (*eventReader).payment,
		"entitlements": (*eventReader).entitlements, "schedule": (*eventReader).schedule,
		"adjust": (*eventReader).adjust, "eligibility": (*eventReader).eligibility,
		"terminate": (*eventReader).terminate, "renew": (*eventReader).renew,
		"standing": (*eventReader).standing,
		"lint":     (*eventReader).lint, "exposure": (*eventReader).exposure,
	}[typ]
	body, err := run(&ev)
	if len(d.Problems) > 0 {
		return errResult(i, typ, errors.Join(wire.ErrorList(d.Problems)...))
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
func (ev *eventReader) entry() *healthplan.Contract {
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

func (ev *eventReader) date(key string) plan.Date { return ReadDate(ev.o, key, true) }

func (ev *eventReader) visit() (any, error) {
	e := ev.entry()
	v := ReadVisit(ev.o)
	preview, _ := ev.o.Bool("preview")
	if e == nil || ev.failed() {
		return nil, nil
	}
	if preview {
		return e.Quote(v)
	}
	return e.Commit(v)
}

func (ev *eventReader) reverse() (any, error) {
	e := ev.entry()
	inv, _ := ev.o.String("invoice", true)
	line, _ := ev.o.String("line", true)
	if e == nil || ev.failed() {
		return nil, nil
	}
	return e.Reverse(inv, line)
}

func (ev *eventReader) payment() (any, error) {
	e := ev.entry()
	p := ReadPayment(ev.o)
	if e == nil || ev.failed() {
		return nil, nil
	}
	st, err := e.Pay(p)
	if err != nil {
		return nil, err
	}
	return billing.Receipt{Standing: st}, nil
}

func (ev *eventReader) entitlements() (any, error) {
	e := ev.entry()
	d := ev.date("date")
	if e == nil || ev.failed() {
		return nil, nil
	}
	return e.Entitlements(d)
}

func (ev *eventReader) schedule() (any, error) {
	e := ev.entry()
	if e == nil || ev.failed() {
		return nil, nil
	}
	return e.Schedule(), nil
}

func (ev *eventReader) adjust() (any, error) {
	e := ev.entry()
	rule, _ := ev.o.String("rule", true)
	units, _ := ev.o.Decimal("units", true)
	if e == nil || ev.failed() {
		return nil, nil
	}
	return e.Adjust(rule, units)
}

func (ev *eventReader) eligibility() (any, error) {
	d := ev.date("date")
	if !ev.o.Has("patient") {
		ev.o.Report("patient", "", "is missing; want the patient to judge")
	}
	pt := ReadPatient(ev.o, "patient")
	if ev.failed() {
		return nil, nil
	}
	return billing.Eligibility(ev.st.cat.Plans, pt, d), nil
}

func (ev *eventReader) terminate() (any, error) {
	e := ev.entry()
	n := ReadNotice(ev.o)
	preview, _ := ev.o.Bool("preview")
	if e == nil || ev.failed() {
		return nil, nil
	}
	settle := e.Terminate
	if preview {
		settle = e.Settle
	}
	set, err := settle(n)
	if err != nil {
		return nil, err
	}
	return struct {
		Settlement debt.Summary `json:"settlement"`
	}{debt.Summary{Settlement: set}}, nil
}

func (ev *eventReader) standing() (any, error) {
	e := ev.entry()
	d := ev.date("date")
	if e == nil || ev.failed() {
		return nil, nil
	}
	return e.Standing(d)
}

func (ev *eventReader) renew() (any, error) {
	e := ev.entry()
	as, _ := ev.o.String("as", true)
	pt := ReadPatient(ev.o, "patient")
	if e == nil || ev.failed() {
		return nil, nil
	}
	if _, dup := ev.st.subs[as]; dup {
		return nil, &plan.ValidationError{Path: "as", Value: as, Reason: "is already a subscription in the scenario; the renewal needs a new id"}
	}
	sub := e.Subscription()
	next, err := ev.st.termsFor(billing.NextPlan(&sub))
	if err != nil {
		return nil, err
	}
	r, err := e.Renew(next, as, pt)
	if err != nil {
		return nil, err
	}
	ev.st.add(r.Contract)
	return r, nil
}

// planOf finds the event's plan in the scenario's catalog.
func (ev *eventReader) planOf() (string, bool) {
	id, ok := ev.o.String("plan", true)
	if !ok {
		return "", false
	}
	for _, p := range ev.st.cat.Plans {
		if p.ID == id {
			return id, true
		}
	}
	ids := make([]string, len(ev.st.cat.Plans))
	for i, p := range ev.st.cat.Plans {
		ids[i] = p.ID
	}
	want := "want one of " + strings.Join(ids, ", ")
	if len(ids) == 0 {
		want = "the catalog has no plans"
	}
	ev.o.Report("plan", id, "is not a plan in the catalog; "+want)
	return "", false
}

func (ev *eventReader) lint() (any, error) {
	id, ok := ev.planOf()
	if !ok || ev.failed() {
		return nil, nil
	}
	ws, err := ev.st.cat.Lint(id)
	if err != nil {
		return nil, err
	}
	if ws == nil {
		ws = []plan.Warning{}
	}
	return struct {
		Warnings []plan.Warning `json:"warnings"`
	}{ws}, nil
}

func (ev *eventReader) exposure() (any, error) {
	id, planOK := ev.planOf()
	in := ReadExposureInput(ev.o)
	if !planOK || ev.failed() {
		return nil, nil
	}
	t, err := ev.st.termsFor(id)
	if err != nil {
		return nil, err
	}
	in.Terms = t
	return debt.Exposure(in)
}
