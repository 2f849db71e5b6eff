package allowance_test

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
)

// roundRat rounds r to places decimal places, half away from zero or half
// to even, and writes it with exactly that many places.
func roundRat(r *big.Rat, places int32, halfEven bool) string {
	x := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)))
	n, d := x.Num(), x.Denom()
	q, m := new(big.Int).QuoRem(n, d, new(big.Int))
	twice := new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2))
	if c := twice.Cmp(d); c > 0 || (c == 0 && (!halfEven || q.Bit(0) == 1)) {
		if n.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return decimal.NewFromBigInt(q, -places).StringFixed(places)
}

// drawDecimal draws a decimal of up to intDigits integer digits and up to
// six decimal places, biased towards round and extreme values.
func drawDecimal(t *rapid.T, label string, intDigits int, zeroOK bool) string {
	whole := rapid.SampledFrom([]string{"0", "1", "3", "23", "999999", "999999999999"}).Draw(t, label+"Whole")
	if len(whole) > intDigits {
		whole = whole[:intDigits]
	}
	frac := rapid.SampledFrom([]string{"", "5", "25", "335", "999999", "000001", "125"}).Draw(t, label+"Frac")
	s := whole
	if frac != "" {
		s += "." + frac
	}
	if !zeroOK && decimal.RequireFromString(s).IsZero() {
		s = "0.000001"
	}
	return s
}

// TestMoneyIsExact checks a line's gross, discount, net and splits against
// exact rationals over the whole range of inputs (prices up to 10^12,
// quantities up to 10^6, packs of up to 10^6 units, percentages with six
// places, amounts above the unit price), in GBP, JPY and KWD, both
// roundings; and that amounts beyond int64 minor units survive a commit
// and a JSON round trip.
func TestMoneyIsExact(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cur := plan.MustCurrency(rapid.SampledFrom([]string{"GBP", "JPY", "KWD"}).Draw(t, "currency"))
		places := cur.MinorUnits()
		halfEven := rapid.Bool().Draw(t, "halfEven")
		units := rapid.SampledFrom([]int{1, 1, 3, 7, 1000000}).Draw(t, "units")
		n := rapid.IntRange(1, 3).Draw(t, "rules")
		var rules []plan.Rule
		type ruleVal struct {
			pct, amt *big.Rat
			allowed  *big.Rat
		}
		var vals []ruleVal
		for i := range n {
			var d plan.Discount
			var v ruleVal
			if rapid.Bool().Draw(t, "percent") {
				p := rapid.SampledFrom([]string{"0", "12.5", "33.333333", "50", "99.999999", "100"}).Draw(t, "pct")
				d, v.pct = plan.PercentOff(dec(p)), rat(p)
			} else {
				a := drawDecimal(t, "amt", 12, true)
				d, v.amt = plan.AmountOff(dec(a)), rat(a)
			}
			allowed := int64(rapid.IntRange(-1, 3).Draw(t, "allowed"))
			if allowed == 0 {
				allowed = 1
			}
			if allowed > 0 {
				v.allowed = big.NewRat(allowed, 1)
			}
			rules = append(rules, rule(fmt.Sprint("r", i), "g", d, allowed, 0, 365, i))
			vals = append(vals, v)
		}
		p := plan.Plan{ID: "p", Species: "dog", TermMonths: 12, MonthlyFee: dec("1"), Rules: rules}
		if halfEven {
			p.Rounding = plan.HalfEven
		}
		terms, err := plan.NewTerms(cur, []plan.Group{{ID: "g", Core: true, Items: []plan.Item{{Code: "X", Units: units}}}}, p)
		if err != nil {
			t.Fatal(err)
		}
		sub, err := terms.Subscribe(plan.Enrollment{ID: "S1", Start: start})
		if err != nil {
			t.Fatal(err)
		}
		qtyS := drawDecimal(t, "qty", 6, false)
		if rat(qtyS).Cmp(big.NewRat(1000000, 1)) > 0 {
			qtyS = "1000000"
		}
		priceS := drawDecimal(t, "price", 12, true)
		v := allowance.Visit{Invoice: "I", Date: start.AddDays(1), Lines: []allowance.Line{{ID: "L", Item: "X", Qty: dec(qtyS), UnitPrice: dec(priceS)}}}
		var l allowance.Ledger
		res, err := l.Commit(sub, v)
		if err != nil {
			t.Fatal(err)
		}
		lr := res.Lines[0]

		qty, price := rat(qtyS), rat(priceS)
		unitPrice := new(big.Rat).Quo(price, big.NewRat(int64(units), 1))
		wantGross := roundRat(new(big.Rat).Mul(qty, price), places, halfEven)
		left := new(big.Rat).Mul(qty, big.NewRat(int64(units), 1))
		sum, list := new(big.Rat), new(big.Rat)
		prev, prevList := "0", "0"
		var wantSplits []string
		for i, rv := range vals {
			take := new(big.Rat).Set(left)
			if rv.allowed != nil && rv.allowed.Cmp(take) < 0 {
				take.Set(rv.allowed)
			}
			if take.Sign() == 0 {
				break
			}
			left.Sub(left, take)
			var value *big.Rat
			if rv.pct != nil {
				value = new(big.Rat).Mul(take, unitPrice)
				value.Mul(value, rv.pct)
				value.Quo(value, big.NewRat(100, 1))
			} else {
				per := rv.amt
				if per.Cmp(unitPrice) > 0 {
					per = unitPrice
				}
				value = new(big.Rat).Mul(take, per)
			}
			sum.Add(sum, value)
			list.Add(list, new(big.Rat).Mul(take, unitPrice))
			cum, cumList := roundRat(sum, places, halfEven), roundRat(list, places, halfEven)
			wantSplits = append(wantSplits, fmt.Sprintf("r%d %s %s %s", i, take.FloatString(6),
				dec(cum).Sub(dec(prev)).StringFixed(places), dec(cumList).Sub(dec(prevList)).StringFixed(places)))
			prev, prevList = cum, cumList
		}
		var gotSplits []string
		for _, s := range lr.Splits {
			gotSplits = append(gotSplits, fmt.Sprintf("%s %s %s %s", s.Rule, s.Units.StringFixed(6), s.Discount.StringFixed(places), s.ListValue.StringFixed(places)))
		}
		wantNet := dec(wantGross).Sub(dec(prev)).StringFixed(places)
		got := fmt.Sprint(lr.Gross.StringFixed(places), " ", lr.Discount.StringFixed(places), " ", lr.Net.StringFixed(places), " ", gotSplits)
		want := fmt.Sprint(wantGross, " ", dec(prev).StringFixed(places), " ", wantNet, " ", wantSplits)
		if got != want {
			t.Fatalf("qty %s × %s (units %d):\n got %s\nwant %s", qtyS, priceS, units, got, want)
		}
		if !res.Gross.Equal(lr.Gross) || !res.Discount.Equal(lr.Discount) || !res.Net.Equal(lr.Net) {
			t.Fatalf("totals %s %s %s; the one line is %s %s %s", res.Gross, res.Discount, res.Net, lr.Gross, lr.Discount, lr.Net)
		}

		// What was recorded, however large, comes back the same, also
		// through JSON.
		b, err := json.Marshal(&l)
		if err != nil {
			t.Fatal(err)
		}
		back, err := allowance.DecodeLedger(sub, b)
		if err != nil {
			t.Fatalf("%v\n%s", err, b)
		}
		again, err := back.Quote(sub, v)
		if err != nil {
			t.Fatal(err)
		}
		if d := resultDiff(res, unrecorded(again)); d != "" {
			t.Fatalf("the recorded line differs from the committed one:\n%s", d)
		}
	})
}

// unrecorded clears the Recorded flags, so that a recorded result compares
// with the result of the commit that recorded it.
func unrecorded(r allowance.Result) allowance.Result {
	r.Lines = append([]allowance.LineResult(nil), r.Lines...)
	for i := range r.Lines {
		r.Lines[i].Recorded = false
	}
	return r
}

// TestWideMoneyKeptExactly is TestMoneyIsExact's wide path on fixed
// inputs: amounts beyond int64 minor units (qty 10^6 × a price just under
// 10^12, also over a pack of 10^6 units) are committed, listed, written,
// read back, recorded and reversed exactly.
func TestWideMoneyKeptExactly(t *testing.T) {
	terms, err := plan.NewTerms(plan.MustCurrency("GBP"), []plan.Group{{ID: "g", Core: true, Items: []plan.Item{{Code: "X"}, {Code: "PK", Units: 1000000}}}},
		plan.Plan{ID: "p", Species: "dog", TermMonths: 12, MonthlyFee: dec("1"), Rules: []plan.Rule{
			rule("half", "g", pct("12.5"), 1000000, 0, 365, 1),
			rule("rest", "g", pct("100"), -1, 0, 365, 2),
		}})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := terms.Subscribe(plan.Enrollment{ID: "S1", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	// X: 10^6 units at 999999999999.99, the first 10^6 of them 12.5% off
	// (124999999999998750.00 of a list value of 999999999999990000.00).
	// PK: a pack of 10^6 units at 999999999999.99 a pack, all on "rest".
	v := allowance.Visit{Invoice: "I", Date: start.AddDays(1), Lines: []allowance.Line{
		line("L1", "X", "1000000", "999999999999.99"),
		line("L2", "PK", "1000000", "999999999999.99"),
	}}
	var l allowance.Ledger
	res := commit(t, &l, sub, v)
	type split struct{ Rule, Units, Discount, ListValue string }
	type lineGot struct {
		Gross, Discount, Net string
		Splits               []split
	}
	view := func(r allowance.Result) []lineGot {
		var out []lineGot
		for _, lr := range r.Lines {
			g := lineGot{Gross: lr.Gross.StringFixed(2), Discount: lr.Discount.StringFixed(2), Net: lr.Net.StringFixed(2)}
			for _, s := range lr.Splits {
				g.Splits = append(g.Splits, split{s.Rule, s.Units.String(), s.Discount.StringFixed(2), s.ListValue.StringFixed(2)})
			}
			out = append(out, g)
		}
		return out
	}
	want := []lineGot{
		{"999999999999990000.00", "124999999999998750.00", "874999999999991250.00",
			[]split{{"half", "1000000", "124999999999998750.00", "999999999999990000.00"}}},
		{"999999999999990000.00", "999999999999990000.00", "0.00",
			[]split{{"rest", "1000000000000", "999999999999990000.00", "999999999999990000.00"}}},
	}
	if diff := cmp.Diff(want, view(res)); diff != "" {
		t.Errorf("committed (-want +got):\n%s", diff)
	}
	if got := res.Gross.StringFixed(2) + " " + res.Discount.StringFixed(2) + " " + res.Net.StringFixed(2); got != "1999999999999980000.00 1124999999999988750.00 874999999999991250.00" {
		t.Errorf("visit total %s", got)
	}
	reds, err := l.Redemptions(sub)
	if err != nil {
		t.Fatal(err)
	}
	var redGot []split
	for _, r := range reds {
		redGot = append(redGot, split{r.Rule, r.Units.String(), r.Discount.StringFixed(2), r.ListValue.StringFixed(2)})
	}
	if diff := cmp.Diff([]split{want[0].Splits[0], want[1].Splits[0]}, redGot); diff != "" {
		t.Errorf("redemptions (-want +got):\n%s", diff)
	}

	b, err := json.Marshal(&l)
	if err != nil {
		t.Fatal(err)
	}
	const doc = `{"visits":[{"invoice":"I","date":"2026-01-11","lines":[` +
		`["L1","X","1000000","999999999999.99",[["half","1000000","124999999999998750.00","999999999999990000.00"]]],` +
		`["L2","PK","1000000","999999999999.99",[["rest","1000000000000","999999999999990000.00","999999999999990000.00"]]]]}],"adjustments":[]}`
	if string(b) != doc {
		t.Errorf("the usage document:\n got %s\nwant %s", b, doc)
	}
	back := decodeLedger(t, sub, b)
	if again, _ := json.Marshal(back); string(again) != doc {
		t.Errorf("written again:\n got %s\nwant %s", again, doc)
	}
	recorded, err := back.Quote(sub, v)
	if err != nil {
		t.Fatal(err)
	}
	if d := resultDiff(res, unrecorded(recorded)); d != "" {
		t.Errorf("recorded after a round trip (-committed +recorded):\n%s", d)
	}
	restored, err := back.Reverse(sub, "I", "L2")
	if err != nil || len(restored.Restored) != 1 || restored.Restored[0].Units.String() != "1000000000000" {
		t.Errorf("reversing the pack: %+v, %v", restored, err)
	}
	if again := commit(t, back, sub, v); !again.Lines[0].Recorded || again.Lines[1].Recorded || resultDiff(res, unrecorded(again)) != "" {
		t.Errorf("committing again after the reversal: %+v", again)
	}
}

// TestUsageTheLedgerCanCount: an unlimited rule's used is counted in
// millionths of a unit in an int64; a visit whose lines, together with
// the rule's usage and the visit's earlier lines, would go beyond it is
// refused, naming the line, and an adjustment beyond it too.
func TestUsageTheLedgerCanCount(t *testing.T) {
	terms, err := plan.NewTerms(plan.MustCurrency("GBP"), []plan.Group{{ID: "g", Core: true, Items: []plan.Item{{Code: "X"}, {Code: "PK", Units: 1000000}}}},
		plan.Plan{ID: "p", Species: "dog", TermMonths: 12, MonthlyFee: dec("1"), Rules: []plan.Rule{rule("all", "g", pct("100"), -1, 0, 365, 1)}})
	if err != nil {
		t.Fatal(err)
	}
	sub, err := terms.Subscribe(plan.Enrollment{ID: "S1", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	// Each full pack line is 10^12 units; an int64 holds 9223372.036854775807
	// of them in millionths.
	packs := func(inv string, n int) allowance.Visit {
		v := visit(inv, 1)
		for i := range n {
			v.Lines = append(v.Lines, line(fmt.Sprint("P", i), "PK", "1000000", "0"))
		}
		return v
	}
	var l allowance.Ledger
	if _, err := l.Quote(sub, packs("I0", 10)); len(plan.Problems(err)) != 1 || plan.Problems(err)[0].Path != "lines[9].qty" {
		t.Errorf("ten packs in one visit: %v; want lines[9].qty refused", err)
	}
	commit(t, &l, sub, packs("I1", 9))
	last := visit("I2", 1, line("P", "PK", "223372.036854", "0"), line("X", "X", "0.775807", "0"))
	if _, err := l.Quote(sub, last); err != nil {
		t.Fatalf("up to the last millionth: %v", err)
	}
	over := visit("I2", 1, line("P", "PK", "223372.036854", "0"), line("X", "X", "0.775808", "0"))
	if _, err := l.Quote(sub, over); len(plan.Problems(err)) != 1 || plan.Problems(err)[0].Path != "lines[1].qty" {
		t.Errorf("a millionth beyond: %v; want lines[1].qty refused", err)
	}
	commit(t, &l, sub, last)
	if got := used(t, &l, sub)["all"]; got != "9223372036854.775807" {
		t.Errorf("used %s", got)
	}
	state := ledgerJSON(t, &l)
	if _, err := l.Commit(sub, visit("I3", 1, line("X", "X", "0.000001", "0"))); err == nil {
		t.Errorf("a millionth more was committed")
	}
	if _, err := l.Adjust(sub, "all", dec("0.000001")); len(plan.Problems(err)) != 1 || plan.Problems(err)[0].Path != "units" {
		t.Errorf("an adjustment of a millionth more: %v; want units refused", err)
	}
	if got := ledgerJSON(t, &l); got != state {
		t.Errorf("refused calls changed the ledger")
	}
	if _, err := l.Adjust(sub, "all", dec("-0.000001")); err == nil {
		t.Errorf("taking back units no adjustment added was accepted")
	}
	if got := used(t, &l, sub)["all"]; got != "9223372036854.775807" {
		t.Errorf("used %s after refused calls", got)
	}
}

// TestSplitsSummingBeyondInt64: splits that each fit an int64 of minor
// units but add up beyond one (ten rules over a line of 10^6 at
// 95000000000) are read back from the usage document, and still checked
// against the line's gross.
func TestSplitsSummingBeyondInt64(t *testing.T) {
	var rules []plan.Rule
	for i := range 10 {
		rules = append(rules, rule(fmt.Sprint("r", i), "food", pct("100"), 100000, 0, 365, i))
	}
	sub := subscribe(t, rules)
	var l allowance.Ledger
	v := visit("I", 5, line("L", "FOOD", "1000000", "95000000000"))
	res := commit(t, &l, sub, v)
	if got := res.Lines[0].Discount.StringFixed(2); got != "95000000000000000.00" {
		t.Fatalf("discount %s", got)
	}
	b, err := json.Marshal(&l)
	if err != nil {
		t.Fatal(err)
	}
	back := decodeLedger(t, sub, b)
	again, err := back.Quote(sub, v)
	if err != nil {
		t.Fatal(err)
	}
	if d := resultDiff(res, unrecorded(again)); d != "" {
		t.Errorf("recorded after a round trip (-committed +recorded):\n%s", d)
	}
	last := `["r9","100000","9500000000000000.00","9500000000000000.00"]`
	forged := strings.Replace(string(b), last, `["r9","100000","9500000000000000.00","9500000000000000.01"]`, 1)
	if forged == string(b) {
		t.Fatalf("the document has no split %s: %s", last, b)
	}
	_, err = allowance.DecodeLedger(sub, []byte(forged))
	if want := "visits[0].lines[0][4]: have a list value of 95000000000000000.01, above the line's gross"; err == nil || err.Error() != want {
		t.Errorf("a list value above the gross: %v; want %s", err, want)
	}
}

// TestWideSplitsOfOneLine: a line with two splits beyond int64 minor units,
// one of them with a discount that fits (0.01 off each of 500000 units of
// a price near 10^12), keeps each split's amounts through commit, JSON,
// recording and redemptions.
func TestWideSplitsOfOneLine(t *testing.T) {
	sub := subscribe(t, []plan.Rule{
		rule("cent", "food", off("0.01"), 500000, 0, 365, 1),
		rule("all", "food", pct("100"), 500000, 0, 365, 2),
	})
	v := visit("I", 5, line("L", "FOOD", "1000000", "999999999999.99"))
	var l allowance.Ledger
	res := commit(t, &l, sub, v)
	lr := res.Lines[0]
	var got []string
	for _, s := range lr.Splits {
		got = append(got, s.Rule+" "+s.Units.String()+" "+s.Discount.StringFixed(2)+" "+s.ListValue.StringFixed(2))
	}
	want := []string{"cent 500000 5000.00 499999999999995000.00", "all 500000 499999999999995000.00 499999999999995000.00"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("splits (-want +got):\n%s", diff)
	}
	if g := lr.Gross.StringFixed(2) + " " + lr.Discount.StringFixed(2) + " " + lr.Net.StringFixed(2); g != "999999999999990000.00 500000000000000000.00 499999999999990000.00" {
		t.Errorf("the line: %s", g)
	}
	b, err := json.Marshal(&l)
	if err != nil {
		t.Fatal(err)
	}
	if want := `[["cent","500000","5000.00","499999999999995000.00"],["all","500000","499999999999995000.00","499999999999995000.00"]]`; !strings.Contains(string(b), want) {
		t.Errorf("the usage document %s does not hold the splits %s", b, want)
	}
	back := decodeLedger(t, sub, b)
	for _, led := range []*allowance.Ledger{&l, back} {
		again, err := led.Quote(sub, v)
		if err != nil {
			t.Fatal(err)
		}
		if d := resultDiff(res, unrecorded(again)); d != "" {
			t.Errorf("recorded (-committed +recorded):\n%s", d)
		}
		reds, err := led.Redemptions(sub)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, r := range reds {
			got = append(got, r.Rule+" "+r.Units.String()+" "+r.Discount.StringFixed(2)+" "+r.ListValue.StringFixed(2))
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("redemptions (-want +got):\n%s", diff)
		}
	}
}
