package allowance_test

import (
	"encoding/json"
	"testing"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
)

// FuzzLedgerJSON: any bytes decode to a ledger or an error; a decoded
// ledger can be quoted, committed to, reversed, adjusted and listed for a
// subscription without panicking, and re-encodes to what decodes again.
func FuzzLedgerJSON(f *testing.F) {
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"subscription":"S1","currency":"GBP","rules":["A","B","food"],"visits":[{"invoice":"I","date":"2026-04-05","lines":[{"id":"L1","item":"FLEA-1","qty":"4","unitPrice":"23.49","splits":[{"rule":"A","units":"3","discount":"70.47","list":"70.47"},{"rule":"B","units":"1","discount":"23.49","list":"23.49"}]}]}],"adjustments":[{"rule":"food","units":"2"}]}`))
	f.Add([]byte(`{"subscription":"S1","currency":"GBP","rules":["A","B","food"],"visits":[{"invoice":"I","date":"2026-04-05","lines":[{"id":"L1","item":"X","qty":"1","unitPrice":"1","reversed":true,"reason":"noGroup"}]}]}`))
	f.Add([]byte(`{"subscription":"S1","currency":"GBP","rules":["A"],"adjustments":[{"rule":"A","units":"99999999999999"}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var l allowance.Ledger
		if err := json.Unmarshal(data, &l); err != nil {
			return
		}
		sub := fleaSub(t)
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
		if ents, err := l.Entitlements(sub, start); err == nil {
			for _, e := range ents {
				if e.Used.IsNegative() || (!e.Allowed.IsUnlimited() && e.Remaining.IsNegative()) {
					t.Fatalf("rule %s: used %s, remaining %s", e.Rule, e.Used, e.Remaining)
				}
			}
		}
		_, _ = l.Redemptions(sub)
		b, err := json.Marshal(&l)
		if err != nil {
			t.Fatal(err)
		}
		var back allowance.Ledger
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("re-encoded ledger does not decode: %v\n%s", err, b)
		}
		_ = plan.Problems
	})
}
