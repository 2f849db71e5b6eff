package protocol

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/internal/scenario"
	"github.com/vetplan/healthplan/plan"
)

// operation is one operation of the protocol: the fields its request
// takes besides "id" and "op", in the order problems are reported, and
// what it does.
type operation struct {
	name   string
	fields []string
	run    func(*call) (output, error)
}

// output is an operation's answer: its result and, for an operation that
// changes a contract, the new contract document.
type output struct {
	result   []byte
	contract []byte
}

// The fields of the operations on a contract: the contract document, and
// its terms inline when the engine does not hold them.
var onAContract = []string{"contract", "terms"}

func with(fields ...string) []string { return append(append([]string(nil), onAContract...), fields...) }

var operations = map[string]*operation{}

// Operations lists the operations, in alphabetical order.
func Operations() []string {
	names := make([]string, 0, len(operations))
	for n := range operations {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Fields lists the fields a request for op takes besides "id" and "op",
// and false for an unknown op.
func Fields(op string) ([]string, bool) {
	o, ok := operations[op]
	if !ok {
		return nil, false
	}
	return append([]string(nil), o.fields...), true
}

var operationList string

func init() {
	for _, o := range []*operation{
		{"terms", []string{"terms", "catalog", "plan"}, opTerms},
		{"create", []string{"terms", "termsRef", "subscription"}, opCreate},
		{"quote", with("date", "invoice", "lines"), opQuote},
		{"commit", with("date", "invoice", "lines"), opCommit},
		{"reverse", with("invoice", "line"), opReverse},
		{"adjust", with("rule", "units"), opAdjust},
		{"pay", with("date", "amount", "status"), opPay},
		{"standing", with("date"), opStanding},
		{"entitlements", with("date"), opEntitlements},
		{"schedule", with(), opSchedule},
		{"statement", with("date"), opStatement},
		{"settle", with("date", "reason", "repayMonths", "override"), opSettle},
		{"terminate", with("date", "reason", "repayMonths", "override"), opTerminate},
		{"renew", with("as", "patient", "nextTerms", "nextTermsRef"), opRenew},
		{"eligibility", []string{"catalog", "date", "patient"}, opEligibility},
		{"validate", []string{"catalog"}, opValidate},
		{"lint", []string{"terms", "termsRef", "catalog", "plan"}, opLint},
		{"exposure", []string{"terms", "termsRef", "catalog", "plan", "start", "prices", "cap", "unitsCap", "payment", "interval", "multiPet"}, opExposure},
		{"replay", []string{"scenario"}, opReplay},
	} {
		operations[o.name] = o
	}
	operationList = strings.Join(Operations(), ", ")
}

// marshal writes a library result as encoding/json does (the bytes
// examples/replay prints for the same result).
func marshal(v any) ([]byte, error) { return json.Marshal(v) }

func result(v any, err error) (output, error) {
	if err != nil {
		return output{}, onContract(err)
	}
	b, err := marshal(v)
	return output{result: b}, err
}

// changed answers a result and the contract's new document.
func changed(k *healthplan.Contract, v any, err error) (output, error) {
	out, err := result(v, err)
	if err != nil {
		return out, err
	}
	out.contract = k.AppendJSON(make([]byte, 0, 512+64*k.Lines()))
	return out, nil
}

// catalogPlan reads "catalog" and "plan", and the terms of that plan.
func (c *call) catalogPlan() (*plan.Catalog, *plan.Terms, int) {
	cat := c.catalog("catalog")
	id, _ := c.o.String("plan", true)
	if cat == nil || id == "" {
		return nil, nil, 0
	}
	for i := range cat.Plans {
		if cat.Plans[i].ID == id {
			t, err := cat.Terms(id)
			c.fail("catalog", err)
			return cat, t, i
		}
	}
	ids := make([]string, len(cat.Plans))
	for i, p := range cat.Plans {
		ids[i] = p.ID
	}
	c.report("plan", id, "is not a plan in the catalog; want one of "+strings.Join(ids, ", "))
	return nil, nil, 0
}

// terms: {"terms"} or {"catalog", "plan"} -> {"termsRef", "terms"}; the
// engine holds the terms from then on, for requests that name them.
func opTerms(c *call) (output, error) {
	var t *plan.Terms
	switch {
	case c.has("terms") && (c.has("catalog") || c.has("plan")):
		c.report("catalog", "", "is given with terms; give the terms document, or a catalog and the id of one of its plans")
	case c.has("terms"):
		t = c.termsDoc("terms")
	case c.has("catalog"):
		_, t, _ = c.catalogPlan()
	default:
		c.missing("terms", `the terms document {"currency", "groups", "plan"}, or a catalog and a plan id`)
	}
	if t == nil || c.failed() {
		return output{}, nil
	}
	ref := c.e.terms.add(t)
	doc, err := t.MarshalJSON()
	if err != nil {
		return output{}, err
	}
	b := append(make([]byte, 0, 128+len(doc)), `{"termsRef":`...)
	b = ref.AppendJSON(b)
	b = append(b, `,"terms":`...)
	b = append(b, doc...)
	return output{result: append(b, '}')}, nil
}

// create: {"terms" or "termsRef", "subscription"} -> {"subscription",
// "plan", "start", "end", "warnings"} and the new contract.
func opCreate(c *call) (output, error) {
	t := c.eitherTerms("terms", "termsRef")
	in, _ := c.enrollment("subscription")
	if t == nil || c.failed() {
		return output{}, nil
	}
	k, err := healthplan.New(t, in)
	if err != nil {
		return output{}, plan.WithPathPrefix("subscription", err)
	}
	p := t.Plan()
	return changed(k, healthplan.Renewal{Contract: k, Warnings: billing.Reasons(&p, in.Patient, in.Start)}, nil)
}

func opQuote(c *call) (output, error) {
	k := c.contract()
	v := scenario.ReadVisit(c.o)
	if k == nil || c.failed() {
		return output{}, nil
	}
	return result(k.Quote(v))
}

func opCommit(c *call) (output, error) {
	k := c.contract()
	v := scenario.ReadVisit(c.o)
	if k == nil || c.failed() {
		return output{}, nil
	}
	res, err := k.Commit(v)
	return changed(k, res, err)
}

func opReverse(c *call) (output, error) {
	k := c.contract()
	inv, _ := c.o.String("invoice", true)
	line, _ := c.o.String("line", true)
	if k == nil || c.failed() {
		return output{}, nil
	}
	r, err := k.Reverse(inv, line)
	return changed(k, r, err)
}

func opAdjust(c *call) (output, error) {
	k := c.contract()
	rule, _ := c.o.String("rule", true)
	units, _ := c.o.Decimal("units", true)
	if k == nil || c.failed() {
		return output{}, nil
	}
	a, err := k.Adjust(rule, units)
	return changed(k, a, err)
}

func opPay(c *call) (output, error) {
	k := c.contract()
	p := scenario.ReadPayment(c.o)
	if k == nil || c.failed() {
		return output{}, nil
	}
	st, err := k.Pay(p)
	return changed(k, st, err)
}

// dated reads the contract and "date", for the operations that read a
// contract on a date.
func (c *call) dated() (*healthplan.Contract, plan.Date) {
	k := c.contract()
	d := scenario.ReadDate(c.o, "date", true)
	if c.failed() {
		return nil, d
	}
	return k, d
}

func opStanding(c *call) (output, error) {
	k, d := c.dated()
	if k == nil {
		return output{}, nil
	}
	return result(k.Standing(d))
}

func opEntitlements(c *call) (output, error) {
	k, d := c.dated()
	if k == nil {
		return output{}, nil
	}
	return result(k.Entitlements(d))
}

func opSchedule(c *call) (output, error) {
	k := c.contract()
	if k == nil || c.failed() {
		return output{}, nil
	}
	return result(k.Schedule(), nil)
}

func opStatement(c *call) (output, error) {
	k, d := c.dated()
	if k == nil {
		return output{}, nil
	}
	return result(k.Statement(d))
}

// settlement is the result of settle and terminate: {"settlement"}, the
// itemised settlement.
type settlement struct {
	Settlement debt.Settlement `json:"settlement"`
}

func opSettle(c *call) (output, error) {
	k := c.contract()
	n := scenario.ReadNotice(c.o)
	if k == nil || c.failed() {
		return output{}, nil
	}
	s, err := k.Settle(n)
	return result(settlement{s}, err)
}

func opTerminate(c *call) (output, error) {
	k := c.contract()
	n := scenario.ReadNotice(c.o)
	if k == nil || c.failed() {
		return output{}, nil
	}
	s, err := k.Terminate(n)
	return changed(k, settlement{s}, err)
}

// renew: {"contract", "as", "patient", "nextTerms" or "nextTermsRef"} ->
// the renewal {"subscription", "plan", "start", "end", "warnings",
// "contract"} with the new contract's document, and the renewed
// contract's document, which records the renewal.
func opRenew(c *call) (output, error) {
	k := c.contract()
	as, _ := c.o.String("as", true)
	pt := scenario.ReadPatient(c.o, "patient")
	next := c.eitherTerms("nextTerms", "nextTermsRef")
	if k == nil || next == nil || c.failed() {
		return output{}, nil
	}
	sub := k.Subscription()
	if want := billing.NextPlan(&sub); next.PlanID() != want {
		field := "nextTerms.plan.id"
		if c.has("nextTermsRef") {
			field = "nextTermsRef.plan"
		}
		return output{}, &plan.ValidationError{Path: field, Value: next.PlanID(), Err: healthplan.ErrTermsMismatch,
			Reason: fmt.Sprintf("is not the plan the contract renews onto (%q); give the current terms of that plan", want)}
	}
	r, err := k.Renew(next, as, pt)
	if err != nil {
		return output{}, onContract(err)
	}
	head, err := marshal(r)
	if err != nil {
		return output{}, err
	}
	b := append(head[:len(head)-1], `,"contract":`...)
	b = r.Contract.AppendJSON(b)
	b = append(b, '}')
	return output{result: b, contract: k.AppendJSON(make([]byte, 0, 512+64*k.Lines()))}, nil
}

func opEligibility(c *call) (output, error) {
	cat := c.catalog("catalog")
	d := scenario.ReadDate(c.o, "date", true)
	if !c.o.Has("patient") {
		c.report("patient", "", "is missing; want the patient to judge")
	}
	pt := scenario.ReadPatient(c.o, "patient")
	if cat == nil || c.failed() {
		return output{}, nil
	}
	return result(billing.Eligibility(cat.Plans, pt, d), nil)
}

// validate: {"catalog"} -> {"plans": [{"plan", "terms"}]}, the reference
// to each plan's terms; an invalid catalog is refused with every problem.
func opValidate(c *call) (output, error) {
	cat := c.catalog("catalog")
	if cat == nil || c.failed() {
		return output{}, nil
	}
	b := []byte(`{"plans":[`)
	for i, p := range cat.Plans {
		t, err := cat.Terms(p.ID)
		if err != nil {
			return output{}, plan.WithPathPrefix("catalog", err)
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = healthplan.RefOf(t).AppendJSON(b)
	}
	return output{result: append(b, "]}"...)}, nil
}

// planTerms reads the terms of the plan an analysis is about: inline,
// by reference, or a catalog and the id of one of its plans.
func (c *call) planTerms() *plan.Terms {
	if c.has("catalog") || c.has("plan") {
		if c.has("terms") || c.has("termsRef") {
			c.report("catalog", "", "is given with terms; give the terms (inline or by reference), or a catalog and the id of one of its plans")
			return nil
		}
		_, t, _ := c.catalogPlan()
		return t
	}
	return c.eitherTerms("terms", "termsRef")
}

// exposure: the plan's terms, "start", "prices" {item code: list price},
// and optionally "cap", "unitsCap", "payment", "interval" and "multiPet"
// (scenario.ReadExposureInput) -> the report (debt.ExposureReport's JSON:
// "peak", "curve", "paying", "claim", "delays", "worstClient", or
// "unbounded").
func opExposure(c *call) (output, error) {
	t := c.planTerms()
	in := scenario.ReadExposureInput(c.o)
	if t == nil || c.failed() {
		return output{}, nil
	}
	in.Terms = t
	return result(debt.Exposure(in))
}

// lint: {"terms" or "termsRef"} or {"catalog", "plan"} -> {"warnings":
// [{"path", "code", "message"}]}, paths in the terms document or in the
// catalog.
func opLint(c *call) (output, error) {
	var ws []plan.Warning
	switch {
	case c.has("catalog") || c.has("plan"):
		if c.has("terms") || c.has("termsRef") {
			c.planTerms() // reports both given
			return output{}, nil
		}
		cat, t, _ := c.catalogPlan()
		if t == nil || c.failed() {
			return output{}, nil
		}
		var err error
		if ws, err = cat.Lint(t.PlanID()); err != nil {
			return output{}, plan.WithPathPrefix("catalog", err)
		}
	default:
		t := c.eitherTerms("terms", "termsRef")
		if t == nil || c.failed() {
			return output{}, nil
		}
		ws = t.Lint()
	}
	if ws == nil {
		ws = []plan.Warning{}
	}
	return result(struct {
		Warnings []plan.Warning `json:"warnings"`
	}{ws}, nil)
}

// replay: {"scenario"} -> {"events": [...]}, each event's result as
// examples/replay prints it; a scenario with invalid definitions is
// refused with every problem.
func opReplay(c *call) (output, error) {
	if !c.has("scenario") {
		c.missing("scenario", "a scenario document")
		return output{}, nil
	}
	s, err := scenario.Parse([]byte(c.env.fields["scenario"]))
	if err != nil {
		c.fail("scenario", err)
		return output{}, nil
	}
	if c.failed() {
		return output{}, nil
	}
	b := []byte(`{"events":[`)
	for i, r := range s.Replay() {
		ev, err := marshal(r)
		if err != nil {
			return output{}, err
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, ev...)
	}
	return output{result: append(b, "]}"...)}, nil
}
