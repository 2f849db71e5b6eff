package debt_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

// customAccount is an account on a plan of the test's own, over groups
// (the package's vaccinations and food unless given), enrolled as e says
// (ID S1 from the package's start date unless set).
func customAccount(t tb, p plan.Plan, gs []plan.Group, e plan.Enrollment) *account {
	t.Helper()
	if gs == nil {
		gs = groups
	}
	if p.ID == "" {
		p.ID, p.Species, p.MonthlyFee = "p", "dog", dec("10.00")
	}
	if p.TermMonths == 0 {
		p.TermMonths = 12
	}
	terms, err := plan.NewTerms(plan.MustCurrency("GBP"), gs, p)
	if err != nil {
		t.Fatal(err)
	}
	if e.ID == "" {
		e.ID = "S1"
	}
	if e.Start.IsZero() {
		e.Start = start
	}
	a := &account{}
	if a.sub, err = terms.Subscribe(e); err != nil {
		t.Fatal(err)
	}
	return a
}

// statementOn is the statement of the account on the day offset, with its
// text and JSON.
func (a *account) statementOn(t tb, day int) (debt.Statement, string, string) {
	t.Helper()
	st, err := debt.StatementOn(a.sub, &a.ledger, &a.payment, start.AddDays(day))
	if err != nil {
		t.Fatal(err)
	}
	b, err := st.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	return st, st.Text(), string(b)
}

// lacks reports each of want that text does not contain, and each of
// unwanted that it does.
func lacks(t *testing.T, what, text string, want, unwanted []string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(text, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, text)
		}
	}
	for _, u := range unwanted {
		if strings.Contains(text, u) {
			t.Errorf("%s has %q:\n%s", what, u, text)
		}
	}
}

// The statement counts only what is dated on or before its date, in the
// order the visits were committed or not: a day-100 visit committed before
// a day-10 one shows neither in the savings nor in the cost to cancel of
// a day-50 statement.
func TestStatementCountsOnlyWhatIsDatedByItsDate(t *testing.T) {
	a := newAccount(t, 12, plan.Settlement{})
	a.visit(t, "LATE", 100, "VACC", "80.00")
	a.visit(t, "EARLY", 10, "VACC", "20.00")
	a.visit(t, "FOOD", 60, "FOOD", "50.00")
	st, text, js := a.statementOn(t, 50)
	want := []debt.GroupSavings{{Group: "vacc", Name: "Vaccinations", Core: true, Discount: dec("10.00"), Units: dec("1")}}
	if diff := cmp.Diff(want, st.Groups, cmpDec); diff != "" || !st.Savings.Equal(dec("10")) {
		t.Errorf("savings %s, groups (-want +got):\n%s", st.Savings, diff)
	}
	c := st.CostToCancel
	if c == nil || !c.CoreValue.Equal(dec("10")) || !c.Debt.Equal(dec("10")) || len(c.Core) != 1 || len(c.Core[0].Redemptions) != 1 {
		t.Fatalf("cost to cancel %+v; want the day-10 vaccination alone: core value 10.00, debt 10.00", c)
	}
	lacks(t, "the statement", text, []string{
		"  Vaccinations (1 unit)                                    10.00",
		"Total saved                                                10.00",
		"Cancelling today would cost                                10.00",
	}, []string{"Food"})
	lacks(t, "the statement's JSON", js, []string{
		`"savings":"10.00","groups":[{"group":"vacc","name":"Vaccinations","core":true,"discount":"10.00","units":"1"}]`,
		`"coreValue":"10.00"`,
	}, []string{"LATE", `"discount":"5.00"`})
}

// A statement where only a group late in the catalog was used lists just
// that group, and a settlement with no core redemptions says none.
func TestStatementOfALaterGroupOnly(t *testing.T) {
	a := newAccount(t, 12, plan.Settlement{})
	a.visit(t, "I1", 5, "FOOD", "50.00")
	st, text, _ := a.statementOn(t, 10)
	want := []debt.GroupSavings{{Group: "food", Name: "Food", Discount: dec("5.00"), Units: dec("1")}}
	if diff := cmp.Diff(want, st.Groups, cmpDec); diff != "" {
		t.Errorf("groups (-want +got):\n%s", diff)
	}
	lacks(t, "the statement", text, []string{"  Food (1 unit)                                             5.00"}, []string{"Vaccinations", "nothing yet"})
	c := st.CostToCancel
	if c == nil || c.Core != nil || !c.CoreValue.IsZero() {
		t.Fatalf("cost to cancel %+v; want no core value", c)
	}
	lacks(t, "the settlement", c.Text(), []string{"Core treatments used (valued at the discount given)\n  none\nCore value (V)"}, nil)
	b, _ := c.MarshalJSON()
	lacks(t, "the settlement's JSON", string(b), []string{`"coreValue":"0.00",`, `"basis":"discount","coolingOff":false,"core":[]}`}, nil)
}

// A terminated subscription's statement says how it ended and has no cost
// to cancel, in text and JSON; the settlement its owner kept is shown
// with its refund.
func TestStatementOfATerminatedSubscription(t *testing.T) {
	a := newAccount(t, 12, plan.Settlement{RefundExcess: true})
	a.visit(t, "I1", 5, "VACC", "20.00")
	a.pay(t, 0, "30.00", billing.Taken)
	s, err := a.terminate(debt.Notice{Date: start.AddDays(20), Reason: "moved"})
	if err != nil {
		t.Fatal(err)
	}
	st, text, js := a.statementOn(t, 30)
	if st.CostToCancel != nil || st.Termination == nil || *st.Termination != (plan.Termination{Date: start.AddDays(20), Reason: "moved"}) {
		t.Errorf("cost to cancel %+v, termination %+v; want none, and the termination", st.CostToCancel, st.Termination)
	}
	lacks(t, "the statement", text, []string{"Ended 2026-01-21 (moved)\n"}, []string{"Cancelling today", "Owed at the end", "Refunded"})
	lacks(t, "the statement's JSON", js, []string{`"termination":{"date":"2026-01-21","reason":"moved"}}`}, []string{"costToCancel", "settlement"})

	st.Ended = &s
	lacks(t, "the statement with its settlement", st.Text(), []string{
		"Ended 2026-01-21 (moved)\n",
		"  Owed at the end                                           0.00\n",
		"  Refunded                                                 20.00\n",
	}, []string{"Cancelling today", "Repaid in"})
	b, _ := st.MarshalJSON()
	lacks(t, "the statement's JSON with its settlement", string(b), []string{
		`"termination":{"date":"2026-01-21","reason":"moved","settlement":{"method":"coreValue","coreValue":"10.00","paid":"30.00",`,
		`"refund":"20.00","waived":false}}}`,
	}, []string{"costToCancel", "repayment"})
}

// The statement's account lines: the cost to cancel as a refund when the
// client would get money back, the next installment due, the days past
// due, the status judged on the payments' suspensions, and the payment
// terms; each in text and JSON.
func TestStatementAccountLines(t *testing.T) {
	t.Run("a refund, the next installment", func(t *testing.T) {
		a := newAccount(t, 12, plan.Settlement{RefundExcess: true})
		a.visit(t, "I1", 5, "VACC", "20.00")
		a.pay(t, 0, "30.00", billing.Taken)
		st, text, js := a.statementOn(t, 10)
		lacks(t, "the statement", text, []string{
			"Installments monthly, invoiced by the practice\n",
			"Paid by 2026-01-11                                         30.00\n",
			"Due by then                                                10.00\n",
			"Arrears                                                     0.00\n",
			"Next installment due                                  2026-02-01\n",
			"Cancelling today: refund                                   20.00\n",
			"  (coreValue: value of core treatments used, less payments (V - P))",
		}, []string{"would cost", "Overdue", "nothing yet"})
		lacks(t, "the statement's JSON", js, []string{`"nextDue":"2026-02-01","daysPastDue":0,` +
			`"costToCancel":{"subscription":"S1","currency":"GBP","date":"2026-01-11","reason":"cancelled","day":10,`, `"debt":"0.00","refund":"20.00"`},
			[]string{"overdueSince"})
		if st.Status != plan.Active || st.NextDue != start.AddMonths(1) {
			t.Errorf("status %v, next due %v", st.Status, st.NextDue)
		}
	})
	t.Run("paid in advance, nothing saved, nothing more due", func(t *testing.T) {
		a := customAccount(t, plan.Plan{Rules: []plan.Rule{{ID: "vacc", Group: "vacc", Discount: plan.PercentOff(dec("50")), Allowed: plan.Unlimited(), EndDay: 365}}},
			nil, plan.Enrollment{Payment: plan.Advance})
		_, text, js := a.statementOn(t, 10)
		lacks(t, "the statement", text, []string{
			"Paid in advance\n",
			"Saved so far\n  nothing yet\nTotal saved                                                 0.00\n",
			"Contract total                                            120.00\n",
			"Overdue since 2026-01-01                        10 days past due\n",
			"Cancelling today would cost                                 0.00\n",
		}, []string{"Installments", "Next installment"})
		lacks(t, "the statement's JSON", js, []string{`"payment":"advance"`, `"groups":[]`, `"daysPastDue":10,"overdueSince":"2026-01-01"`}, []string{"nextDue"})
	})
	t.Run("suspended by its payments", func(t *testing.T) {
		a := customAccount(t, plan.Plan{SuspendAfterFailures: 1,
			Rules: []plan.Rule{{ID: "vacc", Group: "vacc", Discount: plan.PercentOff(dec("50")), Allowed: plan.Unlimited(), EndDay: 365}}},
			nil, plan.Enrollment{})
		a.pay(t, 0, "10.00", billing.Failed)
		st, text, js := a.statementOn(t, 10)
		if a.sub.StatusOn(start.AddDays(10)) != plan.Active || st.Status != plan.Suspended {
			t.Errorf("status %v; want suspended, as the payments make it, not the subscription's own %v", st.Status, a.sub.StatusOn(start.AddDays(10)))
		}
		lacks(t, "the statement", text, []string{"Term 2026-01-01 to 2026-12-31, suspended\n"}, nil)
		lacks(t, "the statement's JSON", js, []string{`"status":"suspended"`}, nil)
	})
}

// StatementOn and Settle refuse a ledger recorded for another
// subscription, or in another currency, and a subscription that is not
// valid.
func TestRefusesAnotherSubscriptionsLedger(t *testing.T) {
	a := newAccount(t, 12, plan.Settlement{})
	a.visit(t, "I1", 5, "VACC", "80.00")
	other := newAccount(t, 12, plan.Settlement{})
	other.sub, _ = other.sub.Terms.Subscribe(plan.Enrollment{ID: "S2", Start: start})
	p := a.sub.Terms.Plan()
	eur, err := plan.NewTerms(plan.MustCurrency("EUR"), groups, p)
	if err != nil {
		t.Fatal(err)
	}
	inEUR, _ := eur.Subscribe(plan.Enrollment{ID: "S1", Start: start})
	for name, sub := range map[string]*plan.Subscription{"another subscription": other.sub, "another currency": inEUR} {
		d := start.AddDays(10)
		if _, err := debt.Settle(sub, &a.ledger, &a.payment, debt.Notice{Date: d, Reason: "cancelled"}); !errors.Is(err, allowance.ErrOtherSubscription) {
			t.Errorf("%s: Settle: %v; want ErrOtherSubscription", name, err)
		}
		if _, err := debt.StatementOn(sub, &a.ledger, &a.payment, d); !errors.Is(err, allowance.ErrOtherSubscription) {
			t.Errorf("%s: StatementOn: %v; want ErrOtherSubscription", name, err)
		}
	}
	bad := *a.sub
	bad.ID = ""
	if _, err := debt.StatementOn(&bad, &a.ledger, &a.payment, start); len(plan.Problems(err)) == 0 {
		t.Errorf("a subscription without an id: %v; want a validation error", err)
	}
	if _, err := debt.Settle(&bad, &a.ledger, &a.payment, debt.Notice{Date: start, Reason: "cancelled"}); len(plan.Problems(err)) == 0 {
		t.Errorf("settling a subscription without an id: %v; want a validation error", err)
	}
	_, err = debt.StatementOn(a.sub, &a.ledger, &a.payment, plan.Date{})
	if ps := plan.Problems(err); len(ps) != 1 || ps[0].Path != "date" || !strings.Contains(ps[0].Reason, "the statement's date") {
		t.Errorf("a statement without a date: %v; want a problem at date", err)
	}
}

// An amount-off rule's discount is printed once, with the currency's
// minor units.
func TestStatementAmountOffRule(t *testing.T) {
	a := customAccount(t, plan.Plan{Rules: []plan.Rule{
		{ID: "vacc", Group: "vacc", Discount: plan.AmountOff(dec("5.5")), Allowed: plan.Allowed(3), EndDay: 365},
		{ID: "food", Group: "food", Discount: plan.PercentOff(dec("12.5")), Allowed: plan.Unlimited(), EndDay: 365},
	}}, nil, plan.Enrollment{})
	a.visit(t, "I1", 5, "VACC", "20.00")
	_, text, _ := a.statementOn(t, 10)
	lacks(t, "the statement", text, []string{
		"  Vaccinations (1 unit)                                     5.50\n",
		"  vacc  5.50 off   2026-01-01 to 2026-12-31  2 of 3 left  available\n",
		"  food  12.5% off  2026-01-01 to 2026-12-31  unlimited    available\n",
	}, []string{"off off", "5.5 "})
}

type failingWriter struct{}

var errWrite = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errWrite }

// WriteText writes the text, and says when it could not.
func TestWriteText(t *testing.T) {
	a := newAccount(t, 12, plan.Settlement{})
	a.visit(t, "I1", 5, "VACC", "80.00")
	st, text, _ := a.statementOn(t, 10)
	var b strings.Builder
	if err := st.WriteText(&b); err != nil || b.String() != text {
		t.Errorf("Statement.WriteText wrote %q, %v; want the text", b.String(), err)
	}
	if err := st.WriteText(failingWriter{}); !errors.Is(err, errWrite) {
		t.Errorf("Statement.WriteText to a failing writer: %v", err)
	}
	if err := st.CostToCancel.WriteText(failingWriter{}); !errors.Is(err, errWrite) {
		t.Errorf("Settlement.WriteText to a failing writer: %v", err)
	}
	// A statement built by hand, with neither a cost to cancel nor a
	// termination, prints without either.
	if text := (debt.Statement{Subscription: "S9"}).Text(); !strings.Contains(text, "subscription S9") || strings.Contains(text, "Ended") || strings.Contains(text, "Cancelling") {
		t.Errorf("a statement with neither:\n%s", text)
	}
}

// A group without a name is printed by its id, and a row too long for
// the width keeps one space between its label and its amount.
func TestPrintedNamesAndWidths(t *testing.T) {
	gs := []plan.Group{{ID: "vacc", Core: true, Items: []plan.Item{{Code: "VACC"}}}, {ID: "food", Items: []plan.Item{{Code: "FOOD"}}}}
	a := customAccount(t, plan.Plan{Rules: []plan.Rule{{ID: "vacc", Group: "vacc", Discount: plan.PercentOff(dec("50")), Allowed: plan.Unlimited(), EndDay: 365}}},
		gs, plan.Enrollment{})
	fits := strings.Repeat("F", 31) // label and amount fill the width exactly
	over := strings.Repeat("O", 40) // beyond it
	a.visit(t, fits, 5, "VACC", "80.00")
	a.visit(t, over, 6, "VACC", "80.00")
	st, text, _ := a.statementOn(t, 10)
	lacks(t, "the statement", text, []string{"  vacc (2 units)                                           80.00\n"}, nil)
	lacks(t, "the settlement", st.CostToCancel.Text(), []string{
		"Core treatments used (valued at the discount given)\n  vacc\n",
		"    2026-01-06  " + fits + "/L  1 × VACC 40.00\n",
		"    2026-01-07  " + over + "/L  1 × VACC 40.00\n",
	}, nil)
}

// One day past due, and a kept settlement repaid in one part, are
// printed; a rule id is aligned by its characters, whatever they are.
func TestStatementSingles(t *testing.T) {
	a := customAccount(t, plan.Plan{Rules: []plan.Rule{
		{ID: "<b>&amp;", Group: "vacc", Discount: plan.PercentOff(dec("50")), Allowed: plan.Unlimited(), EndDay: 365},
		{ID: "food", Group: "food", Discount: plan.PercentOff(dec("10")), Allowed: plan.Unlimited(), EndDay: 365},
	}}, nil, plan.Enrollment{})
	a.visit(t, "I1", 0, "VACC", "20.00")
	_, text, _ := a.statementOn(t, 1)
	lacks(t, "the statement", text, []string{
		"Overdue since 2026-01-01                          1 day past due\n",
		"  <b>&amp;  50% off  2026-01-01 to 2026-12-31  unlimited  available\n  food      10% off  2026-01-01 to 2026-12-31  unlimited  available\n",
	}, nil)
	s, err := a.terminate(debt.Notice{Date: start.AddDays(1), Reason: "cancelled", RepayMonths: 1})
	if err != nil {
		t.Fatal(err)
	}
	st, _, _ := a.statementOn(t, 2)
	st.Ended = &s
	lacks(t, "the statement", st.Text(), []string{"  Repaid in 1 monthly part:\n    2026-01-02                                             10.00\n"}, nil)
}
