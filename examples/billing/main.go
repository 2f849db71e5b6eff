// Command billing shows what a client owes over time. It prints the
// installment schedules of a cat plan started on 31 January, paid monthly,
// quarterly and every 4 weeks: every due date is counted from the start
// date and clamped to the end of shorter months (28 February, 30 April,
// ...), never drifting after February as repeated "add a month" would;
// beside the monthly dates is what Go's time.AddDate would have given,
// which normalises 31 February to 3 March. It then follows a client who
// stops paying through the plan's dunning policy, day by day as a
// practice's nightly job sees it: the retries, past due, suspended, and
// the day the practice's own rule says to cancel.
//
//	go run ./examples/billing
package main

import (
	"fmt"
	"log"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

var d = decimal.RequireFromString

func main() {
	catalog := plan.Catalog{
		Currency: plan.MustCurrency("GBP"),
		Plans: []plan.Plan{{ID: "cat", Name: "Adult cat", Species: "cat", TermMonths: 12,
			MonthlyFee: d("14.99"), JoiningFee: d("10.00"), AdvancePrice: decimal.NewNullDecimal(d("159.00")),
			Fees:             plan.Fees{Quarter: decimal.NewNullDecimal(d("43.50")), FourWeeks: decimal.NewNullDecimal(d("13.80"))},
			MultiPetDiscount: plan.PercentOff(d("10")), SuspendAfterFailures: 3,
			Dunning: plan.Dunning{RetryDays: []int{3, 7}, PastDueAfter: plan.After(7),
				SuspendAfter: plan.After(30), CancelAfter: plan.After(60)}}},
	}
	terms, err := catalog.Terms("cat")
	if err != nil {
		log.Fatal(err)
	}
	start := plan.MustParseDate("2026-01-31")
	cur := terms.Currency()

	fmt.Printf("Plan %s from %s, multi-pet 10%% off: 14.99 a month, 43.50 a quarter or 13.80 every 4 weeks, 10.00 to join\n\n", terms.PlanID(), start)
	y, m, day := start.Date()
	for _, iv := range []plan.Interval{plan.Month, plan.Quarter, plan.FourWeeks} {
		c, err := healthplan.New(terms, plan.Enrollment{ID: "MOG-" + iv.String(), Client: "JONES", Start: start,
			Payment: plan.Auto, Interval: iv, MultiPet: true})
		if err != nil {
			log.Fatal(err)
		}
		sched := c.Schedule()
		every := map[plan.Interval]string{plan.Month: "month", plan.Quarter: "quarter", plan.FourWeeks: "4 weeks"}[iv]
		fmt.Printf("Paid every %s: %d installments, %s in all\n", every, len(sched.Installments), cur.Format(sched.Total))
		tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
		if iv == plan.Month {
			fmt.Fprintln(tw, "  #\tdue\tamount\ttime.AddDate would say\t")
		} else {
			fmt.Fprintln(tw, "  #\tdue\tamount\t")
		}
		for _, in := range sched.Installments {
			if iv != plan.Month {
				fmt.Fprintf(tw, "  %d\t%s\t%s\t\n", in.Number+1, in.Due, cur.Format(in.Amount))
				continue
			}
			mark := ""
			if naive := time.Date(y, m, day, 0, 0, 0, 0, time.UTC).AddDate(0, in.Number, 0).Format(time.DateOnly); naive != in.Due.String() {
				mark = naive + "  (wrong month)"
			}
			fmt.Fprintf(tw, "  %d\t%s\t%s\t%s\t\n", in.Number+1, in.Due, cur.Format(in.Amount), mark)
		}
		tw.Flush()
		fmt.Println()
	}

	// A client who pays January, then fails February (retried on days 3
	// and 7), and never pays again.
	c, err := healthplan.New(terms, plan.Enrollment{ID: "TIBBLES", Client: "SMITH", Start: start, Payment: plan.Auto})
	if err != nil {
		log.Fatal(err)
	}
	feb := start.AddMonths(1)
	for _, p := range []billing.Payment{
		{Date: start, Amount: d("24.99"), Status: billing.Taken},
		{Date: feb, Amount: d("14.99"), Status: billing.Failed},
		{Date: feb.AddDays(3), Amount: d("14.99"), Status: billing.Failed},
	} {
		if _, err := c.Pay(p); err != nil {
			log.Fatal(err)
		}
	}
	fmt.Println("Dunning for a client who stops paying after January (retry on days 3 and 7, past due after 7,")
	fmt.Println("suspended after 30, cancel after 60 days past due):")
	tw := tabwriter.NewWriter(os.Stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "  date\tpaid\tarrears\tdays past due\tstatus\tthe nightly job\t")
	for _, on := range []plan.Date{feb.AddDays(-1), feb, feb.AddDays(3), feb.AddDays(7), feb.AddDays(8),
		feb.AddDays(30), feb.AddDays(31), feb.AddDays(60), feb.AddDays(61)} {
		st, err := c.Standing(on)
		if err != nil {
			log.Fatal(err)
		}
		var todo []string
		for _, r := range st.RetryDates {
			if r == on {
				todo = append(todo, "retry the payment")
			}
		}
		if st.PastDue {
			todo = append(todo, "past due")
		}
		if st.Status == plan.Suspended {
			todo = append(todo, "no discounts")
		}
		if st.CancelDue {
			todo = append(todo, "cancel for nonPayment")
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%d\t%s\t%s\t\n", on, cur.Format(st.Paid), cur.Format(st.Arrears), st.DaysPastDue, st.Status, strings.Join(todo, ", "))
	}
	tw.Flush()
}
