package debt_test

import (
	"fmt"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

// The design guide's flea allowances: 3 packs free on days 0-90, 3 more on
// days 80-120, for 15.00 a month. A client who pays nothing takes the
// first 3 on day 0 and the other 3 on day 80; the plan's coreValue
// settlement claims it all back. One who pays everything is back below 0
// once ten installments are in.
func ExampleExposure() {
	var terms plan.Terms
	err := terms.UnmarshalJSON([]byte(`{"currency": "GBP",
	  "groups": [{"id": "flea", "core": true, "items": [{"code": "FLEA-1"}]}],
	  "plan": {"id": "dog-m", "species": "dog", "termMonths": 12, "monthlyFee": "15.00", "rules": [
	    {"id": "flea-a", "group": "flea", "discountPercent": "100", "allowed": 3, "startDay": 0, "endDay": 90, "viewOrder": 1},
	    {"id": "flea-b", "group": "flea", "discountPercent": "100", "allowed": 3, "startDay": 80, "endDay": 120, "viewOrder": 2}]}}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	rep, err := debt.Exposure(debt.ExposureInput{
		Terms:  &terms,
		Start:  plan.MustParseDate("2026-01-05"),
		Prices: map[string]decimal.Decimal{"FLEA-1": decimal.RequireFromString("23.49")},
		Cap:    decimal.NewNullDecimal(decimal.RequireFromString("80.00")),
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range rep.Curve {
		fmt.Printf("from day %d (%s): %s\n", p.Day, p.Date, p.Exposure.StringFixed(2))
	}
	fmt.Printf("peak %s on %s; the plan claims %s under %s\n", rep.Peak.Exposure.StringFixed(2), rep.Peak.Date,
		rep.Claim.Debt.StringFixed(2), rep.Claim.Method)
	fmt.Printf("paying: peak %s on day %d, at or below 0 from day %d\n",
		rep.Paying.Peak.Exposure.StringFixed(2), rep.Paying.Peak.Day, rep.Paying.BreakEvenDay)
	for _, d := range rep.Delays.Alone {
		fmt.Printf("under 80.00 alone: %s from day %d (never applies: %v)\n", d.Rule, d.StartDay, d.Never)
	}
	// Output:
	// from day 0 (2026-01-05): 70.47
	// from day 80 (2026-03-26): 140.94
	// peak 140.94 on 2026-03-26; the plan claims 140.94 under coreValue
	// paying: peak 95.94 on day 80, at or below 0 from day 273
	// under 80.00 alone: flea-a from day 91 (never applies: true)
	// under 80.00 alone: flea-b from day 121 (never applies: true)
}
