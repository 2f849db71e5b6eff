package allowance_test

import (
	"encoding/json"
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
)

// The benchmark plan has 30 rules over 6 groups (5 each): in groups 0-3 a
// limited rule (2 units) goes first and a 999-unit rule takes the rest, so
// a line bigger than 2 units splits across them; groups 4 and 5 start with
// an unlimited rule. In every group three more rules have windows that do
// not contain the benchmark's day, so they are looked at and skipped.
func benchTerms(tb testing.TB) *plan.Terms {
	var gs []plan.Group
	var rules []plan.Rule
	discounts := []plan.Discount{pct("100"), pct("50"), pct("33.333"), off("3.50"), pct("12.5"), pct("10")}
	for g := range 6 {
		id := fmt.Sprint("g", g)
		gs = append(gs, plan.Group{ID: id, Core: g < 3, Items: []plan.Item{{Code: id + "-1"}, {Code: id + "-PK", Units: 3}}})
		first := plan.Allowed(2)
		if g >= 4 {
			first = plan.Unlimited()
		}
		rules = append(rules,
			plan.Rule{ID: id + "-first", Group: id, Discount: discounts[g], Allowed: first, EndDay: 365, ViewOrder: 1},
			plan.Rule{ID: id + "-rest", Group: id, Discount: discounts[(g+1)%6], Allowed: plan.Allowed(999), EndDay: 365, ViewOrder: 2},
			plan.Rule{ID: id + "-late", Group: id, Discount: pct("100"), Allowed: plan.Allowed(5), StartDay: 200, EndDay: 365},
			plan.Rule{ID: id + "-later", Group: id, Discount: pct("100"), Allowed: plan.Allowed(5), StartDay: 300, EndDay: 365, ViewOrder: 3},
			plan.Rule{ID: id + "-early", Group: id, Discount: pct("100"), Allowed: plan.Allowed(5), EndDay: 10, ViewOrder: 4},
		)
	}
	t, err := plan.NewTerms(plan.MustCurrency("GBP"), gs, plan.Plan{ID: "bench", Species: "dog", TermMonths: 12, MonthlyFee: dec("20"), Rules: rules})
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

func benchSub(tb testing.TB) *plan.Subscription {
	sub, err := benchTerms(tb).Subscribe(plan.Enrollment{ID: "S1", Client: "C1", Start: start})
	if err != nil {
		tb.Fatal(err)
	}
	return sub
}

var benchPrices = []string{"23.49", "62.97", "0.335", "45.00", "7.77", "120.35", "13.49"}

// benchVisit is a 20-line visit on day 85 with lines in all 6 groups.
func benchVisit(invoice string) allowance.Visit {
	v := allowance.Visit{Invoice: invoice, Date: start.AddDays(85)}
	for i := range 20 {
		item := fmt.Sprintf("g%d-1", i%6)
		if i%4 == 1 {
			item = fmt.Sprintf("g%d-PK", i%6)
		}
		v.Lines = append(v.Lines, allowance.Line{ID: fmt.Sprint("L", i), Item: item,
			Qty: decimal.NewFromInt(int64(1 + i%3)), UnitPrice: dec(benchPrices[i%len(benchPrices)])})
	}
	return v
}

// withHistory commits n lines in 20-line visits, all in groups 4 and 5
// (unlimited), so that the benchmark visit prices the same with or
// without them.
func withHistory(tb testing.TB, sub *plan.Subscription, n int) *allowance.Ledger {
	l, err := allowance.NewLedger(sub)
	if err != nil {
		tb.Fatal(err)
	}
	for v := 0; v*20 < n; v++ {
		visit := allowance.Visit{Invoice: fmt.Sprintf("H%05d", v), Date: start.AddDays(v % 300)}
		for i := 0; i < 20 && v*20+i < n; i++ {
			visit.Lines = append(visit.Lines, allowance.Line{ID: fmt.Sprint("L", i), Item: fmt.Sprintf("g%d-1", 4+i%2),
				Qty: decimal.NewFromInt(int64(1 + i%3)), UnitPrice: dec(benchPrices[i%len(benchPrices)])})
		}
		if _, err := l.Commit(sub, visit); err != nil {
			tb.Fatal(err)
		}
	}
	return l
}

func BenchmarkQuote(b *testing.B) {
	sub := benchSub(b)
	v := benchVisit("BENCH")
	for _, n := range []int{0, 10000} {
		b.Run(fmt.Sprint("history=", n), func(b *testing.B) {
			l := withHistory(b, sub, n)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.Quote(sub, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkQuoteParallel models bulk re-pricing (renewal reports,
// nightly statements): every core quotes the benchmark visit for
// subscriptions drawn in turn from a population of 2000 that share one
// plan, each with its own ledger of 50 committed lines. The engine holds no
// locks and no global state, so it should scale: run it with -cpu 1,2 to
// compare one core with two. (The population also gives the runtime a
// live heap of the size a server holding many ledgers has; with the 3 MB
// of a single ledger, the collector runs hundreds of cycles a second and
// allocation-heavy code of any kind scales poorly.)
func BenchmarkQuoteParallel(b *testing.B) {
	terms := benchTerms(b)
	type account struct {
		sub    *plan.Subscription
		ledger *allowance.Ledger
	}
	pop := make([]account, 2000)
	for i := range pop {
		sub, err := terms.Subscribe(plan.Enrollment{ID: fmt.Sprint("S", i), Client: "C", Start: start})
		if err != nil {
			b.Fatal(err)
		}
		pop[i] = account{sub, withHistory(b, sub, 50)}
	}
	var next atomic.Int64
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		v := benchVisit("BENCH") // each request brings its own lines
		i := int(next.Add(997))  // each goroutine starts elsewhere in the population
		for pb.Next() {
			a := &pop[i%len(pop)]
			if _, err := a.ledger.Quote(a.sub, v); err != nil {
				b.Error(err)
				return
			}
			i++
		}
	})
}

// floorLine is one line's inputs to the arithmetic a quote cannot avoid:
// its quantity and price, the item's units, and the covered units and
// discount of each split.
type floorLine struct {
	qty, price decimal.Decimal
	units      decimal.Decimal
	splits     []floorSplit
}

type floorSplit struct {
	covered decimal.Decimal
	percent decimal.Decimal // or
	amount  decimal.Decimal
	isPct   bool
}

// BenchmarkQuoteFloor does only the arithmetic SPEC.md section 4 makes
// unavoidable for the benchmark visit's 20 lines, with the splits already
// known: each line's gross, each split's exact value, the rounded prefix
// sums that give the splits' discounts and the line's, and the net. The
// ratio BenchmarkQuote/history=0 : BenchmarkQuoteFloor is the engine's
// overhead.
func BenchmarkQuoteFloor(b *testing.B) {
	sub := benchSub(b)
	var l allowance.Ledger
	res, err := l.Quote(sub, benchVisit("BENCH"))
	if err != nil {
		b.Fatal(err)
	}
	terms := sub.Terms
	var lines []floorLine
	for i, lr := range res.Lines {
		ref, _ := terms.Item(lr.Item)
		fl := floorLine{qty: lr.Qty, price: benchVisit("BENCH").Lines[i].UnitPrice, units: decimal.NewFromInt(ref.Units)}
		for _, s := range lr.Splits {
			r, _ := terms.Rule(s.Rule)
			fs := floorSplit{covered: s.Units}
			fs.percent, fs.isPct = r.Discount.Percent()
			if !fs.isPct {
				fs.amount, _ = r.Discount.Amount()
			}
			fl.splits = append(fl.splits, fs)
		}
		lines = append(lines, fl)
	}
	hundred := decimal.NewFromInt(100)
	b.ReportAllocs()
	for b.Loop() {
		var total decimal.Decimal
		for _, fl := range lines {
			gross := fl.qty.Mul(fl.price).Round(2)
			var sum, prev, disc decimal.Decimal
			for _, s := range fl.splits {
				if s.isPct {
					sum = sum.Add(s.covered.Mul(fl.price).Mul(s.percent))
				} else {
					per := s.amount.Mul(fl.units)
					if per.GreaterThan(fl.price) {
						per = fl.price
					}
					sum = sum.Add(s.covered.Mul(per).Mul(hundred))
				}
				disc = sum.DivRound(fl.units.Mul(hundred), 2)
				_ = disc.Sub(prev)
				prev = disc
			}
			total = total.Add(gross.Sub(disc))
		}
	}
}

// BenchmarkLedgerLine reports what one committed line costs in a ledger of
// 10000: bytes of heap (measured once, around building the ledger) and
// bytes of JSON; the loop times encoding the ledger for storage.
func BenchmarkLedgerLine(b *testing.B) {
	sub := benchSub(b)
	const n = 10000
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	l := withHistory(b, sub, n)
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / n
	var size int
	b.ReportAllocs()
	for b.Loop() {
		js, err := json.Marshal(l)
		if err != nil {
			b.Fatal(err)
		}
		size = len(js)
	}
	b.ReportMetric(heap, "heap-B/line")
	b.ReportMetric(float64(size)/n, "json-B/line")
}

// TestQuoteAllocationsFlatInHistory: a quote allocates the same whatever
// the ledger holds; the cost of a quote never grows with the history.
func TestQuoteAllocationsFlatInHistory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a 10000-line history")
	}
	sub := benchSub(t)
	v := benchVisit("BENCH")
	small, big := withHistory(t, sub, 0), withHistory(t, sub, 10000)
	quote := func(l *allowance.Ledger) func() {
		return func() {
			if _, err := l.Quote(sub, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	a0 := testing.AllocsPerRun(20, quote(small))
	a1 := testing.AllocsPerRun(20, quote(big))
	if a0 != a1 {
		t.Errorf("a quote allocates %v times on an empty ledger and %v times with 10000 lines", a0, a1)
	}
}

// TestLedgerJSONPerLine: a committed line costs at most 100 bytes of JSON.
func TestLedgerJSONPerLine(t *testing.T) {
	sub := benchSub(t)
	l := withHistory(t, sub, 2000)
	js, err := json.Marshal(l)
	if err != nil {
		t.Fatal(err)
	}
	if per := len(js) / 2000; per > 100 {
		t.Errorf("%d bytes of JSON per committed line; the budget is 100", per)
	}
}

// BenchmarkLedgerCodec decodes and encodes the usage document of 2000
// committed lines: what loading and storing a contract with that history
// costs on top of the rest (reported per line).
func BenchmarkLedgerCodec(b *testing.B) {
	sub := benchSub(b)
	const n = 2000
	doc, err := json.Marshal(withHistory(b, sub, n))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("decode", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := allowance.DecodeLedger(sub, doc); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/line")
	})
	b.Run("encode", func(b *testing.B) {
		l, _ := allowance.DecodeLedger(sub, doc)
		buf := make([]byte, 0, 2*len(doc))
		b.ReportAllocs()
		for b.Loop() {
			buf = l.AppendJSON(buf[:0])
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/line")
	})
}
