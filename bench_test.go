package healthplan_test

import (
	"fmt"
	"testing"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// benchTerms is a plan over a catalog of items: 10 groups (4 core) of
// items/10 codes each, three rules per group (a limited first rule, a
// large second one, and a late one whose window the visits miss).
func benchTerms(tb testing.TB, items int) *plan.Terms {
	var groups []plan.Group
	var rules []plan.Rule
	for g := range 10 {
		id := fmt.Sprint("g", g)
		grp := plan.Group{ID: id, Name: fmt.Sprint("Group ", g), Core: g < 4}
		for i := range items / 10 {
			grp.Items = append(grp.Items, plan.Item{Code: fmt.Sprintf("ITEM-%04d", g*(items/10)+i)})
		}
		groups = append(groups, grp)
		rules = append(rules,
			plan.Rule{ID: id + "-a", Group: id, Discount: plan.PercentOff(d("100")), Allowed: plan.Allowed(2), EndDay: 365, ViewOrder: 1},
			plan.Rule{ID: id + "-b", Group: id, Discount: plan.PercentOff(d("12.5")), Allowed: plan.Allowed(plan.MaxAllowed), EndDay: 365, ViewOrder: 2},
			plan.Rule{ID: id + "-late", Group: id, Discount: plan.PercentOff(d("50")), Allowed: plan.Allowed(5), StartDay: 300, EndDay: 365},
		)
	}
	t, err := plan.NewTerms(plan.MustCurrency("GBP"), groups, plan.Plan{ID: "bench", Species: "dog", TermMonths: 12,
		MonthlyFee: d("20.00"), SuspendAfterFailures: 2, Rules: rules})
	if err != nil {
		tb.Fatal(err)
	}
	return t
}

var benchPrices = []string{"23.49", "62.97", "0.335", "45.00", "7.77", "120.35", "13.49"}

// benchVisit is a 5-line invoice: items from five groups, one of them a
// quantity of 3 that splits across a group's first two rules.
func benchVisit(items int, invoice string, day int) allowance.Visit {
	v := allowance.Visit{Invoice: invoice, Date: start.AddDays(day)}
	for i := range 5 {
		item := fmt.Sprintf("ITEM-%04d", (i*2)*(items/10)+i)
		v.Lines = append(v.Lines, line(fmt.Sprint(i+1), item, fmt.Sprint(1+2*(i%2)), benchPrices[i%len(benchPrices)]))
	}
	return v
}

// benchContract is a contract with lines committed lines of history (in
// 5-line visits) and a year of monthly payments.
func benchContract(tb testing.TB, terms *plan.Terms, items, lines int) *healthplan.Contract {
	c, err := healthplan.New(terms, plan.Enrollment{ID: "BENCH-000001", Client: "CLIENT-0001", Start: start,
		Patient: plan.Patient{ID: "PET-000001", Species: "dog"}})
	if err != nil {
		tb.Fatal(err)
	}
	for v := 0; v*5 < lines; v++ {
		if _, err := c.Commit(benchVisit(items, fmt.Sprintf("INV-%06d", v), v%300)); err != nil {
			tb.Fatal(err)
		}
	}
	for m := range 12 {
		if _, err := c.Pay(billing.Payment{Date: start.AddMonths(m), Amount: d("20.00"), Status: billing.Taken}); err != nil {
			tb.Fatal(err)
		}
	}
	return c
}

// BenchmarkContractRoundTrip is what a PMS pays at every invoice: load the
// stored contract (its terms from a source that holds them), commit a
// 5-line visit, and encode the contract to store it. B/line is the
// document's bytes per committed line of history.
func BenchmarkContractRoundTrip(b *testing.B) {
	for _, c := range []struct{ catalog, lines int }{{100, 0}, {100, 2000}, {2000, 0}} {
		b.Run(fmt.Sprintf("catalog=%d/lines=%d", c.catalog, c.lines), func(b *testing.B) {
			terms := benchTerms(b, c.catalog)
			source := healthplan.TermsMap{}
			source.Add(terms)
			doc, err := benchContract(b, terms, c.catalog, c.lines).MarshalJSON()
			if err != nil {
				b.Fatal(err)
			}
			v := benchVisit(c.catalog, "NEW-INVOICE", 200)
			buf := make([]byte, 0, 2*len(doc))
			b.ReportAllocs()
			for b.Loop() {
				ct, err := healthplan.Load(doc, source)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := ct.Commit(v); err != nil {
					b.Fatal(err)
				}
				buf = ct.AppendJSON(buf[:0])
			}
			if c.lines > 0 {
				b.ReportMetric(float64(len(doc))/float64(c.lines), "B/line")
			}
		})
	}
}

// BenchmarkContractCommit is the in-memory commit of the same 5-line visit
// to the same contract with no history that
// BenchmarkContractRoundTrip/catalog=100/lines=0 loads, commits and
// encodes around: run both in one run to compare them. Each iteration
// commits to a fresh copy, made outside the timer.
func BenchmarkContractCommit(b *testing.B) {
	b.Run("catalog=100/lines=0", func(b *testing.B) {
		terms := benchTerms(b, 100)
		source := healthplan.TermsMap{}
		source.Add(terms)
		doc, err := benchContract(b, terms, 100, 0).MarshalJSON()
		if err != nil {
			b.Fatal(err)
		}
		fresh := make([]*healthplan.Contract, 4096)
		refill := func() {
			for i := range fresh {
				if fresh[i], err = healthplan.Load(doc, source); err != nil {
					b.Fatal(err)
				}
			}
		}
		refill()
		v := benchVisit(100, "NEW-INVOICE", 200)
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if i == len(fresh) {
				b.StopTimer()
				refill()
				i = 0
				b.StartTimer()
			}
			if _, err := fresh[i].Commit(v); err != nil {
				b.Fatal(err)
			}
			i++
		}
	})
}
