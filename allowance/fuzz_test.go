package allowance_test

import (
	"encoding/json"
	"testing"

	"github.com/vetplan/healthplan/allowance"
)

// FuzzLedgerJSON: any bytes decode to a ledger or an error; a decoded
// ledger never shows a rule used below zero or above what it allows, can
// be quoted, committed to, reversed, adjusted and listed without
// panicking, and re-encodes to what decodes again to the same bytes.
func FuzzLedgerJSON(f *testing.F) {
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"visits":[{"invoice":"I","date":"2026-04-05","lines":[["L1","FLEA-1","4","23.49",[["A","3","70.47","70.47"],["B","1","23.49","23.49"]]]]}],"adjustments":[["food","2"]]}`))
	f.Add([]byte(`{"visits":[{"invoice":"I","date":"2026-04-05","lines":[["L1","X","1","1",[],"noGroup",true]]}]}`))
	f.Add([]byte(`{"adjustments":[["A","99999999999999"]]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sub := fleaSub(t)
		l, err := allowance.DecodeLedger(sub, data)
		if err != nil {
			return
		}
		check := func(when string) {
			ents, err := l.Entitlements(sub, start)
			if err != nil {
				t.Fatalf("%s: %v", when, err)
			}
			for _, e := range ents.Rules {
				if e.Used.IsNegative() || (!e.Allowed.IsUnlimited() && e.Remaining.IsNegative()) {
					t.Fatalf("%s: rule %s used %s, remaining %s", when, e.Rule, e.Used, e.Remaining)
				}
			}
		}
		check("decoded")
		b, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		back, err := allowance.DecodeLedger(sub, b)
		if err != nil {
			t.Fatalf("re-encoded ledger does not decode: %v\n%s", err, b)
		}
		if again, _ := json.Marshal(back); string(again) != string(b) {
			t.Fatalf("encodings differ:\n%s\n%s", b, again)
		}
		v := visit("NEW", 85, line("L1", "FLEA-1", "4", "23.49"), line("L2", "FOOD", "1", "10"))
		if res, err := l.Quote(sub, v); err == nil {
			for _, lr := range res.Lines {
				if lr.Discount.IsNegative() || lr.Discount.GreaterThan(lr.Gross) {
					t.Fatalf("line %s: discount %s of gross %s", lr.ID, lr.Discount, lr.Gross)
				}
			}
		}
		_, _ = l.Commit(sub, v)
		_, _ = l.Reverse(sub, "I", "L1")
		_, _ = l.Adjust(sub, "A", dec("1"))
		_, _ = l.Redemptions(sub)
		check("after calls")
	})
}
