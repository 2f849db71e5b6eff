package healthplan_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"sync"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

// exampleTerms is the seeds' medium-dog plan: flea treatment 100% off, 3
// packs on days 0-90 and 3 more on days 80-120, a free first
// consultation, 10% off food; 15.00 a month for 12 months.
func exampleTerms() *plan.Terms {
	var c plan.Catalog
	err := json.Unmarshal([]byte(`{"currency": "GBP",
	  "groups": [
	    {"id": "flea", "name": "Flea treatment", "core": true, "items": [{"code": "FLEA-1"}]},
	    {"id": "consult", "name": "Consultations", "core": true, "items": [{"code": "CONSULT"}]},
	    {"id": "food", "name": "Pet food", "items": [{"code": "FOOD"}]}],
	  "plans": [{"id": "dog-m", "name": "Medium dog", "species": "dog", "termMonths": 12, "monthlyFee": "15.00",
	    "settlement": {"waiveFor": ["deceased"]},
	    "rules": [
	      {"id": "flea-a", "group": "flea", "discountPercent": "100", "allowed": 3, "endDay": 90, "viewOrder": 1},
	      {"id": "flea-b", "group": "flea", "discountPercent": "100", "allowed": 3, "startDay": 80, "endDay": 120, "viewOrder": 2},
	      {"id": "consult", "group": "consult", "discountPercent": "100", "allowed": 1, "endDay": 365},
	      {"id": "food", "group": "food", "discountPercent": "10", "allowed": "unlimited", "endDay": 365}]}]}`), &c)
	if err != nil {
		log.Fatal(err)
	}
	t, err := c.Terms("dog-m")
	if err != nil {
		log.Fatal(err)
	}
	return t
}

var (
	d     = decimal.RequireFromString
	start = plan.MustParseDate("2026-01-10")
)

func line(id, item, qty, price string) allowance.Line {
	return allowance.Line{ID: id, Item: item, Qty: d(qty), UnitPrice: d(price)}
}

// exampleContract is a contract sold on 2026-01-10 that paid its first
// installment and had one visit on day 85.
func exampleContract() *healthplan.Contract {
	c, err := healthplan.New(exampleTerms(), plan.Enrollment{ID: "REX-2026", Client: "SMITH", Start: start,
		Patient: plan.Patient{ID: "REX", Species: "dog"}})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Pay(billing.Payment{Date: start, Amount: d("15.00"), Status: billing.Taken}); err != nil {
		log.Fatal(err)
	}
	if _, err := c.Commit(allowance.Visit{Invoice: "INV-1", Date: start.AddDays(85), Lines: []allowance.Line{
		line("1", "FLEA-1", "4", "23.49"), line("2", "CONSULT", "1", "42.00")}}); err != nil {
		log.Fatal(err)
	}
	return c
}

func ExampleNew() {
	c, err := healthplan.New(exampleTerms(), plan.Enrollment{ID: "REX-2026", Client: "SMITH", Start: start})
	if err != nil {
		log.Fatal(err)
	}
	sub := c.Subscription()
	fmt.Println(c.ID(), c.Revision(), c.Ref().Plan, sub.End())
	// Output:
	// REX-2026 0 dog-m 2027-01-09
}

func ExampleContract_Quote() {
	c := exampleContract()
	res, err := c.Quote(allowance.Visit{Invoice: "INV-2", Date: start.AddDays(100), Lines: []allowance.Line{
		line("1", "FLEA-1", "3", "23.49"), line("2", "XRAY", "1", "180.00")}})
	if err != nil {
		log.Fatal(err)
	}
	for _, lr := range res.Lines {
		fmt.Printf("%s: %s off; %s\n", lr.Item, res.Currency.Format(lr.Discount), lr.Why())
	}
	fmt.Println("revision", c.Revision()) // a quote changes nothing
	// Output:
	// FLEA-1: 46.98 off; allowance used up: 1 of 3 units at full price
	// XRAY: 0.00 off; item "XRAY" is in no treatment group
	// revision 2
}

func ExampleContract_Commit() {
	c, _ := healthplan.New(exampleTerms(), plan.Enrollment{ID: "REX-2026", Start: start})
	v := allowance.Visit{Invoice: "INV-1", Date: start.AddDays(85), Lines: []allowance.Line{line("1", "FLEA-1", "4", "23.49")}}
	res, err := c.Commit(v)
	if err != nil {
		log.Fatal(err)
	}
	for _, s := range res.Lines[0].Splits {
		fmt.Println(s.Rule, s.Units, res.Currency.Format(s.Discount))
	}
	again, _ := c.Commit(v) // the same invoice line again: its recorded result, nothing more used
	fmt.Println(again.Lines[0].Recorded, c.Revision())

	v.Lines[0].Qty = d("5")
	_, err = c.Commit(v)
	fmt.Println(errors.Is(err, allowance.ErrLineConflict))
	// Output:
	// flea-a 3 70.47
	// flea-b 1 23.49
	// true 1
	// true
}

func ExampleContract_Reverse() {
	c := exampleContract()
	r, err := c.Reverse("INV-1", "1")
	if err != nil {
		log.Fatal(err)
	}
	b, _ := json.Marshal(r)
	fmt.Println(string(b), c.Revision())
	// Output:
	// {"restored":[{"rule":"flea-a","units":"3"},{"rule":"flea-b","units":"1"}]} 3
}

func ExampleContract_Redemptions() {
	c := exampleContract()
	c.Reverse("INV-1", "2") // the consultation, credited
	rs, err := c.Redemptions()
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range rs {
		fmt.Println(r.Invoice, r.Line, r.Item, r.Rule, r.Units, r.Discount, r.Core)
	}
	// Output:
	// INV-1 1 FLEA-1 flea-a 3 70.47 true
	// INV-1 1 FLEA-1 flea-b 1 23.49 true
}

func ExampleContract_Adjust() {
	c, _ := healthplan.New(exampleTerms(), plan.Enrollment{ID: "REX-2026", Start: start})
	// Migrated from another system: one consultation was already used.
	a, err := c.Adjust("consult", d("1"))
	if err != nil {
		log.Fatal(err)
	}
	b, _ := json.Marshal(a)
	fmt.Println(string(b))
	// Output:
	// {"rule":"consult","used":"1","remaining":"0"}
}

func ExampleContract_Pay() {
	c := exampleContract()
	st, err := c.Pay(billing.Payment{Date: start.AddMonths(1), Amount: d("15.00"), Status: billing.Failed})
	if err != nil {
		log.Fatal(err)
	}
	b, _ := json.Marshal(st)
	fmt.Println(string(b))
	// Output:
	// {"paid":"15.00","due":"30.00","arrears":"15.00","status":"active","nextDue":"2026-03-10","daysPastDue":0,"overdueSince":"2026-02-10","pastDue":false,"retryDates":[],"cancelDue":false}
}

func ExampleContract_Standing() {
	c := exampleContract()
	st, err := c.Standing(start.AddDays(85))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Paid, st.Due, st.Arrears, st.Status, st.NextDue)
	// Output:
	// 15 45 30 active 2026-04-10
}

func ExampleContract_Entitlements() {
	c := exampleContract()
	ents, err := c.Entitlements(start.AddDays(85))
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range ents.Rules {
		fmt.Println(e.Rule, e.Used, e.Allowed, e.Status)
	}
	// Output:
	// flea-a 3 3 exhausted
	// flea-b 1 3 available
	// consult 1 1 exhausted
	// food 0 unlimited available
}

func ExampleContract_Schedule() {
	c := exampleContract()
	s := c.Schedule()
	fmt.Println(len(s.Installments), s.Installments[1].Due, s.Total)
	// Output:
	// 12 2026-02-10 180
}

func ExampleContract_Statement() {
	c := exampleContract()
	st, err := c.Statement(start.AddDays(86))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(st.Savings.StringFixed(2), st.Arrears.StringFixed(2), st.CostToCancel.Debt.StringFixed(2))
	// Output:
	// 135.96 30.00 120.96
}

func ExampleContract_Settle() {
	c := exampleContract()
	s, err := c.Settle(debt.Notice{Date: start.AddDays(86), Reason: "cancelled"})
	if err != nil {
		log.Fatal(err)
	}
	b, _ := json.Marshal(debt.Summary{Settlement: s})
	fmt.Println(string(b))
	fmt.Println("revision", c.Revision()) // a preview changes nothing
	// Output:
	// {"method":"coreValue","coreValue":"135.96","paid":"15.00","contractTotal":"180.00","remaining":"165.00","fee":"0.00","owed":"120.96","debt":"120.96","refund":"0.00","waived":false}
	// revision 2
}

func ExampleContract_Terminate() {
	c := exampleContract()
	s, err := c.Terminate(debt.Notice{Date: start.AddDays(86), Reason: "deceased"})
	if err != nil {
		log.Fatal(err)
	}
	sub := c.Subscription()
	fmt.Println(s.Waived, s.Debt.StringFixed(2), sub.StatusOn(start.AddDays(90)))
	_, err = c.Terminate(debt.Notice{Date: start.AddDays(90), Reason: "cancelled"})
	fmt.Println(errors.Is(err, debt.ErrTerminated))
	// Output:
	// true 0.00 cancelled
	// true
}

func ExampleContract_Renew() {
	terms := exampleTerms()
	c, _ := healthplan.New(terms, plan.Enrollment{ID: "REX-2026", Start: start, Patient: plan.Patient{ID: "REX", Species: "dog"}})
	r, err := c.Renew(terms, "REX-2027", plan.Patient{})
	if err != nil {
		log.Fatal(err)
	}
	b, _ := json.Marshal(r)
	fmt.Println(string(b))
	fmt.Println(c.RenewedAs(), r.Contract.Revision())
	// Output:
	// {"subscription":"REX-2027","plan":"dog-m","start":"2027-01-10","end":"2028-01-09","warnings":[]}
	// REX-2027 0
}

func ExampleLoad() {
	terms := exampleTerms()
	source := healthplan.TermsMap{}
	source.Add(terms) // once per plan version, shared by every contract

	doc, _ := exampleContract().MarshalJSON()
	c, err := healthplan.Load(doc, source)
	if err != nil {
		log.Fatal(err)
	}
	again, _ := c.MarshalJSON()
	fmt.Println(c.ID(), c.Revision(), string(again) == string(doc))

	_, err = healthplan.Load(doc, healthplan.TermsMap{})
	fmt.Println(errors.Is(err, healthplan.ErrUnknownTerms))
	// Output:
	// REX-2026 2 true
	// true
}

// store is a host's table of contracts: the document and its revision per
// id. A database does the same with
//
//	UPDATE contracts SET doc = $2, revision = $3 + 1 WHERE id = $1 AND revision = $3
type store struct {
	mu   sync.Mutex
	rows map[string]row
}

type row struct {
	revision int64
	doc      []byte
}

// put stores doc for id if the stored revision is still rev; it reports
// whether it did.
func (s *store) put(id string, rev int64, doc []byte) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rows[id].revision != rev {
		return false
	}
	s.rows[id] = row{rev + 1, doc}
	return true
}

func (s *store) get(id string) row {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rows[id]
}

// commit is what a PMS service does at an invoice: load the contract,
// commit the visit, store it with compare-and-swap on the revision, and on
// a lost race load again and retry.
func commit(s *store, source healthplan.TermsSource, id string, v allowance.Visit, race func()) (allowance.Result, error) {
	for attempt := 0; attempt < 5; attempt++ {
		r := s.get(id)
		c, err := healthplan.Load(r.doc, source)
		if err != nil {
			return allowance.Result{}, err
		}
		res, err := c.Commit(v)
		if err != nil {
			return allowance.Result{}, err
		}
		if c.Revision() == r.revision { // nothing new recorded: nothing to store
			return res, nil
		}
		if race != nil {
			race() // another invoice is stored meanwhile
			race = nil
		}
		doc, _ := c.MarshalJSON()
		if s.put(id, r.revision, doc) {
			return res, nil
		}
		fmt.Println("lost the race at revision", r.revision, "; retrying")
	}
	return allowance.Result{}, errors.New("too many lost races")
}

// Two invoices for the same pet at once: the second to store loses the
// race, loads the contract again and commits on the new state, so no
// allowance is used twice.
func Example_compareAndSwap() {
	source := healthplan.TermsMap{}
	source.Add(exampleTerms())
	c, _ := healthplan.New(exampleTerms(), plan.Enrollment{ID: "REX-2026", Start: start})
	doc, _ := c.MarshalJSON()
	s := &store{rows: map[string]row{"REX-2026": {c.Revision(), doc}}}

	flea := func(invoice string) allowance.Visit {
		return allowance.Visit{Invoice: invoice, Date: start.AddDays(85), Lines: []allowance.Line{line("1", "FLEA-1", "3", "23.49")}}
	}
	other := func() {
		if _, err := commit(s, source, "REX-2026", flea("INV-A"), nil); err != nil {
			log.Fatal(err)
		}
	}
	res, err := commit(s, source, "REX-2026", flea("INV-B"), other)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("INV-B:", res.Lines[0].Splits[0].Rule, res.Lines[0].Splits[0].Units)
	final, _ := healthplan.Load(s.get("REX-2026").doc, source)
	ents, _ := final.Entitlements(start.AddDays(85))
	fmt.Println("revision", final.Revision(), "flea-a used", ents.Rules[0].Used, "flea-b used", ents.Rules[1].Used)
	// Output:
	// lost the race at revision 0 ; retrying
	// INV-B: flea-b 3
	// revision 2 flea-a used 3 flea-b used 3
}
