package exposure

import (
	"testing"

	"github.com/shopspring/decimal"
)

// Allowances of the "999 means unlimited" kind, overlapping, one view
// order above another, with a capped unlimited rule, packs and prices
// below a penny: the worst and paying clients still replay exactly.
func TestLargeAllowances(t *testing.T) {
	doc := `{"currency":"GBP","groups":[{"id":"consult","core":true,"items":[{"code":"C"},{"code":"C2"},{"code":"C3","units":3}]}],
	 "plan":{"id":"p","species":"dog","termMonths":12,"monthlyFee":"20.00","suspendAfterFailures":2,"rules":[
	  {"id":"first-free","group":"consult","discountPercent":"100","allowed":1,"endDay":364,"viewOrder":1},
	  {"id":"half-off","group":"consult","discountPercent":"50","allowed":999,"endDay":364,"viewOrder":2},
	  {"id":"q2","group":"consult","discountPercent":"33.333","allowed":500,"startDay":90,"endDay":200,"viewOrder":0},
	  {"id":"y2","group":"consult","discountPercent":"12.5","allowed":"unlimited","startDay":300,"endDay":400,"viewOrder":3}]}}`
	prices := map[string]decimal.Decimal{"C": dec("40.005"), "C2": dec("0.015"), "C3": dec("99.99")}
	for _, cap := range []int64{10, 300} {
		rep := analyse(t, Input{Terms: mustTerms(t, doc), Start: jan5, Prices: prices, UnitsCap: cap})
		checkClient(t, rep.Worst, rep.Peak.Exposure)
		checkClient(t, rep.Paying.Client, rep.Paying.Peak.Exposure)
	}
}
