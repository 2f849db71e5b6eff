package debt_test

import (
	"fmt"
	"testing"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

// BenchmarkSettle settles a subscription whose ledger holds 500 committed
// lines (core and not) and a year of payments.
func BenchmarkSettle(b *testing.B) {
	for _, n := range []int{500} {
		b.Run(fmt.Sprint("history=", n), func(b *testing.B) {
			a := newAccount(b, 12, plan.Settlement{Method: plan.LesserOf, CancellationFee: dec("25")})
			for i := range n {
				item := "VACC"
				if i%3 == 0 {
					item = "FOOD"
				}
				a.visit(b, fmt.Sprint("I", i), i%360, item, "12.34")
			}
			for m := range 12 {
				a.pay(b, m*30, "10.00", billing.Taken)
			}
			d := start.AddDays(300)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := debt.Settle(a.sub, &a.ledger, &a.payment, debt.Notice{Date: d, Reason: "cancelled"}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
