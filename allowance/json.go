package allowance

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// The ledger's JSON form, the usage a host stores (inside a contract
// document, as its "usage"):
//
//	{"visits": [{"invoice": "INV1", "date": "2026-04-05", "lines": [
//	   ["L1", "FLEA-1", "2", "23.49", [["flea-a", "2", "46.98", "46.98"]]],
//	   ["L2", "XRAY", "1", "180.00", [], "noGroup"],
//	   ["L3", "FLEA-1", "1", "23.49", [["flea-a", "1", "23.49", "23.49"]], "", true]]}],
//	 "adjustments": [["flea-b", "1"]]}
//
// Each visit is one commit: its invoice, its date and the lines it
// recorded. A line is an array, so that a long history stays small:
//
//	[id, item, qty, unitPrice, splits, reason, reversed]
//
// where splits are [rule, units, discount, listValue] (the rule by id,
// amounts with the currency's minor units), reason is the line's
// [Reason] ("" or left out when every unit was covered) and reversed is
// true for a reversed line (left out otherwise). An adjustment is
// [rule, units], units signed. The rule counters are not stored: decoding
// rebuilds them from the lines and adjustments, and checks them against
// the plan's allowances.

// MarshalJSON writes the ledger's usage document, the same usage always
// to the same bytes.
func (l *Ledger) MarshalJSON() ([]byte, error) {
	return l.AppendJSON(make([]byte, 0, 64+80*len(l.lines))), nil
}

// AppendJSON appends the ledger's usage document to dst, as MarshalJSON
// writes it.
func (l *Ledger) AppendJSON(dst []byte) []byte {
	b := append(dst, `{"visits":[`...)
	i := 0
	if l.rawLines > 0 {
		b = append(b, l.raw...)
		i = int(l.rawLines)
	}
	for i < len(l.lines) {
		vi := l.lines[i].visit
		v := &l.visits[vi]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"invoice":`...)
		b = wire.AppendString(b, v.invoice)
		b = append(b, `,"date":"`...)
		b, _ = v.date.AppendText(b)
		b = append(b, `","lines":[`...)
		for first := true; i < len(l.lines) && l.lines[i].visit == vi; i++ {
			if !first {
				b = append(b, ',')
			}
			first = false
			b = l.appendLine(b, &l.lines[i])
		}
		b = append(b, "]}"...)
	}
	b = append(b, `],"adjustments":[`...)
	for i, a := range l.adjusts {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = wire.AppendString(b, l.ix.ids[a.rule])
		b = append(b, ',', '"')
		b = num.AppendMicro(b, a.units)
		b = append(b, '"', ']')
	}
	return append(b, "]}"...)
}

func (l *Ledger) appendLine(b []byte, r *lineRec) []byte {
	b = append(b, '[')
	b = wire.AppendString(b, r.line)
	b = append(b, ',')
	b = wire.AppendString(b, r.item)
	b = append(b, ',', '"')
	b = num.AppendMicro(b, r.qty)
	b = append(b, '"', ',', '"')
	b = num.AppendMicro(b, r.price)
	b = append(b, '"', ',', '[')
	for k := int32(0); k < int32(r.nsplit); k++ {
		si := r.split0 + k
		s := &l.splits[si]
		if k > 0 {
			b = append(b, ',')
		}
		b = append(b, '[')
		b = wire.AppendString(b, l.ix.ids[s.rule])
		b = append(b, ',', '"')
		b = num.AppendMicro(b, s.units)
		b = append(b, '"', ',', '"')
		if s.disc == wideMark {
			w := l.wide[si]
			b = append(b, w.disc.StringFixed(l.ix.places)...)
			b = append(b, '"', ',', '"')
			b = append(b, w.list.StringFixed(l.ix.places)...)
		} else {
			b = num.AppendMinor(b, s.disc, l.ix.places)
			b = append(b, '"', ',', '"')
			b = num.AppendMinor(b, s.list, l.ix.places)
		}
		b = append(b, '"', ']')
	}
	b = append(b, ']')
	switch {
	case r.reversed:
		b = append(b, ',', '"')
		if r.reason != Covered {
			b = append(b, r.reason.String()...)
		}
		b = append(b, `",true`...)
	case r.reason != Covered:
		b = append(b, ',', '"')
		b = append(b, r.reason.String()...)
		b = append(b, '"')
	}
	return append(b, ']')
}

// UnmarshalJSON refuses to decode a ledger on its own: usage is read for
// its subscription, with [DecodeLedger], which checks it against the
// subscription's plan.
func (l *Ledger) UnmarshalJSON([]byte) error {
	return errors.New("allowance: a ledger is decoded for its subscription: use DecodeLedger(sub, data)")
}

// DecodeLedger reads a usage document, as MarshalJSON writes it, for the
// subscription sub: rules are named by id and checked against sub's plan,
// and the ledger is bound to sub. Every problem is reported at once, each
// a *plan.ValidationError with its JSON path ("visits[2].lines[0][2]" is
// that line's qty). Besides the document's shape and bounds it refuses
// usage the plan cannot have given: a split on a rule of another group or
// on an item in no group, splits covering more units than their line, a
// line's discounts above its list value or its gross, a line recorded
// twice while live, and a rule used beyond what it allows (or beyond what
// the ledger can count).
func DecodeLedger(sub *plan.Subscription, data []byte) (*Ledger, error) {
	return DecodeLedgerString(sub, string(data))
}

// DecodeLedgerString is DecodeLedger for a document held in a string; the
// ledger keeps substrings of it (line ids, invoices) rather than copies.
func DecodeLedgerString(sub *plan.Subscription, data string) (*Ledger, error) {
	s := wire.NewScanner(data, "")
	l, err := ReadLedger(s, sub)
	if err != nil {
		return nil, err
	}
	s.End()
	if err := s.Result(); err != nil {
		return nil, err
	}
	return l, nil
}

// ReadLedger reads a usage document, as DecodeLedger does, from the
// scanner of a larger document it is part of (a contract's "usage"), so
// that a long history is scanned once. Problems go to the scanner, with
// their paths in the larger document; the ledger is only good when the
// scanner records none.
func ReadLedger(s *wire.Scanner, sub *plan.Subscription) (*Ledger, error) {
	l, err := NewLedger(sub)
	if err != nil {
		return nil, err
	}
	// A committed line takes some 60 bytes of the document: room for the
	// lines and their splits up front saves growing them line by line.
	n := len(s.Rest()) / 48
	l.lines = make([]lineRec, 0, n)
	l.splits = make([]splitRec, 0, n)
	l.read(s, sub)
	return l, nil
}

// decoder carries what reading one usage document needs besides the
// scanner: the terms, and the ledger's rule ids by name.
type decoder struct {
	l        *Ledger
	s        *wire.Scanner
	t        *plan.Terms
	ruleAt   map[string]int32
	overflow []bool // per rule: its used went beyond an int64

	// canon is set while every visit read so far is written exactly as
	// AppendJSON writes it, end is where the last one ended, and scratch
	// is room to write a visit's head to compare it.
	canon   bool
	end     int
	scratch []byte
}

func (l *Ledger) read(s *wire.Scanner, sub *plan.Subscription) {
	d := &decoder{l: l, s: s, t: sub.Terms, ruleAt: l.ix.ruleAt, overflow: make([]bool, len(l.ix.ids)), canon: true}
	rawStart := -1
	if !s.Object("a usage document {\"visits\", \"adjustments\"}") {
		return
	}
	var seenV, seenA bool
	for {
		k, ok := s.Key()
		if !ok {
			break
		}
		switch {
		case k == "visits" && !seenV:
			seenV = true
			if s.Array("an array of visits") {
				for {
					before := s.Offset()
					if !s.Next() {
						break
					}
					switch {
					case rawStart < 0:
						rawStart = s.Offset()
					case s.Offset() != before+1: // more than the comma
						d.canon = false
					}
					d.visit()
				}
			}
		case k == "adjustments" && !seenA:
			seenA = true
			if s.Array("an array of adjustments") {
				for s.Next() {
					d.adjustment()
				}
			}
		case k == "visits" || k == "adjustments":
			s.Duplicate(k)
		default:
			s.Unknown(k, "a usage document", "visits", "adjustments")
		}
	}
	if s.Failed() {
		return
	}
	d.finish()
	if d.canon && rawStart >= 0 && len(s.Problems) == 0 {
		l.raw, l.rawLines = s.Text(rawStart, d.end), int32(len(l.lines))
	}
}

func (d *decoder) visit() {
	s, l := d.s, d.l
	start, linesEnd := s.Offset(), -1
	if !s.Object("a visit") {
		return
	}
	var v visitRec
	var seen [3]bool
	vi := int32(len(l.visits))
	v.first = int32(len(l.lines))
	hasLines := false
	for {
		k, ok := s.Key()
		if !ok {
			break
		}
		f := visitField(k)
		switch {
		case f < 0:
			s.Unknown(k, "a visit", "invoice", "date", "lines")
			continue
		case seen[f]:
			s.Duplicate(k)
			continue
		}
		seen[f] = true
		switch f {
		case 0:
			if inv, ok := s.String(); ok {
				if inv == "" {
					s.Report("", "is empty; want the invoice id")
				}
				v.invoice = inv
			}
		case 1:
			if ds, ok := s.String(); ok {
				dt, err := plan.ParseDate(ds)
				if err != nil {
					s.Report(ds, "is not a valid date; want YYYY-MM-DD")
				}
				v.date = dt
			}
		case 2:
			d.canon = d.canon && seen[0] && seen[1] && d.head(start, v)
			at := s.Offset()
			if s.Array("an array of lines") {
				d.canon = d.canon && s.Offset() == at+1
				for {
					at = s.Offset()
					if !s.Next() {
						break
					}
					if hasLines && s.Offset() != at+1 || !hasLines && s.Offset() != at {
						d.canon = false
					}
					hasLines = true
					d.line(vi)
				}
				if !hasLines {
					s.Report("", "is empty; a visit records at least one line")
				}
				d.canon = d.canon && s.Offset() == at+1
				linesEnd = s.Offset()
			}
		}
	}
	d.end = s.Offset()
	d.canon = d.canon && d.end == linesEnd+1
	for i, name := range []string{"invoice", "date", "lines"} {
		if !seen[i] {
			s.Report("", fmt.Sprintf("has no %q; a visit has an invoice, a date and lines", name))
		}
	}
	l.visits = append(l.visits, v)
}

// head reports whether the visit that starts at offset start was written,
// up to its lines, exactly as AppendJSON writes v's invoice and date.
func (d *decoder) head(start int, v visitRec) bool {
	b := append(d.scratch[:0], `{"invoice":`...)
	b = wire.AppendString(b, v.invoice)
	b = append(b, `,"date":"`...)
	b, _ = v.date.AppendText(b)
	b = append(b, `","lines":`...)
	d.scratch = b
	return string(b) == d.s.Text(start, d.s.Offset())
}

func visitField(k string) int {
	switch k {
	case "invoice":
		return 0
	case "date":
		return 1
	case "lines":
		return 2
	}
	return -1
}

// line reads [id, item, qty, unitPrice, splits, reason, reversed].
func (d *decoder) line(vi int32) {
	if d.fastLine(vi) {
		return
	}
	d.canon = false
	s, l := d.s, d.l
	if !s.Array("a line [id, item, qty, unitPrice, splits, reason, reversed]") {
		return
	}
	r := lineRec{visit: vi, split0: int32(len(l.splits))}
	var ref plan.ItemRef
	inGroup := false
	n := 0
	for ; s.Next(); n++ {
		switch n {
		case 0:
			r.line, _ = d.id("the line's id")
		case 1:
			code, ok := d.id("the item code")
			r.item = code
			if ok {
				if ref, inGroup = d.t.Item(code); inGroup {
					r.item = ref.Code
				}
			}
		case 2:
			r.qty, _ = d.micro("qty", func(m int64) bool { return m > 0 && m <= maxQtyMicro },
				"is outside 0 < quantity <= 1000000 with at most 6 decimal places (the line's qty)")
		case 3:
			r.price, _ = d.micro("unitPrice", func(m int64) bool { return m >= 0 && m < maxPriceMicro },
				"is outside 0 <= amount < 1000000000000 with at most 6 decimal places (the line's unitPrice)")
		case 4:
			d.splits(&r, ref, inGroup)
		case 5:
			if name, ok := s.String(); ok && name != "" {
				reason, known := parseReason(name)
				if !known || reason == Covered {
					s.Report(name, "is not a reason; want \"\" (every unit covered) or one of "+strings.Join(reasonNames[1:], ", "))
				}
				r.reason = reason
			}
		case 6:
			r.reversed, _ = s.Bool()
		default:
			s.Report(s.Raw(), "is one element too many; a line is [id, item, qty, unitPrice, splits, reason, reversed]")
		}
	}
	if n < 5 && !s.Failed() {
		s.Report("", fmt.Sprintf("has %d elements; a line is [id, item, qty, unitPrice, splits] followed by an optional reason and reversed", n))
	}
	d.add(r)
}

// add records a line read, and the units its splits use.
func (d *decoder) add(r lineRec) {
	l := d.l
	if !r.reversed {
		for k := r.split0; k < r.split0+int32(r.nsplit); k++ {
			sp := &l.splits[k]
			if u := l.used[sp.rule]; u > math.MaxInt64-sp.units {
				d.overflow[sp.rule] = true
			} else {
				l.used[sp.rule] = u + sp.units
			}
		}
	}
	l.lines = append(l.lines, r)
}

// fastLine reads a line written exactly as AppendJSON writes it (no white
// space, no escapes, decimals as strings, amounts that fit an int64) and
// within every bound. It reads nothing and returns false for a line
// written any other way, or that breaks a rule, which line then reads
// carefully and reports. Most of a long history is read here.
func (d *decoder) fastLine(vi int32) bool {
	src := d.s.Rest()
	l := d.l
	if len(src) < 2 || src[0] != '[' {
		return false
	}
	var (
		r          = lineRec{visit: vi, split0: int32(len(l.splits))}
		qty, price string
		ok         bool
		p          = 1
		places     = l.ix.places
	)
	if r.line, p, ok = quoted(src, p); !ok || r.line == "" || src[p] != ',' {
		return false
	}
	if r.item, p, ok = quoted(src, p+1); !ok || r.item == "" || src[p] != ',' {
		return false
	}
	if r.qty, qty, p, ok = quotedScaled(src, p+1, num.Scale); !ok || src[p] != ',' || r.qty <= 0 || r.qty > maxQtyMicro {
		return false
	}
	if r.price, price, p, ok = quotedScaled(src, p+1, num.Scale); !ok || src[p] != ',' || r.price < 0 || r.price >= maxPriceMicro {
		return false
	}
	canon := canonMicro(qty) && canonMicro(price)
	ref, inGroup := d.t.Item(r.item)
	if inGroup {
		r.item = ref.Code
	}
	p++
	if p >= len(src) || src[p] != '[' {
		return false
	}
	p++
	var covered, disc, list int64
	for first := true; p < len(src) && src[p] != ']'; first = false {
		if !first {
			if src[p] != ',' {
				return false
			}
			p++
		}
		if !inGroup || p >= len(src) || src[p] != '[' {
			return false
		}
		var id, units, ds, ls string
		var sp splitRec
		if id, p, ok = quoted(src, p+1); !ok || src[p] != ',' {
			return false
		}
		if sp.units, units, p, ok = quotedScaled(src, p+1, num.Scale); !ok || src[p] != ',' {
			return false
		}
		if sp.disc, ds, p, ok = quotedScaled(src, p+1, int(places)); !ok || src[p] != ',' {
			return false
		}
		if sp.list, ls, p, ok = quotedScaled(src, p+1, int(places)); !ok || src[p] != ']' {
			return false
		}
		p++
		ri, known := d.ruleAt[id]
		if !known || l.ix.rules[ri].group != ref.Group {
			return false
		}
		sp.rule = ri
		if sp.units <= 0 || sp.disc < 0 || sp.list < 0 || sp.disc == wideMark ||
			covered > math.MaxInt64-sp.units || disc > math.MaxInt64-sp.disc || list > math.MaxInt64-sp.list {
			return false
		}
		covered, disc, list = covered+sp.units, disc+sp.disc, list+sp.list
		canon = canon && canonMicro(units) && canonMinor(ds, places) && canonMinor(ls, places)
		l.splits = append(l.splits, sp)
		r.nsplit++
	}
	if p >= len(src) || covered > r.qty*ref.Units || disc > list || r.nsplit > 0 && !grossCovers(r.qty, r.price, l.ix.places, l.ix.halfEven, list) {
		l.splits = l.splits[:r.split0]
		return false
	}
	p++ // the splits' ]
	if p < len(src) && src[p] == ',' {
		var reason string
		if reason, p, ok = quoted(src, p+1); !ok {
			l.splits = l.splits[:r.split0]
			return false
		}
		if reason != "" {
			if r.reason, ok = parseReason(reason); !ok || r.reason == Covered {
				l.splits = l.splits[:r.split0]
				return false
			}
		}
		if strings.HasPrefix(src[p:], ",true") {
			r.reversed = true
			p += len(",true")
		}
		canon = canon && (r.reversed || reason != "") // else AppendJSON leaves the reason out
	}
	if p >= len(src) || src[p] != ']' {
		l.splits = l.splits[:r.split0]
		return false
	}
	d.s.Advance(p + 1)
	d.add(r)
	d.canon = d.canon && canon
	return true
}

// canonMicro reports whether a decimal ParseMicro read is written as
// AppendMicro writes it: no sign, no leading zero, no trailing zero after
// the point.
func canonMicro(s string) bool {
	if s[0] == '-' || s[0] == '0' && len(s) > 1 && s[1] != '.' {
		return false
	}
	if s[len(s)-1] != '0' {
		return true
	}
	i := len(s) - 2
	for i >= 0 && s[i] != '.' {
		i--
	}
	return i < 0 // a whole number: its zeros are its own
}

// canonMinor reports whether a decimal ParseMinor read is written as
// AppendMinor writes it: no sign, no leading zero, exactly places places
// (ParseMinor reads no more, and with none no point).
func canonMinor(s string, places int32) bool {
	if s[0] == '-' || s[0] == '0' && len(s) > 1 && s[1] != '.' {
		return false
	}
	return places == 0 || len(s) > int(places) && s[len(s)-int(places)-1] == '.'
}

// quoted reads the JSON string that starts at src[p] when it needs no
// unescaping (printable ASCII without backslashes), and the position after
// it. It reports false for anything else, and when nothing follows it.
func quoted(src string, p int) (string, int, bool) {
	if p >= len(src) || src[p] != '"' {
		return "", p, false
	}
	for i := p + 1; i < len(src); i++ {
		c := src[i]
		if c == '"' {
			return src[p+1 : i], i + 1, i+1 < len(src)
		}
		if !plain[c] {
			return "", p, false
		}
	}
	return "", p, false
}

// quotedScaled reads the JSON string at src[p] holding a plain decimal
// with at most places decimal places, as num.ParseMicro and ParseMinor
// read it: its value scaled, its text, and the position after it. It
// reports false for anything else, and when nothing follows it.
func quotedScaled(src string, p, places int) (int64, string, int, bool) {
	if p >= len(src) || src[p] != '"' {
		return 0, "", p, false
	}
	v, end, ok := num.ScanMinor(src, p+1, int32(places))
	if !ok || end+1 >= len(src) || src[end] != '"' {
		return 0, "", p, false
	}
	return v, src[p+1 : end], end + 1, true
}

// plain marks the bytes a string may hold and still be read by quoted:
// printable ASCII but the backslash (the quote ends the string), and but
// <, > and &, which wire.AppendString escapes: a string quoted reads is
// then written back byte for byte.
var plain = func() (t [256]bool) {
	for c := 0x20; c < 0x7f; c++ {
		t[c] = c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// id reads a non-empty string.
func (d *decoder) id(what string) (string, bool) {
	v, ok := d.s.String()
	if ok && v == "" {
		d.s.Report("", "is empty; want "+what)
		return "", false
	}
	return v, ok
}

// decimal reads a decimal string (or JSON number) as written.
func (d *decoder) decimal() (string, bool) { return d.s.Decimal() }

// micro reads a decimal in millionths, checked with ok.
func (d *decoder) micro(field string, ok func(int64) bool, reason string) (int64, bool) {
	v, read := d.decimal()
	if !read {
		return 0, false
	}
	m, fits := num.ParseMicro(v)
	if !fits || !ok(m) {
		if _, err := num.Parse(v); err != nil {
			d.s.Report(v, err.Error()+"; want a decimal such as \"12.50\" (the "+field+")")
		} else {
			d.s.Report(v, reason)
		}
		return 0, false
	}
	return m, true
}

// splits reads the line's splits: [rule, units, discount, listValue].
func (d *decoder) splits(r *lineRec, ref plan.ItemRef, inGroup bool) {
	s, l := d.s, d.l
	if !s.Array("an array of splits [rule, units, discount, listValue]") {
		return
	}
	var covered, disc, list int64
	wideLine := false
	for s.Next() {
		if !s.Array("a split [rule, units, discount, listValue]") {
			continue
		}
		sp := splitRec{rule: -1}
		var w wideSplit
		wide, good := false, true
		n := 0
		for ; s.Next(); n++ {
			switch n {
			case 0:
				id, ok := s.String()
				if !ok {
					good = false
					continue
				}
				ri, known := d.ruleAt[id]
				switch {
				case !known:
					s.Report(id, fmt.Sprintf("is not a rule of plan %q; want one of %s", d.t.PlanID(), strings.Join(l.ix.ids, ", ")))
					good = false
				case !inGroup:
					s.Report(id, fmt.Sprintf("covers item %q, which is in no treatment group", r.item))
					good = false
				case l.ix.rules[ri].group != ref.Group:
					s.Report(id, fmt.Sprintf("is a rule of group %q, but item %q is in group %q", l.ix.rules[ri].group, r.item, ref.Group))
					good = false
				}
				sp.rule = ri
			case 1:
				m, ok := d.micro("split's units", func(m int64) bool { return m > 0 }, "is not a positive number of units with at most 6 decimal places (the split's units)")
				sp.units = m
				good = good && ok
			case 2, 3:
				v, ok := d.decimal()
				if !ok {
					good = false
					continue
				}
				m, fits := num.ParseMinor(v, l.ix.places)
				if !fits {
					x, err := num.Parse(v)
					if err != nil || x.IsNegative() || num.Places(x) > l.ix.places || x.GreaterThanOrEqual(decimal.New(1, 30)) {
						s.Report(v, fmt.Sprintf("is not an amount of %s with at most %d decimal places", l.ix.currency, l.ix.places))
						good = false
						continue
					}
					wide = true
					if n == 2 {
						w.disc = x
					} else {
						w.list = x
					}
					continue
				}
				if m < 0 || m == wideMark {
					s.Report(v, "is negative; want an amount of at least 0")
					good = false
					continue
				}
				if n == 2 {
					sp.disc = m
				} else {
					sp.list = m
				}
			default:
				s.Report(s.Raw(), "is one element too many; a split is [rule, units, discount, listValue]")
				good = false
			}
		}
		if n < 4 && !s.Failed() {
			s.Report("", fmt.Sprintf("has %d elements; a split is [rule, units, discount, listValue]", n))
			good = false
		}
		if !good {
			continue
		}
		if covered > math.MaxInt64-sp.units {
			covered = math.MaxInt64
		} else {
			covered += sp.units
		}
		idx := int32(len(l.splits))
		if wide {
			if w.disc.IsZero() && sp.disc != 0 {
				w.disc = num.FromMinor(sp.disc, l.ix.places)
			}
			if w.list.IsZero() && sp.list != 0 {
				w.list = num.FromMinor(sp.list, l.ix.places)
			}
			wideLine = true
			sp.disc = wideMark
			if l.wide == nil {
				l.wide = map[int32]wideSplit{}
			}
			l.wide[idx] = w
		} else if !wideLine {
			if disc > math.MaxInt64-sp.disc || list > math.MaxInt64-sp.list {
				wideLine = true // sums beyond an int64: checked as decimals
			} else {
				disc, list = disc+sp.disc, list+sp.list
			}
		}
		l.splits = append(l.splits, sp)
		r.nsplit++
	}
	if s.Failed() || r.qty == 0 {
		return
	}
	if units := r.qty * ref.Units; inGroup && covered > units {
		s.Report("", fmt.Sprintf("cover %s units, more than the line's %s", num.Format(num.FromMicro(covered)), num.Format(num.FromMicro(units))))
	}
	switch {
	case r.nsplit == 0:
	case wideLine:
		d.wideAmounts(r)
	case disc > list:
		s.Report("", fmt.Sprintf("have a discount of %s, above their list value %s",
			num.FromMinor(disc, l.ix.places).StringFixed(l.ix.places), num.FromMinor(list, l.ix.places).StringFixed(l.ix.places)))
	case !grossCovers(r.qty, r.price, l.ix.places, l.ix.halfEven, list):
		s.Report("", fmt.Sprintf("have a list value of %s, above the line's gross", num.FromMinor(list, l.ix.places).StringFixed(l.ix.places)))
	}
}

// wideAmounts checks the amounts of a line's splits when one is beyond
// int64 minor units, as splits checks the others: their discounts within
// their list values, and those within the line's gross.
func (d *decoder) wideAmounts(r *lineRec) {
	l := d.l
	var disc, list decimal.Decimal
	for k := r.split0; k < r.split0+int32(r.nsplit); k++ {
		x, y := l.splitMoney(k)
		disc, list = disc.Add(x), list.Add(y)
	}
	a := arith{places: l.ix.places, halfEven: l.ix.halfEven}
	a.gross(r.qty, r.price)
	switch {
	case disc.GreaterThan(list):
		d.s.Report("", fmt.Sprintf("have a discount of %s, above their list value %s", disc.StringFixed(l.ix.places), list.StringFixed(l.ix.places)))
	case list.GreaterThan(a.dec(&a.g)):
		d.s.Report("", fmt.Sprintf("have a list value of %s, above the line's gross", list.StringFixed(l.ix.places)))
	}
}

// grossCovers reports whether round(qty × price), in minor units, is at
// least list (qty and price in millionths), rounded half up or, with
// halfEven, half to even, as the line's gross is.
func grossCovers(qty, price int64, places int32, halfEven bool, list int64) bool {
	hi, lo := bits.Mul64(uint64(qty), uint64(price))
	if hi == 0 {
		div := uint64(num.Pow10(2*num.Scale - int(places)))
		q, rem := lo/div, lo%div
		if rem*2 > div || rem*2 == div && (!halfEven || q%2 == 1) {
			q++
		}
		return q >= uint64(list)
	}
	var a arith
	a.places, a.halfEven = places, halfEven
	a.gross(qty, price)
	return a.g.Cmp(big.NewInt(list)) >= 0
}

// adjustment reads [rule, units].
func (d *decoder) adjustment() {
	s, l := d.s, d.l
	if !s.Array("an adjustment [rule, units]") {
		return
	}
	a := adjustRec{rule: -1}
	good := true
	n := 0
	for ; s.Next(); n++ {
		switch n {
		case 0:
			id, ok := s.String()
			ri, known := d.ruleAt[id]
			if ok && !known {
				s.Report(id, fmt.Sprintf("is not a rule of plan %q; want one of %s", d.t.PlanID(), strings.Join(l.ix.ids, ", ")))
			}
			a.rule, good = ri, good && ok && known
		case 1:
			m, ok := d.micro("adjustment's units", func(m int64) bool { return m != 0 && m >= -plan.MaxAllowed*micro && m <= plan.MaxAllowed*micro },
				"is not a non-zero number of units within ±1000000000 with at most 6 decimal places (the adjustment's units)")
			a.units, good = m, good && ok
		default:
			s.Report(s.Raw(), "is one element too many; an adjustment is [rule, units]")
			good = false
		}
	}
	if n < 2 && !s.Failed() {
		s.Report("", fmt.Sprintf("has %d elements; an adjustment is [rule, units]", n))
		good = false
	}
	if !good {
		return
	}
	l.adjusts = append(l.adjusts, a)
	// used is the lines' units (never negative) plus adjusted: it goes
	// beyond an int64 first upwards, and adjusted first downwards.
	adj, u := l.adjusted[a.rule], l.used[a.rule]
	if a.units > 0 && u > math.MaxInt64-a.units || a.units < 0 && adj < math.MinInt64-a.units {
		d.overflow[a.rule] = true
		return
	}
	l.adjusted[a.rule], l.used[a.rule] = adj+a.units, u+a.units
}

// finish checks the whole ledger: each rule's counters, and that no line
// is live twice; then it builds the line index.
// repeatedLine returns the first of lines[first:end] whose id an earlier
// one has, or -1: by comparing pairs in a visit of few lines, through
// *ids (made at its first use) in a larger one.
func (l *Ledger) repeatedLine(first, end int32, ids *map[string]bool) int32 {
	if end-first <= manyLines {
		for i := first + 1; i < end; i++ {
			a := l.lines[i].line // never empty
			for j := first; j < i; j++ {
				// Ids of one invoice mostly differ in their last byte.
				if b := l.lines[j].line; a[len(a)-1] == b[len(b)-1] && a == b {
					return i
				}
			}
		}
		return -1
	}
	if *ids == nil {
		*ids = make(map[string]bool, end-first)
	}
	clear(*ids)
	for i := first; i < end; i++ {
		if (*ids)[l.lines[i].line] {
			return i
		}
		(*ids)[l.lines[i].line] = true
	}
	return -1
}

func (d *decoder) finish() {
	s, l := d.s, d.l
	for i, r := range l.ix.rules {
		switch {
		case d.overflow[i]:
			s.Report("", fmt.Sprintf("records more units used of rule %q than the ledger can count", r.id))
		case l.adjusted[i] < 0: // else used, the lines' units plus adjusted, is not negative either
			s.Report("", fmt.Sprintf("takes back more units from rule %q than were adjusted onto it", r.id))
		case !r.limit.IsUnlimited() && l.used[i] > r.allowed:
			s.Report("", fmt.Sprintf("records %s units used of rule %q, which allows %s", num.Format(num.FromMicro(l.used[i])), r.id, r.limit))
		}
	}
	if len(s.Problems) > 0 {
		return
	}
	l.invoices = make(map[string]int32, len(l.visits))
	var ids map[string]bool
	for v := range l.visits {
		first, end := l.visits[v].first, l.visitEnd(int32(v))
		if i := l.repeatedLine(first, end, &ids); i >= 0 {
			s.ReportAt(fmt.Sprintf("visits[%d].lines[%d][0]", v, i-first), l.lines[i].line, "appears twice in the visit; a visit records each line once")
			return
		}
		if i := l.link(int32(v)); i >= 0 {
			r := &l.lines[i]
			s.ReportAt(fmt.Sprintf("visits[%d].lines[%d][0]", v, i-int(l.visits[v].first)), r.line,
				fmt.Sprintf("is already a live line of invoice %q; a line is committed again only after it is reversed", l.visits[v].invoice))
			return
		}
	}
}
