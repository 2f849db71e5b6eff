// Command billing prints the installment schedule of a plan started on 31
// January: every due date is counted from the start date and clamped to the
// end of shorter months (28 February, 30 April, ...), never drifting after
// February as repeated "add a month" would. Beside each date is what Go's
// time.AddDate would have given, which normalises 31 February to 3 March.
// It then records payments, one of them failed, and prints the account's
// standing on a few dates.
//
//	go run ./examples/billing
package main

import (
	"fmt"
	"log"
	"os"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

func main() {
	d := decimal.RequireFromString
	catalog := plan.Catalog{
		Currency: plan.MustCurrency("GBP"),
		Plans: []plan.Plan{{ID: "cat", Name: "Adult cat", Species: "cat", TermMonths: 12,
			MonthlyFee: d("14.99"), JoiningFee: d("10.00"), AdvancePrice: decimal.NewNullDecimal(d("159.00")),
			MultiPetDiscount: plan.PercentOff(d("10")), SuspendAfterFailures: 2}},
	}
	terms, err := catalog.Terms("cat")
	if err != nil {
		log.Fatal(err)
	}
	start := plan.MustParseDate("2026-01-31")
	c, err := healthplan.New(terms, plan.Enrollment{ID: "MOG", Client: "JONES", Start: start, Payment: plan.Auto, MultiPet: true})
	if err != nil {
		log.Fatal(err)
	}
	sched := c.Schedule()
	cur := terms.Currency()
	fmt.Printf("Schedule for %s: plan %s from %s, paid by %s, multi-pet 10%% off\n", c.ID(), terms.PlanID(), start, c.Enrollment().Payment)
	y, m, day := start.Date()
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  #\tdue\tamount\ttime.AddDate would say\t")
	for _, in := range sched.Installments {
		naive := time.Date(y, m, day, 0, 0, 0, 0, time.UTC).AddDate(0, in.Number, 0).Format(time.DateOnly)
		mark := ""
		if naive != in.Due.String() {
			mark = naive + "  (wrong month)"
		}
		fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t\n", in.Number+1, in.Due, cur.Format(in.Amount), mark)
	}
	tw.Flush()
	fmt.Printf("  contract total %s (the first installment carries the %s joining fee)\n\n", cur.Format(sched.Total), cur.Format(d("10.00")))

	for _, p := range []billing.Payment{
		{Date: start, Amount: d("23.49"), Status: billing.Taken},
		{Date: plan.MustParseDate("2026-02-28"), Amount: d("13.49"), Status: billing.Failed},
		{Date: plan.MustParseDate("2026-03-31"), Amount: d("13.49"), Status: billing.Failed},
		{Date: plan.MustParseDate("2026-04-02"), Amount: d("26.98"), Status: billing.Taken},
	} {
		st, err := c.Pay(p)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s payment of %s %-6s -> paid %s, arrears %s, %s\n", p.Date, cur.Format(p.Amount), p.Status,
			cur.Format(st.Paid), cur.Format(st.Arrears), st.Status)
	}
	st, err := c.Standing(plan.MustParseDate("2026-04-02"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("\nOn %s: due %s, paid %s, arrears %s, next installment %s\n", st.Date, cur.Format(st.Due), cur.Format(st.Paid), cur.Format(st.Arrears), st.NextDue)
}
