package allowance

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// The ledger's JSON form, which a host stores:
//
//	{"subscription": "S1", "currency": "GBP", "rules": ["flea-a", "food"],
//	 "visits": [{"invoice": "INV1", "date": "2026-04-05", "lines": [
//	   {"id": "L1", "item": "FLEA-1", "qty": "2", "unitPrice": "23.49",
//	    "reason": "usedUp", "reversed": true,
//	    "splits": [{"rule": "flea-a", "units": "2", "discount": "46.98", "list": "46.98"}]}]}],
//	 "adjustments": [{"rule": "flea-a", "units": "1"}]}
//
// Each visit is one commit. The rule counters are not stored: decoding
// rebuilds them from the lines and adjustments.

type ledgerJSON struct {
	Subscription string       `json:"subscription,omitempty"`
	Currency     string       `json:"currency,omitempty"`
	Rules        []string     `json:"rules,omitempty"`
	Visits       []visitJSON  `json:"visits,omitempty"`
	Adjustments  []adjustJSON `json:"adjustments,omitempty"`
}

type visitJSON struct {
	Invoice string     `json:"invoice"`
	Date    string     `json:"date"`
	Lines   []lineJSON `json:"lines"`
}

type lineJSON struct {
	ID        string      `json:"id"`
	Item      string      `json:"item"`
	Qty       string      `json:"qty"`
	UnitPrice string      `json:"unitPrice"`
	Reason    string      `json:"reason,omitempty"`
	Reversed  bool        `json:"reversed,omitempty"`
	Splits    []splitJSON `json:"splits,omitempty"`
}

type splitJSON struct {
	Rule     string `json:"rule"`
	Units    string `json:"units"`
	Discount string `json:"discount"`
	List     string `json:"list"`
}

type adjustJSON struct {
	Rule  string `json:"rule"`
	Units string `json:"units"`
}

// MarshalJSON writes the ledger's lines, grouped by the visit that
// committed them, and its adjustments.
func (l *Ledger) MarshalJSON() ([]byte, error) {
	out := ledgerJSON{Subscription: l.sub, Currency: l.currency, Rules: l.rules}
	for i := 0; i < len(l.lines); {
		vi := l.lines[i].visit
		v := l.visits[vi]
		vj := visitJSON{Invoice: v.invoice, Date: v.date.String()}
		for ; i < len(l.lines) && l.lines[i].visit == vi; i++ {
			r := &l.lines[i]
			lj := lineJSON{ID: r.line, Item: r.item, Qty: num.Format(num.FromMicro(r.qty)),
				UnitPrice: num.Format(num.FromMicro(r.price)), Reversed: r.reversed}
			if r.reason != Covered {
				lj.Reason = r.reason.String()
			}
			for k := int32(0); k < int32(r.nsplit); k++ {
				s := &l.splits[r.split0+k]
				d, lv := l.splitMoney(r.split0 + k)
				lj.Splits = append(lj.Splits, splitJSON{Rule: l.rules[s.rule], Units: num.Format(num.FromMicro(s.units)),
					Discount: d.StringFixed(l.places), List: lv.StringFixed(l.places)})
			}
			vj.Lines = append(vj.Lines, lj)
		}
		out.Visits = append(out.Visits, vj)
	}
	for _, a := range l.adjusts {
		out.Adjustments = append(out.Adjustments, adjustJSON{Rule: l.rules[a.rule], Units: num.Format(num.FromMicro(a.units))})
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads a ledger as MarshalJSON writes it, checks it, and
// rebuilds the rule counters and the line index. It reports every problem
// at once, each a *plan.ValidationError with its JSON path.
func (l *Ledger) UnmarshalJSON(b []byte) error {
	var d wire.Decoder
	tree, err := wire.Parse(b, &d)
	if err != nil {
		return err
	}
	var n Ledger
	if o, ok := d.Object("", tree, "a ledger"); ok {
		n.read(o)
	}
	if len(d.Problems) > 0 {
		list := make([]error, len(d.Problems))
		for i, p := range d.Problems {
			list[i] = &plan.ValidationError{Path: p.Path, Value: p.Value, Reason: p.Reason}
		}
		return errors.Join(list...)
	}
	*l = n
	return nil
}

func (l *Ledger) read(o wire.Object) {
	o.Only("a ledger", "subscription", "currency", "rules", "visits", "adjustments")
	l.sub, _ = o.String("subscription", false)
	if l.sub == "" {
		for _, k := range []string{"currency", "rules", "visits", "adjustments"} {
			if o.Has(k) {
				o.Report("subscription", "", "is missing; a ledger with usage names its subscription")
				return
			}
		}
		return
	}
	if s, ok := o.String("currency", true); ok {
		c, err := plan.ParseCurrency(s)
		if err != nil {
			o.Report("currency", s, "is not a known currency")
			return
		}
		l.currency, l.places = c.Code(), c.MinorUnits()
	}
	ruleAt := map[string]int32{}
	if a, ok := o.Array("rules", false); ok {
		for i, v := range a {
			s, isStr := v.(string)
			path := wire.Index(o.Path("rules"), i)
			if !isStr || s == "" {
				o.Decoder().Report(path, wire.Text(v), "is not a rule id; want a non-empty string")
				continue
			}
			if _, dup := ruleAt[s]; dup {
				o.Decoder().Report(path, s, "appears twice; rule ids are unique")
				continue
			}
			ruleAt[s] = int32(len(l.rules))
			l.rules = append(l.rules, s)
		}
	}
	l.used = make([]int64, len(l.rules))
	l.adjusted = make([]int64, len(l.rules))
	rule := func(o wire.Object) (int32, bool) {
		s, ok := o.String("rule", true)
		if !ok {
			return 0, false
		}
		ri, known := ruleAt[s]
		if !known {
			o.Report("rule", s, "is not one of the ledger's rules "+strings.Join(l.rules, ", "))
		}
		return ri, known
	}
	if a, ok := o.Array("visits", false); ok {
		for i, v := range a {
			vo, ok := o.Decoder().Object(wire.Index(o.Path("visits"), i), v, "a visit")
			if ok {
				l.readVisit(vo, rule)
			}
		}
	}
	if a, ok := o.Array("adjustments", false); ok {
		for i, v := range a {
			ao, ok := o.Decoder().Object(wire.Index(o.Path("adjustments"), i), v, "an adjustment")
			if !ok {
				continue
			}
			ao.Only("an adjustment", "rule", "units")
			ri, okR := rule(ao)
			u, okU := ao.Decimal("units", true)
			m, fits := num.ToMicro(u)
			if okU && (!fits || m == 0) {
				ao.Report("units", num.Format(u), "is not a non-zero number of units with at most 6 decimal places")
			}
			if okR && okU && fits && m != 0 {
				l.adjusts = append(l.adjusts, adjustRec{rule: ri, units: m})
				l.used[ri] += m
				l.adjusted[ri] += m
			}
		}
	}
	for i, a := range l.adjusted {
		if a < 0 {
			o.Report("adjustments", "", fmt.Sprintf("take back more units from rule %q than were adjusted onto it", l.rules[i]))
		}
	}
}

func (l *Ledger) readVisit(o wire.Object, rule func(wire.Object) (int32, bool)) {
	o.Only("a visit", "invoice", "date", "lines")
	var v visitRec
	v.invoice, _ = o.String("invoice", true)
	if s, ok := o.String("date", true); ok {
		dt, err := plan.ParseDate(s)
		if err != nil {
			o.Report("date", s, "is not a valid date; want YYYY-MM-DD")
		}
		v.date = dt
	}
	a, _ := o.Array("lines", true)
	vi := int32(len(l.visits))
	l.visits = append(l.visits, v)
	for i, x := range a {
		lo, ok := o.Decoder().Object(wire.Index(o.Path("lines"), i), x, "a line")
		if !ok {
			continue
		}
		lo.Only("a line", "id", "item", "qty", "unitPrice", "reason", "reversed", "splits")
		r := lineRec{visit: vi, split0: int32(len(l.splits)), prev: -1}
		r.line, _ = lo.String("id", true)
		r.item, _ = lo.String("item", true)
		if q, ok := lo.Decimal("qty", true); ok {
			if err := plan.CheckQuantity(lo.Path("qty"), q); err != nil {
				lo.Report("qty", num.Format(q), "is outside 0 < quantity <= 1000000 with at most 6 decimal places")
			}
			r.qty, _ = num.ToMicro(q)
		}
		if p, ok := lo.Decimal("unitPrice", true); ok {
			if err := plan.CheckAmount(lo.Path("unitPrice"), p); err != nil {
				lo.Report("unitPrice", num.Format(p), "is outside 0 <= amount < 1000000000000 with at most 6 decimal places")
			}
			r.price, _ = num.ToMicro(p)
		}
		if s, ok := lo.String("reason", false); ok {
			reason, known := parseReason(s)
			if !known {
				lo.Report("reason", s, "is not a reason; want one of "+strings.Join(reasonNames[1:], ", "))
			}
			r.reason = reason
		}
		r.reversed, _ = lo.Bool("reversed")
		if sa, ok := lo.Array("splits", false); ok {
			for k, sx := range sa {
				so, ok := lo.Decoder().Object(wire.Index(lo.Path("splits"), k), sx, "a split")
				if !ok {
					continue
				}
				so.Only("a split", "rule", "units", "discount", "list")
				ri, okR := rule(so)
				u, okU := so.Decimal("units", true)
				m, fits := num.ToMicro(u)
				if okU && (!fits || m <= 0) {
					so.Report("units", num.Format(u), "is not a positive number of units with at most 6 decimal places")
				}
				d, okD := so.Decimal("discount", true)
				lv, okL := so.Decimal("list", true)
				if !okR || !okU || !fits || m <= 0 || !okD || !okL {
					continue
				}
				s := splitRec{rule: ri, units: m}
				idx := int32(len(l.splits))
				dm, f1 := num.ToMinor(d, l.places)
				lm, f2 := num.ToMinor(lv, l.places)
				if f1 && f2 && dm != wideMark {
					s.disc, s.list = dm, lm
				} else {
					if l.wide == nil {
						l.wide = map[int32]wideSplit{}
					}
					s.disc = wideMark
					l.wide[idx] = wideSplit{disc: d, list: lv}
				}
				l.splits = append(l.splits, s)
				r.nsplit++
				if !r.reversed {
					l.used[ri] += m
				}
			}
		}
		if j := l.find(v.invoice, r.line); j >= 0 && !l.lines[j].reversed {
			lo.Report("id", r.line, fmt.Sprintf("is already a live line of invoice %q; a line is committed again only after it is reversed", v.invoice))
		}
		l.lines = append(l.lines, r)
		l.link(int32(len(l.lines)-1), v.invoice)
	}
}
