package billing_test

import (
	"encoding/json"
	"testing"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// The result types write their own JSON: every field, amounts with exactly
// the currency's minor units, dates as YYYY-MM-DD and "" when absent,
// empty lists as [].
func TestResultsJSON(t *testing.T) {
	gbp, jpy := plan.MustCurrency("GBP"), plan.MustCurrency("JPY")
	full := billing.Standing{Currency: gbp, Date: date("2026-03-20"), Paid: dec("15"), Due: dec("45.5"), Arrears: dec("30.5"),
		NextDue: date("2026-04-01"), Status: plan.Suspended, DaysPastDue: 48, OverdueSince: date("2026-02-01"), PastDue: true,
		RetryDates: dueDates("2026-02-04", "2026-02-08"), CancelDue: true}
	tests := []struct {
		name string
		v    any
		want string
	}{
		{"a standing with every field", full,
			`{"paid":"15.00","due":"45.50","arrears":"30.50","status":"suspended","nextDue":"2026-04-01","daysPastDue":48,` +
				`"overdueSince":"2026-02-01","pastDue":true,"retryDates":["2026-02-04","2026-02-08"],"cancelDue":true}`},
		{"a standing with nothing overdue", billing.Standing{Currency: jpy, Paid: dec("1500"), Due: dec("1500"), Arrears: dec("0"), Status: plan.Active},
			`{"paid":"1500","due":"1500","arrears":"0","status":"active","nextDue":"","daysPastDue":0,` +
				`"overdueSince":"","pastDue":false,"retryDates":[],"cancelDue":false}`},
		{"a receipt", billing.Receipt{Standing: full}, `{"paid":"15.00","arrears":"30.50","status":"suspended","daysPastDue":48}`},
		{"a schedule", billing.Schedule{Currency: gbp, Total: dec("30"),
			Installments: []billing.Installment{{Due: date("2026-01-31"), Amount: dec("15")}, {Due: date("2026-02-28"), Amount: dec("15.001")}}},
			`{"installments":[{"due":"2026-01-31","amount":"15.00"},{"due":"2026-02-28","amount":"15.00"}],"total":"30.00"}`},
		{"an empty schedule", billing.Schedule{Currency: jpy, Total: dec("0")}, `{"installments":[],"total":"0"}`},
		{"fits", billing.Fits{{Plan: "dog-m", Eligible: true}, {Plan: `cat "s"`, Reasons: []string{"species: dog, not cat", "weight: 31 kg"}}},
			`{"plans":[{"plan":"dog-m","eligible":true,"reasons":[]},{"plan":"cat \"s\"","eligible":false,"reasons":["species: dog, not cat","weight: 31 kg"]}]}`},
		{"no fits", billing.Fits{}, `{"plans":[]}`},
	}
	for _, tt := range tests {
		got, err := json.Marshal(tt.v)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if string(got) != tt.want {
			t.Errorf("%s:\n got %s\nwant %s", tt.name, got, tt.want)
		}
	}
}

// A stored payment's amount may be written in any form of the same value
// in whole minor units: more zeros, an exponent, a JSON number.
func TestDecodeAccountAccepts(t *testing.T) {
	sub := suspendingSub(t, 1) // GBP
	for _, amount := range []string{`"15.000"`, `"1.5e1"`, `15`, `15.00`, `"15"`} {
		in := `[{"date":"2026-01-01","amount":` + amount + `,"status":"taken"}]`
		a, err := billing.DecodeAccount(sub, []byte(in))
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		if len(a.Payments) != 1 || !a.Payments[0].Amount.Equal(dec("15")) || a.Payments[0].Status != billing.Taken || a.Payments[0].Date != date("2026-01-01") {
			t.Errorf("%s: read as %+v", in, a.Payments)
		}
	}
}
