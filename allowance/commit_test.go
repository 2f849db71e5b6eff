package allowance_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
)

func fleaSub(t *testing.T) *plan.Subscription {
	return subscribe(t, []plan.Rule{
		rule("A", "flea", pct("100"), 3, 0, 90, 1),
		rule("B", "flea", pct("100"), 3, 80, 120, 2),
		rule("food", "food", pct("10"), -1, 0, 365, 1),
	})
}

func ledgerJSON(t *testing.T, l *allowance.Ledger) string {
	t.Helper()
	b, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestCommitTwiceIsCommitOnce(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	// Covered lines, a line in no group, and a pack partly used up.
	v := visit("INV1", 85, line("L1", "FLEA-1", "4", "23.49"), line("L2", "FOOD", "1", "30"), line("L3", "XRAY", "1", "99.50"),
		line("L4", "FLEA-3PK", "1", "60"))
	first := commit(t, &l, sub, v)
	if first.Lines[2].Reason != allowance.NoGroup || first.Lines[3].Reason != allowance.UsedUp {
		t.Fatalf("reasons %v and %v; want noGroup and usedUp", first.Lines[2].Reason, first.Lines[3].Reason)
	}
	state := ledgerJSON(t, &l)
	again := commit(t, &l, sub, v)
	if got := ledgerJSON(t, &l); got != state {
		t.Errorf("a second commit changed the ledger:\n%s\nthen\n%s", state, got)
	}
	for i, lr := range again.Lines {
		if !lr.Recorded {
			t.Errorf("line %s: Recorded is false on a re-commit", lr.ID)
		}
		lr.Recorded = false
		again.Lines[i] = lr
	}
	if diff := resultDiff(first, again); diff != "" {
		t.Errorf("re-commit result differs (-first +again):\n%s", diff)
	}
	if diff := cmp.Diff(map[string]string{"A": "3", "B": "3", "food": "1"}, used(t, &l, sub)); diff != "" {
		t.Errorf("used (-want +got):\n%s", diff)
	}
}

func TestConflictingRecommitIsRefusedWhole(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	commit(t, &l, sub, visit("INV1", 10, line("L1", "FLEA-1", "1", "23.49")))
	state := ledgerJSON(t, &l)
	cases := []struct {
		name string
		v    allowance.Visit
		path string
	}{
		{"qty", visit("INV1", 10, line("L2", "FOOD", "1", "5"), line("L1", "FLEA-1", "2", "23.49")), "lines[1].qty"},
		{"unit price", visit("INV1", 10, line("L1", "FLEA-1", "1", "23.50")), "lines[0].unitPrice"},
		{"item", visit("INV1", 10, line("L1", "FLEA-3PK", "1", "23.49")), "lines[0].item"},
		{"date", visit("INV1", 11, line("L1", "FLEA-1", "1", "23.49")), "date"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			for _, op := range []string{"quote", "commit"} {
				var err error
				if op == "quote" {
					_, err = l.Quote(sub, c.v)
				} else {
					_, err = l.Commit(sub, c.v)
				}
				if !errors.Is(err, allowance.ErrLineConflict) {
					t.Fatalf("%s: error %v; want ErrLineConflict", op, err)
				}
				ps := plan.Problems(err)
				if len(ps) != 1 || ps[0].Path != c.path {
					t.Errorf("%s: problems %v; want one at %s", op, err, c.path)
				}
			}
			if got := ledgerJSON(t, &l); got != state {
				t.Errorf("a refused visit changed the ledger:\n%s\nthen\n%s", state, got)
			}
		})
	}
	// Every conflicting line is named, not only the first.
	commit(t, &l, sub, visit("INV2", 10, line("L1", "FOOD", "1", "5"), line("L2", "FOOD", "1", "5"), line("L3", "FOOD", "1", "5")))
	_, err := l.Commit(sub, visit("INV2", 10, line("L1", "FOOD", "2", "5"), line("L2", "FOOD", "1", "5"), line("L3", "FLEA-1", "1", "5")))
	var paths []string
	for _, p := range plan.Problems(err) {
		paths = append(paths, p.Path)
	}
	if diff := cmp.Diff([]string{"lines[0].qty", "lines[2].item"}, paths); diff != "" {
		t.Errorf("two conflicting lines (-want +got):\n%s\nerror: %v", diff, err)
	}
}

func TestRefusedVisitChangesNothing(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	commit(t, &l, sub, visit("INV0", 10, line("L1", "FLEA-1", "1", "10")))
	state := ledgerJSON(t, &l)
	bad := []allowance.Visit{
		visit("INV1", 10, line("L1", "FLEA-1", "1", "10"), line("L2", "FLEA-1", "0", "10")),
		visit("INV1", 10, line("L1", "FLEA-1", "1", "10"), line("L1", "FOOD", "1", "10")),
		visit("", 10, line("L1", "FLEA-1", "1", "10")),
		{Invoice: "INV1", Lines: []allowance.Line{line("L1", "FLEA-1", "1", "10")}},
		visit("INV1", 10, line("L1", "FLEA-1", "1", "-1")),
		visit("INV1", 10, line("L1", "FLEA-1", "1000000.000001", "1")),
		visit("INV1", 10, line("L1", "FLEA-1", "1", "1000000000000")),
		visit("INV1", 10, line("L1", "FLEA-1", "1.0000001", "1")),
		visit("INV1", 10, line("", "", "1", "1")),
	}
	for _, v := range bad {
		if _, err := l.Commit(sub, v); err == nil {
			t.Errorf("visit %+v was accepted", v)
		} else if len(plan.Problems(err)) == 0 {
			t.Errorf("visit %+v: error %v names no field", v, err)
		}
	}
	if got := ledgerJSON(t, &l); got != state {
		t.Errorf("refused visits changed the ledger:\n%s\nthen\n%s", state, got)
	}
}

// TestVisitRefusals: every problem of a visit is reported at once, each
// with its path.
func TestVisitRefusals(t *testing.T) {
	sub := fleaSub(t)
	long := func(last allowance.Line) allowance.Visit {
		v := visit("I", 10)
		for i := range 70 {
			v.Lines = append(v.Lines, line(fmt.Sprint("L", i), "FOOD", "1", "1"))
		}
		v.Lines = append(v.Lines, last)
		return v
	}
	cases := []struct {
		name string
		v    allowance.Visit
		want []string
	}{
		{"a line without id or item", visit("I", 10, line("", "", "1", "1")), []string{"lines[0].id", "lines[0].item"}},
		{"two bad lines", visit("I", 10, line("L1", "FOOD", "1", "1"), line("L2", "", "1", "1"), line("", "FOOD", "0", "1")),
			[]string{"lines[1].item", "lines[2].id", "lines[2].qty"}},
		{"no invoice, no date", allowance.Visit{Lines: []allowance.Line{line("L", "FOOD", "1", "1")}}, []string{"invoice", "date"}},
		{"text that is not UTF-8", visit("I\xff", 10, line("L\xff", "F\xff", "1", "1")), []string{"invoice", "lines[0].id", "lines[0].item"}},
		{"a line id twice", visit("I", 10, line("L1", "FOOD", "1", "1"), line("L2", "FOOD", "1", "1"), line("L1", "FOOD", "1", "1")),
			[]string{"lines[2].id"}},
		{"a line id twice in a long visit", long(line("L3", "FOOD", "1", "1")), []string{"lines[70].id"}},
		{"qty and price out of bounds", visit("I", 10, line("L1", "FOOD", "1000001", "1"), line("L2", "FOOD", "1", "1000000000000"),
			line("L3", "FOOD", "-1", "-1"), line("L4", "FOOD", "0.0000001", "0.0000001")),
			[]string{"lines[0].qty", "lines[1].unitPrice", "lines[2].qty", "lines[2].unitPrice", "lines[3].qty", "lines[3].unitPrice"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var l allowance.Ledger
			_, err := l.Quote(sub, c.v)
			var paths []string
			for _, p := range plan.Problems(err) {
				paths = append(paths, p.Path)
			}
			if diff := cmp.Diff(c.want, paths); diff != "" {
				t.Errorf("problem paths (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
	// The bounds themselves are accepted.
	var l allowance.Ledger
	if _, err := l.Quote(sub, long(line("L70", "FOOD", "1000000", "999999999999.999999"))); err != nil {
		t.Errorf("a visit at the bounds: %v", err)
	}
	if _, err := l.Quote(sub, visit("I", 10, line("L", "FOOD", "0.000001", "0"))); err != nil {
		t.Errorf("a visit at the lower bounds: %v", err)
	}
}

// TestLinesFoundAcrossVisits: a line is found however many visits its
// invoice has and however many lines its visit has.
func TestLinesFoundAcrossVisits(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	long := visit("I", 10)
	for i := range 40 {
		long.Lines = append(long.Lines, line(fmt.Sprint("L", i), "FOOD", "1", "1"))
	}
	commit(t, &l, sub, long)
	commit(t, &l, sub, visit("I", 11, line("M1", "FLEA-1", "1", "10")))
	commit(t, &l, sub, visit("J", 11, line("L0", "FLEA-1", "1", "10")))
	commit(t, &l, sub, visit("I", 12, line("M2", "FLEA-1", "1", "10")))
	state := ledgerJSON(t, &l)
	// Each line again, from the first visit of I, the middle one and the
	// last: recorded, nothing more used.
	for _, v := range []allowance.Visit{long, visit("I", 11, line("M1", "FLEA-1", "1", "10")), visit("I", 12, line("M2", "FLEA-1", "1", "10"))} {
		res := commit(t, &l, sub, v)
		for _, lr := range res.Lines {
			if !lr.Recorded {
				t.Errorf("invoice I line %s committed again is not recorded", lr.ID)
			}
		}
	}
	if got := ledgerJSON(t, &l); got != state {
		t.Errorf("committing lines again changed the ledger")
	}
	if _, err := l.Commit(sub, visit("I", 10, line("L39", "FOOD", "2", "1"))); len(plan.Problems(err)) != 1 || plan.Problems(err)[0].Path != "lines[0].qty" {
		t.Errorf("a changed line of a long visit: %v; want a conflict at lines[0].qty", err)
	}
	for _, id := range []string{"L39", "L0", "M1", "M2"} {
		if _, err := l.Reverse(sub, "I", id); err != nil {
			t.Errorf("reversing I/%s: %v", id, err)
		}
		if _, err := l.Reverse(sub, "I", id); !errors.Is(err, allowance.ErrAlreadyReversed) {
			t.Errorf("reversing I/%s again: %v; want ErrAlreadyReversed", id, err)
		}
	}
	if _, err := l.Reverse(sub, "I", "L40"); !errors.Is(err, allowance.ErrUnknownLine) {
		t.Errorf("reversing I/L40: %v; want ErrUnknownLine", err)
	}
	if got := used(t, &l, sub); got["A"] != "1" || got["food"] != "38" {
		t.Errorf("used after the reversals: %v; want A 1 (J/L0), food 38", got)
	}
	// A reversed line committed again is new; the decoded ledger finds the
	// same lines.
	res := commit(t, &l, sub, visit("I", 10, line("L39", "FOOD", "1", "1"), line("L38", "FOOD", "1", "1")))
	if res.Lines[0].Recorded || !res.Lines[1].Recorded {
		t.Errorf("L39 after its reversal recorded %v, L38 recorded %v; want false, true", res.Lines[0].Recorded, res.Lines[1].Recorded)
	}
	back := decodeLedger(t, sub, []byte(ledgerJSON(t, &l)))
	if _, err := back.Reverse(sub, "I", "L39"); err != nil {
		t.Errorf("reversing I/L39 in the decoded ledger: %v", err)
	}
	if _, err := back.Reverse(sub, "I", "M2"); !errors.Is(err, allowance.ErrAlreadyReversed) {
		t.Errorf("reversing I/M2 in the decoded ledger: %v; want ErrAlreadyReversed", err)
	}
	if _, err := back.Reverse(sub, "I", "L20"); err != nil {
		t.Errorf("reversing I/L20 in the decoded ledger: %v", err)
	}
}

// TestCallMessages pins what refused calls say.
func TestCallMessages(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	commit(t, &l, sub, visit("INV1", 10, line("L1", "FLEA-1", "1", "23.49")))
	other := *sub
	other.ID = "S2"
	otherCurrency := subscribeIn(t, plan.MustCurrency("EUR"), []plan.Rule{
		rule("A", "flea", pct("100"), 3, 0, 90, 1), rule("B", "flea", pct("100"), 3, 80, 120, 2), rule("food", "food", pct("10"), -1, 0, 365, 1),
	})
	const again = "; a committed line can only be committed again unchanged (reverse it first to change it)"
	for _, c := range []struct {
		call func() error
		want string
	}{
		{func() error {
			_, err := l.Commit(sub, visit("INV1", 10, line("L1", "FLEA-3PK", "2", "23.50")))
			return err
		},
			`lines[0].item: "FLEA-3PK" differs from "FLEA-1" recorded for invoice "INV1" line "L1"` + again},
		{func() error {
			_, err := l.Commit(sub, visit("INV1", 10, line("L1", "FLEA-1", "2.50", "23.49")))
			return err
		},
			`lines[0].qty: "2.5" differs from "1" recorded for invoice "INV1" line "L1"` + again},
		{func() error { _, err := l.Quote(sub, visit("INV1", 10, line("L1", "FLEA-1", "1", "23.5"))); return err },
			`lines[0].unitPrice: "23.5" differs from "23.49" recorded for invoice "INV1" line "L1"` + again},
		{func() error {
			_, err := l.Commit(sub, visit("INV1", 11, line("L1", "FLEA-1", "1", "23.49")))
			return err
		},
			`date: "2026-01-21" differs from "2026-01-20" recorded for invoice "INV1" line "L1"` + again},
		{func() error { _, err := l.Reverse(sub, "INV1", "L2"); return err }, `line: "L2" is not a committed line of invoice "INV1"`},
		{func() error { _, err := l.Adjust(sub, "Z", dec("1")); return err }, `rule: "Z" is not a rule of plan "p"; want one of A, B, food`},
		{func() error { _, err := l.Adjust(sub, "A", dec("0")); return err },
			`units: "0" is not a usable adjustment; want a non-zero number of units within ±1000000000 with at most 6 decimal places`},
		{func() error { _, err := l.Adjust(sub, "A", dec("2.5")); return err }, `units: "2.5" would make rule "A"'s used 3.5, above the 3 it allows`},
		{func() error { _, err := l.Adjust(sub, "A", dec("-1")); return err },
			`units: "-1" would take back more than the 0 units adjusted onto rule "A"; reverse the lines to give back what they used`},
		{func() error { _, err := l.Redemptions(&other); return err },
			`ledger belongs to another subscription: the ledger records subscription "S1", not "S2"`},
		{func() error { _, err := l.Entitlements(subscribe(t, nil), start); return err },
			`ledger belongs to another subscription: the ledger was recorded under rules A, B, food, but the subscription's plan has `},
		{func() error {
			_, err := l.Entitlements(subscribe(t, []plan.Rule{rule("A", "flea", pct("1"), 1, 0, 1, 1)}), start)
			return err
		},
			`ledger belongs to another subscription: the ledger was recorded under rules A, B, food, but the subscription's plan has A`},
		{func() error { _, err := l.Adjust(otherCurrency, "A", dec("1")); return err },
			`ledger belongs to another subscription: the ledger is in GBP, the subscription in EUR`},
		{func() error {
			if _, err := l.Reverse(sub, "INV1", "L1"); err != nil {
				return err
			}
			_, err := l.Reverse(sub, "INV1", "L1")
			return err
		}, `line: "L1" of invoice "INV1" is already reversed`},
	} {
		if err := c.call(); err == nil || err.Error() != c.want {
			t.Errorf("got %v\nwant %s", err, c.want)
		}
	}
}

func TestReversalRestoresExactly(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	commit(t, &l, sub, visit("INV0", 5, line("L1", "FLEA-1", "1", "23.49")))
	before := used(t, &l, sub)
	v := visit("INV1", 85, line("L1", "FLEA-1", "4", "23.49"))
	first := commit(t, &l, sub, v)
	after := used(t, &l, sub)

	restored, err := l.Reverse(sub, "INV1", "L1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]allowance.Restored{{Rule: "A", Units: dec("2")}, {Rule: "B", Units: dec("2")}}, restored.Restored, decEqual); diff != "" {
		t.Errorf("restored (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, used(t, &l, sub)); diff != "" {
		t.Errorf("used after reversal (-before +after):\n%s", diff)
	}
	again := commit(t, &l, sub, v)
	if diff := resultDiff(first, again); diff != "" {
		t.Errorf("re-commit after reversal differs (-first +again):\n%s", diff)
	}
	if diff := cmp.Diff(after, used(t, &l, sub)); diff != "" {
		t.Errorf("used after re-commit (-first commit +re-commit):\n%s", diff)
	}

	if _, err := l.Reverse(sub, "INV1", "L9"); !errors.Is(err, allowance.ErrUnknownLine) {
		t.Errorf("unknown line: %v; want ErrUnknownLine", err)
	}
	if _, err := l.Reverse(sub, "INV9", "L1"); !errors.Is(err, allowance.ErrUnknownLine) {
		t.Errorf("unknown invoice: %v; want ErrUnknownLine", err)
	}
	if _, err := l.Reverse(sub, "INV0", "L1"); err != nil {
		t.Fatal(err)
	}
	state := ledgerJSON(t, &l)
	if _, err := l.Reverse(sub, "INV0", "L1"); !errors.Is(err, allowance.ErrAlreadyReversed) {
		t.Errorf("second reversal: %v; want ErrAlreadyReversed", err)
	}
	if got := ledgerJSON(t, &l); got != state {
		t.Errorf("a refused reversal changed the ledger")
	}
}

func TestReversedLinesLeaveRedemptions(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	commit(t, &l, sub, visit("INV1", 5, line("L1", "FLEA-1", "1", "20"), line("L2", "FOOD", "2", "10")))
	commit(t, &l, sub, visit("INV2", 6, line("L1", "FLEA-3PK", "1", "30")))
	if _, err := l.Reverse(sub, "INV1", "L1"); err != nil {
		t.Fatal(err)
	}
	reds, err := l.Redemptions(sub)
	if err != nil {
		t.Fatal(err)
	}
	want := []allowance.Redemption{
		{Invoice: "INV1", Line: "L2", Item: "FOOD", Date: start.AddDays(5), Rule: "food", Group: "food",
			Core: false, Units: dec("2"), Discount: dec("2"), ListValue: dec("20")},
		{Invoice: "INV2", Line: "L1", Item: "FLEA-3PK", Date: start.AddDays(6), Rule: "A", Group: "flea",
			Core: true, Units: dec("2"), Discount: dec("20"), ListValue: dec("20")},
	}
	if diff := cmp.Diff(want, reds, decEqual, cmp.Comparer(func(a, b plan.Date) bool { return a == b })); diff != "" {
		t.Errorf("redemptions (-want +got):\n%s", diff)
	}
}

func TestAdjust(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	a, err := l.Adjust(sub, "A", dec("2"))
	if err != nil {
		t.Fatal(err)
	}
	if !a.Used.Equal(dec("2")) || !a.Remaining.Equal(dec("1")) {
		t.Errorf("after +2: used %s remaining %s; want 2 and 1", a.Used, a.Remaining)
	}
	// The adjusted units are gone: a line of 2 takes A's last one, then B
	// (in its window) or nothing.
	res := commit(t, &l, sub, visit("I", 10, line("L", "FLEA-1", "2", "10")))
	if got := summary(res.Lines[0]); got.Discount != "10.00" || got.Reason != allowance.UsedUp {
		t.Errorf("after the adjustment: %+v; want 10.00 off, used up", got)
	}
	state := ledgerJSON(t, &l)
	for _, c := range []struct {
		rule, units string
		err         error
	}{
		{"A", "1", allowance.ErrOverAllowance},
		{"B", "-0.5", allowance.ErrOverAllowance},
		{"Z", "1", allowance.ErrUnknownRule},
		{"A", "0", nil},
		{"A", "0.0000001", nil},
	} {
		_, err := l.Adjust(sub, c.rule, dec(c.units))
		if err == nil || (c.err != nil && !errors.Is(err, c.err)) {
			t.Errorf("adjust %s by %s: %v; want %v", c.rule, c.units, err, c.err)
		}
	}
	if got := ledgerJSON(t, &l); got != state {
		t.Errorf("refused adjustments changed the ledger")
	}
	a, err = l.Adjust(sub, "food", dec("1000"))
	if err != nil || !a.Used.Equal(dec("1000")) || !a.Allowed.IsUnlimited() {
		t.Errorf("unlimited rule: %+v, %v", a, err)
	}
	reds, _ := l.Redemptions(sub)
	if len(reds) != 1 {
		t.Errorf("adjustments appear as %d redemptions with money; want only the line's 1", len(reds))
	}
}

// TestAdjustLimits: an adjustment is a non-zero number of units within
// ±10^9 with at most six places, and takes used up to the allowance
// exactly; a millionth of a unit left still remains, is available and is
// covered.
func TestAdjustLimits(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	for _, c := range []struct {
		rule, units string
		ok          bool
	}{
		{"food", "1000000000.000001", false},
		{"food", "-1000000000.000001", false},
		{"food", "1000000000", true},
		{"food", "-1000000000", true},
		{"food", "0.0000001", false},
		{"A", "2.999999", true},
		{"A", "0.000002", false},
	} {
		_, err := l.Adjust(sub, c.rule, dec(c.units))
		if (err == nil) != c.ok {
			t.Errorf("adjust %s by %s: %v; want accepted %v", c.rule, c.units, err, c.ok)
		}
		if err != nil && (len(plan.Problems(err)) != 1 || plan.Problems(err)[0].Path != "units") {
			t.Errorf("adjust %s by %s: %v; want the units refused", c.rule, c.units, err)
		}
	}
	ents, err := l.Entitlements(sub, start.AddDays(10))
	if err != nil {
		t.Fatal(err)
	}
	if e := ents.Rules[0]; e.Remaining.String() != "0.000001" || e.Status != allowance.Available {
		t.Errorf("a millionth left: remaining %s, %s; want 0.000001, available", e.Remaining, e.Status)
	}
	res := commit(t, &l, sub, visit("I", 10, line("L", "FLEA-1", "1", "1000")))
	if diff := cmp.Diff(got{"1000.00", "0.00", "1000.00", []string{"A:0.000001:0.00"}, allowance.UsedUp}, summary(res.Lines[0])); diff != "" {
		t.Errorf("a line on a millionth left (-want +got):\n%s", diff)
	}
	a, err := l.Adjust(sub, "B", dec("3"))
	if err != nil || !a.Remaining.IsZero() {
		t.Errorf("adjusting up to the allowance: %+v, %v", a, err)
	}
	ents, _ = l.Entitlements(sub, start.AddDays(10))
	if e := ents.Rules[0]; !e.Remaining.IsZero() || e.Status != allowance.Exhausted {
		t.Errorf("nothing left: remaining %s, %s; want 0, exhausted", e.Remaining, e.Status)
	}
}

// A negative adjustment takes back adjusted units only: units a committed
// line holds come back by reversing it (else a later reversal would drive
// used below zero).
func TestAdjustCannotTakeBackRedeemedUnits(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	commit(t, &l, sub, visit("I", 5, line("L", "FLEA-1", "1", "10")))
	if _, err := l.Adjust(sub, "A", dec("-1")); !errors.Is(err, allowance.ErrOverAllowance) {
		t.Fatalf("taking back a redeemed unit: %v; want ErrOverAllowance", err)
	}
	if _, err := l.Adjust(sub, "A", dec("1")); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Adjust(sub, "A", dec("-1")); err != nil {
		t.Fatalf("taking back an adjusted unit: %v", err)
	}
	if _, err := l.Reverse(sub, "I", "L"); err != nil {
		t.Fatal(err)
	}
	if got := used(t, &l, sub)["A"]; got != "0" {
		t.Errorf("used %s after taking everything back; want 0", got)
	}
}

func TestSubscriptionStateStopsDiscounts(t *testing.T) {
	v := visit("I", 30, line("L", "FLEA-1", "1", "10"))
	cases := []struct {
		name string
		edit func(*plan.Subscription)
		want allowance.Reason
		why  string
	}{
		{"terminated", func(s *plan.Subscription) {
			s.Termination = &plan.Termination{Date: start.AddDays(40), Reason: "cancelled"}
		}, allowance.Terminated, "the subscription was terminated on 2026-02-19"},
		{"suspended", func(s *plan.Subscription) {
			s.Suspensions = []plan.Period{{From: start.AddDays(20), To: start.AddDays(31)}}
		}, allowance.SuspendedSub, "the subscription is suspended on 2026-02-09 (since 2026-01-30)"},
		{"suspended with no start to the suspension", func(s *plan.Subscription) {
			s.Suspensions = []plan.Period{{To: start.AddDays(31)}}
		}, allowance.SuspendedSub, "the subscription was suspended on 2026-02-09"},
		{"suspension over", func(s *plan.Subscription) {
			s.Suspensions = []plan.Period{{From: start.AddDays(20), To: start.AddDays(30)}}
		}, allowance.Covered, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			sub := fleaSub(t)
			c.edit(sub)
			var l allowance.Ledger
			res := commit(t, &l, sub, v)
			lr := res.Lines[0]
			if lr.Reason != c.want || lr.Why() != c.why {
				t.Errorf("reason %v %q; want %v %q", lr.Reason, lr.Why(), c.want, c.why)
			}
			if c.want != allowance.Covered && !lr.Discount.IsZero() {
				t.Errorf("discount %s; want none", lr.Discount)
			}
		})
	}
}

// TestWhy pins the sentence that explains each reason.
func TestWhy(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	commit(t, &l, sub, visit("I0", 10, line("L", "FLEA-1", "3", "10")))
	for _, c := range []struct {
		v    allowance.Visit
		want string
	}{
		{visit("I", -1, line("L", "FLEA-1", "1", "10")), "2026-01-09 is before the subscription starts on 2026-01-10"},
		{visit("I", 365, line("L", "FLEA-1", "1", "10")), "2027-01-10 is after the term and its grace days (last covered day 2027-01-09)"},
		{visit("I", 200, line("L", "FLEA-1", "1", "10")), `no rule of group "flea" applies on day 200`},
		{visit("I", 50, line("L", "FLEA-3PK", "2", "10")), "allowance used up: 6 of 6 units at full price"},
		{visit("I", 50, line("L", "XRAY", "2", "10")), `item "XRAY" is in no treatment group`},
		{visit("I", 50, line("L", "FOOD", "2", "10")), ""},
	} {
		res, err := l.Quote(sub, c.v)
		if err != nil {
			t.Fatal(err)
		}
		if got := res.Lines[0].Why(); got != c.want {
			t.Errorf("day %d, %s: %q; want %q", sub.Day(c.v.Date), c.v.Lines[0].Item, got, c.want)
		}
	}
}

func TestEntitlements(t *testing.T) {
	sub := subscribe(t, []plan.Rule{
		rule("A", "flea", pct("100"), 3, 0, 90, 1),
		rule("B", "flea", pct("100"), 3, 80, 120, 2),
		rule("late", "consult", pct("50"), 2, 300, 500, 1),
		rule("beyond", "consult", pct("50"), 2, 370, 380, 2),
		rule("food", "food", pct("10"), -1, 0, 365, 1),
	}, func(p *plan.Plan) { p.GraceDays = 5 })
	var l allowance.Ledger
	commit(t, &l, sub, visit("I", 85, line("L", "FLEA-1", "4", "10")))
	if _, err := l.Adjust(sub, "B", dec("2")); err != nil {
		t.Fatal(err)
	}
	type ent struct{ Rule, Allowed, Used, Remaining, From, To, Status string }
	view := func(d int) []ent {
		es, err := l.Entitlements(sub, start.AddDays(d))
		if err != nil {
			t.Fatal(err)
		}
		var out []ent
		for _, e := range es.Rules {
			rem := e.Remaining.String()
			if e.Allowed.IsUnlimited() {
				rem = "unlimited"
			}
			out = append(out, ent{e.Rule, e.Allowed.String(), e.Used.String(), rem, e.From.String(), e.To.String(), e.Status.String()})
		}
		return out
	}
	// The term runs 2026-01-10..2027-01-09; with 5 grace days the last
	// covered day is 2027-01-14 (day 369).
	want := []ent{
		{"A", "3", "3", "0", "2026-01-10", "2026-04-10", "exhausted"},
		{"B", "3", "3", "0", "2026-03-31", "2026-05-10", "exhausted"},
		{"late", "2", "0", "2", "2026-11-06", "2027-01-14", "upcoming"},
		{"beyond", "2", "0", "2", "2027-01-15", "2027-01-14", "expired"},
		{"food", "unlimited", "0", "unlimited", "2026-01-10", "2027-01-10", "available"},
	}
	if diff := cmp.Diff(want, view(85)); diff != "" {
		t.Errorf("day 85 (-want +got):\n%s", diff)
	}
	got := view(369)
	for i, status := range []string{"expired", "expired", "available", "expired", "expired"} {
		if got[i].Status != status {
			t.Errorf("day 369, rule %s: %s; want %s", got[i].Rule, got[i].Status, status)
		}
	}
	if got := view(90)[0].Status; got != "exhausted" {
		t.Errorf("rule A on its last day, used up: %s; want exhausted", got)
	}
	if got := view(91)[0].Status; got != "expired" {
		t.Errorf("rule A the day after its window: %s; want expired", got)
	}
	if got := view(300)[2].Status; got != "available" {
		t.Errorf("rule late on its first day: %s; want available", got)
	}
	if _, err := l.Entitlements(sub, plan.Date{}); len(plan.Problems(err)) != 1 || plan.Problems(err)[0].Path != "date" {
		t.Errorf("entitlements on no date: %v; want the date refused", err)
	}
}

func TestLedgerJSONRoundTrip(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	commit(t, &l, sub, visit("INV1", 85, line("L1", "FLEA-1", "4", "23.49"), line("L2", "FOOD", "1.5", "30.333")))
	commit(t, &l, sub, visit("INV2", 100, line("L1", "FLEA-3PK", "1", "60"), line("L2", "XRAY", "1", "99")))
	if _, err := l.Reverse(sub, "INV1", "L2"); err != nil {
		t.Fatal(err)
	}
	if _, err := l.Adjust(sub, "food", dec("2")); err != nil {
		t.Fatal(err)
	}
	b, err := json.Marshal(&l)
	if err != nil {
		t.Fatal(err)
	}
	const want = `{"visits":[` +
		`{"invoice":"INV1","date":"2026-04-05","lines":[["L1","FLEA-1","4","23.49",[["A","3","70.47","70.47"],["B","1","23.49","23.49"]]],["L2","FOOD","1.5","30.333",[["food","1.5","4.55","45.50"]],"",true]]},` +
		`{"invoice":"INV2","date":"2026-04-20","lines":[["L1","FLEA-3PK","1","60",[["B","2","40.00","40.00"]],"usedUp"],["L2","XRAY","1","99",[],"noGroup"]]}],` +
		`"adjustments":[["food","2"]]}`
	if string(b) != want {
		t.Errorf("the usage document:\n got %s\nwant %s", b, want)
	}
	back := decodeLedger(t, sub, b)
	if diff := cmp.Diff(string(b), ledgerJSON(t, back)); diff != "" {
		t.Errorf("JSON round trip (-first +second):\n%s", diff)
	}
	if diff := cmp.Diff(used(t, &l, sub), used(t, back, sub)); diff != "" {
		t.Errorf("rebuilt counters (-original +decoded):\n%s", diff)
	}
	next := visit("INV3", 110, line("L1", "FLEA-1", "2", "10"), line("L2", "FOOD", "1", "10"))
	q1, err1 := l.Quote(sub, next)
	q2, err2 := back.Quote(sub, next)
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if diff := resultDiff(q1, q2); diff != "" {
		t.Errorf("quotes differ after a round trip (-original +decoded):\n%s", diff)
	}
	recorded := visit("INV2", 100, line("L1", "FLEA-3PK", "1", "60"), line("L2", "XRAY", "1", "99"))
	r1, _ := l.Quote(sub, recorded)
	r2, _ := back.Quote(sub, recorded)
	if len(r2.Lines) != 2 || !r2.Lines[0].Recorded || !r2.Lines[1].Recorded || r2.Lines[1].Why() != `item "XRAY" is in no treatment group` {
		t.Errorf("the decoded ledger's recorded lines: %+v", r2.Lines)
	}
	if diff := resultDiff(r1, r2); diff != "" {
		t.Errorf("recorded lines differ after a round trip (-original +decoded):\n%s", diff)
	}

	// A reversed line keeps its reason.
	var rev allowance.Ledger
	commit(t, &rev, sub, visit("I", 5, line("L", "XRAY", "1", "9")))
	if _, err := rev.Reverse(sub, "I", "L"); err != nil {
		t.Fatal(err)
	}
	if got, want := ledgerJSON(t, &rev), `{"visits":[{"invoice":"I","date":"2026-01-15","lines":[["L","XRAY","1","9",[],"noGroup",true]]}],"adjustments":[]}`; got != want {
		t.Errorf("a reversed line in no group:\n got %s\nwant %s", got, want)
	}

	empty := decodeLedger(t, sub, []byte(`{"visits":[],"adjustments":[]}`))
	if empty.Len() != 0 || empty.Subscription() != sub.ID {
		t.Errorf("an empty usage decodes to %d lines for %q; want an empty ledger bound to %s", empty.Len(), empty.Subscription(), sub.ID)
	}
	if err := json.Unmarshal(b, &allowance.Ledger{}); err == nil {
		t.Errorf("json.Unmarshal into a Ledger, which has no subscription to check against, was accepted")
	}
}

// TestLedgerJSONLooselyWritten: a usage document written otherwise than
// MarshalJSON writes it (white space, fields in another order, numbers for
// decimals, other decimal forms, escapes, an explicit empty reason or
// reversal false) is read for what it says. (Two of its line ids end
// alike: they are still two lines.)
func TestLedgerJSONLooselyWritten(t *testing.T) {
	sub := fleaSub(t)
	doc := ` { "adjustments" : [ [ "food" , 2.5 ] ] ,
	  "visits" : [ { "lines" : [
	    [ "L1" , "FLEA-1" , 4 , 23.49 , [ [ "A" , 3 , "70.47" , 70.47 ] , [ "B" , "1.000" , "23.490" , "23.49" ] ] ] ,
	    [ "L2" , "FOOD" , "1.50" , "30.333" , [ [ "food" , "1.5" , "4.55" , "45.50" ] ] , "" , true ] ,
	    [ "L3" , "XRAY" , "1" , "99" , [ ] , "noGroup" , false ] ,
	    [ "M1" , "FLEA-1" , "1" , "1" , [ ] , "usedUp" ] ,
	    [ "L\u0035" , "FLEA-3PK" , "1" , "60" , [ [ "B" , "2" , "40" , "40.00" ] ] , "" ] ,
	    [ "L6" , "X" , 1000000 , 0 , [ ] , "noGroup" ] ,
	    [ "L7" , "X" , "0.000001" , "999999999999.999999" , [ ] , "noGroup" ]
	  ] , "date" : "2026-04-05" , "invoice" : "INV\u0031" } ] } `
	l := decodeLedger(t, sub, []byte(doc))
	const want = `{"visits":[{"invoice":"INV1","date":"2026-04-05","lines":[` +
		`["L1","FLEA-1","4","23.49",[["A","3","70.47","70.47"],["B","1","23.49","23.49"]]],` +
		`["L2","FOOD","1.5","30.333",[["food","1.5","4.55","45.50"]],"",true],` +
		`["L3","XRAY","1","99",[],"noGroup"],["M1","FLEA-1","1","1",[],"usedUp"],` +
		`["L5","FLEA-3PK","1","60",[["B","2","40.00","40.00"]]],` +
		`["L6","X","1000000","0",[],"noGroup"],["L7","X","0.000001","999999999999.999999",[],"noGroup"]]}],"adjustments":[["food","2.5"]]}`
	if got := ledgerJSON(t, l); got != want {
		t.Errorf("written again:\n got %s\nwant %s", got, want)
	}
	if diff := cmp.Diff(map[string]string{"A": "3", "B": "3", "food": "2.5"}, used(t, l, sub)); diff != "" {
		t.Errorf("used (-want +got):\n%s", diff)
	}
}

// TestLedgerJSONRefusals: a usage document the plan could not have given,
// or that is malformed, is refused with the path of each problem.
func TestLedgerJSONRefusals(t *testing.T) {
	const v = `{"invoice":"I","date":"2026-04-05","lines":[`
	cases := []struct {
		name, doc string
		want      []string // paths
	}{
		{"unknown field", `{"vists":[]}`, []string{"vists"}},
		{"unknown field in a visit", `{"visits":[{"invoice":"I","date":"2026-04-05","lines":[["L","X","1","1",[]]],"note":"x"}]}`, []string{"visits[0].note"}},
		{"a visit without lines", `{"visits":[` + v + `]}]}`, []string{"visits[0].lines"}},
		{"bad date", `{"visits":[{"invoice":"I","date":"2026-02-30","lines":[["L","X","1","1",[]]]}]}`, []string{"visits[0].date"}},
		{"rule not in the plan", `{"visits":[` + v + `["L","FLEA-1","1","1",[["Z","1","1.00","1.00"]]]]}]}`, []string{"visits[0].lines[0][4][0][0]"}},
		{"a rule of another group", `{"visits":[` + v + `["L","FLEA-1","1","1",[["food","1","0.10","1.00"]]]]}]}`, []string{"visits[0].lines[0][4][0][0]"}},
		{"a split on an item in no group", `{"visits":[` + v + `["L","XRAY","1","1",[["A","1","1.00","1.00"]]]]}]}`, []string{"visits[0].lines[0][4][0][0]"}},
		{"a split of zero units", `{"visits":[` + v + `["L","FLEA-1","1","1",[["A","0","0.00","0.00"]]]]}]}`, []string{"visits[0].lines[0][4][0][1]"}},
		{"splits over the line's units", `{"visits":[` + v + `["L","FLEA-1","1","1",[["A","1","1.00","1.00"],["B","1","1.00","1.00"]]]]}]}`, []string{"visits[0].lines[0][4]", "visits[0].lines[0][4]"}},
		{"a discount above the list value", `{"visits":[` + v + `["L","FLEA-1","1","10",[["A","1","10.01","10.00"]]]]}]}`, []string{"visits[0].lines[0][4]"}},
		{"a list value above the gross", `{"visits":[` + v + `["L","FLEA-1","1","10",[["A","1","10.00","10.01"]]]]}]}`, []string{"visits[0].lines[0][4]"}},
		{"qty out of bounds", `{"visits":[` + v + `["L","X","0","1",[]]]}]}`, []string{"visits[0].lines[0][2]"}},
		{"price out of bounds", `{"visits":[` + v + `["L","X","1","1000000000000",[]]]}]}`, []string{"visits[0].lines[0][3]"}},
		{"an unknown reason", `{"visits":[` + v + `["L","X","1","1",[],"lost"]]}]}`, []string{"visits[0].lines[0][5]"}},
		{"a line too short", `{"visits":[` + v + `["L","X","1"]]}]}`, []string{"visits[0].lines[0]"}},
		{"a line that is not an array", `{"visits":[` + v + `{"id":"L"}]}]}`, []string{"visits[0].lines[0]"}},
		{"an empty line id", `{"visits":[` + v + `["","X","1","1",[]]]}]}`, []string{"visits[0].lines[0][0]"}},
		{"live line twice", `{"visits":[` + v + `["L","X","1","1",[]],["L","X","1","1",[]]]}]}`, []string{"visits[0].lines[1][0]"}},
		{"a live line again in a later visit", `{"visits":[` + v + `["L","X","1","1",[]]]},{"invoice":"J","date":"2026-04-05","lines":[["L","X","1","1",[]]]},` +
			v + `["M","X","1","1",[]],["L","X","1","1",[]]]}]}`, []string{"visits[2].lines[1][0]"}},
		{"a line twice in a long visit", `{"visits":[` + v + manyLines(40) + `,["L7","X","1","1",[]]]}]}`, []string{"visits[0].lines[40][0]"}},
		{"a line twice in a long visit, first at the end", `{"visits":[` + v + manyLines(40) + `,["L39","X","1","1",[]],["L0","X","1","1",[]]]}]}`, []string{"visits[0].lines[40][0]"}},
		{"used above the allowance", `{"adjustments":[["A","2"],["A","2"]]}`, []string{""}},
		{"used below zero", `{"adjustments":[["A","-1"]]}`, []string{""}},
		// 9224 × -10^15 millionths is below an int64: adjusted and used
		// would wrap round to a large positive count.
		{"adjustments taken back beyond what the ledger can count", `{"adjustments":[` + strings.Repeat(`["food","-1000000000"],`, 9300) + `["food","1"]]}`,
			[]string{""}},
		{"an adjustment of zero", `{"adjustments":[["A","0"]]}`, []string{"adjustments[0][1]"}},
		{"huge exponent", `{"adjustments":[["A","1e999999"]]}`, []string{"adjustments[0][1]"}},
		{"usage beyond what the ledger can count", `{"visits":[` + v + `["L1","FOOD","1000000","1",[["food","1000000","0.00","0.00"]]],` +
			`["L3","FOOD","1","1",[["food","9000000000000","0.00","0.00"],["food","9000000000000","0.00","0.00"]]]]}]}`,
			[]string{"visits[0].lines[1][4]", ""}},
		{"two problems at once", `{"visits":[` + v + `["L","X","0","-1",[]]]}]}`, []string{"visits[0].lines[0][2]", "visits[0].lines[0][3]"}},
		{"a bad qty, and splits not checked against it", `{"visits":[` + v + `["L","FLEA-1","0","1",[["A","1","1.00","1.00"]]]]}]}`, []string{"visits[0].lines[0][2]"}},
		{"not an object", `[]`, []string{""}},
		{"visits not an array", `{"visits":{}}`, []string{"visits"}},
		{"adjustments not an array", `{"adjustments":{}}`, []string{"adjustments"}},
		{"visits twice", `{"visits":[],"visits":[]}`, []string{"visits"}},
		{"adjustments twice", `{"adjustments":[],"adjustments":[]}`, []string{"adjustments"}},
		{"a visit that is not an object", `{"visits":[1,"x"]}`, []string{"visits[0]", "visits[1]"}},
		{"a visit's field twice", `{"visits":[{"invoice":"I","invoice":"J","date":"2026-04-05","lines":[["L","X","1","1",[]]]}]}`, []string{"visits[0].invoice"}},
		{"an empty invoice", `{"visits":[{"invoice":"","date":"2026-04-05","lines":[["L","X","1","1",[]]]}]}`, []string{"visits[0].invoice"}},
		{"a visit without invoice or date", `{"visits":[{"lines":[["L","X","1","1",[]]]}]}`, []string{"visits[0]", "visits[0]"}},
		{"lines not an array", `{"visits":[{"invoice":"I","date":"2026-04-05","lines":{}}]}`, []string{"visits[0].lines"}},
		{"two bad visits", `{"visits":[{"invoice":"I","date":"2026-13-01","lines":[["L","X","1","1",[]]]},{"invoice":"","date":"2026-04-05","lines":[["L","X","1","1",[]]]}]}`,
			[]string{"visits[0].date", "visits[1].invoice"}},
		{"two bad lines in a visit", `{"visits":[` + v + `["L1","X","0","1",[]],["L2","X","1","1",[],"lost"]]}]}`, []string{"visits[0].lines[0][2]", "visits[0].lines[1][5]"}},
		{"an empty item", `{"visits":[` + v + `["L","","1","1",[]]]}]}`, []string{"visits[0].lines[0][1]"}},
		{"a line id that is not a string", `{"visits":[` + v + `[1,"X","1","1",[]]]}]}`, []string{"visits[0].lines[0][0]"}},
		{"a line one element too long", `{"visits":[` + v + `["L","X","1","1",[],"noGroup",false,1]]}]}`, []string{"visits[0].lines[0][7]"}},
		{"a qty above a million", `{"visits":[` + v + `["L","X","1000000.000001","1",[]]]}]}`, []string{"visits[0].lines[0][2]"}},
		{"a qty with seven places", `{"visits":[` + v + `["L","X","0.0000001","1",[]]]}]}`, []string{"visits[0].lines[0][2]"}},
		{"a qty that is not a decimal", `{"visits":[` + v + `["L","X","one","1",[]]]}]}`, []string{"visits[0].lines[0][2]"}},
		{"a negative price", `{"visits":[` + v + `["L","X","1","-0.01",[]]]}]}`, []string{"visits[0].lines[0][3]"}},
		{"a price with seven places", `{"visits":[` + v + `["L","X","1","0.0000001",[]]]}]}`, []string{"visits[0].lines[0][3]"}},
		{"covered written as a reason", `{"visits":[` + v + `["L","X","1","1",[],"covered"]]}]}`, []string{"visits[0].lines[0][5]"}},
		{"reversed not a boolean", `{"visits":[` + v + `["L","X","1","1",[],"noGroup","yes"]]}]}`, []string{"visits[0].lines[0][6]"}},
		{"splits not an array", `{"visits":[` + v + `["L","FLEA-1","1","1",{}]]}]}`, []string{"visits[0].lines[0][4]"}},
		{"a split that is not an array", `{"visits":[` + v + `["L","FLEA-1","1","1",["A"]]]}]}`, []string{"visits[0].lines[0][4][0]"}},
		{"a split too short", `{"visits":[` + v + `["L","FLEA-1","1","1",[["A","1","1.00"]]]]}]}`, []string{"visits[0].lines[0][4][0]"}},
		{"a split one element too long", `{"visits":[` + v + `["L","FLEA-1","1","1",[["A","1","1.00","1.00","x"]]]]}]}`, []string{"visits[0].lines[0][4][0][4]"}},
		{"a split's rule not a string", `{"visits":[` + v + `["L","FLEA-1","1","1",[[1,"1","1.00","1.00"]]]]}]}`, []string{"visits[0].lines[0][4][0][0]"}},
		{"a split's rule empty", `{"visits":[` + v + `["L","FLEA-1","1","1",[["","1","1.00","1.00"]]]]}]}`, []string{"visits[0].lines[0][4][0][0]"}},
		{"a split of negative units", `{"visits":[` + v + `["L","FLEA-1","1","1",[["A","-1","0.00","0.00"]]]]}]}`, []string{"visits[0].lines[0][4][0][1]"}},
		{"a negative discount", `{"visits":[` + v + `["L","FLEA-1","1","1",[["A","1","-0.01","1.00"]]]]}]}`, []string{"visits[0].lines[0][4][0][2]"}},
		{"a list value with three places", `{"visits":[` + v + `["L","FLEA-1","1","1",[["A","1","1.00","1.001"]]]]}]}`, []string{"visits[0].lines[0][4][0][3]"}},
		{"an amount that is not a decimal", `{"visits":[` + v + `["L","FLEA-1","1","1",[["A","1",true,"1.00"]]]]}]}`, []string{"visits[0].lines[0][4][0][2]"}},
		{"an amount of 10^30", `{"visits":[` + v + `["L","FLEA-1","1","1",[["A","1","1.00","1000000000000000000000000000000"]]]]}]}`, []string{"visits[0].lines[0][4][0][3]"}},
		{"two bad splits in a line", `{"visits":[` + v + `["L","FLEA-1","1","1",[["A","0","1.00","1.00"],["Z","1","1.00","1.00"]]]]}]}`,
			[]string{"visits[0].lines[0][4][0][1]", "visits[0].lines[0][4][1][0]"}},
		{"an adjustment that is not an array", `{"adjustments":[{"rule":"A"}]}`, []string{"adjustments[0]"}},
		{"an adjustment too short", `{"adjustments":[["A"]]}`, []string{"adjustments[0]"}},
		{"an adjustment one element too long", `{"adjustments":[["A","1","x"]]}`, []string{"adjustments[0][2]"}},
		{"an adjustment of an unknown rule", `{"adjustments":[["Z","1"]]}`, []string{"adjustments[0][0]"}},
		{"an adjustment's rule not a string", `{"adjustments":[[1,"1"]]}`, []string{"adjustments[0][0]"}},
		{"an adjustment beyond a billion", `{"adjustments":[["food","1000000000.000001"]]}`, []string{"adjustments[0][1]"}},
		{"an adjustment below minus a billion", `{"adjustments":[["food","-1000000000.000001"]]}`, []string{"adjustments[0][1]"}},
		{"two bad adjustments", `{"adjustments":[["Z","1"],["A","0"]]}`, []string{"adjustments[0][0]", "adjustments[1][1]"}},
	}
	sub := fleaSub(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := allowance.DecodeLedger(sub, []byte(c.doc))
			if err == nil {
				t.Fatalf("accepted: %s", ledgerJSON(t, l))
			}
			var paths []string
			for _, p := range plan.Problems(err) {
				paths = append(paths, p.Path)
			}
			if diff := cmp.Diff(c.want, paths); diff != "" {
				t.Errorf("problem paths (-want +got):\n%s\nerror: %v", diff, err)
			}
		})
	}
	for _, doc := range []string{`{"visits":[`, `{} {}`, `{}x`, ``} {
		if _, err := allowance.DecodeLedger(sub, []byte(doc)); err == nil || len(plan.Problems(err)) != 0 {
			t.Errorf("malformed JSON %q: %v; want a syntax error", doc, err)
		}
	}
	if _, err := allowance.DecodeLedger(sub, []byte(" {} ")); err != nil {
		t.Errorf("a document in white space: %v", err)
	}
	// In a plan without rules every rule a document names is unknown.
	bare := subscribe(t, nil)
	for _, c := range []struct{ doc, want string }{
		{`{"adjustments":[["A","1"]]}`, "adjustments[0][0]"},
		{`{"visits":[` + v + `["L","FLEA-1","1","1",[["A","1","1.00","1.00"]]]]}]}`, "visits[0].lines[0][4][0][0]"},
	} {
		_, err := allowance.DecodeLedger(bare, []byte(c.doc))
		if ps := plan.Problems(err); len(ps) != 1 || ps[0].Path != c.want {
			t.Errorf("%s in a plan without rules: %v; want one problem at %s", c.doc, err, c.want)
		}
	}
}

// TestLedgerJSONRefusesAmountsAboveTheGross: a line's splits are checked
// against its gross also when an amount is beyond int64 minor units, and
// the gross is rounded as the plan rounds it (half to even here).
func TestLedgerJSONRefusesAmountsAboveTheGross(t *testing.T) {
	const v = `{"visits":[{"invoice":"I","date":"2026-04-05","lines":[`
	unlimited := []plan.Rule{rule("food", "food", pct("100"), -1, 0, 365, 1)}
	halfUp, halfEven := subscribe(t, unlimited), subscribe(t, unlimited, func(p *plan.Plan) { p.Rounding = plan.HalfEven })
	cases := []struct {
		name string
		sub  *plan.Subscription
		doc  string
		want string // the error, "" when accepted
	}{
		{"a wide list value above the gross", halfUp, v + `["L","FOOD","1","1",[["food","1","99999999999999999999.00","99999999999999999999.00"]]]]}]}`,
			"visits[0].lines[0][4]: have a list value of 99999999999999999999.00, above the line's gross"},
		{"a wide discount above the list value", halfUp, v + `["L","FOOD","1","1",[["food","1","99999999999999999999.00","1.00"]]]]}]}`,
			"visits[0].lines[0][4]: have a discount of 99999999999999999999.00, above their list value 1.00"},
		{"a wide list value one minor unit above the gross", halfUp, v + `["L","FOOD","1000000","999999999999",[["food","1000000","1.00","999999999999000000.01"]]]]}]}`,
			"visits[0].lines[0][4]: have a list value of 999999999999000000.01, above the line's gross"},
		{"a wide line within its gross", halfUp, v + `["L","FOOD","1000000","999999999999",[["food","1","999999999999.00","999999999999.00"],["food","999999","999998999999000001.00","999998999999000001.00"]]]]}]}`, ""},
		{"the gross rounded half up", halfUp, v + `["L","FOOD","1","0.125",[["food","1","0.13","0.13"]]]]}]}`, ""},
		{"the gross rounded half to even", halfEven, v + `["L","FOOD","1","0.125",[["food","1","0.13","0.13"]]]]}]}`,
			"visits[0].lines[0][4]: have a list value of 0.13, above the line's gross"},
		{"the gross rounded half to even, read carefully", halfEven, v + `["L","FOOD","1", "0.125",[["food","1","0.13","0.13"]]]]}]}`,
			"visits[0].lines[0][4]: have a list value of 0.13, above the line's gross"},
		{"an odd gross rounded half to even", halfEven, v + `["L","FOOD","1","0.135",[["food","1","0.14","0.14"]]]]}]}`, ""},
		// 0.5 × 999999999999.01 = 499999999999.505: qty × price beyond 64 bits
		{"a large gross rounded half up", halfUp, v + `["L","FOOD","0.5","999999999999.01",[["food","0.5","499999999999.51","499999999999.51"]]]]}]}`, ""},
		{"a large gross rounded half to even", halfEven, v + `["L","FOOD","0.5","999999999999.01",[["food","0.5","499999999999.51","499999999999.51"]]]]}]}`,
			"visits[0].lines[0][4]: have a list value of 499999999999.51, above the line's gross"},
		{"a large gross rounded half to even, within it", halfEven, v + `["L","FOOD","0.5","999999999999.01",[["food","0.5","499999999999.50","499999999999.50"]]]]}]}`, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := allowance.DecodeLedger(c.sub, []byte(c.doc))
			got := ""
			if err != nil {
				got = err.Error()
			}
			if got != c.want {
				t.Errorf("error %q; want %q", got, c.want)
			}
		})
	}
}

// TestLedgerJSONMessages pins what the refusals of a usage document say.
func TestLedgerJSONMessages(t *testing.T) {
	const v = `{"invoice":"I","date":"2026-04-05","lines":[`
	sub := fleaSub(t)
	for _, c := range []struct{ doc, want string }{
		{`{"vists":[]}`, `vists: "vists" is not a field of a usage document; did you mean "visits"?`},
		{`{"visits":[],"visits":[]}`, `visits: "visits" appears twice in the object; give each field once`},
		{`{"visits":[{"lines":[["L","X","1","1",[]]]}]}`, `visits[0]: has no "invoice"; a visit has an invoice, a date and lines
visits[0]: has no "date"; a visit has an invoice, a date and lines`},
		{`{"visits":[` + v + `]}]}`, `visits[0].lines: is empty; a visit records at least one line`},
		{`{"visits":[{"invoice":"","date":"2026-02-30","lines":[["L","X","1","1",[]]]}]}`, `visits[0].invoice: is empty; want the invoice id
visits[0].date: "2026-02-30" is not a valid date; want YYYY-MM-DD`},
		{`{"visits":[` + v + `["L","X","1"]]}]}`,
			`visits[0].lines[0]: has 3 elements; a line is [id, item, qty, unitPrice, splits] followed by an optional reason and reversed`},
		{`{"visits":[` + v + `["L","X","1","1",[],"noGroup",false,1]]}]}`,
			`visits[0].lines[0][7]: "1" is one element too many; a line is [id, item, qty, unitPrice, splits, reason, reversed]`},
		{`{"visits":[` + v + `["","","one","1000000000000",[],"lost"]]}]}`, `visits[0].lines[0][0]: is empty; want the line's id
visits[0].lines[0][1]: is empty; want the item code
visits[0].lines[0][2]: "one" is not a decimal number; want a decimal such as "12.50" (the qty)
visits[0].lines[0][3]: "1000000000000" is outside 0 <= amount < 1000000000000 with at most 6 decimal places (the line's unitPrice)
visits[0].lines[0][5]: "lost" is not a reason; want "" (every unit covered) or one of noGroup, beforeStart, afterTerm, terminated, suspended, noRule, usedUp`},
		{`{"visits":[` + v + `["L","X","0","-1",[],"covered"]]}]}`, `visits[0].lines[0][2]: "0" is outside 0 < quantity <= 1000000 with at most 6 decimal places (the line's qty)
visits[0].lines[0][3]: "-1" is outside 0 <= amount < 1000000000000 with at most 6 decimal places (the line's unitPrice)
visits[0].lines[0][5]: "covered" is not a reason; want "" (every unit covered) or one of noGroup, beforeStart, afterTerm, terminated, suspended, noRule, usedUp`},
		{`{"visits":[` + v + `["L","FLEA-1","1","1",[["Z","1","1.00","1.00"],["food","1","0.10","1.00"],["A","0","1.00","1.00"],["A","1","1.00"],["A","1","1.00","1.00","x"]]]]}]}`,
			`visits[0].lines[0][4][0][0]: "Z" is not a rule of plan "p"; want one of A, B, food
visits[0].lines[0][4][1][0]: "food" is a rule of group "food", but item "FLEA-1" is in group "flea"
visits[0].lines[0][4][2][1]: "0" is not a positive number of units with at most 6 decimal places (the split's units)
visits[0].lines[0][4][3]: has 3 elements; a split is [rule, units, discount, listValue]
visits[0].lines[0][4][4][4]: "\"x\"" is one element too many; a split is [rule, units, discount, listValue]`},
		{`{"visits":[` + v + `["L","XRAY","1","1",[["A","1","1.00","1.00"]]]]}]}`, `visits[0].lines[0][4][0][0]: "A" covers item "XRAY", which is in no treatment group`},
		{`{"visits":[` + v + `["L","FLEA-1","1","1",[["A","1","-0.01","1.001"]]]]}]}`, `visits[0].lines[0][4][0][2]: "-0.01" is negative; want an amount of at least 0
visits[0].lines[0][4][0][3]: "1.001" is not an amount of GBP with at most 2 decimal places`},
		{`{"visits":[` + v + `["L","FLEA-1","1","1",[["A","1","-100000000000000000000","1000000000000000000000000000000"]]]]}]}`,
			`visits[0].lines[0][4][0][2]: "-100000000000000000000" is not an amount of GBP with at most 2 decimal places
visits[0].lines[0][4][0][3]: "1000000000000000000000000000000" is not an amount of GBP with at most 2 decimal places`},
		{`{"visits":[` + v + `["L","FLEA-1","1","1",[["A","1","1.00","1.00"],["B","1","1.00","1.00"]]]]}]}`, `visits[0].lines[0][4]: cover 2 units, more than the line's 1
visits[0].lines[0][4]: have a list value of 2.00, above the line's gross`},
		{`{"visits":[` + v + `["L","FLEA-1","1","10",[["A","1","10.01","10.00"]]]]}]}`, `visits[0].lines[0][4]: have a discount of 10.01, above their list value 10.00`},
		{`{"visits":[` + v + `["L","FLEA-1","1","10",[["A","1","10.00","10.01"]]]]}]}`, `visits[0].lines[0][4]: have a list value of 10.01, above the line's gross`},
		{`{"visits":[` + v + `["L","X","1","1",[]],["L","X","1","1",[]]]}]}`, `visits[0].lines[1][0]: "L" appears twice in the visit; a visit records each line once`},
		{`{"visits":[` + v + `["L","X","1","1",[]]]},` + v + `["L","X","1","1",[]]]}]}`,
			`visits[1].lines[0][0]: "L" is already a live line of invoice "I"; a line is committed again only after it is reversed`},
		{`{"adjustments":[["Z","1"],["A","0"],["A"],["A","1","x"]]}`, `adjustments[0][0]: "Z" is not a rule of plan "p"; want one of A, B, food
adjustments[1][1]: "0" is not a non-zero number of units within ±1000000000 with at most 6 decimal places (the adjustment's units)
adjustments[2]: has 1 elements; an adjustment is [rule, units]
adjustments[3][2]: "\"x\"" is one element too many; an adjustment is [rule, units]`},
		{`{"adjustments":[["A","2"],["A","2"],["B","-1"]]}`, `records 4 units used of rule "A", which allows 3
takes back more units from rule "B" than were adjusted onto it`},
		{`{"visits":[` + v + `["L1","FOOD","1000000","1",[["food","1000000","0.00","0.00"]]],["L3","FOOD","1","1",[["food","9000000000000","0.00","0.00"],["food","9000000000000","0.00","0.00"]]]]}]}`,
			`visits[0].lines[1][4]: cover 9223372036854.775807 units, more than the line's 1
records more units used of rule "food" than the ledger can count`},
	} {
		_, err := allowance.DecodeLedger(sub, []byte(c.doc))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s:\n got %v\nwant %s", c.doc, err, c.want)
		}
	}
}

func TestLedgerBelongsToOneSubscription(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	commit(t, &l, sub, visit("I", 5, line("L", "FLEA-1", "1", "10")))
	other := *sub
	other.ID = "S2"
	changed := subscribe(t, []plan.Rule{rule("X", "flea", pct("100"), 3, 0, 90, 1)})
	// Rule A at 50% of one unit, not 100% of three: a ledger recorded
	// under the first terms would price with rules these do not say.
	sameIDs := subscribe(t, []plan.Rule{
		rule("A", "flea", pct("50"), 1, 0, 90, 1),
		rule("B", "flea", pct("100"), 3, 80, 120, 2),
		rule("food", "food", pct("10"), -1, 0, 365, 1),
	})
	otherCurrency := subscribeIn(t, plan.MustCurrency("EUR"), []plan.Rule{
		rule("A", "flea", pct("100"), 3, 0, 90, 1),
		rule("B", "flea", pct("100"), 3, 80, 120, 2),
		rule("food", "food", pct("10"), -1, 0, 365, 1),
	})
	for _, s := range []struct {
		name string
		sub  *plan.Subscription
	}{{"another subscription", &other}, {"other rules", changed}, {"another currency", otherCurrency}, {"rules of the same ids that say something else", sameIDs}} {
		calls := map[string]error{}
		_, calls["Quote"] = l.Quote(s.sub, visit("I", 5, line("L", "FLEA-1", "1", "10")))
		_, calls["Commit"] = l.Commit(s.sub, visit("J", 5, line("L", "FLEA-1", "1", "10")))
		_, calls["Reverse"] = l.Reverse(s.sub, "I", "L")
		_, calls["Adjust"] = l.Adjust(s.sub, "A", dec("1"))
		_, calls["Redemptions"] = l.Redemptions(s.sub)
		_, calls["Entitlements"] = l.Entitlements(s.sub, start)
		for call, err := range calls {
			if !errors.Is(err, allowance.ErrOtherSubscription) {
				t.Errorf("%s for %s: %v; want ErrOtherSubscription", call, s.name, err)
			}
		}
	}
	if l.Len() != 1 || used(t, &l, sub)["A"] != "1" {
		t.Errorf("calls for other subscriptions changed the ledger: %s", ledgerJSON(t, &l))
	}
	// The same subscription with its terms built again (as a host that
	// loads them at every invoice has) is the ledger's own.
	same := fleaSub(t)
	if same.Terms == sub.Terms {
		t.Fatal("fleaSub shares its terms")
	}
	calls := map[string]error{}
	_, calls["Quote"] = l.Quote(same, visit("I", 5, line("L", "FLEA-1", "1", "10")))
	_, calls["Entitlements"] = l.Entitlements(same, start)
	_, calls["Redemptions"] = l.Redemptions(same)
	_, calls["Adjust"] = l.Adjust(same, "A", dec("1"))
	_, calls["Commit"] = l.Commit(same, visit("J", 5, line("L", "FLEA-1", "1", "10")))
	_, calls["Reverse"] = l.Reverse(same, "I", "L")
	for call, err := range calls {
		if err != nil {
			t.Errorf("%s for the same subscription with its terms built again: %v", call, err)
		}
	}
	var zeroTerms plan.Subscription = *sub
	zeroTerms.Terms = &plan.Terms{}
	if _, err := l.Quote(&zeroTerms, visit("I", 5)); !errors.Is(err, plan.ErrZeroTerms) {
		t.Errorf("zero terms: %v; want ErrZeroTerms", err)
	}
	if _, err := l.Quote(nil, visit("I", 5)); err == nil {
		t.Errorf("nil subscription accepted")
	}
	noID, noStart := *sub, *sub
	noID.ID, noStart.Start = "", plan.Date{}
	for name, s := range map[string]*plan.Subscription{"id": &noID, "start": &noStart} {
		var fresh allowance.Ledger
		if _, err := fresh.Quote(s, visit("I", 5, line("L", "FLEA-1", "1", "10"))); len(plan.Problems(err)) == 0 || plan.Problems(err)[0].Path != name {
			t.Errorf("a subscription without %s: %v; want it refused at %s", name, err, name)
		}
		if _, err := allowance.NewLedger(s); err == nil {
			t.Errorf("NewLedger of a subscription without %s: accepted", name)
		}
	}
	if _, err := allowance.NewLedger(nil); err == nil {
		t.Errorf("NewLedger(nil) accepted")
	}
}

// TestNewLedgerIsBound: a ledger made for a subscription refuses any
// other before its first commit, as the zero Ledger does after it.
func TestNewLedgerIsBound(t *testing.T) {
	sub := fleaSub(t)
	l, err := allowance.NewLedger(sub)
	if err != nil {
		t.Fatal(err)
	}
	if l.Subscription() != "S1" || l.Len() != 0 {
		t.Errorf("a new ledger records %q with %d lines; want S1, none", l.Subscription(), l.Len())
	}
	other := *sub
	other.ID = "S2"
	if _, err := l.Quote(&other, visit("I", 5, line("L", "FLEA-1", "1", "10"))); !errors.Is(err, allowance.ErrOtherSubscription) {
		t.Errorf("another subscription: %v; want ErrOtherSubscription", err)
	}
	var zero allowance.Ledger
	if zero.Subscription() != "" || zero.Len() != 0 {
		t.Errorf("the zero ledger records %q with %d lines", zero.Subscription(), zero.Len())
	}
	if _, err := zero.Quote(&other, visit("I", 5, line("L", "FLEA-1", "1", "10"))); err != nil || zero.Subscription() != "" {
		t.Errorf("a quote on the zero ledger: %v, bound to %q; want it unbound", err, zero.Subscription())
	}
	if _, err := zero.Adjust(sub, "A", dec("-0.000001")); !errors.Is(err, allowance.ErrOverAllowance) || zero.Subscription() != "" {
		t.Errorf("taking back a millionth on the zero ledger: %v, bound to %q; want ErrOverAllowance, unbound", err, zero.Subscription())
	}
	if a, err := zero.Adjust(sub, "A", dec("3")); err != nil || zero.Subscription() != "S1" || !a.Used.Equal(dec("3")) {
		t.Errorf("an adjustment on the zero ledger: %+v, %v, bound to %q; want 3 used, S1", a, err, zero.Subscription())
	}
	if _, err := zero.Quote(&other, visit("I", 5, line("L", "FLEA-1", "1", "10"))); !errors.Is(err, allowance.ErrOtherSubscription) {
		t.Errorf("another subscription after the adjustment: %v; want ErrOtherSubscription", err)
	}
}

// TestHostGlobalsChangeNothing: a host may flip shopspring's package
// settings; results must not move.
func TestHostGlobalsChangeNothing(t *testing.T) {
	run := func() string {
		sub := fleaSub(t)
		var l allowance.Ledger
		res := commit(t, &l, sub, visit("I", 85, line("L1", "FLEA-3PK", "1", "10"), line("L2", "FOOD", "3", "0.335")))
		b, _ := json.Marshal(&l)
		back, _ := json.Marshal(decodeLedger(t, sub, b))
		return res.Discount.StringFixed(2) + res.Net.StringFixed(2) + string(b) + string(back)
	}
	want := run()
	saved := []any{decimal.DivisionPrecision, decimal.MarshalJSONWithoutQuotes, decimal.TrimTrailingZeros, decimal.UseScientificNotation}
	t.Cleanup(func() {
		decimal.DivisionPrecision = saved[0].(int)
		decimal.MarshalJSONWithoutQuotes = saved[1].(bool)
		decimal.TrimTrailingZeros = saved[2].(bool)
		decimal.UseScientificNotation = saved[3].(bool)
	})
	decimal.DivisionPrecision = 1
	decimal.MarshalJSONWithoutQuotes = true
	decimal.TrimTrailingZeros = false
	decimal.UseScientificNotation = true
	if got := run(); got != want {
		t.Errorf("with other shopspring settings:\n%s\nwant\n%s", got, want)
	}
}

// manyLines is n distinct lines L0..L(n-1) of item X, as the ledger's JSON
// writes them.
func manyLines(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, `["L%d","X","1","1",[]]`, i)
	}
	return b.String()
}

// TestResultsJSON pins the JSON of what the calls return: a visit's
// result, an adjustment, a reversal and the entitlements.
func TestResultsJSON(t *testing.T) {
	sub := fleaSub(t)
	var l allowance.Ledger
	res := commit(t, &l, sub, visit("INV1", 85, line("L1", "FLEA-1", "4", "23.49"), line("L2", "FOOD", "1.5", "30"),
		line("L3", "XRAY", "1", "99.5"), line("L4", "FLEA-3PK", "1", "60")))
	adjUnlimited, err1 := l.Adjust(sub, "food", dec("2.5"))
	rev, err2 := l.Reverse(sub, "INV1", "L1")
	adjLimited, err3 := l.Adjust(sub, "A", dec("0.5"))
	ents, err4 := l.Entitlements(sub, start.AddDays(100))
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		v    any
		want string
	}{
		{"result", res, `{"lines":[` +
			`{"id":"L1","item":"FLEA-1","group":"flea","qty":"4","gross":"93.96","discount":"93.96","net":"0.00","splits":[{"rule":"A","units":"3","discount":"70.47"},{"rule":"B","units":"1","discount":"23.49"}],"reason":""},` +
			`{"id":"L2","item":"FOOD","group":"food","qty":"1.5","gross":"45.00","discount":"4.50","net":"40.50","splits":[{"rule":"food","units":"1.5","discount":"4.50"}],"reason":""},` +
			`{"id":"L3","item":"XRAY","group":"","qty":"1","gross":"99.50","discount":"0.00","net":"99.50","splits":[],"reason":"item \"XRAY\" is in no treatment group"},` +
			`{"id":"L4","item":"FLEA-3PK","group":"flea","qty":"1","gross":"60.00","discount":"40.00","net":"20.00","splits":[{"rule":"B","units":"2","discount":"40.00"}],"reason":"allowance used up: 1 of 3 units at full price"}],` +
			`"total":{"gross":"298.46","discount":"138.46","net":"160.00"}}`},
		{"an empty result", allowance.Result{Currency: plan.MustCurrency("JPY")}, `{"lines":[],"total":{"gross":"0","discount":"0","net":"0"}}`},
		{"an adjustment of an unlimited rule", adjUnlimited, `{"rule":"food","used":"4","remaining":"unlimited"}`},
		{"an adjustment of a limited rule", adjLimited, `{"rule":"A","used":"0.5","remaining":"2.5"}`},
		{"a reversal", rev, `{"restored":[{"rule":"A","units":"3"},{"rule":"B","units":"1"}]}`},
		{"entitlements", ents, `{"rules":[` +
			`{"rule":"A","group":"flea","allowed":"3","used":"0.5","remaining":"2.5","from":"2026-01-10","to":"2026-04-10","status":"expired"},` +
			`{"rule":"B","group":"flea","allowed":"3","used":"2","remaining":"1","from":"2026-03-31","to":"2026-05-10","status":"available"},` +
			`{"rule":"food","group":"food","allowed":"unlimited","used":"4","remaining":"unlimited","from":"2026-01-10","to":"2027-01-09","status":"available"}]}`},
		{"an entitlement", ents.Rules[1], `{"rule":"B","group":"flea","allowed":"3","used":"2","remaining":"1","from":"2026-03-31","to":"2026-05-10","status":"available"}`},
	} {
		b, err := json.Marshal(c.v)
		if err != nil || string(b) != c.want {
			t.Errorf("%s:\n got %s, %v\nwant %s", c.name, b, err, c.want)
		}
	}
}

// TestNames: the enums' names, and what an unknown value prints.
func TestNames(t *testing.T) {
	var statuses, reasons []string
	for s := range allowance.Status(5) {
		statuses = append(statuses, s.String())
	}
	for r := range allowance.Reason(9) {
		reasons = append(reasons, r.String())
	}
	if diff := cmp.Diff([]string{"available", "upcoming", "exhausted", "expired", "Status(4)"}, statuses); diff != "" {
		t.Errorf("statuses (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"covered", "noGroup", "beforeStart", "afterTerm", "terminated", "suspended", "noRule", "usedUp", "Reason(8)"}, reasons); diff != "" {
		t.Errorf("reasons (-want +got):\n%s", diff)
	}
	if got := (&allowance.LineResult{Reason: 8}).Why(); got != "Reason(8)" {
		t.Errorf("an unknown reason explains itself as %q", got)
	}
}
