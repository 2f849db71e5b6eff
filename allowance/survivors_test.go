package allowance_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
)

// These tests pin behaviour that mutation testing found unchecked: the
// int64 bounds of the rule counters, the fast line reader's refusals, wide
// amounts, and which problems a usage document reports.

// unlimitedSub has one unlimited rule on the flea group.
func unlimitedSub(t *testing.T) *plan.Subscription {
	t.Helper()
	return subscribe(t, []plan.Rule{rule("flea-u", "flea", pct("10"), -1, 0, 364, 0)})
}

// maxUnits is math.MaxInt64 millionths of a unit, the most a counter holds.
const maxUnits = "9223372036854.775807"

// adjustTo brings rule flea-u's used up to total units by adjustments of
// at most 10^9 units each.
func adjustTo(t *testing.T, l *allowance.Ledger, sub *plan.Subscription, total string) {
	t.Helper()
	rest := dec(total)
	step := dec("1000000000")
	for rest.GreaterThan(step) {
		if _, err := l.Adjust(sub, "flea-u", step); err != nil {
			t.Fatal(err)
		}
		rest = rest.Sub(step)
	}
	if _, err := l.Adjust(sub, "flea-u", rest); err != nil {
		t.Fatal(err)
	}
}

func TestAdjustUnlimitedHasNoRemaining(t *testing.T) {
	sub := unlimitedSub(t)
	l, err := allowance.NewLedger(sub)
	if err != nil {
		t.Fatal(err)
	}
	a, err := l.Adjust(sub, "flea-u", dec("2"))
	if err != nil {
		t.Fatal(err)
	}
	if !a.Remaining.IsZero() {
		t.Fatalf("Remaining = %s, want 0 for an unlimited rule", a.Remaining)
	}
}

func TestAdjustUpToTheLargestCount(t *testing.T) {
	sub := unlimitedSub(t)
	l, _ := allowance.NewLedger(sub)
	adjustTo(t, l, sub, "9223372036854.775806")
	if _, err := l.Adjust(sub, "flea-u", dec("0.000001")); err != nil {
		t.Fatalf("adjusting used to exactly the largest count: %v", err)
	}
	if _, err := l.Adjust(sub, "flea-u", dec("0.000001")); err == nil {
		t.Fatal("adjusting beyond the largest count was accepted")
	}
}

func TestCommitUpToTheLargestCount(t *testing.T) {
	sub := unlimitedSub(t)
	l, _ := allowance.NewLedger(sub)
	adjustTo(t, l, sub, "9223372036853.775807")
	commit(t, l, sub, visit("I1", 1, line("L1", "FLEA-1", "1", "10")))
	if got := used(t, l, sub)["flea-u"]; got != maxUnits {
		t.Fatalf("used = %s, want %s", got, maxUnits)
	}
	if _, err := l.Commit(sub, visit("I2", 1, line("L1", "FLEA-1", "0.000001", "10"))); err == nil {
		t.Fatal("a commit beyond the largest count was accepted")
	}
}

// adjustments writes adjustments of flea-u bringing it to total units.
func adjustments(total string) string {
	var parts []string
	rest := dec(total)
	step := dec("1000000000")
	for rest.GreaterThan(step) {
		parts = append(parts, `["flea-u","1000000000"]`)
		rest = rest.Sub(step)
	}
	parts = append(parts, `["flea-u","`+rest.String()+`"]`)
	return strings.Join(parts, ",")
}

func TestDecodedAdjustmentsUpToTheLargestCount(t *testing.T) {
	sub := unlimitedSub(t)
	doc := `{"visits":[],"adjustments":[` + adjustments(maxUnits) + `]}`
	l := decodeLedger(t, sub, []byte(doc))
	if got := used(t, l, sub)["flea-u"]; got != maxUnits {
		t.Fatalf("used = %s, want %s", got, maxUnits)
	}
	doc = `{"visits":[],"adjustments":[` + adjustments(maxUnits) + `,["flea-u","0.000001"]]}`
	_, err := allowance.DecodeLedger(sub, []byte(doc))
	if err == nil || !strings.Contains(err.Error(), "than the ledger can count") {
		t.Fatalf("err = %v, want the count refused as beyond what the ledger can count", err)
	}
}

func TestDecodedLinesUpToTheLargestCount(t *testing.T) {
	sub := unlimitedSub(t)
	// Adjustments first: a line's units then bring the count to its end.
	doc := `{"adjustments":[` + adjustments("9223372036853.775807") + `],"visits":[` +
		`{"invoice":"I1","date":"2026-01-11","lines":[["L1","FLEA-1","1","10",[["flea-u","1","1.00","10.00"]]]]}]}`
	l := decodeLedger(t, sub, []byte(doc))
	if got := used(t, l, sub)["flea-u"]; got != maxUnits {
		t.Fatalf("used = %s, want %s", got, maxUnits)
	}
}

func TestEmptyVisitLeavesLedgerUnbound(t *testing.T) {
	sub := unlimitedSub(t)
	var l allowance.Ledger
	commit(t, &l, sub, allowance.Visit{Invoice: "I0", Date: start})
	if l.Subscription() != "" {
		t.Fatalf("a visit with no lines bound the ledger to %q", l.Subscription())
	}
	other, err := sub.Terms.Subscribe(plan.Enrollment{ID: "S2", Client: "C2", Start: start})
	if err != nil {
		t.Fatal(err)
	}
	commit(t, &l, other, visit("I1", 1, line("L1", "FLEA-1", "1", "10")))
}

func TestDecodeForNoSubscription(t *testing.T) {
	_, err := allowance.DecodeLedger(nil, []byte(`{"visits":[],"adjustments":[]}`))
	var ve *plan.ValidationError
	if !errors.As(err, &ve) || ve.Path != "subscription" {
		t.Fatalf("err = %v, want the nil subscription refused", err)
	}
}

// oneLine is a usage document of one visit with the given lines.
func oneLine(lines string) string {
	return `{"visits":[{"invoice":"I1","date":"2026-01-11","lines":[` + lines + `]}],"adjustments":[]}`
}

func TestMalformedLinesRefused(t *testing.T) {
	sub := unlimitedSub(t)
	big := `["flea-u","0.1","9999999999999999.99","0.00"]`
	bigs := strings.Repeat(big+",", 9) + big
	for _, doc := range []string{
		oneLine(`{"L1","FOOD","1","2.00",[]]`),
		oneLine(`[xL1","FOOD","1","2.00",[]]`),
		oneLine(`["L1","FOOD",x1","2.00",[]]`),
		oneLine(`["L1","FOOD","1","2.00",x]]`),
		oneLine(`["L1","FOOD","1","2.00",[],]`),
		oneLine(`["L1","FLEA-1","2","10.00",[["flea-u","1","0.00","0.00"]["flea-u","1","0.00","0.00"]]]`),
		oneLine(`["L1","FLEA-1","1","10.00",[{"flea-u","1","0.00","0.00"]]]`),
		oneLine(`["L1","FLEA-1","1","10.00",[["flea-u":"1","0.00","0.00"]]]`),
		oneLine(`["L1","FLEA-1","1","10.00",[["flea-u","1":"0.00","0.00"]]]`),
		oneLine(`["L1","FLEA-1","1","10.00",[["flea-u","1","0.00":"0.00"]]]`),
		oneLine(`["L1","FLEA-1","1","10.00",[["flea-u","1","-1.00","10.00"]]]`),
		oneLine(`["L1","FLEA-1","2","10.00",[["flea-u","1","0.00","-1.00"],["flea-u","1","0.00","5.00"]]]`),
		oneLine(`["L1","FLEA-1","1","10.00",[["flea-u","2","0.00","0.00"]]]`),
		// discounts whose sum is beyond an int64, read fast and carefully
		oneLine(`["L1","FLEA-1","1","10.00",[` + bigs + `]]`),
		oneLine(`[ "L1","FLEA-1","1","10.00",[` + bigs + `]]`),
		`{"visits":[{"note":"I1","date":"2026-01-11","lines":[["L1","FOOD","1","2.00",[],"noGroup"]]}],"adjustments":[]}`,
	} {
		if _, err := allowance.DecodeLedgerString(sub, doc); err == nil {
			t.Errorf("accepted %s", doc)
		}
	}
}

func TestDecodedTinySplitAccepted(t *testing.T) {
	sub := unlimitedSub(t)
	doc := oneLine(`[ "L1","FLEA-1","1","10.00",[["flea-u","0.000001","0.00","0.00"]]]`)
	l := decodeLedger(t, sub, []byte(doc))
	if got := used(t, l, sub)["flea-u"]; got != "0.000001" {
		t.Fatalf("used = %s, want 0.000001", got)
	}
}

func TestDecodedWideAmountsKept(t *testing.T) {
	sub := unlimitedSub(t)
	for _, amounts := range []string{
		`"100000000000000000.00","100000000000000000.00"`,
		`"0.01","100000000000000000.00"`,
	} {
		doc := oneLine(`["L1","FLEA-1","1000000","999999999999",[["flea-u","1000000",` + amounts + `]]]`)
		l := decodeLedger(t, sub, []byte(doc))
		b, err := l.MarshalJSON()
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(b), amounts) {
			t.Errorf("%s written again as\n%s", amounts, b)
		}
	}
}

// linesFor is n lines of FOOD, ids L1..Ln, as the decoder reads them.
func linesFor(n int) string {
	var parts []string
	for i := 1; i <= n; i++ {
		parts = append(parts, fmt.Sprintf(`["L%d","FOOD","1","2.00",[],"noGroup"]`, i))
	}
	return strings.Join(parts, ",")
}

func TestLargeVisitsOfOtherInvoicesShareLineIDs(t *testing.T) {
	sub := unlimitedSub(t)
	doc := `{"visits":[` +
		`{"invoice":"A","date":"2026-01-11","lines":[` + linesFor(40) + `]},` +
		`{"invoice":"B","date":"2026-01-12","lines":[` + linesFor(40) + `]}],"adjustments":[]}`
	l := decodeLedger(t, sub, []byte(doc))
	if l.Len() != 80 {
		t.Fatalf("Len = %d, want 80", l.Len())
	}
}

func TestDecodeReportsTheFirstRepeatedLine(t *testing.T) {
	sub := unlimitedSub(t)
	food := `["L1","FOOD","1","2.00",[],"noGroup"]`
	for _, c := range []struct{ name, doc, want string }{
		{"repeated in a later visit", `{"visits":[` +
			`{"invoice":"A","date":"2026-01-11","lines":[` + food + `]},` +
			`{"invoice":"B","date":"2026-01-11","lines":[` + food + `,["L2","FOOD","1","2.00",[],"noGroup"],` + food + `]},` +
			`{"invoice":"C","date":"2026-01-11","lines":[` + food + `,` + food + `]}],"adjustments":[]}`,
			"visits[1].lines[2][0]"},
		{"live twice", `{"visits":[` +
			`{"invoice":"A","date":"2026-01-11","lines":[` + food + `]},` +
			`{"invoice":"A","date":"2026-01-12","lines":[` + food + `]},` +
			`{"invoice":"A","date":"2026-01-13","lines":[` + food + `]}],"adjustments":[]}`,
			"visits[1].lines[0][0]"},
		{"after other problems", `{"visits":[` +
			`{"invoice":"A","date":"2026-01-11","lines":[` + food + `,` + food + `]}],"adjustments":[["nope","1"]]}`,
			"adjustments"},
	} {
		_, err := allowance.DecodeLedgerString(sub, c.doc)
		if err == nil {
			t.Errorf("%s: accepted", c.name)
			continue
		}
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: err = %v, want %s", c.name, err, c.want)
		}
		if n := strings.Count(err.Error(), "appears twice") + strings.Count(err.Error(), "already a live line"); n > 1 || c.want == "adjustments" && n > 0 {
			t.Errorf("%s: err = %v, want only the first problem of the lines", c.name, err)
		}
	}
}
