package debt_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

// valued is an account on a plan whose vaccinations are worth value each
// when the plan ends (VACC-3PK, a pack of three, is worth 3 × value), 50%
// off on two rules of one unit and five units.
func valued(t tb, value string, s plan.Settlement) *account {
	t.Helper()
	gs := []plan.Group{
		{ID: "vacc", Name: "Vaccinations", Core: true, Items: []plan.Item{{Code: "VACC"}, {Code: "VACC-3PK", Units: 3}}},
		{ID: "food", Name: "Food", Items: []plan.Item{{Code: "FOOD"}}},
	}
	if value != "" {
		gs[0].Items[0].Value = decimal.NewNullDecimal(dec(value))
		gs[0].Items[1].Value = decimal.NewNullDecimal(dec(value).Mul(dec("3")))
	}
	p := plan.Plan{ID: "p", Species: "dog", TermMonths: 12, MonthlyFee: dec("10.00"), Settlement: s,
		Rules: []plan.Rule{
			{ID: "a", Group: "vacc", Discount: plan.PercentOff(dec("50")), Allowed: plan.Allowed(1), EndDay: 365, ViewOrder: 1},
			{ID: "b", Group: "vacc", Discount: plan.PercentOff(dec("50")), Allowed: plan.Allowed(5), EndDay: 365, ViewOrder: 2},
			{ID: "food", Group: "food", Discount: plan.PercentOff(dec("10")), Allowed: plan.Unlimited(), EndDay: 365},
		}}
	terms, err := plan.NewTerms(plan.MustCurrency("GBP"), gs, p)
	if err != nil {
		t.Fatal(err)
	}
	a := &account{}
	if a.sub, err = terms.Subscribe(plan.Enrollment{ID: "S1", Start: start}); err != nil {
		t.Fatal(err)
	}
	return a
}

func TestValueBasis(t *testing.T) {
	// A 3-pack split 1 + 2 across rules a and b: worth 10.00 each, the
	// pack is worth 30.00, shared 10.00 and 20.00; at 3.335, 10.005 is
	// shared round(3.335) = 3.34 (half up) and 10.01 - 3.34 = 6.67.
	tests := []struct {
		value, price string
		rounding     plan.Rounding
		want         []string // per redemption
		total        string
	}{
		{"10.00", "24.00", plan.HalfUp, []string{"10.00", "20.00"}, "30.00"},
		{"3.335", "24.00", plan.HalfUp, []string{"3.34", "6.67"}, "10.01"},
		{"3.335", "24.00", plan.HalfEven, []string{"3.34", "6.66"}, "10.00"},     // 10.005 rounds to even, 10.00
		{"100.00", "24.00", plan.HalfUp, []string{"100.00", "200.00"}, "300.00"}, // not capped at the price
		{"3.336", "24.00", plan.HalfEven, []string{"3.34", "6.67"}, "10.01"},     // 3.336 and 10.008: above half rounds up
		{"3.334", "24.00", plan.HalfUp, []string{"3.33", "6.67"}, "10.00"},       // 3.334 and 10.002: below half rounds down
	}
	for _, tt := range tests {
		t.Run(tt.value+" "+tt.rounding.String(), func(t *testing.T) {
			a := valued(t, tt.value, plan.Settlement{Basis: plan.ValueBasis})
			p := a.sub.Terms.Plan()
			p.Rounding = tt.rounding
			terms, err := plan.NewTerms(a.sub.Terms.Currency(), a.sub.Terms.Groups(), p)
			if err != nil {
				t.Fatal(err)
			}
			a.sub, _ = terms.Subscribe(plan.Enrollment{ID: "S1", Start: start})
			a.visit(t, "I1", 5, "VACC-3PK", tt.price)
			a.visit(t, "I2", 6, "FOOD", "50.00") // not core: never counts
			s, err := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: start.AddDays(10), Reason: "cancelled"})
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Core) != 1 || len(s.Core[0].Redemptions) != 2 {
				t.Fatalf("core: %+v", s.Core)
			}
			if s.CoreValue.StringFixed(2) != tt.total || s.Core[0].Value.StringFixed(2) != tt.total {
				t.Errorf("core value %s (group %s); want %s", s.CoreValue, s.Core[0].Value, tt.total)
			}
			var got []string
			for _, c := range s.Core[0].Counts {
				got = append(got, c.StringFixed(2))
			}
			if !cmp.Equal(tt.want, got) {
				t.Errorf("the splits count %v; want %v", got, tt.want)
			}
		})
	}
	// Each line is shared out on its own: a vaccination (rule a) and then
	// a pack (rule b, one split), worth 3.335 and 10.005.
	two := valued(t, "3.335", plan.Settlement{Basis: plan.ValueBasis})
	two.visit(t, "I1", 5, "VACC", "24.00")
	two.visit(t, "I2", 6, "VACC-3PK", "24.00")
	if s, _ := debt.Settle(two.sub, &two.ledger, &two.payment, debt.Notice{Date: start.AddDays(10), Reason: "cancelled"}); len(s.Core) != 1 ||
		fmt.Sprint(s.Core[0].Counts) != "[3.34 10.01]" || !s.CoreValue.Equal(dec("13.35")) {
		t.Errorf("two lines on the value basis: %+v", s.Core)
	}
	// A line is its invoice's, and its own: food (no value) then a
	// vaccination on the same day, as two invoices with the same line id
	// and as two lines of one invoice.
	for name, lines := range map[string][][]allowance.Line{
		"two invoices": {{{ID: "L", Item: "FOOD", Qty: dec("1"), UnitPrice: dec("50.00")}}, {{ID: "L", Item: "VACC", Qty: dec("1"), UnitPrice: dec("24.00")}}},
		"two lines":    {{{ID: "1", Item: "FOOD", Qty: dec("1"), UnitPrice: dec("50.00")}, {ID: "2", Item: "VACC", Qty: dec("1"), UnitPrice: dec("24.00")}}},
	} {
		a := valued(t, "3.335", plan.Settlement{Basis: plan.ValueBasis})
		for i, ls := range lines {
			if _, err := a.ledger.Commit(a.sub, allowance.Visit{Invoice: fmt.Sprint("I", i), Date: start.AddDays(5), Lines: ls}); err != nil {
				t.Fatal(err)
			}
		}
		if s, _ := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: start.AddDays(10), Reason: "cancelled"}); !s.CoreValue.Equal(dec("3.34")) {
			t.Errorf("%s: core value %s; want the vaccination's value 3.34", name, s.CoreValue)
		}
	}
	// The printed settlement values the rows at the item's value too.
	a := valued(t, "10.00", plan.Settlement{Basis: plan.ValueBasis})
	a.visit(t, "I1", 5, "VACC", "24.00")
	s, _ := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: start.AddDays(10), Reason: "cancelled"})
	if text := s.Text(); !strings.Contains(text, "valued at the item's value") || !strings.Contains(text, "1 × VACC                             10.00") {
		t.Errorf("the printed settlement on the value basis:\n%s", text)
	}
}

// TestPropertyValueBasisWithoutValues: with no item valued, the value
// basis is the list basis.
func TestPropertyValueBasisWithoutValues(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		list := valued(t, "", plan.Settlement{Basis: plan.ListBasis})
		value := valued(t, "", plan.Settlement{Basis: plan.ValueBasis})
		for i := range rapid.IntRange(0, 6).Draw(t, "visits") {
			item := rapid.SampledFrom([]string{"VACC", "VACC-3PK", "FOOD"}).Draw(t, "item")
			price := rapid.SampledFrom([]string{"24.00", "0.335", "12.345", "99.99"}).Draw(t, "price")
			day := rapid.IntRange(0, 40).Draw(t, "day")
			list.visit(t, fmt.Sprint("I", i), day, item, price)
			value.visit(t, fmt.Sprint("I", i), day, item, price)
		}
		n := debt.Notice{Date: start.AddDays(rapid.IntRange(0, 50).Draw(t, "on")), Reason: "cancelled"}
		a, _ := debt.Settle(list.sub, &list.ledger, &list.payment, n)
		b, _ := debt.Settle(value.sub, &value.ledger, &value.payment, n)
		if !a.CoreValue.Equal(b.CoreValue) || !a.Debt.Equal(b.Debt) {
			t.Fatalf("list basis %s / %s, value basis %s / %s", a.CoreValue, a.Debt, b.CoreValue, b.Debt)
		}
	})
}

func TestRepayment(t *testing.T) {
	a := valued(t, "", plan.Settlement{CancellationFee: dec("0.02")})
	a.visit(t, "I1", 5, "VACC", "200.00") // 100.00 off
	n := debt.Notice{Date: plan.MustParseDate("2026-01-31"), Reason: "cancelled", RepayMonths: 3}
	s, err := debt.Settle(a.sub, &a.ledger, &a.payment, n)
	if err != nil {
		t.Fatal(err)
	}
	type part struct{ Due, Amount string }
	var got []part
	for _, p := range s.Repayment {
		got = append(got, part{p.Due.String(), p.Amount.StringFixed(2)})
	}
	// 100.02 in three: the remainder's two pence to the first two parts;
	// due on the termination date and a month apart, clamped to month ends.
	want := []part{{"2026-01-31", "33.34"}, {"2026-02-28", "33.34"}, {"2026-03-31", "33.34"}}
	if s.Debt.StringFixed(2) != "100.02" || !cmp.Equal(want, got) {
		t.Errorf("debt %s, repayment %v; want 100.02 in %v", s.Debt, got, want)
	}
	n.RepayMonths = 7
	s, _ = debt.Settle(a.sub, &a.ledger, &a.payment, n)
	if len(s.Repayment) != 7 || s.Repayment[0].Amount.StringFixed(2) != "14.29" || s.Repayment[6].Amount.StringFixed(2) != "14.28" {
		t.Errorf("in seven: %v", s.Repayment)
	}
	a.pay(t, 0, "200.00", billing.Taken)
	s, _ = debt.Settle(a.sub, &a.ledger, &a.payment, n)
	if !s.Debt.IsZero() || s.Repayment == nil || len(s.Repayment) != 0 {
		t.Errorf("no debt: repayment %v; want an empty plan", s.Repayment)
	}
	if s, _ := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: n.Date, Reason: "cancelled"}); s.Repayment != nil {
		t.Errorf("no repayment agreed: %v", s.Repayment)
	}
	for _, m := range []int{-1, debt.MaxRepayMonths + 1} {
		n.RepayMonths = m
		_, err := debt.Settle(a.sub, &a.ledger, &a.payment, n)
		if ps := plan.Problems(err); len(ps) != 1 || ps[0].Path != "repayMonths" {
			t.Errorf("repayMonths %d: %v", m, err)
		}
	}
}

// TestPropertyRepayment: the parts add up to the debt and differ by at
// most one minor unit.
func TestPropertyRepayment(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := valued(t, "", plan.Settlement{CancellationFee: dec(rapid.SampledFrom([]string{"0", "0.01", "25.55"}).Draw(t, "fee"))})
		for i := range rapid.IntRange(0, 4).Draw(t, "visits") {
			a.visit(t, fmt.Sprint("I", i), i, "VACC", rapid.SampledFrom([]string{"200.00", "0.03", "77.77"}).Draw(t, "price"))
		}
		n := debt.Notice{Date: start.AddDays(rapid.IntRange(0, 400).Draw(t, "day")), Reason: "cancelled",
			RepayMonths: rapid.IntRange(1, debt.MaxRepayMonths).Draw(t, "months")}
		s, err := debt.Settle(a.sub, &a.ledger, &a.payment, n)
		if err != nil {
			t.Fatal(err)
		}
		if !s.Debt.IsPositive() {
			if len(s.Repayment) != 0 {
				t.Fatalf("no debt, parts %v", s.Repayment)
			}
			return
		}
		var sum decimal.Decimal
		lo, hi := s.Repayment[0].Amount, s.Repayment[0].Amount
		for i, p := range s.Repayment {
			sum = sum.Add(p.Amount)
			lo, hi = decimal.Min(lo, p.Amount), decimal.Max(hi, p.Amount)
			if p.Due != n.Date.AddMonths(i) {
				t.Fatalf("part %d due %s; want %s", i, p.Due, n.Date.AddMonths(i))
			}
		}
		if len(s.Repayment) != n.RepayMonths || !sum.Equal(s.Debt) || hi.Sub(lo).GreaterThan(dec("0.01")) {
			t.Fatalf("%d parts from %s to %s add up to %s; the debt is %s", len(s.Repayment), lo, hi, sum, s.Debt)
		}
	})
}

func TestOverride(t *testing.T) {
	a := valued(t, "", plan.Settlement{CancellationFee: dec("25.00"), WaiveFor: []string{"deceased"}, RefundExcess: true})
	a.visit(t, "I1", 5, "VACC", "200.00") // 100.00 off
	for _, tt := range []struct {
		name, reason, amount string
		computed             debt.Computed
	}{
		{"a debt agreed lower", "cancelled", "50.00", debt.Computed{Method: plan.CoreValue, Fee: dec("25"), Debt: dec("125")}},
		{"even when the reason is waived", "deceased", "10.005", debt.Computed{Method: plan.CoreValue, Waived: true}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s, err := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: start.AddDays(10), Reason: tt.reason,
				Override: &debt.Override{Amount: dec(tt.amount), Note: "agreed"}})
			if err != nil {
				t.Fatal(err)
			}
			want := figures{"override", "100.00", "0.00", "120.00", "120.00", "0.00", "100.00", a.sub.Terms.Currency().Round(dec(tt.amount), plan.HalfUp).StringFixed(2), "0.00", false, false}
			if diff := cmp.Diff(want, figuresOf(s)); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
			if s.Override == nil || s.Override.Note != "agreed" || s.Computed == nil ||
				!cmp.Equal(tt.computed, *s.Computed, cmp.Comparer(func(x, y decimal.Decimal) bool { return x.Equal(y) })) {
				t.Errorf("override %+v, computed %+v; want computed %+v", s.Override, s.Computed, tt.computed)
			}
			b, _ := debt.Summary{Settlement: s}.MarshalJSON()
			if !strings.Contains(string(b), `"override":{"amount":"`) || !strings.Contains(string(b), `"computed":{"method":"coreValue"`) {
				t.Errorf("summary JSON: %s", b)
			}
			if text := s.Text(); !strings.Contains(text, "Agreed by hand") || strings.Contains(text, "and a refund of") {
				t.Errorf("the printed settlement does not say it was agreed:\n%s", text)
			}
		})
	}
	_, err := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: start.AddDays(10), Reason: "cancelled", Override: &debt.Override{Amount: dec("-0.01")}})
	if ps := plan.Problems(err); len(ps) != 1 || ps[0].Path != "override.amount" {
		t.Errorf("a negative override: %v", err)
	}
	if a.sub.Termination != nil || errors.Is(err, debt.ErrTerminated) {
		t.Errorf("a refused settlement changed something")
	}
}

// TestSummaryRoundTrip: a settlement's stored figures read back as they
// were, repayment and override included, and bad ones are refused with
// their paths.
func TestSummaryRoundTrip(t *testing.T) {
	a := valued(t, "", plan.Settlement{CancellationFee: dec("25.00")})
	a.visit(t, "I1", 5, "VACC", "200.00")
	term := plan.Termination{Date: start.AddDays(10), Reason: "cancelled"}
	for _, n := range []debt.Notice{
		{Date: term.Date, Reason: term.Reason},
		{Date: term.Date, Reason: term.Reason, RepayMonths: 4},
		{Date: term.Date, Reason: term.Reason, RepayMonths: 2, Override: &debt.Override{Amount: dec("60"), Note: "ok \"quoted\""}},
	} {
		s, err := debt.Settle(a.sub, &a.ledger, &a.payment, n)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := debt.Summary{Settlement: s}.MarshalJSON()
		back, err := debt.DecodeSummary(a.sub, term, b)
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		again, _ := debt.Summary{Settlement: back}.MarshalJSON()
		if string(again) != string(b) {
			t.Errorf("round trip:\n%s\n%s", b, again)
		}
	}
	for doc, path := range map[string]string{
		`{"method":"coreValue"}`: "",
		`{"method":"override","coreValue":"1","paid":"0","contractTotal":"0","remaining":"0","fee":"0","owed":"0","debt":"0","refund":"0","waived":false}`:                                         "method",
		`{"method":"coreValue","coreValue":"1.001","paid":"0","contractTotal":"0","remaining":"0","fee":"0","owed":"0","debt":"0","refund":"0","waived":false}`:                                    "coreValue",
		`{"method":"coreValue","coreValue":"1","paid":"0","contractTotal":"0","remaining":"0","fee":"0","owed":"0","debt":"0","refund":"0","waived":false,"repayment":[{"due":"x","amount":"1"}]}`: "repayment[0].due",
	} {
		_, err := debt.DecodeSummary(a.sub, term, []byte(doc))
		if ps := plan.Problems(err); len(ps) == 0 || ps[0].Path != path {
			t.Errorf("%s: %v; want a problem at %q", doc, err, path)
		}
	}
}

func TestStatementShowsIntervalOverdueAndRepayment(t *testing.T) {
	p := plan.Plan{ID: "p", Species: "dog", TermMonths: 12, MonthlyFee: dec("10.00"), Fees: plan.Fees{Quarter: decimal.NewNullDecimal(dec("29.00"))},
		Rules: []plan.Rule{{ID: "vacc", Group: "vacc", Discount: plan.PercentOff(dec("100")), Allowed: plan.Allowed(2), EndDay: 365}}}
	terms, err := plan.NewTerms(plan.MustCurrency("GBP"), groups, p)
	if err != nil {
		t.Fatal(err)
	}
	a := &account{}
	a.sub, _ = terms.Subscribe(plan.Enrollment{ID: "S1", Start: start, Interval: plan.Quarter, Payment: plan.Auto})
	a.visit(t, "I1", 5, "VACC", "100.00")
	st, err := debt.StatementOn(a.sub, &a.ledger, &a.payment, start.AddDays(20))
	if err != nil {
		t.Fatal(err)
	}
	text := st.Text()
	for _, want := range []string{"Installments quarterly, collected by card or direct debit", "Overdue since 2026-01-01                        20 days past due"} {
		if !strings.Contains(text, want) {
			t.Errorf("the statement lacks %q:\n%s", want, text)
		}
	}
	s, term, err := debt.Terminate(a.sub, &a.ledger, &a.payment, debt.Notice{Date: start.AddDays(20), Reason: "cancelled", RepayMonths: 2})
	if err != nil {
		t.Fatal(err)
	}
	a.sub.Termination = &term
	st, _ = debt.StatementOn(a.sub, &a.ledger, &a.payment, start.AddDays(30))
	st.Ended = &s
	text = st.Text()
	for _, want := range []string{"Ended 2026-01-21 (cancelled)", "Owed at the end", "Repaid in 2 monthly parts:", "2026-02-21"} {
		if !strings.Contains(text, want) {
			t.Errorf("the statement after the termination lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "Refunded") {
		t.Errorf("the statement after a termination with a debt shows a refund:\n%s", text)
	}
	b, _ := st.MarshalJSON()
	for _, want := range []string{`"interval":"quarter"`, `"daysPastDue":`, `"repayment":[{"due":"2026-01-21","amount":"50.00"},{"due":"2026-02-21","amount":"50.00"}]`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("the statement's JSON lacks %s:\n%s", want, b)
		}
	}
}

// TestDecodeSummaryReportsEveryProblem: a stored settlement's problems are
// all reported at once, each at its path, and nothing is read from a
// document that is not one.
func TestDecodeSummaryReportsEveryProblem(t *testing.T) {
	a := valued(t, "", plan.Settlement{})
	term := plan.Termination{Date: start.AddDays(10), Reason: "cancelled"}
	const figures = `"coreValue":"1","paid":"0","contractTotal":"0","remaining":"0","fee":"0","owed":"-9999999999999.99","debt":"0","refund":"0","waived":false`
	const computed = `"computed":{"method":"coreValue","fee":"0","debt":"0","refund":"0","waived":false}`
	for _, c := range []struct {
		doc   string
		paths []string
	}{
		{`{"method":"coreValue",` + figures + `,"repayment":[{"due":"x","amount":"1"},{"due":"2026-01-01","amount":"-1"},{"due":"2026-01-01"},1]}`,
			[]string{"repayment[0].due", "repayment[1].amount", "repayment[2]", "repayment[3]"}},
		{`{"method":"coreValue",` + figures + `,"extra":1,"paid":"0"}`, []string{"extra", "paid"}},
		{`{"method":"coreVal",` + figures + `}`, []string{"method"}},
		{`{"method":1,` + figures + `}`, []string{"method"}},
		{`{"method":"coreValue",` + figures + `,"override":{"amount":"1"}}`, []string{"", "method"}},
		{`{"method":"override",` + figures + `,` + computed + `}`, []string{"", "method"}},
		{`{"method":"coreValue",` + figures + `,"override":{"amount":"1"},` + computed + `}`, []string{"method"}},
		{`{"method":"override",` + figures + `,"override":{"amount":"1","nte":""},"computed":{"method":"x","fee":"0.001","debt":"0","refund":"0"}}`,
			[]string{"override.nte", "computed.method", "computed.fee", "computed"}},
		{`{"method":"coreValue","coreValue":true,"paid":"10000000000000","contractTotal":"-1","remaining":"0","fee":"0","owed":"-10000000000000","debt":"0","refund":"0","waived":false}`,
			[]string{"coreValue", "paid", "contractTotal", "owed"}},
		{`{"method":"coreValue","waived":false}`, []string{"", "", "", "", "", "", "", ""}},
		{`[]`, []string{""}},
	} {
		_, err := debt.DecodeSummary(a.sub, term, []byte(c.doc))
		var got []string
		for _, p := range plan.Problems(err) {
			got = append(got, p.Path)
		}
		if !cmp.Equal(c.paths, got) {
			t.Errorf("%s:\n%v\nproblems at %q; want %q", c.doc, err, got, c.paths)
		}
	}
	// An unknown field is told from the fields there are, in order.
	_, err := debt.DecodeSummary(a.sub, term, []byte(`{"method":"coreValue",`+figures+`,"zz":1,"override":{"amount":"1","qqqq":2},`+computed+`}`))
	if ps := plan.Problems(err); len(ps) != 3 || ps[0].Path != "zz" ||
		ps[0].Reason != "is not a field of a settlement; valid fields are computed, contractTotal, coreValue, debt, fee, method, override, owed, paid, refund, remaining, repayment, waived" ||
		ps[1].Path != "override.qqqq" || ps[1].Reason != "is not a field of an override; valid fields are amount, note" {
		t.Errorf("unknown fields: %v", err)
	}
	// A syntax error is the only error.
	if _, err := debt.DecodeSummary(a.sub, term, []byte(`{"method":"coreValue"}x`)); err == nil || len(plan.Problems(err)) != 0 || !strings.Contains(err.Error(), "after top-level value") {
		t.Errorf("trailing data: %v; want the syntax error alone", err)
	}
	if _, err := debt.DecodeSummary(a.sub, term, []byte(`{"method":"coreValue","paid":`)); err == nil || len(plan.Problems(err)) != 0 {
		t.Errorf("a truncated document: %v; want the syntax error alone", err)
	}
	bad := *a.sub
	bad.ID = ""
	if _, err := debt.DecodeSummary(&bad, term, []byte(`{}`)); len(plan.Problems(err)) == 0 || plan.Problems(err)[0].Path != "id" {
		t.Errorf("a subscription without an id: %v", err)
	}
}

// TestDecodeSummaryFillsInTheTermination: what a stored summary does not
// hold is taken from the subscription and its termination: the date,
// reason and day, the plan's basis, and whether the date was within the
// cooling-off days (never for an expired term).
func TestDecodeSummaryFillsInTheTermination(t *testing.T) {
	const doc = `{"method":"coreValue","coreValue":"1","paid":"0","contractTotal":"0","remaining":"0","fee":"0","owed":"1","debt":"1","refund":"0","waived":false}`
	for _, c := range []struct {
		coolingOff int
		day        int
		reason     string
		want       bool
	}{
		{14, 14, "cancelled", true},
		{14, 15, "cancelled", false},
		{1, 1, "moved", true},
		{0, 0, "cancelled", false},
		{400, 364, plan.ReasonExpired, false},
	} {
		a := valued(t, "", plan.Settlement{Basis: plan.ListBasis, CoolingOffDays: c.coolingOff})
		term := plan.Termination{Date: start.AddDays(c.day), Reason: c.reason}
		s, err := debt.DecodeSummary(a.sub, term, []byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		if s.CoolingOff != c.want || s.Day != c.day || s.Date != term.Date || s.Reason != c.reason || s.Basis != plan.ListBasis ||
			s.Subscription != "S1" || s.Currency.Code() != "GBP" || !s.Debt.Equal(dec("1")) {
			t.Errorf("cooling-off %d days, day %d, %s: %+v; want cooling-off %v", c.coolingOff, c.day, c.reason, s, c.want)
		}
	}
}

// A stored repayment plan reads back as it was: empty when the
// termination agreed one and there was no debt, its parts numbered.
func TestDecodeSummaryRepayment(t *testing.T) {
	a := valued(t, "", plan.Settlement{})
	term := plan.Termination{Date: start.AddDays(10), Reason: "cancelled"}
	const figures = `{"method":"coreValue","coreValue":"1","paid":"0","contractTotal":"0","remaining":"0","fee":"0","owed":"1","debt":"1","refund":"0","waived":false`
	s, err := debt.DecodeSummary(a.sub, term, []byte(figures+`,"repayment":[]}`))
	if err != nil || s.Repayment == nil || len(s.Repayment) != 0 {
		t.Errorf("an empty plan: %v, %v", s.Repayment, err)
	}
	s, err = debt.DecodeSummary(a.sub, term, []byte(figures+`,"repayment":[{"due":"2026-01-11","amount":"0.50"},{"due":"2026-02-11","amount":"0.50"}]}`))
	if err != nil || len(s.Repayment) != 2 || s.Repayment[0].Number != 0 || s.Repayment[1].Number != 1 || s.Repayment[1].Due != plan.MustParseDate("2026-02-11") {
		t.Errorf("a plan in two parts: %+v, %v", s.Repayment, err)
	}
}

// A summary marshals an override only with what was computed beside it,
// as DecodeSummary reads it back.
func TestSummaryOverrideAlone(t *testing.T) {
	s := debt.Settlement{Currency: plan.MustCurrency("GBP"), Method: plan.Override, Override: &debt.Override{Amount: dec("5")}}
	b, err := debt.Summary{Settlement: s}.MarshalJSON()
	if err != nil || strings.Contains(string(b), "override\":{") || !strings.HasPrefix(string(b), `{"method":"override","coreValue":"0.00",`) {
		t.Errorf("an override without what was computed: %s, %v", b, err)
	}
}
