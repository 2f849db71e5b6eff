package exposure

import (
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// The stream's residue trees against the plain longest path over every
// piece, priced with big.Rat, on streams longer than the brute force
// reaches: several blocks, entries anywhere, open and closed ends, packs.
func TestStreamAgainstEveryPiece(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		nr := rapid.IntRange(1, 4).Draw(t, "rules")
		ni := rapid.IntRange(1, 3).Draw(t, "items")
		var rules, items []string
		prices := map[string]decimal.Decimal{}
		for i := range ni {
			code := fmt.Sprintf("I%d", i)
			items = append(items, fmt.Sprintf(`{"code":%q,"units":%d}`, code, rapid.IntRange(1, 4).Draw(t, "units")))
			prices[code] = genDecimal(t, "price", rapid.SampledFrom([]int64{1, 3, 50}).Draw(t, "scale"), rapid.IntRange(0, 3).Draw(t, "places"))
		}
		for r := range nr {
			disc := fmt.Sprintf(`"discountPercent":%q`, rapid.SampledFrom([]string{"100", "50", "33.333", "7.5", "0.1"}).Draw(t, "pc"))
			if rapid.Bool().Draw(t, "amount") {
				disc = fmt.Sprintf(`"discountAmount":%q`, genDecimal(t, "amt", 3, 3).String())
			}
			rules = append(rules, fmt.Sprintf(`{"id":"r%d","group":"g",%s,"allowed":40,"endDay":30,"viewOrder":%d}`, r, disc, r))
		}
		rounding := rapid.SampledFrom([]string{"halfUp", "halfEven"}).Draw(t, "rounding")
		doc := fmt.Sprintf(`{"currency":"GBP","groups":[{"id":"g","core":true,"items":[%s]}],"plan":{"id":"p","species":"dog","termMonths":1,"monthlyFee":"1","rounding":%q,"rules":[%s]}}`,
			strings.Join(items, ","), rounding, strings.Join(rules, ","))
		in := Input{Terms: mustTerms(t, doc), Start: jan5, Prices: prices}
		p := in.Terms.Plan()
		m, err := buildModel(in.Terms, &p, p.Rules, jan5, prices, 0)
		if err != nil {
			t.Fatal(err)
		}
		gr := m.groups[0]
		var blocks []block
		for r := range nr {
			if n := rapid.IntRange(0, 25).Draw(t, "len"); n > 0 {
				blocks = append(blocks, block{rule: r, n: n})
			}
		}
		L := 0
		for _, bl := range blocks {
			L += bl.n
		}
		var entries []entry
		for range rapid.IntRange(1, 3).Draw(t, "entries") {
			entries = append(entries, entry{pos: rapid.IntRange(0, L).Draw(t, "pos"), val: rapid.Int64Range(0, 50).Draw(t, "val")})
		}
		open := rapid.Bool().Draw(t, "open")
		var ends []int
		for range rapid.IntRange(0, 3).Draw(t, "ends") {
			ends = append(ends, rapid.IntRange(0, L).Draw(t, "end"))
		}
		got, err := m.run(gr, blocks, open, entries, ends, true, &budget{left: maxWork})
		if err != nil {
			t.Fatal(err)
		}

		// The plain longest path.
		b := newBrute(t, in)
		ruleAt := make([]int, 0, L)
		for _, bl := range blocks {
			for range bl.n {
				ruleAt = append(ruleAt, bl.rule)
			}
		}
		want := make([]int64, L+1)
		for x := range want {
			want[x] = neg
		}
		for _, e := range entries {
			want[e.pos] = max(want[e.pos], e.val)
		}
		for q := 1; q <= L; q++ {
			for i, it := range b.items {
				sum := new(big.Rat)
				for a := q - 1; a >= 0; a-- {
					sum.Add(sum, b.unitValue(&b.rules[ruleAt[a]], i))
					if want[a] == neg || (int64(q-a)%it.units != 0 && !(open && q == L)) {
						continue
					}
					want[q] = max(want[q], want[a]+b.round(sum))
				}
			}
		}
		// A stream sharing this one's prefix but ending at e.
		for _, e := range ends {
			if !open || e == 0 || e == L {
				continue
			}
			end := int64(neg)
			for i := range b.items {
				sum := new(big.Rat)
				for a := e - 1; a >= 0; a-- {
					sum.Add(sum, b.unitValue(&b.rules[ruleAt[a]], i))
					if want[a] != neg {
						end = max(end, want[a]+b.round(sum))
					}
				}
			}
			gotEnd, ok := got.endVal[e]
			if !ok {
				gotEnd = neg
			}
			if gotEnd != end {
				t.Fatalf("end %d of %d: %d, every piece gives %d", e, L, gotEnd, end)
			}
			if end > neg {
				pc := got.piece(gr, int(got.endFrom[e]), e, int(got.endVia[e]), m.halfEven)
				if want[pc.a]+pc.discount != end {
					t.Fatalf("end %d: the last piece kept is worth %d", e, want[pc.a]+pc.discount)
				}
			}
		}
		for x := range want {
			if got.f[x] != want[x] {
				t.Fatalf("position %d of %d: %d, every piece gives %d\n%s\nblocks %v entries %v open %v", x, L, got.f[x], want[x], doc, blocks, entries, open)
			}
			if want[x] == neg {
				continue
			}
			// The path kept leads back to an entry with the value found.
			from, ps := got.pieces(gr, x, m.halfEven)
			v := int64(neg)
			for _, e := range entries {
				if e.pos == from {
					v = max(v, e.val)
				}
			}
			for _, pc := range ps {
				v += pc.discount
			}
			if v != want[x] {
				t.Fatalf("position %d: the path kept is worth %d, not %d", x, v, want[x])
			}
		}
	})
}

func TestTooLarge(t *testing.T) {
	doc := `{"currency":"GBP","groups":[{"id":"g","core":true,"items":[{"code":"X"}]}],
	 "plan":{"id":"p","species":"dog","termMonths":12,"monthlyFee":"10.00","rules":[
	  {"id":"all","group":"g","discountPercent":"50","allowed":"unlimited","endDay":364}]}}`
	_, err := Analyse(Input{Terms: mustTerms(t, doc), Start: jan5, Prices: map[string]decimal.Decimal{"X": dec("1.00")}, UnitsCap: 2_000_000})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("a stream of 2000000 units: %v", err)
	}
}
