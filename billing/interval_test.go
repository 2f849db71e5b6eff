package billing_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// clamped is start + months months, worked out with package time: the
// start's day of the month, clamped to the target month's length.
func clamped(start plan.Date, months int) string {
	y, m, d := start.Date()
	first := time.Date(y, m+time.Month(months), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(d, last), 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// TestDueDatesEveryInterval checks every start date from 2024 to 2030
// against every term 1..120 that each interval allows: due dates are
// counted from the start (never from the previous due date), a quarter's
// and a year's every 3 and 12 months, and 4-weekly ones every 28 days,
// exactly floor(D/28) of them for the D days of the term.
func TestDueDatesEveryInterval(t *testing.T) {
	first, last := date("2024-01-01"), date("2030-12-31")
	step := 1
	if testing.Short() {
		step = 7
	}
	for start := first; !start.After(last); start = start.AddDays(step) {
		// The longest term's dates hold every shorter term's as a prefix;
		// the prefix property is checked below for a few terms.
		want := map[plan.Interval][]string{}
		for _, iv := range []plan.Interval{plan.Month, plan.Quarter, plan.Year} {
			every := map[plan.Interval]int{plan.Month: 1, plan.Quarter: 3, plan.Year: 12}[iv]
			for i := 0; i*every < plan.MaxTermMonths; i++ {
				want[iv] = append(want[iv], clamped(start, every*i))
			}
		}
		for n := 1; n <= plan.MaxTermMonths; n++ {
			for _, iv := range []plan.Interval{plan.Month, plan.Quarter, plan.Year} {
				every := map[plan.Interval]int{plan.Month: 1, plan.Quarter: 3, plan.Year: 12}[iv]
				if n%every != 0 {
					continue
				}
				got := billing.DueDates(start, n, iv)
				if len(got) != n/every {
					t.Fatalf("start %s, %d months, %s: %d installments, want %d", start, n, iv, len(got), n/every)
				}
				for i, d := range got {
					if d.String() != want[iv][i] {
						t.Fatalf("start %s, %d months, %s: installment %d due %s, want %s", start, n, iv, i, d, want[iv][i])
					}
				}
			}
			end := start.AddMonths(n)
			days := end.Sub(start)
			got := billing.DueDates(start, n, plan.FourWeeks)
			if len(got) != days/28 {
				t.Fatalf("start %s, %d months (%d days), 4weeks: %d installments, want %d", start, n, days, len(got), days/28)
			}
			for i, d := range got {
				if d.Sub(start) != 28*i || !d.Before(end) {
					t.Fatalf("start %s, %d months, 4weeks: installment %d due %s (day %d), want day %d within the term", start, n, i, d, d.Sub(start), 28*i)
				}
			}
		}
	}
}

// TestDueDatesLeapYears pins the month ends and leap days by hand.
func TestDueDatesLeapYears(t *testing.T) {
	dates := func(ds []plan.Date) []string {
		var out []string
		for _, d := range ds {
			out = append(out, d.String())
		}
		return out
	}
	tests := []struct {
		start    string
		months   int
		interval plan.Interval
		want     []string
	}{
		{"2024-01-31", 12, plan.Quarter, []string{"2024-01-31", "2024-04-30", "2024-07-31", "2024-10-31"}},
		{"2023-11-30", 6, plan.Quarter, []string{"2023-11-30", "2024-02-29"}},
		{"2024-02-29", 36, plan.Year, []string{"2024-02-29", "2025-02-28", "2026-02-28"}},
		{"2024-02-29", 48, plan.Year, []string{"2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28"}},
		{"2024-01-31", 1, plan.FourWeeks, []string{"2024-01-31"}},               // 29 days
		{"2026-02-01", 1, plan.FourWeeks, []string{"2026-02-01"}},               // 28 days: exactly one
		{"2024-02-01", 2, plan.FourWeeks, []string{"2024-02-01", "2024-02-29"}}, // 60 days
		{"2026-02-01", 2, plan.FourWeeks, []string{"2026-02-01", "2026-03-01"}}, // 59 days
		{"2024-01-01", 12, plan.FourWeeks, nil},                                 // 366 days: 13, checked below
		{"2025-01-01", 12, plan.FourWeeks, nil},                                 // 365 days: 13
		{"2023-03-01", 12, plan.FourWeeks, nil},                                 // 366 days (to 2024-03-01): 13
	}
	for _, tt := range tests {
		got := billing.DueDates(date(tt.start), tt.months, tt.interval)
		if tt.want == nil {
			if len(got) != 13 || got[12].Sub(date(tt.start)) != 336 {
				t.Errorf("%s, %d months, %s: %v; want 13 installments, the last on day 336", tt.start, tt.months, tt.interval, dates(got))
			}
			continue
		}
		if diff := cmp.Diff(tt.want, dates(got)); diff != "" {
			t.Errorf("%s, %d months, %s (-want +got):\n%s", tt.start, tt.months, tt.interval, diff)
		}
	}
}

func intervalTerms(t testing.TB, termMonths int, edit ...func(*plan.Plan)) *plan.Terms {
	t.Helper()
	p := basePlan()
	p.TermMonths = termMonths
	p.MonthlyFee = dec("15.00")
	p.JoiningFee = dec("5.00")
	p.Fees = plan.Fees{FourWeeks: decimal.NewNullDecimal(dec("13.85"))}
	if termMonths%3 == 0 {
		p.Fees.Quarter = decimal.NewNullDecimal(dec("44.00"))
	}
	if termMonths%12 == 0 {
		p.Fees.Year = decimal.NewNullDecimal(dec("165.00"))
	}
	p.MultiPetDiscount = plan.PercentOff(dec("10"))
	for _, e := range edit {
		e(&p)
	}
	return termsFor(t, "GBP", p)
}

func TestScheduleForEveryInterval(t *testing.T) {
	tests := []struct {
		interval plan.Interval
		multiPet bool
		first    string
		each     string
		n        int
	}{
		{plan.Month, false, "20.00", "15.00", 12},
		{plan.Month, true, "18.50", "13.50", 12},
		{plan.Quarter, false, "49.00", "44.00", 4},
		{plan.Quarter, true, "44.60", "39.60", 4},
		{plan.Year, false, "170.00", "", 1},
		{plan.Year, true, "153.50", "", 1}, // 165.00 less 16.50, plus the joining fee
		{plan.FourWeeks, false, "18.85", "13.85", 13},
		{plan.FourWeeks, true, "17.46", "12.46", 13}, // 10% of 13.85 is 1.385: 1.39 off
	}
	terms := intervalTerms(t, 12)
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.interval, " multiPet ", tt.multiPet), func(t *testing.T) {
			sub, err := terms.Subscribe(plan.Enrollment{ID: "S1", Start: date("2024-01-31"), Interval: tt.interval, MultiPet: tt.multiPet})
			if err != nil {
				t.Fatal(err)
			}
			s, err := billing.ScheduleFor(sub)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Installments) != tt.n || s.Installments[0].Amount.StringFixed(2) != tt.first {
				t.Fatalf("%d installments, the first %s; want %d, %s", len(s.Installments), s.Installments[0].Amount.StringFixed(2), tt.n, tt.first)
			}
			var sum decimal.Decimal
			for i, in := range s.Installments {
				if i > 0 && in.Amount.StringFixed(2) != tt.each {
					t.Errorf("installment %d: %s, want %s", i, in.Amount.StringFixed(2), tt.each)
				}
				sum = sum.Add(in.Amount)
			}
			if !sum.Equal(s.Total) {
				t.Errorf("installments add up to %s, the total is %s", sum, s.Total)
			}
		})
	}
	// Advance payment ignores the interval.
	sub, _ := terms.Subscribe(plan.Enrollment{ID: "S1", Start: date("2024-01-31"), Interval: plan.Quarter, Payment: plan.Advance})
	s, _ := billing.ScheduleFor(sub)
	if len(s.Installments) != 1 || s.Total.StringFixed(2) != "185.00" {
		t.Errorf("advance with a quarterly interval: %d installments, %s; want one of 185.00", len(s.Installments), s.Total)
	}
}

func TestSubscribeRefusesAnUnpricedInterval(t *testing.T) {
	terms := intervalTerms(t, 10) // no quarterly or yearly fee on a 10-month term
	for _, iv := range []plan.Interval{plan.Quarter, plan.Year} {
		_, err := terms.Subscribe(plan.Enrollment{ID: "S1", Start: date("2026-01-10"), Interval: iv})
		ps := plan.Problems(err)
		if len(ps) != 1 || ps[0].Path != "interval" || ps[0].Value != iv.String() || !errors.Is(err, plan.ErrUnpricedInterval) {
			t.Errorf("%s on a plan that does not price it: %v", iv, err)
		}
	}
	if _, err := terms.Subscribe(plan.Enrollment{ID: "S1", Start: date("2026-01-10"), Interval: plan.FourWeeks + 1}); len(plan.Problems(err)) != 1 {
		t.Errorf("an interval with no name: %v", err)
	}
}

func TestRenewKeepsOrFallsBackFromTheInterval(t *testing.T) {
	quarterly := intervalTerms(t, 12)
	monthlyOnly := intervalTerms(t, 12, func(p *plan.Plan) { p.Fees = plan.Fees{} })
	sub, _ := quarterly.Subscribe(plan.Enrollment{ID: "S1", Start: date("2026-01-10"), Interval: plan.Quarter, Patient: plan.Patient{Species: "dog"}})
	kept, warnings, err := billing.Renew(sub, quarterly, "S2", plan.Patient{})
	if err != nil || kept.Interval != plan.Quarter || len(warnings) != 0 {
		t.Errorf("renewing onto a plan that prices quarters: %v, %v, %v", kept, warnings, err)
	}
	fell, warnings, err := billing.Renew(sub, monthlyOnly, "S3", plan.Patient{})
	if err != nil || fell.Interval != plan.Month || len(warnings) != 1 || warnings[0] != `interval: plan "dog-m" does not price quarter installments; the renewal is paid monthly` {
		t.Errorf("renewing onto a plan that does not: %+v, %q, %v", fell, warnings, err)
	}
}

// dunningSub is a 12-month subscription at 20.00 a month from 2026-01-10
// with the dunning policy given.
func dunningSub(t testing.TB, d plan.Dunning, failures int) *plan.Subscription {
	t.Helper()
	p := basePlan()
	p.MonthlyFee, p.JoiningFee, p.SuspendAfterFailures, p.Dunning = dec("20.00"), decimal.Decimal{}, failures, d
	return subscribe(t, termsFor(t, "GBP", p), date("2026-01-10"), plan.Auto, false)
}

func TestStandingDunning(t *testing.T) {
	sub := dunningSub(t, plan.Dunning{RetryDays: []int{3, 7}, PastDueAfter: plan.After(7), SuspendAfter: plan.After(30), CancelAfter: plan.After(60)}, 0)
	var a billing.Account
	for _, p := range []billing.Payment{taken("2026-01-10", "20.00"), failed("2026-02-10", "20.00")} {
		if _, err := a.Record(sub, p); err != nil {
			t.Fatal(err)
		}
	}
	type view struct {
		DaysPastDue  int
		OverdueSince string
		PastDue      bool
		Retry        []string
		CancelDue    bool
		Status       plan.Status
	}
	at := func(d string) view {
		st, err := a.Standing(sub, date(d))
		if err != nil {
			t.Fatal(err)
		}
		v := view{st.DaysPastDue, st.OverdueSince.String(), st.PastDue, nil, st.CancelDue, st.Status}
		if st.OverdueSince.IsZero() {
			v.OverdueSince = ""
		}
		for _, r := range st.RetryDates {
			v.Retry = append(v.Retry, r.String())
		}
		return v
	}
	retry := []string{"2026-02-13", "2026-02-17"}
	tests := []struct {
		date string
		want view
	}{
		{"2026-02-09", view{0, "", false, nil, false, plan.Active}},
		{"2026-02-10", view{0, "2026-02-10", false, retry, false, plan.Active}},
		{"2026-02-17", view{7, "2026-02-10", false, retry, false, plan.Active}},
		{"2026-02-18", view{8, "2026-02-10", true, retry, false, plan.Active}},
		{"2026-03-12", view{30, "2026-02-10", true, retry, false, plan.Active}},
		{"2026-03-13", view{31, "2026-02-10", true, retry, false, plan.Suspended}},
		{"2026-04-11", view{60, "2026-02-10", true, retry, false, plan.Suspended}},
		{"2026-04-12", view{61, "2026-02-10", true, retry, true, plan.Suspended}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, at(tt.date)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tt.date, diff)
		}
	}
	// Paying February on 2026-03-20 moves the oldest overdue installment
	// to March, only 10 days overdue: the suspension ends that day.
	if _, err := a.Record(sub, taken("2026-03-20", "20.00")); err != nil {
		t.Fatal(err)
	}
	want := []plan.Period{{From: date("2026-03-13"), To: date("2026-03-20")}, {From: date("2026-04-10")}}
	if diff := cmp.Diff(want, suspended(t, sub, &a), cmpOpts); diff != "" {
		t.Errorf("suspensions (-want +got):\n%s", diff)
	}
	if got := at("2026-03-25"); got.DaysPastDue != 15 || got.OverdueSince != "2026-03-10" || got.Status != plan.Active {
		t.Errorf("2026-03-25 after the late payment: %+v", got)
	}
	// With no payment recorded at all, the first installment (due on the
	// start, 2026-01-10) is overdue from the start: suspended from the
	// 31st day past due.
	var none billing.Account
	if st, _ := none.Standing(sub, date("2026-02-09")); st.DaysPastDue != 30 || st.Status != plan.Active {
		t.Errorf("no payments, 2026-02-09: %d days past due, %v; want 30, active", st.DaysPastDue, st.Status)
	}
	if st, _ := none.Standing(sub, date("2026-02-10")); st.DaysPastDue != 31 || st.Status != plan.Suspended {
		t.Errorf("no payments, 2026-02-10: %d days past due, %v; want 31, suspended", st.DaysPastDue, st.Status)
	}
	if diff := cmp.Diff([]plan.Period{{From: date("2026-02-10")}}, suspended(t, sub, &none), cmpOpts); diff != "" {
		t.Errorf("no payments: suspensions (-want +got):\n%s", diff)
	}
	// A threshold the plan does not set turns its rule off.
	plain := dunningSub(t, plan.Dunning{}, 0)
	var b billing.Account
	if _, err := b.Record(plain, failed("2026-01-10", "20.00")); err != nil {
		t.Fatal(err)
	}
	st, _ := b.Standing(plain, date("2026-12-01"))
	if st.DaysPastDue != 325 || st.PastDue || st.CancelDue || st.RetryDates != nil || st.Status != plan.Active {
		t.Errorf("no dunning policy: %+v", st)
	}
	// After a termination, installments after it are not overdue.
	ended := *sub
	ended.Termination = &plan.Termination{Date: date("2026-02-01"), Reason: "cancelled"}
	st, _ = a.Standing(&ended, date("2026-06-01"))
	if st.DaysPastDue != 0 || !st.OverdueSince.IsZero() {
		t.Errorf("after a termination on 2026-02-01 with January paid: %d days past due since %s", st.DaysPastDue, st.OverdueSince)
	}
}

// dunningModel is an independent reading of the dunning rules for one
// subscription: the schedule as dates and amounts in minor units, and the
// payments in the order recorded.
type dunningModel struct {
	due      []plan.Date
	amounts  []int64
	payments []billing.Payment
	places   int32
}

func (m *dunningModel) paidBy(d plan.Date) int64 {
	var sum int64
	for _, p := range m.payments {
		if p.Status == billing.Taken && !p.Date.After(d) {
			sum += minorUnits(p.Amount, m.places)
		}
	}
	return sum
}

// daysPastDue allocates the taken payments dated by d to installments,
// oldest first, one minor unit at a time (an obviously correct, slow
// allocation), and returns the days since the first one due by d that is
// not fully paid.
func (m *dunningModel) daysPastDue(d plan.Date) (int, bool) {
	left := m.paidBy(d)
	for i, due := range m.due {
		if due.After(d) {
			return 0, false
		}
		need := m.amounts[i]
		for need > 0 && left > 0 {
			need--
			left--
		}
		if need > 0 {
			return d.Sub(due), true
		}
	}
	return 0, false
}

func minorUnits(x decimal.Decimal, places int32) int64 { return x.Shift(places).IntPart() }

// TestPropertyDunning: days past due match the independent allocation, and
// a date is suspended exactly when the failure-count rule or the
// days-past-due rule says so.
func TestPropertyDunning(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := rapid.IntRange(0, 40).Draw(t, "suspendAfterDays")
		failures := rapid.IntRange(0, 2).Draw(t, "suspendAfterFailures")
		interval := rapid.SampledFrom([]plan.Interval{plan.Month, plan.Quarter, plan.FourWeeks}).Draw(t, "interval")
		p := basePlan()
		p.TermMonths, p.MonthlyFee, p.JoiningFee, p.SuspendAfterFailures = 6, dec("20.00"), dec("5.00"), failures
		p.Fees = plan.Fees{Quarter: decimal.NewNullDecimal(dec("55.00")), FourWeeks: decimal.NewNullDecimal(dec("18.50"))}
		p.Dunning = plan.Dunning{SuspendAfter: plan.After(s)}
		terms := termsFor(t, "GBP", p)
		start := date("2026-01-31")
		sub, err := terms.Subscribe(plan.Enrollment{ID: "S1", Start: start, Interval: interval})
		if err != nil {
			t.Fatal(err)
		}
		sched, _ := billing.ScheduleFor(sub)
		m := &dunningModel{places: 2}
		for _, in := range sched.Installments {
			m.due = append(m.due, in.Due)
			m.amounts = append(m.amounts, minorUnits(in.Amount, 2))
		}
		var a billing.Account
		for range rapid.IntRange(0, 10).Draw(t, "payments") {
			p := billing.Payment{Date: start.AddDays(rapid.IntRange(-5, 200).Draw(t, "day")),
				Amount: dec(rapid.SampledFrom([]string{"20.00", "25.00", "5.00", "55.00", "0.01"}).Draw(t, "amount")),
				Status: rapid.SampledFrom([]billing.PaymentStatus{billing.Taken, billing.Failed}).Draw(t, "status")}
			if _, err := a.Record(sub, p); err != nil {
				t.Fatal(err)
			}
			m.payments = append(m.payments, p)
		}
		periods, err := billing.Suspensions(sub, a.Payments)
		if err != nil {
			t.Fatal(err)
		}
		// The failure-count rule alone, from a plan without the days rule.
		noDays := *sub
		q := p
		q.Dunning = plan.Dunning{}
		noDays.Terms = termsFor(t, "GBP", q)
		byFailures, _ := billing.Suspensions(&noDays, a.Payments)
		// The dates where anything can change, and the days either side.
		var dates []plan.Date
		for _, due := range m.due {
			dates = append(dates, due, due.AddDays(s), due.AddDays(s+1))
		}
		for _, p := range m.payments {
			dates = append(dates, p.Date)
		}
		for _, d := range append([]plan.Date(nil), dates...) {
			dates = append(dates, d.AddDays(-1), d.AddDays(1))
		}
		for range 10 {
			dates = append(dates, start.AddDays(rapid.IntRange(-3, 260).Draw(t, "check")))
		}
		for _, d := range dates {
			st, err := a.Standing(sub, d)
			if err != nil {
				t.Fatal(err)
			}
			dpd, overdue := m.daysPastDue(d)
			if st.DaysPastDue != dpd || st.OverdueSince.IsZero() == overdue {
				t.Fatalf("%s: %d days past due (since %s); the model says %d (overdue %v)", d, st.DaysPastDue, st.OverdueSince, dpd, overdue)
			}
			want := (overdue && dpd > s) || slices.ContainsFunc(byFailures, func(p plan.Period) bool { return p.Contains(d) })
			got := slices.ContainsFunc(periods, func(p plan.Period) bool { return p.Contains(d) })
			if got != want {
				t.Fatalf("%s: suspended %v, want %v (%d days past due, failure periods %v, periods %v)", d, got, want, dpd, byFailures, periods)
			}
			if wantStatus := got && !d.Before(start) && !d.After(sub.End()); (st.Status == plan.Suspended) != wantStatus {
				t.Fatalf("%s: status %s with suspended %v", d, st.Status, got)
			}
		}
	})
}

// TestPropertyScheduleEveryInterval: installments add up to the contract
// total for every interval, term and multi-pet discount, and each is the
// fee less the rounded discount.
func TestPropertyScheduleEveryInterval(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 120).Draw(t, "termMonths")
		fee := func(name string) decimal.NullDecimal {
			return decimal.NewNullDecimal(dec(rapid.SampledFrom([]string{"0", "13.85", "44.004", "165.555", "1.005"}).Draw(t, name)))
		}
		p := basePlan()
		p.TermMonths, p.MonthlyFee, p.JoiningFee = n, fee("month").Decimal, dec(rapid.SampledFrom([]string{"0", "5.00"}).Draw(t, "joining"))
		p.Fees.FourWeeks = fee("4weeks")
		intervals := []plan.Interval{plan.Month, plan.FourWeeks}
		if n%3 == 0 {
			p.Fees.Quarter = fee("quarter")
			intervals = append(intervals, plan.Quarter)
		}
		if n%12 == 0 {
			p.Fees.Year = fee("year")
			intervals = append(intervals, plan.Year)
		}
		if rapid.Bool().Draw(t, "percent") {
			p.MultiPetDiscount = plan.PercentOff(dec(rapid.SampledFrom([]string{"10", "15", "33.3333"}).Draw(t, "pct")))
		} else {
			p.MultiPetDiscount = plan.AmountOff(dec(rapid.SampledFrom([]string{"1.005", "2", "500"}).Draw(t, "off")))
		}
		if rapid.Bool().Draw(t, "halfEven") {
			p.Rounding = plan.HalfEven
		}
		terms := termsFor(t, rapid.SampledFrom([]string{"GBP", "JPY", "KWD"}).Draw(t, "currency"), p)
		iv := rapid.SampledFrom(intervals).Draw(t, "interval")
		multiPet := rapid.Bool().Draw(t, "multiPet")
		sub, err := terms.Subscribe(plan.Enrollment{ID: "S1", Start: date("2024-02-29").AddDays(rapid.IntRange(0, 400).Draw(t, "start")), Interval: iv, MultiPet: multiPet})
		if err != nil {
			t.Fatal(err)
		}
		s, err := billing.ScheduleFor(sub)
		if err != nil {
			t.Fatal(err)
		}
		cur, r := terms.Currency(), terms.Rounding()
		f, _ := terms.Fee(iv)
		each := cur.Round(f, r)
		if multiPet {
			off := decimal.Decimal{}
			if pc, ok := p.MultiPetDiscount.Percent(); ok {
				off = f.Mul(pc).Shift(-2)
			} else if am, ok := p.MultiPetDiscount.Amount(); ok {
				off = am
			}
			each = decimal.Max(decimal.Decimal{}, cur.Round(f.Sub(cur.Round(off, r)), r))
		}
		var sum decimal.Decimal
		for i, in := range s.Installments {
			want := each
			if i == 0 {
				want = want.Add(cur.Round(p.JoiningFee, r))
			}
			if !in.Amount.Equal(want) {
				t.Fatalf("installment %d: %s, want %s", i, in.Amount, want)
			}
			sum = sum.Add(in.Amount)
		}
		if !sum.Equal(s.Total) || len(s.Installments) != len(billing.DueDates(sub.Start, n, iv)) {
			t.Fatalf("installments add up to %s over %d; the total is %s", sum, len(s.Installments), s.Total)
		}
	})
}
