package debt_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

var start = plan.MustParseDate("2026-01-01")

var groups = []plan.Group{
	{ID: "vacc", Name: "Vaccinations", Core: true, Items: []plan.Item{{Code: "VACC"}}},
	{ID: "food", Name: "Food", Items: []plan.Item{{Code: "FOOD"}}},
}

// account is a subscription with its ledger and payments. The plan runs
// termMonths at 10.00 a month; vaccinations are 50% off (so a line's
// discount is half its list value) and food 10% off.
type account struct {
	sub     *plan.Subscription
	ledger  allowance.Ledger
	payment billing.Account
}

type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func newAccount(t tb, termMonths int, s plan.Settlement) *account {
	t.Helper()
	p := plan.Plan{ID: "p", Species: "dog", TermMonths: termMonths, MonthlyFee: dec("10.00"), Settlement: s,
		Rules: []plan.Rule{
			{ID: "vacc", Group: "vacc", Discount: plan.PercentOff(dec("50")), Allowed: plan.Unlimited(), EndDay: 36600},
			{ID: "food", Group: "food", Discount: plan.PercentOff(dec("10")), Allowed: plan.Unlimited(), EndDay: 36600},
		}}
	terms, err := plan.NewTerms(plan.MustCurrency("GBP"), groups, p)
	if err != nil {
		t.Fatal(err)
	}
	a := &account{}
	if a.sub, err = terms.Subscribe(plan.Enrollment{ID: "S1", Client: "C1", Start: start}); err != nil {
		t.Fatal(err)
	}
	return a
}

// terminate settles the account as n says and, as its owner, records the
// termination on the subscription.
func (a *account) terminate(n debt.Notice) (debt.Settlement, error) {
	s, term, err := debt.Terminate(a.sub, &a.ledger, &a.payment, n)
	if err == nil {
		a.sub.Termination = &term
	}
	return s, err
}

func (a *account) visit(t tb, invoice string, day int, item, price string) allowance.Result {
	t.Helper()
	res, err := a.ledger.Commit(a.sub, allowance.Visit{Invoice: invoice, Date: start.AddDays(day),
		Lines: []allowance.Line{{ID: "L", Item: item, Qty: dec("1"), UnitPrice: dec(price)}}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (a *account) pay(t tb, day int, amount string, status billing.PaymentStatus) {
	t.Helper()
	if _, err := a.payment.Record(a.sub, billing.Payment{Date: start.AddDays(day), Amount: dec(amount), Status: status}); err != nil {
		t.Fatal(err)
	}
}

// figures is a settlement's numbers as strings, for comparing.
type figures struct {
	Method                                                     string
	CoreValue, Paid, Total, Remaining, Fee, Owed, Debt, Refund string
	Waived, CoolingOff                                         bool
}

func figuresOf(s debt.Settlement) figures {
	f := func(d decimal.Decimal) string { return d.StringFixed(2) }
	return figures{s.Method.String(), f(s.CoreValue), f(s.Paid), f(s.ContractTotal), f(s.Remaining), f(s.Fee), f(s.Owed),
		f(s.Debt), f(s.Refund), s.Waived, s.CoolingOff}
}

// TestSettlementRules has one case per distinction the settlement rules
// make. Unless a case says otherwise the account is a 12-month plan
// (F = 120.00) with one vaccination of list price 80.00 taken on day 5
// (discount 40.00: V = 40.00 on the discount basis, 80.00 on the list
// basis), a food line that never counts, and payments on day 0.
func TestSettlementRules(t *testing.T) {
	cases := []struct {
		name   string
		rules  plan.Settlement
		term   int
		paid   string
		day    int
		reason string
		want   figures
	}{
		{"coreValue owes V - P", plan.Settlement{}, 12, "30.00", 60, "cancelled",
			figures{"coreValue", "40.00", "30.00", "120.00", "90.00", "0.00", "10.00", "10.00", "0.00", false, false}},
		{"coreValue on the list basis", plan.Settlement{Basis: plan.ListBasis}, 12, "30.00", 60, "cancelled",
			figures{"coreValue", "80.00", "30.00", "120.00", "90.00", "0.00", "50.00", "50.00", "0.00", false, false}},
		{"remainingPayments owes R", plan.Settlement{Method: plan.RemainingPayments}, 12, "30.00", 60, "cancelled",
			figures{"remainingPayments", "40.00", "30.00", "120.00", "90.00", "0.00", "90.00", "90.00", "0.00", false, false}},
		{"lesserOf takes V - P when smaller", plan.Settlement{Method: plan.LesserOf}, 12, "30.00", 60, "cancelled",
			figures{"lesserOf", "40.00", "30.00", "120.00", "90.00", "0.00", "10.00", "10.00", "0.00", false, false}},
		{"lesserOf takes R when smaller", plan.Settlement{Method: plan.LesserOf, Basis: plan.ListBasis}, 1, "5.00", 20, "cancelled",
			figures{"lesserOf", "80.00", "5.00", "10.00", "5.00", "0.00", "5.00", "5.00", "0.00", false, false}},
		{"none owes nothing", plan.Settlement{Method: plan.NoDebt}, 12, "30.00", 60, "cancelled",
			figures{"none", "40.00", "30.00", "120.00", "90.00", "0.00", "0.00", "0.00", "0.00", false, false}},
		{"none still charges the fee", plan.Settlement{Method: plan.NoDebt, CancellationFee: dec("15.00")}, 12, "30.00", 60, "cancelled",
			figures{"none", "40.00", "30.00", "120.00", "90.00", "15.00", "0.00", "15.00", "0.00", false, false}},
		{"the fee is added to what is owed", plan.Settlement{CancellationFee: dec("25.00")}, 12, "30.00", 60, "cancelled",
			figures{"coreValue", "40.00", "30.00", "120.00", "90.00", "25.00", "10.00", "35.00", "0.00", false, false}},
		{"an excess is not refunded by default", plan.Settlement{}, 12, "100.00", 60, "cancelled",
			figures{"coreValue", "40.00", "100.00", "120.00", "20.00", "0.00", "-60.00", "0.00", "0.00", false, false}},
		{"refundExcess refunds it", plan.Settlement{RefundExcess: true}, 12, "100.00", 60, "cancelled",
			figures{"coreValue", "40.00", "100.00", "120.00", "20.00", "0.00", "-60.00", "0.00", "60.00", false, false}},
		{"the fee comes off a refund", plan.Settlement{RefundExcess: true, CancellationFee: dec("25.00")}, 12, "100.00", 60, "cancelled",
			figures{"coreValue", "40.00", "100.00", "120.00", "20.00", "25.00", "-60.00", "0.00", "35.00", false, false}},
		{"a waived reason owes nothing and pays no fee", plan.Settlement{Method: plan.LesserOf, CancellationFee: dec("25.00"), WaiveFor: []string{"deceased"}}, 12, "30.00", 60, "deceased",
			figures{"lesserOf", "40.00", "30.00", "120.00", "90.00", "0.00", "10.00", "0.00", "0.00", true, false}},
		{"a reason not waived pays", plan.Settlement{Method: plan.LesserOf, CancellationFee: dec("25.00"), WaiveFor: []string{"deceased"}}, 12, "30.00", 60, "moved",
			figures{"lesserOf", "40.00", "30.00", "120.00", "90.00", "25.00", "10.00", "35.00", "0.00", false, false}},
		{"a waiver still refunds an excess", plan.Settlement{RefundExcess: true, CancellationFee: dec("25.00"), WaiveFor: []string{"deceased"}}, 12, "100.00", 60, "deceased",
			figures{"coreValue", "40.00", "100.00", "120.00", "20.00", "0.00", "-60.00", "0.00", "60.00", true, false}},
		{"cooling-off: coreValue, no fee", plan.Settlement{Method: plan.RemainingPayments, CancellationFee: dec("25.00"), CoolingOffDays: 14}, 12, "30.00", 14, "cancelled",
			figures{"coreValue", "40.00", "30.00", "120.00", "90.00", "0.00", "10.00", "10.00", "0.00", false, true}},
		{"cooling-off refunds the excess without refundExcess", plan.Settlement{CancellationFee: dec("25.00"), CoolingOffDays: 14}, 12, "100.00", 14, "cancelled",
			figures{"coreValue", "40.00", "100.00", "120.00", "20.00", "0.00", "-60.00", "0.00", "60.00", false, true}},
		{"the day after cooling-off", plan.Settlement{Method: plan.RemainingPayments, CancellationFee: dec("25.00"), CoolingOffDays: 14}, 12, "30.00", 15, "cancelled",
			figures{"remainingPayments", "40.00", "30.00", "120.00", "90.00", "25.00", "90.00", "115.00", "0.00", false, false}},
		{"no cooling-off when not set, even on day 5", plan.Settlement{CancellationFee: dec("25.00")}, 12, "30.00", 5, "cancelled",
			figures{"coreValue", "40.00", "30.00", "120.00", "90.00", "25.00", "10.00", "35.00", "0.00", false, false}},
		{"no cooling-off on day 0 when not set", plan.Settlement{Method: plan.RemainingPayments, CancellationFee: dec("25.00")}, 12, "30.00", 0, "cancelled",
			figures{"remainingPayments", "0.00", "30.00", "120.00", "90.00", "25.00", "90.00", "115.00", "0.00", false, false}},
		{"one cooling-off day applies on day 1", plan.Settlement{Method: plan.RemainingPayments, CancellationFee: dec("25.00"), CoolingOffDays: 1}, 12, "30.00", 1, "cancelled",
			figures{"coreValue", "0.00", "30.00", "120.00", "90.00", "0.00", "-30.00", "0.00", "30.00", false, true}},
		{"a waiver applies within cooling-off too", plan.Settlement{CoolingOffDays: 14, WaiveFor: []string{"deceased"}}, 12, "30.00", 10, "deceased",
			figures{"coreValue", "40.00", "30.00", "120.00", "90.00", "0.00", "10.00", "0.00", "0.00", true, true}},
		{"expired owes what is unpaid, no fee", plan.Settlement{Method: plan.CoreValue, CancellationFee: dec("25.00"), RefundExcess: true}, 12, "30.00", 364, "expired",
			figures{"remainingPayments", "40.00", "30.00", "120.00", "90.00", "0.00", "90.00", "90.00", "0.00", false, false}},
		{"expired refunds nothing", plan.Settlement{RefundExcess: true}, 12, "150.00", 364, "expired",
			figures{"remainingPayments", "40.00", "150.00", "120.00", "0.00", "0.00", "0.00", "0.00", "0.00", false, false}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := newAccount(t, c.term, c.rules)
			a.visit(t, "I1", 5, "VACC", "80.00")
			a.visit(t, "I2", 5, "FOOD", "50.00")
			a.pay(t, 0, c.paid, billing.Taken)
			a.pay(t, 0, "10.00", billing.Failed)
			d := start.AddDays(c.day)
			preview, err := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: d, Reason: c.reason})
			if err != nil {
				t.Fatal(err)
			}
			got, err := a.terminate(debt.Notice{Date: d, Reason: c.reason})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, figuresOf(got)); diff != "" {
				t.Errorf("settlement (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(figuresOf(preview), figuresOf(got)); diff != "" {
				t.Errorf("preview and termination differ (-preview +terminate):\n%s", diff)
			}
		})
	}
}

func TestSettlementCountsOnlyWhatIsDatedByTheTermination(t *testing.T) {
	a := newAccount(t, 12, plan.Settlement{})
	a.visit(t, "BEFORE", 10, "VACC", "80.00")
	a.visit(t, "ON", 20, "VACC", "20.00")
	a.visit(t, "AFTER", 21, "VACC", "60.00")
	a.visit(t, "REVERSED", 5, "VACC", "100.00")
	if _, err := a.ledger.Reverse(a.sub, "REVERSED", "L"); err != nil {
		t.Fatal(err)
	}
	a.pay(t, 20, "10.00", billing.Taken)
	a.pay(t, 21, "10.00", billing.Taken)
	s, err := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: start.AddDays(20), Reason: "cancelled"})
	if err != nil {
		t.Fatal(err)
	}
	if got := figuresOf(s); got.CoreValue != "50.00" || got.Paid != "10.00" {
		t.Errorf("core value %s, paid %s; want 50.00 (40.00 + 10.00) and 10.00", got.CoreValue, got.Paid)
	}
	if len(s.Core) != 1 || len(s.Core[0].Redemptions) != 2 || s.Core[0].Group != "vacc" {
		t.Errorf("itemised core: %+v; want the two vaccinations dated by day 20", s.Core)
	}
}

func TestTerminationRefusals(t *testing.T) {
	a := newAccount(t, 12, plan.Settlement{})
	end := a.sub.End()
	if _, err := a.terminate(debt.Notice{Date: end.AddDays(-1), Reason: plan.ReasonExpired}); !errors.Is(err, debt.ErrNotExpired) {
		t.Errorf("expired before the term's last day: %v; want ErrNotExpired", err)
	}
	if a.sub.Termination != nil {
		t.Fatal("a refused termination was recorded")
	}
	for _, c := range []struct {
		date   plan.Date
		reason string
	}{{plan.Date{}, "cancelled"}, {end, ""}} {
		if _, err := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: c.date, Reason: c.reason}); len(plan.Problems(err)) == 0 {
			t.Errorf("settle on %v for %q: %v; want a validation error", c.date, c.reason, err)
		}
	}
	if _, err := a.terminate(debt.Notice{Date: end, Reason: plan.ReasonExpired}); err != nil {
		t.Fatal(err)
	}
	n := debt.Notice{Date: end, Reason: "cancelled"}
	if _, err := debt.Settle(a.sub, &a.ledger, &a.payment, n); !errors.Is(err, debt.ErrTerminated) {
		t.Errorf("settle after termination: %v; want ErrTerminated", err)
	}
	if _, _, err := debt.Terminate(a.sub, &a.ledger, &a.payment, n); !errors.Is(err, debt.ErrTerminated) {
		t.Errorf("terminate after termination: %v; want ErrTerminated", err)
	}
}

// Terminate returns the termination for its owner to record; it never
// writes into the subscription it is handed.
func TestTerminateChangesNothingItIsHanded(t *testing.T) {
	a := newAccount(t, 12, plan.Settlement{})
	a.visit(t, "I1", 5, "VACC", "80.00")
	a.pay(t, 0, "10.00", billing.Taken)
	before, _ := a.sub.Enrollment().MarshalJSON()
	ledger, _ := a.ledger.MarshalJSON()
	payments := len(a.payment.Payments)
	s, term, err := debt.Terminate(a.sub, &a.ledger, &a.payment, debt.Notice{Date: start.AddDays(20), Reason: "moved"})
	if err != nil {
		t.Fatal(err)
	}
	if term != (plan.Termination{Date: start.AddDays(20), Reason: "moved"}) || s.Reason != "moved" {
		t.Errorf("termination %+v, settlement reason %q; want 20 days in, moved", term, s.Reason)
	}
	after, _ := a.sub.Enrollment().MarshalJSON()
	ledgerAfter, _ := a.ledger.MarshalJSON()
	if a.sub.Termination != nil || a.sub.Suspensions != nil || string(before) != string(after) ||
		string(ledger) != string(ledgerAfter) || len(a.payment.Payments) != payments {
		t.Errorf("Terminate changed what it was handed")
	}
}

func TestAfterTermination(t *testing.T) {
	a := newAccount(t, 12, plan.Settlement{})
	for m := 0; m < 3; m++ {
		a.pay(t, m*31, "10.00", billing.Taken)
	}
	if _, err := a.terminate(debt.Notice{Date: start.AddDays(70), Reason: "cancelled"}); err != nil {
		t.Fatal(err)
	}
	res := a.visit(t, "LATE", 80, "VACC", "80.00")
	if lr := res.Lines[0]; !lr.Discount.IsZero() || lr.Reason != allowance.Terminated {
		t.Errorf("a visit after termination: discount %s, reason %v; want none, terminated", lr.Discount, lr.Reason)
	}
	st, err := a.payment.Standing(a.sub, start.AddDays(200))
	if err != nil {
		t.Fatal(err)
	}
	// Three installments fell due by day 70 (days 0, 31, 59); the rest are
	// cancelled.
	if st.Due.StringFixed(2) != "30.00" || !st.Arrears.IsZero() || st.Status != plan.Cancelled || !st.NextDue.IsZero() {
		t.Errorf("standing after termination: due %s arrears %s status %v next %v; want 30.00, 0, cancelled, none",
			st.Due, st.Arrears, st.Status, st.NextDue)
	}
	sched, _ := billing.ScheduleFor(a.sub)
	if len(sched.Installments) != 12 {
		t.Errorf("the schedule as signed has %d installments; want 12", len(sched.Installments))
	}
}

// TestPrintedSettlement pins the lines of the printed settlement and its
// JSON that each distinction of the rules makes. The account is a
// 12-month plan with one vaccination of list price 80.00 on day 5 (40.00
// off) and pay paid on day 0.
func TestPrintedSettlement(t *testing.T) {
	cases := []struct {
		name       string
		rules      plan.Settlement
		pay        string
		n          debt.Notice // dated day
		day        int
		text, json []string
		not        []string // in neither
	}{
		{"the list basis rows print the list value", plan.Settlement{Basis: plan.ListBasis}, "30.00", debt.Notice{Reason: "cancelled"}, 60,
			[]string{"Core treatments used (valued at the list price)\n  Vaccinations\n",
				"    2026-01-06  I1/L  1 × VACC                             80.00\n    subtotal                                               80.00\n",
				"Core value (V)                                             80.00\n",
				"Method: coreValue\n  value of core treatments used, less payments (V - P)\nOwed                                                       50.00\n"},
			[]string{`"method":"coreValue","coreValue":"80.00","paid":"30.00","contractTotal":"120.00","remaining":"90.00","fee":"0.00","owed":"50.00","debt":"50.00","refund":"0.00","waived":false,"basis":"list","coolingOff":false`,
				`"discount":"40.00","listValue":"80.00","counts":"80.00"`},
			[]string{"cooling-off", "ran its course", "Waived", "repayment", "Repaid", "override"}},
		{"within the cooling-off days", plan.Settlement{Method: plan.RemainingPayments, CancellationFee: dec("25.00"), CoolingOffDays: 14}, "30.00", debt.Notice{Reason: "cancelled"}, 10,
			[]string{"Method: coreValue, within the cooling-off period\n  value of core treatments used, less payments (V - P)\n",
				"Cancellation fee                                            0.00\n", "DEBT                                                       10.00\n"},
			[]string{`"method":"coreValue"`, `"fee":"0.00","owed":"10.00","debt":"10.00"`, `"coolingOff":true`},
			[]string{"ran its course", "remainingPayments"}},
		{"an expired term", plan.Settlement{CancellationFee: dec("25.00")}, "30.00", debt.Notice{Reason: plan.ReasonExpired}, 364,
			[]string{"Ended 2026-12-31 (expired), day 364 of the term\n",
				"Method: remainingPayments, the term ran its course\n  what is unpaid of the contract total (R)\nOwed                                                       90.00\n"},
			[]string{`"reason":"expired","day":364,"method":"remainingPayments"`, `"fee":"0.00","owed":"90.00","debt":"90.00"`},
			[]string{"cooling-off", "Waived"}},
		{"a waived reason", plan.Settlement{Method: plan.LesserOf, CancellationFee: dec("25.00"), WaiveFor: []string{"deceased"}}, "30.00", debt.Notice{Reason: "deceased"}, 60,
			[]string{"Method: lesserOf\n  the lesser of V - P and R\nOwed                                                       10.00\nCancellation fee                                            0.00\n" +
				"Waived: nothing is owed when a plan ends for reason \"deceased\"\n", "DEBT                                                        0.00\n"},
			[]string{`"method":"lesserOf"`, `"fee":"0.00","owed":"10.00","debt":"0.00","refund":"0.00","waived":true`},
			[]string{"cooling-off", "ran its course"}},
		{"a refund, and the method none", plan.Settlement{Method: plan.NoDebt, RefundExcess: true, CancellationFee: dec("5.00")}, "100.00", debt.Notice{Reason: "cancelled"}, 60,
			[]string{"Method: none\n  nothing owed\n", "Cancellation fee                                            5.00\n",
				"DEBT                                                        5.00\nREFUND                                                      0.00\n"},
			[]string{`"method":"none"`, `"fee":"5.00","owed":"0.00","debt":"5.00","refund":"0.00"`},
			nil},
		{"a refund of the excess", plan.Settlement{RefundExcess: true, CancellationFee: dec("5.00")}, "100.00", debt.Notice{Reason: "cancelled", RepayMonths: 2}, 60,
			[]string{"Owed                                                      -60.00\n",
				"DEBT                                                        0.00\nREFUND                                                     55.00\n"},
			[]string{`"fee":"5.00","owed":"-60.00","debt":"0.00","refund":"55.00","waived":false,"repayment":[],"basis"`},
			[]string{"Repaid"}},
		{"a repayment plan", plan.Settlement{}, "0.00", debt.Notice{Reason: "cancelled", RepayMonths: 2}, 60,
			[]string{"DEBT                                                       40.00\nREFUND                                                      0.00\n" +
				"Repaid in 2 monthly parts:\n  2026-03-02                                               20.00\n  2026-04-02                                               20.00\n"},
			[]string{`"repayment":[{"due":"2026-03-02","amount":"20.00"},{"due":"2026-04-02","amount":"20.00"}]`},
			nil},
		{"a repayment in one part", plan.Settlement{}, "0.00", debt.Notice{Reason: "cancelled", RepayMonths: 1}, 60,
			[]string{"REFUND                                                      0.00\nRepaid in 1 monthly part:\n  2026-03-02                                               40.00\n"},
			[]string{`"repayment":[{"due":"2026-03-02","amount":"40.00"}]`},
			nil},
		{"an amount agreed by hand", plan.Settlement{RefundExcess: true, CancellationFee: dec("5.00")}, "100.00",
			debt.Notice{Reason: "cancelled", Override: &debt.Override{Amount: dec("5"), Note: "agreed"}}, 60,
			[]string{"Method: coreValue\n  value of core treatments used, less payments (V - P)\nOwed                                                      -60.00\n" +
				"Cancellation fee                                            5.00\nThe plan's terms give a debt of                             0.00\n" +
				"  and a refund of                                          55.00\nAgreed by hand instead: agreed\n",
				"DEBT                                                        5.00\nREFUND                                                      0.00\n"},
			[]string{`"method":"override"`, `"fee":"0.00","owed":"-60.00","debt":"5.00","refund":"0.00","waived":false,"override":{"amount":"5.00","note":"agreed"},` +
				`"computed":{"method":"coreValue","fee":"5.00","debt":"0.00","refund":"55.00","waived":false}`},
			[]string{"Repaid", "repayment"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			a := newAccount(t, 12, c.rules)
			a.visit(t, "I1", 5, "VACC", "80.00")
			a.pay(t, 0, c.pay, billing.Taken)
			c.n.Date = start.AddDays(c.day)
			s, err := debt.Settle(a.sub, &a.ledger, &a.payment, c.n)
			if err != nil {
				t.Fatal(err)
			}
			text := s.Text()
			js, err := s.MarshalJSON()
			if err != nil {
				t.Fatal(err)
			}
			lacks(t, "the settlement", text, c.text, c.not)
			lacks(t, "the settlement's JSON", string(js), c.json, c.not)
			var w strings.Builder
			if err := s.WriteText(&w); err != nil || w.String() != text {
				t.Errorf("WriteText wrote %q, %v; want the text", w.String(), err)
			}
		})
	}
}

// TestNoticeProblemsAtOnce: every problem with a notice is reported at
// once, each at its path, and the bounds of a repayment plan are
// inclusive.
func TestNoticeProblemsAtOnce(t *testing.T) {
	a := newAccount(t, 12, plan.Settlement{})
	a.visit(t, "I1", 5, "VACC", "80.00")
	end := a.sub.End()
	for _, c := range []struct {
		name  string
		n     debt.Notice
		paths []string
	}{
		{"all of them", debt.Notice{RepayMonths: 121, Override: &debt.Override{Amount: dec("-1")}},
			[]string{"date", "reason", "repayMonths", "override.amount"}},
		{"expired early, and a negative repayment", debt.Notice{Date: end.AddDays(-1), Reason: plan.ReasonExpired, RepayMonths: -1},
			[]string{"date", "repayMonths"}},
		{"expired without a date is one problem", debt.Notice{Reason: plan.ReasonExpired}, []string{"date"}},
		{"expired on the last day, in 120 parts", debt.Notice{Date: end, Reason: plan.ReasonExpired, RepayMonths: 120}, nil},
		{"one part, and an override of zero", debt.Notice{Date: end, Reason: "cancelled", RepayMonths: 1, Override: &debt.Override{}}, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := debt.Settle(a.sub, &a.ledger, &a.payment, c.n)
			var got []string
			for _, p := range plan.Problems(err) {
				got = append(got, p.Path)
			}
			if !cmp.Equal(c.paths, got) || (c.paths == nil) != (err == nil) {
				t.Errorf("%v: problems at %q; want %q", err, got, c.paths)
			}
		})
	}
}
