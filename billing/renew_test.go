package billing_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// renewalCatalog sells a puppy plan that renews onto the medium-dog plan,
// which renews onto itself, and two cat plans. The plans renewed onto have
// no joining fee: whether a renewal charges it again is left open by
// SPEC.md (see the report), so these tests do not pin it.
func renewalCatalog() *plan.Catalog {
	return &plan.Catalog{
		Currency: plan.MustCurrency("GBP"),
		Plans: []plan.Plan{
			{
				ID: "puppy", Name: "Puppy", Species: "dog",
				AgeMonths:  plan.Band{Max: nullDec("12")},
				TermMonths: 12, MonthlyFee: dec("10.00"), JoiningFee: dec("5.00"),
				MultiPetDiscount:     plan.AmountOff(dec("2.00")),
				SuspendAfterFailures: 1,
				Renewal:              plan.Renewal{Auto: true, NextPlan: "dog-m"},
			},
			{
				ID: "dog-m", Name: "Medium dog", Species: "dog",
				WeightKg:   plan.Band{Min: nullDec("10"), Max: nullDec("25")},
				TermMonths: 12, MonthlyFee: dec("15.00"),
				MultiPetDiscount: plan.PercentOff(dec("10")),
			},
			{
				ID: "cat", Name: "Cat", Species: "cat",
				TermMonths: 6, MonthlyFee: dec("9.00"),
			},
			{
				ID: "kitten", Name: "Kitten", Species: "cat",
				AgeMonths:  plan.Band{Max: nullDec("12")},
				TermMonths: 12, MonthlyFee: dec("8.00"),
			},
		},
	}
}

var (
	puppyPatient  = plan.Patient{ID: "P1", Species: "dog", WeightKg: nullDec("18"), BirthDate: date("2025-11-01")}
	kittenPatient = plan.Patient{ID: "P5", Species: "cat", BirthDate: date("2026-01-10")}
)

// sold subscribes patient to the catalog's plan id from start.
func sold(t *testing.T, cat *plan.Catalog, id string, patient plan.Patient, start string, pay plan.PaymentOption, multiPet bool) *plan.Subscription {
	t.Helper()
	terms, err := cat.Terms(id)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := terms.Subscribe(plan.Enrollment{ID: "S1", Client: "C1", Patient: patient, Start: date(start), Payment: pay, MultiPet: multiPet})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

func nextTerms(t *testing.T, cat *plan.Catalog, sub *plan.Subscription) *plan.Terms {
	t.Helper()
	next, err := cat.Terms(billing.NextPlan(sub))
	if err != nil {
		t.Fatalf("Terms(%q): %v", billing.NextPlan(sub), err)
	}
	return next
}

func TestNextPlan(t *testing.T) {
	cat := renewalCatalog()
	tests := []struct{ plan, want string }{
		{"puppy", "dog-m"},
		{"dog-m", "dog-m"},
		{"cat", "cat"},
		{"kitten", "kitten"},
	}
	for _, tt := range tests {
		t.Run(tt.plan, func(t *testing.T) {
			pt := puppyPatient
			if tt.plan == "cat" || tt.plan == "kitten" {
				pt.Species = "cat"
			}
			sub := sold(t, cat, tt.plan, pt, "2026-01-10", plan.Monthly, false)
			if got := billing.NextPlan(sub); got != tt.want {
				t.Errorf("NextPlan = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestRenew(t *testing.T) {
	type want struct {
		plan         string
		start, end   string
		patient      plan.Patient
		installments []string // amounts
		warnings     []string // substrings, one per warning
	}
	tests := []struct {
		name     string
		plan     string
		start    string
		pay      plan.PaymentOption
		multiPet bool
		patient  plan.Patient // given to Renew
		want     want
	}{
		{
			name: "onto the next plan, keeping the patient, option and multi-pet",
			plan: "puppy", start: "2026-01-31", pay: plan.Auto, multiPet: true,
			want: want{
				plan: "dog-m", start: "2027-01-31", end: "2028-01-30", patient: puppyPatient,
				installments: []string{"13.50", "13.50", "13.50", "13.50", "13.50", "13.50", "13.50", "13.50", "13.50", "13.50", "13.50", "13.50"},
			},
		},
		{
			name: "without multi-pet",
			plan: "puppy", start: "2026-03-15", pay: plan.External,
			want: want{
				plan: "dog-m", start: "2027-03-15", end: "2028-03-14", patient: puppyPatient,
				installments: []string{"15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00"},
			},
		},
		{
			name: "advance stays advance",
			plan: "puppy", start: "2026-02-28", pay: plan.Advance, multiPet: true,
			want: want{
				plan: "dog-m", start: "2027-02-28", end: "2028-02-27", patient: puppyPatient,
				installments: []string{"180.00"},
			},
		},
		{
			name: "onto the same plan",
			plan: "cat", start: "2026-08-31", pay: plan.Manual,
			patient: plan.Patient{ID: "P9", Species: "cat"},
			want: want{
				plan: "cat", start: "2027-02-28", end: "2027-08-27", patient: plan.Patient{ID: "P9", Species: "cat"},
				installments: []string{"9.00", "9.00", "9.00", "9.00", "9.00", "9.00"},
			},
		},
		{
			// 3 months old at the first start, 15 at the renewal's:
			// the warning is judged on the renewal's start date.
			name: "kitten grown out of its age band by the renewal",
			plan: "kitten", start: "2026-04-15", pay: plan.Monthly,
			want: want{
				plan: "kitten", start: "2027-04-15", end: "2028-04-14", patient: kittenPatient,
				installments: []string{"8.00", "8.00", "8.00", "8.00", "8.00", "8.00", "8.00", "8.00", "8.00", "8.00", "8.00", "8.00"},
				warnings:     []string{"ageMonths: 15 on 2027-04-15 is not below the plan's maximum 12"},
			},
		},
		{
			name: "patient now above the weight band",
			plan: "puppy", start: "2026-01-10",
			patient: plan.Patient{ID: "P1", Species: "dog", WeightKg: nullDec("27")},
			want: want{
				plan: "dog-m", start: "2027-01-10", end: "2028-01-09",
				patient:      plan.Patient{ID: "P1", Species: "dog", WeightKg: nullDec("27")},
				installments: []string{"15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00"},
				warnings:     []string{"weightKg: 27 is not below the plan's maximum 25"},
			},
		},
		{
			name: "patient of another species and no weight",
			plan: "puppy", start: "2026-01-10",
			patient: plan.Patient{ID: "P1", Species: "cat"},
			want: want{
				plan: "dog-m", start: "2027-01-10", end: "2028-01-09",
				patient:      plan.Patient{ID: "P1", Species: "cat"},
				installments: []string{"15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00", "15.00"},
				warnings:     []string{`species: "cat" is not "dog"`, "weightKg: not given"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat := renewalCatalog()
			pt := puppyPatient
			switch tt.plan {
			case "cat":
				pt = plan.Patient{ID: "P9", Species: "cat"}
			case "kitten":
				pt = kittenPatient
			}
			sub := sold(t, cat, tt.plan, pt, tt.start, tt.pay, tt.multiPet)
			got, warnings, err := billing.Renew(sub, nextTerms(t, cat, sub), "S1-2", tt.patient)
			if err != nil {
				t.Fatalf("Renew: %v", err)
			}
			wantSub := &plan.Subscription{
				ID: "S1-2", Client: "C1", Patient: tt.want.patient, Start: date(tt.want.start),
				Payment: tt.pay, MultiPet: tt.multiPet,
			}
			if diff := cmp.Diff(wantSub, got, cmpOpts, cmp.FilterPath(func(p cmp.Path) bool {
				return p.Last().String() == ".Terms"
			}, cmp.Ignore())); diff != "" {
				t.Errorf("renewed subscription (-want +got):\n%s", diff)
			}
			if id := got.Terms.PlanID(); id != tt.want.plan {
				t.Errorf("plan = %q, want %q", id, tt.want.plan)
			}
			if end := got.End(); end != date(tt.want.end) {
				t.Errorf("End = %s, want %s", end, tt.want.end)
			}
			if got.Start != sub.End().AddDays(1) {
				t.Errorf("Start = %s, want the day after the old term's end %s", got.Start, sub.End())
			}
			s, err := billing.ScheduleFor(got)
			if err != nil {
				t.Fatal(err)
			}
			var amounts []string
			for _, in := range s.Installments {
				amounts = append(amounts, in.Amount.StringFixed(2))
			}
			if diff := cmp.Diff(tt.want.installments, amounts); diff != "" {
				t.Errorf("renewed installments (-want +got):\n%s", diff)
			}
			if s.Installments[0].Due != got.Start {
				t.Errorf("first installment due %s, want the renewal's start %s", s.Installments[0].Due, got.Start)
			}
			if len(warnings) != len(tt.want.warnings) {
				t.Fatalf("warnings = %q, want %d like %q", warnings, len(tt.want.warnings), tt.want.warnings)
			}
			for i, w := range tt.want.warnings {
				if !strings.Contains(warnings[i], w) {
					t.Errorf("warning %d = %q, want it to contain %q", i, warnings[i], w)
				}
			}
		})
	}
}

func TestRenewAtCurrentPrices(t *testing.T) {
	cat := renewalCatalog()
	sub := sold(t, cat, "puppy", puppyPatient, "2026-01-10", plan.Monthly, false)
	before, err := billing.ScheduleFor(sub)
	if err != nil {
		t.Fatal(err)
	}
	next, _ := cat.Plan("dog-m")
	next.MonthlyFee = dec("16.00")
	cur, _ := cat.Plan("puppy")
	cur.MonthlyFee = dec("99.00")

	got, _, err := billing.Renew(sub, nextTerms(t, cat, sub), "S1-2", plan.Patient{})
	if err != nil {
		t.Fatal(err)
	}
	s, err := billing.ScheduleFor(got)
	if err != nil {
		t.Fatal(err)
	}
	if want := dec("192.00"); !s.Total.Equal(want) {
		t.Errorf("renewal's contract total = %s, want %s (12 × 16.00)", s.Total, want)
	}
	after, err := billing.ScheduleFor(sub)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(before, after, cmpOpts); diff != "" {
		t.Errorf("the renewed subscription's schedule changed with the catalog (-want +got):\n%s", diff)
	}
}

func TestRenewCarriesNothingOver(t *testing.T) {
	cat := renewalCatalog()
	sub := sold(t, cat, "puppy", puppyPatient, "2026-01-10", plan.Monthly, false)
	var a billing.Account
	if _, err := a.Record(sub, failed("2026-02-10", "10.00")); err != nil {
		t.Fatal(err)
	}
	if sub.Suspensions = suspended(t, sub, &a); len(sub.Suspensions) == 0 {
		t.Fatal("setup: the failed payment did not suspend")
	}
	sub.Termination = &plan.Termination{Date: sub.End(), Reason: plan.ReasonExpired}
	got, _, err := billing.Renew(sub, nextTerms(t, cat, sub), "S1-2", plan.Patient{})
	if err != nil {
		t.Fatalf("Renew of an expired subscription: %v", err)
	}
	if len(got.Suspensions) != 0 || got.Termination != nil {
		t.Errorf("renewal carries Suspensions %v, Termination %v; want none", got.Suspensions, got.Termination)
	}
	var fresh billing.Account
	st, err := fresh.Standing(got, got.Start)
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != plan.Active || !st.Paid.IsZero() {
		t.Errorf("renewal on its start: status %v, paid %s; want active, 0", st.Status, st.Paid)
	}

	t.Run("and renews again", func(t *testing.T) {
		third, _, err := billing.Renew(got, nextTerms(t, cat, got), "S1-3", plan.Patient{})
		if err != nil {
			t.Fatal(err)
		}
		if want := date("2028-01-10"); third.Start != want {
			t.Errorf("third term starts %s, want %s", third.Start, want)
		}
	})
}

func TestRenewRefuses(t *testing.T) {
	cat := renewalCatalog()
	tests := []struct {
		name    string
		reason  string // termination reason; "" for none
		id      string
		next    func(t *testing.T, sub *plan.Subscription) *plan.Terms
		wantIs  error
		wantErr bool
	}{
		{name: "terminated early: cancelled", reason: "cancelled", id: "S1-2", wantIs: billing.ErrNotRenewable, wantErr: true},
		{name: "terminated early: deceased", reason: "deceased", id: "S1-2", wantIs: billing.ErrNotRenewable, wantErr: true},
		{name: "terminated early: nonPayment", reason: "nonPayment", id: "S1-2", wantIs: billing.ErrNotRenewable, wantErr: true},
		{name: "the same id", id: "S1", wantIs: billing.ErrNotRenewable, wantErr: true},
		{name: "expired renews", reason: plan.ReasonExpired, id: "S1-2"},
		{name: "not terminated renews", id: "S1-2"},
		{name: "empty id", id: "", wantErr: true},
		{
			name: "zero next terms", id: "S1-2", wantIs: plan.ErrZeroTerms, wantErr: true,
			next: func(*testing.T, *plan.Subscription) *plan.Terms { return nil },
		},
		{
			// The renewal would start on 2026-07-10, after the next plan's
			// last day of sale: a renewal starts a subscription.
			name: "the next plan is no longer on sale", id: "S1-2", wantIs: plan.ErrOutsideSaleWindow, wantErr: true,
			next: func(t *testing.T, sub *plan.Subscription) *plan.Terms {
				p := basePlan()
				p.AvailableTo = sub.End()
				return termsFor(t, "GBP", p)
			},
		},
		{
			name: "the next plan's last day of sale", id: "S1-2",
			next: func(t *testing.T, sub *plan.Subscription) *plan.Terms {
				p := basePlan()
				p.AvailableTo = sub.End().AddDays(1)
				return termsFor(t, "GBP", p)
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := sold(t, cat, "puppy", puppyPatient, "2026-01-10", plan.Monthly, false)
			if tt.reason != "" {
				sub.Termination = &plan.Termination{Date: date("2026-06-01"), Reason: tt.reason}
				if tt.reason == plan.ReasonExpired {
					sub.Termination.Date = sub.End()
				}
			}
			next := nextTerms(t, cat, sub)
			if tt.next != nil {
				next = tt.next(t, sub)
			}
			got, warnings, err := billing.Renew(sub, next, tt.id, plan.Patient{})
			if !tt.wantErr {
				if err != nil {
					t.Fatalf("Renew: %v", err)
				}
				if got == nil || got.ID != tt.id {
					t.Fatalf("Renew = %+v, want subscription %q", got, tt.id)
				}
				return
			}
			if err == nil {
				t.Fatalf("Renew = %+v (warnings %q), want an error", got, warnings)
			}
			if got != nil {
				t.Errorf("Renew returned subscription %q with its error", got.ID)
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Errorf("error %q does not wrap %v", err, tt.wantIs)
			}
		})
	}

	t.Run("invalid subscription", func(t *testing.T) {
		if got, _, err := billing.Renew(&plan.Subscription{ID: "S"}, nextTerms(t, cat, sold(t, cat, "puppy", puppyPatient, "2026-01-10", plan.Monthly, false)), "S2", plan.Patient{}); err == nil {
			t.Errorf("Renew(invalid) = %+v, want an error", got)
		}
	})
}

// eligibilityPlan bands everything: dogs of 10 <= w < 25 kg, aged 6 <= a
// < 12 months, on sale from 2026-03-01 to 2026-09-30.
func eligibilityPlan() plan.Plan {
	p := basePlan()
	p.WeightKg = plan.Band{Min: nullDec("10"), Max: nullDec("25")}
	p.AgeMonths = plan.Band{Min: nullDec("6"), Max: nullDec("12")}
	p.AvailableFrom = date("2026-03-01")
	p.AvailableTo = date("2026-09-30")
	return p
}

func TestEligibility(t *testing.T) {
	// fitting is 18 kg and 6 months old on 2026-06-01.
	fitting := plan.Patient{ID: "P1", Species: "dog", WeightKg: nullDec("18"), BirthDate: date("2025-12-01")}
	with := func(f func(pt *plan.Patient)) plan.Patient {
		pt := fitting
		f(&pt)
		return pt
	}
	planWith := func(f func(p *plan.Plan)) plan.Plan {
		p := eligibilityPlan()
		f(&p)
		return p
	}
	noWindow := planWith(func(p *plan.Plan) { p.AvailableFrom, p.AvailableTo = plan.Date{}, plan.Date{} })
	weight := func(w string) plan.Patient { return with(func(pt *plan.Patient) { pt.WeightKg = nullDec(w) }) }
	born := func(d string) plan.Patient { return with(func(pt *plan.Patient) { pt.BirthDate = date(d) }) }
	tests := []struct {
		name    string
		plan    plan.Plan
		patient plan.Patient
		date    string
		// want lists, per reason, substrings it must contain: the field
		// name and both values. Empty: the patient fits.
		want [][]string
	}{
		{name: "fits", plan: eligibilityPlan(), patient: fitting, date: "2026-06-01"},
		{name: "no bands at all", plan: basePlan(), patient: plan.Patient{Species: "dog"}, date: "2026-06-01"},
		{name: "species differs", plan: eligibilityPlan(), patient: with(func(pt *plan.Patient) { pt.Species = "cat" }), date: "2026-06-01",
			want: [][]string{{"species", `"cat"`, `"dog"`}}},
		{name: "species not given", plan: eligibilityPlan(), patient: with(func(pt *plan.Patient) { pt.Species = "" }), date: "2026-06-01",
			want: [][]string{{"species", "not given", `"dog"`}}},
		{name: "weight below the minimum", plan: eligibilityPlan(), patient: weight("9.99"), date: "2026-06-01",
			want: [][]string{{"weightKg", "9.99", "minimum 10"}}},
		{name: "weight on the minimum fits", plan: eligibilityPlan(), patient: weight("10"), date: "2026-06-01"},
		{name: "weight just below the maximum fits", plan: eligibilityPlan(), patient: weight("24.999"), date: "2026-06-01"},
		{name: "weight on the maximum", plan: eligibilityPlan(), patient: weight("25"), date: "2026-06-01",
			want: [][]string{{"weightKg: 25 ", "maximum 25"}}},
		{name: "weight above the maximum", plan: eligibilityPlan(), patient: weight("27.5"), date: "2026-06-01",
			want: [][]string{{"weightKg", "27.5", "maximum 25"}}},
		{name: "min-only band", plan: planWith(func(p *plan.Plan) { p.WeightKg = plan.Band{Min: nullDec("30")} }), patient: weight("29"), date: "2026-06-01",
			want: [][]string{{"weightKg", "29", "minimum 30"}}},
		{name: "max-only band", plan: planWith(func(p *plan.Plan) { p.WeightKg = plan.Band{Max: nullDec("5")} }), patient: weight("5"), date: "2026-06-01",
			want: [][]string{{"weightKg", "5 is", "maximum 5"}}},
		{name: "expected adult weight is judged, not the current one",
			plan: eligibilityPlan(), date: "2026-06-01",
			patient: with(func(pt *plan.Patient) { pt.WeightKg = nullDec("8"); pt.ExpectedAdultWeightKg = nullDec("18") })},
		{name: "expected adult weight above the band",
			plan: eligibilityPlan(), date: "2026-06-01",
			patient: with(func(pt *plan.Patient) { pt.WeightKg = nullDec("18"); pt.ExpectedAdultWeightKg = nullDec("30") }),
			want:    [][]string{{"expectedAdultWeightKg", "30", "maximum 25"}}},
		{name: "expected adult weight without a current weight",
			plan: eligibilityPlan(), date: "2026-06-01",
			patient: with(func(pt *plan.Patient) { pt.WeightKg = decimal.NullDecimal{}; pt.ExpectedAdultWeightKg = nullDec("12") })},
		{name: "weight not given", plan: eligibilityPlan(), patient: with(func(pt *plan.Patient) { pt.WeightKg = decimal.NullDecimal{} }), date: "2026-06-01",
			want: [][]string{{"weightKg", "not given", "10", "25"}}},
		{name: "age below the minimum", plan: eligibilityPlan(), patient: born("2025-12-02"), date: "2026-06-01",
			want: [][]string{{"ageMonths", "5", "minimum 6"}}},
		{name: "age on the minimum fits", plan: eligibilityPlan(), patient: born("2025-12-01"), date: "2026-06-01"},
		{name: "age just below the maximum fits", plan: eligibilityPlan(), patient: born("2025-06-02"), date: "2026-06-01"},
		{name: "age on the maximum", plan: eligibilityPlan(), patient: born("2025-06-01"), date: "2026-06-01",
			want: [][]string{{"ageMonths: 12 ", "maximum 12"}}},
		{name: "age well above", plan: eligibilityPlan(), patient: born("2020-01-15"), date: "2026-06-01",
			want: [][]string{{"ageMonths", "76", "maximum 12"}}},
		{name: "a month-end birthday is 6 months old on the last day of February", plan: noWindow, patient: born("2025-08-31"), date: "2026-02-28"},
		{name: "a month-end birthday is 5 months old the day before", plan: noWindow, patient: born("2025-08-31"), date: "2026-02-27",
			want: [][]string{{"ageMonths", "5", "minimum 6"}}},
		{name: "birth date not given", plan: eligibilityPlan(), patient: with(func(pt *plan.Patient) { pt.BirthDate = plan.Date{} }), date: "2026-06-01",
			want: [][]string{{"birthDate", "not given", "6", "12"}}},
		{name: "before the sale window", plan: eligibilityPlan(), patient: born("2025-08-28"), date: "2026-02-28",
			want: [][]string{{"availableFrom", "2026-02-28", "2026-03-01"}}},
		{name: "first day of sale fits", plan: eligibilityPlan(), patient: born("2025-09-01"), date: "2026-03-01"},
		{name: "last day of sale fits", plan: eligibilityPlan(), patient: born("2026-03-30"), date: "2026-09-30"},
		{name: "after the sale window", plan: eligibilityPlan(), patient: born("2026-03-30"), date: "2026-10-01",
			want: [][]string{{"availableTo", "2026-10-01", "2026-09-30"}}},
		{name: "every misfit at once", plan: eligibilityPlan(), date: "2026-10-01",
			patient: plan.Patient{Species: "cat", WeightKg: nullDec("30")},
			want: [][]string{
				{"species", `"cat"`, `"dog"`},
				{"weightKg", "30", "maximum 25"},
				{"birthDate", "not given", "6", "12"},
				{"availableTo", "2026-10-01", "2026-09-30"},
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fits := billing.Eligibility([]plan.Plan{tt.plan}, tt.patient, date(tt.date))
			if len(fits) != 1 {
				t.Fatalf("Eligibility returned %d fits for 1 plan", len(fits))
			}
			got := fits[0]
			if got.Plan != tt.plan.ID {
				t.Errorf("Plan = %q, want %q", got.Plan, tt.plan.ID)
			}
			if got.Eligible != (len(tt.want) == 0) {
				t.Errorf("Eligible = %v, want %v (reasons %q)", got.Eligible, len(tt.want) == 0, got.Reasons)
			}
			if got.Reasons == nil {
				t.Errorf("Reasons is nil; want a non-nil (possibly empty) slice")
			}
			if len(got.Reasons) != len(tt.want) {
				t.Fatalf("Reasons = %q, want %d", got.Reasons, len(tt.want))
			}
			for i, subs := range tt.want {
				for _, s := range subs {
					if !strings.Contains(got.Reasons[i], s) {
						t.Errorf("reason %d = %q, want it to contain %q", i, got.Reasons[i], s)
					}
				}
			}
			p := tt.plan
			if diff := cmp.Diff(got.Reasons, billing.Reasons(&p, tt.patient, date(tt.date))); diff != "" {
				t.Errorf("Reasons differs from Eligibility (-eligibility +reasons):\n%s", diff)
			}
		})
	}
}

func TestEligibilityKeepsPlanOrder(t *testing.T) {
	cat := renewalCatalog()
	pt := plan.Patient{ID: "P2", Species: "dog", WeightKg: nullDec("8"), ExpectedAdultWeightKg: nullDec("30"), BirthDate: date("2026-03-01")}
	got := billing.Eligibility(cat.Plans, pt, date("2026-06-01"))
	var ids []string
	var eligible []bool
	for _, f := range got {
		ids = append(ids, f.Plan)
		eligible = append(eligible, f.Eligible)
	}
	if diff := cmp.Diff([]string{"puppy", "dog-m", "cat", "kitten"}, ids); diff != "" {
		t.Errorf("plans (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]bool{true, false, false, false}, eligible); diff != "" {
		t.Errorf("eligible (-want +got):\n%s", diff)
	}
	if got := billing.Eligibility(nil, pt, date("2026-06-01")); len(got) != 0 {
		t.Errorf("Eligibility(no plans) = %v, want none", got)
	}
}
