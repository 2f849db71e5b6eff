package allowance_test

import (
	"encoding/json"
	"testing"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
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
		// Every live line the document records quotes again as recorded,
		// with 0 <= discount <= gross.
		var doc struct {
			Visits []struct {
				Invoice, Date string
				Lines         [][]any
			}
		}
		if err := json.Unmarshal(b, &doc); err != nil {
			t.Fatal(err)
		}
		for _, dv := range doc.Visits {
			v := allowance.Visit{Invoice: dv.Invoice, Date: plan.MustParseDate(dv.Date)}
			for _, ln := range dv.Lines {
				if len(ln) < 7 { // not reversed
					v.Lines = append(v.Lines, line(ln[0].(string), ln[1].(string), ln[2].(string), ln[3].(string)))
				}
			}
			res, err := l.Quote(sub, v)
			if err != nil {
				t.Fatalf("recorded lines of invoice %s: %v", v.Invoice, err)
			}
			for _, lr := range res.Lines {
				if !lr.Recorded || lr.Discount.IsNegative() || lr.Discount.GreaterThan(lr.Gross) {
					t.Fatalf("recorded line %s/%s: discount %s of gross %s, recorded %v", v.Invoice, lr.ID, lr.Discount, lr.Gross, lr.Recorded)
				}
			}
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
