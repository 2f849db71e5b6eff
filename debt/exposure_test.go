package debt_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

// seedsFlea is the seeds' flea allowances: 3 packs 100% off on days 0-90
// (view order 1) and 3 more on days 80-120 (view order 2).
const seedsFlea = `{"currency":"GBP",
 "groups":[{"id":"flea","name":"Flea treatment","core":true,"items":[{"code":"FLEA-1"}]},
           {"id":"food","name":"Food","core":false,"items":[{"code":"FOOD"}]}],
 "plan":{"id":"dog-m","species":"dog","termMonths":12,"monthlyFee":"15.00","rules":[
  {"id":"flea-a","group":"flea","discountPercent":"100","allowed":3,"startDay":0,"endDay":90,"viewOrder":1},
  {"id":"flea-b","group":"flea","discountPercent":"100","allowed":3,"startDay":80,"endDay":120,"viewOrder":2},
  {"id":"food","group":"food","discountPercent":"10","allowed":"unlimited","startDay":0,"endDay":365,"viewOrder":1}]}}`

// pt builds a Point for comparisons.
func pt(day int, amount string) debt.ExposurePoint {
	return debt.ExposurePoint{Day: day, Date: jan5.AddDays(day), Exposure: dec(amount)}
}

var cmpDec = cmp.Options{
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b plan.Date) bool { return a == b }),
}

// replaysTo replays a client document and checks that its terminate
// preview shows want as coreValue − paid; it returns the preview's debt.
func replaysTo(t tb, doc []byte, want decimal.Decimal) decimal.Decimal {
	t.Helper()
	res := replay(t, doc)
	core, paid, owed := settled(t, res[len(res)-1])
	if got := core.Sub(paid); !got.Equal(want) {
		t.Fatalf("the client reaches %s (coreValue %s − paid %s), the analysis %s\n%s", got, core, paid, want, doc)
	}
	return owed
}

func TestSeedsFleaPlan(t *testing.T) {
	in := debt.ExposureInput{Terms: mustTerms(t, seedsFlea), Start: jan5,
		Prices: map[string]decimal.Decimal{"FLEA-1": dec("23.49"), "FOOD": dec("40.00")}}
	rep := exposureOf(t, in)
	if diff := cmp.Diff([]debt.ExposurePoint{pt(0, "70.47"), pt(80, "140.94")}, rep.Curve, cmpDec); diff != "" {
		t.Errorf("curve (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(pt(80, "140.94"), rep.Peak, cmpDec); diff != "" {
		t.Errorf("peak (-want +got):\n%s", diff)
	}
	if rep.Peak.Date.String() != "2026-03-26" {
		t.Errorf("peak date %s", rep.Peak.Date)
	}
	// The paying client: 70.47 of flea on day 0 less 15.00; 15.00 a month;
	// 70.47 more from day 80; below 0 for good once 10 installments (150.00)
	// are paid, on 2026-10-05 (day 273).
	if diff := cmp.Diff(pt(80, "95.94"), rep.Paying.Peak, cmpDec); diff != "" {
		t.Errorf("paying peak (-want +got):\n%s", diff)
	}
	if !rep.Paying.BreaksEven || rep.Paying.BreakEvenDay != 273 {
		t.Errorf("break-even day %d (%v), want 273", rep.Paying.BreakEvenDay, rep.Paying.BreaksEven)
	}
	if got := at(rep.Paying.Curve, 243); !got.Equal(dec("5.94")) {
		t.Errorf("paying on day 243: %s, want 5.94", got)
	}
	owed := replaysTo(t, rep.WorstClient, rep.Peak.Exposure)
	if !owed.Equal(dec("140.94")) || !rep.Claim.Debt.Equal(owed) || rep.Claim.Method != plan.CoreValue {
		t.Errorf("the plan's settlement claims %s (%s) from the worst client, its preview %s; want 140.94 under coreValue (V − P)",
			rep.Claim.Debt, rep.Claim.Method, owed)
	}
	// The worst client pays nothing: failing every installment suspends
	// nothing without suspendAfterFailures.
	if strings.Contains(string(rep.WorstClient), `"taken"`) {
		t.Errorf("the worst client pays something:\n%s", rep.WorstClient)
	}
	replaysTo(t, rep.Paying.Client, rep.Paying.Peak.Exposure)
}

func oneRule(rule string, extra string) string {
	return `{"currency":"GBP","groups":[{"id":"g","core":true,"items":[{"code":"A"},{"code":"P3","units":3}]}],
	 "plan":{"id":"p","species":"dog","termMonths":2,"monthlyFee":"50.00"` + extra + `,"rules":[` + rule + `]}}`
}

func TestRounding(t *testing.T) {
	for _, tc := range []struct {
		name, rules, extra string
		prices             map[string]decimal.Decimal
		want, lines        string
	}{
		// 50% of 23.49 is 11.745: three lines of 1 give 35.25, one line of
		// 3 gives round(35.235) = 35.24.
		{"half up: lines of one", `{"group":"g","discountPercent":"50","allowed":3,"endDay":30}`, "",
			map[string]decimal.Decimal{"A": dec("23.49")}, "35.25", `"qty": "1"`},
		// Half to even: 11.745 is 11.74 alone, so the one line of 3 wins.
		{"half even: one line", `{"group":"g","discountPercent":"50","allowed":3,"endDay":30}`, `,"rounding":"halfEven"`,
			map[string]decimal.Decimal{"A": dec("23.49")}, "35.24", `"qty": "3"`},
		// 0.3 of a penny rounds to 0 alone and to 1 in pairs.
		{"tiny prices in pairs", `{"group":"g","discountPercent":"100","allowed":4,"endDay":30}`, "",
			map[string]decimal.Decimal{"A": dec("0.003")}, "0.02", `"qty": "2"`},
		// Two rules of one unit each: apart they give 0, one line across
		// both rounds 0.6 to 1.
		{"a line across two rules", `{"group":"g","discountPercent":"100","allowed":1,"endDay":30,"viewOrder":1},
		  {"group":"g","discountPercent":"100","allowed":1,"endDay":30,"viewOrder":2}`, "",
			map[string]decimal.Decimal{"A": dec("0.003")}, "0.01", `"qty": "2"`},
		// Only a 3-pack is priced and the rule allows 2 units: the line
		// overflows (the third unit at full price).
		{"a pack larger than what is left", `{"group":"g","discountAmount":"5","allowed":2,"endDay":30}`, "",
			map[string]decimal.Decimal{"P3": dec("30.00")}, "10.00", `"qty": "1"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := exposureOf(t, debt.ExposureInput{Terms: mustTerms(t, oneRule(tc.rules, tc.extra)), Start: jan5, Prices: tc.prices})
			if !rep.Peak.Exposure.Equal(dec(tc.want)) {
				t.Fatalf("peak %s, want %s", rep.Peak.Exposure, tc.want)
			}
			if !strings.Contains(string(rep.WorstClient), tc.lines) {
				t.Errorf("worst client lacks %s:\n%s", tc.lines, rep.WorstClient)
			}
			replaysTo(t, rep.WorstClient, rep.Peak.Exposure)
		})
	}
}

// With suspendAfterFailures 2, failing everything suspends the client from
// the second installment (day 31), before rule late opens; paying the
// first installment pushes the suspension to day 59, and late's 40.00 is
// worth more than the 10.00 paid.
func TestPayingToDelaySuspension(t *testing.T) {
	doc := `{"currency":"GBP","groups":[{"id":"g","core":true,"items":[{"code":"X"}]}],
	 "plan":{"id":"p","species":"dog","termMonths":6,"monthlyFee":"10.00","suspendAfterFailures":2,"rules":[
	  {"id":"early","group":"g","discountPercent":"100","allowed":1,"startDay":0,"endDay":30},
	  {"id":"late","group":"g","discountPercent":"100","allowed":1,"startDay":45,"endDay":60}]}}`
	rep := exposureOf(t, debt.ExposureInput{Terms: mustTerms(t, doc), Start: jan5, Prices: map[string]decimal.Decimal{"X": dec("40.00")}})
	if diff := cmp.Diff([]debt.ExposurePoint{pt(0, "40.00"), pt(45, "70.00")}, rep.Curve, cmpDec); diff != "" {
		t.Errorf("curve (-want +got):\n%s", diff)
	}
	var d struct {
		Events []map[string]any `json:"events"`
	}
	if err := json.Unmarshal(rep.WorstClient, &d); err != nil {
		t.Fatal(err)
	}
	taken := 0
	for _, e := range d.Events {
		if e["status"] == "taken" {
			taken++
		}
	}
	if taken != 1 {
		t.Errorf("the worst client pays %d installments, want 1:\n%s", taken, rep.WorstClient)
	}
	replaysTo(t, rep.WorstClient, dec("70.00"))
}

// With dunning.suspendAfterDays 30, a client who fails the first
// installment and pays the second on day 31 has it applied to the first:
// the oldest overdue installment is then the second, 9 days past due on
// day 40.
func TestDaysPastDue(t *testing.T) {
	doc := func(after int) string {
		return fmt.Sprintf(`{"currency":"GBP","groups":[{"id":"g","core":true,"items":[{"code":"X"}]}],
	 "plan":{"id":"p","species":"dog","termMonths":6,"monthlyFee":"10.00","dunning":{"suspendAfterDays":%d},"rules":[
	  {"id":"r","group":"g","discountPercent":"100","allowed":1,"startDay":40,"endDay":50}]}}`, after)
	}
	prices := map[string]decimal.Decimal{"X": dec("100.00")}
	rep := exposureOf(t, debt.ExposureInput{Terms: mustTerms(t, doc(30)), Start: jan5, Prices: prices})
	if diff := cmp.Diff([]debt.ExposurePoint{pt(0, "0.00"), pt(40, "90.00")}, rep.Curve, cmpDec); diff != "" {
		t.Errorf("curve (-want +got):\n%s", diff)
	}
	replaysTo(t, rep.WorstClient, dec("90.00"))
	// With 45 days, failing both installments leaves day 40 covered (40
	// days past due), worth the whole 100.00.
	rep = exposureOf(t, debt.ExposureInput{Terms: mustTerms(t, doc(45)), Start: jan5, Prices: prices})
	if !rep.Peak.Exposure.Equal(dec("100.00")) {
		t.Errorf("with 45 days: peak %s, want 100.00", rep.Peak.Exposure)
	}
	replaysTo(t, rep.WorstClient, dec("100.00"))
}

func TestUnlimited(t *testing.T) {
	doc := `{"currency":"GBP","groups":[{"id":"consult","core":true,"items":[{"code":"C"}]},{"id":"food","core":false,"items":[{"code":"F"}]}],
	 "plan":{"id":"p","species":"dog","termMonths":12,"monthlyFee":"20.00","rules":[
	  {"id":"first-free","group":"consult","discountPercent":"100","allowed":1,"endDay":364,"viewOrder":1},
	  {"id":"half-off","group":"consult","discountPercent":"50","allowed":"unlimited","endDay":364,"viewOrder":2},
	  {"id":"never-reached","group":"consult","discountPercent":"50","allowed":"unlimited","endDay":364,"viewOrder":3},
	  {"id":"food","group":"food","discountPercent":"10","allowed":"unlimited","endDay":364}]}}`
	prices := map[string]decimal.Decimal{"C": dec("40.00"), "F": dec("30.00")}
	rep := exposureOf(t, debt.ExposureInput{Terms: mustTerms(t, doc), Start: jan5, Prices: prices})
	if diff := cmp.Diff([]string{"half-off"}, rep.Unbounded); diff != "" {
		t.Errorf("unbounded (-want +got):\n%s", diff)
	}
	if rep.Curve != nil || rep.WorstClient != nil {
		t.Errorf("an unbounded report has a curve or a client")
	}
	// With 10 units assumed: the free consultation and 10 at 20.00.
	rep = exposureOf(t, debt.ExposureInput{Terms: mustTerms(t, doc), Start: jan5, Prices: prices, UnitsCap: 10})
	if !rep.Peak.Exposure.Equal(dec("240.00")) || rep.Peak.Day != 0 {
		t.Errorf("peak %v, want 240.00 on day 0", rep.Peak)
	}
	replaysTo(t, rep.WorstClient, dec("240.00"))
	// No price for the consultation: nothing to take.
	rep = exposureOf(t, debt.ExposureInput{Terms: mustTerms(t, doc), Start: jan5, Prices: map[string]decimal.Decimal{"F": dec("30.00")}})
	if len(rep.Unbounded) > 0 || !rep.Peak.Exposure.IsZero() {
		t.Errorf("without consultation prices: %v, peak %s", rep.Unbounded, rep.Peak.Exposure)
	}
}

func TestDelays(t *testing.T) {
	one := `{"currency":"GBP","groups":[{"id":"g","core":true,"items":[{"code":"X"}]},{"id":"h","core":true,"items":[{"code":"Y"}]}],
	 "plan":{"id":"p","species":"dog","termMonths":12,"monthlyFee":"10.00","suspendAfterFailures":1,"rules":[`
	prices := map[string]decimal.Decimal{"X": dec("100.00"), "Y": dec("100.00")}
	cap := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(dec(s)) }

	// One rule: a client must pay every installment due by the day it
	// opens (the first failure suspends), so the exposure is 100.00 less
	// 10.00 per installment due by then. Under 55.00 takes 5 installments:
	// the fifth is due on 2026-05-05, day 120.
	terms := mustTerms(t, one+`{"id":"c","group":"g","discountPercent":"100","allowed":1,"endDay":364}]}}`)
	rep := exposureOf(t, debt.ExposureInput{Terms: terms, Start: jan5, Prices: prices, Cap: cap("55.00")})
	if diff := cmp.Diff(&debt.StartDelays{Cap: dec("55.00"), Alone: []debt.StartDelay{{Rule: "c", Days: 120, StartDay: 120}}}, rep.Delays, cmpDec); diff != "" {
		t.Errorf("delays (-want +got):\n%s", diff)
	}
	rep = exposureOf(t, debt.ExposureInput{Terms: terms, Start: jan5, Prices: prices, Cap: cap("90.00")})
	if !rep.Delays.Within {
		t.Errorf("peak %s is within 90.00: %+v", rep.Peak.Exposure, rep.Delays)
	}

	// Two rules in two groups, each 100.00 from day 0: 190.00 on day 0.
	// Neither alone gets under 60.00 (the other one still gives 90.00);
	// together: x from day 90 (4 installments paid, 60.00) and y never.
	terms = mustTerms(t, one+`{"id":"x","group":"g","discountPercent":"100","allowed":1,"endDay":364},
	  {"id":"y","group":"h","discountPercent":"100","allowed":1,"endDay":364}]}}`)
	rep = exposureOf(t, debt.ExposureInput{Terms: terms, Start: jan5, Prices: prices, Cap: cap("60.00")})
	want := &debt.StartDelays{Cap: dec("60.00"), Together: []debt.StartDelay{{Rule: "x", Days: 90, StartDay: 90}, {Rule: "y", Days: 365, StartDay: 365, Never: true}},
		Peak: dec("60.00")}
	if diff := cmp.Diff(want, rep.Delays, cmpDec); diff != "" {
		t.Errorf("delays (-want +got):\n%s", diff)
	}
	// The JSON gives the peak with the delays together, and a client
	// suspended by its first failure never breaks even.
	b, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{`"delays":{"cap":"60.00","within":false,"alone":[],"together":[{"rule":"x","days":90,"startDay":90,"never":false},` +
		`{"rule":"y","days":365,"startDay":365,"never":true}],"peak":"60.00"}`, `"breakEvenDay":null`} {
		if !strings.Contains(string(b), w) {
			t.Errorf("the report's JSON lacks %s:\n%.600s", w, b)
		}
	}

	// The seeds' flea plan under 80.00: only removing a rule does it, and
	// either one does.
	rep = exposureOf(t, debt.ExposureInput{Terms: mustTerms(t, seedsFlea), Start: jan5, Prices: map[string]decimal.Decimal{"FLEA-1": dec("23.49")}, Cap: cap("80.00")})
	want = &debt.StartDelays{Cap: dec("80.00"), Alone: []debt.StartDelay{{Rule: "flea-a", Days: 91, StartDay: 91, Never: true}, {Rule: "flea-b", Days: 41, StartDay: 121, Never: true}}}
	if diff := cmp.Diff(want, rep.Delays, cmpDec); diff != "" {
		t.Errorf("flea delays (-want +got):\n%s", diff)
	}
}

func TestInvalidInput(t *testing.T) {
	terms := mustTerms(t, seedsFlea)
	_, err := debt.Exposure(debt.ExposureInput{Terms: terms, Prices: map[string]decimal.Decimal{"FLEA-1": dec("-1"), "X": dec("0.0000001")},
		UnitsCap: -1, Cap: decimal.NewNullDecimal(dec("-5"))})
	var paths []string
	for _, p := range plan.Problems(err) {
		paths = append(paths, p.Path)
	}
	want := []string{"start", `prices["FLEA-1"]`, `prices["X"]`, "unitsCap", "cap"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("problems (-want +got):\n%s\n%v", diff, err)
	}
	if _, err := debt.Exposure(debt.ExposureInput{}); !errors.Is(err, plan.ErrZeroTerms) {
		t.Errorf("no terms: %v", err)
	}
}

// The claim is what the plan's own settlement makes of the worst client
// terminating for cancelled on the peak day (day 80, V 140.94, P 0, the
// contract 180.00), whatever its method, fee, waivers and cooling-off.
func TestClaim(t *testing.T) {
	for _, tc := range []struct {
		settlement string
		method     plan.Method
		owed, debt string
		waived     bool
	}{
		{`{}`, plan.CoreValue, "140.94", "140.94", false},
		{`{"method":"remainingPayments"}`, plan.RemainingPayments, "180.00", "180.00", false},
		{`{"method":"lesserOf","cancellationFee":"25.00"}`, plan.LesserOf, "140.94", "165.94", false},
		{`{"method":"none","cancellationFee":"25.00"}`, plan.NoDebt, "0.00", "25.00", false},
		{`{"waiveFor":["cancelled"]}`, plan.CoreValue, "140.94", "0.00", true},
		// Day 80 is within 90 cooling-off days: coreValue, and no fee.
		{`{"method":"remainingPayments","cancellationFee":"25.00","coolingOffDays":90}`, plan.CoreValue, "140.94", "140.94", false},
		// On the list basis the claim counts list values (the same here:
		// the discounts are 100%).
		{`{"basis":"list"}`, plan.CoreValue, "140.94", "140.94", false},
	} {
		t.Run(tc.settlement, func(t *testing.T) {
			doc := strings.Replace(seedsFlea, `"rules":[`, `"settlement":`+tc.settlement+`,"rules":[`, 1)
			in := debt.ExposureInput{Terms: mustTerms(t, doc), Start: jan5, Prices: map[string]decimal.Decimal{"FLEA-1": dec("23.49")}}
			rep := exposureOf(t, in)
			c := rep.Claim
			if c.Method != tc.method || !c.Owed.Equal(dec(tc.owed)) || !c.Debt.Equal(dec(tc.debt)) || c.Waived != tc.waived ||
				c.Date != rep.Peak.Date || c.Reason != "cancelled" {
				t.Errorf("claim %s on %s for %s: owed %s, debt %s, waived %v; want %s, %s, %s, %v",
					c.Method, c.Date, c.Reason, c.Owed, c.Debt, c.Waived, tc.method, tc.owed, tc.debt, tc.waived)
			}
			checkReport(t, in, rep)
		})
	}
	// The claim itemises the worst client's visits as its document
	// records them: invoice D<day>, lines L1, L2, ...
	in := debt.ExposureInput{Terms: mustTerms(t, seedsFlea), Start: jan5, Prices: map[string]decimal.Decimal{"FLEA-1": dec("23.49")}}
	rep := exposureOf(t, in)
	type red struct{ Invoice, Line, Date string }
	var got []red
	for _, g := range rep.Claim.Core {
		for _, r := range g.Redemptions {
			got = append(got, red{r.Invoice, r.Line, r.Date.String()})
		}
	}
	if len(got) == 0 || got[0] != (red{"D0", "L1", "2026-01-05"}) || got[len(got)-1].Invoice != "D80" || !strings.HasPrefix(got[len(got)-1].Line, "L") {
		t.Errorf("the claim's redemptions: %v; want D0/L1 first and D80 last", got)
	}
	for _, r := range got {
		if !strings.Contains(string(rep.WorstClient), `"invoice": "`+r.Invoice+`"`) || !strings.Contains(string(rep.WorstClient), `"id": "`+r.Line+`"`) {
			t.Errorf("redemption %v is not in the worst client's document:\n%.800s", r, rep.WorstClient)
		}
	}
	// On the list basis the claim counts list prices, twice the peak of a
	// plan at 50% off.
	half := mustTerms(t, `{"currency":"GBP","groups":[{"id":"g","core":true,"items":[{"code":"X"}]}],
	 "plan":{"id":"p","species":"dog","termMonths":12,"monthlyFee":"10.00","settlement":{"basis":"list"},"rules":[
	  {"id":"a","group":"g","discountPercent":"50","allowed":1,"endDay":364}]}}`)
	hrep := exposureOf(t, debt.ExposureInput{Terms: half, Start: jan5, Prices: map[string]decimal.Decimal{"X": dec("100.00")}})
	if !hrep.Peak.Exposure.Equal(dec("50")) || !hrep.Claim.CoreValue.Sub(hrep.Claim.Paid).Equal(dec("100")) {
		t.Errorf("list basis: peak %s, claim %s − %s; want 50.00 and 100.00", hrep.Peak.Exposure, hrep.Claim.CoreValue, hrep.Claim.Paid)
	}
	// Without a cap the report has no delays.
	if b, err := json.Marshal(rep); err != nil || strings.Contains(string(b), `"delays"`) {
		t.Errorf("a report without a cap: %v\n%.300s", err, b)
	}
}

func TestReportJSON(t *testing.T) {
	in := debt.ExposureInput{Terms: mustTerms(t, seedsFlea), Start: jan5, Prices: map[string]decimal.Decimal{"FLEA-1": dec("23.49")},
		Cap: decimal.NewNullDecimal(dec("80"))}
	b, err := json.Marshal(exposureOf(t, in))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]json.RawMessage
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"peak":  `{"day":80,"date":"2026-03-26","exposure":"140.94"}`,
		"curve": `[{"day":0,"exposure":"70.47"},{"day":80,"exposure":"140.94"}]`,
		"delays": `{"cap":"80.00","within":false,"alone":[{"rule":"flea-a","days":91,"startDay":91,"never":true},` +
			`{"rule":"flea-b","days":41,"startDay":121,"never":true}],"together":[]}`,
	}
	for k, w := range want {
		if string(got[k]) != w {
			t.Errorf("%s: %s\nwant %s", k, got[k], w)
		}
	}
	var paying struct {
		Peak         json.RawMessage `json:"peak"`
		BreakEvenDay *int            `json:"breakEvenDay"`
	}
	if err := json.Unmarshal(got["paying"], &paying); err != nil || string(paying.Peak) != `{"day":80,"date":"2026-03-26","exposure":"95.94"}` ||
		paying.BreakEvenDay == nil || *paying.BreakEvenDay != 273 {
		t.Errorf("paying: %s", got["paying"])
	}
	var worst struct{ Events []json.RawMessage }
	if err := json.Unmarshal(got["worstClient"], &worst); err != nil || len(worst.Events) == 0 {
		t.Errorf("worstClient: %v %.200s", err, got["worstClient"])
	}
	b, err = json.Marshal(debt.ExposureReport{Unbounded: []string{"half-off"}})
	if err != nil || string(b) != `{"unbounded":["half-off"]}` {
		t.Errorf("unbounded: %s %v", b, err)
	}
}

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
	rep := exposureOf(t, debt.ExposureInput{Terms: mustTerms(t, terms), Start: jan5, Prices: map[string]decimal.Decimal{"P3": dec("0.015")}})
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
	core, paid, _ := settled(t, res[len(res)-1])
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
		rep := exposureOf(t, debt.ExposureInput{Terms: mustTerms(t, delay(start)), Start: jan5, Prices: map[string]decimal.Decimal{"P3": dec("0.015")}})
		if !rep.Peak.Exposure.Equal(dec(want)) {
			t.Errorf("a from day %s: peak %s, want %s", start, rep.Peak.Exposure, want)
		}
		replaysTo(t, rep.WorstClient, rep.Peak.Exposure)
	}
}

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
		rep := exposureOf(t, debt.ExposureInput{Terms: mustTerms(t, doc), Start: jan5, Prices: prices, UnitsCap: cap})
		replaysTo(t, rep.WorstClient, rep.Peak.Exposure)
		replaysTo(t, rep.Paying.Client, rep.Paying.Peak.Exposure)
	}
}
