package billing_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// cmpOpts compares plan.Date by value (its field is unexported) and treats
// nil and empty slices alike; decimal.Decimal compares through its Equal
// method, which cmp uses on its own.
var cmpOpts = cmp.Options{
	cmp.Comparer(func(a, b plan.Date) bool { return a == b }),
	cmp.Comparer(func(a, b plan.Currency) bool { return a == b }),
	cmpopts.EquateEmpty(),
}

// figures compares standings on paid, due, arrears, next due date and
// status only: tests of the dunning fields compare them on their own.
var figures = cmp.Options{cmpOpts, cmpopts.IgnoreFields(billing.Standing{}, "DaysPastDue", "OverdueSince", "PastDue", "RetryDates", "CancelDue")}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func nullDec(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

func date(s string) plan.Date { return plan.MustParseDate(s) }

// basePlan is a 12-month GBP-style dog plan: 15.00 a month and a 5.00
// joining fee, no bands, no multi-pet discount, no suspension.
func basePlan() plan.Plan {
	return plan.Plan{
		ID:         "dog-m",
		Name:       "Medium dog",
		Species:    "dog",
		TermMonths: 12,
		MonthlyFee: dec("15.00"),
		JoiningFee: dec("5.00"),
	}
}

// fatalHelper is what the helpers need of a *testing.T or a *rapid.T.
type fatalHelper interface {
	Helper()
	Fatalf(format string, args ...any)
}

// termsFor builds the terms of p alone in a catalog priced in cur.
func termsFor(t fatalHelper, cur string, p plan.Plan) *plan.Terms {
	t.Helper()
	cat := plan.Catalog{Currency: plan.MustCurrency(cur), Plans: []plan.Plan{p}}
	terms, err := cat.Terms(p.ID)
	if err != nil {
		t.Fatalf("Catalog.Terms(%q): %v", p.ID, err)
	}
	return terms
}

// subscribe starts a subscription to terms for client C1 and a 18 kg dog.
func subscribe(t fatalHelper, terms *plan.Terms, start plan.Date, pay plan.PaymentOption, multiPet bool) *plan.Subscription {
	t.Helper()
	sub, err := terms.Subscribe(plan.Enrollment{
		ID:       "S1",
		Client:   "C1",
		Patient:  plan.Patient{ID: "P1", Species: "dog", WeightKg: nullDec("18"), BirthDate: date("2024-03-01")},
		Start:    start,
		Payment:  pay,
		MultiPet: multiPet,
	})
	if err != nil {
		t.Fatalf("Subscribe(start %s): %v", start, err)
	}
	return sub
}

// daysIn is the length of month m of year y, worked out with package time
// (day 0 of the next month is the last day of this one), independently of
// package plan.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// monthIndex numbers calendar months consecutively.
func monthIndex(d plan.Date) int {
	y, m, _ := d.Date()
	return y*12 + int(m) - 1
}

// dueDates lists n dates written YYYY-MM-DD as plan.Dates.
func dueDates(ss ...string) []plan.Date {
	out := make([]plan.Date, len(ss))
	for i, s := range ss {
		out[i] = date(s)
	}
	return out
}

// suspended is the suspension periods the account's payments give sub.
func suspended(t testing.TB, sub *plan.Subscription, a *billing.Account) []plan.Period {
	t.Helper()
	periods, err := billing.Suspensions(sub, a.Payments)
	if err != nil {
		t.Fatal(err)
	}
	return periods
}
