package billing_test

import (
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// level is n installments from start, due on start.AddMonths(i), the
// first first and the others each. The due dates themselves are pinned
// independently by TestScheduleMonthEnds and TestScheduleClampsMonthEnds.
func level(start string, n int, first, each string) []billing.Installment {
	s := date(start)
	out := make([]billing.Installment, n)
	for i := range out {
		amt := each
		if i == 0 {
			amt = first
		}
		out[i] = billing.Installment{Number: i, Due: s.AddMonths(i), Amount: dec(amt)}
	}
	return out
}

func TestScheduleFor(t *testing.T) {
	withPlan := func(f func(p *plan.Plan)) plan.Plan {
		p := basePlan()
		f(&p)
		return p
	}
	tests := []struct {
		name      string
		cur       string
		plan      plan.Plan
		pay       plan.PaymentOption
		multiPet  bool
		start     string
		want      []billing.Installment
		wantTotal string
	}{
		{
			name: "monthly", cur: "GBP", plan: basePlan(), pay: plan.Monthly, start: "2026-01-10",
			want: level("2026-01-10", 12, "20.00", "15.00"), wantTotal: "185.00",
		},
		{
			name: "auto", cur: "GBP", plan: basePlan(), pay: plan.Auto, start: "2026-01-10",
			want: level("2026-01-10", 12, "20.00", "15.00"), wantTotal: "185.00",
		},
		{
			name: "external", cur: "GBP", plan: basePlan(), pay: plan.External, start: "2026-01-10",
			want: level("2026-01-10", 12, "20.00", "15.00"), wantTotal: "185.00",
		},
		{
			name: "manual", cur: "GBP", plan: basePlan(), pay: plan.Manual, start: "2026-01-10",
			want: level("2026-01-10", 12, "20.00", "15.00"), wantTotal: "185.00",
		},
		{
			name: "no joining fee", cur: "GBP", plan: withPlan(func(p *plan.Plan) { p.JoiningFee = decimal.Decimal{} }),
			pay: plan.Monthly, start: "2026-01-10",
			want: level("2026-01-10", 12, "15.00", "15.00"), wantTotal: "180.00",
		},
		{
			name: "one month term", cur: "GBP", plan: withPlan(func(p *plan.Plan) { p.TermMonths = 1 }),
			pay: plan.Monthly, start: "2026-05-05",
			want: level("2026-05-05", 1, "20.00", ""), wantTotal: "20.00",
		},
		{
			name: "advance default price is termMonths times monthlyFee", cur: "GBP", plan: basePlan(), pay: plan.Advance, start: "2026-01-10",
			want:      []billing.Installment{{Number: 0, Due: date("2026-01-10"), Amount: dec("185.00")}},
			wantTotal: "185.00",
		},
		{
			name: "advance with advancePrice", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) { p.AdvancePrice = nullDec("170.00") }),
			pay:  plan.Advance, start: "2026-01-10",
			want:      []billing.Installment{{Number: 0, Due: date("2026-01-10"), Amount: dec("175.00")}},
			wantTotal: "175.00",
		},
		{
			name: "advance with a zero advancePrice still pays the joining fee", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) { p.AdvancePrice = nullDec("0") }),
			pay:  plan.Advance, start: "2026-01-10",
			want:      []billing.Installment{{Number: 0, Due: date("2026-01-10"), Amount: dec("5.00")}},
			wantTotal: "5.00",
		},
		{
			name: "advance ignores the multi-pet discount", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) {
				p.AdvancePrice = nullDec("170.00")
				p.MultiPetDiscount = plan.AmountOff(dec("2.50"))
			}),
			pay: plan.Advance, multiPet: true, start: "2026-01-10",
			want:      []billing.Installment{{Number: 0, Due: date("2026-01-10"), Amount: dec("175.00")}},
			wantTotal: "175.00",
		},
		{
			name: "advance default price ignores the percent multi-pet discount", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) { p.MultiPetDiscount = plan.PercentOff(dec("50")) }),
			pay:  plan.Advance, multiPet: true, start: "2026-01-10",
			want:      []billing.Installment{{Number: 0, Due: date("2026-01-10"), Amount: dec("185.00")}},
			wantTotal: "185.00",
		},
		{
			name: "multi-pet amount off", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) { p.MultiPetDiscount = plan.AmountOff(dec("2.50")) }),
			pay:  plan.Monthly, multiPet: true, start: "2026-01-10",
			want: level("2026-01-10", 12, "17.50", "12.50"), wantTotal: "155.00",
		},
		{
			name: "multi-pet amount off not applied without MultiPet", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) { p.MultiPetDiscount = plan.AmountOff(dec("2.50")) }),
			pay:  plan.Monthly, start: "2026-01-10",
			want: level("2026-01-10", 12, "20.00", "15.00"), wantTotal: "185.00",
		},
		{
			name: "multi-pet percent off", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) { p.MultiPetDiscount = plan.PercentOff(dec("10")) }),
			pay:  plan.Auto, multiPet: true, start: "2026-01-10",
			want: level("2026-01-10", 12, "18.50", "13.50"), wantTotal: "167.00",
		},
		{
			// 9.99 × 12.5% = 1.24875; 9.99 − 1.24875 = 8.74125 → 8.74.
			name: "multi-pet percent off rounded to minor units", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) {
				p.MonthlyFee = dec("9.99")
				p.JoiningFee = decimal.Decimal{}
				p.MultiPetDiscount = plan.PercentOff(dec("12.5"))
			}),
			pay: plan.Monthly, multiPet: true, start: "2026-01-10",
			want: level("2026-01-10", 12, "8.74", "8.74"), wantTotal: "104.88",
		},
		{
			// The discount is an amount of its own on the invoice, rounded
			// first: 10.00 − 0.13 = 9.87 (not round(9.875) = 9.88).
			name: "multi-pet amount with sub-minor places is rounded before it is subtracted", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) {
				p.MonthlyFee = dec("10.00")
				p.JoiningFee = decimal.Decimal{}
				p.MultiPetDiscount = plan.AmountOff(dec("0.125"))
			}),
			pay: plan.Monthly, multiPet: true, start: "2026-01-10",
			want: level("2026-01-10", 12, "9.87", "9.87"), wantTotal: "118.44",
		},
		{
			// The discount 0.125 rounds half to even to 0.12: 10.00 − 0.12
			// = 9.88 (half up gives 0.13 and 9.87, the case above).
			name: "halfEven plan rounds the discount to even", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) {
				p.MonthlyFee = dec("10.00")
				p.JoiningFee = decimal.Decimal{}
				p.Rounding = plan.HalfEven
				p.MultiPetDiscount = plan.AmountOff(dec("0.125"))
			}),
			pay: plan.Monthly, multiPet: true, start: "2026-01-10",
			want: level("2026-01-10", 12, "9.88", "9.88"), wantTotal: "118.56",
		},
		{
			name: "halfUp plan rounds the discount half away from zero", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) {
				p.MonthlyFee = dec("10.00")
				p.JoiningFee = decimal.Decimal{}
				p.MultiPetDiscount = plan.AmountOff(dec("0.135"))
			}),
			pay: plan.Monthly, multiPet: true, start: "2026-01-10",
			want: level("2026-01-10", 12, "9.86", "9.86"), wantTotal: "118.32",
		},
		{
			name: "multi-pet amount larger than the fee gives zero installments", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) { p.MultiPetDiscount = plan.AmountOff(dec("20.00")) }),
			pay:  plan.Monthly, multiPet: true, start: "2026-01-10",
			want: level("2026-01-10", 12, "5.00", "0.00"), wantTotal: "5.00",
		},
		{
			name: "multi-pet amount equal to the fee", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) { p.MultiPetDiscount = plan.AmountOff(dec("15")) }),
			pay:  plan.Manual, multiPet: true, start: "2026-01-10",
			want: level("2026-01-10", 12, "5.00", "0.00"), wantTotal: "5.00",
		},
		{
			name: "multi-pet 100 percent", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) { p.MultiPetDiscount = plan.PercentOff(dec("100")) }),
			pay:  plan.External, multiPet: true, start: "2026-01-10",
			want: level("2026-01-10", 12, "5.00", "0.00"), wantTotal: "5.00",
		},
		{
			name: "monthly fee with sub-minor places is rounded", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) { p.MonthlyFee = dec("10.005"); p.JoiningFee = dec("0.004") }),
			pay:  plan.Monthly, start: "2026-01-10",
			want: level("2026-01-10", 12, "10.01", "10.01"), wantTotal: "120.12",
		},
		{
			// SPEC.md section 3: the default advancePrice is
			// termMonths × monthlyFee = 12 × 10.005 = 120.06 (not 12 ×
			// the rounded installment, 120.12).
			name: "advance default price with sub-minor monthly fee", cur: "GBP",
			plan: withPlan(func(p *plan.Plan) { p.MonthlyFee = dec("10.005"); p.JoiningFee = decimal.Decimal{} }),
			pay:  plan.Advance, start: "2026-01-10",
			want:      []billing.Installment{{Number: 0, Due: date("2026-01-10"), Amount: dec("120.06")}},
			wantTotal: "120.06",
		},
		{
			// 1999 × 10% = 199.9; 1999 − 199.9 = 1799.1 → 1799.
			name: "JPY multi-pet percent rounds to whole yen", cur: "JPY",
			plan: withPlan(func(p *plan.Plan) {
				p.TermMonths = 6
				p.MonthlyFee = dec("1999")
				p.JoiningFee = dec("1000")
				p.MultiPetDiscount = plan.PercentOff(dec("10"))
			}),
			pay: plan.Monthly, multiPet: true, start: "2026-04-01",
			want: level("2026-04-01", 6, "2799", "1799"), wantTotal: "11794",
		},
		{
			name: "JPY advance", cur: "JPY",
			plan: withPlan(func(p *plan.Plan) {
				p.TermMonths = 6
				p.MonthlyFee = dec("1999")
				p.JoiningFee = dec("1000")
			}),
			pay: plan.Advance, start: "2026-04-01",
			want:      []billing.Installment{{Number: 0, Due: date("2026-04-01"), Amount: dec("12994")}},
			wantTotal: "12994",
		},
		{
			// 12.345 × 12.5% = 1.543125; 12.345 − 1.543125 = 10.801875 → 10.802.
			name: "KWD multi-pet percent rounds to fils", cur: "KWD",
			plan: withPlan(func(p *plan.Plan) {
				p.TermMonths = 3
				p.MonthlyFee = dec("12.345")
				p.JoiningFee = dec("1.500")
				p.MultiPetDiscount = plan.PercentOff(dec("12.5"))
			}),
			pay: plan.Monthly, multiPet: true, start: "2026-04-01",
			want: level("2026-04-01", 3, "12.302", "10.802"), wantTotal: "33.906",
		},
		{
			name: "KWD multi-pet amount off", cur: "KWD",
			plan: withPlan(func(p *plan.Plan) {
				p.TermMonths = 3
				p.MonthlyFee = dec("12.345")
				p.JoiningFee = decimal.Decimal{}
				p.MultiPetDiscount = plan.AmountOff(dec("0.5"))
			}),
			pay: plan.Monthly, multiPet: true, start: "2026-04-01",
			want: level("2026-04-01", 3, "11.845", "11.845"), wantTotal: "35.535",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sub := subscribe(t, termsFor(t, tt.cur, tt.plan), date(tt.start), tt.pay, tt.multiPet)
			got, err := billing.ScheduleFor(sub)
			if err != nil {
				t.Fatalf("ScheduleFor: %v", err)
			}
			if diff := cmp.Diff(tt.want, got.Installments, cmpOpts); diff != "" {
				t.Errorf("installments (-want +got):\n%s", diff)
			}
			if !got.Total.Equal(dec(tt.wantTotal)) {
				t.Errorf("Total = %s, want %s", got.Total, tt.wantTotal)
			}
			var sum decimal.Decimal
			places := sub.Terms.Currency().MinorUnits()
			for _, in := range got.Installments {
				sum = sum.Add(in.Amount)
				if in.Amount.IsNegative() {
					t.Errorf("installment %d: amount %s is negative", in.Number, in.Amount)
				}
				if !in.Amount.Equal(in.Amount.Round(places)) {
					t.Errorf("installment %d: amount %s is not in minor units of %s", in.Number, in.Amount, sub.Terms.Currency())
				}
			}
			if !sum.Equal(got.Total) {
				t.Errorf("installments add up to %s, Total is %s", sum, got.Total)
			}
		})
	}
}

// TestScheduleClampsMonthEnds pins the due dates of starts at month ends
// literally, as SPEC.md section 1 writes them.
func TestScheduleClampsMonthEnds(t *testing.T) {
	tests := []struct {
		name  string
		start string
		term  int
		want  []plan.Date
	}{
		{
			name: "31 January, common year", start: "2026-01-31", term: 12,
			want: dueDates("2026-01-31", "2026-02-28", "2026-03-31", "2026-04-30", "2026-05-31", "2026-06-30",
				"2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31"),
		},
		{
			name: "31 January, leap year", start: "2028-01-31", term: 4,
			want: dueDates("2028-01-31", "2028-02-29", "2028-03-31", "2028-04-30"),
		},
		{
			name: "30 January into February", start: "2026-01-30", term: 3,
			want: dueDates("2026-01-30", "2026-02-28", "2026-03-30"),
		},
		{
			name: "29 February on to later years", start: "2028-02-29", term: 13,
			want: dueDates("2028-02-29", "2028-03-29", "2028-04-29", "2028-05-29", "2028-06-29", "2028-07-29",
				"2028-08-29", "2028-09-29", "2028-10-29", "2028-11-29", "2028-12-29", "2029-01-29", "2029-02-28"),
		},
		{
			name: "31 August across the year end", start: "2026-08-31", term: 7,
			want: dueDates("2026-08-31", "2026-09-30", "2026-10-31", "2026-11-30", "2026-12-31", "2027-01-31", "2027-02-28"),
		},
		{
			name: "31 December into a leap February", start: "2027-12-31", term: 3,
			want: dueDates("2027-12-31", "2028-01-31", "2028-02-29"),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := basePlan()
			p.TermMonths = tt.term
			sub := subscribe(t, termsFor(t, "GBP", p), date(tt.start), plan.Monthly, false)
			s, err := billing.ScheduleFor(sub)
			if err != nil {
				t.Fatalf("ScheduleFor: %v", err)
			}
			got := make([]plan.Date, len(s.Installments))
			for i, in := range s.Installments {
				got[i] = in.Due
			}
			if diff := cmp.Diff(tt.want, got, cmpOpts); diff != "" {
				t.Errorf("due dates (-want +got):\n%s", diff)
			}
		})
	}
}

// TestScheduleMonthEnds checks every start date from 2024 to 2030 against
// every term of 1..120 months. The due dates of a term are the first
// termMonths of the 120 that start.AddMonths gives, so they are built once
// per start and each is checked against a clamp worked out independently
// with package time; ScheduleFor itself runs for every start on the longest
// term, and for every term on a sample of starts (month ends, the 1st and
// every 17th day): all 307 000 combinations take about 1.8 s, the sample
// about 0.4 s.
func TestScheduleMonthEnds(t *testing.T) {
	const maxTerm = plan.MaxTermMonths
	terms := make([]*plan.Terms, maxTerm+1)
	for n := 1; n <= maxTerm; n++ {
		p := basePlan()
		p.TermMonths = n
		terms[n] = termsFor(t, "GBP", p)
	}
	var due [maxTerm]plan.Date
	first, last := date("2024-01-01"), date("2030-12-31")
	for start := first; !start.After(last); start = start.AddDays(1) {
		y, m, day := start.Date()
		for i := range due {
			due[i] = start.AddMonths(i)
		}
		for i, d := range due {
			dy, dm, dd := d.Date()
			wantY, wantM := y+(int(m)-1+i)/12, time.Month((int(m)-1+i)%12+1)
			if dy != wantY || dm != wantM {
				t.Fatalf("start %s: installment %d due %s, want it in %04d-%02d", start, i, d, wantY, int(wantM))
			}
			if want := min(day, daysIn(wantY, wantM)); dd != want {
				t.Fatalf("start %s: installment %d due %s, want day %d (the start's day clamped to the month)", start, i, d, want)
			}
			if i > 0 {
				if !d.After(due[i-1]) {
					t.Fatalf("start %s: installment %d due %s, not after installment %d due %s", start, i, d, i-1, due[i-1])
				}
				if monthIndex(d) == monthIndex(due[i-1]) {
					t.Fatalf("start %s: installments %d and %d share the month of %s", start, i-1, i, d)
				}
			}
		}
		// Every term n: its installments are due[:n], and the last one
		// falls inside the term, which ends the day before due n would.
		for n := 1; n <= maxTerm; n++ {
			end := start.AddMonths(n).AddDays(-1)
			if due[n-1].After(end) {
				t.Fatalf("start %s, term %d: last installment %s after the term's end %s", start, n, due[n-1], end)
			}
		}

		sample := day == 1 || day >= 28 || start.Sub(first)%17 == 0
		for n := 1; n <= maxTerm; n++ {
			if n != maxTerm && !sample {
				continue
			}
			sub := &plan.Subscription{ID: "S", Start: start, Terms: terms[n]}
			s, err := billing.ScheduleFor(sub)
			if err != nil {
				t.Fatalf("ScheduleFor(start %s, term %d): %v", start, n, err)
			}
			if len(s.Installments) != n {
				t.Fatalf("start %s, term %d: %d installments", start, n, len(s.Installments))
			}
			for i, in := range s.Installments {
				if in.Number != i || in.Due != due[i] {
					t.Fatalf("start %s, term %d: installment %d is #%d due %s, want #%d due %s", start, n, i, in.Number, in.Due, i, due[i])
				}
			}
			if got, want := sub.End(), start.AddMonths(n).AddDays(-1); got != want {
				t.Fatalf("start %s, term %d: End %s, want %s", start, n, got, want)
			}
		}
	}
}

func TestScheduleDueBy(t *testing.T) {
	sub := subscribe(t, termsFor(t, "GBP", basePlan()), date("2026-01-31"), plan.Monthly, false)
	s, err := billing.ScheduleFor(sub)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, date, want string
	}{
		{"before the start", "2026-01-30", "0"},
		{"on the start", "2026-01-31", "20.00"},
		{"the day before a clamped due date", "2026-02-27", "20.00"},
		{"on a clamped due date", "2026-02-28", "35.00"},
		{"on the 31st of March", "2026-03-31", "50.00"},
		{"last installment", "2026-12-31", "185.00"},
		{"long after", "2030-01-01", "185.00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.DueBy(date(tt.date)); !got.Equal(dec(tt.want)) {
				t.Errorf("DueBy(%s) = %s, want %s", tt.date, got, tt.want)
			}
		})
	}
}

func TestScheduleForRefusesInvalidSubscription(t *testing.T) {
	terms := termsFor(t, "GBP", basePlan())
	tests := []struct {
		name string
		sub  *plan.Subscription
	}{
		{"nil", nil},
		{"no terms", &plan.Subscription{ID: "S", Start: date("2026-01-01")}},
		{"no start", &plan.Subscription{ID: "S", Terms: terms}},
		{"no id", &plan.Subscription{Start: date("2026-01-01"), Terms: terms}},
		{"unknown payment option", &plan.Subscription{ID: "S", Start: date("2026-01-01"), Terms: terms, Payment: plan.Advance + 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if s, err := billing.ScheduleFor(tt.sub); err == nil {
				t.Errorf("ScheduleFor = %d installments, want an error", len(s.Installments))
			}
		})
	}
}

func TestSplit(t *testing.T) {
	tests := []struct {
		name  string
		cur   string
		total string
		n     int
		want  []string
	}{
		{"100.00 in 3", "GBP", "100.00", 3, []string{"33.34", "33.33", "33.33"}},
		{"0.02 in 3", "GBP", "0.02", 3, []string{"0.01", "0.01", "0.00"}},
		{"185.00 in 12", "GBP", "185.00", 12, []string{"15.42", "15.42", "15.42", "15.42", "15.42", "15.42", "15.42", "15.42", "15.41", "15.41", "15.41", "15.41"}},
		{"exact", "GBP", "180", 12, []string{"15", "15", "15", "15", "15", "15", "15", "15", "15", "15", "15", "15"}},
		{"one part", "GBP", "12.34", 1, []string{"12.34"}},
		{"trailing zeros beyond the currency's places", "GBP", "100.0000", 3, []string{"33.34", "33.33", "33.33"}},
		{"zero", "GBP", "0", 3, []string{"0", "0", "0"}},
		{"fewer units than parts", "GBP", "0.03", 5, []string{"0.01", "0.01", "0.01", "0", "0"}},
		{"JPY 100 in 7", "JPY", "100", 7, []string{"15", "15", "14", "14", "14", "14", "14"}},
		{"KWD 1.000 in 3", "KWD", "1.000", 3, []string{"0.334", "0.333", "0.333"}},
		{"KWD 10.001 in 4", "KWD", "10.001", 4, []string{"2.501", "2.500", "2.500", "2.500"}},
		{"largest amount", "GBP", "999999999999.99", 7, []string{
			"142857142857.15", "142857142857.14", "142857142857.14", "142857142857.14",
			"142857142857.14", "142857142857.14", "142857142857.14"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cur := plan.MustCurrency(tt.cur)
			got, err := billing.Split(dec(tt.total), tt.n, cur)
			if err != nil {
				t.Fatalf("Split(%s, %d, %s): %v", tt.total, tt.n, tt.cur, err)
			}
			want := make([]decimal.Decimal, len(tt.want))
			for i, s := range tt.want {
				want[i] = dec(s)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Split(%s, %d, %s) (-want +got):\n%s", tt.total, tt.n, tt.cur, diff)
			}
			var sum decimal.Decimal
			for _, p := range got {
				sum = sum.Add(p)
			}
			if !sum.Equal(dec(tt.total)) {
				t.Errorf("parts add up to %s, want %s", sum, tt.total)
			}
		})
	}
}

func TestSplitRefuses(t *testing.T) {
	gbp := plan.MustCurrency("GBP")
	tests := []struct {
		name  string
		total string
		n     int
		cur   plan.Currency
	}{
		{"zero parts", "100.00", 0, gbp},
		{"negative parts", "100.00", -1, gbp},
		{"negative total", "-0.01", 3, gbp},
		{"more places than the currency", "100.001", 3, gbp},
		{"JPY with a fraction", "100.5", 3, plan.MustCurrency("JPY")},
		{"KWD with four places", "1.0001", 3, plan.MustCurrency("KWD")},
		{"zero currency", "100.00", 3, plan.Currency{}},
		{"beyond the amount bound", "1000000000000", 3, gbp},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := billing.Split(dec(tt.total), tt.n, tt.cur)
			if err == nil {
				t.Fatalf("Split(%s, %d, %q) = %v, want an error", tt.total, tt.n, tt.cur, got)
			}
			if !errors.Is(err, billing.ErrSplit) {
				t.Errorf("Split(%s, %d, %q) error %q does not wrap ErrSplit", tt.total, tt.n, tt.cur, err)
			}
			if got != nil {
				t.Errorf("Split returned parts %v with its error", got)
			}
		})
	}
}
