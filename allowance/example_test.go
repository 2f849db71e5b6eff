package allowance_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"log"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
)

// exampleSubscription is the seeds' flea plan: 3 treatments 100% off on
// days 0-90 (view order 1) and 3 more on days 80-120 (view order 2).
func exampleSubscription() *plan.Subscription {
	d := decimal.RequireFromString
	cat := plan.Catalog{
		Currency: plan.MustCurrency("GBP"),
		Groups:   []plan.Group{{ID: "flea", Name: "Flea treatment", Core: true, Items: []plan.Item{{Code: "FLEA-1"}, {Code: "FLEA-3PK", Units: 3}}}},
		Plans: []plan.Plan{{ID: "dog-m", Species: "dog", TermMonths: 12, MonthlyFee: d("15.00"), Rules: []plan.Rule{
			{ID: "A", Group: "flea", Discount: plan.PercentOff(d("100")), Allowed: plan.Allowed(3), EndDay: 90, ViewOrder: 1},
			{ID: "B", Group: "flea", Discount: plan.PercentOff(d("100")), Allowed: plan.Allowed(3), StartDay: 80, EndDay: 120, ViewOrder: 2},
		}}},
	}
	terms, err := cat.Terms("dog-m")
	if err != nil {
		log.Fatal(err)
	}
	sub, err := terms.Subscribe(plan.Enrollment{ID: "S1", Client: "C1", Start: plan.MustParseDate("2026-01-10")})
	if err != nil {
		log.Fatal(err)
	}
	return sub
}

func fleaVisit(invoice string, day int, qty string) allowance.Visit {
	return allowance.Visit{Invoice: invoice, Date: plan.MustParseDate("2026-01-10").AddDays(day),
		Lines: []allowance.Line{{ID: "1", Item: "FLEA-1", Qty: decimal.RequireFromString(qty), UnitPrice: decimal.RequireFromString("23.49")}}}
}

func ExampleLedger_Quote() {
	sub := exampleSubscription()
	var ledger allowance.Ledger
	// Day 85 is in both windows: A covers 3, then B covers 1.
	res, err := ledger.Quote(sub, fleaVisit("INV-1", 85, "4"))
	if err != nil {
		log.Fatal(err)
	}
	lr := res.Lines[0]
	fmt.Println("gross", lr.Gross.StringFixed(2), "discount", lr.Discount.StringFixed(2), "net", lr.Net.StringFixed(2))
	for _, s := range lr.Splits {
		fmt.Println(" ", s.Rule, s.Units, s.Discount.StringFixed(2))
	}
	// Output:
	// gross 93.96 discount 93.96 net 0.00
	//   A 3 70.47
	//   B 1 23.49
}

func ExampleLedger_Commit() {
	sub := exampleSubscription()
	var ledger allowance.Ledger
	if _, err := ledger.Commit(sub, fleaVisit("INV-1", 85, "4")); err != nil {
		log.Fatal(err)
	}
	// Day 100 is past A's window; B has 2 left for a line of 3.
	res, err := ledger.Commit(sub, fleaVisit("INV-2", 100, "3"))
	if err != nil {
		log.Fatal(err)
	}
	lr := res.Lines[0]
	fmt.Println(lr.Discount.StringFixed(2), "off;", lr.Why())

	// Committing a line again returns what was recorded.
	again, _ := ledger.Commit(sub, fleaVisit("INV-2", 100, "3"))
	fmt.Println("recorded:", again.Lines[0].Recorded, again.Lines[0].Discount.StringFixed(2))

	// Committing it with other content is refused, naming the field.
	_, err = ledger.Commit(sub, fleaVisit("INV-2", 100, "2"))
	var ve *plan.ValidationError
	fmt.Println(errors.Is(err, allowance.ErrLineConflict), errors.As(err, &ve), ve.Path)
	// Output:
	// 46.98 off; allowance used up: 1 of 3 units at full price
	// recorded: true 46.98
	// true true lines[0].qty
}

func ExampleLedger_Reverse() {
	sub := exampleSubscription()
	var ledger allowance.Ledger
	if _, err := ledger.Commit(sub, fleaVisit("INV-1", 85, "4")); err != nil {
		log.Fatal(err)
	}
	restored, err := ledger.Reverse(sub, "INV-1", "1")
	if err != nil {
		log.Fatal(err)
	}
	for _, r := range restored.Restored {
		fmt.Println(r.Rule, r.Units)
	}
	_, err = ledger.Reverse(sub, "INV-1", "1")
	fmt.Println(errors.Is(err, allowance.ErrAlreadyReversed))
	// Output:
	// A 3
	// B 1
	// true
}

func ExampleLedger_Entitlements() {
	sub := exampleSubscription()
	var ledger allowance.Ledger
	if _, err := ledger.Commit(sub, fleaVisit("INV-1", 85, "4")); err != nil {
		log.Fatal(err)
	}
	ents, err := ledger.Entitlements(sub, plan.MustParseDate("2026-04-20"))
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range ents.Rules {
		fmt.Printf("%s: %s used, %s left, %s..%s, %s\n", e.Rule, e.Used, e.Remaining, e.From, e.To, e.Status)
	}
	// Output:
	// A: 3 used, 0 left, 2026-01-10..2026-04-10, expired
	// B: 1 used, 2 left, 2026-03-31..2026-05-10, available
}

func ExampleLedger_MarshalJSON() {
	sub := exampleSubscription()
	var ledger allowance.Ledger
	if _, err := ledger.Commit(sub, fleaVisit("INV-1", 85, "4")); err != nil {
		log.Fatal(err)
	}
	b, err := json.Marshal(&ledger)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))

	restored, err := allowance.DecodeLedger(sub, b) // checked against sub's plan
	if err != nil {
		log.Fatal(err)
	}
	res, _ := restored.Quote(sub, fleaVisit("INV-2", 100, "3"))
	fmt.Println(res.Discount.StringFixed(2))
	// Output:
	// {"visits":[{"invoice":"INV-1","date":"2026-04-05","lines":[["1","FLEA-1","4","23.49",[["A","3","70.47","70.47"],["B","1","23.49","23.49"]]]]}],"adjustments":[]}
	// 46.98
}
