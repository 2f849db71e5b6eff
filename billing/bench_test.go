package billing_test

import (
	"testing"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// BenchmarkSchedule builds a 12-month schedule with a joining fee and a
// percentage multi-pet discount.
func BenchmarkSchedule(b *testing.B) {
	p := basePlan()
	p.MultiPetDiscount = plan.PercentOff(dec("12.5"))
	sub := subscribe(b, termsFor(b, "GBP", p), date("2026-01-31"), plan.Monthly, true)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := billing.ScheduleFor(sub); err != nil {
			b.Fatal(err)
		}
	}
}
