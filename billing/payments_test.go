package billing_test

import (
	"testing"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// A payment is recorded rounded to the currency's minor units with the
// plan's rounding, so that paid, due and arrears add up to what is printed.
func TestPaymentRoundedToMinorUnits(t *testing.T) {
	cases := []struct {
		cur, amount string
		halfEven    bool
		want        string
	}{
		{"GBP", "14.99", false, "14.99"},
		{"GBP", "14.995", false, "15.00"},
		{"GBP", "14.985", true, "14.98"},
		{"GBP", "14.995", true, "15.00"},
		{"JPY", "31.60", false, "32"},
		{"JPY", "42.5", true, "42"},
		{"KWD", "1.1255", false, "1.126"},
	}
	for _, c := range cases {
		t.Run(c.cur+" "+c.amount, func(t *testing.T) {
			p := basePlan()
			if c.halfEven {
				p.Rounding = plan.HalfEven
			}
			sub := subscribe(t, termsFor(t, c.cur, p), date("2026-01-01"), plan.Monthly, false)
			var a billing.Account
			st, err := a.Record(sub, billing.Payment{Date: date("2026-01-01"), Amount: dec(c.amount)})
			if err != nil {
				t.Fatal(err)
			}
			if got := a.Payments[0].Amount; !got.Equal(dec(c.want)) || !st.Paid.Equal(dec(c.want)) {
				t.Errorf("recorded %s, paid %s; want %s", got, st.Paid, c.want)
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
	if got := suspended(t, sub, &a); len(got) != 0 {
		t.Errorf("suspensions %v; want none", got)
	}
}
