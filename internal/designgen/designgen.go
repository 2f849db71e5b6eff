// Package designgen draws random plan designs for property tests: terms
// with core and non-core groups, percent and amount rules, overlapping
// windows, view orders, limited and unlimited allowances, suspension by
// failures and by days past due, grace, installment intervals and
// settlement terms, with a price list and a start date. Generators
// produce valid input directly rather than filtering.
package designgen

import (
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"

	"github.com/vetplan/healthplan/plan"
)

// Design is a plan to analyse and the clients to analyse it for.
type Design struct {
	// Terms is the terms' JSON document {"currency", "groups", "plan"};
	// the plan's id is "p".
	Terms    string
	Prices   map[string]decimal.Decimal
	Start    plan.Date
	Payment  plan.PaymentOption
	Interval plan.Interval
	MultiPet bool
	// UnitsCap is set (1..Sizes.Allowed) when the plan has an unlimited
	// rule, core or not.
	UnitsCap     int64
	HasUnlimited bool
}

// Sizes bound a design.
type Sizes struct {
	Months, Groups, Rules, Allowed, Items, Units, Window int
}

// Tiny designs are small enough for a brute force over every day and
// every payment outcome.
func Tiny() Sizes {
	return Sizes{Months: 3, Groups: 2, Rules: 3, Allowed: 3, Items: 2, Units: 2, Window: 100}
}

// Crowded designs have one group of many overlapping rules: long streams,
// several rules partly used at once, lines across rules.
func Crowded() Sizes {
	return Sizes{Months: 2, Groups: 1, Rules: 4, Allowed: 4, Items: 2, Units: 3, Window: 50}
}

// Small designs are a year long with a few groups.
func Small() Sizes {
	return Sizes{Months: 12, Groups: 3, Rules: 4, Allowed: 5, Items: 3, Units: 3, Window: 400}
}

func drawDecimal(t *rapid.T, label string, maxWhole int64, places int) decimal.Decimal {
	scale := int64(1)
	for range places {
		scale *= 10
	}
	n := rapid.Int64Range(0, maxWhole*scale).Draw(t, label)
	return decimal.New(n, -int32(places))
}

// drawSettlement draws a plan's settlement terms: any method and basis,
// sometimes a fee, a refund of the excess, cooling-off days and waivers.
func drawSettlement(t *rapid.T) string {
	fields := []string{
		fmt.Sprintf(`"method":%q`, rapid.SampledFrom([]string{"coreValue", "remainingPayments", "lesserOf", "none"}).Draw(t, "method")),
		fmt.Sprintf(`"basis":%q`, rapid.SampledFrom([]string{"discount", "discount", "list"}).Draw(t, "basis")),
	}
	if rapid.Bool().Draw(t, "fee") {
		fields = append(fields, fmt.Sprintf(`"cancellationFee":%q`, drawDecimal(t, "cancellationFee", 30, 2).String()))
	}
	if rapid.Bool().Draw(t, "refundExcess") {
		fields = append(fields, `"refundExcess":true`)
	}
	if rapid.Bool().Draw(t, "coolingOff") {
		fields = append(fields, fmt.Sprintf(`"coolingOffDays":%d`, rapid.IntRange(0, 30).Draw(t, "coolingOffDays")))
	}
	if rapid.IntRange(0, 4).Draw(t, "waiveCancelled") == 0 {
		fields = append(fields, `"waiveFor":["cancelled"]`)
	}
	return `"settlement":{` + strings.Join(fields, ",") + `}`
}

// Draw draws a design: a plan (core and non-core groups, percent and
// amount rules, windows, view orders, limited and sometimes unlimited
// allowances, sometimes suspendAfterFailures, grace, a days-past-due rule,
// other installment intervals, settlement terms), a price list with up to
// 3 decimals and a start date.
func Draw(t *rapid.T, sz Sizes) Design {
	cur := rapid.SampledFrom([]string{"GBP", "GBP", "GBP", "JPY", "KWD"}).Draw(t, "currency")
	months := rapid.IntRange(1, sz.Months).Draw(t, "months")
	ng := rapid.IntRange(1, sz.Groups).Draw(t, "groups")
	var groups, rules []string
	prices := map[string]decimal.Decimal{}
	hasUnlim := false
	horizon := min(sz.Window, months*31+20)
	nrule := 0
	for g := range ng + 1 {
		core := g < ng
		var items []string
		for i := range rapid.IntRange(1, sz.Items).Draw(t, "items") {
			code := fmt.Sprintf("I%d%d", g, i)
			u := rapid.IntRange(1, sz.Units).Draw(t, "units")
			items = append(items, fmt.Sprintf(`{"code":%q,"units":%d}`, code, u))
			if rapid.IntRange(0, 5).Draw(t, "priced") > 0 {
				places := rapid.IntRange(0, 3).Draw(t, "pricePlaces")
				maxWhole := rapid.SampledFrom([]int64{0, 1, 5, 40}).Draw(t, "priceScale")
				prices[code] = drawDecimal(t, "price", max(maxWhole, 1), places)
			}
		}
		groups = append(groups, fmt.Sprintf(`{"id":"g%d","core":%v,"items":[%s]}`, g, core, strings.Join(items, ",")))
		for range rapid.IntRange(1, sz.Rules).Draw(t, "rules") {
			nrule++
			var disc string
			if rapid.Bool().Draw(t, "percent") {
				pc := rapid.SampledFrom([]string{"100", "50", "33.333", "12.5", "1", "0"}).Draw(t, "pc")
				if rapid.Bool().Draw(t, "randomPc") {
					pc = drawDecimal(t, "pcv", 100, rapid.IntRange(0, 3).Draw(t, "pcPlaces")).String()
					if decimal.RequireFromString(pc).GreaterThan(decimal.NewFromInt(100)) {
						pc = "100"
					}
				}
				disc = fmt.Sprintf(`"discountPercent":%q`, pc)
			} else {
				disc = fmt.Sprintf(`"discountAmount":%q`, drawDecimal(t, "amt", 10, rapid.IntRange(0, 3).Draw(t, "amtPlaces")).String())
			}
			allowed := fmt.Sprint(rapid.IntRange(1, sz.Allowed).Draw(t, "allowed"))
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
		extra = append(extra, fmt.Sprintf(`"joiningFee":%q`, drawDecimal(t, "joiningFee", 20, 2).String()))
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
		extra = append(extra, fmt.Sprintf(`"multiPetDiscount":{"amount":%q}`, drawDecimal(t, "mp", 5, 2).String()))
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
		fees = append(fees, fmt.Sprintf(`"4weeks":%q`, drawDecimal(t, "fee4w", feeScale, 2).String()))
		interval = plan.FourWeeks
		if months%3 == 0 {
			fees = append(fees, fmt.Sprintf(`"quarter":%q`, drawDecimal(t, "feeQ", 3*feeScale, 2).String()))
			if rapid.Bool().Draw(t, "quarterly") {
				interval = plan.Quarter
			}
		}
		extra = append(extra, `"fees":{`+strings.Join(fees, ",")+`}`)
	}
	if rapid.IntRange(0, 2).Draw(t, "settles") == 0 {
		extra = append(extra, drawSettlement(t))
	}
	fee := drawDecimal(t, "fee", feeScale, 2)
	doc := fmt.Sprintf(`{"currency":%q,"groups":[%s],"plan":{"id":"p","species":"dog","termMonths":%d,"monthlyFee":%q%s,"rules":[%s]}}`,
		cur, strings.Join(groups, ","), months, fee.String(), prefixed(extra), strings.Join(rules, ","))
	d := Design{Terms: doc, Prices: prices, Interval: interval, MultiPet: rapid.Bool().Draw(t, "isMultiPet"), HasUnlimited: hasUnlim}
	d.Start = plan.MustParseDate("2025-12-20").AddDays(rapid.IntRange(0, 400).Draw(t, "start"))
	if rapid.IntRange(0, 5).Draw(t, "advance") == 0 {
		d.Payment = plan.Advance
	}
	if hasUnlim {
		d.UnitsCap = int64(rapid.IntRange(1, sz.Allowed).Draw(t, "unitsCap"))
	}
	return d
}

func prefixed(fields []string) string {
	if len(fields) == 0 {
		return ""
	}
	return "," + strings.Join(fields, ",")
}
