package debt_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

// exampleAccount is a 12-month plan at 19.50 a month where a dog has had
// two vaccinations and a flea treatment (core) and some food (not core),
// and has paid two installments.
func exampleAccount() (*plan.Subscription, *allowance.Ledger, *billing.Account) {
	d := decimal.RequireFromString
	cat := plan.Catalog{
		Currency: plan.MustCurrency("GBP"),
		Groups: []plan.Group{
			{ID: "vacc", Name: "Vaccinations", Core: true, Items: []plan.Item{{Code: "VACC"}}},
			{ID: "flea", Name: "Flea treatment", Core: true, Items: []plan.Item{{Code: "FLEA"}}},
			{ID: "food", Name: "Pet food", Items: []plan.Item{{Code: "FOOD"}}},
		},
		Plans: []plan.Plan{{ID: "dog-m", Species: "dog", TermMonths: 12, MonthlyFee: d("19.50"),
			Settlement: plan.Settlement{CancellationFee: d("15.00"), WaiveFor: []string{"deceased"}},
			Rules: []plan.Rule{
				{ID: "vacc", Group: "vacc", Discount: plan.PercentOff(d("100")), Allowed: plan.Allowed(2), EndDay: 365},
				{ID: "flea", Group: "flea", Discount: plan.PercentOff(d("100")), Allowed: plan.Allowed(6), EndDay: 365},
				{ID: "food", Group: "food", Discount: plan.PercentOff(d("10")), Allowed: plan.Unlimited(), EndDay: 365},
			}}},
	}
	terms, err := cat.Terms("dog-m")
	if err != nil {
		log.Fatal(err)
	}
	start := plan.MustParseDate("2026-01-05")
	sub, err := terms.Subscribe(plan.Enrollment{ID: "REX-2026", Client: "SMITH", Start: start, Patient: plan.Patient{ID: "REX"}})
	if err != nil {
		log.Fatal(err)
	}
	var l allowance.Ledger
	var a billing.Account
	for _, v := range []allowance.Visit{
		{Invoice: "J1", Date: start, Lines: []allowance.Line{
			{ID: "1", Item: "VACC", Qty: d("1"), UnitPrice: d("32.00")},
			{ID: "2", Item: "FOOD", Qty: d("1"), UnitPrice: d("54.99")}}},
		{Invoice: "J2", Date: start.AddDays(33), Lines: []allowance.Line{
			{ID: "1", Item: "VACC", Qty: d("1"), UnitPrice: d("20.00")},
			{ID: "2", Item: "FLEA", Qty: d("2"), UnitPrice: d("14.50")}}},
	} {
		if _, err := l.Commit(sub, v); err != nil {
			log.Fatal(err)
		}
	}
	for _, p := range []billing.Payment{
		{Date: start, Amount: d("19.50")},
		{Date: start.AddMonths(1), Amount: d("19.50")},
		{Date: start.AddMonths(2), Amount: d("19.50"), Status: billing.Failed},
	} {
		if _, err := a.Record(sub, p); err != nil {
			log.Fatal(err)
		}
	}
	return sub, &l, &a
}

func ExampleTerminate() {
	sub, ledger, account := exampleAccount()
	s, _, err := debt.Terminate(sub, ledger, account, debt.Notice{Date: plan.MustParseDate("2026-03-20"), Reason: "cancelled"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(s.Text())
	// Output:
	// SETTLEMENT  subscription REX-2026
	// Ended 2026-03-20 (cancelled), day 74 of the term
	// ----------------------------------------------------------------
	// Core treatments used (valued at the discount given)
	//   Vaccinations
	//     2026-01-05  J1/1  1 × VACC                             32.00
	//     2026-02-07  J2/1  1 × VACC                             20.00
	//     subtotal                                               52.00
	//   Flea treatment
	//     2026-02-07  J2/2  2 × FLEA                             29.00
	//     subtotal                                               29.00
	// Core value (V)                                             81.00
	// Paid by 2026-03-20 (P)                                     39.00
	// Contract total (F)                                        234.00
	// Unpaid of the contract (R)                                195.00
	// ----------------------------------------------------------------
	// Method: coreValue
	//   value of core treatments used, less payments (V - P)
	// Owed                                                       42.00
	// Cancellation fee                                           15.00
	// ----------------------------------------------------------------
	// DEBT                                                       57.00
	// REFUND                                                      0.00
}

func ExampleSettle_deceased() {
	sub, ledger, account := exampleAccount()
	s, err := debt.Settle(sub, ledger, account, debt.Notice{Date: plan.MustParseDate("2026-03-20"), Reason: "deceased"})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("owed", s.Owed.StringFixed(2), "fee", s.Fee.StringFixed(2), "debt", s.Debt.StringFixed(2), "waived", s.Waived)
	// Output: owed 42.00 fee 0.00 debt 0.00 waived true
}

func ExampleStatementOn() {
	sub, ledger, account := exampleAccount()
	st, err := debt.StatementOn(sub, ledger, account, plan.MustParseDate("2026-03-10"))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(st.Text())
	// Output:
	// STATEMENT  2026-03-10, subscription REX-2026 (plan dog-m)
	// Patient REX, client SMITH
	// Term 2026-01-05 to 2027-01-04, active
	// Installments monthly, invoiced by the practice
	// ----------------------------------------------------------------
	// Saved so far
	//   Vaccinations (2 units)                                   52.00
	//   Flea treatment (2 units)                                 29.00
	//   Pet food (1 unit)                                         5.50
	// Total saved                                                86.50
	// ----------------------------------------------------------------
	// Still to use
	//   vacc  100% off  2026-01-05 to 2027-01-04  0 of 2 left  exhausted
	//   flea  100% off  2026-01-05 to 2027-01-04  4 of 6 left  available
	//   food  10% off   2026-01-05 to 2027-01-04  unlimited    available
	// ----------------------------------------------------------------
	// Contract total                                            234.00
	// Paid by 2026-03-10                                         39.00
	// Due by then                                                58.50
	// Arrears                                                    19.50
	// Next installment due                                  2026-04-05
	// Overdue since 2026-03-05                         5 days past due
	// ----------------------------------------------------------------
	// Cancelling today would cost                                57.00
	//   (coreValue: value of core treatments used, less payments (V - P))
}

func ExampleSettlement_MarshalJSON() {
	sub, ledger, account := exampleAccount()
	s, err := debt.Settle(sub, ledger, account, debt.Notice{Date: plan.MustParseDate("2026-01-10"), Reason: "moved"})
	if err != nil {
		log.Fatal(err)
	}
	b, err := json.Marshal(s)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(b))
	// Output:
	// {"subscription":"REX-2026","currency":"GBP","date":"2026-01-10","reason":"moved","day":5,"method":"coreValue","coreValue":"32.00","paid":"19.50","contractTotal":"234.00","remaining":"214.50","fee":"15.00","owed":"12.50","debt":"27.50","refund":"0.00","waived":false,"basis":"discount","coolingOff":false,"core":[{"group":"vacc","name":"Vaccinations","value":"32.00","redemptions":[{"invoice":"J1","line":"1","item":"VACC","date":"2026-01-05","rule":"vacc","units":"1","discount":"32.00","listValue":"32.00","counts":"32.00"}]}]}
}
