// Command quickstart walks through the Go API on the seeds' example plan: a
// medium-dog plan with two overlapping flea allowances (days 0-90 and
// 80-120), the first consultation free then 50% off, 50% off the first bag
// of food then 10% off all food, and a 3-pack of flea treatment that counts
// as 3 units. It quotes and commits three visits, printing each invoice's
// breakdown, then the entitlement statement a practice screen shows.
//
//	go run ./examples/quickstart
package main

import (
	"fmt"
	"log"
	"os"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
)

func main() {
	d := decimal.RequireFromString
	catalog := plan.Catalog{
		Currency: plan.MustCurrency("GBP"),
		Groups: []plan.Group{
			{ID: "flea", Name: "Flea treatment", Core: true, Items: []plan.Item{{Code: "FLEA-1"}, {Code: "FLEA-3PK", Units: 3}}},
			{ID: "consult", Name: "Consultations", Core: true, Items: []plan.Item{{Code: "CONSULT"}}},
			{ID: "food", Name: "Pet food", Items: []plan.Item{{Code: "FOOD-12KG"}}},
		},
		Plans: []plan.Plan{{
			ID: "dog-m", Name: "Medium dog", Species: "dog", TermMonths: 12, MonthlyFee: d("15.00"),
			Rules: []plan.Rule{
				{ID: "flea-a", Group: "flea", Discount: plan.PercentOff(d("100")), Allowed: plan.Allowed(3), StartDay: 0, EndDay: 90, ViewOrder: 1},
				{ID: "flea-b", Group: "flea", Discount: plan.PercentOff(d("100")), Allowed: plan.Allowed(3), StartDay: 80, EndDay: 120, ViewOrder: 2},
				{ID: "consult-free", Group: "consult", Discount: plan.PercentOff(d("100")), Allowed: plan.Allowed(1), EndDay: 365, ViewOrder: 1},
				{ID: "consult-half", Group: "consult", Discount: plan.PercentOff(d("50")), Allowed: plan.Unlimited, EndDay: 365, ViewOrder: 2},
				{ID: "food-first", Group: "food", Discount: plan.PercentOff(d("50")), Allowed: plan.Allowed(1), EndDay: 365, ViewOrder: 1},
				{ID: "food-ongoing", Group: "food", Discount: plan.PercentOff(d("10")), Allowed: plan.Unlimited, EndDay: 365, ViewOrder: 2},
			},
		}},
	}
	if err := catalog.Validate(); err != nil {
		log.Fatal(err) // every problem, each with its JSON path
	}
	terms, err := catalog.Terms("dog-m") // the snapshot a subscription keeps
	if err != nil {
		log.Fatal(err)
	}
	start := plan.MustParseDate("2026-01-10")
	sub, err := terms.Subscribe(plan.Enrollment{ID: "S1", Client: "SMITH", Start: start,
		Patient: plan.Patient{ID: "REX", Species: "dog"}})
	if err != nil {
		log.Fatal(err)
	}

	var ledger allowance.Ledger // the zero ledger is empty; persist it as JSON
	visits := []allowance.Visit{
		{Invoice: "INV-1", Date: start.AddDays(5), Lines: []allowance.Line{
			{ID: "1", Item: "CONSULT", Qty: d("1"), UnitPrice: d("42.00")},
			{ID: "2", Item: "FLEA-1", Qty: d("1"), UnitPrice: d("23.49")},
			{ID: "3", Item: "FOOD-12KG", Qty: d("2"), UnitPrice: d("54.99")},
		}},
		// Day 85 is in both flea windows: the pack's 3 units take flea-a's
		// last 2, then 1 from flea-b.
		{Invoice: "INV-2", Date: start.AddDays(85), Lines: []allowance.Line{
			{ID: "1", Item: "CONSULT", Qty: d("1"), UnitPrice: d("42.00")},
			{ID: "2", Item: "FLEA-3PK", Qty: d("1"), UnitPrice: d("62.97")},
		}},
		// Day 100 is past flea-a's window: flea-b has 2 left for 3.
		{Invoice: "INV-3", Date: start.AddDays(100), Lines: []allowance.Line{
			{ID: "1", Item: "FLEA-1", Qty: d("3"), UnitPrice: d("23.49")},
			{ID: "2", Item: "XRAY", Qty: d("1"), UnitPrice: d("180.00")},
		}},
	}
	cur := terms.Currency()
	for _, v := range visits {
		quote, err := ledger.Quote(sub, v) // what the invoice screen shows; changes nothing
		if err != nil {
			log.Fatal(err)
		}
		if _, err := ledger.Commit(sub, v); err != nil { // records the redemptions
			log.Fatal(err)
		}
		fmt.Printf("%s on %s (day %d)\n", v.Invoice, v.Date, sub.Day(v.Date))
		tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "  line\titem\tqty\tgross\tdiscount\tnet\t")
		for _, lr := range quote.Lines {
			fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\t%s\t\n", lr.ID, lr.Item, lr.Qty,
				cur.Format(lr.Gross), cur.Format(lr.Discount), cur.Format(lr.Net))
		}
		fmt.Fprintf(tw, "  \t\t\t%s\t%s\t%s\t\n", cur.Format(quote.Gross), cur.Format(quote.Discount), cur.Format(quote.Net))
		tw.Flush()
		for _, lr := range quote.Lines {
			for _, s := range lr.Splits {
				fmt.Printf("    line %s: %s allowance unit(s) under %s, %s off\n", lr.ID, s.Units, s.Rule, cur.Format(s.Discount))
			}
			if why := lr.Why(); why != "" {
				fmt.Printf("    line %s: %s\n", lr.ID, why)
			}
		}
		fmt.Println()
	}

	on := start.AddDays(100)
	ents, err := ledger.Entitlements(sub, on)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("Entitlements on %s\n", on)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  rule\tdiscount\tused\tleft\twindow\tstatus")
	for _, e := range ents {
		left := "unlimited"
		if !e.Allowed.IsUnlimited() {
			left = e.Remaining.String() + " of " + e.Allowed.String()
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s..%s\t%s\n", e.Rule, e.Discount, e.Used, left, e.From, e.To, e.Status)
	}
	tw.Flush()
}
