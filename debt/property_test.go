package debt_test

import (
	"fmt"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

// drawAccount draws a settlement's rules and a history of visits and
// payments, and returns the account with the termination date and
// reason to settle on.
func drawAccount(t *rapid.T) (*account, plan.Date, string) {
	s := plan.Settlement{
		Method:         rapid.SampledFrom([]plan.Method{plan.CoreValue, plan.RemainingPayments, plan.LesserOf, plan.NoDebt}).Draw(t, "method"),
		Basis:          rapid.SampledFrom([]plan.Basis{plan.DiscountBasis, plan.ListBasis}).Draw(t, "basis"),
		RefundExcess:   rapid.Bool().Draw(t, "refundExcess"),
		CoolingOffDays: rapid.SampledFrom([]int{0, 0, 14}).Draw(t, "coolingOff"),
		WaiveFor:       []string{"deceased"},
	}
	if rapid.Bool().Draw(t, "fee") {
		s.CancellationFee = dec(rapid.SampledFrom([]string{"10", "25.50", "99.99"}).Draw(t, "feeAmount"))
	}
	term := rapid.IntRange(1, 12).Draw(t, "term")
	a := newAccount(t, term, s)
	for i := range rapid.IntRange(0, 6).Draw(t, "visits") {
		item := rapid.SampledFrom([]string{"VACC", "FOOD"}).Draw(t, "item")
		price := rapid.SampledFrom([]string{"9.99", "45.00", "80.00", "0.05", "120.35"}).Draw(t, "price")
		a.visit(t, fmt.Sprint("I", i), rapid.IntRange(0, 30*term).Draw(t, "day"), item, price)
	}
	for range rapid.IntRange(0, 6).Draw(t, "payments") {
		status := rapid.SampledFrom([]billing.PaymentStatus{billing.Taken, billing.Failed}).Draw(t, "status")
		a.pay(t, rapid.IntRange(-5, 30*term).Draw(t, "payday"), rapid.SampledFrom([]string{"10.00", "25.00", "0.01", "200.00"}).Draw(t, "amount"), status)
	}
	reason := rapid.SampledFrom([]string{"cancelled", "deceased", "moved", plan.ReasonExpired}).Draw(t, "reason")
	d := start.AddDays(rapid.IntRange(-3, 30*term+40).Draw(t, "termDay"))
	if reason == plan.ReasonExpired && d.Before(a.sub.End()) {
		d = a.sub.End().AddDays(rapid.IntRange(0, 10).Draw(t, "late"))
	}
	return a, d, reason
}

func settle(t *rapid.T, a *account, d plan.Date, reason string) debt.Settlement {
	s, err := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: d, Reason: reason})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSettlementProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a, d, reason := drawAccount(t)
		s := settle(t, a, d, reason)

		if s.Debt.IsNegative() || s.Refund.IsNegative() || (s.Debt.IsPositive() && s.Refund.IsPositive()) {
			t.Fatalf("debt %s and refund %s: never negative, never both positive", s.Debt, s.Refund)
		}
		if reason == "deceased" && (!s.Debt.IsZero() || !s.Fee.IsZero() || !s.Waived) {
			t.Fatalf("a waived reason owes %s with fee %s (waived %v)", s.Debt, s.Fee, s.Waived)
		}

		// A non-core line, added or reversed, never changes the settlement.
		a.visit(t, "EXTRA-FOOD", rapid.IntRange(0, 60).Draw(t, "foodDay"), "FOOD", "33.33")
		if after := settle(t, a, d, reason); fmt.Sprint(figuresOf(after)) != fmt.Sprint(figuresOf(s)) {
			t.Fatalf("a non-core line changed the settlement:\n%+v\n%+v", figuresOf(s), figuresOf(after))
		}
		if _, err := a.ledger.Reverse(a.sub, "EXTRA-FOOD", "L"); err != nil {
			t.Fatal(err)
		}
		if after := settle(t, a, d, reason); fmt.Sprint(figuresOf(after)) != fmt.Sprint(figuresOf(s)) {
			t.Fatalf("reversing a non-core line changed the settlement")
		}

		// Reversing a core line dated by the termination lowers the core
		// value by exactly that line's value on the plan's basis.
		res := a.visit(t, "EXTRA-VACC", rapid.IntRange(0, max(0, s.Day)).Draw(t, "vaccDay"), "VACC", "61.11")
		if !res.Date.After(d) && res.Lines[0].Reason == allowance.Covered {
			with := settle(t, a, d, reason)
			if _, err := a.ledger.Reverse(a.sub, "EXTRA-VACC", "L"); err != nil {
				t.Fatal(err)
			}
			without := settle(t, a, d, reason)
			sp := res.Lines[0].Splits[0]
			value := sp.Discount
			if s.Basis == plan.ListBasis {
				value = sp.ListValue
			}
			if !with.CoreValue.Sub(without.CoreValue).Equal(value) || !without.CoreValue.Equal(s.CoreValue) {
				t.Fatalf("core value %s with the line, %s without it; the line is worth %s", with.CoreValue, without.CoreValue, value)
			}
		}

		// Preview equals terminate.
		preview := settle(t, a, d, reason)
		done, err := a.terminate(debt.Notice{Date: d, Reason: reason})
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(figuresOf(preview)) != fmt.Sprint(figuresOf(done)) {
			t.Fatalf("preview %+v, terminate %+v", figuresOf(preview), figuresOf(done))
		}
	})
}

// The settlement is the same whatever shopspring's global settings.
func TestSettlementIgnoresHostGlobals(t *testing.T) {
	run := func() string {
		a := newAccount(t, 12, plan.Settlement{Basis: plan.ListBasis, CancellationFee: dec("12.345")})
		a.visit(t, "I", 5, "VACC", "33.335")
		a.pay(t, 0, "10.01", billing.Taken)
		s, err := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: start.AddDays(40), Reason: "cancelled"})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := s.MarshalJSON()
		return string(b) + s.Text()
	}
	want := run()
	saved := [...]any{decimal.DivisionPrecision, decimal.TrimTrailingZeros, decimal.UseScientificNotation}
	t.Cleanup(func() {
		decimal.DivisionPrecision = saved[0].(int)
		decimal.TrimTrailingZeros = saved[1].(bool)
		decimal.UseScientificNotation = saved[2].(bool)
	})
	decimal.DivisionPrecision, decimal.TrimTrailingZeros, decimal.UseScientificNotation = 2, false, true
	if got := run(); got != want {
		t.Errorf("with other shopspring settings:\n%s\nwant\n%s", got, want)
	}
}
