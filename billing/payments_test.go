package billing_test

import (
	"testing"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// A payment is money that changed hands: in the currency's minor units.
func TestPaymentInMinorUnits(t *testing.T) {
	cases := []struct {
		cur, amount string
		ok          bool
	}{
		{"GBP", "14.99", true},
		{"GBP", "14.999", false},
		{"JPY", "1500", true},
		{"JPY", "1500.5", false},
		{"KWD", "1.125", true},
		{"KWD", "1.1255", false},
	}
	for _, c := range cases {
		t.Run(c.cur+" "+c.amount, func(t *testing.T) {
			sub := subscribe(t, termsFor(t, c.cur, basePlan()), date("2026-01-01"), plan.Monthly, false)
			var a billing.Account
			_, err := a.Record(sub, billing.Payment{Date: date("2026-01-01"), Amount: dec(c.amount)})
			if c.ok != (err == nil) {
				t.Fatalf("Record(%s %s): %v", c.amount, c.cur, err)
			}
			if err != nil {
				if ps := plan.Problems(err); len(ps) != 1 || ps[0].Path != "amount" {
					t.Errorf("problems %v; want one at amount", err)
				}
				if len(a.Payments) != 0 {
					t.Errorf("a refused payment was recorded")
				}
			}
		})
	}
}

// A payment recorded late but dated before a suspension began is judged as
// of the suspension's first day: it cannot erase a suspension it does not
// clear.
func TestBackDatedPaymentKeepsASuspension(t *testing.T) {
	p := basePlan()
	p.JoiningFee = dec("0")
	p.SuspendAfterFailures = 1
	sub := subscribe(t, termsFor(t, "GBP", p), date("2026-01-01"), plan.Monthly, false)
	var a billing.Account
	for _, pay := range []billing.Payment{
		{Date: date("2026-03-01"), Amount: dec("15.00"), Status: billing.Failed},
		{Date: date("2026-01-01"), Amount: dec("15.00"), Status: billing.Taken},
	} {
		if _, err := a.Record(sub, pay); err != nil {
			t.Fatal(err)
		}
	}
	st, err := a.Standing(sub, date("2026-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != plan.Suspended || st.Arrears.StringFixed(2) != "30.00" {
		t.Errorf("on 2026-03-01: %s with arrears %s; want suspended with 30.00", st.Status, st.Arrears)
	}
	// A back-dated payment that does clear the arrears as of the
	// suspension's first day leaves no suspended day at all.
	if _, err := a.Record(sub, billing.Payment{Date: date("2026-02-01"), Amount: dec("30.00")}); err != nil {
		t.Fatal(err)
	}
	if len(sub.Suspensions) != 0 {
		t.Errorf("suspensions %v; want none", sub.Suspensions)
	}
}
