package plan_test

import (
	"errors"
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/plan"
)

func ExampleDate_AddMonths() {
	start := plan.MustParseDate("2026-01-31")
	for n := 1; n <= 3; n++ {
		fmt.Println(start.AddMonths(n))
	}
	// Counting each month from the previous one drifts after February.
	fmt.Println(start.AddMonths(1).AddMonths(1))
	// A 12-month term covers start .. AddMonths(start, 12) - 1 day.
	fmt.Println(start.AddMonths(12).AddDays(-1))
	// Output:
	// 2026-02-28
	// 2026-03-31
	// 2026-04-30
	// 2026-03-28
	// 2027-01-30
}

func ExampleParseDate() {
	d, err := plan.ParseDate("2024-02-29")
	fmt.Println(d, err)

	_, err = plan.ParseDate("2026-02-30")
	fmt.Println(err)
	fmt.Println(errors.Is(err, plan.ErrInvalidDate))
	// Output:
	// 2024-02-29 <nil>
	// invalid date: 2026-02 has no day 30
	// true
}

func ExampleCatalog_Validate() {
	c := plan.Catalog{
		// The currency is missing.
		Groups: []plan.Group{
			{ID: "flea", Core: true, Items: []plan.Item{{Code: "FLEA-1"}}},
			{ID: "food", Items: []plan.Item{{Code: "FLEA-1"}}}, // in two groups
		},
		Plans: []plan.Plan{{
			ID: "dog-m", Species: "dog", TermMonths: 12,
			MonthlyFee: decimal.RequireFromString("15.00"),
			Rules: []plan.Rule{
				{ID: "flea-a", Group: "flea", Discount: plan.PercentOff(decimal.RequireFromString("100")),
					Allowed: plan.Allowed(3), EndDay: 90},
				{ID: "food", Group: "food", Discount: plan.PercentOff(decimal.RequireFromString("150")),
					Allowed: plan.Unlimited(), EndDay: 365},
			},
		}},
	}
	err := c.Validate()
	for _, p := range plan.Problems(err) {
		fmt.Println(p)
	}
	// Output:
	// currency: is missing; want an ISO 4217 code such as GBP
	// groups[1].items[0].code: "FLEA-1" is already in group "flea" (groups[0].items[0]); an item code belongs to one group at most
	// plans[0].rules[1].discountPercent: "150" is outside 0..100
}
