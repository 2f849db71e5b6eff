package allowance

import (
	"runtime"
	"sync"
	"testing"
	"time"
	"weak"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/plan"
)

func indexTerms(t *testing.T) *plan.Terms {
	t.Helper()
	groups := []plan.Group{{ID: "flea", Name: "Flea", Core: true, Items: []plan.Item{{Code: "FLEA-1"}}}}
	terms, err := plan.NewTerms(plan.MustCurrency("GBP"), groups, plan.Plan{ID: "p", Species: "dog", TermMonths: 12,
		MonthlyFee: decimal.RequireFromString("15"), Rules: []plan.Rule{
			{ID: "r1", Group: "flea", Discount: plan.PercentOff(decimal.RequireFromString("100")), Allowed: plan.Allowed(2), EndDay: 365},
			{ID: "r2", Group: "flea", Discount: plan.PercentOff(decimal.RequireFromString("10")), Allowed: plan.Unlimited(), EndDay: 365, ViewOrder: 1},
		}})
	if err != nil {
		t.Fatal(err)
	}
	return terms
}

// TestIndexCompiledOncePerTerms checks that every ledger of one Terms
// value shares one compiled index, equal to a fresh compile, and that
// goroutines asking for it at once all get the same one.
func TestIndexCompiledOncePerTerms(t *testing.T) {
	terms := indexTerms(t)
	var wg sync.WaitGroup
	got := make([]*index, 16)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = indexFor(terms)
		}()
	}
	wg.Wait()
	for i, ix := range got {
		if ix != got[0] {
			t.Fatalf("indexFor gave goroutine %d another index", i)
		}
	}
	opt := cmp.AllowUnexported(index{}, groupRun{}, ruleInfo{}, plan.Limit{}, plan.Discount{})
	if diff := cmp.Diff(compile(terms), got[0], opt, cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) })); diff != "" {
		t.Errorf("cached index differs from a fresh compile (-want +got):\n%s", diff)
	}
	if other := indexFor(indexTerms(t)); other == got[0] {
		t.Errorf("equal but distinct Terms share an index; want one each")
	}
}

// TestIndexReleasedWithItsTerms checks that the cache does not keep Terms
// (or their index) alive once nothing else refers to them.
func TestIndexReleasedWithItsTerms(t *testing.T) {
	terms := indexTerms(t)
	indexFor(terms)
	k := weak.Make(terms)
	if _, ok := compiled.Load(k); !ok {
		t.Fatal("indexFor did not cache the index")
	}
	terms = nil
	deadline := time.Now().Add(5 * time.Second)
	for {
		runtime.GC()
		if _, ok := compiled.Load(k); !ok {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the index of unreachable Terms is still cached after 5s of collections")
		}
		time.Sleep(time.Millisecond)
	}
	if k.Value() != nil {
		t.Error("the Terms are still reachable")
	}
	_ = terms
}
