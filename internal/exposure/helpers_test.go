package exposure

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/internal/scenario"
	"github.com/vetplan/healthplan/plan"
)

// fataler is what the helpers need of a *testing.T or a *rapid.T.
type fataler interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func mustTerms(tb fataler, doc string) *plan.Terms {
	tb.Helper()
	var t plan.Terms
	if err := t.UnmarshalJSON([]byte(doc)); err != nil {
		tb.Fatalf("terms: %v\n%s", err, doc)
	}
	return &t
}

// result is one replay result line, decoded loosely.
type result map[string]any

// replay runs a scenario document through the engine.
func replay(tb fataler, doc []byte) []result {
	tb.Helper()
	s, err := scenario.Parse(doc)
	if err != nil {
		tb.Fatalf("scenario does not parse: %v\n%s", err, doc)
	}
	var buf bytes.Buffer
	if err := scenario.Write(&buf, s.Replay()); err != nil {
		tb.Fatal(err)
	}
	var out []result
	sc := bufio.NewScanner(&buf)
	sc.Buffer(nil, 1<<26)
	for sc.Scan() {
		var r result
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			tb.Fatal(err)
		}
		if e, ok := r["error"]; ok {
			tb.Fatalf("event %v refused: %v\n%s", r["index"], e, doc)
		}
		out = append(out, r)
	}
	return out
}

// settlement reads a terminate result's coreValue, paid and debt.
func settlement(tb fataler, r result) (core, paid, debt decimal.Decimal) {
	tb.Helper()
	s, ok := r["settlement"].(map[string]any)
	if !ok {
		tb.Fatalf("not a terminate result: %v", r)
	}
	return dec(s["coreValue"].(string)), dec(s["paid"].(string)), dec(s["debt"].(string))
}

// at is the value of a step curve on a day.
func at(curve []Point, day int) decimal.Decimal {
	v := decimal.Decimal{}
	for _, p := range curve {
		if p.Day > day {
			break
		}
		v = p.Exposure
	}
	return v
}

// ---- random plans ----

type spec struct {
	terms    string
	prices   map[string]decimal.Decimal
	start    plan.Date
	in       Input
	hasUnlim bool
}

type sizes struct {
	months, groups, rules, allowed, items, units, window int
}

var tiny = sizes{months: 3, groups: 2, rules: 3, allowed: 3, items: 2, units: 2, window: 100}
var crowded = sizes{months: 2, groups: 1, rules: 4, allowed: 4, items: 2, units: 3, window: 50}
var small = sizes{months: 12, groups: 3, rules: 4, allowed: 5, items: 3, units: 3, window: 400}

func genDecimal(t *rapid.T, label string, maxWhole int64, places int) decimal.Decimal {
	scale := int64(1)
	for range places {
		scale *= 10
	}
	n := rapid.Int64Range(0, maxWhole*scale).Draw(t, label)
	return decimal.New(n, -int32(places))
}

// genSpec draws a plan (core and non-core groups, percent and amount
// rules, windows, view orders, limited and sometimes capped unlimited
// allowances, sometimes suspendAfterFailures, grace, a days-past-due
// rule, other installment intervals), a price list with up to 3 decimals
// and a start date.
func genSpec(t *rapid.T, sz sizes) spec {
	cur := rapid.SampledFrom([]string{"GBP", "GBP", "GBP", "JPY", "KWD"}).Draw(t, "currency")
	months := rapid.IntRange(1, sz.months).Draw(t, "months")
	ng := rapid.IntRange(1, sz.groups).Draw(t, "groups")
	var groups, rules []string
	prices := map[string]decimal.Decimal{}
	hasUnlim := false
	horizon := min(sz.window, months*31+20)
	nrule := 0
	for g := range ng + 1 {
		core := g < ng
		var items []string
		for i := range rapid.IntRange(1, sz.items).Draw(t, "items") {
			code := fmt.Sprintf("I%d%d", g, i)
			u := rapid.IntRange(1, sz.units).Draw(t, "units")
			items = append(items, fmt.Sprintf(`{"code":%q,"units":%d}`, code, u))
			if rapid.IntRange(0, 5).Draw(t, "priced") > 0 {
				places := rapid.IntRange(0, 3).Draw(t, "pricePlaces")
				maxWhole := rapid.SampledFrom([]int64{0, 1, 5, 40}).Draw(t, "priceScale")
				prices[code] = genDecimal(t, "price", max(maxWhole, 1), places)
			}
		}
		groups = append(groups, fmt.Sprintf(`{"id":"g%d","core":%v,"items":[%s]}`, g, core, strings.Join(items, ",")))
		for range rapid.IntRange(1, sz.rules).Draw(t, "rules") {
			nrule++
			var disc string
			if rapid.Bool().Draw(t, "percent") {
				pc := rapid.SampledFrom([]string{"100", "50", "33.333", "12.5", "1", "0"}).Draw(t, "pc")
				if rapid.Bool().Draw(t, "randomPc") {
					pc = genDecimal(t, "pcv", 100, rapid.IntRange(0, 3).Draw(t, "pcPlaces")).String()
					if dec(pc).GreaterThan(dec("100")) {
						pc = "100"
					}
				}
				disc = fmt.Sprintf(`"discountPercent":%q`, pc)
			} else {
				disc = fmt.Sprintf(`"discountAmount":%q`, genDecimal(t, "amt", 10, rapid.IntRange(0, 3).Draw(t, "amtPlaces")).String())
			}
			allowed := fmt.Sprint(rapid.IntRange(1, sz.allowed).Draw(t, "allowed"))
			if rapid.IntRange(0, 9).Draw(t, "unlimited") == 0 {
				allowed, hasUnlim = `"unlimited"`, true
			}
			s := rapid.IntRange(0, horizon).Draw(t, "startDay")
			e := rapid.IntRange(s, min(s+horizon, 36600)).Draw(t, "endDay")
			rules = append(rules, fmt.Sprintf(`{"id":"r%d","group":"g%d",%s,"allowed":%s,"startDay":%d,"endDay":%d,"viewOrder":%d}`,
				nrule, g, disc, allowed, s, e, rapid.IntRange(0, 2).Draw(t, "view")))
		}
	}
	var extra []string
	if rapid.Bool().Draw(t, "joining") {
		extra = append(extra, fmt.Sprintf(`"joiningFee":%q`, genDecimal(t, "joiningFee", 20, 2).String()))
	}
	if f := rapid.IntRange(0, 3).Draw(t, "failures"); f < 3 {
		extra = append(extra, fmt.Sprintf(`"suspendAfterFailures":%d`, f))
	}
	if rapid.Bool().Draw(t, "grace") {
		extra = append(extra, fmt.Sprintf(`"graceDays":%d`, rapid.IntRange(0, 15).Draw(t, "graceDays")))
	}
	if rapid.Bool().Draw(t, "halfEven") {
		extra = append(extra, `"rounding":"halfEven"`)
	}
	if rapid.Bool().Draw(t, "multiPet") {
		extra = append(extra, fmt.Sprintf(`"multiPetDiscount":{"amount":%q}`, genDecimal(t, "mp", 5, 2).String()))
	}
	if rapid.IntRange(0, 2).Draw(t, "byDays") == 0 {
		extra = append(extra, fmt.Sprintf(`"dunning":{"suspendAfterDays":%d}`, rapid.IntRange(0, 40).Draw(t, "afterDays")))
	}
	// Other installment intervals: every 4 weeks always, quarters when
	// the term is a whole number of them.
	interval := plan.Month
	var fees []string
	feeScale := rapid.SampledFrom([]int64{1, 5, 30}).Draw(t, "feeScale")
	if rapid.IntRange(0, 3).Draw(t, "otherInterval") == 0 {
		fees = append(fees, fmt.Sprintf(`"4weeks":%q`, genDecimal(t, "fee4w", feeScale, 2).String()))
		interval = plan.FourWeeks
		if months%3 == 0 {
			fees = append(fees, fmt.Sprintf(`"quarter":%q`, genDecimal(t, "feeQ", 3*feeScale, 2).String()))
			if rapid.Bool().Draw(t, "quarterly") {
				interval = plan.Quarter
			}
		}
		extra = append(extra, `"fees":{`+strings.Join(fees, ",")+`}`)
	}
	fee := genDecimal(t, "fee", feeScale, 2)
	doc := fmt.Sprintf(`{"currency":%q,"groups":[%s],"plan":{"id":"p","species":"dog","termMonths":%d,"monthlyFee":%q%s,"rules":[%s]}}`,
		cur, strings.Join(groups, ","), months, fee.String(), prefixed(extra), strings.Join(rules, ","))
	start := plan.MustParseDate("2025-12-20").AddDays(rapid.IntRange(0, 400).Draw(t, "start"))
	in := Input{Start: start, Prices: prices, Interval: interval, MultiPet: rapid.Bool().Draw(t, "isMultiPet")}
	if rapid.IntRange(0, 5).Draw(t, "advance") == 0 {
		in.Payment = plan.Advance
	}
	if hasUnlim {
		in.UnitsCap = int64(rapid.IntRange(1, sz.allowed).Draw(t, "unitsCap"))
	}
	return spec{terms: doc, prices: prices, start: start, in: in, hasUnlim: hasUnlim}
}

func prefixed(fields []string) string {
	if len(fields) == 0 {
		return ""
	}
	return "," + strings.Join(fields, ",")
}
