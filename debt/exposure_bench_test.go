package debt_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/debt"
)

// benchPlan is a 24-month plan of 30 rules: quarterly flea and wormer
// allowances with 10-day crossovers, yearly vaccinations with a crossover
// at the renewal, a free first consultation then 50% off six more,
// half-yearly lab tests, dental and nail clips, and a non-core food
// discount; packs of 3, prices with odd pennies.
func benchPlan(extra string) string {
	var rules []string
	add := func(id, group, disc string, allowed any, start, end, view int) {
		rules = append(rules, fmt.Sprintf(`{"id":%q,"group":%q,%s,"allowed":%v,"startDay":%d,"endDay":%d,"viewOrder":%d}`,
			id, group, disc, allowed, start, end, view))
	}
	pc := func(p string) string { return fmt.Sprintf(`"discountPercent":%q`, p) }
	for q := range 8 {
		s, e := max(0, q*91-10), q*91+90
		add(fmt.Sprintf("flea-%d", q+1), "flea", pc("100"), 3, s, e, q+1)
		add(fmt.Sprintf("worm-%d", q+1), "worm", pc("50"), 1, s, e, q+1)
	}
	add("vacc-1", "vacc", pc("100"), 1, 0, 379, 1)
	add("vacc-2", "vacc", pc("100"), 1, 350, 729, 2)
	add("consult-free", "consult", pc("100"), 1, 0, 729, 1)
	add("consult-half", "consult", pc("50"), 6, 0, 729, 2)
	for h := range 4 {
		add(fmt.Sprintf("lab-%d", h+1), "lab", pc("25"), 2, max(0, h*182-7), h*182+189, h+1)
	}
	add("dental-1", "dental", `"discountAmount":"15.00"`, 1, 30, 364, 1)
	add("dental-2", "dental", `"discountAmount":"15.00"`, 1, 365, 729, 1)
	add("nails-1", "nails", pc("100"), 2, 0, 364, 1)
	add("nails-2", "nails", pc("100"), 2, 300, 729, 2)
	add("food-1", "food", pc("10"), `"unlimited"`, 0, 729, 1)
	add("food-2", "food", pc("20"), 2, 0, 60, 0)
	return `{"currency":"GBP","groups":[
	  {"id":"flea","core":true,"items":[{"code":"FLEA-1"},{"code":"FLEA-3","units":3}]},
	  {"id":"worm","core":true,"items":[{"code":"WORM-S"},{"code":"WORM-L"}]},
	  {"id":"vacc","core":true,"items":[{"code":"VACC"}]},
	  {"id":"consult","core":true,"items":[{"code":"CONSULT"},{"code":"CONSULT-X"}]},
	  {"id":"lab","core":true,"items":[{"code":"LAB-B"},{"code":"LAB-F"}]},
	  {"id":"dental","core":true,"items":[{"code":"DENTAL"}]},
	  {"id":"nails","core":true,"items":[{"code":"NAILS"}]},
	  {"id":"food","core":false,"items":[{"code":"FOOD"}]}],
	 "plan":{"id":"big","species":"dog","termMonths":24,"monthlyFee":"24.99","joiningFee":"10.00","suspendAfterFailures":2,"graceDays":14,` + extra + `
	  "rules":[` + strings.Join(rules, ",") + `]}}`
}

var benchPrices = map[string]decimal.Decimal{
	"FLEA-1": dec("23.49"), "FLEA-3": dec("62.97"), "WORM-S": dec("8.75"), "WORM-L": dec("12.35"),
	"VACC": dec("54.99"), "CONSULT": dec("42.50"), "CONSULT-X": dec("61.25"), "LAB-B": dec("89.99"),
	"LAB-F": dec("120.01"), "DENTAL": dec("210.00"), "NAILS": dec("12.49"), "FOOD": dec("45.00"),
}

// BenchmarkExposure analyses a 30-rule, 24-month plan, the worst client's
// claim included.
func BenchmarkExposure(b *testing.B) {
	for _, bc := range []struct {
		name string
		in   debt.ExposureInput
	}{
		{"failures", debt.ExposureInput{Terms: mustTerms(b, benchPlan("")), Start: jan5, Prices: benchPrices}},
		{"failures+days", debt.ExposureInput{Terms: mustTerms(b, benchPlan(`"dunning":{"suspendAfterDays":45},`)), Start: jan5, Prices: benchPrices}},
		// The delays under a cap of 100.00 take some 200 analyses.
		{"failures+days+cap", debt.ExposureInput{Terms: mustTerms(b, benchPlan(`"dunning":{"suspendAfterDays":45},`)), Start: jan5, Prices: benchPrices,
			Cap: decimal.NewNullDecimal(dec("100.00"))}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := debt.Exposure(bc.in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestBenchPlanReplays(t *testing.T) {
	in := debt.ExposureInput{Terms: mustTerms(t, benchPlan(`"dunning":{"suspendAfterDays":45},`)), Start: jan5, Prices: benchPrices}
	rep := exposureOf(t, in)
	checkReport(t, in, rep)
	t.Logf("peak %s on day %d; paying peak %s, break-even day %d (%v)", rep.Peak.Exposure, rep.Peak.Day,
		rep.Paying.Peak.Exposure, rep.Paying.BreakEvenDay, rep.Paying.BreaksEven)
}
