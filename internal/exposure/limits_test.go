package exposure

import (
	"testing"

	"github.com/shopspring/decimal"
)

// Two limits the package documentation states, pinned: a visit recorded
// after a later-dated one can get a rounding unit more than any client
// recording in date order (which the exposure assumes), and delaying a
// rule can raise the peak by a rounding unit. Rule a is 0.5 of a penny a
// unit, rule b 0.3; only packs of 3 are priced.
func TestStatedLimits(t *testing.T) {
	terms := `{"currency":"GBP","groups":[{"id":"g","core":true,"items":[{"code":"P3","units":3}]}],
	 "plan":{"id":"p","species":"dog","termMonths":1,"monthlyFee":"0","rules":[
	  {"id":"a","group":"g","discountPercent":"100","allowed":1,"startDay":0,"endDay":10,"viewOrder":1},
	  {"id":"b","group":"g","discountPercent":"60","allowed":2,"startDay":0,"endDay":20,"viewOrder":2}]}}`
	rep := analyse(t, Input{Terms: mustTerms(t, terms), Start: jan5, Prices: map[string]decimal.Decimal{"P3": dec("0.015")}})
	// In date order: a pack on day 5 takes a's 1 and b's 2, round(1.1);
	// or a pack after day 10 takes b's 2, round(0.6).
	if !rep.Peak.Exposure.Equal(dec("0.01")) {
		t.Errorf("date order: peak %s, want 0.01", rep.Peak.Exposure)
	}
	doc := `{"currency":"GBP","groups":[{"id":"g","core":true,"items":[{"code":"P3","units":3}]}],
	 "plans":[{"id":"p","species":"dog","termMonths":1,"monthlyFee":"0","rules":[
	  {"id":"a","group":"g","discountPercent":"100","allowed":1,"startDay":0,"endDay":10,"viewOrder":1},
	  {"id":"b","group":"g","discountPercent":"60","allowed":2,"startDay":0,"endDay":20,"viewOrder":2}]}],
	 "subscriptions":[{"id":"S","plan":"p","start":"2026-01-05"}],
	 "events":[
	  {"type":"visit","subscription":"S","date":"2026-01-20","invoice":"I1","lines":[{"id":"L","item":"P3","qty":"1","unitPrice":"0.015"}]},
	  {"type":"visit","subscription":"S","date":"2026-01-10","invoice":"I2","lines":[{"id":"L","item":"P3","qty":"1","unitPrice":"0.015"}]},
	  {"type":"terminate","subscription":"S","date":"2026-01-20","reason":"cancelled","preview":true}]}`
	res := replay(t, []byte(doc))
	core, paid, _ := settlement(t, res[len(res)-1])
	// Day 15 first (b's 2, round(0.6)), then day 5 (a's 1, round(0.5)).
	if !core.Sub(paid).Equal(dec("0.02")) {
		t.Errorf("recorded out of date order: %s, want 0.02", core.Sub(paid))
	}

	delay := func(start string) string {
		return `{"currency":"GBP","groups":[{"id":"g","core":true,"items":[{"code":"P3","units":3}]}],
	 "plan":{"id":"p","species":"dog","termMonths":3,"monthlyFee":"0","rules":[
	  {"id":"a","group":"g","discountPercent":"100","allowed":1,"startDay":` + start + `,"endDay":90,"viewOrder":1},
	  {"id":"b","group":"g","discountPercent":"60","allowed":3,"startDay":0,"endDay":90,"viewOrder":2}]}}`
	}
	// From day 0 a pack takes a's 1 and b's 2 (round(1.1)) then b's last
	// (round(0.3)); with a from day 50, b's 3 come first (round(0.9)) and
	// a's 1 alone after (round(0.5)).
	for start, want := range map[string]string{"0": "0.01", "50": "0.02"} {
		rep := analyse(t, Input{Terms: mustTerms(t, delay(start)), Start: jan5, Prices: map[string]decimal.Decimal{"P3": dec("0.015")}})
		if !rep.Peak.Exposure.Equal(dec(want)) {
			t.Errorf("a from day %s: peak %s, want %s", start, rep.Peak.Exposure, want)
		}
		checkClient(t, rep.Worst, rep.Peak.Exposure)
	}
}
