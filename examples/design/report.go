package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/plan"
)

// report prints the lint warnings and the exposure in words a practice
// manager reads.
func report(w io.Writer, d design, rep debt.ExposureReport, o options) {
	t := d.in.Terms
	cur := t.Currency()
	money := func(x decimal.Decimal) string { return cur.Format(x) }
	start := d.in.Start
	day := func(n int) string { return fmt.Sprintf("day %d (%s)", n, start.AddDays(n)) }
	p := t.Plan()

	name := p.ID
	if p.Name != "" {
		name += " (" + p.Name + ")"
	}
	fee, _ := t.Fee(d.in.Interval)
	every := map[plan.Interval]string{plan.Month: "a month", plan.Quarter: "a quarter", plan.Year: "a year", plan.FourWeeks: "every 4 weeks"}[d.in.Interval]
	price := fmt.Sprintf("%s %s %s", money(fee), cur.Code(), every)
	if d.in.Payment == plan.Advance {
		price = fmt.Sprintf("%s %s paid in advance", money(t.AdvancePrice()), cur.Code())
	}
	grace := ""
	if p.GraceDays > 0 {
		grace = fmt.Sprintf(", %d days' grace", p.GraceDays)
	}
	fmt.Fprintf(w, "Plan %s: %d months at %s%s.\n", name, p.TermMonths, price, grace)

	fmt.Fprintln(w)
	switch n := len(d.warnings); n {
	case 0:
		fmt.Fprintln(w, "Lint: nothing looks wrong.")
	default:
		fmt.Fprintf(w, "Lint: %d %s.\n", n, plural(n, "warning", "warnings"))
		for _, x := range d.warnings {
			fmt.Fprintf(w, "  - %s (%s, at %s)\n", x.Message, x.Code, x.Path)
		}
	}

	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exposure: core treatments given minus payments taken, for the worst client.")
	if len(rep.Unbounded) > 0 {
		fmt.Fprintf(w, "  %s %s unlimited core treatments: a client who joins on %s can take as much as they like and never pay.\n",
			list(rep.Unbounded), plural(len(rep.Unbounded), "gives", "give"), start)
		fmt.Fprintln(w, "  Limit the rule, or give -units-cap N to see the exposure if no client takes more than N.")
		return
	}
	c := rep.Claim
	pk := rep.Peak
	who := " and never pays"
	if c.Paid.IsPositive() {
		who = fmt.Sprintf(", pays %s and then stops,", money(c.Paid))
	}
	took := fmt.Sprintf("%s of core treatments", money(c.CoreValue))
	if c.Basis != plan.DiscountBasis || c.Paid.IsPositive() {
		took = fmt.Sprintf("%s more in core treatments than they paid,", money(pk.Exposure))
	}
	by := "by"
	if pk.Day == 0 {
		by = "on"
	}
	fmt.Fprintf(w, "  A client who joins on %s%s can take %s %s %s.\n", start, who, took, by, day(pk.Day))
	if len(rep.Curve) > 1 {
		var steps []string
		for _, pt := range rep.Curve {
			steps = append(steps, fmt.Sprintf("%s from day %d", money(pt.Exposure), pt.Day))
		}
		fmt.Fprintf(w, "  Day by day: %s.\n", strings.Join(steps, ", "))
	}
	fmt.Fprintf(w, "  %s\n", claim(c, money))
	py := rep.Paying
	fmt.Fprintf(w, "  A client who pays every installment is at most %s ahead of what they paid, on %s; ", money(py.Peak.Exposure), day(py.Peak.Day))
	if py.BreaksEven {
		fmt.Fprintf(w, "the plan is even with them for good from %s.\n", day(py.BreakEvenDay))
	} else {
		fmt.Fprintf(w, "the plan never catches up with them.\n")
	}
	if ds := rep.Delays; ds != nil {
		fmt.Fprintf(w, "  %s\n", delays(ds, money))
	}
	if o.worst != "" {
		fmt.Fprintf(w, "  The worst client is in %s: go run ./examples/replay %s replays it to %s.\n", o.worst, o.worst, money(pk.Exposure))
	}
	if o.svg != "" {
		fmt.Fprintf(w, "\nThe timeline is in %s.\n", o.svg)
	}
}

// claim says what the plan's settlement claims back from the worst client.
func claim(c debt.Settlement, money func(decimal.Decimal) string) string {
	on := fmt.Sprintf("if they cancel on %s", c.Date)
	switch {
	case c.Waived:
		return fmt.Sprintf("The plan waives what is owed for %s: nothing could be claimed back %s.", c.Reason, on)
	case c.Debt.IsZero():
		return fmt.Sprintf("The plan's settlement (%s) claims nothing back %s.", c.Method, on)
	}
	s := fmt.Sprintf("You could claim %s back under %s %s", money(c.Debt), c.Method, on)
	if c.Fee.IsPositive() {
		s += fmt.Sprintf(" (%s owed plus a %s cancellation fee)", money(c.Owed), money(c.Fee))
	}
	if c.CoolingOff {
		s += ", within the cooling-off days"
	}
	return s + "."
}

// delays says which start days to move to stay under the cap.
func delays(ds *debt.StartDelays, money func(decimal.Decimal) string) string {
	cp := money(ds.Cap)
	one := func(d debt.StartDelay) string {
		if d.Never {
			return fmt.Sprintf("drop %s (no later start in its window is enough)", d.Rule)
		}
		return fmt.Sprintf("delay %s by %d %s, to day %d", d.Rule, d.Days, plural(d.Days, "day", "days"), d.StartDay)
	}
	var parts []string
	switch {
	case ds.Within:
		return fmt.Sprintf("The exposure never goes above %s: no window needs to move.", cp)
	case len(ds.Alone) > 0:
		for _, d := range ds.Alone {
			parts = append(parts, one(d))
		}
		return fmt.Sprintf("To keep the exposure at or under %s, %s.", cp, strings.Join(parts, "; or "))
	}
	for _, d := range ds.Together {
		parts = append(parts, one(d))
	}
	return fmt.Sprintf("No single rule can keep the exposure at or under %s; together: %s, which keeps it at %s.", cp, strings.Join(parts, ", "), money(ds.Peak))
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// list writes "a", "a and b", "a, b and c".
func list(ids []string) string {
	if len(ids) == 1 {
		return "Rule " + ids[0]
	}
	return "Rules " + strings.Join(ids[:len(ids)-1], ", ") + " and " + ids[len(ids)-1]
}
