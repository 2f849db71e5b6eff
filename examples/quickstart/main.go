// Command quickstart walks through the library on the seeds' example plan:
// a medium-dog plan with two overlapping flea allowances (days 0-90 and
// 80-120), the first consultation free then 50% off, 10% off food, and a
// 3-pack of flea treatment that counts as 3 units. It sells a contract,
// commits three invoices, printing each line's discount and why, stores
// the contract's document and loads it back, and prints the entitlements.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"log"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
)

func main() {
	d := decimal.RequireFromString
	pct := func(s string) plan.Discount { return plan.PercentOff(d(s)) }
	catalog := plan.Catalog{Currency: plan.MustCurrency("GBP"),
		Groups: []plan.Group{
			{ID: "flea", Name: "Flea treatment", Core: true, Items: []plan.Item{{Code: "FLEA-1"}, {Code: "FLEA-3PK", Units: 3}}},
			{ID: "consult", Name: "Consultations", Core: true, Items: []plan.Item{{Code: "CONSULT"}}},
			{ID: "food", Name: "Pet food", Items: []plan.Item{{Code: "FOOD-12KG"}}}},
		Plans: []plan.Plan{{ID: "dog-m", Name: "Medium dog", Species: "dog", TermMonths: 12, MonthlyFee: d("15.00"),
			Rules: []plan.Rule{
				{ID: "flea-a", Group: "flea", Discount: pct("100"), Allowed: plan.Allowed(3), EndDay: 90, ViewOrder: 1},
				{ID: "flea-b", Group: "flea", Discount: pct("100"), Allowed: plan.Allowed(3), StartDay: 80, EndDay: 120, ViewOrder: 2},
				{ID: "consult-free", Group: "consult", Discount: pct("100"), Allowed: plan.Allowed(1), EndDay: 365, ViewOrder: 1},
				{ID: "consult-half", Group: "consult", Discount: pct("50"), Allowed: plan.Allowed(999), EndDay: 365, ViewOrder: 2},
				{ID: "food", Group: "food", Discount: pct("10"), Allowed: plan.Unlimited(), EndDay: 365}}}}}
	terms := must(catalog.Terms("dog-m")) // validated once; every contract sold on it shares it
	start := plan.MustParseDate("2026-01-10")
	c := must(healthplan.New(terms, plan.Enrollment{ID: "REX-2026", Client: "SMITH", Start: start}))

	line := func(id, item, qty, price string) allowance.Line {
		return allowance.Line{ID: id, Item: item, Qty: d(qty), UnitPrice: d(price)}
	}
	for _, v := range []allowance.Visit{
		{Invoice: "INV-1", Date: start.AddDays(5), Lines: []allowance.Line{line("1", "CONSULT", "1", "42.00"), line("2", "FLEA-1", "1", "23.49"),
			line("3", "FOOD-12KG", "2", "54.99")}},
		{Invoice: "INV-2", Date: start.AddDays(85), Lines: []allowance.Line{line("1", "CONSULT", "1", "42.00"), line("2", "FLEA-3PK", "1", "62.97")}},
		{Invoice: "INV-3", Date: start.AddDays(100), Lines: []allowance.Line{line("1", "FLEA-1", "3", "23.49"), line("2", "XRAY", "1", "180.00")}},
	} {
		res := must(c.Commit(v)) // Quote(v) gives the same answer and records nothing
		cur := res.Currency
		fmt.Printf("%s on day %d: gross %s, discount %s, net %s\n", v.Invoice, v.Date.Sub(start),
			cur.Format(res.Gross), cur.Format(res.Discount), cur.Format(res.Net))
		for _, lr := range res.Lines {
			fmt.Printf("  %s %s x%s: %s off", lr.ID, lr.Item, lr.Qty, cur.Format(lr.Discount))
			for _, s := range lr.Splits {
				fmt.Printf(", %s unit(s) under %s", s.Units, s.Rule)
			}
			if why := lr.Why(); why != "" {
				fmt.Print("; ", why)
			}
			fmt.Println()
		}
	}

	doc := must(c.MarshalJSON()) // what the host stores, with c.Revision() for compare-and-swap
	source := healthplan.TermsMap{}
	source.Add(terms)
	c = must(healthplan.Load(doc, source)) // at the next invoice
	ents := must(c.Entitlements(start.AddDays(100)))
	fmt.Printf("\nrevision %d, %d bytes stored; entitlements on day 100:\n", c.Revision(), len(doc))
	for _, e := range ents.Rules {
		fmt.Printf("  %-13s %-5s used %s of %s, %s\n", e.Rule, e.Discount, e.Used, e.Allowed, e.Status)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		log.Fatal(err)
	}
	return v
}
