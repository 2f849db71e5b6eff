package exposure

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/plan"
)

// engineSpec draws a plan and its analysis's input.
func engineSpec(t *rapid.T, sz sizes) (spec, Input) {
	sp := genSpec(t, sz)
	in := sp.in
	in.Terms = mustTerms(t, sp.terms)
	return sp, in
}

// checkClient replays a client document and checks that its terminate
// preview shows want as coreValue − paid; it returns the preview's debt.
func checkClient(t fataler, doc []byte, want decimal.Decimal) decimal.Decimal {
	t.Helper()
	res := replay(t, doc)
	core, paid, debt := settlement(t, res[len(res)-1])
	if got := core.Sub(paid); !got.Equal(want) {
		t.Fatalf("the client reaches %s (coreValue %s − paid %s), the analysis %s\n%s", got, core, paid, want, doc)
	}
	return debt
}

// The worst client, replayed through the engine, reaches exactly the peak.
func TestWorstClientReplays(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sp, in := engineSpec(t, small)
		rep, err := Analyse(in)
		if err != nil {
			t.Fatal(err, sp.terms, in.Prices, in.UnitsCap)
		}
		checkClient(t, rep.Worst, rep.Peak.Exposure)
		checkClient(t, rep.Paying.Client, rep.Paying.Peak.Exposure)
	})
}

type event = map[string]any

// randomClient draws a client: an outcome for every installment (or all
// taken) and visits of whole quantities of priced items at list price on
// random days, in date order, payments first on a day with both; after
// each day's events a terminate preview, and at the end the entitlements.
func randomClient(t *rapid.T, in Input, paying bool) (doc []byte, days []int) {
	raw, _ := in.Terms.MarshalJSON()
	var terms struct {
		Currency json.RawMessage `json:"currency"`
		Groups   json.RawMessage `json:"groups"`
		Plan     json.RawMessage `json:"plan"`
	}
	if err := json.Unmarshal(raw, &terms); err != nil {
		t.Fatal(err)
	}
	p := in.Terms.Plan()
	subs := []event{{"id": "WORST", "plan": p.ID, "client": "C", "start": in.Start.String(), "payment": in.Payment.String(),
		"interval": in.Interval.String()}}
	if in.MultiPet {
		subs = append([]event{{"id": "OTHER", "plan": p.ID, "client": "C", "start": in.Start.String()}}, subs...)
	}
	sub, err := in.Terms.Subscribe(plan.Enrollment{ID: "WORST", Start: in.Start, Payment: in.Payment, Interval: in.Interval, MultiPet: in.MultiPet})
	if err != nil {
		t.Fatal(err)
	}
	sched, err := billing.ScheduleFor(sub)
	if err != nil {
		t.Fatal(err)
	}
	lastDay := in.Start.AddMonths(p.TermMonths).AddDays(p.GraceDays - 1).Sub(in.Start)
	byDay := map[int][]event{}
	for _, inst := range sched.Installments {
		status := "taken"
		if !paying && !rapid.Bool().Draw(t, "taken") {
			status = "failed"
		}
		d := inst.Due.Sub(in.Start)
		byDay[d] = append(byDay[d], event{"type": "payment", "subscription": "WORST", "date": inst.Due.String(),
			"amount": inst.Amount.String(), "status": status})
	}
	var codes []string
	for _, g := range in.Terms.Groups() {
		for _, it := range g.Items {
			if _, ok := in.Prices[it.Code]; ok {
				codes = append(codes, it.Code)
			}
		}
	}
	if len(codes) > 0 {
		for v := range rapid.IntRange(0, 12).Draw(t, "visits") {
			d := rapid.IntRange(0, lastDay+3).Draw(t, "day")
			var lines []event
			for l := range rapid.IntRange(1, 4).Draw(t, "lines") {
				code := rapid.SampledFrom(codes).Draw(t, "item")
				lines = append(lines, event{"id": fmt.Sprintf("L%d", l), "item": code,
					"qty": fmt.Sprint(rapid.IntRange(1, 4).Draw(t, "qty")), "unitPrice": in.Prices[code].String()})
			}
			byDay[d] = append(byDay[d], event{"type": "visit", "subscription": "WORST", "date": in.Start.AddDays(d).String(),
				"invoice": fmt.Sprintf("V%d", v), "lines": lines})
		}
	}
	for d := range byDay {
		days = append(days, d)
	}
	slices.Sort(days)
	var events []event
	for _, d := range days {
		events = append(events, byDay[d]...)
		events = append(events, event{"type": "terminate", "subscription": "WORST", "date": in.Start.AddDays(d).String(),
			"reason": "cancelled", "preview": true})
	}
	events = append(events, event{"type": "entitlements", "subscription": "WORST", "date": in.Start.AddDays(lastDay).String()})
	doc, err = json.Marshal(map[string]any{"currency": terms.Currency, "groups": terms.Groups, "plans": []json.RawMessage{terms.Plan},
		"subscriptions": subs, "events": events})
	if err != nil {
		t.Fatal(err)
	}
	return doc, days
}

// withinCap reports whether the client took no more than the units cap
// under each unlimited core rule, which the analysis assumes of clients.
func withinCap(t *rapid.T, in Input, ents result) bool {
	p := in.Terms.Plan()
	core := map[string]bool{}
	for _, g := range in.Terms.Groups() {
		core[g.ID] = g.Core
	}
	for i, r := range ents["rules"].([]any) {
		rr := r.(map[string]any)
		if p.Rules[i].Allowed.IsUnlimited() && core[p.Rules[i].Group] && dec(rr["used"].(string)).GreaterThan(decimal.NewFromInt(in.UnitsCap)) {
			return false
		}
	}
	return true
}

// No random client, replayed through the engine, ends a day with V − P
// above the curve; no paying client above the paying curve.
func TestNoClientBeatsTheCurve(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		_, in := engineSpec(t, small)
		rep, err := Analyse(in)
		if err != nil {
			t.Fatal(err)
		}
		paying := rapid.IntRange(0, 3).Draw(t, "paying") == 0
		curve := rep.Curve
		if paying {
			curve = rep.Paying.Curve
		}
		doc, days := randomClient(t, in, paying)
		res := replay(t, doc)
		if !withinCap(t, in, res[len(res)-1]) {
			return
		}
		k := 0
		for _, r := range res {
			if r["type"] != "terminate" {
				continue
			}
			core, paid, _ := settlement(t, r)
			if got, lim := core.Sub(paid), at(curve, days[k]); got.GreaterThan(lim) {
				t.Fatalf("day %d: a client reaches %s, above the curve's %s (paying %v)\n%s", days[k], got, lim, paying, doc)
			}
			k++
		}
	})
}

// The exposure never falls (a client can always fail the next installment
// and buy nothing more), starts at day 0 and peaks at its last point.
func TestCurveMonotone(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sp := genSpec(t, small)
		in := sp.in
		in.Terms = mustTerms(t, sp.terms)
		rep, err := Analyse(in)
		if err != nil {
			t.Fatal(err)
		}
		if len(rep.Unbounded) > 0 {
			t.Fatalf("unbounded with a cap: %v", rep.Unbounded)
		}
		for i := 1; i < len(rep.Curve); i++ {
			if !rep.Curve[i].Exposure.GreaterThan(rep.Curve[i-1].Exposure) || rep.Curve[i].Day <= rep.Curve[i-1].Day {
				t.Fatalf("the curve does not rise at %d: %v", i, rep.Curve)
			}
		}
		if !rep.Peak.Exposure.Equal(rep.Curve[len(rep.Curve)-1].Exposure) || rep.Peak.Day != rep.Curve[len(rep.Curve)-1].Day {
			t.Fatalf("peak %v is not the curve's last point %v", rep.Peak, rep.Curve)
		}
		if rep.Curve[0].Day != 0 || rep.Curve[0].Exposure.IsNegative() {
			t.Fatalf("the curve does not start at day 0 at or above 0: %v", rep.Curve)
		}
	})
}

// Plans with the days-past-due rule, replayed through the engine: the
// worst and paying clients reach their peaks, and no random client beats
// the curve.
func TestDaysRuleAgainstEngine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		sp := genSpec(t, small)
		after := rapid.IntRange(0, 60).Draw(t, "afterDays")
		terms := strings.Replace(sp.terms, `"plan":{`, fmt.Sprintf(`"plan":{"dunning":{"suspendAfterDays":%d},`, after), 1)
		if strings.Count(terms, `"dunning"`) > 1 {
			terms = sp.terms // the plan has a days rule already
		}
		in := sp.in
		in.Terms = mustTerms(t, terms)
		if !in.Terms.Dunning().SuspendAfter.Set {
			t.Fatalf("no days rule in %s", terms)
		}
		rep, err := Analyse(in)
		if err != nil {
			t.Fatal(err)
		}
		checkClient(t, rep.Worst, rep.Peak.Exposure)
		checkClient(t, rep.Paying.Client, rep.Paying.Peak.Exposure)
		doc, days := randomClient(t, in, false)
		res := replay(t, doc)
		if !withinCap(t, in, res[len(res)-1]) {
			return
		}
		k := 0
		for _, r := range res {
			if r["type"] == "terminate" {
				core, paid, _ := settlement(t, r)
				if got, lim := core.Sub(paid), at(rep.Curve, days[k]); got.GreaterThan(lim) {
					t.Fatalf("day %d: a client reaches %s, above the curve's %s\n%s", days[k], got, lim, doc)
				}
				k++
			}
		}
	})
}
