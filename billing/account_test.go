package billing_test

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

func taken(d, amount string) billing.Payment {
	return billing.Payment{Date: date(d), Amount: dec(amount), Status: billing.Taken}
}

func failed(d, amount string) billing.Payment {
	return billing.Payment{Date: date(d), Amount: dec(amount), Status: billing.Failed}
}

// suspendingSub is a 12-month subscription of 15.00 a month and no joining
// fee from 2026-01-01, on a plan that suspends after n failures in a row.
func suspendingSub(t *testing.T, n int) *plan.Subscription {
	t.Helper()
	p := basePlan()
	p.JoiningFee = dec("0")
	p.SuspendAfterFailures = n
	return subscribe(t, termsFor(t, "GBP", p), date("2026-01-01"), plan.Monthly, false)
}

func TestRecordRefusesInvalidPayments(t *testing.T) {
	tests := []struct {
		name      string
		payment   billing.Payment
		wantPaths []string
		wantIs    error
	}{
		{"missing date", billing.Payment{Amount: dec("15.00"), Status: billing.Taken}, []string{"date"}, nil},
		{"negative amount", taken("2026-01-05", "-15.00"), []string{"amount"}, nil},
		{"seven decimal places", taken("2026-01-05", "15.0000001"), []string{"amount"}, nil},
		{"amount at the bound", taken("2026-01-05", "1000000000000"), []string{"amount"}, nil},
		{"unknown status", billing.Payment{Date: date("2026-01-05"), Amount: dec("15.00"), Status: billing.Failed + 1}, []string{"status"}, billing.ErrUnknownStatus},
		{"every problem at once", billing.Payment{Amount: dec("-1"), Status: 7}, []string{"date", "amount", "status"}, billing.ErrUnknownStatus},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// One failure suspends; the refused payment, had it been a
			// taken 15.00 on 2026-01-05, would have ended the suspension.
			sub := suspendingSub(t, 1)
			var a billing.Account
			if _, err := a.Record(sub, failed("2026-01-01", "15.00")); err != nil {
				t.Fatal(err)
			}
			wantSusp := suspended(t, sub, &a)
			if len(wantSusp) != 1 {
				t.Fatalf("setup: Suspensions = %v, want one open period", wantSusp)
			}
			before, err := a.Standing(sub, date("2026-01-05"))
			if err != nil {
				t.Fatal(err)
			}

			st, err := a.Record(sub, tt.payment)
			if err == nil {
				t.Fatalf("Record(%+v) = %+v, want an error", tt.payment, st)
			}
			var paths []string
			for _, p := range plan.Problems(err) {
				paths = append(paths, p.Path)
			}
			if diff := cmp.Diff(tt.wantPaths, paths); diff != "" {
				t.Errorf("problem paths (-want +got):\n%s\nerror: %v", diff, err)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q does not wrap %v", err, tt.wantIs)
			}
			if len(a.Payments) != 1 {
				t.Errorf("len(Payments) = %d after a refused payment, want 1", len(a.Payments))
			}
			if diff := cmp.Diff(wantSusp, suspended(t, sub, &a), cmpOpts); diff != "" {
				t.Errorf("Suspensions changed by a refused payment (-want +got):\n%s", diff)
			}
			after, err := a.Standing(sub, date("2026-01-05"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(before, after, cmpOpts); diff != "" {
				t.Errorf("Standing changed by a refused payment (-want +got):\n%s", diff)
			}
		})
	}

	// The same setup with a valid payment does reactivate: the refusals
	// above are what kept it suspended.
	t.Run("control: the valid payment reactivates", func(t *testing.T) {
		sub := suspendingSub(t, 1)
		var a billing.Account
		if _, err := a.Record(sub, failed("2026-01-01", "15.00")); err != nil {
			t.Fatal(err)
		}
		st, err := a.Record(sub, taken("2026-01-05", "15.00"))
		if err != nil {
			t.Fatal(err)
		}
		if st.Status != plan.Active {
			t.Errorf("Status = %v, want active", st.Status)
		}
		want := []plan.Period{{From: date("2026-01-01"), To: date("2026-01-05")}}
		if diff := cmp.Diff(want, suspended(t, sub, &a), cmpOpts); diff != "" {
			t.Errorf("Suspensions (-want +got):\n%s", diff)
		}
	})
}

func TestRecordRefusesInvalidSubscription(t *testing.T) {
	terms := termsFor(t, "GBP", basePlan())
	tests := []struct {
		name string
		sub  *plan.Subscription
	}{
		{"nil", nil},
		{"no terms", &plan.Subscription{ID: "S", Start: date("2026-01-01")}},
		{"no start", &plan.Subscription{ID: "S", Terms: terms}},
		{"termination without a reason", &plan.Subscription{ID: "S", Start: date("2026-01-01"), Terms: terms,
			Termination: &plan.Termination{Date: date("2026-02-01")}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var a billing.Account
			if st, err := a.Record(tt.sub, taken("2026-01-05", "15.00")); err == nil {
				t.Errorf("Record = %+v, want an error", st)
			}
			if len(a.Payments) != 0 {
				t.Errorf("len(Payments) = %d after a refused payment, want 0", len(a.Payments))
			}
		})
	}
}

func TestParsePaymentStatus(t *testing.T) {
	for _, s := range []billing.PaymentStatus{billing.Taken, billing.Failed} {
		got, err := billing.ParsePaymentStatus(s.String())
		if err != nil || got != s {
			t.Errorf("ParsePaymentStatus(%q) = %v, %v; want %v", s.String(), got, err, s)
		}
	}
	for _, s := range []string{"", "Taken", "paid", "bounced"} {
		if _, err := billing.ParsePaymentStatus(s); err == nil {
			t.Errorf("ParsePaymentStatus(%q) succeeded, want an error", s)
		}
	}
}

func TestStanding(t *testing.T) {
	// 12 months from 2026-01-10: 20.00 (with the joining fee), then 15.00
	// on the 10th of each month; 185.00 in all. The third payment is
	// recorded before the fourth but dated after it.
	sub := subscribe(t, termsFor(t, "GBP", basePlan()), date("2026-01-10"), plan.Monthly, false)
	var a billing.Account
	for _, p := range []billing.Payment{
		taken("2026-01-10", "20.00"),
		failed("2026-02-10", "15.00"),
		taken("2026-04-10", "15.00"),
		taken("2026-02-12", "15.00"),
	} {
		if _, err := a.Record(sub, p); err != nil {
			t.Fatalf("Record(%+v): %v", p, err)
		}
	}
	st := func(d, paid, due, arrears, next string, status plan.Status) billing.Standing {
		s := billing.Standing{Currency: plan.MustCurrency("GBP"), Date: date(d), Paid: dec(paid), Due: dec(due), Arrears: dec(arrears), Status: status}
		if next != "" {
			s.NextDue = date(next)
		}
		return s
	}
	tests := []struct {
		name string
		want billing.Standing
	}{
		{"before the start", st("2026-01-09", "0", "0", "0", "2026-01-10", plan.Pending)},
		{"on the start", st("2026-01-10", "20.00", "20.00", "0", "2026-02-10", plan.Active)},
		{"the day before an installment", st("2026-02-09", "20.00", "20.00", "0", "2026-02-10", plan.Active)},
		{"failed payments never count", st("2026-02-10", "20.00", "35.00", "15.00", "2026-03-10", plan.Active)},
		{"a late payment clears the arrears", st("2026-02-12", "35.00", "35.00", "0", "2026-03-10", plan.Active)},
		{"later-dated payments do not count", st("2026-04-09", "35.00", "50.00", "15.00", "2026-04-10", plan.Active)},
		{"on the later payment's date", st("2026-04-10", "50.00", "65.00", "15.00", "2026-05-10", plan.Active)},
		{"last installment", st("2026-12-10", "50.00", "185.00", "135.00", "", plan.Active)},
		{"last day of the term", st("2027-01-09", "50.00", "185.00", "135.00", "", plan.Active)},
		{"after the term", st("2027-01-10", "50.00", "185.00", "135.00", "", plan.Ended)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := a.Standing(sub, tt.want.Date)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got, figures); diff != "" {
				t.Errorf("Standing(%s) (-want +got):\n%s", tt.want.Date, diff)
			}
			if p := a.Paid(tt.want.Date); !p.Equal(tt.want.Paid) {
				t.Errorf("Paid(%s) = %s, want %s", tt.want.Date, p, tt.want.Paid)
			}
		})
	}

	t.Run("overpaid is never negative arrears", func(t *testing.T) {
		var a billing.Account
		got, err := a.Record(sub, taken("2026-01-10", "200.00"))
		if err != nil {
			t.Fatal(err)
		}
		want := st("2026-01-10", "200.00", "20.00", "0", "2026-02-10", plan.Active)
		if diff := cmp.Diff(want, got, figures); diff != "" {
			t.Errorf("Record (-want +got):\n%s", diff)
		}
	})

	t.Run("Record returns the standing on the payment's date", func(t *testing.T) {
		var a billing.Account
		got, err := a.Record(sub, taken("2026-03-10", "30.00"))
		if err != nil {
			t.Fatal(err)
		}
		want := st("2026-03-10", "30.00", "50.00", "20.00", "2026-04-10", plan.Active)
		if diff := cmp.Diff(want, got, figures); diff != "" {
			t.Errorf("Record (-want +got):\n%s", diff)
		}
	})

	t.Run("zero date is refused", func(t *testing.T) {
		if got, err := a.Standing(sub, plan.Date{}); err == nil {
			t.Errorf("Standing(zero date) = %+v, want an error", got)
		}
	})

	t.Run("advance", func(t *testing.T) {
		sub := subscribe(t, termsFor(t, "GBP", basePlan()), date("2026-01-10"), plan.Advance, false)
		var a billing.Account
		got, err := a.Record(sub, taken("2026-01-10", "100.00"))
		if err != nil {
			t.Fatal(err)
		}
		want := st("2026-01-10", "100.00", "185.00", "85.00", "", plan.Active)
		if diff := cmp.Diff(want, got, figures); diff != "" {
			t.Errorf("Record (-want +got):\n%s", diff)
		}
	})
}

func TestStandingAfterTermination(t *testing.T) {
	st := func(d, paid, due, arrears, next string, status plan.Status) billing.Standing {
		s := billing.Standing{Currency: plan.MustCurrency("GBP"), Date: date(d), Paid: dec(paid), Due: dec(due), Arrears: dec(arrears), Status: status}
		if next != "" {
			s.NextDue = date(next)
		}
		return s
	}
	tests := []struct {
		name string
		term plan.Termination
		want []billing.Standing
	}{
		{
			name: "cancelled between installments",
			term: plan.Termination{Date: date("2026-03-15"), Reason: "cancelled"},
			want: []billing.Standing{
				st("2026-03-15", "20.00", "50.00", "30.00", "", plan.Cancelled),
				st("2026-04-10", "20.00", "50.00", "30.00", "", plan.Cancelled),
				st("2026-06-01", "20.00", "50.00", "30.00", "", plan.Cancelled),
				st("2027-06-01", "20.00", "50.00", "30.00", "", plan.Cancelled),
			},
		},
		{
			name: "cancelled on an installment's date keeps that installment",
			term: plan.Termination{Date: date("2026-03-10"), Reason: "cancelled"},
			want: []billing.Standing{
				st("2026-03-10", "20.00", "50.00", "30.00", "", plan.Cancelled),
				st("2026-06-01", "20.00", "50.00", "30.00", "", plan.Cancelled),
			},
		},
		{
			name: "cancelled the day before an installment",
			term: plan.Termination{Date: date("2026-03-09"), Reason: "deceased"},
			want: []billing.Standing{
				st("2026-03-09", "20.00", "35.00", "15.00", "", plan.Cancelled),
				st("2026-03-10", "20.00", "35.00", "15.00", "", plan.Cancelled),
			},
		},
		{
			name: "expired at the end of the term",
			term: plan.Termination{Date: date("2027-01-09"), Reason: plan.ReasonExpired},
			want: []billing.Standing{
				st("2027-01-09", "20.00", "185.00", "165.00", "", plan.Ended),
				st("2027-03-01", "20.00", "185.00", "165.00", "", plan.Ended),
			},
		},
		{
			// Once terminated the status is cancelled whatever the date
			// asked about; paid, due and arrears still go by the date.
			name: "dates before the termination",
			term: plan.Termination{Date: date("2026-03-15"), Reason: "cancelled"},
			want: []billing.Standing{
				st("2026-01-09", "0", "0", "0", "2026-01-10", plan.Cancelled),
				st("2026-02-10", "20.00", "35.00", "15.00", "2026-03-10", plan.Cancelled),
				st("2026-03-14", "20.00", "50.00", "30.00", "", plan.Cancelled),
			},
		},
		{
			name: "expired: ended whatever the date",
			term: plan.Termination{Date: date("2027-01-09"), Reason: plan.ReasonExpired},
			want: []billing.Standing{
				st("2027-01-08", "20.00", "185.00", "165.00", "", plan.Ended),
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := subscribe(t, termsFor(t, "GBP", basePlan()), date("2026-01-10"), plan.Monthly, false)
			var a billing.Account
			if _, err := a.Record(sub, taken("2026-01-10", "20.00")); err != nil {
				t.Fatal(err)
			}
			term := tt.term
			sub.Termination = &term
			for _, want := range tt.want {
				got, err := a.Standing(sub, want.Date)
				if err != nil {
					t.Fatal(err)
				}
				if diff := cmp.Diff(want, got, figures); diff != "" {
					t.Errorf("Standing(%s) (-want +got):\n%s", want.Date, diff)
				}
			}
			// The schedule is the contract as signed.
			s, err := billing.ScheduleFor(sub)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Installments) != 12 || !s.Total.Equal(dec("185.00")) {
				t.Errorf("ScheduleFor after termination: %d installments, total %s; want 12, 185.00", len(s.Installments), s.Total)
			}
		})
	}

	t.Run("payments are still recorded after termination", func(t *testing.T) {
		sub := subscribe(t, termsFor(t, "GBP", basePlan()), date("2026-01-10"), plan.Monthly, false)
		sub.Termination = &plan.Termination{Date: date("2026-03-15"), Reason: "cancelled"}
		var a billing.Account
		got, err := a.Record(sub, taken("2026-05-01", "50.00"))
		if err != nil {
			t.Fatal(err)
		}
		want := st("2026-05-01", "50.00", "50.00", "0", "", plan.Cancelled)
		if diff := cmp.Diff(want, got, figures); diff != "" {
			t.Errorf("Record (-want +got):\n%s", diff)
		}
	})
}

func TestSuspension(t *testing.T) {
	type step struct {
		payment    billing.Payment
		wantStatus plan.Status
	}
	open := func(from string) plan.Period { return plan.Period{From: date(from)} }
	closed := func(from, to string) plan.Period { return plan.Period{From: date(from), To: date(to)} }
	// Installments of 15.00 fall due on the 1st of each month from
	// 2026-01-01: 30.00 by 2026-02-01, 45.00 by 2026-03-01.
	tests := []struct {
		name  string
		n     int
		steps []step
		want  []plan.Period
		// statusOn lists further dates and the status on them at the end.
		statusOn map[string]plan.Status
	}{
		{
			name: "n failures in a row suspend from the n-th",
			n:    2,
			steps: []step{
				{failed("2026-01-01", "15.00"), plan.Active},
				{failed("2026-02-01", "15.00"), plan.Suspended},
			},
			want:     []plan.Period{open("2026-02-01")},
			statusOn: map[string]plan.Status{"2026-01-31": plan.Active, "2026-02-01": plan.Suspended, "2026-12-31": plan.Suspended, "2027-01-01": plan.Ended},
		},
		{
			name: "n-1 failures then a taken payment do not",
			n:    2,
			steps: []step{
				{failed("2026-01-01", "15.00"), plan.Active},
				{taken("2026-01-02", "1.00"), plan.Active},
				{failed("2026-02-01", "15.00"), plan.Active},
				{taken("2026-02-02", "1.00"), plan.Active},
				{failed("2026-03-01", "15.00"), plan.Active},
			},
		},
		{
			name: "one failure suspends when n is 1",
			n:    1,
			steps: []step{
				{taken("2026-01-01", "15.00"), plan.Active},
				{failed("2026-02-01", "15.00"), plan.Suspended},
			},
			want: []plan.Period{open("2026-02-01")},
		},
		{
			name: "n is 0: never suspended",
			n:    0,
			steps: []step{
				{failed("2026-01-01", "15.00"), plan.Active},
				{failed("2026-02-01", "15.00"), plan.Active},
				{failed("2026-03-01", "15.00"), plan.Active},
				{failed("2026-04-01", "15.00"), plan.Active},
				{failed("2026-05-01", "15.00"), plan.Active},
			},
		},
		{
			name: "three in a row, counted afresh after a taken payment",
			n:    3,
			steps: []step{
				{failed("2026-01-01", "15.00"), plan.Active},
				{failed("2026-01-02", "15.00"), plan.Active},
				{taken("2026-01-03", "5.00"), plan.Active},
				{failed("2026-02-01", "15.00"), plan.Active},
				{failed("2026-02-02", "15.00"), plan.Active},
				{failed("2026-02-03", "15.00"), plan.Suspended},
			},
			want: []plan.Period{open("2026-02-03")},
		},
		{
			name: "further failures do not move the start",
			n:    2,
			steps: []step{
				{failed("2026-01-01", "15.00"), plan.Active},
				{failed("2026-02-01", "15.00"), plan.Suspended},
				{failed("2026-03-01", "15.00"), plan.Suspended},
			},
			want: []plan.Period{open("2026-02-01")},
		},
		{
			name: "a taken payment that leaves arrears keeps it suspended",
			n:    2,
			steps: []step{
				{failed("2026-01-01", "15.00"), plan.Active},
				{failed("2026-02-01", "15.00"), plan.Suspended},
				{taken("2026-02-03", "15.00"), plan.Suspended},
				{failed("2026-02-10", "15.00"), plan.Suspended},
				{taken("2026-02-12", "14.99"), plan.Suspended},
			},
			want: []plan.Period{open("2026-02-01")},
		},
		{
			name: "clearing the arrears reactivates from the payment's date",
			n:    2,
			steps: []step{
				{failed("2026-01-01", "15.00"), plan.Active},
				{failed("2026-02-01", "15.00"), plan.Suspended},
				{taken("2026-02-05", "30.00"), plan.Active},
			},
			want:     []plan.Period{closed("2026-02-01", "2026-02-05")},
			statusOn: map[string]plan.Status{"2026-01-31": plan.Active, "2026-02-04": plan.Suspended, "2026-02-05": plan.Active, "2026-03-01": plan.Active},
		},
		{
			name: "clearing after a partial payment",
			n:    2,
			steps: []step{
				{failed("2026-01-01", "15.00"), plan.Active},
				{failed("2026-02-01", "15.00"), plan.Suspended},
				{taken("2026-02-03", "15.00"), plan.Suspended},
				{taken("2026-02-12", "15.00"), plan.Active},
			},
			want: []plan.Period{closed("2026-02-01", "2026-02-12")},
		},
		{
			name: "suspended again after reactivation",
			n:    2,
			steps: []step{
				{failed("2026-01-01", "15.00"), plan.Active},
				{failed("2026-02-01", "15.00"), plan.Suspended},
				{taken("2026-02-05", "30.00"), plan.Active},
				{failed("2026-03-01", "15.00"), plan.Active},
				{failed("2026-04-01", "15.00"), plan.Suspended},
			},
			want: []plan.Period{closed("2026-02-01", "2026-02-05"), open("2026-04-01")},
		},
		{
			// As of 2026-02-05, 30.00 are due and only 15.00 are paid:
			// the payment dated 2026-03-20 does not count yet.
			name: "a later-dated payment does not clear earlier arrears",
			n:    2,
			steps: []step{
				{failed("2026-01-01", "15.00"), plan.Active},
				{failed("2026-02-01", "15.00"), plan.Suspended},
				{taken("2026-03-20", "30.00"), plan.Suspended},
				{taken("2026-02-05", "15.00"), plan.Suspended},
				{taken("2026-02-06", "15.00"), plan.Active},
			},
			want: []plan.Period{closed("2026-02-01", "2026-02-06")},
		},
		{
			// The failure and the payment that clears it fall on one
			// date: no date is left suspended, so there is no period.
			name: "cleared on the day of the failure: no period",
			n:    1,
			steps: []step{
				{failed("2026-03-01", "15.00"), plan.Suspended},
				{taken("2026-03-01", "45.00"), plan.Active},
			},
			statusOn: map[string]plan.Status{"2026-03-01": plan.Active, "2026-03-02": plan.Active},
		},
		{
			name: "a cent short keeps it suspended",
			n:    1,
			steps: []step{
				{failed("2026-03-01", "15.00"), plan.Suspended},
				{taken("2026-03-02", "44.99"), plan.Suspended},
				{taken("2026-03-03", "0.01"), plan.Active},
			},
			want: []plan.Period{closed("2026-03-01", "2026-03-03")},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := suspendingSub(t, tt.n)
			var a billing.Account
			for i, s := range tt.steps {
				got, err := a.Record(sub, s.payment)
				if err != nil {
					t.Fatalf("step %d: Record: %v", i, err)
				}
				if got.Status != s.wantStatus {
					t.Errorf("step %d: %s %s on %s: status %v, want %v", i, s.payment.Status, s.payment.Amount, s.payment.Date, got.Status, s.wantStatus)
				}
			}
			if sub.Suspensions != nil {
				t.Errorf("Record wrote sub.Suspensions %v; it derives them and changes nothing it is handed", sub.Suspensions)
			}
			again, err := billing.Suspensions(sub, a.Payments)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, again, cmpOpts); diff != "" {
				t.Errorf("Suspensions() (-want +got):\n%s", diff)
			}
			for d, want := range tt.statusOn {
				got, err := a.Standing(sub, date(d))
				if err != nil {
					t.Fatal(err)
				}
				if got.Status != want {
					t.Errorf("Standing(%s).Status = %v, want %v", d, got.Status, want)
				}
			}
		})
	}
}

func TestAccountJSONRoundTrip(t *testing.T) {
	tests := []struct {
		cur      string
		payments []billing.Payment
		want     string
	}{
		{"GBP", nil, `[]`},
		{"GBP", []billing.Payment{taken("2026-01-01", "15"), failed("2026-02-01", "0.5"), taken("2026-02-03", "999999999999.99")},
			`[{"date":"2026-01-01","amount":"15.00","status":"taken"},{"date":"2026-02-01","amount":"0.50","status":"failed"},{"date":"2026-02-03","amount":"999999999999.99","status":"taken"}]`},
		{"JPY", []billing.Payment{taken("2026-01-01", "1500"), taken("2026-02-01", "0")},
			`[{"date":"2026-01-01","amount":"1500","status":"taken"},{"date":"2026-02-01","amount":"0","status":"taken"}]`},
		{"KWD", []billing.Payment{taken("2026-01-01", "1.25")},
			`[{"date":"2026-01-01","amount":"1.250","status":"taken"}]`},
	}
	for _, tt := range tests {
		t.Run(tt.cur, func(t *testing.T) {
			p := basePlan()
			p.JoiningFee = dec("0")
			terms := termsFor(t, tt.cur, p)
			sub := subscribe(t, terms, date("2026-01-01"), plan.Monthly, false)
			a := billing.Account{Payments: tt.payments}
			got := string(a.AppendJSON(nil, terms.Currency()))
			if got != tt.want {
				t.Fatalf("AppendJSON = %s\nwant %s", got, tt.want)
			}
			back, err := billing.DecodeAccount(sub, []byte(got))
			if err != nil {
				t.Fatal(err)
			}
			if again := string(back.AppendJSON(nil, terms.Currency())); again != got {
				t.Errorf("written again = %s\nwant %s", again, got)
			}
			if diff := cmp.Diff(a.Payments, back.Payments, cmpOpts); diff != "" {
				t.Errorf("payments read back (-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeAccountRefuses(t *testing.T) {
	sub := suspendingSub(t, 1) // GBP
	tests := []struct {
		name, in  string
		wantPaths []string
	}{
		{"at the amount bound", `[{"date":"2026-01-01","amount":"1000000000000.00","status":"taken"}]`, []string{"[0].amount"}},
		{"negative", `[{"date":"2026-01-01","amount":"-0.01","status":"taken"}]`, []string{"[0].amount"}},
		{"a fraction of a penny", `[{"date":"2026-01-01","amount":"0.001","status":"taken"}]`, []string{"[0].amount"}},
		{"not a number", `[{"date":"2026-01-01","amount":"ten","status":"taken"}]`, []string{"[0].amount"}},
		{"a number with a fraction of a penny", `[{"date":"2026-01-01","amount":15.001,"status":"taken"}]`, []string{"[0].amount"}},
		{"neither string nor number", `[{"date":"2026-01-01","amount":true,"status":"taken"}]`, []string{"[0].amount"}},
		{"bad date and status", `[{"date":"2026-02-30","amount":"1.00","status":"ok"}]`, []string{"[0].date", "[0].status"}},
		{"missing and unknown fields", `[{"date":"2026-01-01","amount":"1.00","state":"taken"}]`, []string{"[0].state", "[0]"}},
		{"second payment", `[{"date":"2026-01-01","amount":"1.00","status":"taken"},{"date":"2026-01-01","amount":"1.00","status":"taken","date":"2026-01-02"}]`, []string{"[1].date"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, err := billing.DecodeAccount(sub, []byte(tt.in))
			if err == nil {
				t.Fatalf("DecodeAccount(%s) = %+v, want an error", tt.in, a)
			}
			var paths []string
			for _, p := range plan.Problems(err) {
				paths = append(paths, p.Path)
			}
			if diff := cmp.Diff(tt.wantPaths, paths); diff != "" {
				t.Errorf("problem paths (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
	// Fewer places than the currency's are the same amount, and a JSON
	// number is read exactly as written, as a decimal.
	for _, in := range []string{`"15.5"`, `15.5`, `15.50`} {
		a, err := billing.DecodeAccount(sub, []byte(`[{"date":"2026-01-01","amount":`+in+`,"status":"taken"}]`))
		if err != nil || len(a.Payments) != 1 || !a.Payments[0].Amount.Equal(dec("15.50")) {
			t.Errorf("DecodeAccount(%s) = %+v, %v; want one payment of 15.50", in, a, err)
		}
	}
}
