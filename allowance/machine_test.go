package allowance_test

import (
	"encoding/json"
	"fmt"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/plan"
)

// The state machine drives commits, reversals, adjustments and quotes
// against a model written for obviousness: exact rationals, a list of
// committed lines, and a straight reading of SPEC.md section 4. After every
// step it checks the invariants of section 7.

type modelRule struct {
	id               string
	group            string
	pct, amt         *big.Rat // exactly one is set
	allowed          *big.Rat // nil when unlimited
	start, end, view int
	pos              int
}

type modelLine struct {
	inv, id, item string
	qty, price    string
	day           int
	splits        []modelSplit
	result        got
	reversed      bool
}

type modelSplit struct {
	rule  int
	units *big.Rat
}

type model struct {
	rules    []modelRule
	halfEven bool
	grace    int
	used     []*big.Rat
	adjusted []*big.Rat
	lines    []*modelLine
	itemU    map[string]int64 // item → units; absent when in no group
	itemG    map[string]string
}

func rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

func (m *model) live(inv, id string) *modelLine {
	for i := len(m.lines) - 1; i >= 0; i-- {
		if l := m.lines[i]; l.inv == inv && l.id == id {
			if l.reversed {
				return nil
			}
			return l
		}
	}
	return nil
}

// price prices one new line given the units already taken in this visit
// (extra) and returns it with its splits.
func (m *model) price(inv string, ln allowance.Line, day int, extra []*big.Rat) *modelLine {
	ml := &modelLine{inv: inv, id: ln.ID, item: ln.Item, qty: ln.Qty.String(), price: ln.UnitPrice.String(), day: day}
	qty, price := rat(ml.qty), rat(ml.price)
	ml.result.Gross = roundRat(new(big.Rat).Mul(qty, price), 2, m.halfEven)
	u, inGroup := m.itemU[ln.Item]
	if !inGroup {
		ml.result.Reason = allowance.NoGroup
	} else if day < 0 {
		ml.result.Reason = allowance.BeforeStart
	} else if day > 364+m.grace {
		ml.result.Reason = allowance.AfterTerm
	} else {
		left := new(big.Rat).Mul(qty, big.NewRat(u, 1))
		inWindow := false
		// precedence: view order, then position
		order := []int{}
		for v := 0; v <= 2; v++ {
			for i, r := range m.rules {
				if r.view == v && r.group == m.itemG[ln.Item] {
					order = append(order, i)
				}
			}
		}
		for _, i := range order {
			r := m.rules[i]
			if day < r.start || day > r.end {
				continue
			}
			inWindow = true
			rem := new(big.Rat).Set(left)
			if r.allowed != nil {
				rem = new(big.Rat).Sub(r.allowed, m.used[i])
				rem.Sub(rem, extra[i])
			}
			if rem.Sign() <= 0 {
				continue
			}
			take := rem
			if left.Cmp(rem) < 0 {
				take = new(big.Rat).Set(left)
			}
			ml.splits = append(ml.splits, modelSplit{i, take})
			extra[i].Add(extra[i], take)
			left.Sub(left, take)
			if left.Sign() == 0 {
				break
			}
		}
		switch {
		case left.Sign() == 0:
			ml.result.Reason = allowance.Covered
		case !inWindow:
			ml.result.Reason = allowance.NoRule
		default:
			ml.result.Reason = allowance.UsedUp
		}
	}
	// money: split values exactly, prefix rounding
	sum, prev := new(big.Rat), "0.00"
	unitPrice := new(big.Rat).Quo(price, big.NewRat(max(u, 1), 1))
	for _, s := range ml.splits {
		r := m.rules[s.rule]
		var v *big.Rat
		if r.pct != nil {
			v = new(big.Rat).Mul(s.units, unitPrice)
			v.Mul(v, r.pct)
			v.Quo(v, big.NewRat(100, 1))
		} else {
			per := r.amt
			if per.Cmp(unitPrice) > 0 {
				per = unitPrice
			}
			v = new(big.Rat).Mul(s.units, per)
		}
		sum.Add(sum, v)
		cum := roundRat(sum, 2, m.halfEven)
		d := decimal.RequireFromString(cum).Sub(decimal.RequireFromString(prev))
		ml.result.Splits = append(ml.result.Splits, r.id+":"+s.units.FloatString(6)+":"+d.StringFixed(2))
		prev = cum
	}
	ml.result.Discount = prev
	ml.result.Net = decimal.RequireFromString(ml.result.Gross).Sub(decimal.RequireFromString(prev)).StringFixed(2)
	return ml
}

// modelSummary is summary with units printed the way the model prints
// them.
func modelSummary(lr allowance.LineResult) got {
	g := summary(lr)
	for i, s := range lr.Splits {
		g.Splits[i] = s.Rule + ":" + s.Units.StringFixed(6) + ":" + s.Discount.StringFixed(2)
	}
	return g
}

func TestStateMachine(t *testing.T) {
	rapid.Check(t, stateMachine)
}

// FuzzQuote drives the state machine from the fuzzer's bytes: random valid
// plans and visits, with SPEC.md section 7 checked after every step.
func FuzzQuote(f *testing.F) {
	f.Fuzz(rapid.MakeFuzz(stateMachine))
}

func stateMachine(rt *rapid.T) {
	m := &model{itemU: map[string]int64{"FLEA-1": 1, "FLEA-3PK": 3, "FOOD": 1, "CONSULT": 1},
		itemG: map[string]string{"FLEA-1": "flea", "FLEA-3PK": "flea", "FOOD": "food", "CONSULT": "consult"}}
	m.halfEven = rapid.Bool().Draw(rt, "halfEven")
	m.grace = rapid.IntRange(0, 10).Draw(rt, "grace")
	n := rapid.IntRange(1, 6).Draw(rt, "rules")
	var rules []plan.Rule
	for i := range n {
		r := modelRule{id: fmt.Sprint("r", i), pos: i,
			group: rapid.SampledFrom([]string{"flea", "flea", "food", "consult"}).Draw(rt, "group"),
			view:  rapid.IntRange(0, 2).Draw(rt, "view")}
		r.start = rapid.IntRange(0, 300).Draw(rt, "start")
		r.end = r.start + rapid.IntRange(0, 200).Draw(rt, "len")
		var d plan.Discount
		if rapid.Bool().Draw(rt, "percent") {
			p := rapid.SampledFrom([]string{"0", "10", "12.5", "33.333", "50", "100"}).Draw(rt, "pct")
			r.pct, d = rat(p), pct(p)
		} else {
			a := rapid.SampledFrom([]string{"0.5", "3", "7.125", "25"}).Draw(rt, "amt")
			r.amt, d = rat(a), off(a)
		}
		allowed := int64(rapid.IntRange(-1, 4).Draw(rt, "allowed"))
		if allowed == 0 {
			allowed = 1
		}
		if allowed > 0 {
			r.allowed = big.NewRat(allowed, 1)
		}
		m.rules = append(m.rules, r)
		m.used = append(m.used, new(big.Rat))
		m.adjusted = append(m.adjusted, new(big.Rat))
		rules = append(rules, rule(r.id, r.group, d, allowed, r.start, r.end, r.view))
	}
	sub := subscribe(rt, rules, func(p *plan.Plan) {
		p.GraceDays = m.grace
		if m.halfEven {
			p.Rounding = plan.HalfEven
		}
	})
	// l is round-tripped through its JSON from time to time; shadow
	// takes the same calls and never is, so that the two encode alike
	// only if a decoded ledger encodes as one built by calls does.
	var l, shadow allowance.Ledger

	drawVisit := func(rt *rapid.T) allowance.Visit {
		v := allowance.Visit{Invoice: rapid.SampledFrom([]string{"I1", "I2", "I3", "I4"}).Draw(rt, "invoice"),
			Date: start.AddDays(rapid.IntRange(-3, 380).Draw(rt, "day"))}
		ids := rapid.SliceOfNDistinct(rapid.SampledFrom([]string{"L1", "L2", "L3"}), 1, 3, rapid.ID[string]).Draw(rt, "lines")
		for _, id := range ids {
			v.Lines = append(v.Lines, allowance.Line{ID: id,
				Item:      rapid.SampledFrom([]string{"FLEA-1", "FLEA-3PK", "FOOD", "CONSULT", "XRAY"}).Draw(rt, "item"),
				Qty:       dec(rapid.SampledFrom([]string{"1", "2", "0.5", "1.25", "3"}).Draw(rt, "qty")),
				UnitPrice: dec(rapid.SampledFrom([]string{"10", "23.49", "0.335", "45.99", "7.77", "0"}).Draw(rt, "price"))})
		}
		return v
	}

	// expect prices a visit on the model; it returns the lines a commit
	// would add, or conflict=true when a commit must be refused.
	expect := func(v allowance.Visit) (want []got, added []*modelLine, conflict bool) {
		extra := make([]*big.Rat, len(m.rules))
		for i := range extra {
			extra[i] = new(big.Rat)
		}
		day := v.Date.Sub(start)
		for _, ln := range v.Lines {
			if rec := m.live(v.Invoice, ln.ID); rec != nil {
				if rec.item != ln.Item || rec.qty != ln.Qty.String() || rec.price != ln.UnitPrice.String() || rec.day != day {
					return nil, nil, true
				}
				want = append(want, rec.result)
				continue
			}
			ml := m.price(v.Invoice, ln, day, extra)
			want = append(want, ml.result)
			added = append(added, ml)
		}
		return want, added, false
	}

	check := func(rt *rapid.T, res allowance.Result, want []got) {
		var gross, discount decimal.Decimal
		for _, lr := range res.Lines {
			gross, discount = gross.Add(lr.Gross), discount.Add(lr.Discount)
		}
		if !res.Gross.Equal(gross) || !res.Discount.Equal(discount) || !res.Gross.Equal(res.Discount.Add(res.Net)) {
			rt.Fatalf("visit total %s %s %s; the lines add up to gross %s, discount %s", res.Gross, res.Discount, res.Net, gross, discount)
		}
		for i, lr := range res.Lines {
			g := modelSummary(lr)
			if fmt.Sprint(g) != fmt.Sprint(want[i]) {
				rt.Fatalf("line %s: got %+v, model %+v", lr.ID, g, want[i])
			}
			if !lr.Gross.Equal(lr.Discount.Add(lr.Net)) || lr.Discount.IsNegative() || lr.Discount.GreaterThan(lr.Gross) {
				rt.Fatalf("line %s breaks gross = discount + net, 0 <= discount <= gross: %s %s %s", lr.ID, lr.Gross, lr.Discount, lr.Net)
			}
			sum := decimal.Decimal{}
			for _, s := range lr.Splits {
				sum = sum.Add(s.Discount)
			}
			if !sum.Equal(lr.Discount) {
				rt.Fatalf("line %s: splits add up to %s, not %s", lr.ID, sum, lr.Discount)
			}
		}
	}

	rt.Repeat(map[string]func(*rapid.T){
		"commit": func(rt *rapid.T) {
			v := drawVisit(rt)
			want, added, conflict := expect(v)
			quoted, qerr := l.Quote(sub, v)
			res, err := l.Commit(sub, v)
			if _, serr := shadow.Commit(sub, v); (serr == nil) != (err == nil) {
				rt.Fatalf("commit: %v; on the shadow ledger: %v", err, serr)
			}
			if conflict {
				if err == nil || qerr == nil {
					rt.Fatalf("conflicting visit accepted: quote %v, commit %v", qerr, err)
				}
				return
			}
			if err != nil || qerr != nil {
				rt.Fatalf("quote %v, commit %v", qerr, err)
			}
			if d := resultDiff(quoted, res); d != "" {
				rt.Fatalf("quote and commit differ:\n%s", d)
			}
			check(rt, res, want)
			for _, ml := range added {
				for _, s := range ml.splits {
					m.used[s.rule].Add(m.used[s.rule], s.units)
				}
				m.lines = append(m.lines, ml)
			}
			// Committing the same visit again changes nothing.
			again, err := l.Commit(sub, v)
			if err != nil {
				rt.Fatal(err)
			}
			check(rt, again, want)
		},
		"quote": func(rt *rapid.T) {
			v := drawVisit(rt)
			want, _, conflict := expect(v)
			res, err := l.Quote(sub, v)
			if conflict != (err != nil) {
				rt.Fatalf("quote error %v; model conflict %v", err, conflict)
			}
			if err == nil {
				check(rt, res, want)
			}
		},
		"reverse": func(rt *rapid.T) {
			inv := rapid.SampledFrom([]string{"I1", "I2", "I3", "I4"}).Draw(rt, "invoice")
			id := rapid.SampledFrom([]string{"L1", "L2", "L3"}).Draw(rt, "line")
			rec := m.live(inv, id)
			_, err := l.Reverse(sub, inv, id)
			if _, serr := shadow.Reverse(sub, inv, id); (serr == nil) != (err == nil) {
				rt.Fatalf("reverse: %v; on the shadow ledger: %v", err, serr)
			}
			if (rec == nil) != (err != nil) {
				rt.Fatalf("reverse %s/%s: error %v; model has live line %v", inv, id, err, rec != nil)
			}
			if rec != nil {
				rec.reversed = true
				for _, s := range rec.splits {
					m.used[s.rule].Sub(m.used[s.rule], s.units)
				}
			}
		},
		"adjust": func(rt *rapid.T) {
			i := rapid.IntRange(0, len(m.rules)-1).Draw(rt, "rule")
			u := rapid.SampledFrom([]string{"1", "-1", "0.5", "2"}).Draw(rt, "units")
			after := new(big.Rat).Add(m.used[i], rat(u))
			adjusted := new(big.Rat).Add(m.adjusted[i], rat(u))
			ok := adjusted.Sign() >= 0 && (m.rules[i].allowed == nil || after.Cmp(m.rules[i].allowed) <= 0)
			_, err := l.Adjust(sub, m.rules[i].id, dec(u))
			if _, serr := shadow.Adjust(sub, m.rules[i].id, dec(u)); (serr == nil) != (err == nil) {
				rt.Fatalf("adjust: %v; on the shadow ledger: %v", err, serr)
			}
			if ok != (err == nil) {
				rt.Fatalf("adjust %s by %s: error %v; model allows %v", m.rules[i].id, u, err, ok)
			}
			if ok {
				m.used[i], m.adjusted[i] = after, adjusted
			}
		},
		"round trip": func(rt *rapid.T) {
			b, err := json.Marshal(&l)
			if err != nil {
				rt.Fatal(err)
			}
			back, err := allowance.DecodeLedger(sub, b)
			if err != nil {
				rt.Fatalf("%v\n%s", err, b)
			}
			if again, _ := json.Marshal(back); string(again) != string(b) {
				rt.Fatalf("the usage document is not canonical:\n%s\n%s", b, again)
			}
			if fresh, _ := json.Marshal(&shadow); string(fresh) != string(b) {
				rt.Fatalf("a decoded ledger encodes otherwise than one built by the same calls:\n%s\n%s", b, fresh)
			}
			l = *back
		},
		"": func(rt *rapid.T) {
			ents, err := l.Entitlements(sub, start)
			if err != nil {
				rt.Fatal(err)
			}
			for i, e := range ents.Rules {
				if want := m.used[i].FloatString(6); e.Used.StringFixed(6) != want {
					rt.Fatalf("rule %s used %s; model %s", e.Rule, e.Used, want)
				}
				if e.Used.IsNegative() || (!e.Allowed.IsUnlimited() && (e.Remaining.IsNegative() || e.Used.GreaterThan(decimal.NewFromInt(e.Allowed.Units())))) {
					rt.Fatalf("rule %s: used %s remaining %s outside 0..%s", e.Rule, e.Used, e.Remaining, e.Allowed)
				}
			}
		},
	})
}
