package billing_test

import (
	"fmt"
	"math"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// The generators below build valid inputs directly: amounts within
// 0 <= x < 10^12 with at most six places, terms 1..120, percentages
// 0..100, dates from 2024 to 2030.

var currencyGen = rapid.SampledFrom([]string{"GBP", "EUR", "USD", "CHF", "JPY", "ISK", "KWD", "BHD", "OMR"})

// amountGen draws an amount of up to maxMinor minor units of a currency
// with places decimal places; now and then it carries extra places
// (up to the six the library accepts) to exercise rounding.
func amountGen(places int32, maxMinor int64) *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		extra := int32(0)
		if places < plan.MaxPlaces && rapid.IntRange(0, 3).Draw(t, "subMinor") == 0 {
			extra = int32(rapid.IntRange(1, int(plan.MaxPlaces-places)).Draw(t, "extraPlaces"))
		}
		scale := decimal.New(1, extra).IntPart()
		units := rapid.Int64Range(0, maxMinor*scale).Draw(t, "units")
		return decimal.New(units, -(places + extra))
	})
}

// percentGen draws 0..100 with up to six places.
var percentGen = rapid.Custom(func(t *rapid.T) decimal.Decimal {
	if rapid.Bool().Draw(t, "wholePercent") {
		return decimal.New(rapid.Int64Range(0, 100).Draw(t, "percent"), 0)
	}
	return decimal.New(rapid.Int64Range(0, 100_000_000).Draw(t, "percentMicro"), -6)
})

// planGen draws a plan priced in a currency with places decimal places.
func planGen(places int32) *rapid.Generator[plan.Plan] {
	// Fees up to 1000 major units (1 000 000 for zero-place currencies).
	maxMinor := int64(100_000)
	if places == 0 {
		maxMinor = 1_000_000
	}
	return rapid.Custom(func(t *rapid.T) plan.Plan {
		p := plan.Plan{
			ID:                   "p",
			Species:              "dog",
			TermMonths:           rapid.IntRange(1, plan.MaxTermMonths).Draw(t, "termMonths"),
			MonthlyFee:           amountGen(places, maxMinor).Draw(t, "monthlyFee"),
			Rounding:             rapid.SampledFrom([]plan.Rounding{plan.HalfUp, plan.HalfEven}).Draw(t, "rounding"),
			SuspendAfterFailures: rapid.IntRange(0, 4).Draw(t, "suspendAfterFailures"),
		}
		if rapid.Bool().Draw(t, "hasJoiningFee") {
			p.JoiningFee = amountGen(places, maxMinor).Draw(t, "joiningFee")
		}
		if rapid.Bool().Draw(t, "hasAdvancePrice") {
			p.AdvancePrice = decimal.NewNullDecimal(amountGen(places, maxMinor*120).Draw(t, "advancePrice"))
		}
		switch rapid.IntRange(0, 2).Draw(t, "multiPetKind") {
		case 1:
			// Up to 1.5 times the largest fee, so that it sometimes
			// exceeds the fee.
			p.MultiPetDiscount = plan.AmountOff(amountGen(places, maxMinor*3/2).Draw(t, "multiPetAmount"))
		case 2:
			p.MultiPetDiscount = plan.PercentOff(percentGen.Draw(t, "multiPetPercent"))
		}
		return p
	})
}

var (
	firstStart = date("2024-01-01")
	startGen   = rapid.Custom(func(t *rapid.T) plan.Date {
		return firstStart.AddDays(rapid.IntRange(0, date("2030-12-31").Sub(firstStart)).Draw(t, "startOffset"))
	})
	paymentOptionGen = rapid.SampledFrom([]plan.PaymentOption{plan.Monthly, plan.Auto, plan.External, plan.Manual, plan.Advance})
)

// contract is a subscription drawn at random with the schedule SPEC.md
// section 5 gives it, worked out here without package billing.
type contract struct {
	sub     *plan.Subscription
	places  int32
	due     []plan.Date
	amounts []decimal.Decimal
}

func drawContract(t *rapid.T) contract {
	cur := plan.MustCurrency(currencyGen.Draw(t, "currency"))
	p := planGen(cur.MinorUnits()).Draw(t, "plan")
	sub := subscribe(t, termsFor(t, cur.Code(), p), startGen.Draw(t, "start"), paymentOptionGen.Draw(t, "payment"), rapid.Bool().Draw(t, "multiPet"))
	c := contract{sub: sub, places: cur.MinorUnits()}
	round := func(d decimal.Decimal) decimal.Decimal {
		if p.Rounding == plan.HalfEven {
			return d.RoundBank(c.places)
		}
		return d.Round(c.places)
	}
	joining := round(p.JoiningFee)
	if sub.Payment == plan.Advance {
		price := p.MonthlyFee.Mul(decimal.New(int64(p.TermMonths), 0))
		if p.AdvancePrice.Valid {
			price = p.AdvancePrice.Decimal
		}
		c.due = []plan.Date{sub.Start}
		c.amounts = []decimal.Decimal{round(price).Add(joining)}
		return c
	}
	// The multi-pet discount is rounded on its own, then subtracted.
	net := p.MonthlyFee
	if sub.MultiPet {
		if pct, ok := p.MultiPetDiscount.Percent(); ok {
			net = net.Sub(round(p.MonthlyFee.Mul(pct).Shift(-2)))
		} else if a, ok := p.MultiPetDiscount.Amount(); ok {
			net = net.Sub(round(a))
		}
	}
	each := round(net)
	if each.IsNegative() {
		each = decimal.Decimal{}
	}
	for i := 0; i < p.TermMonths; i++ {
		amt := each
		if i == 0 {
			amt = amt.Add(joining)
		}
		c.due = append(c.due, sub.Start.AddMonths(i))
		c.amounts = append(c.amounts, amt)
	}
	return c
}

func TestPropertyScheduleAddsUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := drawContract(t)
		s, err := billing.ScheduleFor(c.sub)
		if err != nil {
			t.Fatalf("ScheduleFor: %v", err)
		}
		var sum, wantTotal decimal.Decimal
		for _, in := range s.Installments {
			sum = sum.Add(in.Amount)
		}
		for _, a := range c.amounts {
			wantTotal = wantTotal.Add(a)
		}
		if !sum.Equal(s.Total) {
			t.Fatalf("installments add up to %s, Total is %s", sum, s.Total)
		}
		if !s.Total.Equal(wantTotal) {
			t.Fatalf("Total = %s, want %s", s.Total, wantTotal)
		}
		if len(s.Installments) != len(c.amounts) {
			t.Fatalf("%d installments, want %d", len(s.Installments), len(c.amounts))
		}
		for i, in := range s.Installments {
			if in.Number != i || in.Due != c.due[i] || !in.Amount.Equal(c.amounts[i]) {
				t.Fatalf("installment %d = #%d %s %s, want #%d %s %s", i, in.Number, in.Due, in.Amount, i, c.due[i], c.amounts[i])
			}
			if in.Amount.IsNegative() || !in.Amount.Equal(in.Amount.Truncate(c.places)) {
				t.Fatalf("installment %d amount %s is negative or not in minor units", i, in.Amount)
			}
		}
	})
}

func TestPropertySplit(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := plan.MustCurrency(currencyGen.Draw(t, "currency"))
		places := cur.MinorUnits()
		maxUnits := decimal.New(1, 12+places).IntPart() - 1 // below 10^12
		if rapid.IntRange(0, 3).Draw(t, "small") > 0 {
			maxUnits = 100_000
		}
		total := decimal.New(rapid.Int64Range(0, maxUnits).Draw(t, "totalUnits"), -places)
		n := rapid.IntRange(1, 3*plan.MaxTermMonths).Draw(t, "n")
		parts, err := billing.Split(total, n, cur)
		if err != nil {
			t.Fatalf("Split(%s, %d, %s): %v", total, n, cur, err)
		}
		if len(parts) != n {
			t.Fatalf("Split(%s, %d, %s) gave %d parts", total, n, cur, len(parts))
		}
		unit := decimal.New(1, -places)
		var sum decimal.Decimal
		for i, p := range parts {
			sum = sum.Add(p)
			if p.IsNegative() || !p.Equal(p.Truncate(places)) {
				t.Fatalf("part %d = %s is negative or not in minor units of %s", i, p, cur)
			}
			if d := parts[0].Sub(p); d.IsNegative() || d.GreaterThan(unit) {
				t.Fatalf("part %d = %s; the first is %s: parts must differ by at most %s, the larger first", i, p, parts[0], unit)
			}
			if i > 0 && p.GreaterThan(parts[i-1]) {
				t.Fatalf("part %d = %s is larger than part %d = %s: the remainder goes to the first parts", i, p, i-1, parts[i-1])
			}
		}
		if !sum.Equal(total) {
			t.Fatalf("Split(%s, %d, %s) parts add up to %s", total, n, cur, sum)
		}
	})
}

// accountModel is an obviously-correct model of SPEC.md section 5 for one
// subscription: what is due (less installments after a termination), what
// is paid, and the suspension rule, recomputed from scratch over the
// payments in the order they were recorded.
type accountModel struct {
	c           contract
	n           int
	payments    []billing.Payment
	termination *plan.Termination
}

func (m *accountModel) dueBy(d plan.Date) decimal.Decimal {
	if m.termination != nil && m.termination.Date.Before(d) {
		d = m.termination.Date
	}
	var sum decimal.Decimal
	for i, due := range m.c.due {
		if due.Compare(d) <= 0 {
			sum = sum.Add(m.c.amounts[i])
		}
	}
	return sum
}

// nextDue is the first installment due after d, unless a termination
// cancelled it; zero when none remains.
func (m *accountModel) nextDue(d plan.Date) plan.Date {
	for _, due := range m.c.due {
		if due.After(d) {
			if m.termination != nil && due.After(m.termination.Date) {
				return plan.Date{}
			}
			return due
		}
	}
	return plan.Date{}
}

func paidBy(ps []billing.Payment, d plan.Date) decimal.Decimal {
	var sum decimal.Decimal
	for _, p := range ps {
		if p.Status == billing.Taken && p.Date.Compare(d) <= 0 {
			sum = sum.Add(p.Amount)
		}
	}
	return sum
}

func (m *accountModel) arrears(d plan.Date) decimal.Decimal {
	return decimal.Max(decimal.Decimal{}, m.dueBy(d).Sub(paidBy(m.payments, d)))
}

// periods applies the rule: a counter of failures in a row, in recording
// order; the subscription is suspended from the date of the failure that
// brings the counter to n; a taken payment resets the counter and, when
// the arrears as of its date (or the suspension's first day, if the
// payment is dated before it), counting the payments recorded up to and
// including it, are zero, ends the suspension on that day. A suspension
// ended on its first day covers no day and is left out.
func (m *accountModel) periods() []plan.Period {
	if m.n == 0 {
		return nil
	}
	var (
		out       []plan.Period
		counter   int
		suspended bool
		from      plan.Date
	)
	for k, p := range m.payments {
		switch p.Status {
		case billing.Failed:
			counter++
			if counter == m.n && !suspended {
				suspended, from = true, p.Date
			}
		case billing.Taken:
			counter = 0
			on := p.Date
			if on.Before(from) {
				on = from
			}
			if suspended && m.dueBy(on).Sub(paidBy(m.payments[:k+1], on)).Sign() <= 0 {
				suspended = false
				if from.Before(on) {
					out = append(out, plan.Period{From: from, To: on})
				}
			}
		}
	}
	if suspended {
		out = append(out, plan.Period{From: from})
	}
	return out
}

// status: once terminated, cancelled (ended for expired) whatever the
// date; else by date.
func (m *accountModel) status(d plan.Date) plan.Status {
	if m.termination != nil {
		if m.termination.Reason == plan.ReasonExpired {
			return plan.Ended
		}
		return plan.Cancelled
	}
	if d.Before(m.c.sub.Start) {
		return plan.Pending
	}
	if d.After(m.c.sub.End()) {
		return plan.Ended
	}
	for _, p := range m.periods() {
		if !d.Before(p.From) && (p.To.IsZero() || d.Before(p.To)) {
			return plan.Suspended
		}
	}
	return plan.Active
}

func TestPropertyAccount(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := drawContract(t)
		sub := c.sub
		m := &accountModel{c: c, n: sub.Terms.Plan().SuspendAfterFailures}
		var a billing.Account

		// Payments are dated within the term and 40 days either side of
		// it, for up to twice the largest installment.
		lo, hi := sub.Start.AddDays(-40), sub.End().AddDays(40)
		dateGen := rapid.Custom(func(t *rapid.T) plan.Date {
			return lo.AddDays(rapid.IntRange(0, hi.Sub(lo)).Draw(t, "dayOffset"))
		})
		var maxMinor int64 = 1
		for _, amt := range c.amounts {
			if u := amt.Shift(c.places).IntPart(); u > maxMinor {
				maxMinor = u
			}
		}
		// Payments are money that changed hands: whole minor units.
		amountGen := rapid.Custom(func(t *rapid.T) decimal.Decimal {
			return decimal.New(rapid.Int64Range(0, 2*maxMinor).Draw(t, "units"), -c.places)
		})

		// Half the runs are terminated, after this many payments.
		terminateAfter := math.MaxInt
		if rapid.Bool().Draw(t, "terminates") {
			terminateAfter = rapid.IntRange(0, 40).Draw(t, "terminateAfter")
		}

		record := func(t *rapid.T, status billing.PaymentStatus) {
			p := billing.Payment{Date: dateGen.Draw(t, "date"), Amount: amountGen.Draw(t, "amount"), Status: status}
			got, err := a.Record(sub, p)
			if err != nil {
				t.Fatalf("Record(%+v): %v", p, err)
			}
			m.payments = append(m.payments, p)
			want := billing.Standing{Currency: sub.Terms.Currency(),
				Date: p.Date, Paid: paidBy(m.payments, p.Date), Due: m.dueBy(p.Date),
				Arrears: m.arrears(p.Date), NextDue: m.nextDue(p.Date), Status: m.status(p.Date),
			}
			if diff := cmp.Diff(want, got, figures); diff != "" {
				t.Fatalf("Record(%s %s on %s) after %d payments (-want +got):\n%s", status, p.Amount, p.Date, len(m.payments)-1, diff)
			}
		}
		t.Repeat(map[string]func(*rapid.T){
			"taken":  func(t *rapid.T) { record(t, billing.Taken) },
			"failed": func(t *rapid.T) { record(t, billing.Failed) },
			"terminate": func(t *rapid.T) {
				if m.termination != nil || len(m.payments) < terminateAfter {
					t.Skip("terminated already, or not yet")
				}
				term := plan.Termination{Date: sub.Start.AddDays(rapid.IntRange(0, sub.End().Sub(sub.Start)).Draw(t, "terminationOffset")),
					Reason: rapid.SampledFrom([]string{"cancelled", "deceased", "nonPayment", plan.ReasonExpired}).Draw(t, "reason")}
				if term.Reason == plan.ReasonExpired {
					term.Date = sub.End()
				}
				m.termination = &term
				sub.Termination = &plan.Termination{Date: term.Date, Reason: term.Reason}
			},
			"": func(t *rapid.T) {
				if sub.Suspensions != nil {
					t.Fatalf("sub.Suspensions %v after %d payments; Record must not write into the subscription", sub.Suspensions, len(m.payments))
				}
				fresh, err := billing.Suspensions(sub, a.Payments)
				if err != nil {
					t.Fatal(err)
				}
				if msg := sameDates(m.periods(), fresh, sub.Start.AddDays(-5), sub.End().AddDays(40)); msg != "" {
					t.Fatalf("Suspensions(sub, payments) after %d payments: %s (model %v, got %v)", len(m.payments), msg, fmtPeriods(m.periods()), fmtPeriods(fresh))
				}
				dates := []plan.Date{lo, sub.Start.AddDays(-1), sub.Start, sub.End(), sub.End().AddDays(1), hi}
				if m.termination != nil {
					dates = append(dates, m.termination.Date, m.termination.Date.AddDays(1))
				}
				if k := len(m.payments); k > 0 {
					dates = append(dates, m.payments[k-1].Date, m.payments[k-1].Date.AddDays(-1))
				}
				last := len(m.c.due) - 1
				for _, i := range []int{0, min(1, last), min(2, last), last / 2, last} {
					dates = append(dates, m.c.due[i], m.c.due[i].AddDays(-1))
				}
				dates = append(dates, dateGen.Draw(t, "checkDate"))
				for _, d := range dates {
					got, err := a.Standing(sub, d)
					if err != nil {
						t.Fatalf("Standing(%s): %v", d, err)
					}
					want := m.arrears(d)
					if !got.Arrears.Equal(want) {
						t.Fatalf("Standing(%s).Arrears = %s, want max(0, due %s − paid %s) = %s",
							d, got.Arrears, m.dueBy(d), paidBy(m.payments, d), want)
					}
					if !got.Paid.Equal(paidBy(m.payments, d)) || !got.Due.Equal(m.dueBy(d)) {
						t.Fatalf("Standing(%s) paid %s due %s, want paid %s due %s", d, got.Paid, got.Due, paidBy(m.payments, d), m.dueBy(d))
					}
					if n := m.nextDue(d); got.NextDue != n {
						t.Fatalf("Standing(%s).NextDue = %s, want %s", d, got.NextDue, n)
					}
					if s := m.status(d); got.Status != s {
						t.Fatalf("Standing(%s).Status = %v, want %v (suspensions %v)", d, got.Status, s, fmtPeriods(m.periods()))
					}
				}
			},
		})
	})
}

// sameDates checks that two lists of periods suspend the same dates from
// lo to hi, and that got is in order with no two periods overlapping or
// touching.
func sameDates(want, got []plan.Period, lo, hi plan.Date) string {
	in := func(ps []plan.Period, d plan.Date) bool {
		for _, p := range ps {
			if p.Contains(d) {
				return true
			}
		}
		return false
	}
	for d := lo; !d.After(hi); d = d.AddDays(1) {
		if in(want, d) != in(got, d) {
			return fmt.Sprintf("%s suspended %v, want %v", d, in(got, d), in(want, d))
		}
	}
	for i := 1; i < len(got); i++ {
		if got[i-1].To.IsZero() || !got[i].From.After(got[i-1].To) {
			return fmt.Sprintf("periods %d and %d overlap or touch", i-1, i)
		}
	}
	return ""
}

func fmtPeriods(ps []plan.Period) string {
	s := "["
	for i, p := range ps {
		if i > 0 {
			s += " "
		}
		to := "open"
		if !p.To.IsZero() {
			to = p.To.String()
		}
		s += fmt.Sprintf("%s..%s", p.From, to)
	}
	return s + "]"
}
