package debt_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/internal/designgen"
	"github.com/vetplan/healthplan/internal/scenario"
	"github.com/vetplan/healthplan/plan"
)

var jan5 = plan.MustParseDate("2026-01-05")

func mustTerms(t tb, doc string) *plan.Terms {
	t.Helper()
	var terms plan.Terms
	if err := terms.UnmarshalJSON([]byte(doc)); err != nil {
		t.Fatalf("terms: %v\n%s", err, doc)
	}
	return &terms
}

// result is one replay result line, decoded loosely.
type result map[string]any

// replay runs a scenario document through the engine.
func replay(t tb, doc []byte) []result {
	t.Helper()
	s, err := scenario.Parse(doc)
	if err != nil {
		t.Fatalf("scenario does not parse: %v\n%s", err, doc)
	}
	var buf bytes.Buffer
	if err := scenario.Write(&buf, s.Replay()); err != nil {
		t.Fatal(err)
	}
	var out []result
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		if e, ok := r["error"]; ok {
			t.Fatalf("event %v refused: %v\n%s", r["index"], e, doc)
		}
		out = append(out, r)
	}
	return out
}

// settled reads a terminate result's coreValue, paid and debt.
func settled(t tb, r result) (core, paid, owed decimal.Decimal) {
	t.Helper()
	s, ok := r["settlement"].(map[string]any)
	if !ok {
		t.Fatalf("not a terminate result: %v", r)
	}
	return dec(s["coreValue"].(string)), dec(s["paid"].(string)), dec(s["debt"].(string))
}

// checkClient replays a client document and checks that its terminate
// preview shows want as coreValue − paid on the discount basis; it returns
// the preview's settlement as the terminate event prints it.
func checkClient(t tb, doc []byte, want decimal.Decimal, basis plan.Basis) json.RawMessage {
	t.Helper()
	res := replay(t, doc)
	last := res[len(res)-1]
	core, paid, _ := settled(t, last)
	if got := core.Sub(paid); basis == plan.DiscountBasis && !got.Equal(want) {
		t.Fatalf("the client reaches %s (coreValue %s − paid %s), the analysis %s\n%s", got, core, paid, want, doc)
	}
	b, err := json.Marshal(last["settlement"])
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// checkReport replays the worst and the paying clients: each reaches its
// peak, and the worst client's terminate preview is the claim.
func checkReport(t tb, in debt.ExposureInput, rep debt.ExposureReport) {
	t.Helper()
	basis := in.Terms.Settlement().Basis
	got := checkClient(t, rep.WorstClient, rep.Peak.Exposure, basis)
	checkClient(t, rep.Paying.Client, rep.Paying.Peak.Exposure, basis)
	want, err := debt.Summary{Settlement: rep.Claim}.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	var a, b any
	if json.Unmarshal(got, &a) != nil || json.Unmarshal(want, &b) != nil || !equalJSON(a, b) {
		t.Fatalf("the worst client's terminate preview settles\n%s\nthe claim is\n%s", got, want)
	}
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

// at is the value of a step curve on a day.
func at(curve []debt.ExposurePoint, day int) decimal.Decimal {
	v := decimal.Decimal{}
	for _, p := range curve {
		if p.Day > day {
			break
		}
		v = p.Exposure
	}
	return v
}

func exposureOf(t tb, in debt.ExposureInput) debt.ExposureReport {
	t.Helper()
	rep, err := debt.Exposure(in)
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// drawInput draws a random design as an analysis's input.
func drawInput(t *rapid.T, sz designgen.Sizes) debt.ExposureInput {
	return inputOf(t, designgen.Draw(t, sz))
}

func inputOf(t tb, d designgen.Design) debt.ExposureInput {
	return debt.ExposureInput{Terms: mustTerms(t, d.Terms), Start: d.Start, Prices: d.Prices, Payment: d.Payment,
		Interval: d.Interval, MultiPet: d.MultiPet, UnitsCap: d.UnitsCap}
}

type event = map[string]any

// randomClient draws a client: an outcome for every installment (or all
// taken) and visits of whole quantities of priced items at list price on
// random days, in date order, payments first on a day with both; after
// each day's events a terminate preview, and at the end the entitlements.
func randomClient(t *rapid.T, in debt.ExposureInput, paying bool) (doc []byte, days []int) {
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
func withinCap(in debt.ExposureInput, ents result) bool {
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

// neverAbove replays a random client and checks that it ends no day with
// V − P above the curve.
func neverAbove(t *rapid.T, in debt.ExposureInput, curve []debt.ExposurePoint, paying bool) {
	if in.Terms.Settlement().Basis != plan.DiscountBasis {
		return // the preview's coreValue is on another basis, not V
	}
	doc, days := randomClient(t, in, paying)
	res := replay(t, doc)
	if !withinCap(in, res[len(res)-1]) {
		return
	}
	k := 0
	for _, r := range res {
		if r["type"] != "terminate" {
			continue
		}
		core, paid, _ := settled(t, r)
		if got, lim := core.Sub(paid), at(curve, days[k]); got.GreaterThan(lim) {
			t.Fatalf("day %d: a client reaches %s, above the curve's %s (paying %v)\n%s", days[k], got, lim, paying, doc)
		}
		k++
	}
}
