package allowance_test

import (
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
)

// tb is what the helpers need of *testing.T and *rapid.T.
type tb interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// dec parses a decimal literal.
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// decEqual compares decimals by value, whatever their scale.
var decEqual = cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })

// pct and off build rule discounts.
func pct(s string) plan.Discount { return plan.PercentOff(dec(s)) }
func off(s string) plan.Discount { return plan.AmountOff(dec(s)) }

// rule is a compact rule literal.
func rule(id, group string, d plan.Discount, allowed int64, start, end, view int) plan.Rule {
	l := plan.Allowed(allowed)
	if allowed < 0 {
		l = plan.Unlimited()
	}
	return plan.Rule{ID: id, Group: group, Discount: d, Allowed: l, StartDay: start, EndDay: end, ViewOrder: view}
}

// groups is the catalog the tests share: flea (core, a single and a pack
// of three), consult (core), food (not core), and an item in no group.
var groups = []plan.Group{
	{ID: "flea", Name: "Flea treatment", Core: true, Items: []plan.Item{{Code: "FLEA-1"}, {Code: "FLEA-3PK", Units: 3}}},
	{ID: "consult", Name: "Consultations", Core: true, Items: []plan.Item{{Code: "CONSULT"}}},
	{ID: "food", Name: "Food", Items: []plan.Item{{Code: "FOOD"}}},
}

var start = plan.MustParseDate("2026-01-10")

// subscribe builds a 12-month subscription starting on `start` with the
// given rules; edit adjusts the plan first.
func subscribe(t tb, rules []plan.Rule, edit ...func(*plan.Plan)) *plan.Subscription {
	t.Helper()
	return subscribeIn(t, plan.MustCurrency("GBP"), rules, edit...)
}

// subscribeIn is subscribe in another currency.
func subscribeIn(t tb, cur plan.Currency, rules []plan.Rule, edit ...func(*plan.Plan)) *plan.Subscription {
	t.Helper()
	p := plan.Plan{ID: "p", Species: "dog", TermMonths: 12, MonthlyFee: dec("15"), Rules: rules}
	for _, e := range edit {
		e(&p)
	}
	terms, err := plan.NewTerms(cur, groups, p)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := terms.Subscribe(plan.Enrollment{ID: "S1", Client: "C1", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	return sub
}

// line is a compact line literal.
func line(id, item, qty, price string) allowance.Line {
	return allowance.Line{ID: id, Item: item, Qty: dec(qty), UnitPrice: dec(price)}
}

// visit is a visit on the given day offset.
func visit(invoice string, day int, lines ...allowance.Line) allowance.Visit {
	return allowance.Visit{Invoice: invoice, Date: start.AddDays(day), Lines: lines}
}

// got is a line's outcome in a form tests compare: money as fixed
// strings, splits as "rule:units:discount".
type got struct {
	Gross, Discount, Net string
	Splits               []string
	Reason               allowance.Reason
}

func summary(lr allowance.LineResult) got {
	g := got{Gross: lr.Gross.StringFixed(2), Discount: lr.Discount.StringFixed(2), Net: lr.Net.StringFixed(2), Reason: lr.Reason}
	for _, s := range lr.Splits {
		g.Splits = append(g.Splits, s.Rule+":"+s.Units.String()+":"+s.Discount.StringFixed(2))
	}
	return g
}

// commit commits a visit and fails the test on error.
func commit(t tb, l *allowance.Ledger, sub *plan.Subscription, v allowance.Visit) allowance.Result {
	t.Helper()
	res, err := l.Commit(sub, v)
	if err != nil {
		t.Fatalf("commit %s: %v", v.Invoice, err)
	}
	return res
}

// used returns each rule's used units on the subscription's first day.
func used(t tb, l *allowance.Ledger, sub *plan.Subscription) map[string]string {
	t.Helper()
	ents, err := l.Entitlements(sub, sub.Start)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, e := range ents.Rules {
		m[e.Rule] = e.Used.String()
	}
	return m
}

// resultDiff compares two results field by field (decimals by value) and
// each line's explanation.
func resultDiff(a, b allowance.Result) string {
	d := cmp.Diff(a, b, decEqual, cmp.Comparer(func(x, y plan.Date) bool { return x == y }),
		cmp.Comparer(func(x, y plan.Currency) bool { return x == y }),
		cmpopts.IgnoreUnexported(allowance.LineResult{}))
	if d != "" || len(a.Lines) != len(b.Lines) {
		return d
	}
	for i := range a.Lines {
		if wa, wb := a.Lines[i].Why(), b.Lines[i].Why(); wa != wb {
			return "line " + a.Lines[i].ID + ": why " + wa + " vs " + wb
		}
	}
	return ""
}

// decodeLedger reads a usage document for sub, failing the test on error.
func decodeLedger(t tb, sub *plan.Subscription, b []byte) *allowance.Ledger {
	t.Helper()
	l, err := allowance.DecodeLedger(sub, b)
	if err != nil {
		t.Fatalf("%v\n%s", err, b)
	}
	return l
}
