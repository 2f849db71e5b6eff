package exposure

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/shopspring/decimal"

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

var jan5 = plan.MustParseDate("2026-01-05")

// pt builds a Point for comparisons.
func pt(day int, amount string) Point {
	return Point{Day: day, Date: jan5.AddDays(day), Exposure: dec(amount)}
}

var cmpDec = cmp.Options{
	cmp.Comparer(func(a, b decimal.Decimal) bool { return a.Equal(b) }),
	cmp.Comparer(func(a, b plan.Date) bool { return a == b }),
}

func analyse(t *testing.T, in Input) Report {
	t.Helper()
	rep, err := Analyse(in)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

func TestSeedsFleaPlan(t *testing.T) {
	in := Input{Terms: mustTerms(t, seedsFlea), Start: jan5,
		Prices: map[string]decimal.Decimal{"FLEA-1": dec("23.49"), "FOOD": dec("40.00")}}
	rep := analyse(t, in)
	if diff := cmp.Diff([]Point{pt(0, "70.47"), pt(80, "140.94")}, rep.Curve, cmpDec); diff != "" {
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
	debt := checkClient(t, rep.Worst, rep.Peak.Exposure)
	if !debt.Equal(dec("140.94")) {
		t.Errorf("the plan's settlement claims %s from the worst client, want 140.94 (coreValue: V − P)", debt)
	}
	// The worst client pays nothing: failing every installment suspends
	// nothing without suspendAfterFailures.
	if strings.Contains(string(rep.Worst), `"taken"`) {
		t.Errorf("the worst client pays something:\n%s", rep.Worst)
	}
	checkClient(t, rep.Paying.Client, rep.Paying.Peak.Exposure)
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
			rep := analyse(t, Input{Terms: mustTerms(t, oneRule(tc.rules, tc.extra)), Start: jan5, Prices: tc.prices})
			if !rep.Peak.Exposure.Equal(dec(tc.want)) {
				t.Fatalf("peak %s, want %s", rep.Peak.Exposure, tc.want)
			}
			if !strings.Contains(string(rep.Worst), tc.lines) {
				t.Errorf("worst client lacks %s:\n%s", tc.lines, rep.Worst)
			}
			checkClient(t, rep.Worst, rep.Peak.Exposure)
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
	rep := analyse(t, Input{Terms: mustTerms(t, doc), Start: jan5, Prices: map[string]decimal.Decimal{"X": dec("40.00")}})
	if diff := cmp.Diff([]Point{pt(0, "40.00"), pt(45, "70.00")}, rep.Curve, cmpDec); diff != "" {
		t.Errorf("curve (-want +got):\n%s", diff)
	}
	var d struct {
		Events []map[string]any `json:"events"`
	}
	if err := json.Unmarshal(rep.Worst, &d); err != nil {
		t.Fatal(err)
	}
	taken := 0
	for _, e := range d.Events {
		if e["status"] == "taken" {
			taken++
		}
	}
	if taken != 1 {
		t.Errorf("the worst client pays %d installments, want 1:\n%s", taken, rep.Worst)
	}
	checkClient(t, rep.Worst, dec("70.00"))
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
	rep := analyse(t, Input{Terms: mustTerms(t, doc(30)), Start: jan5, Prices: prices})
	if diff := cmp.Diff([]Point{pt(0, "0.00"), pt(40, "90.00")}, rep.Curve, cmpDec); diff != "" {
		t.Errorf("curve (-want +got):\n%s", diff)
	}
	checkClient(t, rep.Worst, dec("90.00"))
	// With 45 days, failing both installments leaves day 40 covered (40
	// days past due), worth the whole 100.00.
	rep = analyse(t, Input{Terms: mustTerms(t, doc(45)), Start: jan5, Prices: prices})
	if !rep.Peak.Exposure.Equal(dec("100.00")) {
		t.Errorf("with 45 days: peak %s, want 100.00", rep.Peak.Exposure)
	}
	checkClient(t, rep.Worst, dec("100.00"))
}

func TestUnlimited(t *testing.T) {
	doc := `{"currency":"GBP","groups":[{"id":"consult","core":true,"items":[{"code":"C"}]},{"id":"food","core":false,"items":[{"code":"F"}]}],
	 "plan":{"id":"p","species":"dog","termMonths":12,"monthlyFee":"20.00","rules":[
	  {"id":"first-free","group":"consult","discountPercent":"100","allowed":1,"endDay":364,"viewOrder":1},
	  {"id":"half-off","group":"consult","discountPercent":"50","allowed":"unlimited","endDay":364,"viewOrder":2},
	  {"id":"never-reached","group":"consult","discountPercent":"50","allowed":"unlimited","endDay":364,"viewOrder":3},
	  {"id":"food","group":"food","discountPercent":"10","allowed":"unlimited","endDay":364}]}}`
	prices := map[string]decimal.Decimal{"C": dec("40.00"), "F": dec("30.00")}
	rep := analyse(t, Input{Terms: mustTerms(t, doc), Start: jan5, Prices: prices})
	if diff := cmp.Diff([]string{"half-off"}, rep.Unbounded); diff != "" {
		t.Errorf("unbounded (-want +got):\n%s", diff)
	}
	if rep.Curve != nil || rep.Worst != nil {
		t.Errorf("an unbounded report has a curve or a client")
	}
	// With 10 units assumed: the free consultation and 10 at 20.00.
	rep = analyse(t, Input{Terms: mustTerms(t, doc), Start: jan5, Prices: prices, UnitsCap: 10})
	if !rep.Peak.Exposure.Equal(dec("240.00")) || rep.Peak.Day != 0 {
		t.Errorf("peak %v, want 240.00 on day 0", rep.Peak)
	}
	checkClient(t, rep.Worst, dec("240.00"))
	// No price for the consultation: nothing to take.
	rep = analyse(t, Input{Terms: mustTerms(t, doc), Start: jan5, Prices: map[string]decimal.Decimal{"F": dec("30.00")}})
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
	rep := analyse(t, Input{Terms: terms, Start: jan5, Prices: prices, Cap: cap("55.00")})
	if diff := cmp.Diff(&Delays{Cap: dec("55.00"), Alone: []Delay{{Rule: "c", Days: 120, StartDay: 120}}}, rep.Delays, cmpDec); diff != "" {
		t.Errorf("delays (-want +got):\n%s", diff)
	}
	rep = analyse(t, Input{Terms: terms, Start: jan5, Prices: prices, Cap: cap("90.00")})
	if !rep.Delays.Within {
		t.Errorf("peak %s is within 90.00: %+v", rep.Peak.Exposure, rep.Delays)
	}

	// Two rules in two groups, each 100.00 from day 0: 190.00 on day 0.
	// Neither alone gets under 60.00 (the other one still gives 90.00);
	// together: x from day 90 (4 installments paid, 60.00) and y never.
	terms = mustTerms(t, one+`{"id":"x","group":"g","discountPercent":"100","allowed":1,"endDay":364},
	  {"id":"y","group":"h","discountPercent":"100","allowed":1,"endDay":364}]}}`)
	rep = analyse(t, Input{Terms: terms, Start: jan5, Prices: prices, Cap: cap("60.00")})
	want := &Delays{Cap: dec("60.00"), Together: []Delay{{Rule: "x", Days: 90, StartDay: 90}, {Rule: "y", Days: 365, StartDay: 365, Never: true}},
		Peak: dec("60.00")}
	if diff := cmp.Diff(want, rep.Delays, cmpDec); diff != "" {
		t.Errorf("delays (-want +got):\n%s", diff)
	}

	// The seeds' flea plan under 80.00: only removing a rule does it, and
	// either one does.
	rep = analyse(t, Input{Terms: mustTerms(t, seedsFlea), Start: jan5, Prices: map[string]decimal.Decimal{"FLEA-1": dec("23.49")}, Cap: cap("80.00")})
	want = &Delays{Cap: dec("80.00"), Alone: []Delay{{Rule: "flea-a", Days: 91, StartDay: 91, Never: true}, {Rule: "flea-b", Days: 41, StartDay: 121, Never: true}}}
	if diff := cmp.Diff(want, rep.Delays, cmpDec); diff != "" {
		t.Errorf("flea delays (-want +got):\n%s", diff)
	}
}

func TestInvalidInput(t *testing.T) {
	terms := mustTerms(t, seedsFlea)
	_, err := Analyse(Input{Terms: terms, Prices: map[string]decimal.Decimal{"FLEA-1": dec("-1"), "X": dec("0.0000001")},
		UnitsCap: -1, Cap: decimal.NewNullDecimal(dec("-5"))})
	var paths []string
	for _, p := range plan.Problems(err) {
		paths = append(paths, p.Path)
	}
	want := []string{"start", `prices["FLEA-1"]`, `prices["X"]`, "unitsCap", "cap"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("problems (-want +got):\n%s\n%v", diff, err)
	}
	if _, err := Analyse(Input{}); !errors.Is(err, plan.ErrZeroTerms) {
		t.Errorf("no terms: %v", err)
	}
}

func TestReportJSON(t *testing.T) {
	in := Input{Terms: mustTerms(t, seedsFlea), Start: jan5, Prices: map[string]decimal.Decimal{"FLEA-1": dec("23.49")},
		Cap: decimal.NewNullDecimal(dec("80"))}
	b, err := json.Marshal(analyse(t, in))
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
	b, err = json.Marshal(Report{Unbounded: []string{"half-off"}})
	if err != nil || string(b) != `{"unbounded":["half-off"]}` {
		t.Errorf("unbounded: %s %v", b, err)
	}
}
