package billing_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// A subscription that starts on 31 January is due on the last day of each
// shorter month, always counted from the start date: 28 February, then 31
// March again (never 28 March).
func ExampleScheduleFor() {
	cat := plan.Catalog{
		Currency: plan.MustCurrency("GBP"),
		Plans: []plan.Plan{{
			ID: "dog-m", Name: "Medium dog", Species: "dog", TermMonths: 12,
			MonthlyFee: decimal.RequireFromString("15.00"),
			JoiningFee: decimal.RequireFromString("5.00"),
		}},
	}
	terms, err := cat.Terms("dog-m")
	if err != nil {
		fmt.Println(err)
		return
	}
	sub, err := terms.Subscribe(plan.Enrollment{
		ID: "S1", Client: "C1", Patient: plan.Patient{ID: "P1", Species: "dog"},
		Start: plan.MustParseDate("2026-01-31"), Payment: plan.Monthly,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	s, err := billing.ScheduleFor(sub)
	if err != nil {
		fmt.Println(err)
		return
	}
	cur := terms.Currency()
	for _, in := range s.Installments {
		fmt.Printf("%2d  %s  %s\n", in.Number, in.Due, cur.Format(in.Amount))
	}
	fmt.Println("total", cur.Format(s.Total))
	// Output:
	//  0  2026-01-31  20.00
	//  1  2026-02-28  15.00
	//  2  2026-03-31  15.00
	//  3  2026-04-30  15.00
	//  4  2026-05-31  15.00
	//  5  2026-06-30  15.00
	//  6  2026-07-31  15.00
	//  7  2026-08-31  15.00
	//  8  2026-09-30  15.00
	//  9  2026-10-31  15.00
	// 10  2026-11-30  15.00
	// 11  2026-12-31  15.00
	// total 185.00
}

// Split gives the remainder, one minor unit each, to the first parts.
func ExampleSplit() {
	gbp, jpy := plan.MustCurrency("GBP"), plan.MustCurrency("JPY")
	parts, err := billing.Split(decimal.RequireFromString("100.00"), 3, gbp)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(gbp.Format(parts[0]), gbp.Format(parts[1]), gbp.Format(parts[2]))
	parts, err = billing.Split(decimal.RequireFromString("100"), 7, jpy)
	if err != nil {
		fmt.Println(err)
		return
	}
	for i, p := range parts {
		if i > 0 {
			fmt.Print(" ")
		}
		fmt.Print(jpy.Format(p))
	}
	fmt.Println()
	_, err = billing.Split(decimal.RequireFromString("100.001"), 3, gbp)
	fmt.Println(err)
	// Output:
	// 33.34 33.33 33.33
	// 15 15 14 14 14 14 14
	// cannot split: 100.001 has more than 2 decimal places
}

// A puppy is judged on its expected adult weight, since its plan runs for
// the whole term; every plan it does not fit says why.
func ExampleEligibility() {
	band := func(lo, hi string) plan.Band {
		var b plan.Band
		if lo != "" {
			b.Min = decimal.NewNullDecimal(decimal.RequireFromString(lo))
		}
		if hi != "" {
			b.Max = decimal.NewNullDecimal(decimal.RequireFromString(hi))
		}
		return b
	}
	plans := []plan.Plan{
		{ID: "dog-s", Species: "dog", WeightKg: band("", "10")},
		{ID: "dog-m", Species: "dog", WeightKg: band("10", "25")},
		{ID: "dog-senior", Species: "dog", AgeMonths: band("96", "")},
		{ID: "cat", Species: "cat"},
	}
	puppy := plan.Patient{
		ID: "P2", Species: "dog",
		WeightKg:              decimal.NewNullDecimal(decimal.RequireFromString("8")),
		ExpectedAdultWeightKg: decimal.NewNullDecimal(decimal.RequireFromString("18")),
		BirthDate:             plan.MustParseDate("2026-03-01"),
	}
	for _, f := range billing.Eligibility(plans, puppy, plan.MustParseDate("2026-06-01")) {
		fmt.Println(f.Plan, f.Eligible)
		for _, r := range f.Reasons {
			fmt.Println("  ", r)
		}
	}
	// Output:
	// dog-s false
	//    expectedAdultWeightKg: 18 is not below the plan's maximum 10
	// dog-m true
	// dog-senior false
	//    ageMonths: 3 on 2026-06-01 is below the plan's minimum 96
	// cat false
	//    species: "dog" is not "cat", the species the plan is for
}
