// Command cancel replays the seeds' situation of an account not fully paid
// when the plan is ended: a dog joins, takes its core treatments in the
// first months, misses two payments and is cancelled for non-payment. It
// prints the client statement the week before, the settlement under each
// method side by side, and the itemised settlement a practice hands over.
//
//	go run ./examples/cancel
package main

import (
	"fmt"
	"log"
	"os"
	"text/tabwriter"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

var d = decimal.RequireFromString

var catalog = plan.Catalog{
	Currency: plan.MustCurrency("GBP"),
	Groups: []plan.Group{
		{ID: "vacc", Name: "Vaccinations", Core: true, Items: []plan.Item{{Code: "VACC-DHP"}, {Code: "VACC-LEPTO"}}},
		{ID: "flea", Name: "Flea treatment", Core: true, Items: []plan.Item{{Code: "FLEA-SPOT"}}},
		{ID: "worm", Name: "Wormers", Core: true, Items: []plan.Item{{Code: "WORM-TAB"}}},
		{ID: "food", Name: "Pet food", Items: []plan.Item{{Code: "FOOD-12KG"}}},
	},
	Plans: []plan.Plan{{
		ID: "dog-m", Name: "Medium dog", Species: "dog", TermMonths: 12, MonthlyFee: d("19.50"), SuspendAfterFailures: 2,
		Settlement: plan.Settlement{WaiveFor: []string{"deceased"}},
		Rules: []plan.Rule{
			{ID: "vacc", Group: "vacc", Discount: plan.PercentOff(d("100")), Allowed: plan.Allowed(2), EndDay: 365},
			{ID: "flea-a", Group: "flea", Discount: plan.PercentOff(d("100")), Allowed: plan.Allowed(3), EndDay: 90, ViewOrder: 1},
			{ID: "flea-b", Group: "flea", Discount: plan.PercentOff(d("100")), Allowed: plan.Allowed(3), StartDay: 80, EndDay: 180, ViewOrder: 2},
			{ID: "worm", Group: "worm", Discount: plan.PercentOff(d("50")), Allowed: plan.Allowed(4), EndDay: 365},
			{ID: "food", Group: "food", Discount: plan.PercentOff(d("10")), Allowed: plan.Unlimited(), EndDay: 365},
		},
	}},
}

// replay runs the seeds' story on a plan whose settlement is s.
func replay(s plan.Settlement) *healthplan.Contract {
	cat := catalog
	cat.Plans = []plan.Plan{catalog.Plans[0]}
	cat.Plans[0].Settlement = s
	terms, err := cat.Terms("dog-m")
	if err != nil {
		log.Fatal(err)
	}
	start := plan.MustParseDate("2026-01-05")
	h, err := healthplan.New(terms, plan.Enrollment{ID: "REX-2026", Client: "SMITH", Start: start, Payment: plan.Auto,
		Patient: plan.Patient{ID: "REX", Species: "dog"}})
	if err != nil {
		log.Fatal(err)
	}
	pay := func(date, amount string, status billing.PaymentStatus) {
		if _, err := h.Pay(billing.Payment{Date: plan.MustParseDate(date), Amount: d(amount), Status: status}); err != nil {
			log.Fatal(err)
		}
	}
	visit := func(invoice, date string, lines ...allowance.Line) {
		if _, err := h.Commit(allowance.Visit{Invoice: invoice, Date: plan.MustParseDate(date), Lines: lines}); err != nil {
			log.Fatal(err)
		}
	}
	line := func(id, item, qty, price string) allowance.Line {
		return allowance.Line{ID: id, Item: item, Qty: d(qty), UnitPrice: d(price)}
	}
	pay("2026-01-05", "19.50", billing.Taken)
	visit("J1", "2026-01-05", line("1", "VACC-DHP", "1", "32.00"), line("2", "FLEA-SPOT", "1", "14.50"),
		line("3", "WORM-TAB", "1", "9.99"), line("4", "FOOD-12KG", "1", "54.99"))
	pay("2026-02-05", "19.50", billing.Taken)
	visit("J2", "2026-02-07", line("1", "VACC-LEPTO", "1", "20.00"), line("2", "FLEA-SPOT", "2", "14.50"))
	pay("2026-03-05", "19.50", billing.Failed)
	pay("2026-03-06", "19.50", billing.Failed)
	visit("J3", "2026-03-10", line("1", "FLEA-SPOT", "1", "14.50")) // suspended: no discount
	return h
}

func main() {
	cancelOn := plan.MustParseDate("2026-04-01")

	h := replay(plan.Settlement{WaiveFor: []string{"deceased"}})
	st, err := h.Statement(cancelOn.AddDays(-7))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(st.Text(), "\n")

	fmt.Printf("Cancelled for non-payment on %s, under each settlement method:\n", cancelOn)
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "method\tcore value\tpaid\tunpaid of contract\tfee\towed\tdebt\trefund\t")
	for _, s := range []plan.Settlement{
		{Method: plan.CoreValue},
		{Method: plan.CoreValue, Basis: plan.ListBasis},
		{Method: plan.RemainingPayments},
		{Method: plan.LesserOf, CancellationFee: d("25.00")},
		{Method: plan.NoDebt},
	} {
		hs := replay(s)
		set, err := hs.Settle(debt.Notice{Date: cancelOn, Reason: "nonPayment"})
		if err != nil {
			log.Fatal(err)
		}
		c := set.Currency
		fmt.Fprintf(tw, "%s (%s)\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n", set.Method, set.Basis, c.Format(set.CoreValue), c.Format(set.Paid),
			c.Format(set.Remaining), c.Format(set.Fee), c.Format(set.Owed), c.Format(set.Debt), c.Format(set.Refund))
	}
	tw.Flush()
	fmt.Println()

	set, err := h.Terminate(debt.Notice{Date: cancelOn, Reason: "nonPayment"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(set.Text())
}
